"""Indeks Kepuasan Masyarakat (IKM) from Survei Kepuasan Masyarakat answers.

Pure Python, no Django. Source: PermenPANRB 14/2017 (replaced PermenPANRB 16/2014), as summarised
in domain.md §3:

* each respondent answers the nine unsur U1..U9 on a scale of 1 (tidak baik) to 4 (sangat baik)
  (domain.md §3.1, §3.2); an unanswered unsur is left out of that unsur's denominator;
* NRR per unsur = sum of its scores / number of respondents who answered it (§3.2);
* NRR tertimbang = Σ NRR_i × w_i with w_i = 1/9, exactly (§3.2 warns that a rounded weight moves
  the result); IKM = NRR tertimbang × 25, so 25 ≤ IKM ≤ 100 (§3.2);
* mutu A–D and kinerja unit from the conversion table, on the IKM rounded to 2 dp (§3.3).

Arithmetic is exact (``fractions.Fraction``); round only for display.

Aggregation is streaming: :class:`IkmTally` keeps, per unit and per unsur, how many respondents
gave each score, never the rows themselves. ``add_rows`` and ``add_columns`` count whole batches
with C-level string and counter operations: a million respondents take about a second
(docs/indices.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import islice, repeat
from operator import itemgetter
from types import MappingProxyType
from typing import Final, NoReturn

from satupintu.domain.indices.bands import Band, Grade, Number, Scheme

__all__ = [
    "IKM_CATEGORIES",
    "SCORE_MAX",
    "SCORE_MIN",
    "SKM_2017",
    "Element",
    "ElementResult",
    "IkmGrade",
    "IkmResult",
    "IkmSummary",
    "IkmTally",
    "Questionnaire",
    "Score",
    "ScoreError",
    "ikm",
    "ikm_by_unit",
    "ikm_category",
    "parse_score",
]

SCORE_MIN: Final = 1  # domain.md §3.2: scale 1–4, 1 = tidak baik
SCORE_MAX: Final = 4  # domain.md §3.2: 4 = sangat baik
IKM_FACTOR: Final = 25  # domain.md §3.2: IKM = NRR tertimbang × 25 (range 25–100)

#: One answer: an int 1–4, the same as text ("3", " 3 "), or None / "" / blanks for no answer.
Score = int | str | None

_DIGITS: Final = "1234"  # the scores 1..4 of domain.md §3.2 as text, for the batch counter
_BATCH: Final = 16_384  # rows per batch in add_rows: large enough to amortise, small for cache


# --------------------------------------------------------------------------- questionnaire


@dataclass(frozen=True)
class Element:
    """One unsur of the questionnaire and its weight in the NRR tertimbang."""

    code: str
    name: str
    weight: Fraction


@dataclass(frozen=True)
class Questionnaire:
    """The unsur and their weights. Weights must total exactly 1 (domain.md §3.2)."""

    name: str
    elements: tuple[Element, ...]

    def __post_init__(self) -> None:
        if not self.elements:
            raise ValueError(f"{self.name}: a questionnaire needs at least one unsur")
        codes = [element.code.casefold() for element in self.elements]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.name}: unsur codes must be unique, got {self.codes}")
        for element in self.elements:
            if isinstance(element.weight, bool) or not isinstance(element.weight, Fraction | int):
                raise TypeError(
                    f"{self.name}: weight of {element.code} must be an exact Fraction "
                    f"(e.g. Fraction(1, 9)), not {type(element.weight).__name__}"
                )
            if element.weight <= 0:
                raise ValueError(f"{self.name}: weight of {element.code} must be positive")
        total = sum((Fraction(element.weight) for element in self.elements), Fraction(0))
        # domain.md §3.2: units may add unsur or re-weight only if the total weight stays 1.
        if total != 1:
            raise ValueError(
                f"{self.name}: unsur weights must total exactly 1, got {total} "
                f"(= {float(total):.6f}); use exact fractions such as Fraction(1, 9), "
                "not rounded decimals such as 0.111"
            )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(element.code for element in self.elements)

    @classmethod
    def equal_weights(cls, name: str, elements: Sequence[tuple[str, str]]) -> Questionnaire:
        """A questionnaire of ``(code, name)`` unsur weighted 1/n each (domain.md §3.2)."""
        weight = Fraction(1, len(elements)) if elements else Fraction(0)
        return cls(name, tuple(Element(code, label, weight) for code, label in elements))


#: The nine unsur of PermenPANRB 14/2017, weight 1/9 each (domain.md §3.1, §3.2).
SKM_2017: Final = Questionnaire.equal_weights(
    "SKM PermenPANRB 14/2017",
    (
        ("U1", "Persyaratan"),
        ("U2", "Sistem, mekanisme dan prosedur"),
        ("U3", "Waktu penyelesaian"),
        ("U4", "Biaya/tarif"),
        ("U5", "Produk spesifikasi jenis pelayanan"),
        ("U6", "Kompetensi pelaksana"),
        ("U7", "Perilaku pelaksana"),
        ("U8", "Sarana dan prasarana"),
        ("U9", "Penanganan pengaduan, saran dan masukan"),
    ),
)


# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class IkmGrade(Grade):
    """Mutu (``code``) and kinerja unit (``label``) with the table's other two columns."""

    #: Nilai persepsi 1–4 (domain.md §3.3, first column).
    perception: int
    #: The NI (NRR) interval of the row, as printed in domain.md §3.3.
    nrr_range: tuple[Decimal, Decimal]


