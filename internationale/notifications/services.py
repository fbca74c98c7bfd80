"""Delivering to inboxes, and the notifications that follow, idempotently and in batches."""

import datetime
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.models import Urgency
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import titles
from .models import InboxEntry, InboxRead, Webhook
from .webhooks import check_webhook_url, new_secret


def source_key(source: Any) -> str:
    return f"{source._meta.label_lower}:{source.pk}"


def inbox_deliver(
    *,
    organizations: Iterable[Organization | int],
    kind: str,
    title: str = "",
    title_format: str = "",
    title_params: Mapping[str, Any] | None = None,
    confidential: bool = False,
    url: str = "",
    summary: str = "",
    source: Any = None,
    key: str | None = None,
    urgency: int = Urgency.ROUTINE,
    deadline: datetime.datetime | None = None,
    notify: bool = True,
) -> list[int]:
    """Put an entry in each organization's inbox and queue its notifications.

    Entries are unique per (organization, key): delivering again creates nothing new, so a retried
    task is harmless. Returns the ids of organizations that got a new entry.

    A title the platform words is given as `title_format` and `title_params` (see titles.py):
    each reader then reads it in their language. A `confidential` entry is e-mailed and sent to
    webhooks as its kind and a link only.
    """
    params = dict(title_params or {})
    if title_format and not title:
        with translation.override(settings.LANGUAGE_CODE):
            title = titles.word(title_format, params, str(params.get("title") or kind))
    key = key or (source_key(source) if source is not None else f"{kind}:{secrets.token_hex(8)}")
    org_ids: list[int] = [o if isinstance(o, int) else o.pk for o in organizations]
    already = set(
        InboxEntry.objects.filter(key=key, organization_id__in=org_ids).values_list(
            "organization_id", flat=True
        )
    )
    new_ids = [oid for oid in dict.fromkeys(org_ids) if oid not in already]
    InboxEntry.objects.bulk_create(
        [
            InboxEntry(
                organization_id=oid,
                key=key,
                kind=kind,
                title=title[:300],
                title_format=title_format,
                title_params=params,
                confidential=confidential,
                summary=summary,
                url=url,
                urgency=urgency,
                deadline=deadline,
            )
            for oid in new_ids
        ],
        ignore_conflicts=True,
    )
    if notify and new_ids:
        from .tasks import notify_organizations

        transaction.on_commit(lambda: notify_organizations.enqueue(new_ids, key))
    return new_ids


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
