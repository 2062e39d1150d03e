"""The public "Kinerja instansi" figures: on-time shares per agency for residents.

Read from the operations room's stored rollups (dashboard/selectors.py), never from the
reports, so the figures are the ones the officers see:

* **Period**: the reports received in the last 90 days up to today (:data:`WINDOW_DAYS`). The
  on-time share of an agency is the part of those reports it has answered (selesai) that it
  answered within the time limit; the agencies are ranked by the Wilson lower bound of that
  share (``sla_by_agency``), so 2 of 2 on time does not top 95 of 100.
* **City headline**: the reports received this month so far, and the city's on-time share over
  the same 90 days.
* **Small-count suppression**: an agency with fewer than :data:`MIN_REPORTS` answered reports
  in the period shows "data belum cukup" instead of a share (a public page should not single
  out a share of 1 or 2 reports); it is listed after the ranked agencies, with its count.
  The city's share is suppressed the same way. Reports not yet given to an agency (still at
  verification) count in the city's figures but have no row.
* Only aggregates: confidential reports count like any other, and no report text, reporter or
  officer appears. The figures are cached for :data:`TTL` seconds.

The same dictionary feeds the home page and the JSON at ``/api/v1/public/performance``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from satupintu.agencies import calendar as workcal
from satupintu.dashboard import selectors
from satupintu.dashboard.selectors import CITY, Filters

WINDOW_DAYS = 90
MIN_REPORTS = 10
TTL = 300  # seconds
CACHE_KEY = "portal:public-performance:v1"


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole >= MIN_REPORTS else None


def compute(today: dt.date | None = None) -> dict[str, Any]:
    """The public figures as plain JSON-ready values (see the module docstring)."""
    today = today or workcal.today()
    filters = Filters.last_days(WINDOW_DAYS, today=today)
    rows = selectors.sla_by_agency(filters, CITY, today=today)
    ranked: list[dict[str, Any]] = []
    small: list[dict[str, Any]] = []
    resolved = on_time = 0
    for row in rows:
        resolved += row.resolved
        on_time += row.resolved_on_time
        if not row.agency_id or not (row.received or row.resolved):
            continue  # not an agency (still at verification), or nothing in the period
        item = {
            "agency": row.name,
            "received": row.received,
            "resolved": row.resolved,
            "resolved_on_time": row.resolved_on_time if row.resolved >= MIN_REPORTS else None,
            "on_time_share": _share(row.resolved_on_time, row.resolved),
            "enough_data": row.resolved >= MIN_REPORTS,
            "rank": None,
        }
        (ranked if item["enough_data"] else small).append(item)
    for index, item in enumerate(ranked, start=1):
        item["rank"] = index
    small.sort(key=lambda i: str(i["agency"]))
    month = selectors.headline(filters, CITY, today=today).month
    return {
        "period": {"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        "window_days": WINDOW_DAYS,
        "min_reports": MIN_REPORTS,
        "city": {
            "reports_this_month": month.current,
            "reports_same_period_last_month": month.previous,
            "resolved": resolved,
            "on_time_share": _share(on_time, resolved),
        },
        "agencies": ranked + small,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }


def public_performance() -> dict[str, Any]:
    """:func:`compute`, cached for :data:`TTL` seconds."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        return cached
    figures = compute()
    cache.set(CACHE_KEY, figures, TTL)
    return figures
