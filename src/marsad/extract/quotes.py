"""Attributed statements ("who said what") in Arabic news text.

Arabic news reports speech with a small set of constructions, which this module matches
with regular expressions over the MATCH-folded text (so أكد/اكد, إن/ان, «/" are one form)
and maps back to offsets in the original text:

* ``وقال X إن ...``, ``وأكد X أن ...``, ``وأشار X إلى أن ...``, ``ونوهت بأن ...``;
* ``قال X: «...»``, ``وأضاف X "..."`` (direct quotations, which may span sentences);
* ``مشيرا إلى أن ...`` and cues without a subject (``وأضاف أن``) continue the last speaker;
* ``وكانت X قد قالت إن ...`` (subject before the verb);
* ``ونقلت وكالة X عن Y قوله إن ...`` (Y speaks, X is the source);
* ``وجاء في بيان الوزارة أن ...``;
* ``بحسب X، ...`` / ``...، بحسب X`` (attribution by preposition).

Speakers are the noun phrase between the cue and the complement, cut before adverbials
(في تصريح، أمس، للصحفيين) listed in ``data/speaker_words_ar.txt``. A bare definite role
(المصدر، الوزير) refers back to the last speaker whose mention has the same head.
Word lists live in ``data/cue_verbs_ar.txt`` and ``data/speaker_words_ar.txt``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from marsad.extract.aliases import is_role_word, is_title_word
from marsad.text.arabic import STOPWORDS, fold, sentence_spans, split_proclitics, word_sections

MAX_SPEAKER_WORDS = 28  # words between a cue and its complement; more means no complement
MIN_QUOTE_WORDS = 5  # a shorter quotation is a name ("سانا", «داعش»), not a statement
MAX_QUOTE_CHARS = 3000  # a direct quotation longer than this has lost its closing mark
# Quotation marks and their closers; Saudi papers also quote speech in parentheses.
_CLOSING = {"«": "»", "“": "”", "„": "“", '"': '"', "(": ")"}
_TRIM = " \t\n,.;:!?\"'«»“”„()-–—،؛؟…"


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One attributed statement; all offsets index the original text.

    ``speaker`` is the mention as written at this statement (``المصدر``) or, when the cue
    has no subject (``وأضاف أن``), the earlier mention it continues. ``speaker_resolved``
    is the fullest earlier mention the speaker refers to (equal to ``speaker`` for a new
    speaker); canonical forms come from :func:`marsad.extract.aliases.canonical_name`.
    """

    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_resolved: str
    cue: str  # the cue word as written (وقال, مشيرة, بحسب)
    start: int  # statement span: the reported clause or the quotation's inside
    end: int
    direct: bool  # the span is a quotation
    source: str | None  # intermediary of a relayed statement (نقلت X عن Y)
    sentence_start: int  # the sentence(s) holding cue and statement
    sentence_end: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    cue_re: re.Pattern[str]
    verbs_in: frozenset[str]
    relay: frozenset[str]
    participles: frozenset[str]
    subject_verbs: frozenset[str]
    np_verbs: frozenset[str]
    np_verbs_an: frozenset[str]
    speech_verbs: frozenset[str]  # cues that may have a subject and a complement
    breaks: dict[str, tuple[tuple[str, ...], ...]]  # by first word; a final "*" is a prefix
    trailing: frozenset[str]
    anaphors: frozenset[str]


