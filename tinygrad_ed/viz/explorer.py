"""Backprop explorer: watch backward's dynamic program run, one vertex at a time, in a web page.

Backprop computes, for the output F and every vertex v of the recorded graph, the adjoint
v̄ = ∂F/∂v by the recurrence

    F̄ = 1,        v̄ = Σ_{consumers c of v}  vjp_{c,v}(c̄)

visiting the vertices in reverse topological order (``autograd.toposort``): every consumer of v
is processed before v, so v̄ is complete when it is read, and is computed once and reused by all
of v's own inputs. ``explore(F)`` replays that program with an observer and writes one
self-contained HTML page (no network, no external scripts or fonts) that steps through it:

* step 0 is the seed F̄ = ∂F/∂F = 1; step k (k ≥ 1) visits ``toposort(root)[k - 1]``;
* at each step the page highlights the vertex, shows its incoming (complete) adjoint ``g``, the
  local derivative rule of its op (``OpDef.math``), and the gradient sent to each input; where
  several consumers feed one vertex it shows the running sum ("2 of 3 contributions");
* finished vertices keep their stored gradient on the graph; a leaf's step shows its ``.grad``,
  so the last step shows every leaf's ``.grad`` exactly as ``backward()`` produces it.

The graph is drawn by the Graphviz ``dot`` binary as inline SVG, with one cluster per
``nn.Module`` (from ``Node.scope``) and parameter names from ``model.named_parameters()``;
without ``dot`` the page falls back to plain HTML boxes, one row per depth. The step list is
embedded as JSON (``<script type="application/json" id="steps">``) so that tests, and curious
users, can read exactly what the page shows.

The user's gradients are left alone: ``explore`` saves every leaf's ``.grad``, sets it to None,
replays the backward pass with ``retain_graph=True`` (so ``output.backward()`` still works
afterwards) and restores the saved ``.grad`` — calling it never accumulates anything. The page
therefore shows the gradients of *one* backward pass, i.e. what ``.grad`` holds after
``zero_grad(); output.backward()``. Hooks registered on tensors run as they do in ``backward()``
(so that the page shows the gradients backward would use), except ``retain_grad()``, which is
switched off for the replay so that an intermediate's ``.grad`` is left as it was too.

PyTorch equivalent: none. torchviz draws ``grad_fn`` graphs without values or gradients, and no
tool steps through the backward pass itself.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import importlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from tinygrad_ed import autograd
from tinygrad_ed._graph_hooks import PostAccumulateGradHook
from tinygrad_ed.autograd import Node
from tinygrad_ed.tensor import Tensor, _RetainGrad
from tinygrad_ed.viz._cli import non_negative_float, positive_int
from tinygrad_ed.viz.graph import GraphvizNotFoundError

__all__ = ["Recording", "digest", "example_mlp", "explore", "main", "record", "tensor_summary"]

Renderer = Literal["auto", "dot", "html"]

FULL_SIZE = 16
"""Tensors with at most this many elements are shown in full; larger ones are summarised."""
VALUES_SIZE = 256
"""Tensors with at most this many elements also embed their exact values in the JSON."""
HEAD = 6
"""How many leading entries a summary of a large tensor shows."""
DOT_TIMEOUT = 120
"""Seconds ``dot`` may take to lay out the graph before ``renderer='auto'`` falls back to HTML."""


# ----------------------------------------------------------------------------- value summaries


def _num(x: Any) -> float | str:
    """A JSON-safe number: JSON has no NaN or infinity, so those become strings."""
    f = float(x)
    return f if np.isfinite(f) else str(f)


def _digest(a: np.ndarray) -> str:
    """A fingerprint of the exact bytes, so that equality of large tensors can be checked."""
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:20]


def digest(a: np.ndarray) -> str:
    """The ``digest`` field of the page's summaries for array ``a`` (for tests and tools)."""
    return _digest(np.asarray(a))


def tensor_summary(a: np.ndarray) -> dict[str, Any]:
    """What the page shows of one tensor: small ones in full, large ones summarised.

    Every summary has the shape, dtype, min/mean/max (computed in float64), the first ``HEAD``
    entries, a SHA-256 ``digest`` of the exact bytes, a display ``text`` and a short form for the
    graph's badges; tensors of at most ``VALUES_SIZE`` elements also carry their exact ``values``
    (flattened, row-major; float32 and float64 round-trip through JSON exactly).
    """
    a = np.asarray(a)
    flat = a.ravel()
    out: dict[str, Any] = {"shape": list(a.shape), "dtype": str(a.dtype), "digest": _digest(a)}
    if a.size:
        f = flat.astype(np.float64)
        out.update(min=_num(f.min()), mean=_num(f.mean()), max=_num(f.max()))
    out["head"] = [_num(x) for x in flat[:HEAD]]
    if a.size <= VALUES_SIZE:
        out["values"] = [_num(x) for x in flat]
    out["text"] = _text(a)
    out["short"] = _short(a)
    return out


def _g(x: Any) -> str:
    return f"{float(x):.4g}"


def _text(a: np.ndarray) -> str:
    shape = "×".join(str(s) for s in a.shape) or "scalar"
    if a.size <= FULL_SIZE:
        if a.ndim == 0:
            return _g(a)
        body = np.array2string(
            a, precision=4, separator=", ", floatmode="maxprec", suppress_small=False
        )
        return f"shape {shape}\n{body}"
    f = a.astype(np.float64)
    head = ", ".join(_g(x) for x in a.ravel()[:HEAD])
    return (
        f"shape {shape} ({a.dtype}, {a.size} entries)\n"
        f"min {_g(f.min())}   mean {_g(f.mean())}   max {_g(f.max())}\n"
        f"first: [{head}, …]"
    )


def _short(a: np.ndarray) -> str:
    if a.size == 1:
        return _g(a.ravel()[0])
    if a.size == 0:
        return "empty"
    f = a.astype(np.float64)
    if f.min() == f.max():  # e.g. the adjoint of a mean: every entry the same
        return f"all {f.min():.4g}"
    return f"∈ [{f.min():.2g}, {f.max():.2g}]"


