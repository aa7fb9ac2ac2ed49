from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.audit_actions import ACTION_GROUPS, ACTION_LABELS


def audit_action_choices() -> list[tuple[str, Any]]:
    """全部, then each group: the whole group first, then its actions."""
    choices: list[tuple[str, Any]] = [("", _("全部"))]
    for prefix, group in ACTION_GROUPS.items():
        members = [(code, label) for code, label in ACTION_LABELS.items() if code.startswith(prefix)]
        choices.append((str(group), [(prefix, _("全部%(group)s") % {"group": group}), *members]))
    return choices


class AuditLogFilter(forms.Form):
    # Rendered by hand in the template, with |isodate values for <input type=date>.
    start = forms.DateField(label=_("起始日期"), required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("截止日期"), required=False, input_formats=["%Y-%m-%d"])
    user = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("操作类型"), required=False, choices=audit_action_choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return cleaned
