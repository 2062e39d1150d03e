"""Krejcie–Morgan SKM sample size (domain.md §3.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.indices import sample_size
from satupintu.domain.indices.sample import DISCREPANCIES, PUBLISHED

AGREES = sorted(n for n in PUBLISHED if n not in DISCREPANCIES)


@pytest.mark.parametrize("population", AGREES)
def test_published_table(population: int) -> None:
    assert sample_size(population) == PUBLISHED[population]


def test_every_value_listed_in_domain_md() -> None:
    # domain.md §3.4, as listed there: N=10→10, 50→44, ..., 100,000→384, ≥1,000,000→384.
    listed = {
        10: 10,
        50: 44,
        100: 80,
        200: 132,
        300: 169,
        500: 217,
        1_000: 278,
        2_000: 322,
        5_000: 357,
        10_000: 370,
        100_000: 384,
        1_000_000: 384,
    }
    assert dict(PUBLISHED) == listed
    disagree = {n: (s, sample_size(n)) for n, s in listed.items() if sample_size(n) != s}
    # The only disagreement, by one respondent: the formula gives 382.63 -> 383.
    assert disagree == {100_000: (384, 383)} == dict(DISCREPANCIES)


def test_n_10000_is_370_not_373() -> None:
    # domain.md §3.4: one copy prints 373; the formula (369.93) sides with 370.
    assert sample_size(10_000) == 370


@pytest.mark.parametrize("population", [1_000_000, 10_000_000, 10**9, 10**15])
def test_large_populations_give_384(population: int) -> None:
    assert sample_size(population) == 384


def test_small_populations() -> None:
    assert sample_size(1) == 1
    assert sample_size(2) == 2
    assert sample_size(10) == 10  # 9.77 rounds up to the whole population


@pytest.mark.parametrize("population", [0, -5])
def test_population_below_one_is_refused(population: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        sample_size(population)


@pytest.mark.parametrize("population", [100.0, True, "100"])
def test_population_must_be_an_int(population: object) -> None:
    with pytest.raises(TypeError, match="whole number"):
        sample_size(population)  # type: ignore[arg-type]


@given(population=st.integers(min_value=1, max_value=10**7))
def test_sample_never_exceeds_population(population: int) -> None:
    assert 1 <= sample_size(population) <= min(population, 384)


@given(
    population=st.integers(min_value=1, max_value=10**7),
    more=st.integers(min_value=0, max_value=10**6),
)
def test_sample_is_non_decreasing(population: int, more: int) -> None:
    assert sample_size(population) <= sample_size(population + more)
