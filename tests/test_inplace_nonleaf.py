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
from _grad_fn_names import grad_fn_name as _name

import tinygrad_ed as tg
import tinygrad_ed.functional as F
import tinygrad_ed.nn as nn
from tinygrad_ed import Tensor
from tinygrad_ed.numgrad import gradcheck

torch = pytest.importorskip("torch")

X = np.array([[0.7, -1.3, 0.2], [1.9, -0.4, -2.2]])
Y = np.array([[-0.5, 0.8, 1.1], [0.3, 2.5, -0.9]])
MODIFIED = "modified by an inplace operation"


def _pair(a: np.ndarray) -> tuple[Tensor, Any]:
    return tg.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


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


def test_views_of_a_tensor_that_required_no_grad_follow_or_are_refused_clearly() -> None:
    """Views of non-leaves are recorded (tests/test_inplace_views.py). A view made in grad mode
    of a tensor that takes no part in autograd is recorded too, as torch's; one made under
    no_grad cannot follow, and is refused naming the case."""
    y, ty = _pair(Y)
    for lib, w in ((tg, y), (torch, ty)):
        p = lib.zeros(2, 3, dtype=lib.float64)
        v = p[0].add_(w[0])
        assert _name(p.grad_fn) == "CopySlices" and _name(v.grad_fn) == "AsStridedBackward"
        (p * p).sum().backward()
    assert y.grad is not None
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy())
    p = tg.zeros(2, 3, dtype=tg.float64)
    with tg.no_grad():
        v = p[0]
    with pytest.raises(RuntimeError, match="views made while autograd did not follow it"):
        v.add_(y[0])


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


def test_the_old_value_is_copied_only_when_a_rule_reads_it() -> None:
    """add's rules read no input: the node's stand-in for the old value keeps the tensor's own
    array. mul's rule for y reads x: the stand-in holds a copy of the old values."""
    x = tg.tensor(X.copy(), requires_grad=True)
    y = tg.tensor(Y.copy(), requires_grad=True)
    h = x * 2
    h += y
    assert h.grad_fn is not None and h.grad_fn.saved is not None
    assert h.grad_fn.saved[0].data is h.data
    h.mul_(y)
    assert h.grad_fn is not None and h.grad_fn.saved is not None
    old = h.grad_fn.saved[0].data
    assert not np.shares_memory(old, h.data)
    np.testing.assert_array_equal(old, X * 2 + Y)
    h.mul_(3.0)  # by a number: mul's rule for x reads y only, so nothing is copied
    assert h.grad_fn is not None and h.grad_fn.saved is not None
    assert h.grad_fn.saved[0].data is h.data


def test_a_view_of_the_old_value_read_by_a_rule_sees_the_old_values() -> None:
    """A computation that reads the old value through a view of it (the reshape here) cannot
    be given a copy afterwards: it is run again on the copy."""
    x = tg.tensor(X.copy(), requires_grad=True)
    h = x * 2
    h._computed_inplace("square_", lambda a: (a.reshape(6) * a.reshape(6)).reshape(2, 3))
    np.testing.assert_allclose(h.data, 4 * X * X, rtol=1e-15)
    h.sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, 8 * X, rtol=1e-15)  # d(2x)²/dx, of the old values


