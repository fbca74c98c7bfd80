"""The REST API on solidarity appeals: issuing, routing and sending, answers and pledges, and the
issuer's timeline. Material aid has its endpoints in the aid app (aid/api.py).

Statuses and the error format are described in internationale/core/api.py. An appeal or pledge
the caller may not see answers 404, as if it did not exist; one the caller sees but may not act on
answers 403. Issuing for an organization the caller does not speak for answers 404,
as the organization endpoints do. With an API token, the token's organization acts: it answers,
pledges and issues, and no other organization of the same person does.
"""

import datetime
import json
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AwareDatetime
from pydantic import ValidationError as PydanticValidationError

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    Amount,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
    refusal_body,
)
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.core.sliced import Sliced
from internationale.core.visibility import access_of, is_masked
from internationale.organizations import selectors as org_selectors
from internationale.organizations.api import OrganizationRef, organization_for
from internationale.organizations.models import Organization
from internationale.translation.content import reader_language, translation_of
from internationale.translation.detection import detected_language, language_unconfirmed

from . import extensions, forms, selectors, services, translations
from .models import Appeal, AppealUpdate, Pledge, Response, Situation
from .models import SupportForm as Form

router = Router(tags=["appeals"])
WITH_403 = {403: ErrorOut, **ERRORS}
AppealVisibility = Literal["public", "network", "addressed"]


# Appeals ----------------------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    organization: OrganizationRef
    title: str
    text: str = Field(description="Markdown.")
    language: str = Field(description="BCP 47 tag.")
    situation: choice_of(Situation)  # type: ignore[valid-type]
    urgency: int = Field(description="0 routine, 1 urgent, 2 emergency.")
    country: str = Field(description="ISO 3166 code.")
    place: str
    employer: str | None = Field(description="The employer's slug.")
    asks_propaganda: bool
    propaganda_details: str
    asks_sympathy: bool
    sympathy_target: str
    sympathy_address: str
    asks_material_aid: bool
    aid_goal_amount: Amount | None = Field(description="With aid_goal_currency.")
    aid_goal_currency: str = Field(description="ISO 4217 code.")
    aid_goods: str
    deadline: datetime.datetime | None
    visibility: str
    status: choice_of(Appeal.Status)  # type: ignore[valid-type]
    ring: int = Field(description="0: the issuer's criteria; 1: widened to the region; 2: all.")
    sent_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    outcome: str
    outcome_report: str
    closed_at: datetime.datetime | None
    url: str = Field(description="Its page on the platform, an absolute link.")
    translation: "AppealsTranslationOut | None" = Field(
        None,
        description="With ?lang=: in which language the texts are given, and whether a machine "
        "made them.",
    )

    @staticmethod
    def resolve_url(obj: Appeal) -> str:
        return absolute_url(obj.url)

    @staticmethod
    def resolve_country(obj: Appeal) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_employer(obj: Appeal) -> str | None:
        return obj.employer.slug if obj.employer_id else None  # type: ignore[union-attr]


class AppealsTranslationOut(Schema):
    language: str = Field(description="The language of the texts given (BCP 47).")
    status: str = Field(
        description="original, machine (a machine translation), reviewed (by a person) or human."
    )
    outdated: bool = Field(description="The original changed since this version was made.")
    original_language: str


AppealOut.model_rebuild()


class LanguageQuery(Schema):
    lang: str = Field("", max_length=35, description="Read in this language (BCP 47).")
    original: bool = Field(False, description="The original, whatever `lang` says.")


class AppealFields(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=50000)
    language: str = Field(
        "", max_length=35, description="BCP 47 tag; detected in the text when left out."
    )
    language_confirmed: bool = Field(
        False,
        description="Keep `language` although another was detected in the text (else 400 "
        "language_unconfirmed).",
    )
    situation: choice_of(Situation)  # type: ignore[valid-type]
    country: str = Field(max_length=2, description="ISO 3166 code.")
    urgency: int = Field(0, ge=0, le=2)
    place: str = Field("", max_length=200)
    employer: str = Field("", max_length=80, description="An employer's slug.")
    asks_propaganda: bool = False
    propaganda_details: str = Field("", max_length=5000)
    asks_sympathy: bool = False
    sympathy_target: str = Field("", max_length=200)
    sympathy_address: str = Field("", max_length=2000)
    asks_material_aid: bool = False
    aid_goal_amount: Amount | None = None
    aid_goal_currency: str = Field("", max_length=3)
    aid_goods: str = Field("", max_length=5000)
    deadline: AwareDatetime | None = Field(None, description="With its UTC offset.")
    visibility: AppealVisibility = "network"
    escalation_threshold: int = Field(0, ge=0, le=10000)
    escalate_at: AwareDatetime | None = Field(None, description="With its UTC offset.")


