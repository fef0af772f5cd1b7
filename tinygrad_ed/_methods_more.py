"""The rest of torch's Tensor methods: bitwise and integer arithmetic, float decomposition,
the scatter family with reductions, writes into views (``*_scatter``), small predicates, shape
changes in place, and the numerics of sampled values (``histogram``, ``gradient``,
``trapezoid``, ``vander``) that ``tg.*`` exposes.

Each is a function of the tensor ``x`` (``self`` in torch's signature) that ``Tensor`` calls
from a one-line method of the same name. Differentiable ones are composed of ops with their own
rules (``where``, ``take``, the adjoint of indexing, ``prod``, ``amax``, ``norm``), so their
gradients come checked; the bitwise and integer ones have no gradient, as in torch.

The writes share one idea: every destination is a *flat position* of ``x``, found by applying
the same view (``select``, a slice, ``diagonal``, a mask) to ``arange(numel)``. Writing ``v``
at positions ``pos`` is then ``where(mask, placed, x)`` with ``placed`` the adjoint of
``take(pos)``: x̄ = g off the written places, v̄ = g gathered at ``pos``.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from . import functional as F
from ._creation import empty_strided, linspace
from ._device import _check_device
from ._warn import warn
from .ops import OPS
from .tensor import OpError, Tensor, _apply, _expect_tensor, _result_dtype, _size, cat, where

# ----------------------------------------------------------------------------- bitwise, integers


def _integral(x: Tensor, other: Any, op: str, *, bools: bool = True) -> tuple[np.ndarray, Any]:
    """The arrays of an integer (or bool) op, refusing floats as torch does."""
    if not isinstance(other, (Tensor, numbers.Number, np.ndarray)):
        raise TypeError(
            f"{op}(): argument 'other' must be a Tensor or a number, not {type(other).__name__}"
        )
    y: Any = other.data if isinstance(other, Tensor) else other
    kinds = "biu" if bools else "iu"
    for v in (x.data, y):
        kind = np.asarray(v).dtype.kind
        if kind not in kinds and not (isinstance(v, (int, np.integer)) and kind in "iu"):
            raise NotImplementedError(
                f"{op}(): not implemented for dtype {np.asarray(v).dtype} (operands of shapes "
                f"{x.shape} and {np.shape(y)}); it takes "
                + ("bool and " if bools else "")
                + "integer tensors"
            )
    return x.data, y


def _broadcastable(op: str, *shapes: tuple[int, ...]) -> None:
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise OpError(
            f"{op}(): operands of shapes {' and '.join(map(str, shapes))} do not broadcast"
        ) from None


def _elementwise(
    x: Tensor, other: Any, fn: Any, op: str, *, bools: bool = True, promote: bool = True
) -> Tensor:
    """fn of the integer (or bool) arrays, in torch's result dtype (int32 | a 0-d int64 tensor
    is int32; bool with int64 is int64); ``bools=False`` refuses a bool result (gcd, lcm)."""
    a, b = _integral(x, other, op)
    _broadcastable(op, x.shape, np.shape(b))
    if not promote:
        return Tensor._make(np.asarray(fn(a, b)))
    dtype = _result_dtype(x, other)
    if not bools and dtype.kind == "b":
        raise NotImplementedError(
            f"{op}(): not implemented for dtype bool (operands of shapes {x.shape} and "
            f"{np.shape(b)}); it takes integer tensors"
        )
    return Tensor._make(np.asarray(fn(a.astype(dtype), np.asarray(b).astype(dtype)), dtype=dtype))


def _shift(a: np.ndarray, b: Any, left: bool) -> np.ndarray:
    """torch's shifts: a shift by the bit width or more (or by a negative count) empties the
    number (0, or -1 for a negative one shifted right) instead of C's undefined result."""
    a = np.asarray(a)
    b = np.asarray(b)
    dtype = np.result_type(a, b) if b.ndim else a.dtype
    if a.dtype.kind == "b" and b.dtype.kind == "b":
        raise NotImplementedError(
            f"{'left' if left else 'right'} shift: not implemented for two bool operands"
        )
    if dtype.kind == "b":  # a bool shifted by an integer count: int64, as torch
        dtype = np.dtype(np.int64)
    bits = np.dtype(dtype).itemsize * 8
    a = a.astype(dtype)
    out_of_range = (b < 0) | (b >= bits)
    count = np.where(out_of_range, 0, b).astype(dtype)
    if left:
        return np.asarray(np.where(out_of_range, 0, np.left_shift(a, count)), dtype=dtype)
    emptied = np.where(a < 0, -1, 0) if dtype.kind == "i" else 0
    return np.asarray(np.where(out_of_range, emptied, np.right_shift(a, count)), dtype=dtype)


def bitwise_and(x: Tensor, other: Any) -> Tensor:
    """``torch.Tensor.bitwise_and``: logical and of bools, bitwise and of integers (no grad)."""
    return _elementwise(x, other, np.bitwise_and, "bitwise_and")


def bitwise_or(x: Tensor, other: Any) -> Tensor:
    """``torch.Tensor.bitwise_or`` (no grad)."""
    return _elementwise(x, other, np.bitwise_or, "bitwise_or")


def bitwise_xor(x: Tensor, other: Any) -> Tensor:
    """``torch.Tensor.bitwise_xor`` (no grad)."""
    return _elementwise(x, other, np.bitwise_xor, "bitwise_xor")


def bitwise_not(x: Tensor) -> Tensor:
    """``torch.Tensor.bitwise_not``: ~x (no grad)."""
    _integral(x, 0, "bitwise_not")
    return Tensor._make(np.asarray(np.invert(x.data)))


def bitwise_left_shift(x: Tensor, other: Any) -> Tensor:
    """``torch.Tensor.bitwise_left_shift``: x·2ᵒᵗʰᵉʳ in x's integer type, 0 once shifted out."""
    return _elementwise(
        x, other, lambda a, b: _shift(a, b, True), "bitwise_left_shift", promote=False
    )


def bitwise_right_shift(x: Tensor, other: Any) -> Tensor:
    """``torch.Tensor.bitwise_right_shift``: x >> other, arithmetic for signed types."""
    return _elementwise(
        x, other, lambda a, b: _shift(a, b, False), "bitwise_right_shift", promote=False
    )


def gcd(x: Tensor, other: Any) -> Tensor:
    """``torch.gcd``: the non-negative greatest common divisor of integers; gcd(0, 0) = 0."""
    return _elementwise(x, other, np.gcd, "gcd", bools=False)


def lcm(x: Tensor, other: Any) -> Tensor:
    """``torch.lcm``: the non-negative least common multiple of integers; 0 if either is 0."""
    return _elementwise(x, other, np.lcm, "lcm", bools=False)


# ----------------------------------------------------------------------------- floats in parts


class Frexp(NamedTuple):
    mantissa: Tensor
    exponent: Tensor


def frexp(x: Tensor) -> Frexp:
    """``torch.frexp``: x = mantissa·2^exponent with 0.5 ≤ |mantissa| < 1 (exponent int32).

    The mantissa is x times the constant 2^-exponent (exact), so mantissā = g·2^-exponent, as
    torch's; the exponent has no grad."""
    if x.data.dtype.kind != "f":
        raise RuntimeError(f"frexp(): only supports floating-point dtypes, got {x.dtype}")
    _, e = np.frexp(x.data)
    # 2^-e in two halves: for a subnormal x, 2^-e alone is beyond the largest float
    half = -e // 2
    one = np.ones((), x.dtype)
    first, second = np.ldexp(one, half), np.ldexp(one, -e - half)
    mantissa = (
        x * Tensor._make(np.asarray(first, x.dtype)) * Tensor._make(np.asarray(second, x.dtype))
    )
    return Frexp(mantissa, Tensor._make(np.asarray(e, dtype=np.int32)))


