"""tinygrad_ed.distributions' structured transforms (SoftmaxTransform, StickBreakingTransform,
LowerCholeskyTransform, PositiveDefiniteTransform, CorrCholeskyTransform, CatTransform,
StackTransform, CumulativeDistributionTransform), the new constraints and the biject_to /
transform_to registries: values, inverses, log|det J| and their gradients beside torch (float64,
1e-10), log|det J| against the determinant of the autograd Jacobian, and torch's shapes,
constraints and errors."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from _distributions import rng as _rng
from _distributions import torch_or_skip as _torch

import tinygrad_ed as tg
from tinygrad_ed import distributions as D
from tinygrad_ed.distributions import constraints as C
from tinygrad_ed.numgrad import gradcheck

RTOL = 1e-10


def _transforms(M: Any, t: Any) -> dict[str, tuple[Any, tuple[int, ...]]]:
    """Each transform and the shape of a point of its domain."""
    T = M.transforms
    normal = M.Normal(t([0.5, -1.0, 2.0]), t([1.0, 2.0, 0.5]))
    return {
        "Softmax": (T.SoftmaxTransform(), (4, 3)),
        "StickBreaking": (T.StickBreakingTransform(), (4, 3)),
        "LowerCholesky": (T.LowerCholeskyTransform(), (2, 3, 3)),
        "PositiveDefinite": (T.PositiveDefiniteTransform(), (2, 3, 3)),
        "CorrCholesky": (T.CorrCholeskyTransform(), (2, 6)),
        "Cat": (
            T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)], dim=1, lengths=[2, 3]),
            (4, 5),
        ),
        "Cat event": (
            T.CatTransform(
                [
                    T.IndependentTransform(T.ExpTransform(), 1),
                    T.IndependentTransform(T.SigmoidTransform(), 1),
                ],
                dim=-1,
                lengths=[2, 3],
            ),
            (4, 5),
        ),
        "Stack": (T.StackTransform([T.ExpTransform(), T.SigmoidTransform()], dim=-1), (4, 2)),
        "CumulativeDistribution": (T.CumulativeDistributionTransform(normal), (4, 3)),
    }


NAMES = sorted(_transforms(D, lambda v: tg.tensor(v)))
NO_JACOBIAN = ("Softmax", "LowerCholesky", "PositiveDefinite")  # not bijections: torch has none


@pytest.mark.parametrize("name", NAMES)
def test_transforms_are_torchs(name: str) -> None:
    """y, the inverse (and f⁻¹(f(x)) = x for the bijections), log|det J| (with the gradients
    of all in x), domain and codomain (event_dim, repr), bijective, and the shapes, as
    torch's."""
    torch = _torch()
    ours, shape = _transforms(D, lambda v: tg.tensor(v, dtype=tg.float64))[name]
    theirs, _ = _transforms(torch.distributions, lambda v: torch.tensor(v, dtype=torch.float64))[
        name
    ]
    x = _rng(2).normal(size=shape)
    xt, xr = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, yr = ours(xt), theirs(xr)
    assert y.shape == tuple(yr.shape)
    np.testing.assert_allclose(y.numpy(force=True), yr.numpy(force=True), rtol=RTOL, atol=1e-14)
    x_back, x_back_r = ours.inv(y), theirs.inv(yr)
    np.testing.assert_allclose(
        x_back.numpy(force=True), x_back_r.numpy(force=True), rtol=RTOL, atol=1e-13
    )
    if ours.bijective:
        np.testing.assert_allclose(x_back.numpy(force=True), x, rtol=1e-8, atol=1e-10)
    total, total_r = y.sum() + x_back.sum(), yr.sum() + x_back_r.sum()
    if name not in NO_JACOBIAN:
        ladj, ladj_r = ours.log_abs_det_jacobian(xt, y), theirs.log_abs_det_jacobian(xr, yr)
        assert ladj.shape == tuple(ladj_r.shape)
        np.testing.assert_allclose(ladj.numpy(force=True), ladj_r.numpy(force=True), rtol=RTOL)
        total, total_r = total + ladj.sum(), total_r + ladj_r.sum()
    total.backward()
    total_r.backward()
    assert xt.grad is not None
    np.testing.assert_allclose(xt.grad.numpy(), xr.grad.numpy(), rtol=1e-9, atol=1e-12)
    for attr in ("domain", "codomain"):
        a, b = getattr(ours, attr), getattr(theirs, attr)
        assert a.event_dim == b.event_dim, attr
        if "Cat" not in name and "Stack" not in name and "Cumulative" not in name:
            assert repr(a) == repr(b), attr
    assert ours.bijective == theirs.bijective
    assert ours.forward_shape(shape) == tuple(theirs.forward_shape(torch.Size(shape)))
    assert ours.inverse_shape(y.shape) == tuple(theirs.inverse_shape(yr.shape))
    assert (ours == _transforms(D, lambda v: tg.tensor(v))[name][0]) == (
        theirs == _transforms(torch.distributions, torch.tensor)[name][0]
    )


