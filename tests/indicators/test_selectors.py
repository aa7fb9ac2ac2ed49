"""The scorecard engine against hand-computed cases."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import city_with_districts, import_rows, month_row, observation, target
from yuanqu import figures
from yuanqu.indicators.models import Indicator, Target
from yuanqu.indicators.selectors import (
    cumulative_breaks,
    in_month_value,
    ranking,
    required_annual_growth,
    same_scope,
    scorecard,
)
from yuanqu.periods import Period

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sales() -> Indicator:
    return Indicator.objects.get(code="industrial_invoiced_sales")


def entering_and_leaving_scope_rows() -> list:
    """Four enterprises, 万元 of 工业开票销售 in January and February.

    A: in scope both years, 100+100 → 110+120.
    B: below the threshold in 2022 (50+50), in scope in 2023 (60+60): entered scope.
    C: in scope in 2022 (80+80), out of scope by February 2023 (70+70): left scope.
    D: new in 2023 (30+30), no 2022 data.
    """
    return [
        month_row(1, 2022, 1, sales_wan="100", industry="C3841"),
        month_row(1, 2022, 2, sales_wan="100", industry="C3841"),
        month_row(1, 2023, 1, sales_wan="110", industry="C3841"),
        month_row(1, 2023, 2, sales_wan="120", industry="C3841"),
        month_row(2, 2022, 1, sales_wan="50", above_scale=False, industry="C3670"),
        month_row(2, 2022, 2, sales_wan="50", above_scale=False, industry="C3670"),
        month_row(2, 2023, 1, sales_wan="60", industry="C3670"),
        month_row(2, 2023, 2, sales_wan="60", industry="C3670"),
        month_row(3, 2022, 1, sales_wan="80", industry="C3976"),
        month_row(3, 2022, 2, sales_wan="80", industry="C3976"),
        month_row(3, 2023, 1, sales_wan="70", industry="C3976"),
        month_row(3, 2023, 2, sales_wan="70", above_scale=False, industry="C3976"),
        month_row(4, 2023, 1, sales_wan="30", industry="C3841"),
        month_row(4, 2023, 2, sales_wan="30", industry="C3841"),
    ]


def test_same_scope_growth_compares_this_years_enterprises_with_their_own_last_year() -> None:
    _, (zone,) = city_with_districts("z")
    import_rows(zone, entering_and_leaving_scope_rows())

    figure = same_scope(zone, sales(), Period(2023, 1, 2))

    assert figure is not None
    # In scope in February 2023: A, B, D. The level: 230 + 120 + 60 = 410万元.
    assert figure.current_yuan == 4_100_000
    # The same enterprises a year earlier: A 200 + B 100 (below scale then, but the same
    # enterprise) = 300万元; C left scope and is not in either side. D has no row a year earlier
    # and no reported base: it is left out of the growth, not counted against a zero base.
    assert figure.base_yuan == 3_000_000
    assert (figure.enterprises, figure.enterprises_with_base) == (3, 2)
    assert (figure.excluded_enterprises, figure.excluded_yuan) == (1, 600_000)
    assert figures.rate(figure.growth_pct) == "16.7"  # (230 + 120) / 300 − 1
    # B entered scope this year (新入库): without it, A alone grows 230 / 200 − 1 = 15.0%.
    assert figures.rate(figure.continuing_growth_pct) == "15.0"


def test_contribution_of_each_industry_is_in_points_of_the_total_base() -> None:
    _, (zone,) = city_with_districts("z")
    import_rows(zone, entering_and_leaving_scope_rows())

    card = scorecard(zone=zone, period=Period(2023, 1, 2), indicators=[sales()])
    by_industry = {
        item.industry: item.contribution_pp for item in card.figure("industrial_invoiced_sales").contributions
    }

    # C38 (A; D has no base and is left out): (230 − 200) / 300 × 100 = 10.0;
    # C36 (B): (120 − 100) / 300 × 100 = 6.67
    assert figures.rate(by_industry["C38"]) == "10.0"
    assert figures.rate(by_industry["C36"], 2) == "6.67"
    assert "C39" not in by_industry  # C left scope
    assert figures.rate(sum(by_industry.values())) == figures.rate(card.figure("industrial_invoiced_sales").growth_pct)


def test_a_cumulative_period_spans_the_combined_january_february_report() -> None:
    _, (zone,) = city_with_districts("z")
    # One enterprise reports January and February together in February, then March.
    import_rows(
        zone,
        [
            month_row(1, 2022, 2, sales_wan="200"),
            month_row(1, 2022, 3, sales_wan="100"),
            month_row(1, 2023, 2, sales_wan="220"),
            month_row(1, 2023, 3, sales_wan="110"),
        ],
    )
    figure = same_scope(zone, sales(), Period(2023, 1, 3))
    assert figure is not None
    assert (figure.current_yuan, figure.base_yuan) == (3_300_000, 3_000_000)
    assert figures.rate(figure.growth_pct) == "10.0"


def test_in_month_values_come_from_successive_cumulative_releases_but_not_across_1_2() -> None:
    _, (zone,) = city_with_districts("z")
    gdp = Indicator.objects.get(code="fixed_asset_investment")
    observation("fixed_asset_investment", zone, "2023-01~02", value="100")
    observation("fixed_asset_investment", zone, "2023-01~03", value="160")
    observation("fixed_asset_investment", zone, "2023-01~04", value="150")

    assert in_month_value(indicator=gdp, place=zone, year=2023, month=3).value == Decimal(60)
    february = in_month_value(indicator=gdp, place=zone, year=2023, month=2)
    assert february.value is None
    assert "1—2月合并发布" in february.reason
    # A cumulative flow that falls is flagged for review, not silently differenced.
    assert cumulative_breaks(indicator=gdp, place=zone, year=2023) == [
        "2023年1—4月累计150.0亿元低于1—3月的160.0亿元，累计数不应下降，请核实"
    ]


def test_a_missing_base_year_gives_no_comparison_with_the_reason() -> None:
    _, (zone,) = city_with_districts("z")
    import_rows(zone, [month_row(1, 2023, 1, sales_wan="10"), month_row(1, 2023, 2, sales_wan="10")])

    card = scorecard(zone=zone, period=Period(2023, 1, 2), indicators=[sales()])
    figure = card.figure("industrial_invoiced_sales")

    assert figure.value == Decimal("0.002")  # 20万元 = 0.002亿元, still shown
    assert figure.growth_pct is None
    assert "缺少2022年同期数据" in figure.no_comparison


def test_a_revised_figure_is_read_as_it_stood_before_and_after_the_revision() -> None:
    _, (zone,) = city_with_districts("z")
    flash_at = datetime(2023, 7, 15, 9, 0, tzinfo=SHANGHAI)
    revised_at = datetime(2023, 8, 20, 9, 0, tzinfo=SHANGHAI)
    observation("gdp", zone, "2023-H1", value="375.3", growth="8.3", recorded_at=flash_at, superseded_at=revised_at)
    observation("gdp", zone, "2023-H1", value="376.1", growth="8.5", recorded_at=revised_at, vintage="final")
    gdp = [Indicator.objects.get(code="gdp")]
    period = Period(2023, 1, 6)

    before = scorecard(zone=zone, period=period, indicators=gdp, as_of=revised_at - timedelta(days=1))
    after = scorecard(zone=zone, period=period, indicators=gdp, as_of=revised_at + timedelta(days=1))
    now = scorecard(zone=zone, period=period, indicators=gdp)
    too_early = scorecard(zone=zone, period=period, indicators=gdp, as_of=flash_at - timedelta(days=1))

    assert (before.figure("gdp").value, before.figure("gdp").growth_pct) == (Decimal("375.3"), Decimal("8.3"))
    assert (after.figure("gdp").value, after.figure("gdp").growth_pct) == (Decimal("376.1"), Decimal("8.5"))
    assert now.figure("gdp").official is not None and now.figure("gdp").official.vintage == "定报"
    assert too_early.figure("gdp").value is None


def test_required_annual_growth_to_a_goal() -> None:
    # From 1000 to 2000 in three years: 2^(1/3) − 1 = 25.99%.
    assert figures.rate(required_annual_growth(Decimal(2000), Decimal(1000), 3), 2) == "25.99"


def test_goal_progress_compares_required_with_actual_nominal_growth() -> None:
    _, (zone,) = city_with_districts("z")
    observation("industrial_invoiced_sales", zone, "2022", value="1000")
    observation("industrial_invoiced_sales", zone, "2023-H1", value="564.4", growth="7.4")
    target("industrial_invoiced_sales", zone, 2025, kind=Target.Kind.GOAL, value=Decimal(2000), base_year=2022)

    card = scorecard(zone=zone, period=Period(2023, 1, 6), indicators=[sales()])
    (goal,) = card.figure("industrial_invoiced_sales").goals

    assert goal.base_value == Decimal(1000)
    assert figures.rate(goal.required_growth_pct) == "26.0"
    assert goal.actual_growth_pct == Decimal("7.4")


def test_target_completion_is_compared_with_time_progress_in_points() -> None:
    _, (zone,) = city_with_districts("z")
    observation("industrial_invoiced_sales", zone, "2023-H1", value="564.4", growth="7.4")
    target("industrial_invoiced_sales", zone, 2023, kind=Target.Kind.ANNUAL, value=Decimal(1200), unit="亿元")

    progress = (
        scorecard(zone=zone, period=Period(2023, 1, 6), indicators=[sales()]).figure("industrial_invoiced_sales").target
    )

    assert progress is not None
    assert figures.rate(progress.completion_pct) == "47.0"  # 564.4 / 1200
    assert progress.time_progress_pct == Decimal(50)
    assert figures.rate(progress.gap_pp) == "-3.0"


def test_rank_counts_peers_strictly_ahead_and_records_the_peer_set() -> None:
    _, places = city_with_districts("a", "b", "c", "d")
    a, b, c, d = places
    observation("gdp", a, "2023-H1", growth="8.3")
    observation("gdp", b, "2023-H1", growth="8.6")
    observation("gdp", c, "2023-H1", growth="8.3")  # a tie shares the place
    observation("gdp", d, "2023-H1", growth="-1.0")

    rank = ranking(zone=c, indicator=Indicator.objects.get(code="gdp"), period=Period(2023, 1, 6))

    assert (rank.position, rank.of) == (2, 4)
    assert [peer.place_code for peer in rank.peers] == ["b", "a", "c", "d"]
    assert rank.city == "某市"


def test_the_demo_zone_computes_the_published_invoiced_sales_exactly(demo: None) -> None:
    from yuanqu.core.models import Place

    figure = same_scope(Place.objects.get(code="yz-etdz"), sales(), Period(2023, 1, 6))
    assert figure is not None
    assert figure.current_yuan == 56_440_000_000
    assert figures.rate(figure.current_yi) == "564.4"
    assert figures.rate(figure.growth_pct) == "7.4"
    # Every enterprise in scope has a base: its own 2022 rows, a reported 上年同期 (新入库
    # enterprises not in the 2022 data) or zero (the two marked 新投产); none is left out.
    assert figure.enterprises == figure.enterprises_with_base
    assert (figure.reported_base_enterprises, figure.new_production_enterprises) == (15, 2)
    assert figure.new_entrants > 15  # those reporting 上年同期, and some below the threshold in 2022
    # Mostly from enterprises 规上 both years: without the 新入库 ones the growth is still 7.1%.
    assert figures.rate(figure.continuing_growth_pct) == "7.1"


def test_an_enterprise_without_an_industry_code_is_counted_as_unclassified() -> None:
    _, (zone,) = city_with_districts("z")
    import_rows(
        zone,
        [
            month_row(1, 2022, 1, sales_wan="100", industry=""),
            month_row(1, 2023, 1, sales_wan="150", industry=""),
            month_row(2, 2022, 1, sales_wan="100"),
            month_row(2, 2023, 1, sales_wan="100"),
        ],
    )
    card = scorecard(zone=zone, period=Period(2023, 1, 1), indicators=[sales()])
    figure = card.figure("industrial_invoiced_sales")

    assert figure.computed is not None and figure.computed.current_yuan == 2_500_000
    assert {(item.industry_name, figures.rate(item.contribution_pp)) for item in figure.contributions} == {
        ("未分类", "25.0"),  # (150 − 100) / 200 × 100
        ("电气机械和器材制造业", "0.0"),
    }


def test_a_new_import_shows_in_the_next_scorecard_at_once() -> None:
    _, (zone,) = city_with_districts("z")
    import_rows(zone, [month_row(1, 2022, 1, sales_wan="100"), month_row(1, 2023, 1, sales_wan="110")])
    first = scorecard(zone=zone, period=Period(2023, 1, 1), indicators=[sales()])
    import_rows(zone, [month_row(1, 2023, 1, sales_wan="120")])
    second = scorecard(zone=zone, period=Period(2023, 1, 1), indicators=[sales()])

    assert figures.rate(first.figure("industrial_invoiced_sales").growth_pct) == "10.0"
    assert figures.rate(second.figure("industrial_invoiced_sales").growth_pct) == "20.0"


def test_scope_membership_over_time_is_read_from_the_monthly_reports() -> None:
    from yuanqu.indicators.models import Enterprise

    _, (zone,) = city_with_districts("z")
    import_rows(
        zone,
        [
            month_row(1, 2022, 11, sales_wan="10", above_scale=False),
            month_row(1, 2022, 12, sales_wan="10", above_scale=False),
            month_row(1, 2023, 1, sales_wan="30"),
            month_row(1, 2023, 2, sales_wan="30"),
            month_row(1, 2023, 4, sales_wan="30"),  # March not reported
        ],
    )
    assert Enterprise.objects.get().scope_spells() == [
        ("2022-11", "2022-12", False),
        ("2023-01", "2023-02", True),
        ("2023-04", "2023-04", True),
    ]
