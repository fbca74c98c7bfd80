"""PostgreSQL only: the words of search_text and filter_text kept as stored vectors beside them
(`search_text_vector`, `filter_text_vector`: generated columns, `to_tsvector('simple', ...)`),
their GIN indexes on those columns instead of on the expressions (migrations 0007 and 0009), and
an index of the directory's order (name, id) that holds them too.

Testing a row against a search then reads a vector instead of making one from the text (about
ten times cheaper), and a walk of the directory's order tests each row in that index alone,
without the table: what makes walking the order the cheap way for a word that many
organizations have ("union": 7 ms → under 2 ms at 100,000 organizations, see
organizations.selectors.organization_found). The test is the same vector as the GIN index's,
so that both ways find the same rows.

The columns are not fields of the model: Django never writes them (PostgreSQL does, on every
insert and update), and SQLite has its FTS5 table instead. A later migration that changes the
type of search_text or filter_text on PostgreSQL must drop these columns first and make them
again after (`unindex`, then `index`).
"""

from django.db import migrations

TABLE = "organizations_organization"
FORWARD = [
    f"""ALTER TABLE {TABLE}
        ADD COLUMN search_text_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED,
        ADD COLUMN filter_text_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, filter_text)) STORED""",
    f"CREATE INDEX organization_search_vector ON {TABLE} USING gin (search_text_vector)",
    f"CREATE INDEX organization_filter_vector ON {TABLE} USING gin (filter_text_vector)",
    f"""CREATE INDEX organization_directory_words ON {TABLE} (name, id)
        INCLUDE (verified_at, search_text_vector, filter_text_vector)""",
    "DROP INDEX IF EXISTS organization_search",
    "DROP INDEX IF EXISTS organization_filter",
    f"ANALYZE {TABLE}",
]
BACKWARD = [
    f"""CREATE INDEX IF NOT EXISTS organization_search ON {TABLE}
        USING gin (to_tsvector('simple'::regconfig, search_text))""",
    f"""CREATE INDEX IF NOT EXISTS organization_filter ON {TABLE}
        USING gin (to_tsvector('simple'::regconfig, filter_text))""",
    "DROP INDEX IF EXISTS organization_directory_words",
    "DROP INDEX IF EXISTS organization_search_vector",
    "DROP INDEX IF EXISTS organization_filter_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_text_vector,"
    " DROP COLUMN IF EXISTS filter_text_vector",
]


def index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0010_organization_remote_actor_url"),
    ]

    operations = [migrations.RunPython(index, unindex)]
