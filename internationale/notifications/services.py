"""Writes on inboxes (read marks) and webhooks. Notices reach inboxes through core/notices.py and
the channels of this app (channels.py)."""

import datetime
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import InboxEntry, InboxRead, Webhook
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
