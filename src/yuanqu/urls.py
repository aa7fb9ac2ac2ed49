from functools import partial

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from ninja.openapi.views import openapi_view

from yuanqu.accounts.views import login_view, logout_view, password_change_view
from yuanqu.api import api, api_urls

urlpatterns = [
    # The admin site signs in through the workspace's login (password, second factor, lockout, audit).
    path("admin/login/", login_view),
    path("admin/logout/", logout_view),  # audited, as the workspace's
    path("admin/password_change/", password_change_view),  # the password rules, the audit row
    path("admin/", admin.site.urls),
    path("accounts/", include("yuanqu.accounts.urls")),
    path("api/v1/", api_urls()),
    path("api/docs", login_required(partial(openapi_view, api=api)), name="api-docs"),
    path("projects/", include("yuanqu.projects.urls")),
    path("chains/", include("yuanqu.chains.urls")),
    path("service/", include("yuanqu.service.urls")),
    path("supervision/", include("yuanqu.supervision.urls")),
    path("reports/", include("yuanqu.workreport.urls")),
    path("", include("yuanqu.indicators.urls")),
]

handler404 = "yuanqu.api.not_found"
