"""Speakers checked against the article's named entities.

The statement rules (:mod:`marsad.extract.quotes`) take a speaker as the phrase between a
cue and its complement, read with word evidence. The tagger (:mod:`marsad.extract.ner`)
reads the same article with a learned model and one sense per document, and the extract
stage has its entities already, so they cost nothing more here. Where the two disagree
the tagger's evidence decides three things the word rules get wrong on unseen text:

* a rule phrase that stops inside a tagged name is cut short: ``مدير مطار الملك عبدالله``
  | ``عبدالله بجازان حامد غريبي`` runs on to the name's end (the name is then found in
  the longer phrase);
* a role with no name (``رئيس الجمعية الوطنية``) is the person set off after it as an
  apposition (``...، محمد ولد إبيليل، أنها``), and a later mention of the same role is
  the person last named with it;
* a definite organisation head (``المنظمة الحقوقية``) is the latest tagged organisation
  whose name opens with that head (``منظمة «هيومن رايتس ووتش»``).

A correction made at a speaker's own mention reaches every statement continuing it
(``مشيرا``، ``وأضاف``) and every later reference resolved to it. Only PERS and ORG spans are
used: places are rarely speakers, and a place inside an organisation's name is not where
the name ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache
from typing import Protocol

from marsad.extract.aliases import is_role_word, is_title_word, without_name_proclitic
from marsad.extract.quotes import (
    Statement,
    is_ordinary_word,
    is_organisation_head,
    is_person_reference,
    speaker_canonical,
    split_speaker,
)
from marsad.text.arabic import STOPWORDS, fold, is_name_compound, word_sections

SPEAKER_LABELS = frozenset(("PERS", "ORG"))
MAX_APPOSITION_GAP = 60  # characters between a role and the name set off after it
MAX_REFERENCE_WORDS = 2  # الشركة، المنظمة الحقوقية: a longer phrase describes, not refers
MAX_HEAD_NAME_GAP = 3  # characters between a tagged head and its tagged quoted name
MAX_BARE_GAP_WORDS = 6  # words of a role between its cut phrase and a name with no comma
# A tagged name extends a rule phrase only over name words: punctuation inside the
# extension means the tagger ran past a clause boundary.
_BREAKS = frozenset(',،.;؛:!?؟()«»"“”\n')
_SENTENCE_BREAKS = frozenset(".!?؟\n")
_NO_QUOTES = str.maketrans("", "", '"«»“”„')
_TRIM_TITLE = " \t\n,.;:،؛-–—"


class NamedSpan(Protocol):
    """What the speaker checks read of a tagged entity (:class:`marsad.extract.ner.Entity`)."""

    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def snap_speakers(
    text: str, statements: Sequence[Statement], entities: Sequence[NamedSpan]
) -> list[Statement]:
    """The statements with their speakers corrected by the article's tagged names.

    Args:
        text: the article body the statements and entities index.
        statements: :func:`marsad.extract.quotes.extract_statements` of ``text``.
        entities: the tagger's entities of ``text`` (any labels; PERS and ORG are read).

    Returns:
        The statements in the same order; a statement the names do not bear on is
        returned as it was.
    """
    names = [e for e in entities if e.label in SPEAKER_LABELS]
    if not names:
        return list(statements)
    by_span: dict[tuple[int, int], Statement] = {}  # a mention's correction, by its span
    by_resolved: dict[str, Statement] = {}  # ... and by the resolved form it replaced
    result: list[Statement] = []
    for statement in statements:
        span = (statement.speaker_start, statement.speaker_end)
        fresh = _is_fresh(statement)
        if span in by_span:
            corrected = by_span[span]
        elif fresh and span[1] > span[0]:
            corrected = _corrected(text, statement, names)
            by_span[span] = corrected
            if corrected.speaker_resolved != statement.speaker_resolved:
                by_resolved[statement.speaker_resolved] = corrected
        elif statement.speaker_resolved in by_resolved:
            corrected = by_resolved[statement.speaker_resolved]
        else:
            result.append(statement)
            continue
        if corrected is not statement:
            statement = replace(
                statement,
                speaker_resolved=corrected.speaker_resolved,
                speaker_title=corrected.speaker_title,
                speaker_description=corrected.speaker_description,
            )
            if fresh:
                statement = replace(
                    statement,
                    speaker=corrected.speaker,
                    speaker_start=corrected.speaker_start,
                    speaker_end=corrected.speaker_end,
                )
        result.append(statement)
    return result


def _is_fresh(statement: Statement) -> bool:
    """Whether the speaker is the mention at its span, not a reference resolved to an
    earlier mention (الوزارة -> وزارة الصحة): only then do the span's edges name it."""
    return fold(statement.speaker) == fold(statement.speaker_resolved)


