"""The supervision pages: who sees what, the board, a department's reports, the office's review."""

import json
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.projects.factory import a_project
from tests.spreadsheets import assert_office_sheet, opened
from tests.supervision.factory import a_department, a_leader, a_measure, a_member, a_task
from yuanqu.core.models import AuditEntry, Place
from yuanqu.projects.models import Stage
from yuanqu.projects.services import rules_ensure_defaults
from yuanqu.supervision.models import ColourChange, Measure, ProgressReport
from yuanqu.supervision.services import report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone() -> Place:
    zone = Place.objects.create(
        code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE
    )
    rules_ensure_defaults(zone=zone)
    return zone


@pytest.fixture
def world(zone):
    """Two departments, a leader, a task of 2023's second half with two measures (shown at its end)."""
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    chen = a_leader()
    task = a_task(zone, economy, leader=chen, tracks_project_stages=True)
    land = a_measure(
        task, economy, deadline=date(2023, 12, 31), title="用地报批", milestones=[(date(2023, 11, 30), "供地")]
    )
    outreach = a_measure(task, investment, deadline=date(2023, 10, 31), title="专题招商")
    other = a_task(
        zone, investment, number=2, area="产业集群", lever="以强链补链为重点", outcome="在产业集群上再现新跨越"
    )
    a_measure(other, investment, deadline=date(2023, 12, 31), title="链主招商")
    return {
        "task": task,
        "land": land,
        "outreach": outreach,
        "economy": economy,
        "staff": factories.signed_in(a_member(economy)),
        "outsider_staff": factories.signed_in(a_member(investment, "invest-staff")),
        "leader": factories.signed_in(chen),
        "supervisor": factories.signed_in(factories.a_supervisor()),
    }


def test_anonymous_visitors_go_to_the_login_page(world) -> None:
    response = Client().get("/supervision/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url", ["/supervision/", "/supervision/bulletin/", "/supervision/mine/", "/supervision/tasks/new/"]
)
def test_roles_without_supervision_are_refused(world, url) -> None:
    for persona in (factories.a_statistician(), factories.a_window_clerk()):
        assert factories.signed_in(persona).get(url).status_code == 403, (persona, url)


def test_the_board_shows_every_task_by_colour_and_records_the_colours_once(world) -> None:
    supervisor = world["supervisor"]
    response = supervisor.get("/supervision/")
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.on, [task.number for task in board.tasks]) == (date(2023, 12, 31), [1, 2])
    # 用地报批: milestone 供地 missed by 31 days; 专题招商 and 链主招商 unreported at their deadlines.
    assert {row["code"]: row["count"] for row in response.context["count_rows"]} == {
        "red": 3,
        "yellow": 0,
        "blue": 0,
        "green": 0,
    }
    html = response.content.decode()
    assert "节点“供地”逾期31天未完成" in html and 'id="supervision-board-data"' in html
    assert "本期已于2023-12-31结束" in html
    assert ColourChange.objects.count() == 3
    changes = AuditEntry.objects.filter(action="supervision.colour").count()
    supervisor.get("/supervision/")
    assert (
        ColourChange.objects.count() == 3 and AuditEntry.objects.filter(action="supervision.colour").count() == changes
    )
    # Another date is shown but not recorded.
    july = supervisor.get("/supervision/?date=2023-07-31")
    assert july.status_code == 200 and july.context["board"].on == date(2023, 7, 31)
    assert ColourChange.objects.count() == 3


def test_the_board_filters_and_refuses_bad_input_in_chinese(world) -> None:
    supervisor = world["supervisor"]
    by_department = supervisor.get(f"/supervision/?department={world['economy'].pk}")
    assert [m.title for t in by_department.context["board"].tasks for m in t.measures] == ["用地报批"]
    assert [t.number for t in supervisor.get("/supervision/?q=产业集群").context["board"].tasks] == [2]
    bad_date = supervisor.get("/supervision/?date=2023-13-01")
    assert bad_date.status_code == 400 and "“截至日期”应为 YYYY-MM-DD 形式的日期" in bad_date.content.decode()
    bad_period = supervisor.get("/supervision/?period=2023-X9")
    assert bad_period.status_code == 400 and "所属期：" in bad_period.content.decode()
    assert supervisor.get("/supervision/?zone=nowhere").status_code == 404


def test_a_leader_reads_everything_and_has_a_view_of_their_own_tasks(world) -> None:
    leader = world["leader"]
    assert leader.get("/supervision/").status_code == 200
    mine = leader.get("/supervision/leader/")
    assert [task.number for task in mine.context["board"].tasks] == [1]
    assert leader.get(f"/supervision/measures/{world['outreach'].pk}/").status_code == 200
    assert leader.get("/supervision/tasks/new/").status_code == 403
    assert leader.post(f"/supervision/measures/{world['land'].pk}/report/", {"text": "x"}).status_code == 403


