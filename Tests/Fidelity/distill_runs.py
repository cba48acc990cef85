"""Running Distill with its default options at one size and reading its held-out fidelity.

Each run is `distill tree|linear|rules --teacher T --data train.csv --eval-data test.csv
--label Y <size> --no-report --out DIR`, and its score is fidelity.json's "eval" block:
agreement with the teacher's classes, or R² against its value, in points (x100), as the
peers are scored. A run's time is its wall time, querying the teacher included (the peers
get the teacher's answers ready-made). A run that fails is a result too: its error text is
kept and shown, and the benchmark goes on.
"""
import json
import os
import subprocess
import time

from peers import Result


def _error_text(result):
    lines = [line for line in (result.stderr or result.stdout).strip().splitlines() if line.strip()]
    return f"exit {result.returncode}: " + (" / ".join(lines[-3:]) if lines else "no output")


def _run(arguments):
    start = time.perf_counter()
    result = subprocess.run(arguments, capture_output=True, text=True)
    return result, time.perf_counter() - start


def distill(binary, command, teacher, paths, label, options, out):
    """One `distill COMMAND` run's Result; its detail is fidelity.json's "student" block."""
    train, test = paths
    result, seconds = _run([binary, command, "--teacher", teacher, "--data", train, "--eval-data", test,
                            "--label", label, *options, "--no-report", "--out", out])
    if result.returncode != 0:
        return Result(seconds=seconds, error=_error_text(result))
    with open(os.path.join(out, "fidelity.json")) as handle:
        fidelity = json.load(handle)
    held_out = fidelity["eval"]
    value = held_out["agreement"] if fidelity["task"] == "classification" else held_out["r2"]
    return Result(100.0 * value, seconds, detail=fidelity.get("student", {}))


def tree_as_rules(binary, teacher, paths, label, rules, out):
    """A tree of rules + 1 leaves rewritten by `distill rules --from-tree`: a rule per leaf,
    the largest leaf as the default, so `rules` rules before it, as --max-rules counts.
    The rule list answers exactly as the tree does, so the tree's fidelity is its own;
    its rule count (after simplification) is read from the rewritten student.json."""
    tree = distill(binary, "tree", teacher, paths, label, ["--max-leaves", str(rules + 1)], out)
    if tree.error:
        return tree
    rewritten = out + "-as-rules"
    result, seconds = _run([binary, "rules", "--from-tree", os.path.join(out, "student.json"), "--out", rewritten])
    if result.returncode != 0:
        return Result(seconds=tree.seconds + seconds, error=_error_text(result))
    with open(os.path.join(rewritten, "student.json")) as handle:
        count = len(json.load(handle)["rules"]) - 1  # the last rule is the default
    return Result(tree.score, tree.seconds + seconds, detail={"rules": count, "leaves": tree.detail.get("leaves")})
