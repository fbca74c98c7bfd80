"""The REST API on series of meetings and on the readiness of multilateral meetings, on the
meetings' router (api.py). As there: 404 for what the caller may not see, 403 for what the caller
sees but may not do, 400 with field errors for bad input."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    MAX_PAGE_SIZE,
    Offset,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url

from . import readiness, selectors, series
from .api import WITH_403, Fold, MeetingOut, MeetingVisibility, OrganizationRef, router
from .models import Meeting, Series


class EditionOut(Schema):
    id: int = Field(description="The meeting.")
    edition: int
    title: str
    start: datetime.datetime = Field(description="In UTC.")
    url: str = Field(description="Its page on the platform, an absolute link.")

    @staticmethod
    def resolve_start(obj: Meeting) -> datetime.datetime:
        return obj.start_at.astimezone(datetime.UTC)

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return absolute_url(obj.get_absolute_url())


class SeriesOut(Schema):
    id: int
    title: str
    period: choice_of(Series.Period)  # type: ignore[valid-type]
    host: OrganizationRef
    editions: list[EditionOut] = Field(description="The editions you may see, the latest first.")
    url: str = Field(description="Its page on the platform, an absolute link.")


class SeriesIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    period: choice_of(Series.Period)  # type: ignore[valid-type]


class NextEditionIn(Schema):
    """Every field may be left out: it is then the last edition's (its times shifted by the
    period, or the same for an irregular series)."""

    kind: choice_of(Meeting.Kind) | None = None  # type: ignore[valid-type]
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20000)
    start: datetime.datetime | None = Field(
        None, description="A local time where the meeting is held (no offset), or one with it."
    )
    end: datetime.datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    start_fold: Fold = None
    end_fold: Fold = None
    place: str | None = Field(None, max_length=300)
    online_link: str | None = Field(None, max_length=500)
    languages: list[str] | None = None
    visibility: MeetingVisibility | None = None
    carry_agenda: bool | None = Field(
        None,
        description="Whether the last edition's agenda items and the titles of its open tasks "
        "are copied to the new edition. Left out or null: only when the new edition is not seen "
        "more widely than the last one (public is wider than network, network than addressed); "
        "true copies them even then, false never. The participants are invited either way.",
    )
    language_confirmed: bool = Field(
        False,
        description="Keep the texts even when the language detected in them is not the "
        "edition's (otherwise 400 with the code language_unconfirmed and the language "
        "`detected`).",
    )


class EditionMeetingOut(MeetingOut):
    series: int = Field(description="The series' id.")
    edition: int

    @staticmethod
    def resolve_series(obj: Meeting) -> int:
        return obj.series_id or 0


class CooperationPairOut(Schema):
    organization: OrganizationRef
    partner: OrganizationRef


class ReadinessOut(Schema):
    participants: int = Field(description="The host and the organizations invited not declined.")
    pairs: int
    ready: int = Field(description="Pairs that have met bilaterally in the 12 months before.")
    share: float = Field(description="ready / pairs, from 0 to 1.")
    count: int = Field(description="Pairs that have not met (with `organization`: its own).")
    items: list[CooperationPairOut] = Field(description="This page of the pairs that have not met.")


def _series(request: ApiRequest, pk: int) -> Series:
    return series.series_get(viewer=request.auth, pk=pk)


def _series_out(request: ApiRequest, found: Series) -> dict[str, Any]:
    editions: QuerySet[Meeting] = series.edition_list(viewer=request.auth, series=found)
    return {
        "id": found.pk,
        "title": found.title,
        "period": found.period,
        "host": found.organization,
        "editions": list(editions),
        "url": absolute_url(found.get_absolute_url()),
    }


@router.get("/series/{pk}", response={200: SeriesOut, **ERRORS}, url_name="series_detail")
def series_detail(request: ApiRequest, pk: int) -> dict[str, Any]:
    """A series of meetings: for its host's people and whoever sees one of its editions."""
    return _series_out(request, _series(request, pk))


@router.post(
    "/meetings/{pk}/series", response={201: SeriesOut, **WITH_403}, url_name="series_create"
)
def series_create(request: ApiRequest, pk: int, payload: SeriesIn) -> Status[dict[str, Any]]:
    """Make the meeting the first edition of a new series: for those who speak for the host."""
    meeting = selectors.meeting_get(viewer=request.auth, pk=pk)
    made = series.series_create(actor=request.auth, meeting=meeting, **payload.dict())
    return Status(201, _series_out(request, made))


@router.post(
    "/series/{pk}/next-edition",
    response={201: EditionMeetingOut, **WITH_403, **CONFLICT},
    url_name="series_next_edition",
)
def series_next_edition(
    request: ApiRequest,
    pk: int,
    payload: NextEditionIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Meeting]:
    """Plan the next edition, prepared from the last: the fields left out are the last
    edition's, times shifted by the period. The organizations invited to the last edition that
    did not decline are invited, with the reason code `previous_edition`."""
    meeting = series.series_next_edition(
        actor=request.auth,
        series=_series(request, pk),
        submission_key=idempotency_key,
        **payload.dict(),
    )
    return Status(201, meeting)


class ReadinessQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="How many pairs, at most 100.")
    offset: Offset = Field(0, description="How many pairs to skip, at most 10,000.")
    organization: str = Field(
        "", max_length=80, description="A participant's slug: only its own missing pairs."
    )


@router.get(
    "/meetings/{pk}/readiness", response={200: ReadinessOut, **ERRORS}, url_name="meeting_readiness"
)
def meeting_readiness(request: ApiRequest, pk: int, query: Query[ReadinessQuery]) -> dict[str, Any]:
    """Which pairs of participants of a multilateral meeting (multilateral, conference, congress,
    seminar, forum) have met bilaterally in the 12 months before it: a bilateral meeting or a
    delegation visit here, or an active relation. For the people of the host and of the
    participants; 404 for others and for other kinds of meeting."""
    meeting = selectors.meeting_get(viewer=request.auth, pk=pk)
    ready = readiness.readiness_get(viewer=request.auth, meeting=meeting)
    chosen = None
    if query.organization:
        chosen = next((o for o in ready.participants if o.slug == query.organization), None)
        if chosen is None:
            raise ValidationError(
                {"organization": _("This organization does not take part in the meeting.")},
                code="not_a_participant",
            )
    missing = ready.missing(chosen)
    page = missing[query.offset : query.offset + query.limit]
    return {
        "participants": len(ready.participants),
        "pairs": ready.pairs,
        "ready": ready.ready,
        "share": round(ready.share, 4),
        "count": len(missing),
        "items": [{"organization": a, "partner": b} for a, b in page],
    }
