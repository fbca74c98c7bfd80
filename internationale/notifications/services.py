"""Writes on inboxes (read marks), e-mail preferences and webhooks. Notices reach inboxes through core/notices.py and
the channels of this app (channels.py)."""

import datetime
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.accounts.models import User
from internationale.core import notices
from internationale.core.actors import ActorLike, person, user_of
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.services import require
from internationale.organizations.models import Membership, Organization

from .models import EmailPreference, InboxEntry, InboxRead, PersonalEntry, Webhook
from .unread import unread_recount
from .unsubscribe import unsubscribe_read
from .webhooks import check_webhook_url, new_secret


def inbox_mark_read(*, actor: ActorLike, entries: Sequence[InboxEntry]) -> None:
    for entry in entries:
        require(actor, "organizations.view_inbox", entry.organization)
    InboxRead.objects.bulk_create(
        [InboxRead(entry=entry, user=person(actor)) for entry in entries], ignore_conflicts=True
    )


def inbox_mark_unread(*, actor: ActorLike, entry: InboxEntry) -> None:
    require(actor, "organizations.view_inbox", entry.organization)
    InboxRead.objects.filter(entry=entry, user=person(actor)).delete()


def personal_mark_read(*, actor: ActorLike, entries: Sequence[PersonalEntry]) -> None:
    """Mark entries of one's own inbox read (those already read keep when they were)."""
    for entry in entries:
        require(actor, "notifications.read_personal_entry", entry)
    with transaction.atomic():
        marked = PersonalEntry.objects.filter(
            pk__in=[entry.pk for entry in entries], read_at__isnull=True
        ).update(read_at=timezone.now())
        if marked:  # opening an entry read before changes nothing, and writes nothing
            unread_recount(entry.person_id for entry in entries)


def personal_mark_unread(*, actor: ActorLike, entry: PersonalEntry) -> None:
    require(actor, "notifications.read_personal_entry", entry)
    with transaction.atomic():
        if PersonalEntry.objects.filter(pk=entry.pk, read_at__isnull=False).update(read_at=None):
            unread_recount([entry.person_id])


def email_preference_set(
    *, actor: ActorLike, organization: Organization | None, kind: str = "", mode: str
) -> EmailPreference | None:
    """How the acting person wants notices by e-mail: of `organization` (None: of all) and of
    `kind` (blank: of every kind). Choosing for all the organizations, or for one, replaces the
    more precise choices under it, so that "never" means never. A blank `mode` takes back the
    choice made for exactly these: the more general one decides again (see EmailPreference)."""
    user = user_of(actor)
    if mode and mode not in EmailPreference.Mode.values:
        raise ValidationError({"mode": _("Choose how to receive these e-mails.")}, code="invalid")
    if kind and kind not in notices.registered_kinds():
        raise ValidationError({"kind": _("There is no such kind of notice.")}, code="invalid")
    if (
        organization is not None
        and not Membership.objects.filter(user=user, organization=organization).exists()
    ):
        raise ValidationError(
            {"organization": _("You are not a member of this organization.")}, code="invalid"
        )
    if not mode:
        EmailPreference.objects.filter(user=user, organization=organization, kind=kind).delete()
        return None
    with transaction.atomic():
        mine = EmailPreference.objects.filter(user=user)
        if organization is not None and not kind:
            mine.filter(organization=organization).exclude(kind="").delete()
        elif organization is None and not kind:
            mine.exclude(organization=None, kind="").delete()
        preference, _created = EmailPreference.objects.update_or_create(
            user=user, organization=organization, kind=kind, defaults={"mode": mode}
        )
    return preference


def email_unsubscribe(*, token: str) -> EmailPreference | None:
    """Turn off what a signed unsubscribe link names (see unsubscribe.py): the notice e-mails of
    one organization, or all. Raises signing.BadSignature for a forged or expired link. A person
    gone, or no longer in the organization, receives none of these e-mails: nothing to do."""
    what = unsubscribe_read(token)
    user = User.objects.filter(pk=what.user_id, is_active=True).first()
    organization = None
    if what.organization_id is not None:
        organization = Organization.objects.filter(pk=what.organization_id).first()
        if organization is None:
            return None
    if user is None:
        return None
    try:
        return email_preference_set(
            actor=user, organization=organization, mode=EmailPreference.Mode.OFF
        )
    except ValidationError:
        return None


@idempotent("notifications.webhook_create", lambda pk: Webhook.objects.get(pk=pk))
def webhook_create(
    *, actor: ActorLike, organization: Organization, url: str, submission_key: str | None = None
) -> Webhook:
    require(actor, "organizations.manage_webhooks", organization)
    check_webhook_url(url)
    webhook = Webhook(
        organization=organization, url=url, secret=new_secret(), created_by=person(actor)
    )
    webhook.full_clean()
    with transaction.atomic():
        webhook.save()
        # The host only: a webhook address may carry credentials in its path or query.
        audit(
            actor=actor,
            target=webhook,
            organization=organization,
            action="webhook.create",
            host=_host(url),
        )
    return webhook


def webhook_delete(*, actor: ActorLike, webhook: Webhook) -> None:
    require(actor, "organizations.manage_webhooks", webhook.organization)
    with transaction.atomic():
        audit(
            actor=actor,
            target=webhook,
            organization=webhook.organization,
            action="webhook.delete",
            host=_host(webhook.url),
        )
        webhook.delete()


def webhook_rotate_secret(*, actor: ActorLike, webhook: Webhook) -> Webhook:
    """Give the webhook a new secret. The old one signs too, beside it, for
    WEBHOOK_SECRET_OVERLAP_HOURS or until it is retired, so the receiving system can change over
    without losing a delivery. One change at a time: the old secret of a change under way is
    retired first."""
    require(actor, "organizations.manage_webhooks", webhook.organization)
    with transaction.atomic():
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if webhook.rotating:
            raise ValidationError(
                _(
                    "The secret is already being changed: retire the old secret before changing "
                    "it again."
                ),
                code="rotation_under_way",
            )
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_until = timezone.now() + datetime.timedelta(
            hours=settings.INTERNATIONALE_WEBHOOK_SECRET_OVERLAP_HOURS
        )
        webhook.secret = new_secret()
        webhook.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        audit(
            actor=actor,
            target=webhook,
            organization=webhook.organization,
            action="webhook.rotate_secret",
            host=_host(webhook.url),
        )
    return webhook


def webhook_retire_previous_secret(*, actor: ActorLike, webhook: Webhook) -> Webhook:
    """Stop signing with the secret the webhook had before its secret was changed."""
    require(actor, "organizations.manage_webhooks", webhook.organization)
    with transaction.atomic():
        webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if not webhook.rotating:
            raise ValidationError(
                _("There is no old secret to retire: the secret is not being changed."),
                code="no_rotation",
            )
        webhook.previous_secret, webhook.previous_secret_until = "", None
        webhook.save(update_fields=["previous_secret", "previous_secret_until"])
        audit(
            actor=actor,
            target=webhook,
            organization=webhook.organization,
            action="webhook.retire_secret",
            host=_host(webhook.url),
        )
    return webhook


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