P = np.abs(X) * 0.4 + 0.1  # in (0, 1): every op's domain
E = np.array([[0.3, -0.2, 0.9], [0.5, 0.1, -0.7]])
# (method, arguments on (lib, e) where e is a tensor of E that requires grad)
UNARY_AND_BINARY: list[tuple[str, Callable[[Any, Any], tuple[Any, ...]]]] = [
    (name, lambda lib, e: ())
    for name in [
        "exp_",
        "log_",
        "sqrt_",
        "rsqrt_",
        "sigmoid_",
        "tanh_",
        "relu_",
        "abs_",
        "neg_",
        "sin_",
        "cos_",
        "tan_",
        "square_",
        "reciprocal_",
        "expm1_",
        "log1p_",
        "log2_",
        "log10_",
        "erf_",
        "erfinv_",
        "sinh_",
        "cosh_",
        "asin_",
        "acos_",
        "atan_",
        "floor_",
        "ceil_",
        "trunc_",
        "frac_",
        "sign_",
        "round_",
        "sinc_",
        "deg2rad_",
        "rad2deg_",
        "logit_",
        "lgamma_",
        "digamma_",
        "i0_",
        "exp2_",
        "sgn_",
        "erfc_",
    ]  # not asinh_, atanh_: torch has no derivative for their in-place forms
] + [
    ("clamp_", lambda lib, e: (0.2, 0.4)),
    ("clamp_min_", lambda lib, e: (0.3,)),
    ("clamp_max_", lambda lib, e: (0.3,)),
    ("pow_", lambda lib, e: (2.5,)),
    ("pow_", lambda lib, e: (e,)),
    ("add_", lambda lib, e: (e,)),
    ("sub_", lambda lib, e: (e,)),
    ("mul_", lambda lib, e: (e,)),
    ("div_", lambda lib, e: (e + 2,)),
    ("lerp_", lambda lib, e: (e, 0.3)),
    ("addcmul_", lambda lib, e: (e, e * 2)),
    ("addcdiv_", lambda lib, e: (e, e + 2)),
    ("atan2_", lambda lib, e: (e,)),
    ("hypot_", lambda lib, e: (e,)),
    ("xlogy_", lambda lib, e: (e + 2,)),
    ("copysign_", lambda lib, e: (e,)),
    ("fmod_", lambda lib, e: (0.15,)),
    ("remainder_", lambda lib, e: (0.15,)),
    ("masked_fill_", lambda lib, e: (lib.tensor(E > 0), 0.5)),
    ("masked_fill_", lambda lib, e: (lib.tensor(E > 0), e.sum())),
    ("cumsum_", lambda lib, e: (1,)),
    ("cumprod_", lambda lib, e: (0,)),
    ("tril_", lambda lib, e: ()),
    ("triu_", lambda lib, e: (1,)),
    ("copy_", lambda lib, e: (e[0],)),
    ("fill_", lambda lib, e: (e.sum(),)),
    ("float_power_", lambda lib, e: (2,)),
]


@pytest.mark.parametrize(("name", "args"), UNARY_AND_BINARY)
def test_each_in_place_method_on_a_non_leaf_matches_torch(
    name: str, args: Callable[[Any, Any], tuple[Any, ...]]
) -> None:
    results = []
    for lib in (tg, torch):
        p = lib.tensor(P.copy(), requires_grad=True)
        e = lib.tensor(E.copy(), requires_grad=True)
        h = p * 1.0
        assert getattr(h, name)(*args(lib, e)) is h
        (h * lib.tensor(E + 1)).sum().backward()
        results.append((h, p.grad, e.grad))
    (h, pg, eg), (th, tpg, teg) = results
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert (pg is None) is (tpg is None) and (eg is None) is (teg is None)
    # rtol: digamma's derivative (trigamma) differs from torch's in the 10th digit
    if pg is not None:  # force: torch's sgn gives a ZeroTensor
        np.testing.assert_allclose(pg.data, tpg.numpy(force=True), rtol=1e-9, atol=1e-14)
    if eg is not None:
        np.testing.assert_allclose(eg.data, teg.numpy(force=True), rtol=1e-9, atol=1e-14)


SETITEM = [
    "h[0] = y[1]",
    "h[:, 1] = y[:, 0]",
    "h[0] = 3.0",
    "h[h > 0.5] = -1.0",
    "h[[1, 0], [0, 2]] = y[0, :2]",
    "h[..., 2] = y.sum()",
    "h[0, :] = y[1:2]",
    "h[1:, :2] = y[:1, 1:] * 2",
    "z[1] = y[0]",
]


@pytest.mark.parametrize("statement", SETITEM)
def test_setitem_on_a_non_leaf_is_recorded_as_torchs_copyslices(statement: str) -> None:
    results = []
    for lib in (tg, torch):
        x = lib.tensor(X.copy(), requires_grad=True)
        y = lib.tensor(Y.copy(), requires_grad=True)
        h = x * 2
        z = lib.zeros(2, 3, dtype=lib.float64)  # a plain tensor given a value that needs grad
        exec(statement, {"h": h, "y": y, "z": z})
        out = z if statement.startswith("z") else h
        assert out.requires_grad and not out.is_leaf
        (out * lib.tensor(X + 3)).sum().backward()
        results.append((out, x.grad, y.grad))
    (out, xg, yg), (tout, txg, tyg) = results
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-15)
    for ours, theirs in ((xg, txg), (yg, tyg)):
        assert (ours is None) is (theirs is None)
        if ours is not None:
            np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-14)


def test_setitem_errors_come_first_and_leaves_are_refused_as_torch() -> None:
    for lib in (tg, torch):
        x = lib.tensor(X.copy(), requires_grad=True)
        h = x * 2
        with pytest.raises(IndexError):
            h[5] = 1.0
        with pytest.raises(RuntimeError):  # the value's shape does not fit the region
            h[0] = lib.ones(2)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            x[0] = 1.0


