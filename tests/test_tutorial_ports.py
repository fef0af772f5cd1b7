"""PyTorch's own tutorials, ported by changing the imports, run beside torch.

Each program is written as the tutorial publishes it (smaller sizes, float64, synthetic data or
the bundled digits in place of downloads) against a library passed by its package name, and
imports what it needs by torch's paths (``<lib>.nn.functional``, ``<lib>.utils.data``,
``<lib>.autograd.functional``). Each test runs it on tinygrad_ed and checks a property that
holds without torch (the loss falls, a gradient has its closed form, a refusal is raised), then,
where torch is installed, runs the same program on torch from the same initial weights and data
and compares losses, gradients and parameters to 1e-9 relative.

The tutorials: "Learning PyTorch with Examples" (polynomial fit of sin x), "A Gentle
Introduction to torch.autograd" with the "Autograd mechanics" note, "What is torch.nn
really?", "Double Backward with Custom Functions" with "Extending torch.autograd" and
``torch.autograd.functional``, and "Saving and Loading Models". What does not port, and why
(each a divergence documented where it lives): ``Tensor.data`` is the numpy array (the old
``y.data.norm()`` idiom), ``torch.save(model)`` of a whole module (no pickles: save its
``state_dict()``), ``ctx.mark_dirty``, forward-mode ``jacobian`` strategies, and
``inference_mode`` making inference tensors. (The mechanics note's ``torch.autograd.graph``
hooks, ``_saved_self``/``_saved_result``, ``_version`` and torch.func's transforms have their
own tests since.)
"""

from __future__ import annotations

import functools
import importlib
import io
import math
import random
import warnings
from pathlib import Path
from typing import Any

import _ports
import numpy as np
import pytest
from _ports import lib, numpy_of

RTOL = 1e-9


assert_same = functools.partial(_ports.assert_same, rtol=RTOL, atol=1e-12)
run_beside_torch = functools.partial(_ports.run_beside_torch, rtol=RTOL, atol=1e-12)


# ----------------------------------------------------------------------------- Learning PyTorch
# with Examples: fitting y = sin x by a cubic on [-π, π] (200 points, 200 steps; the learning
# rates scaled by 10 as the published 2000 points are 10 times more terms in the summed loss).

START = (0.1, -0.3, 0.2, 0.05)  # a, b, c, d: the tutorial draws them with randn


def sine(torch: Any) -> tuple[Any, Any]:
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=torch.float64)
    return x, torch.sin(x)


def polynomial_tensors(root: str) -> dict[str, Any]:
    """Gradients by hand, updates in place (no autograd)."""
    torch = lib(root).torch
    x, y = sine(torch)
    a, b, c, d = (torch.tensor(v, dtype=torch.float64) for v in START)
    learning_rate = 1e-5
    losses = []
    for _t in range(200):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return {"losses": losses, "abcd": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_autograd(root: str) -> dict[str, Any]:
    """The same by autograd: updates under no_grad, then ``grad = None``."""
    torch = lib(root).torch
    x, y = sine(torch)
    a, b, c, d = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in START)
    learning_rate = 1e-5
    losses = []
    for _t in range(200):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return {"losses": losses, "abcd": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_legendre(root: str) -> dict[str, Any]:
    """y = a + b·P₃(c + d·x) with P₃ a custom autograd.Function."""
    torch = lib(root).torch

    class LegendrePolynomial3(torch.autograd.Function):  # type: ignore[misc, name-defined]
        @staticmethod
        def forward(ctx: Any, input: Any) -> Any:
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    x, y = sine(torch)
    dtype, device = torch.float64, torch.device("cpu")
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-5
    losses = []
    for _t in range(200):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return {"losses": losses, "abcd": [a.item(), b.item(), c.item(), d.item()]}


def polynomial_nn(root: str, use_optim: bool) -> dict[str, Any]:
    """nn.Sequential(Linear(3, 1), Flatten(0, 1)) on (x, x², x³), MSELoss(reduction='sum');
    updates by hand (``model.zero_grad()``) or by ``optim.RMSprop``."""
    torch = lib(root).torch
    x, y = sine(torch)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.3, -0.2, 0.1]], dtype=torch.float64))
        model[0].bias.copy_(torch.tensor([0.05], dtype=torch.float64))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    learning_rate = 1e-5
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3) if use_optim else None
    losses = []
    for _t in range(200):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        losses.append(loss.item())
        if optimizer is not None:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        else:
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for param in model.parameters():
                    param -= learning_rate * param.grad
    linear_layer = model[0]
    coefficients = [linear_layer.bias.item()] + [linear_layer.weight[:, i].item() for i in range(3)]
    return {"losses": losses, "abcd": coefficients, "xx": numpy_of(xx[:3])}


def polynomial_module(root: str) -> dict[str, Any]:
    """A custom nn.Module with four scalar Parameters, trained by optim.SGD."""
    torch = lib(root).torch

    class Polynomial3(torch.nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x: Any) -> Any:
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self) -> str:
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + "
                f"{self.d.item()} x^3"
            )

    x, y = sine(torch)
    model = Polynomial3().double()
    model.load_state_dict({k: torch.tensor(v, dtype=torch.float64) for k, v in zip("abcd", START)})
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
    losses = []
    for _t in range(200):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert model.string().startswith("y = ")
    return {"losses": losses, "abcd": [p.item() for p in model.parameters()]}


def polynomial_dynamic(root: str) -> dict[str, Any]:
    """DynamicNet: a random number (0 to 2) of extra terms reusing the parameter e in each
    forward pass (control flow and weight sharing), SGD with momentum."""
    torch = lib(root).torch
    draw = random.Random(0)  # the same draws for both libraries

    class DynamicNet(torch.nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))
            self.e = torch.nn.Parameter(torch.randn(()))

        def forward(self, x: Any) -> Any:
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, draw.randint(4, 6)):
                y = y + self.e * x**exp
            return y

    x, y = sine(torch)
    model = DynamicNet().to(torch.float64)
    with torch.no_grad():
        for p, v in zip(model.parameters(), (*START, 0.001)):
            p.fill_(v)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-7, momentum=0.9)
    losses = []
    for _t in range(200):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {"losses": losses, "abcde": [p.item() for p in model.parameters()]}


