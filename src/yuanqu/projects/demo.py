"""Demo investment projects of the 扬州经开区 (示例数据), reproducing the seed's paragraph 3.

The seed published only totals; the projects behind them are invented, deterministically,
so that the platform's own statistics give exactly the published figures for 2023 上半年:

* 41 advanced-manufacturing projects of 1亿元 or more signed, 465.0亿元 in total, of which
  two of 100亿元 or more (120 and 105) and one more of 50亿元 or more (60). Under the nested
  rule this reads “百亿元以上项目2个、50亿元以上项目3个” (the seed's wording); under the bands
  rule “百亿元以上项目2个、50亿元至百亿元项目1个”. Both describe the same projects. Six
  smaller manufacturing signings (under 1亿元) are not among the “亿元以上” projects.
* 90 modern-service projects, 120.0亿元, one of them of 52亿元.
* confirmed 实质性开工 in 1—6月: 35 industrial (advanced-manufacturing), 93 技改 and 44 城建.

2022 上半年 has its own, smaller figures so that growth shows, and later stages run to 2026
so the board has projects in every column.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db import transaction

from yuanqu.accounts.demo import DEMO_PASSWORD
from yuanqu.accounts.roles import Role
from yuanqu.accounts.services import roles_ensure
from yuanqu.chains.models import ChainEnterprise, ChainNode
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.models import Enterprise
from yuanqu.periods import Period
from yuanqu.projects.models import (
    STAGE_DATE_FIELDS,
    Category,
    Project,
    ProjectCredit,
    Stage,
    StageEvent,
    StartClaim,
    StartEvidence,
    StartRequirement,
)
from yuanqu.projects.selectors import pipeline_statistics
from yuanqu.projects.services import rules_ensure_defaults
from yuanqu.projects.writing import paragraph

ZONE = "yz-etdz"
SHANGHAI = ZoneInfo("Asia/Shanghai")
LATEST = date(2026, 11, 20)  # no demo event after this day
OFFICERS = [
    # user name, display name (the accounts demo makes “investment” 张招商; these join them)
    ("investment", "张招商"),
    ("investment2", "孙招商"),
    ("investment3", "钱招商"),
    ("investment4", "周招商"),
]
# The zone's departments, under the codes the chains demo gives them (one 招商局, not two).
DEPARTMENTS = [
    ("etdz-investment", "招商局"),
    ("etdz-economy", "经济发展局"),
    ("etdz-tech", "科技创新局"),
    ("etdz-construction", "建设局"),
]
PRODUCTS = {
    Category.ADVANCED_MANUFACTURING: [
        "动力电池",
        "光伏组件",
        "汽车电机",
        "智能装备",
        "汽车底盘",
        "半导体封测",
        "储能系统",
        "精密模具",
        "绿色包装",
        "LED芯片",
        "工业机器人",
        "氢能装备",
        "逆变器",
        "高纯硅料",
        "负极材料",
        "充电桩",
        "车用铝材",
        "显示面板",
        "光学膜材",
        "精密减速器",
        "定制家居",
        "汽车内饰",
    ],
    Category.MODERN_SERVICES: [
        "供应链总部",
        "研发中心",
        "跨境电商",
        "检验检测",
        "数字科技",
        "物流枢纽",
        "金融服务",
        "工业设计",
        "人力资源",
        "商业综合体",
    ],
    Category.TECHNICAL_RENOVATION: ["智能化改造", "数字化车间", "产线扩能", "绿色化改造", "设备更新"],
    Category.URBAN_CONSTRUCTION: ["道路改造", "污水管网", "安置房", "学校新建", "河道整治", "公园绿地", "停车场"],
}
# The chain node a manufacturing product belongs on (chain code, node name); none for products
# outside the five chains. Several are the chains' gaps, the nodes 补链 projects are sought for.
PRODUCT_NODES: dict[str, tuple[str, str]] = {
    "动力电池": ("new-energy", "动力/储能电池电芯"),
    "光伏组件": ("new-energy", "光伏电池片与组件"),
    "储能系统": ("new-energy", "储能系统集成"),
    "逆变器": ("new-energy", "逆变器"),
    "高纯硅料": ("new-energy", "硅料/硅片"),
    "负极材料": ("new-energy", "负极材料"),
    "充电桩": ("new-energy", "充换电设施"),
    "汽车电机": ("auto-parts", "动力总成部件"),
    "汽车底盘": ("auto-parts", "底盘系统"),
    "汽车内饰": ("auto-parts", "车身及内外饰"),
    "车用铝材": ("auto-parts", "铝材"),
    "精密模具": ("auto-parts", "模具"),
    "LED芯片": ("optoelectronics", "光电子器件"),
    "显示面板": ("optoelectronics", "显示器件"),
    "光学膜材": ("optoelectronics", "光电材料"),
    "工业机器人": ("smart-manufacturing", "工业机器人"),
    "智能装备": ("smart-manufacturing", "专用设备"),
    "精密减速器": ("smart-manufacturing", "核心零部件"),
    "绿色包装": ("light-industry", "包装制品"),
    "定制家居": ("light-industry", "家具"),
    "氢能装备": ("new-energy", "装备"),
}
# Products that add a link the chain map does not have yet (延链), placed beside the nearest node.
EXTENDING_PRODUCTS = {"氢能装备"}
# Invented trade names of investors (字号); a project is named after its investor and product.
INVESTOR_WORDS = [
    "华扬", "润江", "维扬", "广陵", "运河", "江淮", "东禾", "邗沟", "汇通", "宁通", "文昌", "明湖",
    "长江", "启东", "瑞丰", "嘉禾", "恒远", "德盛", "博信", "泰和", "永立", "金穗", "海川", "天禾",
]  # fmt: skip
INVESTOR_KINDS = {
    Category.ADVANCED_MANUFACTURING: "科技",
    Category.MODERN_SERVICES: "发展",
    Category.URBAN_CONSTRUCTION: "建设",
}
# Urban construction is built by the zone's own platform companies; 技改 by the local enterprises.
PLATFORM_COMPANIES = ["扬州经开区建设发展集团有限公司", "扬州经开区城市更新投资有限公司"]
ORDINALS = ["", "二期", "三期", "四期", "五期", "六期"]
URBAN_PLACES = [
    "文昌路", "扬子江路", "运河南路", "施桥", "朴席", "八里", "李典", "头桥", "临江", "江阳路", "新城河", "沿江路",
]  # fmt: skip
FOREIGN_REGIONS = ["日本", "德国", "美国", "新加坡", "韩国"]
HMT_REGIONS = ["中国香港", "中国台湾"]


@dataclass
class Spec:
    code: str
    category: str
    investment_yi: Decimal
    signed_on: date | None
    dates: dict[str, date] = field(default_factory=dict)  # main-line stage -> date
    off_line: tuple[str, date, str] | None = None  # 搁置/终止, its date and reason
    talks_from: date | None = None


def spread(total: Decimal, count: int, low: Decimal, high: Decimal, rng: random.Random) -> list[Decimal]:
    """``count`` amounts with one decimal, each in [low, high], summing exactly to ``total``."""
    step = Decimal("0.1")
    values = [Decimal(str(round(rng.uniform(float(low), float(high)), 1))) for _ in range(count)]
    while (gap := total - sum(values)) != 0:
        index = rng.randrange(count)
        move = step if gap > 0 else -step
        if low <= values[index] + move <= high:
            values[index] += move
    return values


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=SHANGHAI)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _after(rng: random.Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(20230630)
        self.specs: list[Spec] = []
        self.counter: dict[int, int] = {}

    def code(self, year: int) -> str:
        self.counter[year] = self.counter.get(year, 0) + 1
        return f"YZKF-{year}-{self.counter[year]:04d}"

    def add(
        self,
        category: str,
        amounts: list[Decimal],
        signed: tuple[date, date],
        *,
        start_window: tuple[date, date] | None = None,
        start_not_before: date | None = None,
        stop_at: str | None = None,
    ) -> list[Spec]:
        """Projects signed in a window; each runs on through the stages while dates stay past."""
        rng = self.rng
        made = []
        for amount in amounts:
            signed_on = _day(rng, *signed)
            spec = Spec(self.code(signed_on.year), category, amount, signed_on)
            spec.talks_from = signed_on - timedelta(days=rng.randint(40, 200))
            dates: dict[str, date] = {Stage.SIGNED: signed_on}
            registered = _after(rng, signed_on, 10, 45)
            dates[Stage.REGISTERED] = registered
            needs_land = category in (Category.ADVANCED_MANUFACTURING, Category.URBAN_CONSTRUCTION) or (
                category == Category.MODERN_SERVICES and rng.random() < 0.3
            )
            ready = registered
            if needs_land:
                ready = _after(rng, registered, 20, 90)
                dates[Stage.LAND] = ready
            if start_window is not None:
                started = _day(rng, max(start_window[0], ready + timedelta(days=1)), start_window[1])
            else:
                started = _after(rng, ready, 30, 200)
                if start_not_before and started < start_not_before:
                    started = _after(rng, start_not_before, 0, 60)
            dates[Stage.STARTED] = started
            build_days = {
                Category.ADVANCED_MANUFACTURING: (300, 540),
                Category.MODERN_SERVICES: (240, 480),
                Category.TECHNICAL_RENOVATION: (90, 240),
                Category.URBAN_CONSTRUCTION: (240, 600),
            }[Category(category)]
            dates[Stage.COMPLETED] = _after(rng, started, *build_days)
            if category != Category.URBAN_CONSTRUCTION:
                dates[Stage.PRODUCING] = _after(rng, dates[Stage.COMPLETED], 30, 120)
                dates[Stage.FULL_CAPACITY] = _after(rng, dates[Stage.PRODUCING], 300, 540)
            order = [stage for stage in STAGE_DATE_FIELDS if stage in dates]
            if stop_at is not None:
                order = order[: order.index(Stage(stop_at)) + 1]
            spec.dates = {stage: dates[stage] for stage in order if dates[stage] <= LATEST}
            self.specs.append(spec)
            made.append(spec)
        return made

    def hold(self, spec: Spec, kind: str, reason: str, *, keep: str = Stage.REGISTERED) -> None:
        """Stop a project after ``keep`` and put it on hold or end it there."""
        order = list(STAGE_DATE_FIELDS)
        spec.dates = {stage: day for stage, day in spec.dates.items() if order.index(stage) <= order.index(keep)}
        last = max(spec.dates.values())
        spec.off_line = (kind, min(_after(self.rng, last, 20, 90), LATEST), reason)


def build() -> list[Spec]:
    builder = Builder()
    rng = builder.rng
    h1_2023 = (date(2023, 1, 4), date(2023, 6, 28))
    h1_2022 = (date(2022, 1, 5), date(2022, 6, 28))
    h2_2022 = (date(2022, 7, 4), date(2022, 12, 28))
    h2_2021 = (date(2021, 7, 5), date(2021, 12, 28))
    after_h1_2023 = date(2023, 7, 3)

    # 2023 上半年 signings: the seed's 41 / 465亿 (2 ≥ 百亿, 3 ≥ 50亿 nested) and 90 / 120亿.
    big = [Decimal(120), Decimal(105), Decimal(60)]
    manufacturing = big + spread(Decimal(180), 38, Decimal("1.2"), Decimal("9.5"), rng)
    m23 = builder.add(Category.ADVANCED_MANUFACTURING, manufacturing, h1_2023, start_not_before=after_h1_2023)
    builder.add(
        Category.ADVANCED_MANUFACTURING,
        spread(Decimal("3.6"), 6, Decimal("0.3"), Decimal("0.9"), rng),
        h1_2023,
        start_not_before=after_h1_2023,
    )
    services = [Decimal(52), *spread(Decimal(68), 89, Decimal("0.2"), Decimal("2.4"), rng)]
    s23 = builder.add(Category.MODERN_SERVICES, services, h1_2023, start_not_before=after_h1_2023)
    builder.add(
        Category.TECHNICAL_RENOVATION,
        spread(Decimal(24), 30, Decimal("0.2"), Decimal("2.0"), rng),
        h1_2023,
        start_not_before=after_h1_2023,
    )
    builder.add(
        Category.URBAN_CONSTRUCTION,
        spread(Decimal(36), 12, Decimal("0.5"), Decimal("8.0"), rng),
        h1_2023,
        start_not_before=after_h1_2023,
    )
    # Some of them stall: the board's yellow and red cards.
    for spec in m23[6::9]:
        spec.dates = {stage: day for stage, day in spec.dates.items() if stage in (Stage.SIGNED, Stage.REGISTERED)}
    builder.hold(m23[10], Stage.ON_HOLD, "投资方融资计划调整，暂缓推进")
    builder.hold(s23[20], Stage.TERMINATED, "投资方战略调整，项目取消")

    # 2022 上半年 signings; 35 of the manufacturing ones start substantively in 2023 上半年.
    m22_amounts = [Decimal(110), Decimal(68), *spread(Decimal(214), 32, Decimal("1.2"), Decimal("9.5"), rng)]
    builder.add(Category.ADVANCED_MANUFACTURING, m22_amounts[:33], h1_2022, start_window=h1_2023)
    builder.add(
        Category.ADVANCED_MANUFACTURING,
        [Decimal("0.6"), Decimal("0.8")],
        h1_2022,
        start_window=h1_2023,
    )
    late = builder.add(Category.ADVANCED_MANUFACTURING, [m22_amounts[33]], h1_2022, stop_at=Stage.LAND)
    builder.hold(late[0], Stage.TERMINATED, "用地规划调整，投资方退出", keep=Stage.LAND)
    builder.add(
        Category.MODERN_SERVICES,
        spread(Decimal(96), 80, Decimal("0.2"), Decimal("8.0"), rng),
        h1_2022,
        start_window=(date(2022, 7, 4), date(2022, 12, 28)),
    )

    # 技改 and 城建 signed in 2022 下半年, started substantively in 2023 上半年: 93 and 44.
    builder.add(
        Category.TECHNICAL_RENOVATION,
        spread(Decimal("95.5"), 93, Decimal("0.2"), Decimal("3.5"), rng),
        h2_2022,
        start_window=h1_2023,
    )
    builder.add(
        Category.URBAN_CONSTRUCTION,
        spread(Decimal(132), 44, Decimal("0.5"), Decimal("9.0"), rng),
        h2_2022,
        start_window=h1_2023,
    )

    # 2022 上半年's starts (for the comparison): 30 industrial, 85 技改, 40 城建.
    builder.add(
        Category.ADVANCED_MANUFACTURING,
        spread(Decimal(240), 30, Decimal("1.2"), Decimal("20"), rng),
        (date(2021, 3, 1), date(2021, 9, 30)),
        start_window=h1_2022,
    )
    builder.add(
        Category.TECHNICAL_RENOVATION,
        spread(Decimal(80), 85, Decimal("0.2"), Decimal("3.0"), rng),
        h2_2021,
        start_window=h1_2022,
    )
    builder.add(
        Category.URBAN_CONSTRUCTION,
        spread(Decimal(110), 40, Decimal("0.5"), Decimal("8.0"), rng),
        h2_2021,
        start_window=h1_2022,
    )

    # The live pipeline of 2026: talks under way, fresh signings.
    for index in range(12):
        category = [Category.ADVANCED_MANUFACTURING, Category.MODERN_SERVICES][index % 2]
        spec = Spec(builder.code(2026), category, Decimal(str(round(rng.uniform(0.8, 30), 1))), None)
        spec.talks_from = _day(rng, date(2026, 2, 1), date(2026, 11, 15))
        builder.specs.append(spec)
    fresh = builder.add(
        Category.ADVANCED_MANUFACTURING,
        spread(Decimal(64), 8, Decimal("1.5"), Decimal("20"), rng),
        (date(2026, 6, 1), date(2026, 11, 10)),
        start_not_before=date(2026, 12, 1),
    )
    builder.hold(fresh[3], Stage.ON_HOLD, "等待能评批复", keep=Stage.SIGNED)
    return builder.specs


def _officers() -> tuple[list[User], int]:
    roles_ensure()
    group = Group.objects.get(name=Role.INVESTMENT_OFFICER.value)
    users, created = [], 0
    for username, display_name in OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=display_name)
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        user.groups.add(group)
        users.append(user)
    return users, created


def _departments(zone: Place, officers: list[User]) -> list[Department]:
    departments = []
    for order, (code, name) in enumerate(DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "zone": zone, "sort_order": 20 + order}
        )
        departments.append(department)
    departments[0].members.add(*officers[:2])
    departments[1].members.add(officers[2])
    departments[2].members.add(officers[3])
    return departments


def _chain_nodes(zone: Place) -> tuple[dict[tuple[str, str], ChainNode], set[tuple[int, date | None]]]:
    """The zone's chain nodes by (chain code, node name), and where local enterprises sit since when."""
    nodes = {
        (node.chain.code, node.name): node
        for node in ChainNode.objects.filter(chain__zone=zone).select_related("chain")
    }
    placed = set(ChainEnterprise.objects.filter(node__chain__zone=zone).values_list("node_id", "since"))
    return nodes, placed


