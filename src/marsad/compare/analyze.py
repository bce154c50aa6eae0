"""One story, many outlets: coverage, claims, framing, distinctive terms, disagreements, timeline.

:func:`analyze_story` is the entry point; it returns plain JSON-serialisable data that the
store keeps and the CLI, API and HTML report show. Offsets (``start``, ``end``,
``sentence_start``, ``sentence_end``) index the article body given in
:class:`StoryArticle`; dates are ISO strings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marsad.compare.claims import unique_claims
from marsad.compare.coverage import Coverage, Report, story_coverage
from marsad.compare.disagreements import (
    NumberDisagreement,
    NumberReport,
    Speakers,
    StatementContradiction,
    StatementReport,
    number_disagreements,
    speaker_clusters,
    statement_contradictions,
    value_bounds,
)
from marsad.compare.facts import (
    Extracted,
    StoryDoc,
    extract_from_text,
    is_content,
    text_facts,
    text_tokens,
)
from marsad.compare.framing import GroupFraming, story_framing
from marsad.compare.logodds import distinctive_terms
from marsad.compare.timeline import DatedSentence, TimelineEntry, build_timeline
from marsad.extract.wires import agencies
from marsad.profiles import blindspot_line, profiles
from marsad.text.arabic import content_stems, tokenize

#: Bumped when what an analysis holds changes, so kept analyses are rebuilt: 2 = roundup
#: passages of other stories left out, descriptor framing terms, disagreements for one
#: outlet; agencies credited, re-posts apart, profiles, countries and camps. 3 = numbers,
#: statements and dates read from the store (speakers resolved over the whole article).
ANALYSIS_VERSION = 3
DISTINCTIVE_TOP = 10


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article of a story as stored: its body is the cleaned text offsets refer to."""

    id: int
    source: str
    published: datetime
    title: str
    body: str
    duplicate_of: int | None
    agency: str | None = None  # the agency its byline or signature credits
    time_kind: str | None = None  # "published" or "crawled"
    # What extraction stored for it (the read side always passes this; an article never
    # extracted has an empty one). None: extracted here from ``body`` (no store: evaluation
    # over corpus text, tests).
    extracted: Extracted | None = None


def analyze_story(
    articles: Sequence[StoryArticle], *, all_outlets: Sequence[str] = ()
) -> dict[str, Any]:
    """Compares how the outlets of one story covered it.

    Args:
        articles: the story's articles, copies included, in any order.
        all_outlets: every outlet watched; those that did not cover the story are listed
            as ``coverage.missing``.

    Returns:
        A JSON-serialisable dict: ``version``, ``articles``, ``outlets`` (counts), and

        * ``coverage``: ``outlets`` (per outlet, by first report: articles, copies,
          first_report, is_first, copied_from), ``first``, ``missing``;
        * ``claims``: per outlet, ``unique_claims`` (article, start, end, text; at most 5)
          and ``quotes`` (speaker, count);
        * ``framing``: per actor group named in the story, each outlet's terms with stance,
          count and first occurrence (article, start, end);
        * ``distinctive_terms``: per outlet, stems with z >= 1.96 (term, word, z, count);
        * ``disagreements``: ``numbers`` (quantity, percent, compatible, two ``reports``
          with outlet, article, value, bound, speaker and offsets) and ``statements``
          (speaker, two ``reports``);
        * ``timeline``: dated developments sorted by date (date or start/end, precision,
          the leading report's expression and sentence, all ``outlets``, all ``reports``).
    """
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    docs, representative = _distinct_texts(ordered)
    speakers = speaker_clusters(docs)
    book = profiles()
    coverage = story_coverage(
        [
            Report(
                article=a.id,
                outlet=a.source,
                published=a.published,
                duplicate_of=a.duplicate_of,
                agency=a.agency,
                time_kind=a.time_kind,
            )
            for a in ordered
        ],
        all_outlets,
        profiles=book.outlets,
        generic_agencies=frozenset(i for i, a in agencies().items() if a.generic),
    )
    return {
        "version": ANALYSIS_VERSION,
        "articles": len(ordered),
        "outlets": len(coverage.outlets),
        "coverage": _coverage_json(coverage),
        "claims": _claims_json(ordered, docs, representative, speakers),
        "framing": [
            _framing_json(g) for g in story_framing([(a.id, a.source, a.body) for a in ordered])
        ],
        "distinctive_terms": _distinctive_json(ordered),
        "disagreements": {
            "numbers": [_number_json(d) for d in number_disagreements(docs, speakers)],
            "statements": [
                _contradiction_json(c) for c in statement_contradictions(docs, speakers)
            ],
        },
        "timeline": [_timeline_json(e, docs) for e in build_timeline(_dated_sentences(docs))],
    }


# --------------------------------------------------------------------------------------------
# Distinct texts
# --------------------------------------------------------------------------------------------


