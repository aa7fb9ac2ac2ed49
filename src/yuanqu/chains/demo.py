"""The demo zone's five leading chains (paragraph 6 of the seed) with their 2023 targets.

The chains, their 链长 and targets are as the seed names them; the chain maps are the
industry's usual links; the enterprises are the demo zone's generated enterprises placed on
nodes by their industry code, so that output and growth come from real rows. Some nodes are
left without a local enterprise (the gaps a 招商 officer works from) and a few enterprises
sit on two chains. Requests, programme goals, tasks and recognitions are 示例数据.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from yuanqu.accounts.demo import DEMO_PASSWORD
from yuanqu.accounts.roles import Role
from yuanqu.accounts.services import roles_ensure
from yuanqu.chains.models import (
    Chain,
    ChainEnterprise,
    ChainNode,
    ChainProgramme,
    ChainTarget,
    EnterpriseFlag,
    EnterpriseRequest,
    Programme,
    ProgrammeTask,
    RequestReply,
)
from yuanqu.core.models import Department, Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.demo import SAMPLE_TITLE, SEED_TITLE, ZONE
from yuanqu.indicators.models import Enterprise, EnterpriseMonth

Segment = ChainNode.Segment
YEAR = 2023

DEPARTMENTS = [
    # code, name
    ("etdz-economy", "经济发展局"),
    ("etdz-investment", "招商局"),
    ("etdz-approval", "行政审批局"),
    ("etdz-planning", "自然资源和规划分局"),
    ("etdz-finance", "财政金融局"),
    ("etdz-talent", "人力资源和社会保障局"),
    ("etdz-tech", "科技创新局"),
]

# A node: (name, segment, children). The map of each chain, in display order.
Node = tuple[str, str, list["Node"]]


@dataclass(frozen=True)
class DemoChain:
    code: str
    name: str
    target_yi: str
    leader: tuple[str, str]  # user name, display name
    department: str
    nodes: list[Node]
    # industry code -> [(node name, how many of that industry's enterprises, in code order; 0 = the rest)]
    placements: dict[str, list[tuple[str, int]]]
    # (node name, industry code): the first N of the industry also placed here (enterprises on two chains)
    shared: list[tuple[str, str, int, int]]
    masters: list[tuple[str, str]]  # (industry code, commitment)
    description: str


CHAINS = [
    DemoChain(
        code="new-energy",
        name="新能源（含基础能源）",
        target_yi="600",
        # The accounts demo's chain-leader user leads the first chain.
        leader=("chainleader", "赵链长"),
        department="etdz-economy",
        nodes=[
            ("硅料/硅片", Segment.UPSTREAM, []),
            (
                "锂矿及正负极材料",
                Segment.UPSTREAM,
                [("正极材料", Segment.UPSTREAM, []), ("负极材料", Segment.UPSTREAM, [])],
            ),
            ("电解液/隔膜", Segment.UPSTREAM, []),
            ("光伏电池片与组件", Segment.MIDSTREAM, []),
            ("动力/储能电池电芯", Segment.MIDSTREAM, []),
            ("电池管理系统", Segment.MIDSTREAM, []),
            ("逆变器", Segment.MIDSTREAM, []),
            ("光伏电站", Segment.DOWNSTREAM, []),
            ("储能系统集成", Segment.DOWNSTREAM, []),
            ("充换电设施", Segment.DOWNSTREAM, []),
            ("检测认证", Segment.SUPPORTING, []),
            ("装备", Segment.SUPPORTING, []),
        ],
        placements={
            "C2669": [("正极材料", 4), ("电解液/隔膜", 1)],
            "C3825": [("光伏电池片与组件", 28), ("逆变器", 0)],
            "C3841": [("动力/储能电池电芯", 40), ("电池管理系统", 4), ("储能系统集成", 0)],
            "D4415": [("光伏电站", 0)],
        },
        shared=[("装备", "C3599", 0, 3)],
        masters=[
            ("C3841", "带动本地配套企业10家以上，2023年本地配套率提高到35%"),
            ("C3825", "引进电池片上游配套项目2个，开放检测平台服务链上中小企业"),
        ],
        description="光伏、锂电、储能和基础能源，园区第一主导产业。",
    ),
    DemoChain(
        code="auto-parts",
        name="高端汽车零部件",
        target_yi="200",
        leader=("chain-auto", "孙链长"),
        department="etdz-economy",
        nodes=[
            (
                "钢材/铝材/工程塑料",
                Segment.UPSTREAM,
                [("钢材", Segment.UPSTREAM, []), ("铝材", Segment.UPSTREAM, []), ("工程塑料", Segment.UPSTREAM, [])],
            ),
            ("动力总成部件", Segment.MIDSTREAM, []),
            ("底盘系统", Segment.MIDSTREAM, []),
            ("车身及内外饰", Segment.MIDSTREAM, []),
            ("汽车电子", Segment.MIDSTREAM, []),
            ("整车配套", Segment.DOWNSTREAM, []),
            ("售后市场", Segment.DOWNSTREAM, []),
            ("模具", Segment.SUPPORTING, []),
            ("检测", Segment.SUPPORTING, []),
        ],
        placements={
            "C3670": [("动力总成部件", 15), ("底盘系统", 12), ("车身及内外饰", 12), ("整车配套", 6), ("售后市场", 1)],
        },
        shared=[("钢材", "C3311", 0, 3), ("汽车电子", "C3976", 0, 3), ("模具", "C3599", 3, 4)],
        masters=[("C3670", "牵头组建本地配套联盟，年内新增本地采购额5亿元")],
        description="动力总成、底盘、车身及汽车电子，面向整车企业配套。",
    ),
    DemoChain(
        code="optoelectronics",
        name="新光电",
        target_yi="100",
        leader=("chain-optics", "钱链长"),
        department="etdz-tech",
        nodes=[
            ("光电材料", Segment.UPSTREAM, []),
            ("光电子器件", Segment.MIDSTREAM, []),
            ("显示器件", Segment.MIDSTREAM, []),
            ("显示模组与终端应用", Segment.DOWNSTREAM, []),
            ("光电检测", Segment.SUPPORTING, []),
        ],
        placements={"C3976": [("光电子器件", 20)], "C3974": [("显示器件", 12), ("显示模组与终端应用", 2)]},
        shared=[],
        masters=[("C3976", "联合高校共建光电子器件中试平台")],
        description="光电子器件、显示器件及其应用。",
    ),
    DemoChain(
        code="light-industry",
        name="高档轻工",
        target_yi="100",
        leader=("chain-light", "冯链长"),
        department="etdz-economy",
        nodes=[
            ("纸浆与板材", Segment.UPSTREAM, []),
            ("包装制品", Segment.MIDSTREAM, []),
            ("家具", Segment.MIDSTREAM, []),
            ("工艺美术品", Segment.MIDSTREAM, []),
            ("品牌与电商", Segment.DOWNSTREAM, []),
        ],
        placements={"C2231": [("包装制品", 0)], "C2110": [("家具", 0)], "C2439": [("工艺美术品", 0)]},
        shared=[],
        masters=[("C2231", "带动链上企业建设共享设计中心")],
        description="高档包装、家具与扬州工艺美术品。",
    ),
    DemoChain(
        code="smart-manufacturing",
        name="高端智能制造",
        target_yi="100",
        leader=("chain-smart", "何链长"),
        department="etdz-tech",
        nodes=[
            ("核心零部件", Segment.UPSTREAM, []),
            ("工业机器人", Segment.MIDSTREAM, []),
            ("专用设备", Segment.MIDSTREAM, []),
            ("系统集成", Segment.DOWNSTREAM, []),
            ("工业软件", Segment.SUPPORTING, []),
        ],
        placements={
            "C3311": [("核心零部件", 0)],
            "C3491": [("工业机器人", 15), ("系统集成", 0)],
            "C3599": [("专用设备", 0)],
        },
        shared=[],
        masters=[("C3491", "开放应用场景，年内为链上企业实施智能化改造项目8个")],
        description="工业机器人、专用设备与系统集成。",
    ),
]

PROGRAMME_GOALS = {
    Programme.CLUSTER: ("新增规上企业5家，产值达到年度目标", None),
    Programme.INNOVATION: ("新增高新技术企业3家，建设研发机构2个", Decimal(3)),
    Programme.DIGITAL: ("新建智能工厂或数字化车间3个", Decimal(3)),
    Programme.SPECIALISED: ("新增省级以上专精特新企业2家", Decimal(2)),
    Programme.GREEN: ("单位产值用电下降3%，创建绿色工厂1家", None),
}
TASKS = [
    # programme, title, department, start, deadline, progress
    (Programme.CLUSTER, "梳理链上拟入规企业名单并逐户帮扶", "etdz-economy", date(2023, 2, 1), date(2023, 6, 30), 100),
    (Programme.CLUSTER, "围绕缺失节点开展专题招商2次", "etdz-investment", date(2023, 3, 1), date(2023, 11, 30), 40),
    (Programme.INNOVATION, "组织链上企业申报高新技术企业", "etdz-tech", date(2023, 3, 1), date(2023, 9, 30), 35),
    (Programme.DIGITAL, "开展智改数转免费诊断20家", "etdz-economy", date(2023, 1, 15), date(2023, 7, 31), 45),
    (Programme.SPECIALISED, "建立专精特新培育库并分级培育", "etdz-economy", date(2023, 2, 15), date(2023, 12, 31), 50),
    (Programme.GREEN, "推动链主企业屋顶分布式光伏建设", "etdz-economy", date(2023, 4, 1), date(2023, 10, 31), 20),
]
# Every Nth enterprise on the chains (in code order) holds a recognition: 示例数据.
FLAG_EVERY = {
    EnterpriseFlag.Kind.HIGH_TECH: (5, 0),
    EnterpriseFlag.Kind.SPECIALISED: (7, 2),
    EnterpriseFlag.Kind.LITTLE_GIANT: (23, 4),
    EnterpriseFlag.Kind.SMART_FACTORY: (11, 1),
    EnterpriseFlag.Kind.GREEN_FACTORY: (13, 6),
}


def _user(username: str, display_name: str, group: Group) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=display_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    return user


def _nodes(chain: Chain, nodes: list[Node], parent: ChainNode | None, found: dict[str, ChainNode]) -> None:
    for order, (name, segment, children) in enumerate(nodes):
        node, _ = ChainNode.objects.get_or_create(
            chain=chain, parent=parent, name=name, defaults={"segment": segment, "sort_order": order}
        )
        found[name] = node
        _nodes(chain, children, node, found)


def _outputs(zone: Place) -> dict[int, int]:
    """Each enterprise's 1—6月 2023 output (元), to choose 链主 and 骨干 by size."""
    return {
        enterprise_id: int(total or 0)
        for enterprise_id, total in EnterpriseMonth.objects.filter(zone=zone, year=YEAR, month__lte=6)
        .values("enterprise_id")
        .annotate(total=Sum("industrial_output"))
        .values_list("enterprise_id", "total")
    }


