"""The demo centre `make run` loads: a catalogue of at least 120 items over seven categories and nine zones."""

import pytest
from django.db.models import Count

from yuanqu.periods import Period
from yuanqu.service.models import Case, Item, ItemCategory, Presence, ServiceZone, Stage, Window
from yuanqu.service.selectors import centre_scorecard
from yuanqu.service.writing import centre_sentence


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """The suite's demo, loaded once for this module."""


def test_the_catalogue_covers_the_seven_categories_and_the_nine_zones(demo: None) -> None:
    items = Item.objects.filter(zone__code="yz-etdz")
    assert items.count() >= 120 and all(items.values_list("is_sample", flat=True))
    assert set(items.values_list("category", flat=True)) == set(ItemCategory.values)
    zones = list(ServiceZone.objects.filter(zone__code="yz-etdz").values_list("name", flat=True))
    assert zones == [
        "企业开办专区",
        "工程建设项目审批专区",
        "不动产登记专区",
        "社保医保专区",
        "税务专区",
        "公安专区",
        "人才与就业专区",
        "市场监管与许可专区",
        "综合服务专区",
    ]
    exempt = items.filter(presence=Presence.EXEMPT)
    assert exempt.count() == 3 and not exempt.filter(exemption_document="").exists()
    assert (
        Window.objects.filter(service_zone__zone__code="yz-etdz", kind=Window.Kind.COMPREHENSIVE)
        .values("service_zone")
        .distinct()
        .count()
        == 9
    )


def test_the_half_year_sentence_says_what_the_demo_supports(demo: None) -> None:
    card = centre_scorecard(zone=Item.objects.first().zone, period=Period(2023, 1, 6))
    total = card.items_total
    assert card.in_centre_total == total - 3
    assert centre_sentence(card).endswith("3项经批准暂不进驻；9个服务专区“无差别”受理。")
    assert card.count("accepted") == 1800


def test_the_window_clerk_has_work_in_the_queue(demo: None) -> None:
    stages = dict(Case.objects.filter(window__staff__username="window").values_list("stage").annotate(n=Count("id")))
    assert stages.get(Stage.ISSUED, 0) > 0
    assert sum(stages.get(stage, 0) for stage in (Stage.NOTIFIED, Stage.REVIEWING, Stage.DECIDED)) > 0
