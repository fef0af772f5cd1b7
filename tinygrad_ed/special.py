"""``tinygrad_ed.special``: special functions with gradients, as ``torch.special``.

The primitives (lgamma, digamma, polygamma, erfc, erfcx, erfinv, ndtri, log_ndtr, i0, i0e, i1,
i1e, the incomplete gamma ratios and the Hurwitz zeta) are declared in the registry
(``ops.py``) with one derivative rule per input, on numpy kernels in ``_special_kernels.py``,
each of which states its accuracy; the rest is composed of Tensor ops, so their gradients come
from those:

    ndtr(x)       = ½·erfc(−x/√2)                          x̄ = g·φ(x)
    xlog1py(x, y) = x·ln(1 + y), 0 where x = 0             x̄ = g·ln(1 + y), ȳ = g·x/(1 + y)
    entr(x)       = −x·ln x (0 at 0, −inf below)           x̄ = −g·(1 + ln x)
    multigammaln  = p(p−1)/4·ln π + Σ_{j<p} ln Γ(x − j/2)  (``Tensor.mvlgamma``)

The Bessel and Airy functions (bessel_j0/j1/y0/y1, modified_bessel_i0/i1/k0/k1, the scaled
k0/k1, spherical_bessel_j0, airy_ai; kernels in ``_bessel_kernels.py``) and the orthogonal
polynomials of x and a degree n (chebyshev_polynomial_t/u/v/w and their shifted forms on [0, 1],
hermite_polynomial_h/he, laguerre_polynomial_l, legendre_polynomial_p; kernels in
``_orthogonal_polynomials.py``) are values only, as in torch 2.13: their result does not
require grad (torch declares no derivative and detaches it), so ``backward()`` from one of them
raises torch's RuntimeError, and a graph through one sees it as a constant. Their values are
Cephes' (the kernels torch's are taken from) with torch's edge cases, but more exact than torch's
J₀, J₁, Y₀, Y₁ (off by up to 10⁻⁶ near x = 5) and Ai (3·10⁻⁶ near x = −2.1).

The others are torch's aliases of functions the library has (``expit`` is ``sigmoid``,
``gammaln`` is ``lgamma``, ``psi`` is ``digamma``, …). As in torch, ``gammainc``/``gammaincc``
have no derivative for their first argument a, nor ``zeta`` for its first argument s: backward
through one raises NotImplementedError; the second argument's is there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from . import _bessel_kernels as _bessel
from . import _orthogonal_polynomials as _poly
from ._autograd_function import Function
from ._namespace import exp2, logit, logsumexp, sinc, xlogy
from ._namespace import log_softmax as _log_softmax
from ._namespace import round as _round
from ._namespace import softmax as _softmax
from .ops import OPS
from .tensor import (
    DTypeLike,
    Scalar,
    Tensor,
    _apply,
    _expect_tensor,
    _no_derivative,
    erf,
    expm1,
    log1p,
)

__all__ = [
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "sinc",
    "softmax",
    "spherical_bessel_j0",
    "xlog1py",
    "xlogy",
    "zeta",
]


class _NoDerivative(Function):
    """Zeros of a's shape, whose backward raises torch's error: joined to a result by
    ``tensor._no_derivative`` where torch has no derivative for the argument a."""

    @staticmethod
    def forward(ctx: Any, a: Tensor, what: str) -> Tensor:
        ctx.what = what
        return Tensor._make(np.zeros(a.shape, dtype=a.data.dtype))

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Any:
        raise NotImplementedError(f"the derivative for '{ctx.what}' is not implemented.")


def _unary(input: Tensor, name: str, op: str | None = None) -> Tensor:
    _expect_tensor(input, f"special.{name}")
    return input._special(op or name)


def gammaln(input: Tensor) -> Tensor:
    """``torch.special.gammaln``: ln|Γ(x)|, see ``Tensor.lgamma``."""
    return _unary(input, "gammaln", "lgamma")


def digamma(input: Tensor) -> Tensor:
    """``torch.special.digamma``: ψ(x), see ``Tensor.digamma``."""
    return _unary(input, "digamma")


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:
    """``torch.special.polygamma``: ψ⁽ⁿ⁾(x), see ``Tensor.polygamma``."""
    _expect_tensor(input, "special.polygamma")
    return input.polygamma(n)


def multigammaln(input: Tensor, p: int) -> Tensor:
    """``torch.special.multigammaln``: ln Γ_p(x), see ``Tensor.mvlgamma``."""
    _expect_tensor(input, "special.multigammaln")
    return input.mvlgamma(p)


def erfc(input: Tensor) -> Tensor:
    """``torch.special.erfc``: 1 − erf x, see ``Tensor.erfc``."""
    return _unary(input, "erfc")


def erfcx(input: Tensor) -> Tensor:
    """``torch.special.erfcx``: e^{x²} erfc x, without under- or overflow for large x;
    x̄ = g·(2x·out − 2/√π)."""
    return _unary(input, "erfcx")


def erfinv(input: Tensor) -> Tensor:
    """``torch.special.erfinv``: the inverse of erf, see ``Tensor.erfinv``."""
    return _unary(input, "erfinv")


def expit(input: Tensor) -> Tensor:
    """``torch.special.expit``: 1/(1 + e⁻ˣ), see ``Tensor.sigmoid``."""
    _expect_tensor(input, "special.expit")
    return input.sigmoid()


def ndtr(input: Tensor) -> Tensor:
    """``torch.special.ndtr``: the standard normal CDF Φ(x) = ½·erfc(−x/√2), composed of erfc
    (exact in the lower tail); x̄ = g·e^{−x²/2}/√(2π)."""
    _expect_tensor(input, "special.ndtr")
    return (input._real_kernel("special.ndtr") * -math.sqrt(0.5)).erfc() * 0.5


def ndtri(input: Tensor) -> Tensor:
    """``torch.special.ndtri``: the standard normal quantile Φ⁻¹(p), ∓inf at 0 and 1, nan outside
    [0, 1]; x̄ = g·√(2π)·e^{out²/2}."""
    return _unary(input, "ndtri")


def log_ndtr(input: Tensor) -> Tensor:
    """``torch.special.log_ndtr``: ln Φ(x), without underflow far in the lower tail;
    x̄ = g·φ(x)/Φ(x), the ratio computed without its e^{−x²/2} (accurate far in the tail)."""
    return _unary(input, "log_ndtr")


def i0(input: Tensor) -> Tensor:
    """``torch.special.i0``: I₀(x), see ``Tensor.i0``."""
    return _unary(input, "i0")


def i0e(input: Tensor) -> Tensor:
    """``torch.special.i0e``: e^{−|x|} I₀(x), without overflow; x̄ = g·(I₁ₑ(x) − sign(x)·out)."""
    return _unary(input, "i0e")


def i1(input: Tensor) -> Tensor:
    """``torch.special.i1``: the modified Bessel function of the first kind of order 1, I₁(x);
    x̄ = g·(I₀(x) − out/x), ½·g at 0."""
    return _unary(input, "i1")


def i1e(input: Tensor) -> Tensor:
    """``torch.special.i1e``: e^{−|x|} I₁(x), without overflow; x̄ = g·(I₀ₑ(x) −
    out·(sign x + 1/x)), ½·g at 0."""
    return _unary(input, "i1e")


def _pair(input: Tensor | Scalar, other: Tensor | Scalar, name: str) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors (one may be a number, as torch's Scalar overloads), in their
    common floating dtype."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(
            f"special.{name}(): expected a Tensor as input or other, got "
            f"{type(input).__name__} and {type(other).__name__}"
        )
    if isinstance(input, Tensor):
        y = other if isinstance(other, Tensor) else input._other(other, name)
        x, y = input._in_common_float(y, name)
    else:
        assert isinstance(other, Tensor)
        x, y = other._other(input, name)._in_common_float(other, name)
    x._real_kernel(f"special.{name}")  # torch's kernels are real: no complex operand
    return x, y


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """``torch.special.gammainc``: P(a, x), a = input, x = other; see ``Tensor.igamma``."""
    _expect_tensor(input, "special.gammainc")
    return input.igamma(other)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """``torch.special.gammaincc``: Q(a, x), a = input, x = other; see ``Tensor.igammac``."""
    _expect_tensor(input, "special.gammaincc")
    return input.igammac(other)


def zeta(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.special.zeta``: the Hurwitz zeta function ζ(s, q) = Σₖ (q + k)^{−s}, s = input,
    q = other: inf at s = 1 and at q = 0, −1, …, nan for s < 1 and for q < 0 with s not an
    integer (torch's domain). q̄ = −g·s·ζ(s + 1, q); no derivative for s, as torch."""
    s, q = _pair(input, other, "zeta")
    out = _apply(OPS["zeta"], q, s=s.data)
    return _no_derivative(out, s, "zeta")


