from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .actors import actor_of
from .http import csrf_token


def platform(request: HttpRequest) -> dict:
    return {"SITE_URL": settings.SITE_URL}


def actor(request: HttpRequest) -> dict:
    """The request's actor, for `{% has_perm "…" actor obj %}`: its roles are read once per
    request, however many checks a page makes."""
    return {"actor": SimpleLazyObject(lambda: actor_of(request))}


def csrf(request: HttpRequest) -> dict:
    """Django's `csrf_token` (its own context processor runs first), drawn once per request with
    the forms of kept content (`core.http.csrf_token`)."""
    return {"csrf_token": SimpleLazyObject(lambda: csrf_token(request))}
