"""The import preview's workbook is laid out as every other export."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.spreadsheets import assert_office_sheet, opened
from tests.web.test_imports import a_demo_enterprise, enterprise_csv


def test_the_preview_workbook_is_an_office_sheet(statistician: Client) -> None:
    code, name = a_demo_enterprise()
    data = {"kind": "enterprise-monthly", "zone": "yz-etdz", "mode": "replace-month"}
    csv = enterprise_csv([(code, name, "2023-06", "1")])
    response = statistician.post("/imports/", {**data, "file": SimpleUploadedFile("june.csv", csv)})
    book = opened(statistician.get(f"/imports/preview.xlsx?token={response.context['token']}").content)
    counts = ["文件中", "库中已有", "新增", "更新", "删除", "不变"]
    assert_office_sheet(
        book["各月汇总"],
        title_contains="导入预览：各月汇总",
        formats=dict.fromkeys(counts, "#,##0"),
        frozen="B4",
        ignore=["june.csv"],  # the uploaded file's own name
    )
    assert_office_sheet(
        book["逐行变化"],
        title_contains="导入预览：逐行变化",
        formats={"文件行号": "#,##0"},
        frozen="D4",
        ignore=["june.csv"],
    )
