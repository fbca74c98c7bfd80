"""HTML pages of campaigns: the list, preparing one (from scratch or from an appeal), changing,
launching and closing it, inviting co-sponsors with the addressing of appeals and answering such
an invitation; the public page, signing without an account and confirming from the e-mail.

As on the appeal pages: a campaign the viewer may not see answers 404, as if missing; a visible
one, with an action reserved to other roles, 403; an anonymous visitor on a page that needs an
account is sent to sign in. Refused input re-renders the form with its errors and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from internationale.addressing.routing import SEND_FIELDS
from internationale.addressing.views import InviteStep
from internationale.core.actors import actor_of
from internationale.core.cache import CSRF_PLACEHOLDER, Page, page_content, with_token
from internationale.core.forms import offer_language_confirmation
from internationale.core.http import client_ip
from internationale.core.services import require
from internationale.organizations import selectors as org_selectors
from internationale.translation.content import reading

from . import forms, public_page, screening, selectors, services, signing
from .models import Campaign, Sponsor

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The open public campaigns, for everyone; and, signed in, those one's organizations run or
    are invited to co-sponsor."""
    actor = actor_of(request)
    page = Paginator(selectors.public_campaign_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page": page}
    if request.user.is_authenticated:
        context["mine"] = list(selectors.campaign_list(viewer=actor)[:50])
        context["may_launch"] = bool(org_selectors.verified_spoken_for(viewer=actor))
    return render(request, "campaigns/campaign_list.html", context)


@GET_POST
@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Prepare a campaign; `?appeal=<id>` starts from one of one's organizations' appeals."""
    actor = actor_of(request)
    organizers = org_selectors.verified_spoken_for(viewer=actor)
    if not organizers:
        require(
            actor,
            "campaigns.launch_campaign",
            message=_(
                "Only an admin or secretary of a verified organization can launch a campaign."
            ),
        )
    appeal = selectors.appeal_to_launch_from(
        viewer=actor, pk=request.POST.get("appeal") or request.GET.get("appeal")
    )
    initial: dict[str, Any] = {}
    target_initial: list[dict[str, Any]] = []
    if appeal is not None:
        prefill = services.appeal_prefill(appeal)
        target_initial = [vars(t) for t in prefill.pop("targets", [])]
        initial = {**prefill, "appeal": appeal.pk, "organization": appeal.organization.slug}
    form = forms.CampaignForm(_data(request), organizations=organizers, initial=initial)
    targets = forms.TargetFormSet(_data(request), prefix="targets", initial=target_initial)
    if request.method == "POST" and form.is_valid() & targets.is_valid():
        try:
            campaign = services.campaign_create(
                actor=actor,
                appeal=appeal,
                targets=forms.targets_of(targets),
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The campaign is prepared. Invite co-sponsors, then launch it."),
            )
            return redirect("campaign_detail", campaign.pk)
    context = {
        "form": form,
        "targets": targets,
        "appeal": appeal,
        "appeals": selectors.appeals_of(viewer=actor, organizations=organizers)
        if appeal is None
        else [],
    }
    return render(request, "campaigns/campaign_form.html", context)


def _detail_page(request: HttpRequest, pk: int, original: bool) -> Page:
    actor = actor_of(request)
    access = selectors.campaign_access(viewer=actor, pk=pk)
    campaign = access.obj
    signable = campaign.is_signable()
    consent_choices = signing.consent_choices(campaign) if signable else []
    context: dict[str, Any] = {
        "campaign": campaign,
        "reading": reading(campaign, get_language() or "", original=original),
        "count": selectors.signature_count(campaign),
        "targets": selectors.target_list(campaign),
        "sponsors": selectors.sponsor_list(access),
        "signers": selectors.latest_signers(campaign),
        "signable": signable,
        "sign_form": forms.SignForm(consent_choices=consent_choices) if signable else None,
    }
    if request.user.is_authenticated:
        context |= {
            "may_change": actor.has_perm("campaigns.change_campaign", campaign),
            "may_invite": actor.has_perm("campaigns.invite_sponsors", campaign),
            "answering": selectors.answering_organizations(access),
        }
    return Page(
        title=context["reading"]["title"],
        content=page_content("campaigns/_campaign_detail.html", context, request),
        public=campaign.visibility == "public",
    )


@require_safe
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Kept per language (the page's) and per whether the original was asked for.
    original = bool(request.GET.get("original"))
    full_path = request.get_full_path()
    if (
        not request.user.is_authenticated
        and full_path in (request.path, f"{request.path}?original=1")
        and not len(get_messages(request))
    ):
        # A signed-out reader with nothing of their own in the site's frame (no message, an
        # address whose every form is kept): the whole page, frame included, is kept, with a
        # placeholder for the CSRF token of the language switcher, replaced for each request.
        body = public_page.pages.kept(
            pk, lambda: _whole_page(request, pk, original), "whole", full_path
        )
        return HttpResponse(with_token(body, request))
    page = public_page.pages.serve(
        request, pk, lambda: _detail_page(request, pk, original), original
    )
    return render(request, "campaigns/campaign_detail.html", {"page": page})


def _whole_page(request: HttpRequest, pk: int, original: bool) -> SafeString:
    """The signed-out page with its frame, the CSRF token left as `CSRF_PLACEHOLDER`."""
    page = public_page.pages.kept(pk, lambda: _detail_page(request, pk, original), original)
    context = {"page": page, "csrf_token": CSRF_PLACEHOLDER}
    return mark_safe(render_to_string("campaigns/campaign_detail.html", context, request))  # noqa: S308 -- the template's output, escaped by it


@GET_POST
@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "campaigns.change_campaign", campaign)
    draft = campaign.status == Campaign.Status.DRAFT
    initial = {name: getattr(campaign, name) for name in (*services.DRAFT_ONLY, *services.ANY_TIME)}
    form = forms.CampaignForm(_data(request), initial=initial)
    targets = forms.TargetFormSet(
        _data(request),
        prefix="targets",
        initial=[
            {"name": t.name, "email": t.email, "postal_address": t.postal_address}
            for t in selectors.target_list(campaign)
        ],
    )
    if not draft:
        for name in services.DRAFT_ONLY:
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid() & (not draft or targets.is_valid()):
        fields = form.service_fields()
        if not draft:
            fields = {name: fields[name] for name in services.ANY_TIME}
        try:
            services.campaign_edit(
                actor=actor_of(request),
                campaign=campaign,
                targets=forms.targets_of(targets) if draft else None,
                **fields,
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The campaign is changed."))
            return redirect("campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/campaign_edit.html",
        {"form": form, "targets": targets if draft else None, "campaign": campaign},
    )


@GET_POST
@login_required
def campaign_launch(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks to confirm, then launches: the campaign becomes public and takes signatures."""
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "campaigns.change_campaign", campaign)
    error = None
    if request.method == "POST":
        try:
            services.campaign_launch(actor=actor_of(request), campaign=campaign)
        except ValidationError as refused:
            error = refused
        else:
            messages.success(request, _("The campaign is launched: anyone may read and sign it."))
            return redirect("campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/campaign_confirm_action.html",
        {"campaign": campaign, "action": "launch", "error": error},
    )


