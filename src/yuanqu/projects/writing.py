"""The investment paragraph of the half-year report (the seed's paragraph 3), written from data.

“上半年签约亿元以上先进制造业重点项目41个，总投资约465亿元，其中百亿元以上项目2个、
50亿元以上项目3个；新签约现代服务业项目90个、总投资约120亿元，其中50亿元以上项目1个。
上半年实质性开工工业项目35个、技改项目93个、重点城建项目44个。”

Advanced manufacturing counts the projects at or above the lowest tier (亿元以上, the
“重点项目”); modern services count every signing, as the seed does. The tiers named are
those at or above the zone's headline tier (50亿 by default), highest first, and only
those with projects. The counting rule is stated with every paragraph.
"""

from decimal import Decimal
from typing import Any

from yuanqu import figures
from yuanqu.projects.models import Category
from yuanqu.projects.selectors import CategoryFigures, PipelineStatistics
from yuanqu.projects.tiers import NESTED, rule_statement, yi_words


def about_yi(amount: Decimal) -> str:
    """总投资约465亿元: whole 亿元 from 10亿 up, one decimal below."""
    places = 0 if amount >= 10 else 1
    return f"约{figures.rate(amount, places)}亿元"


def headline(item: CategoryFigures) -> tuple[int, Decimal]:
    """The count and investment the paragraph writes for a category (and its chart shows):
    advanced manufacturing its 重点项目 at or above the lowest tier, the others every signing."""
    if item.category == Category.ADVANCED_MANUFACTURING:
        return item.floor_signed, item.floor_investment_yi
    return item.signed, item.investment_yi


def _tier_clause(item: CategoryFigures, statistics: PipelineStatistics) -> str:
    headline = set(statistics.rules.headline_thresholds)
    parts = [
        f"{tier.tier.label}项目{tier.count}个" for tier in item.tiers if tier.tier.low in headline and tier.count > 0
    ]
    return f"，其中{'、'.join(parts)}" if parts else ""


def paragraph(statistics: PipelineStatistics) -> str:
    label = statistics.period.label
    manufacturing = statistics.categories[Category.ADVANCED_MANUFACTURING]
    services = statistics.categories[Category.MODERN_SERVICES]
    floor = yi_words(statistics.rules.floor_yi)
    manufacturing_count, manufacturing_yi = headline(manufacturing)
    services_count, services_yi = headline(services)
    first = (
        f"{label}签约{floor}以上先进制造业重点项目{manufacturing_count}个，"
        f"总投资{about_yi(manufacturing_yi)}{_tier_clause(manufacturing, statistics)}；"
        f"新签约现代服务业项目{services_count}个、总投资{about_yi(services_yi)}"
        f"{_tier_clause(services, statistics)}。"
    )
    categories = statistics.categories
    starts = [f"工业项目{categories[Category.ADVANCED_MANUFACTURING].starts}个"]
    if categories[Category.MODERN_SERVICES].starts:
        starts.append(f"现代服务业项目{categories[Category.MODERN_SERVICES].starts}个")
    starts.append(f"技改项目{categories[Category.TECHNICAL_RENOVATION].starts}个")
    starts.append(f"重点城建项目{categories[Category.URBAN_CONSTRUCTION].starts}个")
    return first + f"{label}实质性开工{'、'.join(starts)}。"


def counting_rule_note(statistics: PipelineStatistics) -> str:
    return rule_statement(statistics.rules.counting_rule, statistics.rules.thresholds_yi)


def _count_change(now: int, before: int) -> str:
    if now > before:
        return f"增加{now - before}个"
    if now < before:
        return f"减少{before - now}个"
    return "持平"


def _amount_change(now: Decimal, before: Decimal) -> str:
    if before <= 0:
        return "上年同期为零，不计算增速"
    return figures.growth(figures.percent_change(now, before))


