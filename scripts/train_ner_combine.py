"""Combine separately trained NER models into one ensemble, without retraining any member.

Usage (from the repository root)::

    python scripts/train_ner_combine.py --out build/ner_seeds012 src/marsad/models build/ner_seed2

Each argument is a model directory written by ``scripts/train_ner.py`` (``ner_words.onnx``,
``ner_tagger.onnx``, ``ner_vocabulary.json.gz``), itself one member or an ensemble; e.g.
train one more member alone with ``train_ner.py --seeds 2 --out build/ner_seed2`` and
combine it with the shipped two. The parts must share the vocabulary, the cluster table
and the gazetteer (the same training data gives the same ones), so one featurizer serves
them all. The result is the ensemble ``train_ner.py --seeds`` exports in one run:

- the word encoder graph runs every part's encoder and concatenates their vectors;
- the tagger graph gives each part its slice of those vectors and averages the parts'
  emission scores weighted by their numbers of members (each member counts once);
- the CRF scores are the same weighted mean.

The run-time code (``marsad.extract.ner.Tagger``) reads the result unchanged. Cluster
table, gazetteer and common-word list are copied from the first part (the common words
are learned from a model's output: rebuild them with ``train_ner_common_words.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from marsad.evaluate.ner_eval import format_report, read_conll, score, tag_by_document
from marsad.extract import ner

# Tables every part must share (the runtime has one featurizer for all members).
SHARED_FILES = (ner.CLUSTERS_FILE, ner.GAZETTEER_FILE)
# Copied from the first part only: learned from the first part's output, not the result's.
FIRST_PART_FILES = (ner.COMMON_WORDS_FILE,)


@dataclass(frozen=True, slots=True)
class Part:
    """One model directory to combine: its graphs and its vocabulary table."""

    directory: Path
    table: dict[str, object]

    @property
    def seeds(self) -> list[int]:
        """Seeds of its members (one per member)."""
        settings = self.table["settings"]
        assert isinstance(settings, dict)
        return list(settings.get("ensemble_seeds", [settings["seed"]]))

    @property
    def dims(self) -> int:
        """Width of its word vectors (members x per-member width)."""
        return int(str(self.table["word_vector_dims"]))


def read_part(directory: Path) -> Part:
    """The vocabulary table of a model directory."""
    with gzip.open(directory / ner.VOCABULARY_FILE, "rt", encoding="utf-8") as handle:
        return Part(directory, json.load(handle))


def check_compatible(parts: Sequence[Part]) -> None:
    """Raise ValueError unless the parts can sit side by side in one ensemble."""
    if not parts:
        raise ValueError("nothing to combine: give at least one model directory")
    first = parts[0]
    for part in parts[1:]:
        for key in ("tags", "vocabulary"):
            if part.table[key] != first.table[key]:
                raise ValueError(
                    f"{part.directory} has another {key} than {first.directory}: "
                    "members must be trained on the same data (same train_ner.py options)"
                )
        if part.dims // len(part.seeds) != first.dims // len(first.seeds):
            raise ValueError(f"{part.directory}: member vector width differs")
        for name in SHARED_FILES:
            if (part.directory / name).read_bytes() != (first.directory / name).read_bytes():
                raise ValueError(f"{part.directory / name} differs from the first part's")
    opsets = {
        tuple((o.domain, o.version) for o in onnx.load(p.directory / name).opset_import)
        for p in parts
        for name in (ner.WORDS_MODEL_FILE, ner.TAGGER_MODEL_FILE)
    }
    if len(opsets) > 1:
        raise ValueError(f"the parts' graphs use different opsets: {sorted(opsets)}")


def prefixed_graph(graph: onnx.GraphProto, prefix: str, keep: set[str]) -> onnx.GraphProto:
    """A copy of ``graph`` with every node, value and initializer name prefixed, except
    the names in ``keep`` (inputs the parts share), so several graphs can be merged."""
    copy = onnx.GraphProto()
    copy.CopyFrom(graph)

    def rename(name: str) -> str:
        return name if not name or name in keep else prefix + name

    for node in copy.node:
        if any(
            a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)
            for a in node.attribute
        ):
            raise ValueError(f"node {node.name} holds a subgraph: not supported")
        node.name = rename(node.name)
        node.input[:] = [rename(name) for name in node.input]
        node.output[:] = [rename(name) for name in node.output]
    for table in (copy.initializer, copy.sparse_initializer):
        for tensor in table:
            tensor.name = rename(tensor.name)
    for values in (copy.input, copy.output, copy.value_info):
        for value in values:
            value.name = rename(value.name)
    return copy


def merged_model(
    template: onnx.ModelProto,
    nodes: Sequence[onnx.NodeProto],
    initializers: Sequence[onnx.TensorProto],
    inputs: Sequence[onnx.ValueInfoProto],
    output: onnx.ValueInfoProto,
    name: str,
) -> onnx.ModelProto:
    """A checked model of ``nodes`` (in topological order), in ``template``'s opsets."""
    graph = helper.make_graph(list(nodes), name, list(inputs), [output], list(initializers))
    model = helper.make_model(
        graph, opset_imports=list(template.opset_import), producer_name="marsad train_ner_combine"
    )
    model.ir_version = template.ir_version
    onnx.checker.check_model(model)
    return model


