"""One call of every function that takes ``out=`` (``tinygrad_ed._out_arg.OUT_NAMES``), written
once for both libraries (tests/test_out_argument.py): numpy arrays stand for tensors, each
library makes its own of them.

The inputs keep every function in its domain: ``U`` and ``V`` lie in (0, 1), ``G`` above 1,
``S`` has both signs, ``SPD`` is symmetric positive definite and ``LOW`` lower triangular.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any

import numpy as np

U = np.array([[0.1, 0.4, 0.7], [0.25, 0.55, 0.85]], dtype=np.float32)
V = np.array([[0.3, 0.2, 0.9], [0.6, 0.15, 0.45]], dtype=np.float32)
G = 1 + U
S = np.array([[-1.5, 0.5, 2.25], [3.0, -0.75, 1.25]], dtype=np.float32)
I = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64)
J = np.array([[3, 1, 2], [2, 4, 1]], dtype=np.int64)
B = np.array([[True, False, True], [False, False, True]])
C = np.array([[True, True, False], [False, True, True]])
ROW = np.array([0.2, 0.5, 0.3], dtype=np.float32)
COL = np.array([0.7, 0.1], dtype=np.float32)
IDX = np.array([[2, 0, 1], [1, 1, 0]], dtype=np.int64)
PICK = np.array([2, 0], dtype=np.int64)
EDGES = np.array([0.2, 0.5, 0.8], dtype=np.float32)
SQ = np.array([[2.0, 1.0, 0.5], [0.3, 3.0, 1.0], [0.2, 0.4, 1.5]])
SPD = SQ @ SQ.T + np.eye(3)
LOW = np.linalg.cholesky(SPD)
RHS = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]])
BATCH1 = np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 10
BATCH2 = np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 7
TALL = np.array([[1.0, 2.0], [3.0, 5.0], [0.5, -1.0]])


@dataclass(frozen=True)
class Case:
    """``name(*args, **kwargs)`` in either library; ``drawn``: its values are random numbers
    (or, for ``empty``, whatever memory held), so only shapes and dtypes compare; ``refused``:
    tinygrad_ed refuses the call itself (complex eigenvalues), with out= as without."""

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    drawn: bool = False
    refused: bool = False

    @property
    def id(self) -> str:
        return self.name


def _calls(names: str, *args: Any) -> list[Case]:
    """The same call of each function in ``names``."""
    return [Case(name, args) for name in names.split()]


CASES: list[Case] = [
    *_calls(
        "abs absolute acos arccos asin arcsin atan arctan atanh arctanh asinh arcsinh cos cosh "
        "sin sinh tan tanh ceil floor trunc fix frac round exp exp2 expm1 log log1p log2 log10 "
        "sqrt rsqrt reciprocal sigmoid sgn sign neg negative square erf erfc erfinv lgamma "
        "digamma i0 deg2rad rad2deg angle conj_physical logit sinc nan_to_num msort signbit "
        "isposinf isneginf logical_not",
        U,
    ),
    *_calls("acosh arccosh", G),
    *_calls("bitwise_not", I),
    *_calls(
        "special.airy_ai special.bessel_j0 special.bessel_j1 special.bessel_y0 "
        "special.bessel_y1 special.digamma special.entr special.erf special.erfc special.erfcx "
        "special.erfinv special.exp2 special.expit special.expm1 special.gammaln special.i0 "
        "special.i0e special.i1 special.i1e special.log1p special.log_ndtr special.logit "
        "special.modified_bessel_i0 special.modified_bessel_i1 special.modified_bessel_k0 "
        "special.modified_bessel_k1 special.ndtr special.ndtri special.psi special.round "
        "special.scaled_modified_bessel_k0 special.scaled_modified_bessel_k1 special.sinc "
        "special.spherical_bessel_j0",
        U,
    ),
    *_calls(
        "special.chebyshev_polynomial_t special.chebyshev_polynomial_u "
        "special.chebyshev_polynomial_v special.chebyshev_polynomial_w "
        "special.shifted_chebyshev_polynomial_t special.shifted_chebyshev_polynomial_u "
        "special.shifted_chebyshev_polynomial_v special.shifted_chebyshev_polynomial_w "
        "special.hermite_polynomial_h special.hermite_polynomial_he "
        "special.laguerre_polynomial_l special.legendre_polynomial_p",
        U,
        3,
    ),
    *_calls("special.gammainc special.gammaincc igamma igammac", G, U),
    *_calls("special.xlog1py special.xlogy special.zeta", G, U),
    Case("special.multigammaln", (G + 1, 2)),
    Case("special.polygamma", (1, U)),
    Case("special.logsumexp", (U, 1)),
    *_calls(
        "add sub subtract mul multiply div divide true_divide atan2 arctan2 copysign fmax fmin "
        "fmod maximum minimum hypot logaddexp logaddexp2 nextafter remainder float_power pow "
        "xlogy heaviside floor_divide complex polar",
        U,
        V,
    ),
    Case("add", (U, V), {"alpha": 2}),
    Case("div", (S, V), {"rounding_mode": "floor"}),
    Case("ldexp", (U, J)),
    Case("lerp", (U, V, 0.3)),
    *_calls("eq ne lt le gt ge greater greater_equal less less_equal not_equal", U, V),
    *_calls("logical_and logical_or logical_xor", B, C),
    *_calls("bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift", I, J),
    *_calls("gcd lcm", I, J),
    Case("addcdiv", (U, U, V), {"value": 0.5}),
    Case("addcmul", (U, U, V), {"value": 0.5}),
    Case("where", (B, U, V)),
    Case("clamp", (U, 0.2, 0.6)),
    Case("clip", (U, 0.2, 0.6)),
    Case("clamp_min", (U, 0.3)),
    Case("clamp_max", (U, 0.5)),
    Case("threshold", (U, 0.5, 0.0)),
    Case("hardshrink", (S, 0.8)),
    Case("mvlgamma", (G + 1, 2)),
    Case("polygamma", (1, U)),
    Case("frexp", (S,)),
    # reductions and scans
    *_calls(
        "sum mean nansum nanmean prod amax amin argmax argmin std var logsumexp logcumsumexp "
        "cumsum cumprod cummax cummin softmax log_softmax sort median nanmedian max min",
        U,
        1,
    ),
    Case("sum", (U, (0, 1)), {"keepdim": True}),
    Case("sum", (I, 1), {"dtype": np.float64}),
    Case("max", (U,)),
    Case("min", (U,)),
    Case("max", (U, V)),
    Case("min", (U, V)),
    Case("all", (B, 1)),
    Case("any", (B, 1)),
    Case("argmax", (U,)),
    Case("aminmax", (U,), {"dim": 1}),
    Case("mode", (J, 1)),
    Case("kthvalue", (U, 2, 1)),
    Case("topk", (U, 2)),
    Case("argsort", (U,), {"stable": True, "dim": 1}),
    Case("quantile", (U, 0.4, 1)),
    Case("nanquantile", (U, 0.4, 1)),
    Case("norm", (U,)),
    Case("diff", (U,)),
    Case("renorm", (U, 2, 0, 0.5)),
    Case("histc", (U, 4, 0, 1)),
    Case("histogram", (U, 4)),
    # joins, selections and scatters
    *_calls("cat concat stack hstack vstack row_stack dstack", [U, V]),
    Case("concatenate", ([U, V],), {"axis": 1}),
    Case("column_stack", ([ROW, ROW],)),
    Case("cat", ([U, V], 1)),
    Case("diag", (U,)),
    Case("tril", (SPD,)),
    Case("triu", (SPD, 1)),
    Case("narrow_copy", (U, 1, 1, 2)),
    *_calls("alias_copy detach_copy t_copy squeeze_copy", U),
    Case("as_strided_copy", (U, (2, 2), (1, 2), 1)),
    Case("diagonal_copy", (U, 1)),
    Case("expand_copy", (U, (2, 2, 3))),
    Case("permute_copy", (U, (1, 0))),
    Case("select_copy", (U, 1, 2)),
    Case("slice_copy", (U, 1, 0, 3, 2)),
    Case("transpose_copy", (U, 0, 1)),
    Case("unfold_copy", (U, 1, 2, 1)),
    Case("unsqueeze_copy", (U, 1)),
    Case("view_copy", (U, (3, 2))),
    Case("split_copy", (U, 2, 1)),
    Case("split_with_sizes_copy", (U, [1, 2], 1)),
    Case("unbind_copy", (U,)),
    *(
        Case(name, (U,), refused=True)
        for name in [
            "indices_copy",
            "values_copy",
            "crow_indices_copy",
            "col_indices_copy",
            "ccol_indices_copy",
            "row_indices_copy",
        ]
    ),
    Case("frobenius_norm", (U, (0, 1))),
    Case("nuclear_norm", (U,)),
    Case("native_batch_norm", (U, None, None, None, None, True, 0.1, 1e-5)),
    Case("nonzero_static", (U,), {"size": 4}),
    Case("take", (U, IDX)),
    Case("take_along_dim", (U, IDX, 1)),
    Case("gather", (U, 1, IDX)),
    Case("index_select", (U, 1, PICK)),
    Case("masked_select", (U, B)),
    Case("nonzero", (B,)),
    Case("slice_scatter", (SPD, SQ[:1]), {"start": 1, "end": 2}),
    Case("scatter", (U, 1, IDX[:, :2], V)),
    Case("scatter_add", (U, 1, IDX, V)),
    Case("scatter_reduce", (U, 1, IDX, V, "amax")),
    Case("index_add", (U, 1, PICK, V[:, :2])),
    Case("index_copy", (U, 1, PICK, V[:, :2])),
    Case("index_reduce", (U, 1, PICK, V[:, :2], "prod")),
    Case("kron", (U, V)),
    Case("cross", (U, V), {"dim": 1}),
    Case("bucketize", (U, EDGES)),
    Case("searchsorted", (EDGES, U)),
    Case("isin", (I, J[0])),
    # products
    Case("matmul", (U, V.T)),
    Case("mm", (U, V.T)),
    Case("bmm", (BATCH1, BATCH2)),
    Case("mv", (U, ROW)),
    Case("dot", (ROW, ROW)),
    Case("vdot", (ROW, ROW)),
    Case("inner", (U, V)),
    Case("outer", (COL, ROW)),
    Case("ger", (COL, ROW)),
    Case("addmm", (U[:, :2], U, V.T), {"beta": 0.5}),
    Case("addmv", (COL, U, ROW)),
    Case("addr", (U, COL, ROW)),
    Case("addbmm", (U[:, :2], BATCH1, BATCH2)),
    Case("baddbmm", (BATCH1[:, :, :2], BATCH1, BATCH2)),
    Case("chain_matmul", (SPD, SQ, SPD)),
    Case("tensordot", (U, V), {"dims": ([1], [1])}),
    Case("matrix_power", (SQ, 3)),
    # linear algebra
    Case("cholesky", (SPD,)),
    Case("cholesky_inverse", (LOW,)),
    Case("cholesky_solve", (RHS, LOW)),
    Case("inverse", (SQ,)),
    Case("slogdet", (SPD,)),
    Case("lu_unpack", (np.linalg.cholesky(SPD), np.array([1, 2, 3], dtype=np.int32))),
    Case("lu", (SQ,)),  # deprecated in torch (a warning, once)
    Case("hash_tensor", (S,), {"dim": 1}),
    Case("lu_solve", (RHS, np.linalg.cholesky(SPD), np.array([1, 2, 3], dtype=np.int32))),
    Case("qr", (TALL,)),
    Case("svd", (TALL,)),
    Case("geqrf", (TALL,)),
    Case("orgqr", (TALL, np.array([1.2, 0.4]))),
    Case("ormqr", (TALL, np.array([1.2, 0.4]), RHS)),
    Case("triangular_solve", (RHS, LOW), {"upper": False}),
    *_calls(
        "linalg.cholesky linalg.cholesky_ex linalg.cond linalg.det linalg.eigh linalg.eigvalsh "
        "linalg.inv linalg.inv_ex linalg.lu linalg.lu_factor linalg.lu_factor_ex "
        "linalg.matrix_norm linalg.matrix_rank linalg.norm linalg.pinv linalg.qr linalg.slogdet "
        "linalg.svd linalg.svdvals linalg.vector_norm",
        SPD,
    ),
    Case("linalg.eig", (SQ,), refused=True),
    *(Case(name, (SQ, SQ), refused=True) for name in ("lstsq", "solve")),  # removed in torch
    Case("symeig", (SQ,), refused=True),
    Case("linalg.eigvals", (SQ,), refused=True),
    Case("linalg.cross", (U, V)),
    Case("linalg.householder_product", (TALL, np.array([1.2, 0.4]))),
    Case("linalg.lstsq", (TALL, RHS)),
    Case("linalg.lu_solve", (SPD, np.array([1, 2, 3], dtype=np.int32), RHS)),
    Case("linalg.matmul", (U, V.T)),
    Case("linalg.matrix_power", (SQ, 2)),
    Case("linalg.multi_dot", ([SPD, SQ, RHS],)),
    Case("linalg.solve", (SPD, RHS)),
    Case("linalg.solve_ex", (SPD, RHS)),
    Case("linalg.solve_triangular", (LOW, RHS), {"upper": False}),
    Case("linalg.tensorinv", (SQ,), {"ind": 1}),
    Case("linalg.tensorsolve", (SQ, RHS[:, 0])),
    Case("linalg.vecdot", (U, V)),
    # creation and random numbers
    Case("arange", (5,)),
    Case("arange", (0.0, 1.0, 0.25)),
    Case("eye", (3,)),
    Case("full", ((2, 3), 1.5)),
    Case("linspace", (0.0, 1.0, 5)),
    Case("logspace", (0.0, 1.0, 5)),
    Case("ones", (2, 3)),
    Case("zeros", (2, 3)),
    Case("empty", (2, 3), drawn=True),
    Case("rand", (2, 3), drawn=True),
    Case("randn", (2, 3), drawn=True),
    Case("randint", (0, 10, (2, 3)), drawn=True),
    Case("randperm", (5,), drawn=True),
    Case("normal", (U, 1.0), drawn=True),
    Case("bernoulli", (U,), drawn=True),
    Case("multinomial", (U, 2), drawn=True),
]


def function(lib: types.ModuleType, name: str) -> Any:
    """``lib.linalg.inv`` for ``"linalg.inv"``."""
    f: Any = lib
    for part in name.split("."):
        f = getattr(f, part)
    return f


def made(lib: types.ModuleType, value: Any) -> Any:
    """The library's tensors for the arrays in ``value`` (lists and tuples of them too), its
    dtype for a numpy dtype."""
    if isinstance(value, np.ndarray):
        return lib.tensor(value)
    if isinstance(value, list):
        return [made(lib, v) for v in value]
    if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
        return tuple(made(lib, v) for v in value)
    if isinstance(value, type) and issubclass(value, np.generic):
        return getattr(lib, np.dtype(value).name)
    return value


def call(lib: types.ModuleType, case: Case, **extra: Any) -> Any:
    """``case`` run in ``lib`` (tinygrad_ed or torch), with the keywords ``extra`` added."""
    kwargs = {k: made(lib, v) for k, v in case.kwargs.items()}
    return function(lib, case.name)(*(made(lib, v) for v in case.args), **kwargs, **extra)
