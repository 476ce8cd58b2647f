"""Where a request came from, in a way a client cannot choose.

Without configuration the address is REMOTE_ADDR, the peer of the TCP connection. Behind a
reverse proxy that peer is the proxy itself; the operator then lists the proxies' addresses in
ALLIANCE_TRUSTED_PROXIES, and the address is read from X-Forwarded-For from the right: the
first address that is not one of the trusted proxies is the client. Anything a client wrote
to the left of that in the header is ignored, so a spoofed X-Forwarded-For changes nothing
(and a request that did not come through a trusted proxy has its header ignored entirely).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = _networks(tuple(settings.ALLIANCE_TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: stop at the last address we can vouch for
        if not _is_trusted(address, networks):
            return str(address)
        remote = address
    return str(remote)


def login_username(request, credentials) -> str | None:
    """The account a sign-in attempt names, as the login matches it (emails ignore case).

    Without this, ALICE@example.org and alice@example.org would be counted apart.
    """
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    if not username:
        return username
    return username.strip().lower()
