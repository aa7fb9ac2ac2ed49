"""Pipeline statistics for a zone and a period, and the board's rows.

A period's signings are the projects whose signing date falls inside it; its substantive
starts are the confirmed 实质性开工 claims dated inside it. Tiers are counted on the planned
total investment at signing, under the zone's counting rule or the one a report asks for.
"""

import calendar
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.projects.models import MAIN_LINE, Category, Project, ProjectCredit, Stage
from yuanqu.projects.rules import GREEN, Rules, overdue_colour, rules_for
from yuanqu.projects.tiers import TierCount, count_tiers

HUNDRED = Decimal(100)
FUNNEL = [
    (Stage.SIGNED, "signed_on"),
    (Stage.REGISTERED, "registered_on"),
    (Stage.STARTED, "started_on"),
    (Stage.COMPLETED, "completed_on"),
    (Stage.PRODUCING, "producing_on"),
]


def period_dates(period: Period) -> tuple[date, date]:
    last_day = calendar.monthrange(period.year, period.last_month)[1]
    return date(period.year, period.first_month, 1), date(period.year, period.last_month, last_day)


@dataclass
class CategoryFigures:
    category: str
    label: str
    signed: int
    investment_yi: Decimal
    floor_signed: int  # signed at or above the lowest tier (亿元以上)
    floor_investment_yi: Decimal
    tiers: list[TierCount]
    starts: int


@dataclass
class FunnelStep:
    stage: str
    label: str
    count: int
    rate_pct: Decimal | None  # share of the previous step that reached this one
    of_signed_pct: Decimal | None
    median_days: Decimal | None  # from the previous step, among projects that reached both


@dataclass
class CreditLine:
    name: str
    projects: int
    credited_count: Decimal  # Σ share: a project shared 60/40 counts 0.6 and 0.4
    credited_investment_yi: Decimal


@dataclass
class ChainLine:
    chain: str
    projects: int
    investment_yi: Decimal
    roles: dict[str, int]


@dataclass
class PipelineStatistics:
    zone: Place
    period: Period
    rules: Rules
    categories: dict[str, CategoryFigures]
    funnel: list[FunnelStep]
    officers: list[CreditLine]
    departments: list[CreditLine]
    chains: list[ChainLine]
    as_of: date
    year_ago: "PipelineStatistics | None" = None
    notes: list[str] = field(default_factory=list)

    @property
    def signed_total(self) -> int:
        return sum(figures.signed for figures in self.categories.values())

    @property
    def starts_total(self) -> int:
        return sum(figures.starts for figures in self.categories.values())


def pipeline_statistics(
    *,
    zone: Place,
    period: Period,
    counting_rule: str | None = None,
    as_of: date | None = None,
    with_year_ago: bool = True,
) -> PipelineStatistics:
    rules = rules_for(zone, counting_rule=counting_rule)
    first, last = period_dates(period)
    today = as_of or timezone.localdate()
    signed = list(
        Project.objects.in_zone(zone)
        .signed_between(first, last)
        .only("id", "category", "signed_investment_yi", "total_investment_yi", *(key for _, key in FUNNEL))
    )
    starts: dict[str, int] = defaultdict(int)
    for category in Project.objects.in_zone(zone).started_between(first, last).values_list("category", flat=True):
        starts[category] += 1

    categories: dict[str, CategoryFigures] = {}
    for category in Category:
        amounts = [project.tier_investment_yi for project in signed if project.category == category]
        above_floor = [amount for amount in amounts if amount >= rules.floor_yi]
        categories[category.value] = CategoryFigures(
            category=category.value,
            label=str(category.label),
            signed=len(amounts),
            investment_yi=sum(amounts, Decimal(0)),
            floor_signed=len(above_floor),
            floor_investment_yi=sum(above_floor, Decimal(0)),
            tiers=count_tiers(amounts, rules.thresholds_yi, rules.counting_rule),
            starts=starts.get(category.value, 0),
        )
    result = PipelineStatistics(
        zone=zone,
        period=period,
        rules=rules,
        categories=categories,
        funnel=funnel(signed, as_of=today),
        officers=[],
        departments=[],
        chains=chain_lines(zone, first, last),
        as_of=today,
    )
    result.officers, result.departments = credit_lines(zone, first, last)
    if with_year_ago:
        result.year_ago = pipeline_statistics(
            zone=zone, period=period.year_ago(), counting_rule=rules.counting_rule, as_of=as_of, with_year_ago=False
        )
    return result


def funnel(projects: list[Project], *, as_of: date) -> list[FunnelStep]:
    """signed → registered → started → completed → producing for a cohort of signed projects.

    A step counts the projects whose date for it is on or before ``as_of``; the rate is the
    share of the previous step's projects, and the median counts days from the previous step.
    """
    steps: list[FunnelStep] = []
    previous_key: str | None = None
    previous_count = 0
    signed_count = 0
    for stage, key in FUNNEL:
        reached = [project for project in projects if (day := getattr(project, key)) is not None and day <= as_of]
        count = len(reached)
        if previous_key is None:
            signed_count = count
        gaps = [
            (getattr(project, key) - getattr(project, previous_key)).days
            for project in reached
            if previous_key is not None and getattr(project, previous_key) is not None
        ]
        steps.append(
            FunnelStep(
                stage=stage,
                label=str(Stage(stage).label),
                count=count,
                rate_pct=Decimal(count) * HUNDRED / previous_count if previous_key and previous_count else None,
                of_signed_pct=Decimal(count) * HUNDRED / signed_count if signed_count else None,
                median_days=Decimal(str(statistics.median(gaps))) if gaps else None,
            )
        )
        previous_key, previous_count = key, count
    return steps


