"""BatchNorm, InstanceNorm, GroupNorm, RMSNorm, PReLU and padding (F.batch_norm, instance_norm,
group_norm, rms_norm, prelu, pad and their modules): values against numpy references, running
statistics, buffers and state dicts, gradcheck/gradgradcheck, refusals, and (where torch is
installed) values, gradients, reprs, state_dict keys, running-stat trajectories and exception
types against torch 2.13."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _param(a: np.ndarray) -> tg.Tensor:
    return tg.tensor(a, requires_grad=True)


# ----------------------------------------------------------------------------- batch norm


def _bn_reference(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x̂ with the biased variance, and the batch mean and unbiased variance per channel."""
    dims = (0, *range(2, x.ndim))
    mean = x.mean(dims, keepdims=True)
    var = x.var(dims, keepdims=True)
    return (x - mean) / np.sqrt(var + eps), mean.reshape(-1), x.var(dims, ddof=1)


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 2, 2), (2, 3, 1, 2, 2)])
def test_batch_norm_training_normalizes_and_updates_running_stats_in_place(
    shape: tuple[int, ...],
) -> None:
    x = _rand(*shape)
    w, b = _rand(3, seed=1), _rand(3, seed=2)
    rm, rv = tg.zeros(3, dtype=np.float64), tg.ones(3, dtype=np.float64)
    rm_array = rm.data
    out = F.batch_norm(tg.tensor(x), rm, rv, tg.tensor(w), tg.tensor(b), True, 0.3, 1e-5)
    ref, mean, unbiased = _bn_reference(x, 1e-5)
    per_channel = (3,) + (1,) * (x.ndim - 2)
    np.testing.assert_allclose(
        out.data, ref * w.reshape(per_channel) + b.reshape(per_channel), atol=1e-12
    )
    np.testing.assert_allclose(rm.data, 0.3 * mean, atol=1e-15)
    np.testing.assert_allclose(rv.data, 0.3 * unbiased + 0.7, atol=1e-15)
    assert rm.data is rm_array  # in place
    # evaluation: the running statistics, a fixed affine map per channel
    ev = F.batch_norm(tg.tensor(x), rm, rv, None, None, False, 0.3, 1e-5)
    np.testing.assert_allclose(
        ev.data, (x - rm.data.reshape(per_channel)) / np.sqrt(rv.data.reshape(per_channel) + 1e-5)
    )


def test_batch_norm_running_update_is_not_recorded_and_gradients_flow() -> None:
    x, w = _param(_rand(5, 3)), _param(_rand(3, seed=1))
    rm, rv = tg.zeros(3, dtype=np.float64), tg.ones(3, dtype=np.float64)
    out = F.batch_norm(x, rm, rv, w, None, training=True)
    assert rm.grad_fn is None and not rm.requires_grad and not rv.requires_grad
    (out * tg.tensor(_rand(5, 3, seed=3))).sum().backward()
    assert x.grad is not None and w.grad is not None and rm.grad is None
    # the sum over the batch of x̄ is 0 for each channel (the mean is subtracted)
    np.testing.assert_allclose(x.grad.data.sum(0), 0, atol=1e-12)


def test_batch_norm_empty_batch_leaves_the_stats_alone() -> None:
    rm, rv = tg.zeros(3), tg.ones(3)
    out = F.batch_norm(tg.zeros(0, 3), rm, rv, training=True)
    assert out.shape == (0, 3) and not rm.data.any() and (rv.data == 1).all()


BATCH_FUNCTIONS: dict[str, Callable[..., tg.Tensor]] = {
    "batch_norm train": lambda x, w, b: F.batch_norm(x, None, None, w, b, True) ** 2,
    "batch_norm eval": lambda x, w, b: F.batch_norm(
        x, tg.tensor(np.array([0.1, -0.2, 0.3])), tg.tensor(np.array([0.5, 1.5, 2.0])), w, b
    ).sin(),
    "instance_norm": lambda x, w, b: F.instance_norm(x, None, None, w, b) ** 2,
    "group_norm 1": lambda x, w, b: F.group_norm(x, 1, w, b) ** 2,
    "group_norm 3": lambda x, w, b: F.group_norm(x, 3, w, b) ** 2,
    "rms_norm": lambda x, w, b: F.rms_norm(x, [3, 4], None, eps=1e-3) * b.sum() ** 2,
    "prelu": lambda x, w, b: F.prelu(x, w) ** 2,
    "prelu shared": lambda x, w, b: F.prelu(x, b[:1]) ** 2,
}


