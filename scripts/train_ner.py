"""Train Marsad's Arabic NER model and write it into src/marsad/models/.

Usage (from the repository root)::

    python scripts/train_ner.py --shared ../shared

Steps, all deterministic:

1. Read the ANERcorp CAMeL-Lab *train* split and hold out every tenth block of 20
   consecutive sentences as the dev set (written to ``build/ner_dev.txt``, never the repo).
   ``--dev-only`` stops here (no torch needed).
2. Learn distributional word vectors from unlabeled SaudiNewsNet text: co-occurrence
   counts (directional +-2, and pooled +-5) -> positive PMI -> truncated SVD; k-means
   at several sizes turns them into word clusters (``ner_clusters.tsv.gz``).
3. Build the gazetteer of training entities (``ner_gazetteer.tsv.gz``), train the
   BiLSTM-CRF of ``train_ner_neural.py`` (torch) on the remaining 90%, its word table
   initialised from the vectors, with early stopping on dev; export it to ONNX
   (``ner_words.onnx``, ``ner_tagger.onnx``, ``ner_vocabulary.json.gz``) and print dev scores.

Takes about 5 minutes (one core for the network; numpy may use more for the vectors).

NewsFANE is deliberately not used: it re-annotates ANERcorp's own text, including the
sentences of the official ANERcorp test split, so training on it would leak test data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils.extmath import randomized_svd

from marsad.evaluate.ner_eval import (
    DEV_BLOCK,
    LabeledSentence,
    format_report,
    read_conll,
    score,
    split_dev,
)
from marsad.extract import ner
from marsad.text import arabic

REPO = Path(__file__).resolve().parents[1]
CLUSTER_SIZES = (64, 256, 1024)
TOPICAL_SIZES = (256, 1024)
SYNTACTIC_BLOCKS = {-2: 0, -1: 1, 1: 2, 2: 3}
TOPICAL_BLOCKS = {offset: 0 for offset in (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)}
CONTEXT_WORDS = 20_000
MAX_WORDS = 100_000
MIN_COUNT = 5
SVD_DIMS = 100
SEED = 0
GAZETTEER_FOLDS = 5


def write_conll(sentences: list[LabeledSentence], path: Path) -> None:
    """Write sentences as ``token TAG`` lines with a blank line after each sentence."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for tokens, tags in sentences:
            handle.writelines(f"{token} {tag}\n" for token, tag in zip(tokens, tags, strict=True))
            handle.write("\n")


def news_texts(path: Path, step: int = 1) -> Iterator[str]:
    """Title and body of every ``step``-th SaudiNewsNet article, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if index % step == 0:
                record = json.loads(line)
                yield record.get("title") or ""
                yield record.get("text") or ""


def word_id_stream(texts: Iterator[str]) -> tuple[np.ndarray, list[str]]:
    """Folded surface words as integer ids; -1 separates texts so windows do not cross."""
    ids: dict[str, int] = {}
    stream: list[int] = []
    for text in texts:
        stream.append(-1)
        for token in arabic.tokenize(text):
            word = arabic.fold(text[token.start : token.end])
            stream.append(ids.setdefault(word, len(ids)))
    return np.array(stream, dtype=np.int64), list(ids)


def ppmi_embeddings(
    stream: np.ndarray, n_words: int, context_blocks: dict[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Row-normalised SVD embeddings of a PPMI word-by-(block, context word) matrix.

    Args:
        stream: word ids with -1 at text boundaries.
        n_words: size of the id space.
        context_blocks: offset -> column block; offsets sharing a block are pooled.

    Returns:
        ``(word_ids, vectors)``: the ids kept (most frequent first) and their embeddings.
    """
    present = stream >= 0
    counts = np.bincount(stream[present], minlength=n_words)
    by_frequency = np.argsort(-counts, kind="stable")
    n_targets = int(min(MAX_WORDS, (counts >= MIN_COUNT).sum()))
    rank = np.full(n_words, -1, dtype=np.int64)
    rank[by_frequency] = np.arange(n_words)
    ranked = np.where(present, rank[np.maximum(stream, 0)], -1)
    rows, cols = [], []
    for offset, block in context_blocks.items():
        target = ranked[max(0, -offset) : len(ranked) - max(0, offset)]
        context = ranked[max(0, offset) : len(ranked) - max(0, -offset)]
        keep = (target >= 0) & (target < n_targets) & (context >= 0) & (context < CONTEXT_WORDS)
        rows.append(target[keep])
        cols.append(context[keep] + block * CONTEXT_WORDS)
    row = np.concatenate(rows)
    col = np.concatenate(cols)
    n_blocks = max(context_blocks.values()) + 1
    counts_matrix = sp.coo_matrix(
        (np.ones(len(row), dtype=np.float64), (row, col)),
        shape=(n_targets, n_blocks * CONTEXT_WORDS),
    ).tocsr()
    counts_matrix.sum_duplicates()
    cooc = counts_matrix.tocoo()
    total = cooc.data.sum()
    row_totals = np.asarray(counts_matrix.sum(axis=1)).ravel()
    # Context-distribution smoothing (alpha 0.75) keeps rare contexts from dominating PMI.
    smoothed = np.asarray(counts_matrix.sum(axis=0)).ravel() ** 0.75
    context_p = smoothed / smoothed.sum()
    pmi = np.log(cooc.data / total) - np.log(row_totals[cooc.row] / total)
    pmi -= np.log(context_p[cooc.col])
    positive = pmi > 0
    ppmi = sp.csr_matrix(
        (pmi[positive], (cooc.row[positive], cooc.col[positive])), shape=cooc.shape
    )
    left, singular, _ = randomized_svd(ppmi, n_components=SVD_DIMS, n_iter=4, random_state=SEED)
    vectors = left * np.sqrt(singular)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    return by_frequency[:n_targets], vectors


