"""Small builders for chain tests: a zone, enterprises with monthly output, chains and nodes."""

from datetime import date
from decimal import Decimal

from tests.factories import city_with_districts, enterprise_code, source
from yuanqu.chains.models import Chain, ChainEnterprise, ChainNode, ChainTarget
from yuanqu.core.models import Department, Place
from yuanqu.indicators.importing import AMOUNT_FIELDS, EnterpriseRow
from yuanqu.indicators.models import Enterprise, EnterpriseField
from yuanqu.indicators.services import enterprise_rows_import


def a_zone(code: str = "zone") -> Place:
    _, (zone,) = city_with_districts(code)
    return zone


def output_rows(
    number: int,
    *,
    months: dict[int, list[str]],
    above_scale: bool = True,
    industry: str = "C3841",
    power_wan_kwh: str | None = None,
    scope_by_year: dict[int, bool] | None = None,
) -> list[EnterpriseRow]:
    """An enterprise's in-month 工业总产值 in 万元, by year: ``{2023: ["100", "100", "100"]}`` is Jan–Mar."""
    rows = []
    for year, values in months.items():
        for month, value in enumerate(values, start=1):
            amounts: dict[str, int | None] = dict.fromkeys(AMOUNT_FIELDS)
            amounts[EnterpriseField.INDUSTRIAL_OUTPUT] = int(Decimal(value) * 10_000)
            if power_wan_kwh is not None:
                amounts[EnterpriseField.ELECTRICITY] = int(Decimal(power_wan_kwh) * 10_000)
            scope = scope_by_year.get(year, above_scale) if scope_by_year else above_scale
            rows.append(
                EnterpriseRow(
                    row=0,
                    uscc=enterprise_code(number),
                    name=f"链上企业{number}",
                    year=year,
                    month=month,
                    above_scale=scope,
                    industry_code=industry,
                    amounts=amounts,
                )
            )
    return rows


def load(zone: Place, *groups: list[EnterpriseRow]) -> dict[int, Enterprise]:
    """Import the rows through the real import path (which keeps ScopeTotal); enterprises by number."""
    rows = [row for group in groups for row in group]
    enterprise_rows_import(rows=rows, zone=zone, file_name="测试数据")
    numbers = {row.uscc: int(row.name.removeprefix("链上企业")) for row in rows}
    return {numbers[e.uscc]: e for e in Enterprise.objects.filter(uscc__in=numbers)}


def a_chain(zone: Place, code: str, *, leader: object = None, target_yi: str | None = None, year: int = 2023) -> Chain:
    chain = Chain.objects.create(code=code, name=f"{code}链", zone=zone, leader=leader)  # type: ignore[misc]
    if target_yi is not None:
        ChainTarget.objects.create(chain=chain, year=year, value=Decimal(target_yi), source=source())
    return chain


def a_node(
    chain: Chain, name: str, *, segment: str = ChainNode.Segment.MIDSTREAM, parent: ChainNode | None = None
) -> ChainNode:
    return ChainNode.objects.create(chain=chain, name=name, segment=segment, parent=parent)


def place(node: ChainNode, enterprise: Enterprise, role: str = ChainEnterprise.Role.SUPPORTING) -> ChainEnterprise:
    return ChainEnterprise.objects.create(node=node, enterprise=enterprise, role=role, since=date(2022, 1, 1))


def a_department(zone: Place, code: str = "dept", name: str = "经济发展局") -> Department:
    return Department.objects.create(code=code, name=name, zone=zone)