@pytest.mark.parametrize(
    "program",
    [
        polynomial_tensors,
        polynomial_autograd,
        polynomial_legendre,
        lambda root: polynomial_nn(root, use_optim=False),
        lambda root: polynomial_nn(root, use_optim=True),
        polynomial_module,
        polynomial_dynamic,
    ],
    ids=["tensors", "autograd", "legendre", "nn", "rmsprop", "module", "dynamic"],
)
def test_learning_pytorch_with_examples(program: Any) -> None:
    result = run_beside_torch(program)
    losses = result["losses"]
    assert losses[-1] < 0.5 * losses[0]  # every variant fits: the summed error falls


def test_hand_gradients_equal_autograd() -> None:
    """The tensors-only program (gradients by hand) and the autograd one take the same steps."""
    by_hand, by_autograd = polynomial_tensors("tinygrad_ed"), polynomial_autograd("tinygrad_ed")
    np.testing.assert_allclose(by_hand["losses"], by_autograd["losses"], rtol=1e-12)
    np.testing.assert_allclose(by_hand["abcd"], by_autograd["abcd"], rtol=1e-12)
    x = np.linspace(-math.pi, math.pi, 200)
    xx = polynomial_nn("tinygrad_ed", use_optim=False)["xx"]
    np.testing.assert_allclose(xx, np.stack([x[:3], x[:3] ** 2, x[:3] ** 3], axis=1), rtol=1e-15)


# ----------------------------------------------------------------------------- A Gentle
# Introduction to torch.autograd, and the Autograd mechanics note


def gentle_introduction(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    nn, optim = torch.nn, torch.optim
    out: dict[str, Any] = {}
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    out["9a² == a.grad"] = (9 * a**2 == a.grad).tolist()
    out["-2b == b.grad"] = (-2 * b == b.grad).tolist()
    out["grads"] = [a.grad.tolist(), b.grad.tolist()]
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    out["requires_grad"] = [(x + y).requires_grad, (x + z).requires_grad]

    # Frozen parameters: a "pretrained" model whose head is replaced and trained alone.
    class Pretrained(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
            self.fc = nn.Linear(8, 5)

        def forward(self, x: Any) -> Any:
            return self.fc(self.features(x))

    model = Pretrained().double()
    with torch.no_grad():
        for i, param in enumerate(model.parameters()):
            values = torch.linspace(-0.5, 0.5 + i, param.numel(), dtype=torch.float64)
            param.copy_(values.reshape(param.shape))
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(8, 3).double()
    with torch.no_grad():
        model.fc.weight.copy_(torch.linspace(-1, 1, 24, dtype=torch.float64).reshape(3, 8))
        model.fc.bias.zero_()
    optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    data = torch.linspace(-1, 1, 8, dtype=torch.float64).reshape(2, 4)
    labels = torch.zeros(2, 3, dtype=torch.float64)
    prediction = model(data)
    loss = (prediction - labels).sum()
    loss.backward()
    optimizer.step()
    out["frozen"] = [(n, p.requires_grad, p.grad is None) for n, p in model.named_parameters()]
    out["head after step"] = numpy_of(model.fc.weight)
    out["features unchanged"] = numpy_of(model.features[0].weight)
    # The finetuning tutorial's form: the whole model frozen at once, a head as wide as the
    # old one's input, an optimizer of the head's parameters only.
    model.requires_grad_(False)
    num_ftrs = model.fc.in_features
    model.fc = nn.Linear(num_ftrs, 2).double()
    optimizer = optim.SGD(model.fc.parameters(), lr=1e-3, momentum=0.9)
    optimizer.zero_grad()
    model(data).sum().backward()
    optimizer.step()
    out["requires_grad_(False)"] = [num_ftrs] + [p.requires_grad for p in model.parameters()]
    out["frozen grads"] = [p.grad is None for p in model.features.parameters()]
    return out


def test_gentle_introduction_to_autograd() -> None:
    out = run_beside_torch(gentle_introduction)
    assert out["9a² == a.grad"] == [True, True] and out["-2b == b.grad"] == [True, True]
    assert out["requires_grad"] == [False, True]
    assert [f[1:] for f in out["frozen"]] == [(False, True)] * 2 + [(True, False)] * 2
    assert out["requires_grad_(False)"] == [8, False, False, True, True]
    assert out["frozen grads"] == [True, True]
    # The head took one step of −lr·∂loss/∂W: each row −0.01·Σ_batch of the frozen features
    # (whose bias is linspace(−0.5, 1.5, 8)), which did not move.
    start = np.linspace(-1, 1, 24).reshape(3, 8)
    features = np.linspace(-0.5, 0.5, 32).reshape(8, 4)
    np.testing.assert_allclose(out["features unchanged"], features, rtol=1e-15, atol=1e-16)
    hidden = np.maximum(
        np.linspace(-1, 1, 8).reshape(2, 4) @ out["features unchanged"].T
        + np.linspace(-0.5, 1.5, 8),
        0,
    )
    np.testing.assert_allclose(out["head after step"], start - 0.01 * hidden.sum(0), rtol=1e-12)


def autograd_mechanics(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    out: dict[str, Any] = {}
    # A vector-Jacobian product: y = x·2ᵏ, so x̄ = v·2ᵏ.
    x = torch.tensor([0.3, -1.2, 0.7], dtype=torch.float64, requires_grad=True)
    y = x * 2
    while y.norm() < 1000:  # the tutorial writes y.data.norm(): .data is numpy here
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float64)
    y.backward(v)
    out["vjp"] = numpy_of(x.grad)
    out["requires_grad"] = [x.requires_grad, (x**2).requires_grad]
    with torch.no_grad():
        out["under no_grad"] = (x**2).requires_grad
    y = x.detach()
    out["detach"] = [y.requires_grad, x.eq(y).all().item()]
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()

    @torch.no_grad()
    def doubler(x: Any) -> Any:
        return x * 2

    out["no_grad decorator"] = doubler(x).requires_grad
    with torch.set_grad_enabled(False):
        out["set_grad_enabled"] = (x * 2).requires_grad
    with torch.no_grad(), torch.enable_grad():
        out["enable_grad inside no_grad"] = (x * 2).requires_grad
    with torch.inference_mode():
        out["inference_mode"] = (x * 2).requires_grad
    out["is_grad_enabled"] = torch.is_grad_enabled()
    # retain_graph: a second backward accumulates; a third without it is refused.
    w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    s = (w.exp() * w).sum()
    s.backward(retain_graph=True)
    s.backward()
    out["twice"] = numpy_of(w.grad)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        s.backward()
    # Only leaves get .grad; a non-leaf's read warns, unless retain_grad().
    h = w * 3
    h2 = w * 4
    h2.retain_grad()
    (h * h2).sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out["non-leaf grad"] = h.grad is None
    out["warned"] = [issubclass(c.category, UserWarning) for c in caught]
    out["retain_grad"] = numpy_of(h2.grad)
    out["is_leaf"] = [w.is_leaf, h.is_leaf]
    # In-place correctness checks: sigmoid and exp save their result.
    for op in ("sigmoid", "exp"):
        a = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
        b = getattr(a, op)()
        b.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            b.sum().backward()
    a = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    b = a * 2  # mul by a constant saves nothing its rule for a reads: changing b is fine
    b.add_(1)
    b.sum().backward()
    out["in-place accepted"] = numpy_of(a.grad)
    return out


def test_autograd_mechanics() -> None:
    out = run_beside_torch(autograd_mechanics)
    np.testing.assert_allclose(out["vjp"], [0.1 * 1024, 1024, 0.0001 * 1024], rtol=1e-15)
    flags = ["under no_grad", "no_grad decorator", "set_grad_enabled", "inference_mode"]
    assert not any(out[k] for k in flags) and out["enable_grad inside no_grad"]
    assert out["is_grad_enabled"] and out["detach"] == [False, True]
    w = np.array([1.0, 2.0])
    np.testing.assert_allclose(out["twice"], 2 * (w + 1) * np.exp(w), rtol=1e-14)
    assert out["non-leaf grad"] and out["warned"] == [True]
    np.testing.assert_allclose(out["retain_grad"], 3 * w, rtol=1e-15)  # ∂(h·h2)/∂h2 = h
    assert out["is_leaf"] == [True, False]
    np.testing.assert_allclose(out["in-place accepted"], [2.0, 2.0, 2.0])


def hooks(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    nn = torch.nn
    out: dict[str, Any] = {}
    v = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    handle = v.register_hook(lambda grad: grad * 2)  # double the gradient
    v.backward(torch.tensor([1.0, 2.0, 3.0]))
    out["tensor hook"] = v.grad.tolist()
    handle.remove()
    v.grad = None
    v.backward(torch.tensor([1.0, 2.0, 3.0]))
    out["removed"] = v.grad.tolist()
    # The hooks of a grad_fn: before it runs (its adjoint) and after (what it sends).
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    y = x.sin()
    seen: list[Any] = []
    y.grad_fn.register_prehook(lambda go: seen.append(("pre", [numpy_of(g) for g in go])))
    y.grad_fn.register_hook(
        lambda gi, go: seen.append(("post", [numpy_of(g) for g in gi], [numpy_of(g) for g in go]))
    )
    y.sum().backward()
    out["node hooks"] = seen
    # Module hooks: forward pre/post, full backward pre/post; a forward hook may replace.
    lin = nn.Linear(3, 2).double()
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]], dtype=torch.float64))
        lin.bias.copy_(torch.tensor([0.01, -0.02], dtype=torch.float64))
    log: list[Any] = []
    handles = [
        lin.register_forward_pre_hook(lambda m, inp: log.append(("forward pre", inp[0].shape))),
        lin.register_forward_hook(lambda m, inp, o: log.append(("forward", numpy_of(o)))),
        lin.register_full_backward_pre_hook(
            lambda m, go: log.append(("backward pre", [numpy_of(g) for g in go]))
        ),
        lin.register_full_backward_hook(
            lambda m, gi, go: log.append(
                ("backward", [numpy_of(g) for g in gi], [numpy_of(g) for g in go])
            )
        ),
    ]
    xin = torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64, requires_grad=True)
    lin(xin).pow(2).sum().backward()
    for handle in handles:
        handle.remove()
    lin(xin)  # no hook left
    out["module hooks"] = [(k, tuple(r[0]) if k == "forward pre" else r) for k, *r in log]
    handle = lin.register_forward_hook(lambda m, i, o: o * 10)
    out["replaced output"] = numpy_of(lin(xin))
    handle.remove()
    return out


