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


def numbers(fact):
    return (fact.value, fact.unit, fact.growth_pct, fact.growth_pp, fact.count)


# --- a level and its growth are one fact -------------------------------------------------------


def test_a_growth_written_before_the_level_is_the_same_fact():
    (fact,) = extract("前三季度，全区进出口总额增长11.4%，达86.2亿美元。")
    assert numbers(fact) == (Decimal("86.2"), "亿美元", Decimal("11.4"), None, None)


def test_an_absolute_change_between_level_and_growth_is_a_note():
    (fact,) = extract("全年实现税收收入42.7亿元，比上年增加3.1亿元，增长7.8%。")
    assert numbers(fact) == (Decimal("42.7"), "亿元", Decimal("7.8"), None, None)
    assert "abs_change: +3.1亿元" in (fact.note or "")


def test_revenue_gained_is_a_change_not_the_level():
    (fact,) = extract("非税收入18436万元，较上年同期增收1207万元，增长7.0%。")
    assert numbers(fact) == (Decimal(18436), "万元", Decimal("7.0"), None, None)


def test_a_growth_in_the_next_sentence_or_group_with_the_subject_left_out():
    (first,) = extract("1—10月，全县规上工业增加值96.3亿元。同比增长5.4%。")
    assert numbers(first) == (Decimal("96.3"), "亿元", Decimal("5.4"), None, None)
    (second,) = extract("合同外资额6.2亿美元；增长了1.5倍。")
    assert second.growth_pct == 150


def test_a_growth_for_another_period_after_a_figure_is_that_figure_in_that_period():
    facts = extract("一季度，全区工业投资同比增长9.1%。二季度同比增长4.6%。")
    assert [(fact.indicator, fact.period, fact.growth_pct) for fact in facts] == [
        ("工业投资", "一季度", Decimal("9.1")),
        ("工业投资", "二季度", Decimal("4.6")),
    ]


def test_a_share_or_a_completion_between_a_figure_and_its_growth_does_not_end_the_figure():
    facts = extract("实际利用外资2.6亿美元，完成年度任务4亿美元的65%，占全市比重18.2%，同比增长21.3%。")
    actual = next(fact for fact in facts if fact.kind == "level")
    assert numbers(actual) == (Decimal("2.6"), "亿美元", Decimal("21.3"), None, None)
    target = next(fact for fact in facts if fact.kind == "target")
    assert (target.indicator, target.value) == ("实际利用外资", 4)


# --- lists ------------------------------------------------------------------------------------


def test_places_listed_before_a_verb_each_get_their_own_figures():
    facts = extract("甲区、乙区和丙区分别完成工业投资31.5亿元、22.8亿元和9.4亿元，分别增长8.2%、5.5%、-1.3%。")
    assert [(fact.entity, fact.value, fact.growth_pct) for fact in facts] == [
        ("甲区", Decimal("31.5"), Decimal("8.2")),
        ("乙区", Decimal("22.8"), Decimal("5.5")),
        ("丙区", Decimal("9.4"), Decimal("-1.3")),
    ]
    assert {fact.indicator for fact in facts} == {"工业投资"}


def test_a_list_split_by_a_comma_or_broken_by_a_line_is_one_list():
    for text in (
        "智能装备、新型显示，软件信息产业营业收入分别增长9.2%、4.7%和13.5%。",
        "智能装备、新型显示、软件信息\n产业营业收入分别增长9.2%、4.7%和13.5%。",
    ):
        facts = extract(text)
        assert [(fact.indicator, fact.growth_pct) for fact in facts] == [
            ("智能装备产业营业收入", Decimal("9.2")),
            ("新型显示产业营业收入", Decimal("4.7")),
            ("软件信息产业营业收入", Decimal("13.5")),
        ]


def test_a_list_with_fewer_values_than_items_gives_no_figure():
    assert extract("家具、家电、建材、五金类商品零售额分别增长4.4%、6.1%、2.0%。") == []


def test_respectively_after_several_figures_distributes_over_them():
    facts = extract("全年水产品产量5620吨，水果产量13840吨，茶叶产量860吨，分别比上年增长3.4%、6.0%、1.2%。")
    assert [(fact.indicator, fact.value, fact.growth_pct) for fact in facts] == [
        ("水产品产量", 5620, Decimal("3.4")),
        ("水果产量", 13840, Decimal("6.0")),
        ("茶叶产量", 860, Decimal("1.2")),
    ]


