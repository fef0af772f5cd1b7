"""The rest of torch's Tensor methods (tinygrad_ed/_methods_more.py) and their tg.* forms.

Values against numpy formulas (always) and torch (where installed), gradients by float64
gradcheck and against torch's, including torch's conventions at ties (amax, amin) and zeros
(prod); bad input refused with torch's exception kinds. ``tests/test_namespace.py`` compares
every function form's values and gradients with torch on one sample call each as well.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _t(a: Any, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a), requires_grad=grad)


def _vs_torch(
    fn: Callable[..., Any], arrays: list[np.ndarray], grads: tuple[int, ...] = (0,), **kw: Any
) -> None:
    """fn(tg tensors) and fn(torch tensors): equal values and equal gradients of a weighted
    sum of the (first) output w.r.t. the inputs listed in ``grads``."""
    torch = pytest.importorskip("torch")
    ours = [_t(a, i in grads and a.dtype.kind == "f") for i, a in enumerate(arrays)]
    theirs = [
        torch.tensor(a, requires_grad=i in grads and a.dtype.kind == "f")
        for i, a in enumerate(arrays)
    ]
    a, b = fn(*ours, **kw), fn(*theirs, **kw)
    a, b = (a[0], b[0]) if isinstance(a, tuple) else (a, b)
    np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert a.dtype == b.detach().numpy().dtype
    if not b.requires_grad:
        return
    w = np.random.default_rng(0).standard_normal(a.shape)
    (a * _t(w)).sum().backward()
    (b * torch.tensor(w)).sum().backward()
    for i in grads:
        g = theirs[i].grad
        expect = np.zeros(arrays[i].shape) if g is None else g.numpy()
        got = np.zeros(arrays[i].shape) if ours[i].grad is None else ours[i].grad.data
        np.testing.assert_allclose(got, expect, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- bitwise, integers


def test_bitwise_values_operators_and_in_place() -> None:
    a, b = np.array([12, -7, 0, 5]), np.array([10, 3, -1, 5])
    x, y = _t(a), _t(b)
    np.testing.assert_array_equal(x.bitwise_and(y).data, a & b)
    np.testing.assert_array_equal(tg.bitwise_or(x, y).data, a | b)
    np.testing.assert_array_equal(tg.bitwise_xor(x, 6).data, a ^ 6)
    np.testing.assert_array_equal(x.bitwise_not().data, ~a)
    np.testing.assert_array_equal((x << 2).data, a << 2)
    np.testing.assert_array_equal((3 << _t([1, 2])).data, [6, 12])
    np.testing.assert_array_equal((x >> 1).data, a >> 1)
    bools = _t([True, False, True])
    assert (bools.bitwise_xor(_t([True, True, False]))).data.tolist() == [False, True, True]
    i32 = tg.tensor([1, 2], dtype=np.int32)
    assert (i32 & 1).dtype == np.int32 and (i32 << 3).dtype == np.int32
    z = _t(a.copy())
    z &= y
    np.testing.assert_array_equal(z.data, a & b)
    z <<= 1
    np.testing.assert_array_equal(z.data, (a & b) << 1)
    z.bitwise_not_()
    np.testing.assert_array_equal(z.data, ~((a & b) << 1))
    z = _t(a.copy())
    z.gcd_(y)
    np.testing.assert_array_equal(z.data, np.gcd(a, b))


def test_shifts_past_the_width_empty_the_number_as_torch() -> None:
    x = _t([1, 2, -8, -8])
    np.testing.assert_array_equal((x << _t([64, 63, 70, -1])).data, [0, 0, 0, 0])
    np.testing.assert_array_equal((x >> _t([64, 1, 70, -1])).data, [0, 1, -1, -1])
    torch = pytest.importorskip("torch")
    for s in ([64, 63, 70, -1], [0, 1, 65, 2]):
        tx, ts = torch.tensor([1, 2, -8, -8]), torch.tensor(s)
        np.testing.assert_array_equal((x << _t(s)).data, (tx << ts).numpy())
        np.testing.assert_array_equal((x >> _t(s)).data, (tx >> ts).numpy())


def test_shifts_of_bools_as_torch() -> None:
    assert (_t([True, False]) >> 1).data.tolist() == [0, 0]
    assert (_t([True, False]) << 1).dtype == np.int64
    assert (_t([3]) << _t([True])).data.tolist() == [6]
    with pytest.raises(NotImplementedError, match="two bool operands"):
        _t([True]) << _t([True])


def test_gcd_lcm_signs_and_zeros() -> None:
    a, b = _t([-4, 0, 6, 0]), _t([6, 0, -9, 5])
    assert tg.gcd(a, b).data.tolist() == [2, 0, 3, 5]
    assert tg.lcm(a, b).data.tolist() == [12, 0, 18, 0]


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.bitwise_and(x),
        lambda x: x << 1,
        lambda x: x.bitwise_not(),
        lambda x: x.gcd(x),
        lambda x: tg.lcm(x, x),
    ],
)
def test_floats_are_refused_by_integer_ops(call: Callable[[tg.Tensor], Any]) -> None:
    with pytest.raises(NotImplementedError, match="not implemented for dtype float"):
        call(_t([1.0, 2.0]))


def test_float_in_place_bitwise_refused() -> None:
    x = _t([1.5])
    with pytest.raises(NotImplementedError, match="bitwise_and"):
        x &= 1
    with pytest.raises(NotImplementedError, match="bitwise_left_shift"):
        x <<= 1
    with pytest.raises(RuntimeError, match="requires grad"):
        _t([1.0], True).bitwise_and_(1)


# ----------------------------------------------------------------------------- floats in parts


def test_frexp_ldexp_nextafter_values() -> None:
    x = np.array([8.0, 0.0, -3.5, np.inf, 1e-310, 0.3])
    m, e = tg.frexp(_t(x))
    want_m, want_e = np.frexp(x)
    np.testing.assert_array_equal(m.data, want_m)
    np.testing.assert_array_equal(e.data, want_e)
    assert e.dtype == np.int32 and m.dtype == np.float64
    np.testing.assert_array_equal(tg.ldexp(m, e).data, x)
    assert tg.ldexp(_t([1, 2]), _t([3, 4])).data.tolist() == [8.0, 32.0]
    assert tg.ldexp(_t([1, 2]), _t([3, 4])).dtype == np.float32  # the default float
    up = tg.nextafter(_t([1.0, 2.0]), _t([2.0, 0.0]))
    np.testing.assert_array_equal(up.data, np.nextafter([1.0, 2.0], [2.0, 0.0]))
    with pytest.raises(RuntimeError, match=r"frexp.*floating"):
        tg.frexp(_t([1, 2]))
    # torch's promotion: float32 with float64 steps in float64; integers alone are refused
    assert tg.nextafter(tg.tensor([1.0], dtype=np.float32), _t([2.0])).dtype == np.float64
    with pytest.raises(RuntimeError, match=r"nextafter.*float tensors.*int64 and int64"):
        tg.nextafter(_t([1, 2]), _t([1, 2]))


def test_frexp_ldexp_nextafter_gradients_are_torchs() -> None:
    x = np.array([8.0, 0.3, -3.5, 5.0])
    _vs_torch(lambda a: a.frexp(), [x])
    _vs_torch(lambda a, b: a.ldexp(b), [x, np.array([0.0, 1.5, 2.0, -1.0])], (0, 1))
    _vs_torch(lambda a, b: a.nextafter(b), [x, np.array([9.0, 0.3, 0.0, -1.0])], (0, 1))
    assert gradcheck(lambda a, b: a.ldexp(b), [_t(x, True), _t([0.0, 1.5, 2.0, -1.0], True)])


# ----------------------------------------------------------------------------- scatter_reduce


_REDUCES = ["sum", "prod", "mean", "amax", "amin"]


@pytest.mark.parametrize("reduce", _REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_ties_and_zeros_match_torch(reduce: str, include_self: bool) -> None:
    """Ties with x's own value and among src, a zero in a product, a place nothing reaches."""
    x = np.array([[2.0, 0.0, 3.0, 4.0, 5.0], [1.0, 7.0, 7.0, -1.0, 0.5]])
    if not include_self:  # see test_scatter_reduce_tie_with_a_left_out_self_is_not_torchs
        x[0, :2], x[1, 1] = [2.5, 0.5], 6.5
    src = np.array([[2.0, 0.0, 2.0, 7.0], [7.0, 0.0, 3.0, 3.0]])
    idx = np.array([[0, 0, 1, 1], [1, 1, 3, 3]])
    _vs_torch(
        lambda a, i, s: a.scatter_reduce(1, i, s, reduce, include_self=include_self),
        [x, idx, src],
        (0, 2),
    )


