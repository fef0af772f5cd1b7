"""Finite differences: the numerical gradient, and checkers that hold backprop to it.

The lecture's numerical gradient perturbs one weight at a time:

    ∂F/∂wᵢ ≈ (F(w + ε eᵢ) − F(w − ε eᵢ)) / 2ε          (error O(ε²) for smooth F)

which costs 2m evaluations of F for m weights, where backprop costs about one. The checkers
compare the two for every (output, input element) pair — the full Jacobian, in float64.

PyTorch equivalent: ``torch.autograd.gradcheck`` / ``gradgradcheck``, with their keyword
arguments (those that ask for vmap, forward over reverse or sparse tensors, which this library
does not have, are refused rather than ignored); ``check_forward_ad`` runs ``forward_ad``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _forward_ad as forward_ad
from .autograd import enable_grad, grad, no_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "jacobians", "numerical_grad"]

Fn = Callable[..., Any]
# [output][input] → an (output size, input size) block; no columns for an unchecked input
Jacobians = list[list[np.ndarray]]
Seed = Callable[[int, int], str]  # (output, row) → a name for the adjoint that row came from


class GradcheckError(AssertionError):
    """Backprop and finite differences disagree; the message tables the worst elements."""


def _as_float64(x: Any) -> np.ndarray:
    data = x.data if isinstance(x, Tensor) else x
    # A row-major copy: the caller's array is never touched, and reshape(-1) is a view of it.
    return np.array(data, dtype=np.float64, order="C")


def numerical_grad(f: Fn, x: Any, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by central differences, one coordinate at a time, in float64.

    ``f`` maps a Tensor shaped like ``x`` to a one-element Tensor (or a number). Returns an array
    shaped like ``x``. ``x`` itself is never modified.
    """
    _check_numbers("numerical_grad", eps=eps)
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


# ----------------------------------------------------------------------------- inputs and outputs


def _input_list(inputs: Any, what: str = "inputs of fn") -> list[Any]:
    """``inputs`` as a list: one Tensor or array may be given bare, as torch allows."""
    if isinstance(inputs, (Tensor, np.ndarray)):
        return [inputs]
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"gradcheck(): the {what} must be a list or tuple (or one Tensor or array), got a "
            f"{type(inputs).__name__}"
        )
    return list(inputs)


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


def _points(inputs: Any) -> list[Any]:
    """The checked inputs as float64 copies; the others as they are."""
    points = [_as_float64(x) if _differentiable(x) else x for x in _input_list(inputs)]
    if not any(_checked(p) for p in points):
        raise ValueError(
            "gradcheck(): no input to check: give at least one floating array or list, or a "
            "Tensor that requires grad (integer labels, Python numbers and Tensors that need "
            "no grad are passed to fn unchecked)"
        )
    return points


def _checked(p: Any) -> bool:
    """Whether an input point is one the checkers differentiate (a float64 array)."""
    return isinstance(p, np.ndarray) and p.dtype == np.float64


def _leaves(points: Sequence[Any]) -> list[Any]:
    """Fresh leaves for the checked inputs (their own copies); other inputs as they are.

    The caller's tensors are never used: their ``.grad`` stays as it was and their hooks do
    not run (a hook belongs to the caller's tensor, not to ``fn``)."""
    return [Tensor._make(p.copy()).requires_grad_(True) if _checked(p) else p for p in points]


def _is_leaf(x: Any) -> bool:
    """A leaf made by ``_leaves`` (a checked input), as opposed to one passed through."""
    return isinstance(x, Tensor) and x.requires_grad


def _call(fn: Fn, points: Sequence[Any]) -> list[Tensor]:
    """``fn``'s outputs at ``points``, run in grad mode like the analytic pass."""
    with enable_grad():
        return _outputs(fn(*_leaves(points)))


def _outputs(result: Any) -> list[Tensor]:
    outs = list(result) if isinstance(result, (tuple, list)) else [result]
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(
                f"gradcheck(): fn must return a Tensor or a tuple or list of Tensors; output {k} "
                f"is a {type(o).__name__}"
            )
    return outs


def _floating(out: Tensor) -> bool:
    """Whether an output has a derivative to check: integer and bool outputs (argmax, masks)
    are piecewise constant and carry no gradient, so they are skipped, as torch skips them."""
    return bool(out.data.dtype.kind == "f")