#: domain.md §3.3 conversion table, as thresholds on the IKM rounded to 2 dp:
#: A ≥ 88.31; B ≥ 76.61; C ≥ 65.00; else D. (One source prints 76.66 for C's upper bound: a typo.)
IKM_CATEGORIES: Final = Scheme(
    name="IKM — PermenPANRB 14/2017",
    source="domain.md §3.3",
    minimum=Decimal("25.00"),  # domain.md §3.2: 1 × 25
    maximum=Decimal("100.00"),  # domain.md §3.2: 4 × 25
    bands=(
        Band("A", "Sangat Baik", Decimal("88.31")),  # domain.md §3.3: 88.31 – 100.00
        Band("B", "Baik", Decimal("76.61")),  # domain.md §3.3: 76.61 – 88.30
        Band("C", "Kurang Baik", Decimal("65.00")),  # domain.md §3.3: 65.00 – 76.60
        Band("D", "Tidak Baik", Decimal("25.00")),  # domain.md §3.3: 25.00 – 64.99
    ),
)

# domain.md §3.3: nilai persepsi and NI (NRR) interval of each mutu, as the table prints them.
_PERCEPTION: Final[Mapping[str, tuple[int, tuple[Decimal, Decimal]]]] = MappingProxyType(
    {
        "A": (4, (Decimal("3.5324"), Decimal("4.00"))),
        "B": (3, (Decimal("3.0644"), Decimal("3.532"))),
        "C": (2, (Decimal("2.60"), Decimal("3.064"))),
        "D": (1, (Decimal("1.00"), Decimal("2.5996"))),
    }
)


def ikm_category(value: Number) -> IkmGrade:
    """Mutu and kinerja unit of an IKM value (25–100), decided on the value rounded to 2 dp."""
    grade = IKM_CATEGORIES.classify(value, "IKM")
    perception, nrr_range = _PERCEPTION[grade.code]
    return IkmGrade(
        value=grade.value,
        code=grade.code,
        label=grade.label,
        zone=grade.zone,
        scheme=grade.scheme,
        source=grade.source,
        unconfirmed=grade.unconfirmed,
        perception=perception,
        nrr_range=nrr_range,
    )


# --------------------------------------------------------------------------- answers


class ScoreError(ValueError):
    """An answer that is not a score 1–4 nor blank; ``row`` counts respondents from 1."""

    def __init__(self, row: int, element: str, value: object) -> None:
        super().__init__(
            f"respondent {row}, {element}: {value!r} is not a score "
            f"{SCORE_MIN}–{SCORE_MAX} (leave it blank when not answered)"
        )
        self.row = row
        self.element = element
        self.value = value


