"""The same quantity or statement reported differently.

Numbers: two mentions (from :func:`marsad.extract.numbers.extract_numbers`) measure the same
quantity when they count the same noun with the same modifier (both keyed by MATCH stems:
"90% من الأراضي السورية" / "92% من الأراضى السورية") and either

* come from different outlets whose sentences share enough other content stems to be about
  the same event, or
* sit in one article inside statements of different speakers (Putin said more than 90%,
  the defence ministry about 92%).

Not compared: ranges (بين 300 و400), numbers inside date expressions, clock times (الساعة
0400، 9 مساء), years, ordinals (الـ12، الثاني عشر), parts of compound or "ر"-decimal numbers
(104/47، 56ر25), values that agree once rounded (1.31 and 1.3 مليار), a value the other text
also gives for the same noun (an item of the same list), and figures of articles published
more than :data:`MAX_DAYS_APART` apart or dated to different days in their sentences (a
daily figure and its update). Each pair says whether the two values are *compatible* once qualifiers
are read as bounds ("أكثر من 90%" and "نحو 92%" differ but do not contradict each other).

Statements: the same speaker (by :class:`marsad.extract.aliases.AliasResolver`) reported
with nearly the same words, one negated and the other not.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from marsad.compare.facts import StoryDoc, is_content
from marsad.extract.aliases import AliasResolver
from marsad.extract.numbers import NumberMention
from marsad.extract.quotes import Statement
from marsad.text.arabic import fold

#: Sentences of two outlets are about the same event when they share this many content
#: stems besides the counted noun and its modifier, and this share of the smaller one.
MIN_SHARED_CONTEXT = 3
MIN_CONTEXT_CONTAINMENT = 0.3
#: "نحو 50" is read as 50 +- this share.
APPROXIMATE_TOLERANCE = 0.05
#: Words between two numbers that make them one range (بين 300 و400، من 10 إلى 20).
RANGE_WORDS = frozenset({"الى", "و", "-", "حتى", "او"})
MAX_RANGE_GAP = 12  # characters between two numbers of one range
#: Two statements of one speaker contradict when one holds a negation the other lacks and
#: their other content stems overlap this much (share of the smaller) and number.
CONTRADICTION_CONTAINMENT = 0.7
CONTRADICTION_MIN_SHARED = 4
CONTRADICTION_OVERLAP = 0.4  # ... and this share of the larger: a short aside is no negation
MAX_PAIRS = 30
#: Values further apart than this factor measure different things (a change and a level).
MAX_VALUE_RATIO = 3.0
#: Content words before a number that describe what it measures; two mentions of one
#: quantity share at least MIN_SHARED_LOCAL of them and half of the smaller set.
CONTEXT_WORDS = 6
MIN_SHARED_LOCAL = 2
MIN_LOCAL_CONTAINMENT = 0.5
#: Figures of two articles published further apart than this are a figure and its update.
MAX_DAYS_APART = 1
_COMPOUND_BEFORE = re.compile(r"[0-9٠-٩](?:\s*[/\-:]\s*|ر)$")
_COMPOUND_AFTER = re.compile(r"\s*[/\-:]\s*[0-9٠-٩]|ر[0-9٠-٩]")
_ORDINAL_BEFORE = re.compile(r"(?:^|\s)ال(?:ـ\s*)?$")  # الـ12
_THOUSANDS = re.compile(r",(?=[0-9]{3}(?![0-9]))")  # 2,509,442 (but 12,30 is 12.30)
_NUMERAL = re.compile(r"[0-9]+(?:[.,]([0-9]+))?")
_CLAUSE_BREAKS = frozenset(',.;:!?،؛؟()«»"')

Speakers = dict[tuple[int, int], str]  # (article, statement start) -> canonical speaker
_ByNoun = dict[tuple[int, str], list[NumberMention]]  # (article, counted noun) -> its numbers


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberReport:
    """One side of a number disagreement."""

    article: int
    outlet: str
    mention: NumberMention
    speaker: str  # who the article attributes it to ("" when nobody)
    sentence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberDisagreement:
    """One quantity reported with two different values."""

    quantity: str  # the counted noun and its modifier as first written
    key: str  # their MATCH stems
    percent: bool
    compatible: bool  # the values' bounds overlap (أكثر من 90% / نحو 92%)
    a: NumberReport
    b: NumberReport

    @property
    def relative_difference(self) -> float:
        """``|a - b| / max(|a|, |b|)``."""
        x, y = self.a.mention.value, self.b.mention.value
        return abs(x - y) / max(abs(x), abs(y), 1e-9)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementReport:
    """One side of a statement contradiction."""

    article: int
    outlet: str
    statement: Statement
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementContradiction:
    """One speaker reported as saying a thing and its negation."""

    speaker: str
    a: StatementReport
    b: StatementReport


@dataclass(frozen=True, slots=True)
class _Words:
    lower_bound: tuple[str, ...]
    upper_bound: tuple[str, ...]
    negations: frozenset[str]
    not_quantities: frozenset[str]
    clock_before: frozenset[str]
    teen_first: frozenset[str]  # words before a "عشر" that belongs to a compound or ordinal


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = json.loads(
        resources.files("marsad.data").joinpath("compare_ar.json").read_text(encoding="utf-8")
    )
    calendar_words = json.loads(
        resources.files("marsad.data").joinpath("months_ar.json").read_text(encoding="utf-8")
    )
    return _Words(
        lower_bound=tuple(fold(w) for w in raw["numbers"]["lower_bound"]),
        upper_bound=tuple(fold(w) for w in raw["numbers"]["upper_bound"]),
        negations=frozenset(fold(w) for w in raw["negations"]),
        not_quantities=frozenset(fold(w) for w in raw["numbers"]["not_quantities"]),
        clock_before=frozenset(fold(w) for w in raw["numbers"]["clock_before"]),
        teen_first=frozenset(
            [fold(w) for w in raw["numbers"]["teen_first_words"]]
            + [fold(w).split()[0] for w in calendar_words["ordinal_days"]]
        ),
    )


def value_bounds(mention: NumberMention) -> tuple[float, float]:
    """The interval a number allows: exact, approximate (+-5%), or a one-sided bound."""
    value = mention.value
    qualifier = fold(mention.qualifier)
    words = _words()
    if qualifier in words.lower_bound:
        return value, math.inf
    if qualifier in words.upper_bound:
        return -math.inf, value
    if mention.approximate:
        margin = abs(value) * APPROXIMATE_TOLERANCE
        return value - margin, value + margin
    return value, value


def _compatible(a: NumberMention, b: NumberMention) -> bool:
    low_a, high_a = value_bounds(a)
    low_b, high_b = value_bounds(b)
    return low_a <= high_b and low_b <= high_a


def rounding_unit(mention: NumberMention) -> float:
    """The precision a value is written to: 1.3 مليار -> 1e8, 3,324,641 -> 1, خمس -> 1."""
    numeral = _NUMERAL.search(_THOUSANDS.sub("", fold(mention.text)))
    if numeral is None or not float(numeral[0].replace(",", ".")):
        return 1.0
    written = float(numeral[0].replace(",", "."))
    decimals = len(numeral[1] or "")
    return abs(mention.value) / written * 10.0**-decimals


def same_when_rounded(a: NumberMention, b: NumberMention) -> bool:
    """One value is the other rounded to the precision it is written to (1.31 / 1.3 مليار)."""
    unit = max(rounding_unit(a), rounding_unit(b))
    return abs(a.value - b.value) <= unit / 2 * (1 + 1e-9)


@dataclass(frozen=True, slots=True)
class _Quantity:
    doc: StoryDoc
    mention: NumberMention
    key: str
    label: str
    sentence: int
    speaker: str  # resolved speaker of the statement holding the number
    context: frozenset[str]  # content stems just before the number, in its sentence
    day: tuple[date, date] | None  # the date its sentence gives, nearest first


def _speaker_at(doc: StoryDoc, speakers: Speakers, start: int, end: int) -> str:
    """Canonical speaker of the innermost statement that holds ``[start, end)``, or ""."""
    holding = [s for s in doc.facts.statements if s.start <= start and end <= s.end]
    if not holding:
        return ""
    statement = min(holding, key=lambda s: s.end - s.start)
    return speakers.get((doc.article, statement.start), statement.speaker_resolved)


def _quantities(doc: StoryDoc, speakers: Speakers) -> list[_Quantity]:
    """Comparable numbers of one article, keyed by counted noun and modifier."""
    facts = doc.facts
    tokens, token_starts = facts.tokens, facts.token_starts
    words = _words()
    found = []
    for mention in facts.numbers:
        if mention.vague or math.isnan(mention.value) or not mention.counted_key:
            continue
        if any(d.start < mention.end and mention.start < d.end for d in doc.dates):
            continue  # "30-31 تشرين الأول": a date, not a count
        if not mention.is_percent and mention.value.is_integer() and 1900 <= mention.value <= 2100:
            continue  # a year
        if _in_compound(doc.body, mention) or _not_a_count(doc.body, mention, words):
            continue
        sentence = facts.sentence_at(mention.start)
        # The counted noun is the first content token after the number; its modifier the next.
        from_index = bisect_left(token_starts, mention.end)
        following = [
            tokens[i]
            for i in range(from_index, min(from_index + 6, len(tokens)))
            if is_content(tokens[i]) and facts.token_sentence[i] == sentence
        ][:2]
        if not following or fold(following[0].text) in words.not_quantities:
            continue  # "9 مساء", "0400 بتوقيت جرينتش": a clock time
        if len(following) == 2 and any(
            ch in _CLAUSE_BREAKS for ch in doc.body[following[0].end : following[1].start]
        ):
            following = following[:1]  # "238 حالة، أما الولادات": the modifier is elsewhere
        key = " ".join([mention.counted_key, *(t.stem for t in following[1:])])
        label = doc.body[following[0].start : following[-1].end]
        speaker = _speaker_at(doc, speakers, mention.start, mention.end)
        context: set[str] = set()
        index = bisect_left(token_starts, mention.start) - 1
        while index >= 0 and facts.token_sentence[index] == sentence:
            if is_content(tokens[index]):
                context.add(tokens[index].stem)
                if len(context) == CONTEXT_WORDS:
                    break
            index -= 1
        found.append(
            _Quantity(
                doc,
                mention,
                key,
                label,
                sentence,
                speaker,
                frozenset(context),
                _sentence_day(doc, mention),
            )
        )
    return found


def _not_a_count(body: str, mention: NumberMention, words: _Words) -> bool:
    """A clock time after الساعة, an ordinal (الـ12), or the عشر of الثاني عشر / أحد عشر."""
    before = fold(body[max(0, mention.start - 24) : mention.start])
    previous = before.split()[-1:]
    if previous and previous[0].strip("(") in words.clock_before:
        return True
    if _ORDINAL_BEFORE.search(before) or fold(mention.text).startswith("ال"):
        return True
    return (
        fold(mention.text) in ("عشر", "عشره")
        and bool(previous)
        and (previous[0] in words.teen_first)
    )


def _sentence_day(doc: StoryDoc, mention: NumberMention) -> tuple[date, date] | None:
    """The days named by the date expression of the number's sentence nearest to it."""
    inside = [
        d for d in doc.dates if mention.sentence_start <= d.start and d.end <= mention.sentence_end
    ]
    if not inside:
        return None
    nearest = min(inside, key=lambda d: min(abs(d.start - mention.end), abs(mention.start - d.end)))
    return nearest.first, nearest.last


