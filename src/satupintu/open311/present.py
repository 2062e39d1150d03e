"""Our reports and categories in GeoReport v2 terms (plain structures for render.py).

Mapping (docs/open311.md): a category is a *service* (its code the ``service_code``); a report is
a *service request* whose ``service_request_id`` is the tracking number; ``status`` is ``open``
or ``closed`` and ``status_notes`` carries our own status and the latest public answer. Every
field of the spec is present in every request, None when unknown, ``address`` always a string.
Only what the public portal shows leaves here: never the reporter's identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satupintu.complaints import deadlines
from satupintu.complaints.models import (
    Category,
    CategoryAttribute,
    Report,
    ReportEvent,
    StatusChoices,
)
from satupintu.domain.attributes import Datatype
from satupintu.domain.lifecycle import Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: The discovery changeset before any category was edited through the admin.
NEVER_CHANGED = "1970-01-01T00:00:00+00:00"
#: The spec limits descriptions to 4,000 characters (POST Service Request, GET Service Requests).
DESCRIPTION_MAX = 4000
#: Our statuses that are ``closed`` in Open311: the agency answered (the reporter may still
#: appeal, which opens it again), the reporter or the clock closed it, or it was not processable.
CLOSED = frozenset({Status.RESOLVED, Status.CLOSED, Status.ARCHIVED})

K = ReportEvent.Kind
#: Public events whose text answers the reporter.
ANSWERS = frozenset({K.HELD, K.ARCHIVED, K.FOLLOW_UP, K.PUBLIC_REPLY, K.RESOLVED, K.REMOTE_UPDATE})
#: Public events after which an earlier answer no longer describes the report.
RESETS = frozenset({K.RECEIVED, K.DISPATCHED, K.FORWARDED, K.RETURNED, K.APPEALED})


# The Pemda's time zone is settings.TIME_ZONE, Django's default (none is activated per request):
# read from Django's own cache, not the per-request look-up, as a page formats a hundred.


def w3c(moment: dt.datetime | None) -> str | None:
    """A W3C date-time in the Pemda's time zone, e.g. ``2026-11-30T08:00:00+07:00``."""
    if moment is None:
        return None
    return moment.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def end_of_day(day: dt.date | None) -> str | None:
    """A deadline date as the last second of that day in the Pemda's time zone."""
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_default_timezone())
    return moment.isoformat(timespec="seconds")


def status(report: Report) -> str:
    return "closed" if Status(report.status) in CLOSED else "open"


