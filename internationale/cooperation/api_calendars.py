"""The API on calendars: cancelling a meeting, and checking a time for each participant (its
local times, night hours, other meetings at that time). Routes of the meetings router (api.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import slugs_to_ids
from internationale.core.services import require
from internationale.organizations.api import organization_for
from internationale.organizations.models import Organization

from . import cancellation, selectors, services, timing
from .api import WITH_403, Fold, MeetingOut, OrganizationRef, router
from .cancellation import REASON_MAX
from .models import Meeting


class CancelIn(Schema):
    reason: str = Field("", max_length=REASON_MAX, description="Told to those invited.")


class OverlapOut(Schema):
    id: int
    title: str
    start: datetime.datetime
    end: datetime.datetime

    @staticmethod
    def resolve_start(obj: Meeting) -> datetime.datetime:
        return obj.start_at.astimezone(datetime.UTC)

    @staticmethod
    def resolve_end(obj: Meeting) -> datetime.datetime:
        return obj.end_at.astimezone(datetime.UTC)


class ParticipantTimeOut(Schema):
    organization: OrganizationRef
    host: bool
    time_zone: str = Field(description="The zone of the organization's country.")
    approximate: bool = Field(description="Its country has several zones: this is its main one.")
    start_local: str = Field(description="The start on the organization's clocks.")
    end_local: str = Field(description="The end on the organization's clocks.")
    night: bool = Field(description="Some of the meeting falls between 22:00 and 07:00 there.")
    busy: int = Field(
        description="How many other meetings of it overlap (not cancelled), among those you may "
        "see: the others are not counted."
    )
    overlaps: list[OverlapOut] = Field(description="Those of them you may see.")

    @staticmethod
    def resolve_start_local(obj: timing.ParticipantTime) -> str:
        return obj.start.isoformat()

    @staticmethod
    def resolve_end_local(obj: timing.ParticipantTime) -> str:
        return obj.end.isoformat()


class CheckTimesIn(Schema):
    start: datetime.datetime = Field(
        description="A local time where the meeting is held (no offset), or a time with one."
    )
    end: datetime.datetime = Field(description="As start.")
    time_zone: str = Field(max_length=64, description="An IANA time zone: Europe/Paris.")
    start_fold: Fold = None
    end_fold: Fold = None
    meeting: int | None = Field(
        None, description="A meeting being changed: its host and invited organizations."
    )
    host: str = Field("", max_length=80, description="Planning: the host's slug.")
    organizations: list[str] = Field(
        default_factory=list, max_length=200, description="Planning: others taking part, slugs."
    )


@router.post(
    "/meetings/{pk}/cancel", response={200: MeetingOut, **WITH_403}, url_name="meeting_cancel"
)
def meeting_cancel(request: ApiRequest, pk: int, payload: CancelIn) -> Meeting:
    """Cancel a meeting not over yet: for those who speak for the host. It stays listed with its
    `cancelled_at`; its `sequence` is raised and its calendars say STATUS:CANCELLED; those
    invited are told. Nothing about it changes any more."""
    meeting = selectors.meeting_get(viewer=request.auth, pk=pk)
    return cancellation.meeting_cancel(actor=request.auth, meeting=meeting, reason=payload.reason)


@router.post(
    "/meeting-times",
    response={200: list[ParticipantTimeOut], **WITH_403},
    url_name="meeting_check_times",
)
def meeting_check_times(request: ApiRequest, payload: CheckTimesIn) -> list[timing.ParticipantTime]:
    """For a time being planned or changed: each participant's local start and end, whether it
    falls in their night, and their other meetings at that time. Changes nothing. Planning: for
    those who may host for `host`; changing: for those who may change `meeting`."""
    others: list[Organization]
    meeting: Meeting | None = None
    if payload.meeting is not None:
        meeting = selectors.meeting_get(viewer=request.auth, pk=payload.meeting)
        require(request.auth, "cooperation.change_meeting", meeting)
        host = meeting.organization
        others = timing.meeting_participants(meeting)
    else:
        if not payload.host:
            raise ValidationError({"host": _("Name the host, or the meeting being changed.")})
        host = organization_for(request, payload.host, "cooperation.host_meeting")
        ids = slugs_to_ids(payload.organizations, "organizations", strict=True)
        others = list(Organization.objects.filter(pk__in=ids).order_by("name"))
    start_at, end_at, _zone = services.check_times(
        payload.start, payload.end, payload.time_zone, payload.start_fold, payload.end_fold
    )
    return timing.participant_times(
        viewer=request.auth,
        start_at=start_at,
        end_at=end_at,
        organizations=others,
        host=host,
        meeting=meeting,
    )
