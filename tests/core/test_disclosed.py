"""Disclosure control over the database: the demo zone for every period and reader, and small zones.

"Recoverable" is checked exactly and independently of the module (``tests/spans.py``): a withheld
figure must not be a combination (a difference, a difference of differences, …) of the figures
the reader is shown, on any page of the same zone, period and measure, nor may any group of
enterprises that no shown cell separates and that is itself too small or dominated.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.chains import factories as f
from tests.spans import Span, groups
from yuanqu.chains.models import Chain, ChainNode
from yuanqu.core.models import Place
from yuanqu.disclosed import (
    SUPPRESSED,
    Reader,
    chain_cell,
    disclosure,
    node_cell,
    rules,
    zone_cells,
)
from yuanqu.disclosure import sensitive
from yuanqu.indicators.dashboard import available_periods
from yuanqu.periods import Period

H1 = Period(2023, 1, 6)
Q1 = Period(2023, 1, 3)


@pytest.fixture(scope="module")
def demo_zone(demo_module: None) -> Iterator[None]:
    yield


@pytest.fixture
def demo(demo_zone: None, db: None) -> None:
    """The demo zone, loaded once for the module."""


def readers(zone: Place) -> list[tuple[str, Reader]]:
    """Every kind of reader without enterprise access: leadership, 招商, 督查 and a 链长 of no
    chain know no enterprise; each chain's 链长 knows that chain's enterprises."""
    chains = Chain.objects.filter(zone=zone).order_by("code")
    return [("无企业数据", Reader.knowing_nothing())] + [
        (f"{chain.name}链长", Reader(everything=False, chain_ids=frozenset([chain.pk]))) for chain in chains
    ]


def unrecoverable(zone: Place, period: Period, measure: str, reader: Reader) -> list[str]:
    """What the reader could work out that they must not: empty when disclosure control holds."""
    found = zone_cells(zone=zone, period=period, measure=measure)
    known = set().union(*(found.chain_members.get(pk, set()) for pk in reader.chain_ids))
    seen = disclosure(zone=zone, period=period, measure=measure, reader=reader)
    cells = [
        (cell.key, {e: t for e, t in cell.members.items() if t and e not in known}, cell.published)
        for cell in found.cells
    ]
    shown = [members for key, members, published in cells if published and seen.shows(key)]
    span = Span(shown, groups([members for _, members, _ in cells]))
    problems = []
    for key, members, published in cells:
        if published and seen.shows(key) and sensitive(members, found.values, rules()):
            problems.append(f"{key} is shown but sensitive")
        # A withheld cell, or a sensitive residual that is never shown: neither may be worked out.
        hidden = not (published and seen.shows(key)) and (published or sensitive(members, found.values, rules()))
        if members and hidden and span.holds(members):
            problems.append(f"{key} can be worked out")
    for group in groups([members for _, members, _ in cells]):
        members = dict.fromkeys(group, 1)
        if sensitive(members, found.values, rules()) and span.holds(members):
            problems.append(f"the group of {sorted(group)} can be worked out")
    return problems


def test_for_every_period_and_reader_of_the_demo_nothing_withheld_can_be_worked_out(demo: None) -> None:
    zone = Place.objects.get(code="yz-etdz")
    periods = available_periods(zone)
    assert len(periods) == 30  # 16 cumulative 1—N月 and 14 single months (当月) from March on
    assert sum(period.is_month and not period.is_cumulative for period in periods) == 14
    withheld = 0
    for period in periods:
        for measure in ["industrial_output", "industrial_invoiced_sales"]:
            for name, reader in readers(zone):
                assert unrecoverable(zone, period, measure, reader) == [], (period.code, measure, name)
                withheld += len(disclosure(zone=zone, period=period, measure=measure, reader=reader).suppressed)
    assert withheld > 0  # the demo has nodes of one and two enterprises: something is withheld


@pytest.mark.parametrize("period", [H1, Period.month(2023, 6)], ids=["1—6月", "6月当月"])
def test_the_single_enterprise_node_and_its_complements_are_withheld_in_the_demo(demo: None, period: Period) -> None:
    zone = Place.objects.get(code="yz-etdz")
    seen = disclosure(zone=zone, period=period, measure="industrial_output", reader=Reader.knowing_nothing())
    names = dict(ChainNode.objects.filter(chain__zone=zone).values_list("pk", "name"))
    withheld = {names[key[1]] for key in seen.suppressed if key[0] == "node"}
    assert {"电解液/隔膜", "售后市场", "模具", "显示模组与终端应用"} <= withheld  # one or two enterprises each
    assert len(withheld) > 4  # and, beside each, enough of its siblings that it cannot be worked out
    # Chain totals, their union and the industries have dozens of enterprises: all shown.
    assert all(key[0] == "node" for key in seen.suppressed)


PERSONAS = ["leader", "investment", "supervisor", "chainleader", "chain-auto", "chain-optics"]


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("period", ["2023-H1", "2023-Q1", "2022-01~12", "2023-06", "2022-03"])
def test_the_chains_api_withholds_exactly_what_the_plan_withholds(demo: None, username: str, period: str) -> None:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    zone = Place.objects.get(code="yz-etdz")
    seen = disclosure(zone=zone, period=Period.parse(period), measure="industrial_output", reader=Reader.of(user, zone))
    progress = client.get(f"/api/v1/chains/progress?period={period}").json()
    for chain in progress["chains"]:
        pk = Chain.objects.get(code=chain["code"]).pk
        assert chain["output"]["withheld"] == (not seen.shows(chain_cell(pk)))
        detail = client.get(f"/api/v1/chains/{chain['code']}?period={period}").json()
        for node in nodes_of(detail["nodes"]):
            hidden = not seen.shows(node_cell(node["id"]))
            assert node["withheld"] == hidden and (node["current_yi"] is None) == hidden, node["name"]


def nodes_of(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from nodes_of(node["children"])


# -- small zones, figured by hand --------------------------------------------------------------


def three(value: str) -> list[str]:
    return [value, value, value]


@pytest.fixture
def small_zone(db: None) -> Place:
    """Six enterprises, January–March, 工业总产值 in 万元 a month (2022 the same):

    1 C26 100 · 2 C38 40 · 3 C38 40 · 4 C38 40 · 5 C35 30 · 6 C35 30 · 7 C35 30
    chain "a": node a1 = {1} (one enterprise), node a2 = {2, 3, 4}; chain "b": node b1 = {5, 6, 7}.
    """
    zone = f.a_zone()
    rows = [
        f.output_rows(1, months={2022: three("100"), 2023: three("100")}, industry="C2611"),
        *[f.output_rows(n, months={2022: three("40"), 2023: three("40")}, industry="C3841") for n in (2, 3, 4)],
        *[f.output_rows(n, months={2022: three("30"), 2023: three("30")}, industry="C3511") for n in (5, 6, 7)],
    ]
    enterprises = f.load(zone, *rows)
    a = f.a_chain(zone, "a")
    b = f.a_chain(zone, "b")
    a1, a2, b1 = f.a_node(a, "a1"), f.a_node(a, "a2"), f.a_node(b, "b1")
    f.place(a1, enterprises[1])
    for number in (2, 3, 4):
        f.place(a2, enterprises[number])
    for number in (5, 6, 7):
        f.place(b1, enterprises[number])
    return zone


@pytest.fixture
def industries_zone(db: None) -> Place:
    """A zone on no chain: 1 C26 100万元 a month; 2–4 C38 40 each; 5–7 C35 30 each (2022 the same)."""
    city, _ = factories.city_with_districts("district")
    zone = Place.objects.create(code="small", name="小园区", level=Place.Level.ZONE, parent=city)
    f.load(
        zone,
        f.output_rows(1, months={2022: three("100"), 2023: three("100")}, industry="C2611"),
        *[f.output_rows(n, months={2022: three("40"), 2023: three("40")}, industry="C3841") for n in (2, 3, 4)],
        *[f.output_rows(n, months={2022: three("30"), 2023: three("30")}, industry="C3511") for n in (5, 6, 7)],
    )
    return zone


def contributions(client: Client, zone: Place, code: str) -> dict[str, Any]:
    figures = client.get(f"/api/v1/scorecard?zone={zone.code}&period=2023-Q1").json()["figures"]
    return next(figure for figure in figures if figure["code"] == code)


def test_an_industry_of_one_enterprise_is_withheld_on_the_provenance_page_and_in_the_api(
    industries_zone: Place,
) -> None:
    leader = factories.signed_in(factories.a_leader())
    statistician = factories.signed_in(factories.a_statistician())
    # C26 is enterprise 1 alone; C35 (540万元 this year and last) goes with it, cheaper than C38
    # (720万元): else C26 would be the zone less C38 less C35.
    figure = contributions(leader, industries_zone, "industrial_output")
    assert [item["industry"] for item in figure["contributions"]] == ["C38"]
    assert figure["withheld_contributions"] == 2
    assert len(contributions(statistician, industries_zone, "industrial_output")["contributions"]) == 3
    page = leader.get(f"/indicators/industrial_output/provenance/?zone={industries_zone.code}&period=2023-Q1")
    assert page.status_code == 200
    lines = [line for line in page.context["lines"] if "分行业拉动" in line]
    assert lines == ["  分行业拉动（计算，前5）：电气机械和器材制造业0.0个百分点；另有2个行业按统计保密规定不单独列示"]
    text = page.content.decode()
    assert "化学原料和化学制品制造业" not in text and "专用设备制造业" not in text
    full = statistician.get(f"/indicators/industrial_output/provenance/?zone={industries_zone.code}&period=2023-Q1")
    assert "化学原料和化学制品制造业" in full.content.decode()


@pytest.mark.parametrize("period", ["2023-Q1", "2023-03"])  # 1—3月 and March alone (当月)
def test_a_window_clerk_sees_the_provenance_as_the_leader_does(industries_zone: Place, period: str) -> None:
    clerk = factories.signed_in(factories.a_window_clerk())
    page = clerk.get(f"/indicators/industrial_output/provenance/?zone={industries_zone.code}&period={period}")
    assert page.status_code == 200
    assert "电气机械和器材制造业0.0个百分点" in page.content.decode()
    assert "化学原料和化学制品制造业" not in page.content.decode()


def test_a_chain_page_writes_the_withheld_figures_as_confidential(small_zone: Place) -> None:
    leader = factories.signed_in(factories.a_leader())
    page = leader.get("/chains/a/?period=2023-Q1")
    tree = page.context["map_data"]["tree"]
    nodes = {node["name"]: node for segment in tree["children"] for node in segment["children"]}
    # a1 is enterprise 1 alone; a2 goes with it, or a1 would be a less a2.
    assert nodes["a1"]["withheld"] and nodes["a2"]["withheld"] and nodes["a1"]["current_yi"] is None
    b = leader.get("/chains/b/?period=2023-Q1").context["map_data"]["tree"]
    b1 = b["children"][0]["children"][0]
    assert not b1["withheld"] and b1["current_yi"] == 0.027  # 3 × 30万元 × 3 months
    data = leader.get("/api/v1/chains/progress?zone=zone&period=2023-Q1").json()
    assert data["chains"][0]["output"]["current_yi"] == 0.066  # chain a: (100 + 3 × 40) a month for 3 months, 660万元
    statistician = factories.signed_in(factories.a_statistician())
    full = statistician.get("/chains/a/?period=2023-Q1").context["map_data"]["tree"]
    assert not any(node["withheld"] for segment in full["children"] for node in segment["children"])
    assert str(SUPPRESSED) == "—（保密）"


def test_a_single_month_is_withheld_as_the_cumulative_period_is(small_zone: Place) -> None:
    leader = factories.signed_in(factories.a_leader())
    tree = leader.get("/chains/a/?period=2023-03").context["map_data"]["tree"]
    nodes = {node["name"]: node for segment in tree["children"] for node in segment["children"]}
    assert nodes["a1"]["withheld"] and nodes["a2"]["withheld"] and nodes["a1"]["current_yi"] is None
    api = leader.get("/api/v1/chains/a?period=2023-03").json()
    assert [(node["name"], node["withheld"], node["current_yi"]) for node in api["nodes"]] == [
        ("a1", True, None),
        ("a2", True, None),
    ]
    b = leader.get("/chains/b/?period=2023-03").context["map_data"]["tree"]
    b1 = b["children"][0]["children"][0]
    assert not b1["withheld"] and b1["current_yi"] == 0.009  # 3 × 30万元 in March


def test_the_chains_leader_sees_their_own_chain_in_full_and_the_rest_protected_against_it(small_zone: Place) -> None:
    own = factories.person("persona-chain-a", "chain_leader")
    Chain.objects.filter(code="a").update(leader=own)
    client = factories.signed_in(own)
    mine = client.get("/api/v1/chains/a?period=2023-Q1").json()
    assert not any(node["withheld"] for node in mine["nodes"])
    # Knowing enterprises 1–4, the leader of a could read C35 = zone − (1 + 2 + 3 + 4); C35 is
    # chain b, three enterprises, none dominant: shown.
    other = client.get("/api/v1/chains/b?period=2023-Q1").json()
    assert other["output"]["withheld"] is False
    assert unrecoverable(small_zone, Q1, "industrial_output", Reader.of(own, small_zone)) == []
