"""Backward refuses a node only when a value read by a rule it runs was changed in place.

Each scenario builds a small graph, optionally changes one value in place after the forward pass,
and calls backward: it either refuses (a rule that runs reads the changed value) or gives the
gradient of the unchanged graph. The same scenario runs on torch when it is installed, which
must agree (``OpDef.reads`` is meant to match what torch saves); the few places where this
library deliberately differs from torch are pinned separately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.ops import OPS, OpDef
from tinygrad_ed.tensor import _apply

Lib = Any  # tinygrad_ed or torch: the scenarios use the API both share
# Builds the graph on (lib, lib's functional), changes a value in place when told to; returns
# the scalar loss and the leaves whose gradients to compare.
Scenario = Callable[[Lib, Any, bool], tuple[Any, list[Any]]]


def _t(lib: Lib, *values: float, grad: bool = False) -> Any:
    return lib.tensor(np.array(values, dtype=np.float64), requires_grad=grad)


def _m(lib: Lib, rows: list[list[float]], grad: bool = False) -> Any:
    return lib.tensor(np.array(rows, dtype=np.float64), requires_grad=grad)


def _edit(lib: Lib, t: Any, change: bool) -> None:
    if change:
        with lib.no_grad():
            t.mul_(-3.0)


def _unary(method: str, changed: str) -> Scenario:
    """x ↦ method(x) on an intermediate x, then a weighted sum; change x ("in") or the output."""

    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        a = _t(lib, 0.5, 1.5, 2.0, grad=True)
        h = a * 1.0
        y = getattr(h, method)()
        loss = (y * _t(lib, 1.0, -2.0, 0.5)).sum()
        _edit(lib, h if changed == "in" else y, change)
        return loss, [a]

    return build


def _softmax(method: str, changed: str) -> Scenario:
    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        a = _t(lib, 0.5, 1.5, 2.0, grad=True)
        h = a * 1.0
        y = getattr(h, method)(0)
        loss = (y * _t(lib, 1.0, -2.0, 0.5)).sum()
        _edit(lib, h if changed == "in" else y, change)
        return loss, [a]

    return build


def _binary(op: Callable[[Any, Any], Any], grads: str, changed: str) -> Scenario:
    """op(a, b) for (2, 2) matrices; ``grads`` and ``changed`` name inputs ("a", "b", "out")."""

    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        a = _m(lib, [[1.0, 2.0], [0.5, -1.0]], "a" in grads)
        b = _m(lib, [[0.5, 3.0], [2.0, 1.5]], "b" in grads)
        y = op(a, b)
        loss = (y * _m(lib, [[1.0, -1.0], [2.0, 0.5]])).sum()
        _edit(lib, {"a": a, "b": b, "out": y}[changed], change)
        return loss, [t for t in (a, b) if t.requires_grad]

    return build


def _shape(make: Callable[[Any, Any], Any]) -> Scenario:
    """A shape op (or sum, or cast) of an intermediate, which is then changed."""

    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        a = _t(lib, 0.5, 1.5, 2.0, grad=True)
        h = a * 1.0
        loss = (make(lib, h) * 2.0).sum()
        _edit(lib, h, change)
        return loss, [a]

    return build


def _where(changed: str) -> Scenario:
    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        a, b = _t(lib, 1.0, 2.0, grad=True), _t(lib, 3.0, 4.0)
        c = lib.tensor(np.array([True, False]))
        loss = (lib.where(c, a, b) * _t(lib, 1.0, 2.0)).sum()
        if change:
            with lib.no_grad():
                if changed == "c":
                    c.copy_(lib.tensor(np.array([False, True])))
                else:
                    b.mul_(-3.0)
        return loss, [a]

    return build


def _linear(grads: str, changed: str) -> Scenario:
    """F.linear(x, W, b); ``grads`` names the inputs that require grad, ``changed`` the one
    changed in place (W and b as an nn.init would change them)."""

    def build(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
        x = _m(lib, [[1.0, 2.0], [-1.0, 0.5]], "x" in grads)
        w = _m(lib, [[0.5, -1.0], [2.0, 1.0], [1.0, 1.0]], "w" in grads)
        b = _t(lib, 0.1, 0.2, 0.3, grad="b" in grads)
        loss = (fn.linear(x, w, b if changed != "none-bias" else None) ** 2).sum()
        if change:
            with lib.no_grad():
                {"x": x, "w": w, "b": b, "none-bias": w}[changed].zero_()
        return loss, [t for t in (x, w, b) if t.requires_grad]

    return build


def _matmul(a: Any, b: Any) -> Any:
    return a @ b


def _div_dividend_changed(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
    a, b = _t(lib, 1.0, 2.0), _t(lib, 0.5, 4.0, grad=True)
    loss = (a / b).sum()
    _edit(lib, a, change)
    return loss, [b]


# name → (scenario, accepted after the change)
SCENARIOS: dict[str, tuple[Scenario, bool]] = {
    "add, other input changed": (_binary(lambda a, b: a + b, "a", "b"), True),
    "sub, an input changed, both want grad": (_binary(lambda a, b: a - b, "ab", "a"), True),
    "mul, other factor changed": (_binary(lambda a, b: a * b, "a", "b"), False),
    "mul, own factor changed": (_binary(lambda a, b: a * b, "a", "a"), True),
    "mul, output changed": (_binary(lambda a, b: a * b, "ab", "out"), True),
    "div, divisor changed": (_binary(lambda a, b: a / b, "a", "b"), False),
    # (ȳ = −g·(x/y)/y reads x, as torch's rule: not the output)
    "div, dividend changed, only the divisor wants grad": (_div_dividend_changed, False),
    "div, output changed": (_binary(lambda a, b: a / b, "ab", "out"), True),
    "reciprocal, input changed": (_unary("reciprocal", "in"), True),
    "reciprocal, output changed": (_unary("reciprocal", "out"), False),
    "matmul, right changed": (_binary(_matmul, "a", "b"), False),
    "matmul, left changed": (_binary(_matmul, "b", "a"), False),
    "matmul, own factor changed": (_binary(_matmul, "a", "a"), True),
    "matmul, output changed": (_binary(_matmul, "ab", "out"), True),
    "maximum, other input changed": (_binary(lambda a, b: a.maximum(b), "a", "b"), False),
    "exp, input changed": (_unary("exp", "in"), True),
    "exp, output changed": (_unary("exp", "out"), False),
    "relu, input changed": (_unary("relu", "in"), True),
    "relu, output changed": (_unary("relu", "out"), False),
    "sigmoid, input changed": (_unary("sigmoid", "in"), True),
    "sigmoid, output changed": (_unary("sigmoid", "out"), False),
    "tanh, input changed": (_unary("tanh", "in"), True),
    "tanh, output changed": (_unary("tanh", "out"), False),
    "sqrt, input changed": (_unary("sqrt", "in"), True),
    "log, input changed": (_unary("log", "in"), False),
    "log, output changed": (_unary("log", "out"), True),
    "sin, input changed": (_unary("sin", "in"), False),
    "sin, output changed": (_unary("sin", "out"), True),
    "cos, input changed": (_unary("cos", "in"), False),
    "log1p, input changed": (_unary("log1p", "in"), False),
    "log1p, output changed": (_unary("log1p", "out"), True),
    "expm1, input changed": (_unary("expm1", "in"), True),
    "expm1, output changed": (_unary("expm1", "out"), False),
    "erf, input changed": (_unary("erf", "in"), False),
    "erf, output changed": (_unary("erf", "out"), True),
    "abs, input changed": (_unary("abs", "in"), False),
    "abs, output changed": (_unary("abs", "out"), True),
    "neg, input changed": (_unary("neg", "in"), True),
    "amax, input changed": (_unary("amax", "in"), False),
    "softmax, input changed": (_softmax("softmax", "in"), True),
    "softmax, output changed": (_softmax("softmax", "out"), False),
    "log_softmax, input changed": (_softmax("log_softmax", "in"), True),
    "log_softmax, output changed": (_softmax("log_softmax", "out"), False),
    "sum, input changed": (_shape(lambda lib, h: h.sum()), True),
    "reshape, input changed": (_shape(lambda lib, h: h.reshape(3, 1)), True),
    "index, input changed": (_shape(lambda lib, h: h[1:]), True),
    "cat, input changed": (_shape(lambda lib, h: lib.cat([h, h])), True),
    "cumsum, input changed": (_shape(lambda lib, h: h.cumsum(0)), True),
    "prod, input changed": (_shape(lambda lib, h: h.prod()), False),
    "prod, output changed": (_unary("prod", "out"), False),
    "cast, input changed": (_shape(lambda lib, h: h.float()), True),
    "clamp, input changed": (_shape(lambda lib, h: h.clamp(0.0, 1.0)), False),
    "where, condition changed": (_where("c"), False),
    "where, unselected input changed": (_where("b"), True),
    "linear, bias changed": (_linear("xwb", "b"), True),
    "linear, weight changed, input without grad": (_linear("wb", "w"), True),
    "linear, weight changed": (_linear("xwb", "w"), False),
    "linear, input changed": (_linear("wb", "x"), False),
    "x @ W.T, weight changed, input without grad": (_linear("w", "none-bias"), True),
}


def _run(lib: Lib, fn: Any, scenario: Scenario, change: bool) -> list[np.ndarray] | None:
    """The leaves' gradients, or None when backward refuses."""
    loss, leaves = scenario(lib, fn, change)
    try:
        loss.backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
        return None
    return [np.asarray(t.grad.detach().numpy() if lib is not tg else t.grad.data) for t in leaves]


