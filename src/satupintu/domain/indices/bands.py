"""Category tables shared by every index: a value, rounded to 2 dp, falls into one band.

Pure Python, no Django. Each index module (ikm, pekppp, ombudsman, sakip) describes its
published table as a :class:`Scheme` of :class:`Band` rows, highest band first, and classifies a
value with :meth:`Scheme.classify`, which returns a frozen :class:`Grade`.

Rules common to every table (documented in docs/indices.md):

* The value must lie within the scheme's range, checked on the value as given; otherwise
  ``ValueError`` naming the allowed range.
* The category is decided on the value **rounded to 2 decimal places, half up**, because every
  table in domain.md §2–§5 is printed with 2 dp and leaves gaps between its bands (64.99 | 65.00,
  4.50 | 4.51, 80.99 | 81.00): 4.505 rounds to 4.51 (PEKPPP A), 4.5049 to 4.50 (A-).
* A band's ``lower`` bound is inclusive unless ``lower_inclusive`` is False (SAKIP's "> 80").
* Bands and schemes carry an ``unconfirmed`` note copied from domain.md: defaults an administrator
  may replace by building another :class:`Scheme` from the regulation's text.

Numbers are handled exactly: ints, ``Fraction`` and ``Decimal`` as they are, a float by its
shortest decimal repr (``4.505`` means 4.505, not the binary 4.50499999...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

__all__ = ["Band", "Grade", "Number", "Scheme", "round2", "round_to", "to_fraction"]

#: Numbers the calculators accept. ``bool`` is refused although Python counts it as an int.
Number = int | float | Decimal | Fraction

_HALF: Final = Fraction(1, 2)


def to_fraction(value: Number, what: str = "value") -> Fraction:
    """``value`` as an exact Fraction; TypeError for non-numbers, ValueError for NaN/infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if isinstance(value, float):
        value = Decimal(repr(value))  # shortest decimal that reads back as this float: as typed
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value}")
    return Fraction(value)


def round_to(value: Fraction, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimal places, half up (towards +infinity at the tie)."""
    return Decimal(math.floor(value * 10**places + _HALF)).scaleb(-places)


def round2(value: Fraction) -> Decimal:
    """``value`` rounded to 2 decimal places, half up (towards +infinity at the tie)."""
    return round_to(value, 2)


def _format(value: Decimal) -> str:
    """Shortest plain text for a bound: 100, 88.31, 0.5 (never an exponent)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Band:
    """One row of a category table: values from ``lower`` up to the next band's lower bound."""

    code: str
    label: str
    #: Lowest value (2 dp) in the band; inclusive unless ``lower_inclusive`` is False.
    lower: Decimal
    #: Zona (hijau, kuning, merah, hitam) where the table has one; None otherwise.
    zone: str | None = None
    lower_inclusive: bool = True
    #: Why this row is a default rather than read in the regulation ("" when it was read).
    unconfirmed: str = ""


@dataclass(frozen=True)
class Grade:
    """A value placed in its category."""

    #: The value the category was decided on: the input rounded to 2 dp, half up.
    value: Decimal
    code: str
    label: str
    zone: str | None
    #: Name of the table used, e.g. "Opini Ombudsman 2022–2024".
    scheme: str
    #: Where the table comes from, e.g. "domain.md §2.2".
    source: str
    #: What is UNCONFIRMED about this row or its table ("" when everything was read in a source).
    unconfirmed: str

    @property
    def confirmed(self) -> bool:
        return not self.unconfirmed


@dataclass(frozen=True)
class Scheme:
    """A category table: ``bands`` from the highest to the lowest, covering [minimum, maximum]."""

    name: str
    source: str
    minimum: Decimal
    maximum: Decimal
    bands: tuple[Band, ...]
    #: What is UNCONFIRMED about the whole table ("" when it was read in a source).
    unconfirmed: str = ""

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError(f"{self.name}: a scheme needs at least one band")
        if self.minimum >= self.maximum:
            raise ValueError(f"{self.name}: minimum {self.minimum} must be below {self.maximum}")
        codes = [band.code for band in self.bands]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: band codes must be unique, got {codes}")
        lowers = [band.lower for band in self.bands]
        if any(high <= low for high, low in zip(lowers, lowers[1:], strict=False)):
            raise ValueError(f"{self.name}: bands must be listed highest first, got {lowers}")
        if lowers[0] > self.maximum:
            raise ValueError(f"{self.name}: band {codes[0]} starts above the maximum")
        last = self.bands[-1]
        if last.lower != self.minimum or not last.lower_inclusive:
            raise ValueError(
                f"{self.name}: the lowest band must start at the minimum {self.minimum} inclusive"
            )

    @property
    def range_text(self) -> str:
        return f"{_format(self.minimum)}–{_format(self.maximum)}"

    def check(self, value: Number, what: str = "value") -> Fraction:
        """``value`` as a Fraction, or ValueError when it lies outside [minimum, maximum]."""
        exact = to_fraction(value, what)
        if not self.minimum <= exact <= self.maximum:
            raise ValueError(
                f"{what} must be between {_format(self.minimum)} and {_format(self.maximum)} "
                f"({self.name}), got {value}"
            )
        return exact

    def band_for(self, value: Number, what: str = "value") -> tuple[Decimal, Band]:
        """The value rounded to 2 dp and the band it falls in."""
        rounded = round2(self.check(value, what))
        for band in self.bands:
            if rounded > band.lower or (band.lower_inclusive and rounded == band.lower):
                return rounded, band
        return rounded, self.bands[-1]  # pragma: no cover - the lowest band starts at minimum

    def classify(self, value: Number, what: str = "value") -> Grade:
        rounded, band = self.band_for(value, what)
        return Grade(
            value=rounded,
            code=band.code,
            label=band.label,
            zone=band.zone,
            scheme=self.name,
            source=self.source,
            unconfirmed="; ".join(note for note in (self.unconfirmed, band.unconfirmed) if note),
        )

    def rank(self, code: str) -> int:
        """0 for the lowest band, rising with the band: for ordering and comparisons."""
        for index, band in enumerate(reversed(self.bands)):
            if band.code == code:
                return index
        raise KeyError(code)
