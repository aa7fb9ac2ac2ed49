"""Input of the project pages: parsed and validated here, acted on by the services."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.chains.models import ChainNode
from yuanqu.core.models import Department, Place
from yuanqu.core.widgets import DateInput
from yuanqu.projects.ledger import check_code, check_fields
from yuanqu.projects.models import ALLOWED_MOVES, Category, Project, Stage, StartRequirement

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

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


def _decimal_input(label: "StrOrPromise") -> forms.CharField:
    # Amounts are typed as text and checked by the ledger's rules (decimals, range, separators).
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ProjectForm(forms.Form):
    """A project's own fields, entered on the page, checked exactly as a ledger row is.

    The inputs are read as the ledger's cells (``ledger.check_fields``), so the same amount,
    code or industry code is accepted or refused with the same message in both places.
    """

    code = forms.CharField(label=_("项目编号"), max_length=40, help_text=_("字母、数字、短横线，如 YZKF-2026-0013"))
    name = forms.CharField(label=_("项目名称"), max_length=200)
    investor = forms.CharField(label=_("投资方"), max_length=200)
    investor_nature = forms.ChoiceField(label=_("投资方性质"), choices=Project.InvestorNature.choices)
    investor_region = forms.CharField(label=_("国别或地区"), max_length=60, required=False)
    is_fortune_500 = forms.BooleanField(label=_("世界500强"), required=False)
    is_listed = forms.BooleanField(label=_("上市公司"), required=False)
    is_specialised = forms.BooleanField(label=_("专精特新"), required=False)
    category = forms.ChoiceField(label=_("项目类别"), choices=Category.choices)
    industry_code = forms.CharField(
        label=_("国民经济行业分类代码"), max_length=5, required=False, help_text=_("如 C3841")
    )
    total_investment_yi = _decimal_input(_("计划总投资（亿元）"))
    foreign_investment_wan_usd = _decimal_input(_("其中外资（万美元）"))
    fixed_asset_investment_yi = _decimal_input(_("固定资产投资（亿元）"))
    equipment_investment_yi = _decimal_input(_("设备投资（亿元）"))
    land_mu = _decimal_input(_("用地（亩）"))
    land_kind = forms.ChoiceField(label=_("用地方式"), choices=Project.LandKind.choices)
    expected_sales_yi = _decimal_input(_("预计年开票销售（亿元）"))
    expected_tax_wan = _decimal_input(_("预计年税收（万元）"))
    expected_jobs = forms.CharField(
        label=_("预计用工（人）"), required=False, max_length=9, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    lead_source = forms.ChoiceField(label=_("线索来源"), choices=Project.LeadSource.choices)
    contacts = forms.CharField(
        label=_("联系人"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("姓名、职务、电话，每行一人"),
    )
    chain_node = forms.ModelChoiceField(
        label=_("产业链节点"), queryset=ChainNode.objects.none(), required=False, empty_label=_("（不属于重点产业链）")
    )
    adds_new_node = forms.BooleanField(label=_("新增链条节点（延链）"), required=False)
    # Only when the project is registered: the first talk and who brought it (100%).
    on = forms.DateField(label=_("首次洽谈日期"), widget=DateInput())
    officer = PersonChoiceField(label=_("招商人员"), queryset=User.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none(), required=False)

    FIELDSETS = [
        (_("基本情况"), ["code", "name", "category", "industry_code", "chain_node", "adds_new_node"]),
        (
            _("投资方"),
            ["investor", "investor_nature", "investor_region", "is_fortune_500", "is_listed", "is_specialised"],
        ),
        (
            _("投资与用地"),
            [
                "total_investment_yi",
                "foreign_investment_wan_usd",
                "fixed_asset_investment_yi",
                "equipment_investment_yi",
                "land_mu",
                "land_kind",
            ],
        ),
        (_("预期效益"), ["expected_sales_yi", "expected_tax_wan", "expected_jobs"]),
        (_("线索与联系人"), ["lead_source", "contacts"]),
        (_("登记"), ["on", "officer", "department"]),
    ]
    CREATE_ONLY = ("code", "on", "officer", "department")

    def __init__(self, *args: Any, zone: Place, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone, self.project = zone, project
        # Required by the ledger's check (which names it), not by the field: marked all the same.
        self.fields["total_investment_yi"].shown_required = True  # type: ignore[attr-defined]
        node = self.fields["chain_node"]
        assert isinstance(node, forms.ModelChoiceField)
        node.queryset = ChainNode.objects.filter(chain__zone=zone).select_related("chain")
        if project is not None:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            return
        self.fields["on"].initial = timezone.localdate()
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = User.objects.filter(is_active=True).prefetch_related("departments").order_by("first_name")
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(zone=zone)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(title), [self[name] for name in names if name in self.fields])
            for title, names in self.FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def _text(self, key: str) -> str:
        value = self.cleaned_data.get(key)
        if isinstance(self.fields.get(key), forms.BooleanField):
            return "是" if value else "否"
        return "" if value is None else str(value).strip()

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        values, problems = check_fields(self._text)
        for key, message in problems:
            self.add_error(key if key in self.fields else None, message)
        if "code" in self.fields and "code" in self.cleaned_data:
            code = self.cleaned_data["code"].strip()
            if problem := check_code(code):
                self.add_error("code", problem)
            elif Project.objects.filter(zone=self.zone, code=code).exists():
                self.add_error("code", _("本园区已有编号为“%(code)s”的项目") % {"code": code})
        if "on" in self.cleaned_data and self.cleaned_data["on"] > timezone.localdate():
            self.add_error("on", _("日期不能晚于今天"))
        self.project_fields = {key: value for key, value in values.items() if key in PROJECT_FORM_KEYS}
        self.project_fields["chain_node"] = self.cleaned_data.get("chain_node")
        self.project_fields["adds_new_node"] = bool(self.cleaned_data.get("adds_new_node"))
        return data


# The Project fields the form sets (status_reason belongs to 搁置/终止 moves, not to this form).
PROJECT_FORM_KEYS = {
    "name",
    "investor",
    "category",
    "total_investment_yi",
    "investor_nature",
    "investor_region",
    "is_fortune_500",
    "is_listed",
    "is_specialised",
    "industry_code",
    "foreign_investment_wan_usd",
    "fixed_asset_investment_yi",
    "equipment_investment_yi",
    "land_mu",
    "land_kind",
    "expected_sales_yi",
    "expected_tax_wan",
    "expected_jobs",
    "lead_source",
    "contacts",
}
