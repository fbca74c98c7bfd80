"""Safety of federation through real requests: block lists (the operators' for the whole server,
an organization's for itself), pages and API; the inboxes' limit per remote host; an Undo of a
Follow; pruning. Remote servers are HTTP servers on loopback (conftest.py)."""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from internationale import cli
from internationale.core.history import prune_history
from internationale.core.models import AuditEntry
from internationale.federation.delivery import deliver_due
from internationale.federation.keys import current_key
from internationale.federation.models import (
    ActorKey,
    Block,
    Delivery,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
)
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .conftest import Remote, taken_as_blocked

pytestmark = pytest.mark.django_db

ACTOR = "http://127.0.0.1:8000/federation/actors/dockers"
INBOX = "/federation/actors/dockers/inbox"


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers", name="Dock Workers' Union")


@pytest.fixture
def dora(union):  # type: ignore[no-untyped-def]
    """The union's admin."""
    return MembershipFactory(organization=union, role=Membership.Role.ADMIN).user


@pytest.fixture
def bob(allow_private, remote_servers, other_keys) -> Remote:  # type: ignore[no-untyped-def]
    """Another remote actor, on a server of his own."""
    server = remote_servers()
    actor, key_id = server.add_actor("bob", other_keys[0])
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=other_keys[1])


def host(remote: Remote) -> str:
    return remote.server.url.removeprefix("http://")


def follow(client: Any, remote: Remote, path: str = INBOX) -> None:
    response = remote.post(client, path, remote.activity("Follow", object=ACTOR))
    assert response.status_code == 202, response.content


def refused_as_blocked(response: Any) -> None:
    assert response.status_code == 403, response.content
    assert response.json()["error"] == "blocked"
    assert response.json()["detail"]


# Block lists: the operators' --------------------------------------------------------------------


def test_an_operator_blocks_a_server_after_seeing_what_it_removes(
    client, client_for, oscar, alice, bob, union
):
    follow(client, alice)
    follow(client, bob)
    assert Delivery.objects.count() == 0  # the Accepts wait: none fanned out yet
    operator = client_for(oscar)
    page = operator.get("/federation/blocks/")
    assert page.status_code == 200 and "Nothing is blocked." in page.content.decode()
    # First the confirmation: what it removes; nothing is blocked yet.
    confirm = operator.post("/federation/blocks/", {"host": host(alice), "reason": "Harassment"})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "1 follow will be removed." in text
    assert f"Block {host(alice)}?" in text
    assert not Block.objects.exists() and Follower.objects.count() == 2
    # Then the block.
    done = operator.post(
        "/federation/blocks/", {"host": host(alice), "reason": "Harassment", "confirm": "1"}
    )
    assert done.status_code == 302
    block = Block.objects.get()
    assert (block.organization, block.host, block.reason) == (None, host(alice), "Harassment")
    assert [f.actor for f in Follower.objects.all()] == [bob.actor]
    entry = AuditEntry.objects.get(action="federation.block")
    assert entry.data["host"] == host(alice) and entry.data["followers"] == 1
    assert host(alice) in operator.get("/federation/blocks/").content.decode()
    # Nothing is delivered to it any more: the Accept waiting for alice is not sent; bob's is.
    assert deliver_due.call() == 1
    assert alice.server.posted == [] and len(bob.server.posted) == 1
    assert not Delivery.objects.filter(inbox=f"{alice.actor}/inbox").exists()
    # What it sends is refused, before its key is fetched again, and nothing is recorded.
    received = ReceivedActivity.objects.count()
    asked = list(alice.server.asked)
    refused_as_blocked(alice.post(client, INBOX))
    refused_as_blocked(alice.post(client, "/federation/inbox"))
    assert ReceivedActivity.objects.count() == received and alice.server.asked == asked
    # Unblocked: it is taken again (its follows do not come back by themselves).
    assert operator.post(f"/federation/blocks/{block.pk}/remove/").status_code == 302
    assert not Block.objects.exists()
    assert AuditEntry.objects.filter(action="federation.unblock").count() == 1
    assert alice.post(client, INBOX).status_code == 202


