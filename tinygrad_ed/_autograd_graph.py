"""torch.autograd.graph: hooks on saved tensors and on several gradients, and gradient edges.

Hooks for saved tensors: see, and change, what each op keeps for its backward.

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
through the same hooks, in the order they were saved; ``allow_mutation_on_saved_tensors`` is such
a pair.

The rest of the module, as torch's: ``register_multi_grad_hook`` (one function called with the
gradients of several tensors, once a backward pass has computed all those it computes, or with
the first of them), ``GradientEdge``/``get_gradient_edge`` (a place in the graph that ``grad()``
and ``backward(inputs=...)`` take instead of a tensor) and ``increment_version`` (tell autograd
about a write it did not see, so that backward refuses the values saved before it).
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import autograd
from ._leaf_grads import AccumulateGrad
from .autograd import GradientEdge, Node
from .grad_mode import _mode

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = [
    "GradientEdge",
    "Node",
    "allow_mutation_on_saved_tensors",
    "disable_saved_tensors_hooks",
    "get_gradient_edge",
    "increment_version",
    "register_multi_grad_hook",
    "save_on_cpu",
    "saved_tensors_hooks",
]


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


# ----------------------------------------------------------------------------- saved and mutated

_mutation_allowed = False  # an allow_mutation_on_saved_tensors context is open (torch's global)


class _AllowMutationOnSavedContext:
    """What ``allow_mutation_on_saved_tensors`` yields: each packed tensor with a copy of its
    values at the time it was saved (torch keeps its originals and clones the ones written)."""

    def __init__(self) -> None:
        self.saved: dict[int, tuple[Tensor, np.ndarray]] = {}
        self.open = True

    def pack(self, tensor: Tensor) -> int:
        key = len(self.saved)
        self.saved[key] = (tensor, np.array(tensor.data, copy=True))
        return key

    def unpack(self, key: int) -> Tensor:
        if not self.open or key not in self.saved:
            raise AssertionError(
                "Trying to backward outside of the 'allow_mutation_on_saved_tensors' context "
                "in which the graph was originally recorded."
            )
        tensor, values = self.saved[key]
        now = tensor.data
        if now.shape == values.shape and now.tobytes() == values.tobytes():
            return tensor  # unchanged: the tensor itself, with its history
        # Written since: the values it had, without history (torch's clone of the original,
        # made below autograd, has none either).
        return type(tensor)._make(values)

    def clear(self) -> None:
        self.saved.clear()
        self.open = False


@contextlib.contextmanager
def allow_mutation_on_saved_tensors() -> Iterator[_AllowMutationOnSavedContext]:
    """Inside, a tensor that an op saved for backward may be changed in place afterwards:
    backward computes with the values it had when saved, instead of refusing
    (``torch.autograd.graph.allow_mutation_on_saved_tensors``). Both the forward and the
    backward pass must run inside (outside, backward raises torch's AssertionError); contexts
    do not nest.

        with allow_mutation_on_saved_tensors():
            a = tg.ones(2, 3, requires_grad=True)
            b = a.clone()
            out = (b**2).sum()       # saves b
            b.sin_()                 # refused by backward without the context
            out.backward()           # ā = 2·b as it was: 2

    Here every saved tensor's values are copied when it is saved (torch copies a saved tensor
    when it is written): the same results, with the memory of a copy of each saved value while
    the context lasts. A saved value written since carries no history (as torch's copy), so a
    second derivative does not pass through it.
    """
    global _mutation_allowed
    if _mutation_allowed:
        raise RuntimeError("allow_mutation_on_saved_tensors contexts cannot be nested")
    ctx = _AllowMutationOnSavedContext()
    with saved_tensors_hooks(ctx.pack, ctx.unpack):
        _mutation_allowed = True
        try:
            yield ctx
        finally:
            ctx.clear()
            _mutation_allowed = False


# ----------------------------------------------------------------------------- edges and versions


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """The place in the graph where ``tensor``'s gradient arrives: its ``grad_fn``, or for a
    leaf its ``AccumulateGrad`` (``torch.autograd.graph.get_gradient_edge``).
    ``grad(loss, get_gradient_edge(x))`` is ``grad(loss, x)``, and stays so after ``x`` is
    changed in place (which gives ``x`` another ``grad_fn``)."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require "
            f"gradients (shape {tuple(tensor.shape)})"
        )
    node = tensor.grad_fn
    return GradientEdge(AccumulateGrad.of(tensor) if node is None else node, tensor.output_nr)


