"""torch's registered KL pairs beyond those of one family: every cross-family pair of torch
2.13's kl.py (Normal vs Laplace/Gumbel/…, Exponential vs Gamma, Beta vs Uniform, …), the
Low Rank/full Multivariate Normal pairs, Pareto, ContinuousBernoulli and ExponentialFamily.
Values and gradients beside torch (float64, 1e-10), gradcheck, KL(p ‖ p) = 0, the Monte Carlo
mean of log p − log q, inf exactly where torch gives it, and the registry's coverage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import _distributions as common
import numpy as np
import pytest
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.numgrad import gradcheck

RTOL = 1e-10
# Gradients through ψ′ (trigamma) are torch's only to its ψ′ accuracy (~5e-10 relative).
GRAD_RTOL = 5e-9


Family = tuple[Callable[[Any, list[Any]], Any], list[np.ndarray]]


def _families() -> dict[str, Family]:
    """Each family with parameters of batch shape (3,), valid for every pair below."""
    return {
        "Normal": (
            lambda M, p: M.Normal(p[0], p[1]),
            [np.array([0.3, 1.5, 2.0]), np.array([0.5, 1.2, 2.0])],
        ),
        "Laplace": (
            lambda M, p: M.Laplace(p[0], p[1]),
            [np.array([-0.4, 1.0, 2.5]), np.array([0.7, 1.1, 1.9])],
        ),
        "Gumbel": (
            lambda M, p: M.Gumbel(p[0], p[1]),
            [np.array([0.2, 1.0, 1.8]), np.array([0.6, 0.9, 1.3])],
        ),
        "Exponential": (lambda M, p: M.Exponential(p[0]), [np.array([0.5, 1.3, 2.2])]),
        "Gamma": (
            lambda M, p: M.Gamma(p[0], p[1]),
            [np.array([0.8, 2.0, 3.5]), np.array([1.5, 0.7, 2.0])],
        ),
        "Beta": (
            lambda M, p: M.Beta(p[0], p[1]),
            [np.array([0.7, 2.0, 4.0]), np.array([1.5, 3.0, 0.9])],
        ),
        "Uniform": (
            lambda M, p: M.Uniform(p[0], p[0] + p[1]),
            [np.array([0.1, 0.25, 0.4]), np.array([0.5, 0.3, 0.45])],
        ),
        "Pareto": (
            lambda M, p: M.Pareto(p[0], p[1]),
            [np.array([0.5, 1.0, 1.5]), np.array([2.5, 3.0, 4.5])],
        ),
        "ContinuousBernoulli": (
            lambda M, p: M.ContinuousBernoulli(p[0]),
            [np.array([0.2, 0.45, 0.8])],
        ),
        "Bernoulli": (lambda M, p: M.Bernoulli(p[0]), [np.array([0.2, 0.5, 0.9])]),
        "Poisson": (lambda M, p: M.Poisson(p[0]), [np.array([0.5, 2.0, 4.0])]),
        "Binomial": (lambda M, p: M.Binomial(5, p[0]), [np.array([0.2, 0.5, 0.9])]),
    }


FAMILIES = _families()
# (p, q) pairs with finite KL, besides the ones whose KL is inf by construction
FINITE = [
    ("Bernoulli", "Poisson"),
    ("Beta", "ContinuousBernoulli"),
    ("Beta", "Exponential"),
    ("Beta", "Gamma"),
    ("Beta", "Normal"),
    ("Beta", "Uniform"),
    ("ContinuousBernoulli", "ContinuousBernoulli"),
    ("ContinuousBernoulli", "Exponential"),
    ("ContinuousBernoulli", "Normal"),
    ("ContinuousBernoulli", "Uniform"),
    ("Exponential", "Gamma"),
    ("Exponential", "Gumbel"),
    ("Exponential", "Normal"),
    ("Gamma", "Exponential"),
    ("Gamma", "Gumbel"),
    ("Gamma", "Normal"),
    ("Gumbel", "Normal"),
    ("Laplace", "Normal"),
    ("Normal", "Gumbel"),
    ("Normal", "Laplace"),
    ("Pareto", "Exponential"),
    ("Pareto", "Gamma"),
    ("Pareto", "Normal"),
    ("Pareto", "Pareto"),
    ("Uniform", "Beta"),
    ("Uniform", "ContinuousBernoulli"),
    ("Uniform", "Exponential"),
    ("Uniform", "Gamma"),
    ("Uniform", "Gumbel"),
    ("Uniform", "Normal"),
    ("Uniform", "Pareto"),
]
INFINITE = [
    ("Beta", "Pareto"),
    ("ContinuousBernoulli", "Pareto"),
    *[("Exponential", q) for q in ("Beta", "ContinuousBernoulli", "Pareto", "Uniform")],
    *[("Gamma", q) for q in ("Beta", "ContinuousBernoulli", "Pareto", "Uniform")],
    *[
        (p, q)
        for p in ("Gumbel", "Laplace", "Normal")
        for q in ("Beta", "ContinuousBernoulli", "Exponential", "Gamma", "Pareto", "Uniform")
    ],
    *[("Pareto", q) for q in ("Beta", "ContinuousBernoulli", "Uniform")],
    ("Poisson", "Bernoulli"),
    ("Poisson", "Binomial"),
]


# q's parameters where the reversed defaults would leave p's support outside q's (inf)
Q_PARAMS: dict[tuple[str, str], list[np.ndarray]] = {
    ("Beta", "Uniform"): [np.array([-0.5, -0.1, -2.0]), np.array([1.8, 1.2, 4.0])],
    ("ContinuousBernoulli", "Uniform"): [np.array([-0.5, -0.1, -2.0]), np.array([1.8, 1.2, 4.0])],
    ("Pareto", "Pareto"): [np.array([0.3, 0.5, 1.0]), np.array([4.0, 2.0, 3.5])],
    ("Uniform", "Pareto"): [np.array([0.05, 0.1, 0.2]), np.array([4.0, 2.0, 3.5])],
}


def _q_params(pq: tuple[str, str]) -> list[np.ndarray]:
    return Q_PARAMS.get(pq, [a[::-1].copy() for a in FAMILIES[pq[1]][1]])


def _build(M: Any, name: str, params: list[Any]) -> Any:
    return FAMILIES[name][0](M, params)


def _pair(M: Any, t: Callable[..., Any], pq: tuple[str, str], *, grad: bool) -> tuple[Any, ...]:
    p_name, q_name = pq
    pp = [t(a, requires_grad=grad) for a in FAMILIES[p_name][1]]
    qp = [t(a, requires_grad=grad) for a in _q_params(pq)]
    return _build(M, p_name, pp), _build(M, q_name, qp), pp + qp


@pytest.mark.parametrize("pq", FINITE, ids=["-".join(pq) for pq in FINITE])
def test_kl_values_and_gradients_are_torchs(pq: tuple[str, str]) -> None:
    """KL(p ‖ q) and its gradients in both distributions' parameters as torch's."""
    torch = _torch()
    p, q, ours = _pair(
        D, lambda a, requires_grad: tg.tensor(a, requires_grad=requires_grad), pq, grad=True
    )
    rp, rq, theirs = _pair(
        torch.distributions,
        lambda a, requires_grad: torch.tensor(a, requires_grad=requires_grad),
        pq,
        grad=True,
    )
    out, ref = D.kl_divergence(p, q), torch.distributions.kl_divergence(rp, rq)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.numpy(force=True), ref.numpy(force=True), rtol=RTOL)
    out.sum().backward()
    ref.sum().backward()
    for i, (a, b) in enumerate(zip(ours, theirs)):
        expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
        got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
        # the entropies' ψ′ error enters every entry at the scale of the largest one
        atol = GRAD_RTOL * np.abs(expected).max() + 1e-12
        np.testing.assert_allclose(got, expected, rtol=GRAD_RTOL, atol=atol, err_msg=f"param {i}")


@pytest.mark.parametrize("pq", FINITE, ids=["-".join(pq) for pq in FINITE])
def test_kl_gradcheck_and_monte_carlo(pq: tuple[str, str]) -> None:
    """gradcheck in every continuous parameter, and the mean of log p(X) − log q(X) over
    40000 draws X ~ p within 5 standard errors of the KL (where the log ratio has a finite
    variance)."""
    p_name, q_name = pq
    n_p = len(FAMILIES[p_name][1])
    params = FAMILIES[p_name][1] + _q_params(pq)

    def kl(*ps: tg.Tensor) -> tg.Tensor:
        return D.kl_divergence(_build(D, p_name, list(ps[:n_p])), _build(D, q_name, list(ps[n_p:])))

    assert gradcheck(kl, params)
    p, q, _ = _pair(D, lambda a, requires_grad: tg.tensor(a), pq, grad=False)
    common.assert_kl_is_the_monte_carlo_mean(p, q, 40_000, seed=5, slack=1e-12)


@pytest.mark.parametrize("pq", INFINITE, ids=["-".join(pq) for pq in INFINITE])
def test_kl_is_inf_where_p_leaves_qs_support(pq: tuple[str, str]) -> None:
    """inf in p's batch shape and dtype, as torch's."""
    torch = _torch()
    p, q, _ = _pair(D, lambda a, requires_grad: tg.tensor(a), pq, grad=False)
    rp, rq, _ = _pair(torch.distributions, lambda a, requires_grad: torch.tensor(a), pq, grad=False)
    out, ref = D.kl_divergence(p, q), torch.distributions.kl_divergence(rp, rq)
    assert out.shape == tuple(ref.shape) and out.dtype == ref.numpy().dtype
    assert np.all(np.isinf(out.numpy())) and np.all(np.isinf(ref.numpy()))


def test_kl_is_inf_exactly_where_torchs_is() -> None:
    """Per batch entry: Uniform ⊄ [0, 1] against Beta, a Uniform reaching below 0 against the
    Exponential and Gamma, below the Pareto's scale, Pareto with α ≤ 1 against Exponential
    and Gamma and α ≤ 2 against Normal, Beta against a Uniform not covering [0, 1]."""
    torch = _torch()

    def both(make: Callable[[Any, Callable[..., Any]], Any]) -> None:
        ours = make(D, lambda v: tg.tensor(v, dtype=tg.float64))
        ref = make(torch.distributions, lambda v: torch.tensor(v, dtype=torch.float64))
        np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=RTOL)
        assert np.isinf(ours.numpy()).any() and np.isfinite(ours.numpy()).any()

    def uniform(M: Any, t: Any) -> Any:
        return M.Uniform(t([-0.5, 0.2, 0.5]), t([0.5, 0.9, 1.5]))

    both(lambda M, t: M.kl_divergence(uniform(M, t), M.Beta(t([2.0] * 3), t([3.0] * 3))))
    both(lambda M, t: M.kl_divergence(uniform(M, t), M.Exponential(t([2.0] * 3))))
    both(lambda M, t: M.kl_divergence(uniform(M, t), M.Gamma(t([2.0] * 3), t([1.0] * 3))))
    both(lambda M, t: M.kl_divergence(uniform(M, t), M.Pareto(t([0.1] * 3), t([1.0] * 3))))
    pareto = lambda M, t: M.Pareto(t([1.0, 1.0, 1.0]), t([0.8, 1.5, 3.0]))  # noqa: E731
    both(lambda M, t: M.kl_divergence(pareto(M, t), M.Exponential(t([2.0] * 3))))
    both(lambda M, t: M.kl_divergence(pareto(M, t), M.Gamma(t([2.0] * 3), t([1.0] * 3))))
    both(lambda M, t: M.kl_divergence(pareto(M, t), M.Normal(t([2.0] * 3), t([1.0] * 3))))
    both(lambda M, t: M.kl_divergence(pareto(M, t), M.Pareto(t([0.5, 1.5, 1.0]), t([2.0] * 3))))
    both(
        lambda M, t: M.kl_divergence(
            M.Beta(t([2.0] * 3), t([3.0] * 3)), M.Uniform(t([-0.1, 0.1, 0.0]), t([1.0, 1.0, 0.9]))
        )
    )


def _matrix_gaussians(M: Any, t: Callable[..., Any]) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    A = rng.normal(size=(2, 3, 3))
    cov = A @ A.transpose(0, 2, 1) + np.eye(3)
    return {
        "full": M.MultivariateNormal(t(rng.normal(size=(2, 3))), t(cov)),
        "low": M.LowRankMultivariateNormal(
            t(rng.normal(size=(2, 3))),
            t(rng.normal(size=(2, 3, 2))),
            t(rng.uniform(0.5, 2, (2, 3))),
        ),
        "low shared": M.LowRankMultivariateNormal(
            t(rng.normal(size=3)), t(rng.normal(size=(3, 1))), t(rng.uniform(0.5, 2, 3))
        ),
    }


MATRIX_PAIRS = [
    ("low", "low"),
    ("low", "low shared"),
    ("full", "low"),
    ("low", "full"),
    ("low shared", "full"),
]


@pytest.mark.parametrize("pq", MATRIX_PAIRS, ids=["-".join(pq) for pq in MATRIX_PAIRS])
def test_low_rank_gaussian_kls_are_torchs(pq: tuple[str, str]) -> None:
    """The (Low Rank) Multivariate Normal pairs as torch's (values and gradients) and as the
    full-covariance formula on the same Σ (1e-10); KL(p ‖ p) = 0."""
    torch = _torch()
    leaves: list[tg.Tensor] = []
    ref_leaves: list[Any] = []

    def t(v: Any) -> tg.Tensor:
        leaves.append(tg.tensor(v, requires_grad=True))
        return leaves[-1]

    def rt(v: Any) -> Any:
        ref_leaves.append(torch.tensor(v, requires_grad=True))
        return ref_leaves[-1]

    ours, theirs = _matrix_gaussians(D, t), _matrix_gaussians(torch.distributions, rt)
    out = D.kl_divergence(ours[pq[0]], ours[pq[1]])
    ref = torch.distributions.kl_divergence(theirs[pq[0]], theirs[pq[1]])
    np.testing.assert_allclose(out.numpy(force=True), ref.numpy(force=True), rtol=RTOL, atol=1e-12)
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(leaves, ref_leaves):
        got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
        expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)

    def full(d: Any) -> Any:
        return D.MultivariateNormal(d.loc.detach(), d.covariance_matrix.detach())

    np.testing.assert_allclose(
        out.numpy(force=True),
        D.kl_divergence(full(ours[pq[0]]), full(ours[pq[1]])).numpy(),
        rtol=1e-10,
        atol=1e-12,
    )
    same = D.kl_divergence(ours[pq[0]], ours[pq[0]]).numpy(force=True)
    np.testing.assert_allclose(same, 0.0, atol=1e-12)


def test_exponential_family_kl_is_the_bregman_divergence() -> None:
    """The ExponentialFamily pair (for ContinuousBernoulli its own formula wins, being more
    specific) gives the same number as the ContinuousBernoulli formula and as torch's Bregman
    KL; across families it refuses, with torch's message."""
    torch = _torch()
    a, b = np.array([-2.0, 0.3, 1.7]), np.array([0.9, -1.2, 2.5])
    p, q = D.ContinuousBernoulli(logits=tg.tensor(a)), D.ContinuousBernoulli(logits=tg.tensor(b))
    from tinygrad_ed.distributions.kl import _kl_expfamily_expfamily

    bregman = _kl_expfamily_expfamily(p, q)
    np.testing.assert_allclose(bregman.numpy(force=True), D.kl_divergence(p, q).numpy(), rtol=1e-10)
    from torch.distributions.kl import _kl_expfamily_expfamily as ref_fn

    M = torch.distributions
    ref = ref_fn(
        M.ContinuousBernoulli(logits=torch.tensor(a)), M.ContinuousBernoulli(logits=torch.tensor(b))
    )
    np.testing.assert_allclose(bregman.numpy(force=True), ref.detach().numpy(), rtol=1e-10)

    class Other(D.ExponentialFamily):
        arg_constraints: ClassVar[dict[str, Any]] = {}

    with pytest.raises(NotImplementedError, match="cross KL-divergence between different"):
        _kl_expfamily_expfamily(p, Other())


def test_every_torch_pair_is_registered() -> None:
    """The registry holds every pair torch 2.13's does, by class name (and none it lacks)."""
    torch = _torch()
    from torch.distributions.kl import _KL_REGISTRY as ref_registry

    from tinygrad_ed.distributions.kl import _KL_REGISTRY

    ours = {(p.__name__, q.__name__) for p, q in _KL_REGISTRY}
    theirs = {(p.__name__, q.__name__) for p, q in ref_registry}
    theirs -= {("_Dummy", "_Dummy")}
    assert torch is not None and ours == theirs, (ours - theirs, theirs - ours)
