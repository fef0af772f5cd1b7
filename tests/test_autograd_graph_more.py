"""torch.autograd.graph beyond saved-tensor hooks: register_multi_grad_hook, GradientEdge and
get_gradient_edge, increment_version, allow_mutation_on_saved_tensors.

Each behaviour is checked by its defining property (the gradients a hook receives are the ones
backward computes; an edge's gradient is the tensor's; a mutated saved value is used as it
was), and beside torch 2.13 where it is installed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import autograd
from tinygrad_ed.autograd import graph as G


def _lists(grads: Any) -> list[Any]:
    return [None if g is None else g.tolist() for g in grads]


def _multi_hook_story(lib: Any) -> tuple[list[Any], list[Any]]:
    """torch's documented example, then more passes: plain, with inputs, two consumers, after
    remove(); and the "any" mode."""
    seen: list[Any] = []
    a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = lib.tensor([4.0, 5.0, 6.0], requires_grad=True)
    c, d = a * b, a * b
    handle = lib.autograd.graph.register_multi_grad_hook(
        (a, b, c, d), lambda grads: seen.append(_lists(grads))
    )
    c.sum().backward(retain_graph=True)
    c.sum().backward(inputs=(a,), retain_graph=True)
    (c + d).sum().backward(retain_graph=True)
    handle.remove()
    c.sum().backward(retain_graph=True)  # removed: not called
    firsts: list[Any] = []
    lib.autograd.graph.register_multi_grad_hook(
        (a, b, c), lambda g: firsts.append(g.tolist()), mode="any"
    )
    (c * 2).sum().backward(retain_graph=True)
    (a * 3).sum().backward()
    return seen, firsts


def test_multi_grad_hook_all_and_any() -> None:
    seen, firsts = _multi_hook_story(tg)
    assert seen == [
        # every tensor the pass reaches, d (not in the graph) as None
        [[4.0, 5.0, 6.0], [1.0, 2.0, 3.0], [1.0, 1.0, 1.0], None],
        # inputs=(a,): b's gradient is not computed, c's is (on the path to a)
        [[4.0, 5.0, 6.0], None, [1.0, 1.0, 1.0], None],
        [[8.0, 10.0, 12.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
    ]
    # "any": the first gradient of each pass, once (c's, then a's when c is not in the graph)
    assert firsts == [[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]


def test_multi_grad_hook_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    assert _multi_hook_story(tg) == _multi_hook_story(torch)


def test_multi_grad_hook_waits_for_every_reached_gradient_and_nested_passes() -> None:
    """A tensor hook that runs a backward pass of its own inside the outer pass: the outer
    pass's multi-hook still counts its own gradients (the passes are told apart)."""
    calls: list[Any] = []
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = tg.tensor([3.0, 4.0], requires_grad=True)
    z = x * y

    u = tg.tensor([5.0], requires_grad=True)

    def nested(g: tg.Tensor) -> None:
        with tg.enable_grad():  # (backward runs its hooks in no-grad mode, as torch)
            inner = (u * u).sum()
        (gu,) = tg.autograd.grad(inner, u)  # a pass inside the pass
        assert gu.tolist() == [10.0]

    z.register_hook(nested)
    G.register_multi_grad_hook((x, y), lambda grads: calls.append(_lists(grads)))
    z.sum().backward()
    assert calls == [[[3.0, 4.0], [1.0, 2.0]]]
    assert autograd.current_graph_task() is None  # outside every pass


def test_multi_grad_hook_arguments() -> None:
    a = tg.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="mode"):
        G.register_multi_grad_hook((a,), print, mode="some")
    calls: list[Any] = []
    with G.register_multi_grad_hook((a,), calls.append):  # the handle as a context manager
        (a * 2).sum().backward()
    (a * 2).sum().backward()
    assert len(calls) == 1


def test_gradient_edges() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y**2).sum()
    e, ex = G.get_gradient_edge(y), G.get_gradient_edge(x)
    assert e.node is y.grad_fn and e.output_nr == 0 == y.output_nr
    assert isinstance(ex.node, autograd.AccumulateGrad) and ex.node.variable is x
    by_edges = tg.autograd.grad(z, [ex, e], retain_graph=True)
    by_tensors = tg.autograd.grad(z, [x, y], retain_graph=True)
    assert [g.tolist() for g in by_edges] == [g.tolist() for g in by_tensors]
    # an output edge with its gradient given
    (gx,) = tg.autograd.grad(e, x, grad_outputs=tg.ones(2), retain_graph=True)
    assert gx.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="grad_outputs"):
        tg.autograd.grad(e, x, retain_graph=True)
    # backward(inputs=[edge]): a leaf's edge accumulates into .grad, a non-leaf's stores none
    z.backward(inputs=[ex, e], retain_graph=True)
    assert x.grad is not None and x.grad.tolist() == [8.0, 16.0]
    # an edge unused by the outputs
    w = tg.ones(2, requires_grad=True) * 3
    (unused,) = tg.autograd.grad(z, [G.get_gradient_edge(w)], allow_unused=True)
    assert unused is None
    with pytest.raises(RuntimeError, match="not used"):
        tg.autograd.grad(z, [G.get_gradient_edge(w)])
    with pytest.raises(RuntimeError, match="does not require gradients"):
        G.get_gradient_edge(tg.ones(2))