def xlog1py(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """``torch.special.xlog1py``: x·ln(1 + y), 0 where x = 0 unless y is nan. x̄ = g·ln(1 + y)
    (0 where x = 0 and y ≤ −1), ȳ = g·x/(1 + y), torch's rules."""
    x, y = _pair(input, other, "xlog1py")
    zero = (x.data == 0) & ~np.isnan(y.data)
    # y taken as 0 where x = 0 and ln(1 + y) is not finite, so no 0·(−inf) = nan reaches the
    # value or either gradient; elsewhere at x = 0 the product is 0 and x̄ = g·ln(1 + y)
    with np.errstate(invalid="ignore"):
        bad = zero & ~(np.isfinite(y.data) & (y.data > -1))
    safe = y._keep(~bad) if bad.any() else y
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * safe.log1p()


def entr(input: Tensor) -> Tensor:
    """``torch.special.entr``: −x·ln x for x > 0, 0 at 0, −inf for x < 0 (nan stays nan).
    x̄ = −g·(1 + ln x) for x > 0; 0 elsewhere (torch gives inf at 0 and nan below)."""
    _expect_tensor(input, "special.entr")
    x = input._real_kernel("special.entr")
    pos = x.data > 0
    one = Tensor._make(np.ones((), dtype=x.dtype))
    safe = x._keep(pos) + one._keep(~pos)
    with np.errstate(invalid="ignore"):
        rest = np.where(x.data == 0, 0.0, np.where(x.data < 0, -np.inf, x.data))
    other = Tensor._make(rest.astype(x.dtype))
    return (-(safe * safe.log()))._keep(pos) + other._keep(~pos)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """``torch.special.round``: see ``Tensor.round``."""
    return _round(input, decimals=decimals)


def softmax(input: Tensor, dim: int, *, dtype: DTypeLike = None) -> Tensor:
    """``torch.special.softmax``: see ``Tensor.softmax`` (``dtype``: the input is cast first)."""
    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: DTypeLike = None) -> Tensor:
    """``torch.special.log_softmax``: see ``Tensor.log_softmax`` (``dtype`` as in softmax)."""
    return _log_softmax(input, dim, dtype)


