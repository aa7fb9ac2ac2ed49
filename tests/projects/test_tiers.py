from decimal import Decimal

import pytest

from yuanqu.projects.tiers import BANDS, NESTED, count_tiers, rule_statement, tiers

THRESHOLDS = [Decimal(1), Decimal(10), Decimal(50), Decimal(100)]
# Hand-picked to sit on and around every threshold (亿元).
AMOUNTS = [Decimal(x) for x in ("0.5", "1", "9.9", "10", "50", "75", "100", "120")]


def as_table(rule: str) -> list[tuple[str, int, Decimal]]:
    return [(row.tier.label, row.count, row.investment_yi) for row in count_tiers(AMOUNTS, THRESHOLDS, rule)]


def test_nested_tiers_include_every_higher_tier_and_thresholds_count_as_reached() -> None:
    assert as_table(NESTED) == [
        ("百亿元以上", 2, Decimal("220")),  # 100, 120
        ("50亿元以上", 4, Decimal("345")),  # 50, 75, 100, 120
        ("10亿元以上", 5, Decimal("355")),  # + 10
        ("亿元以上", 7, Decimal("365.9")),  # + 1, 9.9; 0.5 is below every tier
    ]


def test_bands_count_each_project_once_from_its_threshold_up_to_the_next() -> None:
    assert as_table(BANDS) == [
        ("百亿元以上", 2, Decimal("220")),  # 100, 120
        ("50亿元至百亿元", 2, Decimal("125")),  # 50, 75
        ("10亿元至50亿元", 1, Decimal("10")),  # 10
        ("亿元至10亿元", 2, Decimal("10.9")),  # 1, 9.9
    ]
    assert sum(row[1] for row in as_table(BANDS)) == 7


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="计数口径"):
        tiers(THRESHOLDS, "overlapping")


def test_each_rule_is_stated_in_words_a_reader_cannot_misread() -> None:
    nested = rule_statement(NESTED, THRESHOLDS)
    assert "“50亿元以上”包含“百亿元以上”的项目" in nested and "不可相加" in nested
    bands = rule_statement(BANDS, THRESHOLDS)
    assert "互不重叠" in bands and "含X亿元、不含Y亿元" in bands and "可相加" in bands
