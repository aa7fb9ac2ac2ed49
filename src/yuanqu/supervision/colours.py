"""The supervision colours (督查督办), computed by rule from dates and progress. No Django here.

A measure is

* **red** when it is past its deadline unfinished, a milestone is missed by ``milestone_grace_days``
  or more, or it is behind 序时进度 by more than ``red_pp`` points;
* **yellow** when a milestone is missed by fewer days, or it is behind 序时进度 by ``yellow_pp`` to
  ``red_pp`` points (both ends included);
* **blue** when its deadline or its next open milestone falls within ``due_soon_days`` (today
  included);
* **green** otherwise, and once it is finished (办结).

The rules are tried in that order, so the worst finding is the one reported. Points behind are
compared at the one decimal they are written with, so the colour always agrees with the reason
("落后序时进度30.0个百分点" is yellow, "30.1" red).

序时进度 (time progress) counts calendar months: at a month's end a half-year measure that began
on the first of a month is one sixth further on, whatever the month's length, which is how a
statistician reads an annual target at the end of June (6/12 = 50%). Within a month, days count
as a share of that month.

A project overdue at a pipeline stage, a measure of the task that tracks project stages, is
coloured by the zone's stage time limits instead (``stage_colour``; see ``supervision.stages``).
"""

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


class Colour(StrEnum):
    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"


# Worst last: a task takes the colour of its worst measure.
SEVERITY = {Colour.GREEN: 0, Colour.BLUE: 1, Colour.YELLOW: 2, Colour.RED: 3}


class Rule(StrEnum):
    """Which rule decided the colour; the wording is the Django layer's (supervision.writing)."""

    DONE = "done"
    OVERDUE = "overdue"
    MILESTONE_OVERDUE = "milestone_overdue"
    FAR_BEHIND = "far_behind"
    MILESTONE_LATE = "milestone_late"
    BEHIND = "behind"
    DEADLINE_NEAR = "deadline_near"
    MILESTONE_NEAR = "milestone_near"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    # A project's stay in a pipeline stage (see ``stage_colour``).
    STAGE_FAR_OVERDUE = "stage_far_overdue"
    STAGE_OVERDUE = "stage_overdue"
    STAGE_NEAR = "stage_near"
    STAGE_WITHIN = "stage_within"


class ThresholdError(ValueError):
    """Thresholds that cannot work together (the message names them)."""


@dataclass(frozen=True)
class Thresholds:
    yellow_pp: Decimal = Decimal(10)
    red_pp: Decimal = Decimal(30)
    due_soon_days: int = 7
    milestone_grace_days: int = 7

    def __post_init__(self) -> None:
        if not Decimal(0) < self.yellow_pp < self.red_pp:
            raise ThresholdError(
                f"黄色阈值（{self.yellow_pp}个百分点）与红色阈值（{self.red_pp}个百分点）须满足 0 < 黄色 < 红色"
            )
        if self.due_soon_days < 0:
            raise ThresholdError(f"临近时限天数不能为负数（{self.due_soon_days}）")
        if self.milestone_grace_days < 1:
            raise ThresholdError(f"节点逾期转红天数至少为1（{self.milestone_grace_days}）")


@dataclass(frozen=True)
class MilestoneFact:
    title: str
    due_on: date
    done_on: date | None = None

    def open_on(self, day: date) -> bool:
        """Not yet reached on ``day``."""
        return self.done_on is None or self.done_on > day


@dataclass(frozen=True)
class MeasureFacts:
    """What the rules look at. ``behind_pp`` is 序时进度 minus progress, in points (negative when
    ahead), or None when progress is unknown (linked data missing)."""

    starts_on: date
    deadline: date
    behind_pp: Decimal | None
    done_on: date | None = None
    milestones: Sequence[MilestoneFact] = ()


@dataclass(frozen=True)
class Verdict:
    colour: Colour
    rule: Rule
    behind_pp: Decimal | None = None  # rounded to one decimal
    days: int | None = None  # overdue by, late by, or due in
    milestone: str = ""
    due_on: date | None = None
    limit_days: int | None = None  # a stage's time limit, for the stage rules
    red_days: int | None = None


@dataclass(frozen=True)
class StageFacts:
    """A project in a pipeline stage since ``since``, with the zone's limits for that stage (days)."""

    since: date
    limit_days: int  # past it the project is overdue (yellow)
    red_days: int  # past it, seriously overdue (red)
    done_on: date | None = None  # the day it moved on


