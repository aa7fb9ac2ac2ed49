"""The demo zone: 扬州 with its districts and the 扬州经济技术开发区 (yz-etdz).

The ETDZ's figures are those its 2023 half-year report published (the seed article).
Peers' figures and annual targets are invented for the demo and stored as 示例数据.
Enterprise rows are generated deterministically so that their same-scope aggregate is
exactly the published 工业开票销售 564.4亿元, +7.4%.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from yuanqu import uscc
from yuanqu.core.models import Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.importing import AMOUNT_FIELDS, EnterpriseRow, ObservationRow
from yuanqu.indicators.models import (
    Enterprise,
    EnterpriseField,
    Indicator,
    NewProduction,
    Observation,
    PriceBasis,
    Target,
)
from yuanqu.indicators.services import enterprise_rows_import, new_production_mark, observation_rows_import
from yuanqu.periods import Period

ZONE = "yz-etdz"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED_TITLE = "扬州经开区2023年上半年“成绩单”（经开区工委第四次扩大会议报道）"
SEED_PUBLISHED = datetime(2023, 7, 1, 18, 0, tzinfo=SHANGHAI)
SAMPLE_TITLE = "示例数据（演示用，非公开发布数据）"

PLACES = [
    # code, name, short name, level, parent, division code
    ("js", "江苏省", "江苏", Place.Level.PROVINCE, None, "320000"),
    ("yz", "扬州市", "扬州", Place.Level.CITY, "js", "321000"),
    ("yz-guangling", "广陵区", "广陵区", Place.Level.DISTRICT, "yz", "321002"),
    ("yz-hanjiang", "邗江区", "邗江区", Place.Level.DISTRICT, "yz", "321003"),
    ("yz-jiangdu", "江都区", "江都区", Place.Level.DISTRICT, "yz", "321012"),
    ("yz-baoying", "宝应县", "宝应县", Place.Level.DISTRICT, "yz", "321023"),
    ("yz-yizheng", "仪征市", "仪征市", Place.Level.DISTRICT, "yz", "321081"),
    ("yz-gaoyou", "高邮市", "高邮市", Place.Level.DISTRICT, "yz", "321084"),
    (ZONE, "扬州经济技术开发区", "扬州经开区", Place.Level.ZONE, "yz", ""),
    ("yz-shouxihu", "蜀冈—瘦西湖风景名胜区", "蜀冈—瘦西湖", Place.Level.ZONE, "yz", ""),
    ("yz-ecocity", "扬州市生态科技新城", "生态科技新城", Place.Level.ZONE, "yz", ""),
]

H1_2023 = Period(2023, 1, 6)
# (indicator, value in 亿元 or None, growth %, price basis) as the seed's paragraph 2 states them.
SEED_FIGURES = [
    ("gdp", "375.3", "8.3", PriceBasis.REAL),
    ("industrial_value_added", None, "11.5", PriceBasis.REAL),
    ("industrial_invoiced_sales", "564.4", "7.4", PriceBasis.NOMINAL),
    ("fixed_asset_investment", "121.8", "15.1", PriceBasis.NOMINAL),
    ("retail_sales", "59.6", "14.2", PriceBasis.NOMINAL),
    ("trade_total", "142.3", "12.6", PriceBasis.NOMINAL),
]
PEER_ORDER = [
    "yz-guangling", "yz-hanjiang", "yz-jiangdu", "yz-baoying",
    "yz-yizheng", "yz-gaoyou", "yz-shouxihu", "yz-ecocity",
]  # fmt: skip
PEER_GROWTH = {
    "gdp": ["6.9", "7.6", "8.6", "7.2", "6.5", "7.9", "5.8", "8.0"],
    "industrial_value_added": ["8.1", "10.6", "11.8", "9.5", "7.7", "10.1", "4.2", "9.0"],
    "industrial_invoiced_sales": ["5.2", "6.8", "7.9", "6.1", "8.2", "7.0", "3.1", "6.6"],
    "fixed_asset_investment": ["9.8", "12.4", "11.7", "10.9", "8.6", "13.2", "6.4", "14.0"],
    "retail_sales": ["11.3", "12.8", "10.6", "9.9", "10.2", "10.8", "15.6", "12.1"],
    "trade_total": ["3.4", "8.8", "10.2", "-2.1", "6.7", "5.5", "-4.3", "9.1"],
}
PEER_PRICE_BASIS = {code: basis for code, _, _, basis in SEED_FIGURES}
# Earlier levels of the ETDZ (示例数据) that the goals and nominal growth need.
SAMPLE_LEVELS = [
    ("gdp", Period(2022, 1, 12), "722.5"),
    ("gdp", Period(2022, 1, 6), "346.1"),
    ("fiscal_capacity", Period(2022, 1, 12), "62.4"),
]
SAMPLE_ANNUAL_TARGETS = [
    # indicator, value (亿元) or None, growth % or None
    ("gdp", None, "8.0"),
    ("industrial_value_added", None, "10.0"),
    ("industrial_invoiced_sales", "1180", None),
    ("fixed_asset_investment", "250", None),
    ("retail_sales", "118", None),
    ("trade_total", "280", None),
]
# Paragraph 6: 2023 scale targets of the leading chains (output, 亿元).
CHAIN_TARGETS = [
    ("新能源（含基础能源）", "600"),
    ("高端汽车零部件", "200"),
    ("新光电", "100"),
    ("高档轻工", "100"),
    ("高端智能制造", "100"),
]
# Paragraph 7: the 2025 "双千亿过百亿" goals.
GOALS_2025 = [
    ("industrial_invoiced_sales", "2000", "超"),
    ("industrial_output", "2000", "超"),
    ("gdp", "1000", "超"),
    ("fiscal_capacity", "100", "过"),
]
GOAL_PROGRAMME = "双千亿过百亿"

# Published H1 2023 invoiced sales, and the same enterprises' 2022 H1 that gives +7.4%.
TARGET_CURRENT_YUAN = 56_440_000_000
TARGET_BASE_YUAN = 52_551_210_428  # 564.4亿 / 1.074, to the yuan

INDUSTRY_MIX = [
    # (division code, weight, typical monthly invoiced sales in 万元)
    ("C3841", 14, 9000),  # 锂离子电池
    ("C3825", 10, 7000),  # 光伏设备及元器件
    ("D4415", 4, 15000),  # 太阳能发电
    ("C3670", 16, 4500),  # 汽车零部件及配件
    ("C3976", 8, 5200),  # 光电子器件
    ("C3974", 5, 4800),  # 显示器件
    ("C3491", 7, 3000),  # 工业机器人
    ("C3599", 6, 2600),  # 其他专用设备
    ("C2231", 5, 2200),  # 纸和纸板容器
    ("C2110", 4, 1800),  # 木质家具
    ("C2439", 4, 1500),  # 其他工艺美术
    ("C2669", 5, 3500),  # 其他专用化学产品
    ("C3311", 4, 2000),  # 金属结构
]
# Invented trade names (字号), two characters as most are: a first and a second character,
# combined so that no two enterprises share one. No real company's trade name on purpose.
NAME_FIRST = "华恒润维明东琼鑫汇盛锦金宏泰瑞嘉德永信博邦裕昌凯"
NAME_SECOND = "宇通源邦达诚辉鼎晟丰越驰瀚朗泽睿航远扬顺"
# What an enterprise of a division calls its business in its name, by division.
NAME_KINDS = {
    "C3841": ["新能源科技", "锂电科技", "储能技术", "电池"],
    "C3825": ["光伏科技", "光能科技", "新能源"],
    "D4415": ["光伏发电", "新能源电力", "清洁能源"],
    "C3670": ["汽车部件", "汽车零部件", "精密机械", "车业"],
    "C3976": ["光电科技", "光电子", "半导体"],
    "C3974": ["显示技术", "光电显示", "电子科技"],
    "C3491": ["智能装备", "机器人", "自动化科技"],
    "C3599": ["机械", "装备制造", "精工"],
    "C2231": ["包装", "纸业", "包装材料"],
    "C2110": ["家居", "家具", "木业"],
    "C2439": ["工艺品", "漆艺", "玉器"],
    "C2669": ["新材料", "化工", "材料科技"],
    "C3311": ["钢构", "钢结构工程", "金属结构"],
}
NEW_PRODUCTION_COUNT = 2  # enterprises of the demo that started producing in 2023 (新投产)
NEW_PRODUCTION_REASON = "2023年新建投产，上年无生产（示例数据）"
SEASON = [0.78, 0.70, 1.02, 0.98, 1.01, 1.08, 0.97, 0.99, 1.02, 1.03, 1.05, 1.17]


@dataclass
class DemoEnterprise:
    uscc: str
    name: str
    industry_code: str
    monthly: Decimal  # 万元
    growth: Decimal
    in_2022: bool  # reported to the zone in 2022 at all
    scope_2022: bool
    scope_2023: bool
    # Not in the zone's 2022 data: 新入库 enterprises below the threshold then, which report their
    # 上年同期累计 on their 2023 rows, or (new_production) ones that started producing in 2023.
    new_production: bool = False

    @property
    def reports_prior(self) -> bool:
        return not self.in_2022 and not self.new_production


def _enterprise_name(index: int, code: str) -> str:
    """扬州恒通锂电科技有限公司, 瑞鼎光电科技（扬州）有限公司: a distinct trade name per index.

    The index walks the first characters fastest and moves the second by a step coprime with
    its length, so the first 480 indexes give 480 different trade names.
    """
    first = NAME_FIRST[index % len(NAME_FIRST)]
    second = NAME_SECOND[(index // len(NAME_FIRST) + index * 7) % len(NAME_SECOND)]
    kinds = NAME_KINDS.get(code, ["实业"])
    kind = kinds[(index // 3) % len(kinds)]
    if index % 9 == 4:
        return f"{first}{second}{kind}（扬州）有限公司"
    form = "股份有限公司" if index % 7 == 5 else "有限公司"
    return f"扬州{first}{second}{kind}{form}"


def _demo_enterprises(rng: random.Random, count: int = 320) -> list[DemoEnterprise]:
    codes = [code for code, weight, _ in INDUSTRY_MIX for _ in range(weight)]
    typical = {code: size for code, _, size in INDUSTRY_MIX}
    result: list[DemoEnterprise] = []
    started = 0
    for index in range(count):
        code = rng.choice(codes)
        name = _enterprise_name(index, code)
        first17 = f"913210{91 + index % 8:02d}{rng.randrange(10**8):08d}{rng.choice('0123456789ABCDEFGH')}"
        monthly = Decimal(round(typical[code] * rng.lognormvariate(0, 0.6), 2)).quantize(Decimal("0.01"))
        growth = Decimal(round(rng.gauss(1.075, 0.12), 4))
        roll = rng.random()
        in_2022 = roll > 0.05  # about 5% are not in the zone's 2022 data (新入库 reporting 上年同期, or 新投产)
        scope_2022 = in_2022 and roll > 0.09  # some reported below the threshold in 2022 (entered scope)
        scope_2023 = rng.random() > 0.04  # about 4% fell out of scope by June 2023 (left)
        new_production = not in_2022 and started < NEW_PRODUCTION_COUNT
        if new_production:
            started += 1
            monthly = (monthly / 8).quantize(Decimal("0.01"))  # small plants in their first months
            scope_2023 = True
        result.append(
            DemoEnterprise(
                uscc.complete(first17), name, code, monthly, growth, in_2022, scope_2022, scope_2023, new_production
            )
        )
    return result


def _months() -> list[tuple[int, int]]:
    return [(2022, month) for month in range(1, 13)] + [(2023, month) for month in range(1, 7)]


def demo_enterprise_rows(seed: int = 20230701) -> list[EnterpriseRow]:
    """Monthly rows for 2022-01..2023-06 whose same-scope H1 2023 figures match the seed.

    Every enterprise in scope in June 2023 has a base: its own 2022 rows, the 上年同期累计 it
    reports (新入库 enterprises not in the zone's 2022 data), or zero (the two 新投产, marked by
    ``demo_load``). Their H1 2023 total is the published 564.4亿元 and their bases 564.4 / 1.074.
    """
    rng = random.Random(seed)
    enterprises = _demo_enterprises(rng)
    sales: dict[tuple[str, int, int], int] = {}
    for enterprise in enterprises:
        for year, month in _months():
            if year == 2022 and enterprise.new_production:
                continue
            factor = Decimal(SEASON[month - 1]) * (enterprise.growth if year == 2023 else 1)
            noise = Decimal(rng.uniform(0.93, 1.07))
            sales[(enterprise.uscc, year, month)] = int(enterprise.monthly * factor * noise * 10_000)
    in_scope = [e for e in enterprises if e.scope_2023]
    # Bring every month to the published size first, so that months outside January–June
    # stay consistent with them; the exact totals then need only a small correction.
    generated = sum(sales.get((e.uscc, 2023, month), 0) for e in in_scope for month in range(1, 7))
    for key, amount in sales.items():
        sales[key] = amount * TARGET_CURRENT_YUAN // generated
    _scale_to(sales, in_scope, 2023, TARGET_CURRENT_YUAN)
    # The bases: own 2022 rows and reported 上年同期 together (the 2022 values of enterprises not
    # in the zone's data are what their reports give as 上年同期).
    _scale_to(sales, [e for e in in_scope if not e.new_production], 2022, TARGET_BASE_YUAN)

    rows = []
    number = 2
    for enterprise in enterprises:
        for year, month in _months():
            value = sales.get((enterprise.uscc, year, month))
            if value is None or (year == 2022 and not enterprise.in_2022):
                continue
            scope = enterprise.scope_2022 if year == 2022 else (enterprise.scope_2023 or month < 6)
            amounts = _amounts(enterprise.uscc, year, value, rng.randrange(-2, 11))
            prior: dict[str, int | None] = {}
            if year == 2023 and enterprise.reports_prior:
                last_year = [sales[(enterprise.uscc, 2022, m)] for m in range(1, month + 1)]
                reported = [_amounts(enterprise.uscc, 2022, earlier, 5) for earlier in last_year]
                prior = {key: sum(item[key] or 0 for item in reported) for key in AMOUNT_FIELDS}
            rows.append(
                EnterpriseRow(
                    row=number,
                    uscc=enterprise.uscc,
                    name=enterprise.name,
                    year=year,
                    month=month,
                    above_scale=scope,
                    industry_code=enterprise.industry_code,
                    amounts={key: amounts[key] for key in AMOUNT_FIELDS},
                    prior=prior,
                )
            )
            number += 1
    return rows


def demo_new_production() -> list[str]:
    """Codes of the demo's 新投产 enterprises (no production in 2022)."""
    return [e.uscc for e in _demo_enterprises(random.Random(20230701)) if e.new_production]


