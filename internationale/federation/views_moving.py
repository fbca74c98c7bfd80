"""An organization's move to another server, on its Federation tab (moving.py): its admins (and
the server's operators) give its new actor, read what the move does, and confirm it. Anyone else
is answered 404. A refused move re-renders the form with the reason, and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.organizations.selectors import organization_for_member

from . import documents, moving
from .forms import MoveForm


@require_http_methods(["GET", "POST"])
@login_required
def organization_move(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: where it moved, if it did, else the form. POST: what the move does, to confirm; POST
    with `confirm`: the move."""
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm="federation.move_organization"
    )
    form = MoveForm(request.POST if request.method == "POST" else None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            confirming = True
        else:
            try:
                moving.move_to(
                    actor=actor_of(request),
                    organization=organization,
                    target=form.cleaned_data["target"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The move is recorded; the followers are told."))
                return redirect("federation_organization_move", slug=organization.slug)
    return render(
        request,
        "federation/move.html",
        {
            "organization": organization,
            "form": form,
            "confirming": confirming,
            "ours": documents.actor_url(organization),
            "aliases": moving.aliases(organization),
        },
    )
