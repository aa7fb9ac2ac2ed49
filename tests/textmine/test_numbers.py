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
