"""Writes on inboxes (read marks) and webhooks. Notices reach inboxes through core/notices.py and
the channels of this app (channels.py)."""

import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from internationale.core.audit import audit
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import InboxEntry, InboxRead, Webhook
from .webhooks import check_webhook_url


def inbox_mark_read(*, actor: Any, entries: Sequence[InboxEntry]) -> None:
    for entry in entries:
        require(actor, "organizations.view_inbox", entry.organization)
    InboxRead.objects.bulk_create(
        [InboxRead(entry=entry, user=actor) for entry in entries], ignore_conflicts=True
    )


def inbox_mark_unread(*, actor: Any, entry: InboxEntry) -> None:
    require(actor, "organizations.view_inbox", entry.organization)
    InboxRead.objects.filter(entry=entry, user=actor).delete()


def webhook_create(*, actor: Any, organization: Organization, url: str) -> Webhook:
    require(actor, "organizations.manage_webhooks", organization)
    check_webhook_url(url)
    webhook = Webhook(
        organization=organization, url=url, secret=secrets.token_hex(32), created_by=actor
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


def webhook_delete(*, actor: Any, webhook: Webhook) -> None:
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


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
