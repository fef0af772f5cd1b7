"""torch's Tensor methods: aliases (multiply, greater, arctan, fix, …), elementwise
functions (tan, sinh, …, asin, …, exp2, sinc, logit, xlogy, fmod, remainder, frac, copysign,
deg2rad, float_power, logaddexp2, heaviside, signbit), their in-place forms, shape and
selection (ravel, unflatten, tensor_split, h/v/dsplit, rot90, unfold, repeat_interleave,
masked_select, take, take_along_dim, scatter, scatter_add, index_add, index_copy,
index_fill), scans and reductions (cummax, cummin, logcumsumexp, kthvalue, mode, quantile,
nanquantile) and linear algebra (inner, cross, det, inverse, addcmul, addcdiv, addmv, addr,
cov, corrcoef).

The new primitives (trigonometric and hyperbolic functions, exp2, fmod, remainder, det,
inverse, unfold) are gradchecked by the registry's tests (``test_ops.py``). Here every case runs
on tinygrad_ed and, where installed, on torch 2.13 (values, dtypes and float64 gradients); the
differentiable ones are gradchecked and gradgradchecked in float64; numpy references run
without torch; and bad arguments raise torch's exception types with messages naming the op.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.autograd import no_grad
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.tensor import Tensor

inf, nan = math.inf, math.nan


def t64(a: Any, grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


Draw = Callable[[np.random.Generator], np.ndarray]
Call = Callable[..., Any]


def _normal(*shape: int) -> Draw:
    return lambda rng: rng.standard_normal(shape)


def _uniform(low: float, high: float, *shape: int) -> Draw:
    return lambda rng: rng.uniform(low, high, shape)


def _away(*shape: int) -> Draw:
    """Away from 0 and from whole numbers (fmod, remainder and frac jump there)."""
    return lambda rng: (
        (rng.integers(0, 3, shape) + rng.uniform(0.2, 0.8, shape)) * rng.choice([-1, 1], shape)
    )


def _ties(*shape: int) -> Draw:
    return lambda rng: np.round(rng.standard_normal(shape) * 1.5) / 2


def _with_nan(*shape: int) -> Draw:
    def draw(rng: np.random.Generator) -> np.ndarray:
        a = rng.standard_normal(shape)
        a[rng.random(shape) < 0.3] = nan
        return a

    return draw


def _well_conditioned(*shape: int) -> Draw:
    n = shape[-1]
    return lambda rng: rng.standard_normal(shape) + n * np.eye(n)


def _idx(a: Any) -> Call:
    """An int64 index tensor of either library."""
    return lambda lib: lib.tensor(np.asarray(a, dtype=np.int64))


def _mask(a: Any) -> Call:
    return lambda lib: lib.tensor(np.asarray(a, dtype=bool))


SCATTER_INDEX = [[0, 2, 1], [3, 0, 2]]  # no place repeated within a row: torch's order is free
REPEATS = [[0, 1, 1, 2], [3, 3, 0, 1]]

# name → (call(lib, *inputs), one draw per input): the same call runs on both libraries.
CASES: dict[str, tuple[Call, list[Draw]]] = {
    # aliases
    "multiply": (lambda lib, x, y: x.multiply(y), [_normal(3, 4), _normal(4)]),
    "subtract": (lambda lib, x, y: x.subtract(y, alpha=2.5), [_normal(3, 4), _normal(4)]),
    "divide": (lambda lib, x, y: x.divide(y), [_normal(3, 4), _away(4)]),
    "true_divide": (lambda lib, x, y: lib.true_divide(x, y), [_normal(3, 4), _away(3, 1)]),
    "negative absolute": (lambda lib, x: x.negative() * x.absolute(), [_away(3, 4)]),
    "comparisons": (
        lambda lib, x, y: lib.stack(
            [x.greater(y), x.greater_equal(y), x.less(y), x.less_equal(y), x.not_equal(y)]
        ),
        [_ties(3, 4), _ties(4)],
    ),
    "fix sgn": (lambda lib, x: x.fix() + x.sgn(), [_away(3, 4)]),
    # elementwise
    "tan": (lambda lib, x: x.tan(), [_uniform(-1.3, 1.3, 3, 4)]),
    "sinh cosh": (lambda lib, x: x.sinh() * lib.cosh(x), [_normal(3, 4)]),
    "sinh tiny": (lambda lib, x: (x * 1e-12).sinh(), [_normal(5)]),
    "asin acos": (lambda lib, x: x.asin() + lib.acos(x * 0.5), [_uniform(-0.95, 0.95, 3, 4)]),
    "atan arctan": (lambda lib, x: x.atan() - lib.arctan(x * 2), [_normal(3, 4)]),
    "asinh": (lambda lib, x: lib.asinh(x * 10), [_normal(3, 4)]),
    "acosh": (lambda lib, x: x.acosh(), [_uniform(1.05, 4.0, 3, 4)]),
    "atanh": (lambda lib, x: x.atanh(), [_uniform(-0.95, 0.95, 3, 4)]),
    "arc aliases": (
        lambda lib, x: x.arcsin() + x.arccos() + x.arcsinh() + x.arctanh() + (x + 2).arccosh(),
        [_uniform(-0.9, 0.9, 2, 3)],
    ),
    "exp2": (lambda lib, x: x.exp2(), [_normal(3, 4)]),
    "sinc": (lambda lib, x: x.sinc(), [_normal(3, 4)]),
    "sinc zero": (lambda lib, x: (x * 0).sinc() + lib.sinc(x), [_normal(4)]),
    "logit": (lambda lib, x: x.logit(), [_uniform(0.05, 0.95, 3, 4)]),
    "logit eps": (lambda lib, x: lib.logit(x, eps=0.2), [_uniform(0.0, 1.0, 3, 4)]),
    "xlogy": (lambda lib, x, y: x.xlogy(y), [_normal(3, 4), _uniform(0.1, 2, 4)]),
    "xlogy zeros": (
        lambda lib, x, y: (x * lib.tensor([0.0, 1.0, 0.0], dtype=x.dtype)).xlogy(y),
        [_normal(3), lambda rng: np.array([0.5, 2.0, 1.5])],
    ),
    "xlogy number": (lambda lib, x: lib.xlogy(x, 3.0), [_normal(3, 4)]),
    "fmod": (lambda lib, x, y: x.fmod(y), [_away(3, 4), _away(4)]),
    "fmod number": (lambda lib, x: lib.fmod(x, -1.5), [_away(3, 4)]),
    "remainder": (lambda lib, x, y: x.remainder(y), [_away(3, 4), _away(3, 1)]),
    "remainder number": (lambda lib, x: lib.remainder(x, 0.7), [_away(3, 4)]),
    "frac": (lambda lib, x: x.frac(), [_away(3, 4)]),
    "copysign": (lambda lib, x, y: x.copysign(y), [_away(3, 4), _normal(4)]),
    "copysign number": (lambda lib, x: lib.copysign(x, -0.0), [_away(3, 4)]),
    "deg2rad rad2deg": (lambda lib, x: x.deg2rad() * lib.rad2deg(x), [_normal(3, 4)]),
    "float_power": (lambda lib, x, y: x.float_power(y), [_uniform(0.5, 2, 3, 4), _normal(4)]),
    "float_power number": (lambda lib, x: lib.float_power(x, 3), [_normal(3, 4)]),
    "logaddexp2": (lambda lib, x, y: x.logaddexp2(y), [_normal(3, 4), _normal(4)]),
    "logaddexp2 large": (lambda lib, x, y: lib.logaddexp2(x * 1e4, y * 1e4), [_normal(4)] * 2),
    "signbit": (lambda lib, x: x.signbit(), [lambda rng: np.array([-0.0, 0.0, -1, 2, nan, -inf])]),
    "heaviside": (
        lambda lib, x, v: x.heaviside(v),
        [lambda rng: np.array([-1.0, 0.0, 2.0, -0.0, nan]), _normal(5)],
    ),
    # shape and selection
    "ravel": (lambda lib, x: x.ravel(), [_normal(3, 4)]),
    "unflatten": (lambda lib, x: x.unflatten(1, (2, -1)), [_normal(3, 4)]),
    "tensor_split sections": (lambda lib, x: x.tensor_split(3, 1), [_normal(2, 7)]),
    "tensor_split indices": (lambda lib, x: lib.tensor_split(x, [1, 5, 3], 1), [_normal(2, 7)]),
    "hsplit": (lambda lib, x: x.hsplit(2), [_normal(3, 4)]),
    "hsplit vector": (lambda lib, x: lib.hsplit(x, [1, 4]), [_normal(6)]),
    "vsplit": (lambda lib, x: x.vsplit([1]), [_normal(3, 4)]),
    "dsplit": (lambda lib, x: lib.dsplit(x, 2), [_normal(2, 3, 4)]),
    "split_with_sizes": (lambda lib, x: x.split_with_sizes([1, 3], 1), [_normal(3, 4)]),
    "fliplr flipud": (lambda lib, x: x.fliplr() * lib.flipud(x), [_normal(3, 3)]),
    "rot90": (lambda lib, x: x.rot90(), [_normal(2, 3)]),
    "rot90 k": (lambda lib, x: lib.rot90(x, -3, [2, 0]), [_normal(2, 3, 4)]),
    "rot90 twice": (lambda lib, x: x.rot90(2, (1, 0)), [_normal(2, 3)]),
    "unfold": (lambda lib, x: x.unfold(1, 3, 1), [_normal(2, 6)]),
    "unfold step": (lambda lib, x: x.unfold(0, 2, 3), [_normal(8, 2)]),
    "unfold 0-d": (lambda lib, x: x.unfold(0, 1, 2), [_normal()]),
    "repeat_interleave": (lambda lib, x: x.repeat_interleave(2), [_normal(2, 3)]),
    "repeat_interleave dim": (
        lambda lib, x: lib.repeat_interleave(x, lib.tensor([1, 0, 3]), dim=1),
        [_normal(2, 3)],
    ),
    "masked_select": (
        lambda lib, x: x.masked_select(_mask([[True, False, True, True]])(lib)),
        [_normal(3, 4)],
    ),
    "take": (lambda lib, x: x.take(_idx([[0, -1], [5, 5]])(lib)), [_normal(2, 3)]),
    "take_along_dim": (
        lambda lib, x: x.take_along_dim(_idx([[0, 2, 2, 1]])(lib), dim=0),
        [_normal(3, 4)],
    ),
    "take_along_dim flat": (
        lambda lib, x: lib.take_along_dim(x, _idx([3, 0, 3])(lib)),
        [_normal(2, 3)],
    ),
    "take_along_dim sorted": (
        lambda lib, x: x.take_along_dim(x.argsort(1), 1),
        [_normal(3, 4)],
    ),
    "scatter": (
        lambda lib, x, s: x.scatter(1, _idx(SCATTER_INDEX)(lib), s),
        [_normal(2, 4), _normal(2, 3)],
    ),
    "scatter value": (
        lambda lib, x: lib.scatter(x, 0, _idx([[1, 0, 1, 0]])(lib), 2.5),
        [_normal(2, 4)],
    ),
    "scatter_add": (
        lambda lib, x, s: x.scatter_add(1, _idx([[0, 0, 1], [3, 3, 3]])(lib), s),
        [_normal(2, 4), _normal(2, 3)],
    ),
    "index_add": (
        lambda lib, x, s: x.index_add(0, _idx([2, 0, 2])(lib), s, alpha=-1.5),
        [_normal(3, 4), _normal(3, 4)],
    ),
    "index_copy": (
        lambda lib, x, s: lib.index_copy(x, 1, _idx([3, 0])(lib), s),
        [_normal(3, 4), _normal(3, 2)],
    ),
    "index_fill": (lambda lib, x: x.index_fill(1, _idx([0, 2])(lib), -2.0), [_normal(3, 4)]),
    "index_fill tensor": (
        lambda lib, x, v: lib.index_fill(x, 0, _idx([1])(lib), v),
        [_normal(3, 4), _normal()],
    ),
    # scans and reductions
    "cummax": (lambda lib, x: x.cummax(1), [_ties(3, 6)]),
    "cummin": (lambda lib, x: lib.cummin(x, 0), [_ties(5, 3)]),
    "cummax nan": (lambda lib, x: x.cummax(1), [_with_nan(3, 5)]),
    "logcumsumexp": (lambda lib, x: x.logcumsumexp(1), [_normal(3, 7)]),
    "logcumsumexp far": (lambda lib, x: lib.logcumsumexp(x * 800, 0), [_normal(9)]),
    "kthvalue": (lambda lib, x: x.kthvalue(2), [_normal(3, 5)]),
    "kthvalue dim": (lambda lib, x: lib.kthvalue(x, 3, 0, True), [_normal(4, 3)]),
    "mode": (lambda lib, x: x.mode(), [lambda rng: rng.integers(0, 3, (4, 6)).astype(float)]),
    "mode dim": (
        lambda lib, x: lib.mode(x, 0, keepdim=True),
        [lambda rng: rng.integers(0, 2, (5, 3)).astype(float)],
    ),
    "quantile": (lambda lib, x: x.quantile(0.3), [_normal(3, 4)]),
    "quantile dim": (lambda lib, x: x.quantile(0.75, dim=1, keepdim=True), [_normal(3, 5)]),
    "quantile q tensor": (
        lambda lib, x, q: lib.quantile(x, q, 0),
        [_normal(4, 3), lambda rng: np.array([0.05, 0.25, 0.6, 0.95])],
    ),
    "quantile keepdim all": (
        lambda lib, x, q: x.quantile(q, keepdim=True),
        [_normal(2, 3), lambda rng: np.array([0.1, 0.9])],
    ),
    "quantile lower": (lambda lib, x: x.quantile(0.4, 1, interpolation="lower"), [_normal(3, 6)]),
    "quantile higher": (lambda lib, x: x.quantile(0.4, 1, interpolation="higher"), [_normal(3, 6)]),
    "quantile midpoint": (
        lambda lib, x: x.quantile(0.3, 0, interpolation="midpoint"),
        [_normal(5, 2)],
    ),
    "quantile nearest": (
        lambda lib, x: x.quantile(0.375, 1, interpolation="nearest"),
        [_normal(2, 5)],
    ),
    "quantile nan": (lambda lib, x: x.quantile(0.5, 1), [_with_nan(4, 5)]),
    "nanquantile": (lambda lib, x: x.nanquantile(0.5, 1), [_with_nan(4, 5)]),
    "nanquantile all": (lambda lib, x: lib.nanquantile(x, 0.2), [_with_nan(4, 5)]),
    # linear algebra
    "inner": (lambda lib, x, y: x.inner(y), [_normal(2, 3), _normal(4, 3)]),
    "inner vectors": (lambda lib, x, y: lib.inner(x, y), [_normal(3), _normal(3)]),
    "inner scalar": (lambda lib, x, y: x.inner(y), [_normal(), _normal(2, 3)]),
    "cross": (lambda lib, x, y: x.cross(y, dim=1), [_normal(4, 3), _normal(1, 3)]),
    "cross dim": (lambda lib, x, y: lib.cross(x, y, dim=0), [_normal(3, 2), _normal(3, 2)]),
    "det": (lambda lib, x: x.det(), [_well_conditioned(3, 3)]),
    "det batch": (lambda lib, x: lib.det(x), [_well_conditioned(2, 4, 4)]),
    "inverse": (lambda lib, x: x.inverse(), [_well_conditioned(3, 3)]),
    "inverse batch": (lambda lib, x: lib.inverse(x), [_well_conditioned(2, 2, 2)]),
    "addcmul": (
        lambda lib, x, a, b: x.addcmul(a, b, value=-0.5),
        [_normal(3, 4), _normal(4), _normal(3, 1)],
    ),
    "addcdiv": (
        lambda lib, x, a, b: lib.addcdiv(x, a, b, value=2),
        [_normal(3, 4), _normal(3, 4), _away(4)],
    ),
    "addmv": (
        lambda lib, x, m, v: x.addmv(m, v, beta=0.5, alpha=2),
        [_normal(3), _normal(3, 4), _normal(4)],
    ),
    "addmv defaults": (
        lambda lib, x, m, v: lib.addmv(x, m, v),
        [_normal(1), _normal(3, 4), _normal(4)],
    ),
    "addmv beta 0": (
        lambda lib, x, m, v: x.addmv(m, v, beta=0),
        [lambda rng: np.full(3, nan), _normal(3, 4), _normal(4)],
    ),
    "addr": (
        lambda lib, x, a, b: x.addr(a, b, alpha=-1),
        [_normal(3, 4), _normal(3), _normal(4)],
    ),
    "cov": (lambda lib, x: x.cov(), [_normal(3, 5)]),
    "cov vector": (lambda lib, x: lib.cov(x, correction=0), [_normal(6)]),
    "cov weights": (
        lambda lib, x, aw: x.cov(fweights=lib.tensor([1, 2, 0, 3, 1]), aweights=aw),
        [_normal(2, 5), _uniform(0.1, 1.0, 5)],
    ),
    "cov aweights": (
        lambda lib, x, aw: lib.cov(x, aweights=aw),
        [_normal(2, 4), _uniform(0.1, 1, 4)],
    ),
    "corrcoef": (lambda lib, x: x.corrcoef(), [_normal(3, 6)]),
    "corrcoef vector": (lambda lib, x: lib.corrcoef(x), [_normal(5)]),
}


class _Lib:
    """tinygrad_ed as the cases call it: its module, and a method where it has no function."""

    def __getattr__(self, name: str) -> Any:
        if hasattr(tg, name):
            return getattr(tg, name)
        return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


OURS = _Lib()


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple) else [result]


def _run(lib: Any, call: Call, arrays: list[np.ndarray], make: Callable[..., Any]) -> Any:
    inputs = [make(a) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # cross without dim, cov's dof
        return inputs, _outputs(call(lib, *inputs))


def _draw_case(name: str, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed + sum(map(ord, name)))
    return [draw(rng) for draw in CASES[name][1]]


def _loss(outs: list[Any], weights: list[np.ndarray], to: Callable[[np.ndarray], Any]) -> Any:
    total = None
    for out, w in zip(outs, weights):
        if out.requires_grad:
            term = (out * to(w).to(out.dtype)).sum()
            total = term if total is None else total + term
    return total


@pytest.mark.parametrize("name", CASES)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_values_and_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    call, _ = CASES[name]
    for seed in range(2):
        arrays = _draw_case(name, seed)
        xs, outs = _run(OURS, call, arrays, lambda a: t64(a, grad=True))
        txs, touts = _run(torch, call, arrays, lambda a: torch.tensor(a, requires_grad=True))
        assert len(outs) == len(touts), name
        for out, tout in zip(outs, touts):
            assert str(tout.dtype) == f"torch.{out.dtype}", name
            assert out.shape == tuple(tout.shape), name
            np.testing.assert_allclose(
                out.data, tout.detach().numpy(), rtol=1e-13, atol=1e-15, err_msg=name
            )
        if name == "heaviside":  # torch has no derivative for it: its backward raises
            continue
        for out, tout in zip(outs, touts):
            assert out.requires_grad == tout.requires_grad, name
        weights = [np.random.default_rng(seed).standard_normal(o.shape) for o in outs]
        loss, tloss = _loss(outs, weights, t64), _loss(touts, weights, torch.tensor)
        if tloss is None:
            assert loss is None, name
            continue
        loss.backward()
        tloss.backward()
        for x, tx in zip(xs, txs):
            if tx.grad is None:
                assert x.grad is None or not x.grad.data.any(), name
                continue
            assert x.grad is not None, name
            np.testing.assert_allclose(
                x.grad.data, tx.grad.numpy(), rtol=1e-11, atol=1e-13, err_msg=name
            )


@pytest.mark.parametrize("name", CASES)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_float32_stays_float32_as_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    call, _ = CASES[name]
    arrays = [a.astype(np.float32) for a in _draw_case(name, 7)]
    _, outs = _run(OURS, call, arrays, lambda a: tg.tensor(a))
    _, touts = _run(torch, call, arrays, lambda a: torch.tensor(a))
    for out, tout in zip(outs, touts):
        assert str(tout.dtype) == f"torch.{out.dtype}", name
        np.testing.assert_allclose(out.data, tout.numpy(), rtol=2e-5, atol=2e-5, err_msg=name)


# The differentiable cases away from kinks and ties, gradchecked and gradgradchecked.
NOT_SMOOTH = (
    "comparisons",
    "fix",
    "signbit",
    "heaviside",
    "cummax",
    "cummin",
    "mode",
    "nan",
    "beta 0",
    "lower",
    "higher",
    "nearest",
    "logit eps",
    "large",
    "far",
    "xlogy zeros",
)
SMOOTH = [name for name in CASES if not any(part in name for part in NOT_SMOOTH)]


@pytest.mark.parametrize("name", SMOOTH)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_gradcheck_and_gradgradcheck_float64(name: str) -> None:
    call, _ = CASES[name]
    arrays = _draw_case(name, 3)

    def fn(*xs: Tensor) -> Any:
        return call(OURS, *xs)

    assert gradcheck(fn, arrays)
    assert gradgradcheck(fn, arrays, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize(
    ("name", "fn", "inputs"),
    [
        ("cummax", lambda x: x.cummax(1).values, [_normal(3, 5)]),
        ("cummin", lambda x: x.cummin(0).values, [_normal(4, 3)]),
        ("mode", lambda x: (x.round() + x * 1e-3).mode(1).values, [_normal(3, 5)]),
        ("quantile lower", lambda x: x.quantile(0.4, 1, interpolation="lower"), [_normal(3, 6)]),
        ("quantile nearest", lambda x: x.quantile(0.5, 0, interpolation="nearest"), [_normal(4)]),
        ("nanquantile", lambda x: x.nanquantile(0.3, 1), [_with_nan(3, 6)]),
        ("logit eps", lambda x: x.logit(eps=0.01), [_uniform(0.1, 0.9, 3)]),
        ("logcumsumexp", lambda x: (x * 30).logcumsumexp(0), [_normal(6)]),
    ],
)
def test_gradcheck_away_from_kinks(name: str, fn: Call, inputs: list[Draw]) -> None:
    rng = np.random.default_rng(11)
    arrays = [draw(rng) for draw in inputs]
    assert gradcheck(fn, arrays)
    assert gradgradcheck(fn, arrays, atol=1e-5, rtol=1e-4)


# ----------------------------------------------------------------------------- without torch


def test_values_match_numpy_and_exact_references() -> None:
    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 4))
    x = t64(a)
    checks: list[tuple[Any, Any]] = [
        (x.tan(), np.tan(a)),
        (x.sinh(), np.sinh(a)),
        ((x * 1e-200).sinh(), a * 1e-200),  # (eˣ − e⁻ˣ)/2 would give 0
        (x.asinh(), np.arcsinh(a)),
        (x.exp2(), np.exp2(a)),
        (x.fmod(t64(0.7)), np.fmod(a, 0.7)),
        (x.remainder(-0.7), np.remainder(a, -0.7)),
        (x.copysign(t64(-a)), np.copysign(a, -a)),
        (x.unfold(1, 2, 1), np.lib.stride_tricks.sliding_window_view(a, 2, axis=1)),
        (x.rot90(), np.rot90(a)),
        (x.rot90(-1, (1, 0)), np.rot90(a, -1, (1, 0))),
        (x.cummax(1).values, np.maximum.accumulate(a, 1)),
        (x.cummin(0).values, np.minimum.accumulate(a, 0)),
        (x.logcumsumexp(1), np.logaddexp.accumulate(a, 1)),
        (x.kthvalue(2, 1).values, np.sort(a, 1)[:, 1]),
        (x.quantile(0.3, 1), np.quantile(a, 0.3, 1)),
        (x.quantile(0.3, 0, interpolation="midpoint"), np.quantile(a, 0.3, 0, method="midpoint")),
        (x.nanquantile(0.6), np.nanquantile(a, 0.6)),
        (x.inner(x), np.inner(a, a)),
        (x[:, :3].cross(x[:, 1:], dim=1), np.cross(a[:, :3], a[:, 1:])),
        (x[:, :3].det(), np.linalg.det(a[:, :3])),
        (x[:, :3].inverse(), np.linalg.inv(a[:, :3])),
        (x.cov(), np.cov(a)),
        (
            x.cov(correction=0, fweights=tg.tensor([1, 2, 0, 3])),
            np.cov(a, ddof=0, fweights=[1, 2, 0, 3]),
        ),
        (x.corrcoef(), np.corrcoef(a)),
        (x.repeat_interleave(2, 1), np.repeat(a, 2, 1)),
        (x.take(tg.tensor([0, -1])), np.take(a, [0, -1])),
    ]
    for ours, expected in checks:
        np.testing.assert_allclose(ours.data, expected, rtol=1e-13, atol=1e-15)
    assert (t64(np.arange(-60.0, 60.0)).exp2().data == 2.0 ** np.arange(-60.0, 60.0)).all()
    assert x.stride() == (4, 1) and x.T.stride() == (1, 4) and x.stride(-1) == 1
    assert x.is_contiguous() and not x.T.is_contiguous() and not t64(1.0).expand(3).is_contiguous()
    assert x.ndimension() == 2 and x.nelement() == 12 and tg.ones(0).nelement() == 0
    assert x.is_signed() and not tg.tensor([1], dtype=np.uint8).is_signed() and not x.is_complex()
    assert x.signbit().dtype == np.bool_ and t64([-0.0]).signbit().tolist() == [True]


def test_unfold_is_a_view_and_its_gradient_adds_overlaps() -> None:
    x = t64(np.arange(6.0), grad=True)
    windows = x.unfold(0, 3, 2)
    assert windows.tolist() == [[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]]
    assert np.may_share_memory(windows.data, x.data)
    windows.sum().backward()
    assert x.grad is not None and x.grad.tolist() == [1.0, 1.0, 2.0, 1.0, 1.0, 0.0]
    y = tg.zeros(6)
    y.unfold(0, 2, 2).add_(1.0)  # windows that do not overlap write through, as torch
    assert y.tolist() == [1.0] * 6
    with pytest.raises(RuntimeError):
        tg.zeros(6).unfold(0, 3, 1).add_(1.0)  # overlapping: refused, as torch


def test_scatter_and_index_copy_with_repeated_places() -> None:
    """The last write wins the value (torch: unspecified); each source entry gets g at its
    place, repeats included, as torch's g.gather."""
    x, src = t64(np.zeros(3), grad=True), t64([1.0, 2.0, 3.0], grad=True)
    out = x.scatter(0, tg.tensor([1, 1, 0]), src)
    out.backward(t64([10.0, 20.0, 30.0]))
    assert out.tolist() == [3.0, 2.0, 0.0]
    assert src.grad is not None and src.grad.tolist() == [20.0, 20.0, 10.0]
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0, 30.0]
    out = t64(np.zeros((3, 2))).index_copy(0, tg.tensor([2, 2]), t64([[1.0, 1.0], [2.0, 2.0]]))
    assert out.tolist() == [[0.0, 0.0], [0.0, 0.0], [2.0, 2.0]]
    assert t64(np.zeros(2)).scatter_add(0, tg.tensor([1, 1, 1]), t64([1.0, 2.0, 3.0])).tolist() == [
        0.0,
        6.0,
    ]


