"""The Tensor methods a PyTorch user expects beyond the lecture's: elementwise (reciprocal,
rsqrt, log2, log10, logaddexp, atan2, hypot, lerp, clamp_min/clamp_max, nan_to_num, the
isnan family), products (dot, mv, mm, bmm, addmm, outer, kron), triangles and diagonals,
shape methods (unbind, narrow, movedim, swapaxes, view_as, …), ``new_*``, and reductions
(aminmax, median, nansum, nanmean, count_nonzero, diff, std_mean/var_mean).

The new primitives (log2, log10, logaddexp, atan2, hypot) are gradchecked by the registry's
tests (``test_ops.py``); here every composite is gradchecked and gradgradchecked in float64,
checked against numpy references (always), and, where torch is installed, against torch 2.13:
values, gradients and dtypes on random inputs and on special values (±∞, nan, ties, the
origin), hypothesis-drawn broadcasting pairs, and the errors torch raises.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.tensor import Tensor, std_mean, var_mean
from tinygrad_ed.testing import broadcastable_shapes

inf, nan = math.inf, math.nan
RNG = np.random.default_rng(2013)


def t64(a: Any, grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _normal(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: rng.standard_normal(shape)


def _positive(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: np.abs(rng.standard_normal(shape)) + 0.2


def _away_from_zero(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: np.abs(rng.standard_normal(shape)) + 0.2 * rng.choice([-1, 1], shape)


def _ties(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: np.round(rng.standard_normal(shape) * 1.5) / 2


def _with_nan(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    def draw(rng: np.random.Generator) -> np.ndarray:
        a = rng.standard_normal(shape)
        a[rng.random(shape) < 0.3] = nan
        return a

    return draw


def _special(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Values with ±∞, nan and 0 among normal ones."""

    def draw(rng: np.random.Generator) -> np.ndarray:
        a = rng.standard_normal(shape)
        flat = a.reshape(-1)
        flat[rng.choice(flat.size, min(4, flat.size), replace=False)] = [inf, -inf, nan, 0.0][
            : min(4, flat.size)
        ]
        return a

    return draw


# ----------------------------------------------------------------------------- the cases

