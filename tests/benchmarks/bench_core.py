"""Core benchmarks: training-step overhead vs hand-written numpy, per-op cost, backward scaling.

Run with ``make bench``. Everything is measured side by side in one process, and ratios are
printed: the machine is shared, so absolute times drift while ratios hold. Times are the best of
several repeats (the least disturbed run); the MLP step ratio is the median of paired rounds.

1. MLP 784-256-256-10, batch 128, float32: one SGD step (forward, cross-entropy, backward,
   update) with raw Tensor ops, divided by the same step written by hand in numpy; also the
   step with F.linear, the single op nn.Linear records per layer.
2. Per-op overhead: chains of 1000 elementwise ops on (1,) and (16, 16) tensors, forward +
   backward, in µs per op, beside PyTorch CPU when it is installed.
3. Backward through chains of 1e3, 1e4, 1e5 ops: µs per node should stay flat (linear time);
   and through the rows of one tensor (unbind, then stack), 1e3 and 1e4 rows: µs per row flat.
4. Memory of the MLP step: the peak of the arrays alive during one step, and what a step leaves
   behind, against the numpy step (numpy reports its arrays to ``tracemalloc``).
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

# One BLAS thread for every contender, set before numpy loads: on this shared 2-core machine,
# threaded BLAS makes the ratios swing between runs. BENCH_THREADS=N overrides.
THREADS = os.environ.get("BENCH_THREADS", "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS

import numpy as np  # noqa: E402

import tinygrad_ed as tg  # noqa: E402
import tinygrad_ed.functional as F  # noqa: E402


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
    return backward_and_sgd(F.cross_entropy(h @ w3.T + b3, y), params, lr)


def tinygrad_linear_step(params: list[tg.Tensor], x: tg.Tensor, y: np.ndarray, lr: float) -> float:
    """The same step with ``F.linear``, the one op ``nn.Linear`` records per layer."""
    w1, b1, w2, b2, w3, b3 = params
    h = F.linear(x, w1, b1).relu()
    h = F.linear(h, w2, b2).relu()
    return backward_and_sgd(F.cross_entropy(F.linear(h, w3, b3), y), params, lr)


def backward_and_sgd(loss: tg.Tensor, params: list[tg.Tensor], lr: float) -> float:
    """Backward, then the SGD update written with raw Tensor ops."""
    for p in params:
        p.grad = None
    loss.backward()
    with tg.no_grad():
        for p in params:
            p -= lr * p.grad  # type: ignore[operator]
    return float(loss.item())


def torch_step(params: list[Any], x: Any, y: Any, lr: float) -> float:
    """The same step in PyTorch (CPU), when it is installed: the reference the targets cite."""
    import torch

    w1, b1, w2, b2, w3, b3 = params
    h = torch.relu(x @ w1.T + b1)
    h = torch.relu(h @ w2.T + b2)
    loss = torch.nn.functional.cross_entropy(h @ w3.T + b3, y)
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    return float(loss.item())


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(int(THREADS))
    return torch


def bench_mlp(rounds: int, steps: int = 5) -> float:
    """Paired rounds: in each, every contender runs ``steps`` steps back to back (best kept),
    one after the other, in an order that rotates between rounds. The ratio of a round is
    taken between times measured seconds apart, so load that drifts between rounds cancels;
    the median over rounds resists the rounds a load spike hit."""
    params, x, y = mlp_setup()
    np_params = [p.copy() for p in params]
    tg_params = [tg.Tensor(p, requires_grad=True) for p in params]
    lin_params = [tg.Tensor(p, requires_grad=True) for p in params]
    tx = tg.Tensor(x)
    # Same numbers first: the comparison is only fair if all compute the same step.
    a = numpy_step(np_params, x, y, 0.01)
    for step, ps in ((tinygrad_step, tg_params), (tinygrad_linear_step, lin_params)):
        assert abs(a - step(ps, tx, y, 0.01)) < 1e-4
        assert all(np.allclose(p, q.data, atol=1e-5) for p, q in zip(np_params, ps))
    contenders: dict[str, Callable[[], object]] = {
        "numpy": lambda: numpy_step(np_params, x, y, 0.01),
        "tinygrad_ed": lambda: tinygrad_step(tg_params, tx, y, 0.01),
        "tinygrad_ed F.linear": lambda: tinygrad_linear_step(lin_params, tx, y, 0.01),
    }
    torch = _torch()
    if torch is not None:
        th_params = [torch.tensor(p, requires_grad=True) for p in params]
        th_x, th_y = torch.tensor(x), torch.tensor(y)
        contenders["PyTorch"] = lambda: torch_step(th_params, th_x, th_y, 0.01)
    names = list(contenders)
    # A warm-up round, not counted: the first steps of a process run slower (numpy's first
    # round measured 1.8 times its later ones), which made the first round's ratio an outlier.
    for name in names:
        best_of(contenders[name], steps)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            contenders[name]()  # one step to settle the allocator after the switch
            times[name].append(best_of(contenders[name], steps))
    ratios = {
        name: sorted(t / n for t, n in zip(times[name], times["numpy"])) for name in names[1:]
    }
    print(f"1. MLP 784-256-256-10, batch 128, float32, one SGD step ({THREADS} BLAS thread(s))")
    print(f"   {rounds} paired rounds, best of {steps} steps each; ratio = median over rounds")
    print("   fastest step: " + ", ".join(f"{n} {min(times[n]) * 1e3:.2f} ms" for n in names))
    for name, rs in ratios.items():
        print(
            f"   ratio {name + ' / numpy':32} = {statistics.median(rs):.3f}  "
            f"(rounds {rs[0]:.3f}-{rs[-1]:.3f})"
        )
    print("   target: tinygrad_ed / numpy <= 1.10, the step spelled x @ w.T + b as above;")
    print("   the F.linear line is the same step as nn.Linear records it (one op per layer)")
    return statistics.median(ratios["tinygrad_ed"])


# ----------------------------------------------------------------------------- 2. per-op overhead


def time_chain(x: Any, n: int) -> tuple[float, float]:
    """Forward and backward seconds of n ops from leaf x: the same code for both libraries."""
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


def chain(shape: tuple[int, ...], n: int) -> tuple[float, float]:
    """Forward and backward seconds of n elementwise ops (a mul, add, tanh, mul cycle)."""
    x = tg.Tensor(np.random.default_rng(0).random(shape, dtype=np.float32), requires_grad=True)
    return time_chain(x, n)


def torch_chain(shape: tuple[int, ...], n: int) -> tuple[float, float]:
    """The same chain in PyTorch (CPU)."""
    import torch

    return time_chain(torch.rand(shape, requires_grad=True), n)


def bench_per_op(repeats: int) -> None:
    print("2. per-op overhead, chain of 1000 elementwise ops (mul, add, tanh, mul), fwd + bwd")
    torch = _torch()
    for shape in ((1,), (16, 16)):
        ours, theirs = [], []
        for _ in range(repeats):  # interleaved
            ours.append(chain(shape, 1000))
            if torch is not None:
                theirs.append(torch_chain(shape, 1000))
        fwd, bwd = min(ours, key=sum)
        total = (fwd + bwd) / 1000 * 1e6
        line = (
            f"   shape {shape!s:8} tinygrad_ed forward {fwd / 1000 * 1e6:5.2f} + backward "
            f"{bwd / 1000 * 1e6:5.2f} = {total:5.2f} µs/op"
        )
        if theirs:
            th = sum(min(theirs, key=sum)) / 1000 * 1e6
            line += f"   PyTorch {th:5.2f} µs/op   ratio tinygrad_ed / PyTorch = {total / th:.2f}"
        print(line)
    print("   target: below PyTorch CPU's µs/op (ratio < 1)")


# ----------------------------------------------------------------------------- 3. scaling


def _rows_backward(n: int) -> float:
    """Seconds of the backward pass through n rows of a tensor, unbound and stacked again."""
    x = tg.Tensor(np.random.default_rng(0).standard_normal((n, 8)), requires_grad=True)
    y = tg.stack([r * 2.0 for r in x.unbind(0)]).sum()
    t0 = time.perf_counter()
    y.backward()
    return time.perf_counter() - t0


def bench_scaling() -> None:
    print("3. backward through chains: µs per node should stay flat")
    per_node = []
    for n in (1_000, 10_000, 100_000):
        _, bwd = min((chain((1,), n) for _ in range(3)), key=lambda r: r[1])
        per_node.append(bwd / n * 1e6)
        print(f"   {n:>7} ops: backward {bwd * 1e3:8.1f} ms = {per_node[-1]:5.2f} µs/node")
    print(f"   ratio µs/node at 1e5 vs 1e3 = {per_node[-1] / per_node[0]:.2f}  (1.0 = linear)")
    print("   rows of one tensor: x.unbind(0), each row scaled, stacked again; backward")
    per_row = []
    for n in (1_000, 10_000):
        seconds = min(_rows_backward(n) for _ in range(3))
        per_row.append(seconds / n * 1e6)
        print(f"   {n:>7} rows: backward {seconds * 1e3:6.1f} ms = {per_row[-1]:5.2f} µs/row")
    print(f"   ratio µs/row at 1e4 vs 1e3 = {per_row[-1] / per_row[0]:.2f}  (1.0 = linear)")


# ----------------------------------------------------------------------------- 4. memory


def traced_step(step: Callable[[], object], reset: Callable[[], object]) -> tuple[int, int]:
    """Bytes traced at the peak of one call of ``step`` above what was alive before it, and
    bytes still alive after it (what the step retained): the arrays, numpy's and ours.
    ``reset`` runs before (dropping the last step's .grad arrays, so both start from the
    parameters alone)."""
    step()  # settle caches (numpy's small-array cache, our scalar constants)
    reset()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before, after - before


def bench_memory() -> None:
    params, x, y = mlp_setup()
    np_params = [p.copy() for p in params]
    tg_params = [tg.Tensor(p, requires_grad=True) for p in params]
    tx = tg.Tensor(x)

    def drop_grads() -> None:
        for p in tg_params:
            p.grad = None

    np_peak, np_kept = traced_step(lambda: numpy_step(np_params, x, y, 0.01), lambda: None)
    tg_peak, tg_kept = traced_step(lambda: tinygrad_step(tg_params, tx, y, 0.01), drop_grads)
    mb = 1 / 2**20
    print("4. memory of one MLP step (arrays traced by tracemalloc, above what was alive before)")
    print(
        f"   peak: numpy {np_peak * mb:.2f} MiB, tinygrad_ed {tg_peak * mb:.2f} MiB, "
        f"ratio {tg_peak / np_peak:.2f}"
    )
    print(
        f"   left alive after the step: numpy {np_kept / 1024:.1f} KiB, "
        f"tinygrad_ed {tg_kept / 1024:.1f} KiB (its .grad arrays: "
        f"{sum(p.nbytes for p in params) / 1024:.1f} KiB, kept as torch keeps them)"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    bench_mlp(rounds=3 if quick else 21)
    bench_per_op(repeats=3 if quick else 7)
    bench_scaling()
    bench_memory()


if __name__ == "__main__":
    main()
