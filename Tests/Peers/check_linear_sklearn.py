"""Checks `distill linear --hard` against scikit-learn's penalised linear models.

For breast-cancer (binary logistic), penguins restricted to its four measurements
(multinomial logistic) and diabetes (least squares), at three penalties per l1_ratio
A in {1, 0.5}, chosen as fractions of lambda_max (the smallest penalty that zeroes every
weight) to leave roughly 3, 8 and most features in use, it checks that

1. student.json has the shape of the contract (format, kind, task, classes, link,
   lambda, l1_ratio, one term per feature whose mean and scale are numpy's ddof=0 ones
   within 1e-6 relative, one output per fitted weight vector, raw weights that are the
   standardised ones in raw units, converged: true) and fidelity.json has a curve with
   exactly one chosen point, at the given lambda, and an "eval" block;
2. on the standardised design, Distill's solution reaches the objective
       (1/n) sum_i loss_i + lambda * (A ||w||_1 + (1 - A)/2 ||w||_2^2)
   within 1e-4 relative of scikit-learn's (lower is fine and is said so), and the
   objective student.json reports, if any, is that solution's within 1e-6;
3. both use the same features (|w| > 1e-8; for multinomial, in any class). A feature
   nonzero on one side only, with |w| < 1e-4 there, is reported rather than failed.

scikit-learn at the same objective:
- classification: LogisticRegression(solver="saga", C=1/(n*lambda), l1_ratio=A).
  Its objective is C * sum_i loss_i + A ||w||_1 + (1 - A)/2 ||w||_2^2; dividing by C*n
  gives the one above. From 1.8 `penalty` is deprecated and l1_ratio alone picks it.
  With three or more classes every solver but liblinear fits the full multinomial with
  K weight vectors, all penalised, as Distill does.
- regression: Lasso (A = 1) or ElasticNet(l1_ratio=A) with alpha=lambda. Their
  objective is 1/(2n) ||y - Xw||^2 + alpha * (A ||w||_1 + (1 - A)/2 ||w||_2^2), which is
  the one above with loss_i = (y_i - eta_i)^2 / 2.

Settings the reference needed, measured against scipy's L-BFGS-B run on the objective
above with w split into positive and negative parts (ftol 1e-15, gtol 1e-10):
- saga: tol=1e-8. At scikit-learn's default 1e-4 it stops up to 5e-3 relative above the
  optimum (breast-cancer's lasso at 0.002 lambda_max; 2e-4 for its elastic net there),
  far too loose for a 1e-4 check; at 1e-8 every case here is within 1e-10. That costs
  up to about 48,000 epochs (the breast-cancer lasso again: its features are strongly
  correlated and the teacher's labels nearly separable), some 6 s; smaller penalties
  cost tens of seconds, hence 0.002 as its smallest. max_iter=100,000 leaves room, and a
  ConvergenceWarning is an error.
- Lasso / ElasticNet: tol=1e-12, max_iter=1,000,000; they need at most about 1,200
  sweeps here.
The same L-BFGS-B minimiser runs on every case here too: scikit-learn's objective must
not be above it by more than 1e-7 relative, or the reference itself is wrong (a C or
alpha mapped to another objective would show here first). While writing this, saga on
breast-cancer's lasso also matched liblinear (intercept_scaling=1000, tol=1e-12) to
1e-7, liblinear being a touch higher for the penalty it puts on the intercept, and
diabetes' Lasso matched LassoLars to 2e-16. Lasso is ElasticNet(l1_ratio=1) (a
subclass, the same coordinate descent), so one cannot vouch for the other.

The penguins teacher needs island and sex, which a student of the measurements alone
does not see, and scikit-learn has no group penalty for a text column's indicators. So
its case asks the real teacher once (`distill label` on the full rows) and gives Distill
a teacher program that answers the same probabilities for the measurements alone, looked
up in a table; rows whose measurements match another row's but got another answer are
left out of that case.

Usage: check_linear_sklearn.py PATH_TO_DISTILL
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PENGUIN_MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
# (sample, label, the measurements a student of them alone sees (see above) or None for
# every feature, {l1_ratio: fractions of lambda_max}).
# Fractions leave about 3, 8 and most features nonzero (penguins has only 4), and sit
# away from the penalties where a feature enters, so that the nonzero sets are sharp.
CASES = [
    ("breast-cancer", "diagnosis", None, {1.0: (0.3, 0.05, 0.002), 0.5: (0.9, 0.6, 0.002)}),
    ("penguins", "species", PENGUIN_MEASUREMENTS, {1.0: (0.9, 0.6, 0.03), 0.5: (0.95, 0.9, 0.03)}),
    ("diabetes", "progression", None, {1.0: (0.3, 0.02, 0.001), 0.5: (0.7, 0.2, 0.003)}),
]
OBJECTIVE_TOLERANCE = 1e-4
REFERENCE_TOLERANCE = 1e-7
NONZERO = 1e-8
# A weight this small is where the solution's support changes with the last digits of
# the optimisation; being nonzero on one side only is then reported, not failed.
EDGE = 1e-4
STANDARDISATION_TOLERANCE = 1e-6
REPORTED_OBJECTIVE_TOLERANCE = 1e-6


def teacher_answers(distill, sample, label, csv, work):
    out = os.path.join(work, f"{sample}-{os.path.basename(csv)}")
    subprocess.run([distill, "label", "--teacher", os.path.join(ROOT, "Samples", sample, "teacher.onnx"),
                    "--data", csv, "--label", label, "--out", out], check=True, capture_output=True)
    return pd.read_csv(out, keep_default_na=False, na_values=[""])


LOOKUP_TEACHER = """
import json, sys
table = json.load(open(sys.argv[1]))
def key(values):
    return json.dumps([None if v is None else round(float(v), 3) for v in values])
