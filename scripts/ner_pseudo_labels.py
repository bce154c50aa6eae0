"""Pseudo-label SaudiNewsNet sentences with a trained NER model, for self-training.

Usage (from the repository root)::

    python scripts/ner_pseudo_labels.py --shared ../shared --out build/ner_pseudo.txt

Reads the SaudiNewsNet articles dated 2015-07-21..31 only (August is kept apart or used by
the story validation gold), minus ``kept_apart_ids.txt``; cuts each title and body into
sentences as the run-time tagger does; tags them with the model (the shipped one by
default) and keeps a sentence only when

- the model is sure of every token: the CRF's posterior marginal of the tag it gives
  (Viterbi) is at least ``--confidence`` at every position;
- it names at least one entity (all-``O`` sentences teach nothing the gold lacks);
- it is 6-60 tokens long and not a repeat (wire stories run in several outlets).

Of those, at most ``--cap`` are written as CoNLL (``token TAG``), balanced by type: each
sentence is filed under the rarest type it names and the files are drawn from in turn
(each shuffled with ``--seed``), so LOC, the commonest type, does not swamp PERS, ORG and
MISC. The output is corpus text: it stays in ``build/`` and is never committed.

Measured (session 22; ``train_ner.py --vocabulary-from src/marsad/models --epochs 17
--pseudo ... --pseudo-per-epoch 3000``; `marsad eval ner` scoring with the shipped
common-word list; the tune half decides): self-training did not help, nothing shipped.
Tune half: shipped pair 0.739; pseudo members alone 0.715-0.724 (marginal >= 0.9, all
20,000; or >= 0.95, balanced to 8,000), the same seeds without pseudo labels 0.716 and
0.716; pseudo pairs 0.720 / 0.710 against 0.728 without; shipped + pseudo members
0.722-0.729. The confident sentences hold what the model already tags (MISC: currencies,
«الله»; ORG: «الأمم المتحدة», «رويترز»), not the clubs, car makers and programmes it misses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.extract import ner

REPO = Path(__file__).resolve().parents[1]
# July articles only: from 2015-08-01 SaudiNewsNet is kept apart or used by the story gold.
FIRST_DAY, LAST_DAY = "2015-07-21", "2015-07-31"
MIN_TOKENS, MAX_TOKENS = 6, 60  # shorter: headlines and credits; longer: run-on lists
BATCH_SENTENCES = 256
TYPES = ("PERS", "LOC", "ORG", "MISC")

LabeledSentence = tuple[list[str], list[str]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A tagged sentence and how sure the model was of its least certain tag."""

    tokens: list[str]
    tags: list[str]
    confidence: float


def entity_types(tags: Sequence[str]) -> list[str]:
    """Type of each entity in BIO tags (one per ``B-``)."""
    return [tag[2:] for tag in tags if tag.startswith("B-")]


def is_confident(candidate: Candidate, threshold: float) -> bool:
    """Whether a sentence is kept: sure at every token and naming at least one entity."""
    return candidate.confidence >= threshold and bool(entity_types(candidate.tags))


def select_balanced(candidates: Sequence[Candidate], cap: int, seed: int) -> list[Candidate]:
    """At most ``cap`` candidates, drawn in turn from per-type piles.

    Each sentence goes on the pile of the rarest type it names (rarity: entity counts over
    all candidates), so a sentence naming a person in a city counts for the person. Piles
    are shuffled with ``seed`` and drawn from round-robin, rarest type first; once a pile
    runs out the others go on, so the cap is reached whenever there are enough candidates.
    """
    counts = Counter(label for c in candidates for label in entity_types(c.tags))
    rarity = sorted(counts, key=lambda label: (counts[label], label))
    piles: dict[str, list[Candidate]] = {label: [] for label in rarity}
    for candidate in candidates:
        present = set(entity_types(candidate.tags))
        if present:
            piles[min(present, key=rarity.index)].append(candidate)
    rng = random.Random(seed)
    for label in rarity:
        rng.shuffle(piles[label])
    chosen: list[Candidate] = []
    depth = 0
    while len(chosen) < cap and any(depth < len(pile) for pile in piles.values()):
        for label in rarity:
            if depth < len(piles[label]) and len(chosen) < cap:
                chosen.append(piles[label][depth])
        depth += 1
    return chosen


