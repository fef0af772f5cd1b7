"""tinygrad_ed.distributions: values and gradients beside torch.distributions (float64, 1e-10),
finite differences, closed forms, the shape rules, torch's validation errors, the distributions
of samples (fixed seeds, bounds of several standard errors) and a REINFORCE bandit."""

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

RTOL = 1e-10
values_and_gradients_beside_torch = functools.partial(
    common.assert_values_and_gradients_are_torchs,
    rtol=RTOL,
    atol=1e-12,
    grad_rtol=RTOL,
    grad_atol=1e-12,
)


def _one_hot(k: np.ndarray, n: int) -> np.ndarray:
    return np.eye(n)[k]


# A case: how to build the distribution from its parameters (with the module, tg.distributions
# or torch.distributions, so one lambda serves both), the parameters, and values in its support.


def _cases() -> dict[str, tuple[Build, list[np.ndarray], np.ndarray]]:
    rng = _rng(1)
    return {
        "Normal": (
            lambda M, p: M.Normal(p[0], p[1]),
            [rng.normal(size=(3, 1)), rng.uniform(0.5, 2.0, (4,))],
            rng.normal(size=(2, 3, 4)),
        ),
        "Categorical(probs)": (
            lambda M, p: M.Categorical(probs=p[0]),
            [rng.uniform(0.1, 1.0, (2, 4))],  # unnormalised weights: normalised inside
            rng.integers(0, 4, (5, 2)),
        ),
        "Categorical(logits)": (
            lambda M, p: M.Categorical(logits=p[0]),
            [rng.normal(size=(3, 5))],
            rng.integers(0, 5, (2, 3)),
        ),
        "OneHotCategorical(logits)": (
            lambda M, p: M.OneHotCategorical(logits=p[0]),
            [rng.normal(size=(2, 3))],
            _one_hot(rng.integers(0, 3, (4, 2)), 3),
        ),
        "OneHotCategorical(probs)": (
            lambda M, p: M.OneHotCategorical(probs=p[0]),
            [rng.uniform(0.1, 1.0, (3,))],
            _one_hot(rng.integers(0, 3, (4,)), 3),
        ),
        "Bernoulli(probs)": (
            lambda M, p: M.Bernoulli(probs=p[0]),
            [rng.uniform(0.1, 0.9, (2, 3))],
            rng.integers(0, 2, (4, 2, 3)).astype(np.float64),
        ),
        "Bernoulli(logits)": (
            lambda M, p: M.Bernoulli(logits=p[0]),
            [rng.normal(size=(3,)) * 3],
            rng.integers(0, 2, (3,)).astype(np.float64),
        ),
        "Uniform": (
            lambda M, p: M.Uniform(p[0], p[1]),
            [rng.uniform(-2.0, -1.0, (3,)), rng.uniform(1.0, 2.0, (2, 3))],
            rng.uniform(-0.9, 0.9, (4, 2, 3)),
        ),
        "Exponential": (
            lambda M, p: M.Exponential(p[0]),
            [rng.uniform(0.5, 2.0, (2, 3))],
            rng.uniform(0.1, 3.0, (2, 3)),
        ),
        "Laplace": (
            lambda M, p: M.Laplace(p[0], p[1]),
            [rng.normal(size=(3,)), rng.uniform(0.5, 2.0, (3,))],
            rng.normal(size=(4, 3)) + 3.0,  # away from loc, the kink of |x − loc|
        ),
    }


CASES = _cases()
CONTINUOUS = {"Normal", "Uniform", "Exponential", "Laplace"}
DISCRETE = sorted(set(CASES) - CONTINUOUS)


