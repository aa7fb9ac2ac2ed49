"""Every page, for every demo role, writes numbers, dates and names the office way.

The pages come from the URL conf itself: every pattern without arguments is rendered, so a
page another module adds later is checked without touching this file; patterns with
arguments are rendered with a demo object where ``SAMPLES`` names one. A page fails on

* an amount with more than two decimals (11.7000亿元, 5913752.7380),
* a rate with two decimals (12.60%),
* an ASCII code where the platform has a Chinese name (an indicator, stage, category, role,
  department, zone or chain code, a glossary term's name in code) in what a user reads,
* an ``<input type=date>`` whose value is not an ISO date (the browser rejects 2026/12/01),
* an ``<input type=number>`` prefilled with padded decimals (10.3000, 100.00, 0.00 to edit),
* a login name as the label of a drop-down's option (``leader`` for 王主任),

and on any server error, for any role.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from yuanqu.accounts.demo import DEMO_USERS
from yuanqu.accounts.roles import Role

# Names in code of the glossary's terms (DOMAIN.md); the indicators' codes come from the database.
GLOSSARY_CODES = [
    "gdp", "industrial_value_added", "industrial_output", "industrial_invoiced_sales", "fixed_asset_investment",
    "retail_sales", "trade_total", "budget_revenue", "fiscal_capacity", "yoy", "cumulative", "in_month",
    "comparable_prices", "same_scope", "time_progress", "contribution", "uscc", "above_scale", "above_limit",
    "per_mu", "chain_leader", "chain_master", "supervision",
]  # fmt: skip
# Not pages: the API (JSON), Django's admin (its own screens) and the machine-readable schema.
SKIPPED_PREFIXES = ("/api/v1/", "/admin/")
# Addresses that only send a visitor on: the old overdue list (now supervision's), the service
# centre's entrance (each role to its own page) and the second-factor step of a login in progress.
ONLY_REDIRECTS = {"/projects/overdue/", "/service/", "/accounts/login/verify/"}
AMOUNT_TOO_PRECISE = re.compile(r"(?<![\d.])\d[\d,]*\.\d{3,}(?![\d.])")
RATE_TWO_DECIMALS = re.compile(r"(?<![\d.])\d[\d,]*\.\d{2}\s*%")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PADDED_NUMBER = re.compile(r"^-?\d+\.\d*0$")
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """The demo zone, loaded once for this module, with a work report drafted and issued (the
    demo has none) so that the draft and version pages are read too."""
    from yuanqu.core.models import Place
    from yuanqu.periods import Period
    from yuanqu.workreport.models import ReportVersion
    from yuanqu.workreport.services import draft_create, draft_issue

    if not ReportVersion.objects.exists():
        author = User.objects.get(username="statistician")
        draft = draft_create(zone=Place.objects.get(code="yz-etdz"), period=Period(2023, 1, 6), actor=author)
        draft_issue(draft=draft, actor=author)


class Page(HTMLParser):
    """What a user reads on a page (text and labelling attributes), and its date inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.date_values: list[str | None] = []
        self.number_values: list[str] = []
        self.options: list[str] = []  # the labels of drop-downs' options
        self._skipping = 0
        self._option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"script", "style", "template"}:
            self._skipping += 1
        if tag == "input" and attributes.get("type") == "date":
            self.date_values.append(attributes.get("value"))
        if tag == "input" and attributes.get("type") == "number" and attributes.get("value"):
            self.number_values.append(str(attributes["value"]))
        if tag == "option":
            self._close_option()
            self._option = []
        self.texts.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._skipping:
            self._skipping -= 1
        if tag in {"option", "select", "optgroup", "datalist"}:
            self._close_option()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(data.strip())
            if self._option is not None:
                self._option.append(data.strip())

    def close(self) -> None:
        super().close()
        self._close_option()

    def _close_option(self) -> None:
        if self._option is not None:
            self.options.append(" ".join(self._option))
            self._option = None


