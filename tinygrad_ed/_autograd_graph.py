"""Hooks for saved tensors: see, and change, what each op keeps for its backward.

Every node keeps the values its derivative rules will read (``x * y`` keeps y for x̄ = g·y and
x for ȳ = g·x; ``exp`` keeps its output, for x̄ = g·out). Inside ``saved_tensors_hooks(pack,
unpack)`` each node recorded calls ``pack`` on each of those values when it is recorded, and
backward calls ``unpack`` on what ``pack`` returned each time the node runs, computing with the
tensor ``unpack`` returns:

    with tg.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = a * b                      # pack(b), then pack(a)
    y.sum().backward()                 # unpack(pack(b)), unpack(pack(a)): ā = g·b, b̄ = g·a

torch uses the hooks to move saved tensors elsewhere (to the CPU, to disk) and back. Here the
node keeps its values too (drawings and in-place checks read them), so the hooks change what
backward computes with, not the memory held; what they show, for learning, is exactly what
each op saves, and when it is read.

PyTorch equivalent: ``torch.autograd.graph``'s ``saved_tensors_hooks`` (per thread, the
innermost pair in force), ``disable_saved_tensors_hooks``, ``save_on_cpu`` (the identity here:
every tensor is on the CPU) and ``Node`` (the class of every ``grad_fn``). As in torch, a packed
value is not checked for in-place changes: an identity pair computes with the changed value, a
pack that copies with the old one. A custom Function's ``ctx.save_for_backward`` tensors go
through the same hooks, in the order they were saved.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from . import autograd
from .autograd import Node
from .grad_mode import _mode

__all__ = ["Node", "disable_saved_tensors_hooks", "save_on_cpu", "saved_tensors_hooks"]


class saved_tensors_hooks:
    """Pack each value a node recorded inside keeps for its backward with ``pack_hook(tensor)``;
    backward computes with ``unpack_hook(packed)``, which must return a tensor
    (``torch.autograd.graph.saved_tensors_hooks``).

    A context manager, in force in this thread only; nested, the innermost pair wins. Each node
    calls ``pack_hook`` once per value its rules read, at record time: the inputs in the order
    of the rules that read them, then the output. Backward calls ``unpack_hook`` on each every
    time the node runs (twice for two backward passes with ``retain_graph=True``), and so does
    reading ``grad_fn._saved_self`` and the others.
    """

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]) -> None:
        for name, hook in (("pack_hook", pack_hook), ("unpack_hook", unpack_hook)):
            if not callable(hook):
                raise TypeError(
                    f"saved_tensors_hooks(): {name} must be callable, got {type(hook).__name__}"
                )
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self) -> None:
        if _mode.saved_hooks_disabled is not None:
            raise RuntimeError(_mode.saved_hooks_disabled)
        _mode.saved_hooks = (*_mode.saved_hooks, (self.pack_hook, self.unpack_hook))
        with _counting:
            autograd._saved_hooks_entered += 1

    def __exit__(self, *exc: object) -> None:
        _mode.saved_hooks = _mode.saved_hooks[:-1]
        with _counting:
            autograd._saved_hooks_entered -= 1


_counting = threading.Lock()  # the count is shared by all threads


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors kept on the CPU until backward (``torch.autograd.graph.save_on_cpu``):
    here every tensor is on the CPU already, so its pack and unpack are the identity.
    ``pin_memory`` and ``device_type`` are accepted as torch's and change nothing."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        self.pin_memory, self.device_type = pin_memory, device_type
        super().__init__(_identity, _identity)


def _identity(value: Any) -> Any:
    return value


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str) -> Iterator[None]:
    """Inside, entering ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``
    (``torch.autograd.graph.disable_saved_tensors_hooks``): for code that cannot have its saved
    tensors packed. Entering it while hooks are in force raises the same error, as torch's."""
    if _mode.saved_hooks:
        raise RuntimeError(error_message)
    prev = _mode.saved_hooks_disabled
    _mode.saved_hooks_disabled = error_message
    try:
        yield
    finally:
        _mode.saved_hooks_disabled = prev
