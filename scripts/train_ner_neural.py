"""Train Marsad's BiLSTM-CRF NER model with torch and export it to ONNX.

Called by ``scripts/train_ner.py`` (which prepares the data split, the distributional word
vectors, the cluster table and the gazetteers); needs ``torch==2.13.0`` and ``onnx`` at
training time only. The package itself runs the exported graphs with onnxruntime.
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from marsad.extract import ner

LabeledSentence = tuple[list[str], list[str]]
N_TAGS = len(ner.TAGS)
COLUMN = {name: index for index, name in enumerate(ner.FEATURE_COLUMNS)}
FORBIDDEN = -10_000.0  # transition score that rules a move out (BIO constraints)


@dataclass(frozen=True, slots=True)
class NeuralSettings:
    """Architecture and optimisation hyperparameters."""

    max_words: int = 40_000  # most frequent news words with pretrained vectors
    min_train_count: int = 2  # training words outside those need this many occurrences
    word_dims: int = 100
    char_dims: int = 24
    char_filters: int = 48
    cluster_dims: tuple[int, ...] = (8, 16, 24, 16, 24)
    small_dims: int = 8
    word_vector_dims: int = 64
    hidden: int = 64
    dropout: float = 0.5
    word_dropout: float = 0.1
    learning_rate: float = 2e-3
    batch_size: int = 16
    epochs: int = 40
    patience: int = 8
    # Frozen distributional vectors generalise to names unseen in training (dev F1 +0.017).
    freeze_words: bool = True
    ema_decay: float = 0.998  # per step; 0 evaluates the raw weights
    seed: int = 0
    # Self-training: pseudo-labelled sentences drawn afresh each epoch (0: none), and the
    # weight of their loss against the gold sentences' (their labels are the model's own).
    pseudo_per_epoch: int = 0
    pseudo_weight: float = 1.0
    # A frozen news language model (scripts/train_news_lm.py): its word embedding (lm_dims)
    # rides along the word vector, its BiLSTM states (2 x lm_hidden) join the tagger's input.
    lm_dims: int = 0
    lm_hidden: int = 0

    @property
    def member_width(self) -> int:
        """Width of one member's slice of the word vector."""
        return self.word_vector_dims + self.lm_dims


@dataclass(frozen=True, slots=True)
class Encoded:
    """One sentence as model inputs."""

    ids: np.ndarray  # (time, columns)
    chars: np.ndarray  # (time, MAX_CHARS)
    gazetteer: np.ndarray  # (time,)
    tags: np.ndarray  # (time,)
    weight: float = 1.0  # of its loss: below 1 for pseudo-labelled sentences


def allowed_transitions() -> np.ndarray:
    """``(from, to)`` mask of BIO-legal moves: I-X only after B-X or I-X."""
    allowed = np.ones((N_TAGS, N_TAGS), dtype=bool)
    for to, tag in enumerate(ner.TAGS):
        if tag.startswith("I-"):
            allowed[:, to] = False
            allowed[ner.TAGS.index("B-" + tag[2:]), to] = True
            allowed[to, to] = True
    return allowed


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Turn an ``I-X`` that continues no ``X`` into ``B-X`` (how ``bio_spans`` reads it)."""
    repaired = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        repaired.append(tag)
        previous = tag
    return repaired


def build_vocabulary(
    featurizer: ner.Featurizer,
    train: Sequence[LabeledSentence],
    news_words: Sequence[str],
    settings: NeuralSettings,
) -> ner.Vocabulary:
    """Frequent news words (they have pretrained vectors) plus repeated training words."""
    words = list(news_words[: settings.max_words])
    known = set(words)
    counts: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    proclitics: Counter[str] = Counter()
    for tokens, _ in train:
        for token in tokens:
            features = featurizer.word(token)
            counts.update({features.folded, features.stripped})
            chars.update(features.folded)
            proclitics[features.proclitics] += 1
    words += sorted(
        w for w, n in counts.items() if n >= settings.min_train_count and w not in known
    )
    return ner.Vocabulary(
        tuple(words),
        "".join(sorted(ch for ch, n in chars.items() if n >= 2)),
        tuple(sorted(p for p, n in proclitics.items() if n >= 2)),
    )


def encode(
    featurizer: ner.Featurizer, tokens: Sequence[str], tags: Sequence[str], weight: float = 1.0
) -> Encoded:
    """Model inputs of one sentence under the featurizer's current gazetteer."""
    words = [featurizer.word(token) for token in tokens]
    return Encoded(
        np.array([w.ids for w in words], dtype=np.int64),
        np.array([w.chars for w in words], dtype=np.int64),
        np.array(featurizer.gazetteer_ids([w.stripped for w in words]), dtype=np.int64),
        np.array([ner.TAGS.index(tag) for tag in repair_bio(tags)], dtype=np.int64),
        weight,
    )


