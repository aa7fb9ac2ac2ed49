"""Time expressions that govern the figures after them: 上半年, 1—6月, 8月当月, 截至9月末, 到2025年.

Also written as reports write them: months in Chinese numerals (元至八月, 一至十一月), dates (截至5月20日),
spans from the start of the year (今年以来, 年初以来), the present (目前, 截至目前), years in Chinese
numerals (二〇一九年) and years of the Republic of China calendar used in Taiwan (101年度).
"""

import re

_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_MONTH = rf"(?:\d{{1,2}}|{_CN_MONTH})"
_RANGE = r"(?:—|–|-|~|～|至|到)"
# At the start of a clause only: inside a clause "比1—7月" is a basis of comparison, not a period.
_PERIOD = re.compile(
    r"(?P<until>截至|截止到?|到|至)?"
    r"(?P<year>(?:19|20)\d{2}年(?:度)?|[一二][〇零一二三四五六七八九]{3}年(?:度)?|1\d{2}年(?:度)?|\d{2}年度"
    r"|今年|去年|上年|本年|当年|明年)?"
    r"(?P<part>前[一二三]季度|第?[一二三四1-4]季度|上半年|下半年|全年|年末|年底|年初"
    rf"|(?:元|{_MONTH}){_RANGE}{_MONTH}月份?|{_MONTH}月份?(?:\d{{1,2}}日|{_CN_MONTH}?[一二三四五六七八九十]日)?|元月份?"
    r"|目前|当前|至今|年初以来|当月|本月|上月)?"
    r"(?P<tail>当月|末|底|以来|累计|份|同期)?"
)
_YEAR = re.compile(r"(?:19|20)\d{2}年|[一二][〇零一二三四五六七八九]{3}年|1\d{2}年|\d{2}年度")
_IMPLIED_YEAR = ("今年", "本年", "当年")
_DIGITS = {char: str(index) for index, char in enumerate("〇一二三四五六七八九")} | {"零": "0"}
# The start of a time expression anywhere in a phrase (该县今年实现…, 泰州上半年实际使用外资).
PERIOD_START = re.compile(
    r"(?:19|20)\d{2}年|今年|去年|上年|本年|当年|当月|本月|前[一二三]季度|第?[一二三四1-4]季度|上半年|下半年|全年"
    rf"|(?:元|\d{{1,2}}|{_CN_MONTH}){_RANGE}{_MONTH}月|\d{{1,2}}月(?!\d)|{_CN_MONTH}月(?:份)"
)


def period_at(text: str, position: int, end: int) -> tuple[str, int] | None:
    """The period written at ``text[position:]`` and where it ends, or None.

    The period is returned as written, without a redundant 今年 and without 累计 (which says how
    the figure accumulates, not when). 去年同期 and 上年同期 name the basis of a comparison, not a period.
    """
    match = _PERIOD.match(text, position, end)
    if match is None or not (match["year"] or match["part"]):
        return None
    if match["tail"] == "同期":
        if not match["part"]:
            return None
        # 1-5月同期 is the same months of another year: the basis, never the period.
        return None
    bare_year = match["year"] and not match["part"] and not match["until"]
    if bare_year and match["year"] in _IMPLIED_YEAR and not match["tail"]:
        # 今年 alone says nothing a report's reader does not know; 2023年 alone is a period.
        return None
    year = match["year"] or ""
    if year in _IMPLIED_YEAR and match["part"]:
        year = ""
    tail = match["tail"] or ""
    if tail in ("累计", "以来") and not (match["year"] and not match["part"]):
        written_tail = "" if tail == "累计" else tail
    else:
        written_tail = tail
    written = (match["until"] or "") + year + (match["part"] or "") + written_tail
    return written, match.end()


def has_year(period: str) -> bool:
    return _YEAR.search(period) is not None


def western_year(period: str) -> int | None:
    """The calendar year a period names: 2019年, 二〇一九年, and 101年 of the Taiwan calendar (2012)."""
    match = _YEAR.search(period)
    if match is None:
        return None
    written = match.group().removesuffix("年度").removesuffix("年")
    digits = "".join(_DIGITS.get(char, char) for char in written)
    if not digits.isdigit():
        return None
    year = int(digits)
    return year + 1911 if year < 1900 else year


def is_future_target(period: str) -> bool:
    """到2025年 states where the zone means to be, so figures under it are targets."""
    return period.startswith("到") and has_year(period)


_PART_MONTHS = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "一季度": (1, 3),
    "第一季度": (1, 3),
    "1季度": (1, 3),
    "二季度": (4, 6),
    "第二季度": (4, 6),
    "2季度": (4, 6),
    "三季度": (7, 9),
    "第三季度": (7, 9),
    "3季度": (7, 9),
    "四季度": (10, 12),
    "第四季度": (10, 12),
    "4季度": (10, 12),
    "前三季度": (1, 9),
    "前二季度": (1, 6),
    "前一季度": (1, 3),
    "全年": (1, 12),
    "年末": (1, 12),
    "年底": (1, 12),
}
_PARTS_LONGEST_FIRST = sorted(_PART_MONTHS, key=len, reverse=True)
_MONTH_RANGE = re.compile(rf"(?P<first>元|{_MONTH}){_RANGE}(?P<last>{_MONTH})月")
_ONE_MONTH = re.compile(rf"(?P<month>{_MONTH})月")
_UNTIL = re.compile(rf"^(?:截至|截止到?|到|至)|(?:{_MONTH}月)(?:末|底|\d{{1,2}}日|[一二三四五六七八九十]+日)")
_PREVIOUS_YEAR = ("上年", "去年")


def _month_number(written: str) -> int:
    if written.isdigit():
        return int(written)
    if written == "元":
        return 1
    if written.startswith("十"):
        return 10 + ("一二".index(written[1]) + 1 if len(written) > 1 else 0)
    return "一二三四五六七八九".index(written) + 1


def period_months(period: str) -> tuple[int, int] | None:
    """The months a period covers: 上半年 (1, 6), 元至七月 (1, 7), 8月当月 (8, 8), 2023年 (1, 12).

    A date a figure stands at (截至3月31日, 6月底) is read as the months from January to it, as
    cumulative figures are; a span with no month (今年以来, 目前) has none.
    """
    text = _YEAR.sub("", period).removeprefix("今年").removeprefix("本年")
    for prefix in _PREVIOUS_YEAR:
        text = text.removeprefix(prefix)
    for part in _PARTS_LONGEST_FIRST:
        if part in text:
            return _PART_MONTHS[part]
    span = _MONTH_RANGE.search(text)
    if span:
        return _month_number(span["first"]), _month_number(span["last"])
    month = _ONE_MONTH.search(text)
    if month:
        last = _month_number(month["month"])
        return (1, last) if _UNTIL.search(text) else (last, last)
    if has_year(period) or period in _PREVIOUS_YEAR:
        return (1, 12)
    return None


def is_previous_year(period: str) -> bool:
    """上年, 去年全年: a period of the year before the report's."""
    return period.startswith(_PREVIOUS_YEAR)
