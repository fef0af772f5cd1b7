"""tinygrad_ed.distributions beyond the scalar families: Independent, the transforms and
TransformedDistribution (LogNormal on it), MultivariateNormal — values and gradients beside
torch.distributions (float64, 1e-10), finite differences, closed forms (densities integrate to
1, known entropies), torch's shape rules and validation errors, the statistics of samples."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import _distributions as common
import numpy as np
import pytest
from _distributions import Build
from _distributions import quantiles as _quantiles
from _distributions import rng as _rng
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.distributions import constraints
from tinygrad_ed.numgrad import gradcheck

RTOL = 1e-10
values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=1e-12,
    grad_rtol=RTOL,
    grad_atol=1e-11,
)


# A case builds the distribution from its parameters with the module given (tg.distributions
# or torch.distributions, so that one lambda serves both); the parameters; values in the
# support; the methods torch computes as functions of the parameters.
STATS = ["mean", "variance", "stddev", "mode"]


def _spd(M: Any, p: list[Any]) -> Any:
    """A symmetric positive definite matrix from a square A and a positive vector d: AAᵀ +
    diag(d) (so that a finite difference in any entry stays valid)."""
    return p[1] @ p[1].mT + p[2].diag_embed()


def _tril(M: Any, p: list[Any]) -> Any:
    """A Cholesky factor from a square A and a positive vector d: strict lower part of A plus
    diag(d)."""
    return p[1].tril(-1) + p[2].diag_embed()


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]]:
    rng = _rng(1)
    n01 = rng.normal
    return {
        "Independent(Normal, 1)": (
            lambda M, p: M.Independent(M.Normal(p[0], p[1]), 1),
            [n01(size=(2, 3)), rng.uniform(0.5, 2.0, (3,))],
            n01(size=(4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "Independent(Normal, 2)": (
            lambda M, p: M.Independent(M.Normal(p[0], p[1]), 2),
            [n01(size=(2, 3)), rng.uniform(0.5, 2.0, (2, 3))],
            n01(size=(5, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "Independent(Bernoulli, 1)": (
            lambda M, p: M.Independent(M.Bernoulli(logits=p[0]), 1),
            [n01(size=(3, 4))],
            rng.integers(0, 2, (2, 3, 4)).astype(np.float64),
            ["log_prob", "entropy", "mean", "variance"],
        ),
        "LogNormal": (
            lambda M, p: M.LogNormal(p[0], p[1]),
            [n01(size=(3,)), rng.uniform(0.3, 1.5, (2, 3))],
            np.exp(n01(size=(4, 2, 3))),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "tanh(Normal)": (  # the squashed Gaussian of a bounded policy
            lambda M, p: M.TransformedDistribution(M.Normal(p[0], p[1]), [M.TanhTransform()]),
            [n01(size=(3,)) * 0.5, rng.uniform(0.3, 1.5, (3,))],
            np.tanh(n01(size=(4, 3))),
            ["log_prob", "cdf", "icdf"],
        ),
        "Logistic": (  # logit of a uniform, scaled: loc + scale·logit(U)
            lambda M, p: M.TransformedDistribution(
                M.Uniform(0.0, 1.0), [M.SigmoidTransform().inv, M.AffineTransform(p[0], p[1])]
            ),
            [n01(size=(3,)), rng.uniform(0.5, 2.0, (2, 1))],
            n01(size=(5, 2, 3)) * 2,
            ["log_prob", "cdf", "icdf"],
        ),
        "Exponential·−scale": (  # a decreasing affine map: cdf and icdf flip
            lambda M, p: M.TransformedDistribution(
                M.Exponential(p[0]), [M.AffineTransform(1.0, -p[1])]
            ),
            [rng.uniform(0.5, 2.0, (3,)), rng.uniform(0.5, 2.0, (3,))],
            1.0 - rng.uniform(0.1, 3.0, (4, 3)),
            ["log_prob", "cdf", "icdf"],
        ),
        "softplus, Affine(event_dim=1)": (
            lambda M, p: M.TransformedDistribution(
                M.Normal(p[0], p[1]),
                [M.SoftplusTransform(), M.AffineTransform(p[0], p[1], event_dim=1)],
            ),
            [n01(size=(2, 3)), rng.uniform(0.5, 2.0, (2, 3))],
            None,  # filled below: loc + scale·softplus(x)
            ["log_prob"],
        ),
        "Exp, Power": (
            lambda M, p: M.TransformedDistribution(
                M.Normal(p[0], 1.0), [M.ExpTransform(), M.PowerTransform(p[1])]
            ),
            [n01(size=(3,)), rng.uniform(0.5, 2.0, (3,))],
            np.exp(n01(size=(4, 3))),
            ["log_prob"],
        ),
        "MultivariateNormal(covariance_matrix)": (
            lambda M, p: M.MultivariateNormal(p[0], covariance_matrix=_spd(M, p)),
            [n01(size=(2, 3)), n01(size=(3, 3)), rng.uniform(0.5, 1.5, (3,))],
            n01(size=(4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "MultivariateNormal(precision_matrix)": (
            lambda M, p: M.MultivariateNormal(p[0], precision_matrix=_spd(M, p)),
            [n01(size=(3,)), n01(size=(2, 3, 3)), rng.uniform(0.5, 1.5, (2, 3))],
            n01(size=(4, 2, 3)),
            ["log_prob", "entropy", *STATS],
        ),
        "MultivariateNormal(scale_tril)": (
            lambda M, p: M.MultivariateNormal(p[0], scale_tril=_tril(M, p)),
            [n01(size=(2, 1, 4)), n01(size=(3, 4, 4)), rng.uniform(0.5, 1.5, (3, 4))],
            n01(size=(5, 2, 3, 4)),
            ["log_prob", "entropy", *STATS],
        ),
    }


CASES = _cases()
_b, _p, _, _m = CASES["softplus, Affine(event_dim=1)"]
CASES["softplus, Affine(event_dim=1)"] = (
    _b,
    _p,
    _p[0] + _p[1] * np.log1p(np.exp(_rng(9).normal(size=(4, 2, 3)))),
    _m,
)
MATRIX_PARAMS = {"covariance_matrix", "precision_matrix", "scale_tril"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_are_torchs(name: str) -> None:
    """Every method gives torch's values on the same float64 parameters, and the gradient of a
    random weighting of it reaches each parameter as torch's (1e-10 relative)."""
    build, params, value, methods = CASES[name]
    values_and_gradients_beside_torch(
        name, build, params, value, methods, quantile=_quantiles(value)
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_methods_gradcheck(name: str) -> None:
    """Backprop through each method agrees with central differences in every parameter."""
    build, params, value, methods = CASES[name]
    if name.startswith("Independent(B"):
        methods = ["log_prob"]
    methods = [m for m in methods if m not in ("mode", "stddev")]
    common.assert_methods_gradcheck(name, build, params, value, methods, quantile=_quantiles(value))


RSAMPLED = [n for n in sorted(CASES) if "Bernoulli" not in n]


@pytest.mark.parametrize("name", RSAMPLED)
def test_rsample_gradcheck(name: str) -> None:
    """rsample is a differentiable function of the parameters for fixed noise (reseeding
    gives the same noise, so finite differences see the function backprop does)."""
    build, params, _, _ = CASES[name]
    common.assert_rsample_gradcheck(build, params)


# ------------------------------------------------------------------------------------------
# closed forms


def _trapezoid_1d(dist: Any, lo: float, hi: float, n: int = 200_001) -> np.ndarray:
    """∫ p(x) dx over [lo, hi] for every member of the batch (trapezoid rule)."""
    x = np.linspace(lo, hi, n).reshape((n,) + (1,) * len(dist.batch_shape))
    x = np.broadcast_to(x, (n, *dist.batch_shape)).copy()
    p = np.exp(dist.log_prob(tg.tensor(x)).numpy(force=True))
    out: np.ndarray = np.trapezoid(p, x, axis=0)
    return out


def test_univariate_densities_integrate_to_one() -> None:
    """∫ p = 1 for LogNormal, the tanh-squashed Gaussian, the logistic and a reflected
    exponential (each integral over its support, the tails cut where they are below 1e-9);
    and cdf(b) − cdf(a) is ∫ₐᵇ p."""
    ln = D.LogNormal(tg.tensor([0.0, 0.5]), tg.tensor([0.5, 0.8]))
    np.testing.assert_allclose(_trapezoid_1d(ln, 1e-9, 80.0), 1.0, rtol=1e-6)
    th = D.TransformedDistribution(
        D.Normal(tg.tensor([0.0, 0.3]), tg.tensor([0.5, 0.3])), [D.TanhTransform()]
    )
    np.testing.assert_allclose(_trapezoid_1d(th, -1 + 1e-12, 1 - 1e-12), 1.0, rtol=1e-6)
    lo = D.TransformedDistribution(
        D.Uniform(0.0, 1.0), [D.SigmoidTransform().inv, D.AffineTransform(tg.tensor([1.0]), 2.0)]
    )
    np.testing.assert_allclose(_trapezoid_1d(lo, -60.0, 60.0), 1.0, rtol=1e-6)
    rx = D.TransformedDistribution(D.Exponential(tg.tensor([2.0])), D.AffineTransform(1.0, -1.0))
    np.testing.assert_allclose(_trapezoid_1d(rx, -15.0, 1.0), 1.0, rtol=1e-6)
    for dist, (a, b) in ((ln, (0.5, 2.0)), (th, (-0.5, 0.2)), (lo, (-1.0, 3.0)), (rx, (-1.0, 0.5))):
        ends = np.empty((2, *dist.batch_shape))
        ends[0], ends[1] = a, b
        cdf = dist.cdf(tg.tensor(ends)).numpy(force=True)
        np.testing.assert_allclose(cdf[1] - cdf[0], _trapezoid_1d(dist, a, b), rtol=1e-7)


def test_logistic_and_lognormal_closed_forms() -> None:
    """The logistic built from transforms has density e^{−z}/(s(1 + e^{−z})²), z = (x − μ)/s;
    LogNormal's log_prob is the Normal's at log y minus log y, its mean e^{μ + σ²/2} is the
    numerical ∫ y p(y), its entropy μ + ½ log(2πeσ²)."""
    mu, s = 0.7, 1.3
    lo = D.TransformedDistribution(
        D.Uniform(0.0, 1.0), [D.SigmoidTransform().inv, D.AffineTransform(mu, s)]
    )
    x = np.linspace(-6, 6, 13)
    z = (x - mu) / s
    np.testing.assert_allclose(
        lo.log_prob(tg.tensor(x)).numpy(force=True),
        -z - np.log(s) - 2 * np.log1p(np.exp(-z)),
        rtol=1e-12,
    )
    loc, scale = np.array([0.2, -0.4]), np.array([0.6, 0.9])
    ln = D.LogNormal(tg.tensor(loc), tg.tensor(scale))
    y = np.exp(_rng().normal(size=(7, 2)))
    np.testing.assert_allclose(
        ln.log_prob(tg.tensor(y)).numpy(force=True),
        D.Normal(tg.tensor(loc), tg.tensor(scale)).log_prob(tg.tensor(np.log(y))).numpy()
        - np.log(y),
        rtol=1e-12,
    )
    grid = np.linspace(1e-9, 200.0, 400_001)[:, None] * np.ones(2)
    dens = np.exp(ln.log_prob(tg.tensor(grid)).numpy(force=True))
    np.testing.assert_allclose(
        np.trapezoid(grid * dens, grid, axis=0), ln.mean.numpy(force=True), rtol=1e-6
    )
    np.testing.assert_allclose(
        ln.entropy().numpy(force=True), loc + 0.5 * np.log(2 * np.pi * np.e * scale**2)
    )


def test_independent_sums_the_base_over_the_reinterpreted_dims() -> None:
    """Independent(Normal(μ, σ), 1) is the diagonal MultivariateNormal: the same log_prob,
    entropy, mean and variance; its log_prob is the base's summed over the last dim."""
    rng = _rng(5)
    loc, scale = rng.normal(size=(3, 4)), rng.uniform(0.5, 2, (3, 4))
    x = tg.tensor(rng.normal(size=(6, 3, 4)))
    base = D.Normal(tg.tensor(loc), tg.tensor(scale))
    diag = D.Independent(base, 1)
    mvn = D.MultivariateNormal(tg.tensor(loc), scale_tril=tg.tensor(scale).diag_embed())
    assert diag.batch_shape == mvn.batch_shape == (3,) and diag.event_shape == (4,)
    for a, b in [
        (diag.log_prob(x), mvn.log_prob(x)),
        (diag.log_prob(x), base.log_prob(x).sum(-1)),
        (diag.entropy(), mvn.entropy()),
        (diag.variance, mvn.variance),
        (diag.mean, mvn.mean),
    ]:
        np.testing.assert_allclose(a.numpy(force=True), b.numpy(force=True), rtol=1e-12)
    coins = D.Independent(D.Bernoulli(tg.tensor([[0.2, 0.7], [0.5, 0.9]], dtype=tg.float64)), 2)
    assert coins.event_shape == (2, 2) and coins.batch_shape == ()
    grid = np.array(np.meshgrid(*[[0.0, 1.0]] * 4, indexing="ij")).reshape(4, -1).T
    pmf = np.exp(coins.log_prob(tg.tensor(grid.reshape(-1, 2, 2))).numpy(force=True))
    assert pmf.shape == (16,) and math.isclose(pmf.sum(), 1.0, rel_tol=1e-12)  # Σ pmf = 1
    support = D.Independent(D.Bernoulli(tg.tensor([0.3, 0.6])), 0).enumerate_support()
    assert support.shape == (2, 2)
    with pytest.raises(NotImplementedError, match="cartesian product"):
        coins.enumerate_support()


def test_multivariate_normal_closed_forms() -> None:
    """The three parameterisations describe one distribution; log_prob is the textbook
    density −½((x − μ)ᵀΣ⁻¹(x − μ) + log det 2πΣ); H = ½ log det(2πeΣ); precision_matrix is
    Σ⁻¹; the 2-d density integrates to 1 on a grid."""
    rng = _rng(6)
    A = rng.normal(size=(2, 3, 3))
    cov = A @ A.transpose(0, 2, 1) + np.eye(3)
    loc = rng.normal(size=(2, 3))
    x = rng.normal(size=(5, 2, 3))
    dists = [
        D.MultivariateNormal(tg.tensor(loc), covariance_matrix=tg.tensor(cov)),
        D.MultivariateNormal(tg.tensor(loc), precision_matrix=tg.tensor(np.linalg.inv(cov))),
        D.MultivariateNormal(tg.tensor(loc), scale_tril=tg.tensor(np.linalg.cholesky(cov))),
    ]
    d = x - loc
    maha = np.einsum("...i,...ij,...j->...", d, np.linalg.inv(cov), d)
    expected = -0.5 * (maha + np.log(np.linalg.det(2 * np.pi * cov)))
    for dist in dists:
        np.testing.assert_allclose(dist.log_prob(tg.tensor(x)).numpy(force=True), expected)
        np.testing.assert_allclose(
            dist.entropy().numpy(force=True), 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * cov))
        )
        np.testing.assert_allclose(dist.covariance_matrix.numpy(force=True), cov, rtol=1e-10)
        np.testing.assert_allclose(
            dist.precision_matrix.numpy(force=True), np.linalg.inv(cov), rtol=1e-9
        )
        np.testing.assert_allclose(
            dist.scale_tril.numpy(force=True), np.linalg.cholesky(cov), rtol=1e-9, atol=1e-12
        )
        np.testing.assert_allclose(dist.variance.numpy(force=True), np.diagonal(cov, 0, 1, 2))
    cov2 = np.array([[1.0, 0.6], [0.6, 0.5]])
    mvn = D.MultivariateNormal(tg.tensor([0.3, -0.2]), tg.tensor(cov2))
    g = np.linspace(-8, 8, 801)
    xx = np.stack(np.meshgrid(g, g, indexing="ij"), -1)
    dens = np.exp(mvn.log_prob(tg.tensor(xx)).numpy(force=True))
    assert math.isclose(np.trapezoid(np.trapezoid(dens, g, axis=1), g), 1.0, rel_tol=1e-8)


