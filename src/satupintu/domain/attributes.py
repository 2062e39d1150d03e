"""Extra questions a category asks of a reporter (e.g. "pole number", "kind of damage").

A category may define attributes; a report filed in it carries the answers. The datatypes are
those every report intake needs (and exactly those of Open311 GeoReport v2, so an Open311 client
can render the form from a service definition): ``string`` (one line), ``text`` (free text),
``number``, ``datetime``, ``singlevaluelist`` (one of the listed keys) and ``multivaluelist``
(any of them).

Pure: specs and raw answers in, clean answers out, or every problem at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLE = "singlevaluelist"
    MULTI = "multivaluelist"


STRING_MAX = 255
TEXT_MAX = 5000
LIST_MAX = 50  # values in one multi-value answer
NUMBER_MAX = 40  # digits of a number written out


class Problem(StrEnum):
    UNKNOWN = "unknown"
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATETIME = "not_a_datetime"
    TOO_LONG = "too_long"
    NOT_A_CHOICE = "not_a_choice"
    ONE_VALUE_ONLY = "one_value_only"
    INVALID = "invalid"  # not text, a number or a list of them


@dataclass(frozen=True)
class AttributeSpec:
    code: str
    datatype: Datatype
    required: bool = False
    #: False: the attribute only informs the reporter (nothing to answer).
    variable: bool = True
    #: (key, name) pairs of a list datatype.
    values: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for key, _name in self.values)


Answer = str | list[str]


@dataclass
class AttributeErrors(Exception):
    """Every problem found, by attribute code (``Problem`` values)."""

    problems: dict[str, Problem] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{code}: {problem}" for code, problem in self.problems.items())


def _as_list(raw: object) -> list[str] | None:
    """The answer as a list of strings; None for a type no client should send (an object)."""
    if raw is None:
        return []
    if isinstance(raw, bool):
        return [str(raw).lower()]
    if isinstance(raw, str | int | float | Decimal):
        return [str(raw)]
    if isinstance(raw, Sequence):
        out = []
        for item in raw:
            if isinstance(item, str | int | float | Decimal) and not isinstance(item, bool):
                out.append(str(item))
            else:
                return None
        return out
    return None


def parse_datetime(text: str) -> dt.datetime | None:
    """W3C/ISO 8601 date-times such as ``2026-11-30T08:00:00+07:00`` or ``...Z``; a bare date
    is midnight. Naive values stay naive (the caller applies the Pemda's time zone)."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        return dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _clean_one(spec: AttributeSpec, values: list[str]) -> Answer | Problem:
    values = [v.strip() for v in values if v.strip()]
    if spec.datatype is Datatype.MULTI:
        if len(values) > LIST_MAX:
            return Problem.TOO_LONG
        unique = list(dict.fromkeys(values))
        return Problem.NOT_A_CHOICE if set(unique) - spec.keys else unique
    if len(values) > 1:
        return Problem.ONE_VALUE_ONLY
    value = values[0]
    if spec.datatype is Datatype.SINGLE:
        return value if value in spec.keys else Problem.NOT_A_CHOICE
    if spec.datatype is Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return Problem.NOT_A_NUMBER
        if not number.is_finite() or not math.isfinite(float(number)):
            return Problem.NOT_A_NUMBER
        text = format(number.normalize(), "f")
        return Problem.TOO_LONG if len(text) > NUMBER_MAX else text
    if spec.datatype is Datatype.DATETIME:
        when = parse_datetime(value)
        return Problem.NOT_A_DATETIME if when is None else when.isoformat()
    limit = TEXT_MAX if spec.datatype is Datatype.TEXT else STRING_MAX
    return Problem.TOO_LONG if len(value) > limit else value


def clean_answers(specs: Sequence[AttributeSpec], raw: Mapping[str, object]) -> dict[str, Answer]:
    """The answers to keep, by code, in spec order; raises :class:`AttributeErrors`.

    Answers to informational (non-variable) attributes are ignored, as are empty answers to
    optional ones; an unknown code is a problem (a typo would otherwise lose the answer).
    """
    by_code = {spec.code: spec for spec in specs}
    problems: dict[str, Problem] = {code: Problem.UNKNOWN for code in raw if code not in by_code}
    clean: dict[str, Answer] = {}
    for spec in specs:
        if not spec.variable:
            continue
        values = _as_list(raw.get(spec.code))
        if values is None:
            problems[spec.code] = Problem.INVALID
            continue
        if not any(v.strip() for v in values):
            if spec.required:
                problems[spec.code] = Problem.REQUIRED
            continue
        result = _clean_one(spec, values)
        if isinstance(result, Problem):
            problems[spec.code] = result
        else:
            clean[spec.code] = result
    if problems:
        raise AttributeErrors(problems)
    return clean
