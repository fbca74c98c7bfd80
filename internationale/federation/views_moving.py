"""An organization's move to another server, on its Federation tab (moving.py): its admins (and
the server's operators) give its new actor, read what the move does, and confirm it; on the
server it moved to, they record (and take back) the actor it had on the old one. Anyone else is
answered 404. A refused change re-renders the form with the reason, and changes nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.organizations.selectors import organization_for_member

from . import documents, moving
from .forms import AlsoKnownAsForm, MoveForm
from .models import ActorAlias


@require_http_methods(["GET", "POST"])
@login_required
def organization_move(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: where it moved, if it did, else the form. POST: what the move does, to confirm; POST
    with `confirm`: the move."""
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm=moving.MOVE_PERMISSION
    )
    form = MoveForm(request.POST if request.method == "POST" else None)
    confirming = False
    again = moving.may_move_again_at(organization)  # once moved: from when it may move again
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            confirming = True
        else:
            try:
                moving.move_to(
                    actor=actor_of(request),
                    organization=organization,
                    target=form.cleaned_data["target"],
                    submission_key=form.cleaned_data.get("submission_key"),
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
            "again": again,
            "may_move": again is None or again <= timezone.now(),
            "days": settings.INTERNATIONALE_FEDERATION_MOVE_COOLDOWN_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def organization_also_known_as(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the actors it had on the servers it moved from, and a form for one more. POST: record
    it (fetched first: refused with the reason if it cannot be had or is no organization's)."""
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm=moving.MOVE_PERMISSION
    )
    form = AlsoKnownAsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            alias = moving.also_known_as(
                actor=actor_of(request),
                organization=organization,
                old_actor=form.cleaned_data["old_actor"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded: %(url)s") % {"url": alias.url})
            return redirect("federation_organization_also_known_as", slug=organization.slug)
    return render(
        request,
        "federation/also_known_as.html",
        {
            "organization": organization,
            "form": form,
            "ours": documents.actor_url(organization),
            "aliases": ActorAlias.objects.filter(
                organization=organization, direction=ActorAlias.Direction.MOVED_FROM
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def organization_also_known_as_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: what taking the old actor back does, to confirm. POST: take it back."""
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm=moving.MOVE_PERMISSION
    )
    if request.method == "POST":
        url = moving.also_known_as_remove(
            actor=actor_of(request), organization=organization, alias_id=pk
        )
        messages.success(request, _("Removed: %(url)s") % {"url": url})
        return redirect("federation_organization_also_known_as", slug=organization.slug)
    alias = get_object_or_404(
        ActorAlias, pk=pk, organization=organization, direction=ActorAlias.Direction.MOVED_FROM
    )
    return render(
        request,
        "federation/also_known_as_remove.html",
        {"organization": organization, "alias": alias},
    )
