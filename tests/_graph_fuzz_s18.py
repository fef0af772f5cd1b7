"""The ops of session 18 for the graph fuzzer (tests/test_graph_fuzz_torch.py), drawn (``draw``)
and applied (``apply``) as ``_graph_fuzz_more``'s: tg.linalg's solve family, norms and products
on matrices built inside the program (diagonally dominant ``tanh(A) + (n + 1)·I``, symmetric
positive definite ``B·Bᵀ + n·I`` with ``B = tanh(A)``, triangular ``tril(tanh(A)) + 2·I``, so
that each is well conditioned whatever the pool's values, and their gradients reach the
leaves); the scatter family (scatter_reduce and index_reduce with every reduction and
include_self both ways, index_put, masked_scatter, select/slice/diagonal_scatter), renorm,
frexp, ldexp, sum_to_size, gradient, trapezoid/cumulative_trapezoid, vander; F.grid_sample (all
modes, paddings, align_corners) and affine_grid, interpolate with antialias, ctc_loss (of a
log_softmax) and embedding_bag (sum/mean, per_sample_weights); the decompositions (eigh,
eigvalsh, svd, svdvals, qr, pinv, lstsq, cond, matrix_norm ord ±2/'nuc', householder_product,
ormqr, tensorsolve, tensorinv) through gauge-invariant uses on matrices with separated
eigenvalues or singular values built in the program (``_symmetric``, ``_separated``); and
tg.special's functions on their domains (``_on``: smooth maps of the pool's values away from
poles and onto open intervals).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import _graph_fuzz_more as more
import numpy as np

Shape = tuple[int, ...]

MATRICES = [
    "solve", "solve_triangular", "cholesky", "slogdet", "logdet", "lu_solve", "inv",
    "matrix_power", "matrix_exp", "vector_norm", "matrix_norm", "multi_dot", "vecdot",
    "cholesky_solve", "cholesky_inverse",
]  # fmt: skip
SCATTERS = [
    "scatter_reduce", "index_reduce", "index_put", "masked_scatter", "select_scatter",
    "slice_scatter", "diagonal_scatter", "renorm", "frexp", "ldexp", "sum_to_size", "gradient",
    "trapezoid", "cumulative_trapezoid", "vander",
]  # fmt: skip
SAMPLING = ["grid_sample", "affine_grid", "interpolate_aa", "ctc_loss", "embedding_bag"]
DECOMPOSITIONS = [
    "eigh", "eigvalsh", "svd", "svdvals", "qr", "pinv", "lstsq", "cond", "matrix_norm2",
    "householder_product", "ormqr", "tensorsolve", "tensorinv",
]  # fmt: skip
SPECIAL = [
    "lgamma", "digamma", "polygamma", "erfc", "erfcx", "erfinv", "ndtr", "ndtri", "log_ndtr",
    "i0", "i0e", "i1", "i1e", "xlog1py", "entr", "mvlgamma", "gammainc", "gammaincc", "zeta",
    "sinc", "logit",
]  # fmt: skip
GROUPS = [
    (MATRICES, 0.07),
    (SCATTERS, 0.07),
    (SAMPLING, 0.05),
    (DECOMPOSITIONS, 0.04),
    (SPECIAL, 0.04),
]
OPS = {op for group, _ in GROUPS for op in group}


def focus(group: list[str], mode: str | None) -> int:
    """How many times as often a group is drawn in a focus mode (``TG_GRAPH_FOCUS``)."""
    if mode == "s18" or (mode == "s18b" and group in (DECOMPOSITIONS, SPECIAL)):
        return 10
    return 1


# ----------------------------------------------------------------------------- applying


def _eye(lib: Any, n: int) -> Any:
    return lib.tensor(np.eye(n))


def _general(lib: Any, a: Any, sign: float = 1.0) -> Any:
    """A diagonally dominant matrix from a: off-diagonal rows sum below n − 1 < n + 1."""
    n = a.shape[-1]
    return a.tanh() + _eye(lib, n) * (sign * (n + 1))


def _spd(lib: Any, a: Any) -> Any:
    b = a.tanh()
    return b @ b.mT + _eye(lib, a.shape[-1]) * a.shape[-1]


def _triangle(lib: Any, a: Any, upper: bool) -> Any:
    b = a.tanh()
    return (b.triu() if upper else b.tril()) + _eye(lib, a.shape[-1]) * 2.0


def _symmetric(lib: Any, a: Any) -> Any:
    """A symmetric matrix from a with eigenvalues 4 apart at least, but for ‖¼(B + Bᵀ)‖ ≤ 1.5."""
    b = a.tanh()
    n = a.shape[-1]
    return (b + b.mT) * 0.25 + lib.tensor(np.diag(4.0 * np.arange(n)))


def _separated(lib: Any, a: Any, sign: float = 1.0) -> Any:
    """A full-rank (m, k) matrix from a with singular values near 2, 4, 6 (at least 0.5 apart)."""
    m, k = a.shape[-2:]
    diag = np.zeros((m, k))
    diag[range(min(m, k)), range(min(m, k))] = sign * 2.0 * np.arange(1, min(m, k) + 1)
    return a.tanh() * (0.5 / max(m, k)) + lib.tensor(diag)


def _decomposition(lib: Any, op: str, c: dict[str, Any]) -> Any:
    """The gauge-invariant uses of a decomposition, and the ops built on them."""
    L = lib.linalg
    if op == "eigh":  # V diag(tanh λ) Vᵀ and |V|: the signs of V's columns drop out
        w, V = L.eigh(_symmetric(lib, c["A"]), UPLO=c["uplo"])
        return w, (V * w.tanh().unsqueeze(-2)) @ V.mT, V.abs()
    if op == "eigvalsh":
        return L.eigvalsh(_symmetric(lib, c["A"]), UPLO=c["uplo"])
    if op == "svd":  # U diag(σ²) Vᴴ and |U|, |Vᴴ|
        U, S, Vh = L.svd(_separated(lib, c["A"], c["sign"]), full_matrices=False)
        return S, (U * (S * S).unsqueeze(-2)) @ Vh, U.abs(), Vh.abs()
    if op == "svdvals":
        return L.svdvals(_separated(lib, c["A"], c["sign"]))
    if op == "qr":  # Q·D and D·R with D = sign(diag R): the sign-fixed factors
        Q, R = L.qr(_separated(lib, c["A"], c["sign"]), mode=c["mode"])
        d = R.diagonal(dim1=-2, dim2=-1).sign().detach()
        k = d.shape[-1]
        return Q[..., :k] * d.unsqueeze(-2), R[..., :k, :] * d.unsqueeze(-1)
    if op == "pinv":
        if c["hermitian"]:
            return L.pinv(_symmetric(lib, c["A"]), hermitian=True)
        return L.pinv(_separated(lib, c["A"], c["sign"]))
    if op == "lstsq":
        return L.lstsq(_separated(lib, c["A"], c["sign"]), c["B"]).solution
    if op == "cond":
        if c["p"] in (None, 2, -2, "nuc"):
            return L.cond(_separated(lib, c["A"], c["sign"]), p=c["p"])
        # (detached: torch's backward of the other norms' cond fails, DIVERGENCES)
        return L.cond(_general(lib, c["A"]).detach(), p=c["p"])
    if op == "matrix_norm2":
        return L.matrix_norm(_separated(lib, c["A"], c["sign"]), ord=c["ord"], keepdim=c["keepdim"])
    if op == "householder_product":
        return L.householder_product(c["A"].tanh(), c["tau"].tanh())
    if op == "ormqr":
        return lib.ormqr(c["A"].tanh(), c["tau"].tanh(), c["C"], left=c["left"], transpose=c["t"])
    if op == "tensorsolve":
        A = _general(lib, c["A"]).reshape(c["shape"])
        return L.tensorsolve(A, c["B"], dims=c["dims"])
    if op == "tensorinv":
        return L.tensorinv(_general(lib, c["A"], c["sign"]).reshape(c["shape"]), ind=c["ind"])
    raise AssertionError(op)


def _on(x: Any, domain: str) -> Any:
    """x mapped smoothly onto a domain: "pos" (0.2, 5.2), "far" (6, 11), "neg" (−k − 0.9,
    −k − 0.1) between the poles of Γ, "open" (−0.99, 0.99), "unit" (0.01, 0.99), or x itself
    ("all")."""
    if domain == "pos":
        return x.sigmoid() * 5 + 0.2
    if domain == "far":
        return x.sigmoid() * 5 + 6
    if domain.startswith("neg"):
        return x.tanh() * 0.4 - (int(domain[3:]) + 0.5)
    if domain == "open":
        return x.tanh() * 0.99
    if domain == "unit":
        return x.sigmoid() * 0.98 + 0.01
    return x


def _special(lib: Any, op: str, x: Any, c: dict[str, Any]) -> Any:
    S = lib.special
    u = _on(x, c.get("domain", "all"))
    if op == "lgamma":
        return u.lgamma()
    if op == "polygamma":
        return S.polygamma(c["n"], u)
    if op == "mvlgamma":  # defined for x > (p − 1)/2
        return S.multigammaln(u + (c["p"] - 1) / 2, c["p"])
    if op == "xlog1py":
        return S.xlog1py(x, _on(c["y"], "pos") - 1.1)
    if op in ("gammainc", "gammaincc"):  # (a constant: torch has no ā)
        return getattr(S, op)(c["a"], u)
    if op == "zeta":  # (s a constant: torch has no s̄)
        return S.zeta(c["s"], u)
    if op == "logit":
        return S.logit(u, eps=c["eps"])
    return getattr(S, op)(u)


def apply(lib: Any, op: str, xs: list[Any], c: dict[str, Any]) -> Any:
    """One step of these ops (``c``: the parameters, constants already tensors)."""
    F = lib.nn.functional if lib.__name__ == "torch" else lib.functional
    c = {k: more._get(lib, xs, v) for k, v in c.items()}
    x = xs[0]
    if op in DECOMPOSITIONS:
        return _decomposition(lib, op, c)
    if op in SPECIAL:
        return _special(lib, op, x, c)
    L = lib.linalg
    if op == "solve":
        return L.solve(_general(lib, c["A"]), c["B"], left=c["left"])
    if op == "solve_triangular":
        T = _triangle(lib, c["A"], c["upper"])
        return L.solve_triangular(
            T, c["B"], upper=c["upper"], left=c["left"], unitriangular=c["unit"]
        )
    if op == "cholesky":
        return L.cholesky(_spd(lib, c["A"]), upper=c["upper"])
    if op == "slogdet":  # (the sign detached: torch's requires grad but passes none, DIVERGENCES)
        sign, logabsdet = L.slogdet(_general(lib, c["A"], c["sign"]))
        return sign.detach(), logabsdet
    if op == "logdet":
        return lib.logdet(_spd(lib, c["A"]) if c["spd"] else _general(lib, c["A"]))
    if op == "lu_solve":
        LU, pivots = L.lu_factor(_general(lib, c["A"], c["sign"]))
        return LU, pivots, L.lu_solve(LU, pivots, c["B"], left=c["left"], adjoint=c["adjoint"])
    if op == "inv":
        return L.inv(_general(lib, c["A"], c["sign"]))
    if op == "matrix_power":
        return L.matrix_power(_general(lib, c["A"], c["sign"]), c["n"])
    if op == "matrix_exp":
        return L.matrix_exp(c["A"].tanh() * c["scale"])
    if op == "vector_norm":
        return L.vector_norm(x, ord=c["ord"], dim=c["dim"], keepdim=c["keepdim"])
    if op == "matrix_norm":
        return L.matrix_norm(c["A"], ord=c["ord"], keepdim=c["keepdim"])
    if op == "multi_dot":
        return L.multi_dot(c["mats"])
    if op == "vecdot":
        return L.vecdot(x, c["y"], dim=c["dim"])
    if op == "cholesky_solve":
        factor = L.cholesky(_spd(lib, c["A"]), upper=c["upper"])
        return lib.cholesky_solve(c["B"], factor, upper=c["upper"])
    if op == "cholesky_inverse":
        factor = L.cholesky(_spd(lib, c["A"]), upper=c["upper"])
        return lib.cholesky_inverse(factor, upper=c["upper"])
    # the scatter family
    if op == "scatter_reduce":
        return x.scatter_reduce(
            c["dim"], c["index"], c["src"], c["reduce"], include_self=c["include_self"]
        )
    if op == "index_reduce":
        return x.index_reduce(
            c["dim"], c["index"], c["source"], c["reduce"], include_self=c["include_self"]
        )
    if op == "index_put":
        return x.index_put(tuple(c["indices"]), c["values"], accumulate=c["accumulate"])
    if op == "masked_scatter":
        return x.masked_scatter(c["mask"], c["source"])
    if op == "select_scatter":
        return x.select_scatter(c["src"], c["dim"], c["index"])
    if op == "slice_scatter":
        return x.slice_scatter(c["src"], c["dim"], c["start"], c["end"], c["step"])
    if op == "diagonal_scatter":
        return x.diagonal_scatter(c["src"], c["offset"], c["dim1"], c["dim2"])
    if op == "renorm":
        return x.renorm(c["p"], c["dim"], c["maxnorm"])
    if op == "frexp":
        return tuple(x.frexp())
    if op == "ldexp":
        return x.ldexp(c["other"])
    if op == "sum_to_size":
        return x.sum_to_size(c["size"])
    if op == "gradient":
        return tuple(lib.gradient(x, spacing=c["spacing"], dim=c["dim"], edge_order=c["edge"]))
    if op in ("trapezoid", "cumulative_trapezoid"):
        if "x" in c:
            return getattr(lib, op)(x, c["x"], dim=c["dim"])
        return getattr(lib, op)(x, dx=c["dx"], dim=c["dim"])
    if op == "vander":
        if c["linalg"]:
            return L.vander(x, N=c["N"])
        # (detached: torch's vander has no backward that works, see DIVERGENCES)
        return lib.vander(x.detach().flatten()[:4], N=c["N"], increasing=c["increasing"])
    # sampling and the sequence losses
    if op == "grid_sample":
        grid = c["grid"].tanh() * 1.25  # some points outside [−1, 1]: the paddings
        return F.grid_sample(x.reshape(c["lift"]), grid, **c["kw"])
    if op == "affine_grid":
        return F.affine_grid(c["theta"], c["size"], align_corners=c["align_corners"])
    if op == "interpolate_aa":
        return F.interpolate(x.reshape(c["lift"]), antialias=True, **c["kw"])
    if op == "ctc_loss":
        logp = c["logits"].log_softmax(-1)
        return F.ctc_loss(logp, c["targets"], c["input_lengths"], c["target_lengths"], **c["kw"])
    if op == "embedding_bag":
        weights = c.get("per_sample_weights")
        weight = c.get("weight", x)
        if c.get("low"):  # torch's low-level form: an int mode, and the bags' bookkeeping too
            kw = c["kw"]
            mode = ["sum", "mean", "max"].index(kw["mode"])
            last = kw.get("include_last_offset", False)
            out = lib.embedding_bag(
                weight, c["input"], c["offsets"], False, mode, False, weights, last,
                kw.get("padding_idx"),
            )  # fmt: skip
            # (the sum's zeros with a last offset: one per offset in torch when the weight
            # needs no gradient, one per bag otherwise and here; DIVERGENCES)
            return out[:2] if mode == 0 and last else out
        return F.embedding_bag(
            c["input"], weight, c.get("offsets"), per_sample_weights=weights, **c["kw"]
        )
    raise AssertionError(op)


# ----------------------------------------------------------------------------- drawing


def draw(
    rng: np.random.Generator,
    op: str,
    a: int,
    shapes: list[Shape | None],
    floats: list[int],
    bad: bool,
    dim: Callable[..., int],
) -> tuple[str, list[int], dict[str, Any]]:
    """One step of ``op`` on the pool value ``a`` (``dim``: the main generator's)."""
    sa: Shape = shapes[a]  # type: ignore[assignment]
    n = int(np.prod(sa))
    refs = [a]

    def param(shape: Any) -> Any:
        """Gathered from the step's own value (mostly), another value, or a constant."""
        shape = tuple(int(s) for s in shape)
        if n and rng.random() < 0.6:
            return ("x", 0, rng.integers(0, n, shape))
        return more._param(rng, shapes, floats, refs, shape)

    if op in MATRICES:
        return op, refs, _draw_matrix(rng, op, sa, bad, param, dim)
    if op in DECOMPOSITIONS:
        return op, refs, _draw_decomposition(rng, op, bad, param)
    if op in SPECIAL:
        return op, refs, _draw_special(rng, op, sa, param)
    if op in SCATTERS:
        return _draw_scatter(rng, op, sa, bad, param, dim, refs)
    return _draw_sampling(rng, op, sa, bad, param, refs)


def _batch(rng: np.random.Generator) -> list[int]:
    return [int(s) for s in rng.integers(1, 3, int(rng.choice(3, p=[0.5, 0.35, 0.15])))]


def _draw_matrix(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    dim: Callable[..., int],
) -> dict[str, Any]:
    nd = len(sa)
    k = int(rng.integers(1, 4))  # the matrices' size
    batch = _batch(rng)
    p: dict[str, Any] = {"A": param((*batch, k, k + (1 if bad else 0)))}
    sign = float(rng.choice([1.0, -1.0]))
    cols = int(rng.integers(0, 3))
    left = bool(rng.random() < 0.7)
    rhs_batch = batch[int(rng.integers(0, len(batch) + 1)) :]  # broadcast against A's
    rhs = (*rhs_batch, k, cols) if left else (*rhs_batch, cols, k)
    if op == "solve":
        vector = left and rng.random() < 0.25
        return {**p, "B": param((k,) if vector else rhs), "left": left}
    if op == "solve_triangular":
        return {
            **p,
            "B": param(rhs),
            "left": left,
            "upper": bool(rng.random() < 0.5),
            "unit": bool(rng.random() < 0.3),
        }
    if op in ("cholesky", "cholesky_inverse"):
        return {**p, "upper": bool(rng.random() < 0.5)}
    if op == "cholesky_solve":
        return {**p, "B": param((*rhs_batch, k, cols)), "upper": bool(rng.random() < 0.5)}
    if op in ("slogdet", "inv"):
        return {**p, "sign": sign}
    if op == "logdet":
        return {**p, "spd": bool(rng.random() < 0.5)}
    if op == "lu_solve":
        adjoint = bool(rng.random() < 0.3)
        return {**p, "sign": sign, "B": param(rhs), "left": left, "adjoint": adjoint}
    if op == "matrix_power":
        return {**p, "sign": sign, "n": int(rng.integers(-2, 4))}
    if op == "matrix_exp":
        return {**p, "scale": float(rng.choice([0.5, 1.0]))}
    if op == "vector_norm":
        ords = [2.0, 1.0, 3.0, float("inf"), -float("inf"), 0.5]
        q: dict[str, Any] = {"ord": float(rng.choice(ords)), "keepdim": bool(rng.random() < 0.5)}
        r = rng.random()
        if r < 0.3 or nd == 0:
            q["dim"] = None
        elif r < 0.7 or nd < 2:
            q["dim"] = dim(rng, nd, bad)
        else:
            q["dim"] = tuple(int(d) for d in rng.choice(nd, 2, replace=False))
        return q
    if op == "matrix_norm":
        rows = int(rng.integers(0 if bad else 1, 4))
        ords = ["fro", 1.0, -1.0, float("inf"), -float("inf")]
        return {
            "A": param((*batch, rows, k)),
            "ord": ords[int(rng.integers(len(ords)))],
            "keepdim": bool(rng.random() < 0.5),
        }
    if op == "multi_dot":
        sizes = [int(s) for s in rng.integers(1, 4, int(rng.integers(3, 6)))]
        mats = [param((sizes[i], sizes[i + 1])) for i in range(len(sizes) - 1)]
        if rng.random() < 0.3:
            mats[0] = param((sizes[1] + (1 if bad else 0),))
        if rng.random() < 0.3:
            mats[-1] = param((sizes[-2],))
        return {"mats": mats}
    # vecdot: y broadcasts against x
    y = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, nd + 1)) :]
    if nd == 1 and y:  # torch's two vectors must not broadcast (its dot, DIVERGENCES)
        y = list(sa)
    if bad and nd and sa[-1] > 1:  # (a size 1 broadcasts: only torch's dot refuses it)
        y = [*sa[:-1], sa[-1] + 1]
    return {"y": param(y), "dim": dim(rng, nd) if nd else -1}


