"""Reads of the chain workbench that span apps and feed reports: progress, the chain map, gaps.

A chain's output is the same-scope cumulative figure of its enterprises, computed exactly as
the scorecard computes the zone's: the chain's enterprises that are in scope (规上) in the
period's last month, their values for months 1..N this year against the same enterprises'
values a year earlier. An enterprise placed on two chains belongs to both chains' figures
but is counted once in any zone total, and the result says how many such enterprises there
are and how much output they would have added twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from yuanqu import figures
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
)
from yuanqu.chains.rules import FAR_BEHIND_PP, task_colour
from yuanqu.core.models import Place
from yuanqu.indicators.models import EnterpriseField, EnterpriseMonth
from yuanqu.indicators.scope import BaseKind
from yuanqu.indicators.selectors import (
    SameScopeFigure,
    enterprise_bases,
    same_scope_figure,
    scope_row_of,
    zone_same_scope,
)
from yuanqu.periods import Period

HUNDRED = Decimal(100)
MEASURE = EnterpriseField.INDUSTRIAL_OUTPUT


@dataclass(frozen=True)
class EnterpriseOutput:
    """One enterprise's figures for a period (amounts in 元, power in kWh).

    For an enterprise in scope, the base and its kind follow the same-scope rule
    (``indicators/scope.py``), as the zone's totals do.
    """

    enterprise_id: int
    current_yuan: int
    base_yuan: int
    has_base: bool
    in_scope: bool
    power_kwh: int = 0
    base_power_kwh: int = 0
    kind: BaseKind = BaseKind.MISSING
    new_entrant: bool = False


@dataclass(frozen=True)
class TargetProgress:
    target_id: int
    year: int
    value_yi: Decimal
    qualifier: str
    is_sample: bool
    completion_pct: Decimal | None
    time_progress_pct: Decimal
    gap_pp: Decimal | None  # completion − 序时进度
    status: str  # ahead | behind | far-behind | ""
    reason: str = ""


@dataclass
class NodeEnterprise:
    enterprise_id: int
    uscc: str
    name: str
    industry_code: str
    role: str
    role_label: str
    commitment: str
    output: EnterpriseOutput | None

    @property
    def current_wan(self) -> Decimal | None:
        return figures.wan_from_yuan(self.output.current_yuan) if self.output else None

    @property
    def growth_pct(self) -> Decimal | None:
        if self.output is None or not self.output.has_base or self.output.base_yuan <= 0:
            return None
        return figures.percent_change(Decimal(self.output.current_yuan), Decimal(self.output.base_yuan))


@dataclass
class NodeFigure:
    id: int
    name: str
    segment: str
    segment_label: str
    parent_id: int | None
    depth: int
    enterprise_ids: set[int]  # the node's and its sub-nodes' enterprises
    own_enterprise_ids: set[int]
    current_yuan: int = 0  # same-scope output of the subtree's enterprises, each counted once
    in_scope: int = 0  # how many of them are in scope (规上)
    share_pct: Decimal | None = None
    gap: str = ""  # "missing" | "weak" | ""
    gap_reason: str = ""
    children: list["NodeFigure"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def current_yi(self) -> Decimal:
        return figures.yi_from_yuan(self.current_yuan)


@dataclass
class ChainFigure:
    chain_id: int
    code: str
    name: str
    leader_id: int | None
    leader_name: str
    department: str
    period: Period
    placed_enterprises: int
    masters: list[str]
    output: SameScopeFigure
    target: TargetProgress | None
    contribution_pp: Decimal | None
    shared_enterprises: int  # in scope here and also on another chain of the zone
    nodes: list[NodeFigure]  # roots, in map order
    gaps: list[NodeFigure]
    open_requests: int = 0
    overdue_requests: int = 0

    @property
    def missing_nodes(self) -> list[NodeFigure]:
        return [node for node in self.gaps if node.gap == "missing"]

    @property
    def weak_nodes(self) -> list[NodeFigure]:
        return [node for node in self.gaps if node.gap == "weak"]

    def all_nodes(self) -> list[NodeFigure]:
        result: list[NodeFigure] = []
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            result.append(node)
            stack.extend(reversed(node.children))
        return result


@dataclass
class ChainsProgress:
    zone_code: str
    zone_name: str
    period: Period
    measure: str
    chains: list[ChainFigure]
    union: SameScopeFigure  # every chain enterprise counted once
    sum_of_chains_yuan: int  # the chains' outputs simply added: shared enterprises count twice
    shared_enterprises: int
    zone: SameScopeFigure | None  # the zone's same-scope total (ScopeTotal), for shares and 拉动
    union_contribution_pp: Decimal | None
    union_share_pct: Decimal | None

    @property
    def double_counted_yuan(self) -> int:
        return self.sum_of_chains_yuan - self.union.current_yuan

    @property
    def shared_note(self) -> str:
        if not self.shared_enterprises:
            return "各产业链之间没有重复企业。"
        return (
            f"有{self.shared_enterprises}家规上企业同时属于两条及以上产业链，各链产值分别计入，"
            f"园区合计中每家企业只计一次（各链简单相加会重复计算"
            f"{figures.rate(figures.yi_from_yuan(self.double_counted_yuan))}亿元）。"
        )


# -- building blocks ------------------------------------------------------------------


def enterprise_outputs(
    enterprises: QuerySet[ChainEnterprise] | Iterable[int], period: Period, measure: str = MEASURE
) -> dict[int, EnterpriseOutput]:
    """The figures of a set of enterprises for a period, in a few queries.

    ``enterprises`` is a ChainEnterprise queryset (used as a subquery) or enterprise ids. The
    enterprises in scope in the period's last month get their base by the same-scope rule;
    the others only their own values.
    """
    ids = enterprises.values("enterprise_id") if isinstance(enterprises, QuerySet) else list(enterprises)
    months = EnterpriseMonth.objects.filter(
        enterprise_id__in=ids, year__in=[period.year, period.year - 1], month__lte=period.last_month
    )
    if period.first_month > 1:
        months = months.filter(month__gte=period.first_month)
    totals: dict[tuple[int, int], tuple[int, int, int]] = {
        (row["enterprise_id"], row["year"]): (int(row["total"] or 0), int(row["power"] or 0), row["rows"])
        for row in months.values("enterprise_id", "year").annotate(
            total=Sum(measure), power=Sum("electricity"), rows=Count("id")
        )
    }
    power = EnterpriseField.ELECTRICITY
    found = enterprise_bases(period=period, fields=[measure, power], enterprise_ids=ids)
    result: dict[int, EnterpriseOutput] = {}
    for enterprise_id in {key[0] for key in totals} | set(found[measure]):
        now = totals.get((enterprise_id, period.year), (0, 0, 0))
        before = totals.get((enterprise_id, period.year - 1))
        base = found[measure].get(enterprise_id)
        power_base = found[power].get(enterprise_id)
        if base is None:
            result[enterprise_id] = EnterpriseOutput(
                enterprise_id=enterprise_id,
                current_yuan=now[0],
                base_yuan=before[0] if before else 0,
                has_base=before is not None,
                in_scope=False,
                power_kwh=now[1],
                base_power_kwh=before[1] if before else 0,
            )
            continue
        result[enterprise_id] = EnterpriseOutput(
            enterprise_id=enterprise_id,
            current_yuan=base.current_yuan,
            base_yuan=base.base_yuan,
            has_base=base.has_base,
            in_scope=True,
            power_kwh=power_base.current_yuan if power_base else now[1],
            base_power_kwh=power_base.base_yuan if power_base and power_base.has_base else 0,
            kind=base.kind,
            new_entrant=base.new_entrant,
        )
    return result


def same_scope_of(
    enterprise_ids: Iterable[int], outputs: dict[int, EnterpriseOutput], period: Period
) -> SameScopeFigure:
    """The same-scope total of some enterprises, by the zone's rule (``same_scope_figure``)."""
    rows = [outputs[e] for e in set(enterprise_ids) if e in outputs and outputs[e].in_scope]
    return same_scope_figure(scope_row_of(rows) if rows else None, period)


