"""Read news articles from files and folders into :class:`~marsad.models.RawArticle` values.

Supported inputs:

* ``.txt``: one article per file. Optional leading ``title:``, ``source:``, ``date:``,
  ``url:`` and ``id:`` header lines; otherwise (and for whatever the headers leave out)
  a ``sources.csv`` sidecar in the same folder, keyed by its ``file`` column, supplies
  source, date, url, title and extra columns.
* ``.jsonl`` and ``.jsonl.gz``: one JSON object per line with ``id``, ``source``, ``date``,
  ``title``, ``text``, ``url``; streamed, so ``max_bytes`` bounds each line, not the file.
* ``.csv``: the same columns, named by a header row; read whole (at most ``max_bytes``).

A bad file or record never stops reading: it becomes a :class:`~marsad.models.Skipped`
with a one-line reason that says what to do, and the records around it are read. A run of
consecutive records failing for the same reason becomes one Skipped naming the line range.
Only a path that does not exist raises. Hostile records and what becomes of them:

* lone UTF-16 surrogates (a JSON ``"\\ud800"``) are removed from every field, with a
  warning on the kept article (UTF-8, SQLite and the stemmer cannot hold them);
* a date that is not ISO 8601 or lies outside years 1900-2100 is kept as
  ``extra["date_raw"]`` with a warning; the article's date is None (the pipeline then
  uses the ingest time), so time maths never overflow;
* an id over ``MAX_ID_CHARS`` characters refuses the record; JSON integers too long for
  Python's int (over 4,300 digits) are read as their digit string, never as a crash;
* JSON nested deeper than Python's recursion limit refuses that line;
* a CSV row with the wrong field count, a quote left open (to the end of the file, or
  spanning over ``MAX_CSV_RECORD_LINES`` lines) or a NUL byte is refused, and reading
  starts again on the next line, so the rows an open quote swallowed are still read;
* a NUL byte in a JSON line refuses that line, not the file (only a first line that
  looks like UTF-16 or binary data refuses the whole file).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from marsad.errors import InputError
from marsad.ingest.encoding import decode_bytes
from marsad.models import RawArticle, Skipped
from marsad.text.arabic import display
from marsad.text.dates import MAX_YEAR, MIN_YEAR

MAX_RECORD_CHARS: Final = 1_000_000
# Longest id kept (long enough for a URL used as id); longer ones are corrupt, not ids.
MAX_ID_CHARS: Final = 2_048
# A quoted CSV field spanning more lines than this is taken for an unterminated quote.
MAX_CSV_RECORD_LINES: Final = 1_000
# Python refuses int() of over 4,300 digits (a DoS guard); longer JSON integers stay text.
_MAX_INT_DIGITS: Final = 4_000
_SURROGATES = re.compile("[\ud800-\udfff]")
SIDECAR_NAME: Final = "sources.csv"
UNKNOWN_SOURCE: Final = "unknown"
# Longest suffix first so ".jsonl.gz" wins over any shorter match.
SUFFIXES: Final = (".jsonl.gz", ".jsonl", ".txt", ".csv")
_KNOWN_FIELDS: Final = frozenset({"id", "source", "date", "title", "text", "url"})
_HEADER_LINE = re.compile(r"\s*(title|source|date|url|id)\s*:\s*(.*?)\s*", re.IGNORECASE)
_BLANK_RUNS = re.compile(r"\n{3,}")
_JSONL_CHUNK: Final = 1 << 16

_Sidecar = dict[str, dict[str, str]]  # file name -> row (lower-case column -> value)


def read_path(
    path: str | os.PathLike[str], *, max_bytes: int = 20_000_000
) -> Iterator[RawArticle | Skipped]:
    """Read every article in a file, or in a folder recursively, in sorted path order.

    In a folder, hidden entries and files with other extensions are passed over; one
    final :class:`Skipped` tells how many. ``sources.csv`` sidecars are read, not ingested.

    Args:
        path: A supported file, or a folder holding such files.
        max_bytes: Largest file read whole (``.txt``, ``.csv``) or JSONL line accepted.

    Yields:
        One :class:`RawArticle` per good record, one :class:`Skipped` per bad file or record.

    Raises:
        InputError: ``path`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder; check the path")
    sidecars: dict[Path, _Sidecar] = {}
    if not path.is_dir():
        yield from _read_file(path, max_bytes, sidecars)
        return
    ignored: list[Path] = []
    for item in _files_under(path, ignored):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from _read_file(item, max_bytes, sidecars)
    if ignored:
        examples = ", ".join(p.name for p in ignored[:3])
        yield Skipped(
            origin=str(path),
            reason=(
                f"ignored {len(ignored)} hidden or unsupported file(s) ({examples}); "
                f"Marsad reads {', '.join(SUFFIXES)}"
            ),
            ignored=True,
        )


def parse_date(raw: str) -> datetime | None:
    """Parse an ISO 8601 date or datetime into naive UTC; None when it is not one.

    Accepts ``2015-07-21``, ``2015-07-21 02:51:32``, ``2015-07-21T02:51:32Z``, offsets
    such as ``+03:00`` (converted to UTC) and ``2015/07/21``. Years outside 1900-2100 give
    None: ``0001-01-01`` or ``9999-12-31`` would overflow UTC conversion and time maths.
    """
    text = raw.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    if parsed.tzinfo is not None:  # cannot overflow now: the year is far from 1 and 9999
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((s for s in SUFFIXES if lowered.endswith(s)), None)


def _files_under(folder: Path, ignored: list[Path]) -> Iterator[Path | Skipped]:
    """Supported files under ``folder`` depth-first in name order; others go to ``ignored``."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as err:
        yield Skipped(origin=str(folder), reason=f"cannot list folder ({err.strerror}); check it")
        return
    for entry in entries:
        entry_path = Path(entry.path)
        if entry.name.startswith("."):
            ignored.append(entry_path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _files_under(entry_path, ignored)
        elif entry.name.lower() == SIDECAR_NAME:
            continue  # metadata for the .txt files beside it, read on demand
        elif _suffix(entry.name) is None:
            ignored.append(entry_path)
        else:
            yield entry_path


def _read_file(
    path: Path, max_bytes: int, sidecars: dict[Path, _Sidecar]
) -> Iterator[RawArticle | Skipped]:
    suffix = _suffix(path.name)
    if suffix == ".txt":
        yield from _read_txt(path, max_bytes, sidecars)
    elif suffix == ".csv":
        yield from fold_skipped_runs(_read_csv(path, max_bytes), path)
    elif suffix in (".jsonl", ".jsonl.gz"):
        yield from fold_skipped_runs(_read_jsonl(path, max_bytes), path)
    else:
        yield Skipped(
            origin=str(path),
            reason=f"unsupported file type; give one of {', '.join(SUFFIXES)}",
        )


def fold_skipped_runs(
    items: Iterator[RawArticle | Skipped], path: Path
) -> Iterator[RawArticle | Skipped]:
    """Merge runs of consecutive records of ``path`` skipped for the same reason into one.

    A file of a million empty records then costs one stderr line and one small object,
    not a million of each. Public for readers of part of a file (backfill shards).
    """
    prefix = f"{path}:"
    first: Skipped | None = None
    last_line, count = "", 0
    for item in items:
        skip = item if isinstance(item, Skipped) and item.origin.startswith(prefix) else None
        if skip and first and skip.reason == first.reason:
            last_line, count = skip.origin.removeprefix(prefix), count + 1
            continue
        if first:
            yield _run(first, last_line, count)
            first = None
        if skip:
            first, last_line, count = skip, skip.origin.removeprefix(prefix), 1
        else:
            yield item
    if first:
        yield _run(first, last_line, count)


def _run(first: Skipped, last_line: str, count: int) -> Skipped:
    if count == 1:
        return first
    return Skipped(
        origin=f"{first.origin}-{last_line}",
        reason=f"{count:,} records in a row: {first.reason}",
    )


# --- whole-file formats ---------------------------------------------------------------


def _read_text_file(path: Path, max_bytes: int, *, stray_nul: bool = False) -> str | Skipped:
    """Decoded content of a file read whole, or why it cannot be used."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Skipped(
                origin=origin,
                reason=(
                    f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; "
                    "split it or raise max_bytes"
                ),
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as err:
        return Skipped(origin=origin, reason=f"cannot read file ({err.strerror}); check it")
    if not data.strip():
        return Skipped(origin=origin, reason="empty file; remove it or add the article text")
    if len(data) > max_bytes:
        return Skipped(origin=origin, reason="file grew past max_bytes while being read")
    try:
        return decode_bytes(data, origin=origin, stray_nul=stray_nul)
    except InputError as err:
        return Skipped(origin=origin, reason=str(err).removeprefix(f"{origin}: "))


def _read_txt(
    path: Path, max_bytes: int, sidecars: dict[Path, _Sidecar]
) -> Iterator[RawArticle | Skipped]:
    content = _read_text_file(path, max_bytes)
    if isinstance(content, Skipped):
        yield content
        return
    headers, body = _split_headers(content)
    folder = path.parent
    if folder not in sidecars:
        loaded = _load_sidecar(folder / SIDECAR_NAME, max_bytes)
        if isinstance(loaded, Skipped):
            yield loaded
            loaded = {}
        sidecars[folder] = loaded
    fields: dict[str, Any] = {k: v for k, v in sidecars[folder].get(path.name, {}).items() if v}
    fields.pop("file", None)
    fields.update(headers)  # the file's own headers beat the sidecar
    fields["text"] = body
    yield article_from_fields(fields, origin=str(path))


def _split_headers(content: str) -> tuple[dict[str, str], str]:
    """Leading ``key: value`` lines (lower-case keys) and the body after them."""
    lines = content.lstrip("\n\r").splitlines()
    headers: dict[str, str] = {}
    for count, line in enumerate(lines):
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            return headers, "\n".join(lines[count:])
        headers.setdefault(match.group(1).lower(), match.group(2))
    return headers, ""


def _load_sidecar(path: Path, max_bytes: int) -> _Sidecar | Skipped:
    """Rows of a ``sources.csv`` keyed by file name; empty when there is none."""
    if not path.is_file():
        return {}
    content = _read_text_file(path, max_bytes)
    if isinstance(content, Skipped):
        return content
    rows = csv.reader(io.StringIO(content, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    if "file" not in header:
        return Skipped(
            origin=str(path),
            reason="sidecar has no 'file' column; its header must start with file,source,date",
        )
    return {
        row[header.index("file")].strip(): dict(zip(header, (v.strip() for v in row), strict=False))
        for row in rows
        if len(row) == len(header)
    }


def _read_csv(path: Path, max_bytes: int) -> Iterator[RawArticle | Skipped]:
    content = _read_text_file(path, max_bytes, stray_nul=True)
    if isinstance(content, Skipped):
        yield content
        return
    # Article bodies exceed csv's default 128 KiB field limit; the limit is process-wide,
    # and raising it only lets oversized records reach the per-record size check.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    lines = list(io.StringIO(content, newline=""))  # each line keeps its own ending
    del content
    header_reader = csv.reader(lines)
    try:
        header = [name.strip().lower() for name in next(header_reader, [])]
    except csv.Error as err:
        yield Skipped(origin=f"{path}:1", reason=f"malformed header row ({err}); fix its quoting")
        return
    if "text" not in header:
        yield Skipped(
            origin=str(path),
            reason=(
                f"no 'text' column in the header row (found: {', '.join(header)[:80]}); "
                "the first row must name the columns id, source, date, title, text, url"
            ),
        )
        return
    # A bad record and the bad ones right after it (the rest of a body whose quote broke)
    # are one problem: one Skipped naming the first and last line.
    bad: tuple[int, int, str] | None = None
    for line, row in _csv_records(lines, header_reader.line_num, len(header)):
        if isinstance(row, str):
            bad = (bad[0], line, bad[2]) if bad else (line, line, row)
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank lines neither end a bad run nor count as records
        if bad:
            yield _bad_csv_run(path, *bad)
            bad = None
        if any("\x00" in cell for cell in row):
            yield Skipped(
                origin=f"{path}:{line}",
                reason="row holds a NUL byte (binary data); remove it from the row",
            )
        else:
            yield article_from_fields(dict(zip(header, row, strict=True)), origin=f"{path}:{line}")
    if bad:
        yield _bad_csv_run(path, *bad)


def _csv_records(lines: list[str], start: int, width: int) -> Iterator[tuple[int, list[str] | str]]:
    """(1-based first line, cells or why the record is bad) of each record from ``lines[start]``.

    After a bad record reading starts again on the line after its first line, so a quote
    left open costs its own row, not the rows it swallowed.
    """
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), strict=True)
        before = 0  # lines this reader had consumed before the current record
        try:
            for row in reader:
                span = reader.line_num - before
                first = start + before + 1
                if len(row) != width and any(cell.strip() for cell in row):
                    problem = f"row has {len(row)} fields, header has {width}; check its quoting"
                elif span > MAX_CSV_RECORD_LINES:
                    problem = (
                        f"a quoted field spans {span:,} lines (over {MAX_CSV_RECORD_LINES:,}); "
                        "close the quote opened on this line"
                    )
                else:
                    yield first, row
                    before = reader.line_num
                    continue
                yield first, problem
                break
            else:
                return
        except csv.Error as err:
            first = start + before + 1
            if "unexpected end of data" in str(err):
                yield first, "a quote opened on this line is never closed; close it"
            else:
                yield first, f"malformed CSV ({err}); fix the quoting on this line"
        start = first  # index of the line after the bad record's first line


def _bad_csv_run(path: Path, first: int, last: int, reason: str) -> Skipped:
    where = f"{first}" if first == last else f"{first}-{last}"
    return Skipped(origin=f"{path}:{where}", reason=reason)


# --- JSON lines -------------------------------------------------------------------------


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[RawArticle | Skipped]:
    line_number = 0
    try:
        with _open_binary(path) as fh:
            for line_number, line in enumerate(_bounded_lines(fh, max_bytes), start=1):
                origin = f"{path}:{line_number}"
                if line is None:
                    yield Skipped(
                        origin=origin,
                        reason=f"line longer than {max_bytes:,} bytes; split the record",
                    )
                elif line_number == 1 and _binary(line):
                    yield Skipped(
                        origin=str(path),
                        reason="binary or UTF-16 content; JSON lines must be UTF-8 text",
                    )
                    return
                elif line.strip():
                    yield jsonl_record(line, origin)
    except (OSError, EOFError, zlib.error) as err:
        detail = "truncated" if isinstance(err, EOFError) else str(err) or type(err).__name__
        yield Skipped(
            origin=str(path),
            reason=(
                f"unreadable after line {line_number} ({detail}); "
                "records before it were read, re-create the file to get the rest"
            ),
        )


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _bounded_lines(fh: io.BufferedIOBase, max_bytes: int) -> Iterator[bytes | None]:
    """Lines of ``fh``; None for a line over ``max_bytes``, which is read past unbuffered."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes:
            yield line
            continue
        while not line.endswith(b"\n"):
            line = fh.readline(_JSONL_CHUNK)
            if not line:
                break
        yield None


def _binary(first_line: bytes) -> bool:
    """Whether a file's first line is UTF-16 or binary data, not one bad record.

    A stray NUL in otherwise UTF-8 text is one bad record; UTF-16 JSON is half NULs.
    """
    if b"\x00" not in first_line:
        return False
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return first_line.count(0) * 4 > len(first_line)


def _json_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else digits


def jsonl_record(line: bytes, origin: str) -> RawArticle | Skipped:
    """One line of a JSONL file (``origin`` is ``path:line``) as ingest reads it: an
    article, or why the line is unusable. Public for readers of byte ranges
    (:mod:`marsad.backfill.shards`), whose records must match a whole-file read."""
    try:
        # JSON text is UTF-8 by standard; a BOM on the first line is a common Windows habit.
        text = line.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        record = json.loads(text, parse_int=_json_int)
    except UnicodeDecodeError:
        return Skipped(origin=origin, reason="line is not valid UTF-8; re-save the file as UTF-8")
    except json.JSONDecodeError as err:
        msg = err.msg.removesuffix(" at")  # "Invalid control character at"
        return Skipped(
            origin=origin, reason=f"invalid JSON ({msg} at column {err.colno}); fix this line"
        )
    except RecursionError:
        return Skipped(origin=origin, reason="JSON nested too deeply; give one flat {...} per line")
    if not isinstance(record, dict):
        return Skipped(origin=origin, reason="line is not a JSON object; give one {...} per line")
    return article_from_fields(record, origin=origin)


# --- records to articles ----------------------------------------------------------------


def article_from_fields(fields: Mapping[str, Any], *, origin: str) -> RawArticle | Skipped:
    """Build a cleaned RawArticle from input fields, or say why the record is unusable."""
    try:
        return _article(fields, origin)
    except (ValueError, OverflowError, RecursionError) as err:
        # Hostile data nobody foresaw must cost its own record, never the run.
        detail = f"{type(err).__name__}: {err}"[:200]
        return Skipped(origin=origin, reason=f"unusable record ({detail}); fix or remove it")


def _article(fields: Mapping[str, Any], origin: str) -> RawArticle | Skipped:
    fields, surrogates = _without_surrogates(fields)
    raw_text = fields.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        return Skipped(origin=origin, reason="no text; each record needs a non-empty 'text'")
    if len(raw_text) > MAX_RECORD_CHARS:
        return Skipped(
            origin=origin,
            reason=f"text has {len(raw_text):,} chars, over {MAX_RECORD_CHARS:,}; split it",
        )
    ext_id = _optional_str(fields.get("id"))
    if ext_id is not None and len(ext_id) > MAX_ID_CHARS:
        return Skipped(
            origin=origin,
            reason=f"id has {len(ext_id):,} characters, over {MAX_ID_CHARS:,}; give a short id",
        )
    text = clean_body(raw_text)
    if not text:
        return Skipped(origin=origin, reason="text is only whitespace or control characters")
    warnings = []
    if surrogates:
        warnings.append(
            f"removed {surrogates} lone UTF-16 surrogate(s) (half of a \\uD83D\\uDE00-style "
            "pair); fix the program that wrote the file"
        )
    extra = {k: v for k, v in fields.items() if k not in _KNOWN_FIELDS and k is not None}
    raw_date = fields.get("date")
    date = parse_date(raw_date) if isinstance(raw_date, str) else None
    if date is None and raw_date is not None and str(raw_date).strip():
        extra["date_raw"] = raw_date  # kept so the input can be fixed; pipeline uses ingest time
        warnings.append(
            f"date {str(raw_date)[:40]!r} is not an ISO date in years {MIN_YEAR}-{MAX_YEAR}; "
            "kept as date_raw, the ingest time is used: fix the date"
        )
    return RawArticle(
        ext_id=ext_id,
        source=_optional_str(fields.get("source")) or UNKNOWN_SOURCE,
        date=date,
        title=clean_title(_optional_str(fields.get("title")) or ""),
        text=text,
        url=_optional_str(fields.get("url")),
        extra=extra,
        origin=origin,
        warnings=tuple(warnings),
    )


def _without_surrogates(fields: Mapping[str, Any]) -> tuple[dict[Any, Any], int]:
    """``fields`` without lone UTF-16 surrogates, and how many were removed.

    JSON's ``"\\ud800"`` escape decodes to a lone surrogate that UTF-8 (hence SQLite) and
    the stemmer cannot take. Nested values are cleaned through their JSON text.
    """
    cleaned: dict[Any, Any] = {}
    removed = 0
    for key, value in fields.items():
        if isinstance(key, str):
            key, count = _SURROGATES.subn("", key)
            removed += count
        if isinstance(value, str):
            value, count = _SURROGATES.subn("", value)
            removed += count
        elif isinstance(value, dict | list):
            dumped, count = _SURROGATES.subn("", json.dumps(value, ensure_ascii=False))
            if count:
                value, removed = json.loads(dumped), removed + count
        cleaned[key] = value
    return cleaned, removed


def _optional_str(value: Any) -> str | None:
    """A stripped string field, None when missing or empty; numbers (ids) become strings."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def clean_title(title: str) -> str:
    """DISPLAY-clean a title and put it on one line."""
    return " ".join(display(title).split())


def clean_body(text: str) -> str:
    """DISPLAY-clean an article body, keeping paragraph breaks.

    Lines are stripped and runs of blank lines collapse to one, so paragraphs are
    separated by at most one empty line whatever the input's line endings.
    """
    lines = (line.strip() for line in display(text).splitlines())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
