"""Supervision colours of the workbench, computed from dates and progress (never stored).

Blue: the deadline is near; yellow: behind 序时进度; red: far behind or overdue. The
thresholds are configuration (settings ``YUANQU_CHAIN_*``), with the defaults below.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings

# Completion against 序时进度: behind by more than this many points is red, less is yellow.
FAR_BEHIND_PP = Decimal(getattr(settings, "YUANQU_CHAIN_FAR_BEHIND_PP", 10))
# Tasks: behind their own time progress by this many points is yellow; by the second, red.
TASK_BEHIND_PP = int(getattr(settings, "YUANQU_CHAIN_TASK_BEHIND_PP", 10))
TASK_FAR_BEHIND_PP = int(getattr(settings, "YUANQU_CHAIN_TASK_FAR_BEHIND_PP", 30))
# A deadline this many days away or fewer is "near" (blue).
DUE_SOON_DAYS = int(getattr(settings, "YUANQU_CHAIN_DUE_SOON_DAYS", 3))

COLOUR_LABELS = {
    "done": "已完成",
    "red": "超期",
    "red-behind": "严重滞后",
    "yellow": "滞后",
    "blue": "临近时限",
    "green": "正常推进",
    "closed": "已办结",
    "closed-late": "超期办结",
    "": "未定时限",
}


def task_colour(*, starts_on: date, deadline: date, progress_pct: int, today: date) -> tuple[str, str]:
    """A programme task's colour: its progress against the share of its time that has passed."""
    if progress_pct >= 100:
        return "done", COLOUR_LABELS["done"]
    if today > deadline:
        return "red", COLOUR_LABELS["red"]
    span = (deadline - starts_on).days or 1
    elapsed = min(max((today - starts_on).days, 0), span)
    expected = elapsed * 100 // span
    behind = expected - progress_pct
    if behind > TASK_FAR_BEHIND_PP:
        return "red", COLOUR_LABELS["red-behind"]
    if behind > TASK_BEHIND_PP:
        return "yellow", COLOUR_LABELS["yellow"]
    if (deadline - today).days <= DUE_SOON_DAYS:
        return "blue", COLOUR_LABELS["blue"]
    return "green", COLOUR_LABELS["green"]


def request_colour(*, deadline: date | None, closed_on: date | None, today: date) -> tuple[str, str]:
    """An enterprise request's colour: red once past its deadline while open."""
    if closed_on is not None:
        late = deadline is not None and closed_on > deadline
        key = "closed-late" if late else "closed"
        return key, COLOUR_LABELS[key]
    if deadline is None:
        return "", COLOUR_LABELS[""]
    if today > deadline:
        return "red", COLOUR_LABELS["red"]
    if (deadline - today).days <= DUE_SOON_DAYS:
        return "blue", COLOUR_LABELS["blue"]
    return "green", COLOUR_LABELS["green"]
