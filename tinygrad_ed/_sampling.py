"""torch's samplers of tensor parameters: ``normal``, ``poisson`` and ``binomial``.

Each draws from the global generator, or from ``generator`` (a ``tg.Generator`` or a numpy one).
As in torch, a sample is not a differentiable function of its parameters: normal's and
poisson's derivatives are zero for every parameter (torch's NormalBackward and PoissonBackward
return zeros), and binomial has none, so backward through it raises, as torch's. For a
gradient through a normal sample, write it reparameterised: ``mean + std * tg.randn_like(mean)``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from ._device import DeviceLike, _check_device
from .autograd import _mode
from .random import GeneratorLike, _numpy_generator
from .tensor import (
    _ALWAYS,
    DTypeLike,
    Tensor,
    _broadcast,
    _expect_tensor,
    _float_dtype,
    _no_derivative,
    _size,
    where,
)

__all__ = ["binomial", "normal", "poisson"]

# numpy's largest Poisson rate (its POISSON_LAM_MAX): the draws must fit an int64
_POISSON_MAX = (2**63 - 1) - 10 * math.sqrt(2**63 - 1)


def normal(
    mean: Tensor | float,
    std: Tensor | float = 1.0,
    size: Sequence[int] | None = None,
    *,
    generator: GeneratorLike = None,
    dtype: DTypeLike = None,
    device: DeviceLike = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std²) (``torch.normal``), in torch's four forms:

    * ``normal(mean, std)`` with tensors: broadcast together, in mean's dtype;
    * ``normal(mean, std=1.0)`` with a tensor mean, and ``normal(mean, std)`` with a number mean
      and a tensor std: the tensor's shape and dtype;
    * ``normal(mean, std, size)`` with numbers: a new tensor of ``size``, in ``dtype`` (the
      default float dtype unless given), which alone takes ``device`` and ``requires_grad``.

    ``out = mean + std·z``, ``z ~ N(0, 1)``; ``mean̄ = std̄ = 0``, torch's rule (the sample is
    not reparameterised). std must be ≥ 0 (0 gives the mean itself).
    """
    if not (isinstance(mean, Tensor) or isinstance(std, Tensor)):
        return _normal_of_numbers(mean, std, size, generator, dtype, device, requires_grad)
    if size is not None or dtype is not None or device is not None or requires_grad:
        raise TypeError(
            "normal(): size, dtype, device and requires_grad are taken with a number mean and "
            "std only (normal(mean, std, size)); with a tensor the shape and dtype are its own"
        )
    for name, value in (("mean", mean), ("std", std)):
        if not isinstance(value, (Tensor, numbers.Real)):
            raise TypeError(
                f"normal(): argument '{name}' must be a Tensor or a number, not "
                f"{type(value).__name__}"
            )
    like = mean if isinstance(mean, Tensor) else cast(Tensor, std)
    if like.data.dtype.kind != "f":
        raise NotImplementedError(
            f"normal(): not implemented for {like.dtype} (shape {like.shape}): the "
            f"{'mean' if like is mean else 'std'} must be floating"
        )
    if isinstance(std, Tensor):
        if not np.all(std.data >= 0):  # nan fails too, as in torch
            raise RuntimeError(
                f"normal(): expects all elements of std >= 0.0, but std (shape {std.shape}) "
                f"holds {std.data[~(std.data >= 0)].flat[0]}"
            )
    elif not std >= 0:
        raise RuntimeError(f"normal(): expects std >= 0.0, but found std {std}")
    m = mean.data if isinstance(mean, Tensor) else mean
    s = std.data.astype(np.float64) if isinstance(std, Tensor) else std
    shape = _broadcast(np.shape(m), np.shape(s), "normal")
    values = _numpy_generator(generator, "normal").normal(m, s, shape).astype(like.dtype)
    out = Tensor._make(values)
    for given in (mean, std):  # torch's zero gradient, summed back to each parameter's shape
        if isinstance(given, Tensor) and given._requires_grad and _mode.enabled:
            out = where(_ALWAYS, out, given.to(like.dtype))
    return out


