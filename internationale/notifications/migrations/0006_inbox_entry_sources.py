"""Inbox entries point to what they are about (a generic relation) instead of a string key, and
keep the notice that put them there. Existing rows get their source from their key:

    appeal:42                  the appeal                 appeals.appeal 42
    appeal:42:update:7         the update                 appeals.appealupdate 7
    appeal:42:escalated:2      the escalation to ring 2   appeals.appealupdate (kind escalated)
    appeal-response:5          the answer                 appeals.response 5
    aid-confirmed:3            the confirmed aid          aid.contribution 3
    organizations.relation:7   any model, by its label    organizations.relation 7

A key of another form (a demo's notice) leaves the entry without a source. Going back writes the
keys again from the sources; an entry without one gets `inbox:<its id>`. The key column and the
title formats go in 0007, once the rows are converted (PostgreSQL alters no table with updates
of its foreign keys pending in the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 500
# The wordings of titles before kinds were declared in core/notices.py: a title_format equal to
# the kind, for these kinds; the others had their title as written.
WORDED = {
    "appeal.update",
    "appeal.resolved",
    "appeal.escalated",
    "appeal.response",
    "aid.confirmed",
    "relation.proposed",
}


def _number(part: str) -> int | None:
    return int(part) if part.isdigit() else None


def _source(key: str, escalations: dict[tuple[int, int], int]) -> tuple[str, int] | None:
    """(app_label.model, id) of what the key names, or None."""
    parts = key.split(":")
    numbers = [_number(p) for p in parts]
    if parts[0] == "appeal" and len(parts) == 2 and numbers[1] is not None:
        return "appeals.appeal", numbers[1]
    if parts[0] == "appeal" and len(parts) == 4 and None not in (numbers[1], numbers[3]):
        if parts[2] == "update":
            return "appeals.appealupdate", numbers[3]
        if parts[2] == "escalated":
            update = escalations.get((numbers[1], numbers[3]))
            return ("appeals.appealupdate", update) if update is not None else None
    if parts[0] == "appeal-response" and len(parts) == 2 and numbers[1] is not None:
        return "appeals.response", numbers[1]
    if parts[0] == "aid-confirmed" and len(parts) == 2 and numbers[1] is not None:
        return "aid.contribution", numbers[1]
    _label, _dot, model = parts[0].partition(".")
    if len(parts) == 2 and model and numbers[1] is not None:
        return parts[0], numbers[1]
    return None


def keys_to_sources(apps, schema_editor):  # type: ignore[no-untyped-def]
    InboxEntry = apps.get_model("notifications", "InboxEntry")
    AppealUpdate = apps.get_model("appeals", "AppealUpdate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    escalations = {
        (appeal_id, int((data or {}).get("ring") or 0)): pk
        for pk, appeal_id, data in AppealUpdate.objects.filter(kind="escalated").values_list(
            "pk", "appeal_id", "data"
        )
    }
    types: dict[str, int] = {}

    def type_id(name: str) -> int:
        if name not in types:
            app_label, _dot, model = name.partition(".")
            types[name] = ContentType.objects.get_or_create(app_label=app_label, model=model)[0].pk
        return types[name]

    # One update per key: the entries of one appeal in thousands of inboxes share theirs.
    by_key: dict[str, list[int]] = {}
    for pk, key in InboxEntry.objects.values_list("pk", "key").iterator():
        by_key.setdefault(key, []).append(pk)
    for key, pks in by_key.items():
        source = _source(key, escalations)
        if source is None:
            continue
        for start in range(0, len(pks), CHUNK):
            InboxEntry.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                source_type_id=type_id(source[0]), source_id=source[1]
            )


def sources_to_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    InboxEntry = apps.get_model("notifications", "InboxEntry")
    AppealUpdate = apps.get_model("appeals", "AppealUpdate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    names = {
        ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()
    }
    updates = {
        pk: (appeal_id, kind, data)
        for pk, appeal_id, kind, data in AppealUpdate.objects.values_list(
            "pk", "appeal_id", "kind", "data"
        )
    }

    def key(pk: int, kind: str, type_id: int | None, source_id: int | None) -> str:
        name = names.get(type_id) if type_id is not None else None
        if name is None or source_id is None:
            return f"inbox:{pk}"
        if name == "appeals.appeal":
            return f"appeal:{source_id}"
        if name == "appeals.appealupdate" and source_id in updates:
            appeal_id, update_kind, data = updates[source_id]
            if update_kind == "escalated":
                return f"appeal:{appeal_id}:escalated:{(data or {}).get('ring')}"
            return f"appeal:{appeal_id}:update:{source_id}"
        if name == "appeals.response":
            return f"appeal-response:{source_id}"
        if name == "aid.contribution":
            return f"aid-confirmed:{source_id}"
        return f"{name}:{source_id}"

    by_source: dict[tuple[str, int | None, int | None], list[int]] = {}
    for pk, kind, type_id, source_id in list(
        InboxEntry.objects.values_list("pk", "kind", "source_type_id", "source_id")
    ):
        if type_id is None or source_id is None:
            InboxEntry.objects.filter(pk=pk).update(
                key=key(pk, kind, None, None), title_format=kind if kind in WORDED else ""
            )
        else:
            by_source.setdefault((kind, type_id, source_id), []).append(pk)
    for (kind, type_id, source_id), pks in by_source.items():
        for start in range(0, len(pks), CHUNK):
            InboxEntry.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                key=key(pks[0], kind, type_id, source_id),
                title_format=kind if kind in WORDED else "",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_notice_outbox"),
        ("appeals", "0003_addressee_base_from_addressing"),
        ("aid", "0002_contribution_fulfilled_pledge"),
        ("notifications", "0005_worker_heartbeat_moved_to_core"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="inboxentry", name="unique_inbox_entry"),
        migrations.AlterField(
            model_name="inboxentry",
            name="key",
            field=models.CharField(blank=True, max_length=120, null=True),
        ),
        migrations.AlterField(
            model_name="inboxentry",
            name="title_format",
            field=models.CharField(blank=True, max_length=60, null=True),
        ),
        migrations.RenameField(model_name="inboxentry", old_name="title_params", new_name="params"),
        migrations.AddField(
            model_name="inboxentry",
            name="notice",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.notice",
            ),
        ),
        migrations.AddField(
            model_name="inboxentry",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="inboxentry",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(keys_to_sources, sources_to_keys),
    ]
