"""Matrix decompositions with gradients, as ``torch.linalg``: eigh, svd, qr and what is built on
them (pinv, lstsq, matrix_rank, cond).

Three primitives in the registry (``ops.py``) do the factorizing: ``eigh``, ``svd`` and ``qr``.
An op has one output, so each packs its factors into one array, sliced apart here:

    eigh: [λ; V]      (n+1) × n      the eigenvalues as the first row, eigenvectors below
    svd:  [U; σ; V]   (m+1+n) × w    V = Vᴴᵀ; zero-padded to the wider of U and V
    qr:   [Qᵀ | R]    k × (m+n)      Qᵀ and R have the same number of rows

The slicing is differentiable, so a gradient reaching any factor arrives at the primitive's rule
as one packed g (zeros where a factor was not used). ``pinv`` is a primitive too: composed from
the SVD its gradient would divide by σⱼ² − σᵢ², infinite at repeated singular values (the
identity has them), while the derivative of X⁺ itself is defined there. The rest is composed.

Singular vectors and eigenvectors are defined up to sign; the signs are LAPACK's (numpy's), which
need not be torch's. Losses that do not depend on the signs get torch's values and gradients.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .ops import OPS
from .tensor import OpError, Tensor, _apply, _expect_tensor, randn, where


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of ``linalg.eigh`` (torch's ``return_types.linalg_eigh``)."""

    eigenvalues: Tensor
    eigenvectors: Tensor


class SVDResult(NamedTuple):
    """``(U, S, Vh)`` of ``linalg.svd`` (torch's ``return_types.linalg_svd``)."""

    U: Tensor
    S: Tensor
    Vh: Tensor


class SVDOldResult(NamedTuple):
    """``(U, S, V)`` of ``torch.svd`` (torch's ``return_types.svd``): V, not Vᴴ."""

    U: Tensor
    S: Tensor
    V: Tensor


class QRResult(NamedTuple):
    """``(Q, R)`` of ``linalg.qr`` (torch's ``return_types.linalg_qr``)."""

    Q: Tensor
    R: Tensor


class LstsqResult(NamedTuple):
    """``(solution, residuals, rank, singular_values)`` of ``linalg.lstsq``."""

    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


def _matrices(A: Any, op: str, name: str = "A") -> None:
    """Refuse what is not a float tensor of (batches of) matrices, with torch's messages."""
    _expect_tensor(A, op, name)
    if A.ndim < 2:
        raise OpError(
            f"{op}: The input tensor {name} must have at least 2 dimensions, got shape {A.shape}"
        )
    if A.data.dtype.kind != "f":
        raise OpError(f"{op}: Expected a floating point tensor as input. Got {A.dtype}")


def _square(A: Tensor, op: str) -> None:
    if A.shape[-1] != A.shape[-2]:
        raise OpError(
            f"{op}: A must be batches of square matrices, but they are {A.shape[-2]} by "
            f"{A.shape[-1]} matrices"
        )


def _finite(A: Tensor, op: str) -> None:
    """LAPACK's SVD does not converge on nan or inf: torch raises, and so do we."""
    if not np.isfinite(A.data).all():
        raise OpError(
            f"{op}: The algorithm failed to converge because the input matrix (shape "
            f"{A.shape}) contained non-finite values."
        )


# ---- eigh ----------------------------------------------------------------------------------


def _eigh(A: Tensor, UPLO: str, op: str) -> Tensor:
    _matrices(A, op)
    _square(A, op)
    if UPLO not in ("L", "U"):
        raise OpError(f"{op}: Expected UPLO argument to be 'L' or 'U', but got {UPLO!r}")
    return _apply(OPS["eigh"], A, UPLO=UPLO)


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices, read from the
    ``UPLO`` triangle (``torch.linalg.eigh``): A = V diag(λ) Vᵀ.

    Ā = V (diag λ̄ + ½(VᵀV̄ − V̄ᵀV) / (λⱼ − λᵢ)) Vᵀ, torch's symmetric gradient (a primitive);
    only a V̄ ≠ 0 divides by the gaps, so it needs distinct eigenvalues.
    """
    packed = _eigh(A, UPLO, "linalg.eigh")
    return EighResult(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues of symmetric matrices, ascending (``torch.linalg.eigvalsh``);
    Ā = V diag(λ̄) Vᵀ, defined at repeated eigenvalues too."""
    return _eigh(A, UPLO, "linalg.eigvalsh")[..., 0, :]


