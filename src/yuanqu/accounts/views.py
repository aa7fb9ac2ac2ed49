import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.forms import AuditLogFilter
from yuanqu.accounts.middleware import PASSWORD_CHANGE
from yuanqu.accounts.roles import AUDIT_READERS
from yuanqu.accounts.services import (
    AUDIT_EXPORT_LIMIT,
    AuditExportTooLarge,
    audit_log_export,
    login_failure_record,
    login_record,
    logout_record,
    password_change,
    password_change_required,
    recovery_code_display,
    recovery_codes_renew,
    second_factor_device,
    second_factor_enrol_confirm,
    second_factor_enrol_start,
    second_factor_failure_record,
    second_factor_required,
    second_factor_verify,
)
from yuanqu.core.models import AuditEntry
from yuanqu.exports import download

# Between the password and the second factor the session holds only this, never a signed-in user.
PENDING = "yuanqu_login_pending"
PENDING_SECONDS = 5 * 60
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20, strip=True)


def _login_complete(request: HttpRequest, user: User, device: Device | None, next_url: str) -> str:
    """Sign the user in (the password and, if asked for, the second factor are checked); where to go."""
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    login_record(user=user, ip_address=client_ip(request), second_factor=device is not None)
    if password_change_required(user):
        request.session[PASSWORD_CHANGE] = True
        return f"{reverse('accounts:password_change')}?next={next_url}"
    return next_url


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, settings.LOGIN_REDIRECT_URL
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return user, str(pending.get("next") or settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """The only way in, for the workspace and the admin site alike (``/admin/login/`` is this view)."""
    if request.user.is_authenticated:
        if request.path.startswith("/admin/"):
            # Signed in but sent here by the admin site: not one of its administrators. A redirect
            # back would loop.
            raise PermissionDenied(gettext("您的账号无权使用管理后台"))
        return redirect(_next_url(request))
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            next_url = _next_url(request)
            if second_factor_required(user):
                request.session.cycle_key()
                request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": next_url}
                has_device = second_factor_device(user) is not None
                return redirect("accounts:login_verify" if has_device else "accounts:login_enrol")
            return redirect(_login_complete(request, user, None, next_url))
        login_failure_record(
            username=request.POST.get("username", ""),
            ip_address=client_ip(request),
            locked_out=bool(getattr(request, "axes_locked_out", False)),
            path=request.path,
        )
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator, or a recovery code. Failures count towards the lockout."""
    user, next_url = _pending_user(request)
    if user is None:
        messages.error(request, gettext("登录已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    if second_factor_device(user) is None:
        return redirect("accounts:login_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING, None)
            second_factor_failure_record(user=user, ip_address=client_ip(request), locked_out=True)
            return get_lockout_response(request, None, credentials)
        device, recovery_left = second_factor_verify(
            user=user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if device is not None:
            if recovery_left is not None:
                messages.warning(
                    request,
                    gettext("您使用了一个恢复码，还剩 %(left)d 个。请尽快在“账号安全”中重新生成。")
                    % {"left": recovery_left},
                )
            return redirect(_login_complete(request, user, device, next_url))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        locked = bool(getattr(request, "axes_locked_out", False))
        second_factor_failure_record(user=user, ip_address=client_ip(request), locked_out=locked)
        if locked:
            request.session.pop(PENDING, None)
            return get_lockout_response(request, None, credentials)
        form.add_error("code", gettext("验证码不正确或已过期，请重新输入。"))
    return render(request, "accounts/login_verify.html", {"form": form, "username": user.get_username()})


def _qr_svg(device: TOTPDevice) -> str:
    # An inline <svg> of paths: no image request, no data: URL, nothing the CSP has to allow.
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d2733", light="#ffffff"))


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolling an authenticator: at a first login that needs one, or from the account page.

    From the login, only an account without an authenticator may enrol: one that has one proves
    it with a code first, so knowing the password is never enough to put in another authenticator.
    """
    signed_in = request.user.is_authenticated
    if signed_in:
        user: User | None = request.user  # type: ignore[assignment]
        next_url = reverse("accounts:security")
    else:
        user, next_url = _pending_user(request)
        if user is None:
            messages.error(request, gettext("登录已超时，请重新输入用户名和密码。"))
            return redirect("accounts:login")
        if second_factor_device(user) is not None:
            return redirect("accounts:login_verify")
    assert user is not None
    device = second_factor_enrol_start(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor_enrol_confirm(
            user=user, device=device, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if codes is not None:
            device.refresh_from_db()
            if signed_in:
                otp_login(request, device)
            else:
                next_url = _login_complete(request, user, device, next_url)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": [recovery_code_display(code) for code in codes], "next": next_url, "enrolled": True},
            )
        form.add_error("code", gettext("验证码不正确，请确认手机时间准确后重新输入。"))
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device)),  # segno's own markup; the only text in it is the otpauth URL
            "secret": _secret_groups(device),
            "username": user.get_username(),
            "issuer": settings.OTP_TOTP_ISSUER,
            "signed_in": signed_in,
            "required": second_factor_required(user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@csrf_protect
def account_security(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own security: the second factor and its recovery codes."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    user: User = request.user
    if request.method == "POST" and request.POST.get("action") == "recovery_codes":
        if second_factor_device(user) is None:
            return redirect("accounts:login_enrol")
        codes = recovery_codes_renew(user=user, ip_address=client_ip(request))
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": [recovery_code_display(code) for code in codes], "next": reverse("accounts:security")},
        )
    static = StaticDevice.objects.filter(user=user).first()
    return render(
        request,
        "accounts/security.html",
        {
            "device": second_factor_device(user),
            "recovery_left": static.token_set.count() if static is not None else 0,
            "required": second_factor_required(user),
        },
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password here, under the password rules."""
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={request.path}")
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        password_change(user=user, ip_address=client_ip(request))
        request.session.pop(PASSWORD_CHANGE, None)
        messages.success(request, gettext("密码已修改。"))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": _next_url(request), "required": bool(request.session.get(PASSWORD_CHANGE))},
    )


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
