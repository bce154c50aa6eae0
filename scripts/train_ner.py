"""Train Marsad's Arabic NER model and write it into src/marsad/models/.

Usage (from the repository root)::

    python scripts/train_ner.py --shared ../shared --newsfane none --seeds 0,1 --epochs 17

Steps, all deterministic:

1. Read the ANERcorp CAMeL-Lab *train* split and hold out its final tenth in whole
   documents as the dev block, cut into a tune half (early stopping, every choice) and a
   validation half (never tuned on); written to ``build/ner_dev*.txt``, never the repo.
   ``--dev-only`` stops here (no torch needed).
2. Learn distributional word vectors from unlabeled SaudiNewsNet text up to 2015-07-31:
   co-occurrence counts (directional +-2, and pooled +-5) -> positive PMI -> truncated SVD;
   k-means at several sizes turns them into word clusters (``ner_clusters.tsv.gz``). Both
   are cached under ``build/``.
3. Optionally add NewsFANE Gold sentences (``--newsfane``; never its excluded ids nor any
   sentence repeating dev-block text). Build the gazetteer of training entities
   (``ner_gazetteer.tsv.gz``), train one BiLSTM-CRF of ``train_ner_neural.py`` (torch) per
   seed, its word table initialised from the vectors, with early stopping on the tune half;
   export the members as one ensemble to ONNX (``ner_words.onnx``, ``ner_tagger.onnx``,
   ``ner_vocabulary.json.gz``) and print the scores of the block and of both halves.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils.extmath import randomized_svd

from marsad.evaluate.ner_eval import (
    LabeledSentence,
    format_report,
    read_conll,
    score,
    split_documents,
    tag_by_document,
)
from marsad.extract import ner
from marsad.text import arabic

if TYPE_CHECKING or "--dev-only" not in sys.argv:
    # torch is a training-only dependency (`make train-ner` installs it).
    from train_ner_neural import NeuralSettings, train_neural

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
# NewsFANE coarse types in ANERcorp's: ANERcorp's MISC holds facilities (البيت الأبيض،
# الكعبة) and works (أولاد حارتنا), so FAC, PRO, VEH and WEA go there.
NEWSFANE_TO_ANERCORP = {
    "PER": "PERS", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG",
    "FAC": "MISC", "PRO": "MISC", "VEH": "MISC", "WEA": "MISC",
}  # fmt: skip
NEWSFANE_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك"})
NEWSFANE_SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "ي", "نا", "ني"})
SHINGLE_LETTERS = 30  # about six words: sentences sharing such a run repeat the same text
# Dev files written under build/: the whole block, its tune half, its validation half.
DEV_FILES = ("ner_dev.txt", "ner_dev_tune.txt", "ner_dev_validation.txt")
GAZETTEER_FOLD_BLOCK = 20  # consecutive sentences per gazetteer fold block
# SaudiNewsNet from 2015-08-01 on is kept apart or used by story validation: never read here.
LAST_NEWS_DAY = "2015-07-31"


def write_conll(sentences: list[LabeledSentence], path: Path) -> None:
    """Write sentences as ``token TAG`` lines with a blank line after each sentence."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for tokens, tags in sentences:
            handle.writelines(f"{token} {tag}\n" for token, tag in zip(tokens, tags, strict=True))
            handle.write("\n")


def news_texts(path: Path) -> Iterator[str]:
    """Title and body of every SaudiNewsNet article dated up to LAST_NEWS_DAY, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if (record.get("date") or "9999")[:10] > LAST_NEWS_DAY:
                continue
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


def attach_clitics(tokens: list[str], tags: list[str]) -> LabeledSentence:
    """Glue NewsFANE's split-off clitics back onto their words, as ANERcorp and our tokenizer
    write them ("و ايران" -> "وايران", "تقرير ه" -> "تقريره"); the word's tag is kept."""
    glued_tokens: list[str] = []
    glued_tags: list[str] = []
    pending = ""  # proclitics waiting for their word
    for token, tag in zip(tokens, tags, strict=True):
        if token in NEWSFANE_PROCLITICS and tag == "O":
            pending += token
            continue
        if token in NEWSFANE_SUFFIXES and tag == "O" and glued_tokens and not pending:
            previous = glued_tokens[-1]
            if previous[-1:].isalpha():
                glued_tokens[-1] = previous + token
                continue
        glued_tokens.append(pending + token)
        glued_tags.append(tag)
        pending = ""
    if pending:  # a clitic at the very end stays a word of its own
        glued_tokens.append(pending)
        glued_tags.append("O")
    return glued_tokens, glued_tags


def to_anercorp_tags(coarse_tags: list[str]) -> list[str]:
    """NewsFANE coarse tags (PER, GPE, ...) in ANERcorp's four types."""
    return [
        tag if tag == "O" else f"{tag[:2]}{NEWSFANE_TO_ANERCORP[tag[2:]]}" for tag in coarse_tags
    ]


