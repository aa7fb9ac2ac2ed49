import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

H1 = "zone=yz-etdz&period=2023-H1"


def test_anonymous_visitors_are_sent_to_the_login_page(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_a_user_without_a_role_is_refused(outsider: Client) -> None:
    assert outsider.get("/").status_code == 403


def test_the_leader_sees_the_half_year_scorecard_as_published(leader: Client) -> None:
    response = leader.get(f"/?{H1}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "完成地区生产总值375.3亿元，增长8.3%" in response.context["paragraph"]
    cards = {card.code: card for card in response.context["cards"]}
    assert (cards["gdp"].value, cards["gdp"].growth, cards["gdp"].growth_basis) == ("375.3", "8.3%", "可比价")
    assert cards["gdp"].growth_source == "官方"
    assert (cards["retail_sales"].value, cards["retail_sales"].growth_basis) == ("59.6", "现价")
    assert cards["fixed_asset_investment"].rank == "第1位"
    assert cards["industrial_invoiced_sales"].target_status == "behind"
    assert "落后序时进度2.2个百分点" in cards["industrial_invoiced_sales"].target_gap
    assert "示例" in html


def test_the_dashboard_defaults_to_the_latest_published_half_year(leader: Client) -> None:
    response = leader.get("/")
    assert response.status_code == 200
    assert response.context["selection"].period.code == "2023-01~06"


def test_the_charts_get_their_data_from_a_json_island(leader: Client) -> None:
    response = leader.get(f"/?{H1}")
    data = response.context["data"]
    assert [row["name"] for row in data["troika"]] == ["全社会固定资产投资", "社会消费品零售总额", "进出口总额"]
    assert [row["growth"] for row in data["troika"]] == [15.1, 14.2, 12.6]
    ranking = data["ranking"]["gdp"]["rows"]
    assert ranking[0]["place"] == "江都区" and ranking[1]["is_zone"]
    goals = {row["code"]: row for row in data["goals"]}
    assert goals["gdp"]["required_text"] == "11.4%"
    assert data["trend"]["labels"] == ["1—2月", "1—3月", "1—4月", "1—5月", "1—6月"]
    sales = next(series for series in data["trend"]["series"] if series["code"] == "industrial_invoiced_sales")
    assert sales["points"][-1] == 7.4
    island = response.content.decode().split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(island)["zone"] == "扬州经济技术开发区"


def test_an_htmx_request_gets_only_the_panel(leader: Client) -> None:
    response = leader.get(f"/?{H1}", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="cards"' in html


@pytest.mark.parametrize("period", ["garbage", "2023-13", "9999-H1", "2023-06~02", "<script>", "2023年"])
def test_a_bad_period_is_a_message_not_a_crash(leader: Client, period: str) -> None:
    response = leader.get("/", {"period": period})
    assert response.status_code == 400
    assert response.context["selection"].error


def test_an_unknown_zone_is_a_message_not_a_crash(leader: Client) -> None:
    response = leader.get("/?zone=nowhere&period=2023-H1")
    assert response.status_code == 400
    assert "未找到园区" in response.context["selection"].error


def test_a_period_without_data_says_so_on_every_card(leader: Client) -> None:
    response = leader.get("/?zone=yz-etdz&period=2019-H1")
    assert response.status_code == 200
    assert all(card.value == "" for card in response.context["cards"])


def test_the_drilldown_link_is_shown_only_to_statisticians(leader: Client, statistician: Client) -> None:
    assert "/enterprises/" not in leader.get(f"/?{H1}").content.decode()
    assert "/indicators/industrial_invoiced_sales/enterprises/" in statistician.get(f"/?{H1}").content.decode()


def test_every_number_links_to_where_it_came_from(leader: Client) -> None:
    html = leader.get(f"/?{H1}").content.decode()
    assert "/indicators/gdp/provenance/?zone=yz-etdz&amp;period=2023-01~06" in html


def test_the_provenance_page_names_the_observation_and_its_source(leader: Client) -> None:
    response = leader.get(f"/indicators/gdp/provenance/?{H1}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "官方数据 375.3亿元" in html
    assert "扬州经开区2023年上半年“成绩单”" in html
    assert "第2段" in html


def test_the_provenance_of_an_unknown_indicator_is_not_found(leader: Client) -> None:
    assert leader.get(f"/indicators/nothing/provenance/?{H1}").status_code == 404


def test_the_big_screen_shows_the_scorecard_to_the_leader(leader: Client) -> None:
    response = leader.get(f"/screen/?{H1}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "375.3" in html and "screen.js" in html


def test_the_big_screen_is_refused_to_a_user_without_a_role(outsider: Client) -> None:
    assert outsider.get("/screen/").status_code == 403


def test_an_expired_session_sends_an_htmx_request_to_the_login_page(db: None) -> None:
    response = Client().get("/?period=2023-H1", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def _page(client: Client, url: str = f"/?{H1}", **headers: str) -> bytes:
    """The page without its CSRF token, which is masked afresh on every response."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_scorecard_from_the_cache_is_the_page_as_rendered(leader: Client, statistician: Client, htmx: bool) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    for client in (leader, statistician):
        cache.clear()
        rendered = _page(client, **headers)
        assert _page(client, **headers) == rendered


@pytest.mark.parametrize("first", ["leader", "statistician"])
def test_one_roles_cached_scorecard_is_never_shown_to_another(leader: Client, statistician: Client, first: str) -> None:
    clients = {"leader": leader, "statistician": statistician}
    order = [first, *(name for name in clients if name != first)]
    for _ in range(2):
        for name in order:
            html = _page(clients[name]).decode()
            assert ("/indicators/industrial_invoiced_sales/enterprises/" in html) == (name == "statistician")


def test_a_data_change_shows_on_the_next_page(leader: Client, statistician: Client) -> None:
    assert "完成地区生产总值375.3亿元" in _page(leader).decode()
    revised = (
        "指标,地区,所属期,数值,单位,同比增长,价格口径,数据版本,来源\n"
        "地区生产总值,扬州经济技术开发区,2023-H1,380.1,亿元,8.4,可比价,定报,统计局\n"
    )
    response = statistician.post(
        "/api/v1/imports/observations",
        {"file": SimpleUploadedFile("gdp.csv", revised.encode()), "dry_run": "false"},
    )
    assert response.status_code == 200, response.content
    html = _page(leader).decode()
    assert "完成地区生产总值380.1亿元" in html and "375.3" not in html.split('id="cards"')[0]


def test_the_invoiced_sales_card_says_which_same_scope_growth_it_computed(leader: Client) -> None:
    page = leader.get("/?zone=yz-etdz&period=2023-H1").content.decode()
    assert "同口径计算增长7.4%（同口径，含新入库企业）；不含新入库企业增长7.1%" in page