def _in_compound(body: str, mention: NumberMention) -> bool:
    """The number is part of 104/47 or 28 - 7 - 1433, or follows رقم (an identifier)."""
    before = body[max(0, mention.start - 8) : mention.start]
    after = body[mention.end : mention.end + 4]
    return bool(_COMPOUND_BEFORE.search(before) or _COMPOUND_AFTER.match(after)) or fold(
        before
    ).endswith(("رقم ", "رقم"))


def _is_range(a: _Quantity, b: _Quantity) -> bool:
    if a.doc is not b.doc:
        return False
    first, second = sorted((a.mention, b.mention), key=lambda m: m.start)
    gap = a.doc.body[first.end : second.start]
    if len(gap) > MAX_RANGE_GAP:
        return False
    words = fold(gap).replace("-", " - ").split()
    return all(word in RANGE_WORDS for word in words)


def _same_event(a: _Quantity, b: _Quantity) -> bool:
    if a.sentence < 0 or b.sentence < 0:
        return False
    key_stems = set(a.key.split())
    stems_a = a.doc.facts.sentence_stems[a.sentence] - key_stems
    stems_b = b.doc.facts.sentence_stems[b.sentence] - key_stems
    shared = len(stems_a & stems_b)
    smaller = min(len(stems_a), len(stems_b))
    return (
        smaller > 0 and shared >= MIN_SHARED_CONTEXT and shared / smaller >= MIN_CONTEXT_CONTAINMENT
    )


