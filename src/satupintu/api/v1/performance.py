"""``GET /api/v1/public/performance``: the public "Kinerja instansi" figures of the portal's
home page (portal/performance.py) as open data, without a key."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from satupintu.api.v1.schemas import ERRORS
from satupintu.portal import performance

router = Router(tags=["public"])


class PeriodOut(Schema):
    start: str
    end: str


class CityPerformanceOut(Schema):
    reports_this_month: int
    reports_same_period_last_month: int
    #: reports of the period answered (selesai) by any agency
    resolved: int
    #: percent of them answered on time; null below ``min_reports``
    on_time_share: float | None


class AgencyPerformanceOut(Schema):
    agency: str
    #: reports of the period the agency holds or held
    received: int
    #: of them answered (selesai)
    resolved: int
    #: of the answered, on time; null below ``min_reports`` (small-count suppression)
    resolved_on_time: int | None
    on_time_share: float | None
    enough_data: bool
    #: 1 for the best Wilson lower bound of the on-time share; null when suppressed
    rank: int | None


class PerformanceOut(Schema):
    period: PeriodOut
    window_days: int
    min_reports: int
    city: CityPerformanceOut
    agencies: list[AgencyPerformanceOut]
    computed_at: str


@router.get(
    "/public/performance",
    response={200: PerformanceOut, **ERRORS},
    summary="Public on-time shares per agency",
    url_name="public_performance",
)
def public_performance(request: HttpRequest) -> dict[str, Any]:
    """On-time shares per agency over the reports received in the last 90 days, ranked by the
    Wilson lower bound of the share, and the city's headline (reports this month, on-time
    share). Agencies with fewer than ``min_reports`` answered reports have no share
    (``enough_data`` false). Aggregates only; refreshed every few minutes."""
    return performance.public_performance()
