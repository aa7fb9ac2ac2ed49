"""The 使用说明 pages: linked from the pages' titles, saying what the figures mean."""

from django.test import Client

from tests import factories
from yuanqu.projects.models import CountingRule, PipelineRules


def test_each_module_has_a_help_page_linked_from_its_pages(leader: Client) -> None:
    for page, help_url in [("/", "/help/#scorecard"), ("/chains/", "/chains/help/"), ("/projects/", "/projects/help/")]:
        assert f'href="{help_url}"' in leader.get(page).content.decode(), page
    scorecard = leader.get("/help/").content.decode()
    assert "同口径" in scorecard and "序时进度" in scorecard and "拉动" in scorecard
    chains = leader.get("/chains/help/").content.decode()
    assert "园区合计中只计一次" in chains


def test_the_projects_help_states_the_zones_counting_rule(leader: Client) -> None:
    html = leader.get("/projects/help/").content.decode()
    assert "现行口径：累计口径" in html and "各档个数不可相加" in html
    PipelineRules.objects.filter(zone__code="yz-etdz").update(counting_rule=CountingRule.BANDS)
    html = leader.get("/projects/help/").content.decode()
    assert "现行口径：分段口径" in html and "各档个数可相加" in html
    assert '<td>签约</td><td class="num">90</td><td class="num">180</td>' in html


def test_help_pages_need_a_role(demo: None) -> None:
    outsider = factories.signed_in(factories.an_outsider())
    assert outsider.get("/help/").status_code == 403
    assert outsider.get("/projects/help/").status_code == 403
    assert Client().get("/chains/help/").status_code == 302
