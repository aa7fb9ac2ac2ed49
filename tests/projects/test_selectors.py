from datetime import date
from decimal import Decimal

import pytest

from tests.projects.factory import a_department, a_project, a_zone, an_officer
from yuanqu.periods import Period
from yuanqu.projects.models import Category, PipelineRules, ProjectCredit, Stage, StageLimit
from yuanqu.projects.selectors import board, overdue_projects, pipeline_statistics
from yuanqu.projects.writing import counting_rule_note, growth_sentence, paragraph

pytestmark = pytest.mark.django_db
H1_2023 = Period(2023, 1, 6)
MANUFACTURING = Category.ADVANCED_MANUFACTURING


def signed(zone, code, investment, category=MANUFACTURING, day=date(2023, 3, 1), **kw):  # type: ignore[no-untyped-def]
    return a_project(zone, code, investment=investment, category=category, reached={Stage.SIGNED: day}, **kw)


def test_the_paragraph_counts_tiers_under_the_zone_rule_and_says_which_rule() -> None:
    zone = a_zone()
    # Manufacturing, 亿元: 120 and 105 (百亿), 60 (50亿), 3 and 2 (亿元以上), 0.5 (below 1亿: not a 重点项目).
    for code, amount in [("M1", "120"), ("M2", "105"), ("M3", "60"), ("M4", "3"), ("M5", "2"), ("M6", "0.5")]:
        signed(zone, code, amount)
    signed(zone, "S1", "52", Category.MODERN_SERVICES)
    signed(zone, "S2", "0.4", Category.MODERN_SERVICES)
    signed(zone, "OLD", "500", day=date(2022, 12, 31))  # outside the period
    statistics = pipeline_statistics(zone=zone, period=H1_2023)
    assert paragraph(statistics) == (
        "上半年签约亿元以上先进制造业重点项目5个，总投资约290亿元，其中百亿元以上项目2个、50亿元以上项目3个；"
        "新签约现代服务业项目2个、总投资约52亿元，其中50亿元以上项目1个。"
        "上半年实质性开工工业项目0个、技改项目0个、重点城建项目0个。"
    )
    assert "“50亿元以上”包含“百亿元以上”的项目" in counting_rule_note(statistics)

    bands = pipeline_statistics(zone=zone, period=H1_2023, counting_rule="bands")
    assert "其中百亿元以上项目2个、50亿元至百亿元项目1个；" in paragraph(bands)
    assert "互不重叠" in counting_rule_note(bands)

    PipelineRules.objects.filter(zone=zone).update(counting_rule="bands")
    assert "50亿元至百亿元项目1个" in paragraph(pipeline_statistics(zone=zone, period=H1_2023))


def test_substantive_starts_are_counted_by_category_on_the_confirmed_start_date() -> None:
    zone = a_zone()
    a_project(zone, "I1", substantive_start_on=date(2023, 2, 1))
    a_project(zone, "I2", substantive_start_on=date(2023, 6, 30))
    a_project(zone, "I3", substantive_start_on=date(2023, 7, 1))  # second half
    a_project(zone, "T1", category=Category.TECHNICAL_RENOVATION, substantive_start_on=date(2023, 1, 1))
    a_project(zone, "U1", category=Category.URBAN_CONSTRUCTION, substantive_start_on=date(2023, 5, 5))
    a_project(zone, "U2", category=Category.URBAN_CONSTRUCTION, started_on=date(2023, 5, 5))  # not confirmed
    statistics = pipeline_statistics(zone=zone, period=H1_2023)
    assert paragraph(statistics).endswith("上半年实质性开工工业项目2个、技改项目1个、重点城建项目1个。")


