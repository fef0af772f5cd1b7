"""The finite-difference checker itself: it must catch wrong derivatives and say where."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    # output 0, element (0, 2), with respect to input 1, element (0, 2)
    with pytest.raises(GradcheckError, match=r"\n +0 \(0, 2\) +1 \(0, 2\) "):
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
    with pytest.raises(TypeError, match="the inputs of fn must be a list or tuple"):
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


# ----------------------------------------------------------------------------- audit vs torch 2.13
# Each test below pins a finding of the differential audit of gradcheck/gradgradcheck against
# torch.autograd's (random compositions, planted errors, kinks, shapes incl. 0-d and empty).

# A planted bug of another kind: sin whose rule forgets to multiply by its incoming g.
_SIN_WITHOUT_G = OpDef(
    "sin_without_g",
    np.sin,
    (lambda g, out, x: Tensor._make(np.cos(x.data)),),
    "out = sin x;  x̄ = cos x (wrong: should be g·cos x)",
    "unary",
)


def _row(message: str) -> str:
    """The first row of a failure table."""
    return message.splitlines()[2]


def test_no_grad_anywhere_accumulates() -> None:
    """The Jacobian rows came from backward(), which accumulated into the .grad of every leaf
    fn reached: a layer's weights that fn closes over got .grad, the sum of all the unit seeds'
    gradients. Rows now come from grad(), as torch's gradcheck does: no .grad is touched."""
    layer = tg.nn.Linear(3, 2)
    assert gradcheck(lambda x: layer(x).tanh(), [np.random.default_rng(0).standard_normal((4, 3))])
    assert layer.weight.grad is None and layer.bias.grad is None
    assert gradgradcheck(lambda x: layer(x).tanh(), [np.array([[0.2, -0.4, 0.6]])])
    assert layer.weight.grad is None


def test_the_callers_inputs_are_left_alone() -> None:
    """Data, dtype, .grad and hooks of the caller's tensors, and its arrays, stay as they were;
    a float32 input is checked in float64 (fn sees float64 leaves); hooks inside fn run."""
    seen: list[np.dtype] = []
    x = tg.tensor(np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32), requires_grad=True)
    x.grad = tg.tensor(np.full((2, 2), 7.0, dtype=np.float32))
    x.register_hook(lambda g: g * 100.0)  # the caller's: not fn's, so not run (unlike torch)
    a = np.asfortranarray(np.array([[0.3, 0.1], [0.2, 0.4]]))
    before = (x.data.copy(), a.copy())

    def f(t: Tensor, u: Tensor) -> Tensor:
        seen.append(t.data.dtype)
        h = t * u
        h.register_hook(lambda g: g * 1.0)  # fn's own hook: runs
        return (h * h).exp()

    assert gradcheck(f, [x, a]) and gradgradcheck(f, [x, a])
    assert set(seen) == {np.dtype(np.float64)}
    assert np.array_equal(x.data, before[0]) and x.data.dtype == np.float32
    assert x.grad is not None and np.all(x.grad.data == 7.0) and x.grad.dtype == np.float32
    assert np.array_equal(a, before[1]) and a.flags.f_contiguous


def test_a_rule_that_forgets_its_g_fails_on_a_one_element_output() -> None:
    """x̄ = cos x instead of g·cos x is exact when g = 1: the Jacobian of sum(sin x) matched.
    torch catches it by backprop with a zero adjoint, whose gradient must be zero; so does this."""
    x = np.array([0.3, -0.5, 1.2])
    for fn in (lambda t: _apply(_SIN_WITHOUT_G, t).sum(), lambda t: _apply(_SIN_WITHOUT_G, t[0])):
        with pytest.raises(GradcheckError, match=r"not multiplied by grad_output.*\(0,\)"):
            gradcheck(fn, [x])
    with pytest.raises(GradcheckError):  # with several output elements the Jacobian fails first
        gradcheck(lambda t: _apply(_SIN_WITHOUT_G, t), [x])


def test_a_backward_that_changes_between_calls_is_not_reentrant() -> None:
    """torch runs each backward twice; a hook adding noise of 1e-9, within the Jacobian's
    tolerance, is caught unless nondet_tol allows it."""
    rng = np.random.default_rng(0)

    def noisy(t: Tensor) -> Tensor:
        h = t * 2.0
        h.register_hook(lambda g: g * (1 + 1e-9 * Tensor._make(rng.random(g.shape))))
        return h.sin()

    x = np.array([0.1, 0.2])
    with pytest.raises(GradcheckError, match=r"not reentrant.*nondet_tol=0"):
        gradcheck(noisy, [x])
    assert gradcheck(noisy, [x], nondet_tol=1e-8)
    assert gradcheck(noisy, [x], nondet_tol=1e-8, fast_mode=True)


