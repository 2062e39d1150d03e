"""The operations room's statistics (domain/dashboard.py): fair ranking, histogram quantiles,
period comparison, rising categories, palettes and choropleth classes."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.domain.dashboard import (
    NO_DATA_COLOUR,
    OKABE_ITO,
    SERIES_COLOURS,
    YLORRD,
    CategoryCounts,
    ClassBreak,
    DateRange,
    OnTimeCount,
    Period,
    binomial_upper_tail,
    choropleth_legend,
    class_breaks,
    compare_counts,
    histogram_of,
    histogram_quantile,
    histogram_quantiles,
    histogram_total,
    merge_histograms,
    period_window,
    period_windows,
    rank_on_time,
    rising_categories,
    rising_windows,
    sequential_palette,
    series_colour,
    summarize_histogram,
    wilson_interval,
    wilson_lower_bound,
)

CHARTS_JS = Path(__file__).parents[2] / "src/satupintu/static/satupintu/desk/charts.js"


# --------------------------------------------------------------------------- Wilson / ranking


def _score_bound(successes: int, n: int, z: float, *, upper: bool) -> float:
    """The Wilson bound found the slow way: the p at which the score statistic equals z."""
    p_hat = successes / n

    def statistic(p: float) -> float:
        return abs(p_hat - p) / math.sqrt(p * (1 - p) / n)

    lo, hi = (p_hat, 1 - 1e-15) if upper else (1e-15, p_hat)
    if (statistic(hi if upper else lo)) < z:
        return 1.0 if upper else 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        inside = statistic(mid) < z
        if upper:
            lo, hi = (mid, hi) if inside else (lo, mid)
        else:
            lo, hi = (lo, mid) if inside else (mid, hi)
    return (lo + hi) / 2


def test_wilson_lower_bound_published_figures() -> None:
    assert wilson_lower_bound(2, 2) == pytest.approx(0.342372, abs=1e-6)
    assert wilson_lower_bound(190, 200) == pytest.approx(0.910421, abs=1e-6)
    # All successes: n / (n + z^2) exactly.
    assert wilson_lower_bound(10, 10) == pytest.approx(10 / (10 + 1.96**2), rel=1e-12)
    assert wilson_lower_bound(0, 10) == 0.0
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.277540), abs=1e-6)
    # 90 % interval is narrower.
    assert wilson_lower_bound(190, 200, z=1.645) > wilson_lower_bound(190, 200)  # type: ignore[operator]


def test_wilson_without_observations_has_no_score() -> None:
    assert wilson_lower_bound(0, 0) is None
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(
    ("successes", "n", "z"), [(1, 3, 1.96), (7, 9, 1.96), (45, 50, 1.645), (500, 1000, 2.576)]
)
def test_wilson_matches_the_inverted_score_test(successes: int, n: int, z: float) -> None:
    low, high = wilson_interval(successes, n, z)  # type: ignore[misc]
    assert low == pytest.approx(_score_bound(successes, n, z, upper=False), abs=1e-9)
    assert high == pytest.approx(_score_bound(successes, n, z, upper=True), abs=1e-9)


@pytest.mark.parametrize(
    ("successes", "n", "z", "error"),
    [(3, 2, 1.96, ValueError), (-1, 2, 1.96, ValueError), (1, 2, 0, ValueError),
     (1, 2, math.inf, ValueError), (True, 2, 1.96, TypeError), (1.0, 2, 1.96, TypeError)],
)  # fmt: skip
def test_wilson_refuses_bad_input(successes: object, n: int, z: float, error: type) -> None:
    with pytest.raises(error):
        wilson_interval(successes, n, z)  # type: ignore[arg-type]


def test_small_perfect_agency_does_not_top_a_large_good_one() -> None:
    ranking = rank_on_time(
        [
            OnTimeCount("kecil", 2, 2, "Kecamatan Kecil"),
            OnTimeCount("besar", 190, 200, "Dinas Besar"),
            OnTimeCount("kosong", 0, 0),
            OnTimeCount("buruk", 1, 20),
        ]
    )
    assert [(r.rank, r.key) for r in ranking] == [
        (1, "besar"),
        (2, "kecil"),
        (3, "buruk"),
        (None, "kosong"),
    ]
    top = ranking[0]
    assert top.label == "Dinas Besar"
    assert top.share == 0.95
    assert top.lower_bound == pytest.approx(0.910421, abs=1e-6)
    assert top.upper_bound == pytest.approx(0.972618, abs=1e-6)
    empty = ranking[-1]
    assert (empty.share, empty.lower_bound, empty.upper_bound) == (None, None, None)


def test_ranking_ties_are_deterministic() -> None:
    counts = [
        OnTimeCount("c", 10, 10),
        OnTimeCount("a", 10, 10),
        OnTimeCount("b", 10, 10),
        OnTimeCount("z", 0, 0),
        OnTimeCount("y", 0, 0),
    ]
    for permutation in itertools.permutations(counts):
        ranking = rank_on_time(permutation)
        assert [(r.rank, r.key) for r in ranking] == [
            (1, "a"),
            (2, "b"),
            (3, "c"),
            (None, "y"),
            (None, "z"),
        ]


def test_ranking_ties_on_bound_go_to_share_then_volume() -> None:
    # Both 0/n have bound 0; the larger volume is not better there: share equal (0), so volume
    # breaks the tie and then the key.
    ranking = rank_on_time([OnTimeCount("a", 0, 3), OnTimeCount("b", 0, 30)])
    assert [r.key for r in ranking] == ["b", "a"]


def test_ranking_refuses_duplicates_and_bad_counts() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        rank_on_time([OnTimeCount("a", 1, 1), OnTimeCount("a", 1, 2)])
    with pytest.raises(ValueError, match="exceeds"):
        OnTimeCount("a", 3, 2)
    with pytest.raises(ValueError):
        OnTimeCount("a", -1, 2)
    assert rank_on_time([]) == []


# --------------------------------------------------------------------------- histograms


def test_nearest_rank_quantiles() -> None:
    four = {1: 1, 2: 1, 3: 1, 4: 1}
    assert histogram_quantile(four, 0.5) == 2  # lower median: no interpolation
    assert histogram_quantile(four, 0.9) == 4
    assert histogram_quantile(four, 0) == 1
    assert histogram_quantile(four, 1) == 4
    assert histogram_quantiles({3: 5, 0: 4, 10: 1}, [0.4, 0.5, 0.9, 0.95]) == (0, 3, 3, 10)


def test_quantile_rank_is_exact_for_float_q() -> None:
    # 0.9 * 70 is 63.00000000000001 in floats: rank 63, so the 63rd value (1), not the 64th (2).
    histogram = {1: 63, 2: 7}
    assert histogram_quantile(histogram, 0.9) == 1
    assert histogram_quantile(histogram, Fraction(9, 10)) == 1
    assert histogram_quantile(histogram, Decimal("0.9")) == 1
    assert histogram_quantile(histogram, 0.91) == 2


def test_empty_histogram() -> None:
    assert histogram_quantile({}, 0.5) is None
    assert histogram_quantiles({4: 0}, [0.5, 0.9]) == (None, None)
    summary = summarize_histogram({})
    assert (summary.count, summary.median, summary.p90, summary.mean, summary.maximum) == (
        0,
        None,
        None,
        None,
        None,
    )


def test_summary_of_a_histogram() -> None:
    # 10 reports: 0,0,1,1,1,2,3,5,8,14 working days.
    summary = summarize_histogram({0: 2, 1: 3, 2: 1, 3: 1, 5: 1, 8: 1, 14: 1})
    assert summary.count == 10
    assert summary.median == 1  # 5th value
    assert summary.p90 == 8  # 9th value
    assert summary.mean == pytest.approx(3.5)
    assert summary.maximum == 14


def test_merge_histograms() -> None:
    assert merge_histograms({1: 2, 3: 1}, {3: 4, 0: 1}, {}, {7: 0}) == {0: 1, 1: 2, 3: 5}
    assert list(merge_histograms({5: 1}, {2: 1})) == [2, 5]
    assert merge_histograms() == {}
    assert histogram_total({1: 2, 3: 5}) == 7


@pytest.mark.parametrize("histogram", [{-1: 3}, {1: -2}, {1.5: 2}, {1: 2.0}, {True: 1}], ids=repr)
def test_histograms_refuse_bad_entries(histogram: dict[object, object]) -> None:
    with pytest.raises((TypeError, ValueError)):
        histogram_quantile(histogram, 0.5)  # type: ignore[arg-type]
    with pytest.raises((TypeError, ValueError)):
        merge_histograms(histogram)  # type: ignore[arg-type]


@pytest.mark.parametrize("q", [-0.1, 1.5])
def test_quantile_refuses_q_outside_unit_interval(q: float) -> None:
    with pytest.raises(ValueError, match="q must"):
        histogram_quantile({1: 1}, q)


_values = st.lists(st.integers(0, 40), max_size=60)
_q = st.fractions(min_value=0, max_value=1, max_denominator=100)


@settings(max_examples=200, deadline=None)
@given(_values, _values, _q)
def test_quantiles_of_merged_histograms_equal_those_of_pooled_values(
    a: list[int], b: list[int], q: Fraction
) -> None:
    pooled = sorted(a + b)
    expected = pooled[max(1, math.ceil(q * len(pooled))) - 1] if pooled else None
    merged = merge_histograms(histogram_of(a), histogram_of(b))
    assert histogram_quantile(merged, q) == expected
    assert histogram_total(merged) == len(pooled)


def test_histogram_of() -> None:
    assert histogram_of([3, 1, 3, 0]) == {0: 1, 1: 1, 3: 2}
    with pytest.raises(ValueError):
        histogram_of([2, -1])


# --------------------------------------------------------------------------- periods


def _window(kind: str, today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    w = period_window(kind, today)
    return (w.current.start, w.current.end), (w.previous.start, w.previous.end)


def _check_window(kind: Period, today: str, expected: tuple[str, str, str, str]) -> None:
    w = period_window(kind, date.fromisoformat(today))
    assert (w.period, w.current.start, w.current.end, w.previous.start, w.previous.end) == (
        kind,
        *map(date.fromisoformat, expected),
    )


def test_day_compares_with_the_day_before() -> None:
    assert _window("day", date(2025, 1, 1)) == (
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2024, 12, 31), date(2024, 12, 31)),
    )


@pytest.mark.parametrize(
    ("today", "start", "end", "previous_start", "previous_end"),
    [
        # Wednesday: Monday-Wednesday against Monday-Wednesday of the week before.
        ("2024-04-17", "2024-04-15", "2024-04-17", "2024-04-08", "2024-04-10"),
        # Monday: that day alone against the Monday before.
        ("2024-04-15", "2024-04-15", "2024-04-15", "2024-04-08", "2024-04-08"),
        # Sunday: the whole ISO week.
        ("2024-04-21", "2024-04-15", "2024-04-21", "2024-04-08", "2024-04-14"),
        # ISO week 1 of 2025 starts on Monday 30 December 2024.
        ("2025-01-02", "2024-12-30", "2025-01-02", "2024-12-23", "2024-12-26"),
    ],
)  # fmt: skip
def test_week_is_iso_week_so_far(
    today: str, start: str, end: str, previous_start: str, previous_end: str
) -> None:
    _check_window(Period.WEEK, today, (start, end, previous_start, previous_end))


@pytest.mark.parametrize(
    ("today", "start", "end", "previous_start", "previous_end"),
    [
        ("2024-05-15", "2024-05-01", "2024-05-15", "2024-04-01", "2024-04-15"),
        # Clamped to the short month: leap and common years.
        ("2024-03-31", "2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"),
        ("2025-03-30", "2025-03-01", "2025-03-30", "2025-02-01", "2025-02-28"),
        ("2025-05-31", "2025-05-01", "2025-05-31", "2025-04-01", "2025-04-30"),
        # January against December of the year before.
        ("2025-01-31", "2025-01-01", "2025-01-31", "2024-12-01", "2024-12-31"),
        ("2025-07-01", "2025-07-01", "2025-07-01", "2025-06-01", "2025-06-01"),
    ],
)  # fmt: skip
def test_month_so_far_against_last_month_as_far(
    today: str, start: str, end: str, previous_start: str, previous_end: str
) -> None:
    _check_window(Period.MONTH, today, (start, end, previous_start, previous_end))


def test_period_windows_and_ranges() -> None:
    windows = period_windows(date(2024, 4, 17))
    assert list(windows) == [Period.DAY, Period.WEEK, Period.MONTH]
    week = windows[Period.WEEK].current
    assert week.days == 3
    assert week.end_exclusive == date(2024, 4, 18)
    assert date(2024, 4, 15) in week
    assert date(2024, 4, 18) not in week
    assert datetime(2024, 4, 16, 12) not in week  # a datetime is not a calendar day here


def test_periods_refuse_datetimes_and_unknown_kinds() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        period_window("day", datetime(2024, 4, 17, 9))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        period_window("year", date(2024, 4, 17))
    with pytest.raises(ValueError, match="before start"):
        DateRange(date(2024, 4, 2), date(2024, 4, 1))


def test_compare_counts() -> None:
    up = compare_counts(12, 8)
    assert (up.current, up.previous, up.absolute, up.percent, up.direction) == (
        12,
        8,
        4,
        50.0,
        "up",
    )
    down = compare_counts(3, 4)
    assert (down.absolute, down.percent, down.direction) == (-1, -25.0, "down")
    assert compare_counts(5, 0).percent is None
    assert compare_counts(0, 0).direction == "same"
    assert compare_counts(0, 0).percent is None
    with pytest.raises(ValueError):
        compare_counts(-1, 3)


# --------------------------------------------------------------------------- rising categories


def _exact_tail(k: int, n: int, p: Fraction) -> float:
    return float(sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


@pytest.mark.parametrize(
    ("k", "n"), [(0, 10), (1, 10), (3, 10), (12, 36), (20, 100), (3, 100), (11, 100), (50, 60)]
)
def test_binomial_upper_tail_is_exact(k: int, n: int) -> None:
    expected = _exact_tail(k, n, Fraction(1, 9))
    assert binomial_upper_tail(k, n, 1 / 9) == pytest.approx(expected, rel=1e-10, abs=1e-15)


def test_binomial_upper_tail_edges() -> None:
    assert binomial_upper_tail(0, 0, 0.5) == 1.0
    assert binomial_upper_tail(1, 0, 0.5) == 0.0
    assert binomial_upper_tail(11, 10, 0.5) == 0.0
    assert binomial_upper_tail(10, 10, 0.5) == pytest.approx(1 / 1024)
    assert binomial_upper_tail(3, 10, 0.0) == 0.0
    assert binomial_upper_tail(3, 10, 1.0) == 1.0
    # Far tail of a large n: tiny but positive, computed quickly.
    assert 0 < binomial_upper_tail(2000, 9000, 1 / 9) < 1e-50
    with pytest.raises(ValueError):
        binomial_upper_tail(1, 10, 1.5)


def test_rising_windows_compare_the_same_weekdays() -> None:
    current, baseline = rising_windows(date(2024, 4, 17))  # a Wednesday
    assert (current.start, current.end) == (date(2024, 4, 15), date(2024, 4, 17))
    assert len(baseline) == 8
    assert (baseline[0].start, baseline[0].end) == (date(2024, 4, 8), date(2024, 4, 10))
    assert (baseline[-1].start, baseline[-1].end) == (date(2024, 2, 19), date(2024, 2, 21))
    assert all(span.days == 3 and span.start.weekday() == 0 for span in baseline)
    with pytest.raises(ValueError):
        rising_windows(date(2024, 4, 17), weeks=0)


def test_doubling_is_flagged_and_noise_is_not() -> None:
    rising = rising_categories(
        [
            # 10 a week for 8 weeks, now 20: p = P(Bin(100, 1/9) >= 20) = 0.00655.
            CategoryCounts("jalan", 20, 80, "Jalan rusak"),
            # 10 a week, now 15: an ordinary week (p = 0.14).
            CategoryCounts("sampah", 15, 80),
            # Large and steady.
            CategoryCounts("air", 210, 1600),
            # Small: 4 where there was 1 a week is below the minimum count.
            CategoryCounts("taman", 4, 8),
        ]
    )
    assert [r.key for r in rising] == ["jalan"]
    jalan = rising[0]
    assert jalan.label == "Jalan rusak"
    assert jalan.baseline_mean == 10.0
    assert jalan.ratio == 2.0
    assert jalan.p_value == pytest.approx(_exact_tail(20, 100, Fraction(1, 9)), rel=1e-10)
    # Holm over the three tested categories: the smallest p-value times 3.
    assert jalan.adjusted_p_value == pytest.approx(3 * jalan.p_value, rel=1e-10)


def test_many_categories_need_a_stronger_signal() -> None:
    # p = 0.00655 alone is significant; among 20 tested categories Holm asks for p <= 0.0025.
    steady = [CategoryCounts(f"c{i:02}", 10, 80) for i in range(19)]
    assert [r.key for r in rising_categories([CategoryCounts("jalan", 20, 80)])] == ["jalan"]
    assert rising_categories([CategoryCounts("jalan", 20, 80), *steady]) == []


def test_significant_but_small_rises_need_the_minimum_ratio() -> None:
    # 1,000 a week, now 1,150: very significant, but only 1.15 times the baseline.
    big = CategoryCounts("air", 1150, 8000)
    assert rising_categories([big]) == []
    assert [r.key for r in rising_categories([big], min_ratio=1.1)] == ["air"]


def test_new_categories_and_ordering() -> None:
    rising = rising_categories(
        [
            CategoryCounts("banjir", 30, 40),  # ratio 6
            CategoryCounts("baru", 6, 0),  # new: no baseline
            CategoryCounts("jalan", 20, 80),  # ratio 2
            CategoryCounts("lampu", 4, 0),  # new but below the minimum count
        ]
    )
    assert [r.key for r in rising] == ["banjir", "baru", "jalan"]
    baru = rising[1]
    assert (baru.ratio, baru.baseline_mean) == (None, 0.0)
    assert baru.p_value == pytest.approx((1 / 9) ** 6)
    assert [r.adjusted_p_value for r in rising] == sorted(r.adjusted_p_value for r in rising)


def test_rising_categories_parameters() -> None:
    counts = [CategoryCounts("jalan", 20, 80)]
    assert rising_categories(counts, alpha=0.001) == []
    # Four baseline weeks of 20 a week: 20 is no rise.
    assert rising_categories(counts, baseline_weeks=4) == []
    assert rising_categories([]) == []
    with pytest.raises(ValueError, match="duplicate"):
        rising_categories([CategoryCounts("a", 9, 1), CategoryCounts("a", 9, 1)])
    with pytest.raises(ValueError):
        rising_categories(counts, baseline_weeks=0)
    with pytest.raises(ValueError):
        rising_categories(counts, alpha=2)
    with pytest.raises(ValueError):
        CategoryCounts("a", -1, 0)


# --------------------------------------------------------------------------- palettes


def test_okabe_ito_palette() -> None:
    assert OKABE_ITO == {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
    assert sorted(SERIES_COLOURS) == sorted(OKABE_ITO.values())
    assert SERIES_COLOURS[0] == "#0072B2"
    assert SERIES_COLOURS[-1] == "#000000"
    assert series_colour(0) == series_colour(8) == "#0072B2"


def test_charts_js_uses_the_same_palette() -> None:
    source = CHARTS_JS.read_text(encoding="utf-8")
    block = re.search(r"var PALETTE = \[(.*?)\];", source, re.S)
    assert block is not None
    assert tuple(re.findall(r'"(#[0-9A-F]{6})"', block.group(1))) == SERIES_COLOURS


def test_sequential_palette() -> None:
    assert sequential_palette(5) == ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
    assert sequential_palette(1) == ("#ffeda0",)
    assert sequential_palette(2) == ("#ffeda0", "#f03b20")
    for classes in range(1, 10):
        palette = sequential_palette(classes)
        assert len(palette) == len(set(palette)) == classes
        # Light to dark: the sum of the channels falls.
        brightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in palette]
        assert brightness == sorted(brightness, reverse=True)
    assert set(YLORRD) == set(range(3, 10))
    for bad in (0, 10):
        with pytest.raises(ValueError):
            sequential_palette(bad)


# --------------------------------------------------------------------------- class breaks


def _pairs(breaks: tuple[ClassBreak, ...]) -> list[tuple[float, float]]:
    return [(b.lower, b.upper) for b in breaks]


def test_quantile_breaks() -> None:
    values = list(range(1, 11))  # 1..10 into 5 classes of two
    assert _pairs(class_breaks(values, 5)) == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert _pairs(class_breaks(values, 3)) == [(1, 4), (5, 7), (8, 10)]


def test_zero_is_a_class_of_its_own() -> None:
    values = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, None]
    # Zero, then the quartiles of 1..8.
    assert _pairs(class_breaks(values, 5)) == [(0, 0), (1, 2), (3, 4), (5, 6), (7, 8)]
    # Quintiles of all 14 values: the first two both end at 0, so one class fewer.
    assert _pairs(class_breaks(values, 5, separate_zero=False)) == [(0, 0), (1, 3), (4, 6), (7, 8)]


def test_all_zero_empty_and_few_values() -> None:
    assert _pairs(class_breaks([0, 0, 0])) == [(0, 0)]
    assert _pairs(class_breaks([0, 0], separate_zero=False)) == [(0, 0)]
    assert class_breaks([]) == ()
    assert class_breaks([None, None]) == ()
    assert _pairs(class_breaks([3, 3, 7, 7, 7])) == [(3, 3), (7, 7)]
    assert _pairs(class_breaks([0, 2, 2, 5])) == [(0, 0), (2, 2), (5, 5)]
    assert _pairs(class_breaks([4.5])) == [(4.5, 4.5)]
    assert _pairs(class_breaks([1, 2, 3], 1)) == [(1, 3)]


def test_ties_can_merge_quantile_classes() -> None:
    # Ten 1s and one each of 2..5: the first two quartiles (ranks 4 and 7) both end at 1.
    values = [1] * 10 + [2, 3, 4, 5]
    assert _pairs(class_breaks(values, 4)) == [(1, 1), (2, 2), (3, 5)]


def test_jenks_finds_the_natural_gaps() -> None:
    values = [1, 2, 3, 20, 21, 22, 23, 80, 81, 200]
    breaks = class_breaks(values, 4, method="jenks", separate_zero=False)
    assert _pairs(breaks) == [(1, 3), (20, 23), (80, 81), (200, 200)]


def _sse(groups: list[list[float]]) -> float:
    total = 0.0
    for group in groups:
        mean = sum(group) / len(group)
        total += sum((v - mean) ** 2 for v in group)
    return total


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=9), st.integers(1, 4))
def test_jenks_is_optimal_on_small_inputs(values: list[int], classes: int) -> None:
    values.sort()
    breaks = class_breaks(values, classes, method="jenks", separate_zero=False)
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        assert _pairs(breaks) == [(v, v) for v in distinct]
        return
    assert len(breaks) == classes
    found = [[v for v in values if b.lower <= v <= b.upper] for b in breaks]
    assert sum(len(g) for g in found) == len(values)
    # Brute force over every split of the distinct values into `classes` runs.
    best = math.inf
    for cuts in itertools.combinations(range(1, len(distinct)), classes - 1):
        edges = [0, *cuts, len(distinct)]
        groups = [
            [v for v in values if distinct[a] <= v <= distinct[b - 1]]
            for a, b in itertools.pairwise(edges)
        ]
        best = min(best, _sse(groups))
    assert _sse(found) == pytest.approx(best, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 50), st.floats(0, 1e4)), max_size=40),
    st.integers(1, 9),
    st.sampled_from(["quantile", "jenks"]),
)
def test_breaks_cover_every_value_in_order(
    values: list[float | None], classes: int, method: str
) -> None:
    breaks = class_breaks(values, classes, method=method)
    data = sorted(v for v in values if v is not None)
    assert len(breaks) <= classes
    assert bool(breaks) == bool(data)
    for a, b in itertools.pairwise(breaks):
        assert a.lower <= a.upper < b.lower <= b.upper
    legend = choropleth_legend(values, classes, method=method)
    assert len(legend.colours) == len(legend.classes)
    for v in data:
        index = legend.classify(v)
        assert index is not None
        assert breaks[index].lower <= v <= breaks[index].upper


def test_breaks_accept_decimals_and_refuse_bad_values() -> None:
    assert _pairs(class_breaks([Decimal("1.5"), Decimal("2.5")])) == [(1.5, 1.5), (2.5, 2.5)]  # type: ignore[list-item]
    with pytest.raises(ValueError, match="finite"):
        class_breaks([1, math.nan])
    with pytest.raises(TypeError):
        class_breaks(["3"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        class_breaks([1, 2], 0)
    with pytest.raises(ValueError):
        class_breaks([1, 2], 10)
    with pytest.raises(ValueError, match="method"):
        class_breaks([1, 2], method="equal")


def test_legend_colours() -> None:
    legend = choropleth_legend([0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50])
    assert legend.colours == sequential_palette(5)
    assert legend.colour(0) == "#ffffb2"
    assert legend.colour(2) == "#fecc5c"
    assert legend.colour(3.5) == "#fd8d3c"  # between classes: the higher one
    assert legend.colour(50) == legend.colour(1000) == "#bd0026"
    assert legend.colour(None) == NO_DATA_COLOUR
    assert choropleth_legend([]).colour(3) == NO_DATA_COLOUR
    only_zero = choropleth_legend([0, 0])
    assert only_zero.colours == ("#ffeda0",)
    assert only_zero.classify(0) == 0
