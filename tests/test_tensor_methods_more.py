"""More of torch's Tensor methods: aliases (multiply, greater, arctan, fix, …), elementwise
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