def _corrected(text: str, statement: Statement, names: Sequence[NamedSpan]) -> Statement:
    """One fresh speaker corrected by the tagged names around it, or the statement itself;
    a tagged name its canonical form cuts short is then kept whole."""
    return _with_whole_name(text, _corrected_span(text, statement, names), names)


def _with_whole_name(text: str, statement: Statement, names: Sequence[NamedSpan]) -> Statement:
    """The statement with the tagged name its speaker phrase holds as the resolved speaker,
    where the phrase's canonical form keeps only part of that name (``محمد`` of ``محمد
    السيد``، ``معهد السياحة بجامعة`` of ``معهد السياحة بجامعة الملك عبدالعزيز``): the
    tagger read the whole name, the word rules stopped at a word that is also a title, a
    common word or a preposition. The name loses its leading titles only; it is taken only
    when its own canonical form keeps every word of it.

    A canonical form that runs past a tagged person's name over ordinary words only
    (``المخرج كاميرون هيل``، ``مشاري العتيبي مبتعث``) gives way to the name as well."""
    phrase = fold(statement.speaker_resolved).split()
    inside = [
        (entity, *_without_titles(text[entity.start : entity.end]))
        for entity in names
        if statement.speaker_start <= entity.start < entity.end <= statement.speaker_end
    ]
    # A phrase that is the tagged name itself has nothing to gain from it: its canonical
    # form is the name's own.
    inside = [item for item in inside if fold(item[1]).split() != phrase]
    if not inside or not _is_fresh(statement):
        return statement
    written = _canonical(statement.speaker_resolved).split()
    canonical = [fold(w) for w in written]
    for entity, name, title in inside:
        words = [fold(w) for w in name.split()]
        if len(canonical) < len(words):
            if not _holds_run(words, canonical):
                continue
        elif len(canonical) == len(words) or not (
            entity.label == "PERS" and _runs_past(written, words)
        ):
            continue
        if [fold(w) for w in _canonical(name).split()] != words:
            continue  # the name rules would cut it again
        before = text[statement.speaker_start : entity.start].strip(_TRIM_TITLE)
        return replace(
            statement,
            speaker_resolved=name,
            speaker_title=" ".join(f for f in (before, title) if f) or statement.speaker_title,
            speaker_description=text[entity.end : statement.speaker_end].strip(_TRIM_TITLE),
        )
    return statement


@lru_cache(maxsize=4096)
def _canonical(resolved: str) -> str:
    """:func:`speaker_canonical`, cached: the same speakers recur from article to article."""
    return speaker_canonical(resolved)


def _runs_past(canonical: Sequence[str], name: Sequence[str]) -> bool:
    """Whether a canonical form holds a tagged person's name of two words or more and, next
    to it, only ordinary words (``نيوزيلندا جيرارد فان بوهيمن``: a place read into the
    name). Any other word next to it may be a part of the name the tagger missed (``جمال``
    of ``جمال نزال``), and a name ending at a connector (``عبدالله بن``) is cut."""
    if (
        len(name) < 2
        or name[0] in _name_connectors()
        or name[-1] in _name_connectors()
        # فارس بن مياح | الشفق: the word after a patronymic is the family name
        or (len(name) >= 2 and name[-2] in _name_connectors())
        or name[0].startswith("و")  # وسياسيون: a conjunction joins another phrase
        or is_organisation_head(canonical[0])  # قناة، مدينة: the phrase names a body
        # دبلوماسيون عرب ... مزاعم نوري المالكي: a plural heads the phrase, a group speaks
        or (fold(canonical[0]).endswith("ون") and is_ordinary_word(canonical[0]))
    ):
        return False
    folded = [fold(w) for w in canonical]
    for at in range(len(folded) - len(name) + 1):
        if folded[at : at + len(name)] == list(name):
            end = at + len(name)
            around = [*canonical[at - 1 : at], *canonical[end : end + 1]]
            # مكتب بوينار، شركة ريد سينيدي: after a head the name is the body's
            owned = at > 0 and is_organisation_head(canonical[at - 1])
            return not owned and all(is_ordinary_word(w) for w in around)
    return False


