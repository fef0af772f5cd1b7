"""tg.linalg's second pass: the spectral matrix norms (2, −2, 'nuc'), qr's backward by a
triangular solve, tensorinv and tensorsolve.

Values and gradients against torch in float64 (skipped without torch), gradcheck and
gradgradcheck of the composed functions, and torch's errors for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def _against_torch(fn: Callable[..., Any], *arrays: np.ndarray, atol: float = 1e-9) -> None:
    """fn(lib, *tensors) → a tensor: its value, and the gradients of the sum of its squares
    weighted by a fixed pattern, match torch's."""
    torch = pytest.importorskip("torch")
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = fn(tg, *ours), fn(torch, *theirs)
    assert tuple(out.shape) == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-9, atol=atol)
    weights = np.arange(1.0, 1.0 + out.data.size).reshape(out.shape)
    (out * out * tg.tensor(weights)).sum().backward()
    (expected * expected * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        assert a.grad is not None and b.grad is not None
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-7, atol=atol)


# ---- matrix_norm with ord 2, −2, 'nuc' -----------------------------------------------------


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize(
    ("shape", "dim", "keepdim"),
    [
        ((3, 4), (-2, -1), False),
        ((4, 3), (-2, -1), True),
        ((2, 3, 4), (-2, -1), False),
        ((2, 3, 4), (0, 2), True),
        ((2, 3, 4), (2, 0), False),
        ((3, 2, 2, 3), (1, -1), True),
    ],
)
def test_spectral_matrix_norms_match_torch(
    ord: Any, shape: tuple[int, ...], dim: tuple[int, int], keepdim: bool
) -> None:
    _against_torch(lambda lib, a: lib.linalg.matrix_norm(a, ord, dim, keepdim), _rand(*shape))


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
def test_norm_dispatches_to_the_spectral_norms_as_torch(ord: Any) -> None:
    a = _rand(3, 4, seed=1)
    _against_torch(lambda lib, x: lib.linalg.norm(x, ord), a)
    _against_torch(lambda lib, x: lib.linalg.norm(x, ord, (2, 0), True), _rand(3, 2, 4))
    if ord == "nuc":  # torch.norm takes numbers as vector norms, 'nuc' as the matrix norm
        _against_torch(lambda lib, x: lib.norm(x, "nuc"), a)
        _against_torch(lambda lib, x: lib.norm(x, "nuc", (0, 2), True), _rand(3, 2, 4))
        _against_torch(lambda lib, x: x.norm("nuc", dim=(1, 2)), _rand(3, 2, 4))


def test_spectral_norms_at_repeated_singular_values_match_torch() -> None:
    """The identity and a rotation have all singular values equal: svdvals' gradient is
    defined there, and amax/amin share it among the ties as torch's."""
    rotation = np.array([[0.6, -0.8], [0.8, 0.6]])
    for a in (np.eye(3), rotation, np.zeros((2, 3))):
        for ord in (2, -2, "nuc"):
            if ord != "nuc" and not a.any():
                continue  # σ = 0 is a kink of the norm, where torch's svdvals rule is 0/0
            _against_torch(lambda lib, x, o=ord: lib.linalg.matrix_norm(x, o), a)


def test_spectral_norms_gradcheck() -> None:
    a = tg.tensor(_rand(2, 3, 4, seed=2), requires_grad=True)
    for ord in (2, -2, "nuc"):
        assert gradcheck(lambda x, o=ord: tg.linalg.matrix_norm(x, o, (0, 2)), (a,))
        assert gradgradcheck(lambda x, o=ord: tg.linalg.matrix_norm(x, o), (a,))


def test_spectral_norms_of_empty_matrices_and_bad_orders() -> None:
    empty = tg.zeros(3, 0, dtype=tg.float64)
    assert tg.linalg.matrix_norm(empty, 2).item() == 0.0
    assert tg.linalg.matrix_norm(empty, "nuc").item() == 0.0
    with pytest.raises(IndexError, match=r"matrix_norm: ord=-2 of empty matrices \(shape \(3, 0"):
        tg.linalg.matrix_norm(empty, -2)
    a = tg.tensor(_rand(3, 3))
    with pytest.raises(RuntimeError, match="matrix_norm: Order 3 not supported"):
        tg.linalg.matrix_norm(a, 3)
    with pytest.raises(RuntimeError, match="matrix_norm: Order abc not supported"):
        tg.linalg.matrix_norm(a, "abc")
    with pytest.raises(TypeError, match="matrix_norm: ord must be a number"):
        tg.linalg.matrix_norm(a, None)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"matrix_norm: dim must be a 2-tuple\. Got 1"):
        tg.norm(tg.tensor(_rand(2, 3, 4)), "nuc", dim=1)
    with pytest.raises(RuntimeError, match=r"matrix_norm: dim must be a 2-tuple. Got \(0, 1, 2"):
        tg.norm(tg.tensor(_rand(2, 3, 4)), "nuc")


# ---- qr's backward: a triangular solve ------------------------------------------------------


