"""Readiness of a multilateral meeting: which pairs of its participants have met bilaterally
before it. Multilateral meetings work when bilateral ones prepared them; the host and the
participants see the pairs still missing, and each side of a missing pair can propose a bilateral
meeting before the multilateral one.

Participants: the host and the organizations invited that have not declined. A pair has met when,
in the 12 months before the multilateral meeting starts, both took part (as host or accepted
invitee) in a bilateral meeting or a delegation visit held here, or they had a relation
(organizations.Relation) that was active: accepted, or ended within those months (an ended
relation records its end in `decided_at`).

Cost: three queries whatever the number of participants (the participants, the bilateral
meetings' participants among them, their relations), then set operations in Python over one set
of partners per organization: 150 participants make 11,175 pairs, counted without a query each.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, ViewerLike, as_actor, person
from internationale.core.idempotency import once, submitted
from internationale.organizations.models import Organization, Relation

from . import services
from .models import Invitation, Meeting

# The kinds of meeting that gather many organizations, which bilateral ones prepare.
MULTILATERAL_KINDS = frozenset(
    {
        Meeting.Kind.MULTILATERAL,
        Meeting.Kind.CONFERENCE,
        Meeting.Kind.CONGRESS,
        Meeting.Kind.SEMINAR,
        Meeting.Kind.FORUM,
    }
)
# The kinds of meeting where two organizations meet in depth.
BILATERAL_KINDS = (Meeting.Kind.BILATERAL, Meeting.Kind.DELEGATION)
# Up to this many participants, the page shows the whole grid of pairs.
GRID_MAX = 30


def months_before(when: datetime.datetime, months: int = 12) -> datetime.datetime:
    """The same moment `months` months earlier (the end of a shorter month when needed)."""
    year, month = divmod(when.month - 1 - months, 12)
    year, month = when.year + year, month + 1
    for day in range(when.day, 27, -1):
        try:
            return when.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return when.replace(year=year, month=month, day=28)


@dataclass
class Readiness:
    meeting: Meeting
    participants: list[Organization]  # by name
    met: dict[int, set[int]] = field(default_factory=dict)  # organization → partners met

    @property
    def pairs(self) -> int:
        n = len(self.participants)
        return n * (n - 1) // 2

    @property
    def ready(self) -> int:
        ids = {o.pk for o in self.participants}
        return sum(len(partners & ids) for partners in self.met.values()) // 2

    @property
    def missing_count(self) -> int:
        return self.pairs - self.ready

    @property
    def share(self) -> float:
        """The share of pairs that have met, from 0 to 1 (1 with fewer than two participants)."""
        return self.ready / self.pairs if self.pairs else 1.0

    @property
    def percent(self) -> int:
        return int(self.share * 100)

    def has_met(self, a: Organization, b: Organization) -> bool:
        return b.pk in self.met.get(a.pk, ())

    def missing(self, organization: Organization | None = None) -> "MissingPairs":
        """The pairs that have not met, by the first's name then the second's; with
        `organization`, its own, that organization first in each pair. Counted without listing
        them, and listed a slice at a time (a page of 11,175 pairs reads only that page)."""
        return MissingPairs(self, organization)

    def _missing(
        self, organization: Organization | None
    ) -> Iterator[tuple[Organization, Organization]]:
        empty: set[int] = set()
        if organization is not None:
            partners = self.met.get(organization.pk, empty)
            for other in self.participants:
                if other.pk != organization.pk and other.pk not in partners:
                    yield organization, other
            return
        people = self.participants
        for i, a in enumerate(people):
            partners = self.met.get(a.pk, empty)
            for b in people[i + 1 :]:
                if b.pk not in partners:
                    yield a, b

    def grid(self) -> list[tuple[Organization, list[bool | None]]]:
        """Each participant with, for each participant in the same order, whether they met (None
        on the diagonal)."""
        return [
            (a, [None if a.pk == b.pk else self.has_met(a, b) for b in self.participants])
            for a in self.participants
        ]

    @property
    def shows_grid(self) -> bool:
        return len(self.participants) <= GRID_MAX


class MissingPairs(Sequence[tuple[Organization, Organization]]):
    """The missing pairs of a readiness, as a sequence that a paginator slices: its length from
    the counts, a slice by walking the pairs up to its end."""

    def __init__(self, readiness: Readiness, organization: Organization | None) -> None:
        self.readiness, self.organization = readiness, organization

    def __len__(self) -> int:
        ready = self.readiness
        if self.organization is None:
            return ready.missing_count
        ids = {o.pk for o in ready.participants}
        met = ready.met.get(self.organization.pk, set()) & ids
        return len(ready.participants) - 1 - len(met)

    def __iter__(self) -> Iterator[tuple[Organization, Organization]]:
        return self.readiness._missing(self.organization)

    @overload
    def __getitem__(self, index: int) -> tuple[Organization, Organization]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Organization, Organization]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        pairs = self.readiness._missing(self.organization)
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return list(islice(pairs, start, stop, step))
        if index < 0:
            index += len(self)
        for pair in islice(pairs, index, None):
            return pair
        raise IndexError(index)


def participants(meeting: Meeting) -> list[Organization]:
    """The host and the organizations invited that have not declined, by name."""
    invited = (
        Invitation.objects.filter(meeting=meeting)
        .exclude(status=Invitation.Status.DECLINED)
        .values("organization_id")
    )
    return list(
        Organization.objects.filter(Q(pk=meeting.organization_id) | Q(pk__in=invited))
        .only("id", "name", "short_name", "slug", "country", "verified_at")
        .order_by("name", "id")
    )


def _met_at_meetings(
    ids: set[int], since: datetime.datetime, until: datetime.datetime, viewer: ViewerLike
) -> list[set[int]]:
    """For each bilateral meeting or delegation visit starting within [since, until), not
    cancelled, and that the viewer may see, the participants among `ids` who took part: its host
    and its accepted invitees. (Counting meetings the viewer may not see would tell the people of
    a congress that two of its participants meet, and when.)"""
    rows = Invitation.objects.filter(
        meeting__in=Meeting.objects.visible_to(viewer),
        status=Invitation.Status.ACCEPTED,
        organization_id__in=ids,
        meeting__kind__in=BILATERAL_KINDS,
        meeting__cancelled_at__isnull=True,
        meeting__start_at__gte=since,
        meeting__start_at__lt=until,
    ).values_list("meeting_id", "meeting__organization_id", "organization_id")
    gathered: dict[int, set[int]] = defaultdict(set)
    for meeting_id, host_id, organization_id in rows:
        gathered[meeting_id].add(organization_id)
        if host_id in ids:
            gathered[meeting_id].add(host_id)
    return list(gathered.values())


def _related(ids: set[int], since: datetime.datetime) -> list[tuple[int, int]]:
    """The pairs among `ids` with a relation active since `since`: accepted, or ended since."""
    return list(
        Relation.objects.filter(proposer_id__in=ids, partner_id__in=ids)
        .filter(
            Q(status=Relation.Status.ACCEPTED)
            | Q(status=Relation.Status.ENDED, decided_at__gte=since)
        )
        .values_list("proposer_id", "partner_id")
    )


def readiness_of(meeting: Meeting, viewer: ViewerLike) -> Readiness:
    """The readiness of a multilateral meeting as `viewer` may know it, for a caller that checked
    who may read it: the bilateral meetings counted are those the viewer may see."""
    people = participants(meeting)
    ids = {o.pk for o in people}
    since = months_before(meeting.start_at)
    met: dict[int, set[int]] = defaultdict(set)
    for gathering in _met_at_meetings(ids, since, meeting.start_at, viewer):
        for organization_id in gathering:
            met[organization_id] |= gathering - {organization_id}
    for a, b in _related(ids, since):
        met[a].add(b)
        met[b].add(a)
    return Readiness(meeting=meeting, participants=people, met=dict(met))


def readiness_get(*, viewer: ViewerLike, meeting: Meeting) -> Readiness:
    """The readiness of a meeting the viewer sees (meeting_get): for the people of its host and
    of its participants, and of a multilateral kind; 404 otherwise."""
    if meeting.kind not in MULTILATERAL_KINDS:
        raise Http404
    if not as_actor(viewer).has_perm("cooperation.view_readiness", meeting):
        raise Http404
    return readiness_of(meeting, viewer)


def proposed_start(meeting: Meeting, now: datetime.datetime | None = None) -> datetime.datetime:
    """When to propose a bilateral meeting before `meeting`: two weeks before it, at its hour,
    or, when that is too soon, halfway between now and it; a local time of its zone."""
    now = now or timezone.now()
    start = meeting.start_at - datetime.timedelta(days=14)
    if start - now < datetime.timedelta(days=1):
        start = now + (meeting.start_at - now) / 2
    local = timezone.localtime(start, timezone=_zone(meeting)).replace(tzinfo=None)
    return local.replace(minute=0, second=0, microsecond=0)


def _zone(meeting: Meeting) -> datetime.tzinfo:
    return zoneinfo.ZoneInfo(meeting.time_zone)


def bilateral_propose(
    *,
    actor: ActorLike,
    meeting: Meeting,
    organization: Organization,
    partner: Organization,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str,
    description: str = "",
    place: str = "",
    online_link: str = "",
    languages: Sequence[str] = (),
    visibility: str = "addressed",
    submission_key: str | None = None,
    start_fold: int | None = None,
    end_fold: int | None = None,
    language_confirmed: bool = False,
) -> Meeting:
    """Plan a bilateral meeting hosted by `organization` with `partner`, two participants of the
    multilateral `meeting` that have not met, before it starts, and invite the partner. Planned
    as any meeting (services.meeting_create: for those who speak for a verified host)."""
    content = submitted(locals())
    ready = readiness_get(viewer=actor, meeting=meeting)
    ids = {o.pk for o in ready.participants}
    if organization.pk not in ids or partner.pk not in ids or organization.pk == partner.pk:
        raise ValidationError(
            {
                "partner": ValidationError(
                    _("Both organizations must take part in %(title)s.") % {"title": meeting.title},
                    code="not_a_participant",
                )
            }
        )
    if services._aware(start, services._zone(time_zone), start_fold, "start") >= meeting.start_at:
        raise ValidationError(
            {
                "start": ValidationError(
                    _("Meet before %(title)s: it starts on %(date)s.")
                    % {
                        "title": meeting.title,
                        "date": date_format(
                            timezone.localtime(meeting.start_at, _zone(meeting)),
                            "DATETIME_FORMAT",
                        ),
                    },
                    code="not_before",
                )
            }
        )

    @transaction.atomic
    def create() -> Meeting:
        bilateral = services.meeting_create(
            actor=actor,
            organization=organization,
            kind=Meeting.Kind.BILATERAL,
            title=title,
            start=start,
            end=end,
            time_zone=time_zone,
            description=description,
            place=place,
            online_link=online_link,
            languages=languages,
            visibility=visibility,
            start_fold=start_fold,
            end_fold=end_fold,
            language_confirmed=language_confirmed,
        )
        services._invite(actor, bilateral, [partner.pk])
        return bilateral

    created, _new = once(
        user=person(actor),
        scope="cooperation.bilateral_propose",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Meeting.objects.get(pk=pk),
    )
    return created
