"""Counting projects by tiers of planned investment, and naming the tiers in Chinese.

Django-free. A phrase like “其中百亿元以上项目2个、50亿元以上项目3个” can be read two
ways, so the rule is always explicit:

* nested (累计口径): a project counts in every tier whose threshold it reaches, so
  “50亿元以上” includes the projects of 百亿元以上;
* bands (分段口径): a project counts in exactly one band, from its tier's threshold
  (included) up to the next threshold (excluded).

Thresholds are inclusive (“以上” 含本数), as Chinese statistical usage has it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

NESTED = "nested"
BANDS = "bands"
DEFAULT_THRESHOLDS_YI = (Decimal(1), Decimal(10), Decimal(50), Decimal(100))


def yi_words(amount: Decimal) -> str:
    """1 -> 亿元, 100 -> 百亿元, 1000 -> 千亿元, 50 -> 50亿元, 2.5 -> 2.5亿元."""
    named = {Decimal(1): "亿元", Decimal(100): "百亿元", Decimal(1000): "千亿元"}
    if amount in named:
        return named[amount]
    return f"{amount.normalize():f}亿元"


@dataclass(frozen=True)
class Tier:
    low: Decimal
    high: Decimal | None  # None: open at the top (and always so under the nested rule)
    rule: str

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{yi_words(self.low)}以上"
        return f"{yi_words(self.low)}至{yi_words(self.high)}"

    def contains(self, amount: Decimal) -> bool:
        return amount >= self.low and (self.high is None or amount < self.high)


@dataclass(frozen=True)
class TierCount:
    tier: Tier
    count: int
    investment_yi: Decimal


def tiers(thresholds: Iterable[Decimal], rule: str) -> list[Tier]:
    """The tiers of a rule, from the highest threshold down (the order a report names them)."""
    if rule not in (NESTED, BANDS):
        raise ValueError(f"未知的计数口径“{rule}”")
    ordered = sorted(set(thresholds))
    result = []
    for index, low in enumerate(ordered):
        high = ordered[index + 1] if rule == BANDS and index + 1 < len(ordered) else None
        result.append(Tier(low, high, rule))
    return list(reversed(result))


def count_tiers(amounts: Sequence[Decimal], thresholds: Iterable[Decimal], rule: str) -> list[TierCount]:
    counts = []
    for tier in tiers(thresholds, rule):
        inside = [amount for amount in amounts if tier.contains(amount)]
        counts.append(TierCount(tier, len(inside), sum(inside, Decimal(0))))
    return counts


def rule_statement(rule: str, thresholds: Iterable[Decimal]) -> str:
    """The sentence that says how the tiers were counted; every generated text carries it."""
    ordered = sorted(set(thresholds))
    if rule == NESTED:
        example = ""
        if len(ordered) >= 2:
            example = f"（如“{yi_words(ordered[-2])}以上”包含“{yi_words(ordered[-1])}以上”的项目）"
        return (
            f"计数口径：累计口径，各档“X亿元以上”含本数并包含更高档次的项目{example}，"
            "各档个数不可相加；投资额按签约时计划总投资计。"
        )
    return (
        "计数口径：分段口径，各档互不重叠，“X亿元至Y亿元”含X亿元、不含Y亿元，最高档“X亿元以上”含本数，"
        "各档个数可相加；投资额按签约时计划总投资计。"
    )
