"""The same quantity or statement reported differently.

Numbers: two mentions (from :func:`marsad.extract.numbers.extract_numbers`) measure the same
quantity when they count the same noun (its MATCH stem: "90% من الأراضي السورية" / "92% من
الأراضى السورية") and either

* come from different outlets whose sentences state one fact: they share enough content
  stems, most of the smaller sentence's IDF weight within the story (names and places
  weigh most), and the words before the numbers (or the noun with the word after it), or
* sit in one sentence of one article, inside statements of different speakers (Putin said
  more than 90%, the defence ministry about 92%).

Not compared: ranges (بين 300 و400), numbers inside date expressions, clock times (الساعة
0400، 9 مساء), years, ordinals (الـ12، الثاني عشر), identifiers (رقم (962)), numbers whose
noun lies past a comma (أوقيانيا (11)، وأميركا), parts of compound or "ر"-decimal numbers
(104/47، 56ر25), values that agree once rounded or cut (1.31 / 1.3 مليار، 84.540 / 84
مليون), a figure the other text also gives (an item of the same list), and figures of
articles published more than :data:`MAX_DAYS_APART` apart or dated to different days in
their sentences (a daily figure and its update). Nor are two filled-in copies of one
template: sentences whose other figures all differ (another company's quarter), figures
of a rise and a fall (two sessions), and sentences giving one noun different ordinals
(الدفعة الثانية / الثالثة). Market figures (prices, indexes; words in ``compare_ar.json``)
change by the hour, so they are compared only for the same thing priced, within
:data:`MARKET_HOURS`, at the same stated clock time and market moment (settlement, spot),
in nearly the same words. Numerals with the same digits reordered (54.92 / 92.54, one
outlet's mangled digits) are one figure reported differently, whatever their ratio.

Each pair says whether the two values are *compatible* once qualifiers are read as bounds
("أكثر من 90%" and "نحو 92%" differ but do not contradict each other).

Statements: the same speaker (by :class:`marsad.extract.aliases.AliasResolver`) reported
with nearly the same words, one negated and the other not.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from marsad.compare.facts import StoryDoc, is_content
from marsad.data import load_json
from marsad.extract.aliases import AliasResolver
from marsad.extract.numbers import NumberMention
from marsad.extract.quotes import Statement
from marsad.models import Token
from marsad.text.arabic import fold, tokenize

#: Sentences of two outlets are about the same event when they share this many content
#: stems besides the counted noun and its modifier, and this share of the smaller one.
MIN_SHARED_CONTEXT = 3
MIN_CONTEXT_CONTAINMENT = 0.4
#: ... and the shared stems hold this share of the smaller sentence's IDF weight.
MIN_FACT_WEIGHT = 0.4
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
#: ... or they count the same noun phrase in sentences sharing this share (Jaccard) of stems.
SAME_PHRASE_OVERLAP = 0.3
#: Numerals with the same digits in another order are one figure mangled when their values
#: are at most this factor apart (0.5 / 5.0).
MAX_GARBLED_RATIO = 10.0
#: Market figures of reports further apart than this (hours) are of different moments ...
MARKET_HOURS = 12.0
#: ... as are those of sentences sharing less than this share (Jaccard) of content stems.
MARKET_SAME_WORDING = 0.4
#: Figures of two articles published further apart than this are a figure and its update.
MAX_DAYS_APART = 1
#: A figure written with this many digits is distinctive: another text giving it is
#: giving the same figure, whatever noun the parser found after it.
DISTINCTIVE_DIGITS = 3
_COMPOUND_BEFORE = re.compile(r"[0-9٠-٩](?:\s*[/\-:]\s*|ر)$")
_COMPOUND_AFTER = re.compile(r"\s*[/\-:]\s*[0-9٠-٩]|ر[0-9٠-٩]")
_ORDINAL_BEFORE = re.compile(r"(?:^|\s)ال(?:ـ\s*)?$")  # الـ12
_THOUSANDS = re.compile(r",(?=[0-9]{3}(?![0-9]))")  # 2,509,442 (but 12,30 is 12.30)
_NUMERAL = re.compile(r"[0-9]+(?:[.,]([0-9]+))?")
_CLOCK = re.compile(r"الساعه\s*(?:ال)?\s*([0-9][0-9:.]*)")  # on folded text
_CLAUSE_BREAKS = frozenset(',.;:!?،؛؟()«»"')

Speakers = dict[tuple[int, int], str]  # (article, statement start) -> canonical speaker
_ByNoun = dict[tuple[int, str], list[NumberMention]]  # (article, counted noun) -> its numbers


@dataclass(frozen=True, slots=True)
class _Story:
    """What pairs are checked against: every article's figures and the story's words."""

    by_noun: _ByNoun  # (article, counted noun) -> its numbers
    figures: dict[int, list[NumberMention]]  # article -> its figures
    sentence_weight: dict[str, float]  # stem -> log(1 + sentences / sentences holding it)


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
    rise: frozenset[str]  # MATCH forms of words of an upward move (ارتفع، صعد)
    fall: frozenset[str]  # ... of a downward one (انخفض، تراجع)
    flat: frozenset[str]  # ... and of none (استقر)
    ordinals: dict[str, int]  # MATCH stem of an ordinal (الثانية -> ثان) -> its rank
    market: frozenset[str]  # MATCH stems of words of market reports (برنت، الأوقية، المؤشر)
    market_moments: frozenset[str]  # ... of their moments (التسوية، الفورية)
    market_subjects: dict[str, str]  # ... and of what they price (الذهب -> gold)


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = load_json("compare_ar.json")
    calendar_words = load_json("months_ar.json")
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
        rise=frozenset(_match_form(w).text for w in raw["numbers"]["rise"]),
        fall=frozenset(_match_form(w).text for w in raw["numbers"]["fall"]),
        flat=frozenset(_match_form(w).text for w in raw["numbers"]["flat"]),
        ordinals={_match_form(w).stem: rank for w, rank in raw["numbers"]["ordinals"].items()},
        market=frozenset(_match_form(w).stem for w in raw["numbers"]["market"]),
        market_moments=frozenset(_match_form(w).stem for w in raw["numbers"]["market_moments"]),
        market_subjects={
            _match_form(w).stem: subject for w, subject in raw["numbers"]["market_subjects"].items()
        },
    )


def _match_form(word: str) -> Token:
    """The token a listed word becomes in text (prefixes and the article stripped)."""
    return tokenize(word)[0]


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


def same_when_cut(a: NumberMention, b: NumberMention) -> bool:
    """One value is the other with its last digits dropped (84 / 84.540 مليون)."""
    coarse, fine = sorted((a, b), key=rounding_unit, reverse=True)
    unit = rounding_unit(coarse)
    kept = abs(coarse.value)
    return unit > rounding_unit(fine) and kept <= abs(fine.value) < kept + unit * (1 - 1e-9)


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
    others: tuple[NumberMention, ...]  # the other figures of its sentence
    direction: str  # the move its nearest word of rise, fall or none names ("" if none)
    subject: str  # what its nearest market word prices (gold, brent; "" if none)
    setting: _Setting  # what its sentence says about which item and moment


@dataclass(frozen=True, slots=True)
class _Setting:
    """Which item of a series and which moment a sentence's figures belong to."""

    items: frozenset[tuple[str, int]]  # (noun stem, ordinal rank): الدفعة الثانية
    clock: frozenset[str]  # clock times it states (الساعة 0647)
    market: bool  # a market report: its figures change by the hour
    moments: frozenset[str]  # the market moments it names (التسوية، الفورية)


