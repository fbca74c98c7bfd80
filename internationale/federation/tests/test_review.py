"""What the federation security review found, each through real requests: one server however
its name is spelt (blocks, the inbox's limit per host), and the other findings below, each with
the behaviour that answers it (docs/federation.md, "Safety, after the review")."""

import datetime
import json
import logging
import socket
import uuid
from typing import Any

import pytest
from django.db.models import F

from internationale import cli
from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.federation import blocks
from internationale.federation.keys import current_key, key_rotate
from internationale.federation.models import (
    ActorKey,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
)
from internationale.organizations.tests.factories import OrganizationFactory

from .conftest import Remote
from .remote_server import RemoteServer, key_pair

pytestmark = pytest.mark.django_db

SITE_ACTOR = "http://127.0.0.1:8000/federation/actors/dockers"
INBOX = "/federation/actors/dockers/inbox"


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers", name="Dock Workers' Union")


@pytest.fixture
def spelt(allow_private, remote_servers, alice_keys):  # type: ignore[no-untyped-def]
    """An actor on one loopback server, named under the host spelling given."""
    server = remote_servers()
    port = server.server.server_address[1]

    def actor(host: str, name: str = "mallory") -> Remote:
        url, key_id = server.add_actor(name, alice_keys[0], base=f"http://{host}:{port}")
        return Remote(server=server, actor=url, key_id=key_id, private_pem=alice_keys[1])

    return actor


def activity(remote: Remote, kind: str = "Create", **extra: Any) -> dict[str, Any]:
    base = remote.actor.split("/users/")[0]
    return {"id": f"{base}/activities/{uuid.uuid4()}", "type": kind, "actor": remote.actor, **extra}


def block(host: str) -> None:
    blocks.block_add(actor=System(reason="test"), organization=None, host=host)


# One server, however its name is spelt -----------------------------------------------------------


@pytest.mark.parametrize("spelling", ["2130706433", "127.1", "0x7f.0.0.1", "[::ffff:127.0.0.1]"])
def test_a_blocked_server_is_refused_under_another_spelling_of_its_address(
    client, spelt, union, spelling
):
    block("127.0.0.1")
    remote = spelt(spelling)
    response = remote.post(client, INBOX, activity(remote))
    assert response.status_code == 403, response.content
    assert response.json()["error"] == "blocked"
    assert not ReceivedActivity.objects.exists()


@pytest.mark.parametrize(
    "blocked, spelling",
    [
        ("evil.test", "evil.test."),
        ("bücher.test", "xn--bcher-kva.test"),
        ("EVIL.test", "evil.test"),
    ],
)
def test_a_blocked_name_is_refused_with_a_trailing_dot_or_in_punycode(
    client, spelt, union, monkeypatch, blocked, spelling
):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The names stand for public ones; they lead to the loopback server.
        if host.rstrip(".") in ("evil.test", "xn--bcher-kva.test"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    block(blocked)
    remote = spelt(spelling)
    response = remote.post(client, INBOX, activity(remote))
    assert response.status_code == 403, response.content
    assert not ReceivedActivity.objects.exists()


def test_a_block_removes_the_follow_of_a_server_spelt_otherwise(client, spelt, union):
    remote = spelt("2130706433")
    response = remote.post(client, INBOX, activity(remote, "Follow", object=SITE_ACTOR))
    assert response.status_code == 202, response.content
    _block, effect = blocks.block_add(
        actor=System(reason="test"), organization=None, host="127.0.0.1"
    )
    assert effect.followers == 1
    assert not Follower.objects.exists()


def test_an_ipv6_server_can_be_blocked(allow_private):
    for given in ("[2001:DB8::1]", "2001:db8:0::1", "https://[2001:db8::1]/users/x"):
        blocked, _effect = blocks.effect(organization=None, host=given)
        assert blocked.host == "[2001:db8::1]"
        assert blocks.matches(blocked.host, "https://[2001:db8:0:0::1]:443/users/mallory")
    assert blocks.effect(organization=None, host="[2001:db8::1]:8443")[0].host == (
        "[2001:db8::1]:8443"
    )


def test_the_inbox_limit_counts_one_server_however_its_name_is_spelt(
    client, settings, spelt, union
):
    settings.ACCOUNT_RATE_LIMITS = {"federation_inbox": "1/m/key"}
    first = spelt("127.0.0.1", "a")
    assert first.post(client, INBOX, activity(first)).status_code == 202
    for n, spelling in enumerate(["127.1", "2130706433", "user@127.0.0.1", "LOCALHOST"]):
        other = spelt(spelling, f"b{n}")
        response = other.post(client, INBOX, activity(other))
        expected = 202 if spelling == "LOCALHOST" else 429  # localhost is another name
        assert response.status_code == expected, (spelling, response.content)


# Numbers JSON cannot hold; plain http ----------------------------------------------------------


@pytest.mark.parametrize("number", [b"1e999", b"-1e999", b"NaN", b"Infinity", b"-Infinity"])
def test_an_activity_with_a_number_no_database_stores_is_refused_400(client, alice, union, number):
    body = json.dumps({**alice.activity(), "n": "X"}).encode().replace(b'"X"', number)
    response = alice.post(client, INBOX, body=body)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "bad_number"
    assert not ReceivedActivity.objects.exists()


def test_actors_on_plain_http_are_refused_unless_private_networks_are_allowed(
    client, settings, union, alice_keys, monkeypatch
):
    # Nothing is fetched: the refusal comes before (the name would lead to loopback).
    loopback = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: loopback)
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = False
    server = RemoteServer()  # not started: nothing may be asked of it
    for scheme, code in (("http", "not_https"), ("https", "private_address")):
        actor = f"{scheme}://social.test/users/mallory"
        remote = Remote(
            server=server, actor=actor, key_id=actor + "#main-key", private_pem=alice_keys[1]
        )
        response = remote.post(client, INBOX, activity(remote))
        assert response.status_code == 403, response.content
        assert response.json()["error"] == code
    assert not ReceivedActivity.objects.exists()


