from decimal import Decimal

from yuanqu import figures


def test_rates_keep_one_decimal_with_the_trailing_zero() -> None:
    assert figures.rate(Decimal(8)) == "8.0"
    assert figures.rate(Decimal("8.25")) == "8.3"  # half up, as the bureaus round
    assert figures.rate(Decimal("-0.04")) == "0.0"  # never "-0.0"


def test_growth_is_written_as_increase_or_decrease_without_a_minus_sign() -> None:
    assert figures.growth(Decimal("8.3")) == "增长8.3%"
    assert figures.growth(Decimal("-2.04")) == "下降2.0%"
    assert figures.growth(Decimal("0.01")) == "与上年同期持平"


def test_differences_of_rates_are_in_percentage_points() -> None:
    assert figures.points(Decimal("-2.96")) == "3.0个百分点"


def test_amounts_in_yi_from_yuan() -> None:
    assert figures.amount(figures.yi_from_yuan(56_440_000_000), "亿元") == "564.4亿元"
    assert figures.plain(Decimal("2000.0000")) == "2000"


def test_a_stored_figure_is_prefilled_as_typed() -> None:
    assert [str(figures.entered(Decimal(text))) for text in ("10.3000", "100.00", "0.00", "8.2400", "2E+2")] == [
        "10.3",
        "100",
        "0",
        "8.24",
        "200",
    ]
    assert figures.entered(None) is None and figures.entered(3) == 3