# name → (call(lib, *inputs), one draw per input). The same call runs on tinygrad_ed and on
# torch, so it may use only the names the two share.
Call = Callable[..., Any]
Draw = Callable[[np.random.Generator], np.ndarray]
CASES: dict[str, tuple[Call, list[Draw]]] = {
    "reciprocal": (lambda lib, x: x.reciprocal(), [_away_from_zero(3, 4)]),
    "rsqrt": (lambda lib, x: x.rsqrt(), [_positive(3, 4)]),
    "log2": (lambda lib, x: x.log2(), [_positive(3, 4)]),
    "log10": (lambda lib, x: x.log10(), [_positive(3, 4)]),
    "logaddexp": (lambda lib, x, y: x.logaddexp(y), [_normal(3, 1), _normal(4)]),
    "logaddexp large": (lambda lib, x, y: (x * 1e5).logaddexp(y * 1e5), [_normal(3), _normal(3)]),
    "atan2": (lambda lib, y, x: y.atan2(x), [_normal(3, 4), _normal(4)]),
    "arctan2": (lambda lib, y, x: y.arctan2(x), [_normal(2, 3), _normal(2, 1)]),
    "hypot": (lambda lib, x, y: x.hypot(y), [_normal(3, 4), _normal(3, 1)]),
    "hypot large": (lambda lib, x, y: (x * 1e200).hypot(y * 1e200), [_normal(4), _normal(4)]),
    "lerp tensor": (
        lambda lib, s, e, w: s.lerp(e, w),
        [_normal(3, 4), _normal(4), lambda rng: rng.uniform(-0.5, 1.5, (3, 1))],
    ),
    "lerp small": (lambda lib, s, e: s.lerp(e, 0.3), [_normal(3, 4), _normal(3, 4)]),
    "lerp large": (lambda lib, s, e: lib.lerp(s, e, 0.7), [_normal(2, 3), _normal(3)]),
    "lerp 0-d": (lambda lib, s, e, w: s.lerp(e, w), [_normal(), _normal(2), _normal()]),
    "clamp_min tensor": (lambda lib, x, m: x.clamp_min(m), [_ties(3, 4), _ties(4)]),
    "clamp_max tensor": (lambda lib, x, m: x.clamp_max(m), [_ties(3, 4), _ties(3, 1)]),
    "clamp_min number": (lambda lib, x: x.clamp_min(0.5), [_ties(3, 4)]),
    "clamp_max number": (lambda lib, x: lib.clamp_max(x, -0.5), [_ties(3, 4)]),
    "nan_to_num": (lambda lib, x: x.nan_to_num(), [_special(3, 4)]),
    "nan_to_num values": (lambda lib, x: x.nan_to_num(1.5, 2.5, -3.5), [_special(3, 4)]),
    "isnan family": (
        lambda lib, x: lib.stack(
            [x.isnan(), x.isinf(), x.isfinite(), x.isposinf(), lib.isneginf(x)]
        ),
        [_special(3, 4)],
    ),
    "dot": (lambda lib, x, y: x.dot(y), [_normal(5), _normal(5)]),
    "mv": (lambda lib, m, v: m.mv(v), [_normal(3, 4), _normal(4)]),
    "mm": (lambda lib, a, b: a.mm(b), [_normal(3, 4), _normal(4, 2)]),
    "bmm": (lambda lib, a, b: a.bmm(b), [_normal(2, 3, 4), _normal(2, 4, 2)]),
    "addmm": (
        lambda lib, c, a, b: c.addmm(a, b, beta=0.5, alpha=-2.0),
        [_normal(2), _normal(3, 4), _normal(4, 2)],
    ),
    "addmm defaults": (
        lambda lib, c, a, b: c.addmm(a, b),
        [_normal(3, 2), _normal(3, 4), _normal(4, 2)],
    ),
    "addmm beta 0": (
        lambda lib, c, a, b: c.addmm(a, b, beta=0),
        [lambda rng: np.full((3, 2), nan), _normal(3, 4), _normal(4, 2)],
    ),
    "addmm alpha 0": (
        lambda lib, c, a, b: c.addmm(a, b, alpha=0, beta=2),
        [_normal(3, 2), lambda rng: np.full((3, 4), inf), _normal(4, 2)],
    ),
    "outer": (lambda lib, x, y: x.outer(y), [_normal(3), _normal(4)]),
    "ger": (lambda lib, x, y: x.ger(y), [_normal(2), _normal(3)]),
    "kron": (lambda lib, x, y: x.kron(y), [_normal(2, 3), _normal(2, 2)]),
    "kron dims": (lambda lib, x, y: lib.kron(x, y), [_normal(3), _normal(2, 2, 1)]),
    "trace": (lambda lib, x: x.trace(), [_normal(3, 4)]),
    "tril special": (lambda lib, x: x.tril(), [_special(2, 3, 4)]),
    "tril -1": (lambda lib, x: x.tril(-1), [_normal(3, 4)]),
    "triu 1": (lambda lib, x: x.triu(diagonal=1), [_normal(2, 4, 3)]),
    "triu far": (lambda lib, x: lib.triu(x, -5), [_normal(3, 4)]),
    "diag vector": (lambda lib, x: x.diag(), [_normal(3)]),
    "diag vector 1": (lambda lib, x: x.diag(1), [_normal(3)]),
    "diag vector -2": (lambda lib, x: lib.diag(x, -2), [_normal(2)]),
    "diag matrix": (lambda lib, x: x.diag(-1), [_normal(3, 4)]),
    "diag matrix far": (lambda lib, x: x.diag(9), [_normal(3, 4)]),
    "diagonal": (lambda lib, x: x.diagonal(), [_normal(3, 4)]),
    "diagonal dims": (lambda lib, x: x.diagonal(1, 2, 0), [_normal(2, 3, 4)]),
    "diagonal negative": (lambda lib, x: x.diagonal(-1, -1, 1), [_normal(2, 3, 4)]),
    "diagonal keywords": (lambda lib, x: x.diagonal(dim1=1, offset=2, dim2=-3), [_normal(2, 4, 3)]),
    "unbind": (lambda lib, x: x.unbind(), [_normal(3, 4)]),
    "unbind dim": (lambda lib, x: lib.unbind(x, dim=-1), [_normal(2, 3)]),
    "narrow": (lambda lib, x: x.narrow(1, 1, 2), [_normal(3, 4)]),
    "narrow negative": (lambda lib, x: x.narrow(-1, -3, 3), [_normal(3, 4)]),
    "narrow tensor start": (lambda lib, x: x.narrow(0, lib.tensor(1), 2), [_normal(3, 4)]),
    "narrow empty": (lambda lib, x: lib.narrow(x, 0, 3, 0), [_normal(3, 4)]),
    "movedim": (lambda lib, x: x.movedim(0, 2), [_normal(2, 3, 4)]),
    "movedim many": (lambda lib, x: x.movedim((0, 1), (-1, 0)), [_normal(2, 3, 4)]),
    "moveaxis": (lambda lib, x: lib.moveaxis(x, [2], [0]), [_normal(2, 3, 4)]),
    "swapaxes": (lambda lib, x: x.swapaxes(0, 2), [_normal(2, 3, 4)]),
    "swapdims": (lambda lib, x: lib.swapdims(x, -1, 1), [_normal(2, 3, 4)]),
    "view_as": (lambda lib, x, o: x.view_as(o), [_normal(2, 6), _normal(3, 4)]),
    "reshape_as": (lambda lib, x, o: x.reshape_as(o), [_normal(2, 6), _normal(4, 3)]),
    "type_as": (lambda lib, x, o: x.type_as(o.float()), [_normal(3), _normal(1)]),
    "argsort": (lambda lib, x: x.argsort(stable=True), [_ties(3, 5)]),
    "argsort descending": (
        lambda lib, x: lib.argsort(x, dim=0, descending=True, stable=True),
        [_ties(4, 3)],
    ),
    "aminmax": (lambda lib, x: x.aminmax(), [_ties(3, 4)]),
    "aminmax dim": (lambda lib, x: lib.aminmax(x, dim=1, keepdim=True), [_ties(3, 4)]),
    "aminmax dim 0": (lambda lib, x: x.aminmax(dim=0), [_ties(3, 4)]),
    "median": (lambda lib, x: x.median(), [_ties(3, 4)]),
    "median odd": (lambda lib, x: lib.median(x), [_normal(3, 3)]),
    "median dim": (lambda lib, x: x.median(1), [_normal(3, 5)]),
    "median dim even": (lambda lib, x: x.median(0, keepdim=True), [_normal(4, 3)]),
    "median dim nan": (lambda lib, x: x.median(1), [_with_nan(4, 5)]),
    "median nan": (lambda lib, x: x.median(), [_with_nan(3, 3)]),
    "nanmedian": (lambda lib, x: x.nanmedian(), [_with_nan(3, 4)]),
    "nanmedian dim": (lambda lib, x: lib.nanmedian(x, -1), [_with_nan(4, 5)]),
    "nansum": (lambda lib, x: x.nansum(), [_with_nan(3, 4)]),
    "nansum dim": (lambda lib, x: lib.nansum(x, (0, 1), keepdim=True), [_with_nan(2, 3, 2)]),
    "nanmean": (lambda lib, x: x.nanmean(1), [_with_nan(3, 6)]),
    "nanmean all": (lambda lib, x: lib.nanmean(x), [_with_nan(3, 4)]),
    "count_nonzero": (lambda lib, x: x.count_nonzero(), [_ties(3, 4)]),
    "count_nonzero dim": (lambda lib, x: lib.count_nonzero(x, dim=(0, 2)), [_ties(2, 3, 2)]),
    "nonzero": (lambda lib, x: x.nonzero(), [_ties(3, 4)]),
    "nonzero tuple": (lambda lib, x: x.nonzero(as_tuple=True), [_ties(3, 4)]),
    "diff": (lambda lib, x: x.diff(), [_normal(3, 5)]),
    "diff twice": (lambda lib, x: lib.diff(x, n=2, dim=0), [_normal(4, 3)]),
    "diff beyond": (lambda lib, x: x.diff(7), [_normal(2, 4)]),
    "diff joined": (
        lambda lib, x, p, a: x.diff(2, 1, prepend=p, append=a),
        [_normal(3, 4), _normal(3, 1), _normal(3, 2)],
    ),
    "std_mean": (lambda lib, x: lib.std_mean(x, 1), [_normal(3, 4)]),
    "std_mean keywords": (
        lambda lib, x: lib.std_mean(x, dim=(0, 1), correction=0, keepdim=True),
        [_normal(3, 4)],
    ),
    "var_mean": (lambda lib, x: lib.var_mean(x), [_normal(3, 4)]),
    "var_mean unbiased": (lambda lib, x: lib.var_mean(x, 0, False, True), [_normal(3, 4)]),
    "var_mean unbiased only": (lambda lib, x: lib.var_mean(x, False), [_normal(3, 4)]),
}