def credit_lines(zone: Place, first: date, last: date) -> tuple[list[CreditLine], list[CreditLine]]:
    """The leaderboards: credited projects and investment by officer and by department."""
    credits = (
        ProjectCredit.objects.filter(project__zone=zone, project__signed_on__gte=first, project__signed_on__lte=last)
        .select_related("officer", "department", "project")
        .only(
            "share_pct",
            "officer__username",
            "officer__first_name",
            "officer__last_name",
            "department__name",
            "project__signed_investment_yi",
            "project__total_investment_yi",
        )
    )
    officers: dict[str, CreditLine] = {}
    departments: dict[str, CreditLine] = {}
    for credit in credits:
        share = credit.share_pct / HUNDRED
        amount = credit.project.tier_investment_yi * share
        targets = []
        if credit.officer is not None:
            name = credit.officer.get_full_name() or credit.officer.get_username()
            targets.append(officers.setdefault(name, CreditLine(name, 0, Decimal(0), Decimal(0))))
        if credit.department is not None:
            name = credit.department.name
            targets.append(departments.setdefault(name, CreditLine(name, 0, Decimal(0), Decimal(0))))
        for line in targets:
            line.projects += 1
            line.credited_count += share
            line.credited_investment_yi += amount

    def ranked(lines: dict[str, CreditLine]) -> list[CreditLine]:
        return sorted(lines.values(), key=lambda line: (-line.credited_investment_yi, -line.credited_count, line.name))

    return ranked(officers), ranked(departments)


def chain_lines(zone: Place, first: date, last: date) -> list[ChainLine]:
    rows = (
        Project.objects.in_zone(zone)
        .signed_between(first, last)
        .filter(chain_node__isnull=False)
        .values_list("chain_node__chain__name", "chain_role", "signed_investment_yi", "total_investment_yi")
    )
    lines: dict[str, ChainLine] = {}
    for chain, role, at_signing, planned in rows:
        line = lines.setdefault(chain, ChainLine(chain, 0, Decimal(0), {}))
        line.projects += 1
        line.investment_yi += at_signing if at_signing is not None else planned
        label = str(Project.ChainRole(role).label) if role else "未定"
        line.roles[label] = line.roles.get(label, 0) + 1
    return sorted(lines.values(), key=lambda line: (-line.investment_yi, line.chain))


# -- the board and the overdue list --------------------------------------------------------


@dataclass
class BoardCard:
    project: Project
    days: int
    colour: str


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[BoardCard]  # the first ``limit`` of the stage
    total: int
    overdue: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


BOARD_STAGES = [*MAIN_LINE, Stage.ON_HOLD]
# Projects whose work is done: 达产, and urban construction once completed (it produces nothing).
FINISHED = Q(stage=Stage.FULL_CAPACITY) | Q(stage=Stage.COMPLETED, category=Category.URBAN_CONSTRUCTION)


def board(
    *,
    zone: Place,
    category: str | None = None,
    today: date | None = None,
    include_final: bool = False,
    limit: int | None = 60,
    query: str = "",
    stage: str | None = None,
) -> list[BoardColumn]:
    """The pipeline by stage, the longest-waiting first; finished projects only when asked, never 终止.

    ``query`` finds projects by name, code or investor; ``stage`` keeps one column; ``limit``
    caps the cards of a column (None: all of them).
    """
    rules = rules_for(zone)
    day = today or timezone.localdate()
    projects = Project.objects.in_zone(zone).exclude(stage=Stage.TERMINATED)
    if not include_final:
        projects = projects.exclude(FINISHED)
    if category:
        projects = projects.filter(category=category)
    if query:
        projects = projects.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(investor__icontains=query))
    if stage:
        projects = projects.filter(stage=stage)
    grouped: dict[str, list[BoardCard]] = defaultdict(list)
    for project in projects.order_by("stage_since", "code").only(
        "id", "code", "name", "category", "stage", "stage_since", "total_investment_yi", "chain_role", "investor"
    ):
        days = (day - project.stage_since).days
        grouped[project.stage].append(
            BoardCard(project, days, overdue_colour(project.stage, project.stage_since, day, rules.stage_limits))
        )
    stages = BOARD_STAGES if include_final else [item for item in BOARD_STAGES if item != Stage.FULL_CAPACITY]
    if stage:
        stages = [item for item in stages if item == stage]
    return [
        BoardColumn(
            stage=item,
            label=str(Stage(item).label),
            cards=grouped.get(item, [])[:limit],
            total=len(grouped.get(item, [])),
            overdue=sum(1 for card in grouped.get(item, []) if card.colour != GREEN),
        )
        for item in stages
    ]


def overdue_projects(*, zone: Place, today: date | None = None) -> list[BoardCard]:
    """Projects past their stage's limit, red first, then the longest overdue."""
    rules = rules_for(zone)
    day = today or timezone.localdate()
    cards = []
    for project in Project.objects.in_zone(zone).exclude(stage=Stage.TERMINATED).exclude(FINISHED):
        colour = overdue_colour(project.stage, project.stage_since, day, rules.stage_limits)
        if colour != GREEN:
            cards.append(BoardCard(project, (day - project.stage_since).days, colour))
    return sorted(cards, key=lambda card: (card.colour != "red", -card.days, card.project.code))
