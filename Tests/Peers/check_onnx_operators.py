#!/usr/bin/env python3
"""Peer check of the ONNX operators of current exporters against onnxruntime.

Two sets of models, each labelled by `distill label` and by onnxruntime on the same rows,
failing unless every output agrees within 1e-5:

- real torch exports committed under fixtures/torch_ops/ (LayerNorm, F.normalize, Mish,
  Hardswish, CELU, Softsign, x[:, a:b] slices, a float64 MLP, by the TorchScript exporter
  at opset 17 and the dynamo exporter at opset 18, and a default `torch.onnx.export` whose
  weights sit in model.onnx.data), made by make_torch_ops_fixtures.py; onnxruntime is run
  on them here, and its values must also match the ones stored when they were made;
- operator variants built here with the onnx helper API at each opset where an
  operator's form changed: reductions with axes as attribute or input, Slice with
  attributes (opset 9) or inputs (negative, clamped, stepped), Split by attribute, input
  and num_outputs, Mod with fmod 0 and 1, comparisons and logic, Min/Max/Sum, the shape
  arithmetic of Shape → Gather → ConstantOfShape/Expand, Range, LayerNormalization, and
  a float64 graph.

    python3 Tests/Peers/check_onnx_operators.py PATH/TO/distill

Needs numpy, onnx and onnxruntime.
"""

import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "torch_ops")
TOLERANCE = 1e-5
WIDTH = 6


def read_matrix(path, columns=None):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    picked = [header.index(c) for c in columns] if columns else range(len(header))
    return header, np.array([[float(row[i]) for i in picked] for row in rows], dtype=np.float64)


def onnxruntime_outputs(model_path, X):
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    dtype = np.float64 if inp.type == "tensor(double)" else np.float32
    return session.run(None, {inp.name: X.astype(dtype)})[0].reshape(len(X), -1).astype(np.float64)


def distill_outputs(distill, model_path, rows_csv, out_csv, width):
    run = subprocess.run([distill, "label", "--teacher", model_path, "--data", rows_csv, "--out", out_csv],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"distill label exited {run.returncode}: {run.stderr.strip()[:500]}")
    header, _ = read_matrix(out_csv)
    wanted = [c for c in header if c.startswith("teacher_p_")] or ["teacher_value"]
    if len(wanted) != width:
        raise RuntimeError(f"distill wrote {wanted}, expected {width} output columns")
    return read_matrix(out_csv, wanted)[1]


def compare(name, got, expected):
    diff = float(np.max(np.abs(got - expected))) if got.size else 0.0
    ok = got.shape == expected.shape and diff <= TOLERANCE
    print(f"{'ok  ' if ok else 'FAIL'} {name}: max |difference| {diff:.2e}")
    return ok


# --- operator variants built with the helper API -----------------------------------------

def _c(name, array, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name=name)


