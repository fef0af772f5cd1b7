"""torch.testing's ``assert_close`` and ``make_tensor``, on this library's tensors.

``assert_close(actual, expected)`` passes where every element satisfies
``|actual − expected| ≤ atol + rtol·|expected|`` (torch's ``isclose``: equal infinities match, nan
matches nan only with ``equal_nan``), with torch's default tolerances per dtype, and otherwise
raises torch's report: how many elements mismatch, and the greatest absolute and relative
differences with their indices. Sequences and mappings are compared item by item, and the
report names the failing item. Messages print this library's shapes and dtypes (``(2, 3)``,
``float32``) where torch prints ``torch.Size([2, 3])`` and ``torch.float32``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .._device import _check_device
from .._warn import warn
from ..tensor import DTypeLike, Tensor, _check_dtype, rand, randint

# (rtol, atol) by dtype, torch's table; integers and bools compare exactly.
_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
    np.dtype(np.complex64): (1.3e-6, 1e-5),
    np.dtype(np.complex128): (1e-7, 1e-7),
}


class _Mismatch(Exception):
    """A failed comparison: the report, and the path of the item (``[1]``, ``['a']``)."""

    def __init__(self, report: str, path: tuple[Any, ...] = ()) -> None:
        super().__init__(report)
        self.report, self.path = report, path


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Raise an AssertionError unless ``actual`` and ``expected`` are close
    (``torch.testing.assert_close``).

    Tensors (or numpy arrays, with each other) must have the same shape and, with
    ``check_dtype``, the same dtype; then every element must satisfy
    ``|actual − expected| ≤ atol + rtol·|expected|``, where ``rtol`` and ``atol`` (both given, or
    neither) default to torch's values for the dtype: 1.3e-6 and 1e-5 for float32, 1e-7 and
    1e-7 for float64, 1e-3 and 1e-5 for float16, exact equality for integers and bools (of two
    dtypes, the larger tolerances). Python numbers compare likewise, as float64, and must be of
    the same type. Sequences and mappings are compared item by item. ``msg``, a string or a
    function of the report, replaces the report. ``check_device``, ``check_layout`` and
    ``check_stride`` are accepted: every tensor here is a dense CPU one.
    """
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}."
        )
    try:
        _compare(actual, expected, (), rtol, atol, equal_nan, check_dtype)
    except _Mismatch as failure:
        report = failure.report
        if failure.path:
            report += (
                f"\n\nThe failure occurred for item {''.join(f'[{k!r}]' for k in failure.path)}"
            )
        if msg is not None:
            report = msg(report) if callable(msg) else msg
        raise AssertionError(report) from None


