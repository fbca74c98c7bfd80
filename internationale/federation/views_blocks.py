"""Block lists, as pages: the operators' one for the whole server (/federation/blocks/), and an
organization's (its Federation tab), for its admins. Blocking shows first what it removes (the
follows, the deliveries waiting) and blocks only once confirmed. Anyone else is answered 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import allowed
from internationale.organizations.models import Organization
from internationale.organizations.selectors import organization_for_member

from . import blocks
from .forms import BlockForm
from .keys import ROTATE_PERMISSION, key_in_use
from .models import Block

GET_POST = require_http_methods(["GET", "POST"])


def _operator(request: HttpRequest) -> None:
    if not allowed(actor_of(request), blocks.SERVER_PERMISSION):
        raise Http404


def _organization(request: HttpRequest, slug: str) -> Organization:
    return organization_for_member(
        viewer=actor_of(request), slug=slug, perm=blocks.ORGANIZATION_PERMISSION
    )


def _page(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    """The list and the form; a POST without `confirm`: what the block would remove, to confirm;
    with it: the block. Refused input shows its errors and changes nothing."""
    form = BlockForm(
        request.POST if request.method == "POST" else None, with_actor=organization is not None
    )
    context: dict[str, Any] = {
        "organization": organization,
        "form": form,
        "blocks": blocks.blocks_for(organization).filter(organization=organization)
        if organization is not None
        else Block.objects.filter(organization__isnull=True),
        "back": request.path,
    }
    if organization is not None and allowed(actor_of(request), ROTATE_PERMISSION, organization):
        context["can_rotate"] = True
        context["key"] = key_in_use(organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                block, effect = blocks.block_add(
                    actor=actor_of(request),
                    organization=organization,
                    host=data["host"],
                    remote_actor=data.get("actor", ""),
                    reason=data["reason"],
                )
                messages.success(
                    request,
                    _("%(what)s is blocked: %(f)s follows removed, %(d)s deliveries cancelled.")
                    % {"what": str(block), "f": effect.followers, "d": effect.deliveries},
                )
                return redirect(request.path)
            block, effect = blocks.effect(
                organization=organization, host=data["host"], actor=data.get("actor", "")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context.update(blocked=block, effect=effect)
            return render(request, "federation/block_confirm.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "federation/blocks.html", context, status=status)


@GET_POST
@login_required
def server_blocks(request: HttpRequest) -> HttpResponse:
    _operator(request)
    return _page(request, None)


@require_POST
@login_required
def server_block_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    block = get_object_or_404(Block, pk=pk, organization__isnull=True)
    blocks.block_remove(actor=actor_of(request), block=block)
    messages.success(request, _("%(what)s is no longer blocked.") % {"what": str(block)})
    return redirect("federation_blocks")


@GET_POST
@login_required
def organization_blocks(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _organization(request, slug))


@require_POST
@login_required
def organization_block_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization(request, slug)
    block = get_object_or_404(Block, pk=pk, organization=organization)
    blocks.block_remove(actor=actor_of(request), block=block)
    messages.success(request, _("%(what)s is no longer blocked.") % {"what": str(block)})
    return redirect("federation_organization_blocks", slug=organization.slug)