def _model(nodes, inits, opset, outputs_width, input_type=TensorProto.FLOAT):
    """x [N, 6] → nodes → 'feat' [N, k] → Softmax → y."""
    nodes = nodes + [helper.make_node("Softmax", ["feat"], ["y"], axis=1 if opset < 13 else -1)]
    graph = helper.make_graph(
        nodes, "ops", [helper.make_tensor_value_info("x", input_type, ["N", WIDTH])],
        [helper.make_tensor_value_info("y", input_type, ["N", outputs_width])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def reductions(opset):
    """x minus its mean, and its L2 norm, sum, max and min per row, with keepdims."""
    nodes, inits = [], []
    as_input = opset >= 18
    for op in ("ReduceMean", "ReduceL2", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceSumSquare", "ReduceL1"):
        input_form = as_input or (op == "ReduceSum" and opset >= 13)
        if input_form:
            inits.append(_c(f"{op}_axes", [1], np.int64))
            nodes.append(helper.make_node(op, ["x", f"{op}_axes"], [op], keepdims=1))
        else:
            nodes.append(helper.make_node(op, ["x"], [op], axes=[-1], keepdims=1))
    nodes.append(helper.make_node("Sub", ["x", "ReduceMean"], ["centred"]))
    nodes.append(helper.make_node("Concat", ["centred", "ReduceL2", "ReduceSum", "ReduceMax", "ReduceMin",
                                             "ReduceSumSquare", "ReduceL1"], ["joined"], axis=1))
    inits.append(_c("scale", [0.2]))
    nodes.append(helper.make_node("Mul", ["joined", "scale"], ["feat"]))
    return _model(nodes, inits, opset, WIDTH + 6)


def slices(opset):
    """Columns 1..3, the last three reversed, every second one and an over-long slice."""
    nodes, inits = [], []
    if opset < 10:
        nodes.append(helper.make_node("Slice", ["x"], ["a"], starts=[1], ends=[4], axes=[1]))
        nodes.append(helper.make_node("Slice", ["x"], ["b"], starts=[0, -3], ends=[2**62, 1000], axes=[0, 1]))
        parts = ["a", "b"]
    else:
        specs = {"a": ([1], [4], [1], [1]), "b": ([-1], [-4], [1], [-1]), "c": ([0], [2**63 - 1], [-1], [2]),
                 "d": ([-100], [3], [1], [1])}
        for name, (s, e, a, st) in specs.items():
            for part, v in zip(("s", "e", "a", "st"), (s, e, a, st)):
                inits.append(_c(f"{name}_{part}", v, np.int64))
            nodes.append(helper.make_node("Slice", ["x", f"{name}_s", f"{name}_e", f"{name}_a", f"{name}_st"], [name]))
        parts = list(specs)
    nodes.append(helper.make_node("Concat", parts, ["feat"], axis=1))
    return _model(nodes, inits, opset, 6 if opset < 10 else 3 + 3 + 3 + 3)


def splits(opset):
    """x cut into [2, 4] (attribute or input), or the first five columns into two parts."""
    nodes, inits = [], []
    if opset < 13:
        nodes.append(helper.make_node("Split", ["x"], ["p", "q"], axis=1, split=[2, 4]))
    elif opset < 18:
        inits.append(_c("sizes", [2, 4], np.int64))
        nodes.append(helper.make_node("Split", ["x", "sizes"], ["p", "q"], axis=1))
    else:
        inits += [_c("s0", [0], np.int64), _c("s5", [5], np.int64), _c("s1", [1], np.int64)]
        nodes.append(helper.make_node("Slice", ["x", "s0", "s5", "s1"], ["five"]))
        nodes.append(helper.make_node("Split", ["five"], ["p", "q"], axis=1, num_outputs=2))
    inits.append(_c("two", [2.0]))
    nodes.append(helper.make_node("Mul", ["q", "two"], ["q2"]))
    nodes.append(helper.make_node("Concat", ["q2", "p"], ["feat"], axis=1))
    return _model(nodes, inits, opset, 6 if opset < 18 else 5)


def elementwise(opset):
    """Activations, rounding, Mod, comparisons with Where, logic, Min/Max/Sum."""
    inits = [_c("half", [0.5]), _c("tenth", [0.1]), _c("three", [3.0]), _c("ithree", [-3], np.int64),
             _c("k", [1.7])]
    nodes = [
        helper.make_node("Mish", ["x"], ["mish"]), helper.make_node("HardSwish", ["x"], ["hswish"]),
        helper.make_node("Celu", ["x"], ["celu"], alpha=0.6), helper.make_node("Softsign", ["x"], ["softsign"]),
        helper.make_node("ThresholdedRelu", ["x"], ["trelu"], alpha=0.4),
        helper.make_node("Mul", ["x", "three"], ["x3"]),
        helper.make_node("Floor", ["x3"], ["floor"]), helper.make_node("Ceil", ["x3"], ["ceil"]),
        helper.make_node("Sign", ["x"], ["sign"]),
        helper.make_node("Mod", ["x3", "k"], ["fmod"], fmod=1),
        helper.make_node("Cast", ["floor"], ["ifloor"], to=TensorProto.INT64),
        helper.make_node("Mod", ["ifloor", "ithree"], ["imod"]),
        helper.make_node("Cast", ["imod"], ["mod"], to=TensorProto.FLOAT),
        helper.make_node("Greater", ["x", "half"], ["gt"]), helper.make_node("LessOrEqual", ["x", "tenth"], ["le"]),
        helper.make_node("Less", ["x", "half"], ["lt"]), helper.make_node("GreaterOrEqual", ["x", "tenth"], ["ge"]),
        helper.make_node("Equal", ["ifloor", "ithree"], ["eq"]),
        helper.make_node("And", ["gt", "ge"], ["and"]), helper.make_node("Or", ["le", "eq"], ["or"]),
        helper.make_node("Xor", ["and", "lt"], ["xor"]), helper.make_node("Not", ["xor"], ["not"]),
        helper.make_node("Where", ["not", "x", "celu"], ["picked"]),
        helper.make_node("Where", ["or", "mish", "softsign"], ["picked2"]),
        helper.make_node("Max", ["hswish", "trelu", "sign"], ["max"]),
        helper.make_node("Min", ["fmod", "mod", "ceil"], ["min"]),
        helper.make_node("Sum", ["picked", "picked2", "floor"], ["sum"]),
        helper.make_node("Concat", ["max", "min", "sum"], ["joined"], axis=1),
        helper.make_node("Mul", ["joined", "tenth"], ["feat"]),
    ]
    return _model(nodes, inits, opset, 3 * WIDTH)


def shape_logic(opset):
    """torch's shape arithmetic: Shape → Gather → Unsqueeze → Concat → ConstantOfShape and
    Expand to [N, 3]; Equal/Where on the shape vector; Range added per column;
    LayerNormalization over the row."""
    i64 = np.int64
    inits = [_c("zero", 0, i64), _c("three_v", [3], i64), _c("bias", [[0.5, -1.0, 2.0]]), _c("start", 0.0),
             _c("limit", 6.0), _c("delta", 1.0), _c("gamma", np.linspace(0.5, 1.5, WIDTH)),
             _c("beta", np.linspace(-0.2, 0.3, WIDTH)), _c("minus1", [-1], i64), _c("s0", [0], i64),
             _c("s3", [3], i64), _c("ax1", [1], i64), _c("ax0", [0], i64)]
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"]),
        helper.make_node("Concat", ["n1", "three_v"], ["n3"], axis=0),
        helper.make_node("ConstantOfShape", ["n3"], ["ones"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
        helper.make_node("Expand", ["bias", "n3"], ["bias_n"]),
        # Where(Equal(shape, -1), 1, shape) as torch writes for reshape targets.
        helper.make_node("Equal", ["n3", "minus1"], ["is_minus"]),
        helper.make_node("ConstantOfShape", ["three_v2"], ["ones_i"],
                         value=helper.make_tensor("w", TensorProto.INT64, [1], [1])),
        helper.make_node("Where", ["is_minus", "ones_i", "n3"], ["target"]),
        helper.make_node("Slice", ["x", "s0", "s3", "ax1"], ["x3"]),
        helper.make_node("Expand", ["x3", "target"], ["x3e"]),
        helper.make_node("Mul", ["x3e", "ones"], ["prod"]),
        helper.make_node("Add", ["prod", "bias_n"], ["left"]),
        helper.make_node("Range", ["start", "limit", "delta"], ["steps"]),
        helper.make_node("Add", ["x", "steps"], ["shifted"]),
        helper.make_node("LayerNormalization", ["shifted", "gamma", "beta"], ["normed"], axis=-1, epsilon=1e-3),
        helper.make_node("Concat", ["left", "normed"], ["feat"], axis=1),
    ]
    inits.append(_c("three_v2", [2], i64))
    return _model(nodes, inits, opset, 3 + WIDTH)


def double_graph(opset):
    """A float64 MLP as skl2onnx writes one for float64 data: MatMul, Add, Relu, Gemm."""
    rng = np.random.default_rng(7)
    f64 = np.float64
    inits = [_c("w1", rng.normal(size=(WIDTH, 8)), f64), _c("b1", rng.normal(size=8), f64),
             _c("w2", rng.normal(size=(3, 8)), f64), _c("b2", rng.normal(size=3), f64)]
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["hb"]),
             helper.make_node("Sigmoid", ["hb"], ["a"]),
             helper.make_node("Gemm", ["a", "w2", "b2"], ["feat"], transB=1)]
    return _model(nodes, inits, opset, 3, input_type=TensorProto.DOUBLE)


def helper_models():
    yield from ((f"reductions_opset{o}", reductions(o)) for o in (11, 13, 18))
    yield from ((f"slice_opset{o}", slices(o)) for o in (9, 13))
    yield from ((f"split_opset{o}", splits(o)) for o in (11, 13, 18))
    yield "elementwise_opset18", elementwise(18)
    yield "shape_logic_opset17", shape_logic(17)
    yield "double_opset13", double_graph(13)


def main():
    distill = os.path.abspath(sys.argv[1])
    failures = 0
    rows_csv = os.path.join(FIXTURES, "rows.csv")
    _, X = read_matrix(rows_csv)
    with tempfile.TemporaryDirectory() as tmp:
        out_csv = os.path.join(tmp, "labelled.csv")
        fixtures = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".onnx"))
        fixtures.append(os.path.join("default_export", "model.onnx"))
        for name in fixtures:
            path = os.path.join(FIXTURES, name)
            try:
                expected = onnxruntime_outputs(path, X)
                _, stored = read_matrix(path[:-len(".onnx")] + ".expected.csv")
                if not np.allclose(expected, stored, rtol=0, atol=1e-6):
                    raise RuntimeError("onnxruntime no longer gives the values stored with the fixture")
                ok = compare(name, distill_outputs(distill, path, rows_csv, out_csv, expected.shape[1]), expected)
            except Exception as e:  # a failure of one model is reported, the others still run
                print(f"FAIL {name}: {e}")
                ok = False
            failures += not ok
        for name, model in helper_models():
            path = os.path.join(tmp, name + ".onnx")
            onnx.save(model, path)
            try:
                expected = onnxruntime_outputs(path, X)
                ok = compare(name, distill_outputs(distill, path, rows_csv, out_csv, expected.shape[1]), expected)
            except Exception as e:
                print(f"FAIL {name}: {e}")
                ok = False
            failures += not ok
    print(f"{failures} failure(s)" if failures else "every model agrees with onnxruntime within 1e-5")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
