"""Vouches across servers: a verified remote organization's `Vouch` for an organization of this
server, counted as the operator sets FEDERATION_REMOTE_VOUCHES, and withdrawn by its `Undo`; an
organization of this server vouching for an accepted remote one, sent to its server."""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from internationale.core.history import prune_history
from internationale.core.models import AuditEntry
from internationale.federation.models import Block, ReceivedActivity
from internationale.organizations.models import Organization, Vouch
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import SITE, taken_as_blocked

pytestmark = pytest.mark.django_db

SHARED_INBOX = "/federation/inbox"
RIDERS = f"{SITE}/federation/actors/riders-new"


def vouch(client: Any, remote: Any, organization: str = RIDERS) -> Any:
    activity = remote.activity("Vouch", object=organization)
    response = remote.post(client, SHARED_INBOX, activity)
    response.activity = activity
    return response


def vouch_locally(client_for: Any, user: Any, voucher: str, slug: str = "riders-new") -> None:
    response = client_for(user).post(f"/organizations/{slug}/vouch/", {"voucher": voucher})
    assert response.status_code == 302, response.content


def verified(slug: str = "riders-new") -> bool:
    return Organization.objects.get(slug=slug).verified_at is not None


def test_a_remote_vouch_is_recorded_but_not_counted_when_remote_vouches_are_off(
    client, client_for, settings, rotterdam, accepted, unverified_org, other_org, kim
):
    settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = "off"
    vouch_locally(client_for, kim, "docks-kr")

    response = vouch(client, rotterdam)

    assert response.status_code == 202, response.content
    recorded = Vouch.objects.get(voucher=accepted)
    assert recorded.organization == unverified_org and recorded.vouched_by is None
    assert not verified()  # one local vouch, and one from another server that does not count
    entry = AuditEntry.objects.get(action="vouch.add", data__voucher=accepted.pk)
    assert entry.organization == unverified_org and entry.actor is None
    assert ReceivedActivity.objects.get(activity_id=response.activity["id"]).outcome == "vouched"


def test_a_remote_vouch_counts_as_one_of_the_two_when_the_operator_says_so(
    client, client_for, settings, rotterdam, accepted, unverified_org, other_org, kim
):
    settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = "one"
    assert vouch(client, rotterdam).status_code == 202
    assert not verified()  # one vouch of two

    vouch_locally(client_for, kim, "docks-kr")

    assert verified()
    assert AuditEntry.objects.filter(action="organization.verify", data__by="vouches").exists()


def test_two_remote_vouches_count_as_one_only(
    client, settings, rotterdam, accepted, unverified_org
):
    settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = "one"
    elsewhere = OrganizationFactory(
        slug="elsewhere", remote_actor_url="https://elsewhere.example/actors/union"
    )
    Vouch.objects.create(organization=unverified_org, voucher=elsewhere)

    assert vouch(client, rotterdam).status_code == 202

    assert Vouch.objects.filter(organization=unverified_org).count() == 2
    assert not verified()


def test_an_undo_of_its_vouch_withdraws_a_remote_organizations_vouch(
    client, rotterdam, accepted, unverified_org
):
    sent = vouch(client, rotterdam).activity
    undo = rotterdam.activity("Undo", object=sent["id"])

    assert rotterdam.post(client, SHARED_INBOX, undo).status_code == 202

    assert Vouch.objects.get(voucher=accepted).withdrawn_at is not None
    assert AuditEntry.objects.filter(action="vouch.withdraw", organization=unverified_org).exists()
    assert ReceivedActivity.objects.get(activity_id=undo["id"]).outcome == "vouch_withdrawn"


def test_an_undo_withdraws_a_remote_vouch_even_after_the_received_vouch_was_pruned(
    client, settings, rotterdam, accepted, unverified_org
):
    settings.INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS = 30
    sent = vouch(client, rotterdam).activity
    ReceivedActivity.objects.update(received_at=timezone.now() - datetime.timedelta(days=31))
    assert prune_history.call()["federation activities received"] == 1
    undo = rotterdam.activity("Undo", object=sent["id"])

    assert rotterdam.post(client, SHARED_INBOX, undo).status_code == 202

    assert Vouch.objects.get(voucher=accepted).withdrawn_at is not None
    assert ReceivedActivity.objects.get(activity_id=undo["id"]).outcome == "vouch_withdrawn"


def test_a_remote_organization_its_own_server_has_not_verified_cannot_vouch(
    client, rotterdam, accepted, unverified_org
):
    entry = accepted.remote
    entry.properties = {**entry.properties, "verified": False}
    entry.save(update_fields=["properties"])

    response = vouch(client, rotterdam)

    assert response.status_code == 403 and response.json()["error"] == "not_verified"
    assert not Vouch.objects.exists()
    assert not ReceivedActivity.objects.exists()


