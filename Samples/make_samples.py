#!/usr/bin/env python3
"""Build the bundled samples of Distill: data splits and ONNX teachers.

For each sample this writes ``<name>/train.csv``, ``<name>/test.csv`` and
``<name>/teacher.onnx`` next to this script, then reloads ``test.csv`` from
disk, runs ``teacher.onnx`` on it with onnxruntime and checks that the ONNX
teacher scores the same as the scikit-learn pipeline it was converted from.

Everything is seeded and single-threaded, so two runs with the package
versions pinned in ``requirements.txt`` produce byte-identical files.

Usage: python3 make_samples.py [--out DIR]   (default: this script's folder)
"""

import os

# Pin the BLAS/OpenMP thread count before numpy is imported: a multi-threaded
# matrix product may sum in a different order and change the trained weights
# in their last bits, which would break byte-identical rebuilds.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import csv
import math
import sys
import warnings
from importlib import resources

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType, StringTensorType

SEED = 0
TEST_SIZE = 0.25
# ai.onnx opset 17 was released with ONNX 1.12, which pairs it with ai.onnx.ml 3.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}

# A training run that stops at max_iter is an error, not a warning.
warnings.simplefilter("error", ConvergenceWarning)


# --------------------------------------------------------------------------
# CSV writing


def format_value(value):
    """Text of one CSV field: '' for missing, integers without '.0',
    other floats as the shortest repr that reads back to the same double."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    number = float(value)
    if math.isnan(number):
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def write_csv(path, frame):
    """Write a DataFrame as comma-separated text with '\\n' line ends.
    The csv module quotes a text field only when it needs quoting."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(frame.columns))
        for row in frame.itertuples(index=False):
            writer.writerow([format_value(v) for v in row])


