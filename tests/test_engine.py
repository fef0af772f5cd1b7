"""The backward dynamic program: visiting order, accumulation, graph release, grad mode."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import autograd
from tinygrad_ed.autograd import Node, toposort
from tinygrad_ed.numgrad import gradgradcheck
from tinygrad_ed.tensor import Tensor


def leaf(*values: float) -> Tensor:
    return tg.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def run_observed(root: Tensor) -> list[Node]:
    """Backward from ``root`` recording the nodes in the order the engine processes them."""
    seen: list[Node] = []
    autograd.backprop(
        {root._node: tg.ones_like(root)},
        retain_graph=False,
        create_graph=False,
        wrap=Tensor._make,
        observer=lambda node, g, sent: seen.append(node),
    )
    return seen


def test_diamond_calls_each_rule_once_and_sums_both_paths() -> None:
    x = leaf(1.5)
    a = x * 2.0
    b = a.exp()  # two consumers of a: b and c
    c = a * a
    f = (b + c).sum()
    visited = run_observed(f)
    assert len(visited) == len({id(n) for n in visited}) == 5  # sum, add, exp, mul, mul
    expected = 2 * np.exp(3.0) + 2 * 2 * 3.0  # df/da · da/dx
    np.testing.assert_allclose(x.grad.data, [expected])  # type: ignore[union-attr]


def test_order_is_reverse_topological() -> None:
    x = leaf(0.3, -0.2)
    h = (x * x).tanh()
    f = (h + h.exp() * x).sum()
    order = toposort(f._node)
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        if isinstance(v, Node):
            for p in v.parents:
                if p is not None:
                    assert position[id(v)] < position[id(p)], "a consumer must come first"


def test_tensor_used_twice_and_fan_out() -> None:
    x = leaf(3.0)
    (x + x).backward()
    assert x.grad.item() == 2.0  # type: ignore[union-attr]
    y = leaf(2.0)
    (y * y * y).backward()
    assert y.grad.item() == pytest.approx(12.0)  # type: ignore[union-attr]


def test_leaves_accumulate_and_intermediates_do_not_keep_grad() -> None:
    x = leaf(1.0, 2.0)
    h = x * 3.0
    h.sum().backward()
    h2 = x * 3.0
    h2.sum().backward()
    np.testing.assert_allclose(x.grad.data, [6.0, 6.0])  # type: ignore[union-attr]
    with pytest.warns(UserWarning, match="not a leaf Tensor.*retain_grad"):  # as torch
        assert h.grad is None
    assert h.grad_fn is not None and not h.is_leaf and x.is_leaf


def test_retain_grad_and_hooks() -> None:
    x = leaf(1.0, 2.0)
    h = x * 3.0
    h.retain_grad()
    seen: list[np.ndarray] = []
    h.register_hook(lambda g: seen.append(g.data.copy()) or None)
    x.register_hook(lambda g: g * 10.0)
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad.data, [6.0, 12.0])  # type: ignore[union-attr]
    np.testing.assert_allclose(seen[0], [6.0, 12.0])
    np.testing.assert_allclose(x.grad.data, [180.0, 360.0])  # type: ignore[union-attr]


def test_retain_grad_is_idempotent_and_stores_what_the_hooks_give() -> None:
    x = leaf(1.0, 2.0)
    h = x * 1.0
    h.retain_grad()
    h.retain_grad()  # torch: a second call changes nothing
    h.register_hook(lambda g: g * 10.0)  # registered later, still runs before the store
    h.sum().backward()
    assert h.retains_grad and not x.retains_grad
    np.testing.assert_allclose(h.grad.data, [10.0, 10.0])  # type: ignore[union-attr]
    np.testing.assert_allclose(x.grad.data, [10.0, 10.0])  # type: ignore[union-attr]


def test_hook_handles_remove_and_bad_hook_results_raise() -> None:
    x = leaf(1.0, 2.0)
    handle = x.register_hook(lambda g: g * 10.0)
    handle.remove()
    x.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 1.0])  # type: ignore[union-attr]
    for bad, what, error in [
        (lambda g: g.sum(), r"a Tensor of shape \(\)", RuntimeError),
        (lambda g: [1.0, 2.0], "a list", TypeError),  # torch's kinds
        (lambda g: g.to(np.float32), "a Tensor of shape .* and dtype float32", RuntimeError),
    ]:
        for t in (leaf(1.0, 2.0), leaf(1.0, 2.0) * 1.0):  # a leaf's hook, a node's hook
            t.register_hook(bad)
            with pytest.raises(error, match=rf"hook '<lambda>' returned {what}.*\(2,\)"):
                (t * 1.0).sum().backward()


def test_grads_of_different_tensors_never_share_memory() -> None:
    """x + y hands g to both inputs, and the seed may flow straight to a leaf: torch clones
    rather than let two .grads (or .grad and the caller's seed) alias one array."""
    a, b = leaf(1.0, 2.0), leaf(3.0, 4.0)
    (a + b).sum().backward()
    a.grad.mul_(10.0)  # type: ignore[union-attr]
    np.testing.assert_allclose(b.grad.data, [1.0, 1.0])  # type: ignore[union-attr]
    x, seed = leaf(1.0, 2.0), tg.tensor([1.0, 1.0], dtype=np.float64)
    (x + 0.0).backward(seed)
    x.grad.zero_()  # type: ignore[union-attr]
    np.testing.assert_allclose(seed.data, [1.0, 1.0])
    h = x * 1.0
    h.retain_grad()
    h.sum().backward()
    h.grad.zero_()  # type: ignore[union-attr]
    np.testing.assert_allclose(x.grad.data, [1.0, 1.0])  # type: ignore[union-attr]


def test_backward_twice_raises_torch_error_unless_retained() -> None:
    x = leaf(1.0)
    y = (x * x).exp()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.data, [4 * np.e])  # type: ignore[union-attr]
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


