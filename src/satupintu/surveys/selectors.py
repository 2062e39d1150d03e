"""Reads for the SKM: the IKM of a period per unit and overall, aggregated in the database.

One aggregate query grouped by unit returns, per unsur, the SUM of the scores and the COUNT of
respondents who answered it (COUNT(column) skips NULL = blank); a second query names the units.
The arithmetic that turns those totals into NRR, IKM and mutu is domain.md §3.2–§3.3, done
exactly as ``domain.indices.ikm`` does it (Fractions, weights exactly 1/9, ``ikm_category``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from satupintu.agencies.models import Agency
from satupintu.domain.indices import IkmResult, ikm_from_totals
from satupintu.surveys.models import ANSWER_FIELDS, SkmResponse, SurveyPeriod

IKM_FACTOR = 25  # domain.md §3.2: IKM = NRR tertimbang × 25


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


def _aggregates() -> dict[str, Any]:
    fields: dict[str, Any] = {"n": Count("id")}
    for field in ANSWER_FIELDS:
        fields[f"{field}_sum"] = Sum(field)
        fields[f"{field}_count"] = Count(field)  # COUNT(column): NULL (blank) is not counted
    return fields


def _try(
    respondents: int, answered: list[int], totals: list[int], where: str
) -> tuple[IkmResult | None, str]:
    try:
        return ikm_from_totals(respondents, answered, totals, where=where), ""
    except ValueError as exc:
        return None, str(exc)


def ikm_for_period(
    period: SurveyPeriod | int, *, unit_ids: Iterable[int] | None = None
) -> PeriodIkm:
    """IKM of ``period`` per unit and overall; ``unit_ids`` limits both to those units.

    Two queries whatever the number of responses: the aggregate, and the units' names.
    """
    period_id = period if isinstance(period, int) else period.pk
    rows = SkmResponse.objects.filter(period_id=period_id)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    grouped = list(rows.order_by().values("unit_id").annotate(**_aggregates()))
    names = dict(
        Agency.objects.filter(pk__in=[row["unit_id"] for row in grouped]).values_list("pk", "name")
    )
    pooled_answered = [0] * len(ANSWER_FIELDS)
    pooled_totals = [0] * len(ANSWER_FIELDS)
    pooled_n = 0
    units = []
    for row in grouped:
        answered = [int(row[f"{field}_count"]) for field in ANSWER_FIELDS]
        totals = [int(row[f"{field}_sum"] or 0) for field in ANSWER_FIELDS]
        name = names.get(row["unit_id"], str(row["unit_id"]))
        result, problem = _try(row["n"], answered, totals, f"unit {name!r}")
        units.append(UnitIkm(row["unit_id"], name, row["n"], result, problem))
        pooled_n += row["n"]
        for index in range(len(ANSWER_FIELDS)):
            pooled_answered[index] += answered[index]
            pooled_totals[index] += totals[index]
    overall, problem = _try(pooled_n, pooled_answered, pooled_totals, "survey")
    units.sort(key=lambda unit: (unit.unit_name, unit.unit_id))
    return PeriodIkm(period_id, tuple(units), overall, problem)


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
