"""Wrong-door hops and the working days they cost (domain.md §1.7, §1.6)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from satupintu.domain.workdays import WorkdayCalendar, default_calendar
from satupintu.domain.wrongdoor import (
    FORWARDED,
    RETURNED,
    WRONG_DOOR_OUTCOMES,
    WrongDoorHop,
    WrongDoorTally,
    days_lost,
    is_wrong_door,
    tally,
    wrong_door_hop,
)

CAL = default_calendar()


def test_only_forwards_and_returns_are_wrong_doors() -> None:
    assert WRONG_DOOR_OUTCOMES == {"forwarded", "returned"}
    assert is_wrong_door(FORWARDED) and is_wrong_door(RETURNED)
    assert not is_wrong_door("resolved") and not is_wrong_door("open")


def test_the_outcomes_are_the_dispositions() -> None:
    from satupintu.complaints.models import Disposition

    assert FORWARDED == Disposition.Outcome.FORWARDED.value
    assert RETURNED == Disposition.Outcome.RETURNED.value


def test_a_forward_on_the_day_of_receipt_loses_nothing() -> None:
    monday = date(2024, 3, 4)
    assert days_lost(CAL, monday, monday) == 0
    assert days_lost(CAL, monday, date(2024, 3, 5)) == 1


def test_weekends_and_holidays_are_not_lost_days() -> None:
    friday = date(2024, 4, 5)  # then Lebaran: 8-12 and 15 April are not working days
    assert days_lost(CAL, friday, date(2024, 4, 16)) == 1
    saturday = date(2024, 3, 9)
    assert days_lost(CAL, saturday, date(2024, 3, 10)) == 0  # Saturday to Sunday


def test_the_pemdas_own_holidays_count() -> None:
    monday = date(2024, 3, 4)
    local = WorkdayCalendar(extra_holidays={date(2024, 3, 5): "HUT Kota"})
    assert days_lost(local, monday, date(2024, 3, 6)) == 1
    assert days_lost(CAL, monday, date(2024, 3, 6)) == 2


def test_a_clock_set_back_loses_no_days() -> None:
    assert days_lost(CAL, date(2024, 3, 6), date(2024, 3, 4)) == 0


def test_wrong_door_hop() -> None:
    hop = wrong_door_hop(RETURNED, date(2024, 3, 4), date(2024, 3, 8), CAL)
    assert hop == WrongDoorHop(RETURNED, date(2024, 3, 4), date(2024, 3, 8), 4)
    assert hop.returned and not hop.forwarded
    assert wrong_door_hop("resolved", date(2024, 3, 4), date(2024, 3, 8), CAL) is None
    assert wrong_door_hop(FORWARDED, date(2024, 3, 4), None, CAL) is None


def test_tally() -> None:
    hops = [
        WrongDoorHop(RETURNED, date(2024, 3, 4), date(2024, 3, 5), 1),
        WrongDoorHop(FORWARDED, date(2024, 3, 4), date(2024, 3, 7), 3),
        WrongDoorHop(FORWARDED, date(2024, 3, 4), date(2024, 3, 4), 0),
    ]
    total = tally(hops)
    assert total == WrongDoorTally(hops=3, returned=1, forwarded=2, days_lost=4)
    assert total.returned_share == 1 / 3
    assert total.mean_days_lost == 4 / 3
    assert WrongDoorTally().returned_share is None and WrongDoorTally().mean_days_lost is None
    assert tally(hops[:1]) + tally(hops[1:]) == total


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_days_lost_is_the_calendars_working_days(start: date, n: int) -> None:
    end = start + timedelta(days=n)
    lost = days_lost(CAL, start, end)
    assert lost == CAL.between(start, end)
    assert lost <= n
    assert days_lost(CAL, start, CAL.add(start, n)) == n
