"""The signers a sponsoring organization sees and exports (those who consented to it), and the
signer's own page from the link in the confirmation e-mail: withdraw a consent, erase the
signature (after a confirmation page).

An organization the viewer has no role in answers 404, as if missing; a member or observer of it,
403 with the reason; an organization that does not sponsor the campaign, 403 with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of
from internationale.core.predicates import role_in
from internationale.organizations.models import Organization

from . import selectors, sponsors

GET_POST = require_http_methods(["GET", "POST"])


def _reading(request: HttpRequest, pk: int, slug: str) -> tuple:  # type: ignore[type-arg]
    actor = actor_of(request)
    campaign = selectors.campaign_get(viewer=actor, pk=pk)
    organization = get_object_or_404(Organization, slug=slug)
    if role_in(actor, organization) is None:
        raise Http404
    try:
        rows = sponsors.sponsor_signers(actor=actor, campaign=campaign, organization=organization)
    except (PermissionDenied, ValidationError) as error:
        reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
        raise Refused(reason) from None
    return actor, campaign, organization, rows


class Refused(Exception):
    """Answered 403 with the reason (a member acting for the organization, not a sponsor)."""


def _refused(request: HttpRequest, error: Refused) -> HttpResponse:
    return render(request, "campaigns/refused.html", {"reason": str(error)}, status=403)


@never_cache  # names and e-mail addresses: kept by no cache
@require_safe
@login_required
def sponsor_signers(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The page of signers: each page read is an export, audited as the API's and the CSV's."""
    try:
        actor, campaign, organization, rows = _reading(request, pk, slug)
    except Refused as error:
        return _refused(request, error)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    sponsors.sponsor_signers_read(
        actor=actor, campaign=campaign, organization=organization, format="page", n=len(page)
    )
    return render(
        request,
        "campaigns/sponsor_signers.html",
        {"campaign": campaign, "organization": organization, "page": page},
    )


@require_safe
@login_required
def sponsor_signers_export(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    try:
        actor, campaign, organization, _rows = _reading(request, pk, slug)
    except Refused as error:
        return _refused(request, error)
    content = sponsors.sponsor_export(actor=actor, campaign=campaign, organization=organization)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"{slugify(campaign.title)[:40] or 'campaign'}-{organization.slug}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# The signer's page ------------------------------------------------------------------------------


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/signer_manage.html", {"invalid": True}, status=400)


@never_cache  # a key in the address
@require_safe
def signer_manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        signature = sponsors.signature_by_token(token)
    except ValidationError:
        return _invalid(request)
    return render(
        request,
        "campaigns/signer_manage.html",
        {
            "token": token,
            "signature": signature,
            "campaign": signature.campaign,
            "consents": sponsors.consents_of(signature),
        },
    )


@never_cache
@require_POST
def signer_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        organization_id = int(request.POST.get("organization", ""))
        withdrawn = sponsors.consent_withdraw(token=token, organization_id=organization_id)
    except (ValueError, ValidationError):
        return _invalid(request)
    if withdrawn:
        messages.success(
            request,
            _("Your consent is withdrawn: this organization no longer sees your name and address."),
        )
    return redirect("signer_manage", token)


@never_cache
@GET_POST
def signer_erase(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmation page, then the signature is erased."""
    try:
        signature = sponsors.signature_by_token(token)
    except ValidationError:
        return _invalid(request)
    if request.method == "POST":
        campaign = sponsors.signature_erase(token=token)
        return render(
            request, "campaigns/signer_erase.html", {"erased": True, "campaign": campaign}
        )
    return render(
        request,
        "campaigns/signer_erase.html",
        {"token": token, "signature": signature, "campaign": signature.campaign},
    )