# A second backward without retain_graph: torch runs again every node that saved no tensor (its
# rules read only shapes) and refuses one that did. Each graph: (builder, whether torch reruns it).
_RERUN: dict[str, tuple[Any, bool]] = {
    "add a constant": (lambda lib, x: (x + 1).sum(), True),
    "sum over a dim": (lambda lib, x: x.sum(0).sum(), True),
    "mean": (lambda lib, x: x.mean(), True),
    "transpose": (lambda lib, x: x.T.sum(), True),
    "reshape, unsqueeze, squeeze": (lambda lib, x: x.reshape(-1)[None].squeeze(0).sum(), True),
    "slice": (lambda lib, x: x[:, 1:].sum(), True),
    "neg, sub of leaves": (lambda lib, x: (-x - x).sum(), True),
    "cat, stack, expand": (
        lambda lib, x: lib.stack([lib.cat([x, x]), x[None].expand(2, 2, 3).reshape(4, 3)]).sum(),
        True,
    ),
    "flip, roll, tile, cumsum": (
        lambda lib, x: x.flip(0).roll(1, 0).tile(2, 1).cumsum(0).sum(),
        True,
    ),
    "cast to float64": (lambda lib, x: x.double().sum(), True),
    "index array (torch saves it)": (lambda lib, x: x[[0, 0, 1]].sum(), False),
    "times a constant": (lambda lib, x: (x * 2).sum(), False),
    "exp (reads its output)": (lambda lib, x: x.exp().sum(), False),
    "where (reads the condition)": (lambda lib, x: lib.where(x > 2, x, 0.0).sum(), False),
    "add, then relu": (lambda lib, x: (x + 1).relu().sum(), False),
}


def _backward_twice(lib: Any, build: Any) -> np.ndarray | None:
    """x.grad after a second backward through the released graph, or None if refused."""
    x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64, requires_grad=True)
    y = build(lib, x)
    y.backward()
    try:
        y.backward()
    except RuntimeError as e:
        assert "retain_graph=True" in str(e)
        return None
    return np.asarray(x.grad.detach().numpy())


@pytest.mark.parametrize("name", list(_RERUN))
def test_second_backward_reruns_only_nodes_that_saved_no_values(name: str) -> None:
    build, reruns = _RERUN[name]
    grad = _backward_twice(tg, build)
    assert (grad is not None) == reruns
    if grad is not None:  # the second pass added the same gradient again
        x = tg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=tg.float64, requires_grad=True)
        build(tg, x).backward()
        np.testing.assert_array_equal(grad, 2 * x.grad.data)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", list(_RERUN))
def test_second_backward_reruns_what_torch_reruns(name: str) -> None:
    torch = pytest.importorskip("torch")
    build, _ = _RERUN[name]
    ours, theirs = _backward_twice(tg, build), _backward_twice(torch, build)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        np.testing.assert_allclose(ours, theirs)


