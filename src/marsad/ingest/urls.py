"""Canonical article URLs: one article, one identity across URL variants.

Feeds and pages reach the same article through tracking parameters, mobile and AMP hosts,
fragments and trailing slashes; all of those collapse to one canonical form here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change which article a URL points to.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "share",
        "from",
        "src",
        "output",
        "amp",
        "ocid",
        "cmpid",
        "s_cid",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "ar.m.")  # views of the same site


def canonical_url(url: str) -> str:
    """Normalise a URL so that variants of one article compare equal.

    Lower-cases scheme and host, drops mobile/AMP host prefixes, default ports, fragments,
    tracking parameters, an ``/amp`` path suffix and trailing slashes; sorts the rest of
    the query. Returns the stripped input unchanged when it is not an absolute http(s) URL.
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return text
    host = (parts.hostname or "").lower()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    for suffix in ("/amp", "/amp/"):
        if path.endswith(suffix):
            path = path[: -len(suffix)] or "/"
    path = path.rstrip("/") or "/"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    # http and https serve the same article: identity ignores the scheme.
    return urlunsplit(("https", host, path, urlencode(query), ""))
