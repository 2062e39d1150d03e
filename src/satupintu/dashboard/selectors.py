"""The operations room's panels, read from the stored rollups (never from the reports).

Every selector takes :class:`Filters` (a period of received dates and optional agency,
category, kecamatan and channel) and a :class:`Scope` (the whole Pemda, or the agencies an
agency head or liaison officer acts for, with their units), and returns plain dataclasses.
Report-level figures count the reports **received** in the period (dashboard/facts.py); the
backlog and overdue figures are the open reports **now**, whenever received; wrong-door hops are
counted in the month the wrong agency received them.

Which table answers: whole months of the period from ``MonthlyRollup`` (``AreaRollup`` for the
map), the days at either end from ``DailyRollup``, or without a kecamatan or channel filter
(most views) from ``MonthlySummary`` and ``DailySummary``, which keep only agency and category
and are far smaller; the backlog and "overdue today" from ``BacklogRollup`` (``BacklogSummary``)
keyed by deadline (overdue is ``due < today``, read at query time, so nothing is
rewritten as days pass); durations from ``DurationHistogram`` and wrong doors from
``WrongDoorRollup``, which are kept per month: their period is widened to whole months, and they
answer the agency and category filters (not kecamatan or channel, which they do not keep).

An agency head sees their agencies' figures, and among the wrong doors the hops their agencies
forwarded or returned ("what it forwarded"). Confidential reports count like any other; no
selector reads a report, let alone its text. Each figure has its SQL over the raw tables in
dashboard/reference_sql.py (docs/dashboard.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.agencies.models import Agency, Region
from satupintu.complaints.models import Category, StatusChoices
from satupintu.dashboard.models import (
    MEASURES,
    AreaRollup,
    BacklogRollup,
    BacklogSummary,
    DailyArea,
    DailyRollup,
    DailySummary,
    DurationHistogram,
    MonthlyRollup,
    MonthlySummary,
    WrongDoorRollup,
)
from satupintu.domain.dashboard import (
    CategoryCounts,
    DurationSummary,
    Period,
    period_window,
    rising_windows,
    summarize_histogram,
    wilson_lower_bound,
)
from satupintu.domain.lifecycle import OWES_WORK
from satupintu.domain.wrongdoor import WrongDoorTally

OWES_WORK_VALUES = sorted(s.value for s in OWES_WORK)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Filters:
    """The period (received dates, inclusive) and the optional dimension filters."""

    start: dt.date
    end: dt.date
    agency_id: int | None = None
    category_id: int | None = None
    kecamatan: str | None = None
    channel: str | None = None

    @classmethod
    def last_days(cls, days: int, *, today: dt.date | None = None, **kw: Any) -> Filters:
        today = today or workcal.today()
        return cls(start=today - dt.timedelta(days=days - 1), end=today, **kw)

    @classmethod
    def month(cls, day: dt.date, **kw: Any) -> Filters:
        return cls(start=day.replace(day=1), end=_month_end(day), **kw)


@dataclass(frozen=True)
class Scope:
    """Whose figures: ``agencies`` None is the whole Pemda."""

    agencies: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.agencies is None


CITY = Scope()


def scope_for(user: Any) -> Scope:
    """Leaders, verifiers and administrators see the Pemda; an agency head or liaison officer
    their agencies with every unit below; anybody else nothing."""
    access = access_for(user)
    if access.sees_everything:
        return CITY
    return Scope(frozenset(access.visible_agencies))


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Span:
    current: int
    previous: int
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class Headline:
    today: Span
    week: Span
    month: Span


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    reports: int
    #: of them, owing work past their running deadline today
    overdue: int


@dataclass(frozen=True)
class Backlog:
    statuses: list[StatusCount]
    total: int
    overdue: int


@dataclass(frozen=True)
class AgencySla:
    agency_id: int
    name: str
    received: int
    resolved: int
    resolved_on_time: int
    followed_up: int
    followed_up_on_time: int
    #: open reports now (whenever received), and those owing work past their deadline today
    open: int
    overdue: int

    @property
    def on_time_share(self) -> float | None:
        return self.resolved_on_time / self.resolved if self.resolved else None

    @property
    def followup_on_time_share(self) -> float | None:
        return self.followed_up_on_time / self.followed_up if self.followed_up else None

    @property
    def ranking_score(self) -> float | None:
        """The Wilson lower bound of the on-time share (domain/dashboard.py): 2 of 2 on time
        does not top 95 of 100. None without resolved reports."""
        return wilson_lower_bound(self.resolved_on_time, self.resolved)


@dataclass(frozen=True)
class AgencyDurations:
    agency_id: int
    name: str
    #: working days from the first disposisi to the first follow-up (median, p90: nearest rank)
    followup: DurationSummary
    #: working days from receipt to the answer
    resolution: DurationSummary


@dataclass(frozen=True)
class AgencyWrongDoor:
    agency_id: int
    name: str
    tally: WrongDoorTally


@dataclass(frozen=True)
class AreaCount:
    kelurahan: str
    name: str
    kecamatan: str
    reports: int
    open: int


@dataclass(frozen=True)
class MonthPoint:
    month: dt.date
    reports: int
    resolved: int
    resolved_on_time: int
    followed_up: int
    followed_up_on_time: int
    rated: int
    rating_sum: int

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None


@dataclass(frozen=True)
class CategoryWeeks:
    category_id: int
    name: str
    #: reports per week, oldest first (the weeks of :class:`WeeklyCounts`)
    counts: tuple[int, ...]


@dataclass(frozen=True)
class WeeklyCounts:
    #: the Mondays the weeks start on, oldest first; the last week runs to ``end``
    weeks: tuple[dt.date, ...]
    end: dt.date
    categories: list[CategoryWeeks] = field(default_factory=list)


@dataclass(frozen=True)
class AgencyRating:
    agency_id: int
    name: str
    rated: int
    rating_sum: int

    @property
    def mean(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None


# --------------------------------------------------------------------------- helpers


def durations(histogram: Mapping[int, int]) -> DurationSummary:
    """Median and p90 (nearest rank), mean and maximum of a histogram of working days."""
    return summarize_histogram({days: n for days, n in histogram.items() if n})


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def split_period(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole months in [start, end] (first days of the first and last), and the day ranges
    left at either end."""
    if end < start:
        return None, []
    first = start if start.day == 1 else _add_months(start.replace(day=1), 1)
    last = end.replace(day=1) if end == _month_end(end) else _add_months(end.replace(day=1), -1)
    if first > last:
        return None, [(start, end)]
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if end > _month_end(last):
        days.append((_month_end(last) + dt.timedelta(days=1), end))
    return (first, last), days


