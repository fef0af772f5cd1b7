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

from .autograd import enable_grad, grad, no_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "jacobians", "numerical_grad"]

Fn = Callable[..., Any]


class GradcheckError(AssertionError):
    """Backprop and finite differences disagree; the message tables the worst elements."""


def _as_float64(x: Any) -> np.ndarray:
    data = x.data if isinstance(x, Tensor) else x
    # A row-major copy: the caller's array is never touched, and reshape(-1) is a view of it.
    return np.array(data, dtype=np.float64, order="C")


def _differentiable(x: Any) -> bool:
    """Floating numpy data and lists, and Tensors that require grad, are checked; the rest
    (integer class labels, bool masks, Python numbers as options, Tensors that need no grad such
    as class weights) are passed to ``fn`` unchanged, as torch's gradcheck does."""
    if isinstance(x, Tensor):
        return bool(x.requires_grad)
    if isinstance(x, (np.ndarray, np.floating)):  # numpy data, 0-d scalars included
        return bool(x.dtype.kind == "f")
    if isinstance(x, (list, tuple)) and x:
        try:
            return np.asarray(x).dtype.kind == "f"
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
    outs = list(result) if isinstance(result, (tuple, list)) else [result]
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"gradcheck(): fn must return a Tensor or a tuple or list of Tensors; output {k} "
                f"is a {type(o).__name__}"
            )
    return outs


def _input_list(inputs: Any) -> list[Any]:
    """``inputs`` as a list: one Tensor or array may be given bare, as torch allows."""
    if isinstance(inputs, (Tensor, np.ndarray)):
        return [inputs]
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"gradcheck(): inputs must be a list or tuple of fn's arguments (or one Tensor or "
            f"array), got a {type(inputs).__name__}"
        )
    return list(inputs)


def _check_tolerances(eps: Any, atol: Any, rtol: Any) -> None:
    for name, value in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if type(value) is bool or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"gradcheck(): {name} must be a number, got {value!r}")
        if not np.isfinite(value) or value < 0 or (name == "eps" and value == 0):
            need = "a positive" if name == "eps" else "a non-negative"
            raise ValueError(f"gradcheck(): {name} must be {need} finite number, got {value!r}")


