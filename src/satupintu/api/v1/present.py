"""Reports and master data as API v1 answers (plain dicts shaped like v1/schemas.py).

Only fields chosen here leave the server; the reporter's identity is never among them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import translation
from ninja.renderers import JSONRenderer

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Region
from satupintu.complaints import deadlines
from satupintu.complaints.models import (
    Category,
    Disposition,
    Report,
    ReportEvent,
    StatusChoices,
)
from satupintu.domain.lifecycle import OWES_WORK, Status


def agency_ref(agency: Agency | None) -> dict[str, str] | None:
    return None if agency is None else {"code": agency.code, "name": agency.name}


def category_ref(category: Category | None) -> dict[str, str] | None:
    return None if category is None else {"code": category.code, "name": category.name}


def region_ref(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    parent = region.parent if region.parent_id else None
    return {
        "code": region.code,
        "name": region.name,
        "district_code": parent.code if parent else None,
        "district_name": parent.name if parent else None,
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


#: Stands for the tracking number in a report page's address (reversed once per process).
_NUMBER = "TRACKINGNUMBER"


@lru_cache(maxsize=32)
def _report_path(name: str, prefix: str) -> tuple[str, str]:
    """The path of the report page ``name`` before and after its tracking number, under the
    script ``prefix`` (tracking numbers need no quoting in a path)."""
    head, _sep, tail = reverse(name, kwargs={"tracking": _NUMBER}).rpartition(_NUMBER)
    return head, tail


def report_url(request: HttpRequest, name: str, number: str) -> str:
    """The absolute address of the report page ``name`` (``portal:public_detail``,
    ``portal:reporter``) of the report ``number``: one per item of a list, so it is built
    from parts found once (the origin once per request, the path once per process)."""
    origin: str | None = getattr(request, "_satupintu_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/").removesuffix("/")
        request._satupintu_origin = origin  # type: ignore[attr-defined]
    head, tail = _report_path(name, get_script_prefix())
    return f"{origin}{head}{number}{tail}"


def public_url(request: HttpRequest, number: str) -> str:
    """The report's public page, absolute."""
    return report_url(request, "portal:public_detail", number)


@lru_cache(maxsize=128)
def _status_label(language: str | None, status: str) -> str:
    return str(StatusChoices(status).label)


def status_label(status: str) -> str:
    """The status's name in the active language (built once per language and status)."""
    return _status_label(translation.get_language(), status)


_renderer = JSONRenderer()  # the API's own (api/v1/__init__.py sets no other)


def rendered(request: HttpRequest, body: dict[str, Any]) -> HttpResponse:
    """``body`` rendered as the API renders every answer, without validating it against the
    response schema once more: for the long lists, whose items this module builds field by
    field (tests/api/test_schema_fuzz.py checks every answer against the schema)."""
    content = _renderer.render(request, body, response_status=200)
    return HttpResponse(
        content, content_type=f"{_renderer.media_type}; charset={_renderer.charset}"
    )


def report(request: HttpRequest, r: Report) -> dict[str, Any]:
    return {
        "tracking_number": r.tracking_number,
        "url": public_url(request, r.tracking_number),
        "title": r.title,
        "description": r.description,
        "report_type": r.report_type,
        "category": category_ref(r.category),
        "status": r.status,
        "status_label": status_label(r.status),
        "anonymous": r.is_anonymous,
        "received_at": r.received_at,
        "updated_at": r.updated_at,
        "region": region_ref(r.region),
        "address": r.address,
        "latitude": _float(r.latitude),
        "longitude": _float(r.longitude),
        "agency": agency_ref(r.current_agency),
        "next_due": r.next_due,
        "resolved_at": r.resolved_at,
        "closed_at": r.closed_at,
    }


def event(e: ReportEvent) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "label": str(e.get_kind_display()),
        "at": e.created_at,
        "body": e.body,
        "agency": agency_ref(e.agency),
        "data": e.data or {},
    }


def _answer(events: list[ReportEvent]) -> str | None:
    answers = [e.body for e in events if e.kind == ReportEvent.Kind.RESOLVED]
    return answers[-1] if answers else None


def report_detail(request: HttpRequest, r: Report, events: list[ReportEvent]) -> dict[str, Any]:
    return report(request, r) | {
        "answer": _answer(events),
        "rating": r.rating,
        "timeline": [event(e) for e in events],
    }


def reporter_report(
    request: HttpRequest, r: Report, events: list[ReportEvent], actions: frozenset[str]
) -> dict[str, Any]:
    return report_detail(request, r, events) | {
        "confidential": r.is_confidential,
        "version": r.version,
        "appeal_until": r.appeal_until,
        "actions": sorted(actions),
    }


def officer_report(request: HttpRequest, r: Report) -> dict[str, Any]:
    owes = Status(r.status) in OWES_WORK
    return report(request, r) | {
        "confidential": r.is_confidential,
        "channel": r.channel,
        "external_ref": r.external_ref,
        "version": r.version,
        "assignee": r.assignee.get_username() if r.assignee_id and r.assignee else None,
        "verify_due": r.verify_due,
        "followup_due": r.followup_due,
        "complete_due": r.complete_due,
        "overdue": bool(owes and r.next_due and r.next_due < workcal.today()),
        "escalation_level": r.escalation_level,
        "hop_count": r.hop_count,
        "attributes": r.attributes or {},
    }


def disposition(d: Disposition) -> dict[str, Any]:
    return {
        "seq": d.seq,
        "kind": d.kind,
        "from_agency": agency_ref(d.from_agency),
        "to_agency": agency_ref(d.to_agency),
        "created_at": d.created_at,
        "reason": d.reason,
        "followup_due": d.followup_due,
        "complete_due": d.complete_due,
        "accepted_at": d.accepted_at,
        "ended_at": d.ended_at,
        "outcome": d.outcome,
        "outcome_reason": d.outcome_reason,
    }


def officer_detail(
    request: HttpRequest, r: Report, events: list[ReportEvent], hops: list[Disposition]
) -> dict[str, Any]:
    return officer_report(request, r) | {
        "rating": r.rating,
        "timeline": [
            event(e) | {"public": e.is_public, "actor": e.actor.get_username() if e.actor else None}
            for e in events
        ],
        "dispositions": [disposition(d) for d in hops],
    }


# --------------------------------------------------------------------------- master data


def category(c: Category) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "topic": c.description.strip(),
        "report_type": c.report_type,
        "agency": agency_ref(c.default_agency),
        "completion_days": deadlines.completion_days(c.report_type, c),
        "attributes": [
            {
                "code": a.code,
                "label": a.label,
                "help_text": a.help_text,
                "datatype": a.datatype,
                "required": a.required,
                "variable": a.variable,
                "order": a.order,
                "values": [{"key": k, "name": n} for k, n in a.choices()],
            }
            for a in getattr(c, "active_attributes", [])
        ],
    }


def agency(a: Agency) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "parent": a.parent.code if a.parent_id and a.parent else None,
        "external_type": a.external_type,
    }


def region(r: Region) -> dict[str, Any]:
    return {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id}
