"""Resampling layers: Upsample (and its 2-d shorthands), PixelShuffle, PixelUnshuffle and
ChannelShuffle.

PyTorch equivalents: the classes of the same names in ``torch.nn``. The math is in
``tinygrad_ed._resample`` (the functional forms ``F.interpolate``, ``F.pixel_shuffle``, …).
"""

from __future__ import annotations

from typing import Any

from .. import _resample
from ..tensor import Tensor
from .layers import _need_tensor
from .module import Module

__all__ = [
    "ChannelShuffle",
    "PixelShuffle",
    "PixelUnshuffle",
    "Upsample",
    "UpsamplingBilinear2d",
    "UpsamplingNearest2d",
]


class Upsample(Module):
    """``F.interpolate`` as a layer (``torch.nn.Upsample``): resize to ``size`` or by
    ``scale_factor`` with ``mode`` (nearest, nearest-exact, linear, bilinear, bicubic,
    trilinear, area). A scale factor is kept as a float (or a tuple of floats), as torch's."""

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor: Any = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return _resample.interpolate(
            _need_tensor(input, type(self).__name__),
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode='nearest')`` for 4-D input
    (``torch.nn.UpsamplingNearest2d``)."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode='bilinear', align_corners=True)``
    (``torch.nn.UpsamplingBilinear2d``)."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """``F.pixel_shuffle`` as a layer (``torch.nn.PixelShuffle``): (*, C·r², H, W) →
    (*, C, H·r, W·r)."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return _resample.pixel_shuffle(_need_tensor(input, "PixelShuffle"), self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """``F.pixel_unshuffle`` as a layer (``torch.nn.PixelUnshuffle``): (*, C, H·r, W·r) →
    (*, C·r², H, W)."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return _resample.pixel_unshuffle(
            _need_tensor(input, "PixelUnshuffle"), self.downscale_factor
        )

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class ChannelShuffle(Module):
    """``F.channel_shuffle`` as a layer (``torch.nn.ChannelShuffle``): interleave the channels
    of ``groups`` groups."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return _resample.channel_shuffle(_need_tensor(input, "ChannelShuffle"), self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
