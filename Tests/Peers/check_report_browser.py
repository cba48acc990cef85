"""Opens Distill's HTML reports in headless Chromium and checks what a reader would get.

0. Self-test: a stand-in report passes, and a page with a console error, a script that runs,
   a request for another file, no tree diagram, a doubly escaped name and next to no content
   fails on each count, so a check that can no longer fail is caught.
1. Every committed Reports/*/report.html: no console error, no request beyond the file
   itself, no script, an svg with width and height > 0 in its main drawing (#tree, or
   #weights for a linear model), and a full-page screenshot
   that is a PNG of more than a few KB.
2. Hostile reports: `distill tree` and `distill linear` with a teacher program on a CSV
   whose column names, text levels and class names are HTML, quotes, backslashes and
   non-ASCII text. Each report must pass the same checks, no injected script may run
   (window.__pwned stays undefined), and every feature the student uses and both class
   names must appear literally in the visible text, never as escape sequences.

Usage: check_report_browser.py PATH_TO_DISTILL
"""
import csv
import glob
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time

from browser import open_page

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A page with one word makes a screenshot of about 4 KB, the self-test's stand-in report one
# of about 28 KB; a real report with its diagrams is larger still.
MIN_SCREENSHOT_BYTES = 10_000
# Escapes that show in the visible text only when a name was escaped twice.
ESCAPES = ("&amp;", "&lt;", "&gt;", "&quot;", "&#")

SCRIPT_NAME = "<script>window.__pwned=1</script>"
QUOTED_NAME = '"quoted" name'
TEXT_NAME = '</text><svg onload="window.__pwned=3">'
IMG_LEVEL = '<img src=x onerror="window.__pwned=2">'
NUMERIC_NAMES = [SCRIPT_NAME, QUOTED_NAME, "a&b <i>", "O'Brien", "{braces}\\back", "naïve 名前"]
LEVELS = [IMG_LEVEL, 'x"y', "plain"]
CLASSES = ["<b>yes</b>", "no & maybe"]

# Yes when the <script> column is high, unless the row has the <img> level, or when the
# "quoted" column is high: splits on three hostile-named features.
TEACHER = """import json, sys

A, B, TEXT, IMG, CLASSES = {constants!r}
for line in sys.stdin:
    message = json.loads(line)
    if "distill" in message:
        print(json.dumps({{"classes": CLASSES}}), flush=True)
        continue
    column = {{name: i for i, name in enumerate(message["columns"])}}
    outputs = []
    for row in message["rows"]:
        a, b, text = row[column[A]], row[column[B]], row[column[TEXT]]
        yes = (a is not None and a > 5 and text != IMG) or (b is not None and b > 7)
        outputs.append([0.9, 0.1] if yes else [0.1, 0.9])
    print(json.dumps({{"outputs": outputs}}), flush=True)
"""

