"""Builders for the four ONNX exporter families Distill's evaluator is checked against.

Shared by make_onnx_fixtures.py (tiny committed fixtures) and onnx_conformance.py
(larger models built in a temporary folder). Families 1 and 3 are written with the onnx
helper API, following the node patterns, names and attribute use of torch.onnx.export and
tf2onnx, so no deep-learning framework is needed; families 2 and 4 are real scikit-learn
pipelines converted by skl2onnx. Every builder takes a seed and is deterministic.
"""

import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

warnings.filterwarnings("ignore")


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array), name=name)


def _model(graph, opset, producer, version, ml_opset=None):
    imports = [helper.make_opsetid("", opset)]
    if ml_opset is not None:
        imports.append(helper.make_opsetid("ai.onnx.ml", ml_opset))
    model = helper.make_model(graph, opset_imports=imports, producer_name=producer, producer_version=version)
    model.ir_version = 7 if opset <= 13 else 8
    onnx.checker.check_model(model)
    return model


def torch_mlp(seed, inputs=4, hidden=(8, 8), classes=3, opset=13, activation="Relu", regression=False):
    """An nn.Sequential MLP as torch.onnx.export writes it: Flatten, Gemm(transB=1) with
    `N.weight` [out, in] initializers, activations, an eval-mode Dropout, and a final
    Softmax(axis=1) for a classifier (a plain Gemm output for a regressor)."""
    rng = np.random.default_rng(seed)
    nodes, inits = [], []
    x = "input"
    nodes.append(helper.make_node("Flatten", [x], ["/flatten/Flatten_output_0"], name="/flatten/Flatten", axis=1))
    x = "/flatten/Flatten_output_0"
    width = inputs
    layer = 0
    for i, h in enumerate(hidden):
        w = (rng.normal(size=(h, width)) / np.sqrt(width)).astype(np.float32)
        b = rng.normal(scale=0.1, size=h).astype(np.float32)
        inits += [_init(f"{layer}.weight", w), _init(f"{layer}.bias", b)]
        out = f"/{layer}/Gemm_output_0"
        nodes.append(helper.make_node("Gemm", [x, f"{layer}.weight", f"{layer}.bias"], [out], name=f"/{layer}/Gemm",
                                      alpha=1.0, beta=1.0, transB=1))
        act = activation if i % 2 == 0 else ("LeakyRelu" if activation == "Relu" else "Relu")
        attrs = {"alpha": 0.1} if act == "LeakyRelu" else {}
        nodes.append(helper.make_node(act, [out], [f"/{layer + 1}/{act}_output_0"], name=f"/{layer + 1}/{act}", **attrs))
        x = f"/{layer + 1}/{act}_output_0"
        if i == 0:
            nodes.append(helper.make_node("Dropout", [x], [f"/{layer + 2}/Dropout_output_0"], name=f"/{layer + 2}/Dropout"))
            x = f"/{layer + 2}/Dropout_output_0"
            layer += 1
        layer += 2
        width = h
    out_width = 1 if regression else classes
    w = (rng.normal(size=(out_width, width)) / np.sqrt(width)).astype(np.float32)
    b = rng.normal(scale=0.1, size=out_width).astype(np.float32)
    inits += [_init(f"{layer}.weight", w), _init(f"{layer}.bias", b)]
    if regression:
        nodes.append(helper.make_node("Gemm", [x, f"{layer}.weight", f"{layer}.bias"], ["output"], name=f"/{layer}/Gemm",
                                      alpha=1.0, beta=1.0, transB=1))
    else:
        nodes.append(helper.make_node("Gemm", [x, f"{layer}.weight", f"{layer}.bias"], [f"/{layer}/Gemm_output_0"],
                                      name=f"/{layer}/Gemm", alpha=1.0, beta=1.0, transB=1))
        nodes.append(helper.make_node("Softmax", [f"/{layer}/Gemm_output_0"], ["output"], name=f"/{layer + 1}/Softmax", axis=1))
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch_size", inputs])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch_size", out_width])],
        initializer=inits)
    return _model(graph, opset, "pytorch", "2.1.0")


