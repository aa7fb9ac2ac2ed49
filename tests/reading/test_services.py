"""Published reports become observations only after a statistician's review."""

from decimal import Decimal
from pathlib import Path

import pytest
from opencc import OpenCC

from tests.factories import city_with_districts, observation
from yuanqu.indicators.models import Indicator, Observation
from yuanqu.indicators.selectors import ranking
from yuanqu.periods import Period
from yuanqu.reading.services import IngestError, observation_review, report_ingest

pytestmark = pytest.mark.django_db

REPORT = (
    "2023年上半年，全区实现地区生产总值286.4亿元，同比增长6.2%；规模以上工业增加值增长9.8%。"
    "社会消费品零售总额63.8亿元，增长7.0%。"
)


def write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_report_is_stored_as_unreviewed_observations_with_their_span(tmp_path: Path) -> None:
    _, (_zone, peer) = city_with_districts("z", "peer")
    report = report_ingest(path=write(tmp_path, REPORT), zone=peer)

    assert report.stored == 3
    gdp = Observation.objects.get(indicator__code="gdp")
    assert gdp.status == Observation.Status.UNREVIEWED
    assert (gdp.period, gdp.value, gdp.growth_pct) == ("2023-01~06", Decimal("286.4"), Decimal("6.2"))
    assert "286.4" in gdp.source_locator
    assert gdp.source.text == REPORT


def test_ingesting_the_same_report_twice_writes_nothing_more(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    report_ingest(path=write(tmp_path, REPORT), zone=zone)
    again = report_ingest(path=write(tmp_path, REPORT, "copy.txt"), zone=zone)
    assert again.already
    assert Observation.objects.count() == 3


def test_traditional_text_with_pinyin_gives_the_same_observations(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    traditional = OpenCC("s2t").convert(REPORT).replace("區", "區(qū)")
    report_ingest(path=write(tmp_path, traditional), zone=zone)
    assert Observation.objects.get(indicator__code="retail_sales").value == Decimal("63.8")


def test_only_accepted_figures_count_in_rankings(tmp_path: Path) -> None:
    _, (zone, peer) = city_with_districts("z", "peer")
    observation("gdp", zone, "2023-H1", growth="6.0")
    report_ingest(path=write(tmp_path, REPORT), zone=peer)
    gdp = Indicator.objects.get(code="gdp")

    before = ranking(zone=zone, indicator=gdp, period=Period(2023, 1, 6))
    observation_review(observation=Observation.objects.get(indicator=gdp, place=peer), decision="accept")
    after = ranking(zone=zone, indicator=gdp, period=Period(2023, 1, 6))

    assert (before.position, before.of) == (None, 1)  # the unreviewed peer figure does not count
    assert (after.position, after.of) == (2, 2)  # 6.2% is ahead of 6.0%


def test_a_correction_keeps_the_extracted_figure_on_record(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    report_ingest(path=write(tmp_path, REPORT), zone=zone)
    extracted = Observation.objects.get(indicator__code="retail_sales")

    corrected = observation_review(observation=extracted, decision="correct", growth_pct=Decimal("7.1"))

    extracted.refresh_from_db()
    assert extracted.status == Observation.Status.REJECTED
    assert (corrected.status, corrected.growth_pct, corrected.value) == ("accepted", Decimal("7.1"), Decimal("63.8"))
    with pytest.raises(IngestError, match="已审核"):
        observation_review(observation=extracted, decision="accept")


def test_a_rejected_figure_never_counts(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    report_ingest(path=write(tmp_path, REPORT), zone=zone)
    gdp = Observation.objects.get(indicator__code="gdp")
    observation_review(observation=gdp, decision="reject")
    assert not Observation.objects.accepted().exists()
