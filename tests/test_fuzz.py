"""Property and fuzz tests: parsers and the Arabic text layer never fail on hostile input.

Budgets are bounded (``max_examples``) so the whole file stays within a few seconds.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import InputError
from marsad.ingest.encoding import decode_bytes
from marsad.text import arabic
from marsad.text.dates import MAX_YEAR, MIN_YEAR, parse_date
from marsad.watch.feeds import MAX_ITEMS, parse_feed
from marsad.watch.fetch import FetchError, decode_document
from marsad.watch.pages import extract_article, html_to_text

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARABIC = "".join(chr(c) for c in range(0x0600, 0x0700)) + "ﻻﻷ\ufdf2\ufefb"
TRICKY = "\u200c\u200d\u200f\u202e\ufeff\u00ad\u0640\r\n\t \u00a0\x00\x01\x0b\x7f\ud7ff\U0001f600<>&;\"'/="
arabic_text = st.text(alphabet=ARABIC + TRICKY + "0123456789٠١٢٣٤٥٦٧٨٩:/-., abcXYZ", max_size=300)
any_text = st.one_of(st.text(max_size=300), arabic_text)


@FAST
@given(any_text)
def test_text_layer_never_raises_and_offsets_stay_in_range(text: str) -> None:
    shown = arabic.display(text)
    assert arabic.display(shown) == shown
    folded = arabic.fold(text)
    assert arabic.fold(folded) == folded
    for token in arabic.tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.text
    for start, end in arabic.sentence_spans(text):
        assert 0 <= start <= end <= len(text)
    folded_chars, offsets = arabic.fold_with_offsets(text)
    assert len(offsets) == len(folded_chars) and all(0 <= o < len(text) for o in offsets)


@FAST
@given(st.binary(max_size=400))
def test_decoders_return_text_or_one_clear_error(data: bytes) -> None:
    try:
        assert isinstance(decode_bytes(data, origin="fuzz"), str)
    except InputError as exc:
        assert "fuzz" in str(exc) and "\n" not in str(exc)
    try:
        assert isinstance(decode_document(data, declared="utf-8", origin="fuzz"), str)
    except FetchError as exc:
        assert not exc.transient


@FAST
@given(any_text)
def test_dates_never_raise_and_stay_in_range(text: str) -> None:
    found = parse_date(text, now=datetime(2024, 5, 16, 12, 0))
    assert found is None or MIN_YEAR <= found.year <= MAX_YEAR


MONTHS = {
    1: ["كانون الثاني", "يناير", "جانفي"], 2: ["شباط", "فبراير", "فيفري"], 3: ["آذار", "مارس"],
    4: ["نيسان", "أبريل", "ابريل", "أفريل"], 5: ["أيار", "مايو", "ماي"], 6: ["حزيران", "يونيو", "جوان"],
    7: ["تموز", "يوليو", "جويلية"], 8: ["آب", "أغسطس", "أوت"], 9: ["أيلول", "سبتمبر"],
    10: ["تشرين الأول", "أكتوبر"], 11: ["تشرين الثاني", "نوفمبر"], 12: ["كانون الأول", "ديسمبر"],
}  # fmt: skip
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@FAST
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    st.data(),
)
def test_written_dates_parse_back(day: date, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(MONTHS[day.month]))
    hour, minute = data.draw(st.integers(0, 23)), data.draw(st.integers(0, 59))
    weekday = data.draw(st.sampled_from(["", "الخميس ", "السبت، "]))
    text = f"{weekday}{day.day} {name} {day.year} - {hour:02d}:{minute:02d}"
    if data.draw(st.booleans()):
        text = text.translate(INDIC)
    expected = datetime(day.year, day.month, day.day, hour, minute)
    assert parse_date(text) == expected


@FAST
@given(any_text)
def test_feed_parser_never_raises_on_arbitrary_text(text: str) -> None:
    feed = parse_feed(text, url="http://127.0.0.1/feed.xml")
    assert len(feed.items) <= MAX_ITEMS
    assert feed.items or feed.problem is None or "\n" not in feed.problem


@SLOW
@given(st.lists(st.tuples(any_text, any_text, any_text, any_text), max_size=5))
def test_feed_parser_on_feeds_with_hostile_fields(entries: list[tuple[str, str, str, str]]) -> None:
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><pubDate>{escape(d)}</pubDate>"
        f"<description>{escape(body)}</description></item>"
        for t, link, d, body in entries
    )
    feed = parse_feed(
        f"<rss version='2.0'><channel><title>x</title>{items}</channel></rss>", url="http://h/f"
    )
    assert len(feed.items) <= len(entries)
    for item in feed.items:
        assert item.url is None or item.url.startswith(("http://", "https://"))
        assert "\x00" not in item.title + item.text


MARKUP = ["<p>", "</p>", "<div>", "<article>", "<script>", "</script>", "<h1>", "</h1>", "<!--",
          "-->", "<![CDATA[", "<meta charset=x>", "<time datetime='2023-03-14'>", "&amp;", "&#x0;", "<"]  # fmt: skip
html_soup = st.lists(st.one_of(arabic_text, st.sampled_from(MARKUP)), max_size=40).map("".join)


@SLOW
@given(html_soup)
def test_page_extraction_never_raises(html: str) -> None:
    page = extract_article(html, url="http://127.0.0.1/a.html")
    assert page is None or page.text.strip()
    assert isinstance(html_to_text(html), str)
