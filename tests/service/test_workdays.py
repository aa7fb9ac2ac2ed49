"""The working-day clock, with periods counted by hand on the 2023 calendar.

2023 National Day: 29 September (中秋) to 6 October off; Saturday 7 and Sunday 8 October worked.
"""

from datetime import date

import pytest

from yuanqu.service.workdays import CalendarError, WorkingCalendar, package_years

CALENDAR = WorkingCalendar()


def test_five_working_days_across_the_national_day_holiday_and_the_adjusted_saturday() -> None:
    # Accepted Wednesday 27 September: day 1 is Thursday 28; 29 Sep–6 Oct are off; day 2 is the
    # worked Saturday 7 October, day 3 Sunday 8, day 4 Monday 9, day 5 Tuesday 10 October.
    assert CALENDAR.add_working_days(date(2023, 9, 27), 5) == date(2023, 10, 10)


def test_the_adjusted_saturday_is_a_working_day_and_the_holiday_is_not() -> None:
    assert CALENDAR.is_working_day(date(2023, 10, 7))
    assert not CALENDAR.is_working_day(date(2023, 10, 2))
    assert not CALENDAR.is_working_day(date(2023, 10, 14))  # an ordinary Saturday


def test_the_day_of_acceptance_is_not_counted() -> None:
    assert CALENDAR.add_working_days(date(2023, 9, 26), 1) == date(2023, 9, 27)
    assert CALENDAR.add_working_days(date(2023, 9, 26), 0) == date(2023, 9, 26)


def test_a_pause_of_three_working_days_moves_the_due_date_by_exactly_three() -> None:
    # Paused from Monday 9 October, materials in Thursday 12: 10, 11 and 12 October do not count.
    pause = (date(2023, 10, 9), date(2023, 10, 12))
    assert CALENDAR.working_days_between(*pause) == 3
    assert CALENDAR.add_working_days(date(2023, 9, 27), 5, [pause]) == date(2023, 10, 13)
    three_later = CALENDAR.add_working_days(CALENDAR.add_working_days(date(2023, 9, 27), 5), 3)
    assert three_later == date(2023, 10, 13)


def test_elapsed_days_leave_the_pause_out() -> None:
    pause = (date(2023, 10, 9), date(2023, 10, 12))
    # (27 Sep, 13 Oct] holds 28 Sep, 7, 8, 9, 10, 11, 12, 13 Oct = 8 working days, 3 of them paused.
    assert CALENDAR.working_days_between(date(2023, 9, 27), date(2023, 10, 13)) == 8
    assert CALENDAR.elapsed(date(2023, 9, 27), date(2023, 10, 13), [pause]) == 5


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(CalendarError, match="早于开始日期"):
        CALENDAR.add_working_days(date(2023, 9, 27), 5, [(date(2023, 10, 12), date(2023, 10, 9))])


def test_an_override_makes_a_day_off_and_moves_the_due_date() -> None:
    closed = WorkingCalendar({date(2023, 10, 9): False})
    assert closed.add_working_days(date(2023, 9, 27), 5) == date(2023, 10, 11)
    opened = WorkingCalendar({date(2023, 10, 14): True})
    assert opened.add_working_days(date(2023, 10, 12), 2) == date(2023, 10, 14)


def test_a_year_the_package_does_not_know_is_provisional_until_the_zone_enters_it() -> None:
    year = package_years().stop  # the first year after the package's data
    assert CALENDAR.unknown_years(date(year - 1, 12, 20), date(year, 1, 20)) == [year]
    # Provisionally 1 January is off (元旦 is a fixed-date holiday), weekends are off.
    assert not CALENDAR.is_working_day(date(year, 1, 1))
    entered = WorkingCalendar({date(year, 1, 2): False}, entered_years=[year])
    assert entered.unknown_years(date(year - 1, 12, 20), date(year, 1, 20)) == []
    assert entered.is_working_day(date(year, 1, 1)) is (date(year, 1, 1).weekday() < 5)
    assert not entered.is_working_day(date(year, 1, 2))


def test_a_negative_number_of_days_is_refused() -> None:
    with pytest.raises(CalendarError):
        CALENDAR.add_working_days(date(2023, 9, 27), -1)
