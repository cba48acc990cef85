"""The peer students: scikit-learn and imodels models fitted to the teacher's answers.

Every peer learns from the training rows' teacher answers and is scored on the held-out
rows against the teacher: agreement with the teacher's most probable class (first on
ties, as Distill breaks them), or R² against the teacher's value, both in points (x100).

What the peers see. scikit-learn has no categorical splits, so a text column becomes one
indicator per level seen in the training rows (a missing or unseen level: all zeros).
Missing numbers stay NaN for scikit-learn's trees and HSTree, which route them natively
as Distill does; FIGS, GreedyRuleList and the linear models cannot read NaN, so they get
the training rows' median instead.

The peers. Trees: CART (DecisionTreeClassifier on the teacher's classes), CART on
probabilities (DecisionTreeRegressor on the teacher's probability vectors, answering the
most probable class), FIGS, and HSTree (HSTreeClassifierCV shrinking a CART of the same
size); for a regression teacher DecisionTreeRegressor, FIGSRegressor and
HSTreeRegressorCV on its value. Linear models: L1 logistic regression on the teacher's
classes, or the lasso on its value. Rule lists: GreedyRuleListClassifier on the classes
(the benchmark adds Distill's own tree rewritten as rules, see distill_runs.py).

Sizes. A tree of depth d or of n leaves is matched by CART and HSTree grown to the same
max_depth or max_leaf_nodes, and by FIGS with as many splits (2^d - 1, or n - 1), no
deeper than d, in one tree (max_trees=1). Left free, FIGS spends its splits on a sum of
several trees, which answers with the sum of one leaf per tree: a model of another kind,
which for a regression teacher no single tree can be. It is shown beside the others as
"FIGS, sum of trees" (REFERENCE_PEERS) but is not a peer of a tree: gains leave it out. A linear model of K features is the largest-C (least
penalised) model on an L1 path with at most K original features in use; a text column's
indicators count as one feature when any of its weights is nonzero. A rule list of R rules
is GreedyRuleListClassifier(max_depth=R), which handles two classes only.

A peer's time is its fit (and for HSTree its cross-validation) on answers already
computed; for a linear model it is the whole path that the model is chosen from.
"""
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from datasets import features, text_columns

SEED = 0
LINEAR_PATH = 60
# Shown in the tables, left out of the best peer and the gains (see above).
REFERENCE_PEERS = {"FIGS, sum of trees"}
# The L1 path spans this factor of C above the smallest C that keeps any feature.
LINEAR_SPAN = 1e4


@dataclass
class Result:
    score: float = None
    seconds: float = None
    error: str = None
    detail: dict = field(default_factory=dict)


@dataclass
class Design:
    """The peers' matrices: with NaN kept, and with NaN as the training median."""
    with_nan: tuple
    filled: tuple
    groups: list  # the original feature of each column


def _indicators(train, test, name):
    levels = sorted(train[name].dropna().unique())
    return [np.column_stack([(part[name] == level).to_numpy(dtype=float) for level in levels])
            if levels else np.zeros((len(part), 0)) for part in (train, test)], [name] * len(levels)


