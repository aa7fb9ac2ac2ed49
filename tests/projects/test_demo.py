import json

import pytest
from django.core.management import call_command

from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.projects.demo import demo_load
from yuanqu.projects.models import Project, StartClaim
from yuanqu.projects.selectors import pipeline_statistics
from yuanqu.projects.writing import paragraph

SEED = (
    "上半年签约亿元以上先进制造业重点项目41个，总投资约465亿元，其中百亿元以上项目2个、50亿元以上项目3个；"
    "新签约现代服务业项目90个、总投资约120亿元，其中50亿元以上项目1个。"
    "上半年实质性开工工业项目35个、技改项目93个、重点城建项目44个。"
)


def test_the_demo_reproduces_the_seed_paragraph_under_the_nested_rule(demo: None) -> None:
    statistics = pipeline_statistics(zone=Place.objects.get(code="yz-etdz"), period=Period.parse("2023-H1"))
    assert paragraph(statistics) == SEED


def test_under_the_bands_rule_the_same_projects_read_as_disjoint_bands(demo: None) -> None:
    statistics = pipeline_statistics(
        zone=Place.objects.get(code="yz-etdz"), period=Period.parse("2023-H1"), counting_rule="bands"
    )
    assert paragraph(statistics) == SEED.replace("50亿元以上项目3个", "50亿元至百亿元项目1个").replace(
        "其中50亿元以上项目1个", "其中50亿元至百亿元项目1个"
    )


def test_every_counted_start_has_a_claim_confirmed_by_someone_else(demo: None) -> None:
    started = Project.objects.filter(zone__code="yz-etdz", substantive_start_on__isnull=False)
    claims = StartClaim.objects.filter(project__in=started, status=StartClaim.Status.CONFIRMED)
    assert claims.count() == started.count()
    assert not [claim for claim in claims if claim.claimed_by_id == claim.reviewed_by_id]


def test_loading_the_demo_again_writes_nothing(demo: None) -> None:
    before = Project.objects.count()
    assert demo_load()[0].startswith("招商项目（示例数据）：新建 0 个")
    assert Project.objects.count() == before


def test_the_summary_command_prints_the_sentence_and_the_figures(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("projects", "summary", "--zone", "yz-etdz", "--period", "2023-H1")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == SEED
    assert lines[1].startswith("与上年同期相比，签约亿元以上先进制造业项目增加7个、总投资增长18.6%")
    assert lines[2].startswith("（计数口径：累计口径")
    call_command("projects", "summary", "--period", "2023-H1", "--format", "json", "--rule", "bands")
    data = json.loads(capsys.readouterr().out)
    manufacturing = data["categories"][0]
    assert (manufacturing["floor_signed"], manufacturing["floor_investment_yi"]) == (41, "465.0000")
    assert [(tier["label"], tier["count"]) for tier in manufacturing["tiers"]] == [
        ("百亿元以上", 2),
        ("50亿元至百亿元", 1),
        ("10亿元至50亿元", 0),
        ("亿元至10亿元", 38),
    ]
    assert data["counting_rule"] == "bands"


def test_every_demo_project_has_its_own_name_and_sits_on_a_node_of_its_product(demo: None) -> None:
    from yuanqu.projects.demo import PRODUCT_NODES

    names = list(Project.objects.filter(zone__code="yz-etdz").values_list("name", flat=True))
    assert len(names) == len(set(names))
    placed = Project.objects.filter(chain_node__isnull=False).select_related("chain_node__chain")
    assert placed.count() >= 20
    for project in placed:
        product = next(product for product in PRODUCT_NODES if product in project.name)
        assert PRODUCT_NODES[product] == (project.chain_node.chain.code, project.chain_node.name), project.name  # type: ignore[union-attr]


def test_no_demo_node_in_production_is_shown_as_missing(demo: None) -> None:
    from yuanqu.chains.models import ChainEnterprise

    producing = Project.objects.filter(chain_node__isnull=False, stage__in=["producing", "full_capacity"])
    assert producing.exists()
    with_enterprises = set(ChainEnterprise.objects.values_list("node_id", flat=True))
    assert {project.chain_node_id for project in producing} <= with_enterprises


def test_each_department_of_the_demo_zone_appears_once(demo: None) -> None:
    from yuanqu.core.models import Department

    names = list(Department.objects.filter(zone__code="yz-etdz").values_list("name", flat=True))
    assert len(names) == len(set(names)) and "招商局" in names
