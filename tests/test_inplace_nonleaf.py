"""In-place ops on non-leaf tensors, recorded as torch records them.

torch refuses an in-place op only on a leaf that requires grad (and views of one); on any other
tensor that autograd follows it records the op: the tensor's ``grad_fn`` becomes the op's node,
whose input is the tensor's old value, and its version counter ticks, so that a node that saved
the old value refuses a later backward. Every test runs the same code on torch and compares
values, gradients, ``grad_fn`` names and errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
import tinygrad_ed.nn as nn
from tinygrad_ed import Tensor

torch = pytest.importorskip("torch")

X = np.array([[0.7, -1.3, 0.2], [1.9, -0.4, -2.2]])
Y = np.array([[-0.5, 0.8, 1.1], [0.3, 2.5, -0.9]])
MODIFIED = "modified by an inplace operation"


def _pair(a: np.ndarray) -> tuple[Tensor, Any]:
    return tg.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


def _name(grad_fn: Any) -> str:
    """A grad_fn's name without torch's overload number (AddBackward0 → AddBackward)."""
    if grad_fn is None:
        return "None"
    if isinstance(grad_fn, tg.autograd.Node):
        return grad_fn.name()
    return str(type(grad_fn).__name__).rstrip("0123456789")


# (description, the chain on (lib, x, y) returning the result; the same code runs on both)
CHAINS: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("h += y; relu_; + 1", lambda lib, x, y: _chain1(x, y)),
    ("sub_ alpha, mul_ tensor, div_", lambda lib, x, y: _chain2(x, y)),
    ("clamp_, pow_, add_ alpha", lambda lib, x, y: _chain3(x, y)),
    ("sigmoid_, tanh_, exp_ on separate copies", lambda lib, x, y: _chain4(x, y)),
    ("masked_fill_, copy_ into a non-leaf", lambda lib, x, y: _chain5(lib, x, y)),
    ("zero_ then += y", lambda lib, x, y: _chain6(x, y)),
]


def _chain1(x: Any, y: Any) -> Any:
    h = x * 2
    h += y
    h.relu_()
    return h + 1  # relu saved its output: a further in-place op would be refused


def _chain2(x: Any, y: Any) -> Any:
    h = x * 1.5
    h.sub_(y, alpha=0.5)
    h.mul_(y)  # mul reads its inputs: the old value is saved as a copy
    h.div_(y.detach() + 3)
    h *= 3
    return h


def _chain3(x: Any, y: Any) -> Any:
    h = x + y
    h.clamp_(-1.0, 1.0)
    h.pow_(3)
    h.add_(y, alpha=2.0)
    return h


def _chain4(x: Any, y: Any) -> Any:
    a = x * y
    a.sigmoid_()
    b = x - y
    b.tanh_()
    c = x * 0.5
    c.exp_()
    return a * b + c


def _chain5(lib: Any, x: Any, y: Any) -> Any:
    h = x * 3
    h.masked_fill_(lib.tensor(X > 0), 0.25)
    g = y * 1.0
    g.copy_(h)  # g's old value gets no gradient, h's new one all of it
    return g * x


def _chain6(x: Any, y: Any) -> Any:
    h = x * 3
    h.zero_()
    h += y * y
    return h


@pytest.mark.parametrize("index", range(len(CHAINS)))
def test_chains_match_torch_values_gradients_and_grad_fn(index: int) -> None:
    _, chain = CHAINS[index]
    x, tx = _pair(X)
    y, ty = _pair(Y)
    out, tout = chain(tg, x, y), chain(torch, tx, ty)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert not out.is_leaf and out.requires_grad
    w = np.linspace(-1.0, 2.0, 6).reshape(2, 3)  # a weighting: every element's gradient counts
    (out * tg.tensor(w)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    assert x.grad is not None and y.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_the_brief_chain_refuses_as_torch_after_relu_() -> None:
    """h = x*2; h += y; h.relu_(); h.mul_(3): relu saved its output, which mul_ changed."""
    for lib in (tg, torch):
        x = lib.tensor(X.copy(), requires_grad=True)
        y = lib.tensor(Y.copy(), requires_grad=True)
        h = x * 2
        h += y
        h.relu_()
        h.mul_(3)
        with pytest.raises(RuntimeError, match=MODIFIED):
            h.sum().backward()


def test_grad_fn_is_leaf_and_the_version_move_on_as_torch() -> None:
    x, tx = _pair(X)
    steps: list[tuple[str, Callable[[Any], Any]]] = [
        ("AddBackward", lambda h: h.add_(1.0)),
        ("MulBackward", lambda h: h.mul_(2.0)),
        ("SubBackward", lambda h: h.sub_(0.5)),
        ("DivBackward", lambda h: h.div_(4.0)),
        ("ReluBackward", lambda h: h.relu_()),
    ]
    h, th = x * 1.0, tx * 1.0
    for name, step in steps:
        before = h._changed
        assert step(h) is h
        step(th)
        assert _name(h.grad_fn) == _name(th.grad_fn) == name
        assert h.is_leaf is th.is_leaf is False
        assert h._changed > before  # the version counter ticked
    np.testing.assert_array_equal(h.data, th.detach().numpy())


def test_a_plain_tensor_plus_a_tensor_that_requires_grad_requires_grad() -> None:
    x, tx = _pair(X)
    t, tt = tg.zeros(2, 3, dtype=tg.float64), torch.zeros(2, 3, dtype=torch.float64)
    ref = t  # the same object is changed
    t += x
    tt += tx
    assert ref is t and t.requires_grad and tt.requires_grad
    assert not t.is_leaf and not tt.is_leaf
    assert _name(t.grad_fn) == _name(tt.grad_fn) == "AddBackward"
    (t * t).sum().backward()
    (tt * tt).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_references_see_the_written_values() -> None:
    x = tg.tensor(X.copy(), requires_grad=True)
    h = x * 2
    alias = h
    arr = h.data
    h += 1.0
    assert alias is h and h.data is arr  # written into the tensor's own array
    np.testing.assert_array_equal(arr, X * 2 + 1.0)


def test_a_saved_old_value_refuses_backward_as_torch() -> None:
    """exp reads its output; mul by a tensor reads its input: both refuse after the change."""

    def exp_then_mul(lib: Any, x: Any) -> Any:
        h = x.exp()
        y = h * 2  # saves nothing of h (the other factor is a number)
        h.mul_(2)
        return y

    def saved_input(lib: Any, x: Any) -> Any:
        h = x * 2
        y = h * h  # saves h as both inputs
        h.add_(1)
        return y

    for make in (exp_then_mul, saved_input):
        for lib in (tg, torch):
            x = lib.tensor(X.copy(), requires_grad=True)
            y = make(lib, x)
            with pytest.raises(RuntimeError, match=MODIFIED):
                y.sum().backward()


def test_a_change_no_rule_reads_does_not_refuse_as_torch() -> None:
    x, tx = _pair(X)
    h, th = x * 2, tx * 2  # mul by a number reads nothing of its output
    y, ty = h + 1, th + 1  # add saves nothing
    h.mul_(5)
    th.mul_(5)
    (y.sum() + h.sum()).backward()
    (ty.sum() + th.sum()).backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_second_derivatives_through_in_place_ops() -> None:
    x, tx = _pair(X)

    def f(lib: Any, x: Any) -> Any:
        h = x * x
        h.mul_(x)  # x³
        h.sin_()
        h += x * x
        return h.sum()

    (g,) = tg.autograd.grad(f(tg, x), x, create_graph=True)
    (tg_,) = torch.autograd.grad(f(torch, tx), tx, create_graph=True)
    np.testing.assert_allclose(g.data, tg_.detach().numpy(), rtol=1e-12)
    (gg,) = tg.autograd.grad((g * g).sum(), x)
    (tgg,) = torch.autograd.grad((tg_ * tg_).sum(), tx)
    np.testing.assert_allclose(gg.data, tgg.numpy(), rtol=1e-12)


def test_retain_grad_follows_the_new_value_as_torch() -> None:
    x, tx = _pair(X)
    h, th = x * 2, tx * 2
    h.retain_grad()
    th.retain_grad()
    h.mul_(3.0)
    th.mul_(3.0)
    (h * h).sum().backward()
    (th * th).sum().backward()
    assert h.grad is not None and x.grad is not None
    np.testing.assert_allclose(h.grad.data, th.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_ops_without_a_derivative_keep_the_tensor_in_the_graph_with_zero_gradient() -> None:
    for op in ("floor_", "zero_", "fill_"):
        x, tx = _pair(X)
        h, th = x * 2, tx * 2
        args = (1.5,) if op == "fill_" else ()
        getattr(h, op)(*args)
        getattr(th, op)(*args)
        assert h.requires_grad and th.requires_grad and not h.is_leaf
        np.testing.assert_array_equal(h.data, th.detach().numpy())
        (g,) = tg.autograd.grad(h.sum(), x)
        (tg_,) = torch.autograd.grad(th.sum(), tx)
        np.testing.assert_array_equal(g.data, tg_.numpy())


def test_no_grad_in_place_is_still_allowed_on_leaves_and_records_nothing() -> None:
    x, tx = _pair(X)
    with tg.no_grad():
        x -= 0.1 * tg.tensor(Y)
        x.mul_(2)
    with torch.no_grad():
        tx -= 0.1 * torch.tensor(Y)
        tx.mul_(2)
    assert x.is_leaf and x.grad_fn is None and x.requires_grad
    np.testing.assert_allclose(x.data, tx.detach().numpy(), rtol=1e-15)
    h = x * 2
    with tg.no_grad():
        h.add_(1)  # a non-leaf under no_grad: written, its grad_fn unchanged
    assert _name(h.grad_fn) == "MulBackward"


def test_leaves_that_require_grad_are_refused_with_torchs_message() -> None:
    x = tg.tensor(X.copy(), requires_grad=True)
    tx = torch.tensor(X.copy(), requires_grad=True)
    steps: list[Callable[[Any, Any], Any]] = [
        lambda t, f: t.add_(1),
        lambda t, f: t.relu_(),
        lambda t, f: t.copy_(t.detach() * 2),
        lambda t, f: f.relu(t, inplace=True),
    ]
    for step in steps:
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            step(x, F)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            step(tx, torch.nn.functional)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x[0].mul_(2)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        tx[0].mul_(2)
    np.testing.assert_array_equal(x.data, X)


def test_views_and_their_bases_are_refused_clearly() -> None:
    """torch records these with CopySlices and regenerates the views' grad_fn; not here."""
    x = tg.tensor(X.copy(), requires_grad=True)
    h = x * 2
    v = h[0]
    with pytest.raises(RuntimeError, match=r"add_: .* is a view .*CopySlices"):
        v.add_(1)
    with pytest.raises(RuntimeError, match=r"mul_: .* is viewed by others.*CopySlices"):
        h.mul_(2)
    y = tg.tensor(Y.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="CopySlices"):
        tg.zeros(2, 3, dtype=tg.float64)[0].add_(y[0])
    np.testing.assert_array_equal(h.data, X * 2)  # nothing was written


