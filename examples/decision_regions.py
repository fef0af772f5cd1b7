"""Decision regions of a linear multiclass classifier: the lecture's three-class example.

A linear classifier with one weight vector per class scores a point x by fₖ(x) = wₖ · x and
predicts the class with the largest score,

    ŷ(x) = argmaxₖ wₖ · x,        w₁ = (1, −1/3),  w₂ = (−1/2, −1/2),  w₃ = (0, 1).

Class k wins where wₖ · x ≥ wⱼ · x for all j, i.e. on the intersection of the half-planes
(wₖ − wⱼ) · x ≥ 0: every region is a convex cone with its apex at the origin, bounded by rays
along which two scores tie. The softmax pₖ = e^{fₖ} / Σⱼ e^{fⱼ} does not move the boundaries
(it is monotone in each score); it only says how confident the prediction is.

Run: ``python examples/decision_regions.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import numpy as np
from _common import parse_args, pyplot, save

import tinygrad_ed as tg

W = tg.tensor([[1.0, -1.0 / 3.0], [-0.5, -0.5], [0.0, 1.0]], dtype=np.float64)
"""Row k is wₖ: the score of class k + 1 (classes are numbered 1, 2, 3 as in the lecture)."""

POINTS = [(1.0, 0.0), (0.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 0.5), (1.5, 0.8)]


def scores(x: tg.Tensor) -> tg.Tensor:
    """f = x Wᵀ for a batch of points x of shape (n, 2): one row of three scores per point."""
    return x @ W.T


def main() -> None:
    args = parse_args(__doc__)
    x = tg.tensor(POINTS, dtype=np.float64)
    f = scores(x)
    p = f.softmax(-1)
    winner = f.argmax(-1)
    print("point          scores f = (w1·x, w2·x, w3·x)     softmax p               class")
    for xi, fi, pi, k in zip(x.tolist(), f.tolist(), p.tolist(), winner.tolist()):
        fs = ", ".join(f"{v:+.3f}" for v in fi)
        ps = ", ".join(f"{v:.3f}" for v in pi)
        print(f"({xi[0]:+.1f}, {xi[1]:+.1f})   ({fs})   ({ps})   {k + 1}")

    # Each boundary ray lies on a line (wₖ − wⱼ) · x = 0 through the origin.
    for k in range(3):
        for j in range(k + 1, 3):
            d = (W[k] - W[j]).tolist()
            print(f"boundary {k + 1}|{j + 1}: ({d[0]:+.3f}) x1 + ({d[1]:+.3f}) x2 = 0")

    plt = pyplot()
    if plt is None:
        return
    n = 200 if args.quick else 400
    g = np.linspace(-2.0, 2.0, n)
    xx, yy = np.meshgrid(g, g)
    grid = tg.tensor(np.stack([xx.ravel(), yy.ravel()], axis=1))
    regions = scores(grid).argmax(-1).numpy().reshape(xx.shape)

    from matplotlib.colors import ListedColormap

    colors = ["#4c72b0", "#dd8452", "#55a868"]
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.pcolormesh(xx, yy, regions, cmap=ListedColormap(colors), alpha=0.35, shading="auto")
    ax.contour(xx, yy, regions, levels=[0.5, 1.5], colors="k", linewidths=1)
    for k, (w, c) in enumerate(zip(W.tolist(), colors)):
        ax.annotate(
            "",
            xy=(w[0], w[1]),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "color": c, "lw": 2.5},
        )
        ax.text(w[0] * 1.25, w[1] * 1.25 + 0.05, f"$w_{k + 1}$", color=c, fontsize=14)
    for (a, b), k in zip(POINTS, winner.tolist()):
        ax.plot(a, b, "o", color=colors[k], markeredgecolor="k")
    ax.set_title(r"$\hat y(x) = \arg\max_k\, w_k \cdot x$")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    save(fig, args.out, "decision_regions.png")


if __name__ == "__main__":
    main()
