"""Checks that `distill export --format sql` answers every row as `distill predict` does.

For each sample (breast-cancer, penguins, diabetes) it fits a tree (--max-leaves 8) and a
linear model (--max-features 5), exports each as SQL with --probabilities and --id, and
runs the query over a table holding the sample's test rows plus 10,000 generated ones:

- random values within each feature's training range, drawn as Float32 values;
- values on every tree threshold t, on its Float32 neighbours, and on the double-only
  values around the midpoint m between t and the Float32 above it: a double in (t, m)
  rounds to t when Distill reads it, so it must go left although it is above t, and m
  itself goes where Float32's ties-to-even rounding sends it;
- missing values in every column (5%), levels never seen in training (3%).

The same rows go to `distill predict` as a CSV (numbers written with the digits that read
back as the same double). Every row must get the same class (or value, within 1e-6
relative) and leaf, and probabilities within 1e-6. A hostile case does the same with a
teacher program whose column names, levels and class names are SQL and Markdown syntax
(quotes, `--`, `;`, backslashes, a line break, non-ASCII).

SQLite runs in-process (Python's sqlite3; its EXP needs SQLite built with math functions,
which Debian's is; it is checked first). PostgreSQL runs through psql with its default
connection settings when a server answers there, with standard_conforming_strings off
(the setting under which a backslash in a literal could change meaning); otherwise that
half is reported as skipped, not failed.

Usage: check_export_sql.py PATH_TO_DISTILL
"""
import csv
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

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
        z = [number('"quoted"') + (4.0 if value("select") == "it's" else -2.0 if value("select") == "a\\b" else 0.0),
             number("a b") - number("x'y") + (3.0 if value("naïve") == "oui" else 0.0),
             0.5 * number("back\\slash") + (2.5 if value(";drop table") == "line\nbreak" else 0.0)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        outputs.append([v / sum(e) for v in e])
    print(json.dumps({"outputs": outputs}), flush=True)
'''
HOSTILE_COLUMNS = {
    '"quoted"': None, "select": ["it's", 'say "hi"', "a\\b", "--x", "; DROP TABLE data; --", "<b>&amp;"],
    "a b": None, "naïve": ["oui", "non", "peut-être"], "x'y": None, "--comment": None,
    ";drop table": ["A", "B", "line\nbreak"], "back\\slash": None,
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


def table_rows(features, kinds, rows):
    """The rows as database values: REAL or TEXT, NULL for missing."""
    def value(name, text):
        if is_missing(text):
            return None
        return float(text) if kinds[name] == "numeric" else text
    return [[i] + [value(name, row[name]) for name in features] for i, row in enumerate(rows)]


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def sqlite_answers(sql, features, kinds, values):
    db = sqlite3.connect(":memory:")
    db.execute("SELECT exp(1)")
    types = ["REAL" if kinds[name] == "numeric" else "TEXT" for name in features]
    db.execute(f"CREATE TABLE data (row_id INTEGER, {', '.join(f'{quote(n)} {t}' for n, t in zip(features, types))})")
    db.executemany(f"INSERT INTO data VALUES ({', '.join('?' * (len(features) + 1))})", values)
    cursor = db.execute(sql)
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor}


def postgres_available():
    if shutil.which("psql") is None:
        return False
    result = subprocess.run(["psql", "-X", "-d", "postgres", "-tAc", "SELECT 1"], capture_output=True, text=True)
    return result.returncode == 0


def postgres_answers(sql, features, kinds, values, work, database):
    def field(v):
        if v is None:
            return ""
        if isinstance(v, str):
            return '"' + v.replace('"', '""') + '"'
        return repr(v)
    data = os.path.join(work, "pg-rows.csv")
    with open(data, "w", encoding="utf-8") as f:
        for row in values:
            f.write(",".join(field(v) for v in row) + "\n")
    types = ["double precision" if kinds[name] == "numeric" else "text" for name in features]
    script = os.path.join(work, "pg.sql")
    with open(script, "w", encoding="utf-8") as f:
        f.write("DROP TABLE IF EXISTS data;\n")
        f.write(f"CREATE TABLE data (row_id integer, {', '.join(f'{quote(n)} {t}' for n, t in zip(features, types))});\n")
        f.write(f"\\copy data FROM '{data}' WITH (FORMAT csv)\n")
        # The harder setting: with it off a backslash in '...' escapes, so only the E'...'
        # form the export uses for such literals keeps their meaning.
        f.write("SET standard_conforming_strings = off;\nSET escape_string_warning = off;\n")
        f.write(sql)
    out = run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "--csv", "-f", script)
    reader = csv.reader(out.splitlines(keepends=True))
    names = next(reader)
    answers = {}
    for row in reader:
        record = {}
        for name, text in zip(names, row):
            record[name] = text if name == "student_class" else (None if text == "" else float(text))
        answers[int(record["row_id"])] = record
    return answers


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
            if "leaf" in expected and int(expected["leaf"]) != int(got["leaf"]):
                problems.append(f"leaf {expected['leaf']} vs {got['leaf']}")
        if problems:
            mismatches += 1
            if mismatches <= 5:
                print(f"     {label} row {i}: {'; '.join(problems)}")
    return mismatches


def check_case(distill, name, features, kinds, source_rows, thresholds_from, student_dirs, work, rng, postgres, database):
    """Exports each student, runs it on the rows and compares; returns (rows compared, failures)."""
    failures, compared = 0, 0
    with open(os.path.join(student_dirs[0], "student.json")) as f:
        student = json.load(f)
    classes = student.get("classes")
    thresholds = {}
    for node in thresholds_from.get("nodes", []):
        if node.get("threshold") is not None:
            thresholds.setdefault(node["feature"], []).append(node["threshold"])
    levels = {n: sorted({r[n] for r in source_rows if not is_missing(r[n])}) for n in features if kinds[n] != "numeric"}
    ranges = {}
    for n in features:
        if kinds[n] == "numeric":
            present = [float(r[n]) for r in source_rows if not is_missing(r[n])]
            ranges[n] = (min(present), max(present))
    generated, on_edges = generate(features, kinds, thresholds, ranges, levels, rng)
    rows = source_rows + generated
    csv_path = os.path.join(work, f"{name}-rows.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(features)
        writer.writerows([[row[n] for n in features] for row in rows])
    values = table_rows(features, kinds, rows)
    for directory in student_dirs:
        with open(os.path.join(directory, "student.json")) as f:
            kind = json.load(f)["kind"]
        predicted_path = os.path.join(work, f"{name}-{kind}-predicted.csv")
        run(distill, "predict", "--student", os.path.join(directory, "student.json"), "--data", csv_path, "--out", predicted_path)
        with open(predicted_path, newline="", encoding="utf-8") as f:
            predicted = list(csv.DictReader(f))
        dialects = ["sqlite"] + (["postgres"] if postgres else [])
        for dialect in dialects:
            options = ["--probabilities"] if classes else []
            sql = run(distill, "export", "--student", os.path.join(directory, "student.json"), "--format", "sql",
                      "--dialect", dialect, "--id", "row_id", *options)
            if dialect == "sqlite":
                answers = sqlite_answers(sql, features, kinds, values)
            else:
                answers = postgres_answers(sql, features, kinds, values, work, database)
            label = f"{name} {kind} {dialect}"
            mismatches = compare(label, predicted, answers, classes)
            compared += len(predicted)
            failures += mismatches > 0
            print(f"{'ok  ' if mismatches == 0 else 'FAIL'} {label}: {len(predicted)} rows ({len(source_rows)} given, "
                  f"{len(generated)} generated of which {on_edges} on or around a tree threshold), {mismatches} mismatches")
    return compared, failures


def read_rows(path, features):
    with open(path, newline="", encoding="utf-8") as f:
        return [{n: row[n] for n in features} for row in csv.DictReader(f)]


def fit(distill, teacher, data, out, label=None):
    common = [*teacher, "--data", data, "--no-report"] + (["--label", label] if label else [])
    run(distill, "tree", *common, "--max-leaves", "8", "--out", os.path.join(out, "tree"))
    run(distill, "linear", *common, "--max-features", "5", "--out", os.path.join(out, "linear"))
    return [os.path.join(out, "tree"), os.path.join(out, "linear")]


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


def main():
    distill = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20240601)
    postgres = postgres_available()
    database = f"distill_export_check_{os.getpid()}"
    if postgres:
        run("psql", "-X", "-q", "-d", "postgres", "-c", f"CREATE DATABASE {database}")
    else:
        print("     postgres: skipped (psql cannot reach a server with its default settings)")
    failures, compared = 0, 0
    try:
        with tempfile.TemporaryDirectory() as work:
            for sample, label in SAMPLES.items():
                directory = os.path.join(ROOT, "Samples", sample)
                dirs = fit(distill, ["--teacher", os.path.join(directory, "teacher.onnx")],
                           os.path.join(directory, "train.csv"), os.path.join(work, sample), label)
                with open(os.path.join(dirs[0], "student.json")) as f:
                    tree = json.load(f)
                kinds = {f["name"]: f["kind"] for f in tree["features"]}
                features = list(kinds)
                source = read_rows(os.path.join(directory, "test.csv"), features)
                n, bad = check_case(distill, sample, features, kinds, source, tree, dirs, work, rng, postgres, database)
                compared, failures = compared + n, failures + bad

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
            n, bad = check_case(distill, "hostile", features, kinds, source, tree, dirs, work, rng, postgres, database)
            compared, failures = compared + n, failures + bad
    finally:
        if postgres:
            run("psql", "-X", "-q", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {database}")
    print(f"export sql checks: {compared} rows compared, "
          + ("all passed" if failures == 0 else f"{failures} failed")
          + ("" if postgres else " (sqlite only)"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