def _without_titles(name: str) -> tuple[str, str]:
    """A tagged name without its leading titles (``الدكتور محمد السيد``), and the titles."""
    written = " ".join(name.translate(_NO_QUOTES).split()).split()
    first = 0
    while first < len(written) - 1 and is_title_word(written[first]):
        first += 1
    return " ".join(written[first:]), " ".join(written[:first])


def _holds_run(words: Sequence[str], part: Sequence[str]) -> bool:
    """Whether ``part`` is a run of consecutive ``words``."""
    return any(
        list(words[at : at + len(part)]) == list(part) for at in range(len(words) - len(part) + 1)
    )


def _corrected_span(text: str, statement: Statement, names: Sequence[NamedSpan]) -> Statement:
    """One fresh speaker corrected by the tagged names around it, or the statement itself."""
    start, end = _completed_span(text, statement.speaker_start, statement.speaker_end, names)
    if (start, end) != (statement.speaker_start, statement.speaker_end):
        phrase = text[start:end]
        name, title, description = split_speaker(phrase)
        if not _grows(statement.speaker_resolved, name):
            return statement  # the name rules read the longer phrase otherwise: keep theirs
        return replace(
            statement,
            speaker=phrase,
            speaker_start=start,
            speaker_end=end,
            speaker_resolved=name,
            speaker_title=title or statement.speaker_title,
            speaker_description=description,
        )
    organisation = _organisation_named_before(text, statement, names) or _organisation_in_full(
        statement, names
    )
    if organisation is not None:
        return replace(statement, speaker_resolved=organisation)
    role_only = _is_role_only(statement, names)
    if role_only or _is_description_only(statement, names):
        # a name set off by commas after a description that is no role may open the
        # reported clause (وفق الكتاب ومؤلفه، فلان، زعيم ...): only a role takes it
        person = _apposed_person(text, statement.speaker_end, len(text), names, role_only)
        if person is None and role_only:
            person = _role_holder(text, statement, names)
        if person is not None:
            # right after its role a name has no conjunction: و is its first letter (ويلي)
            adjacent = not text[statement.speaker_end : person.start].strip()
            return replace(
                statement,
                speaker_resolved=person.text if adjacent else without_name_proclitic(person.text),
                speaker_title=statement.speaker_resolved,
                speaker_description="",
            )
    return statement


def _organisation_in_full(statement: Statement, names: Sequence[NamedSpan]) -> str | None:
    """The full name of an organisation a one-word speaker shortens: the latest tagged ORG
    of two words or more before it that opens with that word (``وقالت لوكهيد`` after
    ``لوكهيد مارتن``) without the definite adjectives after it, or None. A definite word
    (الشركة) is a reference, not a short name."""
    words = statement.speaker_resolved.split()
    if len(words) != 1 or fold(words[0]).startswith("ال") or fold(words[0]) in STOPWORDS:
        return None
    short = fold(words[0])
    for entity in reversed(names):
        if entity.label != "ORG" or entity.end > statement.speaker_start:
            continue
        full = without_name_proclitic(entity.text).split()
        while full and fold(full[-1]).startswith(("ال", "لل")):
            full.pop()  # سامسونج إلكترونيكس الكورية العملاقة للإلكترونيات: it describes
        if len(full) >= 2 and fold(full[0]) == short:
            return " ".join(full)
    return None