class AppealPatch(Schema):
    """The fields to change; those left out keep their value. null only where a field may be
    empty (deadline, escalate_at, aid_goal_amount): elsewhere it is refused, like a wrong type."""

    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    text: str = Field(LEFT_OUT, min_length=1, max_length=50000)
    language: str = Field(LEFT_OUT, max_length=35)
    language_confirmed: bool = Field(
        False,
        description="Keep the language although another was detected in the title or text "
        "(else 400 language_unconfirmed).",
    )
    situation: choice_of(Situation) = LEFT_OUT  # type: ignore[valid-type]
    country: str = Field(LEFT_OUT, max_length=2)
    urgency: int = Field(LEFT_OUT, ge=0, le=2)
    place: str = Field(LEFT_OUT, max_length=200)
    employer: str = Field(LEFT_OUT, max_length=80)
    asks_propaganda: bool = LEFT_OUT
    propaganda_details: str = Field(LEFT_OUT, max_length=5000)
    asks_sympathy: bool = LEFT_OUT
    sympathy_target: str = Field(LEFT_OUT, max_length=200)
    sympathy_address: str = Field(LEFT_OUT, max_length=2000)
    asks_material_aid: bool = LEFT_OUT
    aid_goal_amount: Amount | None = LEFT_OUT
    aid_goal_currency: str = Field(LEFT_OUT, max_length=3)
    aid_goods: str = Field(LEFT_OUT, max_length=5000)
    deadline: AwareDatetime | None = None
    visibility: AppealVisibility = LEFT_OUT
    escalation_threshold: int = Field(LEFT_OUT, ge=0, le=10000)
    escalate_at: AwareDatetime | None = None


class AppealQuery(Schema):
    status: choice_of(Appeal.Status, blank=True) = ""  # type: ignore[valid-type]
    situation: choice_of(Situation, blank=True) = ""  # type: ignore[valid-type]
    country: str = Field("", max_length=2, description="ISO 3166 code.")
    q: str = Field("", max_length=100, description="Part of the title or place.")
    addressed_to_mine: bool = Field(False, description="Only those sent to my organizations.")
    issued_by_mine: bool = Field(False, description="Only those my organizations issued.")