_SCORE_TEXT: Final = {str(score): score for score in range(SCORE_MIN, SCORE_MAX + 1)}


def parse_score(raw: object) -> int | None:
    """An answer as an int 1–4, or None when not answered; ValueError for anything else."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if text in _SCORE_TEXT:
            return _SCORE_TEXT[text]
    elif isinstance(raw, int) and not isinstance(raw, bool) and SCORE_MIN <= raw <= SCORE_MAX:
        return raw
    raise ValueError(f"{raw!r} is not a score {SCORE_MIN}–{SCORE_MAX}")


def _count_column(column: Sequence[Score]) -> list[int]:
    """How many answers in ``column`` are 1, 2, 3, 4 (blanks skipped); ValueError if any is bad."""
    try:
        joined = "".join(column)  # type: ignore[arg-type]  # TypeError unless all are str
    except TypeError:
        pass
    else:
        # Fast path for text from a CSV file: every answered cell must be exactly one digit 1-4.
        counts = [joined.count(digit) for digit in _DIGITS]
        if sum(counts) == len(joined) == len(column) - column.count(""):
            return counts
    counts = [0] * (SCORE_MAX - SCORE_MIN + 1)
    for raw, n in Counter(column).items():
        score = parse_score(raw)
        if score is not None:
            counts[score - SCORE_MIN] += n
    return counts


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    weight: Fraction
    #: Respondents who answered this unsur (the NRR's denominator).
    answered: int
    #: Sum of their scores.
    total: int
    #: Nilai rata-rata = total / answered (domain.md §3.2).
    nrr: Fraction

    @property
    def converted(self) -> Fraction:
        """The unsur's NRR on the IKM scale: NRR × 25 (domain.md §3.2, §3.3 NI → NIK)."""
        return self.nrr * IKM_FACTOR

    @property
    def grade(self) -> IkmGrade:
        """Mutu of this unsur alone, from the same conversion table as the IKM (§3.3)."""
        return ikm_category(self.converted)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    #: Σ NRR_i × w_i (domain.md §3.2), on the 1–4 scale.
    weighted_nrr: Fraction
    #: IKM = weighted_nrr × 25, exact (domain.md §3.2).
    value: Fraction
    grade: IkmGrade

    @property
    def rounded(self) -> Decimal:
        """The IKM to 2 dp, half up: the figure that is published and classified."""
        return self.grade.value

    def weakest(self, count: int = 3) -> tuple[ElementResult, ...]:
        """The ``count`` unsur with the lowest NRR, lowest first (ties in questionnaire order):
        where follow-up actions start (domain.md §3.4: results are followed up)."""
        ranked = sorted(enumerate(self.elements), key=lambda item: (item[1].nrr, item[0]))
        return tuple(element for _, element in ranked[:count])


@dataclass(frozen=True)
class IkmSummary:
    """IKM per unit (sorted by unit name) and over all respondents together."""

    units: Mapping[str, IkmResult]
    overall: IkmResult


def ikm_from_totals(
    respondents: int,
    answered: Sequence[int],
    totals: Sequence[int],
    *,
    questionnaire: Questionnaire = SKM_2017,
    where: str = "survey",
) -> IkmResult:
    """IKM from, per unsur, how many respondents answered it and the sum of their scores.

    The form a database aggregate gives (SUM and COUNT per column); every other entry point of
    this module reduces to it.
    """
    if respondents == 0:
        raise ValueError(f"{where}: no respondents; the IKM needs at least one")
    elements = []
    weighted = Fraction(0)
    for element, n, total in zip(questionnaire.elements, answered, totals, strict=True):
        if n == 0:
            raise ValueError(
                f"{where}: nobody answered {element.code} ({element.name}); its NRR is undefined"
            )
        nrr = Fraction(total, n)  # domain.md §3.2: NRR_i = Σ scores / respondents answering
        weighted += nrr * element.weight  # domain.md §3.2: NRR tertimbang = Σ NRR_i × w_i
        elements.append(ElementResult(element.code, element.name, element.weight, n, total, nrr))
    value = weighted * IKM_FACTOR  # domain.md §3.2: IKM = NRR tertimbang × 25
    return IkmResult(respondents, tuple(elements), weighted, value, ikm_category(value))