def _distinct_texts(
    ordered: Sequence[StoryArticle],
) -> tuple[list[StoryDoc], dict[int, int]]:
    """One :class:`StoryDoc` per original text; copies add their outlet to it.

    Returns:
        The docs in story order and, per article id, the index of its doc.
    """
    by_id = {a.id: a for a in ordered}

    def original(article: StoryArticle) -> StoryArticle:
        seen = {article.id}
        while article.duplicate_of is not None and article.duplicate_of in by_id:
            article = by_id[article.duplicate_of]
            if article.id in seen:
                break  # a cycle in bad input: stop at the first repeat
            seen.add(article.id)
        return article

    roots = {a.id: original(a).id for a in ordered}
    outlets: dict[int, set[str]] = {}
    for article in ordered:
        outlets.setdefault(roots[article.id], set()).add(article.source)
    docs: list[StoryDoc] = []
    index_of: dict[int, int] = {}
    for article in ordered:
        if roots[article.id] != article.id:
            continue
        index_of[article.id] = len(docs)
        found = article.extracted
        if found is None:
            found = extract_from_text(article.body, article.published.date())
        docs.append(
            StoryDoc(
                article=article.id,
                outlet=article.source,
                published=article.published,
                body=article.body,
                facts=text_facts(article.body, found),
                dates=found.dates,
                outlets=frozenset(outlets[article.id]),
            )
        )
    representative = {a.id: index_of[roots[a.id]] for a in ordered}
    return docs, representative


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _coverage_json(coverage: Coverage) -> dict[str, Any]:
    book = profiles()
    known = agencies()
    return {
        "outlets": [
            {
                "outlet": o.outlet,
                "outlet_name": book.name(o.outlet),
                "articles": o.articles,
                "copies": o.copies,
                "reposts": o.reposts,
                "first_report": o.first_report.isoformat(),
                "first_report_kind": o.first_report_kind,
                "is_first": o.is_first,
                "copied_from": [{"outlet": s, "copies": n} for s, n in o.copied_from],
                "wire_copies": [
                    {"agency": a, "agency_name": _agency_name(a), "copies": n}
                    for a, n in o.wire_copies
                ],
            }
            for o in coverage.outlets
        ],
        "agencies": [
            {
                "agency": a.agency,
                "agency_name": _agency_name(a.agency),
                "generic": a.agency in known and known[a.agency].generic,
                "articles": a.articles,
                "outlets": list(a.outlets),
                "first_report": a.first_report.isoformat(),
                "first_report_kind": a.first_report_kind,
            }
            for a in coverage.agencies
        ],
        "first": list(coverage.first),
        "first_time": coverage.first_time.isoformat() if coverage.first_time else None,
        "first_time_kind": coverage.first_time_kind,
        "missing": list(coverage.missing),
        "by_country": [
            {"country": c, "country_name": book.country_name(c), "outlets": n}
            for c, n in coverage.by_country
        ],
        "by_camp": [
            {"camp": c, "camp_name": book.camp_name(c), "outlets": n} for c, n in coverage.by_camp
        ],
        "missing_countries": list(coverage.missing_countries),
        "blindspot": blindspot_line(
            [c for c, _ in coverage.by_country], coverage.missing_countries
        ),
    }


def _agency_name(agency: str) -> str:
    known = agencies().get(agency)
    return known.name_ar if known else agency


