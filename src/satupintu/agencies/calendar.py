"""The Pemda's working-day calendar: the national one (``holidays`` package) plus database rows.

Built once per process and rebuilt when a CalendarDay row changes in this process, or at the
latest after ``REFRESH_SECONDS`` when another process changed it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from satupintu.agencies.models import CalendarDay
from satupintu.core.memo import Refreshed
from satupintu.domain.workdays import WorkdayCalendar


def _build() -> WorkdayCalendar:
    holidays: dict[date, str] = {}
    workdays: list[date] = []
    for row in CalendarDay.objects.only("date", "kind", "name"):
        if row.kind == CalendarDay.Kind.HOLIDAY:
            holidays[row.date] = row.name
        else:
            workdays.append(row.date)
    return WorkdayCalendar(extra_holidays=holidays, extra_workdays=workdays)


_calendar = Refreshed(_build)
_calendar.watch(CalendarDay)


def calendar() -> WorkdayCalendar:
    """The current calendar (cached)."""
    return _calendar.get()


def invalidate(**_: object) -> None:
    _calendar.invalidate()


def today() -> date:
    """Today in the Pemda's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()
