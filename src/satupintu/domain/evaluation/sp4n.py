"""Complaint-management indicators (SP4N-LAPOR!): the arithmetic on aggregated rows.

Pure Python, no Django. The database counts and groups (evaluation/indicators.py); this module
turns counts into shares and histograms of working days into medians, exactly (Fractions).

domain.md §1.10: KemenPANRB's own SP4N-LAPOR! indicators (waktu tindak lanjut, keaktifan akun,
...) and their weights are UNCONFIRMED, so these are the measures the system can compute, not the
ministry's formula. The deadline behind "followed up in time" is the stored first follow-up
deadline of each disposisi (5 working days by default, domain.md §1.6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

__all__ = ["complaint_score", "mean", "median_from_histogram", "merge_histograms", "share"]


def share(part: int, whole: int) -> Fraction | None:
    """part / whole, or None when there is nothing to divide (whole = 0)."""
    if whole < 0 or not 0 <= part <= whole:
        raise ValueError(f"part ({part}) must be between 0 and whole ({whole})")
    return Fraction(part, whole) if whole else None


def mean(total: int, count: int) -> Fraction | None:
    """total / count, or None when count = 0."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    return Fraction(total, count) if count else None


def merge_histograms(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """One histogram (value → how many) from several."""
    merged: dict[int, int] = {}
    for histogram in histograms:
        for value, count in histogram.items():
            merged[value] = merged.get(value, 0) + count
    return merged


def median_from_histogram(histogram: Mapping[int, int]) -> Fraction | None:
    """The median of the values a histogram counts (value → how many), or None when empty.

    With an even number of values it is the mean of the two middle ones (so may end in .5).
    """
    if any(count < 0 for count in histogram.values()):
        raise ValueError("a histogram cannot count a value a negative number of times")
    total = sum(histogram.values())
    if total == 0:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    low = high = None
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        if count == 0:
            continue
        if low is None and low_rank < seen + count:
            low = value
        if high_rank < seen + count:
            high = value
            break
        seen += count
    assert low is not None and high is not None  # noqa: S101 - total > 0 reaches both ranks
    return Fraction(low + high, 2)


def complaint_score(on_time: Fraction | None, overdue: Fraction | None) -> int | None:
    """A default 0–5 score for complaint handling (PEKPPP *Konsultasi dan Pengaduan*).

    The mean of the measures available, the share followed up in time and the share finished
    within the deadline (1 − share overdue), times 5, rounded down. None without either measure.
    A default: the instrument's own rubric is not in domain.md §4.1.
    """
    parts = [p for p in (on_time, None if overdue is None else 1 - overdue) if p is not None]
    for part in parts:
        if not 0 <= part <= 1:
            raise ValueError(f"shares must be between 0 and 1, got {part}")
    if not parts:
        return None
    return math.floor(5 * sum(parts, Fraction(0)) / len(parts))
