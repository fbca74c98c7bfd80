"""The address of the person making a request, as the server's own proxies report it; the CSRF
token of its forms, once per request."""

import secrets

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token


def client_ip(request: HttpRequest) -> str:
    """The client's address: with `TRUSTED_PROXY_COUNT` = n proxies in front of the server, the
    n-th address from the right of X-Forwarded-For (the one the outermost proxy saw); with 0, the
    connection's own address, and X-Forwarded-For (which anyone can send) is ignored.

    Used for sign-in rate limits (accounts/adapter.py) and wherever the platform keeps an address.
    """
    count = settings.INTERNATIONALE_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [
        hop.strip().strip('"')
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if not forwarded:
        return remote
    # Fewer hops than proxies: the request skipped an outer proxy; its leftmost hop is still the
    # farthest address anyone trusted reported.
    address = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    if address.startswith("[") and "]" in address:
        address = address[1 : address.index("]")]  # "[2001:db8::1]" or "[2001:db8::1]:443"
    elif address.count(":") == 1:
        address = address.split(":")[0]  # "203.0.113.7:51234"
    return address


def csrf_token(request: HttpRequest) -> str:
    """The CSRF token of the request's forms: Django's `get_token`, masked once per request
    (`masked`).

    Each call of `get_token` draws a new mask of 32 characters, one system call each (about
    0.15 ms), and a page asked for it twice: once for the site's header (the context processor
    below) and once for the forms of content kept for several readers (`core.cache.with_token`).
    One masked token serves every form of one answer, as Django's own context processor gives
    one to a whole template. A new secret in the request (signing in rotates it) draws anew."""
    secret = request.META.get("CSRF_COOKIE")
    kept = request.__dict__.get("_csrf_token")
    if kept is not None and secret is not None and kept[0] == secret:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does: the cookie renewed
        return str(kept[1])
    if secret is not None:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does
        token = masked(secret)
    else:
        token = get_token(request)  # no secret yet: Django draws one and sets the cookie
    request._csrf_token = (request.META.get("CSRF_COOKIE"), token)  # type: ignore[attr-defined]
    return token


_INDEX = {char: n for n, char in enumerate(CSRF_ALLOWED_CHARS)}
# The largest multiple of the alphabet's size a byte reaches: bytes from it up are drawn again,
# so that every character of the mask is equally likely.
_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def masked(secret: str) -> str:
    """The CSRF secret masked as Django masks it (a random mask, then the secret shifted by it,
    which Django's middleware unmasks), the mask drawn from one read of the system's random
    source rather than one read per character as Django's `get_random_string` does (32 reads,
    most of what a token cost)."""
    size = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < len(secret):
        mask += [byte % size for byte in secrets.token_bytes(2 * len(secret)) if byte < _BELOW]
    mask = mask[: len(secret)]
    cipher = (
        CSRF_ALLOWED_CHARS[(_INDEX[char] + m) % size] for char, m in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + "".join(cipher)
