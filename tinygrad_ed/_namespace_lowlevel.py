"""torch's low-level top-level forms, the ones its modules and decompositions call: the
``native_*`` normalizations that also return their statistics, ``rms_norm``, the old norm
entry points (``frobenius_norm``, ``nuclear_norm``, ``norm_except_dim``), ``constant_pad_nd``,
``convolution`` (every conv and transposed conv in one signature), the in-place activations
``celu_``, ``selu_``, ``rrelu_``, ``embedding_renorm_``, ``segment_reduce`` and
``nonzero_static``.

Each is composed of the library's differentiable ops (``F.layer_norm``, ``linalg.vector_norm``,
``F.pad``, ``conv2d``, ``scatter_reduce``, …), so its gradient is theirs; the statistics the
``native_*`` forms return beside the output are constants (torch gives them no gradient
either).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _conv, linalg
from . import _methods_more as _more
from . import functional as F
from ._warn import warn
from .autograd import is_grad_enabled
from .random import GeneratorLike, _numpy_generator
from .tensor import OpError, Scalar, Tensor, _expect_tensor, where

# ----------------------------------------------------------------------------- normalizations


def rms_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """``torch.rms_norm``: ``F.rms_norm``, x / √(mean(x²) + ε)·w over the last dims."""
    _expect_tensor(input, "rms_norm")
    return F.rms_norm(input, normalized_shape, weight, eps)


def _constant(a: np.ndarray, dtype: np.dtype[Any]) -> Tensor:
    return Tensor._make(np.asarray(a, dtype=dtype))


def _stats(x: np.ndarray, axes: tuple[int, ...], eps: float) -> tuple[np.ndarray, np.ndarray]:
    """The mean and 1/√(biased variance + ε) over ``axes``, kept as size-1 dims, in float64."""
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=axes, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=axes, keepdims=True)
    with np.errstate(divide="ignore"):
        return mean, 1.0 / np.sqrt(var + eps)


def native_layer_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None,
    bias: Tensor | None,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_layer_norm``: ``(layer_norm(input, …), mean, rstd)``, with the mean and
    rstd = 1/√(σ² + ε) of each normalized slice, of shape input.shape[:-k] + (1,)·k for
    k = len(normalized_shape): constants (no gradient, as torch's). The output is
    ``F.layer_norm``'s, with its gradient."""
    _expect_tensor(input, "native_layer_norm")
    out = F.layer_norm(input, normalized_shape, weight, bias, eps)
    k = len(normalized_shape)
    mean, rstd = _stats(input.data, tuple(range(input.ndim - k, input.ndim)), eps)
    return out, _constant(mean, input.dtype), _constant(rstd, input.dtype)


def native_batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_batch_norm``: ``(batch_norm(input, …), save_mean, save_invstd)``. In
    training, the batch's mean and 1/√(σ² + ε) per channel (shape (C,), constants), and the
    running statistics updated in place as ``batch_norm``'s; in evaluation both are empty, as
    torch's. (torch crashes in evaluation without running statistics; refused here.)"""
    op = "native_batch_norm"
    _expect_tensor(input, op)
    if not training and (running_mean is None or running_var is None):
        raise OpError(
            f"{op}(): evaluation (training=False) needs running_mean and running_var, got "
            f"{'None' if running_mean is None else 'a tensor'} and "
            f"{'None' if running_var is None else 'a tensor'}"
        )
    out = F._checked_batch_norm(
        input, running_mean, running_var, weight, bias, training, momentum, eps, True
    )
    if not training:
        empty = np.zeros(0, dtype=input.dtype)
        return out, _constant(empty, input.dtype), _constant(empty, input.dtype)
    axes = (0, *range(2, input.ndim))
    mean, invstd = _stats(input.data, axes, eps)
    c = input.shape[1]
    return (
        out,
        _constant(mean.reshape(c), input.dtype),
        _constant(invstd.reshape(c), input.dtype),
    )


