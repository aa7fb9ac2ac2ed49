import re

from yuanqu.indicators.demo import _enterprise_name
from yuanqu.indicators.models import Enterprise


def test_demo_enterprises_have_distinct_names_that_read_like_company_names(demo: None) -> None:
    names = list(Enterprise.objects.filter(zone__code="yz-etdz").values_list("name", flat=True))
    assert len(names) == len(set(names)) >= 300
    assert not [name for name in names if re.search(r"\d", name)]  # no “84号有限公司”
    assert all(name.endswith("有限公司") for name in names)


def test_the_trade_names_do_not_repeat_within_the_first_480() -> None:
    trade_names = {_enterprise_name(index, "C3841")[2:4] for index in range(480) if index % 9 != 4}
    assert len(trade_names) == len([index for index in range(480) if index % 9 != 4])