def test_special_values() -> None:
    # sinc: 1 at 0 with a zero gradient; xlogy: 0 where x = 0 (also for y = 0 or ∞), nan for y nan
    x = t64([0.0, 0.5], grad=True)
    x.sinc().sum().backward()
    assert x.sinc().tolist()[0] == 1.0 and x.grad is not None and x.grad.tolist()[0] == 0.0
    x, y = t64([0.0, 0.0, 0.0, 2.0], grad=True), t64([0.0, inf, nan, 0.0], grad=True)
    with np.errstate(all="ignore"):
        out = x.xlogy(y)
        out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 0.0, nan, -inf])
    assert x.grad is not None and y.grad is not None
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, nan, -inf])
    # torch gives ȳ = g·x/y = 0/0 = nan at x = y = 0; here 0 (the where takes y = 1 there)
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0, nan, inf])
    # fmod takes the dividend's sign, remainder the divisor's, as torch (and C, Python)
    assert tg.tensor([5, -5]).fmod(3).tolist() == [2, -2]
    assert tg.tensor([5, -5]).remainder(3).tolist() == [2, 1]
    assert t64([5.5, -5.5]).fmod(-2).tolist() == [1.5, -1.5]
    assert t64([5.5, -5.5]).remainder(-2).tolist() == [-0.5, -1.5]
    assert tg.tensor([3]).float_power(2).dtype == np.float64
    assert (
        tg.tensor([1, 2]).deg2rad().dtype == np.float32
        and tg.tensor([1]).exp2().dtype == np.float32
    )
    assert tg.tensor([1.0, -2.0]).copysign(-0.0).tolist() == [-1.0, -2.0]
    assert math.isnan(t64([1.0, nan]).quantile(0.5).item())
    assert t64([[nan, nan], [1.0, nan]]).nanquantile(0.5, 1).data[1] == 1.0
    assert t64([[2.0, 1.0], [1.0, 2.0]]).det().item() == pytest.approx(3.0)