# ------------------------------------------------------------------------------------------
# transforms


def _transforms(M: Any, torch_like: Any) -> dict[str, Any]:
    loc = torch_like([0.5, -1.0, 2.0])
    scale = torch_like([2.0, -0.5, 1.5])
    return {
        "Exp": M.ExpTransform(),
        "Sigmoid": M.SigmoidTransform(),
        "Tanh": M.TanhTransform(),
        "Softplus": M.SoftplusTransform(),
        "Power": M.PowerTransform(torch_like([0.5, 2.0, 3.0])),
        "Affine numbers": M.AffineTransform(1.0, -3.0),
        "Affine tensors": M.AffineTransform(loc, scale),
        "Affine event_dim=1": M.AffineTransform(loc, scale, event_dim=1),
        "Exp.inv": M.ExpTransform().inv,
        "Compose": M.ComposeTransform([M.AffineTransform(0.0, 0.5), M.TanhTransform()]),
        "Independent(Sigmoid, 1)": M.IndependentTransform(M.SigmoidTransform(), 1),
        "Reshape": M.ReshapeTransform((3,), (3, 1)),
    }


TRANSFORMS = sorted(_transforms(D, lambda v: tg.tensor(v)))


def _domain_point(name: str, rng: np.random.Generator) -> np.ndarray:
    x = rng.normal(size=(4, 3))
    return np.exp(x) if name in ("Power", "Exp.inv") else x


