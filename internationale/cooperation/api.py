"""The REST API on meetings: planning one, inviting organizations with the addressing of appeals,
and answering an invitation with the organization's delegates.

Statuses and the error format are described in internationale/core/api.py. A meeting the caller
may not see answers 404, as if it did not exist; one the caller sees but may not act on answers
403. Hosting for an organization the caller does not speak for answers 404, as the organization
endpoints do. With an API token, the token's organization acts, and no other of the same person.
"""

import datetime
import zoneinfo
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn, slugs_to_ids
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
from internationale.organizations.api import OrganizationRef, organization_for
from internationale.organizations.models import Organization
from internationale.translation.content import reader_language, translation_of

from . import languages, selectors, services
from .models import Delegate, Invitation, Meeting

router = Router(tags=["meetings"])
WITH_403 = {403: ErrorOut, **ERRORS}
MeetingVisibility = Literal["public", "network", "addressed"]


class CooperationTranslationOut(Schema):
    """In which language the texts of an answer are, and how they were made."""

    language: str = Field(description="The language of the texts given, a BCP 47 tag.")
    status: Literal["original", "machine", "reviewed", "human"] = Field(
        description="original: the texts as written; machine: a machine translation; reviewed: "
        "a machine translation reviewed by a person; human: translated by a person."
    )
    outdated: bool = Field(description="Whether the original changed since the version was made.")
    original_language: str = Field(description="The language the original is written in.")


LANG = Query(
    "",
    max_length=35,
    description="The language to read the texts in (a BCP 47 tag): its version when there is "
    "one, else the original. Left out: the original. See `translation`.",
)


class MeetingOut(Schema):
    id: int
    kind: choice_of(Meeting.Kind)  # type: ignore[valid-type]
    title: str
    description: str
    host: OrganizationRef
    sender: OrganizationRef | None = Field(description="A delegation visit: who sends it.")
    receiver: OrganizationRef | None = Field(description="A delegation visit: who receives it.")
    start: datetime.datetime = Field(description="In UTC.")
    end: datetime.datetime = Field(description="In UTC.")
    time_zone: str = Field(description="The IANA time zone the meeting is held in.")
    start_local: str = Field(description="The start on the clocks where it is held.")
    end_local: str = Field(description="The end on the clocks where it is held.")
    place: str
    online_link: str
    languages: list[str] = Field(description="Working languages, BCP 47 tags.")
    visibility: MeetingVisibility
    language: str = Field(description="The language its texts are written in (the original's).")
    translation: CooperationTranslationOut | None = Field(
        None, description="On a meeting read alone: the language of its title and description."
    )
    sequence: int = Field(description="Raised by every change, as in its calendar (SEQUENCE).")
    url: str = Field(description="Its page on the platform, an absolute link.")
    calendar: str = Field(description="The meeting as iCalendar, an absolute link.")
    cancelled_at: datetime.datetime | None = Field(description="When it was cancelled, if it was.")
    cancel_reason: str = Field(description="Why, if the host said.")

    @staticmethod
    def resolve_host(obj: Meeting) -> Organization:
        return obj.organization

    @staticmethod
    def resolve_start(obj: Meeting) -> datetime.datetime:
        return obj.start_at.astimezone(datetime.UTC)

    @staticmethod
    def resolve_end(obj: Meeting) -> datetime.datetime:
        return obj.end_at.astimezone(datetime.UTC)

    @staticmethod
    def resolve_start_local(obj: Meeting) -> str:
        return obj.start_at.astimezone(_zone(obj)).isoformat()

    @staticmethod
    def resolve_end_local(obj: Meeting) -> str:
        return obj.end_at.astimezone(_zone(obj)).isoformat()

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_calendar(obj: Meeting) -> str:
        return absolute_url(reverse("meeting_calendar", args=[obj.pk]))


def _zone(meeting: Meeting) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(meeting.time_zone)


# Which showing of a local time the clocks show twice is meant (core/zones.local_moment).
Fold = Annotated[
    Literal[0, 1] | None,
    Field(
        description="Only when the local time happens twice (the clocks go back over it): 0 the "
        "first, 1 the second. A local time that does not exist there is refused."
    ),
]


class MeetingIn(Schema):
    kind: choice_of(Meeting.Kind)  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20000)
    start: datetime.datetime = Field(
        description="A local time where the meeting is held (no offset), or a time with one."
    )
    end: datetime.datetime = Field(description="As start.")
    time_zone: str = Field(max_length=64, description="An IANA time zone: Europe/Paris.")
    start_fold: Fold = None
    end_fold: Fold = None
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=500)
    languages: list[str] = Field(default_factory=list, description="BCP 47 tags.")
    language: str = Field(
        "",
        max_length=35,
        description="The language its texts are written in, a BCP 47 tag; left out: the "
        "host's first language.",
    )
    visibility: MeetingVisibility = "addressed"
    sender: str = Field("", max_length=80, description="A delegation visit: the sender's slug.")
    receiver: str = Field("", max_length=80, description="A delegation visit: the receiver's.")
    language_confirmed: bool = Field(
        False,
        description="Keep the texts even when the language detected in them is not the "
        "one given (or the host's), on `language` (otherwise 400 with the code language_unconfirmed and the language `detected`).",
    )


