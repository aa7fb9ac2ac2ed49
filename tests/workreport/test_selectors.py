"""The report is the engines' own sentences and figures, with the seed's numbers on the demo."""

import re
from decimal import Decimal

import pytest
from django.apps import apps

from yuanqu import figures
from yuanqu.chains.selectors import chains_progress
from yuanqu.chains.writing import chain_line
from yuanqu.core.models import Place
from yuanqu.indicators.selectors import scorecard
from yuanqu.indicators.writing import paragraph
from yuanqu.periods import Period
from yuanqu.projects.selectors import pipeline_statistics
from yuanqu.projects.writing import paragraph as projects_paragraph
from yuanqu.workreport import selectors
from yuanqu.workreport.document import PARAGRAPH, TABLE, Document
from yuanqu.workreport.selectors import report_document

pytestmark = pytest.mark.usefixtures("demo")
H1 = Period(2023, 1, 6)


@pytest.fixture
def zone() -> Place:
    return Place.objects.get(code="yz-etdz")


@pytest.fixture
def document(zone: Place) -> Document:
    return report_document(zone=zone, period=H1)


def sentences(document: Document, key: str) -> list[str]:
    section = next(item for item in document.sections if item.key == key)
    return [document.text_of(block.segments) for block in section.blocks if block.kind == PARAGRAPH]


def test_section_one_is_the_scorecard_paragraph_with_the_seeds_numbers(document: Document, zone: Place) -> None:
    first = sentences(document, "indicators")[0]
    assert first == paragraph(scorecard(zone=zone, period=H1))
    assert first.startswith(
        "上半年，完成地区生产总值375.3亿元，增长8.3%；规模以上工业增加值增长11.5%；工业开票销售564.4亿元，增长7.4%；"
        "全社会固定资产投资121.8亿元，增长15.1%；社会消费品零售总额59.6亿元，增长14.2%；进出口总额142.3亿元，增长12.6%；"
        "主要经济指标位居全市前列"
    )


def test_section_two_is_paragraph_three_with_its_counting_rule(document: Document, zone: Place) -> None:
    texts = sentences(document, "projects")
    assert texts[0] == projects_paragraph(pipeline_statistics(zone=zone, period=H1))
    assert texts[0] == (
        "上半年签约亿元以上先进制造业重点项目41个，总投资约465亿元，其中百亿元以上项目2个、50亿元以上项目3个；"
        "新签约现代服务业项目90个、总投资约120亿元，其中50亿元以上项目1个。"
        "上半年实质性开工工业项目35个、技改项目93个、重点城建项目44个。"
    )
    section = next(item for item in document.sections if item.key == "projects")
    notes = [document.text_of(block.segments) for block in section.blocks if block.kind == "note"]
    assert notes and notes[0].startswith("计数口径：累计口径")


def test_section_four_names_each_chain_against_its_target(document: Document, zone: Place) -> None:
    texts = sentences(document, "chains")
    progress = chains_progress(zone=zone, period=H1)
    assert [chain_line(item) for item in progress.chains] == texts[1:6]
    assert "全面启动集群扩量、创新提质、智改数转、专精特新、绿色发展“五大工程”" in texts[0]
    targets = {line.split("：")[0]: re.search(r"年度目标(\d+)亿元", line).group(1) for line in texts[1:6]}  # type: ignore[union-attr]
    assert targets == {
        "新能源（含基础能源）": "600",
        "高端汽车零部件": "200",
        "新光电": "100",
        "高档轻工": "100",
        "高端智能制造": "100",
    }


def test_section_five_states_the_2025_goals_as_the_seed_does(document: Document) -> None:
    texts = sentences(document, "goals")
    assert texts[0] == (
        "锚定“双千亿过百亿”战略目标（到2025年，实现工业开票销售、规模以上工业总产值超2000亿元，"
        "地区生产总值超1000亿元，综合财力过100亿元）。"
    )
    # (2000 / 1047.6)^(1/3) − 1 = 24.1%; 7.4 − 24.1 = −16.7
    assert "工业开票销售：以2022年1047.6亿元为基数，到2025年超2000亿元需年均增长24.1%；本期实际增长7.4%" in texts[1]
    assert "低于所需增速16.7个百分点" in texts[1]


