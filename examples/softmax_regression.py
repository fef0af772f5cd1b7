"""Multinomial logistic (softmax) regression on the digits, trained by plain per-example SGD.

The model has one weight row per class, W ∈ ℝ^{C×d} (the last input feature is a constant 1, so
the bias is a column of W). For an example (x, y) the class probabilities and the loss are

    p = softmax(W x),   pₖ = e^{(Wx)ₖ} / Σⱼ e^{(Wx)ⱼ},   ℓ(W; x, y) = −ln p_y,

and the gradient is the outer product ∂ℓ/∂W = (p − e_y) xᵀ: "what we predicted minus what we
should have predicted", times the input. The lecture's SGD starts from W = 0 and repeats

    pick i ∈ [n] uniformly at random;   W ← W − η (pᵢ − e_{yᵢ}) xᵢᵀ.

The script first checks that this hand-derived update is exactly what autograd computes for
``F.cross_entropy``, then trains with it (numpy only, no autograd in the loop) and reports two
predictors: the deterministic ŷ = argmaxₖ pₖ and the randomized one that samples ŷ ~ p (whose
expected accuracy is the average probability of the true class, mean p_y).

Run: ``python examples/softmax_regression.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _common import parse_args, pyplot, save
from numpy.typing import NDArray

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.data import WithReplacementSampler, load_digits, train_test_split

Array = NDArray[np.float64]
C = 10


def features(X: Array) -> Array:
    """Pixels scaled to [0, 1], followed by a constant 1 for the bias."""
    return np.hstack([X / 16.0, np.ones((len(X), 1))])


def softmax(F_: Array) -> Array:
    """Row-wise softmax, shifted by the row max so that no exponent is positive."""
    E = np.exp(F_ - F_.max(axis=-1, keepdims=True))
    P: Array = E / E.sum(axis=-1, keepdims=True)
    return P


def manual_grad(W: Array, x: Array, y: int) -> Array:
    """The lecture's gradient (p − e_y) xᵀ of −ln p_y with respect to W."""
    p = softmax(W @ x)
    p[y] -= 1.0
    return np.outer(p, x)


def autograd_grad(W: Array, x: Array, y: int) -> Array:
    """The same gradient from backprop through ``F.cross_entropy``."""
    Wt = tg.tensor(W, requires_grad=True)
    loss = F.cross_entropy((Wt @ tg.tensor(x))[None, :], np.array([y]))
    loss.backward()
    assert Wt.grad is not None
    return Wt.grad.numpy()


def check_gradient(X: Array, y: NDArray[np.int64], rng: np.random.Generator) -> float:
    """Max |manual − autograd| over a few examples, at W = 0 and at a random W."""
    worst = 0.0
    d = X.shape[1]
    for W in (np.zeros((C, d)), rng.standard_normal((C, d))):
        for i in rng.integers(0, len(X), size=5):
            diff = np.abs(manual_grad(W, X[i], int(y[i])) - autograd_grad(W, X[i], int(y[i])))
            worst = max(worst, float(diff.max()))
    return worst


def mean_loss(W: Array, X: Array, y: NDArray[np.int64]) -> float:
    P = softmax(X @ W.T)
    return float(-np.log(P[np.arange(len(y)), y]).mean())


def sgd(
    X: Array, y: NDArray[np.int64], epochs: int, lr: float, seed: int
) -> tuple[Array, list[float]]:
    """W = 0, then ``epochs·n`` steps W ← W − η (p − e_y) xᵀ, i drawn uniformly with replacement.

    Returns the weights and the training loss after every n steps ("epoch").
    """
    n, d = X.shape
    W = np.zeros((C, d))
    sampler = WithReplacementSampler(n, num_samples=epochs * n, seed=seed)
    losses = [mean_loss(W, X, y)]
    for step, i in enumerate(sampler.indices(), start=1):
        x = X[i]
        p = softmax(W @ x)
        p[y[i]] -= 1.0  # p − e_y
        W -= lr * np.outer(p, x)
        if step % n == 0:
            losses.append(mean_loss(W, X, y))
    return W, losses


def main() -> None:
    args = parse_args(__doc__)
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0, stratify=True)
    X_train, X_test = features(X_train), features(X_test)
    rng = np.random.default_rng(0)

    diff = check_gradient(X_train, y_train, rng)
    print(f"gradient check: max |(p - e_y) x^T - autograd| = {diff:.2e}")
    if diff > 1e-12:
        raise SystemExit("the hand-derived gradient disagrees with autograd")

    epochs, lr = (3, 0.1) if args.quick else (30, 0.1)
    W, losses = sgd(X_train, y_train, epochs, lr, seed=0)
    print(
        f"SGD: {epochs * len(X_train)} steps (eta = {lr}), loss {losses[0]:.3f} -> {losses[-1]:.3f}"
    )

    P = softmax(X_test @ W.T)
    deterministic = float((P.argmax(axis=1) == y_test).mean())
    sampled = np.array([rng.choice(C, p=p) for p in P])
    randomized = float((sampled == y_test).mean())
    expected = float(P[np.arange(len(y_test)), y_test].mean())
    train_acc = float((softmax(X_train @ W.T).argmax(axis=1) == y_train).mean())
    print(f"train accuracy (argmax): {train_acc:.4f}")
    print(f"test accuracy (deterministic, argmax p): {deterministic:.4f}")
    print(
        f"test accuracy (randomized, y ~ p): {randomized:.4f}  "
        f"(expected: mean p_y = {expected:.4f})"
    )

    plt = pyplot()
    if plt is not None:
        draw(plt, W, losses, args.out)


def draw(plt: Any, W: Array, losses: list[float], out: Any) -> None:
    """Weight rows as 8×8 templates (red: evidence for the class, blue: against), and the loss."""
    fig = plt.figure(figsize=(10, 3.2))
    grid = fig.add_gridspec(2, 7, width_ratios=[1, 1, 1, 1, 1, 0.7, 3.5])
    lim = float(np.abs(W[:, :64]).max())
    for k in range(C):
        ax = fig.add_subplot(grid[k // 5, k % 5])
        ax.imshow(W[k, :64].reshape(8, 8), cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"$w_{k}$", fontsize=10)
        ax.axis("off")
    ax = fig.add_subplot(grid[:, 6])
    ax.plot(range(len(losses)), losses, marker="o", ms=3)
    ax.set_xlabel("epochs (n SGD steps each)")
    ax.set_ylabel("training loss  $-\\ln p_y$")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    save(fig, out, "softmax_regression.png")


if __name__ == "__main__":
    main()