@pytest.mark.parametrize("name", SCENARIOS)
def test_backward_refuses_exactly_the_changes_a_running_rule_reads(name: str) -> None:
    scenario, accepted = SCENARIOS[name]
    expected = _run(tg, F, scenario, change=False)
    assert expected is not None
    got = _run(tg, F, scenario, change=True)
    assert (got is not None) == accepted, f"{name}: accepted {got is not None}"
    if got is not None:  # the gradient the graph had before the change
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e, rtol=1e-12)


@pytest.mark.parametrize("name", SCENARIOS)
def test_refusals_and_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    scenario, _ = SCENARIOS[name]
    ours = _run(tg, F, scenario, change=True)
    theirs = _run(torch, torch.nn.functional, scenario, change=True)
    assert (ours is None) == (theirs is None), f"{name}: torch accepts: {theirs is not None}"
    if ours is not None and theirs is not None:
        for g, e in zip(ours, theirs):
            np.testing.assert_allclose(g, e, rtol=1e-12)


# ----------------------------------------------------------------------------- unlike torch


def _pow_output_changed(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
    a = _t(lib, 1.0, 2.0, grad=True)
    y = a ** _t(lib, 2.0, 3.0)
    loss = y.sum()
    _edit(lib, y, change)
    return loss, [a]


def _max_dim_input_changed(lib: Lib, fn: Any, change: bool) -> tuple[Any, list[Any]]:
    a = _t(lib, 1.0, 3.0, 2.0, grad=True)
    h = a * 1.0
    loss = h.max(0).values * 2.0
    _edit(lib, h, change)
    return loss, [a]


# Where our rules read less than torch saves (we accept, with the unchanged graph's gradient)
# or more (we refuse): name → (scenario, we accept, torch accepts).
UNLIKE_TORCH: dict[str, tuple[Scenario, bool, bool]] = {
    # x̄ = g·y·xʸ⁻¹ reads no output; torch saves the output for either rule.
    "pow, output changed, only the base wants grad": (_pow_output_changed, True, False),
    # The rule finds the maximum again in x; torch saved its indices.
    "max(dim), input changed": (_max_dim_input_changed, False, True),
}


@pytest.mark.parametrize("name", UNLIKE_TORCH)
def test_where_the_reads_differ_from_what_torch_saves(name: str) -> None:
    scenario, accepted, torch_accepts = UNLIKE_TORCH[name]
    expected = _run(tg, F, scenario, change=False)
    assert expected is not None
    got = _run(tg, F, scenario, change=True)
    assert (got is not None) == accepted
    if got is not None:
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e, rtol=1e-12)
    try:
        import torch
    except ImportError:
        return
    assert (_run(torch, torch.nn.functional, scenario, change=True) is not None) == torch_accepts


