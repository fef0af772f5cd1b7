"""The engine: graph records and reverse-mode backprop as a dynamic program.

Every differentiable op applied to tensors that require grad leaves a ``Node``: which op ran,
the input tensors it saved, its output array, and one *parent* per input (the parent's Node,
the leaf Tensor itself, or None when that input needs no gradient). A node never refers back
to its output tensor, so the graph has no reference cycles.

Backprop computes, for the root F and every vertex v of the graph, the adjoint v̄ = ∂F/∂v:

    v̄ = Σ_{consumers c of v}  vjp_{c,v}(c̄)          (the chain rule, summed over fan-out)

Invariant: in reverse topological order every consumer of v is processed before v, so v̄ is
complete when it is read. Each adjoint is therefore computed once and reused by all of v's own
inputs — a dynamic program over the graph, linear in its size. Adjoints live in a local dict
and are popped as they are consumed; only leaves receive ``.grad``.

PyTorch equivalent: ``torch.autograd.backward`` and ``torch.autograd.grad``; grad mode
(``no_grad``, …) is in ``grad_mode``, re-exported here as torch's ``torch.autograd`` does.
Beside the engine: whether the values a node's rules read are still the forward pass's
(``_saved_values``, torch's version counter), how a leaf's ``.grad`` takes its adjoint
(``_leaf_grads``, torch's AccumulateGrad), and two rare paths, running gradient hooks
(``_graph_hooks``) and backward through tensors whose shape an in-place view op changed
(``_reshaped_inplace``).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from . import _saved_values
from . import grad_mode as grad_mode
from ._graph_hooks import (
    NodeHookHandle,
    NodePosthook,
    NodePrehook,
    _check_callable,
    _owner,
    _run_hooks,
    _run_posthooks,
)
from ._leaf_grads import AccumulateGrad as AccumulateGrad
from ._leaf_grads import _accumulate_leaf as _accumulate_leaf
from ._saved_values import (
    SAVED_ATTRIBUTES,
    _check_finite,
    _freed,
    pack,
    saved_attribute,
    saved_names,
    unpack_all,
)
from ._saved_values import _modified as _modified
from ._saved_values import stale as stale
from .grad_mode import _mode as _mode
from .grad_mode import detect_anomaly as detect_anomaly
from .grad_mode import enable_grad as enable_grad
from .grad_mode import inference_mode as inference_mode
from .grad_mode import is_grad_enabled as is_grad_enabled
from .grad_mode import no_grad as no_grad
from .grad_mode import scope as scope
from .grad_mode import set_detect_anomaly as set_detect_anomaly
from .grad_mode import set_grad_enabled as set_grad_enabled

if TYPE_CHECKING:
    from . import _autograd_function, _autograd_functional, _autograd_graph, _forward_ad, numgrad
    from ._reshaped_inplace import Refit
    from .ops import OpDef
    from .tensor import Tensor

    # torch.autograd.functional, .function and .Function: the package attaches them
    functional = _autograd_functional
    function = _autograd_function
    graph = _autograd_graph
    forward_ad = _forward_ad
    Function = _autograd_function.Function
    # torch.autograd.gradcheck and .gradgradcheck, attached the same way
    gradcheck = numgrad.gradcheck
    gradgradcheck = numgrad.gradgradcheck
    from ._legacy_types import Variable as Variable  # torch.autograd.Variable, attached too

# ----------------------------------------------------------------------------- the graph record


class Node:
    """One recorded op application: the vertex of the backward graph (torch's ``grad_fn``).

    ``parents[i]`` is where input i's gradient goes: the input's own Node, the input Tensor
    when it is a leaf that requires grad, or None. ``saved`` (the input tensors) and ``out``
    (the output array) are what the derivative rules read; backward releases them unless
    asked to retain the graph. ``time`` is the clock when it was recorded; ``out_changed``
    says that its output was changed in place since. ``kept``: the shapes and dtypes of the
    inputs, kept when the values are released from a node whose rules read none of them, so
    that it can run again (see ``_release_keeping_shapes``). ``out_view`` (unset but where an
    in-place op on a view wrote the output into its base): a weak reference to the view's node,
    which a recorded backward gives the output that the rules read (``_output_vertex``), and
    ``out_base`` the base with the stamp of that write, as a later write into the base changes
    the output too (``_base_written``). ``packed`` (unset but for a node recorded inside
    ``autograd.graph.saved_tensors_hooks``): which values its rules read, what the pack hook
    made of each and the unpack hook, which backward calls on them each time the node runs
    (``_saved_values.pack``); ``saved`` and ``out`` are kept as well.
    """

    __slots__ = (
        "__weakref__",
        "hooks",
        "kept",
        "kwargs",
        "op",
        "out",
        "out_base",
        "out_changed",
        "out_view",
        "packed",
        "parents",
        "saved",
        "scope",
        "time",
    )
    out_view: weakref.ref[Node]  # unset but after an in-place op on a view (read with getattr)
    out_base: tuple[weakref.ref[Tensor], int]  # the same; the base and the stamp of the write
    # unset but inside saved_tensors_hooks (read with getattr): keys, packed values, unpack hook
    packed: tuple[tuple[int | str, ...], tuple[Any, ...], Callable[[Any], Any]]

    def __init__(
        self,
        op: OpDef,
        saved: tuple[Tensor, ...],
        out: np.ndarray,
        kwargs: dict[str, Any],
    ) -> None:
        self.op = op
        self.saved: tuple[Tensor, ...] | None = saved
        self.out: np.ndarray | None = out
        self.kwargs = kwargs
        parents = []  # a plain loop: a comprehension's own frame costs more for one or two inputs
        for t in saved:
            parents.append((t._node or t) if t._requires_grad else None)
        self.parents = tuple(parents)
        self.time = _clock  # backward refuses saved tensors changed in place after this
        self.out_changed = False  # set by an in-place change of the output
        # The modules whose forward was running when this op ran (outermost first), for viz.
        self.scope = _mode.scope
        # Functions of the adjoint of this node's output: tensor hooks and retain_grad(), then
        # the node's own register_prehook/register_hook (NodePrehook, NodePosthook).
        self.hooks: list[Callable[[Tensor], Tensor | None]] | None = None
        self.kept: tuple[tuple[tuple[int, ...], np.dtype[Any]], ...] | None = None
        # Inside autograd.graph.saved_tensors_hooks: pack what the rules read. A module global
        # first (cheaper than the thread-local read): whether any thread has hooks in force.
        if _saved_hooks_entered and _mode.saved_hooks:
            pack(self)

    def name(self) -> str:
        """The torch-style name of this backward function, e.g. ``MulBackward``."""
        naming = self.op.naming
        if naming is None:
            return self.op.grad_fn_name
        # (the input's shape: from its saved tensor, or after backward from the kept shapes;
        # a node that kept neither indexes with arrays, whose name needs no shape)
        saved, kept = self.saved, self.kept
        shape = saved[0].shape if saved is not None else kept[0][0] if kept is not None else ()
        return naming(self.kwargs, tuple(shape))

    @property
    def next_functions(self) -> tuple[tuple[Node | AccumulateGrad | None, int], ...]:
        """Where this node sends gradients, one ``(vertex, 0)`` pair per input, as torch's
        ``grad_fn.next_functions``: the input's Node, a leaf's ``AccumulateGrad`` (whose
        ``variable`` is the leaf), or None for an input that needs no gradient."""
        return tuple(
            (p if p is None or isinstance(p, Node) else AccumulateGrad.of(p), 0)
            for p in self.parents
        )

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    def __dir__(self) -> list[str]:  # the _saved_* attributes this node's op has, as torch's
        mine = saved_names(self)
        return sorted(a for a in super().__dir__() if a in mine or a not in SAVED_ATTRIBUTES)

    def register_prehook(
        self, hook: Callable[[tuple[Tensor | None, ...]], tuple[Tensor | None, ...] | None]
    ) -> NodeHookHandle:
        """Call ``hook(grad_outputs)`` before this node's rules run (``grad_fn.register_prehook``).

        ``grad_outputs`` is the 1-tuple of the output's complete adjoint, after the output
        tensor's own hooks and ``retain_grad()`` (torch's order). The hook returns None (no
        change) or a 1-tuple: a tensor of the same shape and dtype, or None, an undefined
        gradient: then this node sends nothing on (a leaf reached only through it keeps
        ``.grad`` None), as torch.
        """
        _check_callable(hook, "register_prehook")
        wrapped = NodePrehook(hook)
        self.hooks = [*(self.hooks or ()), wrapped]
        return NodeHookHandle(self, wrapped)

    def register_hook(
        self,
        hook: Callable[
            [tuple[Tensor | None, ...], tuple[Tensor | None, ...]],
            tuple[Tensor | None, ...] | None,
        ],
    ) -> NodeHookHandle:
        """Call ``hook(grad_inputs, grad_outputs)`` after this node's rules ran
        (``grad_fn.register_hook``): ``grad_inputs`` has one entry per input (None where no
        gradient goes), ``grad_outputs`` is the 1-tuple of the adjoint the rules received. The
        hook returns None (no change) or a tuple of as many entries, each None (that input
        gets nothing from this node, as torch's undefined gradient) or a tensor of the input's
        shape and dtype, which replaces its gradient.
        """
        _check_callable(hook, "register_hook")
        wrapped = NodePosthook(hook)
        self.hooks = [*(self.hooks or ()), wrapped]
        return NodeHookHandle(self, wrapped)


def _saved_property(name: str) -> property:
    return property(lambda node: saved_attribute(node, name), doc=f"torch's grad_fn.{name}")


# torch's grad_fn._saved_self, _saved_other, _saved_result, _saved_dim, …: what a node keeps for
# its rules (``_saved_values.saved_attribute``). Properties, not a __getattr__, which would slow
# every attribute read of a node (CPython does not specialise reads on such a class).
for _name in SAVED_ATTRIBUTES:
    setattr(Node, _name, _saved_property(_name))


Vertex = Any  # a Node, or a leaf Tensor (hashed by identity)


def vertex(t: Tensor) -> Vertex:
    """The graph vertex of a tensor: the Node that made it, or the tensor itself for a leaf."""
    return t if t._node is None else t._node


# torch's version counter, kept as times: every in-place op ticks this clock and stamps the tensor
# it changed (``Tensor._changed``, and ``Node.out_changed`` of the node that made it); a node
# remembers the time it was recorded. So the common case, no in-place op since the forward pass,
# costs backward one comparison per node.
_clock = 0

# When an in-place view op (t_, squeeze_, …) last changed the shape of a non-leaf (0: never):
# backward gives the nodes recorded before such a change the tensor as they saw it, as torch's
# nodes keep the sizes of their inputs. That machinery, and the checks of the gradients sent to
# a tensor whose shape changed under no_grad, are in ``_reshaped_inplace``; the two globals it
# keeps are here, as backward tests them on every node and every call.
_reshaped = 0

# How many autograd.graph.saved_tensors_hooks contexts are in force, in all threads (the one
# test a new node makes; the thread-local stack says whose they are). Kept by _autograd_graph.
_saved_hooks_entered = 0

# Inside an ``autograd.forward_ad`` level (None outside): gives the output tensor that backward
# hands a node's rules the tangent of the node's output, so that a backward pass run on duals
# differentiates through rules that read the output (forward-over-reverse). Set by _forward_ad.
_dual_out: Callable[[Tensor, Node], Tensor] | None = None

# The live ``_reshaped_inplace.Refit`` hooks, by id: a dict, as backward asks whether it is empty.
_refits: dict[int, weakref.ref[Refit]] = {}


def toposort(*roots: Vertex) -> list[Vertex]:
    """All vertices reachable from the roots, each after all of its consumers.

    An iterative depth-first search (no recursion limit): the stack holds the current path,
    each vertex with an iterator over the inputs it has yet to visit. A vertex is finished,
    and appended to the post-order, when that iterator runs out; so the post-order lists every
    vertex after its inputs, and reversed, consumers come first. Inputs are visited in order,
    so the order is deterministic (the visited set only answers "seen before?").

    Vertices key sets and dicts by identity: Node and Tensor keep ``object.__hash__``, whose
    values differ for distinct live objects, so ``Tensor.__eq__`` (elementwise) is never asked.
    """
    visited: set[Vertex] = set()
    post: list[Vertex] = []
    for root in roots:  # one search per root; a later one skips what an earlier one finished
        if root in visited:
            continue
        visited.add(root)
        if type(root) is not Node:  # a leaf: nothing below it
            post.append(root)
            continue
        stack = [(root, iter(root.parents))]
        while stack:
            v, inputs = stack[-1]
            for p in inputs:
                if p is not None and p not in visited:
                    visited.add(p)
                    if type(p) is Node:  # descend; v's iterator resumes when p is finished
                        stack.append((p, iter(p.parents)))
                        break
                    post.append(p)  # a leaf has no inputs: finished as soon as it is seen
            else:  # every input of v is finished
                stack.pop()
                post.append(v)
    post.reverse()
    return post


def broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether an input of ``shape`` broadcasts to ``target``, so that a gradient of shape
    ``target`` sums back to it."""
    lead = len(target) - len(shape)
    return lead >= 0 and all(s in (1, t) for s, t in zip(shape, target[lead:]))


def sum_to(g: Tensor, shape: tuple[int, ...], node: Node, index: int) -> Tensor:
    """Sum a gradient back to an input's shape: the one place broadcasting is undone.

    If x of shape ``shape`` was broadcast to ``g.shape`` in the forward pass, every copy of an
    element contributed to F, so x̄ is the sum of g over the broadcast axes.
    """
    gshape = g.data.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    if lead > 0 and gshape[lead:] == shape:  # only leading axes were added: (N, k) → (k,)
        return g._sum_dims((0,) if lead == 1 else tuple(range(lead)), False)
    if not broadcasts_to(shape, gshape):
        raise RuntimeError(
            f"{node.name()}: the derivative rule for input {index} returned shape "
            f"{g.shape}, which does not broadcast to the input's shape {shape}"
        )
    if lead:  # leading broadcast axes disappear: (N, k) → (k,) is one sum, no reshape
        g = g._sum_dims(tuple(range(lead)), False)
    stretched = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    if stretched:  # size-1 axes that were stretched stay, with size 1
        g = g._sum_dims(stretched, True)
    return g


Observer = Callable[[Node, "Tensor", "tuple[Tensor | None, ...]"], None]


# numpy's floating-point warnings are off in backward: a rule at a pole (1/0 in log's, 0·∞ in
# a product's, ∞ − ∞ summing a broadcast gradient back) gives the ±∞ or nan torch gives, and
# silently, as torch (``detect_anomaly`` finds them). One errstate per backward, not per rule;
# as a decorator it costs half what a ``with`` block does (0.6 against 1.4 µs).
@np.errstate(divide="ignore", invalid="ignore", over="ignore")
def backprop(
    seeds: dict[Vertex, Tensor],
    *,
    retain_graph: bool,
    create_graph: bool,
    wrap: Callable[[np.ndarray, Node | None], Tensor],
    observer: Observer | None = None,
    capture: dict[Vertex, Tensor | None] | None = None,
    given: set[int] | None = None,
) -> None:
    """Run the dynamic program from the roots (``seeds``: root → its adjoint), filling leaves'
    ``.grad``.

    ``wrap(array, node)`` makes a Tensor of a node's output for the derivative rules (attached
    to the node when ``create_graph`` so that the backward pass is itself differentiable).
    ``observer(node, g, input_grads)``, if given, sees every step: viz and the explorer use it.
    ``capture``, if given, receives the adjoints of its vertices instead (after their hooks),
    and no leaf's ``.grad`` is touched (``grad()``); only the part of the graph that leads to
    them is run. ``given`` collects the memory handed out (see below).
    """
    with _backward_mode(create_graph):
        # The search runs with the collector paused too: its tuples and iterators would set
        # off collections that scan the whole graph (at 1e5 nodes 1.1 against 0.3 µs a node).
        order = toposort(*seeds)
        grads: dict[Vertex, Tensor] = dict(seeds)
        # The memory handed out so far (the seeds', what hooks saw, then each new .grad's): a rule
        # may pass its adjoint on unchanged (x + y sends g to both), so two .grads must never share
        # an array, nor a .grad share one the caller or a hook may still hold (accumulation into
        # .grad is in place). Such a gradient is copied before it becomes a .grad.
        seeded = {id(_owner(s.data)) for s in seeds.values()}
        if given is None:
            given = seeded
        else:
            given |= seeded
        needed = None if capture is None else _leading_to(order, capture)
        if _refits:  # a tensor changed shape in place under no_grad (rare): torch's checks
            from ._reshaped_inplace import check_refits

            check_refits(order, seeds, needed, capture is not None)
        anomaly = _mode.anomaly
        # Whether nodes may add their x̄ into a shared array (``OpDef.vjp_into``): when nothing
        # is recorded and nobody looks at each node's results (an observer, anomaly mode).
        direct = not create_graph and observer is None and not anomaly
        # The adjoints made for that: owned, so written in place. (Weakly held, so as not to keep
        # an array after its vertex has run.)
        buffers: dict[Vertex, weakref.ref[Tensor]] = {}
        task: _GraphTask | None = None
        unpacking = _saved_values.packed_ever  # some node may hold saved_tensors_hooks' packs
        for v in order:
            g = grads.pop(v, None)
            if g is None:  # v does not influence the root through differentiable paths
                continue
            is_node = type(v) is Node
            hooks = v.hooks if is_node else v._hooks
            acc = grads  # where the rules' results go: elsewhere for a node's register_hook
            if hooks is not None:  # on the complete adjoint: every consumer came first
                if task is None:  # this pass, as its hooks may ask about it: made once
                    task = _GraphTask(order, needed)
                hooked = _run_hooks(hooks, g, given, task)
                if hooked is None:  # a node prehook made it undefined: nothing is sent on
                    continue
                g = hooked
                if is_node and any(type(h) is NodePosthook for h in hooks):
                    acc = {}
            if capture is not None:
                assert needed is not None  # computed with capture
                if v in capture:
                    capture[v] = g
                # Below a captured vertex only the paths to other captured ones are run.
                if not is_node or not any(p is not None and p in needed for p in v.parents):
                    continue
            elif not is_node:
                _accumulate_leaf(v, g, create_graph, given, order)
                continue
            saved, out_data = v.saved, v.out
            if saved is None or out_data is None:
                if v.kept is None:
                    raise _freed(v)
                saved, out_data = _stand_ins(v.kept, wrap), g.data  # out: only its shape is read
            elif v.time != _clock:  # the clock test first: nothing changed since the node
                # (packed values are not checked, as torch: the unpack hook says what they are)
                if stale(v, needed) and getattr(v, "packed", None) is None:
                    raise _modified(v, needed)
                if v.time < _reshaped:  # an input changed shape in place since (rare)
                    from ._reshaped_inplace import _as_recorded

                    saved = _as_recorded(v, saved)
            op, kwargs = v.op, v.kwargs
            # A rule that reads no value of the output gets the adjoint in its place: the same
            # shape and dtype, and no Tensor made per node (the registry tests check the reads).
            if op.reads_out:
                out = wrap(out_data, _output_vertex(v) if create_graph else None)
                if _dual_out is not None:  # in a forward-AD level: with the output's tangent
                    out = _dual_out(out, v)
            else:
                out = g
            if unpacking and getattr(v, "packed", None) is not None:
                saved, out = unpack_all(v, saved, out)
                if not retain_graph:  # released with the rest of the node, below
                    del v.packed
            sent: list[Tensor | None] = []
            parents, each = v.parents, None
            if op.shortcut:  # (rare) a rule in a form that saves work: OpDef.vjp_into, vjp_all
                if direct and op.vjp_into is not None and acc is grads:
                    _add_into(v, g, saved[0], grads, buffers, needed, wrap)
                    parents = ()  # its x̄ is sent
                elif op.vjp_all is not None:
                    each = op.vjp_all(g, out, *saved, **kwargs)
            for i, p in enumerate(parents):
                rule = op.vjps[0] if op.variadic else op.vjps[i]
                if p is None or rule is None or (needed is not None and p not in needed):
                    sent.append(None)  # no grad wanted, not differentiable, or not asked for
                    continue
                if op.variadic:  # one rule for every input, told which one it is (or all: each)
                    gi = rule(g, out, *saved, input_index=i, **kwargs) if each is None else each[i]
                else:
                    gi = rule(g, out, *saved, **kwargs)
                if gi is None:  # a custom Function's backward may return None: no gradient
                    sent.append(None)
                    continue
                shape = saved[i].data.shape
                if gi.data.shape != shape:
                    gi = sum_to(gi, shape, v, i)
                sent.append(gi)
                prev = acc.get(p)  # fan-out: a vertex's adjoint sums over its consumers
                acc[p] = gi if prev is None else prev + gi
            if acc is not grads:
                sent = _run_posthooks(v, g, sent, grads)
            if anomaly:
                _check_finite(v, g, sent)
            if observer is not None:
                observer(v, g, tuple(sent))
            if not retain_graph:
                if op.reads_nothing and v.saved is not None:
                    _release_keeping_shapes(v, saved)
                v.saved = v.out = None


def _add_into(
    v: Node,
    g: Tensor,
    x: Tensor,
    grads: dict[Vertex, Tensor],
    buffers: dict[Vertex, weakref.ref[Tensor]],
    needed: set[Vertex] | None,
    wrap: Callable[[np.ndarray, Node | None], Tensor],
) -> None:
    """Add the x̄ of ``v`` (a one-input node whose op has ``vjp_into``) into its input's
    adjoint: in place when that adjoint is an array made here (``buffers``), which nothing else
    holds; else into a new array: zeros, or a copy of the adjoint that was there (a rule may
    have passed on an array someone else holds)."""
    p, into = v.parents[0], v.op.vjp_into
    if p is None or (needed is not None and p not in needed):
        return
    assert into is not None  # (the caller's test)
    prev = grads.get(p)
    mine = buffers.get(p)
    if prev is None or mine is None or mine() is not prev:
        array = np.zeros(x.data.shape, g.data.dtype) if prev is None else np.array(prev.data)
        prev = grads[p] = wrap(array, None)
        buffers[p] = weakref.ref(prev)
    into(prev.data, g.data, **v.kwargs)


def _output_vertex(node: Node) -> Node:
    """The node of the output a recorded backward (``create_graph``) gives the rules of
    ``node`` that read it: the node itself, but for an in-place op on a view, whose output is the
    view, written into its base: the view's own node then, so that the second derivative follows
    the base's new history (torch's saved result of such an op is the view)."""
    ref = getattr(node, "out_view", None)
    view = None if ref is None else ref()
    return node if view is None else view


def _release_keeping_shapes(node: Node, saved: tuple[Tensor, ...]) -> None:
    """Keep the shapes and dtypes of the inputs of a node whose rules read no value (x + y, a
    sum, a reshape), so that a second backward can run it, as torch runs a node that saved no
    tensors. An index array among its arguments counts as saved, as torch saves index tensors
    (x[[0, 0]]). The output needs nothing kept: its adjoint has its shape."""
    if node.op.kind in ("index", "scatter") and _holds_array(tuple(node.kwargs.values())):
        return
    if len(saved) == 2:  # unpacked: most such nodes are binary, and this runs on every backward
        a, b = saved[0].data, saved[1].data
        node.kept = ((a.shape, a.dtype), (b.shape, b.dtype))
    else:
        node.kept = tuple([(t.data.shape, t.data.dtype) for t in saved])


def _holds_array(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_holds_array(v) for v in value)
    return isinstance(value, np.ndarray)


def _stand_ins(
    kept: tuple[tuple[tuple[int, ...], np.dtype[Any]], ...],
    wrap: Callable[[np.ndarray, Node | None], Tensor],
) -> tuple[Tensor, ...]:
    """Inputs of the kept shapes and dtypes, for rules that read only those: one zero each,
    broadcast (no memory)."""
    return tuple(wrap(np.broadcast_to(np.zeros((), dtype), shape), None) for shape, dtype in kept)


def _leading_to(order: list[Vertex], targets: dict[Vertex, Any]) -> set[Vertex]:
    """The vertices of ``order`` with a path to a target (inputs come last in ``order``)."""
    needed: set[Vertex] = set()
    for v in reversed(order):
        if v in targets or (
            type(v) is Node and any(p is not None and p in needed for p in v.parents)
        ):
            needed.add(v)
    return needed


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate ∂(Σ tensors·grad_tensors)/∂leaf into every leaf's ``.grad``.

    PyTorch equivalent: ``torch.autograd.backward`` (``Tensor.backward`` calls it with one
    tensor). ``retain_graph`` defaults to ``create_graph``. With ``inputs``, only those tensors
    accumulate ``.grad``, non-leaves included (which then keep retaining it, as in torch).
    """
    # each input once, in order
    chosen = None if inputs is None else list({id(t): t for t in _sequence(inputs)}.values())
    if chosen is not None and not chosen:  # checked first, as torch
        raise RuntimeError("backward(): inputs argument must not be empty")
    seeds = _seeds(tensors, grad_tensors, "backward")
    retain = create_graph if retain_graph is None else retain_graph
    wrap = type(next(iter(seeds.values())))._make
    if chosen is None:
        backprop(seeds, retain_graph=retain, create_graph=create_graph, wrap=wrap)
        return
    for i, t in enumerate(chosen):
        _check_input(t, i, "backward")
        if not isinstance(t, GradientEdge) and t._node is not None:
            t.retain_grad()  # its hook stores .grad, after the tensor's other hooks
    capture: dict[Vertex, Tensor | None] = {_input_vertex(t): None for t in chosen}
    given: set[int] = set()
    backprop(
        seeds,
        retain_graph=retain,
        create_graph=create_graph,
        wrap=wrap,
        capture=capture,
        given=given,
    )
    for t in chosen:
        v = _input_vertex(t)
        g = capture[v]
        if g is not None and type(v) is not Node:  # a leaf (a non-leaf edge stores nothing)
            _accumulate_leaf(v, g, create_graph, given)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """The adjoints ∂(Σ outputs·grad_outputs)/∂input of each input, returned, not accumulated.

    PyTorch equivalent: ``torch.autograd.grad``, with its arguments in its order
    (``only_inputs`` is accepted and ignored, as torch deprecates it; ``is_grads_batched`` is
    not supported). Runs the same dynamic program as ``backward()`` but leaves every leaf's
    ``.grad`` alone; with ``create_graph=True`` the results are themselves differentiable
    (Hessian-vector products: ``grad(grad(f, x, create_graph=True)[0] @ v, x)``). An input the
    outputs do not depend on raises unless ``allow_unused`` (then its entry is None) or
    ``materialize_grads`` (then zeros). Hooks run, and ``retain_grad()`` tensors keep their
    gradient, as in torch.
    """
    if is_grads_batched:
        raise NotImplementedError("grad(): is_grads_batched=True is not supported")
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "grad(): expected allow_unused to be True or not passed when materialize_grads=True"
        )
    ins = _sequence(inputs)
    if not ins:
        raise RuntimeError("grad(): grad requires non-empty inputs")
    seeds = _seeds(outputs, grad_outputs, "grad")
    capture: dict[Vertex, Tensor | None] = {}
    for i, t in enumerate(ins):
        _check_input(t, i, "grad")
        capture[_input_vertex(t)] = None
    wrap = type(next(iter(seeds.values())))._make
    backprop(
        seeds,
        retain_graph=create_graph if retain_graph is None else retain_graph,
        create_graph=create_graph,
        wrap=wrap,
        capture=capture,
    )
    result: list[Any] = []
    for i, t in enumerate(ins):
        g = capture[_input_vertex(t)]
        if isinstance(t, GradientEdge):  # a non-leaf's: its adjoint as the node received it
            if g is None and not allow_unused and not materialize_grads:
                raise RuntimeError(
                    f"grad(): input {i} (a GradientEdge of {t.node.name()}) was not used in the "
                    "graph of the outputs; pass allow_unused=True to get None for it"
                )
            result.append(g)  # (no shape to make zeros of for materialize_grads: None)
            continue
        if g is None:
            if materialize_grads:
                g = type(t)._make(np.zeros_like(t.data))
            elif not allow_unused:
                raise RuntimeError(
                    f"grad(): input {i} (shape {t.shape}) was not used in the graph of the "
                    "outputs; pass allow_unused=True to get None for it"
                )
        elif g.data.dtype != t.data.dtype:
            g = g.to(t.dtype)
        result.append(g)
    return tuple(result)


class GradientEdge(NamedTuple):
    """Where a tensor's gradient arrives in the graph: the ``node`` that made it (for a leaf,
    its ``AccumulateGrad``) and which of the node's outputs it is (``output_nr``: always 0
    here, where each node has one output) (``torch.autograd.graph.GradientEdge``, made by
    ``get_gradient_edge``). ``grad()`` and ``backward(inputs=...)`` take one in place of a
    tensor: the gradient at that place of the graph, even after the tensor was changed in
    place and so made by another node. ``ownership_token`` is torch's, unused here: a node
    keeps its graph alive."""

    node: Any
    output_nr: int
    ownership_token: Any = None


def _input_vertex(t: Any) -> Vertex:
    """The vertex whose adjoint an input of grad()/backward() asks for: a tensor's, or a
    GradientEdge's node (a leaf's AccumulateGrad stands for the leaf)."""
    if isinstance(t, GradientEdge):
        node = t.node
        return node if type(node) is Node else node.variable
    return vertex(t)


def _seeds(outputs: Any, grad_outputs: Any, op: str) -> dict[Vertex, Tensor]:
    """Each output's vertex → its seed adjoint (``grad_outputs``, or 1 for one element)."""
    outs = _sequence(outputs)
    if not outs:
        raise RuntimeError(f"{op}(): no tensors to differentiate")
    if grad_outputs is None:
        gos: tuple[Any, ...] = (None,) * len(outs)
    elif _is_tensor(outputs) and not _per_output(grad_outputs):
        gos = (grad_outputs,)  # one output's gradient may itself be a list of numbers
    else:
        gos = _sequence(grad_outputs)
    if len(gos) != len(outs):
        arg = "grad_outputs" if op == "grad" else "grad_tensors"
        raise ValueError(
            f"{op}(): {arg} has {len(gos)} entries for {len(outs)} outputs; give one each"
        )
    seeds: dict[Vertex, Tensor] = {}
    for i, (o, go) in enumerate(zip(outs, gos)):
        if isinstance(o, GradientEdge):  # the adjoint given is sent into that node
            _check_input(o, i, op)
            if not _is_tensor(go):
                raise RuntimeError(
                    f"{op}(): element {i} of the outputs is a GradientEdge, whose shape is not "
                    "known here: give its gradient as a Tensor in grad_outputs"
                )
            v = _input_vertex(o)
            seeds[v] = go if v not in seeds else seeds[v] + go
            continue
        if not _is_tensor(o):
            raise TypeError(f"{op}(): element {i} is a {type(o).__name__}, not a Tensor")
        if not o.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        seed = o._seed(go, op)
        v = vertex(o)
        seeds[v] = seed if v not in seeds else seeds[v] + seed
    return seeds


