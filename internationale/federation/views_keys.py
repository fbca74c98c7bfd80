"""Keys as pages, rotated once confirmed: an organization's key as an ActivityPub actor, on its
Federation tab, by its admins (and the server's operators); the server's own key (its actor's,
which signs its fetches), by the operators, beside the server's block list. Anyone else is
answered 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.core.services import allowed
from internationale.organizations.selectors import organization_for_member

from .keys import (
    ROTATE_PERMISSION,
    ROTATE_SERVER_PERMISSION,
    instance_key,
    instance_key_rotate,
    key_in_use,
    key_rotate,
)


@require_http_methods(["GET", "POST"])
@login_required
def organization_key_rotate(request: HttpRequest, slug: str) -> HttpResponse:
    """GET (or a POST without `confirm`): what a rotation does, to confirm. POST with it: a new
    key, announced to the followers."""
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm=ROTATE_PERMISSION
    )
    if request.method == "POST" and "confirm" in request.POST:
        new = key_rotate(actor=actor_of(request), organization=organization)
        messages.success(
            request,
            _("The key is replaced by key number %(n)s; the followers are told.")
            % {"n": new.number},
        )
        return redirect("federation_organization_blocks", slug=organization.slug)
    return render(
        request,
        "federation/key_rotate.html",
        {"organization": organization, "key": key_in_use(organization)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def server_key_rotate(request: HttpRequest) -> HttpResponse:
    """For the operators: GET (or a POST without `confirm`): what replacing the server's own key
    does, to confirm, with the choice to withdraw the old key at once (`compromised`). POST with
    `confirm`: the new key."""
    if not allowed(actor_of(request), ROTATE_SERVER_PERMISSION):
        raise Http404
    if request.method == "POST" and "confirm" in request.POST:
        compromised = "compromised" in request.POST
        new = instance_key_rotate(actor=actor_of(request), compromised=compromised)
        if compromised:
            message = _(
                "The server's key is replaced by key number %(n)s; the old one is withdrawn."
            )
        else:
            message = _("The server's key is replaced by key number %(n)s.")
        messages.success(request, message % {"n": new.number})
        return redirect("federation_blocks")
    return render(request, "federation/server_key_rotate.html", {"key": instance_key()})
