"""Normalization layers: LayerNorm, RMSNorm, BatchNorm, InstanceNorm, GroupNorm and
LocalResponseNorm.

Each normalizes its input over some dims (the example's last dims, the batch, each slice, each
group of channels), then scales and shifts it; BatchNorm (and InstanceNorm with
``track_running_stats=True``) also keeps running statistics as buffers, updated while training
and used in evaluation. PyTorch equivalents: ``torch.nn.LayerNorm``, ``RMSNorm``,
``BatchNorm1d/2d/3d``, ``InstanceNorm1d/2d/3d``, ``GroupNorm``, ``LocalResponseNorm`` (no
parameters: it divides by its channel neighbours' energy); the math is in the functional
forms (``functional.layer_norm``, ``rms_norm``, ``batch_norm``, ``instance_norm``, ``group_norm``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._device import _check_device
from .._warn import warn
from ..autograd import no_grad
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _int, _need_tensor, _size
from .module import Module, Parameter

__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "CrossMapLRN2d",
    "GroupNorm",
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "LayerNorm",
    "LocalResponseNorm",
    "RMSNorm",
]


def _eps(eps: Any, layer: str) -> Any:
    """eps as given (torch keeps it so, and its repr shows it), once checked to be a number."""
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.number)):
        raise TypeError(f"{layer}(): eps must be a float, got {eps!r}")
    return eps


def _normalized_shape(normalized_shape: Any, layer: str) -> tuple[int, ...]:
    """An int or a sequence of ints, as LayerNorm and RMSNorm take it."""
    if isinstance(normalized_shape, (int, np.integer)) and not isinstance(normalized_shape, bool):
        normalized_shape = (int(normalized_shape),)
    shape = F._shape_tuple(normalized_shape, layer)
    return tuple(_size(n, layer, "normalized_shape") for n in shape)


def _affine(module: Module, shape: tuple[int, ...], dtype: Any, affine: bool, bias: bool) -> None:
    """``weight`` and ``bias`` of ``shape`` (set by ``_reset_affine``), or None where not asked
    for, registered as torch registers them so that state_dict keys match."""
    module.register_parameter("weight", Parameter(np.empty(shape, dtype=dtype)) if affine else None)
    has_bias = affine and bias
    module.register_parameter("bias", Parameter(np.empty(shape, dtype=dtype)) if has_bias else None)


def _reset_affine(module: Module) -> None:
    """Weight ones, bias zeros, as torch's."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    """(x − μ) / √(σ² + ε) · weight + bias over the last dims, of shape ``normalized_shape``
    (an int or a sequence of ints) (``torch.nn.LayerNorm``).

    ``weight`` starts at ones and ``bias`` at zeros, both of shape ``normalized_shape``;
    ``elementwise_affine=False`` has neither, ``bias=False`` no bias.
    """

    normalized_shape: tuple[int, ...]
    eps: float
    elementwise_affine: bool
    weight: Parameter | None
    bias: Parameter | None

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...] | list[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "LayerNorm()")
        self.normalized_shape = _normalized_shape(normalized_shape, "LayerNorm")
        self.eps = _eps(eps, "LayerNorm")
        self.elementwise_affine = elementwise_affine
        d = _float_dtype(dtype, "LayerNorm")
        _affine(self, self.normalized_shape, d, elementwise_affine, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight ones, bias zeros, as torch's."""
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "LayerNorm")
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class RMSNorm(Module):
    """x / √(mean(x²) + ε) · weight over the last dims, of shape ``normalized_shape``
    (``torch.nn.RMSNorm``); ``eps=None`` is the input dtype's machine epsilon.

    ``weight`` starts at ones; ``elementwise_affine=False`` has none.
    """

    normalized_shape: tuple[int, ...]
    eps: float | None
    elementwise_affine: bool
    weight: Parameter | None

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...] | list[int],
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "RMSNorm()")
        self.normalized_shape = _normalized_shape(normalized_shape, "RMSNorm")
        self.eps = None if eps is None else _eps(eps, "RMSNorm")
        self.elementwise_affine = elementwise_affine
        d = _float_dtype(dtype, "RMSNorm")
        if elementwise_affine:
            self.weight = Parameter(np.empty(self.normalized_shape, dtype=d))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight ones, as torch's."""
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, x: Tensor) -> Tensor:
        _need_tensor(x, "RMSNorm")
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class _NormBase(Module):
    """What BatchNorm and InstanceNorm share (torch's ``_NormBase``): per-channel ``weight``
    (ones) and ``bias`` (zeros) when ``affine``, and with ``track_running_stats`` the buffers
    ``running_mean`` (zeros), ``running_var`` (ones) and ``num_batches_tracked`` (an int64
    count), saved in the state dict under torch's names.

    ``momentum`` weighs each batch in the running statistics; ``None`` makes them the
    cumulative average of all batches seen (momentum 1/num_batches_tracked).
    """

    num_features: int
    eps: float
    momentum: float | None
    affine: bool
    track_running_stats: bool
    weight: Parameter | None
    bias: Parameter | None
    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None
    # 2: num_batches_tracked added (torch's); older state dicts load without it
    _version: int = 2

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        layer = type(self).__name__
        _check_device(device, f"{layer}()")
        self.num_features = _size(num_features, layer, "num_features")
        self.eps = _eps(eps, layer)
        if momentum is not None and (
            isinstance(momentum, (bool, np.bool_))
            or not isinstance(momentum, (int, float, np.number))
        ):
            raise TypeError(f"{layer}(): momentum must be a float or None, got {momentum!r}")
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        d = _float_dtype(dtype, layer)
        n = self.num_features
        _affine(self, (n,), d, affine, bias)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor._make(np.zeros(n, dtype=d)))
            self.register_buffer("running_var", Tensor._make(np.ones(n, dtype=d)))
            self.register_buffer("num_batches_tracked", Tensor._make(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def _check_own_state(
        self,
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict[str, Any],
        missing: list[str],
        unexpected: list[str],
        errors: list[str],
        copies: list[tuple[str, Tensor, np.ndarray, Any]],
    ) -> None:
        """torch's version-2 conversion: a state dict saved before ``num_batches_tracked``
        existed (its metadata version below 2, or no metadata at all, as in a plain dict) loads
        without it: the current count is kept (0 for a fresh module) instead of the key being
        reported missing."""
        version = local_metadata.get("version")
        if (version is None or version < 2) and self.track_running_stats:
            key = prefix + "num_batches_tracked"
            if key not in state_dict:
                # torch's: the module's own count, or a fresh 0 if it has none (which then
                # shows up as unexpected, as in torch)
                state_dict[key] = (
                    self.num_batches_tracked
                    if self.num_batches_tracked is not None
                    else Tensor._make(np.array(0, dtype=np.int64))
                )
        super()._check_own_state(
            state_dict, prefix, local_metadata, missing, unexpected, errors, copies
        )

    def reset_running_stats(self) -> None:
        """Running mean 0, variance 1, count 0, in place (the buffers keep their identity)."""
        if self.running_mean is None or self.running_var is None:
            return
        with no_grad():
            self.running_mean.zero_()
            self.running_var.fill_(1)
            if self.num_batches_tracked is not None:
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """The running statistics reset, weight ones and bias zeros, as torch's."""
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


def _expect_dims(input: Tensor, allowed: tuple[int, ...]) -> None:
    if input.ndim not in allowed:
        want = " or ".join(f"{n}D" for n in allowed)
        raise ValueError(f"expected {want} input (got {input.ndim}D input)")


class _BatchNorm(_NormBase):
    """Each channel normalized over the batch (and the spatial dims): with the batch's mean and
    biased variance while training (updating the running statistics, unbiased variance), with
    the running statistics in evaluation mode, and always with the batch's when
    ``track_running_stats=False``. See ``functional.batch_norm``.
    """

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, type(self).__name__)
        self._check_input_dim(input)
        momentum = 0.0 if self.momentum is None else self.momentum
        counting = (
            self.training and self.track_running_stats and self.num_batches_tracked is not None
        )
        if counting and self.momentum is None:
            assert self.num_batches_tracked is not None
            momentum = 1.0 / (int(self.num_batches_tracked.item()) + 1)
        # Batch statistics in training, and in evaluation when there are no running ones.
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        out = F.batch_norm(
            input,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            use_batch,
            momentum,
            self.eps,
        )
        if counting:  # after the call (torch counts before it): a refused batch is not counted
            assert self.num_batches_tracked is not None
            with no_grad():
                self.num_batches_tracked.add_(1)
        return out


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs (``torch.nn.BatchNorm1d``)."""

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (2, 3))


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) inputs (``torch.nn.BatchNorm2d``)."""

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (4,))


