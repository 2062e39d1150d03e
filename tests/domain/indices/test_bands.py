"""Shared category tables (domain/indices/bands.py): exact numbers, 2-dp rounding, validation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from satupintu.domain.indices import (
    Band,
    Scheme,
    round2,
    round_to,
    sakip_category,
    to_fraction,
)
from satupintu.domain.indices.sakip import SAKIP_2021


def test_to_fraction_is_exact() -> None:
    assert to_fraction(3) == 3
    assert to_fraction(Fraction(1, 9)) == Fraction(1, 9)
    assert to_fraction(Decimal("88.31")) == Fraction(8831, 100)
    # A float means what was typed, not its binary neighbour (4.50499999...).
    assert to_fraction(4.505) == Fraction(4505, 1000)
    assert to_fraction(0.1) == Fraction(1, 10)


@pytest.mark.parametrize("value", [True, "88.31", None, [1]])
def test_to_fraction_refuses_non_numbers(value: object) -> None:
    with pytest.raises(TypeError, match="must be a number"):
        to_fraction(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")]
)
def test_to_fraction_refuses_nan_and_infinity(value: float | Decimal) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_fraction(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(4505, 1000), "4.51"),  # half up
        (Fraction(45049, 10000), "4.50"),
        (Fraction(88305, 1000), "88.31"),
        (Fraction(0), "0.00"),
        (Fraction(100), "100.00"),
        (Fraction(2, 3), "0.67"),
        (Fraction(9275, 108), "85.88"),
    ],
)
def test_round2_half_up(value: Fraction, expected: str) -> None:
    assert str(round2(value)) == expected


def _scheme(*bands: Band, minimum: str = "0", maximum: str = "10") -> Scheme:
    return Scheme("test", "test", Decimal(minimum), Decimal(maximum), bands)


def test_scheme_validation() -> None:
    with pytest.raises(ValueError, match="at least one band"):
        _scheme()
    with pytest.raises(ValueError, match="highest first"):
        _scheme(Band("B", "b", Decimal(0)), Band("A", "a", Decimal(5)))
    with pytest.raises(ValueError, match="unique"):
        _scheme(Band("A", "a", Decimal(5)), Band("A", "b", Decimal(0)))
    with pytest.raises(ValueError, match="lowest band must start at the minimum"):
        _scheme(Band("A", "a", Decimal(5)), Band("B", "b", Decimal(1)))
    with pytest.raises(ValueError, match="lowest band must start at the minimum"):
        _scheme(Band("A", "a", Decimal(5)), Band("B", "b", Decimal(0), lower_inclusive=False))
    with pytest.raises(ValueError, match="above the maximum"):
        _scheme(Band("A", "a", Decimal(11)), Band("B", "b", Decimal(0)))
    with pytest.raises(ValueError, match="below"):
        _scheme(Band("A", "a", Decimal(0)), minimum="10", maximum="10")


def test_classify_names_the_range() -> None:
    scheme = _scheme(Band("A", "a", Decimal(5)), Band("B", "b", Decimal(0)))
    with pytest.raises(ValueError, match=r"between 0 and 10 \(test\), got 10.5"):
        scheme.classify(10.5)
    assert scheme.range_text == "0–10"
    assert scheme.rank("A") == 1
    assert scheme.rank("B") == 0
    with pytest.raises(KeyError):
        scheme.rank("Z")


def test_administrator_replaces_an_unconfirmed_table() -> None:
    """UNCONFIRMED tables are defaults: another Scheme, e.g. with labels read in the regulation."""
    corrected = Scheme(
        name="Predikat SAKIP (corrected)",
        source="PermenPANRB 88/2021 Lampiran",
        minimum=SAKIP_2021.minimum,
        maximum=SAKIP_2021.maximum,
        bands=tuple(
            Band(band.code, band.label.upper(), band.lower, band.zone, band.lower_inclusive)
            for band in SAKIP_2021.bands
        ),
    )
    grade = sakip_category(85, corrected)
    assert (grade.code, grade.label, grade.confirmed) == ("A", "MEMUASKAN", True)
    assert not sakip_category(85).confirmed


def test_round_to_places_half_up() -> None:
    assert round_to(Fraction(10, 3), 3) == Decimal("3.333")
    assert round_to(Fraction(2665, 1000), 2) == Decimal("2.67")  # half up, not to even
    assert round_to(Fraction(7, 2), 0) == Decimal("4")
