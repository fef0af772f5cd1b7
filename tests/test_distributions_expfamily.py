"""ExponentialFamily and torch's exponential families (Bernoulli, Beta, Chi2,
ContinuousBernoulli, Dirichlet, Exponential, Gamma, Normal, Poisson, Wishart), each on float64
parameter batches drawn from three seeds.

The generic methods are the Bregman forms of the log normaliser A (∇A by autograd): the entropy
A(θ) − ⟨θ, ∇A(θ)⟩ − E[log h(X)] equals each family's closed form (1e-10) and the KL
A(θ_q) − A(θₚ) − ⟨θ_q − θₚ, ∇A(θₚ)⟩ its closed-form KL (1e-9); θ and A(θ) are torch's (1e-12);
the generic entropy's finite-difference gradient is the closed form's backprop (which passes
gradcheck); the class hierarchy and kl_divergence's choice of formula are torch's for every
pair of public classes.

Where torch's generic methods refuse, these do too: Beta, Dirichlet and Poisson give no
E[log h(X)] in torch, so ExponentialFamily.entropy raises NotImplementedError (with the carrier
measure supplied here, the Bregman form is again the closed form, or the Poisson's series).
Where torch's are wrong, these are not: torch's Bregman KL sums Wishart's scalar θ₂ term over
``len(event_shape)`` = 2 dims, across the batch, so for a batch of Wisharts of different ν its
KL mixes the members; here it is each member's (checked against the closed form).
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _distributions import rng
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.distributions import kl as our_kl
from tinygrad_ed.distributions.kl import _kl_expfamily_expfamily
from tinygrad_ed.numgrad import gradcheck, numerical_grad

Build = Callable[[Any, list[Any]], Any]
Draw = Callable[[np.random.Generator], list[np.ndarray]]

P = 3  # Wishart's matrix size


def _spd(g: np.random.Generator, batch: int) -> np.ndarray:
    A = g.normal(size=(batch, P, P))
    out: np.ndarray = A @ np.swapaxes(A, -1, -2) + np.eye(P)
    return out


def _away_from_half(g: np.random.Generator, n: int) -> np.ndarray:
    """λ in (0.05, 0.45) ∪ (0.55, 0.95): outside ContinuousBernoulli's Taylor band."""
    out: np.ndarray = g.uniform(0.05, 0.45, n) + 0.5 * (g.uniform(size=n) < 0.5)
    return out


# name: (build from the module and the parameters, draw float64 parameters of batch shape (4,))
FAMILIES: dict[str, tuple[Build, Draw]] = {
    "Bernoulli": (lambda M, p: M.Bernoulli(probs=p[0]), lambda g: [g.uniform(0.05, 0.95, 4)]),
    "Beta": (
        lambda M, p: M.Beta(p[0], p[1]),
        lambda g: [g.uniform(0.5, 4.0, 4), g.uniform(0.5, 4.0, 4)],
    ),
    "Chi2": (lambda M, p: M.Chi2(p[0]), lambda g: [g.uniform(1.0, 8.0, 4)]),
    "ContinuousBernoulli": (
        lambda M, p: M.ContinuousBernoulli(probs=p[0]),
        lambda g: [_away_from_half(g, 4)],
    ),
    "Dirichlet": (lambda M, p: M.Dirichlet(p[0]), lambda g: [g.uniform(0.5, 4.0, (4, 3))]),
    "Exponential": (lambda M, p: M.Exponential(p[0]), lambda g: [g.uniform(0.5, 3.0, 4)]),
    "Gamma": (
        lambda M, p: M.Gamma(p[0], p[1]),
        lambda g: [g.uniform(0.5, 4.0, 4), g.uniform(0.5, 3.0, 4)],
    ),
    "Normal": (
        lambda M, p: M.Normal(p[0], p[1]),
        lambda g: [g.normal(size=4), g.uniform(0.5, 2.0, 4)],
    ),
    "Poisson": (lambda M, p: M.Poisson(p[0]), lambda g: [g.uniform(0.5, 5.0, 4)]),
    "Wishart": (
        lambda M, p: M.Wishart(p[0], covariance_matrix=p[1]),
        lambda g: [g.uniform(P + 0.5, P + 4.0, 4), _spd(g, 4)],
    ),
}
# torch gives these no _mean_carrier_measure: its ExponentialFamily.entropy raises
NO_CARRIER = ("Beta", "Dirichlet", "Poisson")
SEEDS = (0, 1, 2)
CASES = [(name, seed) for name in FAMILIES for seed in SEEDS]
IDS = [f"{name}-{seed}" for name, seed in CASES]