def test_hooks() -> None:
    out = run_beside_torch(hooks)
    assert out["tensor hook"] == [2.0, 4.0, 6.0] and out["removed"] == [1.0, 2.0, 3.0]
    (pre, (g,)), (post, (gx,), (g2,)) = out["node hooks"]
    assert (pre, post) == ("pre", "post") and g.tolist() == [1.0, 1.0] == g2.tolist()
    np.testing.assert_allclose(gx, np.cos([1.0, 2.0]), rtol=1e-15)
    kinds = [k for k, *_ in out["module hooks"]]
    assert kinds == ["forward pre", "forward", "backward pre", "backward"]
    W = np.array([[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]])
    o = W @ [1.0, 2.0, 3.0] + [0.01, -0.02]
    np.testing.assert_allclose(out["module hooks"][1][1][0], [o], rtol=1e-15)
    np.testing.assert_allclose(out["module hooks"][3][1][0][0], [2 * o @ W], rtol=1e-14)
    np.testing.assert_allclose(out["replaced output"], [10 * o], rtol=1e-15)


# ----------------------------------------------------------------------------- What is torch.nn
# really? The bundled digits, scaled up 3× and padded to MNIST's 28 × 28, in place of MNIST.


def digits_as_mnist() -> tuple[np.ndarray, ...]:
    from tinygrad_ed.data import load_digits

    X, y = load_digits()
    big = np.zeros((len(X), 28, 28))
    # Values in [0, 0.4] (the digits' 0…16 / 40): about MNIST's mean intensity, at which the
    # tutorial's learning rates are stable; at 0…1 the larger digits make lr = 0.5 diverge.
    big[:, 2:26, 2:26] = np.kron(X.reshape(-1, 8, 8) / 40.0, np.ones((3, 3)))
    big = big.reshape(-1, 784)
    return big[:96], y[:96], big[1000:1064], y[1000:1064]


_rng = np.random.default_rng(0)
WEIGHTS = _rng.standard_normal((784, 10))  # the tutorial's torch.randn(784, 10)
CONV = {
    name: 0.3 * _rng.standard_normal(shape)
    for name, shape in [
        ("0.weight", (16, 1, 3, 3)),
        ("0.bias", (16,)),
        ("2.weight", (16, 16, 3, 3)),
        ("2.bias", (16,)),
        ("4.weight", (10, 16, 3, 3)),
        ("4.bias", (10,)),
    ]
}


