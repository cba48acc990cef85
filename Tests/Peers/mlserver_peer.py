"""A real MLServer serving a scikit-learn classifier of Samples/breast-cancer on 127.0.0.1,
for the `--teacher-url` check and its benchmark.

`serve(workdir)` fits the model (a StandardScaler and a LogisticRegression, on train.csv),
saves it with joblib beside a model-settings.json that declares its input and two outputs
(predict and predict_proba, the latter with the class names in its parameters), starts
`mlserver start` on free ports, waits until the model is ready and yields the model's URL
and the fitted pipeline; the server is stopped on leaving, whatever happened.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "Samples", "breast-cancer")
LABEL = "diagnosis"
MODEL = "breast-cancer"


def features(path):
    """The feature columns of a sample CSV, as float64, and the frame."""
    frame = pd.read_csv(path)
    return frame.drop(columns=[LABEL]).to_numpy(dtype="float64"), frame


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fit():
    x, frame = features(os.path.join(SAMPLE, "train.csv"))
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000)).fit(x, frame[LABEL])


def write_repository(folder, model, width):
    os.makedirs(os.path.join(folder, MODEL), exist_ok=True)
    joblib.dump(model, os.path.join(folder, MODEL, "model.joblib"))
    classes = [str(c) for c in model.classes_]
    settings = {
        "name": MODEL,
        "implementation": "mlserver_sklearn.SKLearnModel",
        "parameters": {"uri": "./model.joblib"},
        "inputs": [{"name": "features", "datatype": "FP64", "shape": [-1, width]}],
        "outputs": [
            {"name": "predict", "datatype": "BYTES", "shape": [-1, 1]},
            {"name": "predict_proba", "datatype": "FP64", "shape": [-1, len(classes)],
             "parameters": {"classes": classes}},
        ],
    }
    with open(os.path.join(folder, MODEL, "model-settings.json"), "w") as f:
        json.dump(settings, f)
    http_port, grpc_port = free_port(), free_port()
    # One process (no parallel inference workers), no metrics server, loopback only.
    server = {"host": "127.0.0.1", "http_port": http_port, "grpc_port": grpc_port,
              "parallel_workers": 0, "metrics_endpoint": None}
    with open(os.path.join(folder, "settings.json"), "w") as f:
        json.dump(server, f)
    return f"http://127.0.0.1:{http_port}/v2/models/{MODEL}"


@contextlib.contextmanager
def serve(workdir):
    model = fit()
    folder = os.path.join(workdir, "models")
    url = write_repository(folder, model, model.n_features_in_)
    log = open(os.path.join(workdir, "mlserver.log"), "w")
    server = subprocess.Popen([sys.executable, "-m", "mlserver.cli.main", "start", folder],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_ready(url, server, os.path.join(workdir, "mlserver.log"))
        yield url, model
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def wait_ready(url, server, log_path, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"mlserver exited ({server.returncode}) before the model was ready:\n" + open(log_path).read()[-3000:])
        try:
            with urllib.request.urlopen(url + "/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"mlserver did not get {url} ready within {limit} s:\n" + open(log_path).read()[-3000:])
