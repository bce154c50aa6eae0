"""HTTP GET with hard limits, for feeds and article pages.

Built on :mod:`http.client` so every limit is exact and visible here:

* timeouts: per socket operation (connect, each read) and for the whole response;
* redirects: at most ``max_redirects`` hops, loops detected, http(s) only;
* size: the body is read in chunks and refused past ``max_bytes``, both as sent and
  after gzip/deflate decompression (a decompression bomb is stopped at the cap);
* politeness: at most one request per ``host_interval_s`` to any one host;
* conditional requests: ``If-None-Match`` / ``If-Modified-Since`` from stored validators.

Failures raise :class:`FetchError` with a one-line reason and whether retrying may help.
"""

from __future__ import annotations

import codecs
import http.client
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

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
    total_timeout_s: float = 30.0  # the whole response, however slowly it trickles
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
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url``, following redirects, conditional on the validators given.

        Raises:
            FetchError: Network failure, timeout, HTTP error, redirect loop, or a body over
                the size limit.
        """
        visited: set[str] = set()
        current = url
        for _ in range(self.limits.max_redirects + 1):
            if current in visited:
                raise FetchError(f"redirect loop back to {current}", transient=False)
            visited.add(current)
            result = self._request(current, etag=etag, last_modified=last_modified)
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

    def _request(self, url: str, *, etag: str | None, last_modified: str | None) -> Response | str:
        """One HTTP exchange: a Response, or the URL a redirect points to."""
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
        deadline = self._clock() + self.limits.total_timeout_s
        try:
            connection = connection_class(parts.netloc, timeout=self.limits.timeout_s)
        except (http.client.HTTPException, ValueError) as exc:
            raise FetchError(f"bad host in {url} ({exc})", transient=False) from None
        try:
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
            body = self._read_body(answer, deadline)
            return _response(url, answer, body)
        except TimeoutError:
            raise FetchError(f"no answer within {self.limits.timeout_s:g} s (timeout)") from None
        except (OSError, http.client.HTTPException, UnicodeError) as exc:
            raise FetchError(f"network error ({type(exc).__name__}: {exc})") from None
        finally:
            connection.close()

    def _read_body(self, answer: http.client.HTTPResponse, deadline: float) -> bytes:
        """Stream the body within the size and time limits, decompressing as it comes."""
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
        while True:
            if self._clock() > deadline:
                raise FetchError(
                    f"response took longer than {self.limits.total_timeout_s:g} s (timeout)"
                )
            chunk = answer.read1(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > cap:
                raise FetchError(f"response is over the {cap:,}-byte limit", transient=False)
            out += inflater.feed(chunk) if inflater else chunk
        if inflater:
            out += inflater.finish()
        return bytes(out)


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
            return self._count(self._decoder.flush())
        except zlib.error as exc:
            raise FetchError(f"corrupt {self._encoding} body ({exc})", transient=False) from None

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
