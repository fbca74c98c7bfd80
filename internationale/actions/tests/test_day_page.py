"""The day's page and its calendar: actions in the order the day moves around the world, grouped
by country, each in its local time and the reader's; contacts for the callers alone; an iCalendar
file of the actions. The Metalworkers of São Paulo (Sam) call; the Korean Dockworkers (Kim) act in
four places; Nia, of a third verified organization, reads the day as the network does."""

import datetime

import icalendar
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.actions import local, services
from internationale.addressing.routing import Criteria
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion
from internationale.translation.registry import original_texts

from .world import action_fields, day_fields

PLACES = [
    # Registered out of order: the page puts them in the day's order.
    ("Rotterdam", "NL", "Europe/Amsterdam", 10, "Jan, +31 6 0000 0000"),
    ("Auckland", "NZ", "Pacific/Auckland", 10, "Aroha, +64 21 000 000"),
    ("São Paulo", "BR", "America/Sao_Paulo", 10, "Ana, +55 11 0000 0000"),
    ("Busan", "KR", "Asia/Seoul", 10, "Kim, +82 10 0000 0000"),
    ("Incheon", "KR", "Asia/Seoul", 15, "Min, +82 10 1111 1111"),
]


@pytest.fixture
def day(sam, kim, owner_org, other_org):  # type: ignore[no-untyped-def]
    called = services.day_create(actor=sam, organization=owner_org, **day_fields())
    services.day_call(actor=sam, day=called, criteria=Criteria(add=[other_org.pk]))
    for city, country, zone, hour, contact in PLACES:
        local.local_action_register(
            actor=kim,
            day=called,
            organization=other_org,
            **action_fields(
                called.date,
                city=city,
                country=country,
                time_zone=zone,
                start=datetime.datetime.combine(called.date, datetime.time(hour)),
                end=datetime.datetime.combine(called.date, datetime.time(hour + 2)),
                contact=contact,
            ),
        )
    return called


@pytest.fixture
def nia(db):  # type: ignore[no-untyped-def]
    org = OrganizationFactory(name="Dutch Port Union", country="NL")
    return MembershipFactory(organization=org, role=Membership.Role.SECRETARY).user


def test_actions_follow_the_day_around_the_world_grouped_by_country(day, nia, client_for):
    page = client_for(nia).get(f"/days/{day.pk}/").text
    page = page[page.index('id="actions-heading"') :]  # the callers' names come before
    order = [
        page.index(name) for name in ("Auckland", "Busan", "Incheon", "Rotterdam", "São Paulo")
    ]
    assert order == sorted(order)
    # Korea's two actions under one heading, in the order of their start.
    assert page.count("<h3>South Korea</h3>") == 1
    assert "5 local actions" in page


def test_each_action_shows_its_local_time_and_the_readers(day, nia, client_for):
    nia.time_zone = "Europe/Lisbon"
    nia.save(update_fields=["time_zone"])
    page = client_for(nia).get(f"/days/{day.pk}/").text
    busan = day.local_actions.get(city="Busan")
    assert busan.start_at.hour == 1  # 10:00 in Seoul is 01:00 UTC
    row = page[page.index("Busan") : page.index("Incheon")]
    assert "10:00" in row or "10 a.m." in row  # on Seoul's clocks
    assert "1:00" in row or "1 a.m." in row or "2:00" in row or "2 a.m." in row  # in Lisbon


def test_contacts_are_for_the_callers_only(day, sam, mo, kim, nia, client_for):
    assert "Aroha, +64" in client_for(sam).get(f"/days/{day.pk}/").text
    assert "Aroha, +64" in client_for(mo).get(f"/days/{day.pk}/").text  # a caller's member
    assert "Aroha, +64" not in client_for(nia).get(f"/days/{day.pk}/").text
    busan = day.local_actions.get(city="Busan")
    # The acting organization reads its own contact on the action's page, others do not.
    assert "Kim, +82" in client_for(kim).get(f"/days/{day.pk}/actions/{busan.pk}/").text
    assert "Kim, +82" not in client_for(nia).get(f"/days/{day.pk}/actions/{busan.pk}/").text
    listed = client_for(nia).get(f"/api/v1/days/{day.pk}/actions").json()["items"]
    assert {a["contact"] for a in listed} == {""}


def test_the_calendar_holds_every_action_in_its_own_zone_and_no_contact(day, nia, client_for):
    response = client_for(nia).get(f"/days/{day.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert {"Asia/Seoul", "Pacific/Auckland", "Europe/Amsterdam", "America/Sao_Paulo"} <= zones
    busan = next(e for e in events if "Busan" in str(e["LOCATION"]))
    assert busan.decoded("DTSTART").hour == 10
    assert str(busan.decoded("DTSTART").tzinfo) in ("Asia/Seoul", "KST")
    assert b"+82" not in response.content


def test_the_days_page_reads_as_many_queries_for_many_actions_as_for_few(
    day, kim, other_org, nia, client_for
):
    def count() -> int:
        client = client_for(nia)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/days/{day.pk}/").status_code == 200
        return len(captured)

    few = count()
    for n in range(10):
        local.local_action_register(
            actor=kim,
            day=day,
            organization=other_org,
            **action_fields(day.date, city=f"Port {n}"),
        )
    assert count() == few


def test_the_call_reads_in_the_readers_language_when_a_version_exists(day, nia, client_for):
    LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(day),
        object_id=day.pk,
        language="es",
        texts={"title": "Jornada mundial en Meridian Freight", "text": "Actuamos juntos."},
        status="machine",
        source_hash=source_hash(original_texts(day)),
    )
    page = client_for(nia).get(f"/days/{day.pk}/", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Jornada mundial en Meridian Freight" in page and "Actuamos juntos." in page
    original = client_for(nia).get(f"/days/{day.pk}/?original=1", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Global day of action at Meridian Freight" in original


def test_a_withdrawn_action_stays_listed_and_is_cancelled_in_calendars(day, kim, nia, client_for):
    busan = day.local_actions.get(city="Busan")
    confirm = client_for(kim).get(f"/days/{day.pk}/actions/{busan.pk}/withdraw/")
    assert "Yes, withdraw the action" in confirm.text
    busan.refresh_from_db()
    assert busan.cancelled_at is None  # asking to confirm changes nothing
    assert client_for(kim).post(f"/days/{day.pk}/actions/{busan.pk}/withdraw/").status_code == 302
    assert "withdrawn" in client_for(nia).get(f"/days/{day.pk}/").text
    calendar = icalendar.Calendar.from_ical(
        client_for(nia).get(f"/days/{day.pk}/calendar.ics").content
    )
    statuses = {str(e["LOCATION"]).split(",")[0]: str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses["Busan"] == "CANCELLED" and statuses["Incheon"] == "CONFIRMED"
