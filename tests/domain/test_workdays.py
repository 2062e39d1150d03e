"""Working-day calendar (domain.md §7): Mon-Fri minus holidays, cuti bersama and extras."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from holidays.constants import GOVERNMENT, PUBLIC
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.domain.workdays import (
    KIND_CUTI_BERSAMA,
    KIND_LOCAL,
    KIND_NATIONAL,
    Holiday,
    WorkdayCalendar,
    default_calendar,
    parse_date,
)

CAL = default_calendar()
# Lebaran 2024: 8, 9, 12, 15 April cuti bersama; 10, 11 April Idul Fitri.
LEBARAN_2024 = [date(2024, 4, d) for d in (8, 9, 10, 11, 12, 15)]


def test_lebaran_2024_deadline() -> None:
    assert CAL.add(date(2024, 4, 5), 3) == date(2024, 4, 18)
    assert not any(CAL.is_working_day(d) for d in LEBARAN_2024)
    assert CAL.is_working_day(date(2024, 4, 5))
    assert CAL.next_working_day(date(2024, 4, 5)) == date(2024, 4, 16)


def test_add_zero_returns_start_even_on_non_working_day() -> None:
    assert CAL.add(date(2024, 4, 10), 0) == date(2024, 4, 10)  # Idul Fitri
    assert CAL.add(date(2024, 4, 6), 0) == date(2024, 4, 6)  # Saturday


def test_add_across_year_boundary() -> None:
    # 25 Dec Natal, 26 Dec 2024 cuti bersama, 1 Jan 2025 Tahun Baru.
    assert not CAL.is_working_day(date(2024, 12, 26))
    assert CAL.add(date(2024, 12, 24), 3) == date(2024, 12, 31)
    assert CAL.add(date(2024, 12, 24), 5) == date(2025, 1, 3)
    assert CAL.between(date(2024, 12, 24), date(2025, 1, 3)) == 5
    assert CAL.add(date(2025, 1, 3), -5) == date(2024, 12, 24)


def test_weekend_start_counts_from_monday() -> None:
    monday = date(2024, 3, 4)
    assert CAL.add(date(2024, 3, 2), 1) == monday  # Saturday
    assert CAL.add(date(2024, 3, 3), 1) == monday  # Sunday
    assert CAL.add(date(2024, 3, 1), 1) == monday  # Friday


def test_holiday_start_counts_from_next_working_day() -> None:
    assert CAL.add(date(2024, 4, 10), 1) == date(2024, 4, 16)
    assert CAL.add(date(2024, 4, 10), 2) == date(2024, 4, 17)


def test_negative_n_counts_backwards_strictly_before() -> None:
    assert CAL.add(date(2024, 4, 18), -3) == date(2024, 4, 5)
    assert CAL.add(date(2024, 4, 16), -1) == date(2024, 4, 5)
    assert CAL.previous_working_day(date(2024, 3, 4)) == date(2024, 3, 1)
    assert CAL.add(date(2024, 3, 2), -1) == date(2024, 3, 1)  # from a Saturday


def test_local_holiday_shifts_deadline_by_one_day() -> None:
    start = date(2024, 1, 15)  # Monday, no holidays until 22 Jan
    assert CAL.add(start, 5) == date(2024, 1, 22)
    local = WorkdayCalendar(extra_holidays={date(2024, 1, 17): "Hari Jadi Kabupaten"})
    assert not local.is_working_day(date(2024, 1, 17))
    assert local.add(start, 5) == date(2024, 1, 23)
    assert local.between(start, date(2024, 1, 23)) == 5


def test_correction_making_cuti_bersama_a_working_day_shifts_back() -> None:
    corrected = WorkdayCalendar(extra_workdays=[date(2024, 4, 15)])
    assert corrected.is_working_day(date(2024, 4, 15))
    assert corrected.add(date(2024, 4, 5), 3) == date(2024, 4, 17)
    assert date(2024, 4, 15) not in {h.day for h in corrected.holidays_in(2024)}
    assert not CAL.is_working_day(date(2024, 4, 15))  # default calendar is untouched


def test_saturday_extra_workday_counts() -> None:
    saturday = date(2024, 1, 20)
    cal = WorkdayCalendar(extra_workdays=[saturday])
    assert cal.is_working_day(saturday)
    assert not cal.is_working_day(date(2024, 1, 21))
    assert cal.add(date(2024, 1, 19), 1) == saturday
    assert cal.between(date(2024, 1, 19), date(2024, 1, 22)) == 2
    assert CAL.between(date(2024, 1, 19), date(2024, 1, 22)) == 1


def test_plain_dates_as_extra_holidays_get_default_name() -> None:
    cal = WorkdayCalendar(extra_holidays=[date(2024, 1, 17)])
    assert not cal.is_working_day(date(2024, 1, 17))
    [local] = [h for h in cal.holidays_in(2024) if h.kind == KIND_LOCAL]
    assert local.day == date(2024, 1, 17) and local.name


def test_conflicting_extras_and_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="2024-01-17"):
        WorkdayCalendar(extra_holidays=[date(2024, 1, 17)], extra_workdays=[date(2024, 1, 17)])
    with pytest.raises(TypeError, match="date"):
        CAL.add(datetime(2024, 4, 5, 12, 0), 1)
    with pytest.raises(TypeError, match="date"):
        WorkdayCalendar(extra_workdays=[datetime(2024, 4, 6, 0, 0)])


def test_between_examples() -> None:
    assert CAL.between(date(2024, 4, 5), date(2024, 4, 18)) == 3
    assert CAL.between(date(2024, 4, 18), date(2024, 4, 5)) == -3
    assert CAL.between(date(2024, 4, 10), date(2024, 4, 10)) == 0
    assert CAL.between(date(2024, 4, 16), date(2024, 4, 16)) == 0
    assert CAL.between(date(2024, 4, 5), date(2024, 4, 15)) == 0
    assert CAL.between(date(2023, 12, 31), date(2024, 12, 31)) == CAL.between(
        date(2023, 12, 31), date(2024, 6, 30)
    ) + CAL.between(date(2024, 6, 30), date(2024, 12, 31))


def test_matches_independent_rule_for_2023_to_2026() -> None:
    years = range(2023, 2027)
    closed = holidays.country_holidays("ID", categories=(PUBLIC, GOVERNMENT), years=years)
    day = date(2023, 1, 1)
    while day.year < 2027:
        assert CAL.is_working_day(day) == (day.weekday() < 5 and day not in closed), day
        day += timedelta(days=1)


def test_years_without_package_data_use_weekends_and_extras() -> None:
    assert CAL.is_working_day(date(1900, 1, 1))  # a Monday; package starts in 1946
    assert not CAL.is_working_day(date(1900, 1, 6))  # Saturday
    assert CAL.holidays_in(1900) == []
    cal = WorkdayCalendar(extra_holidays={date(2150, 1, 1): "Lokal"}, years=[2150])
    assert not cal.is_working_day(date(2150, 1, 1))
    assert cal.holidays_in(2150) == [Holiday(date(2150, 1, 1), "Lokal", KIND_LOCAL)]


def test_holidays_in_lists_kinds_sorted() -> None:
    cal = WorkdayCalendar(extra_holidays={date(2024, 4, 16): "Hari Jadi Kota"})
    listed = cal.holidays_in(2024)
    assert listed == sorted(listed)
    assert all(h.day.year == 2024 for h in listed)
    kinds = {h.day: h.kind for h in listed}
    assert kinds[date(2024, 4, 10)] == KIND_NATIONAL
    assert kinds[date(2024, 4, 8)] == KIND_CUTI_BERSAMA
    assert kinds[date(2024, 12, 26)] == KIND_CUTI_BERSAMA
    assert kinds[date(2024, 4, 16)] == KIND_LOCAL
    assert kinds[date(2024, 8, 17)] == KIND_NATIONAL  # a Saturday, still listed
    assert date(2024, 4, 13) not in kinds  # plain weekends are not listed
    names = [h.name for h in listed if h.day == date(2024, 8, 17)]
    assert names == ["Hari Kemerdekaan Republik Indonesia"]


# -- properties ------------------------------------------------------------------

EXTRAS = WorkdayCalendar(
    extra_holidays={date(2024, 1, 17): "Lokal", date(2025, 12, 29): "Lokal"},
    extra_workdays=[date(2024, 1, 20), date(2024, 4, 15)],
)
dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31))
calendars = st.sampled_from([CAL, EXTRAS])
PROPS = settings(max_examples=300, database=None)


@PROPS
@given(cal=calendars, start=dates, n=st.integers(min_value=0, max_value=600))
def test_between_inverts_add(cal: WorkdayCalendar, start: date, n: int) -> None:
    end = cal.add(start, n)
    assert cal.between(start, end) == n
    assert cal.between(end, start) == -n
    if n > 0:
        assert end > start and cal.is_working_day(end)


@PROPS
@given(cal=calendars, start=dates, n=st.integers(min_value=0, max_value=300))
def test_add_is_monotonic(cal: WorkdayCalendar, start: date, n: int) -> None:
    assert cal.add(start, n) < cal.add(start, n + 1)
    assert cal.add(start, n) <= cal.add(start + timedelta(days=1), n)


@PROPS
@given(cal=calendars, start=dates, k=st.integers(min_value=1, max_value=300))
def test_negative_add_mirrors_positive(cal: WorkdayCalendar, start: date, k: int) -> None:
    earlier = cal.add(start, -k)
    assert earlier < start and cal.is_working_day(earlier)
    # Exactly k working days in [earlier, start).
    assert cal.between(earlier, start) == k - 1 + cal.is_working_day(start)
    if cal.is_working_day(start):
        assert cal.add(earlier, k) == start
        assert cal.between(start, earlier) == -k


# -- parse_date ------------------------------------------------------------------


def test_parse_date_accepts_iso_dates() -> None:
    assert parse_date("2024-04-05") == date(2024, 4, 5)
    assert parse_date(" 2024-02-29\n") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-02-30", "2024-02-30 does not exist"),
        ("2023-02-29", "2023-02-29 does not exist"),
        ("2024-04-31", "has 30 days"),
        ("2024-13-01", "month 13 does not exist"),
        ("0000-01-01", "year 0000 does not exist"),
        ("05/04/2024", "expected YYYY-MM-DD"),
        ("2024-4-5", "expected YYYY-MM-DD"),
        ("2024-04-05T10:00", "expected YYYY-MM-DD"),
        ("２０２４-04-05", "expected YYYY-MM-DD"),
        ("", "expected YYYY-MM-DD"),
    ],
)
def test_parse_date_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_date(text)
    assert "YYYY-MM-DD" in str(info.value)
