"""Framing: which contested name each outlet uses for each actor.

The lexicon (``data/framing_ar.json``, documented in ``data/FRAMING.md``) groups terms by
the actor they name (the Syrian army: الجيش السوري, الجيش العربي السوري, قوات النظام ...) and
gives each a stance (neutral, pejorative, sympathetic, official). Terms and text are both
tokenized by :func:`marsad.text.arabic.tokenize`, so spelling variants (ک/ك, ی/ي, hamza
forms) and proclitics (وللجيش، بقوات) match; a term word written with the article must be
written with it in the text too (المعارضة, not معارضة تركيا). At each position the longest
term wins, so قوات النظام السوري counts for the army and not for the government.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marsad.compare.facts import CACHE_SIZE, text_tokens
from marsad.data import load_json
from marsad.models import Token
from marsad.text.arabic import fold, tokenize

STANCES = ("neutral", "pejorative", "sympathetic", "official")
_ARTICLES = ("ال", "لل")  # how the article appears before a word once proclitics are split
_CONJUNCTION = "و"  # a detached و (الجيش السوري و حلفاؤه) is skipped when matching


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry."""

    group: str
    term: str  # display form, as the lexicon writes it
    stance: str
    note: str


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Terms that name one actor."""

    id: str
    label: str
    label_ar: str
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class _Pattern:
    term: Term
    words: tuple[str, ...]  # MATCH token texts
    definite: tuple[bool, ...]  # word written with the article in the lexicon
    not_after: frozenset[str]
    not_before: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The framing lexicon, compiled for matching."""

    groups: tuple[ActorGroup, ...]
    by_first_word: dict[str, tuple[_Pattern, ...]]  # longest pattern first


@dataclass(frozen=True, slots=True, kw_only=True)
class TermHit:
    """A lexicon term found in a text; ``text[start:end]`` is the term as written."""

    term: Term
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TermUse:
    """How often one outlet used one term, and where first."""

    term: Term
    count: int
    article: int
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletFraming:
    """The terms one outlet used for one actor, most used first."""

    outlet: str
    uses: tuple[TermUse, ...]

    @property
    def total(self) -> int:
        """All mentions of the actor by this outlet."""
        return sum(use.count for use in self.uses)


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupFraming:
    """One actor as named by each outlet that named it."""

    group: ActorGroup
    outlets: tuple[OutletFraming, ...]

    @property
    def contested(self) -> bool:
        """Outlets differ in the terms or stances they chose."""
        choices = {frozenset(use.term.term for use in o.uses) for o in self.outlets}
        return len(choices) > 1


def _has_article(written: str, word: str) -> bool:
    """Whether a folded written word carries the article before its MATCH form ``word``."""
    return not word.startswith("ال") and any(written.endswith(a + word) for a in _ARTICLES)


