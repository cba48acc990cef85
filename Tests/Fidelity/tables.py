"""From the runs' records to the benchmark's means, gains, goals and Markdown table.

A cell is one dataset, student and size: each side's mean score and fit time over the
seeds. A side that failed on any seed has no mean (its error is listed instead), and a
cell whose Distill run failed has no gain: the summary counts it against its goal.
"""
from statistics import mean

import students
from peers import REFERENCE_PEERS

# Per group of sizes: the goal as worded in the table, and the test of it.
GOALS = [
    ("tree", students.TREE_SMALL, "mean ≥ +1.0, worst ≥ −0.3",
     lambda g: g["mean"] >= 1.0 and g["worst"] >= -0.3),
    ("tree", students.TREE_LARGE, "worst ≥ −0.3", lambda g: g["worst"] >= -0.3),
    ("linear", students.SIZES["linear"], "mean ≥ +0.5, worst ≥ −0.5",
     lambda g: g["mean"] >= 0.5 and g["worst"] >= -0.5),
    ("rules", students.SIZES["rules"], "≥ each peer everywhere, mean ≥ +1.0 over GreedyRuleList",
     lambda g: g["worst_each"] >= 0.0 and g["mean_over"].get("GreedyRuleList", float("-inf")) >= 1.0),
]
# What a student's detail says about the size it really has: (Distill's key, the peers' key).
KEPT = {"linear": ("nonzero_features", "features"), "rules": ("rules", "rules")}


def _side(results, kept_key):
    """Mean score and time of one side over the seeds, its errors, and its mean kept size."""
    errors = [(seed, r["error"]) for seed, r in results if r["error"]]
    times = [r["seconds"] for _, r in results if r["seconds"] is not None]
    kept = [r["detail"].get(kept_key) for _, r in results if r["detail"].get(kept_key) is not None]
    return {"score": None if errors else mean(r["score"] for _, r in results),
            "seconds": mean(times) if times else None, "errors": errors,
            "kept": mean(kept) if kept else None, "seeds": len(results)}


def cells(records):
    grouped = {}
    for record in records:
        grouped.setdefault((record["dataset"], record["student"], tuple(record["size"])), []).append(record)
    out = []
    for (dataset, student, size), runs in grouped.items():
        ours_key, theirs_key = KEPT.get(student, (None, None))
        ours = _side([(r["seed"], r["distill"]) for r in runs], ours_key)
        names = list(dict.fromkeys(name for r in runs for name in r["peers"]))
        theirs = {n: _side([(r["seed"], r["peers"][n]) for r in runs if n in r["peers"]], theirs_key) for n in names}
        ran = {n: p["score"] for n, p in theirs.items() if p["score"] is not None and n not in REFERENCE_PEERS}
        best = max(ran, key=ran.get) if ran else None
        gains = {n: ours["score"] - s for n, s in ran.items()} if ours["score"] is not None else {}
        out.append({"dataset": dataset, "student": student, "size": list(size), "distill": ours, "peers": theirs,
                    "best_peer": best, "gain": gains.get(best), "gains": gains})
    return out


def summary(all_cells):
    rows = []
    for student, sizes, goal, holds in GOALS:
        group = [c for c in all_cells if c["student"] == student and tuple(c["size"]) in sizes]
        if not group:
            continue
        scored = [c for c in group if c["gain"] is not None]
        gains = [c["gain"] for c in scored]
        worst = min(scored, key=lambda c: c["gain"]) if scored else None
        each = [g for c in scored for g in c["gains"].values()]
        over = {}
        for cell in scored:
            for name, gain in cell["gains"].items():
                over.setdefault(name, []).append(gain)
        row = {"student": student, "sizes": ", ".join(students.size_text(s) for s in sizes), "cells": len(group),
               "failed_cells": len(group) - len(scored), "mean": mean(gains) if gains else None,
               "worst": worst["gain"] if worst else None,
               "worst_where": f"{worst['dataset']} {students.size_text(worst['size'])}" if worst else None,
               "worst_each": min(each) if each else None, "mean_over": {n: mean(g) for n, g in over.items()},
               "goal": goal}
        row["holds"] = bool(scored) and row["failed_cells"] == 0 and holds(row)
        rows.append(row)
    return rows


