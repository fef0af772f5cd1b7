"""tinygrad_ed.distributions over matrices: Wishart (covariance matrices, Bartlett's rsample)
and LKJCholesky (Cholesky factors of correlation matrices, the onion sampler). Values and
gradients beside torch (float64, 1e-10), gradcheck, closed forms (p = 1 Wishart is a Gamma,
the Bregman entropy, LKJ normalised for dim 2 with Beta(η, η) correlations), torch's shapes and
validation, sample moments."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from typing import Any

import _distributions as common
import numpy as np
import pytest
from _distributions import Build
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.numgrad import gradcheck

RTOL = 1e-10

values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=0.0,
    check_dtype=False,
    no_gradient=["mode"],
    grad_rtol=1e-9,
    # ψ′ (entropy: through the multivariate digamma) is torch's to ~5e-10 only
    grad_rtols={"entropy": 5e-9},
    grad_atol=1e-12,
    grad_atol_scaled=True,
)


def _spd(rng: np.random.Generator, shape: tuple[int, ...], p: int) -> np.ndarray:
    A = rng.normal(size=(*shape, p, p))
    out: np.ndarray = A @ np.swapaxes(A, -1, -2) + p * np.eye(p)
    return out


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]]:
    rng = np.random.default_rng(1)
    values = _spd(rng, (4, 2), 3)
    return {
        "Wishart covariance": (
            lambda M, p: M.Wishart(p[0], covariance_matrix=p[1] @ p[1].mT + 3 * _eye(M)),
            [np.array([4.5, 7.0]), rng.normal(size=(2, 3, 3))],
            values,
            ["log_prob", "entropy", "mean", "variance", "mode"],
        ),
        "Wishart scale_tril": (
            lambda M, p: M.Wishart(p[0], scale_tril=p[1].tril(-1) + p[2].exp().diag_embed()),
            [np.array([3.5]), rng.normal(size=(3, 3)), rng.normal(size=3) * 0.3],
            values,
            ["log_prob", "entropy", "mean", "variance"],
        ),
        "Wishart precision": (
            lambda M, p: M.Wishart(p[0], precision_matrix=p[1] @ p[1].mT + 3 * _eye(M)),
            [np.array(5.0), rng.normal(size=(3, 3))],
            values,
            ["log_prob", "entropy", "mean", "variance"],
        ),
        "LKJCholesky": (
            lambda M, p: M.LKJCholesky(4, p[0]),
            [np.array([0.5, 1.0, 3.0])],
            np.stack([_corr_chol(rng, 4) for _ in range(6)]).reshape(2, 3, 4, 4),
            ["log_prob"],
        ),
    }


def _eye(M: Any) -> Any:
    """The 3 × 3 identity, float64, in either library."""
    return (tg if M is D else _torch()).eye(3, dtype=(tg if M is D else _torch()).float64)


def _corr_chol(rng: np.random.Generator, n: int) -> np.ndarray:
    out: np.ndarray = np.linalg.cholesky(np.corrcoef(rng.normal(size=(n, n + 3))))
    return out


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_are_torchs(name: str) -> None:
    build, params, value, methods = CASES[name]
    values_and_gradients_beside_torch(name, build, params, value, methods)


@pytest.mark.parametrize("name", sorted(CASES))
def test_methods_gradcheck(name: str) -> None:
    build, params, value, methods = CASES[name]
    common.assert_methods_gradcheck(name, build, params, value, [m for m in methods if m != "mode"])


def test_wishart_rsample_gradcheck_and_no_warning() -> None:
    """Bartlett's rsample is smooth in ν and Σ for fixed noise (gradcheck, the χ² part by the
    implicit Gamma gradient), and a well-conditioned draw raises no 'Singular sample'
    warning (torch 2.13 warns on every call)."""
    torch = _torch()
    rng = np.random.default_rng(2)
    params = [np.array([4.5, 6.0]), rng.normal(size=(3, 3))]

    def f(df: tg.Tensor, A: tg.Tensor) -> tg.Tensor:
        tg.manual_seed(7)
        cov = A @ A.mT + 3 * tg.eye(3, dtype=tg.float64)
        out: tg.Tensor = D.Wishart(df, covariance_matrix=cov).rsample((2,))
        return out

    assert gradcheck(f, params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(*[tg.tensor(p) for p in params])
    with pytest.warns(UserWarning, match="Singular sample detected"):
        torch.distributions.Wishart(torch.tensor(5.0), torch.eye(3)).rsample()


def test_wishart_closed_forms() -> None:
    """p = 1: W(ν, σ²) is Gamma(ν/2, 1/(2σ²)) (1e-12); the entropy is the ExponentialFamily
    Bregman form of the log normaliser (1e-10); over 20000 draws the sample mean is νΣ and the
    sample variance ν(Σᵢⱼ² + ΣᵢᵢΣⱼⱼ) within 5 standard errors; every draw is positive
    definite."""
    x = tg.tensor([[[0.3]], [[2.0]], [[7.5]]], dtype=tg.float64)
    w = D.Wishart(
        tg.tensor(3.5, dtype=tg.float64), covariance_matrix=tg.tensor([[1.7]], dtype=tg.float64)
    )
    np.testing.assert_allclose(
        w.log_prob(x).numpy(),
        D.Gamma(tg.tensor(1.75, dtype=tg.float64), 1 / 3.4).log_prob(x[:, 0, 0]).numpy(),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        w.entropy().numpy(),
        D.Gamma(tg.tensor(1.75, dtype=tg.float64), 1 / 3.4).entropy().numpy(),
        rtol=1e-12,
    )
    rng = np.random.default_rng(4)
    cov = _spd(rng, (2,), 3)
    dist = D.Wishart(tg.tensor([4.0, 9.0], dtype=tg.float64), covariance_matrix=tg.tensor(cov))
    np.testing.assert_allclose(
        D.ExponentialFamily.entropy(dist).numpy(force=True), dist.entropy().numpy(), rtol=1e-10
    )
    tg.manual_seed(5)
    n = 20_000
    X = dist.sample((n,)).numpy()
    assert np.all(np.linalg.eigvalsh(X) > 0)
    mean, var = dist.mean.numpy(), dist.variance.numpy()
    assert np.all(np.abs(X.mean(0) - mean) < 5 * np.sqrt(var / n))
    fourth = ((X - mean) ** 4).mean(0)
    assert np.all(np.abs(X.var(0) - var) < 5 * np.sqrt((fourth - var**2) / n))


def test_lkj_cholesky_closed_forms_and_samples() -> None:
    """dim 2: L = [[1, 0], [r, √(1 − r²)]] and ∫ p(L(r)) dr = 1 for several η; the
    correlation r of 20000 draws has (r + 1)/2 ~ Beta(η, η) (KS below 1.95/√n); for dim 4
    every draw is a correlation Cholesky factor (unit rows) and the mean of LLᵀ is I."""
    theta = np.linspace(-np.pi / 2, np.pi / 2, 400_001)
    r = np.sin(theta)  # dr = cos θ dθ absorbs η = ½'s (1 − r²)^{−½} at ±1
    L = np.zeros((len(r), 2, 2))
    L[:, 0, 0], L[:, 1, 0], L[:, 1, 1] = 1.0, r, np.cos(theta)
    eta = np.array([0.5, 1.0, 4.0])
    dist = D.LKJCholesky(2, tg.tensor(eta), validate_args=False)
    dens = dist.log_prob(tg.tensor(L[:, None])).exp().numpy()
    mass = np.trapezoid(dens * np.cos(theta)[:, None], theta, axis=0)
    np.testing.assert_allclose(mass, 1.0, rtol=1e-9)
    n = 20_000
    tg.manual_seed(6)
    draws = dist.sample((n,)).numpy()
    u = tg.tensor((draws[..., 1, 0] + 1) / 2)
    c = np.sort(_beta_cdf(u.numpy(), eta), 0)
    hi = np.arange(1, n + 1)[:, None] / n
    assert np.all(np.maximum(np.abs(c - hi), np.abs(c - (hi - 1 / n))).max(0) < 1.95 / math.sqrt(n))
    big = D.LKJCholesky(4, 2.0).sample((5000,))
    assert bool(D.constraints.corr_cholesky.check(big).all())
    corr = (big @ big.mT).mean(0).numpy()
    np.testing.assert_allclose(corr, np.eye(4), atol=0.03)


def _beta_cdf(x: np.ndarray, a: np.ndarray) -> np.ndarray:
    """The Beta(a, a) cdf by quadrature in t, x = sin²(πt/2): x^{a−1}(1 − x)^{a−1}dx =
    π(sin cos)^{2a−1}dt, smooth at the ends for a = ½."""
    t = np.linspace(0, 1, 200_001)
    grid = np.sin(np.pi * t / 2) ** 2
    out = np.empty_like(x)
    for j, aj in enumerate(a):
        dens = np.pi * (np.sin(np.pi * t / 2) * np.cos(np.pi * t / 2)) ** (2 * aj - 1)
        cdf = np.concatenate([[0.0], np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(t))])
        out[:, j] = np.interp(x[:, j], grid, cdf / cdf[-1])
    return out


SHAPES: list[tuple[Build, list[tuple[int, ...]]]] = [
    (
        lambda M, p: M.Wishart(p[0].abs() + 3, covariance_matrix=p[1] @ p[1].mT + _eye(M)),
        [(), (3, 3)],
    ),
    (lambda M, p: M.Wishart(p[0].abs() + 3, scale_tril=p[1].tril(-1) + _eye(M)), [(2,), (3, 3)]),
    (
        lambda M, p: M.Wishart(p[0].abs() + 3, precision_matrix=p[1] @ p[1].mT + _eye(M)),
        [(4, 1), (2, 3, 3)],
    ),
    (lambda M, p: M.LKJCholesky(3, p[0].abs() + 0.5), [()]),
    (lambda M, p: M.LKJCholesky(5, p[0].abs() + 0.5), [(2, 3)]),
]


@pytest.mark.parametrize("case", range(len(SHAPES)))
@pytest.mark.parametrize("sample_shape", [(), (4,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    build, shapes = SHAPES[case]
    params = [np.random.default_rng(6).normal(size=s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    assert repr(ours.support) == repr(ref.support) and ours.has_rsample == ref.has_rsample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's 'Singular sample detected.'
        x, ref_x = ours.sample(sample_shape), ref.sample(sample_shape)
    assert x.shape == tuple(ref_x.shape)
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy())).shape)
    wide, ref_wide = common.expanded_beside_torch(ours, ref, 5)
    assert wide.sample(sample_shape).shape == (
        *sample_shape,
        *ref_wide.batch_shape,
        *ref.event_shape,
    )
    if isinstance(ours, D.Wishart):
        for attr in ("mean", "variance", "mode"):
            assert getattr(ours, attr).shape == tuple(getattr(ref, attr).shape)
        assert ours.entropy().shape == tuple(ref.entropy().shape)


BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Wishart two", lambda M, t: M.Wishart(3.0, t([[1.0]]), scale_tril=t([[1.0]]))),
    ("Wishart 1-d", lambda M, t: M.Wishart(3.0, t([1.0]))),
    ("Wishart df", lambda M, t: M.Wishart(0.5, t([[1.0, 0], [0, 1]]))),
    ("Wishart not pd", lambda M, t: M.Wishart(3.0, t([[1.0, 2], [2, 1]]))),
    (
        "Wishart value",
        lambda M, t: M.Wishart(3.0, t([[1.0, 0], [0, 1]])).log_prob(t([[1.0, 2], [2, 1]])),
    ),
    ("LKJ dim", lambda M, t: M.LKJCholesky(1)),
    ("LKJ concentration", lambda M, t: M.LKJCholesky(3, t([0.0]))),
    ("LKJ value", lambda M, t: M.LKJCholesky(2).log_prob(t([[1.0, 0], [0.5, 0.5]]))),
]


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    common.assert_raises_as_torch(dict(BAD)[case], common.first_line_without_trailing_zeros)


def test_low_df_warns_as_torch() -> None:
    torch = _torch()
    with pytest.warns(UserWarning, match="Low df values detected") as ref:
        torch.distributions.Wishart(torch.tensor(1.5), torch.eye(2))
    with pytest.warns(UserWarning) as ours:
        D.Wishart(tg.tensor(1.5), tg.eye(2))
    assert str(ours[0].message) == str(ref[0].message)
