"""Checks deep and long students in the real consumers of each export.

Writes chains of splits (split i sends x <= n - i and missing values to the next split,
the rest to a leaf of their own, as DeepStudentTests does) and a list of 10,001 rules as
student files, then for each export:

- at the depth limit the export states (NestingLimit), the exported chain runs in its
  consumer and gives every row the leaf and answer `distill predict` gives: python
  (imported), c (gcc -O2 -Wall -Werror, and clang with -fbracket-depth=256, the default of
  the clang releases the limit is set for, when clang is installed), swift (swiftc -O),
  pmml (JPMML), onnx (onnxruntime); sql has no depth limit, and a chain of 5,000 splits
  runs in SQLite (whose time to prepare a CASE grows with the square of its WHENs, so the
  100,000-split chain is checked in DeepStudentTests instead);
- one split deeper, `distill export` fails, its message names the depth and the limit,
  and no file is written;
- the 10,001-rule list runs in Python and answers as `distill predict` does.

The rows walk the whole chain (x = k + 0.5), go beyond both ends, and include a missing x
(colour, which no split tests, is red).

Usage: check_export_deep.py PATH_TO_DISTILL
"""
import csv
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

LIMITS = {"python": 90, "c": 200, "swift": 1000, "pmml": 1000, "onnx": 500}
TOLERANCE = 1e-6
FEATURES = [{"name": "x", "kind": "numeric"}, {"name": "colour", "kind": "categorical", "levels": ["blue", "green", "red"]}]


def chain(splits):
    nodes = []
    for i in range(splits):
        p = (i % 97) / 97
        nodes.append({"id": 2 * i, "feature": "x", "threshold": float(splits - i), "missing": "left",
                      "left": 2 * i + 2, "right": 2 * i + 1, "value": [0.5, 0.5], "rows": 10, "synthetic_rows": 0, "impurity": 0.5})
        nodes.append({"id": 2 * i + 1, "value": [p, 1 - p], "rows": 1 + i % 13, "synthetic_rows": 0, "impurity": 0.1})
    nodes.append({"id": 2 * splits, "value": [1.0, 0.0], "rows": 5, "synthetic_rows": 0, "impurity": 0.0})
    return {"format": "distill.student/v1", "kind": "tree", "task": "classification", "classes": ["a", "b"],
            "features": FEATURES, "parameters": {}, "nodes": nodes}


def rule_list(count):
    rules = [{"conditions": [{"feature": "x", "test": ">", "threshold": float(count - i), "or_missing": False}],
              "value": [(i % 97) / 97, 1 - (i % 97) / 97], "rows": 3, "synthetic_rows": 0} for i in range(count)]
    rules.append({"conditions": [], "value": [1.0, 0.0], "rows": 5, "synthetic_rows": 0})
    return {"format": "distill.student/v1", "kind": "rules", "task": "classification", "classes": ["a", "b"],
            "features": FEATURES, "parameters": {}, "rules": rules}