def native_group_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    N: int,
    C: int,
    HxW: int,
    group: int,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """``torch.native_group_norm``: ``(group_norm(input, group, …), mean, rstd)`` for an input
    of N·C·HxW values (N samples of C channels), the mean and rstd of each (sample, group) of
    shape (N, group). The output is ``torch.group_norm``'s, with its gradient; unlike the other
    native norms' statistics, torch differentiates these too, so they are composed of x's ops:
    with M values in a group, μ = Σx/M, r = (Σ(x − μ)²/M + ε)^(−½), x̄ = μ̄/M − r̄·r³·(x − μ)/M.
    (torch's rule drops μ̄ or r̄ when the other is absent, a torch bug; here each counts alone.
    Where only weight or bias requires grad torch says they require grad too, reaching nothing;
    here they are constants of the input.)"""
    op = "native_group_norm"
    _expect_tensor(input, op)
    if input.numel() != N * C * HxW or input.ndim < 2 or input.shape[:2] != (N, C):
        raise OpError(
            f"{op}(): expected an input of N·C·HxW = {N}·{C}·{HxW} values, shaped (N, C, …), "
            f"got shape {input.shape}"
        )
    out = F._group_norm(input, group, weight, bias, eps, one_value_ok=True)
    grouped = input.reshape(N, group, -1)
    # (the variance takes its own mean: μ is not on r's path, as torch's outputs are siblings,
    # so a gradient retained on μ holds μ's uses only)
    var = grouped.var(-1, correction=0)
    return out, grouped.mean(-1), (var + eps).rsqrt()


def native_dropout(input: Tensor, p: float, train: bool | None) -> tuple[Tensor, Tensor]:
    """``torch.native_dropout``: ``(x ⊙ m/(1 − p), m)``, the output and its bool keep mask
    m ~ Bernoulli(1 − p) from the global generator; x̄ = g ⊙ m/(1 − p). ``train`` None means
    training, as torch's; ``train=False`` returns a copy of x and a mask of ones."""
    op = "native_dropout"
    _expect_tensor(input, op)
    try:
        F._check_dropout_p(p, f"{op}()")
    except ValueError as e:  # torch's RuntimeError, from its bernoulli_
        raise OpError(str(e)) from None
    if train is False:
        return input.clone(), Tensor._make(np.ones(input.shape, dtype=bool))
    if input.dtype.kind not in "fc":
        raise TypeError(f"{op}(): input must have a floating point dtype, got {input.dtype}")
    keep = _numpy_generator().random(input.shape) >= p
    scale = np.zeros(input.shape) if p == 1 else keep * (1.0 / (1.0 - p))
    return input * _constant(scale, input.dtype), Tensor._make(np.asarray(keep))


# ----------------------------------------------------------------------------- norms


def native_norm(
    input: Tensor,
    p: Scalar | None = 2,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    dtype: Any = None,
) -> Tensor:
    """``torch.native_norm``: refused as torch refuses it for a strided tensor (its kernels are
    for sparse tensors only); ``linalg.vector_norm`` is the dense norm."""
    _expect_tensor(input, "native_norm")
    raise NotImplementedError(
        "Could not run 'aten::native_norm' with arguments from the 'CPU' backend: torch has it "
        "for sparse tensors only; use linalg.vector_norm(input, p, dim, keepdim)"
    )


def _dims(dim: Any, op: str) -> tuple[int, ...]:
    dims = (dim,) if isinstance(dim, numbers.Integral) else tuple(dim)
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims):
        raise TypeError(f"{op}(): argument 'dim' must be tuple of ints, got {dim!r}")
    return tuple(int(d) for d in dims)