# ----------------------------------------------------------------------------- in place

INPLACE = [
    ("exp_", lambda x: x.exp()),
    ("log_", lambda x: x.abs().log()),
    ("sqrt_", lambda x: x.abs().sqrt()),
    ("sigmoid_", lambda x: x.sigmoid()),
    ("tanh_", lambda x: x.tanh()),
    ("relu_", lambda x: x.relu()),
    ("abs_", lambda x: x.abs()),
    ("neg_", lambda x: -x),
    ("sin_", lambda x: x.sin()),
    ("cos_", lambda x: x.cos()),
    ("tan_", lambda x: x.tan()),
    ("square_", lambda x: x.square()),
    ("floor_", lambda x: x.floor()),
    ("frac_", lambda x: x.frac()),
    ("sign_", lambda x: x.sign()),
    ("clamp_", lambda x: x.clamp(-0.5, 0.5)),
    ("clip_", lambda x: x.clamp(max=0.1)),
    ("pow_", lambda x: x.pow(2)),
    ("masked_fill_", lambda x: x.masked_fill(x.data > 0, 7.0)),
]
_INPLACE_ARGS: dict[str, tuple[Any, ...]] = {
    "clamp_": (-0.5, 0.5),
    "clip_": (None, 0.1),
    "pow_": (2,),
}