def test_a_pending_delivery_to_a_server_blocked_later_is_cancelled(
    client, client_for, oscar, alice, union
):
    follow(client, alice)
    alice.server.answer = 503  # it fails once: the Accept waits for a retry
    deliver_due.call()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    client_for(oscar).post("/federation/blocks/", {"host": host(alice), "confirm": "1"})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.CANCELLED
    assert AuditEntry.objects.get(action="federation.block").data["deliveries"] == 1


def test_a_block_of_a_host_name_covers_its_subdomains_and_ports():
    from internationale.federation.blocks import matches

    assert matches("example.org", "https://social.example.org/users/a")
    assert matches("example.org", "http://example.org:8080/inbox")
    assert not matches("example.org", "https://notexample.org/users/a")
    assert matches("example.org:8443", "https://example.org:8443/inbox")
    assert not matches("example.org:8443", "https://example.org/inbox")


@pytest.mark.parametrize("bad", ["", "not a host!", "exa mple.org", "example.org:99999"])
def test_a_host_that_is_not_one_is_refused_and_nothing_blocked(client_for, oscar, bad):
    response = client_for(oscar).post("/federation/blocks/", {"host": bad, "confirm": "1"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Block.objects.exists() and not AuditEntry.objects.exists()


def test_a_server_blocked_twice_is_refused_the_second_time(client_for, oscar):
    operator = client_for(oscar)
    operator.post("/federation/blocks/", {"host": "bad.example", "confirm": "1"})
    response = operator.post("/federation/blocks/", {"host": "Bad.Example", "confirm": "1"})
    assert response.status_code == 400
    assert "already blocked" in response.content.decode()
    assert Block.objects.count() == 1


def test_the_api_blocks_and_unblocks_a_server_for_operators_only(client_for, oscar, dora):
    api = client_for(oscar)
    created = api.post(
        "/api/v1/federation/blocks",
        {"host": "https://bad.example/users/x", "reason": "spam"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["host"], body["reason"], body["followers_removed"]) == ("bad.example", "spam", 0)
    listed = api.get("/api/v1/federation/blocks").json()
    assert [b["host"] for b in listed["items"]] == ["bad.example"]
    bad = api.post(
        "/api/v1/federation/blocks", {"host": "no host"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "host" in bad.json()["errors"]
    # An organization's admin is not an operator: the server's list does not exist for her.
    assert client_for(dora).get("/api/v1/federation/blocks").status_code == 404
    assert api.delete(f"/api/v1/federation/blocks/{body['id']}").status_code == 204
    assert not Block.objects.exists()


# Block lists: an organization's ------------------------------------------------------------------


def test_an_organization_blocks_an_actor_for_itself_only(client, client_for, dora, alice, union):
    other = OrganizationFactory(slug="metal", name="Metal")
    follow(client, alice)
    follow_other = alice.activity("Follow", object="http://127.0.0.1:8000/federation/actors/metal")
    assert alice.post(client, "/federation/actors/metal/inbox", follow_other).status_code == 202
    admin = client_for(dora)
    assert "Federation" in admin.get("/organizations/dockers/").content.decode()
    confirm = admin.post("/organizations/dockers/federation/", {"actor": alice.actor})
    assert confirm.status_code == 200
    assert "1 follow will be removed." in confirm.content.decode()
    assert f"Block {alice.actor}?" in confirm.content.decode()
    assert not Block.objects.exists()
    done = admin.post("/organizations/dockers/federation/", {"actor": alice.actor, "confirm": "1"})
    assert done.status_code == 302
    block = Block.objects.get()
    assert (block.organization, block.actor) == (union, alice.actor)
    # Only the union's follow goes; the other organization keeps hers.
    assert [f.organization for f in Follower.objects.all()] == [other]
    assert AuditEntry.objects.get(action="federation.block").organization_id == union.pk
    # The union's inbox refuses her; the other organization's and the shared inbox take her.
    taken_as_blocked(alice.post(client, INBOX), union)
    assert alice.post(client, "/federation/actors/metal/inbox").status_code == 202
    assert alice.post(client, "/federation/inbox").status_code == 202


def test_an_organization_blocks_a_server_and_its_activities_go_elsewhere_only(
    client, client_for, dora, alice, bob, union
):
    follow(client, alice)
    follow(client, bob)
    assert deliver_due.call() == 2  # both Accepts
    created = client_for(dora).post(
        "/api/v1/organizations/dockers/federation/blocks",
        {"host": host(alice)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["followers_removed"] == 1
    # The union's key changes: its Update goes to its followers, bob only.
    current_key(union)
    assert cli.main(["org", "rotate-key", "dockers"]) == 0
    assert deliver_due.call() == 2
    # Alice had the Accept before the block, then the Block that tells her server (to her own
    # inbox); the Update went to bob only.
    told = [(p, json.loads(b)) for p, _h, b in alice.server.posted]
    assert [(p, a["type"]) for p, a in told] == [
        ("/users/alice/inbox", "Accept"),
        ("/users/alice/inbox", "Block"),
    ]
    assert (told[1][1]["actor"], told[1][1]["object"]) == (ACTOR, alice.actor)
    assert [p for p, _h, _b in bob.server.posted] == ["/users/bob/inbox", "/inbox"]
    listed = client_for(dora).get("/api/v1/organizations/dockers/federation/blocks").json()
    assert [b["host"] for b in listed["items"]] == [host(alice)]


def test_an_organization_cannot_block_an_actor_that_is_not_an_address(client_for, dora, union):
    response = client_for(dora).post(
        "/api/v1/organizations/dockers/federation/blocks",
        {"actor": "someone"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "actor" in response.json()["errors"]
    assert not Block.objects.exists()


# Rate limits per remote host --------------------------------------------------------------------


def test_a_host_sending_too_much_is_answered_429_and_nothing_recorded(
    client, settings, alice, bob, union
):
    settings.ACCOUNT_RATE_LIMITS = {"federation_inbox": "2/m/key"}
    assert alice.post(client, INBOX).status_code == 202
    assert alice.post(client, "/federation/inbox").status_code == 202
    response = alice.post(client, INBOX)
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == "60"
    assert response.json()["error"] == "rate_limited"
    assert ReceivedActivity.objects.count() == 2
    # Another host has its own count.
    assert bob.post(client, INBOX).status_code == 202


def test_forged_requests_neither_spend_a_servers_limit_nor_fetch_its_key_each_time(
    client, settings, alice, other_keys, union
):
    settings.ACCOUNT_RATE_LIMITS = {"federation_inbox": "2/m/key"}
    assert alice.post(client, INBOX).status_code == 202  # alice's key now cached
    # Someone without alice's key signs with another, naming alice's key, again and again.
    for _ in range(3):
        forged = alice.post(client, INBOX, private_pem=other_keys[1])
        assert forged.status_code == 401, forged.content
    assert alice.server.asked == ["/users/alice"]  # her key fetched once, not once per forgery
    # alice's own activity is still taken: the forgeries did not count against her server.
    assert alice.post(client, INBOX).status_code == 202
    assert ReceivedActivity.objects.count() == 2


def test_an_address_sending_too_much_is_answered_429_before_anything_is_checked(
    client, settings, alice, union
):
    settings.ACCOUNT_RATE_LIMITS = {"federation_inbox_client": "2/m/ip"}
    for _ in range(2):
        assert alice.post(client, INBOX, signed=False).status_code == 401
    response = alice.post(client, INBOX)
    assert response.status_code == 429, response.content
    assert response.json()["error"] == "rate_limited"
    assert not ReceivedActivity.objects.exists()
    assert alice.server.asked == []  # no key fetched for any of them


# Undo of a Follow -------------------------------------------------------------------------------


def test_an_undo_of_a_follow_removes_the_follower(client, alice, union):
    follow_activity = alice.activity("Follow", object=ACTOR)
    assert alice.post(client, INBOX, follow_activity).status_code == 202
    assert client.get("/federation/actors/dockers/followers").json()["totalItems"] == 1
    undo = alice.activity("Undo", object=follow_activity)
    assert alice.post(client, INBOX, undo).status_code == 202
    assert not Follower.objects.exists()
    assert client.get("/federation/actors/dockers/followers").json()["totalItems"] == 0
    assert ReceivedActivity.objects.filter(activity_type="Undo").count() == 1


def test_an_undo_naming_the_follow_by_its_id_at_the_shared_inbox_removes_it(client, alice, union):
    follow_activity = alice.activity("Follow", object=ACTOR)
    assert alice.post(client, INBOX, follow_activity).status_code == 202
    undo = alice.activity("Undo", object=follow_activity["id"])
    assert alice.post(client, "/federation/inbox", undo).status_code == 202
    assert not Follower.objects.exists()


def test_an_undo_by_another_actor_removes_nobody(client, alice, bob, union):
    follow_activity = alice.activity("Follow", object=ACTOR)
    assert alice.post(client, INBOX, follow_activity).status_code == 202
    undo = bob.activity("Undo", object=follow_activity["id"])
    assert bob.post(client, INBOX, undo).status_code == 202
    assert Follower.objects.get().actor == alice.actor


# Pruning ----------------------------------------------------------------------------------------


def test_the_daily_prune_removes_old_received_activities_and_finished_deliveries(settings, union):
    settings.INTERNATIONALE_FEDERATION_PRUNE_RECEIVED_DAYS = 30
    settings.INTERNATIONALE_FEDERATION_PRUNE_DELIVERIES_DAYS = 10
    old = timezone.now() - datetime.timedelta(days=31)
    for n, when in ((1, old), (2, timezone.now())):
        ReceivedActivity.objects.create(
            activity_id=f"https://r.example/{n}",
            activity_type="Create",
            actor="https://r.example/users/a",
            key_id="https://r.example/users/a#k",
            signature_scheme="rfc9421",
            payload={},
            received_at=when,
        )
    activity = OutgoingActivity.objects.create(
        organization=union, activity_id="https://here/a/1", activity_type="Create", payload={}
    )
    status = Delivery.Status
    for n, (state, days) in enumerate(
        [(status.DELIVERED, 11), (status.FAILED, 11), (status.PENDING, 11), (status.DELIVERED, 2)]
    ):
        Delivery.objects.create(
            activity=activity,
            inbox=f"https://r.example/{n}/inbox",
            host="https://r.example",
            status=state,
            created_at=timezone.now() - datetime.timedelta(days=days),
        )
    pruned = prune_history.call()
    assert pruned["federation activities received"] == 1
    assert pruned["federation deliveries finished"] == 2
    assert list(ReceivedActivity.objects.values_list("activity_id", flat=True)) == [
        "https://r.example/2"
    ]
    assert sorted(Delivery.objects.values_list("status", "inbox")) == [
        (status.DELIVERED, "https://r.example/3/inbox"),
        (status.PENDING, "https://r.example/2/inbox"),
    ]


def test_retired_keys_and_old_activities_sent_to_one_inbox_are_pruned(settings, union):
    settings.INTERNATIONALE_FEDERATION_PRUNE_OUTGOING_DAYS = 10
    settings.INTERNATIONALE_FEDERATION_PRUNE_RETIRED_KEYS_DAYS = 10
    old = timezone.now() - datetime.timedelta(days=11)
    first = current_key(union)
    cli.main(["org", "rotate-key", "dockers"])  # key 1 retired now: kept
    cli.main(["org", "rotate-key", "dockers"])
    ActorKey.objects.filter(pk=first.pk).update(retired_at=old)

    def sent(n: int, inbox: str, pending: bool = False) -> None:
        activity = OutgoingActivity.objects.create(
            organization=union,
            activity_id=f"https://here/a/{n}",
            activity_type="Accept" if inbox else "Create",
            payload={},
            inbox=inbox,
            created_at=old,
            fanned_out_at=old,
        )
        if pending:
            Delivery.objects.create(activity=activity, inbox=inbox, host="https://r.example")

    sent(1, "https://r.example/inbox")  # delivered long ago: goes
    sent(2, "https://r.example/inbox", pending=True)  # still being tried: stays
    sent(3, "")  # to the followers: the outbox, stays
    pruned = prune_history.call()
    assert pruned["federation retired keys"] == 1
    assert pruned["federation activities sent to one inbox"] == 1
    assert sorted(ActorKey.objects.values_list("number", flat=True)) == [2, 3]
    assert sorted(
        OutgoingActivity.objects.filter(activity_id__startswith="https://here").values_list(
            "activity_id", flat=True
        )
    ) == ["https://here/a/2", "https://here/a/3"]
