"""Near-duplicate detection for wire copies: exact hash + MinHash/LSH over word shingles.

Why a small numpy MinHash instead of ``datasketch.MinHash``: datasketch hashes every
shingle with SHA-1 in Python and keeps one object per document; here a word is hashed
once with CRC-32 (C speed), shingles are combined and permuted with vectorised uint64
arithmetic, so one fingerprint costs a handful of numpy calls regardless of length.
Signatures are plain ``uint32`` arrays, stable across processes (no ``hash()`` seed),
so they can be stored as SQLite blobs and compared later.

Threshold (default 0.7, estimated Jaccard of 3-word shingle sets): outlets re-publishing
a Saudi Press Agency item change the dateline or first line ("الرياض - واس" vs "واس -
الرياض"), add an outlet tag or a closing line, or trim the last paragraph. Replacing ~15
words of a 150-300 word story changes ~15 shingles on each side, Jaccard ~0.75-0.9.
Independently written reports of one event share few 3-word shingles (< 0.3). On the
July 2015 SaudiNewsNet dev pool, same-story copies spread over 0.5-1.0, while the only
different-story pairs above 0.5 were templated statements (two executions announced with
the same Interior Ministry boilerplate, J 0.56-0.61) and a re-ordered SPA text (0.70-0.72):
0.7 keeps those apart while edited copies of normal-length articles still match. Copies
that fall below it are not lost: story clustering puts them in the same story anyway.
"""

from __future__ import annotations

import hashlib
import heapq
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

Signature = npt.NDArray[np.uint32]

