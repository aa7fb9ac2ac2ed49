"""A zone's pipeline configuration, read with working defaults, and the overdue colours.

Thresholds, the counting rule, stage limits and the 实质性开工 checklist are data
(``PipelineRules``, ``TierThreshold``, ``StageLimit``, ``StartRequirement``); a zone that has
configured nothing gets the defaults below, which ``rules_ensure_defaults`` also writes.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yuanqu.core.models import Place
from yuanqu.projects.models import (
    Category,
    CountingRule,
    PipelineRules,
    Stage,
    StageLimit,
    StartRequirement,
    TierThreshold,
)
from yuanqu.projects.tiers import DEFAULT_THRESHOLDS_YI

# (yellow after, red after) days in a stage.
DEFAULT_STAGE_LIMITS: dict[str, tuple[int, int]] = {
    Stage.NEGOTIATING: (180, 365),
    Stage.SIGNED: (90, 180),
    Stage.REGISTERED: (120, 240),
    Stage.LAND: (90, 180),
    Stage.STARTED: (540, 720),
    Stage.COMPLETED: (120, 240),
    Stage.PRODUCING: (730, 1095),
    Stage.ON_HOLD: (90, 180),
}
# (name, kind, minimum completed-investment share in %) per category.
DEFAULT_START_REQUIREMENTS: dict[str, list[tuple[str, str, Decimal | None]]] = {
    Category.ADVANCED_MANUFACTURING: [
        ("施工许可证", StartRequirement.Kind.DOCUMENT, None),
        ("桩基施工", StartRequirement.Kind.DOCUMENT, None),
        ("已完成投资", StartRequirement.Kind.INVESTMENT_SHARE, Decimal(10)),
    ],
    Category.MODERN_SERVICES: [
        ("施工许可证", StartRequirement.Kind.DOCUMENT, None),
        ("已完成投资", StartRequirement.Kind.INVESTMENT_SHARE, Decimal(10)),
    ],
    Category.TECHNICAL_RENOVATION: [
        ("设备购置合同", StartRequirement.Kind.DOCUMENT, None),
        ("已完成投资", StartRequirement.Kind.INVESTMENT_SHARE, Decimal(20)),
    ],
    Category.URBAN_CONSTRUCTION: [
        ("施工许可证", StartRequirement.Kind.DOCUMENT, None),
        ("施工合同", StartRequirement.Kind.DOCUMENT, None),
    ],
}


@dataclass(frozen=True)
class Rules:
    thresholds_yi: tuple[Decimal, ...]
    counting_rule: str
    headline_min_yi: Decimal
    stage_limits: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def floor_yi(self) -> Decimal:
        """The lowest tier: “亿元以上” projects in the headline sentence."""
        return min(self.thresholds_yi)

    @property
    def headline_thresholds(self) -> list[Decimal]:
        return [amount for amount in self.thresholds_yi if amount >= self.headline_min_yi]


def rules_for(zone: Place, *, counting_rule: str | None = None) -> Rules:
    """The zone's configuration; ``counting_rule`` overrides the configured rule for one report."""
    configured = PipelineRules.objects.filter(zone=zone).first()
    thresholds = tuple(TierThreshold.objects.filter(zone=zone).values_list("amount_yi", flat=True))
    limits = dict(DEFAULT_STAGE_LIMITS)
    for stage, yellow, red in StageLimit.objects.filter(zone=zone).values_list(
        "stage", "yellow_after_days", "red_after_days"
    ):
        limits[stage] = (yellow, red)
    rule = counting_rule or (configured.counting_rule if configured else CountingRule.NESTED)
    if rule not in CountingRule.values:
        raise ValueError(f"未知的计数口径“{rule}”（应为 nested 或 bands）")
    return Rules(
        thresholds_yi=tuple(sorted(thresholds)) or DEFAULT_THRESHOLDS_YI,
        counting_rule=rule,
        headline_min_yi=configured.headline_min_yi if configured else Decimal(50),
        stage_limits=limits,
    )


def start_requirements(zone: Place, category: str) -> list[StartRequirement]:
    return list(StartRequirement.objects.filter(zone=zone, category=category))


# -- overdue colours -----------------------------------------------------------------------

GREEN = "green"
YELLOW = "yellow"
RED = "red"


def overdue_colour(stage: str, since: date, today: date, limits: dict[str, tuple[int, int]]) -> str:
    """Green within the limit, yellow past it, red past the red limit. Final stages never turn."""
    if stage not in limits:
        return GREEN
    yellow, red = limits[stage]
    days = (today - since).days
    if days > red:
        return RED
    if days > yellow:
        return YELLOW
    return GREEN
