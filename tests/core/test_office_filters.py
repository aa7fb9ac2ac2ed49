from datetime import date
from decimal import Decimal

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_rates_and_amounts_are_written_the_office_way_on_every_page() -> None:
    assert render("{{ v|pct }}", v=Decimal("12.60")) == "12.6%"
    assert render("{{ v|pct }}", v=Decimal("8")) == "8.0%"
    assert render("{{ v|amount }}", v=Decimal("142.3000")) == "142.3亿元"
    assert render('{{ v|amount:"万元:2" }}', v=Decimal("5913752.7380")) == "5913752.74万元"
    assert render("{{ v|num:1 }}", v=Decimal("5913752.7380")) == "5,913,752.7"
    assert render("{{ v|growth }}", v=Decimal("-2.04")) == "下降2.0%"
    assert render("{{ v|pct }}", v=None) == "—"


def test_date_inputs_get_iso_values() -> None:
    assert render("{{ d|isodate }}", d=date(2026, 12, 1)) == "2026-12-01"
    assert render("{{ d|isodate }}", d=None) == ""
