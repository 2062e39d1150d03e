"""Reads for the citizen portal.

Public pages read through ``complaints.public`` (the rule every door shares: which reports,
events and files the public sees, with personal data in the text masked); the reporter's own
pages start from the complaints app's list of safe fields and read the text whole. No page can
load a reporter's encrypted contact details or the secret's hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from satupintu.agencies.models import Agency, Region
from satupintu.complaints import deadlines, public, tracking
from satupintu.complaints.models import (
    Attachment,
    Category,
    Report,
    ReportEvent,
)
from satupintu.complaints.selectors import (
    SAFE_FIELDS,
    public_timeline,
    reporter_actions,
)
from satupintu.domain.lifecycle import (
    RUNNING_DEADLINE,
    SlaDays,
    Status,
)

FIGURES_CACHE_KEY = "portal:home-figures:v1"
FIGURES_TTL = 300  # seconds: the home page's public figures are at most 5 minutes old
REGIONS_CACHE_KEY = "portal:region-scope:v1"
PAGE_SIZE = 25

#: Reports whose agency has given its answer (design.md §3: selesai, then ditutup).
DONE = (Status.RESOLVED.value, Status.CLOSED.value)


# --------------------------------------------------------------------------- home page


@dataclass(frozen=True)
class HomeFigures:
    reports_this_month: int
    #: Share (0–100) of last-12-month reports that are resolved or closed; None without reports.
    resolved_share: float | None
    #: Median calendar days from receipt to the first follow-up (last 12 months).
    median_days_to_followup: float | None
    computed_at: dt.datetime


def _compute_figures() -> HomeFigures:
    now = timezone.now()
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year_ago = now - dt.timedelta(days=365)
    # Archived reports were never processable (design.md §3): they are left out of the share.
    counts = Report.objects.aggregate(
        this_month=Count("pk", filter=Q(received_at__gte=month_start)),
        year_total=Count(
            "pk", filter=Q(received_at__gte=year_ago) & ~Q(status=Status.ARCHIVED.value)
        ),
        year_done=Count("pk", filter=Q(received_at__gte=year_ago, status__in=DONE)),
        followed=Count("pk", filter=Q(received_at__gte=year_ago, first_followup_at__isnull=False)),
    )
    share = (
        round(100 * counts["year_done"] / counts["year_total"], 1) if counts["year_total"] else None
    )
    median: float | None = None
    followed = counts["followed"]
    if followed:
        # The median without a MEDIAN aggregate (not portable): sort the waits, read the middle.
        waits = (
            Report.objects.filter(received_at__gte=year_ago, first_followup_at__isnull=False)
            .annotate(
                wait=ExpressionWrapper(
                    F("first_followup_at") - F("received_at"), output_field=DurationField()
                )
            )
            .order_by("wait")
            .values_list("wait", flat=True)
        )
        middle = list(waits[(followed - 1) // 2 : followed // 2 + 1])
        if middle:
            total = sum(middle, dt.timedelta())
            median = round(total.total_seconds() / len(middle) / 86400, 1)
    return HomeFigures(
        reports_this_month=counts["this_month"],
        resolved_share=share,
        median_days_to_followup=median,
        computed_at=now,
    )


def home_figures() -> HomeFigures:
    """Live public figures for the home page, computed with aggregates and cached 5 minutes."""
    figures = cache.get(FIGURES_CACHE_KEY)
    if not isinstance(figures, HomeFigures):
        figures = _compute_figures()
        cache.set(FIGURES_CACHE_KEY, figures, FIGURES_TTL)
    return figures


def sla() -> SlaDays:
    """The Pemda's deadlines in working days (domain.md §1.6), as administrators set them."""
    return deadlines.policy()


# --------------------------------------------------------------------------- master data


def categories_by_topic() -> list[tuple[str, list[Category]]]:
    """Active categories grouped by their topic (the category's ``description``)."""
    groups: dict[str, list[Category]] = {}
    for category in Category.objects.filter(is_active=True).only(
        "pk", "code", "name", "description"
    ):
        groups.setdefault(category.description.strip(), []).append(category)
    return sorted(
        ((topic, sorted(items, key=lambda c: c.name)) for topic, items in groups.items()),
        key=lambda group: (group[0] == "", group[0]),
    )


@dataclass(frozen=True)
class District:
    code: str
    name: str
    villages: list[tuple[str, str]] = field(default_factory=list)


def _scope_code() -> str:
    """The Pemda's own kabupaten/kota code, or "" when the root agency has no region."""
    code = cache.get(REGIONS_CACHE_KEY)
    if code is None:
        root = (
            Agency.objects.filter(kind=Agency.Kind.PEMDA, parent=None, region__level=2)
            .order_by("pk")
            .values_list("region_id", flat=True)
            .first()
        )
        code = root or ""
        cache.set(REGIONS_CACHE_KEY, code, 300)
    return str(code)


def districts(kecamatan: str | None = None) -> list[District]:
    """Kecamatan of the Pemda with their kelurahan/desa (one query), ordered by name."""
    qs = Region.objects.filter(
        level=Region.Level.VILLAGE, parent__level=Region.Level.DISTRICT
    ).select_related("parent")
    scope = _scope_code()
    if scope:
        qs = qs.filter(parent__parent_id=scope)
    if kecamatan is not None:
        qs = qs.filter(parent_id=kecamatan)
    found: dict[str, District] = {}
    for village in qs.only("code", "name", "parent__code", "parent__name"):
        parent = village.parent
        assert parent is not None  # noqa: S101 - filtered on parent__level above
        district = found.setdefault(parent.code, District(parent.code, parent.name))
        district.villages.append((village.code, village.name))
    for district in found.values():
        district.villages.sort(key=lambda v: v[1])
    return sorted(found.values(), key=lambda d: d.name)