def _methods(name: str) -> list[str]:
    """The methods and properties of the case that torch computes as a function of the
    parameters (not random)."""
    out = ["log_prob", "entropy", "mean", "variance", "stddev", "mode", "perplexity"]
    if name in CONTINUOUS:
        out += ["cdf", "icdf"]
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_are_torchs(name: str) -> None:
    """Every method, on the same float64 parameters, gives torch's values, and the gradient of a
    random weighting of them reaches each parameter as torch's does (1e-10 relative)."""
    build, params, value = CASES[name]
    values_and_gradients_beside_torch(
        name, build, params, value, _methods(name), quantile=_quantiles(value)
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_entropy_cdf_gradcheck(name: str) -> None:
    """Backprop through each differentiable method agrees with central differences."""
    build, params, value = CASES[name]
    methods = ["log_prob", "entropy", "mean", "variance"] + (
        ["cdf", "icdf"] if name in CONTINUOUS else []
    )
    if name.startswith("Categorical"):
        methods = ["log_prob", "entropy"]  # the mean and variance are nan, with no gradient
    common.assert_methods_gradcheck(name, build, params, value, methods, quantile=_quantiles(value))


@pytest.mark.parametrize("name", ["Normal", "Uniform", "Exponential", "Laplace"])
def test_rsample_gradcheck_and_the_reparameterisation(name: str) -> None:
    """rsample is a differentiable function of the parameters for fixed noise: reseeding gives
    the same noise, so finite differences see the same function backprop does."""
    build, params, _ = CASES[name]
    common.assert_rsample_gradcheck(build, params)


def test_normal_rsample_gradients_are_one_and_the_noise() -> None:
    """x = μ + σε: ∂x/∂μ = 1, ∂x/∂σ = ε = (x − μ)/σ."""
    loc = tg.tensor([0.5, -1.0], dtype=tg.float64, requires_grad=True)
    scale = tg.tensor([2.0, 0.5], dtype=tg.float64, requires_grad=True)
    x = D.Normal(loc, scale).rsample((1000,))
    assert x.requires_grad and x.shape == (1000, 2)
    x.sum().backward()
    assert loc.grad is not None and scale.grad is not None
    np.testing.assert_allclose(loc.grad.numpy(force=True), [1000, 1000])
    eps = (x.numpy(force=True) - loc.numpy(force=True)) / scale.numpy(force=True)
    np.testing.assert_allclose(scale.grad.numpy(force=True), eps.sum(0), rtol=1e-12)


def test_sample_is_not_differentiable_and_rsample_is() -> None:
    p = tg.tensor([0.2, 0.8], dtype=tg.float64, requires_grad=True)
    for dist in (D.Normal(p, p), D.Uniform(p - 1, p), D.Exponential(p), D.Laplace(p, p)):
        assert not dist.sample((2,)).requires_grad
        assert dist.rsample((2,)).requires_grad
    for dist in (D.Categorical(p), D.Bernoulli(p), D.OneHotCategorical(p)):
        assert not dist.sample((2,)).requires_grad
        assert not dist.has_rsample
        with pytest.raises(NotImplementedError):
            dist.rsample()


# ------------------------------------------------------------------------------------------
# closed forms


@pytest.mark.parametrize("name", DISCRETE)
def test_probabilities_of_the_support_sum_to_one_and_give_the_entropy(name: str) -> None:
    """Σₓ p(x) = 1 over enumerate_support, batched; H = −Σₓ p(x) log p(x); the mean is
    Σₓ x p(x) (for the one-hot and Bernoulli cases)."""
    build, params, _ = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    support = dist.enumerate_support()
    logp = dist.log_prob(support).numpy(force=True)
    np.testing.assert_allclose(np.exp(logp).sum(0), np.ones(dist.batch_shape), rtol=1e-12)
    np.testing.assert_allclose(
        -(np.exp(logp) * logp).sum(0), dist.entropy().numpy(force=True), rtol=1e-12, atol=1e-15
    )
    if not name.startswith("Categorical"):
        weights = np.exp(logp).reshape(logp.shape + (1,) * len(dist.event_shape))
        np.testing.assert_allclose(
            (weights * support.numpy(force=True)).sum(0), dist.mean.numpy(force=True)
        )


def test_categorical_closed_forms() -> None:
    """Uniform over K: H = log K; logits and probs = softmax(logits) describe one
    distribution; ∂ log p_k/∂z = e_k − p; a class of probability 0 adds nothing to H."""
    for k in (2, 5, 10):
        np.testing.assert_allclose(D.Categorical(logits=tg.zeros(k)).entropy().item(), math.log(k))
        assert math.isclose(
            D.Categorical(probs=tg.ones(3, k, dtype=tg.float64)).entropy()[2].item(), math.log(k)
        )
    z = tg.tensor(_rng().normal(size=(2, 4)), requires_grad=True)
    by_logits = D.Categorical(logits=z)
    by_probs = D.Categorical(probs=z.detach().softmax(-1))
    value = tg.tensor([[3, 0], [1, 2], [0, 0]])
    np.testing.assert_allclose(
        by_logits.log_prob(value).numpy(force=True),
        by_probs.log_prob(value).numpy(force=True),
        rtol=1e-12,
    )
    by_logits.log_prob(tg.tensor([3, 1])).sum().backward()
    p = z.detach().softmax(-1).numpy(force=True)
    assert z.grad is not None
    np.testing.assert_allclose(z.grad.numpy(force=True), np.eye(4)[[3, 1]] - p, rtol=1e-12)
    zero = D.Categorical(probs=tg.tensor([0.5, 0.5, 0.0], dtype=tg.float64))
    assert zero.entropy().item() == pytest.approx(math.log(2), rel=1e-12)
    assert D.Bernoulli(0.5).entropy().item() == pytest.approx(math.log(2), rel=1e-6)


def test_continuous_closed_forms() -> None:
    """Normal: H = ½ log(2πeσ²), cdf(μ) = ½, icdf(cdf(x)) = x; Uniform: density 1/(b − a)
    inside, 0 outside; Exponential: cdf = 1 − e^{−λx}; Laplace: icdf(cdf(x)) = x."""
    sigma = np.array([0.5, 1.0, 3.0])
    n = D.Normal(tg.tensor([1.0, -2.0, 0.0], dtype=tg.float64), tg.tensor(sigma))
    np.testing.assert_allclose(
        n.entropy().numpy(force=True), 0.5 * np.log(2 * np.pi * np.e * sigma**2)
    )
    np.testing.assert_allclose(n.cdf(n.loc).numpy(force=True), 0.5)
    x = n.loc + n.scale * tg.tensor(_rng().normal(size=(5, 3)))  # cdf < 1 in float64
    for dist in (n, D.Laplace(n.loc, n.scale)):
        np.testing.assert_allclose(dist.icdf(dist.cdf(x)).numpy(), x.numpy(), rtol=1e-8)
    u = D.Uniform(tg.tensor([0.0, 1.0], dtype=tg.float64), tg.tensor([2.0, 5.0]), False)
    np.testing.assert_allclose(
        u.log_prob(tg.tensor([1.0, 4.0])).numpy(force=True), -np.log([2.0, 4.0])
    )
    assert u.log_prob(tg.tensor([3.0, 0.0])).numpy(force=True).tolist() == [-math.inf, -math.inf]
    rate = tg.tensor([0.5, 2.0], dtype=tg.float64)
    np.testing.assert_allclose(
        D.Exponential(rate).cdf(tg.tensor([1.0, 1.0])).numpy(force=True),
        1 - np.exp(-rate.numpy(force=True)),
    )


# ------------------------------------------------------------------------------------------
# KL divergence

KL_PAIRS: dict[str, tuple[Build, list[np.ndarray], list[np.ndarray]]] = {
    "Normal": (
        lambda M, p: M.Normal(p[0], p[1]),
        [np.array([0.0, 1.0, -1.0]), np.array([1.0, 0.5, 2.0])],
        [np.array([[0.5], [1.0]]), np.array([2.0, 1.0, 0.7])],
    ),
    "Categorical": (
        lambda M, p: M.Categorical(logits=p[0]),
        [_rng(4).normal(size=(2, 4))],
        [_rng(5).normal(size=(4,))],
    ),
    "OneHotCategorical": (
        lambda M, p: M.OneHotCategorical(probs=p[0]),
        [_rng(4).uniform(0.1, 1, (2, 3))],
        [_rng(5).uniform(0.1, 1, (2, 3))],
    ),
    "Bernoulli": (
        lambda M, p: M.Bernoulli(logits=p[0]),
        [_rng(4).normal(size=(3,))],
        [_rng(5).normal(size=(3,))],
    ),
    "Uniform": (
        lambda M, p: M.Uniform(p[0], p[1]),
        [np.array([0.0, 0.5]), np.array([1.0, 1.5])],
        [np.array([-1.0, 0.0]), np.array([2.0, 3.0])],
    ),
    "Exponential": (
        lambda M, p: M.Exponential(p[0]),
        [np.array([0.5, 2.0])],
        [np.array([1.0, 3.0])],
    ),
    "Laplace": (
        lambda M, p: M.Laplace(p[0], p[1]),
        [np.array([0.0, 1.0]), np.array([1.0, 0.5])],
        [np.array([0.5, -1.0]), np.array([2.0, 1.5])],
    ),
}


@pytest.mark.parametrize("name", sorted(KL_PAIRS))
def test_kl_values_and_gradients_are_torchs_and_gradcheck(name: str) -> None:
    build, pp, qp = KL_PAIRS[name]
    common.assert_kl_is_torchs(build, pp, qp, rtol=RTOL, grad_rtol=RTOL, grad_atol=1e-14)


@pytest.mark.parametrize("name", ["Categorical", "OneHotCategorical", "Bernoulli"])
def test_discrete_kl_is_the_sum_over_the_support(name: str) -> None:
    """KL(p ‖ q) = Σₓ p(x)(log p(x) − log q(x)), summed over enumerate_support."""
    build, pp, qp = KL_PAIRS[name]
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    x = p.expand(tg.broadcast_shapes(p.batch_shape, q.batch_shape)).enumerate_support()
    lp, lq = p.log_prob(x).numpy(force=True), q.log_prob(x).numpy(force=True)
    np.testing.assert_allclose(
        D.kl_divergence(p, q).numpy(force=True), (np.exp(lp) * (lp - lq)).sum(0)
    )


@pytest.mark.parametrize("name", ["Normal", "Uniform", "Exponential", "Laplace"])
def test_continuous_kl_is_the_monte_carlo_mean_of_the_log_ratio(name: str) -> None:
    """KL(p ‖ q) ≈ mean of log p(x) − log q(x) over 200000 draws x ~ p (within 5 standard
    errors)."""
    build, pp, qp = KL_PAIRS[name]
    p, q = build(D, [tg.tensor(a) for a in pp]), build(D, [tg.tensor(a) for a in qp])
    p = p.expand(tg.broadcast_shapes(p.batch_shape, q.batch_shape))
    common.assert_kl_is_the_monte_carlo_mean(p, q, 200_000, slack=1e-9)


def test_kl_infinities_where_q_misses_what_p_covers() -> None:
    """As torch: inf where q gives probability 0 to an outcome of p; 0 contributions where p
    does."""
    torch = _torch()
    pairs = [
        ([0.5, 0.5, 0.0], [0.0, 1.0, 0.0]),
        ([0.0, 1.0, 0.0], [0.5, 0.5, 0.0]),
    ]
    for a, b in pairs:
        ours = D.kl_divergence(D.Categorical(tg.tensor(a)), D.Categorical(tg.tensor(b)))
        ref = torch.distributions.kl_divergence(
            torch.distributions.Categorical(torch.tensor(a)),
            torch.distributions.Categorical(torch.tensor(b)),
        )
        np.testing.assert_allclose(ours.numpy(force=True), ref.numpy(force=True), rtol=1e-6)
    for a, b in [(0.0, 0.5), (1.0, 0.5), (0.5, 0.0), (0.5, 1.0)]:
        ours = D.kl_divergence(D.Bernoulli(a), D.Bernoulli(b))
        ref = torch.distributions.kl_divergence(
            torch.distributions.Bernoulli(a), torch.distributions.Bernoulli(b)
        )
        np.testing.assert_allclose(ours.numpy(force=True), ref.numpy(force=True), rtol=1e-6)
    ours = D.kl_divergence(D.Uniform(0.0, tg.tensor([1.0, 3.0])), D.Uniform(0.0, 2.0))
    assert ours.numpy(force=True)[1] == math.inf and ours.numpy(force=True)[0] == pytest.approx(
        math.log(2)
    )


def test_kl_registry() -> None:
    with pytest.raises(NotImplementedError, match="No KL\\(p \\|\\| q\\) is implemented for p "):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Categorical(tg.tensor([0.5, 0.5])))
    # two exponential families with no pair of their own reach the Bregman form, which
    # refuses different families (torch's message)
    with pytest.raises(NotImplementedError, match="cross KL-divergence between different"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Bernoulli(0.5))
    with pytest.raises(TypeError, match="Distribution subclass"):
        D.register_kl(int, D.Normal)

    class Wide(D.Normal):
        pass

    # a subclass uses its parent's formula until it registers its own
    p, q = Wide(0.0, 2.0), D.Normal(1.0, 1.0)
    assert D.kl_divergence(p, q).item() == D.kl_divergence(D.Normal(0.0, 2.0), q).item()
    D.register_kl(Wide, D.Normal)(lambda p, q: tg.tensor(-1.0))
    try:
        assert D.kl_divergence(p, q).item() == -1.0
    finally:
        del D.kl._KL_REGISTRY[Wide, D.Normal]
        D.kl._KL_MEMOIZE.clear()