def test_a_result_the_dtype_cannot_hold_is_refused_as_torch() -> None:
    x, tx = _pair(X)
    t, tt = tg.zeros(2, 3, dtype=tg.int64), torch.zeros(2, 3, dtype=torch.int64)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
        t += x
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
        tt += tx
    h, th = x * 2, tx * 2
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        h += tg.ones(4, 2, 3)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        th += torch.ones(4, 2, 3)


def test_a_wider_value_keeps_the_tensors_dtype_as_torch() -> None:
    x = tg.tensor(X.astype(np.float32), requires_grad=True)
    tx = torch.tensor(X.astype(np.float32), requires_grad=True)
    y, ty = _pair(Y)
    h, th = x * 2, tx * 2
    h += y
    th += ty
    assert h.dtype == np.float32 and th.dtype == torch.float32
    (h * h).sum().backward()
    (th * th).sum().backward()
    assert x.grad is not None and y.grad is not None
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-6)


def test_resnet_style_block_matches_torch() -> None:
    """out = conv(x); out += x; out.relu_() — the residual connection of a ResNet block."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3, 5, 5))
    w = rng.standard_normal((3, 3, 3, 3)) * 0.3
    b = rng.standard_normal(3) * 0.1
    conv, tconv = nn.Conv2d(3, 3, 3, padding=1), torch.nn.Conv2d(3, 3, 3, padding=1)
    conv.double()
    tconv.double()
    with tg.no_grad():
        conv.weight.copy_(tg.tensor(w))
        conv.bias.copy_(tg.tensor(b))
    with torch.no_grad():
        tconv.weight.copy_(torch.tensor(w))
        tconv.bias.copy_(torch.tensor(b))
    x, tx = _pair(a)
    out, tout = conv(x), tconv(tx)
    out += x
    tout += tx
    assert out.relu_() is out
    tout.relu_()
    assert _name(out.grad_fn) == _name(tout.grad_fn) == "ReluBackward"
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    (out * out).sum().backward()
    (tout * tout).sum().backward()
    assert x.grad is not None and conv.weight.grad is not None and conv.bias.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.weight.grad.data, tconv.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(conv.bias.grad.data, tconv.bias.grad.numpy(), rtol=1e-10)


INPLACE_MODULES: list[tuple[Callable[[], Any], Callable[[], Any]]] = [
    (lambda: nn.ReLU(inplace=True), lambda: torch.nn.ReLU(inplace=True)),
    (lambda: nn.LeakyReLU(0.2, inplace=True), lambda: torch.nn.LeakyReLU(0.2, inplace=True)),
    (lambda: nn.ELU(0.5, inplace=True), lambda: torch.nn.ELU(0.5, inplace=True)),
    (lambda: nn.ReLU6(inplace=True), lambda: torch.nn.ReLU6(inplace=True)),
    (lambda: nn.Hardtanh(-0.5, 0.5, True), lambda: torch.nn.Hardtanh(-0.5, 0.5, True)),
    (lambda: nn.SiLU(inplace=True), lambda: torch.nn.SiLU(inplace=True)),
    (lambda: nn.SELU(True), lambda: torch.nn.SELU(True)),
    (lambda: nn.CELU(0.7, True), lambda: torch.nn.CELU(0.7, True)),
    (lambda: nn.Mish(True), lambda: torch.nn.Mish(True)),
    (lambda: nn.Hardsigmoid(True), lambda: torch.nn.Hardsigmoid(True)),
    (lambda: nn.Hardswish(True), lambda: torch.nn.Hardswish(True)),
    (lambda: nn.Threshold(0.1, -2.0, True), lambda: torch.nn.Threshold(0.1, -2.0, True)),
]


@pytest.mark.parametrize("index", range(len(INPLACE_MODULES)))
def test_inplace_modules_write_into_a_non_leaf_input_as_torch(index: int) -> None:
    make, tmake = INPLACE_MODULES[index]
    x, tx = _pair(X * 2)
    lin, tlin = nn.Linear(3, 3).double(), torch.nn.Linear(3, 3).double()
    with tg.no_grad():
        lin.weight.copy_(tg.tensor(np.eye(3) + 0.1))
        lin.bias.fill_(0.05)
    with torch.no_grad():
        tlin.weight.copy_(torch.tensor(np.eye(3) + 0.1))
        tlin.bias.fill_(0.05)
    h, th = lin(x), tlin(tx)
    out, tout = make()(h), tmake()(th)
    assert out is h and tout is th  # the input itself, changed
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-12, atol=1e-14)
    w = np.linspace(-1.0, 2.0, 6).reshape(2, 3)
    (out * tg.tensor(w)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()
    assert x.grad is not None
    # torch's float64 celu and hardsigmoid backward round to about 1e-8
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-7, atol=1e-12)


def test_inplace_modules_change_a_plain_input_and_refuse_a_leaf_as_torch() -> None:
    x, tx = tg.tensor(X.copy()), torch.tensor(X.copy())
    assert nn.ReLU(inplace=True)(x) is x
    torch.nn.ReLU(inplace=True)(tx)
    np.testing.assert_array_equal(x.data, tx.numpy())
    leaf = tg.tensor(X.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        nn.ReLU(inplace=True)(leaf)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        torch.nn.ReLU(inplace=True)(torch.tensor(X.copy(), requires_grad=True))
