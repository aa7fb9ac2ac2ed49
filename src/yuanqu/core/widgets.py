"""Form widgets every app uses, so an input behaves the same on every page."""

import re
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """``<input type=date>`` with its value in ISO 8601, the only form a browser accepts.

    Django would otherwise write the value in the locale's first input format (2026/12/01 in
    zh-hans), which the browser rejects and shows as an empty field.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class Picker(forms.TextInput):
    """A searchable picker: a text input with the choices as a ``<datalist>``.

    The browser offers the choices that contain what is typed (a few characters of a name or
    a code), instead of a drop-down of a hundred near-identical names.
    """

    input_type = "search"
    choices: Any = ()  # set by the field (ModelChoiceField gives its widget the choices)

    def format_value(self, value: Any) -> str | None:
        # An initial value is a key (the field prepares it so); show it as its label, as the list does.
        for key, label in self.choices:
            if key != "" and str(key) == str(value):
                return str(label)
        return super().format_value(value)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-choices"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        options = format_html_join(
            "", '<option value="{}"></option>', ((label,) for key, label in self.choices if key != "")
        )
        return format_html(
            '{}<datalist id="{}">{}</datalist>', super().render(name, value, attrs, renderer), list_id, options
        )


class PickerField(forms.ModelChoiceField):
    """Choose one object by typing: its label is “name（key）”; the name alone does if unique."""

    widget = Picker

    def __init__(self, queryset: Any, *, key: str, name: str = "name", **kwargs: Any) -> None:
        self.key_name, self.name_field = key, name
        super().__init__(queryset, to_field_name=key, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{getattr(obj, self.name_field)}（{getattr(obj, self.key_name)}）"

    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            return None
        match = KEY_IN_BRACKETS.search(text)
        key = match.group(1) if match else text
        try:
            return super().to_python(key)
        except forms.ValidationError:
            pass
        named = list(self.queryset.filter(**{self.name_field: text})[:2]) if self.queryset is not None else []
        if len(named) == 1:
            return named[0]
        raise forms.ValidationError(
            _("未找到“%(text)s”，请输入名称或代码的一部分，再从列表中选择"),
            code="invalid_choice",
            params={"text": text[:60]},
        )


KEY_IN_BRACKETS = re.compile(r"[（(]([^（）()]+)[）)]\s*$")