# ------------------------------------------------------------------------------------------
# shapes

SHAPE_CASES: list[tuple[str, Build, list[tuple[int, ...]]]] = [
    ("Normal", lambda M, p: M.Normal(p[0], p[1]), [(), ()]),
    ("Normal", lambda M, p: M.Normal(p[0], p[1]), [(3, 1), (4,)]),
    ("Categorical", lambda M, p: M.Categorical(logits=p[0]), [(4,)]),
    ("Categorical", lambda M, p: M.Categorical(probs=p[0]), [(2, 3, 4)]),
    ("OneHotCategorical", lambda M, p: M.OneHotCategorical(logits=p[0]), [(5,)]),
    ("OneHotCategorical", lambda M, p: M.OneHotCategorical(logits=p[0]), [(2, 5)]),
    ("Bernoulli", lambda M, p: M.Bernoulli(probs=p[0]), [()]),
    ("Bernoulli", lambda M, p: M.Bernoulli(logits=p[0]), [(2, 1, 3)]),
    ("Uniform", lambda M, p: M.Uniform(p[0], p[0] + 1), [(2,)]),
    ("Exponential", lambda M, p: M.Exponential(p[0] + 1), [(3,)]),
    ("Laplace", lambda M, p: M.Laplace(p[0], p[1] + 1), [(2, 2), (2,)]),
]


