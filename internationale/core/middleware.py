import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header


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


class TimezoneMiddleware:
    """Show times in the signed-in person's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        tz_name = getattr(user, "time_zone", "") if user and user.is_authenticated else ""
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def requested_language(request: HttpRequest) -> str | None:
    """The language an API client asks for in `Accept-Language`, if the platform speaks it."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def activate_language(request: HttpRequest, saved: str) -> None:
    """The request's language: on the API, the client's `Accept-Language` (a program says what
    it wants for each request); elsewhere, and when the client asks for none, the person's saved
    language, which wins over the browser's on every device."""
    language = request.path.startswith("/api/") and requested_language(request)
    if not language and saved in dict(settings.LANGUAGES):
        language = saved
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


class UserLanguageMiddleware:
    """A signed-in person's chosen language (API clients: see `activate_language`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        activate_language(
            request, getattr(user, "language", "") if user and user.is_authenticated else ""
        )
        return self.get_response(request)