def _claims_json(
    ordered: Sequence[StoryArticle],
    docs: Sequence[StoryDoc],
    representative: dict[int, int],
    speakers: Speakers,
) -> list[dict[str, Any]]:
    """Per outlet: its unique claims and whom it quotes, how often."""
    claims = unique_claims(docs)
    quoted: dict[str, Counter[str]] = {}
    for article in ordered:
        doc = docs[representative[article.id]]
        counter = quoted.setdefault(article.source, Counter())
        for statement in doc.facts.statements:
            counter[speakers.get((doc.article, statement.start), statement.speaker_resolved)] += 1
    outlets = list(dict.fromkeys(a.source for a in ordered))
    return [
        {
            "outlet": outlet,
            "unique_claims": [
                {"article": c.article, "start": c.start, "end": c.end, "text": c.text}
                for c in claims.get(outlet, [])
            ],
            "quotes": [
                {"speaker": speaker, "count": count}
                for speaker, count in sorted(quoted[outlet].items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }
        for outlet in outlets
    ]


def _framing_json(group: GroupFraming) -> dict[str, Any]:
    return {
        "group": group.group.id,
        "label": group.group.label,
        "label_ar": group.group.label_ar,
        "contested": group.contested,
        "outlets": [
            {
                "outlet": o.outlet,
                "total": o.total,
                "terms": [
                    {
                        "term": u.term.term,
                        "stance": u.term.stance,
                        "count": u.count,
                        "article": u.article,
                        "start": u.start,
                        "end": u.end,
                    }
                    for u in o.uses
                ],
            }
            for o in group.outlets
        ],
    }


def _distinctive_json(ordered: Sequence[StoryArticle]) -> list[dict[str, Any]]:
    """Per outlet: stems distinctive against the other outlets, with a readable word."""
    streams: dict[str, list[str]] = {}
    for article in ordered:
        stream = streams.setdefault(article.source, [])
        stream.extend(content_stems(tokenize(article.title)))
        stream.extend(text_tokens(article.body).stems)
    found = distinctive_terms(streams, None, DISTINCTIVE_TOP)
    result = []
    for outlet, terms in found.items():
        counts = Counter(streams[outlet])
        words = _surface_words(
            (a.body for a in ordered if a.source == outlet), {term for term, _ in terms}
        )
        result.append(
            {
                "outlet": outlet,
                "terms": [
                    {"term": term, "word": words.get(term, term), "z": z, "count": counts[term]}
                    for term, z in terms
                ],
            }
        )
    return result


def _surface_words(bodies: Iterable[str], stems: set[str]) -> dict[str, str]:
    """The most frequent MATCH word of each stem, to show instead of the bare stem."""
    if not stems:
        return {}
    seen: dict[str, Counter[str]] = {}
    for body in bodies:
        for token in text_tokens(body).tokens:
            if token.stem in stems and is_content(token):
                seen.setdefault(token.stem, Counter())[token.text] += 1
    return {stem: counter.most_common(1)[0][0] for stem, counter in seen.items()}


def _bound(report: NumberReport) -> str:
    low, high = value_bounds(report.mention)
    if low == high:
        return "exact"
    if math.isinf(high):
        return "at_least"
    if math.isinf(low):
        return "at_most"
    return "about"


def _number_report_json(report: NumberReport) -> dict[str, Any]:
    mention = report.mention
    return {
        "outlet": report.outlet,
        "article": report.article,
        "value": mention.value,
        "text": mention.text,
        "qualifier": mention.qualifier,
        "bound": _bound(report),
        "speaker": report.speaker,
        "start": mention.start,
        "end": mention.end,
        "sentence_start": mention.sentence_start,
        "sentence_end": mention.sentence_end,
        "sentence": report.sentence,
    }


def _number_json(found: NumberDisagreement) -> dict[str, Any]:
    return {
        "quantity": found.quantity,
        "key": found.key,
        "percent": found.percent,
        "compatible": found.compatible,
        "relative_difference": round(found.relative_difference, 4),
        "reports": [_number_report_json(found.a), _number_report_json(found.b)],
    }


def _statement_report_json(report: StatementReport) -> dict[str, Any]:
    statement = report.statement
    return {
        "outlet": report.outlet,
        "article": report.article,
        "speaker_as_written": statement.speaker,
        "start": statement.start,
        "end": statement.end,
        "sentence_start": statement.sentence_start,
        "sentence_end": statement.sentence_end,
        "text": report.text,
    }


def _contradiction_json(found: StatementContradiction) -> dict[str, Any]:
    return {
        "speaker": found.speaker,
        "reports": [_statement_report_json(found.a), _statement_report_json(found.b)],
    }


def _dated_sentences(docs: Sequence[StoryDoc]) -> list[DatedSentence]:
    dated: list[DatedSentence] = []
    for doc in docs:
        facts = doc.facts
        for mention in doc.dates:
            index = facts.sentence_at(mention.start)
            if index < 0:
                continue
            start, end = facts.sentences[index]
            dated.append(
                DatedSentence(
                    article=doc.article,
                    outlet=doc.outlet,
                    sentence_start=start,
                    sentence_end=end,
                    text=doc.body[start:end],
                    stems=facts.sentence_stems[index],
                    mention=mention,
                )
            )
    return dated


def _timeline_json(entry: TimelineEntry, docs: Sequence[StoryDoc]) -> dict[str, Any]:
    outlets_of = {doc.article: doc.outlets for doc in docs}
    outlets = list(entry.outlets)
    for report in entry.reports:  # outlets that carried a copy of a reporting article
        outlets.extend(sorted(outlets_of[report.article] - set(outlets)))
    lead = entry.reports[0]
    return {
        "date": entry.first.isoformat() if entry.first == entry.last else None,
        "start": entry.first.isoformat(),
        "end": entry.last.isoformat(),
        "precision": entry.precision,
        "expression": lead.mention.expression,
        "text": lead.text,
        "article": lead.article,
        "outlet": lead.outlet,
        "sentence_start": lead.sentence_start,
        "sentence_end": lead.sentence_end,
        "outlets": outlets,
        "reports": [
            {
                "article": r.article,
                "outlet": r.outlet,
                "expression": r.mention.expression,
                "start": r.mention.start,
                "end": r.mention.end,
                "sentence_start": r.sentence_start,
                "sentence_end": r.sentence_end,
                "text": r.text,
            }
            for r in entry.reports
        ],
    }
