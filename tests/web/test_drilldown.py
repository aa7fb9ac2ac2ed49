from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client

from tests.spreadsheets import assert_office_sheet, column, opened
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
    book = opened(response.content)
    sheet = book["分企业"]
    # Title, subtitle and header, then one row per enterprise and the 合计 row.
    assert sheet.max_row == 3 + 307 + 1
    assert sheet.cell(row=311, column=3).value == "307家（新入库27家）"
    bases = [sheet.cell(row=row, column=column(sheet, "上年同期来源")).value for row in range(4, 311)]
    assert (bases.count("企业填报上年同期"), bases.count("新投产（上年无生产）"), bases.count("缺上年数据")) == (
        15,
        2,
        0,
    )
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="export.enterprise_figures").get()
    assert entry.actor_name == "persona-statistician"
    assert entry.detail["rows"] == 307


def test_the_export_is_an_office_workbook_with_the_industries_and_the_new_entrants(statistician: Client) -> None:
    response = statistician.get(URL + "&format=xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert quote("扬州经开区_工业开票销售分企业_2023年上半年.xlsx") in response["Content-Disposition"]
    book = opened(response.content)
    assert book.sheetnames == ["分企业", "分行业"]
    enterprises = book["分企业"]
    assert_office_sheet(
        enterprises,
        title_contains="工业开票销售分企业情况",
        formats={"本期累计（万元）": "#,##0.0", "增长（%）": "0.0", "拉动（个百分点）": "0.00"},
        frozen="C4",
    )
    new_column = column(enterprises, "新入库")
    marks = [enterprises.cell(row=row, column=new_column).value for row in range(4, 4 + 307)]
    page = statistician.get(URL).context
    assert marks.count("新入库") == page["totals"].new_enterprises > 0
    last = enterprises.max_row
    assert enterprises.cell(row=last, column=1).value == "合计"
    # 564.4亿元 = 5,644,000万元, the published figure the demo reproduces, at 7.4% same-scope growth.
    assert round(enterprises.cell(row=last, column=4).value, 1) == 5_644_000.0
    assert enterprises.cell(row=last, column=column(enterprises, "增长（%）")).value == 7.4
    industries = book["分行业"]
    assert_office_sheet(
        industries,
        title_contains="分行业拉动",
        formats={"本期累计（亿元）": "#,##0.00", "增长（%）": "0.0"},
        frozen="C4",
    )
    assert industries.cell(row=4, column=2).value == "电气机械和器材制造业"
    assert round(industries.cell(row=industries.max_row, column=3).value, 1) == 564.4


def test_the_export_follows_the_filter(statistician: Client) -> None:
    response = statistician.get(URL + "&new=1&format=xlsx")
    sheet = opened(response.content)["分企业"]
    new_column = column(sheet, "新入库")
    marks = {sheet.cell(row=row, column=new_column).value for row in range(4, sheet.max_row)}
    assert marks == {"新入库"}
    assert "仅新入库企业" in sheet["A2"].value


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


def test_the_list_is_searched_by_name_or_code(statistician: Client) -> None:
    every = statistician.get(URL).context["enterprises"]
    one = every[10]
    by_name = statistician.get(URL, {"q": one.name[2:6]}).context["enterprises"]
    assert one in by_name and all(one.name[2:6] in row.name for row in by_name)
    by_code = statistician.get(URL, {"q": one.uscc.lower()}).context["enterprises"]
    assert by_code == [one]
    nothing = statistician.get(URL, {"q": "不存在的企业"})
    assert nothing.context["enterprises"] == [] and "没有符合条件的企业" in nothing.content.decode()


def test_the_list_is_filtered_by_industry_and_by_new_entrants(statistician: Client) -> None:
    every = statistician.get(URL).context["enterprises"]
    batteries = statistician.get(URL, {"industry": "C38"}).context["enterprises"]
    assert batteries and len(batteries) == sum(1 for row in every if row.industry == "C38")
    new = statistician.get(URL, {"new": "1"}).context["enterprises"]
    assert new and all(row.new_entrant for row in new)
    assert len(new) == sum(1 for row in every if row.new_entrant) == 27
    ignored = statistician.get(URL, {"industry": "X99"}).context
    assert len(ignored["enterprises"]) == 307 and ignored["chosen"].industry == ""


def test_the_total_row_adds_up_the_listed_enterprises(statistician: Client) -> None:
    context = statistician.get(URL).context
    totals, figure = context["totals"], context["figure"]
    assert totals.enterprises == 307
    assert totals.current_yuan == figure.computed.current_yuan == 56_440_000_000
    assert round(totals.growth_pct, 1) == Decimal("7.4")
    html = statistician.get(URL).content.decode()
    assert "合计（307家" in html and "5,644,000.0" in html
    # The 新入库 enterprises: 15 with a reported 上年同期, 10 with own rows below the threshold,
    # 2 新投产 against zero; every one has a base, so their set has a growth of its own.
    new = statistician.get(URL, {"new": "1"}).context["totals"]
    assert (new.enterprises, new.without_base) == (27, 0) and new.growth_pct is not None


def test_the_list_comes_in_pages_of_fifty(statistician: Client) -> None:
    first = statistician.get(URL).context["page"]
    assert len(first.object_list) == 50 and first.paginator.num_pages == 7  # 307 = 6 × 50 + 7
    last = statistician.get(URL, {"page": "7"}).context["page"]
    assert len(last.object_list) == 7
    html = statistician.get(URL, {"page": "2", "new": "1"}).content.decode()
    assert "&amp;new=1&amp;page=" in html or "new=1" in html
    assert statistician.get(URL, {"page": "abc"}).context["page"].number == 1
