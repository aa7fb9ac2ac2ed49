from decimal import Decimal

from yuanqu.textmine.numbers import chinese_value, find_quantities


def only(text):
    (quantity,) = find_quantities(text)
    return quantity


def test_it_reads_thousands_separators():
    assert only("达12,586户").value == 12586


def test_it_keeps_the_scale_word_in_the_unit():
    quantity = only("存款余额1.02万亿元")
    assert (quantity.value, quantity.unit) == (Decimal("1.02"), "万亿元")


def test_it_reads_units_that_begin_like_a_scale():
    quantity = only("工业用电量23.7亿千瓦时")
    assert (quantity.value, quantity.unit) == (Decimal("23.7"), "亿千瓦时")


def test_it_reads_chinese_numerals_in_the_scale_the_text_uses():
    quantity = only("六十三亿五千万元")
    assert (quantity.value, quantity.unit) == (Decimal("63.5"), "亿元")
    assert only("一千零八十七亿元").value == 1087


def test_it_reads_chinese_percentages():
    assert only("增长百分之九点六").value == Decimal("9.6")


def test_it_reads_negative_growth_written_with_a_sign():
    assert only("增长-5.2%").value == Decimal("-5.2")


def test_it_does_not_read_a_month_range_as_a_negative_number():
    assert find_quantities("1-6月，1—8月") == []


def test_it_tells_percentage_points_from_counts():
    assert only("加快1.6个百分点").kind == "pp"
    assert only("项目41个").kind == "count"
    assert find_quantities("用时3个月") == []


def test_it_reads_doubling():
    assert only("翻了一番").value == 100
    assert only("翻两番").value == 300


def test_it_reads_ranges():
    quantity = only("增长6%-8%")
    assert (quantity.value, quantity.high) == (6, 8)


def test_a_bare_scale_word_is_not_a_number():
    assert find_quantities("签约亿元以上项目") == []


def test_it_leaves_numerals_it_cannot_read():
    assert chinese_value("点点") is None


def test_it_reads_chinese_numerals_with_a_decimal_before_the_scale():
    quantity = only("五百三十二点六八亿元")
    assert (quantity.value, quantity.unit) == (Decimal("532.68"), "亿元")


def test_it_reads_zhao_as_the_scale_above_yi():
    quantity = only("三兆四千二百亿元")
    assert (quantity.value, quantity.unit) == (Decimal("3.42"), "兆元")


def test_a_compound_magnitude_keeps_the_larger_scale():
    assert (only("3兆1,250亿元").value, only("3兆1,250亿元").unit) == (Decimal("3.125"), "兆元")
    assert (only("18万2,460人").value, only("18万2,460人").unit) == (Decimal("18.246"), "万人")


def test_it_reads_tenths_written_with_cheng():
    assert (only("增长一成八").kind, only("增长一成八").value) == ("percent", 18)
    assert only("下降两成").value == 20
    assert find_quantities("一成立就签约") == []


def test_it_reads_numerals_written_digit_by_digit_and_twenty_as_nian():
    assert chinese_value("二〇一九") == 2019
    assert chinese_value("廿七") == 27
    assert chinese_value("三千五") == 3500


def test_it_keeps_a_per_unit_tail_and_reads_renminbi_as_yuan():
    assert only("均价412.5元/吨").unit == "元/吨"
    assert only("投资强度318.6万元/亩").unit == "万元/亩"
    assert only("五十八点三亿元人民币").unit == "亿元"


def test_a_number_before_a_clause_break_is_kept_bare():
    assert only("增长37。").kind == "bare"


def test_numbers_listed_before_the_one_with_the_unit_share_it():
    assert [(q.kind, q.value) for q in find_quantities("分别提高2.4、0.8、5.1个百分点")] == [
        ("pp", Decimal("2.4")),
        ("pp", Decimal("0.8")),
        ("pp", Decimal("5.1")),
    ]
