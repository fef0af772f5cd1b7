"""``torch.linalg``'s solve family: solves, Cholesky, LU, log-determinants, powers, norms.

Four primitives of the op table carry the calculus (see ``ops.py``): ``solve`` (X = A⁻¹B;
B̄ = A⁻ᵀḠ, Ā = −B̄Xᵀ), ``cholesky`` (the symmetric rule L⁻ᵀΦL⁻¹), ``slogdet`` (log |det A|;
Ā = ḡA⁻ᵀ), and ``lu_factor`` (LU of a matrix whose rows are already in pivot order). Every
other function here is composed from them and from Tensor ops, so its gradient, and its second
derivative, comes from rules already checked:

- a triangular solve is ``solve`` of the masked triangle (triu/tril), whose rule then masks Ā to
  the triangle, as torch's does;
- ``cholesky_solve`` and ``cholesky_inverse`` solve with L̃L̃ᵀ, L̃ the triangle of L in value
  while the gradient reaches all of L: torch's unmasked rule (exactly torch's at a triangular L,
  the input these functions are for);
- ``matrix_exp`` is scaling and squaring with the [13/13] Padé approximant (Higham 2005): a
  rational function of A made of matmuls and one ``solve``, so its derivative is the derivative
  of the approximant, which approximates the Fréchet derivative of eᴬ as well as the approximant
  approximates eᴬ (Al-Mohy and Higham 2009); a primitive would need the 2n × 2n block-matrix
  rule for the same accuracy.

Shapes and dtypes are checked up front, so errors name the function (``linalg.solve: …``) and
the shapes; LAPACK failures become ``LinAlgError`` (a RuntimeError, as torch's) naming the batch
element. The ``*_ex`` variants return torch's ``info`` instead of raising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ._linalg_decomp import svdvals
from ._warn import warn
from .autograd import no_grad
from .ops import OPS, _lu
from .tensor import OpError, Tensor, _apply, _expect_tensor, stack


class LinAlgError(RuntimeError):
    """A matrix the algorithm cannot handle (singular, not positive-definite):
    ``torch.linalg.LinAlgError``, a RuntimeError."""


# ---------------------------------------------------------------------------------------------
# Checks shared by the functions below: each names the function, as torch's messages do.


def _expect(x: Any, op: str, name: str = "A") -> Tensor:
    """x, if a Tensor; else torch's TypeError naming the function and the argument."""
    _expect_tensor(x, op.removesuffix("()"), name)
    tensor: Tensor = x
    return tensor


def _floating(op: str, *xs: Tensor) -> None:
    for x in xs:
        if x.data.dtype.kind != "f":
            raise RuntimeError(
                f"{op}: Expected a floating point tensor as input. Got {x.dtype} (shape {x.shape})"
            )
    if len({x.data.dtype for x in xs}) > 1:
        raise RuntimeError(
            f"{op}: Expected A and B to have the same dtype, but found "
            + " and ".join(f"{x.dtype} (shape {x.shape})" for x in xs)
        )


def _square(op: str, a: Tensor, name: str = "A") -> int:
    if a.ndim < 2:
        raise RuntimeError(
            f"{op}: The input tensor {name} must have at least 2 dimensions (shape {a.shape})."
        )
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(
            f"{op}: {name} must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices (shape {a.shape})"
        )
    return a.shape[-1]


def _batch(op: str, *xs: Tensor) -> tuple[int, ...]:
    """The broadcast batch shape of (batches of) matrices."""
    try:
        return tuple(np.broadcast_shapes(*(x.shape[:-2] for x in xs)))
    except ValueError:
        raise RuntimeError(
            f"{op}: the batch dims of "
            + " and ".join(str(x.shape) for x in xs)
            + " do not broadcast"
        ) from None


def _element(index: int, batched: bool) -> str:
    return f"(Batch element {index}): " if batched else ""


def _first_singular(a: np.ndarray) -> int:
    """The flat index of the first singular matrix in a batch (a zero pivot of LU)."""
    info = _lu(a, pivot=True)[2].reshape(-1)
    failed = np.flatnonzero(info)
    return int(failed[0]) if failed.size else 0


def _singular_error(op: str, a: Tensor) -> LinAlgError:
    index = _first_singular(a.data)
    return LinAlgError(
        f"{op}: {_element(index, a.ndim > 2)}The solver failed because the input matrix "
        f"(of the batch of shape {a.shape}) is singular."
    )


def _int32(x: np.ndarray) -> Tensor:
    return Tensor._make(np.asarray(x, dtype=np.int32))


def _permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The row order perm with (PᵀA)ᵢ = A_perm[i], from LAPACK's sequence of row swaps."""
    batch = pivots.shape[:-1]
    perm: np.ndarray = np.broadcast_to(np.arange(m), (*batch, m)).copy()
    for j in range(pivots.shape[-1]):
        p = pivots[..., j].astype(np.int64) - 1
        at_j = perm[..., j].copy()
        perm[..., j] = np.take_along_axis(perm, p[..., None], axis=-1)[..., 0]
        np.put_along_axis(perm, p[..., None], at_j[..., None], axis=-1)
    return perm


def _rows(x: Tensor, perm: np.ndarray) -> Tensor:
    """x's rows (dim −2) in the order perm (a batch of orders, broadcast against x's batch)."""
    batch = tuple(np.broadcast_shapes(x.shape[:-2], perm.shape[:-1]))
    x = x.expand(*batch, *x.shape[-2:])
    index = np.broadcast_to(perm[..., None], (*batch, perm.shape[-1], x.shape[-1]))
    return x.gather(-2, index)


# ---------------------------------------------------------------------------------------------
# Solves.


def _solve_matrices(a: Tensor, b: Tensor, op: str) -> Tensor:
    """A⁻¹B for square A and matrices B, batches broadcast; a singular A raises LinAlgError."""
    _batch(op, a, b)
    try:
        return a._solve(b)
    except OpError:
        raise _singular_error(op, a) from None