def _speaker_at(doc: StoryDoc, speakers: Speakers, start: int, end: int) -> str:
    """Canonical speaker of the innermost statement that holds ``[start, end)``, or ""."""
    holding = [s for s in doc.facts.statements if s.start <= start and end <= s.end]
    if not holding:
        return ""
    statement = min(holding, key=lambda s: s.end - s.start)
    return speakers.get((doc.article, statement.start), statement.speaker_resolved)


def _figures(doc: StoryDoc) -> list[NumberMention]:
    """The numbers of one article that give amounts (see :func:`_is_figure`)."""
    words = _words()
    return [m for m in doc.facts.numbers if _is_figure(doc, m, words)]


def _quantities(
    doc: StoryDoc, speakers: Speakers, figures: Sequence[NumberMention]
) -> list[_Quantity]:
    """Comparable numbers of one article: its figures that count a noun."""
    facts = doc.facts
    tokens, token_starts = facts.tokens, facts.token_starts
    words = _words()
    by_sentence: dict[int, list[NumberMention]] = defaultdict(list)
    for mention in figures:
        by_sentence[mention.sentence_start].append(mention)
    settings: dict[int, _Setting] = {}
    found = []
    for mention in figures:
        if not mention.counted_key:
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
        if _breaks_clause(doc.body[mention.end : following[0].start]):
            continue  # "أوقيانيا (11)، وأميركا": the number counts the word before it
        if len(following) == 2 and any(
            ch in _CLAUSE_BREAKS for ch in doc.body[following[0].end : following[1].start]
        ):
            following = following[:1]  # "238 حالة، أما الولادات": the modifier is elsewhere
        key = " ".join([mention.counted_key, *(t.stem for t in following[1:])])
        label = doc.body[following[0].start : following[-1].end]
        speaker = _speaker_at(doc, speakers, mention.start, mention.end)
        number_index = bisect_left(token_starts, mention.start)
        context: set[str] = set()
        index = number_index - 1
        while index >= 0 and facts.token_sentence[index] == sentence:
            if is_content(tokens[index]):
                context.add(tokens[index].stem)
                if len(context) == CONTEXT_WORDS:
                    break
            index -= 1
        if sentence not in settings:
            settings[sentence] = _setting(doc, sentence, words)
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
                others=tuple(m for m in by_sentence[mention.sentence_start] if m is not mention),
                direction=_direction(doc, number_index, sentence, words),
                subject=_market_subject(doc, number_index, sentence, words),
                setting=settings[sentence],
            )
        )
    return found


