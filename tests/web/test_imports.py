import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.models import Observation

GOOD_CSV = (
    "指标,地区,所属期,数值,单位,同比增长,价格口径,数据版本,来源\n"
    "地区生产总值,广陵区,2021-H1,401.2,亿元,6.9,可比价,定报,广陵区统计局\n"
)
BAD_CSV = (
    "指标,地区,所属期,数值,单位,同比增长,价格口径,数据版本,来源\n"
    "没有这个指标,广陵区,2023-13,abc,亿元,6.9,可比价,定报,来源\n"
)


def upload(client: Client, name: str, content: bytes, kind: str = "observations", zone: str = "") -> object:
    data = {"kind": kind, "zone": zone, "file": SimpleUploadedFile(name, content)}
    return client.post("/imports/", data)


def test_the_import_page_is_for_statisticians_only(leader: Client, outsider: Client, statistician: Client) -> None:
    assert leader.get("/imports/").status_code == 403
    assert outsider.get("/imports/").status_code == 403
    assert statistician.get("/imports/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    assert Client().get("/imports/").status_code == 302
    assert Client().get("/imports/templates/observations.xlsx").status_code == 302


@pytest.mark.parametrize("kind", ["enterprise-monthly", "observations"])
def test_the_templates_download_as_excel(statistician: Client, kind: str) -> None:
    response = statistician.get(f"/imports/templates/{kind}.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_a_file_with_errors_shows_every_issue_and_writes_nothing(statistician: Client) -> None:
    before = Observation.objects.count()
    response = upload(statistician, "bad.csv", BAD_CSV.encode())
    assert response.status_code == 400
    issues = response.context["rejected"].issues
    assert {issue.row for issue in issues} == {2}
    assert len(issues) >= 2
    assert Observation.objects.count() == before


def test_a_good_file_is_previewed_then_written_on_confirmation(statistician: Client) -> None:
    before = Observation.objects.count()
    response = upload(statistician, "good.csv", GOOD_CSV.encode())
    assert response.status_code == 200
    assert "将新增 1" in response.context["preview"]
    assert Observation.objects.count() == before
    token = response.context["token"]
    done = statistician.post("/imports/confirm/", {"token": token})
    assert done.status_code == 200
    assert "已新增 1" in done.context["done"]
    assert Observation.objects.count() == before + 1
    assert AuditEntry.objects.filter(action="import.observations", actor_name="persona-statistician").exists()


def test_a_confirmation_cannot_be_replayed(statistician: Client) -> None:
    token = upload(statistician, "good.csv", GOOD_CSV.encode()).context["token"]
    assert statistician.post("/imports/confirm/", {"token": token}).status_code == 200
    assert statistician.post("/imports/confirm/", {"token": token}).status_code == 400


def test_a_forged_token_is_refused(statistician: Client) -> None:
    upload(statistician, "good.csv", GOOD_CSV.encode())
    assert statistician.post("/imports/confirm/", {"token": "../../etc/passwd"}).status_code == 400


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("junk.xlsx", b"this is not a spreadsheet"),
        ("empty.csv", b""),
        ("binary.csv", bytes(range(256)) * 4),
        ("notes.txt", b"hello"),
    ],
)
def test_a_bad_upload_is_a_message_not_a_crash(statistician: Client, name: str, content: bytes) -> None:
    response = upload(statistician, name, content)
    assert response.status_code == 400


def test_enterprise_data_needs_a_zone(statistician: Client) -> None:
    response = upload(statistician, "months.csv", b"a,b\n1,2\n", kind="enterprise-monthly")
    assert response.status_code == 400
    assert "所属园区" in response.content.decode()


def test_an_enterprise_file_with_missing_columns_is_rejected(statistician: Client) -> None:
    response = upload(
        statistician, "months.csv", "企业名称\n某公司\n".encode(), kind="enterprise-monthly", zone="yz-etdz"
    )
    assert response.status_code == 400
    assert response.context["rejected"].issues


def test_posting_without_a_csrf_token_is_refused(demo: None) -> None:
    from tests.factories import a_statistician

    client = Client(enforce_csrf_checks=True)
    client.force_login(a_statistician())
    response = client.post("/imports/", {"kind": "observations", "file": SimpleUploadedFile("g.csv", b"x")})
    assert response.status_code == 403


