"""Training time of the multiclass reductions on the digits, next to scikit-learn's, side by side.

For each reduction (one-vs-rest, one-vs-one, output code, plus softmax regression) the script
trains ours — all binary problems of a reduction as one batched logistic regression, trained with
the framework's autograd and ``optim.SGD`` — and scikit-learn's counterpart (``sklearn.multiclass``
around L-BFGS ``LogisticRegression``) on the same standardized split, alternately, ``REPEATS``
times, and prints the best time of each, their ratio (ours / scikit-learn: below 1 means ours is
faster) and both test accuracies. Without scikit-learn only our times are printed.

Run: ``python tests/benchmarks/bench_multiclass.py`` (or ``make bench``).
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import numpy as np

from tinygrad_ed.data import load_digits, standardize, train_test_split
from tinygrad_ed.multiclass import (
    OneVsOne,
    OneVsRest,
    OutputCode,
    SoftmaxRegression,
    TreeReduction,
    dense_code,
)

REPEATS = 3


def one_thread() -> contextlib.AbstractContextManager[Any]:
    """One BLAS/OpenMP thread for both sides: fair, and faster for matrices this small."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager[Any] = threadpool_limits(1)
    return limits


def pairs() -> list[tuple[str, Any, Any]]:
    try:
        from sklearn.linear_model import LogisticRegression as SkLR
        from sklearn.multiclass import (
            OneVsOneClassifier,
            OneVsRestClassifier,
            OutputCodeClassifier,
        )
    except ImportError:
        SkLR = None
    width = dense_code(10, random_state=0).shape[1]  # our default code's number of columns
    sk: dict[str, Any] = {}
    if SkLR is not None:
        sk = {
            "softmax regression": lambda: SkLR(),
            "one-vs-rest": lambda: OneVsRestClassifier(SkLR()),
            "one-vs-one": lambda: OneVsOneClassifier(SkLR()),
            "output code": lambda: OutputCodeClassifier(
                SkLR(), code_size=width / 10, random_state=0
            ),
        }
    ours = {
        # Full batches with Nesterov momentum: 30 steps (minibatches of 32 took 430 to a lower
        # accuracy). The lecture's per-example SGD is the class's default, not a speed contest.
        "softmax regression": lambda: SoftmaxRegression(
            lr=1.0, epochs=30, batch_size=None, momentum=0.9, nesterov=True, l2=4e-3
        ),
        "one-vs-rest": OneVsRest,
        "one-vs-one": OneVsOne,
        "output code": lambda: OutputCode(random_state=0),
        "tree (balanced)": TreeReduction,
        "tree (class means)": lambda: TreeReduction(tree="means"),
    }
    return [(name, make, sk.get(name)) for name, make in ours.items()]


def fit_time(make: Any, X: Any, y: Any) -> tuple[float, Any]:
    model = make()
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start, model


def main() -> None:
    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    X_tr, X_te = standardize(X_tr, X_te)
    print(f"digits: {len(X_tr)} training images, 64 features, 10 classes; best of {REPEATS}")
    print(
        f"{'model':20s} {'ours (s)':>9s} {'sklearn (s)':>11s} {'ratio':>7s} "
        f"{'ours acc':>9s} {'sklearn acc':>11s}"
    )
    # pairs() imports scikit-learn, and with it scipy's own OpenBLAS: the thread limit must come
    # after, or it misses that library and L-BFGS runs multithreaded (5-10x slower on a loaded
    # machine, which made scikit-learn look slow).
    models = pairs()
    with one_thread():
        for name, ours, theirs in models:
            t_ours: list[float] = []
            t_sk: list[float] = []
            for _ in range(REPEATS):  # alternate, so that both see the same machine load
                t, m_ours = fit_time(ours, X_tr, y_tr)
                t_ours.append(t)
                if theirs is not None:
                    t, m_sk = fit_time(theirs, X_tr, y_tr)
                    t_sk.append(t)
            acc = np.mean(m_ours.predict(X_te) == y_te)
            line = f"{name:20s} {min(t_ours):9.3f}"
            if t_sk:
                acc_sk = np.mean(m_sk.predict(X_te) == y_te)
                ratio = min(t_ours) / min(t_sk)
                line += f" {min(t_sk):11.3f} {ratio:7.2f} {acc:9.4f} {acc_sk:11.4f}"
            else:
                line += f" {'—':>11s} {'—':>7s} {acc:9.4f} {'—':>11s}"
            print(line)


if __name__ == "__main__":
    main()