class _Lib:
    """tinygrad_ed as the cases call it: its module, and for a method torch has no function
    form of (``new_zeros``, ``view_as``, …) the method."""

    def __getattr__(self, name: str) -> Any:
        if hasattr(tg, name):
            return getattr(tg, name)
        return lambda x, *args, **kwargs: getattr(x, name)(*args, **kwargs)


OURS = _Lib()


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple) else [result]


def _run(lib: Any, call: Call, arrays: list[np.ndarray], make: Callable[..., Any]) -> Any:
    inputs = [make(a) for a in arrays]
    return inputs, _outputs(call(lib, *inputs))


def _loss(outs: list[Any], weights: list[np.ndarray], to: Callable[[np.ndarray], Any]) -> Any:
    """Σ (out · weight) over the outputs that require grad, each weight in its output's dtype
    (so that the adjoint reaching an output is of its dtype in both libraries)."""
    total = None
    with np.errstate(over="ignore"):  # nan_to_num's 1.8e308 times a weight
        for out, w in zip(outs, weights):
            if out.requires_grad:
                term = (out * to(w).to(out.dtype)).sum()
                total = term if total is None else total + term
    return total


def _draw_case(name: str, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed + sum(map(ord, name)))
    return [draw(rng) for draw in CASES[name][1]]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # addmm's ∞·0, as torch: nan
def test_values_and_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    call, _ = CASES[name]
    for seed in range(2):
        arrays = _draw_case(name, seed)
        xs, outs = _run(OURS, call, arrays, lambda a: t64(a, grad=True))
        txs, touts = _run(torch, call, arrays, lambda a: torch.tensor(a, requires_grad=True))
        assert len(outs) == len(touts), name
        weights = [np.random.default_rng(seed).standard_normal(o.shape) for o in outs]
        for out, tout in zip(outs, touts):
            assert str(tout.dtype) == f"torch.{out.dtype}", name
            assert out.shape == tuple(tout.shape), name
            assert out.requires_grad == tout.requires_grad, name
            np.testing.assert_allclose(
                out.data, tout.detach().numpy(), rtol=1e-13, atol=1e-300, err_msg=name
            )
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
                x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=name
            )


@pytest.mark.parametrize("name", CASES)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 1e200 overflows float32
def test_float32_stays_float32_as_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    call, _ = CASES[name]
    arrays = [a.astype(np.float32) for a in _draw_case(name, 7)]
    xs, outs = _run(OURS, call, arrays, lambda a: tg.tensor(a, requires_grad=True))
    txs, touts = _run(torch, call, arrays, lambda a: torch.tensor(a, requires_grad=True))
    for out, tout in zip(outs, touts):
        assert str(tout.dtype) == f"torch.{out.dtype}", name
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=3e-6, atol=1e-6)
    weights = [np.ones(o.shape, dtype=np.float32) for o in outs]
    loss, tloss = _loss(outs, weights, tg.tensor), _loss(touts, weights, torch.tensor)
    if tloss is None:
        return
    loss.backward()
    tloss.backward()
    for x, tx in zip(xs, txs):
        if tx.grad is not None:
            assert x.grad is not None and x.grad.dtype == np.float32, name
            np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- gradchecks

# The differentiable cases, gradchecked and gradgradchecked in float64, away from kinks and
# ties (cases on tied values, where the derivative does not exist, are left out).
SMOOTH = [
    name
    for name in CASES
    if not any(
        part in name
        for part in (
            "isnan",
            "argsort",
            "count_nonzero",
            "nonzero",
            "aminmax",
            "median",  # ties share the gradient: checked exactly below
            "clamp",
            "beta 0",
            "alpha 0",
            "large",
            "nan",
            "type_as",
            "special",
        )
    )
]


@pytest.mark.parametrize("name", SMOOTH)
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
        ("clamp_min tensor", lambda x, m: x.clamp_min(m), [_normal(3, 4), _normal(4)]),
        ("clamp_max tensor", lambda x, m: x.clamp_max(m), [_normal(3, 4), _normal(3, 1)]),
        ("clamp numbers", lambda x: x.clamp_min(-0.5) * x.clamp_max(0.5), [_normal(3, 4)]),
        ("median dim", lambda x: x.median(1).values, [_normal(3, 5)]),
        ("median", lambda x: x.median(), [_normal(3, 4)]),
        ("nanmedian dim", lambda x: x.nanmedian(0).values, [_normal(4, 3)]),
        ("aminmax", lambda x: x.aminmax(dim=1).max * x.aminmax().min, [_normal(3, 4)]),
        ("nan_to_num", lambda x: x.nan_to_num() * x, [_normal(3, 4)]),
        ("type_as", lambda x: x.type_as(t64(0.0)) * x, [_normal(3)]),
        ("nansum", lambda x: x.nansum(1), [_with_nan(3, 4)]),
        ("nanmean", lambda x: x.nanmean(0), [_with_nan(3, 4)]),
    ],
)
def test_gradcheck_away_from_kinks(name: str, fn: Call, inputs: list[Draw]) -> None:
    arrays = [draw(RNG) for draw in inputs]
    assert gradcheck(fn, arrays)
    assert gradgradcheck(fn, arrays, atol=1e-5, rtol=1e-4)


# ----------------------------------------------------------------------------- numpy references


