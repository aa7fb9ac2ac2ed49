"""The JSON API, version 1: one NinjaAPI, a router per app; docs at /api/docs."""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI, Swagger

from yuanqu.accounts.api import API_AUTH
from yuanqu.accounts.api import router as accounts_router
from yuanqu.chains.api import router as chains_router
from yuanqu.core.api import router as core_router
from yuanqu.indicators.api import router as indicators_router
from yuanqu.projects.api import router as projects_router

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
