#!/usr/bin/env python3
"""Writes the ONNX test fixtures of DistillCoreTests (Fixtures/onnx/).

One tiny model per exporter family (4 inputs, 8 hidden units), each beside a JSON file
holding a few input rows, the output Distill should answer from, what task and classes it
should infer, and onnxruntime's values for those rows. Deterministic: seeds are fixed, so
re-running with the same library versions rewrites identical files.

Needs numpy, onnx, onnxruntime, scikit-learn, skl2onnx and pandas.

    python3 Tests/Peers/make_onnx_fixtures.py [OUTPUT_DIR]
"""

import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_families as fam  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "DistillCoreTests", "Fixtures", "onnx")


def _plain(values):
    """JSON-safe flat list: NaN becomes null, numpy scalars become Python numbers."""
    out = []
    for v in np.asarray(values).reshape(-1).tolist():
        if isinstance(v, float) and math.isnan(v):
            out.append(None)
        elif isinstance(v, bytes):
            out.append(v.decode())
        else:
            out.append(v)
    return out


def write(out_dir, name, model, feeds, output, task, classes=None):
    path = os.path.join(out_dir, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    results = fam.run_onnxruntime(model, feeds)
    inputs = []
    for inp in model.graph.input:
        value = feeds[inp.name]
        kind = {np.dtype(np.float32): "float", np.dtype(np.int64): "int64"}.get(value.dtype, "string")
        inputs.append({"name": inp.name, "type": kind, "width": int(value.shape[1]) if value.ndim > 1 else 1,
                       "values": _plain(value)})
    rows = int(next(iter(feeds.values())).shape[0])
    record = {"model": name + ".onnx", "rows": rows, "inputs": inputs, "output": output, "task": task,
              "classes": classes, "expected": _plain(results[output].astype(np.float64))}
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {name}: {rows} rows, ops {sorted({n.op_type for n in model.graph.node})}")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(7)
    X = (rng.normal(size=(6, 4)) * 2).astype(np.float32)

    # Family 1: torch.onnx.export of nn.Sequential MLPs.
    write(out_dir, "torch_mlp_classifier", fam.torch_mlp(1, opset=13), {"input": X}, "output",
          "classification", ["0", "1", "2"])
    write(out_dir, "torch_mlp_regressor", fam.torch_mlp(2, opset=11, activation="Tanh", regression=True),
          {"input": X}, "output", "regression")

    # Family 2: skl2onnx of scaler + MLP pipelines.
    model, _ = fam.sklearn_mlp(3, classes=3, labels="string")
    write(out_dir, "sklearn_mlp_classifier", model, {"input": X}, "probabilities", "classification",
          ["class_a", "class_b", "class_c"])
    model, _ = fam.sklearn_mlp(4, classes=2, labels="int")
    write(out_dir, "sklearn_mlp_binary", model, {"input": X}, "probabilities", "classification", ["3", "13"])
    model, _ = fam.sklearn_mlp(5, regression=True, scaler="minmax")
    write(out_dir, "sklearn_mlp_regressor", model, {"input": X}, "variable", "regression")

    # Family 3: tf2onnx of Keras Dense stacks, with and without opset-13 input axes.
    write(out_dir, "keras_dense_opset13", fam.keras_dense(6, opset=13), {"dense_input": X}, "dense_2",
          "classification", ["0", "1", "2"])
    write(out_dir, "keras_dense_opset10", fam.keras_dense(6, opset=10), {"dense_input": X}, "dense_2",
          "classification", ["0", "1", "2"])

    # Family 4: skl2onnx of a ColumnTransformer, one input per column, with missing
    # values ("" and NaN) and levels the pipeline never saw.
    model, _ = fam.sklearn_columns(8)
    df = fam.column_frame(9, 8, missing=0.25, unseen=True)
    write(out_dir, "sklearn_columns", model, fam.frame_feeds(df), "probabilities", "classification", ["no", "yes"])

    # A default (ZipMap) export, read through its ZipMap with the labels as classes.
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.neural_network import MLPClassifier
    Xt = rng.normal(size=(60, 4)).astype(np.float32)
    clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=0).fit(Xt, (Xt[:, 0] > 0).astype(np.int64))
    zipmap = convert_sklearn(clf, initial_types=[("input", FloatTensorType([None, 4]))], target_opset={"": 13, "ai.onnx.ml": 1})
    fam.stable(zipmap, "sklearn_zipmap")
    with open(os.path.join(out_dir, "sklearn_zipmap.onnx"), "wb") as f:
        f.write(zipmap.SerializeToString())
    print("wrote sklearn_zipmap")


if __name__ == "__main__":
    main()
