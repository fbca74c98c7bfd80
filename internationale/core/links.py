"""Absolute links to this server: in e-mails, webhook payloads, API answers and feeds.

Always built from the SITE_URL setting, never from the request: the Host header is chosen by the
client, and a password-reset link built from a forged one would carry the key to its server.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(location: str) -> str:
    """A path ("/appeals/3/") or an absolute link to this server made absolute on SITE_URL: the
    scheme and host of `location`, if it has any, are replaced."""
    parts = urlsplit(location)
    return settings.SITE_URL + urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


@dataclass(frozen=True)
class Site:
    """What e-mail templates know of the site (`current_site.name`, `.domain`), from SITE_URL."""

    domain: str
    name: str


def site() -> Site:
    host = urlsplit(settings.SITE_URL).netloc
    return Site(domain=host, name=host)