def test_rerun_node_keeps_no_values() -> None:
    x = leaf(1.0, 2.0)
    big = tg.Tensor(np.ones((1000, 2)))
    y = (x + big).sum()
    y.backward()
    node = y.grad_fn.parents[0]  # type: ignore[union-attr]
    assert node.saved is None and node.out is None  # memory released, as before
    assert node.kept == (
        ((2,), np.dtype(np.float64)),
        ((1000, 2), np.dtype(np.float64)),
    )
    y.backward(create_graph=True)  # records on shape-only stand-ins
    np.testing.assert_allclose(x.grad.data, [2000.0, 2000.0])  # type: ignore[union-attr]


def test_non_scalar_backward_needs_gradient_of_the_same_shape() -> None:
    x = leaf(1.0, 2.0)
    y = x * 2.0
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(2,\)"):
        y.backward()
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2,\)"):
        y.backward(np.ones(3))
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.data, [2.0, 20.0])  # type: ignore[union-attr]


def test_backward_on_tensor_without_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.ones(2).sum().backward()


def test_no_grad_context_decorator_thread_local_and_restored_on_error() -> None:
    x = leaf(1.0)
    with tg.no_grad():
        y = x * 2.0
        with tg.enable_grad():
            z = x * 2.0
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad

    @tg.no_grad()
    def f(t: Tensor) -> Tensor:
        return t * 2.0

    assert not f(x).requires_grad and tg.is_grad_enabled()

    with pytest.raises(ValueError), tg.no_grad():
        raise ValueError("boom")
    assert tg.is_grad_enabled()

    other: list[bool] = []
    with tg.no_grad():
        t = threading.Thread(target=lambda: other.append(tg.is_grad_enabled()))
        t.start()
        t.join()
    assert other == [True]


def test_set_grad_enabled_is_a_call_a_context_manager_and_a_decorator() -> None:
    x = leaf(1.0)
    with tg.set_grad_enabled(False):
        assert not (x * 2.0).requires_grad
    assert tg.is_grad_enabled()
    tg.set_grad_enabled(False)  # a plain call acts at once and stays, as in torch
    try:
        assert not tg.is_grad_enabled()
    finally:
        tg.set_grad_enabled(True)

    @tg.set_grad_enabled(False)
    def f() -> bool:
        return (x * 2.0).requires_grad

    assert tg.is_grad_enabled() and not f() and tg.is_grad_enabled()
    with pytest.raises(TypeError, match="bool"):
        tg.set_grad_enabled("no")  # type: ignore[arg-type]


def test_grad_mode_decorators_without_parentheses_and_on_generators() -> None:
    x = leaf(1.0)

    @tg.no_grad
    def f() -> bool:
        return (x * 2.0).requires_grad

    @tg.no_grad()
    def steps() -> Iterator[bool]:
        yield (x * 2.0).requires_grad
        yield (x * 2.0).requires_grad

    assert not f()
    gen = steps()
    assert next(gen) is False and tg.is_grad_enabled()  # the caller's mode between steps
    assert (x * 2.0).requires_grad and next(gen) is False
    gen.close()
    assert tg.is_grad_enabled()
    with pytest.raises(TypeError, match="no arguments"):
        tg.no_grad(5)  # type: ignore[arg-type]


def test_detach_shares_data_and_stops_gradients() -> None:
    x = leaf(2.0)
    d = x.detach()
    assert d.data is x.data and not d.requires_grad
    (x * d).backward()
    assert x.grad.item() == 2.0  # type: ignore[union-attr]


def test_deep_chain_has_no_recursion_limit() -> None:
    x = leaf(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0  # type: ignore[union-attr]


def test_intermediates_are_freed_after_backward_without_the_cycle_collector() -> None:
    gc.disable()
    try:
        x = leaf(*np.linspace(-1, 1, 1000))
        h = x.tanh()
        node_ref = weakref.ref(h._node)  # type: ignore[arg-type]
        data_ref = weakref.ref(h.data)
        loss = (h * h).sum()
        del h
        assert data_ref() is not None  # the graph holds it until backward
        loss.backward()
        assert data_ref() is None, "backward must release saved arrays"
        assert node_ref() is not None  # the structure remains for inspection
        del loss
        assert node_ref() is None, "no reference cycles: refcounting alone frees the graph"
    finally:
        gc.enable()


def test_second_derivative_of_cube() -> None:
    x = leaf(1.0, 2.0, -3.0)
    (x**3).sum().backward(create_graph=True)
    gx = x.grad
    assert gx is not None and gx.requires_grad
    np.testing.assert_allclose(gx.data, 3 * x.data**2)
    x.grad = None
    gx.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * np.array([1.0, 2.0, -3.0]))  # type: ignore[union-attr]


