"""The site's URLs with the projects app mounted, for as long as the root URLconf lacks it.

Once ``/projects/`` and the projects API router are wired into ``yuanqu.urls`` and
``yuanqu.api``, this adds nothing and the tests run against the real URLconf.
"""

from django.urls import URLPattern, URLResolver, include, path
from ninja import NinjaAPI

from yuanqu.accounts.api import API_AUTH
from yuanqu.api import api as site_api
from yuanqu.projects.api import router as projects_router
from yuanqu.urls import urlpatterns as site_urlpatterns

extra: list[URLPattern | URLResolver] = []
if not any(getattr(pattern, "namespace", None) == "projects" for pattern in site_urlpatterns):
    extra.append(path("projects/", include("yuanqu.projects.urls")))
if not any(router is projects_router for _, router in site_api._routers):
    test_api = NinjaAPI(title="招商项目 API（测试）", urls_namespace="projects-api", auth=API_AUTH, docs_url=None)
    test_api.add_router("", projects_router)
    extra.append(path("api/v1/", test_api.urls))

urlpatterns = [*extra, *site_urlpatterns]