def test_a_growth_list_as_long_as_the_figures_distributes_without_respectively():
    facts = extract("城乡居民人均可支配收入分别达到45210元、23980元，增长5.1%、6.8%。")
    assert [(fact.indicator, fact.value, fact.growth_pct) for fact in facts] == [
        ("城镇居民人均可支配收入", 45210, Decimal("5.1")),
        ("农村居民人均可支配收入", 23980, Decimal("6.8")),
    ]


def test_a_measure_written_after_respectively_is_every_items():
    facts = extract("生猪、肉牛、家禽分别出栏3.2万头、860头、12.6万只。")
    assert [(fact.indicator, fact.value, fact.unit) for fact in facts] == [
        ("生猪出栏", Decimal("3.2"), "万头"),
        ("肉牛出栏", 860, "头"),
        ("家禽出栏", Decimal("12.6"), "万只"),
    ]


def test_a_collective_noun_distributes_over_the_facts_it_names():
    facts = extract(
        "其中，电子产业实现增加值12.1亿元，增长8.0%；纺织产业实现增加值6.3亿元，下降2.1%。"
        "两大产业增速分别比一季度提高1.5、3.2个百分点。"
    )
    assert [(fact.indicator, fact.growth_pp) for fact in facts] == [
        ("电子产业增加值", Decimal("1.5")),
        ("纺织产业增加值", Decimal("3.2")),
    ]


def test_a_numeral_counting_the_listed_items_is_no_count():
    facts = extract("造纸、印刷、包装三个行业增加值均增长4%。")
    assert [(fact.indicator, fact.growth_pct, fact.count) for fact in facts] == [
        ("造纸行业增加值", 4, None),
        ("印刷行业增加值", 4, None),
        ("包装行业增加值", 4, None),
    ]


def test_one_indicator_over_a_list_of_periods():
    facts = extract("一季度、上半年和前三季度工业增加值增速分别为7.7%、6.9%和6.4%。")
    assert [(fact.indicator, fact.period, fact.growth_pct) for fact in facts] == [
        ("工业增加值", "一季度", Decimal("7.7")),
        ("工业增加值", "上半年", Decimal("6.9")),
        ("工业增加值", "前三季度", Decimal("6.4")),
    ]


def test_a_list_with_one_number_is_one_category_unless_every_item_is_an_indicator():
    (category,) = extract("规模以上石油、煤炭及其他燃料加工业增加值增长3.3%。")
    assert category.indicator == "规模以上石油、煤炭及其他燃料加工业增加值"
    pair = extract("到2027年，工业开票销售、规上工业产值均超3000亿元。")
    assert [fact.indicator for fact in pair] == ["工业开票销售", "规上工业产值"]


def test_the_subjects_of_the_clause_before_a_respectively():
    facts = extract("新能源汽车产业和集成电路产业增势强劲，产值增速分别为31.2%和18.4%。")
    assert [(fact.indicator, fact.growth_pct) for fact in facts] == [
        ("新能源汽车产业产值", Decimal("31.2")),
        ("集成电路产业产值", Decimal("18.4")),
    ]


# --- elliptical items -------------------------------------------------------------------------


def test_items_after_a_breakdown_borrow_the_measure_and_population():
    facts = extract(
        "1—6月，全区规模以上工业增加值增长5.2%。分行业看，规模以上化学原料制造业增加值增长9.6%，"
        "食品制造业增长3.1%，印刷业下降4.0%。"
    )
    assert [fact.indicator for fact in facts] == [
        "规模以上工业增加值",
        "规模以上化学原料制造业增加值",
        "规模以上食品制造业增加值",
        "规模以上印刷业增加值",
    ]


def test_a_bare_measure_takes_the_stem_of_the_figure_before_it():
    facts = extract("全年建筑业总产值46300万元，增加值12100万元，增长4.4%。")
    assert [fact.indicator for fact in facts] == ["建筑业总产值", "建筑业增加值"]


def test_a_place_alone_carries_the_previous_indicator_over():
    facts = extract("一季度甲区实际使用外资2.1亿美元，增长9.0%；综合保税区0.8亿美元，增长3.5%。")
    assert [(fact.indicator, fact.entity, fact.value) for fact in facts] == [
        ("实际使用外资", "甲区", Decimal("2.1")),
        ("实际使用外资", "综合保税区", Decimal("0.8")),
    ]


