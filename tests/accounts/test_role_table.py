"""What each demo user may open, page by page: the README's table "Logging in", as the code enforces it.

A change to a role's reach changes this table and the README's together.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import signed_in
from yuanqu.projects.models import StartEvidence

H1 = "zone=yz-etdz&period=2023-H1"
USERS = [
    "leader",
    "statistician",
    "investment",
    "chainleader",
    "window",
    "supervisor",
    "reviewer",
    "centre",
    "department",
    "sysadmin",
    "secadmin",
    "auditor",
]
# page → the demo users who may open it (everyone else gets 403)
TABLE: dict[str, set[str]] = {
    f"/?{H1}": {"leader", "statistician", "investment", "chainleader", "window", "supervisor", "reviewer", "centre"},
    f"/indicators/industrial_invoiced_sales/provenance/?{H1}": {
        "leader", "statistician", "investment", "chainleader", "window", "supervisor", "reviewer", "centre",
    },
    f"/indicators/industrial_invoiced_sales/enterprises/?{H1}": {"statistician"},
    "/imports/": {"statistician"},
    "/chains/": {"leader", "statistician", "investment", "chainleader", "supervisor"},
    "/chains/new-energy/": {"leader", "statistician", "investment", "chainleader", "supervisor"},
    "/projects/": {"leader", "investment"},
    "/projects/statistics/?period=2023-H1": {"leader", "investment"},
    "/projects/starts/": {"leader", "investment"},
    "/supervision/": {"leader", "supervisor"},
    "/supervision/overdue/": {"leader", "investment", "supervisor"},
    "/supervision/mine/": {"department"},
    "/service/window/": {"window"},
    "/service/review/": {"reviewer"},
    "/service/dashboard/": {"leader", "centre"},
    "/service/catalogue/": {"leader", "window", "reviewer", "centre"},
    "/projects/ledger/": {"investment"},
    "/projects/evidence/start/{evidence}/": {"leader", "investment"},
    "/accounts/audit/": {"auditor"},
    "/reports/": {"leader", "statistician", "investment", "chainleader", "window", "supervisor", "reviewer", "centre"},
}  # fmt: skip


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """The module's loaded demo zone and its users."""


@pytest.mark.parametrize("page", list(TABLE))
def test_each_page_opens_for_the_roles_the_readme_lists_and_no_other(demo: None, page: str) -> None:
    url = page.format(evidence=StartEvidence.objects.values_list("pk", flat=True).first())
    answers = {}
    for username in USERS:
        answers[username] = signed_in(User.objects.get(username=username)).get(url).status_code
    # An evidence record without a file is 404 to those allowed; an administrator asking for the
    # dashboard is sent to their own tool.
    allowed = {username for username, status in answers.items() if status in {200, 404}}
    assert allowed == TABLE[page], sorted(allowed)
    assert all(answers[username] in {403, 302} for username in set(USERS) - allowed), answers


def test_the_supervisor_cannot_download_project_evidence(demo: None) -> None:
    evidence = StartEvidence.objects.first()
    assert evidence is not None
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get(f"/projects/evidence/start/{evidence.pk}/").status_code == 403
