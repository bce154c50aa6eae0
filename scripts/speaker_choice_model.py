"""A learned choice among candidate speakers of each statement (issue 19): an experiment,
not shipped (session 26: out of fold it never beat the rules; session 27, with wider
candidates, boosted trees beat them out of fold by about 12 of 1,698 statements but cost
about 3.5 ms per article on top of the statements; see README "Learned speaker choice").

The statement rules (:mod:`marsad.extract.quotes`, then
:mod:`marsad.extract.speaker_entities`) credit each statement to one speaker. That choice
is one candidate among several the article offers: the phrase as written at the cue, the
speakers of the statements before it, the tagged people and organisations of its sentence
and of the three before it, the article's first-named person and organisation; and since
session 27 (``wide``) every tagged name before it and every earlier speaker, cuts of the
rules' phrase at each word, the phrase extended by the words of its clause where it is
written, and the latest tagged organisation or person a short reference's head may stand
for, with features crossed with what looks wrong with the rules' phrase. Candidates
naming the rules' entity in other words (its surname, its name inside the rules' phrase)
are folded into the rules' candidate. Each candidate is described by features (is it the
rules' choice, how far back it is named, its NER type, whether the rules' phrase is tagged
or made of ordinary words, whether a nominal back-reference of the rules' phrase shares
its head noun, whether a feminine cue verb meets a feminine name, ...) and scored by a
model fit on the labelled development statements (``scripts/train_speaker_choice.py``,
cross-validated by day). The rules' speaker is replaced only where the best candidate's
score beats the rules' by the model's margin.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.extract.aliases import NAME_CACHE, is_role_word, is_title_word, without_name_proclitic
from marsad.extract.aliases import same_entity as _same_entity
from marsad.extract.quotes import (
    Statement,
    is_ordinary_word,
    is_organisation_head,
    is_person_reference,
    split_speaker,
)
from marsad.extract.quotes import speaker_canonical as _speaker_canonical
from marsad.extract.speaker_entities import NamedSpan
from marsad.text.arabic import STOPWORDS, fold, sentence_spans

# Names recur within and across articles: their canonical forms and pairings are remembered.
speaker_canonical = lru_cache(maxsize=NAME_CACHE)(_speaker_canonical)
same_entity = lru_cache(maxsize=NAME_CACHE)(_same_entity)
SPEAKER_LABELS = frozenset(("PERS", "ORG"))
SENTENCES_BACK = 3  # tagged names of the statement's sentence and of this many before it
ADJACENT_GAP = 3  # characters between a rule phrase and a name set off right after it
EARLIER_SPEAKERS = 3  # distinct speakers of the statements before, most recent first
_TRIM = ' \t\n,.;:،؛-–—"«»“”()'
_FEMININE_CUE_ENDINGS = ("ت", "ه")  # قالت، أضافت؛ مؤكدة، مشيرة (folded ة is ه)
MAX_CUT_WORDS = 10  # a longer rule phrase is a clause, not a name run long
MAX_EXTENSION_WORDS = 2  # words of the clause added to a rule phrase
MAX_REFERENCE_WORDS = 2  # الشركة، المبعوث الأممي: a longer phrase describes, not refers
MAX_PLACES = 4  # places the rules' phrase is written that are read for a fuller name
_CLAUSE_BREAKS = frozenset(',،.;؛:!?؟()«»"“”\n')


@dataclass(slots=True)
class Candidate:
    """One possible speaker of a statement: the phrase a statement would store as its
    resolved speaker, its canonical form, and the features the model scores."""

    resolved: str
    canonical: str
    features: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, value: float = 1.0) -> None:
        """Sets a feature, keeping the larger value where two sources give it."""
        self.features[name] = max(value, self.features.get(name, 0.0))


@dataclass(frozen=True, slots=True)
class _Mention:
    resolved: str
    canonical: str
    key: str
    label: str
    start: int
    end: int


def _key(canonical: str) -> str:
    return " ".join(fold(w).strip(_TRIM) for w in canonical.split())


def _head(phrase: str) -> str:
    """First word of a phrase, folded, without a conjunction and the article: الوزارة and
    وزارة الداخلية share the head ``وزاره``."""
    words = phrase.split()
    if not words:
        return ""
    word = fold(words[0]).strip(_TRIM)
    if word.startswith(("وال", "فال", "بال", "لل")) and len(word) > 5:
        word = word[1:] if not word.startswith("لل") else "ال" + word[2:]
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _is_feminine_cue(cue: str) -> bool:
    word = fold(cue).strip(_TRIM)
    if word.startswith(("و", "ف")) and len(word) > 3:
        word = word[1:]
    return word.endswith(_FEMININE_CUE_ENDINGS)


def _is_feminine_name(canonical: str) -> bool:
    """An organisation or a reference whose head is feminine (وزارة، الشرطة، هيئة)."""
    head = _head(canonical)
    return head.endswith(("ه", "ات"))


def _quality(canonical: str, labels: dict[str, str]) -> dict[str, float]:
    """What makes a phrase a likely speaker or not, read from its words: tagged as a person,
    an organisation or a place; one word; words with no name evidence; a role, a person
    reference or an organisation head first."""
    words = canonical.split()
    if not words:
        return {"empty": 1.0}
    label = labels.get(_key(canonical), "")
    ordinary = sum(is_ordinary_word(word) for word in words) / len(words)
    return {
        "tag_" + label.lower(): 1.0 if label else 0.0,
        "untagged": 0.0 if label else 1.0,
        "one_word": float(len(words) == 1),
        "ordinary": ordinary,
        "role_first": float(is_role_word(words[0]) or is_title_word(words[0])),
        "reference_first": float(is_person_reference(words[0])),
        "org_head_first": float(is_organisation_head(words[0])),
    }


def _titled(text: str, start: int) -> bool:
    before = text[max(0, start - 30) : start].split()
    return bool(before) and (is_title_word(before[-1]) or is_role_word(before[-1]))


def _mentions(text: str, entities: Sequence[NamedSpan]) -> list[_Mention]:
    found = []
    for entity in entities:
        if entity.label not in SPEAKER_LABELS:
            continue
        resolved = without_name_proclitic(entity.text).strip(_TRIM)
        canonical = speaker_canonical(resolved) if resolved else ""
        if canonical:
            found.append(
                _Mention(
                    resolved, canonical, _key(canonical), entity.label, entity.start, entity.end
                )
            )
    return found


def speaker_candidates(
    text: str,
    statements: Sequence[Statement],
    entities: Sequence[NamedSpan],
    *,
    wide: bool = True,
) -> list[list[Candidate]]:
    """The candidate speakers of each statement, the rules' choice first.

    Candidates naming the same canonical form are one candidate with the features of all
    its sources. ``wide`` (session 27) adds every tagged name before the statement and every
    earlier speaker, cuts and extensions of the rules' phrase, and the latest tagged
    organisation or person a short reference's head noun may stand for
    (:func:`_widen`); without it the candidates are session 26's.
    """
    sentences = sentence_spans(text)
    starts = [start for start, _ in sentences]

    def sentence_of(position: int) -> int:
        return max(0, bisect_right(starts, position) - 1)

    mentions = _mentions(text, entities)
    folded_text = fold(text) if wide else ""  # folding keeps offsets
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.key] = counts.get(mention.key, 0) + 1
    first_of = {}
    for mention in mentions:
        first_of.setdefault(mention.label, mention.key)
    label_of = {m.key: m.label for m in mentions}
    for entity in entities:
        if entity.label == "LOC":
            label_of.setdefault(_key(speaker_canonical(without_name_proclitic(entity.text))), "LOC")
    canonical_of = [speaker_canonical(s.speaker_resolved) for s in statements]

    result = []
    for index, statement in enumerate(statements):
        anchor = statement.start
        here = sentence_of(anchor)
        feminine_cue = _is_feminine_cue(statement.cue)
        rules_canonical = canonical_of[index]
        rules_head = _head(statement.speaker_resolved)
        rules_words = len(statement.speaker_resolved.split())
        rules_tagged = any(
            m.start < statement.speaker_end and statement.speaker_start < m.end for m in mentions
        )
        found: dict[str, Candidate] = {}

        rules = _candidate(found, statement.speaker_resolved, rules_canonical)
        rules.add("rules")
        rules.add("rules_unresolved", float(statement.speaker_unresolved))
        rules.add("rules_tagged", float(rules_tagged))
        rules.add("rules_short", float(rules_words <= 2))
        rules.add("rules_continued", float(statement.speaker_start < statement.sentence_start))
        written = statement.speaker.strip(_TRIM)
        if written:
            written_canonical = speaker_canonical(written)
            if written_canonical:
                _candidate(found, written, written_canonical).add("written")
        rank = 0
        seen_earlier: set[str] = set()
        for earlier in range(index - 1, -1, -1):
            key = _key(canonical_of[earlier])
            if not key or key in seen_earlier:
                continue
            seen_earlier.add(key)
            rank += 1
            earlier_candidate = _candidate(
                found, statements[earlier].speaker_resolved, canonical_of[earlier]
            )
            earlier_candidate.add(f"earlier_{min(rank, EARLIER_SPEAKERS + int(wide))}")
            if rank >= EARLIER_SPEAKERS and not wide:
                break
        before_rank = 0
        window = [m for m in mentions if here - SENTENCES_BACK <= sentence_of(m.start) <= here]
        for mention in sorted(window, key=lambda m: -m.start):
            entity_candidate = _candidate(found, mention.resolved, mention.canonical)
            entity_candidate.add(mention.label.lower())
            if statement.start <= mention.start < statement.end:
                entity_candidate.add("in_claim")
                continue
            if mention.start >= statement.end:
                entity_candidate.add("after_claim")
                continue
            if statement.speaker_start <= mention.start < statement.speaker_end:
                entity_candidate.add("in_rules_phrase")
            elif 0 <= mention.start - statement.speaker_end <= ADJACENT_GAP:
                entity_candidate.add("after_rules_phrase")  # المتحدث باسم الشرطة، فلان
            if statement.speaker_end <= mention.start and mention.end <= statement.start:
                entity_candidate.add("between_speaker_and_claim")
            before_rank += 1
            entity_candidate.add(f"nearest_{min(before_rank, 3)}")
            back = here - sentence_of(mention.start)
            entity_candidate.add(f"sentences_back_{min(back, 2)}")
            gap = max(0, anchor - mention.end)
            entity_candidate.add("closeness", 1.0 - min(1.0, math.log1p(gap) / 8.0))
            if _titled(text, mention.start):
                entity_candidate.add("titled")
        if wide:
            _widen(text, folded_text, statement, mentions, found, sentence_of)
        for label, key in first_of.items():
            first = next(m for m in mentions if m.key == key)
            if first.start < anchor:
                _candidate(found, first.resolved, first.canonical).add(f"first_{label.lower()}")
        context = {f"ctx_{k}": v for k, v in _quality(rules_canonical, label_of).items()}
        for name in ("rules_unresolved", "rules_continued", "rules_short", "rules_tagged"):
            context["ctx_" + name] = rules.features[name]
        for item in found.values():
            key = _key(item.canonical)
            for name, value in _quality(item.canonical, label_of).items():
                item.add(("r_" if item is rules else "c_") + name, value)
            for name, value in context.items():
                item.add(name, value)
            count = counts.get(key, 0)
            item.add("mentions", min(1.0, math.log1p(count) / 3.0))
            feminine = _is_feminine_name(item.canonical)
            item.add("gender_fem_fem", float(feminine_cue and feminine))
            item.add("gender_fem_masc", float(feminine_cue and not feminine))
            if (
                item is not rules
                and rules_words <= 2
                and rules_head
                and _head(item.canonical) == rules_head
            ):
                item.add("head_agrees")
            if item is not rules and rules_key_in(rules_canonical, item.canonical):
                item.add("inside_rules")
        merged = _merged_with_rules(rules, found)
        if wide:
            _cross(merged, context)
        result.append(merged)
    return result


# What a candidate is, crossed with what looks wrong with the rules' phrase: a linear model
# can then learn, say, that the nearest tagged person wins only over an untagged one-word
# phrase (the features alone weigh every statement alike).
_CROSSED_SOURCES = (
    "earlier_1",
    "earlier_2",
    "nearest_1",
    "between_speaker_and_claim",
    "after_rules_phrase",
    "in_rules_phrase",
    "inside_rules",
    "pers",
    "org",
    "titled",
    "cut",
    "extended_after",
    "extended_before",
    "antecedent_org",
    "antecedent_pers",
    "before_pers",
    "before_org",
)
_CROSSED_FLAGS = (
    "ctx_untagged",
    "ctx_one_word",
    "ctx_rules_unresolved",
    "ctx_rules_continued",
    "ctx_role_first",
    "ctx_org_head_first",
    "ctx_reference_first",
)


def _cross(candidates: Sequence[Candidate], context: dict[str, float]) -> None:
    flags = [flag for flag in _CROSSED_FLAGS if context.get(flag, 0.0) > 0.5]
    if context.get("ctx_ordinary", 0.0) > 0.5:
        flags.append("ctx_ordinary")
    for item in candidates[1:]:
        for source in _CROSSED_SOURCES:
            if item.features.get(source, 0.0) > 0.0:
                for flag in flags:
                    item.features[f"x_{source}|{flag}"] = 1.0


def _widen(
    text: str,
    folded_text: str,
    statement: Statement,
    mentions: Sequence[_Mention],
    found: dict[str, Candidate],
    sentence_of: Callable[[int], int],
) -> None:
    """Adds the wider candidates of one statement to ``found`` (see
    :func:`speaker_candidates`): evidence the article already has, no word naming anyone."""
    anchor = statement.start
    here = sentence_of(anchor)
    before = [m for m in mentions if m.end <= anchor]
    # every tagged name before the statement, its latest mention, however far back
    seen: set[str] = set()
    for mention in sorted(before, key=lambda m: -m.start):
        if mention.key in seen:
            continue
        seen.add(mention.key)
        item = _candidate(found, mention.resolved, mention.canonical)
        item.add("before_" + mention.label.lower())
        item.add("before_rank", 1.0 - min(1.0, math.log1p(len(seen)) / 3.0))
        item.add("before_near", 1.0 - min(1.0, math.log1p(anchor - mention.end) / 8.0))
        item.add("before_sentences", 1.0 - min(1.0, (here - sentence_of(mention.start)) / 10.0))
        if _titled(text, mention.start):
            item.add("before_titled")
    words = statement.speaker_resolved.split()
    fresh = fold(statement.speaker) == fold(statement.speaker_resolved)
    # cuts of the rules' phrase: its name without the words that ran past it
    if fresh and 1 < len(words) <= MAX_CUT_WORDS:
        for keep in range(1, len(words)):
            phrase = " ".join(words[:keep]).strip(_TRIM)
            canonical = speaker_canonical(phrase) if phrase else ""
            if not canonical:
                continue
            dropped = words[keep:]
            item = _candidate(found, phrase, canonical)
            item.add("cut")
            item.add("cut_dropped", min(1.0, len(dropped) / 4.0))
            item.add("cut_rest_ordinary", sum(map(is_ordinary_word, dropped)) / len(dropped))
            item.add("cut_rest_stopword", float(fold(dropped[0]).strip(_TRIM) in STOPWORDS))
            item.add("cut_rest_glued", float(_glued_preposition(dropped[0])))
    # extensions of the rules' phrase, where it is written (at the statement or earlier), by
    # the words of its clause right after or before it: the name the rules cut short
    phrase_folded = fold(statement.speaker_resolved).strip(_TRIM)
    places: list[tuple[int, int]] = []
    if fresh and statement.speaker_end > statement.speaker_start:
        places.append((statement.speaker_start, statement.speaker_end))
    if phrase_folded and len(words) <= MAX_REFERENCE_WORDS + 1:
        found_at = folded_text.find(phrase_folded)
        while 0 <= found_at < anchor and len(places) < MAX_PLACES:
            place = (found_at, found_at + len(phrase_folded))
            whole_words = not (found_at and text[found_at - 1].isalnum()) and not (
                place[1] < len(text) and text[place[1]].isalnum()
            )
            if whole_words and place not in places:
                places.append(place)
            found_at = folded_text.find(phrase_folded, found_at + 1)
    cue = fold(statement.cue).strip(_TRIM)
    for place_start, place_end in places:
        after = _clause_words(text[place_end : place_end + 60])
        back = _clause_words(text[max(0, place_start - 60) : place_start][::-1])
        back = [word[::-1] for word in back]  # nearest first
        for side, extra in (("after", after), ("before", back)):
            for more in range(1, min(MAX_EXTENSION_WORDS, len(extra)) + 1):
                added = extra[:more] if side == "after" else extra[:more][::-1]
                if cue in {fold(w).strip(_TRIM) for w in added}:
                    break
                phrase = " ".join([*words, *added] if side == "after" else [*added, *words])
                canonical = speaker_canonical(phrase)
                if canonical:
                    item = _candidate(found, phrase, canonical)
                    item.add("extended_" + side, more / MAX_EXTENSION_WORDS)
                    item.add("extended_here", float(place_start == statement.speaker_start))
                    ordinary = sum(map(is_ordinary_word, added)) / more
                    item.add("extension_ordinary", ordinary)
    # a short reference's antecedent: its head noun's kind (organisation or person) and the
    # latest tagged name of that kind before it
    if words and len(words) <= MAX_REFERENCE_WORDS:
        head, bare = words[0], _head(words[0])  # الهيئة, هيئه: the head lists hold either
        wanted = (
            "ORG"
            if is_organisation_head(head) or is_organisation_head(bare)
            else "PERS"
            if any(
                is_person_reference(w) or is_role_word(w) or is_title_word(w) for w in (head, bare)
            )
            else ""
        )
        earlier = [m for m in before if m.label == wanted and m.end <= statement.speaker_start]
        if earlier:
            latest = max(earlier, key=lambda m: m.start)
            item = _candidate(found, latest.resolved, latest.canonical)
            item.add("antecedent_" + wanted.lower())
            item.add("antecedent_near", 1.0 - min(1.0, math.log1p(anchor - latest.end) / 8.0))


def _clause_words(span: str) -> list[str]:
    """The words of ``span`` up to its first punctuation mark (a clause boundary)."""
    cut = len(span)
    for index, char in enumerate(span):
        if char in _CLAUSE_BREAKS:
            cut = index
            break
    return span[:cut].split()


def _glued_preposition(word: str) -> bool:
    """Whether a word is a preposition glued to a noun (لرويترز، بحائل): what often follows
    a speaker's name without being part of it."""
    folded = fold(word).strip(_TRIM)
    return len(folded) > 3 and folded[0] in "لب" and not is_ordinary_word(folded[1:])


