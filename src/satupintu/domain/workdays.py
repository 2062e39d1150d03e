"""Indonesian government working-day (hari kerja) calendar (domain.md §7).

Pure Python, no Django. A working day is Monday-Friday (Perpres 21/2023) that is
neither a national holiday (hari libur nasional, Keppres) nor a national cuti
bersama (SKB 3 Menteri / Keppres on cuti bersama ASN), with administrator-kept
corrections on top:

* ``extra_holidays``: dates that are NOT working days (local holidays, a cuti
  bersama added by a later decree, ...);
* ``extra_workdays``: dates that ARE working days whatever the package or the
  weekday says (a holiday moved by a later decree, a replacement working Saturday).

Precedence for a date: extra_workdays > extra_holidays > package holidays > weekday.

"N working days after d" starts counting on the next working day: ``d`` itself is
day 0 whether or not it is a working day. ``between(d1, d2)`` counts working days in
the half-open interval (d1, d2], so ``between(d, add(d, n)) == n`` for ``n >= 0``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Final, NamedTuple

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

__all__ = [
    "KIND_CUTI_BERSAMA",
    "KIND_LOCAL",
    "KIND_NATIONAL",
    "Holiday",
    "WorkdayCalendar",
    "default_calendar",
    "parse_date",
]

# Values of Holiday.kind (stable strings, safe to store or show in templates).
KIND_NATIONAL: Final = "national"  # hari libur nasional (Keppres / SKB 3 Menteri)
KIND_CUTI_BERSAMA: Final = "cuti_bersama"  # cuti bersama ASN (SKB 3 Menteri / Keppres)
KIND_LOCAL: Final = "local"  # extra_holidays rows kept by administrators

DEFAULT_LANGUAGE: Final = "id"
_DEFAULT_EXTRA_HOLIDAY_NAME: Final = "Libur tambahan"


class Holiday(NamedTuple):
    """One non-working date for display: ``(day, name, kind)``."""

    day: date
    name: str
    kind: str


@lru_cache(maxsize=512)
def _package_holidays(year: int, language: str) -> tuple[Holiday, ...]:
    """National holidays and cuti bersama for one year from the ``holidays`` package.

    Shared by all calendars: computed once per (year, language). Years the package
    does not cover (before 1946, after 2100) yield an empty tuple.
    """
    result: list[Holiday] = []
    # PUBLIC: hari libur nasional (Keppres; yearly list in SKB 3 Menteri).
    # GOVERNMENT: cuti bersama ASN (SKB 3 Menteri / Keppres on cuti bersama).
    for category, kind in ((PUBLIC, KIND_NATIONAL), (GOVERNMENT, KIND_CUTI_BERSAMA)):
        found = holidays.country_holidays(
            "ID", years=year, categories=(category,), language=language
        )
        for day in found:
            result.extend(Holiday(day, name, kind) for name in found.get_list(day))
    result.sort()
    return tuple(result)


def _require_date(value: object, what: str) -> None:
    # datetime is a subclass of date; a datetime here usually means a UTC "now"
    # whose calendar date is wrong for WIB/WITA/WIT, so refuse it loudly.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{what} must be a datetime.date (not {type(value).__name__}); "
            "use timezone.localdate() or .date() explicitly"
        )


def _require_int(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")


class _Year:
    """Working days of one calendar year, as sorted ordinals and a set."""

    __slots__ = ("ordinals", "ordinal_set")

    def __init__(self, ordinals: list[int]) -> None:
        self.ordinals: Final = ordinals
        self.ordinal_set: Final = frozenset(ordinals)


class WorkdayCalendar:
    """Immutable working-day calendar; per-year data is built lazily and cached.

    Instances are cheap to build (package holidays are cached module-wide) and safe
    to share between threads: the cache only ever gains identical entries.
    """

    __slots__ = ("_extra_holidays", "_extra_workdays", "_language", "_years", "_closed", "_open")

    def __init__(
        self,
        *,
        extra_holidays: Mapping[date, str] | Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        years: Iterable[int] = (),
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        """Build a calendar.

        ``extra_holidays`` may be a mapping date -> name (shown by ``holidays_in``)
        or plain dates. ``years`` are precomputed eagerly (optional; any other year
        is computed on first use). ``language`` only affects holiday names.
        A date may not be both an extra holiday and an extra working day.
        """
        if isinstance(extra_holidays, Mapping):
            named = {day: str(name) for day, name in extra_holidays.items()}
        else:
            named = {day: _DEFAULT_EXTRA_HOLIDAY_NAME for day in extra_holidays}
        workdays = frozenset(extra_workdays)
        for day in (*named, *workdays):
            _require_date(day, "extra holiday/workday")
        clash = sorted(workdays.intersection(named))
        if clash:
            listed = ", ".join(day.isoformat() for day in clash)
            raise ValueError(f"dates both in extra_holidays and extra_workdays: {listed}")
        self._extra_holidays: Final = MappingProxyType(named)
        self._extra_workdays: Final = workdays
        self._language: Final = language
        self._closed: Final = frozenset(day.toordinal() for day in named)
        self._open: Final = frozenset(day.toordinal() for day in workdays)
        self._years: Final[dict[int, _Year]] = {}
        for year in years:
            self._year(year)

    def __repr__(self) -> str:
        return (
            f"WorkdayCalendar(extra_holidays={len(self._extra_holidays)}, "
            f"extra_workdays={len(self._extra_workdays)}, language={self._language!r})"
        )

    @property
    def extra_holidays(self) -> Mapping[date, str]:
        """Administrator-defined non-working dates and their names (read-only)."""
        return self._extra_holidays

    @property
    def extra_workdays(self) -> frozenset[date]:
        """Administrator-defined working dates that override everything else."""
        return self._extra_workdays

    @property
    def language(self) -> str:
        """Language code used for package holiday names."""
        return self._language

    # -- per-year index ---------------------------------------------------------

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MINYEAR <= year <= MAXYEAR:
            raise OverflowError(f"year {year} is outside {MINYEAR}..{MAXYEAR}")
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        closed = self._closed | {h.day.toordinal() for h in _package_holidays(year, self._language)}
        is_open = self._open
        # Ordinal 1 (0001-01-01) is a Monday, so (ordinal - 1) % 7 is date.weekday().
        # Monday-Friday are working days: Perpres 21/2023 (hari kerja ASN).
        ordinals = [
            o
            for o in range(first, last + 1)
            if o in is_open or ((o - 1) % 7 < 5 and o not in closed)
        ]
        built = _Year(ordinals)
        self._years[year] = built
        return built

    # -- queries ------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` is a government working day."""
        _require_date(day, "day")
        return day.toordinal() in self._year(day.year).ordinal_set

    def add(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` is day 0, never counted).

        ``add(d, 0) == d`` even if ``d`` is not a working day. A negative ``n`` counts
        backwards: ``add(d, -k)`` is the k-th working day strictly before ``d``.
        Raises OverflowError beyond year 9999 / before year 1.
        """
        _require_date(start, "start")
        _require_int(n, "n")
        if n == 0:
            return start
        year = start.year
        ordinals = self._year(year).ordinals
        if n > 0:
            # bisect_right: number of working days <= start in this year.
            index = bisect_right(ordinals, start.toordinal()) + n - 1
            while index >= len(ordinals):
                index -= len(ordinals)
                year += 1
                ordinals = self._year(year).ordinals
        else:
            # bisect_left: number of working days < start in this year.
            index = bisect_left(ordinals, start.toordinal()) + n
            while index < 0:
                year -= 1
                ordinals = self._year(year).ordinals
                index += len(ordinals)
        return date.fromordinal(ordinals[index])

    def next_working_day(self, day: date) -> date:
        """First working day strictly after ``day``."""
        return self.add(day, 1)

    def previous_working_day(self, day: date) -> date:
        """Last working day strictly before ``day``."""
        return self.add(day, -1)

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative count of (end, start] if end < start.

        ``between(d, add(d, n)) == n`` for every ``n >= 0``; ``between(d, d) == 0``.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.between(end, start)
        count = bisect_right(self._year(end.year).ordinals, end.toordinal())
        count -= bisect_right(self._year(start.year).ordinals, start.toordinal())
        for year in range(start.year, end.year):
            count += len(self._year(year).ordinals)
        return count

    def holidays_in(self, year: int) -> list[Holiday]:
        """Non-working holidays of ``year`` sorted by date, for an admin screen.

        Includes package holidays falling on weekends; excludes package holidays
        cancelled by ``extra_workdays``; extra holidays have kind ``"local"``.
        Weekends themselves are not listed.
        """
        _require_int(year, "year")
        if not MINYEAR <= year <= MAXYEAR:
            raise ValueError(f"year {year} is outside {MINYEAR}..{MAXYEAR}")
        cancelled = self._open
        found = [
            h for h in _package_holidays(year, self._language) if h.day.toordinal() not in cancelled
        ]
        found.extend(
            Holiday(day, name, KIND_LOCAL)
            for day, name in self._extra_holidays.items()
            if day.year == year
        )
        found.sort()
        return found


@lru_cache(maxsize=1)
def default_calendar() -> WorkdayCalendar:
    """Shared calendar with package holidays only (no administrator corrections)."""
    return WorkdayCalendar()


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` date (surrounding whitespace allowed).

    Raises ValueError naming the problem: wrong format, bad month, or a day that
    does not exist in that month (e.g. 2024-02-30).
    """
    cleaned = text.strip()
    match = _ISO_DATE.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2024-04-05")
    year, month, day = (int(part) for part in match.groups())
    if year < MINYEAR:
        raise ValueError(f"invalid date {text!r}: year 0000 does not exist; expected YYYY-MM-DD")
    if not 1 <= month <= 12:
        raise ValueError(
            f"invalid date {text!r}: month {month:02d} does not exist (01-12); expected YYYY-MM-DD"
        )
    try:
        return date(year, month, day)
    except ValueError:
        last_day = calendar.monthrange(year, month)[1]
        raise ValueError(
            f"invalid date {text!r}: {cleaned} does not exist "
            f"({year:04d}-{month:02d} has {last_day} days); expected YYYY-MM-DD"
        ) from None
