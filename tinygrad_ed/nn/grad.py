"""The adjoints of a convolution, as functions: ``conv{1,2,3}d_input`` and ``conv{1,2,3}d_weight``.

PyTorch equivalent: ``torch.nn.grad``, with its signatures. For out = conv(x, w) (stride,
padding, dilation, groups), ``convNd_input(x.shape, w, g)`` is x̄ = ∂⟨out, g⟩/∂x and
``convNd_weight(x, w.shape, g)`` is w̄ = ∂⟨out, g⟩/∂w. A convolution is linear in each of x
and w, so either adjoint is a function of the other argument and g alone: each is this
library's own vector-Jacobian product of ``F.convNd``, taken at a zero stand-in for the
argument it differentiates, and is differentiable again in the others (the graph is kept
whenever grad mode is on).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _conv
from ..autograd import grad as _autograd_grad
from ..grad_mode import enable_grad, is_grad_enabled
from ..tensor import Tensor

__all__ = [
    "conv1d_input",
    "conv1d_weight",
    "conv2d_input",
    "conv2d_weight",
    "conv3d_input",
    "conv3d_weight",
]


def _shape(size: Any, op: str, arg: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in size)
    except TypeError:
        raise TypeError(f"{op}(): {arg} must be a sequence of ints, got {size!r}") from None


def _tensor(value: Any, op: str, arg: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): {arg} must be a Tensor, got {type(value).__name__}")
    return value


def _adjoint(
    n: int,
    wrt: str,
    input: Any,
    weight: Any,
    grad_output: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
) -> Tensor:
    """∂⟨conv{n}d(input, weight), grad_output⟩ / ∂(input or weight), one of which is a size."""
    op = f"conv{n}d_{wrt}"
    g = _tensor(grad_output, op, "grad_output")
    if wrt == "input":
        size, other = _shape(input, op, "input_size"), _tensor(weight, op, "weight")
    else:
        size, other = _shape(weight, op, "weight_size"), _tensor(input, op, "input")
    create_graph = is_grad_enabled()
    with enable_grad():  # the product needs its graph even when the caller is in no_grad
        stand_in = Tensor(np.zeros(size, dtype=g.dtype), requires_grad=True)
        x, w = (stand_in, other) if wrt == "input" else (other, stand_in)
        out = _conv._conv(x, w, None, stride, padding, dilation, groups, n, f"conv{n}d")
        if out.shape != g.shape:
            raise ValueError(
                f"{op}(): grad_output has shape {g.shape}, but conv{n}d of an input of shape "
                f"{x.shape} with a weight of shape {w.shape} gives {out.shape}"
            )
        (adjoint,) = _autograd_grad(out, stand_in, g, create_graph=create_graph)
    result: Tensor = adjoint if create_graph else adjoint.detach()
    return result


def conv1d_input(
    input_size: Sequence[int],
    weight: Tensor,
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """x̄ of ``F.conv1d(x, weight, ...)`` for an x of shape ``input_size``
    (``torch.nn.grad.conv1d_input``)."""
    return _adjoint(1, "input", input_size, weight, grad_output, stride, padding, dilation, groups)


def conv1d_weight(
    input: Tensor,
    weight_size: Sequence[int],
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """w̄ of ``F.conv1d(input, w, ...)`` for a w of shape ``weight_size``
    (``torch.nn.grad.conv1d_weight``)."""
    return _adjoint(1, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)


def conv2d_input(
    input_size: Sequence[int],
    weight: Tensor,
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """x̄ of ``F.conv2d(x, weight, ...)`` for an x of shape ``input_size``
    (``torch.nn.grad.conv2d_input``)."""
    return _adjoint(2, "input", input_size, weight, grad_output, stride, padding, dilation, groups)


def conv2d_weight(
    input: Tensor,
    weight_size: Sequence[int],
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """w̄ of ``F.conv2d(input, w, ...)`` for a w of shape ``weight_size``
    (``torch.nn.grad.conv2d_weight``)."""
    return _adjoint(2, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)


def conv3d_input(
    input_size: Sequence[int],
    weight: Tensor,
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """x̄ of ``F.conv3d(x, weight, ...)`` for an x of shape ``input_size``
    (``torch.nn.grad.conv3d_input``)."""
    return _adjoint(3, "input", input_size, weight, grad_output, stride, padding, dilation, groups)


def conv3d_weight(
    input: Tensor,
    weight_size: Sequence[int],
    grad_output: Tensor,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """w̄ of ``F.conv3d(input, w, ...)`` for a w of shape ``weight_size``
    (``torch.nn.grad.conv3d_weight``)."""
    return _adjoint(3, "weight", input, weight_size, grad_output, stride, padding, dilation, groups)
