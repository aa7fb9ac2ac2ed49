from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from yuanqu.core.models import Place
from yuanqu.indicators.importing import ObservationRow
from yuanqu.indicators.models import PriceBasis
from yuanqu.indicators.services import observation_rows_import
from yuanqu.periods import Period

if TYPE_CHECKING:
    from yuanqu.supervision.models import Measure


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """The demo zone, loaded once per module (each test in its own savepoint)."""


def revise_gdp_growth(growth: str) -> None:
    """The statistics bureau revises 2023 上半年 GDP growth (快报 → 定报): a new observation, the old one closed."""
    observation_rows_import(
        rows=[
            ObservationRow(
                row=2,
                indicator_code="gdp",
                place_code="yz-etdz",
                period=Period(2023, 1, 6),
                value=Decimal("375.3"),
                unit="亿元",
                growth_pct=Decimal(growth),
                price_basis=PriceBasis.REAL,
                vintage="final",
                source_title="2023年上半年地区生产总值（定报）",
                is_sample=False,
                note="",
            )
        ],
        file_name="定报.xlsx",
    )


def _measure_1_1() -> "Measure":
    from yuanqu.supervision.models import Measure

    return Measure.objects.select_related("task", "department").get(task__period="2023-07~12", task__number=1, number=1)


def change_measures(zone: Place) -> tuple[int, str]:
    """Measure 1.1 moved from 经济发展局 to 招商局 and brought forward from 2023-12-31 to 2023-12-01, and a
    measure 1.N added to task 1 (its audit row is the data change the report's cache sees)."""
    from yuanqu.supervision.models import Department, Measure
    from yuanqu.supervision.services import measure_assign

    measure = _measure_1_1()
    assert (measure.department.name, measure.deadline) == ("经济发展局", date(2023, 12, 31))
    other = Department.objects.get(zone=zone, name="招商局")
    Measure.objects.filter(pk=measure.pk).update(department=other, deadline=date(2023, 12, 1))
    added = measure_assign(
        task=measure.task, title="新增测试举措", department=other, deadline=date(2023, 11, 30), actor=None
    )
    return measure.pk, added.code
