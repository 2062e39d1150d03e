"""Keyset (cursor) pagination: stable under inserts, as fast on page 1,000 as on page 1.

A cursor is an opaque token naming the last row of the previous page by its sort value and id.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from satupintu.core import moments
from satupintu.core.errors import InvalidInput

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def _encode(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if value is not None else None, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> InvalidInput:
    return InvalidInput(
        _("Kursor halaman tidak sah; mulai lagi dari halaman pertama."),
        fields={"cursor": _("Kursor tidak sah.")},
    )


def _decode(cursor: str, parse: Callable[[str], Any]) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(value, str):
            raise ValueError(cursor)
        return parse(value), pk
    except (ValueError, TypeError, UnicodeDecodeError):
        raise _bad_cursor() from None


def _datetime(text: str) -> dt.datetime:
    """A cursor's date and time in UTC, as the database compares it (core.moments): one whose
    move to UTC leaves year 1 to 9999 is refused (OutOfRange is a ValueError)."""
    return moments.in_utc(dt.datetime.fromisoformat(text))


PARSERS: dict[str, Callable[[str], Any]] = {
    "datetime": _datetime,
    "date": dt.date.fromisoformat,
}


def keyset_page(
    qs: QuerySet[M],
    *,
    field: str,
    kind: str,
    descending: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[M], str | None]:
    """One page ordered by (``field``, pk), and the cursor of the next page (None at the end).

    ``field`` must not be NULL on the rows of ``qs``.
    """
    if cursor:
        value, pk = _decode(cursor, PARSERS[kind])
        op = "lt" if descending else "gt"
        qs = qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))
    sign = "-" if descending else ""
    rows = list(qs.order_by(f"{sign}{field}", f"{sign}pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode(getattr(last, field), last.pk)
