"""An organization's calendar feed: its meetings (calendar.organization_calendar) at a secret
address that calendar programs subscribe to without signing in.

The address carries the feed's id and an HMAC, with the server's key, of a random secret kept in
the database: whoever reads the database alone cannot make the address, and the address is
compared in constant time. Renewing draws a new secret: the old address answers 404 at once.
Changing the server's SECRET_KEY changes every address (those who subscribed renew theirs).

The feed remembers who made its address, or last renewed it (`owner`). When someone who could
read it (any admin or secretary, who all see it on the calendars page, and its owner) leaves the
organization (or their account is deleted), or becomes a member or an observer, the address is
renewed on its own, in the same transaction, and the organization's speakers are told by a
notice: they knew the address, and no longer speak for the organization. The organizations app
does not know of feeds (it is below this one): Django's signals on its memberships call us
(`connect`, from apps.py).
"""

import re
import secrets
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, System, ViewerLike, person
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.organizations.models import Membership, Organization

from .models import CalendarFeed

SALT = "internationale.cooperation.calendar_feed"
TOKEN = re.compile(r"(?P<pk>[1-9][0-9]{0,17})-(?P<mac>[0-9a-f]{64})")


def feed_token(feed: CalendarFeed) -> str:
    mac = salted_hmac(SALT, f"{feed.pk}:{feed.secret}", algorithm="sha256").hexdigest()
    return f"{feed.pk}-{mac}"


def feed_url(feed: CalendarFeed) -> str:
    """The feed's address, absolute (for calendar programs)."""
    return absolute_url(reverse("calendar_feed", args=[feed_token(feed)]))


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed whose address carries `token`, or None for any other token."""
    match = TOKEN.fullmatch(token)
    if match is None:
        return None
    feed = CalendarFeed.objects.select_related("organization").filter(pk=int(match["pk"])).first()
    if feed is None or not constant_time_compare(feed_token(feed), token):
        return None
    return feed


def calendar_feed_renew(*, actor: ActorLike, organization: Organization) -> CalendarFeed:
    """Give the organization's feed a new secret address (the first one, if it had none): the
    old address stops at once."""
    require(
        actor,
        "cooperation.manage_calendar_feed",
        organization,
        _("Only an admin or secretary of the organization can renew its calendar address."),
    )
    with transaction.atomic():
        feed, created = CalendarFeed.objects.update_or_create(
            organization=organization,
            defaults={"secret": secrets.token_hex(32), "owner": person(actor)},
        )
        if not created:
            audit(
                actor=actor,
                action="calendar_feed.renew",
                target=organization,
                organization=organization,
            )
    return feed


def feed_organization(*, viewer: ViewerLike, slug: str) -> Organization:
    """The organization at `slug` whose calendar address the viewer manages: 404 to whoever is
    not one of its people, as if it did not exist, and for an organization not verified yet
    (which has no calendar address, as on its page); refused (PermissionDenied) to its people
    who do not speak for it."""
    organization = Organization.objects.filter(slug=slug, verified_at__isnull=False).first()
    if organization is None or role_in(viewer, organization) is None:
        raise Http404
    require(
        viewer,
        "cooperation.manage_calendar_feed",
        organization,
        _("Only an admin or secretary of the organization can see or renew its calendar address."),
    )
    return organization


def feed_url_of(organization: Organization) -> str | None:
    """The organization's calendar address, absolute, or None while it has none."""
    feed = CalendarFeed.objects.filter(organization=organization).first()
    return feed_url(feed) if feed is not None else None


# When someone who could read the address stops speaking for the organization ---------------

# Why an address was renewed on its own (a notice's `reason`).
LEFT = "left"
ROLE = "role"


def calendar_feed_renew_for(*, membership: Membership, reason: str) -> CalendarFeed | None:
    """Renew the organization's calendar address because the person of `membership`, who could
    read it (an admin or secretary, or the one who made it), left the organization (`LEFT`) or no
    longer speaks for it (`ROLE`): the old address stops at once, and the organization's speakers
    are told, with the reason. Runs in the transaction of the change of membership; the caller
    decides whether the person could read the address."""
    with transaction.atomic():
        feed = (
            CalendarFeed.objects.select_for_update()
            .select_related("organization")
            .filter(organization_id=membership.organization_id)
            .first()
        )
        if feed is None:
            return None
        feed.secret = secrets.token_hex(32)
        feed.owner = None
        feed.save(update_fields=["secret", "owner"])
        who = membership.user
        audit(
            actor=System("calendar_feed_owner"),
            action="calendar_feed.renew",
            target=feed.organization,
            organization=feed.organization,
            reason=reason,
            user=who.pk,
        )
        notice_send(
            kind="calendar_feed.renewed",
            source=feed,
            organizations=[feed.organization_id],
            params={"organization": feed.organization.name, "person": str(who), "reason": reason},
        )
    return feed


def _could_read(membership: Membership, role: str | None) -> bool:
    """Whether the person could read the organization's address: its speakers read it on the
    calendars page, and its maker knew it."""
    return (
        role in SPEAKING_ROLES
        or CalendarFeed.objects.filter(
            organization_id=membership.organization_id, owner_id=membership.user_id
        ).exists()
    )


def _membership_deleted(
    sender: Any, instance: Membership, origin: Any = None, **kwargs: Any
) -> None:
    # An organization deleted takes its feed and memberships with it: nothing to renew, no one
    # to tell. A membership removed, or a person's account deleted, ends the person's part.
    model = getattr(origin, "model", type(origin))
    if model is Organization:
        return
    if _could_read(instance, instance.role):
        calendar_feed_renew_for(membership=instance, reason=LEFT)


def _membership_saving(sender: Any, instance: Membership, **kwargs: Any) -> None:
    """Before a membership changes: its role until now, to tell a speaker who stops speaking."""
    if instance.pk is not None and not kwargs.get("raw"):
        instance._role_before = (  # type: ignore[attr-defined]
            Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        )


def _membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_role_before", None)
    if created or instance.role in SPEAKING_ROLES or before is None:
        return
    if _could_read(instance, before):
        calendar_feed_renew_for(membership=instance, reason=ROLE)


def connect() -> None:
    """Listen to the changes of memberships (pre_delete: the person is still the address's
    owner then; deleting an account sets it to None afterwards; pre_save: the role before)."""
    pre_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="calendar_feed_left")
    pre_save.connect(_membership_saving, sender=Membership, dispatch_uid="calendar_feed_before")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="calendar_feed_role")
