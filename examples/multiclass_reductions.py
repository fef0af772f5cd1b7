"""Multiclass by reduction to binary classification: one-vs-rest, one-vs-one, output codes, trees.

A linear multiclass model scores every class, fₖ(x) = wₖᵀx, and predicts argmaxₖ fₖ(x); softmax
regression trains all wₖ jointly. The *reductions* instead train binary classifiers only, on
relabelled copies of the data, and combine their answers. Each is a code matrix M ∈ {−1,0,+1}^{C×P}
(column p: which classes are positive, negative, or ignored by classifier p):

    one-vs-rest   C classifiers          predict the class whose classifier is most confident
    one-vs-one    C(C−1)/2 classifiers   majority vote over all pairs
    output codes  P classifiers          nearest code word (errors of a few classifiers corrected)
    tree          C − 1 classifiers      walk down a binary tree: only ⌈log₂ C⌉ evaluations

The script prints, on the digits (C = 10), each reduction's test accuracy, number of binary
classifiers, training and prediction time — next to scikit-learn's ``sklearn.multiclass`` when it is
installed — counts how often random code books give two classes the same code word (ours never
do), and draws the decision regions of each reduction on a 2-D toy set of three classes in a row.
No line separates the middle class from the other two, so its one-vs-rest classifier says +1
almost nowhere: argmax one-vs-rest still gets by on comparing scores, but the lecture's rule "a
random class among those whose classifier says +1" guesses in the whole middle band.

Run: ``python examples/multiclass_reductions.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path
from typing import Any

import numpy as np

from tinygrad_ed.data import load_digits, standardize, train_test_split
from tinygrad_ed.multiclass import (
    LogisticRegression,
    OneVsOne,
    OneVsRest,
    OutputCode,
    SoftmaxRegression,
    TreeReduction,
    dense_code,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="less data and training (< 20 s)")
    parser.add_argument("--out", type=Path, default=Path("out"), help="picture folder (out/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Limit BLAS to one thread (via threadpoolctl, installed with scikit-learn) for the timings:
    with matrices this small, extra threads only add overhead — a lot of it on a busy machine."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return contextlib.nullcontext()
    # threadpoolctl limits only the libraries already loaded: scikit-learn brings scipy's own
    # OpenBLAS, which would otherwise run L-BFGS multithreaded (and 5-10x slower when busy).
    with contextlib.suppress(ImportError):
        import sklearn.linear_model  # noqa: F401
    limits: contextlib.AbstractContextManager[Any] = threadpool_limits(1)
    return limits


def ours(quick: bool) -> list[tuple[str, Any]]:
    """Our reductions, with the default base learner (a batched LogisticRegression; 40 steps
    instead of its default 50 in quick mode)."""
    base = LogisticRegression(epochs=40) if quick else LogisticRegression()
    return [
        ("softmax regression", SoftmaxRegression(lr=0.1, epochs=10, batch_size=32, random_state=0)),
        ("one-vs-rest", OneVsRest(base)),
        ("one-vs-one", OneVsOne(base)),
        ("output code (dense)", OutputCode(base, code="dense", random_state=0)),
        ("tree (balanced)", TreeReduction(base)),
        ("tree (class means)", TreeReduction(base, tree="means")),
    ]


def sklearn_counterparts(n_columns: int, n_classes: int) -> dict[str, Any]:
    """scikit-learn's versions, or {} when it is not installed."""
    try:
        from sklearn.linear_model import LogisticRegression as SkLR
        from sklearn.multiclass import (
            OneVsOneClassifier,
            OneVsRestClassifier,
            OutputCodeClassifier,
        )
    except ImportError:
        return {}
    return {
        "softmax regression": SkLR(),
        "one-vs-rest": OneVsRestClassifier(SkLR()),
        "one-vs-one": OneVsOneClassifier(SkLR()),
        # As many columns as our code, for a like-for-like comparison.
        "output code (dense)": OutputCodeClassifier(
            SkLR(), code_size=n_columns / n_classes, random_state=0
        ),
    }


def timed(model: Any, X_tr: Any, y_tr: Any, X_te: Any, y_te: Any) -> tuple[float, float, float]:
    """(accuracy, training seconds, prediction milliseconds)."""
    start = time.perf_counter()
    model.fit(X_tr, y_tr)
    train = time.perf_counter() - start
    start = time.perf_counter()
    pred = model.predict(X_te)
    predict = time.perf_counter() - start
    return float(np.mean(pred == y_te)), train, 1000 * predict


def n_classifiers(model: Any) -> str:
    if isinstance(model, SoftmaxRegression):
        return "— (1 model)"
    if hasattr(model, "code_book_"):
        return str(model.code_book_.shape[1])
    if hasattr(model, "estimators_"):
        return str(len(model.estimators_))
    return "—"


