"""Forms of the request pages; they parse and validate input, the services decide."""

from datetime import date
from typing import Any

from django import forms

from yuanqu.chains.models import Chain, ChainEnterprise, EnterpriseRequest
from yuanqu.core.models import Department
from yuanqu.core.widgets import DateInput, PickerField
from yuanqu.indicators.models import Enterprise


class RequestRaiseForm(forms.Form):
    enterprise = PickerField(
        Enterprise.objects.none(),
        key="uscc",
        label="诉求企业",
        help_text="输入企业名称或统一社会信用代码的一部分，从列表中选择",
    )
    raised_by = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), label="代为提出的链主", required=False, empty_label="（企业自行提出）"
    )
    category = forms.ChoiceField(choices=EnterpriseRequest.Category.choices, label="类别")
    title = forms.CharField(max_length=200, label="诉求")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="详细情况")

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_chain = ChainEnterprise.objects.filter(node__chain=chain)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(  # type: ignore[attr-defined]
            pk__in=on_chain.values("enterprise_id")
        ).order_by("name")
        self.fields["raised_by"].queryset = Enterprise.objects.filter(  # type: ignore[attr-defined]
            pk__in=on_chain.filter(role=ChainEnterprise.Role.MASTER).values("enterprise_id")
        ).order_by("name")


class RequestAssignForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label="承办部门")
    deadline = forms.DateField(label="办理时限", widget=DateInput())

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(zone=chain.zone)  # type: ignore[attr-defined]


class RequestReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="答复内容")


class RequestCloseForm(forms.Form):
    satisfaction = forms.ChoiceField(choices=EnterpriseRequest.Satisfaction.choices, label="企业满意度")
    note = forms.CharField(max_length=500, required=False, label="办结说明")


def default_deadline(today: date, days: int = 15) -> date:
    return date.fromordinal(today.toordinal() + days)
