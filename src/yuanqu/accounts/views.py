from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.forms import AuditLogFilter
from yuanqu.accounts.roles import AUDIT_READERS
from yuanqu.accounts.services import (
    AUDIT_EXPORT_LIMIT,
    AuditExportTooLarge,
    audit_log_export,
    login_failure_record,
    login_record,
    logout_record,
)
from yuanqu.core.models import AuditEntry
from yuanqu.exports import download


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


def _audit_entries(form: AuditLogFilter) -> QuerySet[AuditEntry]:
    values = form.cleaned_data
    return (
        AuditEntry.objects.between(values.get("start"), values.get("end"))
        .by_actor(values.get("user") or "")
        .of_action(values.get("action") or "")
    )


@require_role(*AUDIT_READERS)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every audit row, administrators' included, filtered by date range, user and kind of action."""
    form = AuditLogFilter(request.GET or None)
    entries = _audit_entries(form) if form.is_valid() else AuditEntry.objects.all()
    if form.is_bound and not form.is_valid():
        entries = AuditEntry.objects.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "form": form, "query": query.urlencode(), "export_limit": AUDIT_EXPORT_LIMIT},
    )


@require_role(*AUDIT_READERS)
def audit_log_download(request: HttpRequest) -> HttpResponse:
    form = AuditLogFilter(request.GET)
    if not form.is_valid():
        return render(request, "accounts/audit_log.html", {"page": None, "form": form}, status=400)
    try:
        content, file_name = audit_log_export(
            entries=_audit_entries(form),
            filters=form.cleaned_data,
            actor=request.user,
            ip_address=client_ip(request),
        )
    except AuditExportTooLarge as error:
        form.add_error(None, str(error))
        return render(request, "accounts/audit_log.html", {"page": None, "form": form}, status=400)
    return download(content, file_name=file_name, fallback="audit-log.xlsx")
