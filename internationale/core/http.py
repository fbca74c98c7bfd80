"""The address of the person making a request, as the server's own proxies report it."""

from django.conf import settings
from django.http import HttpRequest


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
