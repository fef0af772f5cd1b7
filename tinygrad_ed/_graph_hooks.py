"""The running of gradient hooks in backward: the kinds of hook a vertex keeps, and their runners.

A vertex of the graph keeps its gradient hooks in one list (``Node.hooks``, a leaf's
``Tensor._hooks``), so that a vertex without hooks costs backward one test. In it, in torch's
order: the tensor's hooks (``Tensor.register_hook``) and its ``retain_grad()``, then the node's
own (``Node.register_prehook``: ``NodePrehook``; ``Node.register_hook``: ``NodePosthook``), or a
leaf's ``register_post_accumulate_grad_hook`` (``PostAccumulateGradHook``); and first of all,
the engine's own ``Refit`` for a tensor that changed shape in place (``_reshaped_inplace``).

``_run_hooks`` runs them on a vertex's complete adjoint, before its rules; ``_run_posthooks`` on
what the rules sent; ``_run_post_accumulate_hooks`` once a leaf's ``.grad`` is summed. Each
refuses a misfit result as torch does, naming the hook and the shapes.

PyTorch equivalent: the hooks of ``torch.Tensor`` and of ``grad_fn`` nodes. This module imports
nothing of the package: ``autograd`` imports these names into its own namespace, so its loop
tests them as plain globals.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .grad_mode import _mode

if TYPE_CHECKING:
    from .autograd import Node, Vertex
    from .tensor import Tensor


def _check_callable(hook: Any, method: str) -> None:
    if not callable(hook):
        raise TypeError(f"{method}(): hook must be callable, got {type(hook).__name__} {hook!r}")


class NodePrehook:
    """``Node.register_prehook``'s hook in the node's list of gradient hooks (``Node.hooks``),
    after the output tensor's hooks and its retain_grad: ``_run_hooks`` calls it on a tuple."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, g: Tensor) -> None:
        """Not a tensor hook: ``_run_hooks`` calls ``fn`` with the tuple itself."""


class NodePosthook(NodePrehook):
    """``Node.register_hook``'s hook, kept in ``Node.hooks`` so that a node without hooks pays
    nothing for it: ``_run_hooks`` passes it by, and backprop runs it on the rules' results."""

    __slots__ = ()


class NodeHookHandle:
    """What ``Node.register_prehook`` and ``Node.register_hook`` return: ``remove()``
    unregisters the hook (torch's handle); as a context manager, it is removed on exit."""

    def __init__(self, node: Node, hook: NodePrehook) -> None:
        self.node, self.hook = weakref.ref(node), hook

    def remove(self) -> None:
        node = self.node()
        if node is None:
            return
        if hasattr(node, "_hooks"):  # a leaf, whose AccumulateGrad's hooks are in its list
            node._hooks = [h for h in node._hooks or () if h is not self.hook] or None
        else:
            node.hooks = [h for h in node.hooks or () if h is not self.hook] or None

    def __enter__(self) -> NodeHookHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class RefitHook:
    """The base of ``_reshaped_inplace.Refit``, the engine's own hook that gives a gradient the
    shape a tensor had before it changed shape in place: applied as it is, its result not
    checked as a user's. Defined here, where ``_run_hooks`` tests for it, as imports flow from
    that module to this one."""

    __slots__ = ()

    def __call__(self, g: Tensor) -> Tensor:
        raise NotImplementedError


