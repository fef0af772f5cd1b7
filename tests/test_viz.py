"""Tests of tinygrad_ed.viz: the DOT structure of forward and backward graphs, rendering with the
real Graphviz ``dot`` (skipped without it, except in CI), the missing-``dot`` path, and the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import types
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import autograd, viz
from tinygrad_ed.autograd import Node
from tinygrad_ed.tensor import Tensor
from tinygrad_ed.viz.__main__ import main as cli_main

# ----------------------------------------------------------------------------- reading DOT text

_NODE = re.compile(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"', re.M)
_EDGE = re.compile(r"^\s*(\w+) -> (\w+)", re.M)
_CLUSTER = re.compile(r"subgraph (cluster_\w+) \{")


def nodes(src: str, *, legend: bool = False) -> dict[str, str]:
    """Vertex key → label text (lines joined by newlines), in DOT order."""
    found = {k: lab.replace("\\n", "\n") for k, lab in _NODE.findall(src)}
    found = {k: v for k, v in found.items() if k not in ("graph", "node", "edge")}
    return {k: v for k, v in found.items() if legend or not k.startswith("legend_")}


def edges(src: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in _EDGE.findall(src) if not a.startswith("legend_")]


def clusters(src: str) -> list[str]:
    return [c for c in _CLUSTER.findall(src) if c != "cluster_legend"]


def steps(src: str) -> dict[str, int]:
    """Backward-graph vertex key → the step number its label shows."""
    out = {}
    for key, label in nodes(src).items():
        m = re.search(r"step (\d+)", label)
        if m:
            out[key] = int(m.group(1))
    return out


# ----------------------------------------------------------------------------- models


def raw_graph() -> tuple[Tensor, dict[str, Tensor]]:
    """A small graph of raw tensors with fan-out: h feeds three consumers, w one matmul."""
    tg.manual_seed(0)
    w = tg.randn(3, 2, requires_grad=True)
    b = tg.zeros(2, requires_grad=True)
    x = tg.randn(4, 3)
    h = (x @ w + b).relu()
    loss = (h * h).sum() + h.mean()
    return loss, {"w": w, "b": b, "x": x, "h": h}


def recorded(output: Tensor) -> tuple[list[Node], list[Tensor], list[Tensor]]:
    """The recorded ops, the leaves that require grad, and the distinct no-grad inputs."""
    order = autograd.toposort(output.grad_fn)
    ops = [v for v in order if isinstance(v, Node)]
    leaves = [v for v in order if not isinstance(v, Node)]
    inputs: dict[int, Tensor] = {}
    for node in ops:
        assert node.saved is not None
        for p, t in zip(node.parents, node.saved):
            if p is None:
                inputs.setdefault(id(t), t)
    return ops, leaves, list(inputs.values())


def nn_model(seed: int = 0) -> tuple[Tensor, Any, dict[str, Tensor]]:
    pytest.importorskip("tinygrad_ed.nn")
    from tinygrad_ed.viz.example import example_loss

    return example_loss(batch=4, hidden=8, seed=seed)


class Duck:
    """A module without tinygrad_ed.nn: anything can own a scope."""


def duck_graph() -> tuple[Tensor, Duck, Duck]:
    outer, inner = Duck(), Duck()
    w = tg.ones(2, 2, requires_grad=True)
    x = tg.tensor([[1.0, -2.0]])
    with autograd.scope(outer):
        a = x @ w
        with autograd.scope(inner):
            h = a.relu()
    return h.sum(), outer, inner


@pytest.fixture
def dot_binary() -> None:
    """Rendering tests need the real `dot`: skip without it, except in CI where it must exist."""
    if viz.dot_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but the Graphviz 'dot' binary is not on PATH (.ci/run installs it)")
    pytest.skip("Graphviz 'dot' is not installed (apt/brew/conda install graphviz)")


@pytest.fixture
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide every program, `dot` included, by pointing PATH at an empty folder."""
    empty = tmp_path / "empty_path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert not viz.dot_available()


# ----------------------------------------------------------------------------- forward structure


def test_forward_counts_one_vertex_per_op_and_tensor() -> None:
    loss, _ = raw_graph()
    ops, leaves, inputs = recorded(loss)
    src = viz.draw_forward(loss).source
    found = nodes(src)
    assert len(found) == 2 * len(ops) + len(leaves) + len(inputs)
    assert sum(k.startswith("op") for k in found) == len(ops)
    assert sum(k.startswith("t") for k in found) == len(ops) + len(leaves) + len(inputs)
    # One edge per (op, input) pair and one from each op to its output tensor.
    assert len(edges(src)) == sum(len(n.parents) for n in ops) + len(ops)


