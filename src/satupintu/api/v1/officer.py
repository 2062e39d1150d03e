"""Officer and integration endpoints: the work queue and every step of verification and
tindak lanjut (follow-up), for API keys with the ``read``, ``verify`` or ``handle`` scope.

Each step calls the same service as the officer desk, so the lifecycle table, the policy (which
agency may act), the deadlines, the timeline and the audit log are the same whichever door a
step came through. Send ``expected_version`` to be told (409 ``stale``) when someone else
changed the report since you read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params import functions as param

from satupintu.api import auth, selectors
from satupintu.api.keys import KeyActor
from satupintu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from satupintu.api.throttles import WriteThrottle
from satupintu.api.v1 import present
from satupintu.api.v1.schemas import (
    ERRORS,
    AnswerIn,
    BodyIn,
    DispatchIn,
    Empty,
    ForwardIn,
    MessageIn,
    NoteIn,
    OfficerPage,
    OfficerReportDetailOut,
    OfficerReportOut,
    ReasonIn,
    ReportTypeName,
    StatusName,
    W3CDateTime,
)
from satupintu.complaints import related, services
from satupintu.complaints.models import Report
from satupintu.complaints.selectors import officer_timeline
from satupintu.core.errors import NotFound, NotPermitted

router = Router(tags=["officer"], auth=auth.KEY)

READ_SCOPES = ("read", "verify", "handle")
WRITE_SCOPES = ("verify", "handle")


def _caller(request: HttpRequest, scopes: tuple[str, ...]) -> KeyActor:
    caller: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, KeyActor) and any(caller.has(s) for s in scopes):
        return caller
    raise NotPermitted(
        _("Kunci API ini memerlukan salah satu cakupan: %(scopes)s.")
        % {"scopes": ", ".join(scopes)},
        detail="missing scope " + " or ".join(scopes),
    )


def _report(caller: KeyActor, number: str) -> Report:
    report = selectors.officer_report(caller.user, number)
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return report


@router.get("/officer/queue", response={200: OfficerPage, **ERRORS}, summary="Work queue")
def queue(
    request: HttpRequest,
    q: str = param.Query("", max_length=200),
    status: StatusName | None = None,
    agency: str = param.Query("", max_length=32),
    overdue: bool = False,  # noqa: FBT001, FBT002 - a query parameter
    cursor: str = param.Query("", max_length=200),
    limit: int = param.Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Reports the key owes work on, nearest deadline first: reports to verify (``verify``),
    reports its agency holds (``handle``); ``read`` keys see the same list read-only."""
    caller = _caller(request, READ_SCOPES)
    filters = selectors.ReportFilters(q=q, status=status, agency=agency)
    rows, next_cursor = keyset_page(
        selectors.officer_queue(caller.user, filters, overdue=overdue),
        field="next_due",
        kind="date",
        descending=False,
        cursor=cursor,
        limit=limit,
    )
    items = [present.officer_report(request, r) for r in related.attach(rows)]
    return present.rendered(request, {"items": items, "next_cursor": next_cursor})