def test_a_heading_names_what_its_items_break_down():
    facts = extract("规上工业总产值：国有企业工业总产值8.2亿元，增长3.0%；民营企业完成总产值15.6亿元，增长7.1%。")
    assert [(fact.indicator, fact.entity, fact.value) for fact in facts] == [
        ("工业总产值", "国有企业", Decimal("8.2")),
        ("工业总产值", "民营企业", Decimal("15.6")),
    ]


def test_an_industry_named_before_its_figures_owns_them():
    facts = extract("服务业利用外资快速增长，合同外资额为3.3亿美元，增长40%。")
    assert [(fact.indicator, fact.value) for fact in facts] == [("服务业合同外资额", Decimal("3.3"))]


# --- numbers as they are written --------------------------------------------------------------


def test_chinese_numerals_throughout_a_sentence():
    (fact,) = extract("今年上半年，全县实现生产总值一百二十八点四亿元，比去年同期增长百分之七点三。")
    assert numbers(fact) == (Decimal("128.4"), "亿元", Decimal("7.3"), None, None)


def test_a_number_the_scraper_destroyed_gives_no_fact():
    assert extract("全区实现地区生产总值亿元，同比增长%。") == []
    facts = extract("规上工业销售收入368.21+015.62亿元，同比增长12.3418+0%。")
    assert facts == []


def test_a_percent_sign_lost_in_scraping_is_still_a_growth():
    (fact,) = extract("全社会固定资产投资增长37。")
    assert fact.growth_pct == 37


def test_a_count_of_a_garbled_group_still_names_its_money():
    facts = extract("在谈项目12,345+06个，总投资48亿元。")
    assert [(fact.indicator, fact.value) for fact in facts] == [("在谈项目总投资", 48)]


# --- qualifiers, targets, projections ---------------------------------------------------------


def test_a_projection_is_a_note_not_a_target():
    (fact,) = extract("预计全年规上工业增加值增长6%左右。")
    assert fact.kind == "growth"
    assert "projection" in (fact.note or "") and fact.qualifier == "左右"


def test_target_words_inside_a_completion_phrase_make_no_target():
    facts = extract("签约项目完成全年目标的62%，新签约项目38个。")
    assert [(fact.indicator, fact.kind) for fact in facts if fact.is_scored] == [("新签约项目", "count")]


def test_a_task_amount_in_brackets_is_the_figures_target():
    facts = extract("2024年，引进重点企业14家（任务数12家）。")
    assert [(fact.count, fact.kind) for fact in facts] == [(14, "count"), (12, "target")]


# --- periods and entities ---------------------------------------------------------------------


def test_a_time_expression_inside_the_words_is_the_period():
    facts = extract("泰州和盐城上半年实际使用外资同比分别增长12%和9%。")
    assert [(fact.entity, fact.period, fact.growth_pct) for fact in facts] == [
        ("泰州", "上半年", 12),
        ("盐城", "上半年", 9),
    ]


def test_a_fact_never_takes_a_period_from_a_later_sentence():
    facts = extract("全区一般公共预算收入12.4亿元。1—5月，税收收入9.8亿元。")
    assert [fact.period for fact in facts] == [None, "1—5月"]


def test_a_district_before_the_indicator_is_the_entity_and_the_name_maps_to_the_catalogue():
    (fact,) = extract("2023年，宝应县实现地区生产总值820.6亿元，同比增长6.1%。")
    assert (fact.indicator, fact.code, fact.entity) == ("地区生产总值", "gdp", "宝应县")


def test_a_second_base_year_is_a_second_fact():
    facts = extract("上半年签约项目金额1260亿元，同比2022年增长35%、2021年增长12%。")
    assert [(fact.value, fact.growth_pct) for fact in facts] == [(1260, 35), (None, 12)]
    assert "basis: 比2021年" in (facts[1].note or "")


def test_a_reference_rate_in_brackets_is_the_same_indicator_in_its_period():
    facts = extract("1—9月，规上工业增加值增长3.1%，增速较上半年（4.0%）回落0.9个百分点。")
    assert [(fact.period, fact.growth_pct, fact.growth_pp) for fact in facts] == [
        ("1—9月", Decimal("3.1"), Decimal("-0.9")),
        ("上半年", Decimal("4.0"), None),
    ]


def test_a_decline_that_narrows_is_a_better_rate():
    (fact,) = extract("出口额下降6.2%，较一季度收窄1.8个百分点。")
    assert (fact.growth_pct, fact.growth_pp) == (Decimal("-6.2"), Decimal("1.8"))


# --- counts -----------------------------------------------------------------------------------