def _amounts(code: str, year: int, sales: int, profit_pct: int) -> dict[str, int | None]:
    return {
        EnterpriseField.INDUSTRIAL_OUTPUT: sales * _output_per_mille(code, year) // 1000,
        EnterpriseField.INDUSTRIAL_INVOICED_SALES: sales,
        EnterpriseField.REVENUE: sales * 109 // 100,
        EnterpriseField.PROFIT: sales * profit_pct // 100,
        EnterpriseField.TAXES: sales * 3 // 100,
        EnterpriseField.ELECTRICITY: sales // 25,
    }


def _output_per_mille(code: str, year: int) -> int:
    """工业总产值 per 1000 of 开票销售: 1.01–1.07 by enterprise, moving by −1.0 to +4.9 points in 2023.

    Output and invoiced sales differ by stock and timing, unevenly across enterprises, so the
    two growth rates differ too. Derived from the code, so the demo stays the same on every load.
    """
    spread = sum(map(ord, code))
    ratio = 1010 + spread % 61
    return ratio + (spread // 61 % 60 - 10 if year == 2023 else 0)


def _scale_to(sales: dict[tuple[str, int, int], int], group: list[DemoEnterprise], year: int, total: int) -> None:
    """Scale one year's January–June values of a group to an exact total (to the yuan)."""
    keys = [(e.uscc, year, month) for e in group for month in range(1, 7) if (e.uscc, year, month) in sales]
    current = sum(sales[key] for key in keys)
    for key in keys:
        sales[key] = sales[key] * total // current
    sales[keys[-1]] += total - sum(sales[key] for key in keys)


def _observation_rows() -> list[ObservationRow]:
    rows: list[ObservationRow] = []

    def add(indicator: str, place: str, period: Period, value: str | None, growth: str | None,
            basis: str, title: str, locator: str, sample: bool) -> None:  # fmt: skip
        rows.append(
            ObservationRow(
                row=len(rows) + 1,
                indicator_code=indicator,
                place_code=place,
                period=period,
                value=Decimal(value) if value is not None else None,
                unit="亿元" if value is not None else "",
                growth_pct=Decimal(growth) if growth is not None else None,
                price_basis=basis,
                vintage=Observation.Vintage.FLASH,
                source_title=title,
                is_sample=sample,
                note="",
                locator=locator,
            )
        )

    for code, value, growth, basis in SEED_FIGURES:
        add(code, ZONE, H1_2023, value, growth, basis, SEED_TITLE, "第2段", False)
    for code, growths in PEER_GROWTH.items():
        for place, growth in zip(PEER_ORDER, growths, strict=True):
            add(code, place, H1_2023, None, growth, PEER_PRICE_BASIS[code], SAMPLE_TITLE, "", True)
    for code, period, value in SAMPLE_LEVELS:
        add(code, ZONE, period, value, None, PriceBasis.NOMINAL, SAMPLE_TITLE, "", True)
    return rows


@transaction.atomic
def demo_load() -> list[str]:
    """Load (or leave unchanged) the demo zone; returns one line per step for the CLI."""
    lines: list[str] = []
    places: dict[str, Place] = {}
    for order, (code, name, short_name, level, parent, division) in enumerate(PLACES):
        places[code], created = Place.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                short_name=short_name,
                level=level,
                parent=places.get(parent) if parent else None,
                division_code=division,
                sort_order=order,
            ),
        )
    lines.append(f"地区：{len(places)} 个（扬州市及其县（市、区）、功能区）")

    observations = observation_rows_import(
        rows=_observation_rows(),
        file_name="演示数据",
        source_kind=Source.Kind.DOCUMENT,
        recorded_at=SEED_PUBLISHED,
    )
    lines.append(f"发布数据：{observations.summary}")

    seed_source, _ = Source.objects.get_or_create(
        kind=Source.Kind.DOCUMENT, title=SEED_TITLE, defaults={"published_on": date(2023, 7, 1)}
    )
    sample_source, _ = Source.objects.get_or_create(kind=Source.Kind.SAMPLE, title=SAMPLE_TITLE)
    zone = places[ZONE]
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    targets = 0
    for code, value, growth in SAMPLE_ANNUAL_TARGETS:
        _, created = Target.objects.get_or_create(
            indicator=indicators[code], place=zone, kind=Target.Kind.ANNUAL, year=2023, subject="",
            defaults=dict(
                value=Decimal(value) if value else None, unit="亿元" if value else "",
                growth_pct=Decimal(growth) if growth else None, is_sample=True, source=sample_source,
            ),
        )  # fmt: skip
        targets += created
    for chain, value in CHAIN_TARGETS:
        _, created = Target.objects.get_or_create(
            indicator=indicators["industrial_output"], place=zone, kind=Target.Kind.ANNUAL, year=2023,
            subject=chain,
            defaults=dict(value=Decimal(value), unit="亿元", qualifier="力争达", source=seed_source,
                          source_locator="第6段"),
        )  # fmt: skip
        targets += created
    for code, value, qualifier in GOALS_2025:
        _, created = Target.objects.get_or_create(
            indicator=indicators[code], place=zone, kind=Target.Kind.GOAL, year=2025, subject="",
            defaults=dict(value=Decimal(value), unit="亿元", qualifier=qualifier, base_year=2022,
                          programme=GOAL_PROGRAMME, source=seed_source, source_locator="第7段"),
        )  # fmt: skip
        targets += created
    if targets:
        audit_record(action="demo.targets", summary=f"加载演示目标 {targets} 项")
    lines.append(f"目标：新增 {targets} 项（2023年度目标、五条产业链目标、2025年“双千亿过百亿”目标）")

    enterprises = enterprise_rows_import(
        rows=demo_enterprise_rows(),
        zone=zone,
        file_name="演示企业月度数据（生成）",
        source_kind=Source.Kind.SAMPLE,
    )
    lines.append(f"企业月度数据：{enterprises.summary}")
    marked = 0
    for enterprise in Enterprise.objects.filter(zone=zone, uscc__in=demo_new_production()):
        if not NewProduction.objects.filter(enterprise=enterprise, year=2023).exists():
            new_production_mark(enterprise=enterprise, year=2023, reason=NEW_PRODUCTION_REASON)
            marked += 1
    lines.append(f"新投产标记：新增 {marked} 家（上年无生产，上年同期按零计）")
    return lines