@pytest.mark.parametrize("name", TRANSFORMS)
def test_transforms_are_torchs(name: str) -> None:
    """y, the inverse, log|det J| (with their gradients), sign, shapes, domain and codomain
    (event_dim, repr) as torch's."""
    torch = _torch()
    ours = _transforms(D, lambda v: tg.tensor(v, dtype=tg.float64))[name]
    theirs = _transforms(torch.distributions, lambda v: torch.tensor(v, dtype=torch.float64))[name]
    x = _domain_point(name, _rng(2))
    xt, xr = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, yr = ours(xt), theirs(xr)
    np.testing.assert_allclose(y.numpy(force=True), yr.numpy(force=True), rtol=RTOL)
    np.testing.assert_allclose(
        ours.inv(y).numpy(force=True), theirs.inv(yr).numpy(force=True), rtol=RTOL
    )
    np.testing.assert_allclose(ours.inv(y).numpy(force=True), x, rtol=1e-9)  # f⁻¹(f(x)) = x
    ladj, ladj_r = ours.log_abs_det_jacobian(xt, y), theirs.log_abs_det_jacobian(xr, yr)
    assert ladj.shape == tuple(ladj_r.shape)
    np.testing.assert_allclose(ladj.numpy(force=True), ladj_r.numpy(force=True), rtol=RTOL)
    (ladj.sum() + y.sum()).backward()
    (ladj_r.sum() + yr.sum()).backward()
    assert xt.grad is not None
    np.testing.assert_allclose(xt.grad.numpy(), xr.grad.numpy(), rtol=RTOL, atol=1e-14)
    for attr in ("domain", "codomain"):
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert repr(a) == repr(b) and a.event_dim == b.event_dim, attr
    assert ours.bijective == theirs.bijective
    try:
        sign_r = theirs.sign
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            ours.sign  # noqa: B018
        sign_r = None
    if sign_r is None:
        pass
    elif isinstance(sign_r, int):
        assert ours.sign == sign_r
    else:
        np.testing.assert_array_equal(ours.sign.numpy(), sign_r.numpy())
    assert ours.forward_shape((5, 4, 3)) == theirs.forward_shape(torch.Size((5, 4, 3)))
    assert ours.inverse_shape((5, 4, 3, 1) if name == "Reshape" else (4, 3)) == tuple(
        theirs.inverse_shape(torch.Size((5, 4, 3, 1) if name == "Reshape" else (4, 3)))
    )
    assert repr(ours) == repr(theirs).replace("torch.Size", "Size")


