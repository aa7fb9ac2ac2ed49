"""Content-Security-Policy, templates without inline script, refusals logged as one line, check --deploy."""

import io
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from yuanqu.core.logging import ExpectedRefusalFilter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "yuanqu" / "templates"


def policy(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/api/v1/me", "/no-such-page/"])
def test_every_response_has_a_self_only_policy_without_inline_script(path: str) -> None:
    directives = policy(Client().get(path))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe-eval" not in str(directives) and "http" not in str(directives)
    assert directives["style-src"] == "'self'"


def test_signed_in_pages_carry_the_policy_too() -> None:
    client = factories.signed_in(factories.a_statistician())
    assert "script-src 'self'" in client.get("/imports/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_handler_or_style() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\s(on[a-z]+|style)=\"", text)]
        offenders += [f"{path.name}: <style>" for _ in re.finditer(r"<style\b", text)]
    assert offenders == []


def test_progress_bars_and_auto_submitting_selects_use_data_attributes() -> None:
    card = (TEMPLATES / "indicators" / "_card.html").read_text(encoding="utf-8")
    assert "data-bar-width" in card and "data-tick-left" in card
    assert "data-autosubmit" in (TEMPLATES / "service" / "cases.html").read_text(encoding="utf-8")
    script = (ROOT / "src" / "yuanqu" / "static" / "yuanqu" / "workspace.js").read_text(encoding="utf-8")
    assert "data-autosubmit" in script and "data-bar-width" in script


def test_an_expected_refusal_is_logged_as_one_line() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ExpectedRefusalFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = factories.signed_in(factories.a_leader()).get("/accounts/audit/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 403
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stream.getvalue()
    assert "/accounts/audit/" in lines[0] and "user=persona-leader" in lines[0] and "您的角色无权访问此页面" in lines[0]


def test_the_console_handler_of_the_settings_uses_the_filter() -> None:
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["expected_refusals"]


def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The variables the README's deployment section exports.
    exported = re.search(r"^export (.+)$", readme, re.MULTILINE)
    assert exported is not None
    names = {pair.split("=", 1)[0] for pair in exported.group(1).split()}
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "YUANQU_HTTPS", "YUANQU_HSTS_SECONDS"} <= names
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "YUANQU_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="yuanqu.example.gov.cn",
        YUANQU_HTTPS="true",
        YUANQU_HSTS_SECONDS="31536000",
        YUANQU_VAR_DIR=str(tmp_path),
        DEBUG="false",
        PYTHONPATH=str(ROOT / "src"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "yuanqu", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
