"""Times Distill against its peers on one generated workload and prints a table of ratios.

Usage: bench.py DISTILL_BENCH [--rows N] [--repeats K] [--only GROUP[,GROUP...]]

DISTILL_BENCH is the release build of the `distill-bench` executable. The workload
(Tests/Bench/generate.py: an N x 32 float CSV and a 32-128-128-2 MLP in ONNX) is written to
bench-data/ under the repository; an existing CSV is reused.

Every timed number is the best (smallest time) of K runs, 3 by default. Each Distill run
is a fresh process; each peer runs in its own subprocess, so peak resident memory
(getrusage ru_maxrss) is measured per side and one side's memory never counts against
the other.

Measurements:
  - CSV load: `distill-bench csv` against pandas.read_csv(path, dtype=numpy.float32).
  - CSV load peak memory: Distill's peak RSS must stay below 2 x the Float32 data
    (rows x columns x 4 bytes) + 64 MiB.
  - Inference at 1 and 2 threads: `distill-bench infer` against onnxruntime
    (intra_op_num_threads = threads, inter_op_num_threads = 1, sequential execution), on
    the same rows fed in the same batches (65,536 rows, the last one shorter). Loading the
    data and laying it out as batches is not timed on either side; both get one small
    untimed warm-up call.
  - Tree fit (depth 8, hard labels): `distill-bench tree` labels every row with the
    teacher (untimed), writes the argmax labels to bench-data/labels-N.txt and times
    TreeLearner.fit (automatic binning: 256 quantile bins per feature at this size). The
    peers load the same CSV with pandas (float32) and those labels, untimed, then fit:
      * LightGBM: one boosting round of a binary objective with num_leaves 255,
        max_depth 8, learning_rate 1, min_data_in_leaf 1, min_sum_hessian_in_leaf 0,
        max_bin 255, 2 threads. The lightgbm.Dataset is built inside the timed region, so
        its binning counts as Distill's does. Requirement: ratio >= 1.0.
      * scikit-learn DecisionTreeClassifier(max_depth=8, random_state=0). Requirement:
        ratio >= 20. When its first fit takes more than 60 s it is fitted only once (the
        table says so).
    Each side's training agreement with the teacher's labels is shown for information.
  - Tree fit peak memory: Distill's resident high-water mark while fitting (reset just
    before the fit, so teacher inference does not count; everything resident then counts:
    the CSV columns, the teacher's answers, the bins) must stay below 2 x the Float32 data
    + 64 MiB. The whole process's peak, inference included, is in the notes.
  - Linear path (hard labels, lasso): `distill-bench linear` labels every row with the
    teacher and writes the same labels file as the tree fit (untimed), keeps the first
    200,000 rows (all of them with a smaller --rows), then times LinearDistillation.run with
    l1Ratio 1 and the default 100-penalty path: the standardisation and design, the path,
    and measuring the path's models (each on 1,000 of the rows, the kept one on all).
    Distill works on both cores, saga on one. It names the path model whose nonzero feature
    count is closest to 8 (the middle one of several), with its penalty λ. The peer loads
    the same rows and labels (untimed), standardises them with StandardScaler (population
    standard deviation, as Distill; untimed) and fits scikit-learn's
    LogisticRegression(solver='saga', l1_ratio=1, C=1/(n λ)) at that single penalty, which
    minimises the same objective, mean log-loss + λ ‖w‖₁. Its tolerance is scikit-learn's
    default, 1e-4 (largest weight change over largest weight per epoch), with max_iter
    10,000; Distill stops when no weight's curvature-scaled squared change exceeds 1e-10 of
    the null model's loss, which leaves its objective closer to the optimum than saga's at
    1e-4, so the default tolerance favours the peer. A second, information-only row fits
    with tol 1e-6, which reaches Distill's objective. Each row's notes give both objectives,
    evaluated on the same design, and the epochs. Requirement: the whole path is no slower
    than the single saga fit (ratio >= 1.0). The peak resident memory of the path fit,
    measured as for the tree fit, is shown for information.

Ratio = Distill speed / peer speed (= peer seconds / Distill seconds), so >= 1 means
Distill is faster; for memory it is peer peak / Distill peak (>= 1: Distill uses less).
The table is also written as JSON to bench-data/results.json. To add a measurement, write
a function taking the Context and returning a list of Row, and append it to MEASUREMENTS
with a group name; `--only GROUP[,GROUP...]` runs a subset (csv, inference, ensemble, tree, linear).

Environment variables such as OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE are passed through
unchanged to every subprocess.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA_DIR = os.path.join(REPO, "bench-data")
FEATURES = 32  # generate.py writes this many columns
BATCH_ROWS = 65_536
MIB = 1 << 20


@dataclass
class Context:
    distill_bench: str
    rows: int
    repeats: int
    csv: str
    model: str

    @property
    def float32_bytes(self):
        return self.rows * FEATURES * 4


@dataclass
class Row:
    measurement: str
    unit: str
    distill: float
    peer: float
    peer_name: str
    ratio: float
    requirement: str
    met: bool | None  # None: shown for information, not a requirement
    notes: dict = field(default_factory=dict)


def run_json(command):
    """Runs a command that prints one JSON object on its last line of output."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({done.returncode}):\n{done.stderr.strip()}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def best_of(results):
    """The run with the smallest time; peak RSS is the largest seen over all runs."""
    best = dict(min(results, key=lambda r: r["seconds"]))
    best["peak_rss_bytes"] = max(r["peak_rss_bytes"] for r in results)
    best["all_seconds"] = [r["seconds"] for r in results]
    return best


