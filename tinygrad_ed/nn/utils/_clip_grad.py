"""Gradient clipping between ``backward()`` and ``optimizer.step()``.

PyTorch equivalent: ``torch.nn.utils.clip_grad_norm_``, ``clip_grad_value_``,
``get_total_norm`` and ``clip_grads_with_norm_`` (``clip_grad_norm_`` split in two). All change
each parameter's ``.grad`` in place and leave parameters without a gradient alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..._warn import warn
from ...autograd import no_grad
from ...tensor import Tensor, stack, tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _tensors(tensors: Tensor | Iterable[Tensor], op: str, what: str) -> list[Tensor]:
    items = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    for i, p in enumerate(items):
        if not isinstance(p, Tensor):
            raise TypeError(f"{op}(): {what}[{i}] must be a Tensor, got {type(p).__name__}")
    return items


def _grads(parameters: Tensor | Iterable[Tensor], op: str) -> list[Tensor]:
    return [p.grad for p in _tensors(parameters, op, "parameters") if p.grad is not None]


def _number(value: Any, op: str, arg: str) -> float:
    if not isinstance(value, (int, float, np.number)) or isinstance(value, bool):
        raise TypeError(f"{op}(): {arg} must be a number, got {value!r}")
    return float(value)


def get_total_norm(
    tensors: Tensor | Iterable[Tensor],
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """‖(‖t₁‖, ‖t₂‖, …)‖: the ``norm_type`` norm of all the tensors taken together as one
    vector (0 for none). ``error_if_nonfinite`` raises when it is nan or infinite.

    PyTorch equivalent: ``torch.nn.utils.get_total_norm`` (pass the gradients, as
    ``clip_grad_norm_`` does); ``foreach`` is accepted and ignored (one CPU loop either way).
    """
    items = _tensors(tensors, "get_total_norm", "tensors")
    if isinstance(norm_type, str) and norm_type in ("inf", "-inf"):  # torch takes these too
        norm_type = float(norm_type)
    if not items:
        return tensor(0.0)
    with no_grad():
        norms = [t.norm(norm_type) for t in items]
        dtype = np.result_type(*(n.dtype for n in norms))
        total = stack([n.to(dtype) for n in norms]).norm(norm_type)
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise RuntimeError(
            f"get_total_norm(): the total norm of order {norm_type} of the gradients is "
            f"{total.item()}, so they cannot be clipped; pass error_if_nonfinite=False to "
            "scale them anyway"
        )
    return total


def clip_grads_with_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    total_norm: Tensor | float,
    foreach: bool | None = None,
) -> None:
    """Scale every gradient by min(1, max_norm / (total_norm + 10⁻⁶)), in place.

    PyTorch equivalent: ``torch.nn.utils.clip_grads_with_norm_``, the second half of
    ``clip_grad_norm_`` (``total_norm`` is usually ``get_total_norm`` of the gradients).
    """
    grads = _grads(parameters, "clip_grads_with_norm_")
    limit = _number(max_norm, "clip_grads_with_norm_", "max_norm")
    if isinstance(total_norm, Tensor):
        if total_norm.numel() != 1:
            raise RuntimeError(
                "clip_grads_with_norm_(): total_norm must be a single number, got a tensor of "
                f"shape {total_norm.shape}"
            )
        norm = float(total_norm.item())
        # torch computes the factor in total_norm's precision (a float32 norm, a float32 factor)
        ft = total_norm.dtype.type if total_norm.is_floating_point() else np.float64
    else:
        norm = _number(total_norm, "clip_grads_with_norm_", "total_norm")
        ft = np.float64
    scale = float(min(ft(limit) / (ft(norm) + ft(1e-6)), ft(1.0)))
    with no_grad():
        for g in grads:
            g.mul_(scale)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale every gradient by min(1, max_norm / (‖g‖ + 10⁻⁶)), where ‖g‖ is the ``norm_type``
    norm of all gradients taken together as one vector; returns ‖g‖ (before clipping).

    The direction of the step is kept and only its length capped: a guard against the rare
    huge gradient that would throw the weights far away. ``error_if_nonfinite`` raises instead
    of scaling when ‖g‖ is nan or infinite. It is ``get_total_norm`` of the gradients followed
    by ``clip_grads_with_norm_``.
    """
    params = _tensors(parameters, "clip_grad_norm_", "parameters")  # a generator is read once
    grads = [p.grad for p in params if p.grad is not None]
    _number(max_norm, "clip_grad_norm_", "max_norm")
    if not grads:
        return tensor(0.0)
    try:
        total = get_total_norm(grads, norm_type, error_if_nonfinite)
    except RuntimeError as e:
        raise RuntimeError(str(e).replace("get_total_norm", "clip_grad_norm_")) from None
    clip_grads_with_norm_(params, max_norm, total)
    return total


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient element into [−clip_value, clip_value]."""
    grads = _grads(parameters, "clip_grad_value_")
    v = _number(clip_value, "clip_grad_value_", "clip_value")
    for g in grads:
        np.clip(g.data, -v, v, out=g.data)
        g._mark_changed()


def clip_grad_norm(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """``clip_grad_norm_``, under torch's old name (``nn.utils.clip_grad_norm``), with torch's
    deprecation warning."""
    warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)
