"""The chains' progress written as the report writes it, and the same as data.

Rates to one decimal, 亿元, 快于/落后序时进度 in 个百分点, 增长/下降. Node figures of fewer
than three in-scope enterprises are withheld from readers without enterprise-level access:
with one or two enterprises a node's total would disclose an enterprise's own figure.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from yuanqu import figures
from yuanqu.chains.selectors import ChainFigure, ChainsProgress, NodeFigure, TargetProgress
from yuanqu.indicators.selectors import SameScopeFigure

MIN_DISCLOSED = 3


def _yi(value: Decimal) -> str:
    return f"{figures.rate(value)}亿元"


def target_text(target: TargetProgress | None) -> str:
    if target is None:
        return "未设年度目标"
    if target.completion_pct is None or target.gap_pp is None:
        return f"年度目标{figures.plain(target.value_yi)}亿元，{target.reason}"
    pace = "快于" if target.gap_pp >= 0 else "落后"
    return (
        f"年度目标{figures.plain(target.value_yi)}亿元，完成{figures.rate(target.completion_pct)}%，"
        f"序时进度{figures.rate(target.time_progress_pct)}%，{pace}序时进度{figures.points(target.gap_pp)}"
    )


def growth_text(output: SameScopeFigure) -> str:
    if output.growth_pct is None:
        return f"增速：{output.reason}"
    text = figures.growth(output.growth_pct)
    return text if text.startswith("与") else f"同比{text}"


def contribution_text(pp: Decimal | None) -> str:
    if pp is None:
        return ""
    verb = "拉动" if figures.round_half_up(pp, 2) >= 0 else "下拉"
    return f"{verb}园区规上工业总产值增长{figures.rate(abs(pp), 2)}个百分点"


def chain_line(item: ChainFigure) -> str:
    parts = [f"产值{_yi(item.output.current_yi)}（规上企业{item.output.enterprises}家）", target_text(item.target)]
    parts.append(growth_text(item.output))
    if contribution := contribution_text(item.contribution_pp):
        parts.append(contribution)
    missing = "、".join(node.name for node in item.missing_nodes) or "无"
    weak = "、".join(node.name for node in item.weak_nodes) or "无"
    parts.append(f"缺失节点{len(item.missing_nodes)}个（{missing}），薄弱节点{len(item.weak_nodes)}个（{weak}）")
    return f"{item.name}：" + "；".join(parts) + "。"


def total_line(progress: ChainsProgress) -> str:
    union = progress.union
    parts = [
        f"{len(progress.chains)}条产业链规上企业{union.enterprises}家，产值{_yi(union.current_yi)}",
        growth_text(union),
    ]
    if progress.union_share_pct is not None:
        parts.append(f"占园区规上工业总产值的{figures.rate(progress.union_share_pct)}%")
    if contribution := contribution_text(progress.union_contribution_pp):
        parts.append(contribution)
    return "合计：" + "，".join(parts) + "。" + progress.shared_note


def progress_lines(progress: ChainsProgress) -> list[str]:
    head = f"{progress.zone_name}{progress.period.full_label}重点产业链工业总产值（同口径，规上企业，现价）"
    return [head, *(chain_line(item) for item in progress.chains), total_line(progress)]


def _number(value: Decimal | None, places: int = 4) -> float | None:
    # JSON has no decimal type; figures are rounded to a precision they carry exactly.
    return None if value is None else float(round(value, places))


def same_scope_data(output: SameScopeFigure) -> dict[str, Any]:
    return {
        "current_yuan": output.current_yuan,
        "base_yuan": output.base_yuan,
        "current_yi": _number(output.current_yi),
        "enterprises": output.enterprises,
        "enterprises_with_base": output.enterprises_with_base,
        "growth_pct": _number(output.growth_pct),
        "reason": output.reason,
    }


def target_data(target: TargetProgress | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "year": target.year,
        "value_yi": _number(target.value_yi),
        "qualifier": target.qualifier,
        "completion_pct": _number(target.completion_pct),
        "time_progress_pct": _number(target.time_progress_pct),
        "gap_pp": _number(target.gap_pp),
        "status": target.status,
        "text": target_text(target),
        "reason": target.reason,
    }


def node_data(node: NodeFigure, disclose: bool) -> dict[str, Any]:
    shown = disclose or node.in_scope >= MIN_DISCLOSED
    return {
        "id": node.id,
        "name": node.name,
        "segment": node.segment,
        "segment_label": node.segment_label,
        "enterprises": len(node.enterprise_ids),
        "in_scope": node.in_scope,
        "current_yi": _number(node.current_yi) if shown else None,
        "share_pct": _number(node.share_pct) if shown else None,
        "withheld": not shown,
        "gap": node.gap,
        "gap_reason": node.gap_reason,
        "children": [node_data(child, disclose) for child in node.children],
    }


def chain_data(item: ChainFigure, *, disclose: bool) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "leader": item.leader_name,
        "lead_department": item.department,
        "masters": item.masters,
        "placed_enterprises": item.placed_enterprises,
        "output": same_scope_data(item.output),
        "target": target_data(item.target),
        "contribution_pp": _number(item.contribution_pp),
        "shared_enterprises": item.shared_enterprises,
        "gaps": [
            {"node": node.name, "segment": node.segment_label, "kind": node.gap, "reason": node.gap_reason}
            for node in item.gaps
        ],
        "open_requests": item.open_requests,
        "overdue_requests": item.overdue_requests,
        "nodes": [node_data(node, disclose) for node in item.nodes],
        "text": chain_line(item),
    }


def progress_data(progress: ChainsProgress, *, disclose: Callable[[ChainFigure], bool]) -> dict[str, Any]:
    """The progress as JSON-ready data; ``disclose`` says for which chains node figures are unrestricted."""
    zone = progress.zone
    return {
        "zone": progress.zone_code,
        "zone_name": progress.zone_name,
        "period": {"code": progress.period.code, "label": progress.period.full_label},
        "measure": progress.measure,
        "basis": "同口径（本期规上企业，本年与上年同期相比），现价",
        "chains": [chain_data(item, disclose=disclose(item)) for item in progress.chains],
        "total": {
            **same_scope_data(progress.union),
            "sum_of_chains_yuan": progress.sum_of_chains_yuan,
            "double_counted_yuan": progress.double_counted_yuan,
            "shared_enterprises": progress.shared_enterprises,
            "share_of_zone_pct": _number(progress.union_share_pct),
            "contribution_pp": _number(progress.union_contribution_pp),
            "note": progress.shared_note,
        },
        "zone_total": same_scope_data(zone) if zone is not None else None,
        "text": progress_lines(progress),
    }
