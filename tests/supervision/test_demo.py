"""The demo as `make run` loads it: the seed's seven tasks, every colour because of the data."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.supervision.factory import published
from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.projects.models import StartClaim
from yuanqu.projects.services import start_claim_confirm
from yuanqu.supervision.models import ColourChange, Measure, Task
from yuanqu.supervision.stages import KIND

SEED_TASKS = [
    "以强链补链为重点，在产业集群上再现新跨越",
    "以要素保障为抓手，在项目建设上涌现新突破",
    "以创新驱动为引擎，在科技自强上显现新优势",
    "以片区开发为核心，在产城融合上呈现新气象",
    "以改革攻坚为契机，在赋能发展上展现新作为",
    "以民生改善为根本，在增进福祉上体现新担当",
    "以安全稳定为底线，在社会治理上实现新提升",
]


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """The module's loaded demo zone."""


@pytest.fixture
def supervisor(demo: None) -> Client:
    return factories.signed_in(User.objects.get(username="supervisor"))


def measures_on_board(client: Client) -> dict[str, object]:
    board = client.get("/supervision/").context["board"]
    return {measure.code: measure for task in board.tasks for measure in task.measures}


def test_the_supervisor_sees_the_seeds_seven_tasks_with_three_to_six_measures_each(supervisor: Client) -> None:
    response = supervisor.get("/supervision/")
    assert response.status_code == 200
    tasks = response.context["board"].tasks
    assert [task.wording for task in tasks] == SEED_TASKS
    # The breakdown the office assigned (projects overdue at a stage come from the pipeline).
    assert all(3 <= sum(1 for m in task.measures if m.link_kind != KIND) <= 6 for task in tasks)
    assigned = Measure.objects.exclude(link_kind=KIND)
    assert assigned.filter(is_sample=True).count() == assigned.count() == 24
    assert not Measure.objects.filter(link_kind=KIND, is_sample=True).exists()


def test_every_colour_is_on_the_board_because_of_the_data(supervisor: Client) -> None:
    found = measures_on_board(supervisor)
    assert {measure.colour.value for measure in found.values()} == {"green", "blue", "yellow", "red"}
    # A chain's output behind 序时进度 (the chains engine: 27.9亿 of 100亿 in 1—6月 against 50%).
    # The chains' data end in June: compared with June's 序时进度, and said so.
    assert (found["1.2"].colour.value, found["1.2"].reason) == (
        "yellow",
        "落后序时进度22.1个百分点；关联数据截至2023年6月",
    )
    # Confirmed substantive starts short of the target: 30 of 43 at the half-year's end.
    assert found["2.1"].link_summary == "已认定实质性开工30个，目标43个，完成69.8%，序时进度100.0%"
    assert (found["2.1"].colour.value, found["2.1"].reason) == ("red", "落后序时进度30.2个百分点")
    # A milestone missed by a month.
    assert found["2.3"].colour.value == "red" and found["2.3"].reason.startswith("节点“完成3宗工业用地供地”逾期31天")
    # The 工业开票销售 target from the scorecard: 564.4 of 1180亿, due on the day shown.
    assert found["1.4"].link_summary == "完成47.8%，序时进度50.0%（2023年上半年）"
    assert (found["1.4"].colour.value, found["1.4"].reason) == (
        "blue",
        "今天到期（完成时限2023年12月31日）；关联数据截至2023年6月",
    )
    assert found["2.4"].colour.value == "green" and found["2.4"].reason == "已办结（2023年10月25日）"
    # The projects overdue at a stage on 2023-12-31 are measures of 项目建设 (注册: 120 days, red after 240).
    stage_items = [(m.code, m.colour.value) for m in found.values() if m.link_kind == KIND]
    assert stage_items == [("2.5", "red"), ("2.6", "red"), ("2.7", "yellow"), ("2.8", "yellow"), ("2.9", "yellow")]
    assert found["2.5"].reason == (
        "项目“宁通科技氢能装备项目”在注册阶段已超期212天（阶段时限120天，停留超过240天为严重超期）"
    )


