"""tg.special's Bessel and Airy functions and its orthogonal polynomials: values, dtypes, torch's
conventions (n < 0, fractional, nan and huge n; 0, negative x, ±inf, nan), no gradient.

Without torch: reference values (mpmath at 30 digits), the differential equations and Wronskians
the functions satisfy (finite differences), and numpy.polynomial's series as the reference for
every polynomial. With torch: values in float64 and float32 over wide grids, the same nan and inf
positions, the stated accuracy, and torch's dtypes and refusals. torch 2.13 gives none of these
functions a derivative (their result does not require grad), so neither does tg.special.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.polynomial import chebyshev, hermite, hermite_e, laguerre, legendre

import tinygrad_ed as tg
from tinygrad_ed import special

RNG = np.random.default_rng(0)
EDGES = np.array([0.0, -0.0, 1.0, -1.0, 2.0, 5.0, -5.0, 2.09, -2.09, 8.0, np.inf, -np.inf, np.nan])
WIDE = np.concatenate(
    [
        RNG.uniform(-30, 30, 600),
        RNG.uniform(-1e3, 1e3, 100),
        10 ** RNG.uniform(-300, 300, 100),
        -(10 ** RNG.uniform(-300, 300, 100)),
        RNG.uniform(0, 5, 200),
        EDGES,
    ]
)

# name → the function, its float64 tolerance against torch (relative, absolute below 1: where an
# oscillating function crosses 0 only the absolute error is held); the grid drops |x| > 1e4 for
# the oscillating ones, whose phase x − φ is only as exact as x itself there (as torch's).
# torch's J, Y and Ai drop the leading 1 of Cephes' monic denominators: its values are off by up
# to 9e-7 and 3e-6 (test_cephes_accuracy holds ours to 1e-15 against scipy's Cephes).
BESSEL: dict[str, tuple[Callable[[tg.Tensor], tg.Tensor], float]] = {
    "bessel_j0": (special.bessel_j0, 1e-6),
    "bessel_j1": (special.bessel_j1, 1e-6),
    "bessel_y0": (special.bessel_y0, 1e-6),
    "bessel_y1": (special.bessel_y1, 1e-6),
    "modified_bessel_i0": (special.modified_bessel_i0, 1e-14),
    "modified_bessel_i1": (special.modified_bessel_i1, 1e-14),
    "modified_bessel_k0": (special.modified_bessel_k0, 1e-14),
    "modified_bessel_k1": (special.modified_bessel_k1, 1e-14),
    "scaled_modified_bessel_k0": (special.scaled_modified_bessel_k0, 1e-14),
    "scaled_modified_bessel_k1": (special.scaled_modified_bessel_k1, 1e-14),
    "spherical_bessel_j0": (special.spherical_bessel_j0, 1e-15),
    "airy_ai": (special.airy_ai, 4e-6),
}
OSCILLATING = {"bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "airy_ai"}


def _torch() -> Any:
    return pytest.importorskip("torch")


def _assert_close(got: np.ndarray, want: np.ndarray, tol: float, what: str) -> None:
    """Equal dtypes, nan and ±inf positions; finite values within tol relative to max(|want|, 1)."""
    assert got.dtype == want.dtype, what
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{what}: nan")
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf], err_msg=f"{what}: inf")
    fin = np.isfinite(want)
    assert np.isfinite(got[fin]).all(), what
    err = np.abs(got[fin] - want[fin]) / np.maximum(np.abs(want[fin]), 1.0)
    worst = int(np.argmax(err)) if err.size else 0
    assert not err.size or err[worst] <= tol, (
        f"{what}: error {err[worst]:.2e} > {tol:.0e}: {got[fin][worst]!r} vs {want[fin][worst]!r}"
    )


def _within(got: np.ndarray, want: np.ndarray, atol: np.ndarray, what: str) -> None:
    """|got − want| ≤ atol + 10⁻¹⁴|want| elementwise (atol an array: an error scale per x)."""
    err = np.abs(got - want) - atol - 1e-14 * np.abs(want)
    worst = int(np.argmax(err))
    assert err[worst] <= 0, f"{what}: {got[worst]!r} vs {want[worst]!r} at {worst}"


def _grid(name: str) -> np.ndarray:
    return WIDE[~(np.abs(WIDE) > 1e4)] if name in OSCILLATING else WIDE


# ----------------------------------------------------------------------------- Bessel, Airy

# mpmath at 30 digits: x, J₀, J₁, Y₀, Y₁, I₀, I₁, K₀, K₁
REFERENCE = [
    (0.5, 0.9384698072408129, 0.24226845767487389, -0.44451873350670656, -1.4714723926702431,
     1.0634833707413235, 0.25789430539089632, 0.92441907122766586, 1.6564411200033009),
    (1.0, 0.76519768655796655, 0.44005058574493352, 0.088256964215676958, -0.78121282130028872,
     1.2660658777520083, 0.56515910399248503, 0.42102443824070833, 0.60190723019723457),
    (3.0, -0.26005195490193344, 0.33905895852593646, 0.37685001001279038, 0.32467442479179998,
     4.8807925858650241, 3.9533702174026094, 0.034739504386279248, 0.040156431128194184),
    (7.5, 0.2663396578803784, 0.13524842757970551, 0.11731328614820863, -0.25912851048611625,
     268.16131151518936, 249.58436542268814, 0.00024917761635611439, 0.00026529739012528953),
    (25.0, 0.096266783275958116, -0.1253502495802899, -0.12724943226800614,
     -0.09882996478323741, 5774560606.4663103, 5657865129.8787014, 3.4641615622131144e-12,
     3.5327780731999338e-12),
]  # fmt: skip
AIRY = [
    (-10.0, 0.040241238486443191), (-3.0, -0.37881429367765807), (-2.1, 0.16348451299929268),
    (-1.0, 0.53556088329235212), (0.0, 0.35502805388781724), (1.0, 0.13529241631288142),
    (2.5, 0.01572592338047049), (10.0, 1.1047532552898686e-10),
]  # fmt: skip


def test_bessel_reference_values() -> None:
    table = np.array(REFERENCE)
    x = tg.tensor(table[:, 0])
    fns = [special.bessel_j0, special.bessel_j1, special.bessel_y0, special.bessel_y1,
           special.modified_bessel_i0, special.modified_bessel_i1, special.modified_bessel_k0,
           special.modified_bessel_k1]  # fmt: skip
    for col, fn in enumerate(fns, start=1):
        np.testing.assert_allclose(fn(x).data, table[:, col], rtol=2e-15, err_msg=fn.__name__)
    scaled = np.exp(table[:, 0])
    np.testing.assert_allclose(
        special.scaled_modified_bessel_k0(x).data, table[:, 7] * scaled, rtol=2e-15
    )
    np.testing.assert_allclose(
        special.scaled_modified_bessel_k1(x).data, table[:, 8] * scaled, rtol=2e-15
    )
    xa, want = np.array(AIRY).T
    zeta = 2 / 3 * np.abs(xa) ** 1.5  # the phase, as exact as x: the absolute error's scale
    got = special.airy_ai(tg.tensor(xa)).data
    _within(got, want, 2e-16 * np.maximum(zeta, 1), "airy_ai")


def test_bessel_symmetries_and_edges() -> None:
    """Parity (J₀, I₀ even; J₁, I₁ odd) and torch's values at 0, ±inf, nan and x < 0."""
    x = RNG.uniform(0.01, 60, 200)
    for fn, sign in ((special.bessel_j0, 1), (special.bessel_j1, -1),
                     (special.modified_bessel_i0, 1), (special.modified_bessel_i1, -1),
                     (special.spherical_bessel_j0, 1)):  # fmt: skip
        np.testing.assert_array_equal(fn(tg.tensor(-x)).data, sign * fn(tg.tensor(x)).data)
    edges = tg.tensor([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan], dtype=tg.float64)
    nan = np.nan
    expect = {
        special.bessel_j0: [1, 1, 0.7651976865579666, nan, nan, nan],
        special.bessel_y0: [-np.inf, -np.inf, nan, nan, nan, nan],
        special.bessel_y1: [-np.inf, -np.inf, nan, nan, nan, nan],
        special.modified_bessel_i0: [1, 1, 1.2660658777520082, nan, nan, nan],
        special.modified_bessel_k0: [np.inf, np.inf, nan, 0, nan, nan],
        special.scaled_modified_bessel_k1: [np.inf, np.inf, nan, 0, nan, nan],
        special.spherical_bessel_j0: [1, 1, math.sin(1.0), 0, 0, nan],
        special.airy_ai: [0.3550280538878172, 0.3550280538878172, 0.5355608832923521, nan, nan,
                          nan],
    }  # fmt: skip
    for fn, want in expect.items():
        np.testing.assert_allclose(fn(edges).data, want, rtol=1e-15, err_msg=fn.__name__)
    assert np.signbit(special.bessel_j1(tg.tensor([-0.0])).data[0])  # odd, as torch's
    assert not np.signbit(special.modified_bessel_i1(tg.tensor([-0.0])).data[0])  # torch's +0


