"""Custom differentiable functions: ``tg.autograd.Function``, an op written by its user.

A subclass gives a forward on Tensors and a backward that maps the adjoints of the outputs to
the adjoints of the inputs, a VJP exactly as a row of the op table does:

    class Cube(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):            # out = x³
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, g):           # x̄ = g · 3x²
            (x,) = ctx.saved_tensors
            return g * 3 * x * x

    y = Cube.apply(x)                   # records one node, <CubeBackward>

``forward`` runs without recording (its ops are invisible to the engine); ``apply`` records a
single node per output, whose derivative rule calls ``backward``. So ``tg.gradcheck(Cube.apply,
(x,))`` tests the hand-written rule against finite differences, as the registry tests do for
every built-in op. A backward written in Tensor ops is differentiable again
(``create_graph=True``), as torch's is.

PyTorch equivalent: ``torch.autograd.Function`` with ``ctx`` (``torch.autograd.function.
FunctionCtx``): ``save_for_backward``, ``saved_tensors``, ``needs_input_grad``,
``mark_non_differentiable``, ``set_materialize_grads``; the ``setup_context`` style; and
``once_differentiable``. Two differences, both in how a function with several differentiable
outputs is recorded: each output is its own node, so ``backward`` runs once per output that
receives a gradient, with the other outputs' adjoints zero (None without materialized
grads). The adjoints of the inputs are the sum over these calls, the same numbers, as a VJP is
linear in the adjoints of the outputs. In-place forwards (``mark_dirty``) are not supported.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from . import autograd
from .autograd import Node, no_grad
from .ops import OpDef
from .tensor import Tensor, zeros

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved tensors and any attribute set on it."""

    def __init__(self, name: str, needs_input_grad: tuple[bool, ...]) -> None:
        self._name = name
        #: For each argument of ``apply``: is it a Tensor that requires grad (torch's name).
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self.to_save: tuple[Tensor | None, ...] = ()
        self._non_differentiable: set[int] = set()
        self._unpacked: tuple[Tensor | None, ...] | None = None  # set while backward runs

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors (inputs, outputs or values computed in forward) for ``backward``.

        Saved through the ctx, not as attributes, so that backward can refuse one changed in
        place since, and so that their memory is released after ``backward()``."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"{self._name}.save_for_backward(): argument {i} is a "
                    f"{type(t).__name__}; only Tensors or None can be saved (keep other values "
                    "as attributes of ctx)"
                )
        self.to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, as ``backward`` may use them."""
        if self._unpacked is not None:
            return self._unpacked
        return self.to_save

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Outputs that will not require grad (an index, a mask), as torch."""
        for t in outputs:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"{self._name}.mark_non_differentiable(): expected outputs (Tensors), "
                    f"got a {type(t).__name__}"
                )
            self._non_differentiable.add(id(t))

    def set_materialize_grads(self, value: bool) -> None:
        """Whether ``backward`` receives zeros (True, the default) or None for the adjoint of
        an output that does not reach the loss."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        raise NotImplementedError(
            f"{self._name}.mark_dirty(): in-place custom functions are not supported; return a "
            "new tensor from forward instead of changing an input"
        )

    def __repr__(self) -> str:
        return f"{self._name}.ctx"


class _Record:
    """What one call of ``apply`` shares between its outputs' nodes (held by their kwargs)."""

    def __init__(self, cls: type[Function], ctx: FunctionCtx, n_args: int) -> None:
        self.cls, self.ctx, self.n_args = cls, ctx, n_args
        self.arg_of: tuple[int, ...] = ()  # for each saved input, its position among the args
        # Where each saved tensor lives, in the node's saved tuple (the inputs, then extras):
        # ("in", i, 0) input i; ("extra", e, 0) extra e; ("out", k, e) output k, with a copy
        # without a node as extra e; None for None.
        self.spec: tuple[tuple[str, int, int] | None, ...] = ()
        # Each output's node (weakly: the nodes hold this record) or None, and its array.
        self.nodes: list[weakref.ref[Node] | None] = []
        # Each output's shape and dtype (None for a non-tensor output), for zero adjoints.
        self.out_meta: list[tuple[tuple[int, ...], Any] | None] = []
        # The last backward call's results, for the other inputs of the same node (the engine
        # asks a node's rule once per input): (the node's wrapped output, gradients).
        self.last: tuple[Tensor, tuple[Tensor | None, ...]] | None = None

    def __repr__(self) -> str:  # what a drawing shows beside the node
        return self.cls.__name__


def _function_rule(
    g: Tensor, out: Tensor, *saved: Tensor, input_index: int, function: _Record, output: int
) -> Tensor | None:
    """The derivative rule of every custom function: the user's ``backward``, called once each
    time the engine processes the node (its results serve the node's other inputs). The engine
    wraps the node's output anew each time, so that wrapper identifies the visit."""
    record = function
    last = record.last
    if last is None or last[0] is not out:
        last = record.last = (out, _call_backward(g, out, saved, record, output))
    grads = last[1]
    if all(gi is None for gi in grads[input_index + 1 :]):
        record.last = None  # nothing left to hand out: do not keep the gradients alive
    return grads[input_index]


