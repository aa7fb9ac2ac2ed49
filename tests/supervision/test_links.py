"""The link registry: chains' outputs and programme tasks, and the service centre once installed."""

import sys
import types
from datetime import date
from decimal import Decimal

import pytest

from tests.chains.factories import a_chain, a_node, load, output_rows, place
from tests.chains.factories import a_zone as a_chain_zone
from tests.supervision.factory import H2, a_department, a_measure, a_task
from yuanqu.chains.models import ChainProgramme, Programme, ProgrammeTask
from yuanqu.periods import Period
from yuanqu.supervision.links import available_kinds
from yuanqu.supervision.selectors import task_statuses
from yuanqu.supervision.services import SupervisionRefused, measure_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return a_chain_zone()


def only_measure(zone, on):
    (measure,) = task_statuses(zone=zone, period=H2, on=on)[0].measures
    return measure


def test_a_chain_output_measure_reads_the_chains_engine(zone) -> None:
    chain = a_chain(zone, "light", target_yi="100")
    node = a_node(chain, "家具")
    # 5亿元 (50,000万元) a month from January to June 2023: 30亿 of 100亿 against 6/12.
    enterprises = load(zone, output_rows(1, months={2022: ["40000"] * 6, 2023: ["50000"] * 6}))
    place(node, enterprises[1])
    economy = a_department(zone)
    a_measure(
        a_task(zone, economy),
        economy,
        deadline=date(2023, 12, 31),
        link="chain_output",
        params={"chain": "light", "year": 2023},
    )
    measure = only_measure(zone, date(2023, 7, 31))
    assert measure.link_label == "light链产业链 2023年产值目标"
    assert measure.link_summary == "完成30.0%，序时进度50.0%（2023年上半年）"
    # The data end in June, before the date's month: the reason says so.
    assert (measure.colour.value, measure.reason) == ("yellow", "落后序时进度20.0个百分点；关联数据截至2023年6月")
    assert only_measure(zone, date(2023, 6, 30)).reason == "落后序时进度20.0个百分点"


def test_a_chain_without_a_target_for_the_year_cannot_be_linked(zone) -> None:
    a_chain(zone, "light", target_yi="100", year=2022)
    economy = a_department(zone)
    with pytest.raises(SupervisionRefused, match="关联数据：产业链“light链”没有2023年的产值目标，不能关联"):
        a_measure(
            a_task(zone, economy), economy, deadline=date(2023, 12, 31), link="chain_output", params={"chain": "light"}
        )
    with pytest.raises(SupervisionRefused, match="未找到产业链“heavy”"):
        a_measure(
            a_task(zone, economy, number=2),
            economy,
            deadline=date(2023, 12, 31),
            link="chain_output",
            params={"chain": "heavy"},
        )


def test_a_programme_task_measure_takes_the_progress_its_chain_office_keeps(zone) -> None:
    chain = a_chain(zone, "light")
    programme = ChainProgramme.objects.create(chain=chain, kind=Programme.DIGITAL, year=2023)
    task = ProgrammeTask.objects.create(
        programme=programme,
        title="智改数转诊断20家",
        starts_on=date(2023, 1, 1),
        deadline=date(2023, 12, 31),
        progress_pct=40,
    )
    economy = a_department(zone)
    a_measure(a_task(zone, economy), economy, deadline=date(2023, 12, 31), link="chain_task", params={"task": task.pk})
    # 30 September: 3 of 6 months, 50%; the chain office says 40%: 10 points behind.
    measure = only_measure(zone, date(2023, 9, 30))
    assert measure.link_label == "light链·智改数转：智改数转诊断20家"
    assert (measure.colour.value, measure.reason) == ("yellow", "落后序时进度10.0个百分点")
    task.progress_pct = 80
    task.save(update_fields=["progress_pct"])
    assert only_measure(zone, date(2023, 9, 30)).colour.value == "green"


@pytest.fixture
def service_centre(monkeypatch: pytest.MonkeyPatch):
    """A stand-in for the service-centre module: 综合窗口受理占比 of 72% in any period."""
    asked: list[tuple[str, str]] = []

    def centre_measure(zone, code, period: Period) -> Decimal | None:
        asked.append((code, period.code))
        return Decimal(72) if code == "window_share" else None

    package = types.ModuleType("yuanqu.service")
    module = types.ModuleType("yuanqu.service.selectors")
    module.centre_measure = centre_measure  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "yuanqu.service", package)
    monkeypatch.setitem(sys.modules, "yuanqu.service.selectors", module)
    return asked


def test_the_service_centre_kind_is_offered_once_the_module_is_installed(zone, service_centre) -> None:
    assert "service" in [kind.code for kind in available_kinds()]
    economy = a_department(zone)
    task = a_task(zone, economy)
    with pytest.raises(SupervisionRefused, match="须填写目标数"):
        measure_assign(
            task=task,
            title="综合窗口",
            department=economy,
            deadline=date(2023, 12, 31),
            link="service",
            link_params={"code": "x"},
        )
    measure_assign(
        task=task,
        title="综合窗口受理占比达到90%",
        department=economy,
        deadline=date(2023, 12, 31),
        target_value=Decimal(90),
        link="service",
        link_params={"code": "window_share"},
    )
    measure = only_measure(zone, date(2023, 8, 31))
    # 72 of 90: 80% of the level to reach, 20 points short: yellow.
    assert measure.link_summary == "2023年1—8月为72.0%，目标90%"
    assert (measure.colour.value, measure.reason) == ("yellow", "距目标还差20.0个百分点")
    assert service_centre == [("window_share", "2023-01~08")]


def test_without_the_service_centre_its_kind_is_not_offered(zone, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yuanqu.service.selectors", None)  # as if the app were not installed
    assert "service" not in [kind.code for kind in available_kinds()]


def test_a_measure_linked_to_the_real_centre_reads_its_share_of_comprehensive_windows(zone) -> None:
    from yuanqu.service.selectors import centre_measure

    economy = a_department(zone)
    with pytest.raises(SupervisionRefused, match="指标代码“window_share”无效"):
        measure_assign(
            task=a_task(zone, economy),
            title="综合窗口",
            department=economy,
            deadline=date(2023, 12, 31),
            target_value=Decimal(90),
            link="service",
            link_params={"code": "window_share"},
        )
    assert centre_measure(zone, "any_window_share", Period(2023, 1, 8)) is None  # no cases in this zone