@pytest.mark.parametrize("name", [n for n in TRANSFORMS if n != "Reshape"])
def test_log_abs_det_jacobian_is_the_derivative(name: str) -> None:
    """log|det ∂y/∂x| is log|∂y/∂x| of the elementwise map (summed over the event dims),
    ∂y/∂x from backprop of Σy; the whole of it passes gradcheck."""
    t = _transforms(D, lambda v: tg.tensor(v, dtype=tg.float64))[name]
    x = tg.tensor(_domain_point(name, _rng(3)), requires_grad=True)
    y = t(x)
    y.sum().backward()
    assert x.grad is not None
    expected = np.log(np.abs(x.grad.numpy()))
    if t.domain.event_dim:
        expected = expected.sum(-1)
    got = t.log_abs_det_jacobian(x, y).numpy(force=True)
    np.testing.assert_allclose(np.broadcast_to(got, expected.shape), expected, rtol=1e-9)
    assert gradcheck(lambda a: t.log_abs_det_jacobian(a, t(a)), [x.detach().numpy()])


def test_transform_inverse_caching_and_composition() -> None:
    """t.inv.inv is t; with cache_size=1 the inverse of the last output is the input itself
    (tanh's atanh would lose it at 1); the composition's inverse runs its parts' backwards and
    its log|det J| adds theirs."""
    t = D.TanhTransform()
    assert t.inv.inv is t and t.inv == D.TanhTransform().inv and t == D.TanhTransform()
    x = tg.tensor([30.0], dtype=tg.float64)
    assert math.isinf(t.inv(t(x)).item())
    cached = t.with_cache(1)
    assert cached.inv(cached(x)) is x
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        D.ExpTransform(cache_size=2)
    parts = [D.AffineTransform(1.0, 2.0), D.ExpTransform(), D.PowerTransform(tg.tensor(0.5))]
    c = D.ComposeTransform(parts)
    v = tg.tensor(_rng().normal(size=5))
    y = c(v)
    np.testing.assert_allclose(y.numpy(), np.exp(1 + 2 * v.numpy()) ** 0.5, rtol=1e-12)
    np.testing.assert_allclose(c.inv(y).numpy(), v.numpy(), rtol=1e-12)
    # y = e^{u/2}, u = 1 + 2v: log 2 (affine) + u (exp) + log(½y/eᵘ) (square root) = ½ + v
    np.testing.assert_allclose(c.log_abs_det_jacobian(v, y).numpy(), 0.5 + v.numpy(), rtol=1e-12)
    assert D.identity_transform(v) is v
    assert D.identity_transform.log_abs_det_jacobian(v, v).abs().sum().item() == 0