def _second_difference(fn: Callable[[tg.Tensor], tg.Tensor], x: np.ndarray, h: float) -> Any:
    y = [fn(tg.tensor(x + k * h)).data for k in (-1, 0, 1)]
    return y[1], (y[2] - y[0]) / (2 * h), (y[2] - 2 * y[1] + y[0]) / (h * h)


@pytest.mark.parametrize("order", [0, 1])
def test_bessel_functions_solve_their_equations(order: int) -> None:
    """x²y'' + xy' + (x² − ν²)y = 0 for J and Y, x²y'' + xy' − (x² + ν²)y = 0 for I and K (by
    central differences, across the kernels' branch points 2, 5, 8), and the Wronskians
    J₁Y₀ − J₀Y₁ = 2/(πx), I₀K₁ + I₁K₀ = 1/x."""
    x, h = np.linspace(0.6, 30, 400), 1e-4
    bessel = {0: (special.bessel_j0, special.bessel_y0), 1: (special.bessel_j1, special.bessel_y1)}
    modified = {0: (special.modified_bessel_i0, special.scaled_modified_bessel_k0),
                1: (special.modified_bessel_i1, special.scaled_modified_bessel_k1)}  # fmt: skip
    for fn in bessel[order]:
        y, dy, d2y = _second_difference(fn, x, h)
        np.testing.assert_allclose(x * x * d2y + x * dy + (x * x - order) * y, 0, atol=2e-4)
    small = x[x < 12]  # I grows as eˣ: the differences' rounding with it
    y, dy, d2y = _second_difference(modified[order][0], small, h)
    residual = (small * small * d2y + small * dy - (small * small + order) * y) / np.exp(small)
    np.testing.assert_allclose(residual, 0, atol=1e-5)
    fns = (special.bessel_j0, special.bessel_j1, special.bessel_y0, special.bessel_y1)
    j0, j1, y0, y1 = (f(tg.tensor(x)).data for f in fns)
    np.testing.assert_allclose(j1 * y0 - j0 * y1, 2 / (np.pi * x), rtol=1e-14)
    scaled_i = [f(tg.tensor(x)).data / np.exp(x) for f in modified[0][:1] + modified[1][:1]]
    k0e, k1e = special.scaled_modified_bessel_k0, special.scaled_modified_bessel_k1
    wronskian = scaled_i[0] * k1e(tg.tensor(x)).data + scaled_i[1] * k0e(tg.tensor(x)).data
    np.testing.assert_allclose(wronskian, 1 / x, rtol=1e-14)
    k0 = special.modified_bessel_k0(tg.tensor(x)).data
    np.testing.assert_allclose(k0, k0e(tg.tensor(x)).data * np.exp(-x), rtol=1e-14)