@pytest.mark.parametrize("name", list(BATCH_FUNCTIONS))
def test_norm_functional_forms_gradcheck_and_gradgradcheck(name: str) -> None:
    fn = BATCH_FUNCTIONS[name]
    x = _rand(2, 3, 4, seed=4)
    x = x + 0.2 * np.sign(x)  # away from prelu's kink at 0
    args = (_param(x), _param(_rand(3, seed=5)), _param(_rand(3, seed=6)))
    assert gradcheck(fn, args)
    assert gradgradcheck(fn, args)


# ----------------------------------------------------------------------------- BatchNorm modules


def test_batch_norm_module_buffers_state_dict_and_dtype() -> None:
    bn = nn.BatchNorm1d(3)
    assert repr(bn) == (
        "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )
    assert list(bn.state_dict()) == [
        "weight",
        "bias",
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert [n for n, _ in bn.named_buffers()] == [
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert bn.num_batches_tracked is not None and bn.running_mean is not None
    assert bn.num_batches_tracked.dtype == np.int64 and bn.num_batches_tracked.shape == ()
    assert bn.running_mean.dtype == np.float32 and not bn.running_mean.requires_grad
    bn.double()
    assert bn.running_mean.dtype == np.float64 and bn.num_batches_tracked.dtype == np.int64
    assert nn.BatchNorm2d(4, dtype=np.float64).running_var.dtype == np.float64  # type: ignore[union-attr]
    plain = nn.BatchNorm2d(3, affine=False, track_running_stats=False)
    assert list(plain.state_dict()) == [] and plain.running_mean is None
    assert list(nn.BatchNorm1d(3, bias=False).state_dict())[:2] == ["weight", "running_mean"]


def test_batch_norm_module_train_eval_and_cumulative_average() -> None:
    bn = nn.BatchNorm1d(2, momentum=None, affine=False).double()
    batches = [_rand(4, 2, seed=s) for s in range(3)]
    for x in batches:
        bn(tg.tensor(x))
    assert bn.num_batches_tracked is not None and bn.num_batches_tracked.item() == 3
    assert bn.running_mean is not None and bn.running_var is not None
    # momentum None: the running stats are the plain average over the batches seen
    np.testing.assert_allclose(bn.running_mean.data, np.mean([x.mean(0) for x in batches], 0))
    np.testing.assert_allclose(bn.running_var.data, np.mean([x.var(0, ddof=1) for x in batches], 0))
    bn.eval()
    x = _rand(3, 2, seed=9)
    np.testing.assert_allclose(
        bn(tg.tensor(x)).data,
        (x - bn.running_mean.data) / np.sqrt(bn.running_var.data + 1e-5),
    )
    assert bn.num_batches_tracked.item() == 3  # evaluation does not count
    mean_before = bn.running_mean
    bn.reset_running_stats()
    assert bn.running_mean is mean_before and not mean_before.data.any()
    assert (bn.running_var.data == 1).all() and bn.num_batches_tracked.item() == 0


def test_batch_norm_without_running_stats_always_uses_the_batch() -> None:
    bn = nn.BatchNorm1d(2, track_running_stats=False).double().eval()
    x = _rand(5, 2)
    np.testing.assert_allclose(bn(tg.tensor(x)).data, _bn_reference(x, 1e-5)[0], atol=1e-12)


def test_batch_norm_state_dict_round_trip() -> None:
    a, b = nn.BatchNorm2d(3), nn.BatchNorm2d(3)
    a(tg.tensor(_rand(2, 3, 2, 2).astype(np.float32)))
    b.load_state_dict(a.state_dict())
    assert b.running_mean is not None and a.running_mean is not None
    np.testing.assert_array_equal(b.running_mean.data, a.running_mean.data)
    assert b.num_batches_tracked is not None and b.num_batches_tracked.item() == 1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.BatchNorm1d(3)(tg.zeros(2, 3, 4, 5)), ValueError, "expected 2D or 3D input"),
        (lambda: nn.BatchNorm2d(3)(tg.zeros(2, 3, 4)), ValueError, r"expected 4D input \(got 3D"),
        (lambda: nn.BatchNorm1d(3)(tg.zeros(2, 4)), RuntimeError, "should contain 4 elements"),
        (lambda: nn.BatchNorm1d(3)(tg.zeros(1, 3)), ValueError, "more than 1 value per channel"),
        (lambda: nn.BatchNorm1d(3)(tg.zeros(2, 3, dtype=np.float64)), RuntimeError, "mixed"),
        (lambda: nn.BatchNorm1d(3)(tg.zeros(2, 3, dtype=np.int64)), TypeError, "floating"),
        (lambda: nn.BatchNorm1d(2.5), TypeError, "num_features"),  # type: ignore[arg-type]
        (lambda: nn.BatchNorm1d(-1), ValueError, "num_features"),
        (lambda: F.batch_norm(tg.zeros(2, 3), None, None), RuntimeError, "evaluation mode"),
        (
            lambda: F.batch_norm(tg.zeros(2, 3), tg.zeros(3), None, training=True),
            ValueError,
            "both be None",
        ),
        (lambda: F.batch_norm(tg.zeros(3), None, None, training=True), IndexError, "2 dims"),
        (
            lambda: F.batch_norm(tg.zeros(2, 3), None, None, tg.ones(3, 1), training=True),
            RuntimeError,
            "1-D",
        ),
        (
            lambda: F.batch_norm(tg.zeros(2, 3), tg.zeros(3), tg.ones(3), momentum=None),  # type: ignore[arg-type]
            TypeError,
            "momentum",
        ),
        (lambda: F.instance_norm(tg.zeros(2, 3, 1)), ValueError, "more than 1 spatial"),
        (lambda: F.group_norm(tg.zeros(2, 4, 3), 3), RuntimeError, "divisible by num_groups"),
        (lambda: F.group_norm(tg.zeros(4), 2), RuntimeError, "at least 2 dimensions"),
        (lambda: F.group_norm(tg.zeros(1, 2, 1), 2), ValueError, "more than 1 value"),
        (lambda: nn.GroupNorm(3, 4), ValueError, r"num_channels \(4\) must be divisible"),
        (lambda: nn.InstanceNorm1d(4, affine=True)(tg.zeros(2, 3, 4)), ValueError, "num_features"),
        (lambda: F.rms_norm(tg.zeros(2, 3), [4]), RuntimeError, "normalized_shape"),
        (lambda: F.rms_norm(tg.zeros(2, 3), 3), TypeError, "tuple of ints"),
        (lambda: F.prelu(tg.zeros(2, 3), tg.ones(2)), RuntimeError, "parameter numbers = 2"),
        (lambda: F.prelu(tg.zeros(2, 3), tg.ones(3, 1)), RuntimeError, "scalar or 1D"),
        (lambda: F.prelu(tg.zeros(3), tg.ones(1, dtype=np.float64)), RuntimeError, "promoting"),
    ],
)
def test_norm_refusals_name_the_problem(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_a_refused_batch_is_not_counted() -> None:
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError):
        bn(tg.zeros(1, 3))
    assert bn.num_batches_tracked is not None and bn.num_batches_tracked.item() == 0


