"""Pooling layers: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool1d/2d.

PyTorch equivalents: the classes of the same names in ``torch.nn``. See ``tinygrad_ed._conv``
(the functional forms ``F.max_pool2d`` and so on) for the math and the tie convention.
"""

from __future__ import annotations

from typing import Any

from .. import _conv
from ..tensor import Tensor
from .layers import _need_tensor
from .module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "MaxPool1d",
    "MaxPool2d",
]


def _single(value: Any) -> Any:
    """torch's ``_single``: a sequence as a tuple, anything else as a 1-tuple."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


class _MaxPoolNd(Module):
    _n = 0

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, x: Tensor) -> Any:
        x = _need_tensor(x, type(self).__name__)
        return _conv._max_pool(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
            self._n,
            f"max_pool{self._n}d",
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """``F.max_pool1d`` as a layer (``torch.nn.MaxPool1d``); ``stride`` defaults to
    ``kernel_size``. Note torch's argument order: ``return_indices`` before ``ceil_mode``."""

    _n = 1


class MaxPool2d(_MaxPoolNd):
    """``F.max_pool2d`` as a layer (``torch.nn.MaxPool2d``); ``stride`` defaults to
    ``kernel_size``. Note torch's argument order: ``return_indices`` before ``ceil_mode``."""

    _n = 2


class AvgPool1d(Module):
    """``F.avg_pool1d`` as a layer (``torch.nn.AvgPool1d``); its sizes are kept as 1-tuples."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, x: Tensor) -> Tensor:
        x = _need_tensor(x, "AvgPool1d")
        return _conv.avg_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """``F.avg_pool2d`` as a layer (``torch.nn.AvgPool2d``); ``stride`` defaults to
    ``kernel_size``."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x: Tensor) -> Tensor:
        x = _need_tensor(x, "AvgPool2d")
        return _conv.avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool1d(Module):
    """``F.adaptive_avg_pool1d`` as a layer (``torch.nn.AdaptiveAvgPool1d``)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return _conv.adaptive_avg_pool1d(_need_tensor(x, "AdaptiveAvgPool1d"), self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(Module):
    """``F.adaptive_avg_pool2d`` as a layer (``torch.nn.AdaptiveAvgPool2d``); a None in
    ``output_size`` keeps that dim's size."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return _conv.adaptive_avg_pool2d(_need_tensor(x, "AdaptiveAvgPool2d"), self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
