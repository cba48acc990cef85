"""Checks `--teacher-url` (a teacher behind an Open Inference Protocol server).

Against a real MLServer serving a scikit-learn pipeline (see mlserver_peer.py), started
and stopped here on 127.0.0.1:
1. `distill label --teacher-url URL --teacher-output predict_proba` writes, for every row
   of breast-cancer's test.csv, the pipeline's predict_proba within 1e-5 and its most
   probable class, under the class names the server's metadata gives;
2. the same in batches of 10 rows with 3 requests at once writes the same file, byte for
   byte (order and answers do not depend on batching or concurrency);
3. without --teacher-output the model's two outputs are an error naming both and the option;
4. `distill teacher inspect` shows the server, the outputs with the one used, and the task;
5. `distill tree --teacher-url` runs, and its run.json records the teacher as kind
   "server" with the URL and the classes.

Against a small http.server double that speaks the protocol but misbehaves on purpose on
the second batch (the happy path above is the real server's): an HTTP 500, an answer of
the wrong shape, no answer within --timeout, a connection closed without an answer, and
503 twice before answering (which must succeed after the retries); and a URL where nothing
listens. Each failure exits non-zero, names the URL and the batch with its rows (and the
status and body where there is one), and leaves no output file.

Usage: check_teacher_server.py PATH_TO_DISTILL
"""
import csv
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlserver_peer  # noqa: E402

TEST = os.path.join(mlserver_peer.SAMPLE, "test.csv")
TRAIN = os.path.join(mlserver_peer.SAMPLE, "train.csv")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def run(distill, *arguments):
    return subprocess.run([distill, *arguments], capture_output=True, text=True, timeout=300)


def read_answers(path, classes):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    probabilities = np.array([[float(r[f"teacher_p_{c}"]) for c in classes] for r in rows])
    return probabilities, [r["teacher_class"] for r in rows]


def check_real_server(distill, workdir):
    with mlserver_peer.serve(workdir) as (url, model):
        classes = [str(c) for c in model.classes_]
        x, _ = mlserver_peer.features(TEST)
        expected = model.predict_proba(x)
        whole = os.path.join(workdir, "whole.csv")
        result = run(distill, "label", "--teacher-url", url, "--teacher-output", "predict_proba",
                     "--data", TEST, "--label", "diagnosis", "--out", whole)
        check(result.returncode == 0, f"label through MLServer failed: {result.stderr}")
        if result.returncode == 0:
            got, predicted = read_answers(whole, classes)
            worst = float(np.max(np.abs(got - expected)))
            check(got.shape == expected.shape and worst <= 1e-5, f"label answers differ from predict_proba by {worst}")
            check(predicted == [classes[i] for i in expected.argmax(axis=1)], "teacher_class is not the most probable class")
            print(f"label: {len(got)} rows, largest difference from predict_proba {worst:.2e}")

        batched = os.path.join(workdir, "batched.csv")
        result = run(distill, "label", "--teacher-url", url, "--teacher-output", "predict_proba", "--batch-size", "10",
                     "--teacher-concurrency", "3", "--data", TEST, "--label", "diagnosis", "--out", batched)
        check(result.returncode == 0, f"label in batches of 10 failed: {result.stderr}")
        if result.returncode == 0 and os.path.exists(whole):
            check(open(batched, "rb").read() == open(whole, "rb").read(), "batches of 10, 3 at a time, wrote another file")

        result = run(distill, "label", "--teacher-url", url, "--data", TEST, "--label", "diagnosis",
                     "--out", os.path.join(workdir, "unchosen.csv"))
        check(result.returncode != 0 and "several outputs ('predict', 'predict_proba')" in result.stderr
              and "--teacher-output" in result.stderr, f"two outputs, none chosen: {result.stderr}")

        result = run(distill, "teacher", "inspect", "--teacher-url", url, "--teacher-output", "predict_proba")
        for line in [f"server: {url}", "features: FP64 [-1, 30]", "predict_proba: FP64 [-1, 2] (used)",
                     "task: classification, 2 classes: " + ", ".join(classes)]:
            check(line in result.stdout, f"teacher inspect lacks {line!r}: {result.stdout}{result.stderr}")

        out = os.path.join(workdir, "tree")
        result = run(distill, "tree", "--teacher-url", url, "--teacher-output", "predict_proba", "--data", TRAIN,
                     "--eval-data", TEST, "--label", "diagnosis", "--max-depth", "3", "--out", out)
        check(result.returncode == 0, f"tree through MLServer failed: {result.stderr}")
        if result.returncode == 0:
            teacher = json.load(open(os.path.join(out, "run.json")))["teacher"]
            check(teacher == {"kind": "server", "description": f"model 'breast-cancer' at {url}", "classes": classes},
                  f"run.json's teacher is {teacher}")


