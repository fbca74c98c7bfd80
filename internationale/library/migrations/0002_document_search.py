"""The library's search: the words of each document (search_text, made by library/indexing.py
with core/search.py), indexed by SQLite's FTS5 or by a GIN index of PostgreSQL's full text.

On SQLite, `library_search` is an FTS5 table over search_text (external content: it holds only
the index), kept in step by triggers. A later migration that makes Django rebuild the documents
table on SQLite (some AlterField) drops those triggers with the old table: it must create them
again (`SEARCH.create`), or the search tests fail.
"""

from django.db import migrations

from internationale.core.search import Fts5Index, indexed_text

SEARCH = Fts5Index("library_search", "library_document", ["search_text"])
POSTGRESQL_INDEX = """
CREATE INDEX library_document_search ON library_document
USING gin (to_tsvector('simple'::regconfig, search_text))
"""


def fill(apps, schema_editor):
    """The words of the documents there already are (none, on a new platform)."""
    Document = apps.get_model("library", "Document")
    DocumentFile = apps.get_model("library", "DocumentFile")
    LanguageVersion = apps.get_model("translation", "LanguageVersion")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="library", model="document").first()
    batch = []
    for document in Document.objects.iterator(500):
        versions = LanguageVersion.objects.filter(content_type=kind, object_id=document.pk)
        texts = [document.title, document.summary, document.body]
        texts += [text for version in versions for text in version.texts.values()]
        texts += DocumentFile.objects.filter(document=document).values_list("text", flat=True)
        document.search_text = indexed_text(*map(str, texts))
        batch.append(document)
        if len(batch) >= 500:
            Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    Document.objects.bulk_update(batch, ["search_text"])


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
        schema_editor.execute("DROP INDEX IF EXISTS library_document_search")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("translation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(index, unindex),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