def test_airy_solves_airys_equation() -> None:
    """Ai'' = x·Ai across the three branches (joined at ∓2.09) and through the turning point."""
    x, h = np.linspace(-12, 12, 481), 1e-4
    y, _, d2y = _second_difference(special.airy_ai, x, h)
    np.testing.assert_allclose(d2y, x * y, atol=2e-7)


@pytest.mark.parametrize("name", sorted(BESSEL))
def test_bessel_values_match_torch_float64(name: str) -> None:
    torch = _torch()
    ours, tol = BESSEL[name]
    x = _grid(name)
    want = getattr(torch.special, name)(torch.tensor(x)).numpy()
    _assert_close(ours(tg.tensor(x)).data, want, tol, name)


@pytest.mark.parametrize("name", sorted(OSCILLATING))
def test_cephes_accuracy(name: str) -> None:
    """J₀, J₁, Y₀, Y₁ and Ai to 10⁻¹⁵ absolute against scipy's Cephes (which keeps the monic
    denominators' leading 1 that torch drops: torch is off by up to 10⁻⁶ near x = 5 and
    3·10⁻⁶ near x = −2.1), across every branch point."""
    scipy_special = pytest.importorskip("scipy.special")
    ref = {"bessel_j0": scipy_special.j0, "bessel_j1": scipy_special.j1,
           "bessel_y0": scipy_special.y0, "bessel_y1": scipy_special.y1,
           "airy_ai": lambda v: scipy_special.airy(v)[0]}[name]  # fmt: skip
    x = np.linspace(0.001, 40, 4001)
    x = x if name.startswith("bessel_y") else np.concatenate([-x, x])
    got = BESSEL[name][0](tg.tensor(x)).data
    # the phase ζ = ⅔|x|^{3/2} of Ai is only as exact as itself: ours to 8e-17·ζ (vs mpmath),
    # scipy's to 2e-16·ζ
    atol = 4e-16 * np.maximum(2 / 3 * np.abs(x) ** 1.5, 5) if name == "airy_ai" else 1e-15
    _within(got, ref(x), np.broadcast_to(atol, x.shape), name)


