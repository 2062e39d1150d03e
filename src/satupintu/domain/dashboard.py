"""The statistics behind the operations-room dashboard: pure Python, no Django.

Dataclasses and plain numbers in, values out; the dashboard's rollups (stored aggregates) feed
these functions and the templates show what they return. Five parts:

* **Fair ranking by on-time share** (:func:`wilson_lower_bound`, :func:`rank_on_time`). "On
  time" means handled within the time limits of domain.md §1.6 (counted in hari kerja). A raw
  share rewards small samples (2 of 2 on time beats 190 of 200), so agencies are ranked by the
  lower bound of the Wilson score interval for their share: 2/2 gives 0.342, 190/200 gives 0.910
  at the default 95 % (z = 1.96). Ties go to the higher raw share, then the larger volume, then the
  key; an agency with no finished reports has no score and comes last, unranked.
* **Quantiles of a histogram of working days** (:func:`histogram_quantile`,
  :func:`summarize_histogram`, :func:`merge_histograms`). The rollups keep ``{working days:
  count}`` histograms (durations in hari kerja, domain.md §1.6 and §7), never raw durations, so
  the median and p90 are read from the histogram with the **nearest-rank** definition: the
  q-quantile of N observations is the smallest value x such that at least ceil(q * N) of them are
  <= x (rank 1 for q = 0). It is always an observed value (no interpolation), so the median of 1, 2,
  3, 4 is 2, and merging histograms then taking a quantile equals taking it over the pooled data.
* **Period comparison** (:func:`period_window`, :func:`compare_counts`): today, this ISO week
  (Monday start) and this month so far, each against the same span before: the previous day; the
  previous week from Monday up to the same weekday; the previous month from the 1st up to the same
  day of the month, clamped to that month's last day (31 March compares with 1-28/29 February).
* **Rising categories** (:func:`rising_categories`): this week so far against the same span of
  each of the 8 weeks before (:func:`rising_windows`), with the conditional binomial test of two
  Poisson rates. If a category's reports arrive at the same rate in the current span and in the W
  baseline spans, then given their total N the current count follows Binomial(N, 1 / (W + 1)); the
  one-sided p-value is P(X >= current). It is exact (no normal approximation) and, unlike a Poisson
  test against the baseline mean, it allows for the baseline itself being a noisy count. Holm's
  step-down correction over the categories tested keeps the chance of flagging any category by
  noise alone at ``alpha`` per week; a flagged category also needs a minimum count and a minimum
  ratio to its baseline mean.
* **Palettes and class breaks** for charts and the choropleth: the Okabe-Ito colour-blind-safe
  qualitative palette (:data:`SERIES_COLOURS`), ColorBrewer's YlOrRd sequential scheme
  (:func:`sequential_palette`) and :func:`choropleth_legend`, which splits values into classes
  by quantiles or by Jenks natural breaks and copes with empty, all-zero and few-valued inputs.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

__all__ = [
    "NO_DATA_COLOUR",
    "OKABE_ITO",
    "SERIES_COLOURS",
    "YLORRD",
    "CategoryCounts",
    "Change",
    "ClassBreak",
    "DateRange",
    "DurationSummary",
    "Histogram",
    "Legend",
    "OnTimeCount",
    "Period",
    "PeriodWindow",
    "RankedShare",
    "RisingCategory",
    "binomial_upper_tail",
    "choropleth_legend",
    "class_breaks",
    "compare_counts",
    "histogram_of",
    "histogram_quantile",
    "histogram_quantiles",
    "histogram_total",
    "merge_histograms",
    "period_window",
    "period_windows",
    "rank_on_time",
    "rising_categories",
    "rising_windows",
    "sequential_palette",
    "series_colour",
    "summarize_histogram",
    "wilson_interval",
    "wilson_lower_bound",
]

#: z for a two-sided 95 % interval, the default confidence of the ranking.
Z_95: Final = 1.96

#: ``{working days: number of reports}``; keys and counts are non-negative ints.
Histogram = Mapping[int, int]


def _require_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {value}")
    return value


def _require_date(value: object, what: str) -> date:
    # A datetime is a date too; a UTC "now" has the wrong calendar date in WIB/WITA/WIT.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


def _require_probability(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if not 0 <= value <= 1:
        raise ValueError(f"{what} must lie in [0, 1], got {value}")
    return float(value)


# --------------------------------------------------------------------------- fair ranking


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval ``(lower, upper)`` for ``successes`` out of ``n``.

    None when ``n`` is 0 (no observations, no interval). ``z`` is the normal quantile of the
    two-sided confidence level (1.96 for 95 %, 1.645 for 90 %).
    """
    _require_count(successes, "successes")
    _require_count(n, "n")
    if successes > n:
        raise ValueError(f"successes ({successes}) must not exceed n ({n})")
    if isinstance(z, bool) or not isinstance(z, int | float) or not math.isfinite(z) or z <= 0:
        raise ValueError(f"z must be a positive finite number, got {z!r}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    scale = 1 + z2 / n
    return max(0.0, (centre - margin) / scale), min(1.0, (centre + margin) / scale)


def wilson_lower_bound(successes: int, n: int, z: float = Z_95) -> float | None:
    """Lower bound of the Wilson score interval: a share corrected for small samples.

    ``wilson_lower_bound(2, 2)`` is 0.342 and ``wilson_lower_bound(190, 200)`` 0.910, so the
    large agency ranks above the small one. None when ``n`` is 0.
    """
    interval = wilson_interval(successes, n, z)
    return None if interval is None else interval[0]


@dataclass(frozen=True)
class OnTimeCount:
    """One agency's finished reports (``total``) and those finished on time (domain.md §1.6)."""

    key: str
    on_time: int
    total: int
    label: str = ""

    def __post_init__(self) -> None:
        _require_count(self.on_time, "on_time")
        _require_count(self.total, "total")
        if self.on_time > self.total:
            raise ValueError(f"{self.key}: on_time ({self.on_time}) exceeds total ({self.total})")


@dataclass(frozen=True)
class RankedShare:
    """A row of the ranking: ``rank`` 1, 2, ... or None for an agency without reports."""

    rank: int | None
    key: str
    label: str
    on_time: int
    total: int
    #: on_time / total, None when total is 0.
    share: float | None
    #: Wilson lower bound of the share (the ranking score), None when total is 0.
    lower_bound: float | None
    upper_bound: float | None


def rank_on_time(counts: Iterable[OnTimeCount], *, z: float = Z_95) -> list[RankedShare]:
    """Agencies ranked by the Wilson lower bound of their on-time share, best first.

    Order: lower bound (higher first), then raw share (higher first), then total (larger first),
    then key (alphabetical), so equal inputs always come out in the same order and ranks are
    1, 2, 3, ... without gaps or shared places. Agencies with ``total == 0`` follow, by key, with
    ``rank`` None. Duplicate keys are an error.
    """
    rows: list[RankedShare] = []
    seen: set[str] = set()
    for count in counts:
        if count.key in seen:
            raise ValueError(f"duplicate key {count.key!r}")
        seen.add(count.key)
        interval = wilson_interval(count.on_time, count.total, z)
        rows.append(
            RankedShare(
                rank=None,
                key=count.key,
                label=count.label,
                on_time=count.on_time,
                total=count.total,
                share=count.on_time / count.total if count.total else None,
                lower_bound=None if interval is None else interval[0],
                upper_bound=None if interval is None else interval[1],
            )
        )
    scored = sorted(
        (r for r in rows if r.lower_bound is not None),
        key=lambda r: (-(r.lower_bound or 0.0), -(r.share or 0.0), -r.total, r.key),
    )
    unscored = sorted((r for r in rows if r.lower_bound is None), key=lambda r: r.key)
    ranked = [
        RankedShare(i, r.key, r.label, r.on_time, r.total, r.share, r.lower_bound, r.upper_bound)
        for i, r in enumerate(scored, start=1)
    ]
    return ranked + unscored


# --------------------------------------------------------------------------- histograms


def _checked_items(histogram: Histogram) -> list[tuple[int, int]]:
    """The histogram's (value, count) pairs with a count, sorted by value; validates both."""
    items = []
    for value, count in histogram.items():
        _require_count(value, "a histogram value (working days)")
        if _require_count(count, f"the count of {value}"):
            items.append((value, count))
    items.sort()
    return items


def histogram_of(values: Iterable[int]) -> dict[int, int]:
    """The histogram of raw values (working days), keys sorted."""
    counts: dict[int, int] = {}
    for value in values:
        _require_count(value, "a value (working days)")
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def merge_histograms(*histograms: Histogram) -> dict[int, int]:
    """The sum of histograms (e.g. of several days, agencies or categories), keys sorted.

    Values with a zero count are dropped.
    """
    total: dict[int, int] = {}
    for histogram in histograms:
        for value, count in _checked_items(histogram):
            total[value] = total.get(value, 0) + count
    return dict(sorted(total.items()))


def histogram_total(histogram: Histogram) -> int:
    """The number of observations in the histogram."""
    return sum(count for _, count in _checked_items(histogram))


def _exact_q(q: float | Fraction | Decimal) -> Fraction:
    if isinstance(q, bool) or not isinstance(q, int | float | Fraction | Decimal):
        raise TypeError(f"q must be a number, not {type(q).__name__}")
    # A float by its shortest decimal repr: 0.9 * 70 must give rank 63, not 64 (0.9 is 0.9000...02).
    exact = Fraction(Decimal(repr(q))) if isinstance(q, float) else Fraction(q)
    if not 0 <= exact <= 1:
        raise ValueError(f"q must lie in [0, 1], got {q}")
    return exact


def histogram_quantiles(
    histogram: Histogram, qs: Sequence[float | Fraction | Decimal]
) -> tuple[int | None, ...]:
    """Nearest-rank quantiles: for each q, the smallest value x with at least ceil(q * N)
    observations <= x (the minimum for q = 0). None for each q when the histogram is empty."""
    exact = [_exact_q(q) for q in qs]
    items = _checked_items(histogram)
    n = sum(count for _, count in items)
    if n == 0:
        return tuple(None for _ in exact)
    result: list[int | None] = []
    for q in exact:
        rank = max(1, math.ceil(q * n))
        seen = 0
        for value, count in items:
            seen += count
            if seen >= rank:
                result.append(value)
                break
    return tuple(result)


def histogram_quantile(histogram: Histogram, q: float | Fraction | Decimal) -> int | None:
    """The nearest-rank q-quantile of the histogram (see :func:`histogram_quantiles`)."""
    return histogram_quantiles(histogram, [q])[0]


@dataclass(frozen=True)
class DurationSummary:
    """Median, p90 (nearest rank), mean and maximum of a histogram of working days."""

    count: int
    median: int | None
    p90: int | None
    mean: float | None
    maximum: int | None


def summarize_histogram(histogram: Histogram) -> DurationSummary:
    """The figures the dashboard shows for a duration histogram; Nones when it is empty."""
    items = _checked_items(histogram)
    n = sum(count for _, count in items)
    if n == 0:
        return DurationSummary(0, None, None, None, None)
    median, p90 = histogram_quantiles(dict(items), [Fraction(1, 2), Fraction(9, 10)])
    mean = sum(value * count for value, count in items) / n
    return DurationSummary(n, median, p90, mean, items[-1][0])


# --------------------------------------------------------------------------- periods


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class DateRange:
    """Calendar dates from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        _require_date(self.start, "start")
        _require_date(self.end, "end")
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> date:
        """The day after ``end``, for half-open queries (``start <= day < end_exclusive``)."""
        return self.end + timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return (
            isinstance(day, date)
            and not isinstance(day, datetime)
            and self.start <= day <= self.end
        )


@dataclass(frozen=True)
class PeriodWindow:
    """The span so far (``current``, ending today) and the same span before (``previous``)."""

    period: Period
    current: DateRange
    previous: DateRange


def _same_day_previous_month(day: date) -> date:
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_window(period: Period | str, today: date) -> PeriodWindow:
    """Today, this ISO week (Monday start) or this month so far, and the same span before.

    * day: ``today`` against the day before;
    * week: Monday to ``today`` against Monday to the same weekday a week earlier;
    * month: the 1st to ``today`` against the 1st to the same day of the previous month, clamped
      to its last day (29-31 March compare with all of February, so those spans differ in
      length; the figure is "this month so far" against "last month as far", as people read it).
    """
    _require_date(today, "today")
    kind = Period(period)
    if kind is Period.DAY:
        yesterday = today - timedelta(days=1)
        return PeriodWindow(kind, DateRange(today, today), DateRange(yesterday, yesterday))
    if kind is Period.WEEK:
        monday = today - timedelta(days=today.weekday())
        week = timedelta(days=7)
        return PeriodWindow(kind, DateRange(monday, today), DateRange(monday - week, today - week))
    last = _same_day_previous_month(today)
    return PeriodWindow(
        kind, DateRange(today.replace(day=1), today), DateRange(last.replace(day=1), last)
    )


def period_windows(today: date) -> dict[Period, PeriodWindow]:
    """:func:`period_window` for the day, the week and the month, in that order."""
    return {kind: period_window(kind, today) for kind in Period}


@dataclass(frozen=True)
class Change:
    """A count against its base: ``absolute`` difference and ``percent`` (None when base is 0)."""

    current: int
    previous: int
    absolute: int
    percent: float | None

    @property
    def direction(self) -> str:
        """ "up", "down" or "same" (stable strings for templates and CSS classes)."""
        return "up" if self.absolute > 0 else "down" if self.absolute < 0 else "same"


def compare_counts(current: int, previous: int) -> Change:
    """``current`` against ``previous``: 12 against 8 is +4, +50.0 %; against 0, percent None."""
    _require_count(current, "current")
    _require_count(previous, "previous")
    percent = (current - previous) * 100 / previous if previous else None
    return Change(current, previous, current - previous, percent)


# --------------------------------------------------------------------------- rising categories

#: Baseline length of the rising-categories panel, in weeks.
BASELINE_WEEKS: Final = 8


def rising_windows(
    today: date, weeks: int = BASELINE_WEEKS
) -> tuple[DateRange, tuple[DateRange, ...]]:
    """This ISO week so far (Monday to ``today``) and the same weekdays of the ``weeks`` weeks
    before, most recent first: a Wednesday compares Monday-Wednesday with Monday-Wednesday, so a
    week that has just begun is not read as a fall."""
    _require_date(today, "today")
    if _require_count(weeks, "weeks") == 0:
        raise ValueError("weeks must be at least 1")
    monday = today - timedelta(days=today.weekday())
    baseline = tuple(
        DateRange(monday - timedelta(weeks=w), today - timedelta(weeks=w))
        for w in range(1, weeks + 1)
    )
    return DateRange(monday, today), baseline


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly term by term (no approximation).

    The terms are summed from ``k`` away from the mode, where they shrink, and the sum stops once
    they no longer change it; for ``k`` at or below the mode the complement P(X <= k - 1) is summed
    instead. Relative error about 1e-12.
    """
    _require_count(k, "k")
    _require_count(n, "n")
    p = _require_probability(p, "p")
    if k == 0:
        return 1.0
    if k > n or p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)

    def pmf(i: int) -> float:
        return math.exp(
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )

    odds = p / (1 - p)
    mode = math.floor((n + 1) * p)
    total = 0.0
    if k > mode:
        term, i = pmf(k), k
        while term > 0.0 and i <= n:
            total += term
            if term <= total * 1e-17:
                break
            term *= (n - i) / (i + 1) * odds
            i += 1
        return min(1.0, total)
    term, i = pmf(k - 1), k - 1
    while term > 0.0 and i >= 0:
        total += term
        if term <= total * 1e-17:
            break
        term *= i / (n - i + 1) / odds
        i -= 1
    return max(0.0, 1.0 - total)


