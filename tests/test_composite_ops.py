"""Composite ops (products and scans, rounding, all/any, flip/roll/repeat/split, masked_fill,
index_select, sort, topk, the activations) and the special points of the primitives they use
(sin, cos, log1p, expm1, erf, cumsum, prod).

The primitives (sin, cos, log1p, expm1, erf, cumsum, prod) are gradchecked by the generated
tests of ``test_ops.py``; here erf's accuracy and prod at zeros are checked too. Every composite
is checked against a numpy reference, by gradcheck in float64 and, when torch is installed,
against torch 2.13 on random inputs: values, gradients and dtypes, with ties for sort and topk,
zeros for prod and cumprod, and the kinks of the activations.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.tensor import Tensor

_erf = np.vectorize(math.erf)


def t64(a: Any, grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _sum_pieces(pieces: tuple[Tensor, ...]) -> Tensor:
    """The pieces of a split, weighted differently, as one output (their gradients differ)."""
    total = pieces[0].sum() * 1.0
    for i, p in enumerate(pieces[1:], 2):
        total = total + p.sum() * float(i)
    return total


# ----------------------------------------------------------------------------- numpy references

RNG = np.random.default_rng(1234)
A = RNG.standard_normal((3, 4))
WITH_ZEROS = np.where(RNG.random((3, 4)) < 0.3, 0.0, A)
TIES = np.round(A * 2) / 2  # values on a grid of ½: many ties
MASK = RNG.random((3, 1)) < 0.5
INDEX = np.array([3, 0, 3, 1])


def _softplus(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    return np.where(x * beta > threshold, x, np.logaddexp(0.0, x * beta) / beta)


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def _topk(x: np.ndarray, k: int) -> np.ndarray:
    return -np.sort(-x, axis=-1, kind="stable")[..., :k]


# name → (ours, numpy's, input)
REFERENCES: dict[str, tuple[Callable[[Tensor], Any], Callable[[np.ndarray], Any], np.ndarray]] = {
    "sin": (lambda x: x.sin(), np.sin, A),
    "cos": (lambda x: x.cos(), np.cos, A),
    "log1p": (lambda x: x.log1p(), np.log1p, np.abs(A) * 1e-9 - 0.5),
    "expm1": (lambda x: x.expm1(), np.expm1, A * 1e-10),
    "erf": (lambda x: x.erf(), _erf, A * 3),
    "cumsum": (lambda x: x.cumsum(1), lambda a: np.cumsum(a, 1), A),
    "cumprod": (lambda x: x.cumprod(1), lambda a: np.cumprod(a, 1), WITH_ZEROS),
    "cumprod 0": (lambda x: x.cumprod(0), lambda a: np.cumprod(a, 0), A),
    "prod": (lambda x: x.prod(), np.prod, WITH_ZEROS),
    "prod dim": (lambda x: x.prod(0, keepdim=True), lambda a: np.prod(a, 0, keepdims=True), A),
    "sign": (lambda x: x.sign(), np.sign, TIES),
    "floor": (lambda x: x.floor(), np.floor, A * 3),
    "ceil": (lambda x: x.ceil(), np.ceil, A * 3),
    "trunc": (lambda x: x.trunc(), np.trunc, A * 3),
    "round": (lambda x: x.round(), np.round, TIES),  # halves to even
    "round decimals": (lambda x: x.round(decimals=2), lambda a: np.round(a, 2), A * 100),
    "all": (lambda x: x.all(1), lambda a: np.all(a, 1), TIES),
    "any": (lambda x: x.any(0, keepdim=True), lambda a: np.any(a, 0, keepdims=True), TIES),
    "flip": (lambda x: x.flip(0, 1), lambda a: np.flip(a, (0, 1)), A),
    "roll": (lambda x: x.roll((1, -5), (0, 1)), lambda a: np.roll(a, (1, -5), (0, 1)), A),
    "roll flat": (lambda x: x.roll(5), lambda a: np.roll(a, 5), A),
    "repeat": (lambda x: x.repeat(2, 1, 3), lambda a: np.tile(a, (2, 1, 3)), A),
    "tile": (lambda x: x.tile(2), lambda a: np.tile(a, 2), A),
    "split": (lambda x: x.split([1, 3], 1)[1], lambda a: a[:, 1:], A),
    "chunk": (lambda x: x.chunk(3, 1)[-1], lambda a: a[:, 2:], A),  # pieces of ⌈4/3⌉ = 2
    "masked_fill": (
        lambda x: x.masked_fill(tg.tensor(MASK), 2.5),
        lambda a: np.where(MASK, 2.5, a),
        A,
    ),
    "index_select": (lambda x: x.index_select(1, INDEX), lambda a: np.take(a, INDEX, 1), A),
    "sort": (lambda x: x.sort(0).values, lambda a: np.sort(a, 0, kind="stable"), TIES),
    "sort indices": (
        lambda x: x.sort(descending=True).indices,
        lambda a: np.argsort(-a, -1, kind="stable"),
        TIES,
    ),
    "topk": (lambda x: x.topk(3).values, lambda a: _topk(a, 3), TIES),
    "topk indices": (
        lambda x: x.topk(2, largest=False).indices,
        lambda a: np.argsort(a, -1, kind="stable")[:, :2],
        TIES,
    ),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda a: np.where(a > 0, a, 0.2 * a), A),
    "elu": (lambda x: F.elu(x, 0.7), lambda a: np.where(a > 0, a, 0.7 * np.expm1(a)), A * 3),
    "softplus": (lambda x: F.softplus(x, 2.0, 3.0), lambda a: _softplus(a, 2.0, 3.0), A * 3),
    "gelu": (lambda x: F.gelu(x), lambda a: 0.5 * a * (1 + _erf(a / np.sqrt(2))), A * 3),
    "gelu tanh": (lambda x: F.gelu(x, approximate="tanh"), _gelu_tanh, A * 3),
    "silu": (F.silu, lambda a: a / (1 + np.exp(-a)), A * 3),
    "logsigmoid": (F.logsigmoid, lambda a: -np.logaddexp(0.0, -a), A * 30),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 1.0), lambda a: np.clip(a, -0.5, 1.0), A),
}


@pytest.mark.parametrize("name", REFERENCES)
def test_values_match_numpy(name: str) -> None:
    ours, reference, a = REFERENCES[name]
    got = ours(t64(a))
    expected = reference(a)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got.data, expected, rtol=1e-13, atol=1e-300)


def test_erf_is_accurate_to_a_few_ulp_in_float64() -> None:
    x = np.concatenate(
        [np.linspace(-7, 7, 4001), np.geomspace(1e-300, 7, 400), -np.geomspace(1e-8, 7, 400)]
    )
    got = tg.erf(t64(x)).data
    expected = _erf(x)
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0)
    ends = tg.erf(t64([np.inf, -np.inf, np.nan, 0.0, -0.0, 30.0])).data
    np.testing.assert_array_equal(ends[:2], [1.0, -1.0])
    assert np.isnan(ends[2]) and ends[3] == 0 and ends[5] == 1.0
    assert math.copysign(1.0, ends[4]) == -1.0  # erf is odd: −0 stays −0
    x32 = tg.tensor([0.5, -2.0]).erf()
    assert x32.dtype == np.float32
    np.testing.assert_allclose(x32.data, _erf([0.5, -2.0]), rtol=1e-7)


def test_dtypes_follow_torch() -> None:
    ints, flags = tg.tensor([1, 2, 3], dtype=np.int32), tg.tensor([True, False, True])
    assert ints.sin().dtype == np.float32 and flags.expm1().dtype == np.float32
    assert ints.cumsum(0).dtype == np.int64 and flags.cumsum(0).dtype == np.int64
    assert ints.prod().dtype == np.int64 and flags.prod().item() == 0
    assert ints.cumprod(0).dtype == np.int64 and ints.cumprod(0).tolist() == [1, 2, 6]
    assert ints.cumsum(0, dtype=np.float64).dtype == np.float64
    assert ints.prod(dtype=np.float64).dtype == np.float64
    assert ints.floor().dtype == np.int32 and ints.round().tolist() == [1, 2, 3]
    assert flags.sign().dtype == np.bool_ and ints.sign().dtype == np.int32
    u8 = tg.tensor([1, 0], dtype=np.uint8)
    assert u8.all().dtype == np.uint8 and tg.tensor([1.0, 0.0]).any().dtype == np.bool_
    assert ints.masked_fill(tg.tensor([True, False, False]), 2.7).tolist() == [2, 2, 3]
    assert F.hardtanh(tg.tensor([-3, 0, 3])).tolist() == [-1, 0, 1]
    assert tg.tensor([1.0, 2.0]).sort().indices.dtype == np.int64


def test_edge_shapes_follow_torch() -> None:
    s = t64(3.0)
    assert s.cumsum(0).shape == () and s.cumprod(-1).item() == 3.0 and s.prod(0).item() == 3.0
    assert s.sort().values.item() == 3.0 and s.sort().indices.item() == 0
    assert s.topk(1).values.shape == () and s.flip(0).item() == 3.0 and s.roll(1).item() == 3.0
    assert s.repeat(2).tolist() == [3.0, 3.0] and s.index_select(0, [0]).shape == ()
    empty = tg.zeros(0, 2)
    assert len(empty.chunk(3)) == 3 and [p.shape for p in empty.split(0)] == [(0, 2)]
    # torch's argument names: the method's split_size, the function's split_size_or_sections
    x = tg.arange(6)
    assert [p.tolist() for p in x.split(split_size=4)] == [[0, 1, 2, 3], [4, 5]]
    assert len(tg.split(x, split_size_or_sections=[1, 5])) == 2
    assert tg.arange(6).chunk(4) and [p.tolist() for p in tg.arange(6).chunk(4)] == [
        [0, 1],
        [2, 3],
        [4, 5],
    ]
    assert tg.ones(2, 2).all(dim=()).shape == (2, 2)  # torch: () reduces nothing here
    assert tg.ones(2, 3).all(keepdim=True).shape == (1, 1)
    assert tg.zeros(2, 0).prod(1).tolist() == [1.0, 1.0]
    assert t64([1.0, 2.0]).topk(0).values.shape == (0,) and s.topk(0).values.shape == ()


def test_reductions_over_nothing_differentiate_twice_as_torch() -> None:
    """mean, var and logsumexp over an empty dim (nan, nan, -inf) were 0/0 or log 0 applied
    after the sum, so their rule scaled g by ∞ before spreading it over no elements: the second
    derivative with respect to g was 0·∞ = nan where torch's is 0 (found by gradgradcheck's
    audit against torch). The constant is now added: same values, an empty sum's gradient."""
    import warnings

    x = np.zeros((2, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # var's degrees of freedom ≤ 0
        for fn in (
            lambda t: t.mean(dim=1),
            lambda t: t.mean(),
            lambda t: t.var(dim=1),
            lambda t: t.logsumexp(dim=1),
        ):
            assert gradgradcheck(fn, [x])
        assert np.isnan(t64(x).mean(dim=1).data).all() and np.isnan(t64(x).var(dim=1).data).all()
    assert t64(x).logsumexp(dim=1).tolist() == [-np.inf, -np.inf]
    assert t64(np.zeros((0, 3))).mean(dim=1).shape == (0,)


def test_sign_of_nan_and_zero_is_zero_as_torch() -> None:
    out = t64([np.nan, -0.0, 0.0, -2.0, 3.0]).sign().data
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, -1.0, 1.0])