@given(st.integers(0, 2**16), st.sampled_from(_REDUCES), st.booleans())
def test_scatter_reduce_random_matches_torch(seed: int, reduce: str, include_self: bool) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, (3, 4)).astype(np.float64)  # small integers: ties are common
    if not include_self:  # see test_scatter_reduce_tie_with_a_left_out_self_is_not_torchs
        x += 0.5
    src = rng.integers(-3, 4, (5, 4)).astype(np.float64)
    idx = rng.integers(0, 3, (5, 4))  # torch's backward fails for a smaller index
    _vs_torch(
        lambda a, i, s: a.scatter_reduce(0, i, s, reduce, include_self=include_self),
        [x, idx, src],
        (0, 2),
    )


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean"])
def test_scatter_reduce_gradcheck(reduce: str) -> None:
    rng = np.random.default_rng(1)
    x, src = _t(rng.uniform(0.5, 2, (3, 4)), True), _t(rng.uniform(0.5, 2, (3, 4)), True)
    idx = _t(np.array([[0, 0, 3, 1], [2, 2, 2, 0], [1, 3, 3, 3]]))
    for inc in (True, False):
        assert gradcheck(
            lambda a, s, inc=inc: a.scatter_reduce(1, idx, s, reduce, include_self=inc),
            [x, src],
        )
    assert gradgradcheck(lambda a, s: a.scatter_reduce(1, idx, s, reduce), [x, src])


def test_scatter_reduce_tie_with_a_left_out_self_is_not_torchs() -> None:
    """A kept divergence: with include_self=False, torch still counts x's own value among the
    ties of amax/amin (then gives it nothing), so a lone maximum of src gets half of g and the
    gradient no longer sums to g. Here the left-out value takes no part: src's maximum gets g,
    which is the derivative (the maximum is strict among the values reduced)."""
    x = _t([2.0, 9.0], True)
    src = _t([2.0, 0.0], True)
    out = x.scatter_reduce(0, _t([0, 0]), src, "amax", include_self=False)
    out.sum().backward()
    assert out.data.tolist() == [2.0, 9.0]
    assert src.grad.data.tolist() == [1.0, 0.0] and x.grad.data.tolist() == [0.0, 1.0]
    torch = pytest.importorskip("torch")
    tsrc = torch.tensor([2.0, 0.0], requires_grad=True)
    torch.tensor([2.0, 9.0]).scatter_reduce(
        0, torch.tensor([0, 0]), tsrc, "amax", include_self=False
    ).sum().backward()
    assert tsrc.grad.tolist() == [0.5, 0.0]


def test_scatter_reduce_integers_and_0d() -> None:
    x = tg.tensor([0, 0, 0], dtype=np.int32)
    out = x.scatter_reduce(
        0, _t([0, 0, 1]), tg.tensor([3, 4, 5], dtype=np.int32), "mean", include_self=False
    )
    assert out.data.tolist() == [3, 5, 0] and out.dtype == np.int32  # as torch: 7 // 2
    out = x.scatter_reduce(0, _t([2, 2]), tg.tensor([3, 4], dtype=np.int32), "amax")
    assert out.data.tolist() == [0, 0, 4]
    s = _t(2.0).scatter_reduce(0, _t([0]), _t([5.0]), "prod")
    assert s.shape == () and s.item() == 10.0
    x = _t([1.0, 2.0, 3.0], True)
    y = x.scatter_reduce(0, _t([1, 1]), _t([2.0, 2.0]), "amax")  # three-way tie at place 1
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 1 / 3, 1.0])