def kmeans_levels(vectors: np.ndarray, sizes: tuple[int, ...]) -> list[np.ndarray]:
    """Cluster labels of every row at each number of clusters."""
    return [
        MiniBatchKMeans(
            n_clusters=size, random_state=SEED, batch_size=4096, n_init=1, max_iter=50
        ).fit_predict(vectors)
        for size in sizes
    ]


@dataclass(frozen=True, slots=True)
class NewsVectors:
    """Distributional vectors of frequent folded news words, most frequent first."""

    words: list[str]
    syntactic: np.ndarray
    topical: np.ndarray


def learn_vectors(news_path: Path) -> NewsVectors:
    """Word vectors of the news corpus in two views.

    A syntactic view (left and right neighbours at distance 1 and 2 in separate columns:
    word order separates names from nouns) and a topical one (neighbours up to 5 away,
    pooled: what a word is about, which separates people from places). Both views cover
    the same words, the most frequent ones.
    """
    stream, words = word_id_stream(news_texts(news_path))
    word_ids, syntactic = ppmi_embeddings(stream, len(words), SYNTACTIC_BLOCKS)
    _, topical = ppmi_embeddings(stream, len(words), TOPICAL_BLOCKS)
    return NewsVectors([words[word_id] for word_id in word_ids], syntactic, topical)


def learn_clusters(vectors: NewsVectors) -> dict[str, tuple[str, ...]]:
    """Cluster ids of every vector-bearing word: k-means at several sizes in both views."""
    levels = kmeans_levels(vectors.syntactic, CLUSTER_SIZES) + kmeans_levels(
        vectors.topical, TOPICAL_SIZES
    )
    return {
        word: tuple(str(level[row]) for level in levels) for row, word in enumerate(vectors.words)
    }


def write_gzip_lines(lines: Iterator[str], path: Path) -> None:
    """Write lines gzip-compressed, reproducibly (no timestamp in the gzip header)."""
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write("".join(line + "\n" for line in lines).encode("utf-8"))


def held_out_gazetteers(
    featurizer: ner.Featurizer, sentences: list[LabeledSentence]
) -> list[dict[tuple[str, ...], str]]:
    """One gazetteer per training sentence, built from the other folds only.

    Training with a gazetteer that contains the sentence's own entities would teach the
    model to trust gazetteer matches far more than they deserve on unseen text.
    """
    fold_of = [(index // DEV_BLOCK) % GAZETTEER_FOLDS for index in range(len(sentences))]
    per_fold = [
        ner.build_gazetteer(
            featurizer, [s for s, fold in zip(sentences, fold_of, strict=True) if fold != k]
        )
        for k in range(GAZETTEER_FOLDS)
    ]
    return [per_fold[fold] for fold in fold_of]


def main() -> int:
    """Train, write the model files and ``build/ner_dev.txt``, print dev scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "marsad" / "models")
    parser.add_argument("--dev-out", type=Path, default=REPO / "build" / "ner_dev.txt")
    parser.add_argument("--dev-block", type=int, default=DEV_BLOCK)
    parser.add_argument(
        "--dev-only", action="store_true", help="only write the held-out dev split, do not train"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    data = args.shared / "data"
    sentences = read_conll(data / "anercorp_camel" / "ANERCorp_CamelLab_train.txt.gz")
    train, dev = split_dev(sentences, args.dev_block)
    write_conll(dev, args.dev_out)
    print(f"train {len(train)} sentences, dev {len(dev)} -> {args.dev_out}")
    if args.dev_only:
        return 0
    # torch is a training-only dependency (`make train-ner` installs it).
    from train_ner_neural import NeuralSettings, train_neural

    args.out.mkdir(parents=True, exist_ok=True)
    vectors = learn_vectors(data / "saudinewsnet" / "saudinewsnet.jsonl.gz")
    clusters = learn_clusters(vectors)
    write_gzip_lines(
        (f"{word}\t{chr(9).join(ids)}" for word, ids in clusters.items()),
        args.out / ner.CLUSTERS_FILE,
    )
    print(f"vectors and clusters: {len(clusters)} words ({time.perf_counter() - started:.0f}s)")

    featurizer = ner.Featurizer(clusters)
    gazetteer = ner.build_gazetteer(featurizer, train)
    write_gzip_lines(
        (f"{label}\t{' '.join(key)}" for key, label in sorted(gazetteer.items())),
        args.out / ner.GAZETTEER_FILE,
    )
    train_neural(
        train,
        held_out_gazetteers(featurizer, train),
        dev,
        gazetteer,
        clusters,
        vectors.words,
        vectors.syntactic,
        args.out,
        NeuralSettings(),
    )
    print(f"trained ({time.perf_counter() - started:.0f}s)")

    tagger = ner.Tagger(args.out)
    report = score([tags for _, tags in dev], [tagger.tag(tokens) for tokens, _ in dev])
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