# ------------------------------------------------------------------------------------------
# KL divergence

KL_PAIRS: dict[str, tuple[Build, list[np.ndarray], list[np.ndarray]]] = {
    "Independent(Normal)": (  # the VAE's KL(q(z|x) ‖ p(z)), one number per example
        lambda M, p: M.Independent(M.Normal(p[0], p[1]), 1),
        [_rng(4).normal(size=(2, 3)), _rng(5).uniform(0.5, 2, (2, 3))],
        [np.zeros(3), np.ones(3)],
    ),
    "Independent(Normal, 2)": (
        lambda M, p: M.Independent(M.Normal(p[0], p[1]), 2),
        [_rng(4).normal(size=(2, 3)), _rng(5).uniform(0.5, 2, (2, 3))],
        [_rng(6).normal(size=(2, 3)), _rng(7).uniform(0.5, 2, (3,))],
    ),
    "LogNormal": (
        lambda M, p: M.LogNormal(p[0], p[1]),
        [np.array([0.0, 1.0]), np.array([1.0, 0.5])],
        [np.array([0.5, -1.0]), np.array([2.0, 1.5])],
    ),
    "MultivariateNormal": (
        lambda M, p: M.MultivariateNormal(p[0], scale_tril=_tril(M, p)),
        [_rng(4).normal(size=(2, 3)), _rng(5).normal(size=(3, 3)), _rng(6).uniform(0.5, 2, 3)],
        [_rng(7).normal(size=(3,)), _rng(8).normal(size=(2, 3, 3)), _rng(9).uniform(0.5, 2, 3)],
    ),
}


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_values_and_gradients_are_torchs_and_gradcheck(name: str) -> None:
    """KL(p ‖ q) and its gradient in both distributions' parameters as torch's; gradcheck;
    KL(p ‖ p) = 0."""
    build, pp, qp = KL_PAIRS[name]
    common.assert_kl_is_torchs(build, pp, qp, rtol=RTOL, grad_rtol=RTOL, grad_atol=1e-13)


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_is_the_monte_carlo_mean_of_the_log_ratio(name: str) -> None:
    """KL(p ‖ q) ≈ the mean of log p(x) − log q(x) over 100000 draws x ~ p (5 standard
    errors)."""
    build, pp, qp = KL_PAIRS[name]
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    common.assert_kl_is_the_monte_carlo_mean(p, q, 100_000, slack=1e-9)


