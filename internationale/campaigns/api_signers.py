"""The REST API of campaigns after signing: screening for operators (trends, the allow and block
lists, invalidating signatures in bulk), deliveries and updates for organizers, and the signers a
sponsor reads. Added to the campaigns router (api.py).

As on the pages: the operators' endpoints answer 404 to anyone else; a campaign the caller may not
see, 404; a visible one, for an action reserved to those who speak for the organizer, 403. A
sponsor reading its signers: 403 with the reason for a member or observer (or a token of theirs)
acting for the organization; 400 with `errors.organization` for an organization that does not
sponsor the campaign (no signer consented to it); 404 for an organization the caller has no role
in. Every read of signers is an export, audited.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import ERRORS, ErrorOut, Pagination, choice_of
from internationale.core.predicates import role_in
from internationale.core.services import allowed, require
from internationale.organizations.models import Organization

from . import abuse, outcome, screening, selectors, sponsors
from .models import CampaignUpdate, Delivery, ScreeningRule, Signature

router = Router(tags=["campaigns"])
WITH_403 = {403: ErrorOut, **ERRORS}


def _operator(request: ApiRequest) -> None:
    if not allowed(request.auth, abuse.PERMISSION):
        raise Http404


# Screening ------------------------------------------------------------------------------------


class TrendOut(Schema):
    key: str = Field(description="The e-mail domain, or the keyed hash of the client address.")
    signatures: int
    campaigns: int
    blocked: int


class TrendFilter(Schema):
    by: Literal["address", "domain"] = "domain"
    hours: int = Field(1, ge=1, le=48, description="The window, in hours before now.")


@router.get(
    "/campaigns/screening/trends",
    response={200: list[TrendOut], **ERRORS},
    url_name="screening_trends",
)
def screening_trends(request: ApiRequest, filters: Query[TrendFilter]) -> list[dict[str, Any]]:
    """The client addresses (hashed) or e-mail domains signing most in the window: operators."""
    _operator(request)
    since = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=filters.hours)
    return screening.trending(since=since, by=filters.by)


class RuleOut(Schema):
    id: int
    list: choice_of(ScreeningRule.List)  # type: ignore[valid-type]
    kind: choice_of(ScreeningRule.Kind)  # type: ignore[valid-type]
    pattern: str
    note: str
    created_at: datetime.datetime


class RuleIn(Schema):
    list: choice_of(ScreeningRule.List)  # type: ignore[valid-type]
    kind: choice_of(ScreeningRule.Kind)  # type: ignore[valid-type]
    pattern: str = Field(max_length=254)
    note: str = Field("", max_length=200)


@router.get(
    "/campaigns/screening/rules",
    response={200: list[RuleOut], **ERRORS},
    url_name="screening_rule_list",
)
@paginate(Pagination)
def screening_rule_list(request: ApiRequest) -> QuerySet[ScreeningRule]:
    """The allow and block lists: operators."""
    _operator(request)
    return ScreeningRule.objects.order_by("list", "kind", "pattern")


@router.post(
    "/campaigns/screening/rules",
    response={201: RuleOut, **ERRORS},
    url_name="screening_rule_add",
)
def screening_rule_add(request: ApiRequest, payload: RuleIn) -> Status[ScreeningRule]:
    """Add a pattern to the allow or block list: operators."""
    _operator(request)
    return Status(201, abuse.rule_add(actor=request.auth, **payload.dict()))


@router.delete(
    "/campaigns/screening/rules/{pk}",
    response={204: None, **ERRORS},
    url_name="screening_rule_remove",
)
def screening_rule_remove(request: ApiRequest, pk: int) -> Status[None]:
    """Remove a pattern from its list: operators."""
    _operator(request)
    abuse.rule_remove(actor=request.auth, rule=get_object_or_404(ScreeningRule, pk=pk))
    return Status(204, None)


class SelectionIn(Schema):
    domain: str = Field("", max_length=253)
    client_hash: str = Field("", max_length=64)
    campaign: int | None = Field(None, description="Only this campaign; none: every campaign.")
    since: datetime.datetime
    until: datetime.datetime


class InvalidateIn(SelectionIn):
    reason: str = Field(max_length=200)
    confirm: bool = Field(
        False, description="Must be true: invalidating cannot be undone (see the preview)."
    )


class PreviewOut(Schema):
    campaign_id: int
    title: str
    n: int
    counted: int


class InvalidatedOut(Schema):
    invalidated: int


def _selection(payload: SelectionIn) -> abuse.Selection:
    from .models import Campaign

    campaign = None
    if payload.campaign is not None:
        campaign = Campaign.objects.filter(pk=payload.campaign).first()
        if campaign is None:
            raise ValidationError(
                {"campaign": ValidationError(_("No campaign has this number."), code="not_found")}
            )
    return abuse.Selection(
        since=payload.since,
        until=payload.until,
        domain=payload.domain.strip().lower(),
        client_hash=payload.client_hash.strip(),
        campaign=campaign,
    )


@router.post(
    "/campaigns/screening/invalidations/preview",
    response={200: list[PreviewOut], **ERRORS},
    url_name="invalidation_preview",
)
def invalidation_preview(request: ApiRequest, payload: SelectionIn) -> list[dict[str, object]]:
    """What invalidating would take, per campaign; changes nothing: operators."""
    _operator(request)
    return abuse.invalidation_preview(actor=request.auth, selection=_selection(payload))


@router.post(
    "/campaigns/screening/invalidations",
    response={200: InvalidatedOut, **ERRORS},
    url_name="signatures_invalidate",
)
def signatures_invalidate(request: ApiRequest, payload: InvalidateIn) -> dict[str, int]:
    """Invalidate the selected signatures, taken out of the counts, audited: operators, with
    `confirm` true."""
    _operator(request)
    selection = _selection(payload)
    if not payload.confirm:
        raise ValidationError(
            {
                "confirm": ValidationError(
                    _("Confirm: invalidating cannot be undone. See the preview first."),
                    code="unconfirmed",
                )
            }
        )
    n = abuse.signatures_invalidate(actor=request.auth, selection=selection, reason=payload.reason)
    return {"invalidated": n}


# Deliveries and updates -----------------------------------------------------------------------


class DeliveryOut(Schema):
    id: int
    target: str
    signatures: int
    status: choice_of(Delivery.Status)  # type: ignore[valid-type]
    error: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_target(obj: Delivery) -> str:
        return obj.target.name


@router.get(
    "/campaigns/{pk}/deliveries",
    response={200: list[DeliveryOut], **WITH_403},
    url_name="campaign_delivery_list",
)
@paginate(Pagination)
def campaign_delivery_list(request: ApiRequest, pk: int) -> QuerySet[Delivery]:
    """The messages sent to the campaign's targets, the latest first: for those who speak for
    the organizer."""
    campaign = selectors.campaign_get(viewer=request.auth, pk=pk)
    require(request.auth, "campaigns.view_deliveries", campaign)
    return Delivery.objects.filter(campaign=campaign).select_related("target").order_by("-id")


class CampaignUpdateOut(Schema):
    id: int
    kind: choice_of(CampaignUpdate.Kind)  # type: ignore[valid-type]
    result: str
    title: str
    text: str = Field(description="Markdown.")
    created_at: datetime.datetime


class CampaignUpdateIn(Schema):
    kind: choice_of(CampaignUpdate.Kind) = CampaignUpdate.Kind.NEWS  # type: ignore[valid-type]
    result: choice_of(CampaignUpdate.Result, blank=True) = ""  # type: ignore[valid-type]
    title: str = Field(max_length=200)
    text: str = Field(max_length=10000, description="Markdown.")


@router.get(
    "/campaigns/{pk}/updates",
    response={200: list[CampaignUpdateOut], **ERRORS},
    url_name="campaign_update_list",
)
@paginate(Pagination)
def campaign_update_list(request: ApiRequest, pk: int) -> QuerySet[CampaignUpdate]:
    """News and the result of a campaign, the latest first: for whoever sees it."""
    campaign = selectors.campaign_get(viewer=request.auth, pk=pk)
    return CampaignUpdate.objects.filter(campaign=campaign).order_by("-created_at", "-id")


@router.post(
    "/campaigns/{pk}/updates",
    response={201: CampaignUpdateOut, **WITH_403},
    url_name="campaign_update_post",
)
def campaign_update_post(
    request: ApiRequest, pk: int, payload: CampaignUpdateIn
) -> Status[CampaignUpdate]:
    """Post news or the result; signers who asked for news are e-mailed it: for those who speak
    for the organizer."""
    campaign = selectors.campaign_get(viewer=request.auth, pk=pk)
    update = outcome.update_post(actor=request.auth, campaign=campaign, **payload.dict())
    return Status(201, update)


# A sponsor's signers --------------------------------------------------------------------------


class SignerOut(Schema):
    first_name: str
    last_name: str
    email: str
    city: str
    union: str
    country: str
    language: str
    confirmed_at: datetime.datetime | None

    @staticmethod
    def resolve_country(obj: Signature) -> str:
        return str(obj.country)


@router.get(
    "/campaigns/{pk}/signers/{slug}",
    response={200: list[SignerOut], **WITH_403},
    url_name="sponsor_signer_list",
)
@paginate(Pagination)
def sponsor_signer_list(request: ApiRequest, pk: int, slug: str) -> QuerySet[Signature]:
    """The signers who consented to be contacted by the organization (the organizer or a
    co-sponsor that accepted), and did not withdraw: for those who speak for it. Audited."""
    campaign = selectors.campaign_get(viewer=request.auth, pk=pk)
    organization = get_object_or_404(Organization, slug=slug)
    if role_in(request.auth, organization) is None:
        raise Http404
    rows = sponsors.sponsor_signers(
        actor=request.auth, campaign=campaign, organization=organization
    )
    sponsors.sponsor_signers_read(
        actor=request.auth,
        campaign=campaign,
        organization=organization,
        format="api",
        n=rows.count(),
    )
    return rows