def test_forward_edges_run_from_inputs_to_output() -> None:
    loss, t = raw_graph()
    src = viz.draw_forward(loss, names={"w": t["w"], "x": t["x"]}).source
    found, es = nodes(src), edges(src)
    for a, b in es:  # bipartite: tensor → op → tensor
        assert (a[0], b[0]) in (("t", "o"), ("o", "t")), (a, b)
    out_degree = {k: sum(a == k for a, _ in es) for k in found}
    in_degree = {k: sum(b == k for _, b in es) for k in found}
    assert all(out_degree[k] == 1 for k in found if k.startswith("op"))
    (w_key,) = [k for k, lab in found.items() if lab.startswith("w\n")]
    (x_key,) = [k for k, lab in found.items() if lab.startswith("x\n")]
    (out_key,) = [k for k, lab in found.items() if lab.startswith("output\n")]
    assert in_degree[w_key] == in_degree[x_key] == 0 and out_degree[w_key] == 1
    assert out_degree[out_key] == 0 and in_degree[out_key] == 1
    # The matmul names its inputs as the op table's formula does: x @ y.
    assert re.search(rf"{x_key} -> op\d+ \[label=\"x\"\]", src)
    assert re.search(rf"{w_key} -> op\d+ \[label=\"y\"\]", src)


def test_forward_shows_names_shapes_values_and_summaries() -> None:
    loss, t = raw_graph()
    src = viz.draw_forward(loss, names={"w": t["w"], "hidden": t["h"]}, max_values=6).source
    labels = list(nodes(src).values())
    w_label = next(lab for lab in labels if lab.startswith("w\n"))
    assert "(3, 2) float32" in w_label and "min " not in w_label  # 6 values: shown in full
    h_label = next(lab for lab in labels if lab.startswith("hidden\n"))
    assert "(4, 2) float32" in h_label and "min " in h_label and " mean " in h_label
    assert any(lab.startswith("output\nscalar float32") for lab in labels)
    assert "grad " not in src  # no backward has run and run_backward is off


def test_forward_legend_tells_kinds_apart() -> None:
    loss, _ = raw_graph()
    src = viz.draw_forward(loss).source
    legend = {k for k in nodes(src, legend=True) if k.startswith("legend_")}
    assert {"legend_input", "legend_parameter", "legend_intermediate", "legend_output"} <= legend
    assert {"legend_op", "legend_constant"} <= legend
    assert "legend_" not in viz.draw_forward(loss, legend=False).source


def test_each_scalar_operand_is_its_own_constant_vertex() -> None:
    x = tg.randn(3, requires_grad=True)
    src = viz.draw_forward(((x * 0.5) * 0.5).sum(), legend=False).source
    assert list(nodes(src).values()).count("0.5") == 2  # one per use, though the array is cached


def test_parameter_names_come_from_the_model() -> None:
    loss, model, names = nn_model()
    for draw in (viz.draw_forward, viz.draw_backward):
        src = draw(loss, model=model, names=names).source
        for name, _ in model.named_parameters():
            assert re.search(rf'label="{re.escape(name)}\\n', src), (draw.__name__, name)


def test_gradients_after_backward_are_shown_on_leaves() -> None:
    loss, t = raw_graph()
    loss.backward(retain_graph=True)
    src = viz.draw_forward(loss, names={"w": t["w"]}).source
    w_label = next(lab for lab in nodes(src).values() if lab.startswith("w\n"))
    expected = viz.summarize(t["w"].grad.data)  # type: ignore[union-attr]
    assert f"grad {expected[0]}" in w_label


def test_drawing_after_a_plain_backward_says_values_were_released() -> None:
    loss, _ = raw_graph()
    loss.backward()
    src = viz.draw_forward(loss).source
    assert "released by backward" in src
    assert "released" in viz.draw_backward(loss).source


# ----------------------------------------------------------------------------- backward structure


