"""Hooks for saved tensors (``tinygrad_ed.autograd.graph``), as the PyTorch tutorial of that name
uses them.

Each story runs on a library passed by its module (tinygrad_ed, or torch where it is installed)
and logs every pack and unpack with the values it saw. The log is checked against what each op's
rules read (closed forms: ``a * b`` keeps b for ā = g·b, then a for b̄ = g·a), and, where torch is
installed, against torch's own log: the same events, in the same order, with the same values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tinygrad_ed.autograd.graph import (
    Node,
    disable_saved_tensors_hooks,
    save_on_cpu,
    saved_tensors_hooks,
)

import tinygrad_ed as tg

Lib = Any  # tinygrad_ed or torch: the stories use the API both share
Log = list[tuple[str, list[Any]]]


def _t(lib: Lib, *values: float, grad: bool = False) -> Any:
    return lib.tensor(np.array(values, dtype=np.float64), requires_grad=grad)


def _logging(lib: Lib, log: Log) -> Any:
    """A pair of identity hooks that log what they see."""

    def pack(t: Any) -> Any:
        log.append(("pack", t.detach().numpy().tolist()))
        return t

    def unpack(t: Any) -> Any:
        log.append(("unpack", t.detach().numpy().tolist()))
        return t

    return lib.autograd.graph.saved_tensors_hooks(pack, unpack)


# Each story builds a graph inside logging hooks, marks the log ("backward") and runs backward;
# it returns the leaves whose gradients to compare.
Story = Callable[[Lib, Log], list[Any]]


def _product(lib: Lib, log: Log) -> list[Any]:
    """The tutorial's first example: y = a * b saves b (for ā) and a (for b̄)."""
    a = _t(lib, 1.0, 1.0, 1.0, grad=True)
    b = _t(lib, 1.0, 1.0, 1.0, grad=True) * 2
    with _logging(lib, log):
        y = a * b
    log.append(("backward", []))
    y.sum().backward()
    return [a]


def _constant_factor(lib: Lib, log: Log) -> list[Any]:
    """a * c with c needing no gradient: only ā = g·c runs, so only c is saved."""
    a = _t(lib, 1.0, 2.0, grad=True)
    c = _t(lib, 5.0, 6.0)
    with _logging(lib, log):
        y = a * c
    log.append(("backward", []))
    y.sum().backward()
    return [a]


def _exp(lib: Lib, log: Log) -> list[Any]:
    """exp saves its output (x̄ = g·out), read twice with retain_graph."""
    x = _t(lib, 0.0, 1.0, grad=True)
    with _logging(lib, log):
        y = x.exp()
    log.append(("backward", []))
    y.sum().backward(retain_graph=True)
    log.append(("backward", []))
    y.sum().backward()
    return [x]


def _chain(lib: Lib, log: Log) -> list[Any]:
    """(sin(a) · b).exp(): sin saves a, the product b then sin(a), exp its output; backward
    unpacks in reverse topological order, each node's values in their packing order."""
    a = _t(lib, 1.0, 2.0, grad=True)
    b = _t(lib, 3.0, 4.0, grad=True)
    with _logging(lib, log):
        z = (a.sin() * b).exp().sum()
    log.append(("backward", []))
    z.backward()
    return [a, b]


def _pow_and_grad(lib: Lib, log: Log) -> list[Any]:
    """x.pow(2) saves x, not its exponent, a number; grad() with one input unpacks both of the
    product's values."""
    x = _t(lib, 1.5, -2.0, grad=True)
    w = _t(lib, 0.5, 3.0, grad=True)
    with _logging(lib, log):
        y = (x.pow(2) * w).sum()
    log.append(("backward", []))
    (gx,) = lib.autograd.grad(y, [x])
    x.grad = gx
    return [x]


STORIES = [_product, _constant_factor, _exp, _chain, _pow_and_grad]


def _rounded(log: Log) -> Log:
    return [(kind, np.round(np.array(v, dtype=np.float64), 9).tolist()) for kind, v in log]


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.__name__.lstrip("_"))
def test_logs_match_torch(story: Story) -> None:
    torch = pytest.importorskip("torch")
    mine: Log = []
    leaves = story(tg, mine)
    theirs: Log = []
    their_leaves = story(torch, theirs)
    assert _rounded(mine) == _rounded(theirs)
    for leaf, theirs_leaf in zip(leaves, their_leaves):
        np.testing.assert_allclose(leaf.grad.numpy(), theirs_leaf.grad.numpy(), rtol=1e-12)


