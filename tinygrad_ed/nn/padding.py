"""Padding layers: constant (and zero), reflection, replication and circular padding of the
last 1, 2 or 3 dims.

Each holds its ``padding`` as torch's flat tuple (left, right, top, bottom, front, back), the
first pair for the last dim; an int pads every side by that much. Negative amounts crop. The
work is ``functional.pad``. PyTorch equivalents: ``torch.nn.ZeroPad1d/2d/3d``,
``ConstantPad1d/2d/3d``, ``ReflectionPad1d/2d/3d``, ``ReplicationPad1d/2d/3d``,
``CircularPad1d/2d/3d``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from ..tensor import Tensor
from .layers import _need_tensor
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


def _padding(padding: Any, dims: int, layer: str) -> tuple[int, ...]:
    """An int for every side, or the flat tuple as given (torch checks its length in F.pad)."""
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        return (int(padding),) * (2 * dims)
    if isinstance(padding, (str, bytes)) or not hasattr(padding, "__iter__"):
        raise TypeError(
            f"{layer}(): padding must be an int or a tuple of ints, got {type(padding).__name__}"
        )
    items = tuple(padding)
    for p in items:
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)):
            raise TypeError(f"{layer}(): padding must be an int or a tuple of ints, got {items}")
    return tuple(int(p) for p in items)


_UNSET: Any = object()  # not None, which a public layer rejects as its padding


class _PadNd(Module):
    """``F.pad(input, self.padding, self.mode)``; subclasses set the mode and the number of dims.

    torch's bases (``_ReflectionPadNd``, ``_ReplicationPadNd``, ``_CircularPadNd``) take no
    argument and leave ``self.padding`` to the subclass, so a layer written against them sets
    it after ``super().__init__()``; the public layers pass theirs here to be checked.
    """

    mode: str = "constant"
    dims: int = 1
    padding: tuple[int, ...]

    def __init__(self, padding: Any = _UNSET) -> None:
        super().__init__()
        if padding is not _UNSET:
            self.padding = _padding(padding, self.dims, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, type(self).__name__)
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    """Pads with ``value``: x̄ is g's middle slice. Its constructor is torch's,
    ``_ConstantPadNd(value)``; ConstantPad1d/2d/3d take ``(padding, value)``."""

    value: float

    def __init__(self, value: float) -> None:
        super().__init__()
        if isinstance(value, (str, bytes)) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"{type(self).__name__}(): value must be a number, got {value!r}")
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, type(self).__name__)
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value`` (``torch.nn.ConstantPad1d``)."""

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(value)
        self.padding = _padding(padding, self.dims, type(self).__name__)


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dims with ``value`` (``torch.nn.ConstantPad2d``)."""

    dims = 2

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(value)
        self.padding = _padding(padding, self.dims, type(self).__name__)


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dims with ``value`` (``torch.nn.ConstantPad3d``)."""

    dims = 3

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(value)
        self.padding = _padding(padding, self.dims, type(self).__name__)


class _ZeroPadNd(_ConstantPadNd):
    """``value`` fixed at 0; mixed in before ``ConstantPadNd`` so that, as in torch,
    ``ZeroPad2d`` is a ``ConstantPad2d``."""

    def __init__(self, padding: Any) -> None:
        _ConstantPadNd.__init__(self, 0.0)
        self.padding = _padding(padding, self.dims, type(self).__name__)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd, ConstantPad1d):
    """Pads the last dim with zeros (``torch.nn.ZeroPad1d``)."""


class ZeroPad2d(_ZeroPadNd, ConstantPad2d):
    """Pads the last 2 dims with zeros (``torch.nn.ZeroPad2d``)."""


class ZeroPad3d(_ZeroPadNd, ConstantPad3d):
    """Pads the last 3 dims with zeros (``torch.nn.ZeroPad3d``)."""


class _ReflectionPadNd(_PadNd):
    mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Mirrors the last dim about its end entries, which are not repeated: [a b c] padded by 2
    is [c b a b c b a] (``torch.nn.ReflectionPad1d``). Each pad must be smaller than the dim."""


class ReflectionPad2d(_ReflectionPadNd):
    """Reflection padding of the last 2 dims (``torch.nn.ReflectionPad2d``)."""

    dims = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Reflection padding of the last 3 dims (``torch.nn.ReflectionPad3d``)."""

    dims = 3


class _ReplicationPadNd(_PadNd):
    mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Repeats the end entries of the last dim: [a b c] padded by 2 is [a a a b c c c]
    (``torch.nn.ReplicationPad1d``)."""


class ReplicationPad2d(_ReplicationPadNd):
    """Replication padding of the last 2 dims (``torch.nn.ReplicationPad2d``)."""

    dims = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Replication padding of the last 3 dims (``torch.nn.ReplicationPad3d``)."""

    dims = 3


class _CircularPadNd(_PadNd):
    mode = "circular"

    def _check_input_dim(self, input: Tensor) -> None:
        """torch's circular layers check the input's dims themselves (a ValueError); a subclass
        may override this check, as in torch."""
        if input.ndim not in (self.dims + 1, self.dims + 2):
            raise ValueError(
                f"expected {self.dims + 1}D or {self.dims + 2}D input (got {input.ndim}D input)"
            )

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, type(self).__name__)
        self._check_input_dim(input)
        return F.pad(input, self.padding, self.mode)


class CircularPad1d(_CircularPadNd):
    """Wraps the last dim around: [a b c] padded by 2 is [b c a b c a b]
    (``torch.nn.CircularPad1d``)."""


class CircularPad2d(_CircularPadNd):
    """Circular padding of the last 2 dims (``torch.nn.CircularPad2d``)."""

    dims = 2


class CircularPad3d(_CircularPadNd):
    """Circular padding of the last 3 dims (``torch.nn.CircularPad3d``)."""

    dims = 3
