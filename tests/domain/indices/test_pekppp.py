"""PEKPPP / Indeks Pelayanan Publik (domain.md §4.1–§4.2)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.indices import (
    PEKPPP_2023,
    PEKPPP_CATEGORIES,
    Aspect,
    Indicator,
    Instrument,
    pct,
    pekppp_category,
    pekppp_index,
)


def _scores(default: float = 4, **overrides: float) -> dict[str, float]:
    scores = {code: default for code in PEKPPP_2023.indicator_codes}
    scores.update(overrides)
    return scores


def test_weights_of_the_2023_instrument() -> None:
    # domain.md §4.1: 24 + 25 + 18 + 11 + 10 + 12 = 100 %.
    weights = {aspect.name: aspect.weight * 100 for aspect in PEKPPP_2023.aspects}
    assert weights == {
        "Kebijakan Pelayanan": 24,
        "Profesionalisme SDM": 25,
        "Sarana Prasarana": 18,
        "Sistem Informasi Pelayanan Publik": 11,
        "Konsultasi dan Pengaduan": 10,
        "Inovasi": 12,
    }
    policy = PEKPPP_2023.aspects[0]
    # domain.md §4.1: 17, 14, 7, 14, 10, 17, 7, 7, 7 %.
    assert [i.weight * 100 for i in policy.indicators] == [17, 14, 7, 14, 10, 17, 7, 7, 7]
    assert not any(i.placeholder for i in policy.indicators)
    # Aspects whose indicators domain.md does not list: one placeholder indicator each.
    others = PEKPPP_2023.aspects[1:]
    assert all(len(a.indicators) == 1 and a.indicators[0].placeholder for a in others)


def test_hand_computed_index() -> None:
    # Kebijakan Pelayanan: every indicator 4 except KP1 = 5 -> 4 + 0.17 × 1 = 4.17.
    # index = 0.24 × 4.17 + 0.25 × 4.5 + 0.18 × 4 + 0.11 × 5 + 0.10 × 4 + 0.12 × 3.5
    #       = 1.0008 + 1.125 + 0.72 + 0.55 + 0.40 + 0.42 = 4.2158 -> 4.22, A- Sangat Baik.
    result = pekppp_index(_scores(KP1=5, SDM=4.5, SARPRAS=4, SIPP=5, KONSULTASI=4, INOVASI=3.5))
    assert result.aspects[0].score == Fraction("4.17")
    assert result.aspects[0].contribution == Fraction("1.0008")
    assert result.value == Fraction("4.2158")
    assert (result.rounded, result.grade.code, result.grade.label) == (
        Decimal("4.22"),
        "A-",
        "Sangat Baik",
    )
    assert sum(a.contribution for a in result.aspects) == result.value


def test_extremes() -> None:
    assert pekppp_index(_scores(5)).value == 5
    assert pekppp_index(_scores(5)).grade.label == "Pelayanan Prima"
    assert pekppp_index(_scores(0)).value == 0
    assert pekppp_index(_scores(0)).grade.code == "F"


def test_bogor_2023() -> None:
    # Reported: Kota Bogor 2023 PEKPPP index 4.48 -> A-, Sangat Baik.
    grade = pekppp_category(4.48)
    assert (grade.code, grade.label) == ("A-", "Sangat Baik")


@pytest.mark.parametrize(
    ("value", "code", "label"),
    [
        ("5.00", "A", "Pelayanan Prima"),
        ("4.51", "A", "Pelayanan Prima"),
        ("4.50", "A-", "Sangat Baik"),
        ("4.01", "A-", "Sangat Baik"),
        ("4.00", "B", "Baik"),
        ("3.51", "B", "Baik"),
        ("3.50", "B-", "Baik (dengan catatan)"),
        ("3.01", "B-", "Baik (dengan catatan)"),
        ("3.00", "C", "Cukup"),
        ("2.51", "C", "Cukup"),
        ("2.50", "C-", "Cukup (dengan catatan)"),
        ("2.01", "C-", "Cukup (dengan catatan)"),
        ("2.00", "D", "Buruk"),
        ("1.51", "D", "Buruk"),
        ("1.50", "E", "Sangat Buruk"),
        ("1.01", "E", "Sangat Buruk"),
        ("1.00", "F", "Gagal"),
        ("0", "F", "Gagal"),
        # Between the bands: rounded to 2 dp, half up, first.
        ("4.505", "A", "Pelayanan Prima"),
        ("4.5049", "A-", "Sangat Baik"),
        ("4.005", "A-", "Sangat Baik"),
        ("4.0049", "B", "Baik"),
    ],
)
def test_category_bands(value: str, code: str, label: str) -> None:
    grade = pekppp_category(Decimal(value))
    assert (grade.code, grade.label) == (code, label)


def test_unconfirmed_marks() -> None:
    # domain.md §4.2: ranges derived [D] (UNCONFIRMED per §9 item 5); labels C- .. F UNCONFIRMED.
    assert "ranges UNCONFIRMED" in pekppp_category(4.48).unconfirmed
    assert "label UNCONFIRMED" not in pekppp_category(4.48).unconfirmed
    for value in (2.2, 1.8, 1.2, 0.5):
        assert "label UNCONFIRMED" in pekppp_category(value).unconfirmed


@pytest.mark.parametrize("value", [-0.01, 5.01, 100])
def test_category_out_of_range(value: float) -> None:
    with pytest.raises(ValueError, match="PEKPPP index must be between 0 and 5"):
        pekppp_category(value)


@given(
    a=st.decimals(min_value=0, max_value=5, places=4),
    b=st.decimals(min_value=0, max_value=5, places=4),
)
def test_category_is_monotonic(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    rank = PEKPPP_CATEGORIES.rank
    assert rank(pekppp_category(low).code) <= rank(pekppp_category(high).code)


@given(scores=st.lists(st.integers(min_value=0, max_value=5), min_size=14, max_size=14))
def test_index_within_0_and_5(scores: list[int]) -> None:
    value = pekppp_index(dict(zip(PEKPPP_2023.indicator_codes, scores, strict=True))).value
    assert 0 <= value <= 5


def test_scores_checked() -> None:
    with pytest.raises(ValueError, match=r"score of KP3 \(Publikasi Standar Pelayanan\) must be"):
        pekppp_index(_scores(KP3=5.5))
    with pytest.raises(ValueError, match="between 0 and 5, got -1"):
        pekppp_index(_scores(SDM=-1))
    with pytest.raises(ValueError, match="missing scores for KP9, INOVASI"):
        scores = _scores()
        del scores["KP9"], scores["INOVASI"]
        pekppp_index(scores)
    with pytest.raises(ValueError, match="unknown indicators KP10"):
        pekppp_index(_scores(KP10=3))
    with pytest.raises(TypeError, match="score of SIPP must be a number"):
        pekppp_index({**_scores(), "SIPP": "4"})  # type: ignore[dict-item]


def test_weights_must_total_100_percent() -> None:
    aspects = list(PEKPPP_2023.aspects)
    aspects[1] = Aspect.single("SDM", "Profesionalisme SDM", pct(24))
    with pytest.raises(ValueError, match="weights must total 100%, got 99%"):
        Instrument("wrong", "test", tuple(aspects))
    with pytest.raises(ValueError, match="aspect X: weights must total 100%, got 90%"):
        Instrument(
            "wrong",
            "test",
            (
                Aspect(
                    "X",
                    "x",
                    Fraction(1),
                    (Indicator("X1", "a", pct(50)), Indicator("X2", "b", pct(40))),
                ),
            ),
        )
    with pytest.raises(TypeError, match="exact Fraction"):
        Instrument("float", "test", (Aspect.single("X", "x", 1.0),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        Instrument(
            "neg",
            "test",
            (Aspect.single("X", "x", pct(150)), Aspect.single("Y", "y", pct(-50))),
        )
    with pytest.raises(ValueError, match="at least one aspect"):
        Instrument("empty", "test", ())
    with pytest.raises(ValueError, match="has no indicator"):
        Instrument("empty", "test", (Aspect("X", "x", Fraction(1), ()),))
    with pytest.raises(ValueError, match="unique"):
        Instrument(
            "dup",
            "test",
            (
                Aspect.single("X", "x", pct(50)),
                Aspect("Y", "y", pct(50), (Indicator("X", "x", Fraction(1)),)),
            ),
        )


def test_administrator_instrument() -> None:
    """An administrator replaces a placeholder aspect with the instrument's indicators."""
    sdm = Aspect(
        "SDM",
        "Profesionalisme SDM",
        pct(25),
        (Indicator("SDM1", "Kompetensi", pct(60)), Indicator("SDM2", "Budaya pelayanan", pct(40))),
    )
    aspects = tuple(sdm if a.code == "SDM" else a for a in PEKPPP_2023.aspects)
    instrument = Instrument("Pemda instrument", "Pedoman 5/2023", aspects)
    scores = _scores()
    del scores["SDM"]
    result = pekppp_index({**scores, "SDM1": 5, "SDM2": 0}, instrument)
    assert result.aspects[1].score == 3  # 0.6 × 5 + 0.4 × 0
    assert result.value == Fraction(24, 100) * 4 + Fraction(25, 100) * 3 + Fraction(51, 100) * 4
