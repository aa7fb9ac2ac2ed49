"""Working days on the Chinese calendar, as the law counts a period.

The national arrangement (statutory holidays and the weekend days worked in lieu, 调休) comes
from the ``chinese-calendar`` package, which knows the years up to its release. A zone corrects
or extends it with overrides (a day made a working day or a day off). A year the package does
not know and the zone has not entered is counted provisionally: Monday to Friday, less the
fixed-date statutory holidays (元旦, 劳动节 1—2 May, 国庆 1—3 October), and every result that
touches it says so, so that nobody mistakes a guess for the State Council's arrangement.

Periods are counted as the law counts them: the day a period starts from (the day of
acceptance) is not counted, day 1 is the next working day. So ``working_days_between(a, b)``
counts the working days in (a, b], and ``add_working_days(a, n)`` is the n-th working day after a
(a itself for n = 0). The working days of a 补正 pause, (started, ended], are not counted.

Django-free, so the benchmark and the tests use it as the services do.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache

import chinese_calendar

# The fixed-date statutory holidays (全国年节及纪念日放假办法), used only for years the package
# does not know; the lunar holidays and the days worked in lieu need the year's arrangement.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
ONE_DAY = timedelta(days=1)
# Nobody's period runs longer than this; a bound keeps a bad input from looping for ever.
MAX_SPAN_DAYS = 3 * 366

Pause = tuple[date, date]


@cache
def package_years() -> range:
    """The years the installed ``chinese-calendar`` knows."""
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return range(min(days).year, max(days).year + 1)


class CalendarError(ValueError):
    """A question the calendar cannot answer; the message is for the user, in Chinese."""


class WorkingCalendar:
    """A zone's calendar: the national arrangement, the zone's overrides, and the years it entered."""

    def __init__(self, overrides: Mapping[date, bool] | None = None, entered_years: Iterable[int] = ()) -> None:
        self.overrides = dict(overrides or {})
        self.entered_years = set(entered_years)
        self._years: dict[int, tuple[list[int], int]] = {}

    def knows(self, year: int) -> bool:
        """The year's arrangement is known: from the package, or entered in full by the zone."""
        return year in package_years() or year in self.entered_years

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override
        if day.year in package_years():
            if day in chinese_calendar.workdays:
                return True
            return day.weekday() < 5 and day not in chinese_calendar.holidays
        if day.year in self.entered_years:
            # The zone entered this year's holidays and adjusted days as overrides; the rest is
            # an ordinary week.
            return day.weekday() < 5
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS

    def unknown_years(self, first: date, last: date) -> list[int]:
        """The years between two dates (inclusive) counted provisionally."""
        return [year for year in range(first.year, last.year + 1) if not self.knows(year)]

    def next_working_day(self, day: date) -> date:
        return self.add_working_days(day, 1)

    def _year(self, year: int) -> tuple[list[int], int]:
        """Working days of a year counted up to each day: counts[n] for day-of-year n (1-based)."""
        found = self._years.get(year)
        if found is None:
            counts = [0]
            day = date(year, 1, 1)
            while day.year == year:
                counts.append(counts[-1] + self.is_working_day(day))
                day += ONE_DAY
            found = (counts, counts[-1])
            self._years[year] = found
        return found

    def _count_through(self, day: date, base_year: int) -> int:
        """Working days from 1 January of ``base_year`` to ``day`` inclusive."""
        total = sum(self._year(year)[1] for year in range(base_year, day.year))
        return total + self._year(day.year)[0][day.timetuple().tm_yday]

    def working_days_between(self, start: date, end: date) -> int:
        """The working days in (start, end]; 0 when end is not after start."""
        if end <= start:
            return 0
        if (end - start).days > MAX_SPAN_DAYS * 10:
            raise CalendarError(f"日期跨度过大（{start}至{end}）")
        return self._count_through(end, start.year) - self._count_through(start, start.year)

    def add_working_days(self, start: date, days: int, pauses: Iterable[Pause] = ()) -> date:
        """The day on which ``days`` working days after ``start`` are complete, pauses not counted.

        ``pauses`` are closed 补正 pauses (started, ended): the working days in (started, ended]
        do not count. With ``days`` = 0 the answer is ``start`` itself (a 即办件 promised on the day).
        """
        if days < 0:
            raise CalendarError("工作日数不能为负数")
        closed = [(first, last) for first, last in pauses]
        for first, last in closed:
            if last < first:
                raise CalendarError(f"补正暂停的结束日期（{last}）早于开始日期（{first}）")
        day, counted, limit = start, 0, start + timedelta(days=MAX_SPAN_DAYS + days * 2)
        while counted < days:
            day += ONE_DAY
            if day > limit:
                raise CalendarError(f"自{start}起{days}个工作日超出可计算范围")
            if not self.is_working_day(day):
                continue
            if any(first < day <= last for first, last in closed):
                continue
            counted += 1
        return day

    def elapsed(self, start: date, end: date, pauses: Iterable[Pause] = ()) -> int:
        """Working days used from ``start`` to ``end``: (start, end] less the pauses' working days."""
        total = self.working_days_between(start, end)
        paused = sum(
            self.working_days_between(max(first, start), min(last, end))
            for first, last in pauses
            if last > start and first < end
        )
        return total - paused
