"""Upgrading: entries delivered before entries could be confidential are marked, and what is still
to be e-mailed or sent to a webhook about them loses its content (migration 0004)."""

import importlib

from django.apps import apps

from internationale.appeals.tests.factories import AppealFactory
from internationale.notifications.models import (
    EmailNotification,
    InboxEntry,
    Webhook,
    WebhookDelivery,
)
from internationale.notifications.services import inbox_deliver
from internationale.notifications.tasks import _payload

backfill = importlib.import_module(
    "internationale.notifications.migrations.0004_mark_confidential_entries"
)


def old_entry(organization, **fields):  # type: ignore[no-untyped-def]
    """An entry as an earlier version delivered it: never confidential."""
    inbox_deliver(organizations=[organization], notify=False, **fields)
    return InboxEntry.objects.get(organization=organization, key=fields["key"])


def test_entries_about_what_is_not_public_are_marked_and_their_pending_messages_emptied(
    owner_org, other_org, sam
):
    secret = AppealFactory(organization=owner_org, visibility="network", title="Arrests in Santos")
    public = AppealFactory(organization=owner_org, visibility="public", title="Strike fund")
    received = old_entry(
        other_org, kind="appeal.received", key=f"appeal:{secret.pk}", title=secret.title
    )
    open_one = old_entry(
        other_org, kind="appeal.received", key=f"appeal:{public.pk}", title=public.title
    )
    answer = old_entry(
        owner_org, kind="appeal.response", key="appeal-response:9", title="Docks pledged support"
    )
    EmailNotification.objects.create(
        user=sam, event_key=f"appeal-response:9:{owner_org.pk}", subject=answer.title
    )
    hook = Webhook.objects.create(
        organization=other_org, url="https://hooks.example.org/", secret="s"
    )
    WebhookDelivery.objects.create(
        webhook=hook, event_key=received.key, event=received.kind, payload=_payload(received)
    )

    backfill.mark_confidential(apps, None)

    assert set(InboxEntry.objects.filter(confidential=True)) == {received, answer}
    open_one.refresh_from_db()
    assert not open_one.confidential
    assert EmailNotification.objects.get().subject == "An answer to your appeal"
    payload = WebhookDelivery.objects.get().payload
    assert (payload["title"], payload["summary"], payload["confidential"]) == (
        "A new appeal",
        "",
        True,
    )
    assert "Arrests" not in str(payload)
