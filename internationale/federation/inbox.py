"""What an inbox accepts: an activity signed by its actor's key, of its actor's origin, not seen
before, small and shallow enough. Everything else is refused with its reason, and nothing is
changed. Accepted activities are recorded; a Follow of an organization is accepted at once (and a
remote organization that follows waits in the moderation queue: remote_orgs.py); what an accepted
remote organization sends is acted on in the same transaction (acting.py)."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import System
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.organizations.models import Organization

from . import acting, blocks, delivery, documents, followers, hosts, moving, remote_orgs
from .held import HELD
from .models import (
    URL_LENGTH,
    Follower,
    ReceivedActivity,
    ReceivedObject,
    RemoteKey,
    RemoteOrganization,
)
from .remote import (
    FetchBusy,
    RemoteError,
    check_url,
    fetch_json,
    parse_json,
    public_key,
    same_host,
)
from .signatures import SignatureError, key_id_of, verify

RETRY_AFTER_SECONDS = 60
# What an accepted remote organization sends that is acted on (acting.py).
ACTED_TYPES = (
    "Accept",
    "Reject",
    "Announce",
    "Offer",
    "Undo",
    "Add",
    "Create",
    "Update",
    "Delete",
    # Positions on a statement, and signatures of it (statements.py).
    "TentativeAccept",
    "TentativeReject",
    "Join",
    # Mobilizon's answers to an event (meetings.py).
    "Leave",
    "Vouch",
)
JSON_TYPES = ("application/activity+json", "application/ld+json", "application/json")
# Activities whose object must be their actor's own (of its host).
OWN_OBJECT_TYPES = {"Create", "Update", "Delete"}
# Activities whose object's content matters: another host's object they embed (a copy forwarded
# by a third party) is fetched again from its origin. In any other, such an object is read as its
# id alone.
OBJECT_NEEDED_TYPES = {"Announce", "Add", "Flag", "Offer", "Invite"}


@dataclass
class Refused(Exception):
    status: int
    code: str
    message: str
    retry_after: int | None = None  # seconds, for a 429


def _parse(content_type: str, body: bytes) -> dict[str, Any]:
    if len(body) > settings.INTERNATIONALE_FEDERATION_MAX_BODY_BYTES:
        raise Refused(413, "too_large", _("The activity is too large."))
    if content_type.split(";")[0].strip().lower() not in JSON_TYPES:
        raise Refused(415, "not_json", _("Send the activity as application/activity+json."))
    try:
        activity = parse_json(body)
    except RemoteError as error:
        raise Refused(400, error.code, error.message) from None
    if not isinstance(activity, dict):
        raise Refused(400, "not_activity", _("The body is not an activity."))
    ids = [activity.get("id"), documents.id_of(activity.get("actor"))]
    if not all(isinstance(value, str) and value for value in ids) or not isinstance(
        activity.get("type"), str
    ):
        raise Refused(400, "not_activity", _("An activity needs an id, a type and an actor."))
    if any(len(value) > URL_LENGTH for value in ids):  # type: ignore[arg-type]
        raise Refused(400, "too_long", _("The activity's or its actor's id is too long."))
    return activity


def _refused(error: RemoteError, status: int) -> Refused:
    """A fetch that failed, refused with `status`; one its host was too busy for (remote.py,
    FEDERATION_FETCHES_PER_HOST), with 503 and a time to send again."""
    if isinstance(error, FetchBusy):
        return Refused(
            503,
            error.code,
            error.message,
            retry_after=settings.INTERNATIONALE_FEDERATION_TIMEOUT,
        )
    return Refused(status, error.code, error.message)


def _check_origin(activity: dict[str, Any], key_id: str) -> str:
    """The actor's URL, once its key, the activity and any object embedded in it are all of the
    actor's host (an object embedded by a third party would claim an origin it cannot prove)."""
    actor = documents.id_of(activity["actor"]) or ""
    if len(key_id) > URL_LENGTH:
        raise Refused(400, "too_long", _("The signing key's id is too long."))
    if not same_host(key_id, actor):
        raise Refused(401, "forged_origin", _("The signing key is not of the actor's host."))
    if not same_host(activity["id"], actor):
        raise Refused(403, "forged_origin", _("The activity claims another origin than its actor."))
    embedded = activity.get("object")
    if isinstance(embedded, dict) and "id" in embedded:
        if not isinstance(embedded["id"], str) or len(embedded["id"]) > URL_LENGTH:
            raise Refused(400, "not_activity", _("The object's id is not an address."))
        # An actor creates, changes and deletes only its own objects; another host's object
        # embedded in any other activity is a copy it forwards, fetched again (`_forwarded`).
        if not same_host(embedded["id"], actor) and activity["type"] in OWN_OBJECT_TYPES:
            raise Refused(
                403, "forged_origin", _("The object claims another origin than its actor.")
            )
    try:
        check_url(actor)
        check_url(key_id)
    except RemoteError as error:
        raise Refused(403, error.code, error.message) from None
    return actor


