"""Resampling: ``interpolate`` (nearest, nearest-exact, linear, bilinear, bicubic, trilinear,
area) and the shuffles that move entries between channels and space, all composed of indexing,
``reshape``/``permute`` and products with constant weights.

Every interpolating mode is separable: along each spatial dim in turn, output place j reads a
few input places i_t(j) with constant weights w_t(j),

    out[…, j, …] = Σ_t w_t(j) · x[…, i_t(j), …],
    x̄[…, i, …] = Σ_{j, t: i_t(j) = i} w_t(j) · ḡ[…, j, …],

so there is no rule of its own: the adjoint is indexing's (each read sends its weighted ḡ back
where it came from, reads of the same place adding up) and the weights are constants.
The source coordinate of output place j is torch's, with s the scale (in/out, or 1/scale_factor
when a scale factor is given and not recomputed):

- ``nearest``: i = ⌊j·s⌋ (in float32, as torch's kernel), clamped to the input; torch's 2-d
  kernel copies a dim whose size does not change and halves the places of a doubled one
  whatever the scale factor, and so does this for 4-D input. ``nearest-exact``:
  i = ⌊(j + ½)·s⌋, the centre-aligned rule of Pillow and scipy.
- ``linear``/``bilinear``/``trilinear``: c = s·(j + ½) − ½ (at least 0), or c = j·(in−1)/(out−1)
  with ``align_corners``; i₀ = ⌊c⌋, i₁ = i₀ + 1 (the last place repeats), weights 1 − λ and λ,
  λ = c − i₀. A dim whose size does not change is copied (torch's shortcut).
- ``bicubic``: the same c (not clamped), the four places i₀−1 … i₀+2 clamped to the input,
  Keys' cubic convolution weights with a = −0.75 (torch's).
- ``area``: ``adaptive_avg_pool``, the mean of each output place's bin.

``pixel_shuffle`` (*, C·r², H, W) → (*, C, H·r, W·r) and ``pixel_unshuffle`` (its inverse), and
``channel_shuffle`` ((N, g·k, *) read as (N, g, k, *) and transposed to (N, k, g, *)) are
reshapes and permutes: their adjoints move ḡ back the same way.

PyTorch equivalents: ``torch.nn.functional.interpolate``, ``upsample``, ``upsample_nearest``,
``upsample_bilinear``, ``pixel_shuffle``, ``pixel_unshuffle``, ``channel_shuffle``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._conv import _adaptive_avg_pool
from ._warn import warn
from .tensor import OpError, Tensor

__all__ = [
    "channel_shuffle",
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
    "upsample",
    "upsample_bilinear",
    "upsample_nearest",
]

MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")
# the interpolating modes and the one input rank each takes (torch's 3-D, 4-D, 5-D)
_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


# ----------------------------------------------------------------------------- source coordinates


def _nearest_index(
    size: int, out: int, scale: float | None, exact: bool, shortcut: bool = False
) -> np.ndarray:
    """torch's nearest source places, computed in float32 as its kernels do. ``shortcut``: its
    2-d kernel's copy of a dim of unchanged size and halving of a doubled one, even where a
    given scale factor's own rule would read other places."""
    j = np.arange(out)
    if shortcut and not exact and out == size:
        return j
    if shortcut and not exact and out == 2 * size:
        return j >> 1
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(size) / out
    if exact:  # (j + 0.5) is a double times the float scale, rounded to float by floorf
        src = np.floor(((j + 0.5) * np.float64(s)).astype(np.float32))
    else:
        src = np.floor(j.astype(np.float32) * s)
    return np.asarray(np.minimum(src.astype(np.int64), size - 1))


def _source(size: int, out: int, scale: float | None, align_corners: bool, dtype: Any) -> Any:
    """torch's source coordinate c of every output place (in the input's precision)."""
    ft = np.dtype(dtype).type
    if align_corners:
        s = ft(size - 1) / ft(out - 1) if out > 1 else ft(0)
        return s * np.arange(out, dtype=dtype)
    s = ft(1.0 / scale) if scale is not None and scale > 0 else ft(size) / ft(out)
    return s * (np.arange(out, dtype=dtype) + ft(0.5)) - ft(0.5)


