"""All Arabic text rules of Marsad: normalization profiles, tokenizer, stemmer, stopwords, sentences.

Two profiles exist and must never be mixed:

* DISPLAY (:func:`display`): what users see. Original spelling is kept (diacritics, tatweel,
  ى, ک); only invisible or layout-breaking characters are removed or unified.
* MATCH (:func:`fold`, :func:`tokenize`, :func:`match_text`): what is compared, indexed and
  searched. Spelling variants that Arabic writers use interchangeably fold to one form, so
  السورى, السوري and السوری are the same token.

Word lists live in ``marsad/data`` (``stopwords_ar.txt``, ``proclitic_keep_ar.txt``,
``al_words_ar.txt``); ``scripts/build_arabic_lists.py`` derives the last two from word
frequencies in SaudiNewsNet. Changing any MATCH rule or list requires bumping
:data:`NORMALIZER_VERSION`, which is stored with the index and triggers re-indexing.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from operator import attrgetter

import numpy as np

from marsad.data import load_text
from marsad.models import Analysis, Sentence, Token

# Bump when a folding or tokenizing rule in this module changes; NORMALIZER_VERSION adds a
# digest of the word lists, so regenerating a list also triggers re-indexing.
_RULES_VERSION = "ar-2"  # ar-2: one fold for hamza on ي/و seats (شئون = شؤون)

# --------------------------------------------------------------------------------------------
# Character tables
# --------------------------------------------------------------------------------------------

_TATWEEL = "\u0640"
# Arabic-script Cf characters that are visible signs (number sign, end of ayah); DISPLAY keeps them.
_ARABIC_VISIBLE_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u08e2\u0890\u0891")
_LINE_SEPARATORS = "\u2028\u2029"

_ALEF_FORMS = "أإآٱٲٳٵ"  # hamza above/below, madda, wasla, wavy hamza, high hamza
_YEH_FORMS = "ىیېۍێۑےۓ"  # alef maqsura, Persian/Pashto/Urdu yeh
_KAF_FORMS = "کڪ"  # Persian keheh, swash kaf
_HEH_FORMS = "ةۃۀہۂھە"  # teh marbuta (Arabic and Urdu), heh goal/doachashmee, ae
# A medial or final hamza sits on ي, و or the line depending on the writer's school, not on
# the word: Egypt writes شئون and مسئول where the Gulf and Levant write شؤون and مسؤول. All
# such seats fold to the bare hamza, so the spellings meet; a hamza on alef keeps folding to
# alef instead, because writers drop that hamza altogether (احمد for أحمد).
_HAMZA_SEATS = "ئؤٶٷٸ"  # yeh and waw with hamza (and their high-hamza forms)
_DROPPED_LETTERS = "\u0674\u06e5\u06e6"  # high hamza sign, small waw/yeh (Quranic annotation)

_PUNCT_FOLD = {
    "،": ",",
    "؍": ",",
    "٬": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "۔": ".",
    "٭": "*",
    "…": "...",
    **dict.fromkeys("«»“”„‟〝〞", '"'),
    **dict.fromkeys("‘’‚‛‹›", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63", "-"),
}


def _in_arabic_block(cp: int) -> bool:
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF


def _is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFE


def _build_display_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0x10000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Cc" and ch not in "\n\t":
            table[cp] = None
        elif cat == "Cf" and ch not in _ARABIC_VISIBLE_FORMAT:
            table[cp] = None  # bidi controls, ZWNJ/ZWJ, ZWSP, BOM, soft hyphen, word joiner
        elif cat == "Zs" and ch != " ":
            table[cp] = " "
    for ch in _LINE_SEPARATORS:
        table[ord(ch)] = "\n"
    return table


def _base_fold_char(ch: str) -> str:
    """Folds one lower-case character, without iterating to a fixed point."""
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if ch in "\t\n\r\x0b\x0c" or cat == "Zs" or ch in _LINE_SEPARATORS:
        return " "
    if cat in ("Cc", "Cf") or ch == _TATWEEL or ch in _DROPPED_LETTERS:
        return ""
    if cat == "Mn" and _in_arabic_block(cp):
        return ""  # harakat, tanween, shadda, sukun, superscript alef, Quranic marks
    if ch in _ALEF_FORMS:
        return "ا"
    if ch in _YEH_FORMS:
        return "ي"
    if ch in _KAF_FORMS:
        return "ك"
    if ch in _HEH_FORMS:
        return "ه"
    if ch in _HAMZA_SEATS:
        return "ء"
    if ch in _PUNCT_FOLD:
        return _PUNCT_FOLD[ch]
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    if _is_presentation_form(cp) or 0xFF01 <= cp <= 0xFF5E or 0xFE50 <= cp <= 0xFE6B:
        return _fold_compat(ch)
    return ch


def _fold_compat(ch: str) -> str:
    """Folds a presentation-form or full-width character through its NFKC decomposition."""
    decomposed = unicodedata.normalize("NFKC", ch).lower()
    if decomposed == ch:
        return ch  # no decomposition (e.g. ﷽): keep as a symbol
    folded = "".join(_base_fold_char(c) for c in decomposed)
    if not folded.strip():
        return ""  # isolated harakat forms such as ﹰ decompose to space + mark
    if " " in folded.strip():
        return " "  # multi-word ligatures (ﷺ): a separator, not a word
    return folded


def _fixed_point_fold(ch: str) -> str:
    out = _base_fold_char(ch)
    while True:
        again = "".join(_base_fold_char(c) for c in out.lower())
        if again == out:
            return out
        out = again


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or _base_fold_char(ch) == ch:
            continue  # surrogates; unchanged characters (input is lower-cased before lookup)
        folded = _fixed_point_fold(ch)
        if folded != ch:
            table[cp] = folded
    return table


_DISPLAY_TABLE = _build_display_table()
# Most text holds none of the characters DISPLAY changes; finding that out is ~20x cheaper
# than str.translate over a long Arabic body, which walks a dict per character.
_DISPLAY_CHANGES_RE = re.compile(
    "[{}]".format("".join(re.escape(chr(cp)) for cp in _DISPLAY_TABLE))
)
_FOLD_TABLE = _build_fold_table()
# Characters that do not fold to exactly one non-space character (removed marks, ligatures,
# whitespace): only text containing them needs the per-character offset mapping.
_NOT_ONE_TO_ONE_RE = re.compile(
    "[\\s{}]".format(
        "".join(
            re.escape(chr(cp))
            for cp, folded in _FOLD_TABLE.items()
            if len(folded) != 1 or folded.isspace()
        )
    )
)

# --------------------------------------------------------------------------------------------
# DISPLAY profile
# --------------------------------------------------------------------------------------------


def display(text: str) -> str:
    """Cleans text for showing it: keeps the original spelling, removes invisible controls.

    NFC-composes, turns ``\\r\\n`` and ``\\r`` into ``\\n``, removes C0/C1 controls other than
    newline and tab, bidi controls, BOM, soft hyphen, ZWNJ/ZWJ, and turns every Unicode space
    (NBSP, narrow NBSP, ...) into an ASCII space. Diacritics, tatweel, ى and ک are kept.

    Args:
        text: any decoded text.

    Returns:
        The DISPLAY form; ``display(display(x)) == display(x)``.
    """
    changed = _DISPLAY_CHANGES_RE.findall(text)
    if changed:  # "\r" is a control, so it is matched too
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        # A replace per distinct character (a no-break space, a bidi mark) instead of a
        # translate, which looks up a dict per character of the body: the same text, as no
        # replacement is itself replaced (_DISPLAY_TABLE's values are none of its keys).
        for char in set(changed).difference("\r"):
            text = text.replace(char, _DISPLAY_TABLE[ord(char)] or "")
    # NFC last: removing a control may let two neighbours compose.
    return unicodedata.normalize("NFC", text)


#: A section label before a headline, as news agencies file them ("عام / ...", "رياضي / ...",
#: "بالصور // ..."): at most two words of letters, then one or two slashes. Digits are never a
#: label (a date such as 2015/7/31 stays).
_SECTION_PREFIX_RE = re.compile(r"^\s*(?:[^\W\d_]+\s+)?[^\W\d_]+\s*/{1,2}\s+(?=\S)")
_MIN_HEADLINE_WORDS = 3  # what remains after the label must still read as a headline


def strip_section_prefix(title: str) -> str:
    """A headline without the agency's section label in front (for display only).

    Args:
        title: a headline as stored.

    Returns:
        ``"عام / أمير المنطقة يستقبل السفير"`` -> ``"أمير المنطقة يستقبل السفير"``; a title
        whose rest would be shorter than three words is returned unchanged.
    """
    match = _SECTION_PREFIX_RE.match(title)
    if match is None:
        return title
    rest = title[match.end() :]
    return rest if len(rest.split()) >= _MIN_HEADLINE_WORDS else title


# --------------------------------------------------------------------------------------------
# MATCH profile: character folding
# --------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Folds any string to the MATCH profile, character by character (no tokenization).

    Removes diacritics, tatweel and controls; unifies alef, yeh, kaf, teh marbuta, hamza
    seats (ئ ؤ -> ء, so شئون = شؤون), digits, Arabic punctuation, quotes and dashes; decomposes presentation forms;
    lower-cases; collapses whitespace runs to one space and strips the ends.

    Args:
        text: any string.

    Returns:
        The folded string; ``fold(fold(x)) == fold(x)``.
    """
    if len(text) <= FOLD_CACHED_CHARS:
        return _fold_short(text)
    return _fold(text)


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD_TABLE)
    # NFC again: a removed mark may have separated a base letter from a composing accent.
    return unicodedata.normalize("NFC", " ".join(folded.split()))


