from decimal import Decimal
from pathlib import Path

import pytest

from yuanqu.textmine import evaluate_dir, evaluate_document, extract
from yuanqu.textmine.evaluate import GoldFact, name_similarity

DEV_SET = Path(__file__).resolve().parents[2] / ".." / "shared" / "textmine" / "dev"


def gold(indicator, value=None, unit=None, growth_pct=None, growth_pp=None, count=None):
    def number(x):
        return None if x is None else Decimal(x)

    return GoldFact(indicator, None, number(value), unit, number(growth_pct), number(growth_pp), number(count), None)


def test_names_match_across_spellings_of_the_same_indicator():
    assert name_similarity("规模以上工业增加值", "规上工业增加值") == 1.0
    assert name_similarity("GDP", "地区生产总值") == 1.0
    assert name_similarity("規模以上工業總產值", "规模以上工业总产值") == 1.0
    assert name_similarity("出口", "进口") < 0.8


def test_a_fact_matches_when_every_gold_number_agrees_at_the_gold_precision():
    facts = extract("全区实现地区生产总值375.30亿元，增长8.3%。")
    score = evaluate_document("doc", facts, [gold("地区生产总值", "375.3", "亿元", "8.3")])
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_a_wrong_number_is_both_a_miss_and_a_false_fact():
    facts = extract("全区实现地区生产总值375.3亿元，增长8.4%。")
    score = evaluate_document("doc", facts, [gold("地区生产总值", "375.3", "亿元", "8.3")])
    assert (score.matched, len(score.misses), len(score.false_facts)) == (0, 1, 1)
    assert "growth_pct" in score.misses[0]


def test_unscored_kinds_do_not_count_against_precision():
    facts = extract("一般公共预算收入18.06亿元，增长3.2%，占全市比重为11.4%。")
    score = evaluate_document("doc", facts, [gold("一般公共预算收入", "18.06", "亿元", "3.2")])
    assert (score.predicted, score.precision) == (1, 1.0)


@pytest.mark.skipif(not DEV_SET.is_dir(), reason="the dev set sits beside the project (../shared/textmine/dev)")
def test_the_dev_set_scores_at_least_095_f1():
    evaluation = evaluate_dir(DEV_SET)
    assert len(evaluation.documents) >= 9
    assert evaluation.overall.f1 >= 0.95, evaluation.report()


REAL_SET = Path(__file__).resolve().parents[2] / ".." / "shared" / "textmine" / "real"


@pytest.mark.skipif(not REAL_SET.is_dir(), reason="the real set sits beside the project (../shared/textmine/real)")
def test_the_real_set_scores_at_least_090_f1():
    evaluation = evaluate_dir(REAL_SET)
    assert len(evaluation.documents) >= 26
    assert evaluation.overall.f1 >= 0.90, evaluation.report()


def test_each_miss_and_false_fact_is_shown_with_the_sentence_it_came_from():
    text = "一季度，全区完成工业投资30.2亿元。上半年，全区实现进出口总额12.5亿美元，增长4.1%。"
    score = evaluate_document("doc", extract(text), [gold("进出口总额", "12.5", "亿美元", "4.4")], text)
    (miss,) = score.misses
    assert "«上半年，全区实现进出口总额12.5亿美元，增长4.1%。»" in miss
    assert any("«一季度，全区完成工业投资30.2亿元。»" in false_fact for false_fact in score.false_facts)
