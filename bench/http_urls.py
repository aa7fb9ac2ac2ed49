"""The HTTP benchmark's URLconf: a trivial view (the ceiling) in front of yuanqu's own URLs, unchanged."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from yuanqu.urls import urlpatterns as yuanqu_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """What the full middleware stack and URL resolver cost with no work in the view."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial, name="bench-trivial"), *yuanqu_urlpatterns]