def test_integer_outputs_are_skipped_and_detached_ones_checked() -> None:
    """An int or bool output has no derivative: a jump of (x > 0) at x = 0 is no gradient error
    (it failed as a 'kink'); torch skips such outputs too. A floating output without a graph
    must have a zero numerical Jacobian — torch checks that only when no output has a graph,
    so it passes (f, f.detach() · 2); we report the detached output, and say why."""
    x = np.array([0.0, 1.5, -0.5])
    assert gradcheck(lambda t: (t.sin(), t > 0, (t > 0).sum(), t.argmax()), [x])
    with pytest.raises(GradcheckError, match=r"\n +1 \(0,\) +0 \(0,\) .*output has no graph"):
        gradcheck(lambda t: (t.sin(), t.detach() * 2), [x])
    assert gradcheck(lambda t: (t.sin(), t.detach() * 0 + 1), [x])  # constant: zero Jacobian


def test_outputs_that_change_shape_are_a_clear_error() -> None:
    """(hi − lo) of outputs of different sizes broadcast, or failed inside numpy."""
    with pytest.raises(ValueError, match=r"outputs changed shape when input 0 moved at element"):
        gradcheck(lambda t: t[t.data > 0.3], [np.array([0.3, 0.5, 0.2])])


def test_the_report_names_output_and_input_elements() -> None:
    """A planted error at (output element, input element), across shapes incl. 0-d: the first
    row names both (the output's element was missing: two rows could read alike)."""
    rng = np.random.default_rng(3)
    for in_shape, out_shape in [((), ()), ((3,), ()), ((), (2, 2)), ((2, 3), (3, 1)), ((1,), (4,))]:
        x = rng.uniform(-1, 1, in_shape)
        for k in range(x.size):
            r = int(rng.integers(max(1, int(np.prod(out_shape)))))
            seed = np.zeros(out_shape)
            seed.reshape(-1)[r] = 1.0
            bump = Tensor._make(seed)

            def f(t: Tensor, k: int = k, bump: Tensor = bump) -> Tensor:
                xk = t.reshape(-1)[k]
                smooth = (t.sin().sum() * Tensor._make(np.ones(bump.shape))).tanh()
                return smooth + 0.5 * (xk - xk.detach()) * bump  # ∂/∂x_k wrong by 0.5 at r

            with pytest.raises(GradcheckError) as info:
                gradcheck(f, [x])
            at = tuple(int(i) for i in np.unravel_index(r, out_shape))
            xk = tuple(int(i) for i in np.unravel_index(k, in_shape))
            assert _row(str(info.value)).split()[:1] == ["0"]
            assert f" {at} " in _row(str(info.value)) and f" {xk} " in _row(str(info.value))
            assert "1 Jacobian element(s)" in str(info.value)


def test_a_point_within_eps_of_a_kink_is_called_one() -> None:
    """relu at 0.3ε: the central difference straddles the kink (0.65 against 1); the one-sided
    gap shrinks with the step there, so the old test (a gap that persists) said nothing. A
    float32 output's rounding is named instead of a kink."""
    with pytest.raises(GradcheckError, match=r"kink within eps: one-sided differences 1 and 0\.3"):
        gradcheck(lambda t: t.relu(), [np.array([3e-7, 1.0])])
    with pytest.raises(GradcheckError, match="kink: one-sided"):
        gradcheck(lambda t: t.relu(), [np.array([0.0, 1.0])])
    with pytest.raises(GradcheckError, match="float32 output: differences carry rounding"):
        gradcheck(lambda t: t.float().exp(), [np.array([0.5, 1.0])])


def test_gradgradcheck_names_the_checked_inputs() -> None:
    """Its outputs are the gradients with respect to the checked inputs only: with an option in
    front, output 0 is the gradient with respect to input 1 (it said 'input k')."""
    with pytest.raises(GradcheckError, match=r"output 0 → input 1; inputs 2 on are the v's"):
        gradgradcheck(lambda k, t: _apply(_BAD_SIN, t) * t * k, [2.0, np.array([0.1, 0.5, 0.9])])


def test_gradgradcheck_takes_torchs_grad_outputs() -> None:
    """grad_outputs, third by position as in torch: one v per output that requires grad; a
    Tensor that needs no grad is a constant, an array or a Tensor that requires grad is checked."""
    x = np.array([0.3, -0.2])
    fn = lambda t: (t.sin() * t, t.argmax(), t.exp().sum())  # noqa: E731
    v = [np.array([1.0, -0.5]), np.array(2.0)]
    assert gradgradcheck(fn, [x], v)
    assert gradgradcheck(fn, [x], [tg.tensor(v[0]), tg.tensor(v[1], requires_grad=True)])
    with pytest.raises(ValueError, match=r"one per output that requires grad"):
        gradgradcheck(fn, [x], [np.ones(2)])
    with pytest.raises(ValueError, match=r"of its shape: \[\(2,\), \(\)\]; got \[\(3,\), \(\)\]"):
        gradgradcheck(fn, [x], [np.ones(3), np.array(1.0)])


