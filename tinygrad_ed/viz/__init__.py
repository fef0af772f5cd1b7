"""Pictures of the graph autograd records: forward and backward graphs, and the backprop explorer.

``draw_forward(output, model=...)`` draws data flowing from the inputs to ``output``;
``draw_backward(output, model=...)`` draws the ``grad_fn`` vertices gradients flow through, with
the step at which the dynamic program visits each one. Both return a ``graphviz.Digraph``
(a :class:`VizGraph`), which Jupyter shows inline; ``graph.save('forward.svg')`` or
``save(graph, path, format)`` writes svg, png, pdf or dot. Only rendering needs the Graphviz
``dot`` program; without it, rendering raises :class:`GraphvizNotFoundError`.

``explore`` (the in-browser backprop explorer, ``tinygrad_ed.viz.explorer``) is imported on first
access, so this package imports even where the explorer cannot.

From the shell: ``python -m tinygrad_ed.viz`` renders the graphs of a small example model
(``--out DIR``, default ``out/viz``); ``python -m tinygrad_ed.viz explore`` starts the explorer.

``make_dot(var, params=..., show_attrs=..., show_saved=...)`` is torchviz's, for code written
against it: the same vertices, colours and edges (``tinygrad_ed.viz.make_dot``).

PyTorch equivalent: ``torchviz.make_dot`` (backward graph only).
"""

from __future__ import annotations

import importlib
from typing import Any

from .graph import (
    FORMATS,
    GraphvizNotFoundError,
    VizGraph,
    dot_available,
    draw_backward,
    draw_forward,
    save,
    summarize,
)
from .make_dot import make_dot, make_dot_from_trace, resize_graph

# `explore` is deliberately not in __all__: `from tinygrad_ed.viz import *` must not import the
# explorer either.
__all__ = [
    "FORMATS",
    "GraphvizNotFoundError",
    "VizGraph",
    "dot_available",
    "draw_backward",
    "draw_forward",
    "make_dot",
    "make_dot_from_trace",
    "resize_graph",
    "save",
    "summarize",
]


def __getattr__(name: str) -> Any:
    # Lazy: a broken or missing explorer module must not break `import tinygrad_ed.viz`.
    if name == "explore":
        explorer = importlib.import_module(".explorer", __name__)
        value = explorer.explore
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