def _is_figure(doc: StoryDoc, mention: NumberMention, words: _Words) -> bool:
    """A number that gives an amount: not vague, a date, a year, a clock time or an ordinal."""
    if mention.vague or math.isnan(mention.value):
        return False
    if any(d.start < mention.end and mention.start < d.end for d in doc.dates):
        return False  # "30-31 تشرين الأول": a date, not a count
    if not mention.is_percent and mention.value.is_integer() and 1300 <= mention.value <= 2100:
        return False  # a year (1436 هـ، 2015)
    return not (_in_compound(doc.body, mention) or _not_a_count(doc.body, mention, words))


def _breaks_clause(gap: str) -> bool:
    """Punctuation other than brackets between two words: they belong to different clauses."""
    return any(ch in _CLAUSE_BREAKS and ch not in "()" for ch in gap)


def _direction(doc: StoryDoc, number_index: int, sentence: int, words: _Words) -> str:
    """The move ("rise", "fall", "flat") the nearest such word before the number names."""
    tokens, token_sentence = doc.facts.tokens, doc.facts.token_sentence
    index = number_index - 1
    while index >= 0 and token_sentence[index] == sentence:
        text = tokens[index].text
        for move, listed in (("rise", words.rise), ("fall", words.fall), ("flat", words.flat)):
            if text in listed:
                return move
        index -= 1
    return ""


def _market_subject(doc: StoryDoc, number_index: int, sentence: int, words: _Words) -> str:
    """What the nearest market word before the number prices (gold, brent), or ""."""
    tokens, token_sentence = doc.facts.tokens, doc.facts.token_sentence
    index = number_index - 1
    while index >= 0 and token_sentence[index] == sentence:
        subject = words.market_subjects.get(tokens[index].stem)
        if subject:
            return subject
        index -= 1
    return ""