def digits_table(quick: bool) -> None:
    X, y = load_digits()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0, stratify=True)
    if quick:
        X_tr, y_tr = X_tr[:500], y_tr[:500]
    X_tr, X_te = standardize(X_tr, X_te)
    print(f"digits: {len(X_tr)} training and {len(X_te)} test images, 10 classes\n")
    header = (
        f"{'reduction':22s} {'classifiers':>11s} {'accuracy':>9s} {'train (s)':>10s} "
        f"{'predict (ms)':>12s} | {'sklearn acc':>11s} {'train (s)':>10s} {'predict (ms)':>12s}"
    )
    print(header)
    print("-" * len(header))
    models = dict(ours(quick))
    results = {name: timed(model, X_tr, y_tr, X_te, y_te) for name, model in models.items()}
    code = models["output code (dense)"]
    theirs = sklearn_counterparts(code.code_book_.shape[1], 10)
    for name, model in models.items():
        acc, train, predict = results[name]
        row = f"{name:22s} {n_classifiers(model):>11s} {acc:9.4f} {train:10.2f} {predict:12.2f} |"
        if name in theirs:
            acc, train, predict = timed(theirs[name], X_tr, y_tr, X_te, y_te)
            row += f" {acc:11.4f} {train:10.2f} {predict:12.2f}"
        else:
            row += f" {'—':>11s}"
        print(row)
        if isinstance(model, SoftmaxRegression):
            sampled = np.mean(model.predict(X_te, sample=True, random_state=0) == y_te)
            print(f"{'  sampled prediction':22s} {'':>11s} {sampled:9.4f}")
    if not theirs:
        print("\nnote: scikit-learn is not installed; no comparison column")
    tree = models["tree (balanced)"]
    print(
        f"\nthe tree evaluates {tree.depth_} of its {len(tree.estimators_)} classifiers per "
        f"image; the output code's minimum Hamming distance is {code.min_hamming_distance_:g}"
    )


def duplicate_code_words(n_seeds: int = 100) -> None:
    """How often a random code book gives two of C = 3 classes the same code word."""
    try:
        from sklearn.dummy import DummyClassifier
        from sklearn.multiclass import OutputCodeClassifier
    except ImportError:
        return
    X = np.zeros((6, 1))
    y = np.repeat(np.arange(3), 2)
    clashes = 0
    for seed in range(n_seeds):
        # The base learner is irrelevant here: only the drawn code book is looked at.
        sk = OutputCodeClassifier(DummyClassifier(), code_size=1.5, random_state=seed).fit(X, y)
        clashes += len({tuple(row) for row in sk.code_book_}) < 3
    ours = sum(
        len({tuple(row) for row in dense_code(3, int(1.5 * 3), random_state=seed)}) < 3
        for seed in range(n_seeds)
    )
    print(
        f"random code books with two identical code words (3 classes, code_size=1.5, "
        f"{n_seeds} seeds): scikit-learn {clashes}, ours {ours}"
    )


def toy_regions(out: Path, quick: bool) -> None:
    """Decision regions of every reduction on three classes in a row."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("note: matplotlib is not installed; skipping the decision-region picture")
        return
    rng = np.random.default_rng(0)
    n = 60 if quick else 100
    centres = np.array([[-3.0, 0.0], [0.0, 0.0], [3.0, 0.0]])
    y = np.repeat(np.arange(3), n)
    X = centres[y] + rng.normal(scale=[0.9, 1.2], size=(3 * n, 2))
    base = LogisticRegression()
    models: list[tuple[str, Any]] = [
        (
            "softmax regression",
            SoftmaxRegression(lr=0.1, epochs=10 if quick else 30, random_state=0),
        ),
        ("one-vs-rest (argmax)", OneVsRest(base)),
        ("one-vs-rest (random among +1)", OneVsRest(base, prediction="random", random_state=0)),
        ("one-vs-one", OneVsOne(base)),
        ("output code (exhaustive)", OutputCode(base, code="exhaustive")),
        ("tree (balanced)", TreeReduction(base)),
    ]
    step = 0.1 if quick else 0.05
    gx, gy = np.meshgrid(np.arange(-6, 6 + step, step), np.arange(-4.5, 4.5 + step, step))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    fig, axes = plt.subplots(2, 3, figsize=(13, 8), sharex=True, sharey=True)
    colours = np.array(["#1f77b4", "#ff7f0e", "#2ca02c"])
    for ax, (name, model) in zip(axes.ravel(), models):
        model.fit(X, y)
        regions = model.predict(grid).reshape(gx.shape)
        ax.contourf(gx, gy, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=colours, alpha=0.25)
        ax.scatter(X[:, 0], X[:, 1], c=colours[y], s=10, edgecolors="none")
        ax.set_xlim(gx.min(), gx.max())
        ax.set_ylim(gy.min(), gy.max())
        ax.set_title(f"{name}\ntraining accuracy {model.score(X, y):.2f}", fontsize=10)
        print(f"toy set, {name}: training accuracy {model.score(X, y):.3f}")
    fig.suptitle("Decision regions of the reductions (three classes in a row)")
    path = out / "multiclass_regions.png"
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    print(f"wrote {path}")


def main() -> None:
    args = parse_args()
    with one_blas_thread():
        digits_table(args.quick)
        duplicate_code_words(20 if args.quick else 100)
        print()
        toy_regions(args.out, args.quick)


if __name__ == "__main__":
    main()
