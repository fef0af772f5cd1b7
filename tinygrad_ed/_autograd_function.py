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
node whose derivative rule calls ``backward``. So ``tg.gradcheck(Cube.apply, (x,))`` tests the
hand-written rule against finite differences, as the registry tests do for every built-in op.
A backward written in Tensor ops is differentiable again (``create_graph=True``), as torch's is.

The engine's nodes have one output each. A function with several differentiable outputs gets
a node per output and one *join* node below them, whose rule calls ``backward``:

    inputs ──▶ join (backward) ──▶ output 0's node ──▶ out0
                               └─▶ output 1's node ──▶ out1

Each output's node hands its adjoint to the join (and a flag saying it received one); the
engine reaches the join after all of them, so ``backward`` runs once per pass with every
output's adjoint (zeros, or None without materialized grads, for those that received none),
exactly as torch's single node. (Calling it once per output would differ from torch whenever a
gradient is broadcast: ``sum_to(a + b) ≠ sum_to(a) + sum_to(b)`` when b is stretched to a's
shape, and a part alone may not fit the input at all.)

PyTorch equivalent: ``torch.autograd.Function`` with ``ctx`` (``torch.autograd.function.
FunctionCtx``): ``save_for_backward``, ``saved_tensors`` (checked for in-place changes when
read), ``needs_input_grad``, ``mark_non_differentiable``, ``set_materialize_grads``; the
``setup_context`` style; keyword arguments passed by position, as torch 2.13; and
``once_differentiable``. In-place forwards (``mark_dirty``) are not supported.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _forward_ad, autograd
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
        # While backward runs: how to unpack the saved tensors (on first reading, as torch,
        # so that a backward that never reads them is not refused for an in-place change).
        self._unpack: Callable[[], tuple[Tensor | None, ...]] | None = None
        self._unpacked: tuple[Tensor | None, ...] | None = None

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
        """The tensors given to ``save_for_backward``, as ``backward`` may use them; reading
        them raises if one was changed in place since the forward pass."""
        if self._unpack is not None:
            if self._unpacked is None:
                self._unpacked = self._unpack()
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
        self.wanted: tuple[bool, ...] = ()  # for each saved input, whether it requires grad
        # Where each saved tensor lives, in the node's saved tuple (the inputs, then extras):
        # ("in", i, 0) input i; ("extra", e, 0) extra e; ("out", k, e) output k, with a copy
        # without a node as extra e; None for None.
        self.spec: tuple[tuple[str, int, int] | None, ...] = ()
        # Each output's node (weakly: the nodes hold this record) or None, and its array.
        self.nodes: list[weakref.ref[Node] | None] = []
        # For a saved output that is a view (of an input, say) or has no node (not
        # differentiable), the tensor an in-place change of it stamps: its base, or itself.
        # (A saved output that is its own base and has a node is watched by node.out_changed.)
        self.stamped: dict[int, Tensor] = {}
        # Each output's shape and dtype (None for a non-tensor output), for zero adjoints.
        self.out_meta: list[tuple[tuple[int, ...], Any] | None] = []
        # Several differentiable outputs meet in a join node: output k's node leaves its
        # adjoint in ``adjoints[k]`` and sends the join node a vector of flags with a 1 at
        # ``flags[k]``, so the join's adjoint says which outputs received one in this pass.
        self.flags: dict[int, int] = {}
        self.adjoints: dict[int, Tensor] = {}
        self.time = 0  # when the nodes were recorded (the clock of in-place changes)
        # Inside saved_tensors_hooks: what pack_hook made of each saved tensor (None for None),
        # and the unpack hook, which backward calls instead of reading ``spec``'s places.
        self.packed: tuple[tuple[Any, ...], Callable[[Any], Any]] | None = None
        # The last backward call's results, for the other inputs of the same node (the engine
        # asks a node's rule once per input): (the node's wrapped output, gradients).
        self.last: tuple[Tensor, tuple[Tensor | None, ...]] | None = None

    def __repr__(self) -> str:  # what a drawing shows beside the node
        return self.cls.__name__