@pytest.mark.parametrize("case", range(len(SHAPE_CASES)))
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_shapes_are_torchs(case: int, sample_shape: tuple[int, ...]) -> None:
    """batch_shape, event_shape and the shapes of sample, rsample, log_prob, entropy, mean,
    expand and enumerate_support, as torch's, for parameters of several shapes."""
    _, build, shapes = SHAPE_CASES[case]
    params = [_rng(6).uniform(0.1, 0.9, s) for s in shapes]
    torch, ours, ref = common.built_beside_torch(build, params)
    assert isinstance(ours.batch_shape, tg.Size)
    x = ours.sample(sample_shape)
    assert x.shape == tuple(ref.sample(sample_shape).shape)
    assert x.dtype == ref.sample(sample_shape).numpy(force=True).dtype
    assert ours.log_prob(x).shape == tuple(ref.log_prob(torch.tensor(x.numpy(force=True))).shape)
    if ref.has_rsample:
        assert ours.rsample(sample_shape).shape == tuple(ref.rsample(sample_shape).shape)
    assert ours.entropy().shape == tuple(ref.entropy().shape)
    assert ours.mean.shape == tuple(ref.mean.shape)
    wide, ref_wide = common.expanded_beside_torch(ours, ref)
    assert wide.sample(sample_shape).shape == tuple(ref_wide.sample(sample_shape).shape)
    np.testing.assert_allclose(
        wide.entropy().numpy(force=True),
        np.broadcast_to(ours.entropy().numpy(force=True), wide.batch_shape),
    )
    if ref.has_enumerate_support:
        for expand in (True, False):
            support = ours.enumerate_support(expand)
            ref_support = ref.enumerate_support(expand)
            assert support.shape == tuple(ref_support.shape)
            np.testing.assert_array_equal(support.numpy(force=True), ref_support.numpy(force=True))


