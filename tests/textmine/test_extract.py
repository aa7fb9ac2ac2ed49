from decimal import Decimal

from yuanqu.textmine import extract


def facts_by_name(text):
    return {fact.indicator: fact for fact in extract(text)}


def test_it_reads_a_level_and_its_growth_from_the_next_clause():
    (fact,) = extract("1—6月，全区实现地区生产总值286.4亿元，同比增长6.2%。")
    assert (fact.indicator, fact.code, fact.period) == ("地区生产总值", "gdp", "1—6月")
    assert (fact.value, fact.unit, fact.growth_pct, fact.growth_basis) == (
        Decimal("286.4"),
        "亿元",
        Decimal("6.2"),
        "同比",
    )


def test_it_signs_declines_negative():
    facts = facts_by_name("全社会固定资产投资97.3亿元，下降4.1%；进口12.7亿美元，同比减少13.1%。")
    assert facts["全社会固定资产投资"].growth_pct == Decimal("-4.1")
    assert facts["进口"].growth_pct == Decimal("-13.1")
    assert facts["进口"].unit == "亿美元"


def test_it_reads_percentage_point_changes_with_their_direction_and_basis():
    facts = extract(
        "规模以上工业增加值增长9.8%，增速比一季度加快1.6个百分点；"
        "8月当月，规上工业总产值同比下降3.4%，降幅比7月收窄2.1个百分点；"
        "1—8月，规上工业总产值增长1.9%，增速比1—7月回落0.4个百分点。"
    )
    assert [fact.growth_pp for fact in facts] == [Decimal("1.6"), Decimal("2.1"), Decimal("-0.4")]
    assert "pp basis: 比一季度" in (facts[0].note or "")
    assert [fact.period for fact in facts[1:]] == ["8月当月", "1—8月"]


def test_it_distributes_respectively_lists_in_order_and_completes_the_shared_head():
    facts = extract("高端装备、新材料和生物医药产业产值分别增长18.6%、9.3%和-2.5%。")
    assert [(fact.indicator, fact.growth_pct) for fact in facts] == [
        ("高端装备产业产值", Decimal("18.6")),
        ("新材料产业产值", Decimal("9.3")),
        ("生物医药产业产值", Decimal("-2.5")),
    ]


def test_it_applies_an_all_growth_to_every_item_with_its_qualifier():
    facts = extract("限额以上批发、零售、住宿和餐饮业销售额（营业额）均增长8%左右。")
    assert [fact.indicator for fact in facts] == [
        "限额以上批发业销售额",
        "限额以上零售业销售额",
        "限额以上住宿业营业额",
        "限额以上餐饮业营业额",
    ]
    assert {(fact.growth_pct, fact.qualifier) for fact in facts} == {(Decimal(8), "左右")}


def test_it_reads_growth_in_times_and_doubling():
    facts = facts_by_name("新能源汽车产量增长2.1倍。规上服务业营业收入42.7亿元，翻了一番。")
    assert facts["新能源汽车产量"].growth_pct == 210
    assert facts["规上服务业营业收入"].growth_pct == 100


def test_a_threshold_in_a_category_name_is_not_a_value():
    facts = extract("签约亿元以上项目41个，总投资约465亿元，其中百亿元以上项目2个、50亿元以上项目3个。")
    assert [(fact.indicator, fact.count, fact.value) for fact in facts] == [
        ("签约亿元以上项目", 41, None),
        ("签约亿元以上项目总投资", None, Decimal(465)),
        ("百亿元以上项目", 2, None),
        ("50亿元以上项目", 3, None),
    ]
    assert facts[1].qualifier == "约"
    assert "其中/subset" in (facts[2].note or "")


def test_later_items_of_a_project_list_keep_the_stage_of_the_first():
    facts = extract("上半年实质性开工工业项目35个、技改项目93个、重点城建项目44个。")
    assert [fact.indicator for fact in facts] == ["实质性开工工业项目", "实质性开工技改项目", "实质性开工重点城建项目"]


def test_it_reads_chinese_numerals():
    facts = facts_by_name("全年完成工业开票销售一千二百三十五亿元，比上年增长百分之九点六；新增规上工业企业四十二家。")
    assert (facts["工业开票销售"].value, facts["工业开票销售"].growth_pct) == (1235, Decimal("9.6"))
    assert (facts["新增规上工业企业"].count, facts["新增规上工业企业"].count_unit) == (42, "家")


def test_a_milestone_gives_way_to_the_exact_figure():
    (fact,) = extract("规上工业产值突破一千亿元，达到一千零八十七亿元。")
    assert (fact.value, fact.qualifier) == (1087, None)


def test_it_marks_targets_with_their_year_and_qualifier():
    facts = facts_by_name("2024年主要预期目标是：地区生产总值增长7%左右；工业开票销售力争突破800亿元。")
    assert facts["地区生产总值"].kind == "target"
    assert facts["地区生产总值"].period == "2024年"
    assert (facts["工业开票销售"].value, facts["工业开票销售"].qualifier) == (800, "突破")


def test_it_reads_full_width_digits_and_separators_and_keeps_an_absolute_change_as_a_note():
    (total, firms) = extract(
        "截至９月末，全区市场主体总量达１２，５８６户，较年初净增１，０３２户，其中企业６，４０５户，增长１３．８％。"
    )
    assert (total.count, total.count_unit, total.period) == (12586, "户", "截至9月末")
    assert "abs_change: +1032户" in (total.note or "")
    assert (firms.count, firms.growth_pct) == (6405, Decimal("13.8"))


def test_shares_completion_and_contributions_get_their_own_kind():
    facts = extract(
        "一般公共预算收入18.06亿元，同口径增长3.2%，占全市比重为11.4%。"
        "实际使用外资3.2亿美元，完成年度目标的65%。规上工业增加值增长8.2%，拉动GDP增长3.1个百分点。"
    )
    kinds = {fact.indicator: fact.kind for fact in facts}
    assert kinds["一般公共预算收入占全市比重"] == "share"
    assert "completion" in kinds.values()
    assert "contribution" in kinds.values()
    assert facts[0].growth_basis == "同口径"


def test_a_gap_to_a_benchmark_is_not_a_change_of_growth():
    (fact,) = extract("地区生产总值增长6.5%，增速高于全市平均水平1.2个百分点。")
    assert fact.growth_pp is None


def test_numbers_in_quoted_slogans_are_not_facts():
    assert extract("潘学元提出“7个新”，统筹推进“五个环境”建设。") == []


def test_counts_of_industries_and_parks_are_not_facts():
    assert extract("打造10个特色产业园。") == []


def test_a_count_may_precede_what_it_counts():
    (fact,) = extract("政务服务“一站式”办理、9个服务专区“无差别”受理。")
    assert (fact.indicator, fact.count) == ("服务专区", 9)


def test_spans_point_at_the_numbers_in_the_original_text():
    text = "一【yī】季度，完成【chéng】工业投【tóu】资42.5億元，增长２６．３％。"
    (fact,) = extract(text)
    begin, end = fact.span
    assert text[begin:end] == "42.5億元，增长２６．３％"
