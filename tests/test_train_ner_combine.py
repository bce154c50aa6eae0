"""scripts/train_ner_combine.py: separately trained NER models combined into one ensemble.

Tiny hand-built parts check the arithmetic (each part's slice of the vectors, emission
scores and CRF scores weighted by members); the shipped model checks the real graphs.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from tests.conftest import REPO

from marsad.extract import ner

onnx = pytest.importorskip("onnx", reason="onnx is a training-only dependency (make train-ner)")
ort = pytest.importorskip("onnxruntime")
from onnx import NodeProto, TensorProto, ValueInfoProto, helper  # noqa: E402

TAGS = len(ner.TAGS)
SHIPPED = ner.models_dir()


def _load_combiner() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_ner_combine", REPO / "scripts" / "train_ner_combine.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


combiner = _load_combiner()


def _save(
    nodes: list[NodeProto],
    inputs: list[ValueInfoProto],
    output: ValueInfoProto,
    initializers: list[TensorProto],
    path: Path,
) -> None:
    graph = helper.make_graph(nodes, "part", inputs, [output], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, path)


def _make_part(
    folder: Path,
    seeds: list[int],
    weights: np.ndarray,
    transitions: float,
    vocabulary: Mapping[str, object] | None = None,
) -> Path:
    """A stand-in model: the encoder maps a word to the first columns of its features
    times ``weights[0]``; the tagger multiplies the vectors by ``weights`` (dims x tags)."""
    folder.mkdir(parents=True)
    dims = weights.shape[0]
    words_in = [
        helper.make_tensor_value_info("features", TensorProto.INT64, ["words", 8]),
        helper.make_tensor_value_info("chars", TensorProto.INT64, ["words", 4]),
    ]
    _save(
        [
            helper.make_node("Slice", ["features", "zero", "width", "one"], ["picked"]),
            helper.make_node("Cast", ["picked"], ["as_float"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["as_float", "scale"], ["vectors"]),
        ],
        words_in,
        helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["words", dims]),
        [
            helper.make_tensor("zero", TensorProto.INT64, [1], [0]),
            helper.make_tensor("width", TensorProto.INT64, [1], [dims]),
            helper.make_tensor("one", TensorProto.INT64, [1], [1]),
            helper.make_tensor("scale", TensorProto.FLOAT, [dims], weights[:, 0].tolist()),
        ],
        folder / ner.WORDS_MODEL_FILE,
    )
    tagger_in = [
        helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["batch", "time", dims]),
        helper.make_tensor_value_info("gazetteer", TensorProto.INT64, ["batch", "time"]),
        helper.make_tensor_value_info("lengths", TensorProto.INT64, ["batch"]),
    ]
    _save(
        [helper.make_node("MatMul", ["vectors", "weights"], ["emissions"])],
        tagger_in,
        helper.make_tensor_value_info("emissions", TensorProto.FLOAT, ["batch", "time", TAGS]),
        [helper.make_tensor("weights", TensorProto.FLOAT, [dims, TAGS], weights.ravel().tolist())],
        folder / ner.TAGGER_MODEL_FILE,
    )
    table = {
        "tags": list(ner.TAGS),
        "transitions": np.full((TAGS, TAGS), transitions).tolist(),
        "start": [transitions] * TAGS,
        "end": [transitions] * TAGS,
        "word_vector_dims": dims,
        "settings": {"seed": seeds[0], "ensemble_seeds": seeds},
        "vocabulary": vocabulary or {"words": ["a", "b"], "chars": "ab", "proclitics": []},
    }
    with gzip.open(folder / ner.VOCABULARY_FILE, "wt", encoding="utf-8") as handle:
        json.dump(table, handle)
    for name in (ner.CLUSTERS_FILE, ner.GAZETTEER_FILE):
        (folder / name).write_bytes(b"same table")
    return folder


def _run(path: Path, inputs: dict[str, np.ndarray]) -> np.ndarray:
    result: np.ndarray = ort.InferenceSession(str(path)).run(None, inputs)[0]
    return result


def test_parts_are_weighted_by_their_members(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    two_members = rng.normal(size=(4, TAGS)).astype(np.float32)  # 2 members x 2 dims
    one_member = rng.normal(size=(2, TAGS)).astype(np.float32)
    first = _make_part(tmp_path / "a", [0, 1], two_members, transitions=3.0)
    second = _make_part(tmp_path / "b", [2], one_member, transitions=0.0)
    seeds = combiner.combine([first, second], tmp_path / "out")
    assert seeds == [0, 1, 2]

    features = rng.integers(0, 50, size=(5, 8))
    words_in = {"features": features, "chars": np.zeros((5, 4), dtype=np.int64)}
    vectors = _run(tmp_path / "out" / ner.WORDS_MODEL_FILE, words_in)
    expected_vectors = np.concatenate(
        [features[:, :4] * two_members[:, 0], features[:, :2] * one_member[:, 0]], axis=1
    )
    np.testing.assert_allclose(vectors, expected_vectors, rtol=1e-6)

    batch = rng.normal(size=(2, 3, 6)).astype(np.float32)
    tagger_in: dict[str, np.ndarray] = {
        "vectors": batch,
        "gazetteer": np.zeros((2, 3), dtype=np.int64),
        "lengths": np.array([3, 2]),
    }
    emissions = _run(tmp_path / "out" / ner.TAGGER_MODEL_FILE, tagger_in)
    # Each part reads its own slice; the two-member part counts twice.
    expected = (2 * batch[:, :, :4] @ two_members + batch[:, :, 4:] @ one_member) / 3
    np.testing.assert_allclose(emissions, expected, rtol=1e-5, atol=1e-6)

    with gzip.open(tmp_path / "out" / ner.VOCABULARY_FILE, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    assert table["word_vector_dims"] == 6
    assert table["settings"]["ensemble_seeds"] == [0, 1, 2]
    assert table["start"] == [2.0] * TAGS  # (2 x 3.0 + 1 x 0.0) / 3
    assert np.allclose(table["transitions"], 2.0)


def test_parts_trained_on_other_data_are_refused(tmp_path: Path) -> None:
    weights = np.ones((2, TAGS), dtype=np.float32)
    first = _make_part(tmp_path / "a", [0], weights, 0.0)
    other_vocabulary = {"words": ["a", "c"], "chars": "ac", "proclitics": []}
    second = _make_part(tmp_path / "b", [1], weights, 0.0, vocabulary=other_vocabulary)
    with pytest.raises(ValueError, match="vocabulary"):
        combiner.combine([first, second], tmp_path / "out")
    third = _make_part(tmp_path / "c", [2], weights, 0.0)
    (third / ner.GAZETTEER_FILE).write_bytes(b"another gazetteer")
    with pytest.raises(ValueError, match="gazetteer"):
        combiner.combine([first, third], tmp_path / "out")


def test_one_part_is_copied_byte_for_byte(tmp_path: Path) -> None:
    combiner.combine([SHIPPED], tmp_path / "out")
    for name in (ner.WORDS_MODEL_FILE, ner.TAGGER_MODEL_FILE, ner.VOCABULARY_FILE):
        assert (tmp_path / "out" / name).read_bytes() == (SHIPPED / name).read_bytes()


def test_shipped_model_combined_with_itself_tags_the_same(tmp_path: Path) -> None:
    """Members 0, 1, 0, 1 average to the members 0, 1: same scores, same tags."""
    seeds = combiner.combine([SHIPPED, SHIPPED], tmp_path / "twice")
    shipped_seeds = combiner.read_part(SHIPPED).seeds
    assert seeds == shipped_seeds * 2
    texts = (
        "قال الرئيس الأمريكي باراك أوباما في واشنطن إن شركة أرامكو ستفتتح مكتبا",
        "وصل وزير الخارجية سعود الفيصل إلى الرياض قادما من القاهرة",
        "أعلنت الأمم المتحدة أن منظمة الصحة العالمية سترسل فريقا إلى اليمن",
    )
    sentences = [text.split() for text in texts]
    shipped = ner.Tagger(SHIPPED)
    twice = ner.Tagger(tmp_path / "twice")
    assert twice.tag_document(sentences) == shipped.tag_document(sentences)
    words = sorted({word for sentence in sentences for word in sentence})
    features = [shipped.featurizer.compute(word) for word in words]
    inputs = {
        "features": np.array([f.ids for f in features], dtype=np.int64),
        "chars": np.array([f.chars for f in features], dtype=np.int64),
    }
    one = _run(SHIPPED / ner.WORDS_MODEL_FILE, inputs)
    both = _run(tmp_path / "twice" / ner.WORDS_MODEL_FILE, inputs)
    np.testing.assert_array_equal(both, np.concatenate([one, one], axis=1))
