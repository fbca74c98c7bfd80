"""A versioned cache, for public pages that answer the same to many viewers (the directory of
organizations, the pages of public appeals and adopted statements: `PublicPages`).

Answers are kept in the process, by everything they depend on:
- a `Version`: a row of the shared versions (core/versions.py), which every write to the models
  it follows changes in the writing transaction, so that every process of the server sees it move
  when the write is committed, and never before; reading it is one query by primary key;
- the language, the script prefix, and whatever the caller adds (what the viewer may see, the
  query);
and for a few seconds at most, a bound on what a change the version does not follow (a write
with `QuerySet.update()`, or straight to the database) may leave. Inside a transaction (tests,
or a view that writes) nothing is kept or read: what it sees may be its own uncommitted writes,
or be rolled back.
"""

import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .http import csrf_token
from .versions import SharedVersions

T = TypeVar("T")


class Version:
    """The version of what some answers show, shared by the server's processes through the
    database (one row of `SharedVersions("cache")`). `follow` connects it to the writes of the
    models it depends on; call it from the app config's ready(), so that importing connects
    nothing."""

    _shared = SharedVersions("cache")

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def value(self) -> int:
        return self._shared.get(self.name)

    def changed(self, **kwargs: Any) -> None:
        self._shared.change(self.name)

    def follow(self, *model_classes: type[models.Model], name: str) -> None:
        for model in model_classes:
            label = model._meta.label_lower
            post_save.connect(self.changed, sender=model, dispatch_uid=f"{name}:save:{label}")
            post_delete.connect(self.changed, sender=model, dispatch_uid=f"{name}:delete:{label}")


class VersionedCache:
    """Answers by key, for `seconds()` at most; a bound on the entries keeps odd queries from
    piling up. Threads may compute the same entry twice, which is harmless."""

    def __init__(self, version: Version | None, *, size: int, seconds: Callable[[], float]) -> None:
        self.version = version
        self.size = size
        self.seconds = seconds
        self.entries: dict[Hashable, tuple[float, Any]] = {}

    def key(self, *parts: Hashable) -> Hashable | None:
        """The key of an answer, or None when it must not be kept (in a transaction, or with the
        cache turned off)."""
        if connection.in_atomic_block or self.seconds() <= 0:
            return None
        version = self.version.value if self.version is not None else None
        return (version, get_language(), get_script_prefix(), *parts)

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

    def peek(self, key: Hashable | None) -> Any | None:
        """The answer kept under `key` if it is still fresh, else None; computes nothing."""
        entry = self.entries.get(key) if key is not None else None
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, key: Hashable | None, value: Any) -> None:
        """Keep `value` under `key` (None: keep nothing), in place of what was kept."""
        if key is None:
            return
        self.entries.pop(key, None)
        self.get(key, lambda: value)

    def clear(self) -> None:
        self.entries.clear()


class Fragments:
    """Parts of pages that depend on one object's shared version (core/versions.py) alone, and
    so read the same for everyone who may see the object: an appeal's text, its timeline. Each
    is rendered once per version, language, script prefix and reader's time zone (times are shown
    in it), kept in the process for `seconds()` at most (the bound for what the version does not
    follow: a new name of a related object), and read back by every reader of that version.

    The caller reads the version with the object (`SharedVersions.annotation`, the same query)
    and has already decided that the reader may see the object. `render` must not depend on the
    reader: render without the request (no CSRF token, no `actor`, no messages), from the object
    alone; whatever depends on the reader (forms, what they may do, masked details) is rendered
    around the fragments for each request."""

    def __init__(self, *, size: int, seconds: Callable[[], float]) -> None:
        self.kept = VersionedCache(None, size=size, seconds=seconds)

    def get(
        self, name: str, key: Hashable, version: Hashable, render: Callable[[], SafeString]
    ) -> SafeString:
        """Fragment `name` of object `key` at `version`, rendered by `render` if not kept."""
        kept = self.kept.key(name, key, version, timezone.get_current_timezone_name())
        return self.kept.get(kept, render)

    def clear(self) -> None:
        self.kept.clear()


