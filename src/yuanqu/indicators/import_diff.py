"""What an enterprise import would change, month by month: the preview a statistician checks.

Two modes. **Additive** (the default): the file writes the enterprise-months it contains —
new ones added, changed ones updated, identical ones untouched — and deletes nothing.
**Replace month** (an explicit choice: the zone's monthly report sent again in full): the
enterprises a covered month holds that are not in the file are removed as well.

The preview counts, per month, the rows in the file, already stored, added, changed, removed,
unchanged and kept; lists the changed and removed enterprises with their old and new amounts;
and warns (in red on the page) where the file covers fewer than ``PARTIAL_FILE_PCT`` of the
enterprises a month already holds, or a month's total of any amount would move by more than
``TOTAL_MOVE_PCT``.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from yuanqu import figures
from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.indicators.importing import AMOUNT_FIELDS, AMOUNT_HEADERS, EnterpriseColumns
from yuanqu.periods import Period

if TYPE_CHECKING:
    from yuanqu.core.models import Place

PARTIAL_FILE_PCT = Decimal(90)
TOTAL_MOVE_PCT = Decimal(10)
PRIOR_FIELDS = [f"prior_{key}" for key in AMOUNT_FIELDS]
# The stored columns an import compares and writes, in this order.
ROW_COLUMNS = ["above_scale", *AMOUNT_FIELDS, *PRIOR_FIELDS]
AMOUNTS_AT = slice(1, 1 + len(AMOUNT_FIELDS))
Values = tuple[object, ...]  # one row's ROW_COLUMNS


def file_values(columns: EnterpriseColumns, at: int) -> Values:
    """The ROW_COLUMNS of the file's row ``at`` (a 上年同期累计 the file does not give is None)."""
    return (
        columns.above_scale[at],
        *(columns.amounts[key][at] for key in AMOUNT_FIELDS),
        *(columns.prior[key][at] for key in AMOUNT_FIELDS),
    )


@dataclass(frozen=True)
class RowChange:
    """One enterprise-month the import adds, changes or removes."""

    kind: str  # "added" | "changed" | "removed"
    uscc: str
    name: str
    period: str  # month code, e.g. 2023-06
    row: int | None  # the file's row (None for a removed row)
    old: Values | None
    new: Values | None

    @property
    def kind_label(self) -> str:
        return {"added": "新增", "changed": "更新", "removed": "删除"}[self.kind]

    def amount_changes(self) -> list[tuple[str, str, str]]:
        """(column, old, new) of every amount that differs, written in 万元 (power in 万千瓦时)."""
        result = []
        for index, name in enumerate(ROW_COLUMNS):
            old = self.old[index] if self.old is not None else None
            new = self.new[index] if self.new is not None else None
            if old == new:
                continue
            result.append((column_label(name), value_text(name, old), value_text(name, new)))
        return result


def column_label(name: str) -> str:
    if name == "above_scale":
        return "规上"
    if name.startswith("prior_"):
        header, unit = AMOUNT_HEADERS[name.removeprefix("prior_")]
        return f"{header}上年同期累计（{unit}）"
    header, unit = AMOUNT_HEADERS[name]
    return f"{header}（{unit}）"


def value_text(name: str, value: object) -> str:
    if value is None:
        return "—"
    if name == "above_scale":
        return "是" if value else "否"
    assert isinstance(value, int)
    return figures.grouped(figures.wan_from_yuan(value), 1)


