"""Fetching pages and feeds from the web without letting a link reach inside the network.

A URL given to ``newsbot ingest`` (or to Discord's ``/ingest`` by a moderator, or found in a
feed) is untrusted. Every TCP connection, the first and each redirect's, is checked when it is
made, after DNS resolution: loopback, private, link-local, multicast, reserved and other
non-public addresses are refused unless they lie in a network the settings allow (an intranet).
Checking at connect time, on the address actually dialled, also closes DNS rebinding.

A download is capped in bytes and in time. The body is decompressed here, stage by stage with
each stage's output bounded by the size limit, so no chain of encodings (``gzip, gzip``) can
inflate past it. The deadline covers the whole exchange, headers included: every read on the
socket waits at most for what is left of it, so a server trickling a byte at a time is cut off.

The transport is built from httpcore's public API (a connection pool with our network backend),
not from httpx's internals.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from retrieval.sources.networks import IPAddress, IPNetwork, parse_networks

USER_AGENT = "newsbot/0.1 (+https://pypi.org/project/newsbot)"
MAX_REDIRECTS = 5
NOT_MODIFIED = 304
READ_TIMEOUT = 10.0  # seconds one read may wait; the whole exchange has ``deadline``
ERROR_CHARS = 120  # of a network error message kept in a failure line
ACCEPT_ENCODING = "gzip, deflate"  # the encodings ``decoded`` can bound; anything else is refused


class RefusedAddress(Exception):
    """A connection would go to an address outside the public internet."""


class TooLarge(ValueError):
    """A body (or one stage of its decompression) went past the size limit."""


@dataclass(frozen=True)
class FetchPolicy:
    """Where a download may go and how much of it is taken."""

    allow_networks: tuple[IPNetwork, ...]  # reachable although not public (an intranet)
    max_bytes: int  # largest download, or file read whole
    deadline: float  # seconds for one whole exchange, headers and body

    @classmethod
    def parse(cls, allow_networks: str, max_bytes: int, deadline: float) -> FetchPolicy:
        """From the settings' comma-separated CIDR list; ValueError names a bad entry."""
        return cls(parse_networks(allow_networks), max_bytes, deadline)

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

    def too_slow(self) -> str:
        return f"took longer than {self.deadline:g} s to download (the limit is NEWSBOT_FETCH_TIMEOUT)"


def is_public(ip: IPAddress) -> bool:
    """An address on the public internet: not loopback, private, link-local, multicast or reserved."""
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


class _Clock(threading.local):
    """When the exchange under way on this thread must end (monotonic seconds; inf: no exchange)."""

    ends: float = float("inf")

    def left(self, timeout: float | None) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the download deadline passed")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write waits at most for what is left of the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, clock: _Clock) -> None:
        self.inner = inner
        self.clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.clock.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.clock.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, self.clock.left(timeout)),
                               self.clock)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, dialling only addresses the policy allows, within the deadline."""

    def __init__(self, policy: FetchPolicy, clock: _Clock) -> None:
        self.policy = policy
        self.clock = clock

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
        stream = super().connect_tcp(str(addresses[0]), port, self.clock.left(timeout), local_address, socket_options)
        return _DeadlineStream(stream, self.clock)


# httpcore's exceptions as httpx's, so the client's redirect handling and our messages see one kind.
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout), (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout), (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException), (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError), (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError), (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError), (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextmanager
def _as_httpx() -> Iterator[None]:
    """httpcore's errors raised as httpx's (anything else, ``RefusedAddress`` included, as it is)."""
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc)) from None
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, parts: Iterable[bytes]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self.parts

    def close(self) -> None:
        close = getattr(self.parts, "close", None)
        if close is not None:
            close()


@functools.lru_cache(maxsize=1)
def _ssl_context() -> Any:
    """One TLS context (the system's trusted roots) for every download of the process: loading the
    roots takes ~40 ms, and a context is safe to share between connections and threads."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore connection pool that uses ``GuardedBackend``."""

    def __init__(self, policy: FetchPolicy, clock: _Clock) -> None:
        self.pool = httpcore.ConnectionPool(ssl_context=_ssl_context(),
                                            network_backend=GuardedBackend(policy, clock), retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        url = httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                           target=request.url.raw_path)
        core = httpcore.Request(method=request.method, url=url, headers=request.headers.raw,
                                content=request.stream, extensions=request.extensions)
        with _as_httpx():
            response = self.pool.handle_request(core)
        assert isinstance(response.stream, Iterable)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(response.stream), extensions=response.extensions)

    def close(self) -> None:
        self.pool.close()


