"""Why backprop: one gradient by backprop versus by finite differences, as the weights grow.

The numerical gradient perturbs one weight at a time,

    ∂F/∂θᵢ ≈ (F(θ + ε eᵢ) − F(θ − ε eᵢ)) / 2ε,        i = 1 … m,

so it costs 2m evaluations of F: its time grows linearly with the number of weights m, and for a
network whose forward pass itself costs O(m) the whole gradient costs O(m²). Backprop computes
all m partial derivatives in one backward sweep over the graph, at a small constant times the
cost of one forward pass (the "cheap gradient principle"): the ratio between the two is ~m.

The loss here is a one-hidden-layer ReLU network's cross-entropy on a batch of 32 digits, with
all weights packed into one vector θ of length m = 65h + 10(h + 1) for h hidden units. The
table compares the two gradients' times with one forward pass (``bp/fwd``: backprop's constant;
``num/(2m fwd)`` ≈ 1: the numerical gradient is 2m forward passes) and their largest difference
(which should be tiny: the central difference is exact up to O(ε²) and rounding). At these
sizes a pass costs mostly Python overhead per op, so the backprop column barely moves while the
numerical one grows ∝ m.

Run: ``python examples/backprop_vs_numerical.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from _common import parse_args, pyplot, save
from numpy.typing import NDArray

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.data import load_digits, standardize
from tinygrad_ed.numgrad import numerical_grad

D, C, BATCH = 64, 10, 32


def make_loss(h: int, X: tg.Tensor, y: NDArray[np.int64]) -> Callable[[tg.Tensor], tg.Tensor]:
    """F(θ): unpack θ into W₁ (h×64), b₁ (h), W₂ (10×h), b₂ (10) and return the mean loss."""
    cuts = np.cumsum([h * D, h, C * h])

    def loss(theta: tg.Tensor) -> tg.Tensor:
        W1 = theta[: cuts[0]].reshape(h, D)
        b1 = theta[cuts[0] : cuts[1]]
        W2 = theta[cuts[1] : cuts[2]].reshape(C, h)
        b2 = theta[cuts[2] :]
        return F.cross_entropy((X @ W1.T + b1).relu() @ W2.T + b2, y)

    return loss


def forward(loss: Callable[[tg.Tensor], tg.Tensor], theta: NDArray[np.float64]) -> float:
    with tg.no_grad():
        return float(loss(tg.tensor(theta)).item())


def backprop_grad(loss: Callable[[tg.Tensor], tg.Tensor], theta: NDArray[np.float64]) -> Any:
    t = tg.tensor(theta, requires_grad=True)
    loss(t).backward()
    assert t.grad is not None
    return t.grad.numpy()


def best_time(fn: Callable[[], Any], budget: float = 0.2, repeats: int = 50) -> tuple[float, Any]:
    """The fastest of several runs (at most ``repeats``, stopping after ``budget`` seconds)."""
    result = fn()  # warm-up: caches, lazy imports
    best, spent = float("inf"), 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        took = time.perf_counter() - start
        best, spent = min(best, took), spent + took
        if spent > budget:
            break
    return best, result


def main() -> None:
    args = parse_args(__doc__)
    pixels, labels = load_digits()
    (X_all,) = standardize(pixels)
    X, y = tg.tensor(X_all[:BATCH]), labels[:BATCH]
    rng = np.random.default_rng(0)
    widths = [1, 2, 4, 8, 16] if args.quick else [1, 2, 4, 8, 16, 32, 64, 128]

    print(
        f"{'h':>4} {'m':>6} {'forward (s)':>12} {'backprop (s)':>13} {'numerical (s)':>14} "
        f"{'ratio':>7} {'bp/fwd':>7} {'num/(2m fwd)':>13} {'max |diff|':>11}"
    )
    rows: list[tuple[int, float, float, float]] = []
    for h in widths:
        loss = make_loss(h, X, y)
        m = h * D + h + C * h + C
        theta = rng.standard_normal(m) * np.sqrt(1.0 / D)
        t_fwd, _ = best_time(partial(forward, loss, theta))
        t_bp, g_bp = best_time(partial(backprop_grad, loss, theta))
        budget = 0.0 if m > 2000 else 0.2  # the big ones are timed once
        t_num, g_num = best_time(partial(numerical_grad, loss, theta, eps=1e-6), budget, 3)
        diff = float(np.abs(g_bp - g_num).max())
        rows.append((m, t_fwd, t_bp, t_num))
        print(
            f"{h:>4} {m:>6} {t_fwd:>12.2e} {t_bp:>13.2e} {t_num:>14.2e} {t_num / t_bp:>7.0f} "
            f"{t_bp / t_fwd:>7.1f} {t_num / (2 * m * t_fwd):>13.2f} {diff:>11.1e}"
        )
        if diff > 1e-5:
            raise SystemExit(f"backprop and finite differences disagree by {diff:.2e} at m = {m}")

    plt = pyplot()
    if plt is None:
        return
    m_, fwd, bp, num = (np.array(c) for c in zip(*rows))
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.loglog(m_, num, "o-", label="central differences")
    ax.loglog(m_, 2 * m_ * fwd, "k:", lw=1, label="2m × one forward pass")
    ax.loglog(m_, bp, "s-", label="backprop (one forward + one backward)")
    ax.loglog(m_, fwd, "^--", lw=1, ms=4, label="one forward pass")
    ax.set_xlabel("number of weights m")
    ax.set_ylabel("seconds per gradient")
    ax.set_title("one gradient of a 64-h-10 ReLU net, batch 32")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    save(fig, args.out, "backprop_vs_numerical.png")


if __name__ == "__main__":
    main()