for line in sys.stdin:
    message = json.loads(line)
    if "distill" in message:
        print(json.dumps({"classes": table["classes"]}), flush=True)
        continue
    order = [message["columns"].index(name) for name in table["columns"]]
    print(json.dumps({"outputs": [table["answers"][key([row[i] for i in order])] for row in message["rows"]]}), flush=True)
"""


def lookup_key(values):
    return json.dumps([None if pd.isna(v) else round(float(v), 3) for v in values])


def measurements_teacher(distill, sample, label, features, work):
    """The sample's teacher's answers keyed by `features` alone: CSVs of those columns (and
    the label) for train and test, the program that answers them, and the labelled train
    rows. Rows whose key another row shares with a different answer are dropped."""
    answered = {part: teacher_answers(distill, sample, label, os.path.join(ROOT, "Samples", sample, f"{part}.csv"), work)
                for part in ("train", "test")}
    probability_columns = [c for c in answered["train"].columns if c.startswith("teacher_p_")]
    answers = {}
    for frame in answered.values():
        for values, probabilities in zip(frame[features].itertuples(index=False), frame[probability_columns].to_numpy()):
            answers.setdefault(lookup_key(values), []).append(probabilities.tolist())
    ambiguous = {key for key, seen in answers.items() if any(p != seen[0] for p in seen)}
    paths = {}
    for part, frame in answered.items():
        keep = [lookup_key(values) not in ambiguous for values in frame[features].itertuples(index=False)]
        answered[part] = frame[keep].reset_index(drop=True)
        paths[part] = os.path.join(work, f"{sample}-{part}-measurements.csv")
        answered[part][features + [label]].to_csv(paths[part], index=False)
    table = os.path.join(work, f"{sample}-answers.json")
    with open(table, "w") as f:
        json.dump({"classes": [c[len("teacher_p_"):] for c in probability_columns], "columns": features,
                   "answers": {key: seen[0] for key, seen in answers.items() if key not in ambiguous}}, f)
    program = os.path.join(work, "lookup_teacher.py")
    with open(program, "w") as f:
        f.write(LOOKUP_TEACHER)
    teacher = ["--teacher-command", f"{sys.executable} '{program}' '{table}'"]
    return teacher, paths, answered["train"]


def standardise(X):
    mean = np.nanmean(X, axis=0)
    scale = np.nanstd(X, axis=0)
    # A missing value becomes the mean, as Distill's contract says.
    return np.nan_to_num((X - mean) / scale, nan=0.0), mean, scale


def loss_and_gradient(task, eta, Y):
    """Mean loss over rows and its gradient with respect to eta (n x outputs)."""
    n = len(Y)
    if task == "regression":
        residual = eta - Y
        return 0.5 * np.mean(residual[:, 0] ** 2), residual / n
    if task == "binary":
        return float(np.mean(np.logaddexp(0.0, eta) - Y * eta)), (expit(eta) - Y) / n
    log_normaliser = np.logaddexp.reduce(eta, axis=1, keepdims=True)
    softmax = np.exp(eta - log_normaliser)
    return float(np.mean(log_normaliser[:, 0] - np.sum(Y * eta, axis=1))), (softmax - Y) / n


def objective(task, Z, Y, W, b, lam, A):
    loss, _ = loss_and_gradient(task, Z @ W + b, Y)
    return loss + lam * (A * np.abs(W).sum() + (1 - A) / 2 * np.sum(W ** 2))


def independent_minimum(task, Z, Y, lam, A):
    """The objective's minimum by L-BFGS-B, w = w+ - w- with both parts >= 0, which makes
    the L1 term smooth. Shares no code with scikit-learn's solvers."""
    p, k = Z.shape[1], Y.shape[1]

    def value_and_gradient(v):
        plus, minus, b = v[:p * k].reshape(p, k), v[p * k:2 * p * k].reshape(p, k), v[2 * p * k:]
        W = plus - minus
        loss, G = loss_and_gradient(task, Z @ W + b, Y)
        smooth = Z.T @ G + lam * (1 - A) * W
        value = loss + lam * (A * (plus + minus).sum() + (1 - A) / 2 * np.sum(W ** 2))
        return value, np.concatenate([(smooth + lam * A).ravel(), (lam * A - smooth).ravel(), G.sum(axis=0)])

    result = minimize(value_and_gradient, np.zeros(2 * p * k + k), jac=True, method="L-BFGS-B",
                      bounds=[(0, None)] * (2 * p * k) + [(None, None)] * k,
                      options=dict(maxiter=100000, maxfun=200000, ftol=1e-15, gtol=1e-10, maxcor=30))
    return result.fun


