"""Federation's operations and safety, through real requests: the followers one remote server
may have of an organization (FEDERATION_MAX_FOLLOWERS_PER_HOST)."""

import json
from typing import Any

import pytest

from internationale.core.models import AuditEntry
from internationale.federation.delivery import deliver_due
from internationale.federation.models import Follower, OutgoingActivity, ReceivedActivity
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import Remote

pytestmark = pytest.mark.django_db

ACTOR = "http://127.0.0.1:8000/federation/actors/dockers"
INBOX = "/federation/actors/dockers/inbox"


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers", name="Dock Workers' Union")


def neighbour(alice: Remote, name: str) -> Remote:
    """Another actor of alice's server (with her key pair: each actor serves its own copy)."""
    public_pem = alice.server.documents["/users/alice"]["publicKey"]["publicKeyPem"]
    actor, key_id = alice.server.add_actor(name, public_pem)
    return Remote(server=alice.server, actor=actor, key_id=key_id, private_pem=alice.private_pem)


def follow(client: Any, remote: Remote) -> dict[str, Any]:
    activity = remote.activity("Follow", object=ACTOR)
    response = remote.post(client, INBOX, activity)
    assert response.status_code == 202, response.content
    return activity


# Followers per remote server ------------------------------------------------------------------


def test_a_follow_beyond_the_servers_cap_is_rejected_and_no_follower_added(
    client, settings, alice, bob_elsewhere, union
):
    settings.INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST = 2
    follow(client, alice)
    follow(client, neighbour(alice, "carol"))
    mallory = neighbour(alice, "mallory")
    refused = follow(client, mallory)

    assert sorted(Follower.objects.values_list("actor", flat=True)) == sorted(
        [alice.actor, f"{alice.server.url}/users/carol"]
    )
    assert ReceivedActivity.objects.get(activity_id=refused["id"]).outcome == "follow_rejected"
    deliver_due.call()
    # Mallory's server is told: a Reject of her Follow, in her own inbox.
    [(path, _headers, body)] = [p for p in alice.server.posted if p[0] == "/users/mallory/inbox"]
    reject = json.loads(body)
    assert (reject["type"], reject["object"]["id"]) == ("Reject", refused["id"])
    entry = AuditEntry.objects.get(action="federation.follower_refuse")
    assert entry.data["remote_actor"] == mallory.actor
    # Another server is not concerned, and one who follows already may follow again.
    follow(client, bob_elsewhere)
    follow(client, alice)
    assert Follower.objects.count() == 3
    assert OutgoingActivity.objects.filter(activity_type="Reject").count() == 1


@pytest.fixture
def bob_elsewhere(allow_private, remote_servers, other_keys) -> Remote:  # type: ignore[no-untyped-def]
    server = remote_servers()
    actor, key_id = server.add_actor("bob", other_keys[0])
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=other_keys[1])
