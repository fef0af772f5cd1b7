"""Finite differences: the numerical gradient, and checkers that hold backprop to it.

The lecture's numerical gradient perturbs one weight at a time:

    ∂F/∂wᵢ ≈ (F(w + ε eᵢ) − F(w − ε eᵢ)) / 2ε          (error O(ε²) for smooth F)

which costs 2m evaluations of F for m weights, where backprop costs about one. The checkers
compare the two for every (output, input element) pair — the full Jacobian, in float64.

PyTorch equivalent: ``torch.autograd.gradcheck`` / ``gradgradcheck``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .autograd import enable_grad, no_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "jacobians", "numerical_grad"]

Fn = Callable[..., Any]


class GradcheckError(AssertionError):
    """Backprop and finite differences disagree; the message tables the worst elements."""


def _as_float64(x: Any) -> np.ndarray:
    data = x.data if isinstance(x, Tensor) else x
    return np.array(data, dtype=np.float64)  # a copy: the caller's array is never touched


def _differentiable(x: Any) -> bool:
    """Floating arrays, lists and Tensors are checked; the rest (integer class labels, bool
    masks, Python numbers as options) are passed to ``fn`` unchanged, as torch's gradcheck
    skips inputs that need no grad."""
    data = x.data if isinstance(x, Tensor) else x
    if isinstance(data, np.ndarray):
        return data.dtype.kind == "f"
    if isinstance(data, (list, tuple)) and data:
        try:
            return np.asarray(data).dtype.kind == "f"
        except ValueError:  # ragged: not an input we can perturb
            return False
    return False


def numerical_grad(f: Fn, x: Any, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by central differences, one coordinate at a time, in float64.

    ``f`` maps a Tensor shaped like ``x`` to a one-element Tensor (or a number). Returns an array
    shaped like ``x``. ``x`` itself is never modified.
    """
    base = _as_float64(x)
    grad = np.zeros_like(base)
    work = base.copy()
    flat, gflat = work.reshape(-1), grad.reshape(-1)
    with no_grad():
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            hi = _scalar(f(Tensor._make(work.copy())))
            flat[i] = orig - eps
            lo = _scalar(f(Tensor._make(work.copy())))
            flat[i] = orig
            gflat[i] = (hi - lo) / (2 * eps)
    return grad


def _scalar(value: Any) -> float:
    arr = value.data if isinstance(value, Tensor) else np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"numerical_grad(): f must return one element, got shape {arr.shape}")
    return float(arr.reshape(()))


def _outputs(result: Any) -> list[Tensor]:
    return list(result) if isinstance(result, (tuple, list)) else [result]


def jacobians(
    fn: Fn, inputs: Sequence[Any], eps: float = 1e-6
) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]], list[np.ndarray]]:
    """Analytic (backprop) and numerical Jacobians of every output w.r.t. every input.

    Returns ``(analytic, numerical, points)`` where ``analytic[o][i]`` has shape
    ``(outputs[o].size, inputs[i].size)``. Row r of an analytic Jacobian is one backward pass
    seeded with the r-th unit vector — a vector-Jacobian product, exactly what backprop computes.
    """
    points = [_as_float64(x) if _differentiable(x) else x for x in inputs]
    sizes = [p.size if _checked(p) else 0 for p in points]  # 0 columns: passed through
    leaves = _leaves(points)
    with enable_grad():
        outs = _outputs(fn(*leaves))
    analytic: list[list[np.ndarray]] = []
    for out in outs:
        rows = [np.zeros((out.data.size, n)) for n in sizes]
        for r in range(out.data.size):
            for leaf in leaves:
                if isinstance(leaf, Tensor):
                    leaf.grad = None
            if not out.requires_grad:
                continue
            seed = np.zeros(out.shape, dtype=out.dtype)
            seed.reshape(-1)[r] = 1.0
            out.backward(seed, retain_graph=True)
            for i, leaf in enumerate(leaves):
                if sizes[i] and leaf.grad is not None:
                    rows[i][r] = leaf.grad.data.reshape(-1)
        analytic.append(rows)
    numerical = [[np.zeros((out.data.size, n)) for n in sizes] for out in outs]
    for i, n in enumerate(sizes):
        for j in range(n):
            cols = []
            for step in (eps, -eps):
                moved = _perturbed(points, i, j, step)
                cols.append([o.data.astype(np.float64).reshape(-1) for o in _call(fn, moved)])
            for o in range(len(outs)):
                numerical[o][i][:, j] = (cols[0][o] - cols[1][o]) / (2 * eps)
    return analytic, numerical, points


def _checked(p: Any) -> bool:
    """Whether an input point is one the checkers differentiate (a float64 array)."""
    return isinstance(p, np.ndarray) and p.dtype == np.float64


def _leaves(points: Sequence[Any]) -> list[Any]:
    """Fresh leaves for the checked inputs (their own copies); other inputs as they are."""
    return [Tensor._make(p.copy()).requires_grad_(True) if _checked(p) else p for p in points]


