"""PEKPPP / Indeks Pelayanan Publik (IPP): the weighted index and its category.

Pure Python, no Django. Sources, as summarised in domain.md §4: PermenPANRB 29/2022 (PEKPPP)
amended by PermenPANRB 4/2023; instrument of Pedoman Menteri PANRB 5/2023 (2023–2025).

* Six aspects with weights totalling 100 % (domain.md §4.1).
* Indicators within an aspect with within-aspect weights totalling 100 %; each indicator is scored
  0–5 by rubric (domain.md §4.1).
* index = Σ_aspect weight × Σ_indicator weight × score, on the 0–5 scale (domain.md §4.1).
* Category from the 0.5-wide bands of domain.md §4.2, on the index rounded to 2 dp (half up):
  4.505 → 4.51 → A; 4.5049 → 4.50 → A-.

Only the Kebijakan Pelayanan indicators are listed in domain.md §4.1. Every other aspect is, by
default, ONE indicator carrying the aspect's score (``placeholder=True``): an administrator replaces
it with the instrument's indicators by building another :class:`Instrument`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

from satupintu.domain.indices.bands import Band, Grade, Number, Scheme, to_fraction

__all__ = [
    "PEKPPP_2023",
    "PEKPPP_CATEGORIES",
    "SCORE_MAX",
    "SCORE_MIN",
    "Aspect",
    "AspectResult",
    "Indicator",
    "Instrument",
    "PekpppResult",
    "pct",
    "pekppp_category",
    "pekppp_index",
]

SCORE_MIN: Final = Decimal(0)  # domain.md §4.1: each indicator scored 0–5; index scale 0–5
SCORE_MAX: Final = Decimal(5)  # domain.md §4.1


def pct(percent: int) -> Fraction:
    """A weight given in percent, exactly: ``pct(24) == Fraction(24, 100)``."""
    return Fraction(percent, 100)


def _check_weights(what: str, weights: Mapping[str, Fraction]) -> None:
    for code, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, Fraction | int):
            raise TypeError(
                f"{what}: weight of {code} must be an exact Fraction (e.g. pct(24)), "
                f"not {type(weight).__name__}"
            )
        if weight <= 0:
            raise ValueError(f"{what}: weight of {code} must be positive")
    total = sum(weights.values(), Fraction(0))
    if total != 1:  # domain.md §4.1: weights total 100 %
        raise ValueError(f"{what}: weights must total 100%, got {float(total * 100):g}%")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    #: Share within its aspect.
    weight: Fraction
    #: True for a stand-in that administrators should replace with the instrument's indicators.
    placeholder: bool = False


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Fraction
    indicators: tuple[Indicator, ...]

    @classmethod
    def single(cls, code: str, name: str, weight: Fraction) -> Aspect:
        """An aspect scored as a whole: one placeholder indicator with the aspect's code."""
        return cls(code, name, weight, (Indicator(code, name, Fraction(1), placeholder=True),))


@dataclass(frozen=True)
class Instrument:
    """Aspects and indicators with their weights; both levels must total exactly 100 %."""

    name: str
    source: str
    aspects: tuple[Aspect, ...]

    def __post_init__(self) -> None:
        if not self.aspects:
            raise ValueError(f"{self.name}: an instrument needs at least one aspect")
        _check_weights(self.name, {aspect.code: aspect.weight for aspect in self.aspects})
        codes: list[str] = []
        for aspect in self.aspects:
            if not aspect.indicators:
                raise ValueError(f"{self.name}: aspect {aspect.code} has no indicator")
            _check_weights(
                f"{self.name}, aspect {aspect.code}",
                {indicator.code: indicator.weight for indicator in aspect.indicators},
            )
            codes.extend(indicator.code for indicator in aspect.indicators)
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: indicator codes must be unique, got {codes}")

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(ind.code for aspect in self.aspects for ind in aspect.indicators)


#: The 2023–2025 instrument (domain.md §4.1). Indicator names paraphrase domain.md §4.1; the
#: instrument's exact wording was not read.
PEKPPP_2023: Final = Instrument(
    name="PEKPPP 2023–2025 (Pedoman Menteri PANRB 5/2023)",
    source="domain.md §4.1",
    aspects=(
        Aspect(
            "KP",
            "Kebijakan Pelayanan",
            pct(24),  # domain.md §4.1
            (
                # Within-aspect weights, domain.md §4.1 (total 100 %).
                Indicator("KP1", "Standar Pelayanan sesuai ketentuan", pct(17)),
                Indicator(
                    "KP2", "Pelibatan masyarakat dalam penyusunan Standar Pelayanan", pct(14)
                ),
                Indicator("KP3", "Publikasi Standar Pelayanan", pct(7)),
                Indicator("KP4", "Reviu dan evaluasi Standar Pelayanan secara berkala", pct(14)),
                Indicator("KP5", "Maklumat Pelayanan", pct(10)),
                Indicator("KP6", "Survei Kepuasan Masyarakat sesuai PermenPANRB", pct(17)),
                Indicator("KP7", "Publikasi hasil Survei Kepuasan Masyarakat", pct(7)),
                Indicator("KP8", "Persentase tindak lanjut hasil SKM", pct(7)),
                Indicator("KP9", "Kecepatan tindak lanjut hasil SKM", pct(7)),
            ),
        ),
        # Indicators not listed in domain.md §4.1: one placeholder indicator per aspect.
        Aspect.single("SDM", "Profesionalisme SDM", pct(25)),  # domain.md §4.1
        Aspect.single("SARPRAS", "Sarana Prasarana", pct(18)),  # domain.md §4.1
        Aspect.single("SIPP", "Sistem Informasi Pelayanan Publik", pct(11)),  # domain.md §4.1
        Aspect.single("KONSULTASI", "Konsultasi dan Pengaduan", pct(10)),  # domain.md §4.1
        Aspect.single("INOVASI", "Inovasi", pct(12)),  # domain.md §4.1
    ),
)

