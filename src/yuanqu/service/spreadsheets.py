"""The service centre's Excel exports, through ``yuanqu.exports``: the cases, and the scorecard."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from yuanqu import figures
from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.service.access import Viewer, applicant_of
from yuanqu.service.models import Case
from yuanqu.service.selectors import CentreScorecard
from yuanqu.service.writing import centre_sentence, figures_sentence

CASE_COLUMNS = [
    Column("办件编号"),
    Column("事项"),
    Column("审批部门"),
    Column("受理专区"),
    Column("受理窗口"),
    Column("综合窗口受理"),
    Column("申请人类型"),
    Column("申请人"),
    Column("证件号码"),
    Column("联系人"),
    Column("联系电话"),
    Column("办理状态"),
    Column("受理日期", "date"),
    Column("承诺办结期限", "date"),
    Column("法定办结期限", "date"),
    Column("出件日期", "date"),
    Column("办理用时（工作日）", "int"),
    Column("承诺时限（工作日）", "int"),
    Column("补正次数", "int", total=True),
    Column("超期"),
    Column("评价"),
]


def cases_workbook(
    *, zone_name: str, period_label: str, cases: Iterable[Case], viewer: Viewer, exported_at: datetime
) -> tuple[bytes, int, int]:
    """The cases as an .xlsx; personal data masked where the viewer does not handle the case.

    Returns the content, the number of cases and how many of them were masked.
    """
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="办件明细",
        title=f"{zone_name}政务服务办件明细（{period_label}）",
        subtitle="个人信息仅对经办窗口和审批部门显示，其余已脱敏",
        columns=CASE_COLUMNS,
        exported_at=exported_at,
        landscape=True,
    )
    count = masked = 0
    for case in cases:
        evaluation = getattr(case, "evaluation", None)
        applicant = applicant_of(case, viewer, bad_rating=bool(evaluation and evaluation.is_bad))
        count += 1
        masked += applicant.masked
        day = case.issued_on or exported_at.date()
        sheet.row(
            [
                case.number,
                case.item.name,
                case.department.name,
                case.service_zone.name,
                case.window.number,
                case.at_any_window,
                applicant.kind_label,
                applicant.name,
                applicant.code,
                applicant.contact_name,
                applicant.contact_phone,
                case.get_stage_display(),
                case.accepted_on,
                case.due_on,
                case.legal_due_on,
                case.issued_on,
                case.elapsed_days,
                case.promised_limit_days,
                case.supplements,
                "是" if case.overdue_on(day) else "否",
                evaluation.get_rating_display() if evaluation else "",
            ]
        )
    sheet.total_row(values={1: f"共{count}件"})
    return book.to_bytes(), count, masked


def _one_decimal(value: Decimal | None) -> Decimal | None:
    """A rate or a number of days as the office writes it: one decimal, rounded half up."""
    return None if value is None else figures.round_half_up(value, 1)


def _figure_cell(value: Decimal | None, unit: str) -> tuple[Decimal | int | None, str]:
    """A scorecard figure and its kind: rates (%) and days to one decimal, counts as integers."""
    if value is None:
        return None, "rate"
    if unit in ("%", "个工作日"):
        return _one_decimal(value), "rate"
    return int(figures.round_half_up(value, 0)), "int"


def scorecard_workbook(*, card: CentreScorecard, exported_at: datetime) -> bytes:
    """The scorecard: the sentences and figures with their rules, then the tables (no applicant data)."""
    book = OfficeWorkbook()
    subtitle = f"{card.period.full_label}（{card.first.isoformat()}至{card.last.isoformat()}）"
    summary = book.sheet(
        name="成绩单",
        title=f"{card.zone.name}政务服务中心成绩单",
        subtitle=subtitle,
        columns=[
            Column("指标"),
            Column("数值", "rate"),
            Column("单位"),
            Column("分子", "int"),
            Column("分母", "int"),
            Column("口径"),
            Column("来源"),
        ],
        exported_at=exported_at,
    )
    summary.row(["综述", None, "", None, None, centre_sentence(card), ""])
    summary.row(["办件情况", None, "", None, None, figures_sentence(card), ""])
    for figure in card.figures.values():
        value, kind = _figure_cell(figure.value, figure.unit)
        summary.row(
            [figure.label, value, figure.unit, figure.numerator, figure.denominator, figure.rule, figure.source],
            kinds={1: kind},
        )
    categories = book.sheet(
        name="事项进驻",
        title="事项清单进驻情况",
        subtitle=f"截至{card.as_of.isoformat()}",
        columns=[
            Column("事项类别"),
            Column("事项数", "int", total=True),
            Column("进驻", "int", total=True),
            Column("其中综合窗口受理", "int", total=True),
            Column("经批准不进驻", "int", total=True),
            Column("尚未进驻", "int", total=True),
        ],
        exported_at=exported_at,
    )
    for line in card.categories:
        categories.row([line.label, line.items, line.in_centre, line.any_window, line.exempt, line.pending])
    categories.total_row()
    exempt = book.sheet(
        name="不进驻事项",
        title="经批准不进驻及尚未进驻事项",
        columns=[
            Column("事项编码"),
            Column("事项名称"),
            Column("实施部门"),
            Column("状态"),
            Column("批准文件"),
            Column("批准日期", "date"),
        ],
        exported_at=exported_at,
    )
    for item in card.exempt_items:
        status = "经批准不进驻" if item.presence == "exempt" else "尚未进驻"
        exempt.row([item.code, item.name, item.department, status, item.document, item.approved_on])
    times = book.sheet(
        name="办理用时",
        title="各事项办理用时与时限",
        subtitle=subtitle,
        columns=[
            Column("事项编码"),
            Column("事项名称"),
            Column("实施部门"),
            Column("法定时限", "int"),
            Column("承诺时限", "int"),
            Column("办结件", "int", total=True),
            Column("平均用时", "rate"),
            Column("90%分位用时", "int"),
            Column("超期件", "int", total=True),
            Column("承诺压缩比（%）", "rate"),
            Column("实际压缩比（%）", "rate"),
        ],
        exported_at=exported_at,
        landscape=True,
    )
    for time_line in card.item_times:
        times.row(
            [
                time_line.code,
                time_line.name,
                time_line.department,
                time_line.legal_limit_days,
                time_line.promised_limit_days,
                time_line.completed,
                _one_decimal(time_line.average_days),
                time_line.p90_days,
                time_line.late,
                _one_decimal(time_line.promise_compression_pct),
                _one_decimal(time_line.actual_compression_pct),
            ]
        )
    times.total_row()
    departments = book.sheet(
        name="超期件",
        title="超期件（按部门）",
        subtitle=subtitle,
        columns=[
            Column("部门"),
            Column("超期办结", "int", total=True),
            Column("超期未办结", "int", total=True),
            Column("合计", "int", total=True),
        ],
        exported_at=exported_at,
    )
    for department in card.departments:
        departments.row([department.department, department.completed_late, department.open_overdue, department.total])
    departments.total_row()
    return book.to_bytes()