def keras_dense(seed, inputs=4, hidden=8, classes=3, opset=13):
    """A Keras Dense stack as tf2onnx writes it: MatMul on [in, out] kernels plus a BiasAdd
    Add, Elu, a BatchNormalization run on [N, C, 1] between Unsqueeze and Squeeze, ReLU6
    as Clip(0, 6), a Transpose pair, Tanh and a Softmax, ending in an Identity. Before
    opset 13 Squeeze/Unsqueeze take axes as attributes; before 11 Clip takes min/max as
    attributes."""
    rng = np.random.default_rng(seed)
    p = "sequential"
    inits, nodes = [], []

    def dense(x, name, fan_in, fan_out):
        w = (rng.normal(size=(fan_in, fan_out)) / np.sqrt(fan_in)).astype(np.float32)
        b = rng.normal(scale=0.1, size=fan_out).astype(np.float32)
        inits.extend([_init(f"{p}/{name}/MatMul/ReadVariableOp:0", w), _init(f"{p}/{name}/BiasAdd/ReadVariableOp:0", b)])
        nodes.append(helper.make_node("MatMul", [x, f"{p}/{name}/MatMul/ReadVariableOp:0"], [f"{p}/{name}/MatMul:0"],
                                      name=f"{p}/{name}/MatMul"))
        nodes.append(helper.make_node("Add", [f"{p}/{name}/MatMul:0", f"{p}/{name}/BiasAdd/ReadVariableOp:0"],
                                      [f"{p}/{name}/BiasAdd:0"], name=f"{p}/{name}/BiasAdd"))
        return f"{p}/{name}/BiasAdd:0"

    x = dense("dense_input", "dense", inputs, hidden)
    nodes.append(helper.make_node("Elu", [x], [f"{p}/dense/Elu:0"], name=f"{p}/dense/Elu", alpha=1.0))
    x = f"{p}/dense/Elu:0"
    if opset >= 13:
        inits.append(_init("const_axes__12", np.array([2], dtype=np.int64)))
        nodes.append(helper.make_node("Unsqueeze", [x, "const_axes__12"], ["bn_unsqueeze:0"], name="Unsqueeze__13"))
    else:
        nodes.append(helper.make_node("Unsqueeze", [x], ["bn_unsqueeze:0"], name="Unsqueeze__13", axes=[2]))
    gamma = rng.uniform(0.5, 1.5, hidden).astype(np.float32)
    beta = rng.normal(scale=0.1, size=hidden).astype(np.float32)
    mean = rng.normal(scale=0.5, size=hidden).astype(np.float32)
    var = rng.uniform(0.5, 2.0, hidden).astype(np.float32)
    for n, v in [("gamma", gamma), ("beta", beta), ("moving_mean", mean), ("moving_variance", var)]:
        inits.append(_init(f"{p}/batch_normalization/{n}:0", v))
    nodes.append(helper.make_node(
        "BatchNormalization",
        ["bn_unsqueeze:0"] + [f"{p}/batch_normalization/{n}:0" for n in ["gamma", "beta", "moving_mean", "moving_variance"]],
        ["bn_out:0"], name=f"{p}/batch_normalization/FusedBatchNormV3", epsilon=0.001))
    if opset >= 13:
        nodes.append(helper.make_node("Squeeze", ["bn_out:0", "const_axes__12"], [f"{p}/batch_normalization/add_1:0"],
                                      name="Squeeze__14"))
    else:
        nodes.append(helper.make_node("Squeeze", ["bn_out:0"], [f"{p}/batch_normalization/add_1:0"], name="Squeeze__14",
                                      axes=[2]))
    x = dense(f"{p}/batch_normalization/add_1:0", "dense_1", hidden, hidden)
    if opset >= 11:
        inits += [_init("clip_min__15", np.array(0, dtype=np.float32)), _init("clip_max__16", np.array(6, dtype=np.float32))]
        nodes.append(helper.make_node("Clip", [x, "clip_min__15", "clip_max__16"], [f"{p}/dense_1/Relu6:0"],
                                      name=f"{p}/dense_1/Relu6"))
    else:
        nodes.append(helper.make_node("Clip", [x], [f"{p}/dense_1/Relu6:0"], name=f"{p}/dense_1/Relu6", min=0.0, max=6.0))
    nodes.append(helper.make_node("Transpose", [f"{p}/dense_1/Relu6:0"], ["transpose_a:0"], name="Transpose__17", perm=[1, 0]))
    nodes.append(helper.make_node("Tanh", ["transpose_a:0"], ["tanh_t:0"], name=f"{p}/dense_1/Tanh"))
    nodes.append(helper.make_node("Transpose", ["tanh_t:0"], ["transpose_b:0"], name="Transpose__18", perm=[1, 0]))
    x = dense("transpose_b:0", "dense_2", hidden, classes)
    nodes.append(helper.make_node("Softmax", [x], [f"{p}/dense_2/Softmax:0"], name=f"{p}/dense_2/Softmax",
                                  axis=-1 if opset >= 13 else 1))
    nodes.append(helper.make_node("Identity", [f"{p}/dense_2/Softmax:0"], ["dense_2"], name="Identity__19"))
    graph = helper.make_graph(
        nodes, "tf2onnx",
        [helper.make_tensor_value_info("dense_input", TensorProto.FLOAT, ["unk__20", inputs])],
        [helper.make_tensor_value_info("dense_2", TensorProto.FLOAT, ["unk__21", classes])],
        initializer=inits)
    return _model(graph, opset, "tf2onnx", "1.16.1 15c810", ml_opset=2)


