"""torch's in-place forms, random fills, stacks, index sets, counting and searching, fmax/fmin,
logical ops, diag_embed, cdist and baddbmm, as tg.* functions and Tensor methods.

Without torch: numpy references, gradcheck in float64, the in-place contract (the same tensor
returned, refused on a tensor that requires grad), random fills' ranges and moments. With
torch: values, dtypes and gradients against torch 2.13 call by call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((3, 4))
POS = RNG.uniform(0.1, 0.9, (3, 4))
SQ = RNG.standard_normal((3, 3))
BATCH1, BATCH2 = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 4, 5))

# name, call on a fresh float64 copy of the first array (the library as `lib`, its tensors as
# `t`), and the arrays it uses. The same lambda runs on torch.
INPLACE: list[tuple[str, Callable[[Any, Any, Callable[[np.ndarray], Any]], Any], np.ndarray]] = [
    ("sinh_", lambda lib, x, t: x.sinh_(), A),
    ("cosh_", lambda lib, x, t: x.cosh_(), A),
    ("asin_", lambda lib, x, t: x.asin_(), POS),
    ("acos_", lambda lib, x, t: x.acos_(), POS),
    ("atan_", lambda lib, x, t: x.atan_(), A),
    ("asinh_", lambda lib, x, t: x.asinh_(), A),
    ("acosh_", lambda lib, x, t: x.acosh_(), POS + 1),
    ("atanh_", lambda lib, x, t: x.atanh_(), POS),
    ("arcsin_", lambda lib, x, t: x.arcsin_(), POS),
    ("arctanh_", lambda lib, x, t: x.arctanh_(), POS),
    ("sinc_", lambda lib, x, t: x.sinc_(), A),
    ("sgn_", lambda lib, x, t: x.sgn_(), A),
    ("deg2rad_", lambda lib, x, t: x.deg2rad_(), A),
    ("rad2deg_", lambda lib, x, t: x.rad2deg_(), A),
    ("logit_", lambda lib, x, t: x.logit_(), POS),
    ("logit_eps", lambda lib, x, t: x.logit_(0.2), POS),
    ("fix_", lambda lib, x, t: x.fix_(), A * 3),
    ("negative_", lambda lib, x, t: x.negative_(), A),
    ("absolute_", lambda lib, x, t: x.absolute_(), A),
    ("cumsum_", lambda lib, x, t: x.cumsum_(1), A),
    ("cumprod_", lambda lib, x, t: x.cumprod_(0), A),
    ("atan2_", lambda lib, x, t: x.atan2_(t(B)), A),
    ("arctan2_", lambda lib, x, t: x.arctan2_(t(B)), A),
    ("hypot_", lambda lib, x, t: x.hypot_(t(B)), A),
    ("copysign_", lambda lib, x, t: x.copysign_(t(B)), A),
    ("fmod_", lambda lib, x, t: x.fmod_(0.7), A),
    ("remainder_", lambda lib, x, t: x.remainder_(t(B)), A),
    ("xlogy_", lambda lib, x, t: x.xlogy_(t(POS)), A),
    ("heaviside_", lambda lib, x, t: x.heaviside_(t(B)), A),
    ("float_power_", lambda lib, x, t: x.float_power_(2), A),
    ("subtract_", lambda lib, x, t: x.subtract_(t(B), alpha=2), A),
    ("multiply_", lambda lib, x, t: x.multiply_(t(B)), A),
    ("divide_", lambda lib, x, t: x.divide_(t(B), rounding_mode="floor"), A),
    ("true_divide_", lambda lib, x, t: x.true_divide_(t(B)), A),
    ("floor_divide_", lambda lib, x, t: x.floor_divide_(0.3), A),
    ("lerp_", lambda lib, x, t: x.lerp_(t(B), 0.3), A),
    ("lerp_tensor", lambda lib, x, t: x.lerp_(t(B), t(POS)), A),
    ("addcmul_", lambda lib, x, t: x.addcmul_(t(B), t(POS), value=0.5), A),
    ("addcdiv_", lambda lib, x, t: x.addcdiv_(t(B), t(POS), value=2), A),
    ("addmm_", lambda lib, x, t: x.addmm_(t(B), t(A.T), beta=0.5, alpha=2), SQ),
    ("addmv_", lambda lib, x, t: x.addmv_(t(A), t(B[0]), alpha=2), SQ[0]),
    ("addr_", lambda lib, x, t: x.addr_(t(A[:, 0]), t(B[0])), A),
    ("baddbmm_", lambda lib, x, t: x.baddbmm_(t(BATCH1), t(BATCH2), beta=2), BATCH1 @ BATCH2),
    ("addbmm_", lambda lib, x, t: x.addbmm_(t(BATCH1), t(BATCH2), alpha=3), BATCH1[0] @ BATCH2[0]),
    ("eq_", lambda lib, x, t: x.eq_(t(np.round(B))), np.round(A)),
    ("ne_", lambda lib, x, t: x.ne_(0.5), A),
    ("lt_", lambda lib, x, t: x.lt_(t(B)), A),
    ("le_", lambda lib, x, t: x.le_(t(B)), A),
    ("gt_", lambda lib, x, t: x.gt_(t(B)), A),
    ("ge_", lambda lib, x, t: x.ge_(0.0), A),
    ("greater_", lambda lib, x, t: x.greater_(t(B)), A),
    ("less_equal_", lambda lib, x, t: x.less_equal_(t(B)), A),
    ("tril_", lambda lib, x, t: x.tril_(1), A),
    ("triu_", lambda lib, x, t: x.triu_(-1), A),
    ("index_add_", lambda lib, x, t: x.index_add_(0, t(np.array([0, 2, 0])), t(B), alpha=2), A),
    ("index_copy_", lambda lib, x, t: x.index_copy_(1, t(np.array([3, 1])), t(B[:, :2])), A),
    ("index_fill_", lambda lib, x, t: x.index_fill_(1, t(np.array([0, 2])), -1.5), A),
    ("scatter_", lambda lib, x, t: x.scatter_(1, t(np.array([[0, 2], [1, 3], [3, 0]])), t(B)), A),
    ("scatter_value", lambda lib, x, t: x.scatter_(0, t(np.array([[2, 0, 1, 1]])), value=7.0), A),
    (
        "scatter_add_",
        lambda lib, x, t: x.scatter_add_(1, t(np.array([[0, 0], [1, 3], [2, 2]])), t(B)),
        A,
    ),
    ("fill_diagonal_", lambda lib, x, t: x.fill_diagonal_(5.0), A),
    ("fill_diagonal_wrap", lambda lib, x, t: x.fill_diagonal_(5.0, wrap=True), np.zeros((7, 3))),
    ("logical_not_", lambda lib, x, t: x.logical_not_(), np.round(A)),
    ("logical_and_", lambda lib, x, t: x.logical_and_(t(np.round(B))), np.round(A)),
    ("logical_or_", lambda lib, x, t: x.logical_or_(t(np.round(B))), np.round(A)),
    ("logical_xor_", lambda lib, x, t: x.logical_xor_(t(np.round(B))), np.round(A)),
]


def _ours(a: np.ndarray) -> tg.Tensor:
    return tg.tensor(np.array(a))


@pytest.mark.parametrize(("name", "call", "data"), INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_returns_self_and_refuses_grad(name: str, call: Any, data: np.ndarray) -> None:
    x = _ours(data)
    assert call(tg, x, _ours) is x
    y = tg.tensor(np.array(data), requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        call(tg, y, _ours)


@pytest.mark.parametrize(("name", "call", "data"), INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_matches_torch(name: str, call: Any, data: np.ndarray) -> None:
    torch = pytest.importorskip("torch")

    def theirs(a: np.ndarray) -> Any:
        return torch.tensor(np.array(a))

    x, r = _ours(data), theirs(data)
    call(tg, x, _ours)
    call(torch, r, theirs)
    np.testing.assert_allclose(x.numpy(), r.numpy(), rtol=1e-12, atol=1e-12)


def test_inplace_on_a_view_writes_the_base() -> None:
    x = tg.zeros(3, 3)
    x[1:].tril_()  # nothing to change below the diagonal of zeros; now a real write:
    x.diagonal().fill_(2.0)
    x[:, :2].index_fill_(1, tg.tensor([0]), 1.0)
    np.testing.assert_array_equal(x.numpy(), [[1, 0, 0], [1, 2, 0], [1, 0, 2]])


def test_float_power_inplace_needs_float64() -> None:
    with pytest.raises(RuntimeError, match="float64"):
        tg.ones(3).float_power_(2)


# ----------------------------------------------------------------------------- random fills


@pytest.mark.parametrize(
    ("call", "mean", "std", "low", "high"),
    [
        (lambda x: x.uniform_(-2, 4), 1.0, 6 / 12**0.5, -2, 4),
        (lambda x: x.normal_(3, 0.5), 3.0, 0.5, -np.inf, np.inf),
        (lambda x: x.exponential_(2.0), 0.5, 0.5, 0, np.inf),
        (lambda x: x.log_normal_(0.0, 0.25), np.exp(0.25**2 / 2), None, 0, np.inf),
        (lambda x: x.geometric_(0.25), 4.0, (0.75 / 0.25**2) ** 0.5, 1, np.inf),
        (lambda x: x.bernoulli_(0.3), 0.3, (0.3 * 0.7) ** 0.5, 0, 1),
        (lambda x: x.random_(3, 9), 5.5, None, 3, 8),
        (lambda x: x.random_(4), 1.5, None, 0, 3),
    ],
)
def test_random_fills_have_their_distribution(
    call: Any, mean: float, std: float | None, low: float, high: float
) -> None:
    tg.manual_seed(0)
    x = tg.zeros(40_000)
    assert call(x) is x and x.dtype == np.float32
    v = x.numpy().astype(np.float64)
    assert v.min() >= low and v.max() <= high
    spread = std if std is not None else v.std()
    assert abs(v.mean() - mean) < 5 * spread / len(v) ** 0.5
    if std is not None:
        assert abs(v.std() - std) < 0.05 * std
    tg.manual_seed(0)
    again = call(tg.zeros(40_000)).numpy()
    np.testing.assert_array_equal(again, x.numpy())


def test_cauchy_median_and_quartiles() -> None:
    tg.manual_seed(1)
    v = tg.zeros(40_000, dtype=tg.float64).cauchy_(1.0, 2.0).numpy()
    q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
    assert abs(med - 1.0) < 0.1 and abs(q1 - (-1.0)) < 0.15 and abs(q3 - 3.0) < 0.15


def test_random_fills_keep_dtype_take_a_generator_and_refuse_bad_arguments() -> None:
    a = tg.zeros(5, dtype=tg.float64).uniform_(0, 1, generator=np.random.default_rng(3))
    b = tg.zeros(5, dtype=tg.float64).uniform_(0, 1, generator=np.random.default_rng(3))
    assert a.dtype == np.float64 and np.array_equal(a.numpy(), b.numpy())
    ints = tg.zeros(1000, dtype=tg.int64).random_(0, 5)
    assert ints.dtype == np.int64 and set(np.unique(ints.numpy())) == {0, 1, 2, 3, 4}
    bits = tg.zeros(1000, dtype=tg.bool_).random_()
    assert set(np.unique(bits.numpy())) == {False, True}
    p = tg.tensor([0.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(tg.zeros(4).bernoulli_(p).numpy(), [0, 1, 0, 1])
    for bad in (
        lambda: tg.zeros(3).uniform_(2, 1),
        lambda: tg.zeros(3).normal_(0, -1),
        lambda: tg.zeros(3).exponential_(0),
        lambda: tg.zeros(3).geometric_(1.5),
        lambda: tg.zeros(3).bernoulli_(1.5),
        lambda: tg.zeros(3).random_(5, 2),
    ):
        with pytest.raises(RuntimeError):
            bad()
    with pytest.raises(NotImplementedError):
        tg.zeros(3, dtype=tg.int64).normal_()
    w = tg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        w.normal_()
    with tg.no_grad():
        w.normal_()
    assert w.requires_grad and np.all(w.detach().numpy() != 0)


# ----------------------------------------------------------------------------- functions

T = tg.tensor
FUNCTIONS: list[tuple[str, Callable[[Any, Callable[..., Any]], Any], bool]] = [
    # name, call(lib, tensor maker), differentiable in the tensors it makes
    ("hstack", lambda lib, t: lib.hstack([t(A), t(B)]), True),
    ("hstack_vectors", lambda lib, t: lib.hstack([t(A[0]), t(B[1]), t(np.array(2.0))]), True),
    ("vstack", lambda lib, t: lib.vstack([t(A[0]), t(B)]), True),
    ("row_stack", lambda lib, t: lib.row_stack([t(A), t(B)]), True),
    ("dstack", lambda lib, t: lib.dstack([t(A), t(B)]), True),
    ("dstack_vectors", lambda lib, t: lib.dstack([t(A[0]), t(B[0])]), True),
    ("column_stack", lambda lib, t: lib.column_stack([t(A[0, :3]), t(B[:, :2])]), True),
    ("atleast_1d", lambda lib, t: lib.atleast_1d(t(np.array(3.0))), True),
    ("atleast_2d", lambda lib, t: lib.atleast_2d(t(A[0])), True),
    ("atleast_3d_vector", lambda lib, t: lib.atleast_3d(t(A[0])), True),
    ("atleast_3d_matrix", lambda lib, t: lib.atleast_3d(t(A)), True),
    ("atleast_2d_many", lambda lib, t: lib.atleast_2d(t(np.array(1.0)), t(A)), True),
    ("atleast_1d_list", lambda lib, t: lib.atleast_1d([t(np.array(1.0)), t(A[0])]), True),
    (
        "block_diag",
        lambda lib, t: lib.block_diag(t(np.array(2.0)), t(A[0, :2]), t(B[:2, :3])),
        True,
    ),
    ("cartesian_prod", lambda lib, t: lib.cartesian_prod(t(A[0]), t(B[0, :3])), True),
    (
        "cartesian_prod_3",
        lambda lib, t: lib.cartesian_prod(t(A[0, :2]), t(B[0, :3]), t(A[1, :2])),
        True,
    ),
    ("combinations", lambda lib, t: lib.combinations(t(A[0])), True),
    ("combinations_r3", lambda lib, t: lib.combinations(t(A[0]), 3), True),
    (
        "combinations_repl",
        lambda lib, t: lib.combinations(t(A[0, :3]), with_replacement=True),
        True,
    ),
    ("cdist", lambda lib, t: lib.cdist(t(A), t(B[:2])), True),
    ("cdist_p1", lambda lib, t: lib.cdist(t(A), t(B), p=1.0), True),
    ("cdist_batched", lambda lib, t: lib.cdist(t(BATCH1), t(BATCH1[:, :2]), p=3.0), True),
    ("dist", lambda lib, t: lib.dist(t(A), t(B)), True),
    ("dist_p1", lambda lib, t: lib.dist(t(A), t(B[0]), p=1), True),
    ("fmax", lambda lib, t: lib.fmax(t(A), t(np.where(B > 0, np.nan, B))), True),
    ("fmin", lambda lib, t: lib.fmin(t(np.where(A > 1, np.nan, A)), t(B)), True),
    ("msort", lambda lib, t: lib.msort(t(A)), True),
    ("select", lambda lib, t: lib.select(t(A), 1, -2), True),
    ("positive", lambda lib, t: lib.positive(t(A)), True),
    ("vdot", lambda lib, t: lib.vdot(t(A[0]), t(B[0])), True),
    ("diag_embed", lambda lib, t: lib.diag_embed(t(A)), True),
    ("diag_embed_offset", lambda lib, t: lib.diag_embed(t(A), 2, 0, 2), True),
    ("diag_embed_neg", lambda lib, t: lib.diag_embed(t(A), -1, -1, 1), True),
    ("diagflat", lambda lib, t: lib.diagflat(t(A[:2, :2]), 1), True),
    (
        "baddbmm",
        lambda lib, t: lib.baddbmm(
            t(A[0, :3]), t(BATCH1[:, :, :3]), t(BATCH2[:, :3, :3]), beta=0.5
        ),
        True,
    ),
    (
        "addbmm",
        lambda lib, t: lib.addbmm(t(A[:, :1]), t(BATCH1), t(BATCH2[:, :, :4]), alpha=2),
        True,
    ),
    ("rsub", lambda lib, t: lib.rsub(t(A), t(B), alpha=2), True),
    ("rsub_scalar", lambda lib, t: lib.rsub(t(A), 3.0), True),
    ("logical_and", lambda lib, t: lib.logical_and(t(np.round(A)), t(np.round(B))), False),
    (
        "logical_or",
        lambda lib, t: lib.logical_or(t(np.round(A)), t(np.array([0.0, 1, 0, 0]))),
        False,
    ),
    ("logical_xor", lambda lib, t: lib.logical_xor(t(np.round(A)), t(np.round(B))), False),
    ("logical_not", lambda lib, t: lib.logical_not(t(np.round(A))), False),
    ("argwhere", lambda lib, t: lib.argwhere(t(np.round(A))), False),
    ("isin", lambda lib, t: lib.isin(t(np.round(A)), t(np.array([0.0, 1.0]))), False),
    (
        "isin_invert",
        lambda lib, t: lib.isin(t(np.round(A)), t(np.array([0.0])), invert=True),
        False,
    ),
    ("histc", lambda lib, t: lib.histc(t(A), bins=5, min=-1, max=1), False),
    ("histc_own_range", lambda lib, t: lib.histc(t(A), bins=4), False),
    ("tril_indices", lambda lib, t: lib.tril_indices(3, 4, 1), False),
    ("triu_indices", lambda lib, t: lib.triu_indices(4, 3, -1), False),
    ("searchsorted", lambda lib, t: lib.searchsorted(t(np.sort(A[0])), t(B)), False),
    (
        "searchsorted_right",
        lambda lib, t: lib.searchsorted(t(np.sort(A, 1)), t(np.sort(A, 1)), right=True),
        False,
    ),
    (
        "searchsorted_side",
        lambda lib, t: lib.searchsorted(t(np.sort(A, 1)), t(B), side="right", out_int32=True),
        False,
    ),
    ("bucketize", lambda lib, t: lib.bucketize(t(A), t(np.array([-1.0, 0.0, 1.0]))), False),
    (
        "bucketize_right",
        lambda lib, t: lib.bucketize(t(np.round(A)), t(np.array([-1.0, 0.0, 1.0])), right=True),
        False,
    ),
]


def _pairs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, tuple) else [out]


@pytest.mark.parametrize(("name", "call", "grad"), FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_function_matches_torch(name: str, call: Any, grad: bool) -> None:
    torch = pytest.importorskip("torch")
    ours: list[tg.Tensor] = []
    theirs: list[Any] = []

    def make_ours(a: np.ndarray) -> tg.Tensor:
        ours.append(tg.tensor(np.array(a), requires_grad=grad))
        return ours[-1]

    def make_theirs(a: np.ndarray) -> Any:
        theirs.append(torch.tensor(np.array(a), requires_grad=grad))
        return theirs[-1]

    out, ref = _pairs(call(tg, make_ours)), _pairs(call(torch, make_theirs))
    assert len(out) == len(ref)
    for o, r in zip(out, ref):
        assert o.shape == tuple(r.shape)
        assert o.dtype == np.dtype(str(r.dtype).removeprefix("torch."))
        np.testing.assert_allclose(o.detach().numpy(), r.detach().numpy(), rtol=1e-12, atol=1e-12)
    if grad:
        seeds = [RNG.standard_normal(o.shape) for o in out]
        tg.autograd.backward(out, [tg.tensor(s) for s in seeds])
        torch.autograd.backward(ref, [torch.tensor(s) for s in seeds])
        for t, r in zip(ours, theirs):
            got = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
            want = np.zeros(t.shape) if r.grad is None else r.grad.numpy()
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("name", "call"), [(n, c) for n, c, g in FUNCTIONS if g], ids=[n for n, _, g in FUNCTIONS if g]
)
def test_function_gradcheck(name: str, call: Any) -> None:
    arrays: list[np.ndarray] = []
    call(tg, lambda a: arrays.append(np.array(a)) or tg.tensor(a))

    def fn(*ts: tg.Tensor) -> tg.Tensor:
        it = iter(ts)
        out = _pairs(call(tg, lambda a: next(it)))
        return tg.cat([o.reshape(-1) for o in out])

    assert gradcheck(fn, arrays)


def test_unique_and_counts_without_torch() -> None:
    x = tg.tensor([3, 1, 1, 2, 3, 3])
    values, inverse, counts = tg.unique(x, return_inverse=True, return_counts=True)
    assert values.tolist() == [1, 2, 3] and counts.tolist() == [2, 1, 3]
    assert inverse.tolist() == [2, 0, 0, 1, 2, 2]
    rows = tg.tensor([[1, 2], [1, 2], [0, 1]])
    assert tg.unique(rows, dim=0).tolist() == [[0, 1], [1, 2]]
    v, c = tg.unique_consecutive(tg.tensor([1, 1, 2, 2, 1]), return_counts=True)
    assert v.tolist() == [1, 2, 1] and c.tolist() == [2, 2, 1]
    assert tg.bincount(tg.tensor([0, 1, 1, 4])).tolist() == [1, 2, 0, 0, 1]
    w = tg.bincount(tg.tensor([0, 1, 1]), weights=tg.tensor([0.5, 1.0, 2.0]), minlength=3)
    assert w.tolist() == [0.5, 3.0, 0.0] and w.dtype == np.float32
    with pytest.raises(RuntimeError, match="non-negative"):
        tg.bincount(tg.tensor([-1, 2]))
    with pytest.raises(RuntimeError, match="1-d"):
        tg.bincount(tg.tensor([[1]]))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.unique(lib.tensor([3, 1, 1, 2]), return_inverse=True, return_counts=True),
        lambda lib: lib.unique(lib.tensor([[1, 2], [1, 2], [0, 1]]), dim=0, return_inverse=True),
        lambda lib: lib.unique(lib.tensor([[1, 2], [1, 0]]), dim=1, return_counts=True),
        lambda lib: lib.unique_consecutive(lib.tensor([1, 1, 2, 2, 1]), return_inverse=True),
        lambda lib: lib.unique_consecutive(
            lib.tensor([[1, 1], [1, 1], [0, 1]]), dim=0, return_counts=True
        ),
        lambda lib: lib.bincount(lib.tensor([0, 1, 1, 5]), minlength=8),
        lambda lib: lib.bincount(
            lib.tensor([0, 1, 1]), weights=lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)
        ),
        lambda lib: lib.combinations(lib.tensor([1, 2, 3]), r=0),
        lambda lib: lib.searchsorted(lib.tensor([1, 3, 5]), 3),
        lambda lib: lib.bucketize(lib.tensor(4), lib.tensor([1, 3, 5])),
    ],
)
def test_counting_matches_torch(call: Any) -> None:
    torch = pytest.importorskip("torch")
    out, ref = _pairs(call(tg)), _pairs(call(torch))
    assert len(out) == len(ref)
    for o, r in zip(out, ref):
        assert o.shape == tuple(r.shape)
        np.testing.assert_array_equal(o.numpy(), r.numpy())


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.hstack([]),
        lambda lib: lib.block_diag(lib.ones(2, 2, 2)),
        lambda lib: lib.cartesian_prod(lib.ones(2, 2)),
        lambda lib: lib.combinations(lib.ones(2, 2)),
        lambda lib: lib.cdist(lib.ones(2, 3), lib.ones(2, 4)),
        lambda lib: lib.cdist(lib.ones(3), lib.ones(2, 3)),
        lambda lib: lib.searchsorted(lib.ones(2, 3), lib.ones(3, 1)),
        lambda lib: lib.searchsorted(lib.ones(3), lib.ones(2), side="middle"),
        lambda lib: lib.bucketize(lib.ones(2), lib.ones(2, 2)),
        lambda lib: lib.select(lib.ones(2, 3), 1, 3),
        lambda lib: lib.select(lib.ones(()), 0, 0),
        lambda lib: lib.diag_embed(lib.ones(2, 3), 0, 1, 1),
        lambda lib: lib.histc(lib.ones(3), bins=0),
        lambda lib: lib.histc(lib.ones(3), bins=2, min=3, max=1),
        lambda lib: lib.positive(lib.tensor([True, False])),
        lambda lib: lib.vdot(lib.ones(2), lib.ones(3)),
        lambda lib: lib.bincount(lib.ones(2, dtype=lib.int64), weights=lib.ones(3)),
        lambda lib: lib.logical_and(lib.ones(2), lib.ones(3)),
        lambda lib: lib.ones(2).fill_diagonal_(1.0),
        lambda lib: lib.ones(2, 3, 4).fill_diagonal_(1.0),
        lambda lib: lib.ones(2).float_power_(2.0),
    ],
)
def test_errors_match_torch_kind(call: Any) -> None:
    """Each bad call raises; where torch is installed, an exception of the kind torch raises."""
    with pytest.raises(Exception) as ours:
        call(tg)
    try:
        import torch
    except ImportError:
        return
    with pytest.raises(Exception) as theirs:
        call(torch)
    assert (
        isinstance(ours.value, type(theirs.value)) or type(theirs.value) in type(ours.value).__mro__
    )