def test_scatter_reduce_errors() -> None:
    x = _t([1.0, 2.0])
    with pytest.raises(RuntimeError, match="reduce argument must be either sum, prod, mean"):
        x.scatter_reduce(0, _t([0]), _t([1.0]), "max")
    with pytest.raises(RuntimeError, match=r"self\.dtype to be equal to src\.dtype"):
        x.scatter_reduce(0, _t([0]), tg.tensor([1.0], dtype=np.float32), "sum")
    with pytest.raises(RuntimeError, match="index 2 is out of bounds for dimension 0"):
        x.scatter_reduce(0, _t([2]), _t([1.0]), "sum")
    with pytest.raises(RuntimeError, match="int64 index"):
        x.scatter_reduce(0, tg.tensor([0], dtype=np.int32), _t([1.0]), "sum")


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
def test_index_reduce_matches_torch(reduce: str) -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, -1.0]])
    s = np.array([[5.0, 0.0], [7.0, 1.0], [2.0, 2.0], [3.0, 4.0]])
    idx = np.array([0, 0, 2, 0])
    for inc in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: index_reduce() is in beta
            _vs_torch(
                lambda a, i, v, inc=inc: a.index_reduce(0, i, v, reduce, include_self=inc),
                [x, idx, s],
                (0, 2),
            )
    with pytest.raises(RuntimeError, match="Expected reduce to be one of prod, mean"):
        _t(x).index_reduce(0, _t(idx), _t(s), "sum")


# ----------------------------------------------------------------------------- writes into views


_X = np.arange(12.0).reshape(3, 4) / 7 - 0.5


@pytest.mark.parametrize(
    ("fn", "shape", "extra"),
    [
        (lambda x, s: x.select_scatter(s, 1, -1), (3,), None),
        (lambda x, s: x.slice_scatter(s, 1, 1, None, 2), (3, 2), None),
        (lambda x, s: x.slice_scatter(s, start=1), (2, 4), None),
        (lambda x, s: x.diagonal_scatter(s, 1), (3,), None),
        (lambda x, s: x.diagonal_scatter(s, -1, 1, 0), (3,), None),
        (lambda x, s, m: x.masked_scatter(m, s), (5, 2), np.array([True, False, True, True])),
        (lambda x, s, i: x.put(i, s), (3,), np.array([11, 0, -3])),
        (lambda x, s, i: x.put(i, s, accumulate=True), (4,), np.array([1, 1, 5, -1])),
    ],
)
def test_writes_match_torch_and_gradcheck(fn: Any, shape: tuple[int, ...], extra: Any) -> None:
    src = np.random.default_rng(2).standard_normal(shape)
    arrays = [_X, src] + ([] if extra is None else [extra])
    _vs_torch(fn, arrays, (0, 1))
    rest = [] if extra is None else [_t(extra)]
    assert gradcheck(lambda x, s: fn(x, s, *rest), [_t(_X, True), _t(src, True)])


def test_index_put_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    rows, cols = np.array([0, 2, 0]), np.array([1, 3, 1])
    for acc in (False, True):
        for values in (np.array([1.5, -2.0, 4.0]), np.array([0.25])):
            x, v = _t(_X, True), _t(values, True)
            tx = torch.tensor(_X, requires_grad=True)
            tv = torch.tensor(values, requires_grad=True)
            out = x.index_put((_t(rows), _t(cols)), v, acc)
            want = tx.index_put((torch.tensor(rows), torch.tensor(cols)), tv, acc)
            if not acc:  # torch leaves which of two writes to one place wins undefined
                want = want.detach().clone()
                want[0, 1] = out.data[0, 1]
            np.testing.assert_allclose(out.data, want.detach().numpy())
            if acc:
                out.sum().backward()
                want.sum().backward()
                np.testing.assert_allclose(x.grad.data, tx.grad.numpy())
                np.testing.assert_allclose(v.grad.data, tv.grad.numpy())
    mask = _X > 0
    out = tg.index_put(_t(_X), (_t(mask),), _t(0.0))
    np.testing.assert_array_equal(out.data, np.where(mask, 0.0, _X))
    assert gradcheck(
        lambda x, v: x.index_put((_t(rows[:2]), _t(cols[:2])), v),
        [_t(_X, True), _t([1.0, 2.0], True)],
    )


def test_write_errors() -> None:
    x = _t(_X)
    with pytest.raises(RuntimeError, match=r"select_scatter\(\): expected src to have a size"):
        x.select_scatter(_t(np.zeros(4)), 1, 0)
    with pytest.raises(IndexError, match="index 4 out of range for dim 1 of size 4"):
        x.select_scatter(_t(np.zeros(3)), 1, 4)
    with pytest.raises(RuntimeError, match="dtype of self"):
        x.slice_scatter(tg.zeros(3, 4), 0)
    with pytest.raises(RuntimeError, match="slice step must be positive"):
        x.slice_scatter(_t(np.zeros((3, 4))), step=0)
    with pytest.raises(RuntimeError, match="dim1 and dim2 cannot be equal"):
        x.diagonal_scatter(_t(np.zeros(3)), 0, 1, 1)
    with pytest.raises(RuntimeError, match="selects 8 entries but source"):
        x.masked_scatter(_t(_X > 0), _t(np.zeros(5)))
    with pytest.raises(RuntimeError, match="bool mask"):
        x.masked_scatter(_t(np.ones(4, dtype=np.int64)), _t(np.zeros(12)))
    with pytest.raises(IndexError, match="index 12 is out of range for a tensor of 12"):
        x.put(_t([12]), _t([1.0]))
    with pytest.raises(IndexError, match="same number of elements"):
        x.put(_t([1, 2]), _t([1.0]))
    with pytest.raises(IndexError, match="long, int or bool"):
        x.index_put((_t([0.0]),), _t([1.0]))
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x.index_put((_t([0, 1]),), _t(np.zeros(3)))
    with pytest.raises(TypeError, match="indices must be a tuple"):
        x.index_put(_t([0]), _t([1.0]))


def test_in_place_writes_refuse_grad_tensors() -> None:
    x = _t(_X.copy())
    x.put_(_t([0]), _t([9.0]))
    x.masked_scatter_(_t(_X < -0.4), _t([7.0, 8.0]))  # one place: 8 is not used
    x.index_put_((_t([2]),), _t(5.0))
    x.scatter_reduce_(0, _t([[0, 0, 0, 0]]), _t(np.ones((1, 4))), "sum")
    x.index_reduce_(1, _t([3]), _t(np.zeros((3, 1))), "amin", include_self=False)
    want = _X.copy()
    want.flat[0] = 9.0
    want[_X < -0.4] = 7.0
    want[2] = 5.0
    want[0] += 1
    want[:, 3] = 0.0
    np.testing.assert_allclose(x.data, want)
    with pytest.raises(RuntimeError, match="requires grad"):
        _t(_X, True).put_(_t([0]), _t([1.0]))