def _jacobian(f: Any, x: np.ndarray) -> np.ndarray:
    """∂f(x)/∂x by backprop, one output entry at a time: shape out.shape + x.shape."""
    xt = tg.tensor(x, requires_grad=True)
    out = f(xt)
    rows = []
    for i in range(out.numel()):
        (g,) = tg.autograd.grad(out.reshape(-1)[i], [xt], retain_graph=True)
        rows.append(g.numpy())
    return np.array(rows).reshape(tuple(out.shape) + x.shape)


def test_stick_breaking_log_det_is_the_jacobians() -> None:
    """ℝᴷ⁻¹ → simplex: log|det J| of x ↦ (y₁, …, y_{K−1}) (the free coordinates), from the
    autograd Jacobian (1e-10); the image is on the simplex, x = 0 maps to the uniform vector,
    and the log-det passes gradcheck."""
    t = D.transforms.StickBreakingTransform()
    x = _rng(4).normal(size=4)
    J = _jacobian(lambda a: t(a)[:-1], x)
    y = t(tg.tensor(x))
    ladj = t.log_abs_det_jacobian(tg.tensor(x), y).item()
    assert math.isclose(ladj, np.linalg.slogdet(J)[1], rel_tol=1e-10)
    assert math.isclose(y.sum().item(), 1.0, rel_tol=1e-14) and bool((y > 0).all())
    np.testing.assert_allclose(t(tg.zeros(4, dtype=tg.float64)).numpy(), 0.2, rtol=1e-14)
    assert gradcheck(lambda a: t.log_abs_det_jacobian(a, t(a)), [x])


def test_corr_cholesky_log_det_is_the_jacobians() -> None:
    """ℝ^{D(D−1)/2} → Cholesky factors of correlation matrices: the rows have unit norm, LLᵀ
    has a unit diagonal and is positive definite, and log|det J| of x ↦ the strictly lower
    entries is the autograd Jacobian's (1e-10); gradcheck of the map and its log-det."""
    t = D.transforms.CorrCholeskyTransform()
    x = _rng(5).normal(size=6)
    L = t(tg.tensor(x))
    assert L.shape == (4, 4) and bool(C.corr_cholesky.check(L))
    np.testing.assert_allclose(np.diag((L @ L.mT).numpy()), 1.0, rtol=1e-14)
    rows, cols = np.tril_indices(4, -1)
    J = _jacobian(lambda a: t(a)[rows, cols], x)
    ladj = t.log_abs_det_jacobian(tg.tensor(x), L).item()
    assert math.isclose(ladj, np.linalg.slogdet(J)[1], rel_tol=1e-10)
    assert gradcheck(lambda a: t(a), [x])
    assert gradcheck(lambda a: t.log_abs_det_jacobian(a, t(a)), [x])


def test_cumulative_distribution_transform_turns_draws_uniform() -> None:
    """F of a Normal's draws is uniform (KS), its inverse turns uniforms into the Normal's
    draws, and log|dF/dx| is log p(x), the autograd derivative's log."""
    normal = D.Normal(_f64(0.5), _f64(2.0))
    t = D.transforms.CumulativeDistributionTransform(normal)
    tg.manual_seed(3)
    u = np.sort(t(normal.sample((20_000,))).numpy().ravel())
    n = len(u)
    assert np.abs(u - np.arange(1, n + 1) / n).max() < 1.95 / math.sqrt(n)
    q = _f64(0.1, 0.5, 0.9)
    np.testing.assert_allclose(t.inv(q).numpy(), normal.icdf(q).numpy())
    x = tg.tensor([-1.0, 0.3, 4.0], dtype=tg.float64, requires_grad=True)
    t(x).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(
        t.log_abs_det_jacobian(x, t(x)).numpy(force=True), np.log(x.grad.numpy()), rtol=1e-12
    )
    assert t.domain is normal.support and t.sign == 1