def _draw_decomposition(
    rng: np.random.Generator, op: str, bad: bool, param: Callable[[Any], Any]
) -> dict[str, Any]:
    k = int(rng.integers(1, 4))
    m = int(rng.integers(1, 4))
    batch = _batch(rng)
    sign = float(rng.choice([1.0, -1.0]))
    square = {"A": param((*batch, k, k + (1 if bad else 0))), "sign": sign}
    if op in ("eigh", "eigvalsh"):
        return {**square, "uplo": str(rng.choice(["L", "U"]))}
    if op == "tensorinv":  # an (n, n) matrix as (*s₁, *s₂) with prod(s₁) = n
        n = int(rng.choice([1, 2, 4, 6]))
        s1 = {1: [1], 2: [2], 4: [2, 2], 6: [2, 3]}[n]
        s2 = {1: [1], 2: [1, 2], 4: [4], 6: [3, 2]}[n]
        shape = [*s1, *s2] if not bad else [*s1, n + 1]
        return {"A": param((n, n)), "sign": sign, "shape": shape, "ind": len(s1)}
    if op == "tensorsolve":  # A of shape b.shape + x.shape
        n = int(rng.choice([2, 4, 6]))
        bs = {2: [2], 4: [2, 2], 6: [3, 2]}[n]
        xs = {2: [1, 2], 4: [4], 6: [2, 3]}[n]
        dims = None
        if rng.random() < 0.3:  # x's dims moved to the front of A's first, as dims names them
            return {
                "A": param((n, n)),
                "shape": [*xs, *bs],
                "B": param((*bs[:-1], bs[-1] + (1 if bad else 0))),
                "dims": tuple(range(len(xs))),
            }
        return {"A": param((n, n)), "shape": [*bs, *xs], "B": param(bs), "dims": dims}
    rect = {"A": param((*batch, m, k)), "sign": sign}
    if op in ("svd", "svdvals"):
        return rect
    if op == "qr":
        mode = "complete" if m <= k and rng.random() < 0.5 else "reduced"
        return {**rect, "mode": mode}
    if op == "pinv":
        if rng.random() < 0.3:
            return {**square, "hermitian": True}
        return {**rect, "hermitian": False}
    if op == "lstsq":  # full column rank: m ≥ k
        rows = max(m, k)
        # (B of A's batch: torch's lstsq broadcasts B of one dim less oddly, DIVERGENCES)
        # (nor a wrong B as a vector: torch reads B (2, 3) for A (2, 2, 1) as a matrix; seed 278)
        vector = rng.random() < 0.3 and not bad
        B = param((*batch, rows + (1 if bad else 0), *(() if vector else (2,))))
        return {"A": param((*batch, rows, k)), "sign": sign, "B": B}
    if op == "cond":
        p = [None, 2, -2, "fro", "nuc", 1, -1, float("inf"), -float("inf")]
        q = p[int(rng.integers(len(p)))]
        return {**(rect if q in (None, 2, -2) else square), "p": q}
    if op == "matrix_norm2":
        ords = [2, -2, "nuc"]
        return {**rect, "ord": ords[int(rng.integers(3))], "keepdim": bool(rng.random() < 0.5)}
    # householder_product, ormqr: reflectors in an (m, n) matrix, m ≥ n, and k ≤ n of them
    rows, cols = max(m, k), min(m, k)
    # (at least one: of none, the result (I) requires grad in torch only, DIVERGENCES)
    taus = int(rng.integers(1, cols + 1)) + (cols + 1 if bad else 0)
    p = {"A": param((*batch, rows, cols)), "tau": param((*batch, taus))}
    if op == "householder_product":
        return p
    # torch.ormqr: as many reflectors as A has columns
    p["tau"] = param((*batch, cols + (1 if bad else 0)))
    left = bool(rng.random() < 0.5)
    other = int(rng.integers(1, 4))
    C = (*batch, rows, other) if left else (*batch, other, rows)
    return {**p, "C": param(C), "left": left, "t": bool(rng.random() < 0.5)}


