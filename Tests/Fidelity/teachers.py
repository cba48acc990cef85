"""The teachers: fitted once per dataset, exported to ONNX, cached, and asked with onnxruntime.

A teacher is fitted once, with a fixed seed, on all rows of its table: students are judged
by agreement with the teacher, not with the truth, so the teacher seeing the held-out rows
costs the benchmark nothing, and one teacher serves all five splits.

- A table with text columns gets what a real pipeline would be: a ColumnTransformer that
  imputes and one-hot encodes text (SimpleImputer + OneHotEncoder(handle_unknown='ignore'))
  and imputes and standardises numbers (SimpleImputer(median) + StandardScaler), then the
  model. skl2onnx exports it with one input per CSV column, named like the column: a
  string [N, 1] for text (missing as ''), a float [N, 1] for a number (missing as NaN).
  Distill binds those inputs by column name.
- An all-numeric table gets StandardScaler + model, exported with one float input [N, p]
  that takes the feature columns in the CSV's order.
- The model is a scikit-learn MLP, or for the `+lightgbm` datasets a LightGBM model
  exported through onnxmltools' converter (ai.onnx.ml TreeEnsembleClassifier/Regressor)
  inside the same pipeline, so the one-hot encoding lives in the ONNX graph too.
- The samples keep their shipped teacher.onnx.

The peers are given the teacher's answers as computed here by onnxruntime from the CSV
rows, independently of Distill.
"""
import json
import os
import warnings

import numpy as np
import onnx
import onnxruntime as ort

from datasets import ROOT, features, text_columns

