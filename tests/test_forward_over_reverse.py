"""Forward mode composed with reverse mode: ``autograd.functional.jacobian(strategy=
"forward-mode")`` (a column per forward pass), the forward-over-reverse Hessian
(``hessian(outer_jacobian_strategy="forward-mode")``), and forward AD through a backward pass,
whose rules read the op's output (exp, prod, sigmoid, …): the tangent of a gradient is a
Hessian-vector product.

Checked against the reverse-mode results, against central differences of the gradient, and
beside torch 2.13 where it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

AF = tg.autograd.functional
fwAD = tg.autograd.forward_ad

# Scalar functions whose gradients' rules read the forward outputs (exp, prod, sigmoid, tanh,
# sqrt, softmax, pow) or only the inputs (sin, a cube).
SCALARS: dict[str, Callable[[Any], Any]] = {
    "exp": lambda x: x.exp().sum(),
    "prod": lambda x: x.prod(),
    "sigmoid*tanh": lambda x: (x.sigmoid() * x.tanh()).sum(),
    "sin*prod": lambda x: (x.sin() * x.prod()).sum(),
    "sqrt/exp": lambda x: (x.sqrt() / x.exp()).sum(),
    "softmax": lambda x: (x.softmax(0) * x).sum(),
    "log_softmax": lambda x: (x.log_softmax(0) ** 2).sum(),
    "pow": lambda x: (x**x).sum(),
    "cube": lambda x: (x**3).sum(),
}
X = [0.5, 1.3, 0.7]
V = [1.0, -0.5, 2.0]


def _gradient(f: Callable[[Any], Any], x: np.ndarray) -> np.ndarray:
    t = tg.tensor(x, requires_grad=True)
    (g,) = tg.autograd.grad(f(t), t)
    return g.data


@pytest.mark.parametrize("name", list(SCALARS))
@pytest.mark.parametrize("create_graph", [False, True])
def test_tangent_of_a_gradient_is_a_hessian_vector_product(name: str, create_graph: bool) -> None:
    f = SCALARS[name]
    x = tg.tensor(X, dtype=tg.float64, requires_grad=True)
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, tg.tensor(V, dtype=tg.float64))
        (g,) = tg.autograd.grad(f(dual), dual, create_graph=create_graph)
        tangent = fwAD.unpack_dual(g).tangent
    assert tangent is not None
    h = 1e-6  # central differences of the gradient along V
    x0, v = np.array(X), np.array(V)
    fd = (_gradient(f, x0 + h * v) - _gradient(f, x0 - h * v)) / (2 * h)
    np.testing.assert_allclose(tangent.data, fd, rtol=1e-7, atol=1e-8)
    hvp = AF.hvp(f, tg.tensor(X, dtype=tg.float64), tg.tensor(V, dtype=tg.float64))[1]
    np.testing.assert_allclose(tangent.data, hvp.data, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", list(SCALARS))
def test_forward_over_reverse_hessian_equals_reverse_hessian(name: str) -> None:
    f, x = SCALARS[name], tg.tensor(X, dtype=tg.float64)
    forward = AF.hessian(f, x, vectorize=True, outer_jacobian_strategy="forward-mode")
    np.testing.assert_allclose(forward.data, AF.hessian(f, x).data, rtol=1e-12, atol=1e-13)


def test_forward_mode_jacobian_equals_reverse_mode() -> None:
    x = tg.tensor(X, dtype=tg.float64)
    w = tg.tensor([[0.5, 1.5], [-0.7, 0.2]], dtype=tg.float64)

    def f(x: Any, w: Any) -> Any:
        return (x[:2] @ w).tanh() * x[2], (w**2).sum(), x.exp()

    forward = AF.jacobian(f, (x, w), vectorize=True, strategy="forward-mode")
    reverse = AF.jacobian(f, (x, w))
    for row_f, row_r in zip(forward, reverse):
        for a, b in zip(row_f, row_r):
            assert a.shape == b.shape and not a.requires_grad
            np.testing.assert_allclose(a.data, b.data, rtol=1e-13, atol=1e-15)
    # one tensor in, one out: a tensor; an input of no elements: an empty Jacobian
    single = AF.jacobian(lambda x: x.sin() * x.sum(), x, vectorize=True, strategy="forward-mode")
    assert single.shape == (3, 3)
    empty = AF.jacobian(lambda x: x * 2, tg.zeros(0), vectorize=True, strategy="forward-mode")
    assert empty.shape == (0, 0)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_forward_modes_match_torch() -> None:
    torch = pytest.importorskip("torch")

    def story(lib: Any) -> list[Any]:
        F = lib.autograd.functional
        x = lib.tensor(X, dtype=lib.float64)
        out = [
            F.jacobian(
                lambda x: (x.sin() * x.sum()).exp(), x, vectorize=True, strategy="forward-mode"
            ).tolist()
        ]
        for f in SCALARS.values():
            out.append(
                F.hessian(f, x, vectorize=True, outer_jacobian_strategy="forward-mode").tolist()
            )
            xd = lib.tensor(X, dtype=lib.float64, requires_grad=True)
            with lib.autograd.forward_ad.dual_level():
                d = lib.autograd.forward_ad.make_dual(xd, lib.tensor(V, dtype=lib.float64))
                (g,) = lib.autograd.grad(f(d), d)
                out.append(lib.autograd.forward_ad.unpack_dual(g).tangent.tolist())
        return out

    for a, b in zip(story(tg), story(torch)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13)
