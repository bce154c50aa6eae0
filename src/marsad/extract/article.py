"""Everything the extract stage finds in one article: entities, statements, numbers.

Entity mentions of one article are resolved together, so a bare surname (بوتين) takes
the full name it stands for (فلاديمير بوتين) when the article gives it; ``key`` is the
spelling- and transliteration-insensitive identity used to merge entities across
articles and outlets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.extract.aliases import AliasResolver, canonical_name, name_key
from marsad.extract.ner import Tagger, load_tagger
from marsad.extract.numbers import NumberMention, extract_numbers
from marsad.extract.quotes import Statement, extract_statements
from marsad.models import Token


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
    """What the extract stage found in one article body."""

    entities: tuple[EntityMention, ...]
    statements: tuple[Statement, ...]
    numbers: tuple[NumberMention, ...]


def entity_key(label: str, name: str) -> str:
    """Merge key of an entity: its type and the variant-folded canonical name."""
    return f"{label}:{name_key(name)}"


def extract(
    text: str, tokens: Sequence[Token] | None = None, *, tagger: Tagger | None = None
) -> Extraction:
    """Run NER, alias resolution, statement and number extraction over one body."""
    found = (tagger or load_tagger()).entities(text, tokens)
    people = [e for e in found if e.label == "PERS"]
    resolver = AliasResolver()
    for entity in people:
        resolver.add(entity.text, "article")
    canonical_of: dict[int, str] = {}
    for cluster in resolver.resolve():
        for member in cluster.members:
            canonical_of[member] = cluster.canonical
    mentions = []
    person_index = 0
    for entity in found:
        if entity.label == "PERS":
            canonical = canonical_of.get(person_index) or canonical_name(entity.text)
            person_index += 1
        else:
            canonical = entity.text
        key = entity_key(entity.label, canonical)
        if key.endswith(":"):
            continue  # nothing left after stripping titles
        mentions.append(
            EntityMention(entity.label, entity.text, entity.start, entity.end, canonical, key)
        )
    return Extraction(
        entities=tuple(mentions),
        statements=tuple(extract_statements(text)),
        numbers=tuple(extract_numbers(text, list(tokens) if tokens is not None else None)),
    )