def test_a_count_is_named_by_the_noun_after_it_with_its_stage():
    facts = extract("全年新开工32个工业项目，18家外资企业落户。")
    assert [(fact.indicator, fact.count) for fact in facts] == [("新开工工业项目", 32), ("落户外资企业", 18)]


def test_the_set_a_subset_is_taken_from_is_no_new_count():
    facts = extract("签约的420个亿元以上项目中，10亿元以上项目57个。")
    assert [(fact.indicator, fact.count) for fact in facts] == [("10亿元以上项目", 57)]


def test_the_money_of_a_group_written_before_its_count():
    facts = extract("年内实施总投资48亿元的26项重点工程。")
    assert [(fact.indicator, fact.value, fact.count) for fact in facts] == [
        ("重点工程", None, 26),
        ("重点工程总投资", 48, None),
    ]


def test_a_groups_money_keeps_the_groups_name():
    facts = extract("外资项目86宗，合同利用外资额为9.4亿美元；贸易成交合同512宗，成交额7亿美元。")
    assert [(fact.indicator, fact.value, fact.count) for fact in facts] == [
        ("外资项目", None, 86),
        ("外资项目合同利用外资额", Decimal("9.4"), None),
        ("贸易成交额", 7, None),
    ]


def test_enterprises_counted_by_what_they_did():
    (fact,) = extract("全县有168户企业利润同比实现增长。")
    assert (fact.indicator, fact.count) == ("利润同比增长企业", 168)


def test_a_named_project_investment():
    facts = extract("主要包括投资32亿元的光伏组件项目、资金投资4.5亿元的冷链物流园项目等。")
    assert [(fact.indicator, fact.entity, fact.value) for fact in facts] == [
        ("项目投资", "光伏组件项目", 32),
        ("项目投资", "冷链物流园项目", Decimal("4.5")),
    ]


# --- what is not a fact -----------------------------------------------------------------------


def test_ranks_contributions_completions_gaps_and_two_year_averages_are_not_scored():
    facts = extract(
        "全区规上工业增加值增长7.8%，拉动GDP增长2.9个百分点，贡献率达41.3%，增速居全市第2位，"
        "完成年度目标的56%，增速好于全省0.6个百分点，两年平均增长5.4%。"
    )
    scored = [fact for fact in facts if fact.is_scored]
    assert [(fact.indicator, fact.growth_pct, fact.growth_pp) for fact in scored] == [
        ("规上工业增加值", Decimal("7.8"), None)
    ]


def test_counts_of_industries_indicators_areas_and_tasks_are_not_facts():
    assert extract("5项指标增速居全市前列，在12个县市区中排名第四，重点抓好六项工作。") == []


def test_a_base_value_a_conversion_and_a_multiple_of_another_quantity_are_not_facts():
    (base,) = extract("原煤产量412万吨，去年同期406万吨，同比增长1.5%。")
    assert numbers(base) == (412, "万吨", Decimal("1.5"), None, None)
    (converted,) = extract("人均生产总值86210元，按年平均汇率折算为12480美元。")
    assert converted.value == 86210
    assert all(not fact.is_scored for fact in extract("甲县招商额比乙县多出四倍。"))


def test_work_quantities_tiers_capacities_and_titles_are_not_figures():
    assert extract("完成荒山造林3200亩，河道绿化18.5公里。") == []
    assert extract("引进超五千万美元的外资项目6个。")[0].indicator == "引进超五千万美元的外资项目"
    assert extract("建设年产30万吨再生铝项目。") == []
    assert extract("印发《三年攻坚一千亿的实施方案》。") == []


def test_a_headline_the_body_repeats_is_one_fact():
    text = "园区上半年营业收入超800亿元\n上半年，园区实现营业收入812.6亿元，同比增长9.0%。"
    assert [fact.value for fact in extract(text)] == [Decimal("812.6")]
    again = extract("开发区一季度实现地区生产总值318.4亿\n一季度，开发区实现地区生产总值318.4亿元，增长6.6%。")
    assert [(fact.value, fact.unit) for fact in again] == [(Decimal("318.4"), "亿元")]


def test_a_price_index_moves_by_its_rate_and_growth_words_may_follow_the_rate():
    (index,) = extract("2025年预期目标：居民消费价格指数控制在3%以内。")
    assert (index.growth_pct, index.kind) == (3, "target")
    (services,) = extract("上半年，现代服务业保持了12%以上的增长速度。")
    assert (services.indicator, services.growth_pct, services.qualifier) == ("现代服务业", 12, "以上")
