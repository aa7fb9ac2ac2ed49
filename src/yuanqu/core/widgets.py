"""Form widgets every app uses, so an input behaves the same on every page."""

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """``<input type=date>`` with its value in ISO 8601, the only form a browser accepts.

    Django would otherwise write the value in the locale's first input format (2026/12/01 in
    zh-hans), which the browser rejects and shows as an empty field.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)
