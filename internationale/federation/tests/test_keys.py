"""Organizations' key pairs: made when first needed, the private key stored encrypted, rotated
with the old key still served and an Update recorded for the followers."""

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import PermissionDenied

from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.federation.keys import current_key, key_rotate, private_key_pem
from internationale.federation.models import ActorKey, OutgoingActivity
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
