"""Input of the service-centre pages: parsed and validated here, acted on by the services."""

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Department, Place
from yuanqu.service.models import (
    ApplicantKind,
    Decision,
    Item,
    ItemCategory,
    ItemKind,
    Presence,
    Rating,
    ServiceZone,
    Window,
)
from yuanqu.service.services import Outcome

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department.name}）"


class RegisterForm(forms.Form):
    """登记办件 at one of the clerk's windows."""

    window = WindowChoiceField(label=_("受理窗口"), queryset=Window.objects.none())
    item = ItemChoiceField(label=_("事项"), queryset=Item.objects.none())
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人（企业名称或姓名）"), max_length=200)
    applicant_code = forms.CharField(label=_("统一社会信用代码或居民身份证号码"), max_length=18)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    materials = forms.MultipleChoiceField(
        label=_("已收材料"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=[
            (Outcome.ACCEPT, _("受理")),
            (Outcome.NOTIFY, _("一次性告知补正")),
            (Outcome.REFUSE, _("不予受理")),
        ],
        widget=forms.RadioSelect,
        initial=Outcome.ACCEPT,
    )
    reason = forms.CharField(label=_("不予受理理由"), max_length=300, required=False)
    number = forms.CharField(
        label=_("办件编号"), max_length=40, required=False, help_text=_("留空由系统生成；外部系统已编号的可填写")
    )

    def __init__(self, *args: Any, windows: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window_field = self.fields["window"]
        item_field = self.fields["item"]
        assert isinstance(window_field, forms.ModelChoiceField) and isinstance(item_field, forms.ModelChoiceField)
        window_field.queryset = windows
        item_field.queryset = items
        materials = self.fields["materials"]
        assert isinstance(materials, forms.MultipleChoiceField)
        item = None
        if self.is_bound:
            item = (
                items.filter(pk=self.data.get("item") or 0).first()
                if str(self.data.get("item", "")).isdigit()
                else None
            )
        if item is not None:
            materials.choices = [(name, name) for name in item.materials]
        self.item_materials = item.materials if item is not None else []


class MaterialsForm(forms.Form):
    materials = forms.MultipleChoiceField(
        label=_("补齐的材料"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["materials"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, name) for name in missing]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class PauseForm(forms.Form):
    missing = forms.CharField(
        label=_("须补正材料（每行一项）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["missing"].splitlines() if line.strip()]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批决定"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("不予许可理由"), max_length=300, required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见（差评必填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(forms.Form):
    """An item of the catalogue, edited in the web."""

    code = forms.CharField(label=_("事项编码"), max_length=40)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    category = forms.ChoiceField(label=_("事项类别"), choices=ItemCategory.choices)
    department = forms.ModelChoiceField(label=_("实施部门"), queryset=Department.objects.none())
    legal_limit_days = forms.IntegerField(label=_("法定办结时限（工作日）"), min_value=0, max_value=365)
    promised_limit_days = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=0, max_value=365)
    kind = forms.ChoiceField(label=_("办件类型"), choices=ItemKind.choices)
    fee_yuan = forms.DecimalField(label=_("收费标准（元）"), min_value=0, max_digits=10, decimal_places=2, initial=0)
    materials = forms.CharField(
        label=_("申请材料（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    presence = forms.ChoiceField(label=_("进驻方式"), choices=Presence.choices)
    service_zone = forms.ModelChoiceField(label=_("受理专区"), queryset=ServiceZone.objects.none(), required=False)
    exemption_document = forms.CharField(label=_("不进驻批准文件"), max_length=200, required=False)
    exemption_approved_on = forms.DateField(label=_("不进驻批准日期"), required=False, widget=DATE_INPUT)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, zone: Place, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        service_zone = self.fields["service_zone"]
        assert isinstance(department, forms.ModelChoiceField) and isinstance(service_zone, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(zone=zone)
        service_zone.queryset = ServiceZone.objects.filter(zone=zone)
        if editing:  # the code names the item; it is shown, not changed
            self.fields["code"].disabled = True
            self.fields["code"].required = False

    def clean_materials(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("材料名称重复"))
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError(_("每项材料名称不超过100个字符"))
        return names

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        return data


class WindowForm(forms.Form):
    """A window added to a service zone, or a window's kind, department and service zone changed."""

    service_zone = forms.ModelChoiceField(label=_("服务专区"), queryset=ServiceZone.objects.none())
    number = forms.CharField(label=_("窗口号"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("窗口类型"), choices=Window.Kind.choices)
    department = forms.ModelChoiceField(label=_("专窗所属部门"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args: Any, zone: Place, adding: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_zone = self.fields["service_zone"]
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField) and isinstance(service_zone, forms.ModelChoiceField)
        service_zone.queryset = ServiceZone.objects.filter(zone=zone)
        department.queryset = Department.objects.filter(zone=zone).order_by("name")
        self.fields["number"].required = adding


class OverrideForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    is_working_day = forms.TypedChoiceField(
        label=_("调整为"),
        choices=[("1", _("上班（工作日）")), ("0", _("休息（非工作日）"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("依据或说明"), max_length=200)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("依据（通知文号）"), max_length=200)


class CalendarCheckForm(forms.Form):
    start = forms.DateField(label=_("起算日（当日不计）"), widget=DATE_INPUT)
    days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=365)


class RulesForm(forms.Form):
    follow_up_days = forms.IntegerField(label=_("差评整改时限（工作日）"), min_value=1, max_value=60)
    due_soon_days = forms.IntegerField(label=_("即将超期提醒（工作日）"), min_value=0, max_value=10)


CATALOGUE_SUFFIXES = {".xlsx", ".csv"}


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=_("事项清单文件"), help_text=_("Excel（.xlsx）或 CSV；可直接使用本系统导出的事项清单"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in CATALOGUE_SUFFIXES:
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        if (upload.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(_("文件超过 %(size)dMB") % {"size": settings.YUANQU_UPLOAD_MAX_MB})
        return upload


# The years a case's registration date may be filtered by (the platform's periods are 1900–2999;
# these bound the dates so that a day before or after converts to a moment without overflow).
FILTER_YEARS = (1900, 2999)


class CaseFilterForm(forms.Form):
    """办件查询's filters: registered between two dates, decided by a department, in a stage."""

    registered_from = forms.DateField(
        label=_("登记日期自"), required=False, widget=DATE_INPUT, error_messages={"invalid": _("登记日期应为有效日期")}
    )
    registered_to = forms.DateField(
        label=_("至"), required=False, widget=DATE_INPUT, error_messages={"invalid": _("登记日期应为有效日期")}
    )
    department = forms.ModelChoiceField(
        label=_("审批部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("全部"),
        error_messages={"invalid_choice": _("没有这个审批部门")},
    )

    def __init__(self, *args: Any, zone: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(zone=zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("registered_from"), data.get("registered_to")
        for name, day in (("registered_from", first), ("registered_to", last)):
            if day is not None and not FILTER_YEARS[0] <= day.year <= FILTER_YEARS[1]:
                # A date a browser lets through (0001-01-01, 9999-12-31) but no case can have.
                self.add_error(
                    name,
                    _("登记日期应在%(first)s年至%(last)s年之间") % {"first": FILTER_YEARS[0], "last": FILTER_YEARS[1]},
                )
                data.pop(name, None)
                first, last = data.get("registered_from"), data.get("registered_to")
        if first and last and first > last:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        return data
