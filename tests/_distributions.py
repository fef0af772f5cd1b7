"""What the distributions tests share (tests/test_distributions*.py): torch as an optional
second opinion, seeded generators, the evaluation of a method, and the checks every family
gets: values and gradients beside torch, gradcheck of the methods and of rsample, KL beside
torch and beside the Monte Carlo mean of the log ratio, torch's validation errors, the
construction of both libraries' distributions for the shape rules, and the Kolmogorov–Smirnov
distance of samples.

A case builds a distribution from its parameters with the module given (tinygrad_ed's or
torch's ``distributions``, so that one lambda serves both). Each test file keeps its cases and
fixes its own tolerances, with ``functools.partial`` or by passing them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.numgrad import gradcheck

Build = Callable[[Any, list[Any]], Any]


def torch_or_skip() -> Any:
    return pytest.importorskip("torch")


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def quantiles(value: np.ndarray) -> np.ndarray:
    """Where icdf is evaluated: uniform over (0.05, 0.95), in the value's shape (seed 2)."""
    return rng(2).uniform(0.05, 0.95, value.shape)


def evaluate(dist: Any, method: str, value: Any, quantile: Any = None) -> Any:
    """A method of ``dist``: at ``value`` (log_prob, cdf), at ``quantile`` (icdf), called
    (entropy, perplexity) or read (the statistics)."""
    if method in ("log_prob", "cdf"):
        return getattr(dist, method)(value)
    if method == "icdf":
        return dist.icdf(quantile)
    if method in ("entropy", "perplexity"):
        return getattr(dist, method)()
    return getattr(dist, method)


def _tensors(t: Callable[..., Any], *arrays: np.ndarray | None) -> list[Any]:
    return [None if a is None else t(a) for a in arrays]


def assert_values_and_gradients_are_torchs(
    name: str,
    build: Build,
    params: Sequence[np.ndarray],
    value: np.ndarray,
    methods: Sequence[str],
    *,
    rtol: float,
    atol: float,
    grad_rtol: float,
    grad_atol: float,
    grad_rtols: Mapping[str, float] | None = None,
    grad_atol_scaled: bool = False,
    quantile: np.ndarray | None = None,
    check_dtype: bool = True,
    no_gradient: Sequence[str] = (),
) -> None:
    """Every method gives torch's values (and dtype) on the same float64 parameters, and the
    gradient of a random weighting of it reaches each parameter as torch's.

    ``grad_rtols`` overrides ``grad_rtol`` per method (gradients through ψ′ are torch's only to
    its ψ′ accuracy); ``grad_atol_scaled`` adds ``rtol·max|torch's gradient|`` to the absolute
    tolerance (an error that enters every entry at the scale of the largest);
    the methods in ``no_gradient`` are compared by value only."""
    torch = torch_or_skip()
    for method in methods:
        ours = [tg.tensor(p, requires_grad=True) for p in params]
        theirs = [torch.tensor(p, requires_grad=True) for p in params]
        out = evaluate(build(D, ours), method, *_tensors(tg.tensor, value, quantile))
        ref = evaluate(
            build(torch.distributions, theirs), method, *_tensors(torch.tensor, value, quantile)
        )
        assert out.shape == tuple(ref.shape), (name, method)
        if check_dtype:
            assert out.dtype == ref.numpy(force=True).dtype
        np.testing.assert_allclose(
            out.numpy(force=True),
            ref.numpy(force=True),
            rtol=rtol,
            atol=atol,
            err_msg=f"{name}.{method}",
        )
        if method in no_gradient or not ref.requires_grad:
            continue
        weights = rng(3).normal(size=tuple(ref.shape))
        (out * tg.tensor(weights)).sum().backward()
        (ref * torch.tensor(weights)).sum().backward()
        g_rtol = (grad_rtols or {}).get(method, grad_rtol)
        for i, (a, b) in enumerate(zip(ours, theirs)):
            expected = np.zeros_like(params[i]) if b.grad is None else b.grad.numpy(force=True)
            got = np.zeros_like(params[i]) if a.grad is None else a.grad.numpy(force=True)
            g_atol = grad_atol + (g_rtol * np.abs(expected).max() if grad_atol_scaled else 0.0)
            np.testing.assert_allclose(
                got, expected, rtol=g_rtol, atol=g_atol, err_msg=f"{name}.{method} ∂/∂param{i}"
            )


def assert_methods_gradcheck(
    name: str,
    build: Build,
    params: Sequence[np.ndarray],
    value: np.ndarray,
    methods: Sequence[str],
    *,
    quantile: np.ndarray | None = None,
    n_fixed: int = 0,
) -> None:
    """Backprop through each method agrees with central differences in every parameter but
    the last ``n_fixed`` (held fixed: a Binomial's integer counts). A method that is a constant
    of the parameters (HalfCauchy's infinite mean) has no gradient to check."""
    free = list(params[: len(params) - n_fixed])
    fixed = [tg.tensor(a) for a in params[len(free) :]]
    for method in methods:

        def f(*p: tg.Tensor, method: str = method) -> tg.Tensor:
            out: tg.Tensor = evaluate(
                build(D, [*p, *fixed]), method, *_tensors(tg.tensor, value, quantile)
            )
            return out

        if not f(*[tg.tensor(p, requires_grad=True) for p in free]).requires_grad:
            continue
        assert gradcheck(f, free), (name, method)