@dataclass(frozen=True)
class CategoryCounts:
    """A category's reports in the current span and in all baseline spans together."""

    key: str
    current: int
    baseline_total: int
    label: str = ""

    def __post_init__(self) -> None:
        _require_count(self.current, "current")
        _require_count(self.baseline_total, "baseline_total")


@dataclass(frozen=True)
class RisingCategory:
    """A category reported significantly more often than in its baseline."""

    key: str
    label: str
    current: int
    #: Mean count per baseline span (baseline_total / weeks).
    baseline_mean: float
    #: current / baseline_mean; None for a category new this week (no baseline reports).
    ratio: float | None
    #: One-sided p-value of the conditional binomial test, before correction.
    p_value: float
    #: Holm-adjusted p-value (compared with alpha).
    adjusted_p_value: float


def rising_categories(
    counts: Iterable[CategoryCounts],
    *,
    baseline_weeks: int = BASELINE_WEEKS,
    alpha: float = 0.05,
    min_current: int = 5,
    min_ratio: float = 1.5,
) -> list[RisingCategory]:
    """Categories whose count this week is significantly above their baseline.

    A category is tested when it has at least ``min_current`` reports in the current span (fewer
    cannot be told from noise and would only weaken the correction). Its p-value is
    P(X >= current) for X ~ Binomial(current + baseline_total, 1 / (baseline_weeks + 1)) (see the
    module's docstring); the p-values of all tested categories are Holm-adjusted, and a category is
    flagged when its adjusted p-value is at most ``alpha`` and its ratio to the baseline mean is at
    least ``min_ratio`` (a new category, with no baseline reports, always passes the ratio).

    Sorted by adjusted p-value, then p-value, then ratio (new categories first, then higher), then
    key.
    """
    if _require_count(baseline_weeks, "baseline_weeks") == 0:
        raise ValueError("baseline_weeks must be at least 1")
    alpha = _require_probability(alpha, "alpha")
    _require_count(min_current, "min_current")
    if isinstance(min_ratio, bool) or not isinstance(min_ratio, int | float) or min_ratio < 0:
        raise ValueError(f"min_ratio must be a non-negative number, got {min_ratio!r}")
    rows = list(counts)
    if len({row.key for row in rows}) != len(rows):
        raise ValueError("duplicate category keys")
    tested = [row for row in rows if row.current >= max(1, min_current)]
    share = 1 / (baseline_weeks + 1)
    p_values = [
        binomial_upper_tail(row.current, row.current + row.baseline_total, share) for row in tested
    ]
    # Holm: the i-th smallest of m p-values is multiplied by (m - i + 1), made monotone.
    m = len(tested)
    order = sorted(range(m), key=lambda i: (p_values[i], tested[i].key))
    adjusted = [1.0] * m
    running = 0.0
    for position, i in enumerate(order):
        running = max(running, min(1.0, (m - position) * p_values[i]))
        adjusted[i] = running
    flagged: list[RisingCategory] = []
    for i, row in enumerate(tested):
        mean = row.baseline_total / baseline_weeks
        ratio = row.current / mean if mean else None
        if adjusted[i] <= alpha and (ratio is None or ratio >= min_ratio):
            flagged.append(
                RisingCategory(
                    row.key, row.label, row.current, mean, ratio, p_values[i], adjusted[i]
                )
            )
    flagged.sort(
        key=lambda r: (
            r.adjusted_p_value,
            r.p_value,
            0 if r.ratio is None else 1,
            -(r.ratio or 0.0),
            r.key,
        )
    )
    return flagged


