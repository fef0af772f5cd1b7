"""Numpy kernels of torch.special's orthogonal polynomials of x and a degree n, as torch's.

Each polynomial is evaluated by its three-term recurrence p_{k+1} = a_k(x)·p_k − b_k·p_{k−1}
from p₀ = 1 and p₁, in float64, and rounded to the result's dtype (x's, float32 for integers).
torch computes float32 in float32, so its float32 values carry more rounding error (H₈(2.93) is
−272.3785 in torch's float32, −272.3749 here and exactly), and where a value overflows the
float32 range this gives ±inf where torch's float32 recurrence may already have turned into nan.

The Chebyshev polynomials use the closed forms inside (−1, 1) for n above a few, as torch:
T_n(cos θ) = cos nθ, U_n = sin((n+1)θ)/sin θ, V_n = cos((n+½)θ)/cos(θ/2),
W_n = sin((n+½)θ)/sin(θ/2); the shifted ones are the same polynomials of 2x − 1.

The degree follows torch's conventions: a floating n is truncated toward 0, and n < 0, nan and
±inf (as torch's cast to int64 makes them) give 0; the Hermite polynomials are nan beyond degree
512 in float64 and 128 in float32 (torch's cut-off). The recurrence costs one vectorised step per
degree up to the largest n, so the cost grows with max(n) (elements that have turned nan leave it).

Accuracy in float64 (the recurrence's rounding, as torch's): within 10⁻¹⁵·(n + 1) of
max(1, |pₙ|) for the Chebyshev, Laguerre and Legendre polynomials, 2·10⁻¹³·(n + 1) for the Hermite
ones, whose terms cancel inside their oscillating region |x| < 2√n.

This module imports only numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Step = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def degrees(n: np.ndarray) -> np.ndarray:
    """n as torch's int64 degree: floats truncated toward 0, nan and ±inf (and beyond the int64
    range) as −1, i.e. "no polynomial", giving 0."""
    n = np.asarray(n)
    if n.dtype.kind in "iub":
        return n.astype(np.int64)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(n) & (np.abs(n) < 2.0**63)
        return np.where(inside, np.trunc(np.where(inside, n, 0)), -1).astype(np.int64)


def _recurrence(x: np.ndarray, n: np.ndarray, p1: np.ndarray, step: Step) -> np.ndarray:
    """p_n for each element of broadcast x and n ≥ 0, from p₀ = 1, p₁ and
    p_{k+1} = step(k, x, p_k, p_{k−1}) (k ≥ 1); an element that turned nan stops, as torch's."""
    out = np.where(n == 0, np.ones_like(x), p1)
    todo = np.flatnonzero(n >= 2)
    if not todo.size:
        return out
    flat = out.reshape(-1)
    xs, ns = x.reshape(-1)[todo], n.reshape(-1)[todo]
    p, q = np.ones_like(xs), flat[todo].copy()
    k = 1
    while todo.size:
        r = step(np.asarray(k, dtype=x.dtype), xs, q, p)
        p, q = q, r
        k += 1
        done = (k >= ns) | np.isnan(q)
        if done.any():
            flat[todo[done]] = q[done]
            keep = ~done
            todo, xs, ns, p, q = todo[keep], xs[keep], ns[keep], p[keep], q[keep]
    return out


