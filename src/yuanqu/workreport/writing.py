"""The report's own words: its title, the sentences no engine writes yet, the notes of absent modules.

Only what the data say: a sentence names a number only through a field, and a claim (every
chain has its 链长 and 链主, the five programmes are under way) is made only when it is true
of the data; otherwise the sentence says what is.
"""

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuanqu import figures
from yuanqu.periods import Period
from yuanqu.workreport.document import Field, Segment

SERVICE_NOT_IN_PLATFORM = gettext_lazy(
    "政务服务中心的事项、办件和评价数据尚未纳入本平台（政务服务模块未启用），本节不作数据表述。"
)
SERVICE_NO_DATA = gettext_lazy("{zone}政务服务中心{period}没有事项清单和办件数据，本节不作数据表述。")
TASKS_NOT_INSTALLED = gettext_lazy("下一阶段重点任务：督查督办模块尚未启用，本报告不含此节。")
TASKS_NONE = gettext_lazy("下一阶段重点任务：{zone}尚未登记下一阶段的督查任务，本报告不含此节。")
CHAINS_NO_DATA = gettext_lazy("本期没有规上企业数据，产业链产值、目标完成和节点分析不作表述。")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def with_fields(sentence: str, **fields: Field) -> list[Segment]:
    """A translated sentence whose ``%(name)s`` placeholders are fields: the words stay whole for translators."""
    segments: list[Segment] = []
    cursor = 0
    for found in _PLACEHOLDER.finditer(sentence):
        segments.append(sentence[cursor : found.start()])
        segments.append({"field": fields[found.group(1)].key})
        cursor = found.end()
    segments.append(sentence[cursor:])
    return [item for item in segments if item]


def title(zone_name: str, period: Period) -> str:
    return _("%(zone)s%(period)s工作报告") % {"zone": zone_name, "period": period.full_label}


def gap_phrase(pp: Decimal, against: str) -> str:
    """超序时进度0.5个百分点 / 落后序时进度2.2个百分点; 高于目标 / 低于所需增速."""
    verb = ("超" if pp >= 0 else "落后") if against == "序时进度" else "高于" if pp >= 0 else "低于"
    return f"{verb}{against}{figures.points(pp)}"


def yi_floor(amount: Decimal) -> str:
    return "亿元" if amount == 1 else f"{figures.plain(amount)}亿元"


def rule_name(rule: str) -> str:
    return "累计口径" if rule == "nested" else "分段口径"


def service_text(value: Decimal, unit: str) -> str:
    """A service-centre figure as its own sentence writes it: 96.3%, 3.2个工作日, 134项."""
    if unit == "%":
        return figures.percent(value)
    if unit == "个工作日":
        return f"{figures.rate(value)}{unit}"
    return f"{value.normalize():f}{unit}"


def service_cell(value: Decimal, unit: str) -> str:
    if unit == "%":
        return figures.rate(value)
    if unit == "个工作日":
        return figures.rate(value)
    return f"{value.normalize():f}"


def chain_system_sentence(
    count: Field, leaders: Field, masters: Field, programme_names: Sequence[str]
) -> list[Segment]:
    """园区推行主导产业“链长+链主制”，5条重点产业链均明确“链长”“链主”，全面启动…“五大工程”.

    ``leaders`` and ``masters`` are the chains with a 链长 and with a 链主 (their values the counts).
    """
    segments: list[Segment] = [_("园区推行主导产业“链长+链主制”，"), {"field": count.key}]
    if leaders.value == count.value and masters.value == count.value:
        segments.append(_("重点产业链均由“链长”在政府端牵头协调、“链主”企业在市场端领航示范"))
    else:
        segments += with_fields(
            _("重点产业链中%(leaders)s已明确“链长”、%(masters)s已明确“链主”企业"), leaders=leaders, masters=masters
        )
    if len(programme_names) == 5:
        segments.append(_("，全面启动%(names)s“五大工程”") % {"names": "、".join(programme_names)})
    elif programme_names:
        segments.append(_("，已启动%(names)s等专项行动") % {"names": "、".join(programme_names)})
    segments.append("。")
    return segments