def _fields(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the services take it: the employer's slug becomes the employer."""
    if "employer" in data:
        slug = data.pop("employer")
        data["employer"] = None
        if slug:
            try:
                data["employer"] = org_selectors.employer_get(viewer=request.auth, slug=slug)
            except Http404:
                raise ValidationError(
                    {"employer": _("There is no employer with this slug.")}, code="unknown"
                ) from None
    return data


def _appeal(request: ApiRequest, pk: int) -> Appeal:
    return selectors.appeal_get(viewer=request.auth, pk=pk)


@router.get("/appeals", response={200: list[AppealOut], **ERRORS}, url_name="appeal_list")
@paginate(Pagination)
def appeal_list(request: ApiRequest, filters: Query[AppealQuery]) -> QuerySet[Appeal]:
    """The appeals you may read: your organizations' own (drafts too), those sent to them, and
    public and network ones. Most urgent first."""
    return selectors.appeal_list(
        viewer=request.auth, filters=selectors.AppealFilters(**filters.dict())
    )


@router.post(
    "/organizations/{slug}/appeals",
    response={201: AppealOut, **ERRORS, **CONFLICT},
    url_name="appeal_create",
)
def appeal_create(
    request: ApiRequest,
    slug: str,
    payload: AppealFields,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Appeal]:
    """Issue an appeal as a draft, for a verified organization you speak for. Send it with
    `/appeals/{id}/send` once you have previewed who receives it."""
    organization = organization_for(request, slug, "appeals.issue_appeal")
    fields = _fields(request, payload.dict())
    unconfirmed = _language_unconfirmed(
        [fields["title"], fields["text"]], fields["language"], fields.pop("language_confirmed")
    )
    if unconfirmed is not None:
        return unconfirmed  # type: ignore[return-value]
    appeal = services.appeal_create(
        actor=request.auth, organization=organization, **fields, submission_key=idempotency_key
    )
    return Status(201, appeal)


@router.get("/appeals/{pk}", response={200: AppealOut, **ERRORS}, url_name="appeal_detail")
def appeal_detail(request: ApiRequest, pk: int, query: Query[LanguageQuery]) -> Appeal:
    """An appeal you may read. With `?lang=`, its texts in that language when a version exists
    (else the original), and `translation` says which."""
    appeal = _appeal(request, pk)
    if query.lang:
        read = translations.readings(appeal, reader_language(query.lang), original=query.original)
        appeal.title, appeal.text = read.appeal["title"], read.appeal["text"]
        appeal.outcome_report = read.appeal["outcome_report"]
        appeal.translation = translation_of(read.appeal)  # type: ignore[attr-defined]
    return appeal


def _language_unconfirmed(
    texts: list[str],
    declared: str,
    confirmed: bool,
    *,
    field: str = "language",
    fixed: bool = False,
) -> Any:
    """A 400 with code "language_unconfirmed" (the error on `field`) when another language than
    the declared one is detected in the texts and the caller did not confirm it; None otherwise.
    `fixed`: the language is not the caller's to choose (language_unconfirmed)."""
    if not declared or confirmed:
        return None
    detected = detected_language(texts, declared)
    if not detected:
        return None
    error = language_unconfirmed(detected, declared, field=field, fixed=fixed)
    return JsonResponse(refusal_body(error), status=400)


@router.patch("/appeals/{pk}", response={200: AppealOut, **WITH_403}, url_name="appeal_update")
def appeal_update(request: ApiRequest, pk: int, payload: AppealPatch) -> Appeal:
    """Change a draft: for those who speak for the issuing organization. A sent appeal is not
    edited: post an update instead."""
    appeal = _appeal(request, pk)
    fields = _fields(request, payload.dict(exclude_unset=True))
    confirmed = fields.pop("language_confirmed", False)
    if {"title", "text", "language"} & set(fields):
        unconfirmed = _language_unconfirmed(
            [fields.get("title", appeal.title), fields.get("text", appeal.text)],
            fields.get("language", appeal.language),
            confirmed,
        )
        if unconfirmed is not None:
            return unconfirmed  # type: ignore[no-any-return]
    return services.appeal_edit(actor=request.auth, appeal=appeal, **fields)


# Routing ----------------------------------------------------------------------------------------


class AppealsProposalOut(Schema):
    organization: OrganizationRef
    country: str
    reasons: list[str] = Field(description="Why it receives the appeal, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")


@router.post(
    "/appeals/{pk}/addressees/preview",
    response={200: list[AppealsProposalOut], **ERRORS},
    url_name="appeal_preview",
)
@paginate(Pagination)
def appeal_preview(request: ApiRequest, pk: int, payload: CriteriaIn) -> Sliced[dict[str, Any]]:
    """Who the appeal would go to with these criteria, and why, a page at a time (`limit`,
    `offset`), strongest reasons first; `count` is how many in all. Changes nothing. For those
    who may send it; 404 for others."""
    appeal = _appeal(request, pk)
    proposals = selectors.addressee_preview(
        viewer=request.auth, appeal=appeal, criteria=payload.criteria()
    )
    return Sliced(
        proposals.candidates,
        lambda page: [
            {
                "organization": p.organization,
                "country": p.country,
                "reasons": [str(r) for r in p.reasons],
                "codes": [r.code for r in p.reasons],
            }
            for p in page
        ],
    )


@router.post("/appeals/{pk}/send", response={200: AppealOut, **WITH_403}, url_name="appeal_send")
def appeal_send(request: ApiRequest, pk: int, payload: CriteriaIn) -> Appeal:
    """Send a draft to the organizations the criteria choose. Their inboxes fill in the
    background."""
    appeal = _appeal(request, pk)
    return services.appeal_send(actor=request.auth, appeal=appeal, criteria=payload.criteria())


class AddresseesIn(Schema):
    organizations: list[str] = Field(
        min_length=1, max_length=500, description="Slugs of verified organizations to add."
    )


@router.post(
    "/appeals/{pk}/addressees",
    response={200: list[OrganizationRef], **WITH_403},
    url_name="appeal_add_addressees",
)
def appeal_add_addressees(
    request: ApiRequest, pk: int, payload: AddresseesIn
) -> list[Organization]:
    """Send an open or escalated appeal to more organizations. Only those that did not have it
    yet receive it: the answer lists them. An unknown slug refuses the whole request."""
    appeal = _appeal(request, pk)
    require(request.auth, "appeals.send_appeal", appeal)
    organizations = selectors.addressable_by_slug(
        viewer=request.auth, appeal=appeal, slugs=payload.organizations
    )
    new = set(
        services.appeal_add_addressees(
            actor=request.auth, appeal=appeal, organizations=organizations
        )
    )
    return [o for o in organizations if o.pk in new]


@router.post(
    "/appeals/{pk}/escalate", response={200: AppealOut, **WITH_403}, url_name="appeal_escalate"
)
def appeal_escalate(request: ApiRequest, pk: int) -> Appeal:
    """Widen a sent appeal by one ring now: the region, then the whole network."""
    appeal = _appeal(request, pk)
    return services.appeal_escalate_now(actor=request.auth, appeal=appeal)


class ResolveIn(Schema):
    outcome: choice_of(Appeal.Outcome)  # type: ignore[valid-type]
    outcome_report: str = Field(max_length=20000, description="Markdown, in the appeal's language.")
    language_confirmed: bool = Field(
        False,
        description="The report is in the appeal's language although another was detected in "
        "it (else 400 language_unconfirmed on `outcome_report`).",
    )


@router.post(
    "/appeals/{pk}/resolve", response={200: AppealOut, **WITH_403}, url_name="appeal_resolve"
)
def appeal_resolve(request: ApiRequest, pk: int, payload: ResolveIn) -> Appeal:
    """Resolve the appeal with an outcome and a report for those who helped."""
    appeal = _appeal(request, pk)
    unconfirmed = _language_unconfirmed(
        [payload.outcome_report],
        appeal.language,
        payload.language_confirmed,
        field="outcome_report",
        fixed=True,
    )
    if unconfirmed is not None:
        return unconfirmed  # type: ignore[no-any-return]
    return services.appeal_resolve(
        actor=request.auth, appeal=appeal, outcome=payload.outcome, report=payload.outcome_report
    )


@router.post("/appeals/{pk}/close", response={200: AppealOut, **WITH_403}, url_name="appeal_close")
def appeal_close(request: ApiRequest, pk: int) -> Appeal:
    """Close the appeal: it stays readable and nobody answers it any more."""
    appeal = _appeal(request, pk)
    return services.appeal_close(actor=request.auth, appeal=appeal)


# Answers ----------------------------------------------------------------------------------------


def _answering(request: ApiRequest, appeal: Appeal, slug: str) -> Organization:
    """The addressee organization the caller answers for: the one named, or the only one."""
    candidates = selectors.answering_organizations(access_of(appeal, request.auth))
    if not candidates:
        require(request.auth, "appeals.respond_to_appeal", appeal)
    if slug:
        for organization in candidates:
            if organization.slug == slug:
                return organization
        raise ValidationError(
            {"organization": _("You do not answer this appeal for this organization.")},
            code="not_addressee",
        )
    if len(candidates) > 1:
        raise ValidationError(
            {"organization": _("Say which of your organizations answers.")}, code="required"
        )
    return candidates[0]


class ResponseOut(Schema):
    id: int
    organization: OrganizationRef | None = Field(
        None,
        description="Who answered; null for a pledge that is not public, unless you are the "
        "issuer or the pledger.",
    )
    kind: choice_of(Response.Kind)  # type: ignore[valid-type]
    reason: str
    passed_to: OrganizationRef | None
    created_at: datetime.datetime


class ResponseIn(Schema):
    kind: str = Field(description="acknowledged, declined or passed (a pledge: see /pledges).")
    organization: str = Field("", max_length=80, description="Which of your organizations.")
    reason: str = Field("", max_length=2000, description="Why you decline.")
    to: str = Field("", max_length=80, description="The slug of the organization to pass to.")


@router.get(
    "/appeals/{pk}/responses",
    response={200: list[ResponseOut], **ERRORS},
    url_name="response_list",
)
@paginate(Pagination)
def response_list(request: ApiRequest, pk: int) -> Sliced[Response]:
    """The answers to an appeal: for the issuer's and the addressees' people; empty for others."""
    return selectors.response_list(selectors.appeal_access(viewer=request.auth, pk=pk))


@router.post(
    "/appeals/{pk}/responses",
    response={201: ResponseOut, **WITH_403},
    url_name="response_create",
)
def response_create(request: ApiRequest, pk: int, payload: ResponseIn) -> Status[Response]:
    """Acknowledge, decline (with a reason) or pass the appeal on, for an addressee organization
    you speak for. Acknowledging twice records it once."""
    appeal = _appeal(request, pk)
    organization = _answering(request, appeal, payload.organization)
    actor = request.auth
    if payload.kind == Response.Kind.ACKNOWLEDGED:
        response = services.appeal_acknowledge(
            actor=actor, appeal=appeal, organization=organization
        )
    elif payload.kind == Response.Kind.DECLINED:
        response = services.appeal_decline(
            actor=actor, appeal=appeal, organization=organization, reason=payload.reason
        )
    elif payload.kind == Response.Kind.PASSED:
        target = Organization.objects.filter(slug=payload.to, verified_at__isnull=False).first()
        if target is None:
            raise ValidationError(
                {"to": _("There is no such verified organization to pass the appeal to.")},
                code="unknown_addressee",
            )
        response = services.appeal_pass(
            actor=actor, appeal=appeal, organization=organization, to=target
        )
    else:
        raise ValidationError(
            {"kind": _("Choose acknowledged, declined or passed.")}, code="invalid"
        )
    return Status(201, response)


# Pledges ----------------------------------------------------------------------------------------


class ReceiptOut(Schema):
    contribution: int = Field(description="The contribution's id.")
    amount: Amount | None
    currency: str
    goods: str
    confirmed_at: datetime.datetime

    @staticmethod
    def resolve_contribution(obj: Any) -> int:
        return int(obj.pk)


class PledgeOut(Schema):
    id: int
    appeal: int
    organization: OrganizationRef | None = Field(
        None, description="Who pledged; null unless public or you are the issuer or the pledger."
    )
    forms: list[choice_of(Form)] = Field(  # type: ignore[valid-type]
        description="The forms of support pledged, one or more, in the order propaganda, "
        "sympathy, material_aid."
    )
    form: choice_of(Form, blank=True) = Field(  # type: ignore[valid-type]
        description="Deprecated: the first of `forms`, for clients written when a pledge had "
        "one form. Read `forms`."
    )
    description: str
    due_date: datetime.date | None
    amount: Amount | None = Field(description="Hidden (null) unless public or yours.")
    currency: str
    goods: str
    public: bool
    campaign: int | None = Field(
        None, description="The campaign launched for the appeal this sympathy pledge points to."
    )
    status: choice_of(Pledge.Status)  # type: ignore[valid-type]
    evidence_text: str
    evidence_link: str
    evidence_url: str | None = Field(
        description="The absolute URL where the evidence file is served, to those who may see it; "
        "null if none."
    )
    fulfilled_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    fulfilled_by_receipt: bool = Field(
        description="Fulfilled when the issuing organization confirmed receipt of the aid: its "
        "evidence is then the confirmed aid in `receipts`, not a text, link or file."
    )
    receipts: list[ReceiptOut] = Field(
        description="The confirmed aid that fulfilled the pledge; empty unless fulfilled by "
        "receipt, and unless the amount shows to you."
    )

    @staticmethod
    def resolve_campaign(obj: Pledge) -> int | None:
        return obj.campaign_ref

    @staticmethod
    def resolve_appeal(obj: Pledge) -> int:
        return obj.appeal_id

    @staticmethod
    def resolve_form(obj: Pledge) -> str:
        return next(iter(obj.forms), "")

    @staticmethod
    def _receipts(obj: Pledge) -> list[Any]:
        # Attached by the aid app (see extensions.py), in one query for a list of pledges.
        if obj.status != Pledge.Status.FULFILLED:
            return []
        if not hasattr(obj, "receipts"):
            extensions.attach_pledge_details([obj])
        return getattr(obj, "receipts", [])

    @staticmethod
    def resolve_fulfilled_by_receipt(obj: Pledge) -> bool:
        return bool(PledgeOut._receipts(obj))

    @staticmethod
    def resolve_receipts(obj: Pledge, context: dict[str, Any]) -> list[Any]:
        return PledgeOut._receipts(obj) if PledgeOut._shown(obj, context) else []

    @staticmethod
    def _shown(obj: Pledge, context: dict[str, Any]) -> bool:
        return not is_masked(obj, "details")

    @staticmethod
    def resolve_evidence_url(obj: Pledge, context: dict[str, Any]) -> str | None:
        # Blank when masked (Pledge.audience), like the other details.
        return (
            absolute_url(reverse("pledge_evidence", args=[obj.pk])) if obj.evidence_file else None
        )


class PledgeIn(Schema):
    organization: str = Field("", max_length=80, description="Which of your organizations.")
    forms: list[choice_of(Form)] = Field(  # type: ignore[valid-type]
        description="The forms of support pledged: one or more, each once, each one the appeal "
        "asks for. An amount, a currency or goods only with material_aid among them."
    )
    description: str = Field(min_length=1, max_length=5000)
    due_date: datetime.date | None = None
    amount: Amount | None = None
    currency: str = Field("", max_length=3, description="ISO 4217 code.")
    goods: str = Field("", max_length=5000)
    public: bool = False
    campaign: int | None = Field(
        None,
        ge=1,
        description="With sympathy among `forms`: the id of a campaign launched for the appeal "
        "that the pledge points to.",
    )


class FulfilIn(Schema):
    evidence_text: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


def _pledge(request: ApiRequest, pk: int) -> Pledge:
    return selectors.pledge_get(viewer=request.auth, pk=pk)


@router.get(
    "/appeals/{pk}/pledges", response={200: list[PledgeOut], **ERRORS}, url_name="pledge_list"
)
@paginate(Pagination)
def pledge_list(request: ApiRequest, pk: int) -> list[Pledge]:
    """The pledges you may see. Amounts and goods show to the issuer and the pledger, or to
    anyone when the pledge is public."""
    pledges = selectors.pledge_list(selectors.appeal_access(viewer=request.auth, pk=pk))
    extensions.attach_pledge_details(pledges)
    return pledges


@router.post(
    "/appeals/{pk}/pledges",
    response={201: PledgeOut, **WITH_403, **CONFLICT},
    url_name="pledge_create",
)
def pledge_create(
    request: ApiRequest,
    pk: int,
    payload: PledgeIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Pledge]:
    """Pledge support for an addressee organization you speak for."""
    appeal = _appeal(request, pk)
    organization = _answering(request, appeal, payload.organization)
    fields = payload.dict(exclude={"organization"})
    pledge = services.pledge_create(
        actor=request.auth,
        appeal=appeal,
        organization=organization,
        **fields,
        submission_key=idempotency_key,
    )
    return Status(201, pledge)


FULFIL_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": FulfilIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **FulfilIn.model_json_schema()["properties"],
                        "evidence_file": {
                            "type": "string",
                            "format": "binary",
                            "description": "At most 5 MB: PDF, JPEG, PNG, GIF, WebP (not "
                            "animated), plain UTF-8 text, ODT or DOCX, checked by its content. "
                            "Images are stored re-encoded, without EXIF, GPS, XMP or comments.",
                        },
                    },
                }
            },
        },
    }
}


