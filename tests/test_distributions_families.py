"""tinygrad_ed.distributions' further families: Gumbel, Cauchy, HalfNormal, the relaxed
(Concrete / Gumbel-softmax) Bernoulli and one-hot categorical, Geometric, Poisson, Binomial —
beside torch.distributions (float64, 1e-10), finite differences, closed forms (Σ pmf = 1,
densities integrate to 1), shapes, validation errors and the statistics of samples."""

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

RTOL = 1e-10
values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=1e-12,
    grad_rtol=RTOL,
    grad_atol=1e-11,
)
STATS = ["mean", "variance", "stddev", "mode"]
T = np.array([0.7])  # a temperature


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray, list[str]]]:
    rng = _rng(1)
    n01 = rng.normal
    return {
        "Gumbel": (
            lambda M, p: M.Gumbel(p[0], p[1]),
            [n01(size=(3,)), rng.uniform(0.5, 2.0, (2, 3))],
            n01(size=(4, 2, 3)),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "Cauchy": (
            lambda M, p: M.Cauchy(p[0], p[1]),
            [n01(size=(2, 1)), rng.uniform(0.5, 2.0, (3,))],
            n01(size=(4, 2, 3)) * 3,
            ["log_prob", "entropy", "cdf", "icdf", "mode"],
        ),
        "HalfNormal": (
            lambda M, p: M.HalfNormal(p[0]),
            [rng.uniform(0.5, 2.0, (2, 3))],
            np.abs(n01(size=(4, 2, 3))),
            ["log_prob", "entropy", "cdf", "icdf", *STATS],
        ),
        "RelaxedBernoulli(logits)": (
            lambda M, p: M.RelaxedBernoulli(p[0], logits=p[1]),
            [T, n01(size=(2, 3))],
            rng.uniform(0.05, 0.95, (4, 2, 3)),
            ["log_prob"],
        ),
        "RelaxedBernoulli(probs)": (
            lambda M, p: M.RelaxedBernoulli(p[0], probs=p[1]),
            [T, rng.uniform(0.1, 0.9, (3,))],
            rng.uniform(0.05, 0.95, (4, 3)),
            ["log_prob"],
        ),
        "RelaxedOneHotCategorical(logits)": (
            lambda M, p: M.RelaxedOneHotCategorical(p[0], logits=p[1]),
            [T, n01(size=(2, 4))],
            rng.dirichlet(np.ones(4), (3, 2)),
            ["log_prob"],
        ),
        "RelaxedOneHotCategorical(probs)": (
            lambda M, p: M.RelaxedOneHotCategorical(p[0], probs=p[1]),
            [T, rng.dirichlet(np.ones(3), 2)],
            rng.dirichlet(np.ones(3), (4, 2)),
            ["log_prob"],
        ),
        "Geometric(probs)": (
            lambda M, p: M.Geometric(probs=p[0]),
            [rng.uniform(0.1, 0.9, (2, 3))],
            rng.integers(0, 6, (4, 2, 3)).astype(np.float64),
            ["log_prob", "entropy", *STATS],
        ),
        "Geometric(logits)": (
            lambda M, p: M.Geometric(logits=p[0]),
            [n01(size=(3,))],
            rng.integers(0, 6, (4, 3)).astype(np.float64),
            ["log_prob", "entropy", *STATS],
        ),
        "Poisson": (
            lambda M, p: M.Poisson(p[0]),
            [rng.uniform(0.5, 5.0, (2, 3))],
            rng.integers(0, 8, (4, 2, 3)).astype(np.float64),
            ["log_prob", *STATS],
        ),
        "Binomial(probs)": (
            lambda M, p: M.Binomial(5, probs=p[0]),
            [rng.uniform(0.1, 0.9, (2, 3))],
            rng.integers(0, 6, (4, 2, 3)).astype(np.float64),
            ["log_prob", "entropy", *STATS],
        ),
        "Binomial(logits, counts)": (
            lambda M, p: M.Binomial(p[1], logits=p[0]),
            [n01(size=(2, 3)) * 2, rng.integers(6, 10, (3,)).astype(np.float64)],
            rng.integers(0, 6, (4, 2, 3)).astype(np.float64),
            ["log_prob", "mean", "variance", "mode"],
        ),
    }


CASES = _cases()
CONTINUOUS = {"Gumbel", "Cauchy", "HalfNormal"}


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
    """Backprop through each method agrees with central differences in every parameter (the
    integer counts of a Binomial held fixed)."""
    build, params, value, methods = CASES[name]
    common.assert_methods_gradcheck(
        name,
        build,
        params,
        value,
        [m for m in methods if m not in ("mode", "stddev")],
        quantile=_quantiles(value),
        n_fixed=len(params) - 1 if name.startswith("Binomial(logits") else 0,
    )


RSAMPLED = ["Gumbel", "Cauchy", "HalfNormal"] + [n for n in sorted(CASES) if "Relaxed" in n]


@pytest.mark.parametrize("name", RSAMPLED)
def test_rsample_gradcheck(name: str) -> None:
    """rsample is a differentiable function of the parameters (the temperature too) for fixed
    noise: reseeding gives the same noise, so finite differences see the function backprop
    does."""
    build, params, _, _ = CASES[name]
    common.assert_rsample_gradcheck(build, params)


def test_sample_is_not_differentiable_and_rsample_is() -> None:
    p = tg.tensor([0.2, 0.8], dtype=tg.float64, requires_grad=True)
    t = tg.tensor(0.5, dtype=tg.float64)
    for dist in (
        D.Gumbel(p, p),
        D.Cauchy(p, p),
        D.HalfNormal(p),
        D.RelaxedBernoulli(t, probs=p),
        D.RelaxedOneHotCategorical(t, probs=p),
    ):
        assert dist.has_rsample
        assert not dist.sample((2,)).requires_grad
        assert dist.rsample((2,)).requires_grad
    for dist in (D.Geometric(p), D.Poisson(p), D.Binomial(3, p)):
        assert not dist.has_rsample and not dist.sample((2,)).requires_grad
        with pytest.raises(NotImplementedError):
            dist.rsample()


# ------------------------------------------------------------------------------------------
# closed forms


def _grid_integral(
    dist: Any,
    lo: float,
    hi: float,
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n: int = 400_001,
) -> np.ndarray:
    """∫ fn(x, p(x)) dx over [lo, hi] for every member of the batch (trapezoid rule)."""
    x = np.linspace(lo, hi, n).reshape((n,) + (1,) * len(dist.batch_shape))
    x = np.broadcast_to(x, (n, *dist.batch_shape)).copy()
    logp = dist.log_prob(tg.tensor(x)).numpy(force=True)
    out: np.ndarray = np.trapezoid(fn(x, logp), x, axis=0)
    return out


@pytest.mark.parametrize(
    ("name", "lo", "hi"),
    [("Gumbel", -12.0, 60.0), ("HalfNormal", 0.0, 20.0), ("RelaxedBernoulli", 1e-12, 1 - 1e-12)],
)
def test_densities_integrate_to_one_with_their_moments_and_entropy(
    name: str, lo: float, hi: float
) -> None:
    """∫ p = 1, ∫ x p = mean, ∫ (x − mean)² p = variance and −∫ p log p = entropy, numerically,
    where the distribution has them."""
    dists = {
        "Gumbel": D.Gumbel(tg.tensor([0.0, 1.0]), tg.tensor([1.0, 2.0])),
        "HalfNormal": D.HalfNormal(tg.tensor([0.5, 2.0])),
        "RelaxedBernoulli": D.RelaxedBernoulli(
            tg.tensor([1.5, 2.0]), logits=tg.tensor([0.3, -1.0], dtype=tg.float64)
        ),
    }
    dist = dists[name]
    np.testing.assert_allclose(
        _grid_integral(dist, lo, hi, lambda x, lp: np.exp(lp)), 1.0, rtol=1e-6
    )
    if name == "RelaxedBernoulli":
        return
    mean = dist.mean.numpy(force=True)
    np.testing.assert_allclose(
        _grid_integral(dist, lo, hi, lambda x, lp: x * np.exp(lp)), mean, rtol=1e-6
    )
    np.testing.assert_allclose(
        _grid_integral(dist, lo, hi, lambda x, lp: (x - mean) ** 2 * np.exp(lp)),
        dist.variance.numpy(force=True),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        _grid_integral(dist, lo, hi, lambda x, lp: -lp * np.exp(lp)),
        dist.entropy().numpy(force=True),
        rtol=1e-6,
    )


def test_cauchy_closed_forms() -> None:
    """The density integrates to cdf(b) − cdf(a) on windows of the heavy tails; the median is
    loc and the quartiles loc ± scale; H = log 4πγ is −∫ p log p (the tails beyond ±10⁶
    contribute < 1e-4 there)."""
    c = D.Cauchy(tg.tensor([0.5], dtype=tg.float64), tg.tensor([2.0], dtype=tg.float64))
    for a, b in ((-3.0, 4.0), (-50.0, 10.0)):
        cdf = c.cdf(tg.tensor([[a], [b]])).numpy(force=True)
        got = _grid_integral(c, a, b, lambda x, lp: np.exp(lp))
        np.testing.assert_allclose(cdf[1] - cdf[0], got, rtol=1e-8)
    np.testing.assert_allclose(c.icdf(tg.tensor([0.25, 0.5, 0.75])).numpy(), [-1.5, 0.5, 2.5])
    x = np.sinh(np.linspace(-14.5, 14.5, 2_000_001))  # dense near the centre, reaching 10⁶
    lp = c.log_prob(tg.tensor(x[:, None])).numpy(force=True)[:, 0]
    assert math.isclose(np.trapezoid(-lp * np.exp(lp), x), c.entropy().item(), rel_tol=1e-4)


@pytest.mark.parametrize("name", ["Geometric(probs)", "Poisson", "Binomial(probs)"])
def test_pmfs_sum_to_one_with_their_moments_and_entropy(name: str) -> None:
    """Σₖ P(k) = 1, Σ k P(k) = mean, Σ (k − mean)² P(k) = variance and −Σ P log P = entropy
    (Geometric and Poisson summed to k = 400, where the tail is below 1e-30), and the mode is
    the most probable k."""
    build, params, _, methods = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    k = np.arange(401.0 if "Binomial" not in name else 6.0)
    k = k.reshape((-1,) + (1,) * len(dist.batch_shape)) * np.ones(dist.batch_shape)
    logp = dist.log_prob(tg.tensor(k)).numpy(force=True)
    pmf = np.exp(logp)
    mean = dist.mean.numpy(force=True)
    np.testing.assert_allclose(pmf.sum(0), 1.0, rtol=1e-12)
    np.testing.assert_allclose((k * pmf).sum(0), mean, rtol=1e-10)
    np.testing.assert_allclose(
        ((k - mean) ** 2 * pmf).sum(0), dist.variance.numpy(force=True), rtol=1e-10
    )
    if "entropy" in methods:
        np.testing.assert_allclose(
            -(pmf * logp).sum(0), dist.entropy().numpy(force=True), rtol=1e-10
        )
    most_probable = np.take_along_axis(k, pmf.argmax(0)[None], 0)[0]
    np.testing.assert_array_equal(most_probable, dist.mode.numpy(force=True))


def test_binomial_enumerate_support_and_limits() -> None:
    """enumerate_support is 0…n as torch's; the pmf over it sums to 1; counts of n = 0 put
    all mass on 0; a batch of different counts has no single support (torch's refusal)."""
    torch = _torch()
    probs = np.array([[0.2, 0.5], [0.9, 0.01]])
    ours = D.Binomial(4, tg.tensor(probs))
    ref = torch.distributions.Binomial(4, torch.tensor(probs))
    for expand in (True, False):
        np.testing.assert_array_equal(
            ours.enumerate_support(expand).numpy(), ref.enumerate_support(expand).numpy()
        )
    pmf = ours.log_prob(ours.enumerate_support()).exp().numpy(force=True)
    np.testing.assert_allclose(pmf.sum(0), 1.0, rtol=1e-12)
    zero = D.Binomial(0, tg.tensor([0.3, 0.7], dtype=tg.float64))
    assert zero.log_prob(tg.zeros(2, dtype=tg.float64)).numpy().tolist() == [0.0, 0.0]
    mixed = D.Binomial(tg.tensor([2.0, 3.0]), tg.tensor([0.5, 0.5]))
    for method in (mixed.entropy, mixed.enumerate_support):
        with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
            method()


def test_gumbel_max_and_the_relaxations() -> None:
    """The Gumbel-max trick: the argmax of a RelaxedOneHotCategorical draw is a Categorical(p)
    draw at any temperature, and a RelaxedBernoulli draw exceeds ½ with probability p; at a low
    temperature the draws sit near the vertices; rsample's gradient reaches the logits."""
    tg.manual_seed(21)
    probs = np.array([0.1, 0.2, 0.3, 0.4])
    n = 40_000
    for temperature in (0.1, 1.0, 5.0):
        t = tg.tensor([temperature], dtype=tg.float64)
        x = D.RelaxedOneHotCategorical(t, probs=tg.tensor(probs)).sample((n,)).numpy(force=True)
        np.testing.assert_allclose(x.sum(-1), 1.0, rtol=1e-12)
        freq = np.bincount(x.argmax(-1), minlength=4) / n
        assert np.all(np.abs(freq - probs) < 5 * np.sqrt(probs * (1 - probs) / n)), freq
        p = np.array([0.2, 0.5, 0.85])
        coins = D.RelaxedBernoulli(t, probs=tg.tensor(p)).sample((n,)).numpy(force=True)
        assert np.all((coins > 0) & (coins < 1))
        assert np.all(np.abs((coins > 0.5).mean(0) - p) < 5 * np.sqrt(p * (1 - p) / n))
    cold = D.RelaxedOneHotCategorical(tg.tensor([0.05]), logits=tg.zeros(4, dtype=tg.float64))
    assert np.median(cold.sample((1000,)).numpy(force=True).max(-1)) > 0.99
    z = tg.tensor([0.5, -0.2, 0.1], dtype=tg.float64, requires_grad=True)
    y = D.RelaxedOneHotCategorical(tg.tensor([0.5], dtype=tg.float64), logits=z).rsample((8,))
    (y * tg.tensor([1.0, 0.0, 0.0], dtype=tg.float64)).sum().backward()
    assert z.grad is not None and z.grad.numpy()[0] > 0 and abs(z.grad.numpy().sum()) < 1e-12


# ------------------------------------------------------------------------------------------
# KL divergence

KL_PAIRS: dict[str, tuple[Build, list[np.ndarray], list[np.ndarray]]] = {
    "Gumbel": (
        lambda M, p: M.Gumbel(p[0], p[1]),
        [np.array([0.0, 1.0]), np.array([1.0, 0.5])],
        [np.array([0.5, -1.0]), np.array([2.0, 1.5])],
    ),
    "Cauchy": (
        lambda M, p: M.Cauchy(p[0], p[1]),
        [np.array([0.0, 1.0]), np.array([1.0, 0.5])],
        [np.array([0.5, -1.0]), np.array([2.0, 1.5])],
    ),
    "HalfNormal": (
        lambda M, p: M.HalfNormal(p[0]),
        [np.array([1.0, 0.5])],
        [np.array([2.0, 0.7])],
    ),
    "Poisson": (lambda M, p: M.Poisson(p[0]), [np.array([0.5, 3.0])], [np.array([1.5, 2.0])]),
    "Geometric": (
        lambda M, p: M.Geometric(probs=p[0]),
        [np.array([0.3, 0.8])],
        [np.array([0.5, 0.4])],
    ),
    "Binomial": (
        lambda M, p: M.Binomial(6, logits=p[0]),
        [np.array([0.3, -1.0])],
        [np.array([1.5, 0.4])],
    ),
}


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_values_and_gradients_are_torchs_and_gradcheck(name: str) -> None:
    build, pp, qp = KL_PAIRS[name]
    common.assert_kl_is_torchs(build, pp, qp, rtol=RTOL, grad_rtol=RTOL, grad_atol=1e-13)


@pytest.mark.parametrize("name", ["Poisson", "Geometric", "Binomial"])
def test_discrete_kl_is_the_sum_over_the_support(name: str) -> None:
    """KL(p ‖ q) = Σₖ P(k)(log P(k) − log Q(k)), summed to k = 400 (tails below 1e-30)."""
    build, pp, qp = KL_PAIRS[name]
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    k = np.arange(401.0 if name != "Binomial" else 7.0)[:, None] * np.ones(2)
    lp, lq = p.log_prob(tg.tensor(k)).numpy(force=True), q.log_prob(tg.tensor(k)).numpy(force=True)
    np.testing.assert_allclose(
        D.kl_divergence(p, q).numpy(force=True), (np.exp(lp) * (lp - lq)).sum(0), rtol=1e-10
    )


@pytest.mark.parametrize("name", ["Gumbel", "Cauchy", "HalfNormal"])
def test_continuous_kl_is_the_monte_carlo_mean_of_the_log_ratio(name: str) -> None:
    """KL(p ‖ q) ≈ the mean of log p(x) − log q(x) over 200000 draws x ~ p (5 standard
    errors)."""
    build, pp, qp = KL_PAIRS[name]
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    common.assert_kl_is_the_monte_carlo_mean(p, q, 200_000)


def test_binomial_kl_counts_as_torch() -> None:
    """inf where p's count exceeds q's; NotImplementedError where q's exceeds p's."""
    torch = _torch()
    for M, t in ((D, tg.tensor), (torch.distributions, torch.tensor)):
        p = M.Binomial(t([5.0, 4.0]), t([0.3, 0.3]))
        q = M.Binomial(t([4.0, 4.0]), t([0.5, 0.5]))
        kl = M.kl_divergence(p, q).numpy()
        assert kl[0] == math.inf and np.isfinite(kl[1])
        with pytest.raises(NotImplementedError, match=r"q\.total_count > p\.total_count"):
            M.kl_divergence(q, p)


# ------------------------------------------------------------------------------------------
# shapes

_t = np.array([0.5])
SHAPE_CASES: list[tuple[str, Build, list[tuple[int, ...]]]] = [
    ("Gumbel", lambda M, p: M.Gumbel(p[0], p[1]), [(), ()]),
    ("Gumbel", lambda M, p: M.Gumbel(p[0], p[1]), [(3, 1), (2,)]),
    ("Cauchy", lambda M, p: M.Cauchy(p[0], p[1]), [(2,), (3, 1)]),
    ("HalfNormal", lambda M, p: M.HalfNormal(p[0]), [(2, 3)]),
    ("RelaxedBernoulli", lambda M, p: M.RelaxedBernoulli(p[0], probs=p[1]), [(1,), (2, 3)]),
    ("RelaxedBernoulli", lambda M, p: M.RelaxedBernoulli(p[0], logits=p[1]), [(), ()]),
    (
        "RelaxedOneHotCategorical",
        lambda M, p: M.RelaxedOneHotCategorical(p[0], logits=p[1]),
        [(), (4,)],
    ),
    (
        "RelaxedOneHotCategorical",
        lambda M, p: M.RelaxedOneHotCategorical(p[0], probs=p[1]),
        [(1,), (2, 3)],
    ),
    ("Geometric", lambda M, p: M.Geometric(probs=p[0]), [(3,)]),
    ("Geometric", lambda M, p: M.Geometric(logits=p[0]), [(2, 1)]),
    ("Poisson", lambda M, p: M.Poisson(p[0]), [()]),
    ("Poisson", lambda M, p: M.Poisson(p[0]), [(2, 3)]),
    ("Binomial", lambda M, p: M.Binomial(7, probs=p[0]), [(3,)]),
    ("Binomial", lambda M, p: M.Binomial(p[0] * 0 + 4, logits=p[1]), [(2, 1), (3,)]),
]


@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    """batch_shape, event_shape, support and the shapes and dtypes of sample, rsample,
    log_prob, mean, variance, entropy, expand and enumerate_support, as torch's."""
    _, build, shapes = SHAPE_CASES[case]
    params = [_rng(6).uniform(0.1, 0.9, s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    assert repr(ours.support) == repr(ref.support).replace("torch.", "")
    assert ours.has_rsample == ref.has_rsample
    assert ours.has_enumerate_support == ref.has_enumerate_support
    x = ours.sample(sample_shape)
    ref_x = ref.sample(sample_shape)
    assert x.shape == tuple(ref_x.shape) and x.dtype == ref_x.numpy(force=True).dtype
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy(force=True))).shape)
    if ref.has_rsample:
        assert ours.rsample(sample_shape).shape == tuple(ref.rsample(sample_shape).shape)
    for attr in ("mean", "variance"):
        try:
            expected = tuple(getattr(ref, attr).shape)
        except NotImplementedError:
            continue
        assert getattr(ours, attr).shape == expected
    try:
        entropy_shape = tuple(ref.entropy().shape)
    except NotImplementedError:
        entropy_shape = None
    if entropy_shape is not None:
        assert ours.entropy().shape == entropy_shape
    wide, ref_wide = common.expanded_beside_torch(ours, ref)
    assert wide.sample(sample_shape).shape == tuple(ref_wide.sample(sample_shape).shape)
    x1 = x.unsqueeze(len(sample_shape))
    np.testing.assert_allclose(
        wide.log_prob(x1).numpy(force=True),
        np.broadcast_to(ours.log_prob(x1).numpy(force=True), wide.log_prob(x1).shape),
    )
    if ref.has_enumerate_support:
        for expand in (True, False):
            np.testing.assert_array_equal(
                ours.enumerate_support(expand).numpy(), ref.enumerate_support(expand).numpy()
            )