def ldexp(x: Tensor, other: Any) -> Tensor:
    """``torch.ldexp``: x·2^other, the op ``ldexp`` (x̄ = g·2^other, ±inf where 2^other
    overflows: torch's is 0 there; other̄ = g·out·ln 2, from the output, as torch's); the float
    operands' promoted dtype, x's with an integer exponent, the default float for two integers."""
    _expect_tensor(other, "ldexp", "other")
    floats = [t.data.dtype for t in (x, other) if t.data.dtype.kind == "f"]
    dtype = np.result_type(*floats) if floats else Tensor(2.0).data.dtype
    x = x if x.data.dtype == dtype else x.to(dtype)
    if other.data.dtype.kind == "f" and other.data.dtype != dtype:
        other = other.to(dtype)
    return _apply(OPS["ldexp"], x, other)


def nextafter(x: Tensor, other: Any) -> Tensor:
    """``torch.nextafter``: the next float after x towards other. As torch, x̄ = g where
    x ≠ other (the step is a constant) and 0 where they are equal (the result is other's
    value there), other̄ = 0; at an infinite x the gradient is 0 (inf − inf is nan)."""
    _expect_tensor(other, "nextafter", "other")
    dtype = _result_dtype(x, other)
    if dtype.kind != "f":
        raise RuntimeError(
            f"nextafter(): expected float tensors, got {x.dtype} and {other.dtype} (shapes "
            f"{x.shape} and {other.shape})"
        )
    _broadcastable("nextafter", x.shape, other.shape)
    x, other = x.to(dtype), other.to(dtype)  # torch's promotion (float32 with float64: float64)
    step = np.asarray(np.nextafter(x.data, other.data))
    moves = np.isfinite(x.data) & (x.data != other.data)
    with np.errstate(invalid="ignore"):  # ±∞ − ±∞ where x is infinite: not chosen below
        moved = x - x.detach() + Tensor._make(step)
    out = where(moves, moved, Tensor._make(step))
    # other's value never shows, but torch gives it a zero gradient rather than none
    return where(np.zeros(out.shape, dtype=bool), other, out) if other._requires_grad else out


# ----------------------------------------------------------------------------- writes by position


def _positions(x: Tensor) -> np.ndarray:
    """Every entry's flat position, in x's shape: views of it say where a view's entries are."""
    return np.arange(x.numel()).reshape(x.shape)


def _write(x: Tensor, values: Tensor, pos: np.ndarray, op: str) -> Tensor:
    """x with ``values`` written at the flat positions ``pos`` (distinct, values' shape)."""
    if values.dtype != x.dtype:
        raise RuntimeError(
            f"{op}(): expected src to have the dtype of self ({x.dtype}), got {values.dtype}"
        )
    if values.shape != pos.shape:
        raise RuntimeError(
            f"{op}(): expected src to have a size equal to the slice of self: src shape "
            f"{values.shape}, slice shape {pos.shape}"
        )
    mask = np.zeros(x.numel(), dtype=bool)
    mask[pos.ravel()] = True
    placed = values.reshape(-1)._index_add((x.numel(),), (pos.ravel(),))
    return where(mask.reshape(x.shape), placed.reshape(x.shape), x)


