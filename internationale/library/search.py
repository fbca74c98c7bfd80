"""Searching the library: by words, in the language they were written or translated in, and
across languages, by meaning. One selector, `document_search`, for pages and the API.

- By words: `Document.search_text` (the words of the original, of every language version and of
  the files' text: indexing.py), indexed by SQLite's FTS5 table `library_search` or by
  PostgreSQL's GIN index on its stored vector, `search_text_vector` (migrations 0002, 0006). Words are
  made in Python by core/search.py, the same for both databases: case and accents do not count,
  words are found by their beginning, Chinese and Japanese by their characters. Ranked by BM25
  on SQLite, by ts_rank on PostgreSQL. On PostgreSQL, also by stems, each text stemmed in its
  own language and the query in the reader's and the document's (stems.py): "trabajadores"
  finds "trabajador".
- Across languages: the query's multilingual sentence vector against the documents' (vectors.py),
  so that "strike at the factory" finds "Greve na fábrica".

The two lists are merged by reciprocal rank: a document high in either is high in the result.
Both start from the documents the viewer may read (`Document.objects.visible_to`), filtered by
kind and language: nothing the viewer may not read is matched, ranked or counted.

Counts stop at COUNTED_AT_MOST ("more than 1,000"), and so do pages: narrower words or filters go
further.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from internationale.core.actors import ViewerLike, person
from internationale.core.search import fts5_query, search_filter, tsquery, words

from . import audience, stems, vectors
from .models import Document

COUNTED_AT_MOST = 1000
# How many of the nearest documents by meaning join the result.
NEAREST_AT_MOST = 50
# Reciprocal rank fusion's constant (Cormack et al., 2009): 1 / (K + rank) from each list.
RRF_K = 60
MAX_QUERY_LENGTH = 200


@dataclass
class SearchPage:
    documents: list[Document]  # this page's, best first
    count: int  # up to COUNTED_AT_MOST
    more: bool  # more than `count` were found
    # The ids of this page's documents found by meaning only (not by their words).
    by_meaning: set[int] = field(default_factory=set)

    @property
    def found(self) -> bool:
        return self.count > 0


def searchable(viewer: ViewerLike, *, language: str = "", kind: str = "") -> QuerySet[Document]:
    """The documents the viewer may read, of this kind and original language (any when blank)."""
    qs = Document.objects.visible_to(viewer)
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(Q(language__iexact=language) | Q(language__istartswith=f"{language}-"))
    return qs


def readable_ids(qs: QuerySet[Document]) -> np.ndarray:
    """The ids of `qs` as one array, read by the database cursor. The search by meaning reads them
    from memory instead (audience.py); the benchmark compares the two."""
    sql, params = qs.order_by().values_list("pk").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


def ranked_by_words(
    qs: QuerySet[Document], query: str, *, at_most: int, reader_language: str = ""
) -> list[int]:
    """The ids of the documents of `qs` holding every word of the query, best first. On
    PostgreSQL, also those holding its stems, in the reader's language (`reader_language`, else
    the active one) or their original's (stems.py)."""
    if connection.vendor == "sqlite":
        # A join with the FTS5 table, where BM25 is read (rank), rather than core/search.py's
        # `id IN (…)`, which cannot rank.
        ranked = qs.extra(  # noqa: S610 (constant SQL; the query is a parameter)
            tables=["library_search"],
            where=["library_search.rowid = library_document.id", "library_search MATCH %s"],
            params=[f"search_text : ({fts5_query(query)})"],
            select={"words_rank": "library_search.rank"},
            order_by=["words_rank", "-created_at"],
        )
        return list(ranked.values_list("pk", flat=True)[:at_most])
    # The stored vector (migration 0006): tested and ranked without making it from the text.
    found = search_filter(query, column="search_text", fts_table="library_search", stored=True)
    if found is None:
        return []
    reader = reader_language or get_language() or ""
    rank = RawSQL(
        "ts_rank(library_document.search_text_vector, to_tsquery('simple'::regconfig, %s))",
        [tsquery(query)],
    )
    ranked_pg = qs.filter(found).annotate(words_rank=rank).order_by("-words_rank", "-created_at")
    # The stems in a list of their own: an OR of the two tests would keep either index from
    # serving it (a scan of every readable document, 0.5 s at 20,000 under load). Both lists are
    # read in one statement, each ranked and cut in its own subquery (its matches only, read
    # through its GIN index), as two arrays that keep their order.
    ranked_stems = (
        qs.filter(stems.found(query, reader))
        .annotate(stems_rank=stems.rank(query, reader))
        .order_by("-stems_rank", "-created_at")
    )
    words_sql, words_params = ranked_pg.values_list("pk")[:at_most].query.sql_with_params()
    stems_sql, stems_params = ranked_stems.values_list("pk")[:at_most].query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT ARRAY({words_sql}), ARRAY({stems_sql})", (*words_params, *stems_params)
        )
        by_words, by_stems = cursor.fetchone()
    return fused(by_words, by_stems)[:at_most] if by_stems else by_words


