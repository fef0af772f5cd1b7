"""The lecture's playground demo: a small ReLU network learns 2-D decision boundaries.

As in the TensorFlow playground, a network with three hidden ReLU layers of 16 units maps a point
x ∈ ℝ² to two class scores f(x), and is trained by minibatch SGD (batch 10, learning rate
η = 0.03) on the cross-entropy plus the L2 regularizer with rate λ = 0.001,

    L(θ) = (1/B) Σᵢ (ln Σₖ e^{fₖ(xᵢ)} − f_{yᵢ}(xᵢ))  +  λ Σ_{weights w} w²,

so every step also shrinks each weight by 2ηλw ("weight decay"). Each layer adds kinks to a
piecewise-linear score function; the decision boundary f₀(x) = f₁(x) bends to fit circles, xor,
two Gaussian blobs, moons and a two-armed spiral. Half of each data set is held out for testing.
The spiral needs many more epochs than the others: its boundary winds around the origin.

Writes ``playground_<dataset>.png`` for each data set and ``playground.png`` with all of them.

Run: ``python examples/playground.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _common import parse_args, pyplot, save
from numpy.typing import NDArray

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn, optim
from tinygrad_ed.data import (
    DataLoader,
    Standardizer,
    TensorDataset,
    circles,
    gaussians,
    moons,
    spiral,
    train_test_split,
    xor,
)

LR, L2, BATCH, HIDDEN, N = 0.03, 0.001, 10, (16, 16, 16), 400
DATASETS: dict[str, Callable[..., tuple[NDArray[np.float64], NDArray[np.int64]]]] = {
    "circles": circles,
    "xor": xor,
    "gaussians": gaussians,
    "moons": moons,
    "spiral": spiral,
}


def make_model(seed: int = 0) -> nn.Sequential:
    tg.manual_seed(seed)
    layers: list[nn.Module] = []
    width = 2
    for h in HIDDEN:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 2))
    return nn.Sequential(*layers)


def predict(model: nn.Module, X: NDArray[Any]) -> NDArray[np.float64]:
    """P(class 1 | x) for every row of X."""
    with tg.no_grad():
        p = model(tg.tensor(X.astype(np.float32))).softmax(-1).numpy()[:, 1]
    return np.asarray(p, dtype=np.float64)


def train(model: nn.Module, X: NDArray[Any], y: NDArray[np.int64], epochs: int) -> float:
    """Minibatch SGD on cross-entropy + λ Σ w²; returns the last epoch's mean loss."""
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    opt = optim.SGD(model.parameters(), lr=LR)
    loader = DataLoader(
        TensorDataset(X.astype(np.float32), y), batch_size=BATCH, shuffle=True, seed=0
    )
    total = 0.0
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb) + F.l2_penalty(weights, L2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(yb)
    return total / len(y)


def draw(plt: Any, ax: Any, model: nn.Module, data: tuple[NDArray[Any], ...], title: str) -> None:
    """P(class 1) as a background (orange 0, blue 1), the boundary, train dots and test crosses."""
    X_train, X_test, y_train, y_test = data
    both = np.vstack([X_train, X_test])
    lo, hi = both.min(axis=0) - 0.3, both.max(axis=0) + 0.3
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 150), np.linspace(lo[1], hi[1], 150))
    p = predict(model, np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.6, vmin=0, vmax=1)
    ax.contour(gx, gy, p, levels=[0.5], colors="k", linewidths=1)
    colors = np.array(["#e66101", "#0571b0"])
    ax.scatter(*X_train.T, c=colors[y_train], s=10, edgecolors="w", linewidths=0.4)
    ax.scatter(*X_test.T, c=colors[y_test], s=14, marker="x", linewidths=0.8)
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")


def main() -> None:
    args = parse_args(__doc__)
    epochs = {name: 20 if args.quick else 300 for name in DATASETS}
    epochs["spiral"] = 40 if args.quick else 1000
    plt = pyplot()
    results: list[tuple[str, nn.Module, tuple[NDArray[Any], ...], str]] = []
    print(f"ReLU net 2-{'-'.join(map(str, HIDDEN))}-2, SGD lr {LR}, L2 {L2}, batch {BATCH}")
    for name, make in DATASETS.items():
        X, y = make(N, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, seed=0)
        scaler = Standardizer().fit(X_train)
        data = (scaler.transform(X_train), scaler.transform(X_test), y_train, y_test)
        model = make_model(seed=0)
        loss = train(model, data[0], y_train, epochs[name])
        acc_train = float(((predict(model, data[0]) > 0.5) == y_train).mean())
        acc_test = float(((predict(model, data[1]) > 0.5) == y_test).mean())
        print(
            f"{name:>10}: {epochs[name]:>4} epochs, loss {loss:.3f}, "
            f"train accuracy {acc_train:.3f}, test accuracy {acc_test:.3f}"
        )
        title = f"{name}: test accuracy {acc_test:.1%}"
        results.append((name, model, data, title))
        if plt is not None:
            fig, ax = plt.subplots(figsize=(3.6, 3.6))
            draw(plt, ax, model, data, title)
            save(fig, args.out, f"playground_{name}.png")
    if plt is not None:
        overview(plt, results, args.out)


def overview(
    plt: Any, results: list[tuple[str, nn.Module, tuple[NDArray[Any], ...], str]], out: Path
) -> None:
    fig, axes = plt.subplots(1, len(results), figsize=(3.0 * len(results), 3.2))
    for ax, (_, model, data, title) in zip(axes, results):
        draw(plt, ax, model, data, title)
    save(fig, out, "playground.png", dpi=70)


if __name__ == "__main__":
    main()
