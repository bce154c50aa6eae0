"""Tests of marsad.text.arabic: folding rules, tokenizer, stemmer, sentences, properties."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.models import Analysis, Token
from marsad.text import arabic
from marsad.text.arabic import (
    STOPWORDS,
    analyze,
    arabic_ratio,
    content_stems,
    display,
    fold,
    fold_with_offsets,
    is_stopword,
    match_text,
    sentence_spans,
    stem,
    tokenize,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


def token_texts(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


# ----------------------------------------------------------------------------- DISPLAY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("سوريا\u200fقال", "سورياقال"),  # RLM
        ("\u202bنص\u202c", "نص"),  # RLE ... PDF
        ("\u2067نص\u2069", "نص"),  # RLI ... PDI
        ("\ufeffنص", "نص"),  # BOM
        ("مع\u00adلومات", "معلومات"),  # soft hyphen
        ("نص\u200cنص\u200d", "نصنص"),  # ZWNJ, ZWJ
        ("a\u00a0b\u202fc\u2003d", "a b c d"),  # NBSP, narrow NBSP, em space
        ("a\x00b\x07c\x85d", "abcd"),  # C0 and C1 controls
        ("a\tb\nc", "a\tb\nc"),  # tab and newline kept
        ("a\u2028b\u2029c", "a\nb\nc"),  # line and paragraph separators
        ("مُحَمَّدٌ ـــ على کتاب ی", "مُحَمَّدٌ ـــ على کتاب ی"),  # spelling kept
        ("e\u0301", "é"),  # NFC
    ],
)
def test_display_rules(raw: str, expected: str) -> None:
    assert display(raw) == expected


# ----------------------------------------------------------------------------- fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّدٌ", "محمد"),  # harakat, shadda, tanween
        ("كِتَابًا", "كتابا"),  # fathatan
        ("مُسْلِم", "مسلم"),  # sukun
        ("هٰذا", "هذا"),  # superscript alef
        ("صلى الله عليه وسلم\u0610", "صلي الله عليه وسلم"),  # Quranic honorific mark
        ("الحمــــد", "الحمد"),  # tatweel
        ("أحمد إسلام آمن ٱلله", "احمد اسلام امن الله"),  # alef forms
        ("على", "علي"),  # alef maqsura
        ("السوری", "السوري"),  # Persian yeh U+06CC
        ("ېې", "يي"),  # Pashto yeh
        ("کتاب", "كتاب"),  # keheh U+06A9
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("مسؤول", "مسءول"),  # waw with hamza: seats fold to the bare hamza
        ("رئيس", "رءيس"),  # yeh with hamza
        ("جزء", "جزء"),  # standalone hamza kept
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic digits
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),  # Persian digits
        ("،؛؟", ",;?"),  # Arabic punctuation
        ("«»“”„‘’‹›", '"""""' + "''''"),  # quote variants
        ("a–b—c−d", "a-b-c-d"),  # dashes
        ("ﻻ ﻷ", "لا لا"),  # lam-alef ligatures
        ("ﺑﺴﻢ", "بسم"),  # presentation forms
        ("Hello WORLD", "hello world"),  # Latin lower-cased
        ("  a \n\t b  ", "a b"),  # whitespace runs
        ("a\u200fb\u00a0c", "ab c"),  # controls and Unicode spaces
    ],
)
def test_fold_rules(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_with_offsets_maps_back_to_source() -> None:
    text = "  الـسُّوري ﻻ  ٣"
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text) == "السوري لا 3"
    assert len(offsets) == len(folded)
    assert [text[i] for i in offsets[:3]] == ["ا", "ل", "س"]
    assert text[offsets[folded.index("3")]] == "٣"
    assert offsets == sorted(offsets)


# ----------------------------------------------------------------------------- tokenize


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والسوري", "سوري"),
        ("بالإرهابيين", "ارهابيين"),
        ("وزير", "وزير"),
        ("للأمم", "امم"),
        ("الأمم", "امم"),
        ("فالحكومة", "حكومه"),
        ("كالعادة", "عاده"),
        ("وسوريا", "سوريا"),
        ("وقال", "قال"),
        ("بيان", "بيان"),
        ("لبنان", "لبنان"),
        ("وهو", "هو"),
        ("كان", "كان"),
        ("ولي", "ولي"),
        ("الذي", "الذي"),
        ("لله", "الله"),
        ("إلى", "الي"),
        ("الحج", "حج"),
    ],
)
def test_proclitic_splitting(word: str, expected: str) -> None:
    assert token_texts(word) == [expected]


def test_genuine_al_word_keeps_al_after_prepositions() -> None:
    assert token_texts("الذي والذي بالذي") == ["الذي", "الذي", "الذي"]


def test_tokens_keep_original_spans() -> None:
    text = "قال وزيرُ الخارجية السوريّ، إن ٣٫٥ % (Hello) «تمت»."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "قال",
        "وزير",
        "خارجيه",
        "سوري",
        "ان",
        "3.5",
        "hello",
        "تمت",
    ]
    assert [text[t.start : t.end] for t in tokens] == [
        "قال",
        "وزيرُ",
        "الخارجية",
        "السوريّ",
        "إن",
        "٣٫٥",
        "Hello",
        "تمت",
    ]


def test_tokens_carry_stems() -> None:
    assert all(t.stem == stem(t.text) for t in tokenize("الإرهابيين السوريين في الرقة"))


def test_punctuation_only_text_has_no_tokens() -> None:
    assert tokenize("... ، ؛ ؟ !! «» - ") == []


def test_tokenize_splits_digits_from_letters_and_scripts() -> None:
    assert token_texts("2017م F16 كوفيد-19 كرئيس") == [
        "2017",
        "م",
        "f",
        "16",
        "كوفيد",
        "19",
        "كرءيس",
    ]


def test_match_text_makes_variants_equal() -> None:
    assert match_text("السورى") == match_text("السوري") == match_text("السوری") == "سوري"
    assert match_text("الإرهابیین") == match_text("الارهابيين") == "ارهابيين"
    assert match_text("قال: «الجيش السوري»") == "قال جيش سوري"


# ----------------------------------------------------------------------------- stems, stopwords


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ارهابيين", "ارهاب"),
        ("مسلحين", "مسلح"),
        ("وزيره", "وزير"),
        ("بيانات", "بيان"),
        ("وزير", "وزير"),
        ("hello", "hello"),
        ("2017", "2017"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stem_output_is_folded() -> None:
    for word in ("ارهابيين", "مدرسه", "قالت", "سوريه"):
        assert fold(stem(word)) == stem(word)


def test_stopwords_are_folded_function_words() -> None:
    assert all(fold(word) == word for word in STOPWORDS)
    assert {"في", "من", "الي", "علي", "هذا", "الذي", "هو"} <= STOPWORDS
    assert "قال" not in STOPWORDS and "اضاف" not in STOPWORDS
    assert is_stopword("إلى") and is_stopword("على") and not is_stopword("أكد")


def test_content_stems_drop_stopwords_digits_and_short_tokens() -> None:
    tokens = tokenize("قال إن الجيش السوري في 2017 و الإرهابيين")
    assert content_stems(tokens) == ["قال", "جيش", "سور", "ارهاب"]


# ----------------------------------------------------------------------------- sentences


def spans_text(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_split_on_arabic_and_latin_punctuation() -> None:
    text = "قال الوزير. وأضاف: هل هذا صحيح؟ نعم! انتهى؛ ثم سكت"
    assert spans_text(text) == ["قال الوزير.", "وأضاف: هل هذا صحيح؟", "نعم!", "انتهى؛", "ثم سكت"]


def test_sentences_split_on_newlines_and_strip_whitespace() -> None:
    text = "  السطر الأول  \n\n  السطر الثاني\n***\n"
    assert spans_text(text) == ["السطر الأول", "السطر الثاني"]


def test_sentences_keep_decimals_and_short_quotes() -> None:
    text = "بلغت النسبة 3.5 بالمئة. وقال «هذا جيد. جدا» ثم غادر."
    assert spans_text(text) == ["بلغت النسبة 3.5 بالمئة.", "وقال «هذا جيد. جدا» ثم غادر."]


def test_sentences_split_missing_space_after_full_stop() -> None:
    assert spans_text("انتهت الحرب.وقال الوزير") == ["انتهت الحرب.", "وقال الوزير"]


def test_sentence_keeps_closing_quote() -> None:
    assert spans_text("قال: «انتهى». ثم غادر") == ["قال: «انتهى».", "ثم غادر"]


# ----------------------------------------------------------------------------- analyze, ratio


def test_analyze_bundles_everything() -> None:
    text = "قال الوزير السوري. وأضاف أن 90% من الأراضي."
    result = analyze(text)
    assert isinstance(result, Analysis)
    assert result.tokens == tokenize(text)
    assert result.match_text == match_text(text)
    assert result.stems == content_stems(result.tokens)
    assert [s.text for s in result.sentences] == ["قال الوزير السوري.", "وأضاف أن 90% من الأراضي."]
    assert all(text[s.start : s.end] == s.text for s in result.sentences)


def test_arabic_ratio() -> None:
    assert arabic_ratio("السوري") == 1.0
    assert arabic_ratio("hello") == 0.0
    assert arabic_ratio("") == 0.0
    assert arabic_ratio("ab سور") == pytest.approx(3 / 5)
    assert arabic_ratio("Ø§Ù„Ø³ÙˆØ±ÙŠ") == 0.0  # UTF-8 read as Latin-1


def test_normalizer_version_is_a_nonempty_string() -> None:
    assert isinstance(arabic.NORMALIZER_VERSION, str) and arabic.NORMALIZER_VERSION


# ----------------------------------------------------------------------------- seeds


@pytest.mark.shared
@needs_seeds
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_seed_syrian_variants_match(path: Path) -> None:
    text = display(path.read_text(encoding="utf-8"))
    if "السورى" in text or "السوري" in text:
        assert "سوري" in match_text(text).split()
    assert all(0 <= t.start < t.end <= len(text) for t in tokenize(text))


@pytest.mark.shared
@needs_seeds
def test_seed_002_persian_letters_fold() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    text = display(path.read_text(encoding="utf-8"))
    assert "ی" in text or "ک" in text
    words = match_text(text).split()
    assert "ارهابيين" in words
    assert not any(ch in " ".join(words) for ch in "یک")


# ----------------------------------------------------------------------------- properties

ARABIC_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱىیکةؤئءًٌٍَُِّْٰـ٠١٢٣٤٥٦٧٨٩۰۱،؛؟«»“”–—.!?:"
arabic_like_text = st.text(
    alphabet=st.sampled_from(list(ARABIC_ALPHABET + "abcXYZ019 \n\t\u00a0\u200f\u200cﻻﺑ%")),
    max_size=80,
)
any_text = st.text(max_size=60)


@given(st.one_of(any_text, arabic_like_text))
@settings(max_examples=400)
def test_display_is_idempotent(text: str) -> None:
    assert display(display(text)) == display(text)


_DISPLAY_SAMPLE = "a\r\nb\rc\u00a0d\u200f\u200ce\u202a\x1a\u2028\u3000\u00adf\tg\n"


@given(st.one_of(any_text, arabic_like_text, st.text(alphabet=_DISPLAY_SAMPLE, max_size=40)))
@settings(max_examples=400)
def test_display_replaces_as_one_translate(text: str) -> None:
    # display() replaces each changed character apart; that must equal translating the
    # text with the table once, which holds only while no replacement is a key itself.
    table = arabic._DISPLAY_TABLE
    assert not {value for value in table.values() if value} & {chr(key) for key in table}
    once = text.replace("\r\n", "\n").replace("\r", "\n").translate(table)
    assert display(text) == unicodedata.normalize("NFC", once)


@given(st.one_of(any_text, arabic_like_text))
@settings(max_examples=400)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(arabic_like_text)
@settings(max_examples=300)
def test_fold_with_offsets_agrees_with_fold(text: str) -> None:
    text = display(text)
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert all(0 <= i < len(text) for i in offsets)
    assert offsets == sorted(offsets)


def _span_folds_to_token(text: str, token: Token) -> bool:
    surface = fold(text[token.start : token.end])
    # ل + ال drops an alef (لله -> الله, للألمانيا): the token may restore it.
    return surface.endswith(token.text) or (
        token.text.startswith("ا") and surface.endswith(token.text[1:])
    )


@given(st.one_of(any_text, arabic_like_text))
@settings(max_examples=500)
def test_token_spans_fold_to_tokens(text: str) -> None:
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.text
        assert _span_folds_to_token(text, token), (token, text[token.start : token.end])


@given(st.one_of(any_text, arabic_like_text))
@settings(max_examples=300)
def test_tokens_are_ordered_and_disjoint(text: str) -> None:
    tokens = tokenize(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(tokens))


@given(st.one_of(any_text, arabic_like_text))
@settings(max_examples=400)
def test_sentence_spans_are_ordered_and_within_bounds(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end


def test_sentences_keep_short_straight_quotes_and_split_after_closing_quote() -> None:
    text = 'وصف "صراع جيلنا. الطويل" بأنه مهم. وقال «سنقاتل حتى النهاية.» وأضاف'
    assert spans_text(text) == [
        'وصف "صراع جيلنا. الطويل" بأنه مهم.',
        "وقال «سنقاتل حتى النهاية.»",
        "وأضاف",
    ]


def test_sentences_keep_one_letter_abbreviations() -> None:
    assert spans_text("التقى د. محمد و أ.د. علي في البلد. ثم غادر") == [
        "التقى د. محمد و أ.د. علي في البلد.",
        "ثم غادر",
    ]


def test_shipped_exception_lists_are_used() -> None:
    assert token_texts("ألمانيا بألمانيا لألمانيا") == ["المانيا"] * 3
    assert token_texts("آلاف والآلاف") == ["الاف", "الاف"]
    assert token_texts("واحد وأضاف باتفاق ولاية فساد") == ["واحد", "اضاف", "اتفاق", "ولايه", "فساد"]


def test_two_generation_cache_keeps_reused_entries() -> None:
    computed: list[str] = []

    def compute(key: str) -> tuple[tuple[str, int, int, str], ...]:
        computed.append(key)
        return ((key, 0, len(key), key),)

    cache = arabic._TwoGenerationCache(2, compute)
    for key in ("a", "b", "c", "a", "d", "e", "a"):
        if cache.young.get(key) is None:
            cache.miss(key)
    # "a" survived two turnovers by being promoted; "b" and "c" were computed once.
    assert computed == ["a", "b", "c", "d", "e"]
    assert cache.young.get("a") == (("a", 0, 1, "a"),)


def test_hamza_seats_fold_alike() -> None:
    # Egyptian and Gulf/Levantine spellings of one word meet (issue 20).
    assert fold("شئون") == fold("شؤون") == "شءون"
    assert fold("مسئول") == fold("مسؤول")
    assert match_text("المسئولية") == match_text("المسؤولية")
    # A hamza on alef still folds to alef (writers drop it), not to the bare hamza.
    assert fold("أحمد") == fold("احمد")
    assert fold("شئون") != fold("شيون")


def test_hamza_after_alef_may_be_typed_as_yeh() -> None:
    assert fold("جائزة") in arabic.hamza_seat_alternatives(fold("جايزة"))
    assert fold("جايزة") in arabic.hamza_seat_alternatives(fold("جائزة"))
    assert arabic.hamza_seat_alternatives(fold("شاي")) == set()  # a final yeh is a yeh
    assert arabic.hamza_seat_alternatives(fold("إيران")) == set()


def test_compound_names_split_and_join() -> None:
    assert arabic.split_name_compound(fold("عبدربه")) == ("عبد", "ربه")
    assert arabic.split_name_compound(fold("نصرالله")) == ("نصر", "الله")
    assert arabic.split_name_compound(fold("عبدي")) is None
    assert arabic.is_name_compound(fold("أبو"), fold("بكر"))
    assert not arabic.is_name_compound(fold("أبو"), fold("في"))
