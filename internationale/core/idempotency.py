"""Submissions that must not create two objects when sent twice, even at the same moment.

Idempotency lives in the services: each service that creates takes `submission_key` (the HTML
form's hidden key, the API's `Idempotency-Key` header) and passes it to `once` with what was
submitted. The same key with the same content answers the object created the first time; the same
key with other content is refused (`SubmissionConflict`: 409 in the API, a form error on a page)
and changes nothing.
"""

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from .actors import ViewerLike, person
from .models import SubmissionKey

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class SubmissionConflict(ValidationError):
    """A submission key already used for other content."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This was already submitted once with other content, and nothing was changed. "
                "Start again from a fresh form (or, through the API, with a new Idempotency-Key)."
            ),
            code="submission_key_reused",
        )


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "read"):  # an uploaded file: its name and size stand for it
        return [getattr(value, "name", ""), getattr(value, "size", None)]
    return value


def fingerprint(submitted: Mapping[str, Any]) -> str:
    """A digest of what was submitted: objects by their id, in a stable order."""
    text = json.dumps(_value(submitted), sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _same(record: SubmissionKey, digest: str) -> None:
    # A key recorded before fingerprints were kept (blank) is taken as the same submission.
    if record.fingerprint and record.fingerprint != digest:
        raise SubmissionConflict()


def once(
    *,
    user: ViewerLike,
    scope: str,
    key: str | None,
    create: Callable[[], T],
    fetch: Callable[[str], T],
    submitted: Mapping[str, Any] | None = None,
    identify: Callable[[T], Any] = lambda obj: obj.pk,  # type: ignore[attr-defined]
) -> tuple[T, bool]:
    """Run `create` once per (user, scope, key); a repeat returns `fetch(object_id)` of the first,
    if `submitted` is the same as the first time, and raises SubmissionConflict if not.

    Returns (object, created). Without a key, or without a person (the system), `create` simply
    runs.
    """
    who = person(user)
    if not key or who is None:
        return create(), True
    key = key[:100]
    digest = fingerprint(submitted or {})
    existing = SubmissionKey.objects.filter(user=who, scope=scope, key=key).first()
    if existing and existing.object_id:
        _same(existing, digest)
        return fetch(existing.object_id), False
    with transaction.atomic():
        try:
            # The key is inserted first, in a savepoint: a concurrent request with the same key
            # waits on the unique index and then fails here, while an IntegrityError raised by
            # `create` itself propagates as it is.
            with transaction.atomic():
                record = SubmissionKey.objects.create(
                    user=who, scope=scope, key=key, fingerprint=digest
                )
        except IntegrityError:
            existing = SubmissionKey.objects.get(user=who, scope=scope, key=key)
            _same(existing, digest)
            return fetch(existing.object_id), False
        obj = create()
        record.object_id = str(identify(obj))
        record.save(update_fields=["object_id"])
    return obj, True


def submitted(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """What a service was asked to create, from its arguments (`locals()` as its first line): all
    but who asks and the key itself."""
    return {k: v for k, v in arguments.items() if k not in ("actor", "submission_key")}


def idempotent(
    scope: str,
    fetch: Callable[[str], Any],
    identify: Callable[[Any], Any] = lambda obj: obj.pk,
) -> Callable[[F], F]:
    """Make a creating service idempotent: called with `submission_key`, it runs once per (person,
    scope, key); a repeat with the same arguments answers `fetch(id)` of the first object, and one
    with other arguments raises SubmissionConflict. The service declares `submission_key` in its
    signature (for its callers) and never reads it: this decorator takes it."""

    def decorate(service: F) -> F:
        @functools.wraps(service)
        def wrapper(*, submission_key: str | None = None, **kwargs: Any) -> Any:
            obj, _created = once(
                user=kwargs.get("actor"),
                scope=scope,
                key=submission_key,
                create=lambda: service(**kwargs),
                fetch=fetch,
                submitted=submitted(kwargs),
                identify=identify,
            )
            return obj

        return cast(F, wrapper)

    return decorate