def _chebyshev_step(k: np.ndarray, x: np.ndarray, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.asarray((x + x) * q - p)


def _prepare(x: np.ndarray, n: np.ndarray) -> tuple[np.dtype[Any], np.ndarray, np.ndarray]:
    """The result's dtype (x's, float32 for integers as torch), and broadcast copies of x in
    float64 and of n as degrees."""
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    xs, ns = np.broadcast_arrays(np.asarray(x, dtype=np.float64), degrees(n))
    return dtype, np.array(xs), np.array(ns)


def chebyshev(x: np.ndarray, n: np.ndarray, *, kind: str, shifted: bool = False) -> np.ndarray:
    """The Chebyshev polynomial T, U, V or W (``kind``) of degree n at x, or at 2x − 1 when
    ``shifted`` (``torch.special.[shifted_]chebyshev_polynomial_{t,u,v,w}``), in x's dtype.

    Exact values at the ends ±1 of the interval (x = 1 and 0 when shifted): T: 1, (−1)ⁿ;
    U: n+1, (−1)ⁿ(n+1); V: 1, (−1)ⁿ(2n+1); W: 2n+1, (−1)ⁿ; the closed form inside it for
    n > 6 (n > 8 for unshifted U, V, W, n > 4 for shifted W: torch's thresholds), the
    recurrence elsewhere.
    """
    dtype, x, n = _prepare(x, n)
    with np.errstate(all="ignore"):
        y = x + x - 1 if shifted else x
        one = np.ones_like(y)
        nf = n.astype(np.float64)
        sign = np.where(n % 2 == 0, one, -one)
        two_n_1 = nf + nf + 1
        threshold = {"t": 6, "u": 6 if shifted else 8, "v": 6 if shifted else 8}.get(
            kind, 4 if shifted else 8
        )
        inside = (n > threshold) & (np.abs(y) < 1)
        first = {"t": y, "u": y + y, "v": y + y - 1, "w": y + y + 1}[kind]
        # the recurrence only where no closed form or end value replaces it (its cost is max n)
        out = _recurrence(y, np.where(inside | (np.abs(y) == 1), 0, n), first, _chebyshev_step)
        theta = np.arccos(np.where(inside, y, 0))
        if kind == "t":
            closed = np.cos(nf * theta)
            top, bottom = one, sign
        elif kind == "u":
            s = np.sin(theta)
            closed = np.where(
                s != 0, np.sin((nf + 1) * theta) / s, (nf + 1) * np.cos((nf + 1) * theta) / y
            )
            top, bottom = nf + 1, sign * (nf + 1)
        elif kind == "v":
            closed = np.where(
                np.sin(theta / 2) != 1,
                np.cos((nf + 0.5) * theta) / np.cos(theta / 2),
                sign * two_n_1,
            )
            top, bottom = one, sign * two_n_1
        else:
            closed = np.where(
                np.cos(theta / 2) != 1,
                np.sin((nf + 0.5) * theta) / np.sin(theta / 2),
                np.where(y > 0, two_n_1, sign),
            )
            top, bottom = two_n_1, sign
        out = np.where(inside, closed, out)
        out = np.where(y == 1, top, np.where(y == -1, bottom, out))
        return np.asarray(np.where(n < 0, 0, out), dtype=dtype)


def _hermite_limit(dtype: np.dtype) -> int:
    return 128 if dtype == np.float32 else 512


def hermite_h(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The physicists' Hermite polynomial Hₙ(x), H_{k+1} = 2x·H_k − 2k·H_{k−1}
    (``torch.special.hermite_polynomial_h``), in x's dtype; nan beyond torch's degree limit."""
    dtype, x, n = _prepare(x, n)
    with np.errstate(all="ignore"):
        small = np.where(n > _hermite_limit(dtype), 0, n)
        out = _recurrence(x, small, x + x, lambda k, x, q, p: (x + x) * q - (k + k) * p)
        out = np.where(n > _hermite_limit(dtype), np.nan, out)
        return np.asarray(np.where(n < 0, 0, out), dtype=dtype)


def hermite_he(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The probabilists' Hermite polynomial Heₙ(x), He_{k+1} = x·He_k − k·He_{k−1}
    (``torch.special.hermite_polynomial_he``), in x's dtype; nan beyond torch's degree limit."""
    dtype, x, n = _prepare(x, n)
    with np.errstate(all="ignore"):
        small = np.where(n > _hermite_limit(dtype), 0, n)
        out = _recurrence(x, small, x, lambda k, x, q, p: x * q - k * p)
        out = np.where(n > _hermite_limit(dtype), np.nan, out)
        return np.asarray(np.where(n < 0, 0, out), dtype=dtype)


def laguerre_l(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The Laguerre polynomial Lₙ(x), (k+1) L_{k+1} = (2k + 1 − x) L_k − k L_{k−1}
    (``torch.special.laguerre_polynomial_l``), in x's dtype; 1 at x = 0."""
    dtype, x, n = _prepare(x, n)
    with np.errstate(all="ignore"):
        out = _recurrence(x, n, 1 - x, lambda k, x, q, p: ((k + k + (1 - x)) * q - k * p) / (k + 1))
        out = np.where(x == 0, 1, out)
        return np.asarray(np.where(n < 0, 0, out), dtype=dtype)


def legendre_p(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The Legendre polynomial Pₙ(x), (k+1) P_{k+1} = (2k+1) x P_k − k P_{k−1}
    (``torch.special.legendre_polynomial_p``), in x's dtype; 1 and (−1)ⁿ at ±1."""
    dtype, x, n = _prepare(x, n)
    with np.errstate(all="ignore"):
        out = _recurrence(x, n, x, lambda k, x, q, p: ((k + k + 1) * x * q - k * p) / (k + 1))
        sign = np.where(n % 2 == 0, 1.0, -1.0)
        out = np.where(x == 1, 1, np.where(x == -1, sign, out))
        return np.asarray(np.where(n < 0, 0, out), dtype=dtype)