def _setting(doc: StoryDoc, sentence: int, words: _Words) -> _Setting:
    """Ordinal items, clock times and market words of one sentence."""
    if sentence < 0:
        return _Setting(frozenset(), frozenset(), market=False, moments=frozenset())
    facts = doc.facts
    start, end = facts.sentences[sentence]
    index = bisect_left(facts.token_starts, start)
    items = set()
    previous: Token | None = None
    while index < len(facts.tokens) and facts.token_sentence[index] == sentence:
        token = facts.tokens[index]
        index += 1
        rank = words.ordinals.get(token.stem)
        if rank is not None and previous is not None and previous.stem not in words.ordinals:
            items.add((previous.stem, rank))
        previous = token if is_content(token) else None
    return _Setting(
        frozenset(items),
        frozenset(_CLOCK.findall(fold(doc.body[start:end]))),
        market=not words.market.isdisjoint(facts.sentence_stems[sentence]),
        moments=words.market_moments & facts.sentence_stems[sentence],
    )


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
    ).rstrip(" (").endswith("رقم")


def _is_range(a: _Quantity, b: _Quantity) -> bool:
    if a.doc is not b.doc:
        return False
    first, second = sorted((a.mention, b.mention), key=lambda m: m.start)
    gap = a.doc.body[first.end : second.start]
    if len(gap) > MAX_RANGE_GAP:
        return False
    words = fold(gap).replace("-", " - ").split()
    return all(word in RANGE_WORDS for word in words)


def _same_event(a: _Quantity, b: _Quantity, weight: dict[str, float]) -> bool:
    """The two sentences state one fact: the other's words hold most of the smaller one's
    weight, words rare in the story (names, places) weighing most, so that two filled-in
    templates (two films' takings, two patients' ages) do not pass for one."""
    if a.sentence < 0 or b.sentence < 0:
        return False
    key_stems = set(a.key.split()) | set(b.key.split())
    stems_a = a.doc.facts.sentence_stems[a.sentence] - key_stems
    stems_b = b.doc.facts.sentence_stems[b.sentence] - key_stems
    shared = stems_a & stems_b
    smaller = min((stems_a, stems_b), key=len)
    if not smaller or len(shared) < MIN_SHARED_CONTEXT:
        return False
    if len(shared) / len(smaller) < MIN_CONTEXT_CONTAINMENT:
        return False
    total = sum(weight[s] for s in smaller)
    return total > 0 and sum(weight[s] for s in shared & smaller) / total >= MIN_FACT_WEIGHT


def _same_measure(a: _Quantity, b: _Quantity) -> bool:
    """The words just before the two numbers describe the same measure."""
    shared = len(a.context & b.context)
    smaller = min(len(a.context), len(b.context))
    if smaller == 0:
        return True  # a number opening its sentence: only the sentence can tell
    return shared >= min(MIN_SHARED_LOCAL, smaller) and shared / smaller >= MIN_LOCAL_CONTAINMENT


def _same_noun_phrase(a: _Quantity, b: _Quantity) -> bool:
    """Both count the same noun with the same word after it (مدنيا قتلوا، شخصا وإصابة) in
    sentences that share a good part of their words: the same measure, however differently
    the words before the number attribute it."""
    return a.key == b.key and " " in a.key and _overlap(a, b) >= SAME_PHRASE_OVERLAP


def _overlap(a: _Quantity, b: _Quantity) -> float:
    """Jaccard overlap of the content stems of the two numbers' sentences."""
    stems_a = a.doc.facts.sentence_stems[a.sentence]
    stems_b = b.doc.facts.sentence_stems[b.sentence]
    union = len(stems_a | stems_b)
    return len(stems_a & stems_b) / union if union else 0.0