def test_backward_counts_one_vertex_per_grad_fn_and_leaf() -> None:
    loss, _ = raw_graph()
    ops, leaves, _ = recorded(loss)
    src = viz.draw_backward(loss).source
    found = nodes(src)
    assert len(found) == len(ops) + len(leaves)
    assert sum(k.startswith("leaf") for k in found) == len(leaves)
    for node in ops:
        assert any(lab.startswith(node.name() + "\n") for lab in found.values())
    assert "AccumulateGrad" in src


def test_backward_steps_are_the_toposort_index_and_a_reverse_topological_order() -> None:
    loss, _ = raw_graph()
    order = autograd.toposort(loss.grad_fn)
    src = viz.draw_backward(loss).source
    step_of = steps(src)
    assert sorted(step_of.values()) == list(range(len(order)))
    labels = nodes(src)
    for key, s in step_of.items():
        v = order[s]
        if isinstance(v, Node):
            assert labels[key].startswith(v.name() + "\n")
    es = edges(src)
    assert es
    for a, b in es:  # gradients flow from a consumer (visited first) to what it consumes
        assert step_of[a] < step_of[b]
    assert not any(b == "n0" for _, b in es)
    assert not any(a.startswith("leaf") for a, _ in es)


def test_backward_marks_fan_out_sums() -> None:
    loss, _ = raw_graph()
    src = viz.draw_backward(loss).source
    relu = next(k for k, lab in nodes(src).items() if lab.startswith("ReluBackward"))
    assert "Σ of 3 incoming gradients" in nodes(src)[relu]
    assert re.search(rf"^\s*{relu} \[.*peripheries=\"2\"", src, re.M)
    assert sum(b == relu for _, b in edges(src)) == 3


def test_run_backward_shows_adjoints_without_touching_grad_or_hooks() -> None:
    loss, t = raw_graph()
    w, h = t["w"], t["h"]
    h.retain_grad()
    calls: list[int] = []
    w.register_hook(lambda g: calls.append(1))
    src = viz.draw_backward(loss, names={"w": w}, run_backward=True).source
    fsrc = viz.draw_forward(loss, names={"w": w}, run_backward=True).source
    assert w.grad is None and h.grad is None and calls == []
    loss.backward(retain_graph=True)  # the real pass: hooks still registered, graph retained
    assert calls == [1] and h.grad is not None and w.grad is not None
    expected = viz.summarize(w.grad.data)[0]
    assert f".grad {expected}" in next(lab for lab in nodes(src).values() if lab.startswith("w\n"))
    assert f"grad {expected}" in next(lab for lab in nodes(fsrc).values() if lab.startswith("w\n"))
    assert "ḡ " in src  # intermediates' adjoints are shown
    before, values = w.grad, w.grad.data.copy()
    viz.draw_backward(loss, run_backward=True)
    assert w.grad is before  # restored, not accumulated into (in place or not)
    np.testing.assert_array_equal(w.grad.data, values)
    np.testing.assert_allclose(h.grad.data, 2 * h.data + 1 / h.data.size, rtol=1e-6)


def test_run_backward_on_a_released_graph_says_what_to_do() -> None:
    loss, _ = raw_graph()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.draw_backward(loss, run_backward=True)


def test_a_leaf_output_is_one_vertex() -> None:
    w = tg.ones(2, requires_grad=True)
    assert list(nodes(viz.draw_forward(w).source)) == ["t0"]
    assert list(nodes(viz.draw_backward(w).source)) == ["leaf0"]


# ----------------------------------------------------------------------------- modules


def test_one_cluster_per_module_with_nesting() -> None:
    loss, model, names = nn_model()
    ran = [name for name, _ in model.named_modules()]  # MLP, fc1, act, fc2: all ran
    for draw in (viz.draw_forward, viz.draw_backward):
        src = draw(loss, model=model, names=names).source
        assert len(clusters(src)) == len(ran) == 4
        for name in ("fc1: Linear", "act: ReLU", "fc2: Linear"):
            assert f'label="{name}"' in src
        # The model's cluster encloses the three layers'.
        outer = src.index("subgraph cluster_0 {")
        assert all(src.index(f"subgraph {c} {{") > outer for c in clusters(src)[1:])


def test_clusters_come_from_scope_tags_without_nn() -> None:
    loss, _, _ = duck_graph()
    src = viz.draw_forward(loss).source
    assert clusters(src) == ["cluster_0", "cluster_1"]
    assert 'label="Duck"' in src and 'label="Duck#2"' in src
    inner_block = src[src.index("subgraph cluster_1 {") :]
    assert "relu" in inner_block.split("}")[0]


