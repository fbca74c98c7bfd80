"""Local actions: an organization registers what it does on the day, where, and when on the
clocks of the place.

Times come as the wall clock of the place (a naive date and time) with its IANA time zone, and are
stored in UTC beside the wall times and the zone (core/zones.py, as meetings do). A wall time the
clocks skip that day is refused; one they show twice is refused unless the organization says
which (`start_fold`, `end_fold`: 0 the first, 1 the second). The action must start on the day
somewhere in the world (from midnight at UTC+14 to midnight after it at UTC−12) and end after it
starts, within two days.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.core.zones import local_moment, zone_named
from internationale.organizations.models import Organization

from .models import MAX_PARTICIPANTS, DayOfAction, Kind, LocalAction, Report
from .rules import callers_of

LONGEST = datetime.timedelta(hours=48)


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def clean_times(
    day: DayOfAction,
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str,
    start_fold: int | None = None,
    end_fold: int | None = None,
) -> tuple[datetime.datetime, datetime.datetime, str]:
    """The start and end in UTC, and the zone's name; ValidationError on `start`, `end` or
    `time_zone` otherwise."""
    zone = zone_named(time_zone)
    errors: dict[str, Any] = {}
    moments: dict[str, datetime.datetime] = {}
    for name, wall, fold in (("start", start, start_fold), ("end", end, end_fold)):
        if timezone.is_aware(wall):
            wall = wall.astimezone(zone).replace(tzinfo=None)
        try:
            moments[name] = local_moment(wall, zone, fold=fold, field=name)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    start_at = moments["start"].astimezone(datetime.UTC)
    end_at = moments["end"].astimezone(datetime.UTC)
    if end_at <= start_at:
        raise _error("end", _("The end must come after the start."), "end_before_start")
    if end_at - start_at > LONGEST:
        raise _error("end", _("A local action lasts two days at most."), "too_long")
    first, last = day.bounds()
    if not first <= start_at < last:
        raise _error(
            "start",
            _(
                "The action must start on %(date)s somewhere in the world: from midnight at "
                "UTC+14 to midnight after it at UTC−12."
            )
            % {"date": day.date.isoformat()},
            "outside_day",
        )
    return start_at, end_at, zone.key


def clean_participants(value: int | None, field: str = "expected_participants") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PARTICIPANTS:
        raise _error(
            field,
            _("Give a number of participants from 0 to 10,000,000."),
            "participants_out_of_range",
        )
    return value


def _clean_place(
    country: str, latitude: Decimal | None, longitude: Decimal | None
) -> tuple[str, Decimal | None, Decimal | None]:
    code = (country or "").strip().upper()
    if not iso_countries.alpha2(code):
        raise _error(
            "country", _("Give the country as an ISO 3166 code, such as KR."), "invalid_country"
        )
    if (latitude is None) != (longitude is None):
        raise _error(
            "longitude" if longitude is None else "latitude",
            _("Give both the latitude and the longitude, or neither."),
            "half_coordinates",
        )
    if latitude is not None and not -90 <= latitude <= 90:
        raise _error("latitude", _("A latitude is from −90 to 90."), "out_of_range")
    if longitude is not None and not -180 <= longitude <= 180:
        raise _error("longitude", _("A longitude is from −180 to 180."), "out_of_range")
    return code, latitude, longitude


def _require_called(day: DayOfAction) -> None:
    if day.status != DayOfAction.Status.CALLED:
        raise ValidationError(
            _("Actions are registered once the day is called, and not after it is cancelled."),
            code="day_not_called",
        )


def local_action_register(
    *,
    actor: ActorLike,
    day: DayOfAction,
    organization: Organization,
    kind: str,
    city: str,
    country: str,
    time_zone: str,
    start: datetime.datetime,
    end: datetime.datetime,
    start_fold: int | None = None,
    end_fold: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    expected_participants: int | None = None,
    description: str = "",
    contact: str = "",
    submission_key: str | None = None,
) -> LocalAction:
    """An action of `organization` on the day, at a place, in the place's time zone: for those
    who speak for a verified organization that reads the day. The callers are told."""
    content = submitted(locals())
    require(
        actor,
        "actions.register_action",
        day,
        _("Only an admin or secretary of a verified organization can register an action."),
    )
    if role_in(actor, organization.pk) not in SPEAKING_ROLES or not organization.is_verified:
        raise _error(
            "organization",
            _("Name a verified organization you speak for."),
            "not_speaking",
        )
    _require_called(day)
    # Every field is checked, and every error said at once.
    errors: dict[str, Any] = {}
    if kind not in Kind.values:
        errors.update(
            _error("kind", _("Choose a kind of action from the list."), "invalid_choice").error_dict
        )
    try:
        start_at, end_at, zone = clean_times(day, start, end, time_zone, start_fold, end_fold)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        code, latitude, longitude = _clean_place(country, latitude, longitude)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        expected_participants = clean_participants(expected_participants)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    local_zone = zone_named(zone)
    local_start, local_end = start_at.astimezone(local_zone), end_at.astimezone(local_zone)
    action = LocalAction(
        day=day,
        organization=organization,
        created_by=person(actor),
        kind=kind,
        city=(city or "").strip(),
        country=code,
        latitude=latitude,
        longitude=longitude,
        time_zone=zone,
        start_at=start_at,
        end_at=end_at,
        local_start_date=local_start.date(),
        local_start_time=local_start.time().replace(tzinfo=None),
        local_end_date=local_end.date(),
        local_end_time=local_end.time().replace(tzinfo=None),
        expected_participants=expected_participants,
        description=(description or "").strip(),
        contact=(contact or "").strip(),
    )
    action.full_clean()

    @transaction.atomic
    def create() -> LocalAction:
        action.save()
        audit(
            actor=actor,
            action="local_action.register",
            target=action,
            organization=organization,
            title=day.title,
            kind=kind,
            city=action.city,
        )
        notice_send(
            kind="day.action_registered",
            source=action,
            organizations=sorted(callers_of(day) - {organization.pk}),
            params={
                "organization": organization.name,
                "kind": str(Kind(kind).label),
                "city": action.city,
                "title": day.title,
            },
            sender=organization,
        )
        return action

    created, _new = once(
        user=person(actor),
        scope="actions.local_action_register",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: LocalAction.objects.get(pk=pk),
    )
    return created


def local_action_withdraw(*, actor: ActorLike, action: LocalAction) -> LocalAction:
    """Withdraw an action that will not happen: it stays listed, as withdrawn. For those who
    speak for its organization."""
    require(
        actor,
        "actions.change_action",
        action,
        _("Only an admin or secretary of the action's organization can withdraw it."),
    )
    with transaction.atomic():
        current = LocalAction.objects.select_for_update().get(pk=action.pk)
        if current.cancelled_at is not None:
            return current
        current.cancelled_at = timezone.now()
        current.save(update_fields=["cancelled_at", "updated_at"])
        audit(
            actor=actor,
            action="local_action.withdraw",
            target=current,
            organization=current.organization,
            title=current.day.title,
            kind=current.kind,
            city=current.city,
        )
        if Report.objects.filter(action=current).exists():
            from .reports import republish  # reports builds on this module

            republish(current.day)
    return current
