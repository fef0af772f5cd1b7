"""The rest of torch.nn's activations, dropouts and bilinear layer: hardshrink, softshrink,
tanhshrink, glu, Softmax2d, rrelu, the in-place forms (relu_ … rrelu_), gumbel_softmax,
dropout1d/2d/3d, alpha_dropout, feature_alpha_dropout, bilinear, and their modules.

All are compositions of gradchecked ops. Deterministic ones are checked against torch 2.13
(values and gradients at the kinks, nan and ±∞; skipped without torch) and by gradcheck and
gradgradcheck in float64. Random ones are checked by their structure (which entries a mask
shares, the scale, eval mode), their statistics over many draws, and gradcheck with the
generator reseeded inside the function, so each evaluation draws the same noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.tensor import Tensor
from tinygrad_ed.testing import arrays, shapes

inf, nan = float("inf"), float("nan")

# name → a call that works on both libraries: (functional module, x) ↦ y
ACTIVATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "hardshrink": lambda f, x: f.hardshrink(x),
    "hardshrink 2": lambda f, x: f.hardshrink(x, 2.0),
    "hardshrink 0": lambda f, x: f.hardshrink(x, 0.0),
    "hardshrink negative": lambda f, x: f.hardshrink(x, -1.0),
    "softshrink": lambda f, x: f.softshrink(x),
    "softshrink 2": lambda f, x: f.softshrink(x, 2.0),
    "softshrink 0": lambda f, x: f.softshrink(x, 0.0),
    "tanhshrink": lambda f, x: f.tanhshrink(x),
    "rrelu eval": lambda f, x: f.rrelu(x),
    "rrelu eval bounds": lambda f, x: f.rrelu(x, 0.1, 0.5, training=False),
    "glu": lambda f, x: f.glu(x),
    "glu dim 0": lambda f, x: f.glu(x, 0),
}

# The kinks ±λ (λ = 0.5, 2, 0), signed zeros, ±∞, nan and large magnitudes; 18 entries, so
# torch runs its vectorized kernels on most and its scalar ones on the rest.
KINKS = [0.5, -0.5, 2.0, -2.0, 0.0, -0.0, 1.0, -1.0, 0.25, -3.0]
GRID = np.array([*KINKS, 20.0, -20.0, 1e4, -1e4, inf, -inf, 0.7, -0.7])


def _out_shape(name: str, shape: tuple[int, ...]) -> tuple[int, ...]:
    """glu halves its dim; the others keep the shape."""
    if not name.startswith("glu"):
        return shape
    d = 0 if name == "glu dim 0" else len(shape) - 1
    return (*shape[:d], shape[d] // 2, *shape[d + 1 :])


def _torch_pair(name: str, a: np.ndarray, torch: Any) -> tuple[Any, Any, Tensor, Tensor]:
    call = ACTIVATIONS[name]
    x, tx = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    return call(torch.nn.functional, tx), tx, call(F, x), x


def _assert_matches_torch(name: str, a: np.ndarray, g: np.ndarray, rtol: float = 1e-14) -> None:
    torch = pytest.importorskip("torch")
    with np.errstate(invalid="ignore", over="ignore"):
        ty, tx, y, x = _torch_pair(name, a, torch)
        y.backward(tg.tensor(g))
    ty.backward(torch.tensor(g))
    assert str(ty.dtype) == f"torch.{y.dtype}", name
    # tanhshrink's x − tanh x cancels near 0: torch's tanh and numpy's differ in the last bit
    atol = 1e-16 if name == "tanhshrink" else 1e-300
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=rtol, atol=atol)
    assert x.grad is not None and tx.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=rtol, atol=1e-15)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_values_and_gradients_match_torch_at_kinks_and_infinities(name: str) -> None:
    a = GRID.reshape(1, -1)
    if name.startswith("glu"):
        a = GRID.reshape(6, 3) if name == "glu dim 0" else GRID.reshape(3, 6)
    if name.startswith("glu"):
        a = np.where(np.isfinite(a), a, 7.0)  # glu(±∞) is ∞·σ or nan, the same in both
    g = np.random.default_rng(0).standard_normal(_out_shape(name, a.shape))
    _assert_matches_torch(name, a, g)


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=min(8, settings().max_examples))  # each example calls torch too
@given(data=st.data())
def test_values_and_gradients_match_torch_on_drawn_inputs(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3))
    if name.startswith("glu"):
        shape = (*shape[:-1], 2 * shape[-1]) if name == "glu" else (2 * shape[0], *shape[1:])
    scale = data.draw(st.sampled_from([1.0, 4.0, 1e3]))
    a = data.draw(arrays(shape, (-2.0, 2.0))) * scale
    g = data.draw(arrays(_out_shape(name, shape), (-1.0, 1.0)))
    _assert_matches_torch(name, a, g)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_float32_stays_float32_and_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    a = np.linspace(-7, 7, 60, dtype=np.float32).reshape(6, 10)
    ty, tx, y, x = _torch_pair(name, a, torch)
    assert y.dtype == np.float32 and str(ty.dtype) == "torch.float32"
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=2e-6, atol=1e-7)
    y.sum().backward()
    ty.sum().backward()
    assert x.grad is not None and x.grad.dtype == np.float32 and tx.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=2e-6, atol=1e-7)


# Away from the kinks (0, ±0.5, ±2) by construction.
SMOOTH = np.linspace(-5.3, 7.1, 12).reshape(3, 4) + 0.0123


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradcheck_and_gradgradcheck_float64(name: str) -> None:
    a = SMOOTH.reshape(4, 3) if name == "glu dim 0" else SMOOTH

    def fn(x: Tensor) -> Tensor:
        return ACTIVATIONS[name](F, x)  # type: ignore[no-any-return]

    assert gradcheck(fn, [a])
    assert gradgradcheck(fn, [a])


def test_shrinks_written_out_at_kinks_nan_and_signed_zeros() -> None:
    """Without torch: x̄ = g·[not −λ ≤ x ≤ λ] (0 at ±λ; a nan keeps its value and passes g, the
    rule of torch's formula), and the zeros are +0."""
    a = [-1.0, -0.5, -0.25, -0.0, 0.5, 0.75, nan]
    for fn, values in (
        (F.hardshrink, [-1.0, 0.0, 0.0, 0.0, 0.0, 0.75, nan]),
        (F.softshrink, [-0.5, 0.0, 0.0, 0.0, 0.0, 0.25, nan]),
    ):
        x = tg.tensor(a, requires_grad=True)
        y = fn(x)
        y.sum().backward()
        np.testing.assert_array_equal(y.data, values)
        assert not np.signbit(y.data[1:5]).any()
        assert x.grad is not None and x.grad.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]