def _place(
    spec: DemoChain, nodes: dict[str, ChainNode], by_code: dict[str, list[Enterprise]], size: dict[int, int]
) -> int:
    rows: list[tuple[ChainNode, Enterprise]] = []
    for code, slices in spec.placements.items():
        pool = by_code.get(code, [])
        start = 0
        for node_name, count in slices:
            end = len(pool) if count == 0 else start + count
            rows.extend((nodes[node_name], enterprise) for enterprise in pool[start:end])
            start = end
    for node_name, code, first, last in spec.shared:
        rows.extend((nodes[node_name], enterprise) for enterprise in by_code.get(code, [])[first:last])
    masters: dict[int, str] = {}
    for code, commitment in spec.masters:
        candidates = [e for _, e in rows if e.industry_code == code and e.pk not in masters]
        if candidates:
            masters[max(candidates, key=lambda e: size.get(e.pk, 0)).pk] = commitment
    ranked = sorted({e.pk for _, e in rows if e.pk not in masters}, key=lambda pk: -size.get(pk, 0))
    backbone = set(ranked[: max(len(ranked) // 6, 1)])
    placements = [
        ChainEnterprise(
            node=node,
            enterprise=enterprise,
            role=(
                ChainEnterprise.Role.MASTER
                if enterprise.pk in masters
                else ChainEnterprise.Role.BACKBONE
                if enterprise.pk in backbone
                else ChainEnterprise.Role.SUPPORTING
            ),
            commitment=masters.get(enterprise.pk, ""),
            since=date(2022, 6, 1),
        )
        for node, enterprise in rows
    ]
    ChainEnterprise.objects.bulk_create(placements, ignore_conflicts=True)
    return len(placements)


def _programmes(chain: Chain, departments: dict[str, Department], leader: User) -> None:
    records = {}
    for kind, (goal, value) in PROGRAMME_GOALS.items():
        records[kind], _ = ChainProgramme.objects.get_or_create(
            chain=chain, kind=kind, year=YEAR, defaults={"goal": goal, "goal_value": value}
        )
    if ProgrammeTask.objects.filter(programme__chain=chain).exists():
        return
    ProgrammeTask.objects.bulk_create(
        ProgrammeTask(
            programme=records[kind],
            title=title,
            owner=leader,
            department=departments[department],
            starts_on=start,
            deadline=deadline,
            progress_pct=progress,
        )
        for kind, title, department, start, deadline, progress in TASKS
    )


def _requests(chains: dict[str, Chain], departments: dict[str, Department]) -> int:
    """Sample requests, dated relative to today so that the open ones show every colour."""
    if EnterpriseRequest.objects.filter(chain__in=chains.values()).exists():
        return 0
    today = timezone.localdate()
    now = timezone.now()

    def on(chain: Chain, role: str) -> list[Enterprise]:
        return [
            p.enterprise
            for p in ChainEnterprise.objects.filter(node__chain=chain, role=role)
            .select_related("enterprise")
            .order_by("node__sort_order", "id")
        ]

    made = 0
    samples = [
        # chain, by master for a supplier?, category, title, department, days to deadline, replies, closed
        ("new-energy", True, "supply", "隔膜供货紧张，请协调本地及周边配套企业保供", "etdz-investment", 10, 1, ""),
        ("new-energy", False, "land", "二期扩产项目需新增工业用地约80亩", "etdz-planning", -3, 0, ""),
        ("new-energy", False, "talent", "电芯工艺工程师招聘难，请对接高校定向培养", "", None, 0, ""),
        ("auto-parts", False, "power", "新产线投产前需完成变压器增容", "etdz-economy", 2, 0, ""),
        ("auto-parts", False, "finance", "技改项目贷款贴息申请", "etdz-finance", -20, 1, "satisfied"),
        ("optoelectronics", False, "permits", "中试线环评审批加快办理", "etdz-approval", 15, 1, ""),
        ("light-industry", False, "permits", "厂房改扩建规划许可咨询", "etdz-approval", -40, 1, "basically"),
        ("smart-manufacturing", False, "supply", "希望对接本地铸件供应商", "etdz-investment", 7, 0, ""),
    ]
    for code, on_behalf, category, title, department, days, replies, satisfaction in samples:
        chain = chains[code]
        masters, suppliers = on(chain, ChainEnterprise.Role.MASTER), on(chain, ChainEnterprise.Role.SUPPORTING)
        if not masters or not suppliers:
            continue
        enterprise = suppliers[made % len(suppliers)] if on_behalf or made % 2 else masters[0]
        raised_at = now - timedelta(days=30 if days is None else max(25, 25 - days))
        request = EnterpriseRequest.objects.create(
            chain=chain,
            enterprise=enterprise,
            raised_by=masters[0] if on_behalf else enterprise,
            category=category,
            title=title,
            raised_at=raised_at,
            recorded_by=chain.leader,
            status=EnterpriseRequest.Status.RAISED,
        )
        if department:
            request.department = departments[department]
            request.deadline = today + timedelta(days=days or 0)
            request.assigned_at = raised_at + timedelta(days=1)
            request.status = EnterpriseRequest.Status.ASSIGNED
        for _ in range(replies):
            RequestReply.objects.create(
                request=request,
                author=chain.leader or User.objects.get(username="chainleader"),
                department=request.department,
                text="已召集相关部门现场会办，明确办理路径和时间节点。",
                at=raised_at + timedelta(days=3),
            )
            request.status = EnterpriseRequest.Status.REPLIED
        if satisfaction:
            request.status, request.satisfaction = EnterpriseRequest.Status.CLOSED, satisfaction
            request.closed_at, request.closing_note = raised_at + timedelta(days=10), "问题已解决"
        request.save()
        made += 1
    return made


@transaction.atomic
def demo_load() -> list[str]:
    """Load (or leave unchanged) the five demo chains; returns one line per step for the CLI."""
    zone = Place.objects.filter(code=ZONE).first()
    if zone is None:
        return ["产业链：未找到演示园区，已跳过（先加载指标演示数据）"]
    roles_ensure()
    group = Group.objects.get(name=Role.CHAIN_LEADER.value)
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name, "zone": zone, "sort_order": order})[0]
        for order, (code, name) in enumerate(DEPARTMENTS)
    }
    seed_source, _ = Source.objects.get_or_create(
        kind=Source.Kind.DOCUMENT, title=SEED_TITLE, defaults={"published_on": date(2023, 7, 1)}
    )
    sample_source, _ = Source.objects.get_or_create(kind=Source.Kind.SAMPLE, title=SAMPLE_TITLE)
    by_code: dict[str, list[Enterprise]] = defaultdict(list)
    for enterprise in Enterprise.objects.filter(zone=zone).order_by("uscc"):
        by_code[enterprise.industry_code].append(enterprise)
    size = _outputs(zone)

    chains: dict[str, Chain] = {}
    placed = created_chains = 0
    for order, spec in enumerate(CHAINS):
        leader = _user(*spec.leader, group=group)
        chain, created = Chain.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "zone": zone,
                "leader": leader,
                "lead_department": departments[spec.department],
                "description": spec.description,
                "sort_order": order,
            },
        )
        chains[spec.code] = chain
        created_chains += created
        ChainTarget.objects.get_or_create(
            chain=chain,
            year=YEAR,
            defaults={
                "value": Decimal(spec.target_yi),
                "qualifier": "力争达",
                "source": seed_source,
                "source_locator": "第6段",
            },
        )
        nodes: dict[str, ChainNode] = {}
        _nodes(chain, spec.nodes, None, nodes)
        if not ChainEnterprise.objects.filter(node__chain=chain).exists():
            placed += _place(spec, nodes, by_code, size)
        _programmes(chain, departments, leader)

    on_chains = sorted(
        set(ChainEnterprise.objects.filter(node__chain__zone=zone).values_list("enterprise__uscc", "enterprise_id"))
    )
    flags = [
        EnterpriseFlag(enterprise_id=enterprise_id, kind=kind, year=YEAR - 1 + index % 2, source=sample_source)
        for kind, (every, offset) in FLAG_EVERY.items()
        for index, (_, enterprise_id) in enumerate(on_chains)
        if index % every == offset
    ]
    EnterpriseFlag.objects.bulk_create(flags, ignore_conflicts=True)
    requests = _requests(chains, departments)
    if created_chains or placed or requests:
        audit_record(
            action="chain.demo_load",
            summary=f"加载演示产业链：新建{created_chains}条链，列入企业{placed}次，登记诉求{requests}件",
            actor_name="演示数据",
        )
    leaders = "、".join(f"{spec.leader[0]}（{spec.leader[1]}，{spec.name}）" for spec in CHAINS)
    return [
        f"产业链：{len(chains)} 条（新建 {created_chains}），链上企业新列入 {placed} 次，示例诉求 {requests} 件",
        f"  链长用户（密码同上）：{leaders}",
    ]
