"""Meetings as iCalendar (RFC 5545), made with the `icalendar` library, never by hand.

Each event has a UID that never changes (the meeting's id at this server), its SEQUENCE (raised by
every change of the meeting: services.meeting_edit, cancellation.meeting_cancel), its start and
end in the meeting's own time zone with that zone's VTIMEZONE, so that calendars show it at the
right hour wherever they are, and its STATUS: CANCELLED once cancelled, the event kept so that
calendars take it off.

Three calendars: one meeting (its page's .ics), an organization's feed (every meeting it hosts or
is invited to and has not declined, at a secret address: feeds.py), and the invitation e-mailed
with a notice (iTIP, RFC 5546: METHOD:REQUEST, or METHOD:CANCEL once cancelled).
"""

import datetime
import email.utils
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internationale.core.links import absolute_url, site
from internationale.core.models import Visibility
from internationale.organizations.models import Organization

from .models import Invitation, Meeting

PRODID = "-//Internationale//Meetings//EN"
# An organization's feed: from a year back, and no more meetings than calendars take in one go.
FEED_SINCE = datetime.timedelta(days=366)
FEED_LIMIT = 500
# How often a subscribed calendar should read the feed again.
FEED_REFRESH = datetime.timedelta(hours=1)


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site().domain}"


def meeting_event(
    meeting: Meeting, *, stamp: datetime.datetime, confidential: bool = False
) -> icalendar.Event:
    """The meeting as an event. `confidential`: for an e-mail about a meeting that is not public,
    which says when it is and where to read it once signed in, but not what it is about."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.start_at.astimezone(zone))
    event.add("dtend", meeting.end_at.astimezone(zone))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("url", absolute_url(meeting.get_absolute_url()))
    event.add("class", "PUBLIC" if meeting.visibility == "public" else "CONFIDENTIAL")
    event.add("last-modified", meeting.updated_at)
    if confidential:
        with translation.override(settings.LANGUAGE_CODE):
            event.add("summary", _("A meeting on Internationale: sign in to read it"))
        return event
    event.add("summary", meeting.title)
    description = meeting.description
    if meeting.is_cancelled and meeting.cancel_reason:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason}
        description = f"{reason}\n\n{description}".strip()
    if description:
        event.add("description", description)
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    return event


def calendar_of(
    events: Iterable[icalendar.Event], prodid: str = PRODID, **properties: str
) -> icalendar.Calendar:
    """Events as one calendar, with the VTIMEZONE of each zone they use (local actions use it too:
    actions/calendar.py)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for name, value in properties.items():
        calendar.add(name.replace("_", "-"), value)
    for event in events:
        calendar.add_component(event)
    # One VTIMEZONE for each zone the events use, from the zone database.
    calendar.add_missing_timezones()
    return calendar


def meeting_calendar(meeting: Meeting) -> bytes:
    """One meeting as a calendar, with the VTIMEZONE of its zone."""
    return bytes(calendar_of([meeting_event(meeting, stamp=timezone.now())]).to_ical())


def feed_meetings(organization: Organization) -> QuerySet[Meeting]:
    """What an organization's feed holds: the meetings it hosts or is invited to and has not
    declined, cancelled ones included, from a year back: the latest FEED_LIMIT, so that a full
    feed drops the oldest meetings, never those to come."""
    invited = Invitation.objects.filter(organization=organization).exclude(
        status=Invitation.Status.DECLINED
    )
    return (
        Meeting.objects.filter(
            Q(organization=organization) | Q(pk__in=invited.values("meeting_id"))
        )
        .filter(end_at__gte=timezone.now() - FEED_SINCE)
        .order_by("-start_at", "-pk")[:FEED_LIMIT]
    )


def organization_calendar(organization: Organization) -> bytes:
    """An organization's meetings as one calendar, with a VTIMEZONE for each zone used."""
    stamp = timezone.now()
    calendar = calendar_of(
        (meeting_event(m, stamp=stamp) for m in reversed(feed_meetings(organization))),
        x_wr_calname=organization.name,
    )
    # REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL, its older spelling, which most read.
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    return bytes(calendar.to_ical())


def invitation_attachment(meeting: Meeting, confidential: bool) -> tuple[str, bytes, str]:
    """The meeting as an iTIP message for an e-mail (RFC 5546): a request to put it in one's
    calendar, or, once cancelled, to take it off. Made from the meeting as it is when the e-mail
    is written, so that a late e-mail carries the latest SEQUENCE; confidential when the notice
    was, or when the meeting is no longer public by then."""
    confidential = confidential or meeting.visibility != Visibility.PUBLIC
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    event = meeting_event(meeting, stamp=timezone.now(), confidential=confidential)
    _name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'noreply@' + site().domain}")
    if not confidential:
        organizer.params["cn"] = icalendar.vText(meeting.organization.name)
    event.add("organizer", organizer)
    calendar = calendar_of([event], method=method)
    return (
        f"meeting-{meeting.pk}.ics",
        bytes(calendar.to_ical()),
        f"text/calendar; method={method}; charset=utf-8",
    )
