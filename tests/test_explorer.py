"""The backprop explorer: the page's step list is the engine's dynamic program, step for step.

Python side: the embedded JSON is read back and compared with an independent run of the engine
(``autograd.toposort`` for the order, an observer for the gradients, ``backward()`` for the
leaves' ``.grad``). Browser side: headless Chromium steps through the page and checks what it
shows. Browser tests skip without Chromium/chromedriver/selenium, except in CI (``CI=true``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tinygrad_ed import autograd
from tinygrad_ed.autograd import Node
from tinygrad_ed.tensor import Tensor
from tinygrad_ed.viz import GraphvizNotFoundError, explorer
from tinygrad_ed.viz.explorer import Renderer, digest, example_mlp, explore, tensor_summary

HAS_DOT = shutil.which("dot") is not None
IN_CI = os.environ.get("CI") == "true"


def read_blocks(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The step list and the graph data embedded in a page."""
    page = path.read_text(encoding="utf-8")
    blocks = dict(
        re.findall(r'<script type="application/json" id="(\w+)">(.*?)</script>', page, re.S)
    )
    return json.loads(blocks["steps"]), json.loads(blocks["graph"])


def same(summary: dict[str, Any] | None, a: np.ndarray) -> bool:
    """Whether a page summary describes exactly the array ``a`` (bytes, shape, dtype, values)."""
    assert summary is not None
    ok = (
        summary["digest"] == digest(a)
        and tuple(summary["shape"]) == a.shape
        and summary["dtype"] == str(a.dtype)
    )
    if "values" in summary:
        ok = ok and np.array_equal(np.asarray(summary["values"], dtype=a.dtype), a.ravel())
    return ok


def engine_run(loss: Tensor) -> dict[int, tuple[np.ndarray, list[np.ndarray | None]]]:
    """An independent run of the engine: each node's adjoint and the gradients it sends."""
    seen: dict[int, tuple[np.ndarray, list[np.ndarray | None]]] = {}

    def observer(node: Node, g: Tensor, grads: tuple[Tensor | None, ...]) -> None:
        seen[id(node)] = (g.data.copy(), [None if x is None else x.data.copy() for x in grads])

    assert loss._node is not None
    autograd.backprop(
        {loss._node: Tensor._make(np.ones_like(loss.data))},
        retain_graph=True,
        create_graph=False,
        wrap=Tensor._make,
        observer=observer,
    )
    return seen


def leaves_of(loss: Tensor) -> list[Tensor]:
    return [v for v in autograd.toposort(loss._node) if not isinstance(v, Node)]


@pytest.fixture
def example(tmp_path: Path) -> tuple[Tensor, Any, Path]:
    loss, model = example_mlp(batch=6, hidden=8, seed=1)
    return loss, model, explore(loss, tmp_path / "page.html", model=model)


# ----------------------------------------------------------------------------- Python side


def test_steps_are_the_engines_reverse_topological_order(
    example: tuple[Tensor, Any, Path],
) -> None:
    loss, model, path = example
    steps, graph = read_blocks(path)
    order = autograd.toposort(loss._node)
    assert len(steps) == len(order) + 1
    assert steps[0]["kind"] == "seed" and steps[0]["id"] == "seed"
    assert steps[0]["g"]["values"] == [1.0]  # F̄ = ∂F/∂F = 1
    names = {id(p): n for n, p in model.named_parameters()}
    for k, (step, v) in enumerate(zip(steps[1:], order), start=1):
        assert step["step"] == k and step["vertex"] == k - 1 and step["id"] == f"v{k - 1}"
        vx = graph["vertices"][k - 1]
        if isinstance(v, Node):
            assert step["kind"] == "node" and vx["label"] == v.name()
            assert step["rule"] == v.op.math  # the op table's rule, verbatim
        else:
            assert step["kind"] == "leaf" and vx["label"] == names[id(v)]
    # Every consumer is visited before the vertices it sends to (the DP's invariant).
    for vx in graph["vertices"]:
        assert all(t is None or t > vx["index"] for t in vx["inputs"])


