"""Drafting, a data change after drafting, accepting or keeping, issuing and regenerating byte for byte."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests import factories
from tests.workreport.conftest import change_measures, revise_gdp_growth
from yuanqu.core.models import AuditEntry, Place
from yuanqu.periods import Period
from yuanqu.workreport.formats import digest, render
from yuanqu.workreport.models import ReportDraft, ReportVersion
from yuanqu.workreport.services import (
    DIGESTED_FORMATS,
    ReportRefused,
    draft_create,
    draft_decide,
    draft_issue,
    draft_rewrite,
    pending_changes,
)

pytestmark = pytest.mark.usefixtures("demo")
H1 = Period(2023, 1, 6)


@pytest.fixture
def author() -> User:
    return factories.a_statistician()


@pytest.fixture
def draft(author: User) -> ReportDraft:
    return draft_create(zone=Place.objects.get(code="yz-etdz"), period=H1, actor=author)


def test_a_draft_is_the_generated_report_with_its_audit_row(draft: ReportDraft) -> None:
    assert draft.title == "扬州经济技术开发区2023年上半年工作报告"
    assert pending_changes(draft) == []
    assert AuditEntry.objects.filter(action="report.draft", detail__draft=draft.pk).count() == 1


def test_drafting_the_same_period_again_opens_the_same_draft(draft: ReportDraft, author: User) -> None:
    again = draft_create(zone=draft.zone, period=H1, actor=author)
    assert again.pk == draft.pk


def test_a_data_change_after_drafting_highlights_exactly_the_changed_numbers(draft: ReportDraft) -> None:
    revise_gdp_growth("8.5")
    changes = {change.key: (change.old_text, change.new_text) for change in pending_changes(draft)}
    # GDP growth 8.3 → 8.5; against the annual target of 8%: 0.3 → 0.5 points. Its rank stays
    # second (江都区 8.6%), the GDP level and the goal's nominal growth (from levels) are unchanged.
    assert changes == {
        "ind.gdp.growth": ("增长8.3%", "增长8.5%"),
        "ind.gdp.gap": ("高于目标0.3个百分点", "高于目标0.5个百分点"),
    }


def test_accepting_a_changed_number_takes_the_new_figure_and_its_provenance(draft: ReportDraft, author: User) -> None:
    revise_gdp_growth("8.5")
    draft_decide(draft=draft, key="ind.gdp.growth", accept=True, actor=author)
    document = draft.doc()
    assert document.fields["ind.gdp.growth"].text == "增长8.5%"
    assert any("定报" in line for line in document.fields["ind.gdp.growth"].provenance)
    assert "完成地区生产总值375.3亿元，增长8.5%；" in document.text_of(document.sections[0].blocks[0].segments)
    assert [change.key for change in pending_changes(draft)] == ["ind.gdp.gap"]
    assert AuditEntry.objects.filter(action="report.accept", detail__field="ind.gdp.growth").exists()


def test_keeping_the_old_number_settles_it_until_the_data_change_again(draft: ReportDraft, author: User) -> None:
    revise_gdp_growth("8.5")
    draft_decide(draft=draft, key="ind.gdp.gap", accept=False, actor=author)
    assert draft.doc().fields["ind.gdp.gap"].text == "高于目标0.3个百分点"
    assert [change.key for change in pending_changes(draft)] == ["ind.gdp.growth"]
    revise_gdp_growth("8.9")
    # 8.9% is ahead of 江都区's 8.6%: GDP moves from second to first, in the table and the sentence.
    assert {change.key: change.new_text for change in pending_changes(draft)} == {
        "ind.gdp.growth": "增长8.9%",
        "ind.gdp.gap": "高于目标0.9个百分点",
        "ind.gdp.rank": "第1位",
        "rank.position.1": "地区生产总值、全社会固定资产投资、进出口总额增幅列全市第1位",
        "rank.position.2": "规模以上工业增加值、社会消费品零售总额增幅列全市第2位",
    }


def test_a_draft_with_undecided_changes_cannot_be_issued(draft: ReportDraft, author: User) -> None:
    revise_gdp_growth("8.5")
    with pytest.raises(ReportRefused, match="有2个数字的数据已变化"):
        draft_issue(draft=draft, actor=author)
    assert not ReportVersion.objects.exists()


def test_the_author_rewrites_words_and_the_numbers_stay_fields(draft: ReportDraft, author: User) -> None:
    block = draft.doc().sections[0].blocks[0]
    segments = ["今年以来，园区", *block.segments[1:]]  # "上半年，完成地区生产总值" rewritten
    assert draft_rewrite(draft=draft, blocks={block.id: segments}, actor=author) == [block.id]
    document = draft.doc()
    assert document.text_of(document.sections[0].blocks[0].segments).startswith("今年以来，园区375.3亿元，增长8.3%；")
    assert AuditEntry.objects.filter(action="report.rewrite").count() == 1


def test_a_number_typed_into_a_sentence_is_refused_and_nothing_is_written(draft: ReportDraft, author: User) -> None:
    block = draft.doc().sections[0].blocks[0]
    before = draft.document
    with pytest.raises(ReportRefused, match=r"数字“380\.1”是手工输入的"):
        draft_rewrite(draft=draft, blocks={block.id: ["完成地区生产总值380.1亿元"]}, actor=author)
    draft.refresh_from_db()
    assert draft.document == before
    assert not AuditEntry.objects.filter(action="report.rewrite").exists()


def test_an_unknown_field_or_a_table_cannot_be_rewritten(draft: ReportDraft, author: User) -> None:
    document = draft.doc()
    block = document.sections[0].blocks[0]
    with pytest.raises(ReportRefused, match="引用了不存在的数字字段"):
        draft_rewrite(draft=draft, blocks={block.id: [{"field": "no.such"}]}, actor=author)
    table = next(b for b in document.blocks() if b.kind == "table")
    with pytest.raises(ReportRefused, match="不存在或不可编辑"):
        draft_rewrite(draft=draft, blocks={table.id: ["x"]}, actor=author)


def test_an_issued_version_regenerates_byte_identically_after_later_imports(draft: ReportDraft, author: User) -> None:
    version = draft_issue(draft=draft, actor=author)
    assert (version.number, version.issued_by_name) == (1, "persona-statistician")
    outputs = {fmt: render(version.doc(), fmt, moment=version.issued_at) for fmt in ("docx", "xlsx", "md", "pdf")}
    revise_gdp_growth("9.9")  # a later revision
    factories.import_rows(
        draft.zone, [factories.month_row(9001, 2023, 6, sales_wan="123456.7", name="新入库测试企业")]
    )  # and a later enterprise import changing the same-scope totals
    later = ReportVersion.objects.get(pk=version.pk)
    for fmt, content in outputs.items():
        again = render(later.doc(), fmt, moment=later.issued_at)
        assert again == content, fmt
        if fmt in DIGESTED_FORMATS:  # the PDF's is not kept: 3 s a file at issue (and it embeds the server's fonts)
            assert digest(again) == later.digests[f"{fmt}:full"]
    assert outputs["pdf"].startswith(b"%PDF-") and "pdf:full" not in later.digests
    assert "增长8.3%" in outputs["md"].decode()
    assert "增长9.9%" not in outputs["md"].decode()


def test_versions_are_numbered_kept_and_never_changed(draft: ReportDraft, author: User) -> None:
    first = draft_issue(draft=draft, actor=author, moment=timezone.now())
    second = draft_issue(draft=draft, actor=author)
    assert [first.number, second.number] == [1, 2]
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        first.delete()
    assert AuditEntry.objects.filter(action="report.issue").count() == 2


def test_a_kept_number_says_so_in_the_issued_version(draft: ReportDraft, author: User) -> None:
    revise_gdp_growth("8.5")
    draft_decide(draft=draft, key="ind.gdp.growth", accept=False, actor=author)
    draft_decide(draft=draft, key="ind.gdp.gap", accept=False, actor=author)
    version = draft_issue(draft=draft, actor=author)
    field = version.doc().fields["ind.gdp.growth"]
    assert field.text == "增长8.3%"
    assert field.provenance[-1] == "作者保留起草时的数字（签发时数据为增长8.5%）"


def test_a_changed_and_an_added_measure_are_flagged_and_the_issued_table_has_them(
    draft: ReportDraft, author: User
) -> None:
    drafted = draft.doc()
    table = next(b for b in drafted.blocks() if b.kind == "table" and b.name == "重点任务")
    assert len(table.rows) == 29  # the demo's 24 assigned measures and its 5 projects overdue at a stage (2.5–2.9)
    measure_id, code = change_measures(draft.zone)
    base = f"task.2023-07~12.1.measure.{measure_id}"
    changes = {change.key: (change.old_text, change.new_text) for change in pending_changes(draft)}
    assert changes[f"{base}.department"] == ("经济发展局", "招商局")
    assert changes[f"{base}.deadline"] == ("2023-12-31", "2023-12-01")
    # On the status date 2023-12-31 the measure is 30 days past its new deadline.
    assert changes[f"{base}.colour"][1] == "红色"
    assert changes["task.total.measures"] == ("29项措施", "30项措施")
    assert changes["table:tasks:重点任务"] == ("29行", "30行")
    with pytest.raises(ReportRefused, match=r"个数字、1个表格的数据已变化"):
        draft_issue(draft=draft, actor=author)
    draft_decide(draft=draft, key="table:tasks:重点任务", accept=True, actor=author)
    assert AuditEntry.objects.filter(action="report.accept", detail__field="table:tasks:重点任务").exists()
    assert "table:tasks:重点任务" not in {change.key for change in pending_changes(draft)}
    for change in pending_changes(draft):
        draft_decide(draft=draft, key=change.key, accept=True, actor=author)
    assert pending_changes(draft) == []
    document = draft_issue(draft=draft, actor=author).doc()
    table = next(b for b in document.blocks() if b.kind == "table" and b.name == "重点任务")
    rows = {row[0]: [document.cell_text(cell) for cell in row] for row in table.rows}
    assert len(rows) == 30
    assert rows["1.1"][2:4] == ["招商局", "2023-12-01"]
    assert rows[code][1:4] == ["新增测试举措", "招商局", "2023-11-30"]
    assert table.total is not None and document.cell_text(table.total[1]) == "30项措施"


def test_keeping_a_changed_table_settles_it_and_the_issued_table_is_the_drafted_one(
    draft: ReportDraft, author: User
) -> None:
    change_measures(draft.zone)
    draft_decide(draft=draft, key="table:tasks:重点任务", accept=False, actor=author)
    for change in pending_changes(draft):
        draft_decide(draft=draft, key=change.key, accept=False, actor=author)
    assert pending_changes(draft) == []
    document = draft_issue(draft=draft, actor=author).doc()
    table = next(b for b in document.blocks() if b.kind == "table" and b.name == "重点任务")
    rows = {row[0]: [document.cell_text(cell) for cell in row] for row in table.rows}
    assert len(rows) == 29
    assert rows["1.1"][2:4] == ["经济发展局", "2023-12-31"]
    assert AuditEntry.objects.filter(action="report.keep", detail__field="table:tasks:重点任务").exists()


def test_a_number_of_the_sentences_words_retyped_once_more_is_refused(draft: ReportDraft, author: User) -> None:
    """“50亿元以上” is in the words of paragraph 3 twice; a third “50” would be a typed figure."""
    section = next(item for item in draft.doc().sections if item.key == "projects")
    block = section.blocks[0]
    words = "".join(item for item in block.segments if isinstance(item, str))
    assert words.count("50亿元以上") == 2
    with pytest.raises(ReportRefused, match=r"数字“50”在原句中只出现2次，多出的一处是手工输入的"):
        draft_rewrite(draft=draft, blocks={block.id: [*block.segments, "另有50个在谈"]}, actor=author)
    with pytest.raises(ReportRefused, match=r"数字“50”在原句中只出现2次"):
        draft_rewrite(draft=draft, blocks={block.id: [*block.segments, "另有5", "0个在谈"]}, actor=author)
    assert draft_rewrite(draft=draft, blocks={block.id: [*block.segments, "另有项目在谈。"]}, actor=author) == [
        block.id
    ]


def test_a_node_added_after_drafting_changes_the_chain_row_and_the_gaps_table(draft: ReportDraft, author: User) -> None:
    from django.core.cache import cache

    from yuanqu.chains.models import Chain, ChainNode

    chain = Chain.objects.get(zone=draft.zone, code="optoelectronics")
    ChainNode.objects.create(chain=chain, name="测试新节点", segment=ChainNode.Segment.UPSTREAM, sort_order=999)
    cache.clear()  # nodes are edited in the admin, without an audit row
    changes = {change.key: (change.old_text, change.new_text) for change in pending_changes(draft)}
    # 新光电 had 2 missing nodes and no weak one; the new node has no enterprise: missing.
    assert changes["chain.optoelectronics.nodes"] == ("缺失2个，薄弱0个", "缺失3个，薄弱0个")
    old_rows = len(next(b for b in draft.doc().blocks() if b.kind == "table" and b.name == "缺失薄弱节点").rows)
    assert changes["table:chains:缺失薄弱节点"] == (f"{old_rows}行", f"{old_rows + 1}行")
    draft_decide(draft=draft, key="table:chains:缺失薄弱节点", accept=True, actor=author)
    document = draft.doc()
    table = next(b for b in document.blocks() if b.kind == "table" and b.name == "缺失薄弱节点")
    added = [[document.cell_text(cell) for cell in row] for row in table.rows if row[2] == "测试新节点"]
    assert added == [["新光电", "上游", "测试新节点", "缺失", added[0][4]]] and added[0][4]


def test_a_table_or_a_section_that_appears_after_drafting_is_put_where_the_data_put_it(
    draft: ReportDraft, author: User
) -> None:
    """As if drafted before there were gap nodes and before the next half-year's tasks were registered."""
    document = draft.doc()
    chains = next(s for s in document.sections if s.key == "chains")
    gaps = next(b for b in chains.blocks if b.kind == "table" and b.name == "缺失薄弱节点")
    order = [b.id for b in chains.blocks]
    chains.blocks.remove(gaps)
    document.sections = [s for s in document.sections if s.key != "tasks"]
    ReportDraft.objects.filter(pk=draft.pk).update(document=document.to_data())
    draft.refresh_from_db()
    changes = {change.key: change for change in pending_changes(draft)}
    assert changes["table:chains:缺失薄弱节点"].old_text == "无"
    assert changes["table:tasks:重点任务"].old_text == "无"
    draft_decide(draft=draft, key="table:chains:缺失薄弱节点", accept=True, actor=author)
    draft_decide(draft=draft, key="table:tasks:重点任务", accept=True, actor=author)
    assert pending_changes(draft) == []
    document = draft.doc()
    assert [b.id for b in next(s for s in document.sections if s.key == "chains").blocks] == order
    assert [s.key for s in document.sections][-1] == "tasks"
    assert draft_issue(draft=draft, actor=author).number == 1