def _number(value, digits=2, signed=False):
    if value is None:
        return "—"
    value = round(value, digits) + 0.0  # a tie computed as -1e-15 is shown as +0.00, not -0.00
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _score(side):
    if side is None:
        return "—"
    if side["errors"]:
        return "error"
    kept = f" ({side['kept']:.1f})" if side["kept"] is not None else ""
    return _number(side["score"]) + kept


def _student_table(described, group):
    names = list(dict.fromkeys(n for c in group for n in c["peers"]))
    header = ["dataset", "rows", "size", "Distill", "s"] + [x for n in names for x in (n, "s")] + ["gain"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for c in group:
        row = [c["dataset"], str(described[c["dataset"]]["rows"]), students.size_text(c["size"]),
               _score(c["distill"]), _number(c["distill"]["seconds"])]
        for name in names:
            side = c["peers"].get(name)
            row += [_score(side), _number(side["seconds"]) if side else "—"]
        row.append(_number(c["gain"], signed=True))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _datasets_table(described):
    lines = ["| dataset | task | rows | features (text) | missing values | teacher | teacher's fit on all its rows |",
             "|---|---|---|---|---|---|---|"]
    for name, d in described.items():
        fit = d["teacher_fit"]
        quality = ", ".join(f"{k.split('_on_')[0]} {v:.3f}" for k, v in fit.items() if k != "kind") or "shipped sample"
        label = d["label"] + (" (log10)" if d["label_transform"] else "")
        lines.append(f"| {name} | {d['task']}: {label} | {d['rows']} | {d['features']} ({d['text_features']}) | "
                     f"{d['missing_values']} | {d['teacher']} | {quality} |")
    return lines


def _summary_table(rows):
    lines = ["| student | sizes | mean gain | worst gain (where) | goal | holds |", "|---|---|---|---|---|---|"]
    for r in rows:
        worst = f"{_number(r['worst'], signed=True)} ({r['worst_where']})" if r["worst"] is not None else "—"
        mean_gain = _number(r["mean"], signed=True)
        if r["student"] == "rules":
            mean_gain += "; over each: " + ", ".join(f"{n} {_number(g, signed=True)}" for n, g in r["mean_over"].items())
        failed = f" ({r['failed_cells']} of {r['cells']} cells failed)" if r["failed_cells"] else ""
        lines.append(f"| {r['student']} | {r['sizes']} | {mean_gain} | {worst} | {r['goal']} | "
                     f"{'yes' if r['holds'] else 'no'}{failed} |")
    return lines


def _errors(all_cells):
    """One line per distinct error of a side in a cell, with the seeds it happened on."""
    lines = []
    for c in all_cells:
        where = f"{c['dataset']} {c['student']} {students.size_text(c['size'])}"
        for name, side in [("Distill", c["distill"])] + list(c["peers"].items()):
            seeds = {}
            for seed, text in side["errors"]:
                seeds.setdefault(text, []).append(str(seed))
            lines += [f"- {where}, {name}, seed {', '.join(s)}: {text}" for text, s in seeds.items()]
    return lines


def markdown(described, all_cells, summary_rows, seeds):
    out = ["# Fidelity benchmark", "",
           f"Held-out fidelity of students of equal size, mean over {seeds} seeded 70/30 splits per dataset: "
           "agreement with the teacher's class in % (classification), or R² against the teacher's value × 100 "
           "(regression). Distill runs with its default options. Gain: Distill minus the best peer, in points. "
           "`s`: mean seconds per fit; Distill's include asking the teacher, the peers' do not (they are given "
           "its answers), and the L1 peer's are its whole path. In parentheses: the features a linear model "
           "uses, or the rules a list keeps before its default. FIGS is fitted as one tree; "
           "\"FIGS, sum of trees\" (FIGS left free to add trees, a model of another kind) is shown for "
           "reference and is not in the gains.", "", "## Datasets", ""]
    out += _datasets_table(described)
    if summary_rows:
        out += ["", "## Summary", ""] + _summary_table(summary_rows)
    for student in students.STUDENTS:
        group = [c for c in all_cells if c["student"] == student]
        if group:
            out += ["", f"## {student}", ""] + _student_table(described, group)
    errors = _errors(all_cells)
    if errors:
        out += ["", "## Errors", ""] + errors
    return "\n".join(out) + "\n"