def _check_named_object(activity: dict[str, Any], actor: str) -> None:
    """The object of a Create, Update or Delete named by its id alone (a plain-URL `Delete`,
    say) is the actor's own, as an embedded one must be: of its host, or one this server
    received from that very actor (a partner that moved: what it sent before stays at its old
    host, and the Move re-pointed it, moving.py). Checked once the signature is: an unsigned
    request learns nothing of what was received."""
    named = activity.get("object")
    if activity["type"] not in OWN_OBJECT_TYPES or not isinstance(named, str):
        return
    if same_host(named, actor):
        return
    if not ReceivedObject.objects.filter(actor=actor, url=named).exists():
        raise Refused(403, "forged_origin", _("The object claims another origin than its actor."))


def _verified(method: str, url: str, headers: dict[str, str], body: bytes, key_id: str) -> Any:
    """The key that verifies the request: the cached one, else (or when it fails) fetched once
    again from its origin, for a key the remote actor has changed."""
    try:
        key = public_key(key_id)
    except RemoteError as error:
        raise _refused(error, 401) from None
    for attempt in (1, 2):
        try:
            signed = verify(
                method=method,
                url=url,
                headers=headers,
                body=body,
                public_key_pem=key.public_key_pem,
            )
            return key, signed
        except SignatureError as error:
            if (
                attempt == 2
                or error.code in ("expired", "bad_digest", "no_signature")
                or not _may_refetch(key)
            ):
                raise Refused(401, error.code, error.message) from None
            try:
                key = public_key(key_id, refresh=True)
            except RemoteError as fetch_error:
                raise _refused(fetch_error, 401) from None
    raise AssertionError  # the loop returns or raises


