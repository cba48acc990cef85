"""Which students are compared at which sizes, and how each size is asked of Distill.

A size is (kind, n): ("depth", d) or ("leaves", n) for trees, ("features", K) for linear
models, ("rules", R) for rule lists.
"""

TREE_SMALL = [("depth", 2), ("depth", 3), ("depth", 4), ("leaves", 4), ("leaves", 8), ("leaves", 16)]
TREE_LARGE = [("depth", 5), ("depth", 6), ("leaves", 32)]
SIZES = {
    "tree": TREE_SMALL + TREE_LARGE,
    "linear": [("features", 3), ("features", 5), ("features", 10)],
    "rules": [("rules", 4), ("rules", 8), ("rules", 16)],
}
FAST_SIZES = {"tree": [("depth", 2), ("depth", 3), ("depth", 4)]}
STUDENTS = list(SIZES)

_OPTION = {"depth": "--max-depth", "leaves": "--max-leaves", "features": "--max-features", "rules": "--max-rules"}


def distill_options(size):
    kind, n = size
    return [_OPTION[kind], str(n)]


def size_text(size):
    kind, n = size
    return f"depth {n}" if kind == "depth" else f"{n} {kind}"
