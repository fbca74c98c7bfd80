"""Organizations' key pairs: RSA 3072, made when first needed, the private key stored encrypted
(core/encryption.py), rotated with the old private key erased, the old public key resolvable for
the signature window (not at all when compromised) and an `Update` recorded."""

import datetime
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from internationale.core.actors import ActorLike
from internationale.core.audit import audit
from internationale.core.encryption import decrypt, encrypt
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import delivery, documents
from .models import ActorKey, InstanceKey, OutgoingActivity

PURPOSE = "internationale.federation.keys"
ROTATE_PERMISSION = "federation.rotate_key"
ROTATE_SERVER_PERMISSION = "federation.rotate_server_key"
KEY_BITS = 3072


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return public_pem, private_pem


def current_key(organization: Organization) -> ActorKey:
    """The organization's current key, made now if it has none. Two requests that make one at
    once: the unique constraint keeps one, and the other reads it."""
    key = ActorKey.objects.filter(organization=organization, retired_at__isnull=True).first()
    if key is not None:
        return key
    public_pem, private_pem = _new_pair()
    try:
        with transaction.atomic():
            number = 1 + (
                ActorKey.objects.filter(organization=organization)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
                or 0
            )
            return ActorKey.objects.create(
                organization=organization,
                number=number,
                public_key_pem=public_pem,
                private_key_encrypted=encrypt(PURPOSE, private_pem),
            )
    except IntegrityError:
        return ActorKey.objects.get(organization=organization, retired_at__isnull=True)


def key_in_use(organization: Organization) -> ActorKey | None:
    """The organization's current key, or None if it never needed one (none is made here: a
    page that shows it does not wait for a key pair to be made)."""
    return ActorKey.objects.filter(organization=organization, retired_at__isnull=True).first()


def private_key_pem(key: ActorKey | InstanceKey) -> str:
    return decrypt(PURPOSE, key.private_key_encrypted)


def key_rotate(
    *, actor: ActorLike, organization: Organization, compromised: bool = False
) -> ActorKey:
    """A new key for the organization: the current one is retired, its private key erased (no
    one can sign with it again, this server included), its public key served at its URL for the
    signature window only (views.key), so that activities signed just before still verify; not
    at all if `compromised`. An `Update` of the actor, which carries the new key, is recorded for
    its followers. For the server's operators (the command line) and the organization's admins
    (its Federation tab, the API)."""
    require(actor, ROTATE_PERMISSION, organization)
    current_key(organization)  # an organization that never had a key gets one to retire
    public_pem, private_pem = _new_pair()
    with transaction.atomic():
        old = ActorKey.objects.select_for_update().get(
            organization=organization, retired_at__isnull=True
        )
        old.retired_at = timezone.now()
        old.private_key_encrypted = ""
        if compromised:
            old.public_key_pem = ""  # withdrawn at once: what it signed is no longer believed
        old.save(update_fields=["retired_at", "private_key_encrypted", "public_key_pem"])
        new = ActorKey.objects.create(
            organization=organization,
            number=old.number + 1,
            public_key_pem=public_pem,
            private_key_encrypted=encrypt(PURPOSE, private_pem),
        )
        activity_id = documents.activity_url(uuid.uuid4())
        update = OutgoingActivity.objects.create(
            organization=organization,
            activity_id=activity_id,
            activity_type="Update",
            payload={
                "@context": documents.context(),
                "id": activity_id,
                "type": "Update",
                "actor": documents.actor_url(organization),
                "to": [documents.PUBLIC],
                "cc": [documents.followers_url(organization)],
                # The new key only: the rest of the actor is read at its address, as it is then.
                "object": {
                    "id": documents.actor_url(organization),
                    "type": "Group",
                    "publicKey": documents.key_document(new),
                },
            },
        )
        delivery.queue(update)
        audit(
            actor=actor,
            action="federation.rotate_key",
            target=organization,
            organization=organization,
            key=documents.key_url(new),
            compromised=compromised,
        )
    return new


def retired_to_prune(cutoff: datetime.datetime) -> QuerySet[ActorKey]:
    """Keys retired before `cutoff` (INTERNATIONALE_FEDERATION_PRUNE_RETIRED_KEYS_DAYS): what was
    signed with them is past any signature's window long since."""
    return ActorKey.objects.filter(retired_at__lt=cutoff)


def instance_key() -> InstanceKey:
    """The server's own current key, which signs its fetches; made now if it has none (of two
    made at once, the unique constraint keeps one and the other reads it)."""
    key = InstanceKey.objects.filter(retired_at__isnull=True).first()
    if key is not None:
        return key
    public_pem, private_pem = _new_pair()
    try:
        with transaction.atomic():
            return InstanceKey.objects.create(
                number=_next_instance_number(),
                public_key_pem=public_pem,
                private_key_encrypted=encrypt(PURPOSE, private_pem),
            )
    except IntegrityError:
        return InstanceKey.objects.get(retired_at__isnull=True)


def _next_instance_number() -> int:
    last = InstanceKey.objects.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def instance_key_rotate(*, actor: ActorLike, compromised: bool = False) -> InstanceKey:
    """A new key for the server's own actor (`/federation/actor`), for its operators: as for an
    organization's (`key_rotate`), the current key is retired and its private key erased, its
    public key served at its address for the signature window only (views.instance_key), not at
    all if `compromised`. No activity is sent (the server's actor has no followers): a peer that
    cached the old key reads the new one from the actor, whose key has a new address. Audited."""
    require(actor, ROTATE_SERVER_PERMISSION)
    instance_key()  # a server that never had a key gets one to retire
    public_pem, private_pem = _new_pair()
    with transaction.atomic():
        old = InstanceKey.objects.select_for_update().get(retired_at__isnull=True)
        old.retired_at = timezone.now()
        old.private_key_encrypted = ""
        if compromised:
            old.public_key_pem = ""  # withdrawn at once: what it signed is no longer believed
        old.save(update_fields=["retired_at", "private_key_encrypted", "public_key_pem"])
        new = InstanceKey.objects.create(
            number=old.number + 1,
            public_key_pem=public_pem,
            private_key_encrypted=encrypt(PURPOSE, private_pem),
        )
        audit(
            actor=actor,
            action="federation.rotate_server_key",
            target=new,
            key=documents.instance_key_id(new),
            retired=documents.instance_key_id(old),
            compromised=compromised,
        )
    return new


def instance_keys_retired_to_prune(cutoff: datetime.datetime) -> QuerySet[InstanceKey]:
    """The server's keys retired before `cutoff` (FEDERATION_PRUNE_RETIRED_KEYS_DAYS)."""
    return InstanceKey.objects.filter(retired_at__lt=cutoff)
