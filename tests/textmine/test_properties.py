"""Properties that must hold for any text, and for any spelling of the same report."""

from decimal import Decimal

import opencc
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from yuanqu.textmine import clean, extract
from yuanqu.textmine.numbers import find_quantities

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

to_traditional = opencc.OpenCC("s2t")
to_simplified = opencc.OpenCC("t2s")

REPORT_ALPHABET = list(
    "0123456789.,%，、；：。（）()【】“”亿万元个家户项倍番翻百分之点一二三十增长下降同比其中分别均约超以上左右提高回落个百分点占比重年月季度全区实现完成yáng"
)

NAMES = [
    "地区生产总值",
    "规上工业增加值",
    "工业开票销售",
    "固定资产投资",
    "社会消费品零售总额",
    "进出口总额",
    "税收收入",
    "工业投资",
]
PROJECTS = ["签约亿元以上项目", "新开工项目", "新增高新技术企业"]
PERIODS = ["上半年", "1—6月", "一季度", "前三季度", "全年"]


@FAST
@given(st.text())
def test_clean_and_extract_never_raise_on_any_text(text):
    cleaned = clean(text)
    assert len(cleaned.offsets) == len(cleaned.text)
    extract(text)


@FAST
@given(st.text(alphabet=REPORT_ALPHABET, max_size=80))
def test_extract_never_raises_on_report_like_text(text):
    for fact in extract(text):
        assert 0 <= fact.span[0] <= fact.span[1] <= len(text)


decimals = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("9999.9"), places=1)


@st.composite
def reports(draw):
    """A short report in Simplified characters built from the phrasing real reports use."""
    sentences = []
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)):
        period = draw(st.sampled_from(PERIODS))
        value, growth = draw(decimals), draw(decimals)
        verb = draw(st.sampled_from(["增长", "下降", "同比增长", "增幅"]))
        sentences.append(f"{period}，全区实现{name}{value}亿元，{verb}{growth}%。")
    if draw(st.booleans()):
        project = draw(st.sampled_from(PROJECTS))
        count = draw(st.integers(min_value=1, max_value=500))
        sentences.append(f"{project}{count}个，总投资约{draw(decimals)}亿元。")
    return "".join(sentences)


def annotate(text, draw):
    """Traditional characters with a pinyin reading after some of them, as scraped pages show."""
    out = []
    for char in text:
        out.append(char)
        if "\u4e00" <= char <= "\u9fff" and draw(st.booleans()):
            style = draw(st.sampled_from([Style.TONE, Style.TONE3, Style.NORMAL]))
            reading = pinyin(char, style=style)[0][0]
            if reading != char:
                opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）"), ("【", "】")]))
                out.append(f"{opening}{reading}{closing}")
    return "".join(out)


@FAST
@given(reports(), st.data())
def test_pinyin_and_traditional_characters_change_no_fact(text, data):
    traditional = to_traditional.convert(text)
    assume(to_simplified.convert(traditional) == text)
    scraped = annotate(traditional, data.draw)
    assert [fact.without_span() for fact in extract(scraped)] == [fact.without_span() for fact in extract(text)]


def numbers_written_in(snippet):
    return {quantity.value for quantity in find_quantities(clean(snippet).text)}


@FAST
@given(reports(), st.data())
def test_every_span_holds_the_numbers_of_its_fact(text, data):
    scraped = annotate(to_traditional.convert(text), data.draw) if data.draw(st.booleans()) else text
    facts = extract(scraped)
    assert facts
    for fact in facts:
        written = numbers_written_in(scraped[fact.span[0] : fact.span[1]])
        for number in (fact.value, fact.count):
            assert number is None or number in written
        if fact.growth_pct is not None:
            assert fact.growth_pct in written or -fact.growth_pct in written
