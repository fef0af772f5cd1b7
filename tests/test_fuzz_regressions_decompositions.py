"""Regressions the differential fuzzers found in the decompositions' second derivatives (an
all-zero adjoint that depended on the inputs, repeated eigenvalues and singular values under
create_graph), each compared with torch 2.13."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg


def _second_derivative(lib: Any, factor: Callable[[Any], Any], a: np.ndarray) -> np.ndarray:
    """x̿ of Σ ḡ·v for ḡ = ∂/∂x Σ w·(F − F₀)², F a factor of a decomposition of x: ḡ is
    exactly 0 at x (its derivative is not), so a rule that skips an all-zero adjoint drops it."""
    x = lib.tensor(a, requires_grad=True)
    f = factor(x)
    w = lib.tensor(np.linspace(-1.0, 2.0, f.numel()).reshape(tuple(f.shape)))
    loss = (w * (f - f.detach()) ** 2).sum()
    (g,) = lib.autograd.grad(loss, [x], create_graph=True)
    assert not np.any(g.detach().numpy())
    v = lib.tensor(np.linspace(0.5, 1.5, a.size).reshape(a.shape))
    (g2,) = lib.autograd.grad((g * v).sum(), [x])
    return np.asarray(g2.numpy())


def _sym(lib: Any, x: Any) -> Any:
    return (x + x.mT) * 0.5 + lib.tensor(np.diag([0.0, 3.0, 7.0]))


FACTORS: dict[str, Callable[[Any], Any]] = {
    "eigh vectors": lambda x: _linalg(x).eigh(_sym(_lib(x), x)).eigenvectors.abs(),
    "svd U (tall)": lambda x: _linalg(x).svd(x, full_matrices=False)[0].abs(),
    "svd Vh (tall)": lambda x: _linalg(x).svd(x, full_matrices=False)[2].abs(),
    "svd U (wide)": lambda x: _linalg(x).svd(x.mT, full_matrices=False)[0].abs(),
    "svd Vh (wide)": lambda x: _linalg(x).svd(x.mT, full_matrices=False)[2].abs(),
}


def _lib(x: Any) -> Any:
    return tg if isinstance(x, tg.Tensor) else __import__("torch")


def _linalg(x: Any) -> Any:
    return _lib(x).linalg


@pytest.mark.parametrize("name", list(FACTORS))
def test_decomposition_second_derivative_through_a_zero_adjoint(name: str) -> None:
    """s18b seed 13192: eigh's (and svd's) rule skipped V̄ when it was all zeros, so under
    create_graph the derivative of that zero adjoint was lost (x̿ = 0 against torch's 2.5e-4)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (3, 3)) if name.startswith("eigh") else rng.uniform(-1, 1, (4, 2))
    ours = _second_derivative(tg, FACTORS[name], a)
    theirs = _second_derivative(torch, FACTORS[name], a)
    assert np.abs(theirs).max() > 1e-3
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_eigvalsh_and_svdvals_at_repeated_values_under_create_graph() -> None:
    """The unused factor's zero adjoint now enters the rule under create_graph; at repeated
    eigenvalues (singular values) its term must stay 0, not 0/0, so the first derivative is
    torch's finite one (the second is nan in both: the eigenvectors' derivative is undefined)."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (tg, torch):
        x = lib.tensor(np.eye(3) * 2.0, requires_grad=True)
        (g,) = lib.autograd.grad((lib.linalg.eigvalsh(x) ** 3).sum(), [x], create_graph=True)
        (g2,) = lib.autograd.grad((g * lib.tensor(np.arange(9.0).reshape(3, 3))).sum(), [x])
        y = lib.tensor(np.eye(3, 2) * 1.5, requires_grad=True)
        (h,) = lib.autograd.grad((lib.linalg.svdvals(y) ** 3).sum(), [y], create_graph=True)
        (h2,) = lib.autograd.grad((h * lib.tensor(np.arange(6.0).reshape(3, 2))).sum(), [y])
        results.append([np.asarray(t.detach().numpy()) for t in (g, g2, h, h2)])
    ours, theirs = results
    assert np.isfinite(ours[0]).all() and np.isfinite(ours[2]).all()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