def test_kl_refusals_are_torchs() -> None:
    """As torch: NotImplementedError for Independents of different depth and for transformed
    distributions with different transforms; ValueError for Gaussians of different sizes."""
    torch = _torch()
    for M, zeros in ((D, tg.zeros), (torch.distributions, torch.zeros)):
        n = M.Normal(zeros(2, 3), 1.0)
        with pytest.raises(NotImplementedError):
            M.kl_divergence(M.Independent(n, 1), M.Independent(n, 2))
        with pytest.raises(NotImplementedError):
            M.kl_divergence(
                M.TransformedDistribution(n, M.ExpTransform()),
                M.TransformedDistribution(n, M.SigmoidTransform()),
            )
    a = D.MultivariateNormal(tg.zeros(2), tg.eye(2))
    b = D.MultivariateNormal(tg.zeros(3), tg.eye(3))
    with pytest.raises(ValueError, match="different event shapes"):
        D.kl_divergence(a, b)


# ------------------------------------------------------------------------------------------
# shapes

SHAPE_CASES: list[tuple[str, Build, list[tuple[int, ...]]]] = [
    ("Independent", lambda M, p: M.Independent(M.Normal(p[0], p[1]), 1), [(3,), (3,)]),
    ("Independent", lambda M, p: M.Independent(M.Normal(p[0], p[1]), 1), [(2, 1, 3), (4, 3)]),
    ("Independent", lambda M, p: M.Independent(M.Normal(p[0], p[1]), 0), [(2,), (2,)]),
    ("Independent", lambda M, p: M.Independent(M.Bernoulli(p[0]), 2), [(2, 3, 4)]),
    (
        "Independent(Independent)",
        lambda M, p: M.Independent(M.Independent(M.Normal(p[0], p[1]), 1), 1),
        [(2, 3, 4), (4,)],
    ),
    ("LogNormal", lambda M, p: M.LogNormal(p[0], p[1]), [(), ()]),
    ("LogNormal", lambda M, p: M.LogNormal(p[0], p[1]), [(3, 1), (2,)]),
    (
        "Transformed",
        lambda M, p: M.TransformedDistribution(
            M.Normal(p[0], p[1]), [M.AffineTransform(p[0], p[1], event_dim=1)]
        ),
        [(2, 3), (3,)],
    ),
    (
        "Transformed",
        lambda M, p: M.TransformedDistribution(
            M.Normal(0.0, 1.0), [M.SigmoidTransform(), M.AffineTransform(p[0], p[1])]
        ),
        [(3,), (2, 1)],
    ),
    (
        "Transformed",
        lambda M, p: M.TransformedDistribution(
            M.Normal(p[0], p[1]), [M.ReshapeTransform((6,), (2, 3))]
        ),
        [(4, 6), (6,)],
    ),
    (
        "MVN",
        lambda M, p: M.MultivariateNormal(
            p[0], scale_tril=p[1].tril() + p[1].new_ones(3).diag_embed()
        ),
        [(3,), (3, 3)],
    ),
    (
        "MVN",
        lambda M, p: M.MultivariateNormal(p[0], p[1] @ p[1].mT + 1 + p[1].new_ones(3).diag_embed()),
        [(2, 1, 3), (4, 3, 3)],
    ),
    (
        "MVN",
        lambda M, p: M.MultivariateNormal(
            p[0], precision_matrix=p[1] @ p[1].mT + p[1].new_ones(2).diag_embed()
        ),
        [(5, 2), (2, 2)],
    ),
]


@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    """batch_shape, event_shape, support and the shapes of sample, rsample, log_prob,
    entropy, mean, variance and expand, as torch's."""
    _, build, shapes = SHAPE_CASES[case]
    params = [_rng(6).uniform(0.1, 0.9, s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    assert isinstance(ours.batch_shape, tg.Size) and isinstance(ours.event_shape, tg.Size)
    assert repr(ours.support) == repr(ref.support)
    assert ours.has_rsample == ref.has_rsample
    assert ours.has_enumerate_support == ref.has_enumerate_support
    x = ours.sample(sample_shape)
    assert x.shape == tuple(ref.sample(sample_shape).shape)
    assert x.dtype == ref.sample(sample_shape).numpy(force=True).dtype
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy(force=True))).shape)
    if ref.has_rsample:
        assert ours.rsample(sample_shape).shape == tuple(ref.rsample(sample_shape).shape)
    try:
        ref_entropy = ref.entropy()
    except NotImplementedError:
        ref_entropy = None
    if ref_entropy is not None:
        assert ours.entropy().shape == tuple(ref_entropy.shape)
        for attr in ("mean", "variance"):
            assert getattr(ours, attr).shape == tuple(getattr(ref, attr).shape)
    wide, ref_wide = common.expanded_beside_torch(ours, ref)
    assert wide.event_shape == ref_wide.event_shape
    assert wide.sample(sample_shape).shape == tuple(ref_wide.sample(sample_shape).shape)
    x1 = x.unsqueeze(len(sample_shape))  # broadcasts with the new batch dim
    wide_lp = wide.log_prob(x1)
    assert wide_lp.shape == tuple(ref_wide.log_prob(torch.tensor(x1.numpy(force=True))).shape)
    np.testing.assert_allclose(
        wide_lp.numpy(force=True), np.broadcast_to(ours.log_prob(x1).numpy(), wide_lp.shape)
    )


