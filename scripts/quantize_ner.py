"""Make int8 versions of the NER model's ONNX graphs (dynamic quantisation), reproducibly.

Usage::

    python scripts/quantize_ner.py OUT_DIR [--graphs tagger,words] [--ops LSTM,MatMul]

Copies the shipped model directory (``src/marsad/models``: the ``ner*`` files) to
``OUT_DIR`` and replaces each named graph by ONNX Runtime's dynamic int8 quantisation of
it (``onnxruntime.quantization.quantize_dynamic``: weights stored as signed int8 with one
scale per tensor, activations quantised on the fly; only the listed operator types). The
float graphs are the input, so running it twice gives the same files. ``OUT_DIR`` is then a
model directory that ``marsad.extract.ner.Tagger(OUT_DIR)`` loads. Needs the ``onnx``
package (a training-only dependency) besides onnxruntime.

The last line is the size in bytes of each written graph.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from marsad.extract.ner import TAGGER_MODEL_FILE, WORDS_MODEL_FILE, models_dir

GRAPHS = {"tagger": TAGGER_MODEL_FILE, "words": WORDS_MODEL_FILE}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--graphs", default="tagger", help="comma-separated: tagger, words")
    parser.add_argument(
        "--ops", default="LSTM,MatMul", help="operator types quantised (comma-separated)"
    )
    args = parser.parse_args(argv)
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped]

    source = models_dir()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("ner*")):
        shutil.copyfile(path, out / path.name)
    sizes = []
    for graph in args.graphs.split(","):
        name = GRAPHS[graph]
        with tempfile.TemporaryDirectory(prefix="marsad-quantize-") as tmp:
            staged = Path(tmp) / name
            quantize_dynamic(
                source / name,
                staged,
                op_types_to_quantize=args.ops.split(","),
                per_channel=False,
                reduce_range=False,
                weight_type=QuantType.QInt8,
            )
            shutil.copyfile(staged, out / name)
        sizes.append(f"{name}={(out / name).stat().st_size}")
    print(" ".join(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
