"""How a leaf's ``.grad`` takes the adjoint backward computed for it: summed across calls, in
the parameter's memory layout, never sharing an array another ``.grad`` or the caller holds.

PyTorch equivalent: the ``AccumulateGrad`` node torch puts at every leaf that requires grad.
The engine needs no such node (a leaf is its own vertex); ``AccumulateGrad`` is what
``grad_fn.next_functions`` shows for a leaf, as torch's graph does, with torch's hooks.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._graph_hooks import NodeHookHandle, NodePosthook, NodePrehook, _run_post_accumulate_hooks

if TYPE_CHECKING:
    from .autograd import Vertex
    from .tensor import Tensor


# Whether any tensor was given a grad_dtype (then each leaf's is looked up; else it is the
# leaf's own dtype, the one test backward makes).
grad_dtypes_set = False


def grad_dtype(leaf: Tensor) -> np.dtype[Any] | None:
    """``Tensor.grad_dtype``: what set_grad_dtype stored, else the leaf's own dtype."""
    if leaf._node is not None:
        raise RuntimeError("grad_dtype can only be accessed on leaf tensors.")
    return _wanted_dtype(leaf)


def _wanted_dtype(leaf: Tensor) -> np.dtype[Any] | None:
    """The dtype a leaf's ``.grad`` must have: its grad_dtype once set, else its own."""
    return getattr(leaf, "_grad_dtype", leaf.data.dtype)


def set_grad_dtype(leaf: Tensor, value: Any) -> None:
    """The dtype backward casts a leaf's gradients to (None: none, each keeps its own), torch's
    checks: leaves only, a dtype or None, and one an existing ``.grad`` already has."""
    global grad_dtypes_set
    if leaf._node is not None:
        raise RuntimeError("grad_dtype can only be set on leaf tensors.")
    if value is not None:
        if not (
            isinstance(value, np.dtype)
            or (isinstance(value, type) and issubclass(value, (np.generic, bool, int, float)))
        ):
            raise RuntimeError(
                f"grad_dtype must be a torch.dtype or None, but got {type(value).__name__}"
            )
        value = np.dtype(value)
        grad = leaf._grad
        if grad is not None and grad.data.dtype != value:
            from ._out_arg import _cpp_name, _scalar_name  # (names only, for the message)

            raise RuntimeError(
                f"Cannot set grad_dtype to '{_scalar_name(value)}' because there is already a "
                f"gradient with dtype '{_cpp_name(grad.data.dtype)}'. Please clear the gradient "
                "(.grad = None) before changing grad_dtype, or ensure the new grad_dtype matches "
                "the existing gradient's dtype."
            )
    leaf._grad_dtype = value
    grad_dtypes_set = True


def check_assigned_grad(leaf: Tensor, value: Tensor) -> None:
    """``x.grad = value``: of x's shape, and of its grad_dtype (any dtype where that is None)."""
    if value.shape != leaf.shape:
        raise RuntimeError(
            f"assigned grad has shape {value.shape} and dtype {value.dtype}, but the tensor has "
            f"shape {leaf.shape} and dtype {leaf.dtype}; they must match"
        )
    want = _wanted_dtype(leaf)
    if want is not None and value.data.dtype != want:
        from ._out_arg import _cpp_name, _scalar_name  # (names only, for the message)

        raise RuntimeError(  # torch's words
            f"attempting to assign a gradient with dtype '{_cpp_name(value.data.dtype)}' "
            f"({value.data.dtype}) to a tensor with grad_dtype '{_scalar_name(want)}' ({want}). "
            "The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). "
            "You can set the tensor's grad_dtype attribute with a specific dtype, or None to "
            "allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
            "its gradient may break downstream systems that assume they match."
        )