@pytest.mark.parametrize("name", sorted(BESSEL))
def test_bessel_float32_is_float64_rounded_and_near_torchs(name: str) -> None:
    ours, _ = BESSEL[name]
    with np.errstate(all="ignore"):
        x32 = _grid(name).astype(np.float32)
    got = ours(tg.tensor(x32)).data
    assert got.dtype == np.float32
    with np.errstate(over="ignore"):  # I₀, I₁ beyond float32's range: inf, as the kernel's
        wide = ours(tg.tensor(x32.astype(np.float64))).data.astype(np.float32)
    np.testing.assert_array_equal(got, wide)
    assert ours(tg.tensor([1, 2])).dtype == tg.float32  # integers: torch's default float
    torch = _torch()
    want = getattr(torch.special, name)(torch.tensor(x32)).numpy()
    both = np.isfinite(got) & np.isfinite(want)
    if name == "airy_ai":  # torch's float32 phase ζ = ⅔|x|^{3/2} loses ~ζ·6e-8 (1e-3 at −1000)
        both &= np.abs(x32) < 30
    np.testing.assert_allclose(got[both], want[both], rtol=1e-4, atol=3e-6)
    # the same nan positions; float32 overflow (I beyond x ≈ 88) is where torch's does
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))


# ----------------------------------------------------------------------------- polynomials


def _numpy_reference(name: str, x: np.ndarray, n: int) -> np.ndarray:
    """numpy.polynomial's series with the single coefficient 1 at degree n (V, W from U:
    Vₙ = Uₙ − Uₙ₋₁, Wₙ = Uₙ + Uₙ₋₁, and U from T: Uₙ = Σ_{k ≤ n, k ≡ n (2)} (2 − δₖ₀) Tₖ)."""
    shifted = name.startswith("shifted_")
    kind = name.removeprefix("shifted_")
    y = 2 * x - 1 if shifted else x

    def u(degree: int) -> np.ndarray:
        if degree < 0:
            return np.zeros_like(y)
        coef = [0.0] * (degree + 1)
        for k in range(degree % 2, degree + 1, 2):
            coef[k] = 1.0 if k == 0 else 2.0
        return np.asarray(chebyshev.chebval(y, coef))

    if kind == "chebyshev_polynomial_t":
        return np.asarray(chebyshev.chebval(y, [0] * n + [1]))
    if kind == "chebyshev_polynomial_u":
        return u(n)
    if kind == "chebyshev_polynomial_v":
        return u(n) - u(n - 1)
    if kind == "chebyshev_polynomial_w":
        return u(n) + u(n - 1)
    value = {
        "hermite_polynomial_h": hermite.hermval,
        "hermite_polynomial_he": hermite_e.hermeval,
        "laguerre_polynomial_l": laguerre.lagval,
        "legendre_polynomial_p": legendre.legval,
    }
    return np.asarray(value[kind](y, [0] * n + [1]))


