"""tinygrad_ed.distributions' Gamma family: Gamma, Chi2, Beta, Dirichlet and StudentT, whose
``rsample`` is differentiable in the concentrations by implicit reparameterisation (the
``standard_gamma`` op: x = P⁻¹(α, u), ᾱ = −g·∂_αP(α, x)/p(x; α)). Values and gradients beside
torch.distributions (float64, 1e-10), finite differences, closed forms, the expected gradient
of a sample, shapes, validation errors and the statistics of samples."""

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
from tinygrad_ed.distributions.gamma import _standard_gamma

RTOL = 1e-10
# The entropies' gradients go through ψ′ (trigamma), which torch computes to about 5e-10
# relative (tinygrad_ed's to 2e-16, against mpmath: test_entropy_gradient_is_exact).
GRAD_RTOL = {"entropy": 5e-9}
values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=1e-12,
    grad_rtol=RTOL,
    grad_rtols=GRAD_RTOL,
    grad_atol=1e-11,
)

STATS = ["mean", "variance", "mode"]


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]]:
    rng = _rng(1)
    return {
        "Gamma": (
            lambda M, p: M.Gamma(p[0], p[1]),
            [rng.uniform(0.3, 4.0, (2, 3)), rng.uniform(0.5, 2.0, (3,))],
            rng.gamma(2.0, size=(4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "Chi2": (
            lambda M, p: M.Chi2(p[0]),
            [rng.uniform(0.5, 6.0, (3,))],
            rng.chisquare(3.0, size=(4, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "Beta": (
            lambda M, p: M.Beta(p[0], p[1]),
            [rng.uniform(0.3, 4.0, (3,)), rng.uniform(0.3, 4.0, (2, 1))],
            rng.uniform(0.05, 0.95, (4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "Dirichlet": (
            lambda M, p: M.Dirichlet(p[0]),
            [rng.uniform(1.1, 4.0, (2, 3))],  # > 1: a mode inside the simplex
            rng.dirichlet(np.ones(3), (4, 2)),
            ["log_prob", "entropy", *STATS],
        ),
        "StudentT": (
            lambda M, p: M.StudentT(p[0], p[1], p[2]),
            [rng.uniform(2.5, 8.0, (3,)), rng.normal(size=(2, 1)), rng.uniform(0.5, 2.0, (3,))],
            rng.standard_t(4.0, size=(4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
    }


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_are_torchs(name: str) -> None:
    """Every method gives torch's values on the same float64 parameters, and the gradient of a
    random weighting of it reaches each parameter as torch's (1e-10 relative)."""
    build, params, value, methods = CASES[name]
    values_and_gradients_beside_torch(name, build, params, value, methods)


def test_entropy_gradient_is_exact() -> None:
    """dH/dα of Gamma(α, β) is 1 + (1 − α)ψ′(α), to 1e-13 beside mpmath's ψ′."""
    mpmath = pytest.importorskip("mpmath")
    alpha = np.array([0.35, 1.3, 2.7, 4.4, 7.1, 30.0])
    conc = tg.tensor(alpha, requires_grad=True)
    D.Gamma(conc, 2.0).entropy().sum().backward()
    trigamma = np.array([float(mpmath.polygamma(1, mpmath.mpf(a))) for a in alpha])
    assert conc.grad is not None
    np.testing.assert_allclose(conc.grad.numpy(), 1 + (1 - alpha) * trigamma, rtol=1e-13)


def test_gamma_cdf_is_torchs() -> None:
    """cdf = P(α, βx), with its gradients in β and x as torch's; a gradient in α raises in
    both (torch has no derivative of P in a)."""
    torch = _torch()
    a, b, x = np.array([0.5, 2.0, 7.0]), np.array([1.5, 0.7, 3.0]), np.array([0.3, 2.0, 2.5])
    rate, rate_r = tg.tensor(b, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = D.Gamma(tg.tensor(a), rate).cdf(tg.tensor(x))
    ref = torch.distributions.Gamma(torch.tensor(a), rate_r).cdf(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(force=True), ref.numpy(force=True), rtol=RTOL)
    out.sum().backward()
    ref.sum().backward()
    assert rate.grad is not None
    np.testing.assert_allclose(rate.grad.numpy(), rate_r.grad.numpy(), rtol=RTOL)
    for M, t in ((D, tg.tensor), (torch.distributions, torch.tensor)):
        conc = t(a, requires_grad=True)
        with pytest.raises(NotImplementedError):
            M.Gamma(conc, t(b)).cdf(t(x)).sum().backward()


@pytest.mark.parametrize("name", sorted(CASES))
def test_methods_gradcheck(name: str) -> None:
    build, params, value, methods = CASES[name]
    common.assert_methods_gradcheck(name, build, params, value, methods)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rsample_gradcheck(name: str) -> None:
    """rsample is a smooth function of the parameters for fixed noise (the quantile of the same
    uniforms): finite differences agree with the implicit reparameterisation gradient."""
    build, params, _, _ = CASES[name]
    common.assert_rsample_gradcheck(build, params)


def test_standard_gamma_gradient_is_torchs_approximation() -> None:
    """At the same (α, x) the implicit gradient is torch's ``_standard_gamma_grad`` to the
    accuracy of torch's approximation (≈ 10⁻⁴ relative), over six decades of α; the draws are
    at least 0 and differentiating ᾱ again raises, as torch's."""
    torch = _torch()
    alpha = np.geomspace(0.01, 5000.0, 25)
    conc = tg.tensor(alpha, requires_grad=True)
    tg.manual_seed(3)
    x = _standard_gamma(conc)
    assert np.all(x.numpy(force=True) >= 0)
    x.sum().backward()
    assert conc.grad is not None
    ref = torch._standard_gamma_grad(torch.tensor(alpha), torch.tensor(x.numpy(force=True)))
    np.testing.assert_allclose(conc.grad.numpy(), ref.numpy(), rtol=1e-4)
    (grad,) = tg.autograd.grad(_standard_gamma(conc).sum(), [conc], create_graph=True)
    with pytest.raises(NotImplementedError):
        grad.sum().backward()


def test_the_expected_sample_gradient_is_the_gradient_of_the_mean() -> None:
    """E[∂x/∂θ] = ∂E[x]/∂θ: over 40000 draws the mean gradient of the sample is within 5
    standard errors of the mean's gradient (Gamma: ∂(α/β)/∂α = 1/β, ∂/∂β = −α/β²; Beta:
    ∂(a/(a + b))/∂a = b/(a + b)²; Dirichlet the same per coordinate), where a single draw's
    gradient is not."""
    n = 40_000
    conc = tg.tensor([0.4, 3.0], dtype=tg.float64, requires_grad=True)
    rate = tg.tensor([2.0, 0.5], dtype=tg.float64, requires_grad=True)
    tg.manual_seed(5)
    x = D.Gamma(conc, rate).rsample((n,))
    per_draw_a = (x / conc).detach()  # only to size the error bar: Var of ∂x/∂α is bounded by it
    x.sum().backward()
    assert conc.grad is not None and rate.grad is not None
    se = 5 * np.sqrt(n) * per_draw_a.numpy().std(0) + 1e-9
    np.testing.assert_array_less(np.abs(conc.grad.numpy() - n / rate.numpy(force=True)), se)
    np.testing.assert_allclose(
        rate.grad.numpy(), -(x.detach().numpy() / rate.numpy(force=True)).sum(0), rtol=1e-12
    )
    a = tg.tensor([0.5, 2.0], dtype=tg.float64, requires_grad=True)
    b = tg.tensor([1.5, 4.0], dtype=tg.float64, requires_grad=True)
    grads = []
    for seed in range(16):  # 16 batches of 2500: the error bar from the batches' spread
        tg.manual_seed(100 + seed)
        a.grad = None
        D.Beta(a, b).rsample((2500,)).mean(0).sum().backward()
        assert a.grad is not None
        grads.append(a.grad.numpy())
    g = np.array(grads)
    expected = b.numpy(force=True) / (a.numpy(force=True) + b.numpy(force=True)) ** 2
    assert np.all(np.abs(g.mean(0) - expected) < 5 * g.std(0) / math.sqrt(len(g)))


# ------------------------------------------------------------------------------------------
# closed forms


def _integral(dist: Any, x: np.ndarray, fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Any:
    """∫ fn(x, log p(x)) dx over the grid x (along dim 0), trapezoid rule."""
    grid = x.reshape((-1,) + (1,) * len(dist.batch_shape)) * np.ones(dist.batch_shape)
    lp = dist.log_prob(tg.tensor(grid)).numpy(force=True)
    return np.trapezoid(fn(grid, lp), grid, axis=0)


@pytest.mark.parametrize("name", ["Gamma", "Beta", "StudentT"])
def test_densities_integrate_to_one_with_their_moments_and_entropy(name: str) -> None:
    """∫ p = 1, ∫ x p = mean, ∫ (x − mean)² p = variance and −∫ p log p = entropy on a grid
    (StudentT with ν > 4, so that the tails beyond ±10⁴ are negligible for the variance)."""
    dist, x = {
        "Gamma": (
            D.Gamma(tg.tensor([1.5, 3.0, 8.0]), tg.tensor([2.0, 0.5, 1.0])),
            np.linspace(0.0, 11.0, 600_001) ** 2,  # dense near 0, where p ∝ √x
        ),
        "Beta": (
            D.Beta(tg.tensor([1.5, 3.0, 8.0]), tg.tensor([2.0, 1.2, 4.0])),
            np.linspace(0.0, 1.0, 400_001),
        ),
        "StudentT": (
            D.StudentT(tg.tensor([5.0, 9.0]), tg.tensor([0.5, -1.0]), tg.tensor([1.0, 2.0])),
            np.sinh(np.linspace(-10.0, 10.0, 800_001)),
        ),
    }[name]
    dist = type(dist)(*[getattr(dist, k).double() for k in _PARAMS[name]])
    mean = dist.mean.numpy(force=True)
    np.testing.assert_allclose(_integral(dist, x, lambda x, lp: np.exp(lp)), 1.0, rtol=1e-6)
    np.testing.assert_allclose(_integral(dist, x, lambda x, lp: x * np.exp(lp)), mean, rtol=1e-6)
    np.testing.assert_allclose(
        _integral(dist, x, lambda x, lp: (x - mean) ** 2 * np.exp(lp)),
        dist.variance.numpy(force=True),
        rtol=1e-5,
    )
    with np.errstate(invalid="ignore"):  # −∞·0 at the ends, where the integrand is 0
        entropy = _integral(dist, x, lambda x, lp: np.where(np.isfinite(lp), -lp * np.exp(lp), 0))
    np.testing.assert_allclose(entropy, dist.entropy().numpy(force=True), rtol=1e-5)


_PARAMS = {
    "Gamma": ("concentration", "rate"),
    "Beta": ("concentration1", "concentration0"),
    "StudentT": ("df", "loc", "scale"),
}


def test_family_identities() -> None:
    """Chi2(k) is Gamma(k/2, ½); Beta(a, b) is the Dirichlet([a, b]) at (x, 1 − x); Dirichlet's
    log_prob sums to the simplex's volume form (K = 2 integrates to 1 over x₁); StudentT with
    ν = 1 is the Cauchy."""
    k = tg.tensor([1.0, 3.0, 7.5], dtype=tg.float64)
    x = tg.tensor([0.3, 2.0, 9.0], dtype=tg.float64)
    np.testing.assert_allclose(
        D.Chi2(k).log_prob(x).numpy(), D.Gamma(k / 2, 0.5).log_prob(x).numpy(), rtol=1e-14
    )
    a, b = tg.tensor([0.5, 2.0], dtype=tg.float64), tg.tensor([3.0, 1.5], dtype=tg.float64)
    v = tg.tensor([0.2, 0.7], dtype=tg.float64)
    np.testing.assert_allclose(
        D.Beta(a, b).log_prob(v).numpy(),
        D.Dirichlet(tg.stack([a, b], -1)).log_prob(tg.stack([v, 1 - v], -1)).numpy(),
    )
    t = tg.tensor(np.linspace(-20, 20, 41))
    np.testing.assert_allclose(
        D.StudentT(1.0, 0.5, 2.0).log_prob(t).numpy(),
        D.Cauchy(0.5, 2.0).log_prob(t).numpy(),
        rtol=1e-12,
    )
    u = np.linspace(0.0, 1.0, 200_001)
    dirichlet = D.Dirichlet(tg.tensor([2.5, 1.5], dtype=tg.float64))
    p = dirichlet.log_prob(tg.tensor(np.stack([u, 1 - u], -1))).exp().numpy()
    assert math.isclose(np.trapezoid(p, u), 1.0, rel_tol=1e-6)  # p ∝ √(1 − x) at 1


# ------------------------------------------------------------------------------------------
# KL divergence

KL_PAIRS: dict[str, tuple[Build, list[np.ndarray], list[np.ndarray]]] = {
    "Gamma": (
        lambda M, p: M.Gamma(p[0], p[1]),
        [np.array([0.5, 3.0]), np.array([1.0, 0.5])],
        [np.array([2.0, 1.5]), np.array([2.0, 1.5])],
    ),
    "Beta": (
        lambda M, p: M.Beta(p[0], p[1]),
        [np.array([0.5, 3.0]), np.array([1.0, 0.5])],
        [np.array([2.0, 1.5]), np.array([2.0, 1.5])],
    ),
    "Dirichlet": (
        lambda M, p: M.Dirichlet(p[0]),
        [np.array([[0.5, 3.0, 1.0], [2.0, 2.0, 2.0]])],
        [np.array([1.5, 1.0, 4.0])],
    ),
}


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_values_and_gradients_are_torchs_and_gradcheck(name: str) -> None:
    """KL and its gradients as torch's (gradients through ψ′ to torch's ψ′ accuracy),
    gradcheck, KL(p ‖ p) = 0, and the Monte Carlo mean of the log ratio over 50000 draws (5
    standard errors)."""
    build, pp, qp = KL_PAIRS[name]
    common.assert_kl_is_torchs(build, pp, qp, rtol=RTOL, grad_rtol=5e-9, grad_atol=1e-12)
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    common.assert_kl_is_the_monte_carlo_mean(p, q, 50_000)


# ------------------------------------------------------------------------------------------
# shapes, validation, samples

SHAPE_CASES: list[tuple[Build, list[tuple[int, ...]]]] = [
    (lambda M, p: M.Gamma(p[0], p[1]), [(), ()]),
    (lambda M, p: M.Gamma(p[0], p[1]), [(3, 1), (2,)]),
    (lambda M, p: M.Chi2(p[0]), [(2, 3)]),
    (lambda M, p: M.Beta(p[0], p[1]), [(3,), (2, 1)]),
    (lambda M, p: M.Dirichlet(p[0]), [(4,)]),
    (lambda M, p: M.Dirichlet(p[0]), [(2, 3, 4)]),
    (lambda M, p: M.StudentT(p[0] + 2, p[0], p[1]), [(3,), (2, 1)]),
]


@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    build, shapes = SHAPE_CASES[case]
    params = [_rng(6).uniform(0.5, 2.0, s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    assert repr(ours.support) == repr(ref.support)
    for method in ("sample", "rsample"):
        x, ref_x = getattr(ours, method)(sample_shape), getattr(ref, method)(sample_shape)
        assert x.shape == tuple(ref_x.shape) and x.dtype == ref_x.numpy(force=True).dtype
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy(force=True))).shape)
    for attr in ("mean", "variance", "mode"):
        assert getattr(ours, attr).shape == tuple(getattr(ref, attr).shape), attr
    assert ours.entropy().shape == tuple(ref.entropy().shape)
    wide, ref_wide = common.expanded_beside_torch(ours, ref)
    assert wide.rsample(sample_shape).shape == tuple(ref_wide.rsample(sample_shape).shape)


def test_numbers_give_torchs_dtypes_and_shapes() -> None:
    torch = _torch()
    for build in (
        lambda M: M.Gamma(2.0, 3.0),
        lambda M: M.Chi2(3.0),
        lambda M: M.Beta(2.0, 3.0),
        lambda M: M.StudentT(3.0),
    ):
        ours, ref = build(D), build(torch.distributions)
        assert ours.batch_shape == ref.batch_shape
        x, ref_x = ours.rsample((2,)), ref.rsample((2,))
        assert x.shape == tuple(ref_x.shape) and x.dtype == ref_x.numpy().dtype


BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Gamma concentration 0", lambda M, t: M.Gamma(0.0, 1.0)),
    ("Gamma rate < 0", lambda M, t: M.Gamma(t([1.0]), t([-1.0]))),
    ("Gamma value < 0", lambda M, t: M.Gamma(2.0, 1.0).log_prob(t(-1.0))),
    ("Chi2 df 0", lambda M, t: M.Chi2(t([0.0]))),
    ("Beta negative", lambda M, t: M.Beta(t([-1.0]), t([1.0]))),
    ("Beta value", lambda M, t: M.Beta(2.0, 2.0).log_prob(t(1.5))),
    ("Dirichlet 0-d", lambda M, t: M.Dirichlet(t(1.0))),
    ("Dirichlet zero", lambda M, t: M.Dirichlet(t([1.0, 0.0]))),
    ("Dirichlet value", lambda M, t: M.Dirichlet(t([1.0, 2.0])).log_prob(t([0.5, 0.6]))),
    ("StudentT df 0", lambda M, t: M.StudentT(0.0)),
    ("StudentT scale 0", lambda M, t: M.StudentT(t([2.0]), 0.0, 0.0)),
]


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    common.assert_raises_as_torch(dict(BAD)[case], common.first_line)


@pytest.mark.parametrize("method", ["sample", "rsample"])
def test_gamma_samples_follow_the_cdf(method: str) -> None:
    """KS distance of 20000 Gamma draws from their own cdf below 1.95/√n, for concentrations
    from 0.05 (draws near 0) to 200."""
    dist = D.Gamma(
        tg.tensor([0.05, 0.7, 3.0, 200.0], dtype=tg.float64), tg.tensor([1.0, 2.0, 0.5, 1.0])
    )
    tg.manual_seed(11)
    n = 20_000
    x = getattr(dist, method)((n,)).detach()
    assert np.all(common.ks_distance(dist.cdf(x).numpy(force=True)) < 1.95 / math.sqrt(n))


def test_beta_dirichlet_and_student_t_sample_moments() -> None:
    """Over 40000 draws the sample mean of Beta, Dirichlet and StudentT is within 5 standard
    errors of the mean and Beta's and Dirichlet's sample variance within 5 of theirs."""
    n = 40_000
    tg.manual_seed(13)
    for dist in (
        D.Beta(tg.tensor([0.5, 2.0, 6.0], dtype=tg.float64), tg.tensor([0.5, 1.0, 3.0])),
        D.Dirichlet(tg.tensor([[0.3, 1.0, 4.0], [2.0, 2.0, 2.0]], dtype=tg.float64)),
        D.StudentT(tg.tensor([5.0, 9.0], dtype=tg.float64), 1.0, 2.0),
    ):
        x = dist.sample((n,)).numpy(force=True)
        mean, var = dist.mean.numpy(force=True), dist.variance.numpy(force=True)
        assert np.all(np.abs(x.mean(0) - mean) < 5 * np.sqrt(var / n)), type(dist).__name__
        if not isinstance(dist, D.StudentT):
            fourth = ((x - mean) ** 4).mean(0)
            assert np.all(np.abs(x.var(0) - var) < 5 * np.sqrt((fourth - var**2) / n))
            assert np.all((x > 0) & (x < 1))


def test_gamma_quantile_inverts_the_incomplete_gamma() -> None:
    """x = P⁻¹(a, u) gives back u through mpmath's P (1 − u through Q in the upper half) to a
    relative 1e-11 of min(u, 1 − u) (P's own accuracy, ≈ 1e-13, falls for a > 100), for a from
    0.01 to 1000 and u from 1e-12 to 1 − 1e-12
    (torch's P itself is off by up to 1e-9 for a ≥ 100, so it is not the reference); a
    quantile below the smallest float is 0; u = 0 and 1 give 0 and inf; a ≤ 0 or u outside
    [0, 1] give nan."""
    mpmath = pytest.importorskip("mpmath")
    from tinygrad_ed import _special_kernels as K

    a = np.geomspace(0.01, 1000.0, 12)[:, None]
    u = np.array([1e-12, 1e-6, 0.01, 0.3, 0.5, 0.77, 0.99, 1 - 1e-6, 1 - 1e-12])[None]
    x = K.gamma_quantile(a, u)
    with mpmath.workdps(30):
        for (i, j), xv in np.ndenumerate(x):
            if xv == 0:  # below the smallest float: P(a, tiny) ≥ u
                assert float(mpmath.gammainc(a[i, 0], 0, 1e-300, regularized=True)) >= u[0, j]
                continue
            if u[0, j] < 0.5:
                err = mpmath.gammainc(a[i, 0], 0, xv, regularized=True) - u[0, j]
            else:
                err = mpmath.gammainc(a[i, 0], xv, mpmath.inf, regularized=True) - (1 - u[0, j])
            assert abs(float(err)) <= 1e-11 * min(u[0, j], 1 - u[0, j]), (a[i, 0], u[0, j])
    edge = K.gamma_quantile(np.array([2.0, 2.0, 0.0, 2.0]), np.array([0.0, 1.0, 0.5, 1.5]))
    assert edge[0] == 0 and edge[1] == np.inf and np.isnan(edge[2:]).all()
