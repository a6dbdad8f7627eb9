"""The networks URL ingest may reach although they are not public, read from the settings' text.

Apart from the fetcher so the settings can check the list when they load, without loading the
HTTP stack.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """A comma-separated CIDR list ("10.0.0.0/8, 192.168.1.0/24"); ValueError names a bad entry."""
    nets = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"{part!r} is not a network such as 10.0.0.0/8") from None
    return tuple(nets)
