"""ActivityPub: this server's organizations' keys, remote keys cached, activities received and
activities waiting to be delivered, remote followers."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internationale.organizations.models import Organization

URL_LENGTH = 500


class ActorKey(models.Model):
    """One RSA key pair of an organization as an actor. The current key has no `retired_at`;
    retired keys stay resolvable at their URL, so that activities signed just before a rotation
    still verify."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    public_key_pem = models.TextField()
    private_key_encrypted = models.TextField()  # Fernet (core/encryption.py)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="federation_key_number_unique",
                violation_error_message=_("This key number is already used."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(retired_at__isnull=True),
                name="federation_one_current_key",
                violation_error_message=_("An organization has one current key."),
            ),
        ]
        indexes = [models.Index(fields=["retired_at"], name="federation_key_retired")]

    def __str__(self) -> str:
        return f"{self.organization_id} key {self.number}"


class InstanceKey(models.Model):
    """A key pair of the server itself as an actor (`/federation/actor`), which signs this
    server's fetches of remote documents (remote.py). The current one (no `retired_at`) is made
    when first needed; an operator rotates it (keys.instance_key_rotate): the retired key stays
    resolvable at its URL for the signature window, as an organization's does."""

    singleton = models.BooleanField(default=True)
    number = models.PositiveIntegerField(default=1)
    public_key_pem = models.TextField()
    private_key_encrypted = models.TextField()  # Fernet (core/encryption.py)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["singleton"],
                condition=Q(retired_at__isnull=True),
                name="federation_one_instance_key",
                violation_error_message=_("The server has one key of its own."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                name="federation_instance_key_number",
                violation_error_message=_("This key number is already used."),
            ),
        ]
        # Pruning retired keys reads by their retirement (the periodic queries' check).
        indexes = [models.Index(fields=["retired_at"], name="federation_instkey_retired")]

    def __str__(self) -> str:
        return f"instance key {self.number}"


class RemoteKey(models.Model):
    """A remote actor's public key as last fetched, trusted until `expires_at`."""

    key_id = models.CharField(max_length=URL_LENGTH, unique=True)
    owner = models.CharField(max_length=URL_LENGTH)
    public_key_pem = models.TextField()
    fetched_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="federation_remote_key_expiry")]

    def __str__(self) -> str:
        return self.key_id


class ReceivedActivity(models.Model):
    """An activity accepted by an inbox: signed by its actor, of its actor's origin, new. From an
    accepted remote organization, it is acted on (acting.py) in the same transaction."""

    activity_id = models.CharField(max_length=URL_LENGTH)
    activity_type = models.CharField(max_length=40)
    actor = models.CharField(max_length=URL_LENGTH)
    key_id = models.CharField(max_length=URL_LENGTH)
    signature_scheme = models.CharField(max_length=20)  # "rfc9421" or "cavage"
    # The inbox it came to: an organization's, or the shared inbox (None).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    # What acting on it did (acting.py): "" (only recorded), "pledged", "acknowledged", ...; and
    # the row it made (a pledge, for an Undo of the Offer to find it).
    outcome = models.CharField(max_length=40, blank=True)
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The address of this server's content it is about (documents.about: an appeal it pledges
    # to, a meeting it accepts, ...), "" if none: an erase finds them by it (erasing.py).
    about = models.CharField(max_length=URL_LENGTH, blank=True)
    # For one refused after it was taken (outcome "refused"): held, then refused on its
    # organization's acceptance (held.py), or an `Update` that came before its `Create`, refused
    # when that came (receiving.py). Why, as the refusal's code ("sympathy_target_required";
    # "failed" for a fault), else "".
    refusal = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity_id"],
                name="federation_activity_once",
                violation_error_message=_("This activity has already been received."),
            )
        ]
        indexes = [
            models.Index(fields=["received_at"], name="federation_received_age"),
            models.Index(fields=["about"], name="federation_received_about"),
            # The few `Update`s of one actor that came before their `Create` (receiving.py).
            models.Index(
                fields=["actor"],
                condition=Q(outcome="update_early"),
                name="federation_received_early",
            ),
            # The few `Delete`s of one actor that came before their `Create` (receiving.py).
            models.Index(
                fields=["actor"],
                condition=Q(outcome="delete_early"),
                name="federation_received_tombstone",
            ),
        ]

    def __str__(self) -> str:
        return self.activity_id