def read_newsfane(folder: Path) -> list[LabeledSentence]:
    """NewsFANE Gold sentences in ANERcorp's tokenization and types, minus ``exclude_ids.txt``
    (the sentences that repeat the official ANERcorp test split, and their neighbours)."""
    excluded = set((folder / "exclude_ids.txt").read_text(encoding="utf-8").split())
    sentences = []
    with gzip.open(folder / "newsfane_gold.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] not in excluded:
                tags = to_anercorp_tags(record["tags_coarse"])
                sentences.append(attach_clitics(record["tokens"], tags))
    return sentences


def letter_shingles(tokens: list[str]) -> set[str]:
    """Runs of SHINGLE_LETTERS folded letters, spaces and punctuation ignored, so that the
    same text matches whatever its tokenization and spelling of hamza or clitics."""
    letters = "".join(ch for ch in arabic.fold(" ".join(tokens)) if ch.isalnum())
    return {letters[i : i + SHINGLE_LETTERS] for i in range(len(letters) - SHINGLE_LETTERS + 1)}


def split_by_overlap(
    candidates: list[LabeledSentence], others: list[LabeledSentence]
) -> tuple[list[LabeledSentence], list[LabeledSentence]]:
    """``(unshared, shared)``: candidates sharing no letter run with ``others``, and the rest."""
    seen: set[str] = set()
    for tokens, _ in others:
        seen |= letter_shingles(tokens)
    unshared: list[LabeledSentence] = []
    shared: list[LabeledSentence] = []
    for sentence in candidates:
        (shared if letter_shingles(sentence[0]) & seen else unshared).append(sentence)
    return unshared, shared


def newsfane_training(
    folder: Path, train: list[LabeledSentence], dev: list[LabeledSentence], use: str
) -> list[LabeledSentence]:
    """The NewsFANE sentences to add to training (``use``: none, new or all).

    Sentences repeating dev-block text are always dropped (NewsFANE re-annotates ANERcorp
    articles); ``new`` also drops those repeating the ANERcorp train part, keeping only
    text ANERcorp lacks, so no article is seen twice under two annotation conventions.
    """
    if use == "none":
        return []
    usable, repeating_dev = split_by_overlap(read_newsfane(folder), dev)
    new, repeating_train = split_by_overlap(usable, train)
    print(
        f"NewsFANE: {len(usable) + len(repeating_dev)} sentences after exclude_ids.txt; "
        f"{len(repeating_dev)} dropped for sharing a {SHINGLE_LETTERS}-letter run with the "
        f"dev block; {len(repeating_train)} repeat ANERcorp train text, {len(new)} are new"
    )
    return new if use == "new" else usable


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
    fold_of = [(index // GAZETTEER_FOLD_BLOCK) % GAZETTEER_FOLDS for index in range(len(sentences))]
    per_fold = [
        ner.build_gazetteer(
            featurizer, [s for s, fold in zip(sentences, fold_of, strict=True) if fold != k]
        )
        for k in range(GAZETTEER_FOLDS)
    ]
    return [per_fold[fold] for fold in fold_of]


def load_or_learn_vectors(news_path: Path, cache: Path | None) -> NewsVectors:
    """The news vectors, from ``cache`` when it exists (they take minutes to learn)."""
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            return NewsVectors(list(saved["words"]), saved["syntactic"], saved["topical"])
    vectors = learn_vectors(news_path)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            cache,
            words=np.array(vectors.words),
            syntactic=vectors.syntactic,
            topical=vectors.topical,
        )
    return vectors


def wall_clock_today(hours_minutes: str) -> float:
    """``time.time()`` of HH:MM UTC today."""
    now = time.gmtime()
    hours, minutes = (int(part) for part in hours_minutes.split(":"))
    midnight = time.time() - (now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec)
    return midnight + hours * 3600 + minutes * 60


def read_vocabulary(directory: Path) -> ner.Vocabulary:
    """The vocabulary an existing model was trained with."""
    with gzip.open(directory / ner.VOCABULARY_FILE, "rt", encoding="utf-8") as handle:
        return ner.Vocabulary.from_json(json.load(handle)["vocabulary"])


def report_parts(tagger: ner.Tagger, parts: dict[str, list[LabeledSentence]]) -> None:
    """Print the score table of each dev part (the table's last line is its micro-F1)."""
    for name, sentences in parts.items():
        predicted = tag_by_document(sentences, tagger.tag_document)  # as `marsad eval ner`
        print(f"== {name}")
        print(format_report(score([tags for _, tags in sentences], predicted)))


def main() -> int:
    """Train, write the model files and the dev files under ``build/``, print dev scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "marsad" / "models")
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument(
        "--dev-only", action="store_true", help="only write the held-out dev files, do not train"
    )
    parser.add_argument(
        "--vectors-cache",
        type=Path,
        default=REPO / "build" / "ner_news_vectors.npz",
        help="reuse (or save) the learned news vectors here",
    )
    parser.add_argument(
        "--newsfane",
        choices=("none", "new", "all"),
        default="none",
        help="NewsFANE sentences added to training (never those repeating dev-block text)",
    )
    parser.add_argument(
        "--seeds",
        default="0",
        help="comma-separated seeds: one model each, shipped together as an ensemble",
    )
    parser.add_argument(
        "--vocabulary-from",
        type=Path,
        help="train with this model directory's vocabulary, so the new members can be "
        "combined with it (scripts/train_ner_combine.py)",
    )
    parser.add_argument("--epochs", type=int, help="at most this many (default: the settings')")
    parser.add_argument(
        "--pseudo",
        type=Path,
        help="pseudo-labelled CoNLL sentences for self-training (scripts/ner_pseudo_labels.py)",
    )
    parser.add_argument(
        "--pseudo-per-epoch",
        type=int,
        default=3000,
        help="pseudo-labelled sentences drawn afresh for each epoch",
    )
    parser.add_argument(
        "--pseudo-weight", type=float, default=1.0, help="loss weight of a pseudo-labelled sentence"
    )
    parser.add_argument(
        "--lm", type=Path, help="a frozen news language model (scripts/train_news_lm.py) as input"
    )
    parser.add_argument(
        "--stop-at", help="HH:MM (UTC, today): start no epoch after it (not reproducible alone)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    data = args.shared / "data"
    sentences = read_conll(data / "anercorp_camel" / "ANERCorp_CamelLab_train.txt.gz")
    split = split_documents(sentences)
    parts = {"dev block": split.dev, "tune half": split.tune, "validation half": split.validation}
    for name, part in zip(DEV_FILES, parts.values(), strict=True):
        write_conll(part, args.build / name)
    print(
        f"train {len(split.train)} sentences; dev block from sentence {split.dev_start}: "
        f"tune {len(split.tune)}, validation {len(split.validation)} (from {split.validation_start})"
    )
    if args.dev_only:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    vectors = load_or_learn_vectors(
        data / "saudinewsnet" / "saudinewsnet.jsonl.gz", args.vectors_cache
    )
    cached_clusters = args.vectors_cache.with_name("ner_news_clusters.tsv.gz")
    if cached_clusters.exists():
        clusters = ner.load_clusters(cached_clusters)
    else:
        clusters = learn_clusters(vectors)
        write_gzip_lines(
            (f"{word}\t{chr(9).join(ids)}" for word, ids in clusters.items()), cached_clusters
        )
    shutil.copyfile(cached_clusters, args.out / ner.CLUSTERS_FILE)
    print(f"vectors and clusters: {len(clusters)} words ({time.perf_counter() - started:.0f}s)")

    train = split.train + newsfane_training(
        data / "newsfane_gold", split.train, split.dev, args.newsfane
    )
    featurizer = ner.Featurizer(clusters)
    gazetteer = ner.build_gazetteer(featurizer, train)
    write_gzip_lines(
        (f"{label}\t{' '.join(key)}" for key, label in sorted(gazetteer.items())),
        args.out / ner.GAZETTEER_FILE,
    )
    settings = NeuralSettings() if args.epochs is None else NeuralSettings(epochs=args.epochs)
    pseudo = [] if args.pseudo is None else read_conll(args.pseudo)
    members = args.build / f"ner_members_newsfane_{args.newsfane}"
    if args.lm is not None:
        members = members.with_name(f"{members.name}_lm_{args.lm.stem}")
    if pseudo:
        settings = replace(
            settings, pseudo_per_epoch=args.pseudo_per_epoch, pseudo_weight=args.pseudo_weight
        )
        # Members trained on other data must not be reused for these.
        members = members.with_name(
            f"{members.name}_pseudo_{args.pseudo.stem}_{args.pseudo_per_epoch}_{args.pseudo_weight}"
        )
        print(f"pseudo-labelled: {len(pseudo)} sentences, {args.pseudo_per_epoch} an epoch")
    # Early stopping looks at the tune half only; the validation half is never looked at.
    train_neural(
        train,
        held_out_gazetteers(featurizer, train),
        split.tune,
        gazetteer,
        clusters,
        vectors.words,
        vectors.syntactic,
        args.out,
        settings,
        seeds=[int(seed) for seed in args.seeds.split(",")],
        members=members,
        stop_at=None if args.stop_at is None else wall_clock_today(args.stop_at),
        vocabulary=None if args.vocabulary_from is None else read_vocabulary(args.vocabulary_from),
        pseudo=pseudo,
        lm=args.lm,
    )
    print(f"trained ({time.perf_counter() - started:.0f}s)")
    report_parts(ner.Tagger(args.out), parts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