def test_gradgradcheck_of_a_small_network() -> None:
    rng = np.random.default_rng(0)
    w, xs = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    assert gradgradcheck(lambda w_, x_: (x_ @ w_.T).tanh().softmax(-1).sum(0), [w, xs])


def test_gradients_keep_dtypes() -> None:
    x64 = tg.Tensor(np.ones(3), requires_grad=True)
    (x64 * 2.0).sum().backward()
    assert x64.grad is not None and x64.grad.dtype == np.float64
    x32 = tg.ones(3, requires_grad=True)
    (x32 * 2.0).exp().sum().backward()
    assert x32.grad is not None and x32.grad.dtype == np.float32


def test_grad_fn_names() -> None:
    x = leaf(1.0)
    assert repr((x * 2.0).grad_fn) == "<MulBackward>"
    assert repr(x[0:1].grad_fn) == "<SliceBackward>"
    assert "grad_fn=<ExpBackward>" in repr(x.exp())


# torch's node names for indexing: of the last op its indexing applies, left to right
INDEXING = {
    "x[:]": "SliceBackward",  # a lone slice, even all of the dim
    "x[...]": "AliasBackward",
    "x[:, 1:]": "SliceBackward",
    "x[0, :]": "SelectBackward",  # a slice that is all of its dim is skipped in a tuple
    "x[0, :, None]": "UnsqueezeBackward",
    "x[:, :, ::2]": "SliceBackward",
    "x[None, ...]": "UnsqueezeBackward",
    "x[0, [1, 2]]": "IndexBackward",
    "x[1:, [1]]": "IndexBackward",
    "x[lib.tensor(1)]": "SelectBackward",
    "x[True]": "IndexBackward",
    "x[-1]": "SelectBackward",
    "x[0:100]": "SliceBackward",
    "x[:, None, 0]": "SelectBackward",
    "x[()]": "AliasBackward",
    "x[0:3, 0:4]": "AliasBackward",
    "x[:, 0:4:1]": "AliasBackward",
    "x[lib.tensor([1])]": "IndexBackward",
    "x[x > 0]": "IndexBackward",
    "x.select(1, 2)": "SelectBackward",
    "x.narrow(2, 1, 2)": "SliceBackward",
}


@pytest.mark.parametrize("expr", INDEXING)
def test_indexing_nodes_have_torchs_names(expr: str) -> None:
    """Before and after backward (which releases the node's saved input and keeps its shape),
    and as torch 2.13 names them where it is installed (overload digits aside)."""
    y = eval(expr, {}, {"x": tg.ones(3, 4, 5, requires_grad=True), "lib": tg})
    assert y.grad_fn.name() == INDEXING[expr]
    y.sum().backward()
    assert y.grad_fn.name() == INDEXING[expr]
    torch = pytest.importorskip("torch")
    y = eval(expr, {}, {"x": torch.ones(3, 4, 5, requires_grad=True), "lib": torch})
    assert y.grad_fn.name().rstrip("0123456789") == INDEXING[expr]


def test_broadcast_gradients_are_summed_back_once_in_the_engine() -> None:
    b = tg.Tensor(np.zeros(3), requires_grad=True)
    x = tg.Tensor(np.ones((4, 3)))
    (x + b).sum().backward()
    np.testing.assert_allclose(b.grad.data, [4.0, 4.0, 4.0])  # type: ignore[union-attr]
    c = tg.Tensor(np.zeros((4, 1)), requires_grad=True)
    (x * c + c).sum().backward()
    np.testing.assert_allclose(c.grad.data, np.full((4, 1), 6.0))  # type: ignore[union-attr]


def test_in_place_update_of_a_leaf_needs_no_grad() -> None:
    w = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match="in-place"):
        w -= 1.0
    with tg.no_grad():
        w -= 1.0
    assert w.requires_grad and w.is_leaf
    np.testing.assert_allclose(w.data, [0.0, 1.0])