class WordEncoder(nn.Module):
    """Distinct word -> vector: embeddings of its symbols and a character CNN."""

    def __init__(
        self,
        settings: NeuralSettings,
        n_words: int,
        n_chars: int,
        n_proclitics: int,
        cluster_sizes: Sequence[int],
        pretrained: np.ndarray,
        lm_embed: nn.Embedding | None = None,
    ) -> None:
        super().__init__()
        self.lm_embed = lm_embed
        if lm_embed is not None:
            lm_embed.weight.requires_grad_(False)
        self.words = nn.Embedding(n_words, settings.word_dims, padding_idx=ner.PAD)
        with torch.no_grad():
            self.words.weight.normal_(0.0, 0.1)
            self.words.weight[ner.PAD] = 0.0
            self.words.weight[2 : 2 + len(pretrained)] = torch.from_numpy(pretrained)
        self.words.weight.requires_grad_(not settings.freeze_words)
        self.clusters = nn.ModuleList(
            nn.Embedding(size, dims)
            for size, dims in zip(cluster_sizes, settings.cluster_dims, strict=True)
        )
        self.shapes = nn.Embedding(len(ner.SHAPES) + 2, settings.small_dims)
        self.proclitics = nn.Embedding(n_proclitics, settings.small_dims)
        self.chars = nn.Embedding(n_chars, settings.char_dims, padding_idx=ner.PAD)
        self.char_conv = nn.Conv1d(settings.char_dims, settings.char_filters, 3, padding=1)
        width = (
            2 * settings.word_dims
            + 2 * sum(settings.cluster_dims)
            + 2 * settings.small_dims
            + settings.char_filters
        )
        self.dropout = nn.Dropout(settings.dropout)
        self.project = nn.Linear(width, settings.word_vector_dims)
        # Set for export: the word table is then stored in float16 (half the file size).
        self.half_words = False

    def word_vectors(self, ids: torch.Tensor) -> torch.Tensor:
        """Rows of the word table (through float16 when exporting)."""
        if self.half_words:
            return nn.functional.embedding(ids, self.words.weight.half()).float()
        return nn.functional.embedding(ids, self.words.weight, padding_idx=ner.PAD)

    def forward(self, ids: torch.Tensor, chars: torch.Tensor) -> torch.Tensor:
        """``ids (n, columns)``, ``chars (n, MAX_CHARS)`` -> ``(n, word_vector_dims)``."""
        levels = ner.CLUSTER_LEVELS
        parts = [
            self.word_vectors(ids[:, COLUMN["word"]]),
            self.word_vectors(ids[:, COLUMN["stripped"]]),
        ]
        parts += [table(ids[:, 2 + level]) for level, table in enumerate(self.clusters)]
        parts += [table(ids[:, 2 + levels + level]) for level, table in enumerate(self.clusters)]
        parts += [
            self.shapes(ids[:, COLUMN["shape"]]),
            self.proclitics(ids[:, COLUMN["proclitics"]]),
        ]
        convolved = torch.relu(self.char_conv(self.chars(chars).transpose(1, 2)))
        parts.append(convolved.max(dim=2).values)
        vector = torch.tanh(self.project(self.dropout(torch.cat(parts, dim=1))))
        if self.lm_embed is None:
            return vector
        word_ids = ids[:, COLUMN["word"]]
        if self.half_words:
            context = nn.functional.embedding(word_ids, self.lm_embed.weight.half()).float()
        else:
            context = self.lm_embed(word_ids)
        return torch.cat([vector, context], dim=1)


