"""The chains API: the same role checks as the pages, for every endpoint."""

import pytest
from django.test import Client

from yuanqu.chains.models import ChainEnterprise, ChainNode, EnterpriseRequest

pytestmark = pytest.mark.urls("tests.chains.urls")

API = "/api/v1"


def node_id(chain: str, name: str) -> int:
    return ChainNode.objects.get(chain__code=chain, name=name).pk


READS = [
    "/chains?zone=yz-etdz",
    "/chains/progress?zone=yz-etdz&period=2023-H1",
    "/chains/new-energy?period=2023-H1",
    "/chains/new-energy/targets",
    "/chains/new-energy/programmes?period=2023-H1",
    "/chains/new-energy/requests",
    "/chains/new-energy/projects?period=2023-H1",
]


@pytest.mark.parametrize("path", READS)
def test_unauthenticated_calls_are_refused(demo: None, path: str) -> None:
    assert Client().get(API + path).status_code == 401


@pytest.mark.parametrize("path", READS)
def test_a_user_without_a_role_is_refused(outsider: Client, path: str) -> None:
    assert outsider.get(API + path).status_code == 403


@pytest.mark.parametrize("path", READS)
def test_leadership_reads_the_aggregates(leader: Client, path: str) -> None:
    assert leader.get(API + path).status_code == 200


def test_progress_counts_shared_enterprises_once(leader: Client) -> None:
    data = leader.get(f"{API}/chains/progress?zone=yz-etdz&period=2023-H1").json()
    total = data["total"]
    assert total["sum_of_chains_yuan"] - total["double_counted_yuan"] == total["current_yuan"]
    assert "只计一次" in total["note"]
    assert data["chains"][0]["target"]["value_yi"] == 600


def test_node_figures_are_withheld_from_leadership_but_not_from_the_chains_leader(
    leader: Client, chain_leader: Client
) -> None:
    def electrolyte(client: Client) -> dict[str, object]:
        data = client.get(f"{API}/chains/new-energy?period=2023-H1").json()
        single = [node for node in data["nodes"] if node["name"] == "电解液/隔膜"]  # one enterprise
        return single[0]

    assert electrolyte(leader)["withheld"] is True and electrolyte(leader)["current_yi"] is None
    assert electrolyte(chain_leader)["withheld"] is False and electrolyte(chain_leader)["current_yi"] is not None


def test_the_enterprises_on_a_node_are_for_the_chains_leader_and_statisticians(
    chain_leader: Client, statistician: Client, leader: Client, other_chain_leader: Client
) -> None:
    own = f"{API}/chains/new-energy/nodes/{node_id('new-energy', '光伏电站')}/enterprises?period=2023-H1"
    other = f"{API}/chains/auto-parts/nodes/{node_id('auto-parts', '底盘系统')}/enterprises?period=2023-H1"
    rows = chain_leader.get(own).json()
    assert len(rows) == ChainEnterprise.objects.filter(node__name="光伏电站").count()
    assert all(row["current_yuan"] > 0 for row in rows)
    assert chain_leader.get(other).status_code == 403
    assert other_chain_leader.get(own).status_code == 403
    assert leader.get(own).status_code == 403
    assert statistician.get(other).status_code == 200


def test_bad_input_is_a_400_or_404_not_a_500(leader: Client) -> None:
    assert leader.get(f"{API}/chains/progress?zone=yz-etdz&period=garbage").status_code == 400
    assert leader.get(f"{API}/chains/progress?zone=nowhere&period=2023-H1").status_code == 404
    assert leader.get(f"{API}/chains/nowhere?period=2023-H1").status_code == 404


def test_a_request_goes_from_raised_to_closed_through_the_api(chain_leader: Client) -> None:
    master = ChainEnterprise.objects.filter(node__chain__code="new-energy", role="master").first()
    supplier = ChainEnterprise.objects.filter(node__chain__code="new-energy", role="supporting").first()
    assert master is not None and supplier is not None
    created = chain_leader.post(
        f"{API}/chains/new-energy/requests",
        {
            "enterprise": supplier.enterprise.uscc,
            "raised_by": master.enterprise.uscc,
            "category": "finance",
            "title": "流动资金贷款对接",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["on_behalf"] is True
    pk = created.json()["id"]
    assigned = chain_leader.post(
        f"{API}/chains/requests/{pk}/assign",
        {"department": "etdz-finance", "deadline": "2099-12-31"},
        content_type="application/json",
    )
    assert assigned.json()["status"] == "assigned" and assigned.json()["colour"] == "green"
    replied = chain_leader.post(
        f"{API}/chains/requests/{pk}/reply", {"text": "已对接银行"}, content_type="application/json"
    )
    assert replied.json()["replies"][0]["text"] == "已对接银行"
    closed = chain_leader.post(
        f"{API}/chains/requests/{pk}/close", {"satisfaction": "basically"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed" and closed.json()["colour"] == "closed"


def test_wrong_roles_cannot_change_requests(leader: Client, other_chain_leader: Client) -> None:
    item = EnterpriseRequest.objects.filter(chain__code="new-energy").exclude(status="closed").first()
    assert item is not None
    body = {"enterprise": item.enterprise.uscc, "category": "land", "title": "x"}
    for client in (leader, other_chain_leader):
        assert (
            client.post(f"{API}/chains/new-energy/requests", body, content_type="application/json").status_code == 403
        )
        assert (
            client.post(
                f"{API}/chains/requests/{item.pk}/close", {"satisfaction": "satisfied"}, content_type="application/json"
            ).status_code
            == 403
        )


def test_a_refused_change_is_a_400_with_the_reason(chain_leader: Client) -> None:
    outsider = ChainEnterprise.objects.filter(node__chain__code="light-industry").first()
    assert outsider is not None
    response = chain_leader.post(
        f"{API}/chains/new-energy/requests",
        {"enterprise": outsider.enterprise.uscc, "category": "land", "title": "用地"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "不是新能源（含基础能源）的链上企业" in response.json()["detail"]