def map_centre() -> tuple[float, float, int]:
    """Where maps open: the Pemda's configured centre (SATUPINTU_MAP_CENTER)."""
    lat, lon, zoom = settings.MAP_CENTER
    return float(lat), float(lon), int(zoom)


# --------------------------------------------------------------------------- public pages


@dataclass(frozen=True)
class PublicFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    kecamatan: str = ""
    report_type: str = ""


@dataclass(frozen=True)
class Page:
    rows: list[Report]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _looks_like_tracking_number(text: str) -> str:
    number = tracking.normalize_tracking_number(text)
    if len(number) == tracking.LENGTH and all(ch in tracking.ALPHABET for ch in number):
        return number
    return ""


def public_list(filters: PublicFilters, page: int = 1) -> Page:
    """One page of public reports, newest first; no COUNT(*): fetch one row more than a page."""
    qs = public.reports().select_related("category", "region", "region__parent")
    if filters.q:
        number = _looks_like_tracking_number(filters.q)
        qs = public.search(qs, filters.q, tracking_number=number)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.kecamatan:
        qs = qs.filter(region__parent_id=filters.kecamatan)
    if filters.report_type:
        qs = qs.filter(report_type=filters.report_type)
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    return Page(rows=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE)


def public_report(tracking_number: str) -> Report | None:
    """One report the public may see, or None (not public or unknown alike)."""
    number = tracking.normalize_tracking_number(tracking_number or "")
    if not number:
        return None
    return (
        public.reports()
        .select_related("category", "region", "region__parent", "current_agency")
        .filter(tracking_number=number)
        .first()
    )


def _reporter_attachments(report: Report) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        Q(report_id=report.pk) & (Q(by_reporter=True) | Q(event__is_public=True))
    ).only(*public.ATTACHMENT_FIELDS)


@dataclass
class ReportPage:
    report: Report
    events: list[ReportEvent]
    attachments: list[Attachment]
    #: The agency's latest answer (the body of the last "resolved" event), if any.
    answer: ReportEvent | None = None
    actions: frozenset[str] = frozenset()
    #: Which stored deadline runs now (a ``Deadline`` value such as "verify_due"), if any.
    running: str | None = None


def _latest_answer(events: list[ReportEvent]) -> ReportEvent | None:
    answers = [e for e in events if e.kind == ReportEvent.Kind.RESOLVED]
    return answers[-1] if answers else None


def _running(report: Report) -> str | None:
    deadline = RUNNING_DEADLINE[Status(report.status)]
    return deadline.value if deadline is not None and report.next_due else None


def public_page(report: Report) -> ReportPage:
    """The public page of a report from :func:`public_report`."""
    events = public.timeline(report)
    return ReportPage(
        report=report,
        events=events,
        attachments=list(public.attachments(report)),
        answer=_latest_answer(events),
        running=_running(report),
    )


# --------------------------------------------------------------------------- reporter pages


def reporter_report(report_id: int) -> Report | None:
    """The reporter's own report (after services.reporter_authenticate), confidential or not."""
    return (
        Report.objects.only(*SAFE_FIELDS)
        .select_related("category", "region", "region__parent", "current_agency")
        .filter(pk=report_id)
        .first()
    )


def reporter_page(report: Report) -> ReportPage:
    events = list(public_timeline(report))
    return ReportPage(
        report=report,
        events=events,
        attachments=list(_reporter_attachments(report)),
        answer=_latest_answer(events),
        actions=reporter_actions(report),
        running=_running(report),
    )


def attachment_for(pk: int) -> Attachment | None:
    """An attachment with what an access check needs (its report's flags, its event's)."""
    return (
        Attachment.objects.select_related("event")
        .only(
            "pk",
            "report_id",
            "file",
            "original_name",
            "content_type",
            "by_reporter",
            "event__is_public",
        )
        .filter(pk=pk)
        .first()
    )


def attachment_is_public(attachment: Attachment) -> bool:
    return public.attachment_is_public(attachment.pk)


def attachment_is_reporters(attachment: Attachment, report_id: int) -> bool:
    event = attachment.event
    return attachment.report_id == report_id and (
        attachment.by_reporter or (event is not None and event.is_public)
    )


def coordinates(report: Report) -> tuple[float, float] | None:
    lat: Decimal | None = report.latitude
    lon: Decimal | None = report.longitude
    if lat is None or lon is None:
        return None
    return float(lat), float(lon)


def map_points(rows: list[Report]) -> list[dict[str, Any]]:
    """Points of one page of public reports, for the list's map (no identity, no description)."""
    points = []
    for report in rows:
        where = coordinates(report)
        if where is None:
            continue
        points.append(
            {
                "lat": where[0],
                "lon": where[1],
                "tracking": tracking.format_tracking_number(report.tracking_number),
                "number": report.tracking_number,
                "title": report.title,
                "status": report.get_status_display(),
            }
        )
    return points