@pytest.mark.parametrize(("name", "reference"), INPLACE)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_inplace_forms_write_the_result_into_the_tensor(name: str, reference: Call) -> None:
    a = np.random.default_rng(3).standard_normal((3, 4))
    prep = {"log_": np.abs, "sqrt_": np.abs}.get(name, lambda v: v)
    x = t64(prep(a))
    memory = x.data
    args = _INPLACE_ARGS.get(name, ())
    if name == "masked_fill_":
        args = (x.data > 0, 7.0)
    assert getattr(x, name)(*args) is x and x.data is memory
    np.testing.assert_array_equal(x.data, reference(t64(prep(a))).data)
    # refused in grad mode on a leaf that requires grad, allowed under no_grad
    w = t64(prep(a), grad=True)
    with pytest.raises(RuntimeError, match=rf"{name}: a leaf Variable that requires grad"):
        getattr(w, name)(*args)
    with no_grad():
        getattr(w, name)(*args)
    np.testing.assert_array_equal(w.data, x.data)


def test_inplace_forms_keep_the_dtype_as_torch() -> None:
    with pytest.raises(RuntimeError, match=r"exp_: result type float32 can't be cast to .*int64"):
        tg.tensor([1, 2]).exp_()
    i = tg.tensor([-3, 4])
    assert i.abs_().tolist() == [3, 4] and i.dtype == np.int64
    f = tg.tensor([1.0, 4.0])
    assert f.sqrt_().tolist() == [1.0, 2.0] and f.dtype == np.float32
    y = t64([1.0, 2.0], grad=True) * 1  # log saves y: changed in place, backward refuses
    z = y.log()
    with no_grad():
        y.exp_()
    with pytest.raises(RuntimeError):
        z.sum().backward()