class BatchNorm3d(_BatchNorm):
    """Batch normalization of (N, C, D, H, W) inputs (``torch.nn.BatchNorm3d``)."""

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (5,))


class _InstanceNorm(_NormBase):
    """Each (example, channel) slice normalized over its spatial dims; an input without the
    batch dim is one example. torch's defaults: no affine, no running statistics (with them, the
    running statistics normalize in evaluation mode). See ``functional.instance_norm``.
    """

    _no_batch_dim: int

    def _check_own_state(
        self,
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict[str, Any],
        missing: list[str],
        unexpected: list[str],
        errors: list[str],
        copies: list[tuple[str, Tensor, np.ndarray, Any]],
    ) -> None:
        """torch's version-1 check: a state dict without a version (saved before torch 0.4, or a
        plain dict) that holds running statistics for a module without them is an error even
        with ``strict=False`` (torch's message), and those keys are then dropped."""
        if local_metadata.get("version") is None and not self.track_running_stats:
            keys = [prefix + n for n in ("running_mean", "running_var") if prefix + n in state_dict]
            if keys:
                name = type(self).__name__
                errors.append(
                    "Unexpected running stats buffer(s) {names} for {klass} with "
                    "track_running_stats=False. If state_dict is a checkpoint saved before "
                    "0.4.0, this may be expected because {klass} does not track running stats "
                    "by default since 0.4.0. Please remove these keys from state_dict. If the "
                    "running stats are actually needed, instead set track_running_stats=True in "
                    "{klass} to enable them. See the documentation of {klass} for "
                    "details.".format(names=" and ".join(f'"{k}"' for k in keys), klass=name)
                )
                for key in keys:
                    state_dict.pop(key)
        super()._check_own_state(
            state_dict, prefix, local_metadata, missing, unexpected, errors, copies
        )

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: DTypeLike = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features,
            eps,
            momentum,
            affine,
            track_running_stats,
            device,
            dtype,
            bias=bias,
        )

    def _check_input_dim(self, input: Tensor) -> None:
        _expect_dims(input, (self._no_batch_dim, self._no_batch_dim + 1))

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, type(self).__name__)
        self._check_input_dim(input)
        feature_dim = input.ndim - self._no_batch_dim
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim={feature_dim} to match num_features "
                    f"({self.num_features}), but got: {input.shape[feature_dim]}."
                )
            warn(
                f"input's size at dim={feature_dim} does not match num_features. You can "
                "silence this warning by not passing in num_features, which is not used "
                "because affine=False",
            )
        single = input.ndim == self._no_batch_dim
        out = F.instance_norm(
            input.unsqueeze(0) if single else input,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            0.0 if self.momentum is None else self.momentum,
            self.eps,
        )
        return out.squeeze(0) if single else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of (N, C, L) or (C, L) inputs (``torch.nn.InstanceNorm1d``)."""

    _no_batch_dim = 2


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of (N, C, H, W) or (C, H, W) inputs
    (``torch.nn.InstanceNorm2d``)."""

    _no_batch_dim = 3


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of (N, C, D, H, W) or (C, D, H, W) inputs
    (``torch.nn.InstanceNorm3d``)."""

    _no_batch_dim = 4


class GroupNorm(Module):
    """The channels split into ``num_groups`` groups, each (example, group) normalized over its
    channels and spatial dims, then per-channel ``weight`` (ones) and ``bias`` (zeros) when
    ``affine`` (``torch.nn.GroupNorm``). See ``functional.group_norm``.
    """

    num_groups: int
    num_channels: int
    eps: float
    affine: bool
    weight: Parameter | None
    bias: Parameter | None

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        _check_device(device, "GroupNorm()")
        groups = _int(num_groups, "GroupNorm", "num_groups")
        channels = _size(num_channels, "GroupNorm", "num_channels")
        if groups <= 0:
            raise ValueError(f"GroupNorm(): num_groups must be positive, got {groups}")
        if channels % groups:
            raise ValueError(
                f"num_channels ({channels}) must be divisible by num_groups ({groups})"
            )
        self.num_groups, self.num_channels = groups, channels
        self.eps = _eps(eps, "GroupNorm")
        self.affine = affine
        d = _float_dtype(dtype, "GroupNorm")
        _affine(self, (channels,), d, affine, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight ones, bias zeros, as torch's."""
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "GroupNorm")
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class LocalResponseNorm(Module):
    """``F.local_response_norm`` as a layer (``torch.nn.LocalResponseNorm``): each entry divided
    by (k + α · mean of the squares over ``size`` neighbouring channels)^β."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        x = _need_tensor(input, "LocalResponseNorm")
        return F.local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CrossMapLRN2d(Module):
    """Local response normalization across the channels of an (N, C, H, W) input, Lua Torch's
    layer (``torch.nn.CrossMapLRN2d``)::

        out_c = x_c · s_c^−β,   s_c = k + α/size · Σ_{j ∈ W(c)} x_j²
        W(c) = {j : |j − c| ≤ (size − 1)//2} ∪ {0}
        x̄_i = g_i · s_i^−β − (2αβ/size) · x_i · Σ_{c : i ∈ W(c)} g_c · out_c / s_c

    Channel 0 is in every window, as in torch's (its running sum over channels never drops
    channel 0), and for an even size the window is the odd one below it: so it matches
    ``LocalResponseNorm`` only where the windows coincide (both scale by α/size). The gradient
    is this forward's own (composed, so differentiable again): torch's hand-written backward
    is not its forward's derivative in general (its window is off by one), so the two agree
    only on small cases such as a single channel.
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size = _size(size, "CrossMapLRN2d", "size")
        if self.size < 1:
            raise ValueError(f"CrossMapLRN2d(): size must be a positive integer, got {size}")
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        x = _need_tensor(input, "CrossMapLRN2d")
        if x.ndim != 4:
            raise ValueError(
                f"CrossMapLRN2d: Expected input to be 4D, got {x.ndim}D instead "
                f"(input shape {x.shape})"
            )
        channels = np.arange(x.shape[1])
        window = np.abs(channels[:, None] - channels[None, :]) <= (self.size - 1) // 2
        window[:, 0] = True
        # Σ_j window[c, j]·x_j² for every c: a matmul over the channel dim, moved last
        sums = (x * x).permute(0, 2, 3, 1) @ Tensor(window.T.astype(x.dtype))
        scale = sums.permute(0, 3, 1, 2) * (self.alpha / self.size) + self.k
        return x * scale ** (-self.beta)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
