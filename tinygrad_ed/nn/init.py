"""Weight initialization: fill a tensor in place, without recording a graph.

Randomness comes from the global generator (``tinygrad_ed.manual_seed``) unless a ``generator``
(a ``tg.Generator`` or a numpy one) is passed. Fans follow torch: for a weight of shape
``(out, in, *kernel)``, ``fan_in = in·∏kernel`` and ``fan_out = out·∏kernel``.

* Xavier/Glorot keeps the variance of activations and of gradients about equal across layers:
  ``Var w = gain² · 2 / (fan_in + fan_out)``.
* Kaiming/He keeps the variance through ReLU layers: ``Var w = gain² / fan`` with
  ``gain = √(2 / (1 + a²))`` for a leaky ReLU of negative slope a (√2 for ReLU).
* ``zeros_`` is the lecture's "initialize W = 0": fine for a convex model such as softmax
  regression, but it leaves every hidden unit of a network identical (they never separate).
* ``eye_`` and ``dirac_`` make a Linear or a convolution pass its input through unchanged;
  ``orthogonal_`` keeps every singular value at ``gain`` (Saxe et al. 2013); ``sparse_`` zeroes
  a fixed fraction of each column (Martens 2010); ``trunc_normal_`` is N(mean, std²) cut to
  [a, b].

The names without the trailing underscore (``uniform``, ``eye``, …) are torch's deprecated
aliases: they warn (FutureWarning) and call the underscore form.

PyTorch equivalent: ``torch.nn.init``.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable
from typing import Any, ParamSpec

import numpy as np

from .._warn import warn
from ..random import GeneratorLike, _numpy_generator
from ..tensor import Tensor, _uniform

__all__ = [
    "calculate_gain",
    "constant",
    "constant_",
    "dirac",
    "dirac_",
    "eye",
    "eye_",
    "kaiming_normal",
    "kaiming_normal_",
    "kaiming_uniform",
    "kaiming_uniform_",
    "normal",
    "normal_",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "sparse",
    "sparse_",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros_",
]

_P = ParamSpec("_P")


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


def _fill_uniform(t: Tensor, a: float, b: float, generator: GeneratorLike, fn: str) -> Tensor:
    """Fill with U[a, b) in ``t``'s dtype (never b, as torch's)."""
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"{fn}(): the bounds must be finite, got [{a}, {b})")
    if a > b:  # a negative gain: numpy would fail with "high - low < 0"
        raise ValueError(f"{fn}(): expected a range [a, b) with a <= b, got [{a}, {b})")
    return _fill(t, _uniform(_numpy_generator(generator, fn), a, b, t.shape, t.dtype))


def _fill_normal(t: Tensor, std: float, generator: GeneratorLike, fn: str) -> Tensor:
    """Fill with N(0, std²); a negative or nan std (from a negative or nan gain) is refused, as
    torch's normal_ refuses it, before numpy would."""
    if not (std >= 0 and np.isfinite(std)):  # nan fails every comparison
        raise ValueError(f"{fn}(): expects a finite std >= 0, got std={std} (check the gain)")
    return _fill(t, _numpy_generator(generator, fn).normal(0.0, std, t.shape))


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
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: GeneratorLike = None
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
    generator: GeneratorLike = None,
) -> Tensor:
    """Fill with samples of N(mean, std²) (``nn.init.normal_``).

    A nan or infinite mean or std is refused (torch fills the tensor with nan or inf)."""
    t = _check(tensor, "normal_")
    _real("normal_", "mean", mean)
    _real("normal_", "std", std)
    if not (std >= 0 and np.isfinite(std) and np.isfinite(mean)):  # nan fails every test
        raise ValueError(f"normal_(): expects a finite mean and std >= 0, got {mean}, {std}")
    return _fill(t, _numpy_generator(generator, "normal_").normal(mean, std, t.shape))


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


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: GeneratorLike = None) -> Tensor:
    """U(−a, a) with ``a = gain·√(6 / (fan_in + fan_out))`` (``nn.init.xavier_uniform_``)."""
    t = _check(tensor, "xavier_uniform_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, "xavier_uniform_")
    _real("xavier_uniform_", "gain", gain)  # after the shape, torch's order
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # a uniform on [−a, a] has standard deviation a/√3
    return _fill_uniform(t, -a, a, generator, "xavier_uniform_")


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: GeneratorLike = None) -> Tensor:
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
    generator: GeneratorLike = None,
) -> Tensor:
    """U(−bound, bound) with ``bound = gain·√(3 / fan)`` (``nn.init.kaiming_uniform_``).

    ``gain = calculate_gain(nonlinearity, a)``. With torch's Linear default ``a = √5`` the gain
    is √(1/3), so ``bound = 1/√fan_in``.
    """
    t = _check(tensor, "kaiming_uniform_")
    if _empty(t):
        return t
    fan = _fan(t, mode, "kaiming_uniform_")
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return _fill_uniform(t, -bound, bound, generator, "kaiming_uniform_")


