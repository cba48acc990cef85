"""What the export checks share: the samples, fitting the students, the rows to answer
(each sample's test rows plus generated ones that walk every threshold of a tree or rule
list, missing values and unseen levels), `distill predict`'s answers for them, and
comparing answers.

Besides the students fitted on each sample (a tree, a linear model and the tree rewritten as
a rule list), a case per sample holds a rule list written here, with the tests a list made
from a tree never has (see `hand_rules`).

A hostile case uses a teacher program whose column, level and class names are syntax in
SQL, Markdown and the languages the code exports write (quotes, `--`, `;`, backslashes, a
line break, non-ASCII, keywords, a leading digit, names alike once made identifiers).
"""
import csv
import json
import math
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = {"breast-cancer": "diagnosis", "penguins": "species", "diabetes": "progression"}
GENERATED_ROWS = 10_000
MISSING_RATE = 0.05
UNSEEN_RATE = 0.03
TOLERANCE = 1e-6
MISSING = {"", "na", "nan", "null"}

HOSTILE_TEACHER = r'''
import json, math, sys
classes = ["it's \"A\"", "b -- c", "x\\y;"]
for line in sys.stdin:
    message = json.loads(line)
    if "distill" in message:
        print(json.dumps({"classes": classes}), flush=True)
        continue
    index = {name: i for i, name in enumerate(message["columns"])}
    outputs = []
    for row in message["rows"]:
        value = lambda name: row[index[name]]
        number = lambda name: value(name) if value(name) is not None else 0.0
        z = [number('"quoted"') + (8.0 if value("select") == "it's" else -6.0 if value("select") == "a\\b" else 0.0)
             + 1.5 * number("class"),
             number("a b") - number("x'y") + (3.0 if value("naïve") == "oui" else 0.0) + 2.0 * number("a_b")
             + (6.0 if value("def") == "𝔘" else 0.0),
             0.5 * number("back\\slash") + (6.0 if value(";drop table") == "line\nbreak" else 0.0) - number("1st")]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        outputs.append([v / sum(e) for v in e])
    print(json.dumps({"outputs": outputs}), flush=True)
'''
HOSTILE_COLUMNS = {
    '"quoted"': None, "select": ["it's", 'say "hi"', "a\\b", "--x", "; DROP TABLE data; --", "<b>&amp;"],
    "a b": None, "naïve": ["oui", "non", "peut-être"], "x'y": None, "--comment": None,
    ";drop table": ["A", "B", "line\nbreak"], "back\\slash": None,
    "class": None, "a_b": None, "1st": None, "def": ["if", "日本", "𝔘"],
}


def run(*arguments):
    result = subprocess.run(list(arguments), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments[:2])} failed: {result.stderr.strip()}")
    return result.stdout


def is_missing(text):
    return text.strip().lower() in MISSING


def threshold_values(t):
    """Numbers at and around Float32 threshold t that a double comparison could route wrongly."""
    f = np.float32(t)
    down = float(np.nextafter(f, np.float32(-np.inf)))
    up = float(np.nextafter(f, np.float32(np.inf)))
    t, mid = float(f), (float(f) + up) / 2
    return [t, down, up, mid, math.nextafter(mid, -math.inf), math.nextafter(mid, math.inf), (t + mid) / 2,
            (down + t) / 2]


def generate(features, kinds, thresholds, ranges, levels, rng):
    """GENERATED_ROWS rows as CSV text fields, the first ones walking every threshold
    value, and how many rows hold at least one such value."""
    edges = [(name, value) for name in features for t in thresholds.get(name, []) for value in threshold_values(t)]
    rows, on_edges = [], 0
    for r in range(GENERATED_ROWS):
        row, edged = {}, False
        for name in features:
            draw = rng.random()
            if draw < MISSING_RATE:
                row[name] = ""
            elif kinds[name] == "numeric":
                low, high = ranges[name]
                if thresholds.get(name) and draw < 0.4:
                    value = threshold_values(thresholds[name][rng.integers(len(thresholds[name]))])[rng.integers(8)]
                    edged = True
                else:
                    value = float(np.float32(rng.uniform(low, high)))
                row[name] = repr(value)
            elif draw < MISSING_RATE + UNSEEN_RATE:
                row[name] = f"unseen level {rng.integers(3)}"
            else:
                row[name] = levels[name][rng.integers(len(levels[name]))]
        if r < len(edges):
            row[edges[r][0]] = repr(edges[r][1])
            edged = True
        rows.append(row)
        on_edges += edged
    return rows, on_edges


