"""Updates and the result of a campaign: the list for whoever sees the campaign, the organizer's
form, and the one-click unsubscribe from the news e-mails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import allowed, require

from . import outcome, selectors
from .forms_outcome import UpdateForm

GET_POST = require_http_methods(["GET", "POST"])


@require_safe
def campaign_updates(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    campaign = selectors.campaign_get(viewer=actor, pk=pk)
    return render(
        request,
        "campaigns/campaign_updates.html",
        {
            "campaign": campaign,
            "updates": outcome.updates_of(campaign),
            "may_post": allowed(actor, "campaigns.post_update", campaign),
        },
    )


@GET_POST
@login_required
def update_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    campaign = selectors.campaign_get(viewer=actor, pk=pk)
    require(actor, "campaigns.post_update", campaign)
    form = UpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome.update_post(actor=actor, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Posted: the signers who asked for news are being e-mailed.")
            )
            return redirect("campaign_updates", campaign.pk)
    return render(
        request,
        "campaigns/update_form.html",
        {"campaign": campaign, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The mail client posts here without a CSRF token (RFC 8058): the link's signature is the authority.
@csrf_exempt
@never_cache
@GET_POST
def campaign_news_off(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe. A GET only shows a button: mail scanners follow links."""
    try:
        signature = outcome.unsubscribe_read(token)
    except signing.BadSignature:
        return render(request, "campaigns/news_off.html", {"invalid": True}, status=400)
    if request.method == "POST":
        outcome.news_turn_off(token=token)
    return render(
        request,
        "campaigns/news_off.html",
        {"done": request.method == "POST", "campaign": signature.campaign},
    )