def _compare(
    actual: Any,
    expected: Any,
    path: tuple[Any, ...],
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
    check_dtype: bool,
) -> None:
    if actual is None and expected is None:
        return
    arrays = (Tensor, np.ndarray)
    if isinstance(actual, arrays) and isinstance(expected, arrays):
        if isinstance(actual, Tensor) == isinstance(expected, Tensor):  # not a tensor and an array
            a = actual.data if isinstance(actual, Tensor) else actual
            e = expected.data if isinstance(expected, Tensor) else expected
            _compare_arrays(a, e, path, rtol, atol, equal_nan, check_dtype)
            return
    elif _is_number(actual) and _is_number(expected):
        if type(actual) is not type(expected):
            raise _Mismatch(f"The (d)types do not match: {type(actual)} != {type(expected)}.", path)
        if isinstance(actual, bool):
            if actual is not expected:
                raise _Mismatch(f"Booleans mismatch: {actual} is not {expected}", path)
            return
        _compare_arrays(
            np.asarray(actual), np.asarray(expected), path, rtol, atol, equal_nan, check_dtype
        )
        return
    elif isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            missing = sorted(set(expected) - set(actual), key=repr)
            extra = sorted(set(actual) - set(expected), key=repr)
            raise _Mismatch(
                "The keys of the mappings do not match:\n"
                + (f"Missing keys in the actual mapping: {missing}\n" if missing else "")
                + (f"Additional keys in the actual mapping: {extra}" if extra else ""),
                path,
            )
        for key in actual:
            _compare(actual[key], expected[key], (*path, key), rtol, atol, equal_nan, check_dtype)
        return
    elif _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(
                f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", path
            )
        for i, (x, y) in enumerate(zip(actual, expected)):
            _compare(x, y, (*path, i), rtol, atol, equal_nan, check_dtype)
        return
    raise TypeError(
        f"assert_close(): no comparison pair was able to handle inputs of type {type(actual)} "
        f"and {type(expected)}."
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, complex))


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _compare_arrays(
    a: np.ndarray,
    e: np.ndarray,
    path: tuple[Any, ...],
    rtol: float | None,
    atol: float | None,
    equal_nan: bool,
    check_dtype: bool,
) -> None:
    if a.shape != e.shape:
        raise _Mismatch(
            f"The values for attribute 'shape' do not match: {a.shape} != {e.shape}.", path
        )
    if check_dtype and a.dtype != e.dtype:
        raise _Mismatch(
            f"The values for attribute 'dtype' do not match: {a.dtype} != {e.dtype}.", path
        )
    if rtol is None or atol is None:  # torch's defaults: the larger of the two dtypes'
        tolerances = [_TOLERANCES.get(d, (0.0, 0.0)) for d in (a.dtype, e.dtype)]
        rtol, atol = max(t[0] for t in tolerances), max(t[1] for t in tolerances)
    common = np.result_type(a, e)
    a, e = a.astype(common, copy=False), e.astype(common, copy=False)
    exact = common.kind in "biu"
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if exact:
            matches = a == e
        else:  # torch's isclose: equal values (infinities too), or finite and within tolerance
            matches = (a == e) | (
                np.isfinite(a) & np.isfinite(e) & (abs(a - e) <= atol + rtol * abs(e))
            )
            if equal_nan:
                matches |= np.isnan(a) & np.isnan(e)
    if matches.all():
        return
    if a.ndim == 0:
        raise _Mismatch(_scalar_report(a.item(), e.item(), rtol, atol), path)
    raise _Mismatch(_tensor_report(a, e, matches, rtol, atol), path)


def _report(
    what: str, extra: str, rtol: float, atol: float, diffs: list[tuple[str, Any, Any, float]]
) -> str:
    """torch's report: the header, ``extra``, then a line per difference."""
    equality = rtol == 0 and atol == 0
    text = f"{what} are not {'equal' if equality else 'close'}!\n\n{extra}\n"
    for kind, diff, index, tol in diffs:
        line = (
            f"{kind.title()} difference: {diff}"
            if index is None
            else f"Greatest {kind} difference: {diff} at index {index}"
        )
        text += line + ("" if equality else f" (up to {tol} allowed)") + "\n"
    return text.strip()


