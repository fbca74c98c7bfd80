"""Versions shared by every process of a server, for answers kept per process (core/cache.py).

A per-process `Version` moves on at the writes of its own process only: another process goes on
serving what it kept until its seconds run out. A `SharedVersions` keeps one version per key (per
public appeal, say) in a database row (`SharedVersion`) that the writes of what the key shows
change, inside their transaction: every process reads the new version once the write commits, and
the old one until then (which is what it still shows). Reading a version is one query by primary
key.

The value is random, not counted: setting a row needs one statement whatever its state (an
"upsert"), and a reader only asks whether it changed.

A copy per process, for the busiest readers (`fresh`): a public page kept for signed-out readers
reads its version at every request, and that one query was most of what such a request cost
beyond Django's own work (a kept appeal page answered at 42 % of a bare view's rate on
PostgreSQL). With `fresh`, a process keeps each version it read for that many seconds: its own
writes drop the copy when they commit (so they show at once here), another process's show within
those seconds. Chosen over
- the cache shared by the processes (`CACHES["default"]`): a table of the same database, so one
  query as well, and a heavier one;
- a copy of every version re-read when a single "last changed" row moves: one query per interval
  for all keys instead of one per key read, but it needs a counter that every writing
  transaction updates (one row locked by all of them until they commit, or changes missed when
  transactions commit out of order) and a column the table does not have; a page read many times
  a second is read once a second per process either way.
Inside a transaction (tests, a view that writes) the row is always read.
"""

import secrets
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save

from .models import SharedVersion

# The clock of the copies (a test moves it).
clock = time.monotonic

# What no write has set yet: a key nobody wrote to since the table was made.
UNSET = 0


class SharedVersions:
    """Versions by key, under a name that keeps apart the keys of different users of the table:
    `SharedVersions("appeal")` keeps `appeal:<pk>`. With `fresh` (seconds, read at each call),
    each version read is kept in the process for that long (see above)."""

    # Versions kept by a process, at most (then the copy starts afresh).
    KEPT = 4096

    def __init__(self, name: str, *, fresh: Callable[[], float] | None = None) -> None:
        self.name = name
        self.fresh = fresh
        self.seen: dict[Hashable, tuple[float, int]] = {}

    def _row(self, key: Hashable) -> str:
        return f"{self.name}:{key}"

    def get(self, key: Hashable) -> int:
        fresh = self.fresh() if self.fresh is not None else 0
        if fresh <= 0 or connection.in_atomic_block:
            return self._read(key)
        now = clock()
        seen = self.seen.get(key)
        if seen is not None and seen[0] > now:
            return seen[1]
        value = self._read(key)
        if len(self.seen) >= self.KEPT:
            self.seen.clear()
        self.seen[key] = (now + fresh, value)
        return value

    def _read(self, key: Hashable) -> int:
        value = (
            SharedVersion.objects.filter(key=self._row(key)).values_list("value", flat=True).first()
        )
        return UNSET if value is None else value

    def annotation(self, key: Hashable) -> Subquery:
        """The version of `key` as an expression, to read it with the object it versions in the
        same query: `Appeal.objects.annotate(version=versions.annotation(pk))`. None (read as
        UNSET) when no write has set it yet."""
        return Subquery(
            SharedVersion.objects.filter(key=self._row(key)).values("value")[:1],
            output_field=models.BigIntegerField(),
        )

    def change(self, key: Hashable) -> None:
        """A new version for the key, in the current transaction if there is one."""
        SharedVersion.objects.bulk_create(
            [SharedVersion(key=self._row(key), value=secrets.randbits(62) + 1)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
        )
        # This process's copy: dropped now, and again at the commit, since a reader may have
        # read the old value again in between.
        self.seen.pop(key, None)
        transaction.on_commit(lambda: self.seen.pop(key, None))

    def follow(
        self,
        model: type[models.Model],
        *,
        key: Callable[[Any], Hashable | None],
        dispatch_uid: str,
    ) -> None:
        """Change the version of `key(instance)` whenever an instance of `model` is saved or
        deleted (None: no key to change). A write that bypasses signals (a queryset's update())
        calls `change` itself. Call it from an app config's ready()."""

        def written(sender: Any, instance: Any, **kwargs: Any) -> None:
            if kwargs.get("raw"):  # loading fixtures
                return
            found = key(instance)
            if found is not None:
                self.change(found)

        label = model._meta.label_lower
        post_save.connect(
            written, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}:save:{label}"
        )
        post_delete.connect(
            written, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}:delete:{label}"
        )
