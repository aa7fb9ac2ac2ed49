"""The seed article, as scraped, yields the zone's scorecard, projects, chain targets and goals."""

from decimal import Decimal

from tests.textmine.seed_article import PARAGRAPH_2, PARAGRAPH_3, PARAGRAPH_6, PARAGRAPH_7
from yuanqu.textmine import extract


def numbers(fact):
    return (fact.value, fact.unit, fact.growth_pct, fact.count)


def test_the_scorecard_paragraph_yields_all_six_indicators_with_value_and_growth():
    facts = {fact.code: fact for fact in extract(PARAGRAPH_2)}
    assert numbers(facts["gdp"]) == (Decimal("375.3"), "亿元", Decimal("8.3"), None)
    assert facts["industrial_value_added"].growth_pct == Decimal("11.5")
    assert numbers(facts["industrial_invoiced_sales"]) == (Decimal("564.4"), "亿元", Decimal("7.4"), None)
    assert numbers(facts["fixed_asset_investment"]) == (Decimal("121.8"), "亿元", Decimal("15.1"), None)
    assert numbers(facts["retail_sales"]) == (Decimal("59.6"), "亿元", Decimal("14.2"), None)
    assert numbers(facts["trade_total"]) == (Decimal("142.3"), "亿元", Decimal("12.6"), None)
    assert {fact.period for fact in facts.values()} == {"上半年"}


def test_the_projects_paragraph_yields_counts_and_investments_as_separate_facts():
    facts = [(fact.indicator, fact.count, fact.value) for fact in extract(PARAGRAPH_3)]
    assert facts == [
        ("签约亿元以上先进制造业重点项目", 41, None),
        ("签约亿元以上先进制造业重点项目总投资", None, 465),
        ("百亿元以上项目", 2, None),
        ("50亿元以上项目", 3, None),
        ("新签约现代服务业项目", 90, None),
        ("新签约现代服务业项目总投资", None, 120),
        ("50亿元以上项目", 1, None),
        ("实质性开工工业项目", 35, None),
        ("实质性开工技改项目", 93, None),
        ("实质性开工重点城建项目", 44, None),
    ]


def test_the_chain_paragraph_yields_the_2023_scale_targets():
    facts = extract(PARAGRAPH_6)
    assert [(fact.indicator, fact.value, fact.unit) for fact in facts] == [
        ("新能源(含基础能源)产业规模", 600, "亿元"),
        ("高端汽车零部件产业规模", 200, "亿元"),
        ("新光电产业规模", 100, "亿元"),
        ("高档轻工产业规模", 100, "亿元"),
        ("高端智能制造产业规模", 100, "亿元"),
    ]
    assert {(fact.kind, fact.period) for fact in facts} == {("target", "2023年")}


def test_the_goals_paragraph_yields_the_2025_targets_with_their_qualifiers():
    facts = extract(PARAGRAPH_7)
    assert [(fact.indicator, fact.value, fact.qualifier) for fact in facts] == [
        ("工业开票销售", 2000, "超"),
        ("规上工业产值", 2000, "超"),
        ("地区生产总值", 1000, "超"),
        ("综合财力", 100, "过"),
    ]
    assert {(fact.kind, fact.period) for fact in facts} == {("target", "到2025年")}