def test_collapse_a_module_into_one_vertex() -> None:
    loss, model, names = nn_model()
    full = viz.draw_forward(loss, model=model, names=names).source
    src = viz.draw_forward(loss, model=model, names=names, collapse=["fc1"]).source
    found = nodes(src)
    (box,) = [k for k in found if k.startswith("m")]
    assert found[box].startswith("fc1: Linear (collapsed)")
    assert "fc1.weight (8, 64)" in found[box] and "fc1.bias (8,)" in found[box]
    assert not any(lab.startswith("fc1.weight\n") for lab in found.values())
    assert len(found) < len(nodes(full))
    x_key = next(k for k, lab in found.items() if lab.startswith("x (digits)"))
    assert (x_key, box) in edges(src)
    bsrc = viz.draw_backward(loss, model=model, collapse="fc1").source
    bbox = next(lab for k, lab in nodes(bsrc).items() if k.startswith("m"))
    assert re.search(r"steps \d+–\d+", bbox)


def test_collapse_depth_and_unknown_names() -> None:
    loss, model, _ = nn_model()
    src = viz.draw_backward(loss, model=model, collapse_depth=1).source
    assert sum(k.startswith("m") for k in nodes(src)) == 3  # fc1, act, fc2
    src0 = viz.draw_forward(loss, model=model, collapse_depth=0).source
    assert sum(k.startswith("m") for k in nodes(src0)) == 1
    with pytest.raises(ValueError, match=r"no module named 'fc3'.*'fc1'"):
        viz.draw_forward(loss, model=model, collapse=["fc3"])


# ----------------------------------------------------------------------------- budget, determinism


def test_node_budget_collapses_modules_then_summarises() -> None:
    loss, model, names = nn_model()
    n_full = len(nodes(viz.draw_forward(loss, model=model, names=names).source))
    src = viz.draw_forward(loss, model=model, names=names, max_nodes=n_full - 3).source
    assert "modules at depth 1 collapsed" in src
    assert len(nodes(src)) <= n_full - 3
    tiny = viz.draw_forward(loss, model=model, names=names, max_nodes=6).source
    assert len(nodes(tiny)) <= 6 and "more" in nodes(tiny) and "summarised" in tiny


def test_same_model_gives_byte_identical_dot() -> None:
    for draw in (viz.draw_forward, viz.draw_backward):
        a_loss, a_model, a_names = nn_model(seed=3)
        b_loss, b_model, b_names = nn_model(seed=3)
        a = draw(a_loss, model=a_model, names=a_names, run_backward=True).source
        b = draw(b_loss, model=b_model, names=b_names, run_backward=True).source
        assert a == b
        assert a == draw(a_loss, model=a_model, names=a_names, run_backward=True).source
        assert "0x" not in a  # no memory addresses


@pytest.fixture(scope="module")
def chain() -> Tensor:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    return y


def test_a_100k_chain_is_summarised_within_budget(chain: Tensor) -> None:
    for draw, ops in ((viz.draw_forward, "mul"), (viz.draw_backward, "MulBackward")):
        start = time.perf_counter()
        src = draw(chain, max_nodes=300).source
        elapsed = time.perf_counter() - start
        found = nodes(src)
        assert len(found) <= 300 and "more" in found
        assert f"{ops} ×" in found["more"] and "summarised" in src
        assert elapsed < 30, f"{draw.__name__} took {elapsed:.1f}s"


def test_a_100k_chain_draws_in_full_without_recursion_error(chain: Tensor) -> None:
    src = viz.draw_backward(chain, max_nodes=None, legend=False).source
    assert len(nodes(src)) == 100_001
    assert src.count(" -> ") == 100_000


# ----------------------------------------------------------------------------- options and errors


def test_bad_input_raises_clear_errors() -> None:
    loss, _ = raw_graph()
    with pytest.raises(TypeError, match="must be a Tensor"):
        viz.draw_forward(np.ones(3))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no recorded graph"):
        viz.draw_backward(tg.ones(3))
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw_forward(loss, max_nodes=0)
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_backward(loss, rankdir="up")
    with pytest.raises(TypeError, match="named_parameters"):
        viz.draw_forward(loss, model=object())
    with pytest.raises(TypeError, match="names"):
        viz.draw_forward(loss, names={"w": np.ones(2)})  # type: ignore[dict-item]