# --------------------------------------------------------------------------- palettes

#: Okabe & Ito (2008), "Color Universal Design": eight colours told apart with every common
#: form of colour blindness. Canonical order.
OKABE_ITO: Final = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The Okabe-Ito colours in the order chart series take them: strong colours first; yellow (weak
#: on white) and black (invisible on the wallboard's dark theme) last. charts.js holds the same
#: list (a test compares them).
SERIES_COLOURS: Final = tuple(
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "yellow",
        "black",
    )
)


def series_colour(index: int) -> str:
    """The colour of the index-th series (cycling after eight)."""
    return SERIES_COLOURS[_require_count(index, "index") % len(SERIES_COLOURS)]


#: ColorBrewer's YlOrRd sequential scheme, 3 to 9 classes, light to dark. Colours from
#: www.ColorBrewer.org by Cynthia A. Brewer, Geography, Pennsylvania State University (Apache
#: License 2.0); marked colour-blind safe there.
YLORRD: Final[Mapping[int, tuple[str, ...]]] = {
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: (
        "#ffffcc",
        "#ffeda0",
        "#fed976",
        "#feb24c",
        "#fd8d3c",
        "#fc4e2a",
        "#e31a1c",
        "#bd0026",
        "#800026",
    ),
}

#: Fill for an area without a figure (e.g. per 10,000 residents where no population is loaded).
NO_DATA_COLOUR: Final = "#cccccc"

