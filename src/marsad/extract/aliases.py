"""Name variants of one entity: titles stripped, transliterations folded, short forms linked.

Arabic news writes one person many ways: ``الرئيس الروسي فلاديمير بوتين``, ``بوتين``,
``إيجور كوناشنكوف`` / ``إيغر كوناشينكوف``. This module gives

* :func:`canonical_name`: the name without titles, roles and nationality adjectives;
* :func:`name_key`: a comparison key that also folds transliteration variants
  (غ/ج -> g, long vowels inside words dropped), except for Arabic given names that differ
  only in vowels (محمد/محمود), listed in ``data/name_variants_ar.txt``;
* :class:`AliasResolver`: clusters mentions across articles; a bare surname joins the full
  name with that surname seen in the same article, else in the same story;
* :func:`same_entity`: a pairwise decision, for evaluation.

``data/aliases_ar.tsv`` (``variant<TAB>canonical``) overrides all rules; ``data/titles_ar.txt``
lists the titles and roles.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from marsad.data import load_gzip_text
from marsad.extract.ner import shipped_common_words
from marsad.text.arabic import (
    STOPWORDS,
    drop_article_proclitics,
    fold,
    join_name_compounds,
    oblique_plural,
    strip_article_clitics,
    word_sections,
)

_PUNCT = " \t\n,.;:!?\"'«»“”„()[]-–—،؛؟…"
_PATRONYMIC = frozenset({"بن", "ابن", "بنت"})
# After these a word is a name, never a title (إسماعيل ولد الشيخ أحمد, Mauritanian «son of»).
_NAME_LINKS = _PATRONYMIC | {"ولد"}
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابي"})  # first word of a two-word given name
# A final ة is read as ا only in words of five letters or more: short ones are Arabic words and
# names whose ة is part of the word (سارة, جدة), not a transliterated final a (أستانة).
_MIN_TEH_TO_ALEF = 4
_FIAAL_LETTERS = 4  # قطار: two root letters, the long a, the last root letter
_SPLIT_RE = re.compile(r"[\s,،]+")
_QUOTED_RE = re.compile(r'[«"“]([^«»"“”]+)[»"”]')
# A name with another name of the same body in brackets after it: «الاتحاد الدولي لكرة القدم
# (فيفا)», «أوبك (منظمة الدول المصدرة للنفط)».
_BRACKETED_RE = re.compile(r"^([^()«»]+?)\s*[(«]([^()«»]+)[)»]$")


@dataclass(frozen=True, slots=True)
class _Tables:
    titles: frozenset[str]  # folded single words of titles, roles and nationality adjectives
    letter_map: dict[int, str]
    vowels: frozenset[str]
    native: frozenset[str]
    aliases: dict[str, str]  # name key of a variant -> canonical name
    # folded honorific + given name (الملك سلمان) -> canonical: kept apart from ``aliases``
    # so that the given name alone (عمر) never takes one holder's full name (الشيخ عمر).
    honorific_aliases: dict[str, str]
    # title_key of a title phrase (الرئيس الفرنسي, رئيس الجمهورية الفرنسية) -> its holder, so
    # that every way of writing one office finds the holder mined for any of them.
    title_holders: dict[tuple[tuple[str, ...], str], str]
    # key of a whole mined title phrase whose title words strip to a body or place (الناطق
    # الإعلامي بشرطة منطقة حائل -> بشرطة منطقة حائل) -> its holder: the body is not the person.
    title_phrases: dict[str, str]
    # key of such a phrase's remainder -> the holder, for other titles of the office that strip
    # to it (الناطق [الرسمي] باسم الحكومة اليمنية): read for a mention opening with an office
    title_remainders: dict[str, str]


def _adjective_forms(word: str) -> set[str]:
    """A folded nationality adjective with and without ال, masculine and feminine (ي -> يه)."""
    bare = word[2:] if word.startswith("ال") else word
    forms = {bare, "ال" + bare}
    if bare.endswith("ي"):
        forms |= {bare + "ه", "ال" + bare + "ه"}
    return forms


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Folded single words of titles, roles and nationality adjectives (with ال/feminine forms)."""
    titles_file = word_sections("titles_ar.txt")
    words: set[str] = set()
    for section in ("titles", "roles"):
        for entry in titles_file.get(section, []):
            for word in fold(entry).split():
                if word != "باسم":
                    words |= _adjective_forms(word) if word.startswith("ال") else {word}
    for entry in titles_file.get("nationality", []):
        words |= _adjective_forms(fold(entry))
    return frozenset(words)


# Sections of ``aliases_ar.tsv`` in use, the later one winning a variant both list: the mined
# one, then the lines a store mined from its own articles (``store``, not in the file: see
# :func:`use_store_aliases`), then the hand-written one (""). Mining reads only the
# hand-written section, so that re-mining the same days gives the same lines whatever the
# mined sections held before (:func:`hand_written_aliases_only`).
STORE_SECTION = "store"
_ALIAS_SECTIONS: tuple[str, ...] = ("mined", STORE_SECTION, "")
_STORE_ALIASES: tuple[str, ...] = ()  # ``variant<TAB>canonical`` rows of the open store


def use_store_aliases(pairs: Iterable[tuple[str, str]]) -> None:
    """Names resolve through these ``(variant, canonical)`` pairs as well, the lines a store
    mined from its own articles (this process, until called again).

    They win over the shipped mined section (they come from the user's own, newer days: a
    title names its holder near its days only) and lose to the hand-written section."""
    global _STORE_ALIASES
    rows = tuple(
        f"{variant.strip()}\t{canonical.strip()}"
        for variant, canonical in pairs
        if variant.strip() and canonical.strip() and "\t" not in variant + canonical
    )
    if rows != _STORE_ALIASES:
        _STORE_ALIASES = rows
        _clear_caches()


def store_aliases() -> tuple[tuple[str, str], ...]:
    """The store-mined pairs in use (:func:`use_store_aliases`)."""
    return tuple((variant, canonical) for variant, canonical in map(_split_row, _STORE_ALIASES))


def _split_row(row: str) -> tuple[str, str]:
    variant, canonical = row.split("\t", 1)
    return variant, canonical


@contextmanager
def hand_written_aliases_only() -> Iterator[None]:
    """Within the block, names resolve through the hand-written aliases only, not the mined ones."""
    global _ALIAS_SECTIONS
    saved = _ALIAS_SECTIONS
    _ALIAS_SECTIONS = ("",)
    _clear_caches()
    try:
        yield
    finally:
        _ALIAS_SECTIONS = saved
        _clear_caches()


def _clear_caches() -> None:
    """Empties every memoised function of this module (their results depend on the aliases)."""
    for value in list(globals().values()):
        clear = getattr(value, "cache_clear", None)
        if callable(clear):
            clear()


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    variants = word_sections("name_variants_ar.txt")
    letter_map = {
        ord(fold(src)): dst for src, dst in (row.split("\t") for row in variants["letters"])
    }
    tables = _Tables(
        titles=_title_words(),
        letter_map=letter_map,
        vowels=frozenset(fold(v) for v in variants["vowels"]),
        native=frozenset(fold(n) for n in variants["native"]),
        aliases={},
        honorific_aliases={},
        title_holders={},
        title_phrases={},
        title_remainders={},
    )
    conflicting: set[tuple[tuple[str, ...], str]] = set()
    alias_file = word_sections("aliases_ar.tsv")
    alias_file[STORE_SECTION] = list(_STORE_ALIASES)
    holder_section: dict[tuple[tuple[str, ...], str], str] = {}
    rows = [(name, row) for name in _ALIAS_SECTIONS for row in alias_file.get(name, [])]
    for section, row in rows:
        variant, canonical = row.split("\t")
        words = [fold(w) for w in _words(variant)]
        if (
            len(words) == 2
            and words[0] in _HONORIFICS
            and words[1] not in tables.titles
            and not country_key(words[1])
        ):
            # الملك سلمان (a given name), not الرئيس الأمريكي nor الرئيس النيجيري (a title)
            tables.honorific_aliases[" ".join(words)] = canonical.strip()
            continue
        stripped = _strip_titles(variant)
        if section and _opens_with_office(variant) and fold(stripped) != fold(variant.strip()):
            # a mined title whose remainder names a body or place (رئيس إقليم كردستان): only
            # the whole phrase names the holder, never إقليم كردستان
            tables.title_phrases.setdefault(_key(variant, tables), canonical.strip())
            if not _opens_with_office(stripped):
                # the remainder is a body (باسم الحكومة اليمنية), not a title of its own
                # (مستشار خادم الحرمين الشريفين leaves خادم الحرمين الشريفين, another person)
                tables.title_remainders.setdefault(_key(stripped, tables), canonical.strip())
        else:
            tables.aliases[_key(stripped, tables)] = canonical.strip()
        office = title_key(variant)
        if (
            office is not None
            and section == STORE_SECTION
            and holder_section.get(office) == "mined"
        ):
            # the store's own days name the office's holder now: the shipped days are older
            tables.title_holders[office] = canonical.strip()
            holder_section[office] = section
        elif office is not None:
            # Two holders for one office (two sections, two spellings of a ministry) cancel out.
            known = tables.title_holders.setdefault(office, canonical.strip())
            holder_section.setdefault(office, section)
            if _key(known, tables) != _key(canonical, tables):
                conflicting.add(office)
    for office in conflicting:
        del tables.title_holders[office]
    # A listed title and its listed short form (خادم الحرمين الشريفين / خادم الحرمين) name one
    # person: the short form takes the mined holder of the long one.
    listed = sorted(word_sections("titles_ar.txt").get("unique_titles", []), key=len)
    for short in listed:
        for longer in listed:
            long_key = _key(longer, tables)
            if longer.startswith(short + " ") and long_key in tables.aliases:
                tables.aliases.setdefault(_key(short, tables), tables.aliases[long_key])
    return tables


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Folded single words of titles and roles only (no nationality adjectives)."""
    titles_file = word_sections("titles_ar.txt")
    return frozenset(
        word
        for section in ("titles", "roles")
        for entry in titles_file.get(section, [])
        for word in fold(entry).split()
        if word != "باسم"
    )


def is_role_word(word: str) -> bool:
    """Tells whether a word is a title or role (الرئيس، وزير، اللواء), not a nationality."""
    return fold(word.strip(_PUNCT)) in _role_words()


def is_title_word(word: str) -> bool:
    """Tells whether a word is a title, role or nationality adjective (الرئيس، وزير، الروسي)."""
    folded = fold(word.strip(_PUNCT))
    return folded in _tables().titles


def _words(name: str) -> list[str]:
    return [w.strip(_PUNCT) for w in _SPLIT_RE.split(name) if w.strip(_PUNCT)]


def _name_suffix(words: list[str], titles: frozenset[str]) -> list[str]:
    """The words after the last title/role word, or [] when the phrase ends with one. A word
    next to a name link is a name (ولد الشيخ أحمد; تركي بن طلال, not «Turkish»)."""
    for index in range(len(words) - 1, -1, -1):
        if (
            fold(words[index]) in titles
            and not (index > 0 and fold(words[index - 1]) in _NAME_LINKS)
            and not (index + 1 < len(words) and fold(words[index + 1]) in _PATRONYMIC)
        ):
            return words[index + 1 :]
    return words


def _leading_name(words: list[str]) -> list[str]:
    """Two to four name words that open the phrase and are followed directly by a role."""
    for index in range(2, min(4, len(words) - 1) + 1):
        if fold(words[index]) in _role_words() and fold(words[index - 1]) not in _NAME_LINKS:
            lead = words[:index]
            if _looks_like_name(lead) and not any(fold(w) in _title_words() for w in lead):
                return lead
            return []
    return []


# A conjunction or preposition glued to a name without the article (لبوتين, وكيري, فتركيا) is
# dropped when the corpus's surface counts (``data/surface_counts_ar.tsv.gz``, built by
# scripts/count_surface_words.py) say the glued form is the bare one with a letter before it:
MIN_BARE_COUNT = 20  # the bare form is a word of the news (ليد, در, هد, بنان are not)
# ... the glued form is a small share of the bare one: و joins names in every list (وكندا is
# 0.45 of كندا), the other letters far less (ليو is 0.3 of يو, باير 0.35 of اير: other names);
GLUED_SHARE = {"و": 0.5, "ف": 0.25, "ب": 0.25, "ل": 0.25, "ك": 0.25}
# ... the bare form is seldom definite, as a name is (البني, المال, الحر: common words);
MAX_BARE_DEFINITE_SHARE = 0.2
# ... and the glued form is no word of its own with an article (الوادي, الفهم, الوطن).
MAX_GLUED_DEFINITE_SHARE = 0.05
RARE_NAME_PROCLITICS = frozenset("فك")  # glued to a name only rarely (see is_glued_proclitic)


@lru_cache(maxsize=1)
def _surface_counts() -> dict[str, int]:
    """Folded written word -> its uses in SaudiNewsNet July 2015 (clitics kept)."""
    table: dict[str, int] = {}
    for line in load_gzip_text("surface_counts_ar.tsv.gz").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            table[word] = int(count)
    return table


@lru_cache(maxsize=1 << 14)
def is_glued_proclitic(word: str) -> bool:
    """Whether the first letter of a word without the article is a glued و ف ب ل ك (لبوتين,
    وكيري) rather than the first letter of a name (وليد, بدر, فهد, لبنان, بسام, كريم), by the
    corpus counts of the word and of its rest (see :data:`GLUED_SHARE`)."""
    folded = fold(word)
    share = GLUED_SHARE.get(folded[:1])
    if share is None or len(folded) < 4 or folded.startswith("ال"):
        return False
    counts = _surface_counts()
    bare = folded[1:]
    bare_count = counts.get(bare, 0)
    glued_count = counts.get(folded, 0)
    return (
        bare_count >= MIN_BARE_COUNT
        and glued_count <= share * bare_count
        # ف and ك rarely glue to a name in news, so their cut must leave a name, not a word
        # the tagger never takes alone for one: فادي is not ف + ادي (أدى). (و ب ل glue to
        # names often, and their bare forms include first names on that list: ومحمد.)
        and (folded[0] not in RARE_NAME_PROCLITICS or bare not in shipped_common_words())
        and counts.get("ال" + bare, 0) <= MAX_BARE_DEFINITE_SHARE * bare_count
        and counts.get("ال" + folded, 0) <= MAX_GLUED_DEFINITE_SHARE * max(glued_count, 1)
    )


def without_name_proclitic(name: str) -> str:
    """A name without a conjunction or preposition glued to its first word, in its own
    spelling: ``لبوتين`` -> ``بوتين``, ``وجون كيري`` -> ``جون كيري``, ``بالسعودية`` ->
    ``السعودية``; ``وليد`` and ``بدر`` stay (see :func:`is_glued_proclitic`)."""
    first, space, rest = name.strip().partition(" ")
    bare = drop_article_proclitics(first)
    if bare == first and is_glued_proclitic(first):
        letters = [i for i, ch in enumerate(first) if fold(ch)]  # skip diacritics
        bare = first[letters[1] :]
    return bare + space + rest


@lru_cache(maxsize=1)
def _region_words() -> frozenset[str]:
    return frozenset(fold(e) for e in word_sections("titles_ar.txt").get("region", []))


def _after_complements(words: list[str]) -> list[str]:
    """Drops the definite complements after a role (مؤلف الدراسة دومينيك -> دومينيك)."""
    index = 0
    region_seen = False
    while index < len(words):
        folded = fold(words[index])
        if folded in _region_words():
            index += 2  # منطقة الرياض, محافظة جدة: the region and its name
            region_seen = True
        elif _is_definite(words[index]) and folded not in STOPWORDS:
            index += 1  # الخارجية, للأمم المتحدة
        elif _is_lam_complement(words, index):
            index += 2  # لكرة القدم، لمجلس التعاون: a complement in construct, no name
        elif _is_title_complement(folded, False):
            # لمنظمة أوبك, لأوبك: the body of the office and its name, no holder's name
            index += 2 if _without_lam(folded) in _institution_heads() else 1
            region_seen = True
        else:
            break
    if index >= len(words):
        return [] if region_seen else words
    return words[index:]


def _is_lam_complement(words: list[str], index: int) -> bool:
    """ل + a noun in construct with a definite word (لكرة القدم، لمجلس التعاون): the complement
    of a role or an institution, not a name."""
    folded = fold(words[index])
    return (
        folded.startswith("ل")
        and not folded.startswith("لل")
        and index + 1 < len(words)
        and fold(words[index + 1]).startswith("ال")
        and folded[1:] not in _given_names_after_lam()
    )


@lru_cache(maxsize=1)
def _given_names_after_lam() -> frozenset[str]:
    """Given names that open with ل (لطفي، لؤي، ليلى) minus that letter, so that a name such as
    «لطفي العبيدي» after a role is not taken for a complement (لكرة القدم)."""
    return frozenset(fold(w)[1:] for w in ("لطفي", "لؤي", "ليلى", "لبنى", "لينا", "لمياء", "لقمان"))


def _first_name_run(words: list[str], titles: frozenset[str]) -> list[str]:
    """The first run of name words right after a title word, stopped by a title or function word."""
    for index, word in enumerate(words):
        if fold(word) not in _role_words():
            continue  # a run follows a title or role, not a nationality (تقرير صحفي نشر)
        run: list[str] = []
        for follower in _after_complements(words[index + 1 :]):
            folded = fold(follower)
            if folded in titles or folded in STOPWORDS:
                break
            run.append(follower)
        # four name words, a compound (عبد العزيز) counting as one
        cut = _joined_prefix(run, 4)
        if _looks_like_name(run[:cut]):
            return run[:cut]
    return []


def _joined_prefix(words: list[str], limit: int) -> int:
    """How many of ``words`` make ``limit`` name words once compounds are joined."""
    index = count = 0
    while index < len(words) and count < limit:
        index += 2 if fold(words[index]) in _COMPOUND_HEADS and index + 1 < len(words) else 1
        count += 1
    return index


def _is_definite(word: str) -> bool:
    """A word with the article (الخارجية, للأمم) as written: a hamza on the alef (أليكسيس,
    ألكسندر, إلهام) makes it a name's own letters, which folding would hide."""
    return strip_article_clitics(word).startswith("ال") and word[:2] not in ("أل", "إل")


def _looks_like_name(words: list[str]) -> bool:
    """1-5 words, no function word, not opening with the article, with or without a
    preposition before it (not الخارجية الروسية, not للأمم المتحدة after الأمين العام)."""
    return (
        0 < len(join_name_compounds(words)) <= 5  # عبد العزيز is one name word
        and not _is_definite(words[0])
        and not _is_lam_complement(words, 0)
        and not any(
            fold(w) in STOPWORDS and not (i == 0 and _is_given_ali(w)) for i, w in enumerate(words)
        )
    )


