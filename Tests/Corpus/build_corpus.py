#!/usr/bin/env python3
"""Builds the conformance corpus: small models exported by the real exporters.

Trains tiny models on four small tabular data sets and exports each with the exporter a
user would use (PyTorch's TorchScript and dynamo exporters, Keras's own export and
tf2onnx, skl2onnx, onnxmltools for LightGBM and XGBoost). For every model it writes

    models/NAME.onnx (+ NAME.onnx.data when the exporter stores the weights beside it)
    expected/NAME.json   onnxruntime's and the framework's answers on the model's rows
    rows/DATASET.csv     the fixed rows the answers are for, named as the models expect

and one manifest.json listing the models with exporter, version, opset, task, the distill
options they need and which answer is the reference.

    python3 -m venv VENV && VENV/bin/pip install -r Tests/Corpus/requirements.txt
    VENV/bin/python Tests/Corpus/build_corpus.py

Needs the exporters pinned in requirements.txt beside this script (torch, tensorflow, ...);
check_corpus.py, which CI runs, needs none of them. Training is seeded and single-threaded.
"""

import json
import os
import random
import shutil
import sys
import warnings
from importlib.metadata import version

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
warnings.filterwarnings("ignore")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Peers"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import pandas as pd  # noqa: E402
from onnx_scrub import drop_stack_traces  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "..", "Samples")
ROWS_PER_SET = 32
SEED = 0


# ----------------------------------------------------------------------------- data sets

class DataSet:
    """Training rows and the fixed rows the expected answers are for."""

    def __init__(self, name, train, rows, target, classes=None):
        self.name, self.train, self.rows, self.target, self.classes = name, train, rows, target, classes

    @property
    def features(self):
        return list(self.rows.columns)

    def xy(self, dtype=np.float32):
        return self.train[self.features].to_numpy(dtype=dtype), self.train[self.target].to_numpy()

    def rows_matrix(self, dtype=np.float32):
        return self.rows.to_numpy(dtype=dtype)


def sample(name):
    folder = os.path.join(SAMPLES, name)
    return pd.read_csv(os.path.join(folder, "train.csv")), pd.read_csv(os.path.join(folder, "test.csv"))


def load_data_sets():
    from sklearn.datasets import load_wine
    from sklearn.model_selection import train_test_split

    sets = {}
    train, test = sample("breast-cancer")
    features = [c for c in train.columns if c != "diagnosis"]
    train["target"] = (train["diagnosis"] == "malignant").astype(int)
    sets["breast_cancer"] = DataSet("breast_cancer", train, test[features].head(ROWS_PER_SET).reset_index(drop=True),
                                    "target", ["0", "1"])

    # The same rows under scikit-learn's own feature names ("mean radius"), which skl2onnx
    # turns into input names without spaces ("mean_radius").
    spaced = {c: c.replace("_", " ") for c in features}
    sets["breast_cancer_spaces"] = DataSet("breast_cancer_spaces", train.rename(columns=spaced),
                                           sets["breast_cancer"].rows.rename(columns=spaced), "target", ["0", "1"])

    wine = load_wine(as_frame=True)
    frame = wine.frame.rename(columns=lambda c: c.replace("/", "_"))
    features = [c for c in frame.columns if c != "target"]
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=frame["target"])
    sets["wine"] = DataSet("wine", train.reset_index(drop=True),
                           test[features].head(ROWS_PER_SET).reset_index(drop=True), "target", ["0", "1", "2"])

    train, test = sample("diabetes")
    features = [c for c in train.columns if c != "progression"]
    sets["diabetes"] = DataSet("diabetes", train, test[features].head(ROWS_PER_SET).reset_index(drop=True),
                               "progression")

    train, test = sample("penguins")
    train, test = train.dropna().reset_index(drop=True), test.dropna().reset_index(drop=True)
    features = [c for c in train.columns if c != "species"]
    sets["penguins"] = DataSet("penguins", train, test[features].head(ROWS_PER_SET).reset_index(drop=True),
                               "species", sorted(train["species"].unique()))

    # The same penguins with island and sex as integer codes, for models that embed them.
    codes = {c: sorted(train[c].unique()) for c in ("island", "sex")}
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]

    def encode(frame):
        out = frame[numeric].astype(float).copy()
        for c, levels in codes.items():
            out[c] = frame[c].map({level: i for i, level in enumerate(levels)}).astype(int)
        return out

    coded_train = encode(train)
    coded_train["target"] = train["species"].map({s: i for i, s in enumerate(sets["penguins"].classes)})
    sets["penguins_codes"] = DataSet("penguins_codes", coded_train,
                                     encode(test).head(ROWS_PER_SET).reset_index(drop=True), "target", ["0", "1", "2"])
    return sets