def select_scatter(x: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """``torch.select_scatter``: x with ``src`` in place of ``x.select(dim, index)``; x̄ = g
    elsewhere, src̄ = g.select(dim, index)."""
    _expect_tensor(src, "select_scatter", "src")
    if x.ndim == 0:
        raise IndexError("select_scatter(): cannot select from a 0-d tensor")
    d = x._dim(dim, "select_scatter")
    n = x.shape[d]
    if not -n <= index < n:
        raise IndexError(
            f"select_scatter(): index {index} out of range for dim {d} of size {n} (shape "
            f"{x.shape})"
        )
    return _write(x, src, np.take(_positions(x), index, axis=d), "select_scatter")


def slice_scatter(
    x: Tensor,
    src: Tensor,
    dim: int = 0,
    start: int | None = None,
    end: int | None = None,
    step: int = 1,
) -> Tensor:
    """``torch.slice_scatter``: x with ``src`` in place of ``x[..., start:end:step, ...]`` on
    ``dim``; x̄ = g elsewhere, src̄ = g's slice."""
    _expect_tensor(src, "slice_scatter", "src")
    if step <= 0:
        raise RuntimeError(f"slice_scatter(): slice step must be positive, got {step}")
    d = x._dim(dim, "slice_scatter") if x.ndim else 0
    view = (slice(None),) * d + (slice(start, end, step),)
    return _write(x, src, _positions(x)[view], "slice_scatter")


def diagonal_scatter(
    x: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1
) -> Tensor:
    """``torch.diagonal_scatter``: x with ``src`` in place of ``x.diagonal(offset, dim1,
    dim2)``; x̄ = g off that diagonal, src̄ = g's diagonal."""
    _expect_tensor(src, "diagonal_scatter", "src")
    if x.ndim < 2:
        raise RuntimeError(f"diagonal_scatter(): needs at least 2 dims, got shape {x.shape}")
    d1, d2 = x._dim(dim1, "diagonal_scatter"), x._dim(dim2, "diagonal_scatter")
    if d1 == d2:
        raise RuntimeError(f"diagonal_scatter(): dim1 and dim2 cannot be equal (both {d1})")
    pos = np.diagonal(_positions(x), offset, d1, d2)
    return _write(x, src, pos, "diagonal_scatter")


def _mask(x: Tensor, mask: Any, op: str) -> np.ndarray:
    _expect_tensor(mask, op, "mask")
    if mask.dtype != np.bool_:
        raise RuntimeError(f"{op}(): expected a bool mask, got dtype {mask.dtype}")
    try:
        shape = np.broadcast_shapes(mask.shape, x.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise RuntimeError(
            f"{op}(): the mask of shape {mask.shape} does not broadcast to self's shape {x.shape}"
        )
    return np.broadcast_to(mask.data, x.shape)


def masked_scatter(x: Tensor, mask: Any, source: Tensor) -> Tensor:
    """``torch.masked_scatter``: x with source's first k entries (row-major) written where the
    mask (broadcast to x) is True, k its count; x̄ = g off the mask, sourcē = g at each used
    entry's place and 0 for the unused rest."""
    _expect_tensor(mask, "masked_scatter", "mask")
    _expect_tensor(x, "masked_scatter", "input")
    with contextlib.suppress(ValueError):  # shapes that do not broadcast: _mask names both
        # out of place, x broadcasts to the mask's shape too (torch's)
        x = x.expand(*np.broadcast_shapes(mask.shape, x.shape))
    m = _mask(x, mask, "masked_scatter")
    _expect_tensor(source, "masked_scatter", "source")
    k = int(m.sum())
    if source.numel() < k:
        raise RuntimeError(
            f"masked_scatter(): the mask selects {k} entries but source (shape {source.shape}) "
            f"has only {source.numel()}"
        )
    if source.dtype != x.dtype:
        raise RuntimeError(
            f"masked_scatter(): expected self and source to have the same dtype, got "
            f"{x.dtype} and {source.dtype}"
        )
    return _write(x, source.reshape(-1)[:k], _positions(x)[m], "masked_scatter")


def put(x: Tensor, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:
    """``torch.Tensor.put``: x flattened, with ``source``'s entries written (or with
    ``accumulate``, added) at the flat ``index`` (negatives from the end).

    x̄ = g off the written places (all of g with accumulate), sourcē = g at each place. Without
    accumulate a repeated index keeps one of its values (torch leaves which undefined; here the
    last, and every repeat's sourcē is still g there, as torch's)."""
    _expect_tensor(source, "put", "source")
    idx = x._indices(index, "put", "i")
    n = x.numel()
    if idx.size != source.numel():
        raise IndexError(  # torch's kind
            f"put(): expected source (shape {source.shape}) and index (shape {idx.shape}) to "
            "have the same number of elements"
        )
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)].ravel()[0]
        raise IndexError(f"put(): index {bad} is out of range for a tensor of {n} elements")
    if source.dtype != x.dtype:
        raise RuntimeError(
            f"put(): expected self and source to have the same dtype, got {x.dtype} and "
            f"{source.dtype}"
        )
    flat = (idx.ravel() % max(n, 1),)
    values = source.reshape(-1)
    if accumulate:
        return x + values._index_add((n,), flat).reshape(x.shape)
    placed, mask = x.reshape(-1)._placed(values, flat, "put")
    return where(mask, placed, x.reshape(-1)).reshape(x.shape)


def index_put(x: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """``torch.Tensor.index_put``: ``x[indices] = values`` (or ``+=`` with ``accumulate``,
    repeats adding up) out of place; ``indices`` a tuple of index tensors (int64 or bool)
    combined as in ``x[indices]``, ``values`` broadcast to that selection.

    x̄ = g off the written places (all of g with accumulate), valuē = g at each place, summed
    over the broadcast. Without accumulate, of repeated places the last value is kept."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(
            f"index_put(): indices must be a tuple of tensors, got {type(indices).__name__}"
        )
    arrays = []
    for i, t in enumerate(indices):
        _expect_tensor(t, "index_put", f"indices[{i}]")
        if t.data.dtype.kind not in "biu":
            raise IndexError(
                f"index_put(): tensors used as indices must be long, int or bool tensors, got "
                f"indices[{i}] of dtype {t.dtype}"
            )
        arrays.append(t.data)
    _expect_tensor(values, "index_put", "values")
    pos = _positions(x)
    try:
        pos = pos[tuple(arrays)]
    except IndexError as e:
        raise IndexError(f"index_put(): indices do not fit self of shape {x.shape}: {e}") from None
    if values.dtype != x.dtype:
        raise RuntimeError(
            f"index_put(): values (dtype {values.dtype}) must have self's dtype {x.dtype}"
        )
    try:
        v = values.expand(*pos.shape) if values.shape != pos.shape else values
    except Exception:
        raise RuntimeError(
            f"index_put(): shape mismatch: values of shape {values.shape} cannot be broadcast "
            f"to the indexing result of shape {pos.shape}"
        ) from None
    return put(x, Tensor._make(pos), v.contiguous(), accumulate)


# ------------------------------------------------------------------------- scatter, reduced

_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def scatter_reduce(
    x: Tensor, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``torch.scatter_reduce``: each ``src[i][j]`` reduced into ``[i][index[i][j]]`` for
    dim = 1 (and so on), by ``reduce`` — sum, prod, mean, amax or amin — with x's own value
    joining each reduction when ``include_self``; places nothing reaches keep x's value.

    Each place's values (x's first if included) are gathered into one row, padded with the
    reduction's identity, and reduced by the Tensor op of that name, so the gradients are
    those ops', as torch's: prod's x̄ᵢ = g·∏ⱼ≠ᵢ xⱼ (right with zeros), amax/amin share g evenly
    among ties, mean divides g by the count (x's included). A mean of integers rounds down.
    """
    op = "scatter_reduce"
    _expect_tensor(src, op, "src")
    if reduce not in _REDUCES:
        raise RuntimeError(
            f"{op}(): reduce argument must be either sum, prod, mean, amax or amin, got {reduce!r}"
        )
    if src.dtype != x.dtype:
        raise RuntimeError(
            f"{op}(): expected self.dtype to be equal to src.dtype ({x.dtype} and {src.dtype})"
        )
    if x.ndim == 0:
        idx, flat = x._scalar_scatter(dim, index, src, op)
        one = scatter_reduce(x.reshape(1), 0, idx, flat, reduce, include_self=include_self)
        return one.reshape(())
    if x.ndim == 1:
        index, src = x._vector_scatter(index, src)
    places = x._scatter_places(dim, index, src, op)
    part = src[tuple(slice(0, s) for s in places[0].shape)]
    target = np.ravel_multi_index(places, x.shape).ravel() if places[0].size else np.zeros(0, int)
    return _grouped_reduce(x, part.reshape(-1), target, reduce, include_self)


def _grouped_reduce(
    x: Tensor, values: Tensor, target: np.ndarray, reduce: str, include_self: bool
) -> Tensor:
    """x with ``values`` reduced into the flat positions ``target`` (one per value)."""
    n = x.numel()
    counts = np.bincount(target, minlength=n)
    hit = np.flatnonzero(counts)  # the places reached, each one row of the grouped tensor
    if not hit.size:  # (the values still reach the result, their gradient zeros, as torch's)
        return where(np.zeros((), np.bool_), values.sum(), x)
    row_of = np.zeros(n, dtype=np.int64)
    row_of[hit] = np.arange(hit.size)
    order = np.argsort(target, kind="stable")
    starts = np.cumsum(counts) - counts
    rank = np.empty(target.size, dtype=np.int64)
    rank[order] = np.arange(target.size) - starts[target[order]]
    width = int(counts.max()) + 1  # column 0 is x's own value, or the identity
    shape = (hit.size, width)
    rows, cols = row_of[target], rank + 1
    flat_x = x.reshape(-1)
    if include_self:  # x's own value is column 0 of its row
        values = cat([flat_x[hit], values])
        rows = np.concatenate([np.arange(hit.size), rows])
        cols = np.concatenate([np.zeros(hit.size, dtype=np.int64), cols])
    grouped = values._index_add(shape, (rows, cols))
    filled = np.zeros(shape, dtype=bool)
    filled[rows, cols] = True
    identity = {"sum": 0, "mean": 0, "prod": 1, "amax": -np.inf, "amin": np.inf}[reduce]
    if x.data.dtype.kind != "f" and reduce in ("amax", "amin"):
        info = np.iinfo(x.dtype) if x.data.dtype.kind in "iu" else None
        identity = (info.min if reduce == "amax" else info.max) if info else reduce == "amin"
    pad = Tensor._make(np.full(shape, identity, dtype=x.dtype))
    grouped = where(filled, grouped, pad)
    if reduce == "sum":
        reduced = grouped.sum(-1)
    elif reduce == "prod":
        reduced = grouped.prod(-1)
    elif reduce == "amax":
        reduced = grouped.amax(-1)
    elif reduce == "amin":
        reduced = grouped.amin(-1)
    else:
        count = filled.sum(-1).astype(np.int64)
        total = grouped.sum(-1)
        if x.data.dtype.kind == "f":
            reduced = total / Tensor._make(count.astype(x.dtype))
        else:
            reduced = Tensor._make(np.floor_divide(total.data, count).astype(x.dtype))
    reached = np.zeros(n, dtype=bool)
    reached[hit] = True
    out = reduced._index_add((n,), (hit,)).reshape(x.shape)
    if out.dtype != x.dtype:  # a sum of int32s is int64
        out = out.to(x.dtype)
    return where(reached.reshape(x.shape), out, x)


def index_reduce(
    x: Tensor, dim: int, index: Any, source: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``torch.Tensor.index_reduce``: source's slices along ``dim`` reduced into x's slices at
    ``index`` by prod, mean, amax or amin (``scatter_reduce`` of the index spread over each
    slice, with its gradients)."""
    op = "index_reduce"
    _expect_tensor(source, op, "source")
    if reduce not in _REDUCES[1:]:
        raise RuntimeError(
            f"{op}(): Expected reduce to be one of prod, mean, amax or amin but got {reduce!r}"
        )
    places = x._index_places(dim, index, source, op)
    if x.ndim == 0:
        return scatter_reduce(
            x, 0, Tensor._make(places[0]), source.reshape(-1), reduce, include_self=include_self
        )
    d = x._dim(dim, op)
    idx = places[d].reshape([-1 if k == d else 1 for k in range(x.ndim)])
    spread = np.broadcast_to(idx, source.shape)
    return scatter_reduce(
        x, d, Tensor._make(np.ascontiguousarray(spread)), source, reduce, include_self=include_self
    )


# ----------------------------------------------------------------------------- norms and sizes


def renorm(x: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """``torch.renorm``: each slice along ``dim`` whose p-norm exceeds ``maxnorm`` scaled down
    to norm maxnorm (by maxnorm/(norm + 1e-7), torch's factor). Composed of ``norm``, so the
    factor is differentiated too, as torch's."""
    if x.data.dtype.kind != "f":
        raise RuntimeError(f"renorm(): expected a floating tensor, got dtype {x.dtype}")
    if not p > 0:  # nan too
        raise RuntimeError(f"renorm(): non-positive norm p={p} not supported")
    if not maxnorm >= 0:
        raise RuntimeError(f"renorm(): expected maxnorm to be >= 0 but got {maxnorm}")
    if x.ndim <= 1:
        raise RuntimeError(f"renorm(): input needs at least 2 dimensions, got {x.ndim} dimensions")
    d = x._dim(dim, "renorm")
    others = tuple(k for k in range(x.ndim) if k != d)
    if maxnorm == math.inf:  # nothing exceeds it (and inf/norm would make a nan gradient)
        return x * 1.0
    norm = x.norm(p, dim=others, keepdim=True)
    factor = where(norm > maxnorm, maxnorm / (norm + 1e-7), Tensor._make(np.ones((), x.dtype)))
    return x * factor


def sum_to_size(x: Tensor, *size: Any) -> Tensor:
    """``torch.Tensor.sum_to_size``: x summed down to ``size``, which x must expand from (the
    adjoint of ``expand``)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], Sequence) else size
    if not all(isinstance(s, numbers.Integral) for s in shape):
        raise TypeError(f"sum_to_size(): size must be ints, got {shape!r}")
    target = tuple(int(s) for s in shape)
    lead = x.ndim - len(target)
    if lead < 0 or any(t not in (1, s) for t, s in zip(target, x.shape[lead:])):
        raise RuntimeError(f"sum_to_size(): size {list(target)} is not expandable to {x.shape}")
    if not target:  # a sum of every element, as torch's: of a 0-d x too, a new tensor
        return x.sum()
    out = x.sum(dim=tuple(range(lead))) if lead else x
    ones = tuple(k for k, (t, s) in enumerate(zip(target, out.shape)) if t == 1 and s != 1)
    return out.sum(dim=ones, keepdim=True) if ones else out


def new(x: Tensor, *args: Any, device: Any = None) -> Tensor:
    """``torch.Tensor.new``, torch's legacy constructor, in x's dtype: ``x.new()`` an empty
    tensor (shape (0,)); ``x.new(2, 3)`` a tensor of that size (uninitialized in torch, zeros
    here, as ``new_empty``); ``x.new(data)`` a sequence or array copied as ``new_tensor`` (a
    tuple is data: torch reads only its ``torch.Size`` as a size); ``x.new(other)`` other itself,
    as a view on its graph (torch's alias), which must have x's dtype."""
    _check_device(device, "new()")
    if not args:
        return x.new_empty(0)
    if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
        return Tensor._make(np.zeros(_size(args, "new"), dtype=x.data.dtype))
    if len(args) > 1:
        kinds = ", ".join(type(a).__name__ for a in args)
        raise TypeError(f"new(): expected ints (a size) or one data argument, got ({kinds})")
    (data,) = args
    if isinstance(data, Tensor):
        if data.dtype != x.dtype:
            raise TypeError(
                f"new(): expected a tensor of this tensor's dtype {x.dtype}, got one of dtype "
                f"{data.dtype} (shape {data.shape}); use new_tensor() or to() to convert"
            )
        return data.view_as(data)
    if isinstance(data, (bool, numbers.Number, str, bytes)):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    return x.new_tensor(data)


def is_nonzero(x: Tensor) -> bool:
    """``torch.is_nonzero``: the truth of a one-element tensor; torch's error for others."""
    if x.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if x.numel() > 1:
        raise RuntimeError(
            f"Boolean value of Tensor with more than one value is ambiguous (shape {x.shape})"
        )
    return bool(x.data.reshape(()))


def nonzero_static(x: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``torch.Tensor.nonzero_static``: ``nonzero()`` cut or padded to ``size`` rows, the
    padding rows all ``fill_value``; int64 of shape (size, ndim) (a 0-d x: (size, 0))."""
    op = "nonzero_static"
    for name, value in (("size", size), ("fill_value", fill_value)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError(f"{op}(): argument '{name}' must be int, not {type(value).__name__}")
    if size < 0:
        raise OpError(f"{op}: 'size' must be an non-negative integer, got {size}")
    found = np.argwhere(x.data).astype(np.int64)[:size]
    out = np.full((size, x.ndim), fill_value, dtype=np.int64)
    out[: len(found)] = found
    return Tensor._make(out)


def narrow_copy(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``torch.narrow_copy``: ``narrow`` in new memory; x̄ = g in that slice, a negative
    ``start`` too (torch 2.13's gradient is 0 everywhere then, a bug not copied). A dim past
    the last is torch's kernel check, a RuntimeError (a dim before the first an IndexError, as
    narrow's)."""
    if x.ndim and isinstance(dim, int) and dim >= x.ndim:
        raise OpError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false. "
            f"(narrow_copy(): dim {dim} of a tensor of shape {x.shape})"
        )
    return x.narrow(dim, start, length).clone()


def matrix_h(x: Tensor, op: str) -> Tensor:
    """The conjugate transpose of a matrix (``.H``) or batch (``.mH``, ``adjoint()``): the
    transpose, for real values."""
    if op == "tensor.H" and x.ndim not in (0, 2):
        raise RuntimeError(
            f"tensor.H is only supported on matrices (2-D tensors). Got {x.ndim}-D tensor."
            + (" For batches of matrices, consider using tensor.mH" if x.ndim > 2 else "")
        )
    if op != "tensor.H" and x.ndim < 2:
        raise RuntimeError(
            f"{op} is only supported on matrices or batches of matrices. Got {x.ndim}-D tensor."
        )
    x = x.conj()  # itself, for real values
    return x if x.ndim == 0 else x.transpose(-2, -1)


def hardshrink(x: Tensor, lambd: float = 0.5) -> Tensor:
    """``torch.Tensor.hardshrink``: ``F.hardshrink``."""
    return F.hardshrink(x, lambd)


def prelu(x: Tensor, weight: Tensor) -> Tensor:
    """``torch.Tensor.prelu``: ``F.prelu``."""
    return F.prelu(x, weight)


# ----------------------------------------------------------------------------- shape in place


def resize_(x: Tensor, *sizes: Any) -> Tensor:
    """``torch.Tensor.resize_``: x given the shape ``sizes`` over its elements in row-major
    order — the first numel of them if fewer, and new entries (zeros here; torch leaves them
    uninitialised) if more. Refused for a tensor that requires grad, as torch."""
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], Sequence) else sizes
    if not all(isinstance(s, numbers.Integral) and int(s) >= 0 for s in shape):
        raise RuntimeError(f"resize_(): sizes must be non-negative ints, got {list(shape)}")
    if x._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    x.data = resized(x.data, tuple(int(s) for s in shape))
    x._mark_changed()
    return x


def resized(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """a's elements in row-major order, in ``shape``: the first ones if fewer, followed by
    zeros if more. The same memory where a is contiguous and holds enough elements."""
    n = math.prod(shape)
    flat = a.reshape(-1)
    if n > flat.size:
        flat = np.concatenate([flat, np.zeros(n - flat.size, dtype=a.dtype)])
    return flat[:n].reshape(shape)


# ----------------------------------------------------------------------------- memory and type

# torch's legacy type names (``x.type()``), by numpy dtype
_TYPE_NAMES = {
    np.dtype(np.float16): "HalfTensor",
    np.dtype(np.float32): "FloatTensor",
    np.dtype(np.float64): "DoubleTensor",
    np.dtype(np.complex64): "ComplexFloatTensor",
    np.dtype(np.complex128): "ComplexDoubleTensor",
    np.dtype(np.int8): "CharTensor",
    np.dtype(np.int16): "ShortTensor",
    np.dtype(np.int32): "IntTensor",
    np.dtype(np.int64): "LongTensor",
    np.dtype(np.uint8): "ByteTensor",
    np.dtype(np.uint16): "UInt16Tensor",
    np.dtype(np.uint32): "UInt32Tensor",
    np.dtype(np.uint64): "UInt64Tensor",
    np.dtype(np.bool_): "BoolTensor",
}


def tensor_type(x: Tensor, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
    """``torch.Tensor.type``: with no dtype, torch's type name ("torch.FloatTensor"); else x
    cast to ``dtype`` (a dtype, or a type name such as "torch.DoubleTensor"), x itself if it
    has it already. ``non_blocking`` (or the old ``async``) changes nothing on the CPU."""
    unknown = set(kwargs) - {"async"}
    if unknown:
        raise TypeError(f"type() got an unexpected keyword argument {sorted(unknown)[0]!r}")
    if dtype is None:
        return "torch." + _TYPE_NAMES[x.dtype]
    if isinstance(dtype, str):
        names = {f"torch.{name}": d for d, name in _TYPE_NAMES.items()}
        if dtype not in names:  # "float64" and "torch.float64" too, as torch
            raise ValueError(f"invalid type: {dtype!r}")
        dtype = names[dtype]
    return x.to(dtype)


def _address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


def _addresses(a: np.ndarray, start: int, shape: Sequence[int], strides: Sequence[int]) -> Any:
    """The byte address of every element of a strided layout starting at ``start``."""
    out: Any = np.asarray(start, dtype=np.int64)
    for k, (n, step) in enumerate(zip(shape, strides)):
        steps = np.arange(n, dtype=np.int64) * step
        out = out + steps.reshape((n,) + (1,) * (len(shape) - k - 1))
    return np.broadcast_to(out, tuple(shape))


def _storage(x: Tensor) -> tuple[int, int]:
    """The first byte address and the size in elements of x's storage: the memory of the tensor
    it is a view of (or its own), from its lowest address to its highest, as torch's."""
    root = x if x._base is None else x._base
    a = root.data
    if root is not x and x.data.size and not np.may_share_memory(a, x.data):  # (resize_d)
        a = x.data
    if a.size == 0:
        return _address(a), 0
    low = _address(a) + sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s < 0)
    high = _address(a) + sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s > 0)
    return low, (high - low) // a.itemsize + 1


def _root(x: Tensor) -> Tensor:
    return x if x._base is None else x._base


def share_memory_(x: Tensor) -> Tensor:
    """``torch.Tensor.share_memory_``: x, its memory marked as shared (see Tensor's method)."""
    _root(x)._shared = True
    return x


def is_shared(x: Tensor) -> bool:
    """``torch.Tensor.is_shared``: whether x's memory was marked by ``share_memory_``."""
    return getattr(_root(x), "_shared", False)


def is_set_to(x: Tensor, other: Tensor) -> bool:
    """``torch.Tensor.is_set_to``: the same memory, offset, sizes, strides and dtype."""
    if not isinstance(other, Tensor):
        raise TypeError(
            f"is_set_to(): argument 'tensor' must be Tensor, not {type(other).__name__}"
        )
    a, b = x.data, other.data
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and a.strides == b.strides
        and _address(a) == _address(b)
        and _storage(x)[0] == _storage(other)[0]
    )


def _refuse_grad(t: Tensor, op: str) -> None:
    if t.requires_grad:
        raise RuntimeError(
            f"Can't call {op}() on Variable that requires grad. Use var.detach().{op}() instead."
        )


def apply_(x: Tensor, fn: Any) -> Tensor:
    """``torch.Tensor.apply_``: each element e of x replaced by ``fn(e)`` (a Python number of
    x's kind: bool, int or float), cast into x's dtype, in place."""
    return map_(x, fn, (), "apply_")


def map_(x: Tensor, fn: Any, others: tuple[Any, ...], op: str) -> Tensor:
    """``torch.Tensor.map_``/``map2_`` (and ``apply_``, with no others): element by element,
    ``fn(x's, others'...)`` written into x, the others broadcast to x's shape and of x's dtype,
    as torch requires."""
    _refuse_grad(x, op)
    names = ("tensor",) if len(others) == 1 else ("x", "y")
    arrays = []
    for k, (other, name) in enumerate(zip(others, names), start=1):
        if not isinstance(other, Tensor):
            raise TypeError(
                f"{op}(): argument '{name}' (position {k}) must be Tensor, not "
                f"{type(other).__name__}"
            )
        _refuse_grad(other, op)
        if other.dtype != x.dtype:
            raise TypeError(
                f"{op}: expected a tensor of dtype {x.dtype} for '{name}' (got {other.dtype})"
            )
        try:
            arrays.append(np.broadcast_to(other.data, x.shape))
        except ValueError:
            raise OpError(
                f"{op}(): '{name}' of shape {other.shape} does not broadcast to the tensor's "
                f"shape {x.shape}"
            ) from None
    if not callable(fn):
        raise TypeError(f"{op}(): '{type(fn).__name__}' object is not callable")
    flat = [a.reshape(-1).tolist() for a in (x.data, *arrays)]  # Python numbers, in order
    result = np.empty(x.data.size, dtype=x.dtype)
    for i, items in enumerate(zip(*flat)):
        v = fn(*items)  # a number: a string is refused, as torch's
        if isinstance(v, (str, bytes)) or not isinstance(v, (numbers.Number, np.generic)):
            raise TypeError(f"{op}(): must be real number, not {type(v).__name__}")
        result[i] = v
    np.copyto(x.data, result.reshape(x.shape), casting="unsafe")
    x._mark_changed()
    return x


def data_ptr(x: Tensor) -> int:
    """``torch.Tensor.data_ptr``: the address of x's first element (0 for an empty tensor), so
    that a view or a detach() has its base's and a clone another."""
    return 0 if x.data.size == 0 else _address(x.data)


def storage_offset(x: Tensor) -> int:
    """``torch.Tensor.storage_offset``: where x's first element is in its storage, in
    elements (0 for a tensor that is no view; ``x[1]`` of a (3, 4) tensor: 4)."""
    start, _ = _storage(x)
    return (_address(x.data) - start) // x.data.itemsize


def as_strided(x: Tensor, size: Any, stride: Any, storage_offset: Any = None) -> Tensor:
    """``torch.as_strided``: the view of x's storage whose element i₀, i₁, … is the storage's
    element ``storage_offset + Σ iₖ·stride[k]`` (storage_offset: x's own by default).

    out = those elements;  x̄ = g added back at the places of x they are (repeats accumulate,
    as overlapping windows do). Here the elements must be x's own (torch also reaches the rest
    of its base's storage): a view of a view is made from the tensor that has them."""
    op = "as_strided"
    sizes, strides = (_sizes(v, op, name) for v, name in ((size, "size"), (stride, "stride")))
    if len(sizes) != len(strides):
        raise OpError(
            f"{op}(): mismatch in length of strides and shape (size {list(sizes)}, stride "
            f"{list(strides)})"
        )
    if any(s < 0 for s in strides):
        raise OpError(
            f"{op}: Negative strides are not supported at the moment, got strides: {list(strides)}"
        )
    if any(n < 0 for n in sizes):
        raise OpError(f"{op}(): negative size in {list(sizes)}")
    start, count = _storage(x)
    item = x.data.itemsize
    own = (_address(x.data) - start) // item
    offset = own if storage_offset is None else _offset(storage_offset)
    if offset < 0:
        raise OpError(f"{op}(): Tensor: invalid storage offset {offset}")
    need = 0 if 0 in sizes else offset + 1 + sum((n - 1) * s for n, s in zip(sizes, strides))
    if need > count:
        raise OpError(
            f"{op}(): setStorage: sizes {list(sizes)}, strides {list(strides)}, storage offset "
            f"{offset}, and itemsize {item} requiring a storage size of {need * item} are out "
            f"of bounds for storage of size {count * item}"
        )
    if x.ndim == 0:
        x = x.reshape(1)  # a view with an axis to index
    byte_strides = tuple(s * item for s in strides)
    wanted = _addresses(x.data, start + offset * item, sizes, byte_strides).ravel()
    mine = _addresses(x.data, _address(x.data), x.shape, x.data.strides).ravel()
    order = np.argsort(mine, kind="stable")
    at = np.minimum(np.searchsorted(mine[order], wanted), max(mine.size - 1, 0))
    if wanted.size and not np.array_equal(mine[order][at], wanted):
        raise OpError(
            f"{op}(): size {list(sizes)}, stride {list(strides)} and storage offset {offset} "
            f"reach elements of the storage outside the tensor of shape {x.shape} (storage "
            f"offset {own}, strides {x.stride()}); this library makes views "
            "of a tensor's own elements only: call as_strided on its base"
        )
    index = np.unravel_index(order[at].reshape(sizes), x.shape)
    return _apply(OPS["as_strided"], x, index=index, strides=byte_strides)


def as_strided_scatter(
    x: Tensor, src: Tensor, size: Any, stride: Any, storage_offset: Any = None
) -> Tensor:
    """``torch.as_strided_scatter``: a copy of x with ``src`` written where ``as_strided(size,
    stride, storage_offset)`` of that copy (row-major, its own storage from 0; offset 0 by
    default) would read. x̄ = g off the written places, src̄ = g gathered there. As torch's,
    places reached twice are refused (the write would be ambiguous)."""
    op = "as_strided_scatter"
    _expect_tensor(src, op, "src")
    sizes, strides = (_sizes(v, op, name) for v, name in ((size, "size"), (stride, "stride")))
    if len(sizes) != len(strides):
        raise OpError(
            f"{op}(): mismatch in length of strides and shape (size {list(sizes)}, stride "
            f"{list(strides)})"
        )
    if any(st < 0 for st in strides) or any(n < 0 for n in sizes):
        raise OpError(f"{op}(): negative size or stride in {list(sizes)}, {list(strides)}")
    offset = 0 if storage_offset is None else _offset(storage_offset)
    need = 0 if 0 in sizes else offset + 1 + sum((n - 1) * st for n, st in zip(sizes, strides))
    if offset < 0 or need > x.numel():
        item = x.data.itemsize
        raise OpError(
            f"{op}(): setStorage: sizes {list(sizes)}, strides {list(strides)}, storage offset "
            f"{offset}, and itemsize {item} requiring a storage size of {need * item} are out "
            f"of bounds for storage of size {x.numel() * item}"
        )
    pos = offset + np.zeros(sizes, dtype=np.int64)
    for d, st in enumerate(strides):
        pos += (np.arange(sizes[d]) * st).reshape((-1,) + (1,) * (len(sizes) - d - 1))
    if np.unique(pos).size != pos.size:
        raise OpError(
            f"{op}(): unsupported operation: more than one element of the written-to tensor "
            f"refers to a single memory location (size {list(sizes)}, stride {list(strides)})"
        )
    return _write(x, src, pos, op)


def dim_order(x: Tensor, ambiguity_check: Any = False) -> tuple[int, ...]:
    """``torch.Tensor.dim_order``: the dims from outermost to innermost in memory, by their
    strides (torch's order: contiguous and channels-last first, then an insertion sort by
    stride that keeps ties, stride-0 dims and size-1 dims in place).

    ``ambiguity_check=True`` (or a list of memory formats, which this library does not have:
    only the empty list, which torch treats as True) raises RuntimeError when the order is not
    unique: a size-1 dim, or two dims of equal stride."""
    if isinstance(ambiguity_check, list):
        if ambiguity_check:  # torch's memory formats: none exist here
            raise TypeError(
                "The ambiguity_check argument must be a bool or a list of memory formats "
                "(this library has no memory formats: pass a bool)."
            )
    elif not isinstance(ambiguity_check, bool):
        raise TypeError("The ambiguity_check argument must be a bool or a list of memory formats.")
    shape, strides = x.shape, tuple(x.stride())
    check = ambiguity_check is True or isinstance(ambiguity_check, list)
    ties = any(a == b for a, b in itertools.pairwise(strides)) or 1 in shape
    if check and ties:
        raise RuntimeError(
            "The tensor does not have unique dim order, or cannot map to exact one of the given "
            "memory formats."
        )
    ndim = len(shape)
    if ndim <= 1:
        return tuple(range(ndim))
    contiguous = _dense_in_order(shape, strides, tuple(range(ndim)))
    channels_last = ndim == 4 and _dense_in_order(shape, strides, (0, 2, 3, 1))
    if contiguous and not channels_last:
        return tuple(range(ndim))
    if channels_last and not contiguous:
        return (0, *range(2, ndim), 1)

    def should_swap(a: int, b: int) -> int:
        sa, sb = strides[a], strides[b]
        if sa == 0 or sb == 0:
            return 0
        if sa == sb:
            return 0 if _ge(shape[b], shape[a]) else 1
        if _ge(sb, sa):
            return -1
        return 1 if _ge(sa, sb) else 0

    perm = list(reversed(range(ndim)))
    for i in range(1, ndim):  # torch's insertion sort, back to front
        d1 = i
        for d0 in reversed(range(i)):
            swap = should_swap(perm[d0], perm[d1])
            if swap > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif swap < 0:
                break
    # torch's second check reads the argument's truth: an empty list skips it
    if ambiguity_check and any(should_swap(perm[i], perm[i + 1]) != -1 for i in range(ndim - 1)):
        raise RuntimeError("The tensor does not have unique dim order.")
    return tuple(reversed(perm))


def _ge(a: int, b: int) -> bool:
    return b == 0 or (a != 0 and (a >= b or a % b == 0))


def _dense_in_order(shape: tuple[int, ...], strides: tuple[int, ...], order: Sequence[int]) -> bool:
    """torch's is_contiguous for the memory format whose dims, outermost first, are ``order``
    (size-1 dims take any stride; an empty tensor is contiguous)."""
    if 0 in shape:
        return True
    expected = 1
    for d in reversed(order):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def as_strided_inplace(x: Tensor, size: Any, stride: Any, storage_offset: Any) -> Tensor:
    """``Tensor.as_strided_``: x made into ``x.as_strided(size, stride, storage_offset)`` in
    place, as ``t_`` and ``squeeze_`` change their tensor (``_inplace.view_inplace``); x̄ adds
    g back where each element came from (torch's AsStridedBackward)."""
    from . import _inplace  # (the in-place machinery imports this module)

    return _inplace.view_inplace(
        x, "as_strided_", lambda t: as_strided(t, size, stride, storage_offset)
    )


def new_empty_strided(
    x: Tensor, size: Any, stride: Any, dtype: Any, device: Any, requires_grad: bool
) -> Tensor:
    """``torch.Tensor.new_empty_strided``: ``empty_strided`` in x's dtype unless given."""
    _check_device(device, "new_empty_strided()")
    d = x.dtype if dtype is None else dtype
    return empty_strided(size, stride, dtype=d, requires_grad=requires_grad)


def resize(x: Tensor, sizes: tuple[Any, ...], op: str) -> Tensor:
    """torch's deprecated out-of-place ``Tensor.resize``/``resize_as`` (its ``Resize``
    function): x's values in the new shape, a view of a contiguous x, the same number of
    elements only; x̄ = g in x's shape. With torch's UserWarning."""
    warn(f"non-inplace {op} is deprecated", UserWarning)
    shape = _size(sizes, op)
    if math.prod(shape) != x.numel():
        raise OpError(
            f"requested resize to {'x'.join(map(str, shape))} ({math.prod(shape)} elements in "
            f"total), but the given tensor has a size of {'x'.join(map(str, x.shape))} "
            f"({x.numel()} elements). autograd's resize can only change the shape of a given "
            "tensor, while preserving the number of elements."
        )
    return x.contiguous().view(shape)


def _sizes(value: Any, op: str, name: str) -> tuple[int, ...]:
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}"
        )
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, got {value!r}")
    return tuple(int(v) for v in value)


