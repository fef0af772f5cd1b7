"""``tinygrad_ed.viz.make_dot``: torchviz's drawing of the backward graph, for code written
against torchviz. Its statements equal torchviz's on the same computation in torch (vertex
names and ``BackwardN`` digits aside); without torch, its vertices and edges are the graph's
``grad_fn``/``next_functions`` structure, coloured as torchviz colours them."""

from __future__ import annotations

import re
import sys
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.viz import make_dot, make_dot_from_trace


def _statements(dot: Any) -> list[str]:
    """The DOT body with vertex names replaced by their order of first appearance and torch's
    overload digits dropped (``MulBackward0`` → ``MulBackward``)."""
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"v{len(names)}")

    out = []
    for line in dot.body:
        line = re.sub(r"^\d+\b|(?<=-> )\d+\b", rename, line.strip())
        out.append(re.sub(r"(Backward)\d+", r"\1", line))
    return out


def _model(lib: Any, show_saved: bool = False) -> tuple[list[str], Any]:
    """A small computation with fan-out, broadcasting, a permute, saved tensors and two named
    parameters, drawn by ``lib``'s make_dot (torchviz's for torch)."""
    W = lib.tensor(np.arange(6.0).reshape(2, 3) / 10, requires_grad=True)
    b = lib.tensor([0.1, -0.2], requires_grad=True)
    x = lib.tensor(np.ones((4, 3)))
    h = (x * 2).exp().sum(1, keepdim=True) * W.sum() + b + W.T.tanh().mean()
    y = h.relu().sum()
    draw = make_dot if lib is tg else pytest.importorskip("torchviz").make_dot
    return _statements(draw(y, params={"W": W, "b": b}, show_saved=show_saved)), y


# (torchviz 0.0.3 compares versions with distutils' LooseVersion, which warns)
TORCHVIZ = pytest.mark.filterwarnings("ignore:distutils Version classes:DeprecationWarning")


@TORCHVIZ
@pytest.mark.parametrize("show_saved", [False, True])
def test_statements_equal_torchvizs(show_saved: bool) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("torchviz")
    ours, _ = _model(tg, show_saved)
    theirs, _ = _model(torch, show_saved)
    assert ours == theirs


def _custom(lib: Any) -> list[str]:
    """A custom Function whose ctx saves its input (an intermediate) and its output."""

    class Cube(lib.autograd.Function):  # type: ignore[misc, name-defined]
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            y = x * x * x
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            x, y = ctx.saved_tensors
            return 3 * g * y / x

    w = lib.tensor([0.5, 2.0], requires_grad=True)
    z = Cube.apply(w.exp()).sum()
    draw = make_dot if lib is tg else pytest.importorskip("torchviz").make_dot
    return _statements(draw(z, params={"w": w}))


@TORCHVIZ
def test_custom_function_statements_equal_torchvizs() -> None:
    """Its saved tensors are drawn (orange, undirected edges into its node) after its inputs."""
    torch = pytest.importorskip("torch")
    ours = _custom(tg)
    assert ours == _custom(torch)
    assert sum("orange" in line for line in ours) == 2


def _edges_and_nodes(dot: Any) -> tuple[set[tuple[str, str]], dict[str, str]]:
    edges, nodes = set(), {}
    for line in dot.body:
        line = line.strip()
        m = re.match(r"^(\d+) -> (\d+)", line)
        if m:
            edges.add((m.group(1), m.group(2)))
            continue
        m = re.match(r"^(\d+) \[label=(\"[^\"]*\"|\S+)(?: fillcolor=(\w+))?\]", line)
        if m:
            nodes[m.group(1)] = m.group(3) or "grey"
    return edges, nodes


def test_vertices_and_edges_are_the_grad_fn_graph() -> None:
    """One grey vertex per backward node reachable through next_functions (AccumulateGrad
    included), one edge u → fn per (u, fn) pair of next_functions, a light blue vertex per leaf
    with an edge into its AccumulateGrad, the output green with an edge from its grad_fn."""
    W = tg.randn(3, 3, requires_grad=True)
    x = tg.randn(2, 3)
    y = ((x @ W).sigmoid() * (x @ W)).sum()  # (x @ W) twice: two nodes sharing W's leaf
    dot = make_dot(y)
    edges, nodes = _edges_and_nodes(dot)
    fns, stack = [], [y.grad_fn]
    while stack:
        fn = stack.pop()
        if any(fn is f for f in fns):
            continue
        fns.append(fn)
        stack.extend(u for u, _ in fn.next_functions if u is not None)
    colours = sorted(nodes.values())
    assert colours.count("grey") == len(fns)
    assert colours.count("lightblue") == 1 and colours.count("darkolivegreen1") == 1
    pairs = sum(1 for fn in fns for u, _ in fn.next_functions if u is not None)
    assert len(edges) == pairs + 2  # + the leaf's edge into its AccumulateGrad + the output's
    assert dot.source.count("->") == pairs + 2