def target_progress(target: ChainTarget | None, period: Period, output: SameScopeFigure) -> TargetProgress | None:
    """Completion of the annual target against 序时进度 (months elapsed / 12), in points."""
    if target is None:
        return None
    time_progress = period.time_progress * HUNDRED
    completion: Decimal | None = None
    gap: Decimal | None = None
    reason = ""
    if not period.is_cumulative:
        reason = "目标进度按累计期（1—N月）计算"
    elif output.enterprises == 0:
        reason = "没有本期累计值，无法计算完成率"
    else:
        completion = output.current_yi / target.value * HUNDRED
        gap = completion - time_progress
    status = ""
    if gap is not None:
        status = "ahead" if gap >= 0 else ("behind" if -gap <= FAR_BEHIND_PP else "far-behind")
    return TargetProgress(
        target_id=target.pk,
        year=target.year,
        value_yi=target.value,
        qualifier=target.qualifier,
        is_sample=target.is_sample,
        completion_pct=completion,
        time_progress_pct=time_progress,
        gap_pp=gap,
        status=status,
        reason=reason,
    )


def _node_tree(
    chain: Chain,
    nodes: list[ChainNode],
    placements: list[ChainEnterprise],
    outputs: dict[int, EnterpriseOutput],
    chain_output: SameScopeFigure,
) -> tuple[list[NodeFigure], list[NodeFigure]]:
    """The chain map with each node's output and share, and its gaps (missing and weak leaves)."""
    own: dict[int, set[int]] = defaultdict(set)
    for placement in placements:
        own[placement.node_id].add(placement.enterprise_id)
    by_id = {
        node.pk: NodeFigure(
            id=node.pk,
            name=node.name,
            segment=node.segment,
            segment_label=str(node.get_segment_display()),
            parent_id=node.parent_id,
            depth=0,
            enterprise_ids=set(),
            own_enterprise_ids=own.get(node.pk, set()),
        )
        for node in nodes
    }
    roots: list[NodeFigure] = []
    for node in nodes:  # already in map order
        figure = by_id[node.pk]
        parent = by_id.get(node.parent_id) if node.parent_id else None
        (parent.children if parent else roots).append(figure)

    def fill(figure: NodeFigure, depth: int) -> set[int]:
        figure.depth = depth
        figure.enterprise_ids = set(figure.own_enterprise_ids)
        for child in figure.children:
            figure.enterprise_ids |= fill(child, depth + 1)
        counted = [outputs[e] for e in figure.enterprise_ids if e in outputs and outputs[e].in_scope]
        figure.current_yuan = sum(output.current_yuan for output in counted)
        figure.in_scope = len(counted)
        if chain_output.current_yuan > 0:
            figure.share_pct = Decimal(figure.current_yuan) / Decimal(chain_output.current_yuan) * HUNDRED
        return figure.enterprise_ids

    for root in roots:
        fill(root, 0)
    gaps: list[NodeFigure] = []
    threshold = chain.weak_share_pct
    stack = list(reversed(roots))
    while stack:
        figure = stack.pop()
        stack.extend(reversed(figure.children))
        if not figure.is_leaf:
            continue
        if not figure.enterprise_ids:
            figure.gap, figure.gap_reason = "missing", "本地无企业（补链）"
        elif len(figure.enterprise_ids) == 1:
            figure.gap, figure.gap_reason = "weak", "仅一家本地企业（单一供应商）"
        elif figure.share_pct is not None and figure.share_pct < threshold:
            # No figure in the reason: in a node of two enterprises, each could work out the other's output.
            figure.gap, figure.gap_reason = "weak", f"产值占全链比重低于{figures.plain(threshold)}%（强链）"
        if figure.gap:
            gaps.append(figure)
    return roots, gaps