def _same_measure(a: _Quantity, b: _Quantity) -> bool:
    """The words just before the two numbers describe the same measure."""
    shared = len(a.context & b.context)
    smaller = min(len(a.context), len(b.context))
    if smaller == 0:
        return True  # a number opening its sentence: only the sentence can tell
    return shared >= min(MIN_SHARED_LOCAL, smaller) and shared / smaller >= MIN_LOCAL_CONTAINMENT


def _plausible(a: _Quantity, b: _Quantity) -> bool:
    low, high = sorted((abs(a.mention.value), abs(b.mention.value)))
    return low > 0 and high / low <= MAX_VALUE_RATIO


def _different_times(a: _Quantity, b: _Quantity) -> bool:
    """The two figures are of different days: a daily figure and its update."""
    if a.day is not None and b.day is not None:
        return a.day[1] < b.day[0] or b.day[1] < a.day[0]
    gap = abs((a.doc.published.date() - b.doc.published.date()).days)
    return gap > MAX_DAYS_APART


def _gives(doc_mentions: Sequence[NumberMention], mention: NumberMention) -> bool:
    """The text also gives this value (to its rounding) for the same counted noun."""
    return any(
        m.is_percent == mention.is_percent and same_when_rounded(m, mention) for m in doc_mentions
    )


