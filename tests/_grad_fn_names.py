"""grad_fn names compared across libraries: tinygrad_ed's Node.name() and torch's class name."""

from __future__ import annotations

from typing import Any

import tinygrad_ed as tg


def grad_fn_name(grad_fn: Any) -> str:
    """A grad_fn's name without torch's overload number (AddBackward0 → AddBackward)."""
    if grad_fn is None:
        return "None"
    if isinstance(grad_fn, tg.autograd.Node):
        return grad_fn.name()
    return str(type(grad_fn).__name__).rstrip("0123456789")