class Names:
    """Project and investor names, each project name used once (a later phase says 二期)."""

    def __init__(self, zone: Place) -> None:
        self.used: set[str] = set()
        self.enterprises = list(Enterprise.objects.filter(zone=zone).order_by("uscc").values_list("name", flat=True))

    def investor(self, spec: Spec, index: int, word: str) -> str:
        if spec.category == Category.URBAN_CONSTRUCTION:
            return PLATFORM_COMPANIES[index % len(PLATFORM_COMPANIES)]
        if spec.category == Category.TECHNICAL_RENOVATION and self.enterprises:
            return self.enterprises[index % len(self.enterprises)]
        form = "集团有限公司" if spec.investment_yi >= 50 else "有限公司"
        return f"{word}{INVESTOR_KINDS[Category(spec.category)]}{form}"

    def project(self, spec: Spec, investor: str, index: int, product: str) -> str:
        """华扬科技动力电池项目, 维扬新材料产线扩能项目, 文昌路道路改造项目; a repeat is 二期."""
        if spec.category == Category.URBAN_CONSTRUCTION:
            stems = [URBAN_PLACES[(index + step) % len(URBAN_PLACES)] for step in range(len(URBAN_PLACES))]
        else:
            trade = investor.removeprefix("扬州").removesuffix("有限公司").removesuffix("集团").removesuffix("股份")
            stems = [trade.replace("（扬州）", "")]
        for stem in stems:
            for ordinal in ORDINALS:
                name = f"{stem}{product}{ordinal}项目"
                if name not in self.used:
                    self.used.add(name)
                    return name
        raise ValueError(f"no free project name for {product}")


