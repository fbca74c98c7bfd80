"""The REST API on joint statements: drafting (starting one, inviting, its settings, withdrawing,
supporting, comments on paragraphs). The other parts of the app add their routers beside this one.

Statuses and the error format are described in internationale/core/api.py. A statement the
caller may not see answers 404, as if it did not exist; one the caller sees but may not act on
answers 403. Starting one for an organization the caller does not speak for answers 404, as the
organization endpoints do. With an API token, the token's organization acts, and no other.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn
from internationale.addressing.routing import Reason
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.core.visibility import Access
from internationale.organizations.api import OrganizationRef, organization_for
from internationale.organizations.models import Organization

from . import drafting, selectors, selectors_drafting, services
from .models import Comment, Participant, Statement

router = Router(tags=["statements"])
WITH_403 = {403: ErrorOut, **ERRORS}
AdoptedVisibility = Literal["addressed", "network", "public"]


class StatementOut(Schema):
    id: int
    title: str
    language: str = Field(description="The drafting language, a BCP 47 tag.")
    status: choice_of(Statement.Status)  # type: ignore[valid-type]
    initiator: OrganizationRef
    version: int | None = Field(description="The number of the current version.")
    amendments_until: datetime.datetime = Field(description="In UTC.")
    positions_until: datetime.datetime = Field(description="In UTC.")
    min_agree: int = Field(description="Agreements needed, the initiator's included.")
    min_supporters: int = Field(description="Supporters needed before positions are called.")
    silence_stands_aside: bool
    adopted_visibility: AdoptedVisibility = Field(
        description="Who reads it once adopted: addressed (its participants), network, public."
    )
    withdrawn_at: datetime.datetime | None
    withdraw_reason: str = Field("", description="Why its initiator withdrew it, if it said.")
    url: str = Field(description="Its page on the platform, an absolute link.")

    @staticmethod
    def resolve_initiator(obj: Statement) -> Organization:
        return obj.organization

    @staticmethod
    def resolve_version(obj: Statement) -> int | None:
        return obj.current_version.number if obj.current_version else None

    @staticmethod
    def resolve_amendments_until(obj: Statement) -> datetime.datetime:
        return obj.amendments_until.astimezone(datetime.UTC)

    @staticmethod
    def resolve_positions_until(obj: Statement) -> datetime.datetime:
        return obj.positions_until.astimezone(datetime.UTC)

    @staticmethod
    def resolve_url(obj: Statement) -> str:
        return absolute_url(obj.get_absolute_url())


class ParticipantOut(Schema):
    organization: OrganizationRef
    reasons: list[str] = Field(description="Why it was invited, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    supported_at: datetime.datetime | None = Field(description="When it supported the draft.")

    @staticmethod
    def resolve_reasons(obj: Participant) -> list[str]:
        return [str(Reason.from_json(r)) for r in obj.reasons]

    @staticmethod
    def resolve_codes(obj: Participant) -> list[str]:
        return [r[0] for r in obj.reasons]


class StatementDetailOut(StatementOut):
    paragraphs: list[str] | None = Field(
        description="The current version's paragraphs (Markdown), in order: for the "
        "participants only, null for others."
    )
    participants: list[ParticipantOut] | None = Field(
        description="The organizations invited, with why: for the participants only."
    )
    supporters: int | None = Field(description="How many support the draft: for participants.")

    # Set on the statement by `_detail`, for the participants only.
    @staticmethod
    def resolve_paragraphs(obj: Statement) -> list[str] | None:
        return getattr(obj, "shown_paragraphs", None)

    @staticmethod
    def resolve_participants(obj: Statement) -> list[Participant] | None:
        return getattr(obj, "shown_participants", None)

    @staticmethod
    def resolve_supporters(obj: Statement) -> int | None:
        return getattr(obj, "shown_supporters", None)


class InviteIn(CriteriaIn):
    """The addressing criteria, as in POST /statements/{id}/participants; unknown keys refused."""

    model_config = ConfigDict(extra="forbid")


class StatementIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    language: str = Field(max_length=35, description="A BCP 47 tag: en, pt-BR.")
    paragraphs: list[str] = Field(
        min_length=1, max_length=400, description="The text's paragraphs (Markdown), in order."
    )
    language_confirmed: bool = Field(
        False,
        description="Keep the language given even when the one detected in the text differs "
        "(otherwise 400 with the error on `language`, which names the language detected).",
    )
    amendments_until: datetime.datetime = Field(description="With its offset (or Z).")
    positions_until: datetime.datetime = Field(description="With its offset; not before the other.")
    adopted_visibility: AdoptedVisibility = "public"
    min_agree: int = Field(2, ge=1, le=10_000)
    min_supporters: int = Field(0, ge=0, le=10_000)
    silence_stands_aside: bool = False
    invite: InviteIn | None = Field(
        None, description="The organizations invited, chosen as appeals are addressed."
    )


class StatementPatch(Schema):
    """The settings to change while drafting; those left out keep their value."""

    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    amendments_until: datetime.datetime = LEFT_OUT
    positions_until: datetime.datetime = LEFT_OUT
    adopted_visibility: AdoptedVisibility = LEFT_OUT
    min_agree: int = Field(LEFT_OUT, ge=1, le=10_000)
    min_supporters: int = Field(LEFT_OUT, ge=0, le=10_000)
    silence_stands_aside: bool = LEFT_OUT


class WithdrawIn(Schema):
    reason: str = Field("", max_length=5000)


class SupportIn(Schema):
    organization: str = Field(
        "", max_length=80, description="Which invited organization of yours; needed if several."
    )


class CommentOut(Schema):
    id: int
    paragraph: int
    version: int
    organization: OrganizationRef
    text: str = Field(description="Markdown.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_version(obj: Comment) -> int:
        return obj.version.number


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    organization: str = Field(
        "", max_length=80, description="Which participating organization of yours; if several."
    )


def _aware(fields: dict[str, Any]) -> dict[str, Any]:
    """Deadlines need their offset: a time without one is refused on its field."""
    for name in ("amendments_until", "positions_until"):
        when = fields.get(name)
        if when is not None and when.tzinfo is None:
            raise ValidationError(
                {name: _("Give the time with its offset, such as 2030-05-01T18:00:00-03:00.")},
                code="naive",
            )
    return fields


def _statements(queryset: QuerySet[Statement]) -> QuerySet[Statement]:
    return queryset.select_related("organization", "current_version")


def _detail(access: Access[Statement]) -> Statement:
    """The statement as read now, with what its participants read of it."""
    statement = _statements(Statement.objects.filter(pk=access.obj.pk)).get()
    if selectors.is_participant_view(access):
        version = statement.current_version
        statement.shown_paragraphs = list(version.paragraphs) if version else []  # type: ignore[attr-defined]
        statement.shown_participants = list(  # type: ignore[attr-defined]
            Participant.objects.filter(statement=statement)
            .select_related("organization")
            .order_by("organization__name")
        )
        statement.shown_supporters = selectors_drafting.supporters_count(statement)  # type: ignore[attr-defined]
    return statement


def _acting(
    request: ApiRequest, candidates: list[Organization], slug: str, perm: str, obj: Any
) -> Organization:
    """The organization the caller acts for: the one named among `candidates`, or the only one."""
    if not candidates:
        require(request.auth, perm, obj)
    if slug:
        for organization in candidates:
            if organization.slug == slug:
                return organization
        raise ValidationError(
            {"organization": _("Name a participating organization you speak for.")},
            code="not_participant",
        )
    if len(candidates) > 1:
        raise ValidationError(
            {"organization": _("Say which of your organizations acts.")}, code="required"
        )
    return candidates[0]


@router.get("/statements", response={200: list[StatementOut], **ERRORS}, url_name="statement_list")
@paginate(Pagination)
def statement_list(request: ApiRequest) -> QuerySet[Statement]:
    """The statements your organizations initiated or are invited to, the latest first."""
    return selectors.statement_list(viewer=request.auth)


@router.post(
    "/organizations/{slug}/statements",
    response={201: StatementDetailOut, **ERRORS, **CONFLICT},
    url_name="statement_create",
)
def statement_create(
    request: ApiRequest,
    slug: str,
    payload: StatementIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Statement]:
    """Start a statement for a verified organization you speak for: version 1 of its text, and
    the organizations the criteria in `invite` choose invited (they are told)."""
    organization = organization_for(request, slug, "statements.initiate_statement")
    fields = _aware(payload.dict(exclude={"invite"}))
    statement = services.statement_create(
        actor=request.auth,
        organization=organization,
        criteria=payload.invite.criteria() if payload.invite else None,
        submission_key=idempotency_key,
        **fields,
    )
    return Status(201, _detail(selectors.statement_access(viewer=request.auth, pk=statement.pk)))


@router.get(
    "/statements/{pk}", response={200: StatementDetailOut, **ERRORS}, url_name="statement_detail"
)
def statement_detail(request: ApiRequest, pk: int) -> Statement:
    """A statement you may read; its text and participants if your organization takes part."""
    return _detail(selectors.statement_access(viewer=request.auth, pk=pk))


@router.patch(
    "/statements/{pk}", response={200: StatementDetailOut, **WITH_403}, url_name="statement_update"
)
def statement_update(request: ApiRequest, pk: int, payload: StatementPatch) -> Statement:
    """Change the draft's settings: for those who speak for the initiator, while drafting. The
    organizations invited are told."""
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    drafting.statement_change(
        actor=request.auth, statement=access.obj, **_aware(payload.dict(exclude_unset=True))
    )
    return _detail(access)


@router.post(
    "/statements/{pk}/withdraw",
    response={200: StatementDetailOut, **WITH_403},
    url_name="statement_withdraw",
)
def statement_withdraw(request: ApiRequest, pk: int, payload: WithdrawIn) -> Statement:
    """Withdraw a statement not adopted: for those who speak for the initiator. It is frozen;
    the organizations invited are told, with the reason."""
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    drafting.statement_withdraw(actor=request.auth, statement=access.obj, reason=payload.reason)
    return _detail(access)


@router.post(
    "/statements/{pk}/participants",
    response={201: list[ParticipantOut], **WITH_403},
    url_name="statement_invite",
)
def statement_invite(request: ApiRequest, pk: int, payload: CriteriaIn) -> Status[Any]:
    """Invite the organizations the criteria choose: for those who speak for the initiator.
    Answers those newly invited, or 400 when there is none."""
    statement = selectors.statement_get(viewer=request.auth, pk=pk)
    ids = services.statement_invite(
        actor=request.auth, statement=statement, criteria=payload.criteria()
    )
    rows = Participant.objects.filter(statement=statement, organization_id__in=ids)
    return Status(201, list(rows.select_related("organization").order_by("organization__name")))


def _support(request: ApiRequest, pk: int, payload: SupportIn, supporting: bool) -> Participant:
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    candidates = [org for org, _on in selectors_drafting.supporting_as(access)]
    organization = _acting(
        request, candidates, payload.organization, "statements.support_statement", access.obj
    )
    service = drafting.statement_support if supporting else drafting.statement_unsupport
    participant = service(actor=request.auth, statement=access.obj, organization=organization)
    return Participant.objects.select_related("organization").get(pk=participant.pk)


@router.post(
    "/statements/{pk}/support",
    response={200: ParticipantOut, **WITH_403},
    url_name="statement_support",
)
def statement_support(request: ApiRequest, pk: int, payload: SupportIn) -> Participant:
    """Your invited organization supports the draft being circulated for positions (while
    drafting). Supporting again changes nothing."""
    return _support(request, pk, payload, supporting=True)


@router.post(
    "/statements/{pk}/unsupport",
    response={200: ParticipantOut, **WITH_403},
    url_name="statement_unsupport",
)
def statement_unsupport(request: ApiRequest, pk: int, payload: SupportIn) -> Participant:
    """Your invited organization no longer supports the draft (while drafting)."""
    return _support(request, pk, payload, supporting=False)


def _paragraph(access: Access[Statement], number: int) -> None:
    version = access.obj.current_version
    if not access.concerned or version is None or not 1 <= number <= len(version.paragraphs):
        raise Http404


@router.get(
    "/statements/{pk}/paragraphs/{number}/comments",
    response={200: list[CommentOut], **ERRORS},
    url_name="comment_list",
)
@paginate(Pagination)
def comment_list(request: ApiRequest, pk: int, number: int) -> QuerySet[Comment]:
    """The comments on paragraph `number` of the current version, oldest first: for the
    participants (404 for others, and for a paragraph the version does not have)."""
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    _paragraph(access, number)
    return selectors_drafting.comment_list(access, number).select_related("version")


@router.post(
    "/statements/{pk}/paragraphs/{number}/comments",
    response={201: CommentOut, **WITH_403, **CONFLICT},
    url_name="comment_create",
)
def comment_create(
    request: ApiRequest,
    pk: int,
    number: int,
    payload: CommentIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Comment]:
    """Comment on paragraph `number` of the current version, for a participating organization you
    speak for (the initiator included). The initiator is told. Refused once the statement is
    adopted or withdrawn."""
    access = selectors.statement_access(viewer=request.auth, pk=pk)
    _paragraph(access, number)
    organization = _acting(
        request,
        selectors.speaking_participants(access),
        payload.organization,
        "statements.comment_statement",
        access.obj,
    )
    comment = drafting.comment_add(
        actor=request.auth,
        statement=access.obj,
        organization=organization,
        paragraph=number,
        text=payload.text,
        submission_key=idempotency_key,
    )
    return Status(201, Comment.objects.select_related("organization", "version").get(pk=comment.pk))