def _read_sections(name: str) -> dict[str, list[str]]:
    """A ``[section]`` word list from package data, every entry folded."""
    return {key: [fold(e) for e in entries] for key, entries in word_sections(name).items()}


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    cues = _read_sections("cue_verbs_ar.txt")
    words = _read_sections("speaker_words_ar.txt")
    verbs = {
        v for section in ("verbs", "verbs_in", "relay", "subject_verbs") for v in cues[section]
    }
    verb_forms = {v for base in verbs for v in (base, base + "ت")} | set(cues["verbs_fem"])
    participles = {f for p in cues["participles"] for f in (p, p[:-1] + "ه")}
    attributions = [re.escape(a).replace(r"\ ", " ") for a in cues["attribution"]]
    alternation = "|".join(sorted((re.escape(w) for w in verb_forms | participles), key=len))
    # Longest alternatives first so أكدت wins over أكد; the cue is a whole word, with an
    # optional conjunction, preceded by a separator.
    cue_re = re.compile(
        r'(?:^|(?<=[\s,;:"(]))(?P<conj>[وف]?)(?:'
        f"(?P<cue>{'|'.join(sorted(alternation.split('|'), key=len, reverse=True))})"
        f"|(?P<attr>{'|'.join(sorted(attributions, key=len, reverse=True))})"
        r')(?=[\s,;:"]|$)'
    )
    return _Lexicon(
        cue_re=cue_re,
        verbs_in=frozenset(f for v in cues["verbs_in"] for f in (v, v + "ت")),
        relay=frozenset(f for v in cues["relay"] for f in (v, v + "ت")),
        participles=frozenset(participles),
        subject_verbs=frozenset(
            f for v in cues["subject_verbs"] for f in (v, v + "ت", v[:-1] + "ت")
        ),
        np_verbs=frozenset(f for v in cues["np_verbs"] for f in (v, v + "ت", v[:-1] + "ت")),
        np_verbs_an=frozenset(f for v in cues["np_verbs_an"] for f in (v, v + "ت")),
        speech_verbs=frozenset(f for v in cues["verbs"] for f in (v, v + "ت"))
        | frozenset(cues["verbs_fem"]),
        breaks=_index_breaks(words["breaks"]),
        trailing=frozenset(words["trailing"]),
        anaphors=frozenset(words["anaphors"]),
    )


# The complement that opens a reported clause: إن/أن/بأن with an optional pronoun, possibly
# after إلى/على/عن/في (أشار إلى أن، شدد على أن); or a colon; or an opening quotation mark.
_MARKER_RE = re.compile(
    r'(?:(?<=[\s,])|^)(?:(?:الي|علي|عن|في) )?(?P<comp>ب?ان(?:ه|ها|هم|هما|نا|ني|كم)?)(?=[\s,.":]|$)'
    r'|(?P<colon>:)|(?P<quote>["(])'
)
# أن after these words is temporal or concessive (بعد أن), not a reported clause.
_NOT_COMPLEMENT_BEFORE = frozenset({"بعد", "قبل", "منذ", "دون", "حين", "رغم", "الا", "بدل", "لاجل"})
# A subject before its verb: وكانت X قد قالت / ويذكر أن X أعلنت.
_KANA_RE = re.compile(r'(?:^|(?<=[\s,;"]))(?:و?كان(?:ت)?|ان) ')
MAX_PREVERBAL_WORDS = 6
_NEW_CLAUSE_RE = re.compile(r",\s*وكان(?:ت)?\s")
_WORD_RE = re.compile(r"\S+")
_RELAY_NOUN_RE = re.compile(r"\s(?:قول|تاكيد|تصريح|اشار)\S*")


@dataclass(slots=True)
class _Text:
    """The original text with its folded form and the maps between them."""

    original: str
    folded: str
    offsets: Sequence[int]  # folded index -> original index
    sentences: list[tuple[int, int]]  # original offsets
    sentence_starts: list[int]

    def orig(self, index: int) -> int:
        """Original offset of the folded character at ``index`` (end positions: index - 1)."""
        return self.offsets[index] if index < len(self.offsets) else len(self.original)

    def orig_end(self, index: int) -> int:
        """Original end offset for a folded span ending at ``index``."""
        # A folded space carries the offset of the word after it, so spans end before it.
        while index > 0 and self.folded[index - 1] == " ":
            index -= 1
        return self.offsets[index - 1] + 1 if index > 0 else 0

    def folded_at(self, orig_index: int) -> int:
        return bisect_left(self.offsets, orig_index)

    def sentence_of(self, orig_index: int) -> tuple[int, int]:
        position = bisect_right(self.sentence_starts, orig_index) - 1
        if position < 0:
            return self.sentences[0] if self.sentences else (0, len(self.original))
        return self.sentences[position]