def test_values_match_numpy_without_torch() -> None:
    a = RNG.standard_normal((3, 4))
    b = RNG.standard_normal((2, 3, 4))
    x, y = t64(a), t64(b)
    checks: list[tuple[Any, Any]] = [
        (x.reciprocal(), 1 / a),
        (t64(np.abs(a)).rsqrt(), 1 / np.sqrt(np.abs(a))),
        (x.logaddexp(t64(a.T[:3, :1])), np.logaddexp(a, a.T[:3, :1])),
        (x.atan2(t64(a[::-1])), np.arctan2(a, a[::-1])),
        (x.hypot(t64(a[0])), np.hypot(a, a[0])),
        (y.tril(1), np.tril(b, 1)),
        (y.triu(-1), np.triu(b, -1)),
        (y.diagonal(1, 2, 1), np.diagonal(b, 1, 2, 1)),
        (x.diag(2), np.diag(a, 2)),
        (x[0].diag(-1), np.diag(a[0], -1)),
        (x.trace(), np.trace(a)),
        (y.movedim((2, 0), (0, 1)), np.moveaxis(b, (2, 0), (0, 1))),
        (x.kron(y), np.kron(a, b)),
        (x[0].outer(x[1]), np.outer(a[0], a[1])),
        (y.bmm(t64(b.transpose(0, 2, 1))), b @ b.transpose(0, 2, 1)),
        (y.diff(2, 1), np.diff(b, 2, 1)),
        (x.argsort(0, descending=True), np.argsort(-a, 0, kind="stable")),
        (x.median(), np.sort(a.ravel())[5]),
        (x.median(1).values, np.sort(a, 1)[:, 1]),
        (x.lerp(t64(a[::-1]), 0.25), a + 0.25 * (a[::-1] - a)),
        (x.nonzero(), np.argwhere(a)),
        (x.isclose(x + 1e-9), np.isclose(a, a + 1e-9)),
    ]
    for ours, expected in checks:
        np.testing.assert_allclose(ours.data, expected, rtol=1e-14, atol=1e-15)
    with_nan = np.where(a > 1.0, nan, a)
    np.testing.assert_allclose(t64(with_nan).nansum(1).data, np.nansum(with_nan, 1), rtol=1e-14)
    np.testing.assert_allclose(t64(with_nan).nanmean(0).data, np.nanmean(with_nan, 0), rtol=1e-14)
    var, mean = var_mean(x, 1, correction=0)
    np.testing.assert_allclose(var.data, a.var(1), rtol=1e-14)
    std, mean = std_mean(x, keepdim=True, dim=(0, 1))
    np.testing.assert_allclose(std.data, a.std(ddof=1, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(mean.data, a.mean(keepdims=True), rtol=1e-14)


def test_log2_and_log10_are_exact_at_powers() -> None:
    """ln x / ln 2 would miss log₂ 8 = 3 (by an ulp at about a sixth of the powers of 2)."""
    k2, k10 = np.arange(-1000.0, 1000.0), np.arange(-300.0, 300.0)
    assert (t64(2.0**k2).log2().data == k2).all()
    assert (t64(10.0**k10).log10().data == k10).all()
    assert tg.tensor([8], dtype=np.int32).log2().tolist() == [3.0]
    assert tg.tensor([8]).log2().dtype == np.float32


def test_elementwise_special_values() -> None:
    x = t64([-inf, inf, 0.0, 1e308, inf, -inf, 3.0], grad=True)
    y = t64([-inf, inf, 0.0, -1e308, 1.0, 2.0, 3.0], grad=True)
    out = x.logaddexp(y)
    with np.errstate(invalid="ignore"):  # σ(∞ − ∞) = nan, as torch
        out.sum().backward()
    np.testing.assert_array_equal(
        out.data, [-inf, inf, math.log(2), 1e308, inf, 2.0, 3.0 + math.log(2)]
    )
    assert x.grad is not None and y.grad is not None
    np.testing.assert_array_equal(x.grad.data, [nan, nan, 0.5, 1.0, 1.0, 0.0, 0.5])
    np.testing.assert_array_equal(y.grad.data, [nan, nan, 0.5, 0.0, 0.0, 1.0, 0.5])
    # atan2 at the origin (and where x² + y² underflows): value 0 or ±π, adjoints 0, as torch
    y, x = t64([0.0, 0.0, 1e-200, 1.0], grad=True), t64([0.0, -0.0, 1e-200, 0.0], grad=True)
    out = y.atan2(x)
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, math.pi, math.pi / 4, math.pi / 2])
    assert x.grad is not None and y.grad is not None
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0, -1.0])
    # hypot: stable at 1e200, nan adjoints at the origin, as torch
    x, y = t64([0.0, 3.0, 1e200, inf], grad=True), t64([0.0, 4.0, 1e200, 1.0], grad=True)
    out = x.hypot(y)
    with np.errstate(invalid="ignore"):
        out.sum().backward()
    np.testing.assert_allclose(out.data, [0.0, 5.0, math.sqrt(2) * 1e200, inf], rtol=1e-15)
    assert x.grad is not None and y.grad is not None
    np.testing.assert_allclose(x.grad.data, [nan, 0.6, math.sqrt(0.5), nan], rtol=1e-15)
    np.testing.assert_allclose(y.grad.data, [nan, 0.8, math.sqrt(0.5), 0.0], rtol=1e-15)
    # reciprocal and rsqrt at 0: ±∞ with x̄ = −∞, as torch
    x = t64([0.0, 4.0], grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x.rsqrt() + x.reciprocal()
        out.sum().backward()
    assert out.tolist() == [inf, 0.75] and x.grad is not None
    assert x.grad.tolist() == [-inf, -1 / 16 - 1 / 16]


def test_lerp_is_exact_at_its_ends_and_differentiates_the_weight() -> None:
    s, e = tg.tensor([1e8, 1.0]), tg.tensor([1.0, 3.0])
    assert s.lerp(e, 1.0).tolist() == [1.0, 3.0]  # s + 1·(e − s) would round 1e8 − 1e8 + 1
    assert s.lerp(e, tg.tensor([1.0, 0.0])).tolist() == [1.0, 1.0]
    s, e, w = t64([1.0, 2.0], grad=True), t64([3.0, -1.0], grad=True), t64([0.25, 0.75], True)
    s.lerp(e, w).sum().backward()
    assert s.grad is not None and e.grad is not None and w.grad is not None
    assert s.grad.tolist() == [0.75, 0.25] and e.grad.tolist() == [0.25, 0.75]
    assert w.grad.tolist() == [2.0, -3.0]


def test_clamp_with_tensor_bounds_follows_torch_at_ties_and_nan() -> None:
    x = t64([1.0, 2.0, nan, 3.0], grad=True)
    m = t64([2.0, 2.0, 0.0, nan], grad=True)
    out = x.clamp_min(m)
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [2.0, 2.0, nan, nan])
    assert x.grad is not None and m.grad is not None
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0] and m.grad.tolist() == [1.0, 0.0, 0.0, 0.0]
    x, m = t64([1.0, 2.0, 3.0], grad=True), t64([2.0, 2.0, 2.0], grad=True)
    x.clamp_max(m).sum().backward()
    assert x.grad is not None and m.grad is not None
    assert x.grad.tolist() == [1.0, 1.0, 0.0] and m.grad.tolist() == [0.0, 0.0, 1.0]
    assert tg.tensor([1, 2]).clamp_min(tg.tensor(1.5)).tolist() == [1.5, 2.0]
    assert tg.tensor([1, 2]).clamp_max(t64([1.5, 1.5])).dtype == np.float64
    assert tg.tensor([True]).clamp_min(0).dtype == np.int64


