#!/usr/bin/env python3
"""Writes the torch-exported fixtures of check_onnx_operators.py (fixtures/torch_ops/).

Each case is a small torch model using one layer Distill's evaluator gained for current
exporters (LayerNorm, F.normalize, Mish, Hardswish, CELU, Softsign, slicing x[:, a:b], a
double-precision MLP), exported by the TorchScript exporter at opset 17 and by the dynamo
exporter at opset 18; plus one model saved by a default `torch.onnx.export` call, which
keeps its weights in `model.onnx.data` beside the model. Beside each model: the CSV rows
it is checked on and onnxruntime's outputs for them (`NAME.expected.csv`).

CI does not install torch: the files are committed, and check_onnx_operators.py needs
only onnxruntime. Deterministic for fixed library versions (seeded).

    pip install torch onnxscript   # then
    python3 Tests/Peers/make_torch_ops_fixtures.py [OUTPUT_DIR]
"""

import csv
import os
import shutil
import sys

import numpy as np
import onnxruntime as ort
import torch
import torch.nn.functional as F
from torch import nn

from onnx_scrub import drop_stack_traces

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "fixtures", "torch_ops")
ROWS = 48
WIDTH = 6


class Normalized(nn.Module):
    """F.normalize before a linear head: ReduceL2, Clip, Expand, Div in the export."""

    def __init__(self):
        super().__init__()
        self.head = nn.Linear(WIDTH, 3)

    def forward(self, x):
        return torch.softmax(self.head(F.normalize(x, dim=1)), dim=1)


class Sliced(nn.Module):
    """Columns 1..4 and every other column, as x[:, a:b] and x[:, ::2]: Slice."""

    def __init__(self):
        super().__init__()
        self.head = nn.Linear(4 + 3, 3)

    def forward(self, x):
        return torch.softmax(self.head(torch.cat([x[:, 1:5], x[:, ::2]], dim=1)), dim=1)


def mlp(activation, norm=None, classes=3):
    layers = [nn.Linear(WIDTH, 16)]
    if norm is not None:
        layers.append(norm)
    layers += [activation, nn.Linear(16, classes)]
    if classes > 1:
        layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


def cases():
    """(name, module, dtype) for every layer, before export."""
    return [
        ("layernorm", mlp(nn.ReLU(), nn.LayerNorm(16)), torch.float32),
        ("normalize", Normalized(), torch.float32),
        ("mish", mlp(nn.Mish()), torch.float32),
        ("hardswish", mlp(nn.Hardswish()), torch.float32),
        ("celu", mlp(nn.CELU(alpha=0.7)), torch.float32),
        ("softsign", mlp(nn.Softsign()), torch.float32),
        ("slice", Sliced(), torch.float32),
        ("double_mlp", mlp(nn.Tanh(), classes=1), torch.float64),
    ]


def fmt(value):
    """Shortest text that reads back as the same float32."""
    return np.format_float_positional(np.float32(value), unique=True, trim="-")


def write_rows(path, X):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([f"f{j}" for j in range(X.shape[1])])
        for row in X:
            w.writerow([fmt(v) for v in row])


def write_expected(path, model_path, X):
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    dtype = np.float64 if inp.type == "tensor(double)" else np.float32
    y = session.run(None, {inp.name: X.astype(dtype)})[0].reshape(len(X), -1)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([f"y{j}" for j in range(y.shape[1])])
        for row in y:
            w.writerow([repr(float(v)) for v in row])


def export(module, dtype, path, dynamo, opset, **options):
    example = torch.zeros(2, WIDTH, dtype=dtype)
    if dynamo:
        torch.onnx.export(module, (example,), path, input_names=["x"], output_names=["y"], opset_version=opset,
                          dynamo=True, dynamic_shapes=({0: torch.export.Dim("batch")},), **options)
    else:
        torch.onnx.export(module, (example,), path, input_names=["x"], output_names=["y"], opset_version=opset,
                          dynamo=False, dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    torch.manual_seed(12)
    rng = np.random.default_rng(12)
    X = (rng.normal(size=(ROWS, WIDTH)) * 1.5).astype(np.float32)
    write_rows(os.path.join(out, "rows.csv"), X)
    for name, module, dtype in cases():
        module = module.to(dtype).eval()
        for dynamo, opset in ((False, 17), (True, 18)):
            stem = f"{name}_{'dynamo' if dynamo else 'script'}_opset{opset}"
            path = os.path.join(out, stem + ".onnx")
            export(module, dtype, path, dynamo, opset, **({"external_data": False} if dynamo else {}))
            drop_stack_traces(path)
            write_expected(os.path.join(out, stem + ".expected.csv"), path, X)
            print("wrote", stem)
    # The default call: weights in model.onnx.data beside the model.
    folder = os.path.join(out, "default_export")
    os.makedirs(folder)
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(mlp(nn.ReLU()).eval(), (torch.zeros(2, WIDTH),), path, input_names=["x"], output_names=["y"],
                      dynamic_shapes=({0: torch.export.Dim("batch")},), external_data=True)
    if not os.path.exists(path + ".data"):
        sys.exit("the default export wrote no external data file; the fixture would not test it")
    drop_stack_traces(path)
    write_expected(os.path.join(folder, "model.expected.csv"), path, X)
    print("wrote default_export/model.onnx + model.onnx.data")


if __name__ == "__main__":
    main()
