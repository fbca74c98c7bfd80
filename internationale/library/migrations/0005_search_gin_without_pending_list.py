"""PostgreSQL only: the library's two GIN indexes (the words', migration 0002; the stems', 0004)
without their pending list (`fastupdate = off`).

With a pending list, PostgreSQL adds each new or changed document's words to an unsorted list
that every search reads whole, until a VACUUM (autovacuum's, or the list passing
`gin_pending_list_limit`, 4 MB) merges it into the index. The planner prices that reading: with
thousands of documents in the list it tested every readable document's words instead (a rare
word as slow as a common one, 50 ms at 5,000 documents), and the index served nothing. Without
it, each write puts its words in the index at once (a little slower to save a document) and a
search reads only its matches. The lists there are are merged now."""

from django.db import migrations

INDEXES = ["library_document_search", "library_search_stems_gin"]


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_stems")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
