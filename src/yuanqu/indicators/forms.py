from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from yuanqu.core.models import Place

KINDS = [("enterprise-monthly", "企业月度数据（规上企业当月数）"), ("observations", "发布数据（指标、地区、所属期）")]
ADDITIVE, REPLACE_MONTH = "add", "replace-month"
MODES = [
    (ADDITIVE, "增量导入（默认）：新增、更新文件中的企业月度数据，文件未列出的企业数据保持不变"),
    (REPLACE_MONTH, "整月替换：文件是所含月份的完整报表，库中有而文件中没有的企业该月数据将被删除"),
]
SUFFIXES = {".xlsx", ".csv"}


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=KINDS)
    zone = forms.ModelChoiceField(
        label="所属园区",
        queryset=Place.objects.filter(level=Place.Level.ZONE),
        to_field_name="code",
        required=False,
        help_text="企业月度数据必填",
    )
    mode = forms.ChoiceField(
        label="企业月度数据导入方式",
        choices=MODES,
        initial=ADDITIVE,
        required=False,
        widget=forms.RadioSelect,
        help_text="整月替换会删除数据，预览时逐家列出将删除的企业",
    )
    file = forms.FileField(label="数据文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "zone" not in self.initial:
            self.initial["zone"] = settings.YUANQU_DEFAULT_ZONE

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("只接受 .xlsx 或 .csv 文件")
        if (upload.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {settings.YUANQU_UPLOAD_MAX_MB}MB")
        return upload

    def clean(self) -> dict[str, object] | None:
        data = super().clean()
        if data and data.get("kind") == "enterprise-monthly" and not data.get("zone"):
            self.add_error("zone", "导入企业月度数据须选择所属园区")
        if data is not None:
            data["mode"] = data.get("mode") or ADDITIVE
        return data


REPORT_LEVELS = [Place.Level.DISTRICT, Place.Level.ZONE]


class ReportUploadForm(forms.Form):
    """A published report (plain text) and the place it describes."""

    zone = forms.ModelChoiceField(
        label="报告所述地区",
        queryset=Place.objects.filter(level__in=REPORT_LEVELS),
        to_field_name="code",
        empty_label="请选择",
        error_messages={"required": "请选择报告所述地区", "invalid_choice": "未找到所选地区"},
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="报告未写年份时使用",
        error_messages={"invalid": "年份须为四位数字"},
    )
    file = forms.FileField(
        label="报告文件",
        help_text="纯文本（.txt，UTF-8 或 GB18030 编码）",
        error_messages={"required": "请选择报告文件", "empty": "文件为空"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # It shares the import page with ImportUploadForm: its own element ids, same field names.
        kwargs.setdefault("auto_id", "id_report_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() != ".txt":
            raise forms.ValidationError("只接受 .txt 纯文本报告")
        if (upload.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"文件超过 {settings.YUANQU_UPLOAD_MAX_MB}MB")
        data = b"".join(upload.chunks())
        upload.seek(0)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise forms.ValidationError("无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的纯文本") from None
        if "\x00" in text or not text.strip():
            raise forms.ValidationError("文件不是有内容的纯文本")
        return upload


class ObservationCorrectionForm(forms.Form):
    """The corrected numbers of an extracted observation; a blank field keeps the extracted one."""

    value = forms.DecimalField(
        label="数值",
        required=False,
        max_digits=16,
        decimal_places=4,
        error_messages={
            "invalid": "数值须为数字",
            "max_digits": "数值位数过多",
            "max_decimal_places": "数值最多保留4位小数",
            "max_whole_digits": "数值过大",
        },
    )
    growth = forms.DecimalField(
        label="同比增长（%）",
        required=False,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "增长率须为数字",
            "max_digits": "增长率位数过多",
            "max_decimal_places": "增长率最多保留2位小数",
            "max_whole_digits": "增长率过大",
        },
    )

    def clean(self) -> dict[str, object] | None:
        data = super().clean()
        if data is not None and not self.errors and data.get("value") is None and data.get("growth") is None:
            raise forms.ValidationError("更正须填写数值或增长率")
        return data
