"""立项交办, 填报, 审核, reminders: refusals name the field and write nothing; every step is audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests import factories
from tests.supervision.factory import H2, a_department, a_measure, a_member, a_task, a_zone
from yuanqu.core.models import AuditEntry
from yuanqu.periods import Period
from yuanqu.supervision.models import Measure, Milestone, ProgressReport, Reminder, ReportAttachment, Task
from yuanqu.supervision.selectors import task_statuses
from yuanqu.supervision.services import (
    ACCEPT,
    RETURN,
    MilestoneInput,
    SupervisionRefused,
    measure_assign,
    measure_link_set,
    reminder_read,
    reminders_issue,
    report_review,
    report_submit,
    task_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    zone = a_zone()
    economy = a_department(zone)
    task = a_task(zone, economy)
    return zone, economy, task


def nothing_written(action: str) -> None:
    assert not AuditEntry.objects.filter(action=action).exists()


def pdf(name: str = "验收报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence")


def test_a_task_is_created_for_its_period_with_an_audit_row(setting) -> None:
    task = setting[2]
    assert (task.starts_on, task.ends_on, task.period) == (date(2023, 7, 1), date(2023, 12, 31), "2023-07~12")
    assert task.wording == "以要素保障为抓手，在项目建设上涌现新突破"
    entry = AuditEntry.objects.get(action="supervision.task_create")
    assert entry.summary == "立项重点任务1：以要素保障为抓手，在项目建设上涌现新突破（2023年下半年）"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"number": 1}, "2023年下半年已有序号为1的重点任务"),
        ({"area": " "}, "请填写“工作领域”"),
        ({"lever": "以" * 81}, "“抓手”不能超过80个字"),
        ({"starts_on": date(2023, 6, 1)}, "任务的起止日期须在2023年下半年（2023-07-01至2023-12-31）之内"),
        (
            {"starts_on": date(2023, 9, 1), "ends_on": date(2023, 8, 1)},
            "“结束日期”（2023-08-01）不能早于“开始日期”（2023-09-01）",
        ),
    ],
)
def test_a_task_with_bad_input_is_refused_naming_the_field(setting, fields, message) -> None:
    zone, economy, _ = setting
    values = {
        "number": 2,
        "area": "产业集群",
        "lever": "以强链补链为重点",
        "outcome": "在产业集群上再现新跨越",
        **fields,
    }
    with pytest.raises(SupervisionRefused, match=message):
        task_create(zone=zone, period=H2, lead_department=economy, **values)
    assert Task.objects.count() == 1


def test_the_leader_of_a_task_must_hold_the_leadership_role(setting) -> None:
    zone, economy, _ = setting
    with pytest.raises(SupervisionRefused, match="“分管领导”须为领导角色的用户"):
        a_task(zone, economy, number=2, leader=factories.a_statistician())


def test_assigning_a_measure_tells_the_department_and_is_audited(setting) -> None:
    _, economy, task = setting
    measure = a_measure(
        task, economy, deadline=date(2023, 9, 30), title="用地报批", milestones=[(date(2023, 8, 31), "组卷")]
    )
    assert measure.code == "1.1" and measure.starts_on == task.starts_on
    assert list(measure.milestones.values_list("title", "due_on")) == [("组卷", date(2023, 8, 31))]
    reminder = Reminder.objects.get(measure=measure)
    assert (reminder.kind, reminder.department, reminder.message) == (
        "assigned",
        economy,
        "交办：1.1 用地报批，完成时限2023年9月30日",
    )
    assert AuditEntry.objects.filter(action="supervision.measure_assign", detail__measure=measure.pk).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"deadline": date(2023, 6, 30)}, "“完成时限”（2023-06-30）不能早于任务的开始日期（2023-07-01）"),
        ({"starts_on": date(2023, 6, 1)}, "“开始日期”（2023-06-01）不能早于任务的开始日期（2023-07-01）"),
        (
            {"starts_on": date(2023, 9, 1), "deadline": date(2023, 8, 1)},
            "“完成时限”（2023-08-01）不能早于举措的“开始日期”",
        ),
        ({"title": ""}, "请填写“具体举措”"),
        ({"target_value": Decimal(-1)}, "“目标数”不能为负数"),
        (
            {"milestones": [MilestoneInput("供地", date(2024, 1, 10))]},
            "节点“供地”的时限（2024-01-10）须在举措的开始日期（2023-07-01）和完成时限（2023-12-31）之间",
        ),
        ({"milestones": [MilestoneInput(" ", date(2023, 8, 1))]}, "请填写“第1个节点的名称”"),
        ({"link": "weather"}, "关联数据：不支持的关联类型“weather”"),
        ({"link": "weather"}, "关联数据：不支持的关联类型“weather”"),
    ],
)
def test_a_measure_with_bad_input_is_refused_and_nothing_is_written(setting, fields, message) -> None:
    _, economy, task = setting
    values = {"title": "举措", "deadline": date(2023, 12, 31), **fields}
    with pytest.raises(SupervisionRefused, match=message):
        measure_assign(task=task, department=economy, **values)
    assert not Measure.objects.exists() and not Milestone.objects.exists() and not Reminder.objects.exists()
    nothing_written("supervision.measure_assign")


def test_a_link_to_an_indicator_target_that_does_not_exist_for_the_year_is_refused_with_the_reason(setting) -> None:
    zone, economy, task = setting
    factories.target("industrial_invoiced_sales", zone, 2022, kind="annual", value=Decimal(1000), unit="亿元")
    params = {"indicator": "industrial_invoiced_sales", "year": 2023}
    with pytest.raises(
        SupervisionRefused, match="关联数据：测试区没有“工业开票销售”2023年的年度目标，不能关联（请先登记目标）"
    ):
        measure_assign(
            task=task,
            title="开票",
            department=economy,
            deadline=date(2023, 12, 31),
            link="indicator",
            link_params=params,
        )
    with pytest.raises(SupervisionRefused, match="未找到指标“sunshine”"):
        measure_assign(
            task=task,
            title="开票",
            department=economy,
            deadline=date(2023, 12, 31),
            link="indicator",
            link_params={"indicator": "sunshine"},
        )
    with pytest.raises(SupervisionRefused, match="目标年份2022不在举措的起止日期"):
        measure_assign(
            task=task,
            title="开票",
            department=economy,
            deadline=date(2023, 12, 31),
            link="indicator",
            link_params={"indicator": "industrial_invoiced_sales", "year": 2022},
        )
    assert not Measure.objects.exists()


def test_a_project_count_link_needs_a_whole_positive_target(setting) -> None:
    _, economy, task = setting
    for target, message in ((None, "须填写目标数"), (Decimal("2.5"), "目标项目个数须为整数")):
        with pytest.raises(SupervisionRefused, match=message):
            measure_assign(
                task=task,
                title="开工",
                department=economy,
                deadline=date(2023, 12, 31),
                target_value=target,
                link="projects",
            )


def test_a_measure_can_be_linked_and_unlinked_later(setting) -> None:
    zone, economy, task = setting
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1000), unit="亿元")
    measure = a_measure(task, economy, deadline=date(2023, 12, 31))
    measure_link_set(measure=measure, link="indicator", link_params={"indicator": "industrial_invoiced_sales"})
    measure.refresh_from_db()
    assert (measure.link_kind, measure.link_params) == (
        "indicator",
        {"indicator": "industrial_invoiced_sales", "year": 2023},
    )
    measure_link_set(measure=measure, link="")
    measure.refresh_from_db()
    assert (measure.link_kind, measure.link_params) == ("", {})
    assert AuditEntry.objects.filter(action="supervision.measure_link").count() == 2


# -- 填报 and 审核 -------------------------------------------------------------------------------


@pytest.fixture
def measure(setting):
    _, economy, task = setting
    return a_measure(task, economy, deadline=date(2023, 12, 31), milestones=[(date(2023, 8, 31), "完成选址")])


def test_the_department_reports_progress_and_reaches_a_milestone(measure) -> None:
    staff = a_member(measure.department)
    milestone = measure.milestones.get()
    report = report_submit(
        measure=measure,
        actor=staff,
        text="完成选址",
        reported_on=date(2023, 8, 20),
        progress_pct=Decimal(30),
        milestones_reached=[milestone.pk],
        attachments=[pdf("选址意见.pdf")],
    )
    milestone.refresh_from_db()
    assert milestone.done_on == date(2023, 8, 20)
    assert report.status == "submitted" and ReportAttachment.objects.get(report=report).title == "选址意见.pdf"
    entry = AuditEntry.objects.get(action="supervision.report")
    assert entry.summary == "经济发展局填报进展：举措1.1“举措”" and entry.actor == staff


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "请填写“进展情况”"),
        ({"progress_pct": Decimal(101)}, "“完成进度”须在0到100之间"),
        ({"progress_pct": Decimal(-1)}, "“完成进度”须在0到100之间"),
        ({"reported_on": date(2023, 6, 30)}, "“进展截至日期”（2023-06-30）不能早于举措的开始日期（2023-07-01）"),
        ({"reported_on": timezone.localdate() + timedelta(days=1)}, "不能晚于今天"),
        ({"requests_completion": True}, "申请办结须上传“佐证材料”"),
        (
            {"requests_completion": True, "progress_pct": Decimal(90), "attachments": [pdf()]},
            "申请办结时“完成进度”应为100%",
        ),
        ({"attachments": [pdf("宏.xlsm")]}, "文件“宏.xlsm”的类型不支持"),
        ({"attachments": [SimpleUploadedFile("空.pdf", b"")]}, "文件“空.pdf”是空文件"),
        ({"milestones_reached": [999]}, "所选节点不属于本举措，或已完成"),
    ],
)
def test_a_report_with_bad_input_is_refused_and_nothing_is_written(measure, fields, message) -> None:
    staff = a_member(measure.department)
    values = {"text": "进展", "reported_on": date(2023, 8, 1), **fields}
    with pytest.raises(SupervisionRefused, match=message):
        report_submit(measure=measure, actor=staff, **values)
    assert not ProgressReport.objects.exists() and not ReportAttachment.objects.exists()
    nothing_written("supervision.report")


def test_only_the_responsible_department_reports(measure) -> None:
    other = a_member(a_department(measure.task.zone, "investment", "招商局"), "other")
    with pytest.raises(SupervisionRefused, match="只有责任部门（经济发展局）的人员可以填报本举措的进展"):
        report_submit(measure=measure, actor=other, text="进展", reported_on=date(2023, 8, 1))
    with pytest.raises(SupervisionRefused, match="只有责任部门"):
        report_submit(measure=measure, actor=factories.a_supervisor(), text="进展", reported_on=date(2023, 8, 1))


def test_a_linked_measure_takes_text_but_no_percentage(setting) -> None:
    zone, economy, task = setting
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1000), unit="亿元")
    linked = a_measure(
        task, economy, deadline=date(2023, 12, 31), link="indicator", params={"indicator": "industrial_invoiced_sales"}
    )
    staff = a_member(economy)
    with pytest.raises(SupervisionRefused, match="进度由关联数据计算"):
        report_submit(measure=linked, actor=staff, text="进展", reported_on=date(2023, 8, 1), progress_pct=Decimal(50))
    report = report_submit(measure=linked, actor=staff, text="走访企业12家", reported_on=date(2023, 8, 1))
    assert report.progress_pct is None


def test_a_department_cannot_close_its_own_measure_without_the_office(measure) -> None:
    staff = a_member(measure.department)
    asked = report_submit(
        measure=measure,
        actor=staff,
        text="完成",
        reported_on=date(2023, 9, 1),
        requests_completion=True,
        attachments=[pdf()],
    )
    measure.refresh_from_db()
    assert measure.status == "requested" and asked.progress_pct == 100
    with pytest.raises(SupervisionRefused, match="只有督查室人员可以审核"):
        report_review(report=asked, decision=ACCEPT, actor=staff)
    # A supervisor who is a member of the department does not review its reports either.
    insider = factories.a_supervisor()
    measure.department.members.add(insider)
    with pytest.raises(SupervisionRefused, match="不能审核本部门的填报"):
        report_review(report=asked, decision=ACCEPT, actor=insider)
    with pytest.raises(SupervisionRefused, match="本举措已有待审核的办结申请"):
        report_submit(
            measure=measure,
            actor=staff,
            text="再报",
            reported_on=date(2023, 9, 2),
            requests_completion=True,
            attachments=[pdf()],
        )
    measure.refresh_from_db()
    assert measure.status == "requested" and measure.completed_on is None
    nothing_written("supervision.close")


def test_the_office_returns_a_report_then_accepts_the_closing(measure) -> None:
    staff = a_member(measure.department)
    office = factories.person("office", "supervisor")
    first = report_submit(
        measure=measure,
        actor=staff,
        text="完成",
        reported_on=date(2023, 9, 1),
        requests_completion=True,
        attachments=[pdf()],
    )
    with pytest.raises(SupervisionRefused, match="请填写“审核意见”"):
        report_review(report=first, decision=RETURN, actor=office)
    report_review(report=first, decision=RETURN, actor=office, note="佐证材料不全")
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    with pytest.raises(SupervisionRefused, match="这份填报已审核（已退回）"):
        report_review(report=first, decision=ACCEPT, actor=office)
    second = report_submit(
        measure=measure,
        actor=staff,
        text="补充验收报告",
        reported_on=date(2023, 9, 5),
        requests_completion=True,
        attachments=[pdf()],
    )
    report_review(report=second, decision=ACCEPT, actor=office, note="同意办结")
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == ("done", date(2023, 9, 5))
    with pytest.raises(SupervisionRefused, match="本举措已办结"):
        report_submit(measure=measure, actor=staff, text="又报", reported_on=date(2023, 9, 6))
    actions = list(
        AuditEntry.objects.filter(action__startswith="supervision.").order_by("id").values_list("action", flat=True)
    )
    assert actions[-4:] == ["supervision.report", "supervision.review", "supervision.report", "supervision.close"]


# -- reminders ------------------------------------------------------------------------------------------


def test_reminders_are_issued_once_for_what_falls_due_and_what_is_overdue(setting) -> None:
    zone, economy, _ = setting
    today = timezone.localdate()
    current = Period(today.year, 1, 12)
    task = a_task(zone, economy, period=current, number=2)
    soon = today + timedelta(days=3)
    near = a_measure(
        task, economy, starts_on=date(today.year, 1, 1), deadline=max(soon, date(today.year, 1, 1)), title="临近"
    )
    statuses = task_statuses(zone=zone, period=current, on=today)
    issued = reminders_issue(tasks=statuses, today=today)
    kinds = set(Reminder.objects.filter(measure=near).values_list("kind", flat=True))
    assert "assigned" in kinds and ("due_soon" in kinds or "overdue" in kinds) and "report_due" in kinds
    assert issued >= 2
    assert reminders_issue(tasks=task_statuses(zone=zone, period=current, on=today), today=today) == 0
    assert AuditEntry.objects.filter(action="supervision.remind").count() == 1


def test_an_overdue_milestone_and_deadline_are_chased(setting) -> None:
    zone, economy, task = setting
    measure = a_measure(task, economy, deadline=date(2023, 8, 31), milestones=[(date(2023, 8, 10), "完成选址")])
    day = date(2023, 9, 4)
    reminders_issue(tasks=task_statuses(zone=zone, period=H2, on=day), today=day)
    chased = dict(Reminder.objects.filter(measure=measure, kind="overdue").values_list("due_on", "message"))
    assert chased == {
        date(2023, 8, 31): "到期催办：1.1 举措已超过完成时限（2023年8月31日），请抓紧办理并报送进展",
        date(2023, 8, 10): "到期催办：1.1 举措的节点“完成选址”已逾期（2023年8月10日）",
    }


def test_reminders_are_e_mailed_only_when_configured(setting, settings: Settings) -> None:
    zone, economy, task = setting
    staff = a_member(economy)
    staff.email = "qian@example.gov.cn"
    staff.save(update_fields=["email"])
    a_measure(task, economy, deadline=date(2023, 8, 31))
    day = date(2023, 8, 28)
    reminders_issue(tasks=task_statuses(zone=zone, period=H2, on=day), today=day)
    assert mail.outbox == []
    settings.YUANQU_SUPERVISION_EMAIL = True
    day = date(2023, 9, 2)
    reminders_issue(tasks=task_statuses(zone=zone, period=H2, on=day), today=day)
    # The deadline passed, and nothing was reported in September.
    assert sorted(message.body[:4] for message in mail.outbox) == ["到期催办", "填报提醒"]
    assert {tuple(message.to) for message in mail.outbox} == {("qian@example.gov.cn",)}
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_reminder_is_read_by_its_department_only(setting) -> None:
    _, economy, task = setting
    measure = a_measure(task, economy, deadline=date(2023, 8, 31))
    reminder = Reminder.objects.get(measure=measure)
    with pytest.raises(SupervisionRefused, match="只有经济发展局的人员可以处理这条提醒"):
        reminder_read(reminder=reminder, actor=factories.a_supervisor())
    staff = a_member(economy)
    reminder_read(reminder=reminder, actor=staff)
    reminder.refresh_from_db()
    assert reminder.read_at is not None and reminder.read_by == staff