def test_sample_shape_takes_a_size_a_tuple_or_a_list() -> None:
    dist = D.Categorical(logits=tg.zeros(2, 3))
    for shape in (tg.Size([4]), (4,), [4]):
        assert dist.sample(shape).shape == (4, 2)
    assert D.Normal(0.0, 1.0).sample().shape == ()


# ------------------------------------------------------------------------------------------
# validation


def _message(error: BaseException) -> str:
    """The first line of a message, torch's names written as ours."""
    return str(error).splitlines()[0].replace("torch.Size", "Size")


BAD: list[tuple[str, Callable[[Any, Callable[..., Any]], Any]]] = [
    ("Normal scale < 0", lambda M, t: M.Normal(0.0, -1.0)),
    ("Normal nan loc", lambda M, t: M.Normal(t([0.0, math.nan]), 1.0)),
    ("Normal scale 0 tensor", lambda M, t: M.Normal(t([0.0, 1.0]), t([1.0, 0.0]))),
    ("Categorical negative", lambda M, t: M.Categorical(probs=t([-0.1, 1.1]))),
    ("Categorical nan logits", lambda M, t: M.Categorical(logits=t([math.nan, 0.0]))),
    ("Categorical neither", lambda M, t: M.Categorical()),
    ("Categorical both", lambda M, t: M.Categorical(t([0.5, 0.5]), t([0.0, 0.0]))),
    ("Categorical 0-d probs", lambda M, t: M.Categorical(probs=t(0.5))),
    ("Categorical 0-d logits", lambda M, t: M.Categorical(logits=t(0.5))),
    ("OneHot negative", lambda M, t: M.OneHotCategorical(probs=t([-0.1, 1.1]))),
    ("Bernoulli p > 1", lambda M, t: M.Bernoulli(1.5)),
    ("Bernoulli p < 0", lambda M, t: M.Bernoulli(probs=t([0.2, -0.1]))),
    ("Bernoulli neither", lambda M, t: M.Bernoulli()),
    ("Bernoulli a string", lambda M, t: M.Bernoulli("a")),
    ("Uniform low > high", lambda M, t: M.Uniform(1.0, 0.0)),
    ("Uniform low = high", lambda M, t: M.Uniform(t([0.0, 1.0]), t([1.0, 1.0]))),
    ("Exponential rate 0", lambda M, t: M.Exponential(0.0)),
    ("Laplace scale 0", lambda M, t: M.Laplace(0.0, 0.0)),
    ("log_prob outside", lambda M, t: M.Categorical(t([0.5, 0.5])).log_prob(t([2]).long())),
    ("log_prob not whole", lambda M, t: M.Categorical(t([0.5, 0.5])).log_prob(t([0.5]))),
    ("log_prob number", lambda M, t: M.Normal(0.0, 1.0).log_prob(1.0)),
    ("log_prob shape", lambda M, t: M.Normal(t([0.0, 1, 2]), 1.0).log_prob(t([0.0, 1]))),
    ("log_prob event", lambda M, t: M.OneHotCategorical(t([0.5, 0.5])).log_prob(t([1.0]))),
    ("log_prob not one-hot", lambda M, t: M.OneHotCategorical(t([0.5, 0.5])).log_prob(t([1.0, 1]))),
    ("Bernoulli value", lambda M, t: M.Bernoulli(0.3).log_prob(t(0.5))),
    ("Uniform value", lambda M, t: M.Uniform(0.0, 1.0).log_prob(t(2.0))),
    ("Uniform cdf value", lambda M, t: M.Uniform(0.0, 1.0).cdf(t(-2.0))),
    ("Exponential value", lambda M, t: M.Exponential(1.0).log_prob(t(-1.0))),
    ("Normal cdf nan", lambda M, t: M.Normal(0.0, 1.0).cdf(t(math.nan))),
]


