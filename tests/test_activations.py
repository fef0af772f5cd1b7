"""The activations torch has beside the basic ones: relu6, hardsigmoid, hardswish, selu, celu,
mish, softsign, softmin, threshold, and their modules.

All are compositions of gradchecked ops; what is checked here is that they are torch's
functions: values, gradients at the kinks (torch's conventions, e.g. relu6'(0) = relu6'(6) = 0,
hardswish'(−3) = 0 but hardswish'(3) = 1), ±∞, large magnitudes and dtypes against torch 2.13
(skipped without torch), gradcheck and gradgradcheck in float64, reprs and refusals.
"""

from __future__ import annotations

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

inf = float("inf")

# name → a call that works on both libraries: (functional module, x) ↦ y
ACTIVATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "relu6": lambda f, x: f.relu6(x),
    "hardsigmoid": lambda f, x: f.hardsigmoid(x),
    "hardswish": lambda f, x: f.hardswish(x),
    "selu": lambda f, x: f.selu(x),
    "celu": lambda f, x: f.celu(x),
    "celu alpha": lambda f, x: f.celu(x, 0.5),  # 1/α exact in float32: see below
    "celu negative alpha": lambda f, x: f.celu(x, -2.0),
    "mish": lambda f, x: f.mish(x),
    "softsign": lambda f, x: f.softsign(x),
    "softmin": lambda f, x: f.softmin(x, -1),
    "softmin dim 0": lambda f, x: f.softmin(x, 0),
    "threshold": lambda f, x: f.threshold(x, 1.0, -2.5),
    "threshold at 0": lambda f, x: f.threshold(x, 0.0, 0.0),
    "hardtanh": lambda f, x: f.hardtanh(x, -3.0, 6.0),
}

# Every kink of the functions above, the ends of the real line and large magnitudes.
GRID = np.array(
    [0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 2.5, -2.5, 0.5, 20.0, -20.0, 1e4, -1e4, inf, -inf]
)

# torch computes hardsigmoid's gradient with a float32 1/6 (0.1666666716…), even in float64;
# ours is exact, 3e-8 apart. (celu's 1/α is float32 too: test_celu_gradient_divergence.)
LOOSE_GRADIENT = {"hardsigmoid": 1e-7}
# And torch's elu-family rule for x < 0 is (out + λα)·…, which cancels where eˣ is tiny (x = −20:
# 2e-8 relative): gradients are compared with an absolute tolerance as well, 1e-15 of |ȳ| ≤ 1.
GRADIENT_ATOL = 1e-15


def _torch_pair(name: str, a: np.ndarray, torch: Any) -> tuple[Any, Any, Tensor, Tensor]:
    call = ACTIVATIONS[name]
    x, tx = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    return call(torch.nn.functional, tx), tx, call(F, x), x


def _assert_matches_torch(name: str, a: np.ndarray, g: np.ndarray, rtol: float = 1e-13) -> None:
    torch = pytest.importorskip("torch")
    # hardswish(−∞) = −∞·0 = nan and celu(−1e4, α = −2) = −∞, as torch's: numpy warns.
    with np.errstate(invalid="ignore", over="ignore"):
        ty, tx, y, x = _torch_pair(name, a, torch)
        y.backward(tg.tensor(g))
    ty.backward(torch.tensor(g))
    assert str(ty.dtype) == f"torch.{y.dtype}", name
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=rtol, atol=1e-300)
    assert x.grad is not None and tx.grad is not None
    tol = max(LOOSE_GRADIENT.get(name, 1e-12), rtol)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=tol, atol=GRADIENT_ATOL)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_values_and_gradients_match_torch_at_kinks_and_infinities(name: str) -> None:
    """Elementwise ones on the grid (gradients at the kinks are torch's), softmin on rows."""
    a = GRID.reshape(1, -1) if not name.startswith("softmin") else GRID[:14].reshape(2, 7)
    if name.startswith("softmin"):
        a = a / 1e3  # finite rows: softmin of ±∞ is nan in both
    g = np.random.default_rng(0).standard_normal(a.shape)
    _assert_matches_torch(name, a, g)


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=min(10, settings().max_examples))  # each example calls torch too
@given(data=st.data())
def test_values_and_gradients_match_torch_on_drawn_inputs(name: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3))
    scale = data.draw(st.sampled_from([1.0, 4.0, 1e3]))
    a = data.draw(arrays(shape, (-2.0, 2.0))) * scale
    if name == "celu negative alpha":
        # α(e^{x/α} − 1) overflows from x/α > 709.09, and our chain g·α·e^{x/α} with it, where
        # torch's e^{x/α} stays finite up to 709.78: a gradient of an infinite output
        a = np.maximum(a, -1400.0)
    g = data.draw(arrays(shape, (-1.0, 1.0)))
    _assert_matches_torch(name, a, g)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_float32_stays_float32_and_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    a = np.linspace(-7, 7, 29, dtype=np.float32).reshape(1, -1)
    ty, tx, y, x = _torch_pair(name, a, torch)
    assert y.dtype == np.float32 and str(ty.dtype) == "torch.float32"
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=2e-6, atol=1e-7)
    y.sum().backward()
    ty.sum().backward()
    assert x.grad is not None and x.grad.dtype == np.float32 and tx.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=2e-6, atol=1e-7)


