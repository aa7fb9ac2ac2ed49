"""No Excel download runs a formula: text people typed that starts with = + - @ stays text.

The demo zone, with a zone, an enterprise, a project, a chain, a service item, the departments,
the supervision measures and an audit row given names that Excel would otherwise run as formulas
(OWASP's CSV/formula injection); every Excel export the web offers is downloaded and opened.
"""

import csv
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client
from openpyxl import load_workbook

from tests import factories
from tests.projects.factory import a_project
from yuanqu.chains.models import Chain
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.importing import ENTERPRISE_COLUMNS
from yuanqu.indicators.models import Enterprise, EnterpriseMonth
from yuanqu.projects.models import Project
from yuanqu.service.models import Case, Item
from yuanqu.supervision.models import Measure
from yuanqu.workreport.models import ReportDraft, ReportVersion

HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "=cmd|' /c calc'!A1"
PLUS = "+1+cmd|' /c calc'!A1"
MINUS = "-1+cmd|' /c calc'!A1"
AT = "@SUM(1+1)*cmd|' /c calc'!A1"
ZONE = "yz-etdz"
H1 = "period=2023-01~06"


@pytest.fixture
def hostile(demo: None) -> None:
    """The demo with names that look like formulas, in the zone whose exports are downloaded."""
    zone = Place.objects.get(code=ZONE)
    Place.objects.filter(pk=zone.pk).update(name=HYPERLINK + "开发区", short_name=CALC)  # in the titles (A1)
    in_scope = EnterpriseMonth.objects.filter(zone=zone, year=2023, month=6, above_scale=True)
    Enterprise.objects.filter(pk=in_scope.order_by("enterprise_id").values("enterprise_id")[:1]).update(name=CALC)
    project = a_project(zone, "YZKF-HOSTILE", name=PLUS, contacts=AT)
    Project.objects.filter(pk=project.pk).update(investor=MINUS)
    Chain.objects.filter(pk=Chain.objects.filter(zone=zone).order_by("code").values("pk")[:1]).update(name=AT)
    june = Case.objects.filter(zone=zone, accepted_on__year=2023, accepted_on__month=6)
    Item.objects.filter(pk=june.order_by("item_id").values("item_id")[:1]).update(name=HYPERLINK)
    Department.objects.filter(zone=zone).update(name=Concat(Value("-"), F("name")))
    Measure.objects.filter(task__zone=zone).update(title=Concat(Value("+"), F("title")))
    audit_record(action="auth.login", summary=AT, actor=None)


def statistician() -> Client:
    return factories.signed_in(factories.a_statistician())


def leader() -> Client:
    return factories.signed_in(factories.a_leader())


def import_preview() -> bytes:
    client = statistician()
    rows = [
        [header for header, _, _ in ENTERPRISE_COLUMNS],
        [factories.enterprise_code(9901), CALC, "2023-06", "是", "", "1", "", "", "", ""],
        [factories.enterprise_code(9902), HYPERLINK, "2023-06", "是", "", "1", "", "", "", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = SimpleUploadedFile("六月.csv", buffer.getvalue().encode())
    page = client.post("/imports/", {"kind": "enterprise-monthly", "zone": ZONE, "mode": "add", "file": upload})
    assert page.status_code == 200 and page.context["report"].enterprises_created == 2
    response = client.get(f"/imports/preview.xlsx?token={page.context['token']}")
    assert response.status_code == 200
    return response.content


def work_report_annex() -> bytes:
    writer = statistician()
    assert writer.post("/reports/new/", {"zone": ZONE, "period": "2023-01~06", "as_of": ""}).status_code == 302
    assert leader().post(f"/reports/drafts/{ReportDraft.objects.get().pk}/issue/").status_code == 302
    response = writer.get(f"/reports/versions/{ReportVersion.objects.get().pk}/download/xlsx/")
    assert response.status_code == 200
    return response.content


def get(user: Callable[[], User], url: str) -> Callable[[], bytes]:
    def download() -> bytes:
        response = factories.signed_in(user()).get(url)
        assert response.status_code == 200, url
        return response.content

    return download


def person(username: str, role: str) -> Callable[[], User]:
    return lambda: factories.person(username, role)


EXPORTS: dict[str, tuple[Callable[[], bytes], set[str]]] = {
    # export: (download it, the texts some cell must hold or start with, as they were typed)
    "drill-down": (
        get(factories.a_statistician, f"/indicators/industrial_output/enterprises/?zone={ZONE}&{H1}&format=xlsx"),
        {CALC, HYPERLINK},
    ),
    "project ledger": (get(factories.a_leader, "/projects/ledger/export.xlsx"), {PLUS, MINUS, AT, HYPERLINK}),
    "chains": (get(factories.a_leader, f"/chains/?{H1}&format=xlsx"), {AT, HYPERLINK}),
    "import preview": (import_preview, {CALC, HYPERLINK}),
    "audit log": (get(factories.an_audit_admin, "/accounts/audit/export/"), {AT}),
    "service scorecard": (get(factories.a_leader, "/service/exports/scorecard.xlsx?period=2023-06"), {HYPERLINK}),
    "service cases": (
        get(person("persona-centre", "service_manager"), "/service/exports/cases.xlsx?period=2023-06"),
        {HYPERLINK},
    ),
    "service catalogue": (get(factories.a_leader, "/service/catalogue/export.xlsx"), {HYPERLINK, "-"}),
    "supervision bulletin": (
        get(factories.a_supervisor, "/supervision/bulletin/?month=2023-12&format=xlsx"),
        {CALC, "+", "-"},
    ),
    "work report annex": (work_report_annex, {AT, HYPERLINK}),
}


@pytest.mark.parametrize("export", EXPORTS)
def test_no_export_writes_a_formula_and_every_text_is_kept(hostile: None, export: str) -> None:
    download, expected = EXPORTS[export]
    book = load_workbook(io.BytesIO(download()))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [f"{cell.parent.title}!{cell.coordinate}: {cell.value}" for cell in cells if cell.data_type == "f"]
    assert formulas == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in sorted(expected) if not any(value.startswith(text) for value in texts)] == []
