"""SAKIP predikat from the Evaluasi AKIP score (PermenPANRB 88/2021), domain.md §5.

Pure Python, no Django. Bands are "> lower – upper": the lower bound exclusive, the upper bound
inclusive, so 80 is BB and 80.01 is A ([S70] uses "≤ upper bound"; domain.md §5 asks to confirm).
D runs from 0 inclusive. The predikat is decided on the score rounded to 2 dp (half up), like the
other indices: 80.004 → 80.00 → BB; 80.005 → 80.01 → A.

UNCONFIRMED (domain.md §5, §9 item 7): every label (recalled, not sourced) and the inclusivity
of the bounds. The ranges themselves were read in sources.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from satupintu.domain.indices.bands import Band, Grade, Number, Scheme

__all__ = ["SAKIP_2021", "sakip_category"]

#: domain.md §5 table; every band but D excludes its lower bound.
SAKIP_2021: Final = Scheme(
    name="Predikat SAKIP (PermenPANRB 88/2021)",
    source="domain.md §5",
    minimum=Decimal("0"),  # domain.md §5: 0 – 100
    maximum=Decimal("100"),
    bands=(
        Band("AA", "Sangat Memuaskan", Decimal("90"), lower_inclusive=False),  # §5: >90 – 100
        Band("A", "Memuaskan", Decimal("80"), lower_inclusive=False),  # domain.md §5: >80 – 90
        Band("BB", "Sangat Baik", Decimal("70"), lower_inclusive=False),  # domain.md §5: >70 – 80
        Band("B", "Baik", Decimal("60"), lower_inclusive=False),  # domain.md §5: >60 – 70
        Band("CC", "Cukup/Memadai", Decimal("50"), lower_inclusive=False),  # §5: >50 – 60
        Band("C", "Kurang", Decimal("30"), lower_inclusive=False),  # domain.md §5: >30 – 50
        Band("D", "Sangat Kurang", Decimal("0")),  # domain.md §5: 0 – 30
    ),
    unconfirmed=(
        "labels UNCONFIRMED (recalled, not sourced) and bound inclusivity UNCONFIRMED "
        "(domain.md §5, §9 item 7)"
    ),
)


def sakip_category(value: Number, scheme: Scheme = SAKIP_2021) -> Grade:
    """Predikat of a SAKIP evaluation score (0–100), decided on the value rounded to 2 dp."""
    return scheme.classify(value, "SAKIP score")