STAND_IN_REPORT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in report</title>
<style>body { font-family: sans-serif; margin: 2em; } rect { fill: #88c; }</style></head>
<body><h1>How the student decides</h1>
<p>A stand-in for a Distill report: a paragraph of prose, a table and a diagram, enough for
a screenshot with some detail in it.</p>
<table><tr><th>leaf</th><th>rows</th><th>agreement</th></tr>
<tr><td>1</td><td>120</td><td>0.97</td></tr><tr><td>2</td><td>80</td><td>0.91</td></tr></table>
<section id="tree"><svg width="600" height="240" viewBox="0 0 600 240">
<rect x="240" y="10" width="120" height="40"/><text x="250" y="35">flipper &lt;= 206</text>
<rect x="60" y="150" width="120" height="40"/><text x="70" y="175">Adelie 0.97</text>
<rect x="420" y="150" width="120" height="40"/><text x="430" y="175">Gentoo 0.91</text>
<line x1="300" y1="50" x2="120" y2="150" stroke="black"/>
<line x1="300" y1="50" x2="480" y2="150" stroke="black"/></svg></section>
</body></html>
"""

BROKEN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="style.css"></head>
<body><p>x &amp;amp; y</p><script>window.__pwned = 1; console.error("a script ran");</script></body></html>
"""


def problems(view, screenshot, expected_text=(), figure="tree"):
    """What is wrong with a loaded page, as {kind: message}; empty when nothing is."""
    found = {}
    errors = [message for level, message in view.console if level == "SEVERE"]
    if errors:
        found["console"] = f"{len(errors)} console error(s): " + " | ".join(errors[:3])
    if view.requests:
        found["requests"] = "asked for more than the file itself: " + ", ".join(view.requests[:5])
    if view.probe is not None:
        found["script ran"] = f"an injected script ran: window.__pwned = {view.probe}"
    if view.scripts:
        found["script in page"] = "the page holds script: " + " | ".join(view.scripts[:3])
    if view.figure_svgs is None:
        found["tree"] = f"no element with id '{figure}'"
    elif not any(width > 0 and height > 0 for width, height in view.figure_svgs):
        found["tree"] = f"no svg with width and height > 0 inside #{figure} (sizes: {view.figure_svgs})"
    with open(screenshot, "rb") as f:
        png = f.read()
    if not png.startswith(PNG_MAGIC) or len(png) < MIN_SCREENSHOT_BYTES:
        found["screenshot"] = (f"the screenshot is {'a PNG' if png.startswith(PNG_MAGIC) else 'not a PNG'} "
                               f"of {len(png)} bytes (at least {MIN_SCREENSHOT_BYTES} expected)")
    missing = [text for text in expected_text if text not in view.text]
    escaped = [escape for escape in ESCAPES if escape in view.text]
    text = ([f"not in the visible text: {missing}"] if missing else []) + \
           ([f"escapes shown as text: {escaped}"] if escaped else [])
    if text:
        found["text"] = "; ".join(text)
    return found


def figure_of(report):
    """The id of a report's main drawing: the tree diagram, a linear model's weights, or a
    rule list's chain."""
    student = os.path.join(os.path.dirname(report), "student.json")
    if os.path.exists(student):
        with open(student) as f:
            return {"linear": "weights", "rules": "rules"}.get(json.load(f).get("kind"), "tree")
    return "tree"


def load_and_check(name, path, work, expected_text=()):
    """Loads one page; returns its problems and how long that took, as text."""
    screenshot = os.path.join(work, f"{name.replace('/', '-').replace(' ', '-')}.png")
    start = time.monotonic()
    figure = figure_of(path)
    found = problems(open_page(path, screenshot=screenshot, figure=figure), screenshot, expected_text, figure)
    return found, f"({time.monotonic() - start:.1f} s)"


def check_page(name, path, work, expected_text=()):
    """Checks one page that must pass, prints the outcome; returns 1 when it failed, else 0."""
    found, took = load_and_check(name, path, work, expected_text)
    print(f"ok   {name} {took}" if not found else f"FAIL {name} {took}: " + "; ".join(found.values()), flush=True)
    return int(bool(found))


def self_test(work):
    """Returns the number of failed self-test checks."""
    good, broken = os.path.join(work, "stand-in.html"), os.path.join(work, "broken.html")
    with open(good, "w") as f:
        f.write(STAND_IN_REPORT)
    with open(broken, "w") as f:
        f.write(BROKEN_PAGE)
    failures = check_page("self-test: a stand-in report passes", good, work, expected_text=["flipper <= 206"])
    expected = {"console", "requests", "script ran", "script in page", "tree", "screenshot", "text"}
    found, took = load_and_check("self-test broken page", broken, work, expected_text=["flipper"])
    missed = expected - set(found)
    if missed:
        failures += 1
        print(f"FAIL self-test: a broken page passed the check(s) {sorted(missed)}, which can no longer fail {took}")
    else:
        print(f"ok   self-test: a broken page fails every check {took}:")
        for message in found.values():
            print(f"       {message}")
    return failures


def check_committed_reports(work):
    """Returns the number of committed reports that fail."""
    reports = sorted(glob.glob(os.path.join(ROOT, "Reports", "*", "report.html")))
    if not reports:
        print("     no committed reports (Reports/*/report.html) yet: nothing to check there")
    return sum(check_page(os.path.relpath(report, ROOT), report, work) for report in reports)


def write_hostile_inputs(work):
    """Writes the hostile CSV and the teacher program; returns their paths."""
    rng = random.Random(0)
    data = os.path.join(work, "hostile.csv")
    with open(data, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(NUMERIC_NAMES + [TEXT_NAME])
        for _ in range(300):
            writer.writerow([round(rng.uniform(0, 10), 3) for _ in NUMERIC_NAMES] + [rng.choice(LEVELS)])
    teacher = os.path.join(work, "hostile_teacher.py")
    with open(teacher, "w", encoding="utf-8") as f:
        f.write(TEACHER.format(constants=(SCRIPT_NAME, QUOTED_NAME, TEXT_NAME, IMG_LEVEL, CLASSES)))
    return data, teacher


def check_hostile_report(distill, work):
    """Returns the number of hostile reports (a tree's, a linear model's) that fail or were
    not written."""
    data, teacher = write_hostile_inputs(work)
    teacher_command = f"{shlex.quote(sys.executable)} {shlex.quote(teacher)}"
    failures = 0
    for kind, options in (("tree", ["--max-leaves", "6"]), ("linear", ["--max-features", "3"])):
        out = os.path.join(work, f"hostile-{kind}")
        command = [distill, kind, "--teacher-command", teacher_command, "--data", data, *options, "--out", out]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"FAIL hostile {kind} report: distill {kind} exited {result.returncode}:\n{result.stderr.strip()}")
            failures += 1
            continue
        report = os.path.join(out, "report.html")
        if not os.path.exists(report):
            print(f"FAIL hostile {kind} report: distill {kind} wrote no report.html (it wrote: {', '.join(sorted(os.listdir(out)))})")
            failures += 1
            continue
        with open(os.path.join(out, "student.json"), encoding="utf-8") as f:
            student = json.load(f)
        if kind == "tree":
            used = sorted({node["feature"] for node in student["nodes"] if "feature" in node})
        else:
            linear = student["linear"]
            used = sorted({term["feature"] for j, term in enumerate(linear["terms"])
                           if any(output["standardized_weights"][j] != 0 for output in linear["outputs"])})
        print(f"     hostile {kind} report: the student uses {used}", flush=True)
        failures += check_page(f"hostile {kind} report", report, work, expected_text=used + CLASSES)
    return failures


def main():
    distill = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        failures = self_test(work) + check_committed_reports(work) + check_hostile_report(distill, work)
    print("report browser checks: all passed" if failures == 0 else f"report browser checks: {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