POLYNOMIALS = [
    f"{prefix}chebyshev_polynomial_{k}" for prefix in ("", "shifted_") for k in "tuvw"
] + ["hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
     "legendre_polynomial_p"]  # fmt: skip


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomials_match_numpy_series(name: str) -> None:
    """Degrees 0 … 24 (both sides of the closed-form thresholds) on [−1.5, 1.5] (shifted:
    [−0.25, 1.25]), against numpy.polynomial, to the accuracy ``_orthogonal_polynomials`` states:
    10⁻¹⁵·(n + 1) of max(1, |pₙ|), 2·10⁻¹³·(n + 1) for the Hermite ones (whose recurrence
    cancels inside their oscillating region); numpy's own rounding is within the 2× margin."""
    fn = getattr(special, name)
    x = (
        np.linspace(-0.25, 1.25, 121)
        if name.startswith("shifted_")
        else np.linspace(-1.5, 1.5, 121)
    )
    n = np.arange(25.0)
    got = fn(tg.tensor(x[None, :]), tg.tensor(n[:, None])).data
    per_degree = 2e-13 if name.startswith("hermite") else 2e-15
    for degree in range(25):
        want = _numpy_reference(name, x, degree)
        scale = np.maximum(np.abs(want), 1)
        np.testing.assert_allclose(
            got[degree] / scale,
            want / scale,
            rtol=0,
            atol=per_degree * (degree + 1),
            err_msg=f"{name}, n={degree}",
        )


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomial_degree_conventions(name: str) -> None:
    """torch's: n < 0, nan and ±inf give 0; a fractional n is truncated toward 0; a Python
    number for n or x; results in the common floating dtype of x and n."""
    fn = getattr(special, name)
    x = tg.tensor([0.3, 0.3, 0.3, 0.3, 0.3, 0.3], dtype=tg.float64)
    n = tg.tensor([-3.0, -0.5, np.nan, np.inf, -np.inf, 2.9], dtype=tg.float64)
    got = fn(x, n).data
    np.testing.assert_array_equal(got[:5], [0, 1, 0, 0, 0])
    assert got[5] == fn(x[5:], 2).data[0]
    assert fn(0.3, tg.tensor([2.0], dtype=tg.float64)).data[0] == got[5]
    x32 = tg.tensor([0.3], dtype=tg.float32)
    assert fn(x32, 2).dtype == tg.float32
    assert fn(x32, tg.tensor([2.0], dtype=tg.float64)).dtype == tg.float64
    assert fn(x32, tg.tensor(2.0, dtype=tg.float64)).dtype == tg.float32  # 0-d defers
    assert fn(tg.tensor([1, 2]), tg.tensor([3, 2])).dtype == tg.float32
    assert fn(0.5, tg.tensor([3, 2])).dtype == tg.float32


@pytest.mark.parametrize("name", ["hermite_polynomial_h", "hermite_polynomial_he"])
def test_hermite_degree_cutoff(name: str) -> None:
    """torch's Hermite polynomials are nan beyond degree 512 (float64) and 128 (float32); at
    x = 0 the odd ones are 0 up to the cut-off."""
    fn = getattr(special, name)
    # below the cut-off: the odd polynomials at 0 (H₂₀₁(0) = 0; H₅₁₁(0) would overflow first)
    for dtype, below, limit in ((tg.float64, 201, 512), (tg.float32, 127, 128)):
        n = tg.tensor([below, limit + 1.0, 2.0 * limit], dtype=dtype)
        out = fn(tg.zeros(3, dtype=dtype), n).data
        assert out[0] == 0 and np.isnan(out[1:]).all(), (dtype, out)


@given(st.floats(-1, 1), st.integers(0, 300))
def test_chebyshev_closed_forms(x: float, n: int) -> None:
    """Tₙ(cos θ) = cos nθ and Uₙ(cos θ)·sin θ = sin (n+1)θ, also past the recurrence's degrees."""
    theta = math.acos(x)
    t = special.chebyshev_polynomial_t(tg.tensor([x], dtype=tg.float64), n).data[0]
    assert abs(t - math.cos(n * theta)) <= 1e-12 * (n + 1)
    u = special.chebyshev_polynomial_u(tg.tensor([x], dtype=tg.float64), n).data[0]
    assert abs(u * math.sin(theta) - math.sin((n + 1) * theta)) <= 1e-12 * (n + 1)


# x grids: the interval the polynomial lives on, its ends, a margin outside, 0, ±inf (nan x
# apart: torch returns an uninitialised value for most of these at nan x and n ≥ 2, ours nan)
POLY_X = np.concatenate(
    [np.linspace(-3, 3, 241), [1.0, -1.0, 0.0, 0.5, np.inf, -np.inf, 1 - 1e-16, -1 + 1e-16]]
)
POLY_N = np.array([-3, -0.5, 0, 1, 2, 2.7, 3, 5, 6, 7, 8, 9, 10, 20, 50, 100, 129, 513, np.nan])


