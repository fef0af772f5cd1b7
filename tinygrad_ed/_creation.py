"""More of torch's creation functions: ``linspace``, ``logspace``, ``empty``, the ``*_like`` family,
``from_numpy`` and ``as_tensor``, with torch's dtype rules.

As ``zeros`` and ``rand`` in ``tensor.py``: ``dtype=``, ``device=`` and ``requires_grad=``
keywords (the device must be the CPU, where numpy computes: ``_device.py``), a ``*_like``
function taking its input's shape and, unless ``dtype`` says otherwise, its dtype. ``empty``
and ``empty_like`` return zeros: torch leaves the memory uninitialised, which numpy could too,
but a lecture tensor full of leftover bytes explains nothing.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._device import DeviceLike, _check_device
from ._warn import warn
from .random import GeneratorLike
from .tensor import (
    DTypeLike,
    OpError,
    Tensor,
    _as_array,
    _check_dtype,
    _expect_tensor,
    _filled,
    _fits,
    _float_dtype,
    _full,
    _int_arg,
    _number_fits,
    _randint,
    _size,
    get_default_dtype,
    rand,
    randn,
)


def _grad(t: Tensor, requires_grad: bool, op: str) -> Tensor:
    return t._require_grad(op) if requires_grad else t


# ----------------------------------------------------------------------------- ranges


def _bound(value: Any, op: str, what: str) -> int | float:
    """``start`` or ``end``: a real number, or a 0-d tensor holding one (as torch takes)."""
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise OpError(
                f"{op}(): {what} must be a number or a 0-d tensor, got shape {value.shape}"
            )
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{op}(): {what} must be a real number, got {value!r}")
    return int(value) if isinstance(value, (int, np.integer)) else float(value)  # ints exact


def _range_dtype(dtype: DTypeLike, op: str) -> np.dtype[Any]:
    d = _check_dtype(get_default_dtype() if dtype is None else dtype, op)
    if d.kind not in "fiu":
        raise TypeError(f"{op}(): dtype must be a floating or integer dtype, got {d}")
    return d


def _range_args(
    start: Any, end: Any, steps: Any, d: np.dtype[Any], op: str
) -> tuple[Any, Any, int]:
    """``start`` and ``end`` converted to ``d`` as torch converts them (refused if ``d`` cannot
    hold them; truncated toward zero for an integer dtype), and ``steps``."""
    bounds = []
    for value, what in ((start, "start"), (end, "end")):
        v = _bound(value, op, what)
        _number_fits(v, d, f"{op}(): {what} {v!r}")
        bounds.append(int(v) if d.kind in "iu" else d.type(v))
    n = _int_arg(steps, op, "steps")
    if n < 0:
        raise OpError(f"{op}(): number of steps must be non-negative, got {n}")
    return bounds[0], bounds[1], n


def _float_spaced(a: Any, b: Any, n: int) -> np.ndarray:
    """n values from a to b in their float type, as torch's kernel computes them: with
    step = (b − a)/(n − 1), the first half as a + step·i, the rest as b − step·(n − 1 − i),
    so both ends are exact. (torch's last bit depends on the CPU: where it can, its kernel
    rounds step·i + a once, as a fused multiply-add.) nan and inf bounds give nan, as torch."""
    t = type(a)
    if n <= 1:  # (b − a)/0 is no step: the one value is a
        return np.full(n, a, dtype=t)
    i = np.arange(n).astype(t)
    with np.errstate(invalid="ignore", over="ignore"):
        step = (b - a) / t(n - 1)
        first = np.arange(n) < n // 2
        return np.asarray(np.where(first, a + step * i, b - step * (t(n - 1) - i)))


def _numerators(a: int, b: int, n: int) -> np.ndarray:
    """a·(n − 1) + (b − a)·i for i < n, exactly: the i-th of n values from a to b is this over
    n − 1. In int64 while the numerators are integers float64 holds exactly (logspace divides
    them as floats, rounding once), else in Python ints, whose true division rounds once too."""
    i = np.arange(n, dtype=np.int64)
    if (abs(a) + abs(b - a)) * n >= 2**53:
        i = i.astype(object)
    return np.asarray(a * (n - 1) + (b - a) * i)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included
    (``torch.linspace``): the default float dtype whatever the bounds (unlike ``arange``).
    ``steps`` may be 0 (empty) or 1 (just ``start``).

    An integer dtype truncates the bounds and each value toward zero, as torch:
    ``linspace(0, 10, 5, dtype=int64)`` is 0, 2, 5, 7, 10. The values are computed exactly
    here; torch computes them in float64, where a value that is exactly a whole number can
    come out one lower (torch's ``linspace(-3, 7, 7, dtype=torch.int64)[3]`` is 1, not 2, on
    CPUs with fused multiply-add).
    """
    _check_device(device, "linspace()")
    d = _range_dtype(dtype, "linspace")
    a, b, n = _range_args(start, end, steps, d, "linspace")
    if d.kind == "f":
        values = _float_spaced(a, b, n)
    elif n <= 1:
        values = np.full(n, a)
    else:  # the quotient truncated toward zero, in integers
        num = _numerators(a, b, n)
        quotient = np.abs(num) // (n - 1)
        values = np.where(num < 0, -quotient, quotient)
    return _grad(Tensor._make(values.astype(d)), requires_grad, "linspace")


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``base`` to the powers ``linspace(start, end, steps)`` (``torch.logspace``): ``steps``
    values from base^start to base^end, evenly spaced on a log scale.

    As torch computes them: the powers in a float dtype; for an integer dtype the exponents
    from the truncated bounds, the powers in float64, truncated toward zero (values an integer
    dtype cannot hold, such as nan from a negative base, are refused, where torch returns
    garbage); one step is base^start in float64. A negative base gives signed values at whole
    exponents and nan between them.
    """
    op = "logspace"
    _check_device(device, "logspace()")
    d = _range_dtype(dtype, op)
    a, b, n = _range_args(start, end, steps, d, op)
    base_ = _bound(base, op, "base")
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if n == 1:  # torch fills in base^start computed in float64
            powers = np.full(1, np.float64(base_) ** np.float64(_bound(start, op, "start")))
        elif d.kind == "f":
            powers = np.power(d.type(base_), _float_spaced(a, b, n))
        else:  # exponents i/(n − 1) of exact numerators, each rounded once
            exponents = (_numerators(a, b, n) / (n - 1)).astype(np.float64)
            powers = np.power(np.float64(base_), exponents)
        if d.kind in "iu":
            _fits(powers, d, op)
        return _grad(Tensor._make(powers.astype(d)), requires_grad, op)


# ----------------------------------------------------------------------------- empty, *_like


def empty(
    *shape: Any,
    size: Any = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A new tensor of ``shape`` (``torch.empty``), filled with zeros here (torch leaves it
    uninitialised: write every entry before reading it there)."""
    _check_device(device, "empty()")
    return _filled(_size(shape, "empty", size), 0, dtype, requires_grad, "empty")