def _empty(t: Tensor) -> bool:
    """Whether ``t`` has no elements: the kaiming inits then leave it alone, with torch's
    warning (nn.Linear(0, k) makes such a weight)."""
    if t.numel():
        return False
    warn("Initializing zero-element tensors is a no-op")
    return True


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: GeneratorLike = None,
) -> Tensor:
    """N(0, std²) with ``std = gain / √fan`` (``nn.init.kaiming_normal_``)."""
    t = _check(tensor, "kaiming_normal_")
    if _empty(t):
        return t
    fan = _fan(t, mode, "kaiming_normal_")
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return _fill_normal(t, std, generator, "kaiming_normal_")


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: GeneratorLike = None,
) -> Tensor:
    """Fill with N(mean, std²) conditioned on [a, b] (``nn.init.trunc_normal_``).

    Drawn by rejection, as torch 2.13 draws it, so the values follow the truncated normal
    exactly (no inverse CDF that loses precision in the tails): see ``_truncated_normal``.
    Infinite bounds are allowed. Like torch, warns when the mean lies more than 2 std outside
    [a, b]; unlike torch, a std <= 0, a nan or infinite mean and bounds a > b are refused (torch
    divides by zero, returns values of no stated law, or fails inside its uniform_).
    """
    t = _check(tensor, "trunc_normal_")
    for name, value in (("mean", mean), ("std", std), ("a", a), ("b", b)):
        _real("trunc_normal_", name, value)
    if not (np.isfinite(mean) and np.isfinite(std) and std > 0):  # nan fails every test
        raise ValueError(
            f"trunc_normal_(): expects a finite mean and a finite std > 0, got mean={mean}, "
            f"std={std}"
        )
    if not a <= b or (a == b and not np.isfinite(a)):
        raise ValueError(f"trunc_normal_(): expected bounds a <= b (not both ±inf), got [{a}, {b}]")
    if mean < a - 2 * std or mean > b + 2 * std:
        warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
        )
    rng = _numpy_generator(generator, "trunc_normal_")
    return _fill(t, _truncated_normal(rng, mean, std, a, b, t.shape))


def _truncated_normal(
    rng: np.random.Generator, mean: float, std: float, a: float, b: float, shape: tuple[int, ...]
) -> np.ndarray:
    """Samples of N(mean, std²) conditioned on [a, b], each redrawn until accepted (torch's way).

    Where [a, b] holds more than 30% of the normal's mass, draws of the normal outside [a, b] are
    redrawn. Elsewhere a candidate x uniform on [a, b] is kept with probability
    ``exp(−½(z² − z_m²))``, ``z = (x − mean)/std`` and ``z_m`` that of the point of [a, b] nearest
    the mean, where the density peaks. The candidates are drawn only where that probability is at
    least e⁻⁴⁰ (``|z| ≤ √(z_m² + 80)``): one further out would be kept only for a uniform draw
    below e⁻⁴⁰ ≈ 4e-18, which numpy's uniform (multiples of 2⁻⁵³) gives only as 0. This is what
    makes infinite bounds work and keeps about one candidate in 40 or more accepted however far
    [a, b] lies. Draws are float64, rounded to the tensor's dtype at the end (rounding is
    monotone, so the values stay within the rounded bounds, as torch's).
    """

    def cdf(x: float) -> float:
        return (1.0 + math.erf((x - mean) / (std * math.sqrt(2.0)))) / 2.0

    out = np.empty(shape)
    pending = np.ones(shape, dtype=bool)
    if cdf(b) - cdf(a) > 0.3:
        while pending.any():
            draws = rng.normal(mean, std, int(pending.sum()))
            out[pending] = draws
            pending[pending] = (draws < a) | (draws > b)
        return out
    z_m = (max(a, min(mean, b)) - mean) / std
    reach = math.hypot(z_m, math.sqrt(80.0)) * std  # no overflow of z_m² for a far interval
    low, high = max(a, mean - reach), min(b, mean + reach)
    while pending.any():
        n = int(pending.sum())
        # the clip only undoes rounding in low + (high − low)·u, which may pass high by an ulp
        x = np.clip(rng.uniform(low, high, n), low, high)
        out[pending] = x
        z = (x - mean) / std
        # −½(z² − z_m²), factored: z² alone overflows when z_m is huge
        log_ratio = -0.5 * (z - z_m) * (z + z_m)
        pending[pending] = rng.random(n) > np.exp(log_ratio)  # torch's log u > log_ratio
    return out


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity on its leading square, zeros elsewhere
    (``nn.init.eye_``): a Linear with this weight passes its first min(in, out) inputs through.

    Any real dtype, as torch's."""
    t = _check(tensor, "eye_", _ANY_REAL)
    if t.ndim != 2:
        raise ValueError(
            f"eye_(): Only tensors with 2 dimensions are supported, got shape {t.shape}"
        )
    return _fill(t, np.eye(*t.shape, dtype=t.dtype))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a conv weight ``(out, in, *kernel)`` (3, 4 or 5 dims) with the Dirac delta
    (``nn.init.dirac_``): 1 at ``[g·out/groups + d, d, centre]`` for ``d < min(out/groups, in)``
    in each group g, 0 elsewhere, so a convolution with this weight (``groups`` groups, padding
    keeping the size) copies as many input channels as it can to the output.

    Any real dtype, as torch's. ``groups`` < 1 is refused (torch divides by zero at 0 and
    silently fills a negative count); a weight with an empty kernel stays empty (torch fails
    indexing its centre).
    """
    t = _check(tensor, "dirac_", _ANY_REAL)
    if t.ndim not in (3, 4, 5):
        raise ValueError(
            f"dirac_(): Only tensors with 3, 4, or 5 dimensions are supported, got shape {t.shape}"
        )
    if not isinstance(groups, numbers.Integral):
        raise TypeError(f"dirac_(): groups must be an integer, got {type(groups).__name__}")
    if groups < 1:
        raise ValueError(f"dirac_(): groups must be positive, got {groups}")
    if t.shape[0] % groups != 0:
        raise ValueError(
            f"dirac_(): dim 0 must be divisible by groups, got {t.shape[0]} output channels "
            f"and groups={groups}"
        )
    values = np.zeros(t.shape, dtype=t.dtype)
    if values.size:
        out_per_group = t.shape[0] // int(groups)
        d = np.arange(min(out_per_group, t.shape[1]))
        centre = tuple(k // 2 for k in t.shape[2:])
        for g in range(int(groups)):
            ones = (g * out_per_group + d, d, *centre)
            values[ones] = 1
    return _fill(t, values)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: GeneratorLike = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix times ``gain`` (``nn.init.orthogonal_``, Saxe et al.
    2013); dims after the first are flattened, so the weight is read as ``rows × cols``.

    With ``A`` a ``rows × cols`` matrix of N(0, 1) draws (transposed when rows < cols) and
    ``A = QR`` its reduced QR, ``Q·diag(sign(diag R))`` is Haar-distributed (Mezzadri 2007; the
    sign fix undoes LAPACK's convention), as torch computes it. Then ``QᵀQ = gain²·I`` when
    rows >= cols, else ``QQᵀ = gain²·I``.

    The QR runs in float64 and is rounded to the tensor's dtype (torch runs it in the dtype and
    refuses float16); a nan or infinite gain is refused (torch fills nan or inf).
    """
    t = _check(tensor, "orthogonal_")
    if t.ndim < 2:
        raise ValueError(
            f"orthogonal_(): Only tensors with 2 or more dimensions are supported, got shape "
            f"{t.shape}"
        )
    _real("orthogonal_", "gain", gain)
    if not np.isfinite(gain):
        raise ValueError(f"orthogonal_(): gain must be finite, got {gain}")
    rng = _numpy_generator(generator, "orthogonal_")
    if t.numel() == 0:
        return t
    rows = t.shape[0]
    cols = t.numel() // rows
    flat = rng.standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(t, gain * q.reshape(t.shape))


