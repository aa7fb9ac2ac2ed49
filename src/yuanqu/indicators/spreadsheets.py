"""The standard import templates, written as .xlsx files an office opens as it expects."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from yuanqu.indicators.importing import (
    ENTERPRISE_COLUMNS,
    ENTERPRISE_OPTIONAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_OPTIONAL_COLUMNS,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")

NOTES = {
    "enterprise-monthly": [
        "企业月度数据填报说明",
        "1. 每行一家企业一个月的当月数（不是累计数），金额单位为万元，最多4位小数；用电量单位为万千瓦时。",
        "2. 所属期写作 YYYY-MM，如 2023-06；1—2月合并报送时请分别填写1月和2月，或只填2月并将1月留空。",
        "3. 规上填“是”或“否”，指该企业在该月是否在规模以上工业企业名录内。",
        "4. 统一社会信用代码为18位，系统会核对校验位。",
        "5. 默认为增量导入：文件中的企业月度数据新增或更新，相同的不变，文件未列出的企业数据保持不变，不会删除。",
        "6. 整月替换：月度统计报表整月重报时，在导入页选择“整月替换”（命令行加 --replace-month），"
        "该月库中有、文件中没有的企业数据将被删除；预览会逐家列出将删除的企业及其金额，确认后才写入。",
        "7. “本年累计”“上年同期累计”两组列可选，按月度统计报表填写（万元）。上年同期累计是该企业同口径比较的基数："
        "填写后以填报数为准（与库中上年数据不一致时，预览列为“上年同期修订”）；本年累计用于核对各月合计。",
        "8. 同口径基数的来源：上年实际（库中该企业上年各月数据）、企业填报上年同期（本表填写）、"
        "新投产（上年无生产，由统计员在企业明细页标记并注明理由）；三者都没有的企业标为“缺上年数据”，"
        "不计入同口径增速，页面注明其家数和本期金额。",
        "9. 文件有任何错误时不写入任何数据；同一文件重复导入不产生变化。",
    ],
    "observations": [
        "发布数据填报说明",
        "1. 指标、地区可填代码或名称；所属期如 2023-H1、2023-01~06、2023-06。",
        "2. 数值单位默认同指标单位（如亿元）；同比增长填百分数（如 8.3），下降填负数。",
        "3. 价格口径：地区生产总值、工业增加值填“可比价”，其余填“现价”。",
        "4. 数据版本：快报、定报或核实；同一指标、地区、所属期的新数据作为修订保存，旧数据保留可查。",
        "5. 示例数据填“是”的数据在页面和报告中标注为示例。",
    ],
}


def write_template(kind: str) -> bytes:
    if kind == "enterprise-monthly":
        columns = ENTERPRISE_COLUMNS + ENTERPRISE_OPTIONAL_COLUMNS
        example = ["91321091MA1XXXXXX0", "扬州示例新能源科技有限公司", "2023-06", "是",
                   "1200.5", "1150.25", "1300", "85.6", "36.2", "48.3", "C3841",
                   "7203", "6901.5", "7800", "513.6", "217.2", "289.8",
                   "6650", "6400", "7200", "470", "200", "270"]  # fmt: skip
    else:
        columns = OBSERVATION_COLUMNS + OBSERVATION_OPTIONAL_COLUMNS
        example = ["地区生产总值", "扬州经济技术开发区", "2023-H1", "375.3", "亿元", "8.3",
                   "可比价", "快报", "扬州经开区2023年上半年成绩单", "否", ""]  # fmt: skip
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    for index, (header, _, unit) in enumerate(columns, start=1):
        text = f"{header}（{unit}）" if unit else header
        cell = sheet.cell(row=1, column=index, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(text) * 2 + 2)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30
    if kind == "enterprise-monthly":
        yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=False)
        sheet.add_data_validation(yes_no)
        yes_no.add("D2:D100000")
        for column in "ABC":
            for row in range(2, 1002):
                sheet[f"{column}{row}"].number_format = "@"  # text, so Excel keeps 2023-06 and codes as typed
    notes = book.create_sheet("填报说明")
    for row, line in enumerate(NOTES[kind], start=1):
        notes.cell(row=row, column=1, value=line).font = Font(bold=row == 1)
    notes.column_dimensions["A"].width = 110
    examples = book.create_sheet("填写示例")
    for index, (header, _, unit) in enumerate(columns, start=1):
        examples.cell(row=1, column=index, value=f"{header}（{unit}）" if unit else header).font = Font(bold=True)
        examples.cell(row=2, column=index, value=example[index - 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