def _strip_titles(name: str) -> str:
    """Removes titles and roles, keeping the personal name (see :func:`canonical_name`)."""
    titles = _title_words()
    segments = [_words(part) for part in re.split(r"[,،]", name)]
    segments = [s for s in segments if s]
    if not segments:
        return ""
    has_title = [any(fold(w) in titles for w in s) for s in segments]
    # An organisation's own name (الاتحاد الدولي لكرة القدم, الحرس الثوري الإيراني): a
    # definite noun that is no title, and no role word anywhere, keeps its adjectives.
    first = fold(segments[0][0])
    roles = _role_words()
    if (
        len(segments) == 1
        and first.startswith("ال")
        and first not in titles
        and not any(fold(w) in roles for w in segments[0])
    ):
        return " ".join(segments[0])
    # An institution's name (مجلس التعاون لدول الخليج العربية, هيئة الأمر بالمعروف): an
    # institution noun, then a definite word; its head may also be part of a role (رئيس مجلس
    # الوزراء), which alone makes it no title.
    heads = _institution_heads()
    if (
        len(segments) == 1
        and len(segments[0]) >= 3
        and first in heads
        and fold(segments[0][1]) in _region_words()
        and not any(fold(w) in roles for w in segments[0][2:])
    ):
        return " ".join(segments[0])  # مجلس محافظة الأنبار: the council of a region, no role
    if (
        len(segments) == 1
        and len(segments[0]) >= 2
        and first in heads
        and (
            strip_article_clitics(segments[0][1]).startswith("ال")
            # a construct chain: هيئة مكافحة الفساد, وكالة أنباء الإمارات
            or (
                len(segments[0]) >= 3
                and fold(segments[0][1]) not in titles
                and fold(segments[0][2]).startswith("ال")
            )
        )
        and not any(fold(w) in roles and fold(w) not in heads for w in segments[0][1:])
    ):
        return " ".join(segments[0])
    # A place or institution named after a person (جامعة الملك سعود، مطار الملك عبدالعزيز):
    # the honorific belongs to the name of the place, which is not the person's.
    if (
        len(segments) == 1
        and len(segments[0]) >= 3
        and first in _named_after_heads()
        and fold(segments[0][1]) in _HONORIFICS
    ):
        return " ".join(segments[0])
    # A name before its role (محمد العقيل مدير عام الجمرك): the leading name words.
    lead = _leading_name(segments[0])
    if lead:
        return " ".join(lead)
    # A role followed by a name (الرئيس الروسي فلاديمير بوتين): the words after the role.
    for segment, titled in zip(segments, has_title, strict=True):
        suffix = _after_complements(_name_suffix(segment, titles)) if titled else []
        if _looks_like_name(suffix):
            return " ".join(suffix)
    # A name apposed to a role (ألكسندر لافرنتيف، المبعوث الخاص): the untitled segment.
    for segment, titled in zip(segments, has_title, strict=True):
        if not titled and any(has_title):
            return " ".join(segment)
    # A name between roles (د. سامي الصالح سفير ... لدى الأردن): the first run after a title.
    for segment, titled in zip(segments, has_title, strict=True):
        run = _first_name_run(segment, titles) if titled else []
        if run:
            return " ".join(run)
    return " ".join(w for s in segments for w in s)


@lru_cache(maxsize=1)
def _spelling_groups() -> dict[str, str]:
    """Folded spelling of a foreign word -> the first spelling of its group, with and without
    the article (الأميركية -> الامريكيه), from ``data/transliterations_ar.txt``."""
    groups: dict[str, str] = {}
    for line in word_sections("transliterations_ar.txt").get("", []):
        forms = [fold(f.strip()) for f in line.split("|") if f.strip()]
        for form in forms[1:]:
            groups.setdefault(form, forms[0])
            if not form.startswith("ال"):
                groups.setdefault("ال" + form, "ال" + forms[0])
    return groups


def _word_key(word: str, tables: _Tables) -> str:
    folded = fold(word)
    if word[:2] in ("أل", "إل") and len(folded) > _MIN_TEH_TO_ALEF:
        # a hamza on the alef makes ال a foreign name's own letters (أليكسيس / ألكسيس), not
        # the article, whose words keep their vowels
        return "ا" + _word_key(word[1:], tables)
    folded = _spelling_groups().get(folded, folded)
    if folded in tables.native:
        return folded.translate(tables.letter_map)
    if len(folded) > _MIN_TEH_TO_ALEF and folded[-1] == "ه":
        folded = folded[:-1] + "ا"  # أستانة / أستانا, سورية / سوريا; not سارة / سارا
    mapped = folded.translate(tables.letter_map)
    # A broken plural in -aya (سرايا، ضحايا، قضايا) is an Arabic word: its vowels stay, so it
    # never meets a transliterated name (سرايا / سوريا); so is a four-letter word on the
    # pattern فعال (قطار، سلام، نظام), which would otherwise meet its root (قطر، سلم).
    if (
        len(mapped) <= 2
        or mapped.startswith("ال")
        or (len(folded) >= 5 and folded.endswith("ايا"))
        or (len(folded) == _FIAAL_LETTERS and folded[2] == "ا")
    ):
        return mapped  # a definite Arabic word keeps its long vowels (العبادي / العبيدي)
    inner = "".join(ch for ch in mapped[1:-1] if ch not in tables.vowels)
    return mapped[0] + inner + mapped[-1]


def _key(name: str, tables: _Tables) -> str:
    return "".join(_word_key(w, tables) for w in join_name_compounds(_words(name)))


@lru_cache(maxsize=1)
def _evaluative_words() -> frozenset[str]:
    return frozenset(fold(w) for w in word_sections("titles_ar.txt").get("evaluative", []))


def _without_evaluation(name: str) -> str:
    """The name without evaluative adjectives after it (تنظيم داعش الإرهابي -> تنظيم داعش)."""
    words = name.split()
    while len(words) > 1 and fold(words[-1]) in _evaluative_words():
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1)
def _document_nouns() -> frozenset[str]:
    return frozenset(fold(w) for w in word_sections("speaker_refs_ar.txt").get("documents", []))


def _issuer_of_document(name: str) -> str:
    """``تقرير للهيئة الوطنية ...`` -> ``الهيئة الوطنية ...``: a document with ل names its
    issuer, the entity it speaks for; other names are returned unchanged."""
    words = name.split()
    if len(words) < 2 or fold(words[0].strip(_PUNCT)) not in _document_nouns():
        return name
    issuer = words[1]
    if fold(issuer).startswith("لل"):
        issuer = "ال" + issuer[2:]
    elif fold(issuer).startswith("ل") and fold(issuer[1:]) in _institution_heads():
        issuer = issuer[1:]  # بيان لوزارة الخارجية
    else:
        return name
    return " ".join([issuer, *words[2:]])


def canonical_name(name: str) -> str:
    """The name without titles, roles and nationality adjectives, or its alias-file canonical.

    ``الرئيس الروسي فلاديمير بوتين`` -> ``فلاديمير بوتين``; ``المتحدثة باسم الخارجية الروسية،
    ماريا زاخاروفا`` -> ``ماريا زاخاروفا``; a role without a name (``المتحدث باسم الوزارة``)
    and organisations (``وزارة الدفاع الروسية``) are returned whole, without punctuation.

    Args:
        name: a mention as written.

    Returns:
        The canonical written form (original spelling of the kept words).
    """
    tables = _tables()
    name = _issuer_of_document(name)
    stripped = _without_evaluation(_strip_titles(name))
    alias = (
        tables.title_phrases.get(_key(name, tables))
        if tables.title_phrases and _opens_with_office(name)
        else None
    )
    if alias is None:
        alias = tables.aliases.get(_key(stripped, tables))
    if alias is None and tables.title_remainders and _opens_with_office(name):
        alias = tables.title_remainders.get(_key(stripped, tables))
    words = [fold(w) for w in _words(name)]
    if alias is None and len(words) >= 2 and words[-1] == fold(stripped):
        # A given name right after its honorific (خادم الحرمين الشريفين الملك سلمان).
        alias = tables.honorific_aliases.get(" ".join(words[-2:]))
    folded = fold(stripped)
    if alias is None and " " not in folded and folded.startswith("ال") and len(folded) > 4:
        # A foreign acronym written with the article: الفيفا = فيفا, اليونيسيف = يونيسيف.
        alias = tables.aliases.get(_key(stripped[2:], tables))
    if alias is None and tables.title_holders and _opens_with_office(name):
        # رئيس الجمهورية الفرنسية = الرئيس الفرنسي; ملك الأردن, whose country is no name
        office = title_key(stripped if " " in folded else name)
        if office is not None:
            alias = tables.title_holders.get(office)
    if alias is None:
        # A name with its acronym in quotes (هيئة الإذاعة البريطانية «بي بي سي»): either part.
        quoted = _QUOTED_RE.search(name.rstrip())
        if quoted is not None and quoted.end() == len(name.rstrip()):
            alias = tables.aliases.get(_key(quoted.group(1), tables))
    parts = _bracketed_parts(name)
    if alias is None and parts is not None and len(_words(parts[0])) >= 2:
        # الاتحاد الدولي لكرة القدم (فيفا): a listed part names the body, else the outer name.
        resolved = [canonical_name(part) for part in parts]
        return next((r for r in resolved if r in _alias_targets()), resolved[0])
    return alias or stripped


def _bracketed_parts(name: str) -> tuple[str, str] | None:
    """The name before a closing bracketed name and the bracketed name, or None (حركة
    «حماس» gives حركة and حماس; :func:`canonical_name` keeps such a one-word head whole)."""
    match = _BRACKETED_RE.match(name.strip())
    if match is None:
        return None
    return match.group(1).strip(_PUNCT), match.group(2).strip(_PUNCT)


def name_key(name: str) -> str:
    """A key equal for spelling and transliteration variants of one name.

    Titles are stripped first, so ``الرئيس بوتين`` and ``بوتين`` share a key; compound names
    are joined (``عبد الله`` / ``عبدالله``), a clitic before the article is dropped
    (``للحوثيين`` / ``الحوثيين``).
    """
    return "".join(_word_keys(name))


@lru_cache(maxsize=1)
def _alias_targets() -> frozenset[str]:
    """Canonical names of the alias file (the right-hand column)."""
    return frozenset(_tables().aliases.values()) | frozenset(_tables().honorific_aliases.values())


@lru_cache(maxsize=1)
def _descriptor_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Folded collective, organisation-descriptor and official-adjective words."""
    sections = word_sections("titles_ar.txt")
    return (
        frozenset(fold(w) for w in sections.get("collective", [])),
        frozenset(fold(w) for w in sections.get("organisation", [])),
        frozenset(fold(w) for w in sections.get("official_adjectives", [])),
    )


def _is_nisba(folded: str) -> bool:
    """A definite nisba adjective or surname (الحوثي, الحوثية, الخليجي), folded."""
    return folded.startswith("ال") and len(folded) > 4 and folded.endswith(("ي", "يه"))


@lru_cache(maxsize=1 << 14)
def _name_words(name: str) -> tuple[str, ...]:
    """The words of a canonical name, normalised for comparison.

    Compound names are joined (عبد الملك -> عبدالملك); a clitic before the article of the
    first word is dropped (للحوثيين); a descriptor before an organisation's own name is
    dropped (حركة طالبان -> طالبان), and a collective before a nisba names the group in the
    plural (جماعة الحوثي, الميليشيات الحوثية -> الحوثيين); definite plurals take the
    oblique case (الحوثيون -> الحوثيين). Names resolved by the alias file are kept whole.
    """
    canonical = canonical_name(without_name_proclitic(name))
    words = join_name_compounds(_words(canonical))
    if not words:
        return ()
    if len(words) == 1 or fold(words[1]).startswith("ال"):
        words[0] = strip_article_clitics(words[0])
    # An alias-file name is kept whole whether reached through a variant (داعش) or written
    # out (تنظيم الدولة الإسلامية), so a name and its canonical share one key.
    if len(words) >= 2 and canonical not in _alias_targets():
        collective, organisation, _ = _descriptor_words()
        head = strip_article_clitics(words[0])
        following = fold(words[1])
        if head in collective and len(words) == 2 and _is_nisba(following):
            base = following[:-2] if following.endswith("يه") else following[:-1]
            words = [base + "يين"]
        elif head in organisation:
            words = words[1:]
            # The name after its descriptor may be a listed alias (حركة حماس -> حماس ->
            # حركة المقاومة الإسلامية; حلف الناتو -> الناتو): compare it as that entity.
            rest = " ".join(words)
            resolved = canonical_name(rest)
            if resolved not in (rest, canonical):
                return _name_words(resolved)
        elif len(words) == 2 and head in _institution_heads() and not following.startswith("ال"):
            # وكالة كونا: an institution noun before a listed acronym names that body.
            resolved = canonical_name(words[1])
            if resolved in _alias_targets() and resolved != canonical:
                return _name_words(resolved)
    return tuple(oblique_plural(w) if _is_definite(w) else w for w in words)


def _word_keys(name: str) -> list[str]:
    """Per-word keys of a canonical name, patronymic links (بن أحمد) inside it dropped."""
    tables = _tables()
    words = _name_words(name)
    kept: list[str] = []
    index = 0
    while index < len(words):
        folded = fold(words[index])
        # عادل بن أحمد الجبير = عادل الجبير; a final بن X (محمد بن سلمان) is the name itself,
        # and so is the first link of a chain: محمد بن نايف بن عبدالعزيز = محمد بن نايف (the
        # grandfather's name is shared by brothers and cousins, the father's tells them apart).
        if folded in _PATRONYMIC and index > 0:
            skip = 3 if index + 1 < len(words) and fold(words[index + 1]) in _COMPOUND_HEADS else 2
            if (
                index == 1
                and index + skip < len(words)
                and fold(words[index + skip]) in _PATRONYMIC
                and _ends_with_family_name(words)
            ):
                # سعود بن قابل بن بريك الزايدي = سعود الزايدي: a chain of fathers before a
                # family name is dropped as one link is
                kept.append(_word_key(words[-1], tables))
                break
            if index + skip < len(words) and fold(words[index + skip]) in _PATRONYMIC | {"ال"}:
                # a family name with آل after the father's (سلمان بن عبدالعزيز آل سعود) is
                # shared by brothers and cousins too: the name is سلمان بن عبدالعزيز
                kept += [_word_key(w, tables) for w in words[index : index + skip]]
                break
            if index + skip < len(words):
                index += skip
                continue
        kept.append(_word_key(words[index], tables))
        index += 1
    return kept


def _ends_with_family_name(words: tuple[str, ...]) -> bool:
    """A name closed by a definite family name after a given name, not by a father's or a
    clan's link (محمد بن سليمان بن محمد المسهر; not محمد بن نايف بن عبدالعزيز)."""
    return (
        len(words) >= 3 and _is_definite(words[-1]) and fold(words[-2]) not in _NAME_LINKS | {"ال"}
    )


def _fathers(name: str) -> tuple[str, ...]:
    """Keys of the names after the patronymic links of a canonical person's name."""
    words = _name_words(name)
    tables = _tables()
    return tuple(
        _word_key(words[i + 1], tables)
        for i in range(1, len(words) - 1)
        if fold(words[i]) in _PATRONYMIC
    )


def _without_links(name: str) -> list[str]:
    """Keys of a name's words without its patronymic links (أحمد بن عيد الحربي -> أحمد عيد
    الحربي)."""
    tables = _tables()
    return [_word_key(w, tables) for w in _name_words(name) if fold(w) not in _PATRONYMIC]


def _surname_key(name: str) -> str | None:
    """Key of the last word of a multi-word canonical name, unless it is a father's name."""
    words = _name_words(name)
    if len(words) < 2 or fold(words[-2]) in _PATRONYMIC:
        return None
    return _word_key(words[-1], _tables())


def _is_short(name: str) -> bool:
    return len(_name_words(name)) == 1


# Words that are never a family name on their own (حزب الله is not «الله»).
_NOT_SURNAMES = frozenset({"الله"})


def _is_official_extension(words: tuple[str, ...]) -> bool:
    """Words that turn a short name into its official form: nisba or nationality adjectives
    and «المتحدة» (الإمارات العربية المتحدة, الحرس الثوري الإيراني)."""
    official = _descriptor_words()[2]
    titles = _tables().titles
    return bool(words) and all(
        _is_nisba(fold(w)) or fold(w) in official or fold(w) in titles for w in words
    )


def _names_institution(words: tuple[str, ...]) -> bool:
    """A definite name (الإمارات, الحرس الثوري) or one opening with an institution noun
    (مجلس التعاون), not a personal name (محمد الحربي)."""
    first = strip_article_clitics(words[0])
    return first.startswith("ال") or first in _institution_heads()


# Heads of movements and parties, whose name word is a proper name even with the article
# (جماعة الإخوان = الإخوان، حركة طالبان = طالبان); other institution heads need an
# indefinite name (وكالة ناسا = ناسا) since وكالة الأنباء is no «الأنباء».
_MOVEMENT_HEADS = frozenset(fold(w) for w in ("جماعة", "حركة", "تنظيم", "جبهة", "حزب"))


