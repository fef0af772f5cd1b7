"""Convolution layers: Conv1d and Conv2d.

PyTorch equivalents: ``torch.nn.Conv1d``, ``torch.nn.Conv2d``. See ``tinygrad_ed._conv`` (the
functional forms ``F.conv1d``, ``F.conv2d``) for the math.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _conv
from .._device import _check_device
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _int, _need_tensor, _size
from .module import Module, Parameter

__all__ = ["Conv1d", "Conv2d"]


def _tuple(value: Any, n: int, layer: str, arg: str) -> tuple[int, ...]:
    """torch's ``_single``/``_pair``: an int repeated n times, or a sequence of n ints."""
    items = list(value) if isinstance(value, (tuple, list)) else [value] * n
    if len(items) != n:
        raise ValueError(f"{layer}(): {arg} must be an int or {n} ints, got {value!r}")
    return tuple(_int(v, layer, arg) for v in items)


class _ConvNd(Module):
    """The shared constructor, parameters and repr of Conv1d and Conv2d."""

    _n = 0
    in_channels: int
    out_channels: int
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...] | str
    dilation: tuple[int, ...]
    groups: int
    padding_mode: str
    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] | str = 0,
        dilation: int | tuple[int, ...] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self._n
        _check_device(device, f"{name}()")
        self.in_channels = _size(in_channels, name, "in_channels")
        self.out_channels = _size(out_channels, name, "out_channels")
        self.groups = _int(groups, name, "groups")
        if self.groups <= 0:
            raise ValueError(f"{name}(): groups must be a positive integer, got {groups}")
        if self.in_channels % self.groups:
            raise ValueError(
                f"{name}(): in_channels must be divisible by groups "
                f"(in_channels={in_channels}, groups={groups})"
            )
        if self.out_channels % self.groups:
            raise ValueError(
                f"{name}(): out_channels must be divisible by groups "
                f"(out_channels={out_channels}, groups={groups})"
            )
        self.kernel_size = _tuple(kernel_size, n, name, "kernel_size")
        self.stride = _tuple(stride, n, name, "stride")
        self.dilation = _tuple(dilation, n, name, "dilation")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"{name}(): invalid padding string {padding!r}, should be one of "
                    "{'same', 'valid'}"
                )
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(
                    f"{name}(): padding='same' is not supported for strided convolutions "
                    f"(stride={self.stride})"
                )
            self.padding = padding
        else:
            self.padding = _tuple(padding, n, name, "padding")
        if padding_mode not in _conv.PADDING_MODES:
            raise ValueError(
                f"{name}(): padding_mode must be one of {set(_conv.PADDING_MODES)}, but got "
                f"padding_mode={padding_mode!r}"
            )
        self.padding_mode = padding_mode
        d = _float_dtype(dtype, name)
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=d))
        if bias:
            self.bias = Parameter(np.empty((self.out_channels,), dtype=d))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's default: ``kaiming_uniform_(weight, a=√5)``, i.e. U(−1/√fan_in, 1/√fan_in)
        with fan_in = in_channels/groups · Π kernel_size, and the same interval for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        name = type(self).__name__
        x = _need_tensor(x, name)
        return _conv._conv(
            x,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.dilation,
            self.groups,
            self._n,
            f"conv{self._n}d",
            self.padding_mode,
        )

    def extra_repr(self) -> str:
        # torch's: the defaults left out
        n = self._n
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-d convolution over (N, C_in, L) or (C_in, L) (``torch.nn.Conv1d``): ``weight`` of shape
    (out_channels, in_channels/groups, k), ``bias`` (out_channels,). ``padding_mode`` 'zeros',
    'reflect', 'replicate' or 'circular' (the last three read the padding from the input)."""

    _n = 1


class Conv2d(_ConvNd):
    """2-d convolution over (N, C_in, H, W) or (C_in, H, W) (``torch.nn.Conv2d``): ``weight`` of
    shape (out_channels, in_channels/groups, kH, kW), ``bias`` (out_channels,); the same
    arguments as ``Conv1d``, each an int or a pair."""

    _n = 2
