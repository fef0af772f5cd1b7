"""torch's functions that build one tensor out of several, or index sets out of sizes.

Each is composed of ops with their own rules (cat, reshape, indexing, norm), so gradients
come for free: stacks (``hstack``, ``vstack``, ``dstack``, ``column_stack``, ``row_stack``,
``atleast_1d/2d/3d``), ``block_diag``, ``cartesian_prod``, ``combinations``, ``cdist``, and the
index functions ``tril_indices``, ``triu_indices``, ``searchsorted`` and ``bucketize`` (no grad).
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from .tensor import Tensor, _check_dtype, _expect_tensor, _number_arg, cat, stack, zeros


def _tensors(tensors: Any, op: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{op}(): expected a sequence of Tensors, got {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{op}(): expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        _expect_tensor(t, op, f"tensors[{i}]")
    return list(tensors)


def _atleast(tensors: tuple[Any, ...], ndim: int, op: str) -> Any:
    """One tensor for one, a tuple for several or for a list (as torch)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(_at_least(t, ndim, op) for t in tensors[0])
    out = tuple(_at_least(t, ndim, op) for t in tensors)
    return out[0] if len(out) == 1 else out


def _at_least(x: Any, ndim: int, op: str) -> Tensor:
    _expect_tensor(x, op)
    t: Tensor = x
    if t.ndim >= ndim:
        return t
    if ndim == 1 or t.ndim == 0:
        return t.reshape((1,) * ndim)
    if ndim == 2 or t.ndim == 2:  # a vector is a row; a matrix gets a trailing dim
        return t.unsqueeze(0) if t.ndim == 1 and ndim == 2 else t.unsqueeze(-1)
    return t.reshape(1, t.shape[0], 1)  # a vector to (1, n, 1), as numpy and torch


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (a 0-d one as shape (1,)) (``torch.atleast_1d``)."""
    return _atleast(tensors, 1, "atleast_1d")


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims: a vector becomes a row (``torch.atleast_2d``)."""
    return _atleast(tensors, 2, "atleast_2d")


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims: (n,) → (1, n, 1), (m, n) → (m, n, 1)
    (``torch.atleast_3d``)."""
    return _atleast(tensors, 3, "atleast_3d")


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Joined column-wise: along dim 1, or dim 0 for vectors (``torch.hstack``)."""
    ts = [_at_least(t, 1, "hstack") for t in _tensors(tensors, "hstack")]
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Joined row-wise along dim 0, vectors as rows (``torch.vstack``)."""
    return cat([_at_least(t, 2, "vstack") for t in _tensors(tensors, "vstack")], 0)


row_stack = vstack


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Joined depth-wise along dim 2, after ``atleast_3d`` (``torch.dstack``)."""
    return cat([_at_least(t, 3, "dstack") for t in _tensors(tensors, "dstack")], 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Vectors (and 0-d tensors) as columns, joined with matrices along dim 1
    (``torch.column_stack``)."""
    ts = _tensors(tensors, "column_stack")
    return hstack([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in ts])


def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors as blocks down the diagonal of one matrix, zeros elsewhere
    (``torch.block_diag``); a 0-d tensor is a 1×1 block and a vector a 1×n one."""
    blocks = []
    for i, t in enumerate(tensors):
        _expect_tensor(t, "block_diag", f"tensors[{i}]")
        if t.ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                f"{t.ndim} dimensions (shape {t.shape})"
            )
        blocks.append(t.reshape(1, -1) if t.ndim == 1 else t.reshape(1, 1) if t.ndim == 0 else t)
    if not blocks:
        return zeros(1, 0)  # in the default dtype, as torch
    dtype = np.result_type(*[b.data for b in blocks])
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        r, c = b.shape
        parts = [Tensor(np.zeros((r, left), dtype)), b.to(dtype)]
        parts.append(Tensor(np.zeros((r, width - left - c), dtype)))
        rows.append(cat(parts, 1))
        left += c
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every tuple (a, b, …) of one element from each 1-D tensor, in row-major order, as the
    rows of a matrix (``torch.cartesian_prod``; one tensor is returned as it is)."""
    for i, t in enumerate(tensors):
        _expect_tensor(t, "cartesian_prod", f"tensors[{i}]")
        if t.ndim != 1:
            raise RuntimeError(
                f"cartesian_prod(): expect a 1D vector, but got shape {t.shape} for tensor {i}"
            )
    if not tensors:
        raise RuntimeError("cartesian_prod(): expects a non-empty TensorList")
    if len(tensors) == 1:
        return tensors[0]
    grids = np.meshgrid(*[np.arange(t.shape[0]) for t in tensors], indexing="ij")
    return stack([t[g.reshape(-1)] for t, g in zip(tensors, grids)], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Every length-``r`` combination of the elements of a 1-D tensor, as rows, in
    lexicographic order of positions (``torch.combinations``; as itertools.combinations)."""
    _expect_tensor(input, "combinations")
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor(np.zeros(0, input.dtype))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return input[idx]