def test_each_steps_gradients_equal_the_engines(example: tuple[Tensor, Any, Path]) -> None:
    loss, _, path = example
    steps, _ = read_blocks(path)
    order = autograd.toposort(loss._node)
    saved = [(leaf, leaf.grad) for leaf in leaves_of(loss)]
    seen = engine_run(loss)
    for leaf, old in saved:
        leaf.grad = old
    for step, v in zip(steps[1:], order):
        if not isinstance(v, Node):
            continue
        g, grads = seen[id(v)]
        assert same(step["g"], g), step["title"]
        assert len(step["sends"]) == len(grads)
        for send, gi, p in zip(step["sends"], grads, v.parents):
            if p is None:
                assert send["to"] is None and send["grad"] is None
            else:
                assert gi is not None and same(send["grad"], gi)


def test_final_leaf_grads_equal_backward(example: tuple[Tensor, Any, Path]) -> None:
    loss, model, path = example
    steps, graph = read_blocks(path)
    loss.backward()
    by_name = dict(model.named_parameters())
    leaf_steps = [s for s in steps if s["kind"] == "leaf"]
    assert {graph["vertices"][s["vertex"]]["label"] for s in leaf_steps} == set(by_name)
    for s in leaf_steps:
        p = by_name[graph["vertices"][s["vertex"]]["label"]]
        assert p.grad is not None
        assert same(s["grad"], p.grad.data)  # what the page stores in .grad
        assert same(s["g"], p.grad.data)  # and the running sum it completed


def test_running_sums_over_fan_in(example: tuple[Tensor, Any, Path]) -> None:
    loss, model, path = example
    steps, graph = read_blocks(path)
    loss.backward()
    w = model.fc2.weight
    (i,) = [vx["index"] for vx in graph["vertices"] if vx["label"] == "fc2.weight"]
    sends = [d for s in steps for d in s["sends"] if d["to"] == i]
    # Used by the layer and twice by the L2 penalty's w·w: three contributions, summed in order.
    assert [d["count"] for d in sends] == [1, 2, 3]
    assert all(d["of"] == 3 for d in sends)
    parts = [np.asarray(d["grad"]["values"], dtype=np.float32) for d in sends if "values" in d]
    assert same(sends[-1]["sum"], w.grad.data)
    if len(parts) == 3:
        assert np.array_equal(parts[0] + parts[1] + parts[2], w.grad.data.ravel())


def test_explore_leaves_grads_alone_and_keeps_the_graph(tmp_path: Path) -> None:
    loss, model = example_mlp(batch=4, hidden=5)
    params = dict(model.named_parameters())
    sentinel = Tensor(np.full(params["fc1.bias"].shape, 7.0, dtype=np.float32))
    params["fc1.bias"].grad = sentinel
    explore(loss, tmp_path / "a.html", model=model)
    explore(loss, tmp_path / "b.html", model=model)
    assert params["fc1.bias"].grad is sentinel and np.all(sentinel.data == 7.0)
    assert all(p.grad is None for n, p in params.items() if n != "fc1.bias")
    params["fc1.bias"].grad = None
    loss.backward()  # the graph was retained; no double accumulation from the two explores
    steps, graph = read_blocks(tmp_path / "b.html")
    for s in steps:
        if s["kind"] == "leaf":
            assert same(s["grad"], params[graph["vertices"][s["vertex"]]["label"]].grad.data)


def test_explore_after_backward_asks_for_retain_graph(tmp_path: Path) -> None:
    loss, _ = example_mlp(batch=2, hidden=3)
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        explore(loss, tmp_path / "x.html")


def test_seed_rules_follow_backward(tmp_path: Path) -> None:
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = x * x
    with pytest.raises(RuntimeError, match="scalar outputs"):
        explore(y, tmp_path / "y.html")
    with pytest.raises(RuntimeError, match="does not require grad"):
        explore(Tensor([1.0]), tmp_path / "z.html")
    seed = np.ones((2, 3)) * 0.5
    steps, _ = read_blocks(explore(y, tmp_path / "y.html", gradient=seed))
    y.backward(seed)
    assert x.grad is not None
    assert same(steps[-1]["grad"], x.grad.data)
    # The mul node sends twice to the same leaf: a running sum of two contributions.
    assert [d["count"] for d in steps[1]["sends"]] == [1, 2]
    # A leaf output: the seed goes straight into .grad.
    steps, _ = read_blocks(explore(x, tmp_path / "x.html", gradient=seed))
    assert [s["kind"] for s in steps] == ["seed", "leaf"]
    assert steps[1]["grad"]["values"] == seed.ravel().tolist()