def sklearn_fit(task, Z, y_codes_or_values, lam, A):
    """(W p x outputs, b, seconds) from scikit-learn at the objective above."""
    n = len(Z)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        if task == "regression":
            model = (Lasso(alpha=lam, tol=1e-12, max_iter=1_000_000) if A == 1.0 else
                     ElasticNet(alpha=lam, l1_ratio=A, tol=1e-12, max_iter=1_000_000))
            model.fit(Z, y_codes_or_values)
            W, b = model.coef_.reshape(-1, 1), np.atleast_1d(model.intercept_)
        else:
            model = LogisticRegression(C=1.0 / (n * lam), l1_ratio=A, solver="saga", tol=1e-8, max_iter=100_000)
            model.fit(Z, y_codes_or_values)
            W, b = model.coef_.T, model.intercept_
    return W, b, time.perf_counter() - start


def lambda_max(Z, Y, A):
    """At w = 0 with the intercepts fitted, the loss's gradient in w_jk is
    -x_j . (Y_k - mean(Y_k)) / n for all three losses; zero stays optimal while every
    such gradient is within lambda * A."""
    return float(np.max(np.abs(Z.T @ (Y - Y.mean(axis=0))))) / (len(Z) * A)


def used_features(W):
    """Largest |weight| per feature over the outputs."""
    return np.max(np.abs(W), axis=1)


def run_linear(distill, teacher, paths, label, lam, A, work, task):
    out = os.path.join(work, "run")
    start = time.perf_counter()
    # --hard fits a classifier's most probable class; a regression teacher's value is fitted as it is.
    hard = [] if task == "regression" else ["--hard"]
    result = subprocess.run([distill, "linear", *teacher, "--data", paths["train"], "--eval-data", paths["test"],
                             "--label", label, *hard,
                             "--lambda", repr(lam), "--l1-ratio", repr(A), "--out", out],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"distill linear failed (exit {result.returncode}): {result.stderr.strip()}")
    with open(os.path.join(out, "student.json")) as f:
        student = json.load(f)
    with open(os.path.join(out, "fidelity.json")) as f:
        fidelity = json.load(f)
    return student, fidelity, result.stdout, seconds


