"""The pages: who may open, write and issue; the editor's chips and changed numbers; downloads."""

import json
from urllib.parse import unquote

import pytest
from django.test import Client

from tests import factories
from tests.workreport.conftest import change_measures, revise_gdp_growth
from yuanqu.core.models import AuditEntry
from yuanqu.workreport.models import ReportDraft, ReportVersion

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def writer() -> Client:
    return factories.signed_in(factories.a_statistician())


@pytest.fixture
def leader() -> Client:
    return factories.signed_in(factories.a_leader())


@pytest.fixture
def reader() -> Client:
    return factories.signed_in(factories.an_investment_officer())


@pytest.fixture
def draft(writer: Client) -> ReportDraft:
    response = writer.post("/reports/new/", {"zone": "yz-etdz", "period": "2023-01~06", "as_of": ""})
    assert response.status_code == 302
    return ReportDraft.objects.get()


def test_the_pages_check_the_role(draft: ReportDraft, reader: Client) -> None:
    assert Client().get("/reports/").status_code == 302
    outsider = factories.signed_in(factories.an_outsider())
    assert outsider.get("/reports/").status_code == 403
    assert reader.get("/reports/").status_code == 200
    assert reader.get(f"/reports/drafts/{draft.pk}/").status_code == 403
    assert reader.post("/reports/new/", {"zone": "yz-etdz", "period": "2023-H1"}).status_code == 403


def test_the_list_offers_a_draft_form_with_csrf_to_the_statistician_only(writer: Client, reader: Client) -> None:
    page = writer.get("/reports/").content.decode()
    assert 'id="new-draft"' in page and "csrfmiddlewaretoken" in page
    assert 'id="new-draft"' not in reader.get("/reports/").content.decode()


def test_a_bad_period_is_refused_in_chinese_and_nothing_is_drafted(writer: Client) -> None:
    response = writer.post("/reports/new/", {"zone": "yz-etdz", "period": "2023-13"}, follow=True)
    assert "所属期" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_the_editor_shows_sentences_to_edit_and_numbers_as_chips(draft: ReportDraft, writer: Client) -> None:
    page = writer.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert 'contenteditable="true"' in page
    assert 'data-field="ind.gdp.value"' in page and ">375.3亿元</span>" in page
    assert "分行业拉动" in page
    assert 'id="rewrite-form"' in page


def test_leadership_reads_and_may_issue_but_not_rewrite_and_sees_no_enterprise_table(
    draft: ReportDraft, leader: Client
) -> None:
    page = leader.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert 'contenteditable="true"' not in page and 'id="rewrite-form"' not in page
    assert "分行业拉动" not in page and "产业链节点产值" not in page
    assert 'id="issue-form"' in page
    assert leader.post(f"/reports/drafts/{draft.pk}/save/", {"blocks": "{}"}).status_code == 403
    assert (
        leader.get(f"/reports/drafts/{draft.pk}/fields/contribution.industrial_invoiced_sales.total.pp/").status_code
        == 404
    )


def test_saving_a_rewritten_sentence_keeps_its_numbers(draft: ReportDraft, writer: Client) -> None:
    block = draft.doc().sections[0].blocks[0]
    segments = ["今年以来，园区", *block.segments[1:]]
    response = writer.post(
        f"/reports/drafts/{draft.pk}/save/", {"blocks": json.dumps({block.id: segments})}, follow=True
    )
    assert "已保存1段修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.doc().sections[0].blocks[0].segments[0] == "今年以来，园区"


def test_a_typed_number_or_unreadable_content_is_refused_on_the_page(draft: ReportDraft, writer: Client) -> None:
    block = draft.doc().sections[0].blocks[0]
    response = writer.post(
        f"/reports/drafts/{draft.pk}/save/", {"blocks": json.dumps({block.id: ["增长9.9%"]})}, follow=True
    )
    assert "数字“9.9”是手工输入的" in response.content.decode()
    response = writer.post(f"/reports/drafts/{draft.pk}/save/", {"blocks": "{not json"}, follow=True)
    assert response.status_code == 200 and "无法读取" in response.content.decode()
    assert not AuditEntry.objects.filter(action="report.rewrite").exists()


