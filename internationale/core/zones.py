"""IANA time zones: the names known to the server, and local wall times turned into moments.

Meetings (cooperation/) and local actions (actions/) take times as the wall clock of a place
with its zone and store them in UTC beside the zone. A wall time may not exist on that date (the
clocks go forward over it: 02:30 on a spring-forward night) or may happen twice (the clocks go
back over it): `local_moment` refuses the first and, for the second, asks which of the two is
meant unless told (`fold`: 0 the first, before the clocks go back, 1 the second), as PEP 495 does.
"""

import datetime
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_named(name: str, field: str = "time_zone") -> zoneinfo.ZoneInfo:
    """The zone of an IANA name, or a ValidationError on `field`."""
    name = (name or "").strip()
    if name not in known_zones():
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "“%(zone)s” is not a known time zone: give an IANA name such as Europe/Paris."
                    )
                    % {"zone": name},
                    code="unknown_time_zone",
                )
            }
        )
    return zoneinfo.ZoneInfo(name)


def _offset(delta: datetime.timedelta | None) -> str:
    minutes = int((delta or datetime.timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def exists(wall: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether the naive wall time shows on the clocks of `zone` on its date."""
    there = wall.replace(tzinfo=zone)
    back = there.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    return back == wall


def is_ambiguous(wall: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether the naive wall time shows twice on the clocks of `zone` (the clocks went back)."""
    first = wall.replace(tzinfo=zone, fold=0).utcoffset()
    second = wall.replace(tzinfo=zone, fold=1).utcoffset()
    return exists(wall, zone) and first != second


def offsets(wall: datetime.datetime, zone: zoneinfo.ZoneInfo) -> tuple[str, str]:
    """The UTC offsets of the first and second showing of an ambiguous wall time ("UTC+02:00")."""
    return (
        _offset(wall.replace(tzinfo=zone, fold=0).utcoffset()),
        _offset(wall.replace(tzinfo=zone, fold=1).utcoffset()),
    )


def local_moment(
    wall: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    *,
    fold: int | None = None,
    field: str = "start",
) -> datetime.datetime:
    """The moment (aware, in `zone`) of a naive wall time on the clocks of `zone`.

    A wall time that does not exist there on that date is refused (code "nonexistent_time"); one
    that happens twice is refused unless `fold` says which (code "ambiguous_time", the message
    naming both offsets). Errors are on `field`."""
    if wall.tzinfo is not None:
        raise TypeError("a wall time is naive")
    shown = {"time": wall.strftime("%H:%M"), "date": wall.date().isoformat(), "zone": zone.key}
    if not exists(wall, zone):
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward "
                        "over it. Choose a time before or after the change."
                    )
                    % shown,
                    code="nonexistent_time",
                )
            }
        )
    if is_ambiguous(wall, zone):
        if fold not in (0, 1):
            first, second = offsets(wall, zone)
            raise ValidationError(
                {
                    field: ValidationError(
                        _(
                            "%(time)s happens twice on %(date)s in %(zone)s, as the clocks go "
                            "back: say which is meant, the first (%(first)s) or the second "
                            "(%(second)s)."
                        )
                        % {**shown, "first": first, "second": second},
                        code="ambiguous_time",
                    )
                }
            )
        return wall.replace(tzinfo=zone, fold=fold)
    return wall.replace(tzinfo=zone)