def stage_colour(facts: StageFacts, today: date, thresholds: Thresholds) -> Verdict:
    """The colour of a project's stay in a stage on ``today``, by the zone's stage time limits.

    Counted in days in the stage (``today − since``), as the pipeline's overdue list counts them:

    * **green**, done, once the project has moved on (or ``today`` is before it entered the stage);
    * **red** past the stage's red limit (严重超期);
    * **yellow** past the stage's time limit (超期), ``days`` being the days past it;
    * **blue** when the limit falls within ``due_soon_days`` (today included);
    * **green** otherwise.
    """
    if facts.done_on is not None and facts.done_on <= today:
        return Verdict(Colour.GREEN, Rule.DONE, due_on=facts.done_on)
    if today < facts.since:
        return Verdict(Colour.GREEN, Rule.NOT_STARTED, days=(facts.since - today).days, due_on=facts.since)
    stayed = (today - facts.since).days
    limit_on = facts.since + timedelta(days=facts.limit_days)

    def verdict(colour: Colour, rule: Rule, days: int) -> Verdict:
        return Verdict(colour, rule, days=days, due_on=limit_on, limit_days=facts.limit_days, red_days=facts.red_days)

    if stayed > facts.red_days:
        return verdict(Colour.RED, Rule.STAGE_FAR_OVERDUE, stayed - facts.limit_days)
    if stayed > facts.limit_days:
        return verdict(Colour.YELLOW, Rule.STAGE_OVERDUE, stayed - facts.limit_days)
    if facts.limit_days - stayed <= thresholds.due_soon_days:
        return verdict(Colour.BLUE, Rule.STAGE_NEAR, facts.limit_days - stayed)
    return verdict(Colour.GREEN, Rule.STAGE_WITHIN, stayed)


def _month_position(day: date) -> Decimal:
    """Months since year 0 at the end of ``day``: whole months plus the share of this month gone."""
    days_in_month = monthrange(day.year, day.month)[1]
    return Decimal(day.year * 12 + day.month - 1) + Decimal(day.day) / Decimal(days_in_month)


def time_progress(starts_on: date, deadline: date, on: date) -> Decimal:
    """序时进度 of a measure at the end of ``on``, in percent (0 before it starts, 100 from its deadline)."""
    if on < starts_on:
        return Decimal(0)
    if on >= deadline:
        return HUNDRED
    begin = _month_position(starts_on - timedelta(days=1))
    return (_month_position(on) - begin) / (_month_position(deadline) - begin) * HUNDRED


def status_date(first: date, last: date, today: date) -> date:
    """The date a period's colours are shown for by default: today, kept inside the period.

    A period that has ended is shown as it stood on its last day (its final account), one not
    yet begun as on its first; another date can always be asked for.
    """
    return min(max(today, first), last)


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def colour_of(facts: MeasureFacts, today: date, thresholds: Thresholds) -> Verdict:
    """The colour of a measure on ``today`` (the end of that day), with the rule that decided it."""
    if facts.done_on is not None and facts.done_on <= today:
        return Verdict(Colour.GREEN, Rule.DONE, due_on=facts.done_on)
    if today > facts.deadline:
        return Verdict(Colour.RED, Rule.OVERDUE, days=(today - facts.deadline).days, due_on=facts.deadline)
    open_milestones = sorted(
        (milestone for milestone in facts.milestones if milestone.open_on(today)), key=lambda m: m.due_on
    )
    missed = [milestone for milestone in open_milestones if milestone.due_on < today]
    behind = _one_decimal(facts.behind_pp) if facts.behind_pp is not None else None
    if missed:
        first = missed[0]
        late = (today - first.due_on).days
        if late >= thresholds.milestone_grace_days:
            return Verdict(Colour.RED, Rule.MILESTONE_OVERDUE, behind, late, first.title, first.due_on)
    if behind is not None and behind > thresholds.red_pp:
        return Verdict(Colour.RED, Rule.FAR_BEHIND, behind)
    if missed:
        first = missed[0]
        return Verdict(
            Colour.YELLOW, Rule.MILESTONE_LATE, behind, (today - first.due_on).days, first.title, first.due_on
        )
    if behind is not None and behind >= thresholds.yellow_pp:
        return Verdict(Colour.YELLOW, Rule.BEHIND, behind)
    if today < facts.starts_on:
        return Verdict(Colour.GREEN, Rule.NOT_STARTED, behind, (facts.starts_on - today).days, due_on=facts.starts_on)
    coming = [milestone for milestone in open_milestones if milestone.due_on >= today]
    to_deadline = (facts.deadline - today).days
    if coming and (coming[0].due_on - today).days <= thresholds.due_soon_days and coming[0].due_on < facts.deadline:
        first = coming[0]
        return Verdict(Colour.BLUE, Rule.MILESTONE_NEAR, behind, (first.due_on - today).days, first.title, first.due_on)
    if to_deadline <= thresholds.due_soon_days:
        return Verdict(Colour.BLUE, Rule.DEADLINE_NEAR, behind, to_deadline, due_on=facts.deadline)
    return Verdict(Colour.GREEN, Rule.ON_TRACK, behind)


def worst(colours: Iterable[Colour | str]) -> Colour:
    """The worst of some colours (green when there are none)."""
    result = Colour.GREEN
    for colour in colours:
        if SEVERITY[Colour(colour)] > SEVERITY[result]:
            result = Colour(colour)
    return result
