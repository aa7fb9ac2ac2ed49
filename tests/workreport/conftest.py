from decimal import Decimal

import pytest

from yuanqu.indicators.importing import ObservationRow
from yuanqu.indicators.models import PriceBasis
from yuanqu.indicators.services import observation_rows_import
from yuanqu.periods import Period


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