_SEED = 0x4D415253  # "MARS": fixed so signatures are reproducible across runs
_MAX_PERM = 256
_EMPTY = np.uint32(0xFFFFFFFF)
# Odd 64-bit multipliers for combining word hashes position-dependently into a shingle.
_POSITION_MULTIPLIERS = np.random.default_rng(_SEED + 1).integers(
    1, 2**63, size=16, dtype=np.uint64
) | np.uint64(1)
# Multiply-shift hash family (Dietzfelbinger): h(x) = (a*x + b) mod 2^64 >> 32, a odd.
_PERM_RNG = np.random.default_rng(_SEED)
# a = 2k + 1 keeps every multiplier odd.
_ONE = np.uint64(1)
_PERM_A = _PERM_RNG.integers(0, 2**63, size=_MAX_PERM, dtype=np.uint64) * np.uint64(2) + _ONE
_PERM_B = _PERM_RNG.integers(0, 2**63, size=_MAX_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class Fingerprint:
    """What dedup needs to know about one article body.

    Attributes:
        exact: blake2b hex digest of the MATCH text ("" for an empty body).
        signature: MinHash signature (uint32, ``num_perm`` values).
    """

    exact: str
    signature: Signature


def _fmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3 finaliser: spreads the bits of a combined shingle value."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingle_hashes(match_text: str, shingle_size: int = 3) -> npt.NDArray[np.uint64]:
    """Hash every run of ``shingle_size`` consecutive words into one uint64 (each distinct
    value once, sorted).

    A text shorter than ``shingle_size`` words becomes a single shingle of all its words,
    so a one-line article still gets a usable fingerprint.
    """
    return np.unique(_shingle_values(match_text, shingle_size))


def _shingle_values(match_text: str, shingle_size: int) -> npt.NDArray[np.uint64]:
    """:func:`shingle_hashes` in text order, repeats kept."""
    words = match_text.encode("utf-8").split()
    if not words:
        return np.empty(0, dtype=np.uint64)
    word_hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    size = max(1, min(shingle_size, len(words), len(_POSITION_MULTIPLIERS)))
    count = len(words) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        combined += word_hashes[offset : offset + count] * _POSITION_MULTIPLIERS[offset]
    return _fmix64(combined)


def fingerprint(match_text: str, *, num_perm: int = 64, shingle_size: int = 3) -> Fingerprint:
    """Fingerprint one MATCH-profile body text.

    Args:
        match_text: space-joined folded tokens (``marsad.text.arabic.match_text``).
        num_perm: signature length (at most 256).
        shingle_size: words per shingle.

    Returns:
        The exact hash and MinHash signature of the text.
    """
    if not 1 <= num_perm <= _MAX_PERM:
        raise ValueError(f"num_perm must be in 1..{_MAX_PERM}, got {num_perm}")
    normalized = " ".join(match_text.split())
    # A repeated shingle cannot change a minimum, so repeats are not removed (a sort).
    shingles = _shingle_values(normalized, shingle_size)
    if shingles.size == 0:
        return Fingerprint(exact="", signature=np.full(num_perm, _EMPTY, dtype=np.uint32))
    # In place: the (num_perm, shingles) block is the one large array of a fingerprint.
    permuted = _PERM_A[:num_perm, None] * shingles[None, :]
    permuted += _PERM_B[:num_perm, None]
    permuted >>= np.uint64(32)
    signature = permuted.min(axis=1).astype(np.uint32)
    exact = hashlib.blake2b(normalized.encode("utf-8"), digest_size=16).hexdigest()
    return Fingerprint(exact=exact, signature=signature)


def signature_to_bytes(signature: Signature) -> bytes:
    """Serialise a signature (little-endian uint32) for a SQLite blob."""
    return np.asarray(signature, dtype="<u4").tobytes()


def signature_from_bytes(blob: bytes) -> Signature:
    """Inverse of :func:`signature_to_bytes`."""
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def estimated_jaccard(first: Signature, second: Signature) -> float:
    """Fraction of agreeing MinHash values, an unbiased Jaccard estimate."""
    return float(np.count_nonzero(first == second)) / len(first)


def lsh_bands(threshold: float, num_perm: int, recall: float = 0.95) -> tuple[int, int]:
    """Choose (bands, rows) for LSH banding of a ``num_perm`` signature.

    Picks the most rows per band (fewest spurious candidates) for which a pair whose
    Jaccard equals ``threshold`` still shares at least one band with probability
    ``recall``: ``1 - (1 - threshold**rows) ** bands >= recall``. Spurious candidates
    only cost one vectorised comparison each, missed copies cost a wrong story.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= recall:
            best = (bands, rows)
    return best


@dataclass
class _Entry:
    order: int  # insertion counter: lower means added earlier
    signature: Signature
    exact: str
    when: datetime
    band_keys: list[bytes] = field(default_factory=list)


class DuplicateIndex:
    """Bounded in-memory index answering "is this body a copy of one seen recently?".

    ``find`` checks the exact hash first, then LSH band collisions verified by
    estimated Jaccard. ``prune`` forgets entries older than a date so a long stream
    keeps memory proportional to the dedup window, not the corpus.
    """

    def __init__(self, threshold: float = 0.7, num_perm: int = 64) -> None:
        """Create an empty index.

        Args:
            threshold: minimum estimated Jaccard of shingle sets to call two bodies copies.
            num_perm: signature length the fingerprints were made with.
        """
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        self._entries: dict[int, _Entry] = {}
        self._exact: dict[str, int] = {}
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(self.bands)]
        self._by_date: list[tuple[datetime, int, int]] = []  # (when, order, key) min-heap
        self._counter = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _band_keys(self, signature: Signature) -> list[bytes]:
        if len(signature) != self.num_perm:
            raise ValueError(f"signature has {len(signature)} values, expected {self.num_perm}")
        raw = signature.tobytes()
        width = self.rows * signature.itemsize
        return [raw[band * width : (band + 1) * width] for band in range(self.bands)]

    def add(self, key: int, fp: Fingerprint, when: datetime) -> None:
        """Index an article body; empty bodies and already-present keys are ignored."""
        if not fp.exact or key in self._entries:  # empty bodies are never copies
            return
        entry = _Entry(self._counter, fp.signature, fp.exact, when, self._band_keys(fp.signature))
        self._counter += 1
        self._entries[key] = entry
        self._exact.setdefault(fp.exact, key)
        for bucket, band_key in zip(self._buckets, entry.band_keys, strict=True):
            bucket.setdefault(band_key, []).append(key)
        heapq.heappush(self._by_date, (when, entry.order, key))

    def find(
        self, fp: Fingerprint, when: datetime | None = None, within: timedelta | None = None
    ) -> int | None:
        """Return the key of the earliest-added indexed article ``fp`` duplicates, or None.

        With ``when`` and ``within``, only articles dated within that span of ``when``
        (either way) count: writers of different periods share one index, and a text
        repeated a week later is a new report, as it would be in one date-ordered run.
        """
        if not fp.exact:
            return None

        def near(entry: _Entry) -> bool:
            return when is None or within is None or abs(entry.when - when) <= within

        exact_key = self._exact.get(fp.exact)
        if exact_key is not None and near(self._entries[exact_key]):
            return exact_key
        candidates: set[int] = set()
        for bucket, band_key in zip(self._buckets, self._band_keys(fp.signature), strict=True):
            candidates.update(bucket.get(band_key, ()))
        best: tuple[int, int] | None = None
        for key in candidates:
            entry = self._entries[key]
            if best is not None and entry.order >= best[0]:
                continue
            if near(entry) and estimated_jaccard(fp.signature, entry.signature) >= self.threshold:
                best = (entry.order, key)
        return None if best is None else best[1]

    def prune(self, older_than: datetime) -> int:
        """Drop entries dated before ``older_than``; return how many were dropped."""
        dropped = 0
        while self._by_date and self._by_date[0][0] < older_than:
            _, _, key = heapq.heappop(self._by_date)
            self._remove(key)
            dropped += 1
        return dropped

    def _remove(self, key: int) -> None:
        entry = self._entries.pop(key)
        if self._exact.get(entry.exact) == key:
            del self._exact[entry.exact]
        for bucket, band_key in zip(self._buckets, entry.band_keys, strict=True):
            keys = bucket[band_key]
            keys.remove(key)
            if not keys:
                del bucket[band_key]


def build_index(
    items: Iterable[tuple[int, Fingerprint, datetime]], threshold: float = 0.7, num_perm: int = 64
) -> DuplicateIndex:
    """Index already-stored fingerprints, e.g. the last days of a database, in date order."""
    index = DuplicateIndex(threshold=threshold, num_perm=num_perm)
    for key, fp, when in sorted(items, key=lambda item: item[2]):
        index.add(key, fp, when)
    return index


__all__ = [
    "DuplicateIndex",
    "Fingerprint",
    "build_index",
    "estimated_jaccard",
    "fingerprint",
    "lsh_bands",
    "signature_from_bytes",
    "signature_to_bytes",
]