def test_summaries_small_in_full_large_summarised() -> None:
    small = tensor_summary(np.array([[1.0, 2.0], [3.0, -4.0]], dtype=np.float32))
    assert small["values"] == [1.0, 2.0, 3.0, -4.0] and "[[" in small["text"]
    big = tensor_summary(np.linspace(-1.0, 1.0, 1000).reshape(10, 100))
    assert "values" not in big and big["shape"] == [10, 100]
    assert big["min"] == -1.0 and big["max"] == 1.0 and len(big["head"]) == explorer.HEAD
    assert "min" in big["text"] and "mean" in big["text"] and "max" in big["text"]
    odd = tensor_summary(np.array([np.nan, np.inf, 1.0]))
    json.dumps(odd, allow_nan=False)  # JSON has no NaN: the page's JSON.parse would fail


def no_network(page: str) -> None:
    assert not re.search(r"https?://|//[\w.-]+\.\w+/|@import|url\(", page)
    assert not re.search(r"<(script|img|link|iframe)[^>]*\s(src|href)=", page)


@pytest.mark.parametrize("renderer", ["html", "dot"])
def test_page_is_self_contained(tmp_path: Path, renderer: Renderer) -> None:
    if renderer == "dot" and not HAS_DOT:
        if IN_CI:
            pytest.fail("CI must have Graphviz's dot installed")
        pytest.skip("Graphviz's dot is not installed (apt install graphviz)")
    loss, model = example_mlp(batch=4, hidden=6)
    path = explore(loss, tmp_path / "p.html", model=model, renderer=renderer)
    page = path.read_text(encoding="utf-8")
    no_network(page)
    _, graph = read_blocks(path)
    assert graph["renderer"] == renderer
    for vx in graph["vertices"]:  # every vertex drawn once, under the id the script highlights
        assert len(re.findall(rf'\sid="{vx["id"]}"', page)) == 1
    assert 'id="seed"' in page
    if renderer == "dot":
        assert page.count('class="node"') == len(graph["vertices"]) + 1
        assert "<?xml" not in page and "DOCTYPE svg" not in page
        labels = [m["label"] for m in graph["modules"]]
        assert any(x.startswith("fc1 (") for x in labels), labels
        assert any(x.startswith("fc2 (") for x in labels), labels
        assert page.count('class="cluster"') == len(graph["modules"])


def test_without_dot_the_page_falls_back_to_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on PATH
    loss, model = example_mlp(batch=2, hidden=3)
    with pytest.raises(GraphvizNotFoundError, match="apt install graphviz"):  # as viz's
        explore(loss, tmp_path / "d.html", model=model, renderer="dot")
    path = explore(loss, tmp_path / "a.html", model=model)
    _, graph = read_blocks(path)
    assert graph["renderer"] == "html" and "dot was not found" in graph["note"]
    assert "<svg" not in path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="renderer"):
        explore(loss, tmp_path / "b.html", renderer="svg")  # type: ignore[arg-type]


def test_raw_tensor_model_is_named_and_clustered(tmp_path: Path) -> None:
    model = explorer._MLP(hidden=4, seed=0)
    x = Tensor(np.ones((3, 64), dtype=np.float32))
    loss = model(x).sum()
    # No model passed: the one outermost module the ops ran in names everything.
    _, graph = read_blocks(explore(loss, tmp_path / "r.html", renderer="html"))
    labels = {vx["label"] for vx in graph["vertices"] if vx["kind"] == "leaf"}
    assert labels == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    fc1 = [m["label"] for m in graph["modules"]].index("fc1 (Linear)")
    (w,) = [vx for vx in graph["vertices"] if vx["label"] == "fc1.weight"]
    assert w["cluster"] == fc1


