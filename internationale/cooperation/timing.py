"""When a time suits the participants: for each organization taking part (the host and those
invited that have not declined), the meeting's start and end on its own clocks, whether any of it
falls in its night (22:00 to 07:00 local), and which other meetings of it overlap.

An organization has no time zone of its own: it is its country's, from the CLDR data of Babel,
and for a country with several zones the zone of its capital or largest city (MAIN_ZONES), said
to be approximate. Other meetings are named only to those who may see them; the others are
counted, so that the host knows an organization is busy without learning with whom.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from babel.core import get_global
from django.db.models import Q

from internationale.core.actors import ViewerLike
from internationale.organizations.models import Organization

from .models import Invitation, Meeting

NIGHT_STARTS = datetime.time(22, 0)
NIGHT_ENDS = datetime.time(7, 0)

# The zone of the capital or largest city of the countries that have several (CLDR lists them
# alphabetically, which says nothing of where most people live).
MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


@cache
def country_time_zone(country: str) -> tuple[str, bool]:
    """The time zone of an organization of `country` (an ISO 3166 code), and whether it is only
    approximate (the country has several). UTC, approximate, for a country unknown."""
    zones = get_global("territory_zones").get(country, [])
    if len(zones) == 1:
        return zones[0], False
    return MAIN_ZONES.get(country, zones[0] if zones else "UTC"), True


def is_night(start: datetime.datetime, end: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether any moment from `start` to `end` falls between 22:00 and 07:00 on the clocks of
    `zone`."""
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    day = first - datetime.timedelta(days=1)
    while day <= last:
        night_start = datetime.datetime.combine(day, NIGHT_STARTS, tzinfo=zone)
        night_end = datetime.datetime.combine(day + datetime.timedelta(days=1), NIGHT_ENDS, zone)
        if start < night_end and end > night_start:
            return True
        day += datetime.timedelta(days=1)
    return False


@dataclass
class ParticipantTime:
    """One organization's view of the proposed time."""

    organization: Organization
    host: bool
    time_zone: str
    approximate: bool
    start: datetime.datetime  # on the organization's clocks
    end: datetime.datetime
    night: bool
    # Other meetings of the organization at the same time, those the viewer may see only: a
    # count of the others would tell anyone who may plan a meeting when any organization meets.
    overlaps: list[Meeting] = field(default_factory=list)

    @property
    def busy(self) -> int:
        return len(self.overlaps)

    @property
    def other_day(self) -> bool:
        """Whether the meeting ends on another day than it starts, on these clocks."""
        return self.start.date() != self.end.date()


def participant_times(
    *,
    viewer: ViewerLike,
    start_at: datetime.datetime,
    end_at: datetime.datetime,
    organizations: Sequence[Organization],
    host: Organization | None = None,
    meeting: Meeting | None = None,
) -> list[ParticipantTime]:
    """A row for `host` and each of `organizations` (aware times; `meeting`: the meeting being
    changed, not an overlap of itself)."""
    everyone = list({o.pk: o for o in ([host] if host else []) + list(organizations)}.values())
    ids = [o.pk for o in everyone]
    other = Meeting.objects.filter(
        cancelled_at__isnull=True, start_at__lt=end_at, end_at__gt=start_at
    ).order_by()
    if meeting is not None:
        other = other.exclude(pk=meeting.pk)
    taking_part: dict[int, set[int]] = {pk: set() for pk in ids}
    for pk, organization_id in other.filter(organization_id__in=ids).values_list(
        "pk", "organization_id"
    ):
        taking_part[organization_id].add(pk)
    for pk, organization_id in (
        Invitation.objects.filter(meeting__in=other, organization_id__in=ids)
        .exclude(status=Invitation.Status.DECLINED)
        .values_list("meeting_id", "organization_id")
    ):
        taking_part[organization_id].add(pk)
    overlapping = set().union(*taking_part.values())
    visible = (
        {m.pk: m for m in Meeting.objects.visible_to(viewer).filter(pk__in=overlapping)}
        if overlapping
        else {}
    )
    rows = []
    for organization in everyone:
        name, approximate = country_time_zone(str(organization.country))
        zone = zoneinfo.ZoneInfo(name)
        busy = taking_part[organization.pk]
        rows.append(
            ParticipantTime(
                organization=organization,
                host=host is not None and organization.pk == host.pk,
                time_zone=name,
                approximate=approximate,
                start=start_at.astimezone(zone),
                end=end_at.astimezone(zone),
                night=is_night(start_at, end_at, zone),
                overlaps=sorted(
                    (visible[pk] for pk in busy if pk in visible), key=lambda m: (m.start_at, m.pk)
                ),
            )
        )
    return rows


def meeting_participants(meeting: Meeting) -> list[Organization]:
    """The organizations invited to a meeting that have not declined."""
    return list(
        Organization.objects.filter(
            Q(
                pk__in=Invitation.objects.filter(meeting=meeting)
                .exclude(status=Invitation.Status.DECLINED)
                .values("organization_id")
            )
        ).order_by("name")
    )