def _f64(*values: float) -> tg.Tensor:
    return tg.tensor(np.array(values), dtype=tg.float64)


def test_transform_errors_are_torchs() -> None:
    """Wrong sizes and dims raise torch's errors, word for word."""
    torch = _torch()
    cases = [
        lambda M, t: M.transforms.CatTransform([M.transforms.ExpTransform()], 0, [2])(
            t([1.0, 2, 3])
        ),
        lambda M, t: M.transforms.CatTransform([M.transforms.ExpTransform()], 3, [2])(t([1.0, 2])),
        lambda M, t: M.transforms.CatTransform([M.transforms.ExpTransform()], 0, [1, 2]),
        lambda M, t: M.transforms.StackTransform([M.transforms.ExpTransform()])(t([1.0, 2])),
        lambda M, t: M.transforms.StackTransform([M.transforms.ExpTransform()]).inv(t([1.0, 2])),
        lambda M, t: M.transforms.CorrCholeskyTransform().forward_shape((5,)),
        lambda M, t: M.transforms.CorrCholeskyTransform().inverse_shape((2, 3)),
        lambda M, t: M.transforms.StickBreakingTransform().forward_shape(()),
        lambda M, t: M.transforms.SoftmaxTransform().inverse_shape(()),
        lambda M, t: M.constraints.cat([M.constraints.real], 0, [1, 1]),
        lambda M, t: M.constraints.stack([M.constraints.real], 2).check(t([1.0])),
        lambda M, t: M.biject_to(M.constraints.lower_cholesky),
        lambda M, t: M.transform_to(M.constraints.boolean),
        lambda M, t: M.biject_to.register(3, lambda c: None),
    ]
    for make in cases:
        with pytest.raises(Exception) as ref:
            make(torch.distributions, lambda v: torch.tensor(v, dtype=torch.float64))
        with pytest.raises(ref.type) as ours:
            make(D, lambda v: tg.tensor(v, dtype=tg.float64))
        assert str(ours.value).replace("tinygrad_ed.", "") == str(ref.value).replace("torch.", "")


# ------------------------------------------------------------------------------------------
# constraints and the registries


def _constraints(M: Any, t: Any) -> dict[str, Any]:
    c = M.constraints
    return {
        "real": c.real,
        "positive": c.positive,
        "nonnegative": c.nonnegative,
        "greater_than": c.greater_than(-2.0),
        "greater_than_eq": c.greater_than_eq(1.5),
        "less_than": c.less_than(3.0),
        "unit_interval": c.unit_interval,
        "interval": c.interval(-1.0, 4.0),
        "half_open_interval": c.half_open_interval(0.0, 2.0),
        "simplex": c.simplex,
        "real_vector": c.real_vector,
        "independent positive": c.independent(c.positive, 1),
        "lower_cholesky": c.lower_cholesky,
        "positive_definite": c.positive_definite,
        "positive_semidefinite": c.positive_semidefinite,
        "corr_cholesky": c.corr_cholesky,
        "cat": c.cat([c.positive, c.interval(0.0, 1.0)], -1, [2, 1]),
        "stack": c.stack([c.real, c.positive, c.unit_interval], -1),
    }


CONSTRAINTS = sorted(_constraints(D, None))
SQUARE = ("lower_cholesky", "positive_definite", "positive_semidefinite")