def _plausible(a: _Quantity, b: _Quantity) -> bool:
    low, high = sorted((abs(a.mention.value), abs(b.mention.value)))
    return low > 0 and (high / low <= MAX_VALUE_RATIO or garbled(a.mention, b.mention))


def garbled(a: NumberMention, b: NumberMention, *, min_digits: int = 2) -> bool:
    """The two numerals have the same digits in another order (7.1 / 1.7, 89.463 / 463.89):
    one figure, its digits mangled by one outlet (right-to-left number groups)."""
    digits_a = [ch for ch in _THOUSANDS.sub("", fold(a.text)) if ch.isdigit()]
    digits_b = [ch for ch in _THOUSANDS.sub("", fold(b.text)) if ch.isdigit()]
    low, high = sorted((abs(a.value), abs(b.value)))
    return (
        len(digits_a) >= min_digits
        and digits_a != digits_b
        and sorted(digits_a) == sorted(digits_b)
        and low > 0
        and high / low <= MAX_GARBLED_RATIO
    )


def _same_figure(a: NumberMention, b: NumberMention) -> bool:
    """One figure: the same value as written, or mangled (two short numerals often share
    digits). Stricter than :func:`same_when_rounded`, under which 9 would be 9.5."""
    unit = min(rounding_unit(a), rounding_unit(b))
    return a.is_percent == b.is_percent and (
        abs(a.value - b.value) <= unit / 2 * (1 + 1e-9) or garbled(a, b, min_digits=3)
    )


def _anchors_agree(a: _Quantity, b: _Quantity) -> bool:
    """When both sentences give other figures, they share one: the same statement of one
    moment. Filled-in templates differ in all of them (another company's quarter, the
    price an hour later, silver instead of gold)."""
    others_a = [m for m in a.others if m is not b.mention]
    others_b = [m for m in b.others if m is not a.mention]
    if not others_a or not others_b:
        return True
    return any(_same_figure(x, y) for x in others_a for y in others_b)


def _opposite_moves(a: _Quantity, b: _Quantity) -> bool:
    """One figure measures a rise and the other a fall (or no change): two moves."""
    return bool(a.direction and b.direction and a.direction != b.direction)


def _different_items(a: _Quantity, b: _Quantity) -> bool:
    """The sentences give one noun different ordinals (الدفعة الثانية / الثالثة)."""
    ranks_a: dict[str, set[int]] = defaultdict(set)
    for noun, rank in a.setting.items:
        ranks_a[noun].add(rank)
    ranks_b: dict[str, set[int]] = defaultdict(set)
    for noun, rank in b.setting.items:
        ranks_b[noun].add(rank)
    return any(ranks_a[noun] != ranks_b[noun] for noun in ranks_a.keys() & ranks_b.keys())


def _different_market_moments(a: _Quantity, b: _Quantity) -> bool:
    """Market figures (prices, indexes, stocks) are one quantity only for one thing priced
    (gold is not palladium) at one moment: reports published within MARKET_HOURS (or dated
    to one day by their sentences), at the same stated clock time and market moment
    (settlement, spot), in nearly the same words (the same wire report)."""
    if not (a.setting.market or b.setting.market):
        return False
    if a.day is not None and b.day is not None and a.day[0] == a.day[1] == b.day[0] == b.day[1]:
        apart = False  # both sentences date the figure to one day (اليوم / أمس)
    else:
        hours = abs((a.doc.published - b.doc.published).total_seconds()) / 3600
        apart = hours > MARKET_HOURS
    return (
        apart
        or bool(a.subject and b.subject and a.subject != b.subject)
        or a.setting.clock != b.setting.clock
        or a.setting.moments != b.setting.moments
        or _overlap(a, b) < MARKET_SAME_WORDING
    )


def _different_times(a: _Quantity, b: _Quantity) -> bool:
    """The two figures are of different days: a daily figure and its update."""
    if a.day is not None and b.day is not None:
        return a.day[1] < b.day[0] or b.day[1] < a.day[0]
    gap = abs((a.doc.published.date() - b.doc.published.date()).days)
    return gap > MAX_DAYS_APART