# ----------------------------------------------------------------------------- norms and sizes


@pytest.mark.parametrize(("p", "dim", "maxnorm"), [(1, 0, 2.0), (2, 1, 0.8), (3.5, -1, 0.5)])
def test_renorm_matches_torch_and_gradcheck(p: float, dim: int, maxnorm: float) -> None:
    x = np.random.default_rng(3).standard_normal((3, 4, 2))
    _vs_torch(lambda a: a.renorm(p, dim, maxnorm), [x])
    assert gradcheck(lambda a: a.renorm(p, dim, maxnorm), [_t(x, True)])
    y = _t(x.copy())
    y.renorm_(p, dim, maxnorm)
    np.testing.assert_allclose(y.data, _t(x).renorm(p, dim, maxnorm).data)
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        _t([1.0]).renorm(p, 0, 1.0)
    with pytest.raises(RuntimeError, match="non-positive norm"):
        _t(x).renorm(0, 0, 1.0)


def test_sum_to_size_and_sizes() -> None:
    x = _t(np.arange(24.0).reshape(2, 3, 4), True)
    out = x.sum_to_size(3, 1)
    np.testing.assert_array_equal(out.data, np.arange(24.0).reshape(2, 3, 4).sum((0, 2))[:, None])
    assert x.sum_to_size((2, 3, 4)).shape == (2, 3, 4)
    assert gradcheck(lambda a: a.sum_to_size(1, 4), [_t(np.ones((2, 3, 4)), True)])
    with pytest.raises(RuntimeError, match=r"size \[2, 4\] is not expandable to"):
        x.sum_to_size(2, 4)
    assert x.is_same_size(_t(np.zeros((2, 3, 4)))) and not tg.is_same_size(x, _t([1.0]))
    assert x.itemsize == 8 and x.nbytes == 192
    assert tg.tensor([1.0], dtype=np.float32).nbytes == 4
    assert x.byte().dtype == np.uint8 and x.char().dtype == np.int8
    assert x.short().dtype == np.int16
    assert _t([3]).is_nonzero() and not tg.is_nonzero(_t([[0.0]]))
    for bad, words in ((_t([1, 2]), "more than one value"), (_t([]), "no values")):
        with pytest.raises(RuntimeError, match=words):
            bad.is_nonzero()
    n = x.narrow_copy(2, 1, 2)
    np.testing.assert_array_equal(n.data, x.data[:, :, 1:3])
    assert not np.shares_memory(n.data, x.data)


def test_real_tensor_complex_views() -> None:
    x = _t(_X, True)
    assert x.conj() is x and x.resolve_conj() is x and x.resolve_neg() is x
    assert not x.is_conj() and not tg.is_neg(x)
    assert x.real is not x and np.shares_memory(x.real.data, x.data)
    assert x.isreal().data.all() and tg.isreal(x).dtype == np.bool_
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex"):
        x.imag  # noqa: B018
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        tg.imag(x)
    (x.real * 2 + x.conj_physical()).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full(_X.shape, 3.0))
    assert x.H.shape == (4, 3) and x.mH.shape == (4, 3) and x.adjoint().shape == (4, 3)
    b = _t(np.zeros((2, 3, 4)))
    assert b.mH.shape == (2, 4, 3) and tg.adjoint(b).shape == (2, 4, 3)
    with pytest.raises(RuntimeError, match=r"tensor\.H is only supported on matrices.*mH"):
        b.H  # noqa: B018
    with pytest.raises(RuntimeError, match=r"tensor\.mH is only supported on matrices"):
        _t([1.0]).mH  # noqa: B018


