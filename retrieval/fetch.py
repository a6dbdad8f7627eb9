"""Fetching pages and feeds from the web without letting a link reach inside the network.

A URL given to ``newsbot ingest`` (or to Discord's ``/ingest`` by a moderator, or found in a
feed) is untrusted. Every TCP connection, the first and each redirect's, is checked when it is
made, after DNS resolution: loopback, private, link-local, multicast, reserved and other
non-public addresses are refused unless they lie in a network the settings allow (an intranet).
Checking at connect time, on the address actually dialled, also closes DNS rebinding.

A download is capped in bytes (counted after decompression, so a compressed bomb is cut too)
and in total time, not only per read, so a server that trickles one byte at a time cannot hold
an ingest.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

USER_AGENT = "newsbot/0.1 (+https://pypi.org/project/newsbot)"
MAX_REDIRECTS = 5
NOT_MODIFIED = 304
READ_TIMEOUT = 10.0  # seconds one read may wait; the whole download has ``deadline``
ERROR_CHARS = 120  # of a network error message kept in a failure line
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class RefusedAddress(Exception):
    """A connection would go to an address outside the public internet."""


@dataclass(frozen=True)
class FetchPolicy:
    """Where a download may go and how much of it is taken."""

    allow_networks: tuple[IPNetwork, ...]  # reachable although not public (an intranet)
    max_bytes: int  # largest download, or file read whole
    deadline: float  # seconds for one whole download

    @classmethod
    def parse(cls, allow_networks: str, max_bytes: int, deadline: float) -> FetchPolicy:
        """From the settings' comma-separated CIDR list; ValueError names a bad entry."""
        nets = []
        for part in (p.strip() for p in allow_networks.split(",")):
            if part:
                try:
                    nets.append(ipaddress.ip_network(part, strict=False))
                except ValueError:
                    raise ValueError(f"{part!r} is not a network such as 10.0.0.0/8") from None
        return cls(tuple(nets), max_bytes, deadline)

    def allows(self, ip: IPAddress) -> bool:
        """Public addresses, and any address inside an allowed network."""
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allow_networks if net.version == ip.version):
            return True
        return is_public(ip)

    def too_large(self) -> str:
        """The one-line reason for a source over ``max_bytes`` (a download, or a file read whole)."""
        return f"is larger than the source size limit of {self.max_bytes / 1_000_000:g} MB (NEWSBOT_MAX_SOURCE_MB)"


def is_public(ip: IPAddress) -> bool:
    """An address on the public internet: not loopback, private, link-local, multicast or reserved."""
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, dialling only addresses the policy allows."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        refused = [ip for ip in addresses if not self.policy.allows(ip)]
        if refused or not addresses:
            where = str(refused[0]) if refused else "no address"
            raise RefusedAddress(where if where == host else f"{host} resolves to {where}")
        return super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)


@dataclass
class Page:
    """A downloaded response: its final URL (after redirects), content type and bytes."""

    url: str
    content_type: str
    content: bytes
    encoding: str
    status: int = 200
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """The server said the copy we hold is current (304 to a conditional GET)."""
        return self.status == NOT_MODIFIED

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")


class Fetcher:
    """Downloads under one policy; one client (and its connection pool) per ingest run."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        transport = httpx.HTTPTransport(retries=0)
        # The only way into httpx's transport for a custom network backend: its connection pool.
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend(policy), retries=0)
        self.client = httpx.Client(
            transport=transport, follow_redirects=True, max_redirects=MAX_REDIRECTS, trust_env=False,
            timeout=httpx.Timeout(min(READ_TIMEOUT, policy.deadline)), headers={"User-Agent": USER_AGENT},
        )

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Page:
        """GET ``url``; ValueError with a one-line reason for anything but a whole 2xx answer.

        Given the validators of a copy held (``etag``, ``last_modified``) the request is
        conditional, and a 304 answer is a Page with no content whose ``not_modified`` is true.
        """
        started = time.monotonic()
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code >= 400:
                    raise ValueError(f"answered HTTP {response.status_code}")
                validators = {"etag": response.headers.get("etag", ""),
                              "last_modified": response.headers.get("last-modified", "")}
                if response.status_code == NOT_MODIFIED:
                    return Page(str(response.url), "", b"", "utf-8", NOT_MODIFIED, **validators)
                content = self._read(response, started)
                return Page(str(response.url), response.headers.get("content-type", "").lower(), content,
                            response.encoding or "utf-8", response.status_code, **validators)
        except RefusedAddress as exc:
            raise ValueError(f"is refused: {exc}, which is not a public address; "
                             "set NEWSBOT_ALLOW_NETWORKS to reach an intranet") from None
        except httpx.TooManyRedirects:
            raise ValueError(f"redirects more than {MAX_REDIRECTS} times") from None
        except httpx.HTTPError as exc:
            raise ValueError(f"is unreachable ({type(exc).__name__}: {str(exc)[:ERROR_CHARS] or 'no answer'})") from None

    def _read(self, response: httpx.Response, started: float) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ValueError(self.policy.too_large())
        body = bytearray()
        for piece in response.iter_bytes():
            body += piece
            if len(body) > limit:
                raise ValueError(self.policy.too_large())
            if time.monotonic() - started > self.policy.deadline:
                raise ValueError(f"took longer than {self.policy.deadline:g} s to download "
                                 "(the limit is NEWSBOT_FETCH_TIMEOUT)")
        return bytes(body)

    def close(self) -> None:
        self.client.close()
