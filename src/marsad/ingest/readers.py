"""Read news articles from files and folders into :class:`~marsad.models.RawArticle` values.

Supported inputs:

* ``.txt``: one article per file. Optional leading ``title:``, ``source:``, ``date:``,
  ``url:`` and ``id:`` header lines; otherwise (and for whatever the headers leave out)
  a ``sources.csv`` sidecar in the same folder, keyed by its ``file`` column, supplies
  source, date, url, title and extra columns.
* ``.jsonl`` and ``.jsonl.gz``: one JSON object per line with ``id``, ``source``, ``date``,
  ``title``, ``text``, ``url``; streamed, so ``max_bytes`` bounds each line, not the file.
* ``.csv``: the same columns, named by a header row; read whole.

A bad file or record never stops reading: it becomes a :class:`~marsad.models.Skipped`
with a one-line reason that says what to do. Only a path that does not exist raises.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
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

MAX_RECORD_CHARS: Final = 1_000_000
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
    such as ``+03:00`` (converted to UTC) and ``2015/07/21``.
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
    if parsed.tzinfo is not None:
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
        yield from _read_csv(path, max_bytes)
    elif suffix in (".jsonl", ".jsonl.gz"):
        yield from _read_jsonl(path, max_bytes)
    else:
        yield Skipped(
            origin=str(path),
            reason=f"unsupported file type; give one of {', '.join(SUFFIXES)}",
        )


# --- whole-file formats ---------------------------------------------------------------


def _read_text_file(path: Path, max_bytes: int) -> str | Skipped:
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
        return decode_bytes(data, origin=origin)
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
    content = _read_text_file(path, max_bytes)
    if isinstance(content, Skipped):
        yield content
        return
    # Article bodies exceed csv's default 128 KiB field limit; the limit is process-wide,
    # and raising it only lets oversized records reach the per-record size check.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    rows = csv.reader(io.StringIO(content, newline=""))
    row_number = 1  # spreadsheet numbering: the header is row 1
    try:
        header = [name.strip().lower() for name in next(rows, [])]
        if "text" not in header:
            yield Skipped(
                origin=str(path),
                reason=(
                    f"no 'text' column in the header row (found: {', '.join(header)[:80]}); "
                    "the first row must name the columns id, source, date, title, text, url"
                ),
            )
            return
        for row in rows:
            row_number += 1
            origin = f"{path}:{row_number}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Skipped(
                    origin=origin,
                    reason=f"row has {len(row)} fields, header has {len(header)}; check quoting",
                )
                continue
            yield article_from_fields(dict(zip(header, row, strict=True)), origin=origin)
    except csv.Error as err:
        yield Skipped(
            origin=f"{path}:{row_number}",
            reason=f"malformed CSV ({err}); rest of file not read, fix the quoting there",
        )


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
                elif line_number == 1 and b"\x00" in line:
                    yield Skipped(
                        origin=str(path),
                        reason="binary or UTF-16 content; JSON lines must be UTF-8 text",
                    )
                    return
                elif line.strip():
                    yield _jsonl_record(line, origin)
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


def _jsonl_record(line: bytes, origin: str) -> RawArticle | Skipped:
    try:
        # JSON text is UTF-8 by standard; a BOM on the first line is a common Windows habit.
        record = json.loads(line.removeprefix(codecs.BOM_UTF8).decode("utf-8"))
    except UnicodeDecodeError:
        return Skipped(origin=origin, reason="line is not valid UTF-8; re-save the file as UTF-8")
    except json.JSONDecodeError as err:
        return Skipped(origin=origin, reason=f"invalid JSON ({err.msg} at column {err.colno})")
    if not isinstance(record, dict):
        return Skipped(origin=origin, reason="line is not a JSON object; give one {...} per line")
    return article_from_fields(record, origin=origin)


# --- records to articles ----------------------------------------------------------------


def article_from_fields(fields: Mapping[str, Any], *, origin: str) -> RawArticle | Skipped:
    """Build a cleaned RawArticle from input fields, or say why the record is unusable."""
    raw_text = fields.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        return Skipped(origin=origin, reason="no text; each record needs a non-empty 'text'")
    if len(raw_text) > MAX_RECORD_CHARS:
        return Skipped(
            origin=origin,
            reason=f"text has {len(raw_text):,} chars, over {MAX_RECORD_CHARS:,}; split it",
        )
    text = clean_body(raw_text)
    if not text:
        return Skipped(origin=origin, reason="text is only whitespace or control characters")
    extra = {k: v for k, v in fields.items() if k not in _KNOWN_FIELDS and k is not None}
    raw_date = fields.get("date")
    date = parse_date(raw_date) if isinstance(raw_date, str) else None
    if date is None and raw_date not in (None, ""):
        extra["date_raw"] = raw_date  # kept so the input can be fixed; pipeline uses ingest time
    return RawArticle(
        ext_id=_optional_str(fields.get("id")),
        source=_optional_str(fields.get("source")) or UNKNOWN_SOURCE,
        date=date,
        title=clean_title(_optional_str(fields.get("title")) or ""),
        text=text,
        url=_optional_str(fields.get("url")),
        extra=extra,
        origin=origin,
    )


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
