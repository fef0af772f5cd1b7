"""Lazy modules: layers whose input size is read from the first batch they see.

PyTorch equivalent: ``torch.nn.modules.lazy.LazyModuleMixin`` and ``LazyLinear``,
``LazyConv1d/2d/3d``, ``LazyConvTranspose1d/2d/3d``, ``LazyBatchNorm1d/2d/3d``,
``LazyInstanceNorm1d/2d/3d``. ``nn.LazyLinear(10)`` has an ``UninitializedParameter`` weight
until its first call; a forward pre-hook then reads ``in_features`` from the input,
materializes the parameters (in place: an optimizer built before holds the same objects),
initializes them as the eager layer's constructor does (from ``tg.manual_seed``'s generator, so
a lazy layer after the first call equals the eager layer built at that moment with the same
seed) and turns the module into its eager class (``cls_to_become``: a ``LazyLinear`` becomes a
``Linear``). Loading a state dict into a lazy module gives its tensors the checkpoint's shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd import no_grad
from ..tensor import DTypeLike, Tensor
from .conv import (
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    _ConvNd,
)
from .layers import Linear, _float_dtype, _size
from .module import Module, UninitializedBuffer, UninitializedParameter
from .normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
    _BatchNorm,
    _expect_dims,
    _InstanceNorm,
    _NormBase,
)

__all__ = [
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
    "LazyLinear",
    "LazyModuleMixin",
]


if TYPE_CHECKING:
    # mypy reads each mixin as what it is mixed into; at run time they are plain mixins, as
    # torch's are (LazyModuleMixin is no Module, _LazyConvXdMixin no _ConvNd), so issubclass
    # answers as in torch.
    _ModuleBase = Module
    _ConvBase = _ConvNd
else:
    _ModuleBase = _ConvBase = object


def _uninitialized(t: Any) -> bool:
    return bool(getattr(t, "_uninitialized", False))


def _materialize(t: Any, shape: tuple[int, ...]) -> None:
    """``t.materialize(shape)``: t is declared a Parameter (its class once materialized)."""
    t.materialize(shape)


class LazyModuleMixin(_ModuleBase):
    """What every lazy module shares: the forward pre-hook that calls
    ``initialize_parameters(*args, **kwargs)`` and then swaps the class to ``cls_to_become``.

    A subclass lists it first (``class LazyLinear(LazyModuleMixin, Linear)``), builds its eager
    base with zero sizes, replaces the parameters by ``UninitializedParameter`` (buffers by
    ``UninitializedBuffer``) and defines ``initialize_parameters``.
    """

    cls_to_become: type[Module] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self) -> bool:
        """Whether some parameter or buffer of this module (not its children) has no shape yet."""
        return any(_uninitialized(t) for t in [*self._parameters.values(), *self._buffers.values()])

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            f"{type(self).__name__} must define initialize_parameters(input) to be lazy"
        )

    def _infer_parameters(
        self, module: Module, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        for x in args[:1]:
            if not isinstance(x, Tensor):
                raise TypeError(
                    f"{type(self).__name__}.forward(): expected a Tensor input, got "
                    f"{type(x).__name__}"
                )
        with no_grad():
            self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        # Found by value rather than through the handle: a deep copy's handle would still point
        # at the original module's hook dicts.
        for key, hook in list(self._forward_pre_hooks.items()):
            if getattr(hook, "__func__", None) is LazyModuleMixin._infer_parameters:
                del self._forward_pre_hooks[key]
                self._forward_pre_hooks_with_kwargs.pop(key, None)
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become  # type: ignore[assignment]


# ----------------------------------------------------------------------------- Linear


class LazyLinear(LazyModuleMixin, Linear):
    """``Linear`` whose ``in_features`` is the last dim of the first input
    (``torch.nn.LazyLinear``)."""

    cls_to_become = Linear

    def __init__(
        self, out_features: int, bias: bool = True, device: Any = None, dtype: DTypeLike = None
    ) -> None:
        super().__init__(0, 0, False, device, dtype)
        d = self.weight.dtype
        self.weight = UninitializedParameter(dtype=d)
        self.out_features = _size(out_features, "LazyLinear", "out_features")
        if bias:
            self.bias = UninitializedParameter(dtype=d)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        if self.has_uninitialized_params():
            if input.ndim == 0:
                raise ValueError(
                    f"LazyLinear(out_features={self.out_features}): a 0-d input has no feature "
                    "dim to infer in_features from"
                )
            self.in_features = input.shape[-1]
            _materialize(self.weight, (self.out_features, self.in_features))
            if self.bias is not None:
                _materialize(self.bias, (self.out_features,))
            self.reset_parameters()
        elif self.in_features == 0:  # loaded from a state dict: read the size from it
            self.in_features = self.weight.shape[1]


# ----------------------------------------------------------------------------- convolutions


class _LazyConvXdMixin(LazyModuleMixin, _ConvBase):
    """Lazy convolutions: ``in_channels`` is the input's channel dim (dim 1, or 0 unbatched)."""

    def _make_lazy(self, out_channels: int, bias: bool) -> None:
        d = self.weight.dtype
        self.weight = UninitializedParameter(dtype=d)
        name = type(self).__name__
        self.out_channels = _size(out_channels, name, "out_channels")
        if self.out_channels % self.groups:
            raise ValueError(
                f"{name}(): out_channels must be divisible by groups "
                f"(out_channels={out_channels}, groups={self.groups})"
            )
        if bias:
            self.bias = UninitializedParameter(dtype=d)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def _get_in_channels(self, input: Tensor) -> int:
        n = self._n
        if input.ndim not in (n + 1, n + 2):
            raise RuntimeError(
                f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to "
                f"{type(self).__name__}, but got input of size: {input.shape}"
            )
        return input.shape[1] if input.ndim == n + 2 else input.shape[0]

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        if self.has_uninitialized_params():
            in_channels = self._get_in_channels(input)
            if in_channels % self.groups:
                raise ValueError(
                    f"{type(self).__name__}: in_channels must be divisible by groups "
                    f"(in_channels={in_channels} from the input of shape {input.shape}, "
                    f"groups={self.groups})"
                )
            self.in_channels = in_channels
            pair = (self.in_channels, self.out_channels)
            big, small = pair if self.transposed else pair[::-1]
            _materialize(self.weight, (big, small // self.groups, *self.kernel_size))
            if self.bias is not None:
                _materialize(self.bias, (self.out_channels,))
            self.reset_parameters()
        elif self.in_channels == 0:  # loaded from a state dict: read the size from it
            w = self.weight.shape
            self.in_channels = w[0] if self.transposed else w[1] * self.groups


class _LazyConv(_LazyConvXdMixin):
    def __init__(
        self,
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
            0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype
        )
        self._make_lazy(out_channels, bias)


class _LazyConvTranspose(_LazyConvXdMixin):
    def __init__(
        self,
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
            0,
            0,
            kernel_size,
            stride,
            padding,
            output_padding,  # type: ignore[arg-type]
            groups,
            False,
            dilation,  # type: ignore[arg-type]
            padding_mode,
            device,
            dtype,
        )
        self._make_lazy(out_channels, bias)


class LazyConv1d(_LazyConv, Conv1d):
    """``Conv1d`` whose ``in_channels`` is read from the first input (``torch.nn.LazyConv1d``)."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """``Conv2d`` whose ``in_channels`` is read from the first input (``torch.nn.LazyConv2d``)."""

    cls_to_become = Conv2d


class LazyConv3d(_LazyConv, Conv3d):
    """``Conv3d`` whose ``in_channels`` is read from the first input (``torch.nn.LazyConv3d``)."""

    cls_to_become = Conv3d


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """``ConvTranspose1d`` whose ``in_channels`` is read from the first input
    (``torch.nn.LazyConvTranspose1d``)."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """``ConvTranspose2d`` whose ``in_channels`` is read from the first input
    (``torch.nn.LazyConvTranspose2d``)."""

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """``ConvTranspose3d`` whose ``in_channels`` is read from the first input
    (``torch.nn.LazyConvTranspose3d``)."""

    cls_to_become = ConvTranspose3d


# ----------------------------------------------------------------------------- normalization


class _LazyNormBase(LazyModuleMixin, _NormBase):
    """Lazy BatchNorm and InstanceNorm: ``num_features`` is the input's channel dim. torch's
    defaults for both are ``affine=True, track_running_stats=True`` (also for InstanceNorm,
    whose eager defaults are False)."""

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(0, eps, momentum, False, False, device, dtype)
        d = _float_dtype(dtype, type(self).__name__)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=d)
            if bias:
                self.bias = UninitializedParameter(dtype=d)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=d)
            self.running_var = UninitializedBuffer(dtype=d)
            self.num_batches_tracked = Tensor._make(np.array(0, dtype=np.int64))

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def _channel_dim(self, input: Tensor) -> int:
        return 1

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        if self.has_uninitialized_params():
            # The eager layer's dimension check first, so that a wrong input leaves it lazy.
            self._check_input_dim(input)
            n = self.num_features = input.shape[self._channel_dim(input)]
            for t in (self.weight, self.bias, self.running_mean, self.running_var):
                if t is not None:
                    _materialize(t, (n,))
            self.reset_parameters()
        elif self.num_features == 0:  # loaded from a state dict: read the size from it
            t = self.weight if self.weight is not None else self.running_mean
            if t is not None:
                self.num_features = t.shape[0]


# As in torch, a lazy norm layer is not an instance of its eager class until its first call
# (``LazyBatchNorm2d`` is a ``_BatchNorm``, not a ``BatchNorm2d``), so each says its input dims.


class LazyBatchNorm1d(_LazyNormBase, _BatchNorm):
    """``BatchNorm1d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyBatchNorm1d``)."""

    cls_to_become = BatchNorm1d

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (2, 3))


class LazyBatchNorm2d(_LazyNormBase, _BatchNorm):
    """``BatchNorm2d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyBatchNorm2d``)."""

    cls_to_become = BatchNorm2d

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (4,))


class LazyBatchNorm3d(_LazyNormBase, _BatchNorm):
    """``BatchNorm3d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyBatchNorm3d``)."""

    cls_to_become = BatchNorm3d

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (5,))


class _LazyInstanceNorm(_LazyNormBase):
    _no_batch_dim: int

    def _channel_dim(self, input: Tensor) -> int:
        # An unbatched input's channels are its dim 0 (torch reads dim 1 there, and then fails).
        return 0 if input.ndim == self._no_batch_dim else 1


class LazyInstanceNorm1d(_LazyInstanceNorm, _InstanceNorm):
    """``InstanceNorm1d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyInstanceNorm1d``)."""

    cls_to_become = InstanceNorm1d
    _no_batch_dim = 2


class LazyInstanceNorm2d(_LazyInstanceNorm, _InstanceNorm):
    """``InstanceNorm2d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyInstanceNorm2d``)."""

    cls_to_become = InstanceNorm2d
    _no_batch_dim = 3


class LazyInstanceNorm3d(_LazyInstanceNorm, _InstanceNorm):
    """``InstanceNorm3d`` whose ``num_features`` is read from the first input
    (``torch.nn.LazyInstanceNorm3d``)."""

    cls_to_become = InstanceNorm3d
    _no_batch_dim = 4
