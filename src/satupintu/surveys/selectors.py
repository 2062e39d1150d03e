"""Reads for the SKM: IKM per unit, per unsur and overall, progress against the sample targets,
trend across periods and the status a PEKPPP worksheet asks for; all aggregated in the database.

Responses are never loaded one by one. One aggregate query grouped by unit (and period, for the
trend) returns, per unsur, the SUM of the scores and the COUNT of respondents who answered it
(COUNT(column) skips NULL = blank). The arithmetic that turns those totals into NRR, IKM and mutu
is ``domain.indices.ikm_from_totals`` (domain.md §3.2–§3.3), the one IKM arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import models
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.agencies.models import Agency
from satupintu.complaints.selectors import Ratings, closed_ratings
from satupintu.domain.indices import ElementResult, IkmResult, ikm_from_totals, sample_size
from satupintu.surveys.models import (
    ANSWER_FIELDS,
    FollowUpAction,
    SkmResponse,
    SurveyPeriod,
    SurveyTarget,
)
from satupintu.surveys.policies import SkmAccess, units_in_scope

#: Periods shown in a trend: this one and the ones before it.
TREND_PERIODS = 6
#: Unsur listed as the weakest of a unit: where follow-up actions start.
WEAKEST = 3


# --------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class Totals:
    """What the database sums for a group of responses: the input of ``ikm_from_totals``."""

    respondents: int = 0
    answered: tuple[int, ...] = (0,) * len(ANSWER_FIELDS)
    totals: tuple[int, ...] = (0,) * len(ANSWER_FIELDS)
    suggestions: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.respondents + other.respondents,
            tuple(a + b for a, b in zip(self.answered, other.answered, strict=True)),
            tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
            self.suggestions + other.suggestions,
        )

    def ikm(self, where: str) -> tuple[IkmResult | None, str]:
        """The IKM of these responses, or None and the reason it is undefined."""
        try:
            return ikm_from_totals(self.respondents, self.answered, self.totals, where=where), ""
        except ValueError as exc:
            return None, str(exc)


def _aggregates() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "n": Count("id"),
        "n_suggestions": Count("id", filter=~Q(suggestion="")),
    }
    for name in ANSWER_FIELDS:
        fields[f"{name}_sum"] = Sum(name)
        fields[f"{name}_count"] = Count(name)  # COUNT(column): NULL (blank) is not counted
    return fields


def grouped_totals(rows: QuerySet[SkmResponse], *keys: str) -> dict[tuple[Any, ...], Totals]:
    """One aggregate query: the totals of ``rows`` grouped by ``keys`` (e.g. ``"unit_id"``)."""
    out: dict[tuple[Any, ...], Totals] = {}
    for row in rows.order_by().values(*keys).annotate(**_aggregates()):
        out[tuple(row[key] for key in keys)] = Totals(
            row["n"],
            tuple(int(row[f"{name}_count"]) for name in ANSWER_FIELDS),
            tuple(int(row[f"{name}_sum"] or 0) for name in ANSWER_FIELDS),
            row["n_suggestions"],
        )
    return out


def _pooled(totals: Iterable[Totals]) -> Totals:
    return sum(totals, Totals())


# --------------------------------------------------------------------------- IKM of a period


@dataclass(frozen=True)
class UnitIkm:
    unit_id: int
    unit_name: str
    respondents: int
    #: None when the IKM is undefined for this unit (an unsur nobody answered): see ``problem``.
    result: IkmResult | None
    problem: str = ""


@dataclass(frozen=True)
class PeriodIkm:
    period_id: int
    #: Units that have responses, sorted by name.
    units: tuple[UnitIkm, ...]
    #: All answers pooled (not an average of the units' IKM), domain.md §3.2; None if undefined.
    overall: IkmResult | None
    overall_problem: str = ""

    @property
    def respondents(self) -> int:
        return sum(unit.respondents for unit in self.units)

    def for_unit(self, unit_id: int) -> UnitIkm | None:
        return next((unit for unit in self.units if unit.unit_id == unit_id), None)


def _period_id(period: SurveyPeriod | int) -> int:
    return period if isinstance(period, int) else period.pk


def ikm_for_period(
    period: SurveyPeriod | int, *, unit_ids: Iterable[int] | None = None
) -> PeriodIkm:
    """IKM of ``period`` per unit and overall; ``unit_ids`` limits both to those units.

    Two queries whatever the number of responses: the aggregate, and the units' names.
    """
    rows = SkmResponse.objects.filter(period_id=_period_id(period))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    grouped = {key[0]: totals for key, totals in grouped_totals(rows, "unit_id").items()}
    names = dict(Agency.objects.filter(pk__in=list(grouped)).values_list("pk", "name"))
    units = []
    for unit_id, totals in grouped.items():
        name = names.get(unit_id, str(unit_id))
        result, problem = totals.ikm(f"unit {name!r}")
        units.append(UnitIkm(unit_id, name, totals.respondents, result, problem))
    overall, problem = _pooled(grouped.values()).ikm("survey")
    units.sort(key=lambda unit: (unit.unit_name, unit.unit_id))
    return PeriodIkm(_period_id(period), tuple(units), overall, problem)


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class PeriodSummary:
    period: SurveyPeriod
    respondents: int
    units: int
    overall: IkmResult | None


def _scoped(rows: QuerySet[Any], access: SkmAccess, column: str = "unit_id") -> QuerySet[Any]:
    return rows if access.all_units else rows.filter(**{f"{column}__in": access.unit_ids})


def period_list(access: SkmAccess, *, published: bool = False) -> list[PeriodSummary]:
    """Every period (or only the published ones), newest first, with respondents and overall
    IKM of the units in scope. Two queries: the periods, and one aggregate grouped by period
    and unit."""
    periods = SurveyPeriod.objects.all()
    responses = _scoped(SkmResponse.objects.all(), access)
    if published:
        periods = periods.filter(published_at__isnull=False)
        responses = responses.filter(period__published_at__isnull=False)
    grouped = grouped_totals(responses, "period_id", "unit_id")
    per_period: dict[int, list[Totals]] = {}
    for (period_id, _unit_id), totals in grouped.items():
        per_period.setdefault(period_id, []).append(totals)
    out = []
    for period in periods:
        parts = per_period.get(period.pk, [])
        pooled = _pooled(parts)
        result, _problem = pooled.ikm("survey")
        out.append(PeriodSummary(period, pooled.respondents, len(parts), result))
    return out


def survey_target(
    period_id: int, unit_code: str, *, require_open: bool = True
) -> tuple[SurveyPeriod, Agency] | None:
    """The period and unit a citizen may answer the survey for, or None (closed or unknown).

    With ``require_open`` the period must be open and today within its dates (the same rule as
    ``services.response_submit``); the unit must be an active, internal service unit.
    """
    period = SurveyPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return None
    if require_open and not (
        period.is_open and period.starts_on <= timezone.localdate() <= period.ends_on
    ):
        return None
    unit = (
        Agency.objects.filter(code=unit_code, is_active=True)
        .exclude(kind=Agency.Kind.EXTERNAL)
        .first()
    )
    if unit is None:
        return None
    return period, unit


def period_for(access: SkmAccess, period_id: int) -> SurveyPeriod | None:
    """The period for an evaluator's page (every evaluator sees every period of the Pemda)."""
    if not access.may_evaluate:
        return None
    return SurveyPeriod.objects.filter(pk=period_id).first()


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class ProgressRow:
    unit_id: int
    code: str
    name: str
    #: Service recipients of the previous period (None: the unit has no target in this period).
    population: int | None
    collected: int

    @property
    def target(self) -> int | None:
        """Krejcie–Morgan sample for the population (domain.md §3.4)."""
        return sample_size(self.population) if self.population else None

    @property
    def percent(self) -> int | None:
        target = self.target
        return None if not target else int(Fraction(100 * self.collected, target))

    @property
    def bar(self) -> int:
        """The progress bar's width in percent (0–100)."""
        return min(self.percent or 0, 100)

    @property
    def reached(self) -> bool:
        target = self.target
        return target is not None and self.collected >= target


