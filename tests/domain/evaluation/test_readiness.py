"""The Ombudsman readiness estimate (domain.md §2)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from satupintu.domain.evaluation.readiness import (
    DIMENSION_WEIGHTS,
    Dimension,
    UnitFacts,
    pemda_readiness,
    unit_readiness,
)

PERFECT = UnitFacts(
    services=2,
    published=2,
    published_complete=2,
    published_stipulated_reviewed=2,
    published_with={"competence": 2, "facilities": 2, "staff_count": 2, "complaint_handling": 2},
    maklumat=True,
    followup_on_time=Fraction(1),
    overdue=Fraction(0),
    officers_active=True,
    rating=Fraction(5),
)


def test_weights_are_those_of_2022_2023() -> None:
    # domain.md §2.2: 21.85 + 32.37 + 24.24 + 21.54 = 100.
    assert sum(DIMENSION_WEIGHTS.values()) == 100
    assert DIMENSION_WEIGHTS[Dimension.PROCESS] == Fraction("32.37")


def test_a_unit_that_does_everything_the_system_sees() -> None:
    result = unit_readiness(PERFECT, year=2024)
    assert result.score == 100
    # Output (users' perception of maladministration) is never measured by the system.
    assert result.coverage == Fraction("75.76") / 100
    output = next(d for d in result.dimensions if d.dimension is Dimension.OUTPUT)
    assert output.score is None
    assert result.grade is not None
    assert (result.grade.code, result.grade.zone) == ("A", "hijau")


def test_a_unit_without_anything_published_and_no_reports() -> None:
    result = unit_readiness(UnitFacts(services=3, published=0), year=2021)
    complaints = next(d for d in result.dimensions if d.dimension is Dimension.COMPLAINTS)
    # Only the published complaint channel is measurable: 0; the rest is unknown.
    assert complaints.score == 0
    assert result.score == 0
    assert result.grade is not None and result.grade.zone == "merah"


def test_hand_computed_estimate() -> None:
    facts = UnitFacts(
        services=4,
        published=2,
        published_complete=1,
        published_stipulated_reviewed=0,
        published_with={
            "competence": 2,
            "facilities": 1,
            "staff_count": 0,
            "complaint_handling": 2,
        },
        maklumat=False,
        followup_on_time=Fraction(3, 4),
        overdue=Fraction(1, 4),
        officers_active=None,
        rating=None,
    )
    result = unit_readiness(facts, year=2023)
    scores = {d.dimension: d.score for d in result.dimensions}
    # Proses: published 1, share 1/2, complete 1/2, maklumat 0, stipulated 0 -> 2/5.
    assert scores[Dimension.PROCESS] == Fraction(2, 5)
    # Input: competence 1, facilities 1/2, staff 0 -> 1/2.
    assert scores[Dimension.INPUT] == Fraction(1, 2)
    # Pengaduan: channel 1, on time 3/4, in time 3/4 (officers, rating unknown) -> 5/6.
    assert scores[Dimension.COMPLAINTS] == Fraction(5, 6)
    expected = (
        100
        * (Fraction("32.37") * Fraction(2, 5) + Fraction("21.85") / 2 + Fraction("21.54") * 5 / 6)
        / Fraction("75.76")
    )
    assert result.score == expected
    assert result.grade is not None and result.grade.code == "C"  # 54.69 -> kuning


def test_inconsistent_facts_are_refused() -> None:
    with pytest.raises(ValueError, match="published"):
        UnitFacts(services=1, published=2)
    with pytest.raises(ValueError, match="counts of published"):
        UnitFacts(services=2, published=1, published_with={"competence": 2})


def test_pemda_estimate_is_the_mean_of_its_units() -> None:
    perfect = unit_readiness(PERFECT, year=2024)
    empty = unit_readiness(UnitFacts(services=1, published=0), year=2024)
    score, grade = pemda_readiness([perfect, empty], year=2024)
    assert score == 50
    assert grade is not None and grade.code == "D"
    assert pemda_readiness([], year=2024) == (None, None)