class TimelineEvent(Protocol):
    """What the status notes read of a public event (a ReportEvent, or a plain row of one)."""

    @property
    def kind(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def data(self) -> Any: ...


def latest_answer(events: Iterable[TimelineEvent]) -> str | None:
    """The latest public answer that still describes the report (events oldest first)."""
    answer: str | None = None
    answered_by: str | None = None
    for event in events:
        if event.kind in ANSWERS:
            text = event.body.strip()
            if not text and (event.data or {}).get("reason") == "hold_expired":
                text = _("Tidak ada kelengkapan dari pelapor hingga batas waktu.")
            if text:
                answer, answered_by = text, event.kind
        elif event.kind in RESETS or (event.kind == K.REPORTER_REPLY and answered_by == K.HELD):
            answer = answered_by = None
    return answer


@lru_cache(maxsize=64)
def _status_label(status: str, language: str | None) -> str:
    return str(StatusChoices(status).label)


def status_notes(report: Report, events: Iterable[TimelineEvent]) -> str:
    label = _status_label(report.status, translation.get_language())
    answer = latest_answer(events)
    return f"{label}: {answer}" if answer else label


def service_notice(category: Category | None) -> str | None:
    """What happens next, from the deadlines in force (domain.md §1.6)."""
    if category is None:
        return None
    sla = deadlines.policy()
    return _notice(
        translation.get_language(),
        sla.verify,
        category.default_agency.name,
        sla.follow_up,
        deadlines.completion_days(category.report_type, category),
    )


@lru_cache(maxsize=256)
def _notice(language: str | None, verify: int, agency: str, followup: int, complete: int) -> str:
    # Keyed by every value it shows, so a changed deadline or agency name is never stale.
    return _(
        "Laporan diverifikasi paling lama %(verify)s hari kerja lalu didisposisikan ke "
        "%(agency)s, yang menindaklanjutinya paling lama %(followup)s hari kerja dan "
        "menyelesaikannya paling lama %(complete)s hari kerja."
    ) % {"verify": verify, "agency": agency, "followup": followup, "complete": complete}


def full_text(report: Report) -> str:
    """The title and text as one (the text alone when it starts with the title, as the title of
    a report filed through Open311 is its first line)."""
    title = report.title.strip()
    text = report.description.strip()
    return text if text.startswith(title.rstrip("…").strip()) else f"{title}\n\n{text}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def description(report: Report) -> str:
    """:func:`full_text` cut to the spec's 4,000 characters."""
    return shorten(full_text(report), DESCRIPTION_MAX)


def address(report: Report) -> str:
    """From the most specific to the most general: street address, kelurahan, kecamatan."""
    parts = [report.address.strip()] if report.address.strip() else []
    region = report.region if report.region_id else None
    if region is not None:
        parts.append(region.name.title())
        if region.parent_id and region.parent is not None:
            parts.append(region.parent.name.title())
    return ", ".join(parts)


def service_request(
    report: Report, events: Iterable[TimelineEvent], media_url: str | None
) -> dict[str, Any]:
    closed = Status(report.status) in CLOSED
    category = report.category if report.category_id else None
    agency = report.current_agency if report.current_agency_id else None
    return {
        "service_request_id": report.tracking_number,
        "status": "closed" if closed else "open",
        "status_notes": status_notes(report, events),
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": description(report),
        "agency_responsible": agency.name if agency else None,
        "service_notice": service_notice(category),
        "requested_datetime": w3c(report.received_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": None if closed else end_of_day(report.next_due),
        "address": address(report),
        "address_id": report.region_id or None,
        "zipcode": None,
        "lat": None if report.latitude is None else float(report.latitude),
        "long": None if report.longitude is None else float(report.longitude),
        "media_url": media_url,
    }


def created(report: Report) -> dict[str, Any]:
    """The answer to POST requests (we are ``realtime``: the id at once, never a token)."""
    category = report.category if report.category_id else None
    return {
        "service_request_id": report.tracking_number,
        "service_notice": service_notice(category),
        "account_id": None,
    }


# --------------------------------------------------------------------------- services


def service(category: Category) -> dict[str, Any]:
    attributes: list[CategoryAttribute] = getattr(category, "active_attributes", [])
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("%(type)s; ditangani %(agency)s")
        % {
            "type": category.get_report_type_display(),
            "agency": category.default_agency.name,
        },
        "metadata": bool(attributes),
        "type": "realtime",
        "keywords": None,
        "group": category.description.strip() or None,
    }


DATATYPE_HINTS = {
    Datatype.NUMBER.value: gettext_noop("Angka, misalnya 12 atau 3.5."),
    Datatype.DATETIME.value: gettext_noop("Tanggal dan waktu, misalnya 2026-11-30T08:00:00+07:00."),
    Datatype.MULTI.value: gettext_noop("Boleh memilih lebih dari satu."),
}


def _hint(attribute: CategoryAttribute) -> str | None:
    if attribute.help_text.strip():
        return attribute.help_text.strip()
    hint = DATATYPE_HINTS.get(attribute.datatype)
    return _(hint) if hint else None


def definition(category: Category) -> dict[str, Any]:
    attributes: list[CategoryAttribute] = getattr(category, "active_attributes", [])
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": _hint(a),
                # The spec wants distinct positive integers: the position in our own order.
                "order": position,
                "description": a.label,
                "values": [{"key": key, "name": name} for key, name in a.choices()],
            }
            for position, a in enumerate(attributes, start=1)
        ],
    }


def discovery(endpoint_url: str, changeset: str) -> dict[str, Any]:
    contact = settings.SATUPINTU_OPEN311_CONTACT or _("Hubungi administrator sistem %(site)s.") % {
        "site": settings.SITE_NAME
    }
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": _(
            "Kunci API diterbitkan oleh administrator sistem %(site)s "
            "(perintah: satupintu apikey create)."
        )
        % {"site": settings.SITE_NAME},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