# Away from the kinks (0, ±3, 6, the threshold 1) by construction: a grid between them.
SMOOTH = np.linspace(-5.3, 7.1, 12).reshape(3, 4) + 0.0123


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradcheck_and_gradgradcheck_float64(name: str) -> None:
    def fn(x: Tensor) -> Tensor:
        return ACTIVATIONS[name](F, x)  # type: ignore[no-any-return]

    assert gradcheck(fn, [SMOOTH])
    assert gradgradcheck(fn, [SMOOTH])


def test_gradients_at_the_kinks_are_torchs() -> None:
    """Written out, so they hold without torch too."""
    cases: list[tuple[Callable[[Tensor], Tensor], list[float], list[float]]] = [
        (F.relu6, [-1.0, 0.0, 3.0, 6.0, 7.0], [0.0, 0.0, 1.0, 0.0, 0.0]),
        (lambda x: F.hardtanh(x), [-1.0, 1.0, 0.0], [0.0, 0.0, 1.0]),
        (F.hardsigmoid, [-3.0, 0.0, 3.0], [0.0, 1 / 6, 0.0]),
        (F.hardswish, [-3.0, 0.0, 3.0, 4.0], [0.0, 0.5, 1.0, 1.0]),
        (lambda x: F.threshold(x, 1.0, 5.0), [1.0, 1.5], [0.0, 1.0]),
        (F.selu, [0.0], [1.6732632423543772 * 1.0507009873554805]),  # λα: elu's left side
        (lambda x: F.celu(x, 0.5), [0.0], [1.0]),
        (F.softsign, [0.0], [1.0]),
        (F.mish, [0.0], [0.6]),
    ]
    for fn, points, expected in cases:
        x = tg.tensor(np.array(points), requires_grad=True)
        fn(x).sum().backward()
        assert x.grad is not None
        np.testing.assert_allclose(x.grad.data, expected, rtol=1e-15)


def test_nan_passes_hardtanh_relu6_and_threshold_with_its_gradient_as_torch() -> None:
    nan = float("nan")
    for fn in (F.relu6, lambda x: F.hardtanh(x), lambda x: F.threshold(x, 0.0, 1.0)):
        x = tg.tensor([nan, 0.5], requires_grad=True)
        y = fn(x)
        y.sum().backward()
        assert np.isnan(y.data[0]) and x.grad is not None and x.grad.tolist() == [1.0, 1.0]
    x = tg.tensor([nan, 0.5], requires_grad=True)
    F.hardsigmoid(x).sum().backward()  # torch's hardsigmoid compares the other way: 0
    assert x.grad is not None and x.grad.tolist() == [0.0, pytest.approx(1 / 6)]


def test_stable_at_large_magnitudes() -> None:
    x = tg.tensor(np.array([1e4, -1e4, 800.0, -800.0]), requires_grad=True)
    y = F.mish(x)
    y.sum().backward()
    assert y.data[0] == 1e4 and y.data[1] == 0.0 and y.data[2] == 800.0
    assert x.grad is not None and np.isfinite(x.grad.data).all()
    np.testing.assert_allclose(x.grad.data, [1.0, 0.0, 1.0, 0.0], atol=1e-300)
    with np.errstate(invalid="ignore"):
        s = F.softsign(tg.tensor(np.array([1e308, -1e308, inf]))).data
    assert s[0] == 1.0 and s[1] == -1.0 and np.isnan(s[2])  # ∞/∞, as torch


def test_integer_and_bool_inputs_follow_torch() -> None:
    ints = tg.tensor([-2, 3, 8])
    r = F.relu6(ints)
    assert r.dtype == np.int64 and r.tolist() == [0, 3, 6]
    t = F.threshold(tg.tensor([1, 2, 3], dtype=np.int32), 1.5, 7.9)
    assert t.dtype == np.int32 and t.tolist() == [7, 2, 3]  # value truncated, as torch
    for dtype, value in ((np.float32, 1e40), (np.int8, 300), (np.uint8, -1), (np.int64, np.nan)):
        with pytest.raises(RuntimeError, match=r"threshold\(\): value .* without overflow"):
            F.threshold(tg.tensor([1, 2], dtype=dtype), 1.5, value)
    assert F.threshold(tg.tensor([1.0, 2.0]), 1.5, inf).tolist() == [inf, 2.0]
    s = F.softsign(ints)
    assert s.dtype == np.float32 and s.tolist() == pytest.approx([-2 / 3, 0.75, 8 / 9])
    for fn in (F.hardsigmoid, F.hardswish, F.selu, F.celu, F.mish):
        with pytest.raises(TypeError, match=r"\(\): argument 'input' must have a floating"):
            fn(ints)
    for fn in (F.relu6, F.softsign, lambda x: F.threshold(x, 0.5, 0.0)):
        with pytest.raises(TypeError, match="bool"):
            fn(tg.tensor([True, False]))