def _candidate(found: dict[str, Candidate], resolved: str, canonical: str) -> Candidate:
    """The candidate of ``found`` with this canonical form, added if new."""
    key = _key(canonical)
    if key not in found:
        found[key] = Candidate(resolved, canonical)
    return found[key]


def _merged_with_rules(rules: Candidate, found: dict[str, Candidate]) -> list[Candidate]:
    """The candidates, the rules' first, with those naming one entity in other words (a
    surname and the full name; the name inside the rules' role phrase) folded into the
    first of them: choosing between them changes nothing the reader sees, and each one's
    mentions are evidence for the other."""
    kept = [rules]
    for item in found.values():
        if item is rules:
            continue
        same = next((k for k in kept if same_entity(k.canonical, item.canonical)), None)
        if same is None:
            kept.append(item)
            continue
        for name, value in item.features.items():
            if not name.startswith(("r_", "c_", "rules")):
                same.add(name, value)
    return kept


def rules_key_in(rules_canonical: str, canonical: str) -> bool:
    """Whether every word of ``canonical`` is a word of the rules' canonical speaker (the
    name inside a role phrase, a surname of a full name)."""
    words = set(_key(rules_canonical).split())
    own = _key(canonical).split()
    return bool(own) and all(word in words for word in own)


@dataclass(frozen=True, slots=True)
class Tree:
    """One regression tree of a boosted model, as parallel node arrays (a leaf has
    ``left == -1`` and its value in ``value``)."""

    feature: tuple[str, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def output(self, features: dict[str, float]) -> float:
        node = 0
        while self.left[node] != -1:
            below = features.get(self.feature[node], 0.0) <= self.threshold[node]
            node = self.left[node] if below else self.right[node]
        return self.value[node]


@dataclass(frozen=True, slots=True)
class SpeakerModel:
    """A score of how likely a candidate names the speaker, from its features: linear
    (``weights``: a logistic model's log-odds, or a pairwise ranker's score) or boosted trees
    (``trees``, each scaled by ``rate``); and the margin by which a candidate's score must
    beat the rules' choice to replace it."""

    intercept: float
    margin: float
    weights: dict[str, float] = field(default_factory=dict)
    trees: tuple[Tree, ...] = ()
    rate: float = 1.0

    def score(self, candidate: Candidate) -> float:
        """The candidate's log-odds (pointwise models) or ranking score (pairwise)."""
        features = candidate.features
        score = self.intercept
        if self.trees:
            return score + self.rate * sum(tree.output(features) for tree in self.trees)
        return score + sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def choice(self, candidates: Sequence[Candidate]) -> int:
        """Index of the chosen candidate: the best one where its score beats the rules'
        (index 0) by the margin, else the rules'."""
        if len(candidates) < 2:
            return 0
        scores = [self.score(c) for c in candidates]
        best = max(range(len(scores)), key=scores.__getitem__)
        return best if scores[best] - scores[0] > self.margin else 0


def model_from_json(raw: dict[str, Any]) -> SpeakerModel:
    """A :class:`SpeakerModel` from its JSON form (``scripts/train_speaker_choice.py``)."""
    trees = tuple(
        Tree(
            tuple(tree["feature"]),
            tuple(map(float, tree["threshold"])),
            tuple(tree["left"]),
            tuple(tree["right"]),
            tuple(map(float, tree["value"])),
        )
        for tree in raw.get("trees", ())
    )
    return SpeakerModel(
        intercept=float(raw["intercept"]),
        margin=float(raw["margin"]),
        weights={k: float(v) for k, v in raw.get("weights", {}).items()},
        trees=trees,
        rate=float(raw.get("rate", 1.0)),
    )


def load_speaker_model(path: Path) -> SpeakerModel:
    """A model written by ``scripts/train_speaker_choice.py``."""
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


def choose_speakers(
    text: str,
    statements: Sequence[Statement],
    entities: Sequence[NamedSpan],
    model: SpeakerModel,
) -> list[Statement]:
    """The statements with each speaker replaced by the model's choice where it is
    clearly better than the rules' (see :class:`SpeakerModel`)."""
    chosen = []
    for statement, candidates in zip(
        statements, speaker_candidates(text, statements, entities), strict=True
    ):
        pick = model.choice(candidates)
        if pick:
            resolved = candidates[pick].resolved
            _, title, description = split_speaker(resolved)
            statement = replace(
                statement,
                speaker_resolved=resolved,
                speaker_title=title,
                speaker_description=description,
                speaker_unresolved=False,
            )
        chosen.append(statement)
    return chosen