@dataclass(frozen=True)
class Page:
    """A page's own content, rendered: what base.html wraps (the site's header, with the reader's
    CSRF token and messages, is rendered around it for every request)."""

    title: str
    content: SafeString
    public: bool = True  # links the feed of the public ones, when the page has one


def page_content(template: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    """`template` rendered for `request`; for a signed-out reader without a CSRF token, since
    what it renders may be kept for every signed-out reader (`PublicPages`)."""
    if not request.user.is_authenticated:
        context = {**context, "csrf_token": ""}
    return mark_safe(render_to_string(template, context, request))  # noqa: S308 -- the template's output, escaped by it


# What stands for the reader's CSRF token in content kept for several signed-in readers
# (`reader_content`): letters and digits, which escaping leaves alone, and unknown outside the
# process, so that no text a reader writes can make it.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"


def reader_content(template: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    """`template` rendered for a signed-in reader, with a placeholder for the CSRF token of its
    forms: what it renders may then be kept for every reader who would see the same (the same
    organizations and roles: the caller keys it so), and `with_token` gives each request its
    own token. It must not show anything of the person (a name, an address), only of their
    organizations and roles."""
    context = {**context, "csrf_token": CSRF_PLACEHOLDER}
    return mark_safe(render_to_string(template, context, request))  # noqa: S308 -- the template's output, escaped by it


def with_token(content: SafeString, request: HttpRequest) -> SafeString:
    """Content from `reader_content`, with the request's own CSRF token in its forms."""
    if CSRF_PLACEHOLDER not in content:
        return content
    return mark_safe(content.replace(CSRF_PLACEHOLDER, csrf_token(request)))  # noqa: S308 -- a token of letters and digits in escaped content


def _version_seconds() -> float:
    return settings.INTERNATIONALE_PUBLIC_PAGE_VERSION_MS / 1000


class PublicPages:
    """The pages of one kind of object (public appeals, adopted statements) as signed-out readers
    see them: most of their readers, who all see the same. Each is kept in the process by
    - the object;
    - its version (`SharedVersions(name)`, core/versions.py), shared by every process of the
      server and changed, in the transaction of the write, by every write to what the page shows
      (each process keeps the version it read for INTERNATIONALE_PUBLIC_PAGE_VERSION_MS: a write
      shows at once in its own process, within that time in the others):
      `follow` the models from the app config's ready(), and call `changed` from the services
      that write without signals (a queryset's update());
    - the language, the script prefix, the reader's time zone (times are shown in it) and what
      else the caller adds (the language version asked for);
    and for `seconds()` at most, the bound for what the version does not follow (a new name of a
    related organization).

    What is kept must hold nothing personal: render it with `page_content` (no CSRF token) and
    without what the reader may do (a signed-out reader may do nothing there). Signed-in readers
    never read it (`serve` renders their page for them), and an object the reader may not see
    raises Http404 before anything is kept."""

    def __init__(self, name: str, *, size: int, seconds: Callable[[], float]) -> None:
        self.name = name
        self.versions = SharedVersions(name, fresh=_version_seconds)
        self.cache = VersionedCache(None, size=size, seconds=seconds)

    def kept(self, pk: int, render: Callable[[], T], *parts: Hashable) -> T:
        """The signed-out page of object `pk`, as `render` gives it, kept until what it shows
        changes. `parts`: what else the page depends on (a query parameter, normalized)."""
        version = self.versions.get(pk)
        key = self.cache.key(pk, version, timezone.get_current_timezone_name(), *parts)
        return self.cache.get(key, render)

    def serve(self, request: HttpRequest, pk: int, render: Callable[[], T], *parts: Hashable) -> T:
        """The page for `request`: kept for a signed-out reader, rendered for anyone else."""
        if request.user.is_authenticated:
            return render()
        return self.kept(pk, render, *parts)

    def changed(self, pk: int) -> None:
        """For a write that bypasses the model signals, in its transaction."""
        self.versions.change(pk)

    def follow(self, model: type[models.Model], key: Callable[[Any], Hashable | None]) -> None:
        """Change the version of `key(instance)`'s page at every write of `model`. From ready()."""
        self.versions.follow(model, key=key, dispatch_uid=f"{self.name}_page")

    def clear(self) -> None:
        self.cache.clear()