def test_department_staff_start_from_their_tasks_and_see_only_their_measures(world) -> None:
    staff = world["staff"]
    assert staff.get("/")["Location"] == "/supervision/mine/"
    page = staff.get("/supervision/mine/")
    assert page.status_code == 200
    shown = [m.title for board in page.context["boards"] for t in board.tasks for m in t.measures]
    assert shown == ["用地报批"]
    assert "交办：1.1 用地报批，完成时限2023年12月31日" in page.content.decode()
    assert staff.get(f"/supervision/measures/{world['outreach'].pk}/").status_code == 404
    task = staff.get(f"/supervision/tasks/{world['task'].pk}/")
    assert [m.title for m in task.context["measures"]] == ["用地报批"]
    assert staff.get("/supervision/").status_code == 403


def test_a_department_does_not_read_another_departments_finding_through_the_task(world) -> None:
    """On 2023-11-15 招商局's 1.2 (due 10-31) is overdue: the office sees the task red for it; 经济发展局's
    staff, who see only their 1.1, get the task's colour and reason from 1.1 alone, on the page and the API."""
    task_id, on = world["task"].pk, "2023-11-15"
    report_submit(measure=world["land"], actor=world["land"].department.members.get(), text="报批材料已上报",
                  reported_on=date(2023, 11, 10), progress_pct=Decimal(70))  # fmt: skip
    office = world["supervisor"].get(f"/api/v1/supervision/tasks/{task_id}?on={on}").json()
    assert office["colour"] == "red" and office["reason"].startswith("1.2 ")
    assert [m["code"] for m in office["measures"]] == ["1.1", "1.2"]
    staff = world["staff"]
    seen = staff.get(f"/api/v1/supervision/tasks/{task_id}?on={on}").json()
    assert [m["code"] for m in seen["measures"]] == ["1.1"]
    assert seen["colour"] == seen["measures"][0]["colour"] != "red"
    assert "1.2" not in seen["reason"] and "专题招商" not in json.dumps(seen, ensure_ascii=False)
    board = staff.get(f"/api/v1/supervision/tasks?zone=yz-etdz&period=2023-H2&on={on}").json()
    assert board["counts"]["red"] == 0 and [t["colour"] for t in board["tasks"]] == [seen["colour"]]
    page = staff.get(f"/supervision/tasks/{task_id}/?date={on}")
    assert page.context["status"].colour.value == seen["colour"]
    assert "已超过完成时限" not in page.content.decode() and "专题招商" not in page.content.decode()


def test_a_department_reports_progress_and_bad_input_is_refused_writing_nothing(world) -> None:
    staff, land = world["staff"], world["land"]
    url = f"/supervision/measures/{land.pk}/report/"
    refused = staff.post(url, {"reported_on": "2023-08-20", "text": "进展", "progress_pct": "120"})
    assert refused.status_code == 400 and "确保该值小于或等于100" in refused.content.decode()
    no_evidence = staff.post(url, {"reported_on": "2023-08-20", "text": "完成", "requests_completion": "on"})
    assert no_evidence.status_code == 400 and "申请办结须上传“佐证材料”" in no_evidence.content.decode()
    assert not ProgressReport.objects.exists()
    done = staff.post(
        url,
        {
            "reported_on": "2023-08-20",
            "text": "完成选址",
            "progress_pct": "40",
            "attachments": [SimpleUploadedFile("选址.pdf", b"%PDF-1.4")],
        },
    )
    assert done.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.progress_pct, report.attachments.get().title) == (Decimal(40), "选址.pdf")
    attachment = staff.get(f"/supervision/attachments/{report.attachments.get().pk}/")
    assert attachment.status_code == 200 and b"".join(attachment.streaming_content) == b"%PDF-1.4"
    assert world["outsider_staff"].get(f"/supervision/attachments/{report.attachments.get().pk}/").status_code == 404
    assert world["outsider_staff"].post(url, {"reported_on": "2023-08-20", "text": "x"}).status_code == 404


def test_the_office_returns_and_accepts_reports_and_the_department_cannot(world) -> None:
    staff, land, supervisor = world["staff"], world["land"], world["supervisor"]
    staff.post(
        f"/supervision/measures/{land.pk}/report/",
        {
            "reported_on": "2023-12-20",
            "text": "供地完成",
            "requests_completion": "on",
            "attachments": [SimpleUploadedFile("供地.pdf", b"%PDF")],
        },
    )
    report = ProgressReport.objects.get()
    review = f"/supervision/reports/{report.pk}/review/"
    assert staff.post(review, {"decision": "accept"}).status_code == 403
    refused = supervisor.post(review, {"decision": "return"}, follow=True)
    assert "请填写“审核意见”" in refused.content.decode()
    supervisor.post(review, {"decision": "accept", "note": "同意"})
    land.refresh_from_db()
    assert (land.status, land.completed_on) == (Measure.Status.DONE, date(2023, 12, 20))
    page = supervisor.get(f"/supervision/measures/{land.pk}/")
    assert page.context["status"].reason == "已办结（2023年12月20日）"