def test_sort_is_stable_and_nan_is_largest() -> None:
    x = t64([1.0, 3.0, 3.0, 1.0, 3.0])
    assert x.sort().indices.tolist() == [0, 3, 1, 2, 4]
    assert x.sort(descending=True).indices.tolist() == [1, 2, 4, 0, 3]
    assert x.topk(2).indices.tolist() == [1, 2]  # the lower index first among ties
    y = t64([1.0, np.nan, 3.0])
    assert y.sort().indices.tolist() == [0, 2, 1] and y.topk(1).indices.tolist() == [1]
    assert y.topk(1, largest=False).indices.tolist() == [0]


def test_views_and_copies_follow_torch() -> None:
    x = tg.arange(6.0).reshape(2, 3)
    first, _ = x.split([1, 1])
    with tg.no_grad():
        first.add_(10.0)  # split and chunk give views, as torch's
    assert x[0, 0].item() == 10.0
    for fresh in (x.flip(0), x.roll(1), x.repeat(1, 1), x.tile(1), x.sort(1).values, x.cumprod(0)):
        assert not np.may_share_memory(fresh.data, x.data)


# ----------------------------------------------------------------------------- gradients


def _zeros_at(a: np.ndarray, where: list[tuple[int, int]]) -> np.ndarray:
    b = a.copy()
    for i in where:
        b[i] = 0.0
    return b


