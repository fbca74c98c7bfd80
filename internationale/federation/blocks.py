"""Block lists (defederation). An operator blocks a remote server for the whole server; an
organization's admins block a remote server or one remote actor for their organization only.
A block takes effect at once: the inbox refuses what a server blocked for the whole server sends
(inbox.py, 403, before any key is fetched); what an organization blocked sends to it, or about its
content, is taken as delivered (202) once its signature is proven and not acted on, recorded
(outcome "blocked") and audited in the organization's log (`dropped`): neither an unsigned
request nor the blocked sender learns whom an organization blocked. Their follows are removed, and deliveries to them still pending are cancelled
(delivery.py sends nothing to a blocked host). Each block and unblock is audited.

An organization's block tells the remote side: each follower it removes is sent a `Block` of
it (to its own inbox), so that its server drops the follow too, and so is each remote
organization this server knows (its inbox known: remote_orgs.py) that the block covers; removing
the block sends each of them an `Undo` of its `Block`. A block of one remote actor that neither
follows nor is known is told too: its actor is fetched in the background (`tell_unknown`: the
signed, SSRF-checked fetch of remote.py) to learn its inbox, and the `Block` sent there; if it
cannot be fetched, the block holds all the same, untold, and the fetch is tried again on the key
fetches' schedule (`tell_untold`) for FEDERATION_GIVE_UP_DAYS. A block of the whole server sends nothing:
a server's moderation is its own business, and saying it would only tell the blocked whom to
come back as."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.actors import ActorLike, System, person
from internationale.core.audit import audit
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import documents, hosts, publishing
from .models import Block, Delivery, Follower, RemoteOrganization
from .remote import RemoteError, fetch_json, same_host

logger = logging.getLogger("internationale.federation")

SERVER_PERMISSION = "federation.block_for_server"
ORGANIZATION_PERMISSION = "federation.block_for_organization"


def _block_parts(block_host: str) -> tuple[str, int | None]:
    """(name, port or None) of a block's host as stored ("example.org", "example.org:8443",
    "[2001:db8::1]" or "[2001:db8::1]:8443")."""
    if block_host.startswith("["):
        name, _bracket, rest = block_host.partition("]")
        port = rest.removeprefix(":")
        return name + "]", int(port) if port.isdigit() else None
    name, _colon, port = block_host.partition(":")
    return name, int(port) if port.isdigit() else None


def matches(block_host: str, url: str) -> bool:
    """Whether the host `block_host` ("example.org", which covers its subdomains, or
    "example.org:8443", that port only) is the host of `url`, however either is spelt
    (hosts.py: case, trailing dot, IDNA, IP address forms)."""
    found = hosts.split(url)
    if found is None:
        return False
    scheme, hostname, port = found
    name, wanted = _block_parts(block_host)
    name = hosts.normal_name(name) or ""
    if not name:
        return False
    if wanted is not None:
        return hostname == name and (port or hosts.DEFAULT_PORTS.get(scheme)) == wanted
    is_address = name.startswith("[") or name.replace(".", "").isdigit()
    return hostname == name or (not is_address and hostname.endswith("." + name))


def blocks_for(organization: Organization | None) -> QuerySet[Block]:
    """The blocks that apply to `organization`'s inbox and deliveries: the server's, and its
    own; the server's only for the shared inbox (None)."""
    where = Q(organization__isnull=True)
    if organization is not None:
        where |= Q(organization=organization)
    return Block.objects.filter(where)


def blocking(
    url: str,
    organization: Organization | None,
    actor: str = "",
    among: Iterable[Block] | None = None,
) -> Block | None:
    """The block that refuses `url` (an actor's or an inbox's address) for `organization`;
    `among`: that organization's blocks, when they were read already."""
    if among is None:
        among = blocks_for(organization).only("host", "actor", "organization_id")
    for block in among:
        if not matches(block.host, url):
            continue
        if not block.actor or block.actor in (url, actor):
            return block
    return None