def _check_numbers(op: str, **values: Any) -> None:
    """eps must be positive; atol, rtol and nondet_tol non-negative; all finite numbers."""
    for name, value in values.items():
        if type(value) is bool or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{op}(): {name} must be a number, got {value!r}")
        if not np.isfinite(value) or value < 0 or (name == "eps" and value == 0):
            need = "a positive" if name == "eps" else "a non-negative"
            raise ValueError(f"{op}(): {name} must be {need} finite number, got {value!r}")


def _refuse(op: str, **options: tuple[Any, Any, str]) -> None:
    """torch options whose asked-for check this library cannot run: ``name=(value, the value
    that asks for nothing, why)``. Ignoring one would report a check that never ran."""
    for name, (value, fine, why) in options.items():
        if value != fine:
            raise NotImplementedError(f"{op}(): {name}={value!r} is not supported: {why}")


# ----------------------------------------------------------------------------- the two Jacobians


def _vjp(out: Tensor, leaves: Sequence[Any], seed: np.ndarray) -> list[np.ndarray]:
    """seedᵀ·∂out/∂input for every input, flattened: one backward pass, by ``grad()`` so that
    no ``.grad`` anywhere (a parameter ``fn`` closes over) accumulates. Zeros for an input
    ``out`` does not reach, no entries for an unchecked one."""
    rows = [np.zeros(leaf.data.size if _is_leaf(leaf) else 0) for leaf in leaves]
    if not out.requires_grad:
        return rows
    wanted = [i for i, leaf in enumerate(leaves) if _is_leaf(leaf)]
    grads = grad(
        out,
        [leaves[i] for i in wanted],
        Tensor._make(seed.astype(out.data.dtype).reshape(out.shape)),
        retain_graph=True,
        allow_unused=True,
    )
    for i, g in zip(wanted, grads):
        if g is not None:
            rows[i] = g.data.reshape(-1).astype(np.float64)
    return rows


def _analytic(outs: Sequence[Tensor], leaves: Sequence[Any]) -> Jacobians:
    """Row r of ∂out/∂input is one backward pass seeded with the r-th unit vector — a
    vector-Jacobian product, exactly what backprop computes."""
    sizes = [leaf.data.size if _is_leaf(leaf) else 0 for leaf in leaves]
    analytic = []
    for out in outs:
        blocks = [np.zeros((out.data.size, n)) for n in sizes]
        for r in range(out.data.size if out.requires_grad else 0):  # no graph: zeros
            seed = np.zeros(out.data.size)
            seed[r] = 1.0
            for block, row in zip(blocks, _vjp(out, leaves, seed)):
                block[r] = row
        analytic.append(blocks)
    return analytic


def _numerical(fn: Fn, points: list[Any], outs: Sequence[Tensor], eps: float) -> Jacobians:
    """Column j of ∂out/∂input is the central difference in element j of the input."""
    sizes = [p.size if _checked(p) else 0 for p in points]
    numerical = [[np.zeros((out.data.size, n)) for n in sizes] for out in outs]
    for i, n in enumerate(sizes):
        for j in range(n):
            hi = _values(fn, _perturbed(points, i, j, eps), outs, i, j)
            lo = _values(fn, _perturbed(points, i, j, -eps), outs, i, j)
            for o in range(len(outs)):
                numerical[o][i][:, j] = (hi[o] - lo[o]) / (2 * eps)
    return numerical


def jacobians(
    fn: Fn, inputs: Sequence[Any], eps: float = 1e-6
) -> tuple[Jacobians, Jacobians, list[Any]]:
    """Analytic (backprop) and numerical Jacobians of every output w.r.t. every input.

    Returns ``(analytic, numerical, points)`` where ``analytic[o][i]`` has shape
    ``(outputs[o].size, inputs[i].size)`` (no columns for an input that is not checked).
    """
    points = _points(inputs)
    leaves = _leaves(points)
    with enable_grad():
        outs = _outputs(fn(*leaves))
    return _analytic(outs, leaves), _numerical(fn, points, outs, eps), points


def _perturbed(points: list[Any], i: int, j: int, step: float) -> list[Any]:
    """The inputs with element j of input i moved by ``step``."""
    moved = list(points)
    moved[i] = points[i].copy()
    moved[i].reshape(-1)[j] += step
    return moved