def forbidden_codes() -> set[str]:
    """Every code that has a Chinese name: choice values of every model, and the named objects."""
    from yuanqu.chains.models import Chain
    from yuanqu.core.models import Department, Place
    from yuanqu.indicators.models import Indicator

    codes = set(GLOSSARY_CODES) | {role.value for role in Role}
    for model in apps.get_app_configs():
        if not model.name.startswith("yuanqu"):
            continue
        for each in model.get_models():
            for item in each._meta.get_fields():
                if isinstance(item, models.Field) and item.choices:
                    codes |= {str(value) for value, _ in item.flatchoices if isinstance(value, str)}
    for named in (Indicator, Department, Place, Chain):
        codes |= set(named.objects.values_list("code", flat=True))
    # A user's login name is an account identifier the user types, shown as such (用户名：…, the
    # user menu's 姓名（username）); the demo's happen to spell some role and choice codes
    # (statistician, supervisor, window). A login name standing for a person in a drop-down is
    # caught by the options' own check.
    codes -= login_names()
    # Codes made only of a word a page writes in Chinese context anyway are kept: what matters is
    # a code standing alone as a word of Latin letters, digits, dashes and underscores.
    return {code for code in codes if re.fullmatch(r"[a-z][a-z0-9_\-]{2,}", code)}


def login_names() -> set[str]:
    return set(User.objects.values_list("username", flat=True))


def code_pattern(codes: set[str]) -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(code) for code in codes), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_\-./])(?:{words})(?![A-Za-z0-9_\-./])")


# -- which pages ----------------------------------------------------------------------------


def _first(model: str, **filters: Any) -> Any:
    return apps.get_model(model).objects.filter(**filters).order_by("pk").first()


def _project_kwargs() -> dict[str, Any]:
    """A signed project: its page has the stage move form with a date."""
    return {"pk": _first("projects.Project", stage="signed").pk}


def _claimable_kwargs() -> dict[str, Any]:
    return {"pk": _first("projects.Project", stage="land").pk}


def _chain_kwargs() -> dict[str, Any]:
    return {"code": _first("chains.Chain").code}


def _node_kwargs() -> dict[str, Any]:
    node = _first("chains.ChainNode", parent__isnull=False)
    return {"code": node.chain.code, "node_id": node.pk}


def _request_kwargs() -> dict[str, Any]:
    """An assigned request its chain's leader still handles: the page with the deadline input."""
    return {"pk": _first("chains.EnterpriseRequest", status="assigned", chain__leader__username="chainleader").pk}


def _pk(model: str, **filters: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"pk": _first(model, **filters).pk}


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "indicators:provenance": lambda: {"code": "gdp"},
    "indicators:drilldown": lambda: {"code": "industrial_invoiced_sales"},
    "projects:project": _project_kwargs,
    "projects:claim": _claimable_kwargs,
    "projects:edit": _project_kwargs,
    "chains:workbench": _chain_kwargs,
    "chains:node": _node_kwargs,
    "chains:request": _request_kwargs,
    "chains:request_new": _chain_kwargs,
    "service:case": _pk("service.Case", zone__code="yz-etdz"),
    "service:item": _pk("service.Item", zone__code="yz-etdz"),
    "supervision:task": _pk("supervision.Task"),
    "supervision:measure": _pk("supervision.Measure"),
    "supervision:measure_new": _pk("supervision.Task"),
    "workreport:draft": _pk("workreport.ReportDraft"),
    "workreport:version": _pk("workreport.ReportVersion"),
    "indicators:observation_review": _pk("indicators.Observation"),
}
# Query strings a page is also read with: the filters and searches people use.
VARIANTS: dict[str, list[str]] = {
    "indicators:drilldown": ["?period=2023-H1", "?period=2023-H1&q=扬州&new=1", "?period=2023-H1&page=2"],
    "indicators:provenance": ["?period=2023-H1"],
    "projects:board": ["?q=电池", "?category=manufacturing&stage=signed"],
    "projects:statistics": ["?period=2023-01~06&rule=bands"],
    "chains:overview": ["?period=2023-01~06"],
    "service:cases": ["?page=2", "?registered_from=2023-10-01&registered_to=2023-10-31", "?registered_from=x"],
    "service:search": ["?q=扬州", "?q=扬州&page=2"],
}


@dataclass
class Target:
    name: str
    url: str
    checked_roles: list[str] = field(default_factory=list)  # roles that opened it (or got a file)


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def pages() -> list[Target]:
    from django.urls import reverse

    targets = []
    for name, route, _ in _patterns(get_resolver()):
        has_arguments = "<" in route or "(" in route
        if has_arguments and name not in SAMPLES:
            continue
        url = reverse(name, kwargs=SAMPLES[name]() if has_arguments else None)
        if url.startswith(SKIPPED_PREFIXES):
            continue
        targets.append(Target(name, url))
        targets.extend(Target(name, url + query) for query in VARIANTS.get(name, []))
    return targets


