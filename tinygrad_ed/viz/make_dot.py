"""torchviz's ``make_dot``, for code written against it: the backward graph of a tensor as
torchviz draws it, from the ``grad_fn`` API this library shares with torch.

``make_dot(var, params=None, show_attrs=False, show_saved=False, max_attr_chars=50)`` returns
a ``graphviz.Digraph`` (a :class:`~tinygrad_ed.viz.graph.VizGraph`, so ``.save`` works too) with
torchviz's vertices, colours and edges:

* a grey box per backward node (``grad_fn``, its ``next_functions``, down to the leaves'
  ``AccumulateGrad``), labelled with its name (torch's without the overload digit:
  ``MulBackward`` for ``MulBackward0``); with ``show_attrs``, a table of its non-tensor saved
  attributes (``_saved_dim``, ``_saved_keepdim``, …);
* light blue: the leaves that will receive ``.grad``, named from ``params`` (name → tensor);
* orange: saved tensors, a custom Function's always and the built-in nodes' ``_saved_*`` ones
  with ``show_saved``;
* green: the output(s); dark green, dotted: the base of an output that is a view.

Edges go from each input's node to its consumer (torchviz's direction, the forward one).
Unlike torchviz, vertex names follow the traversal order instead of ``id()`` (the same graph
always gives the same DOT text) and the traversal is a loop, not a recursion, so a chain of
100,000 ops draws without reaching Python's recursion limit (torchviz's does at ~1,000).

For the lecture's reading of the graph (the dynamic program's steps, adjoints, fan-out sums,
module clusters), :func:`~tinygrad_ed.viz.draw_backward` draws more.

PyTorch equivalent: ``torchviz.make_dot`` (torchviz 0.0.3), ``torchviz.make_dot_from_trace``
(which torchviz itself only refuses).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._autograd_function import saved_tensors_of
from ..autograd import Node
from ..tensor import Tensor
from .graph import VizGraph

__all__ = ["make_dot", "make_dot_from_trace", "resize_graph"]

_SAVED_PREFIX = "_saved_"
_NODE_ATTR = {
    "style": "filled",
    "shape": "box",
    "align": "left",
    "fontsize": "10",
    "ranksep": "0.1",
    "height": "0.2",
    "fontname": "monospace",
}


def make_dot(
    var: Tensor | tuple[Tensor, ...],
    params: Mapping[str, Tensor] | None = None,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
) -> VizGraph:
    """The backward graph of ``var`` (a tensor or a tuple of them) as ``torchviz.make_dot``
    draws it (module docstring); ``params`` names the leaves (``dict(model.named_parameters())``).
    """
    outputs = var if isinstance(var, tuple) else (var,)
    for i, t in enumerate(outputs):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"make_dot(): expected a Tensor or a tuple of Tensors, got "
                f"{type(t).__name__} at position {i}"
            )
    names: dict[int, str] = {}
    for k, v in (params or {}).items():
        if not isinstance(v, Tensor):
            raise TypeError(
                f"make_dot(): params must map names to Tensors, got {type(v).__name__} for {k!r}"
            )
        names[id(v)] = k
    return _Drawing(names, show_attrs, show_saved, max_attr_chars).draw(outputs)


def make_dot_from_trace(trace: Any) -> None:
    """torchviz's, which refuses: the trace graphs moved to TensorBoard."""
    raise NotImplementedError(
        "make_dot_from_trace(): this function has been moved to pytorch core and can be found "
        "here: https://pytorch.org/docs/stable/tensorboard.html (as in torchviz); there are no "
        "traces here: draw a tensor's backward graph with make_dot(tensor)"
    )


def resize_graph(dot: Any, size_per_element: float = 0.15, min_size: float = 12) -> None:
    """Set ``dot``'s size from its number of statements, at least ``min_size`` inches (in place,
    as torchviz's)."""
    size = max(min_size, len(dot.body) * size_per_element)
    dot.graph_attr.update(size=f"{size},{size}")


