"""The project's URLs plus /bench/minimal/: the cheapest page Django can serve through the same
middleware, server and process, against which the real pages are compared."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("internationale.urls")),
]