class Follower(models.Model):
    """A remote actor following one of this server's organizations (its Follow accepted)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    actor = models.CharField(max_length=URL_LENGTH)
    # The actor's server, as "scheme://host[:port]" in the host's one spelling (hosts.origin):
    # followers are counted per server (FEDERATION_MAX_FOLLOWERS_PER_HOST, followers.py).
    host = models.CharField(max_length=URL_LENGTH, blank=True)
    inbox = models.CharField(max_length=URL_LENGTH)
    shared_inbox = models.CharField(max_length=URL_LENGTH, blank=True)
    follow_id = models.CharField(max_length=URL_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "actor"],
                name="federation_follower_once",
                violation_error_message=_("This actor already follows the organization."),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "host"], name="federation_follower_host"),
        ]

    def __str__(self) -> str:
        return self.actor


def sent_about(activity: object) -> str:
    """The address of this server's content an activity sent is about, "" if none: its
    `object`, or its object's `id`, `inReplyTo` or `target`, or its `target`, the first that is
    an address of this server that is not an activity's, without its fragment (an appeal's
    update is its appeal's `Note` `#update-N`). What an erase finds the activities sent about an erased content by
    (erasing.py); received activities have theirs (documents.about)."""
    if not isinstance(activity, dict):
        return ""
    obj = activity.get("object")
    named = [obj]
    if isinstance(obj, dict):
        named += [obj.get("id"), obj.get("inReplyTo"), obj.get("target")]
    named.append(activity.get("target"))
    ours = settings.SITE_URL + "/"
    # An activity's own address (an `Undo`'s or an `Announce`'s embedded activity) is no content.
    activities = settings.SITE_URL + reverse("federation_activity", args=[uuid.UUID(int=0)])
    activities = activities.removesuffix(str(uuid.UUID(int=0)))
    for value in named:
        if isinstance(value, str) and value.startswith(ours) and not value.startswith(activities):
            about = value.split("#", 1)[0]
            if len(about) <= URL_LENGTH:
                return about
    return ""


class OutgoingActivity(models.Model):
    """An activity of one of this server's organizations, recorded to be delivered: to one inbox
    (`inbox`), or to the organization's followers (`inbox` empty). `fanned_out_at`: when its
    deliveries (`Delivery`, one per remote inbox) were recorded; `delivered_at`: when every one
    of them had arrived (delivery.py)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    activity_id = models.CharField(max_length=URL_LENGTH, unique=True)
    activity_type = models.CharField(max_length=40)
    payload = models.JSONField()
    inbox = models.CharField(max_length=URL_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The address of this server's content it is about (sent_about), "" if none: an erase finds
    # them by it (erasing.py). Set when it is saved.
    about = models.CharField(max_length=URL_LENGTH, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="federation_outgoing_age"),
            models.Index(fields=["about"], name="federation_outgoing_about"),
            # The outbox: an organization's activities to its followers, newest first.
            models.Index(
                fields=["organization", "-created_at"],
                condition=Q(inbox=""),
                name="federation_outbox",
            ),
        ]

    def __str__(self) -> str:
        return self.activity_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.about:
            self.about = sent_about(self.payload)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """Where a notice about it leads: the organization's profile."""
        return self.organization.get_absolute_url()


class SentActivity(models.Model):
    """That an activity to one inbox was recorded (publishing.record), kept when its row is pruned
    (pruning.py), so that an id is recorded once, ever: a step sent once (a meeting's
    invitation, an appeal's `Create` to an addressee) is not sent again by a notice that comes
    back after the prune. Only the id's UUID (uuid5 of it): nothing of what it said."""

    key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.key)


