"""The service centre in the report's words (the seed's paragraph 4), written from data only.

“全区依申请六类行政权力事项和公共服务事项实现“应进必进”，政务服务“一站式”办理、9个服务专区
“无差别”受理”

Each claim is made only when the data support it: “应进必进” and “一站式” when every item of
the catalogue is in the centre (no exemption, none still outside); “无差别”受理 for the service
zones that have a 综合窗口. Otherwise the sentence says what is true: the 进驻率 with the
exemptions and the items not yet in, and how many zones have a 综合窗口. These are pure
functions of ``CentreScorecard``: the work report calls them as the pages and commands do.
"""

from decimal import Decimal
from typing import Any

from yuanqu import figures
from yuanqu.service.selectors import CentreScorecard, Figure

FULL_CATALOGUE = "全区依申请六类行政权力事项和公共服务事项"


def entry_clause(card: CentreScorecard) -> str:
    total, inside = card.items_total, card.in_centre_total
    if total == 0:
        return "政务服务事项清单尚未建立"
    if inside == total:
        return f"{FULL_CATALOGUE}实现“应进必进”，政务服务“一站式”办理"
    rate = card.value("entry_rate")
    assert rate is not None
    parts = [f"{FULL_CATALOGUE}进驻率{figures.percent(rate)}"]
    if card.exempt_total:
        parts.append(f"{card.exempt_total}项经批准暂不进驻")
    if card.pending_total:
        parts.append(f"{card.pending_total}项尚未进驻")
    return "，".join(parts)


def zones_clause(card: CentreScorecard) -> str:
    zones, open_to_all = card.service_zones, card.zones_with_any_window
    if zones == 0:
        return ""
    if open_to_all == zones:
        return f"{zones}个服务专区“无差别”受理"
    if open_to_all == 0:
        return f"{zones}个服务专区尚未设综合窗口"
    return f"{zones}个服务专区中{open_to_all}个设综合窗口“无差别”受理"


def centre_sentence(card: CentreScorecard) -> str:
    """The paragraph-4 sentence, or what is true instead."""
    entry, zones = entry_clause(card), zones_clause(card)
    if not zones:
        return entry + "。"
    joiner = "、" if card.items_total and card.in_centre_total == card.items_total else "；"
    return f"{entry}{joiner}{zones}。"


def _pct(card: CentreScorecard, code: str) -> str | None:
    value = card.value(code)
    return figures.percent(value) if value is not None else None


def figures_sentence(card: CentreScorecard) -> str:
    """The period's cases in one sentence: volumes, shares, timeliness, one visit, satisfaction."""
    label = card.period.label
    accepted, completed = card.count("accepted"), card.count("completed")
    if accepted == 0 and completed == 0:
        return f"{label}无受理和办结的办件。"
    parts = [f"{label}受理办件{accepted}件、办结{completed}件"]
    for code, name in (
        ("any_window_share", "综合窗口受理占比"),
        ("immediate_share", "即办件占比"),
        ("on_time_rate", "按时办结率"),
        ("one_visit_rate", "一次办成率"),
        ("satisfaction_rate", "满意率"),
    ):
        text = _pct(card, code)
        if text is not None:
            parts.append(f"{name}{text}")
    average = card.value("average_days")
    if average is not None:
        parts.append(f"平均办理用时{figures.rate(average)}个工作日")
    late, waiting = card.count("completed_late"), card.count("open_overdue")
    overdue = f"超期办结{late}件、超期未办结{waiting}件" if late or waiting else "无超期办件"
    return "，".join(parts) + f"；{overdue}。"


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def figure_data(figure: Figure) -> dict[str, Any]:
    return {
        "code": figure.code,
        "label": figure.label,
        "value": _number(figure.value),
        "text": _text(figure),
        "unit": figure.unit,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "rule": figure.rule,
        "source": figure.source,
    }


def _text(figure: Figure) -> str | None:
    if figure.value is None:
        return None
    if figure.unit == "%":
        return figures.percent(figure.value)
    if figure.unit == "个工作日":
        return f"{figures.rate(figure.value)}{figure.unit}"
    return f"{figure.value.normalize():f}{figure.unit}"


def as_data(card: CentreScorecard) -> dict[str, Any]:
    """The scorecard as JSON-ready data: the sentences, every figure with its provenance, the tables."""
    return {
        "zone": card.zone.code,
        "zone_name": card.zone.name,
        "period": card.period.code,
        "period_label": card.period.full_label,
        "first_day": card.first.isoformat(),
        "last_day": card.last.isoformat(),
        "as_of": card.as_of.isoformat(),
        "sentence": centre_sentence(card),
        "figures_sentence": figures_sentence(card),
        "figures": {code: figure_data(figure) for code, figure in card.figures.items()},
        "categories": [
            {
                "category": line.category,
                "label": line.label,
                "items": line.items,
                "in_centre": line.in_centre,
                "any_window": line.any_window,
                "exempt": line.exempt,
                "pending": line.pending,
            }
            for line in card.categories
        ],
        "exempt_items": [
            {
                "code": item.code,
                "name": item.name,
                "department": item.department,
                "presence": item.presence,
                "document": item.document,
                "approved_on": item.approved_on.isoformat() if item.approved_on else None,
            }
            for item in card.exempt_items
        ],
        "item_times": [
            {
                "code": line.code,
                "name": line.name,
                "department": line.department,
                "legal_limit_days": line.legal_limit_days,
                "promised_limit_days": line.promised_limit_days,
                "completed": line.completed,
                "average_days": _number(figures.round_half_up(line.average_days, 2) if line.average_days else None),
                "p90_days": line.p90_days,
                "late": line.late,
                "promise_compression_pct": _number(
                    figures.round_half_up(line.promise_compression_pct, 1) if line.promise_compression_pct else None
                ),
                "actual_compression_pct": _number(
                    figures.round_half_up(line.actual_compression_pct, 1)
                    if line.actual_compression_pct is not None
                    else None
                ),
            }
            for line in card.item_times
        ],
        "departments": [
            {
                "department": line.department,
                "completed_late": line.completed_late,
                "open_overdue": line.open_overdue,
                "total": line.total,
            }
            for line in card.departments
        ],
        "overdue_cases": [
            {
                "number": row.number,
                "item": row.item,
                "department": row.department,
                "due_on": row.due_on.isoformat() if row.due_on else None,
                "open": row.open,
                "stage": row.stage_label,
                "over_days": row.over_days,
            }
            for row in card.overdue_cases
        ],
        "ratings": card.ratings,
        "notes": card.notes,
    }