# --- peers, run as `python3 bench.py --peer KIND ...` in their own process ---------------

def peak_rss_bytes():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peer_pandas_csv(path):
    import time

    import numpy
    import pandas
    start = time.perf_counter()
    frame = pandas.read_csv(path, dtype=numpy.float32)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": len(frame), "columns": frame.shape[1],
                      "peak_rss_bytes": peak_rss_bytes()}))


def peer_onnxruntime(model, csv, threads, repeats, batch_rows):
    import time

    import numpy
    import onnxruntime
    import pandas
    data = pandas.read_csv(csv, dtype=numpy.float32).to_numpy(dtype=numpy.float32)
    data = numpy.ascontiguousarray(data)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    # The last float output: the probabilities a teacher answers from (a classifier's label comes first).
    output = [o.name for o in session.get_outputs() if o.type == "tensor(float)"][-1]
    batches = [data[start:start + batch_rows] for start in range(0, len(data), batch_rows)]
    session.run(None, {name: batches[0][:1024]})  # warm-up, as distill-bench does
    runs = []
    for _ in range(repeats):
        checksum = 0.0
        start = time.perf_counter()
        for batch in batches:
            answer = session.run([output], {name: batch})[0]
            checksum += float(answer[0, 0])
        seconds = time.perf_counter() - start
        runs.append({"seconds": seconds, "rows": len(data), "checksum": checksum})
    best = min(runs, key=lambda r: r["seconds"])
    best["all_seconds"] = [r["seconds"] for r in runs]
    best["rows_per_second"] = best["rows"] / best["seconds"]
    best["peak_rss_bytes"] = peak_rss_bytes()
    best["onnxruntime"] = onnxruntime.__version__
    print(json.dumps(best))


def export_lightgbm(csv, path):
    """Trains a 500-tree LightGBM classifier on the first 200,000 bench rows (a fixed
    nonlinear rule of the features as the class) and exports it with onnxmltools."""
    import lightgbm
    import numpy
    import onnxmltools
    import pandas
    from onnxmltools.convert.common.data_types import FloatTensorType
    data = pandas.read_csv(csv, dtype=numpy.float32, nrows=200_000).to_numpy(dtype=numpy.float32)
    target = (data[:, 0] + data[:, 1] * data[:, 2] - numpy.abs(data[:, 3]) > 0).astype(int)
    model = lightgbm.LGBMClassifier(n_estimators=500, num_leaves=31, random_state=0, verbose=-1).fit(data, target)
    onx = onnxmltools.convert_lightgbm(model, initial_types=[("X", FloatTensorType([None, data.shape[1]]))],
                                       zipmap=False, target_opset=15)
    with open(path, "wb") as out:
        out.write(onx.SerializeToString())


