"""Server operators work with two-factor authentication: one who has not set it up yet is sent
to set it up before any other page opens."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# allauth's own pages (setting up the second factor, signing out, confirming an address), the
# language switcher and files stay open.
_OPEN_PREFIXES = ("/accounts/", "/settings/language/")


class OperatorTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not user.is_staff
            or request.path.startswith((*_OPEN_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL))
            or is_mfa_enabled(user)
        ):
            return self.get_response(request)
        message = _("You are a server operator: set up two-factor authentication before going on.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")
