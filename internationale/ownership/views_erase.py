"""The emergency erase pages, under /ownership/<organization>/erase/: the page that explains what
an erase removes and asks for one, the confirmation of the second person, and withdrawing a
request.

Only the organization's admins and the server's operators reach them: for anyone else, its
members and observers included, they answer 404, as if missing. Refused input re-renders the
form with its errors and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors

from . import erase as services
from . import selectors_erase as selectors
from .forms_erase import EraseConfirmForm, EraseRequestForm
from .models import EraseRequest

GET_POST = require_http_methods(["GET", "POST"])


@GET_POST
@login_required
def erase(request: HttpRequest, slug: str) -> HttpResponse:
    """What an erase removes, the request waiting for its confirmation (if any), and the form
    to ask for one."""
    organization = selectors.erase_organization(viewer=actor_of(request), slug=slug)
    form = EraseRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_request(
                actor=actor_of(request),
                organization=organization,
                keep_profile=form.cleaned_data["profile"] == "keep",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The erase is asked for. A second person must confirm it within an hour."),
            )
            return redirect("erase", organization.slug)
    return render(
        request,
        "ownership/erase.html",
        {
            "organization": organization,
            "pending": services.erase_pending(organization),
            "history": selectors.erase_history(organization=organization),
            "form": form,
        },
    )


@GET_POST
@login_required
def erase_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The second person's confirmation: what goes, that it cannot be undone, then the erase."""
    organization = selectors.erase_organization(viewer=actor_of(request), slug=slug)
    pending = get_object_or_404(EraseRequest, pk=pk, organization=organization)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_confirm(
                actor=actor_of(request), organization=organization, request_id=pending.pk
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organization's confidential content is erased."))
            return redirect("dashboard")
    return render(
        request,
        "ownership/erase_confirm.html",
        {"organization": organization, "pending": pending, "form": form},
    )


@require_POST
@login_required
def erase_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = selectors.erase_organization(viewer=actor_of(request), slug=slug)
    pending = get_object_or_404(EraseRequest, pk=pk, organization=organization)
    try:
        services.erase_cancel(
            actor=actor_of(request), organization=organization, request_id=pending.pk
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The erase request is withdrawn: nothing was erased."))
    return redirect("erase", organization.slug)