# Away from ties and kinks (distinct values, |x| not at 0 or at the bounds).
DISTINCT = np.arange(12.0).reshape(3, 4) / 7.0 - 0.8 + RNG.permutation(12).reshape(3, 4) * 0.013

GRADCHECKS: dict[str, tuple[Callable[..., Any], list[Any]]] = {
    "prod one zero": (lambda x: x.prod(1), [_zeros_at(A, [(0, 1)])]),
    "prod two zeros": (lambda x: x.prod(), [_zeros_at(A, [(0, 1), (2, 2)])]),
    "prod keepdim": (lambda x: x.prod(0, keepdim=True), [_zeros_at(A, [(1, 1), (2, 1)])]),
    "cumprod zeros": (lambda x: x.cumprod(1), [_zeros_at(A, [(0, 1), (1, 0), (1, 2)])]),
    "cumprod int dim": (lambda x: x.cumprod(-2), [A]),
    "sort": (lambda x: x.sort(1, descending=True).values, [DISTINCT]),
    "topk": (lambda x: x.topk(2, 0, largest=False).values, [DISTINCT]),
    "flip": (lambda x: x.flip(1), [A]),
    "roll": (lambda x: x.roll((2, 1), (1, 0)), [A]),
    "repeat": (lambda x: x.repeat(2, 1, 2), [A]),
    "tile": (lambda x: x.tile((2, 1, 1)), [A]),
    "split": (lambda x: _sum_pieces(x.split(3, 1)), [A]),
    "chunk": (lambda x: _sum_pieces(x.chunk(2)), [A]),
    "masked_fill": (lambda x, v: x.masked_fill(MASK, v), [A, np.array(1.5)]),
    "index_select": (lambda x: x.index_select(1, INDEX), [A]),
    "floor": (lambda x: x.floor() * x, [DISTINCT * 3]),
    "round": (lambda x: x.round(decimals=1) + x.sign() + x.trunc() + x.ceil(), [DISTINCT]),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.3), [DISTINCT]),
    "elu": (lambda x: F.elu(x, 1.5), [DISTINCT * 3]),
    "softplus": (lambda x: F.softplus(x, 2.0, 1.0), [DISTINCT * 2]),
    "gelu": (lambda x: F.gelu(x), [DISTINCT * 3]),
    "gelu tanh": (lambda x: F.gelu(x, approximate="tanh"), [DISTINCT * 3]),
    "silu": (F.silu, [DISTINCT * 3]),
    "logsigmoid": (F.logsigmoid, [DISTINCT * 3]),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 0.45), [DISTINCT]),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck_float64(name: str) -> None:
    fn, inputs = GRADCHECKS[name]
    assert gradcheck(fn, inputs)


