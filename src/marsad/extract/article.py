"""Everything the extract stage finds in one article: entities, statements, numbers.

Entity mentions of one article are resolved together, so a bare surname (بوتين) takes
the full name it stands for (فلاديمير بوتين) when the article gives it; ``key`` is the
spelling- and transliteration-insensitive identity used to merge entities across
articles and outlets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache

from marsad.data import load_text
from marsad.extract.aliases import (
    NAME_CACHE,
    AliasResolver,
    remembered_canonical_name,
    remembered_name_key,
    without_name_proclitic,
)
from marsad.extract.ner import Entity, Tagger, load_tagger
from marsad.extract.numbers import NumberMention, extract_numbers
from marsad.extract.quotes import Statement, extract_statements
from marsad.extract.speaker_entities import snap_speakers
from marsad.models import Token
from marsad.text import arabic
from marsad.text.dates import DateMention, find_dates


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A named entity mention with its resolved canonical name and merge key."""

    label: str
    text: str
    start: int
    end: int
    canonical: str
    key: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extract stage found in one article body (stored once, read by comparison)."""

    entities: tuple[EntityMention, ...]
    statements: tuple[Statement, ...]
    numbers: tuple[NumberMention, ...]
    dates: tuple[DateMention, ...] = ()  # resolved against the publication day


# Texts tagged in one call of the tagger: batching articles lets the BiLSTM run and the
# Viterbi decoding share their per-call cost among many articles' sentences (a call per
# article cost about as much as tagging 24 more padded tokens, and decoding steps per
# longest sentence), while memory stays bounded by the tagger's own token batches.
TAG_TEXTS = 64


def tag_entities(
    texts: Sequence[str],
    tokens: Sequence[Sequence[Token]] | None = None,
    *,
    tagger: Tagger | None = None,
) -> list[list[Entity]]:
    """The tagger's entities of several article bodies, tagged TAG_TEXTS at a time.

    The same entities as tagging each text alone (``Tagger.entities``): each sentence is
    scored and decoded on its own, only in shared batches.
    """
    model = tagger or load_tagger()
    found: list[list[Entity]] = []
    for first in range(0, len(texts), TAG_TEXTS):
        part = None if tokens is None else tokens[first : first + TAG_TEXTS]
        found += model.entities_many(texts[first : first + TAG_TEXTS], part)
    return found


# Names recur from article to article: their keys and canonical forms are remembered, in
# one cache with the alias resolver's.
_name_key = remembered_name_key
_canonical_name = remembered_canonical_name


def entity_key(label: str, name: str) -> str:
    """Merge key of an entity: its type and the variant-folded canonical name."""
    return f"{label}:{_name_key(name)}"


def _with_full_speakers(
    statements: Sequence[Statement], full_names: Iterable[str]
) -> list[Statement]:
    """A speaker named by surname alone (لافروف) takes the article's full name for him
    (سيرغي لافروف) when exactly one person of the article has that surname."""
    by_surname: dict[str, set[str]] = {}
    for name in full_names:
        words = name.split()
        if len(words) >= 2:
            by_surname.setdefault(_name_key(words[-1]), set()).add(name)
    if not by_surname:
        return list(statements)
    resolved = []
    for statement in statements:
        speaker = _canonical_name(statement.speaker_resolved)
        names = by_surname.get(_name_key(speaker), set()) if len(speaker.split()) == 1 else set()
        if len(names) == 1:
            statement = replace(statement, speaker_resolved=next(iter(names)))
        resolved.append(statement)
    return resolved


@cache
def _not_names() -> frozenset[str]:
    raw = load_text("not_names_ar.txt")
    words = [line.strip() for line in raw.splitlines()]
    kept = [w for w in words if w and not w.startswith(("#", "["))]
    return frozenset([*map(arabic.fold, kept), *map(_bare, kept)])


def _bare(word: str) -> str:
    """Folded, without a leading و ف ب ك ل or the article (بالدولار -> دولار)."""
    folded = arabic.strip_article_clitics(word)
    return folded[2:] if folded.startswith("ال") and len(folded) > 4 else folded


@lru_cache(maxsize=NAME_CACHE)
def without_proclitic(text: str) -> str:
    """A mention without the conjunction or preposition glued to its first word, in its own
    spelling: ``بالسعودية`` -> ``السعودية``, ``بجدة`` -> ``جدة``, ``وإياد علاوي`` -> ``إياد
    علاوي``; ``وليد`` and ``بدر`` stay (the corpus's surface counts say they are words of their
    own: :func:`marsad.extract.aliases.is_glued_proclitic`)."""
    return without_name_proclitic(text)


@cache
def _place_nouns() -> frozenset[str]:
    return frozenset(map(arabic.fold, arabic.word_sections("not_names_ar.txt")["place_nouns"]))


def _after_place_noun(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a place noun (مدينة مشهد: a city, not a scene)."""
    before = text[max(0, start - 20) : start].split()
    return bool(before) and arabic.fold(before[-1]) in _place_nouns()


@lru_cache(maxsize=NAME_CACHE)
def is_not_a_name(text: str) -> bool:
    """True for a one-word mention that is God's name in a formula or a currency."""
    words = text.split()
    if len(words) != 1:
        return False
    return arabic.fold(words[0]) in _not_names() or _bare(words[0]) in _not_names()


def extract(
    text: str,
    tokens: Sequence[Token] | None = None,
    *,
    tagger: Tagger | None = None,
    published: date | None = None,
    entities: Sequence[Entity] | None = None,
) -> Extraction:
    """Run NER, alias resolution, statement and number extraction over one body, and
    resolve its date expressions against ``published`` (none without it).

    Args:
        text: the article body.
        tokens: ``arabic.tokenize(text)``, when the caller has it.
        tagger: the NER model (the shipped one by default).
        published: the publication day, for resolving dates.
        entities: the tagger's entities of ``text``, when the caller tagged it already
            together with other texts (:func:`tag_entities`); else it is tagged here.
    """
    found = (tagger or load_tagger()).entities(text, tokens) if entities is None else entities
    people = [e for e in found if e.label == "PERS"]
    resolver = AliasResolver()
    for entity in people:
        resolver.add(without_proclitic(entity.text), "article")
    canonical_of: dict[int, str] = {}
    for cluster in resolver.resolve():
        for member in cluster.members:
            canonical_of[member] = cluster.canonical
    mentions = []
    person_index = 0
    for entity in found:
        if entity.label == "PERS":
            canonical = canonical_of.get(person_index) or _canonical_name(
                without_proclitic(entity.text)
            )
            person_index += 1
        else:
            canonical = without_proclitic(entity.text)
        key = entity_key(entity.label, canonical)
        if key.endswith(":") or (
            is_not_a_name(entity.text) and not _after_place_noun(text, entity.start)
        ):
            continue  # nothing left after stripping titles, or God's name, a currency
        mentions.append(
            EntityMention(entity.label, entity.text, entity.start, entity.end, canonical, key)
        )
    full_names = {m.canonical for m in mentions if m.label == "PERS"}
    return Extraction(
        entities=tuple(mentions),
        statements=tuple(
            _with_full_speakers(snap_speakers(text, extract_statements(text), found), full_names)
        ),
        numbers=tuple(extract_numbers(text, list(tokens) if tokens is not None else None)),
        dates=tuple(find_dates(text, published)) if published is not None else (),
    )
