"""The demo chains and `yuanqu chains progress`, as the seed's paragraph 6 names them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yuanqu.chains.demo import demo_load
from yuanqu.chains.models import Chain, ChainEnterprise, ChainNode, EnterpriseRequest


def run(*args: str) -> str:
    out = StringIO()
    call_command("chains", *args, stdout=out)
    return out.getvalue()


def test_the_demo_holds_the_five_chains_with_the_seeds_2023_targets(demo: None) -> None:
    chains = {chain.name: chain for chain in Chain.objects.prefetch_related("targets")}
    assert {name: int(chain.targets.get(year=2023).value) for name, chain in chains.items()} == {
        "新能源（含基础能源）": 600,
        "高端汽车零部件": 200,
        "新光电": 100,
        "高档轻工": 100,
        "高端智能制造": 100,
    }
    assert str(chains["新能源（含基础能源）"].targets.get(year=2023)) == "新能源（含基础能源） 2023年 600亿元"
    assert all(chain.leader is not None for chain in chains.values())
    assert all(chain.leader.groups.filter(name="chain_leader").exists() for chain in chains.values())  # type: ignore[union-attr]
    masters = ChainEnterprise.objects.filter(role="master").values_list("node__chain__name", flat=True)
    assert set(masters) == set(chains)


def test_the_new_energy_map_has_the_industrys_links(demo: None) -> None:
    nodes = set(ChainNode.objects.filter(chain__code="new-energy").values_list("name", "segment"))
    assert {("硅料/硅片", "upstream"), ("动力/储能电池电芯", "midstream"), ("逆变器", "midstream")} <= nodes
    assert {("储能系统集成", "downstream"), ("检测认证", "supporting"), ("正极材料", "upstream")} <= nodes
    auto = set(ChainNode.objects.filter(chain__code="auto-parts").values_list("name", flat=True))
    assert {"动力总成部件", "底盘系统", "车身及内外饰", "汽车电子", "整车配套", "售后市场", "模具"} <= auto


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    counts = (ChainEnterprise.objects.count(), ChainNode.objects.count(), EnterpriseRequest.objects.count())
    lines = demo_load()
    assert "新建 0" in lines[0] and "新列入 0 次" in lines[0]
    assert counts == (ChainEnterprise.objects.count(), ChainNode.objects.count(), EnterpriseRequest.objects.count())


def test_the_progress_command_prints_every_chain_and_the_zone_total(demo: None) -> None:
    lines = run("progress", "--zone", "yz-etdz", "--period", "2023-H1").splitlines()
    assert lines[0] == "扬州经济技术开发区2023年上半年重点产业链工业总产值（同口径，规上企业，现价）"
    assert [line.split("：")[0] for line in lines[1:6]] == [
        "新能源（含基础能源）",
        "高端汽车零部件",
        "新光电",
        "高档轻工",
        "高端智能制造",
    ]
    assert "年度目标600亿元，完成" in lines[1] and "序时进度50.0%" in lines[1]
    assert "缺失节点" in lines[1] and "硅料/硅片" in lines[1]
    assert lines[6].startswith("合计：5条产业链")
    assert "园区合计中每家企业只计一次" in lines[6]


def test_the_progress_command_gives_the_same_as_json(demo: None) -> None:
    data = json.loads(run("progress", "--zone", "yz-etdz", "--period", "2023-H1", "--format", "json"))
    chains = data["chains"]
    assert [chain["target"]["value_yi"] for chain in chains] == [600, 200, 100, 100, 100]
    assert all(chain["target"]["time_progress_pct"] == 50 for chain in chains)
    total = data["total"]
    assert total["shared_enterprises"] > 0
    assert (
        total["current_yuan"] == sum(chain["output"]["current_yuan"] for chain in chains) - total["double_counted_yuan"]
    )
    assert total["current_yuan"] < data["zone_total"]["current_yuan"]
    assert {gap["node"] for gap in chains[0]["gaps"] if gap["kind"] == "missing"} >= {"硅料/硅片", "充换电设施"}


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--period", "garbage"], "无法识别所属期"), (["--zone", "nowhere", "--period", "2023-H1"], "未找到园区")],
)
def test_the_progress_command_refuses_bad_input_in_chinese(demo: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("progress", *args)
