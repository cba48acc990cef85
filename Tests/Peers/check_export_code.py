"""Checks that `distill export --format python` gives every row the answer `distill predict` gives.

For each sample (breast-cancer, penguins, diabetes) and a hostile case whose names are
syntax and keywords in the languages written, it fits a tree (--max-leaves 8) and a linear
model (--max-features 5), exports each, and runs the code on the rows of export_rows.py
(the sample's test rows plus 10,000 generated ones: values on and around every tree
threshold, missing values, unseen levels). Every row must get the same class (or value,
within 1e-6 relative) and leaf, and probabilities within 1e-6.

python: the module is imported and predict() called per row, missing values as None.

Usage: check_export_code.py PATH_TO_DISTILL
"""
import importlib.util
import os
import sys
import tempfile

import numpy as np

from export_rows import cases, run


def answers_as_columns(results, classes):
    """predict()'s dicts in the columns `distill predict` writes, by row."""
    answers = {}
    for i, result in enumerate(results):
        record = {"leaf": result["leaf"]} if "leaf" in result else {}
        if classes is None:
            record["student_value"] = result["value"]
        else:
            record["student_class"] = result["class"]
            record.update({f"student_p_{c}": p for c, p in result["probabilities"].items()})
        answers[i] = record
    return answers


def python_answers(case, path, work, kind):
    module_path = os.path.join(work, f"{case.name}_{kind}.py")
    with open(module_path, "w", encoding="utf-8") as f:
        f.write(run(case.distill, "export", "--student", path, "--format", "python"))
    spec = importlib.util.spec_from_file_location(f"student_{case.name}_{kind}".replace("-", "_"), module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return answers_as_columns([module.predict(row) for row in case.values()], case.classes)


def main():
    distill = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20240602)
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as work:
        for case in cases(distill, work, rng):
            for kind, path, predicted in case.students:
                answers = python_answers(case, path, work, kind)
                compared += len(predicted)
                failures += not case.report(f"{case.name} {kind} python", predicted, answers)
    print(f"export code checks: {compared} rows compared, " + ("all passed" if failures == 0 else f"{failures} failed"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