@transaction.atomic
def demo_load() -> list[str]:
    zone = Place.objects.filter(code=ZONE).first()
    if zone is None:
        return ["招商项目：未找到演示园区 yz-etdz，跳过（先加载指标演示数据）"]
    rules_ensure_defaults(zone=zone)
    officers, officers_created = _officers()
    departments = _departments(zone, officers)
    specs = build()
    existing = set(
        Project.objects.filter(zone=zone, code__in=[spec.code for spec in specs]).values_list("code", flat=True)
    )
    todo = [spec for spec in specs if spec.code not in existing]
    if todo:
        _write(zone, todo, officers, departments)
        audit_record(
            action="demo.projects",
            summary=f"加载演示招商项目 {len(todo)} 个（示例数据）",
            detail={"zone": zone.code, "projects": len(todo)},
        )
    statistics = pipeline_statistics(zone=zone, period=Period(2023, 1, 6))
    return [
        f"招商项目（示例数据）：新建 {len(todo)} 个，共 {len(specs)} 个；招商人员新建 {officers_created} 名",
        f"  2023年{paragraph(statistics)}",
    ]


def _write(zone: Place, specs: list[Spec], officers: list[User], departments: list[Department]) -> None:
    rng = random.Random(7)
    nodes, placed = _chain_nodes(zone)
    names = Names(zone)
    requirements: dict[str, list[StartRequirement]] = {}
    for requirement in StartRequirement.objects.filter(zone=zone):
        requirements.setdefault(requirement.category, []).append(requirement)
    projects: list[Project] = []
    for index, spec in enumerate(specs):
        products = PRODUCTS[Category(spec.category)]
        product = products[index % len(products)]
        word = INVESTOR_WORDS[index % len(INVESTOR_WORDS)]
        nature, region = Project.InvestorNature.DOMESTIC, "江苏"
        if index % 6 == 1:
            nature, region = Project.InvestorNature.FOREIGN, FOREIGN_REGIONS[index % len(FOREIGN_REGIONS)]
        elif index % 11 == 4:
            nature, region = Project.InvestorNature.HMT, HMT_REGIONS[index % len(HMT_REGIONS)]
        amount = spec.investment_yi
        builds = spec.category in (Category.ADVANCED_MANUFACTURING, Category.URBAN_CONSTRUCTION)
        land = (amount * Decimal(rng.randint(8, 20))).quantize(Decimal("0.01")) if builds else None
        sales = (amount * Decimal(str(rng.uniform(1.0, 2.5)))).quantize(Decimal("0.0001"))
        investor = names.investor(spec, index, word)
        project = Project(
            zone=zone,
            code=spec.code,
            name=names.project(spec, investor, index, product),
            investor=investor,
            investor_nature=nature,
            investor_region=region,
            is_fortune_500=amount >= 100,
            is_listed=amount >= 50 or index % 9 == 2,
            is_specialised=index % 13 == 5,
            category=spec.category,
            industry_code={"manufacturing": "C3841", "services": "M7320", "renovation": "C3599", "urban": "E4813"}[
                spec.category
            ],
            total_investment_yi=amount,
            foreign_investment_wan_usd=(amount * 10_000 / Decimal("7.1")).quantize(Decimal("0.01"))
            if nature != Project.InvestorNature.DOMESTIC
            else None,
            fixed_asset_investment_yi=(amount * Decimal("0.8")).quantize(Decimal("0.0001")),
            equipment_investment_yi=(amount * Decimal("0.4")).quantize(Decimal("0.0001")),
            land_mu=land,
            land_kind=Project.LandKind.NEW_LAND if builds else Project.LandKind.EXISTING_PLANT,
            expected_sales_yi=sales if spec.category != Category.URBAN_CONSTRUCTION else None,
            expected_tax_wan=(sales * 500).quantize(Decimal("0.01"))
            if spec.category != Category.URBAN_CONSTRUCTION
            else None,
            expected_jobs=int(amount * 40) + 10,
            lead_source=[
                Project.LeadSource.STAFF,
                Project.LeadSource.INVESTOR_REFERRAL,
                Project.LeadSource.CHAIN,
                Project.LeadSource.EXPO,
                Project.LeadSource.AGENCY,
            ][index % 5],
            contacts=f"{word}项目联系人 经理 1380514{index:04d}",
            stage=Stage.NEGOTIATING,
            stage_since=spec.talks_from or LATEST,
        )
        for stage, day in spec.dates.items():
            setattr(project, STAGE_DATE_FIELDS[stage], day)
            project.stage, project.stage_since = stage, day
        if spec.signed_on is not None:
            project.signed_investment_yi = amount
        if Stage.STARTED in spec.dates:
            project.substantive_start_on = spec.dates[Stage.STARTED]
        if spec.off_line is not None:
            kind, day, reason = spec.off_line
            project.held_from = project.stage if kind == Stage.ON_HOLD else ""
            project.stage, project.stage_since, project.status_reason = kind, day, reason
        node = nodes.get(PRODUCT_NODES.get(product, ("", "")))
        if node is not None and spec.category == Category.ADVANCED_MANUFACTURING and spec.signed_on and index % 3 == 0:
            has_local = any(
                node_id == node.pk and (since is None or since <= spec.signed_on) for node_id, since in placed
            )
            has_enterprise = any(node_id == node.pk for node_id, _ in placed)
            # A project in production is a local enterprise on its node: only nodes that have
            # local enterprises carry producing projects, so a gap stays a gap.
            if has_enterprise or project.stage not in (Stage.PRODUCING, Stage.FULL_CAPACITY):
                project.chain_node = node
                project.adds_new_node = product in EXTENDING_PRODUCTS
                project.chain_role = (
                    Project.ChainRole.EXTEND
                    if project.adds_new_node
                    else Project.ChainRole.STRENGTHEN
                    if has_local
                    else Project.ChainRole.FILL
                )
        projects.append(project)
    Project.objects.bulk_create(projects, batch_size=500)
    saved = {project.code: project for project in Project.objects.filter(zone=zone, code__in=[s.code for s in specs])}

    events: list[StageEvent] = []
    credits: list[ProjectCredit] = []
    claims: list[tuple[StartClaim, Spec]] = []
    for index, spec in enumerate(specs):
        project = saved[spec.code]
        officer = officers[index % len(officers)]
        department = departments[0] if index % 4 else departments[1 + index % 3]
        if index % 5 == 2:
            partner = officers[(index + 1) % len(officers)]
            credits += [
                ProjectCredit(project=project, officer=officer, department=department, share_pct=Decimal(60)),
                ProjectCredit(project=project, officer=partner, department=departments[0], share_pct=Decimal(40)),
            ]
        else:
            credits.append(
                ProjectCredit(project=project, officer=officer, department=department, share_pct=Decimal(100))
            )
        previous = ""
        if spec.talks_from is not None:
            events.append(
                StageEvent(
                    project=project,
                    from_stage="",
                    to_stage=Stage.NEGOTIATING,
                    on=spec.talks_from,
                    origin=StageEvent.Origin.DEMO,
                    moved_by=officer,
                )
            )
            previous = Stage.NEGOTIATING
        for stage, day in spec.dates.items():
            origin = StageEvent.Origin.START_CLAIM if stage == Stage.STARTED else StageEvent.Origin.DEMO
            events.append(
                StageEvent(
                    project=project, from_stage=previous, to_stage=stage, on=day, origin=origin, moved_by=officer
                )
            )
            previous = stage
        if spec.off_line is not None:
            kind, day, reason = spec.off_line
            events.append(
                StageEvent(
                    project=project,
                    from_stage=previous,
                    to_stage=kind,
                    on=day,
                    reason=reason,
                    origin=StageEvent.Origin.DEMO,
                    moved_by=officer,
                )
            )
        if Stage.STARTED in spec.dates:
            started = spec.dates[Stage.STARTED]
            claim = StartClaim(
                project=project,
                department=department,
                started_on=started,
                completed_investment_pct=Decimal(rng.randint(20, 45)),
                claimed_by=officer,
                reviewed_by=officers[(index + 2) % len(officers)],
                status=StartClaim.Status.CONFIRMED,
                note="演示数据",
                claimed_at=_moment(started + timedelta(days=3)),
                reviewed_at=_moment(started + timedelta(days=8)),
            )
            claims.append((claim, spec))
    ProjectCredit.objects.bulk_create(credits, batch_size=1000)
    StageEvent.objects.bulk_create(events, batch_size=1000)
    StartClaim.objects.bulk_create([claim for claim, _ in claims], batch_size=1000)
    evidence: list[StartEvidence] = []
    for claim, spec in claims:
        for requirement in requirements.get(spec.category, []):
            if requirement.kind == StartRequirement.Kind.DOCUMENT:
                reference = f"{requirement.name} 3210{spec.code[-9:].replace('-', '')}"
                evidence.append(StartEvidence(claim=claim, requirement=requirement, reference=reference))
    StartEvidence.objects.bulk_create(evidence, batch_size=1000)
    _pending_claims(zone, officers, departments, requirements)


def _pending_claims(
    zone: Place, officers: list[User], departments: list[Department], requirements: dict[str, list[StartRequirement]]
) -> None:
    """Two fresh claims waiting in the review queue (claimed by one officer, for another to confirm)."""
    waiting = Project.objects.filter(zone=zone, stage=Stage.LAND, signed_on__year=LATEST.year).order_by("-code")[:2]
    for index, project in enumerate(waiting):
        started = min(project.stage_since + timedelta(days=5), LATEST)
        claim = StartClaim.objects.create(
            project=project,
            department=departments[0],
            started_on=started,
            completed_investment_pct=Decimal(15 + index * 5),
            claimed_by=officers[1],
            claimed_at=_moment(started + timedelta(days=1)),
            note="演示数据：待认定",
        )
        StartEvidence.objects.bulk_create(
            [
                StartEvidence(
                    claim=claim, requirement=item, reference=f"{item.name} 3210{project.code[-9:].replace('-', '')}"
                )
                for item in requirements.get(project.category, [])
                if item.kind == StartRequirement.Kind.DOCUMENT
            ]
        )
