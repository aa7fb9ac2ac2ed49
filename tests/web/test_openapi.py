"""The API against its own OpenAPI description: documented errors, and a bounded fuzzing run.

Schemathesis generates requests from the OpenAPI document, valid ones and invalid ones, and
checks each answer: no 5xx, a documented status, content type, headers and body. Here every
operation gets a few requests per persona, deterministically; ``bench/api_fuzz.py`` runs the
same with many more.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from yuanqu.accounts.services import token_create
from yuanqu.api import api
from yuanqu.indicators.models import Observation

OPENAPI = api.get_openapi_schema(path_prefix="/api/v1/")
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
SCHEMA.app = get_wsgi_application()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PERSONAS = ["statistician", "investment", "leader"]  # imports; projects and the ledger; aggregates
EXAMPLES = 3
FEWER = {"GET /api/v1/projects/ledger.xlsx": 1}  # each answer writes the whole ledger as a workbook
IMPORTS = ["/api/v1/imports/enterprise-monthly", "/api/v1/imports/observations", "/api/v1/projects/ledger"]


def operation_of(path: str, method: str = "post") -> dict[str, Any]:
    operation: dict[str, Any] = OPENAPI["paths"][path][method]
    return operation


@pytest.mark.parametrize("path", sorted(OPENAPI["paths"]))
def test_every_operation_documents_its_error_answers(path: str) -> None:
    for operation in OPENAPI["paths"][path].values():
        assert {400, 401, 403, 404, 422} <= {int(status) for status in operation["responses"]}


@pytest.mark.parametrize("path", IMPORTS)
def test_the_imports_document_a_malformed_request_as_a_rejected_file(path: str) -> None:
    responses = operation_of(path)["responses"]
    for status in (400, 404, 422):
        assert responses[str(status)]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/RejectedOut"
        }
    assert responses["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def importer(demo: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="statistician"))
    return client


@pytest.mark.parametrize(
    ("data", "column", "message"),
    [
        ({}, "file", "缺少参数 file"),
        (
            {"dry_run": "perhaps", "file": SimpleUploadedFile("a.csv", b"x")},
            "dry_run",
            "参数 dry_run 应为 true 或 false",
        ),
        ({"file": SimpleUploadedFile("a.txt", b"x")}, "file", "只接受 .xlsx 或 .csv 文件"),
    ],
)
def test_a_malformed_import_request_is_answered_as_a_rejected_file(
    importer: Client, data: dict[str, Any], column: str, message: str
) -> None:
    before = Observation.objects.count()
    response = importer.post("/api/v1/imports/observations", data)
    assert response.status_code in {400, 422}
    body = response.json()
    assert set(body) == {"detail", "issues"}
    assert body["issues"] == [{"row": 0, "column": column, "message": message}]
    assert Observation.objects.count() == before


def test_an_unknown_zone_or_an_unreadable_body_is_answered_the_same_way(importer: Client) -> None:
    unknown = importer.post(
        "/api/v1/imports/enterprise-monthly", {"zone": "nowhere", "file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert unknown.status_code == 404
    assert unknown.json()["issues"] == [{"row": 0, "column": "zone", "message": "未找到园区“nowhere”"}]
    broken = importer.generic("POST", "/api/v1/imports/observations", b"abc", content_type="multipart/form-data")
    assert broken.status_code == 400
    assert broken.json()["issues"][0]["message"].startswith("请求体无法读取")


def test_a_path_parameter_of_the_wrong_type_is_a_json_404(importer: Client) -> None:
    response = importer.get("/api/v1/projects/not-a-number")
    assert response.status_code == 404 and response.json() == {"detail": "未找到"}


@pytest.fixture
def tokens(demo: None) -> Iterator[dict[str, str]]:
    """A token per persona; requests go to the WSGI application itself, so, as Django's test
    client does, the end of a request must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {name: token_create(user=User.objects.get(username=name))[1] for name in PERSONAS}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    """A few generated requests for one operation, the same ones on every run."""

    @settings(
        max_examples=FEWER.get(operation.label, EXAMPLES),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_requests_get_no_5xx_and_answers_as_documented(
    tokens: dict[str, str], operation: Any, mode: GenerationMode
) -> None:
    for persona in PERSONAS:
        fuzz(operation, mode, {"Authorization": f"Bearer {tokens[persona]}"})