@GET_POST
@login_required
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks to confirm, then closes: no more signatures; the page and its count stay."""
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "campaigns.change_campaign", campaign)
    error = None
    if request.method == "POST":
        try:
            services.campaign_close(actor=actor_of(request), campaign=campaign)
        except ValidationError as refused:
            error = refused
        else:
            messages.success(request, _("The campaign is closed."))
            return redirect("campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/campaign_confirm_action.html",
        {"campaign": campaign, "action": "close", "error": error},
    )


INVITE = InviteStep(
    template="campaigns/sponsor_invite.html",
    name="campaign",
    first_criteria=lambda campaign: forms.CriteriaForm.defaults(campaign.routing_origin()),
    preview=lambda actor, campaign, criteria: selectors.sponsor_preview(
        viewer=actor, campaign=campaign, criteria=criteria, fields=SEND_FIELDS
    ),
    invite=lambda actor, campaign, criteria: services.sponsors_invite(
        actor=actor, campaign=campaign, criteria=criteria
    ),
    invited_ids=selectors.invited_ids,
    done=lambda count: (
        ngettext(
            "%(count)s organization is invited to co-sponsor the campaign.",
            "%(count)s organizations are invited to co-sponsor the campaign.",
            count,
        )
        % {"count": count}
    ),
    then="campaign_detail",
)


@GET_POST
@login_required
def sponsor_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose criteria, see who would be invited to co-sponsor and why, then invite."""
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "campaigns.invite_sponsors", campaign)
    return INVITE.respond(request, campaign)


