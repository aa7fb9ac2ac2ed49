"""Statistical periods as data.

A period is a run of months inside one calendar year. The same run can be named in
several ways (上半年 is 1—6月), so a period has one canonical code and several labels:

* ``2023-06``     the single month June 2023 (当月)
* ``2023-01~06``  January to June, i.e. the cumulative 1—6月, also called 上半年 / ``2023-H1``
* ``2023-04~06``  the second quarter on its own (二季度)

Parsing accepts the aliases people type (``2023-H1``, ``2023-Q1``, ``2023-Q1-3``, ``2023-Y``,
``2023-C06``, ``2023-1-6``, ``2023年1—6月``); everything stores the canonical code.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

CHINESE_QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


class PeriodError(ValueError):
    """A period string that names no period; the message is for the user, in Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_month: int
    last_month: int

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2999:
            raise PeriodError(f"年份 {self.year} 超出范围")
        if not 1 <= self.first_month <= self.last_month <= 12:
            raise PeriodError(f"月份范围 {self.first_month}—{self.last_month} 无效")

    # -- construction -------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(year, month, month)

    @classmethod
    def cumulative(cls, year: int, last_month: int) -> "Period":
        return cls(year, 1, last_month)

    @classmethod
    def parse(cls, text: str) -> "Period":
        return parse_period(text)

    # -- properties ---------------------------------------------------------------------
    @property
    def code(self) -> str:
        if self.is_month:
            return f"{self.year}-{self.last_month:02d}"
        return f"{self.year}-{self.first_month:02d}~{self.last_month:02d}"

    @property
    def is_month(self) -> bool:
        return self.first_month == self.last_month

    @property
    def is_cumulative(self) -> bool:
        """A run from January: 1—N月, 一季度, 上半年, 前三季度, 全年 (a single January too)."""
        return self.first_month == 1

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def time_progress(self) -> Decimal:
        """序时进度 of a cumulative period: months elapsed / 12, as a fraction."""
        return Decimal(self.last_month) / Decimal(12)

    @property
    def label(self) -> str:
        """The name a report uses: 上半年, 一季度, 前三季度, 全年, 1—5月, 8月."""
        first, last = self.first_month, self.last_month
        if first == last:
            return f"{last}月"
        if first == 1:
            named = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}
            return named.get(last, f"1—{last}月")
        if first == 7 and last == 12:
            return "下半年"
        if last - first == 2 and first % 3 == 1:
            return CHINESE_QUARTERS[last // 3]
        return f"{first}—{last}月"

    @property
    def month_range_label(self) -> str:
        """The month-range form used in tables: 1—6月 (a single month: 6月)."""
        if self.first_month == self.last_month:
            return f"{self.last_month}月"
        return f"{self.first_month}—{self.last_month}月"

    @property
    def full_label(self) -> str:
        return f"{self.year}年{self.label}"

    # -- relations ----------------------------------------------------------------------
    def year_ago(self) -> "Period":
        return Period(self.year - 1, self.first_month, self.last_month)

    def cumulative_through(self) -> "Period":
        """The cumulative 1—N月 ending with this period's last month."""
        return Period(self.year, 1, self.last_month)

    def previous_cumulative(self) -> "Period | None":
        """The cumulative release before this one, from which an in-month value is derived.

        1—2月 is one combined release: there is no separate January figure to subtract
        from it, and no in-month February either. So the predecessor of 1—3月 is 1—2月,
        and 1—2月 (like January) has none.
        """
        if not self.is_cumulative or self.last_month <= 2:
            return None
        return Period(self.year, 1, self.last_month - 1)

    def __str__(self) -> str:
        return self.code


_ALIASES = {
    "H1": (1, 6),
    "H2": (7, 12),
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
    "Q1-3": (1, 9),
    "Q1~3": (1, 9),
    "9M": (1, 9),
    "Y": (1, 12),
    "FY": (1, 12),
}
_CHINESE_NAMES = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "一季度": (1, 3),
    "二季度": (4, 6),
    "三季度": (7, 9),
    "四季度": (10, 12),
    "前三季度": (1, 9),
    "全年": (1, 12),
}
_CODE = re.compile(r"^(\d{4})-(\d{1,2})(?:\s*[~\-—–至]\s*(\d{1,2}))?$")
_CUMULATIVE = re.compile(r"^(\d{4})-C(\d{1,2})$", re.IGNORECASE)
_CHINESE = re.compile(r"^(\d{4})年?\s*(?:(\d{1,2})\s*(?:[~\-—–至]|——)\s*)?(\d{1,2})\s*月(?:份)?$")


def parse_period(text: str) -> Period:
    raw = text.strip()
    if not raw:
        raise PeriodError("所属期为空")
    try:
        if m := _CODE.match(raw):
            year, first = int(m.group(1)), int(m.group(2))
            last = int(m.group(3)) if m.group(3) else first
            return Period(year, first, last)
        if m := _CUMULATIVE.match(raw):
            return Period(int(m.group(1)), 1, int(m.group(2)))
        if m := _CHINESE.match(raw):
            year, last = int(m.group(1)), int(m.group(3))
            first = int(m.group(2)) if m.group(2) else last
            return Period(year, first, last)
        if len(raw) > 5 and raw[:4].isdigit():
            year_text, rest = raw[:4], raw[4:].lstrip("-年 ")
            key = rest.upper()
            if key in _ALIASES:
                first, last = _ALIASES[key]
                return Period(int(year_text), first, last)
            if rest in _CHINESE_NAMES:
                first, last = _CHINESE_NAMES[rest]
                return Period(int(year_text), first, last)
        if raw.isdigit() and len(raw) == 4:
            return Period(int(raw), 1, 12)
    except PeriodError as exc:
        raise PeriodError(f"所属期“{raw}”无效：{exc}") from exc
    raise PeriodError(f"无法识别所属期“{raw}”（应为 2023-06、2023-01~06、2023-H1 等形式）")