def _draw_special(
    rng: np.random.Generator, op: str, sa: Shape, param: Callable[[Any], Any]
) -> dict[str, Any]:
    if op in ("lgamma", "digamma", "polygamma"):  # Γ's poles: 0, −1, −2, … avoided
        domain = str(rng.choice(["pos", "pos", "far", "neg0", "neg1", "neg2"]))
        if op == "polygamma":
            return {"domain": domain, "n": int(rng.integers(0, 4))}
        return {"domain": domain}
    if op in ("erfinv",):
        return {"domain": "open"}
    if op == "ndtri":
        return {"domain": "unit"}
    if op in ("entr", "gammainc", "gammaincc", "zeta", "mvlgamma"):
        p: dict[str, Any] = {"domain": "pos"}
        if op == "mvlgamma":
            p["p"] = int(rng.integers(1, 4))
            p["domain"] = str(rng.choice(["pos", "far"]))
        shape = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, len(sa) + 1)) :]
        if op in ("gammainc", "gammaincc"):
            p["a"] = ("t", rng.uniform(0.3, 4.0, shape))
        if op == "zeta":
            p["s"] = ("t", rng.choice([1.5, 2.0, 3.0, 4.5], shape))
        return p
    if op == "xlog1py":
        shape = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, len(sa) + 1)) :]
        return {"y": param(shape)}
    if op == "logit":
        if rng.random() < 0.5:
            return {"domain": "unit", "eps": None}
        return {"domain": "open", "eps": float(rng.choice([0.05, 0.2]))}
    return {}


