"""Projects by chain: the investment projects signed and substantively started on a chain's nodes.

A period's signings are the projects on the chain whose signing date falls inside the period's
months; its starts are those whose confirmed 实质性开工 date does — the same rules as the
pipeline statistics. Each project keeps the chain role derived when it was signed (补链: the
node had no local enterprise; 强链: it had; 延链: the project adds a node). Amounts are the
planned total investment at signing (亿元), else the current plan, as the pipeline counts them.

Two queries whatever the size of the chain: its nodes (for map order) and its projects.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from yuanqu import figures
from yuanqu.chains.models import Chain, ChainNode
from yuanqu.periods import Period
from yuanqu.projects.models import Project, Stage
from yuanqu.projects.selectors import period_dates

ROLES = [Project.ChainRole.FILL, Project.ChainRole.STRENGTHEN, Project.ChainRole.EXTEND]
UNDECIDED = "未定"
# The colour of each role's tag on the workbench (pills of chains.css).
ROLE_COLOURS = {
    Project.ChainRole.FILL: "red",
    Project.ChainRole.STRENGTHEN: "blue",
    Project.ChainRole.EXTEND: "green",
    "": "",
}


@dataclass(frozen=True)
class ProjectRow:
    id: int
    code: str
    name: str
    category: str
    category_label: str
    investment_yi: Decimal  # planned total at signing, else the current plan
    stage: str
    stage_label: str
    role: str  # fill | strengthen | extend | "" (not derived: no node at signing)
    role_label: str
    role_colour: str
    signed_on: str
    substantive_start_on: str
    signed_in_period: bool
    started_in_period: bool
    node_id: int
    node_name: str
    segment_label: str


@dataclass
class RoleFigure:
    role: str
    label: str
    colour: str
    signed: int = 0
    investment_yi: Decimal = Decimal(0)


@dataclass
class NodeProjects:
    node_id: int
    name: str
    segment_label: str
    signed: int = 0
    signed_investment_yi: Decimal = Decimal(0)
    started: int = 0
    started_investment_yi: Decimal = Decimal(0)
    projects: list[ProjectRow] = field(default_factory=list)


@dataclass
class ChainProjects:
    chain_code: str
    chain_name: str
    period: Period
    nodes: list[NodeProjects]  # only nodes with a project in the period, in map order
    roles: list[RoleFigure]  # 补链, 强链, 延链, then 未定 if any signing has no role
    signed: int
    signed_investment_yi: Decimal
    started: int
    started_investment_yi: Decimal
    # Nodes with a 补链 project signed by the period's end and not terminated: the gap is being filled.
    filling: dict[int, list[str]]

    @property
    def rows(self) -> list[ProjectRow]:
        return [row for node in self.nodes for row in node.projects]

    @property
    def summary(self) -> str:
        """本期签约补链项目X个、强链Y个、延链Z个，总投资…亿元；实质性开工…个。"""
        counts = [f"{item.label}{'项目' if index == 0 else ''}{item.signed}个" for index, item in enumerate(self.roles)]
        undecided = [item for item in self.roles if item.role not in ROLES]
        if undecided:  # signings whose role was never derived (no node at signing)
            counts[-1] = f"未定作用{undecided[0].signed}个"
        return (
            f"{self.period.full_label}签约{'、'.join(counts)}，总投资{figures.rate(self.signed_investment_yi)}亿元；"
            f"实质性开工{self.started}个，计划总投资{figures.rate(self.started_investment_yi)}亿元。"
        )


def _map_order(chain: Chain) -> list[ChainNode]:
    """The chain's nodes depth first, siblings by their sort order: the order of the chain map."""
    nodes = list(ChainNode.objects.filter(chain=chain).order_by("sort_order", "id"))
    children: dict[int | None, list[ChainNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[ChainNode] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return ordered


def chain_projects(*, chain: Chain, period: Period) -> ChainProjects:
    """The chain's projects signed or substantively started in the period, by node and by role."""
    first, last = period_dates(period)
    signed_in = Q(signed_on__gte=first, signed_on__lte=last)
    started_in = Q(substantive_start_on__gte=first, substantive_start_on__lte=last)
    filling_gap = Q(chain_role=Project.ChainRole.FILL, signed_on__lte=last) & ~Q(stage=Stage.TERMINATED)
    projects = (
        Project.objects.filter(chain_node__chain=chain)
        .filter(signed_in | started_in | filling_gap)
        .select_related("chain_node")
        .only(
            "id",
            "code",
            "name",
            "category",
            "stage",
            "chain_role",
            "total_investment_yi",
            "signed_investment_yi",
            "signed_on",
            "substantive_start_on",
            "chain_node__id",
            "chain_node__name",
            "chain_node__segment",
        )
        .order_by("signed_on", "code")
    )
    roles = {role.value: RoleFigure(role.value, str(role.label), ROLE_COLOURS[role]) for role in ROLES}
    by_node: dict[int, NodeProjects] = {}
    filling: dict[int, list[str]] = {}
    for project in projects:
        node = project.chain_node
        assert node is not None  # filtered on the node's chain
        fills = project.chain_role == Project.ChainRole.FILL and project.stage != Stage.TERMINATED
        if fills and project.signed_on is not None and project.signed_on <= last:
            filling.setdefault(node.pk, []).append(f"{project.name}（{project.code}）")
        signed = project.signed_on is not None and first <= project.signed_on <= last
        started = project.substantive_start_on is not None and first <= project.substantive_start_on <= last
        if not (signed or started):
            continue
        amount = project.tier_investment_yi
        role = project.chain_role
        line = by_node.setdefault(node.pk, NodeProjects(node.pk, node.name, str(node.get_segment_display())))
        if signed:
            line.signed += 1
            line.signed_investment_yi += amount
            figure = roles.get(role) or roles.setdefault("", RoleFigure("", UNDECIDED, ""))
            figure.signed += 1
            figure.investment_yi += amount
        if started:
            line.started += 1
            line.started_investment_yi += amount
        line.projects.append(
            ProjectRow(
                id=project.pk,
                code=project.code,
                name=project.name,
                category=project.category,
                category_label=str(project.get_category_display()),
                investment_yi=amount,
                stage=project.stage,
                stage_label=str(project.get_stage_display()),
                role=role,
                role_label=str(project.get_chain_role_display()) if role else UNDECIDED,
                role_colour=ROLE_COLOURS.get(role, ""),
                signed_on=project.signed_on.isoformat() if project.signed_on else "",
                substantive_start_on=(project.substantive_start_on.isoformat() if project.substantive_start_on else ""),
                signed_in_period=signed,
                started_in_period=started,
                node_id=node.pk,
                node_name=node.name,
                segment_label=str(node.get_segment_display()),
            )
        )
    nodes = [by_node[node.pk] for node in _map_order(chain) if node.pk in by_node]
    return ChainProjects(
        chain_code=chain.code,
        chain_name=chain.name,
        period=period,
        nodes=nodes,
        roles=list(roles.values()),
        signed=sum(line.signed for line in nodes),
        signed_investment_yi=sum((line.signed_investment_yi for line in nodes), Decimal(0)),
        started=sum(line.started for line in nodes),
        started_investment_yi=sum((line.started_investment_yi for line in nodes), Decimal(0)),
        filling=filling,
    )