# ----------------------------------------------------------------------------- values only
# torch 2.13 gives these no derivative and detaches their result: the value is a constant here.


def _real_only(x: Tensor, name: str) -> None:
    """Refuse a complex tensor, as torch (its kernels are real): never drop the imaginary part."""
    if x.data.dtype.kind == "c":
        raise NotImplementedError(
            f"special.{name}(): not implemented for complex dtype {x.dtype} (shape {x.shape})"
        )


def _values(input: Tensor, name: str, kernel: Callable[[np.ndarray], np.ndarray]) -> Tensor:
    _expect_tensor(input, f"special.{name}")
    _real_only(input, name)
    return Tensor._make(kernel(input._real().data))


def bessel_j0(input: Tensor) -> Tensor:
    """``torch.special.bessel_j0``: J₀(x), the Bessel function of the first kind of order 0;
    no gradient, as torch. Exact to 10⁻¹⁵ (torch's to 4·10⁻⁷ only, near x = 5)."""
    return _values(input, "bessel_j0", _bessel.bessel_j0)


def bessel_j1(input: Tensor) -> Tensor:
    """``torch.special.bessel_j1``: J₁(x); no gradient, as torch. Exact to 10⁻¹⁵ (torch's to
    5·10⁻⁷ only)."""
    return _values(input, "bessel_j1", _bessel.bessel_j1)


