"""The pages: role checks on every one, a case's whole way through the web, masking, htmx fragments."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.service.factory import PERSON_CODE, Centre, a_clerk, a_manager, a_person, a_reviewer, an_enterprise
from tests.spreadsheets import assert_office_sheet, opened
from yuanqu.core.models import AuditEntry
from yuanqu.service.models import Case, Evaluation, Stage
from yuanqu.service.services import case_decide, case_issue, case_register

PAGES = [
    # url, roles allowed
    ("/service/", {"clerk", "reviewer", "manager", "leader"}),
    ("/service/window/", {"clerk"}),
    ("/service/window/materials/?item=1", {"clerk"}),
    ("/service/search/?q=FW", {"clerk", "reviewer", "manager"}),
    ("/service/cases/", {"manager"}),
    ("/service/review/", {"reviewer"}),
    ("/service/dashboard/?period=2023-10", {"manager", "leader"}),
    ("/service/exports/scorecard.xlsx?period=2023-10", {"manager", "leader"}),
    ("/service/exports/cases.xlsx?period=2023-10", {"clerk", "reviewer", "manager"}),
    ("/service/catalogue/", {"clerk", "reviewer", "manager", "leader"}),
    ("/service/catalogue/export.xlsx", {"clerk", "reviewer", "manager", "leader"}),
    ("/service/catalogue/new/", {"manager"}),
    ("/service/catalogue/import/", {"manager"}),
    ("/service/windows/", {"manager"}),
    ("/service/calendar/", {"manager"}),
]


@pytest.fixture
def people(centre: Centre) -> dict[str, User]:
    return {
        "clerk": a_clerk(centre),
        "reviewer": a_reviewer(centre.market),
        "manager": a_manager(),
        "leader": factories.a_leader(),
        "statistician": factories.a_statistician(),
    }


def a_case(centre: Centre, people: dict[str, User], *, person: bool = False) -> Case:
    return case_register(
        window=centre.any_window,
        item=centre.company if person else centre.food,
        applicant=a_person() if person else an_enterprise(),
        materials_received=["申请表", "营业执照"],
        outcome="accept",
        actor=people["clerk"],
        on=date(2023, 10, 9),
    )


@pytest.mark.parametrize(("url", "allowed"), PAGES)
def test_every_page_checks_the_role(centre: Centre, people: dict[str, User], url: str, allowed: set[str]) -> None:
    assert Client().get(url).status_code == 302  # anonymous: to the login page
    for name, user in people.items():
        status = factories.signed_in(user).get(url).status_code
        if name in allowed:
            assert status in (200, 302), (name, url, status)
        else:
            assert status == 403, (name, url, status)


STAFF = {"clerk", "reviewer", "manager"}
ACTIONS = [
    # url (``{case}``, ``{item}``, ``{window}`` filled in), form data, roles allowed past the role check
    ("/service/window/register/", {"window": "{window}", "item": "{item}", "outcome": "accept"}, {"clerk"}),
    ("/service/cases/{case}/accept/", {"materials": ["申请表"]}, STAFF),
    ("/service/cases/{case}/refuse/", {"reason": "不属于受理范围"}, STAFF),
    ("/service/cases/{case}/pause/", {"missing": "场所平面图"}, STAFF),
    ("/service/cases/{case}/resume/", {}, STAFF),
    ("/service/cases/{case}/decide/", {"decision": "approve"}, STAFF),
    ("/service/cases/{case}/issue/", {}, STAFF),
    ("/service/cases/{case}/rate/", {"rating": "5"}, STAFF),
    ("/service/cases/{case}/follow-up/", {"note": "已回访"}, {"manager"}),
    ("/service/catalogue/{item}/", {"name": "食品经营许可"}, {"manager"}),
    ("/service/catalogue/new/", {"code": "T-900", "name": "新事项"}, {"manager"}),
    ("/service/catalogue/import/", {}, {"manager"}),
    ("/service/catalogue/import/confirm/", {"token": "x"}, {"manager"}),
    ("/service/windows/", {"what": "add", "number": "Z01", "kind": "comprehensive"}, {"manager"}),
    ("/service/windows/", {"what": "staff", "window": "{window}"}, {"manager"}),
    (
        "/service/calendar/",
        {"what": "override", "day": "2023-10-09", "is_working_day": "0", "note": "调休"},
        {"manager"},
    ),
    ("/service/calendar/", {"what": "year", "year": "2030", "note": "国办发明电"}, {"manager"}),
]


@pytest.mark.parametrize(("url", "data", "allowed"), ACTIONS)
def test_every_action_checks_the_role(
    centre: Centre, people: dict[str, User], url: str, data: dict[str, object], allowed: set[str]
) -> None:
    case = a_case(centre, people)
    ids = {"case": case.pk, "item": centre.food.pk, "window": centre.any_window.pk}
    address = url.format(**ids)
    form = {key: value.format(**ids) if isinstance(value, str) else value for key, value in data.items()}
    assert Client().post(address, form).status_code == 302  # anonymous: to the login page
    for name, user in people.items():
        before = AuditEntry.objects.filter(actor=user).exclude(action__startswith="auth.").count()
        status = factories.signed_in(user).post(address, form).status_code
        if name in allowed:
            assert status != 403, (name, address, status)
        else:
            assert status == 403, (name, address, status)
            assert AuditEntry.objects.filter(actor=user).exclude(action__startswith="auth.").count() == before


def test_a_clerk_cannot_see_another_zones_cases(centre: Centre, people: dict[str, User]) -> None:
    police_clerk = a_clerk(centre, centre.police_window, username="persona-police-window")
    other = case_register(
        window=centre.police_window,
        item=centre.seal,
        applicant=an_enterprise("扬州邗江贸易有限公司"),
        materials_received=["营业执照"],
        outcome="accept",
        actor=police_clerk,
        on=date(2023, 10, 9),
    )
    clerk = factories.signed_in(people["clerk"])
    assert clerk.get(f"/service/cases/{other.pk}/").status_code == 403
    assert "扬州邗江贸易" not in clerk.get("/service/search/?q=扬州邗江").content.decode()
    assert factories.signed_in(police_clerk).get(f"/service/cases/{other.pk}/").status_code == 200


def test_leadership_sees_aggregates_and_no_personal_data(centre: Centre, people: dict[str, User]) -> None:
    case = a_case(centre, people, person=True)
    leader = factories.signed_in(people["leader"])
    assert leader.get(f"/service/cases/{case.pk}/").status_code == 403
    html = leader.get("/service/dashboard/?period=2023-10").content.decode()
    assert "受理办件1件" in html
    assert "李四" not in html and PERSON_CODE not in html and "13912345678" not in html
    assert leader.get("/service/exports/cases.xlsx?period=2023-10").status_code == 403


def test_personal_data_is_masked_for_roles_not_handling_the_case(centre: Centre, people: dict[str, User]) -> None:
    case = a_case(centre, people, person=True)
    clerk_page = factories.signed_in(people["clerk"]).get(f"/service/cases/{case.pk}/").content.decode()
    assert "李四" in clerk_page and PERSON_CODE in clerk_page and "13912345678" in clerk_page
    manager_page = factories.signed_in(people["manager"]).get(f"/service/cases/{case.pk}/").content.decode()
    assert "李四" not in manager_page and "李*" in manager_page
    # The ID number keeps its first 3 and last 4 characters.
    assert PERSON_CODE[:3] + "*" * 11 + PERSON_CODE[-4:] in manager_page and PERSON_CODE not in manager_page
    assert "139****5678" in manager_page


def test_the_exports_mask_for_the_manager_and_not_for_the_clerk(centre: Centre, people: dict[str, User]) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    a_case(centre, people, person=True)

    def names(client: Client) -> list[str]:
        response = client.get("/service/exports/cases.xlsx?period=2023-10")
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        return [row[7] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] and row[0] != "合计"]

    assert names(factories.signed_in(people["clerk"])) == ["李四"]
    assert names(factories.signed_in(people["manager"])) == ["李*"]
    assert AuditEntry.objects.filter(action="export.service_cases", summary__contains="脱敏 1 件").count() == 1


def test_register_decide_issue_and_rate_in_the_web(centre: Centre, people: dict[str, User]) -> None:
    clerk = factories.signed_in(people["clerk"])
    response = clerk.post(
        "/service/window/register/",
        {
            "window": centre.any_window.pk,
            "item": centre.food.pk,
            "applicant_kind": "enterprise",
            "applicant_name": "扬州运河新能源科技有限公司",
            "applicant_code": an_enterprise().code,
            "contact_phone": "13812345678",
            "materials": ["申请表", "营业执照"],
            "outcome": "accept",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/cases/{case.pk}/"
    assert case.stage == Stage.REVIEWING and case.registered_by == people["clerk"]
    reviewer = factories.signed_in(people["reviewer"])
    assert case.number in reviewer.get("/service/review/").content.decode()
    assert reviewer.post(f"/service/cases/{case.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert clerk.post(f"/service/cases/{case.pk}/issue/").status_code == 302
    assert clerk.post(f"/service/cases/{case.pk}/rate/", {"rating": "5"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ISSUED and case.evaluation.rating == "5"
    # The clerk cannot decide; a refused step shows the page again with the reason.
    assert clerk.post(f"/service/cases/{case.pk}/issue/").status_code == 400


def test_a_bad_registration_names_the_field_and_writes_nothing(centre: Centre, people: dict[str, User]) -> None:
    clerk = factories.signed_in(people["clerk"])
    response = clerk.post(
        "/service/window/register/",
        {
            "window": centre.any_window.pk,
            "item": centre.food.pk,
            "applicant_kind": "enterprise",
            "applicant_name": "某公司",
            "applicant_code": "123",
            "contact_phone": "13812345678",
            "materials": ["申请表", "营业执照"],
            "outcome": "accept",
        },
    )
    assert response.status_code == 400
    assert "统一社会信用代码：应为18位，实为3位" in response.content.decode()
    assert not Case.objects.exists()
    response = clerk.post("/service/window/register/", {"window": "x", "item": "", "outcome": "accept"})
    assert response.status_code == 400 and not Case.objects.exists()


def test_the_item_checklist_comes_as_an_htmx_fragment(centre: Centre, people: dict[str, User]) -> None:
    response = factories.signed_in(people["clerk"]).get(
        f"/service/window/materials/?item={centre.food.pk}", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'value="营业执照"' in html and "承诺3个工作日办结" in html


def test_the_dashboard_panel_swaps_with_htmx(centre: Centre, people: dict[str, User]) -> None:
    a_case(centre, people)
    response = factories.signed_in(people["manager"]).get("/service/dashboard/?period=2023-10", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<div id="dashboard-panel">' in html and "<html" not in html and 'id="service-data"' in html
    bad = factories.signed_in(people["manager"]).get("/service/dashboard/?period=2023-13")
    assert bad.status_code == 400 and "无效" in bad.content.decode()


def test_the_zone_by_day_chart_has_its_table_of_days_by_zones_with_totals(
    centre: Centre, people: dict[str, User]
) -> None:
    a_case(centre, people)
    a_case(centre, people)  # two at the 企业开办专区 on 9 October
    police_clerk = a_clerk(centre, centre.police_window, username="persona-police-window")
    case_register(
        window=centre.police_window,
        item=centre.seal,
        applicant=an_enterprise(),
        materials_received=["营业执照"],
        outcome="accept",
        actor=police_clerk,
        on=date(2023, 10, 11),
    )
    html = factories.signed_in(people["manager"]).get("/service/dashboard/?period=2023-10").content.decode()
    table = html[html.index('id="table-zone-day"') : html.index("</table>", html.index('id="table-zone-day"'))]

    def cells(row: str) -> list[str]:
        return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]

    rows = [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]
    assert rows[0] == ["日期", "企业开办专区", "公安专区", "合计"]
    body = {row[0]: row[1:] for row in rows[1:-1]}
    assert len(body) == 31  # every day of October
    assert body["2023-10-09"] == ["2", "0", "2"] and body["2023-10-11"] == ["0", "1", "1"]
    assert body["2023-10-10"] == ["0", "0", "0"]
    assert rows[-1] == ["合计", "2", "1", "3"]


def test_forms_need_the_csrf_token(centre: Centre, people: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["clerk"])
    page = client.get("/service/window/").content.decode()
    assert "csrfmiddlewaretoken" in page
    assert client.post("/service/window/register/", {"window": centre.any_window.pk}).status_code == 403


def test_the_applicant_rates_once_with_the_printed_code(centre: Centre, people: dict[str, User]) -> None:
    case = a_case(centre, people)
    case_decide(case=case, decision="approve", actor=people["reviewer"], on=date(2023, 10, 10))
    issued = case_issue(case=case, actor=people["clerk"], on=date(2023, 10, 10))
    assert issued.rating_code
    anonymous = Client()
    page = anonymous.get(f"/service/rate/{issued.rating_code}/")
    assert page.status_code == 200 and "13812345678" not in page.content.decode()
    assert (
        anonymous.post(f"/service/rate/{issued.rating_code}/", {"rating": "1"}).status_code == 400
    )  # 差评 needs a comment
    assert anonymous.post(f"/service/rate/{issued.rating_code}/", {"rating": "4"}).status_code == 200
    assert Evaluation.objects.get(case=case).channel == Evaluation.Channel.CODE
    anonymous.post(f"/service/rate/{issued.rating_code}/", {"rating": "1", "comment": "再评"})
    assert Evaluation.objects.get(case=case).rating == "4"
    assert anonymous.get("/service/rate/NOSUCHCODE/").status_code == 404


def test_the_manager_edits_an_item_with_an_audit_row(centre: Centre, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"])
    form = manager.get(f"/service/catalogue/{centre.food.pk}/")
    assert form.status_code == 200
    data = {
        "name": "食品经营许可",
        "category": "licensing",
        "department": centre.market.pk,
        "legal_limit_days": "20",
        "promised_limit_days": "25",
        "kind": "promised",
        "fee_yuan": "0",
        "materials": "申请表\n营业执照",
        "presence": "window",
        "service_zone": centre.enterprise_zone.pk,
        "is_active": "on",
    }
    refused = manager.post(f"/service/catalogue/{centre.food.pk}/", data)
    assert refused.status_code == 400 and "不能超过法定办结时限" in refused.content.decode()
    data["promised_limit_days"] = "2"
    assert manager.post(f"/service/catalogue/{centre.food.pk}/", data).status_code == 302
    centre.food.refresh_from_db()
    assert centre.food.promised_limit_days == 2
    assert AuditEntry.objects.filter(action="service.item_update", actor=people["manager"]).count() == 1


def test_the_calendar_page_checks_a_date_and_keeps_overrides(centre: Centre, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"])
    page = manager.get("/service/calendar/?start=2023-09-27&days=5").content.decode()
    assert "2023-09-27起5个工作日：2023-10-10" in page
    response = manager.post(
        "/service/calendar/", {"what": "override", "day": "2023-10-09", "is_working_day": "0", "note": "园区调休"}
    )
    assert response.status_code == 302
    page = manager.get("/service/calendar/?start=2023-09-27&days=5").content.decode()
    assert "2023-09-27起5个工作日：2023-10-11" in page
    assert AuditEntry.objects.filter(action="service.calendar_override").count() == 1


def test_the_case_list_shows_every_case_a_page_at_a_time_filtered_by_date_and_department(
    centre: Centre, people: dict[str, User]
) -> None:
    cases = [a_case(centre, people) for _ in range(55)]
    start = timezone.make_aware(datetime(2023, 10, 1, 9))
    for hours, case in enumerate(cases):  # one an hour from 2023-10-01 09:00; the last on 10-03 15:00
        Case.objects.filter(pk=case.pk).update(registered_at=start + timedelta(hours=hours))
    police_clerk = a_clerk(centre, centre.police_window, username="persona-police-window")
    seal = case_register(
        window=centre.police_window,
        item=centre.seal,
        applicant=an_enterprise("扬州邗江贸易有限公司"),
        materials_received=["营业执照"],
        outcome="accept",
        actor=police_clerk,
        on=date(2023, 10, 9),
    )
    Case.objects.filter(pk=seal.pk).update(registered_at=start - timedelta(days=1))
    newest_first = [case.pk for case in reversed(cases)] + [seal.pk]
    manager = factories.signed_in(people["manager"])

    first = manager.get("/service/cases/")
    assert [row.case.pk for row in first.context["rows"]] == newest_first[:50]
    assert "第1/2页（共56件，第1—50件）" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = manager.get("/service/cases/?page=2")
    assert [row.case.pk for row in second.context["rows"]] == newest_first[50:]

    one_day = manager.get("/service/cases/?registered_from=2023-10-02&registered_to=2023-10-02")
    assert [row.case.pk for row in one_day.context["rows"]] == [case.pk for case in reversed(cases[15:39])]
    police = manager.get(f"/service/cases/?department={centre.police.pk}")
    assert [row.case.pk for row in police.context["rows"]] == [seal.pk]
    market = manager.get(f"/service/cases/?department={centre.market.pk}")
    assert f'href="?department={centre.market.pk}&amp;page=2"' in market.content.decode()  # the filter kept

    for typed in (
        "?registered_from=2023-13-45",
        "?department=abc",
        "?registered_from=2023-10-03&registered_to=2023-10-01",
        "?registered_to=9999-12-31",  # a valid date whose next day does not exist
        "?registered_from=0001-01-01",
    ):
        response = manager.get("/service/cases/" + typed)
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
        assert len(response.context["rows"]) == 50  # the filter is not applied, nothing is hidden


def test_the_search_pages_its_results(centre: Centre, people: dict[str, User]) -> None:
    for _ in range(52):
        a_case(centre, people)
    clerk = factories.signed_in(people["clerk"])
    first = clerk.get("/service/search/?q=扬州运河", headers={"HX-Request": "true"})
    html = first.content.decode()
    assert len(first.context["rows"]) == 50 and "共52件" in html
    assert 'href="/service/search/?q=' in html and "page=2" in html  # out of the workbench, to the page
    second = clerk.get("/service/search/?q=扬州运河&page=2")
    assert len(second.context["rows"]) == 2


def test_the_case_and_catalogue_exports_are_office_sheets(centre: Centre, people: dict[str, User]) -> None:
    a_case(centre, people)
    manager = factories.signed_in(people["manager"])
    # The scorecard's 数值 column holds rates, counts and days, each with its own format (checked
    # cell by cell in test_selectors); here the sheet's layout.
    scorecard = opened(manager.get("/service/exports/scorecard.xlsx?period=2023-10").content).active
    assert scorecard is not None
    assert_office_sheet(scorecard, title_contains="政务服务中心成绩单", formats={}, frozen="B4")
    cases = opened(manager.get("/service/exports/cases.xlsx?period=2023-10").content).active
    assert cases is not None
    assert_office_sheet(
        cases,
        title_contains="政务服务办件明细（2023年10月）",
        formats={"受理日期": "yyyy-mm-dd", "承诺办结期限": "yyyy-mm-dd", "补正次数": "#,##0"},
        frozen="B4",
    )
    catalogue = opened(manager.get("/service/catalogue/export.xlsx").content).active
    assert catalogue is not None
    assert_office_sheet(
        catalogue,
        title_contains="政务服务事项清单",
        formats={"法定办结时限（工作日）": "#,##0", "承诺办结时限（工作日）": "#,##0", "收费标准（元）": "#,##0.00##"},
        frozen="C4",
    )
