"""Spatial sampling: ``affine_grid`` and ``grid_sample``, composed of indexing, products with
weights and ``matmul``.

``affine_grid`` maps the output's normalised pixel centres through a batch of affine matrices:
with the base grid B (one row [x, y, 1] per output place, x, y ∈ [−1, 1]),

    out = B·θᵀ,   θ̄ = gᵀ·B   (matmul's rule).

``grid_sample`` reads ``input`` (N, C, *S) at the places ``grid`` (N, *P, n) names, n = 2 or 3
normalised coordinates (x along the last dim, then y, then z). Each coordinate g becomes a pixel
coordinate c as torch's ``grid_sampler_compute_source_index``:

- unnormalise: c = (g + 1)/2·(S − 1) with ``align_corners``, else c = ((g + 1)·S − 1)/2;
- ``border``: c clamped to [0, S − 1]; ``reflection``: c reflected about the borders (the
  corner centres 0 and S − 1 with ``align_corners``, the edges −½ and S − ½ without), as many
  times as needed, then clamped. The gradient of the clamp is 0 at and beyond the bounds (torch
  counts the bounds as outside), of each reflection −1.

Then, with the places i and weights w_i(c) of each mode,

    out[n, :, p] = Σ_i w_i(c) · input[n, :, i],
    input̄[n, :, i] = Σ_p w_i(c) · ḡ[n, :, p],   c̄ = Σ_i w_i′(c) · ⟨input[n, :, i], ḡ[n, :, p]⟩,

- ``nearest``: the one place round(c) (half to even), weight 1, so c̄ = 0 (as torch's);
- ``bilinear``: the 2ⁿ corners ⌊c⌋ + {0, 1} per dim, weights ∏ (1 − t) or t, t = c − ⌊c⌋;
- ``bicubic`` (4-D only): the 4 × 4 places ⌊c⌋ − 1 … ⌊c⌋ + 2 with Keys' cubic convolution
  weights (a = −0.75) of t; torch applies the padding mode to each place, not to c.

With ``zeros`` padding a place outside the input reads 0. The weights are Tensor ops of the
grid; the weighted reads are the primitive ``sample_gather`` (``ops.py``, kernels in
``_grid_kernels.py``), whose rules give input̄ (the reads' adjoint: reads of one place add up)
and each weight's adjoint ⟨input[n, :, i], ḡ[n, :, p]⟩, and are themselves its two sibling
primitives, each other's rules. So ``input̄`` and ``grid̄`` are both exact, and differentiable
again. (Composed of indexing and products, the reads made (N, C, K, P) arrays for K corners,
fresh memory on every call: about 5× torch's time for bilinear (8, 16, 32, 32), against about
2.6× now.)

PyTorch equivalents: ``torch.nn.functional.affine_grid`` and ``grid_sample``.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from .tensor import OpError, Tensor, stack, where

__all__ = [
    "affine_grid",
    "affine_grid_generator",
    "grid_sample",
    "grid_sampler",
    "grid_sampler_2d",
    "grid_sampler_3d",
]

_MODES = ("bilinear", "nearest", "bicubic")
_PADDING_MODES = ("zeros", "border", "reflection")


# ----------------------------------------------------------------------------- affine_grid


def _base_axis(steps: int, align_corners: bool, dtype: Any) -> np.ndarray:
    """torch's normalised pixel centres along one dim: −1 … 1, shrunk by (S − 1)/S without
    ``align_corners``; a single place is 0."""
    if steps <= 1:
        return np.zeros(steps, dtype=dtype)
    axis = np.linspace(-1, 1, steps, dtype=dtype)
    return axis if align_corners else axis * dtype.type((steps - 1) / steps)


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """The sampling grid (N, H, W, 2) or (N, D, H, W, 3) of a batch of affine matrices θ,
    (N, 2, 3) or (N, 3, 4), for an output of ``size`` (N, C, H, W) or (N, C, D, H, W)
    (``torch.nn.functional.affine_grid``): out = B·θᵀ with B the rows [x, (y, z,) 1] of the
    output's normalised pixel centres (see the module docstring), so θ̄ = gᵀ·B.
    ``align_corners`` defaults to False (without torch's warning)."""
    op = "affine_grid"
    if not isinstance(theta, Tensor):
        raise TypeError(f"{op}(): theta must be a Tensor, got {type(theta).__name__}")
    if not isinstance(size, Sequence) or any(
        type(s) is bool or not isinstance(s, (int, np.integer)) for s in size
    ):
        raise TypeError(f"{op}(): size must be a sequence of ints, got {size!r}")
    if align_corners is not None and not isinstance(align_corners, (bool, np.bool_)):
        raise TypeError(f"{op}(): align_corners must be a bool or None, got {align_corners!r}")
    if not theta.is_floating_point():
        raise ValueError(
            f"{op}(): expected theta to have floating point type, but got {theta.dtype}"
        )
    sizes = [operator.index(s) for s in size]
    if len(sizes) not in (4, 5):
        raise NotImplementedError(
            f"{op}() only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {list(sizes)}."
        )
    n = len(sizes) - 2
    if theta.ndim != 3 or theta.shape[1:] != (n, n + 1):
        raise ValueError(
            f"{op}(): expected a batch of {n}D affine matrices of shape Nx{n}x{n + 1} for size "
            f"{list(sizes)}. Got {theta.shape}."
        )
    if min(sizes) <= 0:
        raise ValueError(f"{op}(): expected non-zero, positive output size. Got {list(sizes)}")
    if theta.shape[0] != sizes[0]:
        raise OpError(
            f"{op}(): theta holds {theta.shape[0]} matrices (shape {theta.shape}) but size "
            f"{list(sizes)} asks for a batch of {sizes[0]}"
        )
    return _affine_grid(theta, sizes, bool(align_corners))


def _affine_grid(theta: Tensor, sizes: list[int], align_corners: bool) -> Tensor:
    """B·θᵀ for checked arguments; an empty spatial size gives an empty grid."""
    n = len(sizes) - 2
    spatial = sizes[2:]
    dtype = theta.dtype
    # coordinate k of the base grid varies along spatial dim n − 1 − k: x along the last
    axes = [_base_axis(s, align_corners, dtype) for s in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    rows = [mesh[n - 1 - k] for k in range(n)] + [np.ones(spatial, dtype=dtype)]
    base = np.stack(rows, axis=-1).reshape(1, math.prod(spatial), n + 1)
    grid = Tensor._make(base) @ theta.transpose(1, 2)
    return grid.reshape(sizes[0], *spatial, n)


# ----------------------------------------------------------------------------- coordinates


def _unnormalize(g: Tensor, size: int, align_corners: bool, n: int) -> Tensor:
    """torch's grid_sampler_unnormalize: [−1, 1] onto the corner centres or the edges, in the
    order of operations of its 4-D (vectorised) and 5-D kernels, which round differently."""
    if n == 2:
        if align_corners:
            return (g + 1) * ((size - 1) / 2)
        return (g + 1) * (size / 2) - 0.5
    if align_corners:
        return (g + 1) / 2 * (size - 1)
    return ((g + 1) * size - 1) / 2


def _clip(c: Tensor, size: int, n: int) -> Tensor:
    """c clamped to [0, S − 1] with gradient 0 at and beyond the bounds (torch's
    clip_coordinates: its kernels count the bounds as outside); a nan becomes 0 as in torch's
    4-D kernel, S − 1 as in its 5-D one."""
    v = c.data
    inside = (v > 0) & (v < size - 1)
    if inside.all():
        return c
    nan_to = 0 if n == 2 else size - 1
    clipped = np.where(np.isnan(v), nan_to, np.clip(v, 0, size - 1)).astype(v.dtype)
    return where(inside, c, Tensor._make(clipped))


def _reflect_np(
    v: np.ndarray, size: int, align_corners: bool, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """torch's reflect_coordinates: v reflected into [0, S − 1] (``align_corners``) or
    [−½, S − ½], and the sign (±1) of its derivative; a span of 0 maps to 0 with slope 0.
    The arithmetic is that of torch's 4-D (vectorised) or 5-D kernel, in v's precision, so
    that places far outside land where torch's land."""
    span = size - 1 if align_corners else size
    if span == 0:
        return np.zeros_like(v), np.zeros_like(v)
    ft = v.dtype.type
    lo = ft(0.0 if align_corners else -0.5)
    shifted = v - lo
    if n == 2:  # extra = |v| − trunc(|v| / 2S)·2S, min(extra, 2S − extra)
        period = ft(2 * span)
        a = np.abs(shifted)
        extra = a - np.trunc(a / period) * period
        flip = extra > period - extra
        out = np.minimum(extra, period - extra) + lo
    else:  # extra = fmod(|v|, S), flipped when ⌊|v| / S⌋ is odd
        a = np.abs(shifted)
        extra = np.fmod(a, ft(span))
        flip = np.fmod(np.floor(a / ft(span)), 2) == 1
        out = np.where(flip, ft(span) - extra, extra) + lo
    sign = np.where(flip ^ (shifted < 0), -1, 1).astype(v.dtype)
    return out.astype(v.dtype), sign


def _pad_coordinate(c: Tensor, size: int, padding_mode: str, align_corners: bool, n: int) -> Tensor:
    """The padding mode applied to a pixel coordinate (bilinear and nearest)."""
    if padding_mode == "border":
        return _clip(c, size, n)
    if padding_mode == "reflection":
        r, sign = _reflect_np(c.data, size, align_corners, n)
        # value r exactly (c − c is 0 exactly, even far outside), derivative ±1
        c = (c - c.detach()) * Tensor._make(sign) + Tensor._make(r)
        return _clip(c, size, n)
    return c


def _pad_place(
    i: np.ndarray, size: int, padding_mode: str, align_corners: bool, n: int
) -> np.ndarray:
    """The padding mode applied to an integer place (bicubic's taps), as floats."""
    if padding_mode == "border":
        return np.asarray(np.clip(i, 0, size - 1))
    if padding_mode == "reflection":
        return np.asarray(np.clip(_reflect_np(i, size, align_corners, n)[0], 0, size - 1))
    return i


def _cubic_weights(t: Tensor) -> list[Tensor]:
    """Keys' cubic convolution weights (a = −0.75, torch's) of the places ⌊c⌋ − 1 … ⌊c⌋ + 2."""
    a = -0.75

    def near(x: Tensor) -> Tensor:  # |x| ≤ 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: Tensor) -> Tensor:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _taps(
    c: Tensor, size: int, mode: str, padding_mode: str, align_corners: bool, n: int
) -> list[tuple[np.ndarray, Tensor | None]]:
    """The places (floats; outside [0, S) reads 0) and weights along one dim."""
    if mode == "bicubic":
        i0 = np.floor(c.data)
        t = c - Tensor._make(i0)
        places = [_pad_place(i0 + k - 1, size, padding_mode, align_corners, n) for k in range(4)]
        return list(zip(places, _cubic_weights(t)))
    c = _pad_coordinate(c, size, padding_mode, align_corners, n)
    if mode == "nearest":
        return [(np.rint(c.data), None)]
    i0 = np.floor(c.data)
    t = c - Tensor._make(i0)
    return [(i0, 1 - t), (i0 + 1, t)]


# ----------------------------------------------------------------------------- grid_sample


def _check_sample_args(
    input: Any, grid: Any, mode: str, padding_mode: str, align_corners: Any, op: str
) -> None:
    for name, t in (("input", input), ("grid", grid)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}(): {name} must be a Tensor, got {type(t).__name__}")
    if mode not in _MODES:
        raise ValueError(
            f"{op}(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: {mode!r}"
        )
    if padding_mode not in _PADDING_MODES:
        raise ValueError(
            f"{op}(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: "
            f"{padding_mode!r}"
        )
    if align_corners is not None and not isinstance(align_corners, (bool, np.bool_)):
        raise TypeError(f"{op}(): align_corners must be a bool or None, got {align_corners!r}")
    if input.ndim not in (4, 5) or grid.ndim != input.ndim:
        raise OpError(
            f"{op}(): expected 4D or 5D input and grid with the same number of dimensions, but "
            f"got input of shape {input.shape} and grid of shape {grid.shape}"
        )
    n = input.ndim - 2
    if grid.shape[0] != input.shape[0]:
        raise OpError(
            f"{op}(): expected grid and input to have the same batch size, but got input of "
            f"shape {input.shape} and grid of shape {grid.shape}"
        )
    if grid.shape[-1] != n:
        raise OpError(
            f"{op}(): expected grid to have size {n} in the last dimension, but got grid of "
            f"shape {grid.shape} (input of shape {input.shape})"
        )
    for d in range(2, input.ndim):
        if input.shape[d] == 0:
            raise OpError(
                f"{op}(): expected input to have non-empty spatial dimensions, but input has "
                f"shape {input.shape} with dimension {d} being empty"
            )
    if mode == "bicubic" and n != 2:
        raise OpError(f"{op}(): bicubic interpolation only supports 4D input, got {input.shape}")
    if not input.is_floating_point() or input.dtype != grid.dtype:
        # torch: a RuntimeError for mixed float dtypes, NotImplementedError for integer input
        raise OpError(
            f"{op}(): expected floating input and grid of the same dtype, but got input of "
            f"dtype {input.dtype} and grid of dtype {grid.dtype}"
        )


def grid_sample(
    input: Tensor,
    grid: Tensor,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Sample (N, C, H, W) at grid (N, Hₒ, Wₒ, 2), or (N, C, D, H, W) at (N, Dₒ, Hₒ, Wₒ, 3), to
    (N, C, Hₒ, Wₒ) or (N, C, Dₒ, Hₒ, Wₒ) (``torch.nn.functional.grid_sample``): ``mode``
    'bilinear' (trilinear for 5-D), 'nearest' or 'bicubic' (4-D only), ``padding_mode``
    'zeros', 'border' or 'reflection', ``align_corners`` defaulting to False (without torch's
    warning); the module docstring has torch's coordinate rules and the adjoints. input̄ and
    grid̄ are both exact (grid̄ = 0 for 'nearest', as torch's)."""
    return _checked_sample("grid_sample", input, grid, mode, padding_mode, align_corners)


def _checked_sample(
    op: str, input: Any, grid: Any, mode: str, padding_mode: str, align_corners: Any
) -> Tensor:
    _check_sample_args(input, grid, mode, padding_mode, align_corners, op)
    # a grid of ±∞ or nan gives torch's answer through inf − inf and nan arithmetic, unwarned
    with np.errstate(invalid="ignore"):
        return _grid_sample(input, grid, mode, padding_mode, bool(align_corners))


def _grid_sample(input: Tensor, grid: Tensor, mode: str, padding_mode: str, align: bool) -> Tensor:
    batch, channels, *sizes = input.shape
    n = len(sizes)
    out_shape = grid.shape[1:-1]
    points = math.prod(out_shape)
    g = grid.reshape(batch, points, n)
    # spatial dim k is read by grid coordinate n − 1 − k (x runs along the last dim)
    per_dim = []
    for k, size in enumerate(sizes):
        c = _unnormalize(g[:, :, n - 1 - k], size, align, n)
        per_dim.append(_taps(c, size, mode, padding_mode, align, n))
    # Every output place reads K places of the input, its spatial dims flattened (L = ∏S, and
    # L for a place outside, which reads 0), with weights (N, K, P) made of Tensor ops of the
    # grid: their adjoints carry grid̄ back to the coordinates.
    total = math.prod(sizes)
    indices, weights = [], []
    for corner in itertools.product(*per_dim):
        place = np.zeros((batch, points), dtype=np.int64)
        inside = np.ones((batch, points), dtype=bool)
        weight: Tensor | None = None
        for size, (at, w) in zip(sizes, corner):
            ok = (at >= 0) & (at < size)  # False for nan
            inside &= ok
            place = place * size + np.where(ok, at, 0).astype(np.int64)
            if w is not None:
                weight = w if weight is None else weight * w
        indices.append(np.where(inside, place, total))
        if weight is not None and n == 3 and not inside.all():
            # torch's 5-D kernel skips a corner outside, where its 4-D one adds 0·w (nan for a
            # non-finite place); the two differ only there
            weight = weight._keep(inside)
        if weight is not None:
            weights.append(weight)
    if weights:
        stacked = stack(weights, 1)
    else:  # nearest: one read of weight 1, whose derivative in the grid is 0 (as torch's)
        stacked = g._keep(np.zeros(g.shape, dtype=bool)).sum(-1).unsqueeze(1) + 1
    table = input.reshape(batch, channels, total)
    out = table._sample("sample_gather", stacked, np.stack(indices, axis=1), total)
    return out.reshape(batch, channels, *out_shape)


# ----------------------------------------------------------------------------- torch's kernels
# The functions F.affine_grid and F.grid_sample call in torch, with its integer codes and a
# required align_corners.


def _require_bool(op: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(value).__name__}")
    return bool(value)


def _code(op: str, name: str, value: Any, names: tuple[str, ...]) -> str:
    """The mode an integer code stands for: torch's enum order, ``names[value]``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{op}(): argument '{name}' must be int, not {type(value).__name__}")
    if not 0 <= value < len(names):
        # torch's kernels do not check, and compute something for any code
        codes = ", ".join(f"{k} ({mode})" for k, mode in enumerate(names))
        raise ValueError(f"{op}(): {name} must be one of {codes}, got {value}")
    return names[int(value)]


def _grid_sampler(
    op: str,
    dims: int | None,
    input: Any,
    grid: Any,
    interpolation_mode: Any,
    padding_mode: Any,
    align_corners: Any,
) -> Tensor:
    mode = _code(op, "interpolation_mode", interpolation_mode, _MODES)
    padding = _code(op, "padding_mode", padding_mode, _PADDING_MODES)
    align = _require_bool(op, "align_corners", align_corners)
    tensors = isinstance(input, Tensor) and isinstance(grid, Tensor)
    if dims is not None and tensors and (input.ndim != dims + 2 or grid.ndim != dims + 2):
        raise OpError(
            f"{op}(): expected {dims + 2}D input and grid with same number of dimensions, "
            f"but got input of shape {input.shape} and grid of shape {grid.shape}"
        )
    return _checked_sample(op, input, grid, mode, padding, align)


def grid_sampler(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``grid_sample`` with torch's integer codes (``torch.grid_sampler``): interpolation_mode
    0 bilinear, 1 nearest, 2 bicubic; padding_mode 0 zeros, 1 border, 2 reflection;
    align_corners required. Values and adjoints are ``grid_sample``'s (see the module
    docstring); 4-D input goes to ``grid_sampler_2d``, 5-D to ``grid_sampler_3d``."""
    args = (input, grid, interpolation_mode, padding_mode, align_corners)
    return _grid_sampler("grid_sampler", None, *args)


def grid_sampler_2d(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``grid_sampler`` of a 4-D input (N, C, H, W) at a grid (N, Hₒ, Wₒ, 2)
    (``torch.grid_sampler_2d``)."""
    args = (input, grid, interpolation_mode, padding_mode, align_corners)
    return _grid_sampler("grid_sampler_2d", 2, *args)


def grid_sampler_3d(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``grid_sampler`` of a 5-D input (N, C, D, H, W) at a grid (N, Dₒ, Hₒ, Wₒ, 3)
    (``torch.grid_sampler_3d``); bicubic (2) is refused, as torch."""
    args = (input, grid, interpolation_mode, padding_mode, align_corners)
    return _grid_sampler("grid_sampler_3d", 3, *args)


def affine_grid_generator(theta: Tensor, size: Sequence[int], align_corners: bool) -> Tensor:
    """``affine_grid`` as torch's kernel (``torch.affine_grid_generator``): align_corners
    required, and a spatial size of 0 gives an empty grid (``F.affine_grid`` refuses it).
    out = B·θᵀ, θ̄ = gᵀ·B with B the base grid (module docstring)."""
    op = "affine_grid_generator"
    if not isinstance(theta, Tensor):
        raise TypeError(f"{op}(): argument 'theta' must be Tensor, not {type(theta).__name__}")
    align = _require_bool(op, "align_corners", align_corners)
    if not isinstance(size, Sequence) or any(
        type(s) is bool or not isinstance(s, (int, np.integer)) for s in size
    ):
        raise TypeError(f"{op}(): argument 'size' must be a sequence of ints, got {size!r}")
    sizes = [int(s) for s in size]
    if len(sizes) not in (4, 5):
        raise OpError(
            f"{op}(): AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs, got "
            f"size {sizes}"
        )
    if min(sizes) < 0:
        raise OpError(f"{op}(): size must not be negative, got {sizes}")
    if not theta.is_floating_point():
        raise OpError(f"{op}(): expected theta of a floating point dtype, got {theta.dtype}")
    n = len(sizes) - 2
    if theta.shape != (sizes[0], n, n + 1):
        raise OpError(
            f"{op}(): expected theta of shape (N, {n}, {n + 1}) = ({sizes[0]}, {n}, {n + 1}) for "
            f"size {sizes}, got {theta.shape}"
        )
    return _affine_grid(theta, sizes, align)
