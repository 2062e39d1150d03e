"""The Pemda's working-day calendar: the national one (``holidays`` package) plus database rows.

Built once per process and rebuilt when a CalendarDay row changes in this process, or at the
latest after ``REFRESH_SECONDS`` when another process changed it.
"""

from __future__ import annotations

import threading
import time
from datetime import date

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from satupintu.agencies.models import CalendarDay
from satupintu.domain.workdays import WorkdayCalendar

REFRESH_SECONDS = 60.0

_lock = threading.Lock()
_state: dict[str, object] = {"calendar": None, "built": 0.0}


def _build() -> WorkdayCalendar:
    holidays: dict[date, str] = {}
    workdays: list[date] = []
    for row in CalendarDay.objects.only("date", "kind", "name"):
        if row.kind == CalendarDay.Kind.HOLIDAY:
            holidays[row.date] = row.name
        else:
            workdays.append(row.date)
    return WorkdayCalendar(extra_holidays=holidays, extra_workdays=workdays)


def calendar() -> WorkdayCalendar:
    """The current calendar (cached)."""
    with _lock:
        cached = _state["calendar"]
        if (
            isinstance(cached, WorkdayCalendar)
            and time.monotonic()
            - float(
                _state["built"]  # type: ignore[arg-type]
            )
            < REFRESH_SECONDS
        ):
            return cached
    built = _build()
    with _lock:
        _state["calendar"] = built
        _state["built"] = time.monotonic()
    return built


def invalidate(**_: object) -> None:
    with _lock:
        _state["calendar"] = None


def today() -> date:
    """Today in the Pemda's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


post_save.connect(invalidate, sender=CalendarDay, dispatch_uid="calendar-invalidate-save")
post_delete.connect(invalidate, sender=CalendarDay, dispatch_uid="calendar-invalidate-delete")