def lightgbm_model(ctx):
    path = os.path.join(DATA_DIR, "lightgbm-500.onnx")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.abspath(__file__), "--peer", "lightgbm-export", ctx.csv, path], check=True)
    return path


def load_tree_workload(csv, labels):
    import numpy
    import pandas
    features = pandas.read_csv(csv, dtype=numpy.float32).to_numpy(dtype=numpy.float32)
    target = numpy.loadtxt(labels, dtype=numpy.int32)
    if len(target) != len(features):
        sys.exit(f"bench: {labels} has {len(target)} labels for {len(features)} rows")
    return numpy.ascontiguousarray(features), target


LIGHTGBM_TREE_PARAMETERS = {
    "objective": "binary", "num_leaves": 255, "max_depth": 8, "num_threads": 2, "learning_rate": 1.0,
    "min_data_in_leaf": 1, "min_sum_hessian_in_leaf": 0, "verbose": -1, "max_bin": 255,
    "bagging_fraction": 1, "feature_fraction": 1,
}


def peer_lightgbm_tree(csv, labels, repeats):
    import time

    import lightgbm
    import numpy
    features, target = load_tree_workload(csv, labels)
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        # Built inside the timed region: LightGBM bins the data when the Dataset is
        # constructed (lazily, inside train), as Distill bins inside TreeLearner.fit.
        data = lightgbm.Dataset(features, target)
        booster = lightgbm.train(LIGHTGBM_TREE_PARAMETERS, data, num_boost_round=1)
        seconds = time.perf_counter() - start
        runs.append({"seconds": seconds, "booster": booster})
    best = min(runs, key=lambda r: r["seconds"])
    booster = best.pop("booster")
    predicted = (booster.predict(features) > 0.5).astype(numpy.int32)
    tree = booster.dump_model()["tree_info"][0]
    print(json.dumps({"seconds": best["seconds"], "all_seconds": [r["seconds"] for r in runs],
                      "rows": len(features), "leaves": tree["num_leaves"],
                      "training_agreement": float((predicted == target).mean()),
                      "peak_rss_bytes": peak_rss_bytes(), "lightgbm": lightgbm.__version__}))


def peer_sklearn_tree(csv, labels, repeats, once_above_seconds):
    import time

    import sklearn
    from sklearn.tree import DecisionTreeClassifier
    features, target = load_tree_workload(csv, labels)
    runs = []
    for _ in range(repeats):
        model = DecisionTreeClassifier(max_depth=8, random_state=0)
        start = time.perf_counter()
        model.fit(features, target)
        seconds = time.perf_counter() - start
        runs.append({"seconds": seconds, "model": model})
        if seconds > once_above_seconds:
            break
    best = min(runs, key=lambda r: r["seconds"])
    model = best.pop("model")
    print(json.dumps({"seconds": best["seconds"], "all_seconds": [r["seconds"] for r in runs],
                      "rows": len(features), "leaves": int(model.get_n_leaves()), "depth": int(model.get_depth()),
                      "training_agreement": float(model.score(features, target)),
                      "peak_rss_bytes": peak_rss_bytes(), "sklearn": sklearn.__version__}))


def logistic_objective(design, target, weights, intercept, lam):
    """Mean log-loss of labels 0/1 plus λ ‖w‖₁: what both sides of the linear row minimise."""
    import numpy
    eta = design @ weights + intercept
    return float(numpy.mean(numpy.logaddexp(0, eta) - target * eta) + lam * numpy.abs(weights).sum())


