"""Who is asking: the client address the abuse limits count by.

The socket peer is the client, unless the peer is a trusted proxy (`ALLORA_TRUSTED_PROXIES`):
then the right-most address of `X-Forwarded-For` that is not a trusted proxy. Addresses to the
left of it were written by the client itself and prove nothing; an entry that is not an address
ends the walk at the peer, so no header text ever becomes a limiter key. An IPv6 client is
its /64: one home or host is given a whole /64, and counting each of its addresses apart would
let it rotate past every limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any

from litestar.connection import ASGIConnection

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
_STATE_KEY = "trusted_proxies"


class TrustedProxies:
    """The proxies whose `X-Forwarded-For` is believed (none by default)."""

    def __init__(self, networks: Iterable[Network] = ()) -> None:
        self._networks = tuple(networks)

    def state(self) -> dict[str, object]:
        """The app state entry `client_address` reads."""
        return {_STATE_KEY: self}

    def trusts(self, address: Address) -> bool:
        return any(address in network for network in self._networks)

    def client_of(self, peer: str, forwarded_for: Iterable[str]) -> str:
        """The client behind `peer`, given the `X-Forwarded-For` header values in order."""
        hop = _address(peer)
        if hop is None or not self._networks or not self.trusts(hop):
            return peer
        entries = [entry for value in forwarded_for for entry in value.split(",")]
        for entry in reversed(entries):
            nearer = _address(entry.strip())
            if nearer is None:
                return peer
            hop = nearer
            if not self.trusts(hop):
                break
        return str(hop)


def _address(text: str) -> Address | None:
    """A plain IPv4 or IPv6 address (IPv4-mapped ones as IPv4); None for anything else, scoped
    IPv6 included: its zone is free text a client could vary."""
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address):
        if address.scope_id is not None:
            return None
        return address.ipv4_mapped or address
    return address


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    if connection.client is None:
        return "unknown"
    proxies = connection.app.state.get(_STATE_KEY)
    if not isinstance(proxies, TrustedProxies):
        return _counted_as(connection.client.host)
    forwarded = connection.headers.getall("x-forwarded-for", [])
    return _counted_as(proxies.client_of(connection.client.host, forwarded))


def _counted_as(client: str) -> str:
    """An IPv6 address as its /64; anything else as it is."""
    address = _address(client)
    if isinstance(address, IPv6Address):
        return str(ip_network(f"{address}/64", strict=False))
    return client