def combine_encoders(parts: Sequence[Part]) -> onnx.ModelProto:
    """Word encoder: each part's vectors for the same words, concatenated."""
    models = [onnx.load(part.directory / ner.WORDS_MODEL_FILE) for part in parts]
    shared = {value.name for value in models[0].graph.input}
    graphs = [prefixed_graph(m.graph, f"part{k}/", shared) for k, m in enumerate(models)]
    concat = helper.make_node(
        "Concat", [g.output[0].name for g in graphs], ["vectors"], name="concat_parts", axis=1
    )
    output = helper.make_tensor_value_info(
        "vectors", TensorProto.FLOAT, ["words", sum(p.dims for p in parts)]
    )
    return merged_model(
        models[0],
        [node for g in graphs for node in g.node] + [concat],
        [tensor for g in graphs for tensor in g.initializer],
        list(models[0].graph.input),
        output,
        "ner_words",
    )


def combine_taggers(parts: Sequence[Part]) -> onnx.ModelProto:
    """Sentence tagger: each part reads its slice of the vectors; emission scores are
    averaged with each part weighted by its number of members."""
    models = [onnx.load(part.directory / ner.TAGGER_MODEL_FILE) for part in parts]
    total_dims = sum(part.dims for part in parts)
    members = sum(len(part.seeds) for part in parts)
    inputs = list(models[0].graph.input)
    vectors = helper.make_tensor_value_info(
        "vectors", TensorProto.FLOAT, ["batch", "time", total_dims]
    )
    inputs[[value.name for value in inputs].index("vectors")] = vectors
    shared = {value.name for value in inputs} - {"vectors"}
    head: list[onnx.NodeProto] = []
    initializers: list[onnx.TensorProto] = []
    graphs = []
    offset = 0
    for k, (part, model) in enumerate(zip(parts, models, strict=True)):
        prefix = f"part{k}/"
        graphs.append(prefixed_graph(model.graph, prefix, shared))
        bounds = {"starts": offset, "ends": offset + part.dims, "axes": 2}
        for key, value in bounds.items():
            initializers.append(
                helper.make_tensor(f"{prefix}slice_{key}", TensorProto.INT64, [1], [value])
            )
        # The slice feeds the part's own (prefixed) "vectors" input.
        head.append(
            helper.make_node(
                "Slice",
                ["vectors", *(f"{prefix}slice_{key}" for key in bounds)],
                [prefix + "vectors"],
                name=f"{prefix}slice",
            ),
        )
        weight = len(part.seeds) / members
        initializers.append(helper.make_tensor(f"{prefix}weight", TensorProto.FLOAT, [], [weight]))
        head.append(
            helper.make_node(
                "Mul",
                [graphs[-1].output[0].name, f"{prefix}weight"],
                [f"{prefix}weighted"],
                name=f"{prefix}weigh",
            )
        )
        offset += part.dims
    head.append(
        helper.make_node(
            "Sum", [f"part{k}/weighted" for k in range(len(parts))], ["emissions"], name="sum_parts"
        )
    )
    output = helper.make_tensor_value_info(
        "emissions", TensorProto.FLOAT, ["batch", "time", len(ner.TAGS)]
    )
    # Slices first: a node must come after the nodes producing its inputs.
    slices = [node for node in head if node.op_type == "Slice"]
    rest = [node for node in head if node.op_type != "Slice"]
    return merged_model(
        models[0],
        slices + [node for g in graphs for node in g.node] + rest,
        [tensor for g in graphs for tensor in g.initializer] + initializers,
        inputs,
        output,
        "ner_tagger",
    )


