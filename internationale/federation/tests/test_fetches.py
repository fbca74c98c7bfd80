"""Fetches of remote documents are signed by the server's own actor (so that servers answering
only signed fetches answer), and another host's object forwarded by a third party is fetched
again from its origin, never taken as sent. Remote servers on loopback (conftest.py)."""

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from requests.structures import CaseInsensitiveDict

from internationale.federation.models import ReceivedActivity
from internationale.federation.signatures import _cavage_base
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

INBOX = "/federation/actors/dockers/inbox"
INSTANCE = "http://127.0.0.1:8000/federation/actor"


@pytest.fixture
def union():  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="dockers")


def verifies(client: Any, url: str, headers: dict[str, str]) -> bool:
    """Whether the GET's cavage signature verifies with the key the instance actor serves."""
    actor = client.get("/federation/actor", headers={"Accept": "application/activity+json"}).json()
    lower = CaseInsensitiveDict(headers)
    fields = dict(part.split("=", 1) for part in lower["Signature"].replace('"', "").split(","))
    assert fields["keyId"] == actor["publicKey"]["id"] == f"{INSTANCE}/keys/1"
    base = _cavage_base("GET", url, dict(lower), fields["headers"].split())
    public = serialization.load_pem_public_key(actor["publicKey"]["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(
        base64.b64decode(fields["signature"]), base.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    return True


def test_the_server_is_an_actor_whose_key_signs_its_fetches(client, alice, union):
    actor = client.get("/federation/actor", headers={"Accept": "application/activity+json"})
    assert actor.status_code == 200
    assert (actor.json()["type"], actor.json()["id"]) == ("Application", INSTANCE)
    # The platform fetches alice's key to check her activity: that GET is signed.
    assert alice.post(client, INBOX).status_code == 202
    assert alice.server.asked == ["/users/alice"]
    headers = alice.server.asked_headers[0]
    assert "(request-target) host date" in CaseInsensitiveDict(headers)["Signature"]
    assert verifies(client, f"{alice.server.url}/users/alice", headers)


def test_a_forwarded_object_of_another_host_is_fetched_again_from_its_origin(
    client, alice, union, remote_servers
):
    origin = remote_servers()
    note = f"{origin.url}/notes/1"
    origin.documents["/notes/1"] = {
        "id": note,
        "type": "Note",
        "attributedTo": f"{origin.url}/users/carla",
        "content": "What carla wrote.",
    }
    forged = {"id": note, "type": "Note", "content": "What alice claims carla wrote."}
    announce = alice.activity("Announce", object=forged)
    assert alice.post(client, INBOX, announce).status_code == 202
    recorded = ReceivedActivity.objects.get(activity_id=announce["id"]).payload["object"]
    assert recorded["content"] == "What carla wrote."
    assert origin.asked == ["/notes/1"]
    assert verifies(client, note, origin.asked_headers[0])


def test_a_forwarded_object_its_origin_does_not_give_refuses_the_activity(
    client, alice, union, remote_servers
):
    origin = remote_servers()
    announce = alice.activity(
        "Announce", object={"id": f"{origin.url}/notes/404", "type": "Note", "content": "Forged"}
    )
    response = alice.post(client, INBOX, announce)
    assert (response.status_code, response.json()["error"]) == (502, "unreachable")
    assert not ReceivedActivity.objects.exists()


def test_another_hosts_object_in_an_activity_that_needs_only_its_id_is_kept_as_its_id(
    client, alice, union
):
    like = alice.activity(
        "Like", object={"id": "https://elsewhere.example/notes/1", "content": "Forged"}
    )
    assert alice.post(client, INBOX, like).status_code == 202
    recorded = ReceivedActivity.objects.get(activity_id=like["id"]).payload
    assert recorded["object"] == "https://elsewhere.example/notes/1"
    assert alice.server.asked == ["/users/alice"]  # nothing fetched from elsewhere
