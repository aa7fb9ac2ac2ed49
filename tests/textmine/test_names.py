from yuanqu.textmine.names import NameParts, name_parts


def test_a_place_before_a_verb_is_the_entity():
    assert name_parts("宝应县实现地区生产总值") == NameParts("地区生产总值", "宝应县")


def test_a_place_before_a_catalogue_indicator_is_the_entity():
    assert name_parts("高邮市一般公共预算收入") == NameParts("一般公共预算收入", "高邮市")


def test_the_zone_name_is_the_entity():
    parts = name_parts("其中仪征经济开发区工业开票销售")
    assert (parts.name, parts.entity) == ("工业开票销售", "仪征经济开发区")


def test_words_naming_only_a_place_carry_the_indicator_over():
    assert name_parts("综合保税区") == NameParts("", "综合保税区", entity_only=True)


def test_a_population_before_a_verb_stays_in_the_name():
    assert name_parts("规模以上服务业企业实现营业收入").name == "规模以上服务业企业营业收入"
    assert name_parts("汽车零部件产业完成产值").name == "汽车零部件产业产值"


def test_a_population_the_indicator_restates_is_dropped():
    assert name_parts("规模以上工业企业完成规上工业总产值").name == "规上工业总产值"


def test_a_time_expression_inside_separates_the_subject():
    parts = name_parts("泰州和盐城上半年实际使用外资")
    assert parts == NameParts("实际使用外资", "泰州和盐城", "上半年")
    assert name_parts("海陵区2022年全年实现社会消费品零售总额") == NameParts(
        "社会消费品零售总额", "海陵区", "2022年全年"
    )


def test_existence_topic_and_reporter_words_are_not_part_of_the_name():
    assert name_parts("现有各类孵化器").name == "孵化器"
    assert name_parts("完成情况签约项目").name == "签约项目"
    assert name_parts("各乡镇上报的在谈项目").name == "在谈项目"
    assert name_parts("以新能源、新材料为主导的战略性新兴产业产值").name == "战略性新兴产业产值"


def test_examples_before_deng_and_a_list_before_its_collective():
    assert name_parts("甲公司、乙公司等龙头企业产值").name == "龙头企业产值"
    assert name_parts("纺织、机械和化工三大支柱产业增加值").name == "三大支柱产业增加值"


def test_latin_glosses_and_inclusion_notes_in_brackets_are_dropped():
    assert name_parts("生产总值(GDP)").name == "生产总值"
    assert name_parts("情况(包括综保区)签约项目").name == "签约项目"


def test_a_verb_stays_when_without_it_the_name_says_nothing():
    assert name_parts("累计完成投资").name == "累计完成投资"
    assert name_parts("完成项目").name == "完成项目"


def test_a_word_that_holds_a_verb_is_not_cut():
    assert name_parts("已落实现代物流项目").name == "已落实现代物流项目"
