"""The directory's filters as words (filter_text: country, regions, kind, sectors, languages) in the
index of its search: a filter, or a combination of them, with or without a search, is one lookup
in the index instead of joins over every organization.

On SQLite, `organizations_search` becomes an FTS5 table of two columns (search_text, filter_text),
searched one column at a time. Adding the field makes Django rebuild the organizations table on
SQLite, which drops the triggers of migration 0007 with the old table: they are made again here,
for both columns. A later migration that rebuilds the table must make them again in the same way
(`SEARCH.create`), or the search and filter tests fail. On PostgreSQL, a GIN index on
`to_tsvector('simple', filter_text)`, beside migration 0007's on search_text.
"""

from importlib import import_module

from django.db import migrations, models

from internationale.core.search import Fts5Index

SEARCH = Fts5Index(
    "organizations_search", "organizations_organization", ["search_text", "filter_text"]
)
POSTGRESQL_INDEX = """
CREATE INDEX organization_filter ON organizations_organization
USING gin (to_tsvector('simple'::regconfig, filter_text))
"""


def fill(apps, schema_editor):
    from internationale.organizations.models import organization_filter_text

    Organization = apps.get_model("organizations", "Organization")
    OrganizationLanguage = apps.get_model("organizations", "OrganizationLanguage")
    OrganizationSector = apps.get_model("organizations", "OrganizationSector")
    tags, codes = {}, {}
    for pk, tag in OrganizationLanguage.objects.order_by("id").values_list("organization", "tag"):
        tags.setdefault(pk, []).append(tag)
    for pk, code in OrganizationSector.objects.values_list("organization", "code"):
        codes.setdefault(pk, []).append(code)
    batch = []
    for org in Organization.objects.only("pk", "country", "kind").iterator(2000):
        org.filter_text = organization_filter_text(
            str(org.country), org.kind, tags.get(org.pk, []), codes.get(org.pk, [])
        )
        batch.append(org)
        if len(batch) >= 2000:
            Organization.objects.bulk_update(batch, ["filter_text"])
            batch = []
    Organization.objects.bulk_update(batch, ["filter_text"])


def index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        SEARCH.create(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INDEX)


def unindex(apps, schema_editor):
    """Back to migration 0007's index of search_text alone."""
    earlier = import_module("internationale.organizations.migrations.0007_organization_search")
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        earlier.SEARCH.create(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organization_filter")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0008_organization_language_upper_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="filter_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(index, unindex),
    ]