def compare(label, predicted, answers, classes):
    """Mismatches between `distill predict`'s rows and the query's, printed; their count."""
    mismatches = 0
    for i, expected in enumerate(predicted):
        got = answers.get(i)
        problems = []
        if got is None:
            problems.append("no row")
        else:
            if classes is None:
                a, b = float(expected["student_value"]), float(got["student_value"])
                if abs(a - b) > TOLERANCE * max(abs(a), abs(b), 1.0):
                    problems.append(f"value {a} vs {b}")
            else:
                if expected["student_class"] != got["student_class"]:
                    problems.append(f"class {expected['student_class']!r} vs {got['student_class']!r}")
                for name in classes:
                    column = f"student_p_{name}"
                    if abs(float(expected[column]) - float(got[column])) > TOLERANCE:
                        problems.append(f"{column} {expected[column]} vs {got[column]}")
            for where in ("leaf", "rule"):
                if where in expected and int(expected[where]) != int(got[where]):
                    problems.append(f"{where} {expected[where]} vs {got[where]}")
        if problems:
            mismatches += 1
            if mismatches <= 5:
                print(f"     {label} row {i}: {'; '.join(problems)}")
    return mismatches


def read_rows(path, features):
    with open(path, newline="", encoding="utf-8") as f:
        return [{n: row[n] for n in features} for row in csv.DictReader(f)]


def fit(distill, teacher, data, out, label=None):
    common = [*teacher, "--data", data, "--no-report"] + (["--label", label] if label else [])
    run(distill, "tree", *common, "--max-leaves", "8", "--out", os.path.join(out, "tree"))
    run(distill, "linear", *common, "--max-features", "5", "--out", os.path.join(out, "linear"))
    run(distill, "rules", "--from-tree", os.path.join(out, "tree", "student.json"), "--out", os.path.join(out, "rules"))
    return [os.path.join(out, "tree"), os.path.join(out, "linear"), os.path.join(out, "rules")]


def hostile_training_rows(rng, count=2000):
    rows = []
    for _ in range(count):
        row = {}
        for name, levels in HOSTILE_COLUMNS.items():
            if rng.random() < MISSING_RATE:
                row[name] = ""
            elif levels is None:
                row[name] = repr(float(np.float32(rng.normal(0, 2))))
            else:
                row[name] = levels[rng.integers(len(levels))]
        rows.append(row)
    return rows


def threshold_tests(students):
    """Every split of a tree and condition of a rule list that compares with a threshold."""
    for student in students:
        yield from (node for node in student.get("nodes", []) if node.get("threshold") is not None)
        for rule in student.get("rules", []):
            yield from (c for c in rule["conditions"] if c.get("threshold") is not None)


def hand_rules(tree, rows, directory):
    """Writes into `directory` a rule-list student.json over the tree's features with what a
    list made from a tree never has: "missing" tests on a number and a level, "in" and
    "not in" with either `or_missing`, a level training never saw ("unseen level 1", which
    the generated rows hold) and empty level lists, both comparisons with either
    `or_missing`, and a rule whose classes tie (the first wins). Thresholds are quantiles of
    the rows, as Float32. Returns the directory."""
    features = tree["features"]
    # The two numbers with the most distinct values, so that their quantiles differ.
    numbers = sorted((f["name"] for f in features if f["kind"] == "numeric"),
                     key=lambda name: -len({r[name] for r in rows if not is_missing(r[name])}))
    texts = [f for f in features if f["kind"] == "categorical"]
    a, b = numbers[0], numbers[1 % len(numbers)]

    def at_most(name, q, or_missing):
        present = sorted(float(r[name]) for r in rows if not is_missing(r[name]))
        return {"feature": name, "test": "<=", "threshold": float(np.float32(present[int(q * (len(present) - 1))])),
                "or_missing": or_missing}

    def above(name, q, or_missing):
        return {**at_most(name, q, or_missing), "test": ">"}

    def levels(test, names, or_missing):
        return [{"feature": texts[0]["name"], "test": test, "levels": names, "or_missing": or_missing}] if texts else []

    known = texts[0]["levels"] if texts else []
    # Cut so that every rule answers some rows, the later ones too.
    conditions = [
        [{"feature": a, "test": "missing", "or_missing": True}],
        levels("in", known[:2] + ["unseen level 1"], False) + [at_most(b, 0.3, True)],
        levels("not in", known[:1], True) + [above(a, 0.7, False)],
        [above(b, 0.85, True)] + ([{"feature": texts[0]["name"], "test": "missing", "or_missing": True}] if texts else []),
        levels("not in", [], False) + [at_most(b, 0.6, True), above(a, 0.5, False)],
        levels("in", [], True),
        levels("not in", known[-1:], False) + [at_most(a, 0.2, False)],
        [at_most(a, 0.5, False), above(b, 0.4, False)],
        [],
    ]
    conditions = [c for c in conditions[:-1] if c] + [[]]
    classes = tree.get("classes")

    def value(i):
        if classes is None:
            return [1.5 * i - 2.0]
        if i == 2:
            return [0.4, 0.4] + [0.2 / (len(classes) - 2)] * (len(classes) - 2) if len(classes) > 2 else [0.5, 0.5]
        p = [0.1 / (len(classes) - 1)] * len(classes)
        p[i % len(classes)] = 0.9
        return p

    student = {"format": "distill.student/v1", "kind": "rules", "task": tree["task"], "classes": classes,
               "features": features, "parameters": {},
               "rules": [{"conditions": c, "value": value(i), "rows": 0, "synthetic_rows": 0} for i, c in enumerate(conditions)]}
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "student.json"), "w", encoding="utf-8") as f:
        json.dump(student, f)
    return directory