def eig(A: Tensor) -> Any:
    """``torch.linalg.eig`` returns complex eigenvalues and eigenvectors; tinygrad_ed has no
    complex dtype, so it is not provided (``eigh`` handles symmetric matrices)."""
    raise NotImplementedError(
        "linalg.eig: the eigenvalues and eigenvectors of a general matrix are complex, and "
        "tinygrad_ed has no complex dtype; for symmetric matrices use linalg.eigh"
    )


def eigvals(A: Tensor) -> Any:
    """``torch.linalg.eigvals`` returns complex eigenvalues: not provided (see ``eig``)."""
    raise NotImplementedError(
        "linalg.eigvals: the eigenvalues of a general matrix are complex, and tinygrad_ed has "
        "no complex dtype; for symmetric matrices use linalg.eigvalsh"
    )


# ---- svd -----------------------------------------------------------------------------------


def _svd(A: Tensor, full_matrices: bool, driver: str | None, op: str) -> Tensor:
    _matrices(A, op)
    if driver is not None:
        raise OpError(
            f"{op}: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER "
            f"backend (got driver={driver!r})"
        )
    _finite(A, op)
    return _apply(OPS["svd"], A, full_matrices=full_matrices)


def _split_svd(packed: Tensor, A: Tensor, full_matrices: bool) -> SVDResult:
    m, n = A.shape[-2:]
    k = min(m, n)
    wide_u, wide_v = (m, n) if full_matrices else (k, k)
    return SVDResult(packed[..., :m, :wide_u], packed[..., m, :k], packed[..., m + 1 :, :wide_v].mT)


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> SVDResult:
    """The singular value decomposition A = U diag(S) Vh, S descending (``torch.linalg.svd``).

    With ``full_matrices`` U and Vh are square; only their first k = min(m, n) columns (rows)
    have a gradient, as in torch. With Σ = diag S (a primitive; see ``ops.py``):
    Ā = U (diag S̄ + (UᵀŪ − ŪᵀU)Σ / (σⱼ² − σᵢ²) + Σ(VᵀV̄ − V̄ᵀV) / (σⱼ² − σᵢ²)) Vᵀ
        + (I − UUᵀ)ŪΣ⁻¹Vᵀ + UΣ⁻¹V̄ᵀ(I − VVᵀ);
    a loss that reads U or Vh needs distinct nonzero singular values.
    """
    packed = _svd(A, full_matrices, driver, "linalg.svd")
    return _split_svd(packed, A, full_matrices)


def svdvals(A: Tensor, *, driver: str | None = None) -> Tensor:
    """The singular values, descending (``torch.linalg.svdvals``); Ā = U diag(S̄) Vᵀ, defined
    everywhere (repeated singular values included)."""
    packed = _svd(A, False, driver, "linalg.svdvals")
    return packed[..., A.shape[-2], : min(A.shape[-2:])]


def svd_old(input: Tensor, some: bool = True, compute_uv: bool = True) -> SVDOldResult:
    """``torch.svd``: (U, S, V) with V = Vhᵀ; ``some=False`` gives square U and V. Without
    ``compute_uv`` U and V are zeros of the full shapes, as torch's."""
    _matrices(input, "svd", "input")
    if not compute_uv:
        m, n = input.shape[-2:]
        batch = input.shape[:-2]
        U = Tensor._make(np.zeros((*batch, m, m), dtype=input.data.dtype))
        V = Tensor._make(np.zeros((*batch, n, n), dtype=input.data.dtype))
        return SVDOldResult(U, svdvals(input), V)
    U, S, Vh = svd(input, full_matrices=not some)
    return SVDOldResult(U, S, Vh.mT)


def _approximate_basis(A: Tensor, q: int, niter: int, M: Tensor | None) -> Tensor:
    """Q with q orthonormal columns whose span nearly holds A − M's columns: a random range,
    refined by ``niter`` subspace iterations (Halko, Martinsson and Tropp's algorithm 4.4)."""
    R = randn(A.shape[-1], q, dtype=A.dtype)

    def centered(X: Tensor, Y: Tensor, M_: Tensor | None) -> Tensor:
        return X @ Y if M_ is None else X @ Y - M_ @ Y

    Q = qr(centered(A, R, M)).Q
    for _ in range(niter):
        Q = qr(centered(A.mT, Q, None if M is None else M.mT)).Q
        Q = qr(centered(A, Q, M)).Q
    return Q


