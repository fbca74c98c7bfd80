"""Outgoing webhooks by the Standard Webhooks convention (https://www.standardwebhooks.com):
signing, address checks, one delivery attempt."""

import base64
import contextvars
import hashlib
import hmac
import io
import ipaddress
import json
import secrets
import socket
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
import urllib3
import urllib3.connection
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

EVENT_HEADER = "X-Internationale-Event"
SECRET_PREFIX = "whsec_"  # noqa: S105 -- the prefix of every secret, not a secret


def new_secret() -> str:
    """A secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the secret's key."""
    digest = hmac.new(
        _key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256
    ).digest()
    return "v1," + base64.b64encode(digest).decode()


def _earlier_form(secret: str) -> bool:
    """Whether the secret is one of the earlier form: 64 hex digits whose text is the key."""
    key = _key(secret)
    return len(key) == 64 and all(c in b"0123456789abcdef" for c in key)


def earlier_headers(
    signing_secrets: Sequence[str], *, delivery_id: str, body: bytes
) -> dict[str, str]:
    """The headers deliveries had before they followed Standard Webhooks, for a webhook that
    still has a secret of that time, so its receiving system keeps working until the secret is
    changed: the hex HMAC-SHA256 of the body alone, and the delivery's id."""
    for secret in signing_secrets:
        if _earlier_form(secret):
            return {
                "X-Internationale-Signature": "sha256="
                + hmac.new(_key(secret), body, hashlib.sha256).hexdigest(),
                "X-Internationale-Delivery": delivery_id,
            }
    return {}


def sign(signing_secrets: Sequence[str], *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one signature per secret, separated by spaces (while a
    secret is being changed, the new one and the old one both sign)."""
    return " ".join(
        signature(secret, msg_id=msg_id, timestamp=timestamp, body=body)
        for secret in signing_secrets
    )


# IPv6 spellings of an IPv4 address: IPv4-compatible (::a.b.c.d, deprecated), IPv4-mapped
# (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and NAT64's well-known prefix: the IPv4
# address in their last 32 bits. 6to4 (2002::/16) carries it in bits 16 to 48.
_LAST_32_BITS = [
    ipaddress.ip_network("::/96"),
    ipaddress.ip_network("::ffff:0:0/96"),
    ipaddress.ip_network("::ffff:0:0:0/96"),
    ipaddress.ip_network("64:ff9b::/96"),
]
# Global unicast IPv6, all that is allocated of it; everything else (loopback, link-local,
# site-local fec0::/10, unique-local, multicast, local-use NAT64 64:ff9b:1::/48, discard...) is not.
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
# Inside it, set aside after this Python's table of special addresses: documentation (RFC 9637).
_NOT_GLOBAL_V6 = [ipaddress.ip_network("3fff::/20")]


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in network for network in _LAST_32_BITS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_global_unicast(address: str) -> bool:
    """Whether a request to `address` may leave for the public internet: a global unicast
    address, whatever its spelling; an IPv4 address inside an IPv6 one is judged as IPv4."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%")[0]  # a zone ("fe80::1%eth0") does not change what the address is
    )
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded
        elif (
            ip not in _GLOBAL_UNICAST_V6
            or ip.teredo is not None
            or any(ip in network for network in _NOT_GLOBAL_V6)
        ):
            return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def check_webhook_url(url: str, *, resolve: bool = True) -> None:
    """Refuse addresses that are not http(s), or that lead anywhere but to global unicast
    addresses (loopback, private networks, link-local, site-local...), unless the operator allows
    them (WEBHOOKS_ALLOW_PRIVATE, which tests use to call a receiver on 127.0.0.1)."""
    _checked_addresses(url, resolve=resolve)


def check_public_url(url: str, *, allow_private: bool) -> None:
    """The same check for other outgoing requests (federation), with their own setting."""
    _checked_addresses(url, allow_private=allow_private)


