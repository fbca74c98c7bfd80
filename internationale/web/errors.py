"""The platform's own error pages: in the reader's language, in the platform's layout, and for a
signed-out reader an offer to sign in and come back.

A 404 says the same whether the thing is missing or only not the reader's to see (see
docs/permissions.md): a link from an e-mail opened while signed out lands on "sign in to see
it, if it is yours", never on "this exists". The API answers its errors itself, as JSON (see
core/api.py); these handlers answer in JSON too for anything under the API's address.
"""

import logging
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.services import NotVerified
from internationale.organizations.models import Organization
from internationale.organizations.services import VOUCHES_TO_VERIFY

logger = logging.getLogger("internationale.web")

TITLES = {
    400: gettext_lazy("This request could not be understood"),
    403: gettext_lazy("You may not do this"),
    404: gettext_lazy("Nothing to see here"),
    500: gettext_lazy("Something went wrong on our side"),
}
EXPLANATIONS = {
    400: gettext_lazy("The page received something it could not read. Go back and try again."),
    403: gettext_lazy("Your account does not allow this action."),
    404: gettext_lazy(
        "There is nothing at this address that you may see: it may not exist, or it may be "
        "shared only with some organizations."
    ),
    500: gettext_lazy(
        "The error was recorded and the platform's operators can see it. Nothing you sent was "
        "lost if the page said it was saved; otherwise try again in a moment."
    ),
}


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def error_page(
    request: HttpRequest, status: int, *, explanation: str | None = None
) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(TITLES[status]), "errors": {}}, status=status)
    context = {
        "status": status,
        "title": TITLES[status],
        "explanation": explanation or EXPLANATIONS[status],
        "signed_in": _signed_in(request),
        "sign_in_url": f"{resolve_url('account_login')}?next={quote(request.get_full_path())}",
    }
    template = "web/error.html" if status != 500 else "web/error_500.html"
    body: str
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:
        # The error page itself failed (the database is down, say): a plain page still answers.
        logger.exception("rendering the %s page failed", status)
        body = f"<!doctype html><title>{status}</title><h1>{TITLES[status]}</h1>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, NotVerified) and not _is_api(request):
        return _not_verified(request, exception)
    return error_page(request, 403)


def _not_verified(request: HttpRequest, exception: NotVerified) -> HttpResponse:
    """Refused only because the person's organization awaits verification: say so, and how."""
    organizations = Organization.objects.filter(pk__in=exception.organization_ids).order_by("name")
    context = {"organizations": organizations, "vouches_needed": VOUCHES_TO_VERIFY}
    return HttpResponse(
        loader.render_to_string("web/not_verified.html", context, request=request), status=403
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request,
        403,
        explanation=_(
            "The form was too old or was sent from another site, so it was not accepted and "
            "nothing changed. Go back, reload the page and send it again."
        ),
    )
