"""Ombudsman RI compliance assessment: zone, category and opinion for a score (0–100) and year.

Pure Python, no Django. The Ombudsman changed its scheme twice, so the year of the assessment
chooses the table (domain.md §2):

* up to 2021 — Penilaian Kepatuhan Standar Pelayanan Publik: zona hijau / kuning / merah with
  predikat kepatuhan tinggi / sedang / rendah (domain.md §2.1). ``code`` is the zone.
* 2022–2024 — Opini Pengawasan Penyelenggaraan Pelayanan Publik: kategori A–E with an opini and a
  zone (domain.md §2.2). Range of E UNCONFIRMED (taken from the 2025 scheme, §9 item 6).
* from 2025 — Opini Ombudsman (Peraturan Ombudsman 61/2025): as 2022–2024 with "Kualitas Tertinggi
  Tanpa Maladministrasi" on top and a zona hitam for 0–31.99 (domain.md §2.3). Full rules
  UNCONFIRMED: the letters and every label but the top one are carried over from 2022–2024.

Categories are decided on the score rounded to 2 dp (half up), as the tables' 2-dp gaps imply.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from satupintu.domain.indices.bands import Band, Grade, Number, Scheme

__all__ = [
    "OMBUDSMAN_2021",
    "OMBUDSMAN_2022",
    "OMBUDSMAN_2025",
    "ombudsman_category",
    "ombudsman_scheme",
]

# Zones, as the Ombudsman names them (zona hijau, kuning, merah, hitam).
HIJAU: Final = "hijau"
KUNING: Final = "kuning"
MERAH: Final = "merah"
HITAM: Final = "hitam"

_MINIMUM: Final = Decimal("0")  # domain.md §2: scores 0–100
_MAXIMUM: Final = Decimal("100")

LAST_ZONE_YEAR: Final = 2021  # domain.md §2.1: zone scheme up to 2021
FIRST_2025_YEAR: Final = 2025  # domain.md §2.3: Peraturan Ombudsman 61/2025 from 2025

#: domain.md §2.1 (up to 2021).
OMBUDSMAN_2021: Final = Scheme(
    name="Zona kepatuhan Ombudsman (s.d. 2021)",
    source="domain.md §2.1",
    minimum=_MINIMUM,
    maximum=_MAXIMUM,
    bands=(
        Band(HIJAU, "Kepatuhan Tinggi", Decimal("81.00"), HIJAU),  # domain.md §2.1: 81.00 – 100
        Band(KUNING, "Kepatuhan Sedang", Decimal("51.00"), KUNING),  # §2.1: 51.00 – 80.99
        Band(MERAH, "Kepatuhan Rendah", Decimal("0"), MERAH),  # domain.md §2.1: 0 – 50.99
    ),
)

#: domain.md §2.2 (2022–2024).
OMBUDSMAN_2022: Final = Scheme(
    name="Opini Ombudsman 2022–2024",
    source="domain.md §2.2",
    minimum=_MINIMUM,
    maximum=_MAXIMUM,
    bands=(
        Band("A", "Kualitas Tertinggi", Decimal("88.00"), HIJAU),  # domain.md §2.2: 88.00 – 100
        Band("B", "Kualitas Tinggi", Decimal("78.00"), HIJAU),  # domain.md §2.2: 78.00 – 87.99
        # domain.md §2.2: 54.00 – 77.99 (one source prints 77.79, a typo)
        Band("C", "Kualitas Sedang", Decimal("54.00"), KUNING),
        Band("D", "Kualitas Rendah", Decimal("32.00"), MERAH),  # domain.md §2.2: 32.00 – 53.99
        Band(
            "E",
            "Kualitas Terendah",
            Decimal("0"),  # domain.md §2.2: 0 – 31.99, [D] from the 2025 scheme
            MERAH,
            unconfirmed="range UNCONFIRMED: taken from the 2025 scheme (domain.md §2.2, §9 item 6)",
        ),
    ),
)

_CARRIED_OVER: Final = "label UNCONFIRMED: carried over from 2022–2024 (domain.md §2.3)"

#: domain.md §2.3 (from 2025, Peraturan Ombudsman 61/2025).
OMBUDSMAN_2025: Final = Scheme(
    name="Opini Ombudsman 2025 (Peraturan Ombudsman 61/2025)",
    source="domain.md §2.3",
    minimum=_MINIMUM,
    maximum=_MAXIMUM,
    bands=(
        # domain.md §2.3: hijau 88–100, top opinion as reported.
        Band("A", "Kualitas Tertinggi Tanpa Maladministrasi", Decimal("88.00"), HIJAU),
        # domain.md §2.3: hijau 78–87.99
        Band("B", "Kualitas Tinggi", Decimal("78.00"), HIJAU, unconfirmed=_CARRIED_OVER),
        # domain.md §2.3: kuning 54–… (upper bound not reported; 77.99 follows from B)
        Band("C", "Kualitas Sedang", Decimal("54.00"), KUNING, unconfirmed=_CARRIED_OVER),
        # domain.md §2.3: merah 32–53.99
        Band("D", "Kualitas Rendah", Decimal("32.00"), MERAH, unconfirmed=_CARRIED_OVER),
        # domain.md §2.3: zona hitam 0–31.99
        Band("E", "Kualitas Terendah", Decimal("0"), HITAM, unconfirmed=_CARRIED_OVER),
    ),
    unconfirmed=(
        "full rules UNCONFIRMED: letters A–E carried over from 2022–2024 (domain.md §2.3)"
    ),
)


def ombudsman_scheme(year: int) -> Scheme:
    """The table in force for an assessment ``year`` (domain.md §2.1–§2.3)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be a whole number, not {type(year).__name__}")
    if year <= LAST_ZONE_YEAR:
        return OMBUDSMAN_2021
    if year < FIRST_2025_YEAR:
        return OMBUDSMAN_2022
    return OMBUDSMAN_2025


def ombudsman_category(score: Number, *, year: int, scheme: Scheme | None = None) -> Grade:
    """Zone and category of an Ombudsman compliance score (0–100) for an assessment year.

    ``scheme`` replaces the default table of that year (an administrator's corrected table).
    """
    default = ombudsman_scheme(year)  # checks the year even when a table is given
    table = default if scheme is None else scheme
    return table.classify(score, f"Ombudsman score ({year})")