def _shifted(points: list[Any], i: int, delta: np.ndarray) -> list[Any]:
    """The inputs with input i moved by ``delta`` (flat)."""
    moved = list(points)
    moved[i] = points[i].copy()
    moved[i] += delta.reshape(points[i].shape)  # in place: a 0-d array stays an array
    return moved


def _values(
    fn: Fn, points: list[Any], outs: Sequence[Tensor], i: int, j: int | None
) -> list[np.ndarray]:
    """``fn``'s outputs at moved ``points``, flat float64; they must keep their shapes (a
    difference of arrays that do not match would broadcast into nonsense)."""
    moved = _call(fn, points)
    if [o.shape for o in moved] != [o.shape for o in outs]:
        where = "along a random direction" if j is None else f"at element {_index(points, i, j)}"
        raise ValueError(
            f"gradcheck(): fn's outputs changed shape when input {i} moved {where}: "
            f"{[o.shape for o in moved]} instead of {[o.shape for o in outs]} (the outputs "
            "must be a differentiable function of the inputs)"
        )
    return [o.data.astype(np.float64).reshape(-1) for o in moved]


def _index(points: Sequence[Any], i: int, j: int) -> tuple[int, ...]:
    """Element j (row-major) of input i as an index tuple; () for a 0-d input."""
    return tuple(int(k) for k in np.unravel_index(j, points[i].shape))


# ----------------------------------------------------------------------------- gradcheck


def gradcheck(
    fn: Fn,
    inputs: Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
    max_rows: int = 8,
) -> bool:
    """Check backprop's Jacobian of ``fn`` against central differences, in float64.

    ``fn(*tensors)`` returns a Tensor or a tuple of Tensors. Every floating array or list input,
    and every Tensor input that requires grad, is copied to float64 and checked; other inputs
    (integer targets, masks, Python numbers as options, Tensors that need no grad) are passed
    unchanged, and at least one input must be checked. ``inputs`` may be one bare Tensor or
    array. ``fn`` runs in grad mode throughout, so it may use hooks or ``retain_grad``; it runs
    on fresh leaves, so the caller's tensors, their ``.grad`` and their hooks are left alone, and
    no ``.grad`` accumulates (backprop runs through ``grad()``, as torch's does).

    Three checks, as torch's (``torch.autograd.gradcheck``):

    * the Jacobian: element (r, c) is close when |analytic − numeric| ≤ atol + rtol·|numeric|
      (``np.isclose``, torch's ``allclose``); nan is never close. Integer and bool outputs have
      no derivative and are skipped; a floating output without a graph (``detach()``) must have
      a zero numerical Jacobian, whether or not other outputs have one.
    * reentrancy: each backward pass runs twice and must agree within ``nondet_tol``.
    * a zero adjoint on every output gives zero gradients: backprop is linear in its adjoint,
      and a rule that forgets to multiply by it (x̄ = cos x for sin) passes the Jacobian check of
      a one-element output, where the adjoint is 1. (Our engine has no undefined gradients —
      an unused output's adjoint is zero — so this is also ``check_undefined_grad``'s check.)

    ``fast_mode=True`` compares vᵀJu for random unit vectors u ≥ 0, v ≥ 0 instead of J, with
    atol scaled by Σu·Σv (one directional difference per input instead of one per element); on
    a failure the full check runs for the report. ``raise_exception=False`` returns False
    instead of raising ``GradcheckError``. ``check_grad_dtypes`` is accepted: gradients always
    take their input's dtype here. ``check_forward_ad=True`` checks the forward-mode Jacobian
    too (column j: the tangent of the outputs for the j-th unit tangent, in a
    ``forward_ad.dual_level``), and ``check_backward_ad=False`` skips the checks above, for a
    custom Function with a ``jvp`` and no ``backward``, as torch's. vmap and sparse tensors do
    not exist here, so ``check_batched_grad``, ``check_batched_forward_grad`` and ``masked``
    must stay off.

    A failure raises ``GradcheckError`` with a table of the worst elements of the Jacobian, each
    ∂ output[element] / ∂ input[element]: analytic, numeric, absolute and relative error, and a
    note. An element on a kink (the one-sided differences jump, and keep jumping as the step
    shrinks), or within ε of one (the central difference straddles it), is reported as such
    rather than as a bare mismatch; so is an output without a graph, or in float32.
    """
    _check_numbers("gradcheck", eps=eps, atol=atol, rtol=rtol, nondet_tol=nondet_tol)
    _refuse(
        "gradcheck",
        check_batched_grad=(check_batched_grad, False, "batched gradients need vmap"),
        check_batched_forward_grad=(
            check_batched_forward_grad,
            False,
            "batched tangents need vmap",
        ),
        masked=(bool(masked), False, "tinygrad_ed has no sparse tensors"),
    )
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError(
            "Expected at least one of check_forward_ad or check_backward_ad to be True"
        )
    try:
        if check_backward_ad:
            _gradcheck(fn, inputs, eps, atol, rtol, nondet_tol, bool(fast_mode), max_rows)
        if check_forward_ad:
            _forward_check(fn, inputs, eps, atol, rtol, max_rows)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _forward_check(
    fn: Fn, inputs: Sequence[Any], eps: float, atol: float, rtol: float, max_rows: int
) -> None:
    """gradcheck's Jacobian check with forward mode: column j of ∂out/∂input is the outputs'
    tangent when input i carries the j-th unit tangent and the others none."""
    points = _points(inputs)
    outs = _call(fn, points)
    sizes = [p.size if _checked(p) else 0 for p in points]
    forward = [[np.zeros((out.data.size, n)) for n in sizes] for out in outs]
    for i, n in enumerate(sizes):
        for j in range(n):
            unit = np.zeros(n)
            unit[j] = 1.0
            with forward_ad.dual_level():
                args = _leaves(points)
                tangent = Tensor._make(unit.reshape(points[i].shape))
                args[i] = forward_ad.make_dual(args[i], tangent)
                for o, out in enumerate(_outputs(fn(*args))):
                    t = forward_ad.unpack_dual(out).tangent
                    if t is not None and _floating(out):
                        forward[o][i][:, j] = t.data.astype(np.float64).reshape(-1)
    numerical = _numerical(fn, points, outs, eps)
    bad = _mismatches(outs, forward, numerical, atol, rtol)
    if bad:
        report = _report(fn, points, outs, bad, eps, atol, rtol, max_rows)
        raise GradcheckError(report.replace("analytic", "forward AD", 1))