def test_torchs_keyword_arguments() -> None:
    """raise_exception=False returns False; the checks torch can turn off or tune are taken;
    those that need vmap or sparse tensors are refused, not ignored; check_forward_ad checks
    forward mode's Jacobian (a wrong one fails), alone with check_backward_ad=False."""
    x, bad = np.array([0.2, 0.4, 0.6]), lambda t: _apply(_BAD_SIN, t)
    assert gradcheck(bad, [x], raise_exception=False) is False
    assert gradgradcheck(lambda t: bad(t) * t, [x], raise_exception=False) is False
    assert gradcheck(lambda t: t.sin(), [x], raise_exception=False) is True
    kw = {"check_undefined_grad": False, "check_grad_dtypes": True, "nondet_tol": 1e-12}
    assert gradcheck(lambda t: t.sin(), [x], masked=False, **kw)
    assert gradgradcheck(lambda t: t.sin(), [x], gen_non_contig_grad_outputs=True, **kw)
    for option in (
        {"check_batched_grad": True},
        {"check_batched_forward_grad": True},
        {"masked": True},
    ):
        with pytest.raises(NotImplementedError, match=f"{next(iter(option))}=.* not supported"):
            gradcheck(lambda t: t.sin(), [x], **option)
    assert gradcheck(lambda t: t.sin(), [x], check_forward_ad=True)
    assert gradcheck(lambda t: t.sin(), [x], check_forward_ad=True, check_backward_ad=False)
    forward_only = {"check_forward_ad": True, "check_backward_ad": False}
    # the tangent is derived from the rule, so forward mode inherits the wrong rule
    assert gradcheck(bad, [x], raise_exception=False, **forward_only) is False
    with pytest.raises(AssertionError, match="at least one of check_forward_ad or check_backward"):
        gradcheck(lambda t: t.sin(), [x], check_backward_ad=False)
    for option in ({"check_fwd_over_rev": True}, {"check_rev_over_rev": False}):
        with pytest.raises(NotImplementedError, match="not supported"):
            gradgradcheck(lambda t: t.sin(), [x], **option)
    with pytest.raises(ValueError, match="nondet_tol must be a non-negative"):
        gradcheck(lambda t: t.sin(), [x], nondet_tol=-1.0)
    with pytest.raises(ValueError, match="eps must be a positive"):
        numerical_grad(lambda t: t.sum(), x, eps=0.0)


def test_fast_mode() -> None:
    """torch's fast mode: vᵀJu for random u, v ≥ 0 with atol scaled by Σu·Σv; a failure shows
    the full table. Empty inputs and outputs, 0-d ones and unchecked ones are fine."""
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4,))
    assert gradcheck(lambda x, y: ((x * y).tanh(), x.sum(0)), [a, b], fast_mode=True)
    assert gradcheck(lambda x, k, e: x.exp() * k + e.sum(), [a, 2, np.zeros(0)], fast_mode=True)
    assert gradcheck(lambda x: x.logsumexp(0), [np.zeros(0)], fast_mode=True)
    assert gradgradcheck(lambda x: x.sin() * x, [np.array(0.4)], fast_mode=True)
    with pytest.raises(GradcheckError, match=r"fast mode(.|\n)*full Jacobian:(.|\n)*\(2,\)"):
        gradcheck(lambda t: _apply(_BAD_SIN, t), [np.array([0.1, 0.5, 0.9])], fast_mode=True)