def test_glu_is_the_first_half_gated_by_the_sigmoid_of_the_second() -> None:
    x = tg.tensor(np.arange(12.0).reshape(2, 6) / 5 - 1)
    a, b = x.data[:, :3], x.data[:, 3:]
    np.testing.assert_allclose(F.glu(x).data, a / (1 + np.exp(-b)), rtol=1e-15)
    np.testing.assert_allclose(nn.GLU(0)(x.reshape(6, 2)).data, F.glu(x.reshape(6, 2), 0).data)


def test_softmax2d_is_softmax_over_channels_and_needs_3_or_4_dims() -> None:
    a = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    m = nn.Softmax2d()
    np.testing.assert_allclose(m(tg.tensor(a)).data.sum(1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(m(tg.tensor(a[0])).data, F.softmax(tg.tensor(a[0]), 0).data)
    assert gradcheck(lambda x: m(x), [a[:1, :, :2, :2]])
    for bad in (a[0, 0], a[None]):
        with pytest.raises(ValueError, match=r"Softmax2d: expected input to be 3D or 4D, got "):
            m(tg.tensor(bad))
    torch = pytest.importorskip("torch")
    x, tx = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    g = np.cos(a)
    m(x).backward(tg.tensor(g))
    torch.nn.Softmax2d()(tx).backward(torch.tensor(g))
    assert x.grad is not None and tx.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-16)


def test_tanhshrink_of_integers_is_the_default_float_as_torchs() -> None:
    y = F.tanhshrink(tg.tensor([1, 2]))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.data, [1 - np.tanh(1), 2 - np.tanh(2)], rtol=1e-6)
    with pytest.raises(TypeError, match=r"tanhshrink\(\).*bool"):
        F.tanhshrink(tg.tensor([True]))


# ----------------------------------------------------------------------------- rrelu


def test_rrelu_training_draws_one_uniform_slope_per_negative_entry() -> None:
    tg.manual_seed(3)
    a = -np.linspace(0.5, 4.0, 20000)
    x = tg.tensor(np.concatenate([a, -a, [0.0]]), requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    y.sum().backward()
    slopes = y.data[: a.size] / a
    assert (slopes >= 0.1).all() and (slopes <= 0.3).all()
    np.testing.assert_array_equal(y.data[a.size : -1], -a)  # x > 0 is kept
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data[: a.size], slopes, rtol=1e-12)  # x̄ = g·a
    assert (x.grad.data[a.size : -1] == 1.0).all()
    assert 0.1 <= x.grad.data[-1] <= 0.3  # x = 0 takes a slope, as torch's x <= 0
    # U(0.1, 0.3): mean 0.2, sd 0.2/√12 ≈ 0.0577; 20000 draws put the mean within 4e-4 (1σ)
    assert abs(slopes.mean() - 0.2) < 2e-3
    assert abs(slopes.std() - 0.2 / math.sqrt(12)) < 2e-3
    deciles = np.quantile(slopes, np.linspace(0.1, 0.9, 9))
    np.testing.assert_allclose(deciles, np.linspace(0.12, 0.28, 9), atol=4e-3)


def test_rrelu_is_reproducible_under_manual_seed_and_fresh_per_call() -> None:
    x = tg.tensor(-np.ones(50))
    tg.manual_seed(7)
    first, second = F.rrelu(x, training=True), F.rrelu(x, training=True)
    tg.manual_seed(7)
    np.testing.assert_array_equal(F.rrelu(x, training=True).data, first.data)
    assert not np.array_equal(first.data, second.data)