def bessel_y0(input: Tensor) -> Tensor:
    """``torch.special.bessel_y0``: Y₀(x), the Bessel function of the second kind of order 0
    (−inf at 0, nan for x < 0); no gradient, as torch. Exact to 10⁻¹⁵ (torch's to 2·10⁻⁷)."""
    return _values(input, "bessel_y0", _bessel.bessel_y0)


def bessel_y1(input: Tensor) -> Tensor:
    """``torch.special.bessel_y1``: Y₁(x) (−inf at 0, nan for x < 0); no gradient, as torch.
    Exact to 10⁻¹⁵ (torch's to 9·10⁻⁷)."""
    return _values(input, "bessel_y1", _bessel.bessel_y1)


def modified_bessel_i0(input: Tensor) -> Tensor:
    """``torch.special.modified_bessel_i0``: I₀(x), the values of ``i0`` (which has a gradient);
    no gradient, as torch."""
    return _values(input, "modified_bessel_i0", _bessel.modified_bessel_i0)


def modified_bessel_i1(input: Tensor) -> Tensor:
    """``torch.special.modified_bessel_i1``: I₁(x), the values of ``i1`` (which has a gradient);
    no gradient, as torch."""
    return _values(input, "modified_bessel_i1", _bessel.modified_bessel_i1)


def modified_bessel_k0(input: Tensor) -> Tensor:
    """``torch.special.modified_bessel_k0``: K₀(x), the modified Bessel function of the second
    kind of order 0 (inf at 0, nan for x < 0); no gradient, as torch."""
    return _values(input, "modified_bessel_k0", _bessel.modified_bessel_k0)


def modified_bessel_k1(input: Tensor) -> Tensor:
    """``torch.special.modified_bessel_k1``: K₁(x) (inf at 0, nan for x < 0); no gradient."""
    return _values(input, "modified_bessel_k1", _bessel.modified_bessel_k1)


def scaled_modified_bessel_k0(input: Tensor) -> Tensor:
    """``torch.special.scaled_modified_bessel_k0``: eˣ K₀(x), without underflow for large x;
    no gradient, as torch."""
    return _values(input, "scaled_modified_bessel_k0", _bessel.scaled_modified_bessel_k0)


def scaled_modified_bessel_k1(input: Tensor) -> Tensor:
    """``torch.special.scaled_modified_bessel_k1``: eˣ K₁(x); no gradient, as torch."""
    return _values(input, "scaled_modified_bessel_k1", _bessel.scaled_modified_bessel_k1)


def spherical_bessel_j0(input: Tensor) -> Tensor:
    """``torch.special.spherical_bessel_j0``: j₀(x) = sin x / x (1 at 0); no gradient, as
    torch (compose ``sinc(x/π)`` for one)."""
    return _values(input, "spherical_bessel_j0", _bessel.spherical_bessel_j0)


def airy_ai(input: Tensor) -> Tensor:
    """``torch.special.airy_ai``: Ai(x), the Airy function of the first kind; no gradient, as
    torch. Exact to 10⁻¹⁵ also for x < −2.09, where torch's values are off by up to 3·10⁻⁶."""
    return _values(input, "airy_ai", _bessel.airy_ai)


def _polynomial(
    x: Tensor | Scalar, n: Tensor | Scalar, name: str, kernel: Callable[..., np.ndarray]
) -> Tensor:
    """kernel(x, n) on x and n broadcast in their common floating dtype (either may be a
    number, as torch's Scalar overloads), as a constant."""
    if not isinstance(x, Tensor) and not isinstance(n, Tensor):
        raise TypeError(
            f"special.{name}(): expected a Tensor as x or n, got "
            f"{type(x).__name__} and {type(n).__name__}"
        )
    xt, nt = _pair(x, n, name)
    _real_only(xt, name)
    return Tensor._make(kernel(xt.data, nt.data))


