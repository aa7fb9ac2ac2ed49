"""Chain output, target progress, 拉动 and gaps, on figures small enough to check by hand.

Enterprises (in-month 工业总产值, 万元, January–March):
  1  chain A node a1      2023: 100 a month (300)   2022: 80 a month (240)
  2  chain A node a2 and  2023: 50 (150)            2022: 50 (150)      ← on two chains
     chain B node b1
  3  chain B node b1      2023: 20 (60)             2022: 10 (30)
  4  on no chain          2023: 30 (90)             2022: 30 (90)
  5  chain A node a1      2023: 10 (30), not 规上 in March 2023          ← out of scope
For 2023 1—3月 (序时进度 25%):
  chain A: 1+2 = 450 against 390 → +15.4%; target 0.15亿 → 30.0% done, 5.0 points ahead
  chain B: 2+3 = 210 against 180 → +16.7%; target 0.1亿 → 21.0% done, 4.0 points behind
  zone (all 规上: 1–4): 600 against 510 → +17.6%
  chains together, 2 counted once: 510 against 420 → +21.4%; simply added: 660 (150 twice)
  拉动: A (450−390)/510 = 11.76 points; B (210−180)/510 = 5.88; together 90/510 = 17.65
"""

from decimal import Decimal

import pytest

from tests.chains import factories as f
from yuanqu.chains.models import Chain, ChainNode
from yuanqu.chains.selectors import chains_progress, node_enterprises, programmes
from yuanqu.chains.writing import progress_data, progress_lines
from yuanqu.core.models import Place
from yuanqu.disclosed import Reader, disclosure
from yuanqu.periods import Period

Q1 = Period(2023, 1, 3)


def three(value: str) -> list[str]:
    return [value, value, value]


@pytest.fixture
def zone(db: None) -> Place:
    zone = f.a_zone()
    enterprises = f.load(
        zone,
        f.output_rows(1, months={2022: three("80"), 2023: three("100")}),
        f.output_rows(2, months={2022: three("50"), 2023: three("50")}),
        f.output_rows(3, months={2022: three("10"), 2023: three("20")}),
        f.output_rows(4, months={2022: three("30"), 2023: three("30")}),
        f.output_rows(5, months={2023: three("10")}, above_scale=False),
    )
    a = f.a_chain(zone, "a", target_yi="0.15")
    b = f.a_chain(zone, "b", target_yi="0.1")
    middle = f.a_node(a, "中游")
    a1 = f.a_node(a, "a1", parent=middle)
    a2 = f.a_node(a, "a2", parent=middle)
    f.a_node(a, "a3", segment=ChainNode.Segment.SUPPORTING)
    b1 = f.a_node(b, "b1")
    f.place(a1, enterprises[1], "master")
    f.place(a1, enterprises[5])
    f.place(a2, enterprises[2])
    f.place(b1, enterprises[2], "master")
    f.place(b1, enterprises[3])
    return zone


def test_each_chain_is_the_same_scope_total_of_its_enterprises(zone: Place) -> None:
    progress = chains_progress(zone=zone, period=Q1)
    a, b = progress.chains
    assert (a.output.current_yuan, a.output.base_yuan, a.output.enterprises) == (4_500_000, 3_900_000, 2)
    assert (b.output.current_yuan, b.output.base_yuan, b.output.enterprises) == (2_100_000, 1_800_000, 2)
    assert round(a.output.growth_pct, 1) == Decimal("15.4")
    assert round(b.output.growth_pct, 1) == Decimal("16.7")


def test_an_enterprise_on_two_chains_counts_once_in_the_zone_total(zone: Place) -> None:
    progress = chains_progress(zone=zone, period=Q1)
    assert progress.union.current_yuan == 5_100_000
    assert progress.union.base_yuan == 4_200_000
    assert progress.union.enterprises == 3
    assert round(progress.union.growth_pct, 1) == Decimal("21.4")
    assert progress.sum_of_chains_yuan == 6_600_000
    assert progress.double_counted_yuan == 1_500_000
    assert progress.shared_enterprises == 1
    assert [item.shared_enterprises for item in progress.chains] == [1, 1]
    assert "有1家规上企业同时属于两条及以上产业链" in progress.shared_note
    assert "只计一次" in progress.shared_note
    assert round(progress.union_share_pct, 1) == Decimal("85.0")  # 510 / 600


def test_completion_is_compared_with_time_progress_in_points(zone: Place) -> None:
    a, b = chains_progress(zone=zone, period=Q1).chains
    assert a.target is not None and b.target is not None
    assert a.target.time_progress_pct == Decimal(25)
    assert a.target.completion_pct == Decimal(30)
    assert a.target.gap_pp == Decimal(5)
    assert a.target.status == "ahead"
    assert b.target.completion_pct == Decimal(21)
    assert b.target.gap_pp == Decimal(-4)
    assert b.target.status == "behind"


def test_far_behind_time_progress_is_red(zone: Place) -> None:
    # Half a year elapsed with the same 1—3月 rows is not possible; a bigger target is.
    Chain.objects.get(code="b").targets.update(value=Decimal("0.3"))
    b = chains_progress(zone=zone, period=Q1).chains[1]
    assert b.target is not None and b.target.gap_pp == Decimal(-18)  # 7% done against 25%
    assert b.target.status == "far-behind"


def test_the_contribution_to_the_zone_growth_is_in_points(zone: Place) -> None:
    progress = chains_progress(zone=zone, period=Q1)
    a, b = progress.chains
    assert progress.zone is not None and progress.zone.base_yuan == 5_100_000
    assert round(a.contribution_pp, 2) == Decimal("11.76")
    assert round(b.contribution_pp, 2) == Decimal("5.88")
    assert round(progress.union_contribution_pp, 2) == Decimal("17.65")


