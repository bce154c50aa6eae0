"""Tests of the ingest readers and byte decoding."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import InputError, MarsadError
from marsad.ingest import decode_bytes, parse_date, read_path
from marsad.models import RawArticle, Skipped

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles absent: {SEEDS}")

ARABIC = "أعلنت وزارة الدفاع الروسية مقتل قياديين من تنظيم داعش في سوريا."
ARABIC_2 = "وقال المتحدث إن القوات الجوية دمرت قواعد للإرهابيين في مدينة الميادين."


def _articles(items: list[RawArticle | Skipped]) -> list[RawArticle]:
    return [item for item in items if isinstance(item, RawArticle)]


def _skipped(items: list[RawArticle | Skipped]) -> list[Skipped]:
    return [item for item in items if isinstance(item, Skipped)]


def _read(path: Path, **kwargs: int) -> list[RawArticle | Skipped]:
    return list(read_path(path, **kwargs))


# --- real seeds -----------------------------------------------------------------------


@pytest.mark.shared
@needs_seeds
def test_seeds_folder_yields_five_articles_with_sidecar_metadata() -> None:
    items = _read(SEEDS)
    articles = _articles(items)
    assert len(articles) == 5
    by_file = {Path(a.origin).name: a for a in articles}
    assert by_file["003_8515ba7d24bc95f9.txt"].source == "aawsat"
    assert by_file["002_6d155ba7f0a6c5f2.txt"].source == "alwaght"
    assert by_file["001_07113fe9eb90c3c4.txt"].date == datetime(2017, 10, 26)
    for article in articles:
        assert article.date is not None and article.date.year == 2017
        assert article.title == ""
        assert article.ext_id is None
        assert article.extra["confidence"] in {"low", "medium", "high"}
        assert len(article.text) > 1000
        assert "\n\n\n" not in article.text
    # README.md is reported as ignored; sources.csv is metadata, not an ignored file.
    (ignored,) = _skipped(items)
    assert ignored.reason.startswith("ignored 1 ")
    assert "README.md" in ignored.reason


@pytest.mark.shared
@needs_seeds
def test_seed_keeps_paragraph_newlines() -> None:
    (article,) = _articles(_read(SEEDS / "001_07113fe9eb90c3c4.txt"))
    assert article.text.count("\n") >= 5
    assert article.source == "almasryalyoum"  # sidecar found for a single file too


# --- decode_bytes ---------------------------------------------------------------------


def test_decode_utf8_bom() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + ARABIC.encode(), origin="x") == ARABIC


def test_decode_utf16_le_with_bom() -> None:
    assert decode_bytes(ARABIC.encode("utf-16"), origin="x") == ARABIC
    assert decode_bytes(b"\xfe\xff" + ARABIC.encode("utf-16-be"), origin="x") == ARABIC


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom(encoding: str) -> None:
    assert decode_bytes(ARABIC.encode(encoding), origin="x") == ARABIC
    assert decode_bytes("Plain English text.".encode(encoding), origin="x") == (
        "Plain English text."
    )


def test_decode_cp1256() -> None:
    data = ARABIC.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data, origin="x") == ARABIC


def test_decode_nearly_valid_utf8_is_not_taken_for_cp1256() -> None:
    text = ARABIC * 30 + "ب"
    data = text.encode("utf-8")[:-1]  # cut inside the last letter
    assert decode_bytes(data, origin="x") == text[:-1] + "\ufffd"


def test_decode_refuses_latin1_text_that_is_not_arabic() -> None:
    with pytest.raises(InputError, match=r"^f\.txt: not valid UTF-8.*re-save it as UTF-8"):
        decode_bytes("Ça coûte très cher, déjà réglé.".encode("latin-1"), origin="f.txt")


def test_decode_refuses_binary() -> None:
    with pytest.raises(InputError, match=r"^img\.txt: binary content"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", origin="img.txt")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"abc\x01\x02\x03\x04def" * 10, origin="x")


def test_decode_tolerates_a_stray_control_char() -> None:
    text = ARABIC * 20 + "\x07"
    assert decode_bytes(text.encode(), origin="x") == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decode_arbitrary_bytes_returns_str_or_input_error(data: bytes) -> None:
    try:
        result = decode_bytes(data, origin="fuzz")
    except InputError as err:
        assert str(err).startswith("fuzz: ")
        assert "\n" not in str(err)
    else:
        assert isinstance(result, str)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1))
def test_decode_roundtrips_arabic_utf8(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), origin="x") == text


# --- whole files ----------------------------------------------------------------------


def test_txt_encodings_are_read(tmp_path: Path) -> None:
    (tmp_path / "a_bom.txt").write_bytes(b"\xef\xbb\xbf" + ARABIC.encode())
    (tmp_path / "b_utf16.txt").write_bytes(ARABIC.encode("utf-16"))
    (tmp_path / "c_cp1256.txt").write_bytes(ARABIC.encode("cp1256"))
    articles = _articles(_read(tmp_path))
    assert [a.text for a in articles] == [ARABIC] * 3
    assert [Path(a.origin).name for a in articles] == ["a_bom.txt", "b_utf16.txt", "c_cp1256.txt"]
    assert all(a.source == "unknown" and a.date is None for a in articles)


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (tmp_path / "big.txt").write_text(ARABIC * 100, encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARABIC, encoding="utf-8")
    items = _read(tmp_path, max_bytes=2_000)
    assert [Path(a.origin).name for a in _articles(items)] == ["good.txt"]
    reasons = {Path(s.origin).name: s.reason for s in _skipped(items)}
    assert reasons["empty.txt"].startswith("empty file")
    assert reasons["image.txt"].startswith("binary content")
    assert "over the 2,000-byte limit" in reasons["big.txt"]
    assert all("\n" not in reason for reason in reasons.values())


def test_oversized_record_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"text": "ب" * 1_000_001}) + "\n", encoding="utf-8")
    (skipped,) = _read(path, max_bytes=10_000_000)
    assert isinstance(skipped, Skipped)
    assert skipped.origin == f"{path}:1"
    assert "over 1,000,000" in skipped.reason


def test_txt_with_headers(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Title: عنوان الخبر\nSOURCE: الشرق الأوسط\ndate: 2017-10-08T10:00:00+03:00\n"
        f"url: https://example.com/a?b=1\n\n{ARABIC}\r\n\r\n\r\n{ARABIC_2}\n",
        encoding="utf-8",
    )
    (article,) = _read(path)
    assert isinstance(article, RawArticle)
    assert article.title == "عنوان الخبر"
    assert article.source == "الشرق الأوسط"
    assert article.date == datetime(2017, 10, 8, 7, 0)
    assert article.url == "https://example.com/a?b=1"
    assert article.text == f"{ARABIC}\n\n{ARABIC_2}"


def test_txt_headers_beat_sidecar_and_sidecar_fills_the_rest(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text(
        "file,source,date,confidence\na.txt,outlet-a,2017-03-01,high\nb.txt,outlet-b,bad,low\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(f"source: own\n{ARABIC}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARABIC, encoding="utf-8")
    a, b = _read(tmp_path)
    assert isinstance(a, RawArticle) and isinstance(b, RawArticle)
    assert (a.source, a.date, a.extra) == ("own", datetime(2017, 3, 1), {"confidence": "high"})
    assert (b.source, b.date) == ("outlet-b", None)
    assert b.extra == {"confidence": "low", "date_raw": "bad"}


def test_hidden_and_other_files_are_counted_not_read(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "notes.md").write_text(ARABIC, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "z.TXT").write_text(ARABIC, encoding="utf-8")
    items = _read(tmp_path)
    assert [Path(a.origin).name for a in _articles(items)] == ["z.TXT"]
    (summary,) = _skipped(items)
    assert summary.origin == str(tmp_path)
    assert summary.reason.startswith("ignored 2 ")


def test_missing_path_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_path(tmp_path / "nope"))
    assert issubclass(InputError, MarsadError)


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARABIC, encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    # chmod does not bind root, so simulate the refusal the OS would give.
    monkeypatch.setattr(Path, "open", refuse)
    (skipped,) = _read(path)
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "cannot read file (Permission denied); check it"


# --- JSON lines -----------------------------------------------------------------------


def _record(n: int, **extra: object) -> str:
    fields = {"id": n, "source": "aawsat", "date": "2015-07-21 02:51:32", "title": f"خبر {n}"}
    return json.dumps({**fields, "text": f"{ARABIC} {n}", **extra}, ensure_ascii=False)


def test_jsonl_bad_lines_are_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        _record(1, author="كاتب"),
        "{not json",
        "[1, 2]",
        json.dumps({"id": 9, "text": "   "}),
        "",
        _record(2, url="https://x.test/2"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    articles = _articles(items)
    assert [a.ext_id for a in articles] == ["1", "2"]
    assert articles[0].extra == {"author": "كاتب"}
    assert articles[0].date == datetime(2015, 7, 21, 2, 51, 32)
    assert articles[0].title == "خبر 1"
    assert articles[1].url == "https://x.test/2"
    assert articles[1].origin == f"{path}:6"
    assert [s.origin for s in _skipped(items)] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "invalid JSON" in _skipped(items)[0].reason


def test_jsonl_gz_truncated_keeps_lines_read_before(tmp_path: Path) -> None:
    body = "\n".join(_record(n) for n in range(200)).encode("utf-8")
    whole = gzip.compress(body)
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    items = _read(path)
    articles = _articles(items)
    assert 0 < len(articles) < 200
    assert [a.ext_id for a in articles] == [str(n) for n in range(len(articles))]
    last = items[-1]
    assert isinstance(last, Skipped)
    assert last.origin == str(path)
    assert "truncated" in last.reason


def test_jsonl_gz_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(_record(n) for n in range(3))).encode("utf-8")))
    assert [a.ext_id for a in _articles(_read(path))] == ["0", "1", "2"]


def test_jsonl_gz_that_is_not_gzip_is_one_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_text(_record(1), encoding="utf-8")
    (skipped,) = _read(path)
    assert isinstance(skipped, Skipped)
    assert skipped.origin == str(path)
    assert "unreadable after line 0" in skipped.reason


def test_jsonl_utf8_bom_accepted_utf16_refused(tmp_path: Path) -> None:
    with_bom = tmp_path / "a.jsonl"
    with_bom.write_bytes(b"\xef\xbb\xbf" + (_record(1) + "\n" + _record(2)).encode("utf-8"))
    utf16 = tmp_path / "b.jsonl"
    utf16.write_bytes((_record(3) + "\n").encode("utf-16"))
    items = _read(str(tmp_path))  # a str path is accepted too
    assert [a.ext_id for a in _articles(items)] == ["1", "2"]
    (skipped,) = _skipped(items)
    assert skipped.origin == str(utf16)
    assert "UTF-16" in skipped.reason


def test_jsonl_line_over_max_bytes_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join([_record(1), _record(2, pad="x" * 5_000), _record(3)]), encoding="utf-8"
    )
    items = _read(path, max_bytes=1_000)
    assert [a.ext_id for a in _articles(items)] == ["1", "3"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:2"


# --- CSV ------------------------------------------------------------------------------


def test_csv_extra_columns_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,source,date,title,text,url,author,section\n"
        f'7,alwaght,2017-03-01,عنوان,"{ARABIC}\n{ARABIC_2}",,كاتب,سياسة\n'
        "8,alwaght,2017-03-02,عنوان,,,كاتب,سياسة\n"
        "9,too,few\n",
        encoding="utf-8-sig",
    )
    items = _read(path)
    (article,) = _articles(items)
    assert article.ext_id == "7"
    assert article.text == f"{ARABIC}\n{ARABIC_2}"
    assert article.url is None
    assert article.extra == {"author": "كاتب", "section": "سياسة"}
    assert article.origin == f"{path}:2"
    # Line numbers, as an editor shows them: record 7 spans lines 2-3.
    assert [s.origin for s in _skipped(items)] == [f"{path}:4", f"{path}:5"]


def test_csv_cp1256_and_missing_text_column(tmp_path: Path) -> None:
    good = tmp_path / "a.csv"
    good.write_bytes(f"source,text\nمصدر,{ARABIC}\n".encode("cp1256"))
    bad = tmp_path / "b.csv"
    bad.write_text("source,body\nx,y\n", encoding="utf-8")
    items = _read(tmp_path)
    (article,) = _articles(items)
    assert (article.source, article.text) == ("مصدر", ARABIC)
    (skipped,) = _skipped(items)
    assert skipped.origin == str(bad)
    assert "no 'text' column" in skipped.reason


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2015-07-21", datetime(2015, 7, 21)),
        ("2015-07-21 02:51:32", datetime(2015, 7, 21, 2, 51, 32)),
        ("2015-07-21T02:51:32Z", datetime(2015, 7, 21, 2, 51, 32)),
        ("2015-07-21T02:51:32-02:00", datetime(2015, 7, 21, 4, 51, 32)),
        ("2015/07/21", datetime(2015, 7, 21)),
        ("21 July 2015", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0001-01-01", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "1899-12-31"]
)
def test_parse_date_outside_1900_2100_is_none(raw: str) -> None:
    assert parse_date(raw) is None


# --- hostile records --------------------------------------------------------------------


def _one_line_file(tmp_path: Path, line: str, name: str = "feed.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([_record(1), line, _record(3)]) + "\n", encoding="utf-8")
    return path


def test_lone_surrogates_are_removed_from_every_field_with_one_warning(tmp_path: Path) -> None:
    line = (
        '{"id": "a\\ud800", "source": "s\\udfff", "title": "\\ud800عنوان", "url": "u\\ud800",'
        ' "text": "نص\\ud800 ' + ARABIC + '", "tags": ["x\\udc00"], "k\\ud800": 1,'
        ' "pair": "\\ud83d\\ude00"}'
    )
    items = _read(_one_line_file(tmp_path, line))
    assert not _skipped(items)
    article = _articles(items)[1]
    assert (article.ext_id, article.source, article.title, article.url) == ("a", "s", "عنوان", "u")
    assert article.text == f"نص {ARABIC}"
    assert article.extra == {"tags": ["x"], "k": 1, "pair": "😀"}  # a whole pair is a character
    (warning,) = article.warnings
    assert "removed 7 lone UTF-16 surrogate(s)" in warning
    assert not _articles(items)[0].warnings


def test_unusable_dates_are_kept_raw_with_a_warning(tmp_path: Path) -> None:
    line = json.dumps({"id": 2, "date": "9999-12-31T23:00:00-05:00", "text": ARABIC})
    article = _articles(_read(_one_line_file(tmp_path, line)))[1]
    assert article.date is None
    assert article.extra == {"date_raw": "9999-12-31T23:00:00-05:00"}
    (warning,) = article.warnings
    assert "9999-12-31" in warning and "ingest time" in warning


@pytest.mark.parametrize("quote", ["", '"'])
def test_a_5000_digit_id_is_refused_not_a_crash(tmp_path: Path, quote: str) -> None:
    line = '{"id": ' + quote + "9" * 5_000 + quote + ', "text": "' + ARABIC + '"}'
    path = _one_line_file(tmp_path, line)
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:2"
    assert "id has 5,000 characters" in skipped.reason


def test_a_long_json_integer_elsewhere_stays_text(tmp_path: Path) -> None:
    line = '{"id": 2, "views": ' + "5" * 4_500 + ', "text": "' + ARABIC + '"}'
    article = _articles(_read(_one_line_file(tmp_path, line)))[1]
    assert article.extra == {"views": "5" * 4_500}


@pytest.mark.parametrize(
    "nested", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]
)
def test_json_nested_100000_deep_is_one_skipped_line(tmp_path: Path, nested: str) -> None:
    path = _one_line_file(tmp_path, nested)
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3"]
    (skipped,) = _skipped(items)
    assert (skipped.origin, skipped.reason[:22]) == (f"{path}:2", "JSON nested too deeply")


def test_nul_in_the_first_jsonl_line_costs_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": 0, "text": "a\x00b"}\n' + _record(1) + "\n", encoding="utf-8")
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:1"
    assert "invalid JSON (Invalid control character at column" in skipped.reason


def test_runs_of_alike_bad_records_fold_into_one_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    empty = ['{"text": ""}'] * 5
    path.write_text(
        "\n".join([_record(1), *empty, "", *empty, "{bad", _record(2)]), encoding="utf-8"
    )
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "2"]
    folded, bad = _skipped(items)
    assert folded.origin == f"{path}:2-12"
    assert folded.reason.startswith("10 records in a row: no text")
    assert bad.origin == f"{path}:13"


def test_jsonl_gz_is_streamed(tmp_path: Path) -> None:
    """100,000 empty records (20 MB unpacked) are read in far less memory than the file."""
    import tracemalloc

    path = tmp_path / "empty.jsonl.gz"
    path.write_bytes(gzip.compress(("{" + " " * 180 + '"text": ""}\n').encode() * 100_000))
    tracemalloc.start()
    try:
        items = _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (skipped,) = items
    assert isinstance(skipped, Skipped)
    assert skipped.origin == f"{path}:1-100000"
    assert peak < 2_000_000


# --- hostile CSV ----------------------------------------------------------------------------


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "feed.csv"
    path.write_text("\n".join(["id,source,text", *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_quote_never_closed_costs_its_row_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, f"1,s,{ARABIC}", f'2,s,"{ARABIC}', f"3,s,{ARABIC}", f"4,s,{ARABIC_2}")
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3", "4"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:3"
    assert "never closed" in skipped.reason


def test_csv_quote_closed_rows_later_costs_its_row_only(tmp_path: Path) -> None:
    # The open quote on line 3 ends at line 5's closing quote: one 4-field record.
    path = _csv(tmp_path, f"1,s,{ARABIC}", f'2,s,"{ARABIC}', f"3,s,{ARABIC}", f'4,s,"{ARABIC_2}"')
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3", "4"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:3"


def test_csv_broken_multiline_body_is_one_skipped_line(tmp_path: Path) -> None:
    body = f'"{ARABIC}\n\n{ARABIC_2}\n{ARABIC}",extra'  # one field too many
    path = _csv(tmp_path, f"1,s,{ARABIC}", f"2,s,{body}", f"3,s,{ARABIC_2}")
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3"]
    (skipped,) = _skipped(items)
    assert skipped.origin == f"{path}:3-6"
    assert "row has 4 fields, header has 3" in skipped.reason


def test_csv_field_spanning_too_many_lines_is_taken_for_an_open_quote(tmp_path: Path) -> None:
    swallowed = [f"{n},s,{ARABIC}" for n in range(3, 1_100)]
    path = _csv(tmp_path, f"1,s,{ARABIC}", f'2,s,"{ARABIC}', *swallowed[:-1], swallowed[-1] + '"')
    items = _read(path)
    # Line 3's quote ends at the last line's; re-read from line 4, that quote is stray text.
    assert len(_articles(items)) == 1 + len(swallowed)
    assert _skipped(items)[0].origin == f"{path}:3"
    assert "spans 1,098 lines" in _skipped(items)[0].reason


def test_csv_nul_byte_costs_its_row_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, f"1,s,{ARABIC}", f"2,s,{ARABIC}\x00", f"3,s,{ARABIC_2}")
    items = _read(path)
    assert [a.ext_id for a in _articles(items)] == ["1", "3"]
    (skipped,) = _skipped(items)
    assert (skipped.origin, skipped.reason[:18]) == (f"{path}:3", "row holds a NUL by")


def test_csv_of_binary_data_is_still_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_bytes(b"id,text\n" + bytes(range(32)) * 50)
    (skipped,) = _read(path)
    assert isinstance(skipped, Skipped)
    assert (skipped.origin, skipped.reason[:14]) == (str(path), "binary content")