def test_product_log_closed_form() -> None:
    log: Log = []
    (a,) = _product(tg, log)
    b = [2.0, 2.0, 2.0]
    assert log == [
        ("pack", b),  # ā = g·b's rule first
        ("pack", [1.0, 1.0, 1.0]),  # then b̄ = g·a's
        ("backward", []),
        ("unpack", b),
        ("unpack", [1.0, 1.0, 1.0]),
    ]
    assert a.grad.tolist() == b


def test_only_the_values_running_rules_read_are_packed() -> None:
    log: Log = []
    _constant_factor(tg, log)
    assert log == [("pack", [5.0, 6.0]), ("backward", []), ("unpack", [5.0, 6.0])]


def test_exp_packs_its_output_and_unpacks_it_each_backward() -> None:
    log: Log = []
    (x,) = _exp(tg, log)
    e = np.exp([0.0, 1.0]).tolist()
    assert log == [("pack", e), ("backward", []), ("unpack", e), ("backward", []), ("unpack", e)]
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([0.0, 1.0]), rtol=1e-15)


def test_packed_input_is_the_input_itself_and_output_equals_the_output() -> None:
    seen: list[Any] = []
    a = _t(tg, 1.0, 2.0, grad=True)
    b = _t(tg, 3.0, 4.0, grad=True)
    with saved_tensors_hooks(lambda t: seen.append(t) or t, lambda t: t):
        y = a * b
        e = a.exp()
    assert seen[0] is b and seen[1] is a
    # The output tensor is made after its node: the pack sees an equal tensor with its grad_fn.
    assert seen[2].grad_fn is e.grad_fn and np.array_equal(
        seen[2].detach().numpy(), e.detach().numpy()
    )
    assert y.grad_fn.packed[0] == (1, 0)


def test_unpack_changes_the_gradient() -> None:
    """The rules compute with what unpack returns: x * x packed as numpy copies and unpacked
    as 10s gives x̄ = 10 + 10, whatever x is."""
    x = _t(tg, 1.0, 2.0, grad=True)
    with saved_tensors_hooks(
        lambda t: t.detach().numpy().copy(), lambda arr: tg.full(arr.shape, 10.0)
    ):
        y = x * x
    y.sum().backward()
    assert x.grad.tolist() == [20.0, 20.0]
    torch = pytest.importorskip("torch")
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: t.detach().numpy().copy(),
        lambda arr: torch.full(arr.shape, 10.0, dtype=torch.float64),
    ):
        ty = tx * tx
    ty.sum().backward()
    assert tx.grad.tolist() == x.grad.tolist()


def test_tutorial_scaling_hooks_leave_the_gradient() -> None:
    """The tutorial's pack x ↦ 4x, unpack x ↦ x/4: the rules see x again, x̄ = 2x."""
    x = tg.tensor(np.random.default_rng(0).standard_normal(5), requires_grad=True)
    with saved_tensors_hooks(lambda t: t * 4, lambda t: t / 4):
        y = x.pow(2)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-15)


def test_tutorial_saving_to_disk(tmp_path: Path) -> None:
    """The tutorial's hooks that save each tensor to a file and read it back in backward."""
    files: list[Path] = []

    def pack(t: Any) -> Path:
        path = tmp_path / f"{len(files)}.npy"
        np.save(path, t.detach().numpy())
        files.append(path)
        return path

    def unpack(path: Path) -> Any:
        return tg.tensor(np.load(path))

    x = _t(tg, 0.5, -1.0, 2.0, grad=True)
    w = _t(tg, 3.0, 1.0, -2.0, grad=True)
    with saved_tensors_hooks(pack, unpack):
        y = (x.tanh() * w).sum()
    y.backward()
    assert len(files) == 3  # tanh's output, then w and tanh(x) for the product
    t = np.tanh(x.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), w.detach().numpy() * (1 - t * t), rtol=1e-14)
    np.testing.assert_allclose(w.grad.numpy(), t, rtol=1e-15)