# ------------------------------------------------------------------------------------------
# validation


BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Gumbel scale 0", lambda M, t: M.Gumbel(0.0, 0.0)),
    ("Gumbel nan loc", lambda M, t: M.Gumbel(t([math.nan]), 1.0)),
    ("Cauchy scale < 0", lambda M, t: M.Cauchy(t([0.0]), t([-1.0]))),
    ("Cauchy value nan", lambda M, t: M.Cauchy(0.0, 1.0).log_prob(t(math.nan))),
    ("HalfNormal scale 0", lambda M, t: M.HalfNormal(0.0)),
    ("HalfNormal value", lambda M, t: M.HalfNormal(1.0).log_prob(t(-1.0))),
    ("HalfNormal cdf value", lambda M, t: M.HalfNormal(1.0).cdf(t(-1.0))),
    ("RelaxedBernoulli neither", lambda M, t: M.RelaxedBernoulli(t(1.0))),
    ("RelaxedBernoulli both", lambda M, t: M.RelaxedBernoulli(t(1.0), 0.5, 0.0)),
    ("RelaxedBernoulli p > 1", lambda M, t: M.RelaxedBernoulli(t(1.0), probs=t([1.5]))),
    ("RelaxedBernoulli value", lambda M, t: M.RelaxedBernoulli(t(1.0), 0.5).log_prob(t(2.0))),
    ("RelaxedOneHot neither", lambda M, t: M.RelaxedOneHotCategorical(t(1.0))),
    ("RelaxedOneHot negative", lambda M, t: M.RelaxedOneHotCategorical(t(1.0), t([-0.1, 1.1]))),
    (
        "RelaxedOneHot value",
        lambda M, t: M.RelaxedOneHotCategorical(t(1.0), t([0.5, 0.5])).log_prob(t([0.2, 0.2])),
    ),
    (
        "RelaxedOneHot event",
        lambda M, t: M.RelaxedOneHotCategorical(t(1.0), t([0.5, 0.5])).log_prob(t([1.0])),
    ),
    ("Geometric neither", lambda M, t: M.Geometric()),
    ("Geometric p 0", lambda M, t: M.Geometric(t([0.5, 0.0]))),
    ("Geometric p > 1", lambda M, t: M.Geometric(1.5)),
    ("Geometric value", lambda M, t: M.Geometric(0.5).log_prob(t(1.5))),
    ("Geometric value < 0", lambda M, t: M.Geometric(0.5).log_prob(t(-1.0))),
    ("Poisson rate < 0", lambda M, t: M.Poisson(t([1.0, -1.0]))),
    ("Poisson value", lambda M, t: M.Poisson(2.0).log_prob(t(0.5))),
    ("Binomial neither", lambda M, t: M.Binomial(3)),
    ("Binomial count < 0", lambda M, t: M.Binomial(-1, t([0.5]))),
    ("Binomial count not whole", lambda M, t: M.Binomial(t([2.5]), t([0.5]))),
    ("Binomial p > 1", lambda M, t: M.Binomial(3, t([1.5]))),
    ("Binomial value > n", lambda M, t: M.Binomial(3, t([0.5])).log_prob(t([4.0]))),
    ("Binomial value not whole", lambda M, t: M.Binomial(3, t([0.5])).log_prob(t([1.5]))),
]


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    """The same exception type as torch's and the same first line of message."""
    common.assert_raises_as_torch(dict(BAD)[case], common.first_line_without_trailing_zeros)