class Case:
    """One data set's rows and, per student fitted on it, `distill predict`'s answers.

    rows: the given rows then the generated ones, as dicts of CSV text ("" when missing);
    students: (kind, path of student.json, predicted rows as dicts of CSV text)."""

    def __init__(self, distill, name, features, kinds, source_rows, tree, student_dirs, work, rng):
        self.distill, self.name, self.features, self.kinds = distill, name, features, kinds
        files = []
        for directory in student_dirs:
            with open(os.path.join(directory, "student.json")) as f:
                files.append(json.load(f))
        thresholds = {}
        for tested in threshold_tests(files):
            thresholds.setdefault(tested["feature"], []).append(tested["threshold"])
        levels = {n: sorted({r[n] for r in source_rows if not is_missing(r[n])}) for n in features if kinds[n] != "numeric"}
        ranges = {}
        for n in features:
            if kinds[n] == "numeric":
                present = [float(r[n]) for r in source_rows if not is_missing(r[n])]
                ranges[n] = (min(present), max(present))
        generated, self.on_edges = generate(features, kinds, thresholds, ranges, levels, rng)
        self.given, self.generated = len(source_rows), len(generated)
        self.rows = source_rows + generated
        self.classes = tree.get("classes")
        csv_path = os.path.join(work, f"{name}-rows.csv")
        with open(csv_path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(features)
            writer.writerows([[row[n] for n in features] for row in self.rows])
        self.students = []
        for directory, student in zip(student_dirs, files):
            path = os.path.join(directory, "student.json")
            kind = student["kind"]
            predicted_path = os.path.join(work, f"{name}-{kind}-predicted.csv")
            run(distill, "predict", "--student", path, "--data", csv_path, "--out", predicted_path)
            with open(predicted_path, newline="", encoding="utf-8") as f:
                self.students.append((kind, path, list(csv.DictReader(f))))

    def values(self):
        """The rows as Python values: float or str, None when missing."""
        def value(name, text):
            if is_missing(text):
                return None
            return float(text) if self.kinds[name] == "numeric" else text
        return [{name: value(name, row[name]) for name in self.features} for row in self.rows]

    def report(self, label, predicted, answers):
        """Compares, prints one line; whether every row matched."""
        mismatches = compare(label, predicted, answers, self.classes)
        print(f"{'ok  ' if mismatches == 0 else 'FAIL'} {label}: {len(predicted)} rows ({self.given} given, "
              f"{self.generated} generated of which {self.on_edges} on or around a threshold), {mismatches} mismatches")
        return mismatches == 0


def cases(distill, work, rng):
    """Each sample's case and its hand-written rule list's, then the hostile ones."""
    for sample, label in SAMPLES.items():
        directory = os.path.join(ROOT, "Samples", sample)
        dirs = fit(distill, ["--teacher", os.path.join(directory, "teacher.onnx")],
                   os.path.join(directory, "train.csv"), os.path.join(work, sample), label)
        with open(os.path.join(dirs[0], "student.json")) as f:
            tree = json.load(f)
        kinds = {f["name"]: f["kind"] for f in tree["features"]}
        features = list(kinds)
        source = read_rows(os.path.join(directory, "test.csv"), features)
        yield Case(distill, sample, features, kinds, source, tree, dirs, work, rng)
        hand = hand_rules(tree, source, os.path.join(work, sample, "hand-rules"))
        yield Case(distill, f"{sample}-hand-rules", features, kinds, source, tree, [hand], work, rng)

    teacher = os.path.join(work, "hostile_teacher.py")
    with open(teacher, "w", encoding="utf-8") as f:
        f.write(HOSTILE_TEACHER)
    features = list(HOSTILE_COLUMNS)
    train_path = os.path.join(work, "hostile-train.csv")
    with open(train_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(features)
        writer.writerows([[row[n] for n in features] for row in hostile_training_rows(rng)])
    dirs = fit(distill, ["--teacher-command", f"{sys.executable} '{teacher}'"], train_path, os.path.join(work, "hostile"))
    with open(os.path.join(dirs[0], "student.json")) as f:
        tree = json.load(f)
    kinds = {f["name"]: f["kind"] for f in tree["features"]}
    used = {node["feature"] for node in tree["nodes"] if "feature" in node}
    print(f"     hostile tree splits on: {sorted(used)}")
    source = read_rows(train_path, features)[:200]
    yield Case(distill, "hostile", features, kinds, source, tree, dirs, work, rng)
    hand = hand_rules(tree, source, os.path.join(work, "hostile", "hand-rules"))
    yield Case(distill, "hostile-hand-rules", features, kinds, source, tree, [hand], work, rng)
