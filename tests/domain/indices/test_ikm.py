"""IKM from SKM answers (PermenPANRB 14/2017, domain.md §3.2–§3.3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.domain.indices import (
    IKM_CATEGORIES,
    SKM_2017,
    Element,
    IkmTally,
    Questionnaire,
    ScoreError,
    ikm,
    ikm_by_unit,
    ikm_category,
    parse_score,
    round2,
)
from satupintu.domain.indices.ikm import _BATCH


def _histogram_rows(*histograms: dict[int, int]) -> list[list[int]]:
    """Respondent rows from per-unsur score counts (every histogram has the same total)."""
    columns = [
        [score for score, n in sorted(h.items(), reverse=True) for _ in range(n)]
        for h in histograms
    ]
    return [list(row) for row in zip(*columns, strict=True)]


# ----------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("value", "code", "label", "perception"),
    [
        ("100", "A", "Sangat Baik", 4),
        ("88.31", "A", "Sangat Baik", 4),  # domain.md §3.3: A from 88.31
        ("88.30", "B", "Baik", 3),
        ("76.61", "B", "Baik", 3),  # domain.md §3.3: B from 76.61
        ("76.60", "C", "Kurang Baik", 2),
        ("65.00", "C", "Kurang Baik", 2),  # domain.md §3.3: C from 65.00
        ("64.99", "D", "Tidak Baik", 1),
        ("25", "D", "Tidak Baik", 1),
        ("88.305", "A", "Sangat Baik", 4),  # rounds half up to 88.31
        ("88.3049", "B", "Baik", 3),  # rounds to 88.30
        ("64.995", "C", "Kurang Baik", 2),
    ],
)
def test_category_boundaries(value: str, code: str, label: str, perception: int) -> None:
    grade = ikm_category(Decimal(value))
    assert (grade.code, grade.label, grade.perception) == (code, label, perception)
    assert grade.source == "domain.md §3.3"
    assert grade.confirmed


def test_bogor_2023_ikm() -> None:
    # Reported: Kota Bogor 2023 IKM 89.13 -> A, Sangat Baik.
    grade = ikm_category(89.13)
    assert (grade.value, grade.code, grade.label) == (Decimal("89.13"), "A", "Sangat Baik")
    assert grade.nrr_range == (Decimal("3.5324"), Decimal("4.00"))


def test_nrr_scale_matches_the_table() -> None:
    # domain.md §3.3: nilai persepsi 1-4 with the NI (NRR) interval of each mutu.
    assert {
        code: ikm_category(IKM_CATEGORIES.bands[i].lower).nrr_range for i, code in enumerate("ABCD")
    } == {
        "A": (Decimal("3.5324"), Decimal("4.00")),
        "B": (Decimal("3.0644"), Decimal("3.532")),
        "C": (Decimal("2.60"), Decimal("3.064")),
        "D": (Decimal("1.00"), Decimal("2.5996")),
    }


@pytest.mark.parametrize("value", [0, 24.99, 100.01, 101, -1])
def test_category_out_of_range(value: float) -> None:
    with pytest.raises(ValueError, match="IKM must be between 25 and 100"):
        ikm_category(value)


@given(
    a=st.decimals(min_value=25, max_value=100, places=4),
    b=st.decimals(min_value=25, max_value=100, places=4),
)
def test_category_is_monotonic(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    rank = IKM_CATEGORIES.rank
    assert rank(ikm_category(low).code) <= rank(ikm_category(high).code)
    assert ikm_category(low).perception <= ikm_category(high).perception


# ----------------------------------------------------------------------------- computation


def test_worked_example_of_the_source() -> None:
    """domain.md §3.2 source [S44]: 29 respondents, totals 105, 101, 100, 116, 102, 105, 106,
    105, 115 (955 in all). IKM = 955 / (29 × 9) × 25 = 91.475... -> 91.48, A.

    The source's own weighted table prints 90.56 because it multiplied each NRR by 0.11; that is
    the "~0.9 point" shift domain.md §3.2 warns about, and why weights must be exact."""
    rows = _histogram_rows(
        {4: 18, 3: 11},
        {4: 14, 3: 15},
        {4: 15, 3: 12, 2: 2},
        {4: 29},
        {4: 15, 3: 14},
        {4: 18, 3: 11},
        {4: 19, 3: 10},
        {4: 18, 3: 11},
        {4: 28, 3: 1},
    )
    result = ikm(rows)
    assert result.respondents == 29
    assert [e.total for e in result.elements] == [105, 101, 100, 116, 102, 105, 106, 105, 115]
    assert result.elements[0].nrr == Fraction(105, 29)
    assert result.value == Fraction(955, 29 * 9) * 25
    assert result.rounded == Decimal("91.48")
    assert result.grade.code == "A"
    # With the source's 0.11 weights the figure would be 90.56: refused as weights (total 0.99).
    source_figure = sum((e.nrr * Fraction("0.11") for e in result.elements), Fraction(0)) * 25
    assert round2(source_figure) == Decimal("90.56")


def test_weights_are_exact_ninths() -> None:
    assert all(element.weight == Fraction(1, 9) for element in SKM_2017.elements)
    assert ikm([[4] * 9]).value == 100  # exactly, no 99.99999...
    assert ikm([[1] * 9]).value == 25
    assert ikm([[3] * 9, [2] * 9]).value == Fraction(125, 2)


def test_missing_answers_leave_the_denominator() -> None:
    # U1 answered by 2 of 3 respondents: NRR = (4 + 2) / 2 = 3, not 6 / 3 = 2.
    result = ikm([[4, *[3] * 8], [None, *[3] * 8], [2, *[3] * 8]])
    u1 = result.elements[0]
    assert (u1.answered, u1.total, u1.nrr) == (2, 6, Fraction(3))
    assert result.respondents == 3
    assert result.value == 75


def test_text_answers_as_from_a_csv() -> None:
    as_text = ikm([["4", " 3 ", "", "2", "1", "4", "3", "3", "3"], ["1"] * 9])
    as_int = ikm([[4, 3, None, 2, 1, 4, 3, 3, 3], [1] * 9])
    assert as_text == as_int


@pytest.mark.parametrize("bad", [0, 5, "0", "5", "x", "3.0", 2.5, True, "12"])
def test_bad_scores_are_refused(bad: object) -> None:
    rows = [[3] * 9, [3, 3, bad, 3, 3, 3, 3, 3, 3]]
    with pytest.raises(ScoreError, match=r"respondent 2, U3: .* is not a score 1–4") as caught:
        ikm(rows)  # type: ignore[arg-type]
    assert (caught.value.row, caught.value.element, caught.value.value) == (2, "U3", bad)


def test_parse_score() -> None:
    assert [parse_score(v) for v in (1, "4", " 2 ", None, "", "  ")] == [1, 4, 2, None, None, None]
    with pytest.raises(ValueError, match="not a score"):
        parse_score(4.0)


def test_no_respondents() -> None:
    with pytest.raises(ValueError, match="no respondents"):
        ikm([])


def test_unanswered_element() -> None:
    with pytest.raises(ValueError, match=r"nobody answered U9 \(Penanganan pengaduan"):
        ikm([[4] * 8 + [None]])


def test_wrong_number_of_answers() -> None:
    with pytest.raises(ValueError, match="respondent 2: expected 9 answers"):
        ikm([[4] * 9, [4] * 8])
    tally = IkmTally()
    with pytest.raises(ValueError, match="respondent 1: expected 9 answers"):
        tally.add([4] * 10)


# ----------------------------------------------------------------------------- questionnaires


def test_custom_weights_totalling_one() -> None:
    # A unit adds U10 and re-weights: 10 unsur at 1/10 each (domain.md §3.2 allows it).
    ten = Questionnaire.equal_weights("10 unsur", [(f"U{i}", f"unsur {i}") for i in range(1, 11)])
    assert ikm([[4] * 9 + [1]], ten).value == Fraction(4 * 9 + 1, 10) * 25
    uneven = Questionnaire(
        "uneven", (Element("A", "a", Fraction(3, 4)), Element("B", "b", Fraction(1, 4)))
    )
    assert ikm([[4, 1]], uneven).value == (Fraction(3) + Fraction(1, 4)) * 25


def test_rounded_weights_are_refused() -> None:
    # domain.md §3.2: 0.111 is not 1/9; nine of them total 0.999.
    elements = tuple(Element(f"U{i}", "x", Fraction("0.111")) for i in range(1, 10))
    with pytest.raises(ValueError, match="must total exactly 1, got 999/1000"):
        Questionnaire("rounded", elements)
    with pytest.raises(TypeError, match="exact Fraction"):
        Questionnaire("decimal", (Element("U1", "x", Decimal(1)),))  # type: ignore[arg-type]


def test_questionnaire_validation() -> None:
    with pytest.raises(ValueError, match="at least one unsur"):
        Questionnaire.equal_weights("none", [])
    with pytest.raises(ValueError, match="unique"):
        Questionnaire.equal_weights("dup", [("U1", "a"), ("u1", "b")])
    with pytest.raises(ValueError, match="positive"):
        Questionnaire(
            "neg", (Element("A", "a", Fraction(3, 2)), Element("B", "b", Fraction(-1, 2)))
        )


# ----------------------------------------------------------------------------- aggregation


def test_by_unit_pools_answers_for_the_overall_figure() -> None:
    rows = [("Puskesmas A", [4] * 9), ("Puskesmas A", [4] * 9), ("Puskesmas B", [1] * 9)]
    summary = ikm_by_unit(rows)
    assert list(summary.units) == ["Puskesmas A", "Puskesmas B"]
    assert summary.units["Puskesmas A"].value == 100
    assert summary.units["Puskesmas B"].value == 25
    # Pooled: NRR = (4 + 4 + 1) / 3 = 3 -> 75 (not the 62.5 average of the two units).
    assert summary.overall.value == 75
    assert summary.overall.respondents == 3


def test_tally_one_respondent_at_a_time() -> None:
    tally = IkmTally()
    assert tally.questionnaire is SKM_2017
    tally.add([4] * 9, unit="A")
    with pytest.raises(ScoreError, match="respondent 2, U2: '9'"):
        tally.add([4, "9", *[4] * 7], unit="A")
    assert tally.respondents == 1
    assert tally.units == ["A"]
    with pytest.raises(ValueError, match="unit 'B': no respondents"):
        tally.result("B")
    assert tally.result("A").value == 100


def test_error_position_across_batches_and_tally_unchanged() -> None:
    rows: list[tuple[str, list[int]]] = [(f"u{i % 3}", [3] * 9) for i in range(_BATCH + 500)]
    rows[_BATCH + 100] = ("u0", [3] * 8 + [7])
    tally = IkmTally()
    with pytest.raises(ScoreError) as caught:
        tally.add_rows(rows)
    assert (caught.value.row, caught.value.element) == (_BATCH + 101, "U9")
    # The first batch was counted; the failing one was not.
    assert tally.respondents == _BATCH


def test_add_columns_shapes() -> None:
    tally = IkmTally()
    with pytest.raises(ValueError, match="same length"):
        tally.add_columns("A", [[4, 4]] + [[4]] * 8)
    with pytest.raises(ValueError, match="2 units for 1 respondents"):
        tally.add_columns(["A", "B"], [[4]] * 9)
    with pytest.raises(ValueError, match="expected 9 answers"):
        tally.add_columns("A", [[4]] * 8)
    tally.add_columns("A", [[]] * 9)
    assert tally.respondents == 0
    tally.add_columns(["A", "B", "A"], [["4", "1", "3"]] * 9)
    assert tally.result("A").value == Fraction(7, 2) * 25
    assert tally.result("B").value == 25
    with pytest.raises(ValueError, match=r"\(unit, answers\) pairs"):
        tally.add_rows([("A", [4] * 9, "extra")])  # type: ignore[list-item]


answer = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
respondent = st.lists(answer, min_size=9, max_size=9)


@given(rows=st.lists(respondent, min_size=0, max_size=40))
def test_ikm_within_25_and_100(rows: list[list[int | None]]) -> None:
    result = ikm([*rows, [1, 2, 3, 4, 1, 2, 3, 4, 1]])  # every unsur answered at least once
    assert 25 <= result.value <= 100
    assert 1 <= result.weighted_nrr <= 4


@settings(max_examples=50)
@given(
    rows=st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), respondent), min_size=1, max_size=60),
    as_text=st.booleans(),
)
def test_batch_and_one_by_one_agree(
    rows: list[tuple[str, list[int | None]]], as_text: bool
) -> None:
    if as_text:
        rows = [(unit, ["" if a is None else str(a) for a in answers]) for unit, answers in rows]  # type: ignore[misc]
    one = IkmTally()
    for unit, answers in rows:
        one.add(answers, unit)
    batch = IkmTally()
    batch.add_rows(rows)
    assert one.units == batch.units
    assert one.respondents == batch.respondents == len(rows)
    for unit in one.units:
        assert one._units[unit].counts == batch._units[unit].counts


def test_totals_entry_point_gives_what_the_answers_give() -> None:
    """What a database aggregate returns (SUM and COUNT per unsur) yields the same IKM."""
    from satupintu.domain.indices import ikm_from_totals

    rows = [
        [4, 3, 3, 4, 2, 3, 4, 4, None],
        [3, 3, 2, 4, 3, 3, 4, 3, 2],
        [4, 4, 3, 3, 3, 4, 4, 4, 3],
    ]
    answered = [sum(r[i] is not None for r in rows) for i in range(9)]
    totals = [sum(r[i] or 0 for r in rows) for i in range(9)]
    assert ikm_from_totals(3, answered, totals) == ikm(rows)
    with pytest.raises(ValueError, match="nobody answered U9"):
        ikm_from_totals(3, answered[:8] + [0], totals[:8] + [0])


def test_element_grade_and_weakest_elements() -> None:
    rows = [
        (4, 4, 1, 3, 4, 4, 4, 2, 3),
        (4, 3, 2, 3, 4, 4, 4, 2, 3),
    ]
    result = ikm(rows)
    by_code = {e.code: e for e in result.elements}
    # U3: (1 + 2) / 2 = 1.5 → 37.5 on the IKM scale, D; U1: 4 → 100, A (domain.md §3.3).
    assert by_code["U3"].converted == Fraction(75, 2)
    assert by_code["U3"].grade.code == "D"
    assert by_code["U1"].grade.code == "A"
    assert by_code["U8"].grade.value == Decimal("50.00")
    assert [e.code for e in result.weakest()] == ["U3", "U8", "U4"]  # U4 ties U9: order kept
    assert [e.code for e in result.weakest(1)] == ["U3"]
    assert len(result.weakest(20)) == 9