def _linear_taps(
    size: int, out: int, scale: float | None, align_corners: bool, dtype: Any
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two places and weights of each output place along one dim."""
    if out == size:  # torch copies a dim whose size does not change
        j = np.arange(out)
        return [(j, np.ones(out, dtype=dtype))]
    c = np.maximum(_source(size, out, scale, align_corners, dtype), 0)
    i0 = np.minimum(np.floor(c.astype(np.float32)).astype(np.int64), size - 1)
    lam = np.clip(c - i0, 0, 1).astype(dtype)
    i1 = i0 + (i0 < size - 1)
    return [(i0, (1 - lam).astype(dtype)), (i1, lam)]


def _cubic_taps(
    size: int, out: int, scale: float | None, align_corners: bool, dtype: Any
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The four places and Keys' weights (a = −0.75) of each output place along one dim."""
    a = -0.75
    c = _source(size, out, scale, align_corners, dtype)
    i0 = np.minimum(np.floor(c.astype(np.float32)).astype(np.int64), size - 1)
    t = np.clip(c - i0, 0, 1)

    def near(x: np.ndarray) -> np.ndarray:  # |x| ≤ 1
        return np.asarray(((a + 2) * x - (a + 3)) * x * x + 1)

    def far(x: np.ndarray) -> np.ndarray:  # 1 < |x| < 2
        return np.asarray(((a * x - 5 * a) * x + 8 * a) * x - 4 * a)

    weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    return [(np.clip(i0 + k - 1, 0, size - 1), w.astype(dtype)) for k, w in enumerate(weights)]


def _antialias_taps(
    size: int, out: int, scale: float | None, align_corners: bool, cubic: bool, dtype: Any
) -> list[tuple[np.ndarray, np.ndarray]]:
    """torch's separable antialias weights (``_compute_weights_aa``) along one dim: with s the
    scale (in/out, 1/scale_factor, or (in − 1)/(out − 1) with ``align_corners``), output place j
    averages the places i within the filter's support r·max(s, 1) (r = 1 bilinear, 2 bicubic)
    of its centre s·(j + ½), weighted by the filter at (i + ½ − s·(j + ½))/max(s, 1) (the
    triangle, or Keys' cubic with a = −0.5), normalised to sum 1."""
    if out == size:  # torch copies a dim whose size does not change, whatever the scale
        return [(np.arange(out), np.ones(out, dtype=dtype))]
    ft = np.dtype(dtype).type
    if align_corners:
        s = ft(size - 1) / ft(out - 1) if out > 1 else ft(0)
    else:
        s = ft(1.0 / scale) if scale is not None and scale > 0 else ft(size) / ft(out)
    half = ft(2 if cubic else 1)
    support = half * s if s >= 1 else half
    inv = ft(1) / s if s >= 1 else ft(1)
    width = math.ceil(support) * 2 + 1
    centre = s * (np.arange(out, dtype=dtype) + ft(0.5))
    # C's truncation toward zero, then clamped to the input, as torch's
    lo = np.maximum((centre - support + ft(0.5)).astype(np.int64), 0)
    count = np.minimum((centre + support + ft(0.5)).astype(np.int64), size) - lo
    count = np.clip(count, 0, width)
    t = np.arange(width).reshape(-1, 1)
    x = np.abs((t + lo - centre + ft(0.5)) * inv).astype(dtype)
    if cubic:
        a = ft(-0.5)
        near = ((a + 2) * x - (a + 3)) * x * x + 1
        far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        w = np.where(x < 1, near, np.where(x < 2, far, 0))
    else:
        w = np.where(x < 1, 1 - x, 0)
    w = np.where(t < count, w, 0).astype(dtype)
    total = w.sum(axis=0)
    w = w / np.where(total != 0, total, 1)
    return [(np.minimum(lo + k, size - 1), w[k]) for k in range(width) if np.any(w[k] != 0)]


def _resample_dim(x: Tensor, d: int, taps: list[tuple[np.ndarray, np.ndarray]]) -> Tensor:
    """Σ_t w_t · x[…, i_t, …] along dim d; x̄ is indexing's (reads of one place add up)."""
    shape = [1] * x.ndim
    shape[d] = -1
    out: Tensor | None = None
    for idx, w in taps:
        term = x[(slice(None),) * d + (idx,)]
        if not np.all(w == 1):
            term = term * Tensor._make(w.reshape(shape))
        out = term if out is None else out + term
    assert out is not None
    return out


# ----------------------------------------------------------------------------- interpolate


def _output_size(
    x: Tensor, size: Any, scale_factor: Any, recompute: Any, mode: str, n: int, op: str
) -> tuple[list[int], list[float | None]]:
    """torch's output sizes and the scales its kernels use (None: in/out)."""
    if size is not None and scale_factor is not None:
        raise ValueError(f"{op}(): only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError(f"{op}(): either size or scale_factor should be defined")
    if recompute and size is not None:
        raise ValueError(f"{op}(): recompute_scale_factor is not meaningful with an explicit size.")
    spatial = list(x.shape[2:])
    if size is not None:
        sizes = list(size) if isinstance(size, (tuple, list)) else [size] * n
        if len(sizes) != n:
            raise ValueError(
                f"{op}(): input and output must have the same number of spatial dimensions, but "
                f"got input with spatial dimensions of {spatial} and output size of {size!r}"
            )
        if any(type(v) is bool or not isinstance(v, (int, np.integer)) for v in sizes):
            raise TypeError(
                f"{op}(): expected size to be an int or a tuple of {n} ints, got {size!r}"
            )
        outs = [operator.index(v) for v in sizes]
        scales: list[float | None] = [None] * n
    else:
        factors = list(scale_factor) if isinstance(scale_factor, (tuple, list)) else None
        if factors is None:
            factors = [scale_factor] * n
        if len(factors) != n:
            raise ValueError(
                f"{op}(): input and scale_factor must have the same number of spatial "
                f"dimensions, but got input with spatial dimensions of {spatial} and "
                f"scale_factor of {scale_factor!r}"
            )
        if any(type(v) is bool or not isinstance(v, (int, float, np.number)) for v in factors):
            raise TypeError(f"{op}(): scale_factor must be a float or floats, got {scale_factor!r}")
        if not all(math.isfinite(f) for f in factors):
            raise OpError(f"{op}(): scale_factor must be finite, got {scale_factor!r}")
        outs = [int(s * float(f)) for s, f in zip(spatial, factors)]
        # "area" always works from the output size, as if recompute_scale_factor were set
        recomputed = recompute or mode == "area"
        scales = [None] * n if recomputed else [float(f) for f in factors]
    # "area" is adaptive_avg_pool, which takes an output size of 0, as torch's
    if any(o <= 0 for o in outs) and not (mode == "area" and min(outs) == 0):
        raise OpError(
            f"{op}(): input and output sizes should be greater than 0, but got input spatial "
            f"sizes {tuple(spatial)} and output sizes {tuple(outs)} (input shape {x.shape})"
        )
    return outs, scales


def interpolate(
    input: Tensor,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize the spatial dims of (N, C, L), (N, C, H, W) or (N, C, D, H, W)
    (``torch.nn.functional.interpolate``) to ``size`` or ⌊in·``scale_factor``⌋; see the module
    docstring for each mode's source places and weights (torch's, including its float32
    nearest rule). ``linear`` takes 3-D input, ``bilinear``/``bicubic`` 4-D, ``trilinear`` 5-D;
    ``align_corners`` (interpolating modes only) maps the corner centres onto each other.
    ``recompute_scale_factor=True`` computes the scale from the output size instead of using
    the given factor. ``antialias`` (bilinear and bicubic, 4-D) widens the filter by the scale
    when downsampling, as torch's (and Pillow's) separable antialias kernel: see
    ``_antialias_taps``; bicubic's then uses a = −0.5, so it differs from plain bicubic even
    when upsampling. One divergence: torch 2.13's antialiased kernel, asked for an output width
    of 1 with a height above 1 while the height changes, repeats its first output row in every
    row; here each row is resampled (what torch gives for the transposed input).
    """
    op = "interpolate"
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                f"{op}(): align_corners option can only be set with the interpolating modes: "
                f"linear | bilinear | bicubic | trilinear (got mode={mode!r})"
            )
    elif align_corners is None:
        align_corners = False
    elif not isinstance(align_corners, (bool, np.bool_)):
        raise TypeError(f"{op}(): align_corners must be a bool or None, got {align_corners!r}")
    if mode not in MODES or input.ndim not in (3, 4, 5):
        raise NotImplementedError(
            f"{op}(): only 3-D, 4-D and 5-D input tensors are supported (got {input.ndim}-D, "
            f"shape {input.shape}) for the modes: {' | '.join(MODES)} (got {mode!r})"
        )
    if mode in _RANK and input.ndim != _RANK[mode]:
        raise NotImplementedError(
            f"{op}(): got {input.ndim}-D input (shape {input.shape}), but {mode} mode needs "
            f"{_RANK[mode]}-D input"
        )
    if antialias and not (mode in ("bilinear", "bicubic") and input.ndim == 4):
        raise ValueError(
            f"{op}(): the anti-alias option is restricted to bilinear and bicubic modes and "
            f"requires a 4-D tensor as input (got mode={mode!r}, input of shape {input.shape})"
        )
    if not input.is_floating_point():
        raise NotImplementedError(
            f"{op}(): {mode} interpolation is not implemented for dtype {input.dtype}"
        )
    n = input.ndim - 2
    if 0 in input.shape[1:]:
        raise OpError(
            f"{op}(): non-empty {input.ndim}-D data tensor expected (only the batch may be "
            f"empty), but got a tensor of shape {input.shape}"
        )
    outs, scales = _output_size(input, size, scale_factor, recompute_scale_factor, mode, n, op)
    if mode == "area":
        return _adaptive_avg_pool(input, outs, n, f"adaptive_avg_pool{n}d")
    x = input
    for k, (size_in, out, scale) in enumerate(zip(input.shape[2:], outs, scales)):
        if mode in ("nearest", "nearest-exact"):
            idx = _nearest_index(size_in, out, scale, mode == "nearest-exact", shortcut=n == 2)
            x = x[(slice(None),) * (2 + k) + (idx,)]
        elif antialias:
            taps = _antialias_taps(
                size_in, out, scale, bool(align_corners), mode == "bicubic", x.dtype
            )
            x = _resample_dim(x, 2 + k, taps)
        elif mode == "bicubic":
            taps = _cubic_taps(size_in, out, scale, bool(align_corners), x.dtype)
            x = _resample_dim(x, 2 + k, taps)
        else:
            taps = _linear_taps(size_in, out, scale, bool(align_corners), x.dtype)
            x = _resample_dim(x, 2 + k, taps)
    return x


def upsample(
    input: Tensor,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
) -> Tensor:
    """Deprecated ``interpolate`` (``torch.nn.functional.upsample``), with torch's warning."""
    warn(
        "`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(
    input: Tensor, size: int | Sequence[int] | None = None, scale_factor: float | None = None
) -> Tensor:
    """Deprecated ``interpolate(..., mode='nearest')`` (``F.upsample_nearest``)."""
    warn(
        "`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(
    input: Tensor, size: int | Sequence[int] | None = None, scale_factor: float | None = None
) -> Tensor:
    """Deprecated ``interpolate(..., mode='bilinear', align_corners=True)``
    (``F.upsample_bilinear``)."""
    warn(
        "`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ----------------------------------------------------------------------------- shuffles


def _factor(value: Any, op: str, arg: str) -> int:
    if type(value) is bool or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{op}(): argument '{arg}' must be int, not {type(value).__name__}")
    if value <= 0:
        raise OpError(f"{op}(): expects a positive {arg}, but got {value}")
    return int(value)


def _pixel_factor(input: Any, factor: Any, op: str, arg: str) -> int:
    """The factor r of ``pixel_shuffle``/``pixel_unshuffle``, after checking, in torch's
    order, that ``input`` is a Tensor (*, C, H, W) and r a positive int."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    r = _factor(factor, op, arg)
    if input.ndim < 3:
        raise OpError(
            f"{op}(): expects input to have at least 3 dimensions, but got input of shape "
            f"{input.shape}"
        )
    return r


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) → (*, C, H·r, W·r) (``torch.nn.functional.pixel_shuffle``):
    out[…, c, h·r + i, w·r + j] = x[…, c·r² + i·r + j, h, w]; x̄ moves ḡ back the same way."""
    op = "pixel_shuffle"
    r = _pixel_factor(input, upscale_factor, op, "upscale_factor")
    *batch, c, h, w = input.shape
    if c % (r * r):
        raise OpError(
            f"{op}(): expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r} (input shape "
            f"{input.shape})"
        )
    b = len(batch)
    x = input.reshape(*batch, c // (r * r), r, r, h, w)
    # (…, C, r, r, H, W) → (…, C, H, r, W, r)
    x = x.permute(*range(b), b, b + 3, b + 1, b + 4, b + 2)
    # torch's op makes a new tensor; the reshapes here give a view of the input where no element
    # moves (a factor of 1, or one pixel), which a later in-place write would reach through
    out = x.reshape(*batch, c // (r * r), h * r, w * r)
    return out.clone() if out._base is not None else out


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) → (*, C·r², H, W), the inverse of ``pixel_shuffle``
    (``torch.nn.functional.pixel_unshuffle``)."""
    op = "pixel_unshuffle"
    r = _pixel_factor(input, downscale_factor, op, "downscale_factor")
    *batch, c, h, w = input.shape
    for name, k, v in (("height", -2, h), ("width", -1, w)):
        if v % r:
            raise OpError(
                f"{op}(): expects {name} to be divisible by downscale_factor, but "
                f"input.size({k})={v} is not divisible by {r} (input shape {input.shape})"
            )
    b = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    # (…, C, H, r, W, r) → (…, C, r, r, H, W)
    x = x.permute(*range(b), b, b + 2, b + 4, b + 1, b + 3)
    # torch's op makes a new tensor; the reshapes here give a view of the input where no element
    # moves (a factor of 1, or one pixel), which a later in-place write would reach through
    out = x.reshape(*batch, c * r * r, h // r, w // r)
    return out.clone() if out._base is not None else out


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, g·k, *) read as (N, g, k, *) and transposed to (N, k, g, *)
    (``torch.nn.functional.channel_shuffle``): out[:, i·g + j] = x[:, j·k + i]."""
    op = "channel_shuffle"
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): input must be a Tensor, got {type(input).__name__}")
    if type(groups) is bool or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'groups' must be int, not {type(groups).__name__}")
    if input.ndim <= 2:
        raise OpError(f"{op}(): expects input with > 2 dims, but got input of shape {input.shape}")
    if groups <= 0:
        raise OpError(
            f"{op}(): number of groups to divide channels in must be positive, got {groups}"
        )
    n, c, *rest = input.shape
    if c % groups:
        raise OpError(
            f"{op}(): number of channels must be divisible by groups. Got {c} channels and "
            f"{groups} groups (input shape {input.shape})"
        )
    x = input.reshape(n, int(groups), c // int(groups), *rest).transpose(1, 2)
    # torch's op makes a new tensor; the reshapes here give a view of the input where no element
    # moves (a factor of 1, or one pixel), which a later in-place write would reach through
    out = x.reshape(n, c, *rest)
    return out.clone() if out._base is not None else out