class Delivery(models.Model):
    """One outgoing activity to one remote inbox (a follower's shared inbox when it offers one),
    claimed before each attempt (`next_attempt_at` moved ahead), so that a process that dies while
    sending leaves it to the next run, never lost (delivery.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")
        CANCELLED = "cancelled", _("Cancelled: the host is blocked")

    activity = models.ForeignKey(OutgoingActivity, on_delete=models.CASCADE, related_name="+")
    inbox = models.CharField(max_length=URL_LENGTH)
    host = models.CharField(max_length=URL_LENGTH)  # scheme://host:port of the inbox
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    signature_scheme = models.CharField(max_length=20, blank=True)  # the one that was accepted
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "inbox"],
                name="federation_delivery_once",
                violation_error_message=_("This activity is already delivered to this inbox."),
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["created_at"], name="federation_delivery_age"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} to {self.inbox}"


class RemoteHost(models.Model):
    """What delivery has learnt of a remote host: the signature scheme it accepted, and its
    circuit breaker (failures in the current window; closed again at `open_until`)."""

    host = models.CharField(max_length=URL_LENGTH, unique=True)
    signature_scheme = models.CharField(max_length=20, blank=True)  # "rfc9421" or "cavage"
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    open_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.host


class Block(models.Model):
    """A remote server (`host`: a host name, which blocks its subdomains too, or host:port) or one
    remote actor (`actor`, its URL, on `host`) this server no longer federates with: for the whole
    server (`organization` None, set by an operator) or for one organization (by its admins).
    Its inbox refuses what they send, their follows are removed, nothing is delivered to them."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    host = models.CharField(max_length=255)
    actor = models.CharField(max_length=URL_LENGTH, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # The remote actors an organization's block was sent to (`Block` activities: blocks.py), as
    # {"actor", "inbox", "activity"}: each is sent an `Undo` of it when the block is removed.
    told = models.JSONField(default=list, blank=True)
    # When telling one remote actor of the block was last tried (blocks.tell_unknown): those
    # tried longest ago are tried first, so that an actor that never answers keeps none waiting.
    tell_tried_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "host", "actor"],
                name="federation_block_once",
                violation_error_message=_("This is already blocked."),
            ),
            models.UniqueConstraint(
                fields=["host", "actor"],
                condition=Q(organization__isnull=True),
                name="federation_server_block_once",
                violation_error_message=_("This is already blocked for the whole server."),
            ),
        ]

    def __str__(self) -> str:
        return self.actor or self.host


class RemoteOrganization(models.Model):
    """An organization of another server (a remote `Group` actor) that asked to relate to one of
    this server's (by following it) or that an operator or an organization's admin asked for (by
    its handle). It waits in a moderation queue; it is not in the directory until accepted. Once
    accepted, `organization` is its row in the directory (no members, not an actor here), made
    from its actor document: routing treats it like a local one (remote_orgs.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    actor = models.CharField(max_length=URL_LENGTH, unique=True)
    inbox = models.CharField(max_length=URL_LENGTH)
    shared_inbox = models.CharField(max_length=URL_LENGTH, blank=True)
    host = models.CharField(max_length=255)  # its home server, as host[:port]
    username = models.CharField(max_length=80)  # its preferredUsername
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)  # as its server sent it (HTML): shown escaped
    # The extension properties (documents.py): languages, country, sectors, employers, verified.
    properties = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The organization of this server it asked to relate to (its admins decide), or None: the
    # operators decide.
    relates_to = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.OneToOneField(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remote",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="federation_remote_queue")]

    def __str__(self) -> str:
        return f"{self.username}@{self.host}"


class ReceivedObject(models.Model):
    """An object of an accepted remote organization received as content of this server
    (receiving.py): its appeal `Article`, recorded as an `Appeal` of that organization, or a `Note`
    in reply to it, recorded as an update of that appeal (`update`). One row per remote object
    URL of each sending actor (`actor`, `url`): a Create sent again, or to another of this
    server's organizations, records nothing twice, and one organization cannot take the URL of
    another's object (two organizations of one server name their objects alike)."""

    url = models.CharField(max_length=URL_LENGTH)
    actor = models.CharField(max_length=URL_LENGTH)  # the remote organization's actor
    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="received_as"
    )
    update = models.OneToOneField(
        "appeals.AppealUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_as",
    )
    received_at = models.DateTimeField(default=timezone.now)
    # When its issuer deleted it (a `Delete`): the appeal here is closed.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "url"],
                name="federation_received_object_once",
                violation_error_message=_("This object was already received from this actor."),
            ),
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(update__isnull=True),
                name="federation_received_appeal_once",
                violation_error_message=_("This appeal was already received."),
            ),
        ]

    def __str__(self) -> str:
        return self.url