def _function_rule(
    g: Tensor, out: Tensor, *saved: Tensor, input_index: int, function: _Record, output: int = -1
) -> Tensor | None:
    """The derivative rule of a custom function's node, the single differentiable output's or
    the join node of several (no ``output``): the user's ``backward``, called once each time
    the engine processes the node (its results serve the node's other inputs). The engine
    wraps the node's output anew each time, so that wrapper identifies the visit."""
    record = function
    last = record.last
    if last is None or last[0] is not out:
        grads_out = _adjoints(g, record, output)
        last = record.last = (out, _call_backward(grads_out, out, saved, record, output))
    if not any(record.wanted[input_index + 1 :]):
        record.last = None  # no input left to ask: do not keep the gradients alive
    return last[1][input_index]


def _output_rule(
    g: Tensor, out: Tensor, joined: Tensor, *, input_index: int, function: _Record, output: int
) -> Tensor:
    """Output k's node, of a function with several differentiable outputs: it leaves its
    adjoint ḡ for the join node, and sends it a 1 in output k's flag. The engine processes the
    join node after every output's node (they consume it), so ``backward`` runs once, with
    the adjoints of all the outputs that received one in this pass, as torch's one node does.
    (The flags, not the stored adjoints, say which ones did: an adjoint left by a pass that
    failed half-way is never read.)"""
    function.adjoints[output] = g
    flags = np.zeros(len(function.flags))
    flags[function.flags[output]] = 1
    return Tensor._make(flags)


def _adjoints(g: Tensor, record: _Record, k: int) -> list[Tensor | None]:
    """The adjoint of each output, as ``backward`` receives them: the node's own (output k),
    or, at the join node (k = -1), the adjoints of the outputs whose flags are set; zeros
    (materialized, the default) or None for the others, as torch."""
    received: dict[int, Tensor] = {}
    if k >= 0:
        received[k] = g
    else:
        received = {j: record.adjoints[j] for j, f in record.flags.items() if g.data[f] != 0}
        record.adjoints = {}  # read: do not keep them alive
    grads_out: list[Tensor | None] = []
    for j, meta in enumerate(record.out_meta):
        if j in received:
            grads_out.append(received[j])
        elif meta is None or not record.ctx.materialize_grads:  # not a Tensor, or not wanted
            grads_out.append(None)
        else:  # torch's materialized adjoint of an output that does not reach the loss
            grads_out.append(zeros(meta[0], dtype=meta[1]))
    return grads_out


def _call_backward(
    grads_out: list[Tensor | None],
    out: Tensor,
    saved: tuple[Tensor, ...],
    record: _Record,
    k: int,
) -> tuple[Tensor | None, ...]:
    cls, ctx, n_in = record.cls, record.ctx, len(record.arg_of)
    name = f"{cls.__name__}Backward"
    ctx._unpack = functools.partial(_unpack, out, saved, record, k, name)
    try:
        result = cls.backward(ctx, *grads_out)
    finally:
        ctx._unpack = ctx._unpacked = None
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
            shape = saved[i].data.shape
            if ctx.needs_input_grad[record.arg_of[i]] and not autograd.broadcasts_to(
                shape, r.shape
            ):  # checked for every input that requires grad, asked for now or not, as torch
                raise RuntimeError(
                    f"function {name} returned a gradient of shape {r.shape} for input "
                    f"{record.arg_of[i]}, which does not broadcast to the input's shape {shape}"
                )
            if r.dtype != saved[i].dtype:
                r = r.to(saved[i].dtype)
        grads.append(r)
    return tuple(grads)


