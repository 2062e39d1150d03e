"""SAKIP predikat (PermenPANRB 88/2021, domain.md §5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.indices import SAKIP_2021, sakip_category


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("100", "AA"),
        ("90.01", "AA"),
        ("90", "A"),  # "> 90" excludes 90 (domain.md §5)
        ("80.01", "A"),
        ("80", "BB"),
        ("70.01", "BB"),
        ("70", "B"),
        ("60.01", "B"),
        ("60", "CC"),
        ("50.01", "CC"),
        ("50", "C"),
        ("30.01", "C"),
        ("30", "D"),
        ("0", "D"),
        # Rounded to 2 dp first, half up.
        ("80.004", "BB"),
        ("80.005", "A"),
    ],
)
def test_bands(value: str, code: str) -> None:
    assert sakip_category(Decimal(value)).code == code


def test_labels_are_unconfirmed_defaults() -> None:
    labels = {band.code: band.label for band in SAKIP_2021.bands}
    assert labels == {
        "AA": "Sangat Memuaskan",
        "A": "Memuaskan",
        "BB": "Sangat Baik",
        "B": "Baik",
        "CC": "Cukup/Memadai",
        "C": "Kurang",
        "D": "Sangat Kurang",
    }
    grade = sakip_category(85)
    assert "labels UNCONFIRMED" in grade.unconfirmed
    assert grade.zone is None
    assert grade.source == "domain.md §5"


@pytest.mark.parametrize("value", [-1, 100.5])
def test_out_of_range(value: float) -> None:
    with pytest.raises(ValueError, match="SAKIP score must be between 0 and 100"):
        sakip_category(value)


@given(
    a=st.decimals(min_value=0, max_value=100, places=3),
    b=st.decimals(min_value=0, max_value=100, places=3),
)
def test_monotonic(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert SAKIP_2021.rank(sakip_category(low).code) <= SAKIP_2021.rank(sakip_category(high).code)
