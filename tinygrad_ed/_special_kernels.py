"""Numpy kernels of the special functions (numpy has none of them, and scipy is not a dependency).

Each kernel takes float arrays, computes in float64 and returns the input's dtype; nan in gives
nan out. The accuracy stated in each docstring is held by ``tests/test_special.py`` against
torch (and ``math.lgamma``/``math.erfc``). The standard algorithms are used:

- Hurwitz ζ(s, q): the direct sum to a shifted argument w ≥ max(15, s), then Euler–Maclaurin.
- ln|Γ(x)|: Taylor series about 1 and 2 (exact near the zeros at 1 and 2), the recurrence,
  Stirling's series for x ≥ 15, and the reflection formula for x < 0.
- ψ(x) and ψ⁽ⁿ⁾(x): the recurrence to x ≥ 10 and the asymptotic series; ψ⁽ⁿ⁾ = (−1)ⁿ⁺¹ n! ζ(n+1, x).
- erfc, erfcx: the series of erf for |x| < 0.5, beyond it the continued fraction (A&S 7.1.14).
- erfinv, ndtri: Giles' single-precision approximation, refined by three Newton steps (on
  ln erfc in the tails, where erf is flat).
- I₀, I₁ (and the scaled e^{−|x|}·I): the power series for |x| < 40, the asymptotic series beyond.
- P(a, x), Q(a, x): the series of P for x < a + 1, the continued fraction of Q beyond (Lentz).

This module imports only numpy (and the standard library).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

_EULER = 0.57721566490153286061  # Euler–Mascheroni constant γ
_HALF_LN_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_PI = math.sqrt(math.pi)


def _bernoulli(n: int) -> list[Fraction]:
    """B₀ … Bₙ (B₁ = −½), exactly, by the recurrence Σ_{k<m+1} C(m+1, k) B_k = 0."""
    b = [Fraction(1)]
    for m in range(1, n + 1):
        b.append(-sum((math.comb(m + 1, k) * b[k] for k in range(m)), Fraction(0)) / (m + 1))
    return b


_B = _bernoulli(30)
_B2K_OVER_FACT = [float(_B[2 * k] / math.factorial(2 * k)) for k in range(1, 13)]  # B₂ₖ/(2k)!
_STIRLING = [float(_B[2 * k] / (2 * k * (2 * k - 1))) for k in range(1, 9)]  # B₂ₖ/(2k(2k−1))
_PSI_ASYMPTOTIC = [float(_B[2 * k] / (2 * k)) for k in range(1, 9)]  # B₂ₖ/(2k)


def _quiet(kernel: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Run a kernel without numpy's floating-point warnings: it handles inf, nan, overflow and
    underflow itself (1/x² of a huge x is 0, as meant), so they would be noise to the caller."""

    @functools.wraps(kernel)
    def run(*args: Any, **kwargs: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            return kernel(*args, **kwargs)

    return run


def _f64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _out(y: np.ndarray, like: np.ndarray) -> np.ndarray:
    """y in the input's float dtype (integer inputs give float32, torch's default)."""
    dtype = like.dtype if like.dtype.kind == "f" else np.float32
    return np.asarray(y, dtype=dtype)


def _is_integer(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.asarray(np.floor(x) == x)


# ----------------------------------------------------------------------------- Hurwitz ζ

_MAX_SHIFT = 20000  # terms summed directly before Euler–Maclaurin; beyond it the answer is nan


def _zeta64(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """ζ(s, q) = Σₖ (q + k)^{−s} in float64, on broadcast s, q, with torch's (Cephes') domain.

    For s > 1: the first m terms summed, m the fewest with w = q + m ≥ max(15, s), then
    Euler–Maclaurin at w: w^{1−s}/(s−1) + w^{−s}/2 + Σ_{k≤12} B₂ₖ/(2k)! · s(s+1)…(s+2k−2) ·
    w^{−s−2k+1}, whose terms fall at least tenfold each. At q ≤ 0 the sum is defined for integer s
    (the poles at q = 0, −1, … give inf), as torch's. nan where more than 20000 terms would be
    needed (q < −20000, or s > 20000 with q far above 1).
    """
    s, q = np.broadcast_arrays(_f64(s), _f64(q))
    out = np.full(s.shape, np.nan)
    with np.errstate(invalid="ignore"):
        pole = (s == 1) | ((s > 1) & (q <= 0) & _is_integer(q))
        ok = (s > 1) & ~pole & np.isfinite(q) & ((q > 0) | _is_integer(s))
        at_inf = (s == np.inf) & (q > 0)  # ζ(∞, q) = lim q^{−s}: 0 beyond 1, as torch's nan
        out[at_inf & (q == 1)] = 1.0
        out[at_inf & (q < 1)] = np.inf
    out[pole] = np.inf
    ok &= np.isfinite(s)
    sv, qv = s[ok], q[ok]
    m = np.ceil(np.maximum(15.0, sv) - qv).clip(0, None)
    fits = m <= _MAX_SHIFT
    sv, qv, m = sv[fits], qv[fits], m[fits]
    total = np.zeros_like(sv)
    for i in range(int(m.max()) if m.size else 0):
        take = i < m
        total[take] += np.power(qv[take] + i, -sv[take])
    w = qv + m
    wps = np.power(w, -sv)
    tail = w * wps / (sv - 1) + 0.5 * wps
    factor = sv * wps / w  # s·w^{−s−1}
    for k, coef in enumerate(_B2K_OVER_FACT, start=1):
        term = coef * factor
        tail += term
        factor = factor * (sv + 2 * k - 1) * (sv + 2 * k) / (w * w)
    vals = np.full(ok.sum(), np.nan)
    vals[fits] = total + tail
    out[ok] = vals
    return out


@_quiet
def zeta(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function ζ(s, q) = Σₖ (q + k)^{−s} (``torch.special.zeta``), to a relative
    10⁻¹⁴ for 1 < s ≤ 1000 and |q| ≤ 10⁴. inf at s = 1 and at q = 0, −1, −2, …; nan for s < 1,
    for q < 0 with s not an integer, and at q = ±inf (torch's Cephes domain)."""
    return _out(_zeta64(s, q), np.empty(0, np.result_type(s, q)))


# ----------------------------------------------------------------------------- Γ and ψ

# ζ(k) − 1 = ζ(k, 2) for the Taylor series of ln Γ about 1 and 2.
_ZETA_MINUS_1 = _zeta64(np.arange(2.0, 60.0), np.asarray(2.0))


def _lgamma_near_2(z: np.ndarray) -> np.ndarray:
    """ln Γ(2 + z) = (1 − γ)z + Σ_{k≥2} (−1)ᵏ (ζ(k) − 1)/k · zᵏ, for |z| ≤ ½ (terms ≤ 4⁻ᵏ)."""
    total = np.zeros_like(z)
    zk = z * z
    for k in range(2, 60):
        term = (-1) ** k * _ZETA_MINUS_1[k - 2] / k * zk
        total += term
        if not (np.abs(term) > 1e-17 * np.abs(total)).any():
            break
        zk = zk * z
    return np.asarray((1.0 - _EULER) * z + total)


def _sinpi_abs(x: np.ndarray) -> np.ndarray:
    """|sin(πx)|, exact in the argument: x − round(x) is exact, and sin has period π."""
    return np.abs(np.sin(np.pi * (x - np.round(x))))


def _lgamma64(x: np.ndarray) -> np.ndarray:
    x = _f64(x)
    out = np.full(x.shape, np.nan)
    with np.errstate(invalid="ignore"):
        pos = (x > 0) & (x < np.inf)
        neg = (x < 0) & np.isfinite(x)
        out[(x == 0) | np.isinf(x) | (neg & _is_integer(x))] = np.inf
        neg &= ~_is_integer(x)
        # ln|Γ(x)| = ln Γ(1 + x) − ln|x| on (−½, 0): no 1/sin(πx) to overflow at x = −10⁻³²⁰
        near0 = neg & (x > -0.5)
        neg &= ~near0
    z = x[near0]
    out[near0] = _lgamma_near_2(z) - np.log1p(z) - np.log(-z)
    xp = x[pos]
    vals = np.empty_like(xp)
    small = xp < 0.5  # ln Γ(x) = ln Γ(x + 1) − ln x
    near1 = (xp >= 0.5) & (xp < 1.5)
    near2 = (xp >= 1.5) & (xp <= 2.5)
    mid = (xp > 2.5) & (xp < 15)
    big = xp >= 15
    z = xp[small]
    vals[small] = _lgamma_near_2(z) - np.log1p(z) - np.log(z)
    z = xp[near1] - 1.0
    vals[near1] = _lgamma_near_2(z) - np.log1p(z)
    vals[near2] = _lgamma_near_2(xp[near2] - 2.0)
    # ln Γ(x) = ln((x−1)(x−2)…(x−n)) + ln Γ(x − n), x − n in (1.5, 2.5]: no cancellation, as
    # ln Γ > 0 and increasing there
    v = xp[mid]
    n = np.ceil(v - 2.5)
    prod = np.ones_like(v)
    for i in range(1, 14):
        prod = np.where(i <= n, prod * (v - i), prod)
    vals[mid] = np.log(prod) + _lgamma_near_2(v - n - 2.0)
    v = xp[big]
    series = np.zeros_like(v)
    inv, inv2 = 1.0 / v, 1.0 / (v * v)
    for coef in reversed(_STIRLING):
        series = series * inv2 + coef
    with np.errstate(over="ignore"):
        vals[big] = (v - 0.5) * np.log(v) - v + _HALF_LN_2PI + series * inv
    out[pos] = vals
    v = x[neg]  # ln|Γ(x)| = ln(π / |sin πx|) − ln Γ(1 − x)
    with np.errstate(divide="ignore"):
        if v.size:  # (the recursion ends: 1 − x > 0)
            out[neg] = np.log(np.pi / _sinpi_abs(v)) - _lgamma64(1.0 - v)
    return out


@_quiet
def lgamma(x: np.ndarray) -> np.ndarray:
    """ln|Γ(x)| (``torch.lgamma``), to a relative 10⁻¹⁴ in float64 for x > 0 (exact near its
    zeros at 1 and 2), and absolute 10⁻¹⁴ for x < 0, where it has a zero between each pair of
    poles. inf at 0, at the negative integers and at ±inf."""
    return _out(_lgamma64(x), x)


def _digamma64(x: np.ndarray) -> np.ndarray:
    x = _f64(x)
    out = np.full(x.shape, np.nan)
    with np.errstate(invalid="ignore"):
        pos = (x > 0) & np.isfinite(x)
        neg = (x < 0) & np.isfinite(x) & ~_is_integer(x)
    out[x == 0] = np.copysign(np.inf, -x[x == 0])  # −inf at +0, +inf at −0, as torch
    out[x == np.inf] = np.inf
    v = x[pos]
    shift = np.zeros_like(v)
    w = v.copy()
    for _ in range(10):  # ψ(x) = ψ(x + 1) − 1/x, to w ≥ 10
        low = w < 10
        if not low.any():
            break
        shift[low] += 1.0 / w[low]
        w[low] += 1.0
    inv2 = 1.0 / (w * w)
    series = np.zeros_like(w)
    for coef in reversed(_PSI_ASYMPTOTIC):
        series = series * inv2 + coef
    out[pos] = np.log(w) - 0.5 / w - series * inv2 - shift
    v = x[neg]  # ψ(x) = ψ(1 − x) − π cot(πx), cot's period 1 taken exactly
    if v.size:  # (the recursion ends: 1 − x > 0)
        out[neg] = _digamma64(1.0 - v) - np.pi / np.tan(np.pi * (v - np.round(v)))
    return out


@_quiet
def digamma(x: np.ndarray) -> np.ndarray:
    """ψ(x) = Γ'(x)/Γ(x) (``torch.digamma``), to a relative 10⁻¹⁴ in float64 for x > 0 away from
    its zero x₀ = 1.4616… (absolute 10⁻¹⁵ there), and absolute 10⁻¹³·|ψ| for x < 0. −inf at +0,
    +inf at −0 and +inf, nan at the negative integers and −inf, as torch."""
    return _out(_digamma64(x), x)


@_quiet
def polygamma(x: np.ndarray, *, n: int) -> np.ndarray:
    """ψ⁽ⁿ⁾(x), the n-th derivative of ψ (``torch.polygamma``): ψ for n = 0, else
    (−1)ⁿ⁺¹ n! ζ(n + 1, x), to ζ's accuracy (relative 10⁻¹⁴ for |x| ≤ 10⁴, n ≤ 100). At the poles
    0, −1, … it is (−1)ⁿ⁺¹·inf; at +inf 0 for n = 1 and nan beyond, at −inf nan for n = 1 and
    inf beyond (torch's)."""
    if n == 0:
        return digamma(x)
    v = _f64(x)
    with np.errstate(over="ignore", invalid="ignore"):
        y = (-1.0) ** (n + 1) * math.gamma(n + 1) * _zeta64(np.asarray(n + 1.0), v)
    if n == 1:
        # torch's trigamma: 0 at +inf, nan at −inf (ζ(2, −inf) comes out inf here)
        y = np.where(v == np.inf, 0.0, np.where(v == -np.inf, np.nan, y))
    return _out(y, x)


# ----------------------------------------------------------------------------- erfc and erfinv


def _exp_square(v: np.ndarray, sign: float) -> np.ndarray:
    """e^{±x²} with x² split exactly as hi² + (x − hi)(x + hi), hi x cut to 20 fractional bits
    (hi² is exact below 2¹⁵): the rounding of x² alone would cost 700 ulps at x = 27."""
    hi = np.floor(v * 2.0**20) / 2.0**20
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        return np.exp(sign * hi * hi) * np.exp(sign * (v - hi) * (v + hi))


def _erfcx_cf(a: np.ndarray, levels: int) -> np.ndarray:
    """e^{x²} erfc x for x > 0 from the continued fraction 1/(√π (x + ½/(x + 1/(x + …))))."""
    f = a.copy()
    for k in range(levels, 0, -1):
        f = a + (k / 2.0) / f
    return np.asarray(1.0 / (_SQRT_PI * f))


def _erf_series(a: np.ndarray) -> np.ndarray:
    """erf x = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1} / (1·3···(2n+1)), all terms of x's sign."""
    term, total, step = a, a.copy(), 2.0 * a * a
    for n in range(200):
        term = term * step / (2 * n + 3)
        total = total + term
        if not (np.abs(term) > 1e-17 * np.abs(total)).any():
            break
    return np.asarray(2.0 / _SQRT_PI * np.exp(-a * a) * total)


def _erfcx64(x: np.ndarray) -> np.ndarray:
    """e^{x²} erfc x in float64: the continued fraction for x ≥ 1 (10⁻¹⁶ takes 200 levels at
    x = 1, 100 at 1.5, 60 at 2, 40 from 3: each band below has a margin over its low end),
    1 − erf x for |x| < 1 (erfc > 0.15 there, so no digit is lost), and 2e^{x²} − erfcx(−x) for
    x ≤ −1."""
    x = _f64(x)
    out = np.full(x.shape, np.nan)
    a = np.abs(x)
    with np.errstate(invalid="ignore"):
        near = a < 1
        far = a >= 1
    v = x[near]
    out[near] = np.exp(v * v) * (1.0 - _erf_series(v))
    v = a[far]
    cf = np.empty_like(v)
    for lo, hi, levels in ((1.0, 1.5, 250), (1.5, 2.0, 130), (2.0, 3.0, 80), (3.0, np.inf, 50)):
        band = (v >= lo) & (v < hi)
        if band.any():
            cf[band] = _erfcx_cf(v[band], levels)
    cf[v == np.inf] = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        out[far] = np.where(x[far] > 0, cf, 2.0 * _exp_square(v, 1.0) - cf)
    out[x == -np.inf] = np.inf
    return out


@_quiet
def erfcx(x: np.ndarray) -> np.ndarray:
    """The scaled complementary error function e^{x²} erfc x (``torch.special.erfcx``), to a
    relative 10⁻¹⁴ in float64; 0 at +inf, inf below x ≈ −26.6 (overflow)."""
    return _out(_erfcx64(x), x)


def _erfc64(x: np.ndarray) -> np.ndarray:
    x = _f64(x)
    a = np.abs(x)
    out = np.empty(x.shape)
    with np.errstate(invalid="ignore"):
        near = ~(a >= 1)  # nan goes here
    out[near] = 1.0 - _erf_series(x[near])
    far = ~near
    v = a[far]
    with np.errstate(under="ignore", invalid="ignore"):
        tail = _exp_square(v, -1.0) * _erfcx64(v)
    tail[v == np.inf] = 0.0
    out[far] = np.where(x[far] > 0, tail, 2.0 - tail)
    return out


@_quiet
def erfc(x: np.ndarray) -> np.ndarray:
    """erfc x = 1 − erf x (``torch.erfc``), to a relative 10⁻¹⁴ in float64 (also in the tail
    x > 0, where 1 − erf x would lose every digit); 0 from x ≈ 27.3 on (underflow), 2 at −inf."""
    return _out(_erfc64(x), x)


def _giles(w: np.ndarray) -> np.ndarray:
    """Giles' polynomial p(w) with erfinv y ≈ p·y, w = −ln(1 − y²), good to ~10⁻⁷ relative."""
    lo = w - 2.5
    p_lo: np.ndarray | float = 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):  # fmt: skip
        p_lo = c + p_lo * lo
    hi = np.sqrt(np.maximum(w, 5.0)) - 3.0
    p_hi: np.ndarray | float = -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):  # fmt: skip
        p_hi = c + p_hi * hi
    return np.where(w < 5.0, p_lo, p_hi)


def _inverse_erf_small(y: np.ndarray) -> np.ndarray:
    """x with erf x = y for |y| ≤ ½: Giles' guess and Newton steps on erf (two to three)."""
    x = np.asarray(_giles(-np.log1p(-y * y)) * y)
    for _ in range(10):
        step = (_erf_series(x) - y) / (2.0 / _SQRT_PI * np.exp(-x * x))
        x = x - step
        if not (np.abs(step) > 1e-10 * np.abs(x)).any():  # quadratic: the error left is ~step²
            break
    return x


def _inverse_erfc_tail(c: np.ndarray) -> np.ndarray:
    """x ≥ 0.47 with erfc x = c for 0 < c ≤ ½: Newton steps on ln erfc x = ln erfcx(x) − x²,
    which is smooth and concave where erfc itself is flat, from Giles' guess for c ≥ 10⁻⁶ and
    from the asymptotic x² ≈ L − ln √(πL), L = −ln c, below (Giles' polynomial ends there)."""
    with np.errstate(divide="ignore"):
        w = -np.log(c) - np.log(2.0 - c)
        big = -np.log(c)
        x = np.where(c >= 1e-6, _giles(w) * (1.0 - c), np.sqrt(big - np.log(np.sqrt(np.pi * big))))
    x = np.maximum(x, 0.47)  # the steps converge from here on
    target = np.log(c)
    for _ in range(30):
        cx = _erfcx64(x)
        step = (np.log(cx) - x * x - target) * cx * _SQRT_PI / 2.0
        x = x + step
        if not (np.abs(step) > 1e-10 * x).any():  # quadratic: the error left is ~step²
            break
    return x


def _erfinv64(y: np.ndarray) -> np.ndarray:
    y = _f64(y)
    out = np.full(y.shape, np.nan)
    a = np.abs(y)
    with np.errstate(invalid="ignore"):
        small = a <= 0.5
        tail = (a > 0.5) & (a < 1)
    out[small] = _inverse_erf_small(y[small])
    out[tail] = np.sign(y[tail]) * _inverse_erfc_tail(1.0 - a[tail])  # 1 − |y| is exact
    out[a == 1] = np.sign(y[a == 1]) * np.inf
    return out


@_quiet
def erfinv(y: np.ndarray) -> np.ndarray:
    """The inverse of erf on (−1, 1) (``torch.erfinv``), to a relative 10⁻¹⁴ in float64; ±inf
    at ±1, nan beyond."""
    return _out(_erfinv64(y), y)


def _erfcinv64(c: np.ndarray) -> np.ndarray:
    """x with erfc x = c on (0, 2): the tail solver for c ≤ ½ and by symmetry for c ≥ 3/2 (2 − c
    is exact there), the small solver on 1 − c (exact for c in [½, 2]) between."""
    c = _f64(c)
    out = np.full(c.shape, np.nan)
    with np.errstate(invalid="ignore"):
        low = (c > 0) & (c <= 0.5)
        mid = (c > 0.5) & (c < 1.5)
        high = (c >= 1.5) & (c < 2)
    out[low] = _inverse_erfc_tail(c[low])
    out[mid] = _inverse_erf_small(1.0 - c[mid])
    out[high] = -_inverse_erfc_tail(2.0 - c[high])
    out[c == 0] = np.inf
    out[c == 2] = -np.inf
    return out


@_quiet
def ndtri(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile Φ⁻¹(p) = −√2 erfcinv(2p) (``torch.special.ndtri``), to a
    relative 10⁻¹⁴ in float64, also for tiny p; ∓inf at 0 and 1, nan outside [0, 1]."""
    return _out(-math.sqrt(2.0) * _erfcinv64(2.0 * _f64(p)), p)


@_quiet
def log_ndtr(x: np.ndarray) -> np.ndarray:
    """ln Φ(x), Φ the standard normal CDF (``torch.special.log_ndtr``), to a relative 10⁻¹⁴ in
    float64: ln(erfcx(t)/2) − t² with t = −x/√2 for x < 0 (no underflow: ln Φ(−10¹⁰) = −5·10¹⁹),
    log1p(−erfc(x/√2)/2) for x ≥ 0."""
    v = _f64(x)
    t = -v / math.sqrt(2.0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        left = np.log(_erfcx64(np.maximum(t, 0.0)) / 2.0) - t * t
        right = np.log1p(-_erfc64(np.maximum(-t, 0.0)) / 2.0)
        y = np.where(v < 0, left, right)
    return _out(y, x)


@_quiet
def inv_mills(x: np.ndarray) -> np.ndarray:
    """φ(x)/Φ(x), the inverse Mills ratio (the derivative of ln Φ), to a relative 10⁻¹³ in
    float64: √(2/π)/erfcx(−x/√2) for x < 0, where e^{−x²/2} cancels out of φ and Φ (so no
    digit is lost: ≈ |x| far in the lower tail; ∞ at −∞), e^{−x²/2 − ln Φ(x)}/√(2π) for x ≥ 0
    (e^{−x²/2} keeps a relative eps·x²/2 there)."""
    v = _f64(x)
    left = math.sqrt(2.0 / math.pi) / _erfcx64(np.maximum(-v / math.sqrt(2.0), 0.0))
    right = np.exp(-(v * v) / 2.0 - log_ndtr(np.maximum(v, 0.0))) / math.sqrt(2.0 * math.pi)
    return _out(np.where(v < 0, left, right), x)


# ----------------------------------------------------------------------------- Bessel I₀, I₁


def _bessel_i_scaled(x: np.ndarray, order: int) -> np.ndarray:
    """e^{−|x|} I_ν(|x|) for ν = 0, 1 in float64: the series (x/2)^ν Σ (x²/4)ᵏ / (k!(k+ν)!), whose
    terms are all positive, for |x| < 40; beyond, the asymptotic series
    e^{−x} I_ν(x) ≈ (2πx)^{−½} Σ aₖ/xᵏ, aₖ = aₖ₋₁·((2k−1)² − 4ν²)/(8k), whose smallest term is
    below 10⁻¹⁷ there."""
    a = np.abs(_f64(x))
    out = np.full(a.shape, np.nan)
    with np.errstate(invalid="ignore"):
        near = a < 40
        far = a >= 40
    v = a[near]
    q = v * v / 4.0
    term = (v / 2.0) ** order / math.factorial(order)
    total = term.copy()
    for k in range(1, 120):
        term = term * q / (k * (k + order))
        total += term
        if not (term > 1e-17 * total).any():  # positive terms, falling from k ≈ |x|/2 on
            break
    out[near] = total * np.exp(-v)
    v = a[far]
    term = np.ones_like(v)
    total = term.copy()
    for k in range(1, 30):
        term = term * ((2 * k - 1) ** 2 - 4 * order * order) / (8 * k * v)
        total += term
    with np.errstate(divide="ignore", invalid="ignore"):
        out[far] = np.where(v == np.inf, 0.0, total / np.sqrt(2 * np.pi * v))
    return out


@_quiet
def i0e(x: np.ndarray) -> np.ndarray:
    """e^{−|x|} I₀(x) (``torch.special.i0e``), to a relative 10⁻¹⁴ in float64; 0 at ±inf."""
    return _out(_bessel_i_scaled(x, 0), x)


@_quiet
def i0(x: np.ndarray) -> np.ndarray:
    """The modified Bessel function I₀(x) = Σ (x²/4)ᵏ/(k!)² (``torch.i0``), to a relative 10⁻¹⁴
    in float64; inf beyond |x| ≈ 713.98 (overflow; torch's from 709.8 on), nan at ±inf (torch's)."""
    v = _f64(x)
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.abs(v)
        # e^{|x|/2} twice: e^{|x|} alone overflows before I₀ does
        half = np.exp(a / 2)
        y = _bessel_i_scaled(v, 0) * half * half
    return _out(np.where(a == np.inf, np.nan, y), x)  # nan at ±inf, as torch's


@_quiet
def i1e(x: np.ndarray) -> np.ndarray:
    """e^{−|x|} I₁(x) (``torch.special.i1e``), odd, to a relative 10⁻¹⁴ in float64; ±0 at ±inf."""
    v = _f64(x)
    return _out(np.sign(v) * _bessel_i_scaled(v, 1), x)


@_quiet
def i1(x: np.ndarray) -> np.ndarray:
    """The modified Bessel function I₁(x) = (x/2) Σ (x²/4)ᵏ/(k!(k+1)!) (``torch.special.i1``), odd,
    to a relative 10⁻¹⁴ in float64; ±inf beyond |x| ≈ 713.98, nan at ±inf (as torch)."""
    v = _f64(x)
    with np.errstate(over="ignore", invalid="ignore"):
        half = np.exp(np.abs(v) / 2)
        y = np.sign(v) * _bessel_i_scaled(v, 1) * half * half
    return _out(np.where(np.isinf(v), np.nan, y), x)


# ----------------------------------------------------------------------------- incomplete Γ

_MAX_ITERATIONS = 5000


def _gamma_p_q(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), float64.

    The series P = xᵃe^{−x}/Γ(a+1) · Σₙ xⁿ/((a+1)…(a+n)) for x < a + 1 and the continued
    fraction Q = xᵃe^{−x}/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))) beyond (each
    converges fast where it is used), the other as the complement. Domain as torch's: nan for
    a < 0 or x < 0 and at a = x = 0; P = 1 at a = 0 < x and at x = inf; P = 0 at x = 0 < a.
    """
    a, x = np.broadcast_arrays(_f64(a), _f64(x))
    p = np.full(a.shape, np.nan)
    with np.errstate(invalid="ignore"):
        inside = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
        p[(a == 0) & (x > 0)] = 1.0
        p[(x == 0) & (a > 0)] = 0.0
        p[(x == np.inf) & (a >= 0) & (a < np.inf)] = 1.0
        p[(a == np.inf) & (x >= 0) & (x < np.inf)] = 0.0
        series = inside & (x < a + 1)
        fraction = inside & ~series
    av, xv = a[series], x[series]
    term = 1.0 / av
    total = term.copy()
    ap = av.copy()
    for _ in range(_MAX_ITERATIONS):
        ap = ap + 1.0
        term = term * xv / ap
        total = total + term
        if not (np.abs(term) > np.abs(total) * 1e-17).any():
            break
    p[series] = total * np.exp(av * np.log(xv) - xv - _lgamma64(av))
    av, xv = a[fraction], x[fraction]
    tiny = 1e-300
    b = xv + 1.0 - av
    c = np.full_like(xv, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    active = np.ones(h.shape, dtype=bool)
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - av)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = np.where(active, h * delta, h)  # a converged h is left alone: no ulps drift in
        active &= np.abs(delta - 1.0) > 1e-15  # (a factor within rounding of 1 may never be 1)
        if not active.any():
            break
    q = np.full(a.shape, np.nan)
    q[fraction] = np.exp(av * np.log(xv) - xv - _lgamma64(av)) * h
    q_from_p = 1.0 - p
    p = np.where(fraction, 1.0 - q, p)
    q = np.where(fraction, q, q_from_p)
    return p, q


@_quiet
def gammainc(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a)
    (``torch.special.gammainc``), to a relative 10⁻¹³ in float64 for a ≤ 100; for larger a the
    prefactor e^{a ln x − x − ln Γ(a)} loses about log₁₀(a ln a) digits to cancellation."""
    return _out(_gamma_p_q(a, x)[0], np.empty(0, np.result_type(a, x)))


@_quiet
def gammaincc(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x)
    (``torch.special.gammaincc``), with P's accuracy (relative to max(P, Q))."""
    return _out(_gamma_p_q(a, x)[1], np.empty(0, np.result_type(a, x)))


# ----------------------------------------------------------------------------- Γ(a, 1) variates
# A Gamma(a, 1) variate as a deterministic function of a and a uniform u: the quantile
# x = P⁻¹(a, u). Its derivative in a along fixed u is the implicit reparameterisation gradient
# (Figurnov et al., 2018) ∂x/∂a = −∂ₐP(a, x)/p(x; a), p = ∂ₓP the density.


def _gamma_density64(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """p(x; a) = x^{a−1}e^{−x}/Γ(a)."""
    out: np.ndarray = np.exp((a - 1.0) * np.log(x) - x - _lgamma64(a))
    return out


@_quiet
def gamma_quantile(a: np.ndarray, u: np.ndarray) -> np.ndarray:
    """x with P(a, x) = u, for a > 0 and u in [0, 1] (0 at u = 0, inf at u = 1), to P's own
    accuracy (a relative 10⁻¹³ of min(u, 1 − u), less for a > 100): Numerical Recipes' start
    (Wilson–Hilferty for a > 1, the small-x power law below), then Halley steps on P(a, x) − u,
    written as (1 − u) − Q(a, x) in the upper half so that the tail keeps its digits; a
    quantile below the smallest float is 0."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(u))
    av, uv = (np.broadcast_to(_f64(v), shape).ravel() for v in (a, u))  # 1-d: masks index it
    x = np.empty(av.shape)
    # the starting point
    big = av > 1.0
    pp = np.where(uv < 0.5, uv, 1.0 - uv)
    t = np.sqrt(-2.0 * np.log(pp))
    z = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
    z = np.where(uv < 0.5, -z, z)
    wilson = np.maximum(1e-3, av * (1.0 - 1.0 / (9.0 * av) - z / (3.0 * np.sqrt(av))) ** 3)
    cut = 1.0 - av * (0.253 + av * 0.12)
    low = (uv / cut) ** (1.0 / av)
    high = 1.0 - np.log1p(-(uv - cut) / (1.0 - cut))
    x[...] = np.where(big, wilson, np.where(uv < cut, low, high))
    # a start below the smallest float (u^{1/a} of a tiny a) stays 0: the quantile underflows
    active = (av > 0) & (uv > 0) & (uv < 1) & np.isfinite(av) & (x > 0)
    for _ in range(100):
        if not active.any():
            break
        ai, xi, ui = av[active], x[active], uv[active]
        p, q = _gamma_p_q(ai, xi)
        err = np.where(ui < 0.5, p - ui, (1.0 - ui) - q)
        density = _gamma_density64(ai, xi)
        ratio = err / density
        step = ratio / (1.0 - 0.5 * np.minimum(1.0, ratio * ((ai - 1.0) / xi - 1.0)))
        new = xi - step
        new = np.where(new <= 0, 0.5 * xi, new)  # stay positive: halve instead
        x[active] = new
        done = np.abs(new - xi) <= 1e-15 * new
        active[active] = ~done
    x = np.where(uv == 0, 0.0, np.where(uv == 1, np.inf, x))
    x = np.where((av <= 0) | (uv < 0) | (uv > 1) | np.isnan(av) | np.isnan(uv), np.nan, x)
    return _out(x.reshape(shape), np.empty(0, np.result_type(a, u)))


@_quiet
def gamma_quantile_grad(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∂x/∂a of x = P⁻¹(a, u) at fixed u: −∂ₐP(a, x)/p(x; a).

    ∂ₐP from the series P = Σₙ Tₙ, Tₙ = e^{(a+n) ln x − x − ln Γ(a+n+1)}: ∂ₐP = Σₙ Tₙ(ln x −
    ψ(a+n+1)), summed until the terms past the peak n ≈ x are below 10⁻¹⁷ of the total; for
    a > 2000 the Wilson–Hilferty form x = a(1 − 1/(9a) + z/(3√a))³ at fixed z, whose relative
    error there is below 10⁻⁶ (the series would need ≈ x terms)."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(x))
    av, xv = (np.broadcast_to(_f64(v), shape).ravel() for v in (a, x))
    out = np.full(av.shape, np.nan)
    huge = av > 2000.0
    if huge.any():
        ah, xh = av[huge], xv[huge]
        c = np.cbrt(xh / ah)
        z = (c - 1.0 + 1.0 / (9.0 * ah)) * 3.0 * np.sqrt(ah)
        out[huge] = c**3 + 3.0 * ah * c**2 * (1.0 / (9.0 * ah**2) - z / (6.0 * ah**1.5))
    rest = ~huge & (av > 0) & (xv > 0) & np.isfinite(xv)
    ar, xr = av[rest], xv[rest]
    log_x = np.log(xr)
    term = np.exp(ar * log_x - xr - _lgamma64(ar + 1.0))  # T₀
    psi = _digamma64(ar + 1.0)  # ψ(a + 1)
    total = term * (log_x - psi)
    size = np.abs(total)
    n = 0.0
    for _ in range(20 * _MAX_ITERATIONS):
        n += 1.0
        psi = psi + 1.0 / (ar + n)  # ψ(a + n + 1)
        term = term * xr / (ar + n)
        piece = term * (log_x - psi)
        total = total + piece
        size = size + np.abs(piece)
        if n > 2 and not ((n < xr - ar) | (np.abs(piece) > 1e-17 * size)).any():
            break
    out[rest] = -total / _gamma_density64(ar, xr)
    out[xv == 0] = 0.0
    return _out(out.reshape(shape), np.empty(0, np.result_type(a, x)))