def test_every_number_of_a_sentence_is_a_linked_field(document: Document) -> None:
    """Outside the fields, a sentence has only the words of rules and dates: years, tiers, thresholds."""
    allowed = {"2022", "2023", "2025", "50", "1", "3", "2", "0"}  # 2022年, 50亿元以上 / 1—6月 / 3%（强链）, 绿色
    for block in document.blocks():
        if block.kind != PARAGRAPH:
            continue
        plain = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", "", "".join(i for i in block.segments if isinstance(i, str)))
        typed = set(re.findall(r"\d+(?:\.\d+)?", plain)) - allowed
        assert not typed, (block.id, typed, plain)


# The plain table cells that may hold digits, and only these: a measure's code (编号 1.1); the
# wording of a definition, not a figure: an indicator's name and rule in the service table
# (办理用时90%分位, 承诺办结期限) and a measure's title as the supervision office assigned it (its target:
# 年内力争达到600亿元规模); and ISO dates anywhere. Titles and headers are labels (tiers, 序时进度) and not
# checked here.
WORDING_COLUMNS = {"指标", "口径", "措施"}


def test_every_number_of_a_table_cell_is_a_linked_field(document: Document) -> None:
    checked = 0
    for block in document.blocks():
        if block.kind != TABLE:
            continue
        for row in [*block.rows, *([block.total] if block.total else [])]:
            for column, cell in zip(block.columns, row, strict=True):
                if not isinstance(cell, str):
                    continue
                checked += 1
                if column.header == "编号" and re.fullmatch(r"\d+\.\d+", cell):
                    continue
                if column.header in WORDING_COLUMNS:
                    continue
                typed = re.findall(r"\d+", re.sub(r"\d{4}-\d{2}-\d{2}", "", cell))
                assert not typed, (block.name, column.header, cell)
    assert checked > 100


def test_the_chain_system_sentence_links_its_counts_when_a_chain_has_no_leader(zone: Place) -> None:
    from yuanqu.chains.models import Chain

    Chain.objects.filter(zone=zone, code="light-industry").update(leader=None)
    document = report_document(zone=zone, period=H1)
    block = next(b for b in document.sections[3].blocks if b.kind == PARAGRAPH)
    assert document.text_of(block.segments).startswith(
        "园区推行主导产业“链长+链主制”，5条重点产业链中4条已明确“链长”、5条已明确“链主”企业，"
    )
    assert [item for item in block.segments if isinstance(item, dict)] == [
        {"field": "chain.count"},
        {"field": "chain.with_leader"},
        {"field": "chain.with_master"},
    ]
    assert (document.fields["chain.with_leader"].value, document.fields["chain.with_master"].value) == ("4", "5")


def test_the_year_on_year_investment_growth_has_its_figure(document: Document) -> None:
    # 现代服务业 120.0 亿元 against 96.0 a year earlier: 25%; 亿元以上先进制造业 465.0 against 392.0: 18.62…%.
    services = document.fields["proj.change.services.investment"]
    assert (services.text, Decimal(services.value or "x"), services.unit) == ("增长25.0%", Decimal(25), "%")
    manufacturing = document.fields["proj.change.manufacturing.investment"]
    assert manufacturing.text == "增长18.6%"
    assert Decimal(manufacturing.value or "x").quantize(Decimal("0.001")) == Decimal("18.622")


def test_every_field_is_the_engines_figure(document: Document, zone: Place) -> None:
    card = scorecard(zone=zone, period=H1)
    for figure in card.figures:
        if figure.value is not None:
            assert document.fields[f"ind.{figure.code}.value"].text == figures.amount(figure.value, figure.unit)
            assert document.fields[f"ind.{figure.code}.value"].value == str(figure.value)
        if figure.growth_pct is not None:
            assert document.fields[f"ind.{figure.code}.growth"].text == figures.growth(figure.growth_pct)
    statistics = pipeline_statistics(zone=zone, period=H1)
    for key, item in statistics.categories.items():
        assert document.fields[f"proj.{key}.signed"].text == f"{item.signed}个"
        assert document.fields[f"proj.{key}.starts"].text == f"{item.starts}个"
    for chain in chains_progress(zone=zone, period=H1).chains:
        assert document.fields[f"chain.{chain.code}.output"].value == str(chain.output.current_yi)
    _ranks_targets_goals_services_chains_and_tasks_are_the_engines(document, zone)


