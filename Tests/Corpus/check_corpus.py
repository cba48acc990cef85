#!/usr/bin/env python3
"""Checks distill against the conformance corpus of real exports (see README.md).

For each model of manifest.json: `distill teacher inspect` must succeed, and
`distill label` on the model's rows must give the reference answers (onnxruntime's, or the
framework's where onnxruntime is wrong) within the manifest's tolerance: absolute for
probabilities, relative for regression values. Prints one line per model, then
'corpus: N passed, N failed', and exits 1 if any model fails.

    python3 Tests/Corpus/check_corpus.py PATH/TO/distill [NAME ...]

Reads only the committed files, so it needs nothing beyond the standard library; the
expected answers were made by build_corpus.py with onnxruntime and the frameworks.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def first_error(text):
    """The first line that says what went wrong, for a one-line report."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower():
            return line
    return lines[0] if lines else "(no message)"


def read_label_output(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def compare_probabilities(rows, classes, answers, tolerance):
    columns = [f"teacher_p_{c}" for c in classes]
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        found = [c for c in rows[0] if c.startswith("teacher_")]
        return f"class columns {missing} missing; distill wrote {found}"
    worst, where = 0.0, None
    for i, (row, expected) in enumerate(zip(rows, answers)):
        for column, value in zip(columns, expected):
            got = float(row[column])
            error = abs(got - value) if got == got else float("inf")
            if error > worst:
                worst, where = error, (i, column, got, value)
        best = max(range(len(classes)), key=lambda k: expected[k])
        runner_up = max((expected[k] for k in range(len(classes)) if k != best), default=0.0)
        if expected[best] - runner_up > tolerance and row["teacher_class"] != classes[best]:
            return f"row {i + 1}: teacher_class {row['teacher_class']!r}, expected {classes[best]!r}"
    if worst > tolerance:
        i, column, got, value = where
        return f"row {i + 1} {column}: {got!r}, expected {value!r} (difference {worst:.3g})"
    return None


def compare_values(rows, answers, tolerance):
    if "teacher_value" not in rows[0]:
        return f"no teacher_value column; distill wrote {[c for c in rows[0] if c.startswith('teacher_')]}"
    for i, (row, value) in enumerate(zip(rows, answers)):
        got = float(row["teacher_value"])
        if not abs(got - value) <= tolerance * max(1.0, abs(value)):
            return f"row {i + 1} teacher_value: {got!r}, expected {value!r}"
    return None


def check(distill, entry, tolerance, scratch):
    """None when distill agrees with the reference, else the reason it does not."""
    model = os.path.join(HERE, "models", entry["files"][0])
    rows_file = os.path.join(HERE, entry["rows"])
    with open(os.path.join(HERE, "expected", entry["name"] + ".json")) as f:
        expected = json.load(f)
    options = entry["options"]
    inspect = subprocess.run([distill, "teacher", "inspect", "--teacher", model] + options,
                             capture_output=True, text=True)
    if inspect.returncode != 0:
        return f"teacher inspect: {first_error(inspect.stderr + inspect.stdout)}"
    out = os.path.join(scratch, entry["name"] + ".csv")
    label = subprocess.run([distill, "label", "--teacher", model, "--data", rows_file, "--out", out] + options,
                           capture_output=True, text=True)
    if label.returncode != 0:
        return f"label: {first_error(label.stderr + label.stdout)}"
    rows = read_label_output(out)
    if len(rows) != len(expected["answers"]):
        return f"label wrote {len(rows)} rows, expected {len(expected['answers'])}"
    if entry["task"] == "regression":
        return compare_values(rows, expected["answers"], tolerance)
    return compare_probabilities(rows, expected["classes"], expected["answers"], tolerance)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    distill = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    with open(os.path.join(HERE, "manifest.json")) as f:
        manifest = json.load(f)
    passed, failed = 0, 0
    with tempfile.TemporaryDirectory() as scratch:
        for entry in manifest["models"]:
            if only and entry["name"] not in only:
                continue
            reason = check(distill, entry, manifest["tolerance"], scratch)
            if reason is None:
                passed += 1
                print(f"ok    {entry['name']}", flush=True)
            else:
                failed += 1
                print(f"FAIL  {entry['name']}: {reason}", flush=True)
    print(f"corpus: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
