from yuanqu.textmine import clean


def test_it_drops_pinyin_that_reads_the_character_before_it():
    assert clean("揚(yáng)州經(jīng)濟(jì)").text == "扬州经济"


def test_it_accepts_tone_numbers_toneless_and_capitals():
    assert clean("扬(yang2)州(ZHOU)").text == "扬州"


def test_it_accepts_full_width_and_lenticular_brackets():
    assert clean("一【yī】季度，企（qǐ）业").text == "一季度，企业"


def test_it_handles_u_umlaut_written_as_v():
    assert clean("绿(lǜ)色(se)绿(lv4)").text == "绿色绿"


def test_it_drops_a_reading_of_several_characters():
    assert clean("扬州(yángzhōu)经开区").text == "扬州经开区"


def test_it_keeps_real_parentheses():
    text = "地区生产总值(GDP)增长，新能源(含基础能源)产业"
    assert clean(text).text == text


def test_it_keeps_latin_words_that_are_not_the_reading():
    assert clean("值(yang)").text == "值(yang)"


def test_it_converts_traditional_to_simplified():
    assert clean("規模以上工業總產值").text == "规模以上工业总产值"


def test_it_normalises_full_width_numbers_but_keeps_chinese_punctuation():
    assert clean("１２，５８６户，增长１３．８％；").text == "12,586户，增长13.8%；"


def test_it_removes_spaces_next_to_chinese():
    assert clean("税收收入 27.36 亿元").text == "税收收入27.36亿元"


def test_it_drops_a_trailing_disclaimer_and_source_lines():
    text = "增长5%。\n来源：某某网\n责任编辑：张三\n免責聲明:本網轉載自其它媒體。\n如有侵权请联系。"
    assert clean(text).text.strip() == "增长5%。"


def test_it_maps_every_clean_character_back_to_the_original():
    original = "規(guī)模工業(yè)增加值增幅１１．５％"
    cleaned = clean(original)
    assert cleaned.text == "规模工业增加值增幅11.5%"
    start = cleaned.text.index("11.5%")
    begin, end = cleaned.original_span(start, start + 5)
    assert original[begin:end] == "１１．５％"
    assert original[cleaned.offsets[1]] == "模"


def test_it_drops_symbols_a_scraper_injected_into_words_and_numbers():
    assert clean("营业№收入同比增长1♂2.5%，居全省第→3位").text == "营业收入同比增长12.5%，居全省第3位"


def test_it_keeps_the_signs_reports_write():
    text = "墙地砖产量120万㎡，三次产业结构为4.1∶38.2∶57.7，气温25℃"
    assert clean(text).text == text


def test_it_drops_a_corner_bracket_without_its_partner_but_keeps_a_pair():
    assert clean("高新技术企『业达86家，「专精特新」企业12家").text == "高新技术企业达86家，「专精特新」企业12家"


def test_it_joins_a_number_broken_across_a_line_or_a_page_counter():
    assert clean("固定资产投资增长13.\n7%，总额24\n- 7 -\n6.3亿元").text == "固定资产投资增长13.7%，总额246.3亿元"


def test_it_does_not_join_numbers_that_are_not_one_number():
    assert clean("发布时间：2024- 03- 15 09: 30").text == "发布时间：2024- 03- 15 09: 30"
