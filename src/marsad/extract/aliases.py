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

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.arabic import STOPWORDS, fold, word_sections

_PUNCT = " \t\n,.;:!?\"'«»“”„()[]-–—،؛؟…"
_PATRONYMIC = frozenset({"بن", "ابن", "بنت"})
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابي"})  # first word of a two-word given name
_SPLIT_RE = re.compile(r"[\s,،]+")
_QUOTED_RE = re.compile(r'[«"“]([^«»"“”]+)[»"”]')


@dataclass(frozen=True, slots=True)
class _Tables:
    titles: frozenset[str]  # folded single words of titles, roles and nationality adjectives
    letter_map: dict[int, str]
    vowels: frozenset[str]
    native: frozenset[str]
    aliases: dict[str, str]  # name key of a variant -> canonical name


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
    )
    for row in word_sections("aliases_ar.tsv").get("", []):
        variant, canonical = row.split("\t")
        tables.aliases[_key(_strip_titles(variant), tables)] = canonical.strip()
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
    """The words after the last title/role word, or [] when the phrase ends with one."""
    for index in range(len(words) - 1, -1, -1):
        if fold(words[index]) in titles:
            return words[index + 1 :]
    return words


def _leading_name(words: list[str]) -> list[str]:
    """Two to four name words that open the phrase and are followed directly by a role."""
    for index in range(2, min(4, len(words) - 1) + 1):
        if fold(words[index]) in _role_words():
            lead = words[:index]
            if _looks_like_name(lead) and not any(fold(w) in _title_words() for w in lead):
                return lead
            return []
    return []


def _after_complements(words: list[str]) -> list[str]:
    """Drops the definite complements after a role (مؤلف الدراسة دومينيك -> دومينيك)."""
    index = 0
    while (
        index < len(words)
        and fold(words[index]).startswith("ال")
        and fold(words[index]) not in STOPWORDS
    ):
        index += 1
    return words[index:] if index < len(words) else words


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
        if _looks_like_name(run[:4]):
            return run[:4]
    return []


def _looks_like_name(words: list[str]) -> bool:
    """1-5 words, no function word, not opening with the article (not الخارجية الروسية)."""
    return (
        0 < len(words) <= 5
        and not fold(words[0]).startswith("ال")
        and not any(fold(w) in STOPWORDS for w in words)
    )


def _strip_titles(name: str) -> str:
    """Removes titles and roles, keeping the personal name (see :func:`canonical_name`)."""
    titles = _title_words()
    segments = [_words(part) for part in re.split(r"[,،]", name)]
    segments = [s for s in segments if s]
    if not segments:
        return ""
    has_title = [any(fold(w) in titles for w in s) for s in segments]
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


def _word_key(word: str, tables: _Tables) -> str:
    folded = fold(word)
    if folded in tables.native:
        return folded.translate(tables.letter_map)
    if len(folded) > 2 and folded[-1] == "ه":
        folded = folded[:-1] + "ا"  # أستانة / أستانا
    mapped = folded.translate(tables.letter_map)
    if len(mapped) <= 2:
        return mapped
    inner = "".join(ch for ch in mapped[1:-1] if ch not in tables.vowels)
    return mapped[0] + inner + mapped[-1]


def _key(name: str, tables: _Tables) -> str:
    return "".join(_word_key(w, tables) for w in _words(name))


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
    stripped = _strip_titles(name)
    alias = tables.aliases.get(_key(stripped, tables))
    if alias is None:
        # A name with its acronym in quotes (هيئة الإذاعة البريطانية «بي بي سي»): either part.
        quoted = _QUOTED_RE.search(name.rstrip())
        if quoted is not None and quoted.end() == len(name.rstrip()):
            alias = tables.aliases.get(_key(quoted.group(1), tables))
    return alias or stripped


def name_key(name: str) -> str:
    """A key equal for spelling and transliteration variants of one name.

    Titles are stripped first, so ``الرئيس بوتين`` and ``بوتين`` share a key; spaces are
    ignored (``عبد الله`` / ``عبدالله``).
    """
    return "".join(_word_keys(name))


def _word_keys(name: str) -> list[str]:
    """Per-word keys of a canonical name, patronymic links (بن أحمد) inside it dropped."""
    tables = _tables()
    words = _words(canonical_name(name))
    kept: list[str] = []
    index = 0
    while index < len(words):
        folded = fold(words[index])
        # عادل بن أحمد الجبير = عادل الجبير; a final بن X (محمد بن سلمان) is the name itself.
        if folded in _PATRONYMIC and index > 0:
            skip = 3 if index + 1 < len(words) and fold(words[index + 1]) in _COMPOUND_HEADS else 2
            if index + skip < len(words):
                index += skip
                continue
        kept.append(_word_key(words[index], tables))
        index += 1
    return kept


def _surname_key(name: str) -> str | None:
    """Key of the last word of a multi-word canonical name, unless it is a father's name."""
    words = _words(canonical_name(name))
    if len(words) < 2 or fold(words[-2]) in _PATRONYMIC:
        return None
    return _word_key(words[-1], _tables())


def _is_short(name: str) -> bool:
    return len(_words(canonical_name(name))) == 1


def same_entity(a: str, b: str) -> bool:
    """Pairwise decision: do two mentions name the same entity, with no other context?

    True when their keys are equal, or one is the other's family name (بوتين / فلاديمير
    بوتين; دي ميستورا / ستيفان دي ميستورا). A father's name (سلمان in محمد بن سلمان) is not a
    family name, and a patronymic inside a name is ignored (عادل بن أحمد الجبير).
    """
    keys_a, keys_b = _word_keys(a), _word_keys(b)
    if not keys_a or not keys_b:
        return False
    if "".join(keys_a) == "".join(keys_b):
        return True
    short, full = (keys_a, b) if len(keys_a) < len(keys_b) else (keys_b, a)
    long_keys = keys_b if short is keys_a else keys_a
    if len(short) == len(long_keys) or long_keys[-len(short) :] != short:
        return False
    full_words = _words(canonical_name(full))
    before = full_words[-len(short) - 1] if len(full_words) > len(short) else ""
    return fold(before) not in _PATRONYMIC


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
        keys = [name_key(m.name) for m in self._mentions]
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
                canonical=max((canonical_name(self._mentions[i].name) for i in members), key=len),
                members=tuple(members),
            )
            for members in clusters.values()
        ]
