"""The catalogue in Excel: the platform's own export imports back; a bad file names row and column."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.service.factory import Centre
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.importing import ImportRejected
from yuanqu.service.models import Item, Presence
from yuanqu.service.services import ServiceRefused, catalogue_export, catalogue_import, item_save

HEADER = [
    "事项编码",
    "事项名称",
    "事项类别",
    "实施部门",
    "法定办结时限（工作日）",
    "承诺办结时限（工作日）",
    "办件类型",
    "进驻方式",
    "收费标准（元）",
    "申请材料",
    "受理专区",
    "不进驻批准文件",
    "不进驻批准日期",
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_an_exported_catalogue_imports_back_unchanged(centre: Centre, tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(catalogue_export(zone=centre.zone))
    report = catalogue_import(path=path, zone=centre.zone, dry_run=True)
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 0, 0, 4)
    assert AuditEntry.objects.filter(action="export.service_catalogue").count() == 1


def test_an_import_creates_and_updates_items_by_code(centre: Centre, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "清单.csv",
        [
            ["T-001", "食品经营许可", "行政许可", "市场监督管理局", "20", "2", "承诺件", "窗口进驻", "0",
             "申请表；营业执照", "企业开办专区", "", ""],
            ["T-100", "个体工商户设立登记", "行政许可", "市场监督管理局", "15", "1", "承诺件", "综合窗口受理", "",
             "申请表", "企业开办专区", "", ""],
        ],
    )  # fmt: skip
    report = catalogue_import(path=path, zone=centre.zone)
    assert (report.created, report.updated) == (1, 1)
    assert Item.objects.get(code="T-001").promised_limit_days == 2
    assert Item.objects.get(code="T-100").presence == Presence.ANY_WINDOW
    assert AuditEntry.objects.filter(action="service.item_update", summary__contains="承诺办结时限").exists()


def test_a_bad_file_names_row_and_column_and_writes_nothing(centre: Centre, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "清单.csv",
        [
            ["T-101", "新事项", "行政许可", "市场监督管理局", "10", "12", "承诺件", "窗口进驻", "0", "申请表",
             "企业开办专区", "", ""],
            ["T-102", "另一事项", "行政审批", "市场监督管理局", "10", "2", "承诺件", "经批准不进驻", "0", "申请表",
             "", "", ""],
            ["T-103", "第三事项", "公共服务", "不存在的局", "5", "0", "即办件", "综合窗口受理", "免费", "",
             "企业开办专区", "", ""],
        ],
    )  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(path=path, zone=centre.zone)
    issues = {(issue.row, issue.column): issue.message for issue in rejected.value.issues}
    assert "超过法定时限" in issues[(2, "承诺办结时限（工作日）")]
    assert "应为行政许可" in issues[(3, "事项类别")]
    assert "须填写批准文件" in issues[(3, "不进驻批准文件")]
    assert not Item.objects.filter(code__in=["T-101", "T-102", "T-103"]).exists()
    # The row-level check passed for the third row, so its department is checked only once the
    # others are fixed: a second pass with only that row names it.
    path = write_csv(tmp_path / "清单2.csv", [["T-103", "第三事项", "公共服务", "不存在的局", "5", "0", "即办件",
                                              "综合窗口受理", "免费", "", "企业开办专区", "", ""]])  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(path=path, zone=centre.zone)
    assert [(issue.row, issue.column, issue.message) for issue in rejected.value.issues] == [
        (2, "实施部门", "本园区没有部门“不存在的局”")
    ]


def test_an_over_long_text_or_a_control_character_is_refused_not_cut_and_writes_nothing(
    centre: Centre, tmp_path: Path
) -> None:
    def item(number: int, **changes: str) -> list[str]:
        cells = dict(zip(HEADER, [f"T-{number}", f"事项{number}", "行政许可", "市场监督管理局", "20", "2", "承诺件",
                                  "窗口进驻", "0", "申请表", "企业开办专区", "", ""], strict=True))  # fmt: skip
        cells.update(changes)
        return [cells[name] for name in HEADER]

    exempt = {"进驻方式": "经批准不进驻", "受理专区": "", "不进驻批准日期": "2023-03-15"}
    rows = [
        item(201, 事项名称="事" * 201),
        item(202, 事项名称="食品\x00经营许可"),
        item(203, **exempt, 不进驻批准文件="批" * 201),
        item(204, 申请材料="申请表\x00；营业执照"),
        item(205, 实施部门="市场监督\x00管理局"),
        item(206, 受理专区="企业开办\x00专区"),
        item(207, 事项名称="事" * 200, **exempt, 不进驻批准文件="批" * 200),  # at the limits
    ]
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(path=write_csv(tmp_path / "清单.csv", rows), zone=centre.zone)
    control = "含有控制字符（如换行、制表符或空字符），请删除后重试"
    assert [str(issue) for issue in rejected.value.issues] == [
        "清单.csv 第2行“事项名称”列：过长（201个字符，最多200个）",
        f"清单.csv 第3行“事项名称”列：{control}",
        "清单.csv 第4行“不进驻批准文件”列：过长（201个字符，最多200个）",
        "清单.csv 第5行“申请材料”列：含有控制字符（如空字符），请删除后重试",
        f"清单.csv 第6行“实施部门”列：{control}",
        f"清单.csv 第7行“受理专区”列：{control}",
    ]
    assert not Item.objects.filter(code__startswith="T-2").exists()

    catalogue_import(path=write_csv(tmp_path / "清单2.csv", rows[-1:]), zone=centre.zone)
    stored = Item.objects.get(code="T-207")
    assert (stored.name, stored.exemption_document) == ("事" * 200, "批" * 200)


def test_a_missing_column_is_named(centre: Centre, tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text("事项编码,事项名称\nT-1,某事项\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(path=path, zone=centre.zone)
    assert {issue.column for issue in rejected.value.issues} >= {"事项类别", "实施部门", "进驻方式"}


def test_editing_an_item_writes_an_audit_row_naming_the_fields(centre: Centre) -> None:
    item, changed = item_save(
        zone=centre.zone,
        code="T-002",
        values={"promised_limit_days": 2, "name": "有限责任公司设立登记"},
    )
    assert changed == ["承诺办结时限（工作日）"] and item.promised_limit_days == 2
    entry = AuditEntry.objects.get(action="service.item_update")
    assert entry.summary == "修改事项 T-002：承诺办结时限（工作日）：1 → 2"
    assert entry.detail["changes"] == {"promised_limit_days": [1, 2]}
    with pytest.raises(ServiceRefused, match="不能超过法定办结时限") as refused:
        item_save(zone=centre.zone, code="T-002", values={"promised_limit_days": 16, "legal_limit_days": 15})
    assert refused.value.field == "promised_limit_days"
    assert Item.objects.get(code="T-002").promised_limit_days == 2


def test_the_audit_row_of_an_edit_keeps_old_and_new_values_readably(centre: Centre) -> None:
    item_save(
        zone=centre.zone,
        code="T-001",
        values={
            "presence": Presence.ANY_WINDOW,
            "service_zone": centre.enterprise_zone,  # unchanged, so not in the row
            "department": centre.police,
            "fee_yuan": Decimal("12.50"),
            "materials": ["申请表"],
            "is_sample": True,
        },
    )
    entry = AuditEntry.objects.get(action="service.item_update")
    assert entry.detail["changes"] == {
        "department": ["市场监督管理局", "公安分局"],
        "fee_yuan": ["0.00", "12.50"],
        "materials": [["申请表", "营业执照"], ["申请表"]],
        "presence": ["window", "any_window"],
        "is_sample": [False, True],
    }
    assert entry.summary == (
        "修改事项 T-001：实施部门：市场监督管理局 → 公安分局；收费标准（元）：0.00 → 12.50；"
        "申请材料：申请表、营业执照 → 申请表；进驻方式：窗口进驻 → 综合窗口受理；示例数据：否 → 是"
    )


def test_an_immediate_item_is_promised_on_the_spot_as_the_import_requires(centre: Centre) -> None:
    with pytest.raises(ServiceRefused, match="即办件的承诺时限应为0") as refused:
        item_save(zone=centre.zone, code="T-001", values={"kind": "immediate", "promised_limit_days": 3})
    assert refused.value.field == "promised_limit_days"
    assert Item.objects.get(code="T-001").kind == "promised"
    item, _changed = item_save(zone=centre.zone, code="T-001", values={"kind": "immediate", "promised_limit_days": 0})
    assert (item.kind, item.promised_limit_days) == ("immediate", 0)