def assert_rsample_gradcheck(build: Build, params: Sequence[np.ndarray]) -> None:
    """rsample is a differentiable function of the parameters for fixed noise: reseeding gives
    the same noise, so finite differences see the function backprop does."""

    def f(*p: tg.Tensor) -> tg.Tensor:
        tg.manual_seed(7)
        out: tg.Tensor = build(D, list(p)).rsample((3,))
        return out

    assert gradcheck(f, list(params))


def assert_kl_is_torchs(
    build: Build,
    pp: list[np.ndarray],
    qp: list[np.ndarray],
    *,
    rtol: float,
    grad_rtol: float,
    grad_atol: float,
) -> None:
    """KL(p ‖ q) and its gradient in both distributions' parameters as torch's; gradcheck;
    KL(p ‖ p) = 0."""
    torch = torch_or_skip()
    ours = [tg.tensor(a, requires_grad=True) for a in pp + qp]
    theirs = [torch.tensor(a, requires_grad=True) for a in pp + qp]
    n = len(pp)
    out = D.kl_divergence(build(D, ours[:n]), build(D, ours[n:]))
    M = torch.distributions
    ref = M.kl_divergence(build(M, theirs[:n]), build(M, theirs[n:]))
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.numpy(force=True), ref.numpy(force=True), rtol=rtol)
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(ours, theirs):
        assert a.grad is not None
        np.testing.assert_allclose(
            a.grad.numpy(force=True), b.grad.numpy(force=True), rtol=grad_rtol, atol=grad_atol
        )
    assert gradcheck(
        lambda *p: D.kl_divergence(build(D, list(p[:n])), build(D, list(p[n:]))), pp + qp
    )
    p = build(D, [tg.tensor(a) for a in pp])
    same = D.kl_divergence(p, build(D, [tg.tensor(a) for a in pp]))
    np.testing.assert_allclose(same.numpy(force=True), 0.0, atol=1e-12)


def assert_kl_is_the_monte_carlo_mean(
    p: Any, q: Any, draws: int, *, seed: int = 3, slack: float = 0.0
) -> None:
    """KL(p ‖ q) is the mean of log p(x) − log q(x) over ``draws`` draws x ~ p to within 5
    standard errors (plus ``slack``, for a log ratio that is constant)."""
    tg.manual_seed(seed)
    x = p.sample((draws,))
    ratio = (p.log_prob(x) - q.log_prob(x)).numpy(force=True)
    se = ratio.std(0) / math.sqrt(len(ratio))
    kl = D.kl_divergence(p, q).numpy(force=True)
    assert np.all(np.abs(ratio.mean(0) - kl) < 5 * se + slack), (ratio.mean(0), kl)


def first_line(error: BaseException) -> str:
    """The first line of a message, torch's names written as ours (``torch.Size``,
    ``torch.float64`` in the printed parameters)."""
    return str(error).splitlines()[0].replace("torch.", "")


def first_line_without_trailing_zeros(error: BaseException) -> str:
    """``first_line``, with printed numbers without trailing zeros (torch prints the parameter
    1.5 as 1.5000, tinygrad_ed as 1.5)."""
    return re.sub(r"(\d\.\d*?)0+\b", r"\1", first_line(error))


def assert_raises_as_torch(
    make: Callable[[Any, Callable[..., Any]], Any],
    message: Callable[[BaseException], str] | None,
    *,
    float64: bool = True,
) -> None:
    """``make`` (given the distributions module and a tensor constructor, float64 ones unless
    ``float64`` is False) raises torch's exception type in both libraries, with the same
    message as ``message`` normalises it (``None``: the type only)."""
    torch = torch_or_skip()
    with pytest.raises(Exception) as ref:
        if float64:
            make(torch.distributions, lambda v: torch.tensor(v, dtype=torch.float64))
        else:
            make(torch.distributions, torch.tensor)
    with pytest.raises(ref.type) as ours:
        if float64:
            make(D, lambda v: tg.tensor(v, dtype=tg.float64))
        else:
            make(D, tg.tensor)
    if message is not None:
        assert message(ours.value) == message(ref.value)


def built_beside_torch(build: Build, params: Sequence[np.ndarray]) -> tuple[Any, Any, Any]:
    """torch, and the distribution built in each library from the same parameters, whose batch
    and event shapes are asserted equal."""
    torch = torch_or_skip()
    ours = build(D, [tg.tensor(p) for p in params])
    ref = build(torch.distributions, [torch.tensor(p) for p in params])
    assert ours.batch_shape == ref.batch_shape and ours.event_shape == ref.event_shape
    return torch, ours, ref


def expanded_beside_torch(ours: Any, ref: Any, n: int = 4) -> tuple[Any, Any]:
    """Both distributions expanded by a new leading batch dim of size ``n``: the same type,
    torch's batch shape."""
    new_batch = (n, *ref.batch_shape)
    wide, ref_wide = ours.expand(new_batch), ref.expand(new_batch)
    assert type(wide) is type(ours) and wide.batch_shape == ref_wide.batch_shape
    return wide, ref_wide


def ks_distance(cdf_values: np.ndarray) -> np.ndarray:
    """The Kolmogorov–Smirnov distance of draws (along dim 0) from their claimed cdf: of the
    cdf at the draws from U(0, 1)."""
    c = np.sort(cdf_values, axis=0)
    n = len(c)
    hi = np.arange(1, n + 1).reshape((n,) + (1,) * (c.ndim - 1)) / n
    out: np.ndarray = np.maximum(np.abs(c - hi), np.abs(c - (hi - 1 / n))).max(0)
    return out
