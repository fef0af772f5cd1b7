"""Forward and backward graphs of a recorded computation, drawn with Graphviz.

Both pictures come from the one graph the engine records (``autograd.Node``):

* The **forward graph** shows data flowing from the inputs to the output: tensor vertices (boxes:
  name, shape, dtype, values or min/mean/max, and the gradient when one is known) and op vertices
  (ellipses) between them. Colours tell inputs, constants, parameters, intermediates and the
  output apart; a legend says which is which.
* The **backward graph** shows the ``grad_fn`` vertices (torch names such as ``MulBackward``)
  and the leaves that receive ``.grad``. Edges point the way gradients flow: from the output's
  ``grad_fn`` towards the leaves. Each vertex carries its *step*: its index in
  ``autograd.toposort``, the order in which the dynamic program visits it. Every edge goes from a
  smaller step to a larger one, which is the invariant of backprop made visible: a vertex is
  visited only after all of its consumers, so its adjoint

      v̄ = Σ_{consumers c of v} vjp_{c,v}(c̄)

  is complete when it is read. A vertex with several consumers (fan-out) is drawn with a double
  border and says how many incoming gradients are summed.

Modules (from the scope tags ``nn.Module.__call__`` leaves on each node) become clusters; any of
them can be collapsed into one vertex. Above ``max_nodes`` vertices a drawing summarises: it first
collapses modules, and if that is not enough it draws the part of the graph nearest the output and
one vertex that counts the rest. Traversal is iterative (no recursion limit) and vertex ids follow
the traversal order, so the same computation always gives byte-identical DOT.

Gradients of intermediates are not stored by the engine (only leaves keep ``.grad``). With
``run_backward=True`` the drawing runs its own backward pass over the retained graph with an
observer and shows every adjoint it sees. That pass leaves the user's state untouched: each leaf's
``.grad`` is saved and restored, and tensor hooks (including ``retain_grad``) are switched off for
its duration, so no gradient is ever accumulated twice; the gradients shown are the plain
chain-rule adjoints (what hooks would have changed is not shown). It needs the graph's saved
values, so call it before ``backward()`` or after ``backward(retain_graph=True)``.

Rendering needs the Graphviz ``dot`` program. Building a drawing and saving it as ``.dot`` do
not; without ``dot``, rendering raises :class:`GraphvizNotFoundError`, which says how to install
it.

PyTorch equivalent: ``torchviz.make_dot`` (backward graph only, no values, no steps).
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import graphviz
import numpy as np

from .. import autograd
from ..autograd import Node
from ..tensor import Tensor

__all__ = [
    "FORMATS",
    "GraphvizNotFoundError",
    "VizGraph",
    "dot_available",
    "draw_backward",
    "draw_forward",
    "save",
    "summarize",
]

FORMATS = ("svg", "png", "pdf", "dot")
_RANKDIRS = ("TB", "LR", "BT", "RL")

_INSTALL_HINT = (
    "Rendering a graph needs the Graphviz 'dot' program, which was not found on PATH. "
    "Install Graphviz: Debian/Ubuntu `sudo apt-get install graphviz`, macOS `brew install "
    "graphviz`, conda `conda install -c conda-forge graphviz` (the pip package 'graphviz' is only "
    "the Python wrapper and does not include 'dot'). The drawing itself is fine without it: "
    "`graph.source` holds its DOT text and `save(graph, 'graph.dot')` writes it."
)


# ----------------------------------------------------------------------------- rendering


class GraphvizNotFoundError(RuntimeError):
    """Rendering was asked for but the Graphviz ``dot`` program is not installed."""

    def __init__(self, message: str = _INSTALL_HINT) -> None:
        super().__init__(message)


def dot_available() -> bool:
    """Whether Graphviz's ``dot`` program is on PATH (rendering needs it; ``.dot`` files don't)."""
    return shutil.which("dot") is not None


def _translate(call: Callable[[], Any]) -> Any:
    """Run a graphviz call, turning its errors into ours (no traceback from inside graphviz)."""
    try:
        return call()
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError() from None
    except graphviz.CalledProcessError as e:
        stderr = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
        raise RuntimeError(f"Graphviz 'dot' failed (exit {e.returncode}): {stderr}") from None


class VizGraph(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type information
    """A ``graphviz.Digraph`` (so Jupyter shows it inline) with :meth:`save`.

    Rendering methods (``pipe``, ``render``, Jupyter display) raise :class:`GraphvizNotFoundError`
    instead of graphviz's own error when ``dot`` is missing.
    """

    def save(self, path: str | Path | None = None, format: str | None = None, **kwargs: Any) -> Any:
        """Write the drawing to ``path`` as svg, png, pdf or dot; see :func:`save`.

        Called with graphviz's own keywords (``directory=``, ``skip_existing=``) or no path, it is
        graphviz's ``save`` (write the DOT source to ``self.filepath``), which ``render()`` uses.
        """
        if path is None or kwargs:
            return super().save(path, **kwargs)
        return save(self, path, format)

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        return _translate(lambda: super(VizGraph, self).pipe(*args, **kwargs))

    def render(self, *args: Any, **kwargs: Any) -> Any:
        return _translate(lambda: super(VizGraph, self).render(*args, **kwargs))


def save(graph: Any, path: str | Path, format: str | None = None) -> Path:
    """Write a drawing (any ``graphviz`` graph) to ``path`` as svg, png, pdf or dot.

    ``format`` defaults to the file's suffix (svg without one); a path without a suffix gets
    ``.<format>``, and a suffix naming another format is an error.
    ``'dot'`` writes the DOT source and needs no Graphviz install; the other formats run ``dot``
    and raise :class:`GraphvizNotFoundError` when it is missing. Parent folders are created.
    Returns the path written.
    """
    if not hasattr(graph, "source") or not hasattr(graph, "pipe"):
        raise TypeError(f"save(): expected a graphviz graph, got {type(graph).__name__}")
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    fmt = (format or suffix or "svg").lower()
    if fmt == "gv":
        fmt = "dot"
    if fmt not in FORMATS:
        raise ValueError(f"save(): format must be one of {FORMATS}, got {fmt!r}")
    if suffix in FORMATS and suffix != fmt:
        raise ValueError(f"save(): path {str(p)!r} ends in .{suffix} but format is {fmt!r}")
    if not suffix:
        p = p.with_name(f"{p.name}.{fmt}")
    if fmt == "dot":
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(graph.source, encoding="utf-8")
        return p
    # Render first, so a missing `dot` leaves no empty or partial file behind.
    data = _translate(lambda: graph.pipe(format=fmt))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


# ----------------------------------------------------------------------------- value summaries


def _num(x: Any) -> str:
    return f"{x:.4g}"


def summarize(a: np.ndarray | None, *, max_values: int = 8) -> list[str]:
    """Label lines describing an array: its values if it has at most ``max_values`` elements,
    else ``min / mean / max`` (for bool arrays, how many are true)."""
    if a is None:
        return ["(released by backward)"]
    if a.size == 0:
        return ["(empty)"]
    if a.size <= max_values:
        fmt = _num if a.dtype.kind in "fc" else str
        # 0-d and 1-d by hand: np.array2string costs ~100 µs, too much for 10⁵ vertices.
        if a.ndim == 0:
            return [fmt(a.item())]
        if a.ndim == 1:
            return ["[" + ", ".join(fmt(x) for x in a.tolist()) + "]"]
        text = np.array2string(
            a, separator=", ", formatter={"float_kind": _num, "complex_kind": _num}
        )
        return text.splitlines()
    if a.dtype.kind == "b":
        return [f"{int(a.sum())} of {a.size} true"]
    with np.errstate(all="ignore"):
        return [f"min {_num(a.min())}  mean {_num(a.mean())}  max {_num(a.max())}"]


_DTYPE_NAMES: dict[Any, str] = {}


def _dtype(dtype: Any) -> str:
    # str(np.dtype) is surprisingly slow, and a graph has only a few distinct dtypes.
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype)
    return name


def _shape(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "shape unknown"
    return "scalar" if shape == () else str(tuple(int(s) for s in shape))


def _kwarg(v: Any) -> str:
    """A short, deterministic description of an op's keyword argument."""
    if isinstance(v, np.ndarray):
        return f"array{_shape(v.shape)}"
    if isinstance(v, slice):
        parts = ["" if p is None else str(p) for p in (v.start, v.stop, v.step)]
        return ":".join(parts[:2] if v.step is None else parts)
    if isinstance(v, tuple):
        return "(" + ", ".join(_kwarg(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, (np.dtype, type)):
        return str(np.dtype(v))
    text = repr(v)
    return text if len(text) <= 30 else text[:27] + "…"


_CHANGED_NOTE = (
    "values were changed in place after the forward pass (an optimizer step?): leaves show "
    "their current values, intermediates the recorded ones"
)


def _input_names(n: int, math: str = "") -> list[str]:
    """The names the op table's math uses for an op's inputs: those of its adjoints, in order,
    when it names one per input (x, W, b for linear; z, t for the binary loss), else x, y;
    c, x, y; x₁, x₂, …"""
    named = [a or "y" for a, _ in re.findall("(\\w)\u0304|(ȳ)", math)]
    if len(named) == n:
        return named
    if n == 1:
        return ["x"]
    if n == 2:
        return ["x", "y"]
    if n == 3:
        return ["c", "x", "y"]
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [f"x{str(i + 1).translate(sub)}" for i in range(n)]


def _bar(name: str) -> str:
    return "".join(ch + "\u0304" for ch in name[:1]) + name[1:]


# ----------------------------------------------------------------------------- reading the graph


@dataclass
class _Record:
    """What a drawing needs from a recorded graph, read once."""

    output: Tensor
    order: list[Any]  # autograd.toposort(root): every vertex after all of its consumers
    step: dict[int, int]  # id(vertex) → its index in order
    tensor_of: dict[int, Tensor]  # id(node) → its output Tensor, where one is reachable
    param_names: dict[int, str]  # id(leaf) → name from model.named_parameters()
    user_names: dict[int, str]  # id(leaf) or id(node) → name from names=
    modules: dict[int, tuple[str, Any]]  # id(module) → (name in model.named_modules(), module)
    module_by_name: dict[str, Any]
    adjoint: dict[int, np.ndarray] | None  # id(vertex) → ∂F/∂(its output), from run_backward
    edge_grads: dict[tuple[int, int], np.ndarray]  # (id(node), input index) → gradient sent
    released: bool  # backward() already freed the saved values
    changed: bool = False  # a value was changed in place after its op ran (an optimizer step)


def _read(
    output: Any, model: Any, names: Mapping[str, Any] | None, run_backward: bool, fn: str
) -> _Record:
    if not isinstance(output, Tensor):
        raise TypeError(f"{fn}(): output must be a Tensor, got {type(output).__name__}")
    if output.grad_fn is None and not output.requires_grad:
        raise ValueError(
            f"{fn}(): the output has no recorded graph (it does not require grad). Compute it "
            "from tensors with requires_grad=True (a model's parameters are), outside no_grad()."
        )
    root: Any = output.grad_fn if output.grad_fn is not None else output
    order = autograd.toposort(root)
    step = {id(v): i for i, v in enumerate(order)}

    tensor_of: dict[int, Tensor] = {}
    if output.grad_fn is not None:
        tensor_of[id(output.grad_fn)] = output
    released = changed = False
    for v in order:
        if isinstance(v, Node):
            if v.saved is None or v.out is None:
                released = True
            elif autograd.stale(v, any_value=True):  # what the drawing shows, read or not
                changed = True
            for t in v.saved or ():
                if t.grad_fn is not None:
                    tensor_of.setdefault(id(t.grad_fn), t)

    param_names: dict[int, str] = {}
    modules: dict[int, tuple[str, Any]] = {}
    module_by_name: dict[str, Any] = {}
    if model is not None:
        if not hasattr(model, "named_parameters"):
            raise TypeError(
                f"{fn}(): model must have named_parameters() (an nn.Module), got "
                f"{type(model).__name__}"
            )
        for pname, p in model.named_parameters():
            param_names.setdefault(id(p), str(pname))
        if hasattr(model, "named_modules"):
            for mname, m in model.named_modules():
                modules.setdefault(id(m), (str(mname), m))
                module_by_name.setdefault(str(mname), m)

    user_names: dict[int, str] = {}
    for uname, t in (names or {}).items():
        if not isinstance(t, Tensor):
            raise TypeError(f"{fn}(): names[{uname!r}] must be a Tensor, got {type(t).__name__}")
        user_names[id(t.grad_fn) if t.grad_fn is not None else id(t)] = str(uname)

    rec = _Record(
        output, order, step, tensor_of, param_names, user_names, modules, module_by_name,
        None, {}, released, changed,
    )  # fmt: skip
    if run_backward:
        _run_backward(rec, fn)
    return rec


def _run_backward(rec: _Record, fn: str) -> None:
    """Collect every adjoint with an observer, leaving all ``.grad`` and hooks as they were."""
    adjoint: dict[int, np.ndarray] = {}
    rec.adjoint = adjoint
    root = rec.order[0]
    if rec.output.data.size != 1:  # backward() would refuse it too: no implicit seed of ones
        raise RuntimeError(
            f"{fn}(run_backward=True) runs backward from the output, which has shape "
            f"{rec.output.shape}: draw a one-element output, such as its sum"
        )
    seed = np.ones_like(rec.output.data)
    if not isinstance(root, Node):  # the output is itself a leaf: its gradient is the seed
        adjoint[id(root)] = seed
        return
    if rec.released:
        raise RuntimeError(
            f"{fn}(run_backward=True) needs the graph's saved values, but backward() has already "
            "released them. Draw before calling backward(), or call "
            "backward(retain_graph=True) first."
        )
    nodes = [v for v in rec.order if isinstance(v, Node)]
    leaves = [v for v in rec.order if not isinstance(v, Node)]
    kept_grads = [(leaf, leaf.grad, leaf._hooks) for leaf in leaves]
    kept_hooks = [(node, node.hooks) for node in nodes]

    def observer(node: Node, g: Tensor, input_grads: tuple[Tensor | None, ...]) -> None:
        adjoint[id(node)] = g.data
        for i, (p, gi) in enumerate(zip(node.parents, input_grads)):
            if p is None or gi is None:
                continue
            rec.edge_grads[(id(node), i)] = gi.data
            if not isinstance(p, Node):
                prev = adjoint.get(id(p))
                adjoint[id(p)] = gi.data if prev is None else prev + gi.data

    try:
        # Hooks off: a retain_grad() hook would otherwise add this pass into an intermediate's
        # .grad, which (unlike a leaf's) could not be restored afterwards.
        for node in nodes:
            node.hooks = None
        for leaf in leaves:
            leaf._hooks = None
            leaf._grad = None  # backward adds into .grad in place: the user's must stay as is
        autograd.backprop(
            {root: Tensor._make(seed)},
            retain_graph=True,
            create_graph=False,
            wrap=Tensor._make,
            observer=observer,
        )
    finally:
        for leaf, grad, hooks in kept_grads:
            leaf.grad = grad
            leaf._hooks = hooks
        for node, node_hooks in kept_hooks:
            node.hooks = node_hooks


# ----------------------------------------------------------------------------- modules → clusters


@dataclass
class _Cluster:
    index: int
    parent: int | None
    depth: int
    name: str  # what collapse= refers to: the name in model.named_modules(), else an auto name
    title: str


class _Clusters:
    """One cluster per module path seen in the nodes' scope tags (outermost first)."""

    def __init__(self, rec: _Record) -> None:
        self.rec = rec
        self.items: list[_Cluster] = []
        self._by_path: dict[tuple[int, ...], int] = {}
        self._first: dict[int, int] = {}  # id(module) → its first cluster
        self._auto: dict[int, str] = {}  # id(module) → auto name for modules not in the model
        self._class_count: dict[str, int] = {}
        for v in reversed(rec.order):  # forward order, so the first module gets cluster 0
            if isinstance(v, Node) and v.scope:
                self.of(v.scope)

    def _name(self, m: Any) -> tuple[str, str]:
        cls = type(m).__name__
        known = self.rec.modules.get(id(m))
        if known is not None:
            name = known[0]
            return name, (f"{name}: {cls}" if name else cls)
        if id(m) not in self._auto:
            k = self._class_count.get(cls, 0) + 1
            self._class_count[cls] = k
            self._auto[id(m)] = cls if k == 1 else f"{cls}#{k}"
        return self._auto[id(m)], self._auto[id(m)]

    def of(self, scope: tuple[Any, ...]) -> int | None:
        """The cluster of a scope tag (creating it and its ancestors), None for top level."""
        parent: int | None = None
        path: tuple[int, ...] = ()
        for depth, m in enumerate(scope):
            path = (*path, id(m))
            index = self._by_path.get(path)
            if index is None:
                index = len(self.items)
                name, title = self._name(m)
                self.items.append(_Cluster(index, parent, depth, name, title))
                self._by_path[path] = index
                self._first.setdefault(id(m), index)
            parent = index
        return parent

    def of_module(self, m: Any) -> int | None:
        """The first cluster whose innermost module is ``m``."""
        return self._first.get(id(m))

    def common(self, scopes: list[tuple[Any, ...]]) -> int | None:
        """The cluster of the longest scope prefix shared by all of ``scopes``."""
        if not scopes:
            return None
        prefix = scopes[0]
        for s in scopes[1:]:
            n = 0
            while n < min(len(prefix), len(s)) and prefix[n] is s[n]:
                n += 1
            prefix = prefix[:n]
        return self.of(prefix)

    def resolve(self, collapse: Iterable[str] | str) -> set[int]:
        wanted = [collapse] if isinstance(collapse, str) else list(collapse)
        found: set[int] = set()
        for name in wanted:
            hits = {c.index for c in self.items if c.name == name}
            if not hits:
                available = ", ".join(repr(c.name) for c in self.items) or "none"
                raise ValueError(
                    f"collapse: no module named {name!r} ran in this graph (modules: {available})"
                )
            found |= hits
        return found


def _leaf_cluster(
    rec: _Record, clusters: _Clusters, leaf: Tensor, consumer_scopes: list[tuple[Any, ...]]
) -> int | None:
    """Where a leaf is drawn: in its owning module if the model names it, else by its consumers."""
    pname = rec.param_names.get(id(leaf))
    if pname is not None:
        owner = rec.module_by_name.get(pname.rsplit(".", 1)[0] if "." in pname else "")
        index = clusters.of_module(owner) if owner is not None else None
        if index is not None:
            return index
    if (not leaf.requires_grad and leaf.data.size > 1) or id(leaf) in rec.user_names:
        return None  # data fed in from outside belongs to no module
    return clusters.common(consumer_scopes)


# ----------------------------------------------------------------------------- drawing plan

_STYLE: dict[str, dict[str, str]] = {
    "input": {"shape": "box", "style": "filled", "fillcolor": "#e0e0e0"},
    "constant": {"shape": "box", "style": "dashed", "fontsize": "10"},
    "parameter": {"shape": "box", "style": "filled", "fillcolor": "#add8e6"},
    "intermediate": {"shape": "box"},
    "output": {"shape": "box", "style": "filled,bold", "fillcolor": "#caff70"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff3b0"},
    "grad_fn": {"shape": "box", "style": "rounded,filled", "fillcolor": "#f0f0f0"},
    "grad_fn_root": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#caff70"},
    "leaf": {"shape": "box", "style": "filled", "fillcolor": "#add8e6"},
    "module": {"shape": "box3d", "style": "filled", "fillcolor": "#fde0c5"},
    "more": {"shape": "note", "style": "filled", "fillcolor": "#ffe4e1"},
}
_FAN_IN = {"peripheries": "2"}
_MORE = "more"  # the key of the vertex that stands for everything a summary leaves out


@dataclass(eq=False)
class _V:
    """A vertex of a drawing, before collapsing; its label is built lazily (only if drawn)."""

    key: str
    kind: str
    cluster: int | None
    label: Callable[[], list[str]]
    brief: str = ""  # its line in a collapsed module's label ("" = not listed)
    op: str = ""  # the op or grad_fn name, listed in a collapsed module's label
    step: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


_Edge = tuple[str, str, str]  # tail key, head key, label


@dataclass
class _Plan:
    verts: list[_V]
    edges: list[_Edge]
    notes: list[str]


# build(limit): the plan of the vertices of order[:limit]; edges into the rest go to _MORE.
_Build = Callable[[int], _Plan]


def _collapse(plan: _Plan, clusters: list[_Cluster], collapsed: set[int], what: str) -> _Plan:
    """Replace every collapsed module by one vertex; tensors leaving it stay visible outside."""
    if not collapsed:
        return plan
    box_of: dict[int, int | None] = {}
    for c in clusters:  # parents come before children
        up = box_of[c.parent] if c.parent is not None else None
        box_of[c.index] = up if up is not None else (c.index if c.index in collapsed else None)
    absorbed: dict[str, int] = {}
    for v in plan.verts:
        b = box_of[v.cluster] if v.cluster is not None else None
        if b is not None:
            absorbed[v.key] = b
    kinds = {v.key: v.kind for v in plan.verts}
    moved: dict[str, int | None] = {}
    for tail, head, _ in plan.edges:
        b = absorbed.get(tail)
        if b is not None and kinds[tail] == "intermediate" and absorbed.get(head) != b:
            moved[tail] = clusters[b].parent
    for v in plan.verts:
        b = absorbed.get(v.key)
        if b is not None and v.kind == "output":
            moved[v.key] = clusters[b].parent
    for key in moved:
        del absorbed[key]

    members: dict[int, list[_V]] = {}
    verts: list[_V] = []
    for v in plan.verts:
        b = absorbed.get(v.key)
        if b is None:
            if v.key in moved:
                v = _V(v.key, v.kind, moved[v.key], v.label, v.brief, v.op, v.step, v.extra)
            verts.append(v)
            continue
        if b not in members:
            members[b] = []  # filled below; the label reads it lazily
            label = _box_label(clusters[b], members[b], what)
            verts.append(_V(f"m{b}", "module", clusters[b].parent, label))
        members[b].append(v)

    def end(key: str) -> str:
        b = absorbed.get(key)
        return key if b is None else f"m{b}"

    edges: list[_Edge] = []
    counts: dict[tuple[str, str], int] = {}
    for tail, head, text in plan.edges:
        t, h = end(tail), end(head)
        if t == h:
            continue  # inside one collapsed module
        if t == tail and h == head:
            edges.append((t, h, text))
            continue
        if (t, h) not in counts:
            edges.append((t, h, ""))
        counts[(t, h)] = counts.get((t, h), 0) + 1
    edges = [
        (t, h, f"×{counts[(t, h)]}" if counts.get((t, h), 1) > 1 else text) for t, h, text in edges
    ]
    return _Plan(verts, edges, plan.notes)


def _box_label(cluster: _Cluster, members: list[_V], what: str) -> Callable[[], list[str]]:
    def label() -> list[str]:
        ops = [v for v in members if v.op]
        lines = [f"{cluster.title} (collapsed)"]
        distinct = list(dict.fromkeys(v.op for v in ops))
        shown = ", ".join(distinct[:4]) + (", …" if len(distinct) > 4 else "")
        noun = what if len(ops) != 1 else what[:-1]
        lines.append(f"{len(ops)} {noun}: {shown}" if ops else f"0 {what}")
        steps = [v.step for v in members if v.step is not None]
        if steps:
            lines.append(f"steps {min(steps)}–{max(steps)}")
        lines += [v.brief for v in members if v.brief]
        return lines

    return label


def _fit(
    build: _Build,
    per_step: list[int],
    rec: _Record,
    clusters: _Clusters,
    collapse: Iterable[str] | str,
    collapse_depth: int | None,
    max_nodes: int | None,
    what: str,
    toward: str,
) -> _Plan:
    """Build the drawing with the requested collapsing; summarise it if over ``max_nodes``.

    ``per_step[i]`` is how many vertices ``order[i]`` contributes. Summarising first collapses
    modules, as deep a level as fits; if that is not enough, it keeps the longest prefix of the
    toposort order that fits and one vertex counting the rest. Such a prefix holds every consumer
    of each vertex in it, so what is kept is a connected piece hanging from the output.
    """
    chosen = clusters.resolve(collapse)
    if collapse_depth is not None:
        chosen |= {c.index for c in clusters.items if c.depth == collapse_depth}
    total = sum(per_step)
    if max_nodes is None or total <= max_nodes:
        return _collapse(build(len(per_step)), clusters.items, chosen, what)
    if clusters.items:
        plan = build(len(per_step))
        fitted = _collapse(plan, clusters.items, chosen, what)
        if len(fitted.verts) <= max_nodes:
            return fitted
        for depth in range(max(c.depth for c in clusters.items), -1, -1):
            deeper = chosen | {c.index for c in clusters.items if c.depth == depth}
            attempt = _collapse(plan, clusters.items, deeper, what)
            if len(attempt.verts) <= max_nodes:
                note = (
                    f"summarised: modules at depth {depth} collapsed to fit max_nodes={max_nodes}"
                )
                return _Plan(attempt.verts, attempt.edges, [*attempt.notes, note])
    kept, limit = 0, 0
    while limit < len(per_step) and kept + per_step[limit] + 1 <= max_nodes:
        kept += per_step[limit]
        limit += 1
    plan = build(limit)
    op_counts: dict[str, int] = {}
    for v in rec.order[limit:]:
        if isinstance(v, Node):
            name = v.op.name if what == "ops" else v.name()
            op_counts[name] = op_counts.get(name, 0) + 1
    top = sorted(op_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    dropped = total - kept

    def label() -> list[str]:
        lines = [f"… {dropped:,} more vertices ({toward})"]
        lines += [f"{name} ×{n:,}" for name, n in top[:8]]
        if len(top) > 8:
            lines.append(f"… and {len(top) - 8} more kinds of op")
        return lines

    edges = list(dict.fromkeys(plan.edges))  # several cut edges may now coincide
    note = (
        f"summarised: {total:,} vertices exceed max_nodes={max_nodes:,}; "
        f"showing the {len(plan.verts):,} nearest the output"
    )
    cut = _Plan([*plan.verts, _V(_MORE, "more", None, label)], edges, [*plan.notes, note])
    return _collapse(cut, clusters.items, chosen, what)


# ----------------------------------------------------------------------------- emitting DOT


def _quoted(lines: list[str]) -> str:
    """A DOT string of centred lines, with backslashes and quotes made literal."""
    split = [part for line in lines for part in line.split("\n")]
    text = "\\n".join(p.replace("\\", "\\\\").replace('"', '\\"') for p in split)
    return f'"{text}"'


def _attrs(attrs: dict[str, str]) -> str:
    # Our attribute values are fixed words and colours: they never need escaping.
    return " ".join(f'{k}="{v}"' for k, v in attrs.items())


def _emit(
    name: str,
    title: list[str],
    plan: _Plan,
    clusters: list[_Cluster],
    legend: list[tuple[str, str, dict[str, str]]] | None,
    rankdir: str,
) -> VizGraph:
    """DOT text, written line by line: graphviz's per-call quoting is too slow for 10⁵ vertices."""
    g = VizGraph(
        name=name,
        graph_attr={
            "rankdir": rankdir,
            "label": graphviz.nohtml(_quoted([*title, *plan.notes])[1:-1]),
            "labelloc": "t",
            "fontsize": "12",
            "fontname": "Helvetica",
        },
        node_attr={"fontsize": "11", "fontname": "Helvetica"},
        edge_attr={"fontsize": "9", "fontname": "Helvetica"},
    )
    used: set[int] = set()
    for v in plan.verts:
        up = v.cluster
        while up is not None and up not in used:  # a cluster is drawn if anything is inside it
            used.add(up)
            up = clusters[up].parent
    inside: dict[int | None, list[str]] = {None: []}
    for c in clusters:
        if c.index in used:
            inside[c.index] = []
    for v in plan.verts:
        attrs = _attrs({**_STYLE[v.kind], **v.extra})
        inside[v.cluster].append(f"\t{v.key} [label={_quoted(v.label())} {attrs}]\n")
    # Children into parents, deepest first, so a cluster's text is complete when it is copied.
    for c in sorted((c for c in clusters if c.index in used), key=lambda c: (-c.depth, c.index)):
        style = {"style": "rounded,dashed", "color": "#777777", "fontsize": "11"}
        head = f"\tgraph [label={_quoted([c.title])} {_attrs(style)}]\n"
        body = "".join("\t" + line for line in [head, *inside[c.index]])
        inside[c.parent].append(f"\tsubgraph cluster_{c.index} {{\n{body}\t}}\n")
    g.body.extend(inside[None])
    for tail, head_key, label in plan.edges:
        extra = f" [label={_quoted([label])}]" if label else ""
        g.body.append(f"\t{tail} -> {head_key}{extra}\n")
    if legend:
        lines = ['\t\tgraph [label="legend" style="rounded" color="#aaaaaa"]\n']
        lines += [f"\t\t{k} [label={_quoted([text])} {_attrs(st)}]\n" for k, text, st in legend]
        # Invisible edges stack the legend's entries instead of spreading them along a rank.
        lines += [
            f"\t\t{a} -> {b} [style=invis]\n" for (a, _, _), (b, _, _) in itertools.pairwise(legend)
        ]
        g.body.append("\tsubgraph cluster_legend {\n" + "".join(lines) + "\t}\n")
    return g


def _check_options(
    fn: str, max_nodes: int | None, max_values: int, rankdir: str, collapse_depth: int | None
) -> None:
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"{fn}(): max_nodes must be a positive int or None, got {max_nodes!r}")
    if not isinstance(max_values, int) or max_values < 0:
        raise ValueError(f"{fn}(): max_values must be a non-negative int, got {max_values!r}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"{fn}(): rankdir must be one of {_RANKDIRS}, got {rankdir!r}")
    if collapse_depth is not None and (not isinstance(collapse_depth, int) or collapse_depth < 0):
        raise ValueError(
            f"{fn}(): collapse_depth must be a non-negative int or None, got {collapse_depth!r}"
        )


def _fixed(lines: list[str]) -> Callable[[], list[str]]:
    return lambda: lines


def _with_grad(lines: list[str], prefix: str, grad: np.ndarray, max_values: int) -> list[str]:
    g_lines = summarize(grad, max_values=max_values)
    return [*lines, f"{prefix} {g_lines[0]}", *g_lines[1:]]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _gc_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with the cyclic garbage collector paused (its previous state restored after).

    A drawing allocates a few objects per vertex while the user's graph holds 10⁵ more, so the
    collector keeps rescanning them all: about half the time of a large drawing. Nothing here
    makes reference cycles, so nothing is left for the collector to find.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with autograd._gc_paused():  # the engine's own pause, used by backward too
            return fn(*args, **kwargs)

    return wrapper


# ----------------------------------------------------------------------------- forward graph


@_gc_paused
def draw_forward(
    output: Tensor,
    *,
    model: Any = None,
    names: Mapping[str, Tensor] | None = None,
    show_values: bool = True,
    show_grads: bool = True,
    run_backward: bool = False,
    collapse: Iterable[str] | str = (),
    collapse_depth: int | None = None,
    max_nodes: int | None = 500,
    max_values: int = 8,
    legend: bool = True,
    rankdir: str = "TB",
) -> VizGraph:
    """The forward graph of ``output``: data flowing from the inputs through the ops.

    Every recorded op is an ellipse; every tensor it reads or makes is a box showing its name
    (``fc1.weight`` from ``model.named_parameters()``, or a key of ``names``), shape, dtype and,
    if ``show_values``, its values (at most ``max_values`` elements) or min / mean / max. If
    ``show_grads``, a tensor's gradient is shown the same way when it is known: a leaf's
    ``.grad``, an intermediate's ``.grad`` after ``retain_grad()``, or with ``run_backward=True``
    every adjoint ∂F/∂t from a separate backward pass that leaves ``.grad`` untouched (see the
    module docstring). Edges into an op with several inputs carry the input's name in the op
    table's formula (x, y; c, x, y for where).

    Modules become clusters; ``collapse`` (module names as in ``model.named_modules()``) or
    ``collapse_depth`` (0 = the outermost modules) draws modules as one vertex each. Above
    ``max_nodes`` vertices (the legend does not count; None: no limit) the drawing summarises
    (module docstring).

    After a plain ``backward()`` the engine has released intermediate values; they are shown as
    released (draw before ``backward()``, or use ``backward(retain_graph=True)``).

    Returns a :class:`VizGraph` (a ``graphviz.Digraph``): ``.source`` is its DOT text,
    ``.save(path)`` writes it. Closest PyTorch tool: ``torchviz.make_dot``.
    """
    fn = "draw_forward"
    _check_options(fn, max_nodes, max_values, rankdir, collapse_depth)
    rec = _read(output, model, names, run_backward and show_grads, fn)
    clusters = _Clusters(rec)
    adj = rec.adjoint
    step = rec.step

    # How many vertices each step brings: a node its op and its output, a leaf itself, and a
    # no-grad input counts with its consumer nearest the output.
    per_step = [1] * len(rec.order)
    seen_inputs: set[int] = set()
    for i, v in enumerate(rec.order):
        if isinstance(v, Node):
            per_step[i] = 2
            for p, t in zip(v.parents, v.saved or ()):
                if p is None and id(t) not in seen_inputs:
                    seen_inputs.add(id(t))
                    per_step[i] += 1

    def tensor_label(
        title: str, shape: tuple[int, ...] | None, dtype: Any, data: np.ndarray | None,
        grad: np.ndarray | None,
    ) -> Callable[[], list[str]]:  # fmt: skip
        def label() -> list[str]:
            head = f"{_shape(shape)} {_dtype(dtype)}" if dtype is not None else _shape(shape)
            lines = [title, head] if title else [head]
            if show_values:
                lines += summarize(data, max_values=max_values)
            if show_grads and grad is not None:
                lines = _with_grad(lines, "grad", grad, max_values)
            return lines

        return label

    def constant_label(data: np.ndarray) -> Callable[[], list[str]]:
        return lambda: summarize(data, max_values=max_values) if show_values else ["constant"]

    def build(limit: int) -> _Plan:
        verts: list[_V] = []
        edges: list[_Edge] = []
        key_of: dict[int, str] = {}  # id(leaf) or id(node) → key of its tensor vertex
        leaf_vertex: dict[int, tuple[_V, Tensor]] = {}
        consumer_scopes: dict[int, list[tuple[Any, ...]]] = {}
        count = {"t": 0, "op": 0}

        def new_key(prefix: str) -> str:
            count[prefix] += 1
            return f"{prefix}{count[prefix] - 1}"

        def add_leaf(t: Tensor) -> str:
            known = key_of.get(id(t))
            if known is not None:
                return known
            pname = rec.user_names.get(id(t)) or rec.param_names.get(id(t))
            if t is output:
                kind = "output"
            elif t.requires_grad:
                kind = "parameter"
            else:
                kind = "input" if t.data.size > 1 or pname else "constant"
            if kind == "constant":
                label = constant_label(t.data)
            else:
                grad = None
                if t.requires_grad:
                    grad = adj.get(id(t)) if adj is not None else getattr(t._grad, "data", None)
                title = pname or ("output" if kind == "output" else "")
                label = tensor_label(title, t.shape, t.dtype, t.data, grad)
            brief = f"{pname} {_shape(t.shape)}" if pname and kind == "parameter" else ""
            v = _V(new_key("t"), kind, None, label, brief)
            leaf_vertex[id(t)] = (v, t)
            key_of[id(t)] = v.key
            verts.append(v)
            return v.key

        for v in reversed(rec.order[:limit]):  # forward order: every vertex before its consumers
            if not isinstance(v, Node):
                add_leaf(v)
                continue
            cluster = clusters.of(v.scope)
            in_keys: list[str | None] = []
            for i, p in enumerate(v.parents):
                t = v.saved[i] if v.saved is not None else None
                if p is not None and step[id(p)] >= limit:
                    in_keys.append(_MORE)  # made by a part of the graph the summary leaves out
                elif isinstance(p, Node):
                    in_keys.append(key_of[id(p)])
                elif p is not None or t is not None:
                    leaf = p if p is not None else t
                    assert leaf is not None
                    in_keys.append(add_leaf(leaf))
                    consumer_scopes.setdefault(id(leaf), []).append(v.scope)
                else:
                    in_keys.append(None)  # a no-grad input whose record backward() released
            op_key, out_key = new_key("op"), new_key("t")
            # an underscored keyword is an op's private state (ctc_loss's α pass), not an argument
            kw = "  ".join(
                f"{k}={_kwarg(val)}" for k, val in v.kwargs.items() if not k.startswith("_")
            )
            op_lines = [v.op.name, kw] if kw else [v.op.name]
            verts.append(_V(op_key, "op", cluster, _fixed(op_lines), op=v.op.name))
            arg_names = _input_names(len(v.parents), v.op.math) if len(v.parents) > 1 else [""]
            for i, k in enumerate(in_keys):
                if k is not None:
                    edges.append((k, op_key, arg_names[i]))
            tensor = rec.tensor_of.get(id(v))
            data = v.out if v.out is not None else getattr(tensor, "data", None)
            if adj is not None:
                grad = adj.get(id(v))
            else:
                grad = getattr(getattr(tensor, "_grad", None), "data", None)
            is_out = tensor is output
            title = rec.user_names.get(id(v)) or ("output" if is_out else "")
            shape = data.shape if data is not None else None
            dtype = data.dtype if data is not None else None
            kind = "output" if is_out else "intermediate"
            verts.append(_V(out_key, kind, cluster, tensor_label(title, shape, dtype, data, grad)))
            edges.append((op_key, out_key, ""))
            key_of[id(v)] = out_key

        for leaf_id, (lv, t) in leaf_vertex.items():
            lv.cluster = _leaf_cluster(rec, clusters, t, consumer_scopes.get(leaf_id, []))
        return _Plan(verts, edges, [])

    plan = _fit(
        build, per_step, rec, clusters, collapse, collapse_depth, max_nodes, "ops",
        "nearer the inputs",
    )  # fmt: skip
    if rec.released:
        plan.notes.insert(
            0,
            "intermediate values, and the inputs that need no grad, were released by "
            "backward(); draw before it, or call backward(retain_graph=True), to see them",
        )
    if rec.changed:
        plan.notes.insert(0, _CHANGED_NOTE)
    legend_items = None
    if legend:
        legend_items = [
            ("legend_input", "input (no grad)", _STYLE["input"]),
            ("legend_constant", "constant", _STYLE["constant"]),
            ("legend_parameter", "parameter / leaf\n(requires grad)", _STYLE["parameter"]),
            ("legend_intermediate", "intermediate", _STYLE["intermediate"]),
            ("legend_output", "output", _STYLE["output"]),
            ("legend_op", "op", _STYLE["op"]),
        ]
        if any(v.kind == "module" for v in plan.verts):
            legend_items.append(("legend_module", "collapsed module", _STYLE["module"]))
    title = ["forward graph: data flows from the inputs to the output"]
    return _emit("forward", title, plan, clusters.items, legend_items, rankdir)


# ----------------------------------------------------------------------------- backward graph


@_gc_paused
def draw_backward(
    output: Tensor,
    *,
    model: Any = None,
    names: Mapping[str, Tensor] | None = None,
    show_math: bool = True,
    show_grads: bool = True,
    run_backward: bool = False,
    collapse: Iterable[str] | str = (),
    collapse_depth: int | None = None,
    max_nodes: int | None = 500,
    max_values: int = 8,
    legend: bool = True,
    rankdir: str = "TB",
) -> VizGraph:
    """The backward graph of ``output``: the ``grad_fn`` vertices gradients flow through.

    Vertices are the recorded nodes (torch names such as ``MulBackward``; with ``show_math``
    their derivative rule from the op table) and the leaves that receive ``.grad`` (named from
    ``model.named_parameters()`` or ``names``). Edges point the way gradients flow, from the
    output's ``grad_fn`` to the leaves, labelled with the input they feed (x̄, ȳ, …) and the
    gradient's shape. Each vertex shows its step, its index in ``autograd.toposort``: the dynamic
    program visits vertices in increasing step, every consumer before what it consumes. A vertex
    with several incoming edges (fan-out in the forward pass) has a double border and says how
    many gradients are summed into its adjoint.

    If ``show_grads``: leaves show their ``.grad``; with ``run_backward=True`` every vertex shows
    the adjoint ḡ it receives and small gradients label the edges, from a separate backward pass
    that leaves ``.grad`` untouched (module docstring). ``collapse``, ``collapse_depth``,
    ``max_nodes`` and the return value are as in :func:`draw_forward`.

    Closest PyTorch tool: ``torchviz.make_dot(loss)``, which draws this graph without values,
    steps or sums.
    """
    fn = "draw_backward"
    _check_options(fn, max_nodes, max_values, rankdir, collapse_depth)
    rec = _read(output, model, names, run_backward and show_grads, fn)
    clusters = _Clusters(rec)
    adj = rec.adjoint
    step = rec.step

    fan_in: dict[int, int] = {}
    consumer_scopes: dict[int, list[tuple[Any, ...]]] = {}
    for v in rec.order:
        if isinstance(v, Node):
            for p in v.parents:
                if p is not None:
                    fan_in[id(p)] = fan_in.get(id(p), 0) + 1
                    if not isinstance(p, Node):
                        consumer_scopes.setdefault(id(p), []).append(v.scope)

    def key(v: Any) -> str:
        s = step[id(v)]
        return f"n{s}" if isinstance(v, Node) else f"leaf{s}"

    def sums(n: int) -> list[str]:
        return [f"Σ of {n} incoming gradients"] if n > 1 else []

    def node_label(node: Node, s: int, n_in: int) -> Callable[[], list[str]]:
        def label() -> list[str]:
            lines = [node.name(), f"step {s}" + ("  (seed ḡ = 1)" if s == 0 else "")]
            if show_math:
                lines += [part.strip() for part in node.op.math.split(";")]
            if show_grads and adj is not None and id(node) in adj:
                lines = _with_grad(lines, "ḡ", adj[id(node)], max_values)
            return lines + sums(n_in)

        return label

    def leaf_label(t: Tensor, s: int, n_in: int) -> Callable[[], list[str]]:
        def label() -> list[str]:
            title = rec.user_names.get(id(t)) or rec.param_names.get(id(t))
            if t is output:
                title = title or "output"
            lines = [title] if title else []
            lines += [f"{_shape(t.shape)} {_dtype(t.dtype)}", f"AccumulateGrad · step {s}"]
            if show_grads:
                grad = adj.get(id(t)) if adj is not None else getattr(t._grad, "data", None)
                if grad is not None:
                    lines = _with_grad(lines, ".grad", grad, max_values)
                else:
                    lines.append(".grad None (not computed yet)")
            return lines + sums(n_in)

        return label

    def build(limit: int) -> _Plan:
        verts: list[_V] = []
        edges: list[_Edge] = []
        for v in rec.order[:limit]:  # the order of the dynamic program: the output's first
            s = step[id(v)]
            n_in = fan_in.get(id(v), 0)
            extra = _FAN_IN if n_in > 1 else {}
            if not isinstance(v, Node):
                pname = rec.user_names.get(id(v)) or rec.param_names.get(id(v))
                brief = f"{pname} {_shape(v.shape)}" if pname else ""
                cluster = _leaf_cluster(rec, clusters, v, consumer_scopes.get(id(v), []))
                label = leaf_label(v, s, n_in)
                verts.append(_V(key(v), "leaf", cluster, label, brief, step=s, extra=extra))
                continue
            kind = "grad_fn_root" if s == 0 else "grad_fn"
            label = node_label(v, s, n_in)
            cluster = clusters.of(v.scope)
            verts.append(_V(key(v), kind, cluster, label, op=v.name(), step=s, extra=extra))
            names_in = _input_names(len(v.parents), v.op.math)
            for i, p in enumerate(v.parents):
                if p is None:
                    continue
                shape: tuple[int, ...] | None = None
                if v.saved is not None:
                    shape = v.saved[i].shape
                elif not isinstance(p, Node):
                    shape = p.shape
                elif p.out is not None:
                    shape = p.out.shape
                text = f"{_bar(names_in[i])} {_shape(shape)}"
                sent = rec.edge_grads.get((id(v), i))
                if show_grads and sent is not None and sent.size <= max_values:
                    text += " = " + " ".join(summarize(sent, max_values=max_values))
                # An input the summary leaves out sends its edge to the vertex counting the rest.
                edges.append((key(v), key(p) if step[id(p)] < limit else _MORE, text))
        return _Plan(verts, edges, [])

    plan = _fit(
        build, [1] * len(rec.order), rec, clusters, collapse, collapse_depth, max_nodes,
        "grad_fns", "nearer the leaves",
    )  # fmt: skip
    if rec.released:
        plan.notes.insert(0, "saved values were released by backward(): some shapes are unknown")
    if rec.changed:
        plan.notes.insert(0, _CHANGED_NOTE)
    legend_items = None
    if legend:
        legend_items = [
            ("legend_root", "output's grad_fn: step 0,\nseeded with ḡ = 1", _STYLE["grad_fn_root"]),
            ("legend_grad_fn", "grad_fn (step k: visited k-th)", _STYLE["grad_fn"]),
            ("legend_leaf", "leaf receiving .grad", _STYLE["leaf"]),
            ("legend_fanin", "Σ: gradients from several\nconsumers are summed",
             {**_STYLE["grad_fn"], **_FAN_IN}),
        ]  # fmt: skip
        if any(v.kind == "module" for v in plan.verts):
            legend_items.append(("legend_module", "collapsed module", _STYLE["module"]))
    title = [
        "backward graph: gradients flow from the output to the leaves",
        "step = order of the dynamic program; each vertex after all of its consumers",
    ]
    return _emit("backward", title, plan, clusters.items, legend_items, rankdir)