def xs(length):
    """x along the whole chain, past both ends, and missing (None)."""
    step = max(1, length // 150)
    return [k + 0.5 for k in range(0, length + 3, step)] + [length - 0.5, length + 0.5, None]


class Check:
    def __init__(self, distill, work):
        self.distill, self.work, self.failures = distill, work, 0

    def student(self, name, document):
        path = os.path.join(self.work, name + ".json")
        with open(path, "w") as f:
            json.dump(document, f)
        return path

    def predicted(self, student, values, where):
        """`distill predict`'s answer per row: (leaf or rule, class, p(a), p(b))."""
        data = os.path.join(self.work, "rows.csv")
        with open(data, "w") as f:
            f.write("x,colour\n" + "".join(("" if x is None else repr(x)) + ",red\n" for x in values))
        result = subprocess.run([self.distill, "predict", "--student", student, "--data", data], capture_output=True, text=True, check=True)
        return [(int(r[where]), r["student_class"], float(r["student_p_a"]), float(r["student_p_b"]))
                for r in csv.DictReader(result.stdout.splitlines())]

    def export(self, student, format, out):
        # SQL passes the row's key through, so its answers can be put back in row order, and gives probabilities.
        key = ["--id", "id", "--probabilities"] if format == "sql" else []
        return subprocess.run([self.distill, "export", "--student", student, "--format", format, "--out", out] + key,
                              capture_output=True, text=True)

    def compare(self, label, expected, got):
        wrong = [i for i, (e, g) in enumerate(zip(expected, got))
                 if e[0] != g[0] or e[1] != g[1] or abs(e[2] - g[2]) > TOLERANCE or abs(e[3] - g[3]) > TOLERANCE]
        if len(expected) != len(got) or wrong:
            self.failures += 1
            first = wrong[0] if wrong else None
            print(f"  FAIL {label}: {len(wrong)} of {len(expected)} rows differ"
                  + (f" (row {first}: distill {expected[first]}, consumer {got[first]})" if first is not None else f", {len(got)} answers"))
        else:
            print(f"  ok   {label}: {len(expected)} rows as distill predict", flush=True)

    def refused(self, format, limit):
        splits = limit + 1
        student = self.student(f"chain{splits}", chain(splits))
        out = os.path.join(self.work, f"refused.{format}")
        result = self.export(student, format, out)
        named = f"the tree is {splits} splits deep, and --format {format} writes trees up to {limit} deep"
        if result.returncode == 0 or named not in result.stderr or os.path.exists(out):
            self.failures += 1
            print(f"  FAIL {format} at depth {splits}: exit {result.returncode}, {result.stderr.strip()[:200]!r}")
        else:
            print(f"  ok   {format} refuses depth {splits}, naming the depth and the limit, writing nothing")


def run_python(check, path, values, where):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    answers = [module.predict({"x": x, "colour": "red"}) for x in values]
    return [(a[where], a["class"], a["probabilities"]["a"], a["probabilities"]["b"]) for a in answers]


def run_sqlite(path, values):
    connection = sqlite3.connect(":memory:")
    connection.execute('CREATE TABLE data ("id" INTEGER, "x" REAL, "colour" TEXT)')
    connection.executemany("INSERT INTO data VALUES (?, ?, 'red')", list(enumerate(values)))
    with open(path) as f:
        cursor = connection.execute(f.read())
    names = [d[0] for d in cursor.description]
    where = "leaf" if "leaf" in names else "rule"
    rows = sorted(cursor.fetchall(), key=lambda r: r[names.index("id")])
    return [(int(r[names.index(where)]), r[names.index("student_class")], r[names.index("student_p_a")], r[names.index("student_p_b")])
            for r in rows]


C_DRIVER = r'''
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "chain.h"
int main(void) {
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        struct student_input in = { .x = line[0] == '\n' ? NAN : strtod(line, NULL), .colour = "red" };
        struct student_output out;
        student_predict(&in, &out);
        printf("%d %d %.17g %.17g\n", out.leaf, out.class_index, out.probabilities[0], out.probabilities[1]);
    }
    return 0;
}
'''

SWIFT_DRIVER = r'''
while let line = readLine() {
    let output = Student.predict(Student.Input(x: Double(line), colour: "red"))
    print(output.leaf, output.classIndex, output.probabilities[0], output.probabilities[1])
}
'''


def read_outputs(text):
    rows = [line.split() for line in text.splitlines()]
    return [(int(r[0]), "ab"[int(r[1])], float(r[2]), float(r[3])) for r in rows]


def stdin_rows(values):
    return "".join(("" if x is None else repr(x)) + "\n" for x in values)


def main():
    distill = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="distill-deep-")
    check = Check(distill, work)
    try:
        # SQL: no depth limit, a WHEN per leaf.
        for splits in (5_000,):
            student = check.student(f"chain{splits}", chain(splits))
            values = xs(splits)
            out = os.path.join(work, f"chain{splits}.sql")
            result = check.export(student, "sql", out)
            if result.returncode != 0:
                check.failures += 1
                print(f"  FAIL sql chain of {splits}: {result.stderr.strip()[:200]}")
                continue
            check.compare(f"sql (SQLite {sqlite3.sqlite_version}) chain of {splits} splits", check.predicted(student, values, "leaf"),
                          run_sqlite(out, values))

        for format, limit in LIMITS.items():
            student = check.student(f"chain{limit}", chain(limit))
            values = xs(limit)
            expected = check.predicted(student, values, "leaf")
            out = os.path.join(work, f"chain.{ {'python': 'py'}.get(format, format) }")
            result = check.export(student, format, out)
            if result.returncode != 0:
                check.failures += 1
                print(f"  FAIL {format} chain of {limit}: {result.stderr.strip()[:200]}")
                continue
            if format == "python":
                check.compare(f"python chain of {limit} splits", expected, run_python(check, out, values, "leaf"))
            elif format == "c":
                compilers = [["gcc", "-O2", "-Wall", "-Werror"]]
                if shutil.which("clang"):
                    compilers.append(["clang", "-O2", "-Wall", "-Werror", "-fbracket-depth=256"])
                driver = os.path.join(work, "driver.c")
                with open(driver, "w") as f:
                    f.write(C_DRIVER)
                for compiler in compilers:
                    binary = os.path.join(work, "chain_c")
                    subprocess.run(compiler + [driver, out, "-o", binary, "-lm"], check=True)
                    ran = subprocess.run([binary], input=stdin_rows(values), capture_output=True, text=True, check=True)
                    check.compare(f"c ({' '.join(compiler)}) chain of {limit} splits", expected, read_outputs(ran.stdout))
            elif format == "swift":
                driver = os.path.join(work, "main.swift")
                with open(driver, "w") as f:
                    f.write(SWIFT_DRIVER)
                binary = os.path.join(work, "chain_swift")
                subprocess.run(["swiftc", "-O", out, driver, "-o", binary], check=True, capture_output=True)
                ran = subprocess.run([binary], input=stdin_rows(values), capture_output=True, text=True, check=True)
                check.compare(f"swift (swiftc -O) chain of {limit} splits", expected, read_outputs(ran.stdout))
            elif format == "pmml":
                import jpmml_evaluator
                import pandas
                evaluator = jpmml_evaluator.make_evaluator(out, backend="jpype").verify()
                results = evaluator.evaluateAll(pandas.DataFrame({"x": values, "colour": ["red"] * len(values)}))
                got = [(int(r["leaf"]), r["student_class"], r["student_p_a"], r["student_p_b"]) for _, r in results.iterrows()]
                check.compare(f"pmml (JPMML) chain of {limit} splits", expected, got)
            elif format == "onnx":
                import numpy as np
                import onnxruntime
                session = onnxruntime.InferenceSession(out)
                x = np.array([[np.nan if v is None else v] for v in values], dtype=np.float32)
                feeds = {i.name: x if i.type == "tensor(float)" else np.array([["red"]] * len(values), dtype=object)
                         for i in session.get_inputs()}
                label, probabilities, leaf = session.run(["label", "probabilities", "leaf"], feeds)
                got = [(int(leaf[i]), str(label[i]), float(probabilities[i][0]), float(probabilities[i][1])) for i in range(len(values))]
                check.compare(f"onnx (onnxruntime {onnxruntime.__version__}) chain of {limit} splits", expected, got)
            check.refused(format, limit)

        student = check.student("rules10001", rule_list(10_001))
        values = xs(10_001)
        expected = check.predicted(student, values, "rule")
        out = os.path.join(work, "rules.py")
        result = check.export(student, "python", out)
        if result.returncode != 0:
            check.failures += 1
            print(f"  FAIL python list of 10,001 rules: {result.stderr.strip()[:200]}")
        else:
            check.compare("python list of 10,001 rules", expected, run_python(check, out, values, "rule"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"check_export_deep: {check.failures} failure(s)")
    sys.exit(1 if check.failures else 0)


if __name__ == "__main__":
    main()