@pytest.mark.parametrize("name", ["prod two zeros", "prod one zero", "cumprod zeros", "gelu"])
def test_gradgradcheck(name: str) -> None:
    """prod's rule at zeros multiplies running products, so it differentiates again exactly."""
    fn, inputs = GRADCHECKS[name]
    assert gradgradcheck(fn, inputs)


def test_prod_gradient_at_zeros_is_torchs() -> None:
    x = t64([2.0, 0.0, 3.0, 4.0], grad=True)
    x.prod().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 24.0, 0.0, 0.0]
    y = t64([2.0, 0.0, 3.0, 0.0], grad=True)
    y.prod().backward()
    assert y.grad is not None and y.grad.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_activation_kinks_follow_torch() -> None:
    x = t64([0.0, -1.0, 1.0, 2.0], grad=True)
    parts = [
        F.leaky_relu(x, 0.2)[0],  # slope at 0
        F.elu(x, 0.7)[0] * 10.0,  # α at 0
        F.hardtanh(x, -1.0, 1.0)[1:3].sum() * 100.0,  # 0 at both bounds
        F.softplus(x, 1.0, 2.0)[3] * 1000.0,  # βx = threshold: the soft branch, σ(2)
    ]
    sum(parts[1:], parts[0]).backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, [0.2 + 7.0, 0.0, 0.0, 1000.0 / (1.0 + np.exp(-2.0))])


def test_rounding_gives_a_zero_gradient_and_requires_grad() -> None:
    x = t64([0.4, -1.5, 2.5], grad=True)
    for op in ("floor", "ceil", "trunc", "round", "sign"):
        out = getattr(x, op)()
        assert out.requires_grad
        out.sum().backward()
        assert x.grad is not None and x.grad.tolist() == [0.0, 0.0, 0.0]
    with tg.no_grad():
        assert not x.floor().requires_grad
    assert not tg.tensor([1, 2]).floor().requires_grad


def test_softplus_stays_finite_where_torch_overflows() -> None:
    """Below a large threshold torch evaluates ln(1 + e^{βx}) directly (inf for βx ≳ 89 in
    float32); this form is stable: x itself, with gradient 1."""
    x = tg.tensor([100.0], requires_grad=True)
    y = F.softplus(x, threshold=1000.0)
    y.backward()
    assert y.item() == pytest.approx(100.0) and x.grad is not None and x.grad.item() == 1.0
    z = tg.tensor([-200.0, 200.0], requires_grad=True)
    out = F.logsigmoid(z)
    assert out.tolist() == [-200.0, 0.0]


def test_activation_modules() -> None:
    x = t64(A * 3)
    pairs: list[tuple[nn.Module, Tensor, str]] = [
        (
            nn.LeakyReLU(0.2, True),
            F.leaky_relu(x, 0.2),
            "LeakyReLU(negative_slope=0.2, inplace=True)",
        ),
        (nn.ELU(), F.elu(x), "ELU(alpha=1.0)"),
        (nn.Softplus(), F.softplus(x), "Softplus(beta=1.0, threshold=20.0)"),
        (nn.GELU("tanh"), F.gelu(x, approximate="tanh"), "GELU(approximate='tanh')"),
        (nn.GELU(), F.gelu(x), "GELU(approximate='none')"),
        (nn.SiLU(), F.silu(x), "SiLU()"),
        (nn.LogSigmoid(), F.logsigmoid(x), "LogSigmoid()"),
        (nn.Hardtanh(-2, 3), F.hardtanh(x, -2, 3), "Hardtanh(min_val=-2, max_val=3)"),
        (nn.Hardtanh(), F.hardtanh(x), "Hardtanh(min_val=-1.0, max_val=1.0)"),
    ]
    for module, expected, text in pairs:
        given = x.clone() if getattr(module, "inplace", False) else x  # inplace writes into it
        np.testing.assert_array_equal(module(given).data, expected.data)
        assert repr(module) == text  # torch's repr