def _match_forms(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """MATCH words of a lexicon phrase and whether each is written with the article."""
    tokens = [t for t in tokenize(text) if t.text != _CONJUNCTION]
    words = tuple(t.text for t in tokens)
    definite = tuple(_has_article(fold(text[t.start : t.end]), t.text) for t in tokens)
    return words, definite


def _context_words(words: Sequence[str]) -> frozenset[str]:
    return frozenset(t.text for w in words for t in tokenize(w))


def descriptor_terms(
    descriptors: Sequence[dict[str, Any]], names: dict[str, Sequence[str]]
) -> list[dict[str, Any]]:
    """Lexicon entries for descriptor + name phrases of one group, in the terms' format.

    A descriptor such as المتمردين or ميليشيا carries its stance into any phrase naming a
    group with it (المتمردين الحوثيين, ميليشيا الحوثي): the stance belongs to the kind of
    phrase, not to one listed example. One entry per descriptor; the first adjective form
    names it, every other pairing is a variant.

    Args:
        descriptors: the lexicon's ``descriptors`` (stance, note, before_adjective, before_noun).
        names: the group's ``descriptor_names`` (``adjective`` and ``noun`` forms).
    """
    entries = []
    for descriptor in descriptors:
        phrases = [
            f"{word} {name}"
            for kind, before in (("adjective", "before_adjective"), ("noun", "before_noun"))
            for word in descriptor.get(before, ())
            for name in names.get(kind, ())
        ]
        if phrases:
            entries.append(
                {
                    "term": phrases[0],
                    "stance": descriptor["stance"],
                    "note": descriptor.get("note", ""),
                    "variants": phrases[1:],
                    "generated": True,
                }
            )
    return entries


def parse_lexicon(raw: dict[str, Any]) -> Lexicon:
    """Compiles a lexicon in the ``framing_ar.json`` format.

    Groups with ``descriptor_names`` also get the descriptor + name phrases of
    :func:`descriptor_terms`; a phrase the group lists itself keeps its own entry.

    Raises:
        ValueError: a term has an unknown stance or is listed twice.
    """
    groups: list[ActorGroup] = []
    patterns: dict[str, list[_Pattern]] = {}
    seen: dict[tuple[str, ...], str] = {}
    descriptors = raw.get("descriptors", ())
    for group in raw["groups"]:
        terms: list[Term] = []
        generated = descriptor_terms(descriptors, group.get("descriptor_names", {}))
        for entry in (*group["terms"], *generated):
            if entry["stance"] not in STANCES:
                raise ValueError(f"framing lexicon: {entry['term']}: unknown stance")
            term = Term(group["id"], entry["term"], entry["stance"], entry.get("note", ""))
            if not (entry.get("generated") and _match_forms(entry["term"])[0] in seen):
                terms.append(term)
            for written in (entry["term"], *entry.get("variants", ())):
                words, definite = _match_forms(written)
                if words in seen and entry.get("generated"):
                    continue  # the group lists this phrase itself: its own entry stands
                if words in seen:
                    raise ValueError(f"framing lexicon: {written}: also listed under {seen[words]}")
                seen[words] = term.term
                pattern = _Pattern(
                    term,
                    words,
                    definite,
                    _context_words(entry.get("not_after", ())),
                    _context_words(entry.get("not_before", ())),
                )
                patterns.setdefault(words[0], []).append(pattern)
        groups.append(ActorGroup(group["id"], group["label"], group["label_ar"], tuple(terms)))
    return Lexicon(
        groups=tuple(groups),
        by_first_word={
            word: tuple(sorted(found, key=lambda p: -len(p.words)))
            for word, found in patterns.items()
        },
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, ``data/framing_ar.json``."""
    return parse_lexicon(load_json("framing_ar.json"))


def _matches(
    pattern: _Pattern, text: str, tokens: Sequence[Token], index: int, previous: str
) -> bool:
    end = index + len(pattern.words)
    if end > len(tokens) or previous in pattern.not_after:
        return False
    for offset, (word, definite) in enumerate(zip(pattern.words, pattern.definite, strict=True)):
        token = tokens[index + offset]
        if token.text != word:
            return False
        if definite and not _has_article(fold(text[token.start : token.end]), word):
            return False
    following = tokens[end].text if end < len(tokens) else ""
    return following not in pattern.not_before


def find_terms(
    text: str, tokens: Sequence[Token] | None = None, lex: Lexicon | None = None
) -> list[TermHit]:
    """Finds lexicon terms in a text, longest first, without overlaps.

    Args:
        text: an article body (DISPLAY form).
        tokens: its tokens, when already computed.
        lex: a lexicon; the shipped one by default.

    Returns:
        Hits in text order.
    """
    lex = lex or lexicon()
    words = [
        t for t in (tokens if tokens is not None else tokenize(text)) if t.text != _CONJUNCTION
    ]
    hits: list[TermHit] = []
    index = 0
    while index < len(words):
        candidates = lex.by_first_word.get(words[index].text, ())
        previous = words[index - 1].text if index else ""
        for pattern in candidates:
            if _matches(pattern, text, words, index, previous):
                last = words[index + len(pattern.words) - 1]
                hits.append(TermHit(term=pattern.term, start=words[index].start, end=last.end))
                index += len(pattern.words)
                break
        else:
            index += 1
    return hits


@lru_cache(maxsize=CACHE_SIZE)
def _body_hits(body: str) -> tuple[TermHit, ...]:
    return tuple(find_terms(body, text_tokens(body).tokens))


def story_framing(articles: Sequence[tuple[int, str, str]]) -> list[GroupFraming]:
    """The terms each outlet used for each actor named in a story.

    Args:
        articles: ``(article id, outlet, body)`` of every article, copies included (an
            outlet that republishes a text adopts its words).

    Returns:
        Actor groups named in the story, in lexicon order; outlets by mentions, most first.
    """
    counts: Counter[tuple[str, str, Term]] = Counter()  # (group id, outlet, term)
    firsts: dict[tuple[str, str, Term], tuple[int, int, int]] = {}
    for article, outlet, body in articles:
        for hit in _body_hits(body):
            key = (hit.term.group, outlet, hit.term)
            counts[key] += 1
            firsts.setdefault(key, (article, hit.start, hit.end))
    uses: dict[str, dict[str, list[TermUse]]] = {}  # group id -> outlet -> uses
    for key, count in counts.items():
        group_id, outlet, term = key
        article, start, end = firsts[key]
        use = TermUse(term=term, count=count, article=article, start=start, end=end)
        uses.setdefault(group_id, {}).setdefault(outlet, []).append(use)
    result: list[GroupFraming] = []
    for actor in lexicon().groups:
        if actor.id not in uses:
            continue
        outlets = [
            OutletFraming(
                outlet=outlet, uses=tuple(sorted(found, key=lambda u: (-u.count, u.term.term)))
            )
            for outlet, found in uses[actor.id].items()
        ]
        outlets.sort(key=lambda o: (-o.total, o.outlet))
        result.append(GroupFraming(group=actor, outlets=tuple(outlets)))
    return result
