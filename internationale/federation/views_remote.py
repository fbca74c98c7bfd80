"""Remote organizations' moderation queue, as pages: the operators' (/federation/remote/), and an
organization's (on its Federation tab), for its admins. Asking for one by its handle puts it in
the queue; accepting or refusing shows first what it does, and does it only once confirmed.
Anyone else is answered 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import allowed
from internationale.organizations.models import Organization
from internationale.organizations.selectors import organization_for_member

from . import held, remote_orgs
from .forms import RemoteDecisionForm, RemoteRequestForm
from .models import RemoteOrganization

GET_POST = require_http_methods(["GET", "POST"])


def _queue_page(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    form = RemoteRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = remote_orgs.remote_request(
                actor=actor_of(request),
                handle=form.cleaned_data["handle"],
                organization=organization,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s waits for a decision.") % {"name": entry.name})
            return redirect(request.path)
    context = {
        "organization": organization,
        "form": form,
        "pending": remote_orgs.queue(organization=organization),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "federation/remote_queue.html", context, status=status)


@GET_POST
@login_required
def remote_queue(request: HttpRequest) -> HttpResponse:
    if not allowed(actor_of(request), remote_orgs.REQUEST_FOR_SERVER):
        raise Http404
    return _queue_page(request, None)


@GET_POST
@login_required
def organization_remote_queue(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member(
        viewer=actor_of(request), slug=slug, perm=remote_orgs.REQUEST_FOR_ORGANIZATION
    )
    return _queue_page(request, organization)


@GET_POST
@login_required
def remote_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what accepting or refusing (`?decision=`) does, to confirm; POST: it is done."""
    entry = get_object_or_404(RemoteOrganization.objects.select_related("relates_to"), pk=pk)
    if not allowed(actor_of(request), remote_orgs.DECIDE, entry):
        raise Http404
    form = RemoteDecisionForm(request.POST if request.method == "POST" else request.GET)
    held_rows = held.held_by(entry)
    if not form.is_valid():
        context = {"entry": entry, "held": held_rows}
        return render(request, "federation/remote_decide.html", context, status=400)
    decision = form.cleaned_data["decision"]
    back = (
        redirect("federation_organization_remote", slug=entry.relates_to.slug)
        if entry.relates_to is not None
        and not allowed(actor_of(request), remote_orgs.REQUEST_FOR_SERVER)
        else redirect("federation_remote_queue")
    )
    if request.method == "POST":
        try:
            if decision == "accept":
                organization = remote_orgs.remote_accept(actor=actor_of(request), entry=entry)
                messages.success(
                    request, _("%(name)s is in the directory.") % {"name": organization.name}
                )
            else:
                remote_orgs.remote_refuse(actor=actor_of(request), entry=entry)
                messages.success(request, _("%(name)s is refused.") % {"name": entry.name})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return back
    context = {"entry": entry, "decision": decision, "back": back.url, "held": held_rows}
    return render(request, "federation/remote_decide.html", context)