# torch's message there names torch.Tensor and __torch_function__
ONLY_THE_TYPE = {"Bernoulli a string"}


@pytest.mark.parametrize("case", [name for name, _ in BAD])
def test_validation_errors_are_torchs(case: str) -> None:
    """The same exception type as torch's and the same first line of message."""
    message = None if case in ONLY_THE_TYPE else _message
    common.assert_raises_as_torch(dict(BAD)[case], message, float64=False)


def test_validate_args_false_skips_the_checks() -> None:
    """validate_args=False builds what validation refuses (log 0 of the bad scale is nan);
    set_default_validate_args changes the default for distributions built afterwards."""
    dist = D.Normal(0.0, -1.0, validate_args=False)
    assert math.isnan(dist.log_prob(tg.tensor(0.0)).item())
    assert D.Uniform(0.0, 1.0, validate_args=False).log_prob(tg.tensor(2.0)).item() == -math.inf
    previous = D.Distribution._validate_args
    try:
        D.Distribution.set_default_validate_args(False)
        assert D.Bernoulli(2.0).probs.item() == 2.0
        with pytest.raises(ValueError, match="Interval"):
            D.Bernoulli(2.0, validate_args=True)
    finally:
        D.Distribution.set_default_validate_args(previous)
    with pytest.raises(ValueError):
        D.Distribution.set_default_validate_args(2)  # type: ignore[arg-type]


def test_sample_n_warns_as_torch() -> None:
    with pytest.warns(FutureWarning, match="sample_n"):
        assert D.Normal(0.0, 1.0).sample_n(3).shape == (3,)


# ------------------------------------------------------------------------------------------
# constraints and the module


def test_constraints_check_and_print_as_torchs() -> None:
    torch = _torch()
    C = torch.distributions.constraints
    values = np.array([-1.0, 0.0, 0.25, 1.0, 2.0, 3.0, math.inf, math.nan])
    ours_and_theirs = [
        (constraints.real, C.real),
        (constraints.positive, C.positive),
        (constraints.nonnegative, C.nonnegative),
        (constraints.unit_interval, C.unit_interval),
        (constraints.boolean, C.boolean),
        (constraints.nonnegative_integer, C.nonnegative_integer),
        (constraints.positive_integer, C.positive_integer),
        (constraints.integer_interval(0, 2), C.integer_interval(0, 2)),
        (constraints.interval(0.0, 2.0), C.interval(0.0, 2.0)),
        (constraints.half_open_interval(0.0, 2.0), C.half_open_interval(0.0, 2.0)),
        (constraints.greater_than(1.0), C.greater_than(1.0)),
        (constraints.greater_than_eq(1.0), C.greater_than_eq(1.0)),
        (constraints.less_than(1.0), C.less_than(1.0)),
    ]
    for ours, theirs in ours_and_theirs:
        assert repr(ours) == repr(theirs)
        assert ours.is_discrete == theirs.is_discrete and ours.event_dim == theirs.event_dim
        np.testing.assert_array_equal(
            ours.check(tg.tensor(values)).numpy(force=True),
            theirs.check(torch.tensor(values)).numpy(force=True),
        )
    rows = np.array([[0.2, 0.8], [0.5, 0.6], [1.0, 0.0], [-0.1, 1.1], [0.0, math.nan]])
    for ours, theirs in [
        (constraints.simplex, C.simplex),
        (constraints.one_hot, C.one_hot),
        (constraints.real_vector, C.real_vector),
    ]:
        assert repr(ours) == repr(theirs) and ours.event_dim == theirs.event_dim == 1
        np.testing.assert_array_equal(
            ours.check(tg.tensor(rows)).numpy(force=True),
            theirs.check(torch.tensor(rows)).numpy(force=True),
        )
    assert constraints.is_dependent(constraints.dependent)
    assert constraints.is_dependent(D.Uniform.support) and constraints.is_dependent(
        D.Categorical.support
    )
    assert not constraints.is_dependent(constraints.real)
    with pytest.raises(ValueError, match="dependent"):
        constraints.dependent.check(tg.tensor(0.0))
    assert repr(D.Categorical(tg.ones(3)).support) == repr(
        torch.distributions.Categorical(torch.ones(3)).support
    )


