"""Relations waiting for their partner (pending.py), listed on the organization's data page:
proposed again or dismissed by its admins; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.core.actors import actor_of
from internationale.organizations.selectors import organization_for_member

from .pending import PERM, pending_relation_dismiss, pending_relation_propose


@require_POST
@login_required
def pending_relation(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """`propose` or `dismiss` one pending relation; back to the list with what happened."""
    organization = organization_for_member(viewer=actor_of(request), slug=slug, perm=PERM)
    try:
        if action == "propose":
            relation = pending_relation_propose(
                actor=actor_of(request), organization=organization, pk=pk
            )
            messages.success(
                request,
                _("The relation is proposed to %(name)s: it is theirs to accept.")
                % {"name": relation.partner.name},
            )
        else:
            pending_relation_dismiss(actor=actor_of(request), organization=organization, pk=pk)
            messages.success(request, _("The relation is dismissed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("ownership_exports", slug=organization.slug)