def test_summarize_small_large_and_special_arrays() -> None:
    assert viz.summarize(np.array(2.5)) == ["2.5"]
    assert viz.summarize(np.array([1, 2, 3])) == ["[1, 2, 3]"]
    assert viz.summarize(np.arange(20.0)) == ["min 0  mean 9.5  max 19"]
    assert viz.summarize(np.zeros((0, 3))) == ["(empty)"]
    assert viz.summarize(np.ones(20, dtype=bool)) == ["20 of 20 true"]
    assert viz.summarize(np.eye(2)) == ["[[1, 0],", " [0, 1]]"]
    assert viz.summarize(None) == ["(released by backward)"]


def test_save_dot_needs_no_graphviz(tmp_path: Path) -> None:
    loss, _ = raw_graph()
    g = viz.draw_forward(loss)
    path = viz.save(g, tmp_path / "sub" / "forward.dot")
    assert path.read_text(encoding="utf-8") == g.source
    assert g.save(tmp_path / "plain", "dot") == tmp_path / "plain.dot"
    with pytest.raises(ValueError, match="format"):
        viz.save(g, tmp_path / "x.jpg")
    with pytest.raises(ValueError, match=r"ends in \.svg but format is 'png'"):
        viz.save(g, tmp_path / "x.svg", "png")
    with pytest.raises(TypeError, match="graphviz graph"):
        viz.save("digraph {}", tmp_path / "x.dot")


# ----------------------------------------------------------------------------- rendering with dot

_SVG = "{http://www.w3.org/2000/svg}"


def svg_node_count(svg: bytes) -> int:
    root = ET.fromstring(svg)
    return sum(1 for g in root.iter(f"{_SVG}g") if g.get("class") == "node")


@pytest.mark.usefixtures("dot_binary")
@pytest.mark.parametrize("draw", [viz.draw_forward, viz.draw_backward])
@pytest.mark.parametrize("collapse_depth", [None, 1])
def test_rendered_svg_has_one_node_per_vertex(
    tmp_path: Path, draw: Any, collapse_depth: int | None
) -> None:
    loss, model, names = nn_model()
    g = draw(loss, model=model, names=names, run_backward=True, collapse_depth=collapse_depth)
    path = g.save(tmp_path / "graph.svg")
    assert svg_node_count(path.read_bytes()) == len(nodes(g.source, legend=True))