def _ranks_targets_goals_services_chains_and_tasks_are_the_engines(document: Document, zone: Place) -> None:
    """Rank, target, completion, goals; the service centre's figures; chain targets; task progress."""
    from yuanqu.service.selectors import centre_scorecard
    from yuanqu.supervision.selectors import task_statuses

    fields = document.fields
    compared: dict[str, int] = {}

    def same(key: str, figure: object, text: str | None = None) -> None:
        assert fields[key].value == str(figure), key
        if text is not None:
            assert fields[key].text == text, key
        compared[key.split(".")[0]] = compared.get(key.split(".")[0], 0) + 1

    for figure in scorecard(zone=zone, period=H1).figures:
        key = f"ind.{figure.code}"
        if figure.rank is not None and figure.rank.position is not None:
            same(f"{key}.rank", figure.rank.position, f"第{figure.rank.position}位")
            assert fields[f"{key}.rank"].cell == f"{figure.rank.position}/{figure.rank.of}"
        goal = figure.target
        if goal is not None and goal.target_value is not None:
            same(f"{key}.target", goal.target_value)
        elif goal is not None and goal.target_growth_pct is not None:
            same(f"{key}.target", goal.target_growth_pct, f"增长{figures.plain(goal.target_growth_pct)}%")
        if goal is not None and goal.completion_pct is not None:
            same(f"{key}.completion", goal.completion_pct, figures.percent(goal.completion_pct))
        if goal is not None and goal.gap_pp is not None:
            same(f"{key}.gap", goal.gap_pp)
        for target in figure.goals:
            base = f"goal.{figure.code}.{target.goal_year}"
            same(f"{base}.value", target.goal_value)
            if target.required_growth_pct is not None:
                same(f"{base}.required", target.required_growth_pct, figures.percent(target.required_growth_pct))
            if target.actual_growth_pct is not None:
                same(f"{base}.actual", target.actual_growth_pct, figures.percent(target.actual_growth_pct))
    card = centre_scorecard(zone=zone, period=H1)
    for code, service in card.figures.items():
        if service.value is None:
            continue
        same(f"svc.{code}", service.value)
        if service.denominator:
            assert fields[f"svc.{code}.ratio"].text == f"{service.numerator}/{service.denominator}"
    for chain in chains_progress(zone=zone, period=H1).chains:
        assert chain.target is not None  # the demo's 600/200/100 亿元
        same(f"chain.{chain.code}.target", chain.target.value_yi, f"{figures.plain(chain.target.value_yi)}亿元")
        same(f"chain.{chain.code}.completion", chain.target.completion_pct)
        same(f"chain.{chain.code}.gap", chain.target.gap_pp)
        assert fields[f"chain.{chain.code}.nodes"].text == (
            f"缺失{len(chain.missing_nodes)}个，薄弱{len(chain.weak_nodes)}个"
        )
    h2 = Period(2023, 7, 12)
    for task in task_statuses(zone=zone, period=h2):
        key = f"task.{h2.code}.{task.number}"
        if task.progress_pct is not None:
            same(f"{key}.progress", task.progress_pct, figures.percent(task.progress_pct))
        for measure in task.measures:
            if measure.progress_pct is not None:
                same(f"{key}.measure.{measure.id}.progress", measure.progress_pct)
            assert fields[f"{key}.measure.{measure.id}.department"].text == measure.department
            assert fields[f"{key}.measure.{measure.id}.deadline"].text == measure.deadline.isoformat()
    # Each engine was compared, not skipped: 6 ranks, 5 chains × 3, 7 tasks and their measures, …
    assert compared["ind"] >= 10 and compared["goal"] >= 8 and compared["svc"] >= 10
    assert compared["chain"] == 15 and compared["task"] >= 7 + 20


def test_a_table_total_row_adds_up_its_categories(document: Document) -> None:
    table = next(b for b in document.blocks() if b.kind == TABLE and b.name == "项目分类统计")
    signed = [int(document.cell_text(row[1])) for row in table.rows]
    assert table.total is not None
    assert int(document.cell_text(table.total[1])) == sum(signed) == 179  # 47 + 90 + 30 + 12
    assert document.cell_text(table.total[0]) == "合计"