def close(a, b, rtol):
    return abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300)


def read_student(student, fidelity, stdout, task, classes, columns, lam, A):
    """Distill's standardised (W, b) with rows in numpy's column order, the class of each
    output column (Distill's order; [None] for regression), and every way the files
    differ from the contract. (W, b) is None when they cannot be read."""
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    expect(student.get("format") == "distill.student/v1", f"format is {student.get('format')!r}")
    expect(student.get("kind") == "linear", f"kind is {student.get('kind')!r}")
    expect(student.get("task") == ("regression" if task == "regression" else "classification"),
           f"task is {student.get('task')!r}")
    if task == "regression":
        expect("classes" not in student, "a regression student has classes")
    elif sorted(student.get("classes") or []) != sorted(classes):
        problems.append(f"classes are {student.get('classes')}, the teacher's are {classes}")
        return None, None, problems
    names = [f.get("name") for f in student.get("features", [])]
    expect(sorted(names) == sorted(columns), f"features are {names}, expected {columns}")
    expect(all(f.get("kind") == "numeric" for f in student.get("features", [])), "a feature is not numeric")
    linear = student.get("linear") or {}
    link = {"regression": "identity", "binary": "logit", "multinomial": "softmax"}[task]
    expect(linear.get("link") == link, f"link is {linear.get('link')!r}, expected {link!r}")
    expect(isinstance(linear.get("lambda"), (int, float)) and close(linear["lambda"], lam, 1e-12),
           f"lambda is {linear.get('lambda')}, given {lam!r}")
    expect(isinstance(linear.get("l1_ratio"), (int, float)) and close(linear["l1_ratio"], A, 1e-12),
           f"l1_ratio is {linear.get('l1_ratio')}, given {A}")
    convergence = linear.get("convergence") or {}
    expect(convergence.get("converged") is True, f"convergence is {convergence}")
    if not stdout.strip():
        problems.append("printed nothing")

    terms = linear.get("terms") or []
    expect([t.get("feature") for t in terms] == [t.get("name") for t in terms] and
           all(t.get("level") is None for t in terms), "a numeric term has a level or another name")
    order = [columns.index(t["feature"]) if t.get("feature") in columns else None for t in terms]
    if sorted(i for i in order if i is not None) != list(range(len(columns))) or None in order:
        problems.append(f"terms are {[t.get('name') for t in terms]}, expected one for each of {columns}")
        return None, None, problems
    if not all(isinstance(t.get("mean"), (int, float)) and isinstance(t.get("scale"), (int, float)) and t["scale"] > 0
               for t in terms):
        problems.append("a term lacks a numeric mean or a positive scale")
        return None, None, problems

    outputs = linear.get("outputs") or []
    wanted = ([None] if task == "regression" else student["classes"][1:] if task == "binary"
              else student["classes"])
    by_class = {o.get("class"): o for o in outputs}
    if len(outputs) != len(wanted) or set(by_class) != set(wanted):
        problems.append(f"outputs are for {[o.get('class') for o in outputs]}, expected {wanted}")
        return None, None, problems
    p = len(columns)
    W, b = np.zeros((p, len(wanted))), np.zeros(len(wanted))
    for k, cls in enumerate(wanted):
        o = by_class[cls]
        sw, raw = o.get("standardized_weights") or [], o.get("weights") or []
        if len(sw) != p or len(raw) != p:
            problems.append(f"output {cls}: {len(sw)} standardized weights and {len(raw)} weights for {p} terms")
            return None, None, problems
        W[order, k], b[k] = sw, o["standardized_intercept"]
        # Raw units: w_raw = w / scale, b_raw = b - sum w * mean / scale, using the
        # student's own mean and scale so only the conversion is judged here.
        term_mean = np.array([t["mean"] for t in terms])
        term_scale = np.array([t["scale"] for t in terms])
        expected_raw = np.array(sw) / term_scale
        expect(np.allclose(raw, expected_raw, rtol=1e-9, atol=0),
               f"output {cls}: raw weights are not standardized weights / scale")
        shifts = np.array(sw) * term_mean / term_scale
        expected_intercept = o["standardized_intercept"] - shifts.sum()
        expect(abs(o.get("intercept", np.nan) - expected_intercept) <=
               1e-9 * (abs(o["standardized_intercept"]) + np.abs(shifts).sum()),
               f"output {cls}: raw intercept {o.get('intercept')}, expected {expected_intercept}")

    curve = fidelity.get("curve") or []
    expect(all({"lambda", "nonzero_features", "fidelity", "chosen"} <= set(point) for point in curve) and curve,
           "fidelity.json's curve is empty or a point lacks lambda, nonzero_features, fidelity or chosen")
    chosen = [point for point in curve if point.get("chosen")]
    nonzero = int(np.sum(used_features(W) > NONZERO))
    if len(chosen) != 1:
        problems.append(f"fidelity.json's curve has {len(chosen)} chosen points")
    else:
        expect(close(chosen[0]["lambda"], lam, 1e-9) and chosen[0]["nonzero_features"] == nonzero,
               f"the chosen point is lambda {chosen[0]['lambda']} with {chosen[0]['nonzero_features']} features, "
               f"the student has lambda {lam!r} with {nonzero}")
    expect("eval" in fidelity and (task == "regression" or "agreement" in fidelity["eval"]),
           "fidelity.json has no eval block" + ("" if task == "regression" else " with agreement"))
    return (W, b), wanted, problems


