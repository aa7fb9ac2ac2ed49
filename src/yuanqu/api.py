"""The JSON API, version 1: one NinjaAPI, a router per app; docs at /api/docs."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from django.views.defaults import page_not_found
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema

from yuanqu.accounts.api import API_AUTH
from yuanqu.accounts.api import router as accounts_router
from yuanqu.chains.api import router as chains_router
from yuanqu.core.api import router as core_router
from yuanqu.indicators.api import IssueOut, RejectedOut, import_request_rejected, scorecard_fast_path
from yuanqu.indicators.api import router as indicators_router
from yuanqu.projects.api import router as projects_router
from yuanqu.service.api import router as service_router
from yuanqu.supervision.api import router as supervision_router
from yuanqu.workreport.api import router as workreport_router


class ErrorOut(Schema):
    """An error answered by the API itself: authentication, role, a bad parameter, not found."""

    detail: str


class ValidationErrorOut(Schema):
    """Parameters that do not match the operation's schema (ninja's own answer)."""

    detail: list[dict[str, Any]]


# What every operation may answer besides its own responses (each handler checks the role, and
# every parameter can be malformed). Operations document their own shape where it differs.
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("请求有误（参数无效）", "ErrorOut"),
    401: ("未登录或令牌无效", "ErrorOut"),
    403: ("角色无权访问此接口，或缺少 CSRF 令牌", "ErrorOut"),
    404: ("未找到", "ErrorOut"),
    422: ("参数不符合接口定义", "ValidationErrorOut"),
}
# The import operations answer any malformed request as a rejected file (RejectedOut).
IMPORT_OPERATIONS = {"import_enterprise_monthly", "import_observations", "import_ledger"}


class YuanquAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            components.setdefault(model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}"))
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (description, name) in ERROR_RESPONSES.items():
                    if status in responses or str(status) in responses:
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                        },
                    )
        return schema


api = YuanquAPI(
    title="园区 API",
    version="1",
    description="经济指标、成绩单与数据导入。浏览器使用登录会话（POST 需 CSRF 令牌）；"
    "程序调用使用 `Authorization: Bearer <令牌>`（`yuanqu token create 用户名`）。",
    urls_namespace="api",
    auth=API_AUTH,
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): no CDN.
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url=None,
    docs_decorator=login_required,
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    match = request.resolver_match
    if match is not None and match.url_name in IMPORT_OPERATIONS:
        return api.create_response(request, import_request_rejected(exc.errors), status=422)
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)  # too many fields or files, a body over the limit
def unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = "请求体无法读取（应为 multipart/form-data，且不超过大小和字段数的限制）"
    match = request.resolver_match
    if match is not None and match.url_name in IMPORT_OPERATIONS:
        body = RejectedOut(detail=message, issues=[IssueOut(row=0, column="", message=message)]).model_dump()
        return api.create_response(request, body, status=400)
    return api.create_response(request, {"detail": message}, status=400)


api.add_router("", accounts_router)
api.add_router("", core_router)
api.add_router("", indicators_router)
api.add_router("", chains_router)
api.add_router("", projects_router)
api.add_router("", service_router)
api.add_router("", supervision_router)
api.add_router("", workreport_router)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 handler: a URL under the API (a path parameter of the wrong type) gets the API's JSON."""
    if request.path.startswith("/api/v1/"):
        return JsonResponse({"detail": "未找到"}, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)


def api_urls() -> tuple[list[Any], str, str]:
    """``api.urls`` for the URLconf, with the scorecard's view behind its fast path.

    The URL patterns, their order and names stay ninja's; only the scorecard's view is wrapped.
    """
    patterns, app_name, namespace = api.urls
    wrapped = 0
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "scorecard_data":
            pattern.callback = scorecard_fast_path(pattern.callback)
            wrapped += 1
    if wrapped != 1:
        raise RuntimeError(f"expected one URL pattern named scorecard_data in the API, found {wrapped}")
    return patterns, app_name, namespace
