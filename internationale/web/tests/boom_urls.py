"""The platform's URLs plus one page that fails, to see the 500 page a reader gets."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from internationale.urls import *  # noqa: F403 (the handlers as well as the patterns)
from internationale.urls import urlpatterns as platform_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *platform_urlpatterns]