@dataclass(frozen=True, slots=True)
class _Mention:
    text: str
    start: int
    end: int
    resolved: str
    description: str = ""  # folded speaker phrase with appositions (إيغر كوناشينكوف، المتحدث ...)


def _matching_quote(text: str, opening: int) -> int | None:
    """Index of the mark closing the quotation opened at ``text[opening]``, within its paragraph.

    Nested quotations of the same kind are counted: «...«داعش»...» closes at the last ».
    For ASCII ``"``, a mark preceded by a space and followed by a letter opens, others close.
    """
    mark = text[opening]
    closing = _CLOSING.get(mark)
    if closing is None:
        return None
    depth = 1
    limit = min(len(text), opening + MAX_QUOTE_CHARS)
    for index in range(opening + 1, limit):
        ch = text[index]
        if ch == "\n":
            return None
        if mark == '"' and ch == '"':
            before = text[index - 1]
            after = text[index + 1] if index + 1 < len(text) else " "
            opens = (before.isspace() or before in "(:") and not after.isspace()
            depth += 1 if opens else -1
        elif ch == closing:
            depth -= 1
        elif ch == mark:
            depth += 1
        if depth == 0:
            return index
    return None


def _is_break(words: list[str], index: int, breaks: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    """Whether a break phrase starts at ``words[index]``; ``breaks`` is keyed by first word."""
    word = words[index]
    for phrase in breaks.get(word, ()) + breaks.get("*", ()):
        if index + len(phrase) > len(words):
            continue
        last = len(phrase) - 1
        if all(
            words[index + k] == part
            or (k == last and part.endswith("*") and words[index + k].startswith(part[:-1]))
            for k, part in enumerate(phrase)
        ):
            return True
    return False


def _index_breaks(entries: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Break phrases keyed by their first word (``"*"`` for one-word prefix entries)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        phrase = tuple(entry.split())
        key = "*" if len(phrase) == 1 and phrase[0].endswith("*") else phrase[0]
        index.setdefault(key, []).append(phrase)
    return {key: tuple(phrases) for key, phrases in index.items()}


def _is_name_word(word: str) -> bool:
    """A word that can belong to a personal or organisation name (not ال-, not a role)."""
    bare = word.strip(_TRIM)
    return (
        bool(bare)
        and not bare.startswith("ال")
        and bare != "باسم"
        and fold(bare) not in STOPWORDS
        and not is_title_word(bare)
    )


def _speaker_span(doc: _Text, start: int, end: int) -> tuple[int, int, int]:
    """Folded span of the speaker noun phrase inside ``folded[start:end]`` (may be empty).

    Returns ``(start, end, phrase_end)``; ``phrase_end`` also covers appositions (the role
    after a name), which help resolve later references such as المتحدث باسم الوزارة.
    """
    lex = _lexicon()
    region = doc.folded[start:end]
    matches = list(_WORD_RE.finditer(region))
    words = [m.group().strip(_TRIM) for m in matches]
    kept: list[re.Match[str]] = []
    first = _skip_media_phrase(matches)
    if first < len(matches) and fold(words[first]) in STOPWORDS:
        return start, start, start  # وأضاف لم يسبق أن ...: no subject, the clause starts early
    for index, match in enumerate(matches[first:], first):
        raw = match.group()
        if raw.startswith(("-", "(", 'ل"')) or _is_break(words, index, lex.breaks):
            break
        kept.append(match)
        if raw.endswith(("-", ")")):
            break
    if not kept or kept[0].group().startswith(","):
        return start, start, start  # a comma right after the cue opens an adverbial
    # Comma segments: keep the first, plus a following name when the first is only a role
    # (الرئيس الروسي، فلاديمير بوتين، خلال ...).
    segments: list[list[re.Match[str]]] = [[]]
    for match in kept:
        if match.group().strip(_TRIM):
            segments[-1].append(match)
        if match.group().endswith(","):
            segments.append([])
    chosen = segments[0]
    if (
        segments[0]
        and len(segments) > 1
        and segments[1]
        and any(is_role_word(m.group()) for m in segments[0])
        and len(segments[1]) <= 4
        and all(_is_name_word(m.group()) for m in segments[1])
    ):
        chosen = segments[0] + segments[1]
    while chosen and chosen[-1].group().strip(_TRIM) in lex.trailing:
        chosen = chosen[:-1]
    if not chosen:
        return start, start, start
    span_start = start + chosen[0].start()
    span_end = start + chosen[-1].end()
    while span_start < span_end and doc.folded[span_start] in _TRIM:
        span_start += 1
    while span_end > span_start and doc.folded[span_end - 1] in _TRIM:
        span_end -= 1
    if doc.folded.count('"', span_start, span_end) % 2 and doc.folded.startswith('"', span_end):
        span_end += 1  # keep a quoted name whole: "سيرغي لافروف"
    return span_start, span_end, start + kept[-1].end()


def _skip_media_phrase(matches: list[re.Match[str]]) -> int:
    """Index of the first word after a leading ``لـ«الاقتصادية»`` (the outlet spoken to)."""
    if not matches:
        return 0
    first = matches[0].group()
    if first == "ل" and len(matches) > 1 and matches[1].group().startswith('"'):
        opening = 1  # لـ «الاقتصادية» (the tatweel folds away, leaving ل and a space)
    elif first.startswith('ل"'):
        opening = 0
    else:
        return 0
    for index in range(opening, len(matches)):
        word = matches[index].group().rstrip(_TRIM.replace('"', ""))
        if word.endswith('"') and (index > opening or word.count('"') > 1):
            return index + 1
    return 0


def _find_marker(doc: _Text, start: int, limit: int) -> re.Match[str] | None:
    """The first complement marker after ``start`` in the folded text, skipping names in quotes."""
    position = start
    while True:
        match = _MARKER_RE.search(doc.folded, position, limit)
        if match is None:
            return None
        if match.group("comp"):
            before = doc.folded[max(start, match.start() - 8) : match.start()].split()
            if before and before[-1] in _NOT_COMPLEMENT_BEFORE:
                position = match.end()
                continue
            return match
        if match.group("colon"):
            return match
        opening = doc.orig(match.start())
        closing = _matching_quote(doc.original, opening)
        if closing is not None:
            inside = doc.original[opening + 1 : closing]
            if len(inside.split()) < MIN_QUOTE_WORDS and not any(c in inside for c in ".!?؟"):
                position = doc.folded_at(closing) + 1  # a quoted name: part of the speaker
                continue
        return match


def _statement_span(
    doc: _Text, content: int, boundary: int, sentence_end: int
) -> tuple[int, int, bool]:
    """Original ``(start, end, direct)`` of the content opening at folded ``content``.

    Content opening with a quotation mark is the quotation (to its closing mark, or to the
    sentence end when it never closes); other content runs to ``boundary``.
    """
    original = doc.original
    start = doc.orig(content)
    while start < len(original) and (original[start].isspace() or original[start] == ":"):
        start += 1
    direct = start < len(original) and original[start] in _CLOSING
    if direct:
        closing = _matching_quote(original, start)
        if closing is not None:
            start += 1
            while start < closing and original[start].isspace():
                start += 1
            return start, closing, True
        start += 1
        boundary = sentence_end
    end = doc.orig_end(boundary)
    while end > start and original[end - 1] in _TRIM:
        end -= 1
    return start, end, direct


class _OneCharFold(dict[int, str]):
    """``str.translate`` table folding each character to exactly one character.

    Whitespace becomes a space; a character that :func:`fold` deletes (diacritics, tatweel)
    or expands becomes NUL, which sends the text to the exact but slower
    :func:`fold_with_offsets`. Entries are computed on first sight and cached.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = " " if ch.isspace() else fold(ch)
        # An expansion (… -> ...) keeps its first character, so lengths stay equal.
        self[code] = folded[0] if folded else "\0"
        return self[code]


_ONE_CHAR_FOLD = _OneCharFold()
_KEPT_RUN_RE = re.compile("[^\0]+")


def _fold_text(text: str) -> tuple[str, Sequence[int]]:
    """MATCH-folded text and, per folded character, its offset in ``text``.

    Unlike :func:`fold_with_offsets` (exact, but a Python loop per character) this folds
    with one C-speed ``translate``; deleted characters (diacritics, tatweel) are then cut
    out run by run. Whitespace runs are not collapsed.
    """
    folded = text.translate(_ONE_CHAR_FOLD)
    if "\0" not in folded:
        return folded, range(len(text))
    offsets: list[int] = []
    for run in _KEPT_RUN_RE.finditer(folded):
        offsets.extend(range(run.start(), run.end()))
    return folded.replace("\0", ""), offsets


def _analyze(text: str) -> _Text:
    folded, offsets = _fold_text(text)
    sentences = sentence_spans(text)
    return _Text(text, folded, offsets, sentences, [s for s, _ in sentences])


def _resolve(speaker: str, history: list[_Mention]) -> _Mention | None:
    """The earlier mention a bare definite description (المصدر، المتحدث باسم الوزارة) refers to.

    The description is anaphoric when it opens with a role head and names nobody (a place
    after في may follow: المصدر في وزارة الخارجية); it refers to the latest speaker whose
    phrase, appositions included, contains the same head.
    """
    lex = _lexicon()
    words = [w.strip(_TRIM) for w in speaker.split()]
    if not words or not (words[0] in lex.anaphors or is_role_word(words[0])):
        return None
    if any(_is_name_word(w) for w in words) and (len(words) < 2 or words[1] != "في"):
        return None
    head = split_proclitics(words[0])
    for mention in reversed(history):
        phrase = mention.description or fold(mention.resolved)
        if any(split_proclitics(w.strip(_TRIM)) == head for w in phrase.split()):
            return mention
    return None


def _clause_start(doc: _Text, cue_start: int, sentence_start: int) -> int:
    """Folded start of the clause that holds the cue (after the last comma or sentence start)."""
    comma = doc.folded.rfind(",", sentence_start, cue_start)
    return max(comma + 1, sentence_start)


def _opens_clause(doc: _Text, cue: re.Match[str]) -> bool:
    """Whether a cue starts a new clause (وقال، ، مشيرا، sentence start), so it can end the
    clause reported before it; a bare verb inside a reported clause (أن الإجراءات أوضحت) cannot."""
    if cue.group("conj") or cue.group("attr") or cue.group("cue") in _lexicon().participles:
        return True
    before = doc.folded[max(0, cue.start() - 6) : cue.start()].rstrip()
    return not before or before[-1] in ',;:."' or before.endswith(("كما", "ثم", "فيما"))


def _next_boundary(cue_starts: list[int], after: int, sentence_end: int) -> int:
    """Where a reported clause ends: the next cue in the sentence, or the sentence end."""
    position = bisect_right(cue_starts, after)
    if position < len(cue_starts) and cue_starts[position] < sentence_end:
        return cue_starts[position]
    return sentence_end


def extract_statements(text: str) -> list[Statement]:
    """Finds attributed statements, direct and reported, with their speakers.

    Args:
        text: an article body in DISPLAY form (original spelling).

    Returns:
        Statements in text order. ``text[s.start:s.end]`` is the statement and
        ``text[s.speaker_start:s.speaker_end]`` the speaker mention.
    """
    if not text.strip():
        return []
    doc = _analyze(text)
    lex = _lexicon()
    cues = [
        cue
        for cue in lex.cue_re.finditer(doc.folded)
        if cue.group("cue") not in lex.verbs_in or doc.folded.startswith(" في ", cue.end())
    ]
    cue_starts = [m.start() for m in cues if _opens_clause(doc, m)]
    statements: list[Statement] = []
    history: list[_Mention] = []
    covered_until = -1  # folded end of the last direct quotation: cues inside are quoted words
    for cue in cues:
        if cue.start() < covered_until:
            continue
        found = _statement_at(doc, cue, cue_starts, history)
        if found is None:
            continue
        statement, mention = found
        history.append(mention)
        if statement is None:
            continue
        statements.append(statement)
        if statement.direct:
            covered_until = doc.folded_at(statement.end)
    return statements


def _statement_at(
    doc: _Text, cue: re.Match[str], cue_starts: list[int], history: list[_Mention]
) -> tuple[Statement | None, _Mention] | None:
    """The statement (or, for act verbs, only the new speaker) introduced by one cue."""
    sentence_start, sentence_end = doc.sentence_of(doc.orig(cue.start()))
    folded_sentence_start = doc.folded_at(sentence_start)
    folded_sentence_end = doc.folded_at(sentence_end)
    if cue.group("attr"):
        found = _attribution_at(doc, cue, cue_starts, folded_sentence_start, folded_sentence_end)
        if found is None:
            return None
        source_mention = _Mention(
            found.speaker,
            found.speaker_start,
            found.speaker_end,
            found.speaker,
            fold(found.speaker),
        )
        return found, source_mention
    lex = _lexicon()
    word = cue.group("cue")
    region_start = cue.end()
    if word in lex.verbs_in:
        if not doc.folded.startswith(" في ", region_start):
            return None
        region_start += len(" في")
    next_cue = _next_boundary(cue_starts, cue.start(), folded_sentence_end)
    marker = None
    if word not in lex.subject_verbs:
        marker = _find_marker(doc, region_start, next_cue)
    if (
        marker is not None
        and _word_count(doc.folded[region_start : marker.start()]) > MAX_SPEAKER_WORDS
    ):
        marker = None
    if marker is None:
        return _unmarked_at(doc, cue, region_start, next_cue, history)
    source: str | None = None
    speaker_region_start = region_start
    speaker_region_end = marker.start()
    if word in lex.relay:
        relay = re.search(r"\sعن\s", doc.folded[region_start : marker.start()])
        if relay is None:
            return None
        src_start, src_end, _ = _speaker_span(doc, region_start, region_start + relay.start())
        source = doc.original[doc.orig(src_start) : doc.orig_end(src_end)]
        speaker_region_start = region_start + relay.end() - 1
    if word in lex.participles:
        span = (speaker_region_start,) * 3
    else:
        span = _speaker_span(doc, speaker_region_start, speaker_region_end)
        if span[0] == span[1]:
            span = _preverbal_subject(doc, cue.start(), folded_sentence_start)
    mention = _mention(doc, span, history)
    if mention is None:
        return None
    content = marker.start() if marker.group("quote") else marker.end()
    boundary = _clause_boundary(
        doc, marker.end(), _next_boundary(cue_starts, marker.end(), folded_sentence_end)
    )
    if _is_relayed_subject(doc, content, boundary):
        # وأفاد موقع X أن لافروف أعرب ...: the clause names the real speaker of the next cue.
        relayed = _mention(doc, _speaker_span(doc, content, boundary), history)
        return (None, relayed) if relayed else None
    start, end, direct = _statement_span(doc, content, boundary, folded_sentence_end)
    if end <= start:
        return None
    return _make_statement(doc, mention, cue, start, end, direct, source), mention


def _is_relayed_subject(doc: _Text, content: int, boundary: int) -> bool:
    """A reported clause that is only a subject (1-3 words) followed by a speech verb."""
    clause = doc.folded[content:boundary].strip()
    following = doc.folded[boundary : boundary + 20].split()
    if not following or not 0 < len(clause.split()) <= 3 or clause.startswith('"'):
        return False
    verb = following[0][1:] if following[0][:1] in "وف" else following[0]
    is_speech = following[0] in _lexicon().speech_verbs or verb in _lexicon().speech_verbs
    return is_speech and all(_is_name_word(w) for w in clause.split())


def _unmarked_at(
    doc: _Text, cue: re.Match[str], region_start: int, next_cue: int, history: list[_Mention]
) -> tuple[Statement | None, _Mention] | None:
    """A cue without a complement: ``أعلن X، Y، تحرير ...`` or an act verb (ودعت X، Y، ...).

    Only a subject closed by a comma (or by عن/ب after كشف/اعترف) is trusted, since without
    a complement nothing else tells where the subject ends.
    """
    lex = _lexicon()
    word = cue.group("cue")
    if word in lex.participles:
        return None
    if doc.folded.startswith(" ذلك ", region_start):
        region_start += len(" ذلك")  # أوضح ذلك X، مدير ...: the object comes first
    limit = _clause_boundary(doc, region_start, next_cue)
    span = _speaker_span(doc, region_start, limit)
    sp_start, sp_end, _ = span
    if sp_start == sp_end:
        return None
    after = doc.folded[sp_end:limit]
    closed = re.match(r'\s*"?\s*(?:,|\sعن\s|\sب)', after)
    subject = doc.folded[sp_start:sp_end].split()
    # Without a complement a bare noun phrase may be the object, so the subject must be a role
    # with a name (الرئيس الروسي، فلاديمير بوتين،) or end at عن (أعلنت شركة أبل عن تحقيق).
    if closed is None or not any(_is_name_word(w) for w in subject):
        return None
    if "عن" in closed.group():
        if word not in lex.np_verbs_an:
            return None
    elif not any(is_role_word(w) for w in subject):
        return None
    mention = _mention(doc, span, history)
    if mention is None or word not in lex.np_verbs:
        # Act verbs and speech verbs without a complement only name the current speaker.
        return (None, mention) if mention else None
    content = sp_end + closed.end()
    # Skip adverbial segments (خلال لقائه ...، أمس،) between the subject and the content.
    while True:
        rest = doc.folded[content:limit]
        words = rest.split()
        comma = rest.find(",")
        if not words or comma < 0 or not _is_break(words, 0, lex.breaks):
            break
        content += comma + 1
    start, end, direct = _statement_span(doc, content, limit, limit)
    if end <= start or _word_count(doc.original[start:end]) < 2:
        return None
    return _make_statement(doc, mention, cue, start, end, direct, None), mention


def _word_count(folded: str) -> int:
    """Words in a speaker region, not counting a dash-delimited parenthesis (- للصحفيين -)."""
    return len(re.sub(r"\s-\s.*?\s-(?=\s)", " ", folded).split())


def _preverbal_subject(doc: _Text, cue_start: int, sentence_start: int) -> tuple[int, int, int]:
    """Subject of ``وكانت X قد قالت``, which precedes its verb; an empty span if none."""
    clause_start = _clause_start(doc, cue_start, sentence_start)
    openers = list(_KANA_RE.finditer(doc.folded, clause_start, cue_start))
    if not openers:
        return cue_start, cue_start, cue_start
    subject_start = openers[-1].end()  # the nearest opener: إذا كان ... أن X قالت
    subject_end = cue_start
    if doc.folded.endswith(" قد ", subject_start, cue_start):
        subject_end -= len(" قد ")
    if len(doc.folded[subject_start:subject_end].split()) > MAX_PREVERBAL_WORDS:
        return cue_start, cue_start, cue_start
    return _speaker_span(doc, subject_start, subject_end)


def _clause_boundary(doc: _Text, start: int, boundary: int) -> int:
    """Ends a clause before ``، وكانت X`` (a new subject-first clause) within ``[start, boundary)``."""
    kana = _NEW_CLAUSE_RE.search(doc.folded, start, boundary)
    return kana.start() if kana else boundary


def _make_statement(
    doc: _Text,
    mention: _Mention,
    cue: re.Match[str],
    start: int,
    end: int,
    direct: bool,
    source: str | None,
) -> Statement:
    sentence_start = doc.sentence_of(doc.orig(cue.start()))[0]
    sentence_end = doc.sentence_of(end - 1)[1]
    return Statement(
        speaker=mention.text,
        speaker_start=mention.start,
        speaker_end=mention.end,
        speaker_resolved=mention.resolved,
        cue=doc.original[doc.orig(cue.start()) : doc.orig_end(cue.end())],
        start=start,
        end=end,
        direct=direct,
        source=source,
        sentence_start=sentence_start,
        sentence_end=max(sentence_end, end),
    )


def _mention(doc: _Text, span: tuple[int, int, int], history: list[_Mention]) -> _Mention | None:
    """The speaker mention at a folded span, resolved; the last speaker when the span is empty."""
    start, end, phrase_end = span
    if start == end:
        return history[-1] if history else None
    orig_start, orig_end = doc.orig(start), doc.orig_end(end)
    written = doc.original[orig_start:orig_end]
    description = doc.folded[start:phrase_end]
    antecedent = _resolve(fold(written), history)
    if antecedent is None:
        return _Mention(written, orig_start, orig_end, written, description)
    return _Mention(written, orig_start, orig_end, antecedent.resolved, antecedent.description)


def _attribution_at(
    doc: _Text,
    cue: re.Match[str],
    cue_starts: list[int],
    sentence_start: int,
    sentence_end: int,
) -> Statement | None:
    """``بحسب X، ...`` (statement after the source) or ``...، بحسب X`` (statement before)."""
    region_start = cue.end()
    if doc.folded.startswith(" ل", region_start):
        region_start += 2  # وفقا لـ X / وفقا ل X
    elif doc.folded.startswith("ل", region_start):
        region_start += 1
    rest = doc.folded[region_start:sentence_end].split()
    if not rest or rest[0] in ("ما", "لما", "للمصادر"):
        return None
    # The source ends at a comma or at فإن (وبحسب بيان للدول الأعضاء فإنه سيتم ...).
    comma = doc.folded.find(",", region_start, sentence_end)
    fa_inna = re.compile(r"\sفان(?:ه|ها)?\s").search(doc.folded, region_start, sentence_end)
    if fa_inna is not None and (comma < 0 or fa_inna.start() < comma):
        comma = fa_inna.start()
    phrase_end = comma if comma >= 0 else sentence_end
    sp_start, sp_end, _ = _speaker_span(doc, region_start, phrase_end)
    if sp_start == sp_end:
        return None
    before = doc.folded[sentence_start : cue.start()].rstrip()
    if before and not before.endswith(","):
        return None  # بشراء العقد وفق شروط معينة: a manner adverbial, not a source
    if not before:
        if comma < 0:
            return None
        boundary = _next_boundary(cue_starts, comma, sentence_end)
        start, end, direct = _statement_span(doc, comma + 1, boundary, sentence_end)
    else:
        start, end, direct = _statement_span(doc, sentence_start, cue.start(), sentence_end)
    if end <= start:
        return None
    written = doc.original[doc.orig(sp_start) : doc.orig_end(sp_end)]
    mention = _Mention(written, doc.orig(sp_start), doc.orig_end(sp_end), written)
    return _make_statement(doc, mention, cue, start, end, direct, None)
