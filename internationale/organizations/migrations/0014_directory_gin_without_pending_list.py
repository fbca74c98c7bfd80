"""PostgreSQL only: the directory's two GIN indexes of words (migration 0011) without their
pending list (`fastupdate = off`), as the library's (library 0005).

With a pending list, PostgreSQL adds each new or changed organization's words to an unsorted list
that every search reads whole until a VACUUM merges it into the index; the planner prices that
reading, and after a bulk load (an import, a day of sign-ups) it tests every row instead of
reading the matches from the index. Without it, each write puts its words in the index at once (a
little slower to save an organization) and a search reads only its matches. The lists there are
are merged now."""

from django.db import migrations

INDEXES = ["organization_search_vector", "organization_filter_vector"]


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
    dependencies = [("organizations", "0013_erased_slug")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