class Double(http.server.BaseHTTPRequestHandler):
    """Metadata of a 30-input, 2-class model; answers 0.5/0.5, except on the second
    inference request (and later ones for "close", the third for "busy"), where it does
    what `mode` says."""
    mode = "ok"
    requests = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.reply(200, {"name": "double", "platform": "test", "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 30]}],
                         "outputs": [{"name": "p", "datatype": "FP32", "shape": [-1, 2]}]})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        rows = request["inputs"][0]["shape"][0]
        with Double.lock:
            Double.requests += 1
            number = Double.requests
        mode = Double.mode
        if mode == "busy" and number in (2, 3):
            return self.reply(503, {"error": "model busy"})
        if number == 2 and mode == "500":
            return self.reply(500, {"error": "the model exploded"})
        if number == 2 and mode == "hang":
            threading.Event().wait(30)
            return
        # From the second request on: an HTTP client may try a closed connection again.
        if number >= 2 and mode == "close":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        width = 3 if number == 2 and mode == "shape" else 2
        self.reply(200, {"model_name": "double", "outputs": [{"name": "p", "datatype": "FP32", "shape": [rows, width],
                                                               "data": [0.5] * (rows * width) if width == 2 else [0.25] * (rows * width)}]})


def check_misbehaving(distill, workdir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Double)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v2/models/double"
    batch = "batch 2 (rows 51–100)"
    cases = [
        ("500", [batch, f"{url}/infer answered HTTP 500", "the model exploded"]),
        ("shape", [batch, f"{url}/infer: output 'p' has 150 values (shape [50, 3]) for 50 rows × 2 per row"]),
        ("hang", [batch, f"{url}/infer: no answer within 5 s (--timeout)"]),
        ("close", [batch, f"{url}/infer: the server closed the connection without a complete answer"]),
        ("busy", None),
    ]
    try:
        for mode, expected in cases:
            Double.mode, Double.requests = mode, 0
            out = os.path.join(workdir, f"{mode}.csv")
            result = run(distill, "label", "--teacher-url", url, "--batch-size", "50", "--teacher-concurrency", "1",
                         "--timeout", "5", "--data", TEST, "--label", "diagnosis", "--out", out)
            if expected is None:
                check(result.returncode == 0, f"{mode}: 503 twice then an answer should succeed: {result.stderr}")
                check(Double.requests == 5, f"{mode}: {Double.requests} requests for 3 batches with 2 retries")
                continue
            check(result.returncode != 0, f"{mode}: exit 0")
            for part in expected:
                check(part in result.stderr, f"{mode}: the error lacks {part!r}: {result.stderr}")
            check(not os.path.exists(out), f"{mode}: {out} was written")
            check("Fatal error" not in result.stderr, f"{mode}: crashed: {result.stderr}")
    finally:
        server.shutdown()
        server.server_close()

    port = mlserver_peer.free_port()
    out = os.path.join(workdir, "absent.csv")
    result = run(distill, "label", "--teacher-url", f"http://127.0.0.1:{port}/v2/models/none", "--data", TEST,
                 "--label", "diagnosis", "--out", out)
    check(result.returncode != 0 and f"http://127.0.0.1:{port}/v2/models/none: nothing answers there" in result.stderr
          and "(after 6 tries)" in result.stderr, f"no server: {result.stderr}")
    check(not os.path.exists(out), "no server: the output was written")


def main():
    distill = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as workdir:
        check_misbehaving(distill, workdir)
        check_real_server(distill, workdir)
    print(f"teacher server: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