# Key rotation revokes --------------------------------------------------------------------------

AP = {"Accept": "application/activity+json"}


def test_a_retired_key_cannot_sign_and_is_served_only_for_the_signature_window(
    client, settings, union
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    old = current_key(union)
    key_rotate(actor=System(reason="test"), organization=union)
    old.refresh_from_db()
    assert old.private_key_encrypted == ""  # no one signs with it again, this server included
    served = client.get("/federation/actors/dockers/keys/1", headers=AP)
    assert served.status_code == 200  # what it signed just before still verifies
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS)
    ActorKey.objects.filter(pk=old.pk).update(retired_at=F("retired_at") - window)
    gone = client.get("/federation/actors/dockers/keys/1", headers=AP)
    assert gone.status_code == 410
    assert gone.json()["error"] == "key_retired"
    assert client.get("/federation/actors/dockers/keys/2", headers=AP).status_code == 200


def test_a_key_rotated_as_compromised_is_withdrawn_at_once(client, settings, union):
    settings.SITE_URL = "http://127.0.0.1:8000"
    current_key(union)
    assert cli.main(["org", "rotate-key", "--compromised", "dockers"]) == 0
    assert client.get("/federation/actors/dockers/keys/1", headers=AP).status_code == 410
    assert AuditEntry.objects.get(action="federation.rotate_key").data["compromised"] is True


def test_the_rotation_update_carries_the_new_key_only(client, settings, union):
    settings.SITE_URL = "http://127.0.0.1:8000"
    new = key_rotate(actor=System(reason="test"), organization=union)
    update = OutgoingActivity.objects.get(activity_type="Update")
    assert update.payload["object"] == {
        "id": "http://127.0.0.1:8000/federation/actors/dockers",
        "type": "Group",
        "publicKey": {
            "id": "http://127.0.0.1:8000/federation/actors/dockers/keys/2",
            "type": "CryptographicKey",
            "owner": "http://127.0.0.1:8000/federation/actors/dockers",
            "publicKeyPem": new.public_key_pem,
        },
    }


# A key is its actor's only if the actor says so ------------------------------------------------


def test_a_key_document_the_actor_does_not_list_signs_for_no_one(client, alice, union):
    public, private = key_pair()
    upload = f"{alice.server.url}/uploads/mallory.json"
    alice.server.documents["/uploads/mallory.json"] = {
        "id": upload,
        "owner": alice.actor,
        "publicKeyPem": public,
    }
    response = alice.post(client, INBOX, key_id=upload, private_pem=private)
    assert response.status_code == 401, response.content
    assert response.json()["error"] == "unknown_key"
    assert "/users/alice" in alice.server.asked  # the actor was asked
    assert not ReceivedActivity.objects.exists()


def test_a_key_document_the_actor_lists_signs_for_it(client, alice, union):
    public, private = key_pair()
    key_id = f"{alice.server.url}/keys/2"
    alice.server.documents["/keys/2"] = {"id": key_id, "owner": alice.actor, "publicKeyPem": public}
    alice.server.documents["/users/alice"]["publicKey"] = [
        alice.server.documents["/users/alice"]["publicKey"],
        key_id,
    ]
    response = alice.post(client, INBOX, key_id=key_id, private_pem=private)
    assert response.status_code == 202, response.content


def test_a_key_served_as_anything_but_json_is_refused(client, alice, union):
    alice.server.content_types["/users/alice"] = "text/plain"
    response = alice.post(client, INBOX)
    assert response.status_code == 401, response.content
    assert response.json()["error"] == "bad_document"
    assert not ReceivedActivity.objects.exists()


# Traces -----------------------------------------------------------------------------------------


def test_each_refusal_is_logged_with_its_code_host_and_key(
    client, alice, union, other_keys, caplog
):
    with caplog.at_level(logging.WARNING, logger="internationale.federation"):
        response = alice.post(client, INBOX, private_pem=other_keys[1])
    assert response.status_code == 401
    [record] = [r for r in caplog.records if "inbox refused" in r.getMessage()]
    message = record.getMessage()
    assert "bad_signature" in message and alice.server.url in message and alice.key_id in message


def test_followers_added_and_removed_are_in_the_organizations_audit_log(client, alice, union):
    follow = alice.activity("Follow", object=SITE_ACTOR)
    assert alice.post(client, INBOX, follow).status_code == 202
    undo = alice.activity("Undo", object=follow["id"])
    assert alice.post(client, INBOX, undo).status_code == 202
    entries = AuditEntry.objects.filter(organization=union).order_by("pk")
    assert [(e.action, e.data["remote_actor"]) for e in entries] == [
        ("federation.follower_add", alice.actor),
        ("federation.follower_remove", alice.actor),
    ]
