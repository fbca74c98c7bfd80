"""Dates on which a zone's clocks change, for tests of local times that do not exist or happen
twice (core/zones.local_moment)."""

import datetime
import zoneinfo

from django.utils import timezone


def next_change(zone: zoneinfo.ZoneInfo, *, forward: bool) -> datetime.date:
    """The next date, from a week ahead, on which the clocks of `zone` go forward (or back)."""
    day = timezone.now().date() + datetime.timedelta(days=7)
    for _step in range(400):
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone).utcoffset()
        before = datetime.datetime.combine(
            day - datetime.timedelta(days=1), datetime.time(12), tzinfo=zone
        ).utcoffset()
        if (
            noon is not None
            and before is not None
            and (noon > before) == forward
            and noon != before
        ):
            return day
        day += datetime.timedelta(days=1)
    raise AssertionError("no clock change within a year")