def _checked_addresses(
    url: str, *, resolve: bool = True, allow_private: bool | None = None
) -> list[str]:
    """The IP addresses `url` leads to, every one of them allowed; a ValidationError if not.
    `allow_private` defaults to WEBHOOKS_ALLOW_PRIVATE (federation passes its own setting)."""
    if allow_private is None:
        allow_private = settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when out of range
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Enter an http or https address.")}, code="invalid_url")
    host = parts.hostname
    try:
        addresses = (
            [host]
            if _looks_like_ip(host)
            else (
                list(
                    dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port or 443))
                )
                if resolve
                else []
            )
        )
    except (socket.gaierror, UnicodeError):  # UnicodeError: a label too long to encode
        if allow_private:
            return []  # nothing to check: the request will try the name itself
        raise ValidationError(
            {"url": _("This host name cannot be resolved.")}, code="unresolvable"
        ) from None
    if allow_private:
        return addresses
    if (
        host.lower() in ("localhost",)
        or host.lower().endswith(".localhost")
        or not all(is_global_unicast(address) for address in addresses)
    ):
        raise ValidationError(
            {"url": _("Addresses on loopback or private networks are not allowed.")},
            code="private_address",
        )
    return addresses


def _looks_like_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _DeadlineSocket:
    """A connected socket whose every send and receive waits no longer than what is left of the
    request's deadline (and no longer than the timeout the HTTP library sets): the status line
    and the headers, read by http.client a line at a time, are bounded by the whole request's
    time as the body is (`_read_body`), so a server that sends them a byte now and then cannot
    hold the caller past it."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._timeout = sock.gettimeout()

    def _arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's time is up")
        self._sock.settimeout(left if self._timeout is None else min(self._timeout, left))

    def settimeout(self, value: float | None) -> None:
        self._timeout = value

    def gettimeout(self) -> float | None:
        return self._timeout

    def recv(self, *args: Any) -> bytes:
        self._arm()
        return self._sock.recv(*args)

    def recv_into(self, *args: Any) -> int:
        self._arm()
        return self._sock.recv_into(*args)

    def send(self, *args: Any) -> int:
        self._arm()
        return self._sock.send(*args)

    def sendall(self, *args: Any) -> None:
        self._arm()
        self._sock.sendall(*args)

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        # http.client reads the answer through sock.makefile("rb"): through this object, so that
        # each of its reads is armed.
        # Counted as the socket's own files are: closing the socket (http.client does once
        # the answer says "Connection: close") then waits for the file to be closed.
        self._sock._io_refs += 1  # type: ignore[attr-defined]
        raw = socket.SocketIO(self, mode.replace("b", ""))  # type: ignore[arg-type]
        return io.BufferedReader(raw) if "r" in mode else io.BufferedWriter(raw)

    def _decref_socketios(self) -> None:
        self._sock._decref_socketios()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


# The deadline of the request being made in this thread (set by `pinned_request`): the
# connections it opens read and write against it.
_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("pinned_request_deadline")


def _armed(sock: socket.socket) -> socket.socket:
    """The newly connected socket with what is left of the request's deadline as its timeout:
    the TLS handshake that follows on it (which CPython bounds as a whole by the socket's
    timeout) then ends at the deadline, not one whole timeout after a slow connection."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        sock.close()
        raise urllib3.exceptions.ConnectTimeoutError(None, "the request's time is up")
    current = sock.gettimeout()
    sock.settimeout(left if current is None else min(current, left))
    return sock


class _DeadlineConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _armed(super()._new_conn())

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, _DEADLINE.get())  # type: ignore[assignment]


class _SecureDeadlineConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _armed(super()._new_conn())

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, _DEADLINE.get())  # type: ignore[assignment]


class _DeadlinePool(urllib3.HTTPConnectionPool):
    ConnectionCls = _DeadlineConnection


class _SecureDeadlinePool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _SecureDeadlineConnection


class _DeadlineAdapter(HTTPAdapter):
    """Every read and write of the request bounded by what is left of its deadline (`_DEADLINE`,
    set by `pinned_request`)."""

    def __init__(self) -> None:
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {  # type: ignore[assignment]
            "http": _DeadlinePool,
            "https": _SecureDeadlinePool,
        }