@dataclass
class MonthDiff:
    """One month's counts and totals before and after the import."""

    period: str
    in_file: int = 0
    stored: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    kept: int = 0  # stored rows not in the file, left as they are (additive mode)
    cleared: int = 0  # changed rows where a stored amount becomes empty (the file's cell is blank)
    totals_before: dict[str, int] = field(default_factory=dict)  # amount field -> 元
    totals_after: dict[str, int] = field(default_factory=dict)
    expected: int = 0  # 规上 enterprises of the month before, after the import
    reported_of_expected: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Period.parse(self.period).full_label

    @property
    def sales_before_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.totals_before.get("industrial_invoiced_sales", 0))

    @property
    def sales_after_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.totals_after.get("industrial_invoiced_sales", 0))

    @property
    def covered_pct(self) -> Decimal | None:
        """Share of the month's stored enterprises that the file holds."""
        if not self.stored:
            return None
        return Decimal(self.stored - self.kept - self.removed) / Decimal(self.stored) * 100

    def total_moves(self) -> list[tuple[str, Decimal]]:
        """(amount header, percent change of the month's total) for every amount with a stored total."""
        moves = []
        for key in AMOUNT_FIELDS:
            before, after = self.totals_before.get(key, 0), self.totals_after.get(key, 0)
            if before > 0:
                moves.append((AMOUNT_HEADERS[key][0], figures.percent_change(Decimal(after), Decimal(before))))
        return moves

    def check(self, *, replace_month: bool) -> None:
        """The red warnings of the preview."""
        if self.cleared:
            self.warnings.append(
                f"{self.label}：{self.cleared} 家企业已有的数据将被清空（文件中相应单元格为空）；"
                "如只是未填报，请补全后再导入"
            )
        covered = self.covered_pct
        if covered is not None and covered < PARTIAL_FILE_PCT:
            held = self.stored - self.kept - self.removed
            if replace_month:
                self.warnings.append(
                    f"{self.label}：文件只含库中 {self.stored} 家企业中的 {held} 家"
                    f"（{figures.rate(covered)}%），整月替换将删除其余 {self.removed} 家企业的数据"
                )
            else:
                self.warnings.append(
                    f"{self.label}：文件只含库中 {self.stored} 家企业中的 {held} 家"
                    f"（{figures.rate(covered)}%），是部分数据；未列入文件的企业数据保持不变"
                )
        moves = [
            f"{header}{'增加' if change > 0 else '减少'}{figures.rate(abs(change))}%"
            for header, change in self.total_moves()
            if abs(change) > TOTAL_MOVE_PCT
        ]
        if moves:
            self.warnings.append(f"{self.label}：月度合计变动超过{TOTAL_MOVE_PCT}%，请核对：{'、'.join(moves)}")


@dataclass(frozen=True)
class PriorRevision:
    """A reported 上年同期累计 that differs from the enterprise's own rows a year earlier."""

    uscc: str
    name: str
    period: str
    field: str
    own_yuan: int
    reported_yuan: int

    @property
    def text(self) -> str:
        own, reported = value_text(self.field, self.own_yuan), value_text(self.field, self.reported_yuan)
        header = AMOUNT_HEADERS[self.field][0]
        return (
            f"{self.period} {self.name} {header}上年同期累计：库中上年数据{own}万元，填报{reported}万元（以填报数为准）"
        )


@dataclass(frozen=True)
class CumulativeMismatch:
    """A reported 本年累计 that differs from the sum of the enterprise's months 1..N."""

    uscc: str
    name: str
    period: str
    row: int
    field: str
    months_yuan: int
    reported_yuan: int

    @property
    def text(self) -> str:
        months, reported = value_text(self.field, self.months_yuan), value_text(self.field, self.reported_yuan)
        header = AMOUNT_HEADERS[self.field][0]
        through = Period.parse(self.period).last_month
        return f"第{self.row}行 {self.name} {header}本年累计{reported}万元，与1—{through}月各月合计{months}万元不符"


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    replace_month: bool = False
    rows: int = 0
    months: list[str] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    kept: int = 0
    enterprises_created: int = 0
    written: bool = False
    source_id: int | None = None
    month_diffs: list[MonthDiff] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)  # changed and removed rows
    # Added rows are many in a new month's file: kept as the file's columns and built when asked.
    added_from: "EnterpriseColumns | None" = None
    added_index: list[int] = field(default_factory=list)
    revisions: list[PriorRevision] = field(default_factory=list)
    mismatches: list[CumulativeMismatch] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [warning for diff in self.month_diffs for warning in diff.warnings]

    def added_rows(self) -> list[RowChange]:
        columns = self.added_from
        if columns is None:
            return []
        return [
            RowChange(
                "added",
                columns.uscc[at],
                columns.name[at],
                Period.month(columns.year[at], columns.month[at]).code,
                columns.rows[at],
                None,
                file_values(columns, at),
            )
            for at in self.added_index
        ]

    @property
    def changed_rows(self) -> list[RowChange]:
        return [change for change in self.changes if change.kind == "changed"]

    @property
    def removed_rows(self) -> list[RowChange]:
        return [change for change in self.changes if change.kind == "removed"]

    @property
    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        if not (self.added or self.changed or self.removed or self.enterprises_created):
            return f"{self.file_name}：{self.rows} 行，与库中数据相同，无变化"
        mode = "（整月替换）" if self.replace_month else ""
        kept = f"、保留未列入文件的 {self.kept}" if self.kept else ""
        return (
            f"{self.file_name}：{self.rows} 行{mode}，{verb}新增 {self.added}、更新 {self.changed}、"
            f"删除 {self.removed}、不变 {self.unchanged}{kept}，新建企业 {self.enterprises_created} 家"
        )

    def audit_detail(self, limit: int = 200) -> dict[str, object]:
        """What changed, for the import's one audit row (the first ``limit`` rows by name)."""
        return {
            "replace_month": self.replace_month,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "per_month": [
                {
                    "period": diff.period,
                    "in_file": diff.in_file,
                    "stored": diff.stored,
                    "added": diff.added,
                    "changed": diff.changed,
                    "removed": diff.removed,
                    "unchanged": diff.unchanged,
                }
                for diff in self.month_diffs
            ],
            "rows": [
                {"kind": change.kind, "uscc": change.uscc, "period": change.period, "changes": change.amount_changes()}
                for change in self.changes
                if change.kind != "added"
            ][:limit],
        }


