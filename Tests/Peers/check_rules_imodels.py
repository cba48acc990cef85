"""Checks that `distill rules` is at least as faithful as imodels' GreedyRuleListClassifier
with the same number of rules, on the binary samples (GreedyRuleList handles two classes).

Per sample and per --max-rules K in (2, 4, 8): Distill learns a rule list on train.csv with
test.csv as its held-out rows; its rule count n (after pruning) is read from student.json.
GreedyRuleListClassifier(max_depth=n) is fitted to the teacher's classes on train.csv.
Both are scored by agreement with the teacher's classes on test.csv, and Distill's must be
at least imodels'. GreedyRuleList cannot read missing values, and the binary sample has
none.

A self-test first checks that the comparison can fail: a one-rule Distill list against
imodels with eight rules must lose.

Usage: check_rules_imodels.py PATH_TO_DISTILL
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY_SAMPLES = {"breast-cancer": "diagnosis"}
MAX_RULES = (2, 4, 8)


def run(*arguments):
    result = subprocess.run(list(arguments), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments[:2])} failed: {result.stderr.strip()}")
    return result.stdout


def labelled(distill, teacher, data, label, out):
    """Features (as floats) and the teacher's class per row."""
    run(distill, "label", "--teacher", teacher, "--data", data, "--drop", label, "--out", out)
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    names = [n for n in rows[0] if n != label and not n.startswith("teacher_")]
    return names, np.array([[float(r[n]) for n in names] for r in rows]), np.array([r["teacher_class"] for r in rows])


def distill_fidelity(distill, teacher, directory, label, out, max_rules, extra=()):
    run(distill, "rules", "--teacher", teacher, "--data", os.path.join(directory, "train.csv"),
        "--eval-data", os.path.join(directory, "test.csv"), "--label", label, "--max-rules", str(max_rules),
        "--no-report", "--out", out, *extra)
    with open(os.path.join(out, "student.json")) as f:
        rules = len(json.load(f)["rules"]) - 1
    with open(os.path.join(out, "fidelity.json")) as f:
        return rules, json.load(f)["eval"]["agreement"]


def imodels_fidelity(names, train_x, train_y, test_x, test_y, rules):
    from imodels import GreedyRuleListClassifier
    classes = sorted(set(train_y))
    model = GreedyRuleListClassifier(max_depth=rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(train_x, (train_y == classes[1]).astype(int), feature_names=names)
        predicted = np.array(model.predict(test_x))
    return float(np.mean(np.where(predicted == 1, classes[1], classes[0]) == test_y))


def main():
    distill = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for sample, label in BINARY_SAMPLES.items():
            directory = os.path.join(ROOT, "Samples", sample)
            teacher = os.path.join(directory, "teacher.onnx")
            names, train_x, train_y = labelled(distill, teacher, os.path.join(directory, "train.csv"), label,
                                               os.path.join(work, "train.csv"))
            _, test_x, test_y = labelled(distill, teacher, os.path.join(directory, "test.csv"), label,
                                         os.path.join(work, "test.csv"))

            rules, ours = distill_fidelity(distill, teacher, directory, label, os.path.join(work, "self-test"), 1,
                                           ("--no-prune", "--max-conditions", "1", "--augment", "none"))
            theirs = imodels_fidelity(names, train_x, train_y, test_x, test_y, 8)
            if not ours < theirs:
                print(f"FAIL self-test: a {rules}-rule list ({ours:.4f}) should lose to 8 imodels rules ({theirs:.4f})")
                failures += 1

            for max_rules in MAX_RULES:
                rules, ours = distill_fidelity(distill, teacher, directory, label,
                                               os.path.join(work, f"{sample}-{max_rules}"), max_rules)
                theirs = imodels_fidelity(names, train_x, train_y, test_x, test_y, max(rules, 1))
                verdict = "ok" if ours >= theirs else "FAIL"
                failures += verdict == "FAIL"
                print(f"  {verdict} {sample} --max-rules {max_rules}: {rules} rules, held-out agreement "
                      f"Distill {ours:.4f}, imodels GreedyRuleList {theirs:.4f} on {len(test_y)} rows")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