# ----------------------------------------------------------------------------- errors

V, M = t64([1.0, 2.0]), t64(np.ones((2, 2)))
C31, C33, C13 = t64(np.ones((3, 1))), t64(np.ones((3, 3))), t64(np.ones((1, 3)))
I64 = tg.tensor
ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: I64([1]).fmod(0), RuntimeError, r"fmod\(\): ZeroDivisionError"),
    (lambda: I64([1]).remainder(I64([0])), RuntimeError, r"remainder\(\): ZeroDivisionError"),
    (lambda: I64([1]).frac(), TypeError, r"frac\(\): not implemented for int64"),
    (lambda: V.heaviside(V.float()), RuntimeError, r"heaviside\(\): not implemented .* different"),
    (lambda: V.heaviside(0.5), TypeError, r"heaviside\(\): argument 'values' must be Tensor"),
    (lambda: I64([1]).logaddexp2(I64([1])), TypeError, r"logaddexp2\(\): not implemented"),
    (lambda: V.logit(eps="a"), TypeError, r"logit\(\): eps must be a number"),
    (lambda: M.unflatten(1, (3, -1)), RuntimeError, r"unflatten\(\): provided sizes \[3, -1\]"),
    (lambda: M.unflatten(1, ()), RuntimeError, r"unflatten\(\): sizes must be non-empty"),
    (lambda: V.tensor_split(0), RuntimeError, r"tensor_split\(\): number of sections must be"),
    (lambda: t64(1.0).tensor_split(1), RuntimeError, r"tensor_split\(\): expected at least a 1"),
    (lambda: tg.ones(3, 4).hsplit(3), RuntimeError, r"hsplit\(\): .*dimension 4 is not divisible"),
    (lambda: V.vsplit(1), RuntimeError, r"vsplit\(\): requires a tensor with at least 2"),
    (lambda: M.dsplit(1), RuntimeError, r"dsplit\(\): requires a tensor with at least 3"),
    (lambda: M.split_with_sizes([1, 2]), RuntimeError, r"split\(\): split sizes \[1, 2\]"),
    (lambda: V.fliplr(), RuntimeError, r"fliplr\(\): input must be >= 2-d"),
    (lambda: M.rot90(1, (0, 0)), RuntimeError, r"rot90\(\): expected rotation dims to be diff"),
    (lambda: M.rot90(1, (0, 1, 1)), RuntimeError, r"rot90\(\): expected total rotation dims"),
    (lambda: V.rot90(), RuntimeError, r"rot90\(\): expected total dims >= 2, but got .* 1"),
    (lambda: M.unfold(1, 3, 1), RuntimeError, r"unfold\(\): maximum size for tensor at dim"),
    (lambda: M.unfold(1, 1, 0), RuntimeError, r"unfold\(\): step is 0 but must be > 0"),
    (lambda: M.unfold(2, 1, 1), IndexError, r"unfold\(\): dim 2 is out of range"),
    (lambda: V.repeat_interleave(-1), RuntimeError, r"repeat_interleave\(\): repeats can not"),
    (lambda: V.repeat_interleave(I64([1, 2, 3])), RuntimeError, r"same size as input along"),
    (lambda: V.repeat_interleave(V), RuntimeError, r"repeat_interleave\(\): repeats must be"),
    (lambda: V.masked_select(I64([1, 0])), RuntimeError, r"masked_select\(\): expected a bool"),
    (lambda: V.masked_select(tg.ones(3) > 0), ValueError, r"masked_select.*\(2,\).*\(3,\)"),
    (lambda: V.take(I64([5])), IndexError, r"take\(\): out of range: .*index 5 .* 2 elements"),
    (lambda: V.take(V), RuntimeError, r"take\(\): expected an int64 index tensor"),
    (lambda: M.take_along_dim(I64([0]), 0), RuntimeError, r"same number of dimensions"),
    (lambda: M.scatter(0, I64([[2, 0]]), M), RuntimeError, r"scatter\(\): index 2 is out of b"),
    (lambda: M.scatter(0, I64([[1, 0]]), M.float()), RuntimeError, r"self.dtype to be equal"),
    (lambda: M.scatter(0, I64([[1, 0, 1]]), M), RuntimeError, r"scatter\(\): expected index"),
    (lambda: M.scatter(0, I64([0, 1]), M), RuntimeError, r"scatter\(\): index of shape \(2,\)"),
    (lambda: M.scatter(0, I64([[0]]), M, reduce="sum"), RuntimeError, r"scatter\(\): reduce arg"),
    (lambda: M.scatter_add(0, I64([[0]]), 1.0), TypeError, r"argument 'src' must be Tensor"),
    (lambda: M.index_add(0, I64([0]), tg.ones(1, 3)), RuntimeError, r"index_add\(\): source of"),
    (lambda: M.index_add(0, I64([2]), tg.ones(1, 2)), RuntimeError, r"index_add\(\): index 2 is"),
    (lambda: M.index_copy(0, I64([0]), tg.ones(1, 2)), RuntimeError, r"index_copy\(\): self \("),
    (lambda: M.index_fill(0, I64([[0]]), 1.0), RuntimeError, r"index_fill\(\): index must be a v"),
    (lambda: M.cummax(2), IndexError, r"cummax\(\): dim 2 is out of range"),
    (lambda: I64([1]).logcumsumexp(0), TypeError, r"logcumsumexp\(\): expected a floating"),
    (lambda: M.kthvalue(3), RuntimeError, r"kthvalue\(\): selected number k = 3 out of range"),
    (lambda: tg.ones(2, 0).mode(1), IndexError, r"mode\(\): expected reduction dim 1 to have"),
    (lambda: M.quantile(1.5), RuntimeError, r"quantile\(\): q values must be in the range"),
    (lambda: I64([1, 2]).quantile(0.5), RuntimeError, r"quantile\(\): input tensor must be e"),
    (lambda: M.quantile(0.5, interpolation="cubic"), RuntimeError, r"must be one of linear"),
    (lambda: tg.ones(0).nanquantile(0.5), RuntimeError, r"nanquantile\(\): input tensor must"),
    (lambda: M.quantile(V.float()), RuntimeError, r"q tensor must be same dtype as the input"),
    (lambda: M.quantile(M), RuntimeError, r"quantile\(\): q must be a scalar or 1D tensor"),
    (lambda: M.inner(tg.ones(3)), RuntimeError, r"inner\(\): the last dimension must match"),
    (lambda: M.cross(M, dim=1), RuntimeError, r"cross\(\): inputs dimension 1 must have len"),
    (lambda: M.cross(V), RuntimeError, r"cross\(\): inputs must have the same number of d"),
    # size 3 in both at the dim (torch broadcasts no size 1 there); without a dim, self's first
    (lambda: C31.cross(C33, dim=-1), RuntimeError, r"cross\(\): inputs dimension 1 must have"),
    (lambda: C33.cross(C13), RuntimeError, r"cross\(\): inputs dimension 0 must have len"),
    (lambda: t64(np.ones((2, 1))).cross(t64(np.ones((2, 3)))), RuntimeError, r"no dimension of"),
    (lambda: tg.ones(2, 3).det(), RuntimeError, r"det\(\): A must be batches of square mat"),
    (lambda: I64([[1, 2], [3, 4]]).det(), RuntimeError, r"det\(\): expected a floating po"),
    (lambda: M.inverse(), RuntimeError, r"inverse\(\): the input matrix .* is singular"),
    (lambda: I64([1]).addcdiv(I64([1]), I64([1])), RuntimeError, r"addcdiv\(\): integer div"),
    (lambda: V.addcmul(V, t64([1.0, 2.0, 3.0])), ValueError, r"addcmul.*\(2,\).*\(3,\)"),
    (lambda: V.addmv(M, t64(np.ones(3))), RuntimeError, r"mv\(\): size mismatch"),
    (lambda: t64(np.ones(3)).addmv(M, V), RuntimeError, r"addmv\(\): the input of shape \(3,"),
    (lambda: M.addr(V, V, beta="1"), TypeError, r"addr\(\): beta and alpha must be numbers"),
    (lambda: tg.ones(2, 2, 2).cov(), RuntimeError, r"cov\(\): expected input to have two or"),
    (lambda: M.cov(fweights=tg.ones(2)), RuntimeError, r"expected fweights to have integral"),
    (lambda: M.cov(aweights=-tg.ones(2)), RuntimeError, r"cov\(\): aweights cannot be neg"),
    (lambda: M.cov(aweights=tg.ones(3)), RuntimeError, r"same numel as there are observ"),
    (lambda: V.stride(2), IndexError, r"stride\(\): dim 2 is out of range"),
]