def months_of(filters: Filters) -> tuple[dt.date, dt.date]:
    """The first days of the months the period touches."""
    return filters.start.replace(day=1), filters.end.replace(day=1)


def _where(filters: Filters, scope: Scope, *, place: bool = True, channel: bool = True) -> Q | None:
    """The dimension filters and the scope as a Q (None: nothing can match)."""
    q = Q()
    if scope.agencies is not None:
        if filters.agency_id is not None and filters.agency_id not in scope.agencies:
            return None
        q &= Q(agency_id__in=sorted(scope.agencies))
    if filters.agency_id is not None:
        q &= Q(agency_id=filters.agency_id)
    if filters.category_id is not None:
        q &= Q(category_id=filters.category_id)
    if place and filters.kecamatan:
        q &= Q(kecamatan=filters.kecamatan)
    if channel and filters.channel:
        q &= Q(channel=filters.channel)
    return q


def _summary(filters: Filters) -> bool:
    """Whether the agency-and-category tables answer (no kecamatan or channel filter)."""
    return not filters.kecamatan and not filters.channel


def _daily(filters: Filters) -> Any:
    return DailySummary if _summary(filters) else DailyRollup


def _monthly(filters: Filters) -> Any:
    return MonthlySummary if _summary(filters) else MonthlyRollup