def fused(*lists: list[int]) -> list[int]:
    """Reciprocal rank fusion: ids by the sum of 1 / (RRF_K + rank) over the lists they are in."""
    scores: dict[int, float] = {}
    for ranked in lists:
        for rank, pk in enumerate(ranked, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda pk: -scores[pk])


def reader_of(viewer: ViewerLike, session_key: str | None = None) -> str:
    """Whom the vector of a search's query is kept for, in the process (vectors.py,
    `_QueryVectors`), so that a reader paging through what a search found, or asking it again,
    does not wait for the model again: a signed-in person, by their id (their pages and the API
    alike); an anonymous visitor by their session, when their browser holds one; else no one,
    and the query is embedded on each search. Never shared between readers: how fast a search
    answers would tell whether someone else had asked the same."""
    user = person(viewer)
    if user is not None:
        return f"person:{user.pk}"
    return f"session:{session_key}" if session_key else ""


def document_search(
    viewer: ViewerLike,
    query: str,
    *,
    language: str = "",
    kind: str = "",
    limit: int = 20,
    offset: int = 0,
    across_languages: bool = True,
    reader_language: str = "",
    reader: str = "",
) -> SearchPage:
    """A page of the documents the viewer may read that the query finds, best first, and how
    many there are (up to COUNTED_AT_MOST). A query without words finds nothing. `reader`
    (`reader_of`): whom the query's vector is kept for; blank, no one."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not words(query):
        return SearchPage([], 0, False)
    qs = searchable(viewer, language=language, kind=kind)
    by_words = ranked_by_words(
        qs, query, at_most=COUNTED_AT_MOST + 1, reader_language=reader_language
    )
    more = len(by_words) > COUNTED_AT_MOST
    by_words = by_words[:COUNTED_AT_MOST]
    by_meaning: list[int] = []
    if across_languages and vectors.enabled():
        # The same documents as `qs`, from the copy of their audience each process keeps: no
        # query for the ~55,000 ids a search by meaning ranks at 100,000 documents.
        ids = audience.readable_ids(viewer, kind=kind, language=language)
        by_meaning = [
            pk for pk, _score in vectors.nearest(query, ids, limit=NEAREST_AT_MOST, reader=reader)
        ]
    merged = fused(by_words, by_meaning) if by_meaning else by_words
    more = more or len(merged) > COUNTED_AT_MOST
    merged = merged[:COUNTED_AT_MOST]
    page_ids = merged[offset : offset + limit]
    rows = Document.objects.filter(pk__in=page_ids).select_related("organization")
    by_id = {document.pk: document for document in rows}
    documents = [by_id[pk] for pk in page_ids if pk in by_id]
    words_found = set(by_words)
    return SearchPage(
        documents,
        count=len(merged),
        more=more,
        by_meaning={pk for pk in page_ids if pk not in words_found},
    )
