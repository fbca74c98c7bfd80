"""On PostgreSQL, the library is searched by stems in each text's language (library/stems.py): a
word's other forms find it, in the reader's language and in the document's. SQLite keeps its
words found by their beginning (test_search.py)."""

import pytest
from django.db import connection

from internationale.library.search import document_search
from internationale.translation.models import LanguageVersion

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="stems are PostgreSQL's full-text search"
    ),
]

HUELGA = "El trabajador despedido pide el apoyo de los sindicatos hermanos."


def titles(page):  # type: ignore[no-untyped-def]
    return [document.title for document in page.documents]


def test_a_spanish_query_finds_a_spanish_document_by_the_stem_of_its_words(
    publish, owner_org, nell
):
    publish(owner_org, "Despido en la planta", HUELGA, language="es")
    publish(owner_org, "Annual accounts", "The accounts were approved by the congress.")
    # The reader reads in English: the query is also stemmed in the document's language.
    page = document_search(nell, "trabajadores", across_languages=False, reader_language="en")
    assert titles(page) == ["Despido en la planta"]


def test_a_private_spanish_document_is_not_found_by_its_stems_either(publish, owner_org, nell):
    publish(owner_org, "Despido en la planta", HUELGA, language="es", visibility="private")
    page = document_search(nell, "trabajadores", across_languages=False, reader_language="es")
    assert page.count == 0 and titles(page) == []


def test_a_query_in_the_readers_language_finds_a_document_by_its_version_in_that_language(
    publish, owner_org, nell
):
    document = publish(owner_org, "Greve no porto", "Os estivadores param o porto.", language="pt")
    LanguageVersion.objects.create(
        original=document,
        language="en",
        texts={"title": "Strike at the port", "body": "The dockers are striking at the port."},
        status="machine",
        source_hash="x",
    )
    page = document_search(nell, "strikes", across_languages=False, reader_language="en")
    assert titles(page) == ["Greve no porto"]


def test_a_document_in_a_language_postgresql_cannot_stem_is_still_found_by_its_words(
    publish, owner_org, nell
):
    publish(owner_org, "파업 소식", "금속노조 파업 소식입니다 노동자", language="ko")
    page = document_search(nell, "노동자", across_languages=False, reader_language="ko")
    assert titles(page) == ["파업 소식"]