def test_rrelu_eval_draws_nothing_and_is_leaky_relu_of_the_midpoint() -> None:
    tg.manual_seed(0)
    before = tg.rand(3).data
    x = tg.tensor([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(F.rrelu(x, 0.2, 0.4).data, F.leaky_relu(x, 0.3).data)
    tg.manual_seed(0)
    np.testing.assert_array_equal(tg.rand(3).data, before)


def test_rrelu_gradcheck_with_the_same_draw_each_evaluation() -> None:
    def fn(x: Tensor) -> Tensor:
        tg.manual_seed(11)
        return F.rrelu(x, 0.2, 0.6, training=True)

    assert gradcheck(fn, [SMOOTH])
    assert gradgradcheck(fn, [SMOOTH])


def test_rrelu_module_follows_train_and_eval() -> None:
    m = nn.RReLU(0.1, 0.3)
    assert repr(m) == "RReLU(lower=0.1, upper=0.3)"
    assert (
        repr(nn.RReLU(inplace=True)) == "RReLU(lower=0.125, upper=0.3333333333333333, inplace=True)"
    )
    x = tg.tensor(-np.ones(1000))
    slopes = -m(x).data
    assert (slopes >= 0.1).all() and (slopes <= 0.3).all() and np.unique(slopes).size > 900
    m.eval()
    np.testing.assert_allclose(m(x).data, -0.2)
    with pytest.raises(RuntimeError, match="Lower bound should be less than or equal"):
        nn.RReLU(0.5, 0.1)


def test_rrelu_matches_torchs_distribution_in_training() -> None:
    """Same law, different generator: torch's and ours give the same slope statistics."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    tg.manual_seed(0)
    a = -np.ones(20000)
    ours = -F.rrelu(tg.tensor(a), training=True).data
    theirs = -torch.nn.functional.rrelu(torch.tensor(a), training=True).numpy()
    for stat in (np.mean, np.std, np.min, np.max):
        assert abs(stat(ours) - stat(theirs)) < 3e-3


# ----------------------------------------------------------------------------- in place

INPLACE: list[tuple[str, Callable[[Tensor], Tensor], Callable[[Tensor], Tensor]]] = [
    ("relu_", F.relu_, F.relu),
    ("elu_", lambda x: F.elu_(x, 0.5), lambda x: F.elu(x, 0.5)),
    ("leaky_relu_", lambda x: F.leaky_relu_(x, 0.2), lambda x: F.leaky_relu(x, 0.2)),
    ("hardtanh_", lambda x: F.hardtanh_(x, -0.5, 2.0), lambda x: F.hardtanh(x, -0.5, 2.0)),
    ("selu_", F.selu_, F.selu),
    ("celu_", lambda x: F.celu_(x, 2.0), lambda x: F.celu(x, 2.0)),
    ("threshold_", lambda x: F.threshold_(x, 0.3, -7.0), lambda x: F.threshold(x, 0.3, -7.0)),
    ("rrelu_", lambda x: F.rrelu_(x, 0.1, 0.3), lambda x: F.rrelu(x, 0.1, 0.3)),
]


@pytest.mark.parametrize("index", range(len(INPLACE)))
def test_inplace_forms_write_the_result_into_the_input(index: int) -> None:
    name, inplace, outofplace = INPLACE[index]
    x = tg.tensor(SMOOTH.copy())
    expected = outofplace(x).data
    view = x[1]
    assert inplace(x) is x
    np.testing.assert_array_equal(x.data, expected)
    np.testing.assert_array_equal(view.data, expected[1])  # the same memory
    # a graph that saved x refuses to backward once x changed, as torch's version counter
    w = tg.tensor(SMOOTH.copy())
    w.requires_grad_()
    x = tg.tensor(SMOOTH.copy())
    y = w * x
    inplace(x)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    # a leaf that requires grad is refused in grad mode, and written in no_grad
    with pytest.raises(RuntimeError, match=rf"{name}: a leaf Variable that requires grad"):
        inplace(w)
    with tg.no_grad():
        inplace(w)
    np.testing.assert_array_equal(w.data, expected)


def test_inplace_forms_match_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    pairs: list[tuple[Callable[[Tensor], Tensor], Callable[[Any], Any]]] = [
        (F.relu_, tf.relu_),
        (lambda x: F.elu_(x, 0.5), lambda x: tf.elu_(x, 0.5)),
        (lambda x: F.leaky_relu_(x, 0.2), lambda x: tf.leaky_relu_(x, 0.2)),
        (lambda x: F.hardtanh_(x, -0.5, 2.0), lambda x: tf.hardtanh_(x, -0.5, 2.0)),
        (F.selu_, tf.selu_),
        (lambda x: F.celu_(x, 2.0), lambda x: tf.celu_(x, 2.0)),
        (lambda x: F.threshold_(x, 0.3, -7.0), lambda x: tf.threshold_(x, 0.3, -7.0)),
        (lambda x: F.rrelu_(x, 0.1, 0.3), lambda x: tf.rrelu_(x, 0.1, 0.3)),
    ]
    for ours, theirs in pairs:
        x, tx = tg.tensor(SMOOTH.copy()), torch.tensor(SMOOTH.copy())
        ours(x)
        theirs(tx)
        np.testing.assert_allclose(x.data, tx.numpy(), rtol=1e-14)
    ints, tints = tg.tensor([-3, 1, 5]), torch.tensor([-3, 1, 5])
    F.hardtanh_(ints, -2, 2)
    tf.hardtanh_(tints, -2, 2)
    assert ints.dtype == np.int64 and ints.tolist() == tints.tolist()


def test_inplace_forms_refuse_what_the_functions_refuse() -> None:
    with pytest.raises(TypeError, match="floating point"):
        F.elu_(tg.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"relu_\(\): argument 'input' must be Tensor"):
        F.relu_(np.ones(2))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="alpha cannot be 0"):
        F.celu_(tg.tensor([1.0]), 0.0)
    x = tg.tensor([-1.0, 1.0])
    with pytest.raises(RuntimeError, match="Lower bound"):
        F.rrelu_(x, 0.5, 0.1, training=True)
    assert x.tolist() == [-1.0, 1.0]  # unchanged


# ----------------------------------------------------------------------------- gumbel_softmax


def test_gumbel_softmax_samples_the_softmax_by_its_argmax() -> None:
    """The Gumbel-max trick: argmax of a sample is categorical(softmax(logits)); 4000 draws
    put each frequency within ±0.025 of p (3.4σ for p = 0.5)."""
    tg.manual_seed(0)
    p = np.array([0.1, 0.2, 0.5, 0.2])
    y = F.gumbel_softmax(tg.tensor(np.log(np.tile(p, (4000, 1)))), tau=0.5)
    np.testing.assert_allclose(y.data.sum(-1), 1.0, rtol=1e-14)
    counts = np.bincount(y.data.argmax(-1), minlength=4) / 4000
    np.testing.assert_allclose(counts, p, atol=0.025)


def test_gumbel_softmax_gradient_is_softmaxs_at_the_drawn_noise() -> None:
    """The noise is recovered from the sample, y = softmax((l + G)/τ): τ·ln y − l = G + const."""
    a = np.random.default_rng(2).standard_normal((3, 5))
    g = np.random.default_rng(3).standard_normal((3, 5))
    for dim in (-1, 0):
        x = tg.tensor(a, requires_grad=True)
        y = F.gumbel_softmax(x, tau=0.7, dim=dim)
        y.backward(tg.tensor(g))
        noise = 0.7 * np.log(y.data) - a
        x2 = tg.tensor(a, requires_grad=True)
        y2 = ((x2 + tg.tensor(noise)) / 0.7).softmax(dim)
        y2.backward(tg.tensor(g))
        np.testing.assert_allclose(y.data, y2.data, rtol=1e-12)
        assert x.grad is not None and x2.grad is not None
        np.testing.assert_allclose(x.grad.data, x2.grad.data, rtol=1e-9, atol=1e-14)
        torch = pytest.importorskip("torch")
        tx = torch.tensor(a, requires_grad=True)
        ((tx + torch.tensor(noise)) / 0.7).softmax(dim).backward(torch.tensor(g))
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-9, atol=1e-14)


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient() -> None:
    a = np.random.default_rng(4).standard_normal((6, 4))
    g = np.random.default_rng(5).standard_normal((6, 4))
    ys = []
    for hard in (False, True):
        tg.manual_seed(9)
        x = tg.tensor(a, requires_grad=True)
        y = F.gumbel_softmax(x, hard=hard, dim=0)
        y.backward(tg.tensor(g))
        ys.append((y.data, x.grad))
    (soft, soft_grad), (hard_y, hard_grad) = ys
    assert soft_grad is not None and hard_grad is not None
    np.testing.assert_allclose(hard_y, np.eye(6)[soft.argmax(0)].T, atol=1e-15)
    np.testing.assert_array_equal(hard_grad.data, soft_grad.data)  # straight through


def test_gumbel_softmax_gradcheck_with_the_same_draw_each_evaluation() -> None:
    def fn(x: Tensor) -> Tensor:
        tg.manual_seed(5)
        return F.gumbel_softmax(x, tau=1.5)

    a = SMOOTH / 4
    assert gradcheck(fn, [a])
    assert gradgradcheck(fn, [a])


def test_gumbel_softmax_dtypes_shapes_and_refusals() -> None:
    y = F.gumbel_softmax(tg.randn(2, 3, dtype=np.float32))
    assert y.dtype == np.float32 and np.isfinite(y.data).all()
    assert F.gumbel_softmax(tg.tensor(1.5), hard=True).tolist() == 1.0
    assert F.gumbel_softmax(tg.zeros(0, 4), hard=True).shape == (0, 4)
    with pytest.raises(TypeError, match=r"gumbel_softmax\(\): argument 'logits' must have a fl"):
        F.gumbel_softmax(tg.tensor([1, 2]))
    for tau in (0.0, -1.0, nan):
        with pytest.raises(ValueError, match=r"gumbel_softmax\(\): tau must be positive"):
            F.gumbel_softmax(tg.tensor([1.0, 2.0]), tau=tau)
    with pytest.raises(IndexError, match=r"gumbel_softmax\(\): dim 2 is out of range"):
        F.gumbel_softmax(tg.zeros(2, 3), dim=2)
    with pytest.raises(RuntimeError, match="which is empty"):
        F.gumbel_softmax(tg.zeros(2, 0), hard=True)
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
        F.gumbel_softmax(tg.zeros(2, 3), eps=1e-5)


# ----------------------------------------------------------------------------- dropouts


@pytest.mark.filterwarnings("ignore:dropout[23]d. Received")  # torch's warnings of other ranks
def test_channel_dropout_zeroes_whole_channels_and_scales_the_rest() -> None:
    tg.manual_seed(0)
    cases: list[tuple[Callable[..., Tensor], tuple[int, ...], int]] = [
        (F.dropout1d, (40, 30, 5), 2),  # (N, C, L): the channel is x[n, c]
        (F.dropout1d, (30, 5), 1),  # unbatched (C, L)
        (F.dropout2d, (40, 30, 2, 3), 2),
        (F.dropout2d, (40, 30, 5), 2),  # 3-d is read as (N, C, L), as torch's
        (F.dropout3d, (40, 30, 2, 2, 2), 2),
        (F.dropout3d, (30, 2, 2, 2), 1),  # unbatched (C, D, H, W)
    ]
    for fn, shape, lead in cases:
        x = tg.tensor(np.random.default_rng(1).uniform(1, 2, shape), requires_grad=True)
        y = fn(x, 0.3)
        y.backward(tg.ones(*shape))
        assert x.grad is not None  # x̄ = g·m/(1 − p): the mask itself
        factor = x.grad.data.reshape(*shape[:lead], -1)
        # every channel shares one factor: 0 or 1/(1 − p)
        assert (factor == factor[..., :1]).all(), (fn, shape)
        np.testing.assert_allclose(np.unique(factor), [0.0, 1 / 0.7], rtol=1e-15)
        np.testing.assert_allclose(y.data, x.data * x.grad.data, rtol=1e-15)
        dropped = (factor[..., 0] == 0).mean()
        n = factor[..., 0].size  # 1200 or 30 channels
        assert abs(dropped - 0.3) < 4.5 * math.sqrt(0.3 * 0.7 / n), (fn, shape, dropped)


@pytest.mark.filterwarnings("ignore:dropout[23]d. Received")  # torch's warnings of other ranks
def test_channel_dropout_eval_p0_p1_and_empty() -> None:
    x = tg.tensor(np.random.default_rng(0).standard_normal((2, 3, 4)), requires_grad=True)
    for fn in (F.dropout1d, F.dropout2d, F.dropout3d):
        assert fn(x, 0.5, training=False) is x
        assert fn(x, 0.0) is x
        y = fn(x, 1.0)
        assert (y.data == 0).all() and y.shape == x.shape
    assert F.dropout1d(tg.zeros(0, 3, 2)).shape == (0, 3, 2)


def test_channel_dropout_gradcheck_with_the_same_draw() -> None:
    a = SMOOTH.reshape(2, 3, 2)

    def fn(x: Tensor) -> Tensor:
        tg.manual_seed(1)
        return F.dropout1d(x, 0.4)

    assert gradcheck(fn, [a])
    assert gradgradcheck(fn, [a])


@pytest.mark.filterwarnings("ignore:dropout[23]d. Received")  # torch's warnings of other ranks
def test_channel_dropout_refusals() -> None:
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 1D"):
        F.dropout1d(tg.zeros(4))
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D"):
        F.dropout1d(tg.zeros(1, 2, 3, 4), training=False)
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
        F.dropout2d(tg.zeros(4))
    for fn in (F.dropout1d, F.dropout2d, F.dropout3d):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
            fn(tg.zeros(2, 3, 4), 1.5)
        with pytest.raises(TypeError, match="floating point"):
            fn(tg.tensor(np.ones((2, 3, 4), dtype=np.int64)), 0.5)
        with pytest.raises(TypeError, match="argument 'input' must be Tensor"):
            fn(np.ones((2, 3, 4)))  # type: ignore[arg-type]


def _dropout_warnings(lib: Any, call: Callable[[Any], Any]) -> list[str]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(lib)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.nn.functional.dropout2d(m.ones(1, 128), 0.5),  # the recipe's Dropout2d of fc1
        lambda m: m.nn.Dropout2d(0.5)(m.ones(1, 128)),
        lambda m: m.nn.functional.dropout2d(m.ones(2, 3, 4), 0.5, training=False),  # (N, C, L)
        lambda m: m.nn.functional.dropout2d(m.ones(2, 3, 4, 5), 0.5),
        lambda m: m.nn.functional.dropout3d(m.ones(2, 3), 0.5),
        lambda m: m.nn.functional.dropout3d(m.ones(2, 3, 4, 5), 0.5),
        lambda m: m.feature_dropout(m.ones(2, 3), 0.5, True),  # torch's _VF form: silent
    ],
)
def test_channel_dropout_warns_as_torch_of_other_ranks(call: Callable[[Any], Any]) -> None:
    """dropout2d of a rank other than 3 or 4 (the "Defining a Neural Network" recipe's
    ``Dropout2d`` after ``fc1``), or of a 3-d input read as (N, C, L), and dropout3d of a rank
    other than 4 or 5 warn as torch's; the values are dropout's all the same."""
    ours = _dropout_warnings(tg, call)
    x = tg.tensor(np.random.default_rng(0).uniform(1, 2, (200, 2)), requires_grad=True)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        y = F.dropout2d(x, 0.5)
    y.sum().backward()  # each element its own channel: x̄ = m/(1 − p), y = x·x̄
    np.testing.assert_allclose(np.unique(x.grad.numpy()), [0.0, 2.0])
    np.testing.assert_allclose(y.detach().numpy(), x.detach().numpy() * x.grad.numpy())
    torch = pytest.importorskip("torch")
    assert ours == _dropout_warnings(torch, call)


SELU_ALPHA_PRIME = 1.6732632423543772 * 1.0507009873554805


def test_alpha_dropout_keeps_zero_mean_unit_variance_and_has_two_affine_branches() -> None:
    tg.manual_seed(0)
    p = 0.2
    a_ = 1 / math.sqrt((SELU_ALPHA_PRIME**2 * p + 1) * (1 - p))
    x = tg.tensor(np.random.default_rng(0).standard_normal(200_000), requires_grad=True)
    y = F.alpha_dropout(x, p, training=True)
    y.sum().backward()
    dropped = np.isclose(y.data, -SELU_ALPHA_PRIME * a_ * (1 - p), rtol=0, atol=1e-15)
    kept = ~dropped
    np.testing.assert_allclose(
        y.data[kept], a_ * x.data[kept] + SELU_ALPHA_PRIME * a_ * p, rtol=1e-14
    )
    assert x.grad is not None  # x̄ = g·a·m
    np.testing.assert_allclose(x.grad.data, np.where(kept, a_, 0.0), rtol=1e-15)
    # mean 0 and sd 1 for standard normal x: 200k draws, within ~4σ (σ ≈ 0.0022 and 0.003)
    assert abs(y.data.mean()) < 0.01 and abs(y.data.std() - 1) < 0.012
    assert abs(dropped.mean() - p) < 0.004


def test_feature_alpha_dropout_shares_the_draw_per_channel() -> None:
    tg.manual_seed(2)
    x = tg.tensor(np.random.default_rng(0).standard_normal((300, 40, 3, 2)))
    y = F.feature_alpha_dropout(x, 0.5, training=True)
    a_ = 1 / math.sqrt((SELU_ALPHA_PRIME**2 * 0.5 + 1) * 0.5)
    low = -SELU_ALPHA_PRIME * a_ * 0.5
    dropped = np.isclose(y.data, low, rtol=0, atol=1e-15).reshape(300, 40, -1)
    assert (dropped == dropped[..., :1]).all()
    assert abs(dropped[..., 0].mean() - 0.5) < 0.02
    assert abs(y.data.mean()) < 0.02 and abs(y.data.std() - 1) < 0.02
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
        F.feature_alpha_dropout(tg.zeros(4), 0.5, training=True)
    assert (F.feature_alpha_dropout(tg.ones(4), 1.0, training=True).data == 0).all()  # as torch


def test_alpha_dropouts_defaults_eval_p0_p1_and_gradcheck() -> None:
    x = tg.tensor(SMOOTH)
    for fn in (F.alpha_dropout, F.feature_alpha_dropout):
        assert fn(x) is x  # torch's default training=False
        assert fn(x, 0.0, True) is x
        assert (fn(x, 1.0, True).data == 0).all()

        def drop(t: Tensor, fn: Callable[..., Tensor] = fn) -> Tensor:
            tg.manual_seed(4)
            return fn(t, 0.5, True)

        assert gradcheck(drop, [SMOOTH])
        assert gradgradcheck(drop, [SMOOTH])
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        F.alpha_dropout(x, -0.1, True)
    with pytest.raises(TypeError, match="floating point"):
        F.alpha_dropout(tg.tensor([1, 2]), 0.5, True)


def _most_frequent(y: np.ndarray) -> float:
    values, counts = np.unique(y, return_counts=True)
    return float(values[counts.argmax()])


def test_alpha_dropout_matches_torchs_statistics() -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    tg.manual_seed(0)
    a = np.random.default_rng(0).standard_normal(100_000)
    ours = F.alpha_dropout(tg.tensor(a), 0.3, True).data
    theirs = torch.nn.functional.alpha_dropout(torch.tensor(a), 0.3, True).numpy()
    low, low_t = (_most_frequent(y) for y in (ours, theirs))
    assert abs(low - low_t) < 1e-15  # the dropped value, the most frequent one
    kept, kept_t = ours != low, theirs != low_t
    # the same affine map on the kept entries, and about as many of them
    fit, fit_t = np.polyfit(a[kept], ours[kept], 1), np.polyfit(a[kept_t], theirs[kept_t], 1)
    np.testing.assert_allclose(fit, fit_t, rtol=1e-10)
    assert abs(kept.mean() - kept_t.mean()) < 0.01


DROPOUT_MODULES: list[tuple[Any, Callable[..., Tensor], tuple[int, ...]]] = [
    (nn.Dropout1d, F.dropout1d, (3, 4, 5)),
    (nn.Dropout2d, F.dropout2d, (3, 4, 5, 2)),
    (nn.Dropout3d, F.dropout3d, (3, 4, 5, 2, 2)),
    (nn.AlphaDropout, F.alpha_dropout, (3, 4)),
    (nn.FeatureAlphaDropout, F.feature_alpha_dropout, (3, 4, 2)),
]


@pytest.mark.parametrize("index", range(len(DROPOUT_MODULES)))
def test_dropout_modules_follow_train_and_eval(index: int) -> None:
    cls, fn, shape = DROPOUT_MODULES[index]
    m = cls(0.25)
    assert repr(m) == f"{cls.__name__}(p=0.25, inplace=False)"
    assert repr(cls(1, True)) == f"{cls.__name__}(p=1, inplace=True)"
    x = tg.tensor(np.random.default_rng(0).uniform(1, 2, shape))
    tg.manual_seed(3)
    y = m(x)
    tg.manual_seed(3)
    np.testing.assert_array_equal(y.data, fn(x, 0.25, True).data)
    m.eval()
    assert m(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        cls(1.5)
    with pytest.raises(TypeError, match=rf"{cls.__name__}.forward\(\): expected a Tensor"):
        cls()(np.ones(shape))
    assert isinstance(m, type(nn.Dropout()).__mro__[1])  # torch's _DropoutNd base


def test_dropout_module_reprs_are_torchs() -> None:
    torch = pytest.importorskip("torch")
    for cls, _, _ in DROPOUT_MODULES:
        assert repr(getattr(torch.nn, cls.__name__)(0.25)) == repr(cls(0.25))


# ----------------------------------------------------------------------------- bilinear

BILINEAR_SHAPES = [  # x1, x2, weight
    ((4, 3), (4, 2), (5, 3, 2)),
    ((3,), (2,), (5, 3, 2)),
    ((2, 3, 3), (2, 3, 4), (1, 3, 4)),
    ((0, 3), (0, 2), (4, 3, 2)),
    ((4, 1), (4, 1), (2, 1, 1)),
]


@pytest.mark.parametrize("shapes_", BILINEAR_SHAPES)
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_matches_torch_and_the_formula(
    shapes_: tuple[tuple[int, ...], ...], bias: bool
) -> None:
    rng = np.random.default_rng(0)
    s1, s2, sw = shapes_
    arrays_ = [rng.standard_normal(s) for s in (s1, s2, sw)] + [rng.standard_normal(sw[0])]
    if not bias:
        arrays_ = arrays_[:3]
    ts = [tg.tensor(a, requires_grad=True) for a in arrays_]
    y = F.bilinear(*ts)
    expected = np.einsum("...i,kij,...j->...k", arrays_[0], arrays_[2], arrays_[1]) + (
        arrays_[3] if bias else 0
    )
    np.testing.assert_allclose(y.data, expected, rtol=1e-12, atol=1e-14)
    g = rng.standard_normal(y.shape)
    y.backward(tg.tensor(g))
    assert gradcheck(F.bilinear, arrays_)
    torch = pytest.importorskip("torch")
    tts = [torch.tensor(a, requires_grad=True) for a in arrays_]
    ty = torch.nn.functional.bilinear(*tts)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12, atol=1e-14)
    for t, tt in zip(ts, tts):
        assert t.grad is not None and tt.grad is not None
        np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_bilinear_gradgradcheck_and_float32() -> None:
    rng = np.random.default_rng(1)
    arrays_ = [rng.standard_normal(s) for s in ((3, 2), (3, 4), (2, 2, 4), (2,))]
    assert gradgradcheck(F.bilinear, arrays_)
    y = F.bilinear(*(tg.tensor(a.astype(np.float32)) for a in arrays_))
    assert y.dtype == np.float32


def test_bilinear_refusals_name_the_shapes() -> None:
    w = tg.zeros(5, 3, 4)
    cases: list[tuple[tuple[Any, ...], str]] = [
        (
            (tg.zeros(2, 3), tg.zeros(3, 4), w),
            r"same leading \(batch\) dims .* \(2, 3\) and \(3, 4\)",
        ),
        ((tg.zeros(2, 2, 3), tg.zeros(2, 4), w), r"\(2, 2, 3\) and \(2, 4\)"),
        ((tg.tensor(1.0), tg.tensor(1.0), tg.zeros(5, 1, 1)), "at least one dim"),
        (
            (tg.zeros(2, 3), tg.zeros(2, 5), w),
            "input2 size does not match weight size: got 5 but expected 4",
        ),
        (
            (tg.zeros(2, 2), tg.zeros(2, 4), w),
            "input1 size does not match weight size: got 2 but expected 3",
        ),
        ((tg.zeros(2, 3), tg.zeros(2, 4), tg.zeros(3, 4)), r"weight must have 3 dims.*\(3, 4\)"),
        (
            (tg.zeros(2, 3), tg.zeros(2, 4), w, tg.zeros(4)),
            r"bias of shape \(4,\) must have shape \(5,\)",
        ),
        ((tg.zeros(2, 3, dtype=np.float64), tg.zeros(2, 4), w), "same dtype, got float64, float32"),
    ]
    for args, message in cases:
        with pytest.raises(RuntimeError, match=message):
            F.bilinear(*args)
    with pytest.raises(TypeError, match=r"bilinear\(\): argument 'weight' must be Tensor"):
        F.bilinear(tg.zeros(2, 3), tg.zeros(2, 4), np.zeros((5, 3, 4)))  # type: ignore[arg-type]


def test_bilinear_module_init_repr_and_forward() -> None:
    tg.manual_seed(0)
    m = nn.Bilinear(20, 3, 400)
    assert repr(m) == "Bilinear(in1_features=20, in2_features=3, out_features=400, bias=True)"
    assert m.weight.shape == (400, 20, 3) and m.bias is not None and m.bias.shape == (400,)
    bound = 1 / math.sqrt(20)
    for p in (m.weight, m.bias):  # U(−1/√in1, 1/√in1), as torch's
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.95 * bound
        assert abs(p.data.std() - bound / math.sqrt(3)) < 0.02 * bound
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias"]
    x1, x2 = tg.randn(6, 20), tg.randn(6, 3)
    np.testing.assert_array_equal(m(x1, x2).data, F.bilinear(x1, x2, m.weight, m.bias).data)
    small = nn.Bilinear(2, 3, 4, bias=False, dtype=np.float32)
    assert small.bias is None and small.weight.dtype == np.float32
    assert "bias=False" in repr(small)
    with pytest.raises(ValueError, match=r"in1_features must be > 0, but got \(in1_features=0\)"):
        nn.Bilinear(0, 2, 3)
    with pytest.raises(TypeError, match="in2_features must be an int"):
        nn.Bilinear(2, 2.5, 3)  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    assert repr(torch.nn.Bilinear(20, 3, 400)) == repr(m)


# ----------------------------------------------------------------------------- modules and refusals

# (module, its repr, its function, torch's module from torch.nn)
MODULES: list[tuple[nn.Module, str, Callable[[Tensor], Tensor], Callable[[Any], Any]]] = [
    (nn.Hardshrink(), "Hardshrink(0.5)", F.hardshrink, lambda tnn: tnn.Hardshrink()),
    (nn.Hardshrink(2), "Hardshrink(2)", lambda x: F.hardshrink(x, 2), lambda t: t.Hardshrink(2)),
    (nn.Softshrink(), "Softshrink(0.5)", F.softshrink, lambda tnn: tnn.Softshrink()),
    (
        nn.Softshrink(1.5),
        "Softshrink(1.5)",
        lambda x: F.softshrink(x, 1.5),
        lambda tnn: tnn.Softshrink(1.5),
    ),
    (nn.Tanhshrink(), "Tanhshrink()", F.tanhshrink, lambda tnn: tnn.Tanhshrink()),
    (nn.GLU(), "GLU(dim=-1)", F.glu, lambda tnn: tnn.GLU()),
    (nn.GLU(0), "GLU(dim=0)", lambda x: F.glu(x, 0), lambda tnn: tnn.GLU(0)),
    (nn.Softmax2d(), "Softmax2d()", lambda x: F.softmax(x, -3), lambda tnn: tnn.Softmax2d()),
]


@pytest.mark.parametrize("index", range(len(MODULES)))
def test_modules_call_their_function_and_have_torchs_repr(index: int) -> None:
    module, text, fn, torch_module = MODULES[index]
    x = tg.tensor(SMOOTH.reshape(2, 3, 1, 2))
    np.testing.assert_array_equal(module(x).data, fn(x).data)
    assert repr(module) == text
    assert list(module.state_dict()) == [] and list(module.parameters()) == []
    torch = pytest.importorskip("torch")
    assert repr(torch_module(torch.nn)) == text


def test_activation_refusals() -> None:
    ints = tg.tensor([1, 2])
    for fn in (F.hardshrink, F.softshrink, F.glu, F.rrelu):
        with pytest.raises(TypeError, match=r"\(\): argument 'input' must have a floating"):
            fn(ints)
    with pytest.raises(RuntimeError, match=r"softshrink\(\): lambda must be in range \[0, "):
        F.softshrink(tg.tensor([1.0]), -1.0)
    for fn in (F.hardshrink, F.softshrink):
        with pytest.raises(TypeError, match="lambd must be a number"):
            fn(tg.tensor([1.0]), "a")  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="lambd 1e\\+40 cannot be converted"):
            fn(tg.tensor([1.0], dtype=np.float32), 1e40)
    with pytest.raises(RuntimeError, match="Halving dimension must be even, but dimension 1 is"):
        F.glu(tg.zeros(2, 3))
    with pytest.raises(RuntimeError, match="glu does not support scalars"):
        F.glu(tg.tensor(1.0))
    with pytest.raises(IndexError, match=r"glu\(\): dim 2 is out of range"):
        F.glu(tg.zeros(2, 4), 2)
    with pytest.raises(TypeError, match=r"glu\(\): dim must be an int"):
        F.glu(tg.zeros(2, 4), 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="GLU\\(\\): dim must be an int"):
        nn.GLU(1.5)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"rrelu\(\): Lower bound should be less than or eq"):
        F.rrelu(tg.zeros(2), 0.5, 0.1)  # in eval mode too, as torch
    with pytest.raises(TypeError, match="upper must be a number"):
        F.rrelu(tg.zeros(2), 0.1, None)  # type: ignore[arg-type]