def test_changed_numbers_are_marked_and_accepted_on_the_page(draft: ReportDraft, writer: Client) -> None:
    revise_gdp_growth("8.5")
    page = writer.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert page.count('data-change="') == 2
    assert 'data-change="ind.gdp.growth"' in page and 'data-change="ind.gdp.gap"' in page
    assert '增长8.3%<span class="chip-change"> → 增长8.5%</span>' in page
    assert '>8.3<span class="chip-change"> → 8.5</span>' in page  # the table cell
    assert 'disabled title="请先处理数据有变化的数字"' in page
    writer.post(f"/reports/drafts/{draft.pk}/fields/ind.gdp.growth/accept/")
    writer.post(f"/reports/drafts/{draft.pk}/fields/ind.gdp.gap/keep/")
    page = writer.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert 'data-change="' not in page
    assert ">增长8.5%</span>" in page


def test_the_source_of_a_number_opens_as_a_fragment(draft: ReportDraft, writer: Client) -> None:
    fragment = writer.get(f"/reports/drafts/{draft.pk}/fields/ind.gdp.value/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "地区生产总值（上半年）" in text and "观测值#" in text and "<html" not in text
    assert writer.get(f"/reports/drafts/{draft.pk}/fields/no.such/").status_code == 404


def test_issuing_freezes_a_version_that_every_reader_may_download(
    draft: ReportDraft, leader: Client, reader: Client, writer: Client
) -> None:
    response = leader.post(f"/reports/drafts/{draft.pk}/issue/")
    version = ReportVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/versions/{version.pk}/"
    assert version.issued_by.username == "persona-leader"
    page = reader.get(f"/reports/versions/{version.pk}/").content.decode()
    assert "签发稿 第1版" in page and "分行业拉动" not in page
    download = reader.get(f"/reports/versions/{version.pk}/download/docx/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    name = unquote(download["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == "扬州经开区_工作报告_2023年上半年_第1版_汇总版.docx"
    full = writer.get(f"/reports/versions/{version.pk}/download/docx/")
    assert (
        unquote(full["Content-Disposition"].split("filename*=UTF-8''")[1])
        == "扬州经开区_工作报告_2023年上半年_第1版.docx"
    )
    assert writer.get(f"/reports/versions/{version.pk}/download/docx/").content == full.content
    assert reader.get(f"/reports/versions/{version.pk}/download/exe/").status_code == 404
    exports = AuditEntry.objects.filter(action="export.work_report", detail__version=version.pk)
    assert exports.count() == 3 and all(entry.detail["digest_matches"] for entry in exports)


def test_a_window_clerk_reads_versions_but_cannot_issue(draft: ReportDraft) -> None:
    clerk = factories.signed_in(factories.a_window_clerk())
    assert clerk.post(f"/reports/drafts/{draft.pk}/issue/").status_code == 403
    assert not ReportVersion.objects.exists()


def test_a_changed_table_is_listed_and_accepted_on_the_page(draft: ReportDraft, writer: Client) -> None:
    change_measures(draft.zone)
    page = writer.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert 'data-change="table:tasks:重点任务"' in page
    assert "表格已变化：重点任务措施推进情况" in page and "采用新表" in page
    assert '>经济发展局<span class="chip-change"> → 招商局</span>' in page  # the department cell
    response = writer.post(f"/reports/drafts/{draft.pk}/fields/table:tasks:重点任务/accept/", follow=True)
    assert "已采用新表：表格已变化：重点任务措施推进情况（29行 → 30行）" in response.content.decode()
    assert 'data-change="table:tasks:重点任务"' not in response.content.decode()
    assert "新增测试举措" in response.content.decode()
