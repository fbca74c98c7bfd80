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
and a search that finds it changed reads what changed before it answers: the documents saved
since the latest change it read (and a margin), the addressees added since the last one, and the
counts of both; only when rows were deleted (the counts differ) does it read everything again
(100,000 short rows: a second and a half on the busy 2-core machine, see bench/README.md).
Reading the version is one query by primary key.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

import numpy as np
from django.db import connections, router
from django.db.models import Max

from internationale.core.actors import ViewerLike
from internationale.core.versions import SharedVersions
from internationale.core.visibility import ADDRESSED, NETWORK, PRIVATE, PUBLIC, Viewer

from .models import Document, DocumentAddressee

versions = SharedVersions("library-audience")
KEY = "all"
LEVELS = {PRIVATE: 0, ADDRESSED: 1, NETWORK: 2, PUBLIC: 3}
# Documents saved this long before the latest change read are read again at each refresh: a
# transaction that committed after a later one is not missed.
MARGIN = datetime.timedelta(minutes=5)


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
        self._reset()

    def _reset(self) -> None:
        self.level = np.full(0, -1, dtype=np.int8)
        self.owner = np.zeros(0, dtype=np.int64)
        self.kind = np.zeros(0, dtype=np.int16)
        self.language = np.zeros(0, dtype=np.int16)
        self.kinds: dict[str, int] = {}
        self.languages: dict[str, int] = {}
        self.addressed: dict[int, np.ndarray] = {}
        # What was read: the latest change of a document, the last addressee, how many of each.
        self.latest: datetime.datetime | None = None
        self.last_addressee = 0
        self.addressees = 0

    def _grow(self, size: int) -> None:
        if size <= len(self.level):
            return
        size = max(size, 2 * len(self.level), 1024)
        for name, fill in (("level", -1), ("owner", 0), ("kind", 0), ("language", 0)):
            old = getattr(self, name)
            grown = np.full(size, fill, dtype=old.dtype)
            grown[: len(old)] = old
            setattr(self, name, grown)

    def _apply(self, rows: list[tuple[Any, ...]]) -> None:
        """Set the audience of these documents: (id, organization, visibility, kind, language)."""
        if not rows:
            return
        n = len(rows)
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=n)
        self._grow(int(ids.max()) + 1)
        kinds, languages = self.kinds, self.languages
        self.owner[ids] = np.fromiter((row[1] for row in rows), dtype=np.int64, count=n)
        self.level[ids] = np.fromiter((LEVELS.get(row[2], -1) for row in rows), np.int8, n)
        self.kind[ids] = np.fromiter(
            (kinds.setdefault(row[3], len(kinds)) for row in rows), np.int16, n
        )
        self.language[ids] = np.fromiter(
            (languages.setdefault(row[4].lower(), len(languages)) for row in rows), np.int16, n
        )

    def _apply_addressees(self, rows: list[tuple[int, int, int]]) -> None:
        """Add addressees: (id, document, organization)."""
        by_organization: dict[int, list[int]] = {}
        for pk, document_id, organization_id in rows:
            by_organization.setdefault(organization_id, []).append(document_id)
            self.last_addressee = max(self.last_addressee, pk)
        for organization, ids in by_organization.items():
            added = np.asarray(ids, dtype=np.int64)
            known = self.addressed.get(organization)
            self.addressed[organization] = (
                added if known is None else np.concatenate([known, added])
            )
        self.addressees += len(rows)

    def _read_all(self) -> None:
        self._reset()
        self.latest = Document.objects.aggregate(latest=Max("updated_at"))["latest"]
        table = Document._meta.db_table
        self._apply(
            _rows(f"SELECT id, organization_id, visibility, kind, language FROM {table}")  # noqa: S608
        )
        self._read_addressees()

    def _read_addressees(self) -> None:
        self.addressed, self.last_addressee, self.addressees = {}, 0, 0
        table = DocumentAddressee._meta.db_table
        self._apply_addressees(
            _rows(f"SELECT id, document_id, organization_id FROM {table}")  # noqa: S608
        )

    def _read_changes(self) -> bool:
        """Read what changed since the last read: the documents saved since (and a margin, for
        a transaction that committed after a later one), the addressees added since. False when
        rows were deleted (the counts differ): then everything is read again."""
        if self.latest is None:
            return False
        changed = Document.objects.filter(updated_at__gte=self.latest - MARGIN).values_list(
            "pk", "organization_id", "visibility", "kind", "language", "updated_at"
        )
        rows = list(changed)
        self._apply([row[:5] for row in rows])
        self.latest = max([self.latest, *(row[5] for row in rows)])
        self._apply_addressees(
            list(
                DocumentAddressee.objects.filter(pk__gt=self.last_addressee).values_list(
                    "pk", "document_id", "organization_id"
                )
            )
        )
        documents = int(np.count_nonzero(self.level >= 0))
        if documents != Document.objects.count():
            return False
        if self.addressees != DocumentAddressee.objects.count():
            self._read_addressees()
        return True

    def refresh(self) -> None:
        version = versions.get(KEY)
        if version != self.seen:
            if not self._read_changes():
                self._read_all()
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
