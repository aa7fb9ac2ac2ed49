from yuanqu.textmine.periods import period_at, period_months, western_year


def period(text):
    found = period_at(text, 0, len(text))
    return found[0] if found else None


def test_it_reads_months_in_chinese_numerals_and_ranges_from_the_first_month():
    assert period("元至八月，") == "元至八月"
    assert period("一至十一月") == "一至十一月"
    assert period("1～4月") == "1～4月"


def test_it_reads_dates_spans_from_the_start_of_the_year_and_the_present():
    assert period("截至5月20日") == "截至5月20日"
    assert period("今年以来") == "今年以来"
    assert period("截至目前") == "截至目前"
    assert period("当月") == "当月"


def test_the_same_period_of_last_year_is_a_basis_not_a_period():
    assert period("去年同期") is None
    assert period("上年同期") is None
    assert period("去年全年") == "去年全年"


def test_years_in_chinese_numerals_and_the_taiwan_calendar():
    assert period("二〇一二年上半年") == "二〇一二年上半年"
    assert western_year("二〇一二年上半年") == 2012
    assert western_year("101年度") == 2012
    assert western_year("上半年") is None


def test_the_months_a_period_covers():
    assert period_months("前三季度") == (1, 9)
    assert period_months("三季度") == (7, 9)
    assert period_months("元至八月") == (1, 8)
    assert period_months("9月当月") == (9, 9)
    assert period_months("截至5月20日") == (1, 5)
    assert period_months("2019年") == (1, 12)
    assert period_months("今年以来") is None