def test_labels_name_parameters_and_shapes() -> None:
    lin = tg.nn.Linear(3, 2)
    y = lin(tg.randn(5, 3)).sum()
    src = make_dot(y, params=dict(lin.named_parameters())).source
    assert '"weight\n (2, 3)" fillcolor=lightblue' in src
    assert '"bias\n (2)" fillcolor=lightblue' in src
    assert '"\n ()" fillcolor=darkolivegreen1' in src  # the unnamed scalar output


def test_saved_tensors_are_shown_only_when_asked_and_attributes_as_a_table() -> None:
    x = tg.randn(3, requires_grad=True)
    y = x.exp().sum(0, keepdim=True)
    assert "orange" not in make_dot(y).source
    saved = make_dot(y, show_saved=True).source
    assert '"result\n (3)" fillcolor=orange' in saved  # exp saves its output
    attrs = make_dot(y, show_attrs=True).source
    assert "SumBackward\n" in attrs and "keepdim: True" in attrs.replace("  ", " ")
    assert "ExpBackward\n" in attrs and "[saved tensor]" in attrs


def test_long_attribute_values_are_cut_at_max_attr_chars() -> None:
    x = tg.randn(2, 3, 4, 5, requires_grad=True)
    y = x.permute(3, 2, 1, 0).sum()
    label = make_dot(y, show_attrs=True, max_attr_chars=5).source
    assert "(0..." in label and "(0, 1, 2, 3)" not in label  # sum's dim


def test_a_custom_functions_saved_tensors_are_always_drawn() -> None:
    class Square(tg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: tg.Tensor) -> tg.Tensor:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Any, g: tg.Tensor) -> tg.Tensor:
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = tg.randn(4, requires_grad=True)
    y = Square.apply(x).sum()
    src = make_dot(y, params={"x": x}).source
    assert "SquareBackward" in src and "dir=none" in src and "orange" in src
    y.backward()  # released: nothing saved is left to draw, and drawing still works
    assert "orange" not in make_dot(y).source


def test_an_output_view_is_drawn_with_its_base() -> None:
    x = tg.randn(4, requires_grad=True)
    base = x * 2
    v = base[1:]
    src = make_dot(v).source
    assert "darkolivegreen3" in src and "style=dotted" in src
    assert src.count("darkolivegreen1") == 1


def test_several_outputs_share_one_drawing() -> None:
    x = tg.randn(3, requires_grad=True)
    a, b = x.exp(), x.exp().sin()
    _, nodes = _edges_and_nodes(make_dot((a, b)))
    assert sorted(nodes.values()).count("darkolivegreen1") == 2
    assert sorted(nodes.values()).count("lightblue") == 1  # x once, reached twice


def test_a_deep_chain_draws_without_recursion() -> None:
    """torchviz recurses once per node; this is a loop: 5 times the recursion limit's nodes."""
    n = 5 * sys.getrecursionlimit()
    x = tg.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0
    _, nodes = _edges_and_nodes(make_dot(y))
    assert len(nodes) == n + 3  # the muls, AccumulateGrad, the leaf, the output


def test_the_same_computation_gives_the_same_dot_text() -> None:
    def draw() -> str:
        tg.manual_seed(0)
        w = tg.randn(3, requires_grad=True)
        return str(make_dot((w * w).sum(), show_saved=True).source)

    assert draw() == draw()


def test_torchviz_size_grows_with_the_graph() -> None:
    x = tg.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(200):
        y = y + 1.0
    size = float(make_dot(y).graph_attr["size"].split(",")[0])
    assert size == pytest.approx(
        0.15 * (2 * 200 + 5)
    )  # a node and an edge per op and leaf, acc, output + edge
    assert make_dot(x * 2).graph_attr["size"] == "12,12"


def test_bad_input_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"make_dot\(\): expected a Tensor .* ndarray"):
        make_dot(np.ones(3))  # type: ignore[arg-type]
    x = tg.randn(2, requires_grad=True)
    with pytest.raises(TypeError, match=r"params must map names to Tensors, got ndarray for 'w'"):
        make_dot(x * 2, params={"w": np.ones(2)})  # type: ignore[dict-item]
    with pytest.raises(NotImplementedError, match="make_dot_from_trace"):
        make_dot_from_trace(None)
