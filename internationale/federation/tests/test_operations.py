"""Federation's operations and safety, through real requests: the followers one remote server
may have of an organization (FEDERATION_MAX_FOLLOWERS_PER_HOST); a remote server that sends its
answer's status line and headers a byte at a time; fetches at once to one host; the remote
organizations' queue through the API; an organization's block told to the remote
organizations known, and undone; the server's own key rotated."""

import datetime
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from internationale import cli
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.federation import blocks, followers
from internationale.federation.delivery import deliver_due
from internationale.federation.keys import instance_key
from internationale.federation.models import (
    Block,
    Follower,
    InstanceKey,
    OutgoingActivity,
    ReceivedActivity,
    RemoteOrganization,
)
from internationale.federation.remote import fetch_slot
from internationale.notifications.webhooks import RequestTooSlow, pinned_request
from internationale.organizations.models import Membership, Organization
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

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


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_follows_of_one_server_at_the_same_moment_do_not_both_take_the_last_place(
    settings, alice, union, monkeypatch
):
    settings.INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST = 1
    carol = neighbour(alice, "carol")
    counted = followers.over_cap

    def slowly(organization, actor):  # type: ignore[no-untyped-def]
        # Each Follow lingers between its count and its insert, as a busy server's would.
        over = counted(organization, actor)
        time.sleep(0.5)
        return over

    monkeypatch.setattr(followers, "over_cap", slowly)
    answers = concurrently(
        lambda: follow(Client(), alice)["id"], lambda: follow(Client(), carol)["id"]
    )

    assert all(isinstance(answer, str) for answer in answers), answers
    assert Follower.objects.count() == 1
    outcomes = sorted(ReceivedActivity.objects.values_list("outcome", flat=True))
    assert outcomes == ["", "follow_rejected"]


@pytest.fixture
def bob_elsewhere(allow_private, remote_servers, other_keys) -> Remote:  # type: ignore[no-untyped-def]
    server = remote_servers()
    actor, key_id = server.add_actor("bob", other_keys[0])
    return Remote(server=server, actor=actor, key_id=key_id, private_pem=other_keys[1])


# A server that answers its status line and headers a byte at a time ---------------------------


@pytest.fixture
def dripping() -> Iterator[str]:
    """A server on loopback that, asked anything, sends a status line and headers one byte every
    0.1 s (8.8 s in all): each byte well within any timeout, the whole far beyond a short one."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _address = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\n"
                head += b"X-Slow: " + b"x" * 20 + b"\r\n"
                for byte in head:
                    if stop.is_set():
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    listener.close()


def test_a_key_server_sending_its_headers_a_byte_at_a_time_is_given_up_at_the_timeout(
    client, settings, alice, union, dripping
):
    settings.INTERNATIONALE_FEDERATION_TIMEOUT = 1
    key_id = f"{dripping}/users/alice#main-key"
    actor = f"{dripping}/users/alice"
    remote = Remote(server=alice.server, actor=actor, key_id=key_id, private_pem=alice.private_pem)
    activity = {"id": f"{dripping}/activities/1", "type": "Like", "actor": actor}
    instance_key()  # made beforehand: its making is not the fetch's time
    assert remote.post(client, INBOX, activity, signed=False).status_code == 401  # warmed up
    started = time.monotonic()
    response = remote.post(client, INBOX, activity)
    took = time.monotonic() - started
    assert response.status_code == 401, response.content
    assert response.json()["error"] == "unreachable"
    # The request's whole time (1 s, and the request's own work on a loaded machine), not one
    # timeout per byte: the headers alone take 8.8 s to come.
    assert took < 4, took
    assert not ReceivedActivity.objects.exists()


# A server that stalls the TLS handshake -----------------------------------------------------------


@pytest.fixture
def stalling_tls() -> Iterator[str]:
    """A raw socket on loopback that accepts and never answers TLS, behind a listen queue kept
    full for 2.5 s: the client's connection is not completed until the queue has room, so the
    TCP connection itself takes 2.5 s or more of the request's time."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        time.sleep(2.5)
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # accepted, and never a byte of TLS
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{port}/users/alice"
    stop.set()
    thread.join(5)
    for sock in [filler, *held]:
        sock.close()
    listener.close()