def _gradcheck(
    fn: Fn,
    inputs: Sequence[Any],
    eps: float,
    atol: float,
    rtol: float,
    nondet_tol: float,
    fast_mode: bool,
    max_rows: int,
) -> None:
    points = _points(inputs)
    leaves = _leaves(points)
    with enable_grad():
        outs = _outputs(fn(*leaves))
    if fast_mode:
        _fast_check(fn, points, leaves, outs, eps, atol, rtol, nondet_tol, max_rows)
    else:
        analytic = _analytic(outs, leaves)

        def unit(o: int, r: int) -> str:
            return f"1 at output {o}, element {_index([outs[o].data], 0, r)}"

        _check_reentrant(analytic, _analytic(outs, leaves), nondet_tol, points, unit)
        numerical = _numerical(fn, points, outs, eps)
        bad = _mismatches(outs, analytic, numerical, atol, rtol)
        if bad:
            raise GradcheckError(_report(fn, points, outs, bad, eps, atol, rtol, max_rows))
    _check_zero_adjoint(outs, leaves, points)


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


def _mismatches(
    outs: Sequence[Tensor], analytic: Jacobians, numerical: Jacobians, atol: float, rtol: float
) -> list[_Mismatch]:
    """The elements that are not close, worst (nan, then the largest error) first."""
    bad: list[_Mismatch] = []
    for o, (arows, nrows) in enumerate(zip(analytic, numerical)):
        if not _floating(outs[o]):
            continue
        for i, (a, n) in enumerate(zip(arows, nrows)):
            mask = ~np.isclose(a, n, rtol=rtol, atol=atol)  # nan (from either side) fails
            for r, c in zip(*np.nonzero(mask)):
                bad.append(_Mismatch(o, i, int(r), int(c), float(a[r, c]), float(n[r, c])))
    bad.sort(key=lambda m: -m.abs_err if m.abs_err == m.abs_err else -np.inf)  # nan first
    return bad