def _zone_same_scope(zone: Place, period: Period, measure: str) -> SameScopeFigure | None:
    figure = zone_same_scope(zone, measure, period)
    return figure if figure.enterprises else None


def _contribution(part: SameScopeFigure, zone: SameScopeFigure | None) -> Decimal | None:
    """拉动 = (part now − part a year ago) / zone total a year ago × 100, in points."""
    if zone is None or zone.base_yuan <= 0 or part.growth_pct is None:
        return None
    return Decimal(part.current_with_base_yuan - part.base_yuan) / Decimal(zone.base_yuan) * HUNDRED


# -- the progress of all chains ---------------------------------------------------------


def chains_progress(
    *, zone: Place, period: Period, chains: list[Chain] | None = None, today: date | None = None
) -> ChainsProgress:
    """Every chain of a zone for a period: output, target progress, growth, 拉动, gaps, requests.

    A fixed number of queries whatever the number of chains, nodes and enterprises.
    """
    measure = MEASURE
    items = (
        chains
        if chains is not None
        else list(Chain.objects.filter(zone=zone).select_related("leader", "lead_department"))
    )
    chain_ids = [chain.pk for chain in items]
    nodes = list(ChainNode.objects.filter(chain_id__in=chain_ids).order_by("chain_id", "sort_order", "id"))
    placements = list(ChainEnterprise.objects.filter(node__chain_id__in=chain_ids).select_related("node", "enterprise"))
    outputs = enterprise_outputs(
        ChainEnterprise.objects.filter(node__chain__zone=zone, node__chain_id__in=chain_ids), period, measure
    )
    targets = {
        target.chain_id: target
        for target in ChainTarget.objects.filter(chain_id__in=chain_ids, year=period.year, measure=measure)
    }
    requests = _request_counts(chain_ids, today or date.today())
    zone_total = _zone_same_scope(zone, period, measure)

    chains_of: dict[int, set[int]] = defaultdict(set)
    for placement in placements:
        chains_of[placement.enterprise_id].add(placement.node.chain_id)
    shared = {e for e, owners in chains_of.items() if len(owners) > 1 and e in outputs and outputs[e].in_scope}

    result: list[ChainFigure] = []
    for chain in items:
        chain_placements = [p for p in placements if p.node.chain_id == chain.pk]
        enterprise_ids = {p.enterprise_id for p in chain_placements}
        output = same_scope_of(enterprise_ids, outputs, period)
        roots, gaps = _node_tree(chain, [n for n in nodes if n.chain_id == chain.pk], chain_placements, outputs, output)
        open_count, overdue_count = requests.get(chain.pk, (0, 0))
        result.append(
            ChainFigure(
                chain_id=chain.pk,
                code=chain.code,
                name=chain.name,
                leader_id=chain.leader_id,
                leader_name=(chain.leader.get_full_name() or chain.leader.get_username()) if chain.leader else "",
                department=chain.lead_department.name if chain.lead_department else "",
                period=period,
                placed_enterprises=len(enterprise_ids),
                masters=sorted({p.enterprise.name for p in chain_placements if p.role == ChainEnterprise.Role.MASTER}),
                output=output,
                target=target_progress(targets.get(chain.pk), period, output),
                contribution_pp=_contribution(output, zone_total),
                shared_enterprises=len(shared & enterprise_ids),
                nodes=roots,
                gaps=gaps,
                open_requests=open_count,
                overdue_requests=overdue_count,
            )
        )
    union = same_scope_of(chains_of.keys(), outputs, period)
    return ChainsProgress(
        zone_code=zone.code,
        zone_name=zone.name,
        period=period,
        measure=measure,
        chains=result,
        union=union,
        sum_of_chains_yuan=sum(item.output.current_yuan for item in result),
        shared_enterprises=len(shared),
        zone=zone_total,
        union_contribution_pp=_contribution(union, zone_total),
        union_share_pct=(
            Decimal(union.current_yuan) / Decimal(zone_total.current_yuan) * HUNDRED
            if zone_total is not None and zone_total.current_yuan > 0
            else None
        ),
    )