def _perturbed(points: list[Any], i: int, j: int, step: float) -> list[Any]:
    """The inputs with element j of input i moved by ``step``."""
    moved = list(points)
    moved[i] = points[i].copy()
    moved[i].reshape(-1)[j] += step
    return moved


def _call(fn: Fn, points: Sequence[Any]) -> list[Tensor]:
    """``fn``'s outputs at ``points``, run in grad mode like the analytic pass."""
    with enable_grad():
        return _outputs(fn(*_leaves(points)))


@dataclass
class _Mismatch:
    output: int
    input: int
    row: int
    col: int
    analytic: float
    numeric: float

    @property
    def abs_err(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_err(self) -> float:
        return self.abs_err / max(abs(self.numeric), 1e-12)


def gradcheck(
    fn: Fn,
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    max_rows: int = 8,
) -> bool:
    """Check backprop's Jacobian of ``fn`` against central differences, in float64.

    ``fn(*tensors)`` returns a Tensor or a tuple of Tensors. Every floating input is copied to
    float64 and checked; other inputs (integer targets, masks, options) are passed unchanged.
    ``fn`` runs in grad mode throughout, so it may use hooks or ``retain_grad``.
    Returns True, or raises ``GradcheckError`` with a table of the worst elements: output,
    input, element index, analytic, numeric, absolute and relative error. An element at a kink
    (the one-sided differences disagree) is reported as such rather than as a bare mismatch.
    """
    analytic, numerical, points = jacobians(fn, inputs, eps)
    bad: list[_Mismatch] = []
    for o, (arows, nrows) in enumerate(zip(analytic, numerical)):
        for i, (a, n) in enumerate(zip(arows, nrows)):
            mask = np.abs(a - n) > atol + rtol * np.abs(n)
            for r, c in zip(*np.nonzero(mask)):
                bad.append(_Mismatch(o, i, int(r), int(c), float(a[r, c]), float(n[r, c])))
    if not bad:
        return True
    bad.sort(key=lambda m: -m.abs_err)
    raise GradcheckError(_report(fn, points, bad, eps, atol, rtol, max_rows))


def _one_sided(fn: Fn, points: list[np.ndarray], m: _Mismatch, eps: float) -> tuple[float, float]:
    """Forward and backward differences of output element ``m.row`` in ``m.input[m.col]``."""
    values = []
    for step in (eps, 0.0, -eps):
        moved = _perturbed(points, m.input, m.col, step)
        values.append(float(_call(fn, moved)[m.output].data.reshape(-1)[m.row]))
    hi, mid, lo = values
    return (hi - mid) / eps, (mid - lo) / eps


def _report(
    fn: Fn,
    points: list[np.ndarray],
    bad: list[_Mismatch],
    eps: float,
    atol: float,
    rtol: float,
    max_rows: int,
) -> str:
    lines = [
        f"gradcheck failed: {len(bad)} Jacobian element(s) differ "
        f"(atol={atol:g}, rtol={rtol:g}, eps={eps:g}); worst first:",
        f"{'output':>6} {'input':>5} {'element':>12} {'analytic':>13} {'numeric':>13} "
        f"{'abs err':>10} {'rel err':>10}  note",
    ]
    for m in bad[:max_rows]:
        index = np.unravel_index(m.col, points[m.input].shape)
        fwd, bwd = _one_sided(fn, points, m, eps)
        kink = abs(fwd - bwd) > atol + rtol * max(abs(fwd), abs(bwd))
        note = f"kink: one-sided differences {fwd:.6g} and {bwd:.6g} disagree" if kink else ""
        lines.append(
            f"{m.output:>6} {m.input:>5} {tuple(int(k) for k in index)!s:>12} "
            f"{m.analytic:>13.6g} {m.numeric:>13.6g} {m.abs_err:>10.3g} {m.rel_err:>10.3g}  {note}"
        )
    if len(bad) > max_rows:
        lines.append(f"... and {len(bad) - max_rows} more")
    return "\n".join(lines)


def gradgradcheck(
    fn: Fn,
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check second derivatives: gradcheck the map x ↦ vᵀ ∂fn/∂x for a fixed random v.

    The inner gradient is taken with ``backward(create_graph=True)``, so this verifies that the
    derivative rules are themselves differentiated correctly (``torch.autograd.gradgradcheck``).
    """
    rng = np.random.default_rng(seed)
    points = [_as_float64(x) if _differentiable(x) else x for x in inputs]
    probe = _call(fn, points)
    vs = [rng.standard_normal(o.shape) for o in probe]

    def first_derivative(*xs: Any) -> tuple[Tensor, ...]:
        leaves = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        outs = _outputs(fn(*xs))
        for leaf in leaves:
            leaf.grad = None
        total = None
        for o, v in zip(outs, vs):
            term = (o * Tensor._make(v)).sum()
            total = term if total is None else total + term
        assert total is not None
        total.backward(create_graph=True)
        grads = tuple(
            leaf.grad if leaf.grad is not None else Tensor._make(np.zeros(leaf.shape))
            for leaf in leaves
        )
        for leaf in leaves:
            leaf.grad = None
        return grads

    return gradcheck(first_derivative, points, eps=eps, atol=atol, rtol=rtol)
