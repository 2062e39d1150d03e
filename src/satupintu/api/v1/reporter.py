"""The reporter's own endpoints: tracking number in the path, the secret in ``X-Report-Secret``.

No account is needed (design.md §4). A wrong number and a wrong secret get the same 404, and
failed checks count against the client address like the portal's tracking form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import Throttled
from ninja.files import UploadedFile
from ninja.params import functions as param

from satupintu.api import selectors
from satupintu.api.throttles import WriteThrottle
from satupintu.api.v1 import present
from satupintu.api.v1.schemas import (
    ERRORS,
    AppealIn,
    RatingIn,
    ReplyIn,
    ReporterReportOut,
)
from satupintu.complaints import services
from satupintu.complaints.actors import Reporter
from satupintu.complaints.selectors import public_timeline, reporter_actions
from satupintu.core import throttle
from satupintu.core.errors import NotFound

router = Router(tags=["reporter"])

SECRET_HEADER = "X-Report-Secret"  # noqa: S105 - a header name
WINDOW = 3600


def _reporter(request: HttpRequest, number: str, secret: str) -> Reporter:
    limit = settings.SATUPINTU_PORTAL_TRACK_FAILURE_LIMIT
    wait = throttle.exceeded(request, "track", limit=limit, window=WINDOW)
    if wait is not None:
        raise Throttled(wait)
    try:
        return services.reporter_authenticate(number, secret)
    except NotFound:
        throttle.hit(request, "track", limit=limit, window=WINDOW)
        raise


def _own(request: HttpRequest, reporter: Reporter) -> dict[str, Any]:
    report = selectors.reporter_report(reporter.report_id)
    if report is None:  # pragma: no cover - deleted between the two reads
        raise NotFound(_("Laporan tidak ditemukan."))
    events = list(public_timeline(report))
    return present.reporter_report(request, report, events, reporter_actions(report))


def _act(
    request: HttpRequest, number: str, secret: str, call: Callable[[Reporter], object]
) -> dict[str, Any]:
    reporter = _reporter(request, number, secret)
    call(reporter)
    return _own(request, reporter)


SecretHeader = param.Header(..., alias=SECRET_HEADER, description="The reporter's secret")


@router.get(
    "/reporter/reports/{tracking_number}",
    response={200: ReporterReportOut, **ERRORS},
    summary="The reporter's own report",
)
def get_own(
    request: HttpRequest, tracking_number: str, secret: str = SecretHeader
) -> dict[str, Any]:
    return _own(request, _reporter(request, tracking_number, secret))


@router.post(
    "/reporter/reports/{tracking_number}/replies",
    response={200: ReporterReportOut, **ERRORS},
    throttle=[WriteThrottle("api-reporter", 60)],
    summary="Reply (complete a report on hold, or answer the agency)",
)
def reply(
    request: HttpRequest, tracking_number: str, payload: ReplyIn, secret: str = SecretHeader
) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        secret,
        lambda r: services.report_reporter_reply(
            actor=r,
            report_id=r.report_id,
            body=payload.body,
            expected_version=payload.expected_version,
        ),
    )


@router.post(
    "/reporter/reports/{tracking_number}/rating",
    response={200: ReporterReportOut, **ERRORS},
    throttle=[WriteThrottle("api-reporter", 60)],
    summary="Accept the answer with a rating of 1 to 5 (closes the report)",
)
def rate(
    request: HttpRequest, tracking_number: str, payload: RatingIn, secret: str = SecretHeader
) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        secret,
        lambda r: services.report_confirm(
            actor=r,
            report_id=r.report_id,
            rating=payload.rating,
            comment=payload.comment,
            expected_version=payload.expected_version,
        ),
    )


@router.post(
    "/reporter/reports/{tracking_number}/appeal",
    response={200: ReporterReportOut, **ERRORS},
    throttle=[WriteThrottle("api-reporter", 60)],
    summary="Appeal against the answer (within the appeal window)",
)
def appeal(
    request: HttpRequest, tracking_number: str, payload: AppealIn, secret: str = SecretHeader
) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        secret,
        lambda r: services.report_appeal(
            actor=r,
            report_id=r.report_id,
            reason=payload.reason,
            expected_version=payload.expected_version,
        ),
    )


@router.post(
    "/reporter/reports/{tracking_number}/attachments",
    response={200: ReporterReportOut, **ERRORS},
    throttle=[WriteThrottle("api-reporter", 60)],
    summary="Add photos or PDF files (multipart/form-data, field `files`)",
)
def attach(
    request: HttpRequest,
    tracking_number: str,
    files: list[UploadedFile] = param.File(...),
    secret: str = SecretHeader,
) -> dict[str, Any]:
    return _act(
        request,
        tracking_number,
        secret,
        lambda r: services.report_add_attachments(
            actor=r, report_id=r.report_id, files=[(f.name or "", f) for f in files]
        ),
    )
