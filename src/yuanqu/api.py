"""The JSON API, version 1: one NinjaAPI, a router per app; docs at /api/docs."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern
from ninja import NinjaAPI, Swagger

from yuanqu.accounts.api import API_AUTH
from yuanqu.accounts.api import router as accounts_router
from yuanqu.chains.api import router as chains_router
from yuanqu.core.api import router as core_router
from yuanqu.indicators.api import router as indicators_router
from yuanqu.indicators.api import scorecard_fast_path
from yuanqu.projects.api import router as projects_router
from yuanqu.service.api import router as service_router
from yuanqu.supervision.api import router as supervision_router
from yuanqu.workreport.api import router as workreport_router

api = NinjaAPI(
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
api.add_router("", accounts_router)
api.add_router("", core_router)
api.add_router("", indicators_router)
api.add_router("", chains_router)
api.add_router("", projects_router)
api.add_router("", service_router)
api.add_router("", supervision_router)
api.add_router("", workreport_router)


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