def test_the_module_is_torchs_part() -> None:
    torch = _torch()
    assert tg.distributions is D and "distributions" in tg.__all__
    assert set(D.__all__) <= set(torch.distributions.__all__) | {"constraints", "kl"}
    assert D.kl.kl_divergence is D.kl_divergence
    for name in D.__all__:
        ours, theirs = getattr(D, name), getattr(torch.distributions, name, None)
        if isinstance(theirs, type) and issubclass(theirs, torch.distributions.Transform):
            assert issubclass(ours, D.Transform), name
        elif isinstance(ours, type) and theirs is not None:
            for attr in ("has_rsample", "has_enumerate_support"):
                ref = getattr(theirs, attr)
                if isinstance(ref, property):  # decided by the instance (Independent's base)
                    assert isinstance(getattr(ours, attr), property), (name, attr)
                else:
                    assert getattr(ours, attr) == ref, (name, attr)
            assert issubclass(ours, D.Distribution)
    dist = D.Normal(tg.zeros(2), 1.0)
    ref = torch.distributions.Normal(torch.zeros(2), 1.0)
    assert repr(dist) == repr(ref).replace("torch.Size", "Size")
    assert repr(D.Bernoulli(0.25)) == repr(torch.distributions.Bernoulli(0.25))


# ------------------------------------------------------------------------------------------
# samples


def test_categorical_frequencies_match_the_probabilities() -> None:
    """Each class's frequency over 40000 draws is within 5 standard errors of its probability,
    in every row of a batch; the same seed gives the same draws."""
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.0, 0.2, 0.1]])
    dist = D.Categorical(tg.tensor(probs))
    tg.manual_seed(0)
    draws = dist.sample((40_000,)).numpy(force=True)
    assert draws.dtype == np.int64 and draws.shape == (40_000, 2)
    n = len(draws)
    for row in range(2):
        freq = np.bincount(draws[:, row], minlength=4) / n
        bound = 5 * np.sqrt(probs[row] * (1 - probs[row]) / n)
        assert np.all(np.abs(freq - probs[row]) <= bound), (row, freq)
    assert not np.any(draws[:, 1] == 1)  # probability 0 is never drawn
    tg.manual_seed(0)
    np.testing.assert_array_equal(dist.sample((40_000,)).numpy(force=True), draws)
    tg.manual_seed(1)
    assert not np.array_equal(dist.sample((40_000,)).numpy(force=True), draws)


def test_one_hot_and_bernoulli_frequencies() -> None:
    tg.manual_seed(1)
    probs = np.array([0.2, 0.5, 0.3])
    onehot = D.OneHotCategorical(tg.tensor(probs)).sample((30_000,)).numpy(force=True)
    assert set(np.unique(onehot)) == {0.0, 1.0} and np.all(onehot.sum(-1) == 1)
    se = np.sqrt(probs * (1 - probs) / 30_000)
    assert np.all(np.abs(onehot.mean(0) - probs) <= 5 * se)
    p = np.array([0.05, 0.5, 0.9])
    coins = D.Bernoulli(tg.tensor(p)).sample((30_000,)).numpy(force=True)
    assert set(np.unique(coins)) <= {0.0, 1.0}
    assert np.all(np.abs(coins.mean(0) - p) <= 5 * np.sqrt(p * (1 - p) / 30_000))


@pytest.mark.parametrize("name", ["Normal", "Uniform", "Exponential", "Laplace"])
@pytest.mark.parametrize("method", ["sample", "rsample"])
def test_continuous_samples_follow_the_cdf(name: str, method: str) -> None:
    """The Kolmogorov–Smirnov distance between 20000 draws and the distribution's own cdf is
    below the 0.1% critical value 1.95/√n, for every member of the batch; the sample mean is
    within 5 standard errors of the mean."""
    build, params, _ = CASES[name]
    dist = build(D, [tg.tensor(p) for p in params])
    tg.manual_seed(11)
    n = 20_000
    x = getattr(dist, method)((n,)).detach()
    ks = common.ks_distance(dist.cdf(x).numpy(force=True))
    assert np.all(ks < 1.95 / math.sqrt(n)), ks
    se = dist.stddev.numpy(force=True) / math.sqrt(n)
    assert np.all(np.abs(x.numpy(force=True).mean(0) - dist.mean.numpy(force=True)) < 5 * se)