# Words and names are folded again and again (about 390 calls per article in prepare, 81%
# of them a string already folded in the last 500 articles): short ones are remembered.
FOLD_CACHED_CHARS = 40
_fold_short = lru_cache(maxsize=1 << 16)(_fold)


_SEATS_AS_LETTERS = str.maketrans({"ئ": "ي", "ٸ": "ي", "ؤ": "و", "ٶ": "و", "ٷ": "و"})


def hamza_seats_as_letters(text: str) -> str:
    """``text`` with ئ written ي and ؤ written و, as MATCH folded them before ``ar-2``.

    Only for models whose vocabularies were learned on ``ar-1`` text (the shipped NER),
    until they are retrained; everything else uses :func:`fold`.
    """
    return text.translate(_SEATS_AS_LETTERS)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return ch.lower().translate(_FOLD_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folds ``text`` like :func:`fold` and maps every output character back to its source.

    Canonical composition (NFC) of the input is not applied, so for text that is not NFC the
    result may differ from :func:`fold` in how accents are composed; DISPLAY text is NFC.

    Args:
        text: the original string.

    Returns:
        ``(folded, offsets)`` where ``offsets[i]`` is the index in ``text`` of the character
        that produced ``folded[i]``.
    """
    lowered = text.lower()
    if len(lowered) == len(text) and not _NOT_ONE_TO_ONE_RE.search(lowered):
        return lowered.translate(_FOLD_TABLE), list(range(len(text)))  # common fast path
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, ch in enumerate(text):
        for out in _fold_char(ch):
            if out.isspace():
                pending_space = bool(chars)
                continue
            if pending_space:
                chars.append(" ")
                offsets.append(index)
                pending_space = False
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


class _CharFold(dict[int, str]):
    """``str.translate`` table: each character's MATCH form, whitespace as one space, and
    NUL for a removed character (diacritics, tatweel), cut out after translating.

    With ``first_only`` an expansion (… -> ...) keeps its first character, so every kept
    character stays one character. Entries are computed on first sight and cached.
    """

    def __init__(self, *, first_only: bool) -> None:
        super().__init__()
        self.first_only = first_only
        # The same table as code points, for :func:`_translate`: a BMP character's
        # one-character fold, _UNSEEN until first looked up, _EXPANDS if it has more.
        self.codes = np.full(0x10000, _UNSEEN, dtype=np.uint32)

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = " " if ch.isspace() else fold(ch)
        self[code] = (folded[:1] if self.first_only else folded) or "\0"
        return self[code]


_UNSEEN, _EXPANDS = 0xFFFFFFFF, 0xFFFFFFFE
_CHAR_FOLDS = {False: _CharFold(first_only=False), True: _CharFold(first_only=True)}


def _translate(text: str, table: _CharFold) -> str:
    """``text.translate(table)``, character by character in numpy: the same string about
    5 times faster on an article body (``str.translate`` looks up a dict per character).
    Text beyond the BMP or with a character that folds to several is left to translate."""
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return text.translate(table)
    if not codes.size or int(codes.max()) >= len(table.codes):
        return text.translate(table)
    mapped = table.codes[codes]
    if int(mapped.max()) >= _EXPANDS:
        for code in np.unique(codes[mapped == _UNSEEN]).tolist():
            out = table[code]
            table.codes[code] = ord(out) if len(out) == 1 else _EXPANDS
        mapped = table.codes[codes]
        if int(mapped.max()) >= _EXPANDS:
            return text.translate(table)
    return mapped.tobytes().decode("utf-32-le")


_KEPT_RUN_RE = re.compile("[^\0]+")


def fold_mapped(text: str, *, first_only: bool = False) -> tuple[str, Sequence[int]]:
    """Folds ``text`` character by character and maps each folded character to its source.

    The one offset-keeping MATCH fold for pattern matchers (dates, statements). Unlike
    :func:`fold`, whitespace runs are kept, one space per whitespace character (patterns
    match ``\\s+``), so the mapping comes from one C-speed translate: removed marks
    (diacritics, tatweel) are cut out run by run, and only an expansion (a ligature, …)
    needs a vectorised repeat. Much faster on long bodies than :func:`fold_with_offsets`,
    the tokenizer's exact variant, which collapses whitespace.

    Args:
        text: the original string.
        first_only: keep only the first character of an expansion (… -> .), so that no
            folded character shares its source with another.

    Returns:
        ``(folded, offsets)`` with ``offsets[i]`` the index in ``text`` of ``folded[i]``.
    """
    marked = _translated(text)
    if len(marked) != len(text):  # an expansion (… -> ...): only then does first_only differ
        return _expanded(text, marked, first_only)
    return _mapped(text, marked)


@lru_cache(maxsize=4)
def _translated(text: str) -> str:
    # Remembered for the last few texts: the statement and date extractors both fold
    # the same article body (with and without ``first_only``, the same string unless
    # the body has an expansion).
    return _translate(text, _CHAR_FOLDS[False])


@lru_cache(maxsize=4)
def _mapped(text: str, marked: str) -> tuple[str, Sequence[int]]:
    """``fold_mapped`` of a text whose every character folds to at most one (``marked``).

    Shared by the callers of one body: nobody writes into the offsets."""
    if "\0" not in marked:
        return marked, range(len(text))  # the common case: every character folds to one
    offsets: list[int] = []
    for run in _KEPT_RUN_RE.finditer(marked):
        offsets.extend(range(run.start(), run.end()))
    return marked.replace("\0", ""), offsets


def _expanded(text: str, marked: str, first_only: bool) -> tuple[str, Sequence[int]]:
    """``fold_mapped`` of a text with an expansion; ``marked``: its translation by the full
    table."""
    if first_only:
        return _mapped(text, _translate(text, _CHAR_FOLDS[True]))
    table = _CHAR_FOLDS[False]
    lengths = [0 if (out := table[ord(ch)]) == "\0" else len(out) for ch in text]
    repeated: list[int] = np.repeat(np.arange(len(text)), lengths).tolist()
    return marked.replace("\0", ""), repeated


# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------


_LIST_TEXTS = {
    name: load_text(name)
    for name in ("stopwords_ar.txt", "proclitic_keep_ar.txt", "al_words_ar.txt")
}


def word_sections(name: str) -> dict[str, list[str]]:
    """Entries of a ``[section]``-headed word list in package data, as written.

    ``#`` starts a comment; entries before any header are in section ``""``.
    """
    raw = load_text(name)
    sections: dict[str, list[str]] = {}
    current = ""
    for line in raw.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry.startswith("[") and entry.endswith("]"):
            current = entry[1:-1]
            sections[current] = []
        elif entry:
            sections.setdefault(current, []).append(entry)
    return sections


def _parse_word_list(text: str) -> frozenset[str]:
    """Entries of a data list: one per line, ``#`` starts a comment; entries are folded."""
    words = (fold(line.split("#", 1)[0]) for line in text.splitlines())
    return frozenset(word for word in words if word)


STOPWORDS: frozenset[str] = _parse_word_list(_LIST_TEXTS["stopwords_ar.txt"])
# Words that really begin with و ف ب ل (وزير, بيان, لبنان): no proclitic is stripped.
_KEEP_WHOLE: frozenset[str] = _parse_word_list(_LIST_TEXTS["proclitic_keep_ar.txt"])
# Words that really begin with ال (ألمانيا, إلغاء, الذي, الله): the article is not stripped.
_AL_WORDS: frozenset[str] = _parse_word_list(_LIST_TEXTS["al_words_ar.txt"])

NORMALIZER_VERSION: str = "{}-{}".format(
    _RULES_VERSION,
    hashlib.sha256("\0".join(_LIST_TEXTS.values()).encode("utf-8")).hexdigest()[:8],
)


def is_stopword(word: str) -> bool:
    """Tells whether a MATCH token (or any string, after folding) is a function word."""
    return word in STOPWORDS or fold(word) in STOPWORDS


# --------------------------------------------------------------------------------------------
# Proclitics
# --------------------------------------------------------------------------------------------

# Article with an optional conjunction and preposition; لل is ل + ال with the alef dropped.
# Folded proclitic runs before the article, longest first.
_ARTICLE_PREFIXES = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل")
_ARTICLE = "ال"
_MIN_AFTER_ARTICLE = 2  # الحج, الدم: two-letter nouns are common
_MIN_AFTER_LETTER = 3  # و+زير would need a 3-letter remainder; shorter ones (ولي) stay whole
_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بل"
_IRREGULAR = {"لله": "الله"}  # ل + الله drops both alefs


def strip_proclitics_with(
    word: str, keep_whole: AbstractSet[str], al_words: AbstractSet[str]
) -> str:
    """Removes the article and proclitics from a folded Arabic word, given exception lists.

    Strips ال and its compounds (وال بال كال فال لل وبال ...) when at least two letters remain;
    then the conjunction و or ف and the preposition ب or ل when at least three letters remain
    or the remainder is a function word (وهو -> هو). ك alone is left: as a preposition it
    nearly always comes with the article (كال), while many words start with ك.

    Args:
        word: a folded Arabic word.
        keep_whole: words that genuinely start with و ف ب ل (وزير, بيان): nothing is stripped.
        al_words: words whose ال is not the article (ألمانيا, الذي); after a proclitic they
            keep it, so لألمانيا, بألمانيا and ألمانيا give the same token.

    Returns:
        The word without proclitics.
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) < 3 or word in keep_whole:
        return word
    if word.startswith(_ARTICLE):
        if word in al_words or len(word) - len(_ARTICLE) < _MIN_AFTER_ARTICLE:
            return word
        return word[len(_ARTICLE) :]
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_AFTER_ARTICLE:
            rest = word[len(prefix) :]
            return _ARTICLE + rest if _ARTICLE + rest in al_words else rest
    if word[0] in _CONJUNCTIONS:
        rest = word[1:]
        if len(rest) < _MIN_AFTER_LETTER and rest not in STOPWORDS:
            return word
        if rest in keep_whole or rest in STOPWORDS:
            return rest  # ولكن -> لكن, not كن
        word = rest
    if word[0] in _PREPOSITIONS and word not in STOPWORDS:
        rest = word[1:]
        if len(rest) >= _MIN_AFTER_LETTER or (len(rest) >= 2 and rest in STOPWORDS):
            return rest
    return word


@lru_cache(maxsize=1 << 18)
def split_proclitics(word: str) -> str:
    """Removes the article and proclitics from one folded Arabic word (shipped lists).

    See :func:`strip_proclitics_with` for the rules.
    """
    return strip_proclitics_with(word, _KEEP_WHOLE, _AL_WORDS)


# Heads of two-word given names and place names, written with or without a space
# (عبد الملك / عبدالملك, أبو ظبي / أبوظبي, أبي بكر); folded.
_NAME_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابي", "ابا"})


_DIN = "الدين"  # second word of a compound given name: عز الدين, نور الدين, صلاح الدين


def join_name_compounds(words: Iterable[str]) -> list[str]:
    """Joins the head of a compound name to the word after it (عبد الملك -> عبدالملك), and an
    indefinite word to a following الدين (عز الدين -> عزالدين), both written either way.

    Words keep their spelling; a head is recognised after :func:`fold`; a head at the end
    stays as it is.
    """
    items = list(words)
    joined: list[str] = []
    index = 0
    while index < len(items):
        folded = fold(items[index])
        before_din = (
            index + 1 < len(items)
            and fold(items[index + 1]) == _DIN
            and len(folded) > 1
            and not folded.startswith("ال")
            and folded not in STOPWORDS
        )
        if before_din or (folded in _NAME_COMPOUND_HEADS and index + 1 < len(items)):
            joined.append(items[index] + items[index + 1])
            index += 2
        else:
            joined.append(items[index])
            index += 1
    return joined


_HAMZA_AFTER_ALEF = "اء"  # a folded ئ after alef (جائزة -> جاءزه)
_YEH_AFTER_ALEF = "اي"  # the same written informally with a plain ي (جايزة)


def hamza_seat_alternatives(word: str) -> set[str]:
    """Other spellings of a folded word whose medial hamza after alef may be typed as ي.

    Writers and searchers often put a plain ي for the ئ after alef (جايزة، قايمة، طايرة for
    جائزة، قائمة، طائرة); search tries both. Only inside the word: a final اي (شاي) is a real
    yeh.
    """
    found = set()
    for plain, other in (
        (_YEH_AFTER_ALEF, _HAMZA_AFTER_ALEF),
        (_HAMZA_AFTER_ALEF, _YEH_AFTER_ALEF),
    ):
        at = word.find(plain, 1)
        while at > 0 and at + len(plain) < len(word):
            found.add(word[:at] + other + word[at + len(plain) :])
            at = word.find(plain, at + 1)
    return found


_GOD = "الله"


def split_name_compound(word: str) -> tuple[str, str] | None:
    """The two words of a compound name written as one, or None (folded MATCH tokens).

    ``عبدربه`` -> (``عبد``, ``ربه``), ``ابوبكر`` -> (``ابو``, ``بكر``), ``نصرالله`` -> (``نصر``,
    ``الله``): writers join or space such names at will. At least three letters must remain
    on each side, so ``عبدي`` or ``ابوه`` are not split.
    """
    for head in sorted(_NAME_COMPOUND_HEADS, key=len, reverse=True):
        if word.startswith(head) and len(word) - len(head) >= 3:
            return head, word[len(head) :]
    if word.endswith(_GOD) and len(word) - len(_GOD) >= 3:
        return word[: -len(_GOD)], _GOD
    return None


def is_name_compound(first: str, second: str) -> bool:
    """Whether two folded MATCH tokens may be one compound name written apart (عبد ربه)."""
    return (first in _NAME_COMPOUND_HEADS and len(second) >= 3) or (
        second == _GOD and len(first) >= 3
    )


def strip_article_clitics(word: str) -> str:
    """A folded word with و ف ب ك ل before its article reduced to the article.

    ``للحوثيين`` -> ``الحوثيين``, ``والإمارات`` -> ``الامارات``; at least three letters must
    follow the article, so وال+ي (والي) stays whole. Other words come back folded.
    """
    folded = fold(word)
    for prefix in _ARTICLE_PREFIXES:
        if folded.startswith(prefix) and len(folded) - len(prefix) >= _MIN_AFTER_LETTER:
            return _ARTICLE + folded[len(prefix) :]
    return folded


def drop_article_proclitics(word: str) -> str:
    """A word in its own spelling with و ف ب ك ل before its article removed.

    ``بالسعودية`` -> ``السعودية``, ``للعراق`` -> ``العراق`` (ل + ال writes one alef),
    ``والصين`` -> ``الصين``; other words come back unchanged (as :func:`strip_article_clitics`
    decides, but without folding the spelling).
    """
    folded = fold(word)
    for prefix in _ARTICLE_PREFIXES:
        if folded.startswith(prefix) and len(folded) - len(prefix) >= _MIN_AFTER_LETTER:
            letters = [i for i, ch in enumerate(word) if fold(ch)]  # skip diacritics
            if prefix.endswith("لل"):
                # لل + noun: the article's alef was dropped; the second ل is the article's.
                return _ARTICLE + word[letters[len(prefix) - 1] + 1 :]
            return word[letters[len(prefix) - len(_ARTICLE)] :]
    return word


def oblique_plural(word: str) -> str:
    """A folded definite sound masculine plural in its oblique case (الحوثيون -> الحوثيين).

    Arabic writes the plural ون in the nominative and ين otherwise; other words unchanged.
    """
    folded = fold(word)
    if folded.startswith(_ARTICLE) and len(folded) >= 6 and folded.endswith("ون"):
        return folded[:-2] + "ين"
    return folded


# --------------------------------------------------------------------------------------------
# Stemming
# --------------------------------------------------------------------------------------------

# Light10-style suffixes (Larkey, Ballesteros & Connell 2007), on folded text (ة is ه already),
# tried in this order, each at most once, keeping at least three letters.
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_MIN_STEM = 3
_UNSTEMMED = frozenset({"الله"})  # its final ه is not a pronoun


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Light stem of a folded MATCH token (suffixes only; proclitics are already split off).

    A deterministic light10-style suffix stripper was chosen over Snowball's Arabic stemmer
    because Snowball strips و ف ب ك ل again by length alone (وزير -> زير, بيان -> الب with
    an article), undoing the tokenizer's exception lists and merging unrelated words; light
    stemming is also the best-studied choice for Arabic retrieval and costs one dict lookup.

    Args:
        word: a folded token (see :func:`tokenize`); non-Arabic tokens are returned unchanged.

    Returns:
        The stem, still in the MATCH profile.
    """
    if not word or not _is_arabic_letter(word[0]) or word in _UNSTEMMED:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
    return word


# --------------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------------

# Regex class body (for use inside [...]) of the Arabic-script letters that remain after folding.
ARABIC_LETTERS = (
    "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9"
)
_ARABIC_LETTER_RE = re.compile(f"[{ARABIC_LETTERS}]")


def _is_arabic_letter(ch: str) -> bool:
    return _ARABIC_LETTER_RE.match(ch) is not None


def _combining_ranges() -> str:
    """A regex class body with all BMP combining marks (Mn, Mc, Me)."""
    parts: list[str] = []
    start = -1
    for cp in range(0x10001):
        is_mark = cp < 0x10000 and unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
        if is_mark and start < 0:
            start = cp
        elif not is_mark and start >= 0:
            parts.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = -1
    return "".join(parts)


_MARKS = _combining_ranges()
# A raw word chunk of the ORIGINAL text: letters, digits, marks, tatweel, joiners, soft hyphen,
# and decimal separators between digits (3.5, ٣٫٥).
_WORD_CHAR = f"(?:[^\\W_]|[{_MARKS}\\u0640\\u200c\\u200d\\u00ad])"
_CHUNK_RE = re.compile(f"{_WORD_CHAR}+(?:(?<=\\d)[.,\\u066b\\u066c](?=\\d){_WORD_CHAR}+)*")
# Tokens inside a folded chunk: numbers, Arabic words, other-script words (with trailing marks).
_SUBTOKEN_RE = re.compile(
    f"(?P<num>[0-9]+(?:[.,][0-9]+)*)"
    f"|(?P<ar>[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_MARKS}]*)"
    f"|(?P<other>[^\\W_0-9{ARABIC_LETTERS}](?:[^\\W_0-9{ARABIC_LETTERS}]|[{_MARKS}])*)"
)

_TokenParts = tuple[tuple[str, int, int, str], ...]  # (text, start, end, stem), relative


class _TwoGenerationCache:
    """A bounded memo: when the young generation is full it becomes the old one.

    Entries used again are promoted from the old generation, so frequent words survive a
    turnover while the one-off ones are dropped; memory stays below two generations.
    """

    def __init__(self, generation_size: int, compute: Callable[[str], _TokenParts]) -> None:
        self.young: dict[str, _TokenParts] = {}
        self._old: dict[str, _TokenParts] = {}
        self._generation_size = generation_size
        self._compute = compute

    def miss(self, key: str) -> _TokenParts:
        """Value for a key not in ``young`` (callers try ``young.get`` first, for speed)."""
        value = self._old.get(key)
        if value is None:
            value = self._compute(key)
        if len(self.young) >= self._generation_size:
            self._old = self.young
            self.young = {}
        self.young[key] = value
        return value


def _analyze_chunk(chunk: str) -> _TokenParts:
    """Tokens of one raw word chunk, offsets relative to the chunk."""
    folded, offsets = fold_with_offsets(chunk)
    result: list[tuple[str, int, int, str]] = []
    for match in _SUBTOKEN_RE.finditer(folded):
        word = match.group()
        if match.lastgroup == "ar":
            word = split_proclitics(word)
        elif match.lastgroup == "other":
            word = unicodedata.normalize("NFC", word)
        start = offsets[match.start()]
        end = offsets[match.end() - 1] + 1
        # Absorb trailing marks and tatweel so the span is the whole written word.
        while end < len(chunk) and not _fold_char(chunk[end]):
            end += 1
        result.append((word, start, end, stem(word)))
    return tuple(result)


def _analyze_piece(piece: str) -> _TokenParts:
    """Tokens of one space-delimited piece (a word with its punctuation), relative offsets."""
    result: list[tuple[str, int, int, str]] = []
    for match in _CHUNK_RE.finditer(piece):
        chunk = match.group()
        parts = _CHUNKS.young.get(chunk)
        if parts is None:
            parts = _CHUNKS.miss(chunk)
        base = match.start()
        result.extend((word, base + start, base + end, st) for word, start, end, st in parts)
    return tuple(result)


# About 100k entries use 30 MB (both caches stay under ~200 MB); news vocabulary is Zipfian,
# so a generation of 200k pieces holds the working set of a few thousand articles.
_CHUNKS = _TwoGenerationCache(150_000, _analyze_chunk)
_PIECES = _TwoGenerationCache(200_000, _analyze_piece)


# Tokens are built with tuple.__new__ (no Python-level __new__ call): this is the inner loop.
_new_tuple = tuple.__new__


def tokenize(text: str) -> list[Token]:
    """Splits text into MATCH-profile word tokens with offsets into the original text.

    ``text[token.start:token.end]`` is the written word including its proclitics;
    ``token.text`` is the folded word without article and proclitics; punctuation is dropped;
    numbers (3.5, ٢٠١٧) and Latin words are tokens.

    Args:
        text: original (DISPLAY) text.

    Returns:
        The tokens in text order.
    """
    # Splitting on single spaces (C speed) keeps exact offsets; each piece is analysed once
    # and cached, so common words cost one dict lookup.
    get, miss = _PIECES.young.get, _PIECES.miss
    tokens: list[Token] = []
    append = tokens.append
    position = 0
    for piece in text.split(" "):
        if piece:
            parts = get(piece)
            if parts is None:
                parts = miss(piece)
                get = _PIECES.young.get  # the young generation may have turned over
            for word, start, end, word_stem in parts:
                append(_new_tuple(Token, (word, position + start, position + end, word_stem)))
        position += len(piece) + 1
    return tokens


_token_text = attrgetter("text")


def match_text(text: str) -> str:
    """The MATCH string that full-text search indexes; queries go through it as well."""
    return " ".join(map(_token_text, tokenize(text)))


def is_content_word(word: str) -> bool:
    """A token text that carries content: no stopword, no number, at least two letters."""
    return word not in STOPWORDS and len(word) >= 2 and not word[0].isdigit()


def content_stems(tokens: Iterable[Token]) -> list[str]:
    """Stems of the content words (see :func:`is_content_word`)."""
    stopwords = STOPWORDS
    # The test of is_content_word, inlined: this runs over every token of every article.
    return [
        token.stem
        for token in tokens
        if (word := token.text) not in stopwords and len(word) >= 2 and not word[0].isdigit()
    ]


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_TERMINATORS = ".!?؟؛۔…"
_CLOSERS = "»”’\"')]}›"
_QUOTE_PAIRS = {"«": "»", "“": "”", "‹": "›"}
_QUOTE_CHARS = '«“‹"'
_MAX_QUOTE = 300  # a quotation longer than this holds sentences of its own
# Sentence ends: terminators followed by optional closing quotes, then a space, a line break, an
# Arabic letter (a missing space, common in scraped text) or the end; not between digits.
_END_RE = re.compile(
    f"[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*(?=\\s|$|[{ARABIC_LETTERS}])"
)
_ABBREVIATION_LETTERS = frozenset("دأ")  # د. (Dr.), أ.د. (Prof. Dr.)


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` follows a one-letter abbreviation such as د."""
    return (
        paragraph[dot] == "."
        and dot >= 1
        and paragraph[dot - 1] in _ABBREVIATION_LETTERS
        and (dot == 1 or not paragraph[dot - 2].isalnum())
    )


def _quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for opening, closing in _QUOTE_PAIRS.items():
        start = paragraph.find(opening)
        while start >= 0:
            end = paragraph.find(closing, start + 1)
            if 0 < end - start <= _MAX_QUOTE:
                spans.append((start, end))
            start = paragraph.find(opening, start + 1)
    # Straight quotes open and close alike: pair them in order of appearance.
    straight = []  # positions of '"', found at C speed (a paragraph is long)
    at = paragraph.find('"')
    while at >= 0:
        straight.append(at)
        at = paragraph.find('"', at + 1)
    for start, end in zip(straight[::2], straight[1::2], strict=False):
        if end - start <= _MAX_QUOTE:
            spans.append((start, end))
    return spans


def _paragraph_sentence_ends(paragraph: str) -> list[int]:
    quoted = _quoted_spans(paragraph) if any(q in paragraph for q in _QUOTE_CHARS) else []
    ends: list[int] = []
    for match in _END_RE.finditer(paragraph):
        cut = match.end()
        if any(start < match.start() and cut <= end for start, end in quoted):
            continue  # a full stop inside a short quotation (not one closing it)
        if _is_abbreviation(paragraph, match.start()):
            continue
        ends.append(cut)
    return ends


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Splits text into sentence spans at . ! ? ؟ ؛ … and at line breaks.

    Decimals (3.5) and full stops inside short quotations («...») do not end a sentence.
    Surrounding whitespace is excluded and spans without any letter or digit are dropped.

    Args:
        text: original (DISPLAY) text.

    Returns:
        Ordered, non-overlapping ``(start, end)`` offsets into ``text``.
    """
    return list(_sentence_spans(text))


# Bodies whose sentences are remembered: a prepare batch analyses a chunk of bodies
# (64 at a time, see marsad.extract.article.TAG_TEXTS) before extracting each of them, so
# the cache must outlast a chunk for the extractors to find what the first pass split.
SENTENCE_CACHE = 256


@lru_cache(maxsize=SENTENCE_CACHE)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    # Remembered for recent texts: the cluster features, the summarizer and the
    # extractors each ask for the sentences of the same article body.
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        cuts = [0, *_paragraph_sentence_ends(line), len(line)]
        for start, end in itertools.pairwise(cuts):
            piece = line[start:end]
            stripped = piece.strip()
            if stripped and any(ch.isalnum() for ch in stripped):
                offset = line_start + start + (len(piece) - len(piece.lstrip()))
                spans.append((offset, offset + len(stripped)))
        line_start += len(line) + 1
    return tuple(spans)


# --------------------------------------------------------------------------------------------
# Whole-text helpers
# --------------------------------------------------------------------------------------------


def analyze(text: str) -> Analysis:
    """Derives all MATCH data of one article body.

    Args:
        text: the article body in DISPLAY form.

    Returns:
        Tokens, sentences (with DISPLAY text), content stems and the match text.
    """
    tokens = tokenize(text)
    sentences = [Sentence(start=s, end=e, text=text[s:e]) for s, e in sentence_spans(text)]
    return Analysis(
        tokens=tokens,
        sentences=sentences,
        stems=content_stems(tokens),
        match_text=" ".join(map(_token_text, tokens)),
    )


_ARABIC_SCRIPT_RE = re.compile(f"[{ARABIC_LETTERS}\\ufb50-\\ufdff\\ufe70-\\ufefe]")


def arabic_ratio(text: str) -> float:
    """Share of the letters of ``text`` that are Arabic script (0.0 when it has no letters)."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0
    arabic = sum(1 for ch in text if ch.isalpha() and _ARABIC_SCRIPT_RE.match(ch))
    return arabic / letters