def test_free_functions_are_torchs() -> None:
    x = t64(np.abs(A))
    np.testing.assert_array_equal(tg.sort(x, 0).values.data, x.sort(0).values.data)
    np.testing.assert_array_equal(tg.topk(x, 2).indices.data, x.topk(2).indices.data)
    np.testing.assert_array_equal(tg.split(x, 2, 1)[1].data, np.abs(A)[:, 2:])
    assert tg.all(x).item() and tg.any(x, 0).shape == (4,) and tg.round(x).shape == (3, 4)
    for name in ("sin", "cos", "log1p", "expm1", "erf", "sign", "floor", "ceil", "trunc"):
        np.testing.assert_array_equal(getattr(tg, name)(x).data, getattr(x, name)().data)
    with pytest.raises(TypeError, match=r"cumsum\(\): argument 'input' must be Tensor, not list"):
        tg.cumsum([1.0, 2.0], 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"all\(\): argument 'input' must be Tensor"):
        tg.all(np.ones(2))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- errors

ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: t64(A).prod((0, 1)), TypeError, r"prod\(\): dim must be an int"),
    (lambda: t64(A).prod(keepdim=True), TypeError, r"prod\(\): keepdim=True needs a dim"),
    (lambda: t64(A).cumsum(2), IndexError, r"cumsum\(\): dim 2 is out of range .* \(3, 4\)"),
    (lambda: tg.tensor([True]).floor(), TypeError, r"floor\(\): not implemented for bool"),
    (lambda: tg.tensor([1]).round(decimals=1), TypeError, r"round\(\): decimals .* int64"),
    (lambda: t64(A).flip(0, -2), ValueError, r"flip\(\): dims \[0, 0\] name a dim more"),
    (lambda: t64(A).flip(), TypeError, r"flip\(\): missing the dims"),
    (lambda: t64(A).roll((1, 2)), RuntimeError, r"roll\(\): 2 shifts without dims"),
    (lambda: t64(A).roll(1, (0, 1)), RuntimeError, r"roll\(\): 1 shifts for 2 dims"),
    (lambda: t64(A).roll(1.5), TypeError, r"roll\(\): shifts must be ints, got \(1\.5,\)"),
    (lambda: t64(A).repeat(2), ValueError, r"repeat\(\): 1 repeats \(2,\) .* shape \(3, 4\)"),
    (lambda: t64(A).repeat(2, -1), ValueError, r"repeat\(\): repeats must be non-negative"),
    (lambda: t64(A).split([1, 1]), ValueError, r"split\(\): split sizes \[1, 1\] .* sum to 3"),
    (lambda: t64(A).split(0), ValueError, r"split\(\): split_size 0 .* size 3"),
    (lambda: t64(3.0).split(1), ValueError, r"split\(\): expects a tensor of at least one dim"),
    (lambda: t64(A).chunk(0), ValueError, r"chunk\(\): chunks must be greater than 0"),
    (
        lambda: t64(A).masked_fill(tg.tensor([1, 0]), 1.0),
        TypeError,
        r"masked_fill\(\): mask.*int64",
    ),
    (
        lambda: t64(A).masked_fill(tg.tensor([True, False]), 1.0),
        ValueError,
        r"masked_fill\(\): mask of shape \(2,\) does not broadcast .* \(3, 4\)",
    ),
    (lambda: t64(A).masked_fill(MASK, t64([1.0, 2.0])), ValueError, r"0-d tensor, got .*\(2,\)"),
    (lambda: t64(A).index_select(1, [4]), IndexError, r"index_select\(\): index 4 is out of range"),
    (lambda: t64(A).index_select(1, [-1]), IndexError, r"index -1 is out of range .* negative"),
    (lambda: t64(A).index_select(0, [[0]]), IndexError, r"index must be a vector .* \(1, 1\)"),
    (lambda: t64(A).index_select(0, [0.0]), TypeError, r"index must be int32 or int64"),
    (lambda: t64(A).topk(5), ValueError, r"topk\(\): k = 5 is out of range: dim 1 .* \(3, 4\)"),
    (lambda: t64(A).topk(1.0), TypeError, r"topk\(\): k must be an int"),  # type: ignore[arg-type]
    (lambda: t64(A).sort(2), IndexError, r"sort\(\): dim 2 is out of range"),
    (lambda: F.gelu(t64(A), approximate="erf"), ValueError, r"gelu\(\): approximate must be"),
    (lambda: F.hardtanh(t64(A), 1.0, -1.0), ValueError, r"hardtanh\(\): min_val \(1\.0\)"),
    (lambda: F.elu(tg.tensor([1, 2])), TypeError, r"elu\(\): argument 'input' .* int64"),
    (lambda: nn.GELU("erf"), ValueError, r"GELU: approximate must be 'none' or 'tanh'"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_name_the_op_and_the_shapes(index: int) -> None:
    call, kind, message = ERRORS[index]
    with pytest.raises(kind, match=message):
        call()


# ----------------------------------------------------------------------------- against torch

# name → (ours, torch's, how inputs are drawn). Both receive (lib, functional, x).
Case = Callable[[Any, Any, Any], Any]


def _same(call: Case) -> tuple[Case, Case]:
    return call, call


TORCH_CASES: dict[str, tuple[tuple[Case, Case], str]] = {
    "sin": (_same(lambda lib, f, x: x.sin()), "normal"),
    "cos": (_same(lambda lib, f, x: lib.cos(x)), "normal"),
    "log1p": (_same(lambda lib, f, x: x.log1p()), "above -1"),
    "expm1": (_same(lambda lib, f, x: lib.expm1(x)), "normal"),
    "erf": (_same(lambda lib, f, x: (x * 3.0).erf()), "normal"),
    "cumsum": (_same(lambda lib, f, x: x.cumsum(1)), "normal"),
    "cumprod": (_same(lambda lib, f, x: lib.cumprod(x, 0)), "zeros"),
    "prod": (_same(lambda lib, f, x: x.prod()), "zeros"),
    "prod dim": (_same(lambda lib, f, x: lib.prod(x, 1, keepdim=True)), "zeros"),
    "sign": (_same(lambda lib, f, x: x.sign() * x), "ties"),
    "floor": (_same(lambda lib, f, x: lib.floor(x * 3.0) + x), "normal"),
    "ceil": (_same(lambda lib, f, x: x.ceil() * x), "normal"),
    "round": (_same(lambda lib, f, x: lib.round(x * 5.0, decimals=1) * x), "normal"),
    "trunc": (_same(lambda lib, f, x: lib.trunc(x * 3.0) * x), "normal"),
    "all": (_same(lambda lib, f, x: x.all(1)), "ties"),
    "any": (_same(lambda lib, f, x: lib.any(x, (0, 1), keepdim=True)), "ties"),
    "flip": (_same(lambda lib, f, x: lib.flip(x, (0, 1))), "normal"),
    "roll": (_same(lambda lib, f, x: lib.roll(x, (1, -3), (0, 1))), "normal"),
    "roll flat": (_same(lambda lib, f, x: x.roll(7)), "normal"),
    "repeat": (_same(lambda lib, f, x: x.repeat(2, 1, 2)), "normal"),
    "tile": (_same(lambda lib, f, x: lib.tile(x, (2,))), "normal"),
    "split": (_same(lambda lib, f, x: lib.cat(list(lib.split(x, [1, 3], 1))[::-1], 1)), "normal"),
    "chunk": (_same(lambda lib, f, x: lib.cat(list(x.chunk(2, 0))[::-1], 0)), "normal"),
    "masked_fill": (_same(lambda lib, f, x: x.masked_fill(lib.tensor(MASK), 2.5)), "normal"),
    "index_select": (
        _same(lambda lib, f, x: lib.index_select(x, 1, lib.tensor(INDEX))),
        "normal",
    ),
    # Stable sorts on both sides: equal values keep their index order.
    "sort ties": (
        (
            lambda lib, f, x: x.sort(1, descending=True),
            lambda lib, f, x: x.sort(dim=1, descending=True, stable=True),
        ),
        "ties",
    ),
    "sort ties ascending": (
        (lambda lib, f, x: lib.sort(x, 0), lambda lib, f, x: lib.sort(x, dim=0, stable=True)),
        "ties",
    ),
    "topk": (_same(lambda lib, f, x: x.topk(2, 1)), "normal"),
    "topk smallest": (_same(lambda lib, f, x: lib.topk(x, 2, 0, largest=False)), "normal"),
    # torch's topk orders ties as it likes: compare with its stable sort's first k.
    "topk ties": (
        (
            lambda lib, f, x: x.topk(3, 1),
            lambda lib, f, x: x.sort(dim=1, descending=True, stable=True)[0][:, :3],
        ),
        "ties",
    ),
    "leaky_relu": (_same(lambda lib, f, x: f.leaky_relu(x, 0.2)), "kinks"),
    "elu": (_same(lambda lib, f, x: f.elu(x * 3.0, 0.7)), "kinks"),
    "softplus": (_same(lambda lib, f, x: f.softplus(x * 10.0, 2.0, 20.0)), "kinks"),
    "softplus default": (_same(lambda lib, f, x: f.softplus(x * 30.0)), "kinks"),
    "gelu": (_same(lambda lib, f, x: f.gelu(x * 4.0)), "kinks"),
    "gelu tanh": (_same(lambda lib, f, x: f.gelu(x * 4.0, approximate="tanh")), "kinks"),
    "silu": (_same(lambda lib, f, x: f.silu(x * 4.0)), "kinks"),
    "logsigmoid": (_same(lambda lib, f, x: f.logsigmoid(x * 40.0)), "kinks"),
    "hardtanh": (_same(lambda lib, f, x: f.hardtanh(x)), "kinks"),
    "hardtanh bounds": (_same(lambda lib, f, x: f.hardtanh(x, -0.5, 2.0)), "kinks"),
}


def _draw(kind: str, rng: np.random.Generator) -> np.ndarray:
    a = rng.standard_normal((3, 4))
    if kind == "above -1":
        return np.abs(a) - 0.9
    if kind == "zeros":  # none, one or several zeros per row
        return np.where(rng.random((3, 4)) < 0.35, 0.0, a)
    if kind == "ties":
        return np.round(a * 1.5) / 2
    if kind == "kinks":  # 0, ±0.5, ±1, 2 and 1 (softplus' threshold, after scaling) exactly
        flat = a.ravel()
        flat[rng.choice(12, 6, replace=False)] = [0.0, -0.5, 1.0, -1.0, 2.0, 1.0]
        return flat.reshape(3, 4)
    return a


def _values(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize("name", TORCH_CASES)
def test_values_and_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    (ours, theirs), kind = TORCH_CASES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(3):
        a = _draw(kind, rng)
        x, tx = t64(a, grad=True), torch.tensor(a, requires_grad=True)
        full_ours, full_theirs = ours(tg, F, x), theirs(torch, torch.nn.functional, tx)
        out, tout = _values(full_ours), _values(full_theirs)
        assert str(tout.dtype) == f"torch.{out.dtype}", name
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-13, atol=1e-15)
        if isinstance(full_ours, tuple) and name != "topk ties":
            np.testing.assert_array_equal(full_ours[1].data, full_theirs[1].numpy())
        if not out.requires_grad:
            assert not tout.requires_grad
            continue
        g = rng.standard_normal(out.shape)
        out.backward(tg.tensor(g))
        tout.backward(torch.tensor(g))
        assert x.grad is not None and tx.grad is not None
        # Gradients agree to rounding: torch's rules are formulas, ours compositions (gelu's
        # tanh form differs by 1e-14 where 1 + tanh cancels)
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("sin", lambda lib, x: x.sin()),
        ("cumsum", lambda lib, x: x.cumsum(0)),
        ("cumprod", lambda lib, x: x.cumprod(0)),
        ("prod", lambda lib, x: x.prod()),
        ("floor", lambda lib, x: x.floor()),
        ("sign", lambda lib, x: x.sign()),
        ("round", lambda lib, x: x.round()),
        ("all", lambda lib, x: x.all()),
        ("masked_fill", lambda lib, x: x.masked_fill(lib.tensor([True, False, False]), 2.7)),
        ("hardtanh", lambda lib, x: lib.nn.functional.hardtanh(x)),
    ],
)
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "bool", "float32"])
def test_result_dtypes_match_torch(name: str, call: Any, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    data = [0, 2, 3] if dtype != "bool" else [True, False, True]
    ours_error = theirs_error = None
    try:
        ours = call(tg, tg.tensor(data, dtype=dtype))
    except (TypeError, RuntimeError) as e:
        ours_error = e
    try:
        theirs = call(torch, torch.tensor(data, dtype=getattr(torch, dtype)))
    except (TypeError, RuntimeError) as e:  # NotImplementedError is a RuntimeError
        theirs_error = e
    assert (ours_error is None) == (theirs_error is None), (ours_error, theirs_error)
    if ours_error is None:
        assert str(theirs.dtype) == f"torch.{ours.dtype}"
        # float32 sin may differ by an ulp: numpy's float32 kernel is not correctly rounded
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=2e-7)