def _completed_span(text: str, start: int, end: int, names: Sequence[NamedSpan]) -> tuple[int, int]:
    """The speaker span widened to the tagged name it stops (or starts) inside of.

    The end runs on over name words only: not past punctuation, and not to a last word
    that is a stopword or a title (``جامعة الملك سعود على``، ``محمد بن نايف ولي``), where
    the tagger ran into what follows. The start moves back over one given name, or a
    compound one (``عبد الله``), never into the word the span starts in (``لكيركجور``) nor
    to a tagged name that opens with a preposition (``لهولاند نيكولا هولو``, "for Hollande":
    the tagger joined two phrases).
    """
    for entity in names:
        if entity.start < end < entity.end:
            extension = text[end : entity.end]
            words = text[entity.start : entity.end].split()
            if _no_break(extension) and words and not _ends_badly(words):
                end = entity.end
        if entity.start < start < entity.end and text[start - 1].isspace():
            before = text[entity.start : start].split()
            one_name = len(before) == 1 or (
                len(before) == 2 and is_name_compound(fold(before[0]), fold(before[1]))
            )
            glued = without_name_proclitic(entity.text) != entity.text.removeprefix("و")
            if _no_break(text[entity.start : start]) and one_name and not glued:
                start = entity.start
    return start, end


def _grows(old: str, new: str) -> bool:
    """Whether a widened name keeps every word of the name it widens (``غال`` must not
    become ``لويس`` where the name rules cut ``لويس فان غال`` at فان); a role read as the
    name (``مدير مطار الملك عبدالله``) may give way to the person."""
    words = old.split()
    if words and is_role_word(words[0]):
        return True
    kept = {fold(w) for w in new.split()}
    return all(fold(w) in kept for w in words)


def _no_break(extension: str) -> bool:
    return not any(ch in _BREAKS for ch in extension)


def _ends_badly(name: Sequence[str]) -> bool:
    """Whether a name's last word is one no name ends with: a stopword or a title (على،
    ولي), unless a connector makes it the family name (``بن محمد آل الشيخ``، ``فيصل بن
    تركي``)."""
    folded = fold(name[-1])
    if len(name) >= 2 and fold(name[-2]) in _name_connectors():
        return False
    return not folded or folded in STOPWORDS or is_title_word(name[-1])


@cache
def _name_connectors() -> frozenset[str]:
    """Words joining the parts of a personal name (بن، آل، أبو), folded."""
    return frozenset(fold(w) for w in word_sections("speaker_words_ar.txt")["name_connectors"])


def _organisation_named_before(
    text: str, statement: Statement, names: Sequence[NamedSpan]
) -> str | None:
    """The organisation a definite head stands for (``المنظمة`` -> ``منظمة هيومن رايتس
    ووتش``): the latest tagged ORG before it whose name opens with the same head, joined to
    a tagged name right after it when the head was tagged alone (``منظمة "هيومن رايتس
    ووتش"``, two spans)."""
    words = fold(statement.speaker_resolved).split()
    if not words or len(words) > MAX_REFERENCE_WORDS or not words[0].startswith("ال"):
        return None
    head = words[0][2:]
    organisations = [e for e in names if e.label == "ORG" and e.end <= statement.speaker_start]
    for index in range(len(organisations) - 1, -1, -1):
        entity = organisations[index]
        first = fold(without_name_proclitic(entity.text)).split()
        if not first or first[0] != head:
            continue
        end = entity.end
        if len(first) == 1:
            following = organisations[index + 1] if index + 1 < len(organisations) else None
            if following is None or following.start - end > MAX_HEAD_NAME_GAP:
                continue  # a bare head names nothing
            end = following.end
        named = text[entity.start : end].translate(_NO_QUOTES)
        return " ".join(without_name_proclitic(named).split())
    return None


def _is_role_only(statement: Statement, names: Sequence[NamedSpan]) -> bool:
    """A fresh speaker that is a role alone (رئيس الجمعية الوطنية، المتحدث الرسمي، المسؤول
    الديني التركي): it opens with a role word or a person noun and no tagged person lies
    inside it."""
    words = statement.speaker_resolved.split()
    return (
        bool(words)
        and (is_role_word(words[0]) or is_person_reference(words[0]))
        and not any(
            e.label == "PERS"
            and e.start < statement.speaker_end
            and e.end > statement.speaker_start
            for e in names
        )
    )


def _is_description_only(statement: Statement, names: Sequence[NamedSpan]) -> bool:
    """A fresh speaker that opens with an ordinary word by corpus evidence (``مسؤول الاتصالات
    في الرئاسة``، ``مدرب المنتخب السعودي``، ``كبير المسؤولين``), not an organisation's head, and
    holds no tagged name: a description of a person whose name may follow it."""
    words = statement.speaker_resolved.split()
    return (
        bool(words)
        and is_ordinary_word(words[0])
        and not is_organisation_head(words[0])
        and not any(
            e.start < statement.speaker_end and e.end > statement.speaker_start for e in names
        )
    )


