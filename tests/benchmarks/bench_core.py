"""Core benchmarks: training-step overhead vs hand-written numpy, per-op cost, backward scaling.

Run with ``make bench``. Everything is measured side by side in one process, and ratios are
printed: the machine is shared, so absolute times drift while ratios hold. Each figure is the
best of several repeats (the least disturbed run).

1. MLP 784-256-256-10, batch 128, float32: one SGD step (forward, cross-entropy, backward,
   update) with raw Tensor ops, divided by the same step written by hand in numpy.
2. Per-op overhead: chains of 1000 elementwise ops on (1,) and (16, 16) tensors, forward +
   backward, in µs per op.
3. Backward through chains of 1e3, 1e4, 1e5 ops: µs per node should stay flat (linear time).
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable

import numpy as np

import tinygrad_ed as tg
import tinygrad_ed.functional as F


def best_of(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# ----------------------------------------------------------------------------- 1. MLP step


def mlp_setup(seed: int = 0) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = [784, 256, 256, 10]
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    return params, x, y


def numpy_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, lr: float) -> float:
    """The same step by hand: forward, softmax cross-entropy, backward, SGD."""
    w1, b1, w2, b2, w3, b3 = params
    h1 = x @ w1.T + b1
    a1 = np.maximum(h1, 0)
    h2 = a1 @ w2.T + b2
    a2 = np.maximum(h2, 0)
    f = a2 @ w3.T + b3
    z = f - f.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    n = x.shape[0]
    loss = -logp[np.arange(n), y].mean()
    df = np.exp(logp)
    df[np.arange(n), y] -= 1
    df /= n
    gw3, gb3 = df.T @ a2, df.sum(0)
    da2 = df @ w3
    dh2 = da2 * (h2 > 0)
    gw2, gb2 = dh2.T @ a1, dh2.sum(0)
    da1 = dh2 @ w2
    dh1 = da1 * (h1 > 0)
    gw1, gb1 = dh1.T @ x, dh1.sum(0)
    for p, g in zip(params, (gw1, gb1, gw2, gb2, gw3, gb3)):
        p -= lr * g
    return float(loss)


def tinygrad_step(params: list[tg.Tensor], x: tg.Tensor, y: np.ndarray, lr: float) -> float:
    w1, b1, w2, b2, w3, b3 = params
    h = (x @ w1.T + b1).relu()
    h = (h @ w2.T + b2).relu()
    loss = F.cross_entropy(h @ w3.T + b3, y)
    for p in params:
        p.grad = None
    loss.backward()
    with tg.no_grad():
        for p in params:
            p -= lr * p.grad  # type: ignore[operator]
    return float(loss.item())


def bench_mlp(repeats: int) -> float:
    params, x, y = mlp_setup()
    np_params = [p.copy() for p in params]
    tg_params = [tg.Tensor(p, requires_grad=True) for p in params]
    tx = tg.Tensor(x)
    # Same numbers first: the comparison is only fair if both compute the same step.
    a, b = numpy_step(np_params, x, y, 0.01), tinygrad_step(tg_params, tx, y, 0.01)
    assert abs(a - b) < 1e-4, (a, b)
    assert all(np.allclose(p, q.data, atol=1e-5) for p, q in zip(np_params, tg_params))
    t_np = t_tg = float("inf")
    for _ in range(repeats):  # interleaved, so drifting machine load hits both alike
        t_np = min(t_np, best_of(lambda: numpy_step(np_params, x, y, 0.01), 3))
        t_tg = min(t_tg, best_of(lambda: tinygrad_step(tg_params, tx, y, 0.01), 3))
    print("1. MLP 784-256-256-10, batch 128, float32, one SGD step")
    print(f"   numpy by hand {t_np * 1e3:8.2f} ms   tinygrad_ed {t_tg * 1e3:8.2f} ms")
    print(f"   ratio tinygrad_ed / numpy = {t_tg / t_np:.3f}   (target <= 1.10)")
    return t_tg / t_np


# ----------------------------------------------------------------------------- 2. per-op overhead


def chain(shape: tuple[int, ...], n: int) -> tuple[float, float]:
    """Forward and backward seconds of n elementwise ops (a mul, add, tanh, mul cycle)."""
    x = tg.Tensor(np.random.default_rng(0).random(shape, dtype=np.float32), requires_grad=True)
    t0 = time.perf_counter()
    y = x
    for _ in range(n // 4):
        y = y * 1.001
        y = y + 0.001
        y = y.tanh()
        y = y * 0.9
    loss = y.sum()
    t1 = time.perf_counter()
    loss.backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def numpy_chain(shape: tuple[int, ...], n: int) -> float:
    """The same ops on bare numpy arrays, forward only: the floor set by numpy itself."""
    y = np.random.default_rng(0).random(shape, dtype=np.float32)
    t0 = time.perf_counter()
    for _ in range(n // 4):
        y = y * np.float32(1.001)
        y = y + np.float32(0.001)
        y = np.tanh(y)
        y = y * np.float32(0.9)
    return time.perf_counter() - t0


def bench_per_op(repeats: int) -> None:
    print("2. per-op overhead, chain of 1000 elementwise ops, forward + backward")
    for shape in ((1,), (16, 16)):
        runs = [chain(shape, 1000) for _ in range(repeats)]
        fwd, bwd = min(runs, key=sum)
        floor = min(numpy_chain(shape, 1000) for _ in range(repeats))
        total = (fwd + bwd) / 1000 * 1e6
        print(
            f"   shape {shape!s:8} forward {fwd / 1000 * 1e6:5.2f} µs/op  backward "
            f"{bwd / 1000 * 1e6:5.2f} µs/op  total {total:5.2f} µs/op   "
            f"(bare numpy forward {floor / 1000 * 1e6:4.2f} µs/op; total / numpy = "
            f"{total / (floor / 1000 * 1e6):.1f})"
        )
    print("   target: total below PyTorch CPU's ~4 µs/op on this machine")


# ----------------------------------------------------------------------------- 3. scaling


def bench_scaling() -> None:
    print("3. backward through chains: µs per node should stay flat")
    per_node = []
    for n in (1_000, 10_000, 100_000):
        _, bwd = min((chain((1,), n) for _ in range(3 if n < 100_000 else 1)), key=lambda r: r[1])
        per_node.append(bwd / n * 1e6)
        print(f"   {n:>7} ops: backward {bwd * 1e3:8.1f} ms = {per_node[-1]:5.2f} µs/node")
    print(f"   ratio µs/node at 1e5 vs 1e3 = {per_node[-1] / per_node[0]:.2f}  (1.0 = linear)")


def main() -> None:
    quick = "--quick" in sys.argv
    bench_mlp(repeats=2 if quick else 5)
    bench_per_op(repeats=3 if quick else 7)
    bench_scaling()


if __name__ == "__main__":
    main()
