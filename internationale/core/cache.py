"""A versioned per-process cache, for public pages that answer the same to many viewers (the
directory of organizations; later campaigns and public appeals).

Answers are kept in the process, by everything they depend on:
- a `Version`: a counter that every write to the models it follows moves on, at the write and
  again at its commit, so that no answer read before a commit outlives it;
- the language, the script prefix, and whatever the caller adds (what the viewer may see, the
  query);
and for a few seconds at most: another process of the same server does not see this one's
counter, so its writes show here within that time. Inside a transaction (tests, or a view that
writes) nothing is kept or read: what it sees may be its own uncommitted writes, or be rolled back.
"""

import itertools
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import get_script_prefix
from django.utils.translation import get_language

T = TypeVar("T")


class Version:
    """A counter of changes to what some answers show. `follow` connects it to the writes of the
    models it depends on; call it from the app config's ready(), so that importing connects
    nothing."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self.value = next(self._counter)

    def changed(self, **kwargs: Any) -> None:
        self.value = next(self._counter)

    def _written(self, sender: Any, **kwargs: Any) -> None:
        self.changed()
        transaction.on_commit(self.changed)

    def follow(self, *model_classes: type[models.Model], name: str) -> None:
        for model in model_classes:
            label = model._meta.label_lower
            post_save.connect(self._written, sender=model, dispatch_uid=f"{name}:save:{label}")
            post_delete.connect(self._written, sender=model, dispatch_uid=f"{name}:delete:{label}")


class VersionedCache:
    """Answers by key, for `seconds()` at most; a bound on the entries keeps odd queries from
    piling up. Threads may compute the same entry twice, which is harmless."""

    def __init__(self, version: Version, *, size: int, seconds: Callable[[], float]) -> None:
        self.version = version
        self.size = size
        self.seconds = seconds
        self.entries: dict[Hashable, tuple[float, Any]] = {}

    def key(self, *parts: Hashable) -> Hashable | None:
        """The key of an answer, or None when it must not be kept (in a transaction, or with the
        cache turned off)."""
        if connection.in_atomic_block or self.seconds() <= 0:
            return None
        return (self.version.value, get_language(), get_script_prefix(), *parts)

    def get(self, key: Hashable | None, compute: Callable[[], T]) -> T:
        if key is None:
            return compute()
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]  # type: ignore[no-any-return]
        value = compute()
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (now + self.seconds(), value)
        return value

    def clear(self) -> None:
        self.entries.clear()