MAX_CLASSES: Final = 9


def sequential_palette(classes: int) -> tuple[str, ...]:
    """``classes`` colours of YlOrRd, light to dark (1 and 2 classes take from the 3-class set)."""
    if _require_count(classes, "classes") == 0 or classes > MAX_CLASSES:
        raise ValueError(f"classes must be between 1 and {MAX_CLASSES}, got {classes}")
    if classes == 1:
        return YLORRD[3][:1]
    if classes == 2:
        return YLORRD[3][0], YLORRD[3][2]
    return YLORRD[classes]


# --------------------------------------------------------------------------- class breaks


@dataclass(frozen=True)
class ClassBreak:
    """One legend class: the smallest and largest data value in it (both included)."""

    lower: float
    upper: float


@dataclass(frozen=True)
class Legend:
    """Classes of a choropleth, lowest first, with one colour each."""

    classes: tuple[ClassBreak, ...]
    colours: tuple[str, ...]

    def classify(self, value: float | None) -> int | None:
        """The index of the class for ``value``: the first whose upper bound is >= value (values
        between two classes go to the higher one, above the last to the last). None for None or
        an empty legend."""
        if value is None or not self.classes:
            return None
        for index, cls in enumerate(self.classes):
            if value <= cls.upper:
                return index
        return len(self.classes) - 1

    def colour(self, value: float | None) -> str:
        """The fill for ``value``; :data:`NO_DATA_COLOUR` for None."""
        index = self.classify(value)
        return NO_DATA_COLOUR if index is None else self.colours[index]