def test_samples_keep_the_parameters_dtype() -> None:
    for dtype in (tg.float32, tg.float64):
        p = tg.tensor([0.3, 0.7], dtype=dtype)
        assert D.Normal(p, p).rsample().dtype == dtype
        assert D.Uniform(p - 1, p).sample((2,)).dtype == dtype
        assert D.Bernoulli(p).sample().dtype == dtype
        assert D.OneHotCategorical(p).sample().dtype == dtype
        assert D.Categorical(p).sample().dtype == tg.int64


# ------------------------------------------------------------------------------------------
# REINFORCE: the policy gradient of the lecture's randomized prediction

REWARD = np.array([0.1, 0.5, 0.9, 0.2])  # arm 2 is the best


def test_reinforce_surrogate_gradient_is_torchs() -> None:
    """The gradient of mean(log π(a)·R(a)) over the same drawn actions, as torch's."""
    torch = _torch()
    theta = _rng(8).normal(size=(3, 4))  # three states' logits
    ours = tg.tensor(theta, requires_grad=True)
    theirs = torch.tensor(theta, requires_grad=True)
    tg.manual_seed(2)
    actions = D.Categorical(logits=ours).sample((16,))
    reward = tg.tensor(REWARD)[actions]
    (D.Categorical(logits=ours).log_prob(actions) * reward).mean().backward()
    t_actions = torch.tensor(actions.numpy(force=True))
    t_reward = torch.tensor(REWARD)[t_actions]
    (
        torch.distributions.Categorical(logits=theirs).log_prob(t_actions) * t_reward
    ).mean().backward()
    assert ours.grad is not None
    np.testing.assert_allclose(
        ours.grad.numpy(force=True), theirs.grad.numpy(force=True), rtol=RTOL, atol=1e-15
    )


def test_reinforce_expectation_is_the_exact_policy_gradient() -> None:
    """Σₐ π(a)·R(a)·∇log π(a) over the support is ∇E[R] = π ⊙ (R − π·R) exactly, and the
    sampled estimate (20000 draws) is within 5 standard errors of it."""
    theta = tg.tensor([0.3, -0.2, 0.1, 0.5], dtype=tg.float64, requires_grad=True)
    dist = D.Categorical(logits=theta)
    support = dist.enumerate_support()
    logp = dist.log_prob(support)
    (logp.detach().exp() * logp * tg.tensor(REWARD)).sum().backward()
    pi = theta.detach().softmax(-1).numpy(force=True)
    exact = pi * (REWARD - pi @ REWARD)
    assert theta.grad is not None
    np.testing.assert_allclose(theta.grad.numpy(force=True), exact, rtol=1e-12)
    tg.manual_seed(4)
    a = dist.sample((20_000,)).numpy(force=True)
    per_draw = REWARD[a][:, None] * (np.eye(4)[a] - pi)  # R(a)·∇log π(a), one row per draw
    se = per_draw.std(0) / math.sqrt(len(a))
    assert np.all(np.abs(per_draw.mean(0) - exact) < 5 * se)


def test_reinforce_learns_the_best_arm() -> None:
    """A softmax policy over four arms trained by REINFORCE with a mean baseline puts most of
    its probability on the best arm."""
    tg.manual_seed(5)
    theta = tg.zeros(4, dtype=tg.float64, requires_grad=True)
    opt = tg.optim.SGD([theta], lr=0.5)
    rewards = tg.tensor(REWARD)
    for _ in range(150):
        dist = D.Categorical(logits=theta)
        a = dist.sample((32,))
        r = rewards[a] + 0.1 * tg.randn(32, dtype=tg.float64)  # noisy rewards
        loss = -(dist.log_prob(a) * (r - r.mean())).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    probs = D.Categorical(logits=theta.detach()).probs.numpy(force=True)
    assert probs.argmax() == 2 and probs[2] > 0.9, probs


def test_a_parameter_first_read_under_no_grad_stays_differentiable() -> None:
    """probs derived from logits is computed with grad enabled even when first read inside
    no_grad (a sample drawn there), as torch's lazy_property."""
    z = tg.tensor([0.1, 0.4, -0.3], dtype=tg.float64, requires_grad=True)
    dist = D.Categorical(logits=z)
    with tg.no_grad():
        dist.sample()
    assert "probs" in vars(dist) and dist.probs.requires_grad
    dist.entropy().backward()
    assert z.grad is not None and np.all(z.grad.numpy() != 0)
