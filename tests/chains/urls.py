"""The project's URLs plus the chain pages and API, as the lead wires them in (see the report).

Mounted after the project's own patterns, so the tests pass before and after the wiring.
"""

from django.urls import include, path
from ninja import NinjaAPI

from yuanqu.accounts.api import API_AUTH
from yuanqu.chains.api import router
from yuanqu.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(title="产业链（测试）", version="chains-test", urls_namespace="chains-test-api", auth=API_AUTH)
api.add_router("", router)

urlpatterns = [
    *project_urlpatterns,
    path("chains/", include("yuanqu.chains.urls")),
    path("api/v1/", api.urls),
]