def peer_sklearn_linear(csv, labels, rows, lam, tol, repeats, distill_model):
    import time
    import warnings

    import numpy
    import pandas
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    features = pandas.read_csv(csv, dtype=numpy.float32, nrows=rows).to_numpy(dtype=numpy.float64)
    target = numpy.loadtxt(labels, dtype=numpy.int32, max_rows=rows)
    if len(target) != len(features):
        sys.exit(f"bench: {labels} has {len(target)} labels for {len(features)} rows")
    design = StandardScaler().fit_transform(features)  # population standard deviation, as Distill
    runs = []
    for _ in range(repeats):
        model = LogisticRegression(C=1 / (len(target) * lam), l1_ratio=1, solver="saga", tol=tol,
                                   max_iter=SAGA_MAX_ITER, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # reported below from n_iter_
            start = time.perf_counter()
            model.fit(design, target)
            seconds = time.perf_counter() - start
        runs.append({"seconds": seconds, "model": model})
    best = min(runs, key=lambda r: r["seconds"])
    model = best.pop("model")
    weights = model.coef_[0]
    distill = json.loads(distill_model)
    epochs = int(model.n_iter_[0])
    print(json.dumps({
        "seconds": best["seconds"], "all_seconds": [r["seconds"] for r in runs], "rows": len(target),
        "tol": tol, "epochs": epochs, "converged": epochs < SAGA_MAX_ITER,
        "nonzero_features": int(numpy.count_nonzero(weights)),
        "objective": logistic_objective(design, target, weights, model.intercept_[0], lam),
        "distill_objective": logistic_objective(design, target, numpy.array(distill["weights"]),
                                                distill["intercept"], lam),
        "largest_weight_difference": float(numpy.abs(weights - numpy.array(distill["weights"])).max()),
        "peak_rss_bytes": peak_rss_bytes(), "sklearn": sklearn.__version__}))


def peer(kind, *args):
    return run_json([sys.executable, os.path.abspath(__file__), "--peer", kind, *map(str, args)])


# --- measurements --------------------------------------------------------------------------

def measure_csv(ctx):
    distill = best_of([run_json([ctx.distill_bench, "csv", ctx.csv]) for _ in range(ctx.repeats)])
    pandas_runs = [peer("pandas-csv", ctx.csv) for _ in range(ctx.repeats)]
    pandas = best_of(pandas_runs)
    if distill["rows"] != ctx.rows or pandas["rows"] != ctx.rows:
        sys.exit(f"bench: row counts differ: distill {distill['rows']}, pandas {pandas['rows']}, expected {ctx.rows}")
    ratio = pandas["seconds"] / distill["seconds"]
    limit = 2 * ctx.float32_bytes + 64 * MIB
    return [
        Row("CSV load", "s", distill["seconds"], pandas["seconds"], "pandas.read_csv(float32)", ratio,
            "ratio >= 1.0", ratio >= 1.0,
            {"distill_seconds": distill["all_seconds"], "peer_seconds": pandas["all_seconds"]}),
        Row("CSV load peak RSS", "MiB", distill["peak_rss_bytes"] / MIB, pandas["peak_rss_bytes"] / MIB,
            "pandas.read_csv(float32)", pandas["peak_rss_bytes"] / distill["peak_rss_bytes"],
            f"Distill < 2 x data + 64 MiB = {limit / MIB:.0f} MiB", distill["peak_rss_bytes"] < limit,
            {"float32_data_bytes": ctx.float32_bytes, "limit_bytes": limit}),
    ]


def measure_inference(threads, model_of=None, title="inference"):
    def measure(ctx):
        model = model_of(ctx) if model_of else ctx.model
        runs = [run_json([ctx.distill_bench, "infer", model, ctx.csv, str(threads), str(BATCH_ROWS)])
                for _ in range(ctx.repeats)]
        distill = best_of(runs)
        ort = peer("onnxruntime", model, ctx.csv, threads, ctx.repeats, BATCH_ROWS)
        if distill["rows"] != ctx.rows or ort["rows"] != ctx.rows:
            sys.exit(f"bench: row counts differ: distill {distill['rows']}, onnxruntime {ort['rows']}")
        # Each side sums its first output of every batch: a cheap check both computed the same.
        agree = abs(distill["checksum"] - ort["checksum"]) <= 1e-4 * max(1.0, abs(ort["checksum"]))
        if not agree:
            print(f"bench: WARNING: inference checksums differ at {threads} thread(s): "
                  f"distill {distill['checksum']}, onnxruntime {ort['checksum']}", file=sys.stderr)
        ratio = ort["seconds"] / distill["seconds"]
        return [Row(f"{title}, {threads} thread{'s' if threads > 1 else ''}", "rows/s",
                    ctx.rows / distill["seconds"], ctx.rows / ort["seconds"], f"onnxruntime {ort['onnxruntime']}",
                    ratio, "ratio >= 0.8", ratio >= 0.8 and agree,
                    {"distill_seconds": distill["all_seconds"], "peer_seconds": ort["all_seconds"],
                     "batch_rows": BATCH_ROWS, "checksums_agree": agree,
                     "distill_peak_rss_bytes": distill["peak_rss_bytes"],
                     "peer_peak_rss_bytes": ort["peak_rss_bytes"]})]
    return measure


SKLEARN_ONCE_ABOVE_SECONDS = 60


def fresh_labels(ctx):
    """The labels file distill-bench writes, removed first: distill-bench writes it only
    when it is missing, and the peers must fit the current teacher's labels."""
    labels = os.path.join(DATA_DIR, f"labels-{ctx.rows}.txt")
    if os.path.exists(labels):
        os.remove(labels)
    return labels


def measure_tree(ctx):
    max_depth = 8
    labels = fresh_labels(ctx)
    runs = [run_json([ctx.distill_bench, "tree", ctx.csv, ctx.model, "--max-depth", str(max_depth)])
            for _ in range(ctx.repeats)]
    distill = best_of(runs)
    fit_peak = max(r.get("fit_peak_rss_bytes", r["peak_rss_bytes"]) for r in runs)
    lgbm = peer("lightgbm-tree", ctx.csv, labels, ctx.repeats)
    sk = peer("sklearn-tree", ctx.csv, labels, ctx.repeats, SKLEARN_ONCE_ABOVE_SECONDS)
    for name, result in [("distill", distill), ("lightgbm", lgbm), ("scikit-learn", sk)]:
        if result["rows"] != ctx.rows:
            sys.exit(f"bench: tree fit: {name} saw {result['rows']} rows, expected {ctx.rows}")
    shape = f"depth {distill['depth']}, {distill['leaves']} leaves"
    fit = f"tree fit, hard labels ({shape})"
    lgbm_ratio = lgbm["seconds"] / distill["seconds"]
    sk_ratio = sk["seconds"] / distill["seconds"]
    sk_runs = len(sk["all_seconds"])
    sk_name = f"scikit-learn {sk['sklearn']} DecisionTreeClassifier(max_depth={max_depth})"
    if sk_runs < ctx.repeats:
        sk_name += f", fitted {'once' if sk_runs == 1 else f'{sk_runs} times'} (> {SKLEARN_ONCE_ABOVE_SECONDS} s)"
    limit = 2 * ctx.float32_bytes + 64 * MIB
    return [
        Row(fit, "s", distill["seconds"], lgbm["seconds"],
            f"LightGBM {lgbm['lightgbm']} 1 tree incl. Dataset, {lgbm['leaves']} leaves", lgbm_ratio,
            "ratio >= 1.0", lgbm_ratio >= 1.0,
            {"distill_seconds": distill["all_seconds"], "peer_seconds": lgbm["all_seconds"],
             "peer_parameters": LIGHTGBM_TREE_PARAMETERS}),
        Row(fit, "s", distill["seconds"], sk["seconds"],
            f"{sk_name}, {sk['leaves']} leaves", sk_ratio, "ratio >= 20", sk_ratio >= 20,
            {"distill_seconds": distill["all_seconds"], "peer_seconds": sk["all_seconds"]}),
        Row("tree fit peak RSS", "MiB", fit_peak / MIB, lgbm["peak_rss_bytes"] / MIB,
            "LightGBM process incl. pandas", lgbm["peak_rss_bytes"] / fit_peak,
            f"Distill < 2 x data + 64 MiB = {limit / MIB:.0f} MiB", fit_peak < limit,
            {"float32_data_bytes": ctx.float32_bytes, "limit_bytes": limit,
             "distill_rss_at_fit_start_bytes": distill.get("rss_at_fit_start_bytes"),
             "distill_process_peak_bytes_incl_inference": distill["peak_rss_bytes"],
             "sklearn_process_peak_bytes": sk["peak_rss_bytes"]}),
        Row("tree training agreement vs LightGBM", "fraction", distill["training_agreement"],
            lgbm["training_agreement"], "LightGBM", distill["training_agreement"] / lgbm["training_agreement"],
            "none (information)", None),
        Row("tree training agreement vs scikit-learn", "fraction", distill["training_agreement"],
            sk["training_agreement"], "scikit-learn", distill["training_agreement"] / sk["training_agreement"],
            "none (information)", None),
    ]


LINEAR_ROWS = 200_000
SAGA_TOLERANCE = 1e-4  # scikit-learn's default
SAGA_TIGHT_TOLERANCE = 1e-6
SAGA_MAX_ITER = 10_000


def measure_linear(ctx):
    rows = min(LINEAR_ROWS, ctx.rows)
    labels = fresh_labels(ctx)
    runs = [run_json([ctx.distill_bench, "linear", ctx.csv, ctx.model, "--rows", str(rows)])
            for _ in range(ctx.repeats)]
    if any(r["peer_lambda"] != runs[0]["peer_lambda"] for r in runs):
        sys.exit("bench: linear path: the runs chose different penalties: "
                 f"{[r['peer_lambda'] for r in runs]}")
    distill = best_of(runs)
    fit_peak = max(r.get("fit_peak_rss_bytes", r["peak_rss_bytes"]) for r in runs)
    lam, features = distill["peer_lambda"], distill["peer_nonzero_features"]
    model = json.dumps({"weights": distill["peer_weights"], "intercept": distill["peer_intercept"]})
    saga = {tol: peer("sklearn-linear", ctx.csv, labels, rows, lam, tol, ctx.repeats, model)
            for tol in (SAGA_TOLERANCE, SAGA_TIGHT_TOLERANCE)}
    for name, result in [("distill", distill)] + [(f"saga tol {tol:g}", r) for tol, r in saga.items()]:
        if result["rows"] != rows:
            sys.exit(f"bench: linear path: {name} saw {result['rows']} rows, expected {rows}")
    if not distill["all_converged"]:
        print("bench: WARNING: Distill's path did not converge at every penalty", file=sys.stderr)
    for tol, result in saga.items():
        if abs(result["nonzero_features"] - features) > 1:
            print(f"bench: WARNING: saga at tol {tol:g} kept {result['nonzero_features']} features, "
                  f"Distill's model at that penalty {features}", file=sys.stderr)
    fit = f"linear path, hard labels ({len(distill['lambdas'])} penalties, {rows:,} rows)"
    result_rows = []
    for tol, peer_result in saga.items():
        ratio = peer_result["seconds"] / distill["seconds"]
        epochs = f"{peer_result['epochs']} epochs" + ("" if peer_result["converged"] else ", NOT converged")
        name = (f"scikit-learn {peer_result['sklearn']} saga, 1 penalty λ = {lam:.4g}, tol {tol:g}, {epochs}, "
                f"{peer_result['nonzero_features']} nonzero (Distill's: {features})")
        required = tol == SAGA_TOLERANCE
        result_rows.append(Row(
            fit, "s", distill["seconds"], peer_result["seconds"], name, ratio,
            "ratio >= 1.0" if required else "none (information)", ratio >= 1.0 if required else None,
            {"distill_seconds": distill["all_seconds"], "peer_seconds": peer_result["all_seconds"],
             "lambda": lam, "distill_nonzero_features": features,
             "peer_nonzero_features": peer_result["nonzero_features"], "peer_epochs": peer_result["epochs"],
             "peer_converged": peer_result["converged"], "peer_tol": tol, "peer_max_iter": SAGA_MAX_ITER,
             "distill_objective": peer_result["distill_objective"], "peer_objective": peer_result["objective"],
             "largest_weight_difference": peer_result["largest_weight_difference"],
             "distill_newton_steps": sum(distill["iterations"]), "distill_all_converged": distill["all_converged"]}))
    return result_rows + [
        Row("linear path peak RSS", "MiB", fit_peak / MIB, saga[SAGA_TOLERANCE]["peak_rss_bytes"] / MIB,
            "scikit-learn process incl. pandas", saga[SAGA_TOLERANCE]["peak_rss_bytes"] / fit_peak,
            "none (information)", None,
            {"distill_rss_at_fit_start_bytes": distill.get("rss_at_fit_start_bytes"),
             "distill_process_peak_bytes_incl_inference": distill["peak_rss_bytes"]}),
    ]


# (group, measure): `--only GROUP[,GROUP...]` runs just those groups.
MEASUREMENTS = [
    ("csv", measure_csv),
    ("inference", measure_inference(1)),
    ("inference", measure_inference(2)),
    ("ensemble", measure_inference(1, lightgbm_model, "LightGBM 500 trees")),
    ("ensemble", measure_inference(2, lightgbm_model, "LightGBM 500 trees")),
    ("tree", measure_tree),
    ("linear", measure_linear),
]


# --- output --------------------------------------------------------------------------------

def number(value, unit):
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    if unit == "fraction":
        return f"{100 * value:.2f} %"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    return f"{value:.3f} {unit}"


def print_table(rows):
    header = ["measurement", "Distill", "peer", "ratio", "requirement", "met?"]
    body = [[r.measurement, number(r.distill, r.unit), f"{number(r.peer, r.unit)} ({r.peer_name})",
             f"{r.ratio:.2f}", r.requirement, "-" if r.met is None else "yes" if r.met else "NO"] for r in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        print(line(cells))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--peer":
        kind, args = sys.argv[2], sys.argv[3:]
        if kind == "pandas-csv":
            peer_pandas_csv(args[0])
        elif kind == "onnxruntime":
            peer_onnxruntime(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
        elif kind == "lightgbm-export":
            export_lightgbm(args[0], args[1])
        elif kind == "lightgbm-tree":
            peer_lightgbm_tree(args[0], args[1], int(args[2]))
        elif kind == "sklearn-tree":
            peer_sklearn_tree(args[0], args[1], int(args[2]), float(args[3]))
        elif kind == "sklearn-linear":
            peer_sklearn_linear(args[0], args[1], int(args[2]), float(args[3]), float(args[4]), int(args[5]), args[6])
        else:
            sys.exit(f"bench: unknown peer {kind}")
        return

    parser = argparse.ArgumentParser(description="Times Distill against its peers.")
    parser.add_argument("distill_bench", help="path of the release-built distill-bench")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the best is kept")
    groups = sorted({group for group, _ in MEASUREMENTS})
    parser.add_argument("--only", help=f"comma-separated groups to run, of: {', '.join(groups)} (default all)")
    options = parser.parse_args()
    if options.rows < 1 or options.repeats < 1:
        sys.exit("bench: --rows and --repeats must be at least 1")
    chosen = set(options.only.split(",")) if options.only else set(groups)
    if not chosen <= set(groups):
        sys.exit(f"bench: --only: unknown group(s) {', '.join(sorted(chosen - set(groups)))}; "
                 f"the groups are {', '.join(groups)}")
    distill_bench = os.path.abspath(options.distill_bench)
    if not os.access(distill_bench, os.X_OK):
        sys.exit(f"bench: {options.distill_bench} is not an executable; build it with "
                 "`swift build -c release --product distill-bench`")

    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), DATA_DIR, str(options.rows)], check=True)
    ctx = Context(distill_bench, options.rows, options.repeats,
                  os.path.join(DATA_DIR, f"data-{options.rows}.csv"), os.path.join(DATA_DIR, "teacher.onnx"))

    rows = []
    for group, measure in MEASUREMENTS:
        if group in chosen:
            rows += measure(ctx)
    print(f"Distill vs peers: {options.rows:,} rows x {FEATURES} floats, best of {options.repeats} runs each, "
          f"{os.cpu_count()} cores; ratio = Distill speed / peer speed (memory: peer peak / Distill peak)")
    print_table(rows)
    results = {
        "rows": options.rows, "features": FEATURES, "repeats": options.repeats, "batch_rows": BATCH_ROWS,
        "cores": os.cpu_count(), "machine": platform.machine(),
        "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")},
        "results": [asdict(r) for r in rows],
        "groups": sorted(chosen),
        "all_met": all(r.met for r in rows if r.met is not None),
    }
    path = os.path.join(DATA_DIR, "results.json")
    with open(path + ".part", "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    os.replace(path + ".part", path)
    print(f"written: {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    main()