def test_functional_methods_and_bernoulli() -> None:
    x = _t(_X, True)
    np.testing.assert_array_equal(x.hardshrink(0.3).data, np.where(np.abs(_X) > 0.3, _X, 0.0))
    w = _t([0.25], True)
    np.testing.assert_allclose(x.prelu(w).data, np.where(_X > 0, _X, 0.25 * _X))
    p = _t(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert p.bernoulli().data.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    draws = tg.zeros(4000).bernoulli(0.3, generator=tg.manual_seed(0))
    assert abs(draws.data.mean() - 0.3) < 0.03 and draws.dtype == tg.zeros(1).dtype
    with pytest.raises(RuntimeError, match="p to be in"):
        _t([1.5]).bernoulli()


# ----------------------------------------------------------------------------- shape in place


def test_in_place_shape_ops_keep_memory() -> None:
    x = _t(np.arange(6.0).reshape(1, 2, 3))
    data = x.data
    assert x.squeeze_() is x and x.shape == (2, 3)
    x.unsqueeze_(-1)
    assert x.shape == (2, 3, 1)
    x.squeeze_(2).t_()
    assert x.shape == (3, 2)
    x.transpose_(0, 1).swapdims_(0, 1).swapaxes_(1, 0)
    assert x.shape == (2, 3) and np.shares_memory(x.data, data)
    x[0, 0] = 9.0
    assert data[0, 0, 0] == 9.0
    leaf = _t([[1.0, 2.0]], True)
    with pytest.raises(RuntimeError, match=r"t_: a leaf Variable that requires grad"):
        leaf.t_()
    with tg.no_grad():
        leaf.squeeze_()
    assert leaf.shape == (2,)


def test_resize() -> None:
    x = _t(np.arange(6.0))
    x.resize_(2, 2)
    np.testing.assert_array_equal(x.data, [[0.0, 1.0], [2.0, 3.0]])
    x.resize_as_(_t(np.zeros((3, 3))))
    assert x.shape == (3, 3) and x.data.ravel()[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        _t([1.0], True).resize_(2)
    with pytest.raises(RuntimeError, match="non-negative ints"):
        x.resize_(-1)


# ----------------------------------------------------------------------------- numerics of samples


def test_histogram_matches_numpy_and_torch() -> None:
    rng = np.random.default_rng(4)
    a = rng.standard_normal(50)
    w = rng.uniform(0, 1, 50)
    for bins, kw in [
        (7, {}),
        (4, {"range": (-1.0, 1.0), "weight": w}),
        (np.array([-2.0, -0.5, 0.0, 3.0]), {"density": True}),
        (5, {"density": True, "weight": w}),
    ]:
        ours_kw = {k: _t(v) if k == "weight" else v for k, v in kw.items()}
        b = _t(bins) if isinstance(bins, np.ndarray) else bins
        hist, edges = tg.histogram(_t(a), b, **ours_kw)
        rng_kw = kw.get("range")
        want, want_edges = np.histogram(
            a, bins=bins, range=rng_kw, weights=kw.get("weight"), density=kw.get("density", False)
        )
        np.testing.assert_allclose(hist.data, want, rtol=1e-12)
        np.testing.assert_allclose(edges.data, want_edges, rtol=1e-12)
        torch = pytest.importorskip("torch")
        t_kw = {k: torch.tensor(v) if k == "weight" else v for k, v in kw.items()}
        tb = torch.tensor(bins) if isinstance(bins, np.ndarray) else bins
        th, te = torch.histogram(torch.tensor(a), tb, **t_kw)
        np.testing.assert_allclose(hist.data, th.numpy(), rtol=1e-12)
        np.testing.assert_allclose(edges.data, te.numpy(), rtol=1e-12)
    one = _t(np.full(3, 2.0)).histogram(2)
    assert one.bin_edges.data.tolist() == [1.5, 2.0, 2.5] and one.hist.data.tolist() == [0, 3]
    with pytest.raises(NotImplementedError, match="histogram"):
        tg.histogram(_t([1, 2]), 3)
    with pytest.raises(RuntimeError, match="bins must be a positive int"):
        tg.histogram(_t([1.0]), 0)
    with pytest.raises(ValueError, match="max must be larger than min"):
        tg.histogram(_t([1.0]), 2, range=(1.0, 0.0))


def test_histogram_edges_as_torchs_in_float32_and_of_nothing() -> None:
    """Equal-width edges are torch's linspace values (bit for bit in float32, where a
    float64 linspace rounded differs at 4/3), and [0, 1] when there is nothing to bin."""
    x = np.array([0.0, 2.0, 1.3333333], dtype=np.float32)
    assert tg.histogram(_t(x), 3).bin_edges.data[2] == np.float32(1.3333332538604736)
    assert tg.histogram(_t(np.zeros(0)), 2).bin_edges.data.tolist() == [0.0, 0.5, 1.0]
    torch = pytest.importorskip("torch")
    for a in (x, np.zeros(0, np.float32)):
        np.testing.assert_array_equal(
            tg.histogram(_t(a), 3).bin_edges.data, torch.histogram(torch.tensor(a), 3).bin_edges
        )


def _histogramdd_case(rng: np.random.Generator) -> tuple[np.ndarray, Any, dict[str, Any]]:
    """A drawn call: points (…, D) in float32 or float64 (ties on edges sometimes), bins as
    one int, an int per dim or edges per dim, a range, weights, density."""
    dtype = rng.choice([np.float32, np.float64])
    D = int(rng.integers(1, 4))
    lead = tuple(int(v) for v in rng.integers(0, 4, int(rng.integers(1, 3))))
    x = rng.standard_normal((*lead, D)).astype(dtype)
    x = np.round(x * 2) / 2 if rng.random() < 0.3 else x
    kind, kw = rng.random(), {}
    bins: Any = int(rng.integers(1, 5)) if kind < 0.3 else [int(b) for b in rng.integers(1, 5, D)]
    if kind >= 0.6:
        sizes = rng.integers(2, 5, D)
        bins = [np.sort(rng.standard_normal(int(n))).astype(dtype) for n in sizes]
    elif rng.random() < 0.4:
        kw["range"] = [float(v) for _ in range(D) for v in np.sort(rng.standard_normal(2))]
    if rng.random() < 0.3:
        kw["weight"] = rng.uniform(0, 2, lead).astype(dtype)
    if rng.random() < 0.3:
        kw["density"] = True
    return x, bins, kw


def _histogramdd(lib: Any, x: np.ndarray, bins: Any, kw: dict[str, Any]) -> Any:
    t = lib.tensor
    b = [t(e) for e in bins] if isinstance(bins, list) and isinstance(bins[0], np.ndarray) else bins
    return lib.histogramdd(t(x), b, **{k: t(v) if k == "weight" else v for k, v in kw.items()})


def test_histogramdd_matches_numpy_and_torch() -> None:
    """Drawn calls: the counts as numpy's histogramdd on the same edges, and counts and
    edges as torch's (the edges bit for bit)."""
    rng = np.random.default_rng(6)
    torch = None
    for _ in range(80):
        x, bins, kw = _histogramdd_case(rng)
        hist, edges = _histogramdd(tg, x, bins, kw)
        assert len(edges) == x.shape[-1] and hist.dtype == x.dtype
        w = kw.get("weight")
        expected, _ = np.histogramdd(
            x.reshape(-1, x.shape[-1]),
            [e.data for e in edges],
            weights=None if w is None else w.ravel(),
        )
        if kw.get("density"):
            volume = np.ones(())
            for e in edges:
                volume = np.multiply.outer(volume, np.diff(e.data))
            with np.errstate(invalid="ignore", divide="ignore"):
                expected = expected / (expected.sum() * volume)
        tol = 1e-5 if x.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(hist.data, expected, rtol=tol, equal_nan=True)
        torch = torch or pytest.importorskip("torch")
        theirs = _histogramdd(torch, x, bins, kw)
        np.testing.assert_allclose(hist.data, theirs.hist.numpy(), rtol=tol, equal_nan=True)
        for a, b in zip(edges, theirs.bin_edges, strict=True):
            np.testing.assert_array_equal(a.data, b.numpy())


def test_histogramdd_documented_example_and_bad_input() -> None:
    points = _t([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0]])
    hist, edges = tg.histogramdd(points, bins=[3, 3], weight=_t([1.0, 2.0, 4.0, 8.0]))
    assert hist.tolist() == [[0.0, 1.0, 0.0], [2.0, 0.0, 0.0], [4.0, 0.0, 8.0]]
    assert not hist.requires_grad and isinstance(edges, tuple) and len(edges) == 2
    hist, _ = tg.histogramdd(
        _t([[0.0, 0.0], [1, 1], [2, 2]]), [2, 2], range=[0, 1, 0, 1.0], density=True
    )
    assert hist.tolist() == [[2.0, 0.0], [0.0, 2.0]]
    bad: list[tuple[Callable[[], Any], type[Exception], str]] = [
        (lambda: tg.histogramdd(points[0], 2), RuntimeError, r"at least 2 dimensions.*\(2,\)"),
        (lambda: tg.histogramdd(points.long(), 2), NotImplementedError, "int64"),
        (lambda: tg.histogramdd(points, [2]), RuntimeError, r"size of bins \(1\) .* \(2\)"),
        (lambda: tg.histogramdd(points, [2, 0]), RuntimeError, "> 0, but got 0 for dimension 1"),
        (lambda: tg.histogramdd(points, 2.5), TypeError, "bins must be an int"),
        (lambda: tg.histogramdd(points, [2, 2.5]), TypeError, "float for dimension 1"),
        (
            lambda: tg.histogramdd(points, 2, range=[0, 1]),
            RuntimeError,
            "have 4 elements, but got 2",
        ),
        (
            lambda: tg.histogramdd(points, 2, range=[0, "a", 0, 1]),
            TypeError,
            "range must be 4 numbers",
        ),
        (lambda: tg.histogramdd(points, 2, range=[1, 0, 0, 1]), RuntimeError, "max must be larger"),
        (lambda: tg.histogramdd(points, 2, range=[0, np.inf, 0, 1]), RuntimeError, "not finite"),
        (
            lambda: tg.histogramdd(points, 2, weight=tg.ones(3)),
            RuntimeError,
            r"weight of shape \(4,\)",
        ),
        (
            lambda: tg.histogramdd(points, [_t([0.0, 1.0])] * 2, range=[0, 1, 0, 1]),
            TypeError,
            "range=",
        ),
        (
            lambda: tg.histogramdd(points, [_t([0.0, 1.0]), _t([1.0])]),
            RuntimeError,
            "at least 2 edges",
        ),
        (
            lambda: tg.histogramdd(points, [_t([0.0, 1.0]), _t([1.0, 0.0])]),
            RuntimeError,
            "non-decreasing",
        ),
        (
            lambda: tg.histogramdd(_t([[np.nan, 1.0]]), 2),
            RuntimeError,
            r"dim 0's range of \[nan, nan\]",
        ),
    ]
    for call, kind, message in bad:
        with pytest.raises(kind, match=message):
            call()
    torch = pytest.importorskip("torch")
    tp = torch.tensor(points.data)
    for refused in (
        lambda: torch.histogramdd(tp[0], 2),
        lambda: torch.histogramdd(tp, [2]),
        lambda: torch.histogramdd(tp, [2, 0]),
        lambda: torch.histogramdd(tp, 2, range=[0.0, 1.0]),
        lambda: torch.histogramdd(tp, 2, range=[1.0, 0.0, 0.0, 1.0]),
        lambda: torch.histogramdd(tp, 2, weight=torch.ones(3)),
        lambda: torch.histogramdd(torch.tensor([[float("nan"), 1.0]]), 2),
    ):
        with pytest.raises(RuntimeError):
            refused()


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_matches_numpy_torch_and_gradchecks(edge_order: int) -> None:
    rng = np.random.default_rng(5)
    f = rng.standard_normal((4, 5))
    coords = np.cumsum(rng.uniform(0.5, 1.5, 5))
    cases: list[tuple[dict[str, Any], Any]] = [
        ({}, np.gradient(f, edge_order=edge_order)),
        ({"spacing": 2.0, "dim": 1}, [np.gradient(f, 2.0, axis=1, edge_order=edge_order)]),
        ({"spacing": [0.5, 3.0]}, np.gradient(f, 0.5, 3.0, edge_order=edge_order)),
        (
            {"spacing": (_t(coords),), "dim": -1},
            [np.gradient(f, coords, axis=1, edge_order=edge_order)],
        ),
    ]
    for kw, want in cases:
        got = tg.gradient(_t(f), edge_order=edge_order, **kw)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.data, w, rtol=1e-12, atol=1e-13)
        assert gradcheck(
            lambda x, kw=kw: tg.gradient(x, edge_order=edge_order, **kw), [_t(f, True)]
        )
    torch = pytest.importorskip("torch")
    theirs = torch.gradient(
        torch.tensor(f), spacing=(torch.tensor(coords),), dim=1, edge_order=edge_order
    )
    ours = tg.gradient(_t(f), spacing=(_t(coords),), dim=1, edge_order=edge_order)
    np.testing.assert_allclose(ours[0].data, theirs[0].numpy(), rtol=1e-12)