# ----------------------------------------------------------------------------- recording


@dataclass
class Recording:
    """One replayed backward pass, ready to be drawn: JSON-ready vertices and steps.

    ``vertices[i]`` is ``order[i]`` (``autograd.toposort(root)``); ``steps[0]`` is the seed and
    ``steps[k]`` visits ``vertices[k - 1]``. ``modules`` lists the clusters (module scopes).
    """

    order: list[Any]
    vertices: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    modules: list[dict[str, Any]]


def _infer_model(order: Sequence[Any]) -> Any:
    """The one outermost module every recorded op ran inside, if there is one."""
    outer = {id(v.scope[0]): v.scope[0] for v in order if isinstance(v, Node) and v.scope}
    if len(outer) == 1:
        (m,) = outer.values()
        if hasattr(m, "named_parameters"):
            return m
    return None


def _module_names(model: Any) -> dict[int, str]:
    """id(module) → dotted name ("" for the model itself), duck-typed on torch's API."""
    names: dict[int, str] = {}
    if model is None:
        return names
    if hasattr(model, "named_modules"):
        for name, m in model.named_modules():
            names.setdefault(id(m), name)
        return names
    stack: list[tuple[str, Any]] = [("", model)]
    while stack:  # iterative: module trees can be deep
        prefix, m = stack.pop()
        if id(m) in names:
            continue
        names[id(m)] = prefix
        if hasattr(m, "named_children"):
            children = list(m.named_children())
        else:
            children = [
                (k, c)
                for k, c in vars(m).items()
                if hasattr(c, "named_parameters") and not isinstance(c, Tensor)
            ]
        for k, c in reversed(children):
            stack.append((f"{prefix}.{k}" if prefix else k, c))
    return names


def _param_ids(m: Any, cache: dict[int, set[int]]) -> set[int]:
    if id(m) not in cache:
        params = m.parameters() if hasattr(m, "parameters") else ()
        cache[id(m)] = {id(p) for p in params}
    return cache[id(m)]


