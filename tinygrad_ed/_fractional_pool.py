"""Fractional max pooling (Graham, 2014): max pools whose windows start at pseudo-random,
increasing places, so that the output can shrink the input by a non-integer ratio.

Along a dim of size L pooled to m places with windows of size k, one draw u ∈ [0, 1) per
(sample, channel, dim) gives torch's window starts

    α = (L − k)/(m − 1),   start_i = ⌊(i + u)·α⌋ − ⌊u·α⌋   (i < m − 1),   start_{m−1} = L − k,

computed in the input's precision, as torch's kernels. Each output is the maximum of its window
(ties: the first maximum, a nan if any: the last), so x̄ = ḡ at each window's chosen entry:
gather's rule, as ``max_pool``'s. The draws for a (N, C, *S) input are ``_random_samples`` of
shape (N, C, n), in torch's order: (W, H) for 2-d pooling but (D, H, W) for 3-d;
without them they come from ``tg.manual_seed``'s generator.

PyTorch equivalents: ``torch.nn.functional.fractional_max_pool2d`` and ``fractional_max_pool3d``
(``return_indices`` gives the flat index of each choice into its input plane).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._conv import _input, _ints, _pick_max, _unbatch
from .random import _numpy_generator
from .tensor import OpError, Tensor

__all__ = [
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
]


def _starts(samples: np.ndarray, size: int, out: int, k: int) -> np.ndarray:
    """torch's generate_intervals for every (sample, channel): the window starts (N, C, m)."""
    ft = samples.dtype.type
    starts = np.full((*samples.shape, out), size - k, dtype=np.int64)
    if out > 1:
        alpha = ft(size - k) / ft(out - 1)
        i = np.arange(out - 1, dtype=samples.dtype)
        u = samples[..., None]
        # truncation toward zero of non-negative floats: C's static_cast<int>
        starts[..., :-1] = ((i + u) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)
    return starts


def _output_sizes(
    x: Tensor, output_size: Any, output_ratio: Any, n: int, op: str
) -> tuple[int, ...]:
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    if output_size is not None:
        return _ints(output_size, n, op, "output_size")
    ratios = list(output_ratio) if isinstance(output_ratio, (tuple, list)) else [output_ratio] * n
    if len(ratios) != n:
        raise ValueError(
            f"{op} requires output_ratio to either be a single number or a tuple of {n} "
            f"numbers, got {output_ratio!r}"
        )
    if any(type(r) is bool or not isinstance(r, (int, float, np.number)) for r in ratios):
        raise TypeError(f"{op}(): output_ratio must be a number or numbers, got {output_ratio!r}")
    return tuple(int(s * float(r)) for s, r in zip(x.shape[-n:], ratios))


