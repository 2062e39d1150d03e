"""Ombudsman readiness: an ESTIMATE of where a unit would stand in the Ombudsman's assessment.

Pure Python, no Django. The Ombudsman assesses four dimensions (domain.md §2.2, 2022/2023):
Input 21.85 % (kompetensi pelaksana, sarana prasarana), Proses 32.37 % (pemenuhan standar
pelayanan), Output 24.24 % (users' perception of maladministration) and Pengaduan 21.54 %
(pengelolaan pengaduan). Its indicators and their weights are not in domain.md, so this is a
checklist of what the system itself can see, not the Ombudsman's instrument:

* each item is a share from 0 to 1, or None when the system cannot measure it for this unit;
* a dimension's score is the mean of its measured items (equal weights: a default);
* the estimate is 100 × Σ weight × score over the measured dimensions ÷ their total weight;
  ``coverage`` says how much of the assessment's weight that is (Output is never measured);
* the zone and category are those of domain.md §2 for the year (``ombudsman_category``).

The result is labelled an estimate everywhere it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Final

from satupintu.domain.indices.bands import Grade
from satupintu.domain.indices.ombudsman import ombudsman_category

__all__ = [
    "DIMENSION_WEIGHTS",
    "Dimension",
    "DimensionScore",
    "Item",
    "Readiness",
    "UnitFacts",
    "pemda_readiness",
    "unit_readiness",
]


class Dimension(StrEnum):
    INPUT = "input"
    PROCESS = "process"
    OUTPUT = "output"
    COMPLAINTS = "complaints"


#: domain.md §2.2 (2022/2023): Input 21.85 %, Proses 32.37 %, Output 24.24 %, Pengaduan 21.54 %.
DIMENSION_WEIGHTS: Final[Mapping[Dimension, Fraction]] = {
    Dimension.INPUT: Fraction("21.85"),
    Dimension.PROCESS: Fraction("32.37"),
    Dimension.OUTPUT: Fraction("24.24"),
    Dimension.COMPLAINTS: Fraction("21.54"),
}


@dataclass(frozen=True)
class UnitFacts:
    """What the catalogue and the complaint indicators know about one unit."""

    #: Active services in the catalogue, those published, and those published with all 14
    #: components (UU 25/2009 Art. 21).
    services: int
    published: int
    published_complete: int = 0
    #: Published services that are stipulated by decree and were reviewed in the last 12 months.
    published_stipulated_reviewed: int = 0
    #: component key -> how many published services have it filled.
    published_with: Mapping[str, int] = field(default_factory=dict)
    maklumat: bool = False
    #: Complaint indicators of the unit's agency (None: nothing to measure yet).
    followup_on_time: Fraction | None = None
    overdue: Fraction | None = None
    #: Some officer of the agency signed in or acted within 30 days (None: it has no officers).
    officers_active: bool | None = None
    #: Mean reporter rating, 1–5 (None: no rating yet).
    rating: Fraction | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.published <= self.services:
            raise ValueError("published must be between 0 and services")
        counts = (self.published_complete, self.published_stipulated_reviewed)
        if any(not 0 <= n <= self.published for n in (*counts, *self.published_with.values())):
            raise ValueError("counts of published services must be between 0 and published")


@dataclass(frozen=True)
class Item:
    code: str
    dimension: Dimension
    #: 0–1, or None when the system cannot measure it for this unit.
    value: Fraction | None


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    weight: Fraction
    #: Mean of the measured items (0–1), or None when none is measured.
    score: Fraction | None


@dataclass(frozen=True)
class Readiness:
    items: tuple[Item, ...]
    dimensions: tuple[DimensionScore, ...]
    #: The estimate on 0–100, or None when nothing is measured.
    score: Fraction | None
    #: Share (0–1) of the assessment's weight that the estimate covers.
    coverage: Fraction
    #: Zone and category of the estimate for the year (domain.md §2), or None.
    grade: Grade | None


def _part(count: int, whole: int) -> Fraction:
    """A share where "nothing published" counts as nothing shown to the public (0)."""
    return Fraction(count, whole) if whole else Fraction(0)


def _items(facts: UnitFacts) -> tuple[Item, ...]:
    pub = facts.published

    def with_component(key: str) -> Fraction:
        return _part(facts.published_with.get(key, 0), pub)

    rating = None if facts.rating is None else (facts.rating - 1) / 4
    completed = None if facts.overdue is None else 1 - facts.overdue
    active = None if facts.officers_active is None else Fraction(int(facts.officers_active))
    p, i, c = Dimension.PROCESS, Dimension.INPUT, Dimension.COMPLAINTS
    return (
        Item("standard_published", p, Fraction(int(pub > 0))),
        Item("services_published", p, _part(pub, facts.services)),
        Item("components_complete", p, _part(facts.published_complete, pub)),
        Item("maklumat", p, Fraction(int(facts.maklumat))),
        Item("stipulated_reviewed", p, _part(facts.published_stipulated_reviewed, pub)),
        Item("competence", i, with_component("competence")),
        Item("facilities", i, with_component("facilities")),
        Item("staff_count", i, with_component("staff_count")),
        Item("complaint_channel", c, with_component("complaint_handling")),
        Item("followup_on_time", c, facts.followup_on_time),
        Item("completed_in_time", c, completed),
        Item("officers_active", c, active),
        Item("rating", c, rating),
    )


def _estimate(
    dimensions: Iterable[DimensionScore], year: int
) -> tuple[Fraction | None, Fraction, Grade | None]:
    measured = [d for d in dimensions if d.score is not None]
    weight = sum((d.weight for d in measured), Fraction(0))
    coverage = weight / sum(DIMENSION_WEIGHTS.values(), Fraction(0))
    if not measured:
        return None, coverage, None
    score = 100 * sum((d.weight * d.score for d in measured if d.score is not None), Fraction(0))
    score /= weight
    return score, coverage, ombudsman_category(score, year=year)


def unit_readiness(facts: UnitFacts, *, year: int) -> Readiness:
    """The checklist of one unit and its estimated score, zone and category for ``year``."""
    items = _items(facts)
    dimensions = []
    for dimension, weight in DIMENSION_WEIGHTS.items():
        values = [i.value for i in items if i.dimension is dimension and i.value is not None]
        score = sum(values, Fraction(0)) / len(values) if values else None
        dimensions.append(DimensionScore(dimension, weight, score))
    score, coverage, grade = _estimate(dimensions, year)
    return Readiness(items, tuple(dimensions), score, coverage, grade)


def pemda_readiness(
    units: Iterable[Readiness], *, year: int
) -> tuple[Fraction | None, Grade | None]:
    """The Pemda's estimate: the mean of its units' estimates (a default), with its grade."""
    scores = [u.score for u in units if u.score is not None]
    if not scores:
        return None, None
    score = sum(scores, Fraction(0)) / len(scores)
    return score, ombudsman_category(score, year=year)