@pytest.mark.filterwarnings("ignore::UserWarning")  # cross without a dim
@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_name_the_op_and_the_values(index: int) -> None:
    call, kind, message = ERRORS[index]
    with pytest.raises(kind, match=message):
        call()


def test_sizes_and_dims_by_keyword_as_torch() -> None:
    """torch's methods that take sizes or dims as ``*args`` also take them by keyword."""
    x = tg.arange(6.0).reshape(2, 3)
    assert x.reshape(shape=(3, 2)).shape == (3, 2) and x.view(size=(6,)).shape == (6,)
    assert x.permute(dims=(1, 0)).tolist() == x.T.tolist()
    assert x[:1].expand(size=(4, 3)).shape == (4, 3) and x.flip(dims=(0,))[0].tolist() == [3, 4, 5]
    assert x.repeat(repeats=(2, 1)).shape == (4, 3) and x.tile(dims=(2,)).shape == (2, 6)
    with pytest.raises(TypeError, match=r"view\(\): takes its size .* keyword\(s\) shape"):
        x.view(shape=(6,))  # torch's view names it size
    with pytest.raises(TypeError, match=r"reshape\(\): takes its shape either positionally"):
        x.reshape((3, 2), shape=(3, 2))


def test_add_and_sub_methods_take_alpha() -> None:
    x, y = t64([1.0, 2.0], grad=True), t64([3.0, 4.0], grad=True)
    assert x.add(y, alpha=2).tolist() == [7.0, 10.0] and x.sub(y, alpha=0.5).tolist() == [-0.5, 0.0]
    assert x.subtract(y, alpha=2).tolist() == [-5.0, -6.0] and tg.add(x, y, alpha=3).tolist() == [
        10,
        14,
    ]
    x.sub(y, alpha=3).sum().backward()
    assert x.grad is not None and y.grad is not None
    assert x.grad.tolist() == [1.0, 1.0] and y.grad.tolist() == [-3.0, -3.0]
    with pytest.raises(TypeError, match=r"add\(\): alpha must be a number, got True"):
        x.add(y, alpha=True)
    with pytest.raises(TypeError, match=r"sub\(\): for integral input tensors, alpha"):
        tg.tensor([1]).sub(tg.tensor([2]), alpha=0.5)