def _require_object(data: Any) -> None:
    """A body read by hand (for multipart too) is a JSON object, as ninja requires of the rest."""
    if not isinstance(data, dict):
        raise ValidationError(_("The request body must be a JSON object."), code="invalid")


def _fulfil_form(request: ApiRequest) -> forms.FulfilForm:
    """The evidence, as JSON or as multipart form data with a file, checked by the same form as
    the page's."""
    if request.content_type == "multipart/form-data":
        return forms.FulfilForm(request.POST, request.FILES)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(_("The request body is not valid JSON."), code="invalid") from None
    _require_object(data)
    try:
        payload = FulfilIn.model_validate(data)
    except PydanticValidationError as error:
        raise SchemaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors()]
        ) from None
    return forms.FulfilForm(payload.dict())


@router.post(
    "/pledges/{pk}/fulfil",
    response={200: PledgeOut, **WITH_403},
    url_name="pledge_fulfil",
    openapi_extra=FULFIL_BODY,
)
def pledge_fulfil(request: ApiRequest, pk: int) -> Pledge:
    """Mark a pledge fulfilled, with evidence: a text, a link or a file. Send JSON, or, with a
    file, multipart/form-data. The file is served only through the appeal pages, to those who may
    see the pledge: see `evidence_url`."""
    pledge = _pledge(request, pk)
    require(request.auth, "appeals.change_pledge", pledge)
    form = _fulfil_form(request)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = form.cleaned_data
    return services.pledge_fulfil(
        actor=request.auth,
        pledge=pledge,
        evidence_text=data["evidence_text"],
        evidence_link=data["evidence_link"],
        evidence_file=data["evidence_file"] or None,
    )


