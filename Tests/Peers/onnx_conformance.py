#!/usr/bin/env python3
"""Peer conformance of Distill's ONNX evaluator against onnxruntime.

Builds models of the four exporter families (torch.onnx.export-style MLPs, skl2onnx
scaler+MLP pipelines, tf2onnx-style Keras Dense stacks, skl2onnx ColumnTransformer
pipelines with one input per column) at several sizes and opsets in a temporary folder,
writes random rows as CSV (with missing values and unseen levels for the column
pipelines), labels them with `distill label` and with onnxruntime, and fails unless every
teacher output value agrees within 1e-5.

    python3 Tests/Peers/onnx_conformance.py PATH/TO/distill [--keep DIR]

Prints one summary line per model and exits non-zero on any failure. Needs numpy, onnx,
onnxruntime, scikit-learn, skl2onnx and pandas.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_families as fam  # noqa: E402

TOLERANCE = 1e-5
ROWS = 400


def fmt(value):
    """Shortest text that reads back as the same float32; "" for NaN (missing)."""
    if isinstance(value, str):
        return value
    if np.isnan(value):
        return ""
    return np.format_float_positional(np.float32(value), unique=True, trim="-")


def write_csv(path, columns):
    names = list(columns)
    rows = len(next(iter(columns.values())))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for i in range(rows):
            w.writerow([fmt(columns[n][i]) for n in names])


def read_csv(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, [row for row in r]


def wide_case(name, model, X, classes):
    """A model with one float input [N, W]: CSV columns f0…f{W-1} in order."""
    columns = {f"f{j}": X[:, j] for j in range(X.shape[1])}
    feeds = {model.graph.input[0].name: X.astype(np.float32)}
    return name, model, columns, feeds, classes


def cases():
    rng = np.random.default_rng(2024)

    def rows(width, scale=2.0):
        X = (rng.normal(size=(ROWS, width)) * scale).astype(np.float32)
        return X

    out = []
    # Family 1: torch.onnx.export-style MLPs.
    for opset in (11, 13, 17):
        out.append(wide_case(f"torch_mlp_8x32x32x3_opset{opset}",
                             fam.torch_mlp(10 + opset, inputs=8, hidden=(32, 32), classes=3, opset=opset),
                             rows(8), ["0", "1", "2"]))
    out.append(wide_case("torch_mlp_32x128x128x2_opset13",
                         fam.torch_mlp(40, inputs=32, hidden=(128, 128), classes=2, opset=13), rows(32), ["0", "1"]))
    out.append(wide_case("torch_mlp_regressor_16x64_opset13",
                         fam.torch_mlp(41, inputs=16, hidden=(64,), opset=13, activation="Tanh", regression=True),
                         rows(16), None))
    # Family 2: skl2onnx scaler + MLP pipelines.
    for opset in (11, 13, 17):
        model, _ = fam.sklearn_mlp(50 + opset, inputs=6, hidden=(16, 16), classes=4, labels="string", opset=opset)
        out.append(wide_case(f"sklearn_mlp_classifier_opset{opset}", model, rows(6, 3),
                             ["class_a", "class_b", "class_c", "class_d"]))
    model, _ = fam.sklearn_mlp(70, inputs=5, hidden=(12,), classes=2, labels="int", scaler="minmax")
    out.append(wide_case("sklearn_mlp_binary_int_labels", model, rows(5, 3), ["3", "13"]))
    model, _ = fam.sklearn_mlp(71, inputs=5, hidden=(20,), regression=True, scaler="minmax")
    out.append(wide_case("sklearn_mlp_regressor", model, rows(5, 3), None))
    # Family 3: tf2onnx-style Keras Dense stacks.
    for opset, hidden in ((10, 16), (13, 16), (17, 64)):
        out.append(wide_case(f"keras_dense_h{hidden}_opset{opset}",
                             fam.keras_dense(80 + opset, inputs=10, hidden=hidden, classes=3, opset=opset),
                             rows(10), ["0", "1", "2"]))
    # Family 4: skl2onnx ColumnTransformer, one input per column, missing and unseen values.
    for opset, binary in ((11, True), (13, False), (17, True)):
        model, _ = fam.sklearn_columns(90 + opset, hidden=(16,), opset=opset, binary=binary)
        df = fam.column_frame(190 + opset, ROWS, missing=0.15, unseen=True)
        columns = {c: df[c].tolist() for c in df.columns}
        out.append((f"sklearn_columns_opset{opset}", model, columns, fam.frame_feeds(df),
                    ["no", "yes"] if binary else ["0", "1", "2"]))
    return out


def check(distill, folder, name, model, columns, feeds, classes):
    model_path = os.path.join(folder, name + ".onnx")
    data_path = os.path.join(folder, name + ".csv")
    out_path = os.path.join(folder, name + ".labelled.csv")
    with open(model_path, "wb") as f:
        f.write(model.SerializeToString())
    write_csv(data_path, columns)
    results = fam.run_onnxruntime(model, feeds)
    if classes is None:
        output = next(o.name for o in model.graph.output if o.type.tensor_type.elem_type == 1)
        expected = results[output].reshape(ROWS, -1)
        wanted = ["teacher_value"]
    else:
        output = next(o.name for o in model.graph.output
                      if o.type.HasField("tensor_type") and o.type.tensor_type.elem_type == 1)
        expected = results[output].reshape(ROWS, -1)
        wanted = [f"teacher_p_{c}" for c in classes]

    run = subprocess.run([distill, "label", "--teacher", model_path, "--data", data_path, "--out", out_path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        return False, f"distill label exited {run.returncode}: {run.stderr.strip()[:400]}"
    header, rows = read_csv(out_path)
    missing = [c for c in wanted if c not in header]
    if missing:
        return False, f"output lacks columns {missing}; header: {header}"
    if header[:len(columns)] != list(columns):
        return False, f"input columns not repeated first: {header[:len(columns)]}"
    if len(rows) != ROWS:
        return False, f"{len(rows)} rows written, expected {ROWS}"
    got = np.array([[float(r[header.index(c)]) for c in wanted] for r in rows], dtype=np.float64)
    diff = float(np.max(np.abs(got - expected.astype(np.float64))))
    if classes is not None and "teacher_class" in header:
        picked = [r[header.index("teacher_class")] for r in rows]
        agree = np.mean([p == classes[int(np.argmax(e))] for p, e in zip(picked, expected)])
        if agree < 0.999:
            return False, f"teacher_class disagrees with the argmax on {100 * (1 - agree):.1f}% of rows"
    return diff <= TOLERANCE, f"max |difference| {diff:.2e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("distill", help="path of the built distill binary")
    parser.add_argument("--keep", help="write models and CSVs here instead of a temporary folder")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        for name, model, columns, feeds, classes in cases():
            try:
                ok, detail = check(args.distill, folder, name, model, columns, feeds, classes)
            except Exception as e:  # a crash in one case is a failure of that case
                ok, detail = False, f"{type(e).__name__}: {e}"
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    print(f"{failures} failure(s)" if failures else "all models agree with onnxruntime within 1e-5")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