def _check_reentrant(
    first: Jacobians, second: Jacobians, nondet_tol: float, points: list[Any], seed: Seed
) -> None:
    """Two backward passes with the same seed must agree within ``nondet_tol`` (exactly, by
    default): a gradient that changes from call to call is not one backprop can be trusted for,
    even where it happens to land within the tolerance of the numerical one. ``seed(o, r)``
    names the adjoint of row r of output o's block."""
    for o, (rows1, rows2) in enumerate(zip(first, second)):
        for i, (a, b) in enumerate(zip(rows1, rows2)):
            with np.errstate(invalid="ignore"):
                differ = np.abs(a - b) > nondet_tol  # nan on both sides is not a difference
            if differ.any():
                r, c = (int(k) for k in np.argwhere(differ)[0])
                raise GradcheckError(
                    "gradcheck failed: backward is not reentrant: two backward passes seeded "
                    f"with {seed(o, r)} gave {float(a[r, c])!r} and {float(b[r, c])!r} for "
                    f"input {i}, element {_index(points, i, c)} (nondet_tol={nondet_tol:g})"
                )


def _check_zero_adjoint(outs: Sequence[Tensor], leaves: Sequence[Any], points: list[Any]) -> None:
    """Backprop with a zero adjoint on every output must give exactly zero gradients (torch's
    "backward not multiplied by grad_output")."""
    diff = [o for o in outs if o.requires_grad]
    wanted = [i for i, leaf in enumerate(leaves) if _is_leaf(leaf)]
    if not diff:
        return
    zeros = [Tensor._make(np.zeros_like(o.data)) for o in diff]
    grads = grad(diff, [leaves[i] for i in wanted], zeros, retain_graph=True, allow_unused=True)
    for i, g in zip(wanted, grads):
        if g is not None and np.any(g.data != 0):
            c = int(np.flatnonzero(g.data != 0)[0])
            value = g.data.reshape(-1)[c]
            why = "0·∞: g times an infinite factor" if np.isnan(value) else "a rule ignores its g"
            raise GradcheckError(
                "gradcheck failed: backward not multiplied by grad_output: with a zero adjoint "
                f"on every output, the gradient of input {i} is {value:.6g} at element "
                f"{_index(points, i, c)}, not 0 ({why})"
            )