def _backlog(filters: Filters) -> Any:
    return BacklogSummary if _summary(filters) else BacklogRollup


def _day_q(ranges: Iterable[tuple[dt.date, dt.date]], column: str = "day") -> Q:
    q = Q()
    for lo, hi in ranges:
        q |= Q(**{f"{column}__range": (lo, hi)})
    return q


def _grouped(
    rows: QuerySet[Any], group: tuple[str, ...], measures: tuple[str, ...]
) -> Iterable[dict[str, Any]]:
    grouped: Iterable[dict[str, Any]] = (
        rows.order_by().values(*group).annotate(**{f"s_{m}": Sum(m) for m in measures})
    )
    return grouped


def _merge(
    into: dict[tuple[Any, ...], dict[str, int]],
    rows: Iterable[dict[str, Any]],
    group: tuple[str, ...],
    measures: tuple[str, ...],
    key_of: Any = None,
) -> None:
    for row in rows:
        key = key_of(row) if key_of else tuple(row[g] for g in group)
        slot = into.setdefault(key, dict.fromkeys(measures, 0))
        for m in measures:
            slot[m] += int(row[f"s_{m}"] or 0)


def period_sums(
    filters: Filters, scope: Scope, group: tuple[str, ...], measures: tuple[str, ...] = MEASURES
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Measures summed over the period, grouped by dimensions both rollups keep (agency_id,
    category_id, kecamatan, channel): whole months from the monthly rollup, the rest from the
    daily one."""
    where = _where(filters, scope)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    if where is None:
        return out
    months, days = split_period(filters.start, filters.end)
    if months is not None:
        monthly = _monthly(filters).objects.filter(where, month__range=months)
        _merge(out, _grouped(monthly, group, measures), group, measures)
    if days:
        daily = _daily(filters).objects.filter(where & _day_q(days))
        _merge(out, _grouped(daily, group, measures), group, measures)
    return out


def _names(model: Any, ids: Iterable[Any], *, none: str) -> dict[Any, str]:
    wanted = {i for i in ids if i}
    names: dict[Any, str] = {0: none, "": none}
    if wanted:
        column = "code" if model is Region else "pk"
        names.update(model.objects.filter(**{f"{column}__in": wanted}).values_list(column, "name"))
    return names


def agency_names(ids: Iterable[int]) -> dict[int, str]:
    return _names(Agency, ids, none=_("Belum didisposisikan (verifikasi)"))


# --------------------------------------------------------------------------- the panels


def _daily_counts(
    filters: Filters, scope: Scope, start: dt.date, end: dt.date, *, by_category: bool = False
) -> dict[Any, int]:
    """Reports received per day (or per day and category) in [start, end]."""
    where = _where(filters, scope)
    counts: dict[Any, int] = defaultdict(int)
    if where is None:
        return counts
    group = ("day", "category_id") if by_category else ("day",)
    rows = (
        _daily(filters)
        .objects.filter(where, day__range=(start, end))
        .order_by()
        .values(*group)
        .annotate(n=Sum("reports"))
    )
    for row in rows:
        key = (row["day"], row["category_id"]) if by_category else row["day"]
        counts[key] += int(row["n"] or 0)
    return counts


def headline(filters: Filters, scope: Scope = CITY, *, today: dt.date | None = None) -> Headline:
    """Reports received today, this week (from Monday) and this month, each against the same
    span before it (domain/dashboard.py's period_window: yesterday; last week to the same
    weekday; last month to the same date). The period of ``filters`` is not used; its other
    filters are. One query."""
    today = today or workcal.today()
    windows = [period_window(kind, today) for kind in (Period.DAY, Period.WEEK, Period.MONTH)]
    earliest = min(w.previous.start for w in windows)
    daily = _daily_counts(filters, scope, earliest, today)

    def total(lo: dt.date, hi: dt.date) -> int:
        return sum(n for day, n in daily.items() if lo <= day <= hi)

    spans = [
        Span(
            total(w.current.start, w.current.end),
            total(w.previous.start, w.previous.end),
            w.current.start,
            w.current.end,
            w.previous.start,
            w.previous.end,
        )
        for w in windows
    ]
    return Headline(today=spans[0], week=spans[1], month=spans[2])


def backlog(filters: Filters, scope: Scope = CITY, *, today: dt.date | None = None) -> Backlog:
    """Open reports now by status, and how many owe work past their running deadline today.
    The period of ``filters`` is not used (the backlog is whatever is open)."""
    today = today or workcal.today()
    where = _where(filters, scope)
    counts: dict[str, list[int]] = {}
    if where is not None:
        rows = (
            _backlog(filters)
            .objects.filter(where)
            .order_by()
            .values("status")
            .annotate(
                n=Sum("reports"),
                late=Sum("reports", filter=Q(due__lt=today, status__in=OWES_WORK_VALUES)),
            )
        )
        for row in rows:
            counts[row["status"]] = [int(row["n"] or 0), int(row["late"] or 0)]
    labels = dict(StatusChoices.choices)
    statuses = [
        StatusCount(value, str(labels[value]), *counts[value])
        for value in StatusChoices.values
        if value in counts and counts[value][0]
    ]
    return Backlog(
        statuses=statuses,
        total=sum(s.reports for s in statuses),
        overdue=sum(s.overdue for s in statuses),
    )


def _open_and_overdue(filters: Filters, scope: Scope, today: dt.date) -> dict[int, tuple[int, int]]:
    where = _where(filters, scope)
    if where is None:
        return {}
    rows = (
        _backlog(filters)
        .objects.filter(where)
        .order_by()
        .values("agency_id")
        .annotate(
            n=Sum("reports"),
            late=Sum("reports", filter=Q(due__lt=today, status__in=OWES_WORK_VALUES)),
        )
    )
    return {row["agency_id"]: (int(row["n"] or 0), int(row["late"] or 0)) for row in rows}


def sla_by_agency(
    filters: Filters, scope: Scope = CITY, *, today: dt.date | None = None
) -> list[AgencySla]:
    """Per holding agency: the period's reports resolved (on time) and followed up (on time),
    with its open and overdue reports now; ranked by the Wilson lower bound of the on-time
    share, so a small agency with 2 of 2 on time does not top the chart."""
    today = today or workcal.today()
    measures = ("reports", "resolved", "resolved_on_time", "followed_up", "followed_up_on_time")
    sums = period_sums(filters, scope, ("agency_id",), measures)
    current = _open_and_overdue(filters, scope, today)
    ids = {key[0] for key in sums} | set(current)
    names = agency_names(ids)
    rows = []
    for pk in ids:
        s = sums.get((pk,), dict.fromkeys(measures, 0))
        open_, late = current.get(pk, (0, 0))
        rows.append(
            AgencySla(
                agency_id=pk,
                name=names.get(pk, str(pk)),
                received=s["reports"],
                resolved=s["resolved"],
                resolved_on_time=s["resolved_on_time"],
                followed_up=s["followed_up"],
                followed_up_on_time=s["followed_up_on_time"],
                open=open_,
                overdue=late,
            )
        )
    rows.sort(key=lambda r: (-(r.ranking_score or -1.0), -r.resolved, r.name))
    return rows


def durations_by_agency(filters: Filters, scope: Scope = CITY) -> list[AgencyDurations]:
    """Median and p90 working days to the first follow-up (from the first disposisi) and to
    the answer (from receipt), per holding agency, for reports received in the months of the
    period (agency and category filters only)."""
    where = _where(filters, scope, place=False, channel=False)
    hist: dict[int, dict[str, dict[int, int]]] = defaultdict(
        lambda: {"followup": defaultdict(int), "resolution": defaultdict(int)}
    )
    if where is not None:
        rows = (
            DurationHistogram.objects.filter(where, month__range=months_of(filters))
            .order_by()
            .values("agency_id", "kind", "days")
            .annotate(n=Sum("reports"))
        )
        for row in rows:
            hist[row["agency_id"]][row["kind"]][row["days"]] += int(row["n"] or 0)
    names = agency_names(hist)
    out = [
        AgencyDurations(
            agency_id=pk,
            name=names.get(pk, str(pk)),
            followup=durations(kinds["followup"]),
            resolution=durations(kinds["resolution"]),
        )
        for pk, kinds in hist.items()
    ]
    out.sort(key=lambda a: (-(a.resolution.count + a.followup.count), a.name))
    return out


def wrong_door_tallies(
    filters: Filters, scope: Scope = CITY, *, by: str = "agency_id"
) -> dict[Any, WrongDoorTally]:
    """Wrong-door hops (domain/wrongdoor.py) in the months of the period, added up per wrong
    agency (``by="agency_id"``), per category (``"category_id"``) or per month (``"month"``,
    e.g. before and after routing suggestions were switched on). Agency and category filters
    only. One query."""
    if by not in {"agency_id", "category_id", "month"}:
        raise ValueError(f"wrong doors are kept per agency_id, category_id or month, not {by!r}")
    where = _where(filters, scope, place=False, channel=False)
    tallies: dict[Any, WrongDoorTally] = {}
    if where is None:
        return tallies
    rows = (
        WrongDoorRollup.objects.filter(where, month__range=months_of(filters))
        .order_by()
        .values(by)
        .annotate(h=Sum("hops"), r=Sum("returned"), f=Sum("forwarded"), d=Sum("days_lost"))
    )
    for row in rows:
        tally = WrongDoorTally(
            int(row["h"] or 0), int(row["r"] or 0), int(row["f"] or 0), int(row["d"] or 0)
        )
        if tally.hops:
            tallies[row[by]] = tally
    return tallies


def wrong_doors_by_agency(filters: Filters, scope: Scope = CITY) -> list[AgencyWrongDoor]:
    """Per wrong agency (the one a hop went to and that forwarded it or returned it *bukan
    wewenang*, domain/wrongdoor.py): hops, returned, forwarded, working days lost, in the months
    of the period (agency and category filters only). Most days lost first."""
    tallies = wrong_door_tallies(filters, scope)
    names = agency_names(tallies)
    out = [AgencyWrongDoor(pk, names.get(pk, str(pk)), tally) for pk, tally in tallies.items()]
    out.sort(key=lambda a: (-a.tally.days_lost, -a.tally.hops, a.name))
    return out


def reports_by_kelurahan(filters: Filters, scope: Scope = CITY) -> list[AreaCount]:
    """Reports received in the period, and of them still open, per kelurahan (for the map)."""
    where = _where(filters, scope, channel=False)
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    measures = ("reports", "open")
    group = ("kelurahan", "kecamatan")
    if where is not None:
        months, days = split_period(filters.start, filters.end)
        if filters.channel:  # the area rollup keeps no channel: the daily one answers
            months, days = None, [(filters.start, filters.end)]
            where &= Q(channel=filters.channel)
        if months is not None:
            area = AreaRollup.objects.filter(where, month__range=months)
            _merge(out, _grouped(area, group, measures), group, measures)
        if days:
            whole = scope.everything and not (
                filters.agency_id or filters.category_id or filters.channel
            )
            table: Any = DailyArea if whole else DailyRollup
            daily = table.objects.filter(where & _day_q(days))
            _merge(out, _grouped(daily, group, measures), group, measures)
    names = _names(Region, (k[0] for k in out), none=_("Tanpa kelurahan"))
    areas = [
        AreaCount(kel, names.get(kel, kel), kec, v["reports"], v["open"])
        for (kel, kec), v in out.items()
        if v["reports"]
    ]
    areas.sort(key=lambda a: (-a.reports, a.kelurahan))
    return areas


def monthly_trend(filters: Filters, scope: Scope = CITY, *, months: int = 12) -> list[MonthPoint]:
    """The last ``months`` months up to the end of the period, month by month (received,
    resolved and on time, followed up and on time, ratings); months without reports are 0."""
    last = filters.end.replace(day=1)
    first = _add_months(last, -(months - 1))
    measures = (
        "reports",
        "resolved",
        "resolved_on_time",
        "followed_up",
        "followed_up_on_time",
        "rated",
        "rating_sum",
    )
    where = _where(filters, scope)
    sums: dict[tuple[Any, ...], dict[str, int]] = {}
    if where is not None:
        rows = _monthly(filters).objects.filter(where, month__range=(first, last))
        _merge(sums, _grouped(rows, ("month",), measures), ("month",), measures)
    points = []
    for i in range(months):
        month = _add_months(first, i)
        s = sums.get((month,), dict.fromkeys(measures, 0))
        points.append(MonthPoint(month, **s))
    return points


def weekly_by_category(filters: Filters, scope: Scope = CITY, *, weeks: int = 9) -> WeeklyCounts:
    """Reports per category in each of the last ``weeks`` weeks (Monday to Sunday) up to the
    end of the period, the last one partial (a chart of the weeks). One query."""
    end = filters.end
    monday = end - dt.timedelta(days=end.weekday())
    starts = tuple(monday - dt.timedelta(days=7 * (weeks - 1 - i)) for i in range(weeks))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    for (day, category_id), n in _daily_counts(
        filters, scope, starts[0], end, by_category=True
    ).items():
        counts[category_id][(day - starts[0]).days // 7] += n
    names = _names(Category, counts, none=_("Tanpa kategori"))
    categories = [
        CategoryWeeks(pk, names.get(pk, str(pk)), tuple(c)) for pk, c in counts.items() if any(c)
    ]
    categories.sort(key=lambda c: (-c.counts[-1], c.name))
    return WeeklyCounts(weeks=starts, end=end, categories=categories)


def rising_counts(
    filters: Filters, scope: Scope = CITY, *, today: dt.date | None = None, weeks: int = 8
) -> list[CategoryCounts]:
    """Per category: reports this week so far and in the same weekdays of the ``weeks`` weeks
    before together (domain/dashboard.py's rising_windows), ready for ``rising_categories``.
    The period of ``filters`` is not used; its other filters are. One query."""
    today = today or workcal.today()
    current, baseline = rising_windows(today, weeks)
    spans = [current, *baseline]
    daily = _daily_counts(filters, scope, min(s.start for s in spans), today, by_category=True)
    now: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    for (day, category_id), n in daily.items():
        if day in current:
            now[category_id] += n
        elif any(day in span for span in baseline):
            before[category_id] += n
    ids = sorted(set(now) | set(before))
    names = _names(Category, ids, none=_("Tanpa kategori"))
    return [
        CategoryCounts(str(pk), now.get(pk, 0), before.get(pk, 0), names.get(pk, str(pk)))
        for pk in ids
    ]


def ratings_by_agency(filters: Filters, scope: Scope = CITY) -> list[AgencyRating]:
    """Reporters' ratings (1–5) of the period's reports, per holding agency; best first."""
    sums = period_sums(filters, scope, ("agency_id",), ("rated", "rating_sum"))
    names = agency_names(k[0] for k in sums)
    out = [
        AgencyRating(key[0], names.get(key[0], str(key[0])), v["rated"], v["rating_sum"])
        for key, v in sums.items()
        if v["rated"]
    ]
    out.sort(key=lambda a: (-(a.mean or 0), -a.rated, a.name))
    return out
