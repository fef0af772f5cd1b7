"""Regression tests for the findings of tests/_audit_linalg_solve_methods.py, the bad-input audit of
tg.linalg's solve family and of the methods and tg.* functions of _methods_more.py against torch
2.13: each test is one fix (a silent wrong answer or missing gradient, a numpy error leaking out, a
crash in backward, or an exception where torch returns a value), checked without torch; the torch
comparisons are skipped without it."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

nan, inf = math.nan, math.inf
L = tg.linalg

SINGULAR = [[1.0, 2.0], [2.0, 4.0]]
WITH_NAN = [[nan, 1.0], [1.0, 1.0]]


def _t(values: object, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=grad)


# ----------------------------------------------------------------------------- nan in, nan out


def test_inv_and_solve_of_a_matrix_holding_nan_are_nan_as_torch() -> None:
    # numpy's LU calls such a matrix singular and raised (inv even named "diagonal element 0")
    a = _t(WITH_NAN, True)
    out = L.inv(a)
    assert np.isnan(out.detach().numpy()).all()
    out.sum().backward()
    assert a.grad is not None and np.isnan(a.grad.detach().numpy()).all()
    inverse, info = L.inv_ex(_t(WITH_NAN))
    assert np.isnan(inverse.detach().numpy()).all() and int(info.item()) == 0
    assert np.isnan(L.solve(_t(WITH_NAN), _t([[1.0], [2.0]])).detach().numpy()).all()
    # only the matrix holding nan: the rest of the batch is solved, a singular one still raises
    batch = L.inv(_t([WITH_NAN, [[2.0, 0.0], [0.0, 4.0]]]))
    np.testing.assert_array_equal(batch.detach().numpy()[1], [[0.5, 0.0], [0.0, 0.25]])
    with pytest.raises(L.LinAlgError, match="singular"):
        L.inv(_t(SINGULAR))


def test_slogdet_and_logdet_of_a_matrix_holding_nan_are_nan() -> None:
    # numpy's slogdet gives −∞ there; torch (LAPACK) nan
    _sign, logabsdet = L.slogdet(_t(WITH_NAN))
    assert math.isnan(logabsdet.item())
    assert math.isnan(tg.logdet(_t(WITH_NAN)).item())


# ----------------------------------------------------------------------------- crashes in backward


def test_slogdet_backward_at_a_singular_matrix_is_infinite_not_an_error() -> None:
    # the rule X̄ = g·X⁻ᵀ inverted X and raised; torch gives ±inf (cof X / 0)
    a = _t(SINGULAR, True)
    _sign, logabsdet = L.slogdet(a)
    assert logabsdet.item() == -inf
    logabsdet.backward()
    assert a.grad is not None and np.isinf(a.grad.detach().numpy()).all()
    b = _t(SINGULAR, True)
    tg.logdet(b).backward()
    assert b.grad is not None and np.isinf(b.grad.detach().numpy()).all()
    # an invertible member of the same batch keeps its X⁻ᵀ
    c = _t([SINGULAR, [[2.0, 0.0], [0.0, 4.0]]], True)
    L.slogdet(c).logabsdet.sum().backward()
    assert c.grad is not None
    np.testing.assert_allclose(c.grad.detach().numpy()[1], [[0.5, 0.0], [0.0, 0.25]])


def test_lu_factor_ex_backward_at_a_singular_matrix_is_nan_as_torch() -> None:
    a = _t([SINGULAR, [[2.0, 1.0], [1.0, 3.0]]], True)
    lu, _pivots, info = L.lu_factor_ex(a)
    assert info.detach().numpy().tolist() == [2, 0]
    lu.sum().backward()
    assert a.grad is not None and np.isnan(a.grad.detach().numpy()[0]).all()
    b = _t([[2.0, 1.0], [1.0, 3.0]], True)
    L.lu_factor(b).LU.sum().backward()
    assert b.grad is not None
    np.testing.assert_allclose(a.grad.detach().numpy()[1], b.grad.detach().numpy())


# ----------------------------------------------------------------------------- silent wrong values


def test_logdet_gradient_is_zero_where_the_determinant_is_negative() -> None:
    # the nan there is a constant, as torch's; the gradient was A⁻ᵀ
    a = _t([[0.0, 1.0], [1.0, 0.0]], True)
    out = tg.logdet(a)
    assert math.isnan(out.item())
    out.backward()
    assert a.grad is not None
    np.testing.assert_array_equal(a.grad.detach().numpy(), np.zeros((2, 2)))
    b = _t([[2.0, 1.0], [1.0, 3.0]], True)
    assert gradcheck(tg.logdet, [b])


def test_cholesky_inverse_and_solve_gradients_use_all_of_l_as_torch() -> None:
    # torch's rule L̄ = (Ā + Āᵀ)L takes the whole input, entries outside the triangle too; the
    # value reads only the triangle
    rng = np.random.default_rng(0)
    full = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    tril = np.tril(full)
    for upper in (False, True):
        tri = np.triu(full) if upper else tril
        a, b = _t(full, True), _t(tri, True)
        out_a, out_b = tg.cholesky_inverse(a, upper=upper), tg.cholesky_inverse(b, upper=upper)
        np.testing.assert_array_equal(out_a.detach().numpy(), out_b.detach().numpy())
        g = rng.standard_normal((3, 3))
        (out_a * _t(g)).sum().backward()
        assert a.grad is not None
        inv = out_a.detach().numpy()
        abar = -inv @ g.T @ inv  # Ā of inverse(A) with A symmetric
        expect = (full @ (abar + abar.T)) if upper else ((abar + abar.T) @ full)
        np.testing.assert_allclose(a.grad.detach().numpy(), expect, rtol=1e-10, atol=1e-12)
    torch = pytest.importorskip("torch")
    for upper in (False, True):
        for name, args in (("cholesky_inverse", ()), ("cholesky_solve", (full[:, :2],))):
            ours = [_t(x, True) for x in (*args, full)]
            theirs = [torch.tensor(x, requires_grad=True) for x in (*args, full)]
            getattr(tg, name)(*ours, upper=upper).sum().backward()
            getattr(torch, name)(*theirs, upper=upper).sum().backward()
            for x, y in zip(ours, theirs):
                assert x.grad is not None and y.grad is not None
                np.testing.assert_allclose(
                    x.grad.detach().numpy(), y.grad.detach().numpy(), rtol=1e-9
                )


def test_renorm_with_an_infinite_maxnorm_has_a_finite_gradient() -> None:
    # maxnorm/norm was inf, and the where's unused branch made the gradient nan
    x = _t([[1.0, 2.0], [3.0, 4.0]], True)
    out = tg.renorm(x, 2, 0, inf)
    np.testing.assert_array_equal(out.detach().numpy(), x.detach().numpy())
    out.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.detach().numpy(), np.ones((2, 2)))
    for bad in ((nan, 1.0), (2, nan)):
        with pytest.raises(RuntimeError, match="renorm"):
            tg.renorm(x, bad[0], 0, bad[1])


def test_gradient_reaches_the_sample_coordinates() -> None:
    # the coordinates were numpy constants: no gradient reached them (torch's does)
    coords = _t([0.0, 1.0, 3.0, 4.5, 7.0], True)
    f = _t([1.0, -2.0, 0.5, 3.0, 2.0], True)
    for edge_order in (1, 2):
        assert gradcheck(
            lambda y, c, e=edge_order: tg.gradient(y, spacing=(c,), edge_order=e)[0], [f, coords]
        )
    assert gradgradcheck(lambda y, c: tg.gradient(y, spacing=(c,))[0], [f, coords])
    # spacing=None is the default spacing 1, as torch's
    np.testing.assert_array_equal(
        tg.gradient(f, spacing=None)[0].detach().numpy(), tg.gradient(f)[0].detach().numpy()
    )
    torch = pytest.importorskip("torch")
    for edge_order in (1, 2):
        a, b = f.detach().requires_grad_(True), coords.detach().requires_grad_(True)
        ta = torch.tensor(f.detach().numpy(), requires_grad=True)
        tb = torch.tensor(coords.detach().numpy(), requires_grad=True)
        (
            tg.gradient(a, spacing=(b,), edge_order=edge_order)[0] * _t([1, 2, 3, 4, 5])
        ).sum().backward()
        w = torch.tensor([1.0, 2, 3, 4, 5], dtype=torch.float64)
        (torch.gradient(ta, spacing=(tb,), edge_order=edge_order)[0] * w).sum().backward()
        assert a.grad is not None and b.grad is not None
        np.testing.assert_allclose(a.grad.detach().numpy(), ta.grad.detach().numpy(), rtol=1e-9)
        np.testing.assert_allclose(b.grad.detach().numpy(), tb.grad.detach().numpy(), rtol=1e-9)


def test_bitwise_ops_promote_as_torch() -> None:
    # a 0-d int64 tensor does not widen an int32 one (numpy's did); bool with int64 is int64
    x = tg.tensor([1, 2, 3, 4]).int()
    three = tg.tensor(3)
    assert (x | three).dtype == np.int32
    assert tg.bitwise_or(x, three).dtype == np.int32
    assert tg.bitwise_and(x, three).detach().numpy().tolist() == [1, 2, 3, 0]
    flags, counts = tg.tensor([True, False]), tg.tensor([3, 1])
    assert tg.gcd(flags, counts).detach().numpy().tolist() == [1, 1]
    assert tg.lcm(flags, counts).dtype == np.int64
    with pytest.raises(NotImplementedError, match=r"gcd\(\).*bool"):
        tg.gcd(flags, flags)


def test_nextafter_promotes_float32_with_float64() -> None:
    a = tg.tensor([1.0, 2.0], dtype=tg.float32)
    out = tg.nextafter(a, _t([2.0, 0.0]))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.detach().numpy(), np.nextafter([1.0, 2.0], [2.0, 0.0]))
    ints = tg.nextafter(tg.tensor([1, 2]), tg.tensor([2.0, 0.0]))
    assert ints.dtype == np.float32


def test_masked_scatter_broadcasts_input_to_the_mask_out_of_place() -> None:
    mask = tg.tensor([[True, False, True], [False, True, True]])
    out = tg.masked_scatter(tg.zeros(3), mask, tg.arange(6.0))
    np.testing.assert_array_equal(out.detach().numpy(), [[0.0, 0.0, 1.0], [0.0, 2.0, 3.0]])
    with pytest.raises(RuntimeError, match=r"masked_scatter_.*\(2, 3\).*\(3,\)"):
        tg.zeros(3).masked_scatter_(mask, tg.arange(6.0))


def test_bernoulli_of_a_tensor_requiring_grad_requires_grad_with_zero_gradient() -> None:
    p = _t([0.0, 1.0, 1.0], True)
    draws = tg.bernoulli(p)
    assert draws.requires_grad
    np.testing.assert_array_equal(draws.detach().numpy(), [0.0, 1.0, 1.0])
    draws.sum().backward()
    assert p.grad is not None
    np.testing.assert_array_equal(p.grad.detach().numpy(), np.zeros(3))
    assert p.bernoulli(0.5).requires_grad


def test_vander_of_one_column_is_a_constant_and_linalg_vander_refuses_bools() -> None:
    x = _t([1.0, 2.0, 3.0], True)
    ones = tg.vander(x, N=1)
    assert not ones.requires_grad
    np.testing.assert_array_equal(ones.detach().numpy(), np.ones((3, 1)))
    assert tg.vander(x, N=2).requires_grad
    with pytest.raises(RuntimeError, match=r"linalg.vander.*bool"):
        L.vander(tg.tensor([True, False]))


# ----------------------------------------------------------------------------- numpy's errors


def test_cholesky_ex_of_empty_matrices() -> None:
    # "cannot reshape array of size 0 into shape (0,0)"
    for shape in ((0, 0), (3, 0, 0), (0, 2, 2)):
        factor, info = L.cholesky_ex(tg.zeros(*shape, dtype=tg.float64))
        assert factor.shape == shape and info.shape == shape[:-2]


def test_vector_norm_names_the_dtype_not_numpys_class() -> None:
    with pytest.raises(RuntimeError, match=r"dtype should be floating point, got int64$"):
        L.vector_norm(_t([1.0, 2.0]), dtype=tg.int64)


def test_bitwise_operators_and_nextafter_name_shapes_that_do_not_broadcast() -> None:
    a, b = tg.tensor([5, -3, 0, 7]), tg.tensor([1, 2])
    for fn in (
        lambda: a & b,
        lambda: a | b,
        lambda: a ^ b,
        lambda: tg.bitwise_xor(a, b),
        lambda: tg.gcd(a, b),
    ):
        with pytest.raises(RuntimeError, match=r"\(4,\) and \(2,\) do not broadcast") as e:
            fn()
        assert "operands could not" not in str(e.value)
    with pytest.raises(RuntimeError, match=r"nextafter\(\): .*\(6,\) and \(2, 3\)"):
        tg.nextafter(tg.zeros(6), tg.zeros(2, 3))


def test_histogram_range_must_be_a_pair_of_numbers() -> None:
    x = tg.tensor(np.linspace(0.0, 1.0, 10))
    for bad in ("a", ("a", "b"), 1.0):
        with pytest.raises(TypeError, match=r"histogram\(\): range must be a pair"):
            tg.histogram(x, bins=4, range=bad)
    with pytest.raises(RuntimeError, match="range should have 2 elements, but got 1"):  # torch's
        tg.histogram(x, bins=4, range=(1.0,))
    assert tg.histogram(x, bins=2, range=(0, 1)).hist.detach().numpy().tolist() == [5.0, 5.0]


# ----------------------------------------------------------------------------- torch's kinds


def test_bitwise_functions_refuse_non_numbers_with_a_type_error() -> None:
    # None or a list was "not implemented for dtype object" (NotImplementedError)
    x = tg.tensor([5, -3, 0, 7])
    for fn in (tg.bitwise_and, tg.bitwise_xor, tg.bitwise_left_shift, tg.gcd):
        for bad in (None, "a", [1, 2]):
            with pytest.raises(TypeError, match=r"argument 'other' must be a Tensor or a number"):
                fn(x, bad)
    with pytest.raises(TypeError, match=r"bitwise_and\(\): argument 'other'"):
        x.bitwise_and_(None)
    with pytest.raises(NotImplementedError, match=r"bitwise_and\(\).*float"):
        tg.bitwise_and(x, 2.5)  # a float is a number of the wrong kind, as torch's


def test_put_with_index_and_source_of_other_sizes_is_an_index_error() -> None:
    with pytest.raises(IndexError, match=r"put\(\): .*same number of elements"):
        tg.zeros(3, 4).put(tg.tensor([[0, 1], [2, 3]]), tg.ones(3))
