"""The chains' progress written as the report writes it, and the same as data.

Rates to one decimal, 亿元, 快于/落后序时进度 in 个百分点, 增长/下降. What a reader without
enterprise-level access may see goes through ``yuanqu.disclosed``: a chain, a node, the chains'
total or their double counting that would give an enterprise away, directly or by subtraction,
is withheld and reads "—（保密）", with everything derived from it (growth, share, 拉动, target
completion).
"""

from decimal import Decimal
from typing import Any

from yuanqu import figures
from yuanqu.chains.selectors import ChainFigure, ChainsProgress, NodeFigure, TargetProgress
from yuanqu.disclosed import SUPPRESSED, Disclosure
from yuanqu.indicators.selectors import SameScopeFigure

EVERYTHING = Disclosure.unrestricted()


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


def chain_line(item: ChainFigure, disclosure: Disclosure = EVERYTHING) -> str:
    missing = "、".join(node.name for node in item.missing_nodes) or "无"
    weak = "、".join(node.name for node in item.weak_nodes) or "无"
    gaps = f"缺失节点{len(item.missing_nodes)}个（{missing}），薄弱节点{len(item.weak_nodes)}个（{weak}）"
    if not disclosure.chain(item.chain_id):
        return f"{item.name}：产值{SUPPRESSED}（规上企业{item.output.enterprises}家）；{gaps}。"
    parts = [f"产值{_yi(item.output.current_yi)}（规上企业{item.output.enterprises}家）", target_text(item.target)]
    parts.append(growth_text(item.output))
    if contribution := contribution_text(item.contribution_pp):
        parts.append(contribution)
    parts.append(gaps)
    return f"{item.name}：" + "；".join(parts) + "。"


def shared_note(progress: ChainsProgress, disclosure: Disclosure = EVERYTHING) -> str:
    if not progress.shared_enterprises or disclosure.double_counted():
        return progress.shared_note
    return (
        f"有{progress.shared_enterprises}家规上企业同时属于两条及以上产业链，各链产值分别计入，"
        f"园区合计中每家企业只计一次（各链简单相加重复计算的金额{SUPPRESSED}）。"
    )


def total_line(progress: ChainsProgress, disclosure: Disclosure = EVERYTHING) -> str:
    union = progress.union
    if not disclosure.union():
        head = f"{len(progress.chains)}条产业链规上企业{union.enterprises}家，产值{SUPPRESSED}"
        return "合计：" + head + "。" + shared_note(progress, disclosure)
    parts = [
        f"{len(progress.chains)}条产业链规上企业{union.enterprises}家，产值{_yi(union.current_yi)}",
        growth_text(union),
    ]
    if progress.union_share_pct is not None and disclosure.zone():
        parts.append(f"占园区规上工业总产值的{figures.rate(progress.union_share_pct)}%")
    if (contribution := contribution_text(progress.union_contribution_pp)) and disclosure.zone():
        parts.append(contribution)
    return "合计：" + "，".join(parts) + "。" + shared_note(progress, disclosure)


def progress_lines(progress: ChainsProgress, disclosure: Disclosure = EVERYTHING) -> list[str]:
    head = f"{progress.zone_name}{progress.period.full_label}重点产业链工业总产值（同口径，规上企业，现价）"
    return [
        head,
        *(chain_line(item, disclosure) for item in progress.chains),
        total_line(progress, disclosure),
    ]


def _number(value: Decimal | None, places: int = 4) -> float | None:
    # JSON has no decimal type; figures are rounded to a precision they carry exactly.
    return None if value is None else float(round(value, places))


def same_scope_data(output: SameScopeFigure, shown: bool = True) -> dict[str, Any]:
    if not shown:
        return {
            "current_yuan": None,
            "base_yuan": None,
            "current_yi": None,
            "enterprises": output.enterprises,
            "enterprises_with_base": output.enterprises_with_base,
            "growth_pct": None,
            "reason": str(SUPPRESSED),
            "withheld": True,
        }
    return {
        "current_yuan": output.current_yuan,
        "base_yuan": output.base_yuan,
        "current_yi": _number(output.current_yi),
        "enterprises": output.enterprises,
        "enterprises_with_base": output.enterprises_with_base,
        "growth_pct": _number(output.growth_pct),
        "reason": output.reason,
        "withheld": False,
    }


def target_data(target: TargetProgress | None, shown: bool = True) -> dict[str, Any] | None:
    if target is None:
        return None
    data = {
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
    if not shown:  # the completion would give the withheld output away
        text = f"年度目标{figures.plain(target.value_yi)}亿元，完成情况{SUPPRESSED}"
        data.update(completion_pct=None, gap_pp=None, status="", text=text, reason=str(SUPPRESSED))
    return data


def node_data(node: NodeFigure, disclosure: Disclosure = EVERYTHING) -> dict[str, Any]:
    shown = disclosure.node(node.id)
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
        "children": [node_data(child, disclosure) for child in node.children],
    }


def chain_data(item: ChainFigure, *, disclosure: Disclosure = EVERYTHING) -> dict[str, Any]:
    shown = disclosure.chain(item.chain_id)
    return {
        "code": item.code,
        "name": item.name,
        "leader": item.leader_name,
        "lead_department": item.department,
        "masters": item.masters,
        "placed_enterprises": item.placed_enterprises,
        "output": same_scope_data(item.output, shown),
        "target": target_data(item.target, shown),
        "contribution_pp": _number(item.contribution_pp) if shown and disclosure.zone() else None,
        "shared_enterprises": item.shared_enterprises,
        "gaps": [
            {"node": node.name, "segment": node.segment_label, "kind": node.gap, "reason": node.gap_reason}
            for node in item.gaps
        ],
        "open_requests": item.open_requests,
        "overdue_requests": item.overdue_requests,
        "nodes": [node_data(node, disclosure) for node in item.nodes],
        "text": chain_line(item, disclosure),
    }


def progress_data(progress: ChainsProgress, *, disclosure: Disclosure = EVERYTHING) -> dict[str, Any]:
    """The progress as JSON-ready data, as much of it as ``disclosure`` lets the reader see."""
    zone = progress.zone
    union_shown, double_shown = disclosure.union(), disclosure.double_counted()
    return {
        "zone": progress.zone_code,
        "zone_name": progress.zone_name,
        "period": {"code": progress.period.code, "label": progress.period.full_label},
        "measure": progress.measure,
        "basis": "同口径（本期规上企业，本年与上年同期相比），现价",
        "chains": [chain_data(item, disclosure=disclosure) for item in progress.chains],
        "total": {
            **same_scope_data(progress.union, union_shown),
            "sum_of_chains_yuan": progress.sum_of_chains_yuan if double_shown else None,
            "double_counted_yuan": progress.double_counted_yuan if double_shown else None,
            "shared_enterprises": progress.shared_enterprises,
            "share_of_zone_pct": _number(progress.union_share_pct) if union_shown and disclosure.zone() else None,
            "contribution_pp": (_number(progress.union_contribution_pp) if union_shown and disclosure.zone() else None),
            "note": shared_note(progress, disclosure),
        },
        "zone_total": same_scope_data(zone, disclosure.zone()) if zone is not None else None,
        "text": progress_lines(progress, disclosure),
    }