def jacobians(
    fn: Fn, inputs: Sequence[Any], eps: float = 1e-6
) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]], list[np.ndarray]]:
    """Analytic (backprop) and numerical Jacobians of every output w.r.t. every input.

    Returns ``(analytic, numerical, points)`` where ``analytic[o][i]`` has shape
    ``(outputs[o].size, inputs[i].size)``. Row r of an analytic Jacobian is one backward pass
    seeded with the r-th unit vector — a vector-Jacobian product, exactly what backprop computes.
    """
    points = [_as_float64(x) if _differentiable(x) else x for x in _input_list(inputs)]
    sizes = [p.size if _checked(p) else 0 for p in points]  # 0 columns: passed through
    if not any(_checked(p) for p in points):
        raise ValueError(
            "gradcheck(): no input to check: give at least one floating array or list, or a "
            "Tensor that requires grad (integer labels, Python numbers and Tensors that need "
            "no grad are passed to fn unchecked)"
        )
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
        if self.numeric:
            return self.abs_err / abs(self.numeric)
        return float("inf") if self.abs_err > 0 else float("nan")  # nan stays nan


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

    ``fn(*tensors)`` returns a Tensor or a tuple of Tensors. Every floating array or list input,
    and every Tensor input that requires grad, is copied to float64 and checked; other inputs
    (integer targets, masks, Python numbers as options, Tensors that need no grad) are passed
    unchanged, and at least one input must be checked. ``inputs`` may be one bare Tensor or
    array. ``fn`` runs in grad mode throughout, so it may use hooks or ``retain_grad``.
    Returns True, or raises ``GradcheckError`` with a table of the worst elements: output,
    input, element index, analytic, numeric, absolute and relative error. An element is close
    when |analytic − numeric| ≤ atol + rtol·|numeric| (``np.isclose``); nan is never close. An
    element at a kink (the one-sided differences jump, and keep jumping as the step shrinks)
    is reported as such rather than as a bare mismatch.
    """
    _check_tolerances(eps, atol, rtol)
    analytic, numerical, points = jacobians(fn, inputs, eps)
    bad: list[_Mismatch] = []
    for o, (arows, nrows) in enumerate(zip(analytic, numerical)):
        for i, (a, n) in enumerate(zip(arows, nrows)):
            mask = ~np.isclose(a, n, rtol=rtol, atol=atol)  # nan (from either side) fails
            for r, c in zip(*np.nonzero(mask)):
                bad.append(_Mismatch(o, i, int(r), int(c), float(a[r, c]), float(n[r, c])))
    if not bad:
        return True
    bad.sort(key=lambda m: -m.abs_err if m.abs_err == m.abs_err else -np.inf)  # nan first
    raise GradcheckError(_report(fn, points, bad, eps, atol, rtol, max_rows))


def _one_sided(fn: Fn, points: list[np.ndarray], m: _Mismatch, eps: float) -> tuple[float, float]:
    """Forward and backward differences of output element ``m.row`` in ``m.input[m.col]``."""
    values = []
    for step in (eps, 0.0, -eps):
        moved = _perturbed(points, m.input, m.col, step)
        values.append(float(_call(fn, moved)[m.output].data.reshape(-1)[m.row]))
    hi, mid, lo = values
    return (hi - mid) / eps, (mid - lo) / eps


def _kink(
    fn: Fn, points: list[np.ndarray], m: _Mismatch, eps: float, atol: float, rtol: float
) -> str:
    """A note when the element sits on a kink, else "".

    The one-sided differences of a smooth function differ by about f''·ε, which halves with the
    step; at a kink they differ by the jump in the derivative, whatever the step. So a kink is
    a gap beyond the tolerance that does not shrink when the step is halved.
    """
    fwd, bwd = _one_sided(fn, points, m, eps)
    gap = abs(fwd - bwd)
    if not gap > atol + rtol * max(abs(fwd), abs(bwd)):
        return ""
    half_fwd, half_bwd = _one_sided(fn, points, m, eps / 2)
    if not abs(half_fwd - half_bwd) > 0.75 * gap:
        return ""
    return f"kink: one-sided differences {fwd:.6g} and {bwd:.6g} disagree"


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
        note = _kink(fn, points, m, eps, atol, rtol)
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
    """Check second derivatives: gradcheck the map (x, v) ↦ vᵀ ∂fn/∂x for a random v.

    The inner gradient is taken with ``create_graph=True``, so this verifies that the
    derivative rules are themselves differentiated correctly, with respect to the inputs and,
    as ``torch.autograd.gradgradcheck`` does, to the incoming adjoint v (a rule that detached
    its g would pass a check in x alone). In a failure report, output k is the gradient with
    respect to input k, and the inputs after fn's own are the vectors v, one per output.
    """
    rng = np.random.default_rng(seed)
    points = [_as_float64(x) if _differentiable(x) else x for x in _input_list(inputs)]
    vs = [rng.standard_normal(o.shape) for o in _call(fn, points)]

    def first_derivative(*args: Any) -> tuple[Tensor, ...]:
        xs, adjoints = args[: len(points)], args[len(points) :]
        leaves = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        outs = _outputs(fn(*xs))
        total: Tensor | None = None
        for o, v in zip(outs, adjoints):
            term = (o * v).sum()
            total = term if total is None else total + term
        if total is None or not total.requires_grad:  # no output depends on a checked input
            return tuple(Tensor._make(np.zeros(leaf.shape)) for leaf in leaves)
        return grad(total, leaves, create_graph=True, materialize_grads=True)

    try:
        return gradcheck(first_derivative, [*points, *vs], eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as e:
        raise GradcheckError(
            str(e).replace("gradcheck failed", "gradgradcheck failed", 1)
            + f"\n(output k is ∂/∂(input k) of Σ v·fn; inputs {len(points)} on are the v's)"
        ) from None