def test_writes_into_a_buffer_through_its_live_views_are_recorded() -> None:
    """``buf[0] += w`` on a tensor that requires no grad (Python holds the view buf[0] while
    it adds), and a view kept alive across the write: both follow the history the buffer
    gains, as torch's views do (CopySlices, AsStridedBackward). Checked in closed form and by
    finite differences."""

    def f(w: Tensor) -> Tensor:
        buf = tg.zeros(3, 2, dtype=tg.float64)
        row = buf[2]  # alive during the writes: must see them
        buf[0] += w * w
        buf[1:].mul_(3.0).add_(w)
        return (buf * buf).sum() + (row * 5).sum()

    w = tg.tensor([0.3, -1.2], dtype=tg.float64, requires_grad=True)
    f(w).backward()
    # buf = [w², w, w]: F = Σ w⁴ + 2·Σ w² + 5·Σ w, so w̄ = 4w³ + 4w + 5
    expected = 4 * w.data**3 + 4 * w.data + 5
    np.testing.assert_allclose(w.grad.data, expected)  # type: ignore[union-attr]
    assert tg.gradcheck(f, (w,))


def test_detect_anomaly_names_the_op() -> None:
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with (
        tg.detect_anomaly(),
        np.errstate(divide="ignore"),
        pytest.raises(RuntimeError, match=r"SqrtBackward.*inf.*input 0.*\(2,\)"),
    ):
        x.sqrt().sum().backward()
    assert not autograd._mode.anomaly


# ----------------------------------------------------------------------------- autograd.grad


def test_backward_at_poles_gives_torchs_infinities_without_numpy_warnings() -> None:
    """Derivative rules at poles (log's 1/0, a product's 0·∞, ∞ − ∞ summing a broadcast
    gradient back) give torch's ±∞ and nan silently, as torch does, even where numpy is told
    to raise; the caller's numpy error state is back afterwards."""
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    b = tg.tensor([1.0], requires_grad=True)
    y = tg.tensor([0.0, 0.0], requires_grad=True)
    z = tg.tensor([0.0], requires_grad=True)
    with np.errstate(divide="ignore"):  # the forwards' log(0) (numpy's warning, not torch's)
        losses = [
            x.log().sum(),
            (tg.tensor([0.0, 4.0]).sqrt() * b).sum(),
            (y.sqrt() * tg.tensor([-1.0, 1.0])).sum(),
            (z.sqrt() * tg.tensor([-1.0, 1.0])).sum(),  # -∞ + ∞ in z's sum
        ]
    with np.errstate(all="raise"):
        for loss in losses:
            loss.backward(create_graph=loss is losses[1])
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(1))  # the state numpy was given is in force again
    assert x.grad is not None and x.grad.tolist() == [float("inf"), 1.0]
    assert b.grad is not None and b.grad.tolist() == [2.0]
    assert y.grad is not None and y.grad.tolist() == [-float("inf"), float("inf")]
    assert z.grad is not None and np.isnan(z.grad.item())
    w = tg.tensor([0.0], requires_grad=True)
    loss = (w.sqrt() * tg.tensor([-1.0, 1.0])).sum()
    with tg.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="nan"):
        loss.backward()


def test_grad_returns_adjoints_without_touching_grad_and_differentiates_again() -> None:
    x, w = leaf(1.0, 2.0, -3.0), leaf(0.5, 0.25, 2.0)
    (gx,) = autograd.grad((x**3 * w).sum(), x, create_graph=True)
    np.testing.assert_allclose(gx.data, 3 * x.data**2 * w.data)
    assert x.grad is None and w.grad is None and gx.requires_grad
    (hx, hw) = autograd.grad(gx.sum(), [x, w])  # d/dx and d/dw of Σ 3x²w
    np.testing.assert_allclose(hx.data, 6 * x.data * w.data)
    np.testing.assert_allclose(hw.data, 3 * x.data**2)
    assert x.grad is None and w.grad is None


def test_grad_of_several_outputs_non_leaf_inputs_and_unused_inputs() -> None:
    x, unused = leaf(1.0, 2.0), leaf(5.0)
    z = x * 2.0
    a, b = z.sum(), (z * z).sum()
    gz, gx = autograd.grad([a, b], [z, x], retain_graph=True)  # Σ over outputs, as torch
    np.testing.assert_allclose(gz.data, 1 + 2 * z.data)
    np.testing.assert_allclose(gx.data, 2 * (1 + 2 * z.data))
    (g,) = autograd.grad(b, z, grad_outputs=tg.tensor(3.0, dtype=np.float64), retain_graph=True)
    np.testing.assert_allclose(g.data, 6 * z.data)
    with pytest.raises(RuntimeError, match=r"input 1 \(shape \(1,\)\) was not used"):
        autograd.grad(a, [x, unused], retain_graph=True)
    assert autograd.grad(a, [x, unused], allow_unused=True, retain_graph=True)[1] is None
    (zero,) = autograd.grad(a, unused, materialize_grads=True, retain_graph=True)
    np.testing.assert_array_equal(zero.data, [0.0])
    with pytest.raises(RuntimeError, match="element 0 of inputs does not require grad"):
        autograd.grad(a, tg.ones(2))
    with pytest.raises(ValueError, match="grad_outputs has 1 entries for 2 outputs"):
        autograd.grad([a, b], x, grad_outputs=[tg.ones(())])


