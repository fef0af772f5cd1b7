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

The others are torch's aliases of functions the library has (``expit`` is ``sigmoid``,
``gammaln`` is ``lgamma``, ``psi`` is ``digamma``, …). As in torch, ``gammainc``/``gammaincc``
have no derivative for their first argument a, nor ``zeta`` for its first argument s: backward
through one raises NotImplementedError; the second argument's is there.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

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
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
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
    return (input._real() * -math.sqrt(0.5)).erfc() * 0.5


def ndtri(input: Tensor) -> Tensor:
    """``torch.special.ndtri``: the standard normal quantile Φ⁻¹(p), ∓inf at 0 and 1, nan outside
    [0, 1]; x̄ = g·√(2π)·e^{out²/2}."""
    return _unary(input, "ndtri")


def log_ndtr(input: Tensor) -> Tensor:
    """``torch.special.log_ndtr``: ln Φ(x), without underflow far in the lower tail;
    x̄ = g·e^{−x²/2 − out}/√(2π)."""
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
        return input._in_common_float(y, name)
    assert isinstance(other, Tensor)
    x = other._other(input, name)
    return x._in_common_float(other, name)


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
    x = input._real()
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