def test_gradient_errors() -> None:
    with pytest.raises(RuntimeError, match="at least edge_order\\+1"):
        tg.gradient(_t([1.0, 2.0]), edge_order=2)
    with pytest.raises(RuntimeError, match="only supports edge_order=1 and edge_order=2"):
        tg.gradient(_t([1.0, 2.0, 3.0]), edge_order=3)
    with pytest.raises(RuntimeError, match="same length"):
        tg.gradient(_t(np.ones((3, 3))), spacing=[1.0])


def test_trapezoid_family_matches_torch_and_gradchecks() -> None:
    rng = np.random.default_rng(6)
    y = rng.standard_normal((3, 5))
    x1 = np.cumsum(rng.uniform(0.1, 1.0, 5))
    x2 = np.cumsum(rng.uniform(0.1, 1.0, (3, 5)), axis=1)
    np.testing.assert_allclose(tg.trapezoid(_t(y)).data, np.trapezoid(y), rtol=1e-12)
    np.testing.assert_allclose(tg.trapz(_t(y), _t(x1)).data, np.trapezoid(y, x1), rtol=1e-12)
    for fn in (tg.trapezoid, tg.cumulative_trapezoid):
        assert gradcheck(fn, [_t(y, True), _t(x2, True)])
        assert gradcheck(lambda a, f=fn: f(a, dx=0.3, dim=0), [_t(y, True)])
    torch = pytest.importorskip("torch")
    for name in ("trapezoid", "cumulative_trapezoid"):
        ours, theirs = getattr(tg, name), getattr(torch, name)
        for args, kw in [((x1,), {}), ((x2,), {}), ((), {"dx": 0.25}), ((), {"dim": 0})]:
            a = ours(_t(y), *(_t(v) for v in args), **kw)
            b = theirs(torch.tensor(y), *(torch.tensor(v) for v in args), **kw)
            np.testing.assert_allclose(a.data, b.numpy(), rtol=1e-12, atol=1e-14)
    with pytest.raises(TypeError, match="x or dx, not both"):
        tg.trapezoid(_t(y), _t(x1), dx=1.0)
    with pytest.raises(RuntimeError, match="one `x` value for each sample"):
        tg.trapezoid(_t(y), _t(x1[:3]))