def test_softmin_is_softmax_of_the_negation_with_an_optional_dtype() -> None:
    x = tg.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(F.softmin(x, 1).data, F.softmax(-x, 1).data)
    assert F.softmin(x, 1, dtype=np.float64).dtype == np.float64
    assert F.softmin(tg.tensor([1, 2]), 0, dtype=np.float32).dtype == np.float32
    with pytest.raises(TypeError, match=r"softmin\(\).*int64"):
        F.softmin(tg.tensor([1, 2]), 0)  # integers are refused, as torch's softmax
    # The module's dim=None is torch's legacy choice: dim 1 for a 2-d input.
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        np.testing.assert_allclose(nn.Softmin()(x).data, F.softmin(x, 1).data)


def test_celu_gradient_divergence() -> None:
    """torch's celu rule rounds 1/α to float32 inside e^{x/α} (α = 0.7: 3.4e-8 off), so its
    gradient is off by |x|·3.4e-8 relative while its value is not; ours is e^{x/α} itself."""
    torch = pytest.importorskip("torch")
    a = np.array([-6.0, -1.0, -0.1])
    x, tx = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    F.celu(x, 0.7).sum().backward()
    torch.nn.functional.celu(tx, 0.7).sum().backward()
    assert x.grad is not None and tx.grad is not None
    np.testing.assert_allclose(x.grad.data, np.exp(a / 0.7), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(F.celu(x, 0.7).data, torch.nn.functional.celu(tx, 0.7).detach())


def test_celu_refuses_alpha_zero_as_torch() -> None:
    with pytest.raises(RuntimeError, match=r"celu\(\): alpha cannot be 0"):
        F.celu(tg.tensor([1.0]), 0.0)


# ----------------------------------------------------------------------------- modules

MODULES: list[tuple[nn.Module, str, Callable[[Tensor], Tensor]]] = [
    (nn.ReLU6(), "ReLU6()", F.relu6),
    (nn.ReLU6(inplace=True), "ReLU6(inplace=True)", F.relu6),
    (nn.Softmin(1), "Softmin(dim=1)", lambda x: F.softmin(x, 1)),
    (nn.Softmin(), "Softmin(dim=None)", lambda x: F.softmin(x, 1)),
    (nn.Softsign(), "Softsign()", F.softsign),
    (nn.SELU(), "SELU()", F.selu),
    (nn.SELU(True), "SELU(inplace=True)", F.selu),
    (nn.CELU(), "CELU(alpha=1.0)", F.celu),
    (nn.CELU(0.5, True), "CELU(alpha=0.5, inplace=True)", lambda x: F.celu(x, 0.5)),
    (nn.Mish(), "Mish()", F.mish),
    (nn.Mish(inplace=True), "Mish(inplace=True)", F.mish),
    (nn.Hardsigmoid(), "Hardsigmoid()", F.hardsigmoid),
    (nn.Hardsigmoid(True), "Hardsigmoid()", F.hardsigmoid),
    (nn.Hardswish(True), "Hardswish()", F.hardswish),
    (
        nn.Threshold(0.1, 20),
        "Threshold(threshold=0.1, value=20)",
        lambda x: F.threshold(x, 0.1, 20),
    ),
    (
        nn.Threshold(0.1, 20.0, True),
        "Threshold(threshold=0.1, value=20.0, inplace=True)",
        lambda x: F.threshold(x, 0.1, 20.0),
    ),
]


@pytest.mark.parametrize("index", range(len(MODULES)))
def test_modules_call_their_function_and_have_torchs_repr(index: int) -> None:
    module, text, fn = MODULES[index]
    x = tg.tensor(SMOOTH)
    expected = fn(tg.tensor(SMOOTH)).data
    if getattr(module, "dim", 0) is None:  # Softmin() picks a dim, with torch's warning
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            out = module(x)
    else:
        out = module(x)
    np.testing.assert_array_equal(out.data, expected)
    # inplace=True writes into the input and returns it, as torch
    assert (out is x) is bool(getattr(module, "inplace", False))
    assert repr(module) == text
    assert list(module.state_dict()) == [] and list(module.parameters()) == []


def test_module_reprs_are_torchs() -> None:
    torch = pytest.importorskip("torch")
    built = {
        "ReLU6(inplace=True)": torch.nn.ReLU6(inplace=True),
        "Softmin(dim=None)": torch.nn.Softmin(),
        "CELU(alpha=0.5, inplace=True)": torch.nn.CELU(0.5, True),
        "Hardsigmoid()": torch.nn.Hardsigmoid(True),
        "Threshold(threshold=0.1, value=20)": torch.nn.Threshold(0.1, 20),
        "SELU(inplace=True)": torch.nn.SELU(True),
        "Mish(inplace=True)": torch.nn.Mish(True),
    }
    for text, module in built.items():
        assert repr(module) == text
    assert isinstance(nn.ReLU6(), nn.Hardtanh) and isinstance(torch.nn.ReLU6(), torch.nn.Hardtanh)
    assert (nn.ReLU6().min_val, nn.ReLU6().max_val) == (0.0, 6.0)