def test_strategies_hold_their_bounds_in_narrow_dtypes() -> None:
    """float32 and float16 draws rounded outside a domain whose ends the dtype cannot represent
    (0.7 → 0.69999999), and closer than the margin to an avoid point (the padding was relative
    to the margin, the rounding is relative to the value); distinct_arrays' spacing fell short
    of the margin by rounding (0.09999999999999998)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tinygrad_ed.testing import arrays, distinct_arrays

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        dtype = data.draw(st.sampled_from([np.float16, np.float32, np.float64]))
        lo = data.draw(st.sampled_from([-1.3, 0.0, 0.1, 0.7, 1 / 3]))
        hi = lo + data.draw(st.sampled_from([0.2, 1.0, 2.3]))
        avoid = data.draw(st.lists(st.sampled_from([0.0, 0.5, 0.7, 1 / 3, lo, hi]), max_size=3))
        margin = data.draw(st.sampled_from([0.0, 0.01, 0.1]))
        try:
            strategy = arrays((5,), (lo, hi), avoid, margin, dtype)
        except ValueError:
            return
        v = data.draw(strategy).astype(np.float64)
        assert np.all((lo <= v) & (v <= hi))
        for k in avoid:
            assert np.all(np.abs(v - k) >= margin)

    check()

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def spaced(data: st.DataObject) -> None:
        lo = data.draw(st.sampled_from([-2.0, -1.0, 0.3]))
        hi = lo + data.draw(st.sampled_from([0.5, 2.0, 3.7]))
        margin = data.draw(st.sampled_from([0.01, 0.05, 0.1]))
        try:
            strategy = distinct_arrays([(3, 2), (), (4,)], (lo, hi), margin)
        except ValueError:
            return
        v = np.sort(np.concatenate([a.ravel() for a in data.draw(strategy)]))
        assert v[0] >= lo and v[-1] <= hi and np.all(np.diff(v) >= margin)

    spaced()


def test_verdicts_agree_with_torch() -> None:
    """A second opinion: the same functions (tensor methods only) checked by both libraries,
    correct, with planted errors near and far from the tolerance, at kinks, with several
    outputs and unused inputs. The deliberate differences are pinned above."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)

    def planted(c: float, k: int) -> Callable[..., Any]:
        def f(x: Any, y: Any) -> Any:
            xk = x.reshape(-1)[k]
            return ((x * y).tanh() + y.exp()).sum(0) + c * (xk - xk.detach())

        return f

    cases: list[tuple[Callable[..., Any], int]] = [
        (lambda x, y: ((x * y).tanh() + y.exp()).sum(0), 2),
        (lambda x, y: (x.sigmoid() @ y.T, x.sum()), 2),
        (lambda x, y: (x.relu() * y).logsumexp(0), 2),
        (lambda x, y: x.abs() + y.clamp(-0.5, 0.5), 2),
        (lambda x, y: (x.softmax(-1) * y).sum(), 2),
        (lambda x, y: x.sin(), 1),  # y unused
    ]
    for c in (1e-6, 9e-6, 1.1e-5, 1e-3, 1.0):
        cases.append((planted(c, 3), 2))
    for fn, _ in cases:
        for trial in range(4):
            x, y = rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (2, 3))
            if trial == 3:  # kinks: relu and abs at 0, clamp at its bound
                x[0, 1], y[1, 2] = 0.0, 0.5
            ours = gradcheck(fn, [x, y], raise_exception=False)
            xt, yt = (torch.tensor(a, requires_grad=True) for a in (x, y))
            theirs = torch.autograd.gradcheck(fn, [xt, yt], raise_exception=False)
            assert ours == theirs, (fn, x, y)


def test_assert_gradcheck_cannot_be_told_not_to_raise() -> None:
    """With gradcheck's raise_exception=False passed on, a failure was a quiet False and the
    assertion passed."""
    with pytest.raises(TypeError, match="always raises"):
        assert_gradcheck(
            lambda t: _apply(_BAD_SIN, t), np.array([0.1, 0.2, 0.3]), raise_exception=False
        )
    with pytest.raises(GradcheckError, match="fast mode"):
        assert_gradcheck(lambda t: _apply(_BAD_SIN, t), np.array([0.1, 0.2, 0.3]), fast_mode=True)


def test_torch_autograd_gradcheck_is_this_checker() -> None:
    """``from torch.autograd import gradcheck, gradgradcheck`` (the custom-Function tutorials'
    spelling) ports by the package name: the same functions, with the same verdicts."""
    from tinygrad_ed.autograd import gradcheck as autograd_gradcheck
    from tinygrad_ed.autograd import gradgradcheck as autograd_gradgradcheck

    assert autograd_gradcheck is gradcheck and tg.autograd.gradcheck is tg.gradcheck
    assert autograd_gradgradcheck is gradgradcheck and tg.autograd.gradgradcheck is gradgradcheck
    x = tg.tensor(2.0, dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradcheck(lambda t: t**3, x)
    assert tg.autograd.gradgradcheck(lambda t: t**3, x)
    wrong = tg.tensor([0.3, 0.5], dtype=tg.float64, requires_grad=True)
    assert not tg.autograd.gradcheck(lambda t: t * t.detach(), wrong, raise_exception=False)
    torch = pytest.importorskip("torch")
    xt = torch.tensor([0.3, 0.5], dtype=torch.float64, requires_grad=True)
    assert not torch.autograd.gradcheck(lambda t: t * t.detach(), xt, raise_exception=False)