def test_saved_attributes_unpack_and_are_freed_with_the_graph() -> None:
    log: Log = []
    a = _t(tg, 1.0, 2.0, grad=True)
    b = _t(tg, 3.0, 4.0, grad=True)
    with _logging(tg, log):
        y = a * b
    del log[:]
    assert y.grad_fn._saved_self is a
    assert log == [("unpack", [1.0, 2.0])]
    y.sum().backward()
    for name in ("_saved_self", "_saved_other"):
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            getattr(y.grad_fn, name)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()
    assert not hasattr(y.grad_fn, "packed")  # released with the rest of the node


def _inplace_after_packing(lib: Lib, pack: Callable[[Any], Any]) -> list[float]:
    x = _t(lib, 1.0, 2.0, grad=True)
    with lib.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        z = x * 1
        y = z * z
    with lib.no_grad():
        z.mul_(3)
    y.sum().backward()
    return [float(v) for v in x.grad.tolist()]


def test_packed_values_are_not_checked_for_inplace_changes() -> None:
    """As torch: with hooks there is no version check. An identity pair computes with the
    changed z = 3x (x̄ = 2·3x), a copying pack with the value it packed (x̄ = 2x)."""
    assert _inplace_after_packing(tg, lambda t: t) == [6.0, 12.0]
    assert _inplace_after_packing(tg, lambda t: t.clone()) == [2.0, 4.0]
    # Without hooks the change is refused, as before.
    x = _t(tg, 1.0, 2.0, grad=True)
    z = x * 1
    y = z * z
    with tg.no_grad():
        z.mul_(3)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    torch = pytest.importorskip("torch")
    assert _inplace_after_packing(torch, lambda t: t) == [6.0, 12.0]
    assert _inplace_after_packing(torch, lambda t: t.clone()) == [2.0, 4.0]


def _raises(message: str) -> Any:
    return pytest.raises(RuntimeError, match=rf"^{message}$")


def _identity_hooks(lib: Lib = tg) -> Any:
    return lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t)


def test_disable_saved_tensors_hooks() -> None:
    with disable_saved_tensors_hooks("no hooks here"):
        with _raises("no hooks here"), _identity_hooks():
            pass
        # nested: the innermost message
        with disable_saved_tensors_hooks("inner"), _raises("inner"), save_on_cpu():
            pass
        with _raises("no hooks here"), _identity_hooks():
            pass
    # allowed again after; entering it while hooks are in force raises its message, as torch's
    with _identity_hooks(), _raises("refused"), disable_saved_tensors_hooks("refused"):
        pass
    torch = pytest.importorskip("torch")
    with (
        _identity_hooks(torch),
        _raises("refused"),
        torch.autograd.graph.disable_saved_tensors_hooks("refused"),
    ):
        pass


def test_save_on_cpu_gives_the_same_gradients() -> None:
    rng = np.random.default_rng(1)
    x = tg.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    w = tg.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    with save_on_cpu(pin_memory=True):
        h = (x @ w).tanh()
        loss = h.pow(2).sum()
    assert isinstance(save_on_cpu(), saved_tensors_hooks)
    assert h.grad_fn.packed[0] == ("out",) and loss.grad_fn.next_functions[0][0].packed[0] == (0,)
    loss.backward()
    x2, w2 = x.detach().requires_grad_(), w.detach().requires_grad_()
    (x2 @ w2).tanh().pow(2).sum().backward()
    assert np.array_equal(x.grad.numpy(), x2.grad.numpy())
    assert np.array_equal(w.grad.numpy(), w2.grad.numpy())


def test_nested_hooks_innermost_wins() -> None:
    calls: list[str] = []

    def tagged(tag: str) -> Any:
        return saved_tensors_hooks(lambda t: calls.append(tag) or t, lambda t: t)

    a = _t(tg, 1.0, 2.0, grad=True)
    b = _t(tg, 3.0, 4.0, grad=True)
    with tagged("outer"):
        with tagged("inner"):
            y1 = a * b
        y2 = a * b
    y3 = a * b
    assert calls == ["inner", "inner", "outer", "outer"]
    assert not hasattr(y3.grad_fn, "packed")
    (y1 + y2).sum().backward()
    assert a.grad.tolist() == [6.0, 8.0] and b.grad.tolist() == [2.0, 4.0]