class MeetingPatch(Schema):
    """The fields to change; those left out keep their value. null is refused, like a wrong
    type. Times given are checked as when planning."""

    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    description: str = Field(LEFT_OUT, max_length=20000)
    start: datetime.datetime = LEFT_OUT
    end: datetime.datetime = LEFT_OUT
    time_zone: str = Field(LEFT_OUT, max_length=64)
    start_fold: Fold = None
    end_fold: Fold = None
    place: str = Field(LEFT_OUT, max_length=300)
    online_link: str = Field(LEFT_OUT, max_length=500)
    languages: list[str] = LEFT_OUT
    visibility: MeetingVisibility = LEFT_OUT
    language_confirmed: bool = Field(
        False,
        description="Keep the texts even when the language detected in them is not the "
        "meeting's, on `description` (or `title`) (otherwise 400 with the code language_unconfirmed and the language `detected`).",
    )


class DelegateOut(Schema):
    id: int = Field(description="The delegate's membership in the organization.")
    name: str

    @staticmethod
    def resolve_id(obj: Delegate) -> int:
        return obj.membership_id

    @staticmethod
    def resolve_name(obj: Delegate) -> str:
        user = obj.membership.user
        return user.name or user.email


class InvitationOut(Schema):
    organization: OrganizationRef
    status: choice_of(Invitation.Status)  # type: ignore[valid-type]
    note: str
    reasons: list[str] = Field(description="Why it was invited, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    delegates: list[DelegateOut] = Field(
        description="For the host's people and the invited organizations' only."
    )
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_reasons(obj: Invitation) -> list[str]:
        return [str(Reason.from_json(r)) for r in obj.reasons]

    @staticmethod
    def resolve_codes(obj: Invitation) -> list[str]:
        return [r[0] for r in obj.reasons]

    @staticmethod
    def resolve_delegates(obj: Invitation) -> list[Delegate]:
        return list(obj.delegates.all())


class CooperationProposalOut(Schema):
    organization: OrganizationRef
    country: str
    reasons: list[str] = Field(description="Why it would be invited, in your language.")
    codes: list[str] = Field(description="The same reasons as codes.")
    invited: bool = Field(description="Invited already.")


class AnswerIn(Schema):
    answer: Literal["accept", "decline", "tentative"] = Field(
        description="`tentative` (maybe): only for a meeting of another server."
    )
    organization: str = Field("", max_length=80, description="Which of your organizations.")
    delegates: list[int] = Field(
        default_factory=list,
        description="Accepting: the memberships of your organization's delegates (at least one; "
        "see /organizations/{slug}/members).",
    )
    note: str = Field("", max_length=2000)


def _meeting(request: ApiRequest, pk: int) -> Meeting:
    return selectors.meeting_get(viewer=request.auth, pk=pk)


def _organization(slug: str, field: str) -> Organization | None:
    """The verified organization at `slug`; an unknown one is a 400 on `field`."""
    if not slug:
        return None
    ids = slugs_to_ids([slug], field, strict=True)
    return Organization.objects.get(pk=ids[0])


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, url_name="meeting_list")
@paginate(Pagination)
def meeting_list(request: ApiRequest) -> QuerySet[Meeting]:
    """The meetings your organizations host or are invited to: those to come first, the soonest
    first, then those over."""
    return selectors.meeting_list(viewer=request.auth).select_related("sender", "receiver")


@router.post(
    "/organizations/{slug}/meetings",
    response={201: MeetingOut, **ERRORS, **CONFLICT},
    url_name="meeting_create",
)
def meeting_create(
    request: ApiRequest,
    slug: str,
    payload: MeetingIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Meeting]:
    """Plan a meeting hosted by a verified organization you speak for. A delegation visit names
    its sender and receiver, one of them the host; the other is invited with it."""
    organization = organization_for(request, slug, "cooperation.host_meeting")
    fields = payload.dict()
    fields["sender"] = _organization(fields["sender"], "sender")
    fields["receiver"] = _organization(fields["receiver"], "receiver")
    meeting = services.meeting_create(
        actor=request.auth, organization=organization, **fields, submission_key=idempotency_key
    )
    return Status(201, meeting)


