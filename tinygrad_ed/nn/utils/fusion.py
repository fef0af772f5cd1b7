"""Folding an evaluation-mode BatchNorm into the convolution or linear layer before it.

PyTorch equivalent: ``torch.nn.utils.fusion``. With running mean μ, variance σ², scale γ and
shift β, BatchNorm after ``y = W x + b`` is ``γ (W x + b − μ) / √(σ² + ε) + β``: the same layer
with ``W' = W · s`` (s = γ / √(σ² + ε), one factor per output channel) and
``b' = (b − μ) · s + β``. The fused layer computes in one op what took two at inference.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, TypeVar

from ...autograd import no_grad
from ...tensor import Tensor, ones_like, zeros_like
from ..module import Module, Parameter

if TYPE_CHECKING:
    from ..conv import _ConvNd
    from ..layers import Linear
    from ..normalization import _BatchNorm

__all__ = [
    "fuse_conv_bn_eval",
    "fuse_conv_bn_weights",
    "fuse_linear_bn_eval",
    "fuse_linear_bn_weights",
]

ConvT = TypeVar("ConvT", bound="_ConvNd")
LinearT = TypeVar("LinearT", bound="Linear")


def _check_eval(layer: Module, bn: _BatchNorm, op: str) -> None:
    from ..normalization import _BatchNorm

    if not isinstance(bn, _BatchNorm):
        raise TypeError(f"{op}(): bn must be a BatchNorm module, got {type(bn).__name__}")
    if layer.training or bn.training:  # torch's type and words
        raise AssertionError(f"{op}(): Fusion only for eval! (call .eval() on both modules)")
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError(
            f"{op}(): bn.running_mean and bn.running_var must not be None "
            "(the BatchNorm was built with track_running_stats=False)"
        )


def fuse_conv_bn_eval(conv: ConvT, bn: _BatchNorm, transpose: bool = False) -> ConvT:
    """A new convolution (a deep copy of ``conv``) computing ``bn(conv(x))`` of evaluation
    mode; ``transpose=True`` for a transposed convolution (the output channels are its weight's
    dim 1)."""
    from ..conv import _ConvNd

    if not isinstance(conv, _ConvNd):
        raise TypeError(f"fuse_conv_bn_eval(): conv must be a convolution, got {type(conv)}")
    _check_eval(conv, bn, "fuse_conv_bn_eval")
    fused = copy.deepcopy(conv)
    assert bn.running_mean is not None and bn.running_var is not None
    fused.weight, fused.bias = fuse_conv_bn_weights(
        fused.weight,
        fused.bias,
        bn.running_mean,
        bn.running_var,
        bn.eps,
        bn.weight,
        bn.bias,
        transpose,
    )
    return fused


def fuse_conv_bn_weights(
    conv_w: Tensor,
    conv_b: Tensor | None,
    bn_rm: Tensor,
    bn_rv: Tensor,
    bn_eps: float,
    bn_w: Tensor | None,
    bn_b: Tensor | None,
    transpose: bool = False,
) -> tuple[Parameter, Parameter]:
    """``(W · s, (b − μ) · s + β)`` with ``s = γ / √(σ² + ε)`` along the output-channel dim of
    the weight (dim 0, or dim 1 with ``transpose``); a missing bias is 0, γ 1 and β 0. The
    Parameters keep the weight's and bias's ``requires_grad`` and dtypes (a missing bias gives
    one that does not require grad, as torch's)."""
    w_dtype = conv_w.dtype
    b_dtype = conv_b.dtype if conv_b is not None else w_dtype
    with no_grad():
        b = zeros_like(bn_rm) if conv_b is None else conv_b
        gamma = ones_like(bn_rm) if bn_w is None else bn_w
        beta = zeros_like(bn_rm) if bn_b is None else bn_b
        rsqrt = (bn_rv + bn_eps).rsqrt()
        shape = [1, -1] if transpose else [-1, 1]
        shape += [1] * (conv_w.ndim - 2)
        w = (conv_w * (gamma * rsqrt).reshape(shape)).to(w_dtype)
        fused_b = ((b - bn_rm) * rsqrt * gamma + beta).to(b_dtype)
    return Parameter(w, conv_w.requires_grad), Parameter(fused_b, b.requires_grad)


def fuse_linear_bn_eval(linear: LinearT, bn: _BatchNorm) -> LinearT:
    """A new Linear (a deep copy of ``linear``) computing ``bn(linear(x))`` of evaluation
    mode; the BatchNorm must have ``linear.out_features`` features, or 1."""
    from ..layers import Linear

    if not isinstance(linear, Linear):
        raise TypeError(f"fuse_linear_bn_eval(): linear must be a Linear, got {type(linear)}")
    _check_eval(linear, bn, "fuse_linear_bn_eval")
    if linear.out_features != bn.num_features and bn.num_features != 1:
        raise AssertionError(
            "fuse_linear_bn_eval(): To fuse, linear.out_features == bn.num_features or "
            f"bn.num_features == 1, got linear.out_features={linear.out_features} and "
            f"bn.num_features={bn.num_features}"
        )
    fused = copy.deepcopy(linear)
    assert bn.running_mean is not None and bn.running_var is not None
    fused.weight, fused.bias = fuse_linear_bn_weights(
        fused.weight,
        fused.bias,
        bn.running_mean,
        bn.running_var,
        bn.eps,
        bn.weight,
        bn.bias,
    )
    return fused


def fuse_linear_bn_weights(
    linear_w: Tensor,
    linear_b: Tensor | None,
    bn_rm: Tensor,
    bn_rv: Tensor,
    bn_eps: float,
    bn_w: Tensor | None,
    bn_b: Tensor | None,
) -> tuple[Parameter, Parameter]:
    """``(W · s, (b − μ) · s + β)`` with ``s = γ / √(σ² + ε)`` per output feature (a missing
    bias is 0, a missing γ 1 and β 0)."""
    w_dtype = linear_w.dtype
    b_dtype = linear_b.dtype if linear_b is not None else w_dtype
    with no_grad():
        b = zeros_like(bn_rm) if linear_b is None else linear_b
        gamma = ones_like(bn_rm) if bn_w is None else bn_w
        beta = zeros_like(bn_rm) if bn_b is None else bn_b
        scale = gamma * (bn_rv + bn_eps).rsqrt()
        w = linear_w * scale.unsqueeze(-1).to(w_dtype)
        fused_b = ((b - bn_rm) * scale + beta).to(b_dtype)
    return Parameter(w, linear_w.requires_grad), Parameter(fused_b, b.requires_grad)
