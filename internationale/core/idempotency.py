"""Submissions that must not create two objects when sent twice at the same moment."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from .models import SubmissionKey

T = TypeVar("T")


def once(
    *, user: Any, scope: str, key: str | None, create: Callable[[], T], fetch: Callable[[str], T]
) -> tuple[T, bool]:
    """Run `create` once per (user, scope, key); a repeat returns `fetch(object_id)` of the first.

    Returns (object, created). Without a key, `create` simply runs.
    """
    if not key:
        return create(), True
    key = key[:100]
    existing = SubmissionKey.objects.filter(user=user, scope=scope, key=key).first()
    if existing and existing.object_id:
        return fetch(existing.object_id), False
    with transaction.atomic():
        try:
            # The key is inserted first, in a savepoint: a concurrent request with the same key
            # waits on the unique index and then fails here, while an IntegrityError raised by
            # `create` itself propagates as it is.
            with transaction.atomic():
                record = SubmissionKey.objects.create(user=user, scope=scope, key=key)
        except IntegrityError:
            existing = SubmissionKey.objects.get(user=user, scope=scope, key=key)
            return fetch(existing.object_id), False
        obj = create()
        record.object_id = str(obj.pk)  # type: ignore[attr-defined]
        record.save(update_fields=["object_id"])
    return obj, True
