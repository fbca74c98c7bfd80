"""A day's local actions as iCalendar (RFC 5545), made with the `icalendar` library and the rules
of the meetings' calendars (cooperation/calendar.py): a UID that never changes (the action's id
at this server), each event in its place's own time zone with that zone's VTIMEZONE, STATUS
CANCELLED for an action withdrawn (kept so that calendars take it off). Contacts are never in it:
the feed is what the day's page shows to anyone who may read the day."""

import zoneinfo

import icalendar
from django.utils import timezone
from django_countries import countries as iso_countries

from internationale.cooperation.calendar import calendar_of
from internationale.core.links import absolute_url, site

from .models import DayOfAction, LocalAction

PRODID = "-//Internationale//Days of action//EN"


def action_uid(action: LocalAction) -> str:
    return f"local-action-{action.pk}@{site().domain}"


def action_event(action: LocalAction, day: DayOfAction, *, stamp) -> icalendar.Event:  # type: ignore[no-untyped-def]
    zone = zoneinfo.ZoneInfo(action.time_zone)
    event = icalendar.Event()
    event.add("uid", action_uid(action))
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("dtstart", action.start_at.astimezone(zone))
    event.add("dtend", action.end_at.astimezone(zone))
    event.add("status", "CANCELLED" if action.cancelled_at else "CONFIRMED")
    event.add("url", absolute_url(action.get_absolute_url()))
    event.add("class", "PUBLIC" if day.visibility == "public" else "CONFIDENTIAL")
    event.add("last-modified", action.updated_at)
    event.add("summary", f"{action.get_kind_display()} · {action.organization.name} · {day.title}")
    if action.description:
        event.add("description", action.description)
    country = iso_countries.name(action.country) or action.country
    event.add("location", f"{action.city}, {country}")
    if action.latitude is not None and action.longitude is not None:
        event.add("geo", (float(action.latitude), float(action.longitude)))
    return event


def day_calendar(day: DayOfAction, actions: list[LocalAction]) -> bytes:
    """The day's actions as one calendar, with a VTIMEZONE for each zone they use."""
    stamp = timezone.now()
    calendar = calendar_of(
        (action_event(a, day, stamp=stamp) for a in actions), prodid=PRODID, x_wr_calname=day.title
    )
    return bytes(calendar.to_ical())
