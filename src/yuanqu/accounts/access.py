"""One check per permission, for views and API handlers alike."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja.errors import HttpError

from yuanqu.accounts.roles import Role, has_role

View = Callable[..., HttpResponse]


def require_role(*roles: Role) -> Callable[[View], View]:
    """Page views: anonymous users go to the login page, users without one of the roles get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                login = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request") == "true":
                    # The session ran out while the page was open: send the whole page to the
                    # login form rather than swapping the form into a fragment.
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = login["Location"]
                    return response
                return login
            if not has_role(request.user, *roles):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def landing_url(user: Any) -> str | None:
    """Where a user without the scorecard starts: an administrator's own tool, a department's tasks."""
    if has_role(user, Role.AUDIT_ADMIN):
        return reverse("accounts:audit_log")
    if has_role(user, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return reverse("admin:auth_user_changelist")
    if has_role(user, Role.DEPARTMENT_STAFF):
        # Department staff start from their supervised measures and reminders.
        return reverse("supervision:mine")
    return None


def api_require_role(request: HttpRequest, *roles: Role) -> None:
    """API handlers: the same rule as ``require_role``; authentication is the API's own (401)."""
    if not has_role(request.auth or request.user, *roles):  # type: ignore[attr-defined]
        raise HttpError(403, "您的角色无权访问此接口")


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy we run
    # overwrites it, and an audit trail must not record an address the client chose.
    return request.META.get("REMOTE_ADDR") or None
