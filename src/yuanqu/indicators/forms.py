from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from yuanqu.core.models import Place

KINDS = [("enterprise-monthly", "企业月度数据（规上企业当月数）"), ("observations", "发布数据（指标、地区、所属期）")]
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
    file = forms.FileField(label="数据文件", help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）")

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
        return data
