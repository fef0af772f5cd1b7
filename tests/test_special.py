"""tg.special and the special-function Tensor methods: values, gradients, domains and errors.

Without torch: reference values (computed with mpmath at 60 digits), math.lgamma and
math.erfc over wide grids, identities (recurrences, inverses, P + Q = 1) as hypothesis
properties, gradcheck and gradgradcheck in float64, and the refusals. With torch: values in
float64 and float32 over wide grids including poles, ±inf, nan, 0 and huge arguments (the same
nan and inf positions, finite values to the stated tolerance) and gradients, function by
function. The registry's primitives are also gradchecked by tests/test_ops.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed import special
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

RNG = np.random.default_rng(0)
EDGES = np.array([0.0, -0.0, 1.0, 2.0, -1.0, -2.0, -3.0, np.inf, -np.inf, np.nan, 1e-320, -1e-320])
WIDE = np.concatenate(
    [
        RNG.uniform(-30, 30, 600),
        10 ** RNG.uniform(-300, 300, 150),
        -(10 ** RNG.uniform(-300, 300, 150)),
        RNG.uniform(0, 5, 200),
        EDGES,
    ]
)
UNIT = np.concatenate(
    [RNG.uniform(-1, 1, 600), 1 - 10 ** RNG.uniform(-16, 0, 80), [1, -1, 0, -0.0, 1.5, np.nan]]
)
PROB = np.concatenate(
    [RNG.uniform(0, 1, 600), 10 ** RNG.uniform(-300, 0, 150), [0, 1, -0.5, 1.5, np.nan]]
)
BESSEL = np.concatenate([RNG.uniform(-50, 50, 600), RNG.uniform(-700, 700, 100), EDGES])


def _torch() -> Any:
    return pytest.importorskip("torch")


def _assert_close(got: np.ndarray, want: np.ndarray, rtol: float, what: str) -> None:
    """Equal nan and ±inf positions; finite values within rtol (relative, or absolute rtol
    where |want| < 1: near the zeros of lgamma and ψ the absolute error is what is held)."""
    assert got.dtype == want.dtype, what
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{what}: nan")
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf], err_msg=f"{what}: inf")
    fin = np.isfinite(want)
    assert np.isfinite(got[fin]).all(), what
    err = np.abs(got[fin] - want[fin]) / np.maximum(np.abs(want[fin]), 1.0)
    worst = int(np.argmax(err)) if err.size else 0
    assert not err.size or err[worst] <= rtol, (
        f"{what}: error {err[worst]:.2e} > {rtol:.0e} at {worst}: {got[fin][worst]!r} vs "
        f"{want[fin][worst]!r}"
    )


# ----------------------------------------------------------------------------- values vs torch

# name, ours, torch's (by attribute path), inputs, float64 rtol. Each case's comment says
# where it is held to a reference of its own instead of torch's.
UNARY: list[tuple[str, Callable[[tg.Tensor], tg.Tensor], str, np.ndarray, float]] = [
    ("lgamma", tg.lgamma, "lgamma", WIDE, 1e-14),
    ("gammaln", special.gammaln, "special.gammaln", WIDE, 1e-14),
    ("digamma", tg.digamma, "digamma", WIDE, 1e-12),  # ψ(x<0): π cot(πx) cancels
    ("psi", special.psi, "special.psi", WIDE, 1e-12),
    ("erfc", tg.erfc, "erfc", WIDE, 1e-14),
    ("erfcx", special.erfcx, "special.erfcx", WIDE[WIDE > -20], 1e-13),
    ("erfinv", tg.erfinv, "erfinv", UNIT, 1e-14),
    ("ndtri", special.ndtri, "special.ndtri", PROB, 1e-14),
    ("log_ndtr", special.log_ndtr, "special.log_ndtr", WIDE, 1e-12),  # x/√2 rounds, as torch's
    ("i0", tg.i0, "i0", BESSEL, 1e-14),
    ("i0e", special.i0e, "special.i0e", BESSEL, 1e-14),
    ("i1", special.i1, "special.i1", BESSEL, 1e-14),
    ("i1e", special.i1e, "special.i1e", BESSEL, 1e-14),
    ("entr", special.entr, "special.entr", WIDE, 1e-15),
    ("ndtr", special.ndtr, "special.ndtr", WIDE[WIDE > -8], 1e-14),  # below: test_ndtr_tail
]


def _torch_fn(torch: Any, path: str) -> Any:
    fn = torch
    for part in path.split("."):
        fn = getattr(fn, part)
    return fn


@pytest.mark.parametrize("case", UNARY, ids=[c[0] for c in UNARY])
def test_values_match_torch_float64(case: tuple[Any, ...]) -> None:
    torch = _torch()
    name, ours, theirs, x, rtol = case
    if name in ("i0", "i1"):  # torch overflows from 709.8 (e^x alone); ours from 713.98
        x = x[~(np.abs(x) > 709)]
    want = _torch_fn(torch, theirs)(torch.tensor(x)).numpy()
    with np.errstate(all="ignore"):
        got = ours(tg.tensor(x)).data
    _assert_close(got, want, rtol, name)


@pytest.mark.parametrize("case", UNARY, ids=[c[0] for c in UNARY])
def test_float32_is_float64_rounded_and_near_torchs(case: tuple[Any, ...]) -> None:
    """A primitive's float32 is computed in float64 and rounded once: the float64 result rounded;
    torch's float32 kernels compute in float32, so they are only near (its ndtr loses every
    digit below −3, where ½(1 + erf) cancels; its ψ near its zeros)."""
    name, ours, theirs, x, _ = case
    with np.errstate(all="ignore"):  # the grid's huge values overflow float32
        x32 = x.astype(np.float32)
        got = ours(tg.tensor(x32)).data
        wide = ours(tg.tensor(x32.astype(np.float64))).data.astype(np.float32)
    assert got.dtype == np.float32
    if name in ("entr", "ndtr"):  # compositions: float32 steps
        np.testing.assert_allclose(got, wide, rtol=1e-5, atol=1e-30)
    else:
        np.testing.assert_array_equal(got, wide)
    torch = _torch()
    want = _torch_fn(torch, theirs)(torch.tensor(x32)).numpy()
    both = np.isfinite(got) & np.isfinite(want) & (np.abs(want) < 1e30)
    np.testing.assert_allclose(got[both], want[both], rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_polygamma_matches_torch(n: int) -> None:
    torch = _torch()
    x = WIDE[np.abs(WIDE) < 1e4]
    if n == 1:  # torch's trigamma is finite at the negative integers (6.6e32 at −1); ours inf
        x = x[~((x < 0) & (x == np.round(x)))]
    got = tg.polygamma(n, tg.tensor(x)).data
    want = torch.polygamma(n, torch.tensor(x)).numpy()
    if n == 1:  # torch's trigamma is good to 5e-10 (its asymptotic series is short)
        _assert_close(got, want, 1e-9, "polygamma(1)")
    else:
        _assert_close(got, want, 1e-13, f"polygamma({n})")


def test_zeta_matches_torch() -> None:
    torch = _torch()
    s = np.concatenate([RNG.uniform(1, 40, 1500), [1, 0.5, 2, 2, 3, np.inf, np.inf, 2, np.nan]])
    q = np.concatenate(
        [10 ** RNG.uniform(-3, 4, 1000), RNG.uniform(-30, 30, 500), [1, 1, 0, -1, -1.5, 1, 2]]
    )
    q = np.concatenate([q, [np.inf, 1.0]])
    s[1000:1500] = np.round(s[1000:1500])  # negative q: defined for integer s only
    got = special.zeta(tg.tensor(s), tg.tensor(q)).data
    want = torch.special.zeta(torch.tensor(s), torch.tensor(q)).numpy()
    _assert_close(got, want, 1e-13, "zeta")


def test_gamma_ratios_match_torch() -> None:
    torch = _torch()
    a = np.concatenate([10 ** RNG.uniform(-3, np.log10(20), 1500), [0, 1, -1, 1, 0, np.inf, 2]])
    x = np.concatenate([a[:1500] * 10 ** RNG.uniform(-2, 1, 1500), [1, 0, 1, -1, 0, 2, np.inf]])
    for ours, theirs in ((special.gammainc, "gammainc"), (special.gammaincc, "gammaincc")):
        got = ours(tg.tensor(a), tg.tensor(x)).data
        want = getattr(torch.special, theirs)(torch.tensor(a), torch.tensor(x)).numpy()
        # relative to max(P, Q): each is the other's complement
        _assert_close(got, want, 1e-13, theirs)
    # a > 20: torch switches to Temme's expansion, good to 1e-9; see test_reference_values
    a, x = np.array([23.0, 50.0]), np.array([17.0, 45.0])
    got = special.gammainc(tg.tensor(a), tg.tensor(x)).data
    want = torch.special.gammainc(torch.tensor(a), torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-8)


def test_integer_inputs_give_the_default_float_as_torch() -> None:
    torch = _torch()
    n = np.array([1, 2, 3])
    for ours, theirs in [
        (tg.lgamma, torch.lgamma),
        (tg.i0, torch.i0),
        (special.i1e, torch.special.i1e),
        (special.ndtr, torch.special.ndtr),
        (special.entr, torch.special.entr),
        (lambda t: t.mvlgamma(2), lambda t: t.mvlgamma(2)),
        (lambda t: t.polygamma(1), lambda t: t.polygamma(1)),
    ]:
        got, want = ours(tg.tensor(n)).data, theirs(torch.tensor(n)).numpy()
        assert got.dtype == want.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_mvlgamma_and_xlog1py_match_torch() -> None:
    torch = _torch()
    x = RNG.uniform(-1, 6, 50)
    for p in (1, 2, 3, 5):
        got = special.multigammaln(tg.tensor(x), p).data
        want = torch.special.multigammaln(torch.tensor(x), p).numpy()
        _assert_close(got, want, 1e-13, f"mvlgamma p={p}")
    a = np.array([0.0, 0.0, 0.0, 0.0, 1.5, -2.0, 3.0, np.nan, 0.0])
    b = np.array([-1.0, -2.0, np.inf, 3.0, -0.5, 4.0, np.nan, 1.0, np.nan])
    got = special.xlog1py(tg.tensor(a), tg.tensor(b)).data
    want = torch.special.xlog1py(torch.tensor(a), torch.tensor(b)).numpy()
    _assert_close(got, want, 1e-15, "xlog1py")
    got = special.xlog1py(2.0, tg.tensor(b)).data
    want = torch.special.xlog1py(2.0, torch.tensor(b)).numpy()
    _assert_close(got, want, 1e-15, "xlog1py(number, tensor)")


# ----------------------------------------------------------------------------- gradients vs torch

# float64 first arguments: torch's rules read them in their own dtype (lgamma(a) in float32)
A4 = np.array([0.5, 1.0, 2.5, 7.0])
GRADS: list[tuple[str, Callable[..., Any], tuple[float, float], float]] = [
    ("lgamma", lambda m, x: m.lgamma(x), (-4.5, 6.0), 1e-13),
    ("digamma", lambda m, x: m.digamma(x), (-4.5, 6.0), 1e-9),  # torch's trigamma: 5e-10
    ("polygamma2", lambda m, x: m.polygamma(2, x), (-4.5, 6.0), 1e-13),
    ("erfc", lambda m, x: m.erfc(x), (-6.0, 6.0), 1e-13),
    ("erfinv", lambda m, x: m.erfinv(x), (-0.999, 0.999), 1e-13),
    ("i0", lambda m, x: m.i0(x), (-30.0, 30.0), 1e-13),
    ("mvlgamma", lambda m, x: m.mvlgamma(x, 3), (1.2, 6.0), 1e-13),
    ("erfcx", lambda m, x: m.special.erfcx(x), (-5.0, 30.0), 1e-12),
    ("ndtr", lambda m, x: m.special.ndtr(x), (-8.0, 8.0), 1e-13),
    ("ndtri", lambda m, x: m.special.ndtri(x), (0.001, 0.999), 1e-12),
    ("log_ndtr", lambda m, x: m.special.log_ndtr(x), (-40.0, 8.0), 1e-12),
    ("i0e", lambda m, x: m.special.i0e(x), (-30.0, 30.0), 1e-13),
    ("i1", lambda m, x: m.special.i1(x), (-30.0, 30.0), 1e-13),
    ("i1e", lambda m, x: m.special.i1e(x), (-30.0, 30.0), 1e-13),
    ("entr", lambda m, x: m.special.entr(x), (0.01, 5.0), 1e-14),
    ("gammainc", lambda m, x: m.special.gammainc(m.tensor(A4), x), (0.1, 9), 1e-12),
    ("gammaincc", lambda m, x: m.special.gammaincc(m.tensor(A4), x), (0.1, 9), 1e-12),
    ("zeta", lambda m, x: m.special.zeta(m.tensor(A4 + 1.5), x), (-3.7, 9.0), 1e-12),
    ("xlog1py", lambda m, x: m.special.xlog1py(x, x.flip(0)), (-0.9, 5.0), 1e-14),
]


@pytest.mark.parametrize("case", GRADS, ids=[c[0] for c in GRADS])
def test_gradients_match_torch(case: tuple[Any, ...]) -> None:
    torch = _torch()
    name, fn, (lo, hi), rtol = case
    x = RNG.uniform(lo, hi, (3, 4))  # (4,) broadcasts against A4; no sample hits a pole
    w = RNG.standard_normal(x.shape)
    ours = tg.tensor(x, requires_grad=True)
    (fn(tg, ours) * tg.tensor(w)).sum().backward()
    theirs = torch.tensor(x, requires_grad=True)
    (fn(torch, theirs) * torch.tensor(w)).sum().backward()
    assert ours.grad is not None and theirs.grad is not None
    _assert_close(ours.grad.data, theirs.grad.numpy(), rtol, name)


def test_bessel_gradients_at_zero_are_torchs() -> None:
    torch = _torch()
    x = np.array([0.0, -0.0, 1e-300, -1e-9, 2.0])
    for name in ("i0", "i0e", "i1", "i1e"):
        ours = tg.tensor(x, requires_grad=True)
        getattr(special, name)(ours).sum().backward()
        theirs = torch.tensor(x, requires_grad=True)
        getattr(torch.special, name)(theirs).sum().backward()
        assert ours.grad is not None
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-14, err_msg=name)


# ----------------------------------------------------------------------------- without torch

REFERENCE: list[tuple[Callable[..., tg.Tensor], tuple[Any, ...], float]] = [
    # mpmath at 60 digits; each is a case a cruder kernel gets wrong
    (tg.digamma, (1e-8,), -100000000.57721564),
    (tg.digamma, (-0.5,), 0.03648997397857652),
    (tg.digamma, (1e10,), 23.025850929890456),
    (lambda x: tg.polygamma(1, x), (0.3,), 12.245364546107732),
    (tg.lgamma, (1e-320,), 736.8272408909739),
    (tg.lgamma, (0.999999,), 5.772164873855652e-07),  # near the zero at 1: relative
    (tg.lgamma, (2.000001,), 4.2278465762452923e-07),
    (tg.lgamma, (-2.5,), -0.056243716497674054),
    (tg.lgamma, (1e5,), 1051287.7089736569),
    (tg.erfinv, (1e-10,), 8.862269254527581e-11),
    (tg.erfinv, (0.999999999,), 4.320005388105362),
    (special.ndtri, (1e-300,), -37.0470962993612),
    (special.ndtri, (1e-20,), -9.262340089798407),
    (special.ndtri, (0.975,), 1.9599639845400538),
    (tg.erfc, (26.5,), 2.2109076642637343e-307),
    (tg.erfc, (-3.0,), 1.9999779095030015),
    (special.erfcx, (-24.5,), 9.689307928145748e260),
    (special.erfcx, (1e5,), 5.6418958351954685e-06),
    (special.log_ndtr, (-40.0,), -804.6084420137538),
    (special.log_ndtr, (-1e5,), -5000000012.431864),
    (special.ndtr, (-8.5,), 9.479534822203318e-18),  # torch's is 0 here
    (special.ndtr, (-37.0,), 5.725571222524577e-300),
    (tg.i0, (713.0,), 6.705128263670996e307),  # torch's overflows to inf from 709.8
    (special.i1, (-713.0,), -6.700424559186402e307),
    (special.i1, (1e-5,), 5.0000000000625004e-06),
    (tg.i0, (45.0,), 2.0834140751773148e18),
    (special.zeta, (2.0, 1.0), 1.6449340668482264),
    (special.zeta, (3.5, 0.25), 128.54695896428436),
    (special.zeta, (7.0, -2.5), 0.0001921640382639378),
    (special.zeta, (1.0001, 5.0), 9998.493995543718),
    (special.gammainc, (23.0, 17.0), 0.09527204621951837),  # torch's is off by 1e-9 here
    (special.gammainc, (50.0, 45.0), 0.24680203440017026),
    (special.gammainc, (3.0, 0.01), 1.654216528074877e-07),
    (special.gammaincc, (36.0, 46.0), 0.05616972281105567),
    (special.gammaincc, (2.0, 30.0), 2.900863120340454e-12),
    (special.gammaincc, (0.5, 2.0), 0.04550026389635842),
]


@pytest.mark.parametrize("case", REFERENCE, ids=lambda c: str(c[1]))
def test_reference_values(case: tuple[Any, ...]) -> None:
    fn, args, want = case
    got = float(fn(*[tg.tensor(np.float64(a)) for a in args]).item())
    assert got == pytest.approx(want, rel=2e-14), (args, got, want)


def test_lgamma_and_erfc_match_math_over_wide_ranges() -> None:
    x = np.concatenate([RNG.uniform(0, 10, 2000), 10 ** RNG.uniform(-300, 305, 500)])
    got = tg.lgamma(tg.tensor(x)).data
    want = np.array([math.lgamma(v) for v in x])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)
    neg = -RNG.uniform(0, 40, 1000)
    got = tg.lgamma(tg.tensor(neg)).data
    want = np.array([math.lgamma(v) for v in neg])
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)  # zeros between the poles
    e = np.concatenate([RNG.uniform(-6, 27, 2000), [0.0, 0.5, 1.0, -1.0, 26.5, 27.5, 40.0]])
    got = tg.erfc(tg.tensor(e)).data
    want = np.array([math.erfc(v) for v in e])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-320)  # subnormals: absolute


def test_domain_edges() -> None:
    def values(fn: Callable[[tg.Tensor], tg.Tensor], x: list[float]) -> list[float]:
        with np.errstate(all="ignore"):
            return [float(v) for v in fn(tg.tensor(x)).data]

    inf = math.inf
    assert values(tg.lgamma, [0.0, -0.0, -1.0, -2.0, inf, -inf]) == [inf] * 6
    d = values(tg.digamma, [0.0, -0.0, inf, -1.0, -inf])
    assert d[:3] == [-inf, inf, inf] and math.isnan(d[3]) and math.isnan(d[4])
    assert values(tg.erfinv, [1.0, -1.0, 0.0]) == [inf, -inf, 0.0]
    assert math.isnan(values(tg.erfinv, [1.5])[0])
    assert values(special.ndtri, [0.0, 1.0]) == [-inf, inf]
    assert values(tg.erfc, [inf, -inf, 30.0]) == [0.0, 2.0, 0.0]
    assert values(special.erfcx, [inf, -inf, -30.0]) == [0.0, inf, inf]
    assert values(special.log_ndtr, [inf, -inf]) == [0.0, -inf]
    assert values(special.i0e, [inf, -inf]) == [0.0, 0.0]
    assert values(special.entr, [0.0, -1.0]) == [0.0, -inf]
    p = special.gammainc(
        tg.tensor([0.0, 1.0, 1.0, np.inf, 2.0]), tg.tensor([1.0, 0.0, inf, 2.0, -1])
    )
    assert list(p.data[:4]) == [1.0, 0.0, 1.0, 0.0] and math.isnan(p.data[4])
    z = special.zeta(tg.tensor([1.0, 0.5, 2.0, 2.5]), tg.tensor([1.0, 1.0, -1.0, -1.5])).data
    assert z[0] == inf and math.isnan(z[1]) and z[2] == inf and math.isnan(z[3])
    assert values(lambda t: t.polygamma(1), [0.0, inf]) == [inf, 0.0]
    assert values(lambda t: t.polygamma(2), [0.0, -1.0]) == [-inf, -inf]


@given(st.floats(0.05, 60.0))
def test_recurrences(x: float) -> None:
    t = tg.tensor(np.float64(x))
    assert float(tg.lgamma(t + 1).item()) == pytest.approx(
        float(tg.lgamma(t).item()) + math.log(x), rel=1e-13, abs=1e-13
    )
    assert float(tg.digamma(t + 1).item()) == pytest.approx(
        float(tg.digamma(t).item()) + 1 / x, rel=1e-12, abs=1e-13
    )
    a = tg.tensor(np.float64(min(x, 30.0)))
    both = special.gammainc(a, t) + special.gammaincc(a, t)
    assert float(both.item()) == pytest.approx(1.0, abs=1e-14)


@given(st.floats(-3.0, 3.0), st.floats(-35.0, 0.0))
def test_inverses(x: float, tail: float) -> None:
    """(Beyond |x| = 3 erf x rounds to within 10⁻⁵ of ±1, and erfinv of it is that far off.)"""
    t = tg.tensor(np.float64(x))
    assert float(tg.erfinv(tg.erf(t)).item()) == pytest.approx(x, rel=1e-11, abs=1e-15)
    assert float(special.ndtri(special.ndtr(t)).item()) == pytest.approx(x, rel=1e-11, abs=1e-15)
    lower = special.ndtri(special.ndtr(tg.tensor(np.float64(tail))))  # exact in the lower tail
    assert float(lower.item()) == pytest.approx(tail, rel=1e-13, abs=1e-15)
    assert float(special.log_ndtr(t).item()) == pytest.approx(
        math.log(0.5 * math.erfc(-x / math.sqrt(2))), rel=1e-13
    )


def _checked(fn: Callable[..., tg.Tensor], *xs: np.ndarray) -> None:
    assert gradcheck(fn, list(xs))
    assert gradgradcheck(fn, list(xs), atol=1e-4, rtol=1e-3)


def test_gradcheck_of_compositions() -> None:
    x = RNG.uniform(-2, 2, (2, 3))
    p = RNG.uniform(1.6, 4, (2, 3))
    _checked(special.ndtr, x)
    _checked(special.entr, np.abs(x) + 0.1)
    _checked(lambda t: t.mvlgamma(3), p)
    _checked(special.xlog1py, x, np.abs(x))
    for n in (0, 1, 3):
        _checked(lambda t, n=n: tg.polygamma(n, t), p)
    a = tg.tensor([[0.5, 2.0, 3.0]])
    _checked(lambda t: special.gammainc(a, t), p)
    _checked(lambda t: special.gammaincc(a, t), p)
    _checked(lambda t: special.zeta(tg.tensor([2.0, 3.5, 5.0]), t), p)


def test_gradcheck_of_primitives_away_from_the_tests_default_domain() -> None:
    _checked(tg.lgamma, np.array([-2.5, -0.3, 7.5, 30.0]))
    _checked(tg.digamma, np.array([-2.5, -0.3, 7.5, 30.0]))
    _checked(special.log_ndtr, np.array([-30.0, -5.0, 3.0]))
    _checked(special.erfcx, np.array([-3.0, 0.3, 12.0]))
    _checked(special.i0e, np.array([-8.0, 0.5, 45.0]))
    _checked(special.i1e, np.array([-8.0, 0.5, 45.0]))
    _checked(tg.erfinv, np.array([-0.99, 0.2, 0.999]))


# ----------------------------------------------------------------------------- no derivative for a


@pytest.mark.parametrize(
    ("fn", "what"),
    [
        (special.gammainc, "igamma: input"),
        (special.gammaincc, "igammac: input"),
        (special.zeta, "zeta"),
    ],
)
def test_first_argument_has_no_derivative_as_torch(fn: Any, what: str) -> None:
    a = tg.tensor([2.0, 3.0], requires_grad=True)
    x = tg.tensor([1.5, 2.5], requires_grad=True)
    out = fn(a, x)
    with pytest.raises(NotImplementedError, match=f"the derivative for '{what}' is not"):
        out.sum().backward()
    fn(a.detach(), x).sum().backward()  # x's gradient alone is there
    assert x.grad is not None and np.isfinite(x.grad.data).all()
    with tg.no_grad():  # a value alone is computed without complaint, as torch
        fn(a, x)


# ----------------------------------------------------------------------------- aliases, in place


def test_aliases_are_the_librarys_functions() -> None:
    x = tg.tensor(RNG.uniform(0.1, 0.9, (2, 3)))
    same = [
        (special.expit(x), x.sigmoid()),
        (special.gammaln(x), x.lgamma()),
        (special.psi(x), x.digamma()),
        (special.erf(x), x.erf()),
        (special.exp2(x), x.exp2()),
        (special.expm1(x), x.expm1()),
        (special.log1p(x), x.log1p()),
        (special.sinc(x), x.sinc()),
        (special.logit(x, 0.2), x.logit(0.2)),
        (special.round(x, decimals=1), x.round(decimals=1)),
        (special.xlogy(x, x), x.xlogy(x)),
        (special.logsumexp(x, 1), x.logsumexp(1)),
        (special.softmax(x, 0, dtype=tg.float32), x.float().softmax(0)),
        (special.log_softmax(x, 1), x.log_softmax(1)),
        (special.multigammaln(x + 2, 2), (x + 2).mvlgamma(2)),
        (special.polygamma(2, x), x.polygamma(2)),
    ]
    for got, want in same:
        np.testing.assert_array_equal(got.data, want.data)
        assert got.dtype == want.dtype


INPLACE: list[tuple[str, Callable[[tg.Tensor], tg.Tensor], Callable[[tg.Tensor], tg.Tensor]]] = [
    ("lgamma_", lambda t: t.lgamma_(), lambda t: t.lgamma()),
    ("digamma_", lambda t: t.digamma_(), lambda t: t.digamma()),
    ("polygamma_", lambda t: t.polygamma_(2), lambda t: t.polygamma(2)),
    ("erfc_", lambda t: t.erfc_(), lambda t: t.erfc()),
    ("erfinv_", lambda t: t.erfinv_(), lambda t: t.erfinv()),
    ("i0_", lambda t: t.i0_(), lambda t: t.i0()),
    ("mvlgamma_", lambda t: t.mvlgamma_(2), lambda t: t.mvlgamma(2)),
    ("igamma_", lambda t: t.igamma_(tg.tensor([0.5])), lambda t: t.igamma(tg.tensor([0.5]))),
    ("igammac_", lambda t: t.igammac_(tg.tensor([0.5])), lambda t: t.igammac(tg.tensor([0.5]))),
]


@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
def test_in_place_forms(case: tuple[Any, ...]) -> None:
    _, inplace, plain = case
    data = RNG.uniform(0.6, 0.9, (2, 3))
    t = tg.tensor(data.copy())
    assert inplace(t) is t
    np.testing.assert_array_equal(t.data, plain(tg.tensor(data)).data)
    leaf = tg.tensor(data.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"requires grad.*in-place"):
        inplace(leaf)


# ----------------------------------------------------------------------------- refusals


def test_bad_arguments_are_refused_as_torch() -> None:
    x = tg.tensor([0.5, 1.5])
    with pytest.raises(RuntimeError, match=r"polygamma.*negative n"):
        tg.polygamma(-1, x)
    with pytest.raises(TypeError, match=r"polygamma\(\): argument 'n' must be int, not float"):
        x.polygamma(1.5)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"mvlgamma\(\): p has to be greater than or equal to 1"):
        x.mvlgamma(0)
    with pytest.raises(TypeError, match=r"mvlgamma\(\): argument 'p' must be int"):
        x.mvlgamma(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"igamma\(\): argument 'other' must be Tensor, not float"):
        x.igamma(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"special.gammainc\(\): argument 'input' must be Tensor"):
        special.gammainc(2.0, x)  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError, match=r"igammac\(\): not implemented for int64"):
        tg.igammac(tg.tensor([1, 2]), tg.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"special.erfcx\(\): argument 'input' must be Tensor"):
        special.erfcx(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"special.zeta\(\): expected a Tensor"):
        special.zeta(2.0, 3.0)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"igamma.*broadcast|shape"):
        tg.igamma(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 2.0, 3.0]))
