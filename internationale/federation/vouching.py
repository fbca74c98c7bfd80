"""Vouches across servers: an organization vouching for another (organizations.services.vouch_add),
when one of the two is on another server.

The vocabulary (terms of the platform's context, `int:`):

| activity | object | meaning |
| --- | --- | --- |
| `Vouch` | the actor of the organization vouched for | the sender vouches for it, to be verified on its server |
| `Undo` | the `Vouch` (its id, or embedded with its id) | the vouch withdrawn |

- **Sent**: a vouch of one of this server's organizations for an accepted remote organization
  (its row in the directory) goes, when recorded, to that organization's server (its shared
  inbox when it offers one: an organization waiting for its verification may have no inbox of
  its own yet), signed by the vouching organization; its withdrawal sends the `Undo`.
- **Received** (acting.py): a `Vouch` of an accepted remote organization that its own server
  says it verified (its actor's `verified`) for one of this server's organizations is recorded
  through the same service as a local vouch (rules, audit): `vouch_add`, acting as that
  organization. Whether it counts towards verification is the operator's setting,
  FEDERATION_REMOTE_VOUCHES (services.counted_vouches, also the count the organization's page
  shows): `off`, recorded and shown (marked with its home server) but not counted; `one`,
  counted as at most one of the two vouches. Its `Undo` withdraws it.

Organizations are not edited for it: federation connects to the Vouch rows the services write
(`post_save`, apps.py), as answering.py does to answers, and records the activity in the same
transaction. Ids are made from the vouch's row, so a vouch is sent once."""

from typing import Any

from django.utils.translation import gettext as _

from internationale.core.actors import Remote
from internationale.organizations.models import Organization, Vouch
from internationale.organizations.services import vouch_add, vouch_withdraw

from . import documents, publishing, receiving
from .models import RemoteOrganization

VOUCH_TYPES = ("Vouch", "int:Vouch")
# Vouches sent, declared (publishing.Direct): ids under SITE_URL/organizations/vouches/<pk>#<step>.
VOUCHES = publishing.declare_direct(publishing.Direct("organizations/vouches"))


def vouch_id(vouch: Vouch) -> str:
    return VOUCHES.activity_id(vouch.pk, "vouch")


def vouch_saved(sender: type, instance: Vouch, created: bool, **kwargs: Any) -> None:
    """A vouch of one of this server's organizations for an accepted remote one: its `Vouch`,
    when recorded; its `Undo`, when withdrawn."""
    if kwargs.get("raw"):
        return
    vouch = instance
    if not created and vouch.withdrawn_at is None:
        return
    voucher = Organization.objects.only("slug", "remote_actor_url").get(pk=vouch.voucher_id)
    if voucher.remote_actor_url:
        return  # a remote organization's vouch, received: its server knows it already
    entry = RemoteOrganization.objects.filter(
        organization_id=vouch.organization_id, status=RemoteOrganization.Status.ACCEPTED
    ).first()
    if entry is None:
        return
    # Its server's shared inbox when it offers one (a vouch is public).
    to = publishing.Addressed(entry.actor, entry.shared_inbox or entry.inbox)
    if created:
        VOUCHES.send(voucher, to, vouch.pk, "vouch", "Vouch", {"object": entry.actor})
    else:
        VOUCHES.send(voucher, to, vouch.pk, "undo", "Undo", {"object": vouch_id(vouch)})


def _vouched_for(url: str | None) -> Organization:
    """The organization of this server whose actor URL is `url`, verified or not: a vouch is
    what an unverified one waits for (it has no actor to fetch until it is verified)."""
    prefix = documents.actor_url_prefix()
    found = None
    if url and url.startswith(prefix):
        found = Organization.objects.filter(
            slug=url.removeprefix(prefix), remote_actor_url=""
        ).first()
    if found is None:
        raise receiving.Refusal(
            404, "unknown_organization", _("There is no such organization on this server.")
        )
    return found


def received(remote: Remote, entry: RemoteOrganization, activity: dict[str, Any]) -> Any:
    """A `Vouch` of the accepted remote organization `entry`: recorded as its vouch."""
    if entry.properties.get("verified") is not True:
        raise receiving.Refusal(
            403,
            "not_verified",
            _("Only an organization verified by its own server can vouch."),
        )
    organization = _vouched_for(documents.id_of(activity.get("object")))
    vouch = vouch_add(actor=remote, organization=organization)
    # Kept on the vouch, for its `Undo`: the received activity is pruned after some days.
    vouch.remote_activity_id = str(activity.get("id") or "")[:500]
    Vouch.objects.filter(pk=vouch.pk).update(remote_activity_id=vouch.remote_activity_id)
    return "vouched", vouch


def undone(remote: Remote, vouch_activity: str | None) -> Any:
    """An `Undo` of a `Vouch` it sent: its vouch withdrawn. None if it names no vouch of it."""
    if not vouch_activity:
        return None
    vouch = Vouch.objects.filter(
        remote_activity_id=vouch_activity, voucher_id=remote.organization_id
    ).first()
    if vouch is None:
        return None
    return "vouch_withdrawn", vouch_withdraw(actor=remote, vouch=vouch)
