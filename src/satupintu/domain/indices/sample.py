"""SKM sample size by Krejcie & Morgan (1970), as PermenPANRB 14/2017 prescribes (domain.md §3.4).

Pure Python, no Django::

    s = χ² · N · P(1 − P) / (d² (N − 1) + χ² · P(1 − P))

with χ² = 3.841 (1 degree of freedom, 95 % confidence), P = 0.5 and d = 0.05, rounded to the
nearest whole respondent (half up). Exact arithmetic: no float rounding can tip a result.

The formula reproduces the published table (domain.md §3.4) except at N = 100,000, where it gives
382.63 → 383 while the table prints 384; :data:`PUBLISHED` keeps the printed values and
:data:`DISCREPANCIES` the difference. The formula's own value is returned. For N = 10,000 the
formula gives 369.93 → 370, siding with the commonly cited 370 against one copy's 373.
s rises with N towards χ²P(1−P)/d² = 384.16 and never exceeds N.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Final

__all__ = ["CHI_SQUARE", "DISCREPANCIES", "MARGIN", "PROPORTION", "PUBLISHED", "sample_size"]

CHI_SQUARE: Final = Fraction("3.841")  # domain.md §3.4 (Krejcie & Morgan): χ², 1 df, 95 %
PROPORTION: Final = Fraction(1, 2)  # domain.md §3.4: P = 0.5, the most conservative proportion
MARGIN: Final = Fraction(1, 20)  # domain.md §3.4: d = 0.05, degree of accuracy

#: The Krejcie–Morgan table as domain.md §3.4 quotes it (population → sample).
PUBLISHED: Final[Mapping[int, int]] = MappingProxyType(
    {
        10: 10,
        50: 44,
        100: 80,
        200: 132,
        300: 169,
        500: 217,
        1_000: 278,
        2_000: 322,
        5_000: 357,
        10_000: 370,  # domain.md §3.4: 370 commonly cited, 373 in one copy; the formula gives 370
        100_000: 384,  # the formula gives 382.63 -> 383: see DISCREPANCIES
        1_000_000: 384,
    }
)

#: Published values the formula does not reproduce: population -> (published, formula).
#: domain.md §3.4 lists 100,000 -> 384; the formula gives 382.63, i.e. 383.
DISCREPANCIES: Final[Mapping[int, tuple[int, int]]] = MappingProxyType({100_000: (384, 383)})

_VARIANCE: Final = CHI_SQUARE * PROPORTION * (1 - PROPORTION)  # χ² · P(1 − P)


def sample_size(population: int) -> int:
    """Krejcie–Morgan sample size for a population of ``population`` service recipients."""
    if isinstance(population, bool) or not isinstance(population, int):
        raise TypeError(f"population must be a whole number, not {type(population).__name__}")
    if population < 1:
        raise ValueError(f"population must be at least 1, got {population}")
    exact = _VARIANCE * population / (MARGIN**2 * (population - 1) + _VARIANCE)
    return math.floor(exact + Fraction(1, 2))  # nearest whole respondent, half up
