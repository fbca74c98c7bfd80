"""Who may read each document, kept in memory beside the vectors (vectors.py), for the search by
meaning: the documents a reader may read are found by a few array operations, without a query.

The search by meaning ranks every document the reader may read (some 55,000 of 100,000 for an
anonymous reader). Reading their ids from the database took most of a search (some 230 ms at
100,000 documents on a busy machine); here each process keeps, for every document, by its id:
its level (public, network, addressed, private), its organization, its kind and its language,
and the documents addressed to each organization. The readable set is then the decision of the
documents' audience (core/visibility.py, `Document.audience`), taken over the arrays:

    its organization is one of the reader's
    or it is public
    or it is shared with the network and the reader is in it
    or it is not private and is addressed to one of the reader's organizations

`test_search_audience.py` holds it to `Document.objects.visible_to` for every persona.

The copy follows the database through a version shared by every process (core/versions.py,
`SharedVersions("library-audience")`): every save or deletion of a document or of an addressee
changes it in its own transaction (signals, and `changed()` where addressees are inserted in bulk),
and a search that finds it changed reads the copy again (some 100,000 short rows, once per change
and process) before it answers. Reading the version is one query by primary key.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from django.db import connections, router

from internationale.core.actors import ViewerLike
from internationale.core.versions import SharedVersions
from internationale.core.visibility import ADDRESSED, NETWORK, PRIVATE, PUBLIC, Viewer

from .models import Document, DocumentAddressee

versions = SharedVersions("library-audience")
KEY = "all"
LEVELS = {PRIVATE: 0, ADDRESSED: 1, NETWORK: 2, PUBLIC: 3}


def changed() -> None:
    """The audience of some document changed in a way no signal tells (addressees inserted in
    bulk): every process reads its copy again at its next search."""
    versions.change(KEY)


def follow() -> None:
    """Change the version with every save and deletion of a document or of an addressee. Called
    when the app is ready."""
    for model in (Document, DocumentAddressee):
        versions.follow(model, key=lambda _instance: KEY, dispatch_uid="library-audience")


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connections[router.db_for_read(Document)].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


class _Audience:
    """The arrays, by document id (a document that does not exist has level -1)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: int | None = None
        self.level = np.full(0, -1, dtype=np.int8)
        self.owner = np.zeros(0, dtype=np.int64)
        self.kind = np.zeros(0, dtype=np.int16)
        self.language = np.zeros(0, dtype=np.int16)
        self.kinds: dict[str, int] = {}
        self.languages: dict[str, int] = {}
        self.addressed: dict[int, np.ndarray] = {}

    def _read(self) -> None:
        table = Document._meta.db_table
        rows = _rows(
            f"SELECT id, organization_id, visibility, kind, language FROM {table}"  # noqa: S608
        )
        size = (max(row[0] for row in rows) + 1) if rows else 0
        level = np.full(size, -1, dtype=np.int8)
        owner = np.zeros(size, dtype=np.int64)
        kind = np.zeros(size, dtype=np.int16)
        language = np.zeros(size, dtype=np.int16)
        kinds: dict[str, int] = {}
        languages: dict[str, int] = {}
        if rows:
            ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            owner[ids] = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
            level[ids] = np.fromiter(
                (LEVELS.get(row[2], -1) for row in rows), dtype=np.int8, count=len(rows)
            )
            kind[ids] = np.fromiter(
                (kinds.setdefault(row[3], len(kinds)) for row in rows),
                dtype=np.int16,
                count=len(rows),
            )
            language[ids] = np.fromiter(
                (languages.setdefault(row[4].lower(), len(languages)) for row in rows),
                dtype=np.int16,
                count=len(rows),
            )
        by_organization: dict[int, list[int]] = {}
        addressees = DocumentAddressee._meta.db_table
        for document_id, organization_id in _rows(
            f"SELECT document_id, organization_id FROM {addressees}"  # noqa: S608
        ):
            by_organization.setdefault(organization_id, []).append(document_id)
        self.level, self.owner, self.kind, self.language = level, owner, kind, language
        self.kinds, self.languages = kinds, languages
        self.addressed = {
            org: np.asarray(ids, dtype=np.int64) for org, ids in by_organization.items()
        }

    def refresh(self) -> None:
        version = versions.get(KEY)
        if version != self.seen:
            self._read()
            self.seen = version

    def readable(self, who: Viewer, *, kind: str = "", language: str = "") -> np.ndarray:
        """The ids of the documents the viewer may read, of this kind and original language
        (any, when blank), ascending."""
        with self.lock:
            self.refresh()
            level = self.level
            mask = level == LEVELS[PUBLIC]
            if who.network:
                mask |= level == LEVELS[NETWORK]
            if who.mine:
                mask |= np.isin(self.owner, list(who.mine))
                for organization in who.mine:
                    ids = self.addressed.get(organization)
                    if ids is not None:
                        ids = ids[ids < len(level)]
                        mask[ids] |= level[ids] > LEVELS[PRIVATE]
            if kind:
                code = self.kinds.get(kind)
                if code is None:
                    return np.zeros(0, dtype=np.int64)
                mask &= self.kind == code
            if language:
                wanted = language.lower()
                codes = [
                    code
                    for tag, code in self.languages.items()
                    if tag == wanted or tag.startswith(f"{wanted}-")
                ]
                mask &= np.isin(self.language, codes)
            return np.flatnonzero(mask)


_audience = _Audience()


def forget() -> None:
    """Drop the copy in memory (tests that roll the database back use it)."""
    global _audience
    _audience = _Audience()


def readable_ids(viewer: ViewerLike, *, kind: str = "", language: str = "") -> np.ndarray:
    """The ids of the documents the viewer may read, of this kind and original language."""
    return _audience.readable(Viewer(viewer), kind=kind, language=language)
