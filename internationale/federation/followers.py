"""How many followers one remote server may have of an organization (review finding L3): each
follower without a shared inbox is one delivery of everything the organization publishes, so a
server that makes many actors follow would multiply the work of every publication. Beyond
FEDERATION_MAX_FOLLOWERS_PER_HOST followers of one server, a Follow is answered with a `Reject`:
recorded and audited, no follower added.

Two Follows of one server at the same moment must not both take the last place: the count is
taken under a lock on the server's row (`RemoteHost`, the one delivery keeps its circuit breaker
in), held until the Follow's transaction ends, so the second counts the first's follower. On
SQLite, immediate transactions already serialize writers; the lock is what PostgreSQL needs."""

import uuid
from typing import Any

from django.conf import settings

from internationale.core.actors import System
from internationale.core.audit import audit
from internationale.organizations.models import Organization

from . import delivery, documents, hosts
from .models import Follower, OutgoingActivity, RemoteHost


def over_cap(organization: Organization, actor: str) -> bool:
    """Whether a Follow of `organization` by `actor` would take its server beyond the cap (an
    actor that follows already is not counted again: its Follow is a refresh). Called inside the
    transaction that adds the follower: the server's row stays locked until it ends."""
    host = hosts.origin(actor)
    RemoteHost.objects.select_for_update().get_or_create(host=host)
    followers = Follower.objects.filter(organization=organization)
    if followers.filter(actor=actor).exists():
        return False
    cap = settings.INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST
    return followers.filter(host=host).count() >= cap


def reject_follow(
    activity: dict[str, Any], follower: Follower, organization: Organization
) -> OutgoingActivity:
    """A `Reject` of the Follow, recorded for delivery to the actor's inbox, and audited."""
    reject = delivery.send_to_inbox(
        organization,
        {
            "id": documents.activity_url(uuid.uuid4()),
            "type": "Reject",
            "actor": documents.actor_url(organization),
            "to": [follower.actor],
            "object": activity,
        },
        follower.inbox,
    )
    audit(
        actor=System(reason="federation"),
        action="federation.follower_refuse",
        target=organization,
        organization=organization,
        remote_actor=follower.actor,
        host=hosts.origin(follower.actor),
        cap=settings.INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST,
    )
    return reject
