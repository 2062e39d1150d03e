"""Public endpoints: file a report (with or without a key), list and read public reports, and
the master data a client needs to build its form (categories, agencies, regions)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params import functions as param

from satupintu.api import auth, idempotency, selectors
from satupintu.api.keys import KeyActor
from satupintu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from satupintu.api.throttles import WriteThrottle
from satupintu.api.v1 import present
from satupintu.api.v1.schemas import (
    ERRORS,
    AgencyOut,
    CategoryOut,
    RegionOut,
    ReportCreatedOut,
    ReportDetailOut,
    ReportIn,
    ReportPage,
    ReportTypeName,
    StatusName,
    W3CDateTime,
)
from satupintu.complaints import public, related, services
from satupintu.complaints.services import OFFICER_CHANNELS, Contact
from satupintu.core import throttle
from satupintu.core.errors import NotFound, NotPermitted

router = Router(tags=["public"])


def _owner(request: HttpRequest) -> str:
    caller: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(caller, KeyActor):
        return f"key:{caller.key.pk}"
    address = throttle.client_address(request)
    return "ip:" + hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def _check_channel(caller: Any, channel: str) -> None:
    if isinstance(caller, KeyActor):
        needed = "intake" if channel in OFFICER_CHANNELS else "submit"
        if caller.has(needed) or caller.has("intake"):
            return
        raise NotPermitted(
            _("Kunci API ini tidak memiliki cakupan %(scope)s.") % {"scope": needed},
            detail=f"missing scope {needed}",
        )
    if channel != "api":
        raise NotPermitted(
            _("Laporan dari kanal %(channel)s memerlukan kunci API.") % {"channel": channel},
            fields={"channel": _("Memerlukan kunci API.")},
        )


def created_body(request: HttpRequest, report: Any, secret: str) -> dict[str, Any]:
    """The receipt (ReportCreatedOut), built from the new row alone: no query."""
    number = report.tracking_number
    return {
        "tracking_number": number,
        "secret": secret,
        # The secret is URL-safe (tracking.new_secret): no quoting needed.
        "reporter_url": f"{present.report_url(request, 'portal:reporter', number)}?kunci={secret}",
        "url": present.public_url(request, number),
        "status": report.status,
        "status_label": present.status_label(report.status),
        "received_at": report.received_at,
        "next_due": report.next_due,
    }


@router.post(
    "/reports",
    response={201: ReportCreatedOut, **ERRORS},
    auth=auth.KEY_OR_ANONYMOUS,
    throttle=[WriteThrottle("api-submit")],
    summary="File a report",
    description=(
        "Anyone may file a report without a key (rate-limited per address); a key with the "
        "`submit` scope may also name the channel it came through (sms, whatsapp, email, "
        "social), one with `intake` the officer channels (counter, phone, call112). Send an "
        "`Idempotency-Key` header so that a retried request never files twice. The answer "
        "holds the reporter's secret once: give it to the reporter."
    ),
)
def create_report(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: str | None = param.Header(None, alias="Idempotency-Key"),
) -> HttpResponse:
    caller: Any = request.auth  # type: ignore[attr-defined]
    _check_channel(caller, payload.channel)
    actor = caller.user if isinstance(caller, KeyActor) else None
    contact = payload.reporter

    def act() -> tuple[int, dict[str, Any]]:
        report, secret = services.report_receive(
            actor=actor,
            channel=payload.channel,
            title=payload.title,
            description=payload.description,
            report_type=payload.report_type,
            category=payload.category,
            contact=Contact(**contact.model_dump()) if contact else None,
            is_anonymous=payload.anonymous,
            is_confidential=payload.confidential,
            region_code=payload.region,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            incident_date=payload.incident_date,
            external_ref=payload.external_ref,
            attributes=payload.attributes,
        )
        return 201, created_body(request, report, secret)

    return idempotency.run(request, owner=_owner(request), key=idempotency_key, act=act)


@router.get("/reports", response={200: ReportPage, **ERRORS}, summary="Public reports")
def list_reports(
    request: HttpRequest,
    q: str = param.Query(
        "", max_length=200, description="Words in the title or text, or a tracking number"
    ),
    status: StatusName | None = None,
    report_type: ReportTypeName | None = None,
    category: str = param.Query("", max_length=40),
    region: str = param.Query("", max_length=13, description="Kecamatan or kelurahan code"),
    agency: str = param.Query("", max_length=32, description="Holding agency code"),
    received_after: W3CDateTime | None = None,
    received_before: W3CDateTime | None = None,
    cursor: str = param.Query("", max_length=200),
    limit: int = param.Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Reports the public may see, newest first: never confidential or archived ones, nor,
    where the Pemda publishes only after verification, one not yet dispatched. What looks like
    personal data in their text (a NIK, a phone number, an e-mail address) is masked."""
    filters = selectors.ReportFilters(
        q=q,
        status=status,
        report_type=report_type,
        category=category,
        region=region,
        agency=agency,
        received_after=received_after,
        received_before=received_before,
    )
    rows, next_cursor = keyset_page(
        selectors.public_list(filters),
        field="received_at",
        kind="datetime",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    items = [present.report(request, r) for r in related.attach(rows)]
    return present.rendered(request, {"items": items, "next_cursor": next_cursor})


@router.get(
    "/reports/{tracking_number}",
    response={200: ReportDetailOut, **ERRORS},
    summary="One public report",
)
def get_report(request: HttpRequest, tracking_number: str) -> dict[str, Any]:
    report = selectors.public_detail(tracking_number)
    if report is None:
        raise NotFound(_("Laporan tidak ditemukan."))
    return present.report_detail(request, report, public.timeline(report))


# --------------------------------------------------------------------------- master data


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, tags=["reference"])
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """Active categories with the agency they go to and their extra questions (attributes)."""
    return [present.category(c) for c in selectors.categories()]


@router.get("/categories/{code}", response={200: CategoryOut, **ERRORS}, tags=["reference"])
def get_category(request: HttpRequest, code: str) -> dict[str, Any]:
    found = selectors.categories(code)
    if not found:
        raise NotFound(_("Kategori tidak ditemukan."))
    return present.category(found[0])


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, tags=["reference"])
def list_agencies(
    request: HttpRequest,
    kind: str = param.Query("", max_length=12),
) -> list[dict[str, Any]]:
    """Active agencies (the Pemda, its OPD and units, and external agencies), by kind."""
    return [present.agency(a) for a in selectors.agencies(kind)]


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, tags=["reference"])
def list_regions(
    request: HttpRequest,
    parent: str = param.Query("", max_length=13, description="List the regions below it"),
) -> list[dict[str, Any]]:
    """Kepmendagri region codes: the provinces, or the regions directly below ``parent``."""
    return [present.region(r) for r in selectors.regions(parent)]
