"""Pooling layers: MaxPool, AvgPool, AdaptiveAvgPool, AdaptiveMaxPool, MaxUnpool and LPPool,
each 1d/2d/3d, and FractionalMaxPool 2d/3d.

PyTorch equivalents: the classes of the same names in ``torch.nn``. See ``tinygrad_ed._conv``
(the functional forms ``F.max_pool2d`` and so on) for the math and the tie convention, and
``tinygrad_ed._fractional_pool`` for fractional max pooling's windows.
"""

from __future__ import annotations

from typing import Any

from .. import _conv, _fractional_pool
from ..tensor import Tensor
from .layers import _need_tensor
from .module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "FractionalMaxPool2d",
    "FractionalMaxPool3d",
    "LPPool1d",
    "LPPool2d",
    "LPPool3d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
]


def _single(value: Any) -> Any:
    """torch's ``_single``: a sequence as a tuple, anything else as a 1-tuple."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _ntuple(value: Any, n: int) -> Any:
    """torch's ``_ntuple(n)``: a sequence as a tuple, anything else repeated n times."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


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

    def forward(self, input: Tensor) -> Any:
        x = _need_tensor(input, type(self).__name__)
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


class MaxPool3d(_MaxPoolNd):
    """``F.max_pool3d`` as a layer (``torch.nn.MaxPool3d``); ``stride`` defaults to
    ``kernel_size``. Note torch's argument order: ``return_indices`` before ``ceil_mode``."""

    _n = 3