def test_a_tls_handshake_that_never_comes_ends_at_the_requests_deadline(stalling_tls):
    started = time.monotonic()
    with pytest.raises(RequestTooSlow):
        pinned_request("GET", stalling_tls, headers={}, timeout=3.5, allow_private=True)
    took = time.monotonic() - started
    # The request's 3.5 s, connection and handshake together; before, the handshake had a whole
    # timeout of its own after the connection (3.5 s more: 6.5 s or so).
    assert took < 4.7, took


# Fetches at once from one host -----------------------------------------------------------------


def test_a_key_is_not_fetched_while_its_host_has_its_fetches_in_flight_and_503_says_when_to_retry(
    client, settings, alice, bob_elsewhere, union
):
    settings.INTERNATIONALE_FEDERATION_FETCHES_PER_HOST = 2
    # Two fetches from alice's server in flight (by other requests, threads or processes).
    with fetch_slot(alice.actor), fetch_slot(f"{alice.server.url}/users/carol"):
        response = alice.post(client, INBOX)
        assert response.status_code == 503, response.content
        assert response.json()["error"] == "busy"
        assert response["Retry-After"] == str(settings.INTERNATIONALE_FEDERATION_TIMEOUT)
        assert alice.server.asked == []  # nothing more asked of it
        assert not ReceivedActivity.objects.exists()
        # Another server is not held up by it.
        assert bob_elsewhere.post(client, INBOX).status_code == 202
    # Once they are done, alice's activity is taken, and her fetch frees its place.
    assert alice.post(client, INBOX).status_code == 202
    with fetch_slot(alice.actor), fetch_slot(alice.actor):
        pass  # both places free again


# The remote organizations' queue through the API ----------------------------------------------


def waiting(name: str, relates_to: Any = None) -> RemoteOrganization:
    return RemoteOrganization.objects.create(
        actor=f"https://far.example/actors/{name}",
        inbox=f"https://far.example/actors/{name}/inbox",
        host="far.example",
        username=name,
        name=name.title(),
        properties={"country": "NG", "languages": ["en", "yo"], "sectors": ["H"], "employers": []},
        relates_to=relates_to,
    )


@pytest.fixture
def dora(union):  # type: ignore[no-untyped-def]
    """The union's admin."""
    return MembershipFactory(organization=union, role=Membership.Role.ADMIN).user


