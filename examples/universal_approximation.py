"""Universal approximation: one hidden layer of growing width fits sin on [−π, π].

A network with one hidden layer of h ReLU units computes

    f(x) = b₂ + Σⱼ₌₁ʰ vⱼ · relu(wⱼ x + bⱼ),

a continuous piecewise-linear function with at most h kinks (at x = −bⱼ/wⱼ). Any continuous
function on an interval is uniformly approximated by such functions as h grows (the universal
approximation theorem); for a smooth target the best error of h linear pieces falls like 1/h².

Each width is trained with the square loss L = (1/n) Σᵢ (f(xᵢ) − sin xᵢ)² by full-batch Adam, and
the script reports the mean square error on a finer grid and the largest deviation. The hidden
units start with their kinks spread over the interval (wⱼ = ±1, bⱼ = −wⱼcⱼ, cⱼ ~ U[−1, 1] for
inputs scaled to [−1, 1]): a kink outside the data is a wasted unit. Training finds a good, not
the best, fit, so each width keeps the best of a few random starts.

Run: ``python examples/universal_approximation.py [--quick] [--out DIR]``.
"""

from __future__ import annotations

import itertools

import numpy as np
from _common import parse_args, pyplot, save
from numpy.typing import NDArray

import tinygrad_ed as tg
from tinygrad_ed import nn, optim

Fit = tuple[float, float, NDArray[np.float64]]  # (mse, max error, predictions on the grid)


def fit(h: int, x: tg.Tensor, y: tg.Tensor, grid: tg.Tensor, steps: int, seed: int) -> Fit:
    """Train a 1 → h → 1 ReLU network on (x, y); evaluate it on ``grid``."""
    tg.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, h), nn.ReLU(), nn.Linear(h, 1))
    rng = np.random.default_rng(seed)
    w, c = rng.choice([-1.0, 1.0], size=h), rng.uniform(-1.0, 1.0, size=h)
    hidden = model[0]
    assert isinstance(hidden, nn.Linear) and hidden.bias is not None
    with tg.no_grad():  # unit j is relu(±(u − cⱼ)): its kink sits at cⱼ
        hidden.weight.copy_(w[:, None])
        hidden.bias.copy_(-w * c)
    opt = optim.Adam(model.parameters(), lr=0.02)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with tg.no_grad():
        pred = model(grid).numpy()[:, 0]
    err = pred - np.sin(np.pi * grid.numpy()[:, 0])
    return float((err**2).mean()), float(np.abs(err).max()), pred


def main() -> None:
    args = parse_args(__doc__)
    widths = [1, 2, 4, 8, 16] if args.quick else [1, 2, 4, 8, 16, 32, 64]
    steps, starts = (500, 2) if args.quick else (1000, 3)
    # The network sees u = x/π ∈ [−1, 1].
    u = np.linspace(-1, 1, 200)[:, None]
    x, y = tg.tensor(u), tg.tensor(np.sin(np.pi * u))
    grid = tg.tensor(np.linspace(-1, 1, 1001)[:, None])

    print(f"{'width h':>7} {'weights':>7} {'test MSE':>10} {'max |f - sin|':>14}")
    fits: dict[int, Fit] = {}
    for h in widths:
        fits[h] = min(
            (fit(h, x, y, grid, steps, seed) for seed in range(starts)), key=lambda f: f[0]
        )
        mse, worst, _ = fits[h]
        print(f"{h:>7} {3 * h + 1:>7} {mse:>10.2e} {worst:>14.3e}")
    errors = [fits[h][0] for h in widths]
    drops = sum(b < a for a, b in itertools.pairwise(errors))
    print(f"the error fell in {drops} of {len(widths) - 1} doublings of the width")

    plt = pyplot()
    if plt is None:
        return
    g = np.pi * grid.numpy()[:, 0]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    ax1.plot(g, np.sin(g), "k", lw=3, alpha=0.25, label="sin x")
    for h in widths[::2] if len(widths) > 4 else widths:
        ax1.plot(g, fits[h][2], lw=1.3, label=f"h = {h}")
    ax1.set_xlabel("x")
    ax1.legend(fontsize=8)
    ax1.set_title("one hidden ReLU layer of width h")
    ax2.loglog(widths, errors, "o-")
    ax2.set_title("error on a fine grid (best of the starts)")
    ax2.set_xticks(widths, [str(w) for w in widths])
    ax2.set_xlabel("width h")
    ax2.set_ylabel("mean square error")
    ax2.grid(alpha=0.3, which="both")
    save(fig, args.out, "universal_approximation.png")


if __name__ == "__main__":
    main()