def test_every_field_has_its_provenance(document: Document) -> None:
    missing = [key for key, item in document.fields.items() if not item.provenance]
    assert missing == []
    gdp = document.fields["ind.gdp.value"].provenance
    assert any("观测值#" in line and "第2段" in line for line in gdp)
    signed = document.fields["proj.manufacturing.signed"].provenance[0]
    assert signed.startswith("签约日期在2023-01-01至2023-06-30的先进制造业项目47个：")
    assert len(signed.split("：", 1)[1].split("、")) == 47


class Installed:
    """``apps`` as the report sees it, with some apps taken out."""

    def __init__(self, *absent: str) -> None:
        self.absent = set(absent)

    def is_installed(self, name: str) -> bool:
        return name not in self.absent and apps.is_installed(name)


def test_without_the_service_centre_section_three_says_the_data_are_not_in_the_platform(
    zone: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "apps", Installed(selectors.SERVICE_APP))
    document = report_document(zone=zone, period=H1)
    section = next(item for item in document.sections if item.key == "service")
    assert [document.text_of(block.segments) for block in section.blocks] == [
        "政务服务中心的事项、办件和评价数据尚未纳入本平台（政务服务模块未启用），本节不作数据表述。"
    ]


def test_without_supervision_section_six_is_left_out_with_a_note(zone: Place, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "apps", Installed(selectors.SUPERVISION_APP))
    document = report_document(zone=zone, period=H1)
    assert [section.heading for section in document.sections] == [
        "一、主要经济指标",
        "二、项目招引与建设",
        "三、营商环境与政务服务",
        "四、产业链（链长+链主制）",
        "五、战略目标",
    ]
    assert document.notes == ["下一阶段重点任务：督查督办模块尚未启用，本报告不含此节。"]


def test_enterprise_level_tables_are_marked(document: Document) -> None:
    marked = {block.name for block in document.blocks() if block.kind == TABLE and block.enterprise_level}
    assert marked == {"分行业拉动", "节点产值"}


def test_section_three_is_the_service_centres_own_sentences(document: Document, zone: Place) -> None:
    from yuanqu.service.selectors import centre_scorecard
    from yuanqu.service.writing import centre_sentence, figures_sentence

    card = centre_scorecard(zone=zone, period=H1)
    texts = sentences(document, "service")
    assert texts == [centre_sentence(card), figures_sentence(card)]
    assert texts[0].endswith("9个服务专区“无差别”受理。")  # the seed's nine service zones
    table = next(b for b in document.blocks() if b.kind == TABLE and b.name == "事项进驻")
    assert table.total is not None
    assert document.cell_text(table.total[1]) == "134"  # the demo catalogue's 134 items


def test_section_six_lists_the_second_halfs_seven_tasks_with_their_measures(document: Document, zone: Place) -> None:
    from yuanqu.supervision.selectors import task_statuses

    section = next(item for item in document.sections if item.key == "tasks")
    assert section.heading == "六、下半年重点任务"
    headings = [document.text_of(block.segments) for block in section.blocks if block.kind == "heading"]
    assert headings == [
        "（一）以强链补链为重点，在产业集群上再现新跨越",
        "（二）以要素保障为抓手，在项目建设上涌现新突破",
        "（三）以创新驱动为引擎，在科技自强上显现新优势",
        "（四）以片区开发为核心，在产城融合上呈现新气象",
        "（五）以改革攻坚为契机，在赋能发展上展现新作为",
        "（六）以民生改善为根本，在增进福祉上体现新担当",
        "（七）以安全稳定为底线，在社会治理上实现新提升",
    ]
    tasks = task_statuses(zone=zone, period=Period(2023, 7, 12))
    table = next(b for b in section.blocks if b.kind == TABLE)
    assert [row[0] for row in table.rows] == [measure.code for task in tasks for measure in task.measures]
    assert [document.cell_text(row[2]) for row in table.rows] == [
        measure.department for task in tasks for measure in task.measures
    ]
    owners = sentences(document, "tasks")[0]
    assert owners.startswith(f"分管领导：{tasks[0].leader}；牵头部门：{tasks[0].lead_department}")
    assert document.notes == []


def test_sentences_are_stored_in_the_form_the_editor_sends_back(document: Document) -> None:
    from yuanqu.workreport.document import merged

    for block in document.blocks():
        assert block.segments == merged(block.segments), block.id


