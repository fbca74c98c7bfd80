"""An organization of another server, accepted on this one (federation): the URL of its
ActivityPub actor, empty for this server's own.

Adding the field makes Django rebuild the organizations table on SQLite, which drops the search
index's triggers with the old table: migration 0009's index (`SEARCH`) is made again here (and,
going back, once the column is removed). Nothing to do on PostgreSQL: its indexes follow the
table."""

from importlib import import_module

from django.db import migrations, models


def _retrigger(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search = import_module("internationale.organizations.migrations.0009_organization_filter_text")
    search.SEARCH.create(schema_editor)


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
            field=models.URLField(
                blank=True, db_default="", default="", editable=False, max_length=500
            ),
        ),
        migrations.RunPython(_retrigger, migrations.RunPython.noop),
    ]