def _scalar_report(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = math.inf if expected == 0 else abs_diff / abs(expected)
    return _report(
        "Scalars",
        f"Expected {expected} but got {actual}.",
        rtol,
        atol,
        [("absolute", abs_diff, None, atol), ("relative", rel_diff, None, rtol)],
    )


def _tensor_report(
    a: np.ndarray, e: np.ndarray, matches: np.ndarray, rtol: float, atol: float
) -> str:
    total, bad = matches.size, int(matches.size - matches.sum())
    extra = f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"
    a_flat, e_flat = a.ravel(), e.ravel()
    if a.dtype.kind in "biu":  # as torch: in int64, so that a difference cannot wrap around
        a_flat, e_flat = a_flat.astype(np.int64), e_flat.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.abs(a_flat - e_flat)
        abs_diff[matches.ravel()] = 0  # only mismatches are candidates, as torch
        if a.dtype.kind in "biu":  # torch divides integers in its default float dtype, float32
            rel_diff = abs_diff.astype(np.float32) / np.abs(e_flat).astype(np.float32)
        else:
            rel_diff = abs_diff / np.abs(e_flat)
        rel_diff[matches.ravel()] = 0
    diffs = []
    for kind, values, tol in (("absolute", abs_diff, atol), ("relative", rel_diff, rtol)):
        k = int(np.argmax(values))  # the first nan where there is one: torch's max propagates it
        diffs.append(
            (kind, values[k].item(), tuple(int(i) for i in np.unravel_index(k, a.shape)), tol)
        )
    return _report("Tensor-likes", extra, rtol, atol, diffs)


def make_tensor(
    *shape: Any,
    dtype: DTypeLike,
    device: Any,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """A random tensor of ``shape`` and ``dtype`` (``torch.testing.make_tensor``): floats uniform
    in ``[low, high)`` (default ``[-9, 9)``), integers uniform in ``[low, high)`` (default
    ``[-9, 10)``, clamped to the dtype's range, so ``[0, 10)`` for uint8), bools of either value.
    ``exclude_zero`` replaces zeros by the dtype's smallest normal number (floats) or 1;
    ``noncontiguous`` gives a strided view of the same values. Drawn from the library's
    generator (``tg.manual_seed``), so numbers differ from torch's."""
    _check_device(device, "make_tensor()")
    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = tuple(shape[0])
    size = tuple(int(s) for s in shape)
    d = _check_dtype(dtype, "make_tensor")
    if noncontiguous and memory_format is not None:
        raise ValueError(
            "The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
            f"noncontiguous={noncontiguous} and memory_format={memory_format}"
        )
    if requires_grad and d.kind in "biu":
        raise ValueError(
            "`requires_grad=True` is not supported for boolean and integral dtypes, but got "
            f"dtype={d}"
        )
    floating = d.kind in "fc"
    bounds: tuple[float, float]
    default: tuple[float, float]
    if d.kind == "b":
        bounds, default = (0, 2), (0, 2)
    elif d.kind in "iu":
        info = np.iinfo(d)
        bounds, default = (int(info.min), int(info.max) + (d != np.int64)), (-9, 10)
    else:
        finfo = np.finfo(d)
        bounds, default = (float(finfo.min), float(finfo.max)), (-9, 9)
    lo, hi = _range(low, high, bounds, default, floating, d)
    noncontiguous = noncontiguous and math.prod(size) > 1
    drawn = (*size[:-1], 2 * size[-1]) if noncontiguous else size
    if floating:
        real = np.dtype(np.float32) if d == np.complex64 else np.dtype(np.float64)
        width = (*drawn, 2) if d.kind == "c" else drawn
        # half the range, doubled: high − low may exceed the largest float of the dtype
        unit = rand(*width, dtype=np.float64).data if math.prod(width) else np.zeros(width)
        values = ((lo / 2 + unit * (hi / 2 - lo / 2)) * 2).astype(real if d.kind == "c" else d)
        data = values.view(d)[..., 0] if d.kind == "c" else values
        if exclude_zero:
            data = np.where(data == 0, np.asarray(np.finfo(d).tiny, d), data)
    else:
        data = randint(lo, hi, drawn, dtype=np.int64).data.astype(d)
        if exclude_zero:
            data = np.where(data == 0, np.asarray(1, d), data)
    if noncontiguous:
        data = data[..., 1::2]
    out = Tensor._make(np.asarray(data))
    return out.requires_grad_(True) if requires_grad else out


def _range(
    low: float | None,
    high: float | None,
    bounds: tuple[float, float],
    default: tuple[float, float],
    floating: bool,
    d: np.dtype[Any],
) -> tuple[Any, Any]:
    """torch's checks of ``low`` and ``high`` and their clamping to the dtype's range."""
    lo = default[0] if low is None else low
    hi = default[1] if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={lo} and high={hi}")
    if lo == hi and floating:
        warn(
            "Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
            "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
            FutureWarning,
        )
    elif lo >= hi:
        raise ValueError(f"`low` must be less than `high`, but got {lo} >= {hi}")
    elif hi < bounds[0] or lo >= bounds[1]:
        raise ValueError(
            f"The value interval specified by `low` and `high` is [{lo}, {hi}), but {d} only "
            f"supports [{bounds[0]}, {bounds[1]})"
        )
    lo, hi = min(max(lo, bounds[0]), bounds[1]), min(max(hi, bounds[0]), bounds[1])
    return (lo, hi) if floating else (math.ceil(lo), math.ceil(hi))
