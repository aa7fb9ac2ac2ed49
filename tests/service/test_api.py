"""The service API: the same role checks as the pages, a case through its steps, masking, the scorecard."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.service.factory import ENTERPRISE_CODE, Centre, a_clerk, a_manager, a_person, a_reviewer, an_enterprise
from yuanqu.accounts.services import token_create
from yuanqu.periods import Period
from yuanqu.service.models import Case, Stage
from yuanqu.service.selectors import centre_scorecard
from yuanqu.service.services import case_register
from yuanqu.service.writing import as_data

CALLS = [
    # method, url, roles allowed
    ("get", "/api/v1/service/items", {"clerk", "reviewer", "manager", "leader"}),
    ("get", "/api/v1/service/cases", {"clerk", "reviewer", "manager"}),
    ("get", "/api/v1/service/scorecard?period=2023-10", {"manager", "leader"}),
    ("get", "/api/v1/service/calendar/add?start=2023-09-27&days=5", {"clerk", "reviewer", "manager", "leader"}),
    ("post", "/api/v1/service/cases", {"clerk"}),
    ("get", "/api/v1/service/cases/{case}", {"clerk", "reviewer", "manager"}),
    ("post", "/api/v1/service/cases/{case}/accept", {"clerk"}),
    ("post", "/api/v1/service/cases/{case}/refuse", {"clerk"}),
    ("post", "/api/v1/service/cases/{case}/supplement-request", {"reviewer"}),
    ("post", "/api/v1/service/cases/{case}/supplement-received", {"clerk", "reviewer"}),
    ("post", "/api/v1/service/cases/{case}/decide", {"reviewer"}),
    ("post", "/api/v1/service/cases/{case}/issue", {"clerk"}),
    ("post", "/api/v1/service/cases/{case}/rating", {"clerk"}),
    ("post", "/api/v1/service/cases/{case}/follow-up", {"manager"}),
]
PAYLOADS = {
    "/api/v1/service/cases": {
        "window": "A01",
        "item": "T-002",
        "applicant_kind": "enterprise",
        "applicant_name": "扬州运河新能源科技有限公司",
        "applicant_code": ENTERPRISE_CODE,
        "contact_phone": "13812345678",
        "materials_received": ["申请表", "营业执照"],
    },
    "/api/v1/service/cases/{case}/accept": {"materials_received": ["申请表"]},
    "/api/v1/service/cases/{case}/refuse": {"reason": "不属于受理范围"},
    "/api/v1/service/cases/{case}/supplement-request": {"missing": ["场所平面图"]},
    "/api/v1/service/cases/{case}/decide": {"decision": "approve"},
    "/api/v1/service/cases/{case}/rating": {"rating": "5"},
    "/api/v1/service/cases/{case}/follow-up": {"note": "已回访"},
}


@pytest.fixture
def people(centre: Centre) -> dict[str, User]:
    return {
        "clerk": a_clerk(centre),
        "reviewer": a_reviewer(centre.market),
        "manager": a_manager(),
        "leader": factories.a_leader(),
        "statistician": factories.a_statistician(),
    }


@pytest.fixture
def case(centre: Centre, people: dict[str, User]) -> Case:
    return case_register(
        window=centre.any_window,
        item=centre.company,
        applicant=a_person(),
        materials_received=["申请表", "营业执照"],
        outcome="accept",
        actor=people["clerk"],
        on=date(2023, 10, 9),
    )


@pytest.mark.parametrize(("method", "url", "allowed"), CALLS)
def test_every_call_checks_the_role(
    people: dict[str, User], case: Case, method: str, url: str, allowed: set[str]
) -> None:
    address = url.format(case=case.pk)
    assert getattr(Client(), method)(address, content_type="application/json").status_code == 401
    for name, user in people.items():
        client = factories.signed_in(user)
        response = getattr(client, method)(address, data=PAYLOADS.get(url, {}), content_type="application/json")
        if name in allowed:
            assert response.status_code != 403, (name, address)
        else:
            assert response.status_code == 403, (name, address, response.status_code)
            assert response.json()["detail"] == "您的角色无权访问此接口"


def test_a_case_through_the_api_with_a_token(centre: Centre, people: dict[str, User]) -> None:
    _, clerk_token = token_create(user=people["clerk"])
    _, reviewer_token = token_create(user=people["reviewer"])
    clerk = Client(headers={"Authorization": f"Bearer {clerk_token}"})
    reviewer = Client(headers={"Authorization": f"Bearer {reviewer_token}"})
    created = clerk.post(
        "/api/v1/service/cases",
        {
            "window": "A01",
            "item": "T-001",
            "applicant_kind": "enterprise",
            "applicant_name": "扬州运河新能源科技有限公司",
            "applicant_code": ENTERPRISE_CODE,
            "contact_phone": "13812345678",
            "materials_received": ["申请表", "营业执照"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == Stage.REVIEWING and body["at_any_window"] and body["applicant"]["masked"] is False
    case_id = body["id"]
    refused = reviewer.post(
        f"/api/v1/service/cases/{case_id}/decide", {"decision": "maybe"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "准予或不予" in refused.json()["detail"]
    decided = reviewer.post(
        f"/api/v1/service/cases/{case_id}/decide", {"decision": "approve"}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["stage"] == Stage.DECIDED
    issued = clerk.post(f"/api/v1/service/cases/{case_id}/issue", content_type="application/json")
    assert issued.status_code == 200 and issued.json()["stage"] == Stage.ISSUED
    again = clerk.post(f"/api/v1/service/cases/{case_id}/issue", content_type="application/json")
    assert again.status_code == 400 and "不能重复出件" in again.json()["detail"]
    rated = clerk.post(f"/api/v1/service/cases/{case_id}/rating", {"rating": "5"}, content_type="application/json")
    assert rated.status_code == 200 and rated.json()["rating"] == "5"
    assert [step["action"] for step in rated.json()["steps"]] == ["register", "accept", "decide", "issue", "rate"]


def test_a_bad_registration_is_a_400_naming_the_field(centre: Centre, people: dict[str, User]) -> None:
    clerk = factories.signed_in(people["clerk"])
    payload = {
        "window": "A01",
        "item": "T-004",
        "applicant_kind": "enterprise",
        "applicant_name": "某公司",
        "applicant_code": ENTERPRISE_CODE,
        "contact_phone": "13812345678",
    }
    response = clerk.post("/api/v1/service/cases", payload, content_type="application/json")
    assert response.status_code == 400 and "经批准不进驻" in response.json()["detail"]
    payload["window"] = "Z99"
    response = clerk.post("/api/v1/service/cases", payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "受理窗口：没有窗口“Z99”"
    assert not Case.objects.exists()


def test_the_manager_gets_masked_personal_data_and_the_clerk_does_not(case: Case, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"]).get(f"/api/v1/service/cases/{case.pk}").json()
    assert manager["applicant"]["name"] == "李*" and manager["applicant"]["masked"] is True
    assert manager["applicant"]["contact_phone"] == "139****5678"
    clerk = factories.signed_in(people["clerk"]).get(f"/api/v1/service/cases/{case.pk}").json()
    assert clerk["applicant"]["name"] == "李四" and clerk["applicant"]["contact_phone"] == "13912345678"


def test_a_clerk_of_another_zone_gets_a_403(centre: Centre, case: Case) -> None:
    police_clerk = a_clerk(centre, centre.police_window, username="persona-police-window")
    client = factories.signed_in(police_clerk)
    assert client.get(f"/api/v1/service/cases/{case.pk}").status_code == 403
    assert client.get("/api/v1/service/cases").json() == []


def test_the_scorecard_and_the_calendar(case: Case, people: dict[str, User]) -> None:
    leader = factories.signed_in(people["leader"])
    data = leader.get("/api/v1/service/scorecard?period=2023-10").json()
    assert data["figures"]["accepted"]["value"] == "1"
    assert data["figures"]["entry_rate"]["text"] == "75.0%"
    assert data["sentence"].startswith("全区依申请六类行政权力事项和公共服务事项进驻率75.0%")
    assert "李四" not in str(data)
    assert leader.get("/api/v1/service/scorecard?period=2023-13").status_code == 400
    day = leader.get("/api/v1/service/calendar/add?start=2023-09-27&days=5").json()
    assert day == {"start": "2023-09-27", "days": 5, "day": "2023-10-10", "provisional": False, "unknown_years": []}
    assert an_enterprise().code == ENTERPRISE_CODE


def test_the_scorecard_has_its_schema_in_the_openapi_document(case: Case, people: dict[str, User]) -> None:
    leader = factories.signed_in(people["leader"])
    schema = leader.get("/api/v1/openapi.json").json()
    response = schema["paths"]["/api/v1/service/scorecard"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ScorecardOut"
    fields = schema["components"]["schemas"]["ScorecardOut"]["properties"]
    assert {"sentence", "figures", "item_times", "departments", "overdue_cases", "ratings"} <= set(fields)
    assert "FigureOut" in schema["components"]["schemas"]
    # The answer passes through the schema unchanged: the same keys as ``as_data``.
    data = leader.get("/api/v1/service/scorecard?period=2023-10").json()
    expected = as_data(centre_scorecard(zone=case.zone, period=Period.month(2023, 10)))
    assert data == expected