def _result(
    questionnaire: Questionnaire, respondents: int, counts: Sequence[Sequence[int]], where: str
) -> IkmResult:
    answered = [sum(histogram) for histogram in counts]
    totals = [sum(score * n for score, n in enumerate(h, SCORE_MIN)) for h in counts]
    return ikm_from_totals(respondents, answered, totals, questionnaire=questionnaire, where=where)


# --------------------------------------------------------------------------- tally


class _UnitCounts:
    __slots__ = ("counts", "respondents")

    def __init__(self, elements: int) -> None:
        self.respondents = 0
        #: counts[element][score - 1]: respondents who gave that score to that unsur.
        self.counts = [[0] * (SCORE_MAX - SCORE_MIN + 1) for _ in range(elements)]


class IkmTally:
    """Streaming IKM accumulator: per unit and unsur, the count of each score 1–4.

    Memory does not grow with the number of respondents. Feed it one respondent at a time with
    :meth:`add`, or batches with :meth:`add_rows` / :meth:`add_columns` (fast). A bad answer
    raises :class:`ScoreError` naming the respondent's position (1-based, over everything added)
    and leaves the tally as it was before that call's batch.
    """

    __slots__ = ("_questionnaire", "_rows", "_units")

    def __init__(self, questionnaire: Questionnaire = SKM_2017) -> None:
        self._questionnaire: Final = questionnaire
        self._rows = 0
        self._units: dict[str, _UnitCounts] = {}

    @property
    def questionnaire(self) -> Questionnaire:
        return self._questionnaire

    @property
    def respondents(self) -> int:
        return self._rows

    @property
    def units(self) -> list[str]:
        return sorted(self._units)

    def _unit(self, unit: str) -> _UnitCounts:
        found = self._units.get(unit)
        if found is None:
            found = self._units[unit] = _UnitCounts(len(self._questionnaire.elements))
        return found

    def _check_width(self, width: int, row: int) -> None:
        expected = len(self._questionnaire.elements)
        if width != expected:
            raise ValueError(
                f"respondent {row}: expected {expected} answers "
                f"({', '.join(self._questionnaire.codes)}), got {width}"
            )

    def add(self, answers: Sequence[Score], unit: str = "") -> None:
        """Count one respondent's answers (in questionnaire order) for ``unit``."""
        row = self._rows + 1
        self._check_width(len(answers), row)
        scores = []
        for element, raw in zip(self._questionnaire.elements, answers, strict=True):
            try:
                scores.append(parse_score(raw))
            except ValueError:
                raise ScoreError(row, element.code, raw) from None
        target = self._unit(unit)
        for histogram, score in zip(target.counts, scores, strict=True):
            if score is not None:
                histogram[score - SCORE_MIN] += 1
        target.respondents += 1
        self._rows = row

    def add_rows(self, rows: Iterable[tuple[str, Sequence[Score]]]) -> None:
        """Count ``(unit, answers)`` rows, one respondent each, in batches."""
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            if set(map(len, batch)) != {2}:
                raise ValueError("rows must be (unit, answers) pairs")
            units, answers = zip(*batch, strict=True)
            expected = len(self._questionnaire.elements)
            if set(map(len, answers)) != {expected}:
                offset = next(i for i, row in enumerate(answers) if len(row) != expected)
                self._check_width(len(answers[offset]), self._rows + offset + 1)
            self.add_columns(units, list(zip(*answers, strict=True)))

    def add_columns(self, units: Sequence[str] | str, columns: Sequence[Sequence[Score]]) -> None:
        """Count a batch given column-wise: ``columns[i][r]`` is respondent r's answer to unsur i.

        ``units[r]`` is respondent r's unit, or one string for the whole batch.
        """
        self._check_width(len(columns), self._rows + 1)
        size = len(columns[0])
        if any(len(column) != size for column in columns):
            raise ValueError("all answer columns of a batch must have the same length")
        if size == 0:
            return
        if isinstance(units, str):
            groups: dict[str, Sequence[Sequence[Score]]] = {units: columns}
            sizes = {units: size}
        else:
            if len(units) != size:
                raise ValueError(f"{len(units)} units for {size} respondents")
            groups, sizes = _group(units, columns)
        try:
            counted = {
                unit: [_count_column(column) for column in group] for unit, group in groups.items()
            }
        except ValueError:
            self._raise_first_bad(columns)
        for unit, histograms in counted.items():
            target = self._unit(unit)
            for histogram, counts in zip(target.counts, histograms, strict=True):
                for index, n in enumerate(counts):
                    histogram[index] += n
            target.respondents += sizes[unit]
        self._rows += size

    def _raise_first_bad(self, columns: Sequence[Sequence[Score]]) -> NoReturn:
        """Slow path, on error only: name the first bad answer in row order."""
        codes = self._questionnaire.codes
        for offset in range(len(columns[0])):
            for code, column in zip(codes, columns, strict=True):
                try:
                    parse_score(column[offset])
                except ValueError:
                    raise ScoreError(self._rows + offset + 1, code, column[offset]) from None
        raise AssertionError("a batch failed to count but every answer parses")  # pragma: no cover

    def result(self, unit: str | None = None) -> IkmResult:
        """IKM of one unit, or (``unit=None``) of all respondents pooled together."""
        questionnaire = self._questionnaire
        if unit is not None:
            found = self._units.get(unit)
            if found is None:
                raise ValueError(f"unit {unit!r}: no respondents; the IKM needs at least one")
            return _result(questionnaire, found.respondents, found.counts, f"unit {unit!r}")
        # Overall: pool the answers (not an average of unit IKMs), domain.md §3.2.
        pooled = [[0] * (SCORE_MAX - SCORE_MIN + 1) for _ in questionnaire.elements]
        for counts in self._units.values():
            for total, histogram in zip(pooled, counts.counts, strict=True):
                for index, n in enumerate(histogram):
                    total[index] += n
        return _result(questionnaire, self._rows, pooled, "survey")

    def summary(self) -> IkmSummary:
        units = {unit: self.result(unit) for unit in sorted(self._units)}
        return IkmSummary(MappingProxyType(units), self.result())


