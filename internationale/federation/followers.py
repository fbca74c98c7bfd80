"""How many followers one remote server may have of an organization (review finding L3): each
follower without a shared inbox is one delivery of everything the organization publishes, so a
server that makes many actors follow would multiply the work of every publication. Beyond
FEDERATION_MAX_FOLLOWERS_PER_HOST followers of one server, a Follow is answered with a `Reject`:
recorded and audited, no follower added."""

import uuid
from typing import Any

from django.conf import settings

from internationale.core.actors import System
from internationale.core.audit import audit
from internationale.organizations.models import Organization

from . import delivery, documents, hosts
from .models import Follower, OutgoingActivity


def over_cap(organization: Organization, actor: str) -> bool:
    """Whether a Follow of `organization` by `actor` would take its server beyond the cap (an
    actor that follows already is not counted again: its Follow is a refresh)."""
    followers = Follower.objects.filter(organization=organization)
    if followers.filter(actor=actor).exists():
        return False
    cap = settings.INTERNATIONALE_FEDERATION_MAX_FOLLOWERS_PER_HOST
    return followers.filter(host=hosts.origin(actor)).count() >= cap


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
