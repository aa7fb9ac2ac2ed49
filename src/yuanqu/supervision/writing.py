"""The supervision office's words: colour names, the reason for a colour, dates as written.

Every sentence is one translatable string with named placeholders; numbers go through
``yuanqu.figures`` (one decimal, 个百分点).
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuanqu import figures
from yuanqu.supervision.colours import Colour, Rule, Verdict

COLOUR_MEANINGS = {
    Colour.GREEN: gettext_lazy("正常推进"),
    Colour.BLUE: gettext_lazy("临近时限"),
    Colour.YELLOW: gettext_lazy("滞后"),
    Colour.RED: gettext_lazy("严重滞后或超期"),
}
COLOUR_NAMES = {
    Colour.GREEN: gettext_lazy("绿色"),
    Colour.BLUE: gettext_lazy("蓝色"),
    Colour.YELLOW: gettext_lazy("黄色"),
    Colour.RED: gettext_lazy("红色"),
}
COLOUR_ORDER = [Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN]


def day_text(day: date) -> str:
    """2023年7月31日."""
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def colour_name(colour: str) -> str:
    try:
        return str(COLOUR_NAMES[Colour(colour)])
    except ValueError:
        return colour


def reason(
    verdict: Verdict,
    *,
    no_report: bool = False,
    requested: bool = False,
    level: bool = False,
    project: str = "",
    stage: str = "",
    missing: str = "",
    data_through: tuple[int, int] | None = None,
) -> str:
    """Why a measure has its colour, e.g. 落后序时进度12.4个百分点 (for a level to reach: 距目标还差…).

    ``project`` and ``stage`` name the project and its stage for a project overdue at a stage.
    For a linked measure, ``missing`` is why there is no figure to compare (said instead of
    正常推进), and ``data_through`` the month of the data compared when it is not the date's.
    """
    if project:
        return stage_reason(verdict, project, stage)
    if level and verdict.rule in (Rule.FAR_BEHIND, Rule.BEHIND):
        text = _("距目标还差%(points)s") % {"points": figures.points(verdict.behind_pp or Decimal(0))}
    elif missing and verdict.rule == Rule.ON_TRACK:
        text = missing
    else:
        text = _main_reason(verdict)
        if missing and verdict.rule not in (Rule.DONE, Rule.NOT_STARTED):
            text = _("%(reason)s；%(missing)s") % {"reason": text, "missing": missing}
    if data_through and verdict.rule not in (Rule.DONE, Rule.NOT_STARTED):
        text = _("%(reason)s；关联数据截至%(year)s年%(month)s月") % {
            "reason": text,
            "year": data_through[0],
            "month": data_through[1],
        }
    if no_report and verdict.rule not in (Rule.DONE, Rule.NOT_STARTED):
        text = _("%(reason)s；尚未填报进度") % {"reason": text}
    if requested and verdict.rule != Rule.DONE:
        text = _("%(reason)s；已申请办结，待督查室审核") % {"reason": text}
    return text


def stage_reason(verdict: Verdict, project: str, stage: str) -> str:
    """Why a project's stay in a stage has its colour, e.g. 项目“X”在注册阶段已超期212天（阶段时限120天）."""
    values = {
        "project": project,
        "stage": stage,
        "days": verdict.days or 0,
        "limit": verdict.limit_days or 0,
        "red": verdict.red_days or 0,
        "date": day_text(verdict.due_on) if verdict.due_on else "",
    }
    match verdict.rule:
        case Rule.DONE:
            return _("项目“%(project)s”已于%(date)s离开%(stage)s阶段，督办办结") % values
        case Rule.NOT_STARTED:
            return _("项目“%(project)s”尚未进入%(stage)s阶段（%(date)s进入）") % values
        case Rule.STAGE_FAR_OVERDUE:
            far = _(
                "项目“%(project)s”在%(stage)s阶段已超期%(days)s天（阶段时限%(limit)s天，停留超过%(red)s天为严重超期）"
            )
            return far % values
        case Rule.STAGE_OVERDUE:
            return _("项目“%(project)s”在%(stage)s阶段已超期%(days)s天（阶段时限%(limit)s天）") % values
        case Rule.STAGE_NEAR:
            if verdict.days == 0:
                return _("项目“%(project)s”的%(stage)s阶段时限今天到期") % values
            return _("项目“%(project)s”的%(stage)s阶段时限还有%(days)s天到期（%(date)s）") % values
    return _("项目“%(project)s”在%(stage)s阶段已停留%(days)s天，未超过阶段时限（%(limit)s天）") % values


def _main_reason(verdict: Verdict) -> str:
    due = day_text(verdict.due_on) if verdict.due_on else ""
    days = verdict.days or 0
    behind = verdict.behind_pp
    match verdict.rule:
        case Rule.DONE:
            return _("已办结（%(date)s）") % {"date": due}
        case Rule.OVERDUE:
            return _("已超过完成时限%(days)s天（时限%(date)s）") % {"days": days, "date": due}
        case Rule.MILESTONE_OVERDUE | Rule.MILESTONE_LATE:
            return _("节点“%(title)s”逾期%(days)s天未完成（节点时限%(date)s）") % {
                "title": verdict.milestone,
                "days": days,
                "date": due,
            }
        case Rule.FAR_BEHIND | Rule.BEHIND:
            return _("落后序时进度%(points)s") % {"points": figures.points(behind or Decimal(0))}
        case Rule.DEADLINE_NEAR:
            if days == 0:
                return _("今天到期（完成时限%(date)s）") % {"date": due}
            return _("距完成时限还有%(days)s天（%(date)s）") % {"days": days, "date": due}
        case Rule.MILESTONE_NEAR:
            if days == 0:
                return _("节点“%(title)s”今天到期") % {"title": verdict.milestone}
            return _("节点“%(title)s”还有%(days)s天到期（%(date)s）") % {
                "title": verdict.milestone,
                "days": days,
                "date": due,
            }
        case Rule.NOT_STARTED:
            return _("尚未开始（%(date)s开始）") % {"date": due}
    if behind is None or behind == 0:
        return _("正常推进")
    if behind < 0:
        return _("正常推进，快于序时进度%(points)s") % {"points": figures.points(behind)}
    return _("正常推进，落后序时进度%(points)s（未达黄色预警线）") % {"points": figures.points(behind)}