def demo_clients() -> dict[str, Client]:
    clients = {"未登录": Client()}
    for username, _, role in DEMO_USERS:
        # With the second factor given, as the administrators must have it.
        clients[str(role.label)] = factories.signed_in(User.objects.get(username=username))
    return clients


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def problems_of(html: str, codes: re.Pattern[str], logins: re.Pattern[str] | None = None) -> list[str]:
    page = read(html)
    found = []
    if logins is not None:
        # A person named by the login name alone; 陈窗口（window） beside the name is fine.
        found += [
            f"login name as a choice: {option[:80]!r}"
            for option in page.options
            if logins.search(option) and not CHINESE.search(logins.sub("", option))
        ]
    for text in page.texts:
        found += [
            f"amount with more than two decimals: {m.group()!r} in {text[:80]!r}"
            for m in AMOUNT_TOO_PRECISE.finditer(text)
        ]
        found += [f"rate with two decimals: {m.group()!r} in {text[:80]!r}" for m in RATE_TWO_DECIMALS.finditer(text)]
        found += [f"code instead of its Chinese name: {m.group()!r} in {text[:80]!r}" for m in codes.finditer(text)]
    found += [
        f"date input value {value!r} is not ISO" for value in page.date_values if value and not ISO_DATE.match(value)
    ]
    found += [f"number input prefilled {value!r}" for value in page.number_values if PADDED_NUMBER.match(value)]
    return found


def test_every_page_writes_numbers_dates_and_names_the_office_way_for_every_role(demo: None) -> None:
    codes = code_pattern(forbidden_codes())
    logins = code_pattern(login_names())
    clients = demo_clients()
    targets = pages()
    failures: list[str] = []
    rendered = 0
    dates_filled = 0
    for target in targets:
        for role, client in clients.items():
            response = client.get(target.url)
            if response.status_code >= 500:
                failures.append(f"{target.url} as {role}: HTTP {response.status_code}")
                continue
            if response.status_code == 405 or "text/html" not in response.get("Content-Type", ""):
                target.checked_roles.append(role)  # an action (POST only) or a download, not a page
                continue
            if response.status_code in (301, 302, 403, 404):
                continue
            rendered += 1
            target.checked_roles.append(role)
            html = response.content.decode()
            failures += [f"{target.url} as {role}: {problem}" for problem in problems_of(html, codes, logins)]
            dates_filled += sum(1 for value in read(html).date_values if value)
    assert not failures, "\n".join(failures)
    unseen = [target.url for target in targets if not target.checked_roles and target.url not in ONLY_REDIRECTS]
    assert unseen == [], "pages no demo role can open: " + ", ".join(unseen)
    assert rendered >= 60
    assert dates_filled >= 2  # the stage move's date and the request's deadline at least


def test_the_checks_catch_what_they_are_for() -> None:
    codes = code_pattern({"gdp", "negotiating", "investment-bureau"})
    bad = (
        "<p>11.7000亿元 与 5,913,752.7380万元</p><td>12.60%</td><span title='阶段 negotiating'></span>"
        "<td>investment（investment-bureau）:60</td><input type='date' value='2026/12/01'><p>gdp</p>"
        "<input type='number' value='10.3000'><input type='number' value='100.00'><input type=number value='0.0'>"
    )
    problems = problems_of(bad, codes)
    assert len(problems) == 10, problems
    logins = code_pattern({"leader", "vice-chen"})
    choices = "<select><option value=''>---------</option><option value='3'>leader<option value='4'>vice-chen</select>"
    assert len(problems_of(choices, codes, logins)) == 2
    # Shown as the account's name on purpose: the user menu, the audit log, a 用户名 field.
    named = (
        "<span class='user'>王主任（leader）</span><td>vice-chen</td>"
        "<select><option value='3'>王主任</option><option value='4'>陈副主任（vice-chen）</option></select>"
    )
    assert problems_of(named, codes, logins) == []
    good = (
        "<p>11.7亿元、5,913,752.7万元、增长12.6%、拉动0.52个百分点，2026-12-01</p>"
        "<input type='date' value='2026-12-01'><input type='number' value='10.3'><input type='number' value='100'>"
        "<input type='number' value='0'><input type='number' value='0.05'><input type='number'>"
        "<a href='/indicators/gdp/provenance/'>地区生产总值</a><code>export.project_ledger</code>"
        "<script>var x = 11.7000;</script><td>192.168.100.1</td>"
    )
    assert problems_of(good, codes) == []