def test_the_office_creates_a_task_and_assigns_a_measure(world, zone) -> None:
    supervisor = world["supervisor"]
    created = supervisor.post(
        "/supervision/tasks/new/",
        {
            "period": "2023-H2",
            "number": "3",
            "area": "科技自强",
            "lever": "以创新驱动为引擎",
            "outcome": "在科技自强上显现新优势",
            "lead_department": world["economy"].pk,
        },
    )
    assert created.status_code == 302
    task_url = created["Location"]
    task_id = int(task_url.rstrip("/").split("/")[-1])
    form = {
        "title": "开票销售",
        "department": world["economy"].pk,
        "deadline": "2023-12-31",
        "report_cycle": "monthly",
        "link": "indicator",
        "link_indicator": "",
    }
    missing = supervisor.post(f"/supervision/tasks/{task_id}/measures/new/", form)
    assert missing.status_code == 400 and "关联数据：请选择要关联的指标" in missing.content.decode()
    bad_line = supervisor.post(
        f"/supervision/tasks/{task_id}/measures/new/", {**form, "link": "", "milestones": "8月底 完成选址"}
    )
    assert bad_line.status_code == 400 and "第1行应为“日期 节点名称”" in bad_line.content.decode()
    early = supervisor.post(
        f"/supervision/tasks/{task_id}/measures/new/", {**form, "link": "", "deadline": "2023-06-01"}
    )
    assert early.status_code == 400 and "不能早于任务的开始日期" in early.content.decode()
    assert not Measure.objects.filter(task_id=task_id).exists()
    assigned = supervisor.post(
        f"/supervision/tasks/{task_id}/measures/new/", {**form, "link": "", "milestones": "2023-09-30 完成申报"}
    )
    assert assigned.status_code == 302
    measure = Measure.objects.get(task_id=task_id)
    assert list(measure.milestones.values_list("title", "due_on")) == [("完成申报", date(2023, 9, 30))]


def test_the_bulletin_page_and_its_word_and_excel_downloads(world) -> None:
    supervisor = world["supervisor"]
    page = supervisor.get("/supervision/bulletin/?month=2023-12")
    assert page.status_code == 200
    html = page.content.decode()
    assert "扬州经开区重点任务督查通报" in html and "红色（严重滞后或超期）3项" in html
    word = supervisor.get("/supervision/bulletin/?month=2023-12&format=docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "扬州经开区_督查通报_2023年12月.docx" in unquote(word["Content-Disposition"])
    excel = supervisor.get("/supervision/bulletin/?month=2023-12&format=xlsx")
    assert excel.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="export.supervision_bulletin").count() == 2
    assert supervisor.get("/supervision/bulletin/?month=2023-13").status_code == 400
    none = supervisor.get("/supervision/bulletin/?month=2022-05")
    assert none.status_code == 400 and "扬州经开区2022年5月没有督查任务" in none.content.decode()


def test_the_old_overdue_list_is_a_view_of_supervision(world, zone) -> None:
    a_project(zone, "P-01", name="华扬动力电池项目", reached={Stage.SIGNED: date(2020, 1, 1)})
    supervisor = world["supervisor"]
    moved = supervisor.get("/projects/overdue/")
    assert moved.status_code == 301 and moved["Location"] == "/supervision/overdue/"
    page = supervisor.get("/supervision/overdue/")
    assert page.status_code == 200 and page.context["red"] == 1
    html = page.content.decode()
    assert "华扬动力电池项目" in html and "重点任务1“以要素保障为抓手，在项目建设上涌现新突破”的督查事项" in html
    board = supervisor.get("/supervision/").content.decode()
    assert "项目阶段超期：1个招商项目超过阶段时限，其中红色1个" in board
    assert factories.signed_in(factories.a_statistician()).get("/supervision/overdue/").status_code == 403
    assert factories.signed_in(factories.an_investment_officer()).get("/supervision/overdue/").status_code == 200


def test_the_bulletin_workbook_is_an_office_sheet(world) -> None:
    excel = world["supervisor"].get("/supervision/bulletin/?month=2023-12&format=xlsx")
    book = opened(excel.content)
    assert_office_sheet(
        book["红黄事项"], title_contains="督查通报·红黄事项", formats={"完成时限": "yyyy-mm-dd"}, frozen="B4"
    )
    assert_office_sheet(book["汇总"], title_contains="督查通报", formats={"举措数（项）": "#,##0"}, frozen="B4")
