"""On PostgreSQL, the library is also searched by stems, in each text's own language: a Spanish
document written with "trabajador" is found by "trabajadores", an English one with "striking" by
"strikes".

Each document has one row in `library_search_stems` (migration 0004, PostgreSQL only): its
`stems`, the tsvector of its original (title, summary, body and its files' text) made with the
text search configuration of the original's language, joined with the tsvector of each language
version made with the version's; and `config`, the original's. A language PostgreSQL has no
configuration for (Korean, Chinese, Swahili…) is made with 'simple' (words as written, no stems).

A query is stemmed in the reader's language and in each document's: a row matches when its stems
hold the query's stems in the reader's configuration, or in the configuration of its original.

SQLite keeps what it has (core/search.py's words, by their beginning, without stems): FTS5 has no
stemmer for most of these languages. The words (search.py's first list) still apply on
PostgreSQL too; the stems add what they miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from internationale.translation import detection
from internationale.translation.content import primary
from internationale.translation.models import LanguageVersion

from .models import Document, DocumentFile

TABLE = "library_search_stems"
SIMPLE = "simple"
# The configurations PostgreSQL's snowball stemmers bring (those it has are checked at run time,
# `available`), by the language's primary code.
CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def enabled() -> bool:
    return connection.vendor == "postgresql"


@cache
def available() -> frozenset[str]:
    """The text search configurations of this PostgreSQL server (read once per process)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
        return frozenset(row[0] for row in cursor.fetchall())


def config_for(language: str) -> str:
    """The configuration a text in `language` (a BCP 47 tag) is stemmed with: 'simple' when
    PostgreSQL has none for it."""
    name = CONFIGS.get(primary(language or "").lower(), SIMPLE)
    return name if name in available() else SIMPLE


def served_configs() -> list[str]:
    """The configurations of the languages this server serves and detects: those the documents'
    originals are stemmed with, in practice."""
    return sorted({config_for(language) for language in detection.languages()} - {SIMPLE})


def write(documents: Sequence[Document]) -> None:
    """Write the stems of these documents (as they are in the database, with their versions and
    files): one statement for all of them. Nothing on SQLite."""
    if not enabled() or not documents:
        return
    ids = [document.pk for document in documents]
    kind = ContentType.objects.get_for_model(Document)
    versions: dict[int, list[tuple[str, str]]] = {}
    for object_id, language, texts in LanguageVersion.objects.filter(
        content_type=kind, object_id__in=ids
    ).values_list("object_id", "language", "texts"):
        text = "\n".join(str(value) for value in dict(texts).values())
        versions.setdefault(object_id, []).append((language, text))
    files: dict[int, list[str]] = {}
    for document_id, text in DocumentFile.objects.filter(document_id__in=ids).values_list(
        "document_id", "text"
    ):
        files.setdefault(document_id, []).append(text)
    rows: list[str] = []
    params: list[int | str] = []
    for document in documents:
        config = config_for(document.language)
        original = "\n".join(
            [document.title, document.summary, document.body, *files.get(document.pk, [])]
        )
        parts = [
            (config, original),
            *((config_for(lang), t) for lang, t in versions.get(document.pk, [])),
        ]
        vector = " || ".join("to_tsvector(%s::regconfig, %s)" for _part in parts)
        rows.append(f"(%s, %s::regconfig, {vector})")
        params += [document.pk, config]
        params += [value for part in parts for value in part]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (document_id, config, stems) VALUES {', '.join(rows)} "  # noqa: S608 (constant SQL; values are parameters)
            "ON CONFLICT (document_id) DO UPDATE "
            "SET config = EXCLUDED.config, stems = EXCLUDED.stems",
            params,
        )


def forget(document_id: int) -> None:
    """A deleted document's stems go with it."""
    if enabled():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = %s", [document_id])  # noqa: S608 (constant)


def write_all(batch: int = 1000) -> None:
    """The stems of every document (after a bulk load, or when the configurations changed)."""
    documents = Document.objects.order_by("pk").only("pk", "title", "summary", "body", "language")
    chunk: list[Document] = []
    for document in documents.iterator(batch):
        chunk.append(document)
        if len(chunk) == batch:
            write(chunk)
            chunk = []
    write(chunk)


def found(query: str, reader_language: str) -> Q:
    """The documents whose stems hold the query's, stemmed in the reader's language or in the
    language of their original (PostgreSQL only).

    One GIN index lookup answers it: the query stemmed in every configuration, OR-ed into one
    tsquery (`stems @@ (a || b || …)`), finds every row that may match; the exact test (a row's
    own configuration's stems, or the reader's) is then made on those rows only. An OR of one
    test per configuration, as it was, let the planner read every row of the table instead."""
    reader = config_for(reader_language)
    configs = [reader, *(config for config in served_configs() if config != reader)]
    any_config = " || ".join("plainto_tsquery(%s::regconfig, %s)" for _config in configs)
    tests = ["stems @@ plainto_tsquery(%s::regconfig, %s)"]
    params: list[str] = [value for config in configs for value in (config, query)]
    params += [reader, query]
    for config in configs[1:]:
        tests.append("(config = %s::regconfig AND stems @@ plainto_tsquery(%s::regconfig, %s))")
        params += [config, config, query]
    sql = (
        f"SELECT document_id FROM {TABLE} WHERE stems @@ ({any_config})"  # noqa: S608 (constant)
        f" AND ({' OR '.join(tests)})"
    )
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 (constant SQL; the query is a parameter)


def rank(query: str, reader_language: str) -> RawSQL:
    """How well a document's stems hold the query in the reader's language (0 without a row)."""
    sql = (
        f"COALESCE((SELECT ts_rank(s.stems, plainto_tsquery(%s::regconfig, %s)) FROM {TABLE} s "  # noqa: S608 (constant)
        "WHERE s.document_id = library_document.id), 0)"
    )
    return RawSQL(sql, [config_for(reader_language), query])  # noqa: S611 (the query is a parameter)