def nn_from_scratch(root: str) -> dict[str, Any]:
    """Logistic regression by hand: log_softmax, nll and accuracy written out, weights and
    bias updated under no_grad and zeroed; then F.cross_entropy in their place."""
    m = lib(root)
    torch, F = m.torch, m.F
    out: dict[str, Any] = {}
    x_train, y_train, _, _ = map(torch.tensor, digits_as_mnist())
    n, _ = x_train.shape
    weights = torch.tensor(WEIGHTS) / math.sqrt(784)
    weights.requires_grad_()
    bias = torch.zeros(10, dtype=torch.float64, requires_grad=True)

    def log_softmax(x: Any) -> Any:
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb: Any) -> Any:
        return log_softmax(xb @ weights + bias)

    bs = 64
    xb = x_train[0:bs]
    preds = model(xb)
    out["preds[0]"], out["shape"] = numpy_of(preds[0]), tuple(preds.shape)

    def nll(input: Any, target: Any) -> Any:
        return -input[range(target.shape[0]), target].mean()

    loss_func = nll
    yb = y_train[0:bs]

    def accuracy(out: Any, yb: Any) -> Any:
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    out["start"] = [loss_func(preds, yb).item(), accuracy(preds, yb).item()]
    lr = 0.5
    epochs = 2
    for _epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    out["end"] = [loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()]
    out["weights"] = numpy_of(weights)

    loss_func = F.cross_entropy

    def model(xb: Any) -> Any:  # the tutorial's new model: raw scores
        return xb @ weights + bias

    out["cross_entropy"] = loss_func(model(xb), yb).item()
    out["nll of log_softmax"] = nll(log_softmax(model(xb)), yb).item()
    return out


def test_nn_from_scratch() -> None:
    out = run_beside_torch(nn_from_scratch)
    assert out["shape"] == (64, 10)
    np.testing.assert_allclose(np.exp(out["preds[0]"]).sum(), 1.0, rtol=1e-14)
    assert out["end"][0] < 0.75 * out["start"][0] and out["end"][1] > out["start"][1]
    assert out["cross_entropy"] == pytest.approx(out["nll of log_softmax"], rel=1e-13)