def test_second_derivatives_through_identity_hooks() -> None:
    """d²/dx² x³ = 6x and d²/dx² eˣ = eˣ, with every value of the first backward unpacked."""
    x = _t(tg, 2.0, -0.5, grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: t):
        y = x * x * x
        e = x.exp()
    (g,) = tg.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = tg.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(g.detach().numpy(), 3 * x.detach().numpy() ** 2, rtol=1e-15)
    np.testing.assert_allclose(gg.numpy(), 6 * x.detach().numpy(), rtol=1e-15)
    (g,) = tg.autograd.grad(e.sum(), x, create_graph=True)
    (gg,) = tg.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), np.exp(x.detach().numpy()), rtol=1e-15)


def test_hooks_are_per_thread() -> None:
    calls: list[str] = []
    a = _t(tg, 1.0, 2.0, grad=True)
    b = _t(tg, 3.0, 4.0, grad=True)
    results: dict[str, Any] = {}

    def other() -> None:  # runs while the main thread's hooks are in force
        results["other"] = a * b
        with saved_tensors_hooks(lambda t: calls.append("thread") or t, lambda t: t):
            results["own"] = a * b
            entered.set()
            leave.wait(5)

    entered, leave = threading.Event(), threading.Event()
    with saved_tensors_hooks(lambda t: calls.append("main") or t, lambda t: t):
        worker = threading.Thread(target=other)
        worker.start()
        entered.wait(5)
        y = a * b  # the other thread's hooks are still in force: not in this thread
        leave.set()
        worker.join()
    assert calls == ["thread", "thread", "main", "main"]
    assert not hasattr(results["other"].grad_fn, "packed")
    assert len(results["own"].grad_fn.packed[1]) == 2 and len(y.grad_fn.packed[1]) == 2


def test_nothing_packed_outside_the_context() -> None:
    calls: list[Any] = []
    a = _t(tg, 1.0, 2.0, grad=True)
    before = (a * a).exp()
    with saved_tensors_hooks(lambda t: calls.append(t) or t, lambda t: t):
        inside = a * a
        with tg.no_grad():  # no node: nothing saved
            a * a
        a.detach() * a.detach()
    after = (a * a).exp()
    assert len(calls) == 2
    for y in (before, after):
        assert not hasattr(y.grad_fn, "packed")
    log_len = len(calls)
    (before.sum() + after.sum() + inside.sum()).backward()
    assert len(calls) == log_len


def test_unpack_must_return_a_tensor() -> None:
    a = _t(tg, 1.0, 2.0, grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: 3):
        y = a * a
    with pytest.raises(TypeError, match="MulBackward: output of saved tensor unpack_hook"):
        y.sum().backward()
    with pytest.raises(TypeError, match="pack_hook must be callable"):
        saved_tensors_hooks(3, lambda t: t)  # type: ignore[arg-type]


def test_grad_fn_is_a_graph_node() -> None:
    a = _t(tg, 1.0, 2.0, grad=True)
    assert isinstance((a * 2).grad_fn, Node)
    assert tg.autograd.graph.Node is tg.autograd.Node
    import tinygrad_ed.autograd.graph as graph

    assert graph.saved_tensors_hooks is saved_tensors_hooks


def _custom_function(lib: Lib, log: Log) -> list[Any]:
    """ctx.save_for_backward's tensors go through the hooks in the order saved: an output (as
    apply returns it), an input."""

    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, y: Any) -> Any:
            out = (x * y).exp()
            ctx.save_for_backward(out, x, None, y)
            return out

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            out, x, _, y = ctx.saved_tensors
            return g * out * y, g * out * x

    a = _t(lib, 0.5, 1.0, grad=True)
    b = _t(lib, 2.0, -1.0, grad=True)
    with _logging(lib, log):
        y = Exp.apply(a, b)
    log.append(("backward", []))
    y.sum().backward()
    return [a, b]


def test_custom_function_saved_tensors() -> None:
    log: Log = []
    a, b = _custom_function(tg, log)
    e = np.exp(a.detach().numpy() * b.detach().numpy())
    assert _rounded(log) == _rounded(
        [
            ("pack", e.tolist()),
            ("pack", [0.5, 1.0]),
            ("pack", [2.0, -1.0]),
            ("backward", []),
            ("unpack", e.tolist()),
            ("unpack", [0.5, 1.0]),
            ("unpack", [2.0, -1.0]),
        ]
    )
    np.testing.assert_allclose(a.grad.numpy(), e * b.detach().numpy(), rtol=1e-15)
    torch = pytest.importorskip("torch")
    theirs: Log = []
    _custom_function(torch, theirs)
    assert _rounded(log) == _rounded(theirs)
