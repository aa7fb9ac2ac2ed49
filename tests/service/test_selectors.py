"""The centre's scorecard on a small catalogue, against counts made by hand."""

from datetime import date
from decimal import Decimal

import pytest

from tests.service.factory import Centre, a_clerk, a_reviewer, an_enterprise
from yuanqu.periods import Period
from yuanqu.service.models import Presence, Window
from yuanqu.service.selectors import centre_measure, centre_scorecard
from yuanqu.service.services import (
    case_decide,
    case_issue,
    case_register,
    case_request_supplement,
    case_supplement_received,
    evaluation_record,
)
from yuanqu.service.writing import centre_sentence, figures_sentence

OCTOBER = Period.month(2023, 10)


def register(centre: Centre, clerk: object, window: Window, item: object, on: date, materials: list[str]) -> object:
    return case_register(
        window=window,
        item=item,  # type: ignore[arg-type]
        applicant=an_enterprise(),
        materials_received=materials,
        outcome="accept",
        actor=clerk,
        on=on,
    )


@pytest.fixture
def october(centre: Centre) -> Centre:
    """Four cases accepted in October 2023: two at the 综合窗口, one at each 专窗.

    Completed in October: the two food licences (one with a 补正, one late) and the seal.
    Ratings: 非常满意, 基本满意, 不满意 (one 差评 of three).
    """
    clerk = a_clerk(centre, centre.any_window, centre.market_window, centre.police_window)
    reviewer = a_reviewer(centre.market)
    police = a_reviewer(centre.police, username="persona-police")
    food = register(centre, clerk, centre.any_window, centre.food, date(2023, 10, 9), ["申请表", "营业执照"])
    late = register(centre, clerk, centre.market_window, centre.food, date(2023, 10, 9), ["申请表", "营业执照"])
    company = register(centre, clerk, centre.any_window, centre.company, date(2023, 10, 10), ["申请表", "营业执照"])
    seal = register(centre, clerk, centre.police_window, centre.seal, date(2023, 10, 11), ["营业执照"])
    case_request_supplement(case=food, missing=["场所平面图"], actor=reviewer, on=date(2023, 10, 10))  # type: ignore[arg-type]
    case_supplement_received(case=food, actor=clerk, on=date(2023, 10, 11))  # type: ignore[arg-type]
    for case, decided, issued in (
        (food, date(2023, 10, 12), date(2023, 10, 13)),
        (late, date(2023, 10, 16), date(2023, 10, 17)),
    ):
        case_decide(case=case, decision="approve", actor=reviewer, on=decided)  # type: ignore[arg-type]
        case_issue(case=case, actor=clerk, on=issued)  # type: ignore[arg-type]
    case_decide(case=seal, decision="approve", actor=police, on=date(2023, 10, 11))  # type: ignore[arg-type]
    case_issue(case=seal, actor=clerk, on=date(2023, 10, 11))  # type: ignore[arg-type]
    evaluation_record(case=food, rating="5", actor=clerk, on=date(2023, 10, 13))  # type: ignore[arg-type]
    evaluation_record(case=late, rating="3", actor=clerk, on=date(2023, 10, 17))  # type: ignore[arg-type]
    evaluation_record(case=seal, rating="2", comment="等候时间长", actor=clerk, on=date(2023, 10, 11))  # type: ignore[arg-type]
    del company
    return centre


def test_the_entry_rate_and_the_any_window_share_equal_the_hand_count(october: Centre) -> None:
    card = centre_scorecard(zone=october.zone, period=OCTOBER, as_of=date(2023, 11, 30))
    # Catalogue: 4 items, 3 in the centre (食品经营许可, 公司设立登记, 印章刻制备案), 1 exempt.
    assert card.figures["entry_rate"].numerator == 3 and card.figures["entry_rate"].denominator == 4
    assert card.value("entry_rate") == Decimal(75)
    # Accepted: 4, at the 综合窗口: 2.
    assert card.value("accepted") == 4
    assert card.value("any_window_share") == Decimal(50)
    # Immediate: the seal, 1 of 4.
    assert card.value("immediate_share") == Decimal(25)