def dropped(*, actor: str, organizations: Iterable[Organization], activity: dict[str, Any]) -> None:
    """An activity of `actor`, which each of `organizations` blocked, taken without being acted
    on: one entry in each one's audit log (its admins see who tried to reach it; the sender is
    answered as for any activity delivered)."""
    for organization in organizations:
        audit(
            actor=System(reason="federation"),
            action="federation.blocked_dropped",
            target=organization,
            organization=organization,
            remote_actor=actor,
            type=str(activity.get("type") or "")[:40],
            activity=str(activity.get("id") or "")[:500],
        )


def _normal_host(value: str) -> str:
    """ "Example.org", "https://example.org/users/x", "example.org:8443", "bücher.test" or an IP
    address (IPv6 with or without brackets) to its host in its one spelling (hosts.py), with the
    port when one is given (but a URL's default port); ValidationError on the field `host`
    otherwise."""
    value = (value or "").strip().rstrip("/")
    name: str | None = None
    port: int | None = None
    if "//" in value:
        found = hosts.split(value)
        if found is not None:
            _scheme, name, port = found
    elif value.count(":") > 1 and not value.startswith("["):
        name = hosts.normal_name(value)  # an IPv6 address without brackets
    else:
        found = hosts.split("//" + value)
        if found is not None:
            _scheme, name, port = found
    if not name:
        raise ValidationError(
            {
                "host": ValidationError(
                    _("Give a server's host name, such as social.example.org."), code="bad_host"
                )
            }
        )
    return name + (f":{port}" if port is not None else "")


@dataclass(frozen=True)
class Effect:
    """What a block would remove: follows and pending deliveries."""

    followers: int
    deliveries: int


def _followers(block: Block) -> QuerySet[Follower]:
    found = Follower.objects.all()
    if block.organization_id is not None:
        found = found.filter(organization_id=block.organization_id)
    if block.actor:
        return found.filter(actor=block.actor)
    return found.filter(pk__in=[f.pk for f in found.only("actor") if matches(block.host, f.actor)])


def _deliveries(block: Block, followers: list[Follower]) -> QuerySet[Delivery]:
    found = Delivery.objects.filter(status=Delivery.Status.PENDING)
    if block.organization_id is not None:
        found = found.filter(activity__organization_id=block.organization_id)
    if block.actor:
        # Its own inbox; a shared inbox serves others of its server too: kept.
        return found.filter(inbox__in={f.inbox for f in followers})
    return found.filter(pk__in=[d.pk for d in found.only("host") if matches(block.host, d.host)])


def effect(
    *, organization: Organization | None, host: str, actor: str = ""
) -> tuple[Block, Effect]:
    """The block as it would be (validated) and what it would remove; nothing changed."""
    block = _build(organization=organization, host=host, actor=actor, reason="")
    followers = list(_followers(block))
    return block, Effect(followers=len(followers), deliveries=_deliveries(block, followers).count())


def _build(*, organization: Organization | None, host: str, actor: str, reason: str) -> Block:
    actor = (actor or "").strip()
    if actor:
        if urlsplit(actor).scheme not in ("http", "https") or not urlsplit(actor).hostname:
            raise ValidationError(
                {
                    "actor": ValidationError(
                        _("Give the remote actor's address, such as https://example.org/users/x."),
                        code="bad_actor",
                    )
                }
            )
        if organization is None:
            raise ValidationError(
                {"actor": ValidationError(_("The server blocks whole servers."), code="bad_actor")}
            )
        host = host or (urlsplit(actor).hostname or "")
    host = _normal_host(host)
    if actor and not matches(host, actor):
        raise ValidationError(
            {"actor": ValidationError(_("The actor is not on this server."), code="bad_actor")}
        )
    block = Block(organization=organization, host=host, actor=actor, reason=(reason or "").strip())
    block.full_clean(exclude=["created_by"], validate_constraints=False)
    return block