def _params(name: str, seed: int) -> list[np.ndarray]:
    return FAMILIES[name][1](rng(seed))


def _ours(name: str, params: list[Any]) -> Any:
    return FAMILIES[name][0](D, [tg.tensor(p) if isinstance(p, np.ndarray) else p for p in params])


def _numpy(t: Any) -> np.ndarray:
    out: np.ndarray = t.numpy(force=True) if isinstance(t, tg.Tensor) else t.detach().numpy()
    return out


# ------------------------------------------------------------------------------------------
# E[log h(X)] for the families torch gives none, to check their Bregman entropy regardless


def _digamma(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = tg.tensor(x).digamma().numpy()
    return out


def _carrier_measure(dist: Any) -> np.ndarray:
    """E[log h(X)] for the natural parameters torch gives: Beta, θ = (a, b), h(x) =
    1/(x(1 − x)), so −E[log X] − E[log(1 − X)] = 2ψ(a + b) − ψ(a) − ψ(b); Dirichlet,
    −Σ E[log Xₖ] = Kψ(α₀) − Σψ(αₖ); Poisson, h(k) = 1/k!, −Σₖ p(k) log k! (the series to
    k = 200, whose tail is below 1e-100 for λ ≤ 5)."""
    if isinstance(dist, D.Beta):
        a, b = _numpy(dist.concentration1), _numpy(dist.concentration0)
        return 2 * _digamma(a + b) - _digamma(a) - _digamma(b)
    if isinstance(dist, D.Dirichlet):
        alpha = _numpy(dist.concentration)
        return alpha.shape[-1] * _digamma(alpha.sum(-1)) - _digamma(alpha).sum(-1)
    rate = _numpy(dist.rate)
    k = np.arange(201.0).reshape(-1, *[1] * rate.ndim)
    log_fact = np.cumsum(np.log(np.maximum(k, 1.0)), axis=0)
    log_pmf = k * np.log(rate) - rate - log_fact
    out: np.ndarray = -(np.exp(log_pmf) * log_fact).sum(0)
    return out


def _poisson_entropy(rate: np.ndarray) -> np.ndarray:
    """−Σₖ p(k) log p(k), the series to k = 200."""
    k = np.arange(201.0).reshape(-1, *[1] * rate.ndim)
    log_pmf = k * np.log(rate) - rate - np.cumsum(np.log(np.maximum(k, 1.0)), axis=0)
    out: np.ndarray = -(np.exp(log_pmf) * log_pmf).sum(0)
    return out


def _with_carrier(dist: Any) -> Any:
    """``dist`` as an instance of a subclass of its family that gives E[log h(X)]."""
    carrier = tg.tensor(_carrier_measure(dist))

    class WithCarrier(type(dist)):  # type: ignore[misc]
        _mean_carrier_measure = carrier

    out = WithCarrier.__new__(WithCarrier)
    out.__dict__.update(dist.__dict__)
    return out


# ------------------------------------------------------------------------------------------
# the entropy


@pytest.mark.parametrize(("name", "seed"), CASES, ids=IDS)
def test_generic_entropy_is_the_closed_form(name: str, seed: int) -> None:
    """ExponentialFamily.entropy(d) = d.entropy() (1e-10), also after ``expand``; of shape
    ``batch_shape``. For Beta, Dirichlet and Poisson it raises NotImplementedError, as torch's
    (checked beside torch where installed); with E[log h(X)] supplied it is the closed form
    (Poisson: the series −Σ p log p, which torch has no closed form for either)."""
    dist = _ours(name, _params(name, seed))
    assert isinstance(dist, D.ExponentialFamily)
    if name in NO_CARRIER:
        with pytest.raises(NotImplementedError, match="_mean_carrier_measure"):
            D.ExponentialFamily.entropy(dist)
        bregman = D.ExponentialFamily.entropy(_with_carrier(dist))
        if name == "Poisson":
            with pytest.raises(NotImplementedError):
                dist.entropy()  # inherited: torch's Poisson has no other
            expected = _poisson_entropy(_numpy(dist.rate))
        else:
            expected = dist.entropy().numpy()
        np.testing.assert_allclose(bregman.numpy(force=True), expected, rtol=1e-10, atol=1e-12)
        return
    for d in (dist, dist.expand((2, *dist.batch_shape))):
        bregman = D.ExponentialFamily.entropy(d)
        assert bregman.shape == tuple(d.batch_shape)
        np.testing.assert_allclose(
            bregman.numpy(force=True), d.entropy().numpy(), rtol=1e-10, atol=1e-12
        )


@pytest.mark.parametrize("name", NO_CARRIER)
def test_generic_entropy_refuses_as_torchs(name: str) -> None:
    """torch's ExponentialFamily.entropy raises NotImplementedError for Beta, Dirichlet and
    Poisson (no _mean_carrier_measure); so does ours, and Poisson.entropy() in both."""
    torch = _torch()
    params = _params(name, 0)
    ref = FAMILIES[name][0](torch.distributions, [torch.tensor(p) for p in params])
    with pytest.raises(NotImplementedError):
        torch.distributions.ExponentialFamily.entropy(ref)
    with pytest.raises(NotImplementedError):
        D.ExponentialFamily.entropy(_ours(name, params))
    if name == "Poisson":
        with pytest.raises(NotImplementedError):
            ref.entropy()


# Poisson has no closed-form entropy (nor in torch) to compare the generic one's gradient with
CLOSED_ENTROPY = [(name, seed) for name, seed in CASES if name != "Poisson"]


@pytest.mark.parametrize(
    ("name", "seed"), CLOSED_ENTROPY, ids=[f"{n}-{s}" for n, s in CLOSED_ENTROPY]
)
def test_generic_entropy_gradients_are_the_closed_forms(name: str, seed: int) -> None:
    """The generic entropy's gradient in every parameter (central differences: it works on
    detached natural parameters, so, as torch's, backprop gives the parameters none) equals the
    closed form's backprop (1e-6 relative: the differences' error), which passes gradcheck.
    Beta and Dirichlet with E[log h(X)] supplied; Poisson has no closed form to compare."""
    params = _params(name, seed)
    # Wishart: ν only (Σ's entries are read through its Cholesky factor, lower triangle only,
    # so perturbing one entry is not a symmetric perturbation)
    n_free = 1 if name == "Wishart" else len(params)
    weights = rng(10 + seed).normal(size=_ours(name, params).batch_shape)

    def generic(*p: tg.Tensor) -> tg.Tensor:
        dist = _ours(name, [*p, *params[len(p) :]])
        if name in NO_CARRIER:
            dist = _with_carrier(dist)
        with tg.enable_grad():  # numerical_grad runs under no_grad; ∇A needs autograd
            out: tg.Tensor = (D.ExponentialFamily.entropy(dist) * tg.tensor(weights)).sum()
        return out.detach()

    def closed(*p: tg.Tensor) -> tg.Tensor:
        out: tg.Tensor = _ours(name, [*p, *params[len(p) :]]).entropy()
        return out

    leaves = [tg.tensor(p, requires_grad=True) for p in params[:n_free]]
    (closed(*leaves) * tg.tensor(weights)).sum().backward()
    for i, leaf in enumerate(leaves):
        backprop = np.zeros_like(params[i]) if leaf.grad is None else leaf.grad.numpy()
        fd = numerical_grad(
            lambda x, i=i: generic(*[tg.tensor(q) for q in params[:i]], x), params[i]
        )
        np.testing.assert_allclose(
            fd, backprop, rtol=1e-6, atol=1e-8, err_msg=f"{name} ∂/∂param{i}"
        )
    assert gradcheck(closed, params[:n_free])

    # as torch's, no gradient reaches the parameters through the generic entropy
    leaves = [tg.tensor(p, requires_grad=True) for p in params]
    dist = _ours(name, leaves)
    generic_out = D.ExponentialFamily.entropy(_with_carrier(dist) if name in NO_CARRIER else dist)
    if generic_out.requires_grad:
        generic_out.sum().backward()
    assert all(leaf.grad is None for leaf in leaves)


# ------------------------------------------------------------------------------------------
# the KL


def _wishart_kl(p: Any, q: Any) -> np.ndarray:
    """The closed form: KL(W(n, V) ‖ W(m, U)) = −(m/2) log det(U⁻¹V) + (n/2)(tr(U⁻¹V) − p)
    + log Γₚ(m/2) − log Γₚ(n/2) + ((n − m)/2) ψₚ(n/2)."""
    special = pytest.importorskip("scipy.special")
    n, m = _numpy(p.df), _numpy(q.df)
    ratio = np.linalg.solve(_numpy(q.covariance_matrix), _numpy(p.covariance_matrix))
    mv_digamma = sum(special.digamma(n / 2 - i / 2) for i in range(P))
    out: np.ndarray = (
        -(m / 2) * np.linalg.slogdet(ratio)[1]
        + (n / 2) * (np.trace(ratio, axis1=-2, axis2=-1) - P)
        + special.multigammaln(m / 2, P)
        - special.multigammaln(n / 2, P)
        + (n - m) / 2 * mv_digamma
    )
    return out


@pytest.mark.parametrize(("name", "seed"), CASES, ids=IDS)
def test_generic_kl_is_the_closed_form(name: str, seed: int) -> None:
    """_kl_expfamily_expfamily(p, q) = kl_divergence(p, q) (1e-9) for p, q of one family
    (Wishart, which kl_divergence sends to the generic form, against the closed form), and
    KL(p ‖ p) = 0. The gradient reaches q's parameters (p's natural parameters are detached,
    as torch's): it is the closed form's, and passes gradcheck."""
    pp, qp = _params(name, seed), _params(name, 100 + seed)
    p, q = _ours(name, pp), _ours(name, qp)
    bregman = _kl_expfamily_expfamily(p, q)
    expected = _wishart_kl(p, q) if name == "Wishart" else D.kl_divergence(p, q).numpy()
    assert bregman.shape == tuple(p.batch_shape)
    np.testing.assert_allclose(bregman.numpy(force=True), expected, rtol=1e-9, atol=1e-12)
    same = _kl_expfamily_expfamily(p, _ours(name, pp)).numpy(force=True)
    np.testing.assert_allclose(same, 0.0, atol=1e-12)

    if name == "Wishart":
        return  # its kl_divergence is this very function
    leaves = [tg.tensor(a, requires_grad=True) for a in qp]
    _kl_expfamily_expfamily(p, _ours(name, leaves)).sum().backward()
    closed = [tg.tensor(a, requires_grad=True) for a in qp]
    D.kl_divergence(p, _ours(name, closed)).sum().backward()
    for leaf, ref in zip(leaves, closed):
        assert leaf.grad is not None and ref.grad is not None
        np.testing.assert_allclose(leaf.grad.numpy(), ref.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert gradcheck(lambda *a: _kl_expfamily_expfamily(p, _ours(name, list(a))), qp)


def test_wishart_kl_is_each_members() -> None:
    """A batch of Wisharts of different ν: the KL is each member's, computed alone (and the
    closed form's, in test_generic_kl_is_the_closed_form). torch's sums the scalar θ₂'s term
    over two dims, across the batch, so its batched KL is not this one (a torch bug, not
    asserted); for one Wishart the two formulas coincide."""
    g = rng(7)
    pp, qp = FAMILIES["Wishart"][1](g), FAMILIES["Wishart"][1](g)
    batch = _kl_expfamily_expfamily(_ours("Wishart", pp), _ours("Wishart", qp)).numpy(force=True)
    for i in range(4):
        alone = _kl_expfamily_expfamily(
            _ours("Wishart", [a[i] for a in pp]), _ours("Wishart", [a[i] for a in qp])
        )
        np.testing.assert_allclose(batch[i], alone.numpy(force=True), rtol=1e-12)
    # a number ν with a batch of matrices: θ₂ is expanded to the batch (torch's stays 0-d,
    # its generic entropy fails on it), so the generic entropy is the closed form
    dist = D.Wishart(5.5, covariance_matrix=tg.tensor(pp[1]))
    assert dist._natural_params[1].shape == (4,)
    np.testing.assert_allclose(
        D.ExponentialFamily.entropy(dist).numpy(force=True), dist.entropy().numpy(), rtol=1e-10
    )


def test_generic_forms_need_grad_mode_as_torchs() -> None:
    """∇A is taken by autograd, so under no_grad the generic entropy and KL (and so
    kl_divergence of two Wisharts) raise torch's RuntimeError, as torch's do."""
    torch = _torch()
    params = _params("Wishart", 0)
    for M, make, no_grad in (
        (torch.distributions, torch.tensor, torch.no_grad),
        (D, tg.tensor, tg.no_grad),
    ):
        dist = FAMILIES["Wishart"][0](M, [make(a) for a in params])
        with no_grad():
            with pytest.raises(RuntimeError, match="does not require grad"):
                M.ExponentialFamily.entropy(dist)
            with pytest.raises(RuntimeError, match="does not require grad"):
                M.kl_divergence(dist, dist)


def test_different_families_refuse_as_torch() -> None:
    """Two exponential families with no pair of their own reach the Bregman form, which
    refuses different families: kl_divergence raises torch's NotImplementedError and message
    (Chi2 vs Gamma is a Gamma pair; Normal vs Gamma has its own)."""
    torch = _torch()
    pairs = [
        ("Normal", "Bernoulli"),
        ("Poisson", "Gamma"),
        ("Dirichlet", "Beta"),
        ("Wishart", "Normal"),
        ("ContinuousBernoulli", "Poisson"),
    ]
    for p_name, q_name in pairs:
        errors = []
        for M, make in ((torch.distributions, torch.tensor), (D, tg.tensor)):
            p = FAMILIES[p_name][0](M, [make(a) for a in _params(p_name, 0)])
            q = FAMILIES[q_name][0](M, [make(a) for a in _params(q_name, 0)])
            with pytest.raises(NotImplementedError) as error:
                M.kl_divergence(p, q)
            errors.append(" ".join(str(error.value).split()))
        assert errors[0] == errors[1], (p_name, q_name)
    chi2 = D.Chi2(tg.tensor([3.0], dtype=tg.float64))
    gamma = D.Gamma(tg.tensor([1.5], dtype=tg.float64), tg.tensor([0.5], dtype=tg.float64))
    assert D.kl_divergence(chi2, gamma).item() == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------------------------------
# beside torch: θ, A(θ), the hierarchy and the KL dispatch


@pytest.mark.parametrize(("name", "seed"), CASES, ids=IDS)
def test_natural_params_and_log_normalizer_are_torchs(name: str, seed: int) -> None:
    """_natural_params (shapes and values), _log_normalizer at them and
    _mean_carrier_measure (or its NotImplementedError) as torch's, to 1e-12."""
    torch = _torch()
    params = _params(name, seed)
    ours = _ours(name, params)
    ref = FAMILIES[name][0](torch.distributions, [torch.tensor(p) for p in params])
    assert len(ours._natural_params) == len(ref._natural_params)
    for a, b in zip(ours._natural_params, ref._natural_params):
        assert a.shape == tuple(b.shape) and a.dtype == tg.float64
        np.testing.assert_allclose(a.numpy(), _numpy(b), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        ours._log_normalizer(*ours._natural_params).numpy(),
        _numpy(ref._log_normalizer(*ref._natural_params)),
        rtol=1e-12,
        atol=1e-14,
    )
    if name in NO_CARRIER:
        with pytest.raises(NotImplementedError):
            ref._mean_carrier_measure  # noqa: B018
        with pytest.raises(NotImplementedError):
            ours._mean_carrier_measure  # noqa: B018
    else:
        assert ours._mean_carrier_measure == ref._mean_carrier_measure == 0


def _public_classes(M: Any) -> dict[str, type]:
    return {
        n: getattr(M, n)
        for n in M.__all__
        if inspect.isclass(getattr(M, n)) and issubclass(getattr(M, n), M.Distribution)
    }


def test_issubclass_matrix_is_torchs() -> None:
    """issubclass(A, B) for every pair of public distribution classes, and isinstance of each
    family's instance in ExponentialFamily, as torch's; the families are torch's list."""
    torch = _torch()
    ours, theirs = _public_classes(D), _public_classes(torch.distributions)
    assert set(ours) == set(theirs)
    mismatches = [
        (a, b)
        for a in ours
        for b in ours
        if issubclass(ours[a], ours[b]) != issubclass(theirs[a], theirs[b])
    ]
    assert not mismatches
    families = {
        n for n, c in theirs.items() if issubclass(c, torch.distributions.ExponentialFamily)
    }
    assert families - {"ExponentialFamily"} == set(FAMILIES)
    for name in FAMILIES:
        assert isinstance(_ours(name, _params(name, 0)), D.ExponentialFamily)
    assert not isinstance(D.Uniform(0.0, 1.0), D.ExponentialFamily)


def _dispatch(kl_module: Any, type_p: type, type_q: type) -> Any:
    """The pair (by names) kl_divergence chooses, as ``_dispatch_kl`` finds it (the most
    specific in p, then q), and whether it warns of an ambiguity; None if none matches."""
    registry = kl_module._KL_REGISTRY
    matches = [m for m in registry if issubclass(type_p, m[0]) and issubclass(type_q, m[1])]
    if not matches:
        return None
    left = min(kl_module._Match(*m) for m in matches).types
    right = min(kl_module._Match(*reversed(m)) for m in matches).types[::-1]
    return tuple(t.__name__ for t in left), registry[left] is not registry[right]


def test_kl_dispatch_is_torchs() -> None:
    """For every pair of public distribution classes, kl_divergence's lookup picks the pair
    torch's picks (the ExponentialFamily pair exactly where torch falls back to it) and warns
    of an ambiguity exactly where torch's does."""
    torch = _torch()
    from torch.distributions import kl as torch_kl

    ours, theirs = _public_classes(D), _public_classes(torch.distributions)
    # the function our_kl._dispatch_kl returns is the one of the pair _dispatch names
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for a in ours:
            for b in ours:
                expected = _dispatch(torch_kl, theirs[a], theirs[b])
                assert _dispatch(our_kl, ours[a], ours[b]) == expected, (a, b)
                fn = our_kl._dispatch_kl(ours[a], ours[b])
                ref_fn = torch_kl._dispatch_kl(theirs[a], theirs[b])
                assert (fn is _kl_expfamily_expfamily) == (
                    ref_fn is torch_kl._kl_expfamily_expfamily
                ), (a, b)
                assert (fn is NotImplemented) == (ref_fn is NotImplemented), (a, b)
    assert our_kl._dispatch_kl(D.Wishart, D.Wishart) is _kl_expfamily_expfamily
    assert our_kl._dispatch_kl(D.Normal, D.Normal) is not _kl_expfamily_expfamily
    assert math.isfinite(
        D.kl_divergence(
            _ours("Wishart", _params("Wishart", 0)), _ours("Wishart", _params("Wishart", 1))
        )
        .sum()
        .item()
    )
