"""Remote actors, their keys and objects, fetched (signed by the server's own actor) over the webhooks' transport (addresses checked, then
pinned: notifications/webhooks.py) and cached with an expiry."""

import datetime
import hashlib
import json
import logging
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urldefrag

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.notifications.webhooks import ResponseTooLarge, check_public_url, pinned_request

from . import hosts
from .documents import ACTIVITY_JSON, LD_JSON_AS, instance_key_id
from .models import RemoteKey
from .signatures import CAVAGE, sign

logger = logging.getLogger("internationale.federation")

# What an ActivityPub document is served as (a file uploaded to the actor's host is not).
DOCUMENT_TYPES = ("application/activity+json", "application/ld+json", "application/json")


class RemoteError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class FetchBusy(RemoteError):
    """As many fetches from the host as allowed are in flight already (`fetch_slot`)."""


@contextmanager
def fetch_slot(url: str) -> Iterator[None]:
    """Hold one of FEDERATION_FETCHES_PER_HOST places for a fetch from `url`'s host (its one
    spelling: hosts.py), counted across every thread and process of the server in the cache they
    share; FetchBusy when every place is taken. A place is freed when the fetch ends, or, held by a
    process that died, once FEDERATION_TIMEOUT and a few seconds have passed: a host that answers
    slowly, or an inbox flooded with activities naming its keys, keeps that many requests waiting
    for it, not every web process."""
    digest = hashlib.sha256(hosts.origin(url).encode()).hexdigest()[:32]
    token = uuid.uuid4().hex
    hold = settings.INTERNATIONALE_FEDERATION_TIMEOUT + 5
    for place in range(settings.INTERNATIONALE_FEDERATION_FETCHES_PER_HOST):
        key = f"federation-fetch:{digest}:{place}"
        if cache.add(key, token, timeout=hold):
            try:
                yield
            finally:
                if cache.get(key) == token:  # not taken over after it expired
                    cache.delete(key)
            return
    raise FetchBusy(
        "busy", _("This server is fetching from that server already: send again later.")
    )


def same_host(a: str, b: str) -> bool:
    """Whether two URLs have the same origin (scheme, host and port, each spelling of the host
    read as one: hosts.py)."""
    origin = hosts.origin(a)
    return bool(origin) and origin == hosts.origin(b)


def check_url(url: str) -> None:
    """Refuse an actor, key or inbox URL that is not https or leads to loopback or a private
    network (unless FEDERATION_ALLOW_PRIVATE, which also allows plain http, as a closed network
    or the tests have)."""
    if not settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE and not url.lower().startswith(
        "https://"
    ):
        raise RemoteError("not_https", _("Actors, keys and inboxes must be on https."))
    try:
        check_public_url(url, allow_private=settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE)
    except ValidationError:
        raise RemoteError(
            "private_address",
            _("Actors and keys on loopback or private networks, or not on http(s), are refused."),
        ) from None


