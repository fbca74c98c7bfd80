"""An organization's inbox through the API, as the personas of conftest.py."""

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.core.models import Urgency
from internationale.notifications.models import InboxEntry, InboxRead
from internationale.notifications.services import inbox_mark_read

from .notices import notify

API = "/api/v1"


def entry(organization, title: str, urgency: int = Urgency.ROUTINE) -> InboxEntry:  # type: ignore[no-untyped-def]
    notice = notify(organization, title=title, urgency=urgency)
    return InboxEntry.objects.get(notice=notice)


@pytest.fixture
def entries(owner_org):  # type: ignore[no-untyped-def]
    return [
        entry(owner_org, "Lockout at the port"),
        entry(owner_org, "Arrests in Santos", urgency=Urgency.EMERGENCY),
        entry(owner_org, "Minutes of the congress"),
    ]


def test_members_read_their_inbox_most_urgent_first(client_for, olu, entries):
    response = client_for(olu).get(f"{API}/organizations/metal-sp/inbox")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [e["title"] for e in body["items"]] == [
        "Arrests in Santos",
        "Minutes of the congress",
        "Lockout at the port",
    ]
    assert body["items"][0]["urgency"] == 2
    assert body["items"][0]["url"].endswith(entries[1].source.get_absolute_url())
    assert {e["is_read"] for e in body["items"]} == {False}


def test_each_person_has_their_own_read_marks(client_for, mo, sam, entries):
    inbox_mark_read(actor=mo, entries=entries[:1])

    mine = client_for(mo).get(f"{API}/organizations/metal-sp/inbox").json()["items"]
    theirs = client_for(sam).get(f"{API}/organizations/metal-sp/inbox").json()["items"]

    assert {e["title"]: e["is_read"] for e in mine}["Lockout at the port"] is True
    assert {e["is_read"] for e in theirs} == {False}


def test_the_inbox_is_paginated_and_filters_unread(client_for, mo, entries):
    client = client_for(mo)
    inbox_mark_read(actor=mo, entries=entries[1:2])

    page = client.get(f"{API}/organizations/metal-sp/inbox", {"limit": 1, "offset": 1}).json()
    unread = client.get(f"{API}/organizations/metal-sp/inbox", {"unread": "true"}).json()

    assert page["count"] == 3
    assert [e["title"] for e in page["items"]] == ["Minutes of the congress"]
    assert unread["count"] == 2


def test_marking_an_entry_read_and_unread(client_for, mo, entries):
    client = client_for(mo)
    url = f"{API}/organizations/metal-sp/inbox/{entries[0].pk}/read"

    read = client.post(url)
    assert read.status_code == 200
    assert read.json()["is_read"] is True
    assert InboxRead.objects.filter(entry=entries[0], user=mo).exists()
    assert client.post(url).status_code == 200  # twice is harmless

    unread = client.delete(url)
    assert unread.status_code == 200
    assert unread.json()["is_read"] is False
    assert not InboxRead.objects.exists()


def test_the_inbox_of_another_organization_is_not_found(client_for, kim, oscar, entries):
    for person in (kim, oscar):
        client = client_for(person)
        assert client.get(f"{API}/organizations/metal-sp/inbox").status_code == 404
        assert (
            client.post(f"{API}/organizations/metal-sp/inbox/{entries[0].pk}/read").status_code
            == 404
        )
    assert not InboxRead.objects.exists()


def test_an_entry_of_another_inbox_is_not_found_through_your_own(
    client_for, kim, other_org, entries
):
    response = client_for(kim).post(f"{API}/organizations/docks-kr/inbox/{entries[0].pk}/read")

    assert response.status_code == 404
    assert not InboxRead.objects.exists()


def test_a_token_reads_the_inbox_of_its_organization_only(sam, owner_org, other_org, entries):
    from internationale.organizations.tests.factories import MembershipFactory

    MembershipFactory(user=sam, organization=other_org, role="secretary")
    entry(other_org, "For the dockworkers")
    _token, raw = token_create(actor=System(reason="test"), user=sam, organization=owner_org)
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    assert client.get(f"{API}/organizations/metal-sp/inbox").json()["count"] == 3
    assert client.get(f"{API}/organizations/docks-kr/inbox").status_code == 404


def test_the_inbox_costs_the_same_queries_for_many_entries(
    client_for, mo, owner_org, django_assert_max_num_queries
):
    client = client_for(mo)
    InboxEntry.objects.bulk_create(
        InboxEntry(
            organization=owner_org,
            kind="test",
            title=f"{n}",
            created_at=timezone.now(),
        )
        for n in range(40)
    )
    # session, person, roles, organization (+ languages, sectors), count, page
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/organizations/metal-sp/inbox", {"limit": 100})
    assert response.json()["count"] == 40


def test_a_proposal_sent_through_the_api_reaches_the_partners_inbox(
    client_for, sam, kim, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        proposed = client_for(sam).post(
            f"{API}/organizations/metal-sp/relations",
            {"partner": "docks-kr", "kind": "fraternal"},
            content_type="application/json",
        )
    assert proposed.status_code == 201
    run_tasks()

    inbox = client_for(kim).get(f"{API}/organizations/docks-kr/inbox").json()

    assert inbox["count"] == 1
    assert "Metalworkers of São Paulo" in inbox["items"][0]["title"]
    assert [m.to for m in mailoutbox] == [["kim@docks.example"]]


def test_urls_in_the_inbox_are_absolute_on_the_site_url_whatever_the_host(
    client_for, olu, owner_org, settings
):
    settings.SITE_URL = "https://solidarity.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    made = entry(owner_org, "Lockout at the port")

    response = client_for(olu).get(
        f"{API}/organizations/metal-sp/inbox", HTTP_HOST="attacker.example"
    )

    assert response.json()["items"][0]["url"] == f"https://solidarity.example.org{made.url}"
