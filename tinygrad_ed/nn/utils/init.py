"""Building a module without spending time (or random numbers) on initializing it.

PyTorch equivalent: ``torch.nn.utils.skip_init``.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from ... import random
from ..module import Module

__all__ = ["skip_init"]

M = TypeVar("M", bound=Module)


def skip_init(module_cls: type[M], *args: Any, **kwargs: Any) -> M:
    """``module_cls(*args, **kwargs)`` whose construction leaves the global generator as it
    was: the weights are meant to be overwritten (from a checkpoint, by a custom init), and the
    random draws of the model built after it stay those it would get without this module.

    torch's parameters hold uninitialized memory; here they hold the usual initial values, drawn
    and then "given back" (the generator's state restored). As in torch, the class must accept
    a ``device`` argument.
    """
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    bits = random._numpy_generator().bit_generator
    state = bits.state
    try:
        return module_cls(*args, **kwargs)
    finally:
        bits.state = state