def _offset(value: Any) -> int:
    if isinstance(value, Tensor) and value.ndim == 0 and value.dtype.kind in "iu":
        return int(value.item())
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"as_strided(): argument 'storage_offset' must be an int, got {value!r}")


# ----------------------------------------------------------------------------- numerics of samples


def _check_range(range: Any, n: int, op: str, what: str) -> None:
    if range is None:
        return
    if not isinstance(range, (tuple, list)) or not all(isinstance(r, numbers.Real) for r in range):
        raise TypeError(f"{op}(): range must be {what}, got {range!r}")
    if len(range) != n:  # a RuntimeError in torch, from its kernel
        raise OpError(
            f"{op}(): for a {n // 2}-dimensional histogram range should have {n} elements, but "
            f"got {len(range)}: {range!r}"
        )


def _even_edges(values: np.ndarray, bins: int, bounds: Any, op: str, dim: str) -> np.ndarray:
    """``bins`` + 1 equal-width edges in the values' dtype, as torch's (``linspace``'s values):
    over ``bounds`` (min, max), by default the values' min to max ([0, 1] when there are none);
    a unit-wide range around a single value."""
    if bounds is None:
        lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
    else:
        lo, hi = (float(b) for b in bounds)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise OpError(f"{op}(): {dim}range of [{lo}, {hi}] is not finite")
    if lo > hi:
        raise OpError(f"{op}(): max must be larger than min, got {dim}range ({lo}, {hi})")
    if lo == hi:  # one value: a unit-wide range around it, as torch and numpy
        lo, hi = lo - 0.5, hi + 0.5
    return linspace(lo, hi, bins + 1, dtype=values.dtype).data