def test_trapezoid_over_no_samples_is_a_constant_zero() -> None:
    """``trapezoid``/``trapz`` over an empty dim (no samples, no trapezoids) is 0, a constant
    that requires no grad, as torch's (with dx, with x, by default; s29 focus seed 790);
    ``cumulative_trapezoid`` there is an empty running sum, recorded as torch's."""
    y = _t(np.ones((2, 0)), True)
    x = _t(np.ones((0,)), True)
    results = [tg.trapezoid(y), tg.trapz(y, dx=2.0), tg.trapezoid(y, x, dim=1)]
    for out in results:
        assert out.shape == (2,) and not out.requires_grad and out.grad_fn is None
        np.testing.assert_array_equal(out.data, np.zeros(2))
    assert tg.trapezoid(_t(np.ones((0, 3)), True), dim=1).requires_grad  # (samples there)
    assert tg.cumulative_trapezoid(y).requires_grad
    torch = pytest.importorskip("torch")
    ty, tx = torch.ones(2, 0, dtype=torch.float64, requires_grad=True), torch.ones(0)
    theirs = [torch.trapezoid(ty), torch.trapz(ty, dx=2.0), torch.trapezoid(ty, tx, dim=1)]
    assert [t.requires_grad for t in theirs] == [t.requires_grad for t in results]
    assert [tuple(t.shape) for t in theirs] == [t.shape for t in results]


def test_vander_and_chain_matmul() -> None:
    v = np.array([0.5, -2.0, 3.0])
    np.testing.assert_array_equal(tg.vander(_t(v)).data, np.vander(v))
    np.testing.assert_array_equal(tg.vander(_t(v), 4, True).data, np.vander(v, 4, True))
    assert tg.vander(_t([1, 2]), 0).shape == (2, 0)
    assert tg.vander(_t([1, 2])).dtype == np.int64
    assert gradcheck(lambda a: tg.vander(a, 4), [_t(v, True)])
    with pytest.raises(RuntimeError, match="one-dimensional"):
        tg.vander(_t(np.ones((2, 2))))
    mats = [
        np.random.default_rng(k).standard_normal(s) for k, s in enumerate([(2, 3), (3, 4), (4, 2)])
    ]
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        out = tg.chain_matmul(*(_t(m) for m in mats))
    np.testing.assert_allclose(out.data, mats[0] @ mats[1] @ mats[2], rtol=1e-12)
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="one or more matrices"):
        tg.chain_matmul()
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="dimension is 1"):
        tg.chain_matmul(_t([1.0]))


def test_top_level_aliases_of_functional() -> None:
    x = _t(_X)
    assert tg.dropout(x, 0.5, False) is x and tg.alpha_dropout(x, 0.5, False) is x
    out = tg.feature_dropout(_t(np.ones((2, 8, 3))), 0.5, True)
    per_channel = out.data.std(axis=2)
    assert (per_channel == 0).all()  # whole channels kept (×2) or dropped
    w = _t(np.arange(8.0).reshape(4, 2))
    np.testing.assert_array_equal(tg.embedding(w, _t([3, 0])).data, [[6.0, 7.0], [0.0, 1.0]])
    ww = _t(np.arange(8.0).reshape(4, 2), True)
    tg.embedding(ww, _t([1, 1, 2]), padding_idx=1).sum().backward()
    np.testing.assert_array_equal(ww.grad.data[:, 0], [0.0, 0.0, 1.0, 0.0])


def test_broadcast_to_method_is_expand() -> None:
    x = _t([[1.0], [2.0]], True)
    out = x.broadcast_to((3, 2, -1))
    assert out.shape == (3, 2, 1)
    out = x.broadcast_to([2, 4])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[4.0], [4.0]])
    with pytest.raises(TypeError, match="sequence of ints"):
        x.broadcast_to(3)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- Tensor.new


NEW_CALLS: list[tuple[Any, ...]] = [(), (2, 3), (0,), ([1, 2],), ((2, 3),), ([[1.5, 2], [3, 4]],)]
NEW_CALLS += [(np.array([1, 2]),), (np.int64(3),), ([],), (np.array(3.0),)]


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@pytest.mark.parametrize("args", NEW_CALLS)
def test_new_legacy_constructor_as_torch(dtype: str, args: tuple[Any, ...]) -> None:
    """x.new(*size) (zeros here, uninitialized in torch), x.new(data) (a tuple is data) and
    x.new(): x's dtype, no graph, torch's shape and (for data) values."""
    x = tg.ones(2, dtype=np.dtype(dtype), requires_grad=dtype.startswith("float"))
    out = x.new(*args)
    sized = all(isinstance(a, (int, np.integer)) for a in args)
    assert out.dtype == x.dtype and not out.requires_grad
    if sized:
        assert out.shape == tuple(int(a) for a in args or (0,)) and not out.data.any()
    else:
        np.testing.assert_array_equal(out.data, np.asarray(args[0]).astype(dtype))
    torch = pytest.importorskip("torch")
    expected = torch.ones(2, dtype=getattr(torch, dtype)).new(*args)
    assert out.shape == tuple(expected.shape) and str(expected.dtype) == f"torch.{dtype}"
    if not sized:
        np.testing.assert_array_equal(out.data, expected.numpy())


def test_new_of_a_tensor_is_a_view_on_its_graph() -> None:
    """x.new(other) is other (torch's alias): same data, on other's graph, as torch's."""
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    out = tg.ones(3).new(w * 2)
    assert out.requires_grad
    (out * 3).sum().backward()
    assert w.grad is not None and w.grad.tolist() == [6.0, 6.0]
    v = tg.tensor([1.0, 2.0])
    aliased = tg.ones(1).new(v)
    aliased[0] = 5.0  # shares memory, as torch's
    assert v.tolist() == [5.0, 2.0]
    torch = pytest.importorskip("torch")
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    (torch.ones(3).new(tw * 2) * 3).sum().backward()
    assert tw.grad is not None and tw.grad.tolist() == w.grad.tolist()