def test_nan_to_num_gradient_is_zero_where_replaced() -> None:
    x = tg.tensor([nan, inf, -inf, 1.0], requires_grad=True)
    out = x.nan_to_num()
    out.backward(tg.tensor([1.0, 2.0, 3.0, 4.0]))
    big = float(np.finfo(np.float32).max)
    assert out.tolist() == [0.0, big, -big, 1.0] and out.dtype == np.float32
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0, 0.0, 4.0]
    assert tg.tensor([1, 2]).nan_to_num(nan=1.5).tolist() == [1, 2]
    assert tg.tensor([inf]).nan_to_num(posinf=1e300).tolist() == [inf]  # 1e300 overflows float32


def test_median_shares_ties_and_points_at_its_index() -> None:
    x = t64([[3.0, 1.0, 2.0, 2.0], [5.0, 5.0, 5.0, 1.0]], grad=True)
    m = x.median()
    m.backward()
    assert m.item() == 2.0 and x.grad is not None
    assert x.grad.tolist() == [[0.0, 0.0, 0.5, 0.5], [0.0, 0.0, 0.0, 0.0]]
    x.grad = None
    values, indices = x.median(1)
    values.sum().backward()
    assert values.tolist() == [2.0, 5.0] and indices.tolist() == [2, 0]
    assert x.grad.tolist() == [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    # the position of the value in a stable sort: torch's index in every case checked
    for row, index in (([2.0, 1.0, 2.0, 2.0, 3.0], 2), ([2.0] * 4, 1), ([1.0, 2.0, 1.0, 2.0], 2)):
        assert t64(row).median(0).indices.item() == index
    y = t64([2.0, nan, nan, 1.0], grad=True)
    y.median().backward()  # nan: shared by the nan entries, as torch
    assert y.grad is not None and y.grad.tolist() == [0.0, 0.5, 0.5, 0.0]
    assert math.isnan(tg.zeros(0).median().item()) and tg.tensor([3, 1, 2]).median().item() == 2
    assert tg.tensor(2.0).median(0).indices.item() == 0
    assert t64([[nan, nan]]).nanmedian(1).indices.tolist() == [0]


def test_shape_methods_are_views_where_torch_gives_views() -> None:
    x = tg.arange(12.0).reshape(3, 4)
    views = (x.narrow(1, 1, 2), x.unbind(1)[0], x.movedim(0, 1), x.swapaxes(0, 1), x.diagonal())
    for view in views:
        assert np.may_share_memory(view.data, x.data)
    for fresh in (x.tril(), x.diag(), x.diff(), x.nan_to_num(), x.clamp_min(x)):
        assert not np.may_share_memory(fresh.data, x.data)


def test_diagonal_is_a_view_that_writes_reach() -> None:
    """torch's idiom for A + λI in place, and the version count a view shares with its base."""
    a = tg.zeros(3, 3)
    a.diagonal().add_(2.0)
    assert a.tolist() == [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]]
    b = tg.zeros(2, 3, 4)
    b.diagonal(1, 0, 2).fill_(1.0)  # entries (i, j, i + 1)
    assert b.sum().item() == 6.0 and b[1, :, 2].tolist() == [1.0, 1.0, 1.0]
    w = tg.ones(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        w.diagonal().zero_()  # torch refuses a view of a leaf that requires grad too
    with tg.no_grad():
        w.diagonal().zero_()
    assert w.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    x = t64([[1.0, 2.0], [3.0, 4.0]], grad=True)
    y = x * 1.0
    loss = (y.sin() * y.diagonal().sum()).sum()  # sin's rule reads y: a change via the view counts
    with tg.no_grad():
        y.diagonal().mul_(2.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    expanded = tg.ones(2, 1).expand(2, 2)  # memory numpy holds read-only stays read-only
    assert not expanded.diagonal().data.flags.writeable


def test_new_tensors_take_this_dtype() -> None:
    h = t64([1.0, 2.0])
    assert h.new_zeros(2, 3).shape == (2, 3) and h.new_zeros((2, 3)).dtype == np.float64
    assert h.new_ones(size=(2,)).tolist() == [1.0, 1.0] and h.new_empty(4).shape == (4,)
    assert h.new_zeros([2], dtype=np.int32).dtype == np.int32 and h.new_zeros(()).shape == ()
    assert h.new_full((2,), 3).tolist() == [3.0, 3.0] and h.new_full((1,), 3).dtype == np.float64
    assert h.new_full((2,), 3.5, dtype=np.int64).tolist() == [3, 3]
    assert h.new_full((2,), t64(2.5)).tolist() == [2.5, 2.5]
    assert h.new_ones(2, requires_grad=True).requires_grad
    assert h.new_tensor([1, 2]).dtype == np.float64 and h.new_tensor(3).shape == ()
    assert tg.tensor([1, 2]).new_tensor([1.5]).tolist() == [1]  # torch truncates too
    with pytest.warns(UserWarning, match=r"detach\(\)\.clone\(\)"):
        copy = h.new_tensor(t64([1.0], grad=True))
    assert not copy.requires_grad and copy.is_leaf
    assert h.element_size() == 8 and tg.tensor([True]).element_size() == 1
    assert tg.tensor([1.0]).element_size() == 4 and tg.tensor([1]).half().element_size() == 2
    assert tg.tensor([1, 2]).type_as(h).dtype == np.float64 and h.type_as(h) is h


def test_comparisons_return_bools_without_grad() -> None:
    x = t64([1.0, nan, inf, -inf, inf, 1e-9, 1.0], grad=True)
    y = t64([1.0 + 1e-6, nan, inf, -inf, -inf, 0.0, 1.00002])
    assert x.isclose(y).tolist() == [True, False, True, True, False, True, False]
    assert x.isclose(y, equal_nan=True).tolist()[1]
    assert x.isclose(y, rtol=0, atol=0).tolist() == [False, False, True, True] + [False] * 3
    assert not x.isclose(y).requires_grad and not x.isnan().requires_grad
    assert not x.allclose(y) and x[:1].allclose(y[:1]) and type(x.allclose(x)) is bool
    assert tg.tensor([True, False]).isclose(tg.tensor([False, False]), atol=1).tolist() == [
        True,
        True,
    ]
    assert tg.tensor([1, 2]).isnan().tolist() == [False, False]
    assert tg.tensor([1, 2]).isfinite().tolist() == [True, True]
    assert tg.ones(2).equal(t64([1.0, 1.0])) and not tg.ones(2).equal(tg.ones(2, 1))
    assert not t64([nan]).equal(t64([nan])) and tg.zeros(0).equal(tg.zeros(0, dtype=np.int64))
    assert tg.tensor(0.0).nonzero().shape == (0, 0) and tg.tensor(2.0).nonzero().shape == (1, 0)
    assert [t.tolist() for t in tg.tensor(2.0).nonzero(as_tuple=True)] == [[0]]
    assert tg.tensor(3.0).count_nonzero(0).item() == 1
    assert tg.tensor([[0.0, nan]]).count_nonzero(()).item() == 1


def test_edge_shapes() -> None:
    assert tg.zeros(0, 3).unbind() == () and len(tg.zeros(2, 0).unbind()) == 2
    assert tg.zeros(0).diag().shape == (0, 0) and tg.zeros(0, 3).trace().item() == 0.0
    assert tg.zeros(2, 0).mm(tg.zeros(0, 3)).tolist() == [[0.0] * 3] * 2
    assert tg.ones(2).outer(tg.zeros(0)).shape == (2, 0) and tg.zeros(0).dot(tg.zeros(0)) == 0
    assert tg.zeros(0, 3).aminmax(dim=1).min.shape == (0,)
    assert tg.tensor(2.0).aminmax(dim=0, keepdim=True).max.shape == ()
    assert tg.ones(2, 3).aminmax(keepdim=True).min.shape == (1, 1)
    assert tg.tensor(2.0).kron(tg.tensor(3.0)).item() == 6.0
    assert tg.tensor(1.0).movedim(0, 0).shape == () and tg.tensor([1.0]).diff(3).shape == (0,)
    assert tg.tensor([True, False, False, True]).diff().tolist() == [True, False, True]
    assert tg.tensor([1, 4, 2], dtype=np.uint8).diff().tolist() == [3, 254]
    assert tg.tensor([1, 4, 2]).diff(prepend=tg.tensor([1.5])).dtype == np.float32
    assert math.isnan(tg.zeros(0).nanmean().item())
    assert tg.tensor([1, 2]).nansum().dtype == np.int64 and tg.tensor(2.0).argsort().item() == 0


# ----------------------------------------------------------------------------- hypothesis

BINARY: dict[str, Call] = {
    "logaddexp": lambda lib, x, y: x.logaddexp(y),
    "atan2": lambda lib, x, y: x.atan2(y),
    "hypot": lambda lib, x, y: x.hypot(y),
    "lerp": lambda lib, x, y: x.lerp(y, 0.75),
    "clamp_min": lambda lib, x, y: x.clamp_min(y),
    "clamp_max": lambda lib, x, y: x.clamp_max(y),
    "isclose": lambda lib, x, y: x.isclose(y, rtol=0.1, atol=0.1),
}
_SPECIAL_VALUES = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5, 1e-300, -1e300, inf, -inf, nan])
_VALUES = st.one_of(st.floats(-3, 3), _SPECIAL_VALUES)


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data())
def test_binary_methods_broadcast_and_special_values_as_torch(
    name: str, data: st.DataObject
) -> None:
    torch = pytest.importorskip("torch")
    sx, sy = data.draw(broadcastable_shapes(2)).input_shapes
    a = data.draw(hnp.arrays(np.float64, sx, elements=_VALUES))
    b = data.draw(hnp.arrays(np.float64, sy, elements=_VALUES))
    call = BINARY[name]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        x, y = t64(a, grad=True), t64(b, grad=True)
        out = call(OURS, x, y)
        tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        tout = call(torch, tx, ty)
        assert str(tout.dtype) == f"torch.{out.dtype}" and out.shape == tuple(tout.shape)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-13, atol=0)
        if not tout.requires_grad:
            assert not out.requires_grad
            return
        g = np.ones(out.shape)
        out.backward(t64(g))
        tout.backward(torch.tensor(g))
    for ours, theirs in ((x.grad, tx.grad), (y.grad, ty.grad)):
        assert ours is not None and theirs is not None
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, atol=0)


