"""Small builders for the supervision tests: a zone with departments, tasks, measures, staff."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from tests import factories
from yuanqu.core.models import Department, Place
from yuanqu.indicators.importing import ObservationRow
from yuanqu.indicators.models import Observation, PriceBasis
from yuanqu.indicators.services import observation_rows_import
from yuanqu.periods import Period
from yuanqu.supervision.models import Measure, Task
from yuanqu.supervision.services import MilestoneInput, measure_assign, task_create

H2 = Period(2023, 7, 12)
YEAR = Period(2023, 1, 12)


def a_zone(code: str = "zone") -> Place:
    return Place.objects.create(code=code, name="测试开发区", short_name="测试区", level=Place.Level.ZONE)


def a_department(zone: Place, code: str = "economy", name: str = "经济发展局") -> Department:
    return Department.objects.create(code=code, name=name, zone=zone)


def a_member(department: Department, username: str = "staff", name: str = "钱经发") -> User:
    user = factories.person(username, "department_staff")
    user.first_name = name
    user.save(update_fields=["first_name"])
    department.members.add(user)
    return user


def a_leader(username: str = "vice", name: str = "陈副主任") -> User:
    user = factories.person(username, "leadership")
    user.first_name = name
    user.save(update_fields=["first_name"])
    return user


def a_task(
    zone: Place,
    department: Department,
    *,
    period: Period = H2,
    number: int = 1,
    leader: User | None = None,
    **fields: Any,
) -> Task:
    return task_create(
        zone=zone,
        period=period,
        number=number,
        area=fields.pop("area", "项目建设"),
        lever=fields.pop("lever", "以要素保障为抓手"),
        outcome=fields.pop("outcome", "在项目建设上涌现新突破"),
        lead_department=department,
        leader=leader,
        **fields,
    )


def a_measure(
    task: Task,
    department: Department,
    *,
    deadline: date,
    starts_on: date | None = None,
    title: str = "举措",
    milestones: list[tuple[date, str]] | None = None,
    target_value: str | None = None,
    link: str = "",
    params: dict[str, Any] | None = None,
) -> Measure:
    return measure_assign(
        task=task,
        title=title,
        department=department,
        deadline=deadline,
        starts_on=starts_on,
        target_value=Decimal(target_value) if target_value is not None else None,
        link=link,
        link_params=params,
        milestones=[MilestoneInput(name, day) for day, name in milestones or []],
    )


def published(zone: Place, indicator: str, period: Period, value: str) -> None:
    """A figure as the statistics bureau publishes it, through the import service (with its audit row)."""
    row = ObservationRow(
        row=1,
        indicator_code=indicator,
        place_code=zone.code,
        period=period,
        value=Decimal(value),
        unit="亿元",
        growth_pct=None,
        price_basis=PriceBasis.NOMINAL,
        vintage=Observation.Vintage.FLASH,
        source_title="测试发布",
        is_sample=False,
        note="",
        locator="",
    )
    observation_rows_import(rows=[row], file_name="测试发布")
