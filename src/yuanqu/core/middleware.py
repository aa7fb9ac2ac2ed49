"""Request and response rules for every page and API call: body size limits, the CSP header."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

from yuanqu.accounts.services import token_authenticate


class RequestBodyLimitMiddleware:
    """Refuse a body over the limit from its Content-Length, before anything reads it.

    Signed-in users (a session or a valid API token) may send up to ``YUANQU_REQUEST_MAX_MB``
    (the largest import file and the form around it); anyone else, who can only log in, up to
    ``YUANQU_ANONYMOUS_REQUEST_MAX_KB``. Placed after the authentication middleware: the session
    user comes from the cookie, and no middleware before this one reads the body (the CSRF check,
    which does, runs later, in process_view). A body without a Content-Length (chunked) is not
    read by Django at all; the proxy in front limits those (see the README's deployment section).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(request, 400, gettext("请求的 Content-Length 无效"))
        anonymous_limit = settings.YUANQU_ANONYMOUS_REQUEST_MAX_KB * 1024
        if length > anonymous_limit:
            limit_mb = settings.YUANQU_REQUEST_MAX_MB
            if length > limit_mb * 1024 * 1024:
                message = gettext("请求内容为 %(size).1f MB，超过上限 %(limit)d MB（YUANQU_REQUEST_MAX_MB）") % {
                    "size": length / 1024 / 1024,
                    "limit": limit_mb,
                }
                return self._refuse(request, 413, message)
            if not self._signed_in(request):
                message = gettext("未登录时请求内容不能超过 %(limit)d KB（YUANQU_ANONYMOUS_REQUEST_MAX_KB）") % {
                    "limit": settings.YUANQU_ANONYMOUS_REQUEST_MAX_KB
                }
                return self._refuse(request, 413, message)
        return self.get_response(request)

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        if request.user.is_authenticated:
            return True
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        return scheme.lower() == "bearer" and bool(token) and token_authenticate(token.strip()) is not None

    @staticmethod
    def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header on every response (``CONTENT_SECURITY_POLICY``).

    Scripts only from our own static files (no inline script, no inline handler, no eval),
    nothing from elsewhere, no framing, forms only to ourselves. Style elements too come only
    from our static files; inline style *attributes* are allowed, because ECharts writes its
    tooltips as HTML with style attributes (the templates themselves have none).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