def test_a_node_adds_up_its_sub_nodes_counting_each_enterprise_once(zone: Place) -> None:
    a = chains_progress(zone=zone, period=Q1).chains[0]
    middle, supporting = a.nodes
    assert (middle.name, middle.current_yuan, middle.is_leaf) == ("中游", 4_500_000, False)
    assert [child.current_yuan for child in middle.children] == [3_000_000, 1_500_000]
    assert middle.children[0].enterprise_ids == {e for e in middle.children[0].own_enterprise_ids}
    assert len(middle.children[0].enterprise_ids) == 2 and middle.children[0].in_scope == 1
    assert supporting.current_yuan == 0


def test_a_node_without_a_local_enterprise_is_missing(zone: Place) -> None:
    a = chains_progress(zone=zone, period=Q1).chains[0]
    assert [(node.name, node.gap) for node in a.missing_nodes] == [("a3", "missing")]
    assert "补链" in a.missing_nodes[0].gap_reason


def test_a_node_with_one_supplier_is_weak(zone: Place) -> None:
    a = chains_progress(zone=zone, period=Q1).chains[0]
    assert [(node.name, node.gap_reason) for node in a.weak_nodes] == [("a2", "仅一家本地企业（单一供应商）")]


def test_a_node_below_the_configured_share_is_weak(zone: Place) -> None:
    # a1 makes 300 of chain A's 450: 66.7%, weak only once the threshold is above that.
    Chain.objects.filter(code="a").update(weak_share_pct=Decimal(70))
    a = chains_progress(zone=zone, period=Q1).chains[0]
    weak = {node.name: node.gap_reason for node in a.weak_nodes}
    assert weak["a1"] == "产值占全链比重低于70%（强链）"
    assert round(a.all_nodes()[1].share_pct or 0, 1) == Decimal("66.7")


def test_february_alone_has_no_target_progress_or_growth(zone: Place) -> None:
    a = chains_progress(zone=zone, period=Period.month(2023, 2)).chains[0]
    assert a.output.growth_pct is None and "1—2月合并发布" in a.output.reason
    assert a.target is not None and a.target.completion_pct is None
    assert a.contribution_pp is None


def test_a_period_without_rows_says_so(zone: Place) -> None:
    a = chains_progress(zone=zone, period=Period(2019, 1, 6)).chains[0]
    assert a.output.growth_pct is None and a.output.reason == "2019年上半年没有规上企业数据"
    assert a.target is None  # no 2019 target


def test_the_report_writes_the_figures_as_a_statistician_would(zone: Place) -> None:
    lines = progress_lines(chains_progress(zone=zone, period=Q1))
    assert lines[1].startswith("a链：产值0.0亿元（规上企业2家）；年度目标0.15亿元，完成30.0%，序时进度25.0%，")
    assert "快于序时进度5.0个百分点；同比增长15.4%；拉动园区规上工业总产值增长11.76个百分点" in lines[1]
    assert "落后序时进度4.0个百分点；同比增长16.7%" in lines[2]
    assert "缺失节点1个（a3），薄弱节点1个（a2）" in lines[1]
    assert lines[-1].startswith("合计：2条产业链规上企业3家")
    assert "同比增长21.4%" in lines[-1]


def test_node_figures_that_would_give_an_enterprise_away_are_withheld_unless_disclosed(zone: Place) -> None:
    progress = chains_progress(zone=zone, period=Q1)
    seen = disclosure(zone=zone, period=Q1, measure="industrial_output", reader=Reader.knowing_nothing())
    hidden = progress_data(progress, disclosure=seen)
    shown = progress_data(progress)
    assert hidden["chains"][0]["nodes"][0]["current_yi"] is None and hidden["chains"][0]["nodes"][0]["withheld"]
    assert shown["chains"][0]["nodes"][0]["current_yi"] == 0.045
    # Chain a has two enterprises in scope, b two, the zone four: every figure gives one away.
    assert hidden["chains"][0]["output"]["current_yi"] is None and hidden["total"]["current_yi"] is None
    # The double counting is enterprise 2's own output (150万元): withheld too.
    assert hidden["total"]["double_counted_yuan"] is None and shown["total"]["double_counted_yuan"] == 1_500_000


def test_a_node_lists_its_enterprises_with_their_own_output(zone: Place) -> None:
    node = ChainNode.objects.get(name="中游")
    rows = node_enterprises(node=node, period=Q1)
    assert [(row.name, row.role_label) for row in rows] == [
        ("链上企业1", "链主"),
        ("链上企业2", "配套"),
        ("链上企业5", "配套"),
    ]
    assert [row.output.current_yuan if row.output else None for row in rows] == [3_000_000, 1_500_000, 300_000]
    assert [row.output.in_scope if row.output else None for row in rows] == [True, True, False]


def test_the_green_programme_measures_power_per_10k_yuan_of_output(db: None) -> None:
    zone = f.a_zone()
    # 2023: 100万元 a month with 4万千瓦时 → 400 kWh per 万元; 2022: 80万元 with 4 → 500.
    enterprises = f.load(
        zone,
        f.output_rows(1, months={2022: three("80"), 2023: three("100")}, power_wan_kwh="4"),
    )
    chain = f.a_chain(zone, "g")
    f.place(f.a_node(chain, "n"), enterprises[1])
    figure = chains_progress(zone=zone, period=Q1).chains[0]
    green = next(item for item in programmes(chain=chain, period=Q1, figure=figure) if item.kind == "green")
    assert green.measure_value == Decimal(400)
    assert green.measure_text.startswith("单位产值用电400.0千瓦时/万元，同口径比上年同期下降20.0%")