def _int_tuple(value: Any, op: str, name: str, position: int) -> tuple[int, ...]:
    if not isinstance(value, (tuple, list)) or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value
    ):
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be tuple of ints, not "
            f"{type(value).__name__}"
        )
    return tuple(int(v) for v in value)


def empty_strided(
    size: Sequence[int],
    stride: Sequence[int],
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A new tensor of ``size`` whose memory is laid out with ``stride`` (``torch.empty_strided``:
    element i₀, i₁, … at Σ iₖ·stride[k] of a fresh buffer just long enough), zeros here as
    ``empty``'s. Strides may overlap (0: one element seen many times) or leave gaps, as torch's;
    negative ones are refused, as torch."""
    op = "empty_strided"
    _check_device(device, f"{op}()")
    sizes, strides = _int_tuple(size, op, "size", 1), _int_tuple(stride, op, "stride", 2)
    if len(sizes) != len(strides):
        raise OpError(
            f"{op}(): dimensionality of sizes ({len(sizes)}) must match dimensionality of "
            f"strides ({len(strides)})"
        )
    if any(n < 0 for n in sizes):
        raise OpError(f"{op}(): Trying to create tensor with negative dimension: {list(sizes)}")
    if any(st < 0 for st in strides):
        raise OpError(
            f"{op}(): Storage size calculation overflowed with sizes={list(sizes)} and "
            f"strides={list(strides)} (negative strides are not supported)"
        )
    d = _check_dtype(get_default_dtype() if dtype is None else dtype, op)
    length = 0 if 0 in sizes else 1 + sum((n - 1) * st for n, st in zip(sizes, strides))
    buffer = np.zeros(length, dtype=d)
    # a view of the fresh buffer in torch's layout (numpy's strides are in bytes)
    out = np.lib.stride_tricks.as_strided(
        buffer, sizes, tuple(st * d.itemsize for st in strides), writeable=True
    )
    return _grad(Tensor._make(out), requires_grad, op)


def empty_permuted(
    size: Sequence[int],
    physical_layout: Sequence[int],
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A new tensor of ``size`` whose dims lie in memory in the order ``physical_layout``
    (``torch.empty_permuted``: outermost first; ``(0, 2, 3, 1)`` makes an NCHW tensor stored
    channels-last): ``empty`` of the permuted size, permuted back. Zeros here."""
    op = "empty_permuted"
    _check_device(device, f"{op}()")
    sizes = _int_tuple(size, op, "size", 1)
    layout = _int_tuple(physical_layout, op, "physical_layout", 2)
    if len(sizes) != len(layout):
        raise OpError(
            f"{op}(): Number of dimensions in size does not match the length of the "
            f"physical_layout; i.e. len(size) = {len(sizes)} is not equal to "
            f"len(physical_layout) = {len(layout)}"
        )
    for i, p in enumerate(layout):
        if not 0 <= p < len(sizes):
            raise OpError(
                f"{op}(): Dimension out of range (expected to be between 0 and "
                f"{len(sizes) - 1}, but got {p} at index {i}).  NB: negative dims not currently "
                "supported"
            )
    if len(set(layout)) != len(layout):
        raise OpError(f"{op}(): Duplicate dim not allowed in physical_layout {list(layout)}")
    if any(n < 0 for n in sizes):
        raise OpError(f"{op}(): Trying to create tensor with negative dimension: {list(sizes)}")
    d = _check_dtype(get_default_dtype() if dtype is None else dtype, op)
    stored = np.zeros([sizes[p] for p in layout], dtype=d)
    return _grad(Tensor._make(stored.transpose(np.argsort(layout))), requires_grad, op)


def empty_like(
    input: Tensor,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``empty`` of ``input``'s shape and dtype (``torch.empty_like``): zeros here."""
    _expect_tensor(input, "empty_like")
    _check_device(device, "empty_like()")
    d = input.dtype if dtype is None else dtype
    return _filled(input.shape, 0, d, requires_grad, "empty_like")


def full_like(
    input: Tensor,
    fill_value: float,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``full`` of ``input``'s shape, in its dtype unless ``dtype`` is given
    (``torch.full_like``): 2.7 fills an integer tensor with 2, as in torch."""
    _expect_tensor(input, "full_like")
    _check_device(device, "full_like()")
    d = input.dtype if dtype is None else dtype
    return _full(input.shape, fill_value, d, requires_grad, "full_like")


def rand_like(
    input: Tensor,
    *,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``rand`` of ``input``'s shape and (floating or complex) dtype (``torch.rand_like``)."""
    _expect_tensor(input, "rand_like")
    _check_device(device, "rand_like()")
    d = _float_dtype(input.dtype if dtype is None else dtype, "rand_like", complex_ok=True)
    return rand(input.shape, generator=generator, dtype=d, requires_grad=requires_grad)


def randn_like(
    input: Tensor,
    *,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``randn`` of ``input``'s shape and (floating or complex) dtype (``torch.randn_like``)."""
    _expect_tensor(input, "randn_like")
    _check_device(device, "randn_like()")
    d = _float_dtype(input.dtype if dtype is None else dtype, "randn_like", complex_ok=True)
    return randn(input.shape, generator=generator, dtype=d, requires_grad=requires_grad)


def randint_like(
    input: Tensor,
    low: int = 0,
    high: int | None = None,
    *,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """``randint`` of ``input``'s shape and dtype (``torch.randint_like``): integers from
    [low, high), called as ``randint_like(x, high)`` or ``randint_like(x, low, high)``."""
    _expect_tensor(input, "randint_like")
    _check_device(device, "randint_like()")
    if high is None:
        low, high = 0, low
    d = input.dtype if dtype is None else dtype
    return _randint(low, high, input.shape, generator, d, requires_grad, "randint_like")


# ----------------------------------------------------------------------------- from numpy


def from_numpy(ndarray: np.ndarray, /) -> Tensor:
    """A tensor sharing ``ndarray``'s memory (``torch.from_numpy``): writes to either show in
    the other; the dtype is the array's."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy(): expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "biufc":
        raise TypeError(
            f"from_numpy(): can't convert an array of dtype {ndarray.dtype}: tensors hold "
            "numbers or bools"
        )
    return Tensor._make(ndarray)


def frombuffer(
    buffer: Any,
    *,
    dtype: DTypeLike,
    count: int = -1,
    offset: int = 0,
    requires_grad: bool = False,
) -> Tensor:
    """A 1-d tensor sharing the memory of an object that exposes Python's buffer protocol
    (``torch.frombuffer``: bytes, bytearray, array.array, memoryview, mmap): ``count`` elements
    of ``dtype`` (-1: all the rest) from byte ``offset``. Writes to either show in the other. A
    read-only buffer (bytes) gives a read-only tensor, with torch's warning."""
    op = "frombuffer"
    d = _check_dtype(dtype, op)
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    for name, value in (("count", count), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{op}(): argument '{name}' must be int, not {type(value).__name__}")
    length = view.nbytes
    if length == 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length "
            f"({length} bytes) minus 1"
        )
    if count < 0:
        if (length - offset) % d.itemsize:
            raise ValueError(
                f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be "
                f"a multiple of element size ({d.itemsize})"
            )
        count = (length - offset) // d.itemsize
    elif offset + count * d.itemsize > length:
        raise ValueError(
            f"requested buffer length ({count} * {d.itemsize} bytes) after offset ({offset} "
            f"bytes) must not be greater than actual buffer length ({length} bytes)"
        )
    if view.readonly:
        warn(
            "The given buffer is not writable, and PyTorch does not support non-writable "
            "tensors. This means you can write to the underlying (supposedly non-writable) "
            "buffer using the tensor. (Here the tensor is read-only: writes to it are refused.)",
            UserWarning,
        )
    data = np.frombuffer(view.cast("B"), dtype=d, count=count, offset=offset)
    return _grad(Tensor._make(data), requires_grad, op)


def as_tensor(data: Any, *, dtype: DTypeLike = None, device: DeviceLike = None) -> Tensor:
    """``data`` as a tensor, without a copy where it can be (``torch.as_tensor``): a Tensor of
    that dtype is returned itself (of another dtype, cast, in the graph); a numpy array of that
    dtype is shared, as ``from_numpy``; anything else is copied, as ``tensor(data)``."""
    _check_device(device, "as_tensor()")
    d = None if dtype is None else _check_dtype(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data if d is None else data.to(d)
    if (
        isinstance(data, np.ndarray)
        and data.dtype.kind in "biufc"
        and (d is None or d == data.dtype)
    ):
        return Tensor._make(data)
    return Tensor._make(_as_array(data, d, infer=True, what="as_tensor"))


def asarray(
    obj: Any,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    copy: bool | None = None,
    requires_grad: bool | None = None,
) -> Tensor:
    """``obj`` as a tensor (``torch.asarray``), sharing memory unless ``copy=True`` or a cast
    needs a copy; ``copy=False`` refuses a copy instead, as torch's ValueError.

    A Tensor comes back itself (its history too: ``requires_grad`` defaults to the tensor's
    own, torch's new default), cast in the graph for another ``dtype``, cloned in the graph for
    ``copy=True``; ``requires_grad=False`` gives a non-leaf's values detached and, as torch,
    turns a leaf's requires_grad off in place. A numpy array is shared as ``from_numpy``
    (cast copies keep torch's promise: none with ``copy=False``); anything else (numbers,
    nested sequences) is read as ``tensor(obj)`` reads it.
    """
    _check_device(device, "asarray()")
    d = None if dtype is None else _check_dtype(dtype, "asarray")
    if isinstance(obj, Tensor):
        t = obj
        if d is not None and d != t.data.dtype:
            if copy is False:
                raise ValueError(f"asarray(): can't alias a tensor of dtype {t.dtype} into {d}")
            t = t.to(d)
        elif copy:
            t = t.clone()
        if requires_grad is False and t._requires_grad:
            if t.is_leaf:
                return t.requires_grad_(False)
            return t.detach()
    elif isinstance(obj, np.ndarray) and obj.dtype.kind in "biufc":
        shared = d is None or d == obj.dtype
        if not shared and copy is False:
            raise ValueError(f"asarray(): can't alias an array of dtype {obj.dtype} into {d}")
        t = Tensor._make(obj.copy() if copy and shared else obj if shared else obj.astype(d))
    else:
        if copy is False:
            raise ValueError("asarray(): can't alias an arbitrary sequence into a tensor")
        t = Tensor._make(_as_array(obj, d, infer=True, what="asarray"))
    return _grad(t, True, "asarray") if requires_grad and not t._requires_grad else t


def scalar_tensor(
    s: Any,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """A 0-d tensor holding the number ``s``, in the default float dtype unless ``dtype`` says
    otherwise, whatever the number's type (``torch.scalar_tensor``: 3 gives 3.0)."""
    _check_device(device, "scalar_tensor()")
    if isinstance(s, Tensor) and s.data.size == 1:  # a one-element tensor is a number, as torch
        s = s.item()
    if not isinstance(s, (numbers.Number, np.bool_)):
        raise TypeError(f"scalar_tensor(): s must be a number, got {type(s).__name__}")
    return _full((), s, dtype or get_default_dtype(), requires_grad, "scalar_tensor")


# ----------------------------------------------------------------------------- windows


def _window(
    op: str, window_length: Any, periodic: Any, dtype: DTypeLike, device: DeviceLike
) -> tuple[int, np.dtype[Any], np.ndarray | None]:
    """The checks torch's window functions share, and the positions n = 0, 1, …, N − 1 of the
    window in ``dtype`` (N = window_length + 1 when periodic, whose last value is then dropped);
    None for lengths 0 and 1, whose windows are fixed (empty, [1])."""
    _check_device(device, f"{op}()")
    if type(window_length) is bool or not isinstance(window_length, numbers.Integral):
        raise TypeError(
            f"{op}(): argument 'window_length' (position 1) must be int, not "
            f"{type(window_length).__name__}"
        )
    if not isinstance(periodic, (bool, np.bool_)):
        raise TypeError(
            f"{op}(): argument 'periodic' (position 2) must be bool, not {type(periodic).__name__}"
        )
    n = int(window_length)
    d = _check_dtype(get_default_dtype() if dtype is None else dtype, op)
    if d.kind == "c":  # torch's arange refuses first
        raise NotImplementedError(f'{op}(): "arange_cpu" not implemented for {d}')
    if d.kind != "f":
        raise OpError(f"{op} expects floating point dtypes, got {d}")
    if n < 0:
        raise OpError(f"{op} requires non-negative window_length, got window_length={n}")
    if n <= 1:
        return n, d, None
    return n + bool(periodic), d, np.arange(n + bool(periodic), dtype=d)


def _windowed(values: np.ndarray | None, n: int, d: np.dtype[Any], periodic: bool) -> Tensor:
    if values is None:
        values = np.ones(n, dtype=d)
    elif periodic:  # the symmetric window one longer, without its last value
        values = values[:-1]
    return Tensor._make(np.ascontiguousarray(values, dtype=d))


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The generalized Hamming window (``torch.hamming_window``): w[n] = α − β·cos(2πn/(N − 1))
    for n < N, where N is window_length, or window_length + 1 when ``periodic`` (the window for
    spectral analysis: the symmetric one of length N without its last value). Length 0 gives an
    empty window and length 1 ``[1.]``; the dtype is floating (the default's unless given)."""
    args = (window_length, periodic, alpha, beta, dtype, device, requires_grad)
    return _cosine_window("hamming_window", *args)


def _cosine_window(
    op: str,
    window_length: int,
    periodic: bool,
    alpha: float,
    beta: float,
    dtype: DTypeLike,
    device: DeviceLike,
    requires_grad: bool,
) -> Tensor:
    """α − β·cos(2πn/(N − 1)), ``hamming_window``'s and ``hann_window``'s, named ``op``."""
    n, d, pos = _window(op, window_length, periodic, dtype, device)
    if pos is not None:  # in the dtype, in torch's order of operations
        pos = (pos * d.type(2 * np.pi / (n - 1))).astype(d)
        pos = d.type(alpha) - d.type(beta) * np.cos(pos)
    return _grad(_windowed(pos, n, d, periodic), requires_grad, op)


def hann_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Hann window (``torch.hann_window``): w[n] = ½(1 − cos(2πn/(N − 1))) = sin²(πn/(N − 1)),
    ``hamming_window`` with α = β = ½ (N as there)."""
    args = (window_length, periodic, 0.5, 0.5, dtype, device, requires_grad)
    return _cosine_window("hann_window", *args)


def blackman_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Blackman window (``torch.blackman_window``): w[n] = 0.42 − 0.5·cos(2πn/(N − 1))
    + 0.08·cos(4πn/(N − 1)) (N as in ``hamming_window``). Its ends are 0 up to rounding: torch's
    float32 ones are −2.98e−08, as here."""
    op = "blackman_window"
    n, d, pos = _window(op, window_length, periodic, dtype, device)
    if pos is not None:  # torch's sum: 0.08·cos(4a) − 0.5·cos(2a) + 0.42, a = πn/(N − 1)
        a = (pos * d.type(np.pi / (n - 1))).astype(d)
        four = d.type(0.08) * np.cos(a * d.type(4))
        two = d.type(0.5) * np.cos(a * d.type(2))
        pos = four - two + d.type(0.42)
    return _grad(_windowed(pos, n, d, periodic), requires_grad, op)


def bartlett_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Bartlett (triangular) window (``torch.bartlett_window``): w[n] = 1 − |2n/(N − 1) − 1|,
    rising as 2n/(N − 1) to the middle and falling as 2 − 2n/(N − 1) after it (N as in
    ``hamming_window``)."""
    op = "bartlett_window"
    n, d, pos = _window(op, window_length, periodic, dtype, device)
    if pos is not None:
        rise = (pos * d.type(2.0 / (n - 1))).astype(d)
        half = (n - 1) // 2 + 1  # the rising half's length, as torch splits it
        pos = np.concatenate([rise[:half], d.type(2) - rise[half:]])
    return _grad(_windowed(pos, n, d, periodic), requires_grad, op)


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Kaiser window (``torch.kaiser_window``): w[n] = I₀(β·√(1 − ((n − α)/α)²)) / I₀(β),
    α = (N − 1)/2, with I₀ the modified Bessel function of order 0 (N as in ``hamming_window``).
    Computed in float64 and rounded to the dtype once (torch's kernel: in the dtype)."""
    op = "kaiser_window"
    n, d, pos = _window(op, window_length, periodic, dtype, device)
    if pos is not None:
        alpha = (n - 1) / 2.0
        b = float(beta)
        ratio = (pos.astype(np.float64) - alpha) / alpha
        pos = (np.i0(b * np.sqrt(np.abs(1 - ratio * ratio))) / np.i0(b)).astype(d)
    return _grad(_windowed(pos, n, d, periodic), requires_grad, op)
