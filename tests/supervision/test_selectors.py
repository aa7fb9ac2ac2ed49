"""Colours computed from the data: reported progress, linked indicators, confirmed starts; history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.projects.factory import a_project, an_officer
from tests.supervision.factory import H2, YEAR, a_department, a_measure, a_member, a_task, a_zone, published
from yuanqu.core.models import AuditEntry
from yuanqu.periods import Period
from yuanqu.projects.models import Category, Stage
from yuanqu.projects.services import EvidenceItem, rules_ensure_defaults, start_claim_confirm, start_claim_submit
from yuanqu.supervision.models import ColourChange, Measure
from yuanqu.supervision.selectors import (
    BoardFilter,
    board,
    bulletin,
    colour_counts_over_time,
    default_period,
    task_statuses,
)
from yuanqu.supervision.services import ACCEPT, RETURN, colours_record, report_review, report_submit

pytestmark = pytest.mark.django_db
JUNE_END = date(2023, 6, 30)


@pytest.fixture
def zone():
    return a_zone()


def reported(measure: Measure, staff, pct: str, on: date, **fields):
    return report_submit(measure=measure, actor=staff, text="进展", reported_on=on, progress_pct=Decimal(pct), **fields)


def statuses_by_title(zone, period, on):
    return {m.title: m for task in task_statuses(zone=zone, period=period, on=on) for m in task.measures}


def test_reported_progress_against_time_progress_gives_each_colour_with_its_reason(zone) -> None:
    economy = a_department(zone)
    staff = a_member(economy)
    task = a_task(zone, economy, period=YEAR)
    end = date(2023, 12, 31)
    titles = {
        "落后10": "40",  # 序时进度 50% on 30 June: exactly 10 points behind, yellow
        "落后30": "20",  # exactly 30 points: yellow
        "落后30.1": "19.9",  # red
        "落后9.9": "40.1",  # green
    }
    for title, pct in titles.items():
        reported(a_measure(task, economy, deadline=end, title=title), staff, pct, date(2023, 6, 20))
    due_today = a_measure(task, economy, deadline=JUNE_END, title="今天到期")
    reported(due_today, staff, "95", date(2023, 6, 28))
    a_measure(task, economy, deadline=date(2023, 6, 29), title="已超期")
    late = a_measure(task, economy, deadline=end, title="节点逾期", milestones=[(date(2023, 6, 24), "完成选址")])
    reported(late, staff, "50", date(2023, 6, 25))

    found = statuses_by_title(zone, YEAR, JUNE_END)
    assert {title: (m.colour.value, m.reason) for title, m in found.items()} == {
        "落后10": ("yellow", "落后序时进度10.0个百分点"),
        "落后30": ("yellow", "落后序时进度30.0个百分点"),
        "落后30.1": ("red", "落后序时进度30.1个百分点"),
        "落后9.9": ("green", "正常推进，落后序时进度9.9个百分点（未达黄色预警线）"),
        "今天到期": ("blue", "今天到期（完成时限2023年6月30日）"),
        "已超期": ("red", "已超过完成时限1天（时限2023年6月29日）；尚未填报进度"),
        "节点逾期": ("yellow", "节点“完成选址”逾期6天未完成（节点时限2023年6月24日）"),
    }
    assert found["落后10"].expected_pct == Decimal(50) and found["落后10"].progress_pct == Decimal(40)


def test_a_returned_report_and_a_report_dated_after_the_day_do_not_count(zone) -> None:
    economy = a_department(zone)
    staff = a_member(economy)
    supervisor = factories.a_supervisor()
    measure = a_measure(a_task(zone, economy, period=YEAR), economy, deadline=date(2023, 12, 31))
    first = reported(measure, staff, "45", date(2023, 6, 10))
    claimed = reported(measure, staff, "80", date(2023, 6, 20))
    report_review(report=claimed, decision=RETURN, actor=supervisor, note="无佐证材料")
    reported(measure, staff, "90", date(2023, 7, 5))
    (status,) = task_statuses(zone=zone, period=YEAR, on=JUNE_END)[0].measures
    assert status.progress_pct == Decimal(45) and status.latest_report and status.latest_report.id == first.pk
    assert status.colour.value == "green"


def test_a_half_year_measure_at_the_end_of_july_is_one_sixth_through(zone) -> None:
    economy = a_department(zone)
    staff = a_member(economy)
    measure = a_measure(a_task(zone, economy), economy, deadline=date(2023, 12, 31))
    reported(measure, staff, "5", date(2023, 7, 28))
    (status,) = task_statuses(zone=zone, period=H2, on=date(2023, 7, 31))[0].measures
    # 序时进度 1/6 = 16.7%; 5% reported: 11.7 points behind, yellow.
    assert round(status.expected_pct, 1) == Decimal("16.7")
    assert status.behind_pp == Decimal("11.7")
    assert status.reason == "落后序时进度11.7个百分点"


def test_a_measure_closed_after_review_is_green_and_counts_as_done(zone) -> None:
    economy = a_department(zone)
    staff = a_member(economy)
    measure = a_measure(a_task(zone, economy), economy, deadline=date(2023, 9, 30))
    evidence = SimpleUploadedFile("验收.pdf", b"%PDF-1.4 ok")
    asked = report_submit(
        measure=measure,
        actor=staff,
        text="完成",
        reported_on=date(2023, 9, 20),
        requests_completion=True,
        attachments=[evidence],
    )
    report_review(report=asked, decision=ACCEPT, actor=factories.a_supervisor())
    (status,) = task_statuses(zone=zone, period=H2, on=date(2023, 12, 31))[0].measures
    assert (status.colour.value, status.reason, status.status) == ("green", "已办结（2023年9月20日）", "done")


# -- linked progress ------------------------------------------------------------------------------


def test_an_indicator_linked_measure_reads_the_scorecard_and_a_new_month_changes_its_colour(zone) -> None:
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1200), unit="亿元")
    published(zone, "industrial_invoiced_sales", Period(2023, 1, 6), "500")
    economy = a_department(zone)
    measure = a_measure(
        a_task(zone, economy),
        economy,
        deadline=date(2023, 12, 31),
        link="indicator",
        params={"indicator": "industrial_invoiced_sales", "year": 2023},
    )
    day = date(2023, 7, 31)
    (status,) = task_statuses(zone=zone, period=H2, on=day)[0].measures
    # 500 / 1200 = 41.7% against 6/12 = 50%: 8.3 points behind, green.
    assert (status.colour.value, status.behind_pp) == ("green", Decimal("8.3"))
    # Compared with the 序时进度 of June, the last month with data, not July's; the reason says so.
    assert status.reason == "正常推进，落后序时进度8.3个百分点（未达黄色预警线）；关联数据截至2023年6月"
    assert status.link_summary == "完成41.7%，序时进度50.0%（2023年上半年）"
    assert colours_record(tasks=task_statuses(zone=zone, period=H2, on=day), on=day) == 1

    published(zone, "industrial_invoiced_sales", Period(2023, 1, 7), "520")
    statuses = task_statuses(zone=zone, period=H2, on=day)
    (status,) = statuses[0].measures
    # 520 / 1200 = 43.3% against 7/12 = 58.3%: 15.0 points behind, yellow.
    assert (status.colour.value, status.reason) == ("yellow", "落后序时进度15.0个百分点")
    assert colours_record(tasks=statuses, on=day) == 1
    assert colours_record(tasks=task_statuses(zone=zone, period=H2, on=day), on=day) == 0  # no change: no write
    history = list(ColourChange.objects.filter(measure=measure).values_list("previous", "colour", "status_on"))
    assert history == [("", "green", day), ("green", "yellow", day)]
    measure.refresh_from_db()
    assert (measure.colour, measure.colour_reason) == ("yellow", "落后序时进度15.0个百分点")


def test_an_indicator_month_later_than_the_day_is_not_read(zone) -> None:
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1200), unit="亿元")
    published(zone, "industrial_invoiced_sales", Period(2023, 1, 6), "500")
    published(zone, "industrial_invoiced_sales", Period(2023, 1, 7), "520")
    economy = a_department(zone)
    a_measure(
        a_task(zone, economy, period=YEAR),
        economy,
        deadline=date(2023, 12, 31),
        link="indicator",
        params={"indicator": "industrial_invoiced_sales"},
    )
    (june,) = task_statuses(zone=zone, period=YEAR, on=date(2023, 6, 30))[0].measures
    assert june.link_summary == "完成41.7%，序时进度50.0%（2023年上半年）"
    (july,) = task_statuses(zone=zone, period=YEAR, on=date(2023, 7, 15))[0].measures
    assert july.link_summary == "完成43.3%，序时进度58.3%（2023年1—7月）"


def test_an_indicator_linked_measure_without_data_says_so_rather_than_on_track(zone) -> None:
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1200), unit="亿元")
    economy = a_department(zone)
    a_measure(
        a_task(zone, economy),
        economy,
        deadline=date(2023, 12, 31),
        link="indicator",
        params={"indicator": "industrial_invoiced_sales", "year": 2023},
    )
    (july,) = task_statuses(zone=zone, period=H2, on=date(2023, 7, 31))[0].measures
    assert (july.colour.value, july.behind_pp, july.reason) == ("green", None, "2023年尚无工业开票销售数据")
    (last,) = task_statuses(zone=zone, period=H2, on=date(2023, 12, 31))[0].measures
    assert (last.colour.value, last.reason) == (
        "blue",
        "今天到期（完成时限2023年12月31日）；2023年尚无工业开票销售数据",
    )


@pytest.fixture
def pipeline(zone):
    """Projects started in and around the second half of 2023, confirmed or only claimed."""
    rules_ensure_defaults(zone=zone)
    started = {Stage.SIGNED: date(2022, 5, 1), Stage.STARTED: date(2023, 7, 10)}
    a_project(zone, "P1", investment="5", reached=started, substantive_start_on=date(2023, 7, 10))
    a_project(zone, "P2", investment="0.5", reached=started, substantive_start_on=date(2023, 7, 20))  # under 1亿
    a_project(
        zone,
        "P3",
        investment="5",
        category=Category.MODERN_SERVICES,
        reached=started,
        substantive_start_on=date(2023, 7, 15),
    )
    a_project(zone, "P4", investment="5", reached=started, substantive_start_on=date(2023, 6, 20))  # before the window
    a_project(zone, "P6", investment="2", reached=started, substantive_start_on=date(2023, 8, 5))
    waiting = a_project(
        zone, "P5", investment="3", reached={Stage.SIGNED: date(2023, 2, 1), Stage.REGISTERED: date(2023, 9, 1)}
    )
    claimant = an_officer("claimant", "张招商")
    evidence = [
        EvidenceItem(item, reference="编号 1")
        for item in zone.start_requirements.filter(category=waiting.category, kind="document")
    ]
    claim = start_claim_submit(
        project=waiting,
        started_on=date(2023, 9, 20),
        evidence=evidence,
        completed_investment_pct=Decimal(20),
        actor=claimant,
    )
    return claim


def test_a_project_count_counts_confirmed_substantive_starts_only(zone, pipeline) -> None:
    investment = a_department(zone, "investment", "招商局")
    measure = a_measure(
        a_task(zone, investment),
        investment,
        deadline=date(2023, 12, 31),
        target_value="5",
        link="projects",
        params={"category": Category.ADVANCED_MANUFACTURING, "min_investment_yi": "1"},
    )
    day = date(2023, 9, 30)
    (status,) = task_statuses(zone=zone, period=H2, on=day)[0].measures
    # P1 and P6 only (P2 under 1亿, P3 services, P4 before July, P5 claimed but not confirmed):
    # 2 of 5 = 40% against 3/6 = 50%: exactly 10 points behind, yellow.
    assert status.link_summary == "已认定实质性开工2个，目标5个，完成40.0%，序时进度50.0%"
    assert (status.colour.value, status.reason) == ("yellow", "落后序时进度10.0个百分点")
    assert colours_record(tasks=task_statuses(zone=zone, period=H2, on=day), on=day) == 1

    start_claim_confirm(claim=pipeline, actor=an_officer("reviewer", "李招商"))
    statuses = task_statuses(zone=zone, period=H2, on=day)
    (status,) = statuses[0].measures
    # 3 of 5 = 60%: 10 points ahead, green.
    assert status.link_summary == "已认定实质性开工3个，目标5个，完成60.0%，序时进度50.0%"
    assert status.colour.value == "green"
    colours_record(tasks=statuses, on=day)
    assert list(ColourChange.objects.filter(measure=measure).values_list("colour", flat=True)) == ["yellow", "green"]
    assert AuditEntry.objects.filter(action="supervision.colour").count() == 2


def test_a_project_count_up_to_a_date_counts_the_starts_until_then(zone, pipeline) -> None:
    investment = a_department(zone, "investment", "招商局")
    a_measure(
        a_task(zone, investment), investment, deadline=date(2023, 12, 31), target_value="5", link="projects", params={}
    )
    (status,) = task_statuses(zone=zone, period=H2, on=date(2023, 7, 31))[0].measures
    # Every category and size from 1 July: P1, P2, P3 by the end of July.
    assert status.link_summary.startswith("已认定实质性开工3个，目标5个，完成60.0%")


# -- the board, its history and the bulletin ---------------------------------------------------------


def test_the_board_narrows_by_leader_department_colour_and_words(zone) -> None:
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    chen = factories.person("chen", "leadership")
    first = a_task(zone, economy, leader=chen)
    second = a_task(zone, investment, number=2, area="产业集群", outcome="在产业集群上再现新跨越")
    a_measure(first, economy, deadline=date(2023, 12, 31), title="用地报批")
    outreach = a_measure(second, investment, deadline=date(2023, 8, 1), title="专题招商")
    # 28 July: 序时进度 (28/31) / (1 + 1/31) = 87.5%; 90% reported, due in 4 days: blue.
    reported(outreach, a_member(investment, "outreach"), "90", date(2023, 7, 27))
    day = date(2023, 7, 28)
    assert [t.number for t in board(zone=zone, period=H2, on=day, choice=BoardFilter(leader_id=chen.pk)).tasks] == [1]
    by_department = board(zone=zone, period=H2, on=day, choice=BoardFilter(department_ids={investment.pk}))
    assert [m.title for t in by_department.tasks for m in t.measures] == ["专题招商"]
    blue = board(zone=zone, period=H2, on=day, choice=BoardFilter(colour="blue"))
    assert [m.title for t in blue.tasks for m in t.measures] == ["专题招商"]  # due in 4 days
    assert [t.number for t in board(zone=zone, period=H2, on=day, choice=BoardFilter(query="产业集群")).tasks] == [2]
    # 用地报批 has no report: 15.1 points behind (0.9032 of 6 months), yellow.
    assert board(zone=zone, period=H2, on=day).counts() == {"red": 0, "yellow": 1, "blue": 1, "green": 0}


def test_colour_counts_over_time_follow_the_recorded_history(zone) -> None:
    economy = a_department(zone)
    staff = a_member(economy)
    measure = a_measure(a_task(zone, economy), economy, deadline=date(2023, 12, 31))
    for day in (date(2023, 7, 31), date(2023, 8, 31)):
        colours_record(tasks=task_statuses(zone=zone, period=H2, on=day), on=day)
    reported(measure, staff, "50", date(2023, 9, 10))
    colours_record(tasks=task_statuses(zone=zone, period=H2, on=date(2023, 9, 30)), on=date(2023, 9, 30))
    points = colour_counts_over_time(zone=zone, period=H2, until=date(2023, 10, 15))
    assert [(p.on, p.counts["yellow"], p.counts["red"], p.counts["green"]) for p in points] == [
        (date(2023, 7, 31), 1, 0, 0),  # 16.7 points behind with no report
        (date(2023, 8, 31), 0, 1, 0),  # 33.3 points behind
        (date(2023, 9, 30), 0, 0, 1),  # 50% reported at 50%
        (date(2023, 10, 15), 0, 0, 1),
    ]


def test_the_period_shown_by_default_is_the_one_with_today_or_the_latest(zone) -> None:
    economy = a_department(zone)
    a_task(zone, economy)
    today = timezone.localdate()
    assert default_period(zone, today=date(2023, 8, 1)) == H2
    current = Period(today.year, 1, 12)
    a_task(zone, economy, period=current)
    assert default_period(zone, today=today) == current
    assert default_period(zone, today=date(2023, 8, 1)) == H2


def test_the_bulletin_counts_colours_and_lists_the_red_yellow_and_closed_items(zone) -> None:
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    staff = a_member(economy)
    task = a_task(zone, economy)
    a_measure(task, investment, deadline=date(2023, 7, 20), title="超期举措")  # red: 11 days overdue
    behind = a_measure(task, economy, deadline=date(2023, 12, 31), title="滞后举措")
    reported(behind, staff, "5", date(2023, 7, 25))  # yellow: 11.7 points behind
    closed = a_measure(task, economy, deadline=date(2023, 7, 30), title="办结举措")
    asked = report_submit(
        measure=closed,
        actor=staff,
        text="完成",
        reported_on=date(2023, 7, 26),
        requests_completion=True,
        attachments=[SimpleUploadedFile("验收.pdf", b"%PDF-1.4")],
    )
    report_review(report=asked, decision=ACCEPT, actor=factories.a_supervisor())
    result = bulletin(zone=zone, year=2023, month=7, today=date(2023, 12, 1))
    assert result.on == date(2023, 7, 31)
    assert result.counts == {"red": 1, "yellow": 1, "blue": 0, "green": 1}
    assert [(item.code, item.department, item.reason) for item in result.red] == [
        ("1.1", "招商局", "已超过完成时限11天（时限2023年7月20日）；尚未填报进度")
    ]
    assert [item.title for item in result.yellow] == ["滞后举措"]
    assert [(item.title, item.completed_on) for item in result.completed] == [("办结举措", date(2023, 7, 26))]
    assert bulletin(zone=zone, year=2023, month=8, today=date(2023, 12, 1)).completed == []