def growth_sentence(statistics: PipelineStatistics) -> str:
    """Against the same period a year earlier; says so when there was nothing to compare."""
    before = statistics.year_ago
    if before is None or (before.signed_total == 0 and before.starts_total == 0):
        return "上年同期无招商项目数据，不作比较。"
    now_m = statistics.categories[Category.ADVANCED_MANUFACTURING]
    old_m = before.categories[Category.ADVANCED_MANUFACTURING]
    now_s = statistics.categories[Category.MODERN_SERVICES]
    old_s = before.categories[Category.MODERN_SERVICES]
    floor = yi_words(statistics.rules.floor_yi)
    return (
        f"与上年同期相比，签约{floor}以上先进制造业项目{_count_change(now_m.floor_signed, old_m.floor_signed)}、"
        f"总投资{_amount_change(now_m.floor_investment_yi, old_m.floor_investment_yi)}；"
        f"现代服务业项目{_count_change(now_s.signed, old_s.signed)}、"
        f"总投资{_amount_change(now_s.investment_yi, old_s.investment_yi)}；"
        f"实质性开工项目{_count_change(statistics.starts_total, before.starts_total)}。"
    )


def _number(value: Decimal | None, places: int = 1) -> float | None:
    return float(figures.round_half_up(value, places)) if value is not None else None


def as_data(statistics: PipelineStatistics) -> dict[str, Any]:
    """The figures behind the paragraph, as JSON-ready data (amounts as strings: exact Decimals)."""

    def headline_data(item: CategoryFigures) -> dict[str, Any]:
        count, amount = headline(item)
        return {"signed": count, "investment_yi": str(amount), "text": about_yi(amount).removeprefix("约")}

    def category_data(item: CategoryFigures, old: CategoryFigures | None) -> dict[str, Any]:
        return {
            "category": item.category,
            "label": item.label,
            "headline": headline_data(item),
            "signed": item.signed,
            "investment_yi": str(item.investment_yi),
            "floor_signed": item.floor_signed,
            "floor_investment_yi": str(item.floor_investment_yi),
            "tiers": [
                {"label": tier.tier.label, "count": tier.count, "investment_yi": str(tier.investment_yi)}
                for tier in item.tiers
            ],
            "starts": item.starts,
            "year_ago": (
                {
                    "signed": old.signed,
                    "investment_yi": str(old.investment_yi),
                    "floor_signed": old.floor_signed,
                    "floor_investment_yi": str(old.floor_investment_yi),
                    "headline": headline_data(old),
                    "starts": old.starts,
                }
                if old is not None
                else None
            ),
        }

    before = statistics.year_ago
    return {
        "zone": statistics.zone.code,
        "zone_name": statistics.zone.name,
        "period": statistics.period.code,
        "period_label": statistics.period.full_label,
        "counting_rule": statistics.rules.counting_rule,
        "counting_rule_note": counting_rule_note(statistics),
        "thresholds_yi": [str(amount) for amount in statistics.rules.thresholds_yi],
        "paragraph": paragraph(statistics),
        "growth": growth_sentence(statistics),
        "categories": [
            category_data(item, before.categories[key] if before else None)
            for key, item in statistics.categories.items()
        ],
        "funnel": [
            {
                "stage": step.stage,
                "label": step.label,
                "count": step.count,
                "rate_pct": _number(step.rate_pct),
                "of_signed_pct": _number(step.of_signed_pct),
                "median_days": _number(step.median_days),
            }
            for step in statistics.funnel
        ],
        "officers": [_credit_data(line) for line in statistics.officers],
        "departments": [_credit_data(line) for line in statistics.departments],
        "chains": [
            {
                "chain": line.chain,
                "projects": line.projects,
                "investment_yi": str(line.investment_yi),
                "roles": line.roles,
            }
            for line in statistics.chains
        ],
        "as_of": statistics.as_of.isoformat(),
        "rule_is_nested": statistics.rules.counting_rule == NESTED,
    }


def _credit_data(line: Any) -> dict[str, Any]:
    return {
        "name": line.name,
        "projects": line.projects,
        "credited_count": str(figures.round_half_up(line.credited_count, 2)),
        "credited_investment_yi": str(figures.round_half_up(line.credited_investment_yi, 2)),
    }
