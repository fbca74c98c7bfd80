"""Registering local actions on the clocks of their place: clock changes, the day's span around the
world, bad figures, and who may act. Run on SQLite and PostgreSQL alike (DATABASE_URL).

The Metalworkers of São Paulo (Sam) call the day; the Korean Dockworkers (Kim speaks for them,
Kit is a member) are called and register actions."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internationale.actions import local, services
from internationale.actions.models import LocalAction
from internationale.addressing.routing import Criteria
from internationale.core.tests.clocks import next_change

from .world import action_fields, day_fields

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def called_day(sam, owner_org, other_org, date):  # type: ignore[no-untyped-def]
    day = services.day_create(actor=sam, organization=owner_org, **day_fields(date=date))
    services.day_call(actor=sam, day=day, criteria=Criteria(add=[other_org.pk]))
    return day


def at(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(hour, minute))


def register(kim, day, other_org, **changes):  # type: ignore[no-untyped-def]
    return local.local_action_register(
        actor=kim, day=day, organization=other_org, **action_fields(day.date, **changes)
    )


def refused(kim, day, other_org, **changes) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        register(kim, day, other_org, **changes)
    assert not LocalAction.objects.exists()
    return error.value


def test_a_local_time_the_clocks_skip_is_refused(sam, kim, owner_org, other_org):
    spring = next_change(BERLIN, forward=True)
    day = called_day(sam, owner_org, other_org, spring)
    error = refused(
        kim,
        day,
        other_org,
        city="Hamburg",
        country="DE",
        time_zone="Europe/Berlin",
        start=at(spring, 2, 30),
        end=at(spring, 4),
    )
    assert error.error_dict["start"][0].code == "nonexistent_time"
    assert "02:30 does not exist" in error.message_dict["start"][0]


def test_a_local_time_shown_twice_asks_which_and_takes_the_one_chosen(
    sam, kim, owner_org, other_org
):
    autumn = next_change(BERLIN, forward=False)
    day = called_day(sam, owner_org, other_org, autumn)
    place = {"city": "Hamburg", "country": "DE", "time_zone": "Europe/Berlin"}
    error = refused(kim, day, other_org, start=at(autumn, 2, 30), end=at(autumn, 4), **place)
    assert error.error_dict["start"][0].code == "ambiguous_time"
    message = error.message_dict["start"][0]
    assert "UTC+02:00" in message and "UTC+01:00" in message
    first = register(
        kim, day, other_org, start=at(autumn, 2, 30), start_fold=0, end=at(autumn, 4), **place
    )
    second = register(
        kim, day, other_org, start=at(autumn, 2, 30), start_fold=1, end=at(autumn, 4), **place
    )
    assert first.start_at == datetime.datetime.combine(autumn, datetime.time(0, 30), datetime.UTC)
    assert second.start_at - first.start_at == datetime.timedelta(hours=1)
    # The wall time is kept as given, beside the zone.
    assert (second.local_start_date, second.local_start_time) == (autumn, datetime.time(2, 30))


def test_an_end_before_the_start_is_refused(sam, kim, owner_org, other_org):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    error = refused(kim, day, other_org, start=at(day.date, 12), end=at(day.date, 11))
    assert error.error_dict["end"][0].code == "end_before_start"


def test_the_day_spans_from_utc_plus_14_to_utc_minus_12(sam, kim, owner_org, other_org):
    date = timezone.now().date() + datetime.timedelta(30)
    day = called_day(sam, owner_org, other_org, date)
    kiritimati = {"city": "Tabwakea", "country": "KI", "time_zone": "Pacific/Kiritimati"}
    pago = {"city": "Pago Pago", "country": "AS", "time_zone": "Pacific/Pago_Pago"}
    # The first hour of the day anywhere, and the last: both on the day.
    earliest = register(kim, day, other_org, start=at(date, 0, 30), end=at(date, 2), **kiritimati)
    latest = register(kim, day, other_org, start=at(date, 23), end=at(date, 23, 50), **pago)
    assert earliest.start_at < latest.start_at
    assert latest.start_at - earliest.start_at > datetime.timedelta(hours=45)
    # Half an hour before the day begins anywhere, and a day later: on no clock is it the day.
    before = date - datetime.timedelta(days=1)
    error = refused_extra(
        kim, day, other_org, start=at(before, 23, 30), end=at(date, 1), **kiritimati
    )
    assert error.error_dict["start"][0].code == "outside_day"
    after = date + datetime.timedelta(days=2)
    error = refused_extra(kim, day, other_org, start=at(after, 9), end=at(after, 10))
    assert error.error_dict["start"][0].code == "outside_day"


def refused_extra(kim, day, other_org, **changes) -> ValidationError:  # type: ignore[no-untyped-def]
    """Refused, and nothing more than what was there is recorded."""
    before = LocalAction.objects.count()
    with pytest.raises(ValidationError) as error:
        register(kim, day, other_org, **changes)
    assert LocalAction.objects.count() == before
    return error.value


@pytest.mark.parametrize("figure", [-1, 10_000_001])
def test_a_negative_or_absurd_figure_of_participants_is_refused(
    figure, sam, kim, owner_org, other_org
):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    error = refused(kim, day, other_org, expected_participants=figure)
    assert error.error_dict["expected_participants"][0].code == "participants_out_of_range"


def test_ten_million_participants_are_accepted(sam, kim, owner_org, other_org):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    assert register(kim, day, other_org, expected_participants=10_000_000).pk


def test_an_unknown_zone_and_half_coordinates_are_refused(sam, kim, owner_org, other_org):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    assert "time_zone" in refused(kim, day, other_org, time_zone="Asia/Atlantis").message_dict
    error = refused(kim, day, other_org, latitude=35.1)
    assert "longitude" in error.message_dict


@pytest.mark.parametrize("person", ["kit", "mo"])
def test_members_cannot_register_an_action_for_their_organization(
    person, request, sam, owner_org, other_org
):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    acting = other_org if person == "kit" else owner_org
    with pytest.raises((PermissionDenied, ValidationError)):
        register(request.getfixturevalue(person), day, acting)
    assert not LocalAction.objects.exists()


def test_a_secretary_cannot_register_for_an_organization_it_does_not_speak_for(
    sam, kim, owner_org, other_org
):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    error = refused(kim, day, owner_org)
    assert "organization" in error.message_dict


def test_the_form_asks_which_time_and_registers_the_one_chosen(
    sam, kim, owner_org, other_org, client_for
):
    autumn = next_change(BERLIN, forward=False)
    day = called_day(sam, owner_org, other_org, autumn)
    data = {
        "kind": "rally",
        "city": "Hamburg",
        "country": "DE",
        "time_zone": "Europe/Berlin",
        "start": f"{autumn.isoformat()}T02:30",
        "end": f"{autumn.isoformat()}T04:00",
    }
    page = client_for(kim).post(f"/days/{day.pk}/actions/new/", data)
    assert page.status_code == 200
    assert "happens twice" in page.text
    assert not LocalAction.objects.exists()
    done = client_for(kim).post(f"/days/{day.pk}/actions/new/", {**data, "start_fold": "1"})
    assert done.status_code == 302
    action = LocalAction.objects.get()
    assert action.start_at == datetime.datetime.combine(autumn, datetime.time(1, 30), datetime.UTC)


def test_a_member_gets_no_form_to_register(sam, kit, owner_org, other_org, client_for):
    day = called_day(sam, owner_org, other_org, timezone.now().date() + datetime.timedelta(30))
    assert client_for(kit).get(f"/days/{day.pk}/actions/new/").status_code == 403
