"""The inboxes through real requests: what a remote server sends, signed by RFC 9421 or by
draft-cavage, is recorded and answered 202; everything it cannot prove is refused with its
reason, and nothing is recorded."""

import datetime
import json

import pytest
from django.db.models import F

from internationale.federation.models import (
    Follower,
    OutgoingActivity,
    ReceivedActivity,
    RemoteKey,
)
from internationale.federation.signatures import CAVAGE, RFC9421
from internationale.organizations.tests.factories import OrganizationFactory

from .remote_server import key_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers", name="Dock Workers' Union")


def inbox(org) -> str:  # type: ignore[no-untyped-def]
    return f"/federation/actors/{org.slug}/inbox"


def nothing_recorded() -> bool:
    return (
        not ReceivedActivity.objects.exists()
        and not Follower.objects.exists()
        and not OutgoingActivity.objects.exists()
    )


def refused(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == code
    assert response.json()["detail"]
    assert nothing_recorded()


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_signed_activity_is_recorded_and_answered_202(client, alice, union, scheme):
    activity = alice.activity()
    response = alice.post(client, inbox(union), activity, scheme=scheme)
    assert response.status_code == 202, response.content
    received = ReceivedActivity.objects.get()
    assert received.activity_id == activity["id"]
    assert received.actor == alice.actor
    assert received.organization == union
    assert received.signature_scheme == scheme
    assert received.payload["object"]["content"] == "Solidarity from the docks."


def test_the_shared_inbox_records_it_for_no_organization_in_particular(client, alice, union):
    response = alice.post(client, "/federation/inbox")
    assert response.status_code == 202
    assert ReceivedActivity.objects.get().organization is None


def test_the_key_is_fetched_once_and_then_read_from_the_cache(client, alice, union):
    assert alice.post(client, inbox(union)).status_code == 202
    assert alice.post(client, inbox(union)).status_code == 202
    assert alice.server.asked == ["/users/alice"]
    assert RemoteKey.objects.get().owner == alice.actor


def minutes_pass() -> None:
    """As if the cached keys had been fetched long enough ago to be fetched again."""
    RemoteKey.objects.update(fetched_at=F("fetched_at") - datetime.timedelta(minutes=10))


def test_a_key_changed_remotely_is_fetched_again_once(client, alice, union):
    assert alice.post(client, inbox(union)).status_code == 202
    minutes_pass()
    public, private = key_pair()
    alice.server.documents["/users/alice"]["publicKey"]["publicKeyPem"] = public
    response = alice.post(client, inbox(union), private_pem=private)
    assert response.status_code == 202, response.content
    assert alice.server.asked == ["/users/alice", "/users/alice"]
    assert RemoteKey.objects.get().public_key_pem == public


def test_an_unsigned_activity_is_refused(client, alice, union):
    refused(alice.post(client, inbox(union), signed=False), 401, "no_signature")


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_signature_by_another_key_is_refused(client, alice, union, other_keys, scheme):
    response = alice.post(client, inbox(union), private_pem=other_keys[1], scheme=scheme)
    refused(response, 401, "bad_signature")
    # The key was just fetched: it is not fetched again for a signature that fails.
    assert alice.server.asked == ["/users/alice"]
    minutes_pass()
    response = alice.post(client, inbox(union), private_pem=other_keys[1], scheme=scheme)
    refused(response, 401, "bad_signature")
    # Minutes later, the cached key failed, so it was fetched again once, and failed again.
    assert alice.server.asked == ["/users/alice", "/users/alice"]


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_an_expired_signature_is_refused(client, alice, union, scheme):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    refused(alice.post(client, inbox(union), scheme=scheme, now=long_ago), 401, "expired")


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_body_changed_after_signing_is_refused(client, alice, union, scheme, monkeypatch):
    from internationale.federation.tests import conftest

    real_sign = conftest.sign

    def sign_other_body(**kwargs):  # type: ignore[no-untyped-def]
        return real_sign(**{**kwargs, "body": kwargs["body"] + b" "})

    monkeypatch.setattr(conftest, "sign", sign_other_body)
    refused(alice.post(client, inbox(union), scheme=scheme), 401, "bad_digest")


def test_a_key_on_another_host_than_the_actor_is_refused(
    client, alice, union, remote_servers, other_keys
):
    elsewhere = remote_servers()
    _actor, key_id = elsewhere.add_actor("mallory", other_keys[0])
    response = alice.post(client, inbox(union), key_id=key_id, private_pem=other_keys[1])
    refused(response, 401, "forged_origin")
    assert elsewhere.asked == []


def test_a_key_of_another_actor_of_the_same_host_is_refused(client, alice, union, other_keys):
    _bob, bob_key = alice.server.add_actor("bob", other_keys[0])
    response = alice.post(client, inbox(union), key_id=bob_key, private_pem=other_keys[1])
    refused(response, 401, "forged_origin")


def test_an_activity_whose_id_is_of_another_host_is_refused(client, alice, union):
    activity = alice.activity(id="https://elsewhere.example/activities/1")
    refused(alice.post(client, inbox(union), activity), 403, "forged_origin")


def test_an_object_claiming_another_origin_is_refused(client, alice, union):
    activity = alice.activity()
    activity["object"]["id"] = "https://elsewhere.example/notes/1"
    refused(alice.post(client, inbox(union), activity), 403, "forged_origin")
    assert alice.server.asked == []


def test_an_activity_received_twice_is_refused_the_second_time(client, alice, union):
    activity = alice.activity()
    assert alice.post(client, inbox(union), activity).status_code == 202
    response = alice.post(client, inbox(union), activity)
    assert response.status_code == 409
    assert response.json()["error"] == "replayed"
    assert ReceivedActivity.objects.count() == 1


def test_a_body_over_the_limit_is_refused(client, alice, union, settings):
    settings.INTERNATIONALE_FEDERATION_MAX_BODY_BYTES = 2000
    activity = alice.activity()
    activity["object"]["content"] = "x" * 2000
    refused(alice.post(client, inbox(union), activity), 413, "too_large")


def test_a_body_nested_too_deeply_is_refused(client, alice, union):
    activity = alice.activity()
    nested: dict = {}
    activity["object"]["tag"] = nested
    for _level in range(30):
        nested["tag"] = {}
        nested = nested["tag"]
    refused(alice.post(client, inbox(union), activity), 400, "too_deep")


def test_a_body_that_is_not_json_is_refused(client, alice, union):
    refused(alice.post(client, inbox(union), body=b"<Create/>"), 400, "not_json")
    refused(
        alice.post(client, inbox(union), body=b"id=1", content_type="text/plain"),
        415,
        "not_json",
    )


def test_json_that_is_not_an_activity_is_refused(client, alice, union):
    refused(alice.post(client, inbox(union), body=b"[1, 2]"), 400, "not_activity")
    refused(alice.post(client, inbox(union), {"type": "Create"}), 400, "not_activity")


def test_an_actor_on_loopback_is_refused_unless_the_operator_allows_it(
    client, alice, union, settings
):
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = False
    # On plain http it is refused as such first (test_review.py); on https, for its address.
    actor = alice.actor.replace("http://", "https://")
    activity = {"id": f"{actor}/activities/1", "type": "Create", "actor": actor}
    refused(
        alice.post(client, inbox(union), activity, key_id=actor + "#main-key"),
        403,
        "private_address",
    )
    assert alice.server.asked == []


def test_an_actor_whose_key_cannot_be_found_is_refused(client, alice, union):
    del alice.server.documents["/users/alice"]
    refused(alice.post(client, inbox(union)), 401, "unreachable")


def test_the_inbox_of_an_organization_the_directory_does_not_list_is_not_found(client, alice):
    unverified = OrganizationFactory(verified_at=None)
    assert alice.post(client, inbox(unverified)).status_code == 404
    assert alice.post(client, "/federation/actors/nobody/inbox").status_code == 404
    assert nothing_recorded()


def test_a_follow_is_accepted_and_the_accept_recorded_for_delivery(client, alice, union):
    follow = alice.activity("Follow", object="http://127.0.0.1:8000/federation/actors/dockers")
    response = alice.post(client, inbox(union), follow)
    assert response.status_code == 202, response.content
    follower = Follower.objects.get()
    assert (follower.organization, follower.actor) == (union, alice.actor)
    assert follower.inbox == f"{alice.actor}/inbox"
    assert follower.shared_inbox == f"{alice.server.url}/inbox"
    accept = OutgoingActivity.objects.get()
    assert accept.activity_type == "Accept"
    assert accept.inbox == f"{alice.actor}/inbox"
    assert accept.payload["actor"] == "http://127.0.0.1:8000/federation/actors/dockers"
    assert accept.payload["object"]["id"] == follow["id"]
    assert accept.delivered_at is None
    # The followers collection counts her.
    followers = client.get("/federation/actors/dockers/followers")
    assert followers.json()["totalItems"] == 1


def test_a_follow_of_another_actor_is_only_recorded(client, alice, union):
    follow = alice.activity("Follow", object=f"{alice.server.url}/users/bob")
    assert alice.post(client, inbox(union), follow).status_code == 202
    assert ReceivedActivity.objects.get().activity_type == "Follow"
    assert not Follower.objects.exists()
    assert not OutgoingActivity.objects.exists()


def test_the_errors_are_json_a_remote_server_can_read(client, alice, union):
    response = alice.post(client, inbox(union), signed=False)
    assert json.loads(response.content) == {
        "error": "no_signature",
        "detail": "The request is not signed.",
    }


def test_a_follow_sent_to_the_shared_inbox_is_accepted_for_its_organization(client, alice, union):
    follow = alice.activity("Follow", object="http://127.0.0.1:8000/federation/actors/dockers")
    assert alice.post(client, "/federation/inbox", follow).status_code == 202
    assert ReceivedActivity.objects.get().organization == union
    assert Follower.objects.get().organization == union
    assert OutgoingActivity.objects.get().activity_type == "Accept"


def test_a_follow_of_an_unlisted_organization_by_the_shared_inbox_is_only_recorded(
    client, alice, union
):
    OrganizationFactory(slug="pending", verified_at=None)
    follow = alice.activity("Follow", object="http://127.0.0.1:8000/federation/actors/pending")
    assert alice.post(client, "/federation/inbox", follow).status_code == 202
    assert ReceivedActivity.objects.get().organization is None
    assert not Follower.objects.exists()
    assert not OutgoingActivity.objects.exists()


def test_a_replay_is_told_only_to_a_signed_request(client, alice, union):
    activity = alice.activity()
    assert alice.post(client, inbox(union), activity).status_code == 202
    response = alice.post(client, inbox(union), activity, signed=False)
    assert response.json()["error"] == "no_signature"


def test_ids_that_are_not_text_or_too_long_are_refused(client, alice, union):
    activity = alice.activity()
    refused(alice.post(client, inbox(union), {**activity, "id": {"id": 1}}), 400, "not_activity")
    long_id = activity["id"] + "x" * 500
    refused(alice.post(client, inbox(union), {**activity, "id": long_id}), 400, "too_long")
