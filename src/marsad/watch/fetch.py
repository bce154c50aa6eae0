"""HTTP GET with hard limits, for feeds and article pages.

Built on :mod:`http.client` so every limit is exact and visible here:

* timeouts: per socket operation (connect, each read), and one deadline for the whole
  exchange (connect, headers, body) that a watchdog enforces by cutting the connection, so a
  server trickling a byte at a time cannot hold a fetch past it;
* redirects: at most ``max_redirects`` hops, loops detected, http(s) only;
* size: the body is read in chunks and refused past ``max_bytes``, both as sent and
  after gzip/deflate decompression (a decompression bomb is stopped at the cap);
* politeness: at most one request per ``host_interval_s`` to any one host;
* conditional requests: ``If-None-Match`` / ``If-Modified-Since`` from stored validators;
* completeness: a body shorter than its Content-Length, a chunked body without its last
  chunk, or a gzip/deflate stream that stops early is an error, never a short success.

Failures raise :class:`FetchError` with a one-line reason and whether retrying may help.
"""

from __future__ import annotations

import codecs
import http.client
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from marsad import __version__
from marsad.errors import InputError
from marsad.ingest.encoding import decode_bytes

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"
_SNIFF_BYTES = 2048
# A charset declared inside the document: <?xml ... encoding="..."?> or <meta charset=...>.
_DECLARED_CHARSET = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)|<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


class FetchError(Exception):
    """A URL could not be fetched; ``transient`` when a later retry may succeed."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchLimits:
    """Bounds on one fetch; the defaults suit news feeds and article pages."""

    timeout_s: float = 10.0  # connect, and each read
    total_timeout_s: float = 30.0  # connect + headers + body, however slowly they trickle
    max_bytes: int = 5_000_000  # body, as sent and after decompression
    max_redirects: int = 5
    host_interval_s: float = 1.0  # politeness: minimum gap between requests to one host
    user_agent: str = f"Marsad/{__version__} (Arabic news monitor)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """A fetched resource (status 200) or a not-modified answer (304, empty body)."""

    url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """The server says the resource has not changed since the validators sent."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded; see :func:`decode_document`."""
        return decode_document(self.body, declared=self.charset, origin=self.url)