@pytest.mark.parametrize("name", CONSTRAINTS)
@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_registries_are_torchs(name: str, registry: str) -> None:
    """biject_to(c) and transform_to(c) are torch's transforms (type and repr, or torch's
    NotImplementedError), map unconstrained points into c (``c.check``), give torch's values,
    and for biject_to invert (f⁻¹(f(x)) = x) with torch's log|det J|."""
    torch = _torch()
    ours_c = _constraints(D, None)[name]
    ref_c = _constraints(torch.distributions, None)[name]
    try:
        ref = getattr(torch.distributions, registry)(ref_c)
    except NotImplementedError as e:
        with pytest.raises(NotImplementedError, match=re.escape(str(e))):
            getattr(D, registry)(ours_c)
        return
    ours = getattr(D, registry)(ours_c)
    assert type(ours).__name__ == type(ref).__name__
    assert repr(ours) == repr(ref)
    shape = (2, 3, 3) if name in SQUARE else (2, 6) if name == "corr_cholesky" else (4, 3)
    x = _rng(7).normal(size=shape)
    y, yr = ours(tg.tensor(x)), ref(torch.tensor(x))
    np.testing.assert_allclose(y.numpy(), yr.numpy(), rtol=RTOL, atol=1e-14)
    assert bool(ours_c.check(y).all())
    if registry == "biject_to":
        assert ours.bijective
        np.testing.assert_allclose(ours.inv(y).numpy(), x, rtol=1e-8, atol=1e-10)
        ladj = ours.log_abs_det_jacobian(tg.tensor(x), y).numpy()
        ref_ladj = ref.log_abs_det_jacobian(torch.tensor(x), yr).numpy()
        np.testing.assert_allclose(ladj, ref_ladj, rtol=RTOL)


def test_constraint_checks_are_torchs() -> None:
    """The new constraints answer as torch's on values inside and outside them."""
    torch = _torch()
    rng = _rng(8)
    values = {
        "multinomial": [[2.0, 1.0, 0.0], [3.0, 1.0, 1.0], [-1.0, 2.0, 0.0], [0.0, 0.0, 0.0]],
        "corr_cholesky": [
            np.linalg.cholesky(np.corrcoef(rng.normal(size=(3, 5)))),
            np.eye(3) * 2,
            np.tril(rng.normal(size=(3, 3))),
        ],
        "cat": [[0.5, 2.0, 0.3], [-0.5, 2.0, 0.3], [0.5, 2.0, 1.3]],
        "stack": [[[0.0, 1.0, 0.5], [2.0, -1.0, 0.5]], [[1.0, 1.0, 1.5], [-3.0, 3.0, 0.0]]],
        "mixture": [[0.5, 1.0], [-1.0, 2.0]],
    }

    def make(M: Any) -> dict[str, Any]:
        c = M.constraints
        return {
            "multinomial": c.multinomial(4),
            "corr_cholesky": c.corr_cholesky,
            "cat": c.cat([c.positive, c.interval(0.0, 1.0)], -1, [2, 1]),
            "stack": c.stack([c.real, c.positive, c.unit_interval], -1),
            "mixture": c.MixtureSameFamilyConstraint(c.positive),
        }

    ours, theirs = make(D), make(torch.distributions)
    for name, v in values.items():
        a = ours[name].check(tg.tensor(np.array(v, dtype=float)))
        b = theirs[name].check(torch.tensor(np.array(v, dtype=float)))
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
        assert ours[name].event_dim == theirs[name].event_dim
        assert ours[name].is_discrete == theirs[name].is_discrete
        if name != "stack":
            assert repr(ours[name]) == repr(theirs[name])


def test_constrained_parameter_by_transform_to() -> None:
    """transform_to is the standard way to optimise a constrained parameter: a covariance
    kept positive definite by PositiveDefiniteTransform, fitted by Adam to the sample
    covariance of 2000 draws (maximum likelihood of a MultivariateNormal), lands on it."""
    rng = _rng(10)
    data = tg.tensor(rng.multivariate_normal([0, 0], [[2.0, 0.8], [0.8, 1.0]], 2000))
    raw = tg.zeros((2, 2), dtype=tg.float64, requires_grad=True)
    to_pd = D.transform_to(C.positive_definite)
    opt = tg.optim.Adam([raw], lr=0.05)
    for _ in range(400):
        opt.zero_grad()
        cov = to_pd(raw)
        (-D.MultivariateNormal(tg.zeros(2, dtype=tg.float64), cov).log_prob(data).mean()).backward()
        opt.step()
    np.testing.assert_allclose(
        to_pd(raw).numpy(force=True), (data.T @ data).numpy() / 2000, rtol=0, atol=2e-3
    )


def test_a_subclass_of_a_parameter_free_transform_compares_as_its_class() -> None:
    """torch writes ``isinstance(other, ExpTransform)`` in ExpTransform, so a user's subclass
    equals every ExpTransform both ways, and no other transform."""
    T = tg.distributions.transforms

    class Sub(T.ExpTransform):
        pass

    assert Sub() == T.ExpTransform() and T.ExpTransform() == Sub() and Sub() == Sub()
    assert Sub() != T.SigmoidTransform() and T.TanhTransform() != Sub()
