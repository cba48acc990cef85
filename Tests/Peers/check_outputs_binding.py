"""Checks output kinds, ZipMap outputs and input binding against onnxruntime on real exports.

1. A torch MLP ending in Linear (logits), `--teacher-output-kind logits --teacher-temperature 2`:
   Distill's probabilities equal softmax(onnxruntime's logits / 2) within 1e-5; the same
   with one logit (sigmoid pair), and the run.json of a tree records kind and temperature.
2. skl2onnx MLPClassifiers with the default ZipMap, string and integer labels: Distill
   reads the labels as classes and its probabilities equal onnxruntime's maps within 1e-5.
3. A torch model forward(x_num [N,30], cat [N] int64) binds to a CSV holding the 30
   numeric columns and `cat` (in the middle) with no option, agreeing with onnxruntime.
4. An skl2onnx pipeline exported from a DataFrame, whose inputs are the renamed columns
   (`mean radius (µm)` → `mean_radius__µm_`), binds with a note and agrees with onnxruntime.
5. A float64 export (skl2onnx's usual `to_onnx(model, X[:1])` on float64 data) of a linear
   regression on Unix timestamps gets the CSV's numbers at full precision: its answers
   equal onnxruntime's on the float64 values, where Float32 (spacing 128 at 1.7e9) would
   be off by hundreds.

The torch models were exported once by make_output_fixtures.py (fixtures/outputs/).

Usage: check_outputs_binding.py PATH_TO_DISTILL
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import onnxruntime as ort
import pandas as pd
from skl2onnx import to_onnx
from sklearn.compose import ColumnTransformer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "outputs")
TOLERANCE = 1e-5
failures = []


def distill(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"distill {' '.join(arguments)} failed: {result.stderr}")
    return result


def label(binary, model, frame, work, *options):
    data = os.path.join(work, "rows.csv")
    frame.to_csv(data, index=False)
    out = os.path.join(work, "labelled.csv")
    result = distill(binary, "label", "--teacher", model, "--data", data, "--out", out, *options)
    return pd.read_csv(out), result.stderr


def compare(name, labelled, classes, expected):
    columns = [f"teacher_p_{c}" for c in classes]
    missing = [c for c in columns if c not in labelled.columns]
    if missing:
        failures.append(f"{name}: no columns {missing} in {list(labelled.columns)}")
        return
    got = labelled[columns].to_numpy(dtype=np.float64)
    worst = float(np.max(np.abs(got - expected)))
    print(f"  {name}: {len(got)} rows, largest difference {worst:.2e}")
    if worst > TOLERANCE:
        failures.append(f"{name}: differs from onnxruntime by {worst:.2e}")


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_logits(binary, work, rng):
    X = rng.normal(size=(300, 4)).astype(np.float32)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(4)])
    model = os.path.join(FIXTURES, "torch_logits.onnx")
    z = ort.InferenceSession(model).run(None, {"input": X})[0].astype(np.float64)
    if np.abs(z.sum(axis=1) - 1).max() < 0.1:
        failures.append("torch_logits: the fixture's outputs look like probabilities, not logits")
    labelled, _ = label(binary, model, frame, work, "--teacher-output-kind", "logits", "--teacher-temperature", "2")
    compare("torch logits, T = 2", labelled, ["0", "1", "2"], softmax(z / 2))
    labelled, _ = label(binary, model, frame, work, "--teacher-output-kind", "logits")
    compare("torch logits, T = 1", labelled, ["0", "1", "2"], softmax(z))

    model = os.path.join(FIXTURES, "torch_logit_binary.onnx")
    z = ort.InferenceSession(model).run(None, {"input": X})[0].astype(np.float64)[:, 0]
    p = 1 / (1 + np.exp(-z / 2))
    labelled, _ = label(binary, model, frame, work, "--teacher-output-kind", "logits", "--teacher-temperature", "2")
    compare("torch one logit, T = 2", labelled, ["0", "1"], np.stack([1 - p, p], axis=1))

    frame["y"] = np.argmax(softmax(np.asarray(ort.InferenceSession(os.path.join(FIXTURES, "torch_logits.onnx")).run(None, {"input": X})[0])), axis=1)
    data = os.path.join(work, "train.csv")
    frame.to_csv(data, index=False)
    out = os.path.join(work, "tree")
    distill(binary, "tree", "--teacher", os.path.join(FIXTURES, "torch_logits.onnx"), "--teacher-output-kind", "logits",
            "--teacher-temperature", "2", "--data", data, "--label", "y", "--max-depth", "2", "--out", out)
    with open(os.path.join(out, "run.json")) as f:
        teacher = json.load(f)["teacher"]
    print(f"  run.json teacher: output_kind {teacher.get('output_kind')}, temperature {teacher.get('temperature')}")
    if teacher.get("output_kind") != "logits" or teacher.get("temperature") != 2:
        failures.append(f"run.json does not record the kind and temperature: {teacher}")


def check_zipmap(binary, work, rng):
    X = rng.normal(size=(200, 5)).astype(np.float32)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    score = X[:, 0] + X[:, 1] * X[:, 2]
    for kind, y in [("string labels", np.where(score > 0.5, "high", np.where(score < -0.5, "low", "mid"))),
                    ("int labels", np.where(score > 0, 7, -3))]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=300, random_state=0).fit(X, y)
        onx = to_onnx(clf, X[:1], target_opset={"": 17, "ai.onnx.ml": 3})
        if not any(n.op_type == "ZipMap" for n in onx.graph.node):
            failures.append(f"skl2onnx {kind}: the export has no ZipMap")
        path = os.path.join(work, "zipmap.onnx")
        with open(path, "wb") as f:
            f.write(onx.SerializeToString())
        maps = ort.InferenceSession(path).run(["output_probability"], {"X": X})[0]
        classes = [str(c) for c in clf.classes_]
        expected = np.array([[m[c] for c in clf.classes_] for m in maps], dtype=np.float64)
        labelled, _ = label(binary, path, frame, work)
        compare(f"skl2onnx MLPClassifier with ZipMap, {kind}", labelled, classes, expected)


def check_two_inputs(binary, work, rng):
    X = rng.normal(size=(250, 30)).astype(np.float32)
    cat = rng.integers(0, 4, size=250).astype(np.int64)
    model = os.path.join(FIXTURES, "torch_two_inputs.onnx")
    expected = ort.InferenceSession(model).run(None, {"x_num": X, "cat": cat})[0].astype(np.float64)
    frame = pd.DataFrame(X[:, :12], columns=[f"n{i}" for i in range(12)])
    frame["cat"] = cat
    for i in range(12, 30):
        frame[f"n{i}"] = X[:, i]
    labelled, _ = label(binary, model, frame, work)
    compare("torch x_num[N,30] + cat[N], no option", labelled, ["0", "1", "2"], expected)


def check_renamed(binary, work, rng):
    names = ["mean radius (µm)", "2nd dose", "area-ratio", "plain"]
    frame = pd.DataFrame(rng.normal(size=(200, 4)).astype(np.float32), columns=names)
    y = (frame[names[0]] + frame[names[1]] > 0).astype(np.int64)
    pipe = make_pipeline(ColumnTransformer([("scale", StandardScaler(), names)]),
                         MLPClassifier(hidden_layer_sizes=(6,), max_iter=300, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(frame, y)
    onx = to_onnx(pipe, frame[:1], target_opset={"": 17, "ai.onnx.ml": 3})
    inputs = [i.name for i in onx.graph.input]
    print(f"  skl2onnx input names: {inputs}")
    if "mean_radius__µm_" not in inputs:
        failures.append(f"skl2onnx did not rename as expected: {inputs}")
    path = os.path.join(work, "renamed.onnx")
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())
    feeds = {name: frame[[column]].to_numpy() for name, column in zip(inputs, names)}
    maps = ort.InferenceSession(path).run(["output_probability"], feeds)[0]
    expected = np.array([[m[0], m[1]] for m in maps], dtype=np.float64)
    labelled, notes = label(binary, path, frame, work)
    compare("skl2onnx renamed inputs", labelled, ["0", "1"], expected)
    if "the model's input 'mean_radius__µm_' takes column 'mean radius (µm)'" not in notes:
        failures.append(f"no note on the renamed match: {notes!r}")


def check_float64(binary, work, rng):
    from sklearn.linear_model import LinearRegression
    seconds = 1_700_000_000 + rng.integers(0, 86_400, size=300).astype(np.float64) + 0.5
    other = rng.normal(size=300)
    X = np.column_stack([seconds, other])
    y = 2.0 * (seconds - 1_700_000_000) + other
    model = LinearRegression().fit(X, y)
    onx = to_onnx(model, X[:1], target_opset=17)
    kind = onx.graph.input[0].type.tensor_type.elem_type
    if kind != 11:
        failures.append(f"skl2onnx float64 export: input element type {kind}, not double (11)")
    path = os.path.join(work, "float64.onnx")
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())
    expected = ort.InferenceSession(path).run(None, {"X": X})[0].reshape(-1)
    widened = ort.InferenceSession(path).run(None, {"X": X.astype(np.float32).astype(np.float64)})[0].reshape(-1)
    frame = pd.DataFrame({"seconds": seconds, "other": other})
    labelled, _ = label(binary, path, frame, work)
    got = labelled["teacher_value"].to_numpy(dtype=np.float64)
    # Answers are Float32, so the tolerance is Float32's relative precision of the answers.
    error = float(np.max(np.abs(got - expected) / np.maximum(1.0, np.abs(expected))))
    rounded = float(np.max(np.abs(widened - expected)))
    print(f"  float64 linear regression: max relative difference {error:.2e}; through Float32 it would be off by {rounded:.0f}")
    if error > 1e-6:
        failures.append(f"float64 model: answers differ from onnxruntime by {error:.2e} (relative)")
    if rounded < 10:
        failures.append(f"float64 model: the data does not show Float32 rounding (off by only {rounded})")


def main():
    binary = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(12)
    with tempfile.TemporaryDirectory() as work:
        for check in (check_logits, check_zipmap, check_two_inputs, check_renamed, check_float64):
            print(check.__name__)
            check(binary, work, rng)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("outputs and binding agree with onnxruntime")


if __name__ == "__main__":
    main()