def _may_refetch(key: RemoteKey) -> bool:
    """Whether a cached key that failed may be fetched again now: at most once per key in
    FEDERATION_KEY_REFETCH_SECONDS, so that forged requests naming a key cannot make this server
    fetch it on each. The attempt is claimed in the database, so that only one request does."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(
        seconds=settings.INTERNATIONALE_FEDERATION_KEY_REFETCH_SECONDS
    )
    return bool(RemoteKey.objects.filter(pk=key.pk, fetched_at__lte=cutoff).update(fetched_at=now))


def count_client(request: HttpRequest) -> None:
    """Count a POST to an inbox against its client address's limit (ACCOUNT_RATE_LIMITS
    ["federation_inbox_client"]), before anything is checked or fetched. Over it: 429."""
    if not ratelimit.consume(request, action="federation_inbox_client"):
        raise Refused(
            429,
            "rate_limited",
            _("Too many activities from this address: send again later."),
            retry_after=RETRY_AFTER_SECONDS,
        )


def receive(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    organization: Organization | None,
) -> ReceivedActivity:
    """Check and record one activity POSTed to an inbox (`organization`'s, or the shared one if
    None); `Refused` with the status, code and reason, and nothing changed, if it is not taken."""
    activity = _parse(headers.get("Content-Type", ""), body)
    try:
        key_id, _scheme = key_id_of(headers)
    except SignatureError as error:
        raise Refused(401, error.code, error.message) from None
    actor = _check_origin(activity, key_id)
    if organization is None and activity["type"] == "Follow":
        organization = _followed(activity)
    # Before any key is fetched: a server blocked for the whole server costs nothing. An
    # organization's own block is read only once the signature is proven (below): an unsigned
    # request naming a host must not learn whether an organization blocked it.
    if blocks.blocking(actor, None) is not None:
        raise Refused(403, "blocked", _("This server does not take activities from this sender."))
    signed = _proven(method, url, headers, body, key_id, activity, actor)
    if organization is not None and blocks.blocking(actor, organization) is not None:
        # Blocked by the organization whose inbox it is: answered as delivered, not acted on.
        return _dropped(activity, actor, key_id, signed.scheme, organization)
    activity = _forwarded(activity, actor)
    follower, follower_document = _follower(activity, actor, organization)
    moved = moving.checked(activity, actor)  # a Move: its new actor confirmed (moving.py)
    try:
        with transaction.atomic():
            acting_as, held = _standing(actor, activity["type"])
            received = ReceivedActivity.objects.create(
                activity_id=activity["id"],
                activity_type=activity["type"][:40],
                actor=actor,
                key_id=key_id,
                signature_scheme=signed.scheme,
                organization=organization,
                payload=activity,
                outcome=HELD if held else "",
                about=documents.about(activity),
            )
            if follower is not None and organization is not None:
                _take_follow(received, activity, follower, follower_document, organization)
            if activity["type"] == "Undo":
                _undo_follow(activity, actor, organization)
            if acting_as is not None:
                acting.act(received, activity, acting_as)
            moving.follow(moved, received)
    except IntegrityError:
        # Only the activity's id recorded meanwhile (by a request at the same time) is a replay.
        if ReceivedActivity.objects.filter(activity_id=activity["id"]).exists():
            raise Refused(409, "replayed", _("This activity has already been received.")) from None
        raise
    except acting.ActRefused as error:
        raise Refused(error.status, error.code, error.message) from None
    return received


def _proven(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    key_id: str,
    activity: dict[str, Any],
    actor: str,
) -> Any:
    """The request's signature (its scheme), proven the actor's; then its limit counted, its object's origin
    checked, and a replay refused. `Refused` otherwise."""
    key, signed = _verified(method, url, headers, body, key_id)
    if key.owner != actor:
        raise Refused(401, "forged_origin", _("The signing key is not the actor's."))
    # Counted once the signature is proven: a forger cannot spend a real server's limit.
    _count(actor)
    _check_named_object(activity, actor)
    # Only once the signature is proven: an unsigned request learns nothing of what was received.
    if ReceivedActivity.objects.filter(activity_id=activity["id"]).exists():
        raise Refused(409, "replayed", _("This activity has already been received."))
    return signed


def _dropped(
    activity: dict[str, Any], actor: str, key_id: str, scheme: str, organization: Organization
) -> ReceivedActivity:
    """The activity of a sender the organization blocked: recorded (outcome "blocked", so that
    it is not taken twice) and audited in its log, nothing else done (blocks.py)."""
    try:
        with transaction.atomic():
            received = ReceivedActivity.objects.create(
                activity_id=activity["id"],
                activity_type=activity["type"][:40],
                actor=actor,
                key_id=key_id,
                signature_scheme=scheme,
                organization=organization,
                payload=activity,
                outcome="blocked",
                about=documents.about(activity),
            )
            blocks.dropped(actor=actor, organizations=[organization], activity=activity)
    except IntegrityError:
        raise Refused(409, "replayed", _("This activity has already been received.")) from None
    return received


def _standing(actor: str, kind: str) -> tuple[RemoteOrganization | None, bool]:
    """Whether the activity is acted on as the accepted remote organization's (which), or held
    as a pending one's (held.py), decided inside the transaction that records it, under a lock
    on the organization's row in the queue: an acceptance (which changes that row) then commits
    either before it (acted on here) or after it (held, and acted on by the run the acceptance
    queues). Decided before, an acceptance and its run of the held could fall between the
    decision and the record, and the activity stay held for good."""
    if kind not in ACTED_TYPES:
        return None, False
    # Locked, then read again: on PostgreSQL each statement after the lock sees what committed.
    list(RemoteOrganization.objects.select_for_update().filter(actor=actor).values_list("pk"))
    acting_as = remote_orgs.accepted(actor)
    # From an organization still in the queue: held, acted on once it is accepted (held.py).
    return acting_as, acting_as is None and remote_orgs.waiting(actor)


def _take_follow(
    received: ReceivedActivity,
    activity: dict[str, Any],
    follower: Follower,
    document: dict[str, Any],
    organization: Organization,
) -> None:
    """Accept the Follow, or reject it beyond the followers of one server (followers.py)."""
    if followers.over_cap(organization, follower.actor):
        followers.reject_follow(activity, follower, organization)
        received.outcome = "follow_rejected"
        received.save(update_fields=["outcome"])
        return
    _accept_follow(activity, follower, organization)
    _queue_organization(follower.actor, document, organization)


def _queue_organization(actor: str, document: dict[str, Any], organization: Organization) -> None:
    """A remote organization (a `Group`) that follows one of ours waits in the queue of that
    organization's admins (remote_orgs.py); another actor is only a follower."""
    if document.get("type") != "Group":
        return
    try:
        with transaction.atomic():
            remote_orgs.record(actor, document, relates_to=organization)
    except ValidationError:
        pass  # not one that can be listed (no country, say): a follower only


def _forwarded(activity: dict[str, Any], actor: str) -> dict[str, Any]:
    """The activity with another host's object it embeds replaced: by the object as fetched from
    its origin when the activity needs it (OBJECT_NEEDED_TYPES), else by its id. The copy a third
    party forwards is never trusted. Checked once the signature is: an unsigned request makes
    this server fetch nothing."""
    embedded = activity.get("object")
    if not isinstance(embedded, dict) or not isinstance(embedded.get("id"), str):
        return activity
    if same_host(embedded["id"], actor):
        return activity
    if activity["type"] not in OBJECT_NEEDED_TYPES:
        return {**activity, "object": embedded["id"]}
    try:
        fetched = fetch_json(embedded["id"])
    except RemoteError as error:
        raise _refused(error, 403 if error.code == "private_address" else 502) from None
    if fetched["id"] != embedded["id"]:
        raise Refused(502, "bad_document", _("The object's origin gives another object."))
    return {**activity, "object": fetched}