class ErasedActor(models.Model):
    """The address an organization had when an emergency erase removed its profile (its slug
    changes, ownership/erase.py) while activities signed for that address still wait to be
    delivered: the `Delete`s the erase sends (erasing.py). The old address answers 410 Gone (a
    `Tombstone`) for good; its key is served at the old key id (ErasedActorKey) until they are
    delivered or given up, so that remote servers can verify them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="federation_erased_age")]

    def __str__(self) -> str:
        return self.slug


class ErasedActorKey(models.Model):
    """The organization's key, still served at the address an erase left (ErasedActor) while
    what was signed there waits to be delivered; pruned once it is (pruning.py), and the old key
    id then answers 404 like any unknown key."""

    erased = models.OneToOneField(
        ErasedActor, primary_key=True, on_delete=models.CASCADE, related_name="key_served"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="federation_erased_key_age")]

    def __str__(self) -> str:
        return str(self.erased)


class ActorAlias(models.Model):
    """Another actor of one of this server's organizations (moving.py): where it moved to
    (`moved_to`: its actor here then says `movedTo` the last one, and a `Move` went to its
    followers; a second one after the cooldown, moving.py), or the
    actor it had on the server it moved from (`moved_from`: its actor here lists it in
    `alsoKnownAs`, which other servers check before they follow the move)."""

    class Direction(models.TextChoices):
        MOVED_TO = "moved_to", _("Moved to")
        MOVED_FROM = "moved_from", _("Moved here from")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    url = models.CharField(max_length=URL_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "direction", "url"],
                name="federation_alias_once",
                violation_error_message=_("This address is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.direction} {self.url}"


class ReceivedStatement(models.Model):
    """A joint statement of an accepted remote organization received here (received_statements.py):
    recorded as a `Statement` of that organization, in which the organizations of this server it
    was addressed to take part. One per remote object URL of each sending actor (`actor`, `url`).
    `version` and `positions_version` are the numbers its own server gives its current version
    and the one positions are called on: the numbers told back with a position or an amendment
    (the copy here numbers its versions itself)."""

    url = models.CharField(max_length=URL_LENGTH)
    actor = models.CharField(max_length=URL_LENGTH)  # the initiating organization's actor
    statement = models.OneToOneField(
        "statements.Statement", on_delete=models.CASCADE, related_name="received_as"
    )
    version = models.PositiveIntegerField(default=0)
    positions_version = models.PositiveIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "url"],
                name="federation_received_statement_once",
                violation_error_message=_("This statement was already received from this actor."),
            ),
        ]

    def __str__(self) -> str:
        return self.url


class ReceivedContent(models.Model):
    """A meeting or advice of an accepted remote organization received here as this server's
    (received_meetings.py, received_advice.py): the remote object's URL (`url`, the `Event` or
    the `Note`) of its sending actor (`actor`), and the row it became. Its answers go back
    naming that URL; every lookup is by the sender and the URL, so that one organization cannot
    take the URL of another's object. Advice names one receiver: a `Note` addressed to two
    organizations here is two pieces of advice, one row each. A meeting's minutes are its row's
    (`minutes_url`)."""

    url = models.CharField(max_length=URL_LENGTH)
    actor = models.CharField(max_length=URL_LENGTH)  # the remote organization's actor
    meeting = models.OneToOneField(
        "cooperation.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_as",
    )
    advice = models.OneToOneField(
        "statements.Advice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_as",
    )
    # A meeting's minutes, once its host submitted them: their `Note`'s URL, which an approval
    # here accepts (received_meetings.py).
    minutes_url = models.CharField(max_length=URL_LENGTH, blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "url"],
                condition=Q(meeting__isnull=False),
                name="federation_received_meeting_once",
                violation_error_message=_("This event was already received from this actor."),
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, advice__isnull=False)
                | Q(meeting__isnull=False, advice__isnull=True),
                name="federation_received_content_one_kind",
                violation_error_message=_("A received object is a meeting or advice."),
            ),
        ]
        indexes = [models.Index(fields=["actor", "url"])]

    def __str__(self) -> str:
        return self.url
