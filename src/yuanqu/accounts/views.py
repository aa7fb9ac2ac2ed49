from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.roles import AUDIT_READERS
from yuanqu.accounts.services import login_failure_record, login_record, logout_record
from yuanqu.core.models import AuditEntry

AUDIT_ACTIONS = [
    ("auth.", "登录与退出"),
    ("import.", "数据导入"),
    ("export.", "数据导出"),
    ("token.", "接口令牌"),
    ("supervision.", "督查督办"),
]


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            login_record(user=user, ip_address=client_ip(request))
            return redirect(_next_url(request))
        login_failure_record(
            username=request.POST.get("username", ""),
            ip_address=client_ip(request),
            locked_out=bool(getattr(request, "axes_locked_out", False)),
        )
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout_record(user=request.user, ip_address=client_ip(request))
    auth_logout(request)
    return redirect(settings.LOGIN_URL)


@require_role(*AUDIT_READERS)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "action": action, "actions": AUDIT_ACTIONS})