def chain_progress(*, chain: Chain, period: Period, today: date | None = None) -> tuple[ChainFigure, ChainsProgress]:
    """One chain's figures, computed with the zone's other chains so that shared enterprises are known."""
    progress = chains_progress(zone=chain.zone, period=period, today=today)
    figure = next(item for item in progress.chains if item.chain_id == chain.pk)
    return figure, progress


def _request_counts(chain_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    rows = (
        EnterpriseRequest.objects.open()
        .filter(chain_id__in=chain_ids)
        .values("chain_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    )
    return {row["chain_id"]: (row["open"], row["overdue"]) for row in rows}


# -- the enterprises on a node ------------------------------------------------------------


def node_enterprises(*, node: ChainNode, period: Period) -> list[NodeEnterprise]:
    """The enterprises on a node and its sub-nodes with their cumulative output (enterprise-level data)."""
    subtree = _subtree_ids(node)
    placements = list(
        ChainEnterprise.objects.filter(node_id__in=subtree).select_related("enterprise").order_by("role", "id")
    )
    outputs = enterprise_outputs([p.enterprise_id for p in placements], period)
    seen: set[int] = set()
    result: list[NodeEnterprise] = []
    for placement in placements:
        if placement.enterprise_id in seen:
            continue
        seen.add(placement.enterprise_id)
        result.append(
            NodeEnterprise(
                enterprise_id=placement.enterprise_id,
                uscc=placement.enterprise.uscc,
                name=placement.enterprise.name,
                industry_code=placement.enterprise.industry_code,
                role=placement.role,
                role_label=str(placement.get_role_display()),
                commitment=placement.commitment,
                output=outputs.get(placement.enterprise_id),
            )
        )
    order: dict[str, int] = {
        ChainEnterprise.Role.MASTER: 0,
        ChainEnterprise.Role.BACKBONE: 1,
        ChainEnterprise.Role.SUPPORTING: 2,
    }
    result.sort(key=lambda item: (order.get(item.role, 3), -(item.output.current_yuan if item.output else 0)))
    return result


def _subtree_ids(node: ChainNode) -> list[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for node_id, parent_id in ChainNode.objects.filter(chain_id=node.chain_id).values_list("id", "parent_id"):
        children[parent_id].append(node_id)
    result, stack = [], [node.pk]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


# -- the five programmes ------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    owner: str
    department: str
    deadline: date
    progress_pct: int
    note: str
    colour: str
    colour_label: str


@dataclass
class ProgrammeFigure:
    kind: str
    name: str
    goal: str
    goal_value: Decimal | None
    measure_label: str
    measure_value: Decimal | None
    measure_unit: str
    measure_text: str
    programme_id: int | None
    tasks: list[TaskRow]


def programmes(
    *, chain: Chain, period: Period, figure: ChainFigure, today: date | None = None
) -> list[ProgrammeFigure]:
    """The five programmes of a chain for the period's year, each with tasks and a measure from data."""
    day = today or date.today()
    enterprise_ids: set[int] = set()
    for node in figure.nodes:
        enterprise_ids |= node.enterprise_ids
    outputs = enterprise_outputs(enterprise_ids, period)
    in_scope = {e for e in enterprise_ids if e in outputs and outputs[e].in_scope}
    flags: dict[str, set[int]] = defaultdict(set)
    for enterprise_id, kind in EnterpriseFlag.objects.filter(
        enterprise_id__in=enterprise_ids, year__lte=period.year
    ).values_list("enterprise_id", "kind"):
        flags[kind].add(enterprise_id)
    was_in_scope = set(
        EnterpriseMonth.objects.filter(
            enterprise_id__in=in_scope, year=period.year - 1, month=12, above_scale=True
        ).values_list("enterprise_id", flat=True)
    )
    records = {
        record.kind: record
        for record in ChainProgramme.objects.filter(chain=chain, year=period.year).prefetch_related(
            "tasks__owner", "tasks__department"
        )
    }
    measures = _measures(in_scope, was_in_scope, flags, outputs)
    result: list[ProgrammeFigure] = []
    for kind in Programme:
        record = records.get(kind.value)
        label, value, unit, text = measures[kind.value]
        tasks = list(record.tasks.all()) if record else []
        result.append(
            ProgrammeFigure(
                kind=kind.value,
                name=str(kind.label),
                goal=record.goal if record else "",
                goal_value=record.goal_value if record else None,
                measure_label=label,
                measure_value=value,
                measure_unit=unit,
                measure_text=text,
                programme_id=record.pk if record else None,
                tasks=[_task_row(task, day) for task in tasks],
            )
        )
    return result


def _task_row(task: ProgrammeTask, today: date) -> TaskRow:
    colour, label = task_colour(
        starts_on=task.starts_on, deadline=task.deadline, progress_pct=task.progress_pct, today=today
    )
    return TaskRow(
        id=task.pk,
        title=task.title,
        owner=(task.owner.get_full_name() or task.owner.get_username()) if task.owner else "",
        department=task.department.name if task.department else "",
        deadline=task.deadline,
        progress_pct=task.progress_pct,
        note=task.note,
        colour=colour,
        colour_label=label,
    )


Measure = tuple[str, Decimal | None, str, str]


def _measures(
    in_scope: set[int], was_in_scope: set[int], flags: dict[str, set[int]], outputs: dict[int, EnterpriseOutput]
) -> dict[str, Measure]:
    entered = len(in_scope - was_in_scope)
    specialised = flags[EnterpriseFlag.Kind.SPECIALISED] | flags[EnterpriseFlag.Kind.LITTLE_GIANT]
    giants = len(flags[EnterpriseFlag.Kind.LITTLE_GIANT])
    high_tech = len(flags[EnterpriseFlag.Kind.HIGH_TECH])
    smart = len(flags[EnterpriseFlag.Kind.SMART_FACTORY])
    green = len(flags[EnterpriseFlag.Kind.GREEN_FACTORY])
    # Energy use per 万元 output of the in-scope enterprises that report power, this year and
    # the same enterprises a year earlier.
    reporting = [outputs[e] for e in in_scope if outputs[e].power_kwh and outputs[e].current_yuan]
    intensity = _intensity(sum(r.power_kwh for r in reporting), sum(r.current_yuan for r in reporting))
    with_base = [r for r in reporting if r.base_power_kwh and r.base_yuan]
    base_intensity = _intensity(sum(r.base_power_kwh for r in with_base), sum(r.base_yuan for r in with_base))
    same_now = _intensity(sum(r.power_kwh for r in with_base), sum(r.current_yuan for r in with_base))
    if intensity is None:
        green_text = "没有用电量数据"
    elif base_intensity is None or same_now is None:
        green_text = f"单位产值用电{figures.rate(intensity)}千瓦时/万元，缺少上年同期数据"
    else:
        change = figures.percent_change(same_now, base_intensity)
        trend = figures.growth(change).replace("增长", "上升")
        green_text = f"单位产值用电{figures.rate(intensity)}千瓦时/万元，同口径比上年同期{trend}；绿色工厂{green}家"
    return {
        Programme.CLUSTER: (
            "规上企业数",
            Decimal(len(in_scope)),
            "家",
            f"规上企业{len(in_scope)}家，其中今年新入规{entered}家",
        ),
        Programme.INNOVATION: ("高新技术企业数", Decimal(high_tech), "家", f"高新技术企业{high_tech}家"),
        Programme.DIGITAL: ("智能工厂/数字化车间", Decimal(smart), "家", f"智能工厂和数字化车间{smart}家"),
        Programme.SPECIALISED: (
            "专精特新企业数",
            Decimal(len(specialised)),
            "家",
            f"专精特新企业{len(specialised)}家，其中“小巨人”{giants}家",
        ),
        Programme.GREEN: ("单位产值用电", intensity, "千瓦时/万元", green_text),
    }


def _intensity(power_kwh: int, output_yuan: int) -> Decimal | None:
    if not power_kwh or output_yuan <= 0:
        return None
    return Decimal(power_kwh) / figures.wan_from_yuan(output_yuan)
