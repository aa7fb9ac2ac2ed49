"""Time expressions that govern the figures after them: 上半年, 1—6月, 8月当月, 截至9月末, 到2025年."""

import re

# At the start of a clause only: inside a clause "比1—7月" is a basis of comparison, not a period.
_PERIOD = re.compile(
    r"(?P<until>截至|截止到?|到)?"
    r"(?P<year>\d{4}年(?:度)?|今年|去年|上年|本年|当年)?"
    r"(?P<part>前[一二三]季度|第?[一二三四1-4]季度|上半年|下半年|全年|年末|年底|年初"
    r"|\d{1,2}(?:—|–|-|~|～|至)\d{1,2}月份?|\d{1,2}月份?)?"
    r"(?P<tail>当月|末|底|以来|累计|份)?"
)
_YEAR = re.compile(r"\d{4}年")
_IMPLIED_YEAR = ("今年", "本年", "当年")


def period_at(text: str, position: int, end: int) -> tuple[str, int] | None:
    """The period written at ``text[position:]`` and where it ends, or None.

    The period is returned as written, without a redundant 今年 and without 累计 (which says how
    the figure accumulates, not when).
    """
    match = _PERIOD.match(text, position, end)
    if match is None or not (match["year"] or match["part"]):
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


def is_future_target(period: str) -> bool:
    """到2025年 states where the zone means to be, so figures under it are targets."""
    return period.startswith("到") and has_year(period)