def nn_refactored(root: str) -> dict[str, Any]:
    """The same, refactored step by step: nn.Module with Parameters, nn.Linear, optim.SGD,
    TensorDataset, DataLoader, a validation loop under no_grad (loss_batch / fit / get_data),
    then a CNN, nn.Sequential with a Lambda layer, a wrapped DataLoader and
    AdaptiveAvgPool2d."""
    m = lib(root)
    torch, nn, F, optim = m.torch, m.nn, m.F, m.optim
    TensorDataset, DataLoader = m.data.TensorDataset, m.data.DataLoader
    out: dict[str, Any] = {}
    torch.set_default_dtype(torch.float64)
    try:
        x_train, y_train, x_valid, y_valid = map(torch.tensor, digits_as_mnist())
        n, _ = x_train.shape
        bs, lr, epochs = 16, 0.5, 2
        loss_func = F.cross_entropy

        class Mnist_Logistic(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.weights = nn.Parameter(torch.tensor(WEIGHTS) / math.sqrt(784))
                self.bias = nn.Parameter(torch.zeros(10))

            def forward(self, xb: Any) -> Any:
                return xb @ self.weights + self.bias

        model = Mnist_Logistic()
        out["start"] = loss_func(model(x_train[:bs]), y_train[:bs]).item()
        for _epoch in range(epochs):
            for i in range((n - 1) // bs + 1):
                start_i = i * bs
                end_i = start_i + bs
                xb = x_train[start_i:end_i]
                yb = y_train[start_i:end_i]
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= p.grad * lr
                    model.zero_grad()
        out["nn.Module"] = loss_func(model(x_train[:bs]), y_train[:bs]).item()

        class Mnist_Linear(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.lin = nn.Linear(784, 10)

            def forward(self, xb: Any) -> Any:
                return self.lin(xb)

        def get_model() -> tuple[Any, Any]:
            model = Mnist_Linear()
            start = torch.tensor(WEIGHTS.T.copy()) / math.sqrt(784)
            model.load_state_dict({"lin.weight": start, "lin.bias": torch.zeros(10)})
            return model, optim.SGD(model.parameters(), lr=lr)

        model, opt = get_model()
        train_ds = TensorDataset(x_train, y_train)
        for _epoch in range(epochs):
            for i in range((n - 1) // bs + 1):
                xb, yb = train_ds[i * bs : i * bs + bs]
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
        out["nn.Linear, optim, TensorDataset"] = numpy_of(model.lin.weight)
        model, opt = get_model()
        train_dl = DataLoader(train_ds, batch_size=bs)
        for _epoch in range(epochs):
            for xb, yb in train_dl:
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
        out["DataLoader"] = numpy_of(model.lin.weight)

        def loss_batch(model: Any, loss_func: Any, xb: Any, yb: Any, opt: Any = None) -> Any:
            loss = loss_func(model(xb), yb)
            if opt is not None:
                loss.backward()
                opt.step()
                opt.zero_grad()
            return loss.item(), len(xb)

        def fit(
            epochs: int, model: Any, loss_func: Any, opt: Any, train_dl: Any, valid_dl: Any
        ) -> Any:
            val_losses = []
            for _epoch in range(epochs):
                model.train()
                for xb, yb in train_dl:
                    loss_batch(model, loss_func, xb, yb, opt)
                model.eval()
                with torch.no_grad():
                    losses, nums = zip(
                        *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
                    )
                val_losses.append(np.sum(np.multiply(losses, nums)) / np.sum(nums))
            return val_losses

        def get_data(train_ds: Any, valid_ds: Any, bs: int, shuffle: bool) -> tuple[Any, Any]:
            return (
                DataLoader(train_ds, batch_size=bs, shuffle=shuffle),
                DataLoader(valid_ds, batch_size=bs * 2),
            )

        valid_ds = TensorDataset(x_valid, y_valid)
        # The validation loop as first written: the mean of the batches' losses.
        train_dl, valid_dl = get_data(train_ds, valid_ds, bs, shuffle=False)
        model, opt = get_model()
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)
        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
        out["valid (sum of batches)"] = (valid_loss / len(valid_dl)).item()
        model, opt = get_model()
        out["fit"] = fit(epochs, model, loss_func, opt, train_dl, valid_dl)
        # shuffle=True: the libraries draw different orders, so only a property (the
        # validation loss falls) and not the number is compared.
        shuffled, _ = get_data(train_ds, valid_ds, bs, shuffle=True)
        model, opt = get_model()
        out["fit shuffled falls"] = bool(
            np.diff(fit(epochs, model, loss_func, opt, shuffled, valid_dl))[0] < 0
        )

        class Mnist_CNN(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
                self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
                self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

            def forward(self, xb: Any) -> Any:
                xb = xb.view(-1, 1, 28, 28)
                xb = F.relu(self.conv1(xb))
                xb = F.relu(self.conv2(xb))
                xb = F.relu(self.conv3(xb))
                xb = F.avg_pool2d(xb, 4)
                return xb.view(-1, xb.size(1))

        def conv_state(names: dict[str, str]) -> dict[str, Any]:
            return {names[k[0]] + k[1:]: torch.tensor(v) for k, v in CONV.items()}

        lr = 0.1
        model = Mnist_CNN()
        model.load_state_dict(conv_state({"0": "conv1", "2": "conv2", "4": "conv3"}))
        opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        out["CNN"] = fit(1, model, loss_func, opt, train_dl, valid_dl)

        class Lambda(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self, func: Any) -> None:
                super().__init__()
                self.func = func

            def forward(self, x: Any) -> Any:
                return self.func(x)

        def preprocess(x: Any) -> Any:
            return x.view(-1, 1, 28, 28)

        model = nn.Sequential(
            Lambda(preprocess),
            nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.AvgPool2d(4),
            Lambda(lambda x: x.view(x.size(0), -1)),
        )
        model.load_state_dict(conv_state({"0": "1", "2": "3", "4": "5"}))
        opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        out["Sequential"] = fit(1, model, loss_func, opt, train_dl, valid_dl)

        # "Using your accelerator": the CPU here, as in torch without one.
        dev = (
            torch.accelerator.current_accelerator().type
            if torch.accelerator.is_available()
            else "cpu"
        )

        def preprocess_batch(x: Any, y: Any) -> tuple[Any, Any]:
            return x.view(-1, 1, 28, 28).to(dev), y.to(dev)

        class WrappedDataLoader:
            def __init__(self, dl: Any, func: Any) -> None:
                self.dl = dl
                self.func = func

            def __len__(self) -> int:
                return len(self.dl)

            def __iter__(self) -> Any:
                for b in self.dl:
                    yield (self.func(*b))

        train_dl = WrappedDataLoader(train_dl, preprocess_batch)
        valid_dl = WrappedDataLoader(valid_dl, preprocess_batch)
        model = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            Lambda(lambda x: x.view(x.size(0), -1)),
        )
        model.load_state_dict(conv_state({"0": "0", "2": "2", "4": "4"}))
        model.to(dev)
        opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        out["AdaptiveAvgPool2d"] = fit(2, model, loss_func, opt, train_dl, valid_dl)
        out["last conv weight"] = numpy_of(model[4].weight)
        return out
    finally:
        torch.set_default_dtype(torch.float32)


def test_what_is_torch_nn_really() -> None:
    out = run_beside_torch(nn_refactored)
    # Every refactoring of the same steps takes the same steps.
    np.testing.assert_array_equal(out["nn.Linear, optim, TensorDataset"], out["DataLoader"])
    assert out["nn.Module"] < 0.5 * out["start"] and out["fit shuffled falls"]
    assert out["fit"][1] < out["fit"][0] < out["start"]
    # With equal batches, the mean of per-batch means is the mean over the validation set.
    assert out["valid (sum of batches)"] == pytest.approx(out["fit"][0], rel=1e-12)
    assert out["CNN"] == out["Sequential"]  # the same network, as a class and as Sequential
    # Pooling 4×4 and adaptive pooling to 1×1 agree on the 4×4 maps 28 → 14 → 7 → 4 gives.
    assert out["AdaptiveAvgPool2d"][0] == pytest.approx(out["CNN"][0], rel=1e-12)
    assert out["AdaptiveAvgPool2d"][1] < out["AdaptiveAvgPool2d"][0]


# ----------------------------------------------------------------------------- Double Backward
# with Custom Functions, Extending torch.autograd, torch.autograd.functional


def double_backward(root: str) -> dict[str, Any]:
    torch = lib(root).torch
    gradcheck = importlib.import_module(f"{root}.autograd").gradcheck
    gradgradcheck = torch.autograd.gradgradcheck
    Function = torch.autograd.Function
    out: dict[str, Any] = {}

    class Square(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx: Any, grad_out: Any) -> Any:
            (x,) = ctx.saved_tensors
            return grad_out * 2 * x

    class Exp(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            result = torch.exp(x)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx: Any, grad_out: Any) -> Any:
            (result,) = ctx.saved_tensors
            return result * grad_out

    class Sinh(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            expx = torch.exp(x)
            expnegx = torch.exp(-x)
            ctx.save_for_backward(expx, expnegx)
            return (expx - expnegx) / 2, expx, expnegx

        @staticmethod
        def backward(ctx: Any, grad_out: Any, _grad_out_exp: Any, _grad_out_negexp: Any) -> Any:
            expx, expnegx = ctx.saved_tensors
            grad_input = grad_out * (expx + expnegx) / 2
            grad_input += _grad_out_exp * expx
            grad_input -= _grad_out_negexp * expnegx
            return grad_input

    def sinh(x: Any) -> Any:
        return Sinh.apply(x)[0]

    def cube_forward(x: Any) -> Any:
        return x**3

    def cube_backward(grad_out: Any, x: Any) -> Any:
        return grad_out * 3 * x**2

    def cube_backward_backward(grad_out: Any, sav_grad_out: Any, x: Any) -> Any:
        return grad_out * sav_grad_out * 6 * x

    def cube_backward_backward_grad_out(grad_out: Any, x: Any) -> Any:
        return grad_out * 3 * x**2

    class Cube(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return cube_forward(x)

        @staticmethod
        def backward(ctx: Any, grad_out: Any) -> Any:
            (x,) = ctx.saved_tensors
            return CubeBackward.apply(grad_out, x)

    class CubeBackward(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, grad_out: Any, x: Any) -> Any:
            ctx.save_for_backward(x, grad_out)
            return cube_backward(grad_out, x)

        @staticmethod
        def backward(ctx: Any, grad_out: Any) -> Any:
            x, sav_grad_out = ctx.saved_tensors
            dx = cube_backward_backward(grad_out, sav_grad_out, x)
            dgrad_out = cube_backward_backward_grad_out(grad_out, x)
            return dgrad_out, dx

    class MyCube(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(x: Any) -> Any:
            result = x**3
            dx = 3 * x**2  # returned, so that the second derivative can use it
            return result, dx

        @staticmethod
        def setup_context(ctx: Any, inputs: Any, output: Any) -> None:
            (x,) = inputs
            _result, dx = output
            ctx.save_for_backward(x, dx)

        @staticmethod
        def backward(ctx: Any, grad_output: Any, grad_dx: Any) -> Any:
            x, dx = ctx.saved_tensors
            return grad_output * dx + grad_dx * 6 * x

    def my_cube(x: Any) -> Any:
        result, _dx = MyCube.apply(x)
        return result

    x = torch.tensor(np.linspace(0.1, 0.9, 9).reshape(3, 3), dtype=torch.double)
    x.requires_grad_()
    scalar = torch.tensor(1.0, requires_grad=True, dtype=torch.double).clone()
    for name, f, point in [
        ("Square", Square.apply, x),
        ("Exp", Exp.apply, scalar),
        ("Sinh", sinh, x),
        ("Cube", Cube.apply, torch.tensor(2.0, requires_grad=True, dtype=torch.double)),
        ("MyCube", my_cube, x),
    ]:
        out[name] = [gradcheck(f, point), gradgradcheck(f, point)]
        y = f(point)
        (g,) = torch.autograd.grad(y.sum(), point, create_graph=True)
        (gg,) = torch.autograd.grad(g.sum(), point)
        out[f"{name} derivatives"] = [numpy_of(g), numpy_of(gg)]
    return out


def test_double_backward_with_custom_functions() -> None:
    out = run_beside_torch(double_backward)
    x = np.linspace(0.1, 0.9, 9).reshape(3, 3)
    closed = {
        "Square": (2 * x, 2 + 0 * x),
        "Exp": (np.e, np.e),
        "Sinh": (np.cosh(x), np.sinh(x)),
        "Cube": (12.0, 12.0),
        "MyCube": (3 * x**2, 6 * x),
    }
    for name, (first, second) in closed.items():
        assert out[name] == [True, True], name
        np.testing.assert_allclose(out[f"{name} derivatives"][0], first, rtol=1e-14, err_msg=name)
        np.testing.assert_allclose(out[f"{name} derivatives"][1], second, rtol=1e-14, err_msg=name)


def extending_autograd(root: str) -> dict[str, Any]:
    """LinearFunction (setup_context, needs_input_grad), MulConstant (a non-tensor input),
    once_differentiable, mark_non_differentiable."""
    torch = lib(root).torch
    Function = torch.autograd.Function
    once_differentiable = importlib.import_module(f"{root}.autograd.function").once_differentiable
    out: dict[str, Any] = {}

    class LinearFunction(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(input: Any, weight: Any, bias: Any) -> Any:
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def setup_context(ctx: Any, inputs: Any, output: Any) -> None:
            input, weight, bias = inputs
            ctx.save_for_backward(input, weight, bias)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    linear = LinearFunction.apply
    rng = np.random.default_rng(1)
    A, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    input = (
        torch.tensor(A, dtype=torch.double, requires_grad=True),
        torch.tensor(W, dtype=torch.double, requires_grad=True),
    )
    out["gradcheck"] = torch.autograd.gradcheck(
        lambda a, w: linear(a, w, None), input, eps=1e-6, atol=1e-4
    )
    a, w, bias = (torch.tensor(v, requires_grad=True) for v in (A, W, b))
    linear(a, w, bias).pow(2).sum().backward()
    out["grads"] = [numpy_of(a.grad), numpy_of(w.grad), numpy_of(bias.grad)]
    frozen = torch.tensor(A)
    w.grad = None
    linear(frozen, w, None).sum().backward()
    out["needs_input_grad"] = [frozen.grad is None, numpy_of(w.grad)]

    class MulConstant(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(tensor: Any, constant: float) -> Any:
            return tensor * constant

        @staticmethod
        def setup_context(ctx: Any, inputs: Any, output: Any) -> None:
            _tensor, constant = inputs
            ctx.constant = constant

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            return grad_output * ctx.constant, None

    t = torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True)
    MulConstant.apply(t, 5.5).sum().backward()
    out["MulConstant"] = numpy_of(t.grad)

    class Clip(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x.clamp(-1, 1)

        @staticmethod
        @once_differentiable
        def backward(ctx: Any, g: Any) -> Any:
            (x,) = ctx.saved_tensors
            return g * ((x > -1) & (x < 1)).to(g.dtype)

    t = torch.tensor([-2.0, 0.5, 3.0], dtype=torch.double, requires_grad=True)
    Clip.apply(t).sum().backward()
    out["once_differentiable"] = numpy_of(t.grad)

    class Sort(Function):  # type: ignore[misc, valid-type]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            values, indices = x.sort()
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(indices)
            return values, indices

        @staticmethod
        def backward(ctx: Any, g: Any, _g_indices: Any) -> Any:
            (indices,) = ctx.saved_tensors
            return torch.zeros_like(g).index_add_(0, indices, g)

    t = torch.tensor([3.0, 1.0, 2.0], dtype=torch.double, requires_grad=True)
    values, indices = Sort.apply(t)
    (values * torch.tensor([1.0, 2.0, 3.0], dtype=torch.double)).sum().backward()
    out["mark_non_differentiable"] = [numpy_of(t.grad), indices.requires_grad]
    return out


def test_extending_autograd() -> None:
    out = run_beside_torch(extending_autograd)
    rng = np.random.default_rng(1)
    A, W, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    g = 2 * (A @ W.T + b)
    assert out["gradcheck"]
    for got, want in zip(out["grads"], (g @ W, g.T @ A, g.sum(0))):
        np.testing.assert_allclose(got, want, rtol=1e-13)
    assert out["needs_input_grad"][0]
    np.testing.assert_allclose(out["needs_input_grad"][1], np.tile(A.sum(0), (3, 1)), rtol=1e-13)
    np.testing.assert_array_equal(out["MulConstant"], [5.5, 5.5])
    np.testing.assert_array_equal(out["once_differentiable"], [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(out["mark_non_differentiable"][0], [3.0, 1.0, 2.0])
    assert out["mark_non_differentiable"][1] is False


def functional_api(root: str) -> dict[str, Any]:
    """torch.autograd.grad with create_graph (Hessian-vector products two ways) and
    torch.autograd.functional's examples (exp_reducer, exp_adder, pow_reducer, …)."""
    torch = lib(root).torch
    AF = importlib.import_module(f"{root}.autograd.functional")
    out: dict[str, Any] = {}
    point = np.array([0.5, -1.0, 2.0])
    v = torch.tensor([1.0, 0.5, -0.25], dtype=torch.double)
    x = torch.tensor(point, requires_grad=True)
    y = (x.sin() * x.pow(2)).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    (hv,) = torch.autograd.grad(g, x, grad_outputs=v)
    out["grad"], out["hvp by grad"] = numpy_of(g), numpy_of(hv)
    x = torch.tensor(point, requires_grad=True)
    (g,) = torch.autograd.grad((x.sin() * x.pow(2)).sum(), x, create_graph=True)
    (g @ v).backward()
    out["hvp by backward"] = numpy_of(x.grad)

    def exp_reducer(x: Any) -> Any:
        return x.exp().sum(dim=1)

    def exp_adder(x: Any, y: Any) -> Any:
        return 2 * x.exp() + 3 * y

    def pow_reducer(x: Any) -> Any:
        return x.pow(3).sum()

    def pow_adder_reducer(x: Any, y: Any) -> Any:
        return (2 * x.pow(2) + 3 * y.pow(2)).sum()

    X = torch.tensor(np.linspace(0, 1, 8).reshape(4, 2))
    H = torch.tensor(np.linspace(0.5, 1.5, 4).reshape(2, 2))
    pair = (
        torch.tensor([0.1, 0.2], dtype=torch.double),
        torch.tensor([0.3, 0.4], dtype=torch.double),
    )
    ones = torch.ones(2, 2, dtype=torch.double)
    out["jacobian"] = numpy_of(AF.jacobian(exp_reducer, X))
    out["jacobian create_graph"] = AF.jacobian(exp_reducer, X, create_graph=True).requires_grad
    out["jacobian of two"] = [numpy_of(j) for j in AF.jacobian(exp_adder, pair)]
    out["hessian"] = numpy_of(AF.hessian(pow_reducer, H))
    out["hessian of two"] = [
        [numpy_of(h) for h in row] for row in AF.hessian(pow_adder_reducer, pair)
    ]
    out["vjp"] = [
        numpy_of(t) for t in AF.vjp(exp_reducer, X[:2], torch.ones(2, dtype=torch.double))
    ]
    out["jvp"] = [numpy_of(t) for t in AF.jvp(exp_reducer, X[:2], ones)]
    out["hvp"] = [numpy_of(t) for t in AF.hvp(pow_reducer, H, ones)]
    out["vhp"] = [numpy_of(t) for t in AF.vhp(pow_reducer, H, ones)]
    return out


def test_autograd_grad_and_functional() -> None:
    out = run_beside_torch(functional_api)
    x = np.array([0.5, -1.0, 2.0])
    v = np.array([1.0, 0.5, -0.25])
    np.testing.assert_allclose(out["grad"], np.cos(x) * x**2 + 2 * x * np.sin(x), rtol=1e-14)
    hessian_diagonal = -np.sin(x) * x**2 + 4 * x * np.cos(x) + 2 * np.sin(x)
    np.testing.assert_allclose(out["hvp by grad"], hessian_diagonal * v, rtol=1e-13)
    np.testing.assert_allclose(out["hvp by backward"], out["hvp by grad"], rtol=1e-15)
    X = np.linspace(0, 1, 8).reshape(4, 2)
    J = out["jacobian"]
    assert J.shape == (4, 4, 2) and out["jacobian create_graph"]
    np.testing.assert_allclose(J[np.arange(4), np.arange(4)], np.exp(X), rtol=1e-15)
    H = np.linspace(0.5, 1.5, 4).reshape(2, 2)
    np.testing.assert_allclose(out["hessian"].reshape(4, 4), np.diag(6 * H.ravel()), rtol=1e-15)
    np.testing.assert_allclose(out["hvp"][1], 6 * H, rtol=1e-15)
    np.testing.assert_allclose(out["vhp"][1], 6 * H, rtol=1e-15)


# ----------------------------------------------------------------------------- Saving and
# Loading Models (TheModelClass on CIFAR-sized random images)

_rng_images = np.random.default_rng(2)
IMAGES, LABELS = _rng_images.standard_normal((2, 3, 32, 32)), np.array([1, 9])


def saving_and_loading(root: str, tmp: Path) -> dict[str, Any]:
    m = lib(root)
    torch, nn, F, optim = m.torch, m.nn, m.F, m.optim
    out: dict[str, Any] = {}

    class TheModelClass(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(-1, 16 * 5 * 5)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    torch.set_default_dtype(torch.float64)
    try:
        rng = np.random.default_rng(1)
        model = TheModelClass()
        start = {
            k: 0.1 * rng.standard_normal(tuple(v.shape)) for k, v in model.state_dict().items()
        }
        model.load_state_dict({k: torch.tensor(v) for k, v in start.items()})
        optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        out["state_dict"] = [(k, tuple(v.size())) for k, v in model.state_dict().items()]
        group = optimizer.state_dict()["param_groups"][0]
        out["optimizer state_dict"] = {k: group[k] for k in ("lr", "momentum", "params")}
        x, y = torch.tensor(IMAGES), torch.tensor(LABELS)
        criterion = nn.CrossEntropyLoss()

        def step() -> float:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            return float(loss.item())

        out["losses"] = [step() for _ in range(2)]
        PATH = str(tmp / f"{root}_model.pt")
        torch.save(model.state_dict(), PATH)
        loaded = TheModelClass()
        result = loaded.load_state_dict(torch.load(PATH, weights_only=True))
        out["load_state_dict"] = [repr(result), result.missing_keys, result.unexpected_keys]
        loaded.eval()
        out["same predictions"] = bool(torch.equal(loaded(x), model(x)))
        # A general checkpoint: resuming gives the steps training on would have taken.
        torch.save(
            {
                "epoch": 2,
                "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "loss": out["losses"][-1],
            },
            PATH,
        )
        out["continued"] = [step() for _ in range(2)]
        model = TheModelClass()
        optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        checkpoint = torch.load(PATH, weights_only=True)
        model.load_state_dict(checkpoint["model_state_dict"])
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
        epoch, loss = checkpoint["epoch"], checkpoint["loss"]
        model.train()
        out["resumed"] = [step() for _ in range(2)]
        out["epoch, loss"] = [epoch, loss]
        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
        buffer.seek(0)
        back = torch.load(buffer, map_location=torch.device("cpu"), weights_only=True)
        out["BytesIO"] = bool(torch.equal(back["fc3.weight"], model.fc3.weight))

        # Warmstarting another model from some of the parameters: strict=False.
        class ModelB(nn.Module):  # type: ignore[misc, name-defined]
            def __init__(self) -> None:
                super().__init__()
                self.conv1 = nn.Conv2d(3, 6, 5)
                self.head = nn.Linear(4, 2)

        modelB = ModelB()
        result = modelB.load_state_dict(
            torch.load(PATH, weights_only=True)["model_state_dict"], strict=False
        )
        out["strict=False"] = [result.missing_keys, sorted(result.unexpected_keys)]
        saved = torch.load(PATH, weights_only=True)["model_state_dict"]
        out["warmstarted"] = bool(torch.equal(modelB.conv1.weight, saved["conv1.weight"]))
        with pytest.raises(RuntimeError, match=r"(?s)Missing key\(s\).*Unexpected key\(s\)"):
            modelB.load_state_dict(torch.load(PATH, weights_only=True)["model_state_dict"])
        wrong = dict(model.state_dict(), **{"fc3.bias": torch.zeros(11)})
        with pytest.raises(RuntimeError, match=r"size mismatch for fc3\.bias"):
            model.load_state_dict(wrong)
        # Adam's state through a checkpoint of two models and two optimizers.
        models = [TheModelClass(), TheModelClass()]
        optimizers = [
            optim.SGD(models[0].parameters(), lr=0.01),
            optim.Adam(models[1].parameters(), lr=0.01),
        ]
        for net, opt in zip(models, optimizers):
            net.load_state_dict({k: torch.tensor(v) for k, v in start.items()})
            opt.zero_grad()
            criterion(net(x), y).backward()
            opt.step()
        torch.save(
            {
                "modelA_state_dict": models[0].state_dict(),
                "modelB_state_dict": models[1].state_dict(),
                "optimizerA_state_dict": optimizers[0].state_dict(),
                "optimizerB_state_dict": optimizers[1].state_dict(),
            },
            PATH,
        )
        checkpoint = torch.load(PATH, weights_only=True)
        modelB2 = TheModelClass()
        optimizerB = optim.Adam(modelB2.parameters(), lr=0.01)
        modelB2.load_state_dict(checkpoint["modelB_state_dict"])
        optimizerB.load_state_dict(checkpoint["optimizerB_state_dict"])
        for net, opt in ((models[1], optimizers[1]), (modelB2, optimizerB)):
            opt.zero_grad()
            criterion(net(x), y).backward()
            opt.step()
        out["Adam resumed"] = [numpy_of(models[1].fc3.weight), numpy_of(modelB2.fc3.weight)]
        out["Adam step"] = float(optimizerB.state_dict()["state"][0]["step"])
        return out
    finally:
        torch.set_default_dtype(torch.float32)


def test_saving_and_loading_models(tmp_path: Path) -> None:
    out = run_beside_torch(saving_and_loading, tmp_path)
    assert out["state_dict"][0] == ("conv1.weight", (6, 3, 5, 5)) and len(out["state_dict"]) == 10
    assert out["optimizer state_dict"] == {"lr": 0.001, "momentum": 0.9, "params": list(range(10))}
    assert out["losses"][-1] < out["losses"][0]
    assert out["load_state_dict"] == ["<All keys matched successfully>", [], []]
    assert out["same predictions"] and out["BytesIO"] and out["warmstarted"]
    assert out["resumed"] == out["continued"]  # bit for bit
    assert out["epoch, loss"] == [2, out["losses"][-1]]
    assert out["strict=False"][0] == ["head.weight", "head.bias"]
    np.testing.assert_array_equal(*out["Adam resumed"])
    assert out["Adam step"] == 2.0


def train_and_eval(root: str) -> dict[str, Any]:
    """model.train() / model.eval() with Dropout and BatchNorm: running statistics while
    training, a deterministic eval forward that uses them, kept through a state_dict."""
    m = lib(root)
    torch, nn, F, optim = m.torch, m.nn, m.F, m.optim
    out: dict[str, Any] = {}

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)
            self.bn = nn.BatchNorm2d(4)
            self.drop = nn.Dropout(p=0.5)
            self.fc = nn.Linear(4 * 30 * 30, 10)
            self.bn1 = nn.BatchNorm1d(10)

        def forward(self, x: Any) -> Any:
            x = F.relu(self.bn(self.conv(x)))
            x = self.drop(torch.flatten(x, 1))
            return self.bn1(self.fc(x))

    net = Net().double()
    rng = np.random.default_rng(3)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.tensor(0.05 * rng.standard_normal(tuple(p.shape))))
    out["state_dict"] = list(net.state_dict())
    x, y = torch.tensor(IMAGES), torch.tensor(LABELS)
    net.drop.p = 0.0  # no random mask while training, for a comparison with torch
    opt = optim.SGD(net.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    out["running"] = [numpy_of(net.bn.running_mean), numpy_of(net.bn.running_var)]
    out["num_batches_tracked"] = int(net.bn.num_batches_tracked.item())
    out["bn1 running_var"] = numpy_of(net.bn1.running_var)
    net.drop.p = 0.5
    net.eval()
    out["training"] = [mod.training for mod in net.modules()]
    with torch.no_grad():
        first, second = net(x), net(x)
    out["eval deterministic"] = bool(torch.equal(first, second))
    out["eval output"] = numpy_of(first)
    buffer = io.BytesIO()
    torch.save(net.state_dict(), buffer)
    buffer.seek(0)
    copy = Net().double()
    copy.load_state_dict(torch.load(buffer, weights_only=True))
    copy.eval()
    with torch.no_grad():
        out["copy agrees"] = bool(torch.equal(copy(x), first))
    dropout = nn.Dropout(p=0.25)
    dropped = dropout(torch.ones(20000, dtype=torch.float64))
    out["dropout values"] = sorted({round(v, 9) for v in dropped.tolist()})
    out["dropout kept"] = bool(abs((dropped != 0).double().mean().item() - 0.75) < 0.02)
    dropout.eval()
    out["dropout eval"] = bool(torch.equal(dropout(torch.ones(5)), torch.ones(5)))
    return out


def test_train_and_eval_modes() -> None:
    out = run_beside_torch(train_and_eval)
    assert out["num_batches_tracked"] == 2 and not any(out["training"])
    assert out["eval deterministic"] and out["copy agrees"] and out["dropout eval"]
    assert out["dropout values"] == [0.0, round(1 / 0.75, 9)] and out["dropout kept"]
    assert "bn.running_mean" in out["state_dict"] and "bn.num_batches_tracked" in out["state_dict"]
    assert np.all(out["running"][1] > 0) and np.all(np.isfinite(out["eval output"]))
