"""Weight initialization: fill a tensor in place, without recording a graph.

Randomness comes from the global generator (``tinygrad_ed.manual_seed``) unless a numpy
``generator`` is passed. Fans follow torch: for a weight of shape ``(out, in, *kernel)``,
``fan_in = in·∏kernel`` and ``fan_out = out·∏kernel``.

* Xavier/Glorot keeps the variance of activations and of gradients about equal across layers:
  ``Var w = gain² · 2 / (fan_in + fan_out)``.
* Kaiming/He keeps the variance through ReLU layers: ``Var w = gain² / fan`` with
  ``gain = √(2 / (1 + a²))`` for a leaky ReLU of negative slope a (√2 for ReLU).
* ``zeros_`` is the lecture's "initialize W = 0": fine for a convex model such as softmax
  regression, but it leaves every hidden unit of a network identical (they never separate).

PyTorch equivalent: ``torch.nn.init``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..tensor import Tensor, _generator, _uniform

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]


def _fill(tensor: Tensor, values: np.ndarray | float) -> Tensor:
    # Writing into .data records nothing, like torch's `with torch.no_grad(): tensor.uniform_()`,
    # but it is an in-place change: a graph that saved the old values must refuse backward.
    tensor.data[...] = values
    tensor._mark_changed()
    return tensor


def _check(tensor: object, fn: str, kinds: str = "f") -> Tensor:
    """The tensor, if it is one and its dtype kind is among ``kinds`` (numpy's letters)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{fn}(): expected a Tensor, got {type(tensor).__name__}")
    if tensor.dtype.kind not in kinds:
        what = "a floating" if kinds == "f" else "a boolean, integer or floating"
        raise TypeError(f"{fn}(): expected {what} tensor, got dtype {tensor.dtype}")
    return tensor


# Constant fills work on any real dtype, as torch's fill_ (random draws need floats).
_ANY_REAL = "biuf"


def _real(fn: str, what: str, value: Any) -> None:
    """A real number (bools too, as torch takes them), before arithmetic on it fails."""
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"{fn}(): {what} must be a real number, got {type(value).__name__} {value!r}"
        )


def _fill_uniform(
    t: Tensor, a: float, b: float, generator: np.random.Generator | None, fn: str
) -> Tensor:
    """Fill with U[a, b) in ``t``'s dtype (never b, as torch's)."""
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"{fn}(): the bounds must be finite, got [{a}, {b})")
    if a > b:  # a negative gain: numpy would fail with "high - low < 0"
        raise ValueError(f"{fn}(): expected a range [a, b) with a <= b, got [{a}, {b})")
    return _fill(t, _uniform(_generator(generator, fn), a, b, t.shape, t.dtype))