def frobenius_norm(input: Tensor, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
    """``torch.frobenius_norm`` (deprecated in torch, with this warning): √(Σ x²) over ``dim``
    (one or two dims; none: all), ``linalg.vector_norm(input, 2, dim, keepdim)``;
    x̄ = g·x/‖x‖."""
    op = "frobenius_norm"
    _expect_tensor(input, op)
    dims = _dims(dim, op)
    warn(
        "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will be "
        "removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., dim, "
        "keepdim)` instead",
        UserWarning,
    )
    if len(dims) > 2:
        raise OpError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    wrapped = [input._dim(d, op) for d in dims]
    if len(set(wrapped)) < len(wrapped):
        raise OpError(f"dim {wrapped[0]} appears multiple times in the list of dims")
    return linalg.vector_norm(input, 2, dims or None, keepdim)


def nuclear_norm(
    input: Tensor, dim: bool | Sequence[int] | None = None, keepdim: bool = False
) -> Tensor:
    """``torch.nuclear_norm`` (deprecated in torch, with this warning): the sum of the singular
    values of each matrix over ``dim`` (the last two by default), ``linalg.matrix_norm(input,
    'nuc', dim, keepdim)``. torch's overload ``nuclear_norm(input, keepdim)`` takes a bool
    second, as here."""
    op = "nuclear_norm"
    _expect_tensor(input, op)
    if isinstance(dim, (bool, np.bool_)):
        dim, keepdim = None, bool(dim)
    dims = (-2, -1) if dim is None else _dims(dim, op)
    if len(dims) != 2:
        raise OpError(f"{op}(): dim must be a 2-tuple of ints, got {dims}")
    warn(
        "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be "
        "removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, "
        "keepdim)` instead",
        UserWarning,
    )
    return linalg.matrix_norm(input, "nuc", (dims[0], dims[1]), keepdim)


def norm_except_dim(v: Tensor, pow: int = 2, dim: int = 0) -> Tensor:
    """``torch.norm_except_dim``, weight normalization's norm: the ``pow``-norm over every dim
    but ``dim``, kept as size-1 dims (shape (1, …, v.shape[dim], …, 1)); ``dim=-1`` is the norm
    of all of v, a 0-d tensor (torch's convention, not the last dim), the only dim a 0-d v
    takes."""
    op = "norm_except_dim"
    _expect_tensor(v, op, "v")
    if dim == -1:
        return linalg.vector_norm(v, pow)
    d = v._dim(dim, op)
    if v.ndim == 0:  # (torch reads v.size(0) of it)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    shape = tuple(n if i == d else 1 for i, n in enumerate(v.shape))
    rows = v.movedim(d, 0).reshape(v.shape[d], -1)  # torch's view(size, -1)
    return linalg.vector_norm(rows, pow, 1).reshape(shape)


# ----------------------------------------------------------------------------- padding, conv


def constant_pad_nd(input: Tensor, pad: Sequence[int], value: Scalar = 0) -> Tensor:
    """``torch.constant_pad_nd``: ``F.pad(input, pad, "constant", value)``; pairs of (before,
    after) widths from the last dim backwards, negative ones cropping; x̄ = g's inner part."""
    op = "constant_pad_nd"
    _expect_tensor(input, op)
    if len(pad) % 2:
        raise OpError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) > 2 * input.ndim:
        raise OpError(
            "Length of pad should be no more than twice the number of dimensions of the input. "
            f"Pad length is {len(pad)} while the input has {input.ndim} dimensions."
        )
    return F.pad(input, list(pad), "constant", value)


def _per_dim(value: Sequence[int], n: int, name: str) -> tuple[int, ...]:
    """A convolution argument for n spatial dims: one value for all, as torch expands it."""
    values = tuple(value)
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise OpError(
            f"convolution(): expected {name} to be a single integer value or a list of {n} "
            f"values to match the convolution dimensions, but got {name}={list(values)}"
        )
    return values


def convolution(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    transposed: bool,
    output_padding: Sequence[int],
    groups: int,
) -> Tensor:
    """``torch.convolution``: the 1-, 2- or 3-d convolution of weight's rank (conv{n}d), or
    with ``transposed`` its transpose (conv_transpose{n}d, where ``output_padding`` applies;
    ignored otherwise, as torch's). Each list may hold one value for every spatial dim. The
    input must be batched, (N, C, *spatial) of weight's rank, as torch's kernel takes it (the
    ``conv{n}d`` functions are what add a batch dim to an unbatched input)."""
    op = "convolution"
    _expect_tensor(input, op)
    _expect_tensor(weight, op, "weight")
    n = weight.ndim - 2
    if n not in (1, 2, 3):
        raise OpError(
            f"{op}(): weight must be 3-, 4- or 5-dimensional (1-, 2- or 3-d convolution), got "
            f"shape {weight.shape}"
        )
    if input.ndim != weight.ndim:
        raise OpError(
            f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight "
            f"{list(weight.shape)}, but got {input.ndim}-dimensional input of size "
            f"{list(input.shape)} instead"
        )
    s, p, d = (_per_dim(v, n, k) for v, k in ((stride, "stride"), (padding, "padding"),
                                                (dilation, "dilation")))  # fmt: skip
    if not transposed:
        conv = (_conv.conv1d, _conv.conv2d, _conv.conv3d)[n - 1]
        return conv(input, weight, bias, s, p, d, groups)
    o = _per_dim(output_padding, n, "output_padding")
    conv_t = (_conv.conv_transpose1d, _conv.conv_transpose2d, _conv.conv_transpose3d)[n - 1]
    return conv_t(input, weight, bias, s, p, o, groups, d)


# ----------------------------------------------------------------------------- in place


def celu_(input: Tensor, alpha: Scalar = 1.0) -> Tensor:
    """``torch.celu_``: ``F.celu_``, celu written into ``input``."""
    _expect_tensor(input, "celu_")
    return F.celu_(input, alpha)


def selu_(input: Tensor) -> Tensor:
    """``torch.selu_``: ``F.selu_``, selu written into ``input``."""
    _expect_tensor(input, "selu_")
    return F.selu_(input)