def test_grad_runs_and_checks_only_the_rules_it_needs() -> None:
    """grad(loss, b) runs only b's rule, b̄ = g·a: a change of b does not stop it (torch, which
    saved both factors, refuses), while grad(loss, a) needs b and refuses."""
    a, b = _t(tg, 1.0, 2.0, grad=True), _t(tg, 3.0, 4.0, grad=True)
    loss = (a * b).sum()
    with tg.no_grad():
        b.mul_(2.0)
    (gb,) = tg.autograd.grad(loss, b, retain_graph=True)
    np.testing.assert_array_equal(gb.data, [1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"MulBackward.*its input 1 \(y\), of shape \(2,\)"):
        tg.autograd.grad(loss, a)


# ----------------------------------------------------------------------------- the engine


def test_nn_init_after_the_forward_pass_where_no_rule_reads_the_change() -> None:
    lin = tg.nn.Linear(2, 2)
    w = lin.weight.data.copy()
    x = tg.ones(1, 2, requires_grad=True)
    out = lin(x).sum()
    tg.nn.init.zeros_(lin.bias)  # b̄ = g reads nothing
    out.backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, w.sum(0, keepdims=True))
    lin.zero_grad()
    out = lin(tg.tensor([[1.0, 2.0]])).sum()  # the input needs no gradient
    tg.nn.init.zeros_(lin.weight)  # W̄ = gᵀx reads only x
    out.backward()
    gw, gb = lin.weight.grad, lin.bias.grad
    assert gw is not None and gb is not None
    np.testing.assert_allclose(gw.data, [[1.0, 2.0], [1.0, 2.0]])
    np.testing.assert_allclose(gb.data, [1.0, 1.0])