def sklearn_mlp(seed, inputs=4, hidden=(8,), classes=3, regression=False, scaler="standard", labels="string",
                opset=13, rows=300):
    """Pipeline(StandardScaler or MinMaxScaler, MLPClassifier or MLPRegressor) converted by
    skl2onnx with zipmap off. Returns (model, X) with X the training rows."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, inputs)).astype(np.float32) * 3 + 1
    scale = StandardScaler() if scaler == "standard" else MinMaxScaler()
    if regression:
        y = X @ rng.normal(size=inputs) + np.sin(X[:, 0])
        est = MLPRegressor(hidden_layer_sizes=hidden, max_iter=200, random_state=seed)
    else:
        k = np.argmax(X @ rng.normal(size=(inputs, classes)), axis=1)
        names = {"string": np.array([f"class_{c}" for c in "abcdefghij"])[:classes],
                 "int": np.arange(classes, dtype=np.int64) * 10 + 3}[labels]
        y = names[k]
        est = MLPClassifier(hidden_layer_sizes=hidden, max_iter=200, random_state=seed)
    pipe = Pipeline([("scale", scale), ("mlp", est)]).fit(X, y)
    options = {} if regression else {id(est): {"zipmap": False}}
    model = convert_sklearn(pipe, initial_types=[("input", FloatTensorType([None, inputs]))], options=options,
                            target_opset={"": opset, "ai.onnx.ml": 1})
    return stable(model, "sklearn_mlp"), X


def column_frame(seed, rows, missing=0.1, unseen=False):
    """Rows of the mixed data set used by `sklearn_columns`: two text columns (with ""
    for missing) and two numeric ones (NaN for missing); `unseen` adds levels the pipeline
    never saw."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    colors = np.array(["red", "green", "blue"] + (["purple"] if unseen else []))
    sizes = np.array(["S", "M", "L"] + (["XL"] if unseen else []))
    color = colors[rng.integers(0, len(colors), rows)]
    size = sizes[rng.integers(0, len(sizes), rows)]
    color[rng.random(rows) < missing] = ""
    size[rng.random(rows) < missing] = ""
    age = rng.normal(40, 12, rows).astype(np.float32)
    income = rng.normal(5, 2, rows).astype(np.float32)
    age[rng.random(rows) < missing] = np.nan
    income[rng.random(rows) < missing] = np.nan
    return pd.DataFrame({"color": color, "size": size, "age": age, "income": income})


def sklearn_columns(seed, hidden=(8,), opset=13, rows=400, binary=True):
    """ColumnTransformer with one ONNX input per column: SimpleImputer(missing "",
    constant) + OneHotEncoder on the text columns, SimpleImputer + StandardScaler on the
    numeric ones, then an MLPClassifier; converted by skl2onnx with zipmap off."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(seed + 1)
    df = column_frame(seed, rows)
    score = (df["color"] == "red") * 1.0 + (df["size"] == "L") * 0.8 + np.nan_to_num(df["age"] - 40) / 12
    if binary:
        y = np.where(score + rng.normal(scale=0.5, size=rows) > 0.6, "yes", "no")
    else:
        y = np.digitize(score + rng.normal(scale=0.5, size=rows), [0.2, 1.0]).astype(np.int64)
    text = Pipeline([("impute", SimpleImputer(missing_values="", strategy="constant", fill_value="missing")),
                     ("onehot", OneHotEncoder(handle_unknown="ignore"))])
    numeric = Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())])
    ct = ColumnTransformer([("text", text, ["color", "size"]), ("num", numeric, ["age", "income"])])
    est = MLPClassifier(hidden_layer_sizes=hidden, max_iter=300, random_state=seed)
    pipe = Pipeline([("columns", ct), ("mlp", est)]).fit(df, y)
    types = [("color", StringTensorType([None, 1])), ("size", StringTensorType([None, 1])),
             ("age", FloatTensorType([None, 1])), ("income", FloatTensorType([None, 1]))]
    model = convert_sklearn(pipe, initial_types=types, options={id(est): {"zipmap": False}},
                            target_opset={"": opset, "ai.onnx.ml": 2})
    return stable(model, "sklearn_columns"), df


def stable(model, name):
    """skl2onnx names the graph with a random UUID; a fixed name keeps files reproducible."""
    model.graph.name = name
    return model


def frame_feeds(df):
    """onnxruntime feeds for the per-column model: [N, 1] tensors."""
    return {
        "color": df["color"].to_numpy(dtype=object).reshape(-1, 1),
        "size": df["size"].to_numpy(dtype=object).reshape(-1, 1),
        "age": df["age"].to_numpy(dtype=np.float32).reshape(-1, 1),
        "income": df["income"].to_numpy(dtype=np.float32).reshape(-1, 1),
    }


def run_onnxruntime(model, feeds, threads=1):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))
