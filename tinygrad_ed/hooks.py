"""Hook handles, and the machinery behind a module's backward hooks.

``RemovableHandle`` is what every ``register_*_hook`` of ``nn.Module`` and ``optim.Optimizer``
returns: hooks live in ordered dicts keyed by the handle's id, and ``remove()`` deletes the
entry (also on leaving a ``with`` block).

``BackwardHook`` gives ``nn.Module.register_full_backward_hook`` its moment: "the gradients
with respect to the module's inputs are complete", which no single tensor hook sees. It is
built on the engine's one guarantee: a vertex's hooks run when its adjoint is complete, after
every consumer has sent its part. So the tensors going into the call are routed through a
custom Function whose outputs are its inputs as they are (a ``_Gate``, one backward call for
all of them), and so are those coming out of it:

    inputs ──▶ gate ──▶ forward ──▶ gate ──▶ outputs
           (grad_input, hooks)    (grad_output, pre-hooks)

The output gate's backward sees every gradient w.r.t. the outputs (None for an output that
received none) and runs the backward pre-hooks, which may replace them; the input gate's, which
the engine reaches only after everything inside the call, sees every gradient w.r.t. the inputs
(zeros for an input that received none, as torch) and calls the hooks, which may replace them
before they flow on (None: no gradient). Modules without hooks are called as before.

PyTorch equivalent: ``torch.utils.hooks.RemovableHandle`` and ``torch.utils.hooks.BackwardHook``.
"""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._autograd_function import Function
from ._warn import warn
from .autograd import is_grad_enabled
from .tensor import Tensor, _check_hook

__all__ = ["BackwardHook", "RemovableHandle"]


class RemovableHandle:
    """Removes the hook it was returned for: ``handle.remove()``, or ``with handle: ...``.

    ``hooks_dict`` holds the hook under ``handle.id``; ``extra_dict`` (one dict or a list)
    holds flags under the same id (``with_kwargs``, ``always_call``), removed with it. Removing
    twice, or after the owner is gone, does nothing (torch's ``RemovableHandle``).
    """

    _ids = itertools.count()

    def __init__(
        self,
        hooks_dict: OrderedDict[int, Any],
        *,
        extra_dict: OrderedDict[int, Any] | Sequence[OrderedDict[int, Any]] | None = None,
    ) -> None:
        # Weak: a handle kept by the user must not keep a deleted module's hooks alive.
        self.hooks_dict_ref: weakref.ref[OrderedDict[int, Any]] = weakref.ref(hooks_dict)
        self.id: int = next(RemovableHandle._ids)
        extras = [extra_dict] if isinstance(extra_dict, OrderedDict) else [*(extra_dict or ())]
        self.extra_dict_ref: tuple[weakref.ref[OrderedDict[int, Any]], ...] = tuple(
            weakref.ref(d) for d in extras
        )

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None:
                d.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<RemovableHandle id={self.id}>"