def test_a_few_hundred_nodes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(4, 8)), requires_grad=True)
    h = x
    for i in range(60):  # 60 tanh layers with a skip connection from x every 10
        w = Tensor(rng.normal(size=(8, 8)) * 0.3, requires_grad=True)
        h = (h @ w + Tensor(np.zeros(8), requires_grad=True)).tanh()
        if i % 10 == 9:
            h = h + x
    loss = (h * h).mean()
    start = time.perf_counter()
    path = explore(loss, tmp_path / "big.html")
    assert time.perf_counter() - start < 30
    steps, graph = read_blocks(path)
    assert len(steps) == 1 + len(autograd.toposort(loss._node)) > 300
    # x has 7 consumers: the running sum counts all of them, and ends at backward()'s .grad.
    (i,) = [vx["index"] for vx in graph["vertices"] if vx["shape"] == [4, 8] and not vx["inputs"]]
    sends = [d for s in steps for d in s["sends"] if d["to"] == i]
    assert [d["count"] for d in sends] == list(range(1, 8))
    loss.backward()
    assert x.grad is not None and same(steps[i + 1]["grad"], x.grad.data)
    assert path.stat().st_size < 5_000_000


def test_main_writes_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert explorer.main(["--out", str(tmp_path / "out"), "--batch", "4", "--hidden", "6"]) == 0
    path = tmp_path / "out" / "backprop.html"
    assert path.exists() and str(path) in capsys.readouterr().out
    steps, _ = read_blocks(path)
    assert steps[0]["kind"] == "seed" and steps[-1]["kind"] == "leaf"


def test_float64_graph_is_exact(tmp_path: Path) -> None:
    w = Tensor(np.random.default_rng(0).normal(size=(3, 3)), requires_grad=True)
    loss = ((w @ w).sigmoid() * w).sum()
    steps, _ = read_blocks(explore(loss, tmp_path / "f.html"))
    loss.backward()
    assert w.grad is not None and w.grad.dtype == np.float64
    assert same(steps[-1]["grad"], w.grad.data)


# ----------------------------------------------------------------------------- browser side

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if IN_CI:
            pytest.fail("CI must have selenium installed (pip install -e '.[dev]')")
        pytest.skip("selenium is not installed (pip install selenium)")
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if missing:
        if IN_CI:
            pytest.fail(f"CI must have chromium and chromium-driver installed; missing {missing}")
        pytest.skip(f"no headless browser: {missing} not found (apt install chromium-driver)")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1300,900",
    ]:
        options.add_argument(arg)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        # An explicit driver path: selenium then never looks for (or downloads) one itself.
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def page_state(driver: Any) -> dict[str, Any]:
    state: dict[str, Any] = driver.execute_script(
        """
        const text = (id) => document.getElementById(id).textContent;
        return {
          current: Array.from(document.querySelectorAll('.current')).map((e) => e.id),
          incoming: text('incoming'), label: text('step-label'), rule: text('rule'),
          slider: Number(document.getElementById('slider').value),
          next: document.getElementById('next').disabled,
          prev: document.getElementById('prev').disabled,
          badges: Object.fromEntries(Array.from(document.querySelectorAll('.badge'))
            .map((b) => [b.closest('[id^=v]').id, b.textContent])),
          leaves: Object.fromEntries(Array.from(document.querySelectorAll('#leaf-grads tr'))
            .map((r) => [r.dataset.id, r.querySelector('pre').textContent])),
          flows: document.querySelectorAll('.edge.flow').length,
          sent: Array.from(document.querySelectorAll('#sends pre')).map((e) => e.textContent),
        };
        """
    )
    return state