# ----------------------------------------------------------------------------- fuzz findings


def test_an_infinite_gradient_is_selected_not_multiplied() -> None:
    """torch's relu, clamp, where, maximum/minimum rules select g; g·mask would give ∞·0 = nan
    where the mask is 0 (here an infinite g from sqrt at 0 behind a fill, a floor or a bound)."""
    inf = float("inf")
    x = tg.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore"):  # sqrt's rule at 0: g / 0 = ∞, as torch
        x.masked_fill(x.data == 0, 0.0).sqrt().sum().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.25]
    x = tg.tensor([0.3, 1.7], requires_grad=True)
    with np.errstate(divide="ignore"):
        (x.floor().sqrt() + x).sum().backward()
    assert x.grad is not None and x.grad.tolist() == [1.0, 1.0]
    for f, v, want in (
        (lambda t: t.relu(), [-1.0, 0.5, 2.0], [0.0, inf, inf]),
        (lambda t: t.clamp(0.0, 1.0), [-1.0, 0.5, 2.0], [0.0, inf, 0.0]),
        (lambda t: t.maximum(tg.zeros(3)), [-1.0, 0.0, 2.0], [0.0, inf, inf]),
        (lambda t: F.hardtanh(t, 0.0, 1.0), [-1.0, 0.5, 2.0], [0.0, inf, 0.0]),
    ):
        x = tg.tensor(v, requires_grad=True)
        f(x).backward(tg.full((3,), inf))
        assert x.grad is not None and x.grad.tolist() == want