def _draw_scatter(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    dim: Callable[..., int],
    refs: list[int],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    if op == "frexp":
        return op, refs, {}
    if op == "ldexp":
        shape = [int(rng.choice([1, s])) for s in sa]
        if rng.random() < 0.5:
            # (integers ≥ 0: torch's x̄ = g·2^other is 0 for a negative one, DIVERGENCES)
            return op, refs, {"other": ("t", rng.integers(0, 4, shape))}
        return op, refs, {"other": param(shape)}  # a float exponent: x·2^other, both get grads
    if op == "sum_to_size":
        size = [int(rng.choice([1, s])) for s in sa][int(rng.integers(0, nd + 1)) :]
        if bad:
            size = [*size, 5]
        return op, refs, {"size": size}
    if op == "vander":
        if rng.random() < 0.4 and nd >= 1:
            return op, refs, {"linalg": True, "N": int(rng.integers(1, 5))}
        N = None if rng.random() < 0.3 else int(rng.integers(0, 5))
        return op, refs, {"linalg": False, "N": N, "increasing": bool(rng.random() < 0.5)}
    if nd == 0 or 0 in sa:
        return "frexp", refs, {}
    d = dim(rng, nd, bad)
    dd = d % nd
    size = sa[dd]
    if op in ("scatter_reduce", "index_reduce"):
        include_self = bool(rng.random() < 0.5)
        reduces = ["prod", "mean", "amax", "amin"] + (["sum"] if op == "scatter_reduce" else [])
        p: dict[str, Any] = {"dim": d, "reduce": str(rng.choice(reduces))}
        p["include_self"] = include_self
        if op == "scatter_reduce":
            shape = [int(rng.integers(1, s + 1)) for s in sa]
            p["index"] = ("t", rng.integers(0, size + (1 if bad else 0), shape))
            p["src"] = param(shape)
            return op, refs, p
        k = int(rng.integers(1, size + 2))
        p["index"] = ("t", rng.integers(0, size + (1 if bad else 0), k))
        source = list(sa)
        source[dd] = k
        p["source"] = param(source)
        return op, refs, p
    if op == "index_put":
        j = int(rng.integers(1, nd + 1))
        accumulate = bool(rng.random() < 0.5)
        count = int(np.prod(sa[:j]))
        m = int(rng.integers(1, count + 1 if not accumulate else 5))
        flat = rng.integers(0, count, m) if accumulate else rng.permutation(count)[:m]
        idx = list(np.unravel_index(flat, sa[:j]))
        if bad:
            idx[0] = idx[0] + sa[0]
        values = list(sa[j:]) if rng.random() < 0.3 else [m, *sa[j:]]
        return (
            op,
            refs,
            {
                "indices": [("t", i.astype(np.int64)) for i in idx],
                "values": param(values),
                "accumulate": accumulate,
            },
        )
    if op == "masked_scatter":
        mask = rng.random([int(rng.choice([1, s])) for s in sa]) < 0.5
        count = int(np.broadcast_to(mask, sa).sum())
        extra = int(rng.integers(0, 3)) - (1 if bad and count else 0)
        return op, refs, {"mask": ("t", mask), "source": param((count + extra,))}
    if op == "select_scatter":
        index = int(rng.integers(-size, size))
        src = [s for k, s in enumerate(sa) if k != dd]
        return op, refs, {"src": param(src), "dim": d, "index": index}
    if op == "slice_scatter":
        start = int(rng.integers(-size, size + 1)) if rng.random() < 0.7 else None
        end = int(rng.integers(-size, size + 2)) if rng.random() < 0.7 else None
        step = int(rng.integers(1, 4))
        length = len(range(*slice(start, end, step).indices(size)))
        src = list(sa)
        src[dd] = length + (1 if bad else 0)
        return op, refs, {"src": param(src), "dim": d, "start": start, "end": end, "step": step}
    if op == "diagonal_scatter":
        if nd < 2:
            return "frexp", refs, {}
        d1 = int(rng.integers(-nd, nd))
        d2 = int(rng.choice([k for k in range(nd) if k != d1 % nd]))
        offset = int(rng.integers(-2, 3))
        src = list(np.diagonal(np.zeros(sa), offset, d1 % nd, d2).shape)
        if bad:
            src[-1] += 1
        return op, refs, {"src": param(src), "offset": offset, "dim1": d1, "dim2": d2}
    if op == "renorm":
        if nd < 2 and not bad:
            return "frexp", refs, {}
        return (
            op,
            refs,
            {
                "p": float(rng.choice([1.0, 2.0, 3.0])),
                "dim": d,
                "maxnorm": float(rng.choice([0.5, 1.0, 2.0])) * (-1 if bad else 1),
            },
        )
    if op == "gradient":
        edge = int(rng.choice([1, 2]))
        dims = [k for k in range(nd) if sa[k] > edge]
        if not dims and not bad:
            return "frexp", refs, {}
        chosen: Any = None if rng.random() < 0.3 else int(rng.choice(dims)) if dims else d
        used = [chosen] if isinstance(chosen, int) else range(nd)
        r = rng.random()
        if r < 0.4 or bad:
            spacing: Any = float(rng.choice([1.0, 0.5, 2.0]))
        else:
            # coordinates: sorted and spread apart (a gap of rounding noise divides by it)
            spacing = [("t", np.cumsum(rng.uniform(0.3, 1.5, sa[k]))) for k in used]
        return op, refs, {"spacing": spacing, "dim": chosen, "edge": edge}
    # trapezoid, cumulative_trapezoid
    if rng.random() < 0.5:
        return op, refs, {"dx": float(rng.choice([1.0, 0.5, -2.0])), "dim": d}
    if rng.random() < 0.5:  # 1-d coordinates along dim
        return op, refs, {"x": param((size + (1 if bad else 0),)), "dim": d}
    return op, refs, {"x": param(sa), "dim": d}  # coordinates of y's shape


def _draw_sampling(
    rng: np.random.Generator,
    op: str,
    sa: Shape,
    bad: bool,
    param: Callable[[Any], Any],
    refs: list[int],
) -> tuple[str, list[int], dict[str, Any]]:
    nd = len(sa)
    n = int(np.prod(sa))
    if op == "affine_grid":
        five = rng.random() < 0.3
        N = int(rng.integers(1, 3))
        spatial = [int(s) for s in rng.integers(1, 4, 3 if five else 2)]
        theta = (N, 3, 4) if five else (N, 2, 3)
        size = [N + (1 if bad else 0), int(rng.integers(1, 3)), *spatial]
        return op, refs, {"theta": param(theta), "size": size, "align_corners": _corners(rng)}
    if op == "ctc_loss":
        return op, refs, _draw_ctc(rng, bad, param)
    if op == "embedding_bag":  # the weight: this value if it is a matrix, else gathered
        if nd == 2 and 0 not in sa:
            return op, refs, _draw_bag(rng, sa[0], bad, param)
        rows = int(rng.integers(1, 5))
        weight = param((rows, int(rng.integers(1, 4))))
        return op, refs, {**_draw_bag(rng, rows, bad, param), "weight": weight}
    # grid_sample, interpolate_aa: this value is the input, lifted to (N, C, *spatial)
    five = op == "grid_sample" and rng.random() < 0.25
    spatial = 3 if five else 2
    if n == 0 or nd > spatial + 2:
        return "affine_grid", refs, _draw_sampling(rng, "affine_grid", sa, bad, param, refs)[2]
    lift = (1,) * (spatial + 2 - nd) + sa
    if op == "interpolate_aa":
        kw: dict[str, Any] = {"mode": str(rng.choice(["bilinear", "bicubic"]))}
        if rng.random() < 0.5:
            kw["size"] = [int(s) for s in rng.integers(1, 4, 2)]
        else:  # (an output of at least one pixel)
            small = min(lift[-2:])
            kw["scale_factor"] = float(rng.choice([0.5, 0.75, 1.5] if small > 1 else [1.5, 2.0]))
        kw["align_corners"] = bool(rng.random() < 0.5)
        if bad:
            kw["mode"] = "nearest"
        return op, refs, {"lift": lift, "kw": kw}
    modes = ["bilinear", "nearest"] + ([] if five else ["bicubic"])
    kw = {
        "mode": str(rng.choice(modes)),
        "padding_mode": str(rng.choice(["zeros", "border", "reflection"])),
        "align_corners": bool(rng.random() < 0.5),
    }
    out = [int(s) for s in rng.integers(1, 4, spatial)]
    grid = (lift[0] + (1 if bad else 0), *out, spatial)
    return op, refs, {"lift": lift, "grid": param(grid), "kw": kw}


def _corners(rng: np.random.Generator) -> bool:
    return bool(rng.random() < 0.5)


def _draw_ctc(rng: np.random.Generator, bad: bool, param: Callable[[Any], Any]) -> dict[str, Any]:
    T, C = int(rng.integers(1, 6)), int(rng.integers(2, 5))
    batched = rng.random() < 0.8
    N = int(rng.integers(1, 4)) if batched else 1
    S = int(rng.integers(0, 4))
    blank = int(rng.choice([0, C - 1]))
    labels = [k for k in range(C) if k != blank]
    target_lengths = [int(rng.integers(0, S + 1)) for _ in range(N)]
    input_lengths = [int(rng.integers(0, T + 1)) if rng.random() < 0.3 else T for _ in range(N)]
    if bad:
        input_lengths[0] = T + 1
    kw: dict[str, Any] = {
        "blank": blank,
        "reduction": str(rng.choice(["mean", "sum", "none"])),
        "zero_infinity": bool(rng.random() < 0.5),
    }
    if batched and rng.random() < 0.6:  # padded (N, S)
        targets: Any = rng.choice(labels, (N, S))
    else:  # concatenated
        targets = rng.choice(labels, sum(target_lengths)) if sum(target_lengths) else None
        if targets is None:
            targets = np.zeros(0, np.int64)
    lengths: list[Any] = [input_lengths, target_lengths]
    if not batched:
        targets = targets if targets.ndim == 1 else targets[0]
        lengths = [("t", np.array(input_lengths[0])), ("t", np.array(target_lengths[0]))]
    elif rng.random() < 0.5:
        lengths = [("t", np.array(v)) for v in lengths]
    shape = (T, N, C) if batched else (T, C)
    return {
        "logits": param(shape),
        "targets": ("t", np.asarray(targets, np.int64)),
        "input_lengths": lengths[0],
        "target_lengths": lengths[1],
        "kw": kw,
    }


def _draw_bag(
    rng: np.random.Generator, rows: int, bad: bool, param: Callable[[Any], Any]
) -> dict[str, Any]:
    mode = str(rng.choice(["sum", "mean"]))
    kw: dict[str, Any] = {"mode": mode}
    if rng.random() < 0.5:  # 2-d bags of one length
        shape: Any = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        p: dict[str, Any] = {}
    else:
        length = int(rng.integers(0, 7))
        shape = (length,)
        cuts = np.sort(rng.integers(0, length + 1, int(rng.integers(1, 4))))
        cuts[0] = 0  # torch: offsets[0] must be 0
        # (not with one offset: torch's embedding_bag then crashes, DIVERGENCES)
        kw["include_last_offset"] = bool(rng.random() < 0.3 and len(cuts) > 1)
        p = {"offsets": ("t", cuts.astype(np.int64))}
    p["input"] = ("t", rng.integers(0, rows + (1 if bad else 0), shape))
    if mode == "sum" and rng.random() < 0.5:
        p["per_sample_weights"] = param(shape)
    if rng.random() < 0.2:
        kw["padding_idx"] = int(rng.integers(-rows, rows))
    if "offsets" in p and rng.random() < 0.3:
        p["low"] = True
    return {**p, "kw": kw}


# ----------------------------------------------------------------------------- avoiding


def _value(torch: Any, xs: list[Any], v: Any) -> Any:
    """A parameter of a step as a torch tensor (a constant, or gathered from the pool)."""
    return torch.tensor(v[1]) if v[0] == "t" else more._get(torch, xs, v)


def _near(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether some a and b are equal but for rounding noise (1e-9 apart relatively), not equal."""
    a, b = a[np.isfinite(a)].ravel(), b[np.isfinite(b)].ravel()
    if not a.size or not b.size:
        return False
    gap = np.abs(a[:, None] - b[None, :])
    scale = max(1.0, float(np.abs(a).max()), float(np.abs(b).max()))
    return bool(((gap > 0) & (gap <= 1e-9 * scale)).any())


def frexp_noise(x: np.ndarray) -> bool:
    """Whether x has rounding noise (not 0, below 1e-9 of its largest entry or 1) or a number
    within noise of 2ᵏ (not on it), where frexp's mantissa jumps (see the main DIVERGENCES)."""
    a = np.abs(x)
    a = a[np.isfinite(a) & (a > 0)]
    if not a.size:
        return False
    if bool((a <= 1e-9 * max(1.0, float(a.max()))).any()):
        return True
    # (from the mantissa m in [½, 1): log2 of 2ᵏ ± 1 ulp rounds to k exactly, s18 seed 79641)
    m = np.frexp(a)[0]
    return bool((((m > 0.5) & (m - 0.5 <= 0.5e-9)) | (1 - m <= 1e-9)).any())


def _unnormalized(grid: np.ndarray, sizes: Shape, align_corners: bool) -> np.ndarray:
    """grid_sample's pixel coordinates of the grid's points (x, y(, z) against W, H(, D))."""
    size = np.array(sizes[::-1], dtype=float)
    if align_corners:
        return (grid + 1) / 2 * (size - 1)
    return ((grid + 1) * size - 1) / 2


def _singular_reflector(torch: Any, xs: list[Any], p: dict[str, Any], margin: float) -> bool:
    """Whether a reflector I − τ·v·vᵀ of householder_product/ormqr is singular or nearly so
    (τ·‖v‖² within ``margin`` of 1; v: 1 on the diagonal and A's column below it)."""
    A = _value(torch, xs, p["A"]).tanh().detach().numpy()
    tau = _value(torch, xs, p["tau"]).tanh().detach().numpy()
    k = min(tau.shape[-1], A.shape[-1])
    below = np.tril(A, -1)[..., :k]
    norms = 1 + (below * below).sum(-2)
    return bool((np.abs(1 - tau[..., :k] * norms) <= margin).any())


# the ops whose matrix is made from tanh(A) (_general, _spd, _triangle, …)
TANH_OF_A = (
    "householder_product", "ormqr", "tensorsolve", "tensorinv", "solve", "solve_triangular",
    "cholesky", "slogdet", "logdet", "lu_solve", "inv", "matrix_power", "matrix_exp",
    "cholesky_solve", "cholesky_inverse",
)  # fmt: skip


def _saturated(a: Any) -> bool:
    """Whether tanh is saturated at some entry of a (|a| > 8: tanh′ < 5e-7, where an ulp of
    tanh(a) ≈ 1 is a relative 4e-10 of 1 − tanh², more beyond; s28 focus seed 5483)."""
    return bool((a.abs() > 8).any())


def avoided(op: str, xs: list[Any], p: dict[str, Any], out: Any, second: bool) -> bool:
    """Whether a step of these ops would meet a divergence kept (see the main DIVERGENCES)."""
    import torch

    x = xs[0]
    if op in ("ctc_loss", "embedding_bag") and second:  # no second derivative in torch
        return True
    if op == "cond" and p["p"] not in (None, 2, -2):  # of a matrix with a nan: inf in torch
        finite = all(bool(t.isfinite().all()) for t in xs if t.is_floating_point())
        if not finite:  # (its LU calls it singular), nan here (DIVERGENCES)
            return True
    gamma = ("lgamma", "digamma", "polygamma", "mvlgamma")
    if op in gamma and second and p.get("n", 0) <= 1:  # torch's trigamma: 5e-10 off on (0.2, 5),
        return True  # 5e-11 elsewhere, which a second derivative amplifies (DIVERGENCES)
    if op == "matrix_exp" and out.numel() > 1:  # entries tied but for either library's rounding
        e = out.detach().numpy()  # (torch's symmetric output exactly, here within an ulp)
        if _near(e, e) or len(np.unique(e)) < e.size:
            return True
    if op == "matrix_exp":  # torch's backward takes too low a degree for a small A and Ḡ
        A = _value(torch, xs, p["A"]).detach().tanh() * p["scale"]  # (4e-9 off; DIVERGENCES)
        if A.numel() and bool((A.abs().sum(-2).amax(-1) < 0.05).any()):
            return True
    if op == "vector_norm" and abs(p["ord"]) == np.inf and bool(x.isnan().any()):
        return True  # torch's x̄ of a nan is 0, here nan as amax's (DIVERGENCES)
    if op == "vector_norm" and abs(p["ord"]) == np.inf and x.numel() > 1:  # max/min of |x|:
        a = x.abs().detach().numpy()  # ties but for rounding noise (focus seed 5501)
        if _near(a, a):
            return True
    if op == "renorm" and second and x.numel():  # a sub-tensor of zeros: norm's at 0
        rest = tuple(d for d in range(x.ndim) if d != p["dim"] % x.ndim)
        if bool((x.abs().amax(rest) == 0).any()):  # (DIVERGENCES; seed 8748)
            return True
    if op == "renorm" and x.numel():  # a norm on maxnorm but for rounding noise: torch's
        rest = tuple(d for d in range(x.ndim) if d != p["dim"] % x.ndim)  # factor's jump
        norms = torch.linalg.vector_norm(x.detach(), ord=p["p"], dim=rest)
        if bool(((norms - p["maxnorm"]).abs() <= 1e-9 * p["maxnorm"]).any()):  # (DIVERGENCES)
            return True
    if op == "pinv" and p["hermitian"]:  # _symmetric's eigenvalue near 0 (DIVERGENCES):
        w = torch.linalg.eigvalsh(_symmetric(torch, _value(torch, xs, p["A"]).detach())).abs()
        # condition > 1e4; of a 1×1 matrix (½·tanh a) against 1, as rounding noise of a, 0 in one
        # library, is no eigenvalue to invert (s18b focus seed 69342)
        if w.numel() and bool((w.amin(-1) < 1e-4 * w.amax(-1).clamp(min=1.0)).any()):
            return True
    if second and op in TANH_OF_A and _saturated(_value(torch, xs, p["A"]).detach()):
        return True  # tanh″ = −2·tanh·(1 − tanh²): an ulp of tanh ≈ 1 there (DIVERGENCES)
    if op in SPECIAL and p.get("domain", "all") != "all" and _saturated(x.detach()):
        return True  # the same for the tanh or sigmoid of ``_on`` (s29 focus seed 122251)
    if op == "log_ndtr" and bool((x.detach() < (-50 if second else -1000)).any()):  # torch's
        return True  # x̄ keeps eps·x²/2 of φ/Φ, its derivative eps·x⁴/2 (DIVERGENCES)
    if op == "ndtr" and bool((x < -5).any()):  # torch's loses its relative accuracy there
        return True  # (0 below −8.5, where it is 1e-17 or less; DIVERGENCES)
    # x̄ of i0e and i1e is a difference of I₀ₑ and I₁ₑ, which agree to 1/(2|x|): it keeps eps·|x|
    # of rounding noise (relatively), its derivative eps·x², in both libraries (DIVERGENCES)
    if op in ("i0e", "i1e") and bool((x.detach().abs() > (100 if second else 1e6)).any()):
        return True
    if op == "erfcx" and bool((x.detach() > 1000).any()):  # x̄ = g·(2x·erfcx − 2/√π) cancels
        return True  # to −g/(√π·x²): an ulp of 2/√π (DIVERGENCES)
    if op == "erfcx" and second and bool((x.abs() > 20).any()):  # x̄'s cancellation, squared
        return True  # (2·erfcx + 2x·(2x·erfcx − 2/√π): digits of rounding noise; DIVERGENCES)
    if op in ("vector_norm", "matrix_norm") and second:  # at 0: norm's case (DIVERGENCES)
        a = x if op == "vector_norm" else _value(torch, xs, p["A"])
        if bool((a == 0).any()) or bool((out == 0).any()):  # (a norm of nothing too: seed 25628)
            return True
    kinked = isinstance(p.get("ord"), (int, float)) and (
        abs(p["ord"]) in (1, np.inf) or (op == "vector_norm" and p["ord"] < 1)
    )
    if op in ("vector_norm", "matrix_norm") and kinked:  # |a|'s kink at an a that is 0 in one
        a = (x if op == "vector_norm" else _value(torch, xs, p["A"])).detach().abs()
        if a.numel() and bool((a <= 1e-12 * max(1.0, float(a.max()))).any()):
            return True  # library and rounding noise in the other (DIVERGENCES; seed 22148)
    scatters = ("select_scatter", "slice_scatter", "diagonal_scatter")
    if op in scatters and torch._debug_has_internal_overlap(out) != 0:  # a torch bug: the
        return True  # overlapping strides of Tensor.unfold's windows kept (DIVERGENCES)
    if op == "ctc_loss":  # a frame of equal logits: the gradient of their common value is 0 by
        logits = _value(torch, xs, p["logits"]).detach()  # log_softmax's shift invariance, and
        if bool((logits.amax(-1) == logits.amin(-1)).any()):  # rounding noise (DIVERGENCES)
            return True
    if op == "ctc_loss":  # a log-probability beyond −1e4: torch's x̄ = eˡᵖ − e^(α + β + nll − lp)
        logp = _value(torch, xs, p["logits"]).detach().log_softmax(-1)  # keeps eps·|nll| in its
        if bool(((logp < -1e4) & logp.isfinite()).any()):  # exponent (DIVERGENCES)
            return True
    if op == "ctc_loss" and not bool(out.isfinite().all()):  # x̄ of an infinite loss: nan there
        return True  # (tinygrad_ed/_ctc.py: 0 here; DIVERGENCES)
    if op == "sum_to_size" and tuple(out.shape) == tuple(x.shape) and x.is_leaf:
        return True  # torch's "non-leaf" alias of a leaf (DIVERGENCES)
    if op == "interpolate_aa" and out.shape[-1] == 1:  # torch's rows all alike (DIVERGENCES)
        return True
    if op == "grid_sample" and bool(_value(torch, xs, p["grid"]).isnan().any()):
        return True  # torch's backward: x̄ placed otherwise, or a crash (DIVERGENCES)
    if op == "grid_sample":  # a point on a pixel boundary, where x̄ or ḡrid jumps, or near one
        grid = _value(torch, xs, p["grid"]).tanh().detach().numpy() * 1.25
        coords = _unnormalized(grid, p["lift"][2:], p["kw"]["align_corners"])
        twice = 2 * coords[np.isfinite(coords)]
        if bool((np.abs(twice - np.round(twice)) <= 1e-9 * np.maximum(1, np.abs(twice))).any()):
            return True
    empty = op == "matrix_norm" and 0 in tuple(_value(torch, xs, p["A"]).shape[-2:])
    if empty and p["ord"] not in ("fro", "nuc"):  # torch's max/min over nothing
        return True  # does not require grad (DIVERGENCES)
    if op == "qr" and bool(_value(torch, xs, p["A"]).isnan().any()):  # torch's R drops a nan
        return True  # at the top of a column (DIVERGENCES)
    if op in ("householder_product", "ormqr") and not bool(torch.isfinite(out).all()):
        return True  # a nan reflector: its 0·nan products here (DIVERGENCES)
    # torch's τ̄ is nan or ∞ there, and near there its second derivatives lose digits (3e-10
    # at 1 − τ·‖v‖² = 1e-3, 3e-9 at 1e-4; focus seed 27623; DIVERGENCES)
    margin = 1e-2 if second else 1e-6
    if op in ("householder_product", "ormqr") and _singular_reflector(torch, xs, p, margin):
        return True
    if op == "trapezoid" and "dx" in p and x.ndim and x.shape[p["dim"]] == 1:
        return True  # torch's x̄ = g·(1 − ½ − ½)·dx: nan for a nan g, 0 here (DIVERGENCES)
    if op == "frexp" and frexp_noise(x.detach().numpy()):
        return True
    if op in ("scatter_reduce", "index_reduce") and p["reduce"] == "prod" and second:
        src = _value(torch, xs, p["src" if op == "scatter_reduce" else "source"])
        if int((src == 0).sum()) > 1:  # torch refuses the double backward (DIVERGENCES)
            return True
    if op in ("scatter_reduce", "index_reduce") and p["reduce"] in ("amax", "amin"):
        src = _value(torch, xs, p["src" if op == "scatter_reduce" else "source"])
        a, b = x.detach().numpy(), src.detach().numpy()
        if _near(a, b) or _near(b, b) or _near(a, a):  # a tie but for rounding noise
            return True
        if not p["include_self"]:  # torch counts x's left-out value in a tie (DIVERGENCES)
            index = torch.tensor(p["index"][1])
            ones = torch.ones_like(x)
            if op == "scatter_reduce":
                reached = torch.zeros_like(x).scatter(p["dim"], index, ones)
            else:
                reached = torch.zeros_like(x).index_fill(p["dim"], index, 1.0)
            return bool(((x == out) & (reached > 0)).any())
    return False