def svd_lowrank(
    A: Tensor, q: int | None = 6, niter: int | None = 2, M: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    """An approximate truncated SVD of A − M by random projection (``torch.svd_lowrank``):
    (U, S, V) with q columns, exact when q ≥ rank. The random matrix comes from
    ``tg.manual_seed``'s generator, so the values are not torch's, their span is. Composed of
    qr and svd, so differentiable."""
    _matrices(A, "svd_lowrank")
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        _expect_tensor(M, "svd_lowrank", "M")
        M = M.expand(*A.shape)
    if m < n:  # the basis of the smaller side
        A = A.mT
        M = None if M is None else M.mT
    Q = _approximate_basis(A, q, niter, M)
    B = Q.mT @ A if M is None else Q.mT @ A - Q.mT @ M
    U, S, Vh = svd(B, full_matrices=False)
    U, V = Q @ U, Vh.mT
    return (V, S, U) if m < n else (U, S, V)


def pca_lowrank(
    A: Tensor, q: int | None = None, center: bool = True, niter: int = 2
) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.pca_lowrank``: ``svd_lowrank`` of A with its column means subtracted (unless
    ``center`` is False); q defaults to min(6, m, n)."""
    _matrices(A, "pca_lowrank")
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(
            f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}"
        )
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return svd_lowrank(A, q, niter=niter)
    return svd_lowrank(A - A.mean(-2, keepdim=True), q, niter=niter)


# ---- qr ------------------------------------------------------------------------------------


def qr(A: Tensor, mode: str = "reduced") -> QRResult:
    """A = QR with Q's columns orthonormal and R upper triangular (``torch.linalg.qr``).

    ``mode``: 'reduced' (Q is m×k, R k×n, k = min(m, n)), 'complete' (Q is m×m) or 'r' (Q
    empty). Ā = (Q̄ + Q copyltu(RR̄ᵀ − Q̄ᵀQ)) R⁻ᵀ for m ≥ n (a primitive; ``ops.py``); not
    differentiable for mode='r' nor for mode='complete' with m > n (raises, as torch).
    """
    _matrices(A, "linalg.qr")
    if mode not in ("reduced", "complete", "r"):
        raise OpError(
            f"qr received unrecognized mode {mode!r} but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    packed = _apply(OPS["qr"], A, mode=mode)
    m = A.shape[-2]
    R = packed[..., :, m:]
    if mode == "r":
        return QRResult(Tensor._make(np.zeros((0,), dtype=A.data.dtype)), R)
    return QRResult(packed[..., :, :m].mT, R)


def qr_old(input: Tensor, some: bool = True) -> QRResult:
    """``torch.qr``: ``linalg.qr(input, 'reduced' if some else 'complete')``."""
    _expect_tensor(input, "qr")
    return qr(input, "reduced" if some else "complete")


# ---- pseudoinverse, rank, least squares, condition number ----------------------------------


def _tolerance(value: Any, op: str, name: str) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number, np.ndarray)):
        raise TypeError(f"{op}: {name} must be a number or a Tensor, got {value!r}")
    return np.asarray(value, dtype=np.float64)


def _tolerances(A: Tensor, atol: Any, rtol: Any, op: str) -> tuple[np.ndarray, np.ndarray]:
    """torch's defaults: atol = 0 and rtol = eps·max(m, n), except that rtol defaults to 0
    where an atol > 0 is given."""
    a, r = _tolerance(atol, op, "atol"), _tolerance(rtol, op, "rtol")
    default = np.finfo(A.data.dtype).eps * max(A.shape[-2:])
    if r is None:
        r = np.asarray(default) if a is None else np.where(a > 0, 0.0, default)
    if a is None:
        a = np.zeros(())
    return a, r


def pinv(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The Moore–Penrose pseudoinverse (``torch.linalg.pinv``), from the SVD (from eigh if
    ``hermitian``); singular values σ ≤ max(atol, rtol·σ₁) count as 0. Tolerances are numbers or
    tensors broadcast over the batch. Ā is the derivative at constant rank, as torch's (a
    primitive): −A⁺ᵀ g A⁺ᵀ + (I − AA⁺) gᵀ A⁺A⁺ᵀ + A⁺ᵀA⁺ gᵀ (I − A⁺A)."""
    op = "linalg.pinv"
    _matrices(A, op)
    if hermitian:
        _square(A, op)
    else:
        _finite(A, op)
    a, r = _tolerances(A, atol, rtol, op)
    return _apply(OPS["pinv"], A, atol=a, rtol=r, hermitian=hermitian)


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """``torch.pinverse``: ``linalg.pinv(input, rtol=rcond)``."""
    _expect_tensor(input, "pinverse")
    return pinv(input, rtol=rcond)


def _rank(A: Tensor, atol: Any, rtol: Any, hermitian: bool, op: str) -> np.ndarray:
    _matrices(A, op)
    if hermitian:
        _square(A, op)
        size = np.abs(np.linalg.eigvalsh(A.data))
    else:
        _finite(A, op)
        size = np.linalg.svd(A.data, compute_uv=False)
    a, r = _tolerances(A, atol, rtol, op)
    largest = size.max(axis=-1, initial=0.0)
    return np.asarray((size > np.maximum(a, r * largest)[..., None]).sum(-1), dtype=np.int64)


def matrix_rank(
    A: Tensor,
    tol: Any = None,
    hermitian: bool = False,
    *,
    atol: Any = None,
    rtol: Any = None,
) -> Tensor:
    """The number of singular values above max(atol, rtol·σ₁) (``torch.linalg.matrix_rank``),
    as int64; |eigenvalues| if ``hermitian``. Tolerance defaults as ``pinv``'s. torch's older
    overload ``matrix_rank(A, tol, hermitian=False)`` is the absolute tolerance tol, rtol 0."""
    op = "torch.linalg.matrix_rank"
    if tol is not None:
        if atol is not None or rtol is not None:
            raise TypeError(f"{op}(): tol is the older form of atol (with rtol = 0): not both")
        atol, rtol = tol, 0.0
    return Tensor._make(_rank(A, atol, rtol, hermitian, op))


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    """The least-squares solution X = argmin ‖AX − B‖ (minimum norm when A is rank deficient)
    (``torch.linalg.lstsq``), with torch's CPU fields per driver (default 'gelsy'):
    ``residuals`` ‖AX − B‖² per column for 'gels', 'gelsd' and 'gelss' when m > n and A has
    full rank (else empty), ``rank`` for all but 'gels', ``singular_values`` for 'gelsd' and
    'gelss'. B may be a vector: 1-d, or a batch of them of shape A.shape[:-1]; another B of
    one dimension fewer than A is refused (torch fails on it or makes up a batch).

    X = A⁺B with singular values below rcond·σ₁ dropped, composed from ``pinv``, so X̄ gives
    torch's gradients: Ā through pinv's rule, B̄ = A⁺ᵀX̄.
    """
    op = "torch.linalg.lstsq"
    _matrices(A, op, "input")
    _expect_tensor(B, "linalg.lstsq", "other")
    if B.ndim < 1 or A.ndim < B.ndim or A.ndim - B.ndim > 1:
        raise OpError(
            f"{op}: input.dim() must be greater or equal to other.dim() and (input.dim() - "
            f"other.dim()) <= 1, got shapes {A.shape} and {B.shape}"
        )
    if B.data.dtype != A.data.dtype:
        raise OpError(
            f"{op}: Expected input and other to have the same dtype, but got input's dtype "
            f"{A.dtype} and other's dtype {B.dtype}"
        )
    if driver is None:
        driver = "gelsy"
    if driver not in _DRIVERS:
        raise OpError(
            f"{op}: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), got {driver!r}"
        )
    # torch's rule: B is a (batch of) vector(s) when it is 1-d or exactly A.shape[:-1]
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if B.ndim == A.ndim - 1 and not vector:
        # torch sizes the batch from B.shape[:-1] as if B were vectors: a broadcasting error,
        # or for some shapes a batch it makes up; refused here with both shapes
        raise OpError(
            f"{op}: other with one dimension fewer than input must be a vector (1-d) or a "
            f"batch of vectors of shape input.shape[:-1] = {A.shape[:-1]}, got shapes "
            f"{A.shape} and {B.shape}"
        )
    Bm = B.unsqueeze(-1) if vector else B
    m, n = A.shape[-2:]
    if Bm.shape[-2] != m:
        side = "other.size(-1)" if vector else "other.size(-2)"
        raise OpError(
            f"{op}: input.size(-2) should match {side}, got shapes {A.shape} and {B.shape}"
        )
    if not (np.isfinite(A.data).all() and np.isfinite(B.data).all()):
        raise OpError(f"{op}: the input or other contains nan or inf (shapes {A.shape}, {B.shape})")
    rtol = 0.0 if driver == "gels" else rcond  # gels assumes A has full rank
    X = pinv(A, rtol=rtol) @ Bm
    empty = Tensor._make(np.zeros((0,), dtype=A.data.dtype))
    rank = Tensor._make(np.zeros((0,), dtype=np.int64))
    if driver != "gels":
        rank = Tensor._make(_rank(A, None, rtol, False, op))
    residuals = X.reshape(-1)[:0]  # empty, but on the graph as torch's (requires_grad)
    if driver != "gelsy" and m > n and (driver == "gels" or bool((rank.data == n).all())):
        residuals = ((A @ X - Bm) ** 2).sum(-2)
    values = svdvals(A).detach() if driver in ("gelsd", "gelss") else empty
    return LstsqResult(X.squeeze(-1) if vector else X, residuals, rank, values)


_NORMS: tuple[Any, ...] = ("fro", "nuc", 1, -1, float("inf"), float("-inf"))


def _matrix_norm(A: Tensor, p: Any) -> Tensor:
    """The Frobenius norm and the ±1 and ±inf norms, composed (so differentiable)."""
    if p == "fro":
        return (A * A).sum((-2, -1)).sqrt()
    sums = A.abs().sum(-2 if abs(p) == 1 else -1)  # column sums for p = ±1, row sums for ±inf
    return sums.amax(-1) if p > 0 else sums.amin(-1)


def _singular(a: np.ndarray) -> bool:
    try:
        np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return True
    return False


def cond(A: Tensor, p: Any = None) -> Tensor:
    """The condition number ‖A‖_p·‖A⁻¹‖_p (``torch.linalg.cond``): for p = None or 2 σ₁/σₖ
    from the singular values (any shape; −2: σₖ/σ₁), else for square A with p in 'fro', 'nuc',
    ±1, ±inf (inf for a singular A, as torch). Composed, so differentiable."""
    op = "linalg.cond"
    _expect_tensor(A, op, "A")
    if A.ndim < 2:
        raise OpError(f"{op}: The input tensor must have at least 2 dimensions, got {A.shape}")
    if p is None or (not isinstance(p, (str, bool)) and p in (2, -2)):
        S = svdvals(A)
        if S.shape[-1] == 0:
            return S.sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):  # σₖ = 0: inf (0/0 = nan), as torch
            ratio = S[..., 0] / S[..., -1]
            return 1 / ratio if p == -2 else ratio
    if isinstance(p, bool) or p not in _NORMS:
        raise OpError(f"{op} got an invalid norm type: {p}")
    _matrices(A, op)
    if A.shape[-1] != A.shape[-2]:
        raise OpError(
            f"{op}(ord={p}): A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )
    if A.shape[-1] == 0:
        return A.sum((-2, -1))
    if p == "nuc":  # ‖A⁻¹‖_nuc = Σ 1/σᵢ: from the singular values, as torch
        S = svdvals(A)
        with np.errstate(divide="ignore", invalid="ignore"):
            return S.sum(-1) * (1 / S).sum(-1)
    # A matrix whose LU meets an exact zero pivot has no inverse: torch answers inf there (as
    # its inv_ex reports it); the identity is inverted in its place
    singular = np.array([_singular(a) for a in A.data.reshape(-1, *A.shape[-2:])])
    singular = singular.reshape(A.shape[:-2])
    if not singular.any():
        return _matrix_norm(A, p) * _matrix_norm(A.inverse(), p)
    eye = np.eye(A.shape[-1], dtype=A.data.dtype)
    safe = where(Tensor._make(singular[..., None, None]), Tensor._make(eye), A)
    value = _matrix_norm(A, p) * _matrix_norm(safe.inverse(), p)
    return where(Tensor._make(singular), Tensor._make(np.asarray(np.inf, A.data.dtype)), value)


__all__ = [
    "EighResult",
    "LstsqResult",
    "QRResult",
    "SVDResult",
    "cond",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "lstsq",
    "matrix_rank",
    "pca_lowrank",
    "pinv",
    "pinverse",
    "qr",
    "svd",
    "svd_lowrank",
    "svdvals",
]
