"""torch's legacy tensor types (``torch.FloatTensor``, ``torch.LongTensor``, …) and ``torch.Size``.

Older tutorials and torch's own reference examples still build tensors with them:
``LongTensor([[1, 2, 4, 5], [4, 3, 2, 9]])`` (from data, in that dtype),
``FloatTensor(2, 3)`` or ``FloatTensor(Size([2, 3]))`` (of those sizes: zeros here, where
torch leaves the memory uninitialised, as ``empty``), ``FloatTensor()`` (empty). As in torch each
is also a type to test against: ``isinstance(x, tg.FloatTensor)`` holds for a float32 tensor.
``Size`` is torch's tuple of sizes, with ``numel()``; ``x.shape`` is a plain tuple here, equal to
the ``Size`` of the same sizes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, SupportsIndex, overload

import numpy as np

from .tensor import Tensor, _volatile_removed, tensor


class Size(tuple):  # type: ignore[type-arg]
    """``torch.Size``: a tuple of sizes (``Size([2, 3])``), each an int."""

    def __new__(cls, sizes: Iterable[Any] = ()) -> Size:
        values = tuple(sizes)
        for s in values:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
                raise TypeError(
                    f"Size(): sizes must be ints, got {type(s).__name__} {s!r} in {values}"
                )
        return super().__new__(cls, (int(s) for s in values))

    def numel(self) -> int:
        """The number of elements of a tensor of these sizes (1 for no sizes)."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    # Sizes made from sizes are Sizes, as torch's: joined, sliced or repeated.
    def __add__(self, other: tuple[Any, ...]) -> Size:  # type: ignore[override]
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + other)

    def __radd__(self, other: tuple[Any, ...]) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, n: SupportsIndex) -> Size:
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    @overload
    def __getitem__(self, i: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Size: ...
    def __getitem__(self, i: SupportsIndex | slice) -> int | Size:
        if isinstance(i, slice):
            return Size(tuple(self)[i])
        return tuple.__getitem__(self, i)  # type: ignore[no-any-return]  # (ints, made so by __new__)


class _LegacyType(type):
    """The metaclass of the legacy types: calling one makes a tensor, ``isinstance`` asks the
    dtype."""

    dtype: np.dtype[Any]

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:  # type: ignore[override]
        name = cls.__name__
        if kwargs:
            raise TypeError(
                f"{name}(): takes data or sizes only, got keyword arguments {sorted(kwargs)} "
                f"(for requires_grad=, dtype=, … use tensor() or zeros())"
            )
        if not args:
            return Tensor(np.zeros(0, cls.dtype))
        sizes = args[0] if len(args) == 1 and isinstance(args[0], Size) else args
        if all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in sizes):
            if any(s < 0 for s in sizes):
                raise ValueError(f"{name}(): negative dimension in sizes {tuple(sizes)}")
            return Tensor(np.zeros(tuple(int(s) for s in sizes), cls.dtype))
        if len(args) > 1:
            raise TypeError(f"{name}(): takes one sequence of data or int sizes, got {args!r}")
        data = args[0]
        if isinstance(data, Tensor):  # torch: the same tensor's memory, of this type only
            if data.dtype != cls.dtype:
                raise TypeError(
                    f"{name}(): expected a tensor of dtype {cls.dtype}, got {data.dtype}"
                )
            return data.detach()
        if isinstance(data, (numbers.Number, str)):
            raise TypeError(f"{name}(): data must be a sequence (got {type(data).__name__})")
        return tensor(data, dtype=cls.dtype)


def _legacy(name: str, dtype: type[np.generic]) -> _LegacyType:
    doc = f"``torch.{name}``: a {np.dtype(dtype)} tensor from data or sizes (see the module)."
    return _LegacyType(name, (), {"dtype": np.dtype(dtype), "__doc__": doc})


HalfTensor = _legacy("HalfTensor", np.float16)
FloatTensor = _legacy("FloatTensor", np.float32)
DoubleTensor = _legacy("DoubleTensor", np.float64)
CharTensor = _legacy("CharTensor", np.int8)
ShortTensor = _legacy("ShortTensor", np.int16)
IntTensor = _legacy("IntTensor", np.int32)
LongTensor = _legacy("LongTensor", np.int64)
ByteTensor = _legacy("ByteTensor", np.uint8)
BoolTensor = _legacy("BoolTensor", np.bool_)


class _VariableType(type):
    """The metaclass of ``Variable``: calling it makes a tensor, and every tensor is one."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)

    def __call__(  # type: ignore[override]
        cls, data: Any = None, requires_grad: bool = False, volatile: Any = None
    ) -> Tensor:
        if volatile is not None:
            _volatile_removed()
        if data is None:
            return tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        return out.requires_grad_(True) if requires_grad else out


class Variable(metaclass=_VariableType):
    """``torch.autograd.Variable``, torch's pre-0.4 wrapper, as torch keeps it:
    ``Variable(t, requires_grad=True)`` is a new leaf sharing ``t``'s memory (``t`` itself is
    unchanged), ``Variable(t)`` the values without history (``t.detach()``), ``Variable()`` an
    empty tensor; ``volatile`` only warns, as torch. Every tensor is a Variable
    (``isinstance``)."""