class Histogram(NamedTuple):
    hist: Tensor
    bin_edges: Tensor


def histogram(
    x: Tensor,
    bins: Any,
    *,
    range: tuple[float, float] | None = None,
    weight: Tensor | None = None,
    density: bool = False,
) -> Histogram:
    """``torch.histogram``: counts (or summed ``weight``) of x's entries in bins, and the bin
    edges. ``bins`` an int (that many equal bins over ``range``, by default x's min to max) or
    a 1-D tensor of increasing edges; each bin holds [left, right), the last also its right
    edge, and entries outside every bin are left out. With ``density`` the counts are divided
    by their total times the bin width, so they integrate to 1. No grad, as torch."""
    op = "histogram"
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f"{op}(): not implemented for dtype {x.dtype}; give floats")
    if weight is not None:
        _expect_tensor(weight, op, "weight")
        if weight.shape != x.shape or weight.dtype != x.dtype:
            raise RuntimeError(
                f"{op}(): expected weight of input's shape {x.shape} and dtype {x.dtype}, got "
                f"shape {weight.shape} and dtype {weight.dtype}"
            )
    if isinstance(bins, Tensor):
        if bins.ndim != 1 or bins.numel() < 2 or bins.dtype != x.dtype:
            raise RuntimeError(
                f"{op}(): bins must be a 1-D tensor of at least 2 edges of input's dtype "
                f"{x.dtype}, got shape {bins.shape} and dtype {bins.dtype}"
            )
        if range is not None:
            raise TypeError(f"{op}(): range= goes with an int number of bins, not with edges")
        edges = bins.data
        if (np.diff(edges) < 0).any():
            raise RuntimeError(f"{op}(): bin edges must be non-decreasing, got {edges}")
    else:
        if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins <= 0:
            raise RuntimeError(f"{op}(): bins must be a positive int or a tensor, got {bins!r}")
        _check_range(range, 2, op, "a pair of numbers (min, max)")
        edges = _even_edges(x.data, int(bins), range, op, "")
    w = None if weight is None else weight.data.ravel()
    hist, _ = np.histogram(x.data.ravel(), bins=edges, weights=w, density=False)
    hist = hist.astype(x.dtype)
    if density:
        hist = hist / (hist.sum() * np.diff(edges))
    return Histogram(Tensor._make(np.asarray(hist, x.dtype)), Tensor._make(np.array(edges)))


