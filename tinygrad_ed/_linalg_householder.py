"""Householder reflectors, as LAPACK stores a QR factorization: ``geqrf`` (the factorization),
``linalg.householder_product`` / ``orgqr`` (Q from the reflectors) and ``ormqr`` (Q times a
matrix without forming Q).

``geqrf`` packs A = QR into one matrix: R on and above the diagonal, and below it the
reflectors' vectors vᵢ (vᵢ[i] = 1 implied, vᵢ[:i] = 0), with their scales τᵢ alongside:

    Q = H₁ H₂ ⋯ H_k,    Hᵢ = I − τᵢ vᵢ vᵢᵀ.

The products here are composed of Tensor ops (each reflector applied as C − τ v (vᵀC), never
forming an m × m matrix), so their gradients, with respect to the vectors below the diagonal
and to τ, come from rules already checked, as torch's. ``geqrf`` itself is LAPACK's (numpy's
``qr(mode='raw')``); torch has no derivative for it, and neither has this.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._autograd_function import Function, FunctionCtx
from .tensor import Tensor, _expect_tensor


class GeqrfResult(NamedTuple):
    """``(a, tau)`` of ``geqrf`` (torch's ``return_types.geqrf``)."""

    a: Tensor
    tau: Tensor


def _floating(op: str, **tensors: Tensor) -> None:
    """Float tensors of one dtype, else torch's errors naming the arguments."""
    (first, x), *rest = tensors.items()
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f'"{op}" not implemented for {x.dtype} (shape {x.shape})')
    for name, y in rest:
        if y.data.dtype != x.data.dtype:
            raise RuntimeError(
                f"{op}: Expected {first} and {name} to have the same dtype, but {first} has "
                f"dtype {x.dtype} and {name} has dtype {y.dtype}"
            )


def _matrices(op: str, x: Tensor, name: str) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{op}: {name} must have at least 2 dimensions (shape {x.shape}).")


class Geqrf(Function):
    """LAPACK's geqrf; backward raises as torch's ``GeqrfBackward0``."""

    @staticmethod
    def forward(ctx: FunctionCtx, A: Tensor) -> Any:
        h, tau = np.linalg.qr(A.data, mode="raw")  # LAPACK's column-major output, transposed
        return Tensor._make(np.ascontiguousarray(np.swapaxes(h, -1, -2))), Tensor._make(tau)

    @staticmethod
    def backward(ctx: FunctionCtx, *grads: Any) -> Any:
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


def geqrf(input: Tensor) -> GeqrfResult:
    """(a, tau): LAPACK's QR factorization packed (see the module docstring): R on and above the
    diagonal of ``a``, the reflectors below it, their scales in ``tau`` (k = min(m, n) of them).
    Not differentiable: backward through it raises, as torch's. PyTorch: ``torch.geqrf``."""
    op = "torch.geqrf"
    _expect_tensor(input, "geqrf", "input")
    _matrices(op, input, "input")
    _floating("geqrf_cpu", input=input)
    if input.numel() == 0:  # LAPACK is not called: an empty τ, as torch's
        k = min(input.shape[-2:])
        tau = np.zeros((*input.shape[:-2], k), dtype=input.data.dtype)
        return GeqrfResult(input.detach().clone(), Tensor._make(tau))
    a, tau = Geqrf.apply(input)
    return GeqrfResult(a, tau)


def _reflectors(A: Tensor, k: int) -> Tensor:
    """V (m × k): column i is vᵢ, A's column i below the diagonal with 1 on it."""
    eye = Tensor._make(np.eye(A.shape[-2], k, dtype=A.data.dtype))
    return A[..., :, :k].tril(-1) + eye


def _apply_reflectors(V: Tensor, tau: Tensor, C: Tensor, left: bool, transpose: bool) -> Tensor:
    """QC (Qᵀ C if ``transpose``; C Q, C Qᵀ if not ``left``) with Q = H₁ ⋯ H_k, each Hᵢ
    applied as C − τᵢ vᵢ (vᵢᵀ C) (C − τᵢ (C vᵢ) vᵢᵀ from the right)."""
    k = tau.shape[-1]
    # QC = H₁(⋯(H_k C)) applies H_k first; QᵀC = H_k ⋯ H₁ C applies H₁ first; from the right
    # C Q = ((C H₁) ⋯) H_k applies H₁ first.
    first_is_last = left != transpose
    for i in reversed(range(k)) if first_is_last else range(k):
        v = V[..., :, i : i + 1]  # (…, m, 1)
        t = tau[..., i : i + 1].unsqueeze(-1)  # (…, 1, 1)
        C = C - (t * v) @ (v.mT @ C) if left else C - (C @ v) @ (t * v.mT)
    return C


class NoReflectors(Function):
    """No reflectors (an empty τ): Q = I, so out = C; C̄ = g, and no gradient (None, as
    torch's) for the reflectors and τ, which out does not depend on. A node all the same, as
    torch's: out requires grad when any argument does."""

    @staticmethod
    def forward(ctx: Any, A: Tensor, tau: Tensor, C: Tensor) -> Any:
        ctx.like = C.data  # (for jvp: the output's shape and dtype)
        return Tensor._make(C.data.copy())

    @staticmethod
    def backward(ctx: FunctionCtx, *grads: Any) -> Any:
        return None, None, grads[0]

    @staticmethod
    def jvp(ctx: Any, *tangents: Any) -> Any:
        """ȯ = Ċ: out does not move with the reflectors or τ (zero where C has no tangent, as
        the identity it is here)."""
        dC = tangents[2]
        return Tensor._make(np.zeros_like(ctx.like)) if dC is None else dC


def householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """The first n columns of Q = H₁ ⋯ H_k, Hᵢ = I − τᵢ vᵢ vᵢᵀ with vᵢ column i of A below the
    diagonal (1 on it): Q's columns from ``geqrf``'s output. A is (…, m, n) with m ≥ n ≥ k.

    Composed: Q = H₁(H₂(⋯ H_k I_{m×n})), so Ā (below the diagonal of A's first k columns; 0
    elsewhere, as torch's) and τ̄ come from matmul's rules.
    PyTorch: ``torch.linalg.householder_product(A, tau)`` (= ``torch.orgqr``)."""
    op = "torch.linalg.householder_product"
    _expect_tensor(A, "linalg.householder_product", "A")
    _expect_tensor(tau, "linalg.householder_product", "tau")
    _matrices(op, A, "input")
    m, n = A.shape[-2:]
    k = tau.shape[-1] if tau.ndim else -1
    if m < n:
        raise RuntimeError(
            f"{op}: input.shape[-2] must be greater than or equal to input.shape[-1] (shape "
            f"{A.shape})"
        )
    if n < k:
        raise RuntimeError(
            f"{op}: input.shape[-1] must be greater than or equal to tau.shape[-1] (shapes "
            f"{A.shape} and {tau.shape})"
        )
    if tau.ndim != A.ndim - 1 or tau.shape[:-1] != A.shape[:-2]:
        raise RuntimeError(
            f"{op}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
            f"tau of shape {tau.shape} for input of shape {A.shape}"
        )
    if A.data.dtype.kind != "f":
        raise NotImplementedError(f'"orgqr_cpu" not implemented for {A.dtype}')
    if tau.data.dtype != A.data.dtype:
        raise RuntimeError(f"{op}: tau dtype {tau.dtype} does not match input dtype {A.dtype}")
    eye = Tensor._make(np.broadcast_to(np.eye(m, n, dtype=A.data.dtype), A.shape).copy())
    if k == 0:
        return NoReflectors.apply(A, tau, eye)  # type: ignore[no-any-return]
    return _apply_reflectors(_reflectors(A, k), tau, eye, left=True, transpose=False)


def orgqr(input: Tensor, tau: Tensor) -> Tensor:
    """``torch.orgqr``: see ``linalg.householder_product``."""
    return householder_product(input, tau)


def ormqr(
    input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False
) -> Tensor:
    """Q·C (Qᵀ·C if ``transpose``; C·Q or C·Qᵀ if not ``left``) for C = ``other`` and the m × m
    matrix Q = H₁ ⋯ H_k of the reflectors in ``input`` (…, m, n) and ``tau`` (k = min(m, n)
    of the side Q multiplies), without forming Q. Composed, so differentiable in all three
    arguments, as torch's. PyTorch: ``torch.ormqr(input, tau, other, left, transpose)``."""
    op = "torch.ormqr"
    for x, name in ((input, "input"), (tau, "tau"), (other, "other")):
        _expect_tensor(x, "ormqr", name)
    _matrices(op, input, "input")
    _matrices(op, other, "other")
    if tau.ndim != input.ndim - 1:
        raise RuntimeError(
            f"{op}: Expected tau to have one dimension less than input, but got tau.ndim equal "
            f"to {tau.ndim} and input.ndim is equal to {input.ndim}"
        )
    if other.ndim != input.ndim:
        raise RuntimeError(
            f"{op}: Expected other to have the same number of dimensions as input, but got "
            f"other.ndim equal to {other.ndim} and input.ndim is equal to {input.ndim}"
        )
    m = input.shape[-2]
    side = -2 if left else -1
    if other.shape[side] != m:
        raise RuntimeError(
            f"{op}: other.shape[{side}] must be equal to input.shape[-2] (shapes "
            f"{input.shape} and {other.shape}, left={left})"
        )
    if tau.shape[-1] != min(other.shape[side], input.shape[-1]):
        raise RuntimeError(
            f"{op}: tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1]) "
            f"(shapes {input.shape}, {tau.shape} and {other.shape})"
        )
    if not input.shape[:-2] == tau.shape[:-1] == other.shape[:-2]:
        raise RuntimeError(
            f"{op}: Expected batch dimensions of input, tau and other to be equal, but got "
            f"shapes {input.shape}, {tau.shape} and {other.shape}"
        )
    _floating("ormqr_cpu", input=input, tau=tau, other=other)
    if tau.shape[-1] == 0:
        return NoReflectors.apply(input, tau, other)  # type: ignore[no-any-return]
    V = _reflectors(input, tau.shape[-1])
    return _apply_reflectors(V, tau, other, left=left, transpose=transpose)


__all__ = ["GeqrfResult", "geqrf", "householder_product", "orgqr", "ormqr"]