def add_hook(
    hooks: OrderedDict[int, Any],
    hook: Any,
    method: str,
    *,
    prepend: bool = False,
    flags: Sequence[tuple[OrderedDict[int, Any], bool]] = (),
) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` (first if ``prepend``), and its id in each flag dict
    whose flag is set; the handle removes all of them."""
    _check_hook(hook, method)  # not when it is first due to run
    if not isinstance(prepend, bool):
        raise TypeError(f"{method}(): prepend must be a bool, got {prepend!r}")
    handle = RemovableHandle(hooks, extra_dict=[d for d, _ in flags])
    hooks[handle.id] = hook
    for d, flag in flags:
        if flag:
            d[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


# ----------------------------------------------------------------------------- backward hooks

Grads = tuple[Any, ...]  # one entry per argument (or output): a Tensor or None


class _Gate(Function):
    """Tensors routed through one vertex of the graph (torch's ``BackwardHookFunction``): each
    output is its input as it is, and ``backward`` hands the adjoints of all of them at once to
    ``hook``, which may replace them, before they flow on.

    Out of several tensors, one that received no adjoint shows None (``materialize`` False) or
    zeros (True, torch's choice for a module's inputs); a None that ``hook`` returns sends that
    tensor no gradient."""

    @staticmethod
    def forward(
        ctx: Any, hook: Callable[[Grads], Grads], materialize: bool, *tensors: Tensor
    ) -> Any:
        ctx.hook = hook
        ctx.set_materialize_grads(materialize)
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Tensor | None) -> Grads:
        return (None, None, *ctx.hook(grads))


def _gate(hook: Callable[[Grads], Grads], materialize: bool, tensors: list[Tensor]) -> list[Tensor]:
    routed = _Gate.apply(hook, materialize, *tensors)
    return [*routed] if isinstance(routed, tuple) else [routed]


def _tensor_positions(values: tuple[Any, ...]) -> list[int]:
    return [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]


def _pack(positions: list[int], grads: Sequence[Any], size: int) -> Grads:
    """``grads`` (one per position) spread over ``size`` entries, None elsewhere."""
    packed: list[Any] = [None] * size
    for i, g in zip(positions, grads):
        packed[i] = g
    return tuple(packed)


def _rebuild(values: tuple[Any, ...], positions: list[int], new: list[Tensor]) -> tuple[Any, ...]:
    items = list(values)
    for i, t in zip(positions, new):
        items[i] = t
    return tuple(items) if type(values) is tuple else type(values)(*items)  # a namedtuple


def _hook_name(hook: Any) -> str:
    return str(getattr(hook, "__name__", hook))


class BackwardHook:
    """The full backward hooks and backward pre-hooks of one module call.

    ``setup_input_hook(args)`` routes the positional tensor arguments that require grad through
    a gate before ``forward`` sees them; ``setup_output_hook(result)`` routes the output tensors
    (the result, or the tensors of a tuple result) through another. Both gates, and so the
    hooks, exist only when grad mode is on and some of those tensors require grad. The hook
    lists are the ones registered at the time of the call, as in torch. Only shapes and dtypes
    of the call's tensors are kept (the gates' nodes refer to this object: a tensor here would
    make a reference cycle).

    A None that a backward pre-hook returns for an output sends no gradient into the module, so
    its inputs get none either; torch's engine still runs the input gate then, which hands the
    inputs zeros (the parameters get no gradient in both).
    """

    def __init__(
        self,
        module: Any,
        hooks: list[Callable[..., Any]],
        pre_hooks: list[Callable[..., Any]],
    ) -> None:
        self.module = module
        self.hooks = hooks
        self.pre_hooks = pre_hooks
        self.grad_outputs: Grads | None = None  # set by the outputs' gate, read by the inputs'
        self.n_inputs = 0
        self.input_positions: list[int] | None = None  # None: no input gate
        self.input_meta: list[tuple[tuple[int, ...], Any]] = []
        self.constants: list[tuple[int, tuple[int, ...], Any]] = []  # tensors without grad
        self.n_outputs = 0
        self.output_positions: list[int] = []
        self.output_meta: list[tuple[tuple[int, ...], Any]] = []

    def setup_input_hook(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        self.n_inputs = len(args)
        positions = _tensor_positions(args)
        if not positions or not is_grad_enabled():
            return args  # nothing to report at the inputs: the hooks run at the outputs' gate
        # torch reports zeros (of the argument's shape and dtype) for a tensor argument that
        # does not require grad; only shapes and dtypes are kept (no reference to the graph).
        self.constants = [
            (i, a.shape, a.dtype)
            for i, a in enumerate(args)
            if isinstance(a, Tensor) and i not in positions
        ]
        tensors = [args[i] for i in positions]
        self.input_meta = [(t.shape, t.dtype) for t in tensors]
        self.input_positions = positions
        return _rebuild(args, positions, _gate(self._at_inputs, True, tensors))

    def setup_output_hook(self, result: Any) -> Any:
        if not isinstance(result, (Tensor, tuple)):
            warn(
                "For backward hooks to be called, module output should be a Tensor or a tuple "
                f"of Tensors but received {type(result)}",
            )
        outputs = result if isinstance(result, tuple) else (result,)
        self.n_outputs = len(outputs)
        positions = _tensor_positions(outputs)
        if not positions or not is_grad_enabled():
            return result
        tensors = [outputs[i] for i in positions]
        self.output_meta = [(t.shape, t.dtype) for t in tensors]
        self.output_positions = positions
        new = _rebuild(outputs, positions, _gate(self._at_outputs, False, tensors))
        return new if isinstance(result, tuple) else new[0]

    def _at_outputs(self, grads: Grads) -> Grads:
        """Every gradient w.r.t. the outputs is known (None for an output that received none):
        run the pre-hooks, which may replace them (and the hooks, if no input requires grad,
        as torch: with grad_input all None)."""
        self.grad_outputs = _pack(self.output_positions, grads, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is not None:
                self.grad_outputs = self._checked(
                    new,
                    self.output_meta,
                    self.output_positions,
                    "register_full_backward_pre_hook",
                    hook,
                )
        grad_outputs = self.grad_outputs
        if self.input_positions is None:
            if self.hooks:
                self._call_without_inputs(grad_outputs)
            self.grad_outputs = None
        return tuple(grad_outputs[i] for i in self.output_positions)

    def _call_without_inputs(self, grad_outputs: Grads) -> None:
        warn(
            "Full backward hook is firing when gradients are computed with respect to module "
            "outputs since no inputs require gradients",
        )
        grad_inputs = (None,) * self.n_inputs
        for hook in self.hooks:
            res = hook(self.module, grad_inputs, grad_outputs)
            if res is not None and not (
                isinstance(res, (tuple, list)) and all(r is None for r in res)
            ):
                raise RuntimeError(
                    f"register_full_backward_hook(): hook {_hook_name(hook)!r} of "
                    f"{type(self.module).__name__} returned gradients, but no input of the "
                    "call requires grad: it should return None or None for all gradients"
                )

    def _at_inputs(self, grads: Grads) -> Grads:
        """Every gradient w.r.t. the inputs is known: call the hooks, which may replace them."""
        positions = self.input_positions
        assert positions is not None
        if self.grad_outputs is None or not self.hooks:
            # No hooks, or the gradient reached the inputs without passing the outputs (a
            # second-order pass through a gradient computed inside the call): torch does not
            # call the hooks.
            self.grad_outputs = None
            return grads
        packed = list(_pack(positions, grads, self.n_inputs))
        for i, shape, dtype in self.constants:
            packed[i] = Tensor._make(np.zeros(shape, dtype))
        grad_inputs = tuple(packed)
        for hook in self.hooks:
            new = hook(self.module, grad_inputs, self.grad_outputs)
            if new is not None:
                grad_inputs = self._checked(
                    new, self.input_meta, positions, "register_full_backward_hook", hook
                )
        self.grad_outputs = None  # a second backward (retain_graph) starts afresh
        return tuple(grad_inputs[i] for i in positions)

    def _checked(
        self,
        new: Any,
        meta: list[tuple[tuple[int, ...], Any]],
        positions: list[int],
        method: str,
        hook: Any,
    ) -> Grads:
        """A hook's replacement gradients: one per argument (or output), each None (no
        gradient) or, where a gradient flows, a Tensor of the shape and dtype of that argument.
        Torch ignores the entries where none flows (arguments that are not tensors or do not
        require grad)."""
        what = "grad_output" if method.endswith("pre_hook") else "grad_input"
        where = f"{method}(): hook {_hook_name(hook)!r} of {type(self.module).__name__}"
        size = self.n_outputs if what == "grad_output" else self.n_inputs
        if not isinstance(new, (tuple, list)):
            raise TypeError(
                f"{where} returned a {type(new).__name__}; expected None or a tuple of {size} "
                f"gradients ({what})"
            )
        if len(new) != size:
            raise RuntimeError(
                f"{where} returned an invalid number of {what}, got {len(new)}, but expected {size}"
            )
        for i, (shape, dtype) in zip(positions, meta):
            gi = new[i]
            if gi is None:
                continue
            if not isinstance(gi, Tensor):
                raise TypeError(
                    f"{where} returned a {type(gi).__name__} as {what}[{i}]; expected a "
                    "Tensor or None"
                )
            if gi.shape != shape or gi.dtype != dtype:
                raise RuntimeError(
                    f"{where} returned {what}[{i}] of shape {gi.shape} and dtype {gi.dtype}, "
                    f"but the gradient it replaces has shape {shape} and dtype {dtype}"
                )
        return tuple(new)