def _is_vector(a: Tensor, b: Tensor) -> bool:
    """torch's rule: B is a (batch of) vector(s) if 1-D, or if its shape is A's without the
    last dim; otherwise a (batch of) matrices."""
    return b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])


def _solve(a: Tensor, b: Tensor, left: bool, op: str) -> Tensor:
    _expect(a, op)
    _expect(b, op, "B")
    n = _square(op, a)
    _floating(op, a, b)
    vector = _is_vector(a, b)
    if vector and not left:
        raise RuntimeError(
            f"{op}: Vector broadcasting of the left hand side is not supported for left=False "
            f"(shapes {a.shape} and {b.shape}). In this case linalg.solve is equivalent to "
            "B / A.squeeze(-1)"
        )
    bm = b.unsqueeze(-1) if vector else b
    if bm.ndim < 2 or bm.shape[-2 if left else -1] != n:
        equation = "AX = B" if left else "XA = B"
        got = f"{bm.shape[-2]}x{bm.shape[-1]}" if bm.ndim >= 2 else str(b.shape)
        raise RuntimeError(
            f"{op}: Incompatible shapes of A and B for the equation {equation} "
            f"({n}x{n} and {got}; shapes {a.shape} and {b.shape})"
        )
    if not left:  # XA = B is AᵀXᵀ = Bᵀ (B is matrices here)
        return _solve_matrices(a.mT, b.mT, op).mT
    x = _solve_matrices(a, bm, op)
    return x.squeeze(-1) if vector else x


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with AX = B (XA = B if not ``left``), A (batches of) square matrices; B a matrix, a
    vector, or a batch of either (torch's rule: B is vectors if 1-D or of A's shape without
    its last dim). By LU (LAPACK); a singular A raises ``LinAlgError``.

    B̄ = A⁻ᵀḠ, Ā = −B̄Xᵀ (the ``solve`` primitive; the rules solve again, so second derivatives
    follow). PyTorch: ``torch.linalg.solve(A, B, left=True)``.
    """
    return _solve(A, B, left, "linalg.solve")


class _SolveEx(NamedTuple):
    result: Tensor
    info: Tensor


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False) -> _SolveEx:
    """``solve`` and torch's ``info`` (per matrix of A: 0, or the 1-based index of LU's first
    zero pivot). A singular A raises only with ``check_errors``; otherwise its result is nan
    (torch's is whatever LAPACK left). PyTorch: ``torch.linalg.solve_ex``."""
    op = "linalg.solve_ex"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    info = _lu(A.data, pivot=True)[2]
    if not info.any() or check_errors:
        return _SolveEx(_solve(A, B, left, op), _int32(info))
    # The singular matrices replaced by I to solve the rest; their results then set to nan
    # (no gradient for any: torch's rule would divide by the zero pivot).
    bad = info[..., None, None] != 0
    with no_grad():
        eye = np.eye(A.shape[-1], dtype=A.data.dtype)
        x = _solve(Tensor._make(np.where(bad, eye, A.data)), B, left, op).data
    if _is_vector(A, B):  # results (…, n): one mask entry per vector
        bad = bad[..., 0]
    return _SolveEx(Tensor._make(np.where(bad, np.nan, x)), _int32(info))


def _triangle(a: Tensor, upper: bool, unitriangular: bool) -> Tensor:
    """The triangle of A that a triangular solve reads; 1s on the diagonal if unitriangular."""
    if not unitriangular:
        return a.triu() if upper else a.tril()
    eye = Tensor._make(np.eye(a.shape[-1], dtype=a.data.dtype))
    return (a.triu(1) if upper else a.tril(-1)) + eye


def solve_triangular(
    A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> Tensor:
    """X with AX = B (XA = B if not ``left``) for triangular A: only the triangle ``upper``
    names is read, and its diagonal is taken as 1s if ``unitriangular``.

    The ``solve`` of the masked triangle, so Ā is masked to that triangle (without the
    diagonal if unitriangular), as torch's. A zero on the diagonal raises ``LinAlgError``,
    where torch returns infinities; A and B of different dtypes are refused, where torch casts
    B to A's dtype (float64 to float32 too). PyTorch: ``torch.linalg.solve_triangular``.
    """
    op = "linalg.solve_triangular"
    _expect(A, op)
    _expect(B, op, "B")
    n = _square(op, A)
    if B.ndim < 2:
        raise RuntimeError(
            f"{op}: The input tensor B must have at least 2 dimensions (shape {B.shape})."
        )
    _floating(op, A, B)
    if B.shape[-2 if left else -1] != n:
        raise RuntimeError(
            f"{op}: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]}; "
            f"shapes {A.shape} and {B.shape})"
        )
    t = _triangle(A, upper, unitriangular)
    if left:
        return _solve_matrices(t, B, op)
    return _solve_matrices(t.mT, B.mT, op).mT


_warned: set[str] = set()  # torch warns of a deprecated function once per process


def _deprecated(name: str, message: str) -> None:
    if name not in _warned:
        _warned.add(name)
        warn(message, UserWarning)


class _TriangularSolve(NamedTuple):
    solution: Tensor
    cloned_coefficient: Tensor


def triangular_solve(
    b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False, unitriangular: bool = False
) -> _TriangularSolve:
    """The old API: X with AX = b (AᵀX = b if ``transpose``), and a copy of A.
    PyTorch: ``torch.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False)``
    (deprecated there in favour of ``linalg.solve_triangular``)."""
    _expect(b, "triangular_solve", "b")
    _expect(A, "triangular_solve")
    _deprecated(
        "triangular_solve",
        "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular "
        "(torch's warning): X = triangular_solve(B, A).solution is "
        "linalg.solve_triangular(A, B, upper=True)",
    )
    if transpose:
        x = solve_triangular(A.mT, b, upper=not upper, unitriangular=unitriangular)
    else:
        x = solve_triangular(A, b, upper=upper, unitriangular=unitriangular)
    batch = _batch("triangular_solve", b, A)
    return _TriangularSolve(x, A.expand(*batch, *A.shape[-2:]).clone())


# ---------------------------------------------------------------------------------------------
# Cholesky.


def _not_positive_definite(op: str, a: Tensor) -> LinAlgError:
    info = _cholesky_info(a.data).reshape(-1)
    index = int(np.flatnonzero(info)[0])
    return LinAlgError(
        f"{op}: {_element(index, a.ndim > 2)}The factorization could not be completed because "
        f"the input is not positive-definite (the leading minor of order {info[index]} is not "
        f"positive-definite; batch of shape {a.shape})."
    )


def _cholesky_info(a: np.ndarray) -> np.ndarray:
    """torch's info per matrix: 0, or the order of the first leading minor not positive-definite
    (only the lower triangle is read)."""
    flat = a.reshape(int(np.prod(a.shape[:-2])), *a.shape[-2:])
    info = np.zeros(len(flat), dtype=np.int32)
    for i, m in enumerate(flat):
        for k in range(1, m.shape[-1] + 1):
            try:
                ok = not np.isnan(np.linalg.cholesky(m[:k, :k])[k - 1, k - 1])
            except np.linalg.LinAlgError:
                ok = False
            if not ok:  # LAPACK's test d > 0 fails for nan: numpy returns nan instead
                info[i] = k
                break
    return info.reshape(a.shape[:-2])


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """L, lower triangular with positive diagonal, A = LLᵀ for symmetric positive-definite A
    (Uᵀ = L if ``upper``: A = UᵀU). Only A's lower triangle is read.

    Ā = L⁻ᵀΦL⁻¹, Φ = ½(P + Pᵀ) for P = tril(LᵀL̄) with its diagonal halved: the symmetric
    gradient, torch's (the ``cholesky`` primitive). A matrix that is not positive-definite raises
    ``LinAlgError`` naming the leading minor. PyTorch: ``torch.linalg.cholesky(A, upper=False)``.
    """
    op = "linalg.cholesky"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    try:
        lower = _apply(OPS["cholesky"], A)
    except OpError:
        raise _not_positive_definite(op, A) from None
    if np.isnan(np.diagonal(lower.data, axis1=-2, axis2=-1)).any():
        raise _not_positive_definite(op, A)
    return lower.mT if upper else lower


def old_cholesky(A: Tensor, upper: bool = False) -> Tensor:
    """``torch.cholesky``, deprecated there (with a warning, once) for ``linalg.cholesky``."""
    _deprecated(
        "cholesky",
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky (torch's warning): "
        "L = cholesky(A, upper) is linalg.cholesky(A, upper=upper)",
    )
    return cholesky(A, upper=upper)


class _CholeskyEx(NamedTuple):
    L: Tensor
    info: Tensor


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> _CholeskyEx:
    """``cholesky`` and torch's ``info`` per matrix (0, or the order of the first leading minor
    that is not positive-definite). A failed matrix raises only with ``check_errors``; otherwise
    its L is nan (torch's is LAPACK's partial factor). PyTorch: ``torch.linalg.cholesky_ex``."""
    op = "linalg.cholesky_ex"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    info = _cholesky_info(A.data)
    if not info.any() or check_errors:
        return _CholeskyEx(cholesky(A, upper=upper), _int32(info))
    bad = (info != 0)[..., None, None]
    eye = np.eye(A.shape[-1], dtype=A.data.dtype)
    lower = np.linalg.cholesky(np.where(bad, eye, A.data))
    lower = np.where(bad, np.nan, lower)
    return _CholeskyEx(Tensor._make(np.swapaxes(lower, -1, -2) if upper else lower), _int32(info))


def _factor(L: Tensor, upper: bool) -> Tensor:
    """A = L̃L̃ᵀ (L̃ᵀL̃ if upper) with L̃ the triangle of L in value, and LLᵀ of all of L for
    the gradient (L̄ = (Ā + Āᵀ)L): torch differentiates cholesky_solve and cholesky_inverse as
    functions of the whole of L, entries outside the triangle included."""
    t = L.triu() if upper else L.tril()
    value = t.mT @ t if upper else t @ t.mT
    full = L.mT @ L if upper else L @ L.mT
    return value.detach() + (full - full.detach())


def cholesky_solve(B: Tensor, L: Tensor, upper: bool = False) -> Tensor:
    """X with AX = B for A = LLᵀ (UᵀU if ``upper``), given A's Cholesky factor; batches broadcast.

    Composed as solve(LLᵀ, B): B̄ = A⁻¹Ḡ and L̄ = −(B̄Xᵀ + XB̄ᵀ)L, torch's rule (which does not
    mask L̄ to the triangle). PyTorch: ``torch.cholesky_solve(B, L, upper=False)``.
    """
    op = "cholesky_solve"
    _expect(B, op, "B")
    _expect(L, op, "L")
    n = _square(op, L, "L")
    if B.ndim < 2 or B.shape[-2] != n:
        raise RuntimeError(
            f"{op}: Incompatible matrix sizes: each L matrix is {n} by {n} but each B matrix is "
            + (f"{B.shape[-2]} by {B.shape[-1]}" if B.ndim >= 2 else f"of shape {B.shape}")
        )
    _floating(op, B, L)
    return _solve_matrices(_factor(L, upper), B, op)


def cholesky_inverse(L: Tensor, upper: bool = False) -> Tensor:
    """A⁻¹ for A = LLᵀ (UᵀU if ``upper``), given A's Cholesky factor.

    Composed as inverse(LLᵀ): L̄ = −A⁻¹(Ḡ + Ḡᵀ)A⁻¹L, torch's (unmasked) rule.
    PyTorch: ``torch.cholesky_inverse(L, upper=False)``.
    """
    op = "cholesky_inverse"
    _expect(L, op, "L")
    n = _square(op, L, "L")
    _floating(op, L)
    eye = Tensor._make(np.eye(n, dtype=L.data.dtype))
    return _solve_matrices(_factor(L, upper), eye, op)


# ---------------------------------------------------------------------------------------------
# Determinants.


class _Slogdet(NamedTuple):
    sign: Tensor
    logabsdet: Tensor


def slogdet(A: Tensor) -> _Slogdet:
    """(sign, log |det A|) of (batches of) square matrices, by LU: the log does not overflow
    where det itself would. The sign is piecewise constant (no gradient); log |det A| has
    Ā = ḡA⁻ᵀ (the ``slogdet`` primitive). A singular A gives (0, −∞) and Ā = ḡ·cof A / 0,
    ±inf (torch's signs come from LAPACK's −0 pivot and may be the opposite); a matrix holding
    nan gives nan.
    PyTorch: ``torch.linalg.slogdet(A)``."""
    op = "linalg.slogdet"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    with np.errstate(invalid="ignore"):  # a matrix holding nan
        sign, logabs = np.linalg.slogdet(A.data)
    sign = np.where(np.isnan(logabs), 0.0, sign).astype(A.data.dtype)  # a nan matrix: 0, as torch
    # torch's sign requires grad, with a zero gradient: a constant of A's batch shape
    sign_t = A.sum((-2, -1))._piecewise_constant(sign)
    return _Slogdet(sign_t, _apply(OPS["slogdet"], A))


def logdet(A: Tensor) -> Tensor:
    """log det A: log |det A| where det A > 0, nan where it is negative, −∞ where 0, as torch.
    Ā = ḡA⁻ᵀ, and 0 where det A < 0 (the nan is a constant there, as torch's).
    PyTorch: ``torch.logdet(A)``."""
    sign, logabsdet = slogdet(_expect(A, "logdet"))
    return logabsdet.masked_fill(sign.data < 0, math.nan)


# ---------------------------------------------------------------------------------------------
# Inverse, powers, exponential.


class _InvEx(NamedTuple):
    inverse: Tensor
    info: Tensor


def inv(A: Tensor) -> Tensor:
    """A⁻¹ for (batches of) square matrices: ``Tensor.inverse`` (a primitive, Ā = −A⁻ᵀḠA⁻ᵀ),
    with torch.linalg's errors: a singular A raises ``LinAlgError`` naming the batch element
    and the zero pivot. PyTorch: ``torch.linalg.inv(A)``."""
    op = "linalg.inv"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    try:
        return A.inverse()
    except OpError:
        info = _lu(A.data, pivot=True)[2].reshape(-1)
        index = int(np.flatnonzero(info)[0]) if info.any() else 0
        raise LinAlgError(
            f"{op}: {_element(index, A.ndim > 2)}The diagonal element {info[index]} is zero, the "
            f"inversion could not be completed because the input matrix (of the batch of shape "
            f"{A.shape}) is singular."
        ) from None


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """The tensor X with tensordot(X, A, ind) the identity: A read as a matrix whose rows are
    A's first ``ind`` dims and columns the rest (their products must agree), inverted, and the
    result shaped A.shape[ind:] + A.shape[:ind]. Composed of reshape and ``inv``.
    PyTorch: ``torch.linalg.tensorinv(A, ind=2)``."""
    op = "linalg.tensorinv"
    _expect(A, op)
    if isinstance(ind, bool) or not isinstance(ind, int):
        raise TypeError(f"{op}: argument 'ind' must be int, not {type(ind).__name__}")
    if ind <= 0:
        raise RuntimeError(f"{op}: Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = math.prod(A.shape[:ind]), math.prod(A.shape[ind:])
    if rows != cols:
        raise RuntimeError(
            f"{op}: Expected self to satisfy the requirement prod(self.shape[ind:]) == "
            f"prod(self.shape[:ind]), but got {cols} != {rows} (shape {A.shape}, ind={ind})"
        )
    return inv(A.reshape(rows, cols)).reshape(*A.shape[ind:], *A.shape[:ind])


def tensorsolve(A: Tensor, B: Tensor, dims: Sequence[int] | None = None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B: A's dims in ``dims`` are first moved to the end, then
    A is read as a matrix of B.numel() rows (A's first B.ndim dims) and X.numel() columns (the
    rest, X's shape). Composed of movedim, reshape and ``solve``.
    PyTorch: ``torch.linalg.tensorsolve(A, B, dims=None)``."""
    op = "linalg.tensorsolve"
    _expect(A, op)
    _expect(B, op, "B")
    if dims is not None:
        dims = [A._dim(d, op) for d in dims]
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"{op}: repeated dim in dims {tuple(dims)} (A of shape {A.shape})")
        A = A.movedim(dims, tuple(range(A.ndim - len(dims), A.ndim)))
    rows, cols = math.prod(A.shape[: B.ndim]), math.prod(A.shape[B.ndim :])
    if rows != cols or B.ndim > A.ndim:
        raise RuntimeError(
            f"{op}: Expected A to satisfy the requirement prod(A.shape[B.ndim:]) == "
            f"prod(A.shape[:B.ndim]), but got {cols} != {rows} (shapes {A.shape} and {B.shape})"
        )
    x = _solve(A.reshape(rows, cols), B.reshape(rows), True, op)
    return x.reshape(*A.shape[B.ndim :])


def det(A: Tensor) -> Tensor:
    """det A of (batches of) square matrices: ``Tensor.det`` (a primitive, Ā = ḡ·cof A), with
    torch.linalg's errors. PyTorch: ``torch.linalg.det(A)``."""
    op = "linalg.det"
    _expect(A, op)
    _square(op, A)
    _floating(op, A)
    return A.det()


def inv_ex(A: Tensor, *, check_errors: bool = False) -> _InvEx:
    """``inv`` and torch's ``info`` per matrix (0, or the 1-based index of LU's first zero
    pivot); a singular matrix raises only with ``check_errors``, otherwise its inverse is nan
    (torch's is what LAPACK left). PyTorch: ``torch.linalg.inv_ex``."""
    op = "linalg.inv_ex"
    _expect(A, op)
    n = _square(op, A)
    _floating(op, A)
    # as a batch of matrices (A's shape), or torch's rule could take an n × n B for vectors
    eye = Tensor._make(np.broadcast_to(np.eye(n, dtype=A.data.dtype), A.shape))
    result, info = solve_ex(A, eye, check_errors=check_errors)
    return _InvEx(result, info)


def _identity_like(A: Tensor) -> Tensor:
    """Identity matrices of A's shape and dtype, with torch's zero gradient for A."""
    eye = np.broadcast_to(np.eye(A.shape[-1], dtype=A.data.dtype), A.shape).copy()
    return A._piecewise_constant(eye)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """Aⁿ by repeated squaring (about 2 log₂ n matmuls); A⁰ = I, and A⁻ⁿ = (A⁻¹)ⁿ (a singular A
    then raises). Composed of matmul and inverse. PyTorch: ``torch.linalg.matrix_power(A, n)``."""
    op = "linalg.matrix_power"
    _expect(A, op)
    _square(op, A)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{op}: n must be an int, got {n!r}")
    if n == 0:
        return _identity_like(A)
    given = A
    if n < 0:
        A, n = inv(A), -n
    result: Tensor | None = None
    power = A
    while True:
        if n & 1:
            result = power if result is None else result @ power
        n >>= 1
        if not n:
            break
        power = power @ power
    assert result is not None
    # (A¹ is A itself here: torch's is a new tensor, which an in-place op must not share with A)
    return result.clone() if result is given else result


# Higham (2005), "The scaling and squaring method for the matrix exponential revisited":
# the [13/13] Padé coefficients and the largest ‖A‖₁ for which it is accurate in float64.
_PADE13 = (
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
)
_THETA13 = 5.371920351148152


def matrix_exp(A: Tensor) -> Tensor:
    """eᴬ = Σ Aᵏ/k!, by scaling and squaring: (r₁₃(A/2ˢ))^(2ˢ), r₁₃ = q⁻¹p the [13/13] Padé
    approximant, s the least with ‖A/2ˢ‖₁ ≤ 5.37 (the largest over a batch).

    Composed of matmuls and one ``solve``, so Ā is the derivative of the approximant, which
    approximates the Fréchet derivative as well as r₁₃ approximates eᴬ, and second derivatives
    follow. PyTorch: ``torch.linalg.matrix_exp(A)``.
    """
    op = "linalg.matrix_exp"
    _expect(A, op)
    n = _square(op, A)
    _floating(op, A)
    if A.numel() == 0:
        return A * 1.0
    norm = float(np.abs(A.data).sum(axis=-2).max()) if n else 0.0
    # no scaling for inf or nan entries: the result is nan there, as any method gives
    s = math.ceil(math.log2(norm / _THETA13)) if _THETA13 < norm < math.inf else 0
    x = A * (0.5**s) if s else A
    b = _PADE13
    eye = Tensor._make(np.eye(n, dtype=A.data.dtype))
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (
        x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * eye
    )
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 + b[0] * eye
    r = _solve_matrices(v - u, v + u, op)
    for _ in range(s):
        r = r @ r
    # (solve's rule reads its output: without a squaring, a copy, so that a later in-place
    # change of the result passes backward, as in torch, whose rule reads A only)
    return r.clone() if not s and r.requires_grad else r


# ---------------------------------------------------------------------------------------------
# LU.


def _lu_factor(A: Tensor, op: str) -> tuple[Tensor, np.ndarray, np.ndarray]:
    """(LU packed, pivots, info). The pivots are found in numpy; the rows of A are then put in
    pivot order (a gather) and the ``lu_factor`` primitive factors them without pivoting, so the
    gradient flows to A through both. Gradients need square A, as torch's."""
    _expect(A, op)
    if A.ndim < 2:
        raise RuntimeError(
            f"{op}: The input tensor A must have at least 2 dimensions (shape {A.shape})."
        )
    _floating(op, A)
    _, pivots, info = _lu(A.data, pivot=True)
    if A.numel() == 0:
        return A * 1.0, pivots, info
    perm = _permutation(pivots, A.shape[-2])
    return _apply(OPS["lu_factor"], _rows(A, perm)), pivots, info


class _LuFactor(NamedTuple):
    LU: Tensor
    pivots: Tensor


class _LuFactorEx(NamedTuple):
    LU: Tensor
    pivots: Tensor
    info: Tensor


def _no_pivoting(pivot: bool, op: str) -> None:
    if not pivot:
        raise NotImplementedError(f"{op}: LU without pivoting is not implemented (pivot=False)")


def lu_factor(A: Tensor, *, pivot: bool = True) -> _LuFactor:
    """A = PLU, packed as LAPACK does (L below the diagonal, its unit diagonal implied; U on and
    above), with ``pivots``: row i was swapped with row pivots[i] (1-based, int32).

    Ā: with L̄ = tril(Ḡ, −1), Ū = triu(Ḡ), Ā = P L⁻ᵀ (tril(LᵀL̄, −1) + triu(ŪUᵀ)) U⁻ᵀ (the
    ``lu_factor`` primitive; wide and tall A have torch's rules too). A zero pivot (singular
    A) raises, as torch's. A nan is a pivot only where it comes first in its column (LAPACK's
    idamax, as torch's for matrices of up to 16 rows and columns; its OpenBLAS picks the first
    nan in larger ones).
    PyTorch: ``torch.linalg.lu_factor(A, pivot=True)``.
    """
    op = "linalg.lu_factor"
    _no_pivoting(pivot, op)
    lu, pivots, info = _lu_factor(A, op)
    if info.any():
        index = int(np.flatnonzero(info.reshape(-1))[0])
        k = int(info.reshape(-1)[index])
        raise LinAlgError(
            f"torch.linalg.lu_factor: {_element(index, A.ndim > 2)}U[{k},{k}] is zero and using "
            f"it on lu_solve would result in a division by zero (batch of shape {A.shape}). "
            "If you still want to perform the factorization, consider calling "
            "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
        )
    return _LuFactor(lu, _int32(pivots))


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> _LuFactorEx:
    """``lu_factor`` and ``info`` per matrix (0, or the 1-based index of the first zero pivot:
    the factorization is still complete, U is singular). PyTorch: ``torch.linalg.lu_factor_ex``."""
    op = "linalg.lu_factor_ex"
    _no_pivoting(pivot, op)
    lu, pivots, info = _lu_factor(A, op)
    if check_errors and info.any():
        raise LinAlgError(f"{op}: the factorization found a zero pivot (U is singular)")
    return _LuFactorEx(lu, _int32(pivots), _int32(info))


class _LuWithInfo(NamedTuple):  # torch.return_types._lu_with_info
    LU: Tensor
    pivots: Tensor
    info: Tensor


def old_lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """``torch.lu``, deprecated there (with a warning, once) for ``linalg.lu_factor`` and
    ``linalg.lu_factor_ex``: (LU, pivots) packed as ``lu_factor``'s, and with ``get_infos``
    the ``info`` per matrix as well. As torch's, a singular A is not refused: U has a zero
    pivot, and info says where."""
    _deprecated(
        "lu",
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / "
        "torch.linalg.lu_factor_ex and will be removed in a future PyTorch release (torch's "
        "warning): LU, pivots = lu(A) is linalg.lu_factor(A), and LU, pivots, info = "
        "lu(A, get_infos=True) is linalg.lu_factor_ex(A)",
    )
    _expect(A, "lu", "A")
    factored = lu_factor_ex(A, pivot=pivot)
    if get_infos:
        return _LuWithInfo(*factored)
    return factored.LU, factored.pivots


def old_lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """``torch.lu_solve``, deprecated there (with a warning, once) for ``linalg.lu_solve``,
    whose arguments come in the other order: X with AX = b for A = PLU given by ``lu``."""
    _deprecated(
        "lu_solve",
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solve and will be removed in "
        "a future PyTorch release (torch's warning). Note that torch.linalg.lu_solve has its "
        "arguments reversed: X = lu_solve(B, LU, pivots) is linalg.lu_solve(LU, pivots, B)",
    )
    _expect(b, "lu_solve", "b")
    return lu_solve(LU_data, LU_pivots, b)


class _Lu(NamedTuple):
    P: Tensor
    L: Tensor
    U: Tensor


def _unpack(lu: Tensor) -> tuple[Tensor, Tensor]:
    """L (unit lower triangular, m × k) and U (upper triangular, k × n) from LU packed."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    eye = Tensor._make(np.eye(m, k, dtype=lu.data.dtype))
    lower = lu[..., :, :k].tril(-1) + eye
    return lower, lu[..., :k, :].triu()


def _permutation_matrix(pivots: np.ndarray, m: int, dtype: Any) -> np.ndarray:
    perm = _permutation(pivots, m)
    p = np.zeros((*perm.shape, m), dtype=dtype)
    np.put_along_axis(p, perm[..., None, :], 1, axis=-2)  # P[perm[i], i] = 1: A = PLU
    return p


def lu(A: Tensor, *, pivot: bool = True) -> _Lu:
    """(P, L, U) with A = PLU: P a permutation matrix, L unit lower triangular (m × k), U upper
    triangular (k × n), k = min(m, n). Composed of ``lu_factor``.
    PyTorch: ``torch.linalg.lu(A, pivot=True)``."""
    op = "linalg.lu"
    _no_pivoting(pivot, op)
    packed, pivots, _ = _lu_factor(A, op)
    lower, upper = _unpack(packed)
    p = _permutation_matrix(pivots, A.shape[-2], A.data.dtype)
    return _Lu(Tensor._make(p), lower, upper)


def lu_unpack(
    LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True
) -> _Lu:
    """(P, L, U) from ``lu_factor``'s packed LU and pivots; a part not asked for is an empty
    tensor, as torch's. L and U are triangles of LU (tril/triu), so LU̅ collects their
    gradients. PyTorch: ``torch.lu_unpack(LU_data, LU_pivots, unpack_data, unpack_pivots)``."""
    op = "lu_unpack"
    _expect(LU_data, op, "LU_data")
    _expect(LU_pivots, op, "LU_pivots")
    if LU_data.ndim < 2:
        raise RuntimeError(f"{op}: LU_data must have at least 2 dimensions (shape {LU_data.shape})")
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    if LU_pivots.data.dtype != np.int32 or LU_pivots.shape != (*LU_data.shape[:-2], k):
        raise RuntimeError(
            f"{op}: LU_pivots must be int32 of shape {(*LU_data.shape[:-2], k)} (LU_data's "
            f"batch and min(m, n)), got {LU_pivots.dtype} of shape {LU_pivots.shape}"
        )
    if np.any((LU_pivots.data < 1) | (LU_pivots.data > m)):
        raise RuntimeError(f"{op}: pivots must be between 1 and {m}")
    empty = Tensor._make(np.zeros(0, dtype=LU_data.data.dtype))
    lower, upper = _unpack(LU_data) if unpack_data else (empty, empty)
    if not unpack_pivots:
        return _Lu(empty, lower, upper)
    p = _permutation_matrix(LU_pivots.data, m, LU_data.data.dtype)
    return _Lu(Tensor._make(p), lower, upper)


def lu_solve(
    LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False
) -> Tensor:
    """X with AX = B (XA = B if not ``left``; Aᵀ for A if ``adjoint``), A = PLU given by
    ``lu_factor``. Composed of row gathers and triangular solves (masked ``solve``), so LU̅ is
    masked to the triangles as torch's. PyTorch: ``torch.linalg.lu_solve``."""
    op = "linalg.lu_solve"
    _expect(LU, op, "LU")
    _expect(pivots, op, "pivots")
    _expect(B, op, "B")
    n = _square(op, LU, "LU")
    if B.ndim < 2:
        raise RuntimeError(
            f"{op}: The input tensor B must have at least 2 dimensions (shape {B.shape})."
        )
    _floating(op, LU, B)
    if pivots.data.dtype != np.int32 or pivots.shape != (*LU.shape[:-2], n):
        raise RuntimeError(
            f"{op}: pivots must be int32 of shape {(*LU.shape[:-2], n)} (LU's batch and n), "
            f"as lu_factor gives them, got {pivots.dtype} of shape {pivots.shape}"
        )
    if np.any((pivots.data < 1) | (pivots.data > n)):
        raise RuntimeError(f"{op}: pivots must be between 1 and {n}")
    if B.shape[-2 if left else -1] != n:
        raise RuntimeError(
            f"{op}: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]}; "
            f"shapes {LU.shape} and {B.shape})"
        )
    if not left:  # XA = B is AᵀXᵀ = Bᵀ (and XAᵀ = B is AXᵀ = Bᵀ)
        return lu_solve(LU, pivots, B.mT, adjoint=not adjoint).mT
    lower, upper = _unpack(LU)
    perm = _permutation(pivots.data, n)
    if not adjoint:  # X = U⁻¹L⁻¹PᵀB
        return _solve_matrices(upper, _solve_matrices(lower, _rows(B, perm), op), op)
    # X = PL⁻ᵀU⁻ᵀB: the rows of L⁻ᵀU⁻ᵀB put back where the permutation took them from
    y = _solve_matrices(lower.mT, _solve_matrices(upper.mT, B, op), op)
    return _rows(y, np.argsort(perm, axis=-1))


# ---------------------------------------------------------------------------------------------
# Norms.


def _cast(x: Tensor, dtype: Any, op: str) -> Tensor:
    if dtype is None:
        return x
    target = x.to(dtype)
    if target.data.dtype.kind != "f":
        raise RuntimeError(f"{op}: dtype should be floating point, got {target.dtype}")
    if not np.can_cast(x.data.dtype, target.data.dtype, "safe"):
        raise RuntimeError(
            f"{op}: the dtype of the input ({x.dtype}) should be convertible without narrowing "
            f"to the specified dtype ({target.dtype})"
        )
    return target


def vector_norm(
    x: Tensor,
    ord: float = 2,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """(Σ |xᵢ|^ord)^(1/ord) over ``dim`` (every element if None); ord = ±∞ is max/min |xᵢ|,
    ord = 0 counts nonzeros. ``dtype`` casts x first. Composed (``Tensor.norm``): x̄ = ḡ·x/‖x‖
    for ord 2 (0 at x = 0, as torch). PyTorch: ``torch.linalg.vector_norm``."""
    op = "linalg.vector_norm"
    _expect(x, op, "x")
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise TypeError(f"{op}: argument 'ord' must be a number, not {type(ord).__name__}")
    x = _cast(x, dtype, op)
    _floating(op, x)
    if isinstance(dim, int):
        dim = (dim,)
    return x.norm(float(ord), dim, keepdim)


def matrix_norm(
    A: Tensor,
    ord: float | str = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """The matrix norm of the matrices in ``dim``: 'fro' (√Σ aᵢⱼ²), 1 / −1 (max / min over
    columns of Σᵢ |aᵢⱼ|), ∞ / −∞ (max / min over rows of Σⱼ |aᵢⱼ|), 2 / −2 (the largest /
    smallest singular value σ₁ / σₖ) and 'nuc' (Σ σᵢ). Composed of abs, sum and amax/amin, or
    of ``svdvals`` (Ā = U diag(σ̄) Vᵀ, defined at repeated singular values too), as torch's:
    ties share the gradient. PyTorch: ``torch.linalg.matrix_norm``.
    """
    op = "linalg.matrix_norm"
    _expect(A, op)
    if A.ndim < 2:
        raise RuntimeError(
            f"{op}: The input tensor A must have at least 2 dimensions (shape {A.shape})."
        )
    if isinstance(dim, int) or len(dim) != 2:
        raise RuntimeError(f"{op}: dim must be a 2-tuple. Got {dim}")
    d0, d1 = (A._dim(d, op) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"{op}: dims must be different. Got ({d0}, {d1})")
    A = _cast(A, dtype, op)
    _floating(op, A)
    if isinstance(ord, str):
        if ord == "fro":
            return A.norm(2.0, (d0, d1), keepdim)
        if ord == "nuc":
            return _spectral_norm(A, ord, d0, d1, keepdim)
        raise RuntimeError(f"{op}: Order {ord} not supported.")
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"{op}: ord must be a number or 'fro' or 'nuc', got {ord!r}")
    if ord in (2, -2):
        return _spectral_norm(A, ord, d0, d1, keepdim)
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"{op}: Order {ord} not supported.")
    sum_dim, max_dim = (d0, d1) if abs(ord) == 1 else (d1, d0)
    sums = A.abs().sum(sum_dim, keepdim=True)
    if A.shape[max_dim] == 0 and ord < 0:  # a min of nothing: refused, as torch
        raise IndexError(
            f"{op}: ord={ord} takes a min over dim {max_dim - A.ndim}, which is empty "
            f"(shape {A.shape}); expected reduction dim to have non-zero size"
        )
    if A.shape[max_dim] == 0:  # no rows (columns) to take the max of: 0, as torch
        return A.abs().sum((d0, d1), keepdim)
    out = sums.amax(max_dim, keepdim=True) if ord > 0 else sums.amin(max_dim, keepdim=True)
    return out if keepdim else out.squeeze((d0, d1))


def _spectral_norm(A: Tensor, ord: float | str, d0: int, d1: int, keepdim: bool) -> Tensor:
    """σ₁ (ord 2), σₖ (−2) or Σσᵢ ('nuc') of the matrices in dims (d0, d1), from svdvals."""
    values = svdvals(A.movedim((d0, d1), (-2, -1)))
    if ord == "nuc" or (ord == 2 and values.shape[-1] == 0):  # torch: 0 for empty matrices
        out = values.sum(-1)
    elif values.shape[-1] == 0:
        raise IndexError(
            f"linalg.matrix_norm: ord=-2 of empty matrices (shape {A.shape}): there is no "
            "singular value to take the min of"
        )
    else:
        out = values.amax(-1) if ord == 2 else values.amin(-1)
    if keepdim:
        for d in sorted((d0, d1)):
            out = out.unsqueeze(d)
    return out


def norm(
    A: Tensor,
    ord: float | str | None = None,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """A vector norm or a matrix norm, as torch decides: over ``dim`` if given (one dim: vector,
    two: matrix); else, with ``ord``, A must be 1-D (vector) or 2-D (matrix); with neither, the
    2-norm of all elements. PyTorch: ``torch.linalg.norm(A, ord=None, dim=None, keepdim=False)``.
    """
    op = "linalg.norm"
    _expect(A, op)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None:
        dim = tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(f"{op}: If dim is specified, it must be of length 1 or 2. Got {dim}")
    elif ord is not None:
        if A.ndim not in (1, 2):
            raise RuntimeError(
                f"{op}: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {A.ndim}D (shape {A.shape})."
            )
        dim = tuple(range(A.ndim))
    if dim is not None and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"{op}: ord={ord!r} is a matrix norm: dim must have 2 dims, got {dim}")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Products and the rest.


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices, multiplied in the order that costs the fewest scalar
    multiplications (the textbook dynamic program over split points); the first may be a row
    vector (1-D) and the last a column vector (1-D). PyTorch: ``torch.linalg.multi_dot``."""
    op = "multi_dot()"
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"{op}: expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        _expect(t, op, f"tensor {i}")
        last = i in (0, len(tensors) - 1)
        if t.ndim != 2 and not (last and t.ndim == 1):
            raise RuntimeError(
                f"{op}: tensor {i} must be 2D"
                + (" or 1D" if last else "")
                + f" but got {t.ndim}D (shape {t.shape})"
            )
    if len({t.data.dtype for t in tensors}) > 1:
        raise RuntimeError(
            f"{op}: all tensors must have the same dtype, got "
            + ", ".join(str(t.dtype) for t in tensors)
        )
    first_vector, last_vector = tensors[0].ndim == 1, tensors[-1].ndim == 1
    mats = list(tensors)
    if first_vector:
        mats[0] = mats[0].unsqueeze(0)
    if last_vector:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i in range(len(mats) - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(
                f"{op}: tensors {i} and {i + 1} with shapes {tensors[i].shape} and "
                f"{tensors[i + 1].shape} cannot be multiplied"
            )
    dims = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    k = len(mats)
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(1, k):
        for i in range(k - length):
            j = i + length
            cost[i][j], split[i][j] = min(
                (cost[i][s] + cost[s + 1][j] + dims[i] * dims[s + 1] * dims[j + 1], s)
                for s in range(i, j)
            )

    def product(i: int, j: int) -> Tensor:
        if i == j:
            return mats[i]
        s = split[i][j]
        return product(i, s) @ product(s + 1, j)

    out = product(0, k - 1)
    if first_vector:
        out = out.squeeze(0)
    if last_vector:
        out = out.squeeze(-1)
    return out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σᵢ xᵢyᵢ along ``dim``, x and y broadcast (real tensors: no conjugation needed).
    PyTorch: ``torch.linalg.vecdot(x, y, dim=-1)``."""
    op = "linalg.vecdot"
    _expect(x, op, "x")
    _expect(y, op, "y")
    _floating(op, x, y)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise RuntimeError(f"{op}: shapes {x.shape} and {y.shape} do not broadcast") from None
    # (two 0-d tensors: x·y, torch's sum over the dim -1 or 0 of a 0-d product)
    return (x * y).sum(dim)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (default the last), batches broadcast.
    PyTorch: ``torch.linalg.cross(input, other, dim=-1)``."""
    _expect(input, "linalg.cross", "input")
    return input.cross(other, dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of the matrices in dims (dim1, dim2) (``torch.linalg.diagonal``: the
    defaults of torch.diagonal changed to the last two dims)."""
    _expect(A, "linalg.diagonal")
    return A.diagonal(offset, dim1, dim2)


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """The Vandermonde matrices [1, x, x², …, x^(N−1)] along a new last dim (N defaults to the
    size of x's last dim). Composed of products, so exact at x = 0 for the gradient too.
    PyTorch: ``torch.linalg.vander(x, N=None)``."""
    op = "linalg.vander"
    _expect(x, op, "x")
    if x.ndim < 1:
        raise RuntimeError(f"{op}: x must have at least one dimension (shape {x.shape})")
    if x.data.dtype.kind == "b":
        raise RuntimeError(
            f"{op}: supports floating point and integer tensors, but got bool (shape {x.shape})"
        )
    n = x.shape[-1] if N is None else N
    if isinstance(n, bool) or not isinstance(n, int) or n <= 1:
        raise RuntimeError(f"{op}: N must be greater than 1, got {N!r} (x of shape {x.shape})")
    powers = [x._piecewise_constant(np.ones(x.shape, dtype=x.data.dtype)), x]
    while len(powers) < n:
        powers.append(powers[-1] * x)
    return stack(powers, -1)
