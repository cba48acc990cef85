"""Rows per second of `distill label` through a real MLServer (`--teacher-url`) against the
same model as an ONNX file evaluated in-process (`--teacher`).

    python3 Tests/Bench/server_teacher.py PATH_TO_DISTILL [--rows N] [--batch-size B] [--concurrency C]

The model is the scikit-learn pipeline of Tests/Peers/mlserver_peer.py (StandardScaler and
LogisticRegression on breast-cancer). Its ONNX form is skl2onnx's conversion of the same
fitted pipeline (ZipMap off); both answers are checked to agree within 1e-5 before the
times are trusted. The rows are breast-cancer's test rows repeated to N. Prints one line
per teacher.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Peers"))
import mlserver_peer  # noqa: E402


def onnx_export(model, path):
    """The pipeline as skl2onnx converts it (Scaler, LinearClassifier, Normalizer), ZipMap off."""
    width = len(model.steps[1][1].coef_[0])
    exported = to_onnx(model, initial_types=[("input", FloatTensorType([None, width]))],
                       options={id(model.steps[1][1]): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
    onnx.save(exported, path)


def timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("distill")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=4096)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        test = os.path.join(mlserver_peer.SAMPLE, "test.csv")
        lines = open(test).read().splitlines()
        data = os.path.join(workdir, "rows.csv")
        with open(data, "w") as f:
            f.write(lines[0] + "\n")
            for i in range(args.rows):
                f.write(lines[1 + i % (len(lines) - 1)] + "\n")
        with mlserver_peer.serve(workdir) as (url, model):
            model_path = os.path.join(workdir, "model.onnx")
            onnx_export(model, model_path)
            common = ["--data", data, "--label", "diagnosis", "--batch-size", str(args.batch_size)]
            server_out, onnx_out = os.path.join(workdir, "server.csv"), os.path.join(workdir, "onnx.csv")
            server = timed([args.distill, "label", "--teacher-url", url, "--teacher-output", "predict_proba",
                            "--teacher-concurrency", str(args.concurrency), "--out", server_out] + common)
            local = timed([args.distill, "label", "--teacher", model_path, "--out", onnx_out] + common)
        a = np.loadtxt(server_out, delimiter=",", skiprows=1, usecols=(31, 32))
        b = np.loadtxt(onnx_out, delimiter=",", skiprows=1, usecols=(31, 32))
        worst = float(np.max(np.abs(a - b)))
        if worst > 1e-5:
            sys.exit(f"the two teachers differ by {worst}")
    print(f"MLServer --teacher-url: {args.rows / server:,.0f} rows/s ({server:.2f} s, batch {args.batch_size}, "
          f"{args.concurrency} at a time)")
    print(f"ONNX --teacher:         {args.rows / local:,.0f} rows/s ({local:.2f} s); answers agree within {worst:.1e}")


if __name__ == "__main__":
    main()