def enterprise_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    header = "统一社会信用代码,企业名称,所属期,规上,工业总产值,工业开票销售,营业收入,利润总额,税金总额,用电量\n"
    lines = "".join(f"{code},{name},{period},是,,{sales},,,,\n" for code, name, period, sales in rows)
    return (header + lines).encode()


def a_demo_enterprise(month: int = 6) -> tuple[str, str]:
    from yuanqu.indicators.models import EnterpriseMonth

    row = EnterpriseMonth.objects.filter(year=2023, month=month, above_scale=True).select_related("enterprise")[0]
    return row.enterprise.uscc, row.enterprise.name


def test_a_one_row_file_for_june_is_previewed_as_a_partial_update_and_removes_nothing(statistician: Client) -> None:
    from yuanqu.indicators.models import EnterpriseMonth

    before = EnterpriseMonth.objects.filter(year=2023, month=6).count()
    code, name = a_demo_enterprise()
    data = {"kind": "enterprise-monthly", "zone": "yz-etdz", "mode": "add"}
    response = statistician.post(
        "/imports/", {**data, "file": SimpleUploadedFile("june.csv", enterprise_csv([(code, name, "2023-06", "1")]))}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "增量导入——只新增、更新文件中的企业月度数据，不删除任何数据" in page
    assert f"文件只含库中 {before} 家企业中的 1 家" in page
    assert "删除 0" in response.context["preview"]
    assert 'id="import-removed"' not in page
    statistician.post("/imports/confirm/", {"token": response.context["token"]})
    assert EnterpriseMonth.objects.filter(year=2023, month=6).count() == before


def test_replacing_june_names_every_enterprise_it_would_remove(statistician: Client) -> None:
    code, name = a_demo_enterprise()
    data = {"kind": "enterprise-monthly", "zone": "yz-etdz", "mode": "replace-month"}
    response = statistician.post(
        "/imports/", {**data, "file": SimpleUploadedFile("june.csv", enterprise_csv([(code, name, "2023-06", "1")]))}
    )
    report = response.context["report"]
    assert report.removed == len(report.removed_rows) > 300
    page = response.content.decode()
    assert 'id="import-removed"' in page and report.removed_rows[0].name in page
    assert f"确认整月替换（删除 {report.removed} 条）" in page
    workbook = statistician.get(f"/imports/preview.xlsx?token={response.context['token']}")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_a_three_row_july_leaves_the_pages_on_the_newest_complete_period(statistician: Client) -> None:
    rows = []
    from yuanqu.indicators.models import EnterpriseMonth

    for item in EnterpriseMonth.objects.filter(year=2023, month=6, above_scale=True).select_related("enterprise")[:3]:
        rows.append((item.enterprise.uscc, item.enterprise.name, "2023-07", "100"))
    data = {"kind": "enterprise-monthly", "zone": "yz-etdz", "mode": "add"}
    response = statistician.post("/imports/", {**data, "file": SimpleUploadedFile("july.csv", enterprise_csv(rows))})
    statistician.post("/imports/confirm/", {"token": response.context["token"]})

    assert statistician.get("/").context["selection"].period.code == "2023-01~06"
    assert statistician.get("/chains/").context["choice"].period.code == "2023-01~06"
    july = statistician.get("/?period=2023-01~07").content.decode()
    assert "数据不完整：7月已报 3 家 / 应报 307 家" in july
    chains_july = statistician.get("/chains/?period=2023-01~07").content.decode()
    assert "数据不完整：7月已报 3 家 / 应报 307 家" in chains_july


def test_the_zone_defaults_to_the_users_zone(statistician: Client) -> None:
    form = statistician.get("/imports/").context["form"]
    assert form["zone"].value() is not None
    html = statistician.get("/imports/").content.decode()
    assert '<option value="yz-etdz" selected>' in html


def test_a_member_of_another_zones_department_gets_that_zone(demo: None) -> None:
    from yuanqu.core.models import Department, Place

    other = Place.objects.create(code="yz-other", name="另一开发区", level=Place.Level.ZONE)
    user = factories.person("persona-other-statistician", "statistician")
    Department.objects.create(code="other-stats", name="统计局", zone=other).members.add(user)
    html = factories.signed_in(user).get("/imports/").content.decode()
    assert '<option value="yz-other" selected>' in html
