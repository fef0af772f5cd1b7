"""Convolution layers: Conv1d/2d/3d, ConvTranspose1d/2d/3d, and Unfold/Fold (im2col, col2im).

PyTorch equivalents: ``torch.nn.Conv1d``, ``Conv2d``, ``Conv3d``, ``ConvTranspose1d``,
``ConvTranspose2d``, ``ConvTranspose3d``, ``Unfold``, ``Fold``. See ``tinygrad_ed._conv`` (the
functional forms ``F.conv1d`` … ``F.conv_transpose3d``, ``F.unfold``, ``F.fold``) for the math.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from .. import _conv
from .._device import _check_device
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _int, _need_tensor, _size
from .module import Module, Parameter

__all__ = [
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Fold",
    "Unfold",
]


def _tuple(value: Any, n: int, layer: str, arg: str) -> tuple[int, ...]:
    """torch's ``_single``/``_pair``: an int repeated n times, or a sequence of n ints."""
    items = list(value) if isinstance(value, (tuple, list)) else [value] * n
    if len(items) != n:
        raise ValueError(f"{layer}(): {arg} must be an int or {n} ints, got {value!r}")
    return tuple(_int(v, layer, arg) for v in items)


class _ConvNd(Module):
    """The shared constructor, parameters and repr of the convolutions and their transposes.

    Its constructor is torch's, positional arguments included, so that layers written against
    torch's internals build here: ``(in_channels, out_channels, kernel_size, stride, padding,
    dilation, transposed, output_padding, groups, bias, padding_mode, device=None,
    dtype=None)``. torch's takes tuples; this one also takes ints (repeated to the number of
    spatial dims, the class's or else ``len(kernel_size)``) and checks every argument. A class
    deriving from it directly writes its own ``forward``, as in torch.
    """

    _n = 0
    in_channels: int
    out_channels: int
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...] | str
    dilation: tuple[int, ...]
    transposed: bool
    output_padding: tuple[int, ...]
    groups: int
    padding_mode: str
    _reversed_padding_repeated_twice: list[int] | tuple[int, ...]
    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...],
        padding: int | tuple[int, ...] | str,
        dilation: int | tuple[int, ...],
        transposed: bool,
        output_padding: int | tuple[int, ...],
        groups: int,
        bias: bool,
        padding_mode: str,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self._n
        if n == 0:  # a class deriving from _ConvNd directly: the kernel says how many dims
            if not isinstance(kernel_size, (tuple, list)):
                raise TypeError(
                    f"{name}(): _ConvNd takes kernel_size as a tuple (one int per spatial dim), "
                    f"got {kernel_size!r}"
                )
            n = self._n = len(kernel_size)
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
        self.transposed = bool(transposed)
        self.kernel_size = _tuple(kernel_size, n, name, "kernel_size")
        self.stride = _tuple(stride, n, name, "stride")
        self.dilation = _tuple(dilation, n, name, "dilation")
        self.output_padding = _tuple(output_padding, n, name, "output_padding")
        if isinstance(padding, str):
            if self.transposed:  # torch's fails later, in forward, with a TypeError
                raise TypeError(f"{name}(): padding must be an int or {n} ints, got {padding!r}")
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
        # torch's F.pad amounts for padding_mode != 'zeros' (last dim first), which layers
        # written against torch read: a tuple for numeric padding, a list for a string, as
        # torch's; 'same' puts the odd one of an even total on the right.
        if isinstance(self.padding, str):
            same = self.padding == "same"
            totals = [d * (k - 1) if same else 0 for d, k in zip(self.dilation, self.kernel_size)]
            pairs = [(t // 2, t - t // 2) for t in reversed(totals)]
            self._reversed_padding_repeated_twice = [v for pair in pairs for v in pair]
        else:
            self._reversed_padding_repeated_twice = tuple(
                p for p in reversed(self.padding) for _ in "lr"
            )
        d = _float_dtype(dtype, name)
        # torch's shapes: a transposed convolution's weight is its adjoint's, (in, out/groups, k…)
        pair = (self.in_channels, self.out_channels)
        big, small = pair[::-1] if not self.transposed else pair
        shape = (big, small // self.groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=d))
        if bias:
            self.bias = Parameter(np.empty((self.out_channels,), dtype=d))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """torch's default: ``kaiming_uniform_(weight, a=√5)``, i.e. U(−1/√fan_in, 1/√fan_in)
        with fan_in = weight.shape[1] · Π kernel_size (in_channels/groups, or out_channels/groups
        for a transposed convolution, as torch's), and the same interval for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        """``F.conv{n}d(input, weight, bias)`` with the layer's stride, padding, dilation,
        groups and padding_mode (torch's ``Conv2d._conv_forward``): what a subclass calls to
        convolve with a weight of its own, e.g. a standardized ``self.weight``."""
        name = type(self).__name__
        if self.transposed:  # torch's _ConvNd declares it for Conv1d/2d/3d only
            raise NotImplementedError(f"{name}._conv_forward(): not defined for a transposed conv")
        input = _need_tensor(input, name)
        return _conv._conv(
            input,
            weight,
            bias,
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
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


# Conv1d/2d/3d and their transposes each spell out torch's public constructor and call
# _ConvNd's as torch's do, so that ``super(nn.Conv2d, self).__init__(...)`` with _ConvNd's
# arguments, a known idiom, reaches _ConvNd.


class Conv1d(_ConvNd):
    """1-d convolution over (N, C_in, L) or (C_in, L) (``torch.nn.Conv1d``): ``weight`` of shape
    (out_channels, in_channels/groups, k), ``bias`` (out_channels,). ``padding_mode`` 'zeros',
    'reflect', 'replicate' or 'circular' (the last three read the padding from the input)."""

    _n = 1

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
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            False,
            0,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv2d(_ConvNd):
    """2-d convolution over (N, C_in, H, W) or (C_in, H, W) (``torch.nn.Conv2d``): ``weight`` of
    shape (out_channels, in_channels/groups, kH, kW), ``bias`` (out_channels,); the same
    arguments as ``Conv1d``, each an int or a pair."""

    _n = 2

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
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            False,
            0,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv3d(_ConvNd):
    """3-d convolution over (N, C_in, D, H, W) or (C_in, D, H, W) (``torch.nn.Conv3d``):
    ``weight`` of shape (out_channels, in_channels/groups, kD, kH, kW), ``bias``
    (out_channels,); the same arguments as ``Conv1d``, each an int or a triple."""

    _n = 3

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
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            False,
            0,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class _ConvTransposeNd(_ConvNd):
    """ConvTranspose1d/2d/3d's base: ``_ConvNd``'s constructor (torch's arguments) for
    padding_mode 'zeros' only, and ``_output_padding``, which reads ``output_size``."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...],
        padding: int | tuple[int, ...],
        dilation: int | tuple[int, ...],
        transposed: bool,
        output_padding: int | tuple[int, ...],
        groups: int,
        bias: bool,
        padding_mode: str,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        name = type(self).__name__
        if padding_mode != "zeros":
            raise ValueError(f'{name}(): only "zeros" padding mode is supported for {name}')
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            transposed,
            output_padding,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def _output_padding(
        self,
        input: Tensor,
        output_size: Sequence[int] | None,
        stride: Sequence[int],
        padding: Sequence[int],
        kernel_size: Sequence[int],
        num_spatial_dims: int,
        dilation: Sequence[int] | None = None,
    ) -> list[int]:
        """torch's: the output_padding that makes the output ``output_size`` (its last n
        entries if it also names the batch and channel dims), which must lie between the
        smallest output, output_padding 0, and stride − 1 places more; ``self.output_padding``
        when ``output_size`` is None."""
        n, name = num_spatial_dims, type(self).__name__
        if output_size is None:
            return list(self.output_padding)
        leading = 2 if input.ndim == n + 2 else 1
        sizes = list(output_size)
        if len(sizes) == leading + n:
            sizes = sizes[leading:]
        if len(sizes) != n:
            raise ValueError(
                f"{name}.forward(): for {input.ndim}-d input, output_size must have {n} or "
                f"{leading + n} elements (got {len(sizes)})"
            )
        sizes = [_int(v, name, "output_size") for v in sizes]
        dilation = dilation if dilation is not None else [1] * n
        lows = [
            (i - 1) * s - 2 * p + d * (k - 1) + 1
            for i, s, p, d, k in zip(input.shape[-n:], stride, padding, dilation, kernel_size)
        ]
        highs = [low + s - 1 for low, s in zip(lows, stride)]
        if any(not low <= v <= high for v, low, high in zip(sizes, lows, highs)):
            raise ValueError(
                f"{name}.forward(): requested an output size of {sizes}, but valid sizes range "
                f"from {lows} to {highs} (for an input of {input.shape[-n:]})"
            )
        return [v - low for v, low in zip(sizes, lows)]

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        input = _need_tensor(input, type(self).__name__)
        n, op = self._n, f"conv_transpose{self._n}d"
        _conv._input(input, n, op)  # its shape checked before output_size reads it
        pads = cast("tuple[int, ...]", self.padding)  # never a string here
        output_padding = self._output_padding(
            input, output_size, self.stride, pads, self.kernel_size, n, self.dilation
        )
        return _conv._conv_transpose(
            input,
            self.weight,
            self.bias,
            self.stride,
            pads,
            tuple(output_padding),
            self.groups,
            self.dilation,
            n,
            op,
        )


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-d convolution over (N, C_in, L) or (C_in, L) (``torch.nn.ConvTranspose1d``),
    ``F.conv_transpose1d`` with ``weight`` of shape (in_channels, out_channels/groups, k) and
    ``bias`` (out_channels,). ``forward(input, output_size)`` picks the output_padding that gives
    that length (one of the stride's choices; a list of 1 or, with N and C, 3 ints)."""

    _n = 1

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        output_padding: int | tuple[int, ...] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, ...] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            True,
            output_padding,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-d convolution over (N, C_in, H, W) or (C_in, H, W)
    (``torch.nn.ConvTranspose2d``): ``weight`` (in_channels, out_channels/groups, kH, kW); the
    same arguments as ``ConvTranspose1d``, each an int or a pair."""

    _n = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        output_padding: int | tuple[int, ...] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, ...] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            True,
            output_padding,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )


class ConvTranspose3d(_ConvTransposeNd):
    """Transposed 3-d convolution over (N, C_in, D, H, W) or (C_in, D, H, W)
    (``torch.nn.ConvTranspose3d``): ``weight`` (in_channels, out_channels/groups, kD, kH, kW);
    the same arguments as ``ConvTranspose1d``, each an int or a triple."""

    _n = 3

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        output_padding: int | tuple[int, ...] = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: int | tuple[int, ...] = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            True,
            output_padding,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )


class Unfold(Module):
    """Sliding blocks of (N, C, H, W) as columns (N, C·kH·kW, L), "im2col"
    (``torch.nn.Unfold``): ``F.unfold`` with the stored arguments."""

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        dilation: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        stride: int | tuple[int, ...] = 1,
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input: Tensor) -> Tensor:
        input = _need_tensor(input, "Unfold")
        return _conv.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )


class Fold(Module):
    """Columns of sliding blocks (N, C·kH·kW, L) summed into (N, C, *output_size), "col2im"
    (``torch.nn.Fold``): ``F.fold`` with the stored arguments, the adjoint of ``Unfold``."""

    def __init__(
        self,
        output_size: int | tuple[int, ...],
        kernel_size: int | tuple[int, ...],
        dilation: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        stride: int | tuple[int, ...] = 1,
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        input = _need_tensor(input, "Fold")
        return _conv.fold(
            input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride
        )

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
            f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}"
        )