def _group(
    units: Sequence[str], columns: Sequence[Sequence[Score]]
) -> tuple[dict[str, Sequence[Sequence[Score]]], dict[str, int]]:
    """Split a batch's columns by unit, keeping row order within each unit."""
    distinct = set(units)
    if len(distinct) == 1:
        (unit,) = distinct
        return {unit: columns}, {unit: len(units)}
    positions: dict[str, list[int]] = {unit: [] for unit in distinct}
    for position, unit in enumerate(units):
        positions[unit].append(position)
    groups: dict[str, Sequence[Sequence[Score]]] = {}
    for unit, indexes in positions.items():
        if len(indexes) == 1:
            groups[unit] = [(column[indexes[0]],) for column in columns]
        else:
            pick = itemgetter(*indexes)
            groups[unit] = [pick(column) for column in columns]
    return groups, {unit: len(indexes) for unit, indexes in positions.items()}


# --------------------------------------------------------------------------- entry points


def ikm(responses: Iterable[Sequence[Score]], questionnaire: Questionnaire = SKM_2017) -> IkmResult:
    """IKM of one service unit from its respondents' answers (questionnaire order)."""
    tally = IkmTally(questionnaire)
    tally.add_rows(zip(repeat(""), responses))
    return tally.result()


def ikm_by_unit(
    rows: Iterable[tuple[str, Sequence[Score]]], questionnaire: Questionnaire = SKM_2017
) -> IkmSummary:
    """IKM per unit and overall from ``(unit, answers)`` rows, in one streaming pass."""
    tally = IkmTally(questionnaire)
    tally.add_rows(rows)
    return tally.summary()