# ----------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("reciprocal", lambda lib, x, y: x.reciprocal()),
        ("rsqrt", lambda lib, x, y: x.rsqrt()),
        ("log2", lambda lib, x, y: x.log2()),
        ("logaddexp", lambda lib, x, y: x.logaddexp(y)),
        ("atan2", lambda lib, x, y: x.atan2(y)),
        ("hypot", lambda lib, x, y: x.hypot(y)),
        ("clamp_min", lambda lib, x, y: x.clamp_min(1)),
        ("nan_to_num", lambda lib, x, y: x.nan_to_num()),
        ("dot", lambda lib, x, y: x.dot(y)),
        ("outer", lambda lib, x, y: x.outer(y)),
        ("kron", lambda lib, x, y: x.kron(y)),
        ("trace", lambda lib, x, y: x.outer(y).trace()),
        ("tril", lambda lib, x, y: x.outer(y).tril()),
        ("diag", lambda lib, x, y: x.diag()),
        ("median", lambda lib, x, y: x.median()),
        ("nansum", lambda lib, x, y: x.nansum()),
        ("nanmean", lambda lib, x, y: x.nanmean()),
        ("count_nonzero", lambda lib, x, y: x.count_nonzero()),
        ("diff", lambda lib, x, y: x.diff()),
        ("aminmax", lambda lib, x, y: x.aminmax().max),
        ("argsort", lambda lib, x, y: x.argsort(stable=True)),
        ("isclose", lambda lib, x, y: x.isclose(y)),
    ],
)
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "bool", "float32", "float64"])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 1/0 and log 0, as torch: inf
def test_result_dtypes_match_torch(name: str, call: Call, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    data = [0, 2, 3] if dtype != "bool" else [True, False, True]
    other = [1, 2, 0] if dtype != "bool" else [False, False, True]
    ours_error = theirs_error = None
    try:
        ours = call(OURS, tg.tensor(data, dtype=dtype), tg.tensor(other, dtype=dtype))
    except (TypeError, RuntimeError) as e:
        ours_error = e
    try:
        tt = getattr(torch, dtype)
        theirs = call(torch, torch.tensor(data, dtype=tt), torch.tensor(other, dtype=tt))
    except (TypeError, RuntimeError) as e:  # NotImplementedError is a RuntimeError
        theirs_error = e
    assert (ours_error is None) == (theirs_error is None), (ours_error, theirs_error)
    if ours_error is None:
        assert str(theirs.dtype) == f"torch.{ours.dtype}"
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=2e-7)


