"""Helpers shared by the distributions: parameters broadcast together, probabilities ↔ logits,
and the lazily computed parameter (a Categorical given logits computes its probs once, when
first read).

PyTorch equivalent: ``torch.distributions.utils``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Generic, TypeVar, overload

import numpy as np

from .._dtypes import finfo
from .._namespace import broadcast_tensors
from ..grad_mode import enable_grad
from ..tensor import Tensor, cat, get_default_dtype, tensor, zeros

__all__ = [
    "broadcast_all",
    "clamp_probs",
    "lazy_property",
    "logits_to_probs",
    "probs_to_logits",
    "tril_matrix_to_vec",
    "vec_to_tril_matrix",
]

_NUMBER = (bool, int, float)  # torch's Number: a numpy float64 is a float, a numpy int is not


def broadcast_all(*values: Tensor | float) -> tuple[Tensor, ...]:
    """The parameters as Tensors of one broadcast shape (``broadcast_all``). Numbers become
    Tensors of the first Tensor's dtype, or of the default dtype if there is none."""
    if not all(isinstance(v, (Tensor, *_NUMBER)) for v in values):
        raise ValueError(
            "Input arguments must all be instances of Number or Tensor, got "
            f"{', '.join(type(v).__name__ for v in values)}"
        )
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)), get_default_dtype())
    tensors = [v if isinstance(v, Tensor) else tensor(v, dtype=dtype) for v in values]
    return tuple(broadcast_tensors(*tensors))


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """softmax(logits) over the last dim, or sigmoid(logits) for a binary variable."""
    return logits.sigmoid() if is_binary else logits.softmax(-1)


def clamp_probs(probs: Tensor) -> Tensor:
    """probs clamped into [ε, 1 − ε] (ε the dtype's machine epsilon), so their logs are finite."""
    eps = finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p (the logits of a categorical, normalised), or log p − log(1 − p) for a binary one;
    p is clamped away from 0 and 1 first."""
    p = clamp_probs(probs)
    return p.log() - (-p).log1p() if is_binary else p.log()


T = TypeVar("T")
R = TypeVar("R")


class lazy_property(Generic[T, R]):
    """A parameter computed from another the first time it is read, then kept in the instance's
    ``__dict__`` (where an explicitly given parameter also lives, which is how a distribution
    tells given from derived). Computed with grad enabled, so it stays differentiable even when
    first read under ``no_grad`` (``sample`` reads ``probs`` there)."""

    def __init__(self, wrapped: Callable[[T], R]) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    @overload
    def __get__(self, instance: None, owner: Any = None) -> lazy_property[T, R]: ...
    @overload
    def __get__(self, instance: T, owner: Any = None) -> R: ...
    def __get__(self, instance: T | None, owner: Any = None) -> R | lazy_property[T, R]:
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        instance.__dict__[self.wrapped.__name__] = value
        return value


def _sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """``value`` summed over its ``dim`` rightmost dims (one number per event of that many
    dims); ``value`` itself for ``dim = 0``."""
    if dim == 0:
        return value
    return value.reshape((*value.shape[: value.dim() - dim], -1)).sum(-1)


def _tril_positions(n: int, diag: int) -> np.ndarray:
    """The flat indices (row-major) of the entries of an n × n matrix on or below diagonal
    ``diag``, in row order."""
    rows, cols = np.nonzero(np.arange(n) < np.arange(n).reshape(-1, 1) + (diag + 1))
    return rows * n + cols


def tril_matrix_to_vec(mat: Tensor, diag: int = 0) -> Tensor:
    """The entries of ``mat`` (…, n, n) on or below diagonal ``diag``, in row order, as the
    last dim (``torch.distributions.utils.tril_matrix_to_vec``)."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    flat = mat.reshape((*mat.shape[:-2], n * n))
    return flat[..., _tril_positions(n, diag)]


def vec_to_tril_matrix(vec: Tensor, diag: int = 0) -> Tensor:
    """The inverse of ``tril_matrix_to_vec``: an (…, n, n) matrix with ``vec``'s entries on or
    below diagonal ``diag`` in row order and zeros elsewhere (differentiable: a gather)."""
    # n is the positive root of n² + (1 + 2·diag)n − |diag|(diag + 1) − 2·len(vec) = 0
    b = 1 + 2 * diag
    root = (-b + (b**2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(root) - root > finfo(vec.dtype).eps:
        raise ValueError(
            f"The size of last dimension is {vec.shape[-1]} which cannot be expressed as "
            "the lower triangular part of a square D x D matrix."
        )
    n = round(root)
    index = np.zeros(n * n, dtype=np.int64)  # position 0 of the padded vector is the zero
    index[_tril_positions(n, diag)] = np.arange(1, vec.shape[-1] + 1)
    padded = cat([zeros((*vec.shape[:-1], 1), dtype=vec.dtype), vec], -1)
    return padded[..., index].reshape((*vec.shape[:-1], n, n))
