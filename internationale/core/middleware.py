import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from babel.core import get_global
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from internationale.core.api import error_response

from .actors import ViewerLike, actor_of
from .zones import known_zones as _known_zones


class PrivacyHeadersMiddleware:
    """What no browser or shared cache should keep, and what no page may use.

    Every answer to a signed-in person, and every answer under INTERNATIONALE_PRIVATE_PATHS (the
    API, made for one client; the account pages and invitations, reached by anonymous visitors
    with a key in the address), is marked `Cache-Control: no-store`: a shared computer's browser
    or a proxy must not keep an inbox, an appeal that is not public, a member list or a
    password-reset form. Other pages for anonymous visitors are public and may be cached. Every answer turns off the browser features
    in INTERNATIONALE_PERMISSIONS_POLICY (camera, microphone, geolocation, ...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            settings.INTERNATIONALE_PRIVATE_PATHS
        ):
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.INTERNATIONALE_PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, with its headers built once per process rather than for every answer (two
    policies of eight directives, about 0.13 ms, more than the rest of a minimal view's
    middleware). The site's policy is the same for every answer (settings.CONTENT_SECURITY_POLICY:
    no nonce, no view that changes it); an answer that asks for a nonce or a policy of its own
    (django-csp's decorators) gets django-csp's own work."""

    _built: dict[bool, str] = {}

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:  # type: ignore[override]
        own = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        if (
            getattr(request, "_csp_nonce", None) is not None
            or settings.DEBUG
            or any(hasattr(response, name) or hasattr(response, f"{name}_ro") for name in own)
            or (HEADER in response or HEADER_REPORT_ONLY in response)
        ):
            return super().process_response(request, response)  # type: ignore[return-value]
        for report_only, header, setting in (
            (False, HEADER, "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            built = self._built.get(report_only)
            if built is None:
                built = self._built[report_only] = build_policy(report_only=report_only)
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if built and not request.path_info.startswith(tuple(prefixes)):
                response[header] = built
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _policy_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        ContentSecurityPolicyMiddleware._built.clear()


setting_changed.connect(_policy_changed, dispatch_uid="content_security_policy")


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
                return error_response(413, message)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# No request of the API nests more than a few levels; deeper JSON only costs the server recursion.
MAX_JSON_DEPTH = 20


class TextInputMiddleware:
    """Refuse with a clear 400, before any view reads it, text that no field can hold:
    - the NUL character (U+0000), in a query string or a JSON body: no text needs it, and
      PostgreSQL cannot store it;
    - a lone surrogate (\\ud800 to \\udfff written in JSON): not a character, and no database
      stores it as UTF-8;
    - JSON nested deeper than MAX_JSON_DEPTH levels.
    Stored, each would fail as a server error; refused here, each is refused the same way on every
    endpoint. HTML forms refuse NUL field by field already (Django's CharField), and a form body
    cannot hold a lone surrogate."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        message = _query_fault(request) or _json_fault(request)
        if message:
            if request.path.startswith("/api/"):
                return error_response(400, message)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _nul_message() -> str:
    return _("Text may not contain the NUL character (U+0000).")


def _query_fault(request: HttpRequest) -> str | None:
    query = request.META.get("QUERY_STRING", "")
    return _nul_message() if "%00" in query or "\x00" in query else None


def _json_fault(request: HttpRequest) -> str | None:
    if request.content_type != "application/json":
        return None
    body = request.body
    if (
        b"\\u" not in body
        and b"\x00" not in body
        and body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH
    ):
        return None  # cannot hold any of them: spare the parsing
    too_deep = _("The JSON body is nested too deeply: at most %(depth)d levels are accepted.") % {
        "depth": MAX_JSON_DEPTH
    }
    try:
        value = json.loads(body)
    except RecursionError:
        return too_deep
    except ValueError:
        # Not JSON: the API answers that; a raw NUL is refused here.
        return _nul_message() if b"\x00" in body else None
    # Walked without recursion: the depth is what is being checked.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return _nul_message()
            if not _is_text(item):
                return _("Text may not contain a lone surrogate (\\ud800 to \\udfff).")
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                return too_deep
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def _zone_of_organizations(actor: ViewerLike) -> zoneinfo.ZoneInfo | None:
    """The zone of the person's first organization's country, if that country has one zone. The
    countries come with the person's roles, which the page reads anyway: no query of its own."""
    for country in getattr(actor, "countries", []):
        zones = get_global("territory_zones").get(country, [])
        return zoneinfo.ZoneInfo(zones[0]) if len(zones) == 1 else None
    return None


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
