"""tinygrad_ed.distributions' remaining families: Multinomial, NegativeBinomial,
MixtureSameFamily, LowRankMultivariateNormal, HalfCauchy, Weibull, Pareto, Kumaraswamy,
VonMises, FisherSnedecor, ContinuousBernoulli, LogisticNormal and ExponentialFamily. Values and
gradients beside torch.distributions (float64, 1e-10; VonMises beside mpmath, since torch's
Bessel polynomials are good to ~1e-7 only), finite differences, closed forms (densities
integrate to 1, Σ pmf = 1, moments and entropies by quadrature), torch's shapes and validation
errors, and the statistics of samples."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import _distributions as common
import numpy as np
import pytest
from _distributions import Build
from _distributions import rng as _rng
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.numgrad import gradcheck

RTOL = 1e-10
# Gradients through ψ′ (trigamma: Kumaraswamy's entropy) are torch's to its ψ′ accuracy, ~5e-10
# relative (test_distributions_gamma.test_entropy_gradient_is_exact checks ours against mpmath).
GRAD_RTOL = {"entropy": 5e-9}
values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=1e-12,
    grad_rtol=RTOL,
    grad_rtols=GRAD_RTOL,
    grad_atol=1e-11,
)

STATS = ["mean", "variance"]


def _mixture(M: Any, p: list[Any]) -> Any:
    """A batch of two mixtures of three Gaussians (the course's mixture of Gaussians)."""
    return M.MixtureSameFamily(M.Categorical(logits=p[0]), M.Normal(p[1], p[2]))


def _mixture_mvn(M: Any, p: list[Any]) -> Any:
    """Mixtures of three diagonal Gaussians in ℝ²."""
    comp = M.Independent(M.Normal(p[1], p[2]), 1)
    return M.MixtureSameFamily(M.Categorical(logits=p[0]), comp)


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]]:
    rng = _rng(1)
    counts = rng.multinomial(7, [0.2, 0.3, 0.1, 0.4], size=(5, 2)).astype(float)
    return {
        "Multinomial": (
            lambda M, p: M.Multinomial(7, probs=p[0]),
            [rng.uniform(0.1, 1.0, (2, 4))],
            counts,
            ["log_prob", *STATS],  # entropy: test_multinomial_entropy
        ),
        "Multinomial logits": (
            lambda M, p: M.Multinomial(7, logits=p[0]),
            [rng.normal(size=(2, 4))],
            counts,
            ["log_prob", *STATS],
        ),
        "NegativeBinomial": (
            lambda M, p: M.NegativeBinomial(p[0], probs=p[1]),
            [rng.uniform(0.5, 5.0, (3,)), rng.uniform(0.1, 0.9, (2, 3))],
            rng.integers(0, 12, (4, 2, 3)).astype(float),
            ["log_prob", *STATS, "mode"],
        ),
        "NegativeBinomial logits": (
            lambda M, p: M.NegativeBinomial(p[0], logits=p[1]),
            [rng.uniform(0.5, 5.0, (3,)), rng.normal(size=(2, 3))],
            rng.integers(0, 12, (4, 2, 3)).astype(float),
            ["log_prob", *STATS],
        ),
        "MixtureSameFamily": (
            _mixture,
            [rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.uniform(0.5, 2.0, (3,))],
            rng.normal(size=(4, 2)) * 2,
            ["log_prob", "cdf", *STATS],
        ),
        "MixtureSameFamily Independent": (
            _mixture_mvn,
            [rng.normal(size=(3,)), rng.normal(size=(3, 2)), rng.uniform(0.5, 2.0, (3, 2))],
            rng.normal(size=(4, 2)) * 2,
            ["log_prob", *STATS],
        ),
        "LowRankMultivariateNormal": (
            lambda M, p: M.LowRankMultivariateNormal(p[0], p[1], p[2]),
            [rng.normal(size=(2, 4)), rng.normal(size=(4, 2)), rng.uniform(0.5, 2.0, (2, 4))],
            rng.normal(size=(3, 2, 4)),
            [
                "log_prob",
                "entropy",
                *STATS,
                "covariance_matrix",
                "precision_matrix",
                "scale_tril",
            ],
        ),
        "HalfCauchy": (
            lambda M, p: M.HalfCauchy(p[0]),
            [rng.uniform(0.5, 2.0, (3,))],
            np.abs(rng.standard_cauchy((4, 3))),
            ["log_prob", "entropy", "cdf", "icdf", "mean", "mode"],
        ),
        "Weibull": (
            lambda M, p: M.Weibull(p[0], p[1]),
            [rng.uniform(0.5, 2.0, (3,)), rng.uniform(1.2, 4.0, (2, 1))],
            rng.weibull(2.0, (4, 2, 3)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS, "mode"],
        ),
        "Pareto": (
            lambda M, p: M.Pareto(p[0], p[1]),
            [rng.uniform(0.2, 0.9, (3,)), rng.uniform(2.5, 5.0, (2, 1))],
            1.0 + rng.pareto(3.0, (4, 2, 3)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS, "mode"],
        ),
        "Kumaraswamy": (
            lambda M, p: M.Kumaraswamy(p[0], p[1]),
            [rng.uniform(0.5, 3.0, (3,)), rng.uniform(0.5, 3.0, (2, 1))],
            rng.uniform(0.05, 0.95, (4, 2, 3)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "FisherSnedecor": (
            lambda M, p: M.FisherSnedecor(p[0], p[1]),
            [rng.uniform(2.5, 8.0, (3,)), rng.uniform(4.5, 10.0, (2, 1))],
            rng.f(4.0, 6.0, (4, 2, 3)),
            ["log_prob", *STATS, "mode"],
        ),
        "ContinuousBernoulli": (
            lambda M, p: M.ContinuousBernoulli(probs=p[0]),
            [np.array([0.05, 0.3, 0.4995, 0.5002, 0.7, 0.97])],
            rng.uniform(0.01, 0.99, (4, 6)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "ContinuousBernoulli logits": (
            lambda M, p: M.ContinuousBernoulli(logits=p[0]),
            [np.array([-3.0, -0.5, 0.001, 0.8, 4.0])],
            rng.uniform(0.01, 0.99, (4, 5)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "LogisticNormal": (
            lambda M, p: M.LogisticNormal(p[0], p[1]),
            [rng.normal(size=(2, 3)), rng.uniform(0.5, 2.0, (3,))],
            rng.dirichlet(np.ones(4), (5, 2)),
            ["log_prob"],
        ),
    }


CASES = _cases()


def _quantiles(value: np.ndarray) -> np.ndarray:
    """Where icdf is evaluated: spread over (0.05, 0.95), in the value's shape."""
    return np.linspace(0.05, 0.95, value.size).reshape(value.shape)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_are_torchs(name: str) -> None:
    """Every method gives torch's values on the same float64 parameters, and the gradient of a
    random weighting of it reaches each parameter as torch's (1e-10 relative)."""
    build, params, value, methods = CASES[name]
    values_and_gradients_beside_torch(
        name, build, params, value, methods, quantile=_quantiles(value)
    )


def _count_vectors(n: int, k: int) -> np.ndarray:
    """Every vector of k counts summing to n."""
    if k == 1:
        return np.array([[n]])
    return np.array([[i, *rest] for i in range(n + 1) for rest in _count_vectors(n - i, k - 1)])


def test_multinomial_entropy_pmf_and_torchs_float32_term() -> None:
    """Σ pmf = 1 and H = −Σ pmf·log pmf over all count vectors (1e-12); torch's entropy is the
    same but for its log n! term, which it computes in float32 (lgamma of an int64 tensor):
    with that term replaced by the exact one, torch's value is ours to 1e-12, and its gradient
    (the term is a constant) ours to 1e-10."""
    torch = _torch()
    probs = _rng(4).uniform(0.1, 1.0, (2, 4))
    p = tg.tensor(probs, requires_grad=True)
    dist = D.Multinomial(7, probs=p)
    support = tg.tensor(_count_vectors(7, 4).astype(float)).unsqueeze(1)  # (S, 1, 4)
    log_pmf = dist.log_prob(support).numpy(force=True)
    np.testing.assert_allclose(np.exp(log_pmf).sum(0), 1.0, rtol=1e-12)
    H = dist.entropy()
    np.testing.assert_allclose(H.numpy(force=True), -(np.exp(log_pmf) * log_pmf).sum(0), rtol=1e-12)
    pt = torch.tensor(probs, requires_grad=True)
    ref = torch.distributions.Multinomial(7, probs=pt).entropy()
    float32_term = torch.lgamma(torch.tensor(8)).item()
    np.testing.assert_allclose(
        H.numpy(force=True), ref.detach().numpy() + float32_term - math.lgamma(8), rtol=1e-12
    )
    assert abs(float32_term - math.lgamma(8)) > 1e-8  # torch's term is the float32 one
    H.sum().backward()
    ref.sum().backward()
    assert p.grad is not None
    np.testing.assert_allclose(p.grad.numpy(), pt.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("name", sorted(CASES))
def test_methods_gradcheck(name: str) -> None:
    build, params, value, methods = CASES[name]
    if name.startswith("Multinomial"):
        methods = ["log_prob"]  # the rest of Multinomial is covered above
    methods = [m for m in methods if m != "mode"]  # the mode is piecewise constant
    common.assert_methods_gradcheck(name, build, params, value, methods, quantile=_quantiles(value))


RSAMPLE = [n for n in sorted(CASES) if n.split()[0] not in ("Multinomial", "NegativeBinomial")]
RSAMPLE.remove("MixtureSameFamily")
RSAMPLE.remove("MixtureSameFamily Independent")


@pytest.mark.parametrize("name", RSAMPLE)
def test_rsample_gradcheck(name: str) -> None:
    """rsample is a smooth function of the parameters for fixed noise: finite differences
    agree with its gradient (FisherSnedecor's through the implicit Gamma gradient)."""
    build, params, _, _ = CASES[name]
    assert build(D, [tg.tensor(p) for p in params]).has_rsample
    common.assert_rsample_gradcheck(build, params)


# ------------------------------------------------------------------------------------------
# VonMises and ExponentialFamily: beside mpmath and closed forms


def test_von_mises_is_mpmaths_and_torchs_to_its_bessel_accuracy() -> None:
    """log_prob, variance (1 − I₁/I₀) and entropy (log 2πI₀ − κI₁/I₀) agree with mpmath's
    Bessel functions to 1e-13 for κ from 10⁻³ to 500; torch's log_prob and variance (its
    Abramowitz–Stegun polynomials) only to ~1e-6, and torch has no entropy. Gradients in μ
    and κ pass gradcheck; ∂log p/∂κ = cos(θ − μ) − I₁/I₀ to 1e-12."""
    mpmath = pytest.importorskip("mpmath")
    torch = _torch()
    kappa = np.array([1e-3, 0.3, 1.0, 3.7, 3.8, 12.0, 80.0, 500.0])
    loc = np.linspace(-3.0, 3.0, len(kappa))
    theta = np.linspace(-3.1, 3.1, len(kappa))[::-1].copy()
    k = tg.tensor(kappa, requires_grad=True)
    dist = D.VonMises(tg.tensor(loc), k)
    lp = dist.log_prob(tg.tensor(theta))
    with mpmath.workdps(40):
        i0 = [mpmath.besseli(0, mpmath.mpf(x)) for x in kappa]
        i1 = [mpmath.besseli(1, mpmath.mpf(x)) for x in kappa]
        ratio = np.array([float(b / a) for a, b in zip(i0, i1)])
        log_i0 = np.array([float(mpmath.log(a)) for a in i0])
        lp_ref = kappa * np.cos(theta - loc) - math.log(2 * math.pi) - log_i0
        H_ref = math.log(2 * math.pi) + log_i0 - kappa * ratio
    np.testing.assert_allclose(lp.numpy(force=True), lp_ref, rtol=1e-13)
    np.testing.assert_allclose(dist.variance.numpy(force=True), 1 - ratio, rtol=1e-13)
    np.testing.assert_allclose(dist.entropy().numpy(force=True), H_ref, rtol=1e-13, atol=1e-15)
    ref = torch.distributions.VonMises(torch.tensor(loc), torch.tensor(kappa))
    np.testing.assert_allclose(lp.numpy(force=True), ref.log_prob(torch.tensor(theta)), rtol=2e-6)
    np.testing.assert_allclose(dist.variance.numpy(force=True), ref.variance, atol=1e-6)
    assert np.abs(lp.numpy(force=True) - ref.log_prob(torch.tensor(theta)).numpy()).max() > 1e-9
    lp.sum().backward()
    assert k.grad is not None
    np.testing.assert_allclose(k.grad.numpy(), np.cos(theta - loc) - ratio, rtol=1e-12, atol=1e-15)
    for method in ("log_prob", "entropy", "variance"):
        assert gradcheck(
            lambda m, c, method=method: common.evaluate(D.VonMises(m, c), method, tg.tensor(theta)),
            [loc, np.append(kappa[:-1], 50.0)],
        ), method


def test_exponential_family_entropy_is_the_bregman_form() -> None:
    """ExponentialFamily.entropy (A(θ) − θ·A′(θ) − E[log h], A′ by autograd) is the
    ContinuousBernoulli's closed-form entropy away from λ = ½ (1e-10) and torch's
    ExponentialFamily.entropy on torch's ContinuousBernoulli (1e-10); like torch's, it works on
    detached natural parameters, so no gradient reaches the logits."""
    torch = _torch()
    logits = np.array([-4.0, -1.5, -0.3, 0.7, 2.0, 5.0])
    z = tg.tensor(logits, requires_grad=True)
    dist = D.ContinuousBernoulli(logits=z)
    assert isinstance(dist, D.ExponentialFamily)
    bregman = D.ExponentialFamily.entropy(dist)
    np.testing.assert_allclose(
        bregman.numpy(force=True), dist.entropy().numpy(force=True), rtol=1e-10
    )
    ref_dist = torch.distributions.ContinuousBernoulli(logits=torch.tensor(logits))
    ref = torch.distributions.ExponentialFamily.entropy(ref_dist)
    np.testing.assert_allclose(bregman.numpy(force=True), ref.detach().numpy(), rtol=1e-10)
    bregman.sum().backward()
    assert z.grad is None


# ------------------------------------------------------------------------------------------
# closed forms


Map = tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]


def _integral(dist: Any, u: np.ndarray, x_of_u: Map, fn: Callable[..., Any]) -> Any:
    """∫ fn(x, log p(x)) dx = ∫ fn(x(u), log p(x(u)))·x′(u) du, trapezoid rule on the uniform
    grid u (along dim 0); ``x_of_u`` is (x, x′). A nan log-density at an end of the grid (0·∞
    where the density vanishes) counts as −∞."""
    x_fn, dx_fn = x_of_u
    shape = (-1,) + (1,) * len(dist.batch_shape)
    x = x_fn(u).reshape(shape) * np.ones(dist.batch_shape)
    lp = dist.log_prob(tg.tensor(x)).numpy(force=True)
    lp[[0, -1]] = np.where(np.isnan(lp[[0, -1]]), -np.inf, lp[[0, -1]])
    with np.errstate(invalid="ignore"):
        values = np.where(np.isneginf(lp), 0.0, fn(x, lp))
    return np.trapezoid(values * dx_fn(u).reshape(shape), u, axis=0)


IDENTITY: Map = (lambda u: u, np.ones_like)
SQUARE: Map = (np.square, lambda u: 2 * u)
EXP: Map = (np.exp, np.exp)
TAN: Map = (np.tan, lambda u: 1 / np.cos(u) ** 2)
SIN2: Map = (lambda u: np.sin(u) ** 2, lambda u: 2 * np.sin(u) * np.cos(u))
SINH2: Map = (lambda u: np.sinh(u) ** 2, lambda u: 2 * np.sinh(u) * np.cosh(u))


def _f64(*values: Any) -> tg.Tensor:
    return tg.tensor(np.array(values), dtype=tg.float64)


DENSITIES: dict[str, tuple[Any, np.ndarray, Map, tuple[bool, bool]]] = {
    # name: (distribution, u, x(u), (check mean and variance, check entropy))
    "HalfCauchy": (
        D.HalfCauchy(_f64(0.5, 2.0), validate_args=False),
        np.linspace(0, np.pi / 2 - 1e-7, 400_001),
        TAN,  # up to x = 10⁷; the mass beyond is 1 − cdf(x_max)
        (False, True),
    ),
    "Weibull": (
        D.Weibull(_f64(0.5, 2.0, 1.0), _f64(1.5, 3.0, 1.2), validate_args=False),
        np.linspace(0, 12, 600_001),
        SQUARE,
        (True, True),
    ),
    "Pareto": (
        D.Pareto(_f64(1.5, 1.5), _f64(5.0, 7.0)),  # the grid starts at the support's start
        np.linspace(math.log(1.5), 12, 400_001),
        EXP,
        (True, True),
    ),
    "Kumaraswamy": (
        D.Kumaraswamy(_f64(1.2, 2.0, 5.0), _f64(1.5, 3.0, 1.3), validate_args=False),
        np.linspace(0, np.pi / 2, 400_001),
        SIN2,
        (True, True),
    ),
    "FisherSnedecor": (
        D.FisherSnedecor(_f64(3.0, 9.0), _f64(12.0, 20.0), validate_args=False),
        np.linspace(0, 9, 600_001),
        SINH2,
        (True, False),
    ),
    "ContinuousBernoulli": (
        D.ContinuousBernoulli(_f64(0.1, 0.4999, 0.5, 0.9)),
        np.linspace(0, 1, 200_001),
        IDENTITY,
        (True, True),
    ),
    "VonMises": (
        D.VonMises(_f64(0.3, -1.0, 2.0), _f64(0.5, 4.0, 60.0)),
        np.linspace(-np.pi, np.pi, 200_001),
        IDENTITY,
        (False, True),
    ),
    "MixtureSameFamily": (
        D.MixtureSameFamily(
            D.Categorical(_f64(0.2, 0.5, 0.3)), D.Normal(_f64(-2.0, 0.0, 3.0), _f64(0.5, 1.0, 2.0))
        ),
        np.linspace(-20, 25, 200_001),
        IDENTITY,
        (True, False),
    ),
}


@pytest.mark.parametrize("name", sorted(DENSITIES))
def test_densities_integrate_to_one_with_their_moments_and_entropy(name: str) -> None:
    """∫ p = 1, and where the family has them ∫ x p = mean, ∫ (x − mean)² p = variance and
    −∫ p log p = entropy, on grids dense where the density is steep (trapezoid rule)."""
    dist, u, x_of_u, (moments, entropy) = DENSITIES[name]

    def integral(fn: Callable[..., Any]) -> Any:
        return _integral(dist, u, x_of_u, fn)

    end = tg.tensor(x_of_u[0](u[-1:]))
    mass = dist.cdf(end).numpy(force=True) if name == "HalfCauchy" else 1.0
    np.testing.assert_allclose(integral(lambda x, lp: np.exp(lp)), mass, rtol=1e-6)
    if moments:
        mean = dist.mean.numpy(force=True)
        np.testing.assert_allclose(integral(lambda x, lp: x * np.exp(lp)), mean, rtol=1e-6)
        np.testing.assert_allclose(
            integral(lambda x, lp: (x - mean) ** 2 * np.exp(lp)),
            dist.variance.numpy(force=True),
            rtol=1e-5,
        )
    if entropy:
        H = integral(lambda x, lp: -lp * np.exp(lp))
        np.testing.assert_allclose(H, dist.entropy().numpy(force=True), rtol=1e-5, atol=1e-7)


def test_discrete_pmfs_sum_to_one_with_their_moments() -> None:
    """NegativeBinomial: Σₖ pmf = 1, Σ k·pmf = mean, Σ (k − mean)² pmf = variance (k < 3000)
    and the mode is the argmax of the pmf."""
    dist = D.NegativeBinomial(_f64(0.7, 3.0, 10.0), probs=_f64(0.3, 0.8, 0.6))
    k = np.arange(3000.0)[:, None] * np.ones(3)
    pmf = dist.log_prob(tg.tensor(k)).exp().numpy(force=True)
    mean = dist.mean.numpy(force=True)
    np.testing.assert_allclose(pmf.sum(0), 1.0, rtol=1e-12)
    np.testing.assert_allclose((k * pmf).sum(0), mean, rtol=1e-11)
    np.testing.assert_allclose(
        ((k - mean) ** 2 * pmf).sum(0), dist.variance.numpy(force=True), rtol=1e-10
    )
    np.testing.assert_array_equal(pmf.argmax(0), dist.mode.numpy(force=True))


def test_family_identities() -> None:
    """HalfCauchy is |Cauchy| (twice its density); Weibull with k = 1 is the Exponential;
    Pareto's log is an Exponential shifted by log x_m; Kumaraswamy with a = 1 is Beta(1, b);
    F(d₁, d₂) of X is the Beta(d₁/2, d₂/2) of d₁X/(d₁X + d₂) (change of variables);
    LowRankMultivariateNormal is the MultivariateNormal of WWᵀ + D; a mixture with one
    component is that component; Multinomial with n = 1 is the OneHotCategorical;
    NegativeBinomial(1, p) is the number of failures before… the Geometric of 1 − p."""
    x = _f64(0.1, 0.5, 2.0, 9.0)
    close = np.testing.assert_allclose
    close(
        D.HalfCauchy(1.5).log_prob(x).numpy(), D.Cauchy(0.0, 1.5).log_prob(x).numpy() + math.log(2)
    )
    close(
        D.Weibull(_f64(2.0), 1.0).log_prob(x).numpy(),
        D.Exponential(_f64(0.5)).log_prob(x).numpy(),
        rtol=1e-13,
    )
    y = _f64(1.2, 3.0, 7.0)
    close(
        D.Pareto(_f64(1.1), 2.5).log_prob(y).numpy(),
        (D.Exponential(_f64(2.5)).log_prob((y / 1.1).log()) - y.log()).numpy(),
        rtol=1e-13,
    )
    u = _f64(0.1, 0.5, 0.93)
    close(
        D.Kumaraswamy(_f64(1.0), 2.5).log_prob(u).numpy(),
        D.Beta(_f64(1.0), 2.5).log_prob(u).numpy(),
        rtol=1e-12,
    )
    d1, d2 = 3.0, 7.0
    t = d1 * x / (d1 * x + d2)
    jac = (d1 * d2 / (d1 * x + d2) ** 2).log()
    close(
        D.FisherSnedecor(_f64(d1), d2).log_prob(x).numpy(),
        (D.Beta(_f64(d1 / 2), d2 / 2).log_prob(t) + jac).numpy(),
        rtol=1e-12,
    )
    rng = _rng(9)
    loc, W, d = rng.normal(size=4), rng.normal(size=(4, 2)), rng.uniform(0.5, 2.0, 4)
    v = tg.tensor(rng.normal(size=(3, 4)))
    low = D.LowRankMultivariateNormal(tg.tensor(loc), tg.tensor(W), tg.tensor(d))
    full = D.MultivariateNormal(tg.tensor(loc), tg.tensor(W @ W.T + np.diag(d)))
    close(low.log_prob(v).numpy(), full.log_prob(v).numpy(), rtol=1e-12)
    close(low.entropy().numpy(), full.entropy().numpy(), rtol=1e-12)
    close(low.precision_matrix.numpy(), full.precision_matrix.numpy(), rtol=1e-10)
    close(low.scale_tril.numpy(), full.scale_tril.numpy(), rtol=1e-10)
    one = D.MixtureSameFamily(D.Categorical(_f64(1.0)), D.Normal(_f64(0.5), _f64(2.0)))
    close(one.log_prob(x).numpy(), D.Normal(_f64(0.5), 2.0).log_prob(x).numpy(), rtol=1e-13)
    p = _f64(0.2, 0.5, 0.3)
    onehot = tg.eye(3, dtype=tg.float64)
    close(
        D.Multinomial(1, p).log_prob(onehot).numpy(),
        D.OneHotCategorical(p).log_prob(onehot).numpy(),
    )
    k = _f64(0.0, 1.0, 4.0, 10.0)
    close(
        D.NegativeBinomial(1.0, probs=_f64(0.3)).log_prob(k).numpy(),
        D.Geometric(probs=_f64(0.7)).log_prob(k).numpy(),
        rtol=1e-12,
    )


def test_kumaraswamy_mode_maximises_the_density() -> None:
    """The mode ((a − 1)/(ab − 1))^{1/a} is where the density peaks (a, b > 1), nan when a or b
    is below 1, as the density is then unbounded at an end; torch 2.13's formula is nan for
    every b > 1 (log1p(−b)), so it is not the reference."""
    torch = _torch()
    a, b = _f64(1.5, 3.0, 2.0, 0.5), _f64(2.0, 5.0, 1.2, 3.0)
    dist = D.Kumaraswamy(a, b)
    x = np.linspace(0, 1, 1_000_001)[1:-1, None] * np.ones(4)
    peak = x[dist.log_prob(tg.tensor(x)).numpy().argmax(0), np.arange(4)]
    mode = dist.mode.numpy()
    np.testing.assert_allclose(mode[:3], peak[:3], atol=2e-6)
    assert np.isnan(mode[3])
    ref = torch.distributions.Kumaraswamy(torch.tensor(a.numpy()), torch.tensor(b.numpy())).mode
    assert np.isnan(ref.numpy()[:3]).all()


# ------------------------------------------------------------------------------------------
# shapes, validation, samples


def _pos(p: Any) -> Any:
    return p.abs() + 0.5


SHAPE_CASES: list[tuple[Build, list[tuple[int, ...]]]] = [
    (lambda M, p: M.Multinomial(5, probs=_pos(p[0])), [(4,)]),
    (lambda M, p: M.Multinomial(3, logits=p[0]), [(2, 3, 4)]),
    (lambda M, p: M.NegativeBinomial(_pos(p[0]), logits=p[1]), [(), ()]),
    (lambda M, p: M.NegativeBinomial(_pos(p[0]), probs=_pos(p[1]) / 3), [(3, 1), (2,)]),
    (
        lambda M, p: M.MixtureSameFamily(M.Categorical(logits=p[0]), M.Normal(p[1], _pos(p[2]))),
        [(2, 3), (2, 3), (3,)],
    ),
    (
        lambda M, p: M.MixtureSameFamily(
            M.Categorical(logits=p[0]), M.Independent(M.Normal(p[1], _pos(p[2])), 1)
        ),
        [(2, 3), (2, 3, 4), (4,)],
    ),
    (lambda M, p: M.LowRankMultivariateNormal(p[0], p[1], _pos(p[2])), [(3,), (3, 2), (3,)]),
    (
        lambda M, p: M.LowRankMultivariateNormal(p[0], p[1], _pos(p[2])),
        [(2, 1, 3), (4, 3, 1), (3,)],
    ),
    (lambda M, p: M.HalfCauchy(_pos(p[0])), [(2, 3)]),
    (lambda M, p: M.Weibull(_pos(p[0]), _pos(p[1]) + 1), [(3, 1), (2,)]),
    (lambda M, p: M.Pareto(_pos(p[0]), _pos(p[1]) + 2), [(), (3,)]),
    (lambda M, p: M.Kumaraswamy(_pos(p[0]) + 1, _pos(p[1]) + 1), [(3,), (2, 1)]),
    (lambda M, p: M.VonMises(p[0], _pos(p[1])), [(2, 3), (3,)]),
    (lambda M, p: M.FisherSnedecor(_pos(p[0]) + 2, _pos(p[1]) + 4), [(3,), (2, 1)]),
    (lambda M, p: M.ContinuousBernoulli(probs=_pos(p[0]) / 3), [(2, 3)]),
    (lambda M, p: M.ContinuousBernoulli(logits=p[0]), [()]),
    (lambda M, p: M.LogisticNormal(p[0], _pos(p[1])), [(2, 3), (3,)]),
    (lambda M, p: M.LogisticNormal(p[0], _pos(p[1])), [(), ()]),
    (lambda M, p: M.InverseGamma(_pos(p[0]), _pos(p[1])), [(3, 1), (2,)]),
    (lambda M, p: M.OneHotCategoricalStraightThrough(logits=p[0]), [(2, 4)]),
]


@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    """batch_shape, event_shape, support, the shapes and dtypes of samples, log_prob and every
    statistic, and expand, as torch's."""
    build, shapes = SHAPE_CASES[case]
    params = [_rng(6).normal(size=s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    if "tensor(" in repr(ref.support):  # a bound that is a Tensor prints differently
        assert type(ours.support).__name__ == type(ref.support).__name__
    else:
        assert repr(ours.support) == repr(ref.support)
    assert ours.has_rsample == ref.has_rsample
    methods = ("sample", "rsample") if ref.has_rsample else ("sample",)
    for method in methods:
        x, ref_x = getattr(ours, method)(sample_shape), getattr(ref, method)(sample_shape)
        assert x.shape == tuple(ref_x.shape) and x.dtype == ref_x.numpy(force=True).dtype
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy(force=True))).shape)
    for attr in ("mean", "variance", "mode"):
        try:
            ref_value = getattr(ref, attr)
        except NotImplementedError:
            continue
        assert getattr(ours, attr).shape == tuple(ref_value.shape), attr
    try:
        ref_entropy = ref.entropy()
    except NotImplementedError:
        ref_entropy = None
    if ref_entropy is not None:
        assert ours.entropy().shape == tuple(ref_entropy.shape)
    wide, ref_wide = common.expanded_beside_torch(ours, ref)
    assert wide.event_shape == ref_wide.event_shape
    x = wide.sample(sample_shape)
    assert x.shape == tuple(ref_wide.sample(sample_shape).shape)
    assert wide.log_prob(x).shape == tuple(
        ref_wide.log_prob(torch.tensor(x.numpy(force=True))).shape
    )


def _normal(M: Any, t: Callable[..., Any]) -> Any:
    return M.Normal(t([0.0, 1.0]), t([1.0, 1.0]))


BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Multinomial float count", lambda M, t: M.Multinomial(2.0, t([0.5, 0.5]))),
    ("Multinomial both", lambda M, t: M.Multinomial(2, t([0.5, 0.5]), t([0.0, 0.0]))),
    ("Multinomial negative", lambda M, t: M.Multinomial(2, t([-0.5, 0.5]))),
    ("Multinomial value", lambda M, t: M.Multinomial(2, t([0.5, 0.5])).log_prob(t([3.0, 0.0]))),
    ("Multinomial event", lambda M, t: M.Multinomial(2, t([0.5, 0.5])).log_prob(t([1.0, 0, 1]))),
    ("NegativeBinomial neither", lambda M, t: M.NegativeBinomial(t([2.0]))),
    ("NegativeBinomial probs 1", lambda M, t: M.NegativeBinomial(t([2.0]), t([1.0]))),
    ("NegativeBinomial count", lambda M, t: M.NegativeBinomial(t([-1.0]), t([0.5]))),
    (
        "NegativeBinomial value",
        lambda M, t: M.NegativeBinomial(t([2.0]), t([0.5])).log_prob(t([1.5])),
    ),
    ("Mixture not categorical", lambda M, t: M.MixtureSameFamily(_normal(M, t), _normal(M, t))),
    ("Mixture not a dist", lambda M, t: M.MixtureSameFamily(M.Categorical(t([0.5, 0.5])), 3)),
    (
        "Mixture K",
        lambda M, t: M.MixtureSameFamily(M.Categorical(t([0.2, 0.3, 0.5])), _normal(M, t)),
    ),
    (
        "Mixture batch",
        lambda M, t: M.MixtureSameFamily(
            M.Categorical(t([[0.5, 0.5]] * 3)), M.Normal(t([[0.0, 1.0]] * 2), t([1.0, 1.0]))
        ),
    ),
    ("LowRank loc 0-d", lambda M, t: M.LowRankMultivariateNormal(t(0.0), t([[1.0]]), t([1.0]))),
    ("LowRank factor 1-d", lambda M, t: M.LowRankMultivariateNormal(t([0.0]), t([1.0]), t([1.0]))),
    (
        "LowRank factor rows",
        lambda M, t: M.LowRankMultivariateNormal(t([0.0, 0]), t([[1.0]]), t([1.0, 1])),
    ),
    ("LowRank diag", lambda M, t: M.LowRankMultivariateNormal(t([0.0]), t([[1.0]]), t([1.0, 1.0]))),
    (
        "LowRank batch",
        lambda M, t: M.LowRankMultivariateNormal(t([[0.0]] * 2), t([[[1.0]]] * 3), t([1.0])),
    ),
    ("LowRank diag 0", lambda M, t: M.LowRankMultivariateNormal(t([0.0]), t([[1.0]]), t([0.0]))),
    ("HalfCauchy scale", lambda M, t: M.HalfCauchy(t([-1.0]))),
    ("HalfCauchy value", lambda M, t: M.HalfCauchy(t([1.0])).log_prob(t([-1.0]))),
    ("Weibull concentration", lambda M, t: M.Weibull(t([1.0]), t([0.0]))),
    ("Weibull value", lambda M, t: M.Weibull(t([1.0]), t([2.0])).log_prob(t([-1.0]))),
    ("Pareto alpha", lambda M, t: M.Pareto(t([1.0]), t([-2.0]))),
    ("Pareto value", lambda M, t: M.Pareto(t([1.0]), t([2.0])).log_prob(t([0.5]))),
    ("Kumaraswamy", lambda M, t: M.Kumaraswamy(t([0.0]), t([2.0]))),
    ("Kumaraswamy value", lambda M, t: M.Kumaraswamy(t([1.0]), t([2.0])).log_prob(t([1.5]))),
    ("VonMises", lambda M, t: M.VonMises(t([0.0]), t([0.0]))),
    ("VonMises loc", lambda M, t: M.VonMises(t([math.nan]), t([1.0]))),
    ("FisherSnedecor", lambda M, t: M.FisherSnedecor(t([1.0]), t([-1.0]))),
    ("FisherSnedecor value", lambda M, t: M.FisherSnedecor(t([1.0]), t([1.0])).log_prob(t([0.0]))),
    ("ContinuousBernoulli both", lambda M, t: M.ContinuousBernoulli(t([0.5]), t([0.0]))),
    ("ContinuousBernoulli probs", lambda M, t: M.ContinuousBernoulli(t([1.5]), validate_args=True)),
    ("ContinuousBernoulli value", lambda M, t: M.ContinuousBernoulli(t([0.3])).log_prob(t([1.5]))),
    ("LogisticNormal", lambda M, t: M.LogisticNormal(t([0.0]), t([0.0]))),
    ("InverseGamma", lambda M, t: M.InverseGamma(t([0.0]), t([1.0]))),
    ("InverseGamma value", lambda M, t: M.InverseGamma(t([1.0]), t([1.0])).log_prob(t([-1.0]))),
    ("GeneralizedPareto scale", lambda M, t: M.GeneralizedPareto(t([0.0]), t([0.0]), t([0.1]))),
    (
        "LogisticNormal value",
        lambda M, t: M.LogisticNormal(t([0.0]), t([1.0])).log_prob(t([0.5, 0.6])),
    ),
]


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    common.assert_raises_as_torch(dict(BAD)[case], common.first_line_without_trailing_zeros)


KS_CASES: dict[str, Any] = {
    "HalfCauchy": D.HalfCauchy(_f64(0.3, 2.0)),
    "Weibull": D.Weibull(_f64(0.5, 2.0, 1.0), _f64(0.6, 3.0, 1.0)),
    "Pareto": D.Pareto(_f64(0.5, 2.0), _f64(1.5, 7.0)),
    "Kumaraswamy": D.Kumaraswamy(_f64(0.5, 2.0, 5.0), _f64(0.7, 3.0, 1.3)),
    "ContinuousBernoulli": D.ContinuousBernoulli(_f64(0.02, 0.3, 0.5, 0.9)),
    "MixtureSameFamily": D.MixtureSameFamily(
        D.Categorical(_f64(0.2, 0.5, 0.3)), D.Normal(_f64(-2.0, 0.0, 3.0), _f64(0.5, 1.0, 2.0))
    ),
}


@pytest.mark.parametrize("name", sorted(KS_CASES))
def test_univariate_samples_follow_the_cdf(name: str) -> None:
    """KS distance of 20000 draws from the distribution's own cdf below 1.95/√n (a 0.1%
    level per batch entry), for sample and, where there is one, rsample."""
    dist = KS_CASES[name]
    n = 20_000
    for i, method in enumerate(("sample", "rsample") if dist.has_rsample else ("sample",)):
        tg.manual_seed(11 + i)
        x = getattr(dist, method)((n,)).detach()
        ks = common.ks_distance(dist.cdf(x).numpy(force=True))
        assert np.all(ks < 1.95 / math.sqrt(n)), method


def test_von_mises_samples_follow_the_cdf() -> None:
    """The rejection sampler's draws (in [−π, π)) against the cdf integrated from the density
    on a fine grid, KS below 1.95/√n, for κ from 10⁻⁶ (uniform) to 500 (nearly Gaussian)."""
    kappa = np.array([1e-6, 0.4, 2.0, 30.0, 500.0])
    dist = D.VonMises(_f64(0.5, -2.0, 3.0, 0.0, -3.1), tg.tensor(kappa))
    n = 20_000
    tg.manual_seed(17)
    x = dist.sample((n,)).numpy(force=True)
    assert x.dtype == np.float64 and np.all((x >= -math.pi) & (x < math.pi))
    grid = np.linspace(-math.pi, math.pi, 400_001)
    dens = dist.log_prob(tg.tensor(grid[:, None] * np.ones(5))).exp().numpy()
    cdf = np.concatenate(
        [np.zeros((1, 5)), np.cumsum((dens[1:] + dens[:-1]) / 2 * np.diff(grid)[:, None], 0)]
    )
    np.testing.assert_allclose(cdf[-1], 1.0, rtol=1e-8)
    cdf_at_x = np.stack([np.interp(x[:, j], grid, cdf[:, j]) for j in range(5)], 1)
    assert np.all(common.ks_distance(cdf_at_x) < 1.95 / math.sqrt(n))
    float32 = D.VonMises(tg.tensor([0.0]), tg.tensor([1.0])).sample((3,))
    assert float32.dtype == tg.float32


def test_sample_moments() -> None:
    """Over 40000 draws the sample mean is within 5 standard errors of the mean (and the
    sample variance within 5 of the variance where the fourth moment exists) for
    Multinomial, NegativeBinomial, LowRankMultivariateNormal (and its covariance),
    FisherSnedecor and LogisticNormal (the mean of its Gaussian through the inverse
    stick-breaking)."""
    n = 40_000
    tg.manual_seed(19)
    for dist in (
        D.Multinomial(9, _f64(0.1, 0.2, 0.3, 0.4)),
        D.NegativeBinomial(_f64(0.5, 4.0, 20.0), probs=_f64(0.7, 0.3, 0.5)),
        D.FisherSnedecor(_f64(5.0, 12.0), _f64(12.0, 30.0)),
    ):
        x = dist.sample((n,)).numpy(force=True)
        mean, var = dist.mean.numpy(force=True), dist.variance.numpy(force=True)
        assert np.all(np.abs(x.mean(0) - mean) < 5 * np.sqrt(var / n)), type(dist).__name__
        fourth = ((x - mean) ** 4).mean(0)
        assert np.all(np.abs(x.var(0) - var) < 5 * np.sqrt((fourth - var**2) / n)), type(
            dist
        ).__name__
    multinomial = D.Multinomial(9, _f64(0.1, 0.2, 0.3, 0.4)).sample((100,)).numpy()
    assert np.all(multinomial.sum(-1) == 9) and np.all(multinomial == np.round(multinomial))
    rng = _rng(8)
    W = rng.normal(size=(3, 2))
    low = D.LowRankMultivariateNormal(
        tg.tensor(rng.normal(size=3)), tg.tensor(W), _f64(0.5, 1.0, 2.0)
    )
    x = low.rsample((n,)).numpy(force=True)
    cov = low.covariance_matrix.numpy(force=True)
    se = np.sqrt(np.diag(cov) / n)
    assert np.all(np.abs(x.mean(0) - low.mean.numpy(force=True)) < 5 * se)
    assert np.all(
        np.abs(np.cov(x.T) - cov) < 5 * np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / n)
    )
    logistic = D.LogisticNormal(_f64(0.3, -1.0, 2.0), _f64(1.0, 0.5, 2.0))
    y = logistic.sample((n,))
    assert np.allclose(y.sum(-1).numpy(), 1.0) and bool((y > 0).all())
    z = D.transforms.StickBreakingTransform().inv(y).numpy()
    np.testing.assert_array_less(
        np.abs(z.mean(0) - [0.3, -1.0, 2.0]), 5 * np.array([1.0, 0.5, 2.0]) / math.sqrt(n)
    )


def test_mixture_of_gaussians_fits_by_gradient_descent() -> None:
    """The course's mixture of Gaussians: maximising the mean log_prob of 4000 draws from a
    3-component mixture over the logits, means and log-scales (Adam, 300 steps, the means
    started spread over the data) recovers the
    parameters (sorted by mean) to within 0.1."""
    tg.manual_seed(23)
    truth = D.MixtureSameFamily(
        D.Categorical(_f64(0.3, 0.5, 0.2)), D.Normal(_f64(-4.0, 0.0, 5.0), _f64(0.7, 1.0, 0.5))
    )
    x = truth.sample((4000,))
    logits = tg.zeros(3, dtype=tg.float64, requires_grad=True)
    loc = tg.tensor([-2.0, 0.5, 2.0], dtype=tg.float64, requires_grad=True)
    log_scale = tg.zeros(3, dtype=tg.float64, requires_grad=True)
    opt = tg.optim.Adam([logits, loc, log_scale], lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        model = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(loc, log_scale.exp()))
        (-model.log_prob(x).mean()).backward()
        opt.step()
    order = np.argsort(loc.numpy(force=True))
    np.testing.assert_allclose(loc.numpy(force=True)[order], [-4.0, 0.0, 5.0], atol=0.1)
    np.testing.assert_allclose(log_scale.exp().numpy(force=True)[order], [0.7, 1.0, 0.5], atol=0.1)
    probs = logits.softmax(-1).numpy(force=True)[order]
    np.testing.assert_allclose(probs, [0.3, 0.5, 0.2], atol=0.1)


def test_mixture_samples_where_the_two_batch_shapes_differ() -> None:
    """A mixture whose Categorical is shared by the batch (batch shape () against the
    components' (2,)) samples (torch 2.13's gather fails there); each batch entry picks the
    component per draw with the mixture's probabilities."""
    torch = _torch()
    M = torch.distributions
    ref = M.MixtureSameFamily(
        M.Categorical(torch.tensor([0.5, 0.5])), M.Normal(torch.zeros(2, 2), 1.0)
    )
    with pytest.raises(RuntimeError):
        ref.sample()
    dist = D.MixtureSameFamily(
        D.Categorical(_f64(0.25, 0.75)), D.Normal(_f64([-100.0, 100.0], [-50.0, 50.0]), 1.0)
    )
    tg.manual_seed(29)
    x = dist.sample((4000,)).numpy()
    assert x.shape == (4000, 2)
    np.testing.assert_allclose((x > 0).mean(0), 0.75, atol=0.03)


# ------------------------------------------------------------------------------------------
# InverseGamma, GeneralizedPareto, OneHotCategoricalStraightThrough

MORE: dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]] = {
    "InverseGamma": (
        lambda M, p: M.InverseGamma(p[0], p[1]),
        [np.array([0.7, 2.5, 4.0]), np.array([[0.5], [2.0]])],
        1 / np.random.default_rng(2).gamma(2.0, size=(4, 2, 3)),
        ["log_prob", "entropy", *STATS, "mode"],  # cdf: test_inverse_gamma_cdf
    ),
    # torch 2.13's GeneralizedPareto.log_prob and cdf fail in float64 (isclose against a float32
    # zero): they are checked against the closed forms below instead
    "GeneralizedPareto": (
        lambda M, p: M.GeneralizedPareto(p[0], p[1], p[2]),
        [
            np.array([0.1, -0.5, 0.0, 1.0]),
            np.array([1.5, 0.7, 2.0, 1.0]),
            np.array([0.3, 0.0, -0.2, 0.45]),
        ],
        np.array([0.2, 0.1, 0.5, 1.3]) + np.random.default_rng(3).uniform(0.0, 2.0, (5, 4)),
        ["entropy", "icdf", *STATS],
    ),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_families_are_torchs_and_gradcheck(name: str) -> None:
    """Values and gradients beside torch (1e-10; entropies through ψ′ to torch's ψ′ accuracy),
    gradcheck of each method and of rsample."""
    torch = _torch()
    build, params, value, methods = MORE[name]
    quantile = _quantiles(value)
    for method in methods:
        ours = [tg.tensor(p, requires_grad=True) for p in params]
        theirs = [torch.tensor(p, requires_grad=True) for p in params]
        out = common.evaluate(build(D, ours), method, tg.tensor(value), tg.tensor(quantile))
        ref = common.evaluate(
            build(torch.distributions, theirs),
            method,
            torch.tensor(value),
            torch.tensor(quantile),
        )
        assert out.shape == tuple(ref.shape), method
        np.testing.assert_allclose(
            out.numpy(force=True), ref.numpy(force=True), rtol=RTOL, err_msg=method
        )
        if not ref.requires_grad:
            continue
        (out * 1.5).sum().backward()
        (ref * 1.5).sum().backward()
        for a, b in zip(ours, theirs):
            expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
            got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
            np.testing.assert_allclose(got, expected, rtol=5e-9, atol=1e-11, err_msg=method)
    smooth = _smooth(name, params)
    gradchecked = [m for m in methods if m != "mode"]
    common.assert_methods_gradcheck(name, build, smooth, value, gradchecked, quantile=quantile)
    common.assert_rsample_gradcheck(build, smooth)


def _smooth(name: str, params: list[np.ndarray]) -> list[np.ndarray]:
    """Parameters moved off the non-smooth places for finite differences: InverseGamma's α
    above 2 (mean and variance are inf below), GeneralizedPareto's ξ off 0 (where torch's
    formulas, and these, take the ξ → 0 limit, whose ξ-derivative is 0)."""
    if name == "InverseGamma":
        return [params[0] + 2, params[1]]
    return [params[0], params[1], params[2] + 0.01]


def test_generalized_pareto_log_prob_and_cdf_closed_forms() -> None:
    """log p = −log σ − (1/ξ + 1) log(1 + ξz), ξ = 0: −log σ − z, and the cdf 1 − (1 +
    ξz)^{−1/ξ} (1 − e^{−z}) in numpy (1e-12), gradcheck of both, and torch's values in float32
    (where its ξ ≈ 0 test works) to float32 accuracy."""
    torch = _torch()
    loc, scale, conc = MORE["GeneralizedPareto"][1]
    x = MORE["GeneralizedPareto"][2]
    z = (x - loc) / scale
    safe = np.where(conc == 0, 1.0, conc)
    lp = np.where(
        conc == 0, -np.log(scale) - z, -np.log(scale) - (1 / safe + 1) * np.log1p(safe * z)
    )
    cdf = np.where(conc == 0, -np.expm1(-z), 1 - (1 + safe * z) ** (-1 / safe))
    dist = D.GeneralizedPareto(tg.tensor(loc), tg.tensor(scale), tg.tensor(conc))
    np.testing.assert_allclose(dist.log_prob(tg.tensor(x)).numpy(), lp, rtol=1e-12)
    np.testing.assert_allclose(dist.cdf(tg.tensor(x)).numpy(), cdf, rtol=1e-12)
    for method in ("log_prob", "cdf"):

        def f(*p: tg.Tensor, method: str = method) -> tg.Tensor:
            out: tg.Tensor = getattr(D.GeneralizedPareto(*p), method)(tg.tensor(x))
            return out

        assert gradcheck(f, [loc, scale, conc + 0.01]), method
    ref = torch.distributions.GeneralizedPareto(
        *[torch.tensor(v, dtype=torch.float32) for v in (loc, scale, conc)]
    )
    xf = torch.tensor(x, dtype=torch.float32)
    np.testing.assert_allclose(ref.log_prob(xf).numpy(), lp, rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(ref.cdf(xf).numpy(), cdf, rtol=2e-5, atol=2e-6)
    with pytest.raises(RuntimeError):
        torch.distributions.GeneralizedPareto(
            *[torch.tensor(v) for v in (loc, scale, conc)]
        ).log_prob(torch.tensor(x))


def test_inverse_gamma_cdf() -> None:
    """cdf(x) = 1 − P(α, β/x) (the base Gamma's, flipped by the decreasing x⁻¹) as torch's,
    with its gradient in β; in α neither library has a derivative."""
    torch = _torch()
    a, b, x = np.array([0.7, 2.5, 4.0]), np.array([0.5, 2.0, 1.0]), np.array([0.3, 1.1, 4.0])
    rate, rate_r = tg.tensor(b, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = D.InverseGamma(tg.tensor(a), rate).cdf(tg.tensor(x))
    ref = torch.distributions.InverseGamma(torch.tensor(a), rate_r).cdf(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(force=True), ref.detach().numpy(), rtol=RTOL)
    out.sum().backward()
    ref.sum().backward()
    assert rate.grad is not None
    np.testing.assert_allclose(rate.grad.numpy(), rate_r.grad.numpy(), rtol=RTOL)
    conc = tg.tensor(a, requires_grad=True)
    with pytest.raises(NotImplementedError):
        D.InverseGamma(conc, tg.tensor(b)).cdf(tg.tensor(x)).sum().backward()


def test_more_families_closed_forms_and_samples() -> None:
    """InverseGamma is 1/Gamma (density with the Jacobian 1/x²); GeneralizedPareto with ξ = 0
    is the shifted Exponential and with ξ > 0 a shifted, scaled Pareto-type law whose cdf
    inverts its icdf; samples follow their cdfs (KS); the straight-through rsample is the
    one-hot draw in value with the probabilities' gradient."""
    x = _f64(0.2, 1.0, 3.0)
    close = np.testing.assert_allclose
    close(
        D.InverseGamma(_f64(2.5), 1.5).log_prob(x).numpy(),
        (D.Gamma(_f64(2.5), 1.5).log_prob(1 / x) - 2 * x.log()).numpy(),
        rtol=1e-13,
    )
    close(
        D.GeneralizedPareto(_f64(0.5), 2.0, 0.0).log_prob(x + 0.5).numpy(),
        D.Exponential(_f64(0.5)).log_prob(x).numpy(),
        rtol=1e-13,
    )
    gp = D.GeneralizedPareto(_f64(0.0, 1.0, -1.0), _f64(1.0, 2.0, 0.5), _f64(0.4, 0.0, -0.3))
    q = _f64(0.1, 0.5, 0.99)
    close(gp.cdf(gp.icdf(q)).numpy(), q.numpy(), rtol=1e-12)
    n = 20_000
    tg.manual_seed(31)
    for dist in (gp, D.InverseGamma(_f64(0.8, 3.0), _f64(1.0, 0.5))):
        draws = dist.rsample((n,))
        assert np.all(common.ks_distance(dist.cdf(draws).numpy(force=True)) < 1.95 / math.sqrt(n))
    logits = tg.tensor([0.5, -1.0, 2.0], dtype=tg.float64, requires_grad=True)
    st = D.OneHotCategoricalStraightThrough(logits=logits)
    assert st.has_rsample and isinstance(st, D.OneHotCategorical)
    tg.manual_seed(2)
    y = st.rsample((4,))
    assert bool(D.constraints.one_hot.check(y.detach()).all())
    (y * tg.tensor([1.0, 2.0, 3.0])).sum().backward()
    p = st.probs.detach().numpy()
    expected = 4 * p * (np.array([1.0, 2.0, 3.0]) - (p * [1.0, 2.0, 3.0]).sum())  # ∂(Σ w·p)/∂z
    assert logits.grad is not None
    close(logits.grad.numpy(), expected, rtol=1e-12)
