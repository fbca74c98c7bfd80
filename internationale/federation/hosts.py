"""One spelling for each remote server's host, so that a block, the inbox's limit per host, the
origin checks and the deliveries' hosts all see one server as one: the name in ASCII (IDNA,
UTS #46: "Bücher.test" and "xn--bcher-kva.test" are one name), in lower case, without a trailing
dot; IP addresses in their canonical form ("2130706433", "127.1" and "0x7f.0.0.1" are 127.0.0.1;
IPv6 in brackets, IPv4-mapped IPv6 as IPv4); the port left out when it is the scheme's default."""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

import idna

DEFAULT_PORTS = {"https": 443, "http": 80}
# The forms inet_aton reads (decimal, octal, hex, 1 to 4 parts): a name whose last label is a
# number is an IPv4 address, as browsers read it (the WHATWG URL standard).
_IPV4_LIKE = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


def normal_name(name: str) -> str | None:
    """The host name or IP address `name` in its one spelling; None if it is neither."""
    name = (name or "").strip().lower()
    if name.endswith("."):
        name = name[:-1]
    if not name or len(name) > 253:
        return None
    literal = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    if ":" in literal:
        try:
            address = ipaddress.IPv6Address(literal)
        except ValueError:
            return None
        mapped = address.ipv4_mapped
        return str(mapped) if mapped is not None else f"[{address.compressed}]"
    if literal != name:
        return None
    if _IPV4_LIKE.match(name.rsplit(".", 1)[-1]):
        if not all(_IPV4_LIKE.match(part) for part in name.split(".")):
            return None
        try:
            return str(ipaddress.IPv4Address(socket.inet_aton(name)))
        except OSError:
            return None
    try:
        return idna.encode(name, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        return None


def split(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host in its one spelling, port or None when it is the scheme's default) of a
    URL; None if it has no host or its host or port is not one."""
    parts = urlsplit((url or "").strip())
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        host, _bracket, rest = netloc.partition("]")
        host += "]"
        port_text = rest.removeprefix(":")
    else:
        host, _colon, port_text = netloc.partition(":")
    name = normal_name(host)
    if name is None:
        return None
    port: int | None = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        port = int(port_text)
    scheme = parts.scheme.lower()
    if port == DEFAULT_PORTS.get(scheme):
        port = None
    return scheme, name, port


def origin(url: str) -> str:
    """ "scheme://host[:port]" of a URL in its one spelling (the port only when not the scheme's
    default); "" if it has no host that is one."""
    found = split(url)
    if found is None:
        return ""
    scheme, name, port = found
    return f"{scheme}://{name}" + (f":{port}" if port is not None else "")
