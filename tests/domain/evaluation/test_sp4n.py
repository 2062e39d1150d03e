"""Complaint-management indicator arithmetic on aggregated rows."""

from __future__ import annotations

import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.evaluation.sp4n import (
    complaint_score,
    mean,
    median_from_histogram,
    merge_histograms,
    share,
)


def test_share_and_mean() -> None:
    assert share(3, 4) == Fraction(3, 4)
    assert share(0, 0) is None
    assert mean(9, 2) == Fraction(9, 2)
    assert mean(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and whole"):
        share(5, 4)
    with pytest.raises(ValueError, match="negative"):
        mean(1, -1)


def test_median_of_a_histogram() -> None:
    assert median_from_histogram({}) is None
    assert median_from_histogram({3: 0}) is None
    assert median_from_histogram({2: 1}) == 2
    assert median_from_histogram({1: 1, 4: 1}) == Fraction(5, 2)
    assert median_from_histogram({0: 5, 1: 1, 9: 3}) == 0
    assert median_from_histogram({0: 2, 1: 1, 9: 3}) == 5
    with pytest.raises(ValueError, match="negative"):
        median_from_histogram({1: -1})


@given(st.lists(st.integers(0, 60), min_size=1, max_size=200))
def test_median_matches_the_median_of_the_values(values: list[int]) -> None:
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    assert median_from_histogram(histogram) == Fraction(
        statistics.median(values)
    ).limit_denominator(2)


def test_merge_histograms_adds_counts() -> None:
    assert merge_histograms([{1: 2, 3: 1}, {1: 1, 5: 4}, {}]) == {1: 3, 3: 1, 5: 4}


def test_complaint_score() -> None:
    assert complaint_score(None, None) is None
    assert complaint_score(Fraction(1), Fraction(0)) == 5
    assert complaint_score(Fraction(1, 2), None) == 2  # 2.5 -> 2
    assert complaint_score(None, Fraction(1, 5)) == 4
    assert complaint_score(Fraction(3, 5), Fraction(1, 5)) == 3  # (0.6 + 0.8) / 2 × 5 = 3.5
    with pytest.raises(ValueError, match="between 0 and 1"):
        complaint_score(Fraction(3, 2), None)