def _fault(value: Any) -> str | None:
    """What makes a JSON value unfit to store, walked without recursion: nested deeper than
    FEDERATION_MAX_DEPTH, or text holding NUL or a lone surrogate (no database stores them)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= c <= "\udfff" for c in item):
                return "bad_text"
        elif isinstance(item, dict | list):
            if level > settings.INTERNATIONALE_FEDERATION_MAX_DEPTH:
                return "too_deep"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return None


class _NotANumber(ValueError):
    """NaN, Infinity or a number too large for a float (1e999): not JSON, and no database stores
    them."""


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotANumber(text)
    return number


def _no_constant(text: str) -> Any:
    raise _NotANumber(text)


def parse_json(body: bytes) -> Any:
    """The JSON value of `body`; RemoteError if it is not JSON (NaN, Infinity and numbers beyond
    a float's range are not), is nested too deeply or holds text no database stores."""
    try:
        value = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except _NotANumber:
        raise RemoteError("bad_number", _("Numbers must be finite.")) from None
    except RecursionError:
        raise RemoteError("too_deep", _("The document is nested too deeply.")) from None
    except (ValueError, UnicodeDecodeError):
        raise RemoteError("not_json", _("The body is not JSON.")) from None
    fault = _fault(value)
    if fault == "too_deep":
        raise RemoteError("too_deep", _("The document is nested too deeply."))
    if fault == "bad_text":
        raise RemoteError(
            "bad_text", _("Text may not contain the NUL character or a lone surrogate.")
        )
    return value


def _signed_get(url: str) -> dict[str, str]:
    """The headers of a GET of `url`, signed (draft-cavage, which the servers that answer only
    signed fetches read: Mastodon's "authorized fetch") by the server's own actor."""
    from .keys import instance_key, private_key_pem

    key = instance_key()
    return sign(
        method="GET",
        url=url,
        headers={"Accept": f"{ACTIVITY_JSON}, {LD_JSON_AS}", "User-Agent": "Internationale/1"},
        body=None,
        key_id=instance_key_id(key),
        private_key_pem=private_key_pem(key),
        scheme=CAVAGE,
    )


def fetch_json(url: str) -> dict[str, Any]:
    """GET an ActivityPub document, the request signed by the server's own actor; RemoteError if
    it cannot be had, or is not one (FetchBusy if its host has FEDERATION_FETCHES_PER_HOST
    fetches in flight already)."""
    check_url(url)
    try:
        with fetch_slot(url):
            response = pinned_request(
                "GET",
                url,
                headers=_signed_get(url),
                timeout=settings.INTERNATIONALE_FEDERATION_TIMEOUT,
                allow_private=settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE,
                max_bytes=settings.INTERNATIONALE_FEDERATION_MAX_BODY_BYTES,
            )
    except ValidationError:
        raise RemoteError("private_address", _("This address is refused.")) from None
    except ResponseTooLarge:
        raise RemoteError("too_large", _("The remote document is too large.")) from None
    except requests.RequestException:
        raise RemoteError("unreachable", _("The remote server cannot be reached.")) from None
    if response.status_code != 200:
        raise RemoteError("unreachable", _("The remote server did not give the document."))
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in DOCUMENT_TYPES:
        raise RemoteError("bad_document", _("The remote document is not served as JSON."))
    document = parse_json(response.content)
    if not isinstance(document, dict) or not isinstance(document.get("id"), str):
        raise RemoteError("bad_document", _("The remote document is not an ActivityPub object."))
    if not same_host(document["id"], url):
        raise RemoteError("forged_origin", _("The remote document claims another origin."))
    return document


def _key_in(document: dict[str, Any], key_id: str) -> tuple[str, str] | None:
    """(owner, PEM) of the key `key_id` in a fetched document: a key document itself, or an
    actor that lists it under `publicKey`."""
    if document.get("id") == key_id and isinstance(document.get("publicKeyPem"), str):
        owner = document.get("owner") or document.get("controller")
        return (owner, document["publicKeyPem"]) if isinstance(owner, str) else None
    keys = document.get("publicKey")
    for key in keys if isinstance(keys, list) else [keys]:
        if (
            isinstance(key, dict)
            and key.get("id") == key_id
            and isinstance(key.get("publicKeyPem"), str)
        ):
            return str(key.get("owner") or document["id"]), key["publicKeyPem"]
    return None


def _confirm(owner: str, key_id: str) -> None:
    """A key found in a document of its own is its owner's only if the owner's actor document
    lists it (any JSON file on the actor's host could claim an owner): RemoteError otherwise.
    Read when the key is fetched, and so cached with it."""
    actor = fetch_json(owner)
    keys = actor.get("publicKey")
    listed = {
        key if isinstance(key, str) else key.get("id")
        for key in (keys if isinstance(keys, list) else [keys])
        if isinstance(key, str | dict)
    }
    if actor["id"] != owner or key_id not in listed:
        raise RemoteError("unknown_key", _("The key's owner does not list it as its key."))


def public_key(key_id: str, *, refresh: bool = False) -> RemoteKey:
    """The remote key `key_id`, from the cache while it has not expired (or `refresh`), else
    fetched from its URL (without its fragment) and cached for FEDERATION_KEY_CACHE_SECONDS."""
    now = timezone.now()
    if not refresh:
        cached = RemoteKey.objects.filter(key_id=key_id, expires_at__gt=now).first()
        if cached is not None:
            return cached
    document = fetch_json(urldefrag(key_id).url)
    found = _key_in(document, key_id)
    if found is None:
        raise RemoteError("unknown_key", _("The signing key is not found at its address."))
    owner, pem = found
    if not same_host(owner, key_id):
        raise RemoteError("forged_origin", _("The key belongs to an actor on another host."))
    if document.get("id") != owner:
        _confirm(owner, key_id)
    key, _created = RemoteKey.objects.update_or_create(
        key_id=key_id,
        defaults={
            "owner": owner,
            "public_key_pem": pem,
            "fetched_at": now,
            "expires_at": now
            + datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_KEY_CACHE_SECONDS),
        },
    )
    return key


def keys_to_refresh(now: datetime.datetime) -> QuerySet[RemoteKey]:
    """Cached keys that expire within FEDERATION_KEY_REFRESH_AHEAD_SECONDS and were not fetched
    (or tried) within it either: a key whose server did not answer waits for its expiry."""
    ahead = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_AHEAD_SECONDS)
    return RemoteKey.objects.filter(
        expires_at__gt=now, expires_at__lte=now + ahead, fetched_at__lte=now - ahead
    ).order_by("expires_at")


@task()
def refresh_keys() -> int:
    """On the workers' schedule: fetch again, ahead of their expiry, the remote keys about to
    expire (FEDERATION_KEY_REFRESH_BATCH at most a run), so that an inbox rarely waits for a
    fetch. A key that cannot be had keeps its expiry (it is then fetched when a request needs
    it). Returns how many were refreshed."""
    now = timezone.now()
    due = list(
        keys_to_refresh(now).values_list("key_id", flat=True)[
            : settings.INTERNATIONALE_FEDERATION_KEY_REFRESH_BATCH
        ]
    )
    refreshed = 0
    for key_id in due:
        try:
            public_key(key_id, refresh=True)
        except RemoteError as error:
            logger.info("federation: key %s not refreshed: %s", key_id, error.code)
            RemoteKey.objects.filter(key_id=key_id).update(fetched_at=now)
        else:
            refreshed += 1
    return refreshed