def goals_headline(goals: Sequence[Any], value_fields: Sequence[tuple[Any, Field]]) -> list[Segment]:
    """锚定“双千亿过百亿”战略目标（到2025年，实现工业开票销售、规模以上工业总产值超2000亿元，…）。

    Goals of the same level are named together, as the report does (the highest first).
    """
    programme = next((goal.programme for goal in goals if goal.programme), "")
    year = goals[0].goal_year
    segments: list[Segment] = [
        _("锚定“%(programme)s”战略目标（到%(year)s年，实现") % {"programme": programme, "year": year}
        if programme
        else _("中长期目标（到%(year)s年，实现") % {"year": year}
    ]
    groups: list[tuple[list[str], Any, Field]] = []
    for (figure, target), goal in zip(value_fields, goals, strict=True):
        if groups and groups[-1][1].goal_value == goal.goal_value and groups[-1][1].qualifier == goal.qualifier:
            groups[-1][0].append(figure.name)
        else:
            groups.append(([figure.name], goal, target))
    for index, (names, goal, target) in enumerate(groups):
        if index:
            segments.append("，")
        segments.append(f"{'、'.join(names)}{goal.qualifier}")
        segments.append({"field": target.key})
    segments.append(_("）。"))
    return segments


def goal_sentence(
    name: str,
    goal: Any,
    base: Field | None,
    target: Field,
    required: Field | None,
    actual: Field | None,
    gap: Field | None,
) -> list[Segment]:
    """工业开票销售：以2022年1047.6亿元为基数，到2025年超2000亿元需年均增长24.1%；本期实际增长7.4%（…），低于所需增速16.7个百分点。"""
    if base is None or required is None:
        return [f"{name}：{goal.qualifier}", {"field": target.key}, f"（{goal.goal_year}年）；{goal.reason}。"]
    segments: list[Segment] = [
        _("%(name)s：以%(year)s年") % {"name": name, "year": goal.base_year},
        {"field": base.key},
        _("为基数，到%(year)s年%(qualifier)s") % {"year": goal.goal_year, "qualifier": goal.qualifier},
        {"field": target.key},
        _("需年均增长"),
        {"field": required.key},
    ]
    if actual is not None and gap is not None:
        segments += [_("；本期实际增长"), {"field": actual.key}, f"（{goal.actual_basis}），", {"field": gap.key}]
    elif goal.reason:
        segments.append(f"；{goal.reason}")
    segments.append("。")
    return segments


def following_periods(period: Period, periods: Sequence[Period]) -> list[Period]:
    """The task periods that begin where the report's period ends (上半年 → 下半年)."""
    wanted = (period.year, period.last_month + 1) if period.last_month < 12 else (period.year + 1, 1)
    return sorted(item for item in periods if (item.year, item.first_month) == wanted)


def tasks_title(period: Period, following: Period) -> str:
    if following.year != period.year:
        return _("%(period)s重点任务") % {"period": following.full_label}
    return _("%(period)s重点任务") % {"period": following.label}


def day_text(day: date) -> str:
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def dated(reason: str, on: date, today: date) -> str:
    """A supervision reason as of its status date: “今天到期” only when that date is today (an archived
    report's 2023-12-31 is not), otherwise the date itself."""
    if on == today:
        return reason
    return reason.replace("今天到期", _("于%(day)s到期") % {"day": day_text(on)})


def task_sentence(task: Any, on: date, progress: Field | None, status: Field) -> list[Segment]:
    """分管领导：…；牵头部门：…；配合部门：…。截至…，平均完成进度…，状态黄色（…）。"""
    head = _("分管领导：%(leader)s；牵头部门：%(lead)s") % {"leader": task.leader or "—", "lead": task.lead_department}
    if task.co_departments:
        head += _("；配合部门：%(co)s") % {"co": "、".join(task.co_departments)}
    segments: list[Segment] = [head + "。" + _("截至%(day)s，") % {"day": day_text(on)}]
    if progress is not None:
        segments += [_("各项措施平均完成进度"), {"field": progress.key}, "，"]
    segments += [_("状态"), {"field": status.key}, "。"]
    return segments
