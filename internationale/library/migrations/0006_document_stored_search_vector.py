"""PostgreSQL only: the words of `search_text` kept as a stored vector beside them
(`search_text_vector`, a generated column, `to_tsvector('simple', search_text)`), its GIN index
(without a pending list, as 0005) on that column instead of on the expression (0002).

Ranking the matches of a word (`ts_rank`) then reads each match's vector instead of making it
again from the text: a word that many documents hold is ranked on all of its readable matches,
and that was the cost of such a search. The test is the same vector as before, so the same
documents are found, in the same order.

The column is not a field of the model: Django never writes it (PostgreSQL does, on every insert
and update), and SQLite has its FTS5 table instead. A later migration that changes the type of
search_text on PostgreSQL must drop this column first and make it again after (`unindex`, then
`index`), as organizations 0011 says of the directory's.
"""

from django.db import migrations

TABLE = "library_document"
FORWARD = [
    f"""ALTER TABLE {TABLE}
        ADD COLUMN search_text_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED""",
    f"""CREATE INDEX library_document_search_vector ON {TABLE}
        USING gin (search_text_vector) WITH (fastupdate = off)""",
    "DROP INDEX IF EXISTS library_document_search",
    f"ANALYZE {TABLE}",
]
BACKWARD = [
    f"""CREATE INDEX IF NOT EXISTS library_document_search ON {TABLE}
        USING gin (to_tsvector('simple'::regconfig, search_text)) WITH (fastupdate = off)""",
    "DROP INDEX IF EXISTS library_document_search_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_text_vector",
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
    dependencies = [("library", "0005_search_gin_without_pending_list")]

    operations = [migrations.RunPython(index, unindex)]
