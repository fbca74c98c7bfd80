"""An organization's key as an ActivityPub actor, on its Federation tab: its admins (and the
server's operators) rotate it, once they confirm. Anyone else is answered 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.organizations.selectors import organization_for_member

from .keys import ROTATE_PERMISSION, key_in_use, key_rotate


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