def test_confirming_a_start_changes_the_colour_on_the_next_page_load_and_the_history_shows_it(
    supervisor: Client,
) -> None:
    assert measures_on_board(supervisor)["2.1"].colour.value == "red"
    claim = StartClaim.objects.get(status=StartClaim.Status.SUBMITTED, started_on__year=2023)
    start_claim_confirm(claim=claim, actor=User.objects.get(username="investment"))
    after = measures_on_board(supervisor)["2.1"]
    # 31 of 43 = 72.1%: 27.9 points behind, yellow.
    assert (after.colour.value, after.reason) == ("yellow", "落后序时进度27.9个百分点")
    measure = Measure.objects.get(pk=after.id)
    last = ColourChange.objects.filter(measure=measure).order_by("-recorded_at", "-id").first()
    assert last is not None and (last.previous, last.colour) == ("red", "yellow")
    page = supervisor.get(f"/supervision/measures/{measure.pk}/").content.decode()
    assert "落后序时进度27.9个百分点" in page
    # The project started has left 注册: its stage item (yellow) is closed, green.
    moved = measures_on_board(supervisor)["2.7"]
    assert (moved.colour.value, moved.reason) == (
        "green",
        "项目“东禾科技储能系统项目”已于2023年12月20日离开注册阶段，督办办结",
    )
    closed = ColourChange.objects.filter(measure_id=moved.id).order_by("-recorded_at", "-id").first()
    assert closed is not None and (closed.previous, closed.colour) == ("yellow", "green")


def test_the_history_holds_each_month_end_of_the_half_year(supervisor: Client) -> None:
    history = supervisor.get("/supervision/").context["history"]
    assert [point.on.isoformat() for point in history] == [
        "2023-07-31",
        "2023-08-31",
        "2023-09-30",
        "2023-10-31",
        "2023-11-30",
        "2023-12-31",
    ]
    # Every measure of the seven tasks, and the projects overdue at a stage by then.
    assert [point.recorded for point in history] == [26, 26, 26, 28, 29, 29]


def test_a_department_user_lands_on_their_tasks_with_reminders(demo: None) -> None:
    staff = factories.signed_in(User.objects.get(username="department"))
    assert staff.get("/")["Location"] == "/supervision/mine/"
    page = staff.get("/supervision/mine/")
    codes = [m.code for board in page.context["boards"] for t in board.tasks for m in t.measures]
    assert codes == ["1.1", "1.2", "1.4", "2.2", "2.6"]  # 2.6: a project of 经济发展局's credit
    assert page.context["unread"]


def test_each_leader_has_their_tasks(demo: None) -> None:
    leader = factories.signed_in(User.objects.get(username="leader"))
    shown = leader.get("/supervision/leader/").context["board"].tasks
    assert [task.number for task in shown] == [2, 7]
    assert Task.objects.filter(leader__username="vice-chen").count() == 2


def test_the_demos_invented_tasks_and_measures_are_tagged_sample_data(supervisor: Client) -> None:
    assert Task.objects.filter(is_sample=True).count() == Task.objects.count() == 7
    board = supervisor.get("/supervision/").content.decode()
    # Seven task headings and the 24 assigned measures; not the projects overdue at a stage.
    assert board.count('<span class="tag sample">示例数据</span>') == 7 + 24
    task = Task.objects.get(number=2)
    page = supervisor.get(f"/supervision/tasks/{task.pk}/").content.decode()
    assert page.count('<span class="tag sample">示例数据</span>') == 1 + 4
    measure = Measure.objects.get(task=task, number=1)
    assert (
        '<span class="tag sample">示例数据</span>'
        in supervisor.get(f"/supervision/measures/{measure.pk}/").content.decode()
    )
    stage_item = Measure.objects.get(task=task, number=5)
    assert "示例数据" not in supervisor.get(f"/supervision/measures/{stage_item.pk}/").content.decode()
    bulletin = supervisor.get("/supervision/bulletin/?month=2023-12").content.decode()
    assert "本通报中的部分任务和举措是演示用的示例数据" in bulletin


def test_publishing_a_month_of_the_linked_indicator_changes_the_colour_on_the_next_page_load(
    supervisor: Client,
) -> None:
    before = measures_on_board(supervisor)["1.4"]
    assert before.colour.value == "blue"
    # 工业开票销售 1—12月 = 1000亿 of the 1180亿 target: 84.7% against 12/12, 15.3 points behind.
    published(Place.objects.get(code="yz-etdz"), "industrial_invoiced_sales", Period(2023, 1, 12), "1000")
    after = measures_on_board(supervisor)["1.4"]
    assert after.link_summary == "完成84.7%，序时进度100.0%（2023年全年）"
    assert (after.colour.value, after.reason) == ("yellow", "落后序时进度15.3个百分点")
    last = ColourChange.objects.filter(measure_id=after.id).order_by("-recorded_at", "-id").first()
    assert last is not None
    assert (last.previous, last.colour, last.reason, last.status_on) == (
        "blue",
        "yellow",
        "落后序时进度15.3个百分点",
        date(2023, 12, 31),
    )
