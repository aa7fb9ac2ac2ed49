"""What a reader may see of a zone's enterprise-aggregated figures: ``yuanqu.disclosure`` on the database.

For a zone, a period (a cumulative 1—N月, a single month 当月, any run of months) and a measure,
the cells every page, export, API answer and report may show are one system: the zone's
same-scope total and its industries (分行业拉动), and for the chains' measure (工业总产值) each
chain, each node, the chains' union, their simple sum and the double counting between them;
never shown but protected all the same, the zone's enterprises on no chain and a node's own
enterprises beside its sub-nodes. The plan says which cells are suppressed for a reader; the
suppressed ones read "—（保密）".

Statisticians see everything (``ENTERPRISE_READERS``). A 链长 sees their own chains' enterprises,
so those are taken as known and the rest is protected against what they know. Everyone else
with aggregate access knows no enterprise's figure.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from yuanqu.accounts.roles import ENTERPRISE_READERS, Role, User, has_role
from yuanqu.chains.models import Chain, ChainEnterprise, ChainNode, Programme
from yuanqu.chains.selectors import MEASURE as CHAIN_MEASURE
from yuanqu.chains.selectors import ChainFigure, ProgrammeFigure, enterprise_outputs
from yuanqu.core.models import Place
from yuanqu.disclosure import Cell, Plan, Reason, Rules, protect, sensitive
from yuanqu.indicators.models import Enterprise, EnterpriseMonth, Indicator
from yuanqu.indicators.scope import industry_key
from yuanqu.indicators.selectors import IndicatorFigure, Scorecard, cached_by_data
from yuanqu.periods import Period

SUPPRESSED = _("—（保密）")
REASONS = {
    Reason.FEW: _("企业少于{count}家"),
    Reason.DOMINANT: _("一家企业占比超过{pct}%"),
    Reason.COMPLEMENTARY: _("防止由合计与其他数据推算出保密数据"),
}

ZONE = ("zone",)
UNION = ("union",)
SUM_OF_CHAINS = ("sum",)
DOUBLE_COUNTED = ("double",)
REST = ("rest",)


def industry(key: str) -> tuple[str, str]:
    return ("industry", key)


def chain_cell(chain_id: int) -> tuple[str, int]:
    return ("chain", chain_id)


def node_cell(node_id: int) -> tuple[str, int]:
    return ("node", node_id)


def rules() -> Rules:
    return Rules(
        min_enterprises=settings.YUANQU_DISCLOSURE_MIN_ENTERPRISES,
        dominance_pct=settings.YUANQU_DISCLOSURE_DOMINANCE_PCT,
    )


@dataclass(frozen=True)
class Reader:
    """What a reader knows: everything, or the figures of the enterprises on some chains."""

    everything: bool
    chain_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user: User, zone: Place | str) -> "Reader":
        """The reader ``user`` is for a zone (or a zone's code)."""
        if has_role(user, *ENTERPRISE_READERS):
            return cls(everything=True)
        if user.pk is None or not has_role(user, Role.CHAIN_LEADER):
            return cls(everything=False)
        chains = Chain.objects.filter(leader_id=user.pk)
        chains = chains.filter(zone=zone) if isinstance(zone, Place) else chains.filter(zone__code=zone)
        return cls(everything=False, chain_ids=frozenset(chains.values_list("pk", flat=True)))

    @classmethod
    def knowing_nothing(cls) -> "Reader":
        return cls(everything=False)

    @property
    def cache_key(self) -> str:
        return "all" if self.everything else ",".join(str(pk) for pk in sorted(self.chain_ids)) or "none"


@dataclass
class Disclosure:
    """Which of a zone's cells a reader may see for a period and a measure."""

    plan: Plan = field(default_factory=Plan)
    everything: bool = False
    known_chains: frozenset[int] = frozenset()  # whose enterprises the reader sees anyway

    @classmethod
    def unrestricted(cls) -> "Disclosure":
        return cls(everything=True)

    def shows(self, key: tuple[object, ...]) -> bool:
        return self.everything or self.plan.shows(key)

    def reason(self, key: tuple[object, ...]) -> str:
        why = None if self.everything else self.plan.reason(key)
        if why is None:
            return ""
        limits = rules()
        return str(REASONS[why]).format(count=limits.min_enterprises, pct=limits.dominance_pct)

    def zone(self) -> bool:
        return self.shows(ZONE)

    def industry(self, key: str) -> bool:
        return self.shows(industry(key))

    def chain(self, chain_id: int) -> bool:
        return self.shows(chain_cell(chain_id))

    def node(self, node_id: int) -> bool:
        return self.shows(node_cell(node_id))

    def union(self) -> bool:
        return self.shows(UNION)

    def double_counted(self) -> bool:
        return self.shows(DOUBLE_COUNTED) and self.shows(SUM_OF_CHAINS)

    @property
    def suppressed(self) -> list[Any]:
        return [] if self.everything else list(self.plan.suppressed)


def disclosure(*, zone: Place, period: Period, measure: str, reader: Reader) -> Disclosure:
    """The plan for a reader, computed once per change of the data."""
    if reader.everything:
        return Disclosure.unrestricted()
    # Every period, not only the cumulative ones: the engines compute single months (当月) too.
    key = f"disclosure:{zone.pk}:{period.code}:{measure}:{reader.cache_key}"
    plan = cached_by_data(key, lambda: _plan(zone=zone, period=period, measure=measure, reader=reader))
    return Disclosure(plan=plan, known_chains=reader.chain_ids)


def chains_disclosure(*, zone: Place, period: Period, user: User) -> Disclosure:
    """What ``user`` may see of the zone's chains for a period."""
    return disclosure(zone=zone, period=period, measure=CHAIN_MEASURE, reader=Reader.of(user, zone))


def programmes_for(
    items: list[ProgrammeFigure], *, figure: ChainFigure, period: Period, disclosure: Disclosure
) -> list[ProgrammeFigure]:
    """The programmes with the green measure (power per 万元 of output) withheld where it would
    give an enterprise away: the chain's output is withheld, or few enterprises report power."""
    if disclosure.everything or figure.chain_id in disclosure.known_chains:
        return items
    enterprise_ids: set[int] = set().union(*(node.enterprise_ids for node in figure.nodes))
    outputs = enterprise_outputs(enterprise_ids, period)
    reporting = {
        e: (row.power_kwh, row.current_yuan)
        for e, row in outputs.items()
        if row.in_scope and row.power_kwh and row.current_yuan
    }
    if disclosure.chain(figure.chain_id) and sensitive(dict.fromkeys(reporting, 1), reporting, rules()) is None:
        return items
    return [
        replace(item, measure_value=None, measure_text=f"单位产值用电{SUPPRESSED}")
        if item.kind == Programme.GREEN and item.measure_value is not None
        else item
        for item in items
    ]


@dataclass(frozen=True)
class ZoneCells:
    """The cells of a zone for a period and a measure, and each enterprise's (current, base) values."""

    cells: list[Cell]
    values: dict[int, tuple[int, int]]
    chain_members: dict[int, set[int]]  # chain id → its enterprises in scope


def zone_cells(*, zone: Place, period: Period, measure: str) -> ZoneCells:
    """Every cell the pages show of a zone for a period and a measure, with its enterprises."""
    in_scope = set(
        EnterpriseMonth.objects.filter(
            zone=zone, year=period.year, month=period.last_month, above_scale=True
        ).values_list("enterprise_id", flat=True)
    )
    months = EnterpriseMonth.objects.filter(
        enterprise_id__in=in_scope, year__in=[period.year, period.year - 1], month__lte=period.last_month
    )
    if period.first_month > 1:
        months = months.filter(month__gte=period.first_month)
    sums: dict[tuple[int, int], int] = {
        (row["enterprise_id"], row["year"]): int(row["total"] or 0)
        for row in months.values("enterprise_id", "year").annotate(total=Sum(measure))
    }
    values = {e: (sums.get((e, period.year), 0), sums.get((e, period.year - 1), 0)) for e in in_scope}
    industries: dict[str, dict[int, int]] = defaultdict(dict)
    for enterprise_id, code in Enterprise.objects.filter(pk__in=in_scope).values_list("pk", "industry_code"):
        industries[industry_key(code)][enterprise_id] = 1
    cells = [Cell(ZONE, dict.fromkeys(in_scope, 1))]
    cells += [Cell(industry(key), members) for key, members in sorted(industries.items())]
    chain_members: dict[int, set[int]] = {}
    if measure == CHAIN_MEASURE:
        chain_members = _chain_cells(zone, in_scope, cells)
    return ZoneCells(cells=cells, values=values, chain_members=chain_members)


def _chain_cells(zone: Place, in_scope: set[int], cells: list[Cell]) -> dict[int, set[int]]:
    """The chains' cells (appended to ``cells``); returns each chain's enterprises in scope."""
    nodes = list(ChainNode.objects.filter(chain__zone=zone).values_list("pk", "chain_id", "parent_id"))
    parent_of = {pk: parent for pk, _chain, parent in nodes}
    children: dict[int, list[int]] = defaultdict(list)
    for pk, _chain, parent in nodes:
        if parent is not None:
            children[parent].append(pk)
    own: dict[int, set[int]] = defaultdict(set)
    subtree: dict[int, set[int]] = defaultdict(set)
    chain_members: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, node_id, chain_id in ChainEnterprise.objects.filter(
        node__chain__zone=zone, enterprise_id__in=in_scope
    ).values_list("enterprise_id", "node_id", "node__chain_id"):
        own[node_id].add(enterprise_id)
        chain_members[chain_id].add(enterprise_id)
        current: int | None = node_id
        while current is not None:
            subtree[current].add(enterprise_id)
            current = parent_of.get(current)
    for chain_id in sorted(Chain.objects.filter(zone=zone).values_list("pk", flat=True)):
        cells.append(Cell(chain_cell(chain_id), dict.fromkeys(chain_members.get(chain_id, set()), 1)))
    for pk, _chain, _parent in sorted(nodes):
        cells.append(Cell(node_cell(pk), dict.fromkeys(subtree.get(pk, set()), 1)))
        if children.get(pk):
            beside = own[pk] - set().union(*(subtree.get(child, set()) for child in children[pk]))
            cells.append(Cell(("own", pk), dict.fromkeys(beside, 1), published=False))
    times: dict[int, int] = defaultdict(int)
    for members in chain_members.values():
        for enterprise_id in members:
            times[enterprise_id] += 1
    cells.append(Cell(UNION, dict.fromkeys(times, 1)))
    cells.append(Cell(SUM_OF_CHAINS, dict(times)))
    cells.append(Cell(DOUBLE_COUNTED, {e: count - 1 for e, count in times.items() if count > 1}))
    cells.append(Cell(REST, dict.fromkeys(in_scope - set(times), 1), published=False))
    return dict(chain_members)


def _plan(*, zone: Place, period: Period, measure: str, reader: Reader) -> Plan:
    found = zone_cells(zone=zone, period=period, measure=measure)
    known: Iterable[int] = set().union(*(found.chain_members.get(pk, set()) for pk in reader.chain_ids))
    return protect(found.cells, found.values, rules=rules(), known=known)


def scorecard_for(card: Scorecard, *, zone: Place, reader: Reader) -> Scorecard:
    """The scorecard as ``reader`` may see it: a copy without what would give an enterprise away.

    Each enterprise-aggregated figure's industries (分行业拉动) keep only those the plan shows;
    a zone total the plan withholds (too few enterprises, or one dominant) takes with it every
    number computed from it, leaving the official figures.
    """
    if reader.everything:
        return card
    fields = dict(
        Indicator.objects.filter(code__in=[f.code for f in card.figures], origin=Indicator.Origin.ENTERPRISE)
        .exclude(enterprise_field="")
        .values_list("code", "enterprise_field")
    )
    return replace(
        card,
        figures=[
            _figure_for(figure, disclosure(zone=zone, period=card.period, measure=fields[figure.code], reader=reader))
            if figure.code in fields
            else figure
            for figure in card.figures
        ],
    )


def _figure_for(figure: IndicatorFigure, seen: Disclosure) -> IndicatorFigure:
    if not seen.zone():
        computed_value = figure.value_source == "computed"
        computed_growth = figure.growth_source == "computed"
        return replace(
            figure,
            computed=None,
            value=None if computed_value else figure.value,
            value_source="" if computed_value else figure.value_source,
            growth_pct=None if computed_growth else figure.growth_pct,
            growth_source="" if computed_growth else figure.growth_source,
            growth_price_basis="" if computed_growth else figure.growth_price_basis,
            no_comparison=f"同口径计算数{SUPPRESSED}" if computed_growth else figure.no_comparison,
            rank=None if computed_growth else figure.rank,
            target=None if computed_value or computed_growth else figure.target,
            goals=[] if computed_value or computed_growth else figure.goals,
            contributions=[],
            withheld_contributions=len(figure.contributions),
        )
    shown = [item for item in figure.contributions if seen.industry(item.industry)]
    return replace(figure, contributions=shown, withheld_contributions=len(figure.contributions) - len(shown))