def block_add(
    *,
    actor: ActorLike,
    organization: Organization | None,
    host: str,
    remote_actor: str = "",
    reason: str = "",
) -> tuple[Block, Effect]:
    """Block a remote server (or, for an organization, one remote actor): for the whole server
    when `organization` is None (operators), else for that organization (its admins). Removes
    their follows and cancels the deliveries still pending to them. ValidationError by field for
    a host that is not one, or one already blocked; nothing changed then."""
    if organization is None:
        require(actor, SERVER_PERMISSION)
    else:
        require(actor, ORGANIZATION_PERMISSION, organization)
    block = _build(organization=organization, host=host, actor=remote_actor, reason=reason)
    block.created_by = person(actor)
    try:
        with transaction.atomic():
            block.save()
            followers = list(_followers(block))
            cancelled = _deliveries(block, followers).update(
                status=Delivery.Status.CANCELLED, last_error="blocked"
            )
            Follower.objects.filter(pk__in=[f.pk for f in followers]).delete()
            unlisted = _unlist(block) if organization is None else 0
            if organization is not None:
                block.told = _tell(block, organization, _to_tell(block, followers))
                block.save(update_fields=["told"])
                if block.actor and block.actor not in {told["actor"] for told in block.told}:
                    pk = block.pk
                    transaction.on_commit(lambda: tell_unknown.enqueue(pk))
            audit(
                actor=actor,
                action="federation.block",
                target=block,
                organization=organization,
                host=block.host,
                remote_actor=block.actor,
                reason=block.reason,
                followers=len(followers),
                deliveries=cancelled,
                unlisted=unlisted,
            )
    except IntegrityError:
        raise ValidationError(
            {"host": ValidationError(_("This is already blocked."), code="already_blocked")}
        ) from None
    return block, Effect(followers=len(followers), deliveries=cancelled)


def _unlist(block: Block) -> int:
    """A server blocked for the whole server: its accepted organizations leave the directory
    (refused, their rows unlisted); how many."""
    entries = [
        entry
        for entry in RemoteOrganization.objects.exclude(status=RemoteOrganization.Status.REFUSED)
        if matches(block.host, entry.actor)
    ]
    RemoteOrganization.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=RemoteOrganization.Status.REFUSED
    )
    Organization.objects.filter(
        pk__in=[e.organization_id for e in entries if e.organization_id]
    ).update(verified_at=None)
    return len(entries)


def _to_tell(block: Block, followers: list[Follower]) -> list[tuple[str, str]]:
    """(actor, inbox) of each remote actor an organization's block is told to: the followers
    it removes, and the remote organizations this server knows that it covers (followers or not:
    their inbox is known without a fetch), each actor once."""
    told = {follower.actor: follower.inbox for follower in followers}
    for entry in RemoteOrganization.objects.only("actor", "inbox"):
        if entry.actor in told:
            continue
        covered = entry.actor == block.actor if block.actor else matches(block.host, entry.actor)
        if covered:
            told[entry.actor] = entry.inbox
    return list(told.items())


# Blocks told, declared (publishing.Direct): ids under SITE_URL/blocks/<pk>#block-to-<actor>
# and #undo-to-<actor>.
BLOCKS = publishing.declare_direct(
    publishing.Direct("blocks", context=lambda: documents.AS_CONTEXT)
)


def _block_activity(organization: Organization, actor: str, activity_id: str) -> dict:
    return {
        "id": activity_id,
        "type": "Block",
        "actor": documents.actor_url(organization),
        "to": [actor],
        "object": actor,
    }


def _tell(
    block: Block, organization: Organization, to: list[tuple[str, str]]
) -> list[dict[str, str]]:
    """A `Block` of each remote actor of `to` (actor, inbox), for its own inbox (delivered
    despite the block); what the block keeps of each, for the `Undo` when it is removed."""
    remotes = [publishing.Addressed(actor, inbox) for actor, inbox in to]

    def step(remote: publishing.Recipient) -> str:
        return f"block-to-{remote.actor}"

    BLOCKS.send_each(organization, remotes, block.pk, step, "Block", lambda r: {"object": r.actor})
    return [
        {"actor": r.actor, "inbox": r.inbox, "activity": BLOCKS.activity_id(block.pk, step(r))}
        for r in remotes
    ]


