"""The directory's search: the words of each organization (search_text, made by core/search.py),
indexed by SQLite's FTS5 or by a GIN index of PostgreSQL's full text.

On SQLite, `organizations_search` is an FTS5 table over search_text (external content: it holds
only the index), kept in step by triggers. A later migration that makes Django rebuild the
organizations table on SQLite (some AlterField) drops those triggers with the old table: it
must create them again (`SEARCH.create`), or the search tests fail. Migration 0009 did (adding
filter_text): its `SEARCH`, over both columns, is the one to make again since.
"""

from django.db import migrations, models

from internationale.core.search import Fts5Index, indexed_text

SEARCH = Fts5Index("organizations_search", "organizations_organization", ["search_text"])
POSTGRESQL_INDEX = """
CREATE INDEX organization_search ON organizations_organization
USING gin (to_tsvector('simple'::regconfig, search_text))
"""


def fill(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    batch = []
    for org in Organization.objects.only("pk", "name", "short_name", "city").iterator(2000):
        org.search_text = indexed_text(org.name, org.short_name, org.city)
        batch.append(org)
        if len(batch) >= 2000:
            Organization.objects.bulk_update(batch, ["search_text"])
            batch = []
    Organization.objects.bulk_update(batch, ["search_text"])


def index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        SEARCH.create(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INDEX)


def unindex(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        SEARCH.drop(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organization_search")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_relation_visibility_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(index, unindex),
    ]