@GET_POST
@login_required
def sponsor_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline to co-sponsor, for an invited organization one speaks for."""
    access = selectors.campaign_access(viewer=actor_of(request), pk=pk)
    campaign = access.obj
    answering = selectors.answering_organizations(access)
    if not answering:
        require(actor_of(request), "campaigns.answer_sponsorship", campaign)
    form = forms.SponsorAnswerForm(_data(request), organizations=answering)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sponsorship_answer(
                actor=actor_of(request),
                campaign=campaign,
                organization=data["organization"],
                accept=data["answer"] == "accept",
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your organization co-sponsors the campaign.")
                if data["answer"] == "accept"
                else _("Your organization does not co-sponsor the campaign."),
            )
            return redirect("campaign_detail", campaign.pk)
    current = {
        s.organization_id: s.get_status_display()
        for s in Sponsor.objects.filter(campaign=campaign, organization__in=answering)
    }
    return render(
        request,
        "campaigns/sponsor_answer.html",
        {"campaign": campaign, "form": form, "current": current.values()},
    )


# Signing ----------------------------------------------------------------------------------------


# No CSRF token: the form is on a page kept for every signed-out reader, and signing acts for no
# account (the session is not used), so a forged request could do no more than the form itself.
@csrf_exempt
@GET_POST
def campaign_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign form alone (GET), and signing (POST): refused input is shown with its errors and
    writes nothing; a signature taken, or screened out, is answered alike."""
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    choices = signing.consent_choices(campaign)
    form = forms.SignForm(_data(request), consent_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            signing.signature_receive(
                campaign=campaign,
                client_address=client_ip(request),
                # Marked by the view itself: the form's robot checks apply (screening.py).
                extra=request.POST.dict() | {screening.FROM_FORM: True},
                **form.service_fields(),
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            return redirect("campaign_signed", campaign.pk)
    refused = None
    try:
        signing.check_open(campaign)
    except ValidationError as error:
        refused = error.messages[0]
    return render(
        request,
        "campaigns/campaign_sign.html",
        {"campaign": campaign, "sign_form": form, "refused": refused},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def campaign_signed(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(viewer=actor_of(request), pk=pk)
    return render(request, "campaigns/campaign_signed.html", {"campaign": campaign})


@never_cache  # a key in the address: kept by no browser or proxy
@GET_POST
def campaign_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: a button to confirm (so that a mail scanner opening the link
    confirms nothing), then the confirmation, once."""
    if request.method == "GET":
        return render(request, "campaigns/campaign_confirm.html", {"token": token})
    try:
        confirmed = signing.signature_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "campaigns/campaign_confirm.html",
            {"token": token, "error": error.message_dict["token"][0]},
            status=400,
        )
    return render(
        request,
        "campaigns/campaign_confirm.html",
        {"confirmed": True, "campaign": confirmed.campaign},
    )