class SentenceTagger(nn.Module):
    """Word vectors + gazetteer marks -> BiLSTM -> per-tag emission scores."""

    def __init__(self, settings: NeuralSettings, lm_lstm: nn.LSTM | None = None) -> None:
        super().__init__()
        self.lm_lstm = lm_lstm
        if lm_lstm is not None:
            lm_lstm.requires_grad_(False)
        self.word_dims = settings.word_vector_dims
        self.gazetteer = nn.Embedding(N_TAGS, settings.small_dims)
        self.lstm = nn.LSTM(
            settings.word_vector_dims + 2 * settings.lm_hidden + settings.small_dims,
            settings.hidden,
            batch_first=True,
            bidirectional=True,
        )
        self.dropout = nn.Dropout(settings.dropout)
        self.emit = nn.Linear(2 * settings.hidden, N_TAGS)

    def forward(
        self, vectors: torch.Tensor, gazetteer: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """``(batch, time, dims)``, ``(batch, time)``, ``(batch,)`` -> ``(batch, time, tags)``."""
        parts = [vectors[:, :, : self.word_dims], self.gazetteer(gazetteer)]
        if self.lm_lstm is not None:
            embedded = pack_padded_sequence(
                vectors[:, :, self.word_dims :], lengths, batch_first=True, enforce_sorted=False
            )
            states, _ = pad_packed_sequence(
                self.lm_lstm(embedded)[0], batch_first=True, total_length=vectors.shape[1]
            )
            parts.insert(1, self.dropout(states))
        inputs = torch.cat(parts, dim=2)
        packed = pack_padded_sequence(inputs, lengths, batch_first=True, enforce_sorted=False)
        hidden, _ = self.lstm(packed)
        hidden, _ = pad_packed_sequence(hidden, batch_first=True, total_length=inputs.shape[1])
        emissions: torch.Tensor = self.emit(self.dropout(hidden))
        return emissions


class Crf(nn.Module):
    """Linear-chain CRF scores with BIO-illegal moves fixed at FORBIDDEN."""

    def __init__(self) -> None:
        super().__init__()
        allowed = allowed_transitions()
        self.forbidden: torch.Tensor
        self.start_forbidden: torch.Tensor
        self.register_buffer(
            "forbidden", torch.from_numpy(np.where(allowed, 0.0, FORBIDDEN)).float()
        )
        start_forbidden = [FORBIDDEN if tag.startswith("I-") else 0.0 for tag in ner.TAGS]
        self.register_buffer("start_forbidden", torch.tensor(start_forbidden))
        self.transitions = nn.Parameter(torch.zeros(N_TAGS, N_TAGS))
        self.start = nn.Parameter(torch.zeros(N_TAGS))
        self.end = nn.Parameter(torch.zeros(N_TAGS))

    def scores(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Effective (transitions, start, end) including the constraints."""
        return self.transitions + self.forbidden, self.start + self.start_forbidden, self.end

    def neg_log_likelihood(
        self,
        emissions: torch.Tensor,
        tags: torch.Tensor,
        mask: torch.Tensor,
        weights: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Summed negative log-likelihood of the gold tags (mask: valid positions), each
        sentence's weighted by ``weights`` when given."""
        transitions, start, end = self.scores()
        batch = torch.arange(emissions.shape[0])
        lengths = mask.sum(dim=1)
        gold = start[tags[:, 0]] + (emissions.gather(2, tags[:, :, None])[:, :, 0] * mask).sum(1)
        gold = gold + (transitions[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
        gold = gold + end[tags[batch, lengths - 1]]
        alpha = start + emissions[:, 0]
        for step in range(1, emissions.shape[1]):
            advanced = torch.logsumexp(alpha[:, :, None] + transitions, dim=1) + emissions[:, step]
            alpha = torch.where(mask[:, step, None], advanced, alpha)
        per_sentence = torch.logsumexp(alpha + end, dim=1) - gold
        if weights is not None:
            per_sentence = per_sentence * weights
        return per_sentence.sum()


class Model(nn.Module):
    """The whole network as trained."""

    def __init__(
        self, encoder: WordEncoder, tagger: SentenceTagger, settings: NeuralSettings
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.tagger = tagger
        self.crf = Crf()
        self.word_dropout = settings.word_dropout
        self.seed = settings.seed

    def emissions(
        self, batch: Sequence[Encoded]
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Emission scores, gold tags and mask of a padded batch."""
        lengths = torch.tensor([len(s.tags) for s in batch])
        width = int(lengths.max())
        columns = len(ner.FEATURE_COLUMNS)
        ids = torch.zeros(len(batch), width, columns, dtype=torch.long)
        chars = torch.zeros(len(batch), width, ner.MAX_CHARS, dtype=torch.long)
        gazetteer = torch.zeros(len(batch), width, dtype=torch.long)
        tags = torch.zeros(len(batch), width, dtype=torch.long)
        for row, sentence in enumerate(batch):
            n = len(sentence.tags)
            ids[row, :n] = torch.from_numpy(sentence.ids)
            chars[row, :n] = torch.from_numpy(sentence.chars)
            gazetteer[row, :n] = torch.from_numpy(sentence.gazetteer)
            tags[row, :n] = torch.from_numpy(sentence.tags)
        mask = torch.arange(width)[None, :] < lengths[:, None]
        if self.training and self.word_dropout:
            # Unknown-word dropout teaches the model to tag names it has no vector for.
            drop = (torch.rand(len(batch), width, 2) < self.word_dropout) & mask[:, :, None]
            ids[:, :, :2] = torch.where(drop, ner.UNKNOWN, ids[:, :, :2])
        vectors = self.encoder(ids.reshape(-1, columns), chars.reshape(-1, ner.MAX_CHARS))
        vectors = vectors.reshape(len(batch), width, -1)
        return self.tagger(vectors, gazetteer, lengths), tags, mask


def decode(model: Model, sentences: Sequence[Encoded], batch_size: int = 64) -> list[list[str]]:
    """Viterbi tags (with the run-time numpy decoder) for every sentence."""
    model.eval()
    transitions, start, end = (t.detach().numpy() for t in model.crf.scores())
    predicted: list[list[str]] = [[] for _ in sentences]
    longest_first = sorted(range(len(sentences)), key=lambda i: -len(sentences[i].tags))
    with torch.no_grad():
        for first in range(0, len(sentences), batch_size):
            batch = longest_first[first : first + batch_size]
            emissions, _, mask = model.emissions([sentences[i] for i in batch])
            best = ner.viterbi(emissions.numpy(), mask.sum(1).numpy(), transitions, start, end)
            for row, index in enumerate(batch):
                predicted[index] = [ner.TAGS[t] for t in best[row, : len(sentences[index].tags)]]
    return predicted


def micro_f1(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> float:
    """Entity-level exact-match micro F1."""
    correct = n_gold = n_predicted = 0
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        gold_spans, predicted_spans = ner.bio_spans(gold_tags), ner.bio_spans(predicted_tags)
        correct += len(gold_spans & predicted_spans)
        n_gold += len(gold_spans)
        n_predicted += len(predicted_spans)
    return 2 * correct / (n_gold + n_predicted) if n_gold + n_predicted else 0.0


def length_batches(sentences: Sequence[Encoded], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of sentences of similar length (little padding)."""
    order = sorted(range(len(sentences)), key=lambda i: (len(sentences[i].tags), rng.random()))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def train_model(
    model: Model,
    train: Sequence[Encoded],
    dev: Sequence[Encoded],
    dev_gold: Sequence[Sequence[str]],
    settings: NeuralSettings,
    log: Callable[[str], None],
    stop_at: float | None = None,
    pseudo: Sequence[Encoded] = (),
) -> float:
    """Adam with early stopping on dev micro-F1; leaves the best weights in ``model``.

    With ``ema_decay`` > 0 the weights evaluated (and kept) are an exponential moving
    average of the trained ones, which smooths the epoch-to-epoch noise of a small data set.
    Each epoch adds ``settings.pseudo_per_epoch`` sentences drawn from ``pseudo`` (another
    sample every epoch, so a large pseudo-labelled set costs no more than its sample).
    """
    rng = random.Random(settings.seed)
    # Its own generator, so that without pseudo labels the batches are what they were.
    pseudo_rng = random.Random(settings.seed + 1)
    pseudo_count = min(settings.pseudo_per_epoch, len(pseudo))
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(parameters, lr=settings.learning_rate)
    average = {k: v.detach().clone() for k, v in model.state_dict().items()}
    best_f1, best_state, stale = -1.0, average, 0
    for epoch in range(1, settings.epochs + 1):
        started = time.perf_counter()
        model.train()
        total = 0.0
        epoch_set = list(train)
        if pseudo_count:
            epoch_set += pseudo_rng.sample(list(pseudo), pseudo_count)
        for batch in length_batches(epoch_set, settings.batch_size, rng):
            sentences = [epoch_set[i] for i in batch]
            emissions, tags, mask = model.emissions(sentences)
            weights = torch.tensor([s.weight for s in sentences]) if pseudo_count else None
            loss = model.crf.neg_log_likelihood(emissions, tags, mask, weights)
            optimizer.zero_grad()
            (loss / len(batch)).backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(parameters, 5.0)
            optimizer.step()
            total += float(loss.detach())
            with torch.no_grad():
                for key, value in model.named_parameters():
                    if value.requires_grad:
                        average[key].lerp_(value, 1 - settings.ema_decay)
        trained = {k: v.clone() for k, v in model.state_dict().items()}
        model.load_state_dict(average)
        f1 = micro_f1(dev_gold, decode(model, dev))
        model.load_state_dict(trained)
        log(
            f"epoch {epoch}: loss {total / len(epoch_set):.3f} dev micro-F1 {f1:.4f} "
            f"({time.perf_counter() - started:.0f}s)"
        )
        if f1 > best_f1:
            best_f1, stale = f1, 0
            best_state = {k: v.clone() for k, v in average.items()}
        else:
            stale += 1
            if stale >= settings.patience:
                break
        if stop_at is not None and time.time() > stop_at:
            # A wall-clock budget is not reproducible by itself: rerun with --epochs N.
            log(f"stopped at the time budget after epoch {epoch}")
            break
    model.load_state_dict(best_state)
    return best_f1


class EnsembleEncoder(nn.Module):
    """Several word encoders side by side: one word -> their vectors, concatenated."""

    def __init__(self, encoders: Sequence[WordEncoder]) -> None:
        super().__init__()
        self.encoders = nn.ModuleList(encoders)

    @property
    def half_words(self) -> bool:
        """Whether the word tables go through float16 (set for export)."""
        return all(encoder.half_words for encoder in self.encoders)  # type: ignore[misc]

    @half_words.setter
    def half_words(self, value: bool) -> None:
        for encoder in self.encoders:
            encoder.half_words = value  # type: ignore[assignment]

    def forward(self, ids: torch.Tensor, chars: torch.Tensor) -> torch.Tensor:
        """Like :meth:`WordEncoder.forward`, with ``members * word_vector_dims`` outputs."""
        return torch.cat([encoder(ids, chars) for encoder in self.encoders], dim=1)


class EnsembleTagger(nn.Module):
    """Several sentence taggers, each reading its own slice of the word vector; the
    emission scores are averaged (with the averaged CRF scores this is a product of the
    members' distributions, which is steadier than any one of them on unseen names)."""

    def __init__(self, taggers: Sequence[SentenceTagger], dims: int) -> None:
        super().__init__()
        self.taggers = nn.ModuleList(taggers)
        self.dims = dims

    def forward(
        self, vectors: torch.Tensor, gazetteer: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """``(batch, time, members * dims)``, ``(batch, time)``, ``(batch,)`` -> emissions."""
        parts = [
            tagger(vectors[:, :, k * self.dims : (k + 1) * self.dims], gazetteer, lengths)
            for k, tagger in enumerate(self.taggers)
        ]
        return torch.stack(parts).mean(dim=0)


def export(
    models: Sequence[Model], vocabulary: ner.Vocabulary, settings: NeuralSettings, out: Path
) -> None:
    """Write the two ONNX graphs and the vocabulary/transition table into ``out``.

    Several models (an ensemble of seeds) are written as one encoder and one tagger graph,
    so the run time code sees one model with ``members * word_vector_dims`` word vectors.
    """
    for member in models:
        member.eval()
    columns = len(ner.FEATURE_COLUMNS)
    encoder: nn.Module = (
        models[0].encoder if len(models) == 1 else EnsembleEncoder([m.encoder for m in models])
    )
    tagger: nn.Module = (
        models[0].tagger
        if len(models) == 1
        else EnsembleTagger([m.tagger for m in models], settings.member_width)
    )
    encoder.half_words = True
    torch.onnx.export(
        encoder,
        (torch.ones(3, columns, dtype=torch.long), torch.ones(3, ner.MAX_CHARS, dtype=torch.long)),
        str(out / ner.WORDS_MODEL_FILE),
        dynamo=False,
        input_names=["features", "chars"],
        output_names=["vectors"],
        dynamic_axes={"features": {0: "words"}, "chars": {0: "words"}, "vectors": {0: "words"}},
    )
    encoder.half_words = False
    torch.onnx.export(
        tagger,
        (
            torch.zeros(2, 5, len(models) * settings.member_width),
            torch.zeros(2, 5, dtype=torch.long),
            torch.tensor([5, 3]),
        ),
        str(out / ner.TAGGER_MODEL_FILE),
        dynamo=False,
        input_names=["vectors", "gazetteer", "lengths"],
        output_names=["emissions"],
        dynamic_axes={
            "vectors": {0: "batch", 1: "time"},
            "gazetteer": {0: "batch", 1: "time"},
            "lengths": {0: "batch"},
            "emissions": {0: "batch", 1: "time"},
        },
    )
    transitions, start, end = (
        torch.stack(list(scores)).mean(dim=0).detach().numpy().round(5).tolist()
        for scores in zip(*(m.crf.scores() for m in models), strict=True)
    )
    table = {
        "tags": list(ner.TAGS),
        "transitions": transitions,
        "start": start,
        "end": end,
        "word_vector_dims": len(models) * settings.member_width,
        "settings": {**asdict(settings), "ensemble_seeds": [m.seed for m in models]},
        "vocabulary": vocabulary.to_json(),
    }
    with (
        (out / ner.VOCABULARY_FILE).open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def aligned_vectors(
    vocabulary: ner.Vocabulary,
    news_words: Sequence[str],
    news_vectors: np.ndarray,
    settings: NeuralSettings,
    log: Callable[[str], None],
) -> np.ndarray:
    """Pretrained rows for a given vocabulary's first ``max_words`` words, found by name.

    An existing model's vocabulary may have been built from other news vectors (folding
    rules change); a word without a vector now keeps a small random one, as the words
    outside the news list do.
    """
    row_of = {word: row for row, word in enumerate(news_words)}
    head = vocabulary.words[: settings.max_words]
    rng = np.random.default_rng(settings.seed)
    aligned = rng.normal(0.0, 0.1, size=(len(head), news_vectors.shape[1])).astype(np.float32)
    found = [(index, row_of[word]) for index, word in enumerate(head) if word in row_of]
    for index, row in found:
        aligned[index] = news_vectors[row]
    log(f"given vocabulary: {len(found)} of its first {len(head)} words have news vectors")
    return aligned


def train_neural(
    train: Sequence[LabeledSentence],
    train_gazetteers: Sequence[Mapping[tuple[str, ...], str]],
    dev: Sequence[LabeledSentence],
    gazetteer: Mapping[tuple[str, ...], str],
    clusters: Mapping[str, tuple[str, ...]],
    news_words: Sequence[str],
    news_vectors: np.ndarray,
    out: Path,
    settings: NeuralSettings,
    log: Callable[[str], None] = print,
    seeds: Sequence[int] = (0,),
    members: Path | None = None,
    stop_at: float | None = None,
    vocabulary: ner.Vocabulary | None = None,
    pseudo: Sequence[LabeledSentence] = (),
    lm: Path | None = None,
) -> list[float]:
    """Train one model per seed, export them (as one ensemble) into ``out``.

    Returns the best dev micro-F1 each member reached while training.

    Args:
        train: training sentences.
        train_gazetteers: per training sentence, a gazetteer built without its fold.
        dev: dev sentences (early stopping only).
        gazetteer: built from all training sentences (used for dev and shipped).
        clusters: the shipped cluster table.
        news_words: folded news words, most frequent first, rows of ``news_vectors``.
        news_vectors: distributional vectors of ``news_words``.
        out: model directory.
        settings: hyperparameters.
        log: progress printer.
        seeds: one member per seed; its initialisation and batch order follow the seed.
        members: folder keeping each trained member (``seed<N>.pt``) for later ensembles;
            a member found there is reused, not retrained (the caller names the folder
            after the training data, so a member is only reused for the same data).
        stop_at: a wall-clock time (``time.time()``) after which no new epoch starts.
        vocabulary: use this vocabulary (an existing model's) instead of building one, so
            the new members can join that model's ensemble (``train_ner_combine.py``);
            its first ``max_words`` words get their rows of ``news_vectors`` by name.
        pseudo: pseudo-labelled sentences (self-training), marked with the full
            ``gazetteer`` as at tagging time; ``settings.pseudo_per_epoch`` of them join
            each epoch with loss weight ``settings.pseudo_weight``.
        lm: a news language model saved by ``scripts/train_news_lm.py`` over the same
            vocabulary's word ids; its embedding and states become frozen member inputs.
    """
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    if vocabulary is None:
        vocabulary = build_vocabulary(ner.Featurizer(clusters), train, news_words, settings)
        pretrained = news_vectors[: settings.max_words].astype(np.float32)
    else:
        pretrained = aligned_vectors(vocabulary, news_words, news_vectors, settings, log)
    featurizer = ner.Featurizer(clusters, vocabulary=vocabulary)
    encoded_train = []
    for (tokens, tags), held_out in zip(train, train_gazetteers, strict=True):
        featurizer.use_gazetteer(held_out)
        encoded_train.append(encode(featurizer, tokens, tags))
    featurizer.use_gazetteer(gazetteer)
    encoded_dev = [encode(featurizer, tokens, tags) for tokens, tags in dev]
    encoded_pseudo = [
        encode(featurizer, tokens, tags, settings.pseudo_weight) for tokens, tags in pseudo
    ]
    # Cluster ids are shifted by two (padding, unknown) in the features.
    cluster_sizes = [
        max(int(ids[level]) for ids in clusters.values()) + 3 for level in range(ner.CLUSTER_LEVELS)
    ]
    saved_lm = None if lm is None else torch.load(lm)
    if saved_lm is not None:
        if saved_lm["n_words"] != len(vocabulary.words) + 2:
            raise SystemExit(f"{lm} was trained over another vocabulary")
        settings = replace(
            settings,
            lm_dims=saved_lm["settings"]["dims"],
            lm_hidden=saved_lm["settings"]["hidden"],
        )
    models, best = [], []
    for seed in seeds:
        member = replace(settings, seed=seed)
        torch.manual_seed(seed)
        lm_embed = lm_lstm = None
        if saved_lm is not None:
            state = saved_lm["state"]
            lm_embed = nn.Embedding(saved_lm["n_words"], member.lm_dims, padding_idx=ner.PAD)
            lm_embed.load_state_dict({"weight": state["embed.weight"]})
            lm_lstm = nn.LSTM(
                member.lm_dims, member.lm_hidden, batch_first=True, bidirectional=True
            )
            lm_lstm.load_state_dict(
                {k[len("lstm.") :]: v for k, v in state.items() if k.startswith("lstm.")}
            )
        encoder = WordEncoder(
            member,
            len(vocabulary.words) + 2,
            len(vocabulary.chars) + 2,
            len(vocabulary.proclitics) + 2,
            cluster_sizes,
            pretrained,
            lm_embed,
        )
        model = Model(encoder, SentenceTagger(member, lm_lstm), member)
        log(
            f"seed {seed}: vocabulary {len(vocabulary.words)} words, {len(vocabulary.chars)} "
            f"chars; {sum(p.numel() for p in model.parameters())} parameters"
        )
        saved = None if members is None else members / f"seed{seed}.pt"
        if saved is not None and saved.exists():
            model.load_state_dict(torch.load(saved))
            best.append(micro_f1([tags for _, tags in dev], decode(model, encoded_dev)))
            log(f"seed {seed}: reused {saved}, dev micro-F1 {best[-1]:.4f}")
        else:
            dev_gold = [tags for _, tags in dev]
            best.append(
                train_model(
                    model,
                    encoded_train,
                    encoded_dev,
                    dev_gold,
                    member,
                    log,
                    stop_at,
                    encoded_pseudo,
                )
            )
            if saved is not None:
                saved.parent.mkdir(parents=True, exist_ok=True)
                torch.save(model.state_dict(), saved)
        models.append(model)
    out.mkdir(parents=True, exist_ok=True)
    export(models, vocabulary, settings, out)
    return best