@pytest.mark.parametrize("name", POLYNOMIALS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_polynomials_match_torch(name: str, dtype: str) -> None:
    """Values against torch's on a grid of x and n; in float64 the same nan and inf positions
    (torch fuses (2x)·q − p into one rounding: at the very edge of overflow it may keep ±inf
    where ours turns nan, so only finite or both-nan values are compared); float32 is the
    float64 result rounded, near torch's float32 recurrence."""
    torch = _torch()
    fn = getattr(special, name)
    x, n = np.meshgrid(POLY_X.astype(dtype), POLY_N.astype(dtype))
    got = fn(tg.tensor(x), tg.tensor(n)).data
    want = getattr(torch.special, name)(torch.tensor(x), torch.tensor(n)).numpy()
    assert got.dtype == want.dtype == np.dtype(dtype)
    tol = 1e-12 if dtype == "float64" else 1e-4
    scale = np.maximum(np.abs(want), 1)
    both = np.isfinite(got) & np.isfinite(want) & (np.abs(want) < 1e30)
    bad = np.abs(got[both] - want[both]) / scale[both] > tol
    if dtype == "float32":  # torch's float32 recurrence loses digits near zeros (H₈(2.93): 1e-5)
        bad &= np.abs(got[both] - want[both]) > 1e-2 * np.maximum(np.abs(got[both]), 1)
    assert not bad.any(), (x[both][bad][:3], n[both][bad][:3], got[both][bad][:3])
    if dtype == "float64":
        overflowing = ~np.isfinite(want) | ~np.isfinite(got)
        assert (np.isnan(got) == np.isnan(want))[~overflowing].all()
        np.testing.assert_array_equal(np.isinf(got), np.isinf(want) & ~np.isnan(got))
        wide = got
    else:
        wide = fn(tg.tensor(x.astype(np.float64)), tg.tensor(n.astype(np.float64))).data
        if name.startswith("hermite"):  # float32's cut-off is 128, float64's 512
            wide[n > 128] = np.nan
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(got, wide.astype(dtype))


def test_large_degree_matches_torch() -> None:
    """Legendre to degree 5000 inside (−1, 1) (bounded, recurrence all the way) and Chebyshev
    T by its closed form at degree 10⁶."""
    torch = _torch()
    x = np.linspace(-0.999, 0.999, 50)
    got = special.legendre_polynomial_p(tg.tensor(x), 5000).data
    want = torch.special.legendre_polynomial_p(torch.tensor(x), 5000).numpy()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    got = special.chebyshev_polynomial_t(tg.tensor(x), 10**6).data
    want = torch.special.chebyshev_polynomial_t(torch.tensor(x), 10**6).numpy()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


# ----------------------------------------------------------------------------- no gradient, errors

ALL = sorted(BESSEL) + POLYNOMIALS


def _call(name: str, x: tg.Tensor) -> tg.Tensor:
    fn = getattr(special, name)
    return fn(x) if name in BESSEL else fn(x, 3)


@pytest.mark.parametrize("name", ALL)
def test_no_gradient_as_torch(name: str) -> None:
    """torch 2.13 detaches these results: backward from one raises torch's RuntimeError, and a
    product with x differentiates only through x."""
    x = tg.tensor([0.5, 1.5], dtype=tg.float64, requires_grad=True)
    y = _call(name, x)
    assert not y.requires_grad and y.grad_fn is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.sum().backward()
    (y * x).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, y.data)


@pytest.mark.parametrize("name", ALL)
def test_bad_input_is_refused(name: str) -> None:
    fn = getattr(special, name)
    with pytest.raises(TypeError, match=name):
        fn(0.5) if name in BESSEL else fn(0.5, 3)
    if name not in BESSEL:
        with pytest.raises(RuntimeError, match=r"shapes \(2,\) and \(3,\)"):
            fn(tg.ones(2), tg.ones(3))
    z = tg.tensor(np.array([1 + 1j]))
    with pytest.raises(NotImplementedError, match=f"{name}.*complex"):  # torch's type
        _call(name, z)
    if name not in BESSEL:
        with pytest.raises(NotImplementedError, match=f"{name}.*complex"):
            fn(tg.tensor([0.5]), z)


def test_no_gradient_matches_torch() -> None:
    torch = _torch()
    for name in ALL:
        fn = getattr(torch.special, name)
        x = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
        assert not (fn(x) if name in BESSEL else fn(x, 3)).requires_grad, name