def sparse_(
    tensor: Tensor,
    sparsity: float,
    std: float = 0.01,
    generator: GeneratorLike = None,
) -> Tensor:
    """Fill a 2-D tensor with N(0, std²) draws, then zero ``⌈sparsity·rows⌉`` of them in each
    column, at rows drawn uniformly without repeats (``nn.init.sparse_``, Martens 2010).

    A sparsity outside [0, 1] is refused (torch zeroes every row above 1 and, below 0, all but
    the last ⌈|sparsity|·rows⌉). The rows come from ``generator`` too, so a seeded generator
    reproduces the whole fill (torch draws them from its global generator).
    """
    t = _check(tensor, "sparse_")
    if t.ndim != 2:
        raise ValueError(
            f"sparse_(): Only tensors with 2 dimensions are supported, got shape {t.shape}"
        )
    _real("sparse_", "sparsity", sparsity)
    _real("sparse_", "std", std)
    if not 0 <= sparsity <= 1:  # nan fails both
        raise ValueError(f"sparse_(): sparsity must be in [0, 1], got {sparsity}")
    if not (std >= 0 and np.isfinite(std)):
        raise ValueError(f"sparse_(): expects a finite std >= 0, got std={std}")
    rng = _numpy_generator(generator, "sparse_")
    rows, cols = t.shape
    values = rng.normal(0.0, std, (rows, cols))
    # argsort of uniform draws: an independent random permutation of the rows in each column
    zero_rows = rng.random((rows, cols)).argsort(axis=0)[: math.ceil(sparsity * rows)]
    values[zero_rows, np.arange(cols)] = 0
    return _fill(t, values)


def _deprecated(fn: Callable[_P, Tensor]) -> Callable[_P, Tensor]:
    """torch's deprecated name for ``fn`` (without the trailing underscore): warns, then calls."""
    new = fn.__name__
    old = new[:-1]

    @functools.wraps(fn)
    def deprecated_init(*args: _P.args, **kwargs: _P.kwargs) -> Tensor:
        warn(
            f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new}`.",
            FutureWarning,
        )
        return fn(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old
    deprecated_init.__doc__ = f"Deprecated alias of ``{new}`` (``torch.nn.init.{old}``)."
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
