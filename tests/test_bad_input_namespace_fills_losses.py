"""Regression tests for the findings of tests/_audit_namespace_fills_losses.py, the bad-input audit
of einsum, tensordot, the torch namespace additions, the in-place and random fills, and the new
losses and activations against torch 2.13: each test is one fix (a silent wrong answer, a numpy
error leaking out, or an exception of another kind than torch's), checked without torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F

nan, inf = math.nan, math.inf


# ----------------------------------------------------------------------------- silent wrong answers


def test_unique_keeps_every_nan_apart_as_torch() -> None:
    # numpy merges nans into one; torch (nan != nan) keeps each, counted once
    values, inverse, counts = tg.unique(
        tg.tensor([nan, nan, 1.0, nan]), return_inverse=True, return_counts=True
    )
    np.testing.assert_array_equal(values.numpy(), [1.0, nan, nan, nan])
    np.testing.assert_array_equal(inverse.numpy(), [1, 2, 0, 3])
    np.testing.assert_array_equal(counts.numpy(), [1, 1, 1, 1])
    assert tg.tensor([nan, 1.0, nan]).unique().shape == (3,)


def test_block_diag_of_nothing_has_the_default_dtype() -> None:
    assert tg.block_diag().dtype == tg.get_default_dtype()
    assert tg.block_diag().shape == (1, 0)


# ----------------------------------------------------------------------------- numpy's errors


def test_int_tensor_refuses_a_float_result_in_place_in_torchs_words() -> None:
    for call in (
        lambda: tg.zeros(2, 3, dtype=tg.int64).div_(2.0),
        lambda: tg.zeros(2, 3, dtype=tg.int64).true_divide_(tg.ones(2, 3, dtype=tg.int64)),
        lambda: tg.zeros(2, 3, dtype=tg.int64).multiply_(2.5),
    ):
        with pytest.raises(
            RuntimeError, match="result type float64 can't be cast to the desired output type int64"
        ) as info:
            call()
        assert "ufunc" not in str(info.value) and "same_kind" not in str(info.value)


def test_searchsorted_checks_the_sorter() -> None:
    seq, values = tg.tensor([3.0, 1.0, 2.0]), tg.tensor([2.0, 1.5])
    np.testing.assert_array_equal(
        tg.searchsorted(seq, values, sorter=tg.tensor([1, 2, 0])).numpy(), [1, 1]
    )
    for sorter in ([0, 1, 5], [-1, 0, 1]):
        with pytest.raises(RuntimeError, match=r"searchsorted\(\): sorter index out of range"):
            tg.searchsorted(seq, values, sorter=tg.tensor(sorter))
    with pytest.raises(RuntimeError, match="sorter must be a tensor of long dtype"):
        tg.searchsorted(seq, values, sorter=tg.tensor([0.0, 1.0, 2.0]))


@pytest.mark.parametrize(
    "x, lo, hi",
    [([1.0, nan, 2.0], 0, 0), ([1.0, inf], 0, 0), ([1.0, 2.0], nan, 0), ([1.0, 2.0], 0, inf)],
)
def test_histc_refuses_a_range_that_is_not_finite(x: list[float], lo: float, hi: float) -> None:
    with pytest.raises(RuntimeError, match=r"histc\(\): range of .* is not finite"):
        tg.histc(tg.tensor(x), bins=4, min=lo, max=hi)


def test_histc_bounds_must_be_numbers() -> None:
    for bad in ("a", None, [1]):
        with pytest.raises(TypeError, match=r"histc\(\): min must be a number"):
            tg.histc(tg.tensor([1.0, 2.0]), bins=4, min=bad, max=1)  # type: ignore[arg-type]


def test_fill_diagonal_refuses_a_value_the_int_dtype_cannot_hold() -> None:
    for value in (-inf, nan, 2.0**70):
        with pytest.raises(RuntimeError, match=r"fill_value .* cannot be converted to type int64"):
            tg.zeros(3, 3, dtype=tg.int64).fill_diagonal_(value, True)
    x = tg.zeros(3, 3, dtype=tg.int64).fill_diagonal_(7)
    np.testing.assert_array_equal(x.numpy(), 7 * np.eye(3, dtype=np.int64))


@pytest.mark.parametrize(
    "call",
    [
        "normal_('a')",
        "normal_(0.0, None)",
        "log_normal_('a')",
        "exponential_(None)",
        "cauchy_(None)",
        "uniform_('a', 1.0)",
        "geometric_(None)",
        "bernoulli_('a')",
    ],
)
def test_random_fill_parameters_must_be_numbers(call: str) -> None:
    x = tg.zeros(2, 3)
    with pytest.raises(TypeError, match=r"_\(\): argument '\w+' must be a number, not"):
        eval(f"x.{call}")
    # bools are numbers there, as in torch
    assert x.normal_(0.0, True).shape == (2, 3) and x.uniform_(True, 2).shape == (2, 3)


def test_uniform_refuses_an_infinite_range() -> None:
    for lo, hi in ((0.0, inf), (nan, 1.0), (-inf, 0.0)):
        with pytest.raises(RuntimeError, match=r"uniform_\(\): from and to must be finite"):
            tg.zeros(3).uniform_(lo, hi)


# ----------------------------------------------------------------------------- torch's signatures


def test_functional_relu_takes_inplace_as_torch() -> None:
    x = tg.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 1.0  # torch refuses a leaf that requires grad; a non-leaf is changed, and returned
    out = F.relu(input=h, inplace=True)
    assert out is h
    np.testing.assert_array_equal(out.detach().numpy(), [0.0, 2.0])
    out.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0])


def test_select_names_the_index_and_takes_a_0d_int_tensor() -> None:
    x = tg.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(tg.select(x, 0, tg.tensor(1)).numpy(), [3.0, 4.0, 5.0])
    for bad in (1.0, True, None, "a"):
        with pytest.raises(TypeError, match=r"select\(\): index must be an int"):
            tg.select(x, 0, bad)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- silent acceptance


def test_triangle_indices_take_ints_only() -> None:
    # 2.5 rows gave numpy's indices of a 3-row triangle
    for call in (lambda: tg.tril_indices(2.5, 4), lambda: tg.triu_indices(2, 4.0)):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"_indices\(\): argument '(row|col)' must be int"):
            call()
    with pytest.raises(TypeError, match="argument 'offset' must be int, not bool"):
        tg.tril_indices(3, 3, True)
    np.testing.assert_array_equal(tg.tril_indices(2, 2).numpy(), [[0, 1, 1], [0, 0, 1]])


def test_isin_refuses_what_is_neither_a_tensor_nor_a_number() -> None:
    for elements, test in (
        (None, tg.tensor([2, 4])),
        ([1, 2], tg.tensor([2])),
        (tg.tensor([1]), "a"),
    ):
        with pytest.raises(TypeError, match=r"isin\(\): .*must be"):
            tg.isin(elements, test)
    assert bool(tg.isin(3, tg.tensor([2, 3])))
    np.testing.assert_array_equal(tg.isin(tg.tensor([1, 2]), 2).numpy(), [False, True])


def test_searchsorted_and_bucketize_refuse_a_string_value() -> None:
    seq = tg.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"searchsorted\(\): argument 'input' must be a Tensor"):
        tg.searchsorted(seq, "a")
    with pytest.raises(TypeError, match="must be a Tensor or a number"):
        tg.bucketize("a", seq)
    assert int(tg.searchsorted(seq, 1.5)) == 1


def test_random_takes_int_bounds_the_dtype_can_hold() -> None:
    with pytest.raises(TypeError, match=r"random_\(\): from must be an int"):
        tg.zeros(3).random_(2.5)  # type: ignore[arg-type]
    flags = tg.tensor(np.zeros(6, dtype=bool))
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for bool"):
        flags.random_(to=4)
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for int64"):
        tg.zeros(3, dtype=tg.int64).random_(0, 2**63 + 1)
    with pytest.raises(RuntimeError, match="from is out of bounds for bool"):
        flags.random_(-1, 1)
    assert set(flags.random_().numpy().tolist()) <= {False, True}
    assert set(tg.zeros(50, dtype=tg.int64).random_(-2, 2).numpy().tolist()) <= {-2, -1, 0, 1}


def test_fill_diagonal_takes_a_number_or_a_0d_tensor() -> None:
    # None filled the diagonal with nan, and a string leaked numpy's conversion error
    for bad in (None, "a", tg.tensor([2.5])):
        with pytest.raises(TypeError, match=r"fill_diagonal_\(\): fill_value must be a number"):
            tg.zeros(2, 2).fill_diagonal_(bad)  # type: ignore[arg-type]
    out = tg.zeros(2, 2).fill_diagonal_(tg.tensor(2.5))  # type: ignore[arg-type]
    np.testing.assert_array_equal(out.numpy(), [[2.5, 0.0], [0.0, 2.5]])


def test_in_place_add_and_sub_refuse_an_alpha_that_is_not_a_number() -> None:
    # alpha=None was read as 1
    for op in ("add_", "sub_", "subtract_"):
        for bad in (None, "a"):
            with pytest.raises(TypeError, match=r"_\(\): argument 'alpha' must be a number"):
                getattr(tg.zeros(2), op)(tg.ones(2), alpha=bad)
    np.testing.assert_array_equal(
        tg.zeros(2).subtract_(tg.ones(2), alpha=2.5).numpy(), [-2.5, -2.5]
    )


def test_softshrink_refuses_an_infinite_lambda() -> None:
    # λ = inf gave zeros where torch refuses λ outside [0, the dtype's largest]
    for lambd in (inf, -0.5, nan):
        with pytest.raises(RuntimeError, match=r"softshrink\(\): lambda must be in range \[0, "):
            F.softshrink(tg.tensor([1.0, -2.0]), lambd)
    np.testing.assert_array_equal(F.softshrink(tg.tensor([1.0, -2.0]), 0.5).numpy(), [0.5, -1.5])


def test_triangle_indices_take_an_integer_dtype_only() -> None:
    # dtype='a' gave byte strings ('U' unicode ones), a float dtype float indices: torch refuses
    with pytest.raises(TypeError, match=r"tril_indices\(\): tensors hold numbers or bools"):
        tg.tril_indices(3, 4, dtype="U")
    with pytest.raises(NotImplementedError, match='"triu_indices" not implemented for float32'):
        tg.triu_indices(3, 4, dtype=tg.float32)
    assert tg.tril_indices(3, 4, dtype=np.int32).dtype == np.int32


def test_cdist_checks_the_compute_mode_name() -> None:
    x = tg.ones(2, 3)
    with pytest.raises(ValueError, match=r"cdist\(\): 'bad' is not a valid value for compute_mode"):
        tg.cdist(x, x, compute_mode="bad")
    for mode in (None, "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"):
        np.testing.assert_array_equal(tg.cdist(x, x, compute_mode=mode).numpy(), np.zeros((2, 2)))
