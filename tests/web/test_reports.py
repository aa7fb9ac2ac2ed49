"""Reports uploaded on the import page become observations a statistician reviews."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import a_statistician
from yuanqu.core.models import Source
from yuanqu.indicators.models import Observation

REPORT = "2023年上半年，全区实现地区生产总值286.4亿元，同比增长6.2%。"
ZONE = "yz-etdz"


def upload(client: Client, content: bytes, name: str = "上半年经济运行.txt", zone: str = ZONE) -> object:
    return client.post(
        "/imports/reports/upload/", {"zone": zone, "year": "", "file": SimpleUploadedFile(name, content)}
    )


def pending_gdp() -> Observation:
    return Observation.objects.get(indicator__code="gdp", status=Observation.Status.UNREVIEWED)


def test_an_uploaded_report_is_listed_for_review(statistician: Client) -> None:
    response = upload(statistician, REPORT.encode())
    assert response.status_code == 302
    assert response["Location"] == "/imports/reports/"
    gdp = pending_gdp()
    assert (gdp.place.code, gdp.period, gdp.value, gdp.growth_pct) == (
        ZONE,
        "2023-01~06",
        Decimal("286.4"),
        Decimal("6.2"),
    )
    assert gdp.source.title == "上半年经济运行.txt"
    assert gdp.recorded_by is not None and gdp.recorded_by.username == "persona-statistician"

    page = statistician.get("/imports/reports/")
    assert page.status_code == 200
    assert [row.observation for row in page.context["pending"]] == [gdp]
    html = page.content.decode()
    assert "存为待审核观测值 1 条" in html
    assert "地区生产总值" in html and "2023年上半年" in html and "286.4亿元" in html
    assert "上半年经济运行.txt" in html


def test_a_report_with_a_long_chinese_name_is_read_and_keeps_its_name(statistician: Client) -> None:
    # 130 Chinese characters are 390 bytes in UTF-8: longer than a file name may be (255 bytes).
    name = "二〇二三年上半年经济运行情况" * 9 + "分析报告" + ".txt"
    assert len(name) == 134 and len(name.encode()) > 255
    response = upload(statistician, REPORT.encode(), name=name)
    assert response.status_code == 302
    assert pending_gdp().source.title == name
    assert f"{name}：识别事实" in statistician.get("/imports/reports/").content.decode()


def test_a_gb18030_report_is_read(statistician: Client) -> None:
    assert upload(statistician, REPORT.encode("gb18030")).status_code == 302
    assert pending_gdp().value == Decimal("286.4")


def test_the_same_report_twice_is_not_stored_twice(statistician: Client) -> None:
    upload(statistician, REPORT.encode())
    response = upload(statistician, REPORT.encode())
    assert response.status_code == 302
    assert Observation.objects.filter(status=Observation.Status.UNREVIEWED).count() == 1
    assert "未重复写入" in statistician.get("/imports/reports/").content.decode()


def test_accepting_makes_the_figure_count(statistician: Client) -> None:
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    response = statistician.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.ACCEPTED
    assert gdp.superseded_at is None
    page = statistician.get("/imports/reports/")
    assert list(page.context["pending"]) == []
    assert gdp in [row.observation for row in page.context["reviewed"]]


def test_a_correction_is_stored_beside_the_rejected_original(statistician: Client) -> None:
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    response = statistician.post(
        f"/imports/reports/{gdp.pk}/review/", {"decision": "correct", "value": "268.4", "growth": ""}
    )
    assert response.status_code == 302
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.REJECTED
    corrected = Observation.objects.get(note=f"更正自观测值#{gdp.pk}")
    assert corrected.status == Observation.Status.ACCEPTED
    assert (corrected.value, corrected.growth_pct, corrected.unit) == (Decimal("268.4"), Decimal("6.2"), "亿元")
    assert corrected.source_id == gdp.source_id


def test_rejecting_keeps_it_out(statistician: Client) -> None:
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    statistician.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "reject"})
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.REJECTED


@pytest.mark.parametrize("fields", [{"value": "abc"}, {"growth": "NaN"}, {"value": "", "growth": ""}])
def test_a_bad_correction_is_a_message(statistician: Client, fields: dict[str, str]) -> None:
    upload(statistician, REPORT.encode())
    statistician.get("/imports/reports/")  # shows (and so consumes) the upload's messages
    gdp = pending_gdp()
    response = statistician.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "correct", **fields}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.UNREVIEWED


def test_reviewing_twice_is_a_message_not_a_crash(statistician: Client) -> None:
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    statistician.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "reject"})
    response = statistician.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "accept"}, follow=True)
    assert response.status_code == 200
    assert "已审核" in response.content.decode()
    assert statistician.post(f"/imports/reports/{gdp.pk + 10**6}/review/", {"decision": "accept"}).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "zone"),
    [
        ("report.pdf", REPORT.encode(), ZONE),
        ("report.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xff", ZONE),
        ("report.txt", b"", ZONE),
        ("report.txt", REPORT.encode(), ""),
        ("report.txt", REPORT.encode(), "no-such-place"),
    ],
)
def test_a_bad_upload_is_refused_and_writes_nothing(statistician: Client, name: str, content: bytes, zone: str) -> None:
    observations, sources = Observation.objects.count(), Source.objects.count()
    response = upload(statistician, content, name=name, zone=zone)
    assert response.status_code == 400
    assert response.context["report_form"].errors
    assert (Observation.objects.count(), Source.objects.count()) == (observations, sources)


def test_an_oversize_report_is_refused(statistician: Client, settings: object) -> None:
    settings.YUANQU_UPLOAD_MAX_MB = 0  # type: ignore[attr-defined]
    response = upload(statistician, REPORT.encode())
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not Observation.objects.filter(status=Observation.Status.UNREVIEWED).exists()


def test_the_import_page_offers_the_report_section(statistician: Client) -> None:
    response = statistician.get("/imports/")
    html = response.content.decode()
    assert "公开报告解读" in html
    assert 'action="/imports/reports/upload/"' in html
    codes = {place.code for place in response.context["report_form"].fields["zone"].queryset}
    assert ZONE in codes
    nav = [item["label"] for item in response.context["nav"]]
    assert nav.index("报告审核") == nav.index("数据导入") + 1


def test_only_statisticians_see_or_change_reports(leader: Client, outsider: Client) -> None:
    statistician = Client()
    statistician.force_login(a_statistician())
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    for client in (leader, outsider):
        assert client.get("/imports/reports/").status_code == 403
        assert upload(client, "2023年上半年，全区实现地区生产总值300亿元。".encode()).status_code == 403
        assert client.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "accept"}).status_code == 403
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.UNREVIEWED
    assert Observation.objects.filter(status=Observation.Status.UNREVIEWED).count() == 1
    assert "报告审核" not in [item["label"] for item in leader.get("/").context["nav"]]


def test_anonymous_visitors_are_sent_to_log_in(demo: None) -> None:
    assert Client().get("/imports/reports/").status_code == 302


def test_posting_without_a_csrf_token_is_refused(demo: None) -> None:
    user = a_statistician()
    statistician = Client()
    statistician.force_login(user)
    upload(statistician, REPORT.encode())
    gdp = pending_gdp()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert upload(client, REPORT.encode()).status_code == 403
    assert client.post(f"/imports/reports/{gdp.pk}/review/", {"decision": "accept"}).status_code == 403
    gdp.refresh_from_db()
    assert gdp.status == Observation.Status.UNREVIEWED


def test_a_district_named_before_its_gdp_is_read_for_that_district(statistician: Client) -> None:
    report = "2023年1—9月，江都区实现地区生产总值738.6亿元，同比增长5.7%。"
    response = upload(statistician, report.encode(), "江都区前三季度.txt", zone="yz-jiangdu")
    assert response.status_code == 302
    gdp = pending_gdp()
    assert (gdp.place.code, gdp.period, gdp.value, gdp.growth_pct) == (
        "yz-jiangdu",
        "2023-01~09",
        Decimal("738.6"),
        Decimal("5.7"),
    )


def test_a_figure_of_another_place_is_skipped_with_a_message_naming_it(statistician: Client) -> None:
    report = "2023年1—9月，江都区实现地区生产总值738.6亿元，同比增长5.7%。"
    response = upload(statistician, report.encode(), "江都区前三季度.txt", zone=ZONE)
    assert not Observation.objects.filter(status=Observation.Status.UNREVIEWED).exists()
    page = statistician.get(response["Location"]).content.decode()
    assert "江都区的地区生产总值：不是所选地区" in page


def test_the_review_page_shows_each_figure_in_its_sentence_written_the_office_way(statistician: Client) -> None:
    report = "2023年上半年，全区实现进出口总额142.30亿元，同比增长12.60%，增速居全市前列。"
    upload(statistician, report.encode(), "外贸.txt")
    html = statistician.get("/imports/reports/").content.decode()
    assert "2023年上半年，全区实现进出口总额<mark>142.30亿元，同比增长12.60%</mark>，增速居全市前列。" in html
    assert "142.3亿元" in html and "12.6%" in html
    assert "142.3000" not in html and "12.60%</td>" not in html
