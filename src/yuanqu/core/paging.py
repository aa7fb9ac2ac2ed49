"""Pages of a long list: Django's Paginator, and the query string the pager's links keep."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paged(request: HttpRequest, items: Any, per_page: int, *, parameter: str = "page") -> tuple[Page, str]:
    """The requested page of ``items`` (the last one for a number past the end, the first for
    anything that is not a number) and the request's other parameters, for the pager's links."""
    page = Paginator(items, per_page).get_page(request.GET.get(parameter))
    kept = request.GET.copy()
    kept.pop(parameter, None)
    return page, kept.urlencode()