def test_instance_norm_without_batch_dim_warns_on_unused_num_features() -> None:
    x = _rand(3, 5)
    out = nn.InstanceNorm1d(3)(tg.tensor(x))
    ref = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out.data, ref, atol=1e-12)
    with pytest.warns(UserWarning, match="does not match num_features"):
        nn.InstanceNorm1d(4)(tg.tensor(x))


def test_rms_norm_default_eps_is_the_dtypes_machine_epsilon() -> None:
    x = np.zeros((2, 3), dtype=np.float32)
    x[0] = 1e-4
    out = F.rms_norm(tg.tensor(x), [3])
    np.testing.assert_allclose(out.data[0], 1e-4 / np.sqrt(1e-8 + np.finfo(np.float32).eps), 1e-6)
    assert (out.data[1] == 0).all()


def test_prelu_gradient_at_zero_is_the_slope_as_torch() -> None:
    x, w = _param(np.array([-1.0, 0.0, 2.0])), _param(np.array([0.25]))
    F.prelu(x, w).sum().backward()
    assert x.grad is not None and w.grad is not None
    np.testing.assert_array_equal(x.grad.data, [0.25, 0.25, 1.0])
    np.testing.assert_array_equal(w.grad.data, [-1.0])
    p = nn.PReLU(3, init=0.1)
    assert repr(p) == "PReLU(num_parameters=3)" and list(p.state_dict()) == ["weight"]
    np.testing.assert_allclose(p.weight.data, 0.1)


