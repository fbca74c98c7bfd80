import functools
import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from babel.core import get_global
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .actors import ViewerLike, actor_of


class RequestSizeLimitMiddleware:
    """Refuse a body over the configured size with 413 before any view reads it. File uploads
    (multipart forms: logos, evidence of pledges) have a limit of their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = (
            settings.INTERNATIONALE_MAX_UPLOAD_BYTES
            if multipart
            else settings.INTERNATIONALE_MAX_REQUEST_BYTES
        )
        if length > limit:
            message = _("The request is too large: at most %(limit)d bytes are accepted.") % {
                "limit": limit
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse text holding the NUL character (U+0000), in a query string or a JSON body, with a
    clear 400: no text needs it, and PostgreSQL cannot store it (it would fail as a server error).
    HTML forms refuse it field by field already (Django's CharField)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _query_has_nul(request) or _json_has_nul(request):
            message = _("Text may not contain the NUL character (U+0000).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _query_has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "%00" in query or "\x00" in query


def _json_has_nul(request: HttpRequest) -> bool:
    if request.content_type != "application/json":
        return False
    body = request.body
    if b"\\u0000" not in body and b"\x00" not in body:
        return False
    try:
        return _holds_nul(json.loads(body))
    except ValueError:
        return b"\x00" in body  # not JSON: the API answers that; a raw NUL is refused here


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


# The cookie static/js/timezone.js sets from the browser's own zone.
TIME_ZONE_COOKIE = "tz"


class TimezoneMiddleware:
    """Show times in the reader's time zone: the one a person chose, else their browser's (as
    static/js/timezone.js tells it), else the zone of their organization's country when that
    country has only one, else the server's (UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = reader_time_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


def reader_time_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    for name in (
        getattr(user, "time_zone", "") if signed_in else "",
        request.COOKIES.get(TIME_ZONE_COOKIE, ""),
    ):
        if name and name in _known_zones():
            return zoneinfo.ZoneInfo(name)
    if signed_in and not request.path_info.startswith("/api/"):  # the API gives UTC offsets
        return _zone_of_organizations(actor_of(request))
    return None


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone_of_organizations(actor: ViewerLike) -> zoneinfo.ZoneInfo | None:
    """The zone of the person's first organization's country, if that country has one zone. The
    countries come with the person's roles, which the page reads anyway: no query of its own."""
    for country in getattr(actor, "countries", []):
        zones = get_global("territory_zones").get(country, [])
        return zoneinfo.ZoneInfo(zones[0]) if len(zones) == 1 else None
    return None


class UserLanguageMiddleware:
    """A signed-in person's chosen language wins over the browser's, on every device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)