def test_completion_timeliness_one_visit_and_satisfaction_equal_the_hand_count(october: Centre) -> None:
    card = centre_scorecard(zone=october.zone, period=OCTOBER, as_of=date(2023, 11, 30))
    # Completed: food (accepted 9 Oct, paused (10, 11] = 1 day, issued 13 Oct: 10, 12, 13 = 3 days,
    # promised 3, on time), late food (9 → 17 Oct: 10, 11, 12, 13, 16, 17 = 6 days > 3), seal (0 days).
    assert card.value("completed") == 3
    assert card.value("on_time_rate") == Decimal(2) * 100 / 3
    assert card.value("completed_late") == 1
    # One visit: the late food and the seal had no 补正; the other food had one.
    assert card.value("one_visit_rate") == Decimal(2) * 100 / 3
    # Satisfied: 非常满意 and 基本满意 of 3 ratings.
    assert card.value("satisfaction_rate") == Decimal(2) * 100 / 3
    assert card.value("bad_ratings") == 1
    # Average elapsed (3 + 6 + 0) / 3 = 3; the 90th percentile of [0, 3, 6] by nearest rank is 6.
    assert card.value("average_days") == Decimal(3) and card.value("p90_days") == Decimal(6)
    food = next(line for line in card.item_times if line.code == "T-001")
    assert (food.completed, food.average_days, food.p90_days, food.late) == (2, Decimal("4.5"), 6, 1)
    assert [(line.department, line.completed_late) for line in card.departments] == [("市场监督管理局", 1)]
    # The company registration (accepted 10 Oct, promised 1: due 11 Oct) is still open on 31 October.
    assert card.value("open_overdue") == 1
    assert figures_sentence(card) == (
        "10月受理办件4件、办结3件，综合窗口受理占比50.0%，即办件占比25.0%，按时办结率66.7%，一次办成率66.7%，"
        "满意率66.7%，平均办理用时3.0个工作日；超期办结1件、超期未办结1件。"
    )


def test_the_measure_for_other_modules_is_the_scorecards_figure(october: Centre) -> None:
    assert centre_measure(october.zone, "entry_rate", OCTOBER) == Decimal(75)
    assert centre_measure(october.zone, "any_window_share", OCTOBER) == Decimal(50)
    assert centre_measure(october.zone, "any_window_share", Period.month(2023, 9)) is None  # no cases
    with pytest.raises(ValueError, match="unknown service-centre measure"):
        centre_measure(october.zone, "entry", OCTOBER)


def test_the_paragraph_4_sentence_appears_only_when_every_item_is_in_the_centre(centre: Centre) -> None:
    card = centre_scorecard(zone=centre.zone, period=OCTOBER)
    assert centre_sentence(card) == (
        "全区依申请六类行政权力事项和公共服务事项进驻率75.0%，1项经批准暂不进驻；2个服务专区中1个设综合窗口“无差别”受理。"
    )
    centre.blasting.presence = Presence.WINDOW
    centre.blasting.service_zone = centre.police_zone
    centre.blasting.save()
    card = centre_scorecard(zone=centre.zone, period=OCTOBER)
    assert "应进必进" in centre_sentence(card) and "2个服务专区中1个" in centre_sentence(card)
    Window.objects.create(service_zone=centre.police_zone, number="F02", kind=Window.Kind.COMPREHENSIVE)
    card = centre_scorecard(zone=centre.zone, period=OCTOBER)
    assert centre_sentence(card) == (
        "全区依申请六类行政权力事项和公共服务事项实现“应进必进”，政务服务“一站式”办理、2个服务专区“无差别”受理。"
    )


def test_an_item_not_yet_in_the_centre_is_said_so(centre: Centre) -> None:
    centre.company.presence = Presence.PENDING
    centre.company.save()
    sentence = centre_sentence(centre_scorecard(zone=centre.zone, period=OCTOBER))
    assert sentence.startswith("全区依申请六类行政权力事项和公共服务事项进驻率50.0%，1项经批准暂不进驻，1项尚未进驻；")


def test_the_scorecard_workbook_writes_rates_and_days_to_one_decimal_and_counts_as_integers(
    october: Centre,
) -> None:
    from datetime import datetime
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    from yuanqu.service.spreadsheets import scorecard_workbook

    card = centre_scorecard(zone=october.zone, period=OCTOBER, as_of=date(2023, 11, 30))
    content = scorecard_workbook(card=card, exported_at=timezone.make_aware(datetime(2023, 12, 1, 9)))
    book = load_workbook(BytesIO(content))
    summary = book["成绩单"]
    cells = {row[0].value: row[1] for row in summary.iter_rows(min_row=4) if row[0].value}
    # 2 of 3 completed on time: 66.666… → 66.7; 3 of 4 items in the centre: 75.0; 4 items, an integer.
    assert (cells["按时办结率"].value, cells["按时办结率"].number_format) == (66.7, "0.0")
    assert (cells["进驻率"].value, cells["进驻率"].number_format) == (75, "0.0")
    assert (cells["事项总数"].value, cells["事项总数"].number_format) == (4, "#,##0")
    assert isinstance(cells["事项总数"].value, int)
    # (3 + 6 + 0) / 3 = 3 working days, written 3.0.
    assert (cells["平均办理用时"].value, cells["平均办理用时"].number_format) == (3, "0.0")
    times = book["办理用时"]
    rows = {row[0].value: [cell.value for cell in row] for row in times.iter_rows(min_row=4) if row[0].value}
    # 食品经营许可: (3 + 6) / 2 = 4.5 days; promise (20 − 3) / 20 = 85.0%; actual (20 − 4.5) / 20 = 77.5%.
    assert rows["T-001"][6] == 4.5 and rows["T-001"][9:11] == [85, 77.5]
    assert times.cell(row=4, column=7).number_format == "0.0"