# ----------------------------------------------------------------------------- padding

NUMPY_MODES = {
    "constant": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


@pytest.mark.parametrize("mode", list(NUMPY_MODES))
@pytest.mark.parametrize("pad", [(1, 2), (0, 2, 1, 0), (2, 1, 1, 2, 1, 1)])
def test_pad_matches_numpy_and_its_gradient_sums_the_copies(
    mode: str, pad: tuple[int, ...]
) -> None:
    k = len(pad) // 2
    x = _rand(2, 3, *(4, 3, 3)[:k])
    widths = [(0, 0), (0, 0)] + [(pad[i], pad[i + 1]) for i in reversed(range(0, len(pad), 2))]
    ref = np.pad(x, widths, mode=NUMPY_MODES[mode])  # type: ignore[call-overload]
    t = _param(x)
    out = F.pad(t, pad, mode)
    np.testing.assert_array_equal(out.data, ref)
    g = _rand(*ref.shape, seed=1)
    (out * tg.tensor(g)).sum().backward()
    # the adjoint: each output position's g added to the source entry (numpy's pad of indices)
    idx = np.pad(np.arange(x.size).reshape(x.shape), widths, mode=NUMPY_MODES[mode])  # type: ignore[call-overload]
    inside = np.pad(np.ones(x.shape, dtype=bool), widths) if mode == "constant" else True
    expected = np.zeros(x.size)
    np.add.at(expected, idx[inside], g[inside])
    assert t.grad is not None
    np.testing.assert_allclose(t.grad.data.reshape(-1), expected, atol=1e-12)


def _pad_reference(x: np.ndarray, pairs: list[tuple[int, int]], mode: str, fill: Any) -> np.ndarray:
    """numpy's pad, then crop for negative amounts; circular crops first (torch's order)."""
    for k, (lo, hi) in enumerate(pairs):
        d = x.ndim - 1 - k
        size = x.shape[d]
        if mode == "circular":
            x = np.take(x, range(max(-lo, 0), size - max(-hi, 0)), axis=d)
        widths = [(0, 0)] * x.ndim
        widths[d] = (max(lo, 0), max(hi, 0))
        if mode == "constant":
            x = np.pad(x, widths, constant_values=fill)
        else:
            x = np.pad(x, widths, mode=NUMPY_MODES[mode])  # type: ignore[call-overload]
        if mode != "circular":
            x = np.take(x, range(max(-lo, 0), x.shape[d] - max(-hi, 0)), axis=d)
    return x


def _valid_pad(size: int, lo: int, hi: int, mode: str) -> bool:
    kept = size + min(lo, 0) + min(hi, 0)
    if mode == "constant":
        return kept >= 0
    if mode == "circular":
        return kept >= 0 and max(lo, hi) <= size and (kept > 0 or max(lo, hi) <= 0)
    return size + lo + hi >= 0 and (mode != "reflect" or max(lo, hi) < size)


@st.composite
def pad_cases(draw: st.DrawFn) -> tuple[str, tuple[int, ...], list[tuple[int, int]]]:
    mode = draw(st.sampled_from(list(NUMPY_MODES)))
    k = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=k, max_size=k))
    lead = draw(st.lists(st.integers(1, 2), min_size=1, max_size=2 if mode != "constant" else 3))
    pairs = [
        draw(
            st.tuples(st.integers(-3, 3), st.integers(-3, 3)).filter(
                lambda p, n=n: _valid_pad(n, p[0], p[1], mode)
            )
        )
        for n in reversed(sizes)
    ]
    return mode, (*lead, *sizes), pairs