def import_preview_lines(report: ImportReport, limit: int = 50) -> list[str]:
    """The preview as text lines (the command prints them; the page shows the same as tables)."""
    lines = ["所属期　文件中　库中已有　新增　更新　删除　不变　保留未列入　应报企业中已报"]
    for diff in report.month_diffs:
        reported = f"{diff.reported_of_expected}/{diff.expected}" if diff.expected else "—"
        lines.append(
            f"{diff.label}　{diff.in_file}　{diff.stored}　{diff.added}　{diff.changed}　{diff.removed}　"
            f"{diff.unchanged}　{diff.kept}　{reported}"
        )
    lines.extend(f"警告：{warning}" for warning in report.warnings)
    for change in report.removed_rows[:limit]:
        amounts = "，".join(f"{label}{old}" for label, old, _ in change.amount_changes() if old != "—")
        lines.append(
            f"{'将删除' if report.dry_run else '已删除'}：{change.period} {change.name}（{change.uscc}）：{amounts}"
        )
    if len(report.removed_rows) > limit:
        lines.append(f"……另有 {len(report.removed_rows) - limit} 家将删除")
    for change in report.changed_rows[:limit]:
        amounts = "，".join(f"{label} {old} → {new}" for label, old, new in change.amount_changes())
        lines.append(
            f"{'将更新' if report.dry_run else '已更新'}：{change.period} {change.name}（第{change.row}行）：{amounts}"
        )
    if len(report.changed_rows) > limit:
        lines.append(f"……另有 {len(report.changed_rows) - limit} 家更新")
    lines.extend(f"上年同期修订：{revision.text}" for revision in report.revisions[:limit])
    lines.extend(f"本年累计不符：{mismatch.text}" for mismatch in report.mismatches[:limit])
    return lines


def import_diff_workbook(report: ImportReport, *, zone: "Place") -> bytes:
    """The whole preview as an office workbook: per-month counts, then every row added, changed, removed."""
    book = OfficeWorkbook()
    mode = "整月替换" if report.replace_month else "增量导入"
    subtitle = f"{zone.name}　文件：{report.file_name}　方式：{mode}　金额单位：万元（用电量：万千瓦时）"
    months = book.sheet(
        name="各月汇总",
        title="企业月度数据导入预览：各月汇总",
        subtitle=subtitle,
        columns=[
            Column("所属期"),
            Column("文件中", "int", total=True),
            Column("库中已有", "int", total=True),
            Column("新增", "int", total=True),
            Column("更新", "int", total=True),
            Column("删除", "int", total=True),
            Column("不变", "int", total=True),
            Column("保留未列入文件的", "int", total=True),
            Column("应报企业", "int"),
            Column("应报企业中已报", "int"),
            Column("警告"),
        ],
    )
    for diff in report.month_diffs:
        months.row(
            [
                diff.label,
                diff.in_file,
                diff.stored,
                diff.added,
                diff.changed,
                diff.removed,
                diff.unchanged,
                diff.kept,
                diff.expected,
                diff.reported_of_expected,
                "；".join(diff.warnings),
            ]
        )
    months.total_row()
    rows = book.sheet(
        name="逐行变化",
        title="企业月度数据导入预览：逐行变化",
        subtitle=subtitle,
        frozen_columns=3,
        columns=[
            Column("变化"),
            Column("所属期"),
            Column("企业名称"),
            Column("统一社会信用代码"),
            Column("文件行号", "int"),
            Column("项目"),
            Column("原值"),
            Column("新值"),
        ],
    )
    for change in [*report.changes, *report.added_rows()]:
        for label, old, new in change.amount_changes():
            rows.row([change.kind_label, change.period, change.name, change.uscc, change.row, label, old, new])
    if report.revisions or report.mismatches:
        checks = book.sheet(
            name="核对事项",
            title="企业月度数据导入预览：上年同期修订与本年累计核对",
            subtitle=subtitle,
            columns=[Column("事项"), Column("说明")],
        )
        for revision in report.revisions:
            checks.row(["上年同期修订", revision.text])
        for mismatch in report.mismatches:
            checks.row(["本年累计不符", mismatch.text])
    return book.to_bytes()
