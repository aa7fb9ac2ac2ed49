"""The colour rules, on every boundary, with hand-computed 序时进度."""

from datetime import date
from decimal import Decimal

import pytest

from yuanqu.supervision.colours import (
    Colour,
    MeasureFacts,
    MilestoneFact,
    Rule,
    ThresholdError,
    Thresholds,
    colour_of,
    status_date,
    time_progress,
    worst,
)

RULES = Thresholds(yellow_pp=Decimal(10), red_pp=Decimal(30), due_soon_days=7, milestone_grace_days=7)
START, END = date(2023, 1, 1), date(2023, 12, 31)
JUNE_END = date(2023, 6, 30)  # an annual measure is exactly half way: 序时进度 50%


def annual(behind: str | None, **fields: object) -> MeasureFacts:
    return MeasureFacts(START, END, Decimal(behind) if behind is not None else None, **fields)  # type: ignore[arg-type]


def percent(value: Decimal) -> Decimal:
    """To twelve decimals: Decimal division carries 28 digits, the hand computation fewer."""
    return round(value, 12)


def test_the_time_progress_of_a_half_year_measure_at_the_end_of_july_is_one_sixth() -> None:
    # 1 of 6 months: 16.666…%, written 16.7%.
    assert percent(time_progress(date(2023, 7, 1), date(2023, 12, 31), date(2023, 7, 31))) == Decimal("16.666666666667")


def test_the_time_progress_of_an_annual_measure_at_the_end_of_june_is_half_as_for_a_target() -> None:
    assert time_progress(START, END, JUNE_END) == Decimal(50)
    # February counts as a whole month like July: 2/12 at its end, 1.5/12 on the 14th (14 of 28 days).
    assert percent(time_progress(START, END, date(2023, 2, 28))) == Decimal("16.666666666667")
    assert percent(time_progress(START, END, date(2023, 2, 14))) == Decimal("12.5")


def test_the_time_progress_counts_days_as_a_share_of_their_month() -> None:
    # 15 July in a half year from 1 July: 15/31 of one month out of six, 8.0645…%.
    assert percent(time_progress(date(2023, 7, 1), date(2023, 12, 31), date(2023, 7, 15))) == Decimal("8.064516129032")


def test_the_time_progress_is_nought_before_the_start_and_full_from_the_deadline() -> None:
    assert time_progress(date(2023, 7, 1), END, date(2023, 6, 30)) == 0
    assert time_progress(date(2023, 7, 1), END, END) == 100
    assert time_progress(date(2023, 7, 1), END, date(2024, 1, 5)) == 100


@pytest.mark.parametrize(
    ("behind", "colour", "rule"),
    [
        ("9.9", Colour.GREEN, Rule.ON_TRACK),
        ("9.94", Colour.GREEN, Rule.ON_TRACK),  # written as 9.9
        ("9.95", Colour.YELLOW, Rule.BEHIND),  # written as 10.0
        ("10", Colour.YELLOW, Rule.BEHIND),  # exactly 10 points: yellow
        ("30", Colour.YELLOW, Rule.BEHIND),  # exactly 30 points: still yellow
        ("30.04", Colour.YELLOW, Rule.BEHIND),  # written as 30.0
        ("30.05", Colour.RED, Rule.FAR_BEHIND),  # written as 30.1
        ("30.1", Colour.RED, Rule.FAR_BEHIND),
        ("-12.5", Colour.GREEN, Rule.ON_TRACK),  # ahead
    ],
)
def test_points_behind_time_progress_give_yellow_from_10_to_30_and_red_beyond(
    behind: str, colour: Colour, rule: Rule
) -> None:
    verdict = colour_of(annual(behind), JUNE_END, RULES)
    assert (verdict.colour, verdict.rule) == (colour, rule)


def test_a_deadline_today_is_blue_not_overdue() -> None:
    verdict = colour_of(annual("5"), END, RULES)
    assert (verdict.colour, verdict.rule, verdict.days) == (Colour.BLUE, Rule.DEADLINE_NEAR, 0)


def test_a_deadline_seven_days_away_is_blue_and_eight_days_away_green() -> None:
    assert colour_of(annual("0"), date(2023, 12, 24), RULES).colour == Colour.BLUE
    assert colour_of(annual("0"), date(2023, 12, 23), RULES).colour == Colour.GREEN


def test_a_day_past_the_deadline_unfinished_is_red() -> None:
    verdict = colour_of(annual("-5"), date(2024, 1, 1), RULES)
    assert (verdict.colour, verdict.rule, verdict.days) == (Colour.RED, Rule.OVERDUE, 1)


def test_a_measure_behind_and_near_its_deadline_shows_the_worse_finding() -> None:
    assert colour_of(annual("12"), END, RULES).colour == Colour.YELLOW
    assert colour_of(annual("31"), END, RULES).colour == Colour.RED