def _quantile_uppers(values: list[float], classes: int) -> list[float]:
    n = len(values)
    return [values[math.ceil(i * n / classes) - 1] for i in range(1, classes)] + [values[-1]]


def _jenks_uppers(values: list[float], classes: int) -> list[float]:
    """Fisher-Jenks natural breaks: the split of the sorted values into ``classes`` runs with the
    least total within-class squared deviation, by dynamic programming over the distinct values
    weighted by their counts (O(classes * distinct**2))."""
    distinct: list[float] = []
    weights: list[int] = []
    for value in values:
        if distinct and distinct[-1] == value:
            weights[-1] += 1
        else:
            distinct.append(value)
            weights.append(1)
    d = len(distinct)
    w_sum, x_sum, xx_sum = [0.0], [0.0], [0.0]
    for value, weight in zip(distinct, weights, strict=True):
        w_sum.append(w_sum[-1] + weight)
        x_sum.append(x_sum[-1] + weight * value)
        xx_sum.append(xx_sum[-1] + weight * value * value)

    def cost(i: int, j: int) -> float:  # distinct[i:j]
        w = w_sum[j] - w_sum[i]
        s = x_sum[j] - x_sum[i]
        return max(0.0, xx_sum[j] - xx_sum[i] - s * s / w)

    inf = math.inf
    # best[c][j]: least cost of splitting distinct[:j] into c + 1 classes; cut[c][j]: its last cut.
    best = [[inf] * (d + 1) for _ in range(classes)]
    cut = [[0] * (d + 1) for _ in range(classes)]
    for j in range(1, d + 1):
        best[0][j] = cost(0, j)
    for c in range(1, classes):
        for j in range(c + 1, d + 1):
            for i in range(c, j):
                candidate = best[c - 1][i] + cost(i, j)
                if candidate < best[c][j]:
                    best[c][j], cut[c][j] = candidate, i
    uppers: list[float] = []
    j = d
    for c in range(classes - 1, 0, -1):
        i = cut[c][j]
        uppers.append(distinct[j - 1])
        j = i
    uppers.append(distinct[j - 1])
    return uppers[::-1]