def marginals(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Posterior tag probabilities ``(time, tags)`` of one sentence under a linear-chain CRF
    (forward-backward in log space)."""
    length = len(emissions)
    alpha = np.empty_like(emissions, dtype=np.float64)
    beta = np.zeros_like(emissions, dtype=np.float64)
    alpha[0] = start + emissions[0]
    for step in range(1, length):
        alpha[step] = np.logaddexp.reduce(alpha[step - 1][:, None] + transitions, axis=0)
        alpha[step] += emissions[step]
    beta[-1] = end
    for step in range(length - 2, -1, -1):
        beta[step] = np.logaddexp.reduce(
            transitions + (emissions[step + 1] + beta[step + 1])[None, :], axis=1
        )
    log_z = np.logaddexp.reduce(alpha[-1] + end)
    probabilities: np.ndarray = np.exp(alpha + beta - log_z)
    return probabilities


class ScoringModel:
    """A saved model's emission and CRF scores, for confidences the run-time tagger does
    not report (its graphs are run directly; features come from its own featurizer)."""

    def __init__(self, directory: Path) -> None:
        with gzip.open(directory / ner.VOCABULARY_FILE, "rt", encoding="utf-8") as handle:
            table = json.load(handle)
        self.transitions = np.asarray(table["transitions"], dtype=np.float64)
        self.start = np.asarray(table["start"], dtype=np.float64)
        self.end = np.asarray(table["end"], dtype=np.float64)
        self.featurizer = ner.Featurizer(
            ner.load_clusters(directory / ner.CLUSTERS_FILE),
            ner.load_gazetteer(directory / ner.GAZETTEER_FILE),
            ner.Vocabulary.from_json(table["vocabulary"]),
        )
        self._encoder = ner.onnx_session(directory / ner.WORDS_MODEL_FILE)
        self._tagger = ner.onnx_session(directory / ner.TAGGER_MODEL_FILE)

    def tag(self, sentences: Sequence[list[str]]) -> list[Candidate]:
        """Viterbi tags of each sentence and the least posterior marginal along them."""
        words = list(dict.fromkeys(word for tokens in sentences for word in tokens))
        features = [self.featurizer.word(word) for word in words]
        vectors = self._encoder.run(
            None,
            {
                "features": np.array([f.ids for f in features], dtype=np.int64),
                "chars": np.array([f.chars for f in features], dtype=np.int64),
            },
        )[0]
        row = {word: index for index, word in enumerate(words)}
        order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
        lengths = np.array([len(sentences[i]) for i in order], dtype=np.int64)
        width = int(lengths[0])
        batch_vectors = np.zeros((len(order), width, vectors.shape[1]), dtype=np.float32)
        marks = np.zeros((len(order), width), dtype=np.int64)
        for slot, index in enumerate(order):
            tokens = sentences[index]
            batch_vectors[slot, : len(tokens)] = vectors[[row[word] for word in tokens]]
            stripped = [self.featurizer.word(word).stripped for word in tokens]
            marks[slot, : len(tokens)] = self.featurizer.gazetteer_ids(stripped)
        emissions = self._tagger.run(
            None, {"vectors": batch_vectors, "gazetteer": marks, "lengths": lengths}
        )[0]
        best = ner.viterbi(
            emissions, lengths, self.transitions, self.start, self.end
        )  # same decoder as the run-time tagger
        found: list[Candidate | None] = [None] * len(sentences)
        for slot, index in enumerate(order):
            n = int(lengths[slot])
            path = best[slot, :n]
            posterior = marginals(
                emissions[slot, :n].astype(np.float64), self.transitions, self.start, self.end
            )
            found[index] = Candidate(
                list(sentences[index]),
                [ner.TAGS[t] for t in path.tolist()],
                float(posterior[np.arange(n), path].min()),
            )
        return [candidate for candidate in found if candidate is not None]


def july_sentences(shared: Path) -> Iterator[list[str]]:
    """Token lists of the sentences of July 21-31 articles (titles and bodies), cut as the
    run-time tagger cuts them; nothing from August, nothing kept apart."""
    folder = shared / "data" / "saudinewsnet"
    kept_apart = set((folder / "kept_apart_ids.txt").read_text(encoding="utf-8").split())
    with gzip.open(folder / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            day = (record.get("date") or "9999")[:10]
            if not FIRST_DAY <= day <= LAST_DAY or record["id"] in kept_apart:
                continue
            for text in (record.get("title") or "", record.get("text") or ""):
                yield from sentences_of(text)


def sentences_of(text: str) -> Iterator[list[str]]:
    """Token lists of a text's sentences: after . ! ? ؟ and at line breaks."""
    spans = ner.word_spans(text)
    tokens: list[str] = []
    previous_end = 0
    for start, end in spans:
        if tokens and "\n" in text[previous_end:start]:
            yield tokens
            tokens = []
        tokens.append(text[start:end])
        previous_end = end
        if end - start == 1 and text[start] in ner.SENTENCE_END:
            yield tokens
            tokens = []
    if tokens:
        yield tokens


def collect(
    model: ScoringModel, sentences: Iterator[list[str]]
) -> tuple[list[Candidate], Counter[str]]:
    """The distinct tagged sentences naming an entity, and counts of what was seen."""
    seen: set[tuple[str, ...]] = set()
    stats: Counter[str] = Counter()
    kept: list[Candidate] = []
    batch: list[list[str]] = []

    def flush() -> None:
        for candidate in model.tag(batch):
            stats["tagged"] += 1
            if entity_types(candidate.tags):
                kept.append(candidate)
            else:
                stats["no entity"] += 1
        batch.clear()

    for tokens in sentences:
        stats["sentences"] += 1
        key = tuple(tokens)
        if not MIN_TOKENS <= len(tokens) <= MAX_TOKENS or key in seen:
            continue
        seen.add(key)
        batch.append(tokens)
        if len(batch) == BATCH_SENTENCES:
            flush()
    if batch:
        flush()
    return kept, stats


def save_candidates(candidates: Sequence[Candidate], path: Path) -> None:
    """Keep the tagged candidates (one JSON line each) so that other thresholds and caps
    can be selected without tagging again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for c in candidates:
            row = {"tokens": c.tokens, "tags": c.tags, "confidence": c.confidence}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def load_candidates(path: Path) -> list[Candidate]:
    """Candidates written by ``save_candidates``."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [Candidate(row["tokens"], row["tags"], row["confidence"]) for row in rows]


def main() -> int:
    """Tag the July sentences, select, write CoNLL and print what was kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--model", type=Path, default=REPO / "src" / "marsad" / "models")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "ner_pseudo.txt")
    parser.add_argument(
        "--confidence", type=float, default=0.9, help="least marginal along the kept tags"
    )
    parser.add_argument("--cap", type=int, default=20_000, help="sentences written at most")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--candidates",
        type=Path,
        help="cache of the tagged sentences (JSON lines, gzip): read when it exists, else "
        "written; it depends on --model",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.candidates is not None and args.candidates.exists():
        candidates = load_candidates(args.candidates)
        print(f"{len(candidates)} tagged sentences naming an entity from {args.candidates}")
    else:
        candidates, stats = collect(ScoringModel(args.model), july_sentences(args.shared))
        print(
            f"{stats['sentences']} sentences, {stats['tagged']} distinct of 6-60 tokens "
            f"tagged, {stats['no entity']} without an entity ({time.perf_counter() - started:.0f}s)"
        )
        if args.candidates is not None:
            save_candidates(candidates, args.candidates)
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99):
        sure = sum(c.confidence >= threshold for c in candidates)
        print(f"least marginal >= {threshold}: {sure} of {len(candidates)} naming an entity")
    confident = [c for c in candidates if is_confident(c, args.confidence)]
    chosen = select_balanced(confident, args.cap, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for candidate in chosen:
            pairs = zip(candidate.tokens, candidate.tags, strict=True)
            handle.writelines(f"{token} {tag}\n" for token, tag in pairs)
            handle.write("\n")
    for name, group in (("confident", confident), ("written", chosen)):
        counts = Counter(label for c in group for label in entity_types(c.tags))
        shown = ", ".join(f"{label} {counts[label]}" for label in TYPES)
        print(f"{name}: {len(group)} sentences; entities {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