SEED = 0
# ai.onnx opset 17 was released with ONNX 1.12, which pairs it with ai.onnx.ml 3.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def _preprocess(frame, dataset, scale):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    text = text_columns(frame, dataset)
    numbers = [c for c in features(frame, dataset) if c not in text]
    number_steps = [("impute", SimpleImputer(strategy="median"))] + ([("scale", StandardScaler())] if scale else [])
    return ColumnTransformer([
        ("text", Pipeline([
            ("impute", SimpleImputer(missing_values="", strategy="constant", fill_value="missing")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]), text),
        ("numbers", Pipeline(number_steps), numbers),
    ])


def _model(dataset):
    if dataset.teacher == "lightgbm":
        import lightgbm
        settings = dict(n_estimators=100, num_leaves=15, learning_rate=0.1, random_state=SEED,
                        n_jobs=1, deterministic=True, verbose=-1)
        regression = dataset.task == "regression"
        return lightgbm.LGBMRegressor(**settings) if regression else lightgbm.LGBMClassifier(**settings)
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    if dataset.task == "regression":
        # Early stopping on a seeded tenth keeps a regressor from memorising the noise.
        return MLPRegressor(hidden_layer_sizes=(32, 16), alpha=1e-3, learning_rate_init=0.01, max_iter=500,
                            early_stopping=True, random_state=SEED)
    # Not for a classifier: its validation accuracy starts on the majority class's plateau,
    # where early stopping ended attrition's, lending_club's and Caravan's teachers as
    # near-constant answers, which any student imitates. An L2 penalty tempers them instead.
    return MLPClassifier(hidden_layer_sizes=(32, 16), alpha=0.1, max_iter=200, random_state=SEED)


def _register_lightgbm():
    """Teaches skl2onnx to export LightGBM models inside a pipeline with onnxmltools' converter."""
    import lightgbm
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (calculate_linear_classifier_output_shapes,
                                                  calculate_linear_regressor_output_shapes)
    update_registered_converter(lightgbm.LGBMClassifier, "LightGbmLGBMClassifier",
                                calculate_linear_classifier_output_shapes, convert_lightgbm,
                                options={"nocl": [True, False], "zipmap": [True, False, "columns"]})
    update_registered_converter(lightgbm.LGBMRegressor, "LightGbmLGBMRegressor",
                                calculate_linear_regressor_output_shapes, convert_lightgbm,
                                options={"split": None})


def _training_inputs(frame, dataset):
    """What the pipeline is fitted on: text with missing as '' (as the ONNX graph gets it)."""
    X = frame[features(frame, dataset)].copy()
    for name in text_columns(frame, dataset):
        X[name] = X[name].where(X[name].notna(), "").astype(str)
    return X


def _fit_and_export(dataset, table):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    text = text_columns(table, dataset)
    names = features(table, dataset)
    X = _training_inputs(table, dataset)
    y = table[dataset.label].to_numpy()
    if text:
        steps = [("preprocess", _preprocess(table, dataset, scale=dataset.teacher == "mlp"))]
        initial_types = [(c, StringTensorType([None, 1]) if c in text else FloatTensorType([None, 1])) for c in names]
    else:
        steps = [("scale", StandardScaler())]
        X = X.to_numpy(dtype=np.float32)
        initial_types = [("input", FloatTensorType([None, len(names)]))]
    pipeline = Pipeline(steps + [("model", _model(dataset))])
    with warnings.catch_warnings():
        # A teacher stopped at max_iter is still a teacher; its quality is recorded.
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(X, y)
    if dataset.teacher == "lightgbm":
        _register_lightgbm()
    options = {id(pipeline.steps[-1][1]): {"zipmap": False}} if dataset.task == "classification" else None
    model = convert_sklearn(pipeline, name=f"{dataset.name}_teacher", initial_types=initial_types,
                            target_opset=TARGET_OPSET, options=options)
    return pipeline, model, pipeline.score(X, y)


def _save(path, model):
    # Opset imports sorted: the converter collects them in a set, so their order varies.
    opsets = sorted(model.opset_import, key=lambda o: o.domain)
    del model.opset_import[:]
    model.opset_import.extend(opsets)
    onnx.checker.check_model(model)
    partial = path + ".partial"
    with open(partial, "wb") as handle:
        handle.write(model.SerializeToString(deterministic=True))
    os.replace(partial, path)


def teacher_file(dataset, table, work):
    """The dataset's teacher.onnx, fitted and exported when it is not cached yet."""
    if dataset.teacher == "shipped":
        return os.path.join(ROOT, "Samples", dataset.source[1], "teacher.onnx")
    folder = os.path.join(work, "teachers", dataset.name)
    path = os.path.join(folder, "teacher.onnx")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        _, model, score = _fit_and_export(dataset, table)
        with open(os.path.join(folder, "teacher.json"), "w") as handle:
            metric = "accuracy" if dataset.task == "classification" else "r2"
            json.dump({"kind": dataset.teacher, f"{metric}_on_all_rows": score}, handle, indent=1)
        _save(path, model)
    return path


def teacher_summary(dataset, work):
    """What teacher.json recorded about the fit, or {} for a shipped teacher."""
    path = os.path.join(work, "teachers", dataset.name, "teacher.json")
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return json.load(handle)


def _session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def _feeds(session, frame, names):
    """The model's inputs from CSV rows: by column name, or all features into one wide input."""
    inputs = session.get_inputs()
    if len(inputs) == 1 and inputs[0].name not in names:
        return {inputs[0].name: frame[names].to_numpy(dtype=np.float32)}
    feeds = {}
    for spec in inputs:
        column = frame[spec.name]
        if spec.type == "tensor(string)":
            values = column.where(column.notna(), "").astype(str).to_numpy(dtype=object)
        else:
            values = column.to_numpy(dtype=np.float32)
        feeds[spec.name] = values.reshape(-1, 1)
    return feeds


def _answer_output(session, task):
    """The output a student imitates: the probability matrix, or the regression value."""
    floats = [o for o in session.get_outputs() if o.type == "tensor(float)"]
    if task == "classification":
        named = [o for o in floats if o.name == "probabilities"]
        return (named or floats)[-1].name
    return floats[0].name


def teacher_answers(path, frame, dataset):
    """The teacher's answers on the rows: probabilities [N, classes] or values [N]."""
    session = _session(path)
    output = _answer_output(session, dataset.task)
    (answer,) = session.run([output], _feeds(session, frame, features(frame, dataset)))
    answer = np.asarray(answer, dtype=np.float64)
    return answer if dataset.task == "classification" else answer.reshape(-1)