def _gives(
    same_noun: Sequence[NumberMention],
    figures: Sequence[NumberMention],
    mention: NumberMention,
    partner: NumberMention,
) -> bool:
    """The text also gives this figure (to its rounding, or mangled) elsewhere than in the
    partner it is compared with: for the same counted noun, or anywhere when distinctive
    (6.17 مليار is one figure whether the parser reads ريال or خلال after it)."""
    if any(m is not partner and _same_figure(m, mention) for m in same_noun):
        return True
    digits = sum(ch.isdigit() for ch in fold(mention.text))
    return digits >= DISTINCTIVE_DIGITS and any(
        m is not partner and m.is_percent == mention.is_percent and same_when_rounded(m, mention)
        for m in figures
    )


def _comparable(a: _Quantity, b: _Quantity, story: _Story) -> bool:
    if (
        a.mention.counted_key != b.mention.counted_key
        or a.mention.is_percent != b.mention.is_percent
    ):
        return False
    if (
        same_when_rounded(a.mention, b.mention)
        or same_when_cut(a.mention, b.mention)
        or _is_range(a, b)
        or not _plausible(a, b)
    ):
        return False  # 1.31 and 1.3 مليار: the same figure
    if not _anchors_agree(a, b) or _opposite_moves(a, b) or _different_items(a, b):
        return False  # two facts of one template
    if a.doc is not b.doc and _different_market_moments(a, b):
        return False  # the price an hour later
    if a.doc is not b.doc and (
        _gives(
            story.by_noun.get((b.doc.article, a.mention.counted_key), []),
            story.figures[b.doc.article],
            a.mention,
            b.mention,
        )
        or _gives(
            story.by_noun.get((a.doc.article, b.mention.counted_key), []),
            story.figures[a.doc.article],
            b.mention,
            a.mention,
        )
    ):
        return False  # one text also gives the other's figure: another item of one list
    if a.doc.outlet != b.doc.outlet:
        return (
            _same_event(a, b, story.sentence_weight)
            and (_same_measure(a, b) or _same_noun_phrase(a, b))
            and not _different_times(a, b)
        )
    # Within one outlet only the figures of one sentence are compared, attributed to
    # different speakers: different articles of one outlet are usually updates (the toll
    # rose), and figures of two sentences of one article usually measure different things
    # (two prizes, two funds) whoever the speaker parser credits them to.
    return (
        a.doc is b.doc
        and a.sentence == b.sentence
        and a.key == b.key  # أربعة أشخاص قتلوا / ثمانية أشخاص أصيبوا: two measures
        and bool(a.speaker)
        and bool(b.speaker)
        and a.speaker != b.speaker
    )


def _sentence_weights(docs: Sequence[StoryDoc]) -> dict[str, float]:
    """IDF of every stem over the story's sentences: rare words weigh most (smoothed, so
    that the words of a two-sentence story still weigh something)."""
    holding: Counter[str] = Counter()
    sentences = 0
    for doc in docs:
        for stems in doc.facts.sentence_stems:
            holding.update(stems)
            sentences += 1
    return {stem: math.log(1 + sentences / count) for stem, count in holding.items()}


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
    figures: dict[int, list[NumberMention]] = {}
    for doc in docs:
        figures[doc.article] = _figures(doc)
        for quantity in _quantities(doc, speakers, figures[doc.article]):
            counted = quantity.mention.counted_key
            by_key.setdefault((counted, quantity.mention.is_percent), []).append(quantity)
            by_noun[doc.article, counted].append(quantity.mention)
    if not by_key:
        return []
    story = _Story(by_noun, figures, _sentence_weights(docs))
    found: list[NumberDisagreement] = []
    for (key, percent), quantities in by_key.items():
        for i, a in enumerate(quantities):
            for b in quantities[i + 1 :]:
                if not _comparable(a, b, story):
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