class _Drawing:
    """One drawing: the vertices seen, each object's vertex name (by traversal order), and the
    objects themselves (so that ``id()`` stays unique while the drawing runs: an
    ``AccumulateGrad`` lives only while referenced)."""

    def __init__(
        self, names: dict[int, str], show_attrs: bool, show_saved: bool, max_attr_chars: int
    ) -> None:
        self.names, self.show_attrs, self.show_saved = names, show_attrs, show_saved
        self.max_attr_chars = max_attr_chars
        self.dot = VizGraph(node_attr=_NODE_ATTR, graph_attr={"size": "12,12"})
        self.seen: set[int] = set()
        self.ids: dict[int, str] = {}
        self.alive: list[Any] = []

    def draw(self, outputs: tuple[Tensor, ...]) -> VizGraph:
        for t in outputs:
            self._add_output(t)
        resize_graph(self.dot)
        return self.dot

    def _id(self, obj: Any) -> str:
        key = id(obj)
        if key not in self.ids:
            self.ids[key] = str(len(self.ids))
            self.alive.append(obj)
        return self.ids[key]

    def _mark(self, obj: Any) -> bool:
        """Whether ``obj`` is new to the drawing (then it is seen from now on)."""
        if id(obj) in self.seen:
            return False
        self.seen.add(id(obj))
        self.alive.append(obj)
        return True

    def _tensor_label(self, t: Tensor, name: str | None = None) -> str:
        name = name or self.names.get(id(t), "")
        return f"{name}\n ({', '.join(str(int(s)) for s in t.shape)})"

    def _add_output(self, t: Tensor, color: str = "darkolivegreen1") -> None:
        # torchviz's add_base_tensor: the output, its graph, then the base it is a view of (a
        # base is never a view here, so this recurses once at most)
        if not self._mark(t):
            return
        self.dot.node(self._id(t), self._tensor_label(t), fillcolor=color)
        if t.grad_fn is not None:
            self._add_nodes(t.grad_fn)
            self.dot.edge(self._id(t.grad_fn), self._id(t))
        if t._base is not None:
            self._add_output(t._base, color="darkolivegreen3")
            self.dot.edge(self._id(t._base), self._id(t), style="dotted")

    def _add_nodes(self, root: Any) -> None:
        """torchviz's recursive add_nodes as a loop over a stack of child iterators, emitting
        the same statements in the same order: a node's saved tensors and leaf, the node, then
        for each next function the edge into the node followed by that function's subgraph."""
        stack: list[Iterator[Any]] = []
        if self._visit(root):
            stack.append(self._children(root))
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                continue
            child, fn = step
            if child is None:  # the node's own custom-Function saved tensors, after its children
                self._add_function_saved(fn)
                continue
            self.dot.edge(self._id(child), self._id(fn))
            if self._visit(child):
                stack.append(self._children(child))

    def _children(self, fn: Any) -> Iterator[tuple[Any, Any]]:
        for u, _ in getattr(fn, "next_functions", ()):
            if u is not None:
                yield u, fn
        yield None, fn

    def _visit(self, fn: Any) -> bool:
        """Draw ``fn`` itself (with its saved tensors and leaf) if new; whether it was."""
        if not self._mark(fn):
            return False
        if self.show_saved:
            for attr, val in self._saved(fn):
                for name, t in self._tensors(attr, val):
                    self._mark(t)
                    self.dot.edge(self._id(fn), self._id(t), dir="none")
                    self.dot.node(self._id(t), self._tensor_label(t, name), fillcolor="orange")
        leaf = getattr(fn, "variable", None)
        if leaf is not None:
            self._mark(leaf)
            self.dot.node(self._id(leaf), self._tensor_label(leaf), fillcolor="lightblue")
            self.dot.edge(self._id(leaf), self._id(fn))
        self.dot.node(self._id(fn), self._fn_label(fn))
        return True

    def _add_function_saved(self, fn: Any) -> None:
        for t in _function_saved(fn):
            if t is None:
                continue
            self._mark(t)
            self.dot.edge(self._id(t), self._id(fn), dir="none")
            self.dot.node(self._id(t), self._tensor_label(t), fillcolor="orange")

    @staticmethod
    def _saved(fn: Any) -> list[tuple[str, Any]]:
        return [
            (a[len(_SAVED_PREFIX) :], getattr(fn, a))
            for a in dir(fn)
            if a.startswith(_SAVED_PREFIX)
        ]

    @staticmethod
    def _tensors(attr: str, val: Any) -> list[tuple[str, Tensor]]:
        if isinstance(val, Tensor):
            return [(attr, val)]
        if isinstance(val, tuple):
            return [(f"{attr}[{i}]", t) for i, t in enumerate(val) if isinstance(t, Tensor)]
        return []

    def _fn_label(self, fn: Any) -> str:
        name = fn.name() if isinstance(fn, Node) else type(fn).__name__
        if not self.show_attrs:
            return name
        attrs: dict[str, str] = {}
        for attr, val in self._saved(fn):
            if isinstance(val, Tensor):
                attrs[attr] = "[saved tensor]"
            elif isinstance(val, tuple) and any(isinstance(t, Tensor) for t in val):
                attrs[attr] = "[saved tensors]"
            else:
                attrs[attr] = str(val)
        if not attrs:
            return name
        width = max(len(k) for k in attrs)
        cut = min(max(len(v) for v in attrs.values()), max(self.max_attr_chars, 3))
        rule = "-" * max(width + cut + 2, len(name))

        def shown(v: str) -> str:
            return v[: cut - 3] + "..." if len(v) > cut else v

        rows = "\n".join(f"{k:<{width}}: {shown(v):>{cut}}" for k, v in attrs.items())
        return f"{name}\n{rule}\n{rows}"


def _function_saved(fn: Any) -> tuple[Tensor | None, ...]:
    """A custom Function node's saved tensors (``ctx.saved_tensors``), or none."""
    return saved_tensors_of(fn) if isinstance(fn, Node) else ()
