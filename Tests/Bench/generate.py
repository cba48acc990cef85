"""Writes the benchmark workload: a 1,000,000 x 32 numeric CSV and a 32-128-128-2 MLP teacher.

Usage: generate.py OUT_DIR [ROWS]
The MLP uses the node pattern torch.onnx.export writes for nn.Sequential (Gemm with
transB=1, Relu, Softmax), with seeded random weights; its outputs are well spread so the
students have something to learn.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FEATURES = 32


def write_csv(path, rows, rng):
    data = rng.standard_normal((rows, FEATURES)).astype(np.float32)
    header = ",".join(f"x{i}" for i in range(FEATURES))
    with open(path, "w") as out:
        out.write(header + "\n")
        step = 100_000
        for start in range(0, rows, step):
            block = data[start:start + step]
            lines = "\n".join(",".join(f"{v:.6g}" for v in row) for row in block.tolist())
            out.write(lines + "\n")


def write_teacher(path, rng):
    sizes = [FEATURES, 128, 128, 2]
    nodes, inits = [], []
    previous = "input"
    for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        weight = (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        bias = (rng.standard_normal(fan_out) * 0.1).astype(np.float32)
        inits += [numpy_helper.from_array(weight, f"w{layer}"), numpy_helper.from_array(bias, f"b{layer}")]
        out = f"gemm{layer}"
        nodes.append(helper.make_node("Gemm", [previous, f"w{layer}", f"b{layer}"], [out],
                                      name=f"/net.{layer}/Gemm", alpha=1.0, beta=1.0, transB=1))
        previous = out
        if layer < len(sizes) - 2:
            nodes.append(helper.make_node("Relu", [previous], [f"relu{layer}"], name=f"/net.{layer}/Relu"))
            previous = f"relu{layer}"
    nodes.append(helper.make_node("Softmax", [previous], ["output"], name="/net/Softmax", axis=1))
    graph = helper.make_graph(
        nodes, "bench_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", FEATURES])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="distill-bench")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    out_dir = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20261129)
    csv_path = os.path.join(out_dir, f"data-{rows}.csv")
    if not os.path.exists(csv_path):
        write_csv(csv_path + ".part", rows, rng)
        os.rename(csv_path + ".part", csv_path)
    write_teacher(os.path.join(out_dir, "teacher.onnx"), np.random.default_rng(7))


if __name__ == "__main__":
    main()
