"""Convolution and pooling, composed of ``unfold``, indexing, ``cat`` and ``matmul``.

A 2-d convolution (torch's, which is a cross-correlation) of x (N, C, H, W) with a weight
(C_out, C/G, kH, kW) in G groups is, for output channel o of group g(o),

    out[n, o, i, j] = b[o] + Σ_{c ∈ g(o), p, q} w[o, c, p, q] · x[n, c, i·s + p·d, j·s + q·d]

(s the stride, d the dilation, x zero-padded first). Unfolding every spatial dim into windows of
d·(k−1)+1 entries, ``s`` apart, and keeping every d-th entry of each window puts each output's
receptive field in one row ("im2col"): the sum becomes one matrix product per group,
(N·H_out·W_out, C/G·kH·kW) @ (C/G·kH·kW, C_out/G). No rule of its own: x̄ and w̄ come from the
product's rule (x̄ = ḡ wᵀ, w̄ = colsᵀ ḡ) and ``unfold``'s, which adds each window's adjoint back
where it came from, so a pixel in several windows collects all of their adjoints.

Pooling uses the same windows: ``max_pool`` picks one entry per window (``gather``, so the whole
gradient goes to that entry, as torch's: the first maximum in the window's row-major order, a
nan if there is one — torch's last nan — and never a padded place); ``avg_pool`` sums a window
and divides by a constant count; ``adaptive_avg_pool`` is a product with a constant averaging
matrix along each spatial dim.

PyTorch equivalents: ``torch.nn.functional.conv1d``, ``conv2d``, ``max_pool1d``, ``max_pool2d``,
``avg_pool1d``, ``avg_pool2d``, ``adaptive_avg_pool1d``, ``adaptive_avg_pool2d``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from .tensor import OpError, Tensor, cat, where

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "max_pool1d",
    "max_pool2d",
]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# ----------------------------------------------------------------------------- arguments


def _ints(value: Any, n: int, op: str, what: str) -> tuple[int, ...]:
    """An int or a sequence of n ints (torch's ``_pair``), refusing bools and floats."""
    items = list(value) if isinstance(value, (tuple, list)) else [value] * n
    try:
        if any(type(v) is bool for v in items):
            raise TypeError
        ints = tuple(operator.index(v) for v in items)
    except TypeError:
        raise TypeError(
            f"{op}(): {what} must be an int or a tuple of {n} ints, got {value!r}"
        ) from None
    if len(ints) == 1 and n > 1:
        ints = ints * n
    if len(ints) != n:
        raise OpError(
            f"{op}(): expected {what} to be a single integer value or a list of {n} values to "
            f"match the {n}-d op's spatial dims, but got {what}={list(ints)}"
        )
    return ints


def _input(x: Any, n: int, op: str) -> tuple[Tensor, bool]:
    """The input with a batch dim, and whether it had one: (N, C, *S) or unbatched (C, *S)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(x).__name__}")
    if x.ndim not in (n + 1, n + 2):
        raise OpError(
            f"{op}(): expected a {n + 1}-d (unbatched) or {n + 2}-d (batched) input, "
            f"but got input of shape {x.shape}"
        )
    if not x.is_floating_point():
        raise OpError(f"{op}(): input must be floating point, got dtype {x.dtype}")
    return (x, True) if x.ndim == n + 2 else (x.unsqueeze(0), False)


def _unbatch(out: Tensor, batched: bool) -> Tensor:
    return out if batched else out.squeeze(0)


# ----------------------------------------------------------------------------- padding and windows


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Where each place of the padded dim reads from, for the index-arithmetic padding modes."""
    i = np.arange(-lo, n + hi)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return i % n
    # reflect: mirror about the first and last entries, which are not repeated
    i = np.abs(i)
    return (n - 1) - np.abs((n - 1) - i)


def _pad(x: Tensor, pads: Sequence[tuple[int, int]], mode: str, op: str) -> Tensor:
    """x (N, C, *S) padded by (lo, hi) on each spatial dim: zeros joined on with ``cat``, or the
    other modes as an index into x (their x̄ adds the repeated places' adjoints up)."""
    for k, (lo, hi) in enumerate(pads):
        if lo == hi == 0:
            continue
        d = 2 + k
        n = x.shape[d]
        if mode == "zeros":
            parts = []
            for size in (lo, hi):
                shape = (*x.shape[:d], size, *x.shape[d + 1 :])
                parts.append(Tensor._make(np.zeros(shape, dtype=x.dtype)))
            x = cat([parts[0], x, parts[1]], dim=d)
            continue
        if mode == "reflect" and max(lo, hi) >= n:
            raise OpError(
                f"{op}(): reflect padding ({lo}, {hi}) must be less than the input's size {n} "
                f"in dim {d} (input shape {x.shape})"
            )
        if mode == "circular" and max(lo, hi) > n:
            raise OpError(
                f"{op}(): circular padding ({lo}, {hi}) would wrap around more than once: the "
                f"input's size in dim {d} is {n} (input shape {x.shape})"
            )
        if mode == "replicate" and n == 0:
            raise OpError(f"{op}(): cannot replicate-pad an empty dim {d} (shape {x.shape})")
        x = x[(slice(None),) * d + (_pad_index(n, lo, hi, mode),)]
    return x


def _windows(
    x: Tensor, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int]
) -> Tensor:
    """x (N, C, *S) → (N, C, *O, *K): the d·(k−1)+1 wide windows along each spatial dim, ``s``
    apart, keeping every d-th entry (unfold puts each window dim last, in spatial order)."""
    for k, (size, s, d) in enumerate(zip(kernel, stride, dilation)):
        x = x.unfold(2 + k, d * (size - 1) + 1, s)
        if d > 1:
            x = x[..., ::d]
    return x


