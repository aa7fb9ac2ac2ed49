"""Projects overdue at a stage are measures of the task that tracks project stages (项目建设).

The zone has the default stage limits: 签约 90 days (red after 180). On 2023-12-31, the status
date of 2023's second half, 华扬动力电池项目 has been 签约 since 2023-03-01 (305 days: 215 past
the limit, red), 宁通氢能项目 since 2023-08-15 (138 days: 48 past it, yellow) and 嘉禾充电桩项目
since 2023-12-01 (30 days, within it: not a measure).
"""

from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tests.projects.factory import a_project
from tests.supervision.factory import a_department, a_measure, a_member, a_task
from yuanqu.core.models import AuditEntry, Place
from yuanqu.projects.models import ProjectCredit, Stage
from yuanqu.projects.services import project_advance_stage, rules_ensure_defaults
from yuanqu.supervision.colours import Colour, Rule, StageFacts, Thresholds, stage_colour
from yuanqu.supervision.models import ColourChange, Measure, Reminder
from yuanqu.supervision.services import SupervisionRefused, report_submit
from yuanqu.supervision.stages import KIND

RED_REASON = "项目“华扬动力电池项目”在签约阶段已超期215天（阶段时限90天，停留超过180天为严重超期）"
YELLOW_REASON = "项目“宁通氢能项目”在签约阶段已超期48天（阶段时限90天）"


def test_the_stage_rule_at_its_boundaries() -> None:
    limits = Thresholds()  # blue within 7 days
    since = date(2023, 1, 1)
    facts = StageFacts(since=since, limit_days=90, red_days=180)

    def on_day(days: int) -> tuple[Colour, Rule, int | None]:
        verdict = stage_colour(facts, date.fromordinal(since.toordinal() + days), limits)
        return verdict.colour, verdict.rule, verdict.days

    assert on_day(82) == (Colour.GREEN, Rule.STAGE_WITHIN, 82)
    assert on_day(83) == (Colour.BLUE, Rule.STAGE_NEAR, 7)
    assert on_day(90) == (Colour.BLUE, Rule.STAGE_NEAR, 0)  # the limit's last day
    assert on_day(91) == (Colour.YELLOW, Rule.STAGE_OVERDUE, 1)
    assert on_day(180) == (Colour.YELLOW, Rule.STAGE_OVERDUE, 90)
    assert on_day(181) == (Colour.RED, Rule.STAGE_FAR_OVERDUE, 91)
    moved = StageFacts(since=since, limit_days=90, red_days=180, done_on=date(2023, 8, 1))
    assert stage_colour(moved, date(2023, 7, 31), limits).colour == Colour.RED
    assert stage_colour(moved, date(2023, 8, 1), limits).rule == Rule.DONE


@pytest.fixture
def zone(db: None) -> Place:
    zone = Place.objects.create(
        code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE
    )
    rules_ensure_defaults(zone=zone)
    return zone


@pytest.fixture
def world(zone: Place) -> dict[str, object]:
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    task = a_task(zone, economy, tracks_project_stages=True)
    land = a_measure(task, economy, deadline=date(2023, 12, 31), title="用地报批")
    # 95% reported, due on the day shown: blue.
    report_submit(measure=land, actor=a_member(economy), text="供地", reported_on=date(2023, 12, 20),
                  progress_pct=Decimal(95))  # fmt: skip
    late = a_project(zone, "P-01", name="华扬动力电池项目", reached={Stage.SIGNED: date(2023, 3, 1)})
    ProjectCredit.objects.create(project=late, department=investment, share_pct=Decimal(100))
    a_project(zone, "P-02", name="宁通氢能项目", reached={Stage.SIGNED: date(2023, 8, 15)})
    a_project(zone, "P-03", name="嘉禾充电桩项目", reached={Stage.SIGNED: date(2023, 12, 1)})
    return {"task": task, "late": late, "investment": investment, "economy": economy}