def test_the_refusal_names_the_changed_values() -> None:
    x, w = _m(tg, [[1.0, 2.0]]), _m(tg, [[1.0, 0.0], [0.0, 1.0]], grad=True)
    loss = F.linear(x, w, _t(tg, 0.0, 0.0, grad=True)).sum()
    with tg.no_grad():
        x.add_(1.0)  # W̄ = gᵀx reads x
        w.add_(1.0)  # read by no rule that runs: x needs no gradient
    with pytest.raises(
        RuntimeError, match=r"AddmmBackward.*\(its input 0 \(x\), of shape \(1, 2\)\)"
    ):
        loss.backward()
    a = _t(tg, 1.0, 2.0, grad=True)
    h = a * 1.0
    y = h.pow(h)  # both rules read both inputs, and ȳ the output
    with tg.no_grad():
        h.add_(1.0)
        y.add_(1.0)
    with pytest.raises(
        RuntimeError,
        match=r"PowBackward.*\(its input 0 \(x\), of shape \(2,\) and its input 1 \(y\), of "
        r"shape \(2,\) and its output, of shape \(2,\)\)",
    ):
        y.sum().backward()


def test_an_output_change_keeps_the_check_of_the_inputs() -> None:
    """Marking the output as changed must not forget when the node was recorded."""
    a, b = _t(tg, 1.0, 2.0, grad=True), _t(tg, 3.0, 4.0)
    y = a * b
    loss = y.sum()
    with tg.no_grad():
        y.mul_(2.0)  # read by neither rule
        b.mul_(2.0)  # read by ā = g·b
    with pytest.raises(RuntimeError, match=r"MulBackward.*its input 1 \(y\)"):
        loss.backward()


def test_an_op_without_reads_keeps_every_value() -> None:
    """The default: each rule may read every input and the output, so any change refuses."""
    mul = OPS["mul"]
    undeclared = OpDef("mul_undeclared", mul.forward, mul.vjps, mul.math, "binary")
    assert undeclared.reads is None and undeclared.reads_of(0, 2) == {0, 1, "out"}
    a, b = _t(tg, 1.0, 2.0, grad=True), _t(tg, 3.0, 4.0)
    loss = _apply(undeclared, a, b).sum()
    with tg.no_grad():
        a.add_(1.0)  # mul's own declaration would accept this
    with pytest.raises(RuntimeError, match=r"MulUndeclaredBackward.*its input 0 \(x\)"):
        loss.backward()


def test_reads_are_checked_against_the_rules() -> None:
    mul = OPS["mul"]

    def op(reads: Any) -> OpDef:
        return OpDef("m", mul.forward, mul.vjps, mul.math, "binary", reads=reads)

    assert op(((1,), (0, "out"))).reads_of(1, 2) == {0, "out"}
    with pytest.raises(ValueError, match=r"reads has 1 entries for 2 rules"):
        op((("y",),))
    with pytest.raises(ValueError, match=r"reads 'w', which is not 'out' or one of its inputs"):
        op((("w",), ()))
    with pytest.raises(ValueError, match=r"reads 2"):
        op(((2,), ()))
    where = OPS["where"]
    with pytest.raises(ValueError, match="a missing rule reads nothing"):
        OpDef("w", where.forward, where.vjps, where.math, "where", reads=(("out",), (), ()))
    cat = OPS["cat"]
    with pytest.raises(ValueError, match="reads 0"):  # a variadic rule has no fixed positions
        OpDef("c", cat.forward, cat.vjps, cat.math, "join", variadic=True, reads=((0,),))