def _breaks(values: list[float], classes: int, method: str) -> list[ClassBreak]:
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        return [ClassBreak(v, v) for v in distinct]
    uppers = (
        _quantile_uppers(values, classes)
        if method == "quantile"
        else _jenks_uppers(values, classes)
    )
    result: list[ClassBreak] = []
    position = 0
    for upper in uppers:
        if result and upper <= result[-1].upper:
            continue  # ties made two quantiles equal: one class fewer
        lower = values[position]
        while position < len(values) and values[position] <= upper:
            position += 1
        result.append(ClassBreak(lower, upper))
    return result


def class_breaks(
    values: Iterable[float | None],
    classes: int = 5,
    *,
    method: str = "quantile",
    separate_zero: bool = True,
) -> tuple[ClassBreak, ...]:
    """Split values (e.g. reports per kelurahan) into at most ``classes`` legend classes.

    * ``method="quantile"``: class i ends at the nearest-rank i/classes quantile, so classes hold
      about equally many areas; ``"jenks"``: Fisher-Jenks natural breaks.
    * None values (no figure) are left out; no values give no classes.
    * With ``separate_zero`` and non-negative values that include 0, zero is a class of its own
      (areas with no reports look different from areas with few) and the positive values share
      the remaining ``classes - 1``; all-zero input gives the single class 0-0.
    * When there are no more distinct values than classes, each distinct value is a class; ties
      may merge quantile classes, so fewer classes than asked can come back.
    """
    if _require_count(classes, "classes") == 0 or classes > MAX_CLASSES:
        raise ValueError(f"classes must be between 1 and {MAX_CLASSES}, got {classes}")
    if method not in ("quantile", "jenks"):
        raise ValueError(f"method must be 'quantile' or 'jenks', got {method!r}")
    data: list[float] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
            raise TypeError(f"a value must be a number or None, not {type(value).__name__}")
        if not math.isfinite(value):
            raise ValueError(f"a value must be finite, got {value}")
        # Decimal (from the database) and Fraction become floats: the Jenks sums mix them.
        data.append(value if isinstance(value, int | float) else float(value))
    data.sort()
    if not data:
        return ()
    if separate_zero and classes > 1 and data[0] == 0:
        positive = [v for v in data if v > 0]
        zero = [ClassBreak(data[0], data[0])]
        return tuple(zero + (_breaks(positive, classes - 1, method) if positive else []))
    return tuple(_breaks(data, classes, method))


def choropleth_legend(
    values: Iterable[float | None],
    classes: int = 5,
    *,
    method: str = "quantile",
    separate_zero: bool = True,
) -> Legend:
    """:func:`class_breaks` with a YlOrRd colour per class (as many colours as classes came
    back: two distinct values give two colours, light and dark)."""
    breaks = class_breaks(values, classes, method=method, separate_zero=separate_zero)
    return Legend(breaks, sequential_palette(len(breaks)) if breaks else ())