def test_gradient_edge_outlives_an_inplace_change() -> None:
    """The edge keeps the node that made the tensor: after w.mul_(2), w's gradient is at
    another node, and the edge's is the old one's (∂(2w)/∂w_old = 2)."""
    x = tg.ones(3, requires_grad=True)
    w = x * 3
    old = G.get_gradient_edge(w)
    w.mul_(2)
    g_old, g_new = tg.autograd.grad(w.sum(), [old, w])
    assert g_old.tolist() == [2.0, 2.0, 2.0] and g_new.tolist() == [1.0, 1.0, 1.0]


def test_gradient_edges_match_torch() -> None:
    torch = pytest.importorskip("torch")

    def story(lib: Any) -> list[Any]:
        x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True, dtype=lib.float64)
        y = x.exp() * x
        e = lib.autograd.graph.get_gradient_edge(y)
        y.add_(1.0)
        loss = (y * y).sum()
        edges = [lib.autograd.graph.get_gradient_edge(x), e, y]
        out = [g.tolist() for g in lib.autograd.grad(loss, edges, retain_graph=True)]
        x.grad = None
        loss.backward(inputs=[lib.autograd.graph.get_gradient_edge(x)])
        return [*out, x.grad.tolist()]

    np.testing.assert_allclose(
        np.array(story(tg), dtype=float), np.array(story(torch), dtype=float), rtol=1e-14
    )


def test_increment_version() -> None:
    p = tg.ones(2, requires_grad=True)
    q = p.clone()
    r = (q**2).sum()
    v = q._version
    G.increment_version(q)
    G.increment_version([q, p])
    assert q._version == v + 2
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        r.backward()
    with pytest.raises(TypeError, match="Tensor"):
        G.increment_version([q, 3])  # type: ignore[list-item]


def test_allow_mutation_on_saved_tensors() -> None:
    with G.allow_mutation_on_saved_tensors():
        a = tg.ones(2, 3, requires_grad=True, dtype=tg.float64)
        b = a.clone()
        out = (b**2).sum()  # saves b
        b.sin_()  # refused by backward outside the context
        out.backward()
        assert a.grad is not None and a.grad.tolist() == [[2.0] * 3] * 2  # 2·b as saved
        s = a.exp()
        total = s.sum() * 1.0
        s.add_(1.0)  # exp's saved output written
        total.backward()
        assert np.allclose(a.grad.data, 2.0 + np.e)
        # unchanged saved values keep their history: second derivatives pass through them
        x = tg.tensor([1.5, -0.5], requires_grad=True, dtype=tg.float64)
        (g,) = tg.autograd.grad((x**3).sum(), x, create_graph=True)
        (h,) = tg.autograd.grad(g.sum(), x)
        assert np.allclose(h.data, 6 * x.data)
    a2 = tg.ones(2, requires_grad=True)
    with G.allow_mutation_on_saved_tensors():
        late = (a2.clone() ** 2).sum()
    with pytest.raises(AssertionError, match="outside of the 'allow_mutation_on_saved_tensors'"):
        late.backward()
    with (
        pytest.raises(RuntimeError, match="cannot be nested"),
        G.allow_mutation_on_saved_tensors(),
        G.allow_mutation_on_saved_tensors(),
    ):
        pass
    without = (tg.ones(2, requires_grad=True).clone() ** 2).sum()  # the context is closed
    assert without.grad_fn is not None and getattr(without.grad_fn, "packed", None) is None


def test_allow_mutation_on_saved_tensors_matches_torch() -> None:
    torch = pytest.importorskip("torch")

    def story(lib: Any) -> list[Any]:
        with lib.autograd.graph.allow_mutation_on_saved_tensors():
            a = lib.tensor([[0.3, -1.2], [2.0, 0.7]], requires_grad=True, dtype=lib.float64)
            b = a * 2
            c = b.tanh()
            loss = (c * b).sum()
            b.mul_(3)
            c.exp_()
            loss.backward()
            return [a.grad.tolist()]

    np.testing.assert_allclose(story(tg), story(torch), rtol=1e-14)
