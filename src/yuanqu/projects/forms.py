"""Input of the project pages: parsed and validated here, acted on by the services."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from yuanqu.core.models import Department, Place
from yuanqu.core.widgets import DateInput
from yuanqu.projects.models import ALLOWED_MOVES, Project, Stage, StartRequirement

EVIDENCE_SUFFIXES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".zip"}
LEDGER_SUFFIXES = {".xlsx", ".csv"}


def checked_upload(upload: UploadedFile, suffixes: set[str]) -> UploadedFile:
    if Path(upload.name or "").suffix.lower() not in suffixes:
        raise forms.ValidationError(f"只接受以下类型的文件：{'、'.join(sorted(suffixes))}")
    if (upload.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(f"文件超过 {settings.YUANQU_UPLOAD_MAX_MB}MB")
    return upload


class SeveralFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SeveralFilesField(forms.FileField):
    """Zero or more uploaded files, each checked for type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SeveralFilesInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [checked_upload(single(item, initial), EVIDENCE_SUFFIXES) for item in items]


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="变更为")
    on = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="原因（搁置、终止时必填）", max_length=300, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = SeveralFilesField(label="证明材料", help_text="可选多个文件：PDF、图片、Word、Excel 等")

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 开工 is reached through the start-of-construction review, not by a plain move.
        allowed = ALLOWED_MOVES[project.stage] - ({Stage.STARTED} if project.stage != Stage.ON_HOLD else set())
        if project.stage == Stage.ON_HOLD:
            allowed = {stage for stage in allowed if stage in (project.held_from, Stage.TERMINATED)}
        field = self.fields["to_stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in Stage.choices if value in allowed]
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self) -> date:
        day: date = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天")
        return day


class StartClaimForm(forms.Form):
    started_on = forms.DateField(label="开工日期", widget=DateInput())
    department = forms.ModelChoiceField(label="申报部门", queryset=Department.objects.none(), required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, zone: Place, requirements: list[StartRequirement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(zone=zone)
        self.requirements = requirements
        for requirement in requirements:
            if requirement.kind == StartRequirement.Kind.INVESTMENT_SHARE:
                self.fields["completed_investment_pct"] = forms.DecimalField(
                    label=f"{requirement}（%）",
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=2,
                    required=False,
                )
                continue
            self.fields[f"reference_{requirement.pk}"] = forms.CharField(
                label=f"{requirement.name}：编号或说明", max_length=200, required=False
            )
            self.fields[f"file_{requirement.pk}"] = forms.FileField(label=f"{requirement.name}：文件", required=False)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        for requirement in self.requirements:
            upload = self.cleaned_data.get(f"file_{requirement.pk}")
            if upload:
                try:
                    checked_upload(upload, EVIDENCE_SUFFIXES)
                except forms.ValidationError as exc:
                    self.add_error(f"file_{requirement.pk}", exc)
        return data


def person_label(user: User) -> str:
    """张招商（招商局）: the name people know and the department, never the login name alone."""
    departments = "、".join(department.name for department in user.departments.all())
    name = user.get_full_name() or user.get_username()
    return f"{name}（{departments}）" if departments else name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class CreditForm(forms.Form):
    """Up to ``ROWS`` lines of 全员招商 credit; any staff member may have brought the lead."""

    ROWS = 4

    def __init__(self, *args: Any, zone: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).prefetch_related("departments").order_by("first_name", "username")
        departments = Department.objects.filter(zone=zone)
        for row in range(self.ROWS):
            self.fields[f"officer_{row}"] = PersonChoiceField(label="招商人员", queryset=people, required=False)
            self.fields[f"department_{row}"] = forms.ModelChoiceField(
                label="部门", queryset=departments, required=False
            )
            self.fields[f"share_{row}"] = forms.DecimalField(
                label="比例（%）", min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=2, required=False
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"officer_{row}"], self[f"department_{row}"], self[f"share_{row}"]) for row in range(self.ROWS)]

    def lines(self) -> list[tuple[User | None, Department | None, Decimal]]:
        """The filled lines; call after ``is_valid``."""
        lines = []
        for row in range(self.ROWS):
            officer = self.cleaned_data.get(f"officer_{row}")
            department = self.cleaned_data.get(f"department_{row}")
            share = self.cleaned_data.get(f"share_{row}")
            if officer or department or share:
                if share is None:
                    self.add_error(f"share_{row}", "请填写比例")
                    continue
                lines.append((officer, department, share))
        return lines


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label="台账文件", help_text="Excel（.xlsx）或 CSV；可直接使用本系统导出的台账")

    def clean_file(self) -> UploadedFile:
        return checked_upload(self.cleaned_data["file"], LEDGER_SUFFIXES)