class Histogramdd(NamedTuple):
    hist: Tensor
    bin_edges: tuple[Tensor, ...]


def _dd_edges(points: np.ndarray, bins: Any, range: Any, op: str) -> list[np.ndarray]:
    """The edges of each of the D dims of the (M, D) points: given as D 1-d tensors, or D
    (or one) numbers of equal bins over ``range`` (D (min, max) pairs, flattened)."""
    D = points.shape[1]
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        bins = [bins] * D
    if not isinstance(bins, (list, tuple)):
        raise TypeError(
            f"{op}(): bins must be an int, a sequence of ints or a sequence of 1-d tensors, "
            f"got {type(bins).__name__}"
        )
    if len(bins) != D:
        raise OpError(
            f"{op}(): the size of bins ({len(bins)}) must be equal to the innermost dimension "
            f"of the input ({D}), a sequence for each dimension"
        )
    if bins and all(isinstance(b, Tensor) for b in bins):
        if range is not None:  # torch ignores it
            raise TypeError(f"{op}(): range= goes with numbers of bins, not with bin edges")
        for d, b in enumerate(bins):
            if b.ndim != 1 or b.numel() < 2 or b.dtype != points.dtype:
                raise OpError(
                    f"{op}(): the bin edges of dimension {d} must be a 1-d tensor of at least 2 "
                    f"edges of input's dtype {points.dtype}, got shape {b.shape} and dtype "
                    f"{b.dtype}"
                )
            if (np.diff(b.data) < 0).any():  # torch counts nothing there, without a word
                raise OpError(
                    f"{op}(): the bin edges of dimension {d} must be non-decreasing, got {b.data}"
                )
        return [b.data for b in bins]
    for d, b in enumerate(bins):
        if not isinstance(b, numbers.Integral) or isinstance(b, bool):
            raise TypeError(
                f"{op}(): bins must be all ints or all 1-d tensors, got {type(b).__name__} for "
                f"dimension {d}"
            )
        if b <= 0:
            raise OpError(f"{op}(): bins must be > 0, but got {b} for dimension {d}")
    what = f"{2 * D} numbers (min₀, max₀, min₁, …) for a {D}-dimensional histogram"
    _check_range(range, 2 * D, op, what)
    return [
        _even_edges(
            points[:, d],
            int(b),
            None if range is None else range[2 * d : 2 * d + 2],
            op,
            f"dim {d}'s ",
        )
        for d, b in enumerate(bins)
    ]


