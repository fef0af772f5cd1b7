"""LayerNorm: each example normalized over its last dims, then scaled and shifted.

PyTorch equivalent: ``torch.nn.LayerNorm``. See ``functional.layer_norm`` for the math.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._device import _check_device
from ..tensor import DTypeLike, Tensor
from . import init
from .layers import _float_dtype, _need_tensor, _size
from .module import Module, Parameter

__all__ = ["LayerNorm"]


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
        if isinstance(normalized_shape, (int, np.integer)) and not isinstance(
            normalized_shape, bool
        ):
            normalized_shape = (int(normalized_shape),)
        shape = F._shape_tuple(normalized_shape, "LayerNorm")
        self.normalized_shape = tuple(_size(n, "LayerNorm", "normalized_shape") for n in shape)
        if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.number)):
            raise TypeError(f"LayerNorm(): eps must be a float, got {eps!r}")
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        d = _float_dtype(dtype, "LayerNorm")
        if elementwise_affine:
            self.weight = Parameter(np.empty(self.normalized_shape, dtype=d))
            if bias:
                self.bias = Parameter(np.empty(self.normalized_shape, dtype=d))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight ones, bias zeros, as torch's."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "LayerNorm")
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