def test_edge_cases_the_graph_fuzzer_found() -> None:
    """Empty and 0-d inputs, each as torch 2.13 answers them."""
    with pytest.raises(IndexError, match=r"kthvalue.*non-zero size"):
        tg.zeros(2, 0).kthvalue(1, dim=1)
    # inner of an empty operand: zeros of the joined leading shape, not a reshape error
    x = tg.zeros(0, requires_grad=True)
    out = tg.zeros(2, 0).inner(x.unsqueeze(0))
    assert out.shape == (2, 1) and not out.data.any()
    out.sum().backward()
    assert x.grad is not None and x.grad.shape == (0,)
    with pytest.raises(RuntimeError, match="weights sum to zero"):
        tg.tensor([[1.0, 2.0]]).cov(fweights=tg.tensor([0, 0]))
    with pytest.raises(IndexError, match=r"repeat_interleave.*no dimensions"):
        tg.tensor(1.0).repeat_interleave(2, dim=0)
    assert tg.tensor(1.0).repeat_interleave(2).tolist() == [1.0, 1.0]
    # unflatten's -1 comes from the dim alone, so a tensor with another empty dim works
    assert tg.zeros(0, 3).unflatten(1, (3, -1)).shape == (0, 3, 1)
    assert tg.zeros(2, 2, 0).unflatten(1, (-1, 2, 1)).shape == (2, 1, 2, 1, 0)
    with pytest.raises(RuntimeError, match=r"unflatten\(\): provided sizes \[0, -1\]"):
        tg.zeros(0, 3).unflatten(0, (0, -1))
    # mode of a slice with nans: they count as one value (not a numpy IndexError)
    nan = float("nan")
    values, indices = tg.tensor([nan, nan, 1.0]).mode(0)
    assert np.isnan(values.item()) and indices.item() == 1
    values, indices = tg.tensor([nan]).mode(0)
    assert np.isnan(values.item()) and indices.item() == 0


def test_sinc_is_exact_to_second_order_at_zero() -> None:
    """Near 0 sinc is its Taylor series, so the second derivative at 0 is −π²/3 (a where that
    picked the constant 1 gave 0; torch's quotient rule gives nan)."""
    x = t64([0.0, 1e-8, 0.02], grad=True)
    (g,) = tg.autograd.grad(x.sinc().sum(), x, create_graph=True)
    (h,) = tg.autograd.grad(g.sum(), x)
    assert g.tolist()[0] == 0.0 and np.allclose(
        g.data[1:], -(math.pi**2) / 3 * x.data[1:], rtol=1e-3
    )
    assert np.allclose(h.data, -(math.pi**2) / 3, rtol=1e-2)
    assert np.allclose(x.sinc().data, np.sinc(x.data), rtol=1e-15)
    assert gradgradcheck(lambda a: a.sinc(), [np.array([0.0, 0.01, 0.04, 0.7])])


def test_repeat_interleave_of_the_repeats_alone_is_torchs() -> None:
    # torch.repeat_interleave(repeats): index i repeated repeats[i] times, in repeats' dtype
    cases = ([1, 2], [0, 3, 0, 1], [], [2])
    for counts in cases:
        ours = tg.repeat_interleave(tg.tensor(counts, dtype=tg.int64))
        assert ours.dtype == tg.int64 and ours.tolist() == list(
            np.repeat(np.arange(len(counts)), counts)
        )
    assert tg.repeat_interleave(tg.tensor([1, 2], dtype=tg.int32)).dtype == tg.int32
    assert tg.repeat_interleave(tg.tensor([2, 1]), output_size=3).tolist() == [0, 0, 1]
    torch = pytest.importorskip("torch")
    for counts in cases:
        theirs = torch.repeat_interleave(torch.tensor(counts, dtype=torch.int64))
        assert tg.repeat_interleave(tg.tensor(counts, dtype=tg.int64)).tolist() == theirs.tolist()