@task()
def tell_unknown(block_id: int) -> int:
    """Tell the one remote actor an organization blocked, neither a follower nor known here, of
    its `Block`: its actor fetched (signed by the server's actor, its address checked) for its
    inbox, which must be of its own host. 1 if told; 0 if the block is gone or told already, or
    the actor cannot be had (logged: the block holds, untold)."""
    block = Block.objects.filter(pk=block_id, organization__isnull=False).first()
    if block is None or not block.actor or any(t["actor"] == block.actor for t in block.told):
        return 0
    Block.objects.filter(pk=block_id).update(tell_tried_at=timezone.now())
    try:
        document = fetch_json(block.actor)
    except RemoteError as error:
        logger.warning("federation: block %s not told to %s: %s", block.pk, block.actor, error.code)
        return 0
    inbox = document.get("inbox")
    if document["id"] != block.actor or not isinstance(inbox, str):
        logger.warning("federation: block %s not told to %s: no inbox", block.pk, block.actor)
        return 0
    if not same_host(inbox, block.actor):
        logger.warning(
            "federation: block %s not told to %s: inbox elsewhere", block.pk, block.actor
        )
        return 0
    with transaction.atomic():
        # The block's row alone is locked (PostgreSQL locks no nullable side of a join).
        block = Block.objects.select_for_update().filter(pk=block_id).first()
        # None: removed meanwhile, nothing to tell.
        if block is None or any(t["actor"] == block.actor for t in block.told):
            return 0
        assert block.organization is not None
        block.told = [*block.told, *_tell(block, block.organization, [(block.actor, inbox)])]
        block.save(update_fields=["told"])
    return 1


@task()
def tell_untold() -> int:
    """On the schedule of the key fetches (remote.refresh_keys): each block of one remote actor
    not told yet because its actor could not be fetched (its server down, say) is tried again,
    for FEDERATION_GIVE_UP_DAYS after the block, as a delivery is: FEDERATION_KEY_REFRESH_BATCH
    at most a run, those tried longest ago first (never tried first), each fetch a task of its
    own (`tell_unknown`), so that actors that never answer neither hold the run through their
    timeouts nor keep newer blocks waiting. How many were queued."""
    now = timezone.now()
    since = now - datetime.timedelta(days=settings.INTERNATIONALE_FEDERATION_GIVE_UP_DAYS)
    batch = settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH
    # Untold: nothing in `told`, read by the database. A block of one actor tells that actor
    # alone (`_to_tell`, `tell_unknown`): its `told` is empty until it is told.
    untold = list(
        Block.objects.filter(organization__isnull=False, created_at__gte=since, told=[])
        .exclude(actor="")
        .order_by(F("tell_tried_at").asc(nulls_first=True), "created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    # Marked tried now: the next run takes others first, even if these wait in the queue.
    Block.objects.filter(pk__in=untold).update(tell_tried_at=now)
    for pk in untold:
        tell_unknown.enqueue(pk)
    return len(untold)


def _untell(block: Block, organization: Organization) -> None:
    """An `Undo` of the `Block` told to each remote actor, for the same inbox."""
    told = {t["actor"]: t for t in block.told}
    BLOCKS.send_each(
        organization,
        [publishing.Addressed(t["actor"], t["inbox"]) for t in block.told],
        block.pk,
        lambda remote: f"undo-to-{remote.actor}",
        "Undo",
        lambda remote: {
            "object": _block_activity(organization, remote.actor, told[remote.actor]["activity"])
        },
    )


def block_remove(*, actor: ActorLike, block: Block) -> None:
    """Federate again with the blocked server or actor (removed follows do not come back: the
    remote side follows again). Those an organization's block was told to are sent an `Undo` of
    it."""
    if block.organization_id is None:
        require(actor, SERVER_PERMISSION)
    else:
        require(actor, ORGANIZATION_PERMISSION, block.organization)
    with transaction.atomic():
        if block.organization is not None:
            _untell(block, block.organization)
        audit(
            actor=actor,
            action="federation.unblock",
            target=block,
            organization=block.organization,
            host=block.host,
            remote_actor=block.actor,
            told=len(block.told),
        )
        block.delete()