def _np_windows(
    a: np.ndarray, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int]
) -> np.ndarray:
    """The same windows of a constant array over its last len(kernel) dims: (*O, *K)."""
    n = len(kernel)
    lead = a.ndim - n
    for k, (size, s, d) in enumerate(zip(kernel, stride, dilation)):
        w = np.lib.stride_tricks.sliding_window_view(a, d * (size - 1) + 1, axis=lead + k)
        a = w[
            (slice(None),) * (lead + k) + (slice(None, None, s),) + (Ellipsis, slice(None, None, d))
        ]
    return a


# ----------------------------------------------------------------------------- convolution


def _conv(
    x: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any,
    n: int,
    op: str,
    padding_mode: str = "zeros",
) -> Tensor:
    x, batched = _input(x, n, op)
    if not isinstance(weight, Tensor):
        raise TypeError(f"{op}(): weight must be a Tensor, got {type(weight).__name__}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"{op}(): bias must be a Tensor or None, got {type(bias).__name__}")
    shape_w = "(out_channels, in_channels/groups, " + ", ".join(f"k{i}" for i in range(n)) + ")"
    if weight.ndim != n + 2:
        raise OpError(
            f"{op}(): weight must be {n + 2}-d {shape_w}, got weight of shape {weight.shape}"
        )
    if weight.shape[0] == 0:
        raise OpError(
            f"{op}(): expected weight to be at least 1 at dimension 0, but got weight of shape "
            f"{weight.shape}"
        )
    if 0 in weight.shape[2:]:
        raise OpError(
            f"{op}(): kernel size should be greater than zero, but got weight of shape "
            f"{weight.shape}"
        )
    strides = _ints(stride, n, op, "stride")
    dilations = _ints(dilation, n, op, "dilation")
    if type(groups) is bool or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"{op}(): groups must be an int, got {groups!r}")
    if any(s <= 0 for s in strides):
        raise OpError(f"{op}(): non-positive stride is not supported, got stride={strides}")
    if any(d <= 0 for d in dilations):
        raise OpError(f"{op}(): dilation should be greater than zero, got dilation={dilations}")
    if groups <= 0:
        raise OpError(f"{op}(): non-positive groups is not supported, got groups={groups}")
    kernel = weight.shape[2:]
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0)] * n
        elif padding == "same":
            if any(s != 1 for s in strides):
                raise OpError(
                    f"{op}(): padding='same' is not supported for strided convolutions "
                    f"(stride={strides})"
                )
            # torch puts the odd one of an even total on the right
            totals = [d * (k - 1) for d, k in zip(dilations, kernel)]
            pads = [(t // 2, t - t // 2) for t in totals]
        else:
            raise OpError(
                f"{op}(): invalid padding string {padding!r}, should be one of 'same', 'valid'"
            )
    else:
        p = _ints(padding, n, op, "padding")
        if any(v < 0 for v in p):
            raise OpError(f"{op}(): negative padding is not supported, got padding={p}")
        pads = [(v, v) for v in p]
    c_out, c_in = weight.shape[0], x.shape[1]
    if c_out % groups:
        raise OpError(
            f"{op}(): given groups={groups}, expected weight to be divisible by {groups} at "
            f"dimension 0, but got weight of shape {weight.shape}"
        )
    if weight.shape[1] * groups != c_in:
        raise OpError(
            f"{op}(): given groups={groups}, weight of shape {weight.shape}, expected input of "
            f"shape {x.shape if batched else x.shape[1:]} to have {weight.shape[1] * groups} "
            f"channels, but got {c_in} channels instead"
        )
    if bias is not None and bias.shape != (c_out,):
        raise OpError(
            f"{op}(): given weight of shape {weight.shape}, expected bias to be 1-dimensional "
            f"with {c_out} elements, but got bias of shape {bias.shape}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.dtype != x.dtype:
            raise OpError(
                f"{op}(): input ({x.dtype}) and {name} ({t.dtype}) must have the same dtype"
            )
    if 0 in x.shape[2:] and x.shape[0] and c_in:  # (even if padding would fill it)
        raise OpError(
            f"{op}(): only zero batch or zero channel inputs are supported, but got input of "
            f"shape {x.shape if batched else x.shape[1:]} with an empty spatial dim"
        )
    padded = [x.shape[2 + k] + lo + hi for k, (lo, hi) in enumerate(pads)]
    spans = [d * (k - 1) + 1 for d, k in zip(dilations, kernel)]
    if any(p < s for p, s in zip(padded, spans)):
        raise OpError(
            f"{op}(): calculated padded input size per channel: ({' x '.join(map(str, padded))})."
            f" Kernel size: ({' x '.join(map(str, spans))}). Kernel size can't be greater than "
            f"actual input size (input shape {x.shape}, weight shape {weight.shape})"
        )
    cols = _windows(_pad(x, pads, padding_mode, op), kernel, strides, dilations)
    batch, out_sizes = x.shape[0], cols.shape[2 : 2 + n]
    places, fan = math.prod(out_sizes), weight.shape[1] * math.prod(kernel)
    g, cg = groups, c_in // groups
    # (N, G, C/G, *O, *K) → (G, N, *O, C/G, *K) → (G, N·P, C/G·K): one row per receptive field
    cols = cols.reshape(batch, g, cg, *out_sizes, *kernel)
    order = (1, 0, *range(3, 3 + n), 2, *range(3 + n, 3 + 2 * n))
    rows = cols.permute(order).reshape(g, batch * places, fan)
    w = weight.reshape(g, c_out // g, fan).transpose(1, 2)  # (G, C/G·K, C_out/G)
    out = (rows @ w).reshape(g, batch, places, c_out // g)
    out = out.permute(1, 0, 3, 2).reshape(batch, c_out, *out_sizes)
    if bias is not None:
        out = out + bias.reshape(c_out, *(1,) * n)
    return _unbatch(out, batched)


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """1-d convolution (``torch.nn.functional.conv1d``) of (N, C_in, L) or (C_in, L) with a weight
    (C_out, C_in/groups, k): out[n, o, i] = b[o] + Σ_{c, p} w[o, c, p] · x[n, c, i·s + p·d].

    ``padding`` is an int, a 1-tuple, ``'valid'`` (none) or ``'same'`` (output as long as the
    input; stride 1 only; an odd total padding puts the extra zero on the right, as torch).
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """2-d convolution (``torch.nn.functional.conv2d``) of (N, C_in, H, W) or (C_in, H, W) with a
    weight (C_out, C_in/groups, kH, kW); see the module docstring for the formula and adjoints.

    ``groups=G`` convolves each of G channel groups with its own C_out/G filters (``groups =
    C_in`` is a depthwise convolution). ``padding`` as in ``conv1d``, per spatial dim.
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


# ----------------------------------------------------------------------------- pooling


def _pool_sizes(
    sizes: Sequence[int],
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    ceil_mode: bool,
    x: Tensor,
    op: str,
) -> tuple[list[int], list[tuple[int, int]]]:
    """Output sizes and (lo, hi) padding: hi also covers ceil_mode's last, partial window."""
    if any(k <= 0 for k in kernel):
        raise OpError(f"{op}(): kernel_size must be greater than zero, got {tuple(kernel)}")
    if any(s <= 0 for s in stride):
        raise OpError(f"{op}(): stride must be greater than zero, got {tuple(stride)}")
    if any(d <= 0 for d in dilation):
        raise OpError(f"{op}(): dilation must be greater than zero, got {tuple(dilation)}")
    if any(p < 0 or p > k // 2 for p, k in zip(padding, kernel)):
        raise OpError(
            f"{op}(): pad should be at most half of kernel size, but got pad={tuple(padding)}, "
            f"kernel_size={tuple(kernel)} and dilation={tuple(dilation)}"
        )
    outs, pads = [], []
    for size, k, s, p, d in zip(sizes, kernel, stride, padding, dilation):
        span = d * (k - 1) + 1
        out = (size + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (out - 1) * s >= size + p:  # the last window must start inside
            out -= 1
        outs.append(out)
        pads.append((p, p + max(0, (out - 1) * s + span - (size + 2 * p))))
    if any(o <= 0 for o in outs):
        raise OpError(
            f"{op}(): given input of shape {x.shape}, the calculated output size "
            f"{tuple(outs)} is too small (kernel_size={tuple(kernel)}, stride={tuple(stride)}, "
            f"padding={tuple(padding)}, dilation={tuple(dilation)})"
        )
    return outs, pads


def _pool_args(
    input: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    n: int,
    op: str,
) -> tuple[Tensor, bool, tuple[int, ...], tuple[int, ...], tuple[int, ...], list[tuple[int, int]]]:
    x, batched = _input(input, n, op)
    if 0 in x.shape[1:]:  # only the batch may be empty, as in torch's pooling kernels
        raise OpError(
            f"{op}(): expected a {n + 1}-d or {n + 2}-d (batch mode) input with optional 0 dim "
            f"batch size, but got input of shape {input.shape}"
        )
    kernel = _ints(kernel_size, n, op, "kernel_size")
    # torch: stride=None (or an empty list) means stride = kernel_size
    no_stride = stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
    strides = kernel if no_stride else _ints(stride, n, op, "stride")
    pads = _ints(padding, n, op, "padding")
    dilations = _ints(dilation, n, op, "dilation")
    _, lohi = _pool_sizes(x.shape[2:], kernel, strides, pads, dilations, ceil_mode, x, op)
    return x, batched, kernel, strides, dilations, lohi


def _inside(
    sizes: Sequence[int], lohi: Sequence[tuple[int, int]], margin: Sequence[int]
) -> np.ndarray:
    """A bool array over the padded places: True within ``margin`` of the input itself."""
    inside = np.ones((), dtype=bool)
    for size, (lo, hi), m in zip(sizes, lohi, margin):
        i = np.arange(-lo, size + hi)
        inside = inside[..., None] & (i >= -m) & (i < size + m)
    return inside


def _max_pool(
    input: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    return_indices: bool,
    n: int,
    op: str,
) -> Any:
    x, batched, kernel, strides, dilations, lohi = _pool_args(
        input, kernel_size, stride, padding, dilation, ceil_mode, n, op
    )
    sizes = x.shape[2:]
    cols = _windows(_pad(x, lohi, "zeros", op), kernel, strides, dilations)
    out_sizes = cols.shape[2 : 2 + n]
    cols = cols.reshape(*cols.shape[: 2 + n], math.prod(kernel))  # (N, C, *O, K)
    valid = _np_windows(_inside(sizes, lohi, [0] * n), kernel, strides, dilations)
    valid = valid.reshape(*out_sizes, -1)
    # torch's choice in each window: the last nan if any, else the first maximum; padded places
    # never (a window of -inf picks its first real entry)
    if valid.all() and not np.isnan(cols.data).any():  # the usual case: argmax's own choice
        pick = cols.data.argmax(axis=-1)[..., None]
    else:
        v = np.where(valid, cols.data, -np.inf)
        hit = valid & (v == v.max(axis=-1, keepdims=True))
        nan = valid & np.isnan(cols.data)
        last_nan = nan.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
        pick = np.where(nan.any(axis=-1), last_nan, hit.argmax(axis=-1))[..., None]
    chosen = cols.gather(-1, pick).squeeze(-1)
    if not valid.all(axis=-1).all() and not valid.any(axis=-1).all():
        # a window over padding alone (dilation can skip every real entry): −∞, as torch's
        empty = np.broadcast_to(~valid.any(axis=-1), chosen.shape)
        chosen = where(empty, -math.inf, chosen)
    out = _unbatch(chosen, batched)
    if not return_indices:
        return out
    # flat index into each input plane, as torch's return_indices
    coords = [np.arange(-lo, size + hi) for size, (lo, hi) in zip(sizes, lohi)]
    flat = np.zeros([len(c) for c in coords], dtype=np.int64)
    for k, c in enumerate(coords):
        flat = flat * sizes[k] + c.reshape((-1,) + (1,) * (n - 1 - k))
    flat_windows = _np_windows(flat, kernel, strides, dilations).reshape(*out_sizes, -1)
    index = np.take_along_axis(
        np.broadcast_to(flat_windows, pick.shape[:-1] + flat_windows.shape[-1:]), pick, axis=-1
    )
    return out, _unbatch(Tensor._make(np.ascontiguousarray(index[..., 0])), batched)


def max_pool1d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each window (``torch.nn.functional.max_pool1d``) of (N, C, L) or (C, L).

    out[n, c, i] = max_p x[n, c, i·s + p·d] over the (−∞-)padded input; x̄ = ḡ at the chosen
    entry, 0 elsewhere (adjoints of overlapping windows add up). Ties: the first maximum in the
    window, a nan if there is one (torch's last), never a padded place. ``stride`` defaults to
    ``kernel_size``; ``return_indices`` also returns each choice's index into the input's L.
    """
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d"
    )


def max_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each window (``torch.nn.functional.max_pool2d``) of (N, C, H, W) or
    (C, H, W); as ``max_pool1d``, windows in row-major order for ties, indices into H·W."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d"
    )


def _avg_pool(
    input: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    ceil_mode: bool,
    count_include_pad: bool,
    divisor_override: Any,
    n: int,
    op: str,
) -> Tensor:
    x, batched, kernel, strides, dilations, lohi = _pool_args(
        input, kernel_size, stride, padding, 1, ceil_mode, n, op
    )
    if divisor_override is not None:
        if type(divisor_override) is bool or not isinstance(divisor_override, (int, np.integer)):
            raise TypeError(f"{op}(): divisor_override must be an int, got {divisor_override!r}")
        if divisor_override == 0:
            raise OpError(f"{op}(): divisor_override must be non-zero")
    cols = _windows(_pad(x, lohi, "zeros", op), kernel, strides, dilations)
    sums = cols.sum(dim=tuple(range(2 + n, 2 + 2 * n)))
    if divisor_override is not None:
        return _unbatch(sums / float(divisor_override), batched)
    # count_include_pad counts the padding but not ceil_mode's overhang, as torch
    margin = [lo for lo, _ in lohi] if count_include_pad else [0] * n
    inside = _np_windows(_inside(x.shape[2:], lohi, margin), kernel, strides, dilations)
    counts = inside.sum(axis=tuple(range(n, 2 * n))).astype(x.dtype)
    return _unbatch(sums / Tensor._make(counts), batched)


def avg_pool1d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """The mean of each window (``torch.nn.functional.avg_pool1d``) of (N, C, L) or (C, L):
    out[n, c, i] = (1/k) Σ_p x[n, c, i·s + p] over the zero-padded input; x̄ = ḡ/k spread over
    each window. ``count_include_pad=False`` divides by the window's entries inside the input.
    """
    return _avg_pool(
        input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d"
    )


def avg_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window (``torch.nn.functional.avg_pool2d``) of (N, C, H, W) or (C, H, W),
    as ``avg_pool1d``; ``divisor_override`` divides every window's sum by that number instead."""
    return _avg_pool(
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
        2,
        "avg_pool2d",
    )


def _bins(n_in: int, n_out: int) -> list[tuple[int, int]]:
    """torch's adaptive bins: bin i covers x[⌊i·n/m⌋ : ⌈(i+1)·n/m⌉]."""
    return [((i * n_in) // n_out, -(-((i + 1) * n_in) // n_out)) for i in range(n_out)]


def _adaptive_avg_pool(input: Any, output_size: Any, n: int, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    sizes = input.shape[-n:] if input.ndim >= n else ()
    if output_size is None or (
        n == 1 and isinstance(output_size, (tuple, list)) and None in output_size
    ):
        raise TypeError(
            f"{op}(): output_size must be an int or a tuple of ints, got {output_size!r}"
        )
    given = list(output_size) if isinstance(output_size, (tuple, list)) else [output_size] * n
    if len(given) != n:
        raise OpError(f"{op}(): output_size must have {n} entries, got {output_size!r}")
    x, batched = _input(input, n, op)
    if any(s == 0 for s in x.shape[1:]):
        raise OpError(
            f"{op}(): expected an input with non-zero sizes but its batch dim, got {input.shape}"
        )
    outs = []
    for v, size in zip(given, sizes):
        o = size if v is None else _ints(v, 1, op, "output_size")[0]
        if o < 0:
            raise OpError(f"{op}(): output_size must be non-negative, got {output_size!r}")
        outs.append(o)
    out = x
    for k in range(n):  # the mean of each bin along each spatial dim in turn
        d = 2 + k
        # each bin's own mean, not a product with an averaging matrix: that matrix's zeros
        # would turn an inf or nan anywhere in the row into nan in every bin
        means = [out.narrow(d, a, b - a).mean(d, keepdim=True) for a, b in _bins(sizes[k], outs[k])]
        out = cat(means, d) if means else out.narrow(d, 0, 0)
    return _unbatch(out, batched)


def adaptive_avg_pool1d(input: Tensor, output_size: int | Sequence[int]) -> Tensor:
    """Mean over ``output_size`` bins of (N, C, L) or (C, L), bin i covering
    [⌊i·L/m⌋, ⌈(i+1)·L/m⌉) (``torch.nn.functional.adaptive_avg_pool1d``): each bin's own mean
    (an inf or nan stays in its bins), so x̄ spreads each bin's ḡ evenly over its members."""
    return _adaptive_avg_pool(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Tensor, output_size: int | Sequence[int | None]) -> Tensor:
    """``adaptive_avg_pool1d`` along H and W (``torch.nn.functional.adaptive_avg_pool2d``); a None
    in ``output_size`` keeps that dim's size."""
    return _adaptive_avg_pool(input, output_size, 2, "adaptive_avg_pool2d")
