"""Gradient clipping between ``backward()`` and ``optimizer.step()``.

PyTorch equivalent: ``torch.nn.utils.clip_grad_norm_`` and ``clip_grad_value_``. Both change
each parameter's ``.grad`` in place and leave parameters without a gradient alone.
``nn.utils.rnn`` is ``torch.nn.utils.rnn``'s padding of sequences (module ``nn.rnn_utils``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..autograd import no_grad
from ..tensor import Tensor, stack, tensor
from . import rnn_utils as rnn

__all__ = ["clip_grad_norm_", "clip_grad_value_", "rnn"]


def _grads(parameters: Tensor | Iterable[Tensor], op: str) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{op}(): parameters[{i}] must be a Tensor, got {type(p).__name__}")
    return [p.grad for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Scale every gradient by min(1, max_norm / (‖g‖ + 10⁻⁶)), where ‖g‖ is the ``norm_type``
    norm of all gradients taken together as one vector; returns ‖g‖ (before clipping).

    The direction of the step is kept and only its length capped: a guard against the rare
    huge gradient that would throw the weights far away. ``error_if_nonfinite`` raises instead
    of scaling when ‖g‖ is nan or infinite.
    """
    grads = _grads(parameters, "clip_grad_norm_")
    if not isinstance(max_norm, (int, float, np.number)) or isinstance(max_norm, bool):
        raise TypeError(f"clip_grad_norm_(): max_norm must be a number, got {max_norm!r}")
    if isinstance(norm_type, str) and norm_type in ("inf", "-inf"):  # torch takes these too
        norm_type = float(norm_type)
    if not grads:
        return tensor(0.0)
    with no_grad():
        norms = [g.norm(norm_type) for g in grads]
        dtype = np.result_type(*(n.dtype for n in norms))
        total = stack([n.to(dtype) for n in norms]).norm(norm_type)
        if error_if_nonfinite and not math.isfinite(total.item()):
            raise RuntimeError(
                f"clip_grad_norm_(): the total norm of order {norm_type} of the gradients is "
                f"{total.item()}, so they cannot be clipped; pass error_if_nonfinite=False to "
                "scale them anyway"
            )
        scale = min(float(max_norm) / (total.item() + 1e-6), 1.0)
        for g in grads:
            g.mul_(scale)
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient element into [−clip_value, clip_value]."""
    grads = _grads(parameters, "clip_grad_value_")
    if not isinstance(clip_value, (int, float, np.number)) or isinstance(clip_value, bool):
        raise TypeError(f"clip_grad_value_(): clip_value must be a number, got {clip_value!r}")
    v = float(clip_value)
    for g in grads:
        np.clip(g.data, -v, v, out=g.data)
        g._mark_changed()