def combined_table(parts: Sequence[Part]) -> dict[str, object]:
    """The vocabulary table of the ensemble: CRF scores as the member-weighted mean."""
    members = sum(len(part.seeds) for part in parts)
    table = dict(parts[0].table)
    for key in ("transitions", "start", "end"):
        weighted = sum(
            np.asarray(part.table[key], dtype=np.float64) * len(part.seeds) for part in parts
        )
        table[key] = (np.asarray(weighted) / members).round(5).tolist()
    table["word_vector_dims"] = sum(part.dims for part in parts)
    settings = dict(parts[0].table["settings"])  # type: ignore[call-overload]
    settings["ensemble_seeds"] = [seed for part in parts for seed in part.seeds]
    table["settings"] = settings
    return table


def combine(directories: Sequence[Path], out: Path) -> list[int]:
    """Write the ensemble of the models in ``directories`` into ``out``; returns its seeds.

    A single directory is copied unchanged (the ensemble of one part is that part).
    """
    parts = [read_part(directory) for directory in directories]
    check_compatible(parts)
    out.mkdir(parents=True, exist_ok=True)
    for name in (*SHARED_FILES, *FIRST_PART_FILES):
        if (parts[0].directory / name).exists():
            shutil.copyfile(parts[0].directory / name, out / name)
    if len(parts) == 1:
        for name in (ner.WORDS_MODEL_FILE, ner.TAGGER_MODEL_FILE, ner.VOCABULARY_FILE):
            shutil.copyfile(parts[0].directory / name, out / name)
        return parts[0].seeds
    onnx.save(combine_encoders(parts), out / ner.WORDS_MODEL_FILE)
    onnx.save(combine_taggers(parts), out / ner.TAGGER_MODEL_FILE)
    table = combined_table(parts)
    with (
        (out / ner.VOCABULARY_FILE).open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return [seed for part in parts for seed in part.seeds]


def main() -> int:
    """Combine the model directories given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", type=Path, nargs="+", help="model directories, in order")
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument(
        "--score",
        type=Path,
        nargs="*",
        default=[],
        help="CoNLL gold files to score the result on, as `marsad eval ner` does",
    )
    args = parser.parse_args()
    if args.out.resolve() in {part.resolve() for part in args.parts}:
        parser.error("--out must not be one of the parts (it is read while writing)")
    seeds = combine(args.parts, args.out)
    size = sum(path.stat().st_size for path in args.out.glob("ner_*"))
    print(f"wrote {args.out}: members (seeds) {seeds}, {size / 1e6:.1f} MB of ner_* files")
    tagger = ner.Tagger(args.out)
    for gold in args.score:
        sentences = read_conll(gold)
        predicted = tag_by_document(sentences, tagger.tag_document)
        print(f"== {gold}")
        print(format_report(score([tags for _, tags in sentences], predicted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