def standardisation_gap(terms, columns, mean, scale):
    """The largest relative difference between the terms' mean and scale and numpy's,
    and where it is."""
    gaps = [(abs(t[key] - theirs[columns.index(t["feature"])]) /
             max(abs(t[key]), abs(theirs[columns.index(t["feature"])]), 1e-300), f"{t['name']} {key}")
            for t in terms for key, theirs in (("mean", mean), ("scale", scale))]
    return max(gaps)


def compare_support(columns, ours, theirs):
    """(failures, notes) about features nonzero on one side only."""
    failures, notes = [], []
    for j, name in enumerate(columns):
        if (ours[j] > NONZERO) == (theirs[j] > NONZERO):
            continue
        side, size = ("distill", ours[j]) if ours[j] > NONZERO else ("scikit-learn", theirs[j])
        message = f"{name} only in {side}'s, |w| {size:.2e}"
        (notes if size < EDGE else failures).append(message)
    return failures, notes


def targets(task, train, outputs):
    """Y (n x outputs) for the objective and what scikit-learn is fitted to: the value,
    or codes whose order is Distill's outputs' (binary: 1 for Distill's positive class)."""
    if task == "regression":
        Y = train[["teacher_value"]].to_numpy(dtype=float)
        return Y, Y[:, 0]
    answers = train["teacher_class"].astype(str).to_numpy()
    Y = np.stack([answers == cls for cls in outputs], axis=1).astype(float)
    return Y, (Y[:, 0] if task == "binary" else np.argmax(Y, axis=1))