def _compared_in_place(lib: Any, name: str, view: bool) -> tuple[Any, ...]:
    w = lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64, requires_grad=True)
    base = lib.full((2, 3), 0.5, dtype=lib.float64)  # requires no grad
    y = base[1] if view else base[1].clone()
    getattr(y, name)(w * 1.0)  # 1 or 0 where the comparison holds: no derivative
    (y * w).sum().backward()
    # and into a tensor that requires grad too: both get a zero gradient, not None
    a = lib.tensor(0.25, dtype=lib.float64, requires_grad=True)
    z = a * lib.ones(3, dtype=lib.float64)
    getattr(z, name)(w)
    grads = lib.autograd.grad(z.sum(), [a, w])
    zeros = [g.detach().numpy().tolist() for g in grads]
    return (
        y.requires_grad,
        y.detach().numpy().copy(),
        w.grad.numpy().copy(),
        base.requires_grad,
        zeros,
    )


@pytest.mark.parametrize("name", ["ge_", "gt_", "le_", "lt_", "eq_", "ne_", "greater_equal_"])
@pytest.mark.parametrize("view", [False, True])
def test_a_comparison_in_place_with_an_operand_that_requires_grad_is_recorded(
    name: str, view: bool
) -> None:
    """``y.ge_(w)`` with y requiring no grad and w requiring it: torch records the op (its
    zero gradient for w), so y requires grad after, as for any in-place op with an operand
    that requires grad; here y stayed a constant (fuzzer s30 focus seed 86, ``greater_equal_``).
    The gradient of Σ y·w is then y itself: the comparison passes w nothing. Where y requires
    grad too, w's gradient is zeros, not None (seeds 2104, 2229)."""
    requires, y, grad, base_requires, zeros = _compared_in_place(tg, name, view)
    assert requires and base_requires == view
    np.testing.assert_array_equal(grad, y)
    assert zeros == [0.0, [0.0, 0.0, 0.0]]  # (a 0-d a broadcast to w's shape)
    torch = pytest.importorskip("torch")
    theirs = _compared_in_place(torch, name, view)
    assert (requires, base_requires, zeros) == (theirs[0], theirs[3], theirs[4])
    np.testing.assert_array_equal(y, theirs[1])
    np.testing.assert_array_equal(grad, theirs[2])


@pytest.mark.parametrize("shape", [(7, 2), (2, 3), (3, 3, 3)])
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal_in_grad_mode_passes_g_off_the_diagonal(
    shape: tuple[int, ...], wrap: bool
) -> None:
    """``y.fill_diagonal_(v)`` of a non-leaf y: x̄ = g off the (wrapped) diagonal and 0 on it,
    as torch's; here the fill was a constant computed from y's array, which passed x nothing
    (fuzzer s30 focus seed 186: a whole gradient 0)."""
    values = np.random.default_rng(0).uniform(-1, 1, shape)
    weights = np.arange(values.size, dtype=np.float64).reshape(shape)

    def run(lib: Any) -> tuple[np.ndarray, np.ndarray]:
        x = lib.tensor(values, requires_grad=True)
        y = x * 2.0
        y.fill_diagonal_(0.5, wrap=wrap)
        (y * lib.tensor(weights)).sum().backward()
        return y.detach().numpy(), x.grad.numpy()

    out, grad = run(tg)
    filled = out == 0.5
    np.testing.assert_array_equal(grad, np.where(filled, 0.0, 2.0 * weights))
    assert gradcheck(
        lambda u: (u * 1.0).fill_diagonal_(-1.0, wrap=wrap),
        [tg.tensor(values, requires_grad=True)],
    )
    torch = pytest.importorskip("torch")
    theirs = run(torch)
    np.testing.assert_array_equal(out, theirs[0])
    np.testing.assert_array_equal(grad, theirs[1])


def test_scatter_reduce_in_place_of_an_empty_source_that_requires_grad_is_recorded() -> None:
    """``y.scatter_reduce_(0, index, src, ...)`` with an empty index and a src that requires
    grad: nothing is written, but torch records the op (y requires grad after, src's gradient
    zeros); here the result was y's own values, a constant (fuzzer s30 focus seed 3343)."""

    def run(lib: Any) -> tuple[bool, list[Any]]:
        src = lib.zeros(0, 1, dtype=lib.float64, requires_grad=True)
        y = lib.ones(2, 1, dtype=lib.float64)
        y.scatter_reduce_(0, lib.zeros(0, 1, dtype=lib.int64), src * 1.0, "sum", include_self=False)
        (grad,) = lib.autograd.grad(y.sum(), [src])
        return y.requires_grad, list(grad.shape)

    assert run(tg) == (True, [0, 1])
    torch = pytest.importorskip("torch")
    assert run(tg) == run(torch)
