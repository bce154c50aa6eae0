"""Evaluation of story summaries against hand-written reference summaries (ROUGE).

For each reference story, its member articles are read from the SaudiNewsNet corpus,
prepared as the pipeline prepares them (DISPLAY cleaning, boilerplate removal, wire
copies folded into their original with the copy's outlet credited), and summarised by
Marsad's :func:`~marsad.summarize.summarize` and by the two baselines,
:func:`~marsad.summarize.lead_summary` and :func:`~marsad.summarize.lexrank_summary`, all
under the same length budget. Each summary is scored with ROUGE-1, ROUGE-2 and ROUGE-L F1
(:mod:`marsad.evaluate.rouge`, stopwords removed); the report shows every story, then the
mean per system, and ends with ``rouge2=0.xxx`` (Marsad's mean ROUGE-2 F1).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.dedup.minhash import DuplicateIndex, fingerprint
from marsad.evaluate.rouge import RougeScores, rouge
from marsad.ingest.boilerplate import strip_boilerplate
from marsad.ingest.readers import clean_body, clean_title, parse_date
from marsad.summarize import SourceDoc, Summary, lead_summary, lexrank_summary, summarize
from marsad.text.arabic import match_text

DEFAULT_CORPUS = Path("../shared/data/saudinewsnet/saudinewsnet.jsonl.gz")
#: The pipeline's summary budget (``pipeline.Settings``), so scores describe what users see.
DEFAULT_SENTENCES = 5
DEFAULT_CHARS = 900
#: Wire-copy detection as the pipeline does it (``pipeline.Settings``).
DEDUP_THRESHOLD = 0.6
DEDUP_PERMUTATIONS = 64
_ID_FIELD = re.compile(r'"id"\s*:\s*"([^"]+)"')

Summarizer = Callable[..., Summary]
SYSTEMS: tuple[tuple[str, Summarizer], ...] = (
    ("marsad", summarize),
    ("lead", lead_summary),
    ("lexrank", lexrank_summary),
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A hand-written summary of one gold story and the articles it was written from."""

    story: str
    summary: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryResult:
    """Every system's summary text and scores for one story."""

    story: str
    documents: int  # articles after folding wire copies into their originals
    outlets: int
    texts: dict[str, str]
    scores: dict[str, RougeScores]


def load_references(path: Path) -> list[Reference]:
    """Read reference summaries: JSON lines ``{story, summary, articles}``.

    Raises:
        ValueError: On a malformed line, naming the file and line.
    """
    references: list[Reference] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                reference = Reference(
                    story=str(row["story"]),
                    summary=str(row["summary"]),
                    articles=tuple(str(a) for a in row["articles"]),
                )
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a reference line ({error})") from error
            if not reference.summary.strip() or not reference.articles:
                raise ValueError(f"{path}:{number}: empty summary or article list")
            references.append(reference)
    return references