def encode(train, test, dataset):
    columns = {"train": [], "test": []}
    groups = []
    text = set(text_columns(train, dataset))
    for name in features(train, dataset):
        if name in text:
            (a, b), names = _indicators(train, test, name)
        else:
            a, b = (part[[name]].to_numpy(dtype=float) for part in (train, test))
            names = [name]
        columns["train"].append(a)
        columns["test"].append(b)
        groups += names
    with_nan = tuple(np.hstack(columns[part]) for part in ("train", "test"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column missing in every training row
        medians = np.nan_to_num(np.nanmedian(with_nan[0], axis=0))
    filled = tuple(np.where(np.isnan(x), medians, x) for x in with_nan)
    return Design(with_nan, filled, groups)


def score(task, teacher, predicted):
    """Agreement with the teacher's classes, or R² against its values, in points."""
    if task == "classification":
        return 100.0 * float(np.mean(np.asarray(predicted) == teacher.argmax(axis=1)))
    return 100.0 * float(r2_score(teacher, predicted))


def _timed(task, teacher_test, fit_predict):
    """Runs a peer, keeping its error text instead of stopping the benchmark."""
    # FIGS and GreedyRuleList grow scikit-learn stumps without a random_state, which then
    # break ties between equal splits with numpy's global generator: seeded, the same seed
    # gives the same table.
    np.random.seed(SEED)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            predicted, detail = fit_predict()
    except Exception as error:  # a peer that cannot run is a result to report
        return Result(error=f"{type(error).__name__}: {error}"[:500])
    seconds = time.perf_counter() - start
    return Result(score(task, teacher_test, predicted), seconds, detail=detail or {})


def _size_arguments(size):
    kind, n = size
    return {"max_depth": n} if kind == "depth" else {"max_leaf_nodes": n}


def _splits(size):
    kind, n = size
    return 2 ** n - 1 if kind == "depth" else n - 1


def tree_peers(task, design, answers, size):
    """Each tree peer's Result at one size."""
    from imodels import FIGSClassifier, FIGSRegressor, HSTreeClassifierCV, HSTreeRegressorCV
    (x, x_test), (f, f_test) = design.with_nan, design.filled
    train, test = answers
    grown = _size_arguments(size)
    figs = dict(max_rules=_splits(size), max_depth=size[1] if size[0] == "depth" else None, random_state=SEED)
    one_tree = dict(figs, max_trees=1)

    def fitted(model, x_fit, y, x_predict):
        return lambda: (model.fit(x_fit, y).predict(x_predict), None)

    if task == "regression":
        peers = {
            "CART": fitted(DecisionTreeRegressor(random_state=SEED, **grown), x, train, x_test),
            "FIGS": fitted(FIGSRegressor(**one_tree), f, train, f_test),
            "HSTree": fitted(HSTreeRegressorCV(DecisionTreeRegressor(random_state=SEED, **grown)), x, train, x_test),
        }
    else:
        classes = train.argmax(axis=1)
        peers = {
            "CART": fitted(DecisionTreeClassifier(random_state=SEED, **grown), x, classes, x_test),
            "CART on probabilities": lambda: (
                DecisionTreeRegressor(random_state=SEED, **grown).fit(x, train).predict(x_test).argmax(axis=1), None),
            "FIGS": fitted(FIGSClassifier(**one_tree), f, classes, f_test),
            "HSTree": fitted(HSTreeClassifierCV(DecisionTreeClassifier(random_state=SEED, **grown)), x, classes, x_test),
        }
    peers["FIGS, sum of trees"] = fitted((FIGSRegressor if task == "regression" else FIGSClassifier)(**figs), f,
                                         train if task == "regression" else classes, f_test)
    return {name: _timed(task, test, run) for name, run in peers.items()}


def _features_in_use(weights, groups):
    """How many original features have a nonzero weight (weights: [columns, outputs])."""
    used = np.any(np.abs(weights) > 0, axis=1)
    return len({g for g, u in zip(groups, used) if u})


def _logistic_path(z, classes, groups, budget):
    """(model, C) along increasing C for L1 logistic regression. The least penalised fits
    are the slow ones, so the path stops where three models in a row use more than
    `budget` features (a larger C has not been seen to bring the count back down), and
    once every feature is in use it jumps to its last C, the only one left that can be
    chosen."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import l1_min_c
    binary = len(np.unique(classes)) == 2
    every = len(set(groups))
    cs = list(l1_min_c(z, classes, loss="log") * np.geomspace(1.0, LINEAR_SPAN, LINEAR_PATH))
    path, over = [], 0
    while cs:
        c = cs.pop(0)
        # liblinear is the fast L1 solver but has two classes only; saga fits the
        # multinomial model with every class's weights penalised.
        model = (LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", random_state=SEED) if binary else
                 LogisticRegression(C=c, l1_ratio=1.0, solver="saga", max_iter=1000, random_state=SEED))
        path.append((model.fit(z, classes), c))
        used = _features_in_use(model.coef_.T, groups)
        over = over + 1 if used > budget else 0
        if over == 3:
            break
        if used == every:
            cs = cs[-1:]
    return path


def linear_peers(task, design, answers, sizes):
    """Per feature budget K, the L1 peer's Result: logistic regression on the teacher's
    classes, or the lasso on its values."""
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(design.filled[0])
    z, z_test = (scaler.transform(x) for x in design.filled)
    train, test = answers
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if task == "regression":
                candidates = _lasso_candidates(z, z_test, train, design.groups)
            else:
                candidates = [(_features_in_use(m.coef_.T, design.groups), m.predict(z_test), {"C": c})
                              for m, c in _logistic_path(z, train.argmax(axis=1), design.groups, max(sizes))]
    except Exception as error:
        return {k: Result(error=f"{type(error).__name__}: {error}"[:500]) for k in sizes}
    seconds = time.perf_counter() - start
    results = {}
    for k in sizes:
        # Candidates run from the most to the least penalised: the last that fits is kept.
        fitting = [c for c in candidates if c[0] <= k]
        if not fitting:
            results[k] = Result(error=f"no model on the path has at most {k} features")
            continue
        used, predicted, detail = fitting[-1]
        results[k] = Result(score(task, test, predicted), seconds, detail={"features": used, **detail})
    return results


def _lasso_candidates(z, z_test, values, groups):
    """(features in use, predictions, detail) along decreasing alpha. The design is
    standardised, so centring the values stands in for the intercept."""
    from sklearn.linear_model import lasso_path
    mean = values.mean()
    alphas, coefs, _ = lasso_path(z, values - mean, n_alphas=100, eps=1e-3)
    return [(_features_in_use(coefs[:, [i]], groups), z_test @ coefs[:, i] + mean, {"alpha": float(a)})
            for i, a in enumerate(alphas)]


def rule_list_peer(task, design, answers, rules):
    """imodels' GreedyRuleListClassifier with `rules` rules, or None where it does not apply
    (a regression teacher, or more than two classes)."""
    from imodels import GreedyRuleListClassifier
    train, test = answers
    if task == "regression" or train.shape[1] != 2:
        return None
    (f, f_test) = design.filled
    classes = train.argmax(axis=1)

    def run():
        model = GreedyRuleListClassifier(max_depth=rules).fit(f, classes)
        return np.asarray(model.predict(f_test)).astype(int), None
    return _timed(task, test, run)
