#!/usr/bin/env python3
"""Peer check of Distill's ai.onnx.ml operators (tree ensembles, linear and SVM models,
Normalizer, Binarizer) against onnxruntime, on models made by the real exporters.

Trains scikit-learn models (exported by skl2onnx with ZipMap off), LightGBM and XGBoost
models (exported by onnxmltools) on breast cancer (binary), wine (three classes) and
diabetes (regression), writes fixed rows as CSV (with missing values for the tree
ensembles, which route them), runs `distill label` and onnxruntime on them, and fails
unless every teacher output agrees within 1e-5 (relative to max(1, |value|) for
regression).

    python3 Tests/Peers/check_onnx_ml.py PATH/TO/distill [--keep DIR]

Needs numpy, scikit-learn, skl2onnx, onnxruntime, lightgbm, xgboost and onnxmltools.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import onnxruntime as ort
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

TOLERANCE = 1e-5
ROWS = 300


def datasets():
    out = {}
    for name, loader in [("binary", load_breast_cancer), ("multiclass", load_wine), ("regression", load_diabetes)]:
        X, y = loader(return_X_y=True)
        out[name] = (X.astype(np.float32), y)
    return out


def sklearn_cases(data):
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                                  GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Binarizer, Normalizer, StandardScaler
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    classifiers = {
        "decision_tree": lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
        "random_forest": lambda: RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0),
        "extra_trees": lambda: ExtraTreesClassifier(n_estimators=20, max_depth=6, random_state=0),
        "gradient_boosting": lambda: GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0),
        "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
        "svc_rbf": lambda: make_pipeline(StandardScaler(), SVC(kernel="rbf", probability=True, random_state=0)),
        "svc_linear": lambda: make_pipeline(StandardScaler(), SVC(kernel="linear", probability=True, random_state=0)),
        "normalizer_binarizer": lambda: make_pipeline(Normalizer(norm="l2"), Binarizer(threshold=0.01),
                                                      LogisticRegression(max_iter=5000)),
    }
    regressors = {
        "decision_tree": lambda: DecisionTreeRegressor(max_depth=6, random_state=0),
        "random_forest": lambda: RandomForestRegressor(n_estimators=20, max_depth=6, random_state=0),
        "extra_trees": lambda: ExtraTreesRegressor(n_estimators=20, max_depth=6, random_state=0),
        "gradient_boosting": lambda: GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=0),
        "linear": lambda: LinearRegression(),
        "svr": lambda: make_pipeline(StandardScaler(), SVR(kernel="rbf", C=50.0)),
        "normalizer_linear": lambda: make_pipeline(Normalizer(norm="l1"), LinearRegression()),
    }
    for task in ["binary", "multiclass"]:
        X, y = data[task]
        for name, make in classifiers.items():
            yield f"sklearn_{name}_{task}", "sklearn", make().fit(X, y), task, name in TREES
    X, y = data["regression"]
    for name, make in regressors.items():
        yield f"sklearn_{name}_regression", "sklearn", make().fit(X, y), "regression", name in TREES


TREES = {"decision_tree", "random_forest", "extra_trees", "gradient_boosting"}


def boosting_cases(data):
    import lightgbm
    import xgboost
    for task in ["binary", "multiclass", "regression"]:
        X, y = data[task]
        if task == "regression":
            lgb = lightgbm.LGBMRegressor(n_estimators=40, num_leaves=15, verbose=-1, random_state=0)
            xgb = xgboost.XGBRegressor(n_estimators=40, max_depth=4, random_state=0)
        else:
            lgb = lightgbm.LGBMClassifier(n_estimators=40, num_leaves=15, verbose=-1, random_state=0)
            xgb = xgboost.XGBClassifier(n_estimators=40, max_depth=4, random_state=0)
        yield f"lightgbm_{task}", "lightgbm", lgb.fit(X, y), task, True
        yield f"xgboost_{task}", "xgboost", xgb.fit(X, y), task, True


def export(kind, model, width):
    if kind == "sklearn":
        from skl2onnx import to_onnx
        from skl2onnx.common.data_types import FloatTensorType
        options = {id(model): {"zipmap": False}} if hasattr(model, "predict_proba") else None
        return to_onnx(model, initial_types=[("X", FloatTensorType([None, width]))], options=options,
                       target_opset={"": 17, "ai.onnx.ml": 3})
    import onnxmltools
    from onnxmltools.convert.common.data_types import FloatTensorType
    types = [("X", FloatTensorType([None, width]))]
    if kind == "lightgbm":
        onx = onnxmltools.convert_lightgbm(model, initial_types=types, zipmap=False, target_opset=15)
    else:
        onx = onnxmltools.convert_xgboost(model, initial_types=types, target_opset=15)
    return drop_zipmap(onx)


def drop_zipmap(model):
    """Replaces a final ZipMap by the probabilities tensor it reads (ZipMap is not this check's part)."""
    from onnx import helper, TensorProto
    graph = model.graph
    for node in list(graph.node):
        if node.op_type != "ZipMap":
            continue
        graph.node.remove(node)
        for out in list(graph.output):
            if out.name == node.output[0]:
                graph.output.remove(out)
        graph.output.append(helper.make_tensor_value_info(node.input[0], TensorProto.FLOAT, [None, None]))
    return model


def fixed_rows(X, seed, missing):
    rng = np.random.default_rng(seed)
    rows = X[rng.integers(0, len(X), ROWS)] * rng.uniform(0.9, 1.1, (ROWS, X.shape[1])).astype(np.float32)
    rows = rows.astype(np.float32)
    if missing:
        rows[rng.random(rows.shape) < 0.05] = np.nan
    return rows


def fmt(value):
    if np.isnan(value):
        return ""
    return np.format_float_positional(np.float32(value), unique=True, trim="-")


def check(distill, folder, name, onx, rows, task):
    model_path = os.path.join(folder, name + ".onnx")
    data_path = os.path.join(folder, name + ".csv")
    out_path = os.path.join(folder, name + ".labelled.csv")
    with open(model_path, "wb") as f:
        f.write(onx.SerializeToString())
    columns = [f"f{i}" for i in range(rows.shape[1])]
    with open(data_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([fmt(v) for v in r])
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    outputs = [o.name for o in session.get_outputs()]
    float_outputs = [o.name for o in session.get_outputs() if o.type == "tensor(float)"]
    output = float_outputs[-1]
    expected = session.run([output], {"X": rows})[0].reshape(ROWS, -1).astype(np.float64)
    command = [distill, "label", "--teacher", model_path, "--data", data_path, "--out", out_path]
    if len(outputs) > 1:
        command += ["--teacher-output", output]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return False, f"distill label exited {run.returncode}: {run.stderr.strip()[:500]}"
    with open(out_path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        got_rows = list(reader)
    wanted = [c for c in header if c.startswith("teacher_p_")] if task != "regression" else ["teacher_value"]
    if not wanted or any(c not in header for c in wanted):
        return False, f"output lacks teacher columns; header ends {header[-5:]}"
    got = np.array([[float(r[header.index(c)]) for c in wanted] for r in got_rows], dtype=np.float64)
    if got.shape != expected.shape:
        return False, f"distill answered {got.shape}, onnxruntime {expected.shape}"
    scale = np.maximum(1.0, np.abs(expected)) if task == "regression" else 1.0
    diff = float(np.max(np.abs(got - expected) / scale))
    return diff <= TOLERANCE, f"max {'relative ' if task == 'regression' else ''}difference {diff:.2e} ({output})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("distill", help="path of the built distill binary")
    parser.add_argument("--keep", help="write models and CSVs here instead of a temporary folder")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    data = datasets()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        cases = list(sklearn_cases(data)) + list(boosting_cases(data))
        for seed, (name, kind, model, task, trees) in enumerate(cases):
            X = data[task][0]
            try:
                onx = export(kind, model, X.shape[1])
                ok, detail = check(args.distill, folder, name, onx, fixed_rows(X, seed, trees), task)
            except Exception as e:  # a crash in one case is a failure of that case
                ok, detail = False, f"{type(e).__name__}: {e}"
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    print(f"{failures} failure(s)" if failures else "all ai.onnx.ml models agree with onnxruntime")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
