"""Regression tests for the findings of tests/_audit_methods_layers.py, the bad-input audit of
the Tensor methods (elementwise, rounding division, where, keepdim, the structural and keyword
forms), embedding, the norms, prelu, pad, convolution and pooling against torch 2.13: each test is
one fix (a silent wrong answer, a numpy error leaking out, or an exception of another kind than
torch's), checked without torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.tensor import Tensor

nan, inf = math.nan, math.inf


def grad_of(x: Tensor, out: Tensor) -> np.ndarray:
    out.sum().backward()
    assert x.grad is not None
    return x.grad.numpy()


# ----------------------------------------------------------------------------- silent wrong answers


def test_adaptive_avg_pool_keeps_inf_and_nan_in_their_own_bins() -> None:
    # the averaging matrix's zeros made 0·inf = nan in every bin of the row
    x = tg.tensor([[[[nan, 1.0], [inf, 1.0]]]], dtype=tg.float64, requires_grad=True)
    out = F.adaptive_avg_pool2d(x, 2)
    np.testing.assert_array_equal(out.detach().numpy(), x.detach().numpy())
    np.testing.assert_array_equal(grad_of(x, out), np.ones((1, 1, 2, 2)))
    y = tg.tensor([[1.0, inf, 3.0, 5.0]], dtype=tg.float64)
    np.testing.assert_array_equal(F.adaptive_avg_pool1d(y, 2).numpy(), [[inf, 4.0]])


def test_adaptive_avg_pool_bins_as_torch() -> None:
    x = tg.arange(7.0, dtype=tg.float64).reshape(1, 1, 7)
    # bins [0, 3), [2, 5), [4, 7): torch's ⌊i·L/m⌋ to ⌈(i+1)·L/m⌉
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 3).numpy(), [[[1.0, 3.0, 5.0]]])
    assert F.adaptive_avg_pool1d(x, 0).shape == (1, 1, 0)


def test_xlogy_with_an_integer_other_keeps_float64() -> None:
    # ln of the int64 operand was taken in float32
    x = tg.tensor([1.0, 2.0], dtype=tg.float64)
    out = x.xlogy(tg.tensor([2, 3]))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), [math.log(2), 2 * math.log(3)], rtol=1e-15)
    # a 0-d float64 other defers to a float32 input, as in torch
    assert tg.tensor([1.0]).xlogy(tg.tensor(2.0, dtype=tg.float64)).dtype == np.float32


def test_logaddexp2_of_float32_and_float64_computes_in_float64() -> None:
    out = tg.logaddexp2(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 3.0], dtype=tg.float64))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), [2.0, math.log2(4 + 8)], rtol=1e-15)


def test_nan_to_num_with_nan_none_replaces_nan_by_zero() -> None:
    x = tg.tensor([nan, 1.0])
    np.testing.assert_array_equal(x.nan_to_num(None).numpy(), [0.0, 1.0])
    np.testing.assert_array_equal(x.nan_to_num_(None).numpy(), [0.0, 1.0])


def test_logit_gradient_is_infinite_at_zero_and_one() -> None:
    # torch's g / (x(1 − x)); the quotient's chain rule gave 0·inf = nan
    x = tg.tensor([0.0, 1.0, 0.25, 2.0], dtype=tg.float64, requires_grad=True)
    out = x.logit()
    np.testing.assert_array_equal(out.detach().numpy()[:2], [-inf, inf])
    with np.errstate(divide="ignore", invalid="ignore"):  # g/x at 0, and −inf + inf in the sum
        g = grad_of(x, out)
    np.testing.assert_array_equal(g[:2], [inf, inf])
    assert g[2] == pytest.approx(1 / (0.25 * 0.75)) and math.isnan(g[3])


def test_a_bool_tensor_in_a_subtraction_is_refused() -> None:
    b, x = tg.tensor([True, False]), tg.tensor([1.0, 2.0])
    for call in (lambda: b - x, lambda: x - b, lambda: b.sub(x), lambda: 1 - b, lambda: x - True):
        with pytest.raises(RuntimeError, match=r"sub\(\): Subtraction.*bool"):
            call()
    with pytest.raises(RuntimeError, match="bool"):
        tg.subtract(x, True)


def test_cross_refuses_a_size_one_dim_beside_a_three() -> None:
    with pytest.raises(RuntimeError, match=r"cross\(\): inputs dimension 1 must have length 3"):
        tg.randn(2, 3).cross(tg.randn(2, 1), dim=1)


def test_cov_refusals() -> None:
    x = tg.randn(2, 5)
    with pytest.raises(RuntimeError, match=r"cov\(\): bool dtype"):
        tg.tensor([[True, False, True]]).cov()
    for correction in (True, 1.5):
        with pytest.raises(TypeError, match=r"cov\(\): argument 'correction' must be int"):
            x.cov(correction=correction)  # type: ignore[arg-type]
    assert x.cov(correction=np.int64(0)).shape == (2, 2)
    with pytest.raises(RuntimeError, match=r"cov\(\): weights sum to zero"):
        x.cov(fweights=tg.tensor([0, 0, 0, 0, 0]))


def test_rms_norm_refuses_an_empty_normalized_shape() -> None:
    with pytest.raises(RuntimeError, match=r"rms_norm\(\): expected normalized_shape to be at"):
        F.rms_norm(tg.randn(2, 3), ())


def test_batch_norm_eps_and_training_are_checked_as_torch() -> None:
    x, mean, var = tg.randn(4, 3), tg.zeros(3), tg.ones(3)
    with pytest.raises(ValueError, match=r"batch_norm\(\): eps must be positive during training"):
        F.batch_norm(x, mean, var, training=True, eps=0.0)
    with pytest.raises(ValueError, match=r"batch_norm\(\): eps must be non-negative"):
        F.batch_norm(x, mean, var, training=False, eps=-1.0)
    assert F.batch_norm(x, mean, var, training=False, eps=0.0).shape == (4, 3)
    with pytest.raises(ValueError, match="positive during training"):
        tg.nn.BatchNorm1d(3, eps=0.0)(x)
    # instance_norm shares the rest of batch_norm but takes any eps, as torch's
    assert F.instance_norm(tg.randn(2, 3, 5), eps=-1e-9).shape == (2, 3, 5)
    assert tg.nn.InstanceNorm1d(3, eps=-0.5, track_running_stats=True).eval()(
        tg.randn(2, 3, 5)
    ).shape == (2, 3, 5)
    # no channels: an empty result in training, not a ZeroDivisionError
    assert F.batch_norm(tg.randn(4, 0), None, None, training=True).shape == (4, 0)
    for training in (1, None):
        with pytest.raises(TypeError, match=r"batch_norm\(\): argument 'training' must be bool"):
            F.batch_norm(x, mean, var, training=training)  # type: ignore[arg-type]


def test_conv_refuses_no_filters_and_an_empty_kernel() -> None:
    x = tg.randn(2, 4, 5, 5)
    with pytest.raises(RuntimeError, match=r"conv2d\(\): expected weight to be at least 1"):
        F.conv2d(x, tg.randn(0, 4, 3, 3))
    with pytest.raises(RuntimeError, match=r"conv2d\(\): kernel size should be greater than zero"):
        F.conv2d(x, tg.randn(6, 4, 0, 3))
    with pytest.raises(RuntimeError, match=r"conv1d\(\): kernel size"):
        F.conv1d(tg.randn(2, 4, 7), tg.randn(6, 4, 0))


@pytest.mark.parametrize("pool", [F.max_pool2d, F.avg_pool2d])
@pytest.mark.parametrize("shape", [(2, 0, 6, 6), (0, 6, 6), (2, 3, 0, 6)])
def test_pools_refuse_an_empty_dim_but_the_batch(pool: object, shape: tuple[int, ...]) -> None:
    with pytest.raises(RuntimeError, match=rf"pool2d\(\): .*optional 0 dim batch size.*{shape}"):
        pool(tg.randn(*shape), 2)  # type: ignore[operator]
    assert F.max_pool2d(tg.randn(0, 3, 6, 6), 2).shape == (0, 3, 3, 3)


def test_adaptive_avg_pool_refuses_output_size_none() -> None:
    with pytest.raises(TypeError, match=r"adaptive_avg_pool2d\(\): output_size"):
        F.adaptive_avg_pool2d(tg.randn(1, 2, 4, 4), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"adaptive_avg_pool1d\(\): output_size"):
        F.adaptive_avg_pool1d(tg.randn(1, 2, 4), (None,))  # type: ignore[arg-type]
    assert F.adaptive_avg_pool2d(tg.randn(1, 2, 4, 4), (None, 2)).shape == (1, 2, 4, 2)


def test_repeat_interleave_of_a_0d_tensor_along_a_dim_is_refused() -> None:
    with pytest.raises(
        IndexError, match=r"repeat_interleave\(\): dimension specified as 0 but .* no dimensions"
    ):
        tg.tensor(1.0).repeat_interleave(2, dim=0)
    np.testing.assert_array_equal(tg.tensor(1.0).repeat_interleave(2).numpy(), [1.0, 1.0])


def test_scatter_into_a_0d_tensor_checks_dim_index_and_src() -> None:
    x = tg.tensor(1.0)
    with pytest.raises(IndexError, match=r"scatter_add\(\): dim 1 is out of range"):
        x.scatter_add(1, tg.tensor([[0, 1]]), tg.randn(2, 2))
    with pytest.raises(RuntimeError, match=r"scatter_add\(\): index of shape \(2, 2\)"):
        x.scatter_add(0, tg.tensor([[0, 1], [1, 0]]), tg.randn(2, 2))
    with pytest.raises(RuntimeError, match=r"scatter\(\): index of shape \(\) and src of shape"):
        x.scatter(0, tg.tensor(0), tg.randn(2, 2))
    assert x.scatter_add(0, tg.tensor([0]), tg.tensor([2.0])).item() == 3.0
    assert x.scatter(0, tg.tensor(0), 5.0).item() == 5.0


# ------------------------------------------------------------------------ numpy's errors, named


@pytest.mark.parametrize(
    ("op", "call"),
    [
        ("xlogy", lambda a, b: a.xlogy(b)),
        ("floor_divide", lambda a, b: a.floor_divide(b)),
        ("floor_divide", lambda a, b: a // b),
        ("div", lambda a, b: a.div(b, rounding_mode="trunc")),
        ("divide", lambda a, b: tg.divide(a, b, rounding_mode="floor")),
    ],
)
def test_shapes_that_do_not_broadcast_name_the_op(op: str, call: object) -> None:
    with pytest.raises(RuntimeError, match=rf"{op}\(\): shapes \(2, 3\) and \(4,\) do not"):
        call(tg.randn(2, 3), tg.randn(4))  # type: ignore[operator]


# --------------------------------------------------------------- torch's number-first forms


@pytest.mark.parametrize(
    ("name", "expected", "dtype"),
    [
        ("multiply", [2.0, 4.0], np.float32),
        ("subtract", [1.0, 0.0], np.float32),
        ("true_divide", [2.0, 1.0], np.float32),
        ("xlogy", [0.0, 2 * math.log(2)], np.float32),
        ("remainder", [0.0, 0.0], np.float32),
        ("float_power", [2.0, 4.0], np.float64),
    ],
)
def test_functions_take_a_number_input_as_torch(
    name: str, expected: list[float], dtype: type
) -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    out = getattr(tg, name)(2.0, x)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
    with pytest.raises(TypeError, match=rf"{name}\(\): argument 'input' must be Tensor"):
        getattr(tg, name)("a", x)


def test_index_ops_raise_torch_kinds() -> None:
    m = tg.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"index_add\(\): index 3 is out of range"):
        m.index_add(0, tg.tensor([3]), tg.ones(1, 4))
    with pytest.raises(IndexError, match=r"index_copy\(\): index 3 is out of range"):
        m.index_copy(0, tg.tensor([3]), tg.ones(1, 4))
    with pytest.raises(RuntimeError, match=r"index_fill\(\): index must be a vector"):
        m.index_fill(0, tg.tensor([[0]]), 1.0)
    with pytest.raises(IndexError, match=r"index_add\(\): index must be a vector"):
        m.index_add(0, tg.tensor([[0]]), tg.ones(1, 4))


def test_det_gradient_at_a_singular_matrix_is_its_cofactor_matrix() -> None:
    # it raised inverse()'s "singular" error in backward; det X·X⁻ᵀ has no value there, the
    # cofactor matrix does (torch 2.13 returns 0 at an exactly singular X: not the derivative)
    a = [[1.0, 2.0], [2.0, 4.0]]
    x = tg.tensor(a, dtype=tg.float64, requires_grad=True)
    np.testing.assert_array_equal(grad_of(x, x.det()), [[4.0, -2.0], [-2.0, 1.0]])
    assert tg.gradcheck(lambda m: m.det(), [tg.tensor(a, dtype=tg.float64, requires_grad=True)])
    rank_one = tg.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], dtype=tg.float64)
    assert tg.gradgradcheck(lambda m: m.det(), [rank_one.requires_grad_()])
    batch = tg.tensor([a, [[2.0, 1.0], [1.0, 3.0]]], dtype=tg.float64, requires_grad=True)
    np.testing.assert_allclose(
        grad_of(batch, batch.det()), [[[4.0, -2.0], [-2.0, 1.0]], [[3.0, -1.0], [-1.0, 2.0]]]
    )


def test_det_of_a_matrix_with_nan_is_nan() -> None:
    # LAPACK's LU pivoted the nan away: det [[nan, 1], [1, 1]] was 0
    x = tg.tensor([[[nan, 1.0], [1.0, 1.0]], [[2.0, 1.0], [1.0, 3.0]]], dtype=tg.float64)
    out = x.det().numpy()
    assert math.isnan(out[0]) and out[1] == pytest.approx(5.0)
