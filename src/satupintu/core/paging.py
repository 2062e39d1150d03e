"""Lists a page at a time, and counts that stop at a cap: what a list of any length costs is the
same (the desk's lists, the SKM suggestions).

A page is fetched as ``per_page + 1`` rows, so no COUNT runs over a big table to know whether a
next page exists; a count shown on a menu stops at :data:`COUNT_CAP` ("1000+").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")

#: Counts on a menu stop here ("1000+"), so they cost the same on any table size.
COUNT_CAP = 1000
PER_PAGE = 50
#: No list holds this many pages: a higher number is past the end without asking for its rows.
MAX_PAGE = 1_000_000


@dataclass
class Page(Generic[T]):
    """One page of a list, fetched as ``per_page + 1`` rows: no COUNT over a big table."""

    items: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number(text: str | None) -> int:
    """The page a query string asks for (``?page=``): anything but a whole number is page 1,
    and a number below 1 too."""
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


def page_of(qs: QuerySet[Any], number: int, per_page: int | None = None) -> Page[Any]:
    """Page ``number`` of ``qs``; one past the end (however far) is the last page, counted only
    then, so that its previous link leads back (a list with no rows has an empty first page)."""
    per_page = per_page or PER_PAGE
    number = max(1, number)
    if number <= MAX_PAGE:
        start = (number - 1) * per_page
        rows = list(qs[start : start + per_page + 1])
        if rows or number == 1:
            return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)
    # Past the end. (Past MAX_PAGE the offset could leave what the database counts in: bigint.)
    number = max(1, -(-qs.count() // per_page))
    start = (number - 1) * per_page
    return Page(items=list(qs[start : start + per_page]), number=number, has_next=False)


def capped_count(qs: QuerySet[Any]) -> tuple[int, bool]:
    """How many rows, counting at most COUNT_CAP + 1 of them; (count, more than the cap)."""
    n = qs.order_by()[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP
