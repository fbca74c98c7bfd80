"""An organization's calendar address is renewed on its own when someone who could read it (any
admin or secretary, and whoever made or last renewed it) leaves the organization or stops speaking
for it: they still know the address, and it would keep giving them the organization's meetings.
The old address is dead at once, the new one works, and the organization's speakers are told why.
A member or observer leaving changes nothing."""

import datetime

import pytest
from django.utils import timezone

from internationale.cooperation.models import CalendarFeed
from internationale.cooperation.services import meeting_create
from internationale.core.models import AuditEntry
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory

from .test_calendars import feed_url_of


@pytest.fixture
def site(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "http://testserver"


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


def members_url(org, user) -> str:  # type: ignore[no-untyped-def]
    membership = Membership.objects.get(user=user, organization=org)
    return f"/organizations/{org.slug}/members/{membership.pk}/"


def test_the_address_is_renewed_when_the_one_who_made_it_leaves(
    client_for, site, ana, sam, owner_org, meeting, work_off, django_capture_on_commit_callbacks
):
    old = feed_url_of(client_for(sam), owner_org.slug)
    assert CalendarFeed.objects.get().owner == sam
    assert client_for(None).get(old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # Sam leaves
        response = client_for(sam).post(members_url(owner_org, sam) + "remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=sam, organization=owner_org).exists()
    assert client_for(None).get(old).status_code == 404
    # The speakers who stay find a new address, which works, and are told why.
    new = feed_url_of(client_for(ana), owner_org.slug)
    assert new != old and "Health and safety seminar" in client_for(None).get(new).content.decode()
    work_off()
    entry = InboxEntry.objects.get(organization=owner_org, kind="calendar_feed.renewed")
    assert entry.title == (
        f"The calendar address is renewed: {sam.name}, who could read it, left Metalworkers of São Paulo"
    )
    assert AuditEntry.objects.filter(action="calendar_feed.renew", system="calendar_feed_owner")


def test_the_address_is_renewed_when_the_one_who_made_it_is_made_a_member(
    client_for, site, ana, sam, owner_org, meeting, work_off, django_capture_on_commit_callbacks
):
    old = feed_url_of(client_for(sam), owner_org.slug)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ana).post(members_url(owner_org, sam) + "role/", {"role": "member"})
    assert response.status_code == 302
    assert Membership.objects.get(user=sam, organization=owner_org).role == "member"
    assert client_for(None).get(old).status_code == 404
    assert CalendarFeed.objects.get().owner is None
    new = feed_url_of(client_for(ana), owner_org.slug)
    assert new != old and client_for(None).get(new).status_code == 200
    assert CalendarFeed.objects.get().owner == ana
    work_off()
    entry = InboxEntry.objects.get(organization=owner_org, kind="calendar_feed.renewed")
    assert "no longer speaks for Metalworkers of São Paulo" in entry.title
    assert (
        "calendar address is renewed"
        in client_for(ana).get(f"/inbox/{owner_org.slug}/").content.decode()
    )


def test_nothing_happens_when_a_member_or_observer_leaves_or_a_speaker_stays_one(
    client_for,
    site,
    ana,
    sam,
    mo,
    olu,
    owner_org,
    meeting,
    work_off,
    django_capture_on_commit_callbacks,
):
    url = feed_url_of(client_for(sam), owner_org.slug)
    with django_capture_on_commit_callbacks(execute=True):
        # Members and observers never read the address.
        assert client_for(ana).post(members_url(owner_org, mo) + "remove/").status_code == 302
        assert client_for(ana).post(members_url(owner_org, olu) + "role/", {"role": "member"})
        # The one who made it stays a speaker: from secretary to admin changes nothing either.
        assert client_for(ana).post(members_url(owner_org, sam) + "role/", {"role": "admin"})
    assert Membership.objects.get(user=sam, organization=owner_org).role == "admin"
    assert client_for(None).get(url).status_code == 200
    assert CalendarFeed.objects.get().owner == sam
    work_off()
    assert not InboxEntry.objects.filter(kind="calendar_feed.renewed").exists()


def test_the_address_is_renewed_when_the_account_of_the_one_who_made_it_is_deleted(
    client_for, site, sam, owner_org, meeting
):
    old = feed_url_of(client_for(sam), owner_org.slug)
    sam.delete()
    assert client_for(None).get(old).status_code == 404
    assert CalendarFeed.objects.get().owner is None


def test_deleting_the_organization_takes_its_address_without_a_notice(
    client_for, site, sam, owner_org
):
    old = feed_url_of(client_for(sam), owner_org.slug)
    owner_org.delete()
    assert not CalendarFeed.objects.exists()
    assert client_for(None).get(old).status_code == 404
    assert not AuditEntry.objects.filter(system="calendar_feed_owner").exists()


def test_an_address_renewed_through_the_api_is_renewed_again_when_its_renewer_is_made_a_member(
    client_for, site, ana, sam, owner_org, meeting
):
    made = client_for(sam).post(f"/api/v1/organizations/{owner_org.slug}/calendar-feed/renew")
    old = made.json()["url"].removeprefix("http://testserver")
    assert client_for(None).get(old).status_code == 200
    page = client_for(sam).get("/meetings/calendar/").content.decode()
    assert "renewed on its own when one of its admins or secretaries" in page
    client_for(ana).post(members_url(owner_org, sam) + "role/", {"role": "observer"})
    assert client_for(None).get(old).status_code == 404
    new = client_for(ana).get(f"/api/v1/organizations/{owner_org.slug}/calendar-feed").json()
    assert new["url"] and new["url"].removeprefix("http://testserver") != old
    assert client_for(None).get(new["url"].removeprefix("http://testserver")).status_code == 200


def test_the_address_is_renewed_when_another_speaker_who_could_read_it_leaves(
    client_for, site, ana, sam, owner_org, meeting, work_off, django_capture_on_commit_callbacks
):
    """Every admin and secretary reads the address on the calendars page: any of them leaving
    takes it along, whoever made it."""
    other_secretary = MembershipFactory(organization=owner_org, role="secretary").user
    old = feed_url_of(client_for(sam), owner_org.slug)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(ana).post(
            members_url(owner_org, other_secretary) + "role/", {"role": "member"}
        )
        assert answer.status_code == 302
    assert client_for(None).get(old).status_code == 404
    new = feed_url_of(client_for(sam), owner_org.slug)
    assert new != old and client_for(None).get(new).status_code == 200
    work_off()
    assert InboxEntry.objects.filter(organization=owner_org, kind="calendar_feed.renewed").exists()