def test_mixed_dtypes_promote_as_torch() -> None:
    f32, f64, i64 = tg.tensor([1.0, 2.0]), t64([1.0, 2.0]), tg.tensor([1, 2])
    assert f32.atan2(f64).dtype == np.float64 and i64.atan2(i64).dtype == np.float32
    assert i64.atan2(t64(1.5)).dtype == np.float64 and f32.atan2(t64(1.5)).dtype == np.float32
    assert i64.logaddexp(f32).dtype == np.float32 and f32.hypot(i64).dtype == np.float32
    assert f32.outer(f64).dtype == np.float64 and f32.outer(i64).dtype == np.float32
    assert f32.lerp(f32, t64(0.5)).dtype == np.float32 and f32.kron(i64).dtype == np.float32
    assert f32.diff(prepend=t64([0.0])).dtype == np.float64


# ----------------------------------------------------------------------------- errors

V, M = t64([1.0, 2.0]), t64(np.ones((2, 2)))
ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: V.logaddexp(1.0), TypeError, r"logaddexp\(\): argument 'other' .* not float"),
    (lambda: tg.tensor([1]).logaddexp(tg.tensor([1])), TypeError, r"logaddexp\(\): not impl"),
    (lambda: tg.tensor([1]).hypot(tg.tensor([1])), TypeError, r"hypot\(\): not implemented"),
    (lambda: V.atan2(t64([1.0, 2.0, 3.0])), ValueError, r"atan2\(\): .*\(2,\), \(3,\)"),
    (lambda: V.lerp(2.0, 0.5), TypeError, r"lerp\(\): argument 'end' must be Tensor"),
    (lambda: V.lerp(tg.tensor([1.0, 1.0]), 0.5), RuntimeError, r"lerp\(\): expected dtype f"),
    (lambda: V.lerp(V, tg.tensor([0.5, 0.5])), RuntimeError, r"for weight, but got dtype f"),
    (lambda: V.lerp(V, None), TypeError, r"lerp\(\): weight must be a number or a Tensor"),
    (lambda: V.lerp(t64([1.0, 2.0, 3.0]), 0.5), RuntimeError, r"lerp\(\): shapes \(2,\) and"),
    (lambda: tg.tensor([1]).lerp(tg.tensor([1]), 0.5), TypeError, r"lerp\(\): expected a flo"),
    (lambda: V.clamp_min(None), TypeError, r"clamp_min\(\): min must be a number or a Tensor"),
    (lambda: V.clamp_max("1"), TypeError, r"clamp_max\(\): max must be a number"),
    (lambda: V.nan_to_num(nan="0"), TypeError, r"nan_to_num\(\): nan must be a number"),
    (lambda: V.dot(M), RuntimeError, r"dot\(\): 1D tensors expected, but got 1D and 2D"),
    (lambda: V.dot(t64([1.0, 2.0, 3.0])), RuntimeError, r"dot\(\): inconsistent tensor size"),
    (lambda: V.dot(tg.tensor([1.0, 2.0])), RuntimeError, r"dot\(\): .* float64 and float32"),
    (lambda: V.dot([1.0, 2.0]), TypeError, r"dot\(\): argument 'tensor' must be Tensor"),
    (lambda: tg.tensor([True]).dot(tg.tensor([True])), TypeError, r"dot\(\): not impl.* bool"),
    (lambda: M.mv(M), RuntimeError, r"mv\(\): expected a matrix and a vector, .*\(2, 2\)"),
    (lambda: M.mv(t64([1.0, 2.0, 3.0])), RuntimeError, r"mv\(\): size mismatch"),
    (lambda: M.mm(V), RuntimeError, r"mm\(\): mat2 must be a matrix, .* \(2,\)"),
    (lambda: V.mm(M), RuntimeError, r"mm\(\): self must be a matrix"),
    (lambda: M.mm(t64(np.ones((3, 2)))), RuntimeError, r"cannot be multiplied \(2x2 and 3x2\)"),
    (lambda: M.mm(M.float()), RuntimeError, r"mm\(\): expected both operands .* same dtype"),
    (lambda: M.bmm(M), RuntimeError, r"bmm\(\): both operands must be 3-D"),
    (
        lambda: t64(np.ones((2, 2, 3))).bmm(t64(np.ones((1, 3, 4)))),
        RuntimeError,
        r"bmm\(\): expected mat2 of shape \(2, 3, ·\)",
    ),
    (lambda: t64(np.ones((3, 3))).addmm(M, M), RuntimeError, r"addmm\(\): the input of shape"),
    (lambda: M.addmm(V, M), RuntimeError, r"addmm\(\): mat1 must be a matrix"),
    (
        lambda: tg.ones(2, 2, dtype=np.int64).addmm(
            tg.ones(2, 2, dtype=np.int64), tg.ones(2, 2, dtype=np.int64), beta=0.5
        ),
        TypeError,
        r"addmm\(\): for int64 tensors beta and alpha must be integers",
    ),
    (lambda: V.outer(M), RuntimeError, r"outer\(\): expected 1-D argument vec2, but got 2-D"),
    (lambda: t64(1.0).outer(V), RuntimeError, r"outer\(\): expected 1-D argument self"),
    (lambda: V.kron(2.0), TypeError, r"kron\(\): argument 'other' must be Tensor"),
    (lambda: V.trace(), RuntimeError, r"trace\(\): expected a matrix, .* \(2,\)"),
    (lambda: V.tril(), RuntimeError, r"tril\(\): input tensor must have at least 2 dim"),
    (lambda: M.triu(1.5), TypeError, r"triu\(\): diagonal must be an int, got 1\.5"),
    (lambda: M.tril(True), TypeError, r"tril\(\): diagonal must be an int, got True"),
    (lambda: t64(np.ones((2, 2, 2))).diag(), RuntimeError, r"diag\(\): supports 1-D or 2-D"),
    (lambda: M.diagonal(0, 1, -1), RuntimeError, r"cannot be identical 1, -1 \(shape \(2, 2\)"),
    (lambda: M.diagonal(0, 0, 2), IndexError, r"diagonal\(\): dim 2 is out of range"),
    (lambda: V.diagonal(), IndexError, r"diagonal\(\): dim 1 is out of range"),
    (lambda: t64(1.0).unbind(), IndexError, r"unbind\(\): dimension specified as 0 but"),
    (lambda: M.unbind(2), IndexError, r"unbind\(\): dim 2 is out of range"),
    (lambda: M.narrow(1, 3, 0), IndexError, r"narrow\(\): start out of range .*\[-2, 2\]"),
    (lambda: M.narrow(1, 1, 2), RuntimeError, r"start \(1\) \+ length \(2\) exceeds dimen"),
    (lambda: M.narrow(1, 0, -1), RuntimeError, r"narrow\(\): length must be non-negative"),
    (lambda: M.narrow(1, tg.tensor([1]), 1), RuntimeError, r"0-dim integral tensor"),
    (lambda: M.narrow(1, 1.0, 1), TypeError, r"narrow\(\): start must be an int"),
    (lambda: t64(1.0).narrow(0, 0, 1), RuntimeError, r"narrow\(\): cannot be applied to a 0-"),
    (lambda: M.movedim((0, 1), (1,)), RuntimeError, r"movedim\(\): source \[0, 1\] \(2 dims\)"),
    (lambda: M.movedim((0, 0), (0, 1)), RuntimeError, r"movedim\(\): repeated dim in source"),
    (lambda: M.movedim(0, 2), IndexError, r"movedim\(\): dim 2 is out of range"),
    (lambda: M.swapaxes(0, 2), IndexError, r"swapaxes\(\): dim 2 is out of range"),
    (lambda: V.view_as(M), RuntimeError, r"view_as\(\): cannot give a tensor of shape \(2,\)"),
    (lambda: V.reshape_as((1, 2)), TypeError, r"reshape_as\(\): argument 'other' must be Te"),
    (lambda: V.type_as(np.float32), TypeError, r"type_as\(\): argument 'other' must be Tens"),
    (lambda: V.new_zeros(-1), RuntimeError, r"new_zeros\(\): negative dimension"),
    (lambda: V.new_ones(2, device="cuda"), RuntimeError, r"new_ones.* no device 'cuda'"),
    (lambda: tg.tensor([1]).new_zeros(2, requires_grad=True), TypeError, r"only floating"),
    (lambda: V.argsort(1), IndexError, r"argsort\(\): dim 1 is out of range"),
    (lambda: V.argsort(descending=1), TypeError, r"argsort\(\): descending and stable must"),
    (lambda: tg.zeros(0).aminmax(), RuntimeError, r"aminmax\(\): cannot compute aminmax of"),
    (lambda: tg.zeros(0, 3).aminmax(dim=0), IndexError, r"expected reduction dim 0 to have"),
    (lambda: M.aminmax(dim=(0, 1)), TypeError, r"aminmax\(\): dim must be an int"),
    (lambda: M.median(keepdim=True), TypeError, r"median\(\): keepdim=True needs a dim"),
    (lambda: tg.zeros(0, 3).median(0), IndexError, r"median\(\): expected reduction dim 0"),
    (lambda: tg.tensor([True]).median(), TypeError, r"median\(\): not implemented for bool"),
    (lambda: tg.zeros(0, dtype=np.int64).median(), RuntimeError, r"median\(\): an empty int64"),
    (lambda: tg.tensor([1, 2]).nanmean(), TypeError, r"nanmean\(\): expected a floating"),
    (lambda: M.count_nonzero((0, 0)), ValueError, r"count_nonzero\(\): dim \(0, 0\) names"),
    (lambda: t64(1.0).diff(), RuntimeError, r"diff\(\): expects input to be at least one-dim"),
    (lambda: M.diff(-1), RuntimeError, r"diff\(\): order must be non-negative but got -1"),
    (lambda: M.diff(prepend=V), RuntimeError, r"diff\(\): prepend of shape \(2,\) must match"),
    (lambda: M.diff(append=1.0), TypeError, r"diff\(\): argument 'append' must be Tensor"),
    (lambda: V.isclose(1.0), TypeError, r"isclose\(\): argument 'other' must be Tensor"),
    (lambda: V.isclose(V.float()), RuntimeError, r"isclose\(\): the operands must have the sa"),
    (lambda: V.isclose(V, rtol=-1), RuntimeError, r"rtol and atol must be >= 0"),
    (lambda: V.allclose(t64([1.0, 2.0, 3.0])), RuntimeError, r"allclose\(\): shapes \(2,\)"),
    (lambda: V.equal(1.0), TypeError, r"equal\(\): argument 'other' must be Tensor"),
    (lambda: var_mean(tg.tensor([1, 2])), TypeError, r"var_mean\(\): expected a floating"),
    (lambda: std_mean(V, True, unbiased=False), TypeError, r"std_mean\(\): unbiased given tw"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_name_the_op_and_the_shapes(index: int) -> None:
    call, kind, message = ERRORS[index]
    with pytest.raises(kind, match=message):
        call()