def test_operators_list_accept_and_refuse_remote_organizations_through_the_api(
    client_for, oscar, dora, union
):
    lagos, busan = waiting("lagos"), waiting("busan", relates_to=union)
    api = client_for(oscar)
    listed = api.get("/api/v1/federation/remote-organizations?limit=1")
    assert listed.status_code == 200, listed.content
    assert listed.json()["count"] == 2
    [first] = listed.json()["items"]
    assert (first["id"], first["country"], first["languages"], first["relates_to"]) == (
        lagos.pk,
        "NG",
        ["en", "yo"],
        None,
    )

    accepted = api.post(f"/api/v1/federation/remote-organizations/{lagos.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    listed_as = accepted.json()["listed_as"]
    assert Organization.objects.get(slug=listed_as).verified_at is not None  # in the directory
    assert AuditEntry.objects.filter(action="federation.remote_accept").count() == 1
    again = api.post(f"/api/v1/federation/remote-organizations/{lagos.pk}/accept")
    assert again.status_code == 400, again.content

    refused = api.post(f"/api/v1/federation/remote-organizations/{lagos.pk}/refuse")
    assert refused.json()["status"] == "refused"
    assert Organization.objects.get(slug=listed_as).verified_at is None  # out of it again
    assert [
        e["id"] for e in api.get("/api/v1/federation/remote-organizations").json()["items"]
    ] == [busan.pk]


def test_an_organizations_admin_decides_through_the_api_only_those_that_relate_to_it(
    client_for, dora, union
):
    mine, theirs = waiting("busan", relates_to=union), waiting("lagos")
    api = client_for(dora)
    listed = api.get("/api/v1/organizations/dockers/federation/remote-organizations")
    assert [e["name"] for e in listed.json()["items"]] == ["Busan"]
    # The operators' queue and another entry do not exist for her.
    assert api.get("/api/v1/federation/remote-organizations").status_code == 404
    response = api.post(f"/api/v1/federation/remote-organizations/{theirs.pk}/accept")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    response = api.post(f"/api/v1/federation/remote-organizations/{mine.pk}/refuse")
    assert response.status_code == 200, response.content
    assert response.json()["relates_to"] == "dockers"
    assert not api.get("/api/v1/organizations/dockers/federation/remote-organizations").json()[
        "items"
    ]


def test_the_remote_organizations_endpoints_are_in_the_api_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/federation/remote-organizations" in paths
    assert "post" in paths["/api/v1/federation/remote-organizations/{pk}/accept"]
    assert "post" in paths["/api/v1/federation/remote-organizations/{pk}/refuse"]
    assert "/api/v1/organizations/{slug}/federation/remote-organizations" in paths


# An organization's block told to those it knows, and its Undo ---------------------------------


def test_a_block_is_told_to_known_remote_organizations_that_do_not_follow_and_undone_on_removal(
    client, client_for, dora, alice, bob_elsewhere, union
):
    follow(client, alice)
    deliver_due.call()  # her Accept
    # Carol's organization, on alice's server, is known here (in the queue) but does not follow.
    carol = RemoteOrganization.objects.create(
        actor=f"{alice.server.url}/users/carol",
        inbox=f"{alice.server.url}/users/carol/inbox",
        host=alice.server.url.removeprefix("http://"),
        username="carol",
        name="Carol's Union",
        properties={"country": "NG"},
    )
    waiting("elsewhere")  # of another server: not concerned
    api = client_for(dora)
    created = api.post(
        "/api/v1/organizations/dockers/federation/blocks",
        {"host": alice.server.url.removeprefix("http://")},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert deliver_due.call() == 2
    blocks_told = {
        path: json.loads(body)
        for path, _h, body in alice.server.posted
        if path != "/users/alice/inbox"
    }
    assert list(blocks_told) == ["/users/carol/inbox"]
    block = blocks_told["/users/carol/inbox"]
    assert (block["type"], block["actor"], block["object"]) == ("Block", ACTOR, carol.actor)
    to_alice = [
        json.loads(b)["type"] for p, _h, b in alice.server.posted if p == "/users/alice/inbox"
    ]
    assert to_alice == ["Accept", "Block"]

    # Removing the block sends each of them an Undo of its own Block.
    before = len(alice.server.posted)
    removed = api.delete(f"/api/v1/organizations/dockers/federation/blocks/{created.json()['id']}")
    assert removed.status_code == 204
    assert deliver_due.call() == 2
    undos = {path: json.loads(body) for path, _h, body in alice.server.posted[before:]}
    assert set(undos) == {"/users/alice/inbox", "/users/carol/inbox"}
    undo = undos["/users/carol/inbox"]
    assert (undo["type"], undo["actor"]) == ("Undo", ACTOR)
    assert undo["object"]["id"] == block["id"]
    assert (undo["object"]["type"], undo["object"]["object"]) == ("Block", carol.actor)
    assert undos["/users/alice/inbox"]["object"]["object"] == alice.actor
    assert not bob_elsewhere.server.posted
    assert AuditEntry.objects.get(action="federation.unblock").data["told"] == 2


def test_a_block_of_an_actor_neither_following_nor_known_is_told_to_the_inbox_its_actor_names(
    client_for, dora, alice, union, work_off, django_capture_on_commit_callbacks
):
    api = client_for(dora)
    path = "/api/v1/organizations/dockers/federation/blocks"
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(path, {"actor": alice.actor}, content_type="application/json")
    assert created.status_code == 201, created.content
    work_off()  # her actor fetched, signed by the server's own key; her Block delivered

    asked = dict(zip(alice.server.asked, alice.server.asked_headers, strict=True))
    assert "Signature" in asked["/users/alice"], alice.server.asked
    [(inbox, _headers, body)] = alice.server.posted
    block = json.loads(body)
    assert inbox == "/users/alice/inbox"
    assert (block["type"], block["actor"], block["object"]) == ("Block", ACTOR, alice.actor)

    # Removing the block sends her an Undo of it, as for those known.
    with django_capture_on_commit_callbacks(execute=True):
        removed = api.delete(f"{path}/{created.json()['id']}")
    assert removed.status_code == 204
    work_off()
    undo = json.loads(alice.server.posted[-1][2])
    assert (undo["type"], undo["object"]["id"]) == ("Undo", block["id"])


def test_a_block_of_an_actor_that_cannot_be_fetched_holds_untold(client_for, dora, alice, union):
    api = client_for(dora)
    nobody = f"{alice.server.url}/users/nobody"
    path = "/api/v1/organizations/dockers/federation/blocks"
    created = api.post(path, {"actor": nobody}, content_type="application/json")
    assert created.status_code == 201, created.content

    assert blocks.tell_unknown.call(created.json()["id"]) == 0

    assert Block.objects.get().told == []
    assert not alice.server.posted
    assert not OutgoingActivity.objects.exists()


# The server's own key rotated -----------------------------------------------------------------

AP = {"Accept": "application/activity+json"}


def test_an_operator_rotates_the_servers_key_and_the_old_one_is_served_for_the_window_only(
    client, settings, alice, union, capsys
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    first = instance_key()
    # Without --yes: nothing changes.
    assert cli.main(["federation", "rotate-server-key"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert InstanceKey.objects.get().pk == first.pk

    assert cli.main(["federation", "rotate-server-key", "--yes"]) == 0
    actor = client.get("/federation/actor", headers=AP).json()
    assert actor["publicKey"]["id"] == "http://127.0.0.1:8000/federation/actor/keys/2"
    first.refresh_from_db()
    assert first.retired_at is not None and first.private_key_encrypted == ""
    entry = AuditEntry.objects.get(action="federation.rotate_server_key")
    assert entry.data["retired"].endswith("/federation/actor/keys/1")
    # What it signed just before still verifies, for the signature window; then 410.
    assert client.get("/federation/actor/keys/1", headers=AP).status_code == 200
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS)
    InstanceKey.objects.filter(pk=first.pk).update(retired_at=F("retired_at") - window)
    gone = client.get("/federation/actor/keys/1", headers=AP)
    assert (gone.status_code, gone.json()["error"]) == (410, "key_retired")
    served = client.get("/federation/actor/keys/2", headers=AP).json()
    assert served["owner"] == "http://127.0.0.1:8000/federation/actor"
    # The server's next fetch is signed with the new key.
    assert alice.post(client, INBOX).status_code == 202
    assert (
        'keyId="http://127.0.0.1:8000/federation/actor/keys/2"'
        in (alice.server.asked_headers[0]["Signature"])
    )


def test_the_servers_key_rotated_as_compromised_is_withdrawn_at_once(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    instance_key()
    assert cli.main(["federation", "rotate-server-key", "--yes", "--compromised"]) == 0
    assert client.get("/federation/actor/keys/1", headers=AP).status_code == 410
    assert client.get("/federation/actor/keys/3", headers=AP).status_code == 404
    assert AuditEntry.objects.get(action="federation.rotate_server_key").data["compromised"]


def test_an_operator_replaces_the_servers_key_from_its_page_once_confirmed(
    client_for, client, oscar, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    first = instance_key()
    operator = client_for(oscar)
    assert "/federation/key/rotate/" in operator.get("/federation/blocks/").content.decode()
    page = operator.get("/federation/key/rotate/")
    assert page.status_code == 200 and 'name="compromised"' in page.content.decode()
    # Without the confirmation, the page again and nothing changed.
    assert operator.post("/federation/key/rotate/", {}).status_code == 200
    assert InstanceKey.objects.get().pk == first.pk

    done = operator.post("/federation/key/rotate/", {"confirm": "1"})

    assert done.status_code == 302 and done["Location"] == "/federation/blocks/"
    actor = client.get("/federation/actor", headers=AP).json()
    assert actor["publicKey"]["id"] == "http://127.0.0.1:8000/federation/actor/keys/2"
    assert client.get("/federation/actor/keys/1", headers=AP).status_code == 200  # the window
    entry = AuditEntry.objects.get(action="federation.rotate_server_key")
    assert entry.actor == oscar and entry.data["compromised"] is False


def test_an_operator_replaces_the_servers_compromised_key_through_the_api_once_confirmed(
    client_for, client, oscar, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    instance_key()
    api = client_for(oscar)
    path = "/api/v1/federation/server-key/rotate"
    unconfirmed = api.post(path, {"compromised": True}, content_type="application/json")
    assert unconfirmed.status_code == 400, unconfirmed.content
    assert list(unconfirmed.json()["errors"]) == ["confirm"]
    assert InstanceKey.objects.count() == 1

    done = api.post(path, {"confirm": True, "compromised": True}, content_type="application/json")

    assert done.status_code == 201, done.content
    assert done.json()["key_id"] == "http://127.0.0.1:8000/federation/actor/keys/2"
    assert client.get("/federation/actor/keys/1", headers=AP).status_code == 410  # at once
    assert AuditEntry.objects.get(action="federation.rotate_server_key").data["compromised"]