@given(pad_cases())
def test_pad_property_against_numpy_values_and_adjoint(
    case: tuple[str, tuple[int, ...], list[tuple[int, int]]],
) -> None:
    """Values are numpy's pad (with crops), and x̄ adds each g to the entry it was copied from:
    the same reference applied to the entries' flat indices says which one."""
    mode, shape, pairs = case
    x = _rand(*shape)
    flat = [p for pair in pairs for p in pair]
    t = _param(x)
    out = F.pad(t, flat, mode, value=1.5 if mode == "constant" else None)
    np.testing.assert_array_equal(out.data, _pad_reference(x, pairs, mode, 1.5))
    g = _rand(*out.shape, seed=1)
    (out * tg.tensor(g)).sum().backward()
    source = _pad_reference(np.arange(x.size).reshape(shape), pairs, mode, -1)
    expected = np.zeros(x.size)
    np.add.at(expected, source[source >= 0], g[source >= 0])
    assert t.grad is not None
    np.testing.assert_allclose(t.grad.data.reshape(-1), expected, atol=1e-12)


@pytest.mark.parametrize("mode", list(NUMPY_MODES))
def test_pad_gradcheck_and_gradgradcheck(mode: str) -> None:
    x = _param(_rand(2, 3, 4))
    fn = lambda x: F.pad(x, (2, -1, 1, 1), mode) ** 2  # noqa: E731
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_pad_negative_crops_value_fills_and_result_is_new() -> None:
    x = tg.arange(4.0)[None]
    np.testing.assert_array_equal(F.pad(x, (-1, 2), value=9.0).data, [[1, 2, 3, 9, 9]])
    np.testing.assert_array_equal(F.pad(x, (-1, 2), "reflect").data, [[1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(F.pad(x, (2, -1), "circular").data, [[1, 2, 0, 1, 2]])
    np.testing.assert_array_equal(F.pad(x, (-2, -2)).data, np.zeros((1, 0)))
    np.testing.assert_array_equal(F.pad(tg.arange(3), (1, 1), value=2.5).data, [2, 0, 1, 2, 2])
    same = F.pad(x, (0, 0))
    same.data[0, 0] = 7.0
    assert x.data[0, 0] == 0.0  # a copy, as torch's
    neg = F.pad(tg.tensor([[-0.0]]), (1, 0))
    assert np.signbit(neg.data[0, 1])  # the entries are copied, not added to zeros


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.pad(tg.zeros(2, 3), (1,)), RuntimeError, "divisible by 2"),
        (lambda: F.pad(tg.zeros(2, 3), (1, 1, 1, 1, 1, 1)), RuntimeError, "less than or equal"),
        (lambda: F.pad(tg.zeros(2, 3), (1, 1.5)), TypeError, "tuple of ints"),
        (lambda: F.pad(tg.zeros(2, 3), (True, 1)), TypeError, "tuple of ints"),
        (lambda: F.pad(tg.zeros(2, 3), (-3, -1)), RuntimeError, "crops more"),
        (lambda: F.pad(tg.zeros(2, 3), (1, 1), "foo"), NotImplementedError, "Unrecognised"),
        (lambda: F.pad(tg.zeros(2, 3), (3, 1), "reflect"), RuntimeError, r"padding \(3, 1\)"),
        (lambda: F.pad(tg.zeros(3), (1, 1), "reflect"), NotImplementedError, "1D input"),
        (lambda: F.pad(tg.zeros(2, 3, 4, 5), (1, 1), "replicate"), NotImplementedError, "4D"),
        (lambda: F.pad(tg.zeros(2, 0, 4), (1, 1), "replicate"), RuntimeError, "non-zero"),
        (lambda: F.pad(tg.zeros(2, 3), (1, 1), "reflect", 1.0), RuntimeError, "value argument"),
        (lambda: F.pad(tg.zeros(2, 3), (4, 0), "circular"), RuntimeError, "wrapping around"),
        (lambda: F.pad(tg.zeros(2, 3), (-3, 1), "circular"), RuntimeError, "empty dimension"),
        (lambda: F.pad(tg.zeros(2, 4), (-3, -2), "reflect"), RuntimeError, "too small"),
        (lambda: nn.CircularPad2d(1)(tg.zeros(2, 3)), ValueError, "expected 3D or 4D"),
    ],
)
def test_pad_refusals_name_the_problem(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


# ----------------------------------------------------------------------------- against torch

MODULES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[int, ...]]] = [
    ("BatchNorm1d", (3,), {}, (4, 3)),
    ("BatchNorm1d", (3,), {"momentum": None, "eps": 1e-3}, (4, 3, 5)),
    ("BatchNorm1d", (3,), {"affine": False}, (4, 3, 2)),
    ("BatchNorm1d", (3,), {"track_running_stats": False}, (4, 3, 2)),
    ("BatchNorm2d", (3,), {"bias": False}, (2, 3, 2, 3)),
    ("BatchNorm3d", (3,), {}, (2, 3, 2, 1, 2)),
    ("InstanceNorm1d", (3,), {}, (2, 3, 5)),
    ("InstanceNorm1d", (3,), {"affine": True, "track_running_stats": True}, (2, 3, 5)),
    ("InstanceNorm2d", (3,), {"track_running_stats": True, "momentum": 0.3}, (3, 2, 4)),
    ("GroupNorm", (2, 4), {}, (2, 4, 3)),
    ("GroupNorm", (1, 4), {"affine": False}, (2, 4, 3, 2)),
    ("RMSNorm", ([3, 2],), {}, (2, 4, 3, 2)),
    ("RMSNorm", (2,), {"eps": 1e-2, "elementwise_affine": False}, (3, 2)),
    ("LayerNorm", (2,), {}, (3, 2)),
    ("PReLU", (), {}, (4, 3)),
    ("PReLU", (3,), {"init": 0.1}, (2, 3, 2)),
    ("ZeroPad2d", (2,), {}, (2, 3, 4)),
    ("ZeroPad1d", ((1, -2),), {}, (2, 3, 4)),
    ("ConstantPad1d", (2, 3.5), {}, (2, 3, 4, 5)),
    ("ConstantPad2d", ((1, 2, 3, 0), 1), {}, (2, 3, 4)),
    ("ConstantPad3d", (1, -1.0), {}, (1, 2, 3, 4)),
    ("ReflectionPad1d", (2,), {}, (2, 3, 4)),
    ("ReflectionPad2d", ((1, 0, 2, 3),), {}, (3, 4, 5)),
    ("ReflectionPad3d", (1,), {}, (1, 2, 3, 2, 2)),
    ("ReplicationPad1d", ((3, 1),), {}, (3, 4)),
    ("ReplicationPad2d", (2,), {}, (1, 2, 3, 2)),
    ("ReplicationPad3d", ((1, 0, 0, 2, 1, 1),), {}, (2, 3, 2, 2)),
    ("CircularPad1d", (2,), {}, (2, 3, 4)),
    ("CircularPad2d", ((1, 0, 2, 3),), {}, (3, 4, 5)),
    ("CircularPad3d", (1,), {}, (1, 2, 3, 2, 2)),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shape"),
    MODULES,
    ids=[f"{m[0]}-{i}" for i, m in enumerate(MODULES)],
)
def test_modules_match_torch_over_several_steps(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: tuple[int, ...]
) -> None:
    """repr, state_dict keys, then float64 values and gradients (of the input and every
    parameter) over three training steps and one evaluation step, with the buffers compared
    after each, then the same module in float32."""
    torch = pytest.importorskip("torch")
    targs = tuple(list(a) if isinstance(a, list) else a for a in args)
    theirs = getattr(torch.nn, name)(*targs, **kwargs).double()
    ours = getattr(nn, name)(*args, **kwargs).double()
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):  # random weights
        q.data.copy_(torch.randn(q.shape, dtype=torch.float64))
        p.data[...] = q.detach().numpy()
    for step, training in enumerate([True, True, True, False]):
        ours.train(training)
        theirs.train(training)
        x = _rand(*shape, seed=step) * 2 + 0.5
        xt = torch.tensor(x, requires_grad=True)
        mine = _param(x)
        out, tout = ours(mine), theirs(xt)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
        g = _rand(*tout.shape, seed=10 + step)
        (out * tg.tensor(g)).sum().backward()
        (tout * torch.tensor(g)).sum().backward()
        assert mine.grad is not None and xt.grad is not None
        np.testing.assert_allclose(mine.grad.data, xt.grad.numpy(), rtol=1e-9, atol=1e-11)
        for (n, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
            assert p.grad is not None and q.grad is not None, n
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-9, atol=1e-11)
        for (n, b), c in zip(ours.named_buffers(), theirs.buffers(), strict=True):
            np.testing.assert_allclose(b.data, c.numpy(), rtol=1e-12, atol=1e-14, err_msg=n)
            assert b.dtype == np.dtype(str(c.dtype).removeprefix("torch.")), n
    # float32: the module's own dtype, and values within float32 rounding
    ours32, theirs32 = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*targs, **kwargs)
    x32 = _rand(*shape, seed=7).astype(np.float32)
    out32 = ours32(tg.tensor(x32))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(
        out32.data, theirs32(torch.from_numpy(x32)).detach().numpy(), rtol=1e-5, atol=1e-5
    )