def rrelu_(
    input: Tensor,
    lower: Scalar = 1.0 / 8,
    upper: Scalar = 1.0 / 3,
    training: bool = False,
    generator: GeneratorLike = None,
) -> Tensor:
    """``torch.rrelu_``: rrelu written into ``input`` (slopes drawn from ``generator`` while
    training; the mean slope (lower + upper)/2 otherwise)."""
    _expect_tensor(input, "rrelu_")
    return input._computed_inplace(
        "rrelu_", lambda x: F._rrelu(x, lower, upper, training, generator), None
    )


def embedding_renorm_(input: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """``torch.embedding_renorm_``: each row of the (num_embeddings, dim) weight ``input`` that
    ``indices`` names and whose ``norm_type``-norm exceeds ``max_norm`` scaled in place by
    max_norm/(norm + 1e-7), as ``F.embedding(max_norm=)`` does first. Outside autograd, so
    refused on a tensor that requires grad, except under no_grad: a leaf as torch refuses it;
    a non-leaf with the error torch's backward raises later ("the derivative for
    'embedding_renorm' is not implemented"), raised here before anything changes."""
    op = "embedding_renorm_"
    _expect_tensor(input, op)
    _expect_tensor(indices, op, "indices")
    if input.ndim != 2:
        raise OpError(
            f"Expected 2-dimensional tensor, but got {input.ndim}-dimensional tensor for "
            f"argument #1 'self' (while checking arguments for {op})"
        )
    if indices.dtype not in (np.int64, np.int32):
        raise OpError(
            "Expected tensor for argument #2 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {indices.dtype} instead (while checking arguments for "
            f"{op})"
        )
    idx = indices.data.ravel().astype(np.int64)
    n = input.shape[0]
    bad = idx[(idx < -n) | (idx >= n)]
    if bad.size:
        raise IndexError(
            f"select(): index {int(bad[0])} out of range for tensor of size {list(input.shape)} "
            "at dimension 0"
        )
    if input.requires_grad and is_grad_enabled():
        if input.is_leaf:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        raise NotImplementedError("the derivative for 'embedding_renorm' is not implemented.")
    F._renorm_rows(input, idx % max(n, 1), float(max_norm), float(norm_type))
    return input


# ----------------------------------------------------------------------------- segments

_SEGMENT_REDUCTIONS = {"sum": "sum", "prod": "prod", "mean": "sum", "max": "amax",
                       "amax": "amax", "min": "amin", "amin": "amin"}  # fmt: skip


def _segment_bounds(
    data: Tensor, lengths: Tensor | None, offsets: Tensor | None, axis: int, unsafe: bool
) -> np.ndarray:
    """The segments' offsets, of shape data.shape[:axis] + (S + 1,): segment k of a row spans
    [offsets[k], offsets[k + 1]) along ``axis``."""
    op = "segment_reduce"
    given = lengths if lengths is not None else offsets
    name = "lengths" if lengths is not None else "offsets"
    if given is None:
        raise OpError(f"{op}(): Either lengths or offsets must be defined.")
    _expect_tensor(given, op, name)
    if given.dtype not in (np.int64, np.int32):
        raise NotImplementedError(
            f'"_segment_reduce_{name}_cpu_kernel1" not implemented for {given.dtype}'
        )
    if given.ndim == 0 or given.ndim > data.ndim:
        raise OpError(
            f"{op}(): expected {name} of 1 to data.ndim = {data.ndim} dims, got shape {given.shape}"
        )
    if given.ndim - 1 != axis:
        raise OpError(f"{op}(): Expected axis to be the last dimension of {name} but got {axis}.")
    if given.shape[:axis] != data.shape[:axis]:
        raise OpError(
            f"{op}(): {name} of shape {given.shape} does not match data of shape {data.shape} "
            f"before axis {axis}"
        )
    values = given.data.astype(np.int64)
    if lengths is not None:
        if values.size == 0:  # torch's check min(lengths) >= 0 reduces over nothing
            raise OpError(
                "min(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                "the reduction dim with the 'dim' argument."
            )
        if (values < 0).any():
            raise OpError("lengths contains negative value!")
        if not unsafe and (values.sum(-1) != data.shape[axis]).any():
            raise OpError(
                f"{op}(): Expected all rows of lengths along axis to sum to data.size("
                f"lengths.dim()-1) when !unsafe (lengths {values.tolist()}, data.size "
                f"{data.shape[axis]})."
            )
        zero = np.zeros((*values.shape[:-1], 1), dtype=np.int64)
        return np.concatenate([zero, np.cumsum(values, -1)], -1)
    if values.shape[-1] == 0 or (np.diff(values, axis=-1) < 0).any():
        raise OpError(
            f"{op}(): offsets must be a non-empty, non-decreasing sequence along axis, got "
            f"{values.tolist()}"
        )
    return values


def segment_reduce(
    data: Tensor,
    reduce: str,
    *,
    lengths: Tensor | None = None,
    indices: Tensor | None = None,
    offsets: Tensor | None = None,
    axis: int = 0,
    unsafe: bool = False,
    initial: Scalar | None = None,
) -> Tensor:
    """``torch.segment_reduce``: ``data`` reduced over consecutive segments along ``axis``,
    given by their ``lengths`` or their ``offsets`` (one row per index of the dims before
    ``axis``, as data's). The output has S segments in place of axis.

    ``reduce``: "sum", "prod", "mean", "max" or "min" ("amax", "amin"). ``initial`` joins every
    segment (added, multiplied, compared; for "mean" added to the sum, which is divided by the
    segment's length); an empty segment gives ``initial``, else 0, 1, nan, −inf, +inf. With
    ``unsafe`` the lengths need not cover the axis. Gradients (composed of ``scatter_reduce``):
    sum ȳ spread over the segment, mean ȳ/n, prod ȳ·y/x (0 at zeros, the other factors'
    product at a single zero), max and min ȳ shared evenly among the tied extremes.
    """
    op = "segment_reduce"
    _expect_tensor(data, op, "data")
    if reduce not in _SEGMENT_REDUCTIONS:
        raise OpError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if indices is not None:
        raise OpError(f"{op}(): indices based reduction is not supported yet.")
    if lengths is not None and offsets is not None:
        offsets = None  # torch reads the lengths
    if data.dtype.kind != "f":
        raise NotImplementedError(f'"_segment_reduce_cpu" not implemented for {data.dtype}')
    if data.ndim == 0:
        raise OpError(f"{op}(): data must have at least one dim, got a 0-d tensor")
    ax = data._dim(axis, op)
    bounds = _segment_bounds(data, lengths, offsets, ax, unsafe)
    segments = bounds.shape[-1] - 1
    n = data.shape[ax]
    # each position's segment along axis (S: in none, a slot dropped at the end)
    position = np.arange(n)
    starts, ends = bounds[..., :-1, None], bounds[..., 1:, None]  # (..., S, 1)
    inside = (starts <= position) & (position < ends)  # (..., S, n)
    # (no segments: offsets of one entry, every position in none)
    first = inside.argmax(-2) if segments else np.zeros(inside.shape[-1:], dtype=np.int64)
    seg = np.where(inside.any(-2), first, segments)  # (..., n)
    rest = data.ndim - ax - 1
    index = np.broadcast_to(seg.reshape(seg.shape + (1,) * rest), data.shape)
    kind = _SEGMENT_REDUCTIONS[reduce]
    empty = {"sum": 0.0, "prod": 1.0, "amax": -np.inf, "amin": np.inf}[kind]
    out_shape = (*data.shape[:ax], segments + 1, *data.shape[ax + 1 :])
    base = Tensor._make(np.full(out_shape, empty, dtype=data.dtype))
    out = base.scatter_reduce(ax, Tensor._make(np.ascontiguousarray(index)), data, kind)
    out = out.narrow(ax, 0, segments)
    counts = np.minimum(np.diff(bounds, axis=-1), np.maximum(n - bounds[..., :-1], 0))
    counts = counts.reshape(counts.shape + (1,) * rest)
    if initial is not None:
        init = data.dtype.type(initial)
        if kind == "sum":
            out = out + init
        elif kind == "prod":
            out = out * init
        else:  # initial competes in value only: ties among the data keep their even shares
            better = out.data >= init if kind == "amax" else out.data <= init
            better |= np.isnan(out.data)  # a nan in the data propagates, as torch's
            out = where(better, out, Tensor._make(np.full(out.shape, init, data.dtype)))
    if reduce == "mean":
        fill = np.nan if initial is None else data.dtype.type(initial)
        out = where(counts > 0, out / Tensor._make(np.maximum(counts, 1).astype(data.dtype)), fill)
    return out


# ----------------------------------------------------------------------------- indices


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``torch.nonzero_static``: see ``Tensor.nonzero_static``."""
    _expect_tensor(input, "nonzero_static")
    return _more.nonzero_static(input, size=size, fill_value=fill_value)