def _normal_of_numbers(
    mean: Any,
    std: Any,
    size: Sequence[int] | None,
    generator: GeneratorLike,
    dtype: DTypeLike,
    device: DeviceLike,
    requires_grad: bool,
) -> Tensor:
    """``normal(mean, std, size)``: a new tensor of N(mean, std²) samples."""
    _check_device(device, "normal()")
    for name, value in (("mean", mean), ("std", std)):
        if not isinstance(value, numbers.Real):
            raise TypeError(
                f"normal(): argument '{name}' must be a Tensor or a number, not "
                f"{type(value).__name__}"
            )
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            "normal(): with a number mean and std, give size, a tuple or list of ints "
            f"(normal(mean, std, size)), got {size!r:.40}"
        )
    if not std >= 0:
        raise RuntimeError(f"normal(): expects std >= 0.0, but found std {std}")
    d = _float_dtype(dtype, "normal")
    shape = _size(tuple(size), "normal")
    t = Tensor._make(_numpy_generator(generator, "normal").normal(mean, std, shape).astype(d))
    return t.requires_grad_(True) if requires_grad else t


def poisson(input: Tensor, generator: GeneratorLike = None) -> Tensor:
    """Samples of Poisson(λ) for the rates λ = ``input`` (``torch.poisson``), in its floating
    dtype: counts 0, 1, 2, … of mean and variance λ. λ̄ = 0, torch's rule.

    Rates must be ≥ 0 (torch's refusal) and at most about 9.2e18, the largest numpy draws
    from (torch's counts overflow there, to −2⁶³).
    """
    _expect_tensor(input, "poisson")
    if input.data.dtype.kind != "f":
        raise NotImplementedError(
            f"poisson(): not implemented for {input.dtype} (shape {input.shape}): the rates "
            "must be floating"
        )
    rates = input.data
    if not np.all(rates >= 0):  # nan fails too
        raise RuntimeError(
            f"poisson(): invalid Poisson rate, expected rate to be non-negative, but input "
            f"(shape {input.shape}) holds {rates[~(rates >= 0)].flat[0]}"
        )
    if np.any(rates > _POISSON_MAX):
        raise RuntimeError(
            f"poisson(): a rate of {rates.max()} is too large: the counts must fit an int64 "
            f"(rates up to {_POISSON_MAX:.4g}; shape {input.shape})"
        )
    values = _numpy_generator(generator, "poisson").poisson(rates, rates.shape).astype(input.dtype)
    return input._piecewise_constant(values)


def binomial(count: Tensor, prob: Tensor, generator: GeneratorLike = None) -> Tensor:
    """Samples of Binomial(count, prob) (``torch.binomial``): the successes in ``count`` trials
    of probability ``prob``, broadcast together, in their common dtype (float32 or float64).

    Not differentiable: backward through it raises, as torch's. Where torch returns values for
    parameters outside the distribution's domain (prob outside [0, 1], a count that is negative,
    not whole or not finite: clamped, or nan, or a hang for a nan count), this refuses them.
    """
    _expect_tensor(count, "binomial", "count")
    _expect_tensor(prob, "binomial", "prob")
    for name, x in (("count", count), ("prob", prob)):
        if x.data.dtype.kind != "f":
            raise ValueError(
                f"binomial(): only floating-point dtypes are supported for {name}, got "
                f"{x.dtype} (shape {x.shape})"
            )
    if count.dtype != prob.dtype:
        raise RuntimeError(
            f"binomial(): count and prob must have the same dtype, got {count.dtype} and "
            f"{prob.dtype} (shapes {count.shape} and {prob.shape})"
        )
    if count.dtype == np.float16:
        raise NotImplementedError(f"binomial(): not implemented for float16 (shape {count.shape})")
    shape = _broadcast(count.shape, prob.shape, "binomial")
    n, p = count.data, prob.data
    if not np.all((p >= 0) & (p <= 1)):
        raise RuntimeError(
            f"binomial(): expects prob in [0, 1], but prob (shape {prob.shape}) holds "
            f"{p[~((p >= 0) & (p <= 1))].flat[0]}"
        )
    whole = (n >= 0) & (n < 2**63) & (n == np.floor(n))
    if not np.all(whole):
        raise RuntimeError(
            f"binomial(): expects count to hold whole numbers >= 0, but count (shape "
            f"{count.shape}) holds {n[~whole].flat[0]}"
        )
    rng = _numpy_generator(generator, "binomial")
    out = Tensor._make(rng.binomial(n.astype(np.int64), p, shape).astype(count.dtype))
    return _no_derivative(_no_derivative(out, count, "binomial"), prob, "binomial")
