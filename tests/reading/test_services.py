"""Published reports become observations only after a statistician's review."""

from decimal import Decimal
from pathlib import Path

import pytest
from opencc import OpenCC

from tests.factories import city_with_districts, observation
from yuanqu.indicators.models import Indicator, Observation
from yuanqu.indicators.selectors import ranking
from yuanqu.periods import Period
from yuanqu.reading.services import IngestError, fact_period, observation_review, report_ingest
from yuanqu.textmine import Fact

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


def test_a_figure_of_another_place_in_the_report_is_skipped(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    text = "2023年上半年，全区实现地区生产总值286.4亿元，同比增长6.2%。邻县实现地区生产总值198.7亿元，增长5.1%。"
    report = report_ingest(path=write(tmp_path, text), zone=zone)
    assert report.stored == 1
    assert Observation.objects.get().value == Decimal("286.4")
    assert any("邻县" in skipped for skipped in report.skipped)


def test_the_named_place_is_the_zone_itself_when_it_is_the_one_uploaded_for(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")  # named z区
    report_ingest(path=write(tmp_path, "2023年上半年，z区实现地区生产总值88.2亿元，增长4.0%。"), zone=zone)
    assert Observation.objects.get(place=zone).value == Decimal("88.2")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("二〇二二年上半年", "2022-01~06"),
        ("111年度", "2022-01~12"),
        ("元至八月", "2023-01~08"),
        ("一至十一月", "2023-01~11"),
        ("1～3月", "2023-01~03"),
        ("9月当月", "2023-09"),
        ("截至5月末", "2023-01~05"),
        ("上年", "2022-01~12"),
    ],
)
def test_periods_are_read_as_reports_write_them(written: str, code: str) -> None:
    fact = Fact(
        "地区生产总值", "gdp", written, None, None, Decimal(5), None, None, None, None, "growth", None, None, (0, 0)
    )
    assert fact_period(fact, 2023).code == code


def test_a_period_without_months_is_an_error_not_a_guess() -> None:
    fact = Fact(
        "地区生产总值", "gdp", "今年以来", None, None, Decimal(5), None, None, None, None, "growth", None, None, (0, 0)
    )
    with pytest.raises(IngestError, match="无法识别时期"):
        fact_period(fact, 2023)