# ------------------------------------------------------------------------------------------
# validation


_EYE = [[1.0, 0.0], [0.0, 1.0]]
BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Independent too deep", lambda M, t: M.Independent(M.Normal(t([0.0]), 1.0), 2)),
    (
        "Independent value",
        lambda M, t: M.Independent(M.Exponential(t([1.0])), 1).log_prob(t([-1.0])),
    ),
    (
        "Transformed not a transform",
        lambda M, t: M.TransformedDistribution(M.Normal(0.0, 1.0), [1]),
    ),
    ("Transformed not a list", lambda M, t: M.TransformedDistribution(M.Normal(0.0, 1.0), 1)),
    (
        "Transformed too few dims",
        lambda M, t: M.TransformedDistribution(
            M.Normal(0.0, 1.0), M.AffineTransform(0.0, 1.0, event_dim=1)
        ),
    ),
    (
        "Transformed value",
        lambda M, t: M.TransformedDistribution(M.Normal(0.0, 1.0), M.ExpTransform()).log_prob(
            t(-1.0)
        ),
    ),
    ("LogNormal scale 0", lambda M, t: M.LogNormal(0.0, 0.0)),
    ("LogNormal nan loc", lambda M, t: M.LogNormal(t([math.nan]), 1.0)),
    ("LogNormal value", lambda M, t: M.LogNormal(0.0, 1.0).log_prob(t(-1.0))),
    ("LogNormal cdf value", lambda M, t: M.LogNormal(0.0, 1.0).cdf(t(-1.0))),
    ("MVN 0-d loc", lambda M, t: M.MultivariateNormal(t(0.0), t(_EYE))),
    ("MVN none", lambda M, t: M.MultivariateNormal(t([0.0, 0.0]))),
    ("MVN two", lambda M, t: M.MultivariateNormal(t([0.0, 0.0]), t(_EYE), scale_tril=t(_EYE))),
    ("MVN 1-d covariance", lambda M, t: M.MultivariateNormal(t([0.0]), t([1.0]))),
    ("MVN 1-d precision", lambda M, t: M.MultivariateNormal(t([0.0]), precision_matrix=t([1.0]))),
    ("MVN 1-d scale_tril", lambda M, t: M.MultivariateNormal(t([0.0]), scale_tril=t([1.0]))),
    ("MVN not symmetric", lambda M, t: M.MultivariateNormal(t([0.0, 0]), t([[1.0, 0.5], [0, 1]]))),
    ("MVN not definite", lambda M, t: M.MultivariateNormal(t([0.0, 0]), t([[1.0, 2], [2, 1]]))),
    ("MVN not square", lambda M, t: M.MultivariateNormal(t([0.0, 0]), t([[1.0, 0, 0], [0, 1, 0]]))),
    ("MVN precision", lambda M, t: M.MultivariateNormal(t([0.0, 0]), precision_matrix=-t(_EYE))),
    ("MVN upper", lambda M, t: M.MultivariateNormal(t([0.0, 0]), scale_tril=t([[1.0, 1], [0, 1]]))),
    (
        "MVN diagonal",
        lambda M, t: M.MultivariateNormal(t([0.0, 0]), scale_tril=t([[1.0, 0], [0, 0]])),
    ),
    ("MVN nan loc", lambda M, t: M.MultivariateNormal(t([0.0, math.nan]), t(_EYE))),
    ("MVN batch", lambda M, t: M.MultivariateNormal(t([[0.0, 0]] * 3), t([_EYE] * 2))),
    ("MVN value event", lambda M, t: M.MultivariateNormal(t([0.0, 0]), t(_EYE)).log_prob(t([0.0]))),
    (
        "MVN value nan",
        lambda M, t: M.MultivariateNormal(t([0.0, 0]), t(_EYE)).log_prob(t([0.0, math.nan])),
    ),
]


# torch's message there is its broadcast_shapes', worded differently
ONLY_THE_TYPE = {"MVN batch"}


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    """The same exception type as torch's and the same first line of message."""
    message = None if case in ONLY_THE_TYPE else common.first_line
    common.assert_raises_as_torch(dict(BAD)[case], message)


def test_validate_args_false_builds_what_validation_refuses() -> None:
    mvn = D.MultivariateNormal(
        tg.zeros(2), scale_tril=tg.tensor([[1.0, 5.0], [0.0, 1.0]]), validate_args=False
    )
    assert mvn.log_prob(tg.zeros(2)).shape == ()
    assert math.isnan(D.LogNormal(0.0, -1.0, validate_args=False).log_prob(tg.tensor(1.0)).item())


