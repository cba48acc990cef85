"""Held-out fidelity with and without querying the teacher beyond the data.

For each classification sample and 4, 8 and 16 leaves, fits `distill tree --max-leaves L`
with --augment none, node and global on the sample's train.csv, measures agreement on its
test.csv, and averages over 5 seeds (the seed drives the synthetic rows; without
augmentation the result does not depend on it). Prints a Markdown table; exits non-zero
when node augmentation loses to none on average over a sample.

Usage: augmentation_table.py PATH_TO_DISTILL [--seeds N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = {"breast-cancer": "diagnosis", "penguins": "species"}
LEAVES = (4, 8, 16)
MODES = ("none", "node", "global")


def held_out(distill, sample, label, leaves, mode, seed, work):
    out = os.path.join(work, "run")
    subprocess.run([distill, "tree", "--teacher", os.path.join(ROOT, "Samples", sample, "teacher.onnx"),
                    "--data", os.path.join(ROOT, "Samples", sample, "train.csv"),
                    "--eval-data", os.path.join(ROOT, "Samples", sample, "test.csv"),
                    "--label", label, "--max-leaves", str(leaves), "--augment", mode, "--seed", str(seed),
                    "--out", out], check=True, capture_output=True)
    with open(os.path.join(out, "fidelity.json")) as f:
        report = json.load(f)
    return report["eval"]["agreement"], report["teacher_queries"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("distill")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    distill = os.path.abspath(args.distill)
    losing = []
    print("| sample | leaves | none | node | global | queries (node) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for sample, label in SAMPLES.items():
            totals = {mode: 0.0 for mode in MODES}
            for leaves in LEAVES:
                means, queries = {}, 0
                for mode in MODES:
                    seeds = range(args.seeds) if mode != "none" else range(1)
                    runs = [held_out(distill, sample, label, leaves, mode, seed, work) for seed in seeds]
                    means[mode] = sum(r[0] for r in runs) / len(runs)
                    if mode == "node":
                        queries = sum(r[1] for r in runs) / len(runs)
                    totals[mode] += means[mode] / len(LEAVES)
                print(f"| {sample} | {leaves} | {means['none']:.4f} | {means['node']:.4f} | {means['global']:.4f} | {queries:.0f} |")
            print(f"| {sample} | mean | {totals['none']:.4f} | {totals['node']:.4f} | {totals['global']:.4f} | |")
            if totals["node"] < totals["none"] - 1e-9:
                losing.append(sample)
    if losing:
        print(f"node augmentation loses on average on: {', '.join(losing)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
