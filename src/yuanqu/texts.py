"""The one check of text that people type or upload, before it is stored.

Every import (enterprise figures, the project ledger, the service catalogue) and the forms that
share their checks refuse, naming the row and column, a text longer than its field or with a
control character (a NUL byte cannot even be stored by PostgreSQL), instead of cutting it.
"""

import re

from django.db import models
from django.utils.translation import gettext as _

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed and return allowed


def text_problem(value: str, limit: int | None = None, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored as it is, in Chinese, or None.

    ``limit`` is the most characters the field holds (None: no limit); a ``multiline`` text
    (several lines, one person a line) may hold tabs and line breaks.
    """
    if limit is not None and len(value) > limit:
        return _("过长（%(length)d个字符，最多%(limit)d个）") % {"length": len(value), "limit": limit}
    if multiline and _CONTROL_BUT_LINES.search(value):
        return _("含有控制字符（如空字符），请删除后重试")
    if not multiline and _CONTROL.search(value):
        return _("含有控制字符（如换行、制表符或空字符），请删除后重试")
    return None


def max_length(model: type[models.Model], name: str) -> int | None:
    """The most characters a model's text field holds (None: a text of any length)."""
    limit: int | None = getattr(model._meta.get_field(name), "max_length", None)
    return limit
