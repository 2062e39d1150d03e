"""Reads for the evaluation pages: the PEKPPP worksheet with its computed index, the overview of
every unit with its Ombudsman readiness estimate, and the stored complaint indicators.

Every page runs a fixed number of queries whatever the number of units, services or reports:
the index is computed in Python from a worksheet's few score rows (domain.indices.pekppp), the
complaint indicators are read from ``ComplaintSnapshot`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from satupintu.agencies import calendar as workcal
from satupintu.agencies.access import access_for
from satupintu.agencies.models import Agency
from satupintu.catalogue.models import Service
from satupintu.catalogue.selectors import CatalogueFacts, catalogue_facts
from satupintu.core.errors import NotFound
from satupintu.domain.evaluation.prefill import UnitData, suggest
from satupintu.domain.evaluation.readiness import Readiness, pemda_readiness
from satupintu.domain.indices import (
    Aspect,
    Grade,
    Indicator,
    Instrument,
    PekpppResult,
    pekppp_index,
)
from satupintu.evaluation.facts import readiness_of, unit_data
from satupintu.evaluation.models import (
    ComplaintSnapshot,
    PekpppAspect,
    PekpppEvidence,
    PekpppIndicator,
    PekpppScore,
    PekpppWorksheet,
)
from satupintu.evaluation.policies import (
    agency_scope,
    evaluation_units,
    may_evaluate,
    unit_for,
)


def _fraction(percent: Decimal) -> Fraction:
    return Fraction(percent) / 100


def to_domain(instrument_name: str, aspects: list[PekpppAspect]) -> Instrument:
    """The instrument as domain.indices.pekppp checks it (ValueError when weights are off)."""
    return Instrument(
        name=instrument_name,
        source="",
        aspects=tuple(
            Aspect(
                a.code,
                a.name,
                _fraction(a.weight),
                tuple(
                    Indicator(i.code, i.name, _fraction(i.weight))
                    for i in a.indicators.all()  # prefetched
                ),
            )
            for a in aspects
        ),
    )


def _aspects(instrument_ids: set[int]) -> dict[int, list[PekpppAspect]]:
    """Aspects with their indicators (prefetched), per instrument: two queries."""
    out: dict[int, list[PekpppAspect]] = defaultdict(list)
    for aspect in (
        PekpppAspect.objects.filter(instrument_id__in=instrument_ids)
        .select_related("instrument")
        .prefetch_related("indicators")
        .order_by("position", "pk")
    ):
        out[aspect.instrument_id].append(aspect)
    return out


@dataclass
class Computed:
    result: PekpppResult | None
    scored: int
    total: int
    #: Why there is no index (the instrument's weights do not total 100 %), else "".
    problem: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.scored == self.total


def compute(
    instrument_name: str, aspects: list[PekpppAspect], scores: dict[int, Decimal | None]
) -> Computed:
    """The index of a worksheet; unscored indicators count as 0 (a provisional index)."""
    indicators = [i for a in aspects for i in a.indicators.all()]
    scored = sum(scores.get(i.pk) is not None for i in indicators)
    try:
        instrument = to_domain(instrument_name, aspects)
    except ValueError as exc:
        return Computed(None, scored, len(indicators), problem=str(exc))
    values = {i.code: scores.get(i.pk) or Decimal(0) for i in indicators}
    return Computed(pekppp_index(values, instrument), scored, len(indicators))


# --------------------------------------------------------------------------- worksheet page


@dataclass
class Line:
    indicator: PekpppIndicator
    score: PekpppScore | None
    suggestion: int | None
    evidence: list[PekpppEvidence] = field(default_factory=list)


@dataclass
class Block:
    aspect: PekpppAspect
    lines: list[Line]
    score: Fraction | None = None
    contribution: Fraction | None = None


@dataclass
class WorksheetPage:
    unit: Agency
    year: int
    worksheet: PekpppWorksheet | None
    blocks: list[Block]
    computed: Computed | None
    data: UnitData
    may_edit: bool


def worksheet_page(user: Any, code: str, year: int) -> WorksheetPage:
    unit = unit_for(user, code)
    may_edit = may_evaluate(access_for(user), unit.pk)
    data = unit_data(unit.pk, year, today=workcal.today())
    worksheet = (
        PekpppWorksheet.objects.filter(unit=unit, year=year)
        .select_related("instrument", "updated_by")
        .first()
    )
    if worksheet is None:
        return WorksheetPage(unit, year, None, [], None, data, may_edit)
    aspects = _aspects({worksheet.instrument_id})[worksheet.instrument_id]
    rows = {row.indicator_id: row for row in PekpppScore.objects.filter(worksheet=worksheet)}
    evidence: dict[int, list[PekpppEvidence]] = defaultdict(list)
    for item in PekpppEvidence.objects.filter(worksheet=worksheet).select_related("uploaded_by"):
        evidence[item.indicator_id].append(item)
    computed = compute(
        worksheet.instrument.name,
        aspects,
        {pk: row.score for pk, row in rows.items()},
    )
    results = {a.code: a for a in computed.result.aspects} if computed.result else {}
    blocks = []
    for aspect in aspects:
        lines = [
            Line(
                indicator=i,
                score=rows.get(i.pk),
                suggestion=suggest(i.prefill, data) if i.prefill else None,
                evidence=evidence.get(i.pk, []),
            )
            for i in aspect.indicators.all()
        ]
        found = results.get(aspect.code)
        blocks.append(
            Block(
                aspect,
                lines,
                found.score if found else None,
                found.contribution if found else None,
            )
        )
    return WorksheetPage(unit, year, worksheet, blocks, computed, data, may_edit)


def evidence_for(user: Any, code: str, year: int, evidence_id: int) -> PekpppEvidence:
    unit = unit_for(user, code)
    found = PekpppEvidence.objects.filter(
        pk=evidence_id, worksheet__unit=unit, worksheet__year=year
    ).first()
    if found is None:
        raise NotFound(_("Bukti dukung tidak ditemukan."))
    return found


# --------------------------------------------------------------------------- overview


@dataclass
class UnitRow:
    unit: Agency
    catalogue: CatalogueFacts
    #: None for a unit without services in the catalogue (not assessed).
    readiness: Readiness | None
    worksheet: PekpppWorksheet | None = None
    computed: Computed | None = None


@dataclass
class Overview:
    year: int
    #: Units with services in the catalogue or a worksheet this year.
    rows: list[UnitRow]
    #: Units with neither yet.
    others: list[Agency]
    pemda_score: Fraction | None
    pemda_grade: Grade | None
    snapshot_at: dt.datetime | None


def overview(user: Any, year: int) -> Overview:
    units = list(evaluation_units(user).select_related("parent").order_by("name"))
    ids = [u.pk for u in units]
    today = workcal.today()
    facts = catalogue_facts(ids, today=today)
    snapshots = {
        s.agency_id: s for s in ComplaintSnapshot.objects.filter(year=year, agency_id__in=ids)
    }
    worksheets = {
        w.unit_id: w
        for w in PekpppWorksheet.objects.filter(year=year, unit_id__in=ids).select_related(
            "instrument"
        )
    }
    scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for worksheet_id, indicator_id, score in PekpppScore.objects.filter(
        worksheet__in=list(worksheets.values())
    ).values_list("worksheet_id", "indicator_id", "score"):
        scores[worksheet_id][indicator_id] = score
    aspects = _aspects({w.instrument_id for w in worksheets.values()})
    rows = []
    for unit in units:
        catalogue = facts[unit.pk]
        readiness = (
            readiness_of(catalogue, snapshots.get(unit.pk), year=year)
            if catalogue.services
            else None
        )
        row = UnitRow(unit, catalogue, readiness)
        worksheet = worksheets.get(unit.pk)
        if worksheet is not None:
            row.worksheet = worksheet
            row.computed = compute(
                worksheet.instrument.name,
                aspects[worksheet.instrument_id],
                scores[worksheet.pk],
            )
        rows.append(row)
    pemda, grade = pemda_readiness((r.readiness for r in rows if r.readiness), year=year)
    latest = ComplaintSnapshot.objects.filter(year=year).order_by("-computed_at").first()
    assessed = [r for r in rows if r.readiness or r.worksheet]
    others = [r.unit for r in rows if not (r.readiness or r.worksheet)]
    return Overview(year, assessed, others, pemda, grade, latest.computed_at if latest else None)


# --------------------------------------------------------------------------- readiness


@dataclass
class ReadinessPage:
    unit: Agency
    year: int
    readiness: Readiness
    catalogue: CatalogueFacts
    snapshot: ComplaintSnapshot | None
    services: list[Service]


def readiness_page(user: Any, code: str, year: int) -> ReadinessPage:
    unit = unit_for(user, code)
    catalogue = catalogue_facts([unit.pk], today=workcal.today())[unit.pk]
    snapshot = ComplaintSnapshot.objects.filter(year=year, agency=unit).first()
    services = list(
        Service.objects.filter(unit=unit, is_active=True)
        .only("pk", "unit", "code", "name", "is_published", "filled_count")
        .order_by("name")
    )
    return ReadinessPage(
        unit, year, readiness_of(catalogue, snapshot, year=year), catalogue, snapshot, services
    )


# --------------------------------------------------------------------------- complaint indicators


@dataclass
class IndicatorTable:
    year: int
    #: Agencies that received a disposisi or a rating in the year.
    rows: list[ComplaintSnapshot]
    #: Agencies with nothing to count this year.
    idle: int
    total: ComplaintSnapshot | None
    computed_at: dt.datetime | None


def complaint_indicators(user: Any, year: int) -> IndicatorTable:
    """The stored rows of the year, busiest agencies first."""
    scope = agency_scope(user)
    rows: QuerySet[ComplaintSnapshot] = ComplaintSnapshot.objects.filter(year=year).select_related(
        "agency"
    )
    if scope is not None:
        rows = rows.filter(agency_id__in=scope)
    found = list(rows.order_by("-hops", "agency__name"))
    total = next((r for r in found if r.agency_id is None), None)
    agencies = [r for r in found if r.agency is not None]
    active = [r for r in agencies if r.hops or r.ratings]
    computed = max((r.computed_at for r in found), default=None)
    return IndicatorTable(year, active, len(agencies) - len(active), total, computed)
