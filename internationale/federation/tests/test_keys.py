"""Organizations' key pairs: made when first needed, the private key stored encrypted, rotated
(command, Federation tab, API) with the old key still served and an Update recorded for the
followers; remote keys refreshed ahead of their expiry."""

import datetime

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.federation.keys import current_key, key_rotate, private_key_pem
from internationale.federation.models import ActorKey, OutgoingActivity, RemoteKey
from internationale.federation.remote import refresh_keys
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

AP = {"Accept": "application/activity+json"}


@pytest.fixture
def union(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "http://127.0.0.1:8000"
    return OrganizationFactory(slug="dockers")


def test_the_private_key_is_stored_encrypted_and_matches_the_public_one(union):
    key = current_key(union)
    stored = ActorKey.objects.get(pk=key.pk).private_key_encrypted
    assert "PRIVATE KEY" not in stored
    private = serialization.load_pem_private_key(private_key_pem(key).encode(), password=None)
    public = serialization.load_pem_public_key(key.public_key_pem.encode())
    assert private.public_key().public_numbers() == public.public_numbers()  # type: ignore[union-attr]
    assert private.key_size >= 2048  # type: ignore[union-attr]


def test_the_private_key_cannot_be_read_with_another_secret_key(union, settings):
    key = current_key(union)
    settings.SECRET_KEY = "another secret key entirely, of sufficient length for Django"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(InvalidToken):
        private_key_pem(key)


def test_rotation_serves_the_new_key_keeps_the_old_one_and_records_an_update(client, union):
    old = client.get("/federation/actors/dockers", headers=AP).json()["publicKey"]
    admin = MembershipFactory(organization=union, role="admin").user
    new = key_rotate(actor=admin, organization=union)
    actor = client.get("/federation/actors/dockers", headers=AP).json()
    assert actor["publicKey"]["id"] == "http://127.0.0.1:8000/federation/actors/dockers/keys/2"
    assert actor["publicKey"]["publicKeyPem"] == new.public_key_pem != old["publicKeyPem"]
    # The old key is still served where its id says, for activities signed before the change.
    still = client.get("/federation/actors/dockers/keys/1")
    assert still.status_code == 200
    assert still.json()["publicKeyPem"] == old["publicKeyPem"]
    update = OutgoingActivity.objects.get()
    assert update.activity_type == "Update"
    assert update.inbox == ""  # to the followers
    assert update.payload["object"]["publicKey"]["publicKeyPem"] == new.public_key_pem
    assert "https://www.w3.org/ns/activitystreams#Public" in update.payload["to"]
    # The Update can be fetched at its id.
    path = update.activity_id.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).json()["id"] == update.activity_id
    entry = AuditEntry.objects.get(action="federation.rotate_key")
    assert entry.organization_id == union.pk


def test_an_organization_without_a_key_gets_one_and_rotates_it(union):
    new = key_rotate(actor=System(reason="test"), organization=union)
    assert new.number == 2
    assert ActorKey.objects.filter(organization=union, retired_at__isnull=False).count() == 1


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_only_admins_and_operators_rotate_a_key(union, role):
    person = MembershipFactory(organization=union, role=role).user
    with pytest.raises(PermissionDenied):
        key_rotate(actor=person, organization=union)
    assert not ActorKey.objects.exists()
    assert not OutgoingActivity.objects.exists()


# Rotation from the Federation tab and the API ---------------------------------------------------


def test_an_admin_rotates_the_key_from_the_federation_tab_after_confirming(client, union):
    admin = MembershipFactory(organization=union, role="admin").user
    client.force_login(admin)
    # The page makes no key: the union has none until a server asks for its actor.
    assert "has no key yet" in client.get("/organizations/dockers/federation/").content.decode()
    assert not ActorKey.objects.exists()
    current_key(union)
    assert (
        "signed with key number 1"
        in client.get("/organizations/dockers/federation/").content.decode()
    )
    confirm = client.get("/organizations/dockers/federation/key/")
    assert confirm.status_code == 200 and "Replace the key?" in confirm.content.decode()
    # A POST without the confirmation only shows it again: nothing changes.
    assert client.post("/organizations/dockers/federation/key/").status_code == 200
    assert ActorKey.objects.filter(organization=union).count() == 1
    done = client.post("/organizations/dockers/federation/key/", {"confirm": "1"})
    assert done.status_code == 302
    assert "signed with key number 2" in client.get(done["Location"]).content.decode()
    assert OutgoingActivity.objects.get().activity_type == "Update"
    assert AuditEntry.objects.get(action="federation.rotate_key").actor_id == admin.pk


def test_the_api_rotates_the_key_once_confirmed(client, union):
    admin = MembershipFactory(organization=union, role="admin").user
    client.force_login(admin)
    path = "/api/v1/organizations/dockers/federation/key/rotate"
    unconfirmed = client.post(path, {}, content_type="application/json")
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()["errors"]
    assert not ActorKey.objects.exists() and not OutgoingActivity.objects.exists()
    done = client.post(path, {"confirm": True}, content_type="application/json")
    assert done.status_code == 201, done.content
    assert done.json()["number"] == 2
    assert done.json()["key_id"] == "http://127.0.0.1:8000/federation/actors/dockers/keys/2"
    actor = client.get("/federation/actors/dockers", headers=AP).json()
    assert actor["publicKey"]["id"] == done.json()["key_id"]
    assert OutgoingActivity.objects.get().activity_type == "Update"


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_nobody_but_admins_finds_the_rotation(client, union, role):
    client.force_login(MembershipFactory(organization=union, role=role).user)
    assert client.get("/organizations/dockers/federation/key/").status_code == 404
    assert (
        client.post("/organizations/dockers/federation/key/", {"confirm": "1"}).status_code == 404
    )
    answer = client.post(
        "/api/v1/organizations/dockers/federation/key/rotate",
        {"confirm": True},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert not ActorKey.objects.exists()


# Remote keys refreshed ahead of their expiry ----------------------------------------------------


def test_remote_keys_about_to_expire_are_fetched_again_in_bounded_batches(alice, settings):
    settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH = 1
    now = timezone.now()
    soon, later = now + datetime.timedelta(minutes=10), now + datetime.timedelta(hours=20)
    long_ago = now - datetime.timedelta(hours=23)
    for key_id, expires in ((alice.key_id, soon), (alice.key_id + "-not-due", later)):
        RemoteKey.objects.create(
            key_id=key_id,
            owner=alice.actor,
            public_key_pem="old",
            fetched_at=long_ago,
            expires_at=expires,
        )
    gone = "http://127.0.0.1:9/users/gone#main-key"  # nobody answers there
    RemoteKey.objects.create(
        key_id=gone, owner="x", public_key_pem="old", fetched_at=long_ago, expires_at=soon
    )
    assert refresh_keys.call() == 1  # one a run: the first to expire
    refreshed = RemoteKey.objects.get(key_id=alice.key_id)
    assert (
        refreshed.public_key_pem.startswith("-----BEGIN PUBLIC KEY")
        and refreshed.expires_at > later
    )
    assert alice.server.asked == ["/users/alice"]
    # The next run tries the other; it does not answer: kept till its expiry, not tried again.
    assert refresh_keys.call() == 0
    assert refresh_keys.call() == 0
    unanswered = RemoteKey.objects.get(key_id=gone)
    assert unanswered.expires_at == soon and unanswered.public_key_pem == "old"
    assert RemoteKey.objects.get(key_id=alice.key_id + "-not-due").public_key_pem == "old"
