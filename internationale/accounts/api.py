"""Authentication on the REST API, tried in this order:
- `Authorization: Bearer int_…`: an API token, bound to one person acting for one organization.
  On such a request the person's roles in other organizations do not count: the token speaks for
  its organization and nothing else. A header that is present but not a live token answers 401;
  it never falls back to the session.
- The browser's session cookie. Unsafe methods pass Django's CSRF check (send the `csrftoken`
  cookie's value in the `X-CSRFToken` header).
Without either: 401. The rest of the API's conventions: internationale/core/api.py.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from internationale.core.actors import Person, actor_of
from internationale.core.api import AuthenticatedRequest
from internationale.core.middleware import activate_language

from .models import ApiToken
from .services import token_authenticate

# Authentication ---------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer int_…`: a person acting for the one organization of the token."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None  # no token: the session may still identify the person
        scheme, _sep, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError()
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_authenticate(token)
        if api_token is None:
            raise AuthenticationError()
        user = api_token.user
        # Every rule and selector asks the actor's roles: acting for the token's organization,
        # the person counts as a member of that organization only.
        actor = Person(user=user, acting_for=api_token.organization_id)
        if not actor.roles:
            # Its person has left the organization since: the token speaks for nobody.
            raise AuthenticationError()
        request.api_token = api_token  # type: ignore[attr-defined]
        request.actor = actor  # type: ignore[attr-defined]
        activate_language(request, user.language)
        return actor


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until we know there is a session to protect: an anonymous request
        # answers 401, not a CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise PermissionDenied(
                _(
                    "The CSRF check failed. Send the value of the csrftoken cookie in the "
                    "X-CSRFToken header, or use an API token."
                )
            )
        return actor_of(request)


class ApiRequest(AuthenticatedRequest):
    """A request to the API, once authenticated: `auth` is the person acting (for type checkers)."""

    auth: Person


def api_token(request: HttpRequest) -> ApiToken | None:
    """The token of this request, or None when the person signed in with the session."""
    return getattr(request, "api_token", None)
