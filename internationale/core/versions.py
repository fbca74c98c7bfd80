"""Versions shared by every process of a server, for answers kept per process (core/cache.py).

A per-process `Version` moves on at the writes of its own process only: another process goes on
serving what it kept until its seconds run out. A `SharedVersions` keeps one version per key (per
public appeal, say) in a database row (`SharedVersion`) that the writes of what the key shows
change, inside their transaction: every process reads the new version once the write commits, and
the old one until then (which is what it still shows). Reading a version is one query by primary
key.

The value is random, not counted: setting a row needs one statement whatever its state (an
"upsert"), and a reader only asks whether it changed.
"""

import secrets
from collections.abc import Callable, Hashable
from typing import Any

from django.db import models
from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save

from .models import SharedVersion

# What no write has set yet: a key nobody wrote to since the table was made.
UNSET = 0


class SharedVersions:
    """Versions by key, under a name that keeps apart the keys of different users of the table:
    `SharedVersions("appeal")` keeps `appeal:<pk>`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _row(self, key: Hashable) -> str:
        return f"{self.name}:{key}"

    def get(self, key: Hashable) -> int:
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