def test_figures_the_disclosure_plan_withholds_read_suppressed_for_other_readers(
    zone: Place, settings: pytest.FixtureRequest
) -> None:
    from yuanqu.chains.selectors import MEASURE
    from yuanqu.disclosed import Reader, chain_cell, disclosure

    settings.YUANQU_DISCLOSURE_MIN_ENTERPRISES = 60  # type: ignore[attr-defined]
    full = report_document(zone=zone, period=H1)
    shown = full.for_audience(enterprise=False)
    plan = disclosure(zone=zone, period=H1, measure=MEASURE, reader=Reader.knowing_nothing())
    # 51, 32, 41 and 52 enterprises in scope: fewer than 60, withheld; 新能源's 105 only as the plan says.
    small = {"auto-parts", "optoelectronics", "light-industry", "smart-manufacturing"}
    for chain in chains_progress(zone=zone, period=H1).chains:
        output = shown.fields[f"chain.{chain.code}.output"]
        assert (output.text == "—（保密）") == (not plan.shows(chain_cell(chain.chain_id)))
        if chain.code in small:
            assert output.text == "—（保密）" and output.value is None
            assert output.provenance == ["不向本角色公开：企业少于60家（企业级统计数据依法保密）"]
            assert shown.fields[f"chain.{chain.code}.enterprises"].text == f"{chain.output.enterprises}家"
        assert full.fields[f"chain.{chain.code}.output"].text == f"{figures.rate(chain.output.current_yi)}亿元"
    sentence = next(s for s in sentences(shown, "chains") if s.startswith("高端汽车零部件"))
    assert sentence.startswith("高端汽车零部件：产值—（保密）（规上企业51家）；年度目标200亿元，完成—（保密）")


def test_a_computed_figure_keeps_its_enterprise_set_for_enterprise_readers_only(document: Document) -> None:
    output = document.fields["ind.industrial_output.value"]
    assert len(output.members) == 307  # 规上企业307家 in 1—6月 (the scorecard's --explain)
    assert len(document.fields["chain.new-energy.output"].members) == 105  # 规上企业105家
    assert len(document.fields["chain.union.output"].members) == 271  # every chain enterprise once
    assert document.fields["ind.gdp.value"].members == []  # official: an observation, no enterprises
    shown = document.for_audience(enterprise=False)
    assert all(item.members == [] for item in shown.fields.values())


def test_section_four_says_so_when_the_period_has_no_enterprise_data(zone: Place) -> None:
    """The demo has enterprise rows for 2023 1—6月 only: the year has no output, target completion or node gaps."""
    year = Period(2023, 1, 12)
    assert chains_progress(zone=zone, period=year).union.enterprises == 0
    document = report_document(zone=zone, period=year)
    section = next(item for item in document.sections if item.key == "chains")
    assert [block.kind for block in section.blocks] == [PARAGRAPH, "note"]
    assert document.text_of(section.blocks[1].segments) == (
        "本期没有规上企业数据，产业链产值、目标完成和节点分析不作表述。"
    )
    assert document.text_of(section.blocks[0].segments).startswith("园区推行主导产业“链长+链主制”，5条重点产业链")
    used = {key for block in section.blocks for key in block.field_keys()}
    assert used == {"chain.count"}
    assert not any(key.startswith(("chain.new-energy", "chain.union", "node.")) for key in document.fields)


def test_section_six_writes_the_date_not_today_when_its_status_date_has_passed(document: Document) -> None:
    """The 2023 下半年 tasks stand as on 2023-12-31; a measure due that day is not 今天到期 years later."""
    texts = [item.text for key, item in document.fields.items() if key.startswith("task.")]
    assert not [text for text in texts if "今天" in text]
    assert "于2023年12月31日到期（完成时限2023年12月31日）" in texts
    section = next(item for item in document.sections if item.key == "tasks")
    assert not [b.id for b in section.blocks if "今天" in document.text_of(b.segments)]


def test_a_status_date_that_is_today_keeps_today() -> None:
    from datetime import date

    from yuanqu.workreport.writing import dated

    due = "今天到期（完成时限2023年12月31日）"
    assert dated(due, date(2023, 12, 31), date(2023, 12, 31)) == due
    assert dated(due, date(2023, 12, 31), date(2024, 1, 2)) == "于2023年12月31日到期（完成时限2023年12月31日）"
    assert dated("节点“开工”今天到期", date(2023, 11, 30), date(2024, 1, 2)) == "节点“开工”于2023年11月30日到期"