# ----------------------------------------------------------------------------- fast mode


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random unit vector with entries ≥ 0 (torch's fast mode draws them so)."""
    u = rng.random(n)
    return u / np.linalg.norm(u) if n else u


def _fast_check(
    fn: Fn,
    points: list[Any],
    leaves: list[Any],
    outs: list[Tensor],
    eps: float,
    atol: float,
    rtol: float,
    nondet_tol: float,
    max_rows: int,
) -> None:
    """torch's fast mode: for each (output o, input i), vₒᵀ Jₒᵢ uᵢ by backprop (one vector-
    Jacobian product per output, dotted with u) against vₒᵀ of one central difference along uᵢ,
    (f(x + εu) − f(x − εu)) / 2ε. Summing the elementwise test over J's entries weighted by
    uᵢ vₒ ≥ 0 gives the tolerance atol·Σu·Σv + rtol·|numeric|."""
    rng = np.random.default_rng(0)  # fixed, so that a verdict is reproducible
    us = [_unit(rng, p.size) if _checked(p) and p.size else None for p in points]
    vs = [_unit(rng, out.data.size) for out in outs]
    numeric = np.zeros((len(outs), len(points)))
    for i, u in enumerate(us):
        if u is None:
            continue
        hi = _values(fn, _shifted(points, i, eps * u), outs, i, None)
        lo = _values(fn, _shifted(points, i, -eps * u), outs, i, None)
        for o, v in enumerate(vs):
            if v.size:  # (an empty output's infinities would give nan − nan)
                numeric[o, i] = v @ ((hi[o] - lo[o]) / (2 * eps))

    def vjps() -> Jacobians:  # vₒᵀJₒᵢ as one-row blocks; none for an integer output
        return [
            [r[None] for r in _vjp(out, leaves, v)] if _floating(out) else []
            for out, v in zip(outs, vs)
        ]

    analytic = vjps()
    _check_reentrant(analytic, vjps(), nondet_tol, points, lambda o, r: f"output {o}'s random v")
    for o, rows in enumerate(analytic):
        for i, (u, row) in enumerate(zip(us, rows)):
            if u is None:
                continue
            a, n, v = float(row[0] @ u), float(numeric[o, i]), vs[o]
            if not np.isclose(a, n, rtol=rtol, atol=atol * u.sum() * v.sum()):
                _fast_failure(fn, points, leaves, outs, (o, i, a, n), eps, atol, rtol, max_rows)


def _fast_failure(
    fn: Fn,
    points: list[Any],
    leaves: list[Any],
    outs: list[Tensor],
    which: tuple[int, int, float, float],
    eps: float,
    atol: float,
    rtol: float,
    max_rows: int,
) -> None:
    """Raise for a failed fast check, with the full check's table when it finds the elements
    (torch reruns its slow mode for the message too)."""
    o, i, a, n = which
    head = (
        f"gradcheck failed (fast mode): vᵀJu of output {o} with respect to input {i} is "
        f"{a:.6g} by backprop and {n:.6g} by finite differences (u, v random unit vectors)"
    )
    numerical = _numerical(fn, points, outs, eps)
    bad = _mismatches(outs, _analytic(outs, leaves), numerical, atol, rtol)
    if not bad:
        raise GradcheckError(
            f"{head}; but the full Jacobian agrees element by element within atol={atol:g}, "
            f"rtol={rtol:g}, so the check passes with fast_mode=False"
        )
    table = _report(fn, points, outs, bad, eps, atol, rtol, max_rows)
    raise GradcheckError(f"{head}. The full Jacobian:\n{table}")


# ----------------------------------------------------------------------------- the report


def _report(
    fn: Fn,
    points: list[np.ndarray],
    outs: Sequence[Tensor],
    bad: list[_Mismatch],
    eps: float,
    atol: float,
    rtol: float,
    max_rows: int,
) -> str:
    lines = [
        f"gradcheck failed: {len(bad)} Jacobian element(s) differ "
        f"(atol={atol:g}, rtol={rtol:g}, eps={eps:g}); worst first:",
        f"{'output':>6} {'element':<10} {'input':>5} {'element':<12} {'analytic':>13} "
        f"{'numeric':>13} {'abs err':>10} {'rel err':>10}  note",
    ]
    for m in bad[:max_rows]:  # element (row, col) of the Jacobian: ∂ output[row] / ∂ input[col]
        at = tuple(int(k) for k in np.unravel_index(m.row, outs[m.output].shape))
        index = _index(points, m.input, m.col)
        out = outs[m.output]
        if not out.requires_grad:
            note = "output has no graph (requires_grad=False: detached?)"
        elif out.data.dtype != np.float64:  # its rounding, not a kink, moves the differences
            noise = np.finfo(out.data.dtype).eps * float(np.max(np.abs(out.data))) / eps
            note = f"{out.data.dtype} output: differences carry rounding errors of ~{noise:.2g}"
        else:
            note = _kink(fn, points, m, eps, atol, rtol)
        lines.append(
            f"{m.output:>6} {at!s:<10} {m.input:>5} {index!s:<12} {m.analytic:>13.6g} "
            f"{m.numeric:>13.6g} {m.abs_err:>10.3g} {m.rel_err:>10.3g}  {note}"
        )
    if len(bad) > max_rows:
        lines.append(f"... and {len(bad) - max_rows} more")
    return "\n".join(lines)


def _kink(
    fn: Fn, points: list[np.ndarray], m: _Mismatch, eps: float, atol: float, rtol: float
) -> str:
    """A note when the element sits on a kink, or within ε of one, else "".

    The one-sided differences of a smooth function differ by about f''·ε, which halves with the
    step, and their mean, the central difference, moves by O(ε²) only. On a kink they differ by
    the jump in the derivative, whatever the step. Within ε of a kink the central difference
    straddles it: the gap shrinks with the step, but the central difference moves by much more
    than the tolerance (for relu at 0.3ε: from 0.65 to 0.8 to 1).
    """
    fwd, bwd = _one_sided(fn, points, m, eps)
    gap = abs(fwd - bwd)
    tol = atol + rtol * max(abs(fwd), abs(bwd))
    if not gap > tol:
        return ""
    half_fwd, half_bwd = _one_sided(fn, points, m, eps / 2)
    differ = f"one-sided differences {fwd:.6g} and {bwd:.6g} disagree"
    if abs(half_fwd - half_bwd) > 0.75 * gap:
        return f"kink: {differ}"
    if abs((half_fwd + half_bwd) - (fwd + bwd)) / 2 > tol:
        return f"kink within eps: {differ}"
    return ""


def _one_sided(fn: Fn, points: list[np.ndarray], m: _Mismatch, eps: float) -> tuple[float, float]:
    """Forward and backward differences of output element ``m.row`` in ``m.input[m.col]``."""
    values = []
    for step in (eps, 0.0, -eps):
        moved = _perturbed(points, m.input, m.col, step)
        values.append(float(_call(fn, moved)[m.output].data.reshape(-1)[m.row]))
    hi, mid, lo = values
    return (hi - mid) / eps, (mid - lo) / eps


# ----------------------------------------------------------------------------- second order


def gradgradcheck(
    fn: Fn,
    inputs: Sequence[Any],
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
    seed: int = 0,
    max_rows: int = 8,
) -> bool:
    """Check second derivatives: gradcheck the map (x, v) ↦ vᵀ ∂fn/∂x.

    The inner gradient is taken with ``create_graph=True``, so this verifies that the
    derivative rules are themselves differentiated correctly, with respect to the inputs and,
    as ``torch.autograd.gradgradcheck`` does, to the incoming adjoint v (a rule that detached
    its g would pass a check in x alone). ``grad_outputs`` are the v's, one per output that
    requires grad (as torch: floating arrays and Tensors that require grad are checked too);
    by default they are drawn uniformly from [−1, 1) with ``seed``. The keyword arguments are
    gradcheck's, passed on; ``gen_non_contig_grad_outputs`` is accepted (memory layout does not
    change a numpy derivative rule, and the check copies every input row-major anyway), and
    ``check_fwd_over_rev`` (forward mode over a backward pass) must stay off. In a failure
    report the outputs are the gradients with respect to the checked inputs, in order, and the
    inputs after fn's own are the v's.
    """
    _refuse(
        "gradgradcheck",
        check_fwd_over_rev=(check_fwd_over_rev, False, "no forward mode over backward passes"),
        check_rev_over_rev=(check_rev_over_rev, True, "reverse over reverse is the only mode"),
    )
    points = _points(inputs)
    checked = [i for i, p in enumerate(points) if _checked(p)]
    differentiable = [o for o in _call(fn, points) if o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        vs: list[Any] = [rng.uniform(-1.0, 1.0, o.shape) for o in differentiable]
    else:
        vs = _input_list(grad_outputs, "grad_outputs (the v's)")
        shapes = [np.shape(v.data if isinstance(v, Tensor) else v) for v in vs]
        if shapes != [o.shape for o in differentiable]:
            raise ValueError(
                f"gradgradcheck(): grad_outputs must be one per output that requires grad, of "
                f"its shape: {[o.shape for o in differentiable]}; got {shapes}"
            )

    def first_derivative(*args: Any) -> tuple[Tensor, ...]:
        xs, adjoints = args[: len(points)], args[len(points) :]
        leaves = [xs[i] for i in checked]
        outs = [o for o in _outputs(fn(*xs)) if o.requires_grad]
        total: Tensor | None = None
        for o, v in zip(outs, adjoints):
            term = (o * v).sum()
            total = term if total is None else total + term
        if total is None or not total.requires_grad:  # no output depends on a checked input
            return tuple(Tensor._make(np.zeros(leaf.shape)) for leaf in leaves)
        return grad(total, leaves, create_graph=True, materialize_grads=True)

    try:
        gradcheck(
            first_derivative,
            [*points, *vs],
            eps=eps,
            atol=atol,
            rtol=rtol,
            nondet_tol=nondet_tol,
            check_undefined_grad=check_undefined_grad,
            check_grad_dtypes=check_grad_dtypes,
            check_batched_grad=check_batched_grad,
            fast_mode=fast_mode,
            masked=masked,
            max_rows=max_rows,
        )
    except GradcheckError as e:
        if not raise_exception:
            return False
        names = ", ".join(f"{k} → input {i}" for k, i in enumerate(checked))
        raise GradcheckError(
            str(e).replace("gradcheck failed", "gradgradcheck failed", 1)
            + f"\n(output k is ∂/∂(input) of Σ v·fn, here output {names}; inputs "
            f"{len(points)} on are the v's, one per output of fn that requires grad)"
        ) from None
    return True
