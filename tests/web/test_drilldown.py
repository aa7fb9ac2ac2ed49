import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from yuanqu.core.models import AuditEntry

URL = "/indicators/industrial_invoiced_sales/enterprises/?zone=yz-etdz&period=2023-H1"


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    assert Client().get(URL).status_code == 302


@pytest.mark.parametrize("persona", ["leader", "investment_officer", "outsider"])
def test_enterprise_data_is_refused_to_everyone_but_statisticians(
    demo: None, persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "&format=xlsx").status_code == 403


def test_the_enterprises_add_up_to_the_same_scope_growth(statistician: Client) -> None:
    response = statistician.get(URL)
    rows = response.context["enterprises"]
    figure = response.context["figure"]
    assert response.status_code == 200
    assert len(rows) == figure.computed.enterprises == 307
    assert sum(row.current_yuan for row in rows) == figure.computed.current_yuan
    total_pp = sum(row.contribution_pp for row in rows)
    assert round(total_pp, 1) == round(figure.computed.growth_pct, 1)
    assert rows[0].contribution_pp >= rows[-1].contribution_pp


def test_the_industries_show_their_contribution(statistician: Client) -> None:
    industries = statistician.get(URL).context["industries"]
    assert industries[0]["name"] == "电气机械和器材制造业"
    assert industries[0]["contribution"].startswith("3.")


def test_the_enterprises_sort_by_name_when_asked(statistician: Client) -> None:
    rows = statistician.get(URL + "&sort=name").context["enterprises"]
    assert [row.name for row in rows] == sorted(row.name for row in rows)


def test_an_unknown_sort_falls_back_to_contribution(statistician: Client) -> None:
    assert statistician.get(URL + "&sort=evil").context["sort"] == "contribution"


def test_exporting_to_excel_writes_an_audit_row(statistician: Client) -> None:
    response = statistician.get(URL + "&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["分企业"]
    # Title, subtitle and header, then one row per enterprise and the 合计 row.
    assert sheet.max_row == 3 + 307 + 1
    assert sheet.cell(row=311, column=1).value == "合计（307家）"
    assert sheet.cell(row=311, column=4).value == 5_644_000  # 564.4亿元 in 万元
    assert book["分行业"]["A4"].value == "电气机械和器材制造业"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="export.enterprise_figures").get()
    assert entry.actor_name == "persona-statistician"
    assert entry.detail["rows"] == 307


def test_a_reported_indicator_has_no_enterprise_drilldown(statistician: Client) -> None:
    assert statistician.get("/indicators/gdp/enterprises/?period=2023-H1").status_code == 404


def test_february_alone_is_explained_not_computed(statistician: Client) -> None:
    response = statistician.get("/indicators/industrial_invoiced_sales/enterprises/?period=2023-02")
    assert response.status_code == 200
    assert "1—2月合并发布" in response.content.decode()


def test_a_single_month_gives_each_enterprise_its_month_against_the_same_month_a_year_earlier(
    statistician: Client,
) -> None:
    from yuanqu.indicators.models import EnterpriseMonth

    rows = statistician.get("/indicators/industrial_invoiced_sales/enterprises/?period=2023-06").context["enterprises"]
    june = dict(
        EnterpriseMonth.objects.filter(year=2023, month=6, above_scale=True).values_list(
            "enterprise__uscc", "industrial_invoiced_sales"
        )
    )
    june_before = dict(
        EnterpriseMonth.objects.filter(year=2022, month=6).values_list("enterprise__uscc", "industrial_invoiced_sales")
    )
    assert {row.uscc: row.current_yuan for row in rows} == june
    own = [row for row in rows if row.base_label == "上年实际"]
    assert own and all(row.base_yuan == june_before.get(row.uscc, 0) for row in own)