def histogramdd(
    x: Tensor,
    bins: Any,
    *,
    range: Sequence[float] | None = None,
    weight: Tensor | None = None,
    density: bool = False,
) -> Histogramdd:
    """``torch.histogramdd``: the counts (or summed ``weight``) of the points in D-dimensional
    bins, and each dim's bin edges. x is (…, D): the rows of its flattened leading dims are the
    points, ``weight`` one per point (shape x.shape[:-1]). ``bins`` per dim as in
    ``histogram``: one int for all, an int each, or a 1-d tensor of edges each; ``range`` the
    flattened (min, max) of each dim (by default that dim's min and max). A point is counted in
    the bin each of its coordinates falls in ([left, right), the last bin of a dim also its
    right edge), else left out. With ``density`` the counts are divided by their total times
    the bin's volume. No grad, as torch."""
    op = "histogramdd"
    if x.ndim < 2:
        raise OpError(f"{op}(): input must have at least 2 dimensions (…, D), got shape {x.shape}")
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f"{op}(): not implemented for dtype {x.dtype}; give floats")
    if weight is not None:
        _expect_tensor(weight, op, "weight")
        if weight.shape != x.shape[:-1] or weight.dtype != x.dtype:
            raise OpError(
                f"{op}(): expected weight of shape {x.shape[:-1]} (input's without its last "
                f"dim) and dtype {x.dtype}, got shape {weight.shape} and dtype {weight.dtype}"
            )
    D = x.shape[-1]
    points = x.data.reshape(-1, D) if D else np.zeros((0, 0), x.dtype)
    edges = _dd_edges(points, bins, range, op)
    if D == 0:  # no coordinates: one 0-d bin, empty as torch's
        return Histogramdd(Tensor._make(np.zeros((), x.dtype)), ())
    w = None if weight is None else weight.data.ravel()
    hist, _ = np.histogramdd(points, bins=edges, weights=w)
    if density:
        volume = math.prod(np.ix_(*(np.diff(e) for e in edges)))
        with np.errstate(invalid="ignore", divide="ignore"):  # no points: nan, as torch
            hist = hist / (hist.sum() * volume)
    out = Tensor._make(np.asarray(hist, dtype=x.dtype))
    return Histogramdd(out, tuple(Tensor._make(np.array(e)) for e in edges))


def _slice(f: Tensor, d: int, start: int, stop: int | None) -> Tensor:
    return f[(slice(None),) * d + (slice(start, stop),)]