def test_relu_of_wide_rows_is_numpys_maximum_bit_for_bit() -> None:
    """relu compares a batch of wide float rows with a row of zeros (numpy's SIMD loop); the
    values are np.maximum(x, 0)'s, special values included, and so is the selection backward
    makes with an infinite g (a·a, the finiteness test, overflows for g = 1e30 in float32)."""
    from tinygrad_ed.ops import _relu, _surely_finite

    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64, np.float16):
        for shape in ((3, 64), (2, 3, 100), (5, 8), (130,)):
            x = rng.standard_normal(shape).astype(dtype)
            x.reshape(-1)[:4] = [np.nan, -0.0, np.inf, -np.inf]
            for a in (x, np.swapaxes(x, 0, -1)):
                want = np.maximum(a, 0)
                got = _relu(a)
                assert got.dtype == want.dtype and got.shape == want.shape
                assert got.tobytes() == want.tobytes()
    for value, finite in ((1.0, True), (1e30, False), (np.inf, False), (np.nan, False)):
        a = np.ones((4, 70), np.float32)
        a[2, 3] = value
        assert _surely_finite(a) is finite and _surely_finite(a.T) is finite
        with np.errstate(over="ignore"):  # 1e30 is ∞ in float16
            half = a.astype(np.float16)
        assert _surely_finite(half) is (value == 1.0)
    x = tg.tensor(rng.standard_normal((2, 100)), requires_grad=True)
    g = np.full((2, 100), 1e30)
    g[x.data <= 0] = np.inf
    x.relu().backward(tg.tensor(g))
    assert x.grad is not None and np.array_equal(x.grad.data, np.where(x.data > 0, g, 0.0))


