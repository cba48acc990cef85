"""Checks that `distill export --format onnx` gives every row, in onnxruntime, the answer `distill predict` gives.

For each sample (breast-cancer, penguins, diabetes) and a hostile case whose names are
syntax in many languages (quotes, a line break, non-ASCII), it fits a tree (--max-leaves 8),
a linear model (--max-features 5) and a rule list (from the tree), exports each to ONNX,
checks the model with onnx.checker (full_check=True), and runs it with onnxruntime (CPU)
on the rows of export_rows.py (the sample's test rows plus 10,000 generated ones: values on
and around every tree threshold, missing values, unseen levels). Each feature is fed as its
own [N, 1] input named after it: float32 with NaN when missing, or strings with "" when
missing. Every row must get the same class (or value, within 1e-6 relative), leaf and rule,
and probabilities within 1e-6.

Self-test: the first case's models are broken on purpose (a tree threshold and a rule's
threshold moved one Float32 up, a linear intercept moved by 1e-4) and each must be caught,
so this check can fail.

Usage: check_export_onnx.py PATH_TO_DISTILL
"""
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

from export_rows import compare, cases, run


def export(case, path, work, kind):
    out = os.path.join(work, f"{case.name}-{kind}.onnx")
    run(case.distill, "export", "--student", path, "--format", "onnx", "--out", out)
    return onnx.load(out)


def feeds(case):
    """One [N, 1] array per feature: float32 with NaN when missing, or strings with "" when missing."""
    values = case.values()
    arrays = {}
    for name in case.features:
        column = [row[name] for row in values]
        if case.kinds[name] == "numeric":
            arrays[name] = np.array([[np.nan if v is None else v] for v in column], dtype=np.float32)
        else:
            arrays[name] = np.array([["" if v is None else v] for v in column], dtype=object)
    return arrays


def expected_outputs(case, kind):
    answers = ["value"] if case.classes is None else ["label", "probabilities"]
    return answers + {"tree": ["leaf"], "rules": ["rule"], "linear": []}[kind]


def answers(case, kind, model, arrays):
    """The model's outputs on the case's rows, by row, in the columns `distill predict` writes."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    inputs = {i.name: i.type for i in session.get_inputs()}
    wanted = {name: "tensor(float)" if case.kinds[name] == "numeric" else "tensor(string)" for name in case.features}
    if inputs != wanted:
        raise RuntimeError(f"{case.name} {kind}: the inputs are {inputs}, not {wanted}")
    names = [o.name for o in session.get_outputs()]
    if names != expected_outputs(case, kind):
        raise RuntimeError(f"{case.name} {kind}: the outputs are {names}, not {expected_outputs(case, kind)}")
    result = dict(zip(names, session.run(None, arrays)))
    records = {}
    for i in range(len(case.rows)):
        record = {where: int(result[where][i]) for where in ("leaf", "rule") if where in result}
        if case.classes is None:
            record["student_value"] = float(result["value"][i])
        else:
            record["student_class"] = result["label"][i]
            record.update({f"student_p_{c}": float(p) for c, p in zip(case.classes, result["probabilities"][i])})
        records[i] = record
    return records


def nudged(model, *ops):
    """A copy of `model` whose first threshold read by one of `ops` is one Float32 up."""
    broken = onnx.ModelProto()
    broken.CopyFrom(model)
    constants = {t.name: t for t in broken.graph.initializer}
    for node in broken.graph.node:
        if node.op_type not in ops:
            continue
        if node.op_type == "TreeEnsembleRegressor":
            attribute = next(a for a in node.attribute if a.name == "nodes_values")
            modes = next(a for a in node.attribute if a.name == "nodes_modes").strings
            i = next(i for i, mode in enumerate(modes) if mode == b"BRANCH_LEQ")
            attribute.floats[i] = np.nextafter(np.float32(attribute.floats[i]), np.float32(np.inf))
            return broken
        tensor = constants[node.input[1]]
        value = numpy_helper.to_array(tensor)
        tensor.CopyFrom(numpy_helper.from_array(np.nextafter(value, np.float32(np.inf)).astype(np.float32), tensor.name))
        return broken
    raise RuntimeError(f"no {' or '.join(ops)} node to break")


def shifted_intercept(model):
    broken = onnx.ModelProto()
    broken.CopyFrom(model)
    constants = {t.name: t for t in broken.graph.initializer}
    add = next(node for node in broken.graph.node if node.op_type == "Add" and node.input[0].startswith("MatMul"))
    tensor = constants[add.input[1]]
    tensor.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(tensor) + 1e-4, tensor.name))
    return broken


def self_test(case, models, arrays):
    """Whether every deliberately broken model disagrees with `distill predict` somewhere."""
    sabotage = {"tree": lambda m: nudged(m, "TreeEnsembleRegressor"), "rules": lambda m: nudged(m, "LessOrEqual", "Greater"),
                "linear": shifted_intercept}
    caught = True
    for kind, path, predicted in case.students:
        broken = sabotage[kind](models[kind])
        print(f"     self-test: {case.name} {kind} broken on purpose; mismatches expected")
        found = compare(f"{case.name} {kind} broken", predicted, answers(case, kind, broken, arrays), case.classes)
        print(f"{'ok  ' if found else 'FAIL'} self-test {case.name} {kind}: the broken model gives {found} mismatches")
        caught &= found > 0
    return caught


def main():
    distill = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20240602)
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as work:
        for c, case in enumerate(cases(distill, work, rng)):
            arrays = feeds(case)
            models = {}
            for kind, path, predicted in case.students:
                models[kind] = export(case, path, work, kind)
                onnx.checker.check_model(models[kind], full_check=True)
                compared += len(predicted)
                failures += not case.report(f"{case.name} {kind} onnx", predicted, answers(case, kind, models[kind], arrays))
            if c == 0:
                failures += not self_test(case, models, arrays)
    print(f"export onnx checks: {compared} rows compared, " + ("all passed" if failures == 0 else f"{failures} failed"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
