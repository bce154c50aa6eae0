"""Cut backfill inputs into shards a worker can read on its own.

A shard is a whole file, or a byte range of a plain ``.jsonl`` file aligned to line
starts (gzip cannot be entered in the middle, so a ``.jsonl.gz`` is one shard: archives
meant for a cluster are better kept as many files or as plain JSONL). Records read from a
shard carry the same ``origin`` (``path:line``) as ``marsad ingest`` gives them, because
date order breaks ties by origin and the stories must come out the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import InputError
from marsad.ingest.readers import (  # records exactly as ingest reads them
    SIDECAR_NAME,
    SUFFIXES,
    fold_skipped_runs,  # runs of records skipped for one reason -> one Skipped
    jsonl_record,  # one JSON line -> RawArticle | Skipped
    read_path,
)
from marsad.models import RawArticle, Skipped

SHARD_BYTES = 1_000_000  # plain JSONL per shard: 120-250 news articles, seconds of work;
# small enough that the last shards do not leave workers idle, large enough that the
# scheduler's ~1 ms per task is noise
MAX_LINE_BYTES = 20_000_000  # ingest's default max_bytes: a longer JSON line is refused


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of reading: ``path`` whole, or bytes ``start:end`` of a plain JSONL file."""

    path: str  # spelled as ``read_path`` spells it, since it is part of every origin
    start: int = 0
    end: int | None = None  # None: the whole file
    first_line: int = 1  # line number of the line starting at ``start``

    @property
    def label(self) -> str:
        """Short name for progress and error lines."""
        if self.end is None:
            return self.path
        return f"{self.path}@{self.start}-{self.end}"


def plan_shards(
    inputs: Sequence[str | os.PathLike[str]], *, shard_bytes: int = SHARD_BYTES
) -> tuple[list[Shard], list[Skipped]]:
    """The shards of every input file or folder, and notes on files passed over.

    Raises:
        InputError: an input does not exist.
    """
    if shard_bytes < 1:
        raise ValueError(f"shard_bytes must be at least 1, got {shard_bytes}")
    shards: list[Shard] = []
    notes: list[Skipped] = []
    for given in inputs:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        files = [path] if not path.is_dir() else _files_under(path, notes)
        for file in files:
            shards.extend(_file_shards(file, shard_bytes))
    return shards, notes


def _files_under(folder: Path, notes: list[Skipped]) -> list[Path]:
    """Readable files under ``folder`` (what ``read_path`` would read from it)."""
    found: list[Path] = []
    ignored = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            lowered = name.lower()
            if lowered == SIDECAR_NAME:
                continue  # metadata for the .txt files beside it, read with them
            if name.startswith(".") or not lowered.endswith(SUFFIXES):
                ignored += 1
                continue
            found.append(Path(os.path.join(root, name)))
    if ignored:
        notes.append(
            Skipped(
                origin=str(folder),
                reason=f"ignored {ignored} hidden or unsupported file(s); "
                f"Marsad reads {', '.join(SUFFIXES)}",
                ignored=True,
            )
        )
    return found


def _file_shards(path: Path, shard_bytes: int) -> Iterator[Shard]:
    """Byte ranges of a large plain JSONL file, else the whole file.

    The file is read once here to align every cut to a line start and count the lines
    before it; that is a sequential scan at disk speed, far below the cost of analysing
    the articles, and it lets every worker number its lines without reading the prefix.
    """
    size = path.stat().st_size
    if not path.name.lower().endswith(".jsonl") or size <= shard_bytes:
        yield Shard(str(path))
        return
    with path.open("rb") as fh:
        start, line = 0, 1
        while start < size:
            chunk = fh.read(shard_bytes)
            end = start + len(chunk)
            newlines = chunk.count(b"\n")
            if end < size and not chunk.endswith(b"\n"):
                rest = fh.readline()  # finish the line the cut fell in
                end += len(rest)
                newlines += rest.endswith(b"\n")
            yield Shard(str(path), start, end, line)
            start, line = end, line + newlines


def read_shard(shard: Shard, *, max_bytes: int = MAX_LINE_BYTES) -> Iterator[RawArticle | Skipped]:
    """Every record of a shard, as ``marsad ingest`` reads it from the whole file."""
    if shard.end is None:
        yield from read_path(shard.path, max_bytes=max_bytes)
        return
    yield from fold_skipped_runs(_read_range(shard, max_bytes), Path(shard.path))


def _read_range(shard: Shard, max_bytes: int) -> Iterator[RawArticle | Skipped]:
    assert shard.end is not None
    line_number = shard.first_line
    try:
        with open(shard.path, "rb") as fh:
            fh.seek(shard.start)
            position = shard.start
            while position < shard.end:
                line = fh.readline(max_bytes + 1)
                if not line:
                    return
                position += len(line)
                origin = f"{shard.path}:{line_number}"
                if len(line) > max_bytes:
                    while not line.endswith(b"\n"):  # read past the over-long line
                        line = fh.readline(1 << 16)
                        if not line:
                            break
                        position += len(line)
                    yield Skipped(
                        origin=origin,
                        reason=f"line longer than {max_bytes:,} bytes; split the record",
                    )
                elif line.strip():
                    yield jsonl_record(line, origin)
                line_number += 1
    except OSError as err:
        yield Skipped(
            origin=shard.label,
            reason=f"unreadable after line {line_number} ({err}); re-create the file",
        )
