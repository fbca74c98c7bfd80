"""HTML pages for material aid: the giver declares aid sent against its pledge, the issuer
confirms receipt. Both return to the appeal's page, where aid's panels show (templatetags/aid.py).

As on the appeal pages: a pledge or contribution the viewer may not see answers 404; a visible
one, with an action reserved to other roles, 403. Refused input re-renders the form with its
errors and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from internationale.appeals.selectors import pledge_get
from internationale.core.actors import actor_of
from internationale.core.services import require
from internationale.organizations.forms import add_service_errors

from . import forms, selectors, services


@require_http_methods(["GET", "POST"])
@login_required
def contribution_declare(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = pledge_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "aid.declare_contribution", pledge)
    initial = {"amount": pledge.amount, "currency": pledge.currency, "goods": pledge.goods}
    form = forms.ContributionForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_declare(
                actor=actor_of(request),
                pledge=pledge,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Recorded as sent. It counts as received once the issuer confirms it.")
            )
            return redirect("appeal_detail", pledge.appeal.pk)
    context = {"appeal": pledge.appeal, "pledge": pledge, "form": form}
    return render(request, "aid/contribution_form.html", context)


@require_POST
@login_required
def contribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = selectors.contribution_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "aid.confirm_receipt", contribution)
    form = forms.ConfirmReceiptForm(request.POST)
    form.is_valid()  # two optional boxes: never invalid
    try:
        services.contribution_confirm(
            actor=actor_of(request), contribution=contribution, completes_pledge=form.completes()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if contribution.fulfilled_pledge:
            messages.success(request, _("Receipt confirmed. The pledge is fulfilled."))
        else:
            messages.success(request, _("Receipt confirmed."))
    return redirect("appeal_detail", contribution.appeal.pk)
