"""What a signed-in session must have done before it reaches any page or API call."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from yuanqu.accounts.roles import is_administrator

# Set at login for an account whose password an administrator set or asked to be reset.
PASSWORD_CHANGE = "yuanqu_password_change"


class AccountPolicyMiddleware:
    """After django-otp's middleware: a session of a user who needs a second factor and has not
    given one is ended (such a session can only predate the rule, since the login asks for it);
    a user whose password must be changed can reach only the password page and the logout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            needs_second_factor = is_administrator(user) or settings.YUANQU_SECOND_FACTOR_FOR_ALL
            if needs_second_factor and not user.is_verified():  # type: ignore[attr-defined]
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "请重新登录并完成两步验证"}, status=401)
                return redirect_to_login(request.get_full_path())
            if request.session.get(PASSWORD_CHANGE) and request.path not in _password_paths():
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "请先修改密码"}, status=403)
                return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        return self.get_response(request)


def _password_paths() -> set[str]:
    return {reverse("accounts:password_change"), reverse("accounts:logout")}
