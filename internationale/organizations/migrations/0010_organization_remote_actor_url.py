"""An organization of another server, accepted on this one (federation): the URL of its
ActivityPub actor, empty for this server's own.

Adding the field makes Django rebuild the organizations table on SQLite, which drops the search
index's triggers (migration 0009's `SQLITE_TRIGGERS`) with the old table: they are made again
here, and the index rebuilt. Nothing to do on PostgreSQL (its indexes follow the table)."""

from importlib import import_module

from django.db import migrations, models


def _retrigger(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search = import_module("internationale.organizations.migrations.0009_organization_filter_text")
    for name in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS organizations_search_{name}")
    for statement in search.SQLITE_TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute(
        "INSERT INTO organizations_search(organizations_search) VALUES ('rebuild')"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0009_organization_filter_text"),
    ]

    operations = [
        # Back from here, the triggers are made again once the column is gone (the table rebuilt).
        migrations.RunPython(migrations.RunPython.noop, _retrigger),
        migrations.AddField(
            model_name="organization",
            name="remote_actor_url",
            field=models.URLField(blank=True, editable=False, max_length=500),
        ),
        migrations.RunPython(_retrigger, migrations.RunPython.noop),
    ]