def _call_backward(
    g: Tensor, out: Tensor, saved: tuple[Tensor, ...], record: _Record, k: int
) -> tuple[Tensor | None, ...]:
    cls, ctx, n_in = record.cls, record.ctx, len(record.arg_of)
    name = f"{cls.__name__}Backward"
    grads_out: list[Tensor | None] = []
    for j, meta in enumerate(record.out_meta):
        if j == k:
            grads_out.append(g)
        elif meta is None or not ctx.materialize_grads:  # not a Tensor, or not materialized
            grads_out.append(None)
        else:  # torch's materialized adjoint of an output that does not reach the loss
            grads_out.append(zeros(meta[0], dtype=meta[1]))
    ctx._unpacked = _unpack(out, saved, record, k, name)
    try:
        result = cls.backward(ctx, *grads_out)
    finally:
        ctx._unpacked = None
    if not isinstance(result, tuple):
        result = (result,)
    n_args = record.n_args
    if len(result) < n_args or any(r is not None for r in result[n_args:]):
        raise RuntimeError(
            f"function {name} returned an incorrect number of gradients (expected {n_args}, "
            f"got {len(result)})"
        )
    tensor_args = set(record.arg_of)
    for a, r in enumerate(result[:n_args]):
        if r is not None and a not in tensor_args:
            raise RuntimeError(
                f"function {name} returned a gradient different than None at position {a + 1}, "
                "but the corresponding forward input was not a Tensor"
            )
    grads: list[Tensor | None] = []
    for i in range(n_in):
        r = result[record.arg_of[i]]
        if r is not None:
            if not isinstance(r, Tensor):
                raise TypeError(
                    f"function {name} returned a {type(r).__name__} as the gradient of input "
                    f"{record.arg_of[i]}; a gradient must be a Tensor or None"
                )
            if r.dtype != saved[i].dtype:
                r = r.to(saved[i].dtype)
        grads.append(r)
    return tuple(grads)


def _unpack(
    out: Tensor, saved: tuple[Tensor, ...], record: _Record, k: int, name: str
) -> tuple[Tensor | None, ...]:
    """The saved tensors as backward sees them, refused if one was changed in place since."""
    me = record.nodes[k]
    node = me() if me is not None else None
    assert node is not None  # it is running
    n_in = len(record.arg_of)
    unpacked: list[Tensor | None] = []
    for s, where in enumerate(record.spec):
        if where is None:
            unpacked.append(None)
            continue
        kind, i, e = where
        if kind == "out":
            t, changed = _output(out, saved[n_in + e], record, i, k)
        else:
            t = saved[i] if kind == "in" else saved[n_in + i]
            changed = (t if t._base is None else t._base)._changed > node.time
        if changed:
            raise RuntimeError(
                f"{name}: one of the variables needed for gradient computation has been "
                f"modified by an inplace operation since the forward pass (saved tensor {s}, of "
                f"shape {t.shape}). Do the in-place update after backward(), or use an "
                "out-of-place op."
            )
        unpacked.append(t)
    return tuple(unpacked)


def _output(out: Tensor, copy: Tensor, record: _Record, j: int, k: int) -> tuple[Tensor, bool]:
    """Saved output j, seen from output k's node: k's own is the engine's ``out`` (attached to
    its node under create_graph); another's is its copy, attached to its node under
    create_graph so that a second derivative follows it."""
    ref = record.nodes[j]
    node = ref() if ref is not None else None
    if j == k:
        return out, bool(node is not None and node.out_changed)
    if node is None:  # output j is gone (or not differentiable): nothing changed it since
        return copy, False
    if out._node is not None and node.out is not None:  # create_graph
        return Tensor._make(node.out, node), node.out_changed
    return copy, node.out_changed


