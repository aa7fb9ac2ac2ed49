import json
import subprocess
import sys
from io import StringIO

from django.core.management import call_command


def run(*args):
    out = StringIO()
    call_command("textmine", *args, stdout=out)
    return out.getvalue()


def test_extract_prints_one_json_object_per_fact_with_the_document_name(tmp_path):
    report = tmp_path / "report.txt"
    text = "上半年，全区实现地区生产总值375.3亿元，增长8.3%。"
    report.write_text(text, encoding="utf-8")
    (record,) = [json.loads(line) for line in run("extract", str(report)).splitlines()]
    assert record["doc"] == "report.txt"
    assert (record["indicator"], record["value"], record["growth_pct"]) == ("地区生产总值", 375.3, 8.3)
    begin, end = record["span"]
    assert text[begin:end] == "375.3亿元，增长8.3%"


def test_extract_prints_a_table_on_request(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("工业投资增长26.3%。", encoding="utf-8")
    output = run("extract", "--format", "table", str(report))
    assert "工业投资\t" in output and "26.3" in output


def test_clean_prints_the_cleaned_text(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("揚(yáng)州", encoding="utf-8")
    assert run("clean", str(report)).strip() == "扬州"


def test_eval_prints_precision_recall_and_f1_per_document(tmp_path):
    (tmp_path / "doc01.txt").write_text("工业投资增长26.3%。", encoding="utf-8")
    gold = {"facts": [{"indicator": "工业投资", "value": None, "unit": None, "growth_pct": 26.3}]}
    (tmp_path / "doc01.expected.json").write_text(json.dumps(gold), encoding="utf-8")
    output = run("eval", str(tmp_path))
    assert "doc01" in output and "overall" in output and "1.000" in output


def test_the_package_imports_without_django():
    script = (
        "import sys; sys.modules['django'] = None\n"
        "from yuanqu.textmine import extract\n"
        "assert extract('工业投资增长26.3%。')\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
