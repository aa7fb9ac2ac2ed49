"""Projects by chain, on a chain small enough to count by hand.

Chain "ev" with two leaf nodes:
  正极材料  no local enterprise            → a missing node (补链 target)
  电芯      one local enterprise (since 2022) → a weak node (single supplier)
Projects (planned total investment at signing, 亿元):
  P1 正极材料  补链  signed 2023-03-10                          12
  P2 电芯      强链  signed 2023-02-01, 实质性开工 2023-05-20    30
  P3 电芯      强链  signed 2022-09-01, not started              8   ← previous year
For 2023 上半年 (1—6月):
  signed 2 (P1, P2), 42亿元: 补链 1 (12), 强链 1 (30), 延链 0; started 1 (P2, 30亿元)
  正极材料: signed 1, 12; started 0      电芯: signed 1, 30; started 1
  the gap 正极材料 has a signed 补链 project; 电芯 has none
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from tests import factories
from tests.chains import factories as f
from tests.factories import signed_in
from tests.projects.factory import a_project
from yuanqu.chains.models import Chain, ChainNode
from yuanqu.chains.projects import chain_projects
from yuanqu.periods import Period
from yuanqu.projects.models import Category, Project, Stage

pytestmark = pytest.mark.urls("tests.chains.urls")

H1 = Period(2023, 1, 6)
API = "/api/v1"
FILL, STRENGTHEN = Project.ChainRole.FILL, Project.ChainRole.STRENGTHEN


@pytest.fixture
def chain_leader(db: None) -> User:
    return factories.a_chain_leader()


@pytest.fixture
def chain(chain_leader: User) -> Chain:
    zone = f.a_zone()
    chain = f.a_chain(zone, "ev", leader=chain_leader)
    cathode = f.a_node(chain, "正极材料", segment=ChainNode.Segment.UPSTREAM)
    cells = f.a_node(chain, "电芯")
    enterprises = f.load(zone, f.output_rows(1, months={2023: ["100"] * 6, 2022: ["90"] * 6}))
    f.place(cells, enterprises[1])
    a_project(
        zone,
        "P1",
        name="正极材料补链项目",
        investment="12",
        chain_node=cathode,
        chain_role=FILL,
        reached={Stage.SIGNED: date(2023, 3, 10)},
    )
    a_project(
        zone,
        "P2",
        name="电芯扩能项目",
        investment="30",
        chain_node=cells,
        chain_role=STRENGTHEN,
        reached={Stage.SIGNED: date(2023, 2, 1), Stage.REGISTERED: date(2023, 3, 1), Stage.STARTED: date(2023, 5, 20)},
        substantive_start_on=date(2023, 5, 20),
    )
    a_project(
        zone,
        "P3",
        name="去年签约项目",
        investment="8",
        category=Category.TECHNICAL_RENOVATION,
        chain_node=cells,
        chain_role=STRENGTHEN,
        reached={Stage.SIGNED: date(2022, 9, 1)},
    )
    return chain


def test_signed_and_started_projects_by_node_and_role(
    chain: Chain, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        data = chain_projects(chain=chain, period=H1)
    assert (data.signed, data.signed_investment_yi) == (2, Decimal(42))
    assert (data.started, data.started_investment_yi) == (1, Decimal(30))
    assert [(role.label, role.signed, role.investment_yi) for role in data.roles] == [
        ("补链", 1, Decimal(12)),
        ("强链", 1, Decimal(30)),
        ("延链", 0, Decimal(0)),
    ]
    assert [(node.name, node.signed, node.signed_investment_yi, node.started) for node in data.nodes] == [
        ("正极材料", 1, Decimal(12), 0),
        ("电芯", 1, Decimal(30), 1),
    ]
    p2 = data.nodes[1].projects[0]
    assert (p2.name, p2.category_label, p2.stage_label, p2.role_label) == ("电芯扩能项目", "先进制造业", "开工", "强链")
    assert p2.signed_in_period and p2.started_in_period
    assert "去年签约项目" not in [row.name for row in data.rows]
    cathode = ChainNode.objects.get(name="正极材料")
    assert data.filling == {cathode.pk: ["正极材料补链项目（P1）"]}
    assert data.summary == (
        "2023年上半年签约补链项目1个、强链1个、延链0个，总投资42.0亿元；实质性开工1个，计划总投资30.0亿元。"
    )


def test_a_project_signed_earlier_counts_as_a_start_only(chain: Chain) -> None:
    Project.objects.filter(code="P3").update(substantive_start_on=date(2023, 4, 2), stage=Stage.STARTED)
    data = chain_projects(chain=chain, period=H1)
    assert (data.signed, data.started, data.started_investment_yi) == (2, 2, Decimal(38))
    p3 = next(row for row in data.rows if row.code == "P3")
    assert not p3.signed_in_period and p3.started_in_period


def test_a_terminated_or_later_fill_project_does_not_mark_the_gap(chain: Chain) -> None:
    Project.objects.filter(code="P1").update(stage=Stage.TERMINATED)
    assert chain_projects(chain=chain, period=H1).filling == {}
    Project.objects.filter(code="P1").update(stage=Stage.SIGNED, signed_on=date(2023, 8, 1))
    data = chain_projects(chain=chain, period=H1)
    assert data.filling == {} and data.signed == 1


def test_the_workbench_shows_the_projects_section(chain: Chain, chain_leader: User) -> None:
    response = signed_in(chain_leader).get("/chains/ev/?period=2023-H1")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="chain-projects"' in html
    assert "2023年上半年签约补链项目1个、强链1个、延链0个，总投资42.0亿元；实质性开工1个" in html
    assert "电芯扩能项目" in html and "去年签约项目" not in html
    assert '<span class="pill red">补链</span>' in html and '<span class="pill blue">强链</span>' in html
    gaps = {gap["node"].name: gap["filling"] for gap in response.context["gaps"]}
    assert gaps == {"正极材料": ["正极材料补链项目（P1）"], "电芯": []}
    assert html.count("已有在谈/签约项目") == 1
    assert "/projects/" not in html  # a 链长 cannot open the project pages, so no links


def test_leadership_gets_links_to_the_project_pages(chain: Chain) -> None:
    html = signed_in(factories.a_leader()).get("/chains/ev/?period=2023-H1").content.decode()
    p1 = Project.objects.get(code="P1")
    assert f'href="/projects/{p1.pk}/"' in html


def test_the_api_returns_the_same_figures(chain: Chain, chain_leader: User) -> None:
    response = signed_in(chain_leader).get(f"{API}/chains/ev/projects?period=2023-H1")
    assert response.status_code == 200
    data = response.json()
    assert (data["period"], data["signed"], data["started"]) == ("2023-01~06", 2, 1)
    assert Decimal(str(data["signed_investment_yi"])) == 42
    assert {role["label"]: role["signed"] for role in data["roles"]} == {"补链": 1, "强链": 1, "延链": 0}
    assert [node["name"] for node in data["nodes"]] == ["正极材料", "电芯"]
    assert data["nodes"][1]["projects"][0]["role"] == "strengthen"
    assert data["filling_gaps"] == [ChainNode.objects.get(name="正极材料").pk]


def test_the_api_refuses_the_wrong_roles(chain: Chain) -> None:
    url = f"{API}/chains/ev/projects?period=2023-H1"
    assert Client().get(url).status_code == 401
    assert signed_in(factories.an_outsider()).get(url).status_code == 403
    assert signed_in(factories.a_window_clerk()).get(url).status_code == 403  # 窗口人员 are no chain readers
    assert signed_in(factories.an_investment_officer()).get(url).status_code == 200


def test_the_api_rejects_a_bad_period_or_chain(chain: Chain, chain_leader: User) -> None:
    client = signed_in(chain_leader)
    assert client.get(f"{API}/chains/ev/projects?period=garbage").status_code == 400
    assert client.get(f"{API}/chains/nowhere/projects?period=2023-H1").status_code == 404