class _AvgPoolNd(Module):
    """AvgPool1d/2d/3d's base. Its constructor is Module's, as torch's: a subclass sets
    kernel_size, stride, padding, ceil_mode, count_include_pad (and divisor_override) itself
    (``_set_args`` does it for the public layers)."""

    _n = 0
    divisor_override: int | None = None

    def _set_args(
        self,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        ceil_mode: bool,
        count_include_pad: bool,
        divisor_override: int | None,
    ) -> None:
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        x = _need_tensor(input, type(self).__name__)
        return _conv._avg_pool(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
            self._n,
            f"avg_pool{self._n}d",
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """``F.avg_pool1d`` as a layer (``torch.nn.AvgPool1d``); its sizes are kept as 1-tuples, and
    it takes no ``divisor_override`` (torch's signature)."""

    _n = 1

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self._set_args(
            _single(kernel_size),
            _single(stride if stride is not None else kernel_size),
            _single(padding),
            ceil_mode,
            count_include_pad,
            None,
        )


class AvgPool2d(_AvgPoolNd):
    """``F.avg_pool2d`` as a layer (``torch.nn.AvgPool2d``); ``stride`` defaults to
    ``kernel_size``."""

    _n = 2

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
        self._set_args(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


class AvgPool3d(_AvgPoolNd):
    """``F.avg_pool3d`` as a layer (``torch.nn.AvgPool3d``); ``stride`` defaults to
    ``kernel_size``."""

    _n = 3

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
        self._set_args(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


class _AdaptiveAvgPoolNd(Module):
    _n = 0

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        n = self._n
        x = _need_tensor(input, f"AdaptiveAvgPool{n}d")
        return _conv._adaptive_avg_pool(x, self.output_size, n, f"adaptive_avg_pool{n}d")

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """``F.adaptive_avg_pool1d`` as a layer (``torch.nn.AdaptiveAvgPool1d``)."""

    _n = 1


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """``F.adaptive_avg_pool2d`` as a layer (``torch.nn.AdaptiveAvgPool2d``); a None in
    ``output_size`` keeps that dim's size."""

    _n = 2


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """``F.adaptive_avg_pool3d`` as a layer (``torch.nn.AdaptiveAvgPool3d``); a None in
    ``output_size`` keeps that dim's size."""

    _n = 3


class _AdaptiveMaxPoolNd(Module):
    _n = 0

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:
        x = _need_tensor(input, type(self).__name__)
        op = f"adaptive_max_pool{self._n}d"
        return _conv._adaptive_max_pool(x, self.output_size, self.return_indices, self._n, op)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """``F.adaptive_max_pool1d`` as a layer (``torch.nn.AdaptiveMaxPool1d``)."""

    _n = 1


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """``F.adaptive_max_pool2d`` as a layer (``torch.nn.AdaptiveMaxPool2d``); a None in
    ``output_size`` keeps that dim's size."""

    _n = 2


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """``F.adaptive_max_pool3d`` as a layer (``torch.nn.AdaptiveMaxPool3d``); a None in
    ``output_size`` keeps that dim's size."""

    _n = 3


class _FractionalMaxPoolNd(Module):
    _n = 0

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Tensor | None = None,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self._n
        self.kernel_size = _ntuple(kernel_size, n)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _ntuple(output_size, n) if output_size is not None else None
        self.output_ratio = _ntuple(output_ratio, n) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(
                f"{name} requires specifying either an output size, or a pooling ratio"
            )
        if output_size is not None and output_ratio is not None:
            raise ValueError(f"{name}: only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"{name}: output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor) -> Any:
        x = _need_tensor(input, type(self).__name__)
        return _fractional_pool._fractional_max_pool(
            x,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            self._random_samples,
            self._n,
        )


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """``F.fractional_max_pool2d`` as a layer (``torch.nn.FractionalMaxPool2d``): fresh window
    starts on every call unless ``_random_samples`` (N, C, 2) is given."""

    _n = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """``F.fractional_max_pool3d`` as a layer (``torch.nn.FractionalMaxPool3d``); fixed window
    starts with ``_random_samples`` (N, C, 3)."""

    _n = 3


class _MaxUnpoolNd(Module):
    """MaxUnpool1d/2d/3d's base. Its constructor is Module's, as torch's: a subclass sets
    kernel_size, stride and padding itself."""

    _n = 0

    def _set_args(self, kernel_size: Any, stride: Any, padding: Any) -> None:
        # torch keeps all three as n-tuples (its _single, _pair, _triple); forward checks them
        self.kernel_size = _ntuple(kernel_size, self._n)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self._n)
        self.padding = _ntuple(padding, self._n)

    def forward(self, input: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:
        x = _need_tensor(input, type(self).__name__)
        return _conv._max_unpool(
            x,
            indices,
            self.kernel_size,
            self.stride,
            self.padding,
            output_size,
            self._n,
            f"max_unpool{self._n}d",
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """``F.max_unpool1d`` as a layer (``torch.nn.MaxUnpool1d``): ``forward(input, indices,
    output_size=None)`` undoes a ``MaxPool1d(..., return_indices=True)``, zeros elsewhere."""

    _n = 1

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self._set_args(kernel_size, stride, padding)


class MaxUnpool2d(_MaxUnpoolNd):
    """``F.max_unpool2d`` as a layer (``torch.nn.MaxUnpool2d``), as ``MaxUnpool1d``."""

    _n = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self._set_args(kernel_size, stride, padding)


class MaxUnpool3d(_MaxUnpoolNd):
    """``F.max_unpool3d`` as a layer (``torch.nn.MaxUnpool3d``), as ``MaxUnpool1d``."""

    _n = 3

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self._set_args(kernel_size, stride, padding)


class _LPPoolNd(Module):
    _n = 0

    def __init__(
        self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        x = _need_tensor(input, type(self).__name__)
        return _conv._lp_pool(
            x, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode, self._n
        )

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPoolNd):
    """``F.lp_pool1d`` as a layer (``torch.nn.LPPool1d``): the p-norm of each window."""

    _n = 1


class LPPool2d(_LPPoolNd):
    """``F.lp_pool2d`` as a layer (``torch.nn.LPPool2d``): the p-norm of each window."""

    _n = 2


class LPPool3d(_LPPoolNd):
    """``F.lp_pool3d`` as a layer (``torch.nn.LPPool3d``): the p-norm of each window."""

    _n = 3
