"""Which answers travel as a remote service's attributes, and what goes to the description."""

from __future__ import annotations

from typing import Any

import pytest

from satupintu.open311 import answers
from satupintu.open311.answers import Question
from satupintu.open311.client import RemoteAttribute

KINDS = {"lubang": "Berlubang", "retak": "Retak", "amblas": "Amblas"}


def ours(code: str, datatype: str, **kwargs: Any) -> dict[str, Question]:
    return {code: Question(code=code, label=code.title(), datatype=datatype, **kwargs)}


def theirs(code: str, datatype: str, keys: tuple[str, ...] = (), **kwargs: Any) -> RemoteAttribute:
    return RemoteAttribute(code=code, datatype=datatype, keys=keys, **kwargs)


@pytest.mark.parametrize(
    ("mine", "answer", "remote", "form", "left"),
    [
        # Choices: only keys the remote lists.
        (
            "singlevaluelist",
            "lubang",
            theirs("x", "singlevaluelist", ("lubang",)),
            {"attribute[x]": "lubang"},
            [],
        ),
        ("singlevaluelist", "retak", theirs("x", "singlevaluelist", ("lubang",)), {}, ["Retak"]),
        (
            "singlevaluelist",
            "lubang",
            theirs("x", "multivaluelist", ("lubang",)),
            {"attribute[x][]": ["lubang"]},
            [],
        ),
        (
            "multivaluelist",
            ["lubang", "retak"],
            theirs("x", "multivaluelist", ("lubang", "amblas")),
            {"attribute[x][]": ["lubang"]},
            ["Retak"],
        ),
        (
            "multivaluelist",
            ["lubang"],
            theirs("x", "singlevaluelist", ("lubang",)),
            {"attribute[x]": "lubang"},
            [],
        ),
        (
            "multivaluelist",
            ["lubang", "amblas"],
            theirs("x", "singlevaluelist", ("lubang", "amblas")),
            {},
            ["Berlubang, Amblas"],
        ),
        # Scalars as they are, text and string either way while it fits one line.
        ("number", "12.5", theirs("x", "number"), {"attribute[x]": "12.5"}, []),
        ("string", "T-17", theirs("x", "text"), {"attribute[x]": "T-17"}, []),
        ("text", "satu baris", theirs("x", "string"), {"attribute[x]": "satu baris"}, []),
        ("text", "dua\nbaris", theirs("x", "string"), {}, ["dua\nbaris"]),
        ("text", "a" * 256, theirs("x", "string"), {}, ["a" * 256]),
        (
            "datetime",
            "2026-03-01T07:30:00+08:00",
            theirs("x", "datetime"),
            {"attribute[x]": "2026-03-01T07:30:00+08:00"},
            [],
        ),
        # Anything else stays behind.
        ("number", "12", theirs("x", "string"), {}, ["12"]),
        ("string", "12", theirs("x", "number"), {}, ["12"]),
        ("text", "lubang", theirs("x", "singlevaluelist", ("lubang",)), {}, ["lubang"]),
        ("singlevaluelist", "lubang", theirs("x", "string"), {}, ["Berlubang"]),
        ("string", "T-17", theirs("x", "string", variable=False), {}, ["T-17"]),
        ("string", "T-17", theirs("y", "string"), {}, ["T-17"]),
        ("string", "T-17", theirs("x", "photo"), {}, ["T-17"]),
    ],
)
def test_an_answer_travels_where_the_remote_takes_it(
    mine: str, answer: object, remote: RemoteAttribute, form: dict[str, object], left: list[str]
) -> None:
    fitted = answers.fit({"x": answer}, ours("x", mine, names=KINDS), [remote])
    assert fitted.form == form
    assert fitted.leftovers == [("X", text) for text in left]


def test_a_naive_datetime_gets_the_pemdas_offset_and_reads_in_local_time() -> None:
    question = ours("x", "datetime")
    sent = answers.fit({"x": "2026-03-01T07:30:00"}, question, [theirs("x", "datetime")])
    assert sent.form == {"attribute[x]": "2026-03-01T07:30:00+07:00"}
    kept = answers.fit({"x": "2026-03-01T00:30:00Z"}, question, [])
    assert kept.leftovers == [("X", "2026-03-01 07:30 WIB")]


def test_leftovers_follow_our_questions_order_and_unknown_codes_come_last() -> None:
    questions = {
        "b": Question(code="b", label="Kedua", datatype="string", order=2),
        "a": Question(code="a", label="Pertama", datatype="string", order=1),
    }
    fitted = answers.fit({"zz": "lama", "b": "2", "a": "1", "kosong": ""}, questions, [])
    assert fitted.leftovers == [("Pertama", "1"), ("Kedua", "2"), ("zz", "lama")]
    assert answers.block(fitted.leftovers) == (
        "Jawaban pelapor atas pertanyaan kategori:\n- Pertama: 1\n- Kedua: 2\n- zz: lama"
    )
    assert answers.block([]) == ""
