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


# ----------------------------------------------------------------------------- the checker's edges


def _value_of(true: Tensor, wrong: Tensor) -> Tensor:
    """``true``'s value with ``wrong``'s gradient: a planted wrong derivative."""
    return true.detach() + (wrong - wrong.detach())


def test_numerical_grad_of_a_transposed_input() -> None:
    """A transposed (column-major) input: every coordinate is still perturbed and recorded."""
    w = np.arange(6.0).reshape(3, 2) / 4
    for x in (w.T, np.asfortranarray(w), tg.Tensor(w).T):
        g = numerical_grad(lambda t: (t**2).sum(), x)
        np.testing.assert_allclose(g, 2 * np.asarray(getattr(x, "data", x)), rtol=1e-7)


def test_nan_and_inf_never_pass() -> None:
    """|a − n| ≤ tol is False for nan, so nan must be a mismatch, not a pass (as in torch)."""
    x = np.array([0.3, -0.7])

    def nan_grad(t: Tensor) -> Tensor:
        h = t * 2.0
        h.register_hook(lambda g: g * np.nan)
        return h

    with pytest.raises(GradcheckError, match="4 Jacobian element"):  # nan·0 is nan: all four
        gradcheck(nan_grad, [x])
    with np.errstate(all="ignore"), pytest.raises(GradcheckError, match=r"\(0,\) +inf +nan"):
        gradcheck(lambda t: t.sqrt(), [np.array([0.0, 1.0])])  # at 0: inf against nan


def test_which_inputs_are_checked() -> None:
    """Floating arrays and Tensors that require grad are; a Tensor that needs no grad (class
    weights) is passed through as torch's gradcheck does; no checked input is an error."""
    logits, y = np.random.default_rng(2).standard_normal((3, 4)), np.array([0, 3, 1])
    weight = tg.Tensor(np.array([1.0, 2.0, 0.5, 1.5]))
    assert gradcheck(lambda x, t, w: tg.functional.cross_entropy(x, t, w), [logits, y, weight])
    assert gradcheck(lambda x: x.tanh(), [tg.Tensor(logits, requires_grad=True)])
    for inputs in ([np.array([1, 2])], [2.0], [], [weight]):
        with pytest.raises(ValueError, match="no input to check"):
            gradcheck(lambda *a: tg.ones(1, requires_grad=True) * 2.0, inputs)


def test_bare_inputs_and_bad_arguments() -> None:
    x = np.array([0.2, 0.4])
    assert gradcheck(lambda t: t.exp(), x)  # one input, given bare as torch allows
    assert gradcheck(lambda t: t.exp(), tg.Tensor(x, requires_grad=True))
    with pytest.raises(TypeError, match="inputs must be a list or tuple"):
        gradcheck(lambda t: t, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="output 0 is a float"):
        gradcheck(lambda t: float(t.sum().item()), [x])
    with pytest.raises(TypeError, match="eps must be a number"):
        gradcheck(lambda t: t, [x], eps=None)  # type: ignore[arg-type]
    for bad in ({"atol": -1.0}, {"rtol": float("nan")}, {"eps": 0.0}):
        with pytest.raises(ValueError, match="finite number"):
            gradcheck(lambda t: t, [x], **bad)


def test_gradgradcheck_checks_the_adjoint_path() -> None:
    """A rule that detaches its incoming g is right in x for any fixed v, wrong in v: torch's
    gradgradcheck catches it by differentiating with respect to v too, and so must this."""
    cube = OpDef(
        "cube_detached_g",
        lambda x: x**3,
        (lambda g, out, x: g.detach() * x * x * 3.0,),
        "out = x³;  x̄ = 3x²·g, with g detached (wrong under create_graph)",
        "unary",
    )
    x = np.array([0.3, -0.7, 1.1])
    assert gradcheck(lambda t: _apply(cube, t), [x])
    with pytest.raises(GradcheckError, match=r"gradgradcheck failed(.|\n)*the v's"):
        gradgradcheck(lambda t: _apply(cube, t), [x])


def test_a_smooth_point_is_not_called_a_kink() -> None:
    """One-sided differences of 100x² at 0 differ by 200ε, which shrinks with ε: no kink."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: _value_of(100 * t * t, 100 * t * t + 0.01 * t), [np.array([0.0])])
    assert "kink" not in str(info.value) and "inf" in str(info.value)  # rel err of 0: inf
    with pytest.raises(GradcheckError, match="kink"):
        gradcheck(lambda t: t.relu() + 100 * t * t, [np.array([0.0])])


def test_strategies_keep_domain_and_margin() -> None:
    """A value on an avoid point at the domain's edge moves inward, not out of the domain;
    two avoid points closer than 2·margin are both respected."""
    from hypothesis import given, settings

    from tinygrad_ed.testing import arrays, distinct_arrays

    @settings(max_examples=200)
    @given(arrays((6,), (-1.0, 1.0), avoid=(1.0, 0.0, 0.15), dtype=np.float32))
    def check(a: np.ndarray) -> None:
        assert np.all(np.abs(a) <= 1.0)
        for k in (1.0, 0.0, 0.15):
            assert np.all(np.abs(a.astype(np.float64) - k) >= 0.1)

    check()

    @settings(max_examples=100)
    @given(distinct_arrays([(4, 4), (3,)], domain=(-1.0, 1.0)))
    def spaced(arrs: list[np.ndarray]) -> None:
        v = np.sort(np.concatenate([a.ravel() for a in arrs]))
        assert v[0] >= -1.0 and v[-1] <= 1.0 and np.all(np.diff(v) >= 0.05 - 1e-12)

    spaced()
    with pytest.raises(ValueError, match="do not fit"):
        distinct_arrays([(10, 10)])
    with pytest.raises(ValueError, match="no value of the domain"):
        arrays((2,), (0.0, 0.1), avoid=(0.05,))