def _fractional_max_pool(
    input: Any,
    kernel_size: Any,
    output_size: Any,
    output_ratio: Any,
    return_indices: bool,
    _random_samples: Any,
    n: int,
) -> Any:
    op = f"fractional_max_pool{n}d"
    x, batched = _input(input, n, op)
    if 0 in x.shape[1:]:
        raise OpError(
            f"{op}(): expected input to have non-zero size for non-batch dimensions, but got "
            f"input of shape {input.shape}"
        )
    kernel = _ints(kernel_size, n, op, "kernel_size")
    if any(k <= 0 for k in kernel):
        raise OpError(f"{op}(): kernel_size must be greater than zero, got {kernel}")
    outs = _output_sizes(x, output_size, output_ratio, n, op)
    if any(o < 0 for o in outs):
        raise OpError(f"{op}(): output_size must be non-negative, got {outs}")
    batch, channels, *sizes = x.shape
    names = ("width", "height", "time")[:n][::-1]  # torch's names of D, H, W
    for name, size, o, k in zip(names, sizes, outs, kernel):
        # torch's 3-d kernel also refuses windows that just fit (o + k − 1 = L): as it does
        if o + k - 1 > size or (n == 3 and o + k - 1 == size):
            raise OpError(
                f"{op}(): pool {name} {k} too large relative to input {name} {size} (output "
                f"size {o}, input of shape {input.shape})"
            )
    if _random_samples is None:
        samples = _numpy_generator().random((batch, channels, n)).astype(x.dtype)
    else:
        if not isinstance(_random_samples, Tensor):
            raise TypeError(
                f"{op}(): _random_samples must be a Tensor, got {type(_random_samples).__name__}"
            )
        shape = _random_samples.shape
        if len(shape) != 3 or shape[2] != n or shape[1] != channels or shape[0] < batch:
            raise OpError(
                f"{op}(): expected _random_samples of shape (N, C, {n}) with N at least the "
                f"input's batch size, but got {shape} for input of shape {input.shape}"
            )
        if _random_samples.dtype != x.dtype:
            raise OpError(
                f"{op}(): expected _random_samples to have the same dtype as the input "
                f"({x.dtype}), got {_random_samples.dtype}"
            )
        samples = _random_samples.data[:batch]
    # every window's members as flat indices into the input plane: (N, C, *O, K)
    flat = np.zeros((batch, channels) + (1,) * (2 * n), dtype=np.int64)
    for d, (size, o, k) in enumerate(zip(sizes, outs, kernel)):
        # torch's order of the draws: (W, H) for 2-d input, but (D, H, W) for 3-d
        starts = _starts(samples[:, :, 1 - d if n == 2 else d], size, o, k)
        dims = [batch, channels] + [1] * (2 * n)
        dims[2 + d] = o
        offsets = [1] * (2 + 2 * n)
        offsets[2 + n + d] = k
        members = starts.reshape(dims) + np.arange(k).reshape(offsets)
        flat = flat * size + members
    flat = flat.reshape(batch, channels, *outs, math.prod(kernel))
    plane = x.reshape(batch, channels, math.prod(sizes))
    values = np.take_along_axis(
        plane.data, flat.reshape(batch, channels, math.prod(flat.shape[2:])), axis=2
    )
    values = values.reshape(flat.shape)
    pick = _pick_max(values, np.ones(flat.shape[-1:], dtype=bool))
    index = np.take_along_axis(flat, pick, axis=-1)[..., 0]
    out = plane.gather(2, index.reshape(batch, channels, math.prod(outs)))
    out = out.reshape(batch, channels, *outs)
    out = _unbatch(out, batched)
    if not return_indices:
        return out
    return out, _unbatch(Tensor._make(np.ascontiguousarray(index)), batched)


def fractional_max_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """Fractional max pooling of (N, C, H, W) or (C, H, W) to ``output_size`` or
    ⌊(H, W)·``output_ratio``⌋ with ``kernel_size`` windows at torch's pseudo-random starts (see
    the module docstring) (``torch.nn.functional.fractional_max_pool2d``); x̄ = ḡ at each
    window's chosen entry. ``return_indices`` also returns the flat indices into H·W."""
    return _fractional_max_pool(
        input, kernel_size, output_size, output_ratio, return_indices, _random_samples, 2
    )


def fractional_max_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """``fractional_max_pool2d`` over (N, C, D, H, W) or (C, D, H, W)
    (``torch.nn.functional.fractional_max_pool3d``), indices into D·H·W."""
    return _fractional_max_pool(
        input, kernel_size, output_size, output_ratio, return_indices, _random_samples, 3
    )


def fractional_max_pool2d_with_indices(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> tuple[Tensor, Tensor]:
    """``fractional_max_pool2d`` that always returns (values, indices)."""
    out: tuple[Tensor, Tensor] = _fractional_max_pool(
        input, kernel_size, output_size, output_ratio, True, _random_samples, 2
    )
    return out


def fractional_max_pool3d_with_indices(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> tuple[Tensor, Tensor]:
    """``fractional_max_pool3d`` that always returns (values, indices)."""
    out: tuple[Tensor, Tensor] = _fractional_max_pool(
        input, kernel_size, output_size, output_ratio, True, _random_samples, 3
    )
    return out
