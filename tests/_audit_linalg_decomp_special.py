"""Bad-input and edge-case audit of tg.linalg's decompositions (eigh, eigvalsh, svd, svdvals,
qr, pinv, lstsq, matrix_rank, cond, eig/eigvals, svd_lowrank, pca_lowrank, the old tg.svd /
tg.qr / tg.pinverse, matrix_norm's ord ±2 and 'nuc', householder_product / orgqr / geqrf /
ormqr, tensorinv / tensorsolve, nn.utils.parametrizations.orthogonal) and of tg.special with
its Tensor methods (the gamma family, erf family, normal distribution, Bessel/Airy, the
orthogonal polynomials, the in-place methods), against torch 2.13.

Run by hand (not collected by pytest; needs torch):

    python tests/_audit_linalg_decomp_special.py [-v] [--only SUBSTRING] [--json PATH]

Same machinery as ``tests/_audit_methods_layers.py`` (its ``Lib``, ``run``, ``classify`` and
``calls`` through its ``audit_main``; ``run_isolated`` from
``tests/_audit_grid_sequences_nn_utils.py``). One extra outcome, ``warns``: both libraries agree
but ours let a numpy RuntimeWarning escape (torch is silent). Extra template names:
``c(*shape)`` a complex128 tensor, ``S`` is ``T.special``, ``L`` is ``T.linalg``.

On 2026-11-27 (main at 3b6db5d): 2369 calls. Before the fixes: equal 1018, both-raise 1001,
torch-raises 96, differ 84, both-raise (kind) 81, ours-raises 53, warns 36, leak 0, odd 0.
After: equal 1057, both-raise 1055, both-raise (kind) 79, differ 69, ours-raises 47,
torch-raises 45, warns 17, leak 0, odd 0. Fixed (tests/test_bad_input_linalg_decomp_special.py):
complex input to every real-only special function (the registry primitives via ``Tensor._special``,
erf, ndtr, entr, logit, xlogy, xlog1py, zeta, gammainc/igamma and their methods) was cast to
float64, dropping the imaginary part; now NotImplementedError as torch. expit/sigmoid of a
complex tensor is 1/(1 + e^{−z}) as torch's complex kernel (was the real part's sigmoid).
logit(eps > ½) follows torch's crossed bounds (clamp gave 1 − eps everywhere), and logit(eps)
of a nan has a nan gradient as torch (was 0). polygamma(1, −inf) is nan as torch (was inf).
RuntimeWarnings from the forwards of erf (x² overflow), log1p/expm1/exp2 (domain, overflow),
sinc (huge or infinite x) and cond (σₖ = 0) are silenced. lstsq's empty residuals are on the
graph (requires_grad) as torch's. matrix_rank takes torch's older ``tol`` overload. What
remains:

* differ (69): eigenvector/singular-vector signs (eigh, svd, tg.svd: each LAPACK call picks
  its own; values and gauge-invariant gradients agree, checked in tests/test_linalg_decomp.py);
  svd_lowrank/pca_lowrank (each library draws its own random projection); requires_grad of
  empty results of matrix_norm(ord=±2)/cond/householder_product (torch's is False or True
  without reason); cond of a matrix holding nan with p=inf (torch inf, ours nan) and norm(ord=
  −2) of nan/inf input; lstsq with 0 right-hand sides (torch's rank 0, LAPACK skipping the
  call; ours the rank of A); tg.qr(some=None) (torch refuses None in the forward, ours in
  backward); entr's gradient for x ≤ 0 (0 here, documented; torch nan/inf); i1/i1e's gradient
  at a nan (torch finite, ours nan: torch's is wrong); the orthogonal polynomials at a nan
  with n = 3 (torch 4/1/−⅔, not nan: torch's shortcut for |x| = 1 catches nan); airy_ai
  (relative 2e-7 from torch near x = −2.5: the kernel's accuracy); gammainc/gammaincc's
  gradient with an int64 first argument (torch's zeros with −0 signs); orthogonal's gradient
  of the original weight with use_trivialization (the template reads a replaced parameter;
  not investigated further).
* ours-raises (47): complex input to the decompositions (refused, documented: real only),
  bools as tolerances, q=True in svd_lowrank, non-finite input to cond(p=None/±2) (svdvals
  refuses it; torch returns a value), in-place special methods whose other operand requires
  grad.
* torch-raises (45): torch's TypeErrors for numpy arrays and None for bools, which ours
  accepts; int round (torch NotImplementedError); bool special-function gradients.
* warns (17): all from backward (the derivative rules' 0·inf and 1/0 at poles, and the
  central unbroadcast summing inf − inf): the engine's, not the forwards', left for a change
  to the engine.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

import _audit_grid_sequences_nn_utils  # noqa: F401  (its Lib.env: u, SHAPE, GRADS, rnn)
from _audit_grid_sequences_nn_utils import run_isolated
from _audit_methods_layers import Lib, Result, audit_main, case, tensors_like

_env = Lib.env


def env(self: Lib) -> dict[str, Any]:
    e = _env(self)

    def c(*shape: int) -> Any:
        a = self.rng.standard_normal(shape) + 1j * self.rng.standard_normal(shape)
        return self.tensor(a, False)

    e["c"] = c
    e["S"] = self.T.special
    e["L"] = self.T.linalg
    e["orth"] = self.T.nn.utils.parametrizations.orthogonal
    return e


Lib.env = env  # type: ignore[method-assign]


def warns(lib: Lib, expr: str, seed: int) -> str:
    """The first RuntimeWarning ours lets escape evaluating ``expr`` (forward and backward)."""
    lib.reset(seed)
    e = lib.env()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            out = eval(expr, e)
            outs = [o for o in (out if isinstance(out, (tuple, list)) else [out])]
            for o in outs:
                if getattr(o, "requires_grad", False) and o.dtype in (lib.T.float64, lib.T.float32):
                    o.sum().backward()
                    break
        except Exception:
            pass
    for x in w:
        if issubclass(x.category, RuntimeWarning):
            return f"{x.message} ({os.path.basename(x.filename)}:{x.lineno})"
    return ""


def warned(
    ours: Lib, expr: str, seed: int, b: Result, outcome: str, detail: str
) -> tuple[str, str]:
    """The outcome ``warns`` where both libraries agree (equal or both-raise) but ours warned."""
    if outcome in ("equal", "both-raise"):
        w = warns(ours, expr, seed)
        if w:
            return "warns", w
    return outcome, detail


A = "t(3, 3)"
MATS = tensors_like(
    A,
    "t(3)",
    "t(2, 3, 3)",
    "t(3, 3).mT",
    "t(0, 0)",
    "t(2, 0, 0)",
    "c(3, 3)",
    "v([[1.0, nan], [0.0, 1.0]])",
    "v([[1.0, inf], [0.0, 1.0]])",
    "v([[0.0, 0.0], [0.0, 0.0]], grad=True)",
)
RECT = tensors_like(
    "t(4, 3)",
    "t(3, 4)",
    "t(2, 4, 3)",
    "t(4, 3).mT",
    "t(0, 3)",
    "t(3, 0)",
    "c(4, 3)",
    "v([[1.0, nan], [0.0, 1.0], [1.0, 1.0]])",
    "v([[1.0, 1.0], [1.0, 1.0]], grad=True)",
)
UPLO = ["'L'", "'U'", "'l'", "'X'", "None", "1"]
TOLS = ["None", "0.0", "1e-3", "-1.0", "t()", "t(2)", "'a'", "True", "nan"]


def linalg_cases() -> list[tuple[str, dict[str, list[str]]]]:
    return [
        case("L.eigh({A}, UPLO={u})", A=MATS, u=UPLO),
        case("L.eigvalsh({A}, UPLO={u})", A=MATS, u=UPLO),
        case("L.eigh({A} + {A}.mT)", A=MATS),
        case("L.eig({A})", A=MATS[:3]),
        case("L.eigvals({A})", A=MATS[:3]),
        case("L.svd({A}, full_matrices={f})", A=RECT, f=["True", "False", "None", "1", "'a'"]),
        case(
            "L.svd({A}, driver={d})", A=["t(4, 3)"], d=["None", "'gesvd'", "'gesvdj'", "'x'", "1"]
        ),
        case("L.svdvals({A})", A=RECT),
        case(
            "L.qr({A}, mode={m})", A=RECT, m=["'reduced'", "'complete'", "'r'", "'x'", "None", "1"]
        ),
        case(
            "L.pinv({A}, atol={a}, rtol={r}, hermitian={h})",
            A=RECT,
            a=TOLS,
            r=TOLS,
            h=["False", "True", "None", "1"],
        ),
        case(
            "L.lstsq({A}, {B}, rcond={r}, driver={d})",
            A=RECT,
            B=[
                "t(4, 2)",
                "t(4)",
                "t(3, 2)",
                "t(4, 2, dtype='f32')",
                "t(2, 4, 2)",
                "t(0, 2)",
                "t(4, 0)",
                "None",
                "v([[nan], [1.0], [1.0], [1.0]])",
            ],
            r=["None", "1e-3", "-1.0", "'a'", "True"],
            d=["None", "'gelsd'", "'gels'", "'gelsy'", "'gelss'", "'x'", "1"],
        ),
        case(
            "L.matrix_rank({A}, atol={a}, rtol={r}, hermitian={h})",
            A=RECT,
            a=TOLS,
            r=TOLS,
            h=["False", "True", "None"],
        ),
        case("L.matrix_rank({A}, tol={a})", A=RECT[:3], a=["1e-3", "t()", "-1.0", "'a'"]),
        case(
            "L.cond({A}, p={p})",
            A=MATS,
            p=["None", "2", "-2", "'fro'", "'nuc'", "1", "-1", "inf", "-inf", "3", "'x'", "True"],
        ),
        case(
            "L.matrix_norm({A}, ord={o}, dim={d}, keepdim={k})",
            A=RECT,
            o=["2", "-2", "'nuc'", "'fro'", "3", "2.0", "True"],
            d=["(-2, -1)", "(0, 1)", "(1, 0)", "(0, 0)", "(0, 5)", "0", "None"],
            k=["False", "True", "None"],
        ),
        case("L.norm({A}, ord={o})", A=RECT, o=["2", "-2", "'nuc'"]),
        case(
            "T.svd({A}, some={s}, compute_uv={c})",
            A=RECT,
            s=["True", "False", "None", "1"],
            c=["True", "False", "None"],
        ),
        case("T.qr({A}, some={s})", A=RECT, s=["True", "False", "None", "1"]),
        case(
            "T.pinverse({A}, rcond={r})",
            A=RECT,
            r=["1e-15", "0.0", "-1.0", "0.5", "'a'", "None", "True", "t()"],
        ),
        case(
            "T.svd_lowrank({A}, q={q}, niter={n}, M={M})",
            A=[
                "t(5, 4)",
                "t(2, 5, 4)",
                "t(5, 4, dtype='f32')",
                "t(0, 4)",
                "c(5, 4)",
                "t(4)",
                "None",
            ],
            q=["2", "0", "-1", "6", "None", "2.5", "True", "'a'"],
            n=["0", "-1", "2.5", "None"],
            M=["None", "t(5, 4)", "t(4)", "t(3, 3)", "t(1, 4)"],
        ),
        case(
            "T.pca_lowrank({A}, q={q}, center={c}, niter={n})",
            A=["t(5, 4)", "t(2, 5, 4)", "t(5, 4, dtype='f32')", "t(0, 4)", "t(4)", "None"],
            q=["2", "0", "-1", "6", "None", "2.5", "True"],
            c=["True", "False", "None", "1"],
            n=["2", "-1", "None"],
        ),
        case(
            "L.householder_product({A}, {tau})",
            A=RECT,
            tau=[
                "t(3)",
                "t(2)",
                "t(4)",
                "t(3, dtype='f32')",
                "t()",
                "t(2, 3)",
                "t(0)",
                "None",
                "[1.0, 2.0, 3.0]",
                "v([nan, 1.0, 1.0])",
            ],
        ),
        case("T.orgqr({A}, {tau})", A=RECT[:6], tau=["t(3)", "t(4)", "t(3, dtype='i64')", "None"]),
        case("T.geqrf({A})", A=RECT),
        case(
            "T.ormqr({A}, {tau}, {C}, left={l}, transpose={tr})",
            A=["t(4, 3)", "t(3, 4)", "t(4, 3, dtype='f32')", "t(4)", "None", "c(4, 3)"],
            tau=["t(3)", "t(4)", "t(5)", "t()", "None"],
            C=["t(4, 2)", "t(2, 4)", "t(3, 2)", "t(4, 2, dtype='f32')", "t(4)", "None", "t(0, 2)"],
            l=["True", "False", "None", "1"],
            tr=["False", "True", "None"],
        ),
        case(
            "L.tensorinv({A}, ind={i})",
            A=[
                "t(4, 2, 2)",
                "t(2, 3, 6)",
                "t(4, 4)",
                "t(3, 4)",
                "t(4, 2, 2, dtype='i64')",
                "t()",
                "t(0, 0)",
                "None",
                "v([[0.0, 0.0], [0.0, 0.0]])",
            ],
            i=["1", "2", "0", "-1", "3", "1.5", "True", "None"],
        ),
        case(
            "L.tensorsolve({A}, {B}, dims={d})",
            A=[
                "t(2, 3, 6)",
                "t(6, 2, 3)",
                "t(4, 4)",
                "t(3, 4)",
                "t(2, 3, 6, dtype='f32')",
                "t()",
                "None",
            ],
            B=["t(2, 3)", "t(6)", "t(4)", "t(5)", "t(2, 3, dtype='f32')", "t()", "None"],
            d=["None", "(0,)", "(2,)", "(5,)", "(0, 0)", "0", "'a'"],
        ),
        case(
            "orth(M(nn.Linear({i}, {o})), orthogonal_map={m}, use_trivialization={u}).weight",
            i=["3", "4", "1"],
            o=["4", "3", "1"],
            m=["None", "'matrix_exp'", "'cayley'", "'householder'", "'x'", "1"],
            u=["True", "False", "None"],
        ),
        case("orth(M(nn.Linear(3, 4)), name={n})", n=["'weight'", "'bias'", "'x'", "None", "1"]),
    ]


X = "t(2, 3)"
XS = tensors_like(
    X, "t(2, 3).mT", "c(2, 3)", "v([0.5, 1.0, 2.0, -1.0, -2.5, 1e300, -1e300, 1e-300])"
)
UNARY = [
    "gammaln",
    "digamma",
    "psi",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "expit",
    "logit",
    "ndtr",
    "ndtri",
    "log_ndtr",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "exp2",
    "expm1",
    "log1p",
    "sinc",
    "entr",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "spherical_bessel_j0",
    "airy_ai",
]
METHODS = ["lgamma", "digamma", "erfc", "erfinv", "i0", "sinc", "logit", "expm1", "log1p", "exp2"]
BINARY = ["gammainc", "gammaincc", "zeta", "xlog1py", "xlogy"]
POLYS = [
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
]
NS = [
    "3",
    "0",
    "-1",
    "t(2, 3, dtype='i64')",
    "v([[0, 1, 2], [3, 4, 50]])",
    "t(2, 3)",
    "2.5",
    "True",
    "None",
    "'a'",
    "t(3)",
    "t(4)",
    "v([nan, 2.0, 3.0])",
    "v(-5, 'i64')",
]


def special_cases() -> list[tuple[str, dict[str, list[str]]]]:
    out = [case(f"S.{name}({{x}})", x=XS) for name in UNARY]
    out += [
        case(f"T.{name}({{x}})", x=XS[:12])
        for name in ["lgamma", "digamma", "erfinv", "i0", "erfc", "sinc", "logit"]
    ]
    out += [case(f"{{x}}.{name}()", x=[*XS[:8], "c(2, 3)"]) for name in METHODS]
    out += [
        case(
            f"{{x}}.{name}_()",
            x=[
                "t(2, 3, grad=False)",
                "t(2, 3, dtype='f32', grad=False)",
                "t(2, 3, dtype='i64')",
                "t(2, 3, dtype='bool')",
                "t(2, 3)",
                "t(2, 3, grad=False).mT",
                "v([0.5, nan, inf, -inf, 0.0, 2.0])",
                "c(2, 3)",
            ],
        )
        for name in [*METHODS, "polygamma", "mvlgamma", "igamma", "igammac", "xlogy"]
        if name not in ("polygamma", "mvlgamma", "igamma", "igammac", "xlogy")
    ]
    out += [
        case(
            "{x}.polygamma_({n})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')", "c(2, 3)"],
            n=["1", "0", "-1", "2.5", "None"],
        ),
        case(
            "{x}.mvlgamma_(p={p})",
            x=["t(2, 3, grad=False, pos=True) + 2", "t(2, 3, dtype='i64')", "t(2, 3, grad=False)"],
            p=["1", "2", "0", "-1", "2.5", "None"],
        ),
        case(
            "{x}.igamma_({y})",
            x=["t(2, 3, grad=False, pos=True)", "t(2, 3, dtype='i64')"],
            y=["t(2, 3, pos=True)", "t(3, pos=True)", "t(4)", "2.0", "None"],
        ),
        case(
            "{x}.igammac_({y})",
            x=["t(2, 3, grad=False, pos=True)"],
            y=["t(2, 3, pos=True)", "t(3, 2)", "None"],
        ),
        case(
            "{x}.xlogy_({y})",
            x=["t(2, 3, grad=False)", "t(2, 3, dtype='i64')"],
            y=["t(2, 3, pos=True)", "t(3, 2)", "2.0", "None"],
        ),
    ]
    out += [
        case(
            f"S.{name}({{x}}, {{y}})",
            x=[*XS, "2.0", "t(2, 3, pos=True)"],
            y=[
                "t(2, 3, pos=True)",
                "t(3, pos=True)",
                "t(4)",
                "t(2, 3, dtype='f32', pos=True)",
                "t(2, 3, dtype='i64')",
                "2.0",
                "None",
                "c(2, 3)",
                "v([0.0, -1.0, inf])",
            ],
        )
        for name in BINARY
    ]
    out += [
        case(
            f"T.{name}({{x}}, {{y}})",
            x=["t(2, 3, pos=True)", "t(2, 3, dtype='i64')", "c(2, 3)", "None"],
            y=["t(2, 3, pos=True)", "t(4)", "2.0", "None"],
        )
        for name in ["igamma", "igammac"]
    ]
    out += [
        case("S.polygamma({n}, {x})", n=["0", "1", "3", "-1", "2.5", "True", "None", "t()"], x=XS),
        case("T.polygamma({n}, {x})", n=["1", "-1", "2.5"], x=XS[:8]),
        case(
            "S.multigammaln({x}, {p})",
            x=[
                "t(2, 3, pos=True) + 2",
                "t(2, 3, dtype='f32', pos=True) + 2",
                "t(2, 3, dtype='i64')",
                "t(2, 3)",
                "t()",
                "t(0)",
                "c(2, 3)",
                "None",
                "v([nan, inf, 0.5])",
            ],
            p=["1", "3", "0", "-1", "2.5", "True", "None", "t()"],
        ),
        case(
            "T.mvlgamma({x}, p={p})",
            x=["t(2, 3, pos=True) + 2", "t(2, 3)", "c(2, 3)"],
            p=["1", "2", "0", "-1", "2.5"],
        ),
        case(
            "S.logit({x}, eps={e})",
            x=XS[:8],
            e=["None", "1e-6", "0.0", "-0.1", "0.6", "'a'", "t()"],
        ),
        case("S.round({x}, decimals={d})", x=XS[:8], d=["0", "2", "-1", "2.5", "None"]),
        case(
            "S.softmax({x}, {d}, dtype={dt})",
            x=XS[:8],
            d=["1", "-1", "2", "None"],
            dt=["None", "f32", "i64"],
        ),
        case("S.log_softmax({x}, {d})", x=XS[:8], d=["1", "-1", "2", "None"]),
    ]
    out += [case(f"S.{name}({{x}}, {{n}})", x=[*XS, "2.0"], n=NS) for name in POLYS]
    return out


def build_cases() -> list[tuple[str, dict[str, list[str]]]]:
    return linalg_cases() + special_cases()


if __name__ == "__main__":
    audit_main(build_cases, extra=10, run_torch=run_isolated, recheck=warned)