def test_new_bad_input() -> None:
    x = tg.ones(2)
    with pytest.raises(TypeError, match=r"new\(\): expected a tensor of this tensor's dtype"):
        x.new(tg.tensor([1, 2]))
    for bad in (2.5, True, "a"):
        with pytest.raises(TypeError, match=r"new\(\): data must be a sequence"):
            x.new(bad)
    with pytest.raises(TypeError, match=r"new\(\): expected ints .* got \(int, float\)"):
        x.new(2, 3.0)
    with pytest.raises(RuntimeError, match=r"new\(\): negative dimension in size \(-1,\)"):
        x.new(-1)
    with pytest.raises(RuntimeError, match="new"):
        x.new(2, device="meta")
    assert x.new(2, device="cpu").shape == (2,)
    torch = pytest.importorskip("torch")
    for call in (lambda t: t.new(torch.tensor([1, 2])), lambda t: t.new(2.5)):
        with pytest.raises(TypeError):
            call(torch.ones(2))
    with pytest.raises(RuntimeError):
        torch.ones(2).new(-1)


NEW_FORMS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("new_zeros", (2, 3), {}),
    ("new_ones", ((2,),), {}),
    ("new_empty", (2,), {}),
    ("new_full", ((2,), 1.5), {}),
    ("new_full", ((2,), True), {}),
    ("new_tensor", ([1.5, 2],), {}),
    ("new_zeros", (2,), {"dtype": "float64"}),
    ("new_ones", (2,), {"dtype": "float16", "requires_grad": True}),
    ("new_tensor", ([1, 2],), {"requires_grad": True}),
    ("new_full", ((2,), 2), {"dtype": "int32", "requires_grad": True}),
]


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize(("name", "args", "kw"), NEW_FORMS)
def test_new_forms_dtype_and_requires_grad_as_torch(
    dtype: str, name: str, args: tuple[Any, ...], kw: dict[str, Any]
) -> None:
    """new_* take x's dtype unless given one, never x's graph; requires_grad=True only for a
    floating result (refused otherwise: a TypeError here, torch's RuntimeError)."""
    torch = pytest.importorskip("torch")
    x = tg.ones(2, dtype=np.dtype(dtype), requires_grad=dtype == "float32")
    tx = torch.ones(2, dtype=getattr(torch, dtype), requires_grad=dtype == "float32")
    tkw = {k: getattr(torch, v) if k == "dtype" else v for k, v in kw.items()}
    try:
        expected = getattr(tx, name)(*args, **tkw)
    except RuntimeError:
        with pytest.raises(TypeError, match=f"{name}\\(\\): only floating point tensors"):
            getattr(x, name)(
                *args, **{k: np.dtype(v) if k == "dtype" else v for k, v in kw.items()}
            )
        return
    out = getattr(x, name)(*args, **{k: np.dtype(v) if k == "dtype" else v for k, v in kw.items()})
    assert f"torch.{out.dtype}" == str(expected.dtype) and out.shape == tuple(expected.shape)
    assert out.requires_grad == expected.requires_grad and out.grad_fn is None
    if name != "new_empty":
        np.testing.assert_array_equal(out.data, expected.detach().numpy())


def _index_written_0d(lib: Any, op: str) -> tuple[Any, ...]:
    a = lib.tensor(1.5, dtype=lib.float64, requires_grad=True)
    v = lib.tensor(-2.0, dtype=lib.float64, requires_grad=True)
    y = a * 1.0
    if op == "index_copy_":
        y.index_copy_(0, lib.tensor([0]), v)
    else:
        y.index_fill_(-1, lib.tensor([0]), v)
    (y * 3.0).backward()
    out_of_place = a.detach().index_fill(0, lib.tensor([0]), 0.25)
    return float(y.detach()), a.grad, float(v.grad), float(out_of_place)


@pytest.mark.parametrize("op", ["index_copy_", "index_fill_"])
def test_index_copy_and_index_fill_of_a_0d_tensor(op: str) -> None:
    """A 0-d tensor is one slice along dim 0 (or −1): ``index_copy`` of index [0] writes the
    source there and passes the old value a zero gradient (None here before: the result was the
    source alone, fuzzer s30 focus seed 271); ``index_fill`` failed on numpy's 0-d mask
    (IndexError). ȳ = 3 reaches the written value, 0 the old one."""
    value, a_grad, v_grad, filled = _index_written_0d(tg, op)
    assert (value, v_grad, filled) == (-2.0, 3.0, 0.25)
    assert a_grad is not None and float(a_grad) == 0.0
    torch = pytest.importorskip("torch")
    theirs = _index_written_0d(torch, op)
    assert (value, float(a_grad), v_grad, filled) == (theirs[0], float(theirs[1]), *theirs[2:])


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce_of_an_empty_index_passes_src_a_zero_gradient(reduce: str) -> None:
    """``x.scatter_reduce(0, empty, src, reduce)`` is x's values, and torch's node still reads
    src: its gradient is zeros, not None (here the result was a clone of x alone; fuzzer s30
    focus seed 24126: the leaf src was gathered from got None)."""

    def run(lib: Any) -> tuple[list[Any], list[Any], list[Any]]:
        x = lib.tensor([[1.0], [2.0]], dtype=lib.float64, requires_grad=True)
        src = lib.tensor([[3.0, 4.0]], dtype=lib.float64, requires_grad=True)
        part = src.flatten()[lib.tensor([], dtype=lib.int64)].reshape(0, 1)
        out = x.scatter_reduce(0, lib.zeros(0, 1, dtype=lib.int64), part, reduce)
        gx, gs = lib.autograd.grad((out * 2.0).sum(), [x, src])
        return out.detach().numpy().tolist(), gx.numpy().tolist(), gs.numpy().tolist()

    out, gx, gs = run(tg)
    assert (out, gx, gs) == ([[1.0], [2.0]], [[2.0], [2.0]], [[0.0, 0.0]])
    torch = pytest.importorskip("torch")
    assert (out, gx, gs) == run(torch)