def decode_document(body: bytes, *, declared: str | None, origin: str) -> str:
    """Decode a feed or page whatever its declared encoding says.

    Valid UTF-8 wins (servers often declare a legacy charset for UTF-8 content); then the
    charset declared by the header or the document itself, if the bytes fit it; then the
    ingest decoder's guesses (UTF-16 without BOM, nearly valid UTF-8, cp1256).

    Raises:
        FetchError: The body is binary or fits no known encoding (not transient).
    """
    try:
        return body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    charset = declared or _sniff_charset(body[:_SNIFF_BYTES])
    if charset:
        try:
            return body.decode(codecs.lookup(charset).name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_bytes(body, origin=origin)
    except InputError as exc:
        raise FetchError(str(exc), transient=False) from None


def _sniff_charset(head: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(head)
    if match is None:
        return None
    return (match[1] or match[2]).decode("ascii")


class Fetcher:
    """Fetches URLs within :class:`FetchLimits`; keeps per-host timing for politeness."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._clock = clock
        self._sleep = sleep
        self._next_slot: dict[str, float] = {}

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        total_timeout_s: float | None = None,
    ) -> Response:
        """GET ``url``, following redirects, conditional on the validators given.

        ``total_timeout_s`` overrides the limits' deadline for each response of this call.

        Raises:
            FetchError: Network failure, timeout, HTTP error, redirect loop, a body over
                the size limit, or a body cut short (transient: retry later).
        """
        total = self.limits.total_timeout_s if total_timeout_s is None else total_timeout_s
        visited: set[str] = set()
        current = url
        for _ in range(self.limits.max_redirects + 1):
            if current in visited:
                raise FetchError(f"redirect loop back to {current}", transient=False)
            visited.add(current)
            result = self._request(current, etag=etag, last_modified=last_modified, total=total)
            if isinstance(result, Response):
                return result
            current = result
        raise FetchError(
            f"more than {self.limits.max_redirects} redirects; use the final URL", transient=False
        )

    def _wait_turn(self, host: str) -> None:
        """Sleep until this host may be asked again (one request per interval)."""
        now = self._clock()
        slot = self._next_slot.get(host, now)
        if slot > now:
            self._sleep(slot - now)
            now = slot
        self._next_slot[host] = now + self.limits.host_interval_s

    def _request(
        self, url: str, *, etag: str | None, last_modified: str | None, total: float
    ) -> Response | str:
        """One HTTP exchange within ``total`` seconds: a Response, or a redirect's URL."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}", transient=False)
        self._wait_turn(parts.netloc.lower())
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        headers = {
            "User-Agent": self.limits.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "application/rss+xml, application/atom+xml, application/xml, text/html;q=0.9, */*;q=0.5",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            connection = connection_class(parts.netloc, timeout=min(self.limits.timeout_s, total))
        except (http.client.HTTPException, ValueError) as exc:
            raise FetchError(f"bad host in {url} ({exc})", transient=False) from None
        cutoff = _Cutoff(connection, total)
        result: Response | str | None = None
        error: FetchError | None = None
        try:
            connection.connect()
            if not cutoff.fired:  # fired while connecting: the socket was not there to cut
                result = self._exchange(connection, url, parts, headers)
        except FetchError as exc:
            error = exc
        except http.client.IncompleteRead:
            error = FetchError("body cut short: the chunked body ended without its last chunk")
        except TimeoutError:
            error = FetchError(f"no answer within {self.limits.timeout_s:g} s (timeout)")
        except (OSError, http.client.HTTPException, UnicodeError) as exc:
            error = FetchError(f"network error ({type(exc).__name__}: {exc})")
        finally:
            cutoff.cancel()
            connection.close()
        # Once cut, whatever the exchange made of the dead socket (even a 200 with an empty
        # body, as http.client takes EOF for the end of the headers) is only the timeout.
        if cutoff.fired:
            raise FetchError(f"no complete response within {total:g} s (timeout)")
        if error is not None:
            raise error
        assert result is not None
        return result

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        url: str,
        parts: SplitResult,
        headers: dict[str, str],
    ) -> Response | str:
        connection.request("GET", _target(parts.path, parts.query), headers=headers)
        answer = connection.getresponse()
        status = answer.status
        if status in _REDIRECTS:
            location = answer.getheader("Location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location", transient=False)
            return urljoin(url, location.strip())
        if status == 304:
            return _response(url, answer, b"")
        if status != 200:
            raise FetchError(
                f"HTTP {status} {answer.reason}".strip(),
                transient=status >= 500 or status in (408, 429),
            )
        return _response(url, answer, self._read_body(answer))

    def _read_body(self, answer: http.client.HTTPResponse) -> bytes:
        """Stream the whole body within the size limit, decompressing as it comes."""
        cap = self.limits.max_bytes
        declared_length = answer.getheader("Content-Length")
        if declared_length and declared_length.strip().isdigit() and int(declared_length) > cap:
            raise FetchError(
                f"response of {int(declared_length):,} bytes is over the {cap:,}-byte limit",
                transient=False,
            )
        encoding = (answer.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding not in {"identity", "gzip", "x-gzip", "deflate"}:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", transient=False)
        inflater: _Inflater | None = None if encoding == "identity" else _Inflater(encoding, cap)
        received = 0
        out = bytearray()
        while chunk := answer.read1(_CHUNK):
            received += len(chunk)
            if received > cap:
                raise FetchError(f"response is over the {cap:,}-byte limit", transient=False)
            out += inflater.feed(chunk) if inflater else chunk
        # read1 answers b"" both at the end and when the server closes early; what is still
        # owed of the Content-Length tells them apart (chunked bodies raise IncompleteRead).
        if answer.length:
            raise FetchError(
                f"body cut short: {received:,} of {received + answer.length:,} bytes "
                "(Content-Length) came before the connection closed"
            )
        if inflater:
            out += inflater.finish()
        return bytes(out)


class _Cutoff:
    """Shuts a connection's socket down at a deadline.

    Socket timeouts bound each read, not the response: a server sending one byte every few
    seconds would otherwise hold the fetch indefinitely. Shutting the socket down wakes the
    blocked read in the fetching thread with an end of file.
    """

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(max(0.0, seconds), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        self.fired = True  # before reading .sock: see the check after connect() in _request
        sock = self._connection.sock
        if sock is not None:
            # The plain socket's shutdown, also under TLS: SSLSocket.shutdown would tear
            # down its SSL object under the reading thread.
            with suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _Inflater:
    """Incremental gzip/deflate decoding that refuses output beyond a cap."""

    def __init__(self, encoding: str, cap: int) -> None:
        self._encoding = encoding
        self._cap = cap
        self._produced = 0
        self._decoder: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        if self._decoder is None:
            # "deflate" is zlib-wrapped by the RFC, but many servers send raw deflate.
            wbits = 31 if "gzip" in self._encoding else (15 if _has_zlib_header(data) else -15)
            self._decoder = zlib.decompressobj(wbits)
        try:
            out = self._decoder.decompress(data, self._cap - self._produced + 1)
        except zlib.error as exc:
            raise FetchError(f"corrupt {self._encoding} body ({exc})", transient=False) from None
        return self._count(out)

    def finish(self) -> bytes:
        if self._decoder is None:
            return b""
        try:
            out = self._count(self._decoder.flush())
        except zlib.error as exc:
            raise FetchError(f"corrupt {self._encoding} body ({exc})", transient=False) from None
        if not self._decoder.eof:  # a close-delimited body cut mid-stream
            raise FetchError(f"body cut short: the {self._encoding} stream stops before its end")
        return out

    def _count(self, out: bytes) -> bytes:
        self._produced += len(out)
        if self._produced > self._cap:
            raise FetchError(
                f"{self._encoding} body inflates past the {self._cap:,}-byte limit "
                "(decompression bomb?); refused",
                transient=False,
            )
        return out


def _has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0


def _target(path: str, query: str) -> str:
    # Arabic slugs are common in article URLs; the request line must be ASCII.
    target = quote(path or "/", safe=_URL_SAFE)
    return f"{target}?{quote(query, safe=_URL_SAFE)}" if query else target


def _response(url: str, answer: http.client.HTTPResponse, body: bytes) -> Response:
    return Response(
        url=url,
        status=answer.status,
        body=body,
        content_type=answer.headers.get_content_type(),
        charset=answer.headers.get_content_charset(),
        etag=answer.getheader("ETag"),
        last_modified=answer.getheader("Last-Modified"),
    )