def test_grad_runs_only_the_part_of_the_graph_that_leads_to_the_inputs() -> None:
    calls: list[str] = []
    x, w = leaf(1.0, 2.0), leaf(3.0, 4.0)
    hx, hw = x * 2.0, w * 2.0
    hx.register_hook(lambda g: calls.append("x") or None)  # type: ignore[func-returns-value]
    hw.register_hook(lambda g: calls.append("w") or None)  # type: ignore[func-returns-value]
    autograd.grad((hx * hw).sum(), x)
    assert calls == ["x"]


def test_backward_with_inputs_accumulates_only_into_those() -> None:
    x, w = leaf(1.0, 2.0), leaf(3.0, 4.0)
    (x * w).sum().backward(inputs=[w])
    assert x.grad is None
    np.testing.assert_allclose(w.grad.data, x.data)  # type: ignore[union-attr]
    h = x * w
    (h * h).sum().backward(inputs=h)  # a non-leaf input gets .grad too, as in torch
    np.testing.assert_allclose(h.grad.data, 2 * h.data)  # type: ignore[union-attr]
    assert x.grad is None


def test_grad_accumulates_in_place_like_torch() -> None:
    x = leaf(1.0, 2.0)
    (x * 3.0).sum().backward()
    held = x.grad
    (x * 3.0).sum().backward()
    assert x.grad is held  # the same tensor, now holding the sum
    np.testing.assert_allclose(held.data, [6.0, 6.0])  # type: ignore[union-attr]
    x.grad = tg.zeros(2, dtype=np.float64)
    zeros = x.grad
    (x * 2.0).sum().backward()
    assert x.grad is zeros and zeros.tolist() == [2.0, 2.0]


def test_in_place_accumulation_is_seen_by_a_graph_that_saved_the_grad() -> None:
    x = leaf(1.0, 2.0)
    (x**3).sum().backward(create_graph=True)  # x.grad = 3x², recorded
    gx = x.grad
    assert gx is not None and gx.requires_grad
    penalty = (gx * gx).sum()  # saves gx
    (x * 1.0).sum().backward()  # adds into gx in place
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        penalty.backward()


def test_gradient_penalty_on_grads_left_by_create_graph() -> None:
    """F = Σᵢⱼ aᵢ bⱼ², then P = ‖ā‖² + ‖b̄‖² differentiated by backward() into the same .grads:
    a's gradient is summed into a.grad while a node of this very pass still reads a.grad
    (P's square), which was refused; it is summed out of place, as torch's order of execution
    allows (ā = ΣB + 8AΣb², b̄ = 2Ab + (8B + 8A²)b with A = Σa, B = Σb²)."""
    a = tg.tensor([[0.5], [1.5]], dtype=np.float64, requires_grad=True)
    b = tg.tensor([0.3, 0.2, 0.1], dtype=np.float64, requires_grad=True)
    (a * b * b).sum().backward(create_graph=True)
    assert a.grad is not None and b.grad is not None
    ((a.grad * a.grad).sum() + (b.grad * b.grad).sum()).backward()
    big_a, big_b = 2.0, 0.14
    np.testing.assert_allclose(a.grad.data, np.full((2, 1), big_b + 8 * big_a * big_b))
    np.testing.assert_allclose(b.grad.data, (2 * big_a + 8 * big_b + 8 * big_a**2) * b.data)


def test_backward_never_runs_the_cyclic_collector() -> None:
    """The graph holds no cycles, so backward pauses the collector for the whole pass, the
    topological search included: its stack entries would otherwise set off collections that
    scan every node of the graph (quadratic-looking at 1e5 nodes)."""
    x = tg.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(3000):  # ~6000 allocations in the search: past gen0's threshold of 700
        y = (y * 1.0001).tanh()
    runs: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(phase)

    gc.callbacks.append(count)
    try:
        y.sum().backward()
    finally:
        gc.callbacks.remove(count)
    assert runs == []
    assert gc.isenabled()
    assert x.grad is not None and np.isfinite(x.grad.numpy()).all()
