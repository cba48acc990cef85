"""Checks that `distill export --format sql` answers every row as `distill predict` does.

For each sample (breast-cancer, penguins, diabetes) it fits a tree (--max-leaves 8), a
linear model (--max-features 5) and a rule list (the tree rewritten), and writes a rule
list by hand (export_rows.hand_rules: the tests a list from a tree never has); it exports
each as SQL with --probabilities and --id, and runs the query over a table holding the
sample's test rows plus 10,000 generated ones:

- random values within each feature's training range, drawn as Float32 values;
- values on every threshold t (a tree's or a rule's), on its Float32 neighbours, and on
  the double-only values around the midpoint m between t and the Float32 above it: a
  double in (t, m) rounds to t when Distill reads it, so it must pass x ≤ t although it is
  above t, and m itself passes or fails as Float32's ties-to-even rounding says;
- missing values in every column (5%), levels never seen in training (3%).

The same rows go to `distill predict` as a CSV (numbers written with the digits that read
back as the same double). Every row must get the same class (or value, within 1e-6
relative), leaf or rule, and probabilities within 1e-6. A hostile case does the same with a
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
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import numpy as np

from export_rows import cases, is_missing, run
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


def check_case(case, postgres, database, work):
    """Exports each student as SQL, runs it on the case's rows and compares; returns (rows compared, failures)."""
    failures, compared = 0, 0
    values = table_rows(case.features, case.kinds, case.rows)
    for kind, path, predicted in case.students:
        for dialect in ["sqlite"] + (["postgres"] if postgres else []):
            options = ["--probabilities"] if case.classes else []
            sql = run(case.distill, "export", "--student", path, "--format", "sql", "--dialect", dialect, "--id", "row_id", *options)
            if dialect == "sqlite":
                answers = sqlite_answers(sql, case.features, case.kinds, values)
            else:
                answers = postgres_answers(sql, case.features, case.kinds, values, work, database)
            compared += len(predicted)
            failures += not case.report(f"{case.name} {kind} {dialect}", predicted, answers)
    return compared, failures


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
            for case in cases(distill, work, rng):
                n, bad = check_case(case, postgres, database, work)
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