def _is_tensor(value: Any) -> bool:
    # By its graph slot: this module cannot import Tensor, whose module imports this one.
    return isinstance(getattr(value, "_node", False), (Node, type(None)))


def _check_input(t: Any, i: int, op: str) -> None:
    if isinstance(t, GradientEdge):
        if not isinstance(t.node, (Node, AccumulateGrad)):
            raise TypeError(
                f"{op}(): element {i} of inputs is a GradientEdge whose node is a "
                f"{type(t.node).__name__}, not a graph node (make it with get_gradient_edge)"
            )
        return
    if not _is_tensor(t):
        raise TypeError(f"{op}(): element {i} of inputs is a {type(t).__name__}, not a Tensor")
    if not t.requires_grad:
        raise RuntimeError(f"{op}(): element {i} of inputs does not require grad")


def _per_output(grads: Any) -> bool:
    """A list or tuple holding a Tensor or None: one gradient per output, as torch reads
    ``grad_outputs=[g]`` beside a single output (a list of numbers is one gradient's values)."""
    return isinstance(grads, (list, tuple)) and any(g is None or _is_tensor(g) for g in grads)


def _sequence(value: Any) -> tuple[Any, ...]:
    """A Tensor, or any iterable of them (a list, a tuple, ``model.parameters()``), as a tuple."""
    if _is_tensor(value) or isinstance(value, GradientEdge) or not hasattr(value, "__iter__"):
        return (value,)  # one tensor or edge (or an error later)
    return tuple(value)