class _Stage:
    """One decompression step whose output never exceeds ``limit`` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}[encoding]
        self.raw_deflate = encoding == "deflate"  # some servers send deflate without its zlib header
        self.inflater = zlib.decompressobj(wbits)
        self.limit = limit
        self.made = 0

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        while data and not self.inflater.eof:
            try:
                piece = self.inflater.decompress(data, self.limit - self.made + 1)
            except zlib.error:
                if not (self.raw_deflate and self.made == 0 and not out):
                    raise ValueError("sent a body that does not decompress (a damaged download)") from None
                self.raw_deflate = False
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self.made += len(piece)
            if self.made > self.limit:
                raise TooLarge()
            out += piece
            data = self.inflater.unconsumed_tail
        return bytes(out)


def decoded(parts: Iterable[bytes], content_encoding: str, limit: int) -> Iterator[bytes]:
    """The body decoded through every listed encoding (applied right to left), each stage's output
    bounded by ``limit``; ValueError for an encoding that cannot be bounded here."""
    codes = [c.strip().lower() for c in content_encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    unknown = [c for c in codes if c not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise ValueError(f"sent a body in an encoding newsbot does not read ({unknown[0]})")
    stages = [_Stage(c, limit) for c in reversed(codes)]
    for part in parts:
        for stage in stages:
            part = stage.feed(part)
        if part:
            yield part


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
        self._clock = _Clock()
        self.client = httpx.Client(
            transport=GuardedTransport(policy, self._clock), follow_redirects=True, max_redirects=MAX_REDIRECTS,
            trust_env=False, timeout=httpx.Timeout(min(READ_TIMEOUT, policy.deadline)),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        )

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Page:
        """GET ``url``; ValueError with a one-line reason for anything but a whole 2xx answer.

        Given the validators of a copy held (``etag``, ``last_modified``) the request is
        conditional, and a 304 answer is a Page with no content whose ``not_modified`` is true.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._clock.ends = time.monotonic() + self.policy.deadline
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code >= 400:
                    raise ValueError(f"answered HTTP {response.status_code}")
                validators = {"etag": response.headers.get("etag", ""),
                              "last_modified": response.headers.get("last-modified", "")}
                if response.status_code == NOT_MODIFIED:
                    return Page(str(response.url), "", b"", "utf-8", NOT_MODIFIED, **validators)
                content = self._read(response)
                return Page(str(response.url), response.headers.get("content-type", "").lower(), content,
                            response.encoding or "utf-8", response.status_code, **validators)
        except RefusedAddress as exc:
            raise ValueError(f"is refused: {exc}, which is not a public address; "
                             "set NEWSBOT_ALLOW_NETWORKS to reach an intranet") from None
        except httpx.TooManyRedirects:
            raise ValueError(f"redirects more than {MAX_REDIRECTS} times") from None
        except httpx.TimeoutException:
            if time.monotonic() >= self._clock.ends:
                raise ValueError(self.policy.too_slow()) from None
            raise ValueError("is unreachable (it stopped answering)") from None
        except httpx.HTTPError as exc:
            raise ValueError(f"is unreachable ({type(exc).__name__}: {str(exc)[:ERROR_CHARS] or 'no answer'})") from None
        finally:
            self._clock.ends = float("inf")

    def _read(self, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "")
        if declared.isdigit() and int(declared) > limit:
            raise ValueError(self.policy.too_large())
        body = bytearray()
        try:
            for piece in decoded(response.iter_raw(), encoding, limit):
                body += piece
                if len(body) > limit:
                    raise TooLarge()
        except TooLarge:
            raise ValueError(self.policy.too_large()) from None
        return bytes(body)

    def close(self) -> None:
        self.client.close()
