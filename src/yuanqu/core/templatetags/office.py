"""Numbers and dates in templates, written the way the office writes them.

Every page uses these filters (they are template builtins, no ``{% load %}`` needed), so a
figure is rounded and written the same way on every page, chart table and export: they call
``yuanqu.figures``, which the exports and the paragraphs call too.

    {{ value|rate }}        8.3 (one decimal, trailing zero kept; — when missing)
    {{ value|pct }}         8.3%
    {{ value|growth }}      增长8.3% / 下降2.0%
    {{ value|points }}      5.2个百分点
    {{ value|num:1 }}       12,345.6 (thousands separators, N decimals)
    {{ value|amount:"亿元" }} 142.3亿元
    {{ value|upto:2 }}      3.5, 120, 290.62 (at most N decimals, trailing zeros dropped)
    {{ value|isodate }}     2026-12-01 (what <input type=date> needs)
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from yuanqu import figures

register = template.Library()
MISSING = "—"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def rate(value: Any, places: int = 1) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.rate(number, int(places))


@register.filter
def pct(value: Any, places: int = 1) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.percent(number, int(places))


@register.filter
def growth(value: Any) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.growth(number)


@register.filter
def points(value: Any) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.points(number)


@register.filter
def num(value: Any, places: int = 0) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.grouped(number, int(places))


@register.filter
def upto(value: Any, places: int = 2) -> str:
    number = _decimal(value)
    return MISSING if number is None else figures.at_most(number, int(places))


@register.filter
def amount(value: Any, unit: str = "亿元") -> str:
    """Amounts to one decimal in 亿元, two in 万元 only where the report does (pass '万元:2')."""
    unit_text, _, places_text = str(unit).partition(":")
    number = _decimal(value)
    if number is None:
        return MISSING
    return figures.amount_in(number, unit_text, int(places_text or 1))


@register.filter
def isodate(value: Any) -> str:
    """ISO 8601 date for form inputs, whatever the locale's display format."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat() if timezone.is_aware(value) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)
