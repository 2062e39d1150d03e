"""Complaint-management indicators: computed in SQL, stored per agency and year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.agencies import calendar as workcal
from satupintu.agencies.models import CalendarDay
from satupintu.complaints import services
from satupintu.evaluation.indicators import EPOCH, fill_ordinals, indicators_refresh
from satupintu.evaluation.models import ComplaintSnapshot, WorkdayOrdinal
from tests.conftest import City

pytestmark = pytest.mark.django_db


def at(time_machine: Any, day: str, hour: int = 9) -> None:
    """Move to ``day`` at ``hour`` WIB."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    time_machine.move_to(local.replace(tzinfo=dt.UTC) - dt.timedelta(hours=7), tick=False)


@pytest.fixture
def march(city: City, time_machine: Any) -> City:
    """A fortnight in March 2025 at the DPUPR (roads) and the DLHK (waste).

    r1: dispatched Wed 5, followed up Thu 6 (1 working day), resolved Mon 10 (3), rated 4.
    r2: dispatched Wed 5, never followed up (deadline Wed 12 passes).
    r3: dispatched to the DLHK Wed 5, forwarded to the DPUPR Fri 7 (2 working days lost there),
        followed up Fri 14 (5 working days after the new disposisi: on its deadline). It is an
        aspirasi: 5 working days to complete, so it is still open past Fri 14.
    """
    at(time_machine, "2025-03-05")
    r1 = city.dispatched(title="Jalan berlubang satu")
    r2 = city.dispatched(title="Jalan berlubang dua")
    r3 = city.dispatched(title="Lubang di jalan, dikira sampah", category=city.waste)
    at(time_machine, "2025-03-06")
    services.report_follow_up(actor=city.officer_a, report_id=r1.pk, body="Kami tinjau.")
    at(time_machine, "2025-03-07")
    services.report_forward(
        actor=city.officer_b, report_id=r3.pk, to_agency=city.dpupr, reason="Urusan jalan."
    )
    at(time_machine, "2025-03-10")
    services.report_resolve(actor=city.officer_a, report_id=r1.pk, answer="Sudah ditambal.")
    at(time_machine, "2025-03-11")
    services.report_confirm(actor=city.reporter(r1), report_id=r1.pk, rating=4)
    at(time_machine, "2025-03-14", hour=15)
    services.report_follow_up(actor=city.officer_a, report_id=r3.pk, body="Dijadwalkan.")
    assert r2.pk
    at(time_machine, "2025-03-20")
    return city


def snapshot(city: City, code: str | None) -> ComplaintSnapshot:
    agency = None if code is None else getattr(city, code)
    return ComplaintSnapshot.objects.get(year=2025, agency=agency)


def test_refresh_counts_what_each_agency_did(march: City) -> None:
    result = indicators_refresh(year=2025)
    assert (result.year, result.hops) == (2025, 4)
    dpupr = snapshot(march, "dpupr")
    assert (dpupr.hops, dpupr.wrong_door) == (3, 0)
    assert (dpupr.followup_on_time, dpupr.followup_due) == (2, 3)
    assert dpupr.followup_share == Fraction(2, 3)
    assert dpupr.followup_median == Decimal(3)  # 1 and 5 working days
    assert (dpupr.resolved, dpupr.resolution_median) == (1, Decimal(3))
    assert (dpupr.completion_due, dpupr.overdue) == (2, 1)  # r1 in time, r3 late
    assert (dpupr.ratings, dpupr.rating_mean) == (1, 4)
    assert (dpupr.officers, dpupr.officers_acted) == (2, 1)  # liaison acted, head did not
    dlhk = snapshot(march, "dlhk")
    assert (dlhk.hops, dlhk.wrong_door, dlhk.wrong_door_days) == (1, 1, 2)
    assert dlhk.followup_due == 0 and dlhk.followup_share is None
    total = snapshot(march, None)
    assert (total.hops, total.wrong_door, total.followup_on_time, total.followup_due) == (
        4,
        1,
        2,
        3,
    )
    assert total.followup_median == Decimal(3)
    # verifier, the DPUPR's liaison and head, the DLHK's and the Dinkes' liaisons: each once.
    assert (total.officers, total.officers_acted) == (5, 3)
    # Every internal agency has a row; an external one only when it received reports.
    agencies = set(
        ComplaintSnapshot.objects.filter(year=2025).values_list("agency__code", flat=True)
    )
    assert agencies == {None, "pemkot-depok", "dpupr", "dlhk", "dinkes", "pkm-pancoran-mas"}


def test_late_completion_and_a_refresh_replaces_the_rows(march: City, time_machine: Any) -> None:
    indicators_refresh(year=2025)
    at(time_machine, "2025-04-21")  # after every completion deadline (14 working days)
    indicators_refresh(year=2025)
    dpupr = snapshot(march, "dpupr")
    # r1 resolved in time; r2 and r3 still open past their completion deadline.
    assert (dpupr.completion_due, dpupr.overdue) == (3, 2)
    assert dpupr.officers_acted == 0  # nothing done in the last 30 days
    assert ComplaintSnapshot.objects.filter(year=2025, agency__isnull=True).count() == 1


def test_no_reports_gives_empty_rows_not_errors(city: City, weekday: dt.date) -> None:
    indicators_refresh(year=2025)
    total = snapshot(city, None)
    assert total.hops == 0
    assert total.followup_share is None and total.followup_median is None
    with pytest.raises(ValueError, match="has not begun"):
        indicators_refresh(year=2026)


def test_working_day_numbers_agree_with_the_calendar(db: Any) -> None:
    CalendarDay.objects.create(date=dt.date(2024, 4, 17), kind="holiday", name="Hari jadi")
    workcal.invalidate()
    fill_ordinals(dt.date(2024, 3, 25), dt.date(2024, 4, 30))  # Lebaran 2024 inside
    ordinals = dict(WorkdayOrdinal.objects.values_list("day", "ordinal"))
    calendar = workcal.calendar()
    days = sorted(ordinals)
    for start in days[::3]:
        for end in days[::4]:
            assert ordinals[end] - ordinals[start] == calendar.between(start, end)
    assert ordinals[days[0]] == calendar.between(EPOCH, days[0])


def test_refresh_command(march: City, capsys: Any) -> None:
    call_command("indicators", "refresh", "--year", "2025")
    assert "2025:" in capsys.readouterr().out
    assert ComplaintSnapshot.objects.filter(year=2025).exists()
    for bad in ("20x5", "2016", "2031"):
        with pytest.raises(CommandError) as refused:
            call_command("indicators", "refresh", "--year", bad)
        assert refused.value.returncode == 2
