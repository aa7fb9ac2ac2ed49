from decimal import Decimal

import pytest

from yuanqu.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("2023-H1", "2023-01~06", "上半年"),
        ("2023-01~06", "2023-01~06", "上半年"),
        ("2023-C06", "2023-01~06", "上半年"),
        ("2023年1—6月", "2023-01~06", "上半年"),
        ("2023-Q1", "2023-01~03", "一季度"),
        ("2023-Q2", "2023-04~06", "二季度"),
        ("2023-Q1-3", "2023-01~09", "前三季度"),
        ("2023-Y", "2023-01~12", "全年"),
        ("2023", "2023-01~12", "全年"),
        ("2023-1-2", "2023-01~02", "1—2月"),
        ("2023-06", "2023-06", "6月"),
        ("2023年5月", "2023-05", "5月"),
        ("2023-01~05", "2023-01~05", "1—5月"),
    ],
)
def test_it_reads_the_ways_people_write_a_period(text: str, code: str, label: str) -> None:
    period = Period.parse(text)
    assert period.code == code
    assert period.label == label


@pytest.mark.parametrize("text", ["", "2023-13", "2023-H3", "上半年", "2023-06~03", "abc"])
def test_it_rejects_what_names_no_period_in_chinese(text: str) -> None:
    with pytest.raises(PeriodError, match="所属期"):
        Period.parse(text)


def test_the_combined_january_february_release_has_no_predecessor() -> None:
    assert Period(2023, 1, 2).previous_cumulative() is None
    assert Period(2023, 1, 1).previous_cumulative() is None
    # 1—3月 follows the combined 1—2月 release, not a January release
    assert Period(2023, 1, 3).previous_cumulative() == Period(2023, 1, 2)
    assert Period(2023, 4, 6).previous_cumulative() is None  # a quarter on its own is not cumulative


def test_time_progress_is_months_elapsed_over_twelve() -> None:
    assert Period(2023, 1, 6).time_progress == Decimal("0.5")
    assert Period(2023, 1, 9).time_progress * 100 == Decimal(75)


def test_year_ago_keeps_the_same_months() -> None:
    assert Period.parse("2023-H1").year_ago().code == "2022-01~06"