def read_csv_rows(path):
    """Header and rows of a CSV file, every field kept as text."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


# --------------------------------------------------------------------------
# ONNX helpers


def save_onnx(path, model):
    """Check and serialise a model with its opset imports in a fixed order
    (the converter collects them in a set, whose order varies between runs)."""
    opsets = sorted(model.opset_import, key=lambda o: o.domain)
    del model.opset_import[:]
    model.opset_import.extend(opsets)
    onnx.checker.check_model(model)
    with open(path, "wb") as handle:
        handle.write(model.SerializeToString(deterministic=True))


def describe_onnx(path):
    """Print opsets, inputs, outputs and op types of a saved model."""
    model = onnx.load(path)
    opsets = ", ".join(
        f"{o.domain or 'ai.onnx'}={o.version}" for o in model.opset_import
    )
    ops = sorted({(n.domain or "ai.onnx", n.op_type) for n in model.graph.node})

    def shape_text(value):
        tensor = value.type.tensor_type
        dims = [d.dim_param or (str(d.dim_value) if d.HasField("dim_value") else "?")
                for d in tensor.shape.dim]
        kind = onnx.TensorProto.DataType.Name(tensor.elem_type).lower()
        return f"{value.name}: {kind}[{', '.join(dims)}]"

    print(f"    onnx opsets : {opsets}")
    print(f"    inputs      : {'; '.join(shape_text(v) for v in model.graph.input)}")
    print(f"    outputs     : {'; '.join(shape_text(v) for v in model.graph.output)}")
    print(f"    op types    : {', '.join(f'{d}:{t}' for d, t in ops)}")
    print(f"    size        : {os.path.getsize(path)} bytes")


def onnx_session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def float_or_nan(text):
    return float("nan") if text == "" else float(text)


# --------------------------------------------------------------------------
# Samples


def make_breast_cancer(root):
    name = "breast-cancer"
    label = "diagnosis"
    bunch = load_breast_cancer()
    features = [n.replace(" ", "_") for n in bunch.feature_names]
    frame = pd.DataFrame(bunch.data, columns=features)
    frame[label] = bunch.target_names[bunch.target]  # 0 -> malignant, 1 -> benign

    train, test = train_test_split(
        frame, test_size=TEST_SIZE, random_state=SEED, stratify=frame[label]
    )
    teacher = Pipeline([
        ("scale", StandardScaler()),
        ("mlp", MLPClassifier(hidden_layer_sizes=(32, 16), alpha=1e-3,
                              max_iter=2000, random_state=SEED)),
    ])
    teacher.fit(train[features].to_numpy(), train[label].to_numpy())
    sk_labels = teacher.predict(test[features].to_numpy())
    sk_proba = teacher.predict_proba(test[features].to_numpy())
    sk_metric = accuracy_score(test[label], sk_labels)

    model = convert_sklearn(
        teacher,
        name="breast_cancer_teacher",
        initial_types=[("input", FloatTensorType([None, len(features)]))],
        target_opset=TARGET_OPSET,
        options={id(teacher): {"zipmap": False}},
    )
    folder = write_sample(root, name, train, test, model)

    # Check: ONNX on test.csv read back from disk.
    header, rows = read_csv_rows(os.path.join(folder, "test.csv"))
    columns = [header.index(f) for f in features]
    x = np.array([[float_or_nan(r[c]) for c in columns] for r in rows], dtype=np.float32)
    truth = [r[header.index(label)] for r in rows]
    onnx_labels, onnx_proba = onnx_session(os.path.join(folder, "teacher.onnx")).run(
        None, {"input": x})
    return report_classifier(name, teacher, sk_metric, sk_labels, sk_proba,
                             truth, onnx_labels, onnx_proba, folder)


def make_penguins(root):
    name = "penguins"
    label = "species"
    categorical = ["island", "sex"]
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    source = resources.files("palmerpenguins") / "data" / "penguins.csv"
    with resources.as_file(source) as path:
        frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    frame = frame[[label, "island"] + numeric + ["sex"]]  # drop 'year'
    # The file writes missing values as NA. Text columns keep them as the
    # empty string (how the CSV and the ONNX string inputs carry them);
    # numeric columns get NaN.
    for column in categorical + [label]:
        frame[column] = frame[column].replace("NA", "").astype(object)
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column].replace("NA", ""), errors="raise")
    assert (frame[label] != "").all()

    train, test = train_test_split(
        frame, test_size=TEST_SIZE, random_state=SEED, stratify=frame[label]
    )
    features = categorical + numeric
    preprocess = ColumnTransformer([
        ("cat", Pipeline([
            ("impute", SimpleImputer(missing_values="", strategy="constant",
                                     fill_value="unknown")),
            ("onehot", OneHotEncoder(handle_unknown="ignore")),
        ]), categorical),
        ("num", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
        ]), numeric),
    ])
    teacher = Pipeline([
        ("preprocess", preprocess),
        ("mlp", MLPClassifier(hidden_layer_sizes=(16, 8), alpha=1e-3,
                              max_iter=2000, random_state=SEED)),
    ])
    teacher.fit(train[features], train[label].to_numpy())
    sk_labels = teacher.predict(test[features])
    sk_proba = teacher.predict_proba(test[features])
    sk_metric = accuracy_score(test[label], sk_labels)

    initial_types = ([(c, StringTensorType([None, 1])) for c in categorical]
                     + [(c, FloatTensorType([None, 1])) for c in numeric])
    model = convert_sklearn(
        teacher,
        name="penguins_teacher",
        initial_types=initial_types,
        target_opset=TARGET_OPSET,
        options={id(teacher): {"zipmap": False}},
    )
    # Order the graph inputs like the CSV columns.
    order = {c: i for i, c in enumerate(frame.columns)}
    inputs = sorted(model.graph.input, key=lambda v: order[v.name])
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    folder = write_sample(root, name, train, test, model)

    header, rows = read_csv_rows(os.path.join(folder, "test.csv"))
    feeds = {}
    for column in categorical:
        i = header.index(column)
        feeds[column] = np.array([[r[i]] for r in rows], dtype=object)
    for column in numeric:
        i = header.index(column)
        feeds[column] = np.array([[float_or_nan(r[i])] for r in rows], dtype=np.float32)
    truth = [r[header.index(label)] for r in rows]
    onnx_labels, onnx_proba = onnx_session(os.path.join(folder, "teacher.onnx")).run(
        None, feeds)
    return report_classifier(name, teacher, sk_metric, sk_labels, sk_proba,
                             truth, onnx_labels, onnx_proba, folder)


def make_diabetes(root):
    name = "diabetes"
    label = "progression"
    # scaled=False: the original measurements (age in years, BMI, ...), which
    # read better in a tree than the mean-centred, norm-scaled version.
    bunch = load_diabetes(scaled=False)
    features = list(bunch.feature_names)
    frame = pd.DataFrame(bunch.data, columns=features)
    frame[label] = bunch.target

    train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=SEED)
    teacher = Pipeline([
        ("scale", StandardScaler()),
        # Early stopping holds out a seeded 10% of train.csv as validation
        # data; without it this small, noisy set is overfitted.
        ("mlp", MLPRegressor(hidden_layer_sizes=(16, 8), alpha=1.0,
                             learning_rate_init=0.01, max_iter=2000,
                             early_stopping=True, random_state=SEED)),
    ])
    teacher.fit(train[features].to_numpy(), train[label].to_numpy())
    sk_pred = teacher.predict(test[features].to_numpy())
    sk_metric = r2_score(test[label], sk_pred)

    model = convert_sklearn(
        teacher,
        name="diabetes_teacher",
        initial_types=[("input", FloatTensorType([None, len(features)]))],
        target_opset=TARGET_OPSET,
    )
    folder = write_sample(root, name, train, test, model)

    header, rows = read_csv_rows(os.path.join(folder, "test.csv"))
    columns = [header.index(f) for f in features]
    x = np.array([[float_or_nan(r[c]) for c in columns] for r in rows], dtype=np.float32)
    truth = np.array([float(r[header.index(label)]) for r in rows])
    (onnx_pred,) = onnx_session(os.path.join(folder, "teacher.onnx")).run(None, {"input": x})
    onnx_pred = onnx_pred.reshape(-1)
    onnx_metric = r2_score(truth, onnx_pred)
    max_diff = float(np.max(np.abs(onnx_pred - sk_pred)))

    print(f"{name}: teacher test R^2 = {sk_metric:.4f} "
          f"(scikit-learn), {onnx_metric:.4f} (onnxruntime on test.csv)")
    print(f"    mlp iterations: {teacher[-1].n_iter_}; "
          f"max |onnx - sklearn| prediction = {max_diff:.2e}")
    describe_onnx(os.path.join(folder, "teacher.onnx"))
    ok = abs(onnx_metric - sk_metric) < 1e-4 and max_diff < 1e-2
    return ok


def write_sample(root, name, train, test, model):
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    write_csv(os.path.join(folder, "train.csv"), train)
    write_csv(os.path.join(folder, "test.csv"), test)
    save_onnx(os.path.join(folder, "teacher.onnx"), model)
    return folder


def report_classifier(name, teacher, sk_metric, sk_labels, sk_proba,
                      truth, onnx_labels, onnx_proba, folder):
    onnx_labels = [str(v) for v in np.asarray(onnx_labels).reshape(-1)]
    onnx_metric = accuracy_score(truth, onnx_labels)
    disagreements = sum(a != b for a, b in zip(onnx_labels, sk_labels))
    max_diff = float(np.max(np.abs(np.asarray(onnx_proba) - sk_proba)))
    print(f"{name}: teacher test accuracy = {sk_metric:.4f} "
          f"(scikit-learn), {onnx_metric:.4f} (onnxruntime on test.csv)")
    print(f"    classes: {', '.join(map(str, teacher.classes_))}; "
          f"mlp iterations: {teacher[-1].n_iter_}; label disagreements: "
          f"{disagreements}; max |onnx - sklearn| probability = {max_diff:.2e}")
    describe_onnx(os.path.join(folder, "teacher.onnx"))
    return onnx_metric == sk_metric and disagreements == 0 and max_diff < 1e-4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="folder that receives one subfolder per sample")
    args = parser.parse_args()
    results = [make_breast_cancer(args.out), make_penguins(args.out),
               make_diabetes(args.out)]
    if not all(results):
        print("error: an ONNX teacher does not reproduce its scikit-learn pipeline",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