@pytest.mark.usefixtures("dot_binary")
def test_rendered_summary_png_and_pdf(tmp_path: Path, chain: Tensor) -> None:
    g = viz.draw_backward(chain, max_nodes=40)
    svg = viz.save(g, tmp_path / "chain.svg").read_bytes()
    assert svg_node_count(svg) == len(nodes(g.source, legend=True))
    assert viz.save(g, tmp_path / "chain.png").read_bytes().startswith(b"\x89PNG")
    assert viz.save(g, tmp_path / "chain", "pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.usefixtures("dot_binary")
def test_cli_renders_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tinygrad_ed.nn")
    assert cli_main(["--out", str(tmp_path)]) == 0
    for stem in ("forward_graph", "backward_graph"):
        svg = (tmp_path / f"{stem}.svg").read_bytes()
        dot = (tmp_path / f"{stem}.dot").read_text(encoding="utf-8")
        assert svg_node_count(svg) == len(nodes(dot, legend=True))
    assert "forward_graph.svg" in capsys.readouterr().out


# ----------------------------------------------------------------------------- without dot


@pytest.mark.usefixtures("no_dot")
def test_without_dot_building_and_dot_files_work_and_rendering_says_how_to_install(
    tmp_path: Path,
) -> None:
    loss, _ = raw_graph()
    g = viz.draw_backward(loss, run_backward=True)
    assert viz.save(g, tmp_path / "b.dot").read_text(encoding="utf-8") == g.source
    with pytest.raises(viz.GraphvizNotFoundError) as info:
        g.save(tmp_path / "b.svg")
    message = str(info.value)
    assert "apt-get install graphviz" in message and "brew" in message and "conda" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert not (tmp_path / "b.svg").exists()
    renders: list[Callable[[], Any]] = [
        lambda: g.pipe(format="svg"),
        lambda: g.render(tmp_path / "r", format="png"),
        lambda: g._repr_mimebundle_(),  # what Jupyter calls to show the graph inline
    ]
    for render in renders:
        with pytest.raises(viz.GraphvizNotFoundError):
            render()


@pytest.mark.usefixtures("no_dot")
def test_cli_without_dot_writes_dot_sources_and_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tinygrad_ed.nn")
    assert cli_main(["graphs", "--out", str(tmp_path), "--format", "png"]) == 1
    assert (tmp_path / "forward_graph.dot").exists() and (tmp_path / "backward_graph.dot").exists()
    assert not (tmp_path / "forward_graph.png").exists()
    assert "Install Graphviz" in capsys.readouterr().err


def test_cli_dot_format_needs_no_graphviz(tmp_path: Path) -> None:
    pytest.importorskip("tinygrad_ed.nn")
    assert cli_main(["--out", str(tmp_path), "--format", "dot", "--collapse"]) == 0
    assert "(collapsed)" in (tmp_path / "backward_graph.dot").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- explorer hand-off


def test_explore_subcommand_and_attribute_are_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    fake = types.ModuleType("tinygrad_ed.viz.explorer")

    def fake_main(argv: list[str]) -> int:
        seen.append(list(argv))
        return 0

    fake.main = fake_main  # type: ignore[attr-defined]
    fake.explore = "the explorer"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tinygrad_ed.viz.explorer", fake)
    # Not monkeypatch.delitem: it records nothing for an absent key, and the fake `explore`
    # that __getattr__ caches must not leak into later tests.
    prior = viz.__dict__.pop("explore", None)
    try:
        assert cli_main(["explore", "--out", "x.html"]) == 0
        assert seen == [["--out", "x.html"]]
        assert viz.explore == "the explorer"
        with pytest.raises(AttributeError):
            viz.no_such_thing  # noqa: B018
    finally:
        viz.__dict__.pop("explore", None)
        if prior is not None:
            viz.__dict__["explore"] = prior


def test_importing_viz_does_not_import_the_explorer() -> None:
    code = (
        "import sys\n"
        "sys.modules['tinygrad_ed.viz.explorer'] = None  # a broken explorer\n"
        "import tinygrad_ed.viz as viz\n"
        "from tinygrad_ed.viz import *\n"
        "try:\n"
        "    viz.explore\n"
        "except ImportError:\n"
        "    print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.stdout.strip() == "ok", result.stderr


# ----------------------------------------------------------------------------- audit fixes


def test_edges_carry_the_op_tables_input_names() -> None:
    """linear's inputs are x, W, b in its formula (W̄ = gᵀ x), not the generic c, x, y."""
    w, b = tg.randn(3, 4, requires_grad=True), tg.randn(3, requires_grad=True)
    loss = tg.functional.linear(tg.randn(2, 4), w, b).sum()
    labels = re.findall(r'-> op\d+ \[label="?([^"\]]+)"?\]', viz.draw_forward(loss).source)
    assert sorted(labels) == ["W", "b", "x"]
    z = tg.randn(3, requires_grad=True)
    bce = tg.functional.binary_cross_entropy_with_logits(z, tg.rand(3))
    assert {"z", "t"} <= set(re.findall(r'label="?(\w)"?\]', viz.draw_forward(bce).source))


def test_a_drawing_after_an_in_place_step_says_so() -> None:
    w = tg.Tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    loss = (w * w).sum()
    assert "changed in place" not in viz.draw_forward(loss).source
    loss.backward(retain_graph=True)
    tg.optim.SGD([w], lr=0.5).step()
    for draw in (viz.draw_forward, viz.draw_backward):
        assert "changed in place" in draw(loss).source


def test_the_in_place_note_covers_values_no_rule_reads() -> None:
    """add's rules read neither input, so backward accepts the change; the drawing, which shows
    the leaf's current value beside the recorded sum, still says that it changed."""
    b = tg.Tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    loss = (b + 1.0).sum()
    with tg.no_grad():
        b.add_(1.0)
    for draw in (viz.draw_forward, viz.draw_backward):
        assert "changed in place" in draw(loss).source
    loss.backward()
    assert b.grad is not None and b.grad.tolist() == [1.0, 1.0]


def test_run_backward_needs_a_one_element_output() -> None:
    y = tg.randn(2, requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*one-element"):
        viz.draw_backward(y, run_backward=True)


def test_cli_refuses_bad_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--batch", "0"], ["--weight-decay", "-1"], ["explore", "--hidden", "0"]):
        with pytest.raises(SystemExit) as info:
            cli_main(argv)
        assert info.value.code == 2
    assert "must be" in capsys.readouterr().err
