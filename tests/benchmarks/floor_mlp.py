"""The interpreter floor of the MLP step: a minimal autograd beside tinygrad_ed and numpy.

``bench_core.py``'s MLP step (784-256-256-10) is within 15% of hand-written numpy, and the gap
is interpreter work. How much of it could any design that records one Python object per op
remove? This script runs the same step, with 8-wide layers so that the arithmetic is negligible,
three ways, side by side in one process:

* numpy by hand (``bench_core.numpy_step``);
* ``Minimal``: the smallest reverse-mode autograd that computes the step (below, 60 lines): one
  object per op holding its value, its inputs and a closure for its derivative, an iterative
  topological sort and a dict of adjoints, and nothing else — no dtype or shape checks, no
  hooks, no version counters, no views, no broadcasting rules, no grad mode;
* tinygrad_ed (``bench_core.tinygrad_step``).

It prints µs per step by phase (forward and loss, backward, SGD update) and the ratios. With
``--full`` it runs the benchmark's own 784-256-256-10 step instead (one BLAS thread), where the
arithmetic dominates: the minimal autograd's distance from numpy there is what any design's
bookkeeping must add at the least. Not part of ``make bench``: run it with
``python tests/benchmarks/floor_mlp.py [--full]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# bench_core first: it limits BLAS to one thread before numpy loads (for --full)
sys.path.insert(0, str(Path(__file__).parent))
import bench_core
import numpy as np

import tinygrad_ed as tg
import tinygrad_ed.functional as F

Back = Callable[[np.ndarray], tuple[np.ndarray | None, ...]]


class Minimal:
    """A value, its inputs and the closure that maps its adjoint to theirs."""

    __slots__ = ("back", "data", "grad", "inputs", "needs")

    def __init__(
        self,
        data: Any,
        inputs: tuple[Minimal, ...] = (),
        back: Back | None = None,
        needs: bool = True,
    ):
        self.data, self.inputs, self.back, self.grad = data, inputs, back, None
        self.needs = needs  # False for the input batch: no product computes its gradient

    def __matmul__(self, other: Minimal) -> Minimal:
        x, y = self.data, other.data
        wanted = self.needs
        return Minimal(x @ y, (self, other), lambda g: (g @ y.T if wanted else None, (g.T @ x).T))

    def __add__(self, other: Minimal) -> Minimal:
        return Minimal(self.data + other.data, (self, other), lambda g: (g, g.sum(0)))

    @property
    def T(self) -> Minimal:
        return Minimal(self.data.T, (self,), lambda g: (g.T,))

    def relu(self) -> Minimal:
        out = np.maximum(self.data, 0)
        return Minimal(out, (self,), lambda g: (g * (out > 0),))

    def cross_entropy(self, y: np.ndarray) -> Minimal:
        z = self.data - self.data.max(1, keepdims=True)
        e = np.exp(z)
        total = e.sum(1, keepdims=True)
        rows = np.arange(len(y))
        loss = (np.log(total)[:, 0] - z[rows, y]).mean()

        def back(g: np.ndarray) -> tuple[np.ndarray, ...]:
            p = e / total * (g / len(y))
            p[rows, y] -= g / len(y)
            return (p,)

        return Minimal(np.asarray(loss), (self,), back)

    def backward(self) -> None:
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # iterative post-order
            v, done = stack.pop()
            if done:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((p, False) for p in v.inputs)
        grads = {id(self): np.ones((), self.data.dtype)}
        for v in reversed(order):
            g = grads.pop(id(v), None)
            if g is None:
                continue
            if v.back is None:  # a leaf
                v.grad = g if v.grad is None else v.grad + g
                continue
            for p, gp in zip(v.inputs, v.back(g)):
                if gp is None:
                    continue
                prev = grads.get(id(p))
                grads[id(p)] = gp if prev is None else prev + gp


def tiny_setup() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """bench_core's MLP cut to layers 8 wide, 4 classes, a batch of 4."""
    params, x, y = bench_core.mlp_setup()
    params = [p[:8, :8].copy() if p.ndim == 2 else p[:8].copy() for p in params]
    params[-2], params[-1] = params[-2][:4], params[-1][:4]
    return params, x[:4, :8].copy(), y[:4] % 4


def main(full: bool = False) -> None:
    params, x, y = bench_core.mlp_setup() if full else tiny_setup()
    steps = 1000 if full else 20000
    np_params = [p.copy() for p in params]
    mins = [Minimal(p.copy()) for p in params]
    tgs = [tg.Tensor(p.copy(), requires_grad=True) for p in params]
    mx, tx = Minimal(x, needs=False), tg.Tensor(x)
    clock = time.perf_counter

    def numpy_phases() -> tuple[float, ...]:
        t0 = clock()
        bench_core.numpy_step(np_params, x, y, 0.01)
        return (clock() - t0, 0.0, 0.0)

    def minimal_phases() -> tuple[float, ...]:
        t0 = clock()
        w1, b1, w2, b2, w3, b3 = mins
        h = (mx @ w1.T + b1).relu()
        h = (h @ w2.T + b2).relu()
        loss = (h @ w3.T + b3).cross_entropy(y)
        t1 = clock()
        for p in mins:
            p.grad = None
        loss.backward()
        t2 = clock()
        for p in mins:
            p.data -= 0.01 * p.grad
        float(loss.data)
        return (t1 - t0, t2 - t1, clock() - t2)

    def tinygrad_phases() -> tuple[float, ...]:
        t0 = clock()
        w1, b1, w2, b2, w3, b3 = tgs
        h = (tx @ w1.T + b1).relu()
        h = (h @ w2.T + b2).relu()
        loss = F.cross_entropy(h @ w3.T + b3, y)
        t1 = clock()
        for p in tgs:
            p.grad = None
        loss.backward()
        t2 = clock()
        with tg.no_grad():
            for p in tgs:
                p -= 0.01 * p.grad  # type: ignore[operator]
        float(loss.item())
        return (t1 - t0, t2 - t1, clock() - t2)

    contenders = {"numpy": numpy_phases, "minimal": minimal_phases, "tinygrad_ed": tinygrad_phases}
    times: dict[str, list[tuple[float, ...]]] = {name: [] for name in contenders}
    for _ in range(steps):  # interleaved, so that drifting load hits all three alike
        for name, run in contenders.items():
            times[name].append(run())
    median = {
        name: [statistics.median(col) * 1e6 for col in zip(*rows)] for name, rows in times.items()
    }
    total = {name: statistics.median(sum(r) for r in rows) * 1e6 for name, rows in times.items()}
    what = "784-256-256-10, batch 128" if full else "layers 8 wide (interpreter work only)"
    print(f"MLP step, {what}, median µs per step")
    print(f"   numpy by hand             {total['numpy']:7.1f}")
    for name in ("minimal", "tinygrad_ed"):
        fwd, bwd, sgd = median[name]
        print(
            f"   {name:12} {total[name]:7.1f}   (forward {fwd:.1f}, backward {bwd:.1f}, "
            f"SGD {sgd:.1f})"
        )
    print(
        f"   tinygrad_ed / minimal = {total['tinygrad_ed'] / total['minimal']:.2f}, "
        f"minimal / numpy = {total['minimal'] / total['numpy']:.2f}"
    )


if __name__ == "__main__":
    main(full="--full" in sys.argv[1:])