# ------------------------------------------------------------------------------------------
# samples


@pytest.mark.parametrize("name", ["Gumbel", "Cauchy", "HalfNormal"])
@pytest.mark.parametrize("method", ["sample", "rsample"])
def test_continuous_samples_follow_the_cdf(name: str, method: str) -> None:
    """The KS distance between 20000 draws and the distribution's own cdf is below the 0.1%
    critical value 1.95/√n for every member of the batch."""
    build, params, _, _ = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    tg.manual_seed(11)
    n = 20_000
    x = getattr(dist, method)((n,)).detach()
    ks = common.ks_distance(dist.cdf(x).numpy(force=True))
    assert np.all(ks < 1.95 / math.sqrt(n)), ks


@pytest.mark.parametrize(
    "name", ["Geometric(probs)", "Geometric(logits)", "Poisson", "Binomial(probs)"]
)
def test_discrete_frequencies_match_the_pmf(name: str) -> None:
    """Over 40000 draws each value's frequency is within 5 standard errors of its probability
    (every member of the batch); the draws are whole numbers in the support; the same seed
    gives the same draws."""
    build, params, _, _ = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    tg.manual_seed(12)
    n = 40_000
    x = dist.sample((n,)).numpy(force=True)
    assert np.all(x == np.floor(x)) and np.all(x >= 0)
    assert bool(dist.support.check(tg.tensor(x)).all())
    k = np.arange(6.0 if "Binomial" in name else 12.0)
    k = k.reshape((-1,) + (1,) * len(dist.batch_shape)) * np.ones(dist.batch_shape)
    pmf = dist.log_prob(tg.tensor(k)).exp().numpy(force=True)
    freq = (x[None] == k[:, None]).mean(1)
    assert np.all(np.abs(freq - pmf) <= 5 * np.sqrt(pmf * (1 - pmf) / n) + 1e-12)
    tg.manual_seed(12)
    np.testing.assert_array_equal(dist.sample((n,)).numpy(force=True), x)
