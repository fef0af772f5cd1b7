"""Tensor: a numpy array that records the ops applied to it, and creation functions.

Every differentiable method is a one-liner that normalises its arguments and calls ``_apply``
with an entry of the op table (``ops.py``); ``_apply`` runs the numpy forward and, when grad
mode is on and an input requires grad, leaves a ``Node`` for the engine (``autograd.py``).

dtype policy (as in PyTorch): ``Tensor(list or scalar)`` is the default float dtype (float32);
``tensor(list)`` infers it (ints → int64, bools → bool, floats → default float); a numpy array
keeps its dtype, so float64 stays float64 end to end, gradients included. Only floating tensors
can require grad. Python scalars in arithmetic take the tensor's dtype (``x32 * 2.0`` is float32).
"""

from __future__ import annotations

import functools
import math
import numbers
import operator
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, Literal, NamedTuple, NoReturn, Union, overload

import numpy as np

from . import _device, _layout, _leaf_grads, _printing, _removed, autograd
from ._device import _NO_DEVICE, DeviceLike, _check_device, _is_device
from ._graph_hooks import NodePrehook, PostAccumulateGradHook
from ._warn import warn
from .autograd import Node, _mode
from .ops import OPS, OpDef
from .random import GeneratorLike, _numpy_generator, default_generator, manual_seed

__all__ = [
    "Tensor",
    "arange",
    "cat",
    "ceil",
    "chunk",
    "cos",
    "cumprod",
    "cumsum",
    "default_generator",
    "erf",
    "expm1",
    "eye",
    "flip",
    "floor",
    "full",
    "get_default_dtype",
    "index_select",
    "log1p",
    "manual_seed",
    "masked_fill",
    "ones",
    "ones_like",
    "prod",
    "rand",
    "randn",
    "roll",
    "set_default_dtype",
    "sign",
    "sin",
    "sort",
    "split",
    "stack",
    "std_mean",
    "tensor",
    "tile",
    "topk",
    "trunc",
    "var_mean",
    "where",
    "zeros",
    "zeros_like",
]

DTypeLike = Union[np.dtype[Any], type, str, None]  # noqa: UP007 - a runtime alias on 3.10
Scalar = Union[int, float, bool]  # noqa: UP007
TensorLike = Union["Tensor", np.ndarray, Scalar, Sequence[Any]]
Shape = tuple[int, ...]

_default_dtype: np.dtype[Any] = np.dtype(np.float32)


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the float dtype of tensors made from Python data (``torch.set_default_dtype``)."""
    global _default_dtype
    d = np.dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"set_default_dtype(): only floating dtypes are supported, got {d}")
    _default_dtype = d


def get_default_dtype() -> np.dtype[Any]:
    """The float dtype of tensors made from Python data (float32 unless changed)."""
    return _default_dtype


def _volatile_removed() -> None:
    """torch's warning for setting ``volatile`` (``Variable(..., volatile=)``, ``t.volatile =``)."""
    warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.")


def _check_dtype(dtype: DTypeLike, op: str) -> np.dtype[Any]:
    """``dtype`` as a numpy dtype that a tensor may have (numbers and bools)."""
    try:
        d = np.dtype(dtype)
    except TypeError as e:
        raise TypeError(f"{op}(): {dtype!r} is not a dtype: {e}") from None
    if d.kind not in "biufc":
        raise TypeError(f"{op}(): tensors hold numbers or bools, not dtype {d}")
    return d


def _fits(arr: np.ndarray, dtype: np.dtype[Any], what: str) -> None:
    """Refuse Python values an integer dtype cannot hold, where numpy would wrap them around."""
    if dtype.kind not in "iu" or arr.dtype.kind not in "iuf" or arr.size == 0:
        return
    info = np.iinfo(dtype)
    lo, hi = arr.min(), arr.max()
    if not (np.isfinite(lo) and np.isfinite(hi) and info.min <= lo and hi <= info.max):
        raise RuntimeError(
            f"{what}(): value cannot be converted to type {dtype} without overflow "
            f"(values span {lo} to {hi}; {dtype} holds {info.min} to {info.max})"
        )


def _int_fits(value: Any, dtype: np.dtype[Any], what: str) -> None:
    """Refuse a number an integer dtype cannot hold, where numpy would wrap it around (nan
    fails every comparison, so it is refused too); ``what`` names the value in the message.
    An OpError: torch's RuntimeError, and the ValueError Python code expects for a value."""
    info = np.iinfo(dtype)
    if not info.min <= value <= info.max:
        raise OpError(
            f"{what} cannot be converted to type {dtype} without overflow "
            f"({dtype} holds {info.min} to {info.max})"
        )


def _number_fits(value: Any, dtype: np.dtype[Any], what: str) -> None:
    """Refuse a number that ``dtype`` cannot hold, as torch refuses it ("value cannot be
    converted to type float without overflow"): for a float (or complex) dtype a finite number
    beyond its largest, which would silently become ±inf (±inf and nan themselves are fine); for
    an integer dtype nan, ±inf or a number out of range (``_int_fits``). Any number is a bool.
    ``what`` names the op and the value, as in "clamp(): min 1e+40". A complex number goes into
    a real dtype only if its imaginary part is 0 (into a bool: any)."""
    if isinstance(value, (complex, np.complexfloating)) and dtype.kind in "iuf":
        if value.imag != 0:  # torch's words, though nothing overflows
            raise OpError(f"{what} cannot be converted to type {dtype} without overflow")
        value = value.real
    if dtype.kind in "iu":
        _int_fits(value, dtype, what)
    elif dtype.kind in "fc":
        largest = float(np.finfo(dtype).max)
        parts = (
            (value.real, value.imag)
            if isinstance(value, (complex, np.complexfloating))
            else (value,)
        )
        if any(largest < abs(part) < math.inf for part in parts):
            raise OpError(
                f"{what} cannot be converted to type {dtype} without overflow "
                f"(the largest {dtype} is {largest})"
            )


_INT64_MIN, _INT64_MAX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)


def _big_ints(data: Any, arr: np.ndarray, to_float: bool, what: str) -> np.ndarray:
    """``arr`` (numpy's array of ``data``) where ``data`` may hold Python ints beyond int64.

    numpy stores such ints as uint64, float64 (mixed with negative ints) or objects. torch
    converts them when the tensor is floating (a float in the data, or a float dtype asked
    for) and otherwise refuses them ("Overflow when unpacking long"), as this does.
    """
    leaves = np.array(data, dtype=object).ravel()
    if not all(isinstance(v, (int, float, np.integer, np.floating)) for v in leaves):
        return arr  # strings, None, …: refused by the caller by dtype
    if to_float or any(isinstance(v, (float, np.floating)) for v in leaves):
        return arr.astype(np.float64)
    big = [v for v in leaves if not _INT64_MIN <= v <= _INT64_MAX]
    if big:
        raise OverflowError(
            f"{what}(): the Python int {big[0]} is outside the int64 range "
            f"[{_INT64_MIN}, {_INT64_MAX}] (torch: 'Overflow when unpacking long'); "
            "write it as a float, or pass a float dtype, for a floating tensor"
        )
    return arr


def _as_array(data: Any, dtype: DTypeLike, *, infer: bool, what: str = "tensor") -> np.ndarray:
    """Convert user data to a fresh numpy array following the dtype policy."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        dtype = _check_dtype(dtype, what)
    if isinstance(data, (np.ndarray, np.generic)):
        if data.dtype.kind not in "biufc":
            raise TypeError(f"{what}(): cannot make a tensor from data of dtype {data.dtype}")
        arr = np.array(data, dtype=dtype)
    else:
        try:
            arr = np.array(data)
        except ValueError as e:  # numpy refuses ragged nested lists
            raise ValueError(f"{what}(): data must be a rectangular nested sequence: {e}") from None
        # np.array stores Python ints beyond int64 as uint64, as objects or (beside negative
        # ints) as float64 ≥ 2⁶³: a test of the kind, and for floats of the max, sends only
        # those arrays to the slow check.
        kind = arr.dtype.kind
        if kind == "O" or (
            infer
            and dtype is None
            and (kind == "u" or (kind == "f" and arr.size and float(arr.max()) >= 2.0**63))
        ):
            to_float = not infer or (dtype is not None and dtype.kind in "fc")
            arr = _big_ints(data, arr, to_float, what)
        if arr.dtype.kind not in "biufc":  # before a cast could read None as nan, parse "1"
            raise TypeError(f"{what}(): cannot make a tensor from data of dtype {arr.dtype}")
        with np.errstate(over="ignore"):  # 1e308 as float32 is inf, as in torch, unwarned
            if dtype is not None:  # from the parsed values: tensor(0.1, dtype=float64) is 0.1
                _fits(arr, dtype, what)
                arr = arr.astype(dtype)
            elif arr.dtype.kind in "fc" or (not infer and arr.dtype.kind in "iub"):
                arr = arr.astype(_list_dtype(data, arr.dtype) if infer else _default_dtype)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{what}(): cannot make a tensor from data of dtype {arr.dtype}")
    return arr


def _list_dtype(data: Any, found: np.dtype[Any]) -> np.dtype[Any]:
    """torch's dtype for a nested list that numpy read as floating or complex: a Python float
    counts as the default dtype (complex: its complex twin), a numpy scalar or array or a
    Tensor inside counts with its own dtype, and the kinds promote (``[np.float64(1), 2.0]``
    stays float64, ``[np.float16(1)]`` float16)."""
    typed: list[np.dtype[Any]] = []
    untyped = False
    stack = [data]
    while stack:  # iterative: lists may nest deeply
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, Tensor):
            typed.append(v.data.dtype)
        elif isinstance(v, (np.ndarray, np.generic)):
            typed.append(v.dtype)
        else:  # a Python number: weak, as in torch
            untyped = untyped or isinstance(v, (float, complex))
    floats = [d for d in typed if d.kind in "fc"]
    if untyped or not floats:
        default = (
            _default_dtype if found.kind == "f" else np.result_type(_default_dtype, np.complex64)
        )
        floats.append(np.dtype(default))
    return np.dtype(np.result_type(*floats))


def _index(value: Any, op: str) -> int:
    """An int argument (a dim), refusing floats, strings and None as torch does."""
    try:
        if type(value) is bool:
            raise TypeError
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}(): dim must be an int, got {value!r}") from None


class OpError(ValueError, RuntimeError):
    """An op refused its operands' shapes or values: a ValueError, as Python code expects, and
    a RuntimeError, as torch raises there, so torch code's ``except RuntimeError`` still works."""


def _error(e: Exception, message: str) -> Exception:
    """``message`` as the builtin class of numpy's error ``e`` (numpy's own subclasses, such as
    AxisError, take other constructor arguments); IndexError first, as torch uses for dims."""
    for kind in (IndexError, TypeError):
        if isinstance(e, kind):
            return kind(message)
    return OpError(message) if isinstance(e, ValueError) else RuntimeError(message)


def _operand(value: Any, op: str) -> Any:
    """The value of an in-place op as numpy takes it: a Tensor's array, a Python number as is
    (weak, as in torch: x32 -= 0.5 stays float32; an int tensor refuses 0.5), anything else
    checked like tensor data (strings and ragged lists, which numpy would parse, are refused)."""
    if isinstance(value, Tensor):
        return value.data
    if type(value) in (int, float, bool):
        return value
    return _as_array(value, None, infer=True, what=op)


def _describe(value: Any) -> str:
    """How an error message names an operand: its shape and dtype, or its Python type."""
    if isinstance(value, (Tensor, np.ndarray)):
        return f"a value of shape {value.shape} and dtype {value.dtype}"
    return f"a value of type {type(value).__name__} ({value!r:.40})"


_NO_KEEPDIM = (
    "{op}(): keepdim=True needs a dim, as in torch (the full {op}() takes no keepdim); "
    "use {op}(dim, keepdim=True), or {alt}(keepdim=True) to keep every dim"
)


def _correction(unbiased: bool | None, correction: float | None, op: str) -> float:
    """The divisor's correction from torch's two spellings: ``unbiased`` or ``correction``."""
    if unbiased is None:
        if correction is None:
            return 1
        if not isinstance(correction, (int, float, np.number)):
            raise TypeError(f"{op}(): correction must be a number, got {correction!r}")
        return correction
    if correction is not None:
        raise TypeError(f"{op}(): pass unbiased or correction, not both")
    if type(unbiased) is not bool:
        raise TypeError(
            f"{op}(): unbiased must be a bool, got {unbiased!r} (use correction= for a number)"
        )
    return 1 if unbiased else 0


def _in_dtype(out: Tensor, dtype: DTypeLike) -> Tensor:
    """A sum or product of an input cast to ``dtype``, in ``dtype`` as torch's: the reduction
    widens integers and bools to int64, and the wrapped-around int64 result (or its truth,
    for bool) is what a reduction in ``dtype`` gives."""
    return out if dtype is None or out.dtype == dtype else out.to(dtype)


def _norm_dtype(x: Tensor, dtype: DTypeLike) -> np.dtype[Any]:
    """``norm``'s ``dtype``: a float (or complex) dtype that x's converts to without
    narrowing, as torch's ``linalg.vector_norm`` requires."""
    d = _check_dtype(dtype, "norm")
    if d.kind not in "fc":
        raise OpError(f"norm(): dtype should be floating point or complex, but got {d}")
    if not np.can_cast(x.data.dtype, d, "safe"):
        raise OpError(
            f"norm(): the dtype of the input ({x.dtype}) should be convertible without "
            f"narrowing to the specified dtype ({d})"
        )
    return d


def _same_dtype_in_place(x: Tensor, dtype: DTypeLike, op: str) -> None:
    """An in-place scan's ``dtype`` must be x's own, as torch's ("Bad in-place call")."""
    if dtype is not None and _check_dtype(dtype, op) != x.data.dtype:
        raise OpError(
            f"{op}(): bad in-place call: input tensor dtype {x.dtype} and output tensor dtype "
            f"{np.dtype(dtype)} should match"
        )


def _check_grad_dtype(t: Tensor, op: str) -> None:
    """Only floating tensors can require gradients: integer ones cannot, as in torch, and
    complex ones cannot here (``_refuse_complex_grad``)."""
    if t.dtype.kind == "c":
        raise NotImplementedError(
            f"{op}(): complex tensors cannot require gradients here, got dtype {t.dtype} "
            f"(shape {t.shape}): {_NO_COMPLEX_AUTOGRAD}"
        )
    if t.dtype.kind != "f":
        raise TypeError(
            f"{op}(): only floating point tensors can require gradients, "
            f"got dtype {t.dtype} (shape {t.shape})"
        )


# torch differentiates complex values by the conjugate Wirtinger calculus (x * y sends
# g·conj(y) to x), which the derivative rules here do not implement: rather than give gradients
# that hold only for holomorphic chains, autograd refuses complex values.
_NO_COMPLEX_AUTOGRAD = (
    "autograd of complex values is not implemented in tinygrad_ed (torch's conjugate Wirtinger "
    "calculus); compute without grad (detach() or no_grad()), or split into real and imaginary "
    "parts"
)


def _refuse_complex_grad(op: OpDef, inputs: tuple[Tensor, ...]) -> NoReturn:
    shapes = ", ".join(f"{t.shape} {t.dtype}" for t in inputs)
    raise NotImplementedError(
        f"{op.name}(): a complex result of inputs that require grad ({shapes}): "
        f"{_NO_COMPLEX_AUTOGRAD}"
    )


def _check_keepdim(keepdim: Any, op: str) -> None:
    """torch 2.13 takes only a Python bool for ``keepdim``: every reduction refuses 0, 1, None,
    'yes', 1.0, numpy's bool and a bool tensor with a TypeError, as this does."""
    if type(keepdim) is not bool:
        raise TypeError(
            f"{op}(): argument 'keepdim' must be bool, not {type(keepdim).__name__} "
            f"({keepdim!r:.40})"
        )


class _MinMax(NamedTuple):
    """``(values, indices)``, as returned by ``max(dim)`` / ``min(dim)``."""

    values: Tensor
    indices: Tensor


class _Sort(NamedTuple):
    """``(values, indices)``, as returned by ``sort`` (torch's ``return_types.sort``)."""

    values: Tensor
    indices: Tensor


class _TopK(NamedTuple):
    """``(values, indices)``, as returned by ``topk`` (torch's ``return_types.topk``)."""

    values: Tensor
    indices: Tensor


class _AminMax(NamedTuple):
    """``(min, max)``, as returned by ``aminmax`` (torch's ``return_types.aminmax``)."""

    min: Tensor
    max: Tensor


class _Median(NamedTuple):
    """``(values, indices)``, as returned by ``median(dim)`` (torch's ``return_types.median``)."""

    values: Tensor
    indices: Tensor


class _Cummax(NamedTuple):
    """``(values, indices)``, as returned by ``cummax`` and ``cummin`` (torch's
    ``return_types.cummax``/``cummin``)."""

    values: Tensor
    indices: Tensor


class _KthValue(NamedTuple):
    """``(values, indices)``, as returned by ``kthvalue`` and ``mode`` (torch's
    ``return_types.kthvalue``/``mode``)."""

    values: Tensor
    indices: Tensor


def _int_args(args: tuple[Any, ...], op: str, what: str) -> tuple[int, ...]:
    """Ints given as arguments or as one sequence (torch's ``x.flip(0, 1)`` and
    ``x.flip((0, 1))``); ``what`` names them in the error."""
    given: Sequence[Any] = (
        args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    )
    try:
        if any(type(v) is bool for v in given):
            raise TypeError
        return tuple(map(operator.index, given))
    except TypeError:
        raise TypeError(f"{op}(): {what} must be ints, got {tuple(given)!r}") from None


def _int_arg(value: Any, op: str, what: str) -> int:
    """One int argument (``k``, ``chunks``, ``decimals``), refusing bools, floats and sequences."""
    try:
        if type(value) is bool:
            raise TypeError
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}(): {what} must be an int, got {value!r}") from None


def _number_arg(value: Any) -> Any:
    """A 0-d tensor given for a number as its Python number (``item()``), as torch's argument
    parser takes one wherever it takes a Number (``arange(tensor(3))``) unless it requires grad;
    anything else as it is, for the caller to check."""
    if isinstance(value, Tensor) and value.ndim == 0 and not value.requires_grad:
        return value.item()
    return value


def _along(dim: int, piece: Any) -> tuple[Any, ...]:
    """The index taking ``piece`` (a slice or an index array) along ``dim``, all of the dims
    before it."""
    return (slice(None),) * dim + (piece,)


def _stable_order(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """The indices that sort ``a`` along ``dim``, equal values in the order of their indices
    (torch's ``stable=True``; nan counts as the largest value, as in torch)."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable").astype(np.int64, copy=False)
    # Sorting the reversed array ascending puts ties in reverse index order; reversing that
    # order gives descending values with ties back in index order.
    n = a.shape[dim]
    order = np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)
    return np.asarray(n - 1 - order, dtype=np.int64)


def _keyword_form(
    args: tuple[Any, ...], kwargs: dict[str, Any], name: str, op: str
) -> tuple[Any, ...]:
    """The sizes or dims a method takes as ``*args``, or by keyword as torch also takes them
    (``x.reshape(shape=(2, 3))``, ``x.permute(dims=(1, 0))``): as the one positional tuple."""
    if not kwargs:
        return args
    if args or set(kwargs) != {name}:
        wrong = sorted(set(kwargs) - {name}) or [name]
        raise TypeError(
            f"{op}(): takes its {name} either positionally or as {name}=..., got positional "
            f"{args!r} and the keyword(s) {', '.join(wrong)}"
        )
    return (kwargs[name],)


def _is_dtype(value: Any) -> bool:
    """Whether a lone argument of ``view`` is a dtype (numpy's, or Python's float, int, bool and
    complex, which torch takes as float64, int64, bool and complex128), not a size."""
    if isinstance(value, np.dtype):
        return True
    return isinstance(value, type) and (
        issubclass(value, np.generic) or value in (float, int, bool, complex)
    )


def _view_dtype(x: Tensor, dtype: Any) -> Tensor:
    """``x``'s bytes read as ``dtype`` (``torch.Tensor.view(dtype)``), sharing its memory.

    With elements of the same size the shape stays; otherwise the last dim shrinks or grows by
    the ratio of the sizes, so it must divide by it when it shrinks, and a 0-d tensor has no
    last dim to change (torch's rules). Where the last dim's elements are not adjacent in memory
    torch refuses; numpy's reading is then of a contiguous copy, as ``view(*sizes)`` gives
    numpy's reshape where strides do not allow a view (this library's layouts are not always
    torch's). The result has no history and does not require grad, even from float to float:
    reinterpreted bits have no derivative (torch's too, an alias outside autograd)."""
    d = _check_dtype(dtype, "view")
    old, new = x.data.dtype.itemsize, d.itemsize
    arr = x.data
    if old != new:
        why = f"to view {x.dtype} as {d} (different element sizes), got shape {x.shape}"
        if x.ndim == 0:
            raise RuntimeError(f"view(): a tensor needs a dim {why}")
        if new > old and x.shape[-1] % (new // old):
            raise RuntimeError(f"view(): the last dim must be divisible by {new // old} {why}")
        if arr.strides[-1] != old and x.shape[-1] > 1:
            arr = np.ascontiguousarray(arr)
    return Tensor._make(arr.view(d))


def _shape_args(shape: tuple[Any, ...], op: str = "shape") -> tuple[int, ...]:
    """Accept both ``f(2, 3)`` and ``f((2, 3))``, as torch does; sizes must be integers."""
    given: Sequence[Any] = (
        shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    )
    try:
        if any(type(s) is bool for s in given):
            raise TypeError
        return tuple(map(operator.index, given))  # refuses 2.5 and "3", which int() would take
    except TypeError:
        raise TypeError(f"{op}(): sizes must be ints, got {tuple(given)!r}") from None


def _size(shape: tuple[Any, ...], op: str, size_kw: Any = None) -> tuple[int, ...]:
    """The size of a new tensor: ints, none negative, given as varargs (``zeros(2, 3)``) or, as
    torch also allows, as ``size=`` (``size_kw``)."""
    if size_kw is not None:
        if shape:
            raise TypeError(f"{op}(): give the size as arguments or as size=, not both")
        shape = (size_kw,)
    size = _shape_args(shape, op)
    if any(s < 0 for s in size):
        raise OpError(f"{op}(): negative dimension in size {size}")
    if math.prod(size) >= 2**60:  # numpy's own refusal names no op
        raise OpError(f"{op}(): size {size} has more elements than any memory can hold")
    return size


class Tensor:
    """An n-dimensional array that can record the graph of ops applied to it.

    PyTorch equivalent: ``torch.Tensor``. ``data`` is the numpy array; after ``backward()`` a
    leaf that requires grad holds ``grad = ∂F/∂self``.
    """

    __slots__ = (
        "__weakref__",
        "_accumulator",
        "_base",
        "_changed",
        "_detach",
        "_detached",
        "_fwbase",
        "_grad",
        "_grad_dtype",
        "_hooks",
        "_node",
        "_plain_view",
        "_requires_grad",
        "_reshaped",
        "_shared",
        "_split_history",
        "_tangent",
        "_viewed",
        "_views",
        "_writes",
        "data",
    )
    # ndarray + Tensor must defer to Tensor.__radd__ rather than broadcasting over objects.
    __array_ufunc__ = None
    # nn.Parameter and nn.Buffer share their tensor's memory (and change tracker) but are no
    # views, as torch's are not (``_is_view``).
    _never_a_view: ClassVar[bool] = False

    data: np.ndarray
    # The library reads and writes the underscored slots directly; the public ``grad`` and
    # ``requires_grad`` are properties whose setters refuse what torch refuses.
    _grad: Tensor | None
    _grad_dtype: np.dtype[Any] | None  # unset but after grad_dtype was set: the tensor's dtype
    _requires_grad: bool
    _node: Node | None
    _hooks: list[Callable[[Tensor], Tensor | None]] | None
    # When an in-place op last changed this tensor (``autograd.tick``; 0: never), so backward can
    # refuse saved data changed since the forward pass (torch's version counter). A view
    # (``_base``: the tensor whose memory it shows) is stamped on its base, so that a change
    # through either one is seen through both.
    _changed: int
    _base: Tensor | None
    # Set on a base when a view of it is made that autograd does not follow: from a tensor that
    # requires no grad, under no_grad (as the derivative rules run) or of a base that requires
    # grad (but for a detach() of one); left unset otherwise, so that making a tensor
    # costs nothing for it (read with getattr). Such views cannot follow a new history of their
    # base: ``_inplace.rebase`` refuses it while one may be alive, and clears the flag once
    # none is (``_inplace._untracked_views_may_live``).
    _viewed: bool
    # Set (never cleared) on a detach() and on the views made of it, unset otherwise: a detach
    # shows its base's memory (``_base``, whose version counter it shares) but has a history of
    # its own, which its views follow, as torch's (``_inplace.history_base``). A view of a
    # detach() of a tensor that requires grad need not follow its base's new history (torch
    # gives it none), so it leaves ``_viewed`` unset.
    _detached: bool
    # On a view of a detach(): the detach, whose history it follows (unset otherwise, and on
    # the views made by the fast path once the detach has a history, until an in-place op
    # finds them: ``_inplace.history_base``).
    _detach: Tensor
    # Set on a base once a detach() of it has a history (unset otherwise): its tracked views
    # may then be the detach's (``_inplace.history_base``).
    _split_history: bool
    # Weak references to the views made of this base from a tensor that requires grad, or in
    # grad mode while the base requires none (unset until the first): after an in-place op
    # recorded on the base or one of them, each view's grad_fn is made again from the base's
    # new history (torch's AsStridedBackward).
    _views: list[weakref.ref[Tensor]]
    # Set on a view made in grad mode of a base that requires no grad (unset otherwise): it is
    # among the base's ``_views``, so that it follows a history an in-place op gives the base
    # later (``x[0] += w``), as torch's views do, instead of being refused as a view made under
    # no_grad, the other tracked views without a grad_fn.
    _plain_view: bool
    # Set on a non-leaf when an in-place view op (t_, squeeze_, …) changes its shape (unset
    # until then, read with getattr): the clock's time of each change, with a stand-in for the
    # tensor as it was, which backward gives the nodes recorded before that saved it.
    _reshaped: tuple[tuple[int, Tensor], ...]
    # How many in-place writes the memory of this base took (unset until the first: read with
    # getattr), torch's version counter as ``_version`` shows it; backward reads ``_changed``.
    _writes: int
    # A weak reference to this leaf's ``AccumulateGrad`` once ``next_functions`` showed one (unset
    # until then, read with getattr), so that the same node shows while it is referenced.
    _accumulator: weakref.ref[Any]
    # Set (True) on a base by share_memory_(), unset otherwise (read with getattr): what
    # is_shared() answers for it and its views.
    _shared: bool
    # This tensor's forward-mode tangent inside ``autograd.forward_ad.dual_level`` (unset
    # otherwise, read with getattr; deleted when the level exits): see ``_forward_ad``.
    _tangent: Tensor
    # For a view made inside a level, the tensor whose tangent its own is a view of (torch's
    # forward view base); None for a tensor that is its own (make_dual's and unpack_dual's
    # aliases); unset otherwise, read with getattr: then ``_base``. See ``_forward_ad``.
    _fwbase: Tensor | None

    def __init__(self, data: Any, requires_grad: bool = False, dtype: DTypeLike = None) -> None:
        if type(requires_grad) is not bool:
            # Tensor(2, 3) would otherwise mean requires_grad=3 and quietly make the scalar 2.
            raise TypeError(
                f"Tensor(): requires_grad must be a bool, got {requires_grad!r}. The arguments "
                "are (data, requires_grad, dtype): torch.Tensor(2, 3) is torch's legacy "
                "uninitialised constructor, which this library does not have; use "
                "tg.zeros(2, 3) for a shape and tg.tensor(data) for data"
            )
        self.data = _as_array(data, dtype, infer=False, what="Tensor")
        self._grad = None
        self._node = None
        self._hooks = None
        self._requires_grad = False
        self._changed = 0
        self._base = None
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _make(data: np.ndarray, node: Node | None = None) -> Tensor:
        """Wrap an array without copying or checks (the hot path of every op)."""
        t: Tensor = _new(Tensor)
        t.data = data
        t._grad = t._hooks = t._base = None
        t._node = node
        t._requires_grad = node is not None
        t._changed = 0
        return t

    @property
    def requires_grad(self) -> bool:
        """Whether ops on this tensor record the graph; only floating tensors may require it."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    @property
    def grad(self) -> Tensor | None:
        """∂F/∂self after ``backward()`` for a leaf (accumulated across calls), else None.

        Accumulation adds in place, as torch does, so a reference taken before a second
        ``backward()`` sees the sum (after ``create_graph=True`` it makes a new, recorded Tensor
        instead). Reading it on a non-leaf that does not retain its gradient warns, as torch
        does: that None is a common surprise (call ``retain_grad()`` before ``backward()``)."""
        if self._grad is None and self._node is not None and not self.retains_grad:
            warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed; it "
                "stays None after backward(). Call .retain_grad() on it before backward() to "
                "keep it, or read .grad of the leaves",
                UserWarning,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got {type(value).__name__}"
                )
            if value is self:  # the next backward would accumulate into the tensor itself
                raise RuntimeError("can't assign a tensor as its own grad (x.grad = x)")
            _leaf_grads.check_assigned_grad(self, value)
        self._grad = value

    @property
    def volatile(self) -> bool:
        """torch's pre-0.4 flag, gone: False, with torch's warning (``torch.no_grad`` is what
        it did)."""
        warn("volatile was removed (Variable.volatile is always False)", UserWarning)
        return False

    @volatile.setter
    def volatile(self, value: Any) -> None:
        _volatile_removed()

    @property
    def grad_dtype(self) -> np.dtype[Any] | None:
        """The dtype of ``.grad`` (``torch.Tensor.grad_dtype``; leaves only): the tensor's own
        by default, to which backward casts each gradient; another dtype to sum gradients in
        (float64 for a float32 parameter); or None, any dtype: a gradient keeps its own and
        sums into the ``.grad`` there is. ``x.grad = g`` must match it."""
        return _leaf_grads.grad_dtype(self)

    @grad_dtype.setter
    def grad_dtype(self, value: Any) -> None:
        _leaf_grads.set_grad_dtype(self, value)

    # ------------------------------------------------------------------ attributes

    @property
    def shape(self) -> Shape:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def grad_fn(self) -> Node | None:
        """The node that made this tensor (``None`` for leaves); ``repr`` like ``<MulBackward>``."""
        return self._node

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def output_nr(self) -> int:
        """Which output of its ``grad_fn`` this tensor is (``torch.Tensor.output_nr``): 0, as
        every node here has one output (torch numbers the outputs of its multi-output nodes,
        such as unbind's, where each output here has a node of its own)."""
        return 0

    @property
    def _version(self) -> int:
        """How many in-place writes this tensor's memory has taken (torch's version counter,
        ``Tensor._version``): shared by a base, its views and its detach()es, 0 for a new
        tensor, one more per in-place op, ``x[i] = v``, optimizer step or ``nn.init`` call.
        Backward's check of saved values compares times, not this count (``_changed``)."""
        base = self if self._base is None else self._base
        return getattr(base, "_writes", 0)

    @property
    def T(self) -> Tensor:
        """All dims reversed (the matrix transpose for 2-D); a no-op view below 2-D, as torch."""
        n = self.data.ndim
        if n == 2:  # the matrix transpose, on the hot path of `x @ w.T`
            return self._transpose2d()
        if n < 2:
            return self._alias()
        return _apply(_PERMUTE, self, dims=tuple(range(n - 1, -1, -1)))

    @property
    def H(self) -> Tensor:
        """The conjugate transpose of a matrix: its transpose, the values being real."""
        return _more.matrix_h(self, "tensor.H")

    @property
    def mH(self) -> Tensor:
        """The conjugate transpose of (a batch of) matrices: ``mT``, the values being real."""
        return _more.matrix_h(self, "tensor.mH")

    def adjoint(self) -> Tensor:
        """``mH`` (``torch.Tensor.adjoint``)."""
        return _more.matrix_h(self, "tensor.adjoint()")

    @property
    def mT(self) -> Tensor:
        """The last two dims swapped (``torch.Tensor.mT``): the transpose the matmul rules use.
        Refused for 1-D, as torch; a 0-d tensor is returned as it is, as torch 2.13 (with its
        deprecation warning)."""
        if self.data.ndim == 2:
            return self._transpose2d()
        if self.data.ndim == 0:
            warn(
                "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these "
                "cases.",
                UserWarning,
            )
            return self
        if self.data.ndim == 1:
            raise OpError(
                "mT: only supported on matrices or batches of matrices, got a 1-D tensor of "
                f"shape {self.shape}"
            )
        return self.transpose(-2, -1)

    def _alias(self) -> Tensor:
        """A view that changes nothing, as a new tensor (torch never returns ``self`` from a
        view op): its ``.grad``, hooks and ``requires_grad`` stay its own. Recorded as a reshape
        to the same shape when it takes part in autograd."""
        if self._requires_grad and _mode.enabled:
            return _apply(_RESHAPE, self, shape=self.data.shape)
        return _as_view(Tensor._make(self.data), self)

    def _transpose2d(self) -> Tensor:
        """The 2-D transpose: the permute op when it is recorded, else just the view."""
        if self._requires_grad and _mode.enabled:
            return _apply(_PERMUTE, self, dims=(1, 0))
        # No graph to record (as in every derivative rule without create_graph): the view is all
        # a transpose is, so skip the op dispatch. The result is what the permute op would give.
        return _as_view(Tensor._make(self.data.T), self)

    def size(self, dim: int | None = None) -> Any:
        return self.shape if dim is None else self.shape[self._dim(dim, "size")]

    def dim(self) -> int:
        return self.ndim

    def numel(self) -> int:
        return int(self.data.size)

    def element_size(self) -> int:
        """Bytes per element: 4 for float32, 8 for float64 and int64, 1 for bool
        (``torch.Tensor.element_size``)."""
        return int(self.data.itemsize)

    @property
    def itemsize(self) -> int:
        """Bytes per element (``torch.Tensor.itemsize``)."""
        return int(self.data.itemsize)

    @property
    def nbytes(self) -> int:
        """Bytes of the elements, numel·itemsize (``torch.Tensor.nbytes``)."""
        return int(self.data.itemsize) * self.data.size

    def is_same_size(self, other: Tensor) -> bool:
        """Whether both have one shape (``torch.Tensor.is_same_size``)."""
        _expect_tensor(other, "is_same_size", "other")
        return self.shape == other.shape

    def is_nonzero(self) -> bool:
        return _more.is_nonzero(self)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The array itself, memory shared (``torch.Tensor.numpy``). ``force=True`` gives it for
        a tensor that requires grad too, as torch's ``detach().numpy()`` shorthand."""
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy()."
            )
        return self.data

    def __array__(self, dtype: DTypeLike = None, copy: bool | None = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self) -> Any:
        if self.data.size != 1:
            raise OpError(
                f"item(): a Tensor with {self.data.size} elements (shape {self.shape}) "
                "cannot be converted to a Python scalar"
            )
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        """``operator.index``: a one-element integer tensor is an int wherever Python wants one
        (a size, ``range(n)``, a list index), as torch's: ``torch.randint(..., size=(n,))`` with
        ``n = sum(lengths)`` in its CTCLoss example. Floats are refused, as by torch."""
        if self.data.size != 1 or self.data.dtype.kind not in "biu":
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, got "
                f"{self.data.dtype} of shape {self.shape}"
            )
        return int(self.data.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {self.data.size} elements (shape {self.shape}) "
                "is ambiguous"
            )
        return bool(self.data.item())

    def __format__(self, format_spec: str) -> str:
        """A 0-d tensor formats like its item, so ``f"{loss:.4f}"`` works; any other tensor
        takes only the empty spec, giving ``str(x)`` (both as ``torch.Tensor.__format__``)."""
        if self.data.ndim == 0:
            return format(self.item(), format_spec)
        if format_spec:
            raise TypeError(
                f"unsupported format string {format_spec!r} passed to Tensor.__format__: only "
                f"a 0-d tensor formats like a number, this one has shape {self.shape} "
                "(format x.item() or x.tolist() instead)"
            )
        return str(self)

    def __contains__(self, element: Any) -> bool:
        """``element in x``: whether any entry equals ``element``, a number or a tensor that
        broadcasts against x (torch: ``(element == x).any().item()``)."""
        if not isinstance(element, (Tensor, numbers.Number)):
            raise TypeError(
                "Tensor.__contains__ only supports a Tensor or a number, "
                f"got {type(element).__name__}"
            )
        return bool((self == element).data.any())

    def __repr__(self) -> str:
        body = _printing.array_text(self.data, "tensor(")
        extras = []
        if self.dtype not in (_default_dtype, np.dtype(np.int64), np.dtype(bool)):
            extras.append(f"dtype={self.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ------------------------------------------------------------------ autograd

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if type(requires_grad) is not bool:
            raise TypeError(f"requires_grad_(): expected a bool, got {requires_grad!r}")
        if self._node is not None and requires_grad:
            return self  # already requires grad, as every non-leaf does
        if not self.is_leaf:
            raise RuntimeError(
                "requires_grad_(): you can only change requires_grad flags of leaf tensors; "
                "use detach() to get a new leaf"
            )
        if requires_grad:
            if self._base is not None and getattr(self, "_detached", False):
                # its views are its own (``_inplace.history_base``)
                self._base._split_history = True
            return self._require_grad("requires_grad_")
        self._requires_grad = False
        return self

    def _require_grad(self, op: str) -> Tensor:
        """``requires_grad_(True)`` on a leaf, for ``op`` (a creation function's
        ``requires_grad=True``, a Parameter), which the refusal names."""
        _check_grad_dtype(self, op)
        self._requires_grad = True
        return self

    def _is_view(self) -> bool:
        """Whether this tensor is a view of another (``torch.Tensor._is_view``): the output of a
        view op (x[0], x.T, view, expand, unbind, …), or of one applied to a view. A
        ``detach()`` shares its tensor's memory but is no view, as torch's is not."""
        if self._base is None or self._never_a_view:
            return False
        return not getattr(self, "_detached", False) or hasattr(self, "_detach")

    def detach(self) -> Tensor:
        """The same data with no history (``torch.Tensor.detach``); shares memory."""
        t = Tensor._make(self.data)
        t._base = self if self._base is None else self._base
        t._detached = True
        return t

    def detach_(self) -> Tensor:
        """Make this tensor a leaf that does not require grad, in place (``Tensor.detach_``):
        the graph that made it is no longer reachable through it. Refused for a view, as torch
        refuses it: the view's history is its base's; ``detach()`` makes a new tensor instead."""
        if self._is_view():
            raise RuntimeError(  # torch's words
                f"detach_(): Can't detach views in-place (a view of shape {self.shape}). Use "
                "detach() instead. If you are using DistributedDataParallel (DDP) for training, "
                "and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, "
                "and hence detach_() cannot be called on these gradients. To fix this error, "
                "please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py "
                "as the solution."
            )
        self._node = None
        self._requires_grad = False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf after backward (leaves always keep it).

        It is stored after every hook has run, hooks registered later included, and a second
        call changes nothing (both as torch).
        """
        if self._node is None:
            if not self.requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if not self.retains_grad:  # after the tensor's hooks, before the node's (torch's order)
            hooks = self._node.hooks or []
            node_hooks = [h for h in hooks if isinstance(h, NodePrehook)]
            tensor_hooks = [h for h in hooks if not isinstance(h, NodePrehook)]
            self._node.hooks = [*tensor_hooks, _RetainGrad(self), *node_hooks]

    @property
    def retains_grad(self) -> bool:
        """Whether ``retain_grad()`` was called on this non-leaf (``Tensor.retains_grad``)."""
        if getattr(self, "_reshaped", None):  # it may be on a grad_fn before t_, squeeze_, …
            return _ip.hooks_node(self, retain=True) is not None
        hooks = self._node.hooks if self._node is not None else None
        return any(type(h) is _RetainGrad for h in hooks or ())

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> _HookHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one
        of the same shape and dtype. Returns a handle whose ``remove()`` unregisters it."""
        _check_hook(hook, "register_hook")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        owner: Tensor | Node = self if self._node is None else self._node
        if self._node is not None and getattr(self, "_reshaped", None):
            # where the tensor's earlier hooks went, before an in-place view op (torch's)
            owner = _ip.hooks_node(self, retain=False) or self._node
        hooks = (self._hooks if isinstance(owner, Tensor) else owner.hooks) or []
        if hook in hooks:  # registered twice: each handle must remove its own registration
            hook = functools.partial(hook)
        # Before retain_grad's store, which must see the gradient the hooks give, and before the
        # node's own hooks (grad_fn.register_prehook), which run after both in torch.
        last = [type(h) is _RetainGrad or isinstance(h, NodePrehook) for h in hooks]
        hooks = [
            *(h for h, k in zip(hooks, last) if not k),
            hook,
            *(h for h, k in zip(hooks, last) if k),
        ]
        if isinstance(owner, Tensor):
            owner._hooks = hooks
        else:
            owner.hooks = hooks
        return _HookHandle(owner, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> _HookHandle:
        """Call ``hook(self)`` after backward has accumulated this leaf's ``.grad`` (e.g. to
        update the parameter there and then); it must return None. Only on leaves, as torch.
        Returns a handle whose ``remove()`` unregisters it.

        PyTorch equivalent: ``torch.Tensor.register_post_accumulate_grad_hook``. It runs after
        the tensor's ``register_hook`` hooks, in ``backward()`` (also with ``inputs=``), never in
        ``autograd.grad()``, which accumulates nothing.
        """
        _check_hook(hook, "register_post_accumulate_grad_hook")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._node is not None:
            raise RuntimeError(
                f"register_post_accumulate_grad_hook(): post accumulate grad hooks cannot be "
                f"registered on non-leaf tensors (this one was made by {self._node.name()}); "
                "register it on the leaf, or use register_hook for the gradient of this tensor"
            )
        wrapped = PostAccumulateGradHook(hook)
        self._hooks = [*(self._hooks or ()), wrapped]
        return _HookHandle(self, wrapped)

    def backward(
        self,
        gradient: TensorLike | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Tensor | Sequence[Tensor] | None = None,
    ) -> None:
        """Accumulate ∂self/∂leaf (times ``gradient``) into every leaf's ``.grad``.

        PyTorch equivalent: ``torch.Tensor.backward``. ``gradient`` is the seed adjoint; it may
        be omitted only for a one-element output. ``retain_graph`` defaults to ``create_graph``;
        without it, the values the rules read are released, and a second backward through a
        node that read some raises (as in torch, nodes that read only shapes run again).
        With ``inputs``, only those tensors (leaves or not) accumulate ``.grad``.
        """
        if inputs is not None or not self._requires_grad:  # the general form, and its errors
            autograd.backward(self, gradient, retain_graph, create_graph, inputs)
            return
        autograd.backprop(  # the training loop's call, without the general form's unpacking
            {autograd.vertex(self): self._seed(gradient, "backward")},
            retain_graph=create_graph if retain_graph is None else retain_graph,
            create_graph=create_graph,
            wrap=Tensor._make,
        )

    def _seed(self, gradient: TensorLike | None, op: str) -> Tensor:
        """The adjoint a backward pass from this tensor starts with: ``gradient``, checked, or
        1 for a one-element tensor."""
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"{op}(): grad can be implicitly created only for scalar outputs; this output "
                    f"has shape {self.shape}: pass gradient= of the same shape"
                )
            return Tensor._make(np.array(1, dtype=self.data.dtype).reshape(self.data.shape))
        seed = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=self.dtype)
        if seed.shape != self.shape:
            raise RuntimeError(
                f"{op}(): gradient has shape {seed.shape} but the output has shape "
                f"{self.shape}; they must match"
            )
        if seed.data.dtype != self.data.dtype:  # as torch: hooks and .grad see the output's
            seed = seed.to(self.dtype)
        return seed

    # ------------------------------------------------------------------ applying ops

    def _dim(self, dim: int, op: str) -> int:
        if type(dim) is not int:
            dim = _index(dim, op)
        n = self.data.ndim or 1  # a 0-d tensor takes dim 0 or -1, as in torch
        if not -n <= dim < n:
            raise IndexError(
                f"{op}(): dim {dim} is out of range for a tensor of shape {self.shape} "
                f"(expected a dim in [{-n}, {n - 1}])"
            )
        return dim % n

    def _dims(
        self, dim: int | Sequence[int] | None, op: str, *, reduce: bool = True
    ) -> tuple[int, ...]:
        """``dim`` as sorted, non-negative dims; None (and, for a reduction, ``()``) is all."""
        if type(dim) is int:
            dims: tuple[Any, ...] = (dim,)
        elif isinstance(dim, (tuple, list)):
            dims = tuple(dim)
        elif dim is None:
            return tuple(range(self.ndim))
        else:
            dims = (_index(dim, op),)
        if not dims and reduce:  # torch: x.sum(()) reduces every dim, like x.sum()
            return tuple(range(self.ndim))
        if len(dims) == 1:  # the common case, with no order or repeats to check
            d = self._dim(dims[0], op)
            return (d,) if self.data.ndim else ()
        out = tuple(sorted({self._dim(d, op) for d in dims}))
        if len(out) != len(dims):
            raise ValueError(f"{op}(): dim {dims} names a dimension twice")
        return out if self.ndim else ()

    def _other(self, other: Any, op: str = "operand") -> Tensor:
        """Bring the other operand of a binary op to a Tensor (Python scalars take our dtype)."""
        if isinstance(other, Tensor):
            return other
        if type(other) in (float, int) and self.data.dtype.kind in "fc":
            return Tensor._make(_constant(other, self.data.dtype))
        if type(other) is np.ndarray and other.dtype.kind in "biufc":
            return Tensor._make(other)  # used as is, like torch.from_numpy: masks in rules
        if isinstance(other, (np.floating, np.integer)):  # weak, like the Python number
            if self.data.dtype.kind in "fc":
                return Tensor._make(_constant(other.item(), self.data.dtype))
            other = other.item()
        if type(other) in (int, bool) and self.data.dtype.kind in "iu":
            # torch: a Python int takes an integer tensor's dtype (int32 + 1 stays int32). It
            # must fit: torch would wrap 300 around in uint8, this refuses.
            _int_fits(other, self.data.dtype, f"{op}(): the Python int {other}")
            return Tensor._make(np.asarray(other, dtype=self.data.dtype))
        return Tensor._make(_as_array(other, None, infer=True, what=op))

    # ------------------------------------------------------------------ arithmetic

    def __add__(self, other: Any) -> Tensor:
        return _binary(_ADD, self, other)

    def __radd__(self, other: Any) -> Tensor:
        # torch's __radd__ is add(self, other): grad_fn.next_functions lists this tensor first
        return _binary(_ADD, self, other)

    def __sub__(self, other: Any) -> Tensor:
        if self.data.dtype.kind == "b" or _holds_bool(other):  # checked inline: hot
            raise _bool_sub(self, other)
        return _binary(_SUB, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        if self.data.dtype.kind == "b" or _holds_bool(other):
            raise _bool_sub(self, other)
        return _binary(_SUB, self, other, reflected=True)

    def __mul__(self, other: Any) -> Tensor:
        return _binary(_MUL, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        # as __radd__: 2 * b is torch's mul(b, 2), whose next_functions[0] is b's node
        return _binary(_MUL, self, other)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary(_DIV, self._real_for(other), other)  # int / int is real

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(_DIV, self._real_for(other), other, reflected=True)

    def _real_for(self, other: Any) -> Tensor:
        """This tensor, made floating for a true division unless ``other``, a floating Tensor,
        decides the dtype (int / float64 is float64 in torch, not the default float32)."""
        if self.data.dtype.kind in "fc":
            return self
        data = other.data if isinstance(other, Tensor) else other
        if type(data) is np.ndarray and data.dtype.kind in "fc":  # 0-d or not, as torch
            return self.to(data.dtype)
        return self._real()

    def __pow__(self, other: Any) -> Tensor:
        return _binary(_POW, self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _binary(_POW, self, other, reflected=True)

    def __neg__(self) -> Tensor:
        try:  # a try costs nothing until it raises (Python 3.11+): the hot path is unchanged
            return _apply(_NEG, self)
        except TypeError:
            if self.data.dtype != np.bool_:
                raise
            raise TypeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` operator instead."
            ) from None

    def __pos__(self) -> Tensor:
        """``+x`` is x itself (``torch.Tensor.__pos__``), refused for bool tensors as in torch."""
        if self.data.dtype == np.bool_:
            raise TypeError("The `+` operator, on a bool tensor is not supported.")
        return self

    def __abs__(self) -> Tensor:
        """``abs(x)``, the same as ``x.abs()``."""
        return self.abs()

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._other(other).matmul(self)

    def add(self, other: Any, *, alpha: Scalar = 1) -> Tensor:
        """self + alpha·other (``torch.Tensor.add``); x̄ = g, ȳ = alpha·g."""
        if type(alpha) is not int or alpha != 1:
            other = _times_alpha(self, other, alpha, "add")
        return _binary(_ADD, self, other)

    def sub(self, other: Any, *, alpha: Scalar = 1) -> Tensor:
        """self − alpha·other (``torch.Tensor.sub``); x̄ = g, ȳ = −alpha·g."""
        if type(alpha) is not int or alpha != 1:
            other = _times_alpha(self, other, alpha, "sub")
        return self.__sub__(other)

    def mul(self, other: Any) -> Tensor:
        return _binary(_MUL, self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """x / y (``torch.div``); integers divide to the default float. ``rounding_mode``
        'trunc' rounds the quotient toward zero, 'floor' down (Python's ``//``), in the
        operands' promoted dtype (integers stay integers), as torch's; see ``_rounded_div``."""
        return self._div(other, rounding_mode, "div")

    def divide(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``torch.Tensor.divide``, torch's alias of ``div``."""
        return self._div(other, rounding_mode, "divide")

    def floor_divide(self, other: Any) -> Tensor:
        """⌊x / y⌋ (``torch.floor_divide``, ``//``): ``div(other, rounding_mode='floor')``."""
        return _rounded_div(self, other, "floor", "floor_divide")

    def __floordiv__(self, other: Any) -> Tensor:
        return _rounded_div(self, other, "floor", "floor_divide")

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _rounded_div(self, other, "floor", "floor_divide", reflected=True)

    def __mod__(self, other: Any) -> Tensor:
        """``x % y``: ``remainder`` (the result takes y's sign, as Python's and torch's %)."""
        return self.remainder(other)

    def __rmod__(self, other: Any) -> Tensor:
        return self._other(other, "remainder").remainder(self)

    def _div(self, other: Any, rounding_mode: Any, op: str, reflected: bool = False) -> Tensor:
        mode = _rounding_mode(rounding_mode, op)
        if mode is None:
            return self.__rtruediv__(other) if reflected else self.__truediv__(other)
        return _rounded_div(self, other, mode, op, reflected)

    def pow(self, exponent: Any) -> Tensor:
        return _binary(_POW, self, exponent)

    def neg(self) -> Tensor:
        return -self

    def matmul(self, other: Any) -> Tensor:
        """Matrix product with numpy's 1-D and batch rules (``torch.matmul``, ``@``).

        x̄ = g @ yᵀ, ȳ = xᵀ @ g; batch dims broadcast and the engine sums them back.
        """
        y = other if isinstance(other, Tensor) else self._other(other, "matmul")
        try:
            return _binary(_MATMUL, self, y)
        except ValueError:  # numpy refused: explain with the shapes (not checked up front: hot)
            a, b = self.shape, y.shape
            if not a or not b:
                raise OpError(
                    f"matmul(): both arguments must be at least 1-D, got shapes {a} and {b}"
                ) from None
            k1, k2 = a[-1], (b[0] if len(b) == 1 else b[-2])
            if k1 != k2:
                raise OpError(
                    f"matmul(): shapes {a} and {b} cannot be multiplied "
                    f"(inner dimensions {k1} and {k2} differ)"
                ) from None
            raise OpError(
                f"matmul(): shapes {a} and {b} cannot be multiplied (batch dimensions "
                f"{a[:-2]} and {b[:-2]} do not broadcast)"
            ) from None

    __matmul__ = matmul

    # torch's fixed-shape products: matmul with the shapes and dtypes checked first, so that a
    # wrong shape is refused as torch refuses it instead of being broadcast.

    def dot(self, tensor: Tensor) -> Tensor:
        """Σᵢ xᵢ·yᵢ of two vectors of one length and one dtype, a 0-d tensor (``torch.dot``);
        x̄ = g·y, ȳ = g·x (the matmul rules)."""
        _expect_tensor(tensor, "dot", "tensor")
        if self.ndim != 1 or tensor.ndim != 1:
            raise OpError(
                f"dot(): 1D tensors expected, but got {self.ndim}D and {tensor.ndim}D tensors "
                f"(shapes {self.shape} and {tensor.shape})"
            )
        _same_dtype("dot", self, tensor)
        if self.shape != tensor.shape:
            raise OpError(
                f"dot(): inconsistent tensor size: vectors of {self.shape[0]} and "
                f"{tensor.shape[0]} elements"
            )
        return self.matmul(tensor)

    def mv(self, vec: Tensor) -> Tensor:
        """The product of this (n, m) matrix and a vector of m entries, of n entries
        (``torch.mv``); x̄ = g vecᵀ (an outer product), vec̄ = xᵀ g."""
        _expect_tensor(vec, "mv", "vec")
        if self.ndim != 2 or vec.ndim != 1:
            raise OpError(
                f"mv(): expected a matrix and a vector, got shapes {self.shape} and {vec.shape}"
            )
        _same_dtype("mv", self, vec)
        if self.shape[1] != vec.shape[0]:
            raise OpError(
                f"mv(): size mismatch: the matrix of shape {self.shape} takes a vector of "
                f"{self.shape[1]} entries, got {vec.shape[0]}"
            )
        return self.matmul(vec)

    def mm(self, mat2: Tensor) -> Tensor:
        """The product of two matrices, (n, k) @ (k, m) (``torch.mm``); x̄ = g @ mat2ᵀ,
        mat2̄ = xᵀ @ g. Neither operand broadcasts: ``matmul`` is the one that does."""
        _expect_tensor(mat2, "mm", "mat2")
        _check_mm("mm", self, mat2)
        return self.matmul(mat2)

    def bmm(self, mat2: Tensor) -> Tensor:
        """Batched matrix products, (b, n, k) @ (b, k, m) → (b, n, m) (``torch.bmm``): both
        operands 3-D with the same batch size (no broadcasting); the matmul rules per batch."""
        _expect_tensor(mat2, "bmm", "mat2")
        if self.ndim != 3 or mat2.ndim != 3:
            raise OpError(
                f"bmm(): both operands must be 3-D tensors (batch, rows, cols), got shapes "
                f"{self.shape} and {mat2.shape}"
            )
        _same_dtype("bmm", self, mat2)
        b, _, k = self.shape
        if mat2.shape[:2] != (b, k):
            raise OpError(
                f"bmm(): expected mat2 of shape ({b}, {k}, ·) for batch1 of shape {self.shape}, "
                f"got {mat2.shape}"
            )
        return self.matmul(mat2)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta·x + alpha·(mat1 @ mat2), this tensor broadcast to the product's shape
        (``torch.addmm``); x̄ = beta·g (summed over broadcast dims), mat1̄ = alpha·g @ mat2ᵀ,
        mat2̄ = alpha·mat1ᵀ @ g.

        As in torch, with beta = 0 this tensor is ignored (its nan and inf do not reach the
        result; its gradient is g·0, nan where g is), with alpha = 0 the product is, and
        integer tensors take only integer beta and alpha.
        """
        _expect_tensor(mat1, "addmm", "mat1")
        _expect_tensor(mat2, "addmm", "mat2")
        _check_mm("addmm", mat1, mat2)
        _same_dtype("addmm", self, mat1)
        if isinstance(alpha, (int, float, np.number)) and alpha == 0:
            with np.errstate(all="ignore"):  # ignored, as torch: no warning from an inf product
                product = mat1.matmul(mat2)
        else:
            product = mat1.matmul(mat2)
        return self._scaled_sum(product, beta, alpha, "addmm")

    def outer(self, vec2: Tensor) -> Tensor:
        """The outer product of two vectors, out[i, j] = x[i]·vec2[j] (``torch.outer``);
        composed as ``x.reshape(-1, 1) * vec2``, so x̄ᵢ = Σⱼ gᵢⱼ·vec2ⱼ, vec2̄ⱼ = Σᵢ gᵢⱼ·xᵢ."""
        _expect_tensor(vec2, "outer", "vec2")
        for name, t in (("self", self), ("vec2", vec2)):
            if t.ndim != 1:
                raise OpError(
                    f"outer(): expected 1-D argument {name}, but got {t.ndim}-D (shape {t.shape})"
                )
        return self.reshape(-1, 1) * vec2

    ger = outer

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product (``torch.kron``): the blocks x[i, j]·other, for any number of
        dims (the one with fewer gets leading 1s). Composed as a broadcast product of the two
        with their dims interleaved, reshaped, so x̄ and other̄ are sums of g times the other."""
        _expect_tensor(other, "kron", "other")
        n = max(self.ndim, other.ndim)
        a = self.reshape((1,) * (n - self.ndim) + self.shape)
        b = other.reshape((1,) * (n - other.ndim) + other.shape)
        spread_a = a.reshape(tuple(v for s in a.shape for v in (s, 1)))
        spread_b = b.reshape(tuple(v for s in b.shape for v in (1, s)))
        return (spread_a * spread_b).reshape(tuple(p * q for p, q in zip(a.shape, b.shape)))

    def trace(self) -> Tensor:
        """The sum of a matrix's diagonal (``torch.trace``; integers give int64);
        x̄ = g·I (the identity of x's shape)."""
        if self.ndim != 2:
            raise OpError(f"trace(): expected a matrix, but got a tensor of shape {self.shape}")
        if self.data.dtype == np.bool_:
            raise TypeError("trace(): not implemented for bool tensors, as in torch")
        return self.diagonal().sum()

    # In-place updates write into the tensor's own array. Where autograd takes part (grad mode,
    # and the tensor or the value requires grad) the op is recorded instead, as torch does for a
    # non-leaf (``_inplace.rebase``); a leaf that requires grad is refused, as in torch.
    def _inplace(
        self, op: str, ufunc: np.ufunc | None, value: Any, alpha: float | None = None
    ) -> Tensor:
        """self ← ufunc(self, alpha·value), written into self's own array (no copy of self)."""
        if _mode.enabled:
            if self._requires_grad or (isinstance(value, Tensor) and value._requires_grad):
                return _ip.recorded_inplace(self, op, ufunc, value, alpha)
            if self._base is not None:
                _refuse_no_grad_view(self, op)
        try:
            if ufunc is None and not isinstance(value, Tensor):
                v = np.asarray(value, dtype=self.dtype)  # copy_/fill_/zero_ cast it, as torch
            else:
                v = _operand(value, op)
        except (ValueError, TypeError, OverflowError) as e:  # strings, ragged lists, 2**40 in int32
            raise TypeError(
                f"{op}: cannot use {_describe(value)} as a value for a tensor of shape "
                f"{self.shape} and dtype {self.dtype}: {e}"
            ) from None
        if alpha is not None and alpha != 1.0:
            v = np.multiply(v, alpha)
        if ufunc is None and not autograd.broadcasts_to(np.shape(v), self.shape):
            # (numpy's copyto drops a value's leading 1s, (1,) into (); torch refuses, as add_)
            raise OpError(
                f"{op}: the value of shape {np.shape(v)} does not broadcast to the tensor's "
                f"shape {self.shape}"
            )
        try:  # casting "same_kind" (numpy's default for ufuncs) refuses floats into ints
            if ufunc is None:
                np.copyto(self.data, v, casting="unsafe")
            else:
                ufunc(self.data, v, out=self.data)
        except (ValueError, TypeError) as e:
            if not self.data.flags.writeable:
                if _unlock(self.data):  # a view of an expanded tensor that repeats no element
                    return self._inplace(op, ufunc, value, alpha)
                raise self._read_only(op) from None
            result = getattr(e, "from_", None)  # numpy's output-casting error carries the dtype
            if result is not None:
                # torch's words (a RuntimeError there): a float result does not go into an int
                raise OpError(
                    f"{op}: cannot apply {_describe(value)} in place to a tensor of shape "
                    f"{self.shape} and dtype {self.dtype}: result type {np.dtype(result)} can't "
                    f"be cast to the desired output type {self.dtype}"
                ) from None
            raise OpError(  # a ValueError, and torch's RuntimeError
                f"{op}: cannot apply {_describe(value)} in place to a tensor of shape "
                f"{self.shape} and dtype {self.dtype}"
            ) from None
        # _mark_changed, inlined: an optimizer step runs this once per parameter
        base = self if self._base is None else self._base
        base._changed = autograd.tick()
        base._writes = getattr(base, "_writes", 0) + 1
        if base._node is not None:
            base._node.out_changed = True
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        """``x[index] = value`` in place, with numpy's indexing and broadcasting (the value's
        leading size-1 axes dropped first, as torch does: ``x[0] = ones(1)`` writes one).

        PyTorch equivalent: ``Tensor.__setitem__``. Recorded, as torch's CopySlices, where
        autograd takes part (see ``_inplace.rebase``): x̄_old = g where not written, else 0;
        v̄ = g at the written places, summed back to the value's shape. Refused on a leaf
        that requires grad, after torch's index and shape errors. The value is cast to this
        tensor's dtype, as in torch (2.7 into an int tensor is 2). Into an ``expand``ed tensor
        without grad, a write that repeats no memory location goes into the shared memory, as
        torch's index_put_ writes it (which writes repeated ones too, in an unspecified order),
        with torch's deprecation warning.
        """
        if _mode.enabled:
            if self._requires_grad or (isinstance(value, Tensor) and value._requires_grad):
                _ip.recorded_setitem(self, index, value)
                return
            if self._base is not None:
                _refuse_no_grad_view(self, "__setitem__")
        idx = _normalise_index(index)
        try:
            v = _operand(value, "__setitem__")
            if isinstance(v, np.ndarray) and v.ndim and v.shape[0] == 1:
                # torch drops a value's leading size-1 axes, as numpy does except where the
                # index picks one element (there: "setting an array element with a sequence")
                lead = next((k for k, n in enumerate(v.shape) if n != 1), v.ndim)
                v = v.reshape(v.shape[lead:])
            self.data[idx] = v
        except (ValueError, IndexError, TypeError, OverflowError) as e:
            if not self.data.flags.writeable:
                # torch writes into x[index]: for a basic index a view, which may repeat no
                # element of an expanded x (a row of it)
                part = _basic_view(self.data, idx)
                if part is not None and _unlock(part):
                    Tensor._make(part)[...] = value
                    self._mark_changed()
                    return
                if part is None and _write_once(self.data, idx, v):
                    warn(  # torch's words, which its warning filters match
                        "Use of index_put_ on expanded tensors is deprecated. Please clone() the "
                        "tensor before performing this operation. This also applies to advanced "
                        "indexing e.g. tensor[indices] = tensor"
                    )
                    self._mark_changed()
                    return
                raise self._read_only("__setitem__") from None
            raise (OpError if type(e) is ValueError else type(e))(  # torch's RuntimeError
                f"__setitem__: cannot assign {_describe(value)} at index {index!r:.60} of a "
                f"tensor of shape {self.shape} and dtype {self.dtype}: {e}"
            ) from None
        self._mark_changed()

    def _read_only(self, op: str) -> RuntimeError:
        """torch's error for a write into memory that cannot take it: an ``expand``ed tensor,
        whose elements share memory locations (numpy holds such memory read-only)."""
        if _repeats(self.data):
            return RuntimeError(
                f"{op}: unsupported operation: more than one element of the written-to tensor "
                f"(shape {self.shape}, strides {self.data.strides}) refers to a single memory "
                "location. Please clone() the tensor before performing the operation."
            )
        return RuntimeError(
            f"{op}: the memory of this tensor (shape {self.shape}) is read-only; clone() it first"
        )

    def _mark_changed(self) -> None:
        """Stamp an in-place change of ``data`` (on the base of a view) with the clock's time.

        Every writer into a tensor's memory calls it (in-place ops, optimizers, ``nn.init``,
        ``load_state_dict``), so backward refuses a graph that saved the old values, as torch's
        version counter does: as an op's input (the stamp) or as its output (the node's mark).
        """
        base = self if self._base is None else self._base
        base._changed = autograd.tick()
        base._writes = getattr(base, "_writes", 0) + 1
        if base._node is not None:  # the output of a recorded op, whose rule may read it
            base._node.out_changed = True

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace("add_", np.add, other)

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace("sub_", np.subtract, other)

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace("mul_", np.multiply, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace("div_", np.divide, other)

    def add_(self, other: Any, *, alpha: float = 1.0) -> Tensor:
        return self._inplace("add_", np.add, other, _alpha(alpha, "add_"))

    def sub_(self, other: Any, *, alpha: float = 1.0) -> Tensor:
        return self._inplace("sub_", np.subtract, other, _alpha(alpha, "sub_"))

    def mul_(self, other: Any) -> Tensor:
        return self._inplace("mul_", np.multiply, other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """self ← ``div(self, other, rounding_mode=...)``, refused (as torch) where the result's
        dtype cannot be cast back into self's (an int tensor's true division is a float)."""
        # torch checks the mode's type first and its value after refusing a leaf
        if (
            _mode.enabled
            and (rounding_mode is None or isinstance(rounding_mode, str))
            and (self._requires_grad or (isinstance(other, Tensor) and other._requires_grad))
        ):
            # a partial, not a lambda: that would make other a cell, which costs every call
            compute = functools.partial(Tensor.div, other=other, rounding_mode=rounding_mode)
            return _ip.rebase(
                self, "div_", compute, (other,), Tensor.div_, other, rounding_mode=rounding_mode
            )
        mode = _rounding_mode(rounding_mode, "div_")
        if mode is None:
            return self._inplace("div_", np.divide, other)
        out = _rounded_div(self, other, mode, "div_")
        if not np.can_cast(out.dtype, self.dtype, "same_kind"):
            raise OpError(
                f"div_(): result type {out.dtype} can't be cast to the desired output type "
                f"{self.dtype} (rounding_mode={mode!r}, shape {self.shape})"
            )
        return self._inplace("div_", None, out)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self.div_(other, rounding_mode="floor")

    def __imod__(self, other: Any) -> Tensor:
        return self.remainder_(other)

    def zero_(self) -> Tensor:
        return self._inplace("zero_", None, 0)

    def fill_(self, value: float) -> Tensor:
        if _mode.enabled and (
            self._requires_grad or (isinstance(value, Tensor) and value._requires_grad)
        ):
            shape = np.shape(value.data if isinstance(value, Tensor) else value)
            base = _ip.history_base(self)
            if shape == () or (self._requires_grad and base._node is None):  # a leaf: refused
                return _ip.recorded_fill(self, value)
        shape = np.shape(value.data if isinstance(value, Tensor) else value)
        if shape != ():
            raise RuntimeError(f"fill_: only a 0-dimensional value is supported, got shape {shape}")
        return self._inplace("fill_", None, value)

    # torch's functions removed since 1.9: torch's RuntimeError, saying what replaces each
    def eig(self, eigenvectors: bool = False) -> NoReturn:
        """``torch.Tensor.eig``, removed: use ``linalg.eig`` or ``linalg.eigvals``."""
        _removed.removed("eig")

    def lstsq(self, other: Tensor) -> NoReturn:
        """``torch.Tensor.lstsq``, removed: use ``linalg.lstsq(A, B)`` (arguments reversed)."""
        _removed.removed("lstsq")

    def solve(self, other: Tensor) -> NoReturn:
        """``torch.Tensor.solve``, removed: use ``linalg.solve(A, B)`` (arguments reversed)."""
        _removed.removed("solve")

    def symeig(self, eigenvectors: bool = False, upper: bool = True) -> NoReturn:
        """``torch.Tensor.symeig``, removed: use ``linalg.eigh`` or ``linalg.eigvalsh``."""
        _removed.removed("symeig")

    def reinforce(self, reward: Any) -> NoReturn:
        """``torch.Tensor.reinforce``, removed: use ``torch.distributions``' log_prob."""
        _removed.removed("reinforce")

    def as_subclass(self, cls: type) -> Tensor:
        """This tensor as an instance of ``cls``, a subclass of Tensor
        (``torch.Tensor.as_subclass``): an alias view of it, which shares its memory and stays
        in the graph (torch's ``AliasBackward``); ``cls.__init__`` is not called."""
        if not (isinstance(cls, type) and issubclass(cls, Tensor)):
            raise TypeError(
                "as_subclass(): Creating a Tensor subclass from a class that does not inherit "
                f"from Tensor is not possible (got {cls!r}). Make sure your class inherits from "
                "Tensor."
            )
        alias = self[...]
        if type(alias) is cls:
            return alias
        out: Tensor = _new(cls)
        for name in Tensor.__slots__:  # the alias's state, the unset slots left unset
            if name != "__weakref__" and hasattr(alias, name):
                setattr(out, name, getattr(alias, name))
        # Where the alias is kept as a view that follows in-place changes, so is the new object.
        for holder in (alias._base, getattr(alias, "_detach", None)):
            if holder is not None and any(r() is alias for r in getattr(holder, "_views", ())):
                _track_view(holder, out)
        return out

    def module_load(self, other: Tensor, assign: bool = False) -> Tensor:
        """What ``nn.Module.load_state_dict`` makes of the state dict's ``other`` for this
        parameter or buffer (``torch.Tensor.module_load``, for subclasses to override): this
        tensor with other's values copied in, detached, or with ``assign`` other detached."""
        if assign:
            return other.detach()
        return self.copy_(other).detach()

    def copy_(self, src: Any, non_blocking: bool = False) -> Tensor:
        """self ← src, cast to self's dtype (``torch.Tensor.copy_``); ``non_blocking`` is for
        copies between devices, which numpy has none of: accepted, as torch's on the CPU."""
        return self._inplace("copy_", None, src)

    # ------------------------------------------------------------------ comparisons (no grad)

    def _compare(self, other: Any, fn: np.ufunc) -> Tensor:
        y = self._other(other, fn.__name__)
        try:
            return Tensor._make(np.asarray(fn(self.data, y.data)))
        except (ValueError, TypeError) as e:
            raise _error(
                e, f"{fn.__name__}(): cannot compare shapes {self.shape} and {y.shape}: {e}"
            ) from None

    # ``x == None`` is False and ``x != None`` True, as in torch (``if x == None`` in user code
    # must not raise); ``x.eq(None)`` still refuses None.
    @overload  # type: ignore[override]
    def __eq__(self, other: None) -> bool: ...
    @overload
    def __eq__(self, other: Any) -> Tensor: ...
    def __eq__(self, other: Any) -> Tensor | bool:
        if other is None:
            return False
        return self._compare(other, np.equal)

    @overload  # type: ignore[override]
    def __ne__(self, other: None) -> bool: ...
    @overload
    def __ne__(self, other: Any) -> Tensor: ...
    def __ne__(self, other: Any) -> Tensor | bool:
        if other is None:
            return True
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    def eq(self, other: Any) -> Tensor:
        """``self == other`` elementwise, as a bool tensor (``torch.eq``)."""
        return self._compare(other, np.equal)

    def ne(self, other: Any) -> Tensor:
        """``self != other`` elementwise (``torch.ne``)."""
        return self._compare(other, np.not_equal)

    def lt(self, other: Any) -> Tensor:
        """``self < other`` elementwise (``torch.lt``)."""
        return self._compare(other, np.less)

    def le(self, other: Any) -> Tensor:
        """``self <= other`` elementwise (``torch.le``)."""
        return self._compare(other, np.less_equal)

    def gt(self, other: Any) -> Tensor:
        """``self > other`` elementwise (``torch.gt``)."""
        return self._compare(other, np.greater)

    def ge(self, other: Any) -> Tensor:
        """``self >= other`` elementwise (``torch.ge``)."""
        return self._compare(other, np.greater_equal)

    __lt__, __le__, __gt__, __ge__ = lt, le, gt, ge

    def isnan(self) -> Tensor:
        """Where x is nan, as a bool tensor (``torch.isnan``; never for integers); no grad."""
        return self._test(np.isnan, False)

    def isinf(self) -> Tensor:
        """Where x is +∞ or −∞ (``torch.isinf``); no grad."""
        return self._test(np.isinf, False)

    def isfinite(self) -> Tensor:
        """Where x is neither infinite nor nan (``torch.isfinite``; always for integers); no
        grad."""
        return self._test(np.isfinite, True)

    def isposinf(self) -> Tensor:
        """Where x is +∞ (``torch.isposinf``); no grad."""
        return self._test(np.isposinf, False)

    def isneginf(self) -> Tensor:
        """Where x is −∞ (``torch.isneginf``); no grad."""
        return self._test(np.isneginf, False)

    def _test(self, fn: Callable[[np.ndarray], np.ndarray], integers: bool) -> Tensor:
        """``fn`` of a floating tensor; for integers and bools, ``integers`` everywhere."""
        a = self.data
        if a.dtype.kind in "fc":
            return Tensor._make(np.asarray(fn(a)))
        return Tensor._make(np.full(a.shape, integers))

    def isclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|x − other| ≤ atol + rtol·|other| elementwise, as a bool tensor (``torch.isclose``).

        As torch computes it: equal entries (infinities of one sign too) are close; otherwise
        the error must be finite; floats are compared in their dtype, integers and bools in
        the default float (so int8's 100 and −100 are 200 apart, not wrapped around); nan is
        close to nan only with ``equal_nan``. The operands broadcast and must have one dtype,
        as in torch. No grad.
        """
        return Tensor._make(self._closeness(other, rtol, atol, equal_nan, "isclose"))

    def allclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """Whether ``isclose`` holds everywhere, as a Python bool (``torch.allclose``)."""
        return bool(self._closeness(other, rtol, atol, equal_nan, "allclose").all())

    def _closeness(
        self, other: Tensor, rtol: float, atol: float, equal_nan: bool, op: str
    ) -> np.ndarray:
        """``isclose`` as a bool array, its errors naming ``op``."""
        _expect_tensor(other, op, "other")
        for name, tol in (("rtol", rtol), ("atol", atol)):
            if not isinstance(tol, (int, float, np.number)) or isinstance(tol, (bool, np.bool_)):
                raise TypeError(f"{op}(): {name} must be a number, got {tol!r}")
        if not (rtol >= 0 and atol >= 0):
            raise OpError(f"{op}(): rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
        a, b = self.data, other.data
        if a.dtype != b.dtype:
            raise OpError(
                f"{op}(): the operands must have the same dtype, got {a.dtype} and {b.dtype} "
                f"(shapes {a.shape} and {b.shape}), as in torch; convert one, e.g. "
                "other.to(input.dtype)"
            )
        _broadcast(a.shape, b.shape, op)
        close = np.asarray(a == b)
        if equal_nan and a.dtype.kind in "fc":
            close = close | (np.isnan(a) & np.isnan(b))
        if rtol == 0 and atol == 0:
            return close
        if a.dtype.kind not in "fc":  # torch's errors of integers and bools: in the default float
            a, b = a.astype(_default_dtype), b.astype(_default_dtype)
        with np.errstate(invalid="ignore", over="ignore"):  # inf − inf is nan: not close
            error = np.abs(a - b)
            allowed = float(atol) + np.abs(float(rtol) * b)  # Python floats keep b's dtype
        return np.asarray(close | (np.isfinite(error) & (error <= allowed)))

    def equal(self, other: Tensor) -> bool:
        """Whether ``other`` has this shape and equal values, as a Python bool (``torch.equal``:
        the dtypes may differ, and nan equals nothing)."""
        _expect_tensor(other, "equal", "other")
        return self.shape == other.shape and bool(np.array_equal(self.data, other.data))

    # ------------------------------------------------------------------ bitwise (no grad)

    def _bitwise(self, other: Any, fn: np.ufunc, op: str) -> Tensor:
        """``fn`` of bool or integer operands (torch's ``&``, ``|``, ``^``), without grad."""
        # A Python int or bool stays a scalar, so int32 & 1 is int32 as in torch.
        y_t = other if type(other) in (int, bool) else self._other(other, op)
        y = y_t.data if isinstance(y_t, Tensor) else y_t
        dtypes = (self.dtype, np.asarray(y).dtype)
        if any(d.kind not in "biu" for d in dtypes):
            raise TypeError(
                f"{op} is only supported on bool and integer tensors, got dtypes "
                f"{dtypes[0]} and {dtypes[1]} (shapes {self.shape} and {np.shape(y)})"
            )
        try:
            np.broadcast_shapes(self.shape, np.shape(y))
        except ValueError:
            raise OpError(
                f"{op}: operands of shapes {self.shape} and {np.shape(y)} do not broadcast"
            ) from None
        try:
            # torch's promotion: int32 & a 0-d int64 tensor is int32 (numpy would widen)
            dtype = _result_dtype(self, y_t)
            return Tensor._make(np.asarray(fn(self.data, y), dtype=dtype))
        except (ValueError, TypeError, OverflowError) as e:
            raise _error(
                e, f"{op}: invalid operands of shapes {self.shape} and {np.shape(y)}: {e}"
            ) from None

    def __and__(self, other: Any) -> Tensor:
        """``x & y``: logical and of bool tensors, bitwise and of integers (no grad)."""
        return self._bitwise(other, np.bitwise_and, "& (bitwise_and)")

    def __or__(self, other: Any) -> Tensor:
        """``x | y``: logical or of bool tensors, bitwise or of integers (no grad)."""
        return self._bitwise(other, np.bitwise_or, "| (bitwise_or)")

    def __xor__(self, other: Any) -> Tensor:
        """``x ^ y``: logical xor of bool tensors, bitwise xor of integers (no grad)."""
        return self._bitwise(other, np.bitwise_xor, "^ (bitwise_xor)")

    # The three are commutative, so the reflected forms (``True & x``) are the same ops.
    __rand__ = __and__
    __ror__ = __or__
    __rxor__ = __xor__

    def __invert__(self) -> Tensor:
        """``~x``: logical not of a bool tensor, bitwise not of an integer one (no grad)."""
        if self.data.dtype.kind not in "biu":
            raise TypeError(
                f"~ (invert) is only supported on bool and integer tensors, not {self.dtype} "
                f"(shape {self.shape}); for a float tensor x, ~(x != 0) is x == 0"
            )
        return Tensor._make(np.asarray(np.invert(self.data)))

    # The named bitwise and integer functions, in _methods_more.py (no grad).
    def bitwise_and(self, other: Any) -> Tensor:
        return _more.bitwise_and(self, other)

    def bitwise_or(self, other: Any) -> Tensor:
        return _more.bitwise_or(self, other)

    def bitwise_xor(self, other: Any) -> Tensor:
        return _more.bitwise_xor(self, other)

    def bitwise_not(self) -> Tensor:
        return _more.bitwise_not(self)

    def bitwise_left_shift(self, other: Any) -> Tensor:
        return _more.bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other: Any) -> Tensor:
        return _more.bitwise_right_shift(self, other)

    def __lshift__(self, other: Any) -> Tensor:
        return _more.bitwise_left_shift(self, other)

    def __rshift__(self, other: Any) -> Tensor:
        return _more.bitwise_right_shift(self, other)

    def __rlshift__(self, other: Any) -> Tensor:
        return _more.bitwise_left_shift(self._other(other, "<<"), self)

    def __rrshift__(self, other: Any) -> Tensor:
        return _more.bitwise_right_shift(self._other(other, ">>"), self)

    def gcd(self, other: Tensor) -> Tensor:
        return _more.gcd(self, other)

    def lcm(self, other: Tensor) -> Tensor:
        return _more.lcm(self, other)

    def bitwise_and_(self, other: Any) -> Tensor:
        return self._computed_inplace("bitwise_and_", lambda x: x.bitwise_and(other), other)

    def bitwise_or_(self, other: Any) -> Tensor:
        return self._computed_inplace("bitwise_or_", lambda x: x.bitwise_or(other), other)

    def bitwise_xor_(self, other: Any) -> Tensor:
        return self._computed_inplace("bitwise_xor_", lambda x: x.bitwise_xor(other), other)

    def bitwise_not_(self) -> Tensor:
        return self._computed_inplace("bitwise_not_", Tensor.bitwise_not, None)

    def bitwise_left_shift_(self, other: Any) -> Tensor:
        return self._computed_inplace("bitwise_left_shift_", lambda x: x << other, other)

    def bitwise_right_shift_(self, other: Any) -> Tensor:
        return self._computed_inplace("bitwise_right_shift_", lambda x: x >> other, other)

    def gcd_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("gcd_", lambda x: x.gcd(other), other)

    def lcm_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("lcm_", lambda x: x.lcm(other), other)

    __iand__ = bitwise_and_
    __ior__ = bitwise_or_
    __ixor__ = bitwise_xor_
    __ilshift__ = bitwise_left_shift_
    __irshift__ = bitwise_right_shift_

    # ------------------------------------------------------------------ elementwise

    def exp(self) -> Tensor:
        """eˣ elementwise (``torch.exp``); x̄ = g·out."""
        return _apply(_EXP, self._real())

    def log(self) -> Tensor:
        """ln x elementwise (``torch.log``); x̄ = g / x."""
        return _apply(_LOG, self._real())

    def sqrt(self) -> Tensor:
        """√x elementwise (``torch.sqrt``); x̄ = g / (2·out)."""
        return _apply(_SQRT, self._real())

    def abs(self) -> Tensor:
        """|x| elementwise (``torch.abs``); x̄ = g·sign(x), so abs'(0) = 0, and 0 at a nan
        (torch's sgn(nan) = 0)."""
        return _apply(_ABS, self)

    def relu(self) -> Tensor:
        """max(x, 0) (``torch.relu``); x̄ = g·[x > 0], so relu'(0) = 0, but g at a nan, as
        torch's."""
        return _apply(_RELU, self)

    def sigmoid(self) -> Tensor:
        """σ(x) = 1 / (1 + e⁻ˣ) (``torch.sigmoid``); x̄ = g·out·(1 − out)."""
        return _apply(_SIGMOID, self._real())

    def tanh(self) -> Tensor:
        """tanh x (``torch.tanh``); x̄ = g·(1 − out²)."""
        return _apply(_TANH, self._real())

    def sin(self) -> Tensor:
        """sin x elementwise (``torch.sin``); x̄ = g·cos x."""
        return _apply(_SIN, self._real())

    def cos(self) -> Tensor:
        """cos x elementwise (``torch.cos``); x̄ = −g·sin x."""
        return _apply(_COS, self._real())

    def log1p(self) -> Tensor:
        """ln(1 + x) elementwise, exact for tiny x (``torch.log1p``); x̄ = g / (1 + x)."""
        return _apply(_LOG1P, self._real())

    def expm1(self) -> Tensor:
        """eˣ − 1 elementwise, exact for tiny x (``torch.expm1``); x̄ = g·(out + 1)."""
        return _apply(_EXPM1, self._real())

    def erf(self) -> Tensor:
        """The error function (2/√π) ∫₀ˣ e^{−t²} dt (``torch.erf``); x̄ = g·(2/√π)·e^{−x²}."""
        return _apply(_ERF, self._real_kernel("erf"))

    # Special functions: kernels in _special_kernels.py, tg.special has the rest (i0e, ndtri, …).

    def _no_derivative_in(self, a: Tensor, what: str) -> Tensor:
        """This tensor, whose derivative with respect to ``a`` raises (``_no_derivative``): the
        registry's rules reach the guard through here, as ops.py cannot import this module."""
        return _no_derivative(self, a, what)

    def _special(self, name: str, **kwargs: Any) -> Tensor:
        """The special-function primitive ``name`` of this tensor (the derivative rules' call)."""
        return _apply(OPS[name], self._real_kernel(name), **kwargs)

    def _real_kernel(self, op: str) -> Tensor:
        """``_real()`` for an op whose kernel is real only: a complex tensor is refused, as torch
        does (NotImplementedError), where numpy's cast would drop the imaginary part silently."""
        if self.data.dtype.kind == "c":
            raise NotImplementedError(
                f"{op}(): not implemented for complex dtype {self.dtype} (shape {self.shape})"
            )
        return self._real()

    def erfc(self) -> Tensor:
        """1 − erf x, exact in the tail (``torch.erfc``); x̄ = −g·(2/√π)·e^{−x²}."""
        return self._special("erfc")

    def erfinv(self) -> Tensor:
        """The inverse of erf, ±inf at ±1, nan beyond (``torch.erfinv``); x̄ = g·(√π/2)·e^{out²}."""
        return self._special("erfinv")

    def lgamma(self) -> Tensor:
        """ln|Γ(x)|, inf at the poles 0, −1, −2, … (``torch.lgamma``); x̄ = g·ψ(x)."""
        return self._special("lgamma")

    def digamma(self) -> Tensor:
        """ψ(x) = Γ'(x)/Γ(x) (``torch.digamma``): −inf at +0, +inf at −0, nan at the negative
        integers; x̄ = g·ψ⁽¹⁾(x)."""
        return self._special("digamma")

    def polygamma(self, n: int) -> Tensor:
        """ψ⁽ⁿ⁾(x), the n-th derivative of ψ (``torch.polygamma``, ``Tensor.polygamma(n)``);
        x̄ = g·ψ⁽ⁿ⁺¹⁾(x). ``n`` a non-negative int, as torch."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"polygamma(): argument 'n' must be int, not {type(n).__name__}")
        if n < 0:
            raise RuntimeError(f"polygamma(n, x) does not support negative n (got n = {n})")
        if n == 0:
            return self.digamma()
        return self._special("polygamma", n=int(n))

    def i0(self) -> Tensor:
        """The modified Bessel function of the first kind of order 0, I₀(x) (``torch.i0``);
        x̄ = g·I₁(x)."""
        return self._special("i0")

    def mvlgamma(self, p: int) -> Tensor:
        """The multivariate log-gamma ln Γ_p(x) = p(p−1)/4·ln π + Σ_{j<p} ln Γ(x − j/2)
        (``torch.mvlgamma``), composed of lgamma. As torch, x ≤ (p − 1)/2 is not refused:
        ln|Γ| of the negative arguments enters the sum."""
        if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
            raise TypeError(f"mvlgamma(): argument 'p' must be int, not {type(p).__name__}")
        if p < 1:
            raise RuntimeError(f"mvlgamma(): p has to be greater than or equal to 1 (got {p})")
        x = self._real()
        out = x.lgamma()
        for j in range(1, int(p)):
            out = out + (x - j / 2).lgamma()
        return out + p * (p - 1) / 4 * math.log(math.pi)

    def igamma(self, other: Tensor) -> Tensor:
        """The regularized lower incomplete gamma function P(a, x), this tensor being a
        (``torch.igamma``, ``torch.special.gammainc``); x̄ = g·x^{a−1}e^{−x}/Γ(a). As torch,
        there is no derivative for a: backward through it raises NotImplementedError."""
        return self._gamma_ratio(other, "igamma")

    def igammac(self, other: Tensor) -> Tensor:
        """The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), this tensor
        being a (``torch.igammac``, ``torch.special.gammaincc``); x̄ = −g·x^{a−1}e^{−x}/Γ(a).
        No derivative for a, as torch."""
        return self._gamma_ratio(other, "igammac")

    def _gamma_ratio(self, other: Tensor, op: str) -> Tensor:
        _expect_tensor(other, op, "other")  # torch takes no number here
        if self.data.dtype.kind not in "fc" and other.data.dtype.kind not in "fc":
            raise NotImplementedError(
                f"{op}(): not implemented for {self.dtype} and {other.dtype} tensors (shapes "
                f"{self.shape} and {other.shape}), as in torch; convert one with .float()"
            )
        a, x = self._in_common_float(other, op)
        out = _apply(OPS[op], x._real_kernel(op), a=a.data)
        return _no_derivative(out, a, f"{op}: input")

    def reciprocal(self) -> Tensor:
        """1/x elementwise (``torch.reciprocal``; integers and bools give the default float);
        x̄ = −g·out², torch's rule (at x = 0 the value is ±∞ and x̄ = −∞), which reads the
        output only, so that backward refuses a later in-place change of it, not of x."""
        return _apply(_RECIPROCAL, self._real())

    def rsqrt(self) -> Tensor:
        """1/√x elementwise (``torch.rsqrt``), composed as ``sqrt().reciprocal()``: torch's
        bits, and x̄ = −g·out³/2 by the chain rule (−∞ at x = 0, nan below, as torch)."""
        return self.sqrt().reciprocal()

    def log2(self) -> Tensor:
        """log₂ x elementwise, exact at powers of 2 (``torch.log2``); x̄ = g / (x·ln 2). A
        primitive: ln x / ln 2 is off by an ulp at a sixth of the powers of 2 (log₂ 8 ≠ 3)."""
        return _apply(_LOG2, self._real())

    def log10(self) -> Tensor:
        """log₁₀ x elementwise, exact at powers of 10 (``torch.log10``); x̄ = g / (x·ln 10)."""
        return _apply(_LOG10, self._real())

    def logaddexp(self, other: Tensor) -> Tensor:
        """ln(eˣ + eʸ) elementwise, without overflow (``torch.logaddexp``); x̄ = g·σ(x − y),
        ȳ = g·σ(y − x). A primitive (numpy's stable forward): ±∞ on both sides gives that
        infinity, as torch, with nan adjoints (σ(∞ − ∞)), as torch's."""
        x = self._floating_with(other, "logaddexp", ints=False)
        return _binary(_LOGADDEXP, x, other)

    def atan2(self, other: Tensor) -> Tensor:
        """The angle of the point (other, x) in (−π, π], elementwise (``torch.atan2``: this
        tensor is y, ``other`` is x; integers give the default float).
        ȳ = g·x/(x² + y²), x̄ = −g·y/(x² + y²), both 0 at the origin, as torch."""
        x = self._floating_with(other, "atan2", ints=True)
        return _binary(_ATAN2, x, other)

    arctan2 = atan2

    def hypot(self, other: Tensor) -> Tensor:
        """√(x² + y²) elementwise, without overflow for large x, y (``torch.hypot``);
        x̄ = g·x/out, ȳ = g·y/out (nan at the origin, as torch)."""
        x = self._floating_with(other, "hypot", ints=False)
        return _binary(_HYPOT, x, other)

    def _floating_with(self, other: Any, op: str, *, ints: bool) -> Tensor:
        """This tensor, ready for a floating binary op with the Tensor ``other``: floating if
        other does not make it so (as in ``/``). Two integer or bool operands compute in the
        default float if ``ints``, else are refused as torch refuses them."""
        _expect_tensor(other, op, "other")
        if not ints and self.data.dtype.kind not in "fc" and other.data.dtype.kind not in "fc":
            raise TypeError(
                f"{op}(): not implemented for {self.dtype} and {other.dtype} tensors (shapes "
                f"{self.shape} and {other.shape}), as in torch; convert one with .float()"
            )
        return self._real_for(other)

    def _in_common_float(self, other: Tensor, op: str) -> tuple[Tensor, Tensor]:
        """Both operands, broadcastable, in the floating dtype torch computes ``op`` in: their
        promoted dtype (a 0-d one deferring, as in ``*``), the default float for two integer
        ones. Casting both first keeps float64 precision an int or float32 operand would lose."""
        _broadcast(self.shape, other.shape, op)
        x, y = _operands(self, other, False, op)
        dt = np.result_type(x.data.dtype, y.data.dtype)
        if dt.kind not in "fc":
            dt = np.dtype(_default_dtype)
        return (x if x.dtype == dt else x.to(dt)), (y if y.dtype == dt else y.to(dt))

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        """start + w·(end − start) elementwise, this tensor being start (``torch.lerp``); the
        three broadcast, and ``weight`` is a number or a tensor.

        Computed from the nearer end, as torch: start + w·(end − start) for |w| < ½, else
        end − (end − start)·(1 − w), so that w = 1 gives end exactly. Either way
        start̄ = g·(1 − w), end̄ = g·w and w̄ = g·(end − start), torch's rules. ``end`` must
        have this tensor's (floating) dtype, and so must a weight of one or more dims; a 0-d
        weight takes it, as in torch.
        """
        _expect_tensor(end, "lerp", "end")
        self._need_float("lerp")
        if end.dtype != self.dtype:
            raise OpError(
                f"lerp(): expected dtype {self.dtype} for end, but got dtype {end.dtype} "
                f"(shapes {self.shape} and {end.shape})"
            )
        if isinstance(weight, Tensor):
            if weight.ndim and weight.dtype != self.dtype:
                raise OpError(
                    f"lerp(): expected dtype {self.dtype} for weight, but got dtype "
                    f"{weight.dtype} (shape {weight.shape}); a 0-d weight may have any dtype"
                )
            _broadcast(_broadcast(self.shape, end.shape, "lerp"), weight.shape, "lerp")
            w = weight.to(self.dtype)
            near_start = np.abs(w.data) < 0.5
            return where(near_start, self + w * (end - self), end - (end - self) * (1 - w))
        if not isinstance(weight, (int, float, np.number)):
            raise TypeError(f"lerp(): weight must be a number or a Tensor, got {weight!r}")
        _broadcast(self.shape, end.shape, "lerp")
        w0: float = self.data.dtype.type(weight)  # 1 − w in the tensor's dtype, as torch
        if abs(w0) < 0.5:
            return self + (end - self) * w0
        return end - (end - self) * (1 - w0)

    # Piecewise constant functions: their derivative is 0 wherever it exists. As in torch the
    # result of a tensor that requires grad requires grad too, and its gradient is zeros.

    def _piecewise_constant(self, values: np.ndarray) -> Tensor:
        """``values``, a piecewise constant function of this tensor, with torch's zero gradient:
        recorded as ``where(True, values, self)``, whose rule sends g·[¬True] = 0 to self."""
        out = Tensor._make(values)
        if self._requires_grad and _mode.enabled:
            return where(_ALWAYS, out, self)
        return out

    def _rounded(self, fn: Callable[[np.ndarray], np.ndarray], op: str) -> Tensor:
        kind = self.data.dtype.kind
        if kind == "b":
            raise TypeError(f"{op}(): not implemented for bool tensors (shape {self.shape})")
        if kind in "iu":  # already whole numbers: a copy, in the same dtype (torch)
            return Tensor._make(self.data.copy())
        return self._piecewise_constant(np.asarray(fn(self.data)))

    def floor(self) -> Tensor:
        """The largest whole number ≤ x (``torch.floor``); the gradient is zero."""
        return self._rounded(np.floor, "floor")

    def ceil(self) -> Tensor:
        """The smallest whole number ≥ x (``torch.ceil``); the gradient is zero."""
        return self._rounded(np.ceil, "ceil")

    def trunc(self) -> Tensor:
        """x rounded toward zero (``torch.trunc``); the gradient is zero."""
        return self._rounded(np.trunc, "trunc")

    def round(self, *, decimals: int = 0) -> Tensor:
        """x rounded to ``decimals`` places, halves to even (``torch.round``: 0.5 → 0, 1.5 → 2);
        the gradient is zero. With ``decimals`` it is round(x·10ᵈ)/10ᵈ, as torch computes it."""
        d = _int_arg(decimals, "round", "decimals")
        if d and self.data.dtype.kind in "biu":
            raise TypeError(
                f"round(): decimals is not implemented for {self.dtype} tensors (shape "
                f"{self.shape}), as in torch"
            )
        return self._rounded(lambda a: np.round(a, d), "round")

    def angle(self) -> Tensor:
        """The argument of each element (``torch.angle``): π for a negative real, 0 otherwise
        (−0 too, as torch), nan for nan; a piecewise constant, so its gradient is zero. Integers
        and bools give the default float dtype; a complex tensor gives ``atan2(imag, real)``."""
        a = self.data
        if a.dtype.kind == "c":
            return Tensor._make(np.asarray(np.angle(a)))
        x = self if a.dtype.kind == "f" else self.to(_default_dtype)
        d = x.data
        values = np.where(d < 0, np.asarray(math.pi, d.dtype), np.zeros((), d.dtype))
        return x._piecewise_constant(np.where(np.isnan(d), d, values))

    def sign(self) -> Tensor:
        """−1, 0 or 1 by the sign of x (``torch.sign``: 0 for ±0 and nan); the gradient is
        zero. A bool tensor is its own sign."""
        a = self.data
        if a.dtype == np.bool_:
            return Tensor._make(a.copy())
        # torch's (0 < x) − (x < 0): every comparison with nan is false, so sign(nan) is 0
        values = (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)
        return self._piecewise_constant(np.asarray(values))

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Clip to [min, max] (``torch.clamp``); the gradient passes at the bounds, as in torch.
        A bound the result's dtype cannot hold (1e40 for float32) is refused, as in torch.
        The bounds are numbers, or tensors that broadcast (not one of each, as torch); with
        tensors, out = min(max(x, lo), hi) (hi where lo > hi) with torch's gradients:
        x̄ = g·[lo ≤ x ≤ hi], lō = g·[x < lo < hi], hī = g·[x > hi or hi < lo] (a nan in
        any of them gives nan; the gradients follow these comparisons, as torch's)."""
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            return self._clamp_tensors(min, max)
        return self._clamp(min, max, "clamp")

    def _clamp_tensors(self, lo: Any, hi: Any) -> Tensor:
        if lo is None or hi is None:  # one bound: torch's clamp_min / clamp_max
            return self.clamp_min(lo) if hi is None else self.clamp_max(hi)
        if not (isinstance(lo, Tensor) and isinstance(hi, Tensor)):
            raise TypeError(
                f"clamp(): min and max must both be numbers or both be tensors, got "
                f"min={lo!r}, max={hi!r}"
            )
        shape = _broadcast(_broadcast(self.shape, lo.shape, "clamp"), hi.shape, "clamp")
        # torch's promotion of the three (float32 between int64 bounds stays float32)
        pair = Tensor._make(np.zeros((1,) if self.ndim or lo.ndim else (), _result_dtype(self, lo)))
        dtype = _result_dtype(pair, hi)
        x, lo, hi = (t if t.dtype == dtype else t.to(dtype) for t in (self, lo, hi))
        return x._clamped(lo, hi, shape)

    def _clamped(self, lo: Tensor, hi: Tensor, shape: tuple[int, ...]) -> Tensor:
        x, l, h = self.data, lo.data, hi.data
        keep = (x >= l) & (x <= h)
        low = (x < l) & (l < h)
        high = (x > h) | (h < l)
        value = np.broadcast_to(np.minimum(np.maximum(x, l), h), shape)
        # elsewhere (x below lo = hi, a nan) the value alone: no input gets a gradient there
        out = where(keep, self, where(low, lo, where(high, hi, Tensor._make(value))))
        lost = np.isnan(value) & (keep | low | high) if value.dtype.kind == "f" else None
        if lost is not None and lost.any():  # a nan bound beside a mask that holds (hi < lo)
            out = out + Tensor._make(np.where(lost, value, 0).astype(value.dtype))  # torch's nan
        return out

    def _clamp(self, min: Any, max: Any, op: str) -> Tensor:
        """``clamp`` for ``clamp``, ``clamp_min`` and ``clamp_max``; errors name ``op``."""
        if min is None and max is None:
            raise OpError(f"{op}(): at least one of min and max must be given")
        bounds = [b for b in (min, max) if b is not None]
        if not all(isinstance(b, (int, float, np.number)) and type(b) is not bool for b in bounds):
            raise TypeError(
                f"{op}(): min and max must be numbers, got min={min!r}, max={max!r} "
                "(for tensor bounds use maximum() and minimum())"
            )
        x = self
        if self.data.dtype.kind not in "fc" and any(isinstance(b, float) for b in bounds):
            x = self._real()  # an int tensor clamped to 0.5 is real, as in torch
        elif self.data.dtype.kind == "b":
            x = self.to(np.int64)  # bool with int bounds is int64, as in torch (not bool)
        for name, bound in (("min", min), ("max", max)):
            if bound is not None:  # numpy would make 1e40 an inf bound in float32
                _number_fits(bound, x.dtype, f"{op}(): {name} {bound!r}")
        return _apply(_CLAMP, x, min=min, max=max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:
        """max(x, min) elementwise (``torch.clamp_min``): ``min`` is a number (``clamp(min)``)
        or a tensor that broadcasts. For a tensor, ties go to x, as torch: x̄ = g·[x ≥ min],
        min̄ = g·[x < min]; a nan in either gives nan, with no gradient to either."""
        if isinstance(min, Tensor):
            return self._clamp_to(min, np.greater_equal, np.less, "clamp_min")
        _check_bound(min, "clamp_min", "min")
        return self._clamp(min, None, "clamp_min")

    def clamp_max(self, max: Any) -> Tensor:
        """min(x, max) elementwise (``torch.clamp_max``), as ``clamp_min``: for a tensor,
        x̄ = g·[x ≤ max], max̄ = g·[x > max]."""
        if isinstance(max, Tensor):
            return self._clamp_to(max, np.less_equal, np.greater, "clamp_max")
        _check_bound(max, "clamp_max", "max")
        return self._clamp(None, max, "clamp_max")

    def _clamp_to(self, bound: Tensor, inside: np.ufunc, beyond: np.ufunc, op: str) -> Tensor:
        """x where ``inside(x, bound)``, the bound where ``beyond(x, bound)``, and nan where
        neither holds (a nan in x or the bound): ``where`` gives each one its gradient."""
        _broadcast(self.shape, bound.shape, op)
        keep = inside(self.data, bound.data)
        crossed = beyond(self.data, bound.data)
        if (keep | crossed).all():
            return where(keep, self, bound)
        floating = self if self.data.dtype.kind == "f" else bound
        nan = Tensor._make(np.full((), np.nan, dtype=floating.dtype))
        return where(keep, self, where(crossed, bound, nan))

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """x with nan, +∞ and −∞ replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0,
        the largest and the lowest finite value of the dtype) (``torch.nan_to_num``); integer
        and bool tensors come back as copies. Composed as ``where``: x̄ = g where x is finite
        and 0 where it was replaced, as torch."""
        for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
            if value is not None:
                _check_bound(value, "nan_to_num", name)
        a = self.data
        if a.dtype.kind not in "fc":
            return Tensor._make(a.copy())
        finite = np.isfinite(a)
        if finite.all():
            return self.clone()
        info = np.finfo(a.dtype)
        kind = a.dtype.type
        with np.errstate(over="ignore"):  # 1e300 in float32 is inf, as in torch
            values = (
                kind(0.0 if nan is None else nan),  # None is 0, as torch
                kind(info.max if posinf is None else posinf),
                kind(info.min if neginf is None else neginf),
            )
        replaced = np.where(np.isnan(a), values[0], np.where(a > 0, values[1], values[2]))
        return where(finite, self, Tensor._make(np.asarray(replaced, dtype=a.dtype)))

    def maximum(self, other: Any) -> Tensor:
        """Elementwise max (``torch.maximum``); ties split the gradient ½ / ½."""
        return _binary(_MAXIMUM, self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise min (``torch.minimum``); ties split the gradient ½ / ½."""
        return _binary(_MINIMUM, self, other)

    def where(self, condition: Any, other: Any) -> Tensor:
        """``self`` where ``condition`` holds, else ``other`` (``torch.Tensor.where``)."""
        return where(condition, self, other)

    def _times_mask(self, keep: np.ndarray) -> Tensor:
        """This tensor times the bool array ``keep`` made 0/1 in its dtype: the product that
        ``g * keep`` would record, without its operand handling (this runs per relu). A float
        mask, as numpy's product of a float and a bool array takes a slower, casting loop."""
        return _apply(_MUL, self, Tensor._make(keep.astype(self.data.dtype)))

    def _keep(self, keep: np.ndarray) -> Tensor:
        """This tensor where the bool array ``keep`` holds, else 0: the selection derivative rules
        make (the where op, without ``where()``'s argument handling: this runs per relu)."""
        zero = Tensor._make(np.zeros((), dtype=self.data.dtype))
        return _apply(_WHERE, Tensor._make(keep), self, zero)

    def square(self) -> Tensor:
        """x² elementwise (``torch.square``): ``x * x``, so x̄ = 2·g·x; bools square in int64."""
        x = self.to(np.int64) if self.data.dtype.kind == "b" else self
        return x * x

    def gather(self, dim: int, index: Any) -> Tensor:
        """One entry per position of ``index`` along ``dim`` (``torch.gather``): for dim=1,
        out[i][j] = self[i][index[i][j]], e.g. the true class's score ``f.gather(1, y[:, None])``.

        A selection by integer arrays, so x̄ scatters g back to the entries picked, adding where
        one is picked twice. As in torch, ``index`` has the input's number of dims, no dim longer
        than the input's except ``dim``, and entries in [0, size of ``dim``).
        """
        d = self._dim(dim, "gather")
        idx = index.data if isinstance(index, Tensor) else np.asarray(index)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"gather(): index must hold integers, got dtype {idx.dtype}")
        if max(idx.ndim, 1) != max(self.ndim, 1):
            raise OpError(
                f"gather(): index of shape {idx.shape} must have as many dims as the input "
                f"of shape {self.shape}"
            )
        if idx.ndim != self.ndim:  # torch counts 0-d as 1-D here: out has index's shape
            return self.reshape(-1).gather(dim, idx.reshape(-1)).reshape(idx.shape)
        if any(k != d and i > n for k, (i, n) in enumerate(zip(idx.shape, self.shape))):
            raise OpError(
                f"gather(): index of shape {idx.shape} is larger than the input of shape "
                f"{self.shape} apart from dim {d}"
            )
        size = self.shape[d] if self.ndim else 1
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            bad = idx[(idx < 0) | (idx >= size)].ravel()[0]
            raise IndexError(
                f"gather(): index {bad} is out of bounds for dim {d} with size {size} "
                f"(input of shape {self.shape})"
            )
        if self.ndim == 0:
            return self.reshape(1)[idx.reshape(1)].reshape(())
        grids: list[np.ndarray] = [
            np.arange(n).reshape([n if k == j else 1 for k in range(idx.ndim)])
            for j, n in enumerate(idx.shape)
        ]
        grids[d] = idx
        return self[tuple(grids)]

    def index_select(self, dim: int, index: Any) -> Tensor:
        """The entries at ``index`` (a vector of int32 or int64) along ``dim``, in its order,
        repeats allowed (``torch.index_select``); x̄ adds g back where each came from."""
        d = self._dim(dim, "index_select")
        idx = index.data if isinstance(index, Tensor) else np.asarray(index)
        if idx.dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
            raise TypeError(f"index_select(): index must be int32 or int64, got dtype {idx.dtype}")
        if idx.ndim > 1:
            raise IndexError(
                f"index_select(): index must be a vector (1-D or 0-d), got shape {idx.shape}"
            )
        idx = idx.reshape(-1)
        size = self.shape[d] if self.ndim else 1
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            bad = idx[(idx < 0) | (idx >= size)][0]
            raise IndexError(
                f"index_select(): index {bad} is out of range for dim {d} of size {size} "
                f"(tensor of shape {self.shape}; negative indices are refused, as in torch)"
            )
        if self.ndim == 0:
            if idx.size != 1:
                raise OpError(
                    f"index_select(): a 0-d tensor takes one index, got {idx.size} ({idx.tolist()})"
                )
            return self.clone()
        return self[_along(d, idx)]

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """``value`` where the bool ``mask`` holds, else this tensor (``torch.masked_fill``);
        the mask broadcasts. ``value``, a number or a 0-d tensor, takes this tensor's dtype (2.7
        fills an int tensor with 2, as in torch); a value that requires grad gets the sum of g
        over the filled positions, this tensor g elsewhere."""
        m = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise TypeError(
                f"masked_fill(): mask must be a bool tensor, got dtype {m.dtype} (shape {m.shape})"
            )
        try:
            np.broadcast_shapes(m.shape, self.shape)
        except ValueError:
            raise OpError(
                f"masked_fill(): mask of shape {m.shape} does not broadcast with the tensor's "
                f"shape {self.shape}"
            ) from None
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise OpError(
                    f"masked_fill(): value must be a number or a 0-d tensor, got a tensor of "
                    f"shape {value.shape}"
                )
            if self.dtype.kind in "iu":  # a cast would wrap around, as for a number below
                _number_fits(value.item(), self.dtype, f"masked_fill(): value {value.item()!r}")
            v = value if value.dtype == self.dtype else value.to(self.dtype)
        elif isinstance(value, (bool, int, float, np.number, np.bool_)):
            _number_fits(value, self.dtype, f"masked_fill(): value {value!r}")
            v = Tensor._make(np.asarray(value).astype(self.dtype))
        else:
            raise TypeError(
                f"masked_fill(): value must be a number or a 0-d tensor, got {type(value).__name__}"
            )
        return where(Tensor._make(m), v, self)

    def multinomial(
        self,
        num_samples: int,
        replacement: bool = False,
        *,
        generator: GeneratorLike = None,
    ) -> Tensor:
        """``torch.multinomial`` on this tensor of weights: see ``multinomial``."""
        return multinomial(self, num_samples, replacement, generator=generator)

    def to(self, *args: Any, dtype: DTypeLike = None, device: DeviceLike = None) -> Tensor:
        """This tensor in ``dtype`` (itself if already so) (``torch.Tensor.to``).

        torch's spellings are accepted: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
        ``to(other)`` (other's dtype) and the keywords; the only device is the CPU.
        """
        if len(args) == 1 and dtype is None and device is None and not _is_device(args[0]):
            target = args[0].dtype if isinstance(args[0], Tensor) else args[0]  # the usual call
        else:
            target = _device_and_dtype(args, dtype, device, "to()")
            if target is None:
                return self
        d = _check_dtype(target, "to")
        return self if d == self.dtype else _apply(_CAST, self, dtype=d)

    def cpu(self) -> Tensor:
        """Itself: tensors live in numpy arrays, on the CPU (``torch.Tensor.cpu``)."""
        return self

    @property
    def device(self) -> _device.device:
        """``device(type='cpu')``, where every tensor lives (``torch.Tensor.device``)."""
        return _device.CPU

    @property
    def is_cuda(self) -> bool:
        """False: no tensor is on a GPU here (``torch.Tensor.is_cuda``)."""
        return False

    @property
    def is_cpu(self) -> bool:
        """True: every tensor lives on the CPU here (``torch.Tensor.is_cpu``)."""
        return True

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Refused: tinygrad_ed computes with numpy on the CPU (``torch.Tensor.cuda``)."""
        raise RuntimeError(_NO_DEVICE.format(op="cuda()", device="'cuda'"))

    def xpu(self, *args: Any, **kwargs: Any) -> Tensor:
        """Refused, as ``cuda()`` (``torch.Tensor.xpu``)."""
        raise RuntimeError(_NO_DEVICE.format(op="xpu()", device="'xpu'"))

    def ipu(self, *args: Any, **kwargs: Any) -> Tensor:
        """Refused, as ``cuda()`` (``torch.Tensor.ipu``)."""
        raise RuntimeError(_NO_DEVICE.format(op="ipu()", device="'ipu'"))

    def mtia(self, *args: Any, **kwargs: Any) -> Tensor:
        """Refused, as ``cuda()`` (``torch.Tensor.mtia``)."""
        raise RuntimeError(_NO_DEVICE.format(op="mtia()", device="'mtia'"))

    def get_device(self) -> int:
        """-1, torch's device ordinal of a CPU tensor (``torch.Tensor.get_device``)."""
        return -1

    @property
    def layout(self) -> _layout.layout:
        """``tg.strided``: every tensor is a strided numpy array (``torch.Tensor.layout``)."""
        return _layout.strided

    def is_pinned(self, device: DeviceLike = None) -> bool:
        """False: no memory is pinned, there being no accelerator (``torch.Tensor.is_pinned``)."""
        return False

    def pin_memory(self, device: DeviceLike = None) -> Tensor:
        """Refused as torch refuses it without an accelerator (``torch.Tensor.pin_memory``):
        pinned memory is for copies to a GPU."""
        raise RuntimeError("pin_memory(): Cannot access accelerator device when none is available.")

    def share_memory_(self) -> Tensor:
        """Itself, marked as shared (``torch.Tensor.share_memory_``, which moves the storage to
        shared memory for other processes). Here the memory is the process's numpy array; the
        mark only makes ``is_shared()`` answer as torch's after the call."""
        return _more.share_memory_(self)

    def is_shared(self) -> bool:
        """Whether ``share_memory_()`` was called on this tensor's memory (through it or a view
        of the same base) (``torch.Tensor.is_shared``)."""
        return _more.is_shared(self)

    def is_set_to(self, tensor: Tensor) -> bool:
        """Whether both tensors show the same memory with the same offset, sizes and strides
        (``torch.Tensor.is_set_to``): True for ``x[:]`` and ``x.detach()``, False for a clone
        or ``x.view(-1)`` of a matrix."""
        return _more.is_set_to(self, tensor)

    def to_dense(self, dtype: DTypeLike = None, *, masked_grad: bool | None = None) -> Tensor:
        """Itself, already dense (``torch.Tensor.to_dense``); in ``dtype`` if given, as
        ``to(dtype)``."""
        return self if dtype is None else self.to(dtype)

    def const_data_ptr(self) -> int:
        """``data_ptr()`` (``torch.Tensor.const_data_ptr``, the address for reading)."""
        return _more.data_ptr(self)

    def is_coalesced(self) -> bool:
        """Refused, as torch refuses it for a strided tensor (``torch.Tensor.is_coalesced``:
        a question about sparse tensors)."""
        raise RuntimeError("is_coalesced expected sparse coordinate tensor layout but got Strided")

    def is_distributed(self) -> bool:
        """False (``torch.Tensor.is_distributed``)."""
        return False

    def apply_(self, callable: Callable[[Any], Any]) -> Tensor:
        """Each element replaced by ``callable(element)``, a Python number, in place
        (``torch.Tensor.apply_``; slow: one Python call per element). The result is cast to
        this tensor's dtype (1.7 into an int tensor is 1); refused on a tensor that requires
        grad, as torch's (use ``x.detach().apply_(f)``)."""
        return _more.apply_(self, callable)

    def map_(self, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:
        """Each element replaced by ``callable(element, other)``, with ``tensor`` broadcast to
        this shape and of this dtype, in place (``torch.Tensor.map_``); as ``apply_``."""
        return _more.map_(self, callable, (tensor,), "map_")

    def map2_(self, x: Tensor, y: Tensor, callable: Callable[[Any, Any, Any], Any]) -> Tensor:
        """Each element replaced by ``callable(element, x's, y's)`` (``torch.Tensor.map2_``);
        as ``map_``."""
        return _more.map_(self, callable, (x, y), "map2_")

    def _real(self) -> Tensor:
        """Itself if floating, else in the default float dtype: the promotion torch applies for
        exp, log, sqrt, sigmoid, tanh, logsumexp and true division of integer tensors."""
        return self if self.data.dtype.kind in "fc" else self.to(_default_dtype)

    def _need_float(self, op: str) -> None:
        """Refuse an integer tensor where torch does (softmax, mean, var): no silent promotion."""
        if self.data.dtype.kind not in "fc":
            raise TypeError(
                f"{op}(): expected a floating point tensor, got dtype {self.dtype} "
                f"(shape {self.shape}); convert it with .float()"
            )

    def is_floating_point(self) -> bool:
        """Whether the dtype is a float (``torch.Tensor.is_floating_point``)."""
        return self.data.dtype.kind == "f"

    # The casts of torch.Tensor; only those to a float dtype keep the graph.
    def float(self) -> Tensor:
        """``to(float32)`` (``torch.Tensor.float``)."""
        return self.to(np.float32)

    def double(self) -> Tensor:
        """``to(float64)`` (``torch.Tensor.double``)."""
        return self.to(np.float64)

    def cdouble(self) -> Tensor:
        """``to(complex128)`` (``torch.Tensor.cdouble``)."""
        return self.to(np.complex128)

    def cfloat(self) -> Tensor:
        """``to(complex64)`` (``torch.Tensor.cfloat``)."""
        return self.to(np.complex64)

    def half(self) -> Tensor:
        """``to(float16)`` (``torch.Tensor.half``)."""
        return self.to(np.float16)

    def long(self) -> Tensor:
        """``to(int64)`` (``torch.Tensor.long``)."""
        return self.to(np.int64)

    def byte(self) -> Tensor:
        """``to(uint8)`` (``torch.Tensor.byte``)."""
        return self.to(np.uint8)

    def char(self) -> Tensor:
        """``to(int8)`` (``torch.Tensor.char``)."""
        return self.to(np.int8)

    def short(self) -> Tensor:
        """``to(int16)`` (``torch.Tensor.short``)."""
        return self.to(np.int16)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in ``other``'s dtype, itself if it has it already
        (``torch.Tensor.type_as``); a cast keeps the graph as ``to`` does."""
        _expect_tensor(other, "type_as", "other")
        return self.to(other.dtype)

    # New tensors that take this one's dtype (``torch.Tensor.new_*``): data, not graph.

    def new_zeros(
        self,
        *shape: Any,
        size: Any = None,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """Zeros of ``size`` (ints, or one sequence) in this tensor's dtype unless ``dtype``
        is given (``torch.Tensor.new_zeros``)."""
        t = self._new_filled("new_zeros", 0, shape, size, dtype, device)
        return t._require_grad("new_zeros") if requires_grad else t

    def new_ones(
        self,
        *shape: Any,
        size: Any = None,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """Ones of ``size`` in this tensor's dtype unless ``dtype`` is given
        (``torch.Tensor.new_ones``)."""
        t = self._new_filled("new_ones", 1, shape, size, dtype, device)
        return t._require_grad("new_ones") if requires_grad else t

    def new_empty(
        self,
        *shape: Any,
        size: Any = None,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """A tensor of ``size`` in this tensor's dtype unless ``dtype`` is given
        (``torch.Tensor.new_empty``). Its values are unspecified in torch; here they are 0."""
        t = self._new_filled("new_empty", 0, shape, size, dtype, device)
        return t._require_grad("new_empty") if requires_grad else t

    def new_full(
        self,
        size: Sequence[int],
        fill_value: Any,
        *,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """``fill_value`` (a number or a 0-d tensor) in every entry of ``size``, in this tensor's
        dtype unless ``dtype`` is given (``torch.Tensor.new_full``)."""
        _check_device(device, "new_full()")
        if isinstance(fill_value, Tensor) and fill_value.ndim == 0:
            fill_value = fill_value.item()
        d = self.dtype if dtype is None else dtype
        return _full(size, fill_value, d, requires_grad, "new_full")

    def new_tensor(
        self,
        data: Any,
        *,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """A copy of ``data`` in this tensor's dtype unless ``dtype`` is given
        (``torch.Tensor.new_tensor``: [1.5] becomes 1 for an integer tensor). A tensor's data
        is copied without its graph, with torch's warning to use ``detach().clone()``."""
        _check_device(device, "new_tensor()")
        if isinstance(data, Tensor):
            warn(
                "new_tensor(): to copy a tensor, x.detach().clone() (or "
                ".requires_grad_(True) after it) is recommended, as torch says",
                UserWarning,
            )
        d = _check_dtype(self.dtype if dtype is None else dtype, "new_tensor")
        t = Tensor._make(_as_array(data, d, infer=True, what="new_tensor"))
        return t._require_grad("new_tensor") if requires_grad else t

    def new(self, *args: Any, device: DeviceLike = None) -> Tensor:
        """torch's legacy constructor: ``new()``, ``new(*size)``, ``new(data)``, ``new(other)``
        in this tensor's dtype (``torch.Tensor.new``; see ``_methods_more.new``)."""
        return _more.new(self, *args, device=device)

    def _new_filled(
        self, op: str, value: int, shape: tuple[Any, ...], size: Any, dtype: DTypeLike, device: Any
    ) -> Tensor:
        """``value`` in a new tensor for ``new_zeros``, ``new_ones`` and ``new_empty``."""
        _check_device(device, f"{op}()")
        d = _check_dtype(self.dtype if dtype is None else dtype, op)
        return Tensor._make(np.full(_size(shape, op, size), value, dtype=d))

    # ------------------------------------------------------------------ reductions

    def _sum_dims(self, dims: tuple[int, ...], keepdim: bool) -> Tensor:
        """The sum op over ``dims``, already sorted and non-negative: ``sum_to``'s call, made in
        every backward that undoes a broadcast (a bias), without ``sum``'s argument checks."""
        return _apply(_SUM, self, dim=dims, keepdim=keepdim)

    def sum(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike = None,
    ) -> Tensor:
        """Σ over ``dim`` (all dims if None) (``torch.sum``); x̄ = g broadcast back. ``dtype``
        casts the input first, and the sum is in ``dtype`` (a bool sum is any(), a uint8 one
        wraps around, as torch's)."""
        if dtype is not None:
            return _in_dtype(self.to(_check_dtype(dtype, "sum")).sum(dim, keepdim), dtype)
        if type(keepdim) is not bool:  # checked inline: sum_to calls this in every backward
            _check_keepdim(keepdim, "sum")
        return _apply(_SUM, self, dim=self._dims(dim, "sum"), keepdim=keepdim)

    def prod(
        self, dim: int | None = None, keepdim: bool = False, *, dtype: DTypeLike = None
    ) -> Tensor:
        """Π over one ``dim``, or over every element if None (``torch.prod``); integers and
        bools give int64, ``dtype`` casts first. x̄ⱼ = g·Π_{k≠j} x_k: g·out/xⱼ without zeros;
        at one zero the product of the others, at two or more 0, as torch."""
        _check_keepdim(keepdim, "prod")
        x = self if dtype is None else self.to(_check_dtype(dtype, "prod"))
        if dim is None:
            if keepdim:
                raise TypeError(
                    "prod(): keepdim=True needs a dim, as in torch (the full prod() takes no "
                    "keepdim); use prod(dim, keepdim=True)"
                )
            return _in_dtype(_apply(_PROD, x, dim=tuple(range(x.ndim)), keepdim=False), dtype)
        d = x._dim(dim, "prod")  # one int, as torch's prod: a tuple of dims is refused
        return _in_dtype(_apply(_PROD, x, dim=(d,) if x.ndim else (), keepdim=keepdim), dtype)

    def mean(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike = None,
    ) -> Tensor:
        """Σ x / N over ``dim`` (``torch.mean``); x̄ = g / N broadcast back. nan over no
        elements, as torch. ``dtype`` (a float dtype) casts the input first: an integer
        tensor's mean needs it."""
        if dtype is not None:
            return self.to(_check_dtype(dtype, "mean")).mean(dim, keepdim)
        self._need_float("mean")
        if type(keepdim) is not bool:  # checked inline: hot
            _check_keepdim(keepdim, "mean")
        return _apply(_MEAN, self, dim=self._dims(dim, "mean"), keepdim=keepdim)

    def var(
        self,
        dim: int | Sequence[int] | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
    ) -> Tensor:
        """Σ (x − mean)² / (N − correction) over ``dim`` (``torch.var``; Bessel by default).

        ``unbiased`` is torch's older spelling of the correction: True is 1, False is 0; as in
        torch it may be passed by position, ``x.var(dim, unbiased, keepdim)``.
        """
        return self._var(dim, _correction(unbiased, correction, "var"), keepdim, "var")

    def _var(self, dim: Any, correction: Scalar, keepdim: Any, op: str) -> Tensor:
        """``var`` for var, std, var_mean and std_mean; errors and the warning name ``op``."""
        _check_keepdim(keepdim, op)
        self._need_float(op)
        dims = self._dims(dim, op)
        count = int(np.prod([self.shape[d] for d in dims]))
        dev = self - self.mean(dims, keepdim=True)
        dof = count - correction
        if dof <= 0:
            warn(
                f"{op}(): degrees of freedom is <= 0 ({count} elements, correction "
                f"{correction}) for shape {self.shape}",
                RuntimeWarning,
            )
        if not count:  # nothing to vary: nan whatever the correction (as torch), added as in mean()
            return (dev * dev).sum(dims, keepdim) + float("nan")
        if dof <= 0:  # torch divides by zero: nan where every x is equal, else inf
            with np.errstate(invalid="ignore"):  # 0·inf = nan is the answer, as in torch
                return (dev * dev).sum(dims, keepdim) * float("inf")
        return (dev * dev).sum(dims, keepdim) * (1.0 / dof)

    def std(
        self,
        dim: int | Sequence[int] | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
    ) -> Tensor:
        """√var with the same arguments (``torch.std``).

        Where the variance is 0 the gradient is 0, as torch's: √'s rule alone gives
        g / (2·0) = ∞, and var's rule multiplies it by x − mean = 0, which is nan. So √ is taken of
        a stand-in 1 there, whose gradient is 0 because its branch of ``where`` is not chosen.
        A nan variance (one element with correction 1, or nan data) stays nan.
        """
        return self._std(dim, _correction(unbiased, correction, "std"), keepdim, "std")

    def _std(self, dim: Any, correction: Scalar, keepdim: Any, op: str) -> Tensor:
        """``std`` for std and std_mean; errors name ``op``."""
        return _root(self._var(dim, correction, keepdim, op), 2)

    def norm(
        self,
        p: Scalar | str = "fro",
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        dtype: DTypeLike = None,
    ) -> Tensor:
        """The vector p-norm ‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p) over ``dim``, every element if None
        (``torch.norm``, ``torch.linalg.vector_norm``): 'fro' is p = 2, p = ∞ is max |xᵢ|,
        p = −∞ min |xᵢ|, p = 0 counts the nonzero elements; 'nuc' is ``linalg.matrix_norm``'s
        nuclear norm over the two dims in ``dim`` (every dim if None: a matrix).

        x̄ = g·sign(x)·|x|ᵖ⁻¹ / ‖x‖ᵖ⁻¹, so x/‖x‖ for p = 2; at x = 0 it is 0, as torch's (the
        rule would give 0/0), by the same stand-in as ``std``. Ties of ∞-norm share evenly.
        ``dtype``, a float dtype no narrower than the input's, is the one computed in.
        """
        self._need_float("norm")
        if dtype is not None:
            return self.to(_norm_dtype(self, dtype)).norm(p, dim, keepdim)
        _check_keepdim(keepdim, "norm")
        if isinstance(p, str) and p == "fro":  # not p == "fro": a Tensor p would compare
            p = 2.0
        if isinstance(p, str) and p == "nuc":  # torch.norm: the matrix norm over 2 dims
            from ._linalg_solve import matrix_norm

            # an int or a tuple of other than two dims: matrix_norm names the bad dim
            pair: Any = tuple(range(self.ndim)) if dim is None else dim
            if not isinstance(pair, int):
                pair = tuple(pair)
            return matrix_norm(self, "nuc", pair, keepdim)
        if isinstance(p, str) or type(p) is bool or not isinstance(p, (int, float, np.number)):
            raise ValueError(f"norm(): p must be a number or 'fro' (vector norms only), got {p!r}")
        p = float(p)
        dims = self._dims(dim, "norm")  # checked here, so an error names norm()
        if p in (math.inf, -math.inf):
            self._nonempty("norm", dims, named=False)
            a = self.abs()
            return a.amax(dims, keepdim) if p > 0 else a.amin(dims, keepdim)
        if p == 0:  # a count: piecewise constant, so torch's zero gradient
            count = (self != 0).to(self.dtype).sum(dims, keepdim)
            return (self.sum(dims, keepdim) * 0.0)._piecewise_constant(count.data)
        if p == 1:
            return self.abs().sum(dims, keepdim)
        if p == 2:
            return _root((self * self).sum(dims, keepdim), 2, product=True)
        a = self.abs()
        zero = a.data == 0
        if p > 1 or not zero.any():  # p > 1: |x|ᵖ's rule at a zero is g·0, as torch's
            # (and torch's gradient of a slice of zeros 0, as for p = 2 it is g·0)
            return _root((a**p).sum(dims, keepdim), p)
        # |x|ᵖ's rule is ∞·0 at a zero (p < 1): a stand-in 1 there, as in _root. For p < 0 a
        # zero makes Σ|x|ᵖ infinite and the norm 0, with torch's gradient 0 on the whole slice.
        # The branches taken at zeros are products by 0, not constants: torch's gradient there
        # is g·0, nan for a nan or infinite g (a constant's would be 0).
        powers = where(zero, 1.0, a) ** p
        if p > 0:
            return _root(where(zero, a * 0.0, powers).sum(dims, keepdim), p, product=True)
        hit = np.any(zero, axis=dims, keepdims=bool(keepdim))
        return where(hit, a.sum(dims, keepdim) * 0.0, _root(powers.sum(dims, keepdim), p))

    def amax(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """max over ``dim`` (``torch.amax``); tied maxima share the gradient evenly."""
        _check_keepdim(keepdim, "amax")
        dims = self._dims(dim, "amax")
        self._nonempty("amax", dims, named=dim is not None)
        return _apply(_AMAX, self, dim=dims, keepdim=keepdim)

    def amin(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """min over ``dim`` (``torch.amin``); tied minima share the gradient evenly."""
        _check_keepdim(keepdim, "amin")
        dims = self._dims(dim, "amin")
        self._nonempty("amin", dims, named=dim is not None)
        return _apply(_AMIN, self, dim=dims, keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """Full ``max()`` (ties share the gradient) or ``(values, indices)`` along ``dim``.

        As in torch, ``keepdim=True`` needs a dim; ``amax(keepdim=True)`` keeps every dim.
        """
        _check_keepdim(keepdim, "max")
        if dim is None:
            if keepdim:
                raise TypeError(_NO_KEEPDIM.format(op="max", alt="amax"))
            return self._full_extreme(_AMAX, "max")
        d = self._dim(dim, "max")
        if self.ndim == 0:  # a 0-d tensor is its own max along dim 0, at index 0
            return _MinMax(*(t.reshape(()) for t in self.reshape(1).max(0)))
        self._nonempty("max", (d,))
        values = _apply(_MAX_DIM, self, dim=d, keepdim=keepdim)
        return _MinMax(values, self.argmax(d, keepdim))

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """Full ``min()`` (ties share the gradient) or ``(values, indices)`` along ``dim``.

        As in torch, ``keepdim=True`` needs a dim; ``amin(keepdim=True)`` keeps every dim.
        """
        _check_keepdim(keepdim, "min")
        if dim is None:
            if keepdim:
                raise TypeError(_NO_KEEPDIM.format(op="min", alt="amin"))
            return self._full_extreme(_AMIN, "min")
        d = self._dim(dim, "min")
        if self.ndim == 0:
            return _MinMax(*(t.reshape(()) for t in self.reshape(1).min(0)))
        self._nonempty("min", (d,))
        values = _apply(_MIN_DIM, self, dim=d, keepdim=keepdim)
        return _MinMax(values, self.argmin(d, keepdim))

    def _full_extreme(self, op: OpDef, name: str) -> Tensor:
        """The full ``max()``/``min()``: amax/amin's value, with torch's rule for it (the op's
        ``evenly`` rule): ties share g, a nan result is shared by the nan entries, and the
        other entries get 0 whatever g is."""
        dims = self._dims(None, name)
        self._nonempty(name, dims, named=False)
        return _apply(op, self, dim=dims, keepdim=False, evenly=True)

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the max, over the flattened tensor if ``dim`` is None (int64, no grad);
        ``keepdim`` then gives it shape (1, …, 1), as torch."""
        _check_keepdim(keepdim, "argmax")
        if dim is None:
            self._nonempty("argmax", tuple(range(self.ndim)))
            flat = np.asarray(self.data.argmax(), dtype=np.int64)
            return Tensor._make(flat.reshape((1,) * self.ndim) if keepdim else flat)
        d = self._dim(dim, "argmax")
        self._nonempty("argmax", (d,))
        return Tensor._make(self.data.argmax(axis=d, keepdims=keepdim).astype(np.int64))

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the min, over the flattened tensor if ``dim`` is None (int64, no grad);
        ``keepdim`` then gives it shape (1, …, 1), as torch."""
        _check_keepdim(keepdim, "argmin")
        if dim is None:
            self._nonempty("argmin", tuple(range(self.ndim)))
            flat = np.asarray(self.data.argmin(), dtype=np.int64)
            return Tensor._make(flat.reshape((1,) * self.ndim) if keepdim else flat)
        d = self._dim(dim, "argmin")
        self._nonempty("argmin", (d,))
        return Tensor._make(self.data.argmin(axis=d, keepdims=keepdim).astype(np.int64))

    def _nonempty(self, op: str, dims: tuple[int, ...], named: bool = True) -> None:
        """Refuse a max or min over an empty dim (it has no value); other dims may be empty.
        As torch: an IndexError where the dims were named, an OpError over the whole tensor."""
        if self.data.size == 0 and (not dims or any(self.shape[d] == 0 for d in dims)):
            message = f"{op}(): cannot reduce over an empty dim: shape {self.shape}, dims {dims}"
            raise IndexError(message) if named else OpError(message)

    def all(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Whether every element (along ``dim``) is nonzero (``torch.all``): bool (uint8 for
        uint8, as torch), no grad. ``dim=()`` reduces nothing, as in torch."""
        return self._logical(np.logical_and, "all", dim, keepdim)

    def any(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Whether some element (along ``dim``) is nonzero (``torch.any``): bool (uint8 for
        uint8, as torch), no grad. ``dim=()`` reduces nothing, as in torch."""
        return self._logical(np.logical_or, "any", dim, keepdim)

    def _logical(
        self, fn: np.ufunc, op: str, dim: int | Sequence[int] | None, keepdim: bool
    ) -> Tensor:
        _check_keepdim(keepdim, op)
        dims = tuple(range(self.ndim)) if dim is None else self._dims(dim, op, reduce=False)
        truth = self.data.astype(bool, copy=False)  # nan is nonzero, so true
        out = np.asarray(fn.reduce(truth, axis=dims, keepdims=keepdim))
        return Tensor._make(out.astype(np.uint8) if self.dtype == np.uint8 else out)

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> _AminMax:
        """``(min, max)`` over every element, or along one ``dim`` (``torch.aminmax``): amin
        and amax in one call, so x̄ = ḡ_min·[x = min]/#ties + ḡ_max·[x = max]/#ties, tied
        extremes sharing evenly, as torch's."""
        _check_keepdim(keepdim, "aminmax")
        if dim is None:
            if self.data.size == 0:
                raise OpError(
                    f"aminmax(): cannot compute aminmax of an empty tensor (shape {self.shape}): "
                    "the operation has no identity"
                )
            dims = tuple(range(self.ndim))
        else:
            d = self._dim(dim, "aminmax")
            if self.ndim and self.shape[d] == 0:
                raise IndexError(
                    f"aminmax(): expected reduction dim {d} to have non-zero size (shape "
                    f"{self.shape})"
                )
            dims = (d,) if self.ndim else ()
        return _AminMax(
            _apply(_AMIN, self, dim=dims, keepdim=keepdim),
            _apply(_AMAX, self, dim=dims, keepdim=keepdim),
        )

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The lower median, the ⌊(n − 1)/2⌋-th smallest value (``torch.median``): over every
        element, or ``(values, indices)`` along ``dim``; a nan makes it nan (along ``dim`` at
        the first nan's index).

        Over every element, x̄ = g·[x = out]/#ties (the nan entries share it if out is nan),
        as torch. Along ``dim``, x̄ = g at the returned index and 0 elsewhere; the index is the
        value's position in a stable sort (torch's choice among ties in every case checked).
        """
        _check_keepdim(keepdim, "median")
        if dim is None:
            if keepdim:
                raise TypeError(
                    "median(): keepdim=True needs a dim, as in torch; use median(dim, keepdim=True)"
                )
            return self._median_all("median", skip_nan=False)
        return self._median_along(dim, keepdim, "median", skip_nan=False)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """``median`` of the values that are not nan (``torch.nanmedian``): nan only where every
        value is; its gradient rules are median's."""
        _check_keepdim(keepdim, "nanmedian")
        if dim is None:
            if keepdim:
                raise TypeError(
                    "nanmedian(): keepdim=True needs a dim, as in torch; use "
                    "nanmedian(dim, keepdim=True)"
                )
            return self._median_all("nanmedian", skip_nan=True)
        return self._median_along(dim, keepdim, "nanmedian", skip_nan=True)

    def _median_all(self, op: str, *, skip_nan: bool) -> Tensor:
        a = self.data
        if a.dtype == np.bool_:
            raise TypeError(f"{op}(): not implemented for bool tensors, as in torch")
        flat = a.reshape(-1)
        nan = np.isnan(flat) if a.dtype.kind == "f" else np.zeros(flat.shape, dtype=bool)
        values = flat[~nan] if skip_nan else flat
        if flat.size == 0:
            if a.dtype.kind != "f":
                raise OpError(f"{op}(): an empty {a.dtype} tensor has no median")
            return self.sum() + float("nan")  # torch's nan, like mean() of nothing
        if values.size == 0 or (nan.any() and not skip_nan):  # nan: shared by the nan entries
            picked = self.reshape(-1)[np.flatnonzero(nan)]
            return picked.sum() * (1.0 / picked.numel())
        value = np.sort(values)[(values.size - 1) // 2]
        # amax of the entries equal to the median is exactly it, and shares g among them
        return self.reshape(-1)[np.flatnonzero(flat == value)].amax()

    def _median_along(self, dim: int, keepdim: bool, op: str, *, skip_nan: bool) -> _Median:
        d = self._dim(dim, op)
        a = self.data
        if a.dtype == np.bool_:
            raise TypeError(f"{op}(): not implemented for bool tensors, as in torch")
        if self.ndim == 0:
            return _Median(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        n = self.shape[d]
        if n == 0:
            raise IndexError(
                f"{op}(): expected reduction dim {d} to have non-zero size (shape {self.shape})"
            )
        order = _stable_order(a, d, False)  # nan sorts last
        nan = np.isnan(a) if a.dtype.kind == "f" else np.zeros(a.shape, dtype=bool)
        if skip_nan:
            count = n - np.add.reduce(nan, axis=d, keepdims=True)
            k = np.maximum(count - 1, 0) // 2  # every value nan: the first of them
        else:
            k = np.full(tuple(1 if i == d else s for i, s in enumerate(a.shape)), (n - 1) // 2)
        index = np.take_along_axis(order, k, axis=d)
        if not skip_nan and nan.any():  # nan wins, at its first index, as torch
            first_nan = np.argmax(nan, axis=d, keepdims=True)
            index = np.where(np.logical_or.reduce(nan, axis=d, keepdims=True), first_nan, index)
        values = self.gather(d, index)
        if not keepdim:
            values, index = values.squeeze(d), index.squeeze(d)
        return _Median(values, Tensor._make(np.asarray(index, dtype=np.int64)))

    def nansum(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike = None,
    ) -> Tensor:
        """Σ over ``dim`` with nan counted as 0 (``torch.nansum``; ``dtype`` casts first);
        x̄ = g where x is not nan, 0 where it is (a ``where``), as torch."""
        _check_keepdim(keepdim, "nansum")
        x = self if dtype is None else self.to(_check_dtype(dtype, "nansum"))
        dims = x._dims(dim, "nansum")
        if x.data.dtype.kind in "fc":
            nan = np.isnan(x.data)
            if nan.any():
                x = x._keep(~nan)
        return _in_dtype(x.sum(dims, keepdim), dtype)

    def nanmean(
        self,
        dim: int | Sequence[int] | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike = None,
    ) -> Tensor:
        """The mean over ``dim`` of the values that are not nan (``torch.nanmean``: nan where
        all are); ``nansum`` divided by their count, so x̄ = g / count where x is not nan and
        0 where it is."""
        _check_keepdim(keepdim, "nanmean")
        x = self if dtype is None else self.to(_check_dtype(dtype, "nanmean"))
        x._need_float("nanmean")
        dims = x._dims(dim, "nanmean")
        kept = ~np.isnan(x.data)
        count = np.count_nonzero(kept, axis=dims, keepdims=keepdim)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0: nan, as torch
            return x._keep(kept).sum(dims, keepdim) / Tensor._make(count.astype(x.dtype))

    def count_nonzero(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """The number of nonzero entries (nan counts) over ``dim``, every dim if None
        (``torch.count_nonzero``), as int64; no grad."""
        dims = self._dims(dim, "count_nonzero")
        nonzero = np.asarray(self.data != 0)
        return Tensor._make(np.asarray(np.add.reduce(nonzero, axis=dims), dtype=np.int64))

    def hash_tensor(
        self, dim: int | Sequence[int] | None = None, *, keepdim: bool = False, mode: int = 0
    ) -> Tensor:
        """The xor of the elements' bits over ``dim`` (every dim if None), as uint64
        (``torch.hash_tensor``, whose one mode is 0): each element is upcast to float64 (a
        float) or int64 (an integer or bool) and read as 64 bits. Equal tensors hash equal,
        whatever their float dtype; no grad."""
        if mode != 0:
            raise RuntimeError(f"hash_tensor(): Unknown hash_tensor mode: {mode}")
        _check_keepdim(keepdim, "hash_tensor")
        d = self.data.dtype
        if d.kind == "c" or (d.kind == "u" and d.itemsize > 1):  # torch's xor_sum has none
            raise NotImplementedError(
                f'hash_tensor(): "xor_sum_cpu" not implemented for dtype {d} (tensor of shape '
                f"{self.shape})"
            )
        dims = self._dims(dim, "hash_tensor")
        if not self.data.size:
            if dim is None:
                raise RuntimeError(
                    "hash_tensor(): Expected reduction dim to be specified for input.numel() == "
                    f"0 (shape {self.shape}). Specify the reduction dim with the 'dim' argument."
                )
            empty = next((k for k in dims if self.shape[k] == 0), None)
            if empty is not None:
                raise IndexError(
                    f"hash_tensor(): Expected reduction dim {empty} to have non-zero size "
                    f"(shape {self.shape})."
                )
        bits = self.data.astype(np.float64 if d.kind == "f" else np.int64).view(np.uint64)
        xor: np.ufunc = np.bitwise_xor
        out = xor.reduce(bits, axis=dims, keepdims=keepdim)
        return Tensor._make(np.asarray(out, dtype=np.uint64))

    def logsumexp(self, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
        """log Σ eˣ over ``dim``, computed as m + log Σ e^(x−m) with m = max x.

        The shift keeps every exponent ≤ 0 (finite for logits of magnitude 1e4). m is detached:
        ∂/∂m of m + log Σ e^(x−m) is 1 − 1 = 0, so the gradient, softmax(x), is unchanged.
        """
        _check_keepdim(keepdim, "logsumexp")
        if self.data.dtype.kind not in "fc":
            return self._real().logsumexp(dim, keepdim)
        dims = self._dims(dim, "logsumexp")
        if self.data.size == 0:
            # No max to shift by. The log of an empty sum is -inf, added as in mean(): log's
            # rule g/0 would give the gradient with respect to g as ∞·0 = nan (torch's is 0).
            return self.sum(dims, keepdim) + float("-inf")
        shift = self.detach().amax(dims, keepdim=True).data
        if not np.isfinite(shift).all():
            # A row whose max is ±inf: shift by its largest finite entry instead (0 if none),
            # so that e^(x−m) of a large finite entry beside +inf does not overflow to inf/inf.
            finite = np.where(np.isfinite(self.data), self.data, -np.inf)
            fmax = np.maximum.reduce(finite, axis=dims, keepdims=True)
            shift = np.where(np.isfinite(shift), shift, np.where(np.isfinite(fmax), fmax, 0))
        m = Tensor._make(np.asarray(shift, dtype=self.dtype))
        out = (self - m).exp().sum(dims, keepdim=True).log() + m
        return (
            out
            if keepdim
            else out.reshape(tuple(s for i, s in enumerate(out.shape) if i not in dims))
        )

    def softmax(self, dim: int, dtype: DTypeLike = None) -> Tensor:
        """pₖ = e^{xₖ} / Σⱼ e^{xⱼ} along ``dim`` (``torch.softmax``); x̄ = out·(g − Σ g·out).
        ``dtype`` casts the input first."""
        if dtype is not None:
            return self.to(_check_dtype(dtype, "softmax")).softmax(dim)
        if self.data.dtype.kind not in "fc":
            self._need_float("softmax")
        return _apply(_SOFTMAX, self, dim=self._dim(dim, "softmax"))

    def log_softmax(self, dim: int, dtype: DTypeLike = None) -> Tensor:
        """x − log Σ eˣ along ``dim`` (``torch.log_softmax``); x̄ = g − softmax(x)·Σ g.
        ``dtype`` casts the input first."""
        if dtype is not None:
            return self.to(_check_dtype(dtype, "log_softmax")).log_softmax(dim)
        if self.data.dtype.kind not in "fc":
            self._need_float("log_softmax")
        return _apply(_LOG_SOFTMAX, self, dim=self._dim(dim, "log_softmax"))

    # ------------------------------------------------------------------ scans and sorting

    def cumsum(self, dim: int, *, dtype: DTypeLike = None) -> Tensor:
        """Running sums along ``dim``, out_i = Σ_{k≤i} x_k (``torch.cumsum``): integers and
        bools give int64, ``dtype`` casts first. x̄ⱼ = Σ_{i≥j} gᵢ."""
        x = self if dtype is None else self.to(_check_dtype(dtype, "cumsum"))
        return _apply(_CUMSUM, x, dim=x._dim(dim, "cumsum"))

    def cumprod(self, dim: int, *, dtype: DTypeLike = None) -> Tensor:
        """Running products along ``dim``, out_i = Π_{k≤i} x_k (``torch.cumprod``): integers
        and bools give int64, ``dtype`` casts first.

        Composed of products only, by a scan in log₂ n steps (Hillis–Steele: after the step of
        shift s each entry holds the product of the 2s entries ending at it, 2s ≤ n), so the
        gradient is exact at zeros, as torch's, and differentiates again; O(n log n).
        """
        x = self if dtype is None else self.to(_check_dtype(dtype, "cumprod"))
        if x.data.dtype.kind in "biu":
            x = x.to(np.int64)
        d = x._dim(dim, "cumprod")
        n = x.shape[d] if x.ndim else 1
        shift = 1
        while shift < n:
            head = x[_along(d, slice(0, shift))]
            x = cat([head, x[_along(d, slice(shift, None))] * x[_along(d, slice(0, n - shift))]], d)
            shift *= 2
        return x.clone() if x is self else x

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> _Sort:
        """``(values, indices)`` sorted along ``dim`` (``torch.sort``); the values' gradient
        goes back to the entries they came from. nan sorts as the largest value, as in torch.

        Every sort here is stable: equal values keep the order of their indices, which is
        torch's ``stable=True``; torch's default unstable sort may order ties otherwise.
        """
        d = self._dim(dim, "sort")
        if type(descending) is not bool or type(stable) is not bool:
            raise TypeError(
                f"sort(): descending and stable must be bools, got {descending!r} and {stable!r}"
            )
        if self.ndim == 0:
            return _Sort(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        order = _stable_order(self.data, d, descending)
        return _Sort(self.gather(d, order), Tensor._make(order))

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> _TopK:
        """The ``k`` largest (``largest=False``: smallest) entries along ``dim`` and their
        indices, as ``(values, indices)`` (``torch.topk``); the gradient goes back to them.

        The first k of a stable sort: among equal values the lower index comes first, where
        torch's order of ties is unspecified (it may pick other indices, with the same values).
        ``sorted=False`` still gives them sorted, one of the orders torch allows.
        """
        d = self._dim(dim, "topk")
        kk = _int_arg(k, "topk", "k")
        n = self.shape[d] if self.ndim else 1
        if not 0 <= kk <= n:
            raise OpError(
                f"topk(): k = {kk} is out of range: dim {d} of the tensor of shape {self.shape} "
                f"has {n} entries"
            )
        if self.ndim == 0:  # itself at index 0, for k = 1 and (as torch) k = 0
            return _TopK(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        order = _stable_order(self.data, d, largest)[_along(d, slice(0, kk))]
        return _TopK(self.gather(d, order), Tensor._make(order))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        """The indices that sort along ``dim``: ``sort(...).indices`` (``torch.argsort``), int64,
        no grad. Always stable (torch's ``stable=True``); nan sorts as the largest value."""
        d = self._dim(dim, "argsort")
        if type(descending) is not bool or type(stable) is not bool:
            raise TypeError(
                f"argsort(): descending and stable must be bools, got {descending!r} and {stable!r}"
            )
        if self.ndim == 0:
            return Tensor._make(np.zeros((), dtype=np.int64))
        return Tensor._make(_stable_order(self.data, d, descending))

    @overload
    def nonzero(self, *, as_tuple: Literal[False] = ...) -> Tensor: ...
    @overload
    def nonzero(self, *, as_tuple: Literal[True]) -> tuple[Tensor, ...]: ...
    def nonzero(self, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The indices of the nonzero entries (nan counts) in row-major order
        (``torch.nonzero``): an int64 tensor of shape (count, ndim), or with ``as_tuple`` one
        int64 vector per dim (a 0-d tensor counts as one of 1 entry, as torch). No grad."""
        a = self.data
        if as_tuple:
            return tuple(
                Tensor._make(i.astype(np.int64))
                for i in np.nonzero(a.reshape(-1) if a.ndim == 0 else a)
            )
        return Tensor._make(np.argwhere(a).astype(np.int64))

    def nonzero_static(self, *, size: int, fill_value: int = -1) -> Tensor:
        """``nonzero()`` of a fixed shape (size, ndim) (``torch.Tensor.nonzero_static``): the
        first ``size`` indices, rows of ``fill_value`` after the last. No grad."""
        return _more.nonzero_static(self, size=size, fill_value=fill_value)

    def argwhere(self) -> Tensor:
        """The indices of the nonzero entries, shape (count, ndim) (``torch.argwhere``: nonzero)."""
        return Tensor._make(np.argwhere(self.data).astype(np.int64))

    def msort(self) -> Tensor:
        """Sorted along dim 0 (``torch.msort``): ``sort(dim=0).values``, with its gradient."""
        return self.sort(dim=0).values

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim``, that dim removed (``torch.select``): a view;
        x̄ is g at that slice, 0 elsewhere."""
        if self.ndim == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d = self._dim(dim, "select")
        if isinstance(index, Tensor) and index.ndim == 0 and index.data.dtype.kind in "iu":
            index = int(index.data)  # a 0-d integer tensor is an index, as in torch
        if type(index) is bool or not isinstance(index, numbers.Integral):
            raise TypeError(f"select(): index must be an int, got {index!r:.40}")
        i = int(index)
        n = self.shape[d]
        if not -n <= i < n:
            raise IndexError(
                f"select(): index {i} out of range for tensor of size {self.shape} at dimension {d}"
            )
        return self[(slice(None),) * d + (i,)]

    # Complex views of real tensors: every value is its own conjugate and real part. Of a
    # complex tensor (which autograd refuses): numpy's values.
    def conj(self) -> Tensor:
        """Itself: a real tensor is its own conjugate (``torch.Tensor.conj``, which returns
        ``self`` for a real tensor too). Of a complex tensor: the conjugate, as a new tensor
        (torch's is a lazy view, ``is_conj()``; here one resolved at once)."""
        if self.data.dtype.kind == "c":
            return Tensor._make(np.conj(self.data))
        return self

    def resolve_conj(self) -> Tensor:
        """Itself: no tensor here holds a lazy conjugate to resolve."""
        return self

    def resolve_neg(self) -> Tensor:
        """Itself: a real tensor has no lazy negation to resolve."""
        return self

    def is_conj(self) -> bool:
        return False

    def is_neg(self) -> bool:
        return False

    def conj_physical(self) -> Tensor:
        """A copy (``torch.conj_physical``): the conjugate of real values, x̄ = g."""
        if self.data.dtype.kind == "c":
            return Tensor._make(np.conj(self.data))
        return self.clone()

    def conj_physical_(self) -> Tensor:
        if self.data.dtype.kind == "c":
            np.conj(self.data, out=self.data)
            self._mark_changed()
        return self

    @property
    def real(self) -> Tensor:
        """The real part of a real tensor: a view of itself, x̄ = g. Of a complex tensor: a
        view of its real parts (writes go into the tensor, as torch's)."""
        if self.data.dtype.kind == "c":
            return _as_view(Tensor._make(self.data.real), self)
        return self._alias()

    @property
    def imag(self) -> Tensor:
        """A view of a complex tensor's imaginary parts; refused for a real one, as torch."""
        if self.data.dtype.kind == "c":
            return _as_view(Tensor._make(self.data.imag), self)
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")

    def isreal(self) -> Tensor:
        """Where the imaginary part is 0: all True for a real tensor (``torch.isreal``)."""
        if self.data.dtype.kind == "c":
            return Tensor._make(self.data.imag == 0)
        return Tensor._make(np.ones(self.shape, dtype=bool))

    # The rest of torch's methods, in _methods_more.py.
    def frexp(self) -> _more.Frexp:
        return _more.frexp(self)

    def ldexp(self, other: Tensor) -> Tensor:
        return _more.ldexp(self, other)

    def ldexp_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("ldexp_", lambda x: x.ldexp(other), other)

    def nextafter(self, other: Tensor) -> Tensor:
        return _more.nextafter(self, other)

    def nextafter_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("nextafter_", lambda x: x.nextafter(other), other)

    def renorm(self, p: Scalar, dim: int, maxnorm: Scalar) -> Tensor:
        return _more.renorm(self, p, dim, maxnorm)

    def renorm_(self, p: Scalar, dim: int, maxnorm: Scalar) -> Tensor:
        return self._computed_inplace("renorm_", lambda x: x.renorm(p, dim, maxnorm))

    def sum_to_size(self, *size: Any) -> Tensor:
        return _more.sum_to_size(self, *size)

    def narrow_copy(self, dim: int, start: int, length: int) -> Tensor:
        # (torch's docstring says ``dimension``; its binding, which keywords reach, ``dim``)
        return _more.narrow_copy(self, dim, start, length)

    def hardshrink(self, lambd: Scalar = 0.5) -> Tensor:
        return _more.hardshrink(self, lambd)

    def prelu(self, weight: Tensor) -> Tensor:
        return _more.prelu(self, weight)

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        """0/1 draws, 1 with probability given by this tensor's entries (or by ``p``), in
        this tensor's dtype (``torch.Tensor.bernoulli``); a zero gradient, as torch's."""
        out = Tensor._make(np.empty(self.shape, dtype=self.dtype))
        draws = out.bernoulli_(self.detach() if p is None else p, generator=generator)
        return self._piecewise_constant(draws.data)

    def positive(self) -> Tensor:
        """This tensor itself (``torch.positive``), refused for bool as torch does."""
        if self.dtype == np.bool_:
            raise RuntimeError("positive(): the `+` operator, on a bool tensor is not supported.")
        return self

    def vdot(self, other: Tensor) -> Tensor:
        """Σᵢ xᵢ yᵢ of two 1-D tensors (``torch.vdot``; no conjugate to take for real ones)."""
        _expect_tensor(other, "vdot", "other")
        return self.dot(other)

    def fmax(self, other: Any) -> Tensor:
        """The larger of x and y, where a nan loses to a number (``torch.fmax``); x̄ = g where
        x ≥ y or y is nan, ȳ = g elsewhere (torch's rule: a tie goes to x)."""
        y = other if isinstance(other, Tensor) else self._other(other, "fmax")
        return where((self >= y) | y.isnan(), self, y)

    def fmin(self, other: Any) -> Tensor:
        """The smaller of x and y, where a nan loses to a number (``torch.fmin``); x̄ = g where
        x ≤ y or y is nan, ȳ = g elsewhere (a tie goes to x)."""
        y = other if isinstance(other, Tensor) else self._other(other, "fmin")
        return where((self <= y) | y.isnan(), self, y)

    def _truth(self) -> np.ndarray:
        return np.asarray(self.data != 0)  # nonzero, nan included, is true, as torch reads it

    def logical_not(self) -> Tensor:
        """Elementwise not of x ≠ 0, a bool tensor (``torch.logical_not``); no grad."""
        return Tensor._make(np.logical_not(self._truth()))

    def _logical_op(self, other: Any, fn: np.ufunc, op: str) -> Tensor:
        y = other if isinstance(other, Tensor) else self._other(other, op)
        try:
            return Tensor._make(np.asarray(fn(self._truth(), y._truth())))
        except ValueError as e:
            raise OpError(
                f"{op}(): shapes {self.shape} and {y.shape} do not broadcast: {e}"
            ) from None

    def logical_and(self, other: Any) -> Tensor:
        """Elementwise (x ≠ 0) and (y ≠ 0), a bool tensor (``torch.logical_and``); no grad."""
        return self._logical_op(other, np.logical_and, "logical_and")

    def logical_or(self, other: Any) -> Tensor:
        """Elementwise (x ≠ 0) or (y ≠ 0), a bool tensor (``torch.logical_or``); no grad."""
        return self._logical_op(other, np.logical_or, "logical_or")

    def logical_xor(self, other: Any) -> Tensor:
        """Elementwise (x ≠ 0) xor (y ≠ 0), a bool tensor (``torch.logical_xor``); no grad."""
        return self._logical_op(other, np.logical_xor, "logical_xor")

    def logical_not_(self) -> Tensor:
        return self._computed_inplace("logical_not_", Tensor.logical_not)

    def logical_and_(self, other: Any) -> Tensor:
        return self._computed_inplace("logical_and_", lambda x: x.logical_and(other))

    def logical_or_(self, other: Any) -> Tensor:
        return self._computed_inplace("logical_or_", lambda x: x.logical_or(other))

    def logical_xor_(self, other: Any) -> Tensor:
        return self._computed_inplace("logical_xor_", lambda x: x.logical_xor(other))

    def isin(
        self, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
    ) -> Tensor:
        """Whether each element occurs in ``test_elements`` (a tensor or a number)
        (``torch.isin``); no grad."""
        if not isinstance(test_elements, (Tensor, numbers.Number)):
            raise TypeError(
                f"isin(): test_elements must be a Tensor or a number, not "
                f"{type(test_elements).__name__}"
            )
        values: Any = test_elements.data if isinstance(test_elements, Tensor) else test_elements
        return Tensor._make(np.isin(self.data, values, assume_unique=assume_unique, invert=invert))

    def bincount(self, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """How often each value 0, 1, …, max occurs in a 1-D non-negative int tensor, or the sum
        of ``weights`` at each (``torch.bincount``); no grad (torch has none either)."""
        if self.ndim != 1 or self.data.dtype.kind not in "iu":
            raise RuntimeError(
                f"bincount only supports 1-d non-negative integral inputs, got shape "
                f"{self.shape} and dtype {self.dtype}"
            )
        if self.data.size and self.data.min() < 0:
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if minlength < 0:
            raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
        w = None
        if weights is not None:
            _expect_tensor(weights, "bincount", "weights")
            if weights.shape != self.shape:
                raise RuntimeError(
                    f"bincount: weights should be 1-d and have the same length as input, got "
                    f"shapes {weights.shape} and {self.shape}"
                )
            w = weights.data
        counts = np.bincount(self.data, weights=w, minlength=minlength)
        if w is not None and w.dtype.kind == "f":
            counts = counts.astype(w.dtype if w.dtype == np.float32 else np.float64)
        return Tensor._make(np.asarray(counts))

    def histogram(
        self,
        bins: Any,
        *,
        range: tuple[Scalar, Scalar] | None = None,
        weight: Tensor | None = None,
        density: bool = False,
    ) -> _more.Histogram:
        return _more.histogram(self, bins, range=range, weight=weight, density=density)

    def histc(self, bins: int = 100, min: Scalar = 0, max: Scalar = 0) -> Tensor:
        """Counts of the elements in ``bins`` equal bins over [min, max] (over the data's own
        range when min = max), in this tensor's float dtype (``torch.histc``); elements outside
        are ignored, the last bin holds max. No grad."""
        if self.data.dtype.kind != "f":
            raise NotImplementedError(f'"histogram_cpu" not implemented for {self.dtype}')
        if bins <= 0:
            raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
        for name, bound in (("min", min), ("max", max)):
            if isinstance(bound, bool) or not isinstance(bound, (int, float, np.number)):
                raise TypeError(f"histc(): {name} must be a number, got {type(bound).__name__}")
        lo, hi = float(min), float(max)
        if lo == hi and self.data.size:
            lo, hi = float(self.data.min()), float(self.data.max())
        if lo == hi:
            lo, hi = lo - 1, hi + 1
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise RuntimeError(f"torch.histc(): range of [{lo}, {hi}] is not finite")
        if lo > hi:
            raise RuntimeError(f"torch.histc(): max must be larger than min, got {min} and {max}")
        counts, _ = np.histogram(self.data, bins=bins, range=(lo, hi))
        return Tensor._make(counts.astype(self.dtype))

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Tensor | tuple[Tensor, ...]:
        """The distinct elements (or slices along ``dim``) in ascending order (``torch.unique``),
        with the index of each element's value in them (``return_inverse``) and how often each
        occurs (``return_counts``). No grad, as torch."""
        a = self.data
        axis = None if dim is None else self._dim(dim, "unique")
        # torch keeps every nan apart (nan != nan); numpy would merge them into one
        values, inverse, counts = np.unique(
            a, return_inverse=True, return_counts=True, axis=axis, equal_nan=False
        )
        inverse = inverse.reshape(a.shape if axis is None else (a.shape[axis],))
        return _unique_result(values, inverse, counts, return_inverse, return_counts)

    def unique_consecutive(
        self, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
    ) -> Tensor | tuple[Tensor, ...]:
        """Each run of equal consecutive elements (or slices along ``dim``) kept once
        (``torch.unique_consecutive``), with ``return_inverse`` and ``return_counts`` as
        ``unique``. No grad."""
        a = self.data
        if dim is None:
            flat = a.reshape(-1)
            change = flat[1:] != flat[:-1]
        else:
            d = self._dim(dim, "unique_consecutive")
            flat = np.moveaxis(a, d, 0)
            change = (flat[1:] != flat[:-1]).reshape(max(len(flat) - 1, 0), -1).any(axis=1)
        starts = np.concatenate([[True], change]) if len(flat) else np.zeros(0, bool)
        values = flat[starts]
        if dim is not None:
            values = np.moveaxis(values, 0, d)
        inverse = np.cumsum(starts) - 1
        counts = np.diff(np.append(np.flatnonzero(starts), len(flat)))
        if dim is None:
            inverse = inverse.reshape(a.shape)
        return _unique_result(values, inverse, counts, return_inverse, return_counts)

    def diff(
        self,
        n: int = 1,
        dim: int = -1,
        prepend: Tensor | None = None,
        append: Tensor | None = None,
    ) -> Tensor:
        """The n-th forward difference along ``dim``, out[i] = x[i + 1] − x[i] applied n times
        (``torch.diff``; for bools x[i + 1] ≠ x[i]), after joining ``prepend`` and ``append``
        (tensors of this shape but along ``dim``). Composed of slices, so x̄ⱼ = g_{j−1} − gⱼ
        (once)."""
        if self.ndim == 0:
            raise OpError("diff(): expects input to be at least one-dimensional, got shape ()")
        k = _int_arg(n, "diff", "n")
        if k < 0:
            raise OpError(f"diff(): order must be non-negative but got {k}")
        d = self._dim(dim, "diff")
        if k == 0:  # torch returns the input itself, without prepend and append
            return self.clone()
        pieces = [self]
        for name, extra in (("prepend", prepend), ("append", append)):
            if extra is None:
                continue
            _expect_tensor(extra, "diff", name)
            if extra.ndim != self.ndim or any(
                a != b for i, (a, b) in enumerate(zip(extra.shape, self.shape)) if i != d
            ):
                raise OpError(
                    f"diff(): {name} of shape {extra.shape} must match the input's shape "
                    f"{self.shape} except along dim {d}"
                )
            pieces.insert(0 if name == "prepend" else len(pieces), extra)
        x = cat(pieces, d) if len(pieces) > 1 else self.clone()
        for _ in range(min(k, x.shape[d])):  # beyond the dim's size, every difference is empty
            later, earlier = x[_along(d, slice(1, None))], x[_along(d, slice(None, -1))]
            x = later != earlier if x.data.dtype == np.bool_ else later - earlier
        return x

    # ------------------------------------------------------------------ shape

    def reshape(self, *shape: Any, **kwargs: Any) -> Tensor:
        """The same elements in a new shape, given as sizes or ``shape=``; one dim may be -1
        (``torch.reshape``)."""
        target = _shape_args(_keyword_form(shape, kwargs, "shape", "reshape"), "reshape")
        resolved = _resolve_shape(target, self.data.size)
        if resolved is None:
            raise OpError(
                f"reshape(): cannot reshape a tensor of shape {self.shape} "
                f"({self.numel()} elements) into shape {target}"
            )
        return self._alias() if resolved == self.shape else _apply(_RESHAPE, self, shape=resolved)

    def view(self, *size: Any, **kwargs: Any) -> Tensor:
        """``reshape``, with torch's keyword ``size=`` (``torch.Tensor.view``): a view sharing
        this tensor's memory wherever its strides allow it, as torch's.

        Where they do not (``x.T.view(-1)``), torch refuses and this returns numpy's reshape, a
        copy, into which writes do not reach this tensor. It does not refuse, because some ops
        here lay out their results otherwise than torch's (a convolution's output is a
        channels-last view of the product it computes), where torch's view works: refusing by
        this library's strides would refuse views torch takes (graph fuzzer, in-place focus seed
        206799: ``conv2d(x).view(...)``).

        ``x.view(dtype)`` (or ``dtype=``) is torch's other view: the same bytes read as another
        dtype (see ``_view_dtype``)."""
        if kwargs.keys() == {"dtype"} and not size:
            return _view_dtype(self, kwargs["dtype"])
        if len(size) == 1 and not kwargs and _is_dtype(size[0]):
            return _view_dtype(self, size[0])
        return self.reshape(*_keyword_form(size, kwargs, "size", "view"))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims ``start_dim..end_dim`` into one (``torch.flatten``): with nothing to
        merge, the tensor itself, as torch (so a leaf stays a leaf)."""
        s, e = self._dim(start_dim, "flatten"), self._dim(end_dim, "flatten")
        if self.ndim == 0:
            return self.reshape(1)
        if s > e:
            raise ValueError(
                f"flatten(): start_dim {start_dim} comes after end_dim {end_dim} "
                f"for a tensor of shape {self.shape}"
            )
        if s == e:
            return self
        shape = self.shape
        return self.reshape((*shape[:s], int(np.prod(shape[s : e + 1])), *shape[e + 1 :]))

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Drop size-1 dims (all, or those in ``dim``) (``torch.squeeze``)."""
        dims = self._dims(dim, "squeeze", reduce=False)
        return self.reshape(
            tuple(s for i, s in enumerate(self.shape) if not (i in dims and s == 1))
        )

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a size-1 dim at ``dim`` (``torch.unsqueeze``)."""
        n = self.ndim + 1
        dim = _index(dim, "unsqueeze")
        if not -n <= dim < n:
            raise IndexError(f"unsqueeze(): dim {dim} is out of range for shape {self.shape}")
        d = dim % n
        return self.reshape((*self.shape[:d], 1, *self.shape[d:]))

    def permute(self, *dims: Any, **kwargs: Any) -> Tensor:
        """Reorder the dims (``torch.permute``; also ``dims=``); x̄ = g with the inverse
        permutation."""
        n = self.data.ndim
        order = _shape_args(_keyword_form(dims, kwargs, "dims", "permute"), "permute")
        identity = tuple(range(n))
        if len(order) != n or tuple(sorted(order)) != identity:
            # negative dims count from the end; anything else is refused
            fixed = tuple(d % n if -n <= d < n else d for d in order) if n else order
            if len(fixed) != n or tuple(sorted(fixed)) != identity:
                raise OpError(
                    f"permute(): {order} is not a permutation of the dims of {self.shape}"
                )
            order = fixed
        return self._alias() if order == identity else _apply(_PERMUTE, self, dims=order)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dims (``torch.transpose``)."""
        n = self.data.ndim
        in_range = type(dim0) is type(dim1) is int and -2 <= dim0 < 2 and -2 <= dim1 < 2
        if n == 2 and in_range and (dim0 - dim1) % 2:  # the matrix transpose, on the hot path
            return self._transpose2d()
        a, b = self._dim(dim0, "transpose"), self._dim(dim1, "transpose")
        if a == b:
            return self._alias()
        order = list(range(n))
        order[a], order[b] = order[b], order[a]
        return _apply(_PERMUTE, self, dims=tuple(order))  # valid by construction

    def t(self) -> Tensor:
        """The transpose of a tensor of at most 2 dims, a no-op view below 2 (``Tensor.t``)."""
        if self.data.ndim > 2:
            raise OpError(
                f"t() expects a tensor with <= 2 dimensions, but this one has shape "
                f"{self.shape}; use transpose(dim0, dim1) or mT"
            )
        return self.T

    def clone(self) -> Tensor:
        """A copy in its own memory that stays in the graph (``torch.clone``); x̄ = g."""
        return _apply(_CLONE, self)

    def contiguous(self) -> Tensor:
        """Itself if its data is row-major contiguous, else a contiguous ``clone()``
        (``torch.Tensor.contiguous``)."""
        return self if self.data.flags.c_contiguous else self.clone()

    def broadcast_to(self, size: Sequence[int]) -> Tensor:
        """``expand(*size)`` (``torch.Tensor.broadcast_to``, which is torch's expand too)."""
        if not isinstance(size, Sequence):
            raise TypeError(f"broadcast_to(): size must be a sequence of ints, got {size!r}")
        return self.expand(*size)

    def expand(self, *sizes: Any, **kwargs: Any) -> Tensor:
        """Broadcast size-1 dims to ``sizes`` (or ``size=``) without copying (``torch.expand``;
        -1 keeps a dim)."""
        target = _shape_args(_keyword_form(sizes, kwargs, "size", "expand"), "expand")
        lead = len(target) - self.ndim
        if lead < 0:
            raise OpError(f"expand(): cannot expand shape {self.shape} to fewer dims {target}")
        shape = tuple(
            self.shape[i - lead] if (s == -1 and i >= lead) else s for i, s in enumerate(target)
        )
        if any(s != 1 and s != t for s, t in zip(self.shape, shape[lead:])):
            raise OpError(f"expand(): cannot expand a tensor of shape {self.shape} to {shape}")
        return self._alias() if shape == self.shape else _apply(_EXPAND, self, shape=shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def view_as(self, other: Tensor) -> Tensor:
        """``view(other.shape)`` (``torch.Tensor.view_as``)."""
        return self._as_shape_of(other, "view_as")

    def reshape_as(self, other: Tensor) -> Tensor:
        """``reshape(other.shape)`` (``torch.Tensor.reshape_as``)."""
        return self._as_shape_of(other, "reshape_as")

    def _as_shape_of(self, other: Tensor, op: str) -> Tensor:
        _expect_tensor(other, op, "other")
        if other.data.size != self.data.size:
            raise OpError(
                f"{op}(): cannot give a tensor of shape {self.shape} ({self.numel()} elements) "
                f"the shape {other.shape} ({other.numel()} elements)"
            )
        return self.reshape(other.shape)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """The dims ``source`` moved to the positions ``destination``, the others keeping their
        order (``torch.movedim``); a ``permute``, so x̄ = g permuted back."""
        src = [self._dim(s, "movedim") for s in _int_args((source,), "movedim", "source")]
        dst = [self._dim(t, "movedim") for t in _int_args((destination,), "movedim", "destination")]
        if len(src) != len(dst):
            raise OpError(
                f"movedim(): source {src} ({len(src)} dims) and destination {dst} "
                f"({len(dst)} dims) must name as many dims"
            )
        for name, dims in (("source", src), ("destination", dst)):
            if len(set(dims)) != len(dims):
                raise OpError(f"movedim(): repeated dim in {name} {dims}")
        if self.ndim == 0:
            return self._alias()
        order = [i for i in range(self.ndim) if i not in src]
        for t, s in sorted(zip(dst, src)):
            order.insert(t, s)
        return self.permute(order)

    moveaxis = movedim

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """``transpose(axis0, axis1)`` (``torch.swapaxes``)."""
        return self.transpose(self._dim(axis0, "swapaxes"), self._dim(axis1, "swapaxes"))

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """``transpose(dim0, dim1)`` (``torch.swapdims``)."""
        return self.transpose(self._dim(dim0, "swapdims"), self._dim(dim1, "swapdims"))

    # Shape changes in place: the same memory in a new shape, recorded as torch's on a non-leaf
    # (see _inplace.view_inplace).
    def squeeze_(self, dim: int | Sequence[int] | None = None) -> Tensor:
        return _ip.view_inplace(self, "squeeze_", lambda x: x.squeeze(dim))

    def unsqueeze_(self, dim: int) -> Tensor:
        return _ip.view_inplace(self, "unsqueeze_", lambda x: x.unsqueeze(dim))

    def t_(self) -> Tensor:
        return _ip.view_inplace(self, "t_", Tensor.t)

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return _ip.view_inplace(self, "transpose_", lambda x: x.transpose(dim0, dim1))

    def swapdims_(self, dim0: int, dim1: int) -> Tensor:
        return _ip.view_inplace(self, "swapdims_", lambda x: x.swapdims(dim0, dim1))

    def swapaxes_(self, axis0: int, axis1: int) -> Tensor:
        return _ip.view_inplace(self, "swapaxes_", lambda x: x.swapaxes(axis0, axis1))

    def resize_(self, *sizes: Any) -> Tensor:
        return _more.resize_(self, *sizes)

    def resize_as_(self, tensor: Tensor) -> Tensor:
        _expect_tensor(tensor, "resize_as_", "tensor")
        return _more.resize_(self, tensor.shape)

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        """The ``length`` entries from ``start`` along ``dim``, a view (``torch.narrow``);
        ``start`` may be negative (from the end) or a 0-d integer tensor. x̄ = g in that slice,
        0 elsewhere."""
        if self.ndim == 0:
            raise OpError("narrow(): cannot be applied to a 0-dim tensor")
        d = self._dim(dim, "narrow")
        if isinstance(start, Tensor):
            if start.ndim != 0 or start.dtype.kind not in "iu":
                raise OpError(
                    f"narrow(): start must be an int or a 0-dim integral tensor, got a tensor "
                    f"of shape {start.shape} and dtype {start.dtype}"
                )
            start = start.item()
        s = _int_arg(start, "narrow", "start")
        size = _int_arg(length, "narrow", "length")
        n = self.shape[d]
        if size < 0:
            raise OpError(f"narrow(): length must be non-negative, got {size}")
        if not -n <= s <= n:
            raise IndexError(
                f"narrow(): start out of range (expected to be in range of [{-n}, {n}], but got "
                f"{s}) for dim {d} of the tensor of shape {self.shape}"
            )
        if s < 0:
            s += n
        if s + size > n:
            raise OpError(
                f"narrow(): start ({s}) + length ({size}) exceeds dimension size ({n}) of dim "
                f"{d} (shape {self.shape})"
            )
        return self[_along(d, slice(s, s + size))]

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, that dim removed (``torch.unbind``); x̄ is their adjoints
        put back in place along ``dim`` (0 for a slice that was not used)."""
        if self.ndim == 0:
            raise IndexError("unbind(): dimension specified as 0 but the tensor has no dimensions")
        d = self._dim(dim, "unbind")
        return _multi_output(tuple(self[_along(d, i)] for i in range(self.shape[d])), "Unbind")

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims, entries (i, j) with j ≤ i + ``diagonal``;
        zeros elsewhere (``torch.tril``). A ``where`` with a constant mask: x̄ = g in the
        triangle, 0 outside (inf and nan there become 0, as torch)."""
        return self._triangle(diagonal, "tril", lower=True)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims, entries (i, j) with j ≥ i + ``diagonal``;
        zeros elsewhere (``torch.triu``), as ``tril``."""
        return self._triangle(diagonal, "triu", lower=False)

    def _triangle(self, diagonal: int, op: str, *, lower: bool) -> Tensor:
        k = _int_arg(diagonal, op, "diagonal")
        if self.ndim < 2:
            raise OpError(
                f"{op}(): input tensor must have at least 2 dimensions, got shape {self.shape}"
            )
        rows, cols = self.shape[-2:]
        keep = (
            np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1, dtype=bool)
        )
        return where(keep, self, Tensor._make(np.zeros((), dtype=self.dtype)))

    def diag(self, diagonal: int = 0) -> Tensor:
        """For a vector, the square matrix with it on diagonal ``diagonal`` (above the main one
        if positive) and zeros elsewhere; for a matrix, that diagonal as a vector
        (``torch.diag``). x̄ is g's diagonal, or g scattered back to the diagonal."""
        k = _int_arg(diagonal, "diag", "diagonal")
        if self.ndim == 2:
            return self.diagonal(k).clone()  # torch.diag copies, where diagonal() is a view
        if self.ndim != 1:
            raise OpError(f"diag(): supports 1-D or 2-D tensors, got shape {self.shape}")
        i = np.arange(self.shape[0])
        n = self.shape[0] + abs(k)
        return self._index_add((n, n), (i, i + k) if k >= 0 else (i - k, i))

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """A matrix per vector of the last dim, the vector on its diagonal ``offset``, zeros
        elsewhere; the matrices occupy dims ``dim1``, ``dim2`` of the result
        (``torch.diag_embed``). x̄ is the diagonal of g."""
        k = _int_arg(offset, "diag_embed", "offset")
        if self.ndim == 0:
            raise IndexError("diag_embed(): expected a tensor with at least 1 dim, got shape ()")
        nd = self.ndim + 1
        a, b = (_index(d, "diag_embed") for d in (dim1, dim2))
        for d in (a, b):
            if not -nd <= d < nd:
                raise IndexError(
                    f"diag_embed(): dim {d} is out of range for the result's {nd} dims (input "
                    f"shape {self.shape})"
                )
        if a % nd == b % nd:
            raise RuntimeError(
                f"diag_embed(): diagonal dimensions cannot be identical {dim1}, {dim2}"
            )
        n = self.shape[-1]
        m = n + abs(k)
        i = np.arange(n)
        rows, cols = (i, i + k) if k >= 0 else (i - k, i)
        matrices = self._index_add((*self.shape[:-1], m, m), (Ellipsis, rows, cols))
        out = matrices.movedim((-2, -1), (a % nd, b % nd))
        # torch's result is a new tensor, not a view: as a view of ``matrices``, a later view of
        # it sent its adjoint past it after an in-place op (a retained grad missed it)
        return out.clone() if out._base is not None else out

    def diagflat(self, offset: int = 0) -> Tensor:
        """The flattened tensor on diagonal ``offset`` of a square matrix (``torch.diagflat``)."""
        return self.reshape(-1).diag(offset)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The entries (i, i + ``offset``) of dims ``dim1`` and ``dim2``, as a new last dim, the
        two removed (``torch.diagonal``). A view, as torch's: ``A.diagonal().add_(λ)`` adds λI
        to A in place. x̄ is g placed back on the diagonal, zeros elsewhere."""
        k = _int_arg(offset, "diagonal", "offset")
        a, b = self._dim(dim1, "diagonal"), self._dim(dim2, "diagonal")
        if a == b:
            raise OpError(
                f"diagonal(): diagonal dimensions cannot be identical {dim1}, {dim2} (shape "
                f"{self.shape})"
            )
        return _apply(_DIAGONAL, self, offset=k, dim1=a, dim2=b)

    def flip(self, *dims: Any, **kwargs: Any) -> Tensor:
        """The entries in reverse order along each of ``dims`` (or ``dims=``) (``torch.flip``), in
        new memory as torch's; x̄ = g flipped back."""
        dims = _keyword_form(dims, kwargs, "dims", "flip")
        if not dims:
            raise TypeError("flip(): missing the dims to flip, e.g. x.flip(0) or x.flip((0, 1))")
        wanted = [self._dim(d, "flip") for d in _int_args(dims, "flip", "dims")]
        if len(set(wanted)) != len(wanted):
            raise OpError(f"flip(): dims {wanted} name a dim more than once")
        if self.ndim == 0 or not wanted:
            return self.clone()
        index = tuple(
            slice(None, None, -1) if i in wanted else slice(None) for i in range(self.ndim)
        )
        return self[index].clone()  # the reversed slices are a view: copy, as torch

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """Shift the entries along ``dims`` by ``shifts``, those pushed off one end coming back
        at the other (``torch.roll``); without ``dims``, roll the flattened tensor. Composed of
        two slices and ``cat``, so x̄ = g rolled back."""
        amounts = _int_args((shifts,), "roll", "shifts")
        if not amounts:
            raise OpError("roll(): shifts required, got an empty sequence")
        if dims is None or (isinstance(dims, (tuple, list)) and not dims):
            if len(amounts) != 1:
                raise OpError(
                    f"roll(): {len(amounts)} shifts without dims: the flattened tensor takes one"
                )
            # (a reshape of the rolled copy is a view of it, which an in-place op on the result
            # would write through as the view it is not: torch's roll makes a new tensor)
            return self.flatten().roll(amounts[0], 0).reshape(self.shape).clone()
        axes = _int_args((dims,), "roll", "dims")
        if len(axes) != len(amounts):
            raise OpError(f"roll(): {len(amounts)} shifts for {len(axes)} dims; they must align")
        if self.ndim == 0:
            raise IndexError(f"roll(): dims {axes} are out of range for a 0-d tensor")
        out = self
        for amount, dim in zip(amounts, axes):
            d = self._dim(dim, "roll")
            n = self.shape[d]
            k = amount % n if n else 0
            if k:
                out = cat([out[_along(d, slice(n - k, None))], out[_along(d, slice(0, n - k))]], d)
        return self.clone() if out is self else out

    def repeat(self, *sizes: Any, **kwargs: Any) -> Tensor:
        """Tile the tensor ``sizes[i]`` times along dim i (``torch.Tensor.repeat``; also
        ``repeats=``); extra leading sizes add dims. Composed as reshape, expand, reshape: x̄ sums
        g over the copies."""
        sizes = _keyword_form(sizes, kwargs, "repeats", "repeat")
        if not sizes:
            raise TypeError("repeat(): missing the repeats, one per dim, e.g. x.repeat(2, 1)")
        reps = _int_args(sizes, "repeat", "repeats")
        if len(reps) < self.ndim:
            raise OpError(
                f"repeat(): {len(reps)} repeats {reps} for a tensor of shape {self.shape}: "
                f"give at least one per dim ({self.ndim})"
            )
        if any(r < 0 for r in reps):
            raise OpError(f"repeat(): repeats must be non-negative, got {reps}")
        shape = (1,) * (len(reps) - self.ndim) + self.shape
        # (s₀, s₁) → (1, s₀, 1, s₁) → (r₀, s₀, r₁, s₁) → (r₀·s₀, r₁·s₁)
        spaced = tuple(v for s in shape for v in (1, s))
        tiled = tuple(v for r, s in zip(reps, shape) for v in (r, s))
        out = self.reshape(spaced).expand(tiled).reshape(tuple(r * s for r, s in zip(reps, shape)))
        # (a view when nothing repeats; of an empty tensor too, where numpy sees no sharing)
        return out.clone() if out._base is not None else out

    def tile(self, *dims: Any, **kwargs: Any) -> Tensor:
        """``repeat`` with missing leading repeats taken as 1 (``torch.tile``; also ``dims=``)."""
        dims = _keyword_form(dims, kwargs, "dims", "tile")
        if not dims:
            raise TypeError("tile(): missing the repeats, e.g. x.tile(2) or x.tile((2, 1))")
        reps = _int_args(dims, "tile", "dims")
        return self.repeat((1,) * (self.ndim - len(reps)) + reps)

    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Views of consecutive pieces along ``dim`` (``torch.split``): of ``split_size`` each
        (the last may be smaller), or of the given sizes, which must sum to the dim's size.
        As torch, the method's argument is ``split_size``, the function's
        ``split_size_or_sections``."""
        outs = self._split(split_size, dim, "split")
        return _multi_output(outs, "Split" if isinstance(split_size, int) else "SplitWithSizes")

    def unsafe_split(self, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``split`` into pieces of ``split_size`` whose outputs may be written in place
        (``torch.Tensor.unsafe_split``; an int only, as torch's). torch then leaves their
        base's gradient unchecked; here they are views autograd follows, as a slice is."""
        if isinstance(split_size, (tuple, list)):
            raise TypeError(
                "unsafe_split(): argument 'split_size' (position 1) must be int, not "
                f"{type(split_size).__name__}"
            )
        return self._split(split_size, dim, "unsafe_split")

    def unsafe_split_with_sizes(
        self, split_sizes: Sequence[int], dim: int = 0
    ) -> tuple[Tensor, ...]:
        """``split_with_sizes`` whose outputs may be written in place
        (``torch.Tensor.unsafe_split_with_sizes``), as ``unsafe_split``'s."""
        if not isinstance(split_sizes, (tuple, list)):
            raise TypeError(
                "unsafe_split_with_sizes(): argument 'split_sizes' (position 1) must be tuple "
                f"of ints, not {type(split_sizes).__name__}"
            )
        return self._split(list(split_sizes), dim, "unsafe_split_with_sizes")

    def unsafe_chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``chunk`` whose outputs may be written in place (``torch.Tensor.unsafe_chunk``), as
        ``unsafe_split``'s."""
        return self._chunk(chunks, dim, "unsafe_chunk")

    def _split(self, split_size: int | Sequence[int], dim: int, op: str) -> tuple[Tensor, ...]:
        """split's pieces, not yet marked as the outputs of one function."""
        if self.ndim == 0:
            raise OpError(f"{op}(): expects a tensor of at least one dim, got shape ()")
        d = self._dim(dim, op)
        n = self.shape[d]
        if isinstance(split_size, (tuple, list)):
            sizes = _int_args((split_size,), op, "split sizes")
            if any(s < 0 for s in sizes) or sum(sizes) != n:
                raise OpError(
                    f"{op}(): split sizes {list(sizes)} must be non-negative and sum to {n}, "
                    f"the size of dim {d} of the tensor of shape {self.shape}"
                )
        else:
            size = _int_arg(split_size, op, "split_size")
            if size < 0 or (size == 0 and n):
                raise OpError(
                    f"{op}(): split_size {size} cannot split dim {d} of size {n} (shape "
                    f"{self.shape}); it must be positive (0 only for an empty dim)"
                )
            sizes = (size,) * (n // size) + ((n % size,) if n % size else ()) if n else (0,)
        starts = np.cumsum((0, *sizes))
        return tuple(self[_along(d, slice(a, a + s))] for a, s in zip(starts.tolist(), sizes))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``chunks`` views along ``dim``, each of ⌈n / chunks⌉ entries but maybe the last
        (``torch.chunk``: fewer when that size covers the dim sooner)."""
        pieces = self._chunk(chunks, dim, "chunk")
        return _multi_output(pieces, "SplitWithSizes" if self.shape[dim] == 0 else "Split")

    def _chunk(self, chunks: int, dim: int, op: str) -> tuple[Tensor, ...]:
        """chunk's pieces, not yet marked as the outputs of one function."""
        k = _int_arg(chunks, op, "chunks")
        if k <= 0:
            raise OpError(f"{op}(): chunks must be greater than 0, got {k}")
        if self.ndim == 0:
            raise OpError(f"{op}(): expects a tensor of at least one dim, got shape ()")
        d = self._dim(dim, op)
        n = self.shape[d]
        if n == 0:  # torch: `chunks` empty pieces
            return tuple(self[_along(d, slice(0, 0))] for _ in range(k))
        return self._split(-(-n // k), d, op)

    def __getitem__(self, index: Any) -> Tensor:
        """numpy indexing: ints, slices, None, Ellipsis, integer and bool arrays.

        x̄ scatters g back with ``np.add.at``, so repeated indices accumulate. Where torch and
        numpy differ, torch decides: ints beside arrays select first, and a short list holding
        sequences is a tuple of indices.
        """
        index = _normalise_index(_torch_index(index))
        split = _split_ints(index)
        if split is not None:
            return _apply(_GETITEM, _apply(_GETITEM, self, index=split[0]), index=split[1])
        return _apply(_GETITEM, self, index=index)

    def _einsum(self, equation: str, *others: Tensor) -> Tensor:
        """The einsum primitive of self and ``others``, ``equation`` in its closed form."""
        return _apply(OPS["einsum"], self, *others, equation=equation)

    def _fold(self, shape: Shape, dim: int, size: int, step: int) -> Tensor:
        """The windows ``unfold(dim, size, step)`` made of a tensor of ``shape``, added back
        where they came from (the adjoint of unfold)."""
        return _apply(OPS["fold"], self, shape=shape, dim=dim, size=size, step=step)

    def _cross_entropy_backward(
        self, g: Tensor, target: np.ndarray, reduction: str, probs: np.ndarray | None = None
    ) -> Tensor:
        """cross_entropy's x̄ = c·(softmax(self) − e_y) for the adjoint ``g`` of its loss: one op,
        its rule's (recorded under create_graph, so the loss differentiates twice). ``probs``:
        softmax(self), if the forward pass kept it."""
        return _apply(_CE_BACKWARD, self, g, target=target, reduction=reduction, _probs=probs)

    def _sample(self, op: str, other: Tensor, index: np.ndarray, size: int) -> Tensor:
        """The grid-sampling primitive ``op`` (``sample_gather``, ``_scatter`` or ``_dot``) of
        self and ``other``: grid_sample's call, and its rules'."""
        return _apply(OPS[op], self, other, index=index, size=size)

    def _index_add(self, shape: Shape, index: Any) -> Tensor:
        """zeros(shape) with self added at ``index`` (the adjoint of ``x[index]``)."""
        return _apply(_INDEX_ADD, self, shape=shape, index=index)

    # ------------------------------------------------------------------ more of torch's methods
    # Aliases, elementwise functions, in-place forms, selection and scatter, scans, quantiles
    # and the linear algebra of a first course, composed of the methods above where that is
    # exact (their gradients then come checked); primitives (ops.py) where it is not.

    def multiply(self, other: Any) -> Tensor:
        """``torch.multiply``, an alias of ``mul``."""
        return self.mul(other)

    def subtract(self, other: Any, *, alpha: Scalar = 1) -> Tensor:
        """``torch.subtract``: self − alpha·other (``sub``)."""
        return self.sub(other, alpha=alpha)

    def true_divide(self, other: Any) -> Tensor:
        """``torch.true_divide``: ``div`` without rounding."""
        return self.div(other)

    def negative(self) -> Tensor:
        """``torch.negative``, an alias of ``neg``."""
        return self.neg()

    def absolute(self) -> Tensor:
        """``torch.absolute``, an alias of ``abs``."""
        return self.abs()

    def fix(self) -> Tensor:
        """``torch.fix``, an alias of ``trunc``."""
        return self.trunc()

    def sgn(self) -> Tensor:
        """``torch.sgn``: for real tensors, ``sign``."""
        return self.sign()

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    def ndimension(self) -> int:
        """``torch.Tensor.ndimension``, an alias of ``dim()``."""
        return self.ndim

    def nelement(self) -> int:
        """``torch.Tensor.nelement``, an alias of ``numel()``."""
        return self.numel()

    def is_contiguous(self) -> bool:
        """Whether the elements lie in memory in row-major order without gaps
        (``torch.Tensor.is_contiguous``): False for a transposed or an expanded view."""
        return bool(self.data.flags.c_contiguous)

    def stride(self, dim: int | None = None) -> Any:
        """The step in memory, in elements, from one index to the next along each dim
        (``torch.Tensor.stride``): numpy's strides over the item size; 0 along expanded dims."""
        strides = tuple(s // self.data.itemsize for s in self.data.strides)
        if dim is None:
            return strides
        if self.ndim == 0:
            raise IndexError(f"stride(): dimension specified as {dim} but tensor has no dimensions")
        return strides[self._dim(dim, "stride")]

    def storage_offset(self) -> int:
        """Where the first element is in the memory of the tensor this one is a view of, in
        elements (``torch.Tensor.storage_offset``): 0 unless a view; ``x[1]`` of a (3, 4) x: 4."""
        return _more.storage_offset(self)

    def data_ptr(self) -> int:
        """The address of the first element, 0 if there is none (``torch.Tensor.data_ptr``):
        equal for a view or a detach() of x and for x itself, different for a clone."""
        return _more.data_ptr(self)

    def as_strided(self, size: Any, stride: Any, storage_offset: Any = None) -> Tensor:
        """The view whose element i₀, i₁, … is the storage's element ``storage_offset + Σ
        iₖ·stride[k]`` (``torch.Tensor.as_strided``; storage_offset: this tensor's own by
        default). x̄ = g added back where each element came from (repeats accumulate)."""
        return _more.as_strided(self, size, stride, storage_offset)

    def as_strided_(self, size: Any, stride: Any, storage_offset: Any = None) -> Tensor:
        """``as_strided`` in place (``torch.Tensor.as_strided_``): this tensor becomes that view
        of its memory, recorded as ``t_`` is (see _inplace.view_inplace)."""
        return _more.as_strided_inplace(self, size, stride, storage_offset)

    def as_strided_scatter(
        self, src: Tensor, size: Any, stride: Any, storage_offset: Any = None
    ) -> Tensor:
        """A copy with ``src`` where ``as_strided(size, stride, storage_offset)`` of it reads
        (``torch.Tensor.as_strided_scatter``); x̄ = g elsewhere, src̄ = g there."""
        return _more.as_strided_scatter(self, src, size, stride, storage_offset)

    def new_empty_strided(
        self,
        size: Sequence[int],
        stride: Sequence[int],
        *,
        dtype: DTypeLike = None,
        device: DeviceLike = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """``empty_strided(size, stride)`` in this tensor's dtype unless ``dtype`` is given
        (``torch.Tensor.new_empty_strided``): zeros here."""
        return _more.new_empty_strided(self, size, stride, dtype, device, requires_grad)

    def dim_order(self, *, ambiguity_check: bool | list[Any] = False) -> tuple[int, ...]:
        """The dims from outermost to innermost in memory (``torch.Tensor.dim_order``); with
        ``ambiguity_check`` a RuntimeError where that order is not unique."""
        return _more.dim_order(self, ambiguity_check)

    def resize(self, *sizes: Any) -> Tensor:
        """torch's deprecated out-of-place resize (``torch.Tensor.resize``): ``view(*sizes)``
        of the same number of elements, with torch's UserWarning."""
        return _more.resize(self, sizes, "resize")

    def resize_as(self, tensor: Tensor) -> Tensor:
        """torch's deprecated out-of-place ``resize_as``: ``resize(*tensor.shape)``."""
        _expect_tensor(tensor, "resize_as", "tensor")
        return _more.resize(self, tensor.shape, "resize_as")

    def is_inference(self) -> bool:
        """False: ``inference_mode`` here records no graph, as ``no_grad``, and makes no
        inference tensors (``torch.Tensor.is_inference`` is True for those made under it)."""
        return False

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        """torch's type name, e.g. "torch.FloatTensor", without ``dtype``; with one (a dtype or
        a name such as "torch.DoubleTensor"), this tensor cast to it, itself if already so
        (``torch.Tensor.type``: the cast's gradient is g cast back)."""
        return _more.tensor_type(self, dtype, non_blocking, **kwargs)

    def is_complex(self) -> bool:
        """Whether the dtype is complex (``torch.Tensor.is_complex``)."""
        return self.data.dtype.kind == "c"

    def is_signed(self) -> bool:
        """Whether the dtype holds negative numbers (``torch.Tensor.is_signed``: floats and
        signed integers; not bool or uint8)."""
        return self.data.dtype.kind in "ifc"

    # Trigonometric and hyperbolic functions: primitives (ops.py), integers in the default float.

    def tan(self) -> Tensor:
        """tan x (``torch.tan``); x̄ = g·(1 + out²)."""
        return _apply(OPS["tan"], self._real())

    def sinh(self) -> Tensor:
        """sinh x (``torch.sinh``); x̄ = g·cosh x."""
        return _apply(OPS["sinh"], self._real())

    def cosh(self) -> Tensor:
        """cosh x (``torch.cosh``); x̄ = g·sinh x."""
        return _apply(OPS["cosh"], self._real())

    def asin(self) -> Tensor:
        """arcsin x, nan outside [−1, 1] (``torch.asin``); x̄ = g / √(1 − x²)."""
        return _apply(OPS["asin"], self._real())

    def acos(self) -> Tensor:
        """arccos x, nan outside [−1, 1] (``torch.acos``); x̄ = −g / √(1 − x²)."""
        return _apply(OPS["acos"], self._real())

    def atan(self) -> Tensor:
        """arctan x (``torch.atan``); x̄ = g / (1 + x²)."""
        return _apply(OPS["atan"], self._real())

    def asinh(self) -> Tensor:
        """arsinh x (``torch.asinh``); x̄ = g / √(x² + 1)."""
        return _apply(OPS["asinh"], self._real())

    def acosh(self) -> Tensor:
        """arcosh x, nan below 1 (``torch.acosh``); x̄ = g / √(x² − 1)."""
        return _apply(OPS["acosh"], self._real())

    def atanh(self) -> Tensor:
        """artanh x, ±∞ at ±1 and nan beyond (``torch.atanh``); x̄ = g / (1 − x²)."""
        return _apply(OPS["atanh"], self._real())

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def exp2(self) -> Tensor:
        """2ˣ, exact at integers (``torch.exp2``); x̄ = g·out·ln 2."""
        return _apply(OPS["exp2"], self._real())

    def sinc(self) -> Tensor:
        """sin(πx)/(πx), 1 at x = 0 (``torch.sinc``). Near 0 (|πx| < 0.1) it is the Taylor
        series in t = (πx)², 1 − t/3! + t²/5! − … to t⁵ (the next term is below 1e-21), so
        every derivative there is exact: x̄ = 0 at x = 0, as torch, and the second derivative is
        −π²/3 (torch's is nan); elsewhere the quotient rule."""
        x = self._real()
        near = np.abs(x.data) < 0.1 / math.pi
        # silent as torch: the unused series overflows for huge x, and sin(±inf) is nan
        with np.errstate(over="ignore", invalid="ignore"):
            px = x * math.pi
            t = px * px
            series = 1 - t / 6 * (1 - t / 20 * (1 - t / 42 * (1 - t / 72 * (1 - t / 110))))
            safe = where(near, Tensor._make(np.ones((), dtype=x.dtype)), px)  # no 0/0 off it
            return where(near, series, safe.sin() / safe)

    def logit(self, eps: Scalar | None = None) -> Tensor:
        """ln(x / (1 − x)) (``torch.logit``), x first clamped to [eps, 1 − eps] if ``eps`` is
        given (and ≥ 0). x̄ = g / (x·(1 − x)), 0 where the clamp cut x, as torch."""
        x = self._real_kernel("logit")
        if eps is not None:
            _check_bound(eps, "logit", "eps")
        if eps is not None and eps >= 0:
            low, nan = x.data < eps, np.isnan(x.data)
            cut = x.clamp(eps, 1 - eps)
            if eps > 0.5:  # bounds crossed: torch's x < eps ? eps : (x > 1 − eps ? 1 − eps : x)
                cut = cut + Tensor._make(np.where(low, 2 * eps - 1, 0.0).astype(x.dtype))
            # a nan is not cut (clamp's gradient there is 0): x̄ = g/(x(1 − x)) = nan, as torch
            x = where(Tensor._make(nan), x, cut) if nan.any() else cut
        else:
            outside = (x.data < 0) | (x.data > 1)
            if outside.any():  # nan there, value and x̄, as torch (not ln's finite slope)
                x = x + Tensor._make(np.where(outside, np.nan, 0.0).astype(x.dtype))
        with np.errstate(divide="ignore", invalid="ignore"):
            if ((x.data == 0) | (x.data == 1)).any():
                # ln x − ln(1 − x): x̄ = g/x + g/(1 − x) is ±inf at 0 and 1, as torch's
                # g/(x(1 − x)); the quotient's chain rule gives 0·inf = nan there
                return x.log() - (-x).log1p()
            return (x / (1 - x)).log()

    def xlogy(self, other: Any) -> Tensor:
        """x·ln y, 0 where x = 0 unless y is nan (``torch.xlogy``); ``other`` a tensor or a
        number. x̄ = g·ln y (0 where x = 0 and y ≤ 0), ȳ = g·x / y, torch's rules; but at
        x = 0, y = ∞ x̄ is 0 here (∞ in torch) and at x = y = 0 ȳ is 0 (0/0 = nan in torch)."""
        y = other if isinstance(other, Tensor) else self._other(other, "xlogy")
        x, y = self._in_common_float(y, "xlogy")
        x._real_kernel("xlogy")
        zero = (x.data == 0) & ~np.isnan(y.data)
        # y taken as 1 where x = 0 and ln y is not finite, so that no 0·(±∞) = nan reaches the
        # value or either gradient; elsewhere at x = 0 the product is ±0 and x̄ = g·ln y
        with np.errstate(invalid="ignore"):
            bad = zero & ~(np.isfinite(y.data) & (y.data > 0))
        safe = where(bad, Tensor._make(np.ones((), dtype=y.dtype)), y) if bad.any() else y
        with np.errstate(divide="ignore", invalid="ignore"):
            return x * safe.log() + 0.0  # (+ 0: torch's xlogy(0, ½) is +0, not 0·ln ½ = −0)

    def fmod(self, other: Any) -> Tensor:
        """The remainder of x / y with x's sign, x − trunc(x/y)·y (``torch.fmod``; C's fmod).
        x̄ = g, ȳ = −g·trunc(x/y); integers by 0 are refused, as torch."""
        return self._modulo(other, OPS["fmod"], "fmod")

    def remainder(self, other: Any) -> Tensor:
        """The remainder of x / y with y's sign, x − floor(x/y)·y (``torch.remainder``,
        Python's %). x̄ = g, ȳ = −g·floor(x/y); integers by 0 are refused, as torch."""
        return self._modulo(other, OPS["remainder"], "remainder")

    def _modulo(self, other: Any, op: OpDef, name: str) -> Tensor:
        y = other if isinstance(other, Tensor) else self._other(other, name)
        if self.data.dtype.kind in "biu" and y.data.dtype.kind in "biu" and (y.data == 0).any():
            raise RuntimeError(f"{name}(): ZeroDivisionError: integer division by zero")
        return _binary(op, self, y)  # quiet: the table's forward, nan where y = 0

    def frac(self) -> Tensor:
        """x − trunc(x), with x's sign (``torch.frac``); x̄ = g. Floating tensors only."""
        if self.data.dtype.kind not in "fc":
            raise TypeError(f"frac(): not implemented for {self.dtype} tensors, as in torch")
        with np.errstate(invalid="ignore"):  # ±∞ − ±∞: nan, torch's frac(±∞), silently
            return self - self.trunc()

    def signbit(self) -> Tensor:
        """Whether the sign bit is set, −0.0 and −nan included (``torch.signbit``); no grad."""
        if self.data.dtype.kind == "b":
            return Tensor._make(np.zeros(self.shape, dtype=bool))
        return Tensor._make(np.asarray(np.signbit(self.data)))

    def heaviside(self, values: Tensor) -> Tensor:
        """The step function: 0 for x < 0, 1 for x > 0, ``values`` at x = 0 (nan gives 0), as
        ``torch.heaviside``. Its gradient is zero (torch has none: its backward raises)."""
        _expect_tensor(values, "heaviside", "values")
        if values.dtype != self.dtype:
            raise RuntimeError(
                f"heaviside(): not implemented for tensors of different dtypes ({self.dtype} "
                f"and {values.dtype}), as in torch"
            )
        shape = _broadcast(self.shape, values.shape, "heaviside")
        a = self.data
        out = np.where(a == 0, values.data, (a > 0).astype(a.dtype))  # (of the shape already)
        # (not np.broadcast_to's view: read-only memory would refuse a later in-place op)
        return self._piecewise_constant(np.asarray(out, dtype=a.dtype).reshape(shape))

    def copysign(self, other: Any) -> Tensor:
        """|x| with the sign of ``other`` (a tensor or a number), −0.0 counting as negative
        (``torch.copysign``; integers give the default float). Composed as |x|·(±1): x̄ is
        ±g·sign(x) (0 at x = 0, as torch) and ``other``'s gradient is zero."""
        if isinstance(other, Tensor):
            x = self._real_for(other)
            sign = np.where(np.signbit(other.data), -1, 1)
            kind = other.dtype if other.data.dtype.kind == "f" else x.dtype
            return x.abs() * other._piecewise_constant(np.asarray(sign, dtype=kind))
        _check_bound(other, "copysign", "other")
        x = self._real()
        return x.abs() * (-1.0 if math.copysign(1.0, other) < 0 else 1.0)

    def deg2rad(self) -> Tensor:
        """x·π/180 (``torch.deg2rad``; integers give the default float)."""
        return self._real() * (math.pi / 180.0)

    def rad2deg(self) -> Tensor:
        """x·180/π (``torch.rad2deg``)."""
        return self._real() * (180.0 / math.pi)

    def float_power(self, exponent: Any) -> Tensor:
        """xʸ in float64 whatever the dtypes (``torch.float_power``); gradients come back in
        each input's dtype through the casts."""
        x = self.to(np.float64)
        if isinstance(exponent, Tensor):
            return x.pow(exponent.to(np.float64))
        _check_bound(exponent, "float_power", "exponent")
        return x.pow(float(exponent))

    def logaddexp2(self, other: Tensor) -> Tensor:
        """log₂(2ˣ + 2ʸ) without overflow (``torch.logaddexp2``), composed as
        logaddexp(x·ln 2, y·ln 2) / ln 2: x̄ = g / (1 + 2^(y−x)), and symmetrically."""
        self._floating_with(other, "logaddexp2", ints=False)
        x, y = self._in_common_float(other, "logaddexp2")
        ln2 = math.log(2.0)
        return (x * ln2).logaddexp(y * ln2) / ln2

    # In-place forms of the elementwise methods: the out-of-place result, written into this
    # tensor's memory. Like add_ and mul_, recorded in grad mode where autograd takes part
    # (``_inplace.rebase``); refused for a leaf that requires grad, and where the dtype cannot
    # hold the result (exp_ of an int tensor).

    def _computed_inplace(
        self, op: str, compute: Callable[[Tensor], Tensor], *values: Any
    ) -> Tensor:
        if _mode.enabled and (
            self._requires_grad or any(isinstance(v, Tensor) and v._requires_grad for v in values)
        ):
            # Tried first only with arguments (a random fill_ must not draw before refusing);
            # a None here is an argument left out (clamp_'s min), not a wrong one.
            given = tuple(v for v in values if v is not None)
            dry_run = Tensor._computed_inplace if given else None
            return _ip.rebase(self, op, compute, given, dry_run, op, compute, *values)
        with autograd.no_grad():
            out = compute(self.detach())
        if out.dtype != self.dtype and not np.can_cast(out.dtype, self.dtype, "same_kind"):
            raise RuntimeError(
                f"{op}: result type {out.dtype} can't be cast to the desired output type "
                f"{self.dtype} (shape {self.shape})"
            )
        if out.shape != self.shape:
            raise RuntimeError(
                f"{op}: the result of shape {out.shape} does not fit in place in the tensor of "
                f"shape {self.shape}"
            )
        return self._inplace(op, None, out)

    def exp_(self) -> Tensor:
        return self._computed_inplace("exp_", Tensor.exp, None)

    def exp2_(self) -> Tensor:
        return self._computed_inplace("exp2_", Tensor.exp2, None)

    def expm1_(self) -> Tensor:
        return self._computed_inplace("expm1_", Tensor.expm1, None)

    def log_(self) -> Tensor:
        return self._computed_inplace("log_", Tensor.log, None)

    def log1p_(self) -> Tensor:
        return self._computed_inplace("log1p_", Tensor.log1p, None)

    def log2_(self) -> Tensor:
        return self._computed_inplace("log2_", Tensor.log2, None)

    def log10_(self) -> Tensor:
        return self._computed_inplace("log10_", Tensor.log10, None)

    def sqrt_(self) -> Tensor:
        return self._computed_inplace("sqrt_", Tensor.sqrt, None)

    def rsqrt_(self) -> Tensor:
        return self._computed_inplace("rsqrt_", Tensor.rsqrt, None)

    def reciprocal_(self) -> Tensor:
        return self._computed_inplace("reciprocal_", Tensor.reciprocal, None)

    def square_(self) -> Tensor:
        return self._computed_inplace("square_", Tensor.square, None)

    def sigmoid_(self) -> Tensor:
        return self._computed_inplace("sigmoid_", Tensor.sigmoid, None)

    def tanh_(self) -> Tensor:
        return self._computed_inplace("tanh_", Tensor.tanh, None)

    def relu_(self) -> Tensor:
        return self._computed_inplace("relu_", Tensor.relu, None)

    def abs_(self) -> Tensor:
        return self._computed_inplace("abs_", Tensor.abs, None)

    def neg_(self) -> Tensor:
        return self._computed_inplace("neg_", Tensor.neg, None)

    def sign_(self) -> Tensor:
        return self._computed_inplace("sign_", Tensor.sign, None)

    def sin_(self) -> Tensor:
        return self._computed_inplace("sin_", Tensor.sin, None)

    def cos_(self) -> Tensor:
        return self._computed_inplace("cos_", Tensor.cos, None)

    def tan_(self) -> Tensor:
        return self._computed_inplace("tan_", Tensor.tan, None)

    def erf_(self) -> Tensor:
        return self._computed_inplace("erf_", Tensor.erf, None)

    def erfc_(self) -> Tensor:
        return self._computed_inplace("erfc_", Tensor.erfc, None)

    def erfinv_(self) -> Tensor:
        return self._computed_inplace("erfinv_", Tensor.erfinv, None)

    def lgamma_(self) -> Tensor:
        return self._computed_inplace("lgamma_", Tensor.lgamma, None)

    def digamma_(self) -> Tensor:
        return self._computed_inplace("digamma_", Tensor.digamma, None)

    def polygamma_(self, n: int) -> Tensor:
        return self._computed_inplace("polygamma_", lambda x: x.polygamma(n), None)

    def i0_(self) -> Tensor:
        return self._computed_inplace("i0_", Tensor.i0, None)

    def mvlgamma_(self, p: int) -> Tensor:
        return self._computed_inplace("mvlgamma_", lambda x: x.mvlgamma(p), None)

    def igamma_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("igamma_", lambda x: x.igamma(other), other)

    def igammac_(self, other: Tensor) -> Tensor:
        return self._computed_inplace("igammac_", lambda x: x.igammac(other), other)

    def floor_(self) -> Tensor:
        return self._computed_inplace("floor_", Tensor.floor, None)

    def ceil_(self) -> Tensor:
        return self._computed_inplace("ceil_", Tensor.ceil, None)

    def trunc_(self) -> Tensor:
        return self._computed_inplace("trunc_", Tensor.trunc, None)

    def frac_(self) -> Tensor:
        return self._computed_inplace("frac_", Tensor.frac, None)

    def round_(self, *, decimals: int = 0) -> Tensor:
        return self._computed_inplace("round_", lambda x: x.round(decimals=decimals), None)

    def clamp_(self, min: Scalar | None = None, max: Scalar | None = None) -> Tensor:
        return self._computed_inplace("clamp_", lambda x: x.clamp(min, max), min, max)

    def clip_(self, min: Scalar | None = None, max: Scalar | None = None) -> Tensor:
        return self._computed_inplace("clip_", lambda x: x.clamp(min, max), min, max)

    def clamp_min_(self, min: Any) -> Tensor:
        return self._computed_inplace("clamp_min_", lambda x: x.clamp_min(min), min)

    def clamp_max_(self, max: Any) -> Tensor:
        return self._computed_inplace("clamp_max_", lambda x: x.clamp_max(max), max)

    def nan_to_num_(
        self, nan: Scalar = 0.0, posinf: Scalar | None = None, neginf: Scalar | None = None
    ) -> Tensor:
        return self._computed_inplace(
            "nan_to_num_", lambda x: x.nan_to_num(nan, posinf, neginf), None
        )

    def pow_(self, exponent: Any) -> Tensor:
        return self._computed_inplace("pow_", lambda x: x.pow(exponent), exponent)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        return self._computed_inplace("masked_fill_", lambda x: x.masked_fill(mask, value), value)

    def sinh_(self) -> Tensor:
        return self._computed_inplace("sinh_", Tensor.sinh)

    def cosh_(self) -> Tensor:
        return self._computed_inplace("cosh_", Tensor.cosh)

    def asin_(self) -> Tensor:
        return self._computed_inplace("asin_", Tensor.asin)

    def acos_(self) -> Tensor:
        return self._computed_inplace("acos_", Tensor.acos)

    def atan_(self) -> Tensor:
        return self._computed_inplace("atan_", Tensor.atan)

    def asinh_(self) -> Tensor:
        return self._computed_inplace("asinh_", Tensor.asinh)

    def acosh_(self) -> Tensor:
        return self._computed_inplace("acosh_", Tensor.acosh)

    def atanh_(self) -> Tensor:
        return self._computed_inplace("atanh_", Tensor.atanh)

    arcsin_ = asin_
    arccos_ = acos_
    arctan_ = atan_
    arcsinh_ = asinh_
    arccosh_ = acosh_
    arctanh_ = atanh_

    def sinc_(self) -> Tensor:
        return self._computed_inplace("sinc_", Tensor.sinc)

    def sgn_(self) -> Tensor:
        return self._computed_inplace("sgn_", Tensor.sgn)

    def deg2rad_(self) -> Tensor:
        return self._computed_inplace("deg2rad_", Tensor.deg2rad)

    def rad2deg_(self) -> Tensor:
        return self._computed_inplace("rad2deg_", Tensor.rad2deg)

    def logit_(self, eps: Scalar | None = None) -> Tensor:
        return self._computed_inplace("logit_", lambda x: x.logit(eps))

    fix_ = trunc_
    negative_ = neg_
    absolute_ = abs_

    def cumsum_(self, dim: int, *, dtype: DTypeLike = None) -> Tensor:
        _same_dtype_in_place(self, dtype, "cumsum_")
        return self._computed_inplace("cumsum_", lambda x: x.cumsum(dim))

    def cumprod_(self, dim: int, *, dtype: DTypeLike = None) -> Tensor:
        _same_dtype_in_place(self, dtype, "cumprod_")
        return self._computed_inplace("cumprod_", lambda x: x.cumprod(dim))

    def atan2_(self, other: Any) -> Tensor:
        return self._computed_inplace("atan2_", lambda x: x.atan2(other), other)

    arctan2_ = atan2_

    def hypot_(self, other: Any) -> Tensor:
        return self._computed_inplace("hypot_", lambda x: x.hypot(other), other)

    def copysign_(self, other: Any) -> Tensor:
        return self._computed_inplace("copysign_", lambda x: x.copysign(other), other)

    def fmod_(self, other: Any) -> Tensor:
        return self._computed_inplace("fmod_", lambda x: x.fmod(other), other)

    def remainder_(self, other: Any) -> Tensor:
        return self._computed_inplace("remainder_", lambda x: x.remainder(other), other)

    def xlogy_(self, other: Any) -> Tensor:
        return self._computed_inplace("xlogy_", lambda x: x.xlogy(other), other)

    def heaviside_(self, values: Tensor) -> Tensor:
        return self._computed_inplace("heaviside_", lambda x: x.heaviside(values), values)

    def float_power_(self, exponent: Any) -> Tensor:
        """self ← self ** exponent in float64; as torch, only a float64 tensor can hold it."""
        if self.dtype != np.float64:
            raise RuntimeError(
                f"float_power_(): the base given to float_power_ has dtype {self.dtype} but "
                "the operation's result requires dtype float64"
            )
        return self._computed_inplace("float_power_", lambda x: x.float_power(exponent), exponent)

    def subtract_(self, other: Any, *, alpha: Scalar = 1) -> Tensor:
        return self.sub_(other, alpha=alpha)

    def multiply_(self, other: Any) -> Tensor:
        return self.mul_(other)

    def divide_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return self.div_(other, rounding_mode=rounding_mode)

    def true_divide_(self, other: Any) -> Tensor:
        return self.div_(other)

    def floor_divide_(self, other: Any) -> Tensor:
        return self.div_(other, rounding_mode="floor")

    def lerp_(self, end: Tensor, weight: Any) -> Tensor:
        return self._computed_inplace("lerp_", lambda x: x.lerp(end, weight), end, weight)

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "addcmul_", lambda x: x.addcmul(tensor1, tensor2, value=value), tensor1, tensor2
        )

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "addcdiv_", lambda x: x.addcdiv(tensor1, tensor2, value=value), tensor1, tensor2
        )

    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "addmm_", lambda x: x.addmm(mat1, mat2, beta=beta, alpha=alpha), mat1, mat2
        )

    def addmv_(self, mat: Tensor, vec: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "addmv_", lambda x: x.addmv(mat, vec, beta=beta, alpha=alpha), mat, vec
        )

    def addr_(self, vec1: Tensor, vec2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "addr_", lambda x: x.addr(vec1, vec2, beta=beta, alpha=alpha), vec1, vec2
        )

    # Comparisons in place write 1 or 0 in this tensor's dtype, as torch's eq_ does.
    def eq_(self, other: Any) -> Tensor:
        return self._computed_inplace("eq_", lambda x: x.eq(other), other)

    def ne_(self, other: Any) -> Tensor:
        return self._computed_inplace("ne_", lambda x: x.ne(other), other)

    def lt_(self, other: Any) -> Tensor:
        return self._computed_inplace("lt_", lambda x: x.lt(other), other)

    def le_(self, other: Any) -> Tensor:
        return self._computed_inplace("le_", lambda x: x.le(other), other)

    def gt_(self, other: Any) -> Tensor:
        return self._computed_inplace("gt_", lambda x: x.gt(other), other)

    def ge_(self, other: Any) -> Tensor:
        return self._computed_inplace("ge_", lambda x: x.ge(other), other)

    not_equal_ = ne_
    less_ = lt_
    less_equal_ = le_
    greater_ = gt_
    greater_equal_ = ge_

    def tril_(self, diagonal: int = 0) -> Tensor:
        return self._computed_inplace("tril_", lambda x: x.tril(diagonal))

    def triu_(self, diagonal: int = 0) -> Tensor:
        return self._computed_inplace("triu_", lambda x: x.triu(diagonal))

    def index_add_(self, dim: int, index: Any, source: Tensor, *, alpha: Scalar = 1) -> Tensor:
        return self._computed_inplace(
            "index_add_", lambda x: x.index_add(dim, index, source, alpha=alpha), source
        )

    def index_copy_(self, dim: int, index: Any, source: Tensor) -> Tensor:
        return self._computed_inplace(
            "index_copy_", lambda x: x.index_copy(dim, index, source), source
        )

    def index_fill_(self, dim: int, index: Any, value: Any) -> Tensor:
        return self._computed_inplace(
            "index_fill_", lambda x: x.index_fill(dim, index, value), value
        )

    def scatter_(
        self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None
    ) -> Tensor:
        return self._computed_inplace(
            "scatter_", lambda x: x.scatter(dim, index, src, value=value, reduce=reduce), src
        )

    def scatter_add_(self, dim: int, index: Any, src: Tensor) -> Tensor:
        return self._computed_inplace("scatter_add_", lambda x: x.scatter_add(dim, index, src), src)

    def fill_diagonal_(self, fill_value: Scalar, wrap: bool = False) -> Tensor:
        """The main diagonal (entries [i, i, …, i]) set to ``fill_value`` in place; for a tall
        matrix, ``wrap=True`` starts again N + 1 rows down, as numpy and torch do. x̄ = g off
        the diagonal, 0 on it."""
        if self.ndim < 2:
            raise RuntimeError(
                f"fill_diagonal_(): dimensions must larger than 1, got shape {self.shape}"
            )
        if self.ndim > 2 and len(set(self.shape)) != 1:
            raise RuntimeError(
                f"fill_diagonal_(): all dimensions of input must be of equal length, got shape "
                f"{self.shape}"
            )
        if isinstance(fill_value, Tensor) and fill_value.ndim == 0:
            fill_value = fill_value.item()  # a 0-d tensor is a number, as in torch
        if not isinstance(fill_value, numbers.Number):
            raise TypeError(
                f"fill_diagonal_(): fill_value must be a number, got {type(fill_value).__name__}"
            )
        _number_fits(fill_value, self.data.dtype, f"fill_diagonal_(): fill_value {fill_value!r}")

        # a masked_fill, so that x̄ = g off the diagonal (a constant result would pass x none)
        diagonal = np.zeros(self.shape, dtype=bool)
        np.fill_diagonal(diagonal, True, wrap=wrap)
        return self._computed_inplace(
            "fill_diagonal_", lambda x: x.masked_fill(diagonal, fill_value)
        )

    # Random fills: the draws of the global generator (tg.manual_seed), or of ``generator``.
    def _random_fill(
        self, op: str, draw: Callable[[np.random.Generator], np.ndarray], generator: Any
    ) -> Tensor:
        rng = _numpy_generator(generator, op)
        return self._computed_inplace(op, lambda x: Tensor._make(np.asarray(draw(rng))))

    def _float_fill(self, op: str, **params: Any) -> None:
        if self.data.dtype.kind not in "fc":
            raise NotImplementedError(
                f"{op}: not implemented for {self.dtype} (shape {self.shape})"
            )
        _fill_numbers(op, params)

    def uniform_(self, from_: Scalar = 0.0, to: Scalar = 1.0, *, generator: Any = None) -> Tensor:
        """U[from, to) in place (``Tensor.uniform_(from, to)``; ``from`` is a keyword in Python,
        so the first argument is positional or ``from_``)."""
        self._float_fill("uniform_", from_=from_, to=to)
        if not (math.isfinite(from_) and math.isfinite(to)):
            raise RuntimeError(f"uniform_(): from and to must be finite, got from={from_}, to={to}")
        if not from_ <= to:
            raise RuntimeError(
                f"uniform_(): expects to return a [from, to) range, but found from={from_} > "
                f"to={to}"
            )
        return self._random_fill(
            "uniform_", lambda rng: _uniform(rng, from_, to, self.shape, self.data.dtype), generator
        )

    def normal_(self, mean: Scalar = 0.0, std: Scalar = 1.0, *, generator: Any = None) -> Tensor:
        self._float_fill("normal_", mean=mean, std=std)
        if not std >= 0:
            raise RuntimeError(f"normal_(): expects std >= 0.0, but found std {std}")
        return self._random_fill(
            "normal_", lambda rng: rng.normal(mean, std, self.shape).astype(self.dtype), generator
        )

    def log_normal_(
        self, mean: Scalar = 1.0, std: Scalar = 2.0, *, generator: Any = None
    ) -> Tensor:
        self._float_fill("log_normal_", mean=mean, std=std)
        if not std > 0:
            raise RuntimeError(f"log_normal_(): expects std > 0.0, but found std={std}")
        return self._random_fill(
            "log_normal_",
            lambda rng: rng.lognormal(mean, std, self.shape).astype(self.dtype),
            generator,
        )

    def exponential_(self, lambd: Scalar = 1.0, *, generator: Any = None) -> Tensor:
        self._float_fill("exponential_", lambd=lambd)
        if not lambd > 0:
            raise RuntimeError(f"exponential_(): expects lambda > 0.0, but found lambda={lambd}")
        return self._random_fill(
            "exponential_",
            lambda rng: rng.exponential(1 / lambd, self.shape).astype(self.dtype),
            generator,
        )

    def cauchy_(
        self, median: Scalar = 0.0, sigma: Scalar = 1.0, *, generator: Any = None
    ) -> Tensor:
        self._float_fill("cauchy_", median=median, sigma=sigma)
        if not sigma > 0:
            raise RuntimeError(f"cauchy_(): expects sigma > 0.0, but found sigma={sigma}")
        return self._random_fill(
            "cauchy_",
            lambda rng: (median + sigma * rng.standard_cauchy(self.shape)).astype(self.dtype),
            generator,
        )

    def geometric_(self, p: Scalar, *, generator: Any = None) -> Tensor:
        """The number of Bernoulli(p) trials up to the first success (1, 2, …), in place."""
        _fill_numbers("geometric_", {"p": p})
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_(): expects p to be in (0, 1), but got p={p}")
        return self._random_fill(
            "geometric_", lambda rng: rng.geometric(p, self.shape).astype(self.dtype), generator
        )

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """1 with probability p (a number, or a tensor broadcast to this one), else 0."""
        if not isinstance(p, Tensor):
            _fill_numbers("bernoulli_", {"p": p})
        probs = p.data if isinstance(p, Tensor) else np.asarray(p, dtype=np.float64)
        if not np.all((probs >= 0) & (probs <= 1)):
            raise RuntimeError(f"bernoulli_(): expects p to be in [0, 1], but got p={p!r:.60}")
        return self._random_fill(
            "bernoulli_",
            lambda rng: (rng.random(self.shape) < probs).astype(self.dtype),
            generator,
        )

    def random_(self, from_: int = 0, to: int | None = None, *, generator: Any = None) -> Tensor:
        """Integers uniform on [from, to) in place; ``random_(to)`` is [0, to), and ``random_()``
        is [0, 2^mantissa] for floats (the integers the dtype holds exactly), as torch."""
        for name, bound in (("from", from_), ("to", to)):
            if bound is not None and (
                type(bound) is bool or not isinstance(bound, numbers.Integral)
            ):
                raise TypeError(f"random_(): {name} must be an int, got {bound!r:.40}")
        if to is None and from_ != 0:
            from_, to = 0, from_
        if to is None:
            kind = self.data.dtype.kind
            if kind == "f":
                to = 2 ** (np.finfo(self.dtype).nmant + 1) + 1
            else:
                to = 2 if kind == "b" else int(np.iinfo(self.dtype).max) + 1
        if not from_ < to:
            raise RuntimeError(
                f"random_(): expects 'from' to be less than 'to', but got from={from_} >= to={to}"
            )
        low, high = int(from_), int(to)
        kind = self.data.dtype.kind
        if kind in "biu":  # torch refuses a range the dtype cannot hold
            lo_ok, hi_ok = (
                (0, 1)
                if kind == "b"
                else (int(np.iinfo(self.dtype).min), int(np.iinfo(self.dtype).max))
            )
            if low < lo_ok:
                raise RuntimeError(
                    f"random_(): from is out of bounds for {self.dtype}, got from={low}"
                )
            if high - 1 > hi_ok:
                raise RuntimeError(
                    f"random_(): to - 1 is out of bounds for {self.dtype}, got to={high}"
                )
        return self._random_fill(
            "random_", lambda rng: rng.integers(low, high, self.shape).astype(self.dtype), generator
        )

    # ------------------------------------------------------------------ more shape and selection

    def ravel(self) -> Tensor:
        """The elements as one dim (``torch.ravel``), a view where the memory allows."""
        return self.reshape(-1)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Dim ``dim`` split into dims of ``sizes`` (one may be -1) (``torch.unflatten``)."""
        if self.ndim == 0:
            raise IndexError("unflatten(): dimension specified as 0 but tensor has no dimensions")
        d = self._dim(dim, "unflatten")
        shape = _int_args((sizes,), "unflatten", "sizes")
        if not shape:
            raise RuntimeError("unflatten(): sizes must be non-empty")
        n, known = self.shape[d], math.prod(s for s in shape if s != -1)
        ok = n == known if -1 not in shape else shape.count(-1) == 1 and known and n % known == 0
        if not ok or any(s < -1 for s in shape):
            raise RuntimeError(
                f"unflatten(): provided sizes {list(shape)} don't multiply up to the size of dim "
                f"{d} ({n}) in the input tensor of shape {self.shape}"
            )
        # the -1 from dim d alone: reshape's -1 is ambiguous when another dim is empty
        shape = tuple(n // known if s == -1 else s for s in shape)
        return self.reshape(self.shape[:d] + shape + self.shape[d + 1 :])

    def tensor_split(self, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Views of the tensor split along ``dim`` (``torch.tensor_split``): into k nearly equal
        pieces for an int k (the first n mod k one longer), or at the given indices."""
        if self.ndim == 0:
            raise RuntimeError(
                "tensor_split(): expected at least a 1-dimensional tensor, but got a tensor "
                "with 0 dims"
            )
        d = self._dim(dim, "tensor_split")
        n = self.shape[d]
        spec = indices_or_sections
        if isinstance(spec, Tensor):
            if spec.data.dtype.kind not in "iu" or spec.ndim > 1:
                raise RuntimeError(
                    "tensor_split(): expected tensor_indices_or_sections to be a zero-dimensional "
                    f"or one-dimensional tensor of integers, got dtype {spec.dtype} and shape "
                    f"{spec.shape}"
                )
            spec = spec.item() if spec.ndim == 0 else spec.tolist()
        if isinstance(spec, (tuple, list)):
            cuts = list(_int_args((spec,), "tensor_split", "indices"))
            bounds = list(zip([0, *cuts], [*cuts, n]))
        else:
            k = _int_arg(spec, "tensor_split", "sections")
            if k <= 0:
                raise RuntimeError(
                    f"tensor_split(): number of sections must be larger than 0, got {k}"
                )
            q, r = divmod(n, k)
            ends = np.cumsum([q + 1] * r + [q] * (k - r)).tolist()
            bounds = list(zip([0, *ends[:-1]], ends))
        return tuple(self[_along(d, slice(a, b))] for a, b in bounds)

    def _split_along(self, spec: Any, dim: int, least: int, op: str) -> tuple[Tensor, ...]:
        """hsplit/vsplit/dsplit: ``tensor_split`` along ``dim``, sections dividing evenly."""
        if self.ndim < least:
            raise RuntimeError(
                f"{op}(): requires a tensor with at least {least} dimension(s), but got a tensor "
                f"with {self.ndim} dimensions (shape {self.shape})"
            )
        if not isinstance(spec, (tuple, list, Tensor)):
            k = _int_arg(spec, op, "sections")
            if k == 0 or self.shape[dim] % k:
                raise RuntimeError(
                    f"{op}(): attempted to split along dimension {dim}, but the size of the "
                    f"dimension {self.shape[dim]} is not divisible by the split_size {k}"
                )
        return self.tensor_split(spec, dim)

    def hsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along dim 1 (dim 0 of a vector) (``torch.hsplit``)."""
        dim = 1 if self.ndim >= 2 else 0
        return self._split_along(indices_or_sections, dim, 1, "hsplit")

    def vsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along dim 0 of a tensor of 2 or more dims (``torch.vsplit``)."""
        return self._split_along(indices_or_sections, 0, 2, "vsplit")

    def dsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along dim 2 of a tensor of 3 or more dims (``torch.dsplit``)."""
        return self._split_along(indices_or_sections, 2, 3, "dsplit")

    def split_with_sizes(self, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """``split`` into pieces of the given sizes (``torch.split_with_sizes``)."""
        if not isinstance(split_sizes, (tuple, list)):
            raise TypeError(
                f"split_with_sizes(): split_sizes must be a sequence of ints, got {split_sizes!r}"
            )
        return self.split(list(split_sizes), dim)

    def fliplr(self) -> Tensor:
        """``flip(1)`` of a tensor of 2 or more dims (``torch.fliplr``)."""
        if self.ndim < 2:
            raise RuntimeError(f"fliplr(): input must be >= 2-d, got shape {self.shape}")
        return self.flip(1)

    def flipud(self) -> Tensor:
        """``flip(0)`` of a tensor of 1 or more dims (``torch.flipud``)."""
        if self.ndim < 1:
            raise RuntimeError("flipud(): input must be >= 1-d, got shape ()")
        return self.flip(0)

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
        """Rotate by 90° k times in the plane of ``dims``, from the first towards the second
        (``torch.rot90``); composed of flip and transpose, so x̄ = g rotated back."""
        turns = _int_arg(k, "rot90", "k")
        axes = _int_args((dims,), "rot90", "dims")
        if len(axes) != 2:
            raise RuntimeError(
                f"rot90(): expected total rotation dims == 2, but got dims = {len(axes)}"
            )
        if self.ndim < 2:
            raise RuntimeError(
                f"rot90(): expected total dims >= 2, but got total dims = {self.ndim}"
            )
        d0, d1 = self._dim(axes[0], "rot90"), self._dim(axes[1], "rot90")
        if d0 == d1:
            raise RuntimeError(
                f"rot90(): expected rotation dims to be different, but got dim0 = {axes[0]} and "
                f"dim1 = {axes[1]}"
            )
        turns %= 4
        if turns == 1:
            return self.flip(d1).transpose(d0, d1)
        if turns == 2:
            return self.flip(d0, d1)
        if turns == 3:
            return self.flip(d0).transpose(d0, d1)
        return self.clone()

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """Every window of ``size`` entries along ``dimension``, ``step`` apart, as a new last dim
        (``torch.Tensor.unfold``): a view, as torch's (windows that overlap are read-only here:
        torch refuses writes to them too). x̄ adds each window's g back where it came from."""
        n_size, n_step = _int_arg(size, "unfold", "size"), _int_arg(step, "unfold", "step")
        if self.ndim == 0:
            if dimension not in (0, -1):
                raise IndexError(
                    f"unfold(): dimension {dimension} is out of range for a 0-d tensor"
                )
            return self.reshape(1).unfold(0, n_size, n_step).reshape(-1)
        d = self._dim(dimension, "unfold")
        if n_size < 0:
            raise RuntimeError(f"unfold(): size is {n_size} but must be >= 0")
        if n_size > self.shape[d]:
            raise RuntimeError(
                f"unfold(): maximum size for tensor at dimension {d} is {self.shape[d]} but size "
                f"is {n_size} (shape {self.shape})"
            )
        if n_step <= 0:
            raise RuntimeError(f"unfold(): step is {n_step} but must be > 0")
        return _apply(OPS["unfold"], self, dim=d, size=n_size, step=n_step)

    def repeat_interleave(
        self, repeats: Any, dim: int | None = None, *, output_size: int | None = None
    ) -> Tensor:
        """Each entry repeated ``repeats`` times (an int, or one count per entry) along ``dim``,
        of the flattened tensor without it (``torch.repeat_interleave``); an ``index_select``,
        so x̄ sums g over each entry's copies."""
        if dim is not None and self.ndim == 0:  # torch names no dim of a 0-d tensor here
            raise IndexError(
                f"repeat_interleave(): dimension specified as {dim} but tensor has no dimensions"
            )
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else x._dim(dim, "repeat_interleave")
        n = x.shape[d] if x.ndim else 1
        if isinstance(repeats, Tensor):
            if repeats.data.dtype.kind not in "iu" or repeats.ndim > 1:
                raise RuntimeError(
                    "repeat_interleave(): repeats must be an int or a 0-d or 1-D tensor of "
                    f"integers, got dtype {repeats.dtype} and shape {repeats.shape}"
                )
            counts = repeats.data.reshape(-1)
        else:
            counts = np.asarray([_int_arg(repeats, "repeat_interleave", "repeats")])
        if counts.size == 1:
            counts = np.broadcast_to(counts, (n,))
        if counts.size != n:
            raise RuntimeError(
                f"repeat_interleave(): repeats must have the same size as input along dim, but "
                f"got repeats.size(0) = {counts.size} and input.size({d}) = {n}"
            )
        if (counts < 0).any():
            raise RuntimeError("repeat_interleave(): repeats can not be negative")
        index = np.repeat(np.arange(n), counts)
        if output_size is not None and output_size != index.size:
            raise RuntimeError(
                f"repeat_interleave(): output_size {output_size} does not match the {index.size} "
                "entries the repeats give"
            )
        return x.reshape(1).index_select(0, index) if x.ndim == 0 else x.index_select(d, index)

    def masked_select(self, mask: Any) -> Tensor:
        """The entries where the bool ``mask`` holds (the two broadcast), as a vector
        (``torch.masked_select``); x̄ adds g back at those places."""
        m = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise RuntimeError(f"masked_select(): expected a bool mask, got dtype {m.dtype}")
        shape = _broadcast(self.shape, m.shape, "masked_select")
        return self.expand(shape)[np.broadcast_to(m, shape)]

    def _indices(self, index: Any, op: str, dtypes: str = "iu") -> np.ndarray:
        idx = index.data if isinstance(index, Tensor) else np.asarray(index)
        if idx.dtype.kind not in dtypes or (dtypes == "i" and idx.dtype != np.int64):
            raise RuntimeError(f"{op}(): expected an int64 index tensor, got dtype {idx.dtype}")
        return idx

    def take(self, index: Any) -> Tensor:
        """The entries of the flattened tensor at ``index`` (negatives count from the end), in
        ``index``'s shape (``torch.take``); x̄ adds g back where each came from."""
        idx = self._indices(index, "take", "i")
        n = self.numel()
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = idx[(idx < -n) | (idx >= n)].ravel()[0]
            raise IndexError(
                f"take(): out of range: tried to access index {bad} on a tensor of {n} elements"
            )
        out = self.reshape(-1)[idx % max(n, 1)]
        # (numpy reads a 0-d index array as an int: a view, where torch's take makes a new tensor)
        return out.clone() if out._base is not None else out

    def take_along_dim(self, indices: Any, dim: int | None = None) -> Tensor:
        """``gather`` with ``indices`` broadcast against the tensor outside ``dim``
        (``torch.take_along_dim``); without ``dim``, of the flattened tensor."""
        idx = self._indices(indices, "take_along_dim", "i")
        if dim is None:
            return self.reshape(-1).gather(0, idx.reshape(-1))
        d = self._dim(dim, "take_along_dim")
        if idx.ndim != self.ndim:
            raise RuntimeError(
                f"take_along_dim(): input and indices should have the same number of dimensions, "
                f"but got {self.ndim} dimensions for input, and {idx.ndim} dimensions for indices"
            )
        if self.ndim == 0:
            return self.gather(0, idx)
        outer = _broadcast(
            (*self.shape[:d], 1, *self.shape[d + 1 :]),
            (*idx.shape[:d], 1, *idx.shape[d + 1 :]),
            "take_along_dim",
        )
        x = self.expand((*outer[:d], self.shape[d], *outer[d + 1 :]))
        return x.gather(d, np.broadcast_to(idx, (*outer[:d], idx.shape[d], *outer[d + 1 :])))

    def _scatter_places(self, dim: int, index: Any, src: Tensor | None, op: str) -> tuple[Any, ...]:
        """Where ``index`` sends each entry along ``dim`` (scatter, scatter_add): integer
        arrays of ``index``'s shape, after torch's checks of dtype, shape and range."""
        d = self._dim(dim, op)
        idx = self._indices(index, op, "i")
        if idx.ndim != self.ndim or (src is not None and src.ndim != self.ndim):
            raise RuntimeError(
                f"{op}(): index of shape {idx.shape} must have as many dims as self (shape "
                f"{self.shape})" + ("" if src is None else f" and src (shape {src.shape})")
            )
        if any(k != d and i > n for k, (i, n) in enumerate(zip(idx.shape, self.shape))) or (
            src is not None and any(i > n for i, n in zip(idx.shape, src.shape))
        ):
            raise RuntimeError(
                f"{op}(): expected index {list(idx.shape)} to be no larger than self "
                f"{list(self.shape)} apart from dimension {d}"
                + ("" if src is None else f" and to be no larger size than src {list(src.shape)}")
            )
        size = self.shape[d]
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            bad = idx[(idx < 0) | (idx >= size)].ravel()[0]
            raise RuntimeError(
                f"{op}(): index {bad} is out of bounds for dimension {d} with size {size}"
            )
        grids: list[np.ndarray] = [
            np.arange(n).reshape([n if k == j else 1 for k in range(idx.ndim)])
            for j, n in enumerate(idx.shape)
        ]
        grids[d] = idx
        return tuple(np.broadcast_arrays(*grids))

    def _vector_scatter(self, index: Any, src: Any) -> tuple[Any, Any]:
        """A 1-D tensor's scatter reads a 0-d index or src as one entry, as torch's, which
        counts 0-d as 1-D in its dims checks (``zeros(10).scatter_(0, tensor(y), value=1)``,
        the one-hot of its Transforms tutorial)."""
        if isinstance(index, Tensor):
            index = index.reshape(1) if index.ndim == 0 else index
        elif np.ndim(index) == 0:
            index = np.reshape(index, 1)
        if isinstance(src, Tensor) and src.ndim == 0:
            src = src.reshape(1)
        return index, src

    def _scalar_scatter(self, dim: int, index: Any, src: Any, op: str) -> tuple[Any, Any]:
        """A 0-d tensor's scatter as a 1-element one's: its one index (0-d or of shape (1,),
        as torch) and the first entry of ``src`` (0-d or 1-D)."""
        self._dim(dim, op)
        idx = self._indices(index, op, "i")
        if idx.ndim > 1 or idx.size != 1:
            raise RuntimeError(
                f"{op}(): index of shape {idx.shape} must have one entry and as many dims as "
                f"self (shape ()) or one"
            )
        if not isinstance(src, Tensor):
            return idx.reshape(1), src
        if src.numel() == 0 or src.ndim > 1:
            raise RuntimeError(
                f"{op}(): index of shape {idx.shape} and src of shape {src.shape} do not fit a "
                "0-d self: src must be 0-d or 1-D with at least one entry"
            )
        return idx.reshape(1), src.reshape(-1)[:1]

    def _placed(self, src: Tensor, places: tuple[Any, ...], op: str) -> tuple[Tensor, np.ndarray]:
        """zeros of this shape with ``src`` placed at ``places`` (the last of repeated places
        wins), and the mask of the places. src̄ = g at each entry's place, repeats included, as
        torch's ``g.gather``: where places repeat, the value is corrected by a constant."""
        if src.dtype != self.dtype:
            raise RuntimeError(
                f"{op}(): expected self.dtype to be equal to src.dtype ({self.dtype} and "
                f"{src.dtype})"
            )
        covered = np.zeros(self.shape, dtype=np.int64)
        np.add.at(covered, places, 1)
        placed = src._index_add(self.shape, places)
        if (covered > 1).any():
            last = np.zeros(self.shape, dtype=self.dtype)
            last[places] = src.data
            placed = placed + Tensor._make(last - placed.data)
        return placed, covered > 0

    def scatter(
        self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None
    ) -> Tensor:
        """This tensor with ``src[i][j]`` written at ``[i][index[i][j]]`` for dim = 1 (and so
        on; ``src`` a tensor, or a number ``value``) (``torch.scatter``). x̄ = g where nothing
        was written, src̄ = g at each entry's place.

        torch's deprecated ``reduce='add'`` or ``'multiply'`` adds or multiplies instead of
        writing: ``scatter_reduce`` with ``'sum'`` or ``'prod'`` (a number is written as a
        tensor of the index's shape in this tensor's dtype), with its gradients, where torch's
        backward refuses ("derivative for aten::scatter is not implemented")."""
        if (src is None) == (value is None):
            raise TypeError("scatter(): give exactly one of src (a tensor or number) and value")
        fill = src if value is None else value
        if reduce is not None:
            return self._scatter_legacy_reduce(dim, index, fill, reduce)
        if self.ndim == 0:
            idx, flat = self._scalar_scatter(dim, index, fill, "scatter")
            return self.reshape(1).scatter(0, idx, flat).reshape(())
        if self.ndim == 1:
            index, fill = self._vector_scatter(index, fill)
        if not isinstance(fill, Tensor):
            places = self._scatter_places(dim, index, None, "scatter")
            mask = np.zeros(self.shape, dtype=bool)
            mask[places] = True
            return self.masked_fill(mask, fill)
        places = self._scatter_places(dim, index, fill, "scatter")
        part = fill[tuple(slice(0, s) for s in places[0].shape)]
        placed, mask = self._placed(part, places, "scatter")
        return where(mask, placed, self)

    def _scatter_legacy_reduce(self, dim: int, index: Any, fill: Any, reduce: Any) -> Tensor:
        """``scatter(..., reduce=)``: torch's two reductions, by ``scatter_reduce``."""
        if reduce not in ("add", "multiply"):
            raise RuntimeError(
                f"scatter(): reduce argument must be either add or multiply, got {reduce!r}"
            )
        if isinstance(fill, Tensor):
            warn(
                "scatter(): the reduce argument of scatter with Tensor src is deprecated (as in "
                "torch); use scatter_reduce instead for more reduction options."
            )
        else:
            shape = index.shape if isinstance(index, Tensor) else np.shape(index)
            fill = full(shape, fill, dtype=self.dtype)
        return self.scatter_reduce(dim, index, fill, "sum" if reduce == "add" else "prod")

    def scatter_add(self, dim: int, index: Any, src: Tensor) -> Tensor:
        """This tensor with ``src[i][j]`` added at ``[i][index[i][j]]`` for dim = 1, repeats
        accumulating (``torch.scatter_add``); x̄ = g, src̄ = g at each entry's place."""
        _expect_tensor(src, "scatter_add", "src")
        if self.ndim == 0:
            idx, flat = self._scalar_scatter(dim, index, src, "scatter_add")
            return self.reshape(1).scatter_add(0, idx, flat).reshape(())
        if self.ndim == 1:
            index, src = self._vector_scatter(index, src)
        places = self._scatter_places(dim, index, src, "scatter_add")
        if src.dtype != self.dtype:
            raise RuntimeError(
                f"scatter_add(): expected self.dtype to be equal to src.dtype ({self.dtype} and "
                f"{src.dtype})"
            )
        part = src[tuple(slice(0, s) for s in places[0].shape)]
        return self + part._index_add(self.shape, places)

    def _index_places(self, dim: int, index: Any, source: Tensor | None, op: str) -> Any:
        """The index along ``dim`` of index_add, index_copy and index_fill, checked as torch."""
        d = self._dim(dim, op)
        idx = self._indices(index, op, "i" if op != "index_add" else "iu")
        # torch's kinds differ by op: index_fill's index of 2 dims and index_add's index out
        # of range are RuntimeErrors, the rest IndexErrors; but index_add into a tensor of one
        # dim or none takes torch's index_select path, an IndexError (s30 focus seed 54016)
        shape_error = RuntimeError if op == "index_fill" else IndexError
        range_error = RuntimeError if op == "index_add" and self.ndim > 1 else IndexError
        if idx.ndim > 1:
            raise shape_error(f"{op}(): index must be a vector (1-D or 0-d), got shape {idx.shape}")
        idx = idx.reshape(-1)
        size = self.shape[d] if self.ndim else 1
        if idx.size and (idx.min() < -size if op == "index_fill" else idx.min() < 0):
            raise range_error(
                f"{op}(): index {idx.min()} is out of range for dim {d} of size {size}"
            )
        if idx.size and idx.max() >= size:
            raise range_error(
                f"{op}(): index {idx.max()} is out of range for dim {d} of size {size}"
            )
        if source is not None:
            expected = (*self.shape[:d], idx.size, *self.shape[d + 1 :]) if self.ndim else ()
            if source.shape != expected and not (self.ndim == 0 and source.numel() == 1):
                raise RuntimeError(
                    f"{op}(): source of shape {source.shape} must have self's shape {self.shape} "
                    f"with dim {d} of the index's length {idx.size}"
                )
            if source.dtype != self.dtype:
                raise RuntimeError(
                    f"{op}(): self ({self.dtype}) and source ({source.dtype}) must have the "
                    "same dtype"
                )
        return _along(d, idx % size) if self.ndim else (idx % size,)

    def index_add(self, dim: int, index: Any, source: Tensor, *, alpha: Scalar = 1) -> Tensor:
        """This tensor with alpha·``source``'s slices added at ``index`` along ``dim``, repeats
        accumulating (``torch.index_add``); x̄ = g, sourcē = alpha·g at each slice's place."""
        _expect_tensor(source, "index_add", "source")
        places = self._index_places(dim, index, source, "index_add")
        if self.ndim == 0:
            return self + source.reshape(()) * alpha * len(places[0])
        s = source if alpha == 1 else source * alpha
        return self + s._index_add(self.shape, places)

    def index_copy(self, dim: int, index: Any, source: Tensor) -> Tensor:
        """This tensor with ``source``'s slices written at ``index`` along ``dim``
        (``torch.index_copy``); x̄ = g where nothing was written, sourcē = g at each slice's
        place."""
        _expect_tensor(source, "index_copy", "source")
        places = self._index_places(dim, index, source, "index_copy")
        if self.ndim == 0:  # (a where, not the source alone: x̄ = 0 there, as torch's)
            return where(np.array(len(places[0]) > 0), source.reshape(()), self)
        placed, mask = self._placed(source, places, "index_copy")
        return where(mask, placed, self)

    def index_fill(self, dim: int, index: Any, value: Any) -> Tensor:
        """This tensor with ``value`` (a number or a 0-d tensor) in the slices at ``index``
        along ``dim`` (``torch.index_fill``); a ``masked_fill``."""
        places = self._index_places(dim, index, None, "index_fill")
        if self.ndim == 0:  # (its one element, if the index holds any)
            return self.masked_fill(np.array(len(places[0]) > 0), value)
        mask = np.zeros(self.shape, dtype=bool)
        mask[places] = True
        return self.masked_fill(mask, value)

    # Scatters with reductions and writes into views, in _methods_more.py.
    def scatter_reduce(
        self, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        return _more.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def index_reduce(
        self, dim: int, index: Any, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        return _more.index_reduce(self, dim, index, source, reduce, include_self=include_self)

    def index_put(self, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
        return _more.index_put(self, indices, values, accumulate)

    def put(self, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:
        return _more.put(self, index, source, accumulate)

    def masked_scatter(self, mask: Any, source: Tensor) -> Tensor:
        return _more.masked_scatter(self, mask, source)

    def select_scatter(self, src: Tensor, dim: int, index: int) -> Tensor:
        return _more.select_scatter(self, src, dim, index)

    def slice_scatter(
        self,
        src: Tensor,
        dim: int = 0,
        start: int | None = None,
        end: int | None = None,
        step: int = 1,
    ) -> Tensor:
        return _more.slice_scatter(self, src, dim, start, end, step)

    def diagonal_scatter(
        self, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1
    ) -> Tensor:
        return _more.diagonal_scatter(self, src, offset, dim1, dim2)

    def scatter_reduce_(
        self, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        return self._computed_inplace(
            "scatter_reduce_",
            lambda x: x.scatter_reduce(dim, index, src, reduce, include_self=include_self),
            src,
        )

    def index_reduce_(
        self, dim: int, index: Any, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        return self._computed_inplace(
            "index_reduce_",
            lambda x: x.index_reduce(dim, index, source, reduce, include_self=include_self),
            source,
        )

    def index_put_(self, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
        return self._computed_inplace(
            "index_put_", lambda x: x.index_put(indices, values, accumulate), values
        )

    def put_(self, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:
        return self._computed_inplace("put_", lambda x: x.put(index, source, accumulate), source)

    def masked_scatter_(self, mask: Any, source: Tensor) -> Tensor:
        return self._computed_inplace(
            "masked_scatter_", lambda x: x.masked_scatter(mask, source), source
        )

    # ------------------------------------------------------------------ more scans and reductions

    def _cumulative_extreme(self, dim: int, better: np.ufunc, op: str) -> _Cummax:
        """cummax/cummin: the running extreme along ``dim`` and its index, the latest among ties,
        and a nan once met (pointing at the latest nan), as torch. The values are a ``gather``
        at the indices, so x̄ adds g at them."""
        d = self._dim(dim, op)
        if self.ndim == 0:
            return _Cummax(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        a = np.moveaxis(self.data, d, 0)
        index = np.zeros(a.shape, dtype=np.int64)
        if len(a):
            best, at = a[0].copy(), np.zeros(a.shape[1:], dtype=np.int64)
            for i in range(1, len(a)):
                v = a[i]
                with np.errstate(invalid="ignore"):
                    take = np.isnan(v) | (~np.isnan(best) & better(v, best))
                best, at = np.where(take, v, best), np.where(take, i, at)
                index[i] = at
        indices = np.ascontiguousarray(np.moveaxis(index, 0, d))
        return _Cummax(self.gather(d, indices), Tensor._make(indices))

    def cummax(self, dim: int) -> _Cummax:
        """``(values, indices)``: the running maximum along ``dim`` and where it is
        (``torch.cummax``); ties take the latest index, x̄ adds g at the indices."""
        return self._cumulative_extreme(dim, np.greater_equal, "cummax")

    def cummin(self, dim: int) -> _Cummax:
        """``(values, indices)``: the running minimum along ``dim`` (``torch.cummin``)."""
        return self._cumulative_extreme(dim, np.less_equal, "cummin")

    def logcumsumexp(self, dim: int) -> Tensor:
        """ln Σ_{k≤i} e^{x_k} along ``dim`` without overflow (``torch.logcumsumexp``). Composed
        of logaddexp by a scan in log₂ n steps (as cumprod), so no entry under- or overflows:
        x̄ⱼ = Σ_{i≥j} gᵢ·e^{x_j − out_i}."""
        self._need_float("logcumsumexp")
        d = self._dim(dim, "logcumsumexp")
        n = self.shape[d] if self.ndim else 1
        x, shift = self, 1
        while shift < n:
            head = x[_along(d, slice(0, shift))]
            tail = x[_along(d, slice(shift, None))].logaddexp(x[_along(d, slice(0, n - shift))])
            x = cat([head, tail], d)
            shift *= 2
        return x.clone() if x is self else x

    def _pick(self, d: int, index: np.ndarray, keepdim: bool) -> _KthValue:
        """The entries at ``index`` (one per slice along ``d``, keepdim-shaped); x̄ = g there."""
        values, indices = self.gather(d, index), Tensor._make(index)
        if not keepdim:
            values, indices = values.squeeze(d), indices.squeeze(d)
        return _KthValue(values, indices)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> _KthValue:
        """``(values, indices)``: the k-th smallest entry along ``dim`` and its index
        (``torch.kthvalue``; nan sorts last). Among equal entries the index is the stable
        sort's (torch's selection may pick another). x̄ = g at the index."""
        _check_keepdim(keepdim, "kthvalue")
        kk = _int_arg(k, "kthvalue", "k")
        d = self._dim(dim, "kthvalue")
        if self.ndim == 0:
            if kk != 1:
                raise RuntimeError(
                    f"kthvalue(): selected number k = {kk} out of range for a 0-d tensor"
                )
            return _KthValue(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        if self.shape[d] == 0:
            raise IndexError(
                f"kthvalue(): expected reduction dim {d} to have non-zero size (shape {self.shape})"
            )
        if not 1 <= kk <= self.shape[d]:
            raise RuntimeError(
                f"kthvalue(): selected number k = {kk} out of range for dimension {d} of size "
                f"{self.shape[d]} (shape {self.shape})"
            )
        order = np.argsort(self.data, axis=d, kind="stable")
        return self._pick(d, np.take(order, [kk - 1], axis=d), keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> _KthValue:
        """``(values, indices)``: the most frequent entry along ``dim`` (the smallest of equally
        frequent ones) and the index of its last occurrence (``torch.mode``); x̄ = g there. The
        nans count as one value, the largest (torch's choice in a slice with a nan is erratic)."""
        _check_keepdim(keepdim, "mode")
        d = self._dim(dim, "mode")
        if self.ndim == 0:
            return _KthValue(self.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
        n = self.shape[d]
        if n == 0:
            raise IndexError(f"mode(): expected reduction dim {d} to have non-zero size")
        rows = np.moveaxis(self.data, d, -1).reshape(-1, n)
        at = np.empty(len(rows), dtype=np.int64)
        for r, row in enumerate(rows):
            values, counts = np.unique(row, return_counts=True)
            v = values[np.argmax(counts)]
            same = np.isnan(row) if np.isnan(v) else row == v
            at[r] = n - 1 - np.flatnonzero(same[::-1])[0]
        shape = self.shape[:d] + self.shape[d + 1 :]
        index = np.expand_dims(at.reshape(shape), d)
        return self._pick(d, index, keepdim)

    def quantile(
        self,
        q: Any,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        interpolation: str = "linear",
    ) -> Tensor:
        """The q-th quantiles along ``dim`` (of all entries without it) (``torch.quantile``): the
        sorted values at rank q·(n − 1), interpolated by ``interpolation`` ('linear', 'lower',
        'higher', 'midpoint', 'nearest'); nan if the slice holds a nan. A 1-D ``q`` gives its
        quantiles along a new first dim. Composed of sort, gather and lerp, as torch computes
        it: x̄ goes to the two sorted entries around each rank, by the lerp's weights."""
        return self._quantile(q, dim, keepdim, interpolation, "quantile", skip_nan=False)

    def nanquantile(
        self,
        q: Any,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        interpolation: str = "linear",
    ) -> Tensor:
        """``quantile`` ignoring nan: the rank is q·(m − 1) for the m entries that are not nan
        (``torch.nanquantile``); nan only where a slice is all nan."""
        return self._quantile(q, dim, keepdim, interpolation, "nanquantile", skip_nan=True)

    def _quantile(
        self, q: Any, dim: int | None, keepdim: bool, interpolation: str, op: str, *, skip_nan: bool
    ) -> Tensor:
        _check_keepdim(keepdim, op)
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"{op}(): input tensor must be either float or double dtype, got {self.dtype}"
            )
        if isinstance(q, Tensor):
            if q.dtype != self.dtype:
                raise RuntimeError(
                    f"{op}(): q tensor must be same dtype as the input tensor ({q.dtype} and "
                    f"{self.dtype})"
                )
            if q.ndim > 1:
                raise RuntimeError(f"{op}(): q must be a scalar or 1D tensor, got shape {q.shape}")
            qs, many = q.data.reshape(-1), q.ndim == 1
        else:
            _check_bound(q, op, "q")
            qs, many = np.asarray([q], dtype=self.dtype), False
        if ((qs < 0) | (qs > 1)).any() or np.isnan(qs).any():
            raise RuntimeError(f"{op}(): q values must be in the range [0, 1], got {qs.tolist()}")
        modes = ("linear", "lower", "higher", "midpoint", "nearest")
        if interpolation not in modes:
            raise RuntimeError(
                f"{op}(): interpolation must be one of linear, lower, higher, midpoint or "
                f"nearest. Got {interpolation}"
            )
        if self.numel() == 0:
            raise RuntimeError(f"{op}(): input tensor must be non-empty")
        if dim is None:
            x, d = self.reshape(-1), None
        else:
            d = self._dim(dim, op)
            x = self.movedim(d, -1) if self.ndim else self.reshape(1)
        ordered = x.sort(-1).values
        n = ordered.shape[-1]
        nan = np.isnan(ordered.data)
        # The ranks as a Tensor of q, so that a q that requires grad gets torch's gradient
        # through the linear weights: (above − below)·(n − 1) per quantile.
        q_t = q.reshape(-1) if isinstance(q, Tensor) else Tensor._make(qs)
        if skip_nan:
            count = (~nan).sum(-1, keepdims=True)
            ranks_t = q_t * Tensor._make((count - 1).astype(self.dtype))
            fixed = ranks_t.data < 0  # an all-nan slice: the last entry, a nan
        else:
            ranks_t = q_t * Tensor._make(np.asarray(n - 1, dtype=self.dtype))
            fixed = nan.any(-1, keepdims=True)  # a nan in the slice: the last entry, a nan
        last = Tensor._make(np.asarray(n - 1, dtype=self.dtype))
        ranks_t = where(fixed, last, ranks_t).expand((*ordered.shape[:-1], len(qs)))
        ranks = ranks_t.data
        if interpolation in ("lower", "higher", "nearest"):
            rounding: dict[str, Callable[[np.ndarray], Any]] = {
                "lower": np.floor,
                "higher": np.ceil,
                "nearest": np.round,  # halves to even, as torch's round
            }
            rounded = rounding[interpolation](ranks)
            out = ordered.gather(-1, np.asarray(rounded).astype(np.int64))
        else:
            below, above = np.floor(ranks), np.ceil(ranks)
            if interpolation == "linear":
                weights = ranks_t - Tensor._make(below)
            else:
                weights = Tensor._make(np.where(below == ranks, 0.0, 0.5).astype(self.dtype))
            low = ordered.gather(-1, below.astype(np.int64))
            high = ordered.gather(-1, above.astype(np.int64))
            out = low.lerp(high, weights)
        out = out.movedim(-1, 0) if many else out.squeeze(-1)
        if keepdim:
            lead = 1 if many else 0
            if d is None:
                out = out.reshape(out.shape[:lead] + (1,) * self.ndim)
            elif self.ndim:
                out = out.unsqueeze(lead + d)
        elif d is not None and self.ndim == 0:
            out = out.reshape(out.shape[:1] if many else ())
        return out

    # ------------------------------------------------------------------ more linear algebra

    def inner(self, other: Tensor) -> Tensor:
        """Σ over the last dims of both, out[i…, j…] = Σₖ x[i…, k]·other[j…, k]
        (``torch.inner``; a 0-d operand multiplies). Composed as one matmul of the flattened
        operands, so x̄ = g·other and other̄ = g·x summed accordingly."""
        _expect_tensor(other, "inner", "other")
        if self.ndim == 0 or other.ndim == 0:
            return self * other
        if self.shape[-1] != other.shape[-1]:
            raise RuntimeError(
                f"inner(): the last dimension must match on both input tensors but got shapes "
                f"{self.shape} and {other.shape}"
            )
        _same_dtype("inner", self, other)
        k = self.shape[-1]
        # the row counts named, as -1 cannot be inferred for an empty operand
        rows = (math.prod(self.shape[:-1]), math.prod(other.shape[:-1]))
        product = self.reshape(rows[0], k).matmul(other.reshape(rows[1], k).mT)
        return product.reshape(self.shape[:-1] + other.shape[:-1])

    _cross_warned = False

    def cross(self, other: Tensor, dim: int | None = None) -> Tensor:
        """The cross product of 3-vectors along ``dim`` (``torch.cross``; the two broadcast in
        the other dims, both have size 3 in ``dim``). Without ``dim``, the first dim of size 3 of
        ``self``, with torch's deprecation warning (once). Composed of index_select and
        products: out = a[1,2,0]·b[2,0,1] − a[2,0,1]·b[1,2,0]."""
        _expect_tensor(other, "cross", "other")
        _same_dtype("cross", self, other)
        if self.ndim != other.ndim:
            raise RuntimeError(
                f"cross(): inputs must have the same number of dimensions, got shapes "
                f"{self.shape} and {other.shape}"
            )
        shape = _broadcast(self.shape, other.shape, "cross")
        if dim is None:
            if not Tensor._cross_warned:
                Tensor._cross_warned = True
                warn(
                    "cross(): using cross without specifying the dim arg is deprecated (torch's "
                    "warning); the first dim of size 3 is used",
                    UserWarning,
                )
            threes = [i for i, s in enumerate(self.shape) if s == 3]
            if not threes:
                raise RuntimeError(f"cross(): no dimension of size 3 in input (shape {self.shape})")
            d = threes[0]
        else:
            d = Tensor._make(np.zeros(shape))._dim(dim, "cross")
        if self.shape[d] != 3 or other.shape[d] != 3:  # torch broadcasts no size 1 there
            raise RuntimeError(
                f"cross(): inputs dimension {d} must have length 3. Got {self.shape} and "
                f"{other.shape}"
            )
        a, b = self.expand(shape), other.expand(shape)
        first, second = np.array([1, 2, 0]), np.array([2, 0, 1])
        return a.index_select(d, first) * b.index_select(d, second) - a.index_select(
            d, second
        ) * b.index_select(d, first)

    def _square_matrices(self, op: str) -> None:
        if self.ndim < 2 or self.shape[-1] != self.shape[-2]:
            raise RuntimeError(
                f"{op}(): A must be batches of square matrices, but got a tensor of shape "
                f"{self.shape}"
            )
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"{op}(): expected a floating point tensor as input, got dtype {self.dtype}"
            )

    def det(self) -> Tensor:
        """The determinant of each square matrix in the last two dims (``torch.det``), by LU
        (numpy.linalg); X̄ = g·cof X, the cofactor matrix (a primitive; see ``_cofactors``)."""
        self._square_matrices("det")
        return _apply(OPS["det"], self)

    def _cofactors(self, det: Tensor) -> Tensor:
        """The cofactor matrices cof X = ∂ det X / ∂X of these square matrices, given their
        determinants: det X·X⁻ᵀ when every one is invertible, else (−1)^(i+j)·det of X without
        row i and column j, entry by entry (the gradient torch gives at a singular matrix;
        one of rank ≤ n − 2 gets 0). Both are compositions, so higher derivatives follow."""
        d = det.data
        if np.all(np.isfinite(d) & (d != 0)):
            return det.unsqueeze(-1).unsqueeze(-1) * self.inverse().mT
        n = self.shape[-1]
        if n == 1:
            return self._piecewise_constant(np.ones(self.shape, dtype=self.dtype))
        rows = []
        for i in range(n):
            without_row = self.index_select(-2, np.array([k for k in range(n) if k != i]))
            row = [
                without_row.index_select(-1, np.array([k for k in range(n) if k != j])).det()
                * (-1.0) ** (i + j)
                for j in range(n)
            ]
            rows.append(stack(row, -1))
        return stack(rows, -2)

    def _solve(self, b: Tensor) -> Tensor:
        """The solve primitive: self⁻¹b for (batches of) square matrices self and matrices b,
        unchecked (``linalg.solve`` checks and names the shapes; derivative rules call this)."""
        return _apply(OPS["solve"], self, b)

    def inverse(self) -> Tensor:
        """The inverse of each square matrix in the last two dims (``torch.inverse``); a
        singular one is refused, as torch. X̄ = −X⁻ᵀ g X⁻ᵀ (a primitive)."""
        self._square_matrices("inverse")
        try:
            return _apply(OPS["inverse"], self)
        except ValueError:
            raise OpError(
                f"inverse(): the input matrix (of the batch of shape {self.shape}) is singular: "
                "the inversion could not be completed"
            ) from None

    # The solve family lives in _linalg_solve, which builds on Tensor: imported when called.
    def cholesky(self, upper: bool = False) -> Tensor:
        """``torch.Tensor.cholesky``: see ``linalg.cholesky`` (deprecated in torch, which warns
        once)."""
        from . import _linalg_solve

        return _linalg_solve.old_cholesky(self, upper)

    def lu(self, pivot: bool = True, get_infos: bool = False) -> Any:
        """``torch.Tensor.lu``: (LU, pivots), and info with ``get_infos``, a plain tuple (where
        ``tg.lu``'s is named, as torch's); see ``linalg.lu_factor`` (deprecated in torch, which
        warns once)."""
        from . import _linalg_solve

        return tuple(_linalg_solve.old_lu(self, pivot, get_infos))

    def lu_solve(self, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
        """``torch.Tensor.lu_solve``: X with AX = self for A = PLU given by ``lu``; see
        ``linalg.lu_solve`` (deprecated in torch, which warns once)."""
        from . import _linalg_solve

        return _linalg_solve.old_lu_solve(self, LU_data, LU_pivots)

    def cholesky_solve(self, input2: Tensor, upper: bool = False) -> Tensor:
        """``torch.Tensor.cholesky_solve``: X with AX = self, A = LLᵀ given its factor input2."""
        from . import _linalg_solve

        return _linalg_solve.cholesky_solve(self, input2, upper)

    def cholesky_inverse(self, upper: bool = False) -> Tensor:
        """``torch.Tensor.cholesky_inverse``: (LLᵀ)⁻¹ for this Cholesky factor L."""
        from . import _linalg_solve

        return _linalg_solve.cholesky_inverse(self, upper)

    def logdet(self) -> Tensor:
        """``torch.Tensor.logdet``: log det (nan for a negative det); see ``linalg.slogdet``."""
        from . import _linalg_solve

        return _linalg_solve.logdet(self)

    def slogdet(self) -> Any:
        """``torch.Tensor.slogdet``: (sign, logabsdet); see ``linalg.slogdet``."""
        from . import _linalg_solve

        return _linalg_solve.slogdet(self)

    def matrix_power(self, n: int) -> Tensor:
        """``torch.Tensor.matrix_power``: see ``linalg.matrix_power``."""
        from . import _linalg_solve

        return _linalg_solve.matrix_power(self, n)

    def matrix_exp(self) -> Tensor:
        """``torch.Tensor.matrix_exp``: see ``linalg.matrix_exp``."""
        from . import _linalg_solve

        return _linalg_solve.matrix_exp(self)

    def triangular_solve(
        self, A: Tensor, upper: bool = True, transpose: bool = False, unitriangular: bool = False
    ) -> Any:
        """``torch.Tensor.triangular_solve``: (X with AX = self, a copy of A); see
        ``linalg.solve_triangular``."""
        from . import _linalg_solve

        return _linalg_solve.triangular_solve(self, A, upper, transpose, unitriangular)

    # The decompositions live in _linalg_decomp.py, which imports this module: imported late.

    def qr(self, some: bool = True) -> Any:
        """``torch.Tensor.qr``: (Q, R) of ``linalg.qr(self, 'reduced' if some else 'complete')``."""
        from ._linalg_decomp import qr_old

        return qr_old(self, some)

    def geqrf(self) -> Any:
        """``torch.Tensor.geqrf``: LAPACK's packed QR (a, tau); see ``tg.geqrf``."""
        from ._linalg_householder import geqrf

        return geqrf(self)

    def orgqr(self, input2: Tensor) -> Tensor:
        """``torch.Tensor.orgqr``: see ``linalg.householder_product``."""
        from ._linalg_householder import householder_product

        return householder_product(self, input2)

    def ormqr(
        self, input2: Tensor, input3: Tensor, left: bool = True, transpose: bool = False
    ) -> Tensor:
        """``torch.Tensor.ormqr``: Q·input3 for the reflectors (self, input2); see ``tg.ormqr``."""
        from ._linalg_householder import ormqr

        return ormqr(self, input2, input3, left, transpose)

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        """``torch.Tensor.svd``: (U, S, V) with V = Vhᵀ (see ``linalg.svd``)."""
        from ._linalg_decomp import svd_old

        return svd_old(self, some, compute_uv)

    def pinverse(self, rcond: Scalar = 1e-15) -> Tensor:
        """``torch.Tensor.pinverse``: ``linalg.pinv(self, rtol=rcond)``."""
        from ._linalg_decomp import pinverse

        return pinverse(self, rcond)

    def _scaled_sum(self, product: Tensor, beta: Any, alpha: Any, op: str) -> Tensor:
        """beta·self + alpha·product, as addmm: beta = 0 ignores self, alpha = 0 the product."""
        scales = (beta, alpha)
        if not all(isinstance(s, (int, float, np.number)) for s in scales):
            raise TypeError(f"{op}(): beta and alpha must be numbers, got {beta!r} and {alpha!r}")
        if self.data.dtype.kind in "biu" and any(
            isinstance(s, (float, np.floating)) for s in scales
        ):
            raise TypeError(
                f"{op}(): for {self.dtype} tensors beta and alpha must be integers, got "
                f"{beta!r} and {alpha!r}, as in torch"
            )
        if not autograd.broadcasts_to(self.shape, product.shape):
            raise OpError(
                f"{op}(): the input of shape {self.shape} does not broadcast to the product's "
                f"shape {product.shape}"
            )
        # A factor 0 ignores its operand's nan and ±∞ but, as torch's rules (g·β, g·α), still
        # multiplies g by it: a nan or ±∞ g gives a nan gradient (``ignore``).
        if alpha == 0:
            product = _apply(_IGNORE, product)
        elif alpha != 1:
            product = product * alpha
        if beta == 0:
            return product + _apply(_IGNORE, self) if self._requires_grad else product
        return product + (self if beta == 1 else self * beta)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        """beta·x + alpha·(mat @ vec) (``torch.addmv``), as ``addmm`` for a vector."""
        _expect_tensor(mat, "addmv", "mat")
        _expect_tensor(vec, "addmv", "vec")
        _same_dtype("addmv", self, mat)
        with np.errstate(all="ignore"):
            return self._scaled_sum(mat.mv(vec), beta, alpha, "addmv")

    def addr(self, vec1: Tensor, vec2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        """beta·x + alpha·outer(vec1, vec2) (``torch.addr``), as ``addmm``."""
        _expect_tensor(vec1, "addr", "vec1")
        _expect_tensor(vec2, "addr", "vec2")
        _same_dtype("addr", self, vec1)
        _same_dtype("addr", vec1, vec2)
        with np.errstate(all="ignore"):
            return self._scaled_sum(vec1.outer(vec2), beta, alpha, "addr")

    def baddbmm(
        self, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
    ) -> Tensor:
        """beta·x + alpha·(batch1 @ batch2) per batch (``torch.baddbmm``), as ``addmm``."""
        _expect_tensor(batch1, "baddbmm", "batch1")
        _expect_tensor(batch2, "baddbmm", "batch2")
        _same_dtype("baddbmm", self, batch1)
        with np.errstate(all="ignore"):
            return self._scaled_sum(batch1.bmm(batch2), beta, alpha, "baddbmm")

    def addbmm(
        self, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
    ) -> Tensor:
        """beta·x + alpha·Σ_b batch1[b] @ batch2[b] (``torch.addbmm``), as ``addmm``."""
        _expect_tensor(batch1, "addbmm", "batch1")
        _expect_tensor(batch2, "addbmm", "batch2")
        _same_dtype("addbmm", self, batch1)
        with np.errstate(all="ignore"):
            return self._scaled_sum(batch1.bmm(batch2).sum(0), beta, alpha, "addbmm")

    def baddbmm_(
        self, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
    ) -> Tensor:
        return self._computed_inplace(
            "baddbmm_", lambda x: x.baddbmm(batch1, batch2, beta=beta, alpha=alpha), batch1, batch2
        )

    def addbmm_(
        self, batch1: Tensor, batch2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1
    ) -> Tensor:
        return self._computed_inplace(
            "addbmm_", lambda x: x.addbmm(batch1, batch2, beta=beta, alpha=alpha), batch1, batch2
        )

    def dist(self, other: Tensor, p: Scalar = 2) -> Tensor:
        """‖x − y‖_p over all elements, x and y broadcast (``torch.dist``)."""
        _expect_tensor(other, "dist", "other")
        return (self - other).norm(p)

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
        """x + value·tensor1·tensor2, all three broadcast (``torch.addcmul``)."""
        _expect_tensor(tensor1, "addcmul", "tensor1")
        _expect_tensor(tensor2, "addcmul", "tensor2")
        _check_bound(value, "addcmul", "value")
        _broadcast(_broadcast(self.shape, tensor1.shape, "addcmul"), tensor2.shape, "addcmul")
        return self + (tensor1 if value == 1 else tensor1 * value) * tensor2

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
        """x + value·tensor1/tensor2, all three broadcast (``torch.addcdiv``; integer
        tensor1 and tensor2 are refused, as torch)."""
        _expect_tensor(tensor1, "addcdiv", "tensor1")
        _expect_tensor(tensor2, "addcdiv", "tensor2")
        _check_bound(value, "addcdiv", "value")
        if tensor1.data.dtype.kind in "biu" and tensor2.data.dtype.kind in "biu":
            raise RuntimeError(
                "addcdiv(): integer division with addcdiv is no longer supported, as in torch; "
                "convert tensor1 or tensor2 to a float"
            )
        _broadcast(_broadcast(self.shape, tensor1.shape, "addcdiv"), tensor2.shape, "addcdiv")
        return self + (tensor1 if value == 1 else tensor1 * value) / tensor2

    def cov(
        self, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None
    ) -> Tensor:
        """The covariance matrix of the variables in the rows, observations in the columns
        (``torch.cov``; a vector is one variable): Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ) / (Σ wᵢ − correction·…),
        with frequency and/or importance weights, as torch. Composed of mean, matmul and
        division, so the gradient follows."""
        if self.ndim > 2:
            raise RuntimeError(
                f"cov(): expected input to have two or fewer dimensions but got an input with "
                f"{self.ndim} dimensions"
            )
        if isinstance(correction, (bool, np.bool_)) or not isinstance(
            correction, (int, np.integer)
        ):
            raise TypeError(
                f"cov(): argument 'correction' must be int, not {type(correction).__name__}"
            )
        if self.data.dtype == np.bool_:
            raise RuntimeError(f"cov(): bool dtype is not supported for input (shape {self.shape})")
        x = self.reshape(1, -1) if self.ndim < 2 else self
        n = x.shape[1]
        w: Tensor | None = None
        for name, weights, kinds in (("fweights", fweights, "iu"), ("aweights", aweights, "f")):
            if weights is None:
                continue
            _expect_tensor(weights, "cov", name)
            if weights.ndim > 1:
                raise RuntimeError(
                    f"cov(): expected {name} to have one or fewer dimensions but got {name} "
                    f"with {weights.ndim} dimensions"
                )
            if weights.data.dtype.kind not in kinds:
                kind = "integral" if kinds == "iu" else "floating point"
                raise RuntimeError(f"cov(): expected {name} to have {kind} dtype")
            if weights.numel() != n:
                raise RuntimeError(
                    f"cov(): expected {name} to have the same numel as there are observations "
                    f"in the input but got {weights.numel()} != {n}"
                )
            if (weights.data < 0).any():
                raise RuntimeError(f"cov(): {name} cannot be negative")
            w = weights if w is None else w * weights
        if x.data.dtype.kind not in "fc":
            x = x._real() if w is None or w.data.dtype.kind != "f" else x.to(w.dtype)
        if w is None:
            mean, total = x.mean(1, keepdim=True), Tensor._make(np.asarray(n, dtype=x.dtype))
        else:
            total = w.sum()
            if total.item() == 0:
                raise RuntimeError("cov(): weights sum to zero, can't be normalized")
            mean = (x * w).sum(1, keepdim=True) / total
        if w is not None and correction != 0 and aweights is not None:
            norm = total - (w * aweights).sum() * correction / total
        else:
            norm = total - correction
        if norm.item() <= 0:
            warn(
                "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
                "number of observations.",
                UserWarning,
            )
            norm = norm._piecewise_constant(np.zeros_like(norm.data))
        centred = x - mean
        product = centred.matmul((centred if w is None else centred * w).mT)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (product / norm.to(product.dtype)).squeeze()

    def corrcoef(self) -> Tensor:
        """Pearson's correlation coefficients of the rows (``torch.corrcoef``): cov / (σᵢσⱼ),
        clipped to [−1, 1] as torch (the gradient passes at the bounds, as clamp's)."""
        c = self.cov()
        if c.ndim == 0:
            return c / c
        std = c.diagonal().sqrt()
        c = c / std.reshape(-1, 1)
        c = c / std.reshape(1, -1)
        return c.clip(-1, 1)

    # Last in the class: below these, mypy would read an `int` or `bool` annotation in the
    # class body as the method.
    def int(self) -> Tensor:
        """``to(int32)`` (``torch.Tensor.int``)."""
        return self.to(np.int32)

    def bool(self) -> Tensor:
        """``to(bool)``: True where nonzero (``torch.Tensor.bool``)."""
        return self.to(np.bool_)


_new = object.__new__


class _RetainGrad:
    """The hook ``retain_grad()`` registers: stores a copy of the adjoint as ``.grad``."""

    def __init__(self, tensor: Tensor) -> None:
        self.ref = weakref.ref(tensor)  # weak: the node must not keep its output alive

    def __call__(self, g: Tensor) -> None:
        t = self.ref()
        if t is not None:
            # A copy: g flows on, and may become a leaf's .grad or be changed by a hook. Under
            # create_graph (grad mode on in backward) a recorded one, so .grad keeps its graph.
            g = g.clone() if _mode.enabled else Tensor._make(g.data.copy())
            t._grad = g if t._grad is None else t._grad + g


def _check_hook(hook: Any, method: str) -> None:
    """Refuse a hook that is not callable when it is registered, naming the method."""
    if not callable(hook):
        raise TypeError(f"{method}(): hook must be callable, got {type(hook).__name__} {hook!r}")


class _HookHandle:
    """What ``register_hook`` returns: ``remove()`` unregisters the hook (torch's handle);
    as a context manager, the hook is removed on exit."""

    def __init__(self, owner: Tensor | Node, hook: Callable[[Tensor], Tensor | None]) -> None:
        self.owner, self.hook = weakref.ref(owner), hook

    def remove(self) -> None:
        owner = self.owner()
        if owner is None:
            return
        # By identity: a function registered twice is stored the second time in a wrapper.
        if isinstance(owner, Tensor):
            owner._hooks = [h for h in owner._hooks or () if h is not self.hook] or None
        else:
            owner.hooks = [h for h in owner.hooks or () if h is not self.hook] or None

    def __enter__(self) -> _HookHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


# torch's predicates of a tensor's kind of storage or device, none of which a tensor here has.
for _flag, _what in (
    ("is_sparse", "a sparse COO tensor"),
    ("is_sparse_csr", "a sparse CSR tensor"),
    ("is_quantized", "a quantized tensor"),
    ("is_meta", "a tensor on the meta device (shapes without data)"),
    ("is_nested", "a nested tensor"),
    ("is_mkldnn", "an MKL-DNN tensor"),
    ("is_mps", "on an Apple GPU"),
    ("is_xpu", "on an Intel GPU"),
    ("is_ipu", "on a Graphcore IPU"),
    ("is_vulkan", "a Vulkan tensor"),
    ("is_xla", "on an XLA device"),
    ("is_maia", "on a MAIA device"),
    ("is_mtia", "on an MTIA device"),
):
    setattr(
        Tensor,
        _flag,
        property(
            lambda self: False,
            doc=f"False: whether the tensor is {_what} (``torch.Tensor.{_flag}``); every "
            "tensor here is a dense numpy array on the CPU.",
        ),
    )


def _resolve_shape(target: tuple[int, ...], size: int) -> tuple[int, ...] | None:
    """``target`` with a -1 filled in, or None if it cannot hold ``size`` elements."""
    if target.count(-1) > 1 or any(s < -1 for s in target):
        return None
    known = 1
    for s in target:
        if s != -1:
            known *= s
    if -1 in target:
        if known == 0 or size % known:
            return None
        target = tuple(size // known if s == -1 else s for s in target)
    elif known != size:
        return None
    return target


def _torch_index(index: Any) -> Any:
    """``index`` as numpy would need it to select what torch selects.

    A short list holding a sequence, slice, None, Ellipsis or Tensor is a tuple to torch 2.13
    (``x[[[0, 1], [1, 0]]]`` is ``x[[0, 1], [1, 0]]``), as it was to numpy before 1.23; torch
    warns that this is deprecated, and so does this.
    """
    if (
        type(index) is list
        and len(index) < 32
        and any(
            v is None or v is Ellipsis or isinstance(v, (list, tuple, slice, Tensor, np.ndarray))
            for v in index
        )
    ):
        warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated (as in "
            "torch); use x[tuple(seq)] instead of x[seq]",
            UserWarning,
        )
        return tuple(index)
    return index


def _split_ints(index: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """torch's reading of an index that mixes ints with arrays: the ints select first.

    numpy counts an int as an advanced index, so in ``x[1, :, [0, 2]]`` the two are separated
    by a slice and numpy moves the array's dim to the front; torch selects with the int and
    keeps the array's dim in place. Returns the int selection and the rest (to apply in turn),
    or None when the index holds no int or no array.
    """
    if not isinstance(index, tuple):
        return None
    is_int = [
        isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in index
    ]
    if not any(is_int) or not any(isinstance(v, np.ndarray) for v in index):
        return None
    first: list[Any] = []
    rest: list[Any] = []
    for v, integer in zip(index, is_int):
        if integer:
            first.append(v)
        elif v is None or isinstance(v, (bool, np.bool_)):  # consume no dim of x
            rest.append(v)
        elif v is Ellipsis:
            first.append(v)
            rest.append(v)
        else:  # a slice, an integer array (one dim) or a bool mask (as many dims as it has)
            n = v.ndim if isinstance(v, np.ndarray) and v.dtype == np.bool_ else 1
            first.extend([slice(None)] * n)
            rest.append(v)
    return tuple(first), tuple(rest)


def _repeats(a: np.ndarray) -> bool:
    """Whether elements of ``a`` share a memory location as torch sees it (a stride 0 over a
    dim of size > 1: an ``expand``), where torch refuses an in-place write."""
    return any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))


def _unlock(a: np.ndarray) -> bool:
    """Whether the read-only array ``a`` may take a write after all, made writable if so.

    numpy marks every view of an expanded array read-only, also those that repeat no element
    (a row, a diagonal, an empty slice of it), which torch writes through into the memory the
    expanded tensor shares. Refused still: an array whose elements may overlap (here unfold's
    overlapping windows too, which torch writes), and memory read-only at its owner (constants,
    a read-only array given to ``from_numpy``), where numpy refuses the flag.
    """
    if a.base is None:
        return False
    span = a.itemsize  # each dim's stride must clear the span of those with smaller strides
    for stride, n in sorted((abs(s), n) for s, n in zip(a.strides, a.shape) if n > 1):
        if stride < span and a.size:
            return False
        span += stride * (n - 1)
    try:
        a.flags.writeable = True
    except ValueError:
        return False
    return True


def _basic_view(a: np.ndarray, idx: Any) -> np.ndarray | None:
    """``a[idx]`` as a view (0-d where ints pick one element) for a basic index (ints, slices,
    None, Ellipsis), else None (advanced indexing copies; so does an index out of range)."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    for p in parts:
        if isinstance(p, (bool, np.bool_)) or not (
            p is None or p is Ellipsis or isinstance(p, (slice, int, np.integer))
        ):
            return None
    try:
        return a[parts if any(p is Ellipsis for p in parts) else (*parts, Ellipsis)]
    except IndexError:
        return None


def _write_once(a: np.ndarray, idx: Any, v: Any) -> bool:
    """``a[idx] = v`` for an advanced index (integer arrays, masks) into the memory of an
    expanded ``a``, as torch's ``index_put_`` writes it (it checks no overlap), where the index
    writes no memory location twice (only there is the result well defined: ``e[[0]] = v`` of
    ``e = b.expand(3, 2)`` writes b's row once); else False, the write refused."""
    core = a[tuple(slice(0, 1) if s == 0 else slice(None) for s in a.strides)]  # no repeats
    if not _unlock(core):
        return False
    try:  # each written element's place in core
        places = np.broadcast_to(np.arange(core.size).reshape(core.shape), a.shape)[idx]
        values = np.broadcast_to(v, places.shape)
    except (ValueError, IndexError, TypeError):
        return False
    if np.unique(places).size != places.size:
        return False
    core.flat[places.ravel()] = values.ravel()
    return True


def _normalise_index(index: Any) -> Any:
    """Tensors and lists in an index become numpy arrays, so numpy does the indexing; a 0-d
    integer tensor or array becomes an int, as torch reads it (``x[torch.tensor(1)]``,
    ``x[np.array(1)]`` select: a view, where numpy's 0-d array would copy); a uint8 one is a
    mask, as to torch (with its deprecation warning), where numpy would read integers."""
    if isinstance(index, tuple):
        return tuple(_normalise_index(i) for i in index)
    if isinstance(index, Tensor):
        index = index.data
    if type(index) is np.ndarray and index.dtype.kind in "iu":
        if index.dtype == np.uint8:
            warn(
                "indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                "torch.bool instead.",
                UserWarning,
            )
            return index.astype(bool)
        if index.ndim == 0:
            return int(index)
        return index
    if isinstance(index, list):  # [] would be a float array to numpy; torch reads it as no rows
        return np.asarray(index) if index else np.zeros(0, dtype=np.intp)
    return index


def _root(s: Tensor, p: float, product: bool = False) -> Tensor:
    """s^(1/p) for s ≥ 0 whose gradient is 0 where s = 0, as torch's std and norm give.

    The root's rule alone gives g·∞ there, and the rule of s (a sum of |x|ᵖ or of squared
    deviations) multiplies it by 0: nan. So the root is taken of a stand-in 1 where s = 0, whose
    gradient is 0 because its branch of ``where`` is not chosen. A nan s stays nan. With
    ``product``, s̄ is g·0 there instead of 0, nan for a nan or infinite g: torch's norm gives
    that, its std the 0.
    """
    zero = s.data == 0
    if not zero.any():  # the usual case: one op, no masks
        return s.sqrt() if p == 2 else s ** (1.0 / p)
    safe = where(zero, 1.0, s)
    return where(zero, s * 0.0 if product else 0.0, safe.sqrt() if p == 2 else safe ** (1.0 / p))


def _device_and_dtype(args: tuple[Any, ...], dtype: Any, device: Any, op: str) -> Any:
    """The dtype asked for by torch's ``to(...)`` arguments (None: keep the dtype), after
    checking that any device named is the CPU, the only one there is."""
    for a in args:
        if _is_device(a):
            device = a
        elif dtype is None:
            dtype = a.dtype if isinstance(a, Tensor) else a
        else:
            raise TypeError(f"{op}: received an invalid combination of arguments {args!r}")
    _check_device(device, op)
    return dtype


def _same_buffer(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a`` and ``b`` are views of one array (for empty arrays, which
    ``np.may_share_memory`` never finds sharing): torch's views of an empty tensor are views."""
    return _root_array(a) is _root_array(b)


def _root_array(a: np.ndarray) -> np.ndarray:
    """The array whose memory ``a`` views, back through ``.base``; also through the wrapper
    that numpy's ``as_strided`` (``unfold``'s windows) puts between a view and its array."""
    while True:
        base = a.base
        if not isinstance(base, np.ndarray):
            base = getattr(base, "base", None)
            if not isinstance(base, np.ndarray):
                return a
        a = base


def _apply(op: OpDef, *inputs: Tensor, **kwargs: Any) -> Tensor:
    """Run ``op``'s numpy forward; record a Node if grad mode is on and an input needs grad."""
    try:
        # Unpacking by arity avoids building an argument list on the hottest line of the library.
        n = len(inputs)
        if n == 1:
            out = op.forward(inputs[0].data, **kwargs)
        elif n == 2:
            out = op.forward(inputs[0].data, inputs[1].data, **kwargs)
        else:
            out = op.forward(*[t.data for t in inputs], **kwargs)
    except (ValueError, IndexError, TypeError) as e:
        shapes = ", ".join(str(t.shape) for t in inputs)
        raise _error(e, f"{op.name}(): invalid input for shapes {shapes}: {e}") from None
    if type(out) is not np.ndarray:  # numpy returns scalars for 0-d results
        out = np.asarray(out)
    t = _new(Tensor)  # Tensor._make, inlined: this line runs for every op
    t.data = out
    t._grad = t._hooks = t._node = t._base = None
    t._requires_grad = False
    t._changed = 0
    if op.view:
        src = inputs[0]
        # (numpy sees no shared memory in an empty array: there, whether out is one of src's)
        if (
            op.view == "always"
            or np.may_share_memory(out, src.data)
            or (not out.size and _same_buffer(out, src.data))
        ):
            _as_view(t, src)
    if _mode.enabled and (kind := out.dtype.kind) in "fc":
        for x in inputs:
            if x._requires_grad:
                if kind == "c":  # (rare: not on the path of real ops)
                    _refuse_complex_grad(op, inputs)
                t._node, t._requires_grad = Node(op, inputs, out, kwargs), True
                break
    return t


def _as_view(t: Tensor, src: Tensor) -> Tensor:
    """Make ``t`` a view of ``src``'s base (src's own base, or src): tracked for in-place ops
    if src requires grad, or if it is made in grad mode of a base that requires none (a
    ``_plain_view``: it follows a history the base gains later, as torch's views do); marked
    as a view of a detach(), kept on the detach (``_detach_view``); or else the base marked as
    having views autograd does not follow (see ``Tensor._viewed``)."""
    base = t._base = src if src._base is None else src._base
    if src._requires_grad:
        _track_view(base, t)
    elif not _mode.enabled or base._requires_grad:  # (every view a derivative rule makes)
        if base._requires_grad and getattr(src, "_detached", False):
            _detach_view(t, src)
        else:
            base._viewed = True
    elif getattr(src, "_detached", False):
        _detach_view(t, src)
    elif src is base or getattr(src, "_plain_view", False):
        t._plain_view = True
        _track_view(base, t)
    else:  # of a view autograd does not follow (made under no_grad, an output of split): as torch
        base._viewed = True
    return t


def _detach_view(t: Tensor, src: Tensor) -> None:
    """Make ``t``, a view of ``src`` (a detach() that requires no grad, or a view of one), a
    view of the detach for autograd: kept on it, to follow a history an in-place op gives it
    later (made in grad mode, as ``_plain_view``; else refused then, as torch's views made
    under no_grad)."""
    detach = getattr(src, "_detach", src)
    t._detached, t._detach = True, detach
    if _mode.enabled:
        t._plain_view = True
    _track_view(detach, t)


_constants: dict[tuple[float, int], np.ndarray] = {}


def _no_derivative(out: Tensor, a: Tensor, what: str) -> Tensor:
    """``out``, joined to ``a`` by a node whose backward raises torch's NotImplementedError ("the
    derivative for 'WHAT' is not implemented.") when ``a`` needs a gradient, as torch refuses
    one for igamma's a and zeta's s; ``out`` itself otherwise (the common case costs a test)."""
    if not (_mode.enabled and a._requires_grad):
        return out
    from .special import _NoDerivative  # special.py builds on this module: imported on use

    joint: Tensor = out + _NoDerivative.apply(a, what)
    return joint


def _constant(value: float, dtype: np.dtype[Any]) -> np.ndarray:
    """A read-only 0-d array for a Python scalar operand, cached: `x * 0.5` in a loop makes one.

    Each use still gets its own Tensor around it, so a drawing shows one constant per operand.
    """
    key = (value, dtype.num)  # dtype.num: hashing the dtype itself costs more than the lookup
    arr = _constants.get(key)
    if arr is None:
        arr = np.asarray(value, dtype=dtype)
        arr.flags.writeable = False
        if value:  # 0.0 == -0.0 as keys, but x * -0.0 must keep its sign: zeros are not cached
            if len(_constants) > 4096:  # a bound for code that feeds ever-new scalars
                _constants.clear()
            _constants[key] = arr
    return arr


def _binary(op: OpDef, x: Tensor, other: Any, reflected: bool = False) -> Tensor:
    """``op(x, other)`` (or ``op(other, x)``) after torch's type promotion: a float operand's
    dtype beats an integer one, and a Python scalar takes the tensor's dtype."""
    # _operands, inlined: every arithmetic operator runs this
    y = other if isinstance(other, Tensor) else x._other(other, op.name)
    if reflected:
        x, y = y, x
    xd, yd = x.data.dtype, y.data.dtype
    if xd is not yd:
        if (x.data.ndim == 0) != (y.data.ndim == 0) and _CATEGORY[xd.kind] == _CATEGORY[yd.kind]:
            x, y = _zero_dim_defers(x, y)
        elif xd.kind != yd.kind:
            x, y = _promote(x, y)
    return _apply(op, x, y)


def _operands(x: Tensor, other: Any, reflected: bool, op: str) -> tuple[Tensor, Tensor]:
    """The two operands of a binary op, promoted as ``_binary`` says (numpy does the rest)."""
    y = other if isinstance(other, Tensor) else x._other(other, op)
    if reflected:
        x, y = y, x
    xd, yd = x.data.dtype, y.data.dtype
    if xd is not yd:
        if (x.data.ndim == 0) != (y.data.ndim == 0) and _CATEGORY[xd.kind] == _CATEGORY[yd.kind]:
            x, y = _zero_dim_defers(x, y)
        elif xd.kind != yd.kind:
            x, y = _promote(x, y)
    return x, y


def _rounding_mode(mode: Any, op: str) -> str | None:
    if mode is not None and not isinstance(mode, str):
        raise TypeError(
            f"{op}(): rounding_mode must be None, 'trunc' or 'floor', got "
            f"{type(mode).__name__} {mode!r:.40}"
        )
    if mode not in (None, "trunc", "floor"):
        raise OpError(
            f"{op}(): expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"{mode!r}"
        )
    return mode


def _rounded_div(x: Tensor, other: Any, mode: str, op: str, reflected: bool = False) -> Tensor:
    """torch's ``div(x, other, rounding_mode=mode)``, in the operands' promoted dtype.

    Floats: 'trunc' is trunc(x / y); 'floor' is numpy's ``floor_divide``, exact as torch's
    (fmod-based: 1 // 0.1 is 9, where floor(1 / 0.1) is 10), ±inf or nan where y = 0.
    Integers: exact in integer arithmetic; a zero divisor is refused, as torch's
    ZeroDivisionError. The result is piecewise constant: x̄ = ȳ = 0, torch's gradient.
    """
    a, b = _operands(x, other, reflected, op)
    _broadcast(a.shape, b.shape, op)
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        raise TypeError(
            f"{op}(): rounding_mode={mode!r} is not implemented for bool tensors (shapes "
            f"{a.shape} and {b.shape}), as in torch"
        )
    p, q = a.data, b.data
    if np.result_type(p, q).kind in "iu":
        if not np.all(q):
            raise OpError(
                f"{op}(): ZeroDivisionError: integer division by zero (rounding_mode={mode!r}, "
                f"divisor of shape {b.shape} and dtype {b.dtype})"
            )
        with np.errstate(over="ignore"):  # the minimum int by -1 wraps around
            if mode == "trunc":  # C's division: take off fmod's remainder, then divide exactly
                p = p - np.fmod(p, q)
            values = np.floor_divide(p, q)
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            values = np.trunc(p / q) if mode == "trunc" else np.floor_divide(p, q)
    out = Tensor._make(np.asarray(values))
    if _mode.enabled:  # a zero gradient to each operand that requires one, as torch's
        for t in (a, b):
            if t._requires_grad:
                out = where(_ALWAYS, out, t)
    return out


# torch's type categories: within one, a 0-d operand defers to a dimensioned one.
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _holds_bool(other: Any) -> bool:
    """Whether a subtraction's other operand is a bool or a bool tensor (torch refuses both)."""
    if type(other) is Tensor:
        return other.data.dtype.kind == "b"
    return isinstance(other, (bool, np.bool_))


def _bool_sub(x: Tensor, other: Any) -> RuntimeError:
    """torch's refusal of a bool tensor on either side of a subtraction (what x − y should
    mean for masks is ambiguous; ~ or logical_not inverts one)."""
    other_shape = other.shape if isinstance(other, Tensor) else type(other).__name__
    return RuntimeError(
        f"sub(): Subtraction, the `-` operator, with a bool tensor is not supported (shapes "
        f"{x.shape} and {other_shape}). If you are trying to invert a mask, use the `~` or "
        f"`logical_not()` operator instead."
    )


def _zero_dim_defers(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """torch's rule for two floats (or two integers) of different widths: a 0-d operand takes
    the other's dtype, as a Python number would (float32 · float64 0-d stays float32)."""
    if x.data.ndim == 0:
        return x.to(y.dtype), y
    return x, y.to(x.dtype)


def _promote(x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """Cast the integer operand to the float (or complex) one's dtype where numpy would widen
    that (float32 with int64 gives float64 in numpy, float32 in torch; complex64 with int32
    complex128 in numpy, complex64 in torch); bool masks need no cast."""
    xd, yd = x.dtype, y.dtype
    if "b" in (xd.kind, yd.kind):  # numpy never widens a float for a bool operand
        return x, y
    if xd.kind + yd.kind in ("fc", "cf"):
        # torch: a 0-d operand does not widen a tensor with dimensions. A 0-d complex makes a
        # float tensor complex of the float's own width (float32 with a 0-d complex128 gives
        # complex64), and a 0-d float leaves a complex tensor's dtype (complex64 stays).
        f, c = (x, y) if xd.kind == "f" else (y, x)
        if c.data.ndim == 0 and f.data.ndim:
            c = c.to(np.result_type(f.dtype, np.complex64))
        elif f.data.ndim == 0 and c.data.ndim:
            f = f.to(c.dtype)
        return (f, c) if xd.kind == "f" else (c, f)
    if xd.kind in "fc" and yd.kind in "iu" and np.result_type(xd, yd) != xd:
        return x, y.to(xd)
    if yd.kind in "fc" and xd.kind in "iu" and np.result_type(xd, yd) != yd:
        return x.to(yd), y
    return x, y


_ADD, _SUB, _MUL, _DIV, _POW = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["pow"]
_NEG, _EXP, _LOG, _SQRT, _ABS = OPS["neg"], OPS["exp"], OPS["log"], OPS["sqrt"], OPS["abs"]
_RECIPROCAL = OPS["reciprocal"]
_RELU, _SIGMOID, _TANH, _CLAMP = OPS["relu"], OPS["sigmoid"], OPS["tanh"], OPS["clamp"]
_MAXIMUM, _MINIMUM, _WHERE, _CAST = OPS["maximum"], OPS["minimum"], OPS["where"], OPS["cast"]
_SUM, _MEAN, _AMAX, _AMIN = OPS["sum"], OPS["mean"], OPS["amax"], OPS["amin"]
_MAX_DIM, _MIN_DIM = OPS["max_dim"], OPS["min_dim"]
_SOFTMAX, _LOG_SOFTMAX, _MATMUL = OPS["softmax"], OPS["log_softmax"], OPS["matmul"]
_RESHAPE, _PERMUTE, _EXPAND = OPS["reshape"], OPS["permute"], OPS["expand"]
_GETITEM, _INDEX_ADD, _CAT, _CLONE = OPS["getitem"], OPS["index_add"], OPS["cat"], OPS["clone"]
_SIN, _COS, _LOG1P, _EXPM1, _ERF = OPS["sin"], OPS["cos"], OPS["log1p"], OPS["expm1"], OPS["erf"]
_PROD, _CUMSUM, _CE_BACKWARD = OPS["prod"], OPS["cumsum"], OPS["cross_entropy_backward"]
_LOG2, _LOG10, _LOGADDEXP = OPS["log2"], OPS["log10"], OPS["logaddexp"]
_ATAN2, _HYPOT, _DIAGONAL = OPS["atan2"], OPS["hypot"], OPS["diagonal"]
_IGNORE = OPS["ignore"]
_ALWAYS = np.ones((), dtype=bool)  # the condition of _piecewise_constant's where
_ALWAYS.flags.writeable = False


# ----------------------------------------------------------------------------- method checks


def _broadcast(a: Shape, b: Shape, op: str = "broadcast") -> Shape:
    """The shape a and b broadcast to, or torch's refusal naming ``op`` and both shapes."""
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        raise OpError(f"{op}(): shapes {a} and {b} do not broadcast together") from None


def _same_dtype(op: str, x: Tensor, y: Tensor) -> None:
    """Refuse operands of different dtypes where torch does (dot, mv, mm, bmm), and bools."""
    if x.dtype != y.dtype:
        raise OpError(
            f"{op}(): expected both operands to have the same dtype, but got {x.dtype} and "
            f"{y.dtype} (shapes {x.shape} and {y.shape})"
        )
    if x.dtype == np.bool_:
        raise TypeError(f"{op}(): not implemented for bool tensors, as in torch")


def _check_mm(op: str, mat1: Tensor, mat2: Tensor) -> None:
    """torch's checks of a matrix product's operands: two matrices of one dtype that fit."""
    for name, t in (("mat1" if op == "addmm" else "self", mat1), ("mat2", mat2)):
        if t.ndim != 2:
            raise OpError(f"{op}(): {name} must be a matrix, got a tensor of shape {t.shape}")
    _same_dtype(op, mat1, mat2)
    if mat1.shape[1] != mat2.shape[0]:
        raise OpError(
            f"{op}(): mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} "
            f"and {mat2.shape[0]}x{mat2.shape[1]})"
        )


def _check_bound(value: Any, op: str, name: str) -> None:
    """Refuse a bound or fill value that is not a number (None, a string, a list)."""
    if not isinstance(value, (int, float, np.number)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}(): {name} must be a number or a Tensor, got {value!r}")


# ----------------------------------------------------------------------------- free functions


def _to_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return like._other(x) if like is not None else Tensor._make(_as_array(x, None, infer=True))


@overload
def where(condition: Any) -> tuple[Tensor, ...]: ...
@overload
def where(condition: Any, input: Any, other: Any) -> Tensor: ...
def where(condition: Any, input: Any = None, other: Any = None) -> Tensor | tuple[Tensor, ...]:
    """``input`` where ``condition`` holds, else ``other`` (``torch.where``).

    With the condition alone, ``where(condition)`` is ``condition.nonzero(as_tuple=True)``, as
    torch's: one int64 index vector per dim of the entries that are nonzero (any dtype). As
    torch, one of ``input`` and ``other`` without the other is refused.
    """
    if input is None or other is None:
        return _where_nonzero(condition, input, other)
    x = _to_tensor(input)
    y = _to_tensor(other, like=x)
    if not isinstance(input, Tensor):
        x = _to_tensor(input, like=y)
    c = _to_tensor(condition)
    if c.dtype != np.dtype(bool):
        raise TypeError(f"where(): condition must be a bool tensor, got dtype {c.dtype}")
    if x.dtype.kind != y.dtype.kind:
        x, y = _promote(x, y)
    elif x.dtype != y.dtype and (x.data.ndim == 0) != (y.data.ndim == 0):
        x, y = _zero_dim_defers(x, y)  # as arithmetic does: float32 beside a 0-d float64
    return _apply(_WHERE, c, x, y)


def _where_nonzero(condition: Any, input: Any, other: Any) -> tuple[Tensor, ...]:
    """torch's one-argument ``where(condition)``; any other arity is torch's TypeError."""
    if input is not None or other is not None:
        given = "input" if input is not None else "other"
        raise TypeError(
            f"where(): takes (condition) or (condition, input, other), got {given} alone "
            f"({_describe(input if input is not None else other)})"
        )
    if not isinstance(condition, Tensor):
        raise TypeError(
            f"where(): argument 'condition' must be a Tensor, got {type(condition).__name__}"
        )
    return condition.nonzero(as_tuple=True)


def _sequence(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    if isinstance(tensors, (Tensor, np.ndarray)) or not isinstance(tensors, Sequence):
        raise TypeError(
            f"{op}(): expected a list or tuple of tensors, got {type(tensors).__name__}"
        )
    return [_to_tensor(t) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate along an existing dim (``torch.cat``)."""
    ts = _sequence(tensors, "cat")
    if not ts:
        raise ValueError("cat(): expected a non-empty sequence of tensors")
    for i, t in enumerate(ts):  # checked before the dim, as torch
        if t.ndim == 0:
            raise OpError(
                f"cat(): zero-dimensional tensor (at position {i}) cannot be concatenated"
            )
    first = ts[0]
    d = first._dim(dim, "cat")
    for i, t in enumerate(ts):
        if t.ndim != first.ndim or any(
            a != b for j, (a, b) in enumerate(zip(t.shape, first.shape)) if j != d
        ):
            raise OpError(
                f"cat(): tensor 0 has shape {first.shape} and tensor {i} has shape {t.shape}; "
                f"sizes must match in every dim except {d}"
            )
    floats = [t.dtype for t in ts if t.dtype.kind in "fc"]
    if floats and len(floats) < len(ts):  # ints join floats in the floats' dtype, as in torch
        wide = np.result_type(*floats)
        ts = [t if t.dtype.kind in "fc" else t.to(wide) for t in ts]
    return _apply(_CAT, *ts, dim=d)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join along a new dim (``torch.stack``): unsqueeze each, then cat."""
    ts = _sequence(tensors, "stack")
    if not ts:
        raise ValueError("stack(): expected a non-empty sequence of tensors")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise OpError(
                f"stack(): tensor 0 has shape {ts[0].shape} and tensor {i} has shape {t.shape}; "
                "all must be equal"
            )
    n = ts[0].ndim + 1
    if not -n <= dim < n:
        raise IndexError(f"stack(): dim {dim} is out of range for shape {ts[0].shape}")
    return cat([t.unsqueeze(dim % n) for t in ts], dim=dim % n)


# Every creation function takes torch's ``device=`` and refuses all but the CPU
# (``_device.py``); ``device`` is checked first, so ``zeros(2, device="cuda")`` says why.


def tensor(
    data: Any, *, dtype: DTypeLike = None, device: DeviceLike = None, requires_grad: bool = False
) -> Tensor:
    """A tensor from data, inferring the dtype like ``torch.tensor`` (ints stay int64)."""
    _check_device(device, "tensor()")
    t = Tensor._make(_as_array(data, dtype, infer=True))
    return t._require_grad("tensor") if requires_grad else t


def _filled(
    shape: tuple[int, ...], value: Any, dtype: DTypeLike, requires_grad: bool, op: str
) -> Tensor:
    t = Tensor._make(np.full(shape, value, dtype=_check_dtype(dtype or _default_dtype, op)))
    return t._require_grad(op) if requires_grad else t


def zeros(
    *shape: Any,
    size: Any = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of zeros of ``shape`` (ints, or one sequence; or ``size=``), in the default
    float dtype unless ``dtype`` is given (``torch.zeros``)."""
    _check_device(device, "zeros()")
    return _filled(_size(shape, "zeros", size), 0, dtype, requires_grad, "zeros")


def ones(
    *shape: Any,
    size: Any = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ones of ``shape``, as ``zeros`` (``torch.ones``)."""
    _check_device(device, "ones()")
    return _filled(_size(shape, "ones", size), 1, dtype, requires_grad, "ones")


def full(
    size: Sequence[int],
    fill_value: float,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ``fill_value`` (``torch.full``): bool, int64 or the default float by the
    value's type unless ``dtype`` is given."""
    _check_device(device, "full()")
    return _full(size, fill_value, dtype, requires_grad, "full")


def _full(size: Any, fill_value: Any, dtype: DTypeLike, requires_grad: bool, op: str) -> Tensor:
    """``full`` for ``full``, ``full_like`` and ``Tensor.new_full``; errors name ``op``."""
    fill_value = _number_arg(fill_value)
    if not isinstance(fill_value, (bool, int, float, complex, np.number, np.bool_)):
        raise TypeError(f"{op}(): fill_value must be a number, got {fill_value!r}")
    if dtype is None:  # by the Python type: numpy would make 2**70 an object, not an int
        if isinstance(fill_value, (bool, np.bool_)):
            dtype = bool
        elif isinstance(fill_value, (int, np.integer)):
            dtype = np.int64
        elif isinstance(fill_value, (complex, np.complexfloating)):  # the default's complex twin
            dtype = np.result_type(_default_dtype, np.complex64)
        else:
            dtype = _default_dtype
    d = _check_dtype(dtype, op)
    # numpy would wrap these around (nan and inf become the smallest int) or raise its own
    # OverflowError; torch refuses them. nan fails every comparison, so the test catches it.
    _number_fits(fill_value, d, f"{op}(): fill_value {fill_value!r:.40}")
    if isinstance(fill_value, (complex, np.complexfloating)) and d.kind != "c":
        # numpy would warn that it drops the imaginary part, which is 0 here (or, into a bool,
        # counts as torch counts it: 1j is True)
        fill_value = bool(fill_value) if d.kind == "b" else fill_value.real
    shape = _size(tuple(size) if isinstance(size, (tuple, list)) else (size,), op)
    return _filled(shape, fill_value, d, requires_grad, op)


def _alpha(alpha: Any, op: str) -> float:
    """An in-place add's or sub's ``alpha``: a number (None would be read as 1)."""
    if not isinstance(alpha, numbers.Number):
        raise TypeError(f"{op}(): argument 'alpha' must be a number, not {type(alpha).__name__}")
    return alpha  # type: ignore[return-value]


def _fill_numbers(op: str, params: dict[str, Any]) -> None:
    """A random fill's parameters are real numbers (bools count, as in torch)."""
    for name, value in params.items():
        if not isinstance(value, numbers.Real):
            raise TypeError(
                f"{op}(): argument '{name}' must be a number, not {type(value).__name__}"
            )


def _uniform(
    generator: np.random.Generator, low: float, high: float, shape: Shape, dtype: np.dtype[Any]
) -> np.ndarray:
    """U[low, high) in ``dtype``: a draw that rounds up to ``high`` in a narrower dtype (about 1
    in 4,000 in float16) moves to the largest value below it, as torch's never is ``high``."""
    values = generator.uniform(low, high, shape).astype(dtype)
    if low < high:
        values[values >= high] = np.nextafter(dtype.type(high), dtype.type(low))
    return values


def zeros_like(
    input: Tensor,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Zeros of ``input``'s shape, in its dtype unless ``dtype`` is given
    (``torch.zeros_like``)."""
    _expect_tensor(input, "zeros_like")
    _check_device(device, "zeros_like()")
    return _filled(input.shape, 0, dtype or input.dtype, requires_grad, "zeros_like")


def ones_like(
    input: Tensor,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Ones of ``input``'s shape, in its dtype unless ``dtype`` is given
    (``torch.ones_like``)."""
    _expect_tensor(input, "ones_like")
    _check_device(device, "ones_like()")
    return _filled(input.shape, 1, dtype or input.dtype, requires_grad, "ones_like")


def _times_alpha(input: Any, other: Any, alpha: Any, op: str) -> Any:
    """alpha·other, torch's scaled second operand of ``add`` and ``sub``."""
    if not isinstance(alpha, (int, float, np.number)) or isinstance(alpha, (bool, np.bool_)):
        raise TypeError(f"{op}(): alpha must be a number, got {alpha!r}")
    if alpha == 1:
        return other
    if not isinstance(other, (Tensor, int, float, np.number)):
        _expect_tensor(other, op, "other")

    def integral(v: Any) -> bool:
        return v.dtype.kind in "biu" if isinstance(v, Tensor) else isinstance(v, (int, np.integer))

    if integral(input) and integral(other) and not isinstance(alpha, (int, np.integer)):
        raise TypeError(
            f"{op}(): for integral input tensors, alpha must not be a floating point number, "
            f"got {alpha!r} (as in torch)"
        )
    # torch converts alpha to the result's dtype and refuses what overflows (1e40 in float32)
    _number_fits(alpha, _result_dtype(input, other), f"{op}(): alpha {alpha!r}")
    return other * alpha


def _result_dtype(input: Any, other: Any) -> np.dtype[Any]:
    """The dtype of ``input + other`` by torch's promotion, found on one-element stand-ins
    (a 0-d stand-in for a 0-d tensor, since a 0-d operand defers to a dimensioned one)."""

    def stand_in(v: Any) -> Any:
        if not isinstance(v, Tensor):
            return v
        return Tensor._make(np.zeros(() if v.ndim == 0 else (1,), dtype=v.dtype))

    total: Tensor = stand_in(input) + stand_in(other)
    return total.dtype


def _unique_result(
    values: np.ndarray,
    inverse: np.ndarray,
    counts: np.ndarray,
    return_inverse: bool,
    return_counts: bool,
) -> Tensor | tuple[Tensor, ...]:
    """``unique``'s result as torch gives it: the values alone, or a tuple with what was asked."""
    out = [Tensor._make(np.asarray(values))]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def _expect_tensor(x: Any, op: str, arg: str = "input") -> None:
    """Refuse a non-Tensor argument with torch's message, naming the op and the argument."""
    if not isinstance(x, Tensor):
        t = type(x)
        name = t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
        raise TypeError(f"{op}(): argument '{arg}' must be Tensor, not {name}")


def _float_dtype(dtype: DTypeLike, op: str, complex_ok: bool = False) -> np.dtype[Any]:
    d = _check_dtype(dtype or _default_dtype, op)
    if d.kind != "f" and not (complex_ok and d.kind == "c"):
        kind = "floating or complex" if complex_ok else "floating"
        raise TypeError(f"{op}(): random samples need a {kind} dtype, got {d}")
    return d


def _complex_draws(
    draw: Callable[[Shape, np.dtype[Any]], np.ndarray], dims: Shape, d: np.dtype[Any]
) -> np.ndarray:
    """Complex samples in ``d`` from real ones: the real and imaginary parts drawn in the parts'
    float dtype, as torch's (``draw`` gives an array of a shape and real dtype)."""
    part = np.dtype(np.float32) if d == np.complex64 else np.dtype(np.float64)
    pairs = np.ascontiguousarray(draw((*dims, 2), part))
    return pairs.view(d)[..., 0]


def randn(
    *shape: Any,
    size: Any = None,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal samples from the global generator, or ``generator`` (``torch.randn``).
    A complex dtype draws each part from N(0, ½), so that E|z|² = 1, as torch."""
    _check_device(device, "randn()")
    d = _float_dtype(dtype, "randn", complex_ok=True)
    dims = _size(shape, "randn", size)
    rng = _numpy_generator(generator, "randn")
    if d.kind == "c":
        values = _complex_draws(
            lambda s, p: (rng.standard_normal(s) * math.sqrt(0.5)).astype(p), dims, d
        )
    else:
        values = rng.standard_normal(dims).astype(d)
    t = Tensor._make(values)
    return t.requires_grad_(True) if requires_grad else t


def rand(
    *shape: Any,
    size: Any = None,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform samples on [0, 1) from the global generator, or ``generator`` (``torch.rand``);
    a complex dtype draws each part so."""
    _check_device(device, "rand()")
    d = _float_dtype(dtype, "rand", complex_ok=True)
    rng, dims = _numpy_generator(generator, "rand"), _size(shape, "rand", size)
    if d.kind == "c":
        values = _complex_draws(lambda s, p: _uniform(rng, 0.0, 1.0, s, p), dims, d)
    else:
        values = _uniform(rng, 0.0, 1.0, dims, d)
    t = Tensor._make(values)
    return t.requires_grad_(True) if requires_grad else t


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in [start, end) (``torch.arange``: int64 if all ints)."""
    _check_device(device, "arange()")
    if end is None:
        start, end = 0, start
    bounds = (start, end, step) = (_number_arg(start), _number_arg(end), _number_arg(step))
    if not all(isinstance(v, (int, float, np.number)) and type(v) is not bool for v in bounds):
        raise TypeError(f"arange(): start, end and step must be numbers, got {bounds!r}")
    if not all(np.isfinite(v) for v in bounds):
        raise ValueError(f"arange(): start, end and step must be finite, got {bounds!r}")
    ints = all(isinstance(v, (int, np.integer)) for v in bounds)
    d = _check_dtype(dtype or (np.int64 if ints else _default_dtype), "arange")
    if d.kind in "iu":  # torch steps in the integer dtype: a step of 0.1 becomes 0
        start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise ValueError(f"arange(): step must be nonzero, got {bounds!r} for dtype {d}")
    if (end - start) * step < 0:
        raise ValueError(
            f"arange(): the step {step} points away from end {end} (start {start}): "
            "the bounds are inconsistent with the step sign"
        )
    t = Tensor._make(np.arange(start, end, step).astype(d))
    return t._require_grad("arange") if requires_grad else t


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The n×m identity matrix (``torch.eye``)."""
    _check_device(device, "eye()")
    rows, cols = _size((n, n if m is None else m), "eye")
    t = Tensor._make(np.eye(rows, cols, dtype=_check_dtype(dtype or _default_dtype, "eye")))
    return t._require_grad("eye") if requires_grad else t


def gather(input: Tensor, dim: int, index: Any) -> Tensor:
    """``torch.gather``: see ``Tensor.gather``."""
    _expect_tensor(input, "gather")
    return input.gather(dim, index)


def sin(input: Tensor) -> Tensor:
    """``torch.sin``: see ``Tensor.sin``."""
    _expect_tensor(input, "sin")
    return input.sin()


def cos(input: Tensor) -> Tensor:
    """``torch.cos``: see ``Tensor.cos``."""
    _expect_tensor(input, "cos")
    return input.cos()


def log1p(input: Tensor) -> Tensor:
    """``torch.log1p``: see ``Tensor.log1p``."""
    _expect_tensor(input, "log1p")
    return input.log1p()


def expm1(input: Tensor) -> Tensor:
    """``torch.expm1``: see ``Tensor.expm1``."""
    _expect_tensor(input, "expm1")
    return input.expm1()


def erf(input: Tensor) -> Tensor:
    """``torch.erf``: see ``Tensor.erf``."""
    _expect_tensor(input, "erf")
    return input.erf()


def sign(input: Tensor) -> Tensor:
    """``torch.sign``: see ``Tensor.sign``."""
    _expect_tensor(input, "sign")
    return input.sign()


def floor(input: Tensor) -> Tensor:
    """``torch.floor``: see ``Tensor.floor``."""
    _expect_tensor(input, "floor")
    return input.floor()


def ceil(input: Tensor) -> Tensor:
    """``torch.ceil``: see ``Tensor.ceil``."""
    _expect_tensor(input, "ceil")
    return input.ceil()


def trunc(input: Tensor) -> Tensor:
    """``torch.trunc``: see ``Tensor.trunc``."""
    _expect_tensor(input, "trunc")
    return input.trunc()


def prod(
    input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: DTypeLike = None
) -> Tensor:
    """``torch.prod``: see ``Tensor.prod``."""
    _expect_tensor(input, "prod")
    return input.prod(dim, keepdim, dtype=dtype)


def cumsum(input: Tensor, dim: int, *, dtype: DTypeLike = None) -> Tensor:
    """``torch.cumsum``: see ``Tensor.cumsum``."""
    _expect_tensor(input, "cumsum")
    return input.cumsum(dim, dtype=dtype)


def cumprod(input: Tensor, dim: int, *, dtype: DTypeLike = None) -> Tensor:
    """``torch.cumprod``: see ``Tensor.cumprod``."""
    _expect_tensor(input, "cumprod")
    return input.cumprod(dim, dtype=dtype)


def var_mean(
    input: Tensor,
    dim: int | Sequence[int] | bool | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim`` (``torch.var_mean``, a function only, as in torch), with
    ``Tensor.var``'s arguments: ``correction`` (1 by default) or the older ``unbiased``, which
    torch also takes as the second argument (``var_mean(x, False)``)."""
    _expect_tensor(input, "var_mean")
    input._need_float("var_mean")
    if type(dim) is bool:  # torch's overload var_mean(input, unbiased)
        if unbiased is not None:
            raise TypeError("var_mean(): unbiased given twice")
        dim, unbiased = None, dim
    c = _correction(unbiased, correction, "var_mean")
    return input._var(dim, c, keepdim, "var_mean"), input.mean(dim, keepdim)


def std_mean(
    input: Tensor,
    dim: int | Sequence[int] | bool | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim`` (``torch.std_mean``, a function only), with ``var_mean``'s
    arguments."""
    _expect_tensor(input, "std_mean")
    input._need_float("std_mean")
    if type(dim) is bool:
        if unbiased is not None:
            raise TypeError("std_mean(): unbiased given twice")
        dim, unbiased = None, dim
    c = _correction(unbiased, correction, "std_mean")
    return input._std(dim, c, keepdim, "std_mean"), input.mean(dim, keepdim)


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> _Sort:
    """``torch.sort``: see ``Tensor.sort`` (always stable)."""
    _expect_tensor(input, "sort")
    return input.sort(dim, descending, stable=stable)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> _TopK:
    """``torch.topk``: see ``Tensor.topk`` (ties: the lower index first)."""
    _expect_tensor(input, "topk")
    return input.topk(k, dim, largest, sorted)


def flip(input: Tensor, dims: int | Sequence[int]) -> Tensor:
    """``torch.flip``: see ``Tensor.flip``."""
    _expect_tensor(input, "flip")
    return input.flip(dims)


def roll(
    input: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None
) -> Tensor:
    """``torch.roll``: see ``Tensor.roll``."""
    _expect_tensor(input, "roll")
    return input.roll(shifts, dims)


def tile(input: Tensor, dims: int | Sequence[int]) -> Tensor:
    """``torch.tile``: see ``Tensor.tile``."""
    _expect_tensor(input, "tile")
    return input.tile(dims)


def split(
    tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """``torch.split``: see ``Tensor.split``."""
    _expect_tensor(tensor, "split", "tensor")
    return tensor.split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``torch.chunk``: see ``Tensor.chunk``."""
    _expect_tensor(input, "chunk")
    return input.chunk(chunks, dim)


def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:
    """``torch.masked_fill``: see ``Tensor.masked_fill``."""
    _expect_tensor(input, "masked_fill")
    return input.masked_fill(mask, value)


def index_select(input: Tensor, dim: int, index: Any) -> Tensor:
    """``torch.index_select``: see ``Tensor.index_select``."""
    _expect_tensor(input, "index_select")
    return input.index_select(dim, index)


def randint(
    *args: Any,
    low: Any = None,
    high: Any = None,
    size: Any = None,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (``torch.randint(low=0, high, size)``): int64
    unless ``dtype`` says otherwise. The lecture's SGD step picks its example this way.
    ``low``, ``high`` and ``size`` may be passed by name, as in torch's CTCLoss example."""
    _check_device(device, "randint()")
    # torch's keywords fill the slots after the positional arguments, in (low, high, size) order
    if low is not None:
        args = (low, *args)
    if high is not None:
        args = (*args, high)
    if size is not None:
        args = (*args, size)
    if len(args) not in (2, 3):
        raise TypeError("randint(): expected (high, size) or (low, high, size)")
    low, high, shape = (0, *args) if len(args) == 2 else args
    return _randint(low, high, shape, generator, dtype, requires_grad, "randint")


def _randint(
    low: Any,
    high: Any,
    shape: Any,
    generator: GeneratorLike,
    dtype: DTypeLike,
    requires_grad: bool,
    op: str,
) -> Tensor:
    """``randint``'s draw, its refusals naming ``op`` (``randint`` or ``randint_like``)."""
    if not all(isinstance(v, (int, np.integer)) and type(v) is not bool for v in (low, high)):
        raise TypeError(f"{op}(): low and high must be ints, got {low!r} and {high!r}")
    if low >= high:
        raise ValueError(f"{op}(): low must be less than high, got low={low} >= high={high}")
    d = _check_dtype(dtype or np.int64, op)
    if d.kind in "iu":
        _int_fits(high - 1, d, f"{op}(): high {high}")
        _int_fits(low, d, f"{op}(): low {low}")
    elif d.kind == "b" and not 0 <= low < high <= 2:  # as torch: a bool holds only 0 and 1
        raise RuntimeError(f"{op}(): [low, high) = [{low}, {high}) is out of bounds for bool")
    elif d.kind == "c":
        raise TypeError(f"{op}(): random integers need a real dtype, got {d}")
    dims = _size(tuple(shape) if isinstance(shape, (tuple, list)) else (shape,), op)
    values = _numpy_generator(generator, op).integers(int(low), int(high), dims)
    t = Tensor._make(values.astype(d))
    return t._require_grad(op) if requires_grad else t


def randperm(
    n: int,
    *,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0, …, n − 1 (``torch.randperm``), int64 by default: the order of
    one epoch's examples."""
    _check_device(device, "randperm()")
    (size,) = _size((n,), "randperm")
    d = _check_dtype(dtype or np.int64, "randperm")
    if d.kind in "iu" and size:
        _int_fits(size - 1, d, f"randperm(): n {size}")
    t = Tensor._make(_numpy_generator(generator, "randperm").permutation(size).astype(d))
    return t._require_grad("randperm") if requires_grad else t


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: GeneratorLike = None,
) -> Tensor:
    """Category indices drawn with probabilities proportional to the weights in each row of
    ``input`` (``torch.multinomial``): shape (num_samples,) for weights (C,), (N, num_samples)
    for (N, C); int64, no grad. The lecture's randomized prediction draws its label as
    ``p.multinomial(1)`` from p = softmax(f), where argmax would be the deterministic one.

    Weights need not sum to 1 but must be finite, non-negative, with a positive sum. Without
    ``replacement`` each row's draws are distinct, so a row needs ``num_samples`` positive
    weights; with it, each draw is an inverse-CDF lookup of one uniform number.
    """
    _expect_tensor(input, "multinomial")
    w = input.data
    if w.dtype.kind != "f":
        raise TypeError(f"multinomial(): weights must be floating, got dtype {w.dtype}")
    if w.ndim not in (1, 2) or w.shape[-1] == 0:
        raise OpError(
            f"multinomial(): weights must have shape (C,) or (N, C) with C > 0, got {w.shape}"
        )
    k = _index(num_samples, "multinomial")
    if k <= 0:
        raise ValueError(f"multinomial(): num_samples must be positive, got {k}")
    rows = w.reshape(-1, w.shape[-1]).astype(np.float64)
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise ValueError("multinomial(): weights must be finite and non-negative (no inf, nan)")
    total = rows.sum(axis=1, keepdims=True)
    if (total <= 0).any():
        raise ValueError("multinomial(): a row of weights sums to 0: it is no distribution")
    positive = (rows > 0).sum(axis=1)
    if not replacement and (positive < k).any():
        raise ValueError(
            f"multinomial(): cannot draw {k} distinct categories without replacement from a "
            f"row with {positive.min()} positive weights"
        )
    rng = _numpy_generator(generator, "multinomial")
    p = rows / total
    if replacement:
        cdf = np.cumsum(p, axis=1)
        u = rng.random((p.shape[0], k))
        idx = (cdf[:, None, :] <= u[:, :, None]).sum(axis=2)
        # Rounding can leave the last sum a hair below 1: stay on the last positive weight.
        last = p.shape[1] - 1 - np.argmax(p[:, ::-1] > 0, axis=1)
        idx = np.minimum(idx, last[:, None])
    else:
        draws = [rng.choice(p.shape[1], size=k, replace=False, p=row) for row in p]
        idx = np.stack(draws) if draws else np.zeros((0, k), dtype=np.int64)
    out = idx.astype(np.int64)
    return Tensor._make(out.reshape(k) if w.ndim == 1 else out)


# The recording of in-place ops and the rest of torch's methods live in their own modules, which
# build on Tensor: imported last. Three functions of the first, which the view ops and the
# unrecorded in-place paths above call, are bound here once as module globals: a call costs what
# it did when they were defined in this module.
from . import _inplace as _ip  # noqa: E402
from . import _methods_more as _more  # noqa: E402
from ._inplace import multi_output as _multi_output  # noqa: E402
from ._inplace import refuse_no_grad_view as _refuse_no_grad_view  # noqa: E402
from ._inplace import track_view as _track_view  # noqa: E402
