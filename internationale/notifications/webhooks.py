"""Outgoing webhooks: signing, address checks, one delivery attempt."""

import hashlib
import hmac
import ipaddress
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when out of range
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Enter an http or https address.")}, code="invalid_url")
    if settings.INTERNATIONALE_WEBHOOKS_ALLOW_PRIVATE:
        return
    host = parts.hostname
    try:
        addresses = (
            [host]
            if _looks_like_ip(host)
            else ([info[4][0] for info in socket.getaddrinfo(host, port or 443)] if resolve else [])
        )
    except (socket.gaierror, UnicodeError):  # UnicodeError: a label too long to encode
        raise ValidationError(
            {"url": _("This host name cannot be resolved.")}, code="unresolvable"
        ) from None
    if (
        host.lower() in ("localhost",)
        or host.lower().endswith(".localhost")
        or any(_is_private(str(a).split("%")[0]) for a in addresses)
    ):
        raise ValidationError(
            {"url": _("Addresses on loopback or private networks are not allowed.")},
            code="private_address",
        )


def _looks_like_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def deliver(*, url: str, secret: str, event: str, delivery_id: str, payload: dict[str, Any]) -> int:
    """POST the payload once; return the status code, raise on network failure."""
    check_webhook_url(url)  # again at send time: DNS may have changed since the hook was saved
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    # trust_env=False: proxy variables from the environment would bypass the address checks.
    with requests.Session() as session:
        session.trust_env = False
        response = session.post(
            url,
            data=body,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(secret, body),
                EVENT_HEADER: event,
                DELIVERY_HEADER: delivery_id,
                "User-Agent": "Internationale-Webhook/1",
            },
            timeout=settings.INTERNATIONALE_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    return response.status_code