def _role_holder(text: str, statement: Statement, names: Sequence[NamedSpan]) -> NamedSpan | None:
    """The person last named in apposition with the same role before a role-only speaker:
    ``رئيس الجمعية الوطنية، محمد ولد إبيليل`` earlier makes a later ``وأشار رئيس الجمعية
    الوطنية`` his."""
    role = statement.speaker_resolved.strip()
    holder = None
    at = text.find(role)
    while 0 <= at < statement.speaker_start:
        end = at + len(role)
        holder = _apposed_person(text, end, statement.speaker_start, names) or holder
        at = text.find(role, end)
    return holder


def _apposed_person(
    text: str, role_end: int, limit: int, names: Sequence[NamedSpan], set_off: bool = True
) -> NamedSpan | None:
    """The tagged person set off after a role ending at ``role_end``: a comma right before
    the name (after the role or a bracketed aside), the name closed by a comma, a colon or
    the complementizer, all in one sentence and before ``limit``. A name written straight
    after the role (``مسؤول الاتصالات في الرئاسة ويلي نياميتوي أن``), or after a comma and one
    word (``مدرب المنتخب، الوطني سعد الشهري أن``), counts when it closes the subject (the
    complementizer or a colon follows it) or when nothing at all parts it from the role.
    ``set_off=False`` (a description that is no role) takes only the latter two."""
    for entity in names:
        gap = text[role_end : entity.start]
        if (
            entity.label == "PERS"
            and role_end <= entity.start
            and entity.end <= limit
            and entity.start - role_end <= MAX_APPOSITION_GAP
            and not any(ch in _SENTENCE_BREAKS for ch in gap)
            and not _is_addressed(entity.text)
            and (
                (
                    set_off
                    and gap.rstrip().endswith((",", "،"))
                    and _closes_apposition(text, entity.end)
                )
                or (
                    _is_bare_apposition(gap, entity)
                    and (not gap.strip() or _closes_subject(text, entity.end))
                )
            )
        ):
            return entity
    return None


def _is_bare_apposition(gap: str, entity: NamedSpan) -> bool:
    """Whether a name follows its role with no comma before it: words only (the rest of the
    role, ``عن المعلومات في البيت الأبيض``), or one comma and one word after it (``، الوطني``);
    never a name on a preposition (``بالملك سلمان``) or after one (``مع``), nor one after
    another role in between, which is that role's holder."""
    if without_name_proclitic(entity.text) != entity.text.removeprefix("و"):
        return False
    before_comma, comma, after_comma = gap.replace(",", "،").rpartition("،")
    if comma and (len(after_comma.split()) > 1 or not _no_break(before_comma + after_comma)):
        return False
    words = gap.replace("،", " ").split()
    if not _no_break(" ".join(words)) or len(words) > MAX_BARE_GAP_WORDS:
        return False
    # a role in between owns the name (``في بيان عن مكتب رئيس الوزراء أحمد ...``)
    return not any(is_role_word(w) for w in words) and (
        not words or fold(words[-1]) not in STOPWORDS
    )


def _closes_subject(text: str, end: int) -> bool:
    """Whether the subject ends at ``end``: a colon or the complementizer follows."""
    after = text[end : end + 12].lstrip()
    following = after.split(maxsplit=1)[:1]
    return after.startswith(":") or (bool(following) and fold(following[0]) in ("ان", "بان"))


def _closes_apposition(text: str, end: int) -> bool:
    """Whether a name set off after a role ends at ``end``: a comma, a colon or the
    complementizer follows (``، محمد ولد إبيليل، أنها``; ``، فلان: «...»``; ``، فلان أن``)."""
    after = fold(text[end : end + 4])
    return after[:1] in (",", "،", ":") or after.startswith((" ان", " بان"))


def _is_addressed(name: str) -> bool:
    """``لمحمد``: a name after the preposition ل is spoken to, not speaking."""
    return fold(name).startswith("ل") and not fold(without_name_proclitic(name)).startswith("ل")
