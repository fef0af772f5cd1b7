"""torch's questions about dtypes: the limits of a number type and the type two operands give.

Tensors here hold numpy dtypes, and the package names them as torch does (``tg.float32``,
``tg.long``, ``tg.bool``: numpy's types, so ``dtype=tg.long`` works wherever ``dtype=np.int64``
does and ``x.dtype == tg.long`` compares). numpy has no bfloat16, complex32 or float8, so those
names are absent, and where torch's promotion gives complex32 (a float16 tensor with a complex
number or 0-d tensor) this gives a wider complex type.

PyTorch equivalent: ``torch.finfo``, ``torch.iinfo``, ``torch.promote_types``,
``torch.result_type``, ``torch.can_cast``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .tensor import Tensor, _check_dtype, _result_dtype, get_default_dtype

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
# torch's "barebones" unsigned types: promoted with a float only (to the float), or with
# themselves; anything else is refused.
_BAREBONES = ("uint16", "uint32", "uint64")


def _dtype(value: Any, op: str, arg: str) -> np.dtype[Any]:
    """A dtype argument as a numpy dtype; torch takes only dtypes (and Python's number types,
    as it takes ``float`` for float64), so numbers and tensors are refused, naming ``op``."""
    if value is None or isinstance(value, (Tensor, numbers.Number)):
        name = "NoneType" if value is None else type(value).__name__
        raise TypeError(f"{op}(): argument '{arg}' must be a dtype, not {name}")
    return _check_dtype(value, op)


class _Info:
    """What finfo and iinfo share: equal when they describe the same dtype, as torch's."""

    dtype: str

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.dtype == other.dtype  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.dtype))


class finfo(_Info):
    """The limits of a floating dtype (``torch.finfo``): ``bits``, ``eps`` (the gap from 1 to
    the next number), ``max``, ``min``, ``tiny`` and ``smallest_normal`` (the smallest positive
    normal number), ``resolution`` (10^−precision) and ``dtype`` (its name). A complex dtype
    gives its parts' limits, as torch's. Without an argument: the default dtype's."""

    def __init__(self, type: Any = None) -> None:
        d = get_default_dtype() if type is None else _dtype(type, "finfo", "type")
        if d.kind not in "fc":
            raise TypeError(
                f"finfo() requires a floating point input type, got {d}. Use iinfo to handle "
                "integer types"
            )
        info = np.finfo(d)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = float(info.smallest_normal)
        self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0**-info.precision  # torch's: exact powers of ten, not rounded to d
        self.dtype = str(info.dtype)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo(_Info):
    """The limits of an integer dtype (``torch.iinfo``): ``bits``, ``max``, ``min`` and
    ``dtype`` (its name). bool is refused, as torch refuses it."""

    def __init__(self, type: Any) -> None:
        d = _dtype(type, "iinfo", "type")
        if d.kind == "b":
            raise TypeError("iinfo(): bool is not supported by iinfo")
        if d.kind not in "iu":
            raise TypeError(
                f"iinfo() requires an integer input type, got {d}. Use finfo to handle "
                "floating point types"
            )
        info = np.iinfo(d)
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = str(info.dtype)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def promote_types(type1: Any, type2: Any) -> np.dtype[Any]:
    """The dtype an op on tensors of ``type1`` and ``type2`` computes in (``torch.promote_types``).

    bool < integers < floats < complex: the higher kind wins, keeping its own width (int64 with
    float16 gives float16, where numpy widens to float64; int32 with complex64 gives complex64).
    Within a kind the wider type wins, and uint8 with int8 gives int16, as in numpy. uint16,
    uint32 and uint64 combine only with themselves and with floats, as in torch.
    """
    a, b = _dtype(type1, "promote_types", "type1"), _dtype(type2, "promote_types", "type2")
    if a == b:
        return a
    for bare, other in ((a, b), (b, a)):
        if bare.name in _BAREBONES:
            if other.kind == "f":
                return other
            raise RuntimeError(
                f"promote_types(): promotion for uint16, uint32, uint64 types is not supported, "
                f"attempted to promote {a} and {b}"
            )
    ka, kb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ka != kb and min(ka, kb) <= _CATEGORY["i"]:  # bool or an integer meets a higher kind
        return a if ka > kb else b
    return np.promote_types(a, b)


def result_type(tensor: Any, other: Any) -> np.dtype[Any]:
    """The dtype of an arithmetic op on ``tensor`` and ``other`` (``torch.result_type``): each a
    Tensor or a Python number. Besides ``promote_types``, torch's rule for
    operands of the same kind: a tensor with dimensions decides over a 0-d one, which decides
    over a Python number (int32 tensor + 2 stays int32; float32 tensor + float64 0-d tensor stays
    float32). Two Python numbers give what ``tensor(a)`` and ``b`` give."""
    for value, arg in ((tensor, "tensor"), (other, "other")):
        if not isinstance(value, (Tensor, numbers.Number)):
            raise TypeError(
                f"result_type(): argument '{arg}' must be a Tensor or a number, not "
                f"{type(value).__name__}"
            )
    if isinstance(tensor, Tensor) and isinstance(other, Tensor):
        promote_types(tensor.dtype, other.dtype)  # torch's refusals (uint16 with int8, …)
    if not isinstance(tensor, Tensor) and not isinstance(other, Tensor):
        tensor = Tensor(np.asarray(tensor, dtype=_scalar_dtype(tensor)))
    return _result_dtype(tensor, other)


def _scalar_dtype(value: Any) -> np.dtype[Any]:
    """The dtype ``tensor(value)`` gives a Python number: bool, int64, the default float dtype
    or its complex twin."""
    if isinstance(value, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(value, numbers.Integral):
        return np.dtype(np.int64)
    if isinstance(value, numbers.Real):
        return get_default_dtype()
    return np.result_type(get_default_dtype(), np.complex64)


def can_cast(from_: Any, to: Any) -> bool:
    """Whether torch's type promotion may cast ``from_`` to ``to`` (``torch.can_cast``): not to a
    lower kind (a float to an integer, a complex to a real, anything but bool to bool); widths
    do not matter (int64 to uint8 is allowed)."""
    a, b = _dtype(from_, "can_cast", "from_"), _dtype(to, "can_cast", "to")
    return _CATEGORY[a.kind] <= _CATEGORY[b.kind]


# torch's names for the dtypes numpy has. Python's float, int and bool stand for float64,
# int64 and bool in dtype arguments, as in torch; the package binds the names ``float``,
# ``int`` and ``bool`` to torch's float32, int32 and bool (``__init__``), as torch's do.
float16 = half = np.float16
float32 = np.float32
float64 = double = np.float64
complex64 = cfloat = np.complex64
complex128 = cdouble = np.complex128
uint8 = np.uint8
uint16 = np.uint16
uint32 = np.uint32
uint64 = np.uint64
int8 = np.int8
int16 = short = np.int16
int32 = np.int32
int64 = long = np.int64
