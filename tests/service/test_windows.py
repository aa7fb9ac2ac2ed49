"""The centre manager adds windows and changes their kind, department and zone; nobody else can."""

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.service.factory import Centre, a_clerk, a_manager, a_reviewer
from yuanqu.core.models import AuditEntry, Department, Place
from yuanqu.service.models import ServiceZone, Window
from yuanqu.service.services import ServiceRefused, window_save


@pytest.fixture
def people(centre: Centre) -> dict[str, User]:
    return {
        "clerk": a_clerk(centre),
        "reviewer": a_reviewer(centre.market),
        "manager": a_manager(),
        "leader": factories.a_leader(),
    }


def test_the_manager_adds_a_dedicated_window_with_an_audit_row(centre: Centre, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"])
    response = manager.post(
        "/service/windows/",
        {
            "what": "add",
            "service_zone": centre.police_zone.pk,
            "number": "F02",
            "kind": "dedicated",
            "department": centre.police.pk,
        },
        follow=True,
    )
    assert response.status_code == 200 and "已新增公安专区 F02号专窗" in response.content.decode()
    window = Window.objects.get(service_zone=centre.police_zone, number="F02")
    assert (window.kind, window.department) == ("dedicated", centre.police)
    entry = AuditEntry.objects.get(action="service.window_create")
    assert entry.actor == people["manager"] and entry.detail["window"] == window.pk


def test_the_manager_changes_a_windows_kind_department_and_zone(centre: Centre, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"])
    response = manager.post(
        "/service/windows/",
        {
            "what": "edit",
            "window": centre.market_window.pk,
            "kind": "comprehensive",
            "department": centre.market.pk,  # ignored: a 综合窗口 has no department
            "service_zone": centre.police_zone.pk,
        },
    )
    assert response.status_code == 302
    centre.market_window.refresh_from_db()
    assert centre.market_window.kind == "comprehensive" and centre.market_window.department is None
    assert centre.market_window.service_zone == centre.police_zone
    entry = AuditEntry.objects.get(action="service.window_update")
    assert entry.detail["changes"] == {
        "service_zone": ["企业开办专区", "公安专区"],
        "kind": ["dedicated", "comprehensive"],
        "department": ["市场监督管理局", None],
    }
    assert "窗口类型：专窗 → 综合窗口" in entry.summary and "部门：市场监督管理局 → 无" in entry.summary


@pytest.mark.parametrize("who", ["clerk", "reviewer", "leader"])
def test_other_roles_get_a_403_and_nothing_changes(centre: Centre, people: dict[str, User], who: str) -> None:
    client = factories.signed_in(people[who])
    add = {"what": "add", "service_zone": centre.police_zone.pk, "number": "F09", "kind": "comprehensive"}
    edit = {"what": "edit", "window": centre.any_window.pk, "kind": "dedicated", "department": centre.market.pk,
            "service_zone": centre.enterprise_zone.pk}  # fmt: skip
    assert client.post("/service/windows/", add).status_code == 403
    assert client.post("/service/windows/", edit).status_code == 403
    assert not Window.objects.filter(number="F09").exists()
    centre.any_window.refresh_from_db()
    assert centre.any_window.kind == "comprehensive"
    assert not AuditEntry.objects.filter(action__startswith="service.window_").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "F02", "kind": "dedicated"}, "部门：专窗须指定所属部门"),
        ({"number": "F01", "kind": "comprehensive"}, "窗口号：公安专区已有F01号窗口"),
        ({"number": "", "kind": "comprehensive"}, "窗口号：这个字段是必填项。"),
        ({"number": "F 02", "kind": "comprehensive"}, "窗口号：应为1至20位字母、数字或短横线"),
        ({"number": "F02", "kind": "counter"}, "窗口类型："),
        ({"number": "F02", "kind": "comprehensive", "service_zone": "999999"}, "服务专区："),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    centre: Centre, people: dict[str, User], data: dict[str, str], message: str
) -> None:
    manager = factories.signed_in(people["manager"])
    before = Window.objects.count()
    response = manager.post("/service/windows/", {"what": "add", "service_zone": centre.police_zone.pk, **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert Window.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="service.window_").exists()


def test_a_dedicated_window_without_a_department_is_refused_on_edit(centre: Centre, people: dict[str, User]) -> None:
    manager = factories.signed_in(people["manager"])
    response = manager.post(
        "/service/windows/",
        {
            "what": "edit",
            "window": centre.any_window.pk,
            "kind": "dedicated",
            "service_zone": centre.enterprise_zone.pk,
        },
    )
    assert response.status_code == 400 and "专窗须指定所属部门" in response.content.decode()
    centre.any_window.refresh_from_db()
    assert centre.any_window.kind == "comprehensive"


def test_another_zones_department_or_service_zone_is_refused(centre: Centre) -> None:
    other = Place.objects.create(code="other", name="另一园区", level=Place.Level.ZONE)
    foreign = Department.objects.create(code="other-market", name="另一市场监管局", zone=other)
    foreign_zone = ServiceZone.objects.create(zone=other, code="x", name="另一专区")
    with pytest.raises(ServiceRefused, match="不是本园区的部门"):
        window_save(
            zone=centre.zone, service_zone=centre.police_zone, kind="dedicated", department=foreign, number="F03"
        )
    with pytest.raises(ServiceRefused, match="不是本中心的服务专区"):
        window_save(zone=centre.zone, service_zone=foreign_zone, kind="comprehensive", department=None, number="F03")
    assert not Window.objects.filter(number="F03").exists()


def test_an_unchanged_window_writes_no_audit_row(centre: Centre) -> None:
    _window, changes = window_save(
        zone=centre.zone,
        window=centre.market_window,
        service_zone=centre.enterprise_zone,
        kind="dedicated",
        department=centre.market,
    )
    assert changes == {} and not AuditEntry.objects.filter(action__startswith="service.window_").exists()


@pytest.mark.parametrize("what", ["edit", "staff"])
@pytest.mark.parametrize("window", ["abc", "", "99999999999999999999999"])
def test_a_window_id_that_is_not_a_number_is_not_found(
    centre: Centre, people: dict[str, User], what: str, window: str
) -> None:
    manager = factories.signed_in(people["manager"])
    response = manager.post("/service/windows/", {"what": what, "window": window, "number": "Z9"})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="service.window").exists()