@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5), (2, 4, 3)])
def test_qr_gradient_matches_torch(shape: tuple[int, ...]) -> None:
    # Q diag(sign R) and diag(sign R) R do not depend on LAPACK's signs
    def loss(lib: Any, a: Any) -> Any:
        q, r = lib.linalg.qr(a)
        signs = r.diagonal(0, -2, -1).sign()
        return (q * signs.unsqueeze(-2)).sin().sum() + (r * signs.unsqueeze(-1)).cos().sum()

    _against_torch(loss, _rand(*shape, seed=3))


def test_qr_gradient_of_an_ill_conditioned_matrix_is_accurate() -> None:
    """At condition number 1e10 the gradient (a triangular solve, as torch's) agrees with
    torch's to 1e-6 relative (7e-7 at worst over 20 seeds)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    u, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    v, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    a = u[:, :4] @ np.diag(np.logspace(0, -10, 4)) @ v.T
    weights = rng.standard_normal((6, 4))
    x, y = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    for lib, t in ((tg, x), (torch, y)):
        q, r = lib.linalg.qr(t)
        (q * r.diagonal().sign() * lib.tensor(weights)).sum().backward()
    assert x.grad is not None and y.grad is not None
    scale = np.abs(y.grad.numpy()).max()
    assert np.abs(x.grad.data - y.grad.numpy()).max() <= 1e-6 * scale


def test_qr_backward_refuses_a_zero_on_rs_diagonal() -> None:
    x = tg.tensor([[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]], requires_grad=True)
    q, r = tg.linalg.qr(x)
    with pytest.raises(RuntimeError, match=r"linalg.qr: the derivative needs R's diagonal"):
        (q.sum() + r.sum()).backward()


# ---- tensorinv and tensorsolve --------------------------------------------------------------


@pytest.mark.parametrize(("shape", "ind"), [((2, 3, 6), 2), ((6, 2, 3), 1), ((2, 2, 4), 2)])
def test_tensorinv_matches_torch(shape: tuple[int, ...], ind: int) -> None:
    _against_torch(lambda lib, a: lib.linalg.tensorinv(a, ind), _rand(*shape, seed=5))


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "dims"),
    [((6, 2, 3), (6,), None), ((2, 3, 6), (2, 3), None), ((2, 6, 3), (2, 3), (1,)),
     ((2, 3, 6), (3, 2), None), ((2, 3, 2, 3), (2, 3), (0, -1))],
)  # fmt: skip
def test_tensorsolve_matches_torch(
    a_shape: tuple[int, ...], b_shape: tuple[int, ...], dims: tuple[int, ...] | None
) -> None:
    _against_torch(
        lambda lib, a, b: lib.linalg.tensorsolve(a, b, dims), _rand(*a_shape), _rand(*b_shape)
    )


def test_tensorinv_and_tensorsolve_gradcheck_and_invert() -> None:
    a = tg.tensor(_rand(2, 3, 6, seed=6), requires_grad=True)
    b = tg.tensor(_rand(2, 3, seed=7), requires_grad=True)
    assert gradgradcheck(lambda x: tg.linalg.tensorinv(x), (a,))
    assert gradcheck(lambda x, y: tg.linalg.tensorsolve(x, y), (a, b))
    inverse = tg.linalg.tensorinv(a).data
    np.testing.assert_allclose(
        np.tensordot(a.data, inverse, 1), np.eye(6).reshape(2, 3, 2, 3), atol=1e-12
    )
    x = tg.linalg.tensorsolve(a, b).data
    np.testing.assert_allclose(np.tensordot(a.data, x, 1), b.data, atol=1e-12)


def test_tensorinv_and_tensorsolve_bad_input() -> None:
    a = tg.tensor(_rand(2, 3, 6))
    with pytest.raises(RuntimeError, match="tensorinv: Expected a strictly positive integer"):
        tg.linalg.tensorinv(a, 0)
    with pytest.raises(TypeError, match="tensorinv: argument 'ind' must be int, not float"):
        tg.linalg.tensorinv(a, 2.0)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"but got 18 != 2 \(shape \(2, 3, 6\), ind=1\)"):
        tg.linalg.tensorinv(a, 1)
    with pytest.raises(tg.linalg.LinAlgError, match=r"linalg\.inv: .*singular"):
        tg.linalg.tensorinv(tg.zeros(2, 2, 2, 2, dtype=tg.float64))
    with pytest.raises(RuntimeError, match=r"tensorsolve: .*but got 6 != 5"):
        tg.linalg.tensorsolve(tg.tensor(_rand(5, 2, 3)), tg.tensor(_rand(5)))
    with pytest.raises(IndexError, match="tensorsolve"):
        tg.linalg.tensorsolve(tg.tensor(_rand(6, 2, 3)), tg.tensor(_rand(6)), dims=(5,))
    with pytest.raises(RuntimeError, match="tensorsolve: repeated dim"):
        tg.linalg.tensorsolve(a, tg.tensor(_rand(2, 3)), dims=(0, 0))
    with pytest.raises(tg.linalg.LinAlgError, match=r"tensorsolve: .*singular"):
        tg.linalg.tensorsolve(tg.zeros(2, 3, 6, dtype=tg.float64), tg.tensor(_rand(2, 3)))
