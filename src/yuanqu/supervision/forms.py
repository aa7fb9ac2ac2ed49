"""Input of the supervision pages: parsed and validated here, decided by the services."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuanqu.accounts.roles import Role
from yuanqu.chains.models import Chain, ProgrammeTask
from yuanqu.core.models import Department, Place
from yuanqu.indicators.models import Indicator, Target
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.forms import PersonChoiceField, SeveralFilesInput
from yuanqu.projects.models import Category
from yuanqu.supervision.links import available_kinds
from yuanqu.supervision.models import Measure, Milestone
from yuanqu.supervision.services import ACCEPT, RETURN, MilestoneInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MILESTONE_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(.+?)\s*$")


def _leaders() -> Any:
    return (
        User.objects.filter(groups__name=Role.LEADERSHIP.value, is_active=True)
        .prefetch_related("departments")
        .order_by("first_name", "username")
        .distinct()
    )


class TaskForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("所属期"), max_length=40, help_text=gettext_lazy("如 2023-H2、2023-07~12、2023")
    )
    number = forms.IntegerField(label=gettext_lazy("序号"), min_value=1, max_value=99)
    area = forms.CharField(label=gettext_lazy("工作领域"), max_length=40)
    lever = forms.CharField(label=gettext_lazy("抓手（以……为……）"), max_length=80)
    outcome = forms.CharField(label=gettext_lazy("目标表述（在……上……）"), max_length=80)
    # 王主任, 陈副主任: the names people know, never the login name.
    leader = PersonChoiceField(queryset=User.objects.none(), label=gettext_lazy("分管领导"), required=False)
    lead_department = forms.ModelChoiceField(queryset=Department.objects.none(), label=gettext_lazy("牵头部门"))
    co_departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(), label=gettext_lazy("配合部门"), required=False
    )
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=DATE_INPUT)
    tracks_project_stages = forms.BooleanField(label=gettext_lazy("督查招商项目阶段时限"), required=False)

    def __init__(self, *args: Any, zone: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(zone=zone)
        self.fields["leader"].queryset = _leaders()  # type: ignore[attr-defined]
        self.fields["lead_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].queryset = departments  # type: ignore[attr-defined]

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MeasureForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("具体举措"), max_length=200)
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=gettext_lazy("责任部门"))
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), required=False, widget=DATE_INPUT)
    deadline = forms.DateField(label=gettext_lazy("完成时限"), widget=DATE_INPUT)
    target_text = forms.CharField(label=gettext_lazy("目标"), max_length=200, required=False)
    target_value = forms.DecimalField(
        label=gettext_lazy("目标数"), required=False, max_digits=14, decimal_places=2, min_value=Decimal(0)
    )
    target_unit = forms.CharField(label=gettext_lazy("目标单位"), max_length=20, required=False)
    report_cycle = forms.ChoiceField(label=gettext_lazy("填报周期"), choices=Measure.Cycle.choices)
    link = forms.ChoiceField(label=gettext_lazy("关联数据"), required=False)
    link_indicator = forms.ChoiceField(label=gettext_lazy("指标"), required=False)
    link_chain = forms.ChoiceField(label=gettext_lazy("产业链"), required=False)
    link_year = forms.IntegerField(label=gettext_lazy("目标年份"), required=False, min_value=1900, max_value=2999)
    link_task = forms.ChoiceField(label=gettext_lazy("产业链专项行动任务"), required=False)
    link_category = forms.ChoiceField(label=gettext_lazy("项目类别"), required=False)
    link_min_investment_yi = forms.DecimalField(
        label=gettext_lazy("计划总投资下限（亿元）"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
    )
    link_code = forms.CharField(label=gettext_lazy("政务服务中心指标代码"), required=False, max_length=60)
    milestones = forms.CharField(
        label=gettext_lazy("节点"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2023-08-31 完成项目选址"}),
        help_text=gettext_lazy("每行一个：日期（YYYY-MM-DD）空格 节点名称"),
    )

    def __init__(self, *args: Any, zone: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(zone=zone)  # type: ignore[attr-defined]
        kinds = available_kinds()
        self.fields["link"].choices = [("", _("不关联（由责任部门填报进度）"))] + [  # type: ignore[attr-defined]
            (kind.code, str(kind.label)) for kind in kinds
        ]
        with_targets = Target.objects.filter(place=zone, kind=Target.Kind.ANNUAL, subject="").values("indicator_id")
        self.fields["link_indicator"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (indicator.code, indicator.name) for indicator in Indicator.objects.filter(pk__in=with_targets)
        ]
        self.fields["link_chain"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (chain.code, chain.name) for chain in Chain.objects.filter(zone=zone)
        ]
        self.fields["link_task"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(task.pk), f"{task.programme.chain.name}·{task.programme.get_kind_display()}：{task.title}")
            for task in ProgrammeTask.objects.filter(programme__chain__zone=zone).select_related("programme__chain")
        ]
        self.fields["link_category"].choices = [("", _("各类")), *Category.choices]  # type: ignore[attr-defined]

    def clean_milestones(self) -> list[MilestoneInput]:
        result: list[MilestoneInput] = []
        for number, line in enumerate(self.cleaned_data.get("milestones", "").splitlines(), start=1):
            if not line.strip():
                continue
            match = MILESTONE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("第%(line)s行应为“日期 节点名称”，如 2023-08-31 完成项目选址") % {"line": number}
                )
            try:
                day = date.fromisoformat("-".join(f"{int(part):02d}" for part in match.group(1).split("-")))
            except ValueError as exc:
                raise forms.ValidationError(
                    _("第%(line)s行的日期“%(date)s”无效") % {"line": number, "date": match.group(1)}
                ) from exc
            result.append(MilestoneInput(match.group(2)[:120], day))
        return result

    def link_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data.get("link", "")
        year = data.get("link_year")
        if kind == "indicator":
            return {"indicator": data.get("link_indicator", ""), "year": year}
        if kind == "chain_output":
            return {"chain": data.get("link_chain", ""), "year": year}
        if kind == "chain_task":
            return {"task": data.get("link_task", "")}
        if kind == "projects":
            minimum = data.get("link_min_investment_yi")
            return {
                "category": data.get("link_category", ""),
                "min_investment_yi": str(minimum) if minimum is not None else "",
            }
        if kind == "service":
            return {"code": data.get("link_code", "")}
        return {}


class SeveralAttachmentsField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SeveralFilesInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(item, initial) for item in items]


class ReportForm(forms.Form):
    reported_on = forms.DateField(label=gettext_lazy("进展截至日期"), widget=DATE_INPUT)
    text = forms.CharField(label=gettext_lazy("进展情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    progress_pct = forms.DecimalField(
        label=gettext_lazy("完成进度（%）"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    milestones = forms.TypedMultipleChoiceField(
        label=gettext_lazy("本次完成的节点"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    requests_completion = forms.BooleanField(
        label=gettext_lazy("申请办结（须上传佐证材料，经督查室审核）"), required=False
    )
    attachments = SeveralAttachmentsField(
        label=gettext_lazy("佐证材料"), help_text=gettext_lazy("可选多个文件：PDF、Word、Excel、图片等")
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["milestones"].choices = [  # type: ignore[attr-defined]
            (milestone.pk, f"{milestone.due_on:%Y-%m-%d} {milestone.title}")
            for milestone in Milestone.objects.filter(measure=measure, done_on__isnull=True)
        ]
        if measure.link_kind:
            del self.fields["progress_pct"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[(ACCEPT, gettext_lazy("审核通过")), (RETURN, gettext_lazy("退回"))])
    note = forms.CharField(label=gettext_lazy("审核意见"), max_length=300, required=False)
