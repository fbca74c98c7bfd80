"""Outgoing webhooks: signing, address checks, one delivery attempt."""

import hashlib
import hmac
import ipaddress
import json
import socket
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

SIGNATURE_HEADER = "X-Internationale-Signature"
EVENT_HEADER = "X-Internationale-Event"
DELIVERY_HEADER = "X-Internationale-Delivery"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 (mapped, 6to4, NAT64) is judged as that IPv4 address.
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif ip.sixtofour:
            ip = ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not ip.is_global or ip.is_multicast


def check_webhook_url(url: str, *, resolve: bool = True) -> None:
    """Refuse addresses that are not http(s), or that point at loopback or private networks,
    unless the operator allows them (WEBHOOKS_ALLOW_PRIVATE)."""
    _checked_addresses(url, resolve=resolve)


def _checked_addresses(url: str, *, resolve: bool = True) -> list[str]:
    """The IP addresses `url` leads to, every one of them allowed; a ValidationError if not."""
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
        if settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE:
            return []  # nothing to check: the request will try the name itself
        raise ValidationError(
            {"url": _("This host name cannot be resolved.")}, code="unresolvable"
        ) from None
    if settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE:
        return addresses
    if (
        host.lower() in ("localhost",)
        or host.lower().endswith(".localhost")
        or any(_is_private(str(a).split("%")[0]) for a in addresses)
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


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address given in the URL, and checks the TLS certificate (and sends SNI)
    for the host name the webhook was saved with."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self._hostname
        kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(*args, **kwargs)


def deliver(*, url: str, secret: str, event: str, delivery_id: str, payload: dict[str, Any]) -> int:
    """POST the payload once; return the status code, raise on network failure.

    The host name is resolved once, here, and every address it gives is checked; the request then
    goes to the checked address itself. Resolving again to connect would let a name that answers
    with a public address for the check and a private one a moment later (DNS rebinding) reach the
    server's own network.
    """
    addresses = _checked_addresses(url)  # again at send time: DNS may have changed since saved
    parts = urlsplit(url)
    hostname = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    ascii_host = hostname if _looks_like_ip(hostname) else hostname.encode("idna").decode()
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        "Host": (f"[{ascii_host}]" if ":" in ascii_host else ascii_host) + port,
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body),
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
        "User-Agent": "Internationale-Webhook/1",
    }
    credentials = (
        (unquote(parts.username or ""), unquote(parts.password or ""))
        if parts.username or parts.password
        else None
    )
    # Each checked address in turn, as a client connecting to the name would, until one accepts
    # the connection; none other than these is ever tried.
    failure: requests.ConnectionError | None = None
    for address in addresses or [hostname]:
        connect_to = f"[{address}]" if ":" in address else address
        # trust_env=False: proxy variables from the environment would bypass the address checks.
        with requests.Session() as session:
            session.trust_env = False
            session.mount("https://", _PinnedAdapter(ascii_host))
            try:
                response = session.post(
                    urlunsplit(parts._replace(netloc=connect_to + port)),
                    data=body,
                    auth=credentials,
                    headers=headers,
                    timeout=settings.INTERNATIONALE_WEBHOOK_TIMEOUT,
                    allow_redirects=False,
                )
            except requests.ConnectionError as error:
                failure = error
                continue
        return response.status_code
    assert failure is not None
    raise failure