@router.post(
    "/pledges/{pk}/withdraw", response={200: PledgeOut, **WITH_403}, url_name="pledge_withdraw"
)
def pledge_withdraw(request: ApiRequest, pk: int) -> Pledge:
    """Withdraw a pledge not yet fulfilled."""
    return services.pledge_withdraw(actor=request.auth, pledge=_pledge(request, pk))


# The timeline -----------------------------------------------------------------------------------


class UpdateOut(Schema):
    id: int
    kind: choice_of(AppealUpdate.Kind)  # type: ignore[valid-type]
    text: str
    language: str = Field(description="The language of its original text (BCP 47).")
    translation: AppealsTranslationOut | None = Field(
        None, description="With ?lang=: as for appeals."
    )
    data: dict[str, Any]
    created_at: datetime.datetime


class UpdateIn(Schema):
    text: str = Field(min_length=1, max_length=20000, description="Markdown.")
    language: str = Field("", max_length=35, description="BCP 47 tag; the appeal's if left out.")
    language_confirmed: bool = Field(
        False, description="Keep `language` although another was detected in the text."
    )


@router.get(
    "/appeals/{pk}/updates", response={200: list[UpdateOut], **ERRORS}, url_name="update_list"
)
@paginate(Pagination)
def update_list(request: ApiRequest, pk: int, query: Query[LanguageQuery]) -> Any:
    """The appeal's timeline: sent, updates, escalations, resolution. With `?lang=`, each text
    in that language when a version exists, and `translation` says which."""
    access = selectors.appeal_access(viewer=request.auth, pk=pk)
    updates = selectors.timeline(access)
    if not query.lang:
        return updates
    read = translations.readings(access.obj, reader_language(query.lang), original=query.original)
    shown = list(updates)
    for update in shown:
        reading = read.of(update)
        update.text = reading["text"]
        update.translation = translation_of(reading)  # type: ignore[attr-defined]
    return shown


@router.post(
    "/appeals/{pk}/updates",
    response={201: UpdateOut, **WITH_403, **CONFLICT},
    url_name="update_create",
)
def update_create(
    request: ApiRequest,
    pk: int,
    payload: UpdateIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[AppealUpdate]:
    """Post an update; every organization that answered gets it in its inbox."""
    appeal = _appeal(request, pk)
    unconfirmed = _language_unconfirmed(
        [payload.text], payload.language or appeal.language, payload.language_confirmed
    )
    if unconfirmed is not None:
        return unconfirmed  # type: ignore[no-any-return]
    update = services.appeal_post_update(
        actor=request.auth,
        appeal=appeal,
        text=payload.text,
        language=payload.language,
        submission_key=idempotency_key,
    )
    return Status(201, update)


@router.get(
    "/organizations/{slug}/pledges-owed",
    response={200: list[PledgeOut], **ERRORS},
    url_name="pledges_owed",
)
@paginate(Pagination)
def pledges_owed(request: ApiRequest, slug: str) -> QuerySet[Pledge]:
    """What the organization pledged and has not yet done, the nearest first: for its people."""
    organization = organization_for(request, slug, "organizations.view_inbox")
    return selectors.pledges_owed(viewer=request.auth, organization=organization)