class _PinnedAdapter(_DeadlineAdapter):
    """Connects to the address given in the URL, and checks the TLS certificate (and sends SNI)
    for the host name the webhook was saved with."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self._hostname
        kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(*args, **kwargs)


def deliver(
    *,
    url: str,
    signing_secrets: Sequence[str],
    event: str,
    delivery_id: str,
    payload: dict[str, Any],
) -> int:
    """POST the payload once, signed with each of `signing_secrets`; return the status code,
    raise on network failure. `delivery_id` is the same for every attempt of one delivery; the
    timestamp is the attempt's, so a receiver can refuse a replayed old request. The address is
    checked again at send time (DNS may have changed since the webhook was saved), then pinned:
    see `pinned_request`.
    """
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            signing_secrets, msg_id=delivery_id, timestamp=timestamp, body=body
        ),
        EVENT_HEADER: event,
        "User-Agent": "Internationale-Webhook/1",
        **earlier_headers(signing_secrets, delivery_id=delivery_id, body=body),
    }
    return pinned_request(
        "POST",
        url,
        headers=headers,
        body=body,
        timeout=settings.INTERNATIONALE_WEBHOOK_TIMEOUT,
        allow_private=settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE,
    ).status_code


class ResponseTooLarge(Exception):
    """An answer longer than the caller accepts."""


class RequestTooSlow(requests.Timeout):
    """The whole request (connection, answer and its body) took longer than its timeout."""


def _read_body(
    response: requests.Response, *, url: str, deadline: float, timeout: float, max_bytes: int | None
) -> None:
    """Read the answer's body into `response`, each read waiting no longer than what is left of
    the request's time: a server that sends a byte now and then cannot hold the caller."""
    chunks: list[bytes] = []
    size = 0
    with response:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RequestTooSlow(url)
            sock = getattr(response.raw.connection, "sock", None)
            if sock is not None:
                sock.settimeout(min(timeout, left))
            try:
                chunk = response.raw.read1(64 * 1024)
            except urllib3.exceptions.ReadTimeoutError as error:
                raise RequestTooSlow(url) from error
            except (urllib3.exceptions.HTTPError, OSError) as error:
                raise requests.ConnectionError(error) from error
            if not chunk:
                break
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise ResponseTooLarge(url)
            chunks.append(chunk)
    response._content = b"".join(chunks)


def pinned_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float,
    allow_private: bool,
    max_bytes: int | None = None,
) -> requests.Response:
    """One request to `url`, with no redirect followed, to an address checked first (see
    `deliver`); raise ValidationError for an address refused, requests' errors on network
    failure, RequestTooSlow (a requests.Timeout) when the whole request takes longer than
    `timeout` seconds, ResponseTooLarge for an answer over `max_bytes` (read no further). The
    answer's body is read (`response.content`) before this returns.

    The host name is resolved once, here, and every address it gives is checked; the request then
    goes to the checked address itself. Resolving again to connect would let a name that answers
    with a public address for the check and a private one a moment later (DNS rebinding) reach the
    server's own network.
    """
    deadline = time.monotonic() + timeout
    _DEADLINE.set(deadline)
    addresses = _checked_addresses(url, allow_private=allow_private)
    parts = urlsplit(url)
    hostname = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    ascii_host = hostname if _looks_like_ip(hostname) else hostname.encode("idna").decode()
    headers = {"Host": (f"[{ascii_host}]" if ":" in ascii_host else ascii_host) + port, **headers}
    credentials = (
        (unquote(parts.username or ""), unquote(parts.password or ""))
        if parts.username or parts.password
        else None
    )
    # Each checked address in turn, as a client connecting to the name would, until one accepts
    # the connection; none other than these is ever tried, and all of them within `timeout`.
    failure: requests.ConnectionError | None = None
    for address in addresses or [hostname]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RequestTooSlow(url)
        connect_to = f"[{address}]" if ":" in address else address
        # trust_env=False: proxy variables from the environment would bypass the address checks.
        with requests.Session() as session:
            session.trust_env = False
            session.mount("https://", _PinnedAdapter(ascii_host))
            session.mount("http://", _DeadlineAdapter())
            try:
                response = session.request(
                    method,
                    urlunsplit(parts._replace(netloc=connect_to + port)),
                    data=body,
                    auth=credentials,
                    headers=headers,
                    timeout=min(timeout, left),
                    allow_redirects=False,
                    stream=True,  # the body is read below, against the deadline
                )
            except requests.ConnectionError as error:
                failure = error
                continue
            except requests.Timeout as error:  # the status line or headers came too slowly
                raise RequestTooSlow(url) from error
            _read_body(response, url=url, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
        return response
    assert failure is not None
    raise failure