@router.get("/meetings/{pk}", response={200: MeetingOut, **ERRORS}, url_name="meeting_detail")
def meeting_detail(request: ApiRequest, pk: int, lang: str = LANG) -> Meeting:
    """A meeting you may read, its title and description in the language asked for."""
    meeting = _meeting(request, pk)
    shown = languages.meeting_reading(meeting, reader_language(lang))
    meeting.translation = translation_of(shown)  # type: ignore[attr-defined]
    return meeting


@router.patch("/meetings/{pk}", response={200: MeetingOut, **WITH_403}, url_name="meeting_update")
def meeting_update(request: ApiRequest, pk: int, payload: MeetingPatch) -> Meeting:
    """Change a meeting before it is over: for those who speak for the host. Each change raises
    the meeting's `sequence`, which calendars follow."""
    meeting = _meeting(request, pk)
    return services.meeting_edit(
        actor=request.auth, meeting=meeting, **payload.dict(exclude_unset=True)
    )


@router.get(
    "/meetings/{pk}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    url_name="invitation_list",
)
@paginate(Pagination)
def invitation_list(request: ApiRequest, pk: int) -> list[Invitation]:
    """The organizations invited and their answers: all of them for the host's people and the
    invited organizations'; for others, those who accepted, without delegates."""
    return selectors.invitation_list(selectors.meeting_access(viewer=request.auth, pk=pk))


@router.post(
    "/meetings/{pk}/invitations/preview",
    response={200: list[CooperationProposalOut], **ERRORS},
    url_name="invitation_preview",
)
def invitation_preview(request: ApiRequest, pk: int, payload: CriteriaIn) -> list[dict[str, Any]]:
    """Who these criteria would invite, and why. Changes nothing. For those who may invite; 404
    for others."""
    meeting = _meeting(request, pk)
    proposals = selectors.invite_preview(
        viewer=request.auth, meeting=meeting, criteria=payload.criteria()
    )
    already = selectors.invited_ids(meeting)
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
    "/meetings/{pk}/invitations",
    response={201: list[InvitationOut], **WITH_403},
    url_name="invitation_create",
)
def invitation_create(request: ApiRequest, pk: int, payload: CriteriaIn) -> Status[Any]:
    """Invite the organizations the criteria choose (as appeals are addressed). Those invited
    already keep their invitation; answers the new invitations, or 400 when there is none."""
    meeting = _meeting(request, pk)
    ids = services.meeting_invite(actor=request.auth, meeting=meeting, criteria=payload.criteria())
    rows = Invitation.objects.filter(meeting=meeting, organization_id__in=ids).select_related(
        "organization"
    )
    return Status(201, list(rows.prefetch_related("delegates").order_by("organization__name")))


def _answering(request: ApiRequest, meeting: Meeting, slug: str) -> Organization:
    """The invited organization the caller answers for: the one named, or the only one."""
    candidates = selectors.answering_organizations(
        selectors.meeting_access(viewer=request.auth, pk=meeting.pk)
    )
    if not candidates:
        require(request.auth, "cooperation.answer_meeting", meeting)
    if slug:
        for organization in candidates:
            if organization.slug == slug:
                return organization
        raise ValidationError(
            {"organization": _("You do not answer this invitation for this organization.")},
            code="not_invited",
        )
    if len(candidates) > 1:
        raise ValidationError(
            {"organization": _("Say which of your organizations answers.")}, code="required"
        )
    return candidates[0]


@router.post(
    "/meetings/{pk}/answer", response={200: InvitationOut, **WITH_403}, url_name="meeting_answer"
)
def meeting_answer(request: ApiRequest, pk: int, payload: AnswerIn) -> Invitation:
    """Accept, naming delegates among your organization's people, or decline, for an invited
    organization you speak for; for a meeting of another server, `tentative` (maybe) too. An
    organization accepts once: accepting again is refused."""
    meeting = _meeting(request, pk)
    organization = _answering(request, meeting, payload.organization)
    if payload.answer == "accept":
        invitation = services.invitation_accept(
            actor=request.auth,
            meeting=meeting,
            organization=organization,
            delegates=payload.delegates,
            note=payload.note,
        )
    elif payload.answer == "tentative":
        invitation = services.invitation_tentative(
            actor=request.auth, meeting=meeting, organization=organization, note=payload.note
        )
    else:
        invitation = services.invitation_decline(
            actor=request.auth, meeting=meeting, organization=organization, note=payload.note
        )
    found = (
        Invitation.objects.filter(pk=invitation.pk)
        .select_related("organization")
        .prefetch_related("delegates__membership__user")
        .first()
    )
    if found is None:  # pragma: no cover -- deleted meanwhile
        raise Http404
    return found


# Series of meetings and the readiness of multilateral ones, and the routes on calendars
# (cancelling, checking times), join this router.
# The agenda and minutes of a meeting too.
# The history of a relation between two organizations, and an organization's calendar address.
from . import api_agenda, api_calendars, api_feeds, api_history, api_series  # noqa: E402, F401