def test_the_funnel_gives_conversion_rates_and_median_days_between_stages() -> None:
    zone = a_zone()
    s, r, st, c, p = Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING
    a_project(
        zone,
        "A",
        reached={
            s: date(2023, 1, 1),
            r: date(2023, 1, 11),
            st: date(2023, 3, 2),
            c: date(2023, 9, 1),
            p: date(2023, 10, 1),
        },
    )
    a_project(zone, "B", reached={s: date(2023, 2, 1), r: date(2023, 2, 21), st: date(2023, 5, 2)})
    a_project(zone, "C", reached={s: date(2023, 3, 1), r: date(2023, 4, 10)})
    a_project(zone, "D", reached={s: date(2023, 4, 1)})
    statistics = pipeline_statistics(zone=zone, period=H1_2023, as_of=date(2023, 12, 31))
    steps = [(step.label, step.count, step.rate_pct, step.median_days) for step in statistics.funnel]
    # 4 signed; 3 registered (75%); 2 started (2/3); 1 completed (50%); 1 producing (100%).
    # Days signed→registered: 10, 20, 40 → median 20; registered→started: 50, 70 → 60.
    assert steps[0] == ("签约", 4, None, None)
    assert steps[1] == ("注册", 3, Decimal(75), Decimal(20))
    assert steps[2][:2] == ("开工", 2) and round(steps[2][2], 1) == Decimal("66.7") and steps[2][3] == Decimal(60)
    assert steps[3] == ("竣工", 1, Decimal(50), Decimal(183))
    assert steps[4] == ("投产", 1, Decimal(100), Decimal(30))
    # As of the end of June, the completion in September has not happened yet.
    early = pipeline_statistics(zone=zone, period=H1_2023, as_of=date(2023, 6, 30))
    assert [step.count for step in early.funnel] == [4, 3, 2, 0, 0]


def test_the_leaderboard_splits_shared_credit_between_two_officers() -> None:
    zone = a_zone()
    bureau = a_department(zone)
    zhang, sun = an_officer("zhang", "张招商"), an_officer("sun", "孙招商")
    shared = signed(zone, "P1", "10")
    alone = signed(zone, "P2", "4")
    ProjectCredit.objects.create(project=shared, officer=zhang, department=bureau, share_pct=Decimal(60))
    ProjectCredit.objects.create(project=shared, officer=sun, department=bureau, share_pct=Decimal(40))
    ProjectCredit.objects.create(project=alone, officer=sun, department=bureau, share_pct=Decimal(100))
    statistics = pipeline_statistics(zone=zone, period=H1_2023)
    board_rows = [
        (line.name, line.projects, line.credited_count, line.credited_investment_yi) for line in statistics.officers
    ]
    # 孙: 0.4 × 10 + 1 × 4 = 8亿 over 1.4 projects; 张: 0.6 × 10 = 6亿 over 0.6.
    assert board_rows == [("孙招商", 2, Decimal("1.4"), Decimal("8")), ("张招商", 1, Decimal("0.6"), Decimal("6"))]
    assert [(line.name, line.credited_count) for line in statistics.departments] == [("招商局", Decimal(2))]


def test_growth_is_stated_against_the_same_period_a_year_earlier() -> None:
    zone = a_zone()
    signed(zone, "N1", "30")
    signed(zone, "N2", "20")
    signed(zone, "O1", "40", day=date(2022, 5, 1))
    signed(zone, "S1", "2", Category.MODERN_SERVICES)
    statistics = pipeline_statistics(zone=zone, period=H1_2023)
    assert growth_sentence(statistics) == (
        "与上年同期相比，签约亿元以上先进制造业项目增加1个、总投资增长25.0%；"
        "现代服务业项目增加1个、总投资上年同期为零，不计算增速；实质性开工项目持平。"
    )


def test_a_project_past_its_stage_limit_turns_yellow_then_red() -> None:
    zone = a_zone()
    StageLimit.objects.filter(zone=zone, stage=Stage.SIGNED).update(yellow_after_days=30, red_after_days=60)
    a_project(zone, "G", reached={Stage.SIGNED: date(2023, 5, 20)})  # 11 days: within the limit
    a_project(zone, "Y", reached={Stage.SIGNED: date(2023, 4, 1)})  # 60 days: past 30, not past 60
    a_project(zone, "R", reached={Stage.SIGNED: date(2023, 3, 1)})  # 91 days: past 60
    a_project(zone, "Y2", reached={Stage.SIGNED: date(2023, 4, 20)})  # 41 days
    today = date(2023, 5, 31)
    column = next(column for column in board(zone=zone, today=today) if column.stage == Stage.SIGNED)
    assert [(card.project.code, card.colour) for card in column.cards] == [
        ("R", "red"),
        ("Y", "yellow"),
        ("Y2", "yellow"),
        ("G", "green"),
    ]
    assert column.overdue == 3
    assert [(card.project.code, card.colour) for card in overdue_projects(zone=zone, today=today)] == [
        ("R", "red"),
        ("Y", "yellow"),
        ("Y2", "yellow"),
    ]