@dataclass(frozen=True)
class Progress:
    rows: tuple[ProgressRow, ...]
    checked_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def target(self) -> int:
        return sum(row.target or 0 for row in self.rows)

    @property
    def collected(self) -> int:
        return sum(row.collected for row in self.rows)

    @property
    def collected_towards_target(self) -> int:
        """Responses counted against the targets: a unit's surplus does not fill another's gap."""
        return sum(min(row.collected, row.target) for row in self.rows if row.target)

    @property
    def percent(self) -> int | None:
        target = self.target
        if not target:
            return None
        return int(Fraction(100 * self.collected_towards_target, target))

    @property
    def bar(self) -> int:
        return min(self.percent or 0, 100)

    @property
    def units_reached(self) -> int:
        return sum(1 for row in self.rows if row.reached)

    @property
    def units_with_target(self) -> int:
        return sum(1 for row in self.rows if row.target)


def progress(period: SurveyPeriod | int, access: SkmAccess) -> Progress:
    """Collected responses against each unit's sample target (units with a target or with
    responses), units without a target last. Three queries at most."""
    period_id = _period_id(period)
    populations = dict(
        _scoped(SurveyTarget.objects.filter(period_id=period_id), access).values_list(
            "unit_id", "population"
        )
    )
    counts = dict(
        _scoped(SkmResponse.objects.filter(period_id=period_id), access)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    ids = set(populations) | set(counts)
    units = Agency.objects.filter(pk__in=ids).values_list("pk", "code", "name") if ids else []
    rows = [
        ProgressRow(pk, code, name, populations.get(pk), counts.get(pk, 0))
        for pk, code, name in units
    ]
    rows.sort(key=lambda row: (row.population is None, row.name, row.unit_id))
    return Progress(tuple(rows))


def target_units(access: SkmAccess) -> QuerySet[Agency]:
    """Units an evaluator may set a target for: internal, active, in scope; by kind and name."""
    return units_in_scope(access).order_by("kind", "name")


def previous_populations(period: SurveyPeriod) -> dict[int, int]:
    """Each unit's population in the latest earlier period that had one (to prefill the form)."""
    rows = (
        SurveyTarget.objects.filter(period__starts_on__lt=period.starts_on)
        .order_by("unit_id", "-period__starts_on")
        .values_list("unit_id", "population")
    )
    out: dict[int, int] = {}
    for unit_id, population in rows:
        out.setdefault(unit_id, population)
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    code: str
    name: str
    totals: Totals
    result: IkmResult | None
    problem: str
    population: int | None
    #: Reporters' ratings (1–5) of this unit's complaints closed in the period (beside U9).
    ratings: Ratings

    @property
    def respondents(self) -> int:
        return self.totals.respondents

    @property
    def target(self) -> int | None:
        return sample_size(self.population) if self.population else None

    @property
    def weakest(self) -> tuple[ElementResult, ...]:
        return self.result.weakest(WEAKEST) if self.result else ()


@dataclass(frozen=True)
class TrendPoint:
    period_id: int
    name: str
    respondents: int
    result: IkmResult | None

    @property
    def value(self) -> Decimal | None:
        return self.result.rounded if self.result else None


@dataclass(frozen=True)
class UnitTrend:
    unit_id: int
    name: str
    #: One point per period of ``PeriodReport.trend``, in the same order.
    points: tuple[IkmResult | None, ...]


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int


@dataclass(frozen=True)
class ProfileGroup:
    title: str
    rows: tuple[ProfileRow, ...]


@dataclass(frozen=True)
class PeriodReport:
    """Everything an SKM report shows for one period: the results page and both exports."""

    period: SurveyPeriod
    units: tuple[UnitResult, ...]
    overall: IkmResult | None
    overall_problem: str
    ratings: Ratings
    profile: tuple[ProfileGroup, ...]
    #: This period and up to TREND_PERIODS - 1 before it, oldest first.
    trend: tuple[TrendPoint, ...]
    unit_trends: tuple[UnitTrend, ...]
    follow_ups: tuple[FollowUpAction, ...]
    channels: tuple[ProfileRow, ...]

    @property
    def respondents(self) -> int:
        return sum(unit.respondents for unit in self.units)

    @property
    def suggestions(self) -> int:
        return sum(unit.totals.suggestions for unit in self.units)

    @property
    def target(self) -> int:
        return sum(unit.target or 0 for unit in self.units)

    @property
    def weakest(self) -> tuple[ElementResult, ...]:
        return self.overall.weakest(WEAKEST) if self.overall else ()

    @property
    def follow_ups_done(self) -> int:
        return sum(1 for item in self.follow_ups if item.status == FollowUpAction.Status.DONE)

    def unit(self, unit_id: int) -> UnitResult | None:
        return next((unit for unit in self.units if unit.unit_id == unit_id), None)


#: The respondent profile of an SKM report: (field, its choices).
PROFILE: tuple[tuple[str, type[models.TextChoices]], ...] = (
    ("gender", SkmResponse.Gender),
    ("age_band", SkmResponse.AgeBand),
    ("education", SkmResponse.Education),
    ("occupation", SkmResponse.Occupation),
)


def _counts(rows: QuerySet[SkmResponse], name: str) -> dict[str, int]:
    return dict(rows.order_by().values(name).annotate(n=Count("id")).values_list(name, "n"))


def _profile(rows: QuerySet[SkmResponse]) -> tuple[ProfileGroup, ...]:
    """Respondents per answer of each profile question (one query per question)."""
    groups = []
    for name, choices in PROFILE:
        counts = _counts(rows, name)
        ordered = [
            ProfileRow(str(label), counts[value])
            for value, label in choices.choices
            if value in counts
        ]
        if counts.get(""):
            ordered.append(ProfileRow(_("tidak menjawab"), counts[""]))
        title = SkmResponse._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        groups.append(ProfileGroup(str(title), tuple(ordered)))
    return tuple(groups)


def _channels(rows: QuerySet[SkmResponse]) -> tuple[ProfileRow, ...]:
    counts = _counts(rows, "channel")
    return tuple(
        ProfileRow(str(label), counts[value])
        for value, label in SkmResponse.Channel.choices
        if value in counts
    )


def _trend_periods(period: SurveyPeriod) -> list[SurveyPeriod]:
    earlier = list(
        SurveyPeriod.objects.filter(starts_on__lt=period.starts_on, opened_at__isnull=False)
        .exclude(pk=period.pk)
        .order_by("-starts_on", "-pk")[: TREND_PERIODS - 1]
    )
    return [*reversed(earlier), period]


def period_report(
    period: SurveyPeriod,
    access: SkmAccess,
    *,
    unit_ids: Iterable[int] | None = None,
    follow_ups: bool = True,
) -> PeriodReport:
    """The SKM report of ``period`` for the units ``access`` covers (and ``unit_ids`` if given).

    A constant number of queries whatever the number of responses, units or periods.
    """
    rows = _scoped(SkmResponse.objects.filter(period_id=period.pk), access)
    targets = _scoped(SurveyTarget.objects.filter(period_id=period.pk), access)
    if unit_ids is not None:
        wanted = list(unit_ids)
        rows = rows.filter(unit_id__in=wanted)
        targets = targets.filter(unit_id__in=wanted)
    populations = dict(targets.values_list("unit_id", "population"))

    trend_periods = _trend_periods(period)
    trend_rows = _scoped(
        SkmResponse.objects.filter(period_id__in=[p.pk for p in trend_periods]), access
    )
    if unit_ids is not None:
        trend_rows = trend_rows.filter(unit_id__in=wanted)
    by_period_unit = grouped_totals(trend_rows, "period_id", "unit_id")
    grouped = {
        unit_id: totals
        for (period_id, unit_id), totals in by_period_unit.items()
        if period_id == period.pk
    }
    ids = set(grouped) | set(populations)
    trend_ids = {unit_id for _period, unit_id in by_period_unit}
    agencies = {
        pk: (code, name)
        for pk, code, name in Agency.objects.filter(pk__in=ids | trend_ids).values_list(
            "pk", "code", "name"
        )
    }
    ratings = closed_ratings(start=period.starts_on, end=period.ends_on, agency_ids=ids)

    units = []
    for unit_id in ids:
        code, name = agencies.get(unit_id, ("", str(unit_id)))
        totals = grouped.get(unit_id, Totals())
        result, problem = totals.ikm(f"unit {name!r}") if totals.respondents else (None, "")
        units.append(
            UnitResult(
                unit_id,
                code,
                name,
                totals,
                result,
                problem,
                populations.get(unit_id),
                ratings.get(unit_id, Ratings()),
            )
        )
    units.sort(key=lambda unit: (unit.name, unit.unit_id))
    overall, overall_problem = _pooled(grouped.values()).ikm("survey")

    trend = []
    for p in trend_periods:
        pooled = _pooled(t for (pid, _u), t in by_period_unit.items() if pid == p.pk)
        result, _problem = pooled.ikm("survey")
        trend.append(TrendPoint(p.pk, p.name, pooled.respondents, result))
    unit_trends = []
    for unit_id in sorted(trend_ids, key=lambda pk: (agencies.get(pk, ("", ""))[1], pk)):
        points = []
        for p in trend_periods:
            found = by_period_unit.get((p.pk, unit_id))
            points.append(found.ikm("unit")[0] if found else None)
        unit_trends.append(UnitTrend(unit_id, agencies.get(unit_id, ("", ""))[1], tuple(points)))

    actions: tuple[FollowUpAction, ...] = ()
    if follow_ups:
        actions = tuple(follow_up_list(period, access, unit_ids=unit_ids))
    return PeriodReport(
        period=period,
        units=tuple(units),
        overall=overall,
        overall_problem=overall_problem,
        ratings=sum((unit.ratings for unit in units), Ratings()),
        profile=_profile(rows),
        trend=tuple(trend),
        unit_trends=tuple(unit_trends),
        follow_ups=actions,
        channels=_channels(rows),
    )


def suggestions(
    period: SurveyPeriod, access: SkmAccess, *, unit_id: int | None = None
) -> QuerySet[SkmResponse]:
    """Responses with a written suggestion, newest first (for paging)."""
    rows = _scoped(SkmResponse.objects.filter(period_id=period.pk), access).exclude(suggestion="")
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return (
        rows.select_related("unit")
        .only("pk", "suggestion", "submitted_at", "channel", "unit__name", "unit__code")
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class FrequentSuggestion:
    unit: str
    text: str
    count: int


def frequent_suggestions(
    period: SurveyPeriod, access: SkmAccess, *, limit: int
) -> list[FrequentSuggestion]:
    """The suggestions written most often (same text, same unit), then the most recent: the
    summary an SKM report quotes. One grouped query."""
    rows = (
        _scoped(SkmResponse.objects.filter(period_id=period.pk), access)
        .exclude(suggestion="")
        .order_by()
        .values("unit__name", "suggestion")
        .annotate(n=Count("id"), last=Max("submitted_at"))
        .order_by("-n", "-last", "unit__name")[:limit]
    )
    return [FrequentSuggestion(row["unit__name"], row["suggestion"], row["n"]) for row in rows]


def follow_up_list(
    period: SurveyPeriod | int, access: SkmAccess, *, unit_ids: Iterable[int] | None = None
) -> QuerySet[FollowUpAction]:
    rows = _scoped(FollowUpAction.objects.filter(period_id=_period_id(period)), access)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    return rows.select_related("unit").order_by("status", "due_on", "pk")


def follow_up_for(access: SkmAccess, follow_up_id: int) -> FollowUpAction | None:
    item = FollowUpAction.objects.select_related("unit", "period").filter(pk=follow_up_id).first()
    if item is None or not access.covers(item.unit_id):
        return None
    return item


# --------------------------------------------------------------------------- published results


def published_periods() -> QuerySet[SurveyPeriod]:
    return SurveyPeriod.objects.filter(published_at__isnull=False).order_by("-starts_on", "-pk")


def published_report(period_id: int) -> PeriodReport | None:
    """The report of a published period as the citizen portal shows it (every unit)."""
    period = published_periods().filter(pk=period_id).first()
    if period is None:
        return None
    return period_report(period, SkmAccess(manages_periods=True))


# --------------------------------------------------------------------------- for other apps


@dataclass(frozen=True)
class SkmStatus:
    """Whether a unit ran and published an SKM in a year, and its follow-up (PEKPPP asks)."""

    unit_id: int
    year: int
    #: Periods ending in ``year`` in which the unit has responses.
    periods: int
    respondents: int
    #: At least one of those periods is published.
    published: bool
    #: IKM over every response of the unit in those periods (pooled, domain.md §3.2).
    ikm: IkmResult | None
    follow_ups: int
    follow_ups_done: int
    #: Done on or before their due date.
    follow_ups_done_on_time: int

    @property
    def surveyed(self) -> bool:
        return self.respondents > 0

    @property
    def follow_up_share(self) -> Fraction | None:
        """Done ÷ recorded (None when nothing was recorded)."""
        return Fraction(self.follow_ups_done, self.follow_ups) if self.follow_ups else None


def skm_status(unit_id: int, year: int) -> SkmStatus:
    """SKM of ``unit_id`` in periods ending in ``year``: two queries."""
    rows = SkmResponse.objects.filter(unit_id=unit_id, period__ends_on__year=year)
    by_period = grouped_totals(rows, "period_id", "period__published_at")
    pooled = _pooled(by_period.values())
    result = pooled.ikm("unit")[0] if pooled.respondents else None
    actions = FollowUpAction.objects.filter(unit_id=unit_id, period__ends_on__year=year).aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(status=FollowUpAction.Status.DONE)),
        on_time=Count(
            "id",
            filter=Q(status=FollowUpAction.Status.DONE, done_on__lte=F("due_on")),
        ),
    )
    return SkmStatus(
        unit_id=unit_id,
        year=year,
        periods=len(by_period),
        respondents=pooled.respondents,
        published=any(published is not None for _pid, published in by_period),
        ikm=result,
        follow_ups=actions["n"],
        follow_ups_done=actions["done"],
        follow_ups_done_on_time=actions["on_time"],
    )