def _fill_normal(t: Tensor, std: float, generator: np.random.Generator | None, fn: str) -> Tensor:
    """Fill with N(0, std²); a negative or nan std (from a negative or nan gain) is refused, as
    torch's normal_ refuses it, before numpy would."""
    if not (std >= 0 and np.isfinite(std)):  # nan fails every comparison
        raise ValueError(f"{fn}(): expects a finite std >= 0, got std={std} (check the gain)")
    return _fill(t, _generator(generator, fn).normal(0.0, std, t.shape))


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (``torch.nn.init.calculate_gain``).

    linear, conv and sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu: √(2 / (1 + slope²)) with slope
    ``param`` (default 0.01); selu: 3/4.
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")  # fmt: skip
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain(): negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain(): unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(
    tensor: Tensor, fn: str = "_calculate_fan_in_and_fan_out"
) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight ``(out, in, *kernel)``; ``fn`` names the caller."""
    if tensor.ndim < 2:
        raise ValueError(
            f"{fn}(): fan in and fan out can not be computed for a tensor with fewer than 2 "
            f"dimensions (got shape {tensor.shape})"
        )
    receptive_field = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fan(tensor: Tensor, mode: str, fn: str) -> int:
    # torch lower-cases the mode, so "FAN_IN" works too.
    if not isinstance(mode, str) or mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"{fn}(): mode {mode!r} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor, fn)
    return fan_in if mode.lower() == "fan_in" else fan_out


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill with samples of U(a, b) (``nn.init.uniform_``)."""
    t = _check(tensor, "uniform_")
    _real("uniform_", "a", a)
    _real("uniform_", "b", b)
    if a > b:
        raise ValueError(f"uniform_(): expected a <= b, got a={a}, b={b}")
    return _fill_uniform(t, a, b, generator, "uniform_")


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Fill with samples of N(mean, std²) (``nn.init.normal_``).

    A nan or infinite mean or std is refused (torch fills the tensor with nan or inf)."""
    t = _check(tensor, "normal_")
    _real("normal_", "mean", mean)
    _real("normal_", "std", std)
    if not (std >= 0 and np.isfinite(std) and np.isfinite(mean)):  # nan fails every test
        raise ValueError(f"normal_(): expects a finite mean and std >= 0, got {mean}, {std}")
    return _fill(t, _generator(generator, "normal_").normal(mean, std, t.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val`` (``nn.init.constant_``); an integer tensor gets ``val`` truncated.

    ``val`` may be a 0-d tensor, as torch's ``fill_`` takes; a bool is refused as a number."""
    t = _check(tensor, "constant_", _ANY_REAL)
    if isinstance(val, Tensor) and val.ndim == 0 and val.dtype.kind in "iuf":
        val = val.item()
    if isinstance(val, (bool, np.bool_)) or not isinstance(val, (int, float, np.number)):
        raise TypeError(f"constant_(): val must be a number, got {val!r}")
    if t.dtype.kind in "iub":
        if not np.isfinite(val):
            raise ValueError(f"constant_(): cannot fill an {t.dtype} tensor with {val}")
        info = np.iinfo(t.dtype) if t.dtype.kind != "b" else None
        if info is not None and not info.min <= int(val) <= info.max:
            raise ValueError(
                f"constant_(): {val} does not fit in {t.dtype} [{info.min}, {info.max}]"
            )
    return _fill(t, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0 (``nn.init.zeros_``): the lecture's "initialize W = 0"."""
    return _fill(_check(tensor, "zeros_", _ANY_REAL), 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1 (``nn.init.ones_``)."""
    return _fill(_check(tensor, "ones_", _ANY_REAL), 1)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """U(−a, a) with ``a = gain·√(6 / (fan_in + fan_out))`` (``nn.init.xavier_uniform_``)."""
    t = _check(tensor, "xavier_uniform_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, "xavier_uniform_")
    _real("xavier_uniform_", "gain", gain)  # after the shape, torch's order
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # a uniform on [−a, a] has standard deviation a/√3
    return _fill_uniform(t, -a, a, generator, "xavier_uniform_")


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """N(0, std²) with ``std = gain·√(2 / (fan_in + fan_out))`` (``nn.init.xavier_normal_``)."""
    t = _check(tensor, "xavier_normal_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, "xavier_normal_")
    _real("xavier_normal_", "gain", gain)  # after the shape, torch's order
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _fill_normal(t, std, generator, "xavier_normal_")


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """U(−bound, bound) with ``bound = gain·√(3 / fan)`` (``nn.init.kaiming_uniform_``).

    ``gain = calculate_gain(nonlinearity, a)``. With torch's Linear default ``a = √5`` the gain
    is √(1/3), so ``bound = 1/√fan_in``.
    """
    t = _check(tensor, "kaiming_uniform_")
    if t.numel() == 0:  # torch warns and leaves an empty tensor alone
        return t
    fan = _fan(t, mode, "kaiming_uniform_")
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return _fill_uniform(t, -bound, bound, generator, "kaiming_uniform_")


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """N(0, std²) with ``std = gain / √fan`` (``nn.init.kaiming_normal_``)."""
    t = _check(tensor, "kaiming_normal_")
    if t.numel() == 0:
        return t
    fan = _fan(t, mode, "kaiming_normal_")
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return _fill_normal(t, std, generator, "kaiming_normal_")