def step_through(driver: Any, path: Path) -> None:
    """Open the page, press Next (click and →) to the end, and check every step it shows."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(path.resolve().as_uri())
    steps, graph = read_blocks(path)
    n = len(steps) - 1
    renderer = graph["renderer"]
    shown: list[str] = []
    for k in range(n + 1):
        state = page_state(driver)
        s = steps[k]
        assert state["current"] == [s["id"]], k
        assert state["label"] == f"Step {k} / {n}" and state["slider"] == k
        assert state["incoming"] == (s["g"]["text"] if s["g"] else "none")
        assert state["rule"] == s["rule"] and state["prev"] == (k == 0)
        if renderer == "dot" and s["kind"] != "leaf":
            assert state["flows"] == sum(1 for d in s["sends"] if d["grad"]), k
        shown.append(state["incoming"])
        # The gradient sent to each input (a leaf's step shows what it stores in .grad).
        if s["kind"] == "leaf":
            assert state["sent"] == [s["grad"]["text"]]
        for d in s["sends"]:
            assert d["grad"] is None or d["grad"]["text"] in state["sent"], (k, d["input"])
        # Finished vertices show their stored gradient on the graph.
        for done in steps[1:k]:
            vx = graph["vertices"][done["vertex"]]
            if vx["kind"] == "leaf":
                expect = ".grad " + done["grad"]["short"]
            else:
                expect = "ḡ " + done["g"]["short"]
            assert state["badges"][vx["id"]] == expect, (k, vx["id"])
        if k == n:
            assert state["next"]
            break
        if k % 2:
            driver.find_element(By.ID, "next").click()
        else:
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    # The displayed gradient changed as the program moved on (it is not stuck on one value).
    assert len(set(shown)) > n // 2
    # The last step shows every leaf's .grad, as the embedded (backward-checked) steps say.
    leaves = {s["id"]: s["grad"]["text"] for s in steps if s["kind"] == "leaf"}
    assert page_state(driver)["leaves"] == leaves
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    assert page_state(driver)["current"] == [steps[n - 1]["id"]]
    driver.execute_script(
        "const s = document.getElementById('slider'); s.value = '1';"
        "s.dispatchEvent(new Event('input'));"
    )
    assert page_state(driver)["current"] == [steps[1]["id"]]
    ActionChains(driver).send_keys(Keys.HOME).perform()
    assert page_state(driver)["current"] == ["seed"]
    # Clicking a vertex inspects it: its forward value and where its gradient stands.
    driver.find_element(By.ID, "v1").click()
    inspected = driver.find_element(By.ID, "inspect").text
    assert graph["vertices"][1]["label"] in inspected and "forward value" in inspected
    # Nothing was fetched: no scripts, fonts, images or styles from anywhere.
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = driver.execute_script("return window.__errors || []")
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("renderer", ["dot", "html"])
def test_browser_steps_through_the_program(
    browser: Any, tmp_path: Path, renderer: Renderer
) -> None:
    if renderer == "dot" and not HAS_DOT:
        if IN_CI:
            pytest.fail("CI must have Graphviz's dot installed")
        pytest.skip("Graphviz's dot is not installed (apt install graphviz)")
    loss, model = example_mlp(batch=4, hidden=6)
    path = explore(loss, tmp_path / "b.html", model=model, renderer=renderer)
    no_network(path.read_text(encoding="utf-8"))
    step_through(browser, path)


@pytest.mark.browser
def test_browser_opens_at_a_step_from_the_url(browser: Any, tmp_path: Path) -> None:
    loss, model = example_mlp(batch=4, hidden=6)
    path = explore(loss, tmp_path / "u.html", model=model, renderer="html")
    steps, _ = read_blocks(path)
    browser.get(path.resolve().as_uri() + "#step=5")
    state = page_state(browser)
    assert state["current"] == [steps[5]["id"]] and state["label"].startswith("Step 5 /")


def test_explore_leaves_a_retained_intermediate_grad_alone(tmp_path: Path) -> None:
    w = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    h = w * 2.0
    h.retain_grad()
    loss = (h * h).sum()
    explore(loss, tmp_path / "page.html", renderer="html")
    loss.backward()
    assert h.grad is not None and w.grad is not None
    np.testing.assert_allclose(h.grad.data, 2 * h.data)  # once, not twice
    np.testing.assert_allclose(w.grad.data, 8 * w.data)
