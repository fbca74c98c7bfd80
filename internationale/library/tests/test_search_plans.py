"""On PostgreSQL, a search for a rare word reads its matches through the GIN indexes (the words',
library 0006; the stems', 0004; both without a pending list, 0005), not every readable document:
it costs what its matches cost, not what the library's size does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from internationale.core.search import indexed_text
from internationale.library import stems
from internationale.library.models import Document
from internationale.library.search import document_search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL"),
]

SENTENCES = {
    "en": "The workers of the factory have been on strike since Monday.",
    "es": "Los trabajadores de la fábrica están en huelga desde el lunes.",
    "pt": "Os trabalhadores da fábrica estão em greve desde segunda-feira.",
}


def library(organization) -> None:  # type: ignore[no-untyped-def]
    """600 public documents in three languages, saved as the bulk loads save them; one holds
    "aardvarks"."""
    documents = []
    for n in range(600):
        language = sorted(SENTENCES)[n % 3]
        body = SENTENCES[language] + (" The aardvarks." if n == 300 else "")
        title = f"Report {n}"
        documents.append(
            Document(
                organization=organization,
                kind="news",
                title=title,
                body=body,
                language=language,
                visibility="public",
                search_text=indexed_text(title, "", body),
            )
        )
    stems.write(Document.objects.bulk_create(documents))
    with connection.cursor() as cursor:
        # What autovacuum does after such a load: the statistics the plans are chosen from.
        cursor.execute("ANALYZE library_document")
        cursor.execute("ANALYZE library_search_stems")


def plan(query: str) -> str:
    """The plan of the statement `document_search` reads its lists of `query`'s matches with
    (the words' and the stems'), a table read whole (or walked whole in its primary key's
    order) forbidden: 600 rows are cheapest read whole, so this asks whether an index of words
    could serve, as on a larger library."""
    with CaptureQueriesContext(connection) as captured:
        page = document_search(AnonymousUser(), query, across_languages=False)
    assert [document.title for document in page.documents] == ["Report 300"]
    (sql,) = [
        run["sql"] for run in captured.captured_queries if "library_search_stems" in run["sql"]
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_on_postgresql_a_rare_word_is_read_from_the_indexes_of_words_and_stems_not_every_document(
    owner_org,
):
    library(owner_org)
    # Each document's words are in the indexes as soon as it is saved: no list of them waits
    # beside the index for every search to read whole (library 0005).
    with connection.cursor() as cursor:
        for index in ("library_document_search_vector", "library_search_stems_gin"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone()[0] == 0, index
    found = plan("aardvarks")
    assert "Bitmap Index Scan on library_document_search_vector" in found, found
    # The stems of the query in every configuration served, in one lookup of their index.
    assert found.count("Bitmap Index Scan on library_search_stems_gin") == 1, found
    assert "Seq Scan on library_document" not in found, found
    assert "Seq Scan on library_search_stems" not in found, found
