"""Bad input and edge values across the API (what the bad-input audits left over): errors that name
the op called (not an inner one), values and gradients at nan/inf and dtype edges as torch 2.13
gives them, and numbers a tensor's dtype cannot hold refused instead of becoming ±inf.

Every test passes without torch; the torch comparisons at the end are skipped without it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn, optim
from tinygrad_ed.tensor import Tensor

NAN, INF = math.nan, math.inf

# ----------------------------------------------------------------------------- op names


def _sgd() -> optim.SGD:
    return optim.SGD([nn.Parameter(tg.zeros(2))], lr=0.1)


@pytest.mark.parametrize(
    ("op", "error", "call"),
    [
        ("full_like", TypeError, lambda: tg.full_like(tg.ones(2), "a")),
        ("full_like", RuntimeError, lambda: tg.full_like(tg.tensor([1, 2]), 1e40)),
        ("full_like", TypeError, lambda: tg.full_like(tg.ones(2), 1.0, dtype="foo")),
        ("new_full", TypeError, lambda: tg.ones(2).new_full((2,), "a")),
        ("new_full", TypeError, lambda: tg.ones(2).new_full((2, None), 1.0)),
        ("new_full", RuntimeError, lambda: tg.ones(2).new_full((2,), 1e40)),
        (
            "new_zeros",
            TypeError,
            lambda: tg.ones(2).new_zeros((2,), dtype=np.int64, requires_grad=True),
        ),
        (
            "empty_like",
            TypeError,
            lambda: tg.empty_like(tg.ones(2), dtype=np.int64, requires_grad=True),
        ),
        ("zeros", TypeError, lambda: tg.zeros(2, dtype=np.int64, requires_grad=True)),
        ("std_mean", IndexError, lambda: tg.std_mean(tg.ones(3), 3)),
        ("var_mean", TypeError, lambda: tg.var_mean(tg.ones(3), 1.5)),
        ("std_mean", TypeError, lambda: tg.std_mean(tg.ones(3), keepdim=None)),
        ("var_mean", TypeError, lambda: tg.var_mean(tg.ones(3), 0, keepdim=1)),
        ("var_mean", TypeError, lambda: tg.var_mean(tg.ones(3), correction="a")),
        ("std", TypeError, lambda: tg.ones(3).std(0, keepdim=None)),
        ("aminmax", TypeError, lambda: tg.ones(2, 3).aminmax(dim=-1, keepdim=None)),
        ("aminmax", TypeError, lambda: tg.aminmax(tg.ones(2, 3), keepdim=1)),
        (
            "pairwise_distance",
            TypeError,
            lambda: F.pairwise_distance(tg.ones(3), tg.ones(3), keepdim=None),
        ),
        ("broadcast_to", RuntimeError, lambda: tg.broadcast_to(tg.tensor(1.0), (-1, 2))),
        ("ParameterList", TypeError, lambda: nn.ParameterList([tg.tensor([1, 2])])),
        ("ParameterDict", TypeError, lambda: nn.ParameterDict({"a": tg.tensor([1, 2])})),
        ("Parameter", TypeError, lambda: nn.Parameter(tg.tensor([1, 2]))),
        (
            "MultiplicativeLR",
            TypeError,
            lambda: optim.lr_scheduler.MultiplicativeLR(_sgd(), lambda e: "a").step(),
        ),
        ("LambdaLR", TypeError, lambda: optim.lr_scheduler.LambdaLR(_sgd(), lambda e: None)),
    ],
)
def test_errors_name_the_op_called(
    op: str, error: type[Exception], call: Callable[[], Any]
) -> None:
    with pytest.raises(error, match=rf"^{op}\(\)"):
        call()


def test_int_tensor_refused_by_parameter_list_is_left_untouched() -> None:
    t = tg.tensor([1, 2])
    with pytest.raises(TypeError, match=r"ParameterList\(\).*int64"):
        nn.ParameterList([t])
    assert not t.requires_grad


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize("reduce", [tg.sum, tg.nansum, tg.prod])
@pytest.mark.parametrize("dtype", [tg.bool_, np.uint8, np.int8, np.int32])
@pytest.mark.parametrize("data", [[200, 100, 1, 3], [200, 0, 3]])
def test_integer_reduction_is_in_the_dtype_asked_for(
    reduce: Callable[..., Tensor], dtype: Any, data: list[int]
) -> None:
    """torch reduces in ``dtype``: uint8 and int8 wrap around (as the exact result cast does),
    and a bool sum is any(), a bool prod all() (as the exact result's truth is)."""
    out = reduce(tg.tensor(data), dtype=dtype)
    assert out.dtype == np.dtype(dtype)
    exact = np.prod(data) if reduce is tg.prod else np.sum(data)
    assert out.item() == np.asarray(exact, dtype=np.int64).astype(dtype)


def test_sum_to_bool_is_any_per_slice() -> None:
    x = tg.tensor([[1, 0], [0, 0]])
    np.testing.assert_array_equal(tg.sum(x, 1, dtype=tg.bool_).data, [True, False])


def test_std_mean_is_std_and_mean() -> None:
    """std_mean's mean is mean()'s, inf with an inf entry (torch's Welford pass gives nan unless
    the inf is the last entry: an artifact of its order, kept out here)."""
    x = tg.tensor([INF, -0.9, -1.8])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        std, mean = tg.std_mean(x)
        var, mean2 = tg.var_mean(x, correction=-1)
    assert math.isnan(std.item()) and math.isnan(var.item())
    assert mean.item() == mean2.item() == INF == x.mean().item()


@pytest.mark.parametrize("correction", [-1, 0, 1, 2])
def test_variance_over_no_elements_is_nan_whatever_the_correction(correction: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        var, mean = tg.var_mean(tg.ones(0), correction=correction)
        std = tg.ones(2, 0).std(1, correction=correction)
    assert math.isnan(var.item()) and math.isnan(mean.item()) and np.isnan(std.data).all()


# ----------------------------------------------------------------------------- gradients


def _grad(f: Callable[[Tensor], Tensor], data: list[float], g: float = 1.0) -> np.ndarray:
    x = tg.tensor(data, dtype=tg.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = f(x)
        out.backward(tg.full(out.shape, g, dtype=tg.float64))
    assert x.grad is not None
    return x.grad.data


def test_maximum_and_minimum_pass_g_to_both_at_a_nan() -> None:
    y = tg.tensor([1.0, NAN, 2.0, 3.0], dtype=tg.float64, requires_grad=True)
    for f in (tg.maximum, tg.minimum):
        x = tg.tensor([NAN, 1.0, 2.0, 0.0], dtype=tg.float64, requires_grad=True)
        y.grad = None
        f(x, y).backward(tg.tensor([1.0, 2.0, 4.0, 8.0], dtype=tg.float64))
        assert x.grad is not None and y.grad is not None
        loses = 8.0 if f is tg.minimum else 0.0  # 0 < 3: x wins min, loses max
        np.testing.assert_array_equal(x.grad.data, [1.0, 2.0, 2.0, loses])  # tie: ½ each
        np.testing.assert_array_equal(y.grad.data, [1.0, 2.0, 2.0, 8.0 - loses])


def test_full_max_shares_a_nan_result_among_the_nan_entries() -> None:
    np.testing.assert_array_equal(_grad(lambda x: x.max(), [NAN, 1.0, NAN]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(_grad(lambda x: x.min(), [1.0, NAN, 3.0]), [0.0, 1.0, 0.0])


def test_full_max_and_max_dim_leave_others_zero_for_an_infinite_or_nan_g() -> None:
    np.testing.assert_array_equal(_grad(lambda x: x.min(), [-INF, 1.0, 2.0], -INF), [-INF, 0, 0])
    np.testing.assert_array_equal(_grad(lambda x: x.max(), [3.0, 1.0, 3.0], INF), [INF, 0, INF])
    got = _grad(lambda x: x.max(0).values, [3.0, 1.0, 2.0], NAN)
    assert math.isnan(got[0]) and (got[1:] == 0).all()


def test_amax_keeps_torchs_product_rule() -> None:
    """amax (unlike the full max()) multiplies g by the share, as torch's: nan·0 = nan."""
    assert np.isnan(_grad(lambda x: x.amax(), [NAN, 1.0, 3.0])).all()
    got = _grad(lambda x: x.amax(), [3.0, 1.0, 3.0], INF)
    assert got[0] == got[2] == INF and math.isnan(got[1])


@pytest.mark.parametrize("f", [F.elu, F.celu, F.selu, lambda x: F.celu(x, 2.0)])
def test_elu_family_passes_g_at_a_nan(f: Callable[[Tensor], Tensor]) -> None:
    got = _grad(f, [NAN, -1.0, 0.0, 1.0])
    scale = 1.0507009873554805 if f is F.selu else 1.0
    assert got[0] == pytest.approx(scale) and got[3] == pytest.approx(scale)


def test_hardswish_gradient_is_zero_below_minus_three_whatever_g_is() -> None:
    got = _grad(F.hardswish, [-INF, -4.0, -3.0, 0.0], NAN)
    np.testing.assert_array_equal(got[:3], [0.0, 0.0, 0.0])
    assert math.isnan(got[3])


# ----------------------------------------------------------------------------- overflowing numbers


@pytest.mark.parametrize(
    ("op", "call"),
    [
        ("clamp", lambda x: x.clamp(min=1e40)),
        ("clamp", lambda x: tg.clamp(x, max=-1e40)),
        ("clamp_min", lambda x: x.clamp_min(1e40)),
        ("clamp_max", lambda x: tg.clamp_max(x, 1e40)),
        ("clamp_min", lambda x: tg.clamp_min(x.to(np.float16), 1e5)),
        ("clamp_min", lambda x: tg.tensor([True]).clamp_min(1e40)),
        ("clamp", lambda x: tg.tensor([1, 2]).clamp(min=1e40)),  # clamped in float32
        ("celu", lambda x: F.celu(x, alpha=1e40)),
        ("elu", lambda x: F.elu(x, alpha=1e40)),
        ("leaky_relu", lambda x: F.leaky_relu(x, 1e40)),
        ("hardtanh", lambda x: F.hardtanh(x, -1e40, 1e40)),
        ("threshold", lambda x: F.threshold(x, 1e40, 0.0)),
        ("threshold", lambda x: F.threshold(tg.tensor([1, 2]), NAN, 0)),
        ("normalize", lambda x: F.normalize(x, dim=0, eps=1e40)),
        ("cosine_similarity", lambda x: F.cosine_similarity(x, x, dim=0, eps=1e40)),
        ("add", lambda x: tg.add(x, x, alpha=1e40)),
        ("add", lambda x: tg.add(tg.tensor([1, 2, 3]), x, alpha=1e40)),  # float32 result
        ("sub", lambda x: tg.sub(x, x, alpha=-1e40)),
        ("masked_fill", lambda x: x.masked_fill(x > 0, 1e40)),
        ("masked_fill", lambda x: tg.tensor([1, 2]).masked_fill(tg.tensor([True, False]), INF)),
    ],
)
def test_a_number_the_dtype_cannot_hold_is_refused(op: str, call: Callable[[Tensor], Any]) -> None:
    with pytest.raises(RuntimeError, match=rf"^{op}\(\): .*cannot be converted to type \w+"):
        call(tg.tensor([0.5, -1.0, 2.0]))


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.clamp(min=INF),
        lambda x: x.double().clamp(min=1e40),
        lambda x: tg.tensor([1, 2]).clamp(min=1e20),
        lambda x: F.celu(x.double(), alpha=1e40),
        lambda x: F.normalize(x, dim=0, eps=INF),
        lambda x: tg.add(x, x, alpha=INF),
        lambda x: tg.add(x.double(), x.double(), alpha=1e40),
        lambda x: F.pairwise_distance(x, x, eps=1e40),  # torch: inf, not refused
    ],
)
def test_numbers_torch_takes_are_taken(call: Callable[[Tensor], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        call(tg.tensor([0.5, -1.0, 2.0]))


# ----------------------------------------------------------------------------- against torch


def test_gradients_at_nan_and_inf_match_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    cases: list[tuple[Callable[[Any], Any], Callable[[Any], Any], list[float], float]] = [
        (lambda x: x.max(), lambda x: x.max(), [NAN, 1.0, NAN, 2.0], 1.0),
        (lambda x: x.min(), lambda x: x.min(), [-INF, 1.0, 2.0], -INF),
        (lambda x: x.amax(), lambda x: x.amax(), [3.0, 1.0, 3.0], INF),
        (lambda x: x.max(0).values, lambda x: x.max(0).values, [NAN, 1.0, 2.0], NAN),
        (lambda x: x.min(0).values, lambda x: x.min(0).values, [1.0, NAN, NAN], 2.0),
        (F.elu, tf.elu, [NAN, -1.0, 0.0, 1.0, -INF], 1.0),
        (F.celu, tf.celu, [NAN, -1.0, 0.0, 1.0], 1.0),
        (F.selu, tf.selu, [NAN, -1.0, 0.0, 1.0], 1.0),
        # (not at a nan x: torch gives g there on arrays under 8 entries, nan on longer ones)
        (F.hardswish, tf.hardswish, [-INF, -4.0, -3.0, 0.0, 3.0], NAN),
        (F.hardswish, tf.hardswish, [-INF, -4.0, -3.0, 0.0, 3.0], 1.0),
    ]
    for ours, theirs, data, g in cases:
        want = torch.tensor(data, dtype=torch.float64, requires_grad=True)
        out = theirs(want)
        out.backward(torch.full(out.shape, g, dtype=torch.float64))
        np.testing.assert_array_equal(_grad(ours, data, g), want.grad.numpy())
    for f, tf_ in ((tg.maximum, torch.maximum), (tg.minimum, torch.minimum)):
        a, b = [NAN, 1.0, 2.0, 3.0, NAN], [1.0, NAN, 2.0, 0.0, NAN]
        x, y = (tg.tensor(v, dtype=tg.float64, requires_grad=True) for v in (a, b))
        tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
        f(x, y).backward(tg.tensor([1.0, 2.0, 4.0, 8.0, 16.0], dtype=tg.float64))
        tf_(tx, ty).backward(torch.tensor([1.0, 2.0, 4.0, 8.0, 16.0], dtype=torch.float64))
        assert x.grad is not None and y.grad is not None
        np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
        np.testing.assert_array_equal(y.grad.data, ty.grad.numpy())


def test_reduction_dtypes_match_torch() -> None:
    torch = pytest.importorskip("torch")
    to_torch = {tg.bool_: torch.bool, np.uint8: torch.uint8, np.int8: torch.int8}
    for name in ("sum", "nansum", "prod"):
        for dtype, tdtype in to_torch.items():
            for data in ([200, 100, 3], [0, 0], [1, 0, 5]):
                ours = getattr(tg, name)(tg.tensor(data), dtype=dtype)
                theirs = getattr(torch, name)(torch.tensor(data), dtype=tdtype)
                assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
                assert ours.item() == theirs.item(), (name, dtype, data)


def test_overflow_refusals_match_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    x, tx = tg.tensor([0.5, -1.0, 2.0]), torch.tensor([0.5, -1.0, 2.0])
    pairs: list[tuple[Callable[[], Any], Callable[[], Any]]] = [
        (lambda: x.clamp(min=1e40), lambda: tx.clamp(min=1e40)),
        (lambda: x.clamp(max=3.4028236e38), lambda: tx.clamp(max=3.4028236e38)),
        (lambda: x.clamp_min(1e40), lambda: tx.clamp_min(1e40)),
        (lambda: F.celu(x, 1e40), lambda: tf.celu(tx, 1e40)),
        (lambda: F.normalize(x, dim=0, eps=1e40), lambda: tf.normalize(tx, dim=0, eps=1e40)),
        (lambda: F.cosine_similarity(x, x, 0, 1e40), lambda: tf.cosine_similarity(tx, tx, 0, 1e40)),
        (lambda: tg.add(x, x, alpha=1e40), lambda: torch.add(tx, tx, alpha=1e40)),
        (lambda: x.clamp(min=INF), lambda: tx.clamp(min=INF)),
        (lambda: tg.add(x, x, alpha=INF), lambda: torch.add(tx, tx, alpha=INF)),
        (
            lambda: F.pairwise_distance(x, x, eps=1e40),
            lambda: tf.pairwise_distance(tx, tx, eps=1e40),
        ),
    ]
    for ours, theirs in pairs:
        try:
            want = theirs()
        except RuntimeError:
            with pytest.raises(RuntimeError, match="without overflow"):
                ours()
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            np.testing.assert_allclose(ours().data, want.numpy(), rtol=1e-6)