def test_a_finished_measure_is_green_from_the_day_it_was_closed() -> None:
    facts = annual("60", done_on=date(2023, 6, 20))
    assert colour_of(facts, date(2023, 6, 19), RULES).colour == Colour.RED
    verdict = colour_of(facts, date(2023, 6, 20), RULES)
    assert (verdict.colour, verdict.rule) == (Colour.GREEN, Rule.DONE)
    assert colour_of(facts, date(2024, 3, 1), RULES).rule == Rule.DONE  # closed: never overdue


def test_a_milestone_missed_by_fewer_than_the_grace_days_is_yellow_and_by_that_many_red() -> None:
    milestone = MilestoneFact("完成土地组卷报批", date(2023, 6, 1))
    facts = annual("0", milestones=(milestone,))
    late = colour_of(facts, date(2023, 6, 7), RULES)  # 6 days late
    assert (late.colour, late.rule, late.days, late.milestone) == (
        Colour.YELLOW,
        Rule.MILESTONE_LATE,
        6,
        "完成土地组卷报批",
    )
    overdue = colour_of(facts, date(2023, 6, 8), RULES)  # 7 days late
    assert (overdue.colour, overdue.rule, overdue.days) == (Colour.RED, Rule.MILESTONE_OVERDUE, 7)


def test_a_milestone_reached_counts_from_the_day_it_was_reached() -> None:
    facts = annual("0", milestones=(MilestoneFact("选址", date(2023, 6, 1), done_on=date(2023, 6, 10)),))
    assert colour_of(facts, date(2023, 6, 9), RULES).colour == Colour.RED  # 8 days late on the 9th
    assert colour_of(facts, date(2023, 6, 10), RULES).rule == Rule.ON_TRACK


def test_a_milestone_falling_due_within_the_near_days_is_blue() -> None:
    facts = annual("0", milestones=(MilestoneFact("完成供地", date(2023, 6, 30)),))
    verdict = colour_of(facts, date(2023, 6, 23), RULES)
    assert (verdict.colour, verdict.rule, verdict.days) == (Colour.BLUE, Rule.MILESTONE_NEAR, 7)
    today = colour_of(facts, date(2023, 6, 30), RULES)
    assert (today.rule, today.days) == (Rule.MILESTONE_NEAR, 0)
    assert colour_of(facts, date(2023, 6, 22), RULES).colour == Colour.GREEN


def test_unknown_progress_is_judged_on_dates_only() -> None:
    assert colour_of(annual(None), JUNE_END, RULES).rule == Rule.ON_TRACK
    assert colour_of(annual(None), END, RULES).rule == Rule.DEADLINE_NEAR


def test_a_measure_not_yet_begun_is_green() -> None:
    facts = MeasureFacts(date(2023, 9, 1), END, Decimal(0))
    verdict = colour_of(facts, date(2023, 8, 20), RULES)
    assert (verdict.colour, verdict.rule, verdict.days) == (Colour.GREEN, Rule.NOT_STARTED, 12)


def test_other_thresholds_move_the_boundaries() -> None:
    strict = Thresholds(yellow_pp=Decimal(5), red_pp=Decimal(15), due_soon_days=0, milestone_grace_days=1)
    assert colour_of(annual("5"), JUNE_END, strict).colour == Colour.YELLOW
    assert colour_of(annual("15.1"), JUNE_END, strict).colour == Colour.RED
    assert colour_of(annual("0"), date(2023, 12, 30), strict).colour == Colour.GREEN
    facts = annual("0", milestones=(MilestoneFact("节点", date(2023, 6, 29)),))
    assert colour_of(facts, JUNE_END, strict).colour == Colour.RED


@pytest.mark.parametrize(
    ("yellow", "red", "soon", "grace"),
    [
        ("0", "30", 7, 7),
        ("30", "30", 7, 7),
        ("40", "30", 7, 7),
        ("-5", "30", 7, 7),
        ("10", "30", -1, 7),
        ("10", "30", 7, 0),
    ],
)
def test_thresholds_that_cannot_work_are_refused(yellow: str, red: str, soon: int, grace: int) -> None:
    with pytest.raises(ThresholdError):
        Thresholds(Decimal(yellow), Decimal(red), soon, grace)


def test_a_period_is_shown_at_today_kept_inside_it() -> None:
    first, last = date(2023, 7, 1), date(2023, 12, 31)
    assert status_date(first, last, date(2023, 9, 15)) == date(2023, 9, 15)
    assert status_date(first, last, date(2026, 12, 1)) == last
    assert status_date(first, last, date(2023, 6, 1)) == first


def test_a_task_takes_its_worst_colour() -> None:
    assert worst([Colour.GREEN, Colour.BLUE, Colour.YELLOW]) == Colour.YELLOW
    assert worst(["blue", "red", "green"]) == Colour.RED
    assert worst([]) == Colour.GREEN
