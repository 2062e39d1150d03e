"""The reporter's answers to our category's questions, as another government's service takes them.

A forwarded report is filed under the remote server's own service (open311/federation.py), whose
definition (open311/definitions.py) may ask attributes of its own. An answer travels as
``attribute[code]`` when the remote service asks an attribute with the same code that the
reporter fills in and whose datatype takes it:

- a choice (``singlevaluelist`` or ``multivaluelist``) goes to a choice attribute with only the
  keys the remote lists: a single-value attribute takes one answer that is among them, a
  multi-value one the chosen keys that are (the others stay behind);
- ``number`` and ``datetime`` go to the same datatype as they are (a date-time without an offset
  gets the Pemda's); ``string`` and ``text`` go to either, a ``text`` answer to a ``string``
  only when it is one line of at most STRING_MAX characters.

Whatever stays behind (no such code there, another datatype, a key the remote does not list, an
answer to a question our category no longer asks) goes into the description as a short block
of "question: answer" lines, so that nothing the reporter said is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.complaints.models import CategoryAttribute, Report
from satupintu.domain.attributes import STRING_MAX, Datatype, parse_datetime
from satupintu.open311.client import RemoteAttribute

LISTS = frozenset({Datatype.SINGLE.value, Datatype.MULTI.value})
#: (ours, theirs): the scalar datatypes whose answers travel as they are.
SCALAR_FITS = frozenset(
    {
        (Datatype.STRING.value, Datatype.STRING.value),
        (Datatype.STRING.value, Datatype.TEXT.value),
        (Datatype.TEXT.value, Datatype.TEXT.value),
        (Datatype.TEXT.value, Datatype.STRING.value),
        (Datatype.NUMBER.value, Datatype.NUMBER.value),
        (Datatype.DATETIME.value, Datatype.DATETIME.value),
    }
)

Form = dict[str, str | list[str]]


@dataclass(frozen=True)
class Question:
    """One of our category's questions, as far as the mapping needs it."""

    code: str
    label: str
    datatype: str
    names: Mapping[str, str] = field(default_factory=dict)  # choice key -> name
    order: int = 0


@dataclass
class Fitted:
    #: ``attribute[code]`` (or ``attribute[code][]`` with a list) -> value(s), for the POST form
    form: Form = field(default_factory=dict)
    #: (question, readable answer) of what the remote service cannot take
    leftovers: list[tuple[str, str]] = field(default_factory=list)


def questions(report: Report) -> dict[str, Question]:
    """Our questions the report answered (one query; none without answers), inactive ones too:
    the answer was given while they were asked."""
    given = report.attributes if isinstance(report.attributes, dict) else {}
    if not given or report.category_id is None:
        return {}
    rows = CategoryAttribute.objects.filter(
        category_id=report.category_id, code__in=list(given)
    ).only("code", "label", "datatype", "values", "order")
    return {
        q.code: Question(
            code=q.code, label=q.label, datatype=q.datatype, names=dict(q.choices()), order=q.order
        )
        for q in rows
    }


def _values(answer: object) -> list[str]:
    items: Iterable[object] = answer if isinstance(answer, list) else [answer]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _moment(text: str) -> dt.datetime | None:
    when = parse_datetime(text)
    if when is None:
        return None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _readable(question: Question | None, values: Sequence[str]) -> str:
    if question is not None and question.datatype == Datatype.DATETIME.value and len(values) == 1:
        when = _moment(values[0])
        if when is not None:
            return timezone.localtime(when).strftime("%Y-%m-%d %H:%M %Z").strip()
    names = question.names if question is not None and question.datatype in LISTS else {}
    return ", ".join(names.get(v, v) for v in values)


def _fit_one(
    question: Question, values: list[str], remote: RemoteAttribute
) -> tuple[Form, list[str]]:
    """What of one answer the remote attribute takes, and the values that stay behind."""
    ours, theirs, name = question.datatype, remote.datatype, f"attribute[{remote.code}]"
    if ours in LISTS and theirs in LISTS:
        keys = set(remote.keys)
        if theirs == Datatype.SINGLE.value:
            if len(values) == 1 and values[0] in keys:
                return {name: values[0]}, []
            return {}, values
        fitting = [v for v in values if v in keys]
        return ({f"{name}[]": fitting} if fitting else {}), [v for v in values if v not in keys]
    if (ours, theirs) not in SCALAR_FITS or len(values) != 1:
        return {}, values
    value = values[0]
    if theirs == Datatype.STRING.value and (len(value) > STRING_MAX or "\n" in value):
        return {}, values
    if ours == Datatype.DATETIME.value:
        when = _moment(value)
        if when is None:
            return {}, values
        value = when.isoformat()
    return {name: value}, []


def fit(
    answers: Mapping[str, object],
    ours: Mapping[str, Question],
    remote: Sequence[RemoteAttribute],
) -> Fitted:
    """Split the answers into what travels as remote attributes and what goes to the
    description, in our questions' order."""
    theirs: dict[str, RemoteAttribute] = {}
    for attribute in remote:
        if attribute.variable:  # an informational attribute takes no answer
            theirs.setdefault(attribute.code, attribute)

    def position(code: str) -> tuple[int, int, str]:
        question = ours.get(code)
        return (0, question.order, code) if question else (1, 0, code)

    out = Fitted()
    for code in sorted(answers, key=position):
        values = _values(answers[code])
        if not values:
            continue
        question, target = ours.get(code), theirs.get(code)
        rest = values
        if question is not None and target is not None:
            sent, rest = _fit_one(question, values, target)
            out.form.update(sent)
        if rest:
            out.leftovers.append((question.label if question else code, _readable(question, rest)))
    return out


def block(leftovers: Sequence[tuple[str, str]]) -> str:
    """The answers that stay behind, readable in the description ("" when none)."""
    if not leftovers:
        return ""
    lines = [_("Jawaban pelapor atas pertanyaan kategori:")]
    for label, text in leftovers:
        # A long answer's further lines are indented under its question.
        lines.append(f"- {label}: " + "\n  ".join(text.splitlines()))
    return "\n".join(lines)
