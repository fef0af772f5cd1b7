"""How tensors print: ``set_printoptions`` (``torch.set_printoptions``) and the array text of
``Tensor.__repr__``, which numpy's ``array2string`` lays out.

By default floats show the fewest digits that read back to the same value (numpy's), where
torch shows 4 decimals. Once a ``precision`` or a ``sci_mode`` is set, floats follow torch's
rules: integral values as ``2.``, others with ``precision`` decimals (4 unless given), in
scientific notation when torch would use it (the largest over the smallest nonzero magnitude
beyond 1000, the largest beyond 1e8 or the smallest below 1e-4) or when ``sci_mode=True``.
numpy only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# the library's defaults, which profile="default" restores (torch's: precision 4, threshold
# 1000, edgeitems 3, linewidth 80)
_DEFAULTS: dict[str, Any] = {
    "precision": None,  # numpy's shortest round-trip digits
    "threshold": 200,
    "edgeitems": 3,
    "linewidth": 75,
    "sci_mode": None,
}
_options = dict(_DEFAULTS)
# torch's profiles, each as it differs from the defaults
_PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "short": {"precision": 2, "edgeitems": 2},
    "full": {"threshold": math.inf},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print (``torch.set_printoptions``): ``precision`` decimals of floats,
    more than ``threshold`` elements summarised with "..." showing ``edgeitems`` at each end
    of each dim, lines of ``linewidth`` characters, ``sci_mode`` True/False to force or forbid
    scientific notation (None: chosen from the values, as torch). An option given as None is
    left as it is, but ``sci_mode``, which is always set (as torch). ``profile`` first restores
    the library's defaults (numpy's digits, threshold 200, linewidth 75): "default", "short"
    (2 decimals, 2 edge items) or "full" (no summary); an unknown one is refused (torch
    ignores it).

    One-dimensional tensors lay out as torch's; a row of a matrix that needs more than one
    line may break one element earlier (numpy's layout counts the brackets before it)."""
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(
                f"set_printoptions(): invalid profile {profile!r}: the profile must be one of "
                "'default', 'short', 'full'"
            )
        _options.update(_DEFAULTS, **_PROFILES[profile])
    for name, value in (
        ("precision", precision),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            _options[name] = _count(value, name)
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise TypeError(f"set_printoptions(): threshold must be a number, got {threshold!r}")
        _options["threshold"] = threshold
    if sci_mode is not None and not isinstance(sci_mode, bool):
        raise TypeError(f"set_printoptions(): sci_mode must be a bool or None, got {sci_mode!r}")
    _options["sci_mode"] = sci_mode


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"set_printoptions(): {name} must be a non-negative int, got {value!r}")
    return value


def array_text(data: np.ndarray, prefix: str) -> str:
    """The text of ``data`` in a tensor's repr, laid out after ``prefix`` ("tensor(")."""
    threshold = _options["threshold"]
    text = np.array2string(
        data,
        separator=", ",
        prefix=prefix,
        # numpy takes an int: past the largest, never summarised (threshold=inf)
        threshold=int(min(threshold, np.iinfo(np.intp).max)),
        edgeitems=_options["edgeitems"],
        max_line_width=_options["linewidth"],
        formatter=_float_formatter(data, threshold),
    )
    # torch's summary marks its elided entries with " ..."; numpy's line of rows is as torch's
    return text.replace(", ...,", ",  ...,")


def _float_formatter(data: np.ndarray, threshold: float) -> Any:
    """torch's float format (``torch._tensor_str._Formatter``) once a precision or a sci_mode is
    set; None (numpy's) otherwise. Decided from the elements shown, as torch."""
    precision, sci = _options["precision"], _options["sci_mode"]
    if data.dtype.kind != "f" or (precision is None and sci is None):
        return None
    digits = 4 if precision is None else precision
    shown = _shown(data, threshold).astype(np.float64)
    values = np.abs(shown[np.isfinite(shown) & (shown != 0)])
    if values.size == 0:
        return None  # only zeros, inf and nan: numpy's "0.", "inf", "nan" are torch's
    integral = bool(np.all(values == np.ceil(values)))
    if sci is None:
        low, high = values.min(), values.max()
        sci = bool(high / low > 1000.0 or high > 1e8 or low < 1e-4)
    if integral and not sci:
        width = max(len(f"{v:.0f}") + 1 for v in shown[np.isfinite(shown)])
        return {"float_kind": lambda v: (f"{v:.0f}" + ("." if np.isfinite(v) else "")).rjust(width)}
    spec = f".{digits}e" if sci else f".{digits}f"
    width = max(len(format(v, spec)) for v in shown[np.isfinite(shown)])
    return {"float_kind": lambda v: format(float(v), spec).rjust(width)}


def _shown(data: np.ndarray, threshold: float) -> np.ndarray:
    """The elements a summary shows (``edgeitems`` at each end of each dim), or all of them."""
    k = _options["edgeitems"]
    if data.size <= threshold:
        return data.ravel()
    for axis, n in enumerate(data.shape):
        if n > 2 * k:
            data = np.concatenate(
                [np.take(data, range(k), axis), np.take(data, range(n - k, n), axis)], axis
            )
    return data.ravel()