def _unpack(
    out: Tensor, saved: tuple[Tensor, ...], record: _Record, k: int, name: str
) -> tuple[Tensor | None, ...]:
    """The saved tensors as backward sees them, refused if one was changed in place since; or,
    packed by saved_tensors_hooks, each as the unpack hook returns it (unchecked, as torch)."""
    if record.packed is not None:
        objects, unpack_hook = record.packed
        return tuple(
            None if where is None else _unpacked(unpack_hook(obj), name)
            for where, obj in zip(record.spec, objects)
        )
    time = record.time
    n_in = len(record.arg_of)
    unpacked: list[Tensor | None] = []
    for s, where in enumerate(record.spec):
        if where is None:
            unpacked.append(None)
            continue
        kind, i, e = where
        if kind == "out":
            t, changed = _output(out, saved[n_in + e], record, i, k, time)
        else:
            t = saved[i] if kind == "in" else saved[n_in + i]
            changed = (t if t._base is None else t._base)._changed > time
        if changed:
            raise RuntimeError(
                f"{name}: one of the variables needed for gradient computation has been "
                f"modified by an inplace operation since the forward pass (saved tensor {s}, of "
                f"shape {t.shape}). Do the in-place update after backward(), or use an "
                "out-of-place op."
            )
        unpacked.append(t)
    return tuple(unpacked)


def saved_tensors_of(node: Node) -> tuple[Tensor | None, ...]:
    """The tensors ``save_for_backward`` saved, as the node holds them (a saved output as its
    copy; not checked for in-place changes: for drawings), or () once backward released them or
    for a node of another kind."""
    record = node.kwargs.get("function")
    if node.op.kind != "function" or not isinstance(record, _Record) or node.saved is None:
        return ()
    n_in = len(record.arg_of)
    saved = node.saved
    return tuple(
        None
        if where is None
        else saved[where[1]]
        if where[0] == "in"
        else saved[n_in + (where[2] if where[0] == "out" else where[1])]
        for where in record.spec
    )


def _pack(
    record: _Record,
    inputs: list[Tensor],
    results: list[Any],
    extra: list[Tensor],
) -> None:
    """Pack the saved tensors with the innermost saved_tensors_hooks' pack hook, in the order
    they were saved: each is the tensor ``forward`` saved, an output as ``apply`` returns it."""
    pack_hook, unpack_hook = autograd._mode.saved_hooks[-1]
    objects: list[Any] = []
    for where in record.spec:
        if where is None:
            objects.append(None)
            continue
        kind, i, _ = where
        t = inputs[i] if kind == "in" else results[i] if kind == "out" else extra[i]
        objects.append(pack_hook(t))
    record.packed = (tuple(objects), unpack_hook)


def _unpacked(value: Any, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{name}: output of saved tensor unpack_hook expected to be a Tensor but got result "
            f"of type {type(value).__name__}"
        )
    return value


def _output(
    out: Tensor, copy: Tensor, record: _Record, j: int, k: int, time: int
) -> tuple[Tensor, bool]:
    """Saved output j, seen from the running node (output k's, or the join node: k = -1), and
    whether it was changed in place since ``time`` (its node's mark, or the stamp of the tensor
    its change stamps: a view's base, a non-differentiable output itself). Output k's own is
    the engine's ``out`` (attached to its node under create_graph); another is its copy, under
    create_graph attached to its node, so that a second derivative follows it. An output the
    caller dropped (``Sinh.apply(x)[0]``) took its node with it: under create_graph the join
    node (k = -1, whose ``out`` is then attached to it) gets a new node for that output, as
    torch's saved output still leads to its one node, through which a second derivative
    reaches ``backward`` again with an adjoint for that output."""
    ref = record.nodes[j]
    node = ref() if ref is not None else None
    stamped = record.stamped.get(j)
    changed = (stamped is not None and stamped._changed > time) or bool(
        node is not None and node.out_changed
    )
    if j == k or ref is None:  # its own, or output j is not differentiable
        return (out if j == k else copy), changed
    if out._node is None:  # not create_graph
        return copy, changed
    if node is None:
        about = {"function": record, "output": j}
        node = Node(record.cls._output_opdef, (out,), copy.data, about)
    return Tensor._make(copy.data, node), changed