def _comparable(a: _Quantity, b: _Quantity, by_noun: _ByNoun) -> bool:
    if a.key != b.key or a.mention.is_percent != b.mention.is_percent:
        return False
    if same_when_rounded(a.mention, b.mention) or _is_range(a, b) or not _plausible(a, b):
        return False  # 1.31 and 1.3 مليار: the same figure
    if a.doc is not b.doc and (
        _gives(by_noun[b.doc.article, a.mention.counted_key], a.mention)
        or _gives(by_noun[a.doc.article, b.mention.counted_key], b.mention)
    ):
        return False  # one text also gives the other's figure: another item of one list
    if a.doc.outlet != b.doc.outlet:
        return _same_event(a, b) and _same_measure(a, b) and not _different_times(a, b)
    # Within one outlet only one article's figures are compared, attributed to different
    # speakers in one passage: different articles of one outlet are usually updates (the
    # toll rose), and distant figures in one article usually measure different things.
    return (
        a.doc is b.doc
        and bool(a.speaker)
        and bool(b.speaker)
        and a.speaker != b.speaker
        and (a.sentence == b.sentence or (_same_event(a, b) and _same_measure(a, b)))
    )


def _sentence_text(doc: StoryDoc, mention: NumberMention) -> str:
    return doc.body[mention.sentence_start : mention.sentence_end]


def number_disagreements(docs: Sequence[StoryDoc], speakers: Speakers) -> list[NumberDisagreement]:
    """Pairs of mentions of one quantity with different values.

    Args:
        docs: the story's articles, copies left out (they repeat their original's numbers).
        speakers: canonical speaker per statement (see :func:`speaker_clusters`).

    Returns:
        Contradicting pairs first, then by relative difference, largest first; at most
        :data:`MAX_PAIRS`.
    """
    by_key: dict[tuple[str, bool], list[_Quantity]] = {}
    by_noun: _ByNoun = defaultdict(list)
    for doc in docs:
        for quantity in _quantities(doc, speakers):
            by_key.setdefault((quantity.key, quantity.mention.is_percent), []).append(quantity)
            by_noun[doc.article, quantity.mention.counted_key].append(quantity.mention)
    found: list[NumberDisagreement] = []
    for (key, percent), quantities in by_key.items():
        for i, a in enumerate(quantities):
            for b in quantities[i + 1 :]:
                if not _comparable(a, b, by_noun):
                    continue
                found.append(
                    NumberDisagreement(
                        quantity=a.label,
                        key=key,
                        percent=percent,
                        compatible=_compatible(a.mention, b.mention),
                        a=NumberReport(
                            article=a.doc.article,
                            outlet=a.doc.outlet,
                            mention=a.mention,
                            speaker=a.speaker,
                            sentence=_sentence_text(a.doc, a.mention),
                        ),
                        b=NumberReport(
                            article=b.doc.article,
                            outlet=b.doc.outlet,
                            mention=b.mention,
                            speaker=b.speaker,
                            sentence=_sentence_text(b.doc, b.mention),
                        ),
                    )
                )
    found.sort(key=lambda d: (d.compatible, -d.relative_difference, d.key))
    return found[:MAX_PAIRS]


