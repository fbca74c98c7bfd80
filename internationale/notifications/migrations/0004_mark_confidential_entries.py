"""Entries delivered before entries could be confidential: mark those that are, and take their
content out of what is still to be e-mailed or sent to webhooks (see core/notices.py)."""

from django.conf import settings
from django.db import migrations
from django.db.models import Q
from django.utils import translation

CHUNK = 500


def _number(part: str) -> int | None:
    return int(part) if part.isdigit() else None


def mark_confidential(apps, schema_editor):  # type: ignore[no-untyped-def]
    from internationale.core import notices as titles

    InboxEntry = apps.get_model("notifications", "InboxEntry")
    EmailNotification = apps.get_model("notifications", "EmailNotification")
    WebhookDelivery = apps.get_model("notifications", "WebhookDelivery")
    Appeal = apps.get_model("appeals", "Appeal")
    Relation = apps.get_model("organizations", "Relation")
    public_appeals = set(Appeal.objects.filter(visibility="public").values_list("pk", flat=True))
    public_relations = set(
        Relation.objects.filter(visibility="public").values_list("pk", flat=True)
    )

    def is_confidential(kind: str, key: str) -> bool:
        prefix, _sep, rest = key.partition(":")
        if kind in ("appeal.response", "aid.confirmed"):
            return True
        if prefix == "appeal":
            return _number(rest.split(":")[0]) not in public_appeals
        if kind == "relation.proposed" and prefix == "organizations.relation":
            return _number(rest) not in public_relations
        return False

    candidates = (
        InboxEntry.objects.filter(confidential=False)
        .filter(Q(kind__startswith="appeal.") | Q(kind__in=["aid.confirmed", "relation.proposed"]))
        .values_list("pk", "kind", "key", "organization_id")
    )
    found = [row for row in candidates.iterator() if is_confidential(row[1], row[2])]
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(found), CHUNK):
            chunk = found[start : start + CHUNK]
            InboxEntry.objects.filter(pk__in=[pk for pk, *_rest in chunk]).update(confidential=True)
            by_kind: dict[str, list[str]] = {}
            for _pk, kind, key, organization_id in chunk:
                by_kind.setdefault(kind, []).append(f"{key}:{organization_id}")
            for kind, event_keys in by_kind.items():
                EmailNotification.objects.filter(event_key__in=event_keys).update(
                    subject=titles.label(kind)[:300]
                )
            kinds = {(key, organization_id): kind for _pk, kind, key, organization_id in chunk}
            pending = WebhookDelivery.objects.filter(
                event_key__in={key for key, _org in kinds}, status="pending"
            ).select_related("webhook")
            for delivery in pending:
                kind = kinds.get((delivery.event_key, delivery.webhook.organization_id))
                if kind is None:
                    continue
                delivery.payload = {
                    **delivery.payload,
                    "title": titles.label(kind),
                    "summary": "",
                    "confidential": True,
                }
                delivery.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_inbox_titles_in_reader_language"),
        ("appeals", "0002_addressee_indexes"),
        ("organizations", "0004_invitation_sent_at"),
    ]

    operations = [migrations.RunPython(mark_confidential, migrations.RunPython.noop)]