def test_padding_and_norm_refusals_match_torchs_exception_types() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    cases: list[tuple[Callable[[], Any], Callable[[], Any]]] = [
        (lambda: F.pad(tg.zeros(2, 3), (1,)), lambda: tf.pad(torch.zeros(2, 3), (1,))),
        (
            lambda: F.pad(tg.zeros(2, 3), (3, 1), "reflect"),
            lambda: tf.pad(torch.zeros(2, 3), (3, 1), mode="reflect"),
        ),
        (
            lambda: F.pad(tg.zeros(3), (1, 1), "replicate"),
            lambda: tf.pad(torch.zeros(3), (1, 1), mode="replicate"),
        ),
        (
            lambda: F.pad(tg.zeros(2, 3), (1, 1), "foo"),
            lambda: tf.pad(torch.zeros(2, 3), (1, 1), mode="foo"),
        ),
        (
            lambda: nn.BatchNorm1d(3)(tg.zeros(1, 3)),
            lambda: torch.nn.BatchNorm1d(3)(torch.zeros(1, 3)),
        ),
        (
            lambda: nn.BatchNorm1d(3)(tg.zeros(2, 4)),
            lambda: torch.nn.BatchNorm1d(3)(torch.zeros(2, 4)),
        ),
        (
            lambda: nn.BatchNorm2d(3)(tg.zeros(2, 3)),
            lambda: torch.nn.BatchNorm2d(3)(torch.zeros(2, 3)),
        ),
        (lambda: nn.GroupNorm(3, 4), lambda: torch.nn.GroupNorm(3, 4)),
        (lambda: nn.PReLU(3)(tg.zeros(2, 4)), lambda: torch.nn.PReLU(3)(torch.zeros(2, 4))),
    ]
    for ours, theirs in cases:
        with pytest.raises(Exception) as e_theirs:
            theirs()
        with pytest.raises(type(e_theirs.value)):
            ours()


def test_norm_edge_cases_the_graph_fuzzer_found() -> None:
    # rms_norm over no dims is refused, as layer_norm (and torch) refuse it
    with pytest.raises(RuntimeError, match=r"rms_norm.*at least 1-dimensional"):
        F.rms_norm(tg.ones(2, 3), ())
    # batch_norm of zero channels: counted per channel without dividing by C
    x = tg.zeros(1, 0)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(x, None, None, training=True)
    assert F.batch_norm(tg.zeros(2, 0), None, None, training=True).shape == (2, 0)
    # the norms of an empty input give a new tensor, recorded as torch's (not the input itself)
    for norm in (
        lambda x: F.group_norm(x, 1),
        lambda x: F.instance_norm(x),
        lambda x: F.batch_norm(x, None, None, training=True),
        lambda x: F.layer_norm(x, (0,)),
    ):
        x = tg.zeros(2, 1, 0, requires_grad=True)
        out = norm(x)
        assert out is not x and not out.is_leaf and out.requires_grad and out.shape == (2, 1, 0)