def read_articles(corpus: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Return the corpus records whose ``id`` is wanted (plain or gzipped JSON lines).

    Only lines whose id matches are parsed, so scanning 31k articles takes about a second.

    Raises:
        ValueError: If a wanted id is not in the corpus.
    """
    found: dict[str, dict[str, Any]] = {}
    for line in _lines(corpus):
        match = _ID_FIELD.search(line, 0, 200)
        if match is not None and match.group(1) in wanted:
            found[match.group(1)] = json.loads(line)
    missing = sorted(wanted - set(found))
    if missing:
        raise ValueError(f"{len(missing)} article id(s) not in {corpus}, e.g. {missing[0]}")
    return found


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def article_key(article_id: str) -> int:
    """A stable integer key for a SaudiNewsNet id (``snn-`` + 16 hex digits) or any string."""
    digits = article_id.removeprefix("snn-")
    try:
        return int(digits, 16)
    except ValueError:
        return int.from_bytes(article_id.encode("utf-8")[:8], "big")


def source_docs(records: Sequence[dict[str, Any]]) -> list[SourceDoc]:
    """Prepare a story's articles as the pipeline would before summarising.

    Bodies are DISPLAY-cleaned and stripped of boilerplate; in date order, an article
    whose MinHash signature matches an earlier one is a wire copy: it is dropped and its
    outlet credited on the original (``SourceDoc.also_sources``).
    """
    index = DuplicateIndex(threshold=DEDUP_THRESHOLD, num_perm=DEDUP_PERMUTATIONS)
    originals: dict[int, dict[str, Any]] = {}
    copies: dict[int, set[str]] = {}
    ordered = sorted(records, key=lambda r: (str(r.get("date") or ""), str(r["id"])))
    for record in ordered:
        title = clean_title(str(record.get("title") or ""))
        body, _ = strip_boilerplate(clean_body(str(record.get("text") or "")), title=title)
        if not body.strip():
            continue
        key = article_key(str(record["id"]))
        when = parse_date(str(record.get("date") or ""))
        fp = fingerprint(match_text(body), num_perm=DEDUP_PERMUTATIONS)
        original = index.find(fp)
        if original is not None:
            copies[original].add(str(record["source"]))
            continue
        if when is not None:
            index.add(key, fp, when)
        originals[key] = {"record": record, "title": title, "body": body, "when": when}
        copies[key] = set()
    return [
        SourceDoc(
            key=key,
            source=str(item["record"]["source"]),
            when=item["when"],
            title=item["title"],
            text=item["body"],
            also_sources=tuple(sorted(copies[key] - {str(item["record"]["source"])})),
        )
        for key, item in originals.items()
    ]


def summary_text(summary: Summary) -> str:
    """The summary body as one text (sentences joined by spaces; headline left out)."""
    return " ".join(sentence.text for sentence in summary.sentences)


def evaluate_story(
    reference: Reference,
    records: Sequence[dict[str, Any]],
    *,
    max_sentences: int,
    max_chars: int,
) -> StoryResult:
    """Summarise one story with every system and score each against the reference."""
    docs = source_docs(records)
    texts = {
        name: summary_text(system(docs, max_sentences=max_sentences, max_chars=max_chars))
        for name, system in SYSTEMS
    }
    outlets = {doc.source for doc in docs} | {o for doc in docs for o in doc.also_sources}
    return StoryResult(
        story=reference.story,
        documents=len(docs),
        outlets=len(outlets),
        texts=texts,
        scores={name: rouge(text, [reference.summary]) for name, text in texts.items()},
    )


def mean_scores(results: Sequence[StoryResult], system: str) -> tuple[float, float, float]:
    """Mean ROUGE-1, ROUGE-2 and ROUGE-L F1 of one system over the stories."""
    if not results:
        return (0.0, 0.0, 0.0)
    count = len(results)
    return (
        sum(r.scores[system].rouge1.f1 for r in results) / count,
        sum(r.scores[system].rouge2.f1 for r in results) / count,
        sum(r.scores[system].rouge_l.f1 for r in results) / count,
    )


def f1_triple(scores: RougeScores) -> str:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 with three decimals."""
    return f"{scores.rouge1.f1:.3f} {scores.rouge2.f1:.3f} {scores.rouge_l.f1:.3f}"


def format_report(results: Sequence[StoryResult], *, max_sentences: int, max_chars: int) -> str:
    """Per-story table, then mean F1 per system, then the verdict and ``rouge2=``."""
    names = [name for name, _ in SYSTEMS]
    width = max([len("story"), *(len(r.story) for r in results)])
    header = f"{'story':<{width}} docs outl  " + "  ".join(
        f"{name + ' R1/R2/RL':<20}" for name in names
    )
    lines = [header, "-" * len(header)]
    for result in results:
        cells = "  ".join(f"{f1_triple(result.scores[n])}  " for n in names)
        lines.append(f"{result.story:<{width}} {result.documents:4d} {result.outlets:4d}  {cells}")
    means = {name: mean_scores(results, name) for name in names}
    lines += [
        "",
        f"mean F1 over {len(results)} stories; budget {max_sentences} sentences / "
        f"{max_chars} chars for every system; stemmed tokens, stopwords removed",
        f"{'system':<10}{'ROUGE-1':>9}{'ROUGE-2':>9}{'ROUGE-L':>9}",
    ]
    lines += [f"{n:<10}{m[0]:>9.3f}{m[1]:>9.3f}{m[2]:>9.3f}" for n, m in means.items()]
    lines.append(verdict(means))
    lines += [story_wins(results, baseline) for baseline in names if baseline != "marsad"]
    lines.append(f"rouge2={means['marsad'][1]:.3f}")
    return "\n".join(lines)


def verdict(means: dict[str, tuple[float, float, float]]) -> str:
    """Say on which measures Marsad beats every baseline and where it does not."""
    labels = ("ROUGE-1", "ROUGE-2", "ROUGE-L")
    best_baseline = [max(m[i] for n, m in means.items() if n != "marsad") for i in range(3)]
    won = [labels[i] for i in range(3) if means["marsad"][i] > best_baseline[i]]
    lost = [labels[i] for i in range(3) if means["marsad"][i] <= best_baseline[i]]
    if not lost:
        return "marsad beats both baselines on " + ", ".join(won)
    return "marsad does NOT beat the best baseline on " + ", ".join(lost)


def story_wins(results: Sequence[StoryResult], baseline: str) -> str:
    """Per-story ROUGE-2 wins, ties and losses of Marsad against one baseline.

    With a dozen stories a mean can hinge on one story; the count shows how broad a lead is.
    """
    wins = ties = 0
    for result in results:
        ours, theirs = result.scores["marsad"].rouge2.f1, result.scores[baseline].rouge2.f1
        wins += ours > theirs + 1e-9
        ties += abs(ours - theirs) <= 1e-9
    losses = len(results) - wins - ties
    return f"ROUGE-2 per story, marsad vs {baseline}: {wins} better, {ties} tied, {losses} worse"


def evaluate_summaries(
    refs_path: Path,
    *,
    corpus: Path = DEFAULT_CORPUS,
    max_sentences: int = DEFAULT_SENTENCES,
    max_chars: int = DEFAULT_CHARS,
) -> str:
    """Score Marsad's summaries and the two baselines against reference summaries.

    Args:
        refs_path: JSON lines ``{"story", "summary", "articles": [SaudiNewsNet ids]}``.
        corpus: SaudiNewsNet JSON lines (plain or gzipped) holding those articles.
        max_sentences: Sentence budget shared by every system.
        max_chars: Character budget shared by every system.

    Returns:
        The report; its last line is ``rouge2=0.xxx``, Marsad's mean ROUGE-2 F1.

    Raises:
        ValueError: On a malformed reference file or an article missing from the corpus.
        OSError: If a file cannot be read.
    """
    references = load_references(refs_path)
    wanted = {article for reference in references for article in reference.articles}
    records = read_articles(corpus, wanted)
    results = [
        evaluate_story(
            reference,
            [records[a] for a in reference.articles],
            max_sentences=max_sentences,
            max_chars=max_chars,
        )
        for reference in references
    ]
    return format_report(results, max_sentences=max_sentences, max_chars=max_chars)