def test_a_remote_vouch_for_no_organization_here_or_a_second_time_is_refused(
    client, rotterdam, accepted, unverified_org
):
    unknown = vouch(client, rotterdam, f"{SITE}/federation/actors/nobody")
    elsewhere = vouch(client, rotterdam, "https://elsewhere.example/actors/union")
    assert vouch(client, rotterdam).status_code == 202
    again = vouch(client, rotterdam)

    assert (unknown.status_code, unknown.json()["error"]) == (404, "unknown_organization")
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "unknown_organization")
    assert (again.status_code, again.json()["error"]) == (422, "already_vouched")
    assert Vouch.objects.count() == 1
    assert ReceivedActivity.objects.count() == 1


def test_a_vouch_of_an_actor_not_accepted_here_changes_nothing(client, alice, unverified_org):
    response = vouch(client, alice)

    assert response.status_code == 202
    assert not Vouch.objects.exists()
    assert ReceivedActivity.objects.get().outcome == ""


def test_a_vouch_for_an_accepted_remote_organization_is_sent_to_its_server_and_so_is_its_withdrawal(
    client_for, rotterdam, accepted, owner_org, sam, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vouch_locally(client_for, sam, "metal-sp", slug=accepted.slug)
    work_off()
    given = Vouch.objects.get(voucher=owner_org, organization=accepted)
    with django_capture_on_commit_callbacks(execute=True):
        path = f"/organizations/{accepted.slug}/vouches/{given.pk}/withdraw/"
        assert client_for(sam).post(path).status_code == 302
    work_off()

    posted = [(path, json.loads(body)) for path, _headers, body in rotterdam.server.posted]
    assert [(path, activity["type"]) for path, activity in posted] == [
        ("/inbox", "Vouch"),  # its server's shared inbox
        ("/inbox", "Undo"),
    ]
    (_path, sent), (_path, undo) = posted
    assert sent["actor"] == f"{SITE}/federation/actors/metal-sp"
    assert sent["object"] == rotterdam.actor and sent["to"] == [rotterdam.actor]
    assert undo["object"] == sent["id"]


def test_a_remote_organization_blocked_by_an_organization_vouches_for_it_to_no_effect(
    client, rotterdam, accepted, unverified_org
):
    host = rotterdam.server.url.removeprefix("http://")
    Block.objects.create(organization=unverified_org, host=host)

    response = vouch(client, rotterdam)

    taken_as_blocked(response, unverified_org)
    assert not Vouch.objects.exists()


def test_a_remote_organization_blocked_after_vouching_withdraws_its_vouch_by_an_undo_to_no_effect(
    client, rotterdam, accepted, unverified_org
):
    sent = vouch(client, rotterdam).activity
    Block.objects.create(organization=unverified_org, actor=rotterdam.actor, host="127.0.0.1")
    undo = rotterdam.activity("Undo", object=sent["id"])

    response = rotterdam.post(client, SHARED_INBOX, undo)

    taken_as_blocked(response, unverified_org)
    assert Vouch.objects.get(voucher=accepted).withdrawn_at is None


def test_the_organizations_page_marks_remote_vouches_and_does_not_count_them_when_off(
    client, client_for, settings, rotterdam, accepted, unverified_org, other_org, kim
):
    settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = "off"
    vouch_locally(client_for, kim, "docks-kr")
    assert vouch(client, rotterdam).status_code == 202

    page = client_for(kim).get("/organizations/riders-new/").content.decode()

    host = rotterdam.server.url.removeprefix("http://")
    assert f"from another server: {host}" in page
    assert page.count("from another server") == 1  # the Korean dockworkers' vouch is local
    assert "(does not count here)" in page
    assert "Not verified yet: 1 vouch of the 2 needed." in page
    assert "Vouches of organizations on other servers are shown but do not count here" in page


def test_the_organizations_page_counts_one_remote_vouch_when_the_operator_says_so(
    client, client_for, settings, rotterdam, accepted, unverified_org, kim
):
    settings.INTERNATIONALE_FEDERATION_REMOTE_VOUCHES = "one"
    elsewhere = OrganizationFactory(
        slug="elsewhere", remote_actor_url="https://elsewhere.example/actors/union"
    )
    Vouch.objects.create(organization=unverified_org, voucher=elsewhere)
    assert vouch(client, rotterdam).status_code == 202

    page = client_for(kim).get("/organizations/riders-new/").content.decode()

    assert "from another server: elsewhere.example" in page
    assert "(does not count here)" not in page
    assert "Not verified yet: 1 vouch of the 2 needed." in page
    assert "count here as one of the 2 at most" in page