def check_sample(distill, sample, label, features, fractions, work):
    if features:
        teacher, paths, train = measurements_teacher(distill, sample, label, features, work)
    else:
        teacher = ["--teacher", os.path.join(ROOT, "Samples", sample, "teacher.onnx")]
        paths = {part: os.path.join(ROOT, "Samples", sample, f"{part}.csv") for part in ("train", "test")}
        train = teacher_answers(distill, sample, label, paths["train"], work)
    columns = features or [c for c in train.columns if c != label and not c.startswith("teacher_")]
    Z, mean, scale = standardise(train[columns].to_numpy(dtype=float))
    if "teacher_value" in train.columns:
        task, classes = "regression", None
    else:
        classes = [c[len("teacher_p_"):] for c in train.columns if c.startswith("teacher_p_")]
        task = "binary" if len(classes) == 2 else "multinomial"
    # lambda_max does not depend on which class is positive or how classes are ordered.
    Y, _ = targets(task, train, [None] if task == "regression" else classes[1:] if task == "binary" else classes)

    print(f"{sample}: {task}, {len(Z)} rows, {len(columns)} features")
    print(f"  {'lambda/max':>10} {'A':>4} {'nonzero':>7} {'objective distill':>19} {'scikit-learn':>19} "
          f"{'rel diff':>9} {'sk-LBFGSB':>9} {'distill s':>9} {'sklearn s':>9}")
    failures, largest_gap = 0, 0.0
    for A, fraction_list in fractions.items():
        top = lambda_max(Z, Y, A)
        for fraction in fraction_list:
            lam = fraction * top
            case = f"{sample} lambda {fraction} lambda_max (lambda={lam:.6g}), l1_ratio {A}"
            try:
                student, fidelity, stdout, distill_seconds = run_linear(distill, teacher, paths, label, lam, A, work, task)
            except RuntimeError as error:
                # Every other penalty would fail the same way; one line says it.
                print(f"  FAIL {case}: {error}")
                return failures + 1
            solution, outputs, problems = read_student(student, fidelity, stdout, task, classes, columns, lam, A)
            if solution is None:
                print(f"  FAIL {case}: student.json does not follow the contract: {'; '.join(problems)}")
                failures += 1
                continue
            gap, where = standardisation_gap(student["linear"]["terms"], columns, mean, scale)
            largest_gap = max(largest_gap, gap)
            if gap > STANDARDISATION_TOLERANCE:
                problems.append(f"terms' mean and scale differ from numpy's (ddof=0) by up to {gap:.1e} relative ({where})")
            Y_case, fitted_to = targets(task, train, outputs)
            W_sk, b_sk, sklearn_seconds = sklearn_fit(task, Z, fitted_to, lam, A)
            ours = objective(task, Z, Y_case, *solution, lam, A)
            theirs = objective(task, Z, Y_case, W_sk, b_sk, lam, A)
            reference = independent_minimum(task, Z, Y_case, lam, A)
            relative = (ours - theirs) / abs(theirs)
            reference_gap = (theirs - reference) / abs(reference)
            support_failures, edge_notes = compare_support(columns, used_features(solution[0]), used_features(W_sk))
            # Not in the contract, but when Distill writes the objective it reached, it
            # must be the one this check evaluates, or Distill minimises something else.
            # Distill reads numbers as float32, so its design differs from numpy's float64
            # one in the eighth digit and the two objectives by some 1e-8 relative.
            reported = student["linear"]["convergence"].get("objective")
            if reported is not None and not close(reported, ours, REPORTED_OBJECTIVE_TOLERANCE):
                problems.append(f"convergence.objective is {reported!r}, numpy evaluates its solution to {ours!r}")
            if reference_gap > REFERENCE_TOLERANCE:
                problems.append(f"scikit-learn's objective is {reference_gap:.1e} relative above L-BFGS-B's, "
                                "so it is no reference here")
            if relative > OBJECTIVE_TOLERANCE:
                problems.append(f"distill's objective is {relative:.1e} relative above scikit-learn's")
            problems += [f"nonzero sets differ: {message}" for message in support_failures]
            nonzero_ours = int(np.sum(used_features(solution[0]) > NONZERO))
            nonzero_theirs = int(np.sum(used_features(W_sk) > NONZERO))
            print(f"  {fraction:>10g} {A:>4g} {f'{nonzero_ours}/{nonzero_theirs}':>7} {ours:>19.12g} {theirs:>19.12g} "
                  f"{relative:>9.1e} {reference_gap:>9.1e} {distill_seconds:>9.2f} {sklearn_seconds:>9.2f}  "
                  f"{'FAIL' if problems else 'ok'}")
            if relative < -REFERENCE_TOLERANCE:
                print(f"       distill's objective is below scikit-learn's by {-relative:.1e} relative")
            for note in edge_notes:
                print(f"       at the edge, not failed: {note}")
            for problem in problems:
                print(f"       {problem}")
            failures += bool(problems)
    # Distill reads numbers as float32, so some 1e-8 is expected here.
    print(f"  terms' mean and scale: at most {largest_gap:.1e} relative from numpy's (ddof=0)")
    return failures


def main():
    distill = os.path.abspath(sys.argv[1])
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for sample, label, features, fractions in CASES:
            failures += check_sample(distill, sample, label, features, fractions, work)
    print("linear checks: all passed" if failures == 0 else f"linear checks: {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
