"""Train a small bidirectional word language model on SaudiNewsNet before August (NER features).

The NER tagger reads one sentence with static word vectors; names it never saw in ANERcorp
are told apart by their context (``قال X``, ``في مدينة X``), which 150k training tokens teach
poorly. A language model read on millions of news tokens learns those contexts without labels;
its states at each word join the tagger's input (Peters et al. 2017, "TagLM"). Kept small so
the tagger stays fast: one LSTM layer per direction over the NER vocabulary's folded words
(the ids the encoder already computes), an adaptive softmax for the output (Grave et al. 2017).

Text: records dated before 2015-08-01 outside ``kept_apart_ids.txt`` (``build_july_corpus.py``),
the same text the NER word vectors came from. Cut into sentences as the tagger cuts them.

Usage::

    python scripts/train_news_lm.py build/snn_july.jsonl.gz build/news_lm.pt --minutes 25
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from train_ner import read_vocabulary

from marsad.extract import ner


@dataclass(frozen=True, slots=True)
class LmSettings:
    """Sizes and optimisation of the news language model."""

    dims: int = 64
    hidden: int = 128
    cutoffs: tuple[int, ...] = (2_000, 10_000)
    batch_size: int = 64
    learning_rate: float = 2e-3
    dropout: float = 0.1
    seed: int = 0


class NewsLm(nn.Module):
    """Word ids -> per-word forward and backward LSTM states (and, training, their losses)."""

    def __init__(self, n_words: int, settings: LmSettings) -> None:
        super().__init__()
        self.embed = nn.Embedding(n_words, settings.dims, padding_idx=ner.PAD)
        self.lstm = nn.LSTM(settings.dims, settings.hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(settings.dropout)
        self.hidden = settings.hidden
        self.forward_out = nn.AdaptiveLogSoftmaxWithLoss(
            settings.hidden, n_words, list(settings.cutoffs), div_value=4.0
        )
        self.backward_out = nn.AdaptiveLogSoftmaxWithLoss(
            settings.hidden, n_words, list(settings.cutoffs), div_value=4.0
        )

    def states(self, embedded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``(batch, time, dims)`` embeddings -> ``(batch, time, 2 * hidden)``: at word t the
        forward half has read words 1..t, the backward half words t..n."""
        packed = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        states, _ = pad_packed_sequence(out, batch_first=True, total_length=embedded.shape[1])
        return states

    def loss(self, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, int]:
        """Summed negative log-likelihood of each next (forward) and previous (backward) word."""
        states = self.dropout(self.states(self.dropout(self.embed(ids)), lengths))
        width = ids.shape[1]
        mask = torch.arange(width)[None, :] < lengths[:, None]
        pair = mask[:, 1:] & mask[:, :-1]
        ahead = states[:, :-1, : self.hidden][pair]
        behind = states[:, 1:, self.hidden :][pair]
        total = self.forward_out(ahead, ids[:, 1:][pair]).loss * len(ahead)
        total = total + self.backward_out(behind, ids[:, :-1][pair]).loss * len(behind)
        return total, 2 * len(ahead)


def encode_corpus(path: Path, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Folded-word ids of every sentence (flat) and each sentence's start (with the end)."""
    tagger = ner.load_tagger()
    featurizer = tagger.featurizer
    flat: list[int] = []
    starts: list[int] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            text = json.loads(line).get("text") or ""
            spans = ner.word_spans(text)
            if not spans:
                continue
            words = [text[a:b] for a, b in spans]
            ids = [featurizer.word(word).ids[0] for word in words]
            cuts = [*ner._sentence_starts(text, spans), len(words)]
            for first, last in pairwise(cuts):
                if last - first >= 3:
                    starts.append(len(flat))
                    flat += ids[first:last]
    starts.append(len(flat))
    return np.asarray(flat, dtype=np.int32), np.asarray(starts, dtype=np.int64)


def batches(starts: np.ndarray, rows: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of sentences of similar length."""
    lengths = np.diff(starts)
    order = sorted(rows, key=lambda i: (int(lengths[i]), rng.random()))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


def padded(
    flat: np.ndarray, starts: np.ndarray, rows: list[int]
) -> tuple[torch.Tensor, torch.Tensor]:
    """A padded id batch and its lengths."""
    lengths = [int(starts[i + 1] - starts[i]) for i in rows]
    ids = np.zeros((len(rows), max(lengths)), dtype=np.int64)
    for k, i in enumerate(rows):
        ids[k, : lengths[k]] = flat[starts[i] : starts[i + 1]]
    return torch.from_numpy(ids), torch.tensor(lengths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--minutes", type=float, default=25.0)
    parser.add_argument("--limit", type=int, default=10**9, help="records read")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--resume", type=Path, help="start from this saved model's weights")
    args = parser.parse_args()
    settings = LmSettings()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    cache = args.out.with_suffix(".corpus.npz")
    if cache.exists():
        saved = np.load(cache)
        flat, starts = saved["flat"], saved["starts"]
    else:
        flat, starts = encode_corpus(args.corpus, args.limit)
        np.savez(cache, flat=flat, starts=starts)
    n_sentences = len(starts) - 1
    print(f"{n_sentences} sentences, {len(flat)} tokens ({time.perf_counter() - started:.0f}s)")
    rng = random.Random(settings.seed)
    rows = list(range(n_sentences))
    rng.shuffle(rows)
    held = sorted(rows[: max(200, n_sentences // 100)])
    train = rows[len(held) :]
    # Ids 0 and 1 are padding and unknown, as in the tagger's featurizer.
    n_words = len(read_vocabulary(ner.models_dir()).words) + 2
    model = NewsLm(n_words, settings)
    if args.resume is not None:
        model.load_state_dict(torch.load(args.resume)["state"])
        rng = random.Random(settings.seed + 1)  # another batch order than the first run's
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.learning_rate)
    deadline = time.perf_counter() + 60 * args.minutes
    step = 0
    epoch = 0
    while time.perf_counter() < deadline:
        epoch += 1
        model.train()
        for group in batches(starts, train, settings.batch_size, rng):
            ids, lengths = padded(flat, starts, group)
            total, count = model.loss(ids, lengths)
            optimizer.zero_grad()
            (total / max(1, count)).backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step % 500 == 0:
                print(
                    f"epoch {epoch} step {step}: train nll {float(total.detach()) / count:.3f}",
                    flush=True,
                )
            if time.perf_counter() > deadline:
                break
        model.eval()
        with torch.no_grad():
            nll = words = 0.0
            for group in batches(starts, held, 128, random.Random(0)):
                ids, lengths = padded(flat, starts, group)
                total, count = model.loss(ids, lengths)
                nll += float(total)
                words += count
        print(
            f"epoch {epoch} ({step} steps, {time.perf_counter() - started:.0f}s): held-out "
            f"perplexity {np.exp(nll / words):.1f}",
            flush=True,
        )
    torch.save(
        {"settings": asdict(settings), "n_words": n_words, "state": model.state_dict()}, args.out
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
