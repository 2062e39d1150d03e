"""Complaint-management indicators per agency and year, computed with SQL aggregates and stored
as ``ComplaintSnapshot`` rows (``satupintu indicators refresh``; pages read the rows).

What is counted, for the disposisi (hops) an agency received in the year (local dates):

* ``hops``: disposisi received; ``wrong_door``: those that ended forwarded to another agency or
  returned as *bukan wewenang* (No Wrong Door, domain.md §1.7), and ``wrong_door_days`` the
  working days they spent there (from disposisi to the hop's end);
* the remaining hops are the agency's own. Their first response is the agency's first *tindak
  lanjut* or answer on the report after the disposisi. ``followup_due``: hops answered or whose
  first follow-up deadline has passed; ``followup_on_time``: answered on or before that stored
  deadline (5 working days by default, domain.md §1.6); ``followup_median``: median working days
  from disposisi to that first response;
* ``resolved`` and ``resolution_median``: hops the agency closed with its answer, and the median
  working days from disposisi to the answer; ``completion_due``: hops answered or past their
  completion deadline; ``overdue``: answered after it, or still open past it;
* ``ratings``/``rating_total``: reporters' ratings (1–5) of reports the agency holds, given when
  they confirmed in the year;
* officers (verifier, liaison, head) with an active account: how many signed in, and how many
  acted on a report (a timeline entry), in the 30 days before the refresh; the last sign-in.

The row with no agency is the whole Pemda: the sums, the medians of all hops, the officers
counted once each.

Working days in SQL: ``WorkdayOrdinal`` numbers every date by the working days since an epoch
(the Pemda's calendar, agencies/calendar.py), so the working days in (start, end] are a
difference of two joined numbers. The per-hop facts are first gathered into a temporary table
(one correlated look-up of the first response per hop), then aggregated with plain SQL that reads
the same on SQLite and PostgreSQL. Medians come from histograms (days → hops), so no report is
ever loaded into Python (domain.evaluation.sp4n).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import Agency, Membership, Role
from satupintu.complaints.models import Disposition, Report, ReportEvent
from satupintu.domain.evaluation.sp4n import median_from_histogram, merge_histograms
from satupintu.evaluation.models import ComplaintSnapshot, WorkdayOrdinal

#: Any fixed date before the data: ordinals only ever meet as differences.
EPOCH = dt.date(2000, 1, 1)
#: Officer activity window (days before the refresh).
ACTIVE_DAYS = 30
OFFICER_ROLES = [Role.VERIFIER, Role.LIAISON, Role.AGENCY_HEAD]
WRONG_DOOR = (Disposition.Outcome.FORWARDED.value, Disposition.Outcome.RETURNED.value)
RESPONSES = [ReportEvent.Kind.FOLLOW_UP, ReportEvent.Kind.RESOLVED]
#: Timeline entries an officer writes by acting on a report.
OFFICER_EVENTS = [
    ReportEvent.Kind.HELD,
    ReportEvent.Kind.ARCHIVED,
    ReportEvent.Kind.DISPATCHED,
    ReportEvent.Kind.ACCEPTED,
    ReportEvent.Kind.FOLLOW_UP,
    ReportEvent.Kind.FORWARDED,
    ReportEvent.Kind.RETURNED,
    ReportEvent.Kind.NOTE,
    ReportEvent.Kind.PUBLIC_REPLY,
    ReportEvent.Kind.RESOLVED,
    ReportEvent.Kind.PRIVACY,
    ReportEvent.Kind.ASSIGNED,
]
HOPS_TABLE = "satupintu_eval_hops"
COUNTERS = (
    "hops",
    "wrong_door",
    "wrong_door_days",
    "followup_due",
    "followup_on_time",
    "resolved",
    "completion_due",
    "overdue",
)


@dataclass(frozen=True)
class RefreshResult:
    year: int
    agencies: int
    hops: int
    seconds: float


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def fill_ordinals(start: dt.date, end: dt.date) -> None:
    """(Re)number the dates from ``start`` to ``end`` with the current working-day calendar."""
    calendar = workcal.calendar()
    ordinal = calendar.between(EPOCH, start)
    rows = [WorkdayOrdinal(day=start, ordinal=ordinal)]
    day = start + dt.timedelta(days=1)
    while day <= end:
        ordinal += calendar.is_working_day(day)
        rows.append(WorkdayOrdinal(day=day, ordinal=ordinal))
        day += dt.timedelta(days=1)
    WorkdayOrdinal.objects.filter(day__range=(start, end)).delete()
    WorkdayOrdinal.objects.bulk_create(rows, batch_size=2000)


def _gather_hops(start: dt.date, end: dt.date) -> None:
    """The temporary table of the year's hops: agency, outcome, deadlines and three local dates
    (disposisi, end of the hop, the agency's first response)."""
    tz = timezone.get_current_timezone()
    first_response = (
        ReportEvent.objects.filter(
            report_id=OuterRef("report_id"),
            agency_id=OuterRef("to_agency_id"),
            kind__in=RESPONSES,
            created_at__gte=OuterRef("created_at"),
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    hops = (
        Disposition.objects.filter(
            created_at__gte=_local_midnight(start),
            created_at__lt=_local_midnight(end + dt.timedelta(days=1)),
        )
        .annotate(
            start_day=TruncDate("created_at", tzinfo=tz),
            end_day=TruncDate("ended_at", tzinfo=tz),
            response_day=TruncDate(Subquery(first_response), tzinfo=tz),
        )
        .order_by()
        .values(
            "to_agency_id",
            "outcome",
            "followup_due",
            "complete_due",
            "start_day",
            "end_day",
            "response_day",
        )
    )
    sql, params = hops.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {HOPS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {HOPS_TABLE} AS {sql}", params)


def _hop_sql(select: str, where: str = "", group: str = "") -> str:
    """A query over the hops with the working-day numbers of their three dates joined."""
    ordinals = connection.ops.quote_name(WorkdayOrdinal._meta.db_table)
    return (
        f"SELECT {select} FROM {HOPS_TABLE} h "  # noqa: S608 - names are constants
        f"LEFT JOIN {ordinals} s ON s.day = h.start_day "
        f"LEFT JOIN {ordinals} e ON e.day = h.end_day "
        f"LEFT JOIN {ordinals} r ON r.day = h.response_day "
        + (f"WHERE {where} " if where else "")
        + (f"GROUP BY {group}" if group else "")
    )


def _hop_counts(today: dt.date) -> dict[int, dict[str, int]]:
    wrong = "h.outcome IN (%s, %s)"
    own = "h.outcome NOT IN (%s, %s)"
    sql = _hop_sql(
        "h.to_agency_id, COUNT(*), "
        f"COUNT(CASE WHEN {wrong} THEN 1 END), "
        f"SUM(CASE WHEN {wrong} THEN e.ordinal - s.ordinal END), "
        f"COUNT(CASE WHEN {own} AND (h.response_day IS NOT NULL OR h.followup_due < %s) "
        "THEN 1 END), "
        f"COUNT(CASE WHEN {own} AND h.response_day <= h.followup_due THEN 1 END), "
        "COUNT(CASE WHEN h.outcome = %s THEN 1 END), "
        f"COUNT(CASE WHEN {own} AND (h.outcome = %s OR h.complete_due < %s) THEN 1 END), "
        f"COUNT(CASE WHEN {own} AND ((h.outcome = %s AND h.end_day > h.complete_due) "
        "OR (h.outcome = %s AND h.complete_due < %s)) THEN 1 END)",
        group="h.to_agency_id",
    )
    resolved, open_ = Disposition.Outcome.RESOLVED.value, Disposition.Outcome.OPEN.value
    params: list[Any] = [
        *WRONG_DOOR,
        *WRONG_DOOR,
        *WRONG_DOOR,
        today,
        *WRONG_DOOR,
        resolved,
        *WRONG_DOOR,
        resolved,
        today,
        *WRONG_DOOR,
        resolved,
        open_,
        today,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: dict(zip(COUNTERS, (int(v or 0) for v in row[1:]), strict=True))
            for row in cursor.fetchall()
        }


def _histograms(days: str, where: str, params: list[Any]) -> dict[int, dict[int, int]]:
    """agency → {working days: hops} for the hops matching ``where``."""
    sql = _hop_sql(
        f"h.to_agency_id, {days}, COUNT(*)",
        where=f"{where} AND {days} IS NOT NULL",
        group=f"h.to_agency_id, {days}",
    )
    out: dict[int, dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for agency_id, value, count in cursor.fetchall():
            out[agency_id][int(value)] = int(count)
    return out


def _median(histogram: dict[int, int]) -> Decimal | None:
    value = median_from_histogram(histogram)
    return None if value is None else Decimal(value.numerator) / value.denominator


def _ratings(start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    rows = (
        Report.objects.filter(
            rating__isnull=False,
            current_agency__isnull=False,
            closed_at__gte=_local_midnight(start),
            closed_at__lt=_local_midnight(end + dt.timedelta(days=1)),
        )
        .order_by()
        .values("current_agency_id")
        .annotate(n=Count("pk"), total=Sum("rating"))
    )
    return {row["current_agency_id"]: (row["n"], int(row["total"] or 0)) for row in rows}


def _officers(now: dt.datetime) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    """Officer accounts per agency, and across the Pemda (each person once)."""
    since = now - dt.timedelta(days=ACTIVE_DAYS)
    # Who acted: one pass over the window's officer events (the (kind, created_at) index),
    # rather than a look-up per officer among all their events.
    acting = list(
        ReportEvent.objects.filter(kind__in=OFFICER_EVENTS, created_at__gte=since)
        .exclude(actor=None)
        .order_by()
        .values_list("actor_id", flat=True)
        .distinct()
    )
    memberships = Membership.objects.filter(
        is_active=True,
        role__in=OFFICER_ROLES,
        agency__is_active=True,
        user__is_active=True,
    )
    aggregates = {
        "officers": Count("user_id", distinct=True),
        "signed_in": Count("user_id", distinct=True, filter=Q(user__last_login__gte=since)),
        "acted": Count("user_id", distinct=True, filter=Q(user_id__in=acting)),
        "last_login": Max("user__last_login"),
    }
    per_agency = {
        row["agency_id"]: row
        for row in memberships.order_by().values("agency_id").annotate(**aggregates)
    }
    return per_agency, memberships.aggregate(**aggregates)


def _row(
    year: int,
    agency_id: int | None,
    *,
    counts: dict[str, int],
    followup: dict[int, int],
    resolution: dict[int, int],
    rating: tuple[int, int],
    officers: dict[str, Any] | None,
    now: dt.datetime,
    as_of: dt.date,
) -> ComplaintSnapshot:
    officers = officers or {}
    return ComplaintSnapshot(
        year=year,
        agency_id=agency_id,
        computed_at=now,
        as_of=as_of,
        **{key: counts.get(key, 0) for key in COUNTERS},
        followup_median=_median(followup),
        resolution_median=_median(resolution),
        ratings=rating[0],
        rating_total=rating[1],
        officers=officers.get("officers") or 0,
        officers_signed_in=officers.get("signed_in") or 0,
        officers_acted=officers.get("acted") or 0,
        last_login=officers.get("last_login"),
    )


def _compute(year: int, today: dt.date, now: dt.datetime) -> tuple[list[ComplaintSnapshot], int]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(end, today)
    fill_ordinals(start, max(end, today))
    _gather_hops(start, as_of)
    try:
        counts = _hop_counts(today)
        own = "h.outcome NOT IN (%s, %s)"
        followup = _histograms("r.ordinal - s.ordinal", own, list(WRONG_DOOR))
        resolution = _histograms(
            "e.ordinal - s.ordinal", "h.outcome = %s", [Disposition.Outcome.RESOLVED.value]
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {HOPS_TABLE}")
    ratings = _ratings(start, as_of)
    officers, all_officers = _officers(now)
    internal = set(
        Agency.objects.filter(is_active=True)
        .exclude(kind=Agency.Kind.EXTERNAL)
        .values_list("pk", flat=True)
    )
    agency_ids = internal | set(counts) | set(ratings)
    rows = [
        _row(
            year,
            pk,
            counts=counts.get(pk, {}),
            followup=followup.get(pk, {}),
            resolution=resolution.get(pk, {}),
            rating=ratings.get(pk, (0, 0)),
            officers=officers.get(pk),
            now=now,
            as_of=as_of,
        )
        for pk in sorted(agency_ids)
    ]
    totals = {key: sum(c.get(key, 0) for c in counts.values()) for key in COUNTERS}
    rating_sum = (sum(n for n, _t in ratings.values()), sum(t for _n, t in ratings.values()))
    rows.append(
        _row(
            year,
            None,
            counts=totals,
            followup=merge_histograms(followup.values()),
            resolution=merge_histograms(resolution.values()),
            rating=rating_sum,
            officers=all_officers,
            now=now,
            as_of=as_of,
        )
    )
    return rows, totals["hops"]


def indicators_refresh(*, year: int, today: dt.date | None = None) -> RefreshResult:
    """Recompute and store the year's rows (replacing the old ones in one transaction)."""
    today = today or workcal.today()
    if year > today.year:
        raise ValueError(f"year {year} has not begun (today is {today.isoformat()})")
    began = time.monotonic()
    for attempt in range(3):
        try:
            with transaction.atomic():
                # A refresh of the same year running at once waits here, then replaces ours.
                list(ComplaintSnapshot.objects.select_for_update().filter(year=year).order_by("pk"))
                rows, hops = _compute(year, today, timezone.now())
                ComplaintSnapshot.objects.filter(year=year).delete()
                ComplaintSnapshot.objects.bulk_create(rows)
            break
        except IntegrityError:  # pragma: no cover - two first refreshes of a year at once
            if attempt == 2:
                raise
    return RefreshResult(year, len(rows) - 1, hops, time.monotonic() - began)
