"""Meetings as iCalendar (RFC 5545), made with the `icalendar` library, never by hand.

Each event has a UID that never changes (the meeting's id at this server), its SEQUENCE (raised by
every change of the meeting: services.meeting_edit), its start and end in the meeting's own time
zone with that zone's VTIMEZONE, so that calendars show it at the right hour wherever they are.
"""

import datetime
import zoneinfo

import icalendar
from django.utils import timezone

from internationale.core.links import absolute_url, site

from .models import Meeting

PRODID = "-//Internationale//Meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site().domain}"


def meeting_event(meeting: Meeting, *, stamp: datetime.datetime) -> icalendar.Event:
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.start_at.astimezone(zone))
    event.add("dtend", meeting.end_at.astimezone(zone))
    event.add("summary", meeting.title)
    if meeting.description:
        event.add("description", meeting.description)
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    event.add("url", absolute_url(meeting.get_absolute_url()))
    event.add("class", "PUBLIC" if meeting.visibility == "public" else "CONFIDENTIAL")
    event.add("last-modified", meeting.updated_at)
    return event


def meeting_calendar(meeting: Meeting) -> bytes:
    """One meeting as a calendar, with the VTIMEZONE of its zone."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(meeting_event(meeting, stamp=timezone.now()))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