_RANGES_UNCONFIRMED: Final = (
    "ranges UNCONFIRMED: 0.5-wide bands derived from published results, official table not read "
    "(domain.md §4.2, §9 item 5)"
)
_LABEL_UNCONFIRMED: Final = "label UNCONFIRMED (domain.md §4.2)"

#: domain.md §4.2, thresholds on the index rounded to 2 dp. Labels A..C read in sources; C- and
#: D..F labels UNCONFIRMED; every range derived [D].
PEKPPP_CATEGORIES: Final = Scheme(
    name="PEKPPP / IPP",
    source="domain.md §4.2",
    minimum=SCORE_MIN,
    maximum=SCORE_MAX,
    bands=(
        Band("A", "Pelayanan Prima", Decimal("4.51")),  # domain.md §4.2: 4.51 – 5.00
        Band("A-", "Sangat Baik", Decimal("4.01")),  # domain.md §4.2: 4.01 – 4.50
        Band("B", "Baik", Decimal("3.51")),  # domain.md §4.2: 3.51 – 4.00
        Band("B-", "Baik (dengan catatan)", Decimal("3.01")),  # domain.md §4.2: 3.01 – 3.50
        Band("C", "Cukup", Decimal("2.51")),  # domain.md §4.2: 2.51 – 3.00
        # domain.md §4.2: 2.01 – 2.50
        Band("C-", "Cukup (dengan catatan)", Decimal("2.01"), unconfirmed=_LABEL_UNCONFIRMED),
        Band("D", "Buruk", Decimal("1.51"), unconfirmed=_LABEL_UNCONFIRMED),  # §4.2: 1.51 – 2.00
        Band("E", "Sangat Buruk", Decimal("1.01"), unconfirmed=_LABEL_UNCONFIRMED),  # 1.01 – 1.50
        Band("F", "Gagal", Decimal("0.00"), unconfirmed=_LABEL_UNCONFIRMED),  # §4.2: 0.00 – 1.00
    ),
    unconfirmed=_RANGES_UNCONFIRMED,
)


def pekppp_category(value: Number, scheme: Scheme = PEKPPP_CATEGORIES) -> Grade:
    """Category of a PEKPPP index (0–5), decided on the value rounded to 2 dp."""
    return scheme.classify(value, "PEKPPP index")


@dataclass(frozen=True)
class AspectResult:
    code: str
    name: str
    weight: Fraction
    #: Σ indicator weight × score: the aspect's own score on 0–5.
    score: Fraction
    #: weight × score: what the aspect adds to the index.
    contribution: Fraction


@dataclass(frozen=True)
class PekpppResult:
    #: Exact index on 0–5 (domain.md §4.1).
    value: Fraction
    aspects: tuple[AspectResult, ...]
    grade: Grade

    @property
    def rounded(self) -> Decimal:
        return self.grade.value


def pekppp_index(
    scores: Mapping[str, Number],
    instrument: Instrument = PEKPPP_2023,
    scheme: Scheme = PEKPPP_CATEGORIES,
) -> PekpppResult:
    """The index from every indicator's score (0–5), keyed by indicator code."""
    expected = instrument.indicator_codes
    missing = [code for code in expected if code not in scores]
    unknown = sorted(set(scores) - set(expected))
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing scores for {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown indicators {', '.join(unknown)}")
        raise ValueError(f"{instrument.name}: {'; '.join(problems)}")
    aspects = []
    total = Fraction(0)
    for aspect in instrument.aspects:
        score = Fraction(0)
        for indicator in aspect.indicators:
            raw = to_fraction(scores[indicator.code], f"score of {indicator.code}")
            if not SCORE_MIN <= raw <= SCORE_MAX:  # domain.md §4.1: each indicator 0–5
                raise ValueError(
                    f"score of {indicator.code} ({indicator.name}) must be between "
                    f"{SCORE_MIN} and {SCORE_MAX}, got {scores[indicator.code]}"
                )
            score += indicator.weight * raw
        contribution = aspect.weight * score
        total += contribution  # domain.md §4.1: Σ aspect weight × Σ indicator weight × score
        aspects.append(AspectResult(aspect.code, aspect.name, aspect.weight, score, contribution))
    return PekpppResult(total, tuple(aspects), pekppp_category(total, scheme))