def increment_version(tensor: Tensor | Iterable[Tensor]) -> None:
    """Count an in-place change autograd did not see, as if an in-place op had made it
    (``torch.autograd.graph.increment_version``): ``_version`` goes up by one, and backward
    refuses the values nodes saved before it. For code that writes into ``tensor.data``
    (numpy) directly. Takes a tensor or an iterable of tensors."""
    tensors: tuple[Any, ...] = (tensor,) if autograd._is_tensor(tensor) else tuple(tensor)  # type: ignore[arg-type]
    for t in tensors:
        if not autograd._is_tensor(t):
            raise TypeError(
                f"increment_version(): expected a Tensor or tensors, got {type(t).__name__}"
            )
        t._mark_changed()


# ----------------------------------------------------------------------------- multi-grad hooks


class _MultiHandle:
    """What ``register_multi_grad_hook`` returns: ``remove()`` removes the hook from every
    tensor (torch's handle); as a context manager, on exit."""

    def __init__(self, handles: tuple[Any, ...]) -> None:
        self.handles = handles

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()

    def __enter__(self) -> _MultiHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register_multi_grad_hook(
    tensors: Sequence[Tensor],
    fn: Callable[[Any], None],
    *,
    mode: str = "all",
) -> _MultiHandle:
    """One hook on the gradients of several tensors (``torch.autograd.graph.
    register_multi_grad_hook``).

    ``mode="all"``: in each backward pass, once the gradient of every tensor the pass runs
    through has been computed, ``fn(grads)`` is called with them, a list in the order of
    ``tensors``: None for a tensor the pass does not reach (not in the graph of what is
    differentiated, or, for ``grad()`` or ``backward(inputs=...)``, not on a path to the
    inputs); the pass does not wait for those. ``mode="any"``: in each pass, ``fn(grad)`` is
    called once, with the first of their gradients computed. As torch's, the hooks are tensor
    hooks (``register_hook``), so ``fn`` sees each gradient where a tensor hook would, and
    must not change it; they run in every later backward pass until ``remove()``.
    """
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    lock = threading.Lock()

    def current() -> autograd._GraphTask:
        task = autograd.current_graph_task()
        if task is None:
            raise AssertionError("expected this hook to be called inside a backward call")
        return task

    if mode == "any":
        ran: weakref.WeakKeyDictionary[autograd._GraphTask, bool] = weakref.WeakKeyDictionary()

        def first(grad: Tensor) -> None:
            task = current()
            with lock:
                if task in ran:
                    return
                ran[task] = True
            fn(grad)

        return _MultiHandle(tuple(t.register_hook(first) for t in tensors if t.requires_grad))

    # Where each tensor's gradient arrives, as torch takes it when the hook is registered.
    vertices = [autograd.vertex(t) for t in tensors]
    # Per pass: the gradients so far, how many came, how many will.
    pending: weakref.WeakKeyDictionary[autograd._GraphTask, tuple[list[Any], list[int]]]
    pending = weakref.WeakKeyDictionary()

    def collecting(index: int) -> Callable[[Tensor], None]:
        def hook(grad: Tensor) -> None:
            task = current()
            with lock:
                entry = pending.get(task)
                if entry is None:  # the pass's first: how many of the tensors does it reach?
                    expected = sum(task.will_execute(v) for v in vertices)
                    entry = pending[task] = ([None] * len(tensors), [0, expected])
                grads, counts = entry
                grads[index] = grad
                counts[0] += 1
                done = counts[0] == counts[1]
                if done:
                    del pending[task]
            if done:
                fn(grads)

        return hook

    return _MultiHandle(tuple(t.register_hook(collecting(i)) for i, t in enumerate(tensors)))