def write_rows(data_set, folder):
    path = os.path.join(folder, "rows", f"{data_set.name}.csv")
    data_set.rows.to_csv(path, index=False, lineterminator="\n")


# ----------------------------------------------------------------------------- recording

class Corpus:
    """Collects the models, runs onnxruntime on their rows and writes the files."""

    def __init__(self, folder, sets):
        self.folder, self.sets, self.entries = folder, sets, []

    def model_path(self, name):
        return os.path.join(self.folder, "models", f"{name}.onnx")

    def add(self, name, data_set, exporter, kind, framework, output=None, options=(), classes=None):
        """Records the model already written at model_path(name).

        kind: what the chosen output holds: probabilities, logits or value.
        framework: the framework's own answer on the rows, in the same form as that output.
        output: the output distill is to answer from (default: the model's first output).
        """
        path = self.model_path(name)
        model = onnx.load(path, load_external_data=False)
        external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        output = output or session.get_outputs()[0].name
        raw = session.run([output], feeds(session, data_set.rows))[0]
        classes = classes or data_set.classes
        runtime = as_matrix(raw, classes)
        framework = np.asarray(framework, dtype=np.float64).reshape(runtime.shape)
        # onnxruntime is wrong where it answers a non-finite number and the framework does not
        # (PyTorch's LogSigmoid, exported as Log(Sigmoid(x))); the framework is the reference then.
        runtime_wrong = bool(np.any(~np.isfinite(runtime) & np.isfinite(framework)))
        reference = "framework" if runtime_wrong else "onnxruntime"
        chosen = framework if runtime_wrong else runtime
        task = "regression" if kind == "value" else "classification"
        answers = answers_from(chosen, kind)
        opsets = dict(sorted(((o.domain or "ai.onnx"), o.version) for o in model.opset_import))
        files = [os.path.basename(path)] + sorted({
            e.value for t in model.graph.initializer for e in t.external_data if e.key == "location"})
        entry = {
            "name": name,
            "files": files,
            "rows": f"rows/{data_set.name}.csv",
            "exporter": exporter,
            "opsets": opsets,
            "task": task,
            "output": output,
            "output_kind": kind,
            "options": list(options),
            "reference": reference,
            "external_tensors": len(external),
            "input_types": {i.name: i.type for i in session.get_inputs()},
        }
        expected = {
            "name": name,
            "output": output,
            "output_kind": kind,
            "reference": reference,
            "classes": classes if task == "classification" else None,
            "answers": rounded(answers),
            "onnxruntime": rounded(runtime),
            "framework": rounded(framework),
            "max_abs_difference_onnxruntime_framework": finite_max(np.abs(runtime - framework)),
        }
        with open(os.path.join(self.folder, "expected", f"{name}.json"), "w") as f:
            f.write(compact_json(expected))
        self.entries.append(entry)
        print(f"{name}: {os.path.getsize(path)} bytes, {reference} reference, "
              f"onnxruntime-framework {expected['max_abs_difference_onnxruntime_framework']:.2g}", flush=True)

    def write_manifest(self):
        manifest = {"tolerance": 1e-5, "models": self.entries}
        with open(os.path.join(self.folder, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")


def feeds(session, rows):
    """onnxruntime's inputs from the rows: inputs named after a column take that column (also
    after skl2onnx's renaming, punctuation and spaces to '_'), one remaining input takes the
    remaining columns in order (the binding distill is to do)."""
    exported = {"".join(ch if ch.isalnum() else "_" for ch in c): c for c in rows.columns}
    column_of = {i.name: exported.get(i.name, i.name) for i in session.get_inputs()}
    inputs = session.get_inputs()
    named = {column_of[i.name] for i in inputs if column_of[i.name] in rows.columns}
    remaining = [c for c in rows.columns if c not in named]
    result = {}
    for i in inputs:
        dtype = {"tensor(float)": np.float32, "tensor(double)": np.float64, "tensor(int64)": np.int64,
                 "tensor(string)": object}[i.type]
        if column_of[i.name] in named:
            values = rows[column_of[i.name]].to_numpy().astype(dtype)
            result[i.name] = values.reshape(-1, 1) if len(i.shape) == 2 else values
        else:
            result[i.name] = rows[remaining].to_numpy().astype(dtype)
    return result


def as_matrix(raw, classes):
    """An output as a float64 matrix [N, K]; a ZipMap's list of dicts in class order."""
    if isinstance(raw, list):
        keys = list(raw[0].keys())
        order = [next(k for k in keys if str(k) == c) for c in classes]
        return np.array([[row[k] for k in order] for row in raw], dtype=np.float64)
    matrix = np.asarray(raw, dtype=np.float64)
    return matrix.reshape(len(matrix), -1)


def answers_from(matrix, kind):
    """What distill label is to write: probabilities per class, or one value per row."""
    if kind == "value":
        return matrix.reshape(-1)
    if kind == "logits":
        if matrix.shape[1] == 1:
            p = 1 / (1 + np.exp(-matrix[:, 0]))
            return np.stack([1 - p, p], axis=1)
        shifted = np.exp(matrix - matrix.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)
    if matrix.shape[1] == 1:
        return np.concatenate([1 - matrix, matrix], axis=1)
    return matrix


def rounded(array):
    """Nested lists with 9 significant digits (float32 round-trips), NaN as null."""
    return [rounded(a) for a in array] if np.ndim(array) else (
        None if not np.isfinite(array) else float(f"{float(array):.9g}"))


def compact_json(document):
    """JSON with one key, or one row of a matrix, per line: small and readable in a diff."""
    def value(v):
        if isinstance(v, list) and v and isinstance(v[0], list):
            return "[\n  " + ",\n  ".join(json.dumps(row) for row in v) + "]"
        return json.dumps(v)
    return "{\n" + ",\n".join(f" {json.dumps(k)}: {value(v)}" for k, v in document.items()) + "\n}\n"


def finite_max(array):
    finite = array[np.isfinite(array)]
    return float(finite.max()) if finite.size else 0.0


# ----------------------------------------------------------------------------- PyTorch

def torch_models(corpus):
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch_version = version("torch")

    class Standardize(nn.Module):
        """The training set's mean and spread as constants, as users fold their scaler in."""

        def __init__(self, X):
            super().__init__()
            self.register_buffer("mean", torch.tensor(X.mean(axis=0), dtype=torch.float32))
            self.register_buffer("scale", torch.tensor(X.std(axis=0) + 1e-6, dtype=torch.float32))

        def forward(self, x):
            return (x - self.mean) / self.scale

    def mlp(X, width, activation, outputs, norm=None, head=None):
        layers = [Standardize(X), nn.Linear(X.shape[1], width)]
        if norm is not None:
            layers.append(norm(width))
        layers += [activation, nn.Linear(width, width), activation, nn.Linear(width, outputs)]
        if head is not None:
            layers.append(head)
        return nn.Sequential(*layers)

    def train(model, X, y, loss, steps=150):
        torch.manual_seed(SEED)
        optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
        X, y = torch.tensor(X), torch.tensor(y)
        model.train()
        for _ in range(steps):
            optimiser.zero_grad()
            loss(model(X), y).backward()
            optimiser.step()
        model.eval()
        return model

    def fit_classifier(model, data_set, head):
        """Trains on logits: a softmax head is dropped for training, as the loss applies it."""
        X, y = data_set.xy()
        body = model[:-1] if head else model
        if isinstance(body[-1], nn.Linear) and body[-1].out_features == 1:
            train(body, X, y.astype(np.float32).reshape(-1, 1), nn.BCEWithLogitsLoss())
        else:
            train(body, X, y.astype(np.int64), nn.CrossEntropyLoss())
        return model.eval()

    def export(model, name, args, exporter, opset, input_names, output_names, batch_dims):
        path = corpus.model_path(name)
        if exporter == "torchscript":
            torch.onnx.export(model, args, path, dynamo=False, opset_version=opset, input_names=input_names,
                              output_names=output_names,
                              dynamic_axes={n: {0: "batch"} for n in input_names + output_names})
        else:
            batch = torch.export.Dim("batch")
            torch.onnx.export(model, args, path, dynamo=True, opset_version=opset, external_data=False,
                              input_names=input_names, output_names=output_names,
                              dynamic_shapes=tuple({0: batch} for _ in batch_dims))
            drop_stack_traces(path)
        return path

    def framework(model, args):
        # The TorchScript exporter restores the mode it found, so make sure of eval here.
        model.eval()
        with torch.no_grad():
            return model(*args).double().numpy()

    def both_exporters(model, base, data_set, kind, options=(), input_names=("input",), args=None,
                       output_names=("output",), opsets=(17, 18)):
        args = args or (torch.tensor(data_set.rows_matrix()),)
        for exporter in ("torchscript", "dynamo"):
            for opset in opsets:
                name = f"{base}_{exporter}_opset{opset}"
                export(model, name, args, exporter, opset, list(input_names), list(output_names), args)
                corpus.add(name, data_set, f"torch {torch_version} {exporter}", kind, framework(model, args),
                           output=output_names[0], options=options)

    wine, bc, diabetes = corpus.sets["wine"], corpus.sets["breast_cancer"], corpus.sets["diabetes"]
    Xw = wine.xy()[0]

    activations = {
        "relu": nn.ReLU(), "leakyrelu": nn.LeakyReLU(0.1), "elu": nn.ELU(), "selu": nn.SELU(),
        "celu": nn.CELU(0.5), "gelu": nn.GELU(), "gelu_tanh": nn.GELU(approximate="tanh"), "silu": nn.SiLU(),
        "mish": nn.Mish(), "hardswish": nn.Hardswish(), "hardsigmoid": nn.Hardsigmoid(),
        "softplus": nn.Softplus(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(), "logsigmoid": nn.LogSigmoid(),
    }
    for label, activation in activations.items():
        model = fit_classifier(mlp(Xw, 8, activation, 3, head=nn.Softmax(dim=1)), wine, head=True)
        both_exporters(model, f"torch_{label}", wine, "probabilities", output_names=("probabilities",))

    for label, norm in (("batchnorm", nn.BatchNorm1d), ("layernorm", nn.LayerNorm)):
        model = fit_classifier(mlp(Xw, 8, nn.ReLU(), 3, norm=norm, head=nn.Softmax(dim=1)), wine, head=True)
        both_exporters(model, f"torch_{label}", wine, "probabilities", output_names=("probabilities",))

    logits = ["--teacher-output-kind", "logits"]
    Xb = bc.xy()[0]
    model = fit_classifier(mlp(Xw, 8, nn.ReLU(), 3), wine, head=False)
    both_exporters(model, "torch_logits_multiclass", wine, "logits", logits, output_names=("logits",))
    model = fit_classifier(mlp(Xb, 8, nn.ReLU(), 2), bc, head=False)
    both_exporters(model, "torch_logits_binary_two", bc, "logits", logits, output_names=("logits",))
    model = fit_classifier(mlp(Xb, 8, nn.ReLU(), 1), bc, head=False)
    both_exporters(model, "torch_logits_binary_one", bc, "logits", logits, output_names=("logit",))
    model = fit_classifier(mlp(Xb, 8, nn.ReLU(), 1, head=nn.Sigmoid()), bc, head=True)
    both_exporters(model, "torch_sigmoid_binary", bc, "probabilities", output_names=("probability",))

    Xd, yd = diabetes.xy()
    model = mlp(Xd, 8, nn.ReLU(), 1)
    train(model, Xd, ((yd - yd.mean()) / yd.std()).astype(np.float32).reshape(-1, 1), nn.MSELoss(), steps=300)
    with torch.no_grad():  # back to the target's units, as a user would ship it
        model[-1].weight *= float(yd.std())
        model[-1].bias.mul_(float(yd.std())).add_(float(yd.mean()))
    both_exporters(model, "torch_regression", diabetes, "value", output_names=("progression",))

    embedding_models(corpus, torch, nn, fit_classifier, both_exporters, Standardize)

    # The default export, as a user runs it: no options but the file name.
    model = fit_classifier(mlp(Xw, 8, nn.ReLU(), 3, head=nn.Softmax(dim=1)), wine, head=True)
    args = (torch.tensor(wine.rows_matrix()),)
    name = "torch_default_export"
    torch.onnx.export(model, args, corpus.model_path(name))
    drop_stack_traces(corpus.model_path(name))
    if not os.path.exists(corpus.model_path(name) + ".data"):
        sys.exit(f"{name}: torch.onnx.export no longer writes external data by default; the entry is moot")
    corpus.add(name, wine, f"torch {torch_version} default", "probabilities", framework(model, args))

    # A model in double, as after model.double().
    model = fit_classifier(mlp(Xw, 8, nn.ReLU(), 3, head=nn.Softmax(dim=1)), wine, head=True).double()
    args = (torch.tensor(wine.rows_matrix(np.float64)),)
    name = "torch_float64_torchscript_opset17"
    export(model, name, args, "torchscript", 17, ["input"], ["probabilities"], args)
    corpus.add(name, wine, f"torch {torch_version} torchscript", "probabilities", framework(model, args))


def embedding_models(corpus, torch, nn, fit_classifier, both_exporters, Standardize):
    """Categorical columns through nn.Embedding: one input per column, or codes sliced
    from one wide input."""
    data_set = corpus.sets["penguins_codes"]
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    X = data_set.xy()[0]

    class PerColumn(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = Standardize(X[:, :4])
            self.island, self.sex = nn.Embedding(3, 2), nn.Embedding(2, 2)
            self.body = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1))

        def forward(self, x_num, island, sex):
            return self.body(torch.cat([self.scale(x_num), self.island(island), self.sex(sex)], dim=1))

    class Sliced(PerColumn):
        def forward(self, x):
            codes = x[:, 4:6].long()
            return PerColumn.forward(self, x[:, 0:4], codes[:, 0], codes[:, 1])

    rows = data_set.rows
    per_column_args = (torch.tensor(rows[numeric].to_numpy(np.float32)),
                       torch.tensor(rows["island"].to_numpy(np.int64)), torch.tensor(rows["sex"].to_numpy(np.int64)))

    def fit(model, forward_args):
        train = data_set.train
        optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
        y = torch.tensor(train["target"].to_numpy(np.int64))
        for _ in range(150):
            optimiser.zero_grad()
            nn.functional.nll_loss(torch.log(model(*forward_args(train)) + 1e-9), y).backward()
            optimiser.step()
        return model.eval()

    torch.manual_seed(SEED)
    model = fit(PerColumn(), lambda t: (torch.tensor(t[numeric].to_numpy(np.float32)),
                                        torch.tensor(t["island"].to_numpy(np.int64)),
                                        torch.tensor(t["sex"].to_numpy(np.int64))))
    both_exporters(model, "torch_embedding_per_column", data_set, "probabilities", args=per_column_args,
                   input_names=("x_num", "island", "sex"), output_names=("probabilities",))
    torch.manual_seed(SEED)
    model = fit(Sliced(), lambda t: (torch.tensor(t[numeric + ["island", "sex"]].to_numpy(np.float32)),))
    both_exporters(model, "torch_embedding_sliced", data_set, "probabilities", output_names=("probabilities",))


# ----------------------------------------------------------------------------- Keras

def keras_models(corpus):
    import tensorflow as tf
    import keras
    import tf2onnx

    tf.random.set_seed(SEED)
    keras.utils.set_random_seed(SEED)
    wine, diabetes = corpus.sets["wine"], corpus.sets["diabetes"]
    label = f"keras {version('keras')} tensorflow {version('tensorflow-cpu')}"

    def dense(data_set, middle, outputs, activation):
        X = data_set.xy()[0]
        mean, spread = X.mean(axis=0), X.std(axis=0) + 1e-6
        # Rescaling, not an adapted Normalization layer: model.export turns a Normalization's
        # mean and variance into graph inputs without values, a model no runtime can use.
        scale = keras.layers.Rescaling((1 / spread).tolist(), (-mean / spread).tolist())
        layers = [keras.Input(shape=(X.shape[1],), name="input"), scale, keras.layers.Dense(8)]
        layers += middle()
        layers += [keras.layers.Dense(outputs, activation=activation)]
        return keras.Sequential(layers)

    variants = {
        "batchnorm": lambda: [keras.layers.BatchNormalization(), keras.layers.Activation("relu")],
        "layernorm": lambda: [keras.layers.LayerNormalization(), keras.layers.Activation("relu")],
        # The tanh form: exact GELU lowers to TensorFlow's Erfc, which tf2onnx 1.17 cannot convert.
        "gelu": lambda: [keras.layers.Activation(lambda x: keras.activations.gelu(x, approximate=True))],
        "dropout": lambda: [keras.layers.Activation("relu"), keras.layers.Dropout(0.2)],
    }
    models = []
    for name, middle in variants.items():
        model = dense(wine, middle, 3, "softmax")
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        X, y = wine.xy()
        model.fit(X, y, epochs=30, batch_size=32, verbose=0, shuffle=False)
        models.append((f"keras_{name}", model, wine, "probabilities"))
    model = dense(diabetes, variants["batchnorm"], 1, None)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    X, y = diabetes.xy()
    model.fit(X, y.astype(np.float32), epochs=60, batch_size=32, verbose=0, shuffle=False)
    models.append(("keras_regression", model, diabetes, "value"))

    for name, model, data_set, kind in models:
        rows = data_set.rows_matrix()
        answer = model.predict(rows, verbose=0).astype(np.float64)
        path = corpus.model_path(f"{name}_tf2onnx")
        spec = (tf.TensorSpec((None, rows.shape[1]), tf.float32, name="input"),)
        # tf2onnx 1.17 maps Keras 2's output names; Keras 3 gives internal tensor names
        # instead, and naming the outputs is the known way round it.
        model.output_names = ["output"]
        tf2onnx.convert.from_keras(model, input_signature=spec, opset=17, output_path=path)
        corpus.add(f"{name}_tf2onnx", data_set, f"{label} tf2onnx {version('tf2onnx')}", kind, answer)
        path = corpus.model_path(f"{name}_keras_export")
        model.export(path, format="onnx", verbose=False)
        corpus.add(f"{name}_keras_export", data_set, f"{label} model.export", kind, answer)


# ----------------------------------------------------------------------------- scikit-learn

def sklearn_models(corpus):
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                                  GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import Normalizer, OneHotEncoder, StandardScaler
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    label = f"scikit-learn {version('scikit-learn')} skl2onnx {version('skl2onnx')}"
    wine, bc, diabetes, penguins = (corpus.sets[n] for n in ("wine", "breast_cancer", "diabetes", "penguins"))
    scaled = lambda model: Pipeline([("scale", StandardScaler()), ("model", model)])  # noqa: E731
    final = lambda model: model.steps[-1][1] if isinstance(model, Pipeline) else model  # noqa: E731

    classifiers = {
        "logistic_regression": (scaled(LogisticRegression(max_iter=500)), wine),
        "logistic_regression_binary": (scaled(LogisticRegression(max_iter=500)), bc),
        "decision_tree_classifier": (DecisionTreeClassifier(max_depth=3, random_state=SEED), wine),
        "random_forest_classifier": (RandomForestClassifier(n_estimators=5, max_depth=3, random_state=SEED), wine),
        "extra_trees_classifier": (ExtraTreesClassifier(n_estimators=5, max_depth=3, random_state=SEED), wine),
        "gradient_boosting_classifier": (
            GradientBoostingClassifier(n_estimators=5, max_depth=2, random_state=SEED), wine),
        "gradient_boosting_classifier_binary": (
            GradientBoostingClassifier(n_estimators=5, max_depth=2, random_state=SEED), bc),
        "svc": (scaled(SVC(probability=True, random_state=SEED)), wine),
        "mlp_classifier": (scaled(MLPClassifier(hidden_layer_sizes=(8,), max_iter=500, random_state=SEED)), wine),
        "pipeline_scaler_normalizer": (Pipeline([("scale", StandardScaler()), ("normalize", Normalizer()),
                                                 ("model", LogisticRegression(max_iter=500))]), wine),
    }
    for name, (model, data_set) in classifiers.items():
        X, y = data_set.xy()
        model.fit(X, y)
        rows = data_set.rows_matrix()
        answer = model.predict_proba(rows)
        for zipmap in (True, False):
            full = f"sklearn_{name}_{'zipmap' if zipmap else 'no_zipmap'}"
            options = None if zipmap else {id(final(model)): {"zipmap": False}}
            onx = to_onnx(model, rows[:1], options=options, target_opset={"": 17, "ai.onnx.ml": 3})
            onnx.save(onx, corpus.model_path(full))
            corpus.add(full, data_set, label, "probabilities", answer, output=onx.graph.output[1].name)

    regressors = {
        "linear_regression": LinearRegression(),
        "decision_tree_regressor": DecisionTreeRegressor(max_depth=3, random_state=SEED),
        "random_forest_regressor": RandomForestRegressor(n_estimators=5, max_depth=3, random_state=SEED),
        "extra_trees_regressor": ExtraTreesRegressor(n_estimators=5, max_depth=3, random_state=SEED),
        "gradient_boosting_regressor": GradientBoostingRegressor(n_estimators=5, max_depth=2, random_state=SEED),
        "svr": scaled(SVR(C=50.0)),
        "mlp_regressor": scaled(MLPRegressor(hidden_layer_sizes=(8,), max_iter=1000, random_state=SEED)),
    }
    X, y = diabetes.xy()
    rows = diabetes.rows_matrix()
    for name, model in regressors.items():
        model.fit(X, y)
        onx = to_onnx(model, rows[:1], target_opset={"": 17, "ai.onnx.ml": 3})
        onnx.save(onx, corpus.model_path(f"sklearn_{name}"))
        corpus.add(f"sklearn_{name}", diabetes, label, "value", model.predict(rows))

    # One input per column, text categories one-hot encoded, as a DataFrame pipeline is.
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    text = ["island", "sex"]
    model = Pipeline([("columns", ColumnTransformer([("numeric", StandardScaler(), numeric),
                                                     ("text", OneHotEncoder(handle_unknown="ignore"), text)])),
                      ("model", LogisticRegression(max_iter=500))])
    frame = penguins.train[penguins.features]
    model.fit(frame, penguins.train["species"])
    answer = model.predict_proba(penguins.rows)
    types = [(c, StringTensorType([None, 1]) if c in text else FloatTensorType([None, 1]))
             for c in penguins.features]
    for zipmap in (True, False):
        full = f"sklearn_column_transformer_{'zipmap' if zipmap else 'no_zipmap'}"
        options = None if zipmap else {id(final(model)): {"zipmap": False}}
        onx = to_onnx(model, initial_types=types, options=options, target_opset={"": 17, "ai.onnx.ml": 3})
        onnx.save(onx, corpus.model_path(full))
        corpus.add(full, penguins, label, "probabilities", answer, output=onx.graph.output[1].name,
                   classes=list(model.classes_))

    # A DataFrame gives one input per column, named after the column with spaces replaced.
    spaces = corpus.sets["breast_cancer_spaces"]
    frame = spaces.train[spaces.features].astype(np.float32)
    model = scaled(LogisticRegression(max_iter=500)).fit(frame, spaces.train[spaces.target])
    onx = to_onnx(model, frame[:1], options={id(final(model)): {"zipmap": False}},
                  target_opset={"": 17, "ai.onnx.ml": 3})
    onnx.save(onx, corpus.model_path("sklearn_dataframe_renamed_inputs"))
    corpus.add("sklearn_dataframe_renamed_inputs", spaces, label, "probabilities",
               model.predict_proba(spaces.rows.astype(np.float32)), output=onx.graph.output[1].name)

    # float64 throughout, as to_onnx(model, X[:1]) makes of a float64 frame.
    model = scaled(LogisticRegression(max_iter=500)).fit(*wine.xy(np.float64))
    rows = wine.rows_matrix(np.float64)
    onx = to_onnx(model, rows[:1], options={id(final(model)): {"zipmap": False}},
                  target_opset={"": 17, "ai.onnx.ml": 3})
    onnx.save(onx, corpus.model_path("sklearn_float64_logistic_regression"))
    corpus.add("sklearn_float64_logistic_regression", wine, label, "probabilities", model.predict_proba(rows),
               output=onx.graph.output[1].name)
    model = LinearRegression().fit(*diabetes.xy(np.float64))
    rows = diabetes.rows_matrix(np.float64)
    onnx.save(to_onnx(model, rows[:1], target_opset={"": 17, "ai.onnx.ml": 3}),
              corpus.model_path("sklearn_float64_linear_regression"))
    corpus.add("sklearn_float64_linear_regression", diabetes, label, "value", model.predict(rows))


# ----------------------------------------------------------------------------- boosting

def boosting_models(corpus):
    import lightgbm
    import xgboost
    from onnxmltools import convert_lightgbm, convert_xgboost
    from onnxmltools.convert.common.data_types import FloatTensorType

    tools = f"onnxmltools {version('onnxmltools')}"
    cases = (("binary", corpus.sets["breast_cancer"]), ("multiclass", corpus.sets["wine"]),
             ("regression", corpus.sets["diabetes"]))
    for task, data_set in cases:
        X, y = data_set.xy()
        rows = data_set.rows_matrix()
        types = [("input", FloatTensorType([None, X.shape[1]]))]
        common = dict(n_estimators=5, max_depth=3, random_state=SEED, n_jobs=1)
        if task == "regression":
            models = (("lightgbm", lightgbm.LGBMRegressor(num_leaves=7, verbose=-1, **common)),
                      ("xgboost", xgboost.XGBRegressor(**common)))
        else:
            models = (("lightgbm", lightgbm.LGBMClassifier(num_leaves=7, verbose=-1, **common)),
                      ("xgboost", xgboost.XGBClassifier(**common)))
        for library, model in models:
            model.fit(X, y)
            convert = convert_lightgbm if library == "lightgbm" else convert_xgboost
            onx = convert(model, initial_types=types)
            name = f"{library}_{task}"
            onnx.save(onx, corpus.model_path(name))
            exporter = f"{library} {version(library)} {tools}"
            if task == "regression":
                corpus.add(name, data_set, exporter, "value", model.predict(rows))
            else:
                output = onx.graph.output[1].name
                corpus.add(name, data_set, exporter, "probabilities", model.predict_proba(rows), output=output)


# ----------------------------------------------------------------------------- main

def main():
    random.seed(SEED)
    np.random.seed(SEED)
    for sub in ("models", "expected", "rows"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
        os.makedirs(os.path.join(HERE, sub))
    sets = load_data_sets()
    for data_set in sets.values():
        write_rows(data_set, HERE)
    corpus = Corpus(HERE, sets)
    only = set(sys.argv[1:]) or {"torch", "keras", "sklearn", "boosting"}
    builders = {"torch": torch_models, "keras": keras_models, "sklearn": sklearn_models,
                "boosting": boosting_models}
    for key, build in builders.items():
        if key in only:
            build(corpus)
    corpus.write_manifest()
    total = sum(os.path.getsize(os.path.join(root, f)) for sub in ("models", "expected", "rows")
                for root, _, files in os.walk(os.path.join(HERE, sub)) for f in files)
    print(f"{len(corpus.entries)} models, {total} bytes")


if __name__ == "__main__":
    main()
