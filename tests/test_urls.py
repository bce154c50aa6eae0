from __future__ import annotations

import pytest

from marsad.ingest.urls import canonical_url

BASE = "https://example.com/news/2026/03/04/flood"


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/news/2026/03/04/flood",
        "http://example.com/news/2026/03/04/flood/",
        "https://m.example.com/news/2026/03/04/flood?utm_source=tw&utm_medium=social",
        "https://example.com/news/2026/03/04/flood/amp",
        "https://EXAMPLE.com/news/2026/03/04/flood#comments",
        "https://example.com:443/news/2026/03/04/flood?fbclid=abc",
    ],
)
def test_variants_of_one_article_share_a_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == canonical_url(BASE)


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert canonical_url("https://x.com/a?id=5&page=2") == canonical_url(
        "https://x.com/a?page=2&id=5"
    )
    assert canonical_url("https://x.com/a?id=5") != canonical_url("https://x.com/a?id=6")


def test_different_paths_stay_different() -> None:
    assert canonical_url(BASE) != canonical_url(BASE + "-2")


def test_non_http_input_is_returned_stripped() -> None:
    assert canonical_url("  urn:x:1 ") == "urn:x:1"