# ------------------------------------------------------------------------------------------
# samples


@pytest.mark.parametrize("name", ["LogNormal", "tanh(Normal)", "Logistic", "Exponential·−scale"])
@pytest.mark.parametrize("method", ["sample", "rsample"])
def test_univariate_samples_follow_the_cdf(name: str, method: str) -> None:
    """The KS distance between 20000 draws and the distribution's own cdf is below the 0.1%
    critical value 1.95/√n for every member of the batch."""
    build, params, _, _ = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    tg.manual_seed(11)
    n = 20_000
    x = getattr(dist, method)((n,)).detach()
    assert np.all(np.asarray(dist.support.check(x).numpy()))
    assert np.all(common.ks_distance(dist.cdf(x).numpy(force=True)) < 1.95 / math.sqrt(n))


def test_multivariate_normal_sample_moments() -> None:
    """Over 200000 draws the sample mean is within 5 standard errors of μ and the sample
    covariance within 5 of Σ (the variance of a sample covariance is (ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n);
    sample and rsample agree under the same seed."""
    cov = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    loc = np.array([1.0, -2.0, 0.5])
    for kwargs in (
        {"covariance_matrix": cov},
        {"precision_matrix": np.linalg.inv(cov)},
        {"scale_tril": np.linalg.cholesky(cov)},
    ):
        dist = D.MultivariateNormal(tg.tensor(loc), **{k: tg.tensor(v) for k, v in kwargs.items()})
        tg.manual_seed(12)
        n = 200_000
        x = dist.sample((n,)).numpy(force=True)
        assert x.shape == (n, 3)
        se_mean = np.sqrt(np.diag(cov) / n)
        assert np.all(np.abs(x.mean(0) - loc) < 5 * se_mean)
        se_cov = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / n)
        assert np.all(np.abs(np.cov(x.T) - cov) < 5 * se_cov)
        tg.manual_seed(12)
        np.testing.assert_allclose(dist.rsample((n,)).numpy(force=True), x)


def test_independent_normal_is_the_vae_encoder() -> None:
    """A VAE's diagonal Gaussian: z = rsample is differentiable in μ and log σ; the reparameterised
    ELBO term log p(z) − log q(z) averaged over draws estimates −KL(q ‖ N(0, I)), and the KL's
    gradient is the analytic μ̄ = μ, (log σ)‾ = σ² − 1."""
    rng = _rng(13)
    mu = tg.tensor(rng.normal(size=(4, 2)), requires_grad=True)
    log_sigma = tg.tensor(rng.normal(size=(4, 2)) * 0.3, requires_grad=True)
    q = D.Independent(D.Normal(mu, log_sigma.exp()), 1)
    prior = D.Independent(D.Normal(tg.zeros(4, 2, dtype=tg.float64), 1.0), 1)
    kl = D.kl_divergence(q, prior)
    assert kl.shape == (4,)
    tg.manual_seed(14)
    z = q.rsample((50_000,))
    assert z.requires_grad and z.shape == (50_000, 4, 2)
    mc = (q.log_prob(z) - prior.log_prob(z)).detach().numpy(force=True)
    assert np.all(np.abs(mc.mean(0) - kl.numpy(force=True)) < 5 * mc.std(0) / math.sqrt(50_000))
    kl.sum().backward()
    assert mu.grad is not None and log_sigma.grad is not None
    np.testing.assert_allclose(mu.grad.numpy(), mu.numpy(force=True), rtol=1e-12)
    sigma2 = np.exp(2 * log_sigma.numpy(force=True))
    np.testing.assert_allclose(log_sigma.grad.numpy(), sigma2 - 1, rtol=1e-12, atol=1e-15)


def test_matrix_constraints_are_torchs() -> None:
    """lower_triangular, lower_cholesky, square, symmetric, positive_semidefinite and
    positive_definite: check (batched), event_dim and repr as torch's."""
    torch = _torch()
    C = torch.distributions.constraints
    rng = _rng(8)
    A = rng.normal(size=(3, 3))
    matrices = [
        np.eye(3),
        A @ A.T + np.eye(3),
        np.tril(A),
        np.array([[[2.0, 1.0], [1.0, 2.0]], [[1.0, 2.0], [2.0, 1.0]], [[1.0, 0.0], [0.0, 0.0]]]),
        np.array([[1.0, 2.0], [0.0, 1.0]]),
        np.ones((2, 3)),
    ]
    names = [
        "lower_triangular",
        "lower_cholesky",
        "square",
        "symmetric",
        "positive_semidefinite",
        "positive_definite",
    ]
    for name in names:
        ours, theirs = getattr(constraints, name), getattr(C, name)
        assert repr(ours) == repr(theirs) and ours.event_dim == theirs.event_dim == 2
        for m in matrices:
            got, expected = ours.check(tg.tensor(m)), theirs.check(torch.tensor(m))
            assert got.shape == tuple(expected.shape), (name, m)
            np.testing.assert_array_equal(got.numpy(), expected.numpy(), err_msg=name)