def chebyshev_polynomial_t(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.chebyshev_polynomial_t``: Tₙ(x), Tₙ(cos θ) = cos nθ; n truncated toward
    0, 0 for n < 0 (torch's conventions); no gradient, as torch."""
    return _polynomial(x, n, "chebyshev_polynomial_t", partial(_poly.chebyshev, kind="t"))


def chebyshev_polynomial_u(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.chebyshev_polynomial_u``: Uₙ(x), Uₙ(cos θ) = sin((n+1)θ)/sin θ; n as
    in ``chebyshev_polynomial_t``; no gradient, as torch."""
    return _polynomial(x, n, "chebyshev_polynomial_u", partial(_poly.chebyshev, kind="u"))


def chebyshev_polynomial_v(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.chebyshev_polynomial_v``: Vₙ(x), Vₙ(cos θ) = cos((n+½)θ)/cos(θ/2); n as
    in ``chebyshev_polynomial_t``; no gradient, as torch."""
    return _polynomial(x, n, "chebyshev_polynomial_v", partial(_poly.chebyshev, kind="v"))


def chebyshev_polynomial_w(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.chebyshev_polynomial_w``: Wₙ(x), Wₙ(cos θ) = sin((n+½)θ)/sin(θ/2); n as
    in ``chebyshev_polynomial_t``; no gradient, as torch."""
    return _polynomial(x, n, "chebyshev_polynomial_w", partial(_poly.chebyshev, kind="w"))


def shifted_chebyshev_polynomial_t(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.shifted_chebyshev_polynomial_t``: Tₙ(2x − 1), on [0, 1]; no gradient."""
    kernel = partial(_poly.chebyshev, kind="t", shifted=True)
    return _polynomial(x, n, "shifted_chebyshev_polynomial_t", kernel)


def shifted_chebyshev_polynomial_u(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.shifted_chebyshev_polynomial_u``: Uₙ(2x − 1); no gradient."""
    kernel = partial(_poly.chebyshev, kind="u", shifted=True)
    return _polynomial(x, n, "shifted_chebyshev_polynomial_u", kernel)


def shifted_chebyshev_polynomial_v(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.shifted_chebyshev_polynomial_v``: Vₙ(2x − 1); no gradient."""
    kernel = partial(_poly.chebyshev, kind="v", shifted=True)
    return _polynomial(x, n, "shifted_chebyshev_polynomial_v", kernel)


def shifted_chebyshev_polynomial_w(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.shifted_chebyshev_polynomial_w``: Wₙ(2x − 1); no gradient."""
    kernel = partial(_poly.chebyshev, kind="w", shifted=True)
    return _polynomial(x, n, "shifted_chebyshev_polynomial_w", kernel)


def hermite_polynomial_h(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.hermite_polynomial_h``: the physicists' Hₙ(x), H₁ = 2x; nan beyond degree
    512 (128 in float32), torch's cut-off; no gradient, as torch."""
    return _polynomial(x, n, "hermite_polynomial_h", _poly.hermite_h)


def hermite_polynomial_he(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.hermite_polynomial_he``: the probabilists' Heₙ(x), He₁ = x; cut-off as
    ``hermite_polynomial_h``; no gradient, as torch."""
    return _polynomial(x, n, "hermite_polynomial_he", _poly.hermite_he)


def laguerre_polynomial_l(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.laguerre_polynomial_l``: Lₙ(x), L₁ = 1 − x; no gradient, as torch."""
    return _polynomial(x, n, "laguerre_polynomial_l", _poly.laguerre_l)


def legendre_polynomial_p(x: Tensor | Scalar, n: Tensor | Scalar) -> Tensor:
    """``torch.special.legendre_polynomial_p``: Pₙ(x), P₁ = x; no gradient, as torch."""
    return _polynomial(x, n, "legendre_polynomial_p", _poly.legendre_p)