def test_norm_edge_cases_follow_torch() -> None:
    x = tg.tensor([0.0, 3.0], requires_grad=True)
    for p in (-1, -2, -0.5):
        x.grad = None
        n = x.norm(p)
        n.backward()
        assert n.item() == 0.0 and x.grad is not None and x.grad.tolist() == [0.0, 0.0]
    x.grad = None
    n = x.norm(0)
    n.backward()  # a count, with torch's zero gradient
    assert n.item() == 1.0 and x.grad is not None and x.grad.tolist() == [0.0, 0.0]
    with pytest.raises(IndexError, match=r"norm\(\): dim 3"):
        x.norm(2, dim=3)
    with pytest.raises(ValueError, match=r"norm\(\): cannot reduce over an empty dim"):
        tg.zeros(0).norm(float("inf"))
    assert tg.norm(tg.tensor([3.0, 4.0])).item() == 5.0 and tg.square(tg.tensor(3.0)).item() == 9


def test_prod_with_two_zeros_and_an_infinity_has_zero_gradient() -> None:
    x = tg.tensor([2.0, 0.0, float("inf"), 0.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        x.prod().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_prod_gradient_when_the_product_under_or_overflows() -> None:
    """x̄ⱼ is the product of the others, even where out itself under- or overflowed (out / xⱼ
    would give 0 or inf there; torch 2.13 does so)."""
    cases = [
        ([5e-324, 0.5], [0.5, 5e-324]),  # out underflows to 0
        ([5e-324, 1.5], [1.5, 5e-324]),  # out is subnormal: 1e-323 / 5e-324 would be 2
        ([1e200, 1e200, 1e-200], [1.0, 1.0, float("inf")]),  # out overflows to inf
        ([float("inf"), 2.0], [2.0, float("inf")]),  # inf / inf would be nan
    ]
    for value, expected in cases:
        x = tg.Tensor(np.array(value), requires_grad=True)
        with np.errstate(over="ignore", under="ignore"):
            x.prod().backward()
        assert x.grad is not None and x.grad.tolist() == expected
    x = tg.Tensor(np.array([5e-324, 0.5]), requires_grad=True)
    assert tg.gradcheck(lambda t: t.prod(), (x,))


def test_softplus_and_logsigmoid_at_infinity() -> None:
    inf = float("inf")
    assert F.logsigmoid(tg.tensor([inf, -inf])).tolist() == [0.0, -inf]
    assert F.softplus(tg.tensor([-inf, inf])).tolist() == [0.0, inf]
    assert F.softplus(tg.tensor([inf]), beta=-1.0).tolist() == [0.0]


def test_small_fuzz_findings() -> None:
    assert tg.tensor([True, False]).square().dtype == np.int64
    assert tg.multinomial(tg.zeros(0, 3), 2).shape == (0, 2)
    m = np.array([True, False])
    with pytest.raises(RuntimeError, match="uint8"):
        tg.zeros(2, dtype=np.uint8).masked_fill(m, tg.tensor(300.0))
    with pytest.raises(ValueError, match="nan"):
        tg.zeros(2, dtype=np.int64).masked_fill(m, tg.tensor(float("nan")))
    x, w = tg.tensor([1.0, 2.0]), tg.tensor([1.0, 3.0], requires_grad=True)
    F.mse_loss(x, np.zeros(2), weight=w).backward()  # torch 2.13 differentiates the weight
    # ℓ = Σ w d² / Σ w: ∂ℓ/∂wᵢ = (dᵢ² − ℓ) / Σ w, with ℓ = 13/4
    assert w.grad is not None and w.grad.tolist() == pytest.approx([(1 - 3.25) / 4, (4 - 3.25) / 4])
    from tinygrad_ed.nn.utils import clip_grad_norm_

    p = tg.zeros(2, requires_grad=True)
    p.grad = tg.tensor([3.0, -4.0])
    assert clip_grad_norm_([p], 1.0, norm_type="inf").item() == 4.0
