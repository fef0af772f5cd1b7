"""Convolution and pooling, composed of ``unfold``, indexing, ``cat`` and ``matmul``.

A 2-d convolution (torch's, which is a cross-correlation) of x (N, C, H, W) with a weight
(C_out, C/G, kH, kW) in G groups is, for output channel o of group g(o),

    out[n, o, i, j] = b[o] + Σ_{c ∈ g(o), p, q} w[o, c, p, q] · x[n, c, i·s + p·d, j·s + q·d]

(s the stride, d the dilation, x zero-padded first). Unfolding every spatial dim into windows of
d·(k−1)+1 entries, ``s`` apart, and keeping every d-th entry of each window puts each output's
receptive field in one row ("im2col"): the sum becomes one matrix product per group,
(N·H_out·W_out, C/G·kH·kW) @ (C/G·kH·kW, C_out/G). No rule of its own: x̄ and w̄ come from the
product's rule (x̄ = ḡ wᵀ, w̄ = colsᵀ ḡ) and ``unfold``'s, which adds each window's adjoint back
where it came from, so a pixel in several windows collects all of their adjoints. The same code
serves 1, 2 and 3 spatial dims (``conv1d``, ``conv2d``, ``conv3d``).

A transposed convolution is the adjoint of the map x ↦ conv(x, w): each input place i spreads
its window x[n, c, i]·w[c, o, p] onto out[n, o, i·s + p·d − padding]. Here it is the same
product the other way round, (N·P_in, C/G) @ (C/G, C_out/G·K), one row of windows per input
place, then the ``fold`` primitive (``unfold``'s adjoint) adds the windows into the output
("col2im"; ``F.unfold``/``F.fold`` are the im2col and col2im steps themselves). Its x̄ is
conv(ḡ, w): ``fold``'s rule is ``unfold``. PyTorch equivalents: ``conv3d``,
``conv_transpose1d``, ``conv_transpose2d``, ``conv_transpose3d``, ``unfold``, ``fold`` (in
``torch.nn.functional``; the convolutions also as ``torch.conv1d`` … ``torch.conv_transpose3d``).

Pooling uses the same windows: ``max_pool`` picks one entry per window (``gather``, so the whole
gradient goes to that entry, as torch's: the first maximum in the window's row-major order, a
nan if there is one — torch's last nan — and never a padded place); ``avg_pool`` sums a window
and divides by a constant count; ``adaptive_avg_pool`` takes each bin's own mean along each
spatial dim in turn. Every pool works on 1, 2 or 3 spatial dims alike (the n of
``_max_pool`` and its siblings), and so do these: the adaptive max pool gathers the member of
each bin that the same tie rule picks; ``max_unpool`` scatters x back to the places its indices
name (x̄ = ḡ[index]); ``lp_pool`` is torch's composition, (k · avg_pool(xᵖ))^(1/p);
``local_response_norm`` averages squares over a window of channels. They are torch's
``max_pool3d``, ``max_pool*d_with_indices``, ``avg_pool3d``, ``adaptive_avg_pool3d``,
``adaptive_max_pool*d`` (and ``_with_indices``), ``max_unpool*d``, ``lp_pool*d`` and
``local_response_norm``.

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
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d",
    "adaptive_max_pool3d_with_indices",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "local_response_norm",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool2d_with_indices",
    "max_pool3d",
    "max_pool3d_with_indices",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "unfold",
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


def _input(x: Any, n: int, op: str, bool_ok: bool = False) -> tuple[Tensor, bool]:
    """The input with a batch dim, and whether it had one: (N, C, *S) or unbatched (C, *S).
    Floating point, or also bool where ``bool_ok`` (torch's im2col/col2im take bool)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be a Tensor, got {type(x).__name__}")
    if x.ndim not in (n + 1, n + 2):
        raise OpError(
            f"{op}(): expected a {n + 1}-d (unbatched) or {n + 2}-d (batched) input, "
            f"but got input of shape {x.shape}"
        )
    if not (x.is_floating_point() or (bool_ok and x.dtype == np.bool_)):
        kinds = "floating point or bool" if bool_ok else "floating point"
        raise OpError(f"{op}(): input must be {kinds}, got dtype {x.dtype}")
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


def _unwindows(
    cols: Tensor, sizes: Sequence[int], stride: Sequence[int], dilation: Sequence[int]
) -> Tensor:
    """The adjoint of ``_windows``: cols (N, C, *B, *K) → (N, C, *sizes), each window entry
    added back at the place ``_windows`` read it from (places no window reaches are 0).

    Undone last spatial dim first, since its kernel dim is the last: the d−1 places a dilation
    skips go back between the kernel's entries as zeros, then ``fold`` (unfold's adjoint) adds
    the B windows, ``s`` apart, into the dim."""
    for k in reversed(range(len(sizes))):
        d, size = dilation[k], cols.shape[-1]
        if d > 1:  # (…, K) → (…, K, d) → (…, K·d), keeping d·(K−1)+1
            gaps = Tensor._make(np.zeros((*cols.shape, d - 1), dtype=cols.dtype))
            cols = cat([cols.unsqueeze(-1), gaps], dim=-1).flatten(-2)
            cols = cols.narrow(-1, 0, d * (size - 1) + 1)
        span, count = cols.shape[-1], cols.shape[2 + k]
        reach = (count - 1) * stride[k] + span
        cols = cols._fold(
            (*cols.shape[: 2 + k], reach, *cols.shape[3 + k : -1]), 2 + k, span, stride[k]
        )
        if sizes[k] > reach:  # the last places, which no window reaches
            cols = _pad(cols, [(0, 0)] * k + [(0, sizes[k] - reach)], "zeros", "fold")
    return cols


def _conv_args(
    x: Tensor,
    batched: bool,
    weight: Any,
    bias: Any,
    stride: Any,
    dilation: Any,
    groups: Any,
    n: int,
    op: str,
    transposed: bool,
) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """The checks conv and conv_transpose share; the strides, dilations and groups as ints.

    conv's weight is (C_out, C_in/G, *K), conv_transpose's (C_in, C_out/G, *K)."""
    if not isinstance(weight, Tensor):
        raise TypeError(f"{op}(): argument 'weight' must be a Tensor, got {type(weight).__name__}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"{op}(): bias must be a Tensor or None, got {type(bias).__name__}")
    ks = ", ".join(f"k{i}" for i in range(n))
    shape_w = (
        f"(in_channels, out_channels/groups, {ks})"
        if transposed
        else f"(out_channels, in_channels/groups, {ks})"
    )
    if weight.ndim != n + 2:
        raise OpError(
            f"{op}(): weight must be {n + 2}-d {shape_w}, got weight of shape {weight.shape}"
        )
    for dim in (0, 1) if transposed else (0,):
        if weight.shape[dim] == 0:
            raise OpError(
                f"{op}(): expected weight to be at least 1 at dimension {dim}, but got weight of "
                f"shape {weight.shape}"
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
    if weight.shape[0] % groups:
        raise OpError(
            f"{op}(): given groups={groups}, expected weight to be divisible by {groups} at "
            f"dimension 0, but got weight of shape {weight.shape}"
        )
    c_in = weight.shape[0] if transposed else weight.shape[1] * groups
    c_out = weight.shape[1] * groups if transposed else weight.shape[0]
    shown = x.shape if batched else x.shape[1:]
    if x.shape[1] != c_in:
        raise OpError(
            f"{op}(): given groups={groups}, weight of shape {weight.shape}, expected input of "
            f"shape {shown} to have {c_in} channels, but got {x.shape[1]} channels instead"
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
    if 0 in x.shape[2:] and x.shape[0] and x.shape[1]:  # (even if padding would fill it)
        raise OpError(
            f"{op}(): only zero batch or zero channel inputs are supported, but got input of "
            f"shape {shown} with an empty spatial dim"
        )
    return strides, dilations, int(groups)


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
    strides, dilations, g = _conv_args(
        x, batched, weight, bias, stride, dilation, groups, n, op, False
    )
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
    c_out, cg = weight.shape[0], x.shape[1] // g
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
    """1-d convolution (``torch.nn.functional.conv1d``, ``torch.conv1d``) of (N, C_in, L) or
    (C_in, L) with a weight (C_out, C_in/groups, k):
    out[n, o, i] = b[o] + Σ_{c, p} w[o, c, p] · x[n, c, i·s + p·d].

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
    """2-d convolution (``torch.nn.functional.conv2d``, ``torch.conv2d``) of (N, C_in, H, W) or
    (C_in, H, W) with a weight (C_out, C_in/groups, kH, kW); see the module docstring for the
    formula and adjoints.

    ``groups=G`` convolves each of G channel groups with its own C_out/G filters (``groups =
    C_in`` is a depthwise convolution). ``padding`` as in ``conv1d``, per spatial dim.
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """3-d convolution (``torch.nn.functional.conv3d``, ``torch.conv3d``) of (N, C_in, D, H, W)
    or (C_in, D, H, W) with a weight (C_out, C_in/groups, kD, kH, kW); the same code and
    arguments as ``conv2d``, one more spatial dim."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transpose(
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: Any,
    dilation: Any,
    n: int,
    op: str,
) -> Tensor:
    x, batched = _input(input, n, op)
    strides, dilations, g = _conv_args(
        x, batched, weight, bias, stride, dilation, groups, n, op, True
    )
    pads = _ints(padding, n, op, "padding")
    extra = _ints(output_padding, n, op, "output_padding")
    if any(p < 0 for p in pads):
        raise OpError(f"{op}(): negative padding is not supported, got padding={pads}")
    if any(e < 0 for e in extra):
        raise OpError(
            f"{op}(): negative output_padding is not supported, got output_padding={extra}"
        )
    if any(e >= max(s, d) for e, s, d in zip(extra, strides, dilations)):
        raise OpError(
            f"{op}(): output padding must be smaller than either stride or dilation, but got "
            f"output_padding={extra}, stride={strides}, dilation={dilations}"
        )
    sizes, kernel = x.shape[2:], weight.shape[2:]
    # every window's full reach, output_padding's extra places, then the padding cut off
    full = [
        (i - 1) * s + d * (k - 1) + 1 + e
        for i, s, d, k, e in zip(sizes, strides, dilations, kernel, extra)
    ]
    out_sizes = [f - 2 * p for f, p in zip(full, pads)]
    # An empty batch may give an empty output dim (torch's empty-input path); otherwise torch's
    # reference path refuses it (its float32 oneDNN path returns an empty output instead).
    if any(o < 0 or (o == 0 and x.shape[0]) for o in out_sizes):
        raise OpError(
            f"{op}(): given input size per channel: ({' x '.join(map(str, sizes))}), calculated "
            f"output size per channel: ({' x '.join(map(str, out_sizes))}). Output size is too "
            f"small (weight shape {weight.shape}, stride={strides}, padding={pads}, "
            f"dilation={dilations}, output_padding={extra})"
        )
    batch, cg, og = x.shape[0], x.shape[1] // g, weight.shape[1]
    places, fan = math.prod(sizes), og * math.prod(kernel)
    # (N, G, C/G, *I) → (G, N·P, C/G): one row per input place, times the filters of its group,
    # gives the window each place spreads over the output (conv's rows, transposed)
    rows = x.reshape(batch, g, cg, places).permute(1, 0, 3, 2).reshape(g, batch * places, cg)
    cols = (rows @ weight.reshape(g, cg, fan)).reshape(g, batch, *sizes, og, *kernel)
    # (G, N, *I, C_out/G, *K) → (N, G, C_out/G, *I, *K) → (N, C_out, *I, *K)
    order = (1, 0, 2 + n, *range(2, 2 + n), *range(3 + n, 3 + 2 * n))
    cols = cols.permute(order).reshape(batch, g * og, *sizes, *kernel)
    if batch == 0:  # no window to add (and none to fold where an input dim is empty, as torch)
        out = cols.reshape(0, g * og, *full)  # a reshape keeps w̄ and b̄ (zeros) in the graph
    else:
        out = _unwindows(cols, full, strides, dilations)
    for k, p in enumerate(pads):
        if p:
            out = out.narrow(2 + k, p, out_sizes[k])
    if bias is not None:
        out = out + bias.reshape(g * og, *(1,) * n)
    return _unbatch(out, batched)


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """Transposed 1-d convolution (``torch.nn.functional.conv_transpose1d``,
    ``torch.conv_transpose1d``) of (N, C_in, L) or (C_in, L) with a weight (C_in, C_out/groups,
    k): the adjoint of ``conv1d`` in its input. Each input place i spreads its window over the
    output, x[n, c, i]·w[c, o, p] landing on out[n, o, i·s + p·d − padding] (o in c's group):

        out[n, o, j] = b[o] + Σ_{c, i, p : i·s + p·d − padding = j} x[n, c, i] · w[c, o, p]

    L_out = (L − 1)·s − 2·padding + d·(k − 1) + output_padding + 1: ``output_padding`` (less
    than the stride or the dilation) adds places at the end, choosing among the lengths that a
    ``conv1d`` with these arguments maps to L. x̄ = conv1d(ḡ, w) and w̄ = Σ x ⊗ windows of ḡ
    come from the product's and ``fold``'s rules (``fold``'s is ``unfold``).
    """
    return _conv_transpose(
        input,
        weight,
        bias,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        1,
        "conv_transpose1d",
    )


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """Transposed 2-d convolution (``torch.nn.functional.conv_transpose2d``,
    ``torch.conv_transpose2d``) of (N, C_in, H, W) or (C_in, H, W) with a weight
    (C_in, C_out/groups, kH, kW): ``conv_transpose1d`` along H and W, each argument an int or
    a pair (the adjoint of ``conv2d``, which is why it upsamples by the stride)."""
    return _conv_transpose(
        input,
        weight,
        bias,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        2,
        "conv_transpose2d",
    )


def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """Transposed 3-d convolution (``torch.nn.functional.conv_transpose3d``,
    ``torch.conv_transpose3d``) of (N, C_in, D, H, W) or (C_in, D, H, W) with a weight
    (C_in, C_out/groups, kD, kH, kW): ``conv_transpose1d`` along D, H and W."""
    return _conv_transpose(
        input,
        weight,
        bias,
        stride,
        padding,
        output_padding,
        groups,
        dilation,
        3,
        "conv_transpose3d",
    )


def _pair(value: Any, op: str, what: str) -> tuple[int, ...]:
    """An int or exactly two: torch's im2col/col2im refuse the 1-tuple that conv accepts."""
    if isinstance(value, (tuple, list)) and len(value) != 2:
        raise OpError(f"{op}(): expected {what} to be an int or 2 ints, but got {value!r}")
    return _ints(value, 2, op, what)


def _block_args(
    kernel_size: Any, dilation: Any, padding: Any, stride: Any, op: str
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """unfold's and fold's kernel_size, dilation, padding and stride: pairs, checked."""
    kernel = _pair(kernel_size, op, "kernel_size")
    dilations = _pair(dilation, op, "dilation")
    pads = _pair(padding, op, "padding")
    strides = _pair(stride, op, "stride")
    for what, values, least in (
        ("kernel size", kernel, 1),
        ("dilation", dilations, 1),
        ("padding", pads, 0),
        ("stride", strides, 1),
    ):
        if any(v < least for v in values):
            bound = "non-negative" if least == 0 else "greater than zero"
            raise OpError(f"{op}(): {what} should be {bound}, but got {what}={values}")
    return kernel, dilations, pads, strides


def _blocks(
    sizes: Sequence[int],
    kernel: Sequence[int],
    dilation: Sequence[int],
    padding: Sequence[int],
    stride: Sequence[int],
) -> list[int]:
    """How many windows fit along each spatial dim of the zero-padded input."""
    return [
        (n + 2 * p - d * (k - 1) - 1) // s + 1
        for n, k, d, p, s in zip(sizes, kernel, dilation, padding, stride)
    ]


def unfold(
    input: Tensor,
    kernel_size: int | Sequence[int],
    dilation: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    stride: int | Sequence[int] = 1,
) -> Tensor:
    """Every sliding block of (N, C, H, W) or (C, H, W) as a column, "im2col"
    (``torch.nn.functional.unfold``): (N, C·kH·kW, L), L = the number of blocks,
    out[n, (c, p, q), (i, j)] = x[n, c, i·s + p·d − padding, j·s + q·d − padding] (zero outside
    the input), rows in (c, p, q) and columns in (i, j) row-major order. x̄ adds each column's
    adjoint back where it was read (a place in several blocks collects all of them): ``fold``.
    Floating point or bool (as torch; integers are refused, as torch).
    """
    op = "unfold"
    x, batched = _input(input, 2, op, bool_ok=True)
    if 0 in x.shape[1:]:
        raise OpError(
            f"{op}(): expected a 3-d or 4-d (batch mode) input with possibly 0 batch size and "
            f"other non-zero dims, but got input of shape {input.shape}"
        )
    kernel, dilations, pads, strides = _block_args(kernel_size, dilation, padding, stride, op)
    blocks = _blocks(x.shape[2:], kernel, dilations, pads, strides)
    if any(b < 1 for b in blocks):
        raise OpError(
            f"{op}(): given input with spatial size {x.shape[2:]}, kernel_size={kernel}, "
            f"dilation={dilations}, padding={pads}, calculated shape of the array of sliding "
            f"blocks as {tuple(blocks)}, but its components must be at least one"
        )
    cols = _windows(_pad(x, [(p, p) for p in pads], "zeros", op), kernel, strides, dilations)
    batch, c = x.shape[:2]
    out = cols.permute(0, 1, 4, 5, 2, 3).reshape(batch, c * math.prod(kernel), math.prod(blocks))
    out = _unbatch(out, batched)
    # torch's unfold makes a new tensor; the reshape here can leave a view of the input (a 1×1
    # kernel) or of numpy's read-only windows, which an in-place op would write into or refuse
    return out.clone() if out._base is not None or not out.data.flags.writeable else out


def fold(
    input: Tensor,
    output_size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    dilation: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    stride: int | Sequence[int] = 1,
) -> Tensor:
    """Columns of sliding blocks (N, C·kH·kW, L) or (C·kH·kW, L) summed back into an image
    (N, C, *output_size), "col2im" (``torch.nn.functional.fold``): the adjoint of ``unfold``
    with these arguments, out[n, c, y, z] = Σ of the column entries that ``unfold`` reads from
    (y, z); entries that fall in the padding are dropped. x̄ = unfold(ḡ). A bool input sums
    with ``or``, as torch's.
    """
    op = "fold"
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be a Tensor, got {type(input).__name__}")
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise OpError(
            f"{op}(): expected a 2-d or 3-d (batch mode) input with possibly 0 batch size and "
            f"non-zero dims, but got input of shape {input.shape}"
        )
    if not (input.is_floating_point() or input.dtype == np.bool_):
        raise OpError(f"{op}(): input must be floating point or bool, got dtype {input.dtype}")
    x, batched = (input, True) if input.ndim == 3 else (input.unsqueeze(0), False)
    sizes = _pair(output_size, op, "output_size")
    kernel, dilations, pads, strides = _block_args(kernel_size, dilation, padding, stride, op)
    batch, rows, count = x.shape
    if rows % math.prod(kernel):
        raise OpError(
            f"{op}(): expected the input's dim {input.ndim - 2} to be divisible by the product of "
            f"kernel_size, but got input of shape {input.shape} and kernel_size={kernel}"
        )
    blocks = _blocks(sizes, kernel, dilations, pads, strides)
    if any(b < 1 for b in blocks) or math.prod(blocks) != count:
        raise OpError(
            f"{op}(): given output_size={sizes}, kernel_size={kernel}, dilation={dilations}, "
            f"padding={pads}, stride={strides}, expected the input's dim {input.ndim - 1} to "
            f"match the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
            f"{math.prod(blocks)}, but got input of shape {input.shape}"
        )
    c = rows // math.prod(kernel)
    cols = x.reshape(batch, c, *kernel, *blocks).permute(0, 1, 4, 5, 2, 3)
    out = _unwindows(cols, [n + 2 * p for n, p in zip(sizes, pads)], strides, dilations)
    for k, p in enumerate(pads):
        if p:
            out = out.narrow(2 + k, p, sizes[k])
    return _unbatch(out, batched)


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


def _pick_max(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Which entry of each window (the last axis) a max pool takes, as torch's kernels: the last
    nan if any, else the first maximum, never a place where ``valid`` is False (a window of −∞
    picks its first valid entry). Returns the positions with a trailing axis of 1."""
    if valid.all() and not np.isnan(values).any():  # the usual case: argmax's own choice
        return np.asarray(values.argmax(axis=-1)[..., None])
    v = np.where(valid, values, -np.inf)
    hit = valid & (v == v.max(axis=-1, keepdims=True))
    nan = valid & np.isnan(values)
    last_nan = nan.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
    return np.asarray(np.where(nan.any(axis=-1), last_nan, hit.argmax(axis=-1))[..., None])


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
    pick = _pick_max(cols.data, valid)
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


def max_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The maximum of each window (``torch.nn.functional.max_pool3d``) of (N, C, D, H, W) or
    (C, D, H, W); as ``max_pool1d``, windows in row-major order for ties, indices into D·H·W."""
    return _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3, "max_pool3d"
    )


def max_pool1d_with_indices(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` that always returns (values, indices), whatever ``return_indices`` says
    (``torch.nn.functional.max_pool1d_with_indices``)."""
    out: tuple[Tensor, Tensor] = _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, True, 1, "max_pool1d"
    )
    return out


def max_pool2d_with_indices(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` returning (values, indices) (``F.max_pool2d_with_indices``)."""
    out: tuple[Tensor, Tensor] = _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, True, 2, "max_pool2d"
    )
    return out


def max_pool3d_with_indices(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> tuple[Tensor, Tensor]:
    """``max_pool3d`` returning (values, indices) (``F.max_pool3d_with_indices``)."""
    out: tuple[Tensor, Tensor] = _max_pool(
        input, kernel_size, stride, padding, dilation, ceil_mode, True, 3, "max_pool3d"
    )
    return out


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


def avg_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window (``torch.nn.functional.avg_pool3d``) of (N, C, D, H, W) or
    (C, D, H, W), as ``avg_pool2d``."""
    return _avg_pool(
        input,
        kernel_size,
        stride,
        padding,
        ceil_mode,
        count_include_pad,
        divisor_override,
        3,
        "avg_pool3d",
    )


def _bins(n_in: int, n_out: int) -> list[tuple[int, int]]:
    """torch's adaptive bins: bin i covers x[⌊i·n/m⌋ : ⌈(i+1)·n/m⌉]."""
    return [((i * n_in) // n_out, -(-((i + 1) * n_in) // n_out)) for i in range(n_out)]


def _adaptive_args(
    input: Any, output_size: Any, n: int, op: str
) -> tuple[Tensor, bool, tuple[int, ...], list[int]]:
    """The input with a batch dim, whether it had one, its spatial sizes and the output's."""
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
    return x, batched, sizes, outs


def _adaptive_avg_pool(input: Any, output_size: Any, n: int, op: str) -> Tensor:
    x, batched, sizes, outs = _adaptive_args(input, output_size, n, op)
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


def adaptive_avg_pool3d(input: Tensor, output_size: int | Sequence[int | None]) -> Tensor:
    """``adaptive_avg_pool1d`` along D, H and W (``torch.nn.functional.adaptive_avg_pool3d``); a
    None in ``output_size`` keeps that dim's size."""
    return _adaptive_avg_pool(input, output_size, 3, "adaptive_avg_pool3d")


def _adaptive_max_pool(input: Any, output_size: Any, return_indices: bool, n: int, op: str) -> Any:
    x, batched, sizes, outs = _adaptive_args(input, output_size, n, op)
    # Every bin's members as flat indices into the input plane, (*O, K): a bin shorter than the
    # widest along a dim is filled up with its first member, masked out of the choice by ``valid``.
    flat = np.zeros((1,) * (2 * n), dtype=np.int64)
    valid = np.ones((1,) * (2 * n), dtype=bool)
    widths = []
    for k, (size, o) in enumerate(zip(sizes, outs)):
        bins = _bins(size, o)
        widths.append(max((b - a for a, b in bins), default=1))
        j = np.arange(widths[-1])
        starts = np.array([a for a, _ in bins], dtype=np.int64).reshape(-1, 1)
        inside = j < np.array([b - a for a, b in bins], dtype=np.int64).reshape(-1, 1)
        shape = [1] * (2 * n)
        shape[k], shape[n + k] = o, widths[-1]
        flat = flat * size + np.where(inside, starts + j, starts).reshape(shape)
        valid = valid & inside.reshape(shape)
    flat = flat.reshape(*outs, math.prod(widths))
    valid = valid.reshape(*outs, math.prod(widths))
    batch, channels = x.shape[:2]
    plane = x.reshape(batch, channels, math.prod(sizes))
    values = plane.data[:, :, flat]  # (N, C, *O, K)
    pick = _pick_max(values, valid)
    index = np.take_along_axis(np.broadcast_to(flat, values.shape), pick, axis=-1)[..., 0]
    # x̄ = ḡ at each bin's chosen member: gather's rule
    index = index.reshape(batch, channels, math.prod(outs))
    out = plane.gather(2, index).reshape(batch, channels, *outs)
    out = _unbatch(out, batched)
    if not return_indices:
        return out
    index = index.reshape(batch, channels, *outs)
    return out, _unbatch(Tensor._make(np.ascontiguousarray(index)), batched)


def adaptive_max_pool1d(
    input: Tensor, output_size: int | Sequence[int], return_indices: bool = False
) -> Any:
    """The maximum of each of ``output_size`` bins of (N, C, L) or (C, L), bin i covering
    [⌊i·L/m⌋, ⌈(i+1)·L/m⌉) (``torch.nn.functional.adaptive_max_pool1d``). x̄ = ḡ at the
    chosen entry; ties as ``max_pool1d`` (the first maximum, a nan if any: torch's last).
    ``return_indices`` also returns each choice's index into L."""
    return _adaptive_max_pool(input, output_size, return_indices, 1, "adaptive_max_pool1d")


def adaptive_max_pool2d(
    input: Tensor, output_size: int | Sequence[int | None], return_indices: bool = False
) -> Any:
    """``adaptive_max_pool1d`` over H×W bins (``torch.nn.functional.adaptive_max_pool2d``), ties
    in row-major order, indices into H·W; a None in ``output_size`` keeps that dim's size."""
    return _adaptive_max_pool(input, output_size, return_indices, 2, "adaptive_max_pool2d")


def adaptive_max_pool3d(
    input: Tensor, output_size: int | Sequence[int | None], return_indices: bool = False
) -> Any:
    """``adaptive_max_pool1d`` over D×H×W bins (``torch.nn.functional.adaptive_max_pool3d``),
    ties in row-major order, indices into D·H·W."""
    return _adaptive_max_pool(input, output_size, return_indices, 3, "adaptive_max_pool3d")


def adaptive_max_pool1d_with_indices(
    input: Tensor, output_size: int | Sequence[int], return_indices: bool = False
) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool1d`` that always returns (values, indices)."""
    out: tuple[Tensor, Tensor] = _adaptive_max_pool(
        input, output_size, True, 1, "adaptive_max_pool1d"
    )
    return out


def adaptive_max_pool2d_with_indices(
    input: Tensor, output_size: int | Sequence[int | None], return_indices: bool = False
) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` that always returns (values, indices)."""
    out: tuple[Tensor, Tensor] = _adaptive_max_pool(
        input, output_size, True, 2, "adaptive_max_pool2d"
    )
    return out


def adaptive_max_pool3d_with_indices(
    input: Tensor, output_size: int | Sequence[int | None], return_indices: bool = False
) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool3d`` that always returns (values, indices)."""
    out: tuple[Tensor, Tensor] = _adaptive_max_pool(
        input, output_size, True, 3, "adaptive_max_pool3d"
    )
    return out


def _max_unpool(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    output_size: Any,
    n: int,
    op: str,
) -> Tensor:
    x, batched = _input(input, n, op)
    if not isinstance(indices, Tensor):
        raise TypeError(f"{op}(): indices must be a Tensor, got {type(indices).__name__}")
    if indices.dtype != np.int64:
        raise OpError(f"{op}(): elements in indices should be type int64 but got: {indices.dtype}")
    if indices.shape != input.shape:
        raise OpError(
            f"{op}(): expected shape of indices to be same as that of the input tensor "
            f"({input.shape}) but got indices tensor with shape: {indices.shape}"
        )
    if 0 in x.shape[1:]:
        raise OpError(
            f"{op}(): expected input to have non-zero size for non-batch dimensions, but got "
            f"input of shape {input.shape}"
        )
    kernel = _ints(kernel_size, n, op, "kernel_size")
    strides = kernel if stride is None else _ints(stride, n, op, "stride")
    pads = _ints(padding, n, op, "padding")
    # torch's default: the input size max_pool would have come from without ceil_mode
    default = [(i - 1) * s + k - 2 * p for i, s, k, p in zip(x.shape[2:], strides, kernel, pads)]
    if output_size is None:
        outs = default
    else:
        given = list(output_size)
        if len(given) == n + 2:
            given = given[2:]
        if len(given) != n:
            raise ValueError(
                f"{op}(): output_size should be a sequence containing {n} or {n + 2} elements, "
                f"but it has a length of '{len(given)}'"
            )
        outs = list(_ints(given, n, op, "output_size"))
        for d, (o, dflt, s) in enumerate(zip(outs, default, strides)):
            if not dflt - s < o < dflt + s:
                raise ValueError(
                    f'{op}(): invalid output_size "{output_size}" (dim {d} must be between '
                    f"{dflt - s} and {dflt + s})"
                )
    for d, o in enumerate(outs):
        if o < 0:
            raise ValueError(
                f"{op}(): output_size must contain non-negative spatial dimensions, but got "
                f"output_size[{d}]={o} (input shape {input.shape})"
            )
    batch, channels = x.shape[:2]
    places = math.prod(outs)
    size_in = math.prod(x.shape[2:])
    idx = indices.data.reshape(batch, channels, size_in)
    bad = (idx < 0) | (idx >= places)
    if bad.any():
        raise OpError(
            f"{op}(): found an invalid max index: {idx[bad][0]} (output volumes are of size "
            f"{'x'.join(map(str, outs))}; input shape {input.shape})"
        )
    # out = 0 but out[index] = x (of repeated indices the last wins); x̄ = ḡ[index]: scatter's rule
    zeros = Tensor._make(np.zeros((batch, channels, places), dtype=x.dtype))
    out = zeros.scatter(2, idx, x.reshape(batch, channels, size_in))
    return _unbatch(out.reshape(batch, channels, *outs), batched)


def max_unpool1d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """The partial inverse of ``max_pool1d`` (``torch.nn.functional.max_unpool1d``): zeros of
    length (L−1)·s + k − 2p (or ``output_size``) with out[index] = x; x̄ = ḡ[index]."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


def max_unpool2d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """The partial inverse of ``max_pool2d`` (``torch.nn.functional.max_unpool2d``), indices into
    each H_out·W_out plane, as ``max_unpool1d``."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")


def max_unpool3d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """The partial inverse of ``max_pool3d`` (``torch.nn.functional.max_unpool3d``), indices into
    each D·H·W plane of the output, as ``max_unpool1d``."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3, "max_unpool3d")


def _lp_pool(
    input: Any, norm_type: Any, kernel_size: Any, stride: Any, ceil_mode: bool, n: int
) -> Tensor:
    op = f"lp_pool{n}d"
    if type(norm_type) is bool or not isinstance(norm_type, (int, float, np.number)):
        raise TypeError(f"{op}(): norm_type must be a number, got {norm_type!r}")
    if norm_type == 0:
        raise ZeroDivisionError(f"{op}(): norm_type must be non-zero (the root is 1/norm_type)")
    _input(input, n, op)
    if math.isinf(norm_type):  # the max of |x|, or for −∞ minus the max of −|x|: the min
        sign = 1.0 if norm_type > 0 else -1.0
        top: Tensor = _max_pool(
            sign * abs(input), kernel_size, stride, 0, 1, ceil_mode, False, n, op
        )
        return sign * top
    kernel = _ints(kernel_size, n, op, "kernel_size")
    mean = _avg_pool(input.pow(norm_type), kernel, stride, 0, ceil_mode, True, None, n, op)
    # torch's form: sign·relu(|·|) is the mean itself, but with its gradient 0 at 0
    return (mean.sign() * abs(mean).relu() * math.prod(kernel)).pow(1.0 / norm_type)


def lp_pool1d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """The p-norm of each window (``torch.nn.functional.lp_pool1d``) of (N, C, L) or (C, L):
    out = (Σ_window xᵖ)^(1/p), composed as torch's (k · avg_pool(xᵖ))^(1/p), so x̄ = ḡ·out^(1−p)·
    x^(p−1): 0 over a window whose sum is 0 (torch's sign·relu(|·|) guard), nan where x = 0 and
    p < 1, as torch's. p = ±∞: the max of |x| (the min, for −∞)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """``lp_pool1d`` over kH×kW windows (``torch.nn.functional.lp_pool2d``)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """``lp_pool1d`` over kD×kH×kW windows (``torch.nn.functional.lp_pool3d``)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


def local_response_norm(
    input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    """Each entry divided by the local energy across ``size`` neighbouring channels
    (``torch.nn.functional.local_response_norm``) of (N, C, *):

        out[n, c] = x[n, c] / (k + α · (1/size) Σ_{c' ∈ window(c)} x[n, c']²)^β,
        window(c) = c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋,

    the channels zero-padded at both ends (the padding counted in the mean, as torch's avg
    pool); composed of ``unfold`` along the channels, so x̄ comes from the ops' rules.
    """
    op = "local_response_norm"
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    if input.ndim < 3:
        raise ValueError(
            f"{op}(): expected 3-D or higher dimensionality input (got {input.ndim} dimensions, "
            f"shape {input.shape})"
        )
    if type(size) is bool or not isinstance(size, (int, np.integer)):
        raise TypeError(f"{op}(): size must be an int, got {size!r}")
    if size <= 0:
        raise OpError(f"{op}(): size (the window of channels) must be positive, got {size}")
    if not input.is_floating_point():
        raise OpError(f"{op}(): input must be floating point, got dtype {input.dtype}")
    if input.numel() == 0:
        return input
    squares = input * input
    lo, hi = size // 2, (size - 1) // 2
    parts = [
        Tensor._make(np.zeros((input.shape[0], p, *input.shape[2:]), dtype=input.dtype))
        for p in (lo, hi)
    ]
    padded = cat([parts[0], squares, parts[1]], dim=1)
    energy = padded.unfold(1, int(size), 1).sum(-1) / float(size)  # (N, C, *)
    return input / (energy * alpha + k).pow(beta)