# --------------------------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Said:
    doc: StoryDoc
    statement: Statement
    stems: frozenset[str]  # content stems, negations excluded
    negated: bool


def _said(doc: StoryDoc, statement: Statement, negations: frozenset[str]) -> _Said:
    tokens, starts = doc.facts.tokens, doc.facts.token_starts
    first = bisect_left(starts, statement.start)
    last = bisect_left(starts, statement.end, first)
    inside = [t for t in tokens[first:last] if t.end <= statement.end]
    negated = any(t.text in negations for t in inside)
    stems = frozenset(t.stem for t in inside if is_content(t) and t.text not in negations)
    return _Said(doc, statement, stems, negated)


def _contradicts(a: _Said, b: _Said) -> bool:
    if a.negated == b.negated:
        return False
    shared = len(a.stems & b.stems)
    smaller, larger = sorted((len(a.stems), len(b.stems)))
    return (
        smaller > 0
        and shared >= CONTRADICTION_MIN_SHARED
        and shared / smaller >= CONTRADICTION_CONTAINMENT
        and shared / larger >= CONTRADICTION_OVERLAP
    )


def speaker_clusters(docs: Sequence[StoryDoc]) -> Speakers:
    """Canonical speaker of every statement, keyed by ``(article, statement start)``.

    Mentions are clustered across the story, so ``لافروف`` joins ``سيرغي لافروف``.
    """
    forms: dict[tuple[str, int], int] = {}  # one mention per speaker form and article
    members: list[tuple[int, int, int]] = []  # (article, statement start, form)
    for doc in docs:
        for statement in doc.facts.statements:
            form = forms.setdefault((statement.speaker_resolved, doc.article), len(forms))
            members.append((doc.article, statement.start, form))
    canonical = _canonical_speakers(tuple(forms))
    return {(article, start): canonical[form] for article, start, form in members}


@lru_cache(maxsize=1024)
def _canonical_speakers(forms: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Canonical name of each ``(speaker as written, article)``, clustered across the story
    (cached: a story re-analysed with one more article repeats the same mentions)."""
    resolver = AliasResolver()
    for name, article in forms:
        resolver.add(name, str(article), "story")
    canonical = [""] * len(forms)
    for cluster in resolver.resolve():
        for member in cluster.members:
            canonical[member] = cluster.canonical
    return tuple(canonical)


def statement_contradictions(
    docs: Sequence[StoryDoc], speakers: Speakers
) -> list[StatementContradiction]:
    """Statements of one speaker that say nearly the same thing, once negated and once not.

    Args:
        docs: the story's articles, copies left out.
        speakers: canonical speaker per statement (see :func:`speaker_clusters`).

    Returns:
        Contradicting pairs in story order, at most :data:`MAX_PAIRS`.
    """
    negations = _words().negations
    by_speaker: dict[str, list[_Said]] = {}
    for doc in docs:
        for statement in doc.facts.statements:
            speaker = speakers.get((doc.article, statement.start), "")
            if speaker:
                by_speaker.setdefault(speaker, []).append(_said(doc, statement, negations))
    found: list[StatementContradiction] = []
    for speaker, said in by_speaker.items():
        for i, a in enumerate(said):
            for b in said[i + 1 :]:
                if _contradicts(a, b):
                    found.append(
                        StatementContradiction(
                            speaker=speaker,
                            a=StatementReport(
                                article=a.doc.article,
                                outlet=a.doc.outlet,
                                statement=a.statement,
                                text=a.doc.body[a.statement.start : a.statement.end],
                            ),
                            b=StatementReport(
                                article=b.doc.article,
                                outlet=b.doc.outlet,
                                statement=b.statement,
                                text=b.doc.body[b.statement.start : b.statement.end],
                            ),
                        )
                    )
    return found[:MAX_PAIRS]