def _count(actor: str) -> None:
    """Count the activity against its host's limit (settings: ACCOUNT_RATE_LIMITS
    ["federation_inbox"], from FEDERATION_INBOX_PER_MINUTE), as the sign-in limits are counted:
    allauth's rate limits, in the cache every process shares. Over it: 429, nothing recorded."""
    request = HttpRequest()  # the limit is per remote host: no address is read from it
    request.method = "POST"
    host = hosts.origin(actor)  # one count per server, however its name is spelt
    if not ratelimit.consume(request, action="federation_inbox", key=host):
        raise Refused(
            429,
            "rate_limited",
            _("Too many activities from this server: send again later."),
            retry_after=RETRY_AFTER_SECONDS,
        )


def _undo_follow(activity: dict[str, Any], actor: str, organization: Organization | None) -> None:
    """An Undo of a Follow by the follower itself: it no longer follows. The Follow is named by
    its id (the one recorded) or embedded (its object the organization)."""
    undone = activity.get("object")
    found = Follower.objects.filter(actor=actor)
    if isinstance(undone, dict):
        if undone.get("type") != "Follow" or documents.id_of(undone.get("actor")) not in (
            None,
            actor,
        ):
            return
        target = documents.id_of(undone.get("object")) or ""
        prefix = absolute_url("/federation/actors/")
        where = Q(follow_id=undone.get("id")) if isinstance(undone.get("id"), str) else Q()
        if target.startswith(prefix):
            where |= Q(organization__slug=target.removeprefix(prefix))
        if not where:
            return
        found = found.filter(where)
    elif isinstance(undone, str):
        found = found.filter(follow_id=undone)
    else:
        return
    if organization is not None:
        found = found.filter(organization=organization)
    for follower in found.select_related("organization"):
        _audit_follower("federation.follower_remove", follower)
    found.delete()


def _audit_follower(action: str, follower: Follower) -> None:
    """A follower added or removed, in its organization's audit log."""
    audit(
        actor=System(reason="federation"),
        action=action,
        target=follower.organization,
        organization=follower.organization,
        remote_actor=follower.actor,
    )


def _followed(activity: dict[str, Any]) -> Organization | None:
    """The organization a Follow sent to the shared inbox is about, if it is one of this
    server's listed ones."""
    target = documents.id_of(activity.get("object")) or ""
    prefix = documents.actor_url_prefix()
    if not target.startswith(prefix):
        return None
    try:
        return documents.local_actor(target.removeprefix(prefix))
    except Http404:
        return None


def _follower(
    activity: dict[str, Any], actor: str, organization: Organization | None
) -> tuple[Follower | None, dict[str, Any]]:
    """For a Follow of the organization whose inbox it came to (one the directory lists: the
    inbox found it), the follower to record, with its inbox fetched from its actor; None for any
    other activity (recorded only)."""
    if (
        activity["type"] != "Follow"
        or organization is None
        or documents.id_of(activity.get("object")) != documents.actor_url(organization)
    ):
        return None, {}
    try:
        remote = fetch_json(actor)
    except RemoteError as error:
        raise _refused(error, 502) from None
    inbox = remote.get("inbox")
    if not isinstance(inbox, str) or not same_host(inbox, actor):
        raise Refused(400, "bad_actor", _("The follower's actor has no inbox of its own host."))
    endpoints = remote.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    follower = Follower(
        organization=organization,
        actor=actor,
        host=hosts.origin(actor),
        inbox=inbox,
        shared_inbox=shared if isinstance(shared, str) and same_host(shared, actor) else "",
        follow_id=activity["id"],
    )
    return follower, remote


def _accept_follow(
    activity: dict[str, Any], follower: Follower, organization: Organization
) -> None:
    """The follower recorded (again, if it followed before), and an Accept recorded for delivery
    to its inbox."""
    Follower.objects.update_or_create(
        organization=organization,
        actor=follower.actor,
        defaults={
            "host": follower.host,
            "inbox": follower.inbox,
            "shared_inbox": follower.shared_inbox,
            "follow_id": follower.follow_id,
        },
    )
    _audit_follower("federation.follower_add", follower)
    delivery.send_to_inbox(
        organization,
        {
            "id": documents.activity_url(uuid.uuid4()),
            "type": "Accept",
            "actor": documents.actor_url(organization),
            "to": [follower.actor],
            "object": activity,
        },
        follower.inbox,
    )