def test_projects_overdue_at_a_stage_are_measures_of_the_task_coloured_and_counted(world) -> None:
    supervisor = factories.signed_in(factories.a_supervisor())
    response = supervisor.get("/supervision/")
    assert response.status_code == 200
    (task,) = response.context["board"].tasks
    rows = [(m.code, m.title, m.department, m.colour.value, m.reason) for m in task.measures]
    assert rows[1:] == [
        ("1.2", "项目“华扬动力电池项目”（P-01）签约阶段超过时限", "招商局", "red", RED_REASON),
        # No credit: the task's lead department answers for it.
        ("1.3", "项目“宁通氢能项目”（P-02）签约阶段超过时限", "经济发展局", "yellow", YELLOW_REASON),
    ]
    assert task.colour.value == "red" and task.reason == f"1.2 {RED_REASON}"
    assert {row["code"]: row["count"] for row in response.context["count_rows"]} == {
        "red": 1,
        "yellow": 1,
        "blue": 1,
        "green": 0,
    }
    assert RED_REASON in response.content.decode()
    # Recorded in the history as any measure is, and told to the department once.
    assert ColourChange.objects.filter(measure__link_kind=KIND).count() == 2
    reminder = Reminder.objects.get(measure__title__startswith="项目“华扬", kind=Reminder.Kind.OVERDUE)
    assert reminder.department == world["investment"]
    assert AuditEntry.objects.filter(action="supervision.stage_items").count() == 1
    supervisor.get("/supervision/")
    assert Measure.objects.filter(link_kind=KIND).count() == 2
    assert AuditEntry.objects.filter(action="supervision.stage_items").count() == 1

    item = Measure.objects.get(link_kind=KIND, number=2)
    for url in (f"/supervision/measures/{item.pk}/", f"/supervision/tasks/{world['task'].pk}/"):
        page = supervisor.get(url)
        assert page.status_code == 200 and RED_REASON in page.content.decode(), url
    api = supervisor.get(f"/api/v1/supervision/tasks/{world['task'].pk}").json()
    assert [(m["code"], m["colour"]) for m in api["measures"]][1:] == [("1.2", "red"), ("1.3", "yellow")]

    bulletin = supervisor.get("/supervision/bulletin/?month=2023-12").content.decode()
    assert "红色（严重滞后或超期）1项" in bulletin and "黄色（滞后）1项" in bulletin
    assert f"1.2 项目“华扬动力电池项目”（P-01）签约阶段超过时限（责任部门：招商局）。{RED_REASON}。" in bulletin


def test_a_project_that_moves_on_leaves_the_red_list_and_the_history_shows_it(world, zone) -> None:
    supervisor = factories.signed_in(factories.a_supervisor())
    supervisor.get("/supervision/")
    project_advance_stage(project=world["late"], to_stage=Stage.REGISTERED, on=date(2023, 12, 20))
    measures = {m.code: m for m in supervisor.get("/supervision/").context["board"].tasks[0].measures}
    moved = measures["1.2"]
    assert (moved.colour.value, moved.reason) == (
        "green",
        "项目“华扬动力电池项目”已于2023年12月20日离开签约阶段，督办办结",
    )
    # 注册 since 12-20: 11 days of its 120, not overdue.
    assert sorted(measures) == ["1.1", "1.2", "1.3"]
    last = ColourChange.objects.filter(measure_id=moved.id).order_by("-id").first()
    assert last is not None and (last.previous, last.colour) == ("red", "green")
    bulletin = supervisor.get("/supervision/bulletin/?month=2023-12").content.decode()
    assert (
        "红色（严重滞后或超期）0项" in bulletin
        and "1.2 项目“华扬动力电池项目”（P-01）签约阶段超过时限（招商局，2023年12月20日办结）" in bulletin
    )
    # Earlier in the month it was still red.
    early = supervisor.get("/supervision/?date=2023-12-10").context["board"].tasks[0].measures
    assert early[1].reason == "项目“华扬动力电池项目”在签约阶段已超期194天（阶段时限90天，停留超过180天为严重超期）"


def test_a_department_cannot_ask_to_close_a_project_stage_item(world) -> None:
    supervisor = factories.signed_in(factories.a_supervisor())
    supervisor.get("/supervision/")
    item = Measure.objects.get(link_kind=KIND, number=2)
    staff = factories.person("invest-staff", "department_staff")
    world["investment"].members.add(staff)
    with pytest.raises(SupervisionRefused, match="自动办结"):
        report_submit(measure=item, actor=staff, text="已注册", requests_completion=True, attachments=[])


def test_a_long_project_name_is_shortened_so_the_measure_and_its_reminder_fit(zone: Place) -> None:
    economy = a_department(zone)
    task = a_task(zone, economy, tracks_project_stages=True)
    name = "扬州经开区" * 40  # 200 characters, the longest name a project may have
    a_project(zone, "P-LONG", name=name, reached={Stage.SIGNED: date(2023, 3, 1)})
    response = factories.signed_in(factories.a_supervisor()).get("/supervision/")
    assert response.status_code == 200
    measure = Measure.objects.get(task=task, link_kind=KIND)
    assert len(measure.title) == 200 and measure.title.endswith("…”（P-LONG）签约阶段超过时限")
    assert measure.title.startswith("项目“扬州经开区扬州经开区")
    reminder = Reminder.objects.get(measure=measure)
    assert len(reminder.message) <= 300 and name[:100] in reminder.message
