from django.urls import path

from yuanqu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("login/enrol/", views.login_enrol, name="login_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("security/", views.account_security, name="security"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_download, name="audit_log_download"),
]
