"""Ombudsman compliance zone / opinion by assessment year (domain.md §2.1–§2.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.indices import (
    OMBUDSMAN_2021,
    OMBUDSMAN_2022,
    OMBUDSMAN_2025,
    ombudsman_category,
    ombudsman_scheme,
)


def test_depok_2021() -> None:
    # Reported: Kota Depok 2021, 70.07 -> zona kuning.
    grade = ombudsman_category(70.07, year=2021)
    assert (grade.zone, grade.label, grade.code) == ("kuning", "Kepatuhan Sedang", "kuning")
    assert grade.source == "domain.md §2.1"
    assert grade.confirmed


def test_depok_2022() -> None:
    # Reported: Kota Depok 2022, 94.74 -> Kualitas Tertinggi, zona hijau (kategori A).
    grade = ombudsman_category(94.74, year=2022)
    assert (grade.code, grade.label, grade.zone) == ("A", "Kualitas Tertinggi", "hijau")
    assert grade.confirmed


def test_bogor_one_point_short_of_a() -> None:
    # domain.md §2.2 [S31]: Bogor 87.05 was "0.95 short of A" (88.00).
    assert ombudsman_category(87.05, year=2023).code == "B"
    assert ombudsman_category(87.05 + 0.95, year=2023).code == "A"


@pytest.mark.parametrize(
    ("score", "code", "label", "zone"),
    [
        ("100", "A", "Kualitas Tertinggi", "hijau"),
        ("88.00", "A", "Kualitas Tertinggi", "hijau"),
        ("87.99", "B", "Kualitas Tinggi", "hijau"),
        ("78.00", "B", "Kualitas Tinggi", "hijau"),
        ("77.99", "C", "Kualitas Sedang", "kuning"),
        ("54.00", "C", "Kualitas Sedang", "kuning"),
        ("53.99", "D", "Kualitas Rendah", "merah"),
        ("32.00", "D", "Kualitas Rendah", "merah"),
        ("31.99", "E", "Kualitas Terendah", "merah"),
        ("0", "E", "Kualitas Terendah", "merah"),
        ("87.995", "A", "Kualitas Tertinggi", "hijau"),  # rounds to 88.00
    ],
)
@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_opini_2022_2024_boundaries(
    score: str, code: str, label: str, zone: str, year: int
) -> None:
    grade = ombudsman_category(Decimal(score), year=year)
    assert (grade.code, grade.label, grade.zone) == (code, label, zone)


@pytest.mark.parametrize(
    ("score", "zone", "label"),
    [
        ("100", "hijau", "Kepatuhan Tinggi"),
        ("81.00", "hijau", "Kepatuhan Tinggi"),
        ("80.99", "kuning", "Kepatuhan Sedang"),
        ("51.00", "kuning", "Kepatuhan Sedang"),
        ("50.99", "merah", "Kepatuhan Rendah"),
        ("0", "merah", "Kepatuhan Rendah"),
    ],
)
@pytest.mark.parametrize("year", [2019, 2021])
def test_zones_up_to_2021(score: str, zone: str, label: str, year: int) -> None:
    grade = ombudsman_category(Decimal(score), year=year)
    assert (grade.zone, grade.label) == (zone, label)


@pytest.mark.parametrize(
    ("score", "code", "zone"),
    [
        ("88.00", "A", "hijau"),
        ("87.99", "B", "hijau"),
        ("78.00", "B", "hijau"),
        ("77.99", "C", "kuning"),
        ("54.00", "C", "kuning"),
        ("53.99", "D", "merah"),
        ("32.00", "D", "merah"),
        ("31.99", "E", "hitam"),
        ("0", "E", "hitam"),
    ],
)
def test_opini_from_2025(score: str, code: str, zone: str) -> None:
    grade = ombudsman_category(Decimal(score), year=2025)
    assert (grade.code, grade.zone) == (code, zone)
    assert "UNCONFIRMED" in grade.unconfirmed  # domain.md §2.3: full rules UNCONFIRMED


def test_2025_top_opinion() -> None:
    grade = ombudsman_category(95, year=2026)
    assert grade.label == "Kualitas Tertinggi Tanpa Maladministrasi"
    assert grade.source == "domain.md §2.3"


def test_unconfirmed_marks() -> None:
    # domain.md §9 item 6: the 2022-2024 range of E comes from the 2025 scheme.
    assert "range UNCONFIRMED" in ombudsman_category(10, year=2023).unconfirmed
    assert ombudsman_category(40, year=2023).confirmed
    assert "label UNCONFIRMED" in ombudsman_category(80, year=2025).unconfirmed


@pytest.mark.parametrize(
    ("year", "scheme"),
    [
        (2015, OMBUDSMAN_2021),
        (2021, OMBUDSMAN_2021),
        (2022, OMBUDSMAN_2022),
        (2024, OMBUDSMAN_2022),
        (2025, OMBUDSMAN_2025),
        (2030, OMBUDSMAN_2025),
    ],
)
def test_scheme_by_year(year: int, scheme: object) -> None:
    assert ombudsman_scheme(year) is scheme


def test_year_is_required() -> None:
    with pytest.raises(TypeError, match="year"):
        ombudsman_category(70.07)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="year must be a whole number"):
        ombudsman_category(70.07, year="2021")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="year must be a whole number"):
        ombudsman_category(70.07, year=True)
    with pytest.raises(TypeError, match="year must be a whole number"):
        ombudsman_category(70.07, year=2021.0, scheme=OMBUDSMAN_2022)  # type: ignore[arg-type]


def test_explicit_scheme() -> None:
    assert ombudsman_category(85, year=2021, scheme=OMBUDSMAN_2022).code == "B"


@pytest.mark.parametrize("score", [-0.01, 100.01, 150])
def test_out_of_range(score: float) -> None:
    with pytest.raises(ValueError, match=r"Ombudsman score \(2023\) must be between 0 and 100"):
        ombudsman_category(score, year=2023)


@given(
    a=st.decimals(min_value=0, max_value=100, places=3),
    b=st.decimals(min_value=0, max_value=100, places=3),
    year=st.integers(min_value=2015, max_value=2030),
)
def test_monotonic(a: Decimal, b: Decimal, year: int) -> None:
    low, high = sorted((a, b))
    rank = ombudsman_scheme(year).rank
    assert rank(ombudsman_category(low, year=year).code) <= rank(
        ombudsman_category(high, year=year).code
    )