class PostAccumulateGradHook:
    """``Tensor.register_post_accumulate_grad_hook``'s hook, kept in the leaf's list of gradient
    hooks (``Tensor._hooks``) so that a leaf without hooks pays nothing for it: ``_run_hooks``
    passes it by, and it runs with the leaf, ``fn(leaf)``, after ``.grad`` was accumulated."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Tensor], Any]) -> None:
        self.fn = fn

    def __call__(self, g: Tensor) -> None:
        """As a hook on the gradient it changes nothing (``_run_hooks`` does not call it)."""


def _run_hooks(
    hooks: list[Callable[[Tensor], Tensor | None]], g: Tensor, given: set[int], task: Any
) -> Tensor | None:
    """Apply a vertex's hooks in order, each to the gradient the one before gave. A hook may
    keep what it sees, and return a tensor its caller keeps: that memory goes into ``given``.
    None: a node prehook made the gradient undefined. ``task``: the pass running them, which
    they may ask about (``autograd.current_graph_task``) while they run."""
    # (an attribute set only here, read with getattr: grad mode's own state stays as it was)
    prev, _mode.task = getattr(_mode, "task", None), task  # a hook's own pass runs inside
    try:
        return _apply_hooks(hooks, g, given)
    finally:
        _mode.task = prev


def _apply_hooks(
    hooks: list[Callable[[Tensor], Tensor | None]], g: Tensor, given: set[int]
) -> Tensor | None:
    ran = False
    for hook in hooks:
        kind = type(hook)
        if kind is PostAccumulateGradHook or kind is NodePosthook:
            continue  # runs once .grad has been accumulated / the rules ran, not on the way
        if isinstance(hook, RefitHook):  # not the user's: the gradient in the shape it fits
            g = hook(g)
            continue
        if kind is NodePrehook:
            assert isinstance(hook, NodePrehook)
            returned = _checked_tuple(hook, hook.fn((g,)), (g,), "grad_outputs")
            if returned is None:
                continue
            if returned[0] is None:
                return None
            g = returned[0]
            ran = True
            continue
        ran = True
        given.add(id(_owner(g.data)))
        replaced = hook(g)
        if replaced is not None:
            data = getattr(replaced, "data", None)  # a Tensor's array (this module sees no Tensor)
            if not isinstance(data, np.ndarray) or (
                data.shape != g.data.shape or data.dtype != g.data.dtype
            ):
                # torch's kinds: TypeError for what is no tensor, RuntimeError for a misfit one
                error = RuntimeError if isinstance(data, np.ndarray) else TypeError
                raise error(
                    f"hook {getattr(hook, '__name__', hook)!r} returned {_what(replaced)}, "
                    f"but the gradient it replaces is a Tensor of shape {g.shape} and dtype "
                    f"{g.dtype}: a hook may return None or a Tensor of that shape and dtype"
                )
            g = replaced
    if ran:
        given.add(id(_owner(g.data)))
    return g


def _checked_tuple(
    hook: NodePrehook, returned: Any, given: tuple[Tensor | None, ...], what: str
) -> tuple[Tensor | None, ...] | None:
    """A node hook's result, refused as torch refuses it: not a tuple (TypeError), or of the
    wrong length or a tensor of the wrong shape or dtype (RuntimeError). None: no change."""
    if returned is None:
        return None
    name = getattr(hook.fn, "__name__", hook.fn)
    if type(returned) is not tuple:
        raise TypeError(
            f"hook {name!r}: expected tuple, but hook returned {type(returned).__name__!r} "
            f"(it replaces the {what})"
        )
    if len(returned) != len(given):
        raise RuntimeError(
            f"hook {name!r} has returned an incorrect number of values (got {len(returned)}, "
            f"but expected {len(given)}) for the {what}"
        )
    for i, (new, old) in enumerate(zip(returned, given)):
        if new is None:
            continue
        data = getattr(new, "data", None)
        if not isinstance(data, np.ndarray):
            raise TypeError(
                f"hook {name!r} returned {_what(new)} as {what}[{i}]: expected a Tensor or None"
            )
        if old is not None and (data.shape != old.data.shape or data.dtype != old.data.dtype):
            raise RuntimeError(
                f"hook {name!r} has changed the size or dtype of {what}[{i}]: got shape "
                f"{data.shape} and dtype {data.dtype}, expected {old.shape} and {old.dtype}"
            )
    return returned


def _run_posthooks(
    node: Node, g: Tensor, sent: list[Tensor | None], grads: dict[Vertex, Tensor]
) -> list[Tensor | None]:
    """Run a node's ``register_hook`` hooks on what its rules sent, then send the result on."""
    hooks = node.hooks or ()
    inputs: tuple[Tensor | None, ...] = tuple(sent)
    for hook in hooks:
        if type(hook) is NodePosthook:
            returned = _checked_tuple(hook, hook.fn(inputs, (g,)), inputs, "grad_inputs")
            if returned is not None:
                for i, new in enumerate(returned):
                    if new is not None and node.saved is not None:
                        shape = node.saved[i].data.shape
                        if inputs[i] is None and new.data.shape != shape:
                            raise RuntimeError(
                                f"hook {getattr(hook.fn, '__name__', hook.fn)!r} returned "
                                f"grad_inputs[{i}] of shape {new.data.shape} for an input of "
                                f"shape {shape}"
                            )
                inputs = returned
    for p, gi in zip(node.parents, inputs):
        if p is None or gi is None:
            continue
        prev = grads.get(p)
        grads[p] = gi if prev is None else prev + gi
    return list(inputs)


def _run_post_accumulate_hooks(leaf: Tensor, g: Tensor) -> None:
    """The leaf's post-accumulate-grad hooks, in registration order (torch's). A hook may
    return the leaf itself, as torch allows: its doc example's ``lambda p: p.add_(...)``.
    Its AccumulateGrad's posthooks (``NodePosthook``) run here too, on ``((), (g,))``."""
    for hook in leaf._hooks or ():
        if isinstance(hook, NodePosthook):
            if hook.fn((), (g,)) is not None:
                raise RuntimeError(
                    f"AccumulateGrad hook {getattr(hook.fn, '__name__', hook.fn)!r} returned a "
                    "value: hooks on AccumulateGrad should return None"
                )
            continue
        if not isinstance(hook, PostAccumulateGradHook):
            continue
        returned = hook.fn(leaf)
        if returned is not None and returned is not leaf:
            raise RuntimeError(
                f"post accumulate grad hook {getattr(hook.fn, '__name__', hook.fn)!r} returned "
                "a value: Tensor post accumulate grad hooks should return None"
            )


def _what(value: Any) -> str:
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape is None or dtype is None:
        return f"a {type(value).__name__}"
    return f"a {type(value).__name__} of shape {shape} and dtype {dtype}"


def _owner(a: np.ndarray) -> Any:
    """The object that owns an array's memory (numpy points a view's ``base`` at the owner)."""
    return a if a.base is None else a.base