@router.get("/officer/reports", response={200: OfficerPage, **ERRORS}, summary="Reports")
def reports(
    request: HttpRequest,
    q: str = param.Query("", max_length=200),
    status: StatusName | None = None,
    report_type: ReportTypeName | None = None,
    category: str = param.Query("", max_length=40),
    region: str = param.Query("", max_length=13),
    agency: str = param.Query("", max_length=32),
    updated_after: W3CDateTime | None = None,
    cursor: str = param.Query("", max_length=200),
    limit: int = param.Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Every report the key may see (its agency holds or held it), newest first; pass
    ``updated_after`` to fetch what changed since a previous sync."""
    caller = _caller(request, READ_SCOPES)
    filters = selectors.ReportFilters(
        q=q,
        status=status,
        report_type=report_type,
        category=category,
        region=region,
        agency=agency,
        updated_after=updated_after,
    )
    rows, next_cursor = keyset_page(
        selectors.officer_list(caller.user, filters),
        field="received_at",
        kind="datetime",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    items = [present.officer_report(request, r) for r in related.attach(rows)]
    return present.rendered(request, {"items": items, "next_cursor": next_cursor})


@router.get(
    "/officer/reports/{tracking_number}",
    response={200: OfficerReportDetailOut, **ERRORS},
    summary="One report with its whole timeline and disposisi hops",
)
def report_detail(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    caller = _caller(request, READ_SCOPES)
    report = _report(caller, tracking_number)
    events = list(officer_timeline(caller.user, report))
    hops = list(report.dispositions.select_related("from_agency", "to_agency").order_by("seq"))
    return present.officer_detail(request, report, events, hops)


# --------------------------------------------------------------------------- actions


def _act(
    request: HttpRequest, number: str, call: Callable[[Any, Report], object]
) -> dict[str, Any]:
    caller = _caller(request, WRITE_SCOPES)
    report = _report(caller, number)
    call(caller.user, report)
    return present.officer_report(request, _report(caller, number))


def _action(path: str, summary: str) -> Callable[[Callable[..., Any]], Any]:
    return router.post(
        f"/officer/reports/{{tracking_number}}/{path}",
        response={200: OfficerReportOut, **ERRORS},
        throttle=[WriteThrottle("api-officer")],
        summary=summary,
    )


@_action("dispatch", "Verify and dispatch (disposisi) to the competent agency")
def dispatch(request: HttpRequest, tracking_number: str, payload: DispatchIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_dispatch(
            actor=user,
            report_id=r.pk,
            agency=payload.agency,
            category=payload.category,
            report_type=payload.report_type,
            instruction=payload.instruction,
            is_anonymous=payload.anonymous,
            is_confidential=payload.confidential,
            expected_version=payload.expected_version,
        ),
    )


@_action("hold", "Tunda: ask the reporter to complete the report")
def hold(request: HttpRequest, tracking_number: str, payload: MessageIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_hold(
            actor=user,
            report_id=r.pk,
            message=payload.message,
            expected_version=payload.expected_version,
        ),
    )


@_action("archive", "Arsipkan: not processable (the reason is shown to the reporter)")
def archive(request: HttpRequest, tracking_number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_archive(
            actor=user,
            report_id=r.pk,
            reason=payload.reason,
            expected_version=payload.expected_version,
        ),
    )


@_action("accept", "Acknowledge the disposisi")
def accept(request: HttpRequest, tracking_number: str, payload: Empty) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_accept(
            actor=user, report_id=r.pk, expected_version=payload.expected_version
        ),
    )


@_action("follow-ups", "Tindak lanjut: post progress (the first meets the 5-day deadline)")
def follow_up(request: HttpRequest, tracking_number: str, payload: BodyIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_follow_up(
            actor=user,
            report_id=r.pk,
            body=payload.body,
            expected_version=payload.expected_version,
        ),
    )


@_action("forward", "No Wrong Door: forward to the competent agency")
def forward(request: HttpRequest, tracking_number: str, payload: ForwardIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_forward(
            actor=user,
            report_id=r.pk,
            to_agency=payload.to_agency,
            reason=payload.reason,
            expected_version=payload.expected_version,
        ),
    )


@_action("return", "Bukan wewenang: return to the verifiers for re-routing")
def return_(request: HttpRequest, tracking_number: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_return(
            actor=user,
            report_id=r.pk,
            reason=payload.reason,
            expected_version=payload.expected_version,
        ),
    )


@_action("resolve", "Selesai: post the answer")
def resolve(request: HttpRequest, tracking_number: str, payload: AnswerIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_resolve(
            actor=user,
            report_id=r.pk,
            answer=payload.answer,
            expected_version=payload.expected_version,
        ),
    )


@_action("notes", "An internal note, or a public reply when public is true")
def note(request: HttpRequest, tracking_number: str, payload: NoteIn) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        lambda user, r: services.report_add_note(
            actor=user,
            report_id=r.pk,
            body=payload.body,
            public=payload.public,
            expected_version=payload.expected_version,
        ),
    )
