"""The 使用说明 pages: linked from the pages' titles, saying what the figures mean."""

from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from tests import factories
from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.projects.models import CountingRule, PipelineRules
from yuanqu.service.models import Case
from yuanqu.supervision.models import Measure
from yuanqu.workreport.services import draft_create, draft_issue


def test_each_module_has_a_help_page_linked_from_its_pages(leader: Client) -> None:
    for page, help_url in [
        ("/", "/help/#scorecard"),
        ("/chains/", "/chains/help/"),
        ("/projects/", "/projects/help/"),
        ("/service/dashboard/", "/service/help/#rates"),
        ("/service/catalogue/", "/service/help/#rates"),
        ("/supervision/", "/supervision/help/"),
        ("/reports/", "/reports/help/"),
    ]:
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


def test_the_service_help_says_how_its_rates_and_working_days_are_counted(leader: Client) -> None:
    html = leader.get("/service/help/").content.decode()
    for rule in ("进驻事项 ÷ 应进驻事项", "在综合窗口（无差别受理）受理的办件", "不超过承诺时限的办结件 ÷ 办结件"):
        assert rule in html
    assert "未经补正" in html and "承诺时限压缩比" in html and "受理当日不计" in html and "调休" in html
    assert "差评应在15个工作日内整改" in html  # the zone's rule (the default)


def test_the_supervision_help_states_the_thresholds_in_force(leader: Client, settings: Settings) -> None:
    html = leader.get("/supervision/help/").content.decode()
    assert "落后序时进度超过30个百分点" in html and "落后序时进度10至30个百分点" in html and "6/12" in html
    settings.YUANQU_SUPERVISION = {"yellow_pp": "5", "red_pp": "20.5", "due_soon_days": 3, "milestone_grace_days": 10}
    html = leader.get("/supervision/help/").content.decode()
    assert "超过20.5个百分点" in html and "落后序时进度5至20.5个百分点" in html
    assert "节点逾期10天及以上" in html and "在3天内（含当天）到期" in html
    department = factories.signed_in(User.objects.get(username="department"))  # the demo's department staff
    page = department.get("/supervision/help/")
    assert page.status_code == 200 and 'href="/supervision/mine/"' in page.content.decode()


def test_the_work_report_help_explains_linked_numbers_and_issuing(leader: Client) -> None:
    html = leader.get("/reports/help/").content.decode()
    assert "采用新数" in html and "保留原数" in html and "不能签发" in html and "冻结" in html


def test_detail_pages_say_where_they_are(leader: Client, demo: None) -> None:
    manager = factories.signed_in(User.objects.get(username="centre"))  # the demo's service-centre manager
    case = Case.objects.order_by("pk").first()
    assert case is not None
    measure = Measure.objects.select_related("task").order_by("pk").first()
    assert measure is not None
    author = factories.a_statistician()
    statistician = factories.signed_in(author)
    draft = draft_create(zone=Place.objects.get(code="yz-etdz"), period=Period(2023, 1, 6), actor=author)
    version = draft_issue(draft=draft, actor=author)
    pages = [
        (manager, f"/service/cases/{case.pk}/", ["政务服务", f"办件 {case.number}"]),
        (leader, f"/supervision/tasks/{measure.task.pk}/", ["督查督办", f"重点任务{measure.task.number}"]),
        (leader, f"/supervision/measures/{measure.pk}/", ["督查督办", f"重点任务{measure.task.number}", "具体举措"]),
        (statistician, f"/reports/drafts/{draft.pk}/", ["工作报告", "（草稿）"]),
        (statistician, f"/reports/versions/{version.pk}/", ["工作报告", f"第{version.number}版"]),
    ]
    for client, url, crumbs in pages:
        html = client.get(url).content.decode()
        trail = html.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0] if "breadcrumbs" in html else ""
        assert all(crumb in trail for crumb in crumbs), (url, trail)