def _triangle(row: int, col: int, offset: int, dtype: Any, lower: bool, op: str) -> Tensor:
    row, col, offset = _number_arg(row), _number_arg(col), _number_arg(offset)
    for name, n in (("row", row), ("col", col), ("offset", offset)):
        if type(n) is bool or not isinstance(n, numbers.Integral):
            raise TypeError(f"{op}(): argument '{name}' must be int, not {type(n).__name__}")
    if row < 0 or col < 0:
        raise RuntimeError(f"{op}(): row and col must be non-negative, got {row} and {col}")
    fn = np.tril_indices if lower else np.triu_indices
    rows, cols = fn(row, offset, col)
    d = _check_dtype(np.int64 if dtype is None else dtype, op)
    if d.kind not in "iu":  # torch's kernel has no float (or bool) index triangle
        raise NotImplementedError(f'"{op}" not implemented for {d}: the indices are integers')
    return Tensor._make(np.stack([rows, cols]).astype(d).reshape(2, -1))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """The (row, col) indices of the lower triangle of a row×col matrix (entries with
    col ≤ row + offset), as a 2×N int64 tensor in row-major order (``torch.tril_indices``)."""
    return _triangle(row, col, offset, dtype, True, "tril_indices")


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """The (row, col) indices of the upper triangle (col ≥ row + offset)
    (``torch.triu_indices``)."""
    return _triangle(row, col, offset, dtype, False, "triu_indices")


_COMPUTE_MODES = (
    "use_mm_for_euclid_dist_if_necessary",
    "use_mm_for_euclid_dist",
    "donot_use_mm_for_euclid_dist",
)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str | None = None) -> Tensor:
    """The p-norm distance between each row of x1 (…, P, M) and each row of x2 (…, R, M), shape
    (…, P, R) (``torch.cdist``); composed of a broadcast difference and ``norm``, whose rule
    gives 0 at a zero distance, as torch's. ``compute_mode`` is accepted and ignored (torch's
    matrix-product shortcut for p = 2 trades accuracy for speed), but must be one of its
    names."""
    if compute_mode is not None and compute_mode not in _COMPUTE_MODES:
        raise ValueError(
            f"cdist(): {compute_mode!r} is not a valid value for compute_mode; expected None or "
            f"one of {_COMPUTE_MODES}"
        )
    _expect_tensor(x1, "cdist", "x1")
    _expect_tensor(x2, "cdist", "x2")
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(
            f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D, X2 got: {x2.ndim}D"
        )
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: "
            f"{x2.shape[-1]} (shapes {x1.shape} and {x2.shape})"
        )
    if not p >= 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    if x1.data.dtype.kind != "f" or x2.data.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype}")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if x1.shape[-1] == 0:  # over no coordinates every distance is 0 (the ∞-norm's max refuses)
        return diff.sum(-1)
    return diff.norm(p, dim=-1)


def searchsorted(
    sorted_sequence: Tensor,
    input: Any,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Tensor | None = None,
) -> Tensor:
    """For each value, the index where it would be inserted into the sorted last dim of
    ``sorted_sequence`` (the rows matched with ``input``'s leading dims, or one 1-D sequence
    for all) to keep it sorted: before equal entries, or after them with ``right=True`` /
    ``side='right'`` (``torch.searchsorted``). No grad."""
    _expect_tensor(sorted_sequence, "searchsorted", "sorted_sequence")
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(
                f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
            )
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of "
                "left while right was True"
            )
        right = side == "right"
    seq = sorted_sequence.data
    if sorter is not None:
        _expect_tensor(sorter, "searchsorted", "sorter")
        if sorter.shape != sorted_sequence.shape:
            raise RuntimeError(
                f"torch.searchsorted(): boundary and sorter must have the same size, but got "
                f"boundary tensor {sorted_sequence.shape} and got sorter tensor {sorter.shape}"
            )
        if sorter.data.dtype != np.int64:
            raise RuntimeError(
                "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                f"{sorter.dtype}"
            )
        n = seq.shape[-1]
        # numpy would wrap a negative index around; torch refuses it as out of range
        if sorter.data.size and (sorter.data.min() < 0 or sorter.data.max() >= n):
            raise RuntimeError(
                f"torch.searchsorted(): sorter index out of range (values must be in [0, {n}), "
                f"got {sorter.data.min()} to {sorter.data.max()})"
            )
        seq = np.take_along_axis(seq, sorter.data, axis=-1)
    if not isinstance(input, (Tensor, numbers.Real)):
        raise TypeError(
            f"searchsorted(): argument 'input' must be a Tensor or a number, not "
            f"{type(input).__name__}"
        )
    scalar = not isinstance(input, Tensor)
    values = np.asarray(input.data if isinstance(input, Tensor) else input)
    how: Literal["left", "right"] = "right" if right else "left"
    if seq.ndim == 1:
        out = np.searchsorted(seq, values, side=how)
    else:
        if seq.shape[:-1] != values.shape[:-1]:
            raise RuntimeError(
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                "dimensions of boundaries tensor and input value tensor must match, but we got "
                f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}"
            )
        rows = seq.reshape(-1, seq.shape[-1])
        vals = values.reshape(len(rows), -1)
        out = np.stack([np.searchsorted(r, v, side=how) for r, v in zip(rows, vals)])
        out = out.reshape(values.shape)
    dtype = np.int32 if out_int32 else np.int64
    result = Tensor._make(np.asarray(out, dtype=dtype))
    return result.reshape(()) if scalar else result


def bucketize(
    input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False
) -> Tensor:
    """The bucket of each value among the sorted 1-D ``boundaries``: i with
    boundaries[i−1] < x ≤ boundaries[i] (``right=True``: boundaries[i−1] ≤ x < boundaries[i])
    (``torch.bucketize``). No grad."""
    _expect_tensor(boundaries, "bucketize", "boundaries")
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block_diag",
    "bucketize",
    "cartesian_prod",
    "cdist",
    "column_stack",
    "combinations",
    "dstack",
    "hstack",
    "row_stack",
    "searchsorted",
    "tril_indices",
    "triu_indices",
    "vstack",
]
