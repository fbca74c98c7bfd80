"""An organization moves to another server, and its partners follow (issue 16): ActivityPub `Move`.

On the server it arrives at, an operator (or its admin) records the actor it had on the old one
(`also_known_as`): its actor here lists it in `alsoKnownAs`. On the server it leaves, they then
record where it went (`move_to`): the new actor must already list the old one in its
`alsoKnownAs`, so that nobody can send an organization's followers to an actor that did not agree
to it. Its actor there then says `movedTo`, and a `Move` (object: the old actor, target: the new)
goes to its followers.

A server that receives a `Move` (inbox.py hands it here, `checked` before its transaction,
`follow` inside it) acts on it only from an actor it knows (a remote organization, accepted or
waiting, or a follower of one of its organizations), moving itself, to a target whose actor
document lists it in `alsoKnownAs`. Then the remote organization's entry (and so its row in the
directory, which routing and every relation use) names the new actor, its inbox, host and handle
(and its row's link to its actor, `remote_actor_url`), and followers of its organizations that moved are re-pointed to the new actor. Anything else is
refused, and nothing changes. A `Move` from an actor this server does not know is only recorded.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, System, person
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import delivery, documents, hosts, remote_orgs
from .models import (
    URL_LENGTH,
    ActorAlias,
    Follower,
    OutgoingActivity,
    ReceivedActivity,
    ReceivedObject,
    RemoteOrganization,
)
from .remote import RemoteError, check_url, fetch_json, same_host
from .remote_orgs import actor_fields

# Who records where an organization moved to, or from: its admins, and the operators (rules.py).
MOVE_PERMISSION = "federation.move_organization"
MOVED_TO = ActorAlias.Direction.MOVED_TO
MOVED_FROM = ActorAlias.Direction.MOVED_FROM


# This server's organizations -------------------------------------------------------------------


def _url(value: str, field: str) -> str:
    url = (value or "").strip()
    if not url or len(url) > URL_LENGTH:
        raise ValidationError(
            {field: ValidationError(_("Give the actor's address (its URL)."), code="no_url")}
        )
    try:
        check_url(url)
    except RemoteError as error:
        raise ValidationError({field: ValidationError(error.message, code=error.code)}) from None
    return url


def aliases(organization: Organization) -> dict[str, list[str]]:
    """Its other actors, by direction, for its actor document (documents.actor_document)."""
    found: dict[str, list[str]] = {MOVED_TO: [], MOVED_FROM: []}
    for direction, url in ActorAlias.objects.filter(organization=organization).values_list(
        "direction", "url"
    ):
        found[direction].append(url)
    return found


def _alias(pk: str) -> ActorAlias:
    return ActorAlias.objects.get(pk=pk)


def _old_actor(url: str) -> str:
    """The actor an organization had on its old server, fetched (signed by the server's actor):
    an organization's (a `Group` with an inbox of its own host). Its id, as that server names it;
    ValidationError on `old_actor` if it cannot be had or is not one."""
    try:
        document = fetch_json(url)
    except RemoteError as error:
        raise ValidationError(
            {"old_actor": ValidationError(error.message, code=error.code)}
        ) from None
    inbox = document.get("inbox")
    if (
        document.get("type") != "Group"
        or not isinstance(inbox, str)
        or not same_host(inbox, document["id"])
        or len(document["id"]) > URL_LENGTH
    ):
        raise ValidationError(
            {
                "old_actor": ValidationError(
                    _(
                        "This address is not an organization's actor (an ActivityPub Group with "
                        "an inbox): give the address of its actor on the old server."
                    ),
                    code="not_actor",
                )
            }
        )
    return str(document["id"])


@idempotent("federation.also_known_as", fetch=_alias)
def also_known_as(
    *,
    actor: ActorLike,
    organization: Organization,
    old_actor: str,
    submission_key: str | None = None,
) -> ActorAlias:
    """On the server an organization arrived at: record the actor it had on the old one, listed
    in its actor's `alsoKnownAs` from now on (what the old server checks before it moves). The
    old actor is fetched first: refused, with nothing changed, if it cannot be had (unreachable,
    on a refused address) or is not an organization's actor."""
    require(actor, MOVE_PERMISSION, organization)
    url = _url(old_actor, "old_actor")
    if url == documents.actor_url(organization):
        raise ValidationError(
            {"old_actor": ValidationError(_("This is its address here."), code="own_actor")}
        )
    known = ValidationError(
        {"old_actor": ValidationError(_("This address is already recorded."), code="known")}
    )
    aliases = ActorAlias.objects.filter(organization=organization, direction=MOVED_FROM)
    if aliases.filter(url=url).exists():
        raise known
    url = _old_actor(url)
    try:
        with transaction.atomic():
            alias = ActorAlias.objects.create(
                organization=organization,
                direction=MOVED_FROM,
                url=url,
                created_by=person(actor),
            )
            audit(
                actor=actor,
                action="federation.also_known_as",
                target=alias,
                organization=organization,
                url=url,
            )
    except IntegrityError:
        raise known from None
    return alias


def also_known_as_remove(*, actor: ActorLike, organization: Organization, alias_id: int) -> str:
    """Take an old actor out of the organization's `alsoKnownAs` (recorded by mistake, or the
    move is done with): the old server can no longer move its followers here from it. Returns
    its address; Http404 for an alias that is not one of the organization's old actors."""
    require(actor, MOVE_PERMISSION, organization)
    with transaction.atomic():
        alias = get_object_or_404(
            ActorAlias.objects.select_for_update(),
            pk=alias_id,
            organization=organization,
            direction=MOVED_FROM,
        )
        url = alias.url
        audit(
            actor=actor,
            action="federation.also_known_as_remove",
            target=alias,
            organization=organization,
            url=url,
        )
        alias.delete()
    return url


def _also_known(document: dict[str, Any]) -> list[str]:
    value = document.get("alsoKnownAs")
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def last_move(organization: Organization) -> ActorAlias | None:
    """Where it last moved to (its actor says `movedTo` that one), or None."""
    return ActorAlias.objects.filter(organization=organization, direction=MOVED_TO).last()


def may_move_again_at(organization: Organization) -> datetime.datetime | None:
    """When an organization that moved may move again (its last move, plus
    FEDERATION_MOVE_COOLDOWN_DAYS), or None if it never moved."""
    last = last_move(organization)
    if last is None:
        return None
    return last.created_at + datetime.timedelta(
        days=settings.INTERNATIONALE_FEDERATION_MOVE_COOLDOWN_DAYS
    )


def _may_move(organization: Organization, url: str) -> None:
    """An organization moves again (its new server closed, say) only to another actor, and only
    once the cooldown after its last move has passed, as Mastodon does: its followers' servers
    are not sent from one actor to another faster than they can follow."""
    last = last_move(organization)
    if last is None:
        return
    if last.url == url:
        raise ValidationError(
            {"target": ValidationError(_("It has already moved to this address."), code="moved")}
        )
    again = may_move_again_at(organization)
    if again is not None and timezone.now() < again:
        raise ValidationError(
            _(
                "This organization moved on %(moved)s: it may move again from %(again)s, %(days)s "
                "days after its last move. Nothing was changed."
            )
            % {
                "moved": formats.date_format(timezone.localtime(last.created_at)),
                "again": formats.date_format(timezone.localtime(again)),
                "days": settings.INTERNATIONALE_FEDERATION_MOVE_COOLDOWN_DAYS,
            },
            code="on_cooldown",
        )


def _outgoing(pk: str) -> OutgoingActivity:
    return OutgoingActivity.objects.get(pk=pk)


@idempotent("federation.move", fetch=_outgoing)
def move_to(
    *,
    actor: ActorLike,
    organization: Organization,
    target: str,
    submission_key: str | None = None,
) -> OutgoingActivity:
    """On the server an organization leaves: it moved to the actor `target` (on its new server),
    which lists this one in its `alsoKnownAs`. Recorded (its actor says `movedTo`), audited, and
    a `Move` is queued for its followers. Refused, with nothing changed, when it moved there
    already, or moved elsewhere less than FEDERATION_MOVE_COOLDOWN_DAYS ago, or the target cannot
    be fetched or does not confirm. A second move (after the cooldown) sends the followers it
    still has here on to the new target; its actor then says `movedTo` the last one, which may
    be one it moved to before (moving back, when the server in between closed)."""
    require(actor, MOVE_PERMISSION, organization)
    url = _url(target, "target")
    ours = documents.actor_url(organization)
    if url == ours:
        raise ValidationError(
            {"target": ValidationError(_("This is its address here."), code="own_actor")}
        )
    _may_move(organization, url)
    try:
        document = fetch_json(url)
    except RemoteError as error:
        raise ValidationError({"target": ValidationError(error.message, code=error.code)}) from None
    if document.get("id") != url or ours not in _also_known(document):
        raise ValidationError(
            {
                "target": ValidationError(
                    _(
                        "The new actor does not list this organization's actor (%(ours)s) in its "
                        "alsoKnownAs: record that address on the new server first, then move."
                    )
                    % {"ours": ours},
                    code="not_confirmed",
                )
            }
        )
    activity_id = documents.activity_url(uuid.uuid4())
    try:
        with transaction.atomic():
            # Two moves at once: the second waits for the first, then finds it done.
            Organization.objects.select_for_update().filter(pk=organization.pk).first()
            _may_move(organization, url)
            alias, created = ActorAlias.objects.get_or_create(
                organization=organization,
                direction=MOVED_TO,
                url=url,
                defaults={"created_by": person(actor)},
            )
            if not created:
                # Back to an actor it moved to before (A→B, A→C, then A→B again): that one is
                # its last move now (its actor says `movedTo` it; the cooldown counts from now).
                # Each move stays in the audit.
                alias.created_at = timezone.now()
                alias.created_by = person(actor)
                alias.save(update_fields=["created_at", "created_by"])
            outgoing = OutgoingActivity.objects.create(
                organization=organization,
                activity_id=activity_id,
                activity_type="Move",
                payload={
                    "@context": documents.context(),
                    "id": activity_id,
                    "type": "Move",
                    "actor": ours,
                    "object": ours,
                    "target": url,
                    "to": [documents.followers_url(organization)],
                },
            )
            delivery.queue(outgoing)
            audit(
                actor=actor,
                action="federation.move",
                target=alias,
                organization=organization,
                url=url,
            )
    except IntegrityError:  # moved there by another request meanwhile
        raise ValidationError(
            {"target": ValidationError(_("It has already moved to this address."), code="moved")}
        ) from None
    return outgoing


# A Move received -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    old: str
    new: str
    inbox: str
    shared_inbox: str
    fields: dict[str, Any] | None  # for a remote organization's entry (actor_fields)


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def checked(activity: dict[str, Any], actor: str) -> Moved | None:
    """For a `Move` (None for any other activity, or one from an actor this server does not
    know): its new actor fetched and confirmed, before anything is written; `Refused` if not."""
    if activity.get("type") != "Move":
        return None
    from .inbox import Refused  # the inbox imports this module

    target = _id(activity.get("target"))
    if _id(activity.get("object")) != actor:
        raise Refused(422, "bad_move", _("An actor moves only itself: its Move's object is it."))
    if target is None or target == actor:
        raise Refused(422, "bad_move", _("The Move names no new actor."))
    entry = RemoteOrganization.objects.filter(actor=actor).exists()
    if not entry and not Follower.objects.filter(actor=actor).exists():
        return None
    try:
        document = fetch_json(target)
    except RemoteError as error:
        status = 403 if error.code == "private_address" else 502
        raise Refused(status, error.code, error.message) from None
    if document.get("id") != target or actor not in _also_known(document):
        raise Refused(
            422,
            "move_not_confirmed",
            _("The new actor does not list the old one in its alsoKnownAs: the move is refused."),
        )
    inbox = document.get("inbox")
    if not isinstance(inbox, str) or not same_host(inbox, target) or len(inbox) > URL_LENGTH:
        raise Refused(422, "bad_actor", _("The new actor has no inbox of its own host."))
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    fields = None
    if entry:
        try:
            fields = actor_fields(document, target)
        except ValidationError as error:
            raise Refused(422, "bad_actor", " ".join(error.messages)) from None
    return Moved(
        old=actor,
        new=target,
        inbox=inbox,
        shared_inbox=shared if isinstance(shared, str) and same_host(shared, target) else "",
        fields=fields,
    )


def follow(moved: Moved | None, received: ReceivedActivity) -> None:
    """Follow a checked `Move` (None: nothing to follow), in the inbox's transaction: the remote
    organization's entry names the new actor; the followers that moved are re-pointed."""
    from .inbox import Refused

    if moved is None:
        return

    entry = RemoteOrganization.objects.select_for_update().filter(actor=moved.old).first()
    if entry is not None and moved.fields is not None:
        other = RemoteOrganization.objects.filter(actor=moved.new).exclude(pk=entry.pk).first()
        if other is not None and other.organization_id is not None:
            raise Refused(
                409, "move_conflict", _("The new actor is already another organization here.")
            )
        if other is not None:  # the new actor asked to relate meanwhile: one entry is enough
            other.delete()
        for name, value in moved.fields.items():
            setattr(entry, name, value)
        entry.actor = moved.new
        entry.fetched_at = timezone.now()
        entry.save()
        if entry.organization_id is not None:
            # Its row in the directory: the link to its actor, and its profile as it is now.
            Organization.objects.filter(pk=entry.organization_id).update(remote_actor_url=moved.new)
            entry.organization.remote_actor_url = moved.new  # type: ignore[union-attr]
            remote_orgs.write_organization(entry)  # as when it was accepted
        # What it sent before (its appeals and their updates, looked up by sender and URL:
        # receiving.py) is still its own, under its new actor: it may update and withdraw them.
        taken = ReceivedObject.objects.filter(actor=moved.new).values("url")
        ReceivedObject.objects.filter(actor=moved.old).exclude(url__in=taken).update(
            actor=moved.new
        )
        audit(
            actor=System(reason="federation"),
            action="federation.remote_moved",
            target=entry,
            organization=entry.organization or entry.relates_to,
            old=moved.old,
            new=moved.new,
        )
    for follower in Follower.objects.filter(actor=moved.old):
        if Follower.objects.filter(organization=follower.organization_id, actor=moved.new).exists():
            follower.delete()  # it follows from its new actor already
            continue
        follower.actor = moved.new
        follower.inbox = moved.inbox
        follower.shared_inbox = moved.shared_inbox
        follower.host = hosts.origin(moved.new)  # the followers' cap per server counts it there
        follower.save(update_fields=["actor", "inbox", "shared_inbox", "host"])
    received.outcome = "moved"
    received.save(update_fields=["outcome"])
