"""The library's search by stems on PostgreSQL (library/stems.py): one row per document, its
original's text search configuration and the tsvector of its texts, each made in its language,
with a GIN index. Nothing on SQLite, which keeps its FTS5 words.

No foreign key: Django does not know this table, and its flush (tests) truncates the documents
without CASCADE; a document's row goes with it by a signal (indexing.py), and a row left behind
matches nothing, since searches start from the documents."""

from django.db import migrations

CREATE = """
CREATE TABLE library_search_stems (
    document_id bigint PRIMARY KEY,
    config regconfig NOT NULL,
    stems tsvector NOT NULL
);
CREATE INDEX library_search_stems_gin ON library_search_stems USING gin (stems)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS library_search_stems")


def fill(apps, schema_editor):
    """The stems of the documents there already are, as library/stems.py writes them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from internationale.library import stems

    stems.available.cache_clear()
    stems.write_all()


class Migration(migrations.Migration):
    dependencies = [("library", "0003_vector_computed_index")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
