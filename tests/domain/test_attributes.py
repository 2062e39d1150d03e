"""Answers to a category's extra questions (domain/attributes.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.attributes import (
    AttributeErrors,
    AttributeSpec,
    Datatype,
    Problem,
    clean_answers,
    parse_datetime,
)

SPECS = [
    AttributeSpec("tiang", Datatype.STRING, required=True),
    AttributeSpec("catatan", Datatype.TEXT),
    AttributeSpec("jumlah", Datatype.NUMBER),
    AttributeSpec("sejak", Datatype.DATETIME),
    AttributeSpec("warna", Datatype.SINGLE, values=(("merah", "Merah"), ("biru", "Biru"))),
    AttributeSpec("jenis", Datatype.MULTI, values=(("a", "A"), ("b", "B"), ("c", "C"))),
    AttributeSpec("info", Datatype.STRING, variable=False),
]


def problems(raw: dict[str, object]) -> dict[str, Problem]:
    with pytest.raises(AttributeErrors) as caught:
        clean_answers(SPECS, raw)
    return caught.value.problems


def test_every_datatype_is_cleaned() -> None:
    clean = clean_answers(
        SPECS,
        {
            "tiang": "  PJU-0042 ",
            "catatan": "Mati sejak hujan",
            "jumlah": "3.50",
            "sejak": "2026-11-30T08:00:00Z",
            "warna": ["biru"],
            "jenis": ["c", "a", "c"],
            "info": "ignored",
        },
    )
    assert clean == {
        "tiang": "PJU-0042",
        "catatan": "Mati sejak hujan",
        "jumlah": "3.5",
        "sejak": "2026-11-30T08:00:00+00:00",
        "warna": "biru",
        "jenis": ["c", "a"],
    }


def test_numbers_are_written_out_plainly() -> None:
    assert clean_answers(SPECS, {"tiang": "x", "jumlah": 40})["jumlah"] == "40"
    assert clean_answers(SPECS, {"tiang": "x", "jumlah": "1e3"})["jumlah"] == "1000"


def test_all_problems_are_reported_at_once() -> None:
    assert problems(
        {
            "jumlah": "tiga",
            "sejak": "kemarin",
            "warna": ["merah", "biru"],
            "jenis": ["d"],
            "typo": "x",
            "catatan": {"a": 1},
        }
    ) == {
        "tiang": Problem.REQUIRED,
        "jumlah": Problem.NOT_A_NUMBER,
        "sejak": Problem.NOT_A_DATETIME,
        "warna": Problem.ONE_VALUE_ONLY,
        "jenis": Problem.NOT_A_CHOICE,
        "typo": Problem.UNKNOWN,
        "catatan": Problem.INVALID,
    }


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "1e999999", "1e100"])
def test_numbers_that_are_not_finite_or_too_long_are_refused(value: str) -> None:
    assert problems({"tiang": "x", "jumlah": value})["jumlah"] in {
        Problem.NOT_A_NUMBER,
        Problem.TOO_LONG,
    }


def test_lengths_are_limited() -> None:
    assert problems({"tiang": "x" * 256}) == {"tiang": Problem.TOO_LONG}
    assert clean_answers(SPECS, {"tiang": "x" * 255})["tiang"] == "x" * 255


def test_empty_optional_answers_are_dropped_and_required_ones_refused() -> None:
    assert clean_answers(SPECS, {"tiang": "1", "catatan": "  ", "jenis": []}) == {"tiang": "1"}
    assert problems({"tiang": ["", " "]}) == {"tiang": Problem.REQUIRED}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-11-30T08:00:00Z", "2026-11-30T08:00:00+00:00"),
        ("2026-11-30T15:00:00+07:00", "2026-11-30T15:00:00+07:00"),
        ("2026-11-30T15:00:00.5-04:00", "2026-11-30T15:00:00.500000-04:00"),
        ("2026-11-30", "2026-11-30T00:00:00"),
    ],
)
def test_w3c_datetimes(text: str, iso: str) -> None:
    parsed = parse_datetime(text)
    assert parsed is not None and parsed.isoformat() == iso


@given(
    st.dictionaries(st.text(max_size=8), st.one_of(st.text(), st.integers(), st.lists(st.text())))
)
def test_any_input_is_cleaned_or_refused_never_crashes(raw: dict[str, object]) -> None:
    try:
        clean = clean_answers(SPECS, raw)
    except AttributeErrors as exc:
        assert exc.problems
    else:
        assert set(clean) <= {spec.code for spec in SPECS if spec.variable}