def _gradient_coefficients(f: Tensor, d: int, h: Any, edge_order: int) -> Tensor:
    """One partial derivative of ``gradient``: central differences inside, one-sided ones
    of order ``edge_order`` at both ends; ``h`` a number (uniform spacing) or coordinates."""
    n = f.shape[d]
    f0, f1, f2 = (_slice(f, d, k, n - 2 + k) for k in range(3))  # f[i-1], f[i], f[i+1]
    first, last = _slice(f, d, 0, 1), _slice(f, d, n - 1, n)
    if not isinstance(h, Tensor):
        inner = (f2 - f0) / (2 * h)
        if edge_order == 1:
            left = (_slice(f, d, 1, 2) - first) / h
            right = (last - _slice(f, d, n - 2, n - 1)) / h
        else:
            a, b = _slice(f, d, 1, 2), _slice(f, d, 2, 3)
            left = (-1.5 * first + 2 * a - 0.5 * b) / h
            y, z = _slice(f, d, n - 2, n - 1), _slice(f, d, n - 3, n - 2)
            right = (0.5 * z - 2 * y + 1.5 * last) / h
        return cat([left, inner, right], d) if n > 2 else cat([left, right], d)
    # coordinates: the coefficients are Tensor arithmetic of them, so they get a gradient too
    along = [-1 if k == d else 1 for k in range(f.ndim)]
    dx = (h[1:] - h[:-1]).reshape(along)
    hs, hd = _slice(dx, d, 0, n - 2), _slice(dx, d, 1, n - 1)
    coeffs = (-hd / (hs * (hd + hs)), (hd - hs) / (hd * hs), hs / (hd * (hd + hs)))
    inner = coeffs[0] * f0 + coeffs[1] * f1 + coeffs[2] * f2
    if edge_order == 1:
        left = (_slice(f, d, 1, 2) - first) / _slice(dx, d, 0, 1)
        right = (last - _slice(f, d, n - 2, n - 1)) / _slice(dx, d, n - 2, n - 1)
    else:
        p, q = _slice(dx, d, 0, 1), _slice(dx, d, 1, 2)
        a, b, c = -(2 * p + q) / (p * (p + q)), (p + q) / (p * q), -p / (q * (p + q))
        left = a * first + b * _slice(f, d, 1, 2) + c * _slice(f, d, 2, 3)
        p, q = _slice(dx, d, n - 3, n - 2), _slice(dx, d, n - 2, n - 1)
        a, b, c = q / (p * (p + q)), -(q + p) / (p * q), (2 * q + p) / (q * (p + q))
        left_of = _slice(f, d, n - 3, n - 2) * a + _slice(f, d, n - 2, n - 1) * b
        right = left_of + last * c
    return cat([left, inner, right], d)


def gradient(
    x: Tensor, *, spacing: Any = 1, dim: int | Sequence[int] | None = None, edge_order: int = 1
) -> tuple[Tensor, ...]:
    """``torch.gradient``: the derivative of the function sampled by x along each of ``dim``
    (all dims by default), by second-order central differences inside and one-sided ones of
    order ``edge_order`` (1 or 2) at the ends, as numpy. ``spacing``: one number for every
    dim, a number per dim, or per dim a 1-D tensor of the sample coordinates (None is 1).
    Composed of slices and arithmetic, so x̄ and the coordinates' gradient are exact."""
    op = "gradient"
    if edge_order not in (1, 2):
        raise RuntimeError(
            f"torch.gradient only supports edge_order=1 and edge_order=2, got {edge_order}"
        )
    if dim is None:
        dims = tuple(range(x.ndim))
    elif isinstance(dim, int):
        dims = (x._dim(dim, op),)
    else:
        dims = tuple(x._dim(d, op) for d in dim)
    if spacing is None:
        spacing = 1
    if isinstance(spacing, (numbers.Number, Tensor)) and not (
        isinstance(spacing, Tensor) and spacing.ndim == 1
    ):
        steps: list[Any] = [spacing] * len(dims)
    elif isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                f"and dim arguments to have the same length, but got a spacing argument of "
                f"length {len(spacing)} and a dim argument of length {len(dims)}"
            )
        steps = list(spacing)
    else:
        raise TypeError(f"{op}(): spacing must be a number or a list, got {type(spacing).__name__}")
    hs: list[Any] = []
    for d, s in zip(dims, steps):
        if isinstance(s, Tensor) and s.ndim == 1:
            if s.shape[0] != x.shape[d]:
                raise RuntimeError(
                    f"torch.gradient expected each tensor to be on the same device and to have "
                    f"as many coordinates ({s.shape[0]}) as dim {d} has samples ({x.shape[d]})"
                )
            hs.append(s)
        elif isinstance(s, Tensor) and s.ndim == 0:
            hs.append(s.item())
        elif isinstance(s, numbers.Number):
            hs.append(s)
        else:
            raise TypeError(f"{op}(): each spacing must be a number or a 1-D tensor, got {s!r}")
    for d in dims:
        if x.shape[d] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1 "
                f"(dim {d} of shape {x.shape} has {x.shape[d]})"
            )
    f = x if x.data.dtype.kind == "f" else x.to(np.float32)
    return tuple(_gradient_coefficients(f, d, h, edge_order) for d, h in zip(dims, hs))


def _trapezoids(y: Tensor, x: Any, dx: Any, dim: int, op: str) -> tuple[Tensor, int]:
    """The areas of the trapezoids between neighbouring samples of y along ``dim``."""
    _expect_tensor(y, op, "y")
    if x is not None and dx is not None:
        raise TypeError(f"{op}(): give x or dx, not both")
    d = y._dim(dim, op)
    n = y.shape[d]
    pairs = _slice(y, d, 1, None) + _slice(y, d, 0, n - 1 if n else 0)
    if x is None:
        return pairs * (0.5 * (1 if dx is None else dx)), d
    _expect_tensor(x, op, "x")
    if x.ndim == 1:
        if x.shape[0] != n:
            raise RuntimeError(
                f"{op}(): there must be one `x` value for each sample point: x has "
                f"{x.shape[0]}, y has {n} along dim {d}"
            )
        widths = (x[1:] - x[:-1]).reshape([-1 if k == d else 1 for k in range(y.ndim)])
    else:
        widths = _slice(x, d, 1, None) - _slice(x, d, 0, max(x.shape[d] - 1, 0))
    return widths * pairs * 0.5, d


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """``torch.trapezoid``: the trapezoidal rule along ``dim``: Σ (xᵢ₊₁ − xᵢ)(yᵢ + yᵢ₊₁)/2,
    with x the sample coordinates (1-D, or y's shape) or spacing ``dx`` (default 1);
    differentiable in y and x. Over no samples it is the constant 0, not recorded (torch's)."""
    areas, d = _trapezoids(y, x, dx, dim, "trapezoid")
    if y.shape[d] == 0:
        return Tensor._make(np.zeros(areas.shape[:d] + areas.shape[d + 1 :], areas.data.dtype))
    return areas.sum(d)


def cumulative_trapezoid(
    y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1
) -> Tensor:
    """``torch.cumulative_trapezoid``: the running sums of ``trapezoid``'s areas along
    ``dim`` (one fewer than the samples)."""
    areas, d = _trapezoids(y, x, dx, dim, "cumulative_trapezoid")
    return areas.cumsum(d)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """``torch.vander``: the matrix of powers x^(N−1), …, x, 1 of a vector (x⁰ first with
    ``increasing``), N = len(x) by default; made by ``cumprod`` as torch's, so x̄ is its."""
    _expect_tensor(x, "vander", "x")
    if x.ndim != 1:
        raise RuntimeError(f"x must be a one-dimensional tensor, got shape {x.shape}")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError(f"N must be non-negative, got {n}")
    v = x if x.data.dtype.kind == "f" else x.to(np.int64)  # integers and bools: int64
    if n == 0:
        return Tensor._make(np.zeros((x.shape[0], 0), dtype=v.dtype))
    if n == 1:  # only x⁰: a constant, not recorded (torch's)
        return Tensor._make(np.ones((x.shape[0], 1), dtype=v.dtype))
    ones = Tensor._make(np.ones((x.shape[0], 1), dtype=v.dtype))
    powers = cat([ones, v.unsqueeze(1).expand(x.shape[0], n - 1)], 1).cumprod(1)
    return powers if increasing else powers.flip(1)
