"""Regression tests for the findings of tests/_audit_linalg_decomp_special.py, the bad-input audit
of tg.linalg's decompositions and of tg.special (with the Tensor methods) against torch 2.13: each
test is one fix, checked without torch; torch's values where given are its outputs, written down."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import special

Z = np.array([[1 + 2j, 0.5 - 1j], [-0.3 + 0.1j, 2.0 + 0j]])

# Every real-only special function, unary or with a real partner: a complex operand was cast to
# float64 inside the kernel (numpy's ComplexWarning), dropping the imaginary part silently.
REAL_ONLY = [
    lambda z: special.gammaln(z),
    lambda z: special.digamma(z),
    lambda z: special.polygamma(2, z),
    lambda z: special.erf(z),
    lambda z: special.erfc(z),
    lambda z: special.erfcx(z),
    lambda z: special.erfinv(z),
    lambda z: special.ndtr(z),
    lambda z: special.ndtri(z),
    lambda z: special.log_ndtr(z),
    lambda z: special.i0(z),
    lambda z: special.i0e(z),
    lambda z: special.i1(z),
    lambda z: special.i1e(z),
    lambda z: special.entr(z),
    lambda z: special.logit(z),
    lambda z: special.multigammaln(z, 2),
    lambda z: special.gammainc(z, tg.ones(2, 2)),
    lambda z: special.gammaincc(tg.ones(2, 2), z),
    lambda z: special.zeta(z, tg.ones(2, 2)),
    lambda z: special.xlog1py(tg.ones(2, 2), z),
    lambda z: special.xlogy(z, 2.0),
    lambda z: z.lgamma(),
    lambda z: z.erfinv(),
    lambda z: z.i0(),
    lambda z: z.polygamma(1),
    lambda z: z.igamma(tg.ones(2, 2)),
]


@pytest.mark.parametrize("f", REAL_ONLY)
def test_special_functions_refuse_complex(f) -> None:  # type: ignore[no-untyped-def]
    # torch: NotImplementedError: "lgamma_vml_cpu" not implemented for 'ComplexDouble'
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning on the way
        with pytest.raises(NotImplementedError, match=r"not implemented for complex dtype"):
            f(tg.tensor(Z))


def test_expit_of_complex_keeps_the_imaginary_part() -> None:
    # torch.special.expit / sigmoid have a complex kernel: 1/(1 + e^{−z}); ours dropped Im z
    out = special.expit(tg.tensor(Z)).numpy()
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-Z)), rtol=1e-14)
    assert out.dtype == np.complex128
    np.testing.assert_allclose(
        tg.tensor(Z).sigmoid().numpy()[0, 0], 1.0214153641721806 + 0.40343870608154253j, 1e-14
    )  # torch.sigmoid(1 + 2j)


def test_logit_with_eps_above_one_half() -> None:
    # eps > 1/2 crosses the bounds: torch takes x < eps ? eps : (x > 1 − eps ? 1 − eps : x)
    # (torch: [-0.4055, nan, 0.4055, 0.4055]); clamp gave 1 − eps everywhere
    x = tg.tensor([0.7, float("nan"), 0.2, -3.0], requires_grad=True)
    out = special.logit(x, eps=0.6)
    np.testing.assert_allclose(
        out.detach().numpy(), [-np.log(1.5), np.nan, np.log(1.5), np.log(1.5)], rtol=1e-6
    )
    out.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(np.abs(x.grad.numpy()), [0.0, np.nan, 0.0, 0.0])
    np.testing.assert_allclose(
        x.logit(0.3).detach().numpy()[[0, 2]], [np.log(0.7 / 0.3), np.log(0.3 / 0.7)], rtol=1e-6
    )


def test_trigamma_at_minus_infinity_is_nan() -> None:
    # torch: polygamma(1, -inf) = nan (no limit: the poles pile up); polygamma(3, -inf) = inf
    x = tg.tensor([-np.inf, np.inf, 1.0])
    np.testing.assert_allclose(x.polygamma(1).numpy(), [np.nan, 0.0, np.pi**2 / 6])
    assert x.polygamma(3).numpy()[0] == np.inf
    y = tg.tensor([-np.inf], requires_grad=True)
    y.digamma().sum().backward()  # ψ'(−inf) = trigamma: nan, as torch
    assert y.grad is not None and np.isnan(y.grad.numpy()[0])


NASTY = np.array([0.5, -2.5, 1e300, -1e300, np.inf, -np.inf, np.nan, -3.0, 0.0])


@pytest.mark.parametrize(
    "f",
    [
        lambda x: special.erf(x),
        lambda x: x.erf(),
        lambda x: special.expm1(x),
        lambda x: special.exp2(x),
        lambda x: special.log1p(x),
        lambda x: x.log1p_(),
        lambda x: special.sinc(x),
        lambda x: x.sinc(),
    ],
)
def test_forwards_at_overflow_and_outside_the_domain_are_silent(f) -> None:  # type: ignore[no-untyped-def]
    # numpy's RuntimeWarnings (overflow in exp2/expm1/erf's x², log1p(x < −1), sin(±inf)) escaped
    # where torch returns its inf/nan silently
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(tg.tensor(NASTY.copy()))
    np.testing.assert_array_equal(special.erf(tg.tensor([1e300, -1e300])).numpy(), [1.0, -1.0])
    np.testing.assert_array_equal(special.log1p(tg.tensor([-3.0, -1.0])).numpy(), [np.nan, -np.inf])


def test_cond_of_a_singular_matrix_is_silent() -> None:
    # σ₁/σₖ of the zero matrix is 0/0 = nan (torch's too), with numpy's 'invalid value' warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = tg.linalg.cond(tg.zeros(2, 2))
        s = tg.linalg.cond(tg.tensor([[1.0, 0.0], [0.0, 0.0]]), p=-2)
        nuc = tg.linalg.cond(tg.tensor([[1.0, 0.0], [0.0, 0.0]]), p="nuc")
    assert np.isnan(z.item()) and s.item() == 0.0 and nuc.item() == np.inf


def test_lstsq_empty_residuals_stay_on_the_graph() -> None:
    # torch's residuals (empty for the default driver gelsy) require grad with A or B
    A = tg.tensor(np.arange(12.0).reshape(4, 3) ** 0.5, requires_grad=True)
    r = tg.linalg.lstsq(A, tg.ones(4, 2, dtype=tg.float64))
    assert r.residuals.shape == (0,) and r.residuals.requires_grad
    assert not tg.linalg.lstsq(A.detach(), tg.ones(4, 2, dtype=tg.float64)).residuals.requires_grad
    full = tg.linalg.lstsq(A, tg.ones(4, 2, dtype=tg.float64), driver="gelsd")
    assert full.residuals.shape == (2,) and full.residuals.requires_grad


def test_matrix_rank_takes_the_older_tol_overload() -> None:
    # torch.linalg.matrix_rank(A, tol, hermitian=False): tol an absolute tolerance (rtol 0);
    # ours refused the keyword. torch: 3, 2, 0 for these three; tol with atol a TypeError
    A = tg.tensor(np.diag([10.0, 0.5, 1e-2]))
    assert tg.linalg.matrix_rank(A, tol=1e-3).item() == 3
    assert tg.linalg.matrix_rank(A, 0.1).item() == 2
    assert tg.linalg.matrix_rank(A, tg.tensor(100.0), True).item() == 0
    with pytest.raises(TypeError, match="tol"):
        tg.linalg.matrix_rank(A, tol=1.0, atol=1.0)