def _accumulate_leaf(
    leaf: Tensor,
    g: Tensor,
    create_graph: bool,
    given: set[int],
    order: list[Vertex] | None = None,
) -> None:
    """x.grad += x̄ across backward calls, as torch does for leaves (after the leaf's hooks).

    ``order``: the vertices of the pass running, if it is running. A ``.grad`` recorded by an
    earlier ``backward(create_graph=True)`` that this very pass differentiates (a gradient
    penalty ``(x.grad ** 2).sum().backward()``) is not summed into in place: a node of the pass
    that saved it may not have run yet (torch's order of execution happens to run such nodes
    first; the sum is the same)."""
    if not leaf._requires_grad:  # requires_grad_(False) since the forward pass: as torch
        return
    if create_graph:
        # .grad keeps its graph. Memory another holds, or that cannot take the next sum in
        # place (a broadcast view is read-only), is copied by a recorded clone.
        data = g.data
        owner = id(data if data.base is None else data.base)
        if leaf._grad is None and (owner in given or not data.flags.writeable):
            g = g.clone()
            owner = id(g.data)
        given.add(owner)
    else:
        # Like torch's AccumulateGrad, give .grad the parameter's memory layout: a transposed
        # view (the gradient of W through W.T) would make every optimizer step a strided one.
        data = g.data
        if not data.flags.c_contiguous and leaf.data.flags.c_contiguous:
            data = np.ascontiguousarray(data)
        elif leaf._grad is None:  # this array becomes .grad: copied if another holds it already
            owner = id(data if data.base is None else data.base)  # _owner, inlined: per leaf
            if owner in given:
                data = data.copy()
            else:
                given.add(owner)
        g = type(leaf)._make(data)
    want = _wanted_dtype(leaf) if grad_dtypes_set else leaf.data.dtype
    if want is not None and g.data.dtype != want:
        g = g.to(want)
    prev = leaf._grad
    if prev is None:
        leaf._grad = g
    elif (
        create_graph
        or not (prev.data.flags.writeable and prev.data.flags.c_contiguous)
        or (prev._node is not None and order is not None and any(v is prev._node for v in order))
    ):
        # Recorded (create_graph), memory that cannot take the sum, or read by this pass.
        leaf._grad = prev + g
    else:  # in place, as torch: a reference taken to .grad sees the sum
        np.add(prev.data, g.data, out=prev.data)
        prev._mark_changed()  # a graph that saved the old .grad (a gradient penalty) refuses
    if leaf._hooks is not None:  # register_post_accumulate_grad_hook's, now that .grad is summed
        _run_post_accumulate_hooks(leaf, g)


class AccumulateGrad:
    """The node at a leaf that requires grad, where backward adds the leaf's adjoint into
    ``.grad`` (torch's ``AccumulateGrad``, shown by ``grad_fn.next_functions``): ``variable``
    is the leaf, ``next_functions`` is empty. One per leaf while it is referenced, as torch's.

    Its hooks are the leaf's: ``register_prehook(hook)``, ``hook(grad_outputs)`` on the leaf's
    complete adjoint before accumulation, returning None or a replacement 1-tuple (torch runs
    a leaf's tensor hooks as exactly such prehooks); ``register_hook(hook)``,
    ``hook(grad_inputs, grad_outputs)`` once ``.grad`` is summed, with ``grad_inputs = ()`` (a
    leaf sends nothing further) and the adjoint in ``grad_outputs``, returning None.
    """

    __slots__ = ("__weakref__", "metadata", "variable")

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        self.metadata: dict[Any, Any] = {}

    @staticmethod
    def of(leaf: Tensor) -> AccumulateGrad:
        """The leaf's node: the one made before if it is still referenced (weakly held by the
        leaf, so no reference cycle forms), else a new one."""
        ref = getattr(leaf, "_accumulator", None)
        node = None if ref is None else ref()
        if node is None:
            node = AccumulateGrad(leaf)
            leaf._accumulator = weakref.ref(node)
        return node

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple[()]:
        return ()

    def __repr__(self) -> str:
        return "<AccumulateGrad>"

    def register_prehook(
        self, hook: Callable[[tuple[Tensor | None, ...]], tuple[Tensor | None, ...] | None]
    ) -> NodeHookHandle:
        return self._add(NodePrehook(hook), "register_prehook")

    def register_hook(
        self, hook: Callable[[tuple[()], tuple[Tensor | None, ...]], None]
    ) -> NodeHookHandle:
        return self._add(NodePosthook(hook), "register_hook")

    def _add(self, hook: NodePrehook, method: str) -> NodeHookHandle:
        if not callable(hook.fn):
            raise TypeError(f"AccumulateGrad.{method}(): expected a function, got {hook.fn!r}")
        leaf = self.variable
        leaf._hooks = [*(leaf._hooks or ()), hook]  # type: ignore[list-item]
        return NodeHookHandle(leaf, hook)  # type: ignore[arg-type]