class _FunctionMeta(type):
    """Gives each Function subclass its own entry for the engine, made once per class."""

    def __init__(cls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> None:
        super().__init__(name, bases, ns)
        doc = (ns.get("__doc__") or "").strip().splitlines()
        cls._opdef = OpDef(
            name,
            _unused_forward,
            (_function_rule,),
            doc[0] if doc else f"out = {name}(inputs);  x̄ = {name}.backward(ctx, g)",
            "function",
            grad_fn_name=f"{name}Backward",
            variadic=True,
            reads=((),),  # saved tensors are checked when backward unpacks them
        )


def _unused_forward(*arrays: Any) -> Any:
    raise RuntimeError("a custom Function runs its own forward through apply()")


class Function(metaclass=_FunctionMeta):
    """Base class of custom differentiable functions (``torch.autograd.Function``).

    Subclasses define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static
    methods (or ``forward(*args)`` with ``setup_context(ctx, inputs, output)``), and are used
    through ``apply``. ``backward`` returns one gradient per argument of ``forward``, None for
    non-tensor arguments and for inputs that need none; a gradient of a broadcast shape is
    summed back to its input's shape, as the engine does for every op. The first line of a
    subclass's docstring, in the op table's notation (``out = x³;  x̄ = g·3x²``), is the math
    that drawings and the explorer show for its node.
    """

    _opdef: OpDef

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"{type(self).__name__}: call a custom Function through its class, "
            f"{type(self).__name__}.apply(...), with forward and backward as static methods"
        )

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> Any:
        raise NotImplementedError("setup_context is not overridden")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("a Function subclass must define backward")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` without recording, then record one node per differentiable output,
        whose rule is ``backward``."""
        name = cls.__name__
        enabled = autograd.is_grad_enabled()
        needs = tuple(enabled and isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(name, needs)
        separate = cls.setup_context is not Function.setup_context
        with no_grad():
            output = cls.forward(*args, **kwargs) if separate else cls.forward(ctx, *args, **kwargs)
            if separate:
                cls.setup_context(ctx, args, output)
        single = not isinstance(output, tuple)
        outs = (output,) if single else output
        if not any(needs):
            results = tuple(_fresh(o, args) if isinstance(o, Tensor) else o for o in outs)
            return results[0] if single else results
        record = _Record(cls, ctx, len(args))
        inputs = [a for a in args if isinstance(a, Tensor)]
        record.arg_of = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        spec: list[tuple[str, int, int] | None] = []
        extra: list[Tensor] = []
        for t in ctx.to_save:
            spec.append(_where(t, outs, inputs, extra))
        record.spec = tuple(spec)
        saved = (*inputs, *extra)
        results_list: list[Any] = []
        for k, o in enumerate(outs):
            if not isinstance(o, Tensor):
                record.nodes.append(None)
                record.out_meta.append(None)
                results_list.append(o)
                continue
            t = _fresh(o, args)
            record.out_meta.append((t.shape, t.dtype))
            if id(o) in ctx._non_differentiable or t.data.dtype.kind not in "fc":
                record.nodes.append(None)
            else:
                node = Node(cls._opdef, saved, t.data, {"function": record, "output": k})
                node.parents = node.parents[: len(inputs)]  # saved extras get no gradient
                t._node, t._requires_grad = node, True
                record.nodes.append(weakref.ref(node))
            results_list.append(t)
        ctx.to_save = ()  # the nodes keep them now, and release them after backward()
        results = tuple(results_list)
        return results[0] if single else results


def _where(
    t: Tensor | None, outs: tuple[Any, ...], inputs: list[Tensor], extra: list[Tensor]
) -> tuple[str, int, int] | None:
    """Where a saved tensor is kept: an output (never held by its own node: no cycle), an
    input, or an extra saved value."""
    if t is None:
        return None
    for k, o in enumerate(outs):
        if o is t:  # its node reads it as its output; the others, from a copy without a node
            extra.append(Tensor._make(o.data))
            return ("out", k, len(extra) - 1)
    for i, x in enumerate(inputs):
        if x is t:
            return ("in", i, 0)
    extra.append(t)
    return ("extra", len(extra) - 1, 0)


def _fresh(o: Tensor, args: tuple[Any, ...]) -> Tensor:
    """A new Tensor for a returned one: an input returned as it is becomes a view of it, as in
    torch, so that the input itself gets no node."""
    t = Tensor._make(o.data)
    if o._base is not None:
        t._base = o._base
    elif any(o is a for a in args) or o._node is not None or o._requires_grad:
        t._base = o
    return t


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Run a ``backward`` without recording, for one written on raw arrays that cannot be
    differentiated again (``torch.autograd.function.once_differentiable``). Under
    ``create_graph=True`` its gradients are attached to a node that raises when reached, so a
    second derivative through it is an error instead of a silent zero."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grad_outputs: Any) -> Any:
        with no_grad():
            result = backward(ctx, *grad_outputs)
        anchors = [g for g in grad_outputs if isinstance(g, Tensor) and g.requires_grad]
        if not anchors:
            return result
        single = not isinstance(result, tuple)
        items = (result,) if single else result
        guarded = tuple(
            _OnceDifferentiable.apply(r, repr(ctx), *anchors) if isinstance(r, Tensor) else r
            for r in items
        )
        return guarded[0] if single else guarded

    return wrapper


class _OnceDifferentiable(Function):
    """out = x, tied to the adjoints x came from; differentiating it raises."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, what: str, *anchors: Tensor) -> Tensor:
        ctx.what = what
        return x.detach()

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Any:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with "
            f"@once_differentiable ({ctx.what.removesuffix('.ctx')})"
        )