def test_repeat_interleave_of_the_repeats_alone_refuses_what_torch_refuses() -> None:
    for bad in (tg.tensor([[1, 2]]), tg.tensor(3), tg.tensor([1.0, 2.0]), tg.tensor([True])):
        with pytest.raises(RuntimeError, match=r"repeat_interleave\(\): the repeats alone must"):
            tg.repeat_interleave(bad)
    with pytest.raises(RuntimeError, match=r"repeat_interleave\(\): repeats can not be negative"):
        tg.repeat_interleave(tg.tensor([1, -2]))
    with pytest.raises(RuntimeError, match=r"output_size 4 does not match the 3"):
        tg.repeat_interleave(tg.tensor([1, 2]), output_size=4)
    with pytest.raises(TypeError, match=r"repeat_interleave\(\): given only the repeats.*dim=0"):
        tg.repeat_interleave(tg.tensor([1, 2]), dim=0)


def test_scatter_with_torchs_deprecated_reduce_adds_or_multiplies() -> None:
    a = np.arange(6.0).reshape(2, 3) - 2.5
    s = np.arange(6.0).reshape(2, 3) * 0.5 + 0.3
    idx = [[0, 1, 0], [1, 1, 2]]

    def calls(lib: Any) -> list[Any]:
        x, src, i = lib.tensor(a), lib.tensor(s), lib.tensor(idx)
        return [
            x.scatter(1, i, src, reduce="add"),
            x.scatter(1, i, src, reduce="multiply"),
            x.scatter(1, i, 2.0, reduce="add"),
            x.scatter(1, i, value=2.0, reduce="multiply"),
            x.clone().scatter_(1, i, src, reduce="add"),
            x.clone().scatter_(0, i[:1], 3, reduce="multiply"),
            lib.tensor([1, 2]).scatter(0, lib.tensor([0, 0]), lib.tensor([3, 4]), reduce="add"),
            lib.tensor([1, 2]).scatter(0, lib.tensor([0, 0]), 2.5, reduce="add"),  # 2 in int64
        ]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = calls(tg)
    # numpy's reference: ufunc.at applies each repeated index in turn
    for k, (op, v) in enumerate(((np.add, s), (np.multiply, s), (np.add, 2.0), (np.multiply, 2.0))):
        want = a.copy()
        rows = np.broadcast_to(np.arange(2)[:, None], (2, 3))
        op.at(want, (rows, np.array(idx)), np.broadcast_to(v, (2, 3)))
        np.testing.assert_allclose(ours[k].numpy(), want, rtol=1e-12)
    assert ours[6].tolist() == [8, 2] and ours[7].tolist() == [5, 2] and ours[7].dtype == tg.int64
    # gradients (torch's backward refuses these): scatter_reduce's sum and prod rules
    for reduce in ("add", "multiply"):

        def fn(x: Tensor, src: Tensor, reduce: str = reduce) -> Tensor:
            return x.scatter(1, tg.tensor(idx), src, reduce=reduce)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert gradcheck(fn, [a, s])
            assert gradgradcheck(fn, [a, s], atol=1e-5, rtol=1e-4)
    with pytest.warns(UserWarning, match=r"scatter\(\): the reduce argument .* deprecated"):
        tg.tensor(a).scatter(1, tg.tensor(idx), tg.tensor(s), reduce="add")
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = calls(torch)
    for o, t in zip(ours, theirs):
        assert o.dtype == getattr(tg, str(t.dtype)[6:])
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-12)


def test_a_0d_index_or_src_counts_as_1d_beside_a_1d_tensor() -> None:
    """torch counts 0-d as 1-D in gather's and scatter's dims checks: the Transforms
    tutorial's one-hot ``zeros(10).scatter_(0, tensor(y), value=1)``."""
    x = np.array([0.5, -1.0, 2.0, 3.5, -0.25])

    def calls(lib: Any) -> list[Any]:
        i = lib.tensor(2)
        return [
            lib.zeros(10, dtype=lib.float).scatter_(0, lib.tensor(3), value=1),
            lib.scatter(lib.tensor(x), 0, i, 7.0),
            lib.tensor(x).scatter(0, i, lib.tensor(7.0, dtype=lib.float64)),
            lib.tensor(x).scatter(0, lib.tensor([4]), lib.tensor(7.0, dtype=lib.float64)),
            lib.tensor(x).scatter(0, i, lib.tensor([7.0, 8.0], dtype=lib.float64)),
            lib.tensor(x).scatter_add(0, i, lib.tensor(3.0, dtype=lib.float64)),
            lib.tensor(x).scatter_reduce(0, i, lib.tensor(9.0, dtype=lib.float64), "amax"),
            lib.tensor(x).gather(0, i),
            lib.tensor(5.0).gather(0, lib.tensor([0])),
        ]

    ours = calls(tg)
    assert ours[0].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0] and ours[0].dtype == tg.float32
    want = [x.copy() for _ in range(6)]
    want[0][2] = want[1][2] = want[3][2] = 7.0
    want[2][4] = 7.0
    want[4][2] += 3.0
    want[5][2] = 9.0
    for o, w in zip(ours[1:7], want):
        np.testing.assert_array_equal(o.numpy(), w)
    assert ours[7].shape == () and ours[7].item() == 2.0
    assert ours[8].shape == (1,) and ours[8].tolist() == [5.0]
    with pytest.raises(RuntimeError, match=r"scatter\(\): index 7 is out of bounds"):
        tg.zeros(5).scatter(0, tg.tensor(7), value=1)
    with pytest.raises(tg.OpError, match=r"gather\(\): index of shape \(1,\) must have"):
        tg.zeros(5, 2).gather(0, tg.tensor([0]))
    # gradients: src's one entry gets g at its place, x̄ = g elsewhere (scatter) or everywhere
    i = tg.tensor(2)
    assert gradcheck(lambda a, s: a.scatter(0, i, s), [x, np.array(7.0)])
    assert gradcheck(lambda a, s: a.scatter_add(0, i, s), [x, np.array(3.0)])
    assert gradcheck(lambda a: a.gather(0, i), [x])
    a, s = t64(x, grad=True), t64(7.0, grad=True)
    (a.scatter(0, i, s) * t64(np.arange(5.0))).sum().backward()
    assert a.grad is not None and a.grad.tolist() == [0.0, 1.0, 0.0, 3.0, 4.0]
    assert s.grad is not None and s.grad.shape == () and s.grad.item() == 2.0
    torch = pytest.importorskip("torch")
    for o, t in zip(ours, calls(torch)):
        assert o.shape == tuple(t.shape) and o.dtype == getattr(tg, str(t.dtype)[6:])
        np.testing.assert_array_equal(o.numpy(), t.numpy())
