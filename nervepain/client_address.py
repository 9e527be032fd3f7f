"""The reader's address behind our proxies: one rule for Django (``request.client_ip``: rate
limits, login limits, the address saved with a comment) and for gunicorn's access log.

X-Forwarded-For is read only on a request from a trusted proxy (``FORWARDED_ALLOW_IPS``, the
addresses gunicorn already trusts for X-Forwarded-Proto: by default this machine's own). Each
of the ``DJANGO_TRUSTED_PROXIES`` proxies in front appends the address it saw, so the one our
outermost proxy wrote is that many entries from the end; anything before it is whatever the
client claimed. A request from anywhere else (a client reaching gunicorn directly) is its own
peer address, whatever it sends. No Django import: gunicorn's master loads this.
"""

import functools
import ipaddress
import os

DEFAULT_TRUSTED = "127.0.0.1,::1"


def ip_address(entry: str) -> str | None:
    """The address a proxy wrote, without the port some add ("203.0.113.5:51234",
    "[2001:db8::1]:443"); None for anything else. Saved with a comment as it is: PostgreSQL's
    ``inet`` refused a port, and every post failed."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def trusted_from_env() -> list[str]:
    """``FORWARDED_ALLOW_IPS`` as gunicorn reads it: addresses or networks, or ``*``."""
    value = os.environ.get("FORWARDED_ALLOW_IPS", "")
    return [item.strip() for item in value.split(",") if item.strip()] or DEFAULT_TRUSTED.split(",")


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple | None:
    if "*" in trusted:
        return None
    return tuple(ipaddress.ip_network(item) for item in trusted)


def is_trusted_proxy(peer: str | None, trusted) -> bool:
    """Whether the peer is one of our proxies. A peer that is no address (a Unix socket) is
    local, as gunicorn treats it."""
    networks = _networks(tuple(trusted))
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return True
    return any(address in network for network in networks)


def client_address(peer: str | None, forwarded_for: str, proxies: int, trusted):
    """(the client's address, the X-Forwarded-For entry used if it was no address, or None).

    ``peer`` is REMOTE_ADDR, ``forwarded_for`` the X-Forwarded-For header ("" if none)."""
    if not proxies or not forwarded_for or not is_trusted_proxy(peer, trusted):
        return peer, None
    entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
    if len(entries) < proxies:
        return peer, None
    address = ip_address(entries[-proxies])
    if address is None:
        return peer, entries[-proxies]
    return address, None