def _named_with_its_kind(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """An organisation named with and without the noun of its kind: ``وكالة ناسا`` / ``ناسا``,
    ``منظمة أوبك`` / ``أوبك``, ``جماعة الإخوان`` / ``الإخوان`` (one name word after the head)."""
    if len(short) != 1 or len(full) != 2:
        return False
    head, name = fold(full[0]), fold(short[0])
    if head.startswith("ال") or name in _NOT_SURNAMES or fold(full[1]) in _NOT_SURNAMES:
        return False
    tables = _tables()
    if _word_key(full[1], tables) != _word_key(short[0], tables):
        return False
    if head in _MOVEMENT_HEADS:
        return True
    return head in _institution_heads() and not name.startswith("ال")


def _is_indefinite_adjective(folded: str) -> bool:
    """An indefinite nisba adjective, feminine or plural, perhaps after و (طبية، وعسكرية)."""
    bare = folded[1:] if folded.startswith("و") and len(folded) > 4 else folded
    return len(bare) > 3 and not bare.startswith("ال") and bare.endswith(("يه", "يون", "يين"))


def _adds_adjectives(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """An unnamed source and the same described with more adjectives (``مصادر طبية وأمنية`` /
    ``مصادر طبية وأمنية وعسكرية عراقية``): an indefinite noun, then only indefinite nisba
    adjectives, the shorter form a prefix of the longer one."""
    if len(short) < 2 or len(full) <= len(short):
        return False
    tables = _tables()
    if [_word_key(w, tables) for w in full[: len(short)]] != [_word_key(w, tables) for w in short]:
        return False
    head = fold(short[0])
    return not head.startswith(("ال", "و")) and all(
        _is_indefinite_adjective(fold(w)) for w in full[1:]
    )


def _described_name(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A body's own name and a description holding it: an institution noun before it and
    definite adjectives or a ل complement after it (``مجموعة أيرباص جروب الأوروبية لصناعة
    الطائرات`` / ``أيرباص جروب``). The name is indefinite and no institution noun itself
    (``الاتحاد الأوروبي لكرة القدم`` is another body than ``الاتحاد الأوروبي``)."""
    if not short or len(full) <= len(short):
        return False
    first = strip_article_clitics(short[0])
    if fold(first).startswith("ال") or first in _institution_heads():
        return False
    head = strip_article_clitics(full[0])
    if head not in _institution_heads() or head in _MOVEMENT_HEADS:
        # محمد / محمد المصري: without the noun of a body, a nisba is a surname; حزب كارلوس
        # مندوزا: a movement named after a leader is not the leader
        return False
    if any(fold(w) in _PATRONYMIC for w in short):
        return False  # مؤسسة محمد بن راشد للمعرفة: a body named after a person
    tables = _tables()
    named = full[1 : 1 + len(short)]
    if [_word_key(w, tables) for w in named] != [_word_key(w, tables) for w in short]:
        return False
    rest = [fold(w) for w in full[1 + len(short) :]]
    adjectives = 0
    while adjectives < len(rest) and _is_nisba(rest[adjectives]):
        adjectives += 1
    tail = rest[adjectives:]
    complement = (
        len(tail) == 2
        and tail[0].startswith("ل")
        and not tail[0].startswith("لل")
        and tail[1].startswith("ال")
    )
    if tail and not complement:
        return False
    # the head and the name alone may be a body named after a person (شركة كارلوس مندوزا)
    return bool(adjectives or tail)


def _is_agreeing_extension(short: tuple[str, ...], extension: tuple[str, ...]) -> bool:
    """Words that complete a short institution name without making another body: a plural
    adjective agreeing with a plural name (الإخوان / الإخوان المسلمين) or a complement with
    ل after a name of two words or more (مجلس التعاون / مجلس التعاون لدول الخليج العربية)."""
    if not extension or not short:
        return False
    first = fold(extension[0])
    last_short = fold(short[-1])
    if (
        len(short) == 1
        and len(extension) == 1
        and last_short.startswith("ال")
        and first.startswith("ال")
        and first.endswith(("ون", "ين"))
        and not _is_nisba(first)
    ):
        return True
    # A short name closed by a nisba is a body's full name already: a complement makes another
    # (الاتحاد الأوروبي / الاتحاد الأوروبي لكرة القدم).
    return (
        len(short) >= 2
        and _names_institution(short)
        and not _is_nisba(last_short)
        and len(extension) >= 2
        and first.startswith("ل")
        and not first.startswith("لل")
        and fold(extension[1]).startswith("ال")
    )


def _is_three_part_name(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A first and family name and the same with the father's name between them (سامح شكري /
    سامح حسن شكري, الملا عمر / الملا محمد عمر), never across a «بن» link or a definite first
    word (an organisation)."""
    if len(short) != 2 or len(full) != 3:
        return False
    if any(fold(w) in _PATRONYMIC or fold(w) in _tables().titles for w in full):
        return False
    if fold(short[0]).startswith("ال") or fold(full[1]).startswith("ال"):
        return False
    tables = _tables()
    return _word_key(short[0], tables) == _word_key(full[0], tables) and _word_key(
        short[1], tables
    ) == _word_key(full[2], tables)


def _drops_an_adjective(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """An institution's short name without an adjective of its official one (هيئة مكافحة
    الفساد / الهيئة الوطنية لمكافحة الفساد): one head noun with or without the article, the
    full name's other words the short one's (a ل on a complement aside) plus nisba adjectives
    that name no country (الوطنية, not الأمريكية: another country's body)."""
    if len(short) < 2 or len(full) <= len(short):
        return False
    head = strip_article_clitics(short[0]).removeprefix("ال")
    if (
        head not in _institution_heads()
        or strip_article_clitics(full[0]).removeprefix("ال") != head
    ):
        return False
    # Walk the full name: each word is the short name's next word (a ل on a complement aside)
    # or a dropped nisba (الدولية, not الذرية where the short name has it too).
    wanted = [fold(w) for w in short[1:]]
    dropped = 0
    for long_word in (fold(w) for w in full[1:]):
        if wanted and (
            long_word in (wanted[0], "ل" + wanted[0])
            or strip_article_clitics(long_word) == wanted[0]
        ):
            wanted.pop(0)
        elif _is_nisba(long_word) and long_word not in _country_adjectives():
            dropped += 1
        else:
            return False
    return not wanted and dropped > 0


@lru_cache(maxsize=1)
def _state_nouns() -> frozenset[str]:
    return frozenset(fold(w) for w in word_sections("titles_ar.txt").get("state", []))


@lru_cache(maxsize=1 << 12)
def _state_country_keys(name: str) -> frozenset[str]:
    """Keys of the country a state's official name stands for: a state noun and the country
    (جمهورية مصر العربية -> مصر) or its nisba (الجمهورية اليمنية -> اليمن, المملكة الأردنية
    الهاشمية -> الأردن, الجمهورية الإسلامية الإيرانية -> إيران)."""
    words = [fold(w) for w in _words(canonical_name(name))]
    head = strip_article_clitics(words[0]) if words else ""
    if len(words) < 2 or head.removeprefix("ال") not in _state_nouns():
        return frozenset()
    tables = _tables()
    if not words[1].startswith("ال"):
        return frozenset({_word_key(words[1], tables)})
    keys = set()
    for word in words[1:]:
        if _is_nisba(word):
            base = word[2:-2] if word.endswith("يه") else word[2:-1]
            keys |= {_word_key("ال" + base, tables), _word_key(base, tables)}
            # السورية -> سوريا / سورية, الليبية -> ليبيا: countries ending in -ia lose it
            keys |= {_word_key(base + "يا", tables), _word_key(base + "يه", tables)}
    return frozenset(keys)


def _nisba_and_its_noun(words_a: tuple[str, ...], words_b: tuple[str, ...]) -> bool:
    """One institution named with a nisba or with the noun it derives from (مجلس التعاون
    الخليجي / مجلس التعاون لدول الخليج العربية): the same institution words first, then a
    single nisba on one side and its noun among the other side's words."""
    tables = _tables()
    shared = 0
    for word_a, word_b in zip(words_a, words_b, strict=False):
        if _word_key(word_a, tables) != _word_key(word_b, tables):
            break
        shared += 1
    if shared == 0 or not _names_institution(words_a[:shared]):
        return False
    for one, other in ((words_a[shared:], words_b[shared:]), (words_b[shared:], words_a[shared:])):
        if len(one) == 1 and len(other) >= 2 and _is_nisba(fold(one[0])):
            nisba = fold(one[0])
            noun = nisba[:-2] if nisba.endswith("يه") else nisba[:-1]
            if any(strip_article_clitics(w) == noun for w in other):
                return True
    return False


def _construct_and_adjective(words_a: tuple[str, ...], words_b: tuple[str, ...]) -> bool:
    """One institution named with a place in construct or with its nisba: ``وكالة أنباء
    الإمارات`` / ``وكالة الأنباء الإماراتية``: the same head, the same words between (with or
    without the article), then a place on one side and its nisba on the other."""
    if len(words_a) != len(words_b) or len(words_a) < 3 or not _names_institution(words_a[:1]):
        return False
    tables = _tables()
    if _word_key(words_a[0], tables) != _word_key(words_b[0], tables):
        return False
    for word_a, word_b in zip(words_a[1:-1], words_b[1:-1], strict=True):
        bare_a = strip_article_clitics(word_a).removeprefix("ال")
        if bare_a != strip_article_clitics(word_b).removeprefix("ال"):
            return False
    for place, nisba in ((words_a[-1], words_b[-1]), (words_b[-1], words_a[-1])):
        folded = fold(nisba)
        if _is_nisba(folded) and fold(place).startswith("ال"):
            noun = folded[:-2] if folded.endswith("يه") else folded[:-1]
            if noun == strip_article_clitics(place) and noun != folded:
                return True
    return False


def _given_and_family_keys(name: str) -> list[str]:
    """Keys of ``X آل Z`` for a name ``X بن Y آل Z`` (عبدالعزيز بن عبدالله آل الشيخ ->
    عبدالعزيز آل الشيخ), else []: the press writes a person both ways."""
    words = _name_words(name)
    for index in range(2, len(words)):
        if fold(words[index]) == "ال" and fold(words[1]) in _PATRONYMIC:
            tables = _tables()
            return [_word_key(w, tables) for w in (words[0], *words[index:])]
    return []


# A club is named by its word alone; the same word with a nisba is another body (نادي الاتحاد /
# الاتحاد الأوروبي, نادي الوحدة / الوحدة الوطنية), never the club's official form.
_CLUB_WORDS = frozenset({"نادي", "النادي"})


def _names_club(name: str) -> bool:
    words = _words(name)
    return bool(words) and strip_article_clitics(words[0]) in _CLUB_WORDS


def same_entity(a: str, b: str) -> bool:
    """Pairwise decision: do two mentions name the same entity, with no other context?

    True when their keys are equal, or one is the other's family name (بوتين / فلاديمير
    بوتين; دي ميستورا / ستيفان دي ميستورا), or a definite short name is the head of its
    official form (الإمارات / الإمارات العربية المتحدة). A father's name (سلمان in محمد بن
    سلمان) is not a family name, and a patronymic inside a name is ignored (عادل بن أحمد
    الجبير).
    """
    for bracketed, plain in ((a, b), (b, a)):
        parts = _bracketed_parts(bracketed)
        if parts is not None and any(same_entity(part, plain) for part in parts if part):
            return True  # الاتحاد الدولي لكرة القدم (فيفا) is its name and its acronym at once
    keys_a, keys_b = _word_keys(a), _word_keys(b)
    if not keys_a or not keys_b:
        return False
    fathers_a, fathers_b = _fathers(a), _fathers(b)
    if fathers_a and fathers_b and fathers_a[0] != fathers_b[0]:
        return False  # راشد بن عبدالمنعم الراشد is not راشد بن فهد الراشد
    if "".join(keys_a) == "".join(keys_b):
        return True
    if (fathers_a or fathers_b) and len(keys_a) >= 2 and len(keys_b) >= 2:
        bare_a, bare_b = _without_links(a), _without_links(b)
        if len(bare_a) >= 3 and bare_a == bare_b:
            return True  # أحمد عيد الحربي = أحمد بن عيد الحربي
    if _opens_with_office(a) and _opens_with_office(b):
        office = title_key(a)
        if office is not None and office == title_key(b):
            return True  # one office of one country: الأمين العام لأوبك / لمنظمة أوبك
    for one, other in ((a, keys_b), (b, keys_a)):
        if len(other) == 1 and other[0] in _state_country_keys(one):
            return True
    if _nisba_and_its_noun(_name_words(a), _name_words(b)):
        return True
    if _construct_and_adjective(_name_words(a), _name_words(b)):
        return True
    if keys_b == _given_and_family_keys(a) or keys_a == _given_and_family_keys(b):
        return True
    short, full = (keys_a, b) if len(keys_a) < len(keys_b) else (keys_b, a)
    long_keys = keys_b if short is keys_a else keys_a
    if len(short) == len(long_keys):
        return False
    full_words = _name_words(full)
    short_words = _name_words(a if full is b else b)
    extension = full_words[len(short_words) :]
    short_name = a if full is b else b
    if (
        long_keys[: len(short)] == short
        and _names_institution(short_words)
        and _is_official_extension(extension)
        and not _names_club(short_name)
    ):
        return True
    if (
        long_keys[: len(short)] == short
        and len(short_words) == 1
        and not fold(short_words[0]).startswith("ال")
        and len(extension) == 1
        and _is_nisba(fold(extension[0]))
        and fold(extension[0]).endswith("يه")
    ):
        # A one-word name and a feminine nisba: a company or state named with its country or
        # form (أرامكو السعودية, روسيا الاتحادية); a person's surname nisba is masculine.
        return True
    if (
        len(short) >= 2
        and long_keys[: len(short)] == short
        and _names_institution(short_words)
        and fold(full_words[len(short_words)]).startswith("و")
        and len(fold(full_words[len(short_words)])) > 3
    ):
        return True  # a name cut before its coordinated part (هيئة الأمر بالمعروف والنهي ...)
    if _is_three_part_name(short_words, full_words):
        return True
    if _drops_an_adjective(short_words, full_words):
        return True
    if _named_with_its_kind(short_words, full_words):
        return True
    if _adds_adjectives(short_words, full_words) or _described_name(short_words, full_words):
        return True
    if long_keys[: len(short)] == short and _is_agreeing_extension(short_words, extension):
        return True
    if long_keys[-len(short) :] != short:
        return False
    if len(short_words) == 1 and fold(short_words[0]) in _NOT_SURNAMES:
        return False
    if strip_article_clitics(full_words[0]) in _institution_heads() and (
        len(short_words) == 1 or not strip_article_clitics(short_words[0]).startswith("ال")
    ):
        # An institution's last word is no surname (وكالة الأنباء السعودية), and a person's
        # party is not the person (حزب رجب طيب أردوغان); حزب العمال الكردستاني keeps its name.
        return False
    if is_role_word(short_words[0]) and (
        len(short_words) > 1 or is_role_word(full_words[-len(short_words) - 1])
    ):
        # A title is no surname: مساعد وزير الدفاع is not وزير الدفاع, nor نائب الرئيس the
        # president; a one-word surname that is also a title after a given name (محمد السيد)
        # still is one.
        return False
    if _names_institution(short_words) and is_role_word(full_words[0]):
        return False  # رئيس الاتحاد الدولي لكرة القدم is a person, not the federation
    before = full_words[-len(short) - 1] if len(full_words) > len(short) else ""
    if fold(before) in _HONORIFICS or fold(short_words[0]) in _HONORIFICS:
        # An honorific kept inside a name is a place or prize named after a person (مدينة
        # الأمير سلطان, not الأمير سلطان); an honorific alone is no family name (كأس الملك).
        return False
    return fold(before) not in _PATRONYMIC


# --------------------------------------------------------------------------------------------
# Aliases from evidence in a corpus
# --------------------------------------------------------------------------------------------

# Letters, digits, Arabic marks and tatweel make words; Arabic punctuation (، ؛ ؟) does not, so
# «خوان بيريز، اليوم» ends the name at the comma.
_TOKEN_RE = re.compile(r"[\w\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]+|[^\w\s]")
# Folded, as every word compared with them is (الرئيس folds to الرءيس).
_HONORIFICS = frozenset(fold(w) for w in ("الملك", "الأمير", "الشيخ", "السلطان", "الرئيس"))
_PRESIDENT = fold("الرئيس")
_MIN_EVIDENCE = 3  # occurrences of a pattern before it counts as evidence
_MIN_SHARE = 0.8  # share of those occurrences that must agree on one name
_MIN_LISTED_SHARE = 0.6  # the same for a title listed as naming one office-holder
_MIN_TITLE_EVIDENCE = 3  # a title phrase must name the same person this often
_MIN_TITLE_SEEN = 5  # and occur at least this often in the corpus
# An office of one country or region (العاهل الأردني, الرئيس الجزائري) has one holder at a
# time, so fewer occurrences are enough when every one names the same person.
_MIN_UNANIMOUS_EVIDENCE = 2
_MAX_PLAIN_PER_BRACKETED = 5  # uses of an acronym per bracketed use, at most
_MIN_ANCHORED_WORDS = 3  # words of an expansion read from one use
_MAX_LETTER_NAME = 3  # letters of a spelled letter name (سي، آي، إيه)
_MAX_EXPANSION_WORDS = 6  # words of an acronym's expansion (منظمة الدول المصدرة للنفط: four)
_GIVEN_NAME_RATIO = 3  # a given name is followed by its family name in a third of its uses
_CLERICAL_TITLE = tuple(fold("آية الله").split())
_CLITIC_NOUN_RATIO = 5  # a word with ل/ب whose definite form is this common is a noun
_MAX_NAME_WORDS = 6  # فيصل بن بندر بن عبدالعزيز آل سعود at most
# A rank (المركز الثاني) is no institution's name, whatever name follows it in brackets.
_ORDINALS = frozenset(
    fold(w)
    for w in [
        "الأول",
        "الأولى",
        "الثاني",
        "الثانية",
        "الثالث",
        "الثالثة",
        "الرابع",
        "الرابعة",
        "الخامس",
        "الخامسة",
        "الأخير",
    ]
)
# Shares of an acronym's bracketed uses that must agree on its expansion, tried in turn.
_EXPANSION_SHARES = (0.5, 0.2)
_MIN_INTRODUCERS = 2  # different words seen right before a name that make it a person's
_MIN_GIVEN_USES = 5  # names opened by a word after a royal or religious honorific: a given name
# A former or late holder (الرئيس الأمريكي السابق) is no office's present holder.
_ROLE_AFTER = "+"  # introducer mark of a name followed by a role (see mine_aliases)
_FORMER_WORDS = frozenset(fold(w) for w in ("السابق", "السابقة", "الأسبق", "الراحل", "الراحلة"))


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _is_word(token: str) -> bool:
    return token[0].isalpha() and not token.isdigit()


def _name_after(tokens: list[str], start: int) -> list[str]:
    """The personal name run from ``start``: up to four name words (بن X counts), stopped by
    punctuation, a function word or a title; a name with a father's name ends after it."""
    run: list[str] = []
    index = start
    while index < len(tokens) and len(run) < 4:
        token = tokens[index]
        folded = fold(token)
        if not _is_word(token) or folded in _title_words():
            break
        if folded in STOPWORDS and not (index == start and _is_given_ali(token)):
            break
        run.append(token)
        index += 1
    run = join_name_compounds(run)
    if [fold(w) for w in run[:2]] == list(_CLERICAL_TITLE):
        run = run[2:]  # آية الله علي خامنئي: a cleric's title, not part of his name
    for position, word in enumerate(run):
        if fold(word) in _PATRONYMIC and position + 1 < len(run):
            return run[: position + 2]
    return run if _looks_like_name(run) else []


def _with_family_word(tokens: list[str], start: int, name: list[str]) -> list[str]:
    """A name ending on its father's (عادل بن زيد) with the definite word after it in the text
    (الطريفي), so that its uses meet those written without the father's name (عادل
    الطريفي); whether that word is a family name the holder's choice tells
    (:func:`_dominant_holder`, :func:`_with_family_name`)."""
    after = start
    for word in name:  # a joined compound (عبدالله) was two tokens (عبد الله)
        after += 1 if after < len(tokens) and tokens[after] == word else 2
    if (
        len(name) == 3
        and fold(name[1]) in _PATRONYMIC
        and after < len(tokens)
        and _is_definite(tokens[after])
        and fold(tokens[after]) not in STOPWORDS
        and fold(tokens[after]) not in _title_words()
    ):
        return [*name, tokens[after]]
    return name


def _left_words(tokens: list[str], end: int, limit: int) -> list[str]:
    """Up to ``limit`` words before ``end``, stopped by punctuation."""
    words: list[str] = []
    index = end - 1
    while index >= 0 and len(words) < limit and _is_word(tokens[index]):
        words.append(tokens[index])
        index -= 1
    return words[::-1]


def _pick_span(
    contexts: list[list[str]], min_len: int, max_len: int, min_share: float = 0.0
) -> tuple[str, list[int]] | None:
    """The longest phrase ending every context that most contexts share and whose left
    neighbour varies (the phrase boundary), with the indices of the contexts it ends. A
    preposition on a word's article does not tell phrases apart (رئيس الاتحاد الدولي / عضو
    للاتحاد الدولي); the phrase is returned without it. With ``min_share`` the phrase must
    agree with that share of the contexts, a context ending with its opening words (the
    name written shorter: الاتحاد الدولي) agreeing too; so a longer phrase ending only a few
    (اللجنة التنفيذية للاتحاد الدولي لكرة القدم) gives way to the one most share."""
    endings = [
        {
            tuple(strip_article_clitics(w) for w in words[-length:])
            for length in range(min_len, min(max_len, len(words)) + 1)
        }
        for words in contexts
    ]
    for length in range(max_len, min_len - 1, -1):
        spans: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, words in enumerate(contexts):
            if len(words) >= length:
                spans[tuple(strip_article_clitics(w) for w in words[-length:])].append(index)
        for span, members in sorted(spans.items(), key=lambda item: -len(item[1])):
            if len(members) < _MIN_EVIDENCE or span[0] in STOPWORDS:
                continue
            heads = {span[:cut] for cut in range(min_len, length + 1)}
            agreeing = sum(bool(heads & ends) for ends in endings)
            if agreeing < min_share * len(contexts):
                continue
            before = {
                fold(contexts[i][-length - 1]) if len(contexts[i]) > length else "" for i in members
            }
            if len(before) >= 2:
                first, *rest = contexts[members[0]][-length:]
                return " ".join([drop_article_proclitics(first), *rest]), members
    return None


def _pick_spans(
    contexts: list[list[str]], min_len: int, max_len: int, *, closed_ok: bool
) -> list[tuple[str, list[int]]]:
    """Every phrase :func:`_pick_span` would pick in turn, each context given to the longest
    phrase that ends it, in one pass per length (linear in the contexts). With ``closed_ok``
    punctuation closing every occurrence is a boundary too (a title after a name, then a
    comma); before a name it is not (a sentence opening «أوضح الناطق» is no title)."""
    picked: list[tuple[str, list[int]]] = []
    taken: set[int] = set()
    for length in range(max_len, min_len - 1, -1):
        spans: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, words in enumerate(contexts):
            if index not in taken and len(words) >= length:
                spans[tuple(fold(w) for w in words[-length:])].append(index)
        for span, members in sorted(spans.items(), key=lambda item: -len(item[1])):
            if len(members) < _MIN_EVIDENCE or span[0] in STOPWORDS:
                continue
            before = {
                fold(contexts[i][-length - 1]) if len(contexts[i]) > length else "" for i in members
            }
            if len(before) >= 2 or (closed_ok and before == {""}):
                picked.append((" ".join(contexts[members[0]][-length:]), members))
                taken.update(members)
    return picked


@lru_cache(maxsize=1)
def _honorific_words() -> frozenset[str]:
    """Folded words of the [titles] section (الملك، صاحب، السمو، الفريق)."""
    return frozenset(
        word
        for entry in word_sections("titles_ar.txt").get("titles", [])
        for word in fold(entry).split()
    )


def _is_personal_name(words: list[str]) -> bool:
    """Two to four words, none with a clitic before an article (للإغاثة) and none definite
    but the last or one before «بن» (سلمان بن عبدالعزيز, عبدالله الثاني بن الحسين; not فيصل
    بمكة المكرمة)."""
    if not 2 <= len(words) <= 4:
        return False
    for position, word in enumerate(words):
        folded = fold(word)
        if strip_article_clitics(word) != folded:
            return False
        if (
            _is_definite(word)
            and position < len(words) - 1
            and fold(words[position + 1]) not in _PATRONYMIC
        ):
            return False
    return True


@lru_cache(maxsize=1)
def _institution_heads() -> frozenset[str]:
    return frozenset(fold(w) for w in word_sections("titles_ar.txt").get("institution", []))


@lru_cache(maxsize=1)
def _named_after_heads() -> frozenset[str]:
    """Nouns of places and institutions that are named after people (مطار، جامعة، مستشفى)."""
    places = word_sections("speaker_words_ar.txt").get("places_named", [])
    return _institution_heads() | frozenset(fold(w) for w in places)


def _opens_name_phrase(words: list[str]) -> bool:
    """An institution's name opens with an institution noun (منظمة، الاتحاد، وكالة), with or
    without the article and a clitic; not with a verb or a common noun (قالت، أسعار)."""
    first = strip_article_clitics(words[0])
    return (first[2:] if first.startswith("ال") else first) in _institution_heads()


def _is_unique_title(words: list[str]) -> bool:
    """A folded phrase that names one office-holder at a time: a listed title (خادم الحرمين
    الشريفين, ولي العهد), one with no office in it (المرشد الأعلى), an office qualified by a
    nationality (العاهل الأردني, رئيس الوزراء التركي, وزير الخارجية الأمريكي) or by a region
    (أمير منطقة الرياض); not a bare office (وزير الدفاع, رئيس مجلس الوزراء), which has
    holders in every country."""
    if " ".join(words) in _listed_titles() or not any(w in _role_words() for w in words):
        return True
    if any(w in _nationality_forms() for w in words[1:]):
        return True
    return len(words) >= 3 and words[1] in _region_words()  # a region has one governor


@lru_cache(maxsize=1)
def _nationality_forms() -> frozenset[str]:
    """Folded nationality adjectives with and without ال, masculine and feminine."""
    entries = word_sections("titles_ar.txt").get("nationality", [])
    return frozenset(form for entry in entries for form in _adjective_forms(fold(entry)))


@lru_cache(maxsize=1)
def _listed_titles() -> frozenset[str]:
    return frozenset(fold(e) for e in word_sections("titles_ar.txt").get("unique_titles", []))


def _has_title_word(words: list[str]) -> bool:
    """A folded phrase holding a title, role or nationality word, or listed as a title of
    its own ([unique_titles]: خادم الحرمين الشريفين), not a common noun phrase (شارك مركز,
    إغلاق طريق) before a name."""
    return " ".join(words) in _listed_titles() or any(w in _tables().titles for w in words)


def _title_then_name(tokens: list[str], index: int) -> int | None:
    """Where a personal name starts after a title phrase that opens at ``index``: the title
    word is followed by definite complements, nationality words or «للأمم» (الأمين العام
    للأمم المتحدة بان كي مون), then the name; None when no name follows within five words."""
    if fold(tokens[index]) not in _tables().titles:
        return None
    after_institution = False
    for position in range(index + 1, min(index + _MAX_TITLE_SPAN, len(tokens))):
        token = tokens[position]
        if token in ("،", ",") and position > index + 1 and position + 1 < len(tokens):
            # «وزير الخارجية البريطانية، فيليب هاموند»: a comma before the name apposed
            return position + 1 if _is_word(tokens[position + 1]) else None
        if not _is_word(token):
            return None
        folded = fold(token)
        if folded in STOPWORDS:
            return position if _is_given_ali(token) else None
        if folded in _tables().titles or _is_definite(token):
            after_institution = False
            continue
        if _is_title_complement(folded, after_institution):
            # لأوبك, (رئيس) هيئة الأركان, (الأمين العام) لمنظمة أوبك: the body the office
            # belongs to, not the holder's name
            after_institution = _without_lam(folded) in _institution_heads()
            continue
        return position
    return None


_MAX_TITLE_SPAN = 9  # words from a title word to its holder's name: الرئيس العام لشؤون ...


def _is_given_ali(token: str) -> bool:
    """«علي» written with a dotted ya, the given name that folding makes the preposition على:
    after a title it opens the holder's name (المهندس علي النعيمي)."""
    return "".join(ch for ch in token if fold(ch)) == "علي"


def _without_lam(folded: str) -> str:
    return folded[1:] if folded.startswith("ل") and not folded.startswith("لل") else folded


def _is_title_complement(folded: str, after_institution: bool) -> bool:
    """A folded word after a role that names the body of the office rather than its holder:
    an institution noun with or without ل (هيئة, لمنظمة), a name right after one (منظمة
    أوبك), or a noun with a glued ل by the corpus counts (لأوبك, not ليلى)."""
    if after_institution or {folded, _without_lam(folded)} & _institution_heads():
        return True
    return (
        folded.startswith("ل")
        and folded[1:] not in _given_names_after_lam()
        and is_glued_proclitic(folded)
    )


def _closed_at_family_name(run: list[str]) -> list[str]:
    """A name run cut after its first definite word not followed by بن (عبدالله البدري أمس ->
    عبدالله البدري): a family name with the article closes a name. Only for a run whose first
    word is a given name by the corpus: a headline verb (يعايد المرابطين) is none."""
    for position in range(1, len(run) - 1):
        if (
            _is_definite(run[position])
            and fold(run[position]) != "ال"
            and fold(run[position + 1]) not in _PATRONYMIC
        ):
            return run[: position + 1]
    return run


def _before_honorifics(tokens: list[str], end: int, floor: int) -> int:
    """Where the words before ``end`` stop being honorifics and ranks (الدكتور, المهندس,
    الفريق أول ركن, صاحب السمو): a title phrase ends before them, never at ``floor`` or
    earlier (وزير الثقافة والإعلام الدكتور عادل الطريفي -> وزير الثقافة والإعلام)."""
    while end - 1 > floor and fold(tokens[end - 1]) in _honorific_words():
        end -= 1
    return end


def _name_end(tokens: list[str], start: int) -> int:
    """The index after the personal name at ``start`` and any further «بن X» links
    (فيصل بن بندر بن عبدالعزيز)."""
    end = start
    while end < len(tokens) and end - start < _MAX_NAME_WORDS:
        folded = fold(tokens[end])
        if not _is_word(tokens[end]) or folded in STOPWORDS or folded in _title_words():
            break
        end += 1
    while end + 1 < len(tokens) and fold(tokens[end]) in _PATRONYMIC and _is_word(tokens[end + 1]):
        end += 2
    return end


def _right_words(tokens: list[str], start: int, limit: int) -> list[str]:
    """Up to ``limit`` words from ``start``, stopped by punctuation."""
    words: list[str] = []
    index = start
    while index < len(tokens) and len(words) < limit and _is_word(tokens[index]):
        words.append(tokens[index])
        index += 1
    return words


def _is_clitic_noun(word: str, count: Callable[[str], int]) -> bool:
    """A folded word that is a preposition on a noun the corpus also writes definite, at
    least a fifth as often (لكره -> الكره, لرعايه -> الرعايه): no given name (لوران, ليلى)."""
    definite = count(" ال" + word[1:] + " ")
    return word[:1] in ("ل", "ب") and definite * _CLITIC_NOUN_RATIO >= max(1, count(f" {word} "))


def _head(name: str) -> str:
    """The first two words of a name, folded (باراك أوباما أمس -> باراك اوباما)."""
    return " ".join(fold(w) for w in name.split()[:2])


def _is_person_evidence(
    name: str,
    introduced: dict[str, set[str]],
    count: Callable[[str], int],
    given_names: frozenset[str] = frozenset(),
) -> bool:
    """A name run counts as a person's when it holds a patronymic (فهد بن عبدالعزيز), its
    head is introduced by at least two different words across the corpus (باراك أوباما after
    الأمريكي and الأميركي), or its first word opens names after a royal or religious
    honorific across the corpus (``given_names``: عبدالله in الأمير عبدالله, الشيخ عبدالله),
    and it does not open with a clitic noun (لكرة القدم)."""
    words = name.split()
    return (
        len(introduced[_head(name)]) >= _MIN_INTRODUCERS
        or any(fold(w) in _PATRONYMIC for w in words)
        or (len(words) >= 2 and fold(words[0]) in given_names)
    ) and not _is_clitic_noun(fold(words[0]), count)


def _opens_with_given_name(name: str, count: Callable[[str], int]) -> bool:
    """The first word of a name run is mostly followed by the second across the corpus, as a
    given name is by its family name (أنجيلا ميركل), not a verb or noun (تعد تدخلا)."""
    words = [fold(w) for w in name.split()]
    if len(words) < 2:
        return False
    first, second = words[:2]
    return count(f" {first} {second} ") * _GIVEN_NAME_RATIO >= count(f" {first} ") > 0


def _opens_longer_title(folded: str) -> bool:
    """A folded word before a title phrase that makes it part of a longer one: a role, with or
    without a clitic (لنائب الرئيس العراقي, مساعد وزير الدفاع), or «باسم» (المتحدث باسم
    الحكومة اليمنية is the spokesman, not the government)."""
    if folded == "باسم":
        return True
    for cut in (0, 1, 2):
        if (
            folded[:cut] in ("", "و", "ف", "ل", "ب", "ول", "وب", "فل")
            and folded[cut:] in _role_words()
        ):
            return True
    return False


def _openings(name: str) -> list[tuple[str, str]]:
    """``(key, written)`` of each opening of two words or more of a name run, never ending on a
    name link (محمد بن) or the first half of a compound (عبد)."""
    words = name.split()
    found = []
    for length in range(2, len(words) + 1):
        last = fold(words[length - 1])
        if last not in _PATRONYMIC and last not in _COMPOUND_HEADS:
            opening = " ".join(words[:length])
            found.append((name_key(opening), opening))
    return found


def _dominant_holder(
    names: list[str], runs_opening: dict[str, int], weights: list[float] | None = None
) -> tuple[str, set[int]]:
    """The name most of ``names`` open with and the indices of those that do. A run may go on past the name
    (رجب طيب إردوغان وقائد, محمد جواد ظريف سيزور), so the shortest opening with the most
    support is taken, then lengthened while the longer form opens at least 80% of the runs
    across the corpus (``runs_opening``: opening key -> runs) that the shorter opens: the
    third word of عبدربه منصور هادي always follows, a verb after a name does not."""
    support: dict[str, set[int]] = defaultdict(set)
    written: dict[str, str] = {}
    for index, name in enumerate(names):
        for key, opening in _openings(name):
            support[key].add(index)
            written.setdefault(key, opening)
    if not support:
        return "", set()
    weight = weights or [1.0] * len(names)  # the newest uses weigh most (an office changes hands)
    best = max(
        support,
        key=lambda k: (sum(weight[i] for i in support[k]), -len(written[k].split()), written[k]),
    )
    while True:
        longer = [
            k
            for k in support
            if written[k].startswith(written[best] + " ")
            and len(written[k].split()) == len(written[best].split()) + 1
        ]
        extension = max(longer, key=lambda k: runs_opening.get(k, 0), default=None)
        if extension is None or runs_opening.get(extension, 0) < _MIN_SHARE * runs_opening.get(
            best, 0
        ):
            return written[best], support[best]
        best = extension


# folded title phrase -> its written form and its uses, each ``(name, article index)``
TitleEvidence = dict[tuple[str, ...], tuple[str, list[tuple[str, int]]]]
# folded title phrase -> name keys of persons named as its former holders (الرئيس العراقي
# الأسبق صدام حسين, صدام حسين الرئيس العراقي الراحل)
FormerHolders = dict[tuple[str, ...], set[str]]
_MAX_TITLE_WORDS = 7  # الرئيس العام لشؤون المسجد الحرام والمسجد النبوي


def _title_evidence(
    titled: list[tuple[list[str], str, int]],
    count: Callable[[str], int],
    introduced: dict[str, set[str]],
    *,
    reverse: bool,
    into: TitleEvidence,
    formers: FormerHolders,
    given_names: frozenset[str] = frozenset(),
) -> None:
    """Adds to ``into`` the names next to each two- to four-word phrase (folded words -> written
    form and names), from the words before a name, or after it when ``reverse`` (the contexts
    then hold those words reversed). An occurrence does not count for a phrase that is part
    of a longer title there: a role before it (مساعد وزير الدفاع is not وزير الدفاع, لنائب
    الرئيس العراقي not الرئيس العراقي), or, after a name, a definite word continuing it
    (رئيس الوزراء | العراقي). Only names that count as a person's are kept
    (:func:`_is_person_evidence`), and names right after an office of one country (المستشارة
    الألمانية أنجيلا ميركل), which introduces a person whatever other words introduce him.
    A phrase closed by a former word (الرئيس العراقي الأسبق, or السابق after the title that
    follows a name) records the name in ``formers`` as no present holder of the phrase."""
    former_words = _holder_words().get("former", frozenset())
    for context, name, article in titled:
        for length in range(2, min(_MAX_TITLE_WORDS + 1, len(context)) + 1):
            phrase = context[-length:][::-1] if reverse else context[-length:]
            if reverse:
                closing = fold(context[-length - 1]) if len(context) > length else ""
                if closing in former_words:
                    formers.setdefault(_folded_phrase(phrase), set()).add(name_key(name))
            elif fold(phrase[-1]) in former_words:
                formers.setdefault(_folded_phrase(phrase[:-1]), set()).add(name_key(name))
        is_person = _is_person_evidence(name, introduced, count, given_names)
        if not is_person and (
            reverse
            or not _opens_with_given_name(name, count)
            or _is_clitic_noun(fold(name.split()[0]), count)  # بذكرى إعلان الجمهورية
        ):
            continue
        for length in range(2, min(_MAX_TITLE_WORDS, len(context)) + 1):
            phrase = context[-length:][::-1] if reverse else context[-length:]
            outer = fold(context[-length - 1]) if len(context) > length else ""
            if outer and (
                (reverse and strip_article_clitics(outer).startswith("ال"))
                or (not reverse and _opens_longer_title(outer))
            ):
                continue
            # بالعاهل الأردني counts for العاهل الأردني: a preposition is no part of a title.
            first, *rest = phrase
            phrase = [drop_article_proclitics(first), *rest]
            words = tuple(fold(w) for w in phrase)
            if is_person or _is_one_holder_office(list(words)):
                into.setdefault(words, (" ".join(phrase), []))[1].append((name, article))


def _folded_phrase(phrase: list[str]) -> tuple[str, ...]:
    """Folded words of a title phrase, a preposition on its first word dropped."""
    first, *rest = phrase
    return tuple(w for w in (fold(w) for w in [drop_article_proclitics(first), *rest]) if w)


@dataclass(frozen=True, slots=True)
class TitleThresholds:
    """When the names beside a title phrase make one person its holder (:func:`_pick_titles`).

    Uses are counted once per article (a wire story copied by outlets counts per copy, so the
    outlets are counted too) and weighted by recency (:data:`RECENCY_HALF_LIFE_DAYS`)."""

    share: float  # weighted share of the title's uses that name the holder
    articles: int  # articles naming him beside the title
    outlets: int  # outlets among those articles
    # The same for a phrase that names one person but is no office of one country or region
    # by its form (القائد الأعلى لكافة القوات, a phrase without an office): more agreement.
    # A bare office (وزير المالية, رئيس الهيئة) names no holder: every country has one.
    other_share: float
    other_articles: int
    other_outlets: int


# Chosen by scripts/tune_title_thresholds.py (session 23, `make tune-title-thresholds`): mined on
# the July mining days, scored on the development gold files' title pairs (14,011 pairs). On the
# code as committed: pooled F1 0.865 for outlets 1 vs 0.862 for 2, share 0.5 = 0.6 (0.865) > 0.7
# (0.832), other_share 0.6 = 0.7 (0.865) > 0.8 (0.859) > never (0.849), articles 2 = 3; ties went
# to the stricter value. Leave-one-gold-out mean F1 0.897. Development figures: the blind
# aliases_val5 was never used to choose them.
TITLE_THRESHOLDS = TitleThresholds(
    share=0.6, articles=2, outlets=1, other_share=0.7, other_articles=3, other_outlets=2
)
# Evidence from an article this many days older than the newest counts half: an office changes
# holders, and the newest uses tell the present one.
RECENCY_HALF_LIFE_DAYS = 7.0


def _recency_weights(dates: list[str]) -> list[float]:
    """A weight per article from its date (``YYYY-MM-DD...``): 1 for the newest, halving every
    :data:`RECENCY_HALF_LIFE_DAYS`; 1 for an article without a date."""
    days = [_day_number(d) for d in dates]
    known = [d for d in days if d is not None]
    newest = max(known, default=0)
    return [1.0 if d is None else 0.5 ** ((newest - d) / RECENCY_HALF_LIFE_DAYS) for d in days]


def _day_number(date: str) -> int | None:
    """Days since 0001-01-01 of a ``YYYY-MM-DD`` prefix, or None."""
    try:
        return _dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return None


def _is_personal_holder(name: str) -> bool:
    """A holder's name holds no institution noun, with or without a glued و (وحركة طالبان),
    and does not open with a common word behind a glued و (وتقنية المعلومات: the rest of a
    ministry's name)."""
    first = fold(_words(name)[0]) if _words(name) else ""
    if first.startswith("و") and _surface_counts().get(first[1:], 0) >= MIN_BARE_COUNT:
        return False
    for word in _words(name):
        folded = fold(word)
        if folded in _institution_heads() or (
            folded[:1] in "وفبل" and folded[1:] in _institution_heads()
        ):
            return False
    return True


TitleGroup = tuple[tuple[str, ...], str | None]  # (office, country) or (phrase, None)


def _pick_titles(
    evidence: TitleEvidence,
    count: Callable[[str], int],
    runs_opening: dict[str, int],
    *,
    outlets: list[str],
    weights: list[float],
    formers: FormerHolders,
    late: set[str],
    thresholds: TitleThresholds = TITLE_THRESHOLDS,
    countries: list[str] | None = None,
) -> list[tuple[str, str]]:
    """Title phrases that stand for one person, from the names seen beside them before and
    after (:func:`_title_evidence`). Phrases of one office (:func:`title_key`: الرئيس الفرنسي,
    رئيس الجمهورية الفرنسية) are pooled and get one holder, written as their most used phrase.

    A phrase counts when it opens with a role (or is listed in [unique_titles]), names one
    office-holder at a time (:func:`_is_unique_title`, an office of one country or region),
    and holds no former word.
    Its uses are read once per article; names seen as its former holders (``formers``) or as
    late persons (``late``) are dropped; the dominant name (:func:`_dominant_holder`, weighted
    by recency) must pass ``thresholds``. A deputy's uses that name the principal's holder
    are dropped too (نائب المستشارة الألمانية is not the chancellor), and a person picked for
    one office of two countries keeps the country with more articles.

    Two kinds more need the stricter ``other`` thresholds: an office of a named body (الأمين
    العام لأوبك, رئيس هيئة الأركان العامة), and a bare office of a state (وزير الثقافة
    والإعلام), which an outlet writes for its own country's holder: with ``countries`` (the
    country key of each article's outlet, "" when unknown) its uses are pooled with that
    country's office (وزير البترول والثروة المعدنية in a Saudi paper = وزير البترول السعودي)."""
    former_words = _holder_words().get("former", frozenset())
    groups: dict[TitleGroup, list[tuple[str, ...]]] = defaultdict(list)
    other: set[TitleGroup] = set()
    # a bare office's phrase -> the outlet country its uses are read for in a group
    country_of_member: dict[tuple[TitleGroup, tuple[str, ...]], str] = {}
    for words_tuple, (phrase, phrase_uses) in sorted(evidence.items()):
        words = list(words_tuple)
        listed = " ".join(words) in _listed_titles()
        office = title_key(phrase)
        bare = (
            countries is not None
            and office is not None
            and not office[1]
            and office[0][0] in _MINISTER_WORDS
            and not (_is_unique_title(words) or _is_one_holder_office(words))
        )
        if bare and office is not None and countries is not None:
            if any(
                w in STOPWORDS
                or w in _honorific_words()
                or w in former_words
                or w in _FORMER_WORDS
                or strip_article_clitics(w) != w
                for w in words
            ):
                continue
            if words[-1] in _role_words() or _strip_titles(phrase) != phrase:
                continue
            for country in sorted({countries[a] for _, a in phrase_uses} - {""}):
                # kept apart from the office written with its country: a bare office there
                # is also another country's, in a story about it (وزير الخارجية ظريف)
                bare_key = (office[0], _BARE_MARK + country)
                groups[bare_key].append(words_tuple)
                country_of_member[(bare_key, words_tuple)] = country
                other.add(bare_key)
            continue
        if (
            not (_is_unique_title(words) or _is_one_holder_office(words) or _heads_a_body(words))
            or (words[0] not in _tables().titles and not listed)
            or words[0] in _nationality_forms()
            or any(w in STOPWORDS or w in _honorific_words() for w in words)
            or any(strip_article_clitics(w) != w for w in words)
            or (words[-1] in _role_words() and not listed)
            or words[-1] in _region_words()  # مدير شرطة منطقة | مكة المكرمة: the region's name
            or any(w in _FORMER_WORDS or w in former_words for w in words)
            or _strip_titles(phrase) != phrase
        ):
            continue
        key: TitleGroup = title_key(phrase) or (words_tuple, None)
        groups[key].append(words_tuple)
        if not _is_one_holder_office(words):
            other.add(key)  # no office of one country or region by its form: more agreement
    picked: dict[TitleGroup, tuple[str, str, int]] = {}  # key -> phrase, holder, articles
    dominant: dict[TitleGroup, str] = {}
    deputies = _holder_words().get("deputy", frozenset())

    def principal_of(key: TitleGroup) -> TitleGroup | None:
        office, country = key
        return (office[1:], country) if office and office[0] in deputies else None

    # Principals first: a deputy's uses naming the principal's holder are left out (نائب
    # المستشارة الألمانية أنجيلا ميركل names the chancellor, not her deputy).
    for key, members in sorted(
        groups.items(), key=lambda item: (principal_of(item[0]) is not None, str(item[0]))
    ):
        dropped = late.union(*(formers.get(m, set()) for m in members))
        principal = principal_of(key)
        if principal is not None and principal in dominant:
            dropped = dropped | {name_key(dominant[principal])}
        uses = sorted(
            {
                (article, name)
                for member in members
                for name, article in evidence[member][1]
                if name_key(name) not in dropped
                and (
                    (key, member) not in country_of_member
                    or (countries is not None and _BARE_MARK + countries[article] == key[1])
                )
            }
        )
        if not uses:
            continue
        names = [name for _, name in uses]
        holder, support = _dominant_holder(names, runs_opening, [weights[a] for a, _ in uses])
        holder = _with_family_name(canonical_name(holder), count, names)
        dominant[key] = holder
        total = sum(weights[a] for a, _ in uses)
        share = sum(weights[uses[i][0]] for i in support) / total
        articles = {uses[i][0] for i in support}
        sources = {outlets[a] for a in articles}
        needed = (
            (thresholds.other_share, thresholds.other_articles, thresholds.other_outlets)
            if key in other
            else (thresholds.share, thresholds.articles, thresholds.outlets)
        )
        seen = max(count(" ".join(m)) for m in members)
        min_seen = _MIN_TITLE_SEEN if key in other else _MIN_UNANIMOUS_EVIDENCE
        if (
            share >= needed[0]
            and len(articles) >= needed[1]
            # fewer than three articles are evidence only when no use names another person
            and (len(articles) >= _MIN_TITLE_EVIDENCE or len(support) == len(uses))
            and len(sources) >= needed[2]
            and seen >= min_seen
            and _is_personal_holder(holder)
        ):
            written = max(members, key=lambda m: (len(evidence[m][1]), m))
            picked[key] = (evidence[written][0], holder, len(articles))
    by_holder: dict[tuple[tuple[str, ...], str], list[TitleGroup]] = defaultdict(list)
    for key, (_, holder, _) in picked.items():
        if key[1] and not key[1].startswith(_BARE_MARK):
            by_holder[(key[0], name_key(holder))].append(key)
    for keys in by_holder.values():
        if len(keys) > 1:  # one office in two countries: the country with more articles
            best = max(keys, key=lambda k: (picked[k][2], str(k)))
            for weaker in keys:
                if weaker != best:
                    del picked[weaker]
    foreign = _qualified_holders(evidence)
    for key in [k for k in picked if k[1] and k[1].startswith(_BARE_MARK)]:
        # a bare office's holder named elsewhere with another country's office is that
        # country's minister (وزير البيئة اللبناني محمد المشنوق), reported in its own words
        if foreign.get(name_key(picked[key][1]), set()) - {(key[1] or "").removeprefix(_BARE_MARK)}:
            del picked[key]
    return [(phrase, holder) for phrase, holder, _ in picked.values()]


# An office named in an article (often only in its headline: الرئيس الشيشاني يصل جدة) whose
# holder the article names elsewhere (الرئيس رمضان أحمد قاديروف رئيس جمهورية الشيشان): across
# the corpus the holder is in most of the office's articles and the office in a good share of
# the holder's, far more than any other person (:func:`_cooccurring_holders`).
_MIN_COOCCURRING_ARTICLES = 3  # articles naming both the office and its holder
_MIN_COOCCURRING_OUTLETS = 2
_MIN_HOLDER_SHARE = 0.5  # of the office's articles that name the holder
_MIN_OFFICE_SHARE = 0.2  # of the holder's articles that name the office
# the holder's association with the office (articles naming both over the geometric mean of
# each one's articles) over the runner-up's: a host who met a visiting president is named
# in most of his articles too, but in many others as well
_MIN_HOLDER_MARGIN = 1.5


def _office_candidates(
    evidence: TitleEvidence, in_texts: set[tuple[str, ...]]
) -> dict[TitleGroup, list[tuple[str, ...]]]:
    """Title phrases of the evidence and of the texts (``in_texts``) that one person holds at
    a time by their form (an office of one country or region, a listed title, an office
    heading a named body), grouped by office (:func:`title_key`); phrases with a function
    word, honorific, former word or clitic, or closed by a role or a region's name, are left
    out as in :func:`_pick_titles`, and so are a deputy's."""
    former_words = _holder_words().get("former", frozenset())
    groups: dict[TitleGroup, list[tuple[str, ...]]] = defaultdict(list)
    phrases = {words: phrase for words, (phrase, _uses) in evidence.items()}
    for words_tuple in in_texts:
        phrases.setdefault(words_tuple, " ".join(words_tuple))
    deputies = _holder_words().get("deputy", frozenset())
    for words_tuple, phrase in sorted(phrases.items()):
        words = list(words_tuple)
        listed = " ".join(words) in _listed_titles()
        if (
            # a deputy is named in his principal's articles and the principal in his
            words[0] in deputies
            or not (_is_one_holder_office(words) or listed or _heads_a_body(words))
            or (words[0] not in _tables().titles and not listed)
            or words[0] in _nationality_forms()
            or any(w in STOPWORDS or w in _honorific_words() for w in words)
            or any(strip_article_clitics(w) != w for w in words)
            or (words[-1] in _role_words() and not listed)
            or words[-1] in _region_words()
            or any(w in _FORMER_WORDS or w in former_words for w in words)
            or _strip_titles(phrase) != phrase
        ):
            continue
        groups[title_key(phrase) or (words_tuple, None)].append(words_tuple)
    return groups


_MAX_OFFICE_WORDS = 4  # رئيس وزراء جمهورية اليابان is as long as a text-found office gets


def _offices_in_texts(folded_texts: list[str]) -> set[tuple[str, ...]]:
    """Folded phrases of the texts that one person holds at a time by their form
    (:func:`_is_one_holder_office`): a state's office and a country or region, written in a
    headline without a name (الرئيس الشيشاني يصل جدة) as often as beside one."""
    offices = _state_offices()
    found: set[tuple[str, ...]] = set()
    bare: dict[str, str] = {}  # a word without its article's proclitics, folded (asked often)
    for text in folded_texts:
        words = text.split(" ")
        for index, word in enumerate(words):
            first = bare.get(word)
            if first is None:
                first = bare[word] = fold(drop_article_proclitics(word))
            if word not in offices and first not in offices:
                continue
            for length in range(2, _MAX_OFFICE_WORDS + 1):
                phrase = [first, *words[index + 1 : index + length]]
                if len(phrase) == length and _is_one_holder_office(phrase):
                    found.add(tuple(phrase))
                    break
    return found


def _written_phrase(
    words: tuple[str, ...], token_lists: list[list[str]], articles: set[int]
) -> str:
    """The phrase of folded ``words`` as one of ``articles`` writes it (a preposition on its
    first word dropped), or the folded words when none does."""
    for article in sorted(articles):
        tokens = [t for t in token_lists[article] if _is_word(t)]
        for index in range(len(tokens) - len(words) + 1):
            window = tokens[index : index + len(words)]
            first = drop_article_proclitics(window[0])
            if tuple(fold(w) for w in [first, *window[1:]]) == words:
                return " ".join([first, *window[1:]])
    return " ".join(words)


def _articles_with_phrase(
    words: tuple[str, ...],
    folded_texts: list[str],
    folded_tokens: list[list[str]],
    index: dict[str, set[int]],
) -> set[int]:
    """Articles whose folded words hold the folded phrase, a preposition or conjunction on its
    first word allowed (للرئيس الشيشاني); ``folded_texts`` are their texts with a space at
    either end, ``folded_tokens`` their words."""
    rarest = min(words[1:] or words, key=lambda w: len(index.get(w, ())))
    found = set()
    tail = " " + " ".join(words[1:]) + " "  # in the text wherever the phrase is
    for article in index.get(rarest, ()):
        if len(words) > 1 and tail not in folded_texts[article]:
            continue
        tokens = folded_tokens[article]
        for position in range(len(tokens) - len(words) + 1):
            if tuple(tokens[position + 1 : position + len(words)]) == words[1:] and (
                tokens[position] == words[0]
                or fold(drop_article_proclitics(tokens[position])) == words[0]
            ):
                found.add(article)
                break
    return found


def _person_identity(name: str) -> tuple[str, ...] | None:
    """The keys of a personal name's first two words (باراك أوباما), all of them up to four
    when the second is a name link (محمد بن نايف; خالد بن صالح X is not خالد بن صالح Y): a
    run gone on past the name (محمد جواد ظريف دول) is still its person; None for one word."""
    words = _name_words(name)
    linked = len(words) >= 3 and fold(words[1]) in _NAME_LINKS
    length = min(len(words), 4) if linked else 2
    if len(words) < length:
        return None
    tables = _tables()
    return tuple(_word_key(w, tables) for w in words[:length])


def _cooccurring_holders(
    evidence: TitleEvidence,
    persons: list[tuple[str, int, bool]],
    folded_texts: list[str],
    token_lists: list[list[str]],
    outlets: list[str],
    dropped: set[str],
) -> list[tuple[str, str]]:
    """``(title, holder)`` for offices whose holder is named in the same articles: ``persons``
    are ``(name, article, is_person)`` of the name runs after a title or an honorific that
    may be names, with whether the run has a person's evidence (:func:`_is_person_evidence`);
    a run is one person's by its first words (:func:`_person_identity`). For each office (:func:`_office_candidates`), the person most associated with
    it (articles naming both over the geometric mean of each one's articles) must be in
    :data:`_MIN_HOLDER_SHARE` of its articles, the office in :data:`_MIN_OFFICE_SHARE` of his,
    both in :data:`_MIN_COOCCURRING_ARTICLES` articles of two outlets, and the association
    :data:`_MIN_HOLDER_MARGIN` times the runner-up's; he must also be named right beside a
    phrase of the office once (the evidence's uses). Late and
    former holders (``dropped`` name keys) are never holders. The office is written as its
    most used phrase, the holder as his most written full name."""
    index: dict[str, set[int]] = defaultdict(set)
    # split once: splitting an article again for every phrase looked up made this quadratic
    folded_tokens = [text.split(" ") for text in folded_texts]
    padded_texts = [f" {text} " for text in folded_texts]
    for article, tokens in enumerate(folded_tokens):
        for word in set(tokens):
            index[word].add(article)
    articles_of: dict[tuple[str, ...], set[int]] = defaultdict(set)
    written: dict[tuple[str, ...], list[str]] = defaultdict(list)
    known: set[tuple[str, ...]] = set()  # identities with a person's evidence
    for name, article, is_person in persons:
        identity = _person_identity(name)
        if identity is not None and name_key(name) not in dropped:
            articles_of[identity].add(article)
            written[identity].append(name)
            if is_person:
                known.add(identity)
    holders_in: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    for identity, articles in articles_of.items():
        for article in articles:
            holders_in[article].add(identity)
    pairs: list[tuple[str, str]] = []
    # who is named right beside a phrase of each office at least once (رئيس جمهورية الشيشان
    # رمضان قاديروف = الرئيس الشيشاني): the holder must be, so that a host or a visitor
    # named in an office's articles never takes the office
    apposed: dict[TitleGroup, set[tuple[str, ...]]] = defaultdict(set)
    for words_tuple, (phrase, uses) in evidence.items():
        group: TitleGroup = title_key(phrase) or (words_tuple, None)
        for name, _article in uses:
            identity = _person_identity(name)
            if identity is not None:
                apposed[group].add(identity)
    candidates = _office_candidates(evidence, _offices_in_texts(folded_texts))
    for office, members in sorted(candidates.items(), key=str):
        office_articles: set[int] = set()
        member_articles: dict[tuple[str, ...], set[int]] = {}
        for member in members:
            member_articles[member] = _articles_with_phrase(
                member, padded_texts, folded_tokens, index
            )
            office_articles |= member_articles[member]
        if len(office_articles) < _MIN_COOCCURRING_ARTICLES:
            continue
        together: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for article in office_articles:
            for identity in holders_in.get(article, ()):
                together[identity].add(article)
        # association: articles naming both over the geometric mean of each one's articles
        ranked = sorted(
            (
                (len(shared) / (len(office_articles) * len(articles_of[identity])) ** 0.5, identity)
                for identity, shared in together.items()
            ),
            key=lambda item: (-item[0], item[1]),
        )
        if not ranked or ranked[0][1] not in known or ranked[0][1] not in apposed[office]:
            continue  # every name run competes; only a person's named beside the office wins
        association, identity = ranked[0]
        shared = together[identity]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if not (
            len(shared) >= _MIN_COOCCURRING_ARTICLES
            and len({outlets[a] for a in shared}) >= _MIN_COOCCURRING_OUTLETS
            and len(shared) >= _MIN_HOLDER_SHARE * len(office_articles)
            and len(shared) >= _MIN_OFFICE_SHARE * len(articles_of[identity])
            and association >= _MIN_HOLDER_MARGIN * runner_up
        ):
            continue
        # the office as its most used phrase is written
        member = max(members, key=lambda m: (len(member_articles[m]), m))
        phrase = (
            evidence[member][0]
            if member in evidence
            else _written_phrase(member, token_lists, member_articles[member])
        )
        # a run cut after a name link (إياد بن) is no way to write the holder
        names = [n for n in written[identity] if fold(n.split()[-1]) not in _NAME_LINKS]
        if not names:
            continue
        holder = max(sorted(set(names)), key=lambda n: (names.count(n), len(n.split())))
        if _is_personal_holder(holder):
            pairs.append((phrase, holder))
    return pairs


_BARE_MARK = "*"  # before the outlet country of a bare office's group key
_MINISTER_WORDS = frozenset({"وزير", "وزيره"})  # a bare office is read as a minister's only


def _qualified_holders(evidence: TitleEvidence) -> dict[str, set[str]]:
    """Name key of each opening of the names beside a title with a country (وزير البيئة
    اللبناني) -> those countries."""
    found: dict[str, set[str]] = defaultdict(set)
    for phrase, uses in evidence.values():
        office = title_key(phrase)
        if office is None or not office[1]:
            continue
        for name, _article in uses:
            for key, _opening in _openings(name):
                found[key].add(office[1])
    return found


def _with_family_name(holder: str, count: Callable[[str], int], names: list[str]) -> str:
    """A holder named by given and father's name (عادل بن زيد) with his family name, as the
    press also writes him without the father's (عادل الطريفي): the definite last word most of
    the names beside the title give him (عبدالرحمن [بن صالح] البنيان, two uses at least), else
    the word after his name in at least half its uses across the corpus; either way a word
    that also follows his given name alone (twice). A royal name (محمد بن سلمان), followed
    by varied words or a further بن, stays as it is."""
    words = holder.split()
    if len(words) != 3 or fold(words[1]) not in _PATRONYMIC:
        return holder
    folded_holder = [fold(w) for w in words]
    family: dict[str, int] = defaultdict(int)
    for name in names:
        written = name.split()
        folded_name = [fold(w) for w in written]
        if len(written) == 4 and folded_name[:3] == folded_holder:
            family[written[3]] += 1
        elif len(written) == 2 and folded_name[0] == folded_holder[0]:
            family[written[1]] += 1
    # the press writes him without the father's name too (عادل الطريفي); a word that merely
    # follows the name (فهد بن خالد اليوم) never follows the given name alone
    family = {
        w: n
        for w, n in family.items()
        if _is_definite(w)
        and fold(w) != "ال"
        and count(f" {folded_holder[0]} {fold(w)} ") >= _MIN_UNANIMOUS_EVIDENCE
    }
    if family:
        word, seen = max(family.items(), key=lambda item: (item[1], item[0]))
        if seen >= _MIN_UNANIMOUS_EVIDENCE and seen * 2 > sum(family.values()):
            return f"{holder} {word}"
    corpus = getattr(count, "corpus", "")
    base = " " + " ".join(fold(w) for w in words) + " "
    uses = count(base)
    if not corpus or uses < _MIN_EVIDENCE:
        return holder
    following: dict[str, int] = defaultdict(int)
    start = corpus.find(base)
    while start >= 0:
        # the two words after the name only: slicing the rest of the corpus made this quadratic
        rest = start + len(base)
        first_end = corpus.find(" ", rest)
        second_end = corpus.find(" ", first_end + 1) if first_end >= 0 else -1
        after = corpus[rest : second_end if second_end >= 0 else len(corpus)].split(" ", 2)
        word = after[0] if after else ""
        if word == "ال" and len(after) > 1:
            word = "ال " + after[1]  # آل خليفة
        following[word] += 1
        start = corpus.find(base, start + 1)
    word, seen = max(following.items(), key=lambda item: (item[1], item[0]))
    if (
        seen * 2 < uses
        or not word.startswith("ال")
        or any(w in STOPWORDS or w in _title_words() for w in word.split())
        or count(f" {folded_holder[0]} {word} ") < _MIN_UNANIMOUS_EVIDENCE
    ):
        return holder
    return f"{holder} {word.replace('ال ', 'آل ', 1) if ' ' in word else word}"


def _heads_a_body(words: list[str]) -> bool:
    """A folded role phrase whose complement names a body, which has one holder of the role
    at a time: an institution noun (رئيس هيئة الأركان العامة, الأمين العام لجامعة الدول
    العربية) or a name with a glued ل (الأمين العام لأوبك)."""
    if words[0] not in _role_words():
        return False
    for index, word in enumerate(words[1:], 1):
        bare = _without_lam(strip_article_clitics(word)).removeprefix("ال")
        if bare in _institution_heads() or _without_lam(word) in _institution_heads():
            # named by two words more (هيئة الأركان العامة) or a proper name (منظمة أوبك);
            # رئيس الهيئة, رئيس مجلس الإدارة, رئيس المجلس البلدي name no one body
            rest = words[index + 1 :]
            return len(rest) >= 2 or (len(rest) == 1 and not rest[0].startswith("ال"))
        if word.startswith("ل") and not word.startswith("لل") and is_glued_proclitic(word):
            return True
    return False


def _is_one_holder_office(words: list[str]) -> bool:
    """A folded title phrase that one person holds at a time by its form: a listed title, or
    a role qualified by a nationality (العاهل الأردني, رئيس الوزراء العراقي) or by a region
    (أمير منطقة تبوك); not a phrase without a role (المرشد الإيراني is caught by the role)."""
    if " ".join(words) in _listed_titles():
        return True
    deputies = _holder_words().get("deputy", frozenset())
    while len(words) > 2 and words[0] in deputies:
        words = words[1:]  # نائب الرئيس الأمريكي: a deputy's office is one person's too
    if words[0] not in _state_offices():
        return False  # الجيش الأمريكي, المدير الفني الفرنسي: no office of a state
    # The adjective ends the phrase: الرئيس الأمريكي السبت is no office.
    return words[-1] in _country_adjectives() or (len(words) >= 3 and words[1] in _region_words())


@lru_cache(maxsize=1)
def _state_offices() -> frozenset[str]:
    """Folded first words of a state's offices (الرئيس، وزير، العاهل، المستشارة)."""
    return frozenset(fold(e) for e in word_sections("titles_ar.txt").get("state_offices", []))


@lru_cache(maxsize=1)
def _country_adjectives() -> frozenset[str]:
    """Folded nisba adjectives of countries, with and without ال, masculine and feminine."""
    entries = word_sections("titles_ar.txt").get("country_adjectives", [])
    return frozenset(form for entry in entries for form in _adjective_forms(fold(entry)))


def _has_title_evidence(
    words: list[str],
    agreeing: int,
    names: int,
    share: float,
    count: Callable[[str], int],
    *,
    listed_only: bool = False,
) -> bool:
    """Enough names beside a title phrase agree on one holder: at least three and ``share``
    of them, the phrase seen five times; or, for an office one person holds at a time
    (:func:`_is_one_holder_office`; with ``listed_only`` a listed title only), every name,
    at least two."""
    if listed_only and " ".join(words) not in _listed_titles():
        return agreeing >= max(_MIN_TITLE_EVIDENCE, share * names) and (
            count(" ".join(words)) >= _MIN_TITLE_SEEN
        )
    seen = count(" ".join(words))
    if agreeing >= max(_MIN_TITLE_EVIDENCE, share * names) and seen >= _MIN_TITLE_SEEN:
        return True
    return (
        agreeing == names >= _MIN_UNANIMOUS_EVIDENCE
        and seen >= _MIN_UNANIMOUS_EVIDENCE
        and _is_one_holder_office(words)
    )


_MAX_TITLE_CHAIN = 12  # words between a title phrase and the honorific of its holder's name


def _title_phrase_at(tokens: list[str], index: int) -> tuple[str, ...]:
    """Folded words of the two- to four-word phrase at ``index`` that may be a title: it
    opens with a role word (ولي العهد, الأمين العام ...) and holds no punctuation."""
    if fold(tokens[index]) not in _role_words():
        return ()
    return tuple(fold(w) for w in _right_words(tokens, index, 4))


def _unique_title_phrases(token_lists: list[list[str]]) -> set[tuple[str, ...]]:
    """Phrases of two to four words, opening with a role, seen at least ten times, that name
    one office-holder at a time (:func:`_is_unique_title`) and do not end on a bare office."""
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for tokens in token_lists:
        for index in range(len(tokens)):
            words = _title_phrase_at(tokens, index)
            for length in range(2, len(words) + 1):
                counts[words[:length]] += 1
    listed = _listed_titles()
    return {
        phrase
        for phrase, seen in counts.items()
        if (
            seen >= _MIN_TITLE_SEEN
            or " ".join(phrase) in listed
            or (seen >= _MIN_UNANIMOUS_EVIDENCE and _is_one_holder_office(list(phrase)))
        )
        and (_is_unique_title(list(phrase)) or _is_one_holder_office(list(phrase)))
        and not any(
            w in STOPWORDS or w in _honorific_words() or strip_article_clitics(w) != w
            for w in phrase
        )
        and (phrase[-1] not in _role_words() or " ".join(phrase) in listed)
    }


def _chained_holders(
    token_lists: list[list[str]], phrases: set[tuple[str, ...]]
) -> dict[tuple[str, ...], tuple[str, list[str]]]:
    """For each title phrase, its written form and the names that follow it after a chain of
    further offices, before an honorific (ولي العهد نائب رئيس مجلس الوزراء وزير الداخلية
    الأمير محمد بن نايف). The longest phrase at a place wins, so ولي العهد inside ولي ولي
    العهد is not counted, nor one right after another role (نائب وزير الخارجية الأمريكي is not
    وزير الخارجية الأمريكي) or cut inside a longer noun phrase (a definite word follows);
    punctuation or a function word ends the chain."""
    holders: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for tokens in token_lists:
        covered_until = 0
        for index in range(len(tokens)):
            if index < covered_until:
                continue
            words = _title_phrase_at(tokens, index)
            match = next(
                (words[:n] for n in range(len(words), 1, -1) if words[:n] in phrases), None
            )
            if match is None:
                continue
            covered_until = index + len(match)
            if index > 0 and fold(tokens[index - 1]) in _role_words():
                continue
            after = tokens[covered_until] if covered_until < len(tokens) else ""
            if (
                after
                and _is_word(after)
                and strip_article_clitics(after).startswith("ال")
                and fold(after) not in _title_words()
            ):
                continue  # the phrase goes on (مدير عام الهيئة العامة للإحصاء): cut, no title
            for position in range(
                covered_until, min(len(tokens), covered_until + _MAX_TITLE_CHAIN)
            ):
                folded = fold(tokens[position])
                if not _is_word(tokens[position]) or folded in STOPWORDS:
                    break
                if folded in _honorific_words():
                    name = _name_after(tokens, position + 1)
                    if _is_personal_name(name):
                        written = " ".join(tokens[index : index + len(match)])
                        entry = holders.setdefault(match, (written, []))
                        entry[1].append(canonical_name(" ".join(name)))
                    break
    return holders


def _pick_chained_titles(
    token_lists: list[list[str]], count: Callable[[str], int]
) -> list[tuple[str, str]]:
    """Title phrases whose chained holders (:func:`_chained_holders`) agree on one person, under
    the evidence rules of :func:`_pick_titles` (five names, 80% agreeing, 60% for a listed
    title). Every name here follows an honorific, which already makes it a person's."""
    pairs: list[tuple[str, str]] = []
    for phrase, (written, names) in sorted(
        _chained_holders(token_lists, _unique_title_phrases(token_lists)).items()
    ):
        top = max(sorted(set(names)), key=names.count)
        top_keys = _word_keys(top)
        share = _MIN_LISTED_SHARE if " ".join(phrase) in _listed_titles() else _MIN_SHARE
        agreeing = sum(
            same_entity(n, top) or _word_keys(n)[: len(top_keys)] == top_keys for n in names
        )
        # Offices in a chain (وزير الداخلية اليمني ... الملك سلمان) may belong to the phrase
        # or to a guest beside it: only a listed title is taken from two such uses.
        if _has_title_evidence(
            list(phrase), agreeing, len(names), share, count, listed_only=True
        ) and (_strip_titles(written) == written):
            pairs.append((written, _with_family_name(top, count, names)))
    return pairs


def _without_article(words: list[str]) -> str:
    """A one-word acronym without its article, so «(الفيفا)» and «(فيفا)» count as one
    acronym (:func:`canonical_name` finds الفيفا through فيفا); other phrases whole."""
    folded = fold(words[0])
    if len(words) == 1 and folded.startswith("ال") and len(folded) > 4:
        return words[0][2:]
    return " ".join(words)


def _acronym_expansion(acronym: str, contexts: list[list[str]], share: float) -> str:
    """The expansion of an acronym from the words before its bracketed uses (see
    :func:`_pick_span`), or "" when the shared phrase is no institution's name."""
    picked = _pick_span(contexts, 2, 6, min_share=share)
    if picked is None:
        return ""
    return picked[0] if _is_expansion(acronym, picked[0]) else ""


def _is_expansion(acronym: str, expansion: str) -> bool:
    """A phrase that may be an acronym's expansion: an institution's name (it opens with an
    institution noun, holds no honorific or function word, ends on no rank, has no title to
    strip) that does not contain the acronym itself."""
    words = expansion.split()
    # an honorific right after the institution noun names the body after a person (جامعة
    # الملك عبدالله للعلوم والتقنية); elsewhere it opens a person's name
    return (
        _opens_name_phrase(words)
        and fold(words[-1]) not in _ORDINALS
        and not any(
            (fold(w) in _honorific_words() and position != 1) or fold(w) in STOPWORDS
            for position, w in enumerate(words)
        )
        and fold(acronym) not in fold(expansion)
        and _strip_titles(expansion) == expansion
    )


def _anchored_expansions(
    acronym: str, contexts: list[list[str]], count: Callable[[str], int]
) -> list[tuple[str, str]]:
    """An acronym's expansion when its uses are too few to share a phrase boundary: in each
    use, the words from the first institution noun before the bracket (قالت الهيئة الوطنية
    لمكافحة الفساد (نزاهة) -> الهيئة الوطنية لمكافحة الفساد), shaped as a name
    (:func:`_has_name_shape`). The most frequent expansion must recur in two uses and a fifth
    of all, or, for an acronym used three times at most, no use may name another body;
    another expansion with the same head noun names the same body (منظمة البلدان
    المصدرة للبترول (أوبك) / منظمة الدول المصدرة للنفط (أوبك)). Only a word or a run of
    letter names (بي كا كا) is an acronym, never an adjective (السعودية) or a title, nor a
    word the corpus mostly writes outside brackets (الإنسان، مرة، صربيا: a common word or a
    place in brackets after a name, not the name's acronym); a two-word expansion is too
    generic (الشركة التابعة)."""
    if not _is_acronym_shape(acronym):
        return []
    by_key: dict[str, list[str]] = defaultdict(list)
    for words in contexts:
        # every phrase from an institution noun to the bracket counts for this use: the body
        # most uses name (صندوق الأوبك للتنمية الدولية), not a longer phrase of a few (المجلس
        # الوزاري لصندوق الأوبك ...: a council of that body)
        for start in range(max(0, len(words) - _MAX_EXPANSION_WORDS), len(words) - 1):
            if _opens_name_phrase(words[start:]):
                first, *rest = words[start:]
                expansion = " ".join([drop_article_proclitics(first), *rest])
                if (
                    _is_expansion(acronym, expansion)
                    and _has_name_shape(expansion.split())
                    and len(expansion.split()) >= _MIN_ANCHORED_WORDS
                ):
                    by_key[name_key(expansion)].append(expansion)
    # The most uses first, then the longest; ties go to the expansion the corpus writes most
    # (لكرة القدم before للعبة).
    ranked = sorted(
        by_key.values(),
        key=lambda group: (-len(group), -len(group[0].split()), -count(fold(group[0])), group[0]),
    )
    if not ranked:
        return []
    # A word the corpus mostly writes outside brackets is a common word or a place, unless
    # three uses spell out one body before it (الشركة السعودية للمعلومات الائتمانية (سمة)).
    if count(f" {fold(acronym)} ") > _MAX_PLAIN_PER_BRACKETED * len(contexts) and (
        len(ranked[0]) < _MIN_EVIDENCE
    ):
        return []
    body = ranked[0][0]
    head = strip_article_clitics(body.split()[0])
    same_head = [g[0] for g in ranked[1:] if strip_article_clitics(g[0].split()[0]) == head]
    recurring = len(ranked[0]) >= max(
        _MIN_UNANIMOUS_EVIDENCE, _EXPANSION_SHARES[-1] * len(contexts)
    )
    # A rare acronym (three uses at most) may be spelled out once, if no use disagrees.
    rare_agreeing = len(contexts) <= _MIN_EVIDENCE and len(same_head) == len(ranked) - 1
    if not (recurring or rare_agreeing):
        return []
    return [(acronym, body)] + [(expansion, body) for expansion in same_head]


def _is_acronym_shape(acronym: str) -> bool:
    """One word that is no adjective, title or time word, a run of letter names of up to
    three letters each (سي آي إيه), or Latin capitals (OECD)."""
    words = [fold(w) for w in acronym.split()]
    if len(words) > 1:
        return all(len(w) <= _MAX_LETTER_NAME for w in words)
    word = words[0]
    return not (
        strip_article_clitics(word) != word  # بالشقة: a preposition on a noun
        or word.endswith(("ي", "يه"))  # كيربي, إجرامي, تاريخية: a name or an adjective
        or _is_nisba(word)
        or word in _country_adjectives()
        or word in _title_words()
        or word in STOPWORDS
    )


def _has_name_shape(words: list[str]) -> bool:
    """An institution's name in construct: after its head, every indefinite noun is followed
    by a definite word (وكالة أنباء الإمارات, الاتحاد الأوروبي لكرة القدم) and a definite word
    ends it; a trailing indefinite word (الاتحاد يفاوض, وكالة أنباء) breaks it."""
    if len(words) < 2:
        return False
    definite = [strip_article_clitics(w).startswith("ال") for w in words[1:]]
    return definite[-1] and all(
        is_definite or definite[index + 1] for index, is_definite in enumerate(definite[:-1])
    )


_MAX_BRACKETED_NAME = 8  # tokens inside a bracketed full name, closing bracket included


def _is_institution_name(words: list[str]) -> bool:
    """An institution's name as written: opens with an institution noun, shaped as a name in
    construct (:func:`_has_name_shape`), with no function word, honorific or title to strip."""
    return (
        2 <= len(words) <= _MAX_EXPANSION_WORDS
        and _opens_name_phrase(words)
        and _has_name_shape(words)
        and not any(
            fold(w) in STOPWORDS or fold(w) in _honorific_words() or fold(w) in _FORMER_WORDS
            for w in words
        )
        and _strip_titles(" ".join(words)) == " ".join(words)
    )


def _bracketed_full_names(token_lists: list[list[str]]) -> list[tuple[str, str]]:
    """Names explained by another name of the same body in brackets after them, «مجلس
    الاحتياطي الاتحادي (البنك المركزي الأمريكي)»: the
    bracketed name is an institution's (:func:`_is_institution_name`); the name before the
    bracket is the phrase its uses share (:func:`_pick_span`, three uses, half agreeing), also
    an institution's. Gives ``(bracketed name, name before it)`` pairs. (A lone word before
    the bracket is left out: in July 2015 it was a common word as often as an acronym.)"""
    contexts: dict[str, list[list[str]]] = defaultdict(list)
    written: dict[str, str] = {}
    for tokens in token_lists:
        for index, token in enumerate(tokens):
            if token != "(":
                continue
            close = next(
                (
                    j
                    for j in range(index + 1, min(index + _MAX_BRACKETED_NAME, len(tokens)))
                    if tokens[j] == ")"
                ),
                None,
            )
            inner = tokens[index + 1 : close] if close else []
            if not inner or not all(_is_word(w) for w in inner):
                continue
            if not _is_institution_name(inner):
                continue
            left = _left_words(tokens, index, 7)
            if left:
                key = name_key(" ".join(inner))
                contexts[key].append(left)
                written.setdefault(key, " ".join(inner))
    pairs: list[tuple[str, str]] = []
    for key, lefts in sorted(contexts.items()):
        inner_name = written[key]
        picked = _pick_span(lefts, 2, _MAX_EXPANSION_WORDS, min_share=_EXPANSION_SHARES[0])
        name = picked[0] if picked is not None else ""
        if not (name and _is_institution_name(name.split())):
            continue
        if name_key(name) != key and not same_entity(name, inner_name):
            pairs.append((inner_name, name))
    return pairs


class _CorpusCounts:
    """How often a folded string occurs in the folded corpus (texts of words joined by spaces).

    A word or a pair of words between spaces (`` وزير ``, `` باراك اوباما ``), the counts the
    miner asks most, come from token tables built in one pass; any other string scans the
    corpus once (cached): scanning for every word made mining quadratic in the corpus."""

    def __init__(self, folded_texts: list[str]) -> None:
        self._corpus = " \n ".join(folded_texts)
        self._words: dict[str, int] = defaultdict(int)
        self._pairs: dict[str, int] = defaultdict(int)
        for text in folded_texts:
            words = text.split(" ")
            for index, word in enumerate(words):
                self._words[word] += 1
                if index:
                    self._pairs[words[index - 1] + " " + word] += 1
        self._scan: Callable[[str], int] = lru_cache(maxsize=None)(self._corpus.count)

    @property
    def corpus(self) -> str:
        """The folded texts joined, for reading the words after a phrase."""
        return self._corpus

    def __call__(self, text: str) -> int:
        inner = text[1:-1]
        if len(text) > 2 and text[0] == text[-1] == " " and inner.strip() == inner and inner:
            spaces = inner.count(" ")
            if spaces == 0:
                return self._words.get(inner, 0)
            if spaces == 1:
                return self._pairs.get(inner, 0)
        return self._scan(text)


def mine_aliases(
    texts: Iterable[str],
    *,
    outlets: Sequence[str] | None = None,
    dates: Sequence[str] | None = None,
    title_thresholds: TitleThresholds = TITLE_THRESHOLDS,
    countries: Sequence[str] | None = None,
) -> list[tuple[str, str]]:
    """``(variant, canonical)`` pairs for which a corpus gives evidence of one entity.

    ``outlets`` and ``dates`` (``YYYY-MM-DD``), one per text, tell how many outlets agree on
    a title's holder and which uses are the newest; without them every text is its own
    outlet and all are equally recent. ``countries`` (the country of each text's outlet, as
    a name or adjective: السعودية) lets a bare office (وزير الثقافة والإعلام) name the
    holder of that country's office; without it bare offices name no one.

    Apposition patterns, each needing agreeing occurrences (three, fewer where noted):

    * an acronym in brackets after its expansion, «الاتحاد الدولي لكرة القدم (فيفا)»: the
      expansion is the longest phrase before the bracket that the occurrences share and
      whose left neighbour varies; it must open with an institution noun (منظمة، الاتحاد,
      not «قالت وزارة ...»), hold no
      function word, and half of the acronym's bracketed uses must agree on it; failing
      that, the words from an institution noun before the bracket, when two uses agree or a
      rare acronym's uses do not disagree (:func:`_anchored_expansions`);
    * a title phrase before an honorific and a personal name, «خادم الحرمين الشريفين الملك
      سلمان بن عبدالعزيز», «ولي ولي العهد الأمير محمد بن سلمان», not opening with an office
      (وزير): the title stands for that
      person when at least three and 80% of those occurrences name him and the phrase occurs
      at least five times in the corpus, or, for an office of one country or region
      (العاهل الأردني, رئيس الوزراء العراقي), when at least two occurrences all name him;
    * a title phrase right before or after a personal name (وزير الخارجية الأمريكي جون كيري,
      جون كيري وزير الخارجية الأمريكي): phrases of one office pooled, uses counted per article
      and outlet, weighted by recency, former and late holders left out (:func:`_pick_titles`,
      :data:`TITLE_THRESHOLDS`);
    * «X المعروف بـ Y», «X أو ما يعرف بـ Y»: Y names X (:func:`_pick_known_as`);
    * an honorific and a given name (الملك سلمان) stand for the full name that follows in
      at least a third of its uses, agreeing at 80% (سلمان بن عبدالعزيز).
    """
    acronyms: dict[str, list[list[str]]] = defaultdict(list)
    titled: list[tuple[list[str], str, int]] = []  # words before a name, the name, article
    titled_after: list[tuple[list[str], str, int]] = []  # words after the name, reversed
    late: set[str] = set()  # name keys of persons called late (الراحل), holders of nothing
    known_as: list[tuple[str, list[str]]] = []  # «X المعروف بـ Y»: Y, words before
    kunyas: list[tuple[str, str, int]] = []  # «محمود عباس (أبو مازن)»: kunya, name, article
    introduced: dict[str, set[str]] = defaultdict(set)  # name head -> words right before it
    given: dict[tuple[str, str], list[str]] = defaultdict(list)
    given_uses: dict[str, int] = defaultdict(int)  # first name word -> uses after an honorific
    run_on: list[tuple[list[str], list[str], int]] = []  # a title, a name run on past it
    long_titled: list[tuple[list[str], str, int]] = []  # up to 12 words before a titled name
    folded_texts: list[str] = []
    token_lists: list[list[str]] = []
    for article, text in enumerate(texts):
        tokens = _tokens(text)
        token_lists.append(tokens)
        known_as += _known_as_pairs(tokens)
        kunyas += [(kunya, name, article) for kunya, name in _kunya_pairs(tokens)]
        named_at: set[int] = set()
        folded_texts.append(" ".join(fold(t) for t in tokens if _is_word(t)))
        for index, token in enumerate(tokens):
            if token in "(«" and index + 2 < len(tokens):
                close = next(
                    (j for j in range(index + 1, min(index + 5, len(tokens))) if tokens[j] in ")»"),
                    None,
                )
                inner = tokens[index + 1 : close] if close else []
                if (
                    inner
                    and all(_is_word(w) and fold(w) not in STOPWORDS for w in inner)
                    and sum(map(len, inner)) <= 12
                ):
                    left = _left_words(tokens, index, 7)
                    if left:
                        acronyms[" ".join(inner)].append(left)
            start = _title_then_name(tokens, index)
            if (
                start is not None
                and start not in named_at
                and fold(tokens[start - 1]) not in _HONORIFICS
            ):
                named_at.add(start)
                name = _with_family_word(tokens, start, _name_after(tokens, start))
                apposed = tokens[start - 1] in ("،", ",")  # the title, a comma, the name
                end = _before_honorifics(tokens, start - apposed, index)
                left = _left_words(tokens, end, _MAX_TITLE_WORDS + 1)
                # وزير الثقافة والإعلام وعادل الجبير: a glued و opens the next person listed
                coordinated = fold(tokens[start]).startswith("و") and is_glued_proclitic(
                    tokens[start]
                )
                if left and _is_personal_name(name) and not coordinated:
                    titled.append((left, canonical_name(" ".join(name)), article))
                    long_titled.append(
                        (_left_words(tokens, end, _MAX_APPOSED_WORDS), titled[-1][1], article)
                    )
                    introduced[_head(titled[-1][1])].add(fold(tokens[start - 1]))
                elif left and not coordinated and _is_personal_name(_closed_at_family_name(name)):
                    run_on.append((left, _closed_at_family_name(name), article))
            if fold(token) in _holder_words().get("dead", frozenset()):
                name = _name_after(tokens, index + 1)
                if _is_personal_name(name):
                    late.add(name_key(canonical_name(" ".join(name))))
            if fold(token) in _HONORIFICS:
                name = _name_after(tokens, index + 1)
                if not name:
                    continue
                left = _left_words(tokens, _before_honorifics(tokens, index, -1), 4)
                if _is_personal_name(name):
                    head = _head(canonical_name(" ".join(name)))
                    introduced[head].add(fold(token))
                    if fold(token) != _PRESIDENT:
                        # الأمير، الملك، الشيخ، السلطان introduce persons only (الرئيس also
                        # heads verbs in headlines): one such honorific is enough.
                        introduced[head].add("")
                    if len(name) >= 3 and fold(name[1]) in _PATRONYMIC:
                        given_uses[fold(name[0])] += 1  # الأمير عبدالله بن ...: a given name
                if left and _is_personal_name(name):
                    titled.append((left, canonical_name(" ".join(name)), article))
                    start_of_ranks = _before_honorifics(tokens, index, -1)
                    long_titled.append(
                        (
                            _left_words(tokens, start_of_ranks, _MAX_APPOSED_WORDS),
                            titled[-1][1],
                            article,
                        )
                    )
                right = _right_words(tokens, _name_end(tokens, index + 1), _MAX_TITLE_WORDS + 1)
                if right and _is_personal_name(name):
                    titled_after.append((right[::-1], canonical_name(" ".join(name)), article))
                    if fold(right[0]) in _role_words():
                        # الرئيس رمضان أحمد قاديروف رئيس جمهورية الشيشان: a name between an
                        # honorific and a role is a person's, whatever its first word means
                        introduced[_head(titled_after[-1][1])].add(_ROLE_AFTER)
                patronymic = len(name) >= 3 and fold(name[1]) in _PATRONYMIC
                given[(fold(token), fold(name[0]))].append(" ".join(name[:3]) if patronymic else "")
    given_names = frozenset(w for w, n in given_uses.items() if n >= _MIN_GIVEN_USES)
    for left, name, article in run_on:
        if fold(name[0]) in given_names:
            titled.append((left, canonical_name(" ".join(name)), article))
    corpus_count = _CorpusCounts(folded_texts)
    pairs: list[tuple[str, str]] = []
    # «(الفيفا)» and «(فيفا)» are one acronym: the two spellings pooled are tried as well.
    pooled: dict[str, list[list[str]]] = defaultdict(list)
    for acronym, contexts in acronyms.items():
        bare = _without_article(acronym.split())
        if bare != acronym and bare in acronyms:
            pooled[bare] += contexts
    for bare, contexts in pooled.items():
        acronyms[bare] = acronyms[bare] + contexts
    for acronym, contexts in sorted(acronyms.items()):
        if len(acronym.split()) > 1 and any(fold(w).startswith("ال") for w in acronym.split()):
            continue  # a definite phrase in brackets (إعادة الأمل) is a name, no acronym
        if " " not in acronym and fold(acronym).endswith("يه"):
            continue  # a feminine adjective in brackets (تاريخية) qualifies, names nothing
        # A majority of the bracketed uses first; failing that, the phrase most uses share (a
        # bracket also follows a plain mention: أعضاء في «الفيفا»).
        for share in _EXPANSION_SHARES:
            expansion = _acronym_expansion(acronym, contexts, share)
            if expansion:
                pairs.append((acronym, expansion))
                break
        else:
            pairs += [
                pair
                for pair in _anchored_expansions(acronym, contexts, corpus_count)
                if pair not in pairs  # يونيسيف and اليونيسيف share their other expansions
            ]
    evidence: TitleEvidence = {}
    formers: FormerHolders = {}
    for uses, reverse in ((titled, False), (titled_after, True)):
        _title_evidence(
            uses,
            corpus_count,
            introduced,
            reverse=reverse,
            into=evidence,
            formers=formers,
            given_names=given_names,
        )
    runs_opening: dict[str, int] = defaultdict(int)
    for _, run, _article in titled + titled_after:
        for key, _opening in _openings(run):
            runs_opening[key] += 1
    count_texts = len(token_lists)
    pairs += _pick_titles(
        evidence,
        corpus_count,
        runs_opening,
        outlets=list(outlets) if outlets is not None else [str(i) for i in range(count_texts)],
        weights=_recency_weights(list(dates) if dates is not None else [""] * count_texts),
        formers=formers,
        late=late,
        thresholds=title_thresholds,
        countries=[country_key(c) for c in countries] if countries is not None else None,
    )
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    pairs += [
        (title, holder)
        for title, holder in _pick_chained_titles(token_lists, corpus_count)
        if _key(title, _tables()) not in seen
    ]
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    offices_named = {title_key(variant) for variant, _ in pairs} - {None}
    person_names = {
        name
        for _, name, _ in titled + titled_after
        if _is_person_evidence(name, introduced, corpus_count, given_names)
    }
    pairs += [
        (title, holder)
        for title, holder in _cooccurring_holders(
            evidence,
            [
                (name, a, name in person_names)
                for _, name, a in titled + titled_after
                # competitors: persons and runs opening as given names do (not منطقة القصيم)
                if name in person_names or _opens_with_given_name(name, corpus_count)
            ],
            folded_texts,
            token_lists,
            list(outlets) if outlets is not None else [str(i) for i in range(count_texts)],
            late.union(*formers.values()),
        )
        if _key(title, _tables()) not in seen and title_key(title) not in offices_named
    ]
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    offices_named = {title_key(variant) for variant, _ in pairs} - {None}
    pairs += [
        (title, holder)
        for title, holder in _pick_apposed_titles(
            long_titled,
            introduced,
            corpus_count,
            given_names,
            list(outlets) if outlets is not None else [str(i) for i in range(count_texts)],
        )
        if _key(title, _tables()) not in seen and title_key(title) not in offices_named
    ]
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    pairs += [
        (variant, name)
        for variant, name in _bracketed_full_names(token_lists)
        if _key(variant, _tables()) not in seen
    ]
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    pairs += [(v, n) for v, n in _pick_known_as(known_as) if _key(v, _tables()) not in seen]
    seen = {_key(variant, _tables()) for variant, _ in pairs}
    known_persons = {_person_identity(name) for name in person_names}
    pairs += [
        (k, n) for k, n in _pick_kunyas(kunyas, known_persons) if _key(k, _tables()) not in seen
    ]
    for (honorific, first), fulls in sorted(given.items()):
        named = [f for f in fulls if f]
        if len(named) < _MIN_EVIDENCE or len(named) < len(fulls) / 3:
            continue
        top = max(sorted(set(named)), key=named.count)
        if named.count(top) >= _MIN_SHARE * len(named):
            pairs.append((f"{honorific} {first}", canonical_name(top)))
    # a title with a former word (الرئيس السابق) names no present holder, by whatever pattern
    former = _FORMER_WORDS | _holder_words().get("former", frozenset())
    return [pair for pair in pairs if not any(fold(w) in former for w in pair[0].split())]


# A long title of one body's office right before its holder's name, often once or twice in
# a few days (الناطق الإعلامي بشرطة منطقة حائل الرائد سامي الشمري): too rare for the pooled
# thresholds of _pick_titles, and no office of a country. Such a phrase stands for the person
# when every use of it before a personal name names him.
_MAX_APPOSED_WORDS = 12  # المتحدث الرسمي للرئاسة العامة لهيئة الأمر بالمعروف والنهي عن المنكر
_MIN_APPOSED_WORDS = 3  # a shorter phrase (المتحدث الرسمي, مدير الشرطة) is every body's
_MIN_ONE_USE_WORDS = 4  # a phrase of three words (وزير حقوق الإنسان) needs two articles
# function words inside a title: مدير البرنامج في جامعة هارفارد, والنهي عن المنكر
_TITLE_FUNCTION_WORDS = frozenset({"في", "عن", "لدي"})


def _apposed_phrases(context: list[str]) -> list[list[str]]:
    """The phrases of a context before a name that open with an office word and end at the
    name (a glued و before the office dropped, ranks next to the name left out)."""
    words = list(context)
    while words and (
        fold(words[-1]) in _honorific_words() or "ال" + fold(words[-1]) in _honorific_words()
    ):
        words.pop()  # الرائد، المهندس، العقيد دكتور: the holder's rank, no part of the title
    if words and (
        fold(words[-1]) in STOPWORDS
        or is_role_word(words[-1])
        or fold(words[-1]) in _FORMER_WORDS | _holder_words().get("former", frozenset())
    ):
        return []
    phrases: list[list[str]] = []
    for index in range(len(words) - _MIN_APPOSED_WORDS + 1):
        first = words[index]
        deputies = _holder_words().get("deputy", frozenset())
        if fold(first).startswith("و") and _is_office_word(first[1:]):
            first = first[1:]  # رئيس اللجنة والمتحدث الرسمي: the second title opens at المتحدث
        elif not (_is_office_word(first) or fold(first) in deputies):
            continue
        before = fold(words[index - 1]) if index else ""
        if before and (_opens_longer_title(before) or before in deputies):
            continue  # مساعد المدير العام ...: part of a longer title, another person's
        rest = words[index + 1 :]
        if any(
            fold(w) in _honorific_words()
            or fold(w) in _HONORIFICS
            or (fold(w) in STOPWORDS and fold(w) not in _TITLE_FUNCTION_WORDS)
            or not fold(w).isalpha()
            for w in [first, *rest]
        ):
            continue  # a name, a clause or a figure inside: no title (الأمير خالد الفيصل مدير ...)
        phrases.append([first, *rest])
    return phrases


def _one_holder(name: str, other: str) -> bool:
    """Two names after one title name one person: equal keys, one the other's start (سعود بن
    عبدالله / سعود بن عبدالله بن ثنيان), or :func:`same_entity`."""
    if name_key(name) == name_key(other):
        return True
    short, long = sorted((_name_words(name), _name_words(other)), key=len)
    if len(short) >= 2 and long[: len(short)] == short:
        return True
    # أسامة بن أحمد / أسامة نقلي: one given name after one rare title, the run cut at a word
    # that is also a common one (نقلي)
    return _name_words(name)[:1] == _name_words(other)[:1] or same_entity(name, other)


def _pick_apposed_titles(
    apposed: list[tuple[list[str], str, int]],
    introduced: dict[str, set[str]],
    count: Callable[[str], int],
    given_names: frozenset[str],
    outlets: Sequence[str],
) -> list[tuple[str, str]]:
    """``(title, holder)`` for title phrases of three words or more written right before a
    personal name (:func:`_apposed_phrases`) that name one person in every use: in one
    article at least for four words or more, in two for three words, and in two outlets for
    an office of a country (رئيس الوزراء الكيني), whose holder changes and which
    :func:`_pick_titles` reads with its thresholds first."""
    uses: dict[tuple[str, ...], tuple[str, list[tuple[str, int]]]] = {}
    for context, name, article in apposed:
        if not _is_person_evidence(name, introduced, count, given_names):
            continue
        parts = [fold(w) for w in name.split()]
        if (
            len(parts) < 2
            or parts[0] in _NAME_LINKS
            or parts[-1] in _NAME_LINKS | {"ال"}
            or parts[0].startswith("ال")
            or parts[0] in STOPWORDS
            or not _is_personal_holder(name)
        ):
            continue  # a name cut at a link (بن عبدالله; ناصر بن) or a run of common words
        for phrase in _apposed_phrases(context):
            words = tuple(fold(w) for w in phrase)
            uses.setdefault(words, (" ".join(phrase), []))[1].append((name, article))
    picked: list[tuple[str, str]] = []
    for words, (written, named) in sorted(uses.items()):
        names = [name for name, _ in named]
        holder = max(sorted(set(names)), key=lambda n: (names.count(n), len(n.split())))
        if not all(_one_holder(n, holder) for n in set(names)):
            continue  # two persons after one phrase: a generic office
        holder = _with_family_name(holder, count, names)  # أسامة بن أحمد [نقلي]
        articles = len({article for _, article in named})
        if len(words) < _MIN_ONE_USE_WORDS and articles < 2:
            continue
        office = title_key(written)
        if office is not None and office[1] and len({outlets[a] for _, a in named}) < 2:
            continue
        if articles < 2 and count(" ".join(words)) < 2:
            continue  # a phrase written once: often a headline run into the text
        picked.append((written, holder))
    return picked


# «X المعروف بـ Y», «X أو ما يعرف بـ Y», «X المعروفة باسم Y»: Y is another name of X.
_KNOWN_AS = frozenset(
    fold(w) for w in ("المعروف", "المعروفة", "المعروفين", "المعروفون", "يعرف", "تعرف", "يسمى")
)
_KNOWN_AS_LINKS = frozenset({"ب", "باسم"})  # بـ folds to ب
_MAX_KNOWN_AS_WORDS = 4


def _known_as_pairs(tokens: list[str]) -> list[tuple[str, list[str]]]:
    """``(Y, words before the marker)`` for each «X المعروف بـ Y» in an article. Y is the quoted
    name after the link, else up to four name words stopped by punctuation, a function word or
    a title; «ما يعرف» counts only after «أو» or a comma-free name (X أو ما يعرف بـ Y), since
    alone it means «so-called» and names no X."""
    found: list[tuple[str, list[str]]] = []
    for index, token in enumerate(tokens):
        if fold(token) not in _KNOWN_AS or index + 2 >= len(tokens):
            continue
        end = index
        if not fold(token).startswith("ال"):  # يعرف، يسمى: only as «أو ما يعرف»
            if index < 2 or fold(tokens[index - 1]) != "ما" or fold(tokens[index - 2]) != "او":
                continue
            end = index - 2
        left = _left_words(tokens, end, 7)
        link = fold(tokens[index + 1])
        start = index + 2
        if link in _KNOWN_AS_LINKS:
            pass
        elif link.startswith("ب") and len(link) > 2 and _is_word(tokens[index + 1]):
            start = index + 1  # بداعش: the link glued to the name
        else:
            continue
        name: list[str] = []
        if start < len(tokens) and tokens[start] in '«"“':
            close = next(
                (j for j in range(start + 1, min(start + 7, len(tokens))) if tokens[j] in '»"”'),
                None,
            )
            name = tokens[start + 1 : close] if close else []
        else:
            for position in range(start, min(start + _MAX_KNOWN_AS_WORDS, len(tokens))):
                folded = fold(tokens[position])
                if not _is_word(tokens[position]) or folded in STOPWORDS:
                    break
                name.append(tokens[position])
        if name and start == index + 1:
            name = [name[0][1:], *name[1:]]
        if name and left and all(_is_word(w) for w in name):
            found.append((" ".join(name), left))
    return found


def _pick_known_as(found: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """``(Y, X)`` pairs of «X المعروف بـ Y» uses: X is the phrase the uses of Y share before the
    marker (:func:`_pick_span`, three uses, half agreeing), or the words from an institution
    noun before it when two uses agree; X must be an institution's name or a personal name
    and differ from Y."""
    contexts: dict[str, list[list[str]]] = defaultdict(list)
    written: dict[str, str] = {}
    for name, left in found:
        key = name_key(name)
        if key:
            contexts[key].append(left)
            written.setdefault(key, name)
    pairs: list[tuple[str, str]] = []
    for key, lefts in sorted(contexts.items()):
        picked = _pick_span(lefts, 1, _MAX_EXPANSION_WORDS, min_share=_EXPANSION_SHARES[0])
        other = picked[0] if picked is not None else ""
        if not other:
            anchored: dict[str, list[str]] = defaultdict(list)
            for words in lefts:
                for start in range(len(words) - 1):
                    if _opens_name_phrase(words[start:]) and _has_name_shape(words[start:]):
                        first, *rest = words[start:]
                        phrase = " ".join([drop_article_proclitics(first), *rest])
                        anchored[name_key(phrase)].append(phrase)
                        break
            best = max(sorted(anchored.values()), key=len, default=[])
            other = best[0] if len(best) >= _MIN_UNANIMOUS_EVIDENCE else ""
        words = other.split()
        if (
            other
            and (_is_institution_name(words) or _is_personal_name(words))
            and name_key(other) != key
            and not same_entity(other, written[key])
        ):
            pairs.append((written[key], other))
    return pairs


_KUNYA_HEADS = frozenset({"ابو", "ام"})  # أبو مازن, أم كلثوم (folded)
_MIN_KUNYA_ARTICLES = 2


def _name_before(words: list[str]) -> list[str]:
    """The personal name closing ``words`` (the words before a bracket): the longest run of
    two to four words with no title, function word or glued conjunction (الرئيس الفلسطيني
    محمود عباس -> محمود عباس; وأكد محمود عباس -> محمود عباس), or []."""
    for length in range(min(4, len(words)), 1, -1):
        run = words[-length:]
        folded = [fold(w) for w in run]
        if (
            not any(w in _title_words() or w in STOPWORDS for w in folded)
            and not is_glued_proclitic(run[0])
            and _is_personal_name(run)
        ):
            return run
    return []


def _kunya_pairs(tokens: list[str]) -> list[tuple[str, str]]:
    """``(kunya, full name)`` for each «محمود عباس (أبو مازن)» or «أبو مازن (محمود عباس)» of
    an article: a kunya (أبو or أم and one or two words) in brackets after a personal name, or
    a personal name in brackets after a kunya."""
    found: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if token != "(":
            continue
        close = next(
            (j for j in range(index + 1, min(index + 6, len(tokens))) if tokens[j] == ")"), None
        )
        inner = tokens[index + 1 : close] if close else []
        if not inner or not all(_is_word(w) for w in inner):
            continue
        left = _left_words(tokens, index, 6)
        if any(fold(w) in STOPWORDS for w in inner):
            continue  # «أبو شاهين من ...»: a phrase, no kunya
        if fold(inner[0]) in _KUNYA_HEADS and len(inner) in (2, 3):
            name = _name_before(left)
            if name:
                found.append((" ".join(inner), " ".join(name)))
        elif _name_before(inner) == inner and len(left) >= 2:
            for length in (3, 2):
                kunya = left[-length:]
                if (
                    len(kunya) == length
                    and fold(kunya[0]) in _KUNYA_HEADS
                    and not any(fold(w) in STOPWORDS for w in kunya)
                ):
                    found.append((" ".join(kunya), " ".join(inner)))
                    break
    return found


def _pick_kunyas(
    found: list[tuple[str, str, int]], persons: set[tuple[str, ...] | None]
) -> list[tuple[str, str]]:
    """``(kunya, full name)`` when a kunya is apposed to one person's name in two articles
    or more and 80% of its appositions name him (:func:`_person_identity`), a name the corpus
    names as a person's elsewhere (``persons``: not جد الطفلة, a description)."""
    names: dict[str, list[tuple[tuple[str, ...] | None, str, int]]] = defaultdict(list)
    written: dict[str, str] = {}
    for kunya, name, article in found:
        key = name_key(kunya)
        names[key].append((_person_identity(name), name, article))
        written.setdefault(key, kunya)
    pairs: list[tuple[str, str]] = []
    for key, uses in sorted(names.items()):
        identities = [identity for identity, _, _ in uses if identity is not None]
        if not identities:
            continue
        top = max(sorted(set(identities)), key=identities.count)
        if top not in persons:
            continue
        agreeing = [(name, article) for identity, name, article in uses if identity == top]
        if len({article for _, article in agreeing}) >= _MIN_KUNYA_ARTICLES and len(
            agreeing
        ) >= _MIN_SHARE * len(uses):
            full = [name for name, _ in agreeing]
            pairs.append(
                (written[key], max(sorted(set(full)), key=lambda n: (full.count(n), len(n))))
            )
    return pairs


@dataclass(frozen=True, slots=True)
class AliasMention:
    """One name as seen in an article; ``story`` is None when the article has no story yet."""

    name: str
    article: str
    story: str | None


@dataclass(frozen=True, slots=True)
class AliasCluster:
    """Mentions resolved to one entity; ``canonical`` is its longest canonical name."""

    canonical: str
    members: tuple[int, ...]  # indices of mentions in the order they were added


# Names recur from article to article (السعودية، خادم الحرمين الشريفين): their keys and
# canonical forms, pure functions of the written name given the tables, are computed once
# each (emptied with this module's other caches by _clear_caches).
NAME_CACHE = 1 << 16  # distinct names remembered per function
remembered_name_key = lru_cache(maxsize=NAME_CACHE)(name_key)
remembered_canonical_name = lru_cache(maxsize=NAME_CACHE)(canonical_name)


class AliasResolver:
    """Clusters name mentions across articles into entities.

    Full names join by :func:`name_key`. A bare surname joins the full name with that
    surname in the same article; failing that, in the same story; if two different full
    names with that surname are candidates (or none), it stays with other unresolved
    mentions of the same word. Different full names that share a surname never merge.
    """

    def __init__(self) -> None:
        self._mentions: list[AliasMention] = []

    def add(self, name: str, article: str, story: str | None = None) -> int:
        """Records a mention and returns its index."""
        self._mentions.append(AliasMention(name, article, story))
        return len(self._mentions) - 1

    @property
    def mentions(self) -> tuple[AliasMention, ...]:
        return tuple(self._mentions)

    def resolve(self) -> list[AliasCluster]:
        """Groups all mentions added so far into clusters (each mention in exactly one)."""
        keys = [remembered_name_key(m.name) for m in self._mentions]
        group_of: dict[int, str] = {}
        by_article: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        by_story: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for index, mention in enumerate(self._mentions):
            if not keys[index]:
                continue
            if _is_short(mention.name):
                continue
            group_of[index] = "full:" + keys[index]
            surname = _surname_key(mention.name)
            if surname:
                by_article[mention.article][surname].add(keys[index])
                if mention.story is not None:
                    by_story[mention.story][surname].add(keys[index])
        for index, mention in enumerate(self._mentions):
            if index in group_of or not keys[index]:
                continue
            candidates = by_article[mention.article].get(keys[index], set())
            if not candidates and mention.story is not None:
                candidates = by_story[mention.story].get(keys[index], set())
            if len(candidates) == 1:
                group_of[index] = "full:" + next(iter(candidates))
            else:
                group_of[index] = "short:" + keys[index]
        clusters: dict[str, list[int]] = defaultdict(list)
        for index in range(len(self._mentions)):
            clusters[group_of.get(index, f"none:{index}")].append(index)
        return [
            AliasCluster(
                canonical=max(
                    (remembered_canonical_name(self._mentions[i].name) for i in members), key=len
                ),
                members=tuple(members),
            )
            for members in clusters.values()
        ]


# --------------------------------------------------------------------------------------------
# Title phrases compared by office and country
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _holder_words() -> dict[str, frozenset[str]]:
    """Folded words of ``data/title_holders_ar.txt`` by section (deputy, former, dead, ...)."""
    return {
        section: frozenset(fold(entry) for entry in entries if "\t" not in entry)
        for section, entries in word_sections("title_holders_ar.txt").items()
    }


@lru_cache(maxsize=1)
def _office_synonyms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """``(variant words, standard words)`` of one office under two names, longest first."""
    pairs = []
    for entry in word_sections("title_holders_ar.txt").get("office_synonyms", []):
        variant, _, standard = entry.partition("\t")
        pairs.append((_bare_words(variant), _bare_words(standard)))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _bare_words(phrase: str) -> tuple[str, ...]:
    """Folded words without clitics and article (الرئيس -> رءيس, بالخارجية -> خارجيه)."""
    return tuple(strip_article_clitics(w).removeprefix("ال") for w in phrase.split()) or ("",)


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    """Folded stem of a country adjective (فرنس, امريك) -> its country key (one per country:
    الأمريكي and الأميركي give one)."""
    stems: dict[str, str] = {}
    for entry in word_sections("titles_ar.txt").get("country_adjectives", []):
        stem = fold(entry).removeprefix("ال").removesuffix("ي")
        # inner long vowels dropped, as transliterations vary there (امريك / اميرك)
        stems[stem] = stem[:1] + "".join(c for c in stem[1:-1] if c not in "اوي") + stem[-1:]
    return stems


def _opens_with_office(name: str) -> bool:
    """Whether a mention's first word is an office (الرئيس, وزير): only then may it be a title."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    return _is_office_word(first)


@lru_cache(maxsize=1 << 14)
def _is_office_word(word: str) -> bool:
    return _bare_words(word.strip(_PUNCT))[0] in _office_openers()


@lru_cache(maxsize=1)
def _office_openers() -> frozenset[str]:
    """Roles and state offices without the article (رءيس, ملك, وزير, امين) that open a title
    held by a person: not an institution (مجلس, هيءه, حكومه) nor an adjective (الاعلي)."""
    not_offices = (
        _institution_heads()
        | _nationality_forms()
        | _holder_words().get("not_offices", frozenset())
    )
    return frozenset(
        w.removeprefix("ال")
        for w in _role_words() | _state_offices() | {e.split()[0] for e in _listed_titles()}
        if w not in not_offices and w.removeprefix("ال") not in not_offices
    )


# Endings of a country's adjective (الفرنسي، الفرنسية) and of its name (فرنسا، سوريا، سورية،
# تركيا، العراق): the rest is the adjective's stem.
_COUNTRY_ENDINGS = ("يه", "يا", "ي", "ا", "ه", "")


@lru_cache(maxsize=1 << 12)
def country_key(word: str) -> str:
    """The country a word names, as its adjective or its name (الفرنسي, فرنسا, بالسعودية,
    سورية -> one key per country), or "" for any other word."""
    folded = strip_article_clitics(fold(word))
    stems = _country_keys()
    # بفرنسا, لسوريا: a preposition glued to a country's name without the article
    for bare in (folded.removeprefix("ال"), folded[1:] if folded[:1] in "وفبل" else ""):
        for ending in _COUNTRY_ENDINGS:
            if bare.endswith(ending) and len(bare) > len(ending):
                key = stems.get(bare[: len(bare) - len(ending)] if ending else bare)
                if key is not None:
                    return key
    return ""


@lru_cache(maxsize=1 << 14)
def title_key(phrase: str) -> tuple[tuple[str, ...], str] | None:
    """``(office, country)`` of a title phrase without a name, or None when it is none.

    The office is its words without article, clitics, function words or a state's official
    name around the country (رئيس الجمهورية الفرنسية -> رئيس, فرنسا), one name per office
    (العاهل -> ملك, رئيس الحكومة -> رئيس الوزراء); a coordinated second ministry is dropped
    (وزير البترول والثروة المعدنية -> وزير البترول). The country comes from its adjective or
    its name (وزير الخارجية السعودي = وزير الخارجية في المملكة العربية السعودية). Two
    countries (a visit, not an office) give None; so does a phrase not opening with an office.
    """
    written = _words(phrase)
    if not written or _bare_words(written[0])[0] not in _office_openers():
        return None  # most names: decided on the first word alone
    words = [w for w in (fold(w) for w in written) if w]
    state_words = _holder_words().get("state_words", frozenset())
    office: list[str] = []
    country = ""
    in_state_name = False
    for word in words:
        bare = strip_article_clitics(word).removeprefix("ال")
        found = country_key(word)
        if found:
            if country and country != found:
                return None
            country = found
            continue
        if word in STOPWORDS:
            continue
        if bare in _state_nouns() or word in state_words:
            in_state_name = True  # المملكة العربية السعودية: its nisbas name the state
            continue
        if in_state_name and _is_nisba(word):
            continue
        if office and word.startswith("و") and len(word) > 3 and word not in _role_words():
            break  # والثروة المعدنية: a second ministry joined to the first
        in_state_name = False
        body = _without_lam(bare)
        if office and body in _descriptor_words()[1] and body != bare:
            continue  # لمنظمة أوبك = لأوبك: the noun of a body's kind before its name
        if office and bare.startswith("ل") and is_glued_proclitic(bare):
            bare = bare[1:]  # لأوبك: the body's name without the preposition
        office.append(bare)
    # نائب المستشارة: the office after the deputy words is named as the principal's is
    deputy = 0
    while deputy < len(office) and office[deputy] in _holder_words().get("deputy", frozenset()):
        deputy += 1
    for variant, standard in _office_synonyms():
        if tuple(office[deputy : deputy + len(variant)]) == variant:
            office = [*office[:deputy], *standard, *office[deputy + len(variant) :]]
            break
    return (tuple(office), country) if office else None
