"""The finite-difference checker itself: it must catch wrong derivatives and say where."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import GradcheckError, gradcheck, gradgradcheck, numerical_grad
from tinygrad_ed.ops import OpDef
from tinygrad_ed.tensor import Tensor, _apply
from tinygrad_ed.testing import assert_gradcheck

# A planted bug: sin with the derivative of −cos's sign flipped at one element.
_BAD_SIN = OpDef(
    "bad_sin",
    np.sin,
    (lambda g, out, x: g * np.cos(x.data) * np.where(np.arange(x.data.size) == 2, -1.0, 1.0),),
    "out = sin x;  x̄ = g·cos x (wrong at element 2)",
    "unary",
)


def test_numerical_grad_is_central_difference_and_leaves_input_alone() -> None:
    x = np.array([0.3, -1.2, 2.0])
    before = x.copy()
    g = numerical_grad(lambda t: (t**3).sum(), x)
    np.testing.assert_allclose(g, 3 * before**2, rtol=1e-7)
    assert np.array_equal(x, before)
    t = tg.Tensor(x.astype(np.float32))
    numerical_grad(lambda u: u.sum(), t)
    assert np.array_equal(t.data, before.astype(np.float32))


def test_planted_wrong_derivative_fails_naming_the_element() -> None:
    x = np.array([0.1, 0.5, 0.9, 1.3])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: _apply(_BAD_SIN, t), [x])
    message = str(info.value)
    assert "(2,)" in message and "analytic" in message and "numeric" in message
    row = next(line for line in message.splitlines() if "(2,)" in line)
    assert f"{-np.cos(0.9):.6g}" in row and f"{np.cos(0.9):.6g}" in row
    assert "1 Jacobian element(s)" in message


def test_kinks_are_reported_as_kinks() -> None:
    with pytest.raises(GradcheckError, match="kink"):
        gradcheck(lambda t: t.relu(), [np.array([0.0, 1.0])])


def test_correct_functions_pass_and_second_order() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    assert gradcheck(lambda x, y: (x * y).sigmoid(), [a, b])
    assert gradgradcheck(lambda x, y: (x @ y).tanh(), [a, b])
    assert_gradcheck(lambda x: x.exp().log_softmax(0), a)
    with pytest.raises(GradcheckError):
        gradgradcheck(lambda t: _apply(_BAD_SIN, t) * t, [np.array([0.2, 0.4, 0.6])])


def test_gradcheck_multiple_outputs_and_unused_inputs() -> None:
    a, b = np.array([1.0, 2.0]), np.array([3.0])
    assert gradcheck(lambda x, y: (x * 2.0, x.exp()), [a, b])
    assert isinstance(Tensor(a), Tensor)


def test_integer_inputs_pass_through_unchecked_as_in_torch() -> None:
    """Class labels are an input, not a variable: gradcheck(F.cross_entropy, (logits, y))."""
    logits = np.random.default_rng(1).standard_normal((4, 3))
    y = np.array([0, 2, 1, 2])
    assert gradcheck(tg.functional.cross_entropy, [logits, y])
    assert gradgradcheck(tg.functional.cross_entropy, [logits, y])
    assert gradcheck(lambda x, k: x * k, [logits, 3])  # a Python int option
    with pytest.raises(GradcheckError, match=r"\n +0 +1 +\(0, 2\)"):  # input 1, element (0, 2)
        gradcheck(lambda k, t: _apply(_BAD_SIN, t) * k, [2, np.array([[0.1, 0.5, 0.9]])])


def test_functions_with_hooks_can_be_checked() -> None:
    """fn runs in grad mode in both passes, so register_hook and retain_grad work inside."""

    def f(x: Tensor, scale: float) -> Tensor:
        h = x * 2.0
        h.retain_grad()
        h.register_hook(lambda g: g * scale if scale != 1.0 else None)
        return (h * h).sum()

    assert gradcheck(f, [np.array([0.5, -1.0]), 1.0])
    with pytest.raises(GradcheckError):  # the hook scales what backprop sends: caught
        gradcheck(f, [np.array([0.5, -1.0]), 3.0])
