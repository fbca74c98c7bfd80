"""An organization's calendar address through the API, with API tokens, as a client meets it.
The Metalworkers of São Paulo (Sam speaks for them, Mo is a member, Olu an observer) host a
meeting; the Korean Dockworkers (Kim speaks for them) are another organization; Uma speaks for
an organization not verified yet."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.cooperation.models import CalendarFeed
from internationale.cooperation.services import meeting_create
from internationale.core.actors import System
from internationale.core.models import AuditEntry

FEED = "/api/v1/organizations/{}/calendar-feed"
RENEW = FEED + "/renew"


def with_token(user, organization) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def path_of(url: str) -> str:
    return url.removeprefix("https://internationale.example")


@pytest.fixture(autouse=True)
def _site(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://internationale.example"


@pytest.fixture
def meeting(sam, owner_org):  # type: ignore[no-untyped-def]
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    return meeting_create(
        actor=sam,
        organization=owner_org,
        kind="seminar",
        title="Health and safety seminar",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
    )


def test_an_organization_has_no_calendar_address_until_one_is_made(sam, owner_org):
    response = with_token(sam, owner_org).get(FEED.format(owner_org.slug))
    assert response.status_code == 200
    assert response.json() == {
        "organization": {"slug": "metal-sp", "name": "Metalworkers of São Paulo"},
        "url": None,
    }
    assert not CalendarFeed.objects.exists()  # reading makes nothing


def test_making_the_calendar_address_answers_it_and_calendar_programs_read_it(
    sam, owner_org, meeting
):
    client = with_token(sam, owner_org)
    made = client.post(RENEW.format(owner_org.slug))
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    url = made.json()["url"]
    assert url.startswith("https://internationale.example/calendars/") and url.endswith(".ics")
    read = client.get(FEED.format(owner_org.slug))
    assert read.json()["url"] == url and "no-store" in read["Cache-Control"]
    calendar = Client().get(path_of(url))  # no sign-in: the address is the key
    assert calendar.status_code == 200
    assert "Health and safety seminar" in calendar.content.decode()


def test_renewing_the_calendar_address_kills_the_old_one_at_once(sam, owner_org, meeting):
    client = with_token(sam, owner_org)
    old = client.post(RENEW.format(owner_org.slug)).json()["url"]
    new = client.post(RENEW.format(owner_org.slug)).json()["url"]
    assert new != old
    assert Client().get(path_of(old)).status_code == 404
    assert Client().get(path_of(new)).status_code == 200
    assert client.get(FEED.format(owner_org.slug)).json()["url"] == new
    assert CalendarFeed.objects.count() == 1
    assert AuditEntry.objects.filter(action="calendar_feed.renew").count() == 1


def test_members_who_do_not_speak_for_the_organization_are_refused(
    sam, mo, olu, owner_org, meeting
):
    url = with_token(sam, owner_org).post(RENEW.format(owner_org.slug)).json()["url"]
    for person in (mo, olu):
        client = with_token(person, owner_org)
        read = client.get(FEED.format(owner_org.slug))
        assert read.status_code == 403
        assert "admin or secretary" in read.json()["detail"]
        assert url not in read.content.decode()
        assert client.post(RENEW.format(owner_org.slug)).status_code == 403
    assert Client().get(path_of(url)).status_code == 200  # still the same address


def test_another_organizations_calendar_address_is_not_found(kim, nell, other_org, owner_org):
    client = with_token(kim, other_org)
    for response in (
        client.get(FEED.format(owner_org.slug)),
        client.post(RENEW.format(owner_org.slug)),
        client.get(FEED.format("nowhere")),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": {}}
    signed_in = Client()
    signed_in.force_login(nell)
    assert signed_in.post(RENEW.format(owner_org.slug)).status_code == 404
    assert Client().get(FEED.format(owner_org.slug)).status_code == 401
    assert not CalendarFeed.objects.exists()


def test_a_token_speaks_only_for_its_own_organization(sam, owner_org, other_org):
    from internationale.organizations.models import Membership
    from internationale.organizations.tests.factories import MembershipFactory

    MembershipFactory(organization=other_org, user=sam, role=Membership.Role.SECRETARY)
    client = with_token(sam, owner_org)
    assert client.post(RENEW.format(other_org.slug)).status_code == 404
    assert client.post(RENEW.format(owner_org.slug)).status_code == 200


def test_an_organization_not_verified_has_no_calendar_address_as_on_its_page(uma, unverified_org):
    client = with_token(uma, unverified_org)
    assert client.get(FEED.format(unverified_org.slug)).status_code == 404
    assert client.post(RENEW.format(unverified_org.slug)).status_code == 404
    assert not CalendarFeed.objects.exists()
