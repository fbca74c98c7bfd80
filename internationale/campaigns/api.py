"""The REST API of campaigns. Statuses and the error format are described in internationale/core/api.py.

Organizers and co-sponsors manage campaigns as on the pages: a campaign the caller may not see
answers 404, as if it did not exist; one the caller sees but may not act on answers 403; preparing
one for an organization the caller does not speak for answers 404, as the organization endpoints
do. With an API token, the token's organization acts, and no other of the same person.

Three endpoints need no authentication, for other front ends (an organization's own site): the
public campaign (to show it and its sign form), signing and confirming. They behave as the pages
do: signing answers 202 whether the signature was new, signed again or screened out.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn
from internationale.addressing.routing import Reason
from internationale.core.actors import ANONYMOUS
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.http import client_ip
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.organizations.api import organization_for
from internationale.organizations.reference import normalize_language
from internationale.translation.content import reading

from . import public_page, selectors, services, signing
from .models import Campaign, Sponsor, Target

router = Router(tags=["campaigns"])
WITH_403 = {403: ErrorOut, **ERRORS}


class OrganizationRef(Schema):
    slug: str
    name: str


class TargetSchema(Schema):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=254)
    postal_address: str = Field("", max_length=1000)


class CampaignOut(Schema):
    id: int
    kind: choice_of(Campaign.Kind)  # type: ignore[valid-type]
    status: choice_of(Campaign.Status)  # type: ignore[valid-type]
    title: str
    text: str = Field(description="Markdown, in `language`.")
    language: str = Field(description="The language of the text, a BCP 47 tag.")
    organizer: OrganizationRef
    appeal: int | None = Field(description="The appeal it answers, if any.")
    goal: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    delivery: choice_of(Campaign.Delivery)  # type: ignore[valid-type]
    delivery_every: int
    targets: list[TargetSchema] = Field(
        description="Whom it is addressed to. Their e-mail and postal addresses only to those who "
        "speak for the organizer (empty for anyone else): a target may be a person."
    )
    signatures: int = Field(description="The public count (at most a few seconds behind).")
    launched_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    url: str = Field(description="Its page on the platform, an absolute link.")

    @staticmethod
    def resolve_organizer(obj: Campaign) -> Any:
        return obj.organization

    @staticmethod
    def resolve_appeal(obj: Campaign) -> int | None:
        return obj.appeal_id

    @staticmethod
    def resolve_targets(obj: Campaign, context: Any) -> list[Target] | list[dict[str, str]]:
        targets = list(obj.targets.all())
        if context["request"].auth.has_perm("campaigns.change_campaign", obj):
            return targets
        return [{"name": target.name, "email": "", "postal_address": ""} for target in targets]

    @staticmethod
    def resolve_signatures(obj: Campaign) -> int:
        return selectors.signature_count(obj)

    @staticmethod
    def resolve_url(obj: Campaign) -> str:
        return absolute_url(obj.get_absolute_url())


class CampaignIn(Schema):
    kind: choice_of(Campaign.Kind) = "letter"  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000, description="Markdown.")
    language: str = Field(max_length=35, description="The language of the text, a BCP 47 tag.")
    goal: int = Field(ge=1, le=100_000_000)
    starts_at: datetime.datetime = Field(description="With its offset.")
    ends_at: datetime.datetime = Field(description="With its offset; after the start.")
    delivery: choice_of(Campaign.Delivery) = "every"  # type: ignore[valid-type]
    delivery_every: int = Field(100, ge=1, le=1_000_000)
    targets: list[TargetSchema] = Field(min_length=1, max_length=20)
    appeal: int | None = Field(None, description="An appeal of the organization it answers.")
    language_confirmed: bool = Field(
        False,
        description="Keep `language` although another was detected in the title or text "
        "(otherwise 400 with the code language_unconfirmed and the language `detected`).",
    )


class CampaignPatch(Schema):
    """The fields to change; those left out keep their value. Once launched, only the goal, the
    end and the delivery may change."""

    kind: choice_of(Campaign.Kind) = LEFT_OUT  # type: ignore[valid-type]
    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    text: str = Field(LEFT_OUT, min_length=1, max_length=20000)
    language: str = Field(LEFT_OUT, max_length=35)
    goal: int = Field(LEFT_OUT, ge=1, le=100_000_000)
    starts_at: datetime.datetime = LEFT_OUT
    ends_at: datetime.datetime = LEFT_OUT
    delivery: choice_of(Campaign.Delivery) = LEFT_OUT  # type: ignore[valid-type]
    delivery_every: int = Field(LEFT_OUT, ge=1, le=1_000_000)
    language_confirmed: bool = Field(
        False, description="As when preparing it: keep a text in another language than given."
    )
    targets: list[TargetSchema] = Field(LEFT_OUT, min_length=1, max_length=20)


class SponsorOut(Schema):
    organization: OrganizationRef
    status: choice_of(Sponsor.Status)  # type: ignore[valid-type]
    reasons: list[str] = Field(description="Why it was invited, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_reasons(obj: Sponsor) -> list[str]:
        return [str(Reason.from_json(r)) for r in obj.reasons]

    @staticmethod
    def resolve_codes(obj: Sponsor) -> list[str]:
        return [r[0] for r in obj.reasons]


class SponsorProposalOut(Schema):
    organization: OrganizationRef
    country: str
    reasons: list[str] = Field(description="Why it would be invited, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    invited: bool = Field(description="Invited already.")


class SponsorAnswerIn(Schema):
    answer: Literal["accept", "decline"]
    organization: str = Field("", max_length=80, description="Which of your organizations.")


def _campaign(request: ApiRequest, pk: int) -> Campaign:
    return selectors.campaign_get(viewer=request.auth, pk=pk)


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS}, url_name="campaign_list")
@paginate(Pagination)
def campaign_list(request: ApiRequest) -> QuerySet[Campaign]:
    """The campaigns your organizations run or are invited to co-sponsor, the latest first."""
    return selectors.campaign_list(viewer=request.auth).prefetch_related("targets")


@router.post(
    "/organizations/{slug}/campaigns",
    response={201: CampaignOut, **ERRORS, **CONFLICT},
    url_name="campaign_create",
)
def campaign_create(
    request: ApiRequest,
    slug: str,
    payload: CampaignIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Campaign]:
    """Prepare a campaign run by a verified organization you speak for: a draft, seen by your
    organization and those invited to co-sponsor it until launched."""
    organization = organization_for(request, slug, "campaigns.launch_campaign")
    fields = payload.dict()
    appeal_id = fields.pop("appeal")
    appeal = selectors.appeal_to_launch_from(viewer=request.auth, pk=appeal_id)
    if appeal_id is not None and appeal is None:
        raise ValidationError(
            {"appeal": [_("No appeal of yours has this number.")]}, code="unknown_appeal"
        )
    campaign = services.campaign_create(
        actor=request.auth,
        organization=organization,
        appeal=appeal,
        submission_key=idempotency_key,
        **fields,
    )
    return Status(201, campaign)


@router.get("/campaigns/{pk}", response={200: CampaignOut, **ERRORS}, url_name="campaign_detail")
def campaign_detail(request: ApiRequest, pk: int) -> Campaign:
    """A campaign you may read, with its targets and count."""
    return _campaign(request, pk)


@router.patch(
    "/campaigns/{pk}", response={200: CampaignOut, **WITH_403}, url_name="campaign_update"
)
def campaign_update(request: ApiRequest, pk: int, payload: CampaignPatch) -> Campaign:
    """Change a campaign: for those who speak for the organizer."""
    campaign = _campaign(request, pk)
    fields = payload.dict(exclude_unset=True)
    targets = fields.pop("targets", None)
    return services.campaign_edit(actor=request.auth, campaign=campaign, targets=targets, **fields)


@router.post(
    "/campaigns/{pk}/launch", response={200: CampaignOut, **WITH_403}, url_name="campaign_launch"
)
def campaign_launch(request: ApiRequest, pk: int) -> Campaign:
    """Make a draft public and open to signatures between its start and its end."""
    return services.campaign_launch(actor=request.auth, campaign=_campaign(request, pk))


@router.post(
    "/campaigns/{pk}/close", response={200: CampaignOut, **WITH_403}, url_name="campaign_close"
)
def campaign_close(request: ApiRequest, pk: int) -> Campaign:
    """Stop taking signatures before the end. Cannot be undone."""
    return services.campaign_close(actor=request.auth, campaign=_campaign(request, pk))


@router.get(
    "/campaigns/{pk}/sponsors", response={200: list[SponsorOut], **ERRORS}, url_name="sponsor_list"
)
@paginate(Pagination)
def sponsor_list(request: ApiRequest, pk: int) -> list[Sponsor]:
    """The organizations invited to co-sponsor and their answers: all of them for the organizer's
    people and those invited; for others, those who accepted."""
    return selectors.sponsor_list(selectors.campaign_access(viewer=request.auth, pk=pk))


@router.post(
    "/campaigns/{pk}/sponsors/preview",
    response={200: list[SponsorProposalOut], **ERRORS},
    url_name="sponsor_preview",
)
def sponsor_preview(request: ApiRequest, pk: int, payload: CriteriaIn) -> list[dict[str, Any]]:
    """Who these criteria would invite to co-sponsor, and why. Changes nothing. For those who may
    invite; 404 for others."""
    campaign = _campaign(request, pk)
    proposals = selectors.sponsor_preview(
        viewer=request.auth, campaign=campaign, criteria=payload.criteria()
    )
    already = selectors.invited_ids(campaign)
    return [
        {
            "organization": p.organization,
            "country": str(p.organization.country),
            "reasons": [str(r) for r in p.reasons],
            "codes": [r.code for r in p.reasons],
            "invited": p.organization_id in already,
        }
        for p in proposals
    ]


@router.post(
    "/campaigns/{pk}/sponsors",
    response={201: list[SponsorOut], **WITH_403},
    url_name="sponsor_invite",
)
def sponsor_invite(request: ApiRequest, pk: int, payload: CriteriaIn) -> Status[Any]:
    """Invite the organizations the criteria choose to co-sponsor (as appeals are addressed).
    Answers the new invitations, or 400 when there is none."""
    campaign = _campaign(request, pk)
    ids = services.sponsors_invite(
        actor=request.auth, campaign=campaign, criteria=payload.criteria()
    )
    rows = Sponsor.objects.filter(campaign=campaign, organization_id__in=ids).select_related(
        "organization"
    )
    return Status(201, list(rows.order_by("organization__name")))


@router.post(
    "/campaigns/{pk}/sponsors/answer",
    response={200: SponsorOut, **WITH_403},
    url_name="sponsor_answer",
)
def sponsor_answer(request: ApiRequest, pk: int, payload: SponsorAnswerIn) -> Sponsor:
    """Accept or decline to co-sponsor, for an invited organization you speak for."""
    access = selectors.campaign_access(viewer=request.auth, pk=pk)
    candidates = selectors.answering_organizations(access)
    if not candidates:
        require(request.auth, "campaigns.answer_sponsorship", access.obj)
    chosen = (
        [o for o in candidates if o.slug == payload.organization]
        if payload.organization
        else candidates
    )
    if len(chosen) != 1:
        raise ValidationError(
            {
                "organization": [
                    _("Say which of your invited organizations answers.")
                    if not payload.organization
                    else _("You do not answer this invitation for this organization.")
                ]
            },
            code="organization",
        )
    return services.sponsorship_answer(
        actor=request.auth,
        campaign=access.obj,
        organization=chosen[0],
        accept=payload.answer == "accept",
    )


# The public: no authentication ------------------------------------------------------------------


class ConsentChoice(Schema):
    id: int = Field(description="The organization's number, to give in `consents`.")
    name: str


class PublicCampaignOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    text: str = Field(description="Markdown, in `language`: the reader's version when asked.")
    language: str
    original_language: str
    machine_translation: bool
    organizer: str
    co_sponsors: list[str]
    targets: list[str]
    goal: int
    signatures: int
    signers: list[dict[str, str]] = Field(
        description="The latest signers who chose to be shown: first name and country."
    )
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    signable: bool
    consent_choices: list[ConsentChoice] = Field(
        description="The organizations a signer may agree to be contacted by; none ticked."
    )
    url: str


@router.get(
    "/campaigns/{pk}/public",
    response={200: PublicCampaignOut, **ERRORS},
    url_name="campaign_public",
    auth=None,
)
def campaign_public(request: HttpRequest, pk: int, lang: str = "") -> dict[str, Any]:
    """A launched campaign as the public reads it, in the language asked for (`?lang=`, a BCP 47
    tag) when it has a version in it. No authentication."""
    try:
        asked = normalize_language(lang) if lang else ""
    except ValueError:
        raise ValidationError(
            {"lang": [_("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": lang}]},
            code="invalid_language",
        ) from None
    # The same for every reader (no authentication, nothing personal): kept as the campaign's
    # public page is (public_page.py), until the campaign or its count changes. A campaign the
    # public may not see raises Http404 in `_public`, and nothing is kept.
    return public_page.pages.kept(pk, lambda: _public(pk, asked), "api", asked)


def _public(pk: int, asked: str) -> dict[str, Any]:
    campaign = selectors.campaign_get(viewer=ANONYMOUS, pk=pk)
    shown = reading(campaign, asked or campaign.language)
    return {
        "id": campaign.pk,
        "kind": campaign.kind,
        "status": campaign.status,
        "title": shown["title"],
        "text": shown["text"],
        "language": shown.language,
        "original_language": shown.original_language,
        "machine_translation": shown.by_machine,
        "organizer": campaign.organization.name,
        "co_sponsors": [o.name for o in selectors.accepted_sponsors(campaign)],
        "targets": [t.name for t in selectors.target_list(campaign)],
        "goal": campaign.goal,
        "signatures": selectors.signature_count(campaign),
        "signers": [
            {"first_name": s["first_name"], "country": str(s["country"])}
            for s in selectors.latest_signers(campaign)
        ],
        "starts_at": campaign.starts_at,
        "ends_at": campaign.ends_at,
        "signable": campaign.is_signable(),
        "consent_choices": [
            {"id": pk, "name": name} for pk, name in signing.consent_choices(campaign)
        ],
        "url": absolute_url(campaign.get_absolute_url()),
    }


class CampaignSignIn(Schema):
    first_name: str = Field(min_length=1, max_length=signing.LIMITS["first_name"])
    last_name: str = Field("", max_length=signing.LIMITS["last_name"])
    email: str = Field(max_length=signing.LIMITS["email"])
    country: str = Field(max_length=2, description="ISO 3166 alpha-2 code.")
    city: str = Field("", max_length=signing.LIMITS["city"])
    union: str = Field("", max_length=signing.LIMITS["union"])
    language: str = Field("", max_length=35, description="BCP 47: of the e-mails to the signer.")
    show_publicly: bool = Field(False, description="Show the first name and country.")
    wants_news: bool = False
    consents: list[int] = Field(
        default_factory=list,
        max_length=50,
        description="The organizations (see `consent_choices`) the signer agrees to be "
        "contacted by. Never tick them for the signer.",
    )


class SignedOut(Schema):
    detail: str


@router.post(
    "/campaigns/{pk}/signatures",
    response={202: SignedOut, **ERRORS},
    url_name="campaign_sign",
    auth=None,
)
def campaign_sign(request: HttpRequest, pk: int, payload: CampaignSignIn) -> Status[dict[str, str]]:
    """Sign a campaign without an account. Answers 202 and e-mails a confirmation link: the
    signature counts once confirmed. Signing again with the same address is answered the same
    and sends a new link while unconfirmed. No authentication."""
    # The campaign as the public sees it, kept per process; the signature is received (one row)
    # and screened by the worker.
    campaign = signing.signable_campaign(pk)
    signing.signature_receive(
        campaign=campaign,
        client_address=client_ip(request),
        **payload.dict(),
    )
    return Status(
        202,
        {"detail": _("Thank you. Confirm your signature with the link sent to your address.")},
    )


class SignatureConfirmIn(Schema):
    token: str = Field(min_length=1, max_length=100, description="From the link in the e-mail.")


class ConfirmedOut(Schema):
    detail: str
    campaign: int


@router.post(
    "/campaigns/signatures/confirm",
    response={200: ConfirmedOut, **ERRORS},
    url_name="signature_confirm",
    auth=None,
)
def signature_confirm(request: HttpRequest, payload: SignatureConfirmIn) -> dict[str, Any]:
    """Confirm a signature with the token of its link, once, before it expires. No
    authentication."""
    confirmed = signing.signature_confirm(token=payload.token)
    return {"detail": _("Your signature is confirmed."), "campaign": confirmed.campaign.pk}


# After signing: screening, deliveries, updates, a sponsor's signers (api_signers.py).
from .api_signers import router as signers  # noqa: E402

router.add_router("", signers)
