"""The yuanqu command as a user runs it."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import city_with_districts

pytestmark = pytest.mark.django_db

SEED_PARAGRAPH = (
    "上半年，完成地区生产总值375.3亿元，增长8.3%；规模以上工业增加值增长11.5%；工业开票销售564.4亿元，增长7.4%；"
    "全社会固定资产投资121.8亿元，增长15.1%；社会消费品零售总额59.6亿元，增长14.2%；进出口总额142.3亿元，增长12.6%；"
    "主要经济指标位居全市前列"
)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_scorecard_prints_the_seed_paragraph_with_the_actual_ranks(demo: None) -> None:
    text = run("scorecard", "--zone", "yz-etdz", "--period", "2023-H1")
    assert text.startswith(SEED_PARAGRAPH)
    assert "全社会固定资产投资、进出口总额增幅列全市第1位" in text
    assert "工业开票销售增幅列全市第3位" in text


def test_the_scorecard_as_json_carries_the_same_figures(demo: None) -> None:
    data = json.loads(run("scorecard", "--period", "2023-H1", "--format", "json"))
    by_code = {item["code"]: item for item in data["figures"]}
    assert by_code["gdp"]["value"] == 375.3
    assert by_code["gdp"]["growth_pct"] == 8.3
    assert by_code["gdp"]["growth_price_basis"] == "real"
    assert by_code["industrial_invoiced_sales"]["computed"]["current_yuan"] == 56_440_000_000
    assert by_code["industrial_invoiced_sales"]["computed"]["growth_label"] == "同口径，含新入库企业"
    assert by_code["industrial_invoiced_sales"]["computed"]["continuing_growth_pct"] == pytest.approx(7.1, abs=0.05)
    assert data["completeness_label"] == ""
    assert by_code["trade_total"]["rank"]["position"] == 1
    assert data["paragraph"].startswith(SEED_PARAGRAPH)


def test_explain_traces_each_number_to_its_source(demo: None) -> None:
    text = run("scorecard", "--period", "2023-H1", "--explain")
    assert "扬州经开区2023年上半年“成绩单”" in text
    assert "第2段" in text
    assert "同口径计算（同口径，含新入库企业，累计，现价）：2023年1—6月规上企业307家" in text
    assert "15家企业填报上年同期、2家新投产（上年无生产，按零计）" in text
    assert "不含新入库企业（280家，上年同期也在规上库）：增长7.1%" in text
    assert "（示例）" in text  # peers' invented figures are labelled


def test_a_scorecard_for_an_unknown_period_is_a_clear_error(demo: None) -> None:
    with pytest.raises(CommandError, match="无法识别所属期"):
        run("scorecard", "--period", "2023-H3")


def test_the_demo_loads_twice_without_change(demo: None) -> None:
    text = run("demo", "load")
    assert "与库中数据相同，无变化" in text


def test_a_rejected_import_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    city_with_districts("z")
    path = tmp_path / "bad.csv"
    path.write_text("统一社会信用代码,企业名称\n123,某企业\n", encoding="utf-8")
    errors = StringIO()
    # A CommandError is what makes the yuanqu command exit with a non-zero status.
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import", "enterprise-monthly", str(path), "--zone", "z", stderr=errors)
    assert "bad.csv 第1行“所属期”列：缺少此列" in errors.getvalue()


def test_template_writes_an_excel_file(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    run("template", "enterprise-monthly", str(out))
    assert out.read_bytes().startswith(b"PK")
