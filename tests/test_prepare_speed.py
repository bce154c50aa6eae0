"""Speed paths of prepare give what the plain paths give, on invented inputs: the shared
fold of a body (statements and dates), the number-start filter and the MinHash signature."""

from __future__ import annotations

import gc
import itertools
import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.dedup import minhash
from marsad.extract import numbers
from marsad.ingest import prepare
from marsad.ingest.prepare import index_terms
from marsad.models import Token
from marsad.text import arabic

PIECES = (
    "قال",
    "الرئيسُ",
    "إنّ",
    "الـــوزير",
    "ﻻ",  # a ligature: folds to two letters
    "…",  # an ellipsis: folds to three full stops
    "«",
    "»",
    "2015",
    "٢٠١٥",
    "\n",
    "\t",
    "  ",
    "٪",
    "ﷺ",
    "e\u0301",  # a combining accent
)


def _plain_fold_mapped(text: str, first_only: bool) -> tuple[str, list[int]]:
    """The fold as computed before it was shared: one translate per call."""
    table = arabic._CHAR_FOLDS[first_only]
    marked = text.translate(table)
    if len(marked) == len(text):
        offsets = [index for index, ch in enumerate(marked) if ch != "\0"]
        return marked.replace("\0", ""), offsets
    lengths = [0 if (out := table[ord(ch)]) == "\0" else len(out) for ch in text]
    return marked.replace("\0", ""), np.repeat(np.arange(len(text)), lengths).tolist()


def _texts() -> list[str]:
    chooser = random.Random(7)
    texts = ["", " ", "نص بلا علامات"]
    texts += ["".join(chooser.choices(PIECES, k=count)) for count in range(1, 40)]
    texts += [" ".join(chooser.choices(PIECES, k=12)) for _ in range(200)]
    return texts


@pytest.mark.parametrize("order", [(False, True), (True, False), (True, True), (False, False)])
def test_fold_mapped_shared_between_callers_equals_a_fresh_fold(order: tuple[bool, bool]) -> None:
    expanded = 0
    for text in _texts():
        for first_only in order:  # the second call of a body reads what the first left
            folded, offsets = arabic.fold_mapped(text, first_only=first_only)
            assert (folded, list(offsets)) == _plain_fold_mapped(text, first_only), text
        expanded += "…" in text or "ﻻ" in text
    assert expanded > 10, "the invented texts hardly have an expansion"


def test_fold_mapped_first_only_keeps_one_character_per_expansion() -> None:
    text = "قال… ﻻ"
    full, full_offsets = arabic.fold_mapped(text)
    first, first_offsets = arabic.fold_mapped(text, first_only=True)
    assert len(full) > len(first) == len(text)
    assert list(first_offsets) == list(range(len(text)))
    assert sorted(set(full_offsets)) == list(range(len(text)))


NUMBER_WORDS = ("ثلاثة", "وثلاثة", "بآلاف", "آلاف", "مليون", "ومليونين", "عشرين", "المئات", "ألف")
OTHER_WORDS = ("قال", "الرياض", "في", "من", "مواطنا", "الأول", "أن", "عام", "و", "%")
DIGITS = ("3", "٣", "2.5", "٢٫٥", "1,500", "١٬٥٠٠", "92%", "٩٢٪", "2015م", "x9")


def _plain_number_starts(text: str, tokens: Sequence[Token]) -> list[int]:
    """The number-start filter as written before: every written word cut out first."""
    written = [text[t.start : t.end] for t in tokens]
    possible = numbers._number_token_texts()
    return [
        i
        for i, t in enumerate(tokens)
        if t.text[:1].isdigit() or (t.text in possible and numbers._is_number_word(written[i]))
    ]


def test_number_starts_equal_the_plain_filter() -> None:
    chooser = random.Random(11)
    words = NUMBER_WORDS + OTHER_WORDS + DIGITS
    found = 0
    for size in range(1, 300):
        text = " ".join(chooser.choices(words, k=size % 25 + 1))
        tokens = arabic.tokenize(text)
        starts = numbers._number_starts(text, tokens)
        assert starts == _plain_number_starts(text, tokens), text
        found += len(starts)
    assert found > 100


def test_lazy_words_read_the_written_words() -> None:
    text = "بلغ عدد الزوار وثلاثة آلاف زائر"
    tokens = arabic.tokenize(text)
    words = numbers._LazyWords(text, tokens)
    written = [text[t.start : t.end] for t in tokens]
    assert len(words) == len(written)
    for first, last in itertools.combinations(range(len(written) + 1), 2):
        assert words[first:last] == [numbers._word_forms(w)[0] for w in written[first:last]]
    assert words.forms(3) == numbers._word_forms("وثلاثة")
    assert words.forms(3)[-1] == arabic.fold("ثلاثة")


def _plain_signature(match_text: str, num_perm: int) -> np.ndarray:
    """The signature as computed before: over the distinct shingles, out of place."""
    shingles = minhash.shingle_hashes(" ".join(match_text.split()))
    if shingles.size == 0:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    permuted = (
        minhash._PERM_A[:num_perm, None] * shingles[None, :] + minhash._PERM_B[:num_perm, None]
    )
    signature: np.ndarray = (permuted >> np.uint64(32)).min(axis=1).astype(np.uint32)
    return signature


@pytest.mark.parametrize("num_perm", [1, 64, 256])
def test_minhash_signature_with_repeated_shingles_equals_the_distinct_ones(num_perm: int) -> None:
    chooser = random.Random(5)
    vocabulary = ["قال", "الوزير", "ان", "الرياض", "2015", "مليون", "x"]
    texts = ["", "   ", "قال", "قال الوزير", "قال قال قال قال قال"]
    texts += [" ".join(chooser.choices(vocabulary, k=size)) for size in range(1, 120)]
    for text in texts:
        found = minhash.fingerprint(text, num_perm=num_perm).signature
        assert found.dtype == np.uint32
        assert found.tolist() == _plain_signature(text, num_perm).tolist(), text
    repeated = minhash._shingle_values("قال قال قال قال قال", 3)
    assert len(repeated) == 3 and len(set(repeated.tolist())) == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_for_a_batch_and_restored_after(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with prepare.collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), prepare.collector_paused():
            raise RuntimeError("a failing batch")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@given(
    st.text(alphabet=st.sampled_from("ab ع\nو ال.\u00a0\u0651x9"), max_size=30),
    st.text(alphabet=st.sampled_from("ab ع\nو ال.\u00a0\u0651x9"), max_size=60),
)
@settings(max_examples=300)
def test_body_words_read_from_the_index_terms(title: str, body: str) -> None:
    # prepare_article fingerprints the body part of index_terms' words, not a join of its own.
    title_tokens, body_tokens = arabic.tokenize(title), arabic.tokenize(body)
    words, _ = index_terms(title_tokens, body_tokens)
    assert words.partition(" \n ")[2] == " ".join(t.text for t in body_tokens)
