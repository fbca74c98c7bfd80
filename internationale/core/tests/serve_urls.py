"""The project's URLs plus /test/process/, which answers with the id of the process serving it."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def process(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [
    path("test/process/", process),
    path("", include("internationale.urls")),
]