class _FunctionMeta(type):
    """Gives each Function subclass its own entry for the engine, made once per class."""

    def __init__(cls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> None:
        super().__init__(name, bases, ns)
        doc = (ns.get("__doc__") or "").strip().splitlines()
        math = doc[0] if doc else f"out = {name}(inputs);  x̄ = {name}.backward(ctx, g)"
        # Two entries, as torch's node frees what ctx saved and can run again if it saved no
        # tensor: one for a ctx that saved some, one for a ctx that saved none.
        cls._opdef, cls._unsaved_opdef = (
            OpDef(
                name,
                _unused_forward,
                (_function_rule,),
                math,
                "function",
                grad_fn_name=f"{name}Backward",
                variadic=True,
                reads=((),),  # saved tensors are checked when backward unpacks them
                reads_nothing=unsaved,
            )
            for unsaved in (False, True)
        )
        cls._output_opdef = OpDef(
            f"{name}.output",
            _unused_forward,
            (_output_rule,),
            f"out = an output of {name};  its adjoint joins the others' for one {name}.backward",
            "function",
            grad_fn_name=f"{name}Backward",
            variadic=True,
            reads=((),),
            reads_nothing=True,  # it only hands its adjoint on to the join node
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
    _unsaved_opdef: OpDef
    _output_opdef: OpDef

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
        """Run ``forward`` without recording, then record the node whose rule is ``backward``:
        the output's, or, for several differentiable outputs, a join node that each output's
        node passes its adjoint to (so ``backward`` runs once, with all of them)."""
        name = cls.__name__
        separate = cls.setup_context is not Function.setup_context
        if kwargs or separate:
            args = _positional(cls, args, kwargs, separate)
        enabled = autograd.is_grad_enabled()
        needs = tuple(enabled and isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(name, needs)
        # In a forward AD level with a dual argument, jvp gives the tangents: forward's own
        # ops compute none
        tangents = _forward_ad.tangents_in(args) if _forward_ad.active() else None
        with no_grad(), _forward_ad._pause() if tangents else contextlib.nullcontext():
            output = cls.forward(*args) if separate else cls.forward(ctx, *args)
            if separate:
                cls.setup_context(ctx, args, output)
        single = not isinstance(output, tuple)
        outs = (output,) if single else output
        if not any(needs):
            results = tuple(_fresh(o, args) if isinstance(o, Tensor) else o for o in outs)
            if tangents:
                _forward_ad.push_jvp(cls, ctx, tangents, results)
            return results[0] if single else results
        record = _Record(cls, ctx, len(args))
        inputs = [a for a in args if isinstance(a, Tensor)]
        record.arg_of = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        record.wanted = tuple(needs[i] for i in record.arg_of)
        spec: list[tuple[str, int, int] | None] = []
        extra: list[Tensor] = []
        for t in ctx.to_save:
            spec.append(_where(t, outs, inputs, extra))
        record.spec = tuple(spec)
        saved_outputs = {w[1] for w in spec if w is not None and w[0] == "out"}
        saved = (*inputs, *extra)
        differentiable = [
            isinstance(o, Tensor)
            and id(o) not in ctx._non_differentiable
            and o.data.dtype.kind in "fc"
            for o in outs
        ]
        joined = None
        if sum(differentiable) > 1:
            joined = _join(cls, record, saved, len(inputs), differentiable)
        results_list: list[Any] = []
        for k, o in enumerate(outs):
            if not isinstance(o, Tensor):
                record.nodes.append(None)
                record.out_meta.append(None)
                results_list.append(o)
                continue
            t = _fresh(o, args)
            record.out_meta.append((t.shape, t.dtype))
            if k in saved_outputs and (t._base is not None or not differentiable[k]):
                record.stamped[k] = t if t._base is None else t._base  # no cycle: no node
            if not differentiable[k]:
                record.nodes.append(None)
            else:
                about = {"function": record, "output": k}
                if joined is None:
                    node = _backward_node(cls, record, saved, len(inputs), t.data, about)
                else:
                    node = Node(cls._output_opdef, (joined,), t.data, about)
                t._node, t._requires_grad = node, True
                record.nodes.append(weakref.ref(node))
            results_list.append(t)
        if autograd._mode.saved_hooks and ctx.to_save:  # autograd.graph.saved_tensors_hooks
            _pack(record, inputs, results_list, extra)
        ctx.to_save = ()  # the nodes keep them now, and release them after backward()
        results = tuple(results_list)
        if tangents:
            _forward_ad.push_jvp(cls, ctx, tangents, results)
        return results[0] if single else results


@functools.lru_cache(maxsize=256)
def _signature(forward: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(forward)


def _positional(
    cls: type[Function], args: tuple[Any, ...], kwargs: dict[str, Any], separate: bool
) -> tuple[Any, ...]:
    """``apply``'s arguments as ``forward``'s positional ones, as torch 2.13 passes them: a
    keyword argument takes its parameter's place (so a tensor given by keyword is an input,
    with a gradient), and with ``setup_context`` the defaults fill the rest (``inputs`` holds
    every parameter). ``forward(ctx, x, s=2.0, y=None)`` called as ``apply(x, y=t)`` is
    refused, as by torch: s would have to be passed for y to take its place."""
    name = cls.__name__
    try:
        if separate:
            bound = _signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            positional, rest = bound.args, bound.kwargs
        else:  # ctx first
            bound = _signature(cls.forward).bind(None, *args, **kwargs)
            positional, rest = bound.args[1:], bound.kwargs
    except TypeError as e:
        raise TypeError(f"{name}.apply(): {e}") from None
    if rest:
        raise TypeError(
            f"{name}.apply(): the keyword argument(s) {', '.join(map(repr, rest))} cannot be "
            "passed to forward by position (apply passes every argument by position, as torch "
            "does): give the parameters before them too, and no keyword-only ones"
        )
    return positional


def _join(
    cls: type[Function],
    record: _Record,
    saved: tuple[Tensor, ...],
    n_in: int,
    differentiable: list[bool],
) -> Tensor:
    """The join node of a function with several differentiable outputs, as the tensor its
    outputs' nodes take as input: its output (zeros, never read) holds a flag for each of
    those outputs (see ``_output_rule``)."""
    ks = [k for k, d in enumerate(differentiable) if d]
    record.flags = {k: rank for rank, k in enumerate(ks)}
    node = _backward_node(cls, record, saved, n_in, np.zeros(len(ks)), {"function": record})
    return Tensor._make(node.out, node)  # type: ignore[arg-type]


def _backward_node(
    cls: type[Function],
    record: _Record,
    saved: tuple[Tensor, ...],
    n_in: int,
    out: np.ndarray,
    about: dict[str, Any],
) -> Node:
    """The node whose rule calls ``cls.backward``: its parents are the n_in inputs (the saved
    extras after them get no gradient), and its time stamps what backward's unpacking checks."""
    unsaved = all(where is None for where in record.spec)
    node = Node(cls._unsaved_opdef if unsaved else cls._opdef, saved, out, about)
    node.parents = node.parents[:n_in]
    record.time = node.time
    return node


def _where(
    t: Tensor | None, outs: tuple[Any, ...], inputs: list[Tensor], extra: list[Tensor]
) -> tuple[str, int, int] | None:
    """Where a saved tensor is kept: an input (also one returned as it is: torch saves the
    input, not the view of it that ``apply`` returns, so a second derivative reaches the input
    directly), an output (never held by its own node: no cycle), or an extra saved value."""
    if t is None:
        return None
    for i, x in enumerate(inputs):
        if x is t:
            return ("in", i, 0)
    for k, o in enumerate(outs):
        if o is t:  # its node reads it as its output; the others, from a copy without a node
            extra.append(Tensor._make(o.data))
            return ("out", k, len(extra) - 1)
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
    if t._base is not None:
        t._base._viewed = True
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