def tick() -> int:
    """Advance the clock of in-place updates; the caller stamps the tensor it changed."""
    global _clock
    _clock += 1
    return _clock


class _gc_paused:  # a class, not @contextmanager: viz pauses the collector for large drawings
    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


class _backward_mode:  # a class, not @contextmanager: it runs on every backward
    """Inside backward: grad mode on only to record a differentiable backward pass
    (``create_graph``), and the cyclic collector paused. The graph holds no reference cycles,
    so reference counting frees everything backward discards; pausing the collector saves it
    from rescanning the graph mid-pass."""

    def __init__(self, create_graph: bool) -> None:
        self.enabled = create_graph

    def __enter__(self) -> None:
        self.prev, _mode.enabled = _mode.enabled, self.enabled
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        _mode.enabled = self.prev
        if self.was_enabled:
            gc.enable()


class _GraphTask:
    """One backward pass (torch's GraphTask), as hooks that run in it may ask about it: its
    identity, and whether it runs a vertex (``will_execute``). ``order`` is the pass's
    topological order, ``needed`` the vertices on paths to the captured ones (None when it
    fills the leaves' ``.grad``: then every vertex of the order runs)."""

    __slots__ = ("__weakref__", "_members", "needed", "order")

    def __init__(self, order: list[Vertex], needed: set[Vertex] | None) -> None:
        self.order, self.needed = order, needed
        self._members: set[Vertex] | None = None

    def will_execute(self, v: Vertex) -> bool:
        """Whether this pass runs vertex ``v`` (torch's ``_will_engine_execute_node``): a
        vertex it reaches, and, for ``grad()`` or ``backward(inputs=...)``, one on a path to
        an input (a leaf's accumulation counts as a vertex, as torch's AccumulateGrad)."""
        if self.needed is not None:
            return v in self.needed
        if self._members is None:  # built on the first question: most passes are asked none
            self._members = set(self.order)
        return v in self._members


def current_graph_task() -> _GraphTask | None:
    """The backward pass whose tensor hooks are running in this thread, None outside them
    (torch's ``torch._C._current_graph_task_id``, as the object itself; set by the hooks'
    runner, so that a pass without hooks pays nothing for it)."""
    task: _GraphTask | None = getattr(_mode, "task", None)
    return task
