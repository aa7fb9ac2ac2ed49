from django.urls import path

from yuanqu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_download, name="audit_log_download"),
]