def record(output: Tensor, *, model: Any = None, gradient: Any = None) -> Recording:
    """Replay ``output``'s backward pass and record every step of the dynamic program.

    The leaves' ``.grad`` are saved, cleared, and restored afterwards; the graph is retained.
    ``model`` (an ``nn.Module``, or anything with ``named_parameters()``) names parameters and
    modules; when omitted, the one outermost module the ops ran in is used, if any.
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"explore(): expected a Tensor, got {type(output).__name__}")
    if not output.requires_grad:
        raise RuntimeError(
            "explore(): the output does not require grad and has no grad_fn: there is no "
            "backward pass to show (did it run under no_grad(), or on tensors without "
            "requires_grad=True?)"
        )
    seed = output._seed(gradient, "explore")  # Tensor.backward's rules for the seed
    root: Any = output._node if output._node is not None else output
    order = autograd.toposort(root)
    for v in order:
        if isinstance(v, Node) and (v.saved is None or v.out is None):
            raise RuntimeError(
                f"explore(): {v.name()} has already released its saved tensors: backward() "
                "frees the graph. Call explore() before backward(), or pass "
                "backward(retain_graph=True)."
            )
    index = {id(v): i for i, v in enumerate(order)}
    leaves = [v for v in order if not isinstance(v, Node)]

    # The observer sees each interior step: the node's complete adjoint (after its hooks) and
    # the per-input gradients, already summed back to the inputs' shapes.
    observed: dict[int, tuple[np.ndarray, list[np.ndarray | None]]] = {}

    def observer(node: Node, g: Tensor, input_grads: tuple[Tensor | None, ...]) -> None:
        observed[id(node)] = (g.data, [None if gi is None else gi.data for gi in input_grads])

    saved_grads = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = None
    # retain_grad() off for this pass: it would add the replayed gradient into an
    # intermediate's .grad, which (unlike a leaf's) cannot be restored; so are post-accumulate
    # hooks, which act on the replayed .grad (an optimizer step in backward would update the
    # model). Other hooks still run: they change the gradients the page shows.
    nodes = [v for v in order if isinstance(v, Node) and v.hooks]
    kept_hooks = [v.hooks or [] for v in nodes]
    for v, hooks in zip(nodes, kept_hooks):
        v.hooks = [h for h in hooks if type(h) is not _RetainGrad] or None
    hooked_leaves = [leaf for leaf in leaves if leaf._hooks]
    kept_leaf_hooks = [leaf._hooks or [] for leaf in hooked_leaves]
    for leaf, hooks in zip(hooked_leaves, kept_leaf_hooks):
        leaf._hooks = [h for h in hooks if type(h) is not PostAccumulateGradHook] or None
    try:
        if isinstance(root, Node):
            autograd.backprop(
                {root: seed},
                retain_graph=True,
                create_graph=False,
                wrap=Tensor._make,
                observer=observer,
            )
        else:  # the output is itself a leaf: backward only stores the seed
            output.backward(seed)
        final = {id(leaf): None if leaf.grad is None else leaf.grad.data for leaf in leaves}
    finally:
        for leaf, g in zip(leaves, saved_grads):
            leaf.grad = g
        for v, hooks in zip(nodes, kept_hooks):
            v.hooks = hooks
        for leaf, hooks in zip(hooked_leaves, kept_leaf_hooks):
            leaf._hooks = hooks

    if model is None:
        model = _infer_model(order)
    param_names: dict[int, str] = {}
    if model is not None and hasattr(model, "named_parameters"):
        param_names = {id(p): name for name, p in model.named_parameters()}
    modules, scope_of = _clusters(order, model)
    vertices = [_vertex(i, v, index, param_names, scope_of[i]) for i, v in enumerate(order)]
    steps = _steps(order, index, vertices, seed.data, observed, final)
    return Recording(order=order, vertices=vertices, steps=steps, modules=modules)


def _clusters(order: Sequence[Any], model: Any) -> tuple[list[dict[str, Any]], list[int | None]]:
    """One cluster per module scope (nested as the modules are); each vertex's innermost one.

    An op belongs to the modules whose forward was running (``Node.scope``); a parameter to the
    innermost module of its first consumer that owns it, so ``fc1.weight`` sits inside ``fc1``.
    """
    names = _module_names(model)
    cache: dict[int, set[int]] = {}
    key_of: dict[tuple[int, ...], int] = {}
    modules: list[dict[str, Any]] = []

    def cluster(scope: tuple[Any, ...]) -> int | None:
        parent: int | None = None
        for depth in range(1, len(scope) + 1):
            key = tuple(id(m) for m in scope[:depth])
            if key not in key_of:
                m = scope[depth - 1]
                name = names.get(id(m))
                kind = type(m).__name__
                label = f"{name} ({kind})" if name else kind
                key_of[key] = len(modules)
                modules.append({"id": f"cluster_{len(modules)}", "label": label, "parent": parent})
            parent = key_of[key]
        return parent

    first_consumer: dict[int, Node] = {}
    for v in order:
        if isinstance(v, Node):
            for p in v.parents:
                if p is not None and not isinstance(p, Node):
                    first_consumer.setdefault(id(p), v)
    scope_of: list[int | None] = []
    for v in order:
        if isinstance(v, Node):
            scope_of.append(cluster(v.scope))
            continue
        owner: tuple[Any, ...] = ()
        c = first_consumer.get(id(v))
        if c is not None:
            for depth in range(len(c.scope), 0, -1):
                if id(v) in _param_ids(c.scope[depth - 1], cache):
                    owner = c.scope[:depth]
                    break
        scope_of.append(cluster(owner))
    return modules, scope_of


def _vertex(
    i: int, v: Any, index: dict[int, int], param_names: dict[int, str], cluster: int | None
) -> dict[str, Any]:
    if isinstance(v, Node):
        assert v.out is not None  # checked in record(): the graph is retained
        shape = "×".join(str(s) for s in v.out.shape) or "scalar"
        return {
            "id": f"v{i}",
            "index": i,
            "step": i + 1,
            "kind": "node",
            "label": v.name(),
            "op": v.op.name,
            "math": v.op.math,
            "shape": list(v.out.shape),
            "shape_text": shape,
            "dtype": str(v.out.dtype),
            "cluster": cluster,
            "value": tensor_summary(v.out),
            "inputs": [None if p is None else index[id(p)] for p in v.parents],
        }
    shape = "×".join(str(s) for s in v.shape) or "scalar"
    name = param_names.get(id(v))
    return {
        "id": f"v{i}",
        "index": i,
        "step": i + 1,
        "kind": "leaf",
        "label": name if name is not None else "leaf",
        "param": name,
        "op": None,
        "math": "x.grad += x̄",
        "shape": list(v.shape),
        "shape_text": shape,
        "dtype": str(v.dtype),
        "cluster": cluster,
        "value": tensor_summary(v.data),
        "inputs": [],
    }


def _steps(
    order: Sequence[Any],
    index: dict[int, int],
    vertices: Sequence[dict[str, Any]],
    seed: np.ndarray,
    observed: dict[int, tuple[np.ndarray, list[np.ndarray | None]]],
    final: dict[int, np.ndarray | None],
) -> list[dict[str, Any]]:
    """The seed step, then one step per vertex in the engine's order, with the running sums.

    The sums are added in the engine's order and with the same numpy operation (``prev + gi``),
    so every running sum the page shows is bit-for-bit the value the engine's dict holds.
    """
    sums: dict[int, np.ndarray] = {0: seed}
    counts: dict[int, int] = {0: 1}
    seed_send = {
        "input": 0,
        "to": 0,
        "to_id": "v0",
        "grad": tensor_summary(seed),
        "sum": tensor_summary(seed),
        "count": 1,
    }
    steps: list[dict[str, Any]] = [
        {
            "step": 0,
            "kind": "seed",
            "vertex": None,
            "id": "seed",
            "title": f"Seed: F̄ = ∂F/∂F = 1, sent to {vertices[0]['label']}",
            "rule": "F̄ = ∂F/∂F = 1  (the seed: F depends on itself with slope one)",
            "g": tensor_summary(seed),
            "sends": [seed_send],
        }
    ]
    for i, v in enumerate(order):
        vx = vertices[i]
        step: dict[str, Any] = {"step": i + 1, "vertex": i, "id": vx["id"], "rule": vx["math"]}
        where = f"step {i + 1} of {len(order)}"
        if not isinstance(v, Node):
            g = sums.get(i)
            grad = final[id(v)]
            step.update(
                kind="leaf",
                title=f"{vx['label']} (a leaf, {where}): its adjoint is complete and is "
                "stored in .grad",
                g=None if g is None else tensor_summary(g),
                grad=None if grad is None else tensor_summary(grad),
                sends=[],
            )
            steps.append(step)
            continue
        if id(v) not in observed:  # no differentiable path from here to F
            step.update(kind="none", title=f"{vx['label']} ({where}): no gradient reaches it")
            step.update(g=None, sends=[])
            steps.append(step)
            continue
        g_node, input_grads = observed[id(v)]
        sends: list[dict[str, Any]] = []
        for j, (p, gi) in enumerate(zip(v.parents, input_grads)):
            send: dict[str, Any] = {"input": j, "to": None, "to_id": None, "grad": None}
            if p is not None:
                t = index[id(p)]
                send.update(to=t, to_id=f"v{t}")
                if gi is not None:
                    prev = sums.get(t)
                    sums[t] = gi if prev is None else prev + gi
                    counts[t] = counts.get(t, 0) + 1
                    send.update(
                        grad=tensor_summary(gi), sum=tensor_summary(sums[t]), count=counts[t]
                    )
            sends.append(send)
        step.update(
            kind="node",
            title=f"Visiting {vx['label']} ({where}): all its consumers are done, so its "
            "adjoint is complete",
            g=tensor_summary(g_node),
            sends=sends,
        )
        steps.append(step)
    # How many contributions each vertex receives in all: the denominators of the running sums.
    for step in steps:
        for send in step["sends"]:
            if send.get("count") is not None:
                send["of"] = counts[send["to"]]
    return steps


# ----------------------------------------------------------------------------- drawing


def _dot_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# Room reserved on each vertex for the gradient the page writes in as the program runs: dot
# sizes the box from the label, so the placeholder is as wide as a typical short summary.
_PENDING = {"node": "ḡ: not yet" + " " * 22, "leaf": ".grad: not yet" + " " * 18}


def _dot_source(rec: Recording) -> str:
    """The backward graph in DOT: the seed on top, gradients flowing down, one cluster a module."""
    font = "Helvetica,Arial,sans-serif"
    lines = [
        "digraph backprop {",
        f'  graph [rankdir=TB, nodesep=0.25, ranksep=0.3, fontname="{font}", fontsize=11, '
        'bgcolor="transparent", id="graph0"];',
        # dot's network simplex and crossing minimisation grow fast with long edges (a weight
        # shared by many steps): past a few dozen vertices, bound their effort.
        *(["  graph [nslimit=2, nslimit1=2, mclimit=0.1];"] if len(rec.vertices) > 60 else []),
        f'  node [fontname="{font}", fontsize=10, style=filled, fillcolor="white", '
        'color="#5b6478", penwidth=1.2, margin="0.12,0.04"];',
        '  edge [color="#8a93a6", arrowsize=0.6];',
        '  seed [id="seed", shape=box, style="rounded,filled", fillcolor="#fdf3d8", '
        'label="F̄ = ∂F/∂F = 1\\nseed (step 0)"];',
    ]
    members: dict[int | None, list[dict[str, Any]]] = {}
    for vx in rec.vertices:
        members.setdefault(vx["cluster"], []).append(vx)
    children: dict[int | None, list[int]] = {}
    for c, m in enumerate(rec.modules):
        children.setdefault(m["parent"], []).append(c)

    def vertex_line(vx: dict[str, Any], indent: str) -> str:
        label = f"{vx['label']}\nstep {vx['step']} · {vx['shape_text']}\n{_PENDING[vx['kind']]}"
        shape = 'shape=box, style="rounded,filled"' if vx["kind"] == "node" else "shape=ellipse"
        fill = "#ffffff" if vx["kind"] == "node" else "#eef3ff"
        return (
            f'{indent}{vx["id"]} [id="{vx["id"]}", {shape}, fillcolor="{fill}", '
            f"label={_dot_quote(label)}];"
        )

    def emit(cluster: int | None, depth: int) -> None:
        indent = "  " * (depth + 1)
        for c in children.get(cluster, []):
            m = rec.modules[c]
            shade = "#f3f5fa" if depth % 2 == 0 else "#e8ecf5"
            lines.append(f"{indent}subgraph {m['id']} {{")
            lines.append(
                f'{indent}  id="{m["id"]}"; label={_dot_quote(m["label"])}; '
                f'style="rounded,filled"; fillcolor="{shade}"; color="#aab3c8"; '
                'fontcolor="#3a4256";'
            )
            emit(c, depth + 1)
            lines.append(f"{indent}}}")
        for vx in members.get(cluster, []):
            lines.append(vertex_line(vx, indent))

    emit(None, 0)
    lines.append('  seed -> v0 [id="e_seed"];')
    for vx in rec.vertices:
        for j, t in enumerate(vx["inputs"]):
            if t is not None:
                lines.append(f'  {vx["id"]} -> v{t} [id="e{vx["index"]}_{j}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _render_svg(source: str, dot: str) -> str:
    """Run ``dot -Tsvg`` and make its output fit for inlining in HTML.

    The XML prolog and DOCTYPE go (the DOCTYPE names a URL; HTML needs neither), and so do the
    ``xmlns`` attributes: the HTML parser puts ``<svg>`` in the SVG namespace by itself, and the
    page must not mention a single http(s) address. The fixed size goes too: the page zooms.
    """
    proc = subprocess.run(
        [dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    svg = proc.stdout.decode("utf-8")
    svg = svg[svg.index("<svg") :]
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(xmlns(:\w+)?|width|height)="[^"]*"', "", head)
    return head + ' id="graph-svg">' + rest


def _html_graph(rec: Recording) -> str:
    """The fallback without Graphviz: one row of boxes per depth (longest path from the seed)."""
    depth = [0] * len(rec.vertices)
    for vx in rec.vertices:  # consumers come first, so a vertex's depth is final when read
        for t in vx["inputs"]:
            if t is not None:
                depth[t] = max(depth[t], depth[vx["index"]] + 1)
    rows: dict[int, list[str]] = {}
    for vx in rec.vertices:
        module = rec.modules[vx["cluster"]]["label"] if vx["cluster"] is not None else ""
        targets = ", ".join(f"v{t}" for t in vx["inputs"] if t is not None)
        rows.setdefault(depth[vx["index"]], []).append(
            f'<div class="vx {vx["kind"]}" id="{vx["id"]}">'
            f"<b>{html.escape(vx['label'])}</b>"
            f'<span class="meta">{vx["id"]} · step {vx["step"]} · {vx["shape_text"]}'
            f"{' · ' + html.escape(module) if module else ''}</span>"
            f'<span class="badge">{_PENDING[vx["kind"]].strip()}</span>'
            f"{f'<span class=meta>→ {targets}</span>' if targets else ''}</div>"
        )
    body = [
        '<div class="flat"><div class="row"><div class="vx seed" id="seed">'
        "<b>F̄ = ∂F/∂F = 1</b><span class=meta>seed (step 0)</span></div></div>"
    ]
    body += [f'<div class="row">{"".join(rows[d])}</div>' for d in sorted(rows)]
    body.append("</div>")
    return "\n".join(body)


def _json_block(element_id: str, data: Any) -> str:
    # "<" escaped as \u003c: a string in the data can then never close the script element.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def explore(
    output: Tensor,
    path: str | Path = "backprop.html",
    *,
    model: Any = None,
    gradient: Any = None,
    renderer: Renderer = "auto",
    title: str | None = None,
) -> Path:
    """Write a self-contained web page that steps through ``output``'s backward pass.

    ``output`` is the F of ``F.backward()`` (a one-element tensor, or pass ``gradient=`` the
    seed F̄ as for ``Tensor.backward``); ``model`` names parameters and groups ops by module.
    ``renderer`` picks the graph drawing: ``"dot"`` (Graphviz's ``dot`` binary, inline SVG),
    ``"html"`` (plain boxes, no Graphviz needed) or ``"auto"`` (dot when installed). The leaves'
    ``.grad`` are left as they were (see the module docstring). Returns the path written.

    PyTorch equivalent: none; the nearest is drawing ``grad_fn`` with torchviz.
    """
    rec = record(output, model=model, gradient=gradient)
    dot = shutil.which("dot")
    if renderer == "dot" and dot is None:
        raise GraphvizNotFoundError(
            "explore(renderer='dot'): the Graphviz 'dot' binary is not on PATH; install "
            "Graphviz (apt install graphviz, brew install graphviz, or conda install graphviz) "
            "or use renderer='html'"
        )
    if renderer not in ("auto", "dot", "html"):
        raise ValueError(f"explore(): renderer must be 'auto', 'dot' or 'html', got {renderer!r}")
    note = ""
    svg = None
    if renderer != "html" and dot is not None:
        try:
            svg = _render_svg(_dot_source(rec), dot)
        except subprocess.TimeoutExpired:
            if renderer == "dot":
                raise RuntimeError(
                    f"explore(): dot took more than {DOT_TIMEOUT} s to lay out "
                    f"{len(rec.vertices)} vertices; use renderer='html'"
                ) from None
            note = f"dot took more than {DOT_TIMEOUT} s: the graph is shown as plain boxes."
    if svg is not None:
        graph_html = svg
        used = "dot"
    else:
        graph_html = _html_graph(rec)
        used = "html"
        if renderer == "auto" and not note:
            note = "Graphviz's dot was not found: the graph is shown as plain boxes."
    graph_data = {
        "vertices": rec.vertices,
        "modules": rec.modules,
        "renderer": used,
        "note": note,
    }
    page_title = title or f"Backprop explorer: {len(rec.vertices)} vertices"
    replacements = {
        "__TITLE__": html.escape(page_title),
        "__GRAPH__": graph_html,
        "__GRAPH_JSON__": _json_block("graph", graph_data),
        "__STEPS_JSON__": _json_block("steps", rec.steps),
    }
    page = re.sub("|".join(replacements), lambda m: replacements[m.group(0)], _TEMPLATE)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


# ----------------------------------------------------------------------------- the example


class _Linear:
    """``y = x Wᵀ + b`` on raw Tensors, used only when ``tinygrad_ed.nn`` is not available."""

    def __init__(self, fan_in: int, fan_out: int, rng: np.random.Generator) -> None:
        bound = 1.0 / np.sqrt(fan_in)  # torch's default initialization of nn.Linear
        w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        self.weight = Tensor(w, requires_grad=True)
        self.bias = Tensor(rng.uniform(-bound, bound, fan_out).astype(np.float32), True)

    def named_parameters(self) -> Iterable[tuple[str, Tensor]]:
        return [("weight", self.weight), ("bias", self.bias)]

    def parameters(self) -> list[Tensor]:
        return [self.weight, self.bias]

    def __call__(self, x: Tensor) -> Tensor:
        with autograd.scope(self):  # what nn.Module.__call__ does, so viz can cluster by module
            return x @ self.weight.T + self.bias


class _MLP:
    """``fc2(relu(fc1(x)))`` on raw Tensors, with the ``nn.Module`` naming API viz reads."""

    def __init__(self, hidden: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.fc1 = _Linear(64, hidden, rng)
        self.fc2 = _Linear(hidden, 10, rng)

    def named_modules(self) -> Iterable[tuple[str, Any]]:
        return [("", self), ("fc1", self.fc1), ("fc2", self.fc2)]

    def named_parameters(self) -> Iterable[tuple[str, Tensor]]:
        return [
            (f"{m}.{n}", p) for m in ("fc1", "fc2") for n, p in getattr(self, m).named_parameters()
        ]

    def parameters(self) -> list[Tensor]:
        return [p for _, p in self.named_parameters()]

    def __call__(self, x: Tensor) -> Tensor:
        with autograd.scope(self):
            return self.fc2(self.fc1(x).relu())


# The page labels clusters with the class name: show these as the nn classes they stand for.
_Linear.__name__ = "Linear"
_MLP.__name__ = "MLP"


def _nn_mlp(hidden: int, seed: int) -> Any:
    """The same MLP from ``tinygrad_ed.nn``, or None while that package does not exist."""
    try:
        nn: Any = importlib.import_module("tinygrad_ed.nn")
    except ImportError:
        return None
    if not all(hasattr(nn, n) for n in ("Module", "Linear")):
        return None

    class MLP(nn.Module):  # type: ignore[misc]  # nn is imported dynamically, hence Any
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = nn.Linear(64, hidden)
            self.fc2 = nn.Linear(hidden, 10)

        def forward(self, x: Tensor) -> Tensor:
            return self.fc2(self.fc1(x).relu())  # type: ignore[no-any-return]

    import tinygrad_ed

    tinygrad_ed.manual_seed(seed)
    return MLP()


def example_mlp(
    batch: int = 8, hidden: int = 16, seed: int = 0, l2: float = 1e-3, *, use_nn: bool = True
) -> tuple[Tensor, Any]:
    """The bundled example: a 64-``hidden``-10 MLP's loss on one batch of digits.

    The loss is the lecture's: cross-entropy plus ``l2 · Σ w²`` over both weight matrices, so
    each weight has three consumers (its use in the layer and the two inputs of ``w·w``) and the
    explorer shows a running sum. Returns ``(loss, model)``. Pixels are scaled to [0, 1]; the
    model comes from ``tinygrad_ed.nn`` when it exists (and ``use_nn``), else from raw Tensors
    with the same parameter names and module scopes.
    """
    from tinygrad_ed import functional
    from tinygrad_ed.data import load_digits

    X, y = load_digits()
    model = _nn_mlp(hidden, seed) if use_nn else None
    if model is None:
        model = _MLP(hidden, seed)
    x = Tensor((X[:batch] / 16.0).astype(np.float32))
    loss = functional.cross_entropy(model(x), y[:batch])
    if l2:
        loss = loss + functional.l2_penalty([model.fc1.weight, model.fc2.weight], l2)
    return loss, model


def main(argv: list[str] | None = None) -> int:
    """``python -m tinygrad_ed.viz explore``: write the explorer page of the example model."""
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_ed.viz explore",
        description="Write a web page that steps through backprop on a small digits MLP.",
    )
    parser.add_argument("--out", default="out", help="output folder (default: out/)")
    parser.add_argument(
        "--batch", type=positive_int, default=8, help="digits in the batch (default 8)"
    )
    parser.add_argument("--hidden", type=positive_int, default=16, help="hidden units (default 16)")
    parser.add_argument("--seed", type=int, default=0, help="initialization seed (default 0)")
    parser.add_argument(
        "--l2", type=non_negative_float, default=1e-3, help="L2 rate λ (default 0.001)"
    )
    parser.add_argument(
        "--raw", action="store_true", help="build the MLP from raw Tensors, not tinygrad_ed.nn"
    )
    parser.add_argument(
        "--renderer", choices=("auto", "dot", "html"), default="auto", help="graph drawing"
    )
    args = parser.parse_args(argv)
    loss, model = example_mlp(args.batch, args.hidden, args.seed, args.l2, use_nn=not args.raw)
    path = explore(
        loss,
        Path(args.out) / "backprop.html",
        model=model,
        renderer=args.renderer,
        title=f"Backprop explorer: MLP 64-{args.hidden}-10 on {args.batch} digits",
    )
    print(f"wrote {path}  (open it in a browser; ← and → step through backprop)")
    return 0


# The page: CSS, markup and script in one string (no package data to ship, nothing to fetch).
# Placeholders __TITLE__, __GRAPH__, __GRAPH_JSON__ and __STEPS_JSON__ are filled by explore().
_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<script>
  window.__errors = [];  // script errors, collected for the browser tests
  window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
</script>
<style>
:root {
  --cur: #ffb35c; --cur-line: #c0392b; --done: #bfe5c8; --ready: #cfe6ff;
  --partial: #fff0a0; --line: #dde1ea; --ink: #1f2430; --soft: #f4f5f9;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  display: flex; flex-direction: column; color: var(--ink); background: #fbfbfd;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
header { padding: 8px 14px 6px; border-bottom: 1px solid var(--line); background: #fff; }
h1 { font-size: 17px; margin: 0 0 6px; }
h2 { font-size: 15px; margin: 4px 0 8px; }
h3 { font-size: 13px; margin: 10px 0 2px; color: #3a4256; }
.controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.controls button { font: inherit; padding: 3px 10px; border: 1px solid #aab3c8;
                   border-radius: 5px; background: #fff; cursor: pointer; }
.controls button:disabled { opacity: .45; cursor: default; }
#slider { flex: 1; min-width: 180px; }
#step-label { font-variant-numeric: tabular-nums; min-width: 9em; }
.legend { display: flex; gap: 10px; flex-wrap: wrap; font-size: 12px; color: #5b6478; }
.legend i { display: inline-block; width: 12px; height: 12px; border: 1px solid #5b6478;
            border-radius: 3px; vertical-align: -2px; margin-right: 3px; }
main { flex: 1; display: flex; min-height: 0; }
#graph-pane { flex: 1 1 60%; overflow: auto; padding: 10px; background: #fff; }
#panel { flex: 0 0 min(42%, 540px); overflow: auto; padding: 8px 14px 20px;
         border-left: 1px solid var(--line); }
pre { background: var(--soft); padding: 6px 8px; border-radius: 4px; white-space: pre-wrap;
      margin: 2px 0 6px; font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; }
.note { font-size: 12px; color: #5b6478; margin: 2px 0; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { border-top: 1px solid var(--line); padding: 3px 4px; vertical-align: top;
         text-align: left; }
td pre { margin: 0; }
#graph-svg { display: block; margin: 0 auto; }
#graph-svg .node, .vx { cursor: pointer; }
#graph-svg g.node.current > :is(polygon, ellipse, path) {
  fill: var(--cur); stroke: var(--cur-line); stroke-width: 3px; }
#graph-svg g.node.done > :is(polygon, ellipse, path) { fill: var(--done); }
#graph-svg g.node.ready > :is(polygon, ellipse, path) { fill: var(--ready); }
#graph-svg g.node.partial > :is(polygon, ellipse, path) { fill: var(--partial); }
#graph-svg text.badge { fill: #1d5a30; font-style: italic; }
#graph-svg g.edge.flow > path { stroke: #d35400; stroke-width: 2.5px; }
#graph-svg g.edge.flow > polygon { fill: #d35400; stroke: #d35400; }
.flat .row { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 14px;
             justify-content: center; }
.vx { display: flex; flex-direction: column; min-width: 130px; padding: 4px 8px;
      border: 1.5px solid #5b6478; border-radius: 6px; background: #fff; font-size: 12px; }
.vx.leaf { border-radius: 18px; background: #eef3ff; }
.vx .meta { color: #5b6478; }
.vx .badge { color: #1d5a30; font-style: italic; }
.vx.current { background: var(--cur); border-color: var(--cur-line); border-width: 3px; }
.vx.done { background: var(--done); }
.vx.ready { background: var(--ready); }
.vx.partial { background: var(--partial); }
</style>
</head>
<body>
<header>
  <h1>__TITLE__</h1>
  <div class="controls">
    <button id="prev" title="previous step (←)">&#9664; Previous</button>
    <input id="slider" type="range" min="0" max="0" value="0" aria-label="step">
    <button id="next" title="next step (→)">Next &#9654;</button>
    <span id="step-label">Step 0</span>
    <span>zoom <button id="zoom-out">&minus;</button><button id="zoom-fit">fit</button><button
      id="zoom-in">+</button></span>
  </div>
  <div class="legend">
    <span><i style="background:var(--cur)"></i>visiting now</span>
    <span><i style="background:var(--done)"></i>finished: gradient stored</span>
    <span><i style="background:var(--ready)"></i>all contributions in, waiting</span>
    <span><i style="background:var(--partial)"></i>running sum, more to come</span>
    <span><i></i>nothing yet</span>
    <span>arrows: where each gradient is sent</span>
  </div>
</header>
<main>
<section id="graph-pane">
__GRAPH__
</section>
<aside id="panel">
  <h2 id="step-title" aria-live="polite"></h2>
  <p class="note" id="graph-note"></p>
  <h3>Incoming gradient &#7713; = &#8706;F/&#8706;out</h3>
  <p class="note" id="incoming-note"></p>
  <pre id="incoming"></pre>
  <h3>Local derivative rule</h3>
  <pre id="rule"></pre>
  <h3>Gradients sent to the inputs</h3>
  <div id="sends"></div>
  <h3>Forward value (out)</h3>
  <pre id="forward"></pre>
  <h3>Leaf gradients (.grad)</h3>
  <p class="note">At the last step every leaf holds exactly what <code>backward()</code>
    stores in <code>.grad</code>.</p>
  <table id="leaf-grads"></table>
  <h3>Inspect</h3>
  <div id="inspect" class="note">Click a vertex of the graph.</div>
  <h3>How to read this</h3>
  <p class="note">Backprop is a dynamic program: F&#772; = 1, and for every vertex v,
    v&#772; = &Sigma; over its consumers c of vjp(c&#772;). The vertices are visited in reverse
    topological order (the step numbers), so every consumer of v is done before v: v's gradient
    is complete when it is read, computed once, and reused by all of v's inputs.
    Keys: &larr; &rarr; step, Home / End jump.</p>
</aside>
</main>
__GRAPH_JSON__
__STEPS_JSON__
<script>
(function () {
  "use strict";
  var steps = JSON.parse(document.getElementById("steps").textContent);
  var graph = JSON.parse(document.getElementById("graph").textContent);
  var V = graph.vertices, N = steps.length - 1, k = 0, zoom = 1;
  function $(id) { return document.getElementById(id); }
  var slider = $("slider"), svg = $("graph-svg"), pane = $("graph-pane");
  slider.max = String(N);
  $("graph-note").textContent = graph.note;

  // A vertex's badge: the last label line in the SVG (dot reserved its width), or a span.
  var pending = {};
  function badge(id) {
    var el = $(id);
    if (!el) { return null; }
    var b = el.querySelector(".badge");
    if (b) { return b; }
    var texts = el.querySelectorAll("text");
    if (texts.length < 3) { return null; }
    b = texts[texts.length - 1];
    b.classList.add("badge");
    return b;
  }
  // Elements looked up once; render() then touches only what changed (big graphs stay fast).
  var els = V.map(function (v) { return $(v.id); });
  var badges = V.map(function (v) { return badge(v.id); });
  var shownCls = V.map(function () { return null; });
  var shownText = V.map(function () { return null; });
  V.forEach(function (v, i) { pending[v.id] = badges[i] ? badges[i].textContent : ""; });

  function moduleOf(v) { return v.cluster === null ? "" : graph.modules[v.cluster].label; }
  function nameOf(i) {
    var v = V[i], m = moduleOf(v);
    return v.label + " (" + v.id + (m ? ", in " + m : "") + ")";
  }
  function finished(v) {
    var s = steps[v.index + 1];
    if (v.kind === "leaf") { return s.grad ? ".grad " + s.grad.short : ".grad: none"; }
    return s.g ? "\u1e21 " + s.g.short : "\u1e21: none";
  }
  // The latest send into each vertex up to step k: its running sum and how many have come.
  function received(upto) {
    var recv = {};
    for (var j = 0; j <= upto; j++) {
      steps[j].sends.forEach(function (d) { if (d.grad && d.to !== null) { recv[d.to] = d; } });
    }
    return recv;
  }
  function setState(el, cls) {
    if (!el) { return; }
    ["current", "done", "ready", "partial"].forEach(function (c) {
      el.classList.toggle(c, c === cls);
    });
  }
  function cell(tr, text, isPre) {
    var td = document.createElement("td");
    if (isPre) {
      var pre = document.createElement("pre");
      pre.textContent = text;
      td.appendChild(pre);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
    return td;
  }
  function row(table, cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) { cell(tr, c[0], c[1]); });
    table.appendChild(tr);
    return tr;
  }

  function render() {
    var s = steps[k], recv = received(k);
    slider.value = String(k);
    $("prev").disabled = k === 0;
    $("next").disabled = k === N;
    $("step-label").textContent = "Step " + k + " / " + N;
    $("step-title").textContent = s.title;

    V.forEach(function (v, i) {
      var el = els[i], cls = "", text = pending[v.id], at = i + 1;
      if (at < k) { cls = "done"; text = finished(v); }
      else if (at === k) { cls = "current"; text = finished(v); }
      else if (recv[i]) {
        var d = recv[i];
        cls = d.count === d.of ? "ready" : "partial";
        text = d.of === 1 ? "\u1e21 " + d.sum.short  // complete: the colour says "waiting"
          : "\u03a3 " + d.count + "/" + d.of + " " + d.sum.short;
      }
      if (cls !== shownCls[i]) { setState(el, cls); shownCls[i] = cls; }
      if (text !== shownText[i] && badges[i]) { badges[i].textContent = text; shownText[i] = text; }
    });
    setState($("seed"), k === 0 ? "current" : "done");
    Array.prototype.forEach.call(document.querySelectorAll(".edge.flow"), function (e) {
      e.classList.remove("flow");
    });
    function flow(id) { var e = $(id); if (e) { e.classList.add("flow"); } }
    if (k === 0) { flow("e_seed"); }
    s.sends.forEach(function (d) { if (d.grad && s.vertex !== null) {
      flow("e" + s.vertex + "_" + d.input); } });

    var contrib = s.vertex === null ? null : recv[s.vertex];
    $("incoming-note").textContent = s.kind === "seed"
      ? "The seed: the output F's gradient with respect to itself."
      : s.g === null ? "No gradient reaches this vertex."
      : s.vertex === 0 ? "Complete: the output F itself, so its gradient is the seed F\u0304 = 1."
      : !contrib || contrib.of === 1 ? "Complete: its one consumer was visited earlier."
      : "Complete: the sum of the " + contrib.of + " contributions from its consumers, all "
        + "visited at earlier steps.";
    $("incoming").textContent = s.g ? s.g.text : "none";
    $("rule").textContent = s.rule;
    $("forward").textContent = s.vertex === null ? "F = " + V[0].value.text
      : V[s.vertex].value.text;

    var sends = $("sends");
    sends.textContent = "";
    var table = document.createElement("table");
    if (s.kind === "leaf") {
      row(table, [["x.grad (stored)", false], [s.grad ? s.grad.text : "none", true]]);
    } else if (s.sends.length === 0) {
      row(table, [["nothing to send", false]]);
    } else {
      row(table, [["to input", false], ["gradient sent", false],
                   ["running sum there", false]]);
      s.sends.forEach(function (d) {
        if (d.to === null) {
          row(table, [["input " + d.input + ": a constant", false],
                      ["needs no gradient", false], ["", false]]);
          return;
        }
        var sum = !d.grad ? "" : d.of === 1 ? "its only contribution: complete"
          : d.count + " of " + d.of + " contributions" +
            (d.count === d.of ? " (complete)" : "") + "\\n" + d.sum.text;
        row(table, [["input " + d.input + " \u2192 " + nameOf(d.to), false],
                    [d.grad ? d.grad.text : "no gradient flows", true], [sum, true]]);
      });
    }
    sends.appendChild(table);

    var leaves = $("leaf-grads");
    leaves.textContent = "";
    V.forEach(function (v, i) {
      if (v.kind !== "leaf") { return; }
      var vs = steps[i + 1], done = i + 1 <= k;
      var tr = row(leaves, [[v.label + " (" + v.id + ")", false],
        [done ? (vs.grad ? vs.grad.text : "none") : "not yet (step " + (i + 1) + ")", true]]);
      tr.setAttribute("data-id", v.id);
      if (done) { tr.className = "leaf-done"; }
    });

    var cur = $(s.id);
    if (cur && cur.scrollIntoView) {
      cur.scrollIntoView({block: "center", inline: "center"});
    }
  }

  function inspect(i) {
    var v = V[i], recv = received(k), at = i + 1, lines = [nameOf(i)];
    lines.push(v.kind === "node" ? "op " + v.op + ": " + v.math : "leaf tensor");
    lines.push("forward value: " + v.value.text);
    if (at <= k) { lines.push("stored gradient: " + finished(v)); }
    else if (recv[i]) {
      lines.push("running sum (" + recv[i].count + " of " + recv[i].of + "): "
                 + recv[i].sum.text);
    } else { lines.push("no gradient yet; visited at step " + at); }
    var pre = document.createElement("pre");
    pre.textContent = lines.join("\\n");
    $("inspect").textContent = "";
    $("inspect").appendChild(pre);
  }
  V.forEach(function (v, i) {
    var el = $(v.id);
    if (el) { el.addEventListener("click", function () { inspect(i); }); }
  });

  function go(j) {
    k = Math.max(0, Math.min(N, j));
    render();
  }
  $("prev").addEventListener("click", function () { go(k - 1); });
  $("next").addEventListener("click", function () { go(k + 1); });
  slider.addEventListener("input", function () { go(Number(slider.value)); });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }  // the slider steps itself with the arrow keys
    var to = {ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: N}[e.key];
    if (to !== undefined) { e.preventDefault(); go(to); }
  });

  // Zoom: the SVG keeps its aspect ratio; "fit" fits the pane's width.
  var vb = svg ? svg.viewBox.baseVal : null;
  function applyZoom() {
    if (!svg || !vb) { return; }
    svg.style.width = (vb.width * 4 / 3 * zoom) + "px";  // viewBox units are points
    svg.style.height = (vb.height * 4 / 3 * zoom) + "px";
  }
  function fit() {
    if (!vb) { return 1; }
    return Math.min(1, (pane.clientWidth - 24) / (vb.width * 4 / 3));
  }
  $("zoom-in").addEventListener("click", function () { zoom *= 1.25; applyZoom(); });
  $("zoom-out").addEventListener("click", function () { zoom /= 1.25; applyZoom(); });
  $("zoom-fit").addEventListener("click", function () { zoom = fit(); applyZoom(); });
  zoom = Math.max(0.35, fit());
  applyZoom();

  var m = /step=(\\d+)/.exec(window.location.hash);
  go(m ? Number(m[1]) : 0);
}());
</script>
</body>
</html>
"""


if __name__ == "__main__":
    raise SystemExit(main())
