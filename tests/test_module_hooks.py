"""nn.Module hooks: forward pre-hooks and hooks, full backward hooks and backward pre-hooks.

Each property is checked on its own (call order, values, replacement, removal); the backward
hooks are also run side by side with torch 2.13 where it is installed (the same model, the same
weights), comparing the sequence of calls and every gradient they see.
"""

from __future__ import annotations

import gc
import warnings
import weakref
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import nn
from tinygrad_ed.hooks import RemovableHandle
from tinygrad_ed.tensor import Tensor

f64 = np.float64


def t64(a: Any, requires_grad: bool = False) -> Tensor:
    return tg.tensor(np.asarray(a, dtype=f64), requires_grad=requires_grad)


class Scale(nn.Module):
    """y = x * factor, with a non-tensor argument."""

    def forward(self, x: Tensor, factor: float = 1.0) -> Tensor:
        return x * factor


# ----------------------------------------------------------------------------- forward hooks


def test_forward_pre_hook_sees_args_and_may_replace_them() -> None:
    m = Scale()
    seen: list[tuple[Any, ...]] = []

    def pre(module: nn.Module, args: tuple[Any, ...]) -> Any:
        seen.append(args)
        return args[0] + 1  # a single value: wrapped into a tuple

    m.register_forward_pre_hook(pre)
    x = t64([1.0, 2.0])
    out = m(x, 3.0)
    assert len(seen) == 1 and seen[0][0] is x and seen[0][1] == 3.0
    # (x + 1,) replaced both arguments: factor fell back to its default
    np.testing.assert_array_equal(out.data, [2.0, 3.0])
    m.register_forward_pre_hook(lambda module, args: (args[0], 10.0))
    np.testing.assert_array_equal(m(x, 3.0).data, [20.0, 30.0])


def test_forward_hook_sees_output_and_may_replace_it() -> None:
    m = Scale()
    seen: list[Any] = []

    def hook(module: nn.Module, args: tuple[Any, ...], output: Tensor) -> Tensor:
        seen.append((module, args, output.data.copy()))
        return output * 2

    handle = m.register_forward_hook(hook)
    out = m(t64([1.0]), 3.0)
    assert seen[0][0] is m and seen[0][1][1] == 3.0
    np.testing.assert_array_equal(seen[0][2], [3.0])
    np.testing.assert_array_equal(out.data, [6.0])
    handle.remove()
    np.testing.assert_array_equal(m(t64([1.0]), 3.0).data, [3.0])
    handle.remove()  # a second remove does nothing


def test_hooks_run_through_call_not_forward() -> None:
    m = Scale()
    calls: list[str] = []
    m.register_forward_pre_hook(lambda module, args: calls.append("pre"))
    m.register_forward_hook(lambda module, args, out: calls.append("post"))
    m.forward(t64([1.0]))
    assert calls == []
    m(t64([1.0]))
    assert calls == ["pre", "post"]


def test_order_prepend_and_kwargs() -> None:
    m = Scale()
    calls: list[Any] = []
    m.register_forward_pre_hook(lambda module, args: calls.append("pre1"))
    m.register_forward_pre_hook(lambda module, args: calls.append("pre0"), prepend=True)

    def pre_kw(module: nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        calls.append(("pre_kw", dict(kwargs)))
        return args, {"factor": 5.0}

    m.register_forward_pre_hook(pre_kw, with_kwargs=True)

    def post_kw(module: nn.Module, args: Any, kwargs: dict[str, Any], out: Tensor) -> None:
        calls.append(("post_kw", dict(kwargs), float(out.data[0])))

    m.register_forward_hook(post_kw, with_kwargs=True)
    m.register_forward_hook(lambda module, args, out: calls.append("post0"), prepend=True)
    out = m(t64([1.0]), factor=2.0)
    assert calls == [
        "pre0",
        "pre1",
        ("pre_kw", {"factor": 2.0}),
        "post0",
        ("post_kw", {"factor": 5.0}, 5.0),
    ]
    assert out.data[0] == 5.0


def test_handles_are_context_managers() -> None:
    m = Scale()
    calls: list[str] = []
    with m.register_forward_hook(lambda module, args, out: calls.append("hook")) as handle:
        assert isinstance(handle, RemovableHandle)
        m(t64([1.0]))
    m(t64([1.0]))
    assert calls == ["hook"]
    assert not m._forward_hooks


def test_always_call_runs_when_forward_raises() -> None:
    class Boom(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            raise ValueError("boom")

    m = Boom()
    calls: list[Any] = []
    m.register_forward_hook(
        lambda module, args, out: calls.append(("always", out)), always_call=True
    )
    m.register_forward_hook(lambda module, args, out: calls.append("normal"))
    with pytest.raises(ValueError, match="boom"):
        m(t64([1.0]))
    assert calls == [("always", None)]


def test_always_call_hook_that_raises_is_warned_about() -> None:
    class Boom(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            raise ValueError("boom")

    def bad(module: nn.Module, args: Any, out: Any) -> None:
        raise KeyError("inner")

    m = Boom()
    m.register_forward_hook(bad, always_call=True)
    with pytest.warns(UserWarning, match="always_call"), pytest.raises(ValueError, match="boom"):
        m(t64([1.0]))


def test_bad_hooks_and_results_raise_clear_errors() -> None:
    m = Scale()
    for method in (
        m.register_forward_pre_hook,
        m.register_forward_hook,
        m.register_full_backward_hook,
        m.register_full_backward_pre_hook,
    ):
        with pytest.raises(TypeError, match=f"{method.__name__}\\(\\): hook must be callable"):
            method(3)  # type: ignore[operator]
    m.register_forward_pre_hook(lambda module, args, kwargs: 3, with_kwargs=True)
    with pytest.raises(RuntimeError, match="new_args, new_kwargs"):
        m(t64([1.0]))


def test_forward_hooks_match_torch_on_a_sequential() -> None:
    torch = pytest.importorskip("torch")

    def run(lib: Any) -> list[Any]:
        model = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh())
        log: list[Any] = []
        for name, mod in model.named_modules():
            mod.register_forward_pre_hook(lambda m, a, name=name: log.append(("pre", name)))
            mod.register_forward_hook(
                lambda m, a, out, name=name: log.append(("fwd", name, out.sum().item()))
            )
        model(lib.tensor([-1.0, 0.5, 2.0], dtype=lib.float64))
        return log

    assert run(tg) == run(torch)


# ----------------------------------------------------------------------------- backward hooks


def test_full_backward_hook_on_linear() -> None:
    lin = nn.Linear(3, 2, dtype=f64)
    x = t64(np.arange(6.0).reshape(2, 3), requires_grad=True)
    calls: list[Any] = []
    lin.register_full_backward_pre_hook(lambda m, go: calls.append(("pre", go)))
    lin.register_full_backward_hook(lambda m, gi, go: calls.append(("full", gi, go)))
    seed = np.array([[1.0, -2.0], [0.5, 3.0]])
    lin(x).backward(seed)
    assert [c[0] for c in calls] == ["pre", "full"]
    (pre_go,), (_, (gi,), (go,)) = calls[0][1], calls[1]
    np.testing.assert_allclose(go.data, seed)
    assert pre_go is go
    np.testing.assert_allclose(gi.data, seed @ lin.weight.data)  # x̄ = ȳ W
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, gi.data)


def test_grad_input_is_none_where_no_gradient_flows() -> None:
    m = Scale()
    calls: list[Any] = []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append(gi))
    x = t64([1.0, 2.0], requires_grad=True)
    m(x, 3.0).sum().backward()
    (gi,) = calls
    assert len(gi) == 2 and gi[1] is None  # the float argument
    np.testing.assert_allclose(gi[0].data, [3.0, 3.0])


def test_no_input_requiring_grad_calls_the_hook_at_the_outputs() -> None:
    lin = nn.Linear(2, 1, dtype=f64)
    calls: list[Any] = []
    lin.register_full_backward_hook(lambda m, gi, go: calls.append((gi, go)))
    with pytest.warns(UserWarning, match="no inputs require gradients"):
        lin(t64([[1.0, 2.0]])).sum().backward()
    ((gi, go),) = calls
    assert gi == (None,)
    np.testing.assert_allclose(go[0].data, [[1.0]])
    lin.register_full_backward_hook(lambda m, gi, go: (t64([[1.0, 1.0]]),))
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="None for all gradients"):
        lin(t64([[1.0, 2.0]])).sum().backward()


def test_hook_replaces_grad_input_and_pre_hook_grad_output() -> None:
    lin = nn.Linear(2, 2, dtype=f64)
    x = t64([[1.0, -1.0]], requires_grad=True)
    handle = lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))
    lin(x).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, 10 * lin.weight.data.sum(0, keepdims=True))
    w_grad = lin.weight.grad
    assert w_grad is not None
    np.testing.assert_allclose(w_grad.data, np.ones((2, 1)) @ x.data)  # not scaled
    handle.remove()
    x.grad = lin.weight.grad = None
    lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 3,))
    lin(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * lin.weight.data.sum(0, keepdims=True))
    np.testing.assert_allclose(lin.weight.grad.data, 3 * np.ones((2, 1)) @ x.data)


def test_removed_backward_hooks_stop_for_later_calls() -> None:
    m = Scale()
    calls: list[str] = []
    h1 = m.register_full_backward_hook(lambda mod, gi, go: calls.append("full"))
    h2 = m.register_full_backward_pre_hook(lambda mod, go: calls.append("pre"))
    x = t64([1.0], requires_grad=True)
    m(x).sum().backward()
    assert calls == ["pre", "full"]
    h1.remove()
    h2.remove()
    m(x).sum().backward()
    assert calls == ["pre", "full"]
    assert not m._backward_hooks and not m._backward_pre_hooks


def test_prepend_orders_backward_hooks() -> None:
    m = Scale()
    calls: list[str] = []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("b"))
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("a"), prepend=True)
    m.register_full_backward_pre_hook(lambda mod, go: calls.append("pre_b"))
    m.register_full_backward_pre_hook(lambda mod, go: calls.append("pre_a"), prepend=True)
    m(t64([1.0], requires_grad=True)).sum().backward()
    assert calls == ["pre_a", "pre_b", "a", "b"]


def test_bad_replacements_name_the_method() -> None:
    x = t64([1.0, 2.0], requires_grad=True)
    cases: list[tuple[Callable[..., Any], str, type[Exception], str]] = [
        (lambda m, gi, go: (gi[0], None, None), "full", RuntimeError, "invalid number"),
        (lambda m, gi, go: (t64([1.0]), None), "full", RuntimeError, "shape \\(1,\\)"),
        (lambda m, gi, go: (gi[0].float(), None), "full", RuntimeError, "dtype float32"),
        (lambda m, gi, go: ("grad", None), "full", TypeError, "a str as grad_input\\[0\\]"),
        (lambda m, gi, go: gi[0], "full", TypeError, "expected None or a tuple"),
        (lambda m, go: (go[0], go[0]), "pre", RuntimeError, "invalid number of grad_output"),
    ]
    for hook, kind, error, message in cases:
        m = Scale()
        if kind == "full":
            m.register_full_backward_hook(hook)
            method = "register_full_backward_hook"
        else:
            m.register_full_backward_pre_hook(hook)
            method = "register_full_backward_pre_hook"
        with pytest.raises(error, match=message) as info:
            m(x, 2.0).sum().backward()
        assert method in str(info.value)


def test_no_hooks_without_grad_mode_and_second_backward_fires_again() -> None:
    m = Scale()
    calls: list[str] = []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("full"))
    x = t64([1.0], requires_grad=True)
    with tg.no_grad():
        assert not m(x).requires_grad
    y = m(x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert calls == ["full", "full"]
    (g,) = tg.autograd.grad(m(x, 4.0).sum(), x)
    assert calls == ["full"] * 3
    np.testing.assert_allclose(g.data, [4.0])


def test_hooked_module_keeps_values_and_gradients() -> None:
    """The funnels are identities: hooks that return None change nothing, whatever the dtypes."""

    class Mixed(nn.Module):
        def forward(self, a: Tensor, b: Tensor, n: int) -> tuple[Tensor, Tensor]:
            return (a * b.double()).sum(0) * n, b.exp()

    def run(hooked: bool) -> list[np.ndarray]:
        m = Mixed()
        if hooked:
            m.register_full_backward_hook(lambda mod, gi, go: None)
            m.register_full_backward_pre_hook(lambda mod, go: None)
        a = t64(np.arange(6.0).reshape(3, 2), requires_grad=True)
        b = tg.tensor(np.linspace(0, 1, 6, dtype=np.float32).reshape(3, 2), requires_grad=True)
        out, e = m(a, b, 2)
        assert out.dtype == f64 and e.dtype == np.float32
        ((out**2).sum() + e.sum()).backward()
        assert a.grad is not None and b.grad is not None
        return [out.data, e.data, a.grad.data, b.grad.data]

    for got, want in zip(run(True), run(False)):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_hooked_call_leaves_no_reference_cycle() -> None:
    """The graph is freed by reference counting alone, hooks or not (the engine's promise)."""

    class Two(nn.Module):
        def forward(self, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
            return a * b, a + b

    for module in (Scale(), Two()):
        module.register_full_backward_hook(lambda m, gi, go: None)
        module.register_full_backward_pre_hook(lambda m, go: None)
        enabled = gc.isenabled()
        gc.disable()
        try:
            args = [t64([1.0, 2.0], requires_grad=True) for _ in range(1 + isinstance(module, Two))]
            out = module(*args)
            first = out[0] if isinstance(out, tuple) else out
            assert first._node is not None
            node = weakref.ref(first._node)
            first.sum().backward(retain_graph=True)
            del out, first
            assert node() is None
        finally:
            if enabled:
                gc.enable()


def test_namedtuple_output_keeps_its_type_and_unused_output_gets_none() -> None:
    Pair = namedtuple("Pair", ["first", "second"])

    class Split(nn.Module):
        def forward(self, x: Tensor) -> Any:
            return Pair(x * 2, x * 3)

    m = Split()
    calls: list[Any] = []
    m.register_full_backward_pre_hook(lambda mod, go: calls.append(go))
    x = t64([1.0, 2.0], requires_grad=True)
    out = m(x)
    assert type(out) is Pair
    out.first.sum().backward()
    ((g0, g1),) = calls
    np.testing.assert_allclose(g0.data, [1.0, 1.0])
    assert g1 is None


def test_non_tensor_output_warns_and_runs_no_backward_hook() -> None:
    class ToList(nn.Module):
        def forward(self, x: Tensor) -> list[Tensor]:
            return [x * 2]

    m = ToList()
    calls: list[Any] = []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append(gi))
    x = t64([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="should be a Tensor or a tuple of Tensors"):
        out = m(x)
    out[0].sum().backward()
    assert calls == []


def test_modules_without_hooks_record_no_extra_nodes() -> None:
    lin = nn.Linear(2, 2)
    x = tg.ones(1, 2, requires_grad=True)
    assert len(tg.autograd.toposort(lin(x)._node)) == 4  # linear node and its three leaves
    handle = lin.register_full_backward_hook(lambda m, gi, go: None)
    assert len(tg.autograd.toposort(lin(x)._node)) == 6  # a funnel node on each side
    handle.remove()
    assert len(tg.autograd.toposort(lin(x)._node)) == 4


def test_retained_grad_of_an_output_is_not_replaced_by_a_pre_hook() -> None:
    """out.grad is ∂F/∂out; the pre-hook replaces what flows into the call (torch: 1, not 2:
    the output itself was the vertex whose hook replaced it)."""
    lin = nn.Linear(2, 2, dtype=f64)
    lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
    x = t64([[1.0, 1.0]], requires_grad=True)
    out = lin(x)
    out.retain_grad()
    out.sum().backward()
    assert out.grad is not None and out.grad.tolist() == [[1.0, 1.0]]
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, 2 * lin.weight.data.sum(0, keepdims=True))


def test_nested_hooked_modules_pass_on_none_for_an_unused_output() -> None:
    """The outer module's gate passed zeros on to the inner module's unused output, whose
    pre-hook saw zeros, not None (torch: None); an unused input gets zeros, as torch."""

    class Inner(nn.Module):
        def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
            return x * 2, x * 3

    class Outer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = Inner()

        def forward(self, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
            return self.inner(x)

    outer = Outer()
    seen: list[Any] = []
    outer.inner.register_full_backward_pre_hook(lambda m, go: seen.append(("inner", go)))
    outer.register_full_backward_pre_hook(lambda m, go: seen.append(("outer", go)))
    outer.register_full_backward_hook(lambda m, gi, go: seen.append(("outer gi", gi)))
    x, y = t64([1.0, 1.0], requires_grad=True), t64([1.0, 1.0], requires_grad=True)
    a, _ = outer(x, y)
    a.sum().backward()
    assert [name for name, _ in seen] == ["outer", "inner", "outer gi"]
    assert seen[0][1][1] is None and seen[1][1][1] is None
    np.testing.assert_array_equal(seen[2][1][1].data, [0.0, 0.0])  # y: unused, zeros
    assert y.grad is not None and y.grad.tolist() == [0.0, 0.0]


def test_none_in_a_returned_gradient_sends_no_gradient() -> None:
    """As torch: a leaf whose gradient a full backward hook replaced by None keeps .grad None
    (it got a zero gradient). A pre-hook's None stops the gradient before the call's graph;
    torch runs that graph with an undefined gradient, whose input gate gives a and b zeros
    (a difference kept: here nothing below a None runs)."""

    class Two(nn.Module):
        def forward(self, a: Tensor, b: Tensor) -> Tensor:
            return a * b

    m = Two()
    m.register_full_backward_hook(lambda mod, gi, go: (None, gi[1]))
    a, b = t64([1.0, 2.0], requires_grad=True), t64([3.0, 4.0], requires_grad=True)
    m(a, b).sum().backward()
    assert a.grad is None
    assert b.grad is not None and b.grad.tolist() == [1.0, 2.0]
    m = Two()
    m.register_full_backward_pre_hook(lambda mod, go: (None,))
    a.grad = b.grad = None
    out = m(a, b)
    out.retain_grad()
    out.sum().backward()
    assert a.grad is None and b.grad is None  # torch: zeros
    assert out.grad is not None and out.grad.tolist() == [1.0, 1.0]


# ----------------------------------------------------------------------------- against torch


def _arrays(grads: Any) -> tuple[np.ndarray | None, ...]:
    out = []
    for g in grads:
        if g is None:
            out.append(None)
        elif isinstance(g, Tensor):
            out.append(g.data.copy())
        else:  # a torch tensor
            out.append(g.detach().numpy().copy())
    return tuple(out)


def _hook_everything(model: Any, log: list[Any]) -> None:
    for name, mod in model.named_modules():

        def pre(m: Any, go: Any, name: str = name) -> None:
            log.append(("pre", name, _arrays(go)))

        def full(m: Any, gi: Any, go: Any, name: str = name) -> None:
            log.append(("full", name, _arrays(gi), _arrays(go)))

        mod.register_full_backward_pre_hook(pre)
        mod.register_full_backward_hook(full)


def _copy_weights(ours: nn.Module, theirs: Any, torch: Any) -> None:
    mine = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        with torch.no_grad():
            p.copy_(torch.from_numpy(mine[name].data))


def _assert_same_log(ours: list[Any], theirs: list[Any]) -> None:
    assert [entry[:2] for entry in ours] == [entry[:2] for entry in theirs]
    for a, b in zip(ours, theirs):
        for grads_a, grads_b in zip(a[2:], b[2:]):
            assert len(grads_a) == len(grads_b), (a[:2], grads_a, grads_b)
            for ga, gb in zip(grads_a, grads_b):
                assert (ga is None) == (gb is None), (a[:2], grads_a, grads_b)
                if ga is not None:
                    np.testing.assert_allclose(ga, gb, rtol=1e-12, atol=1e-12)


def _linear(lib: Any, dtype: Any) -> Any:
    return lib.nn.Linear(3, 2, dtype=dtype)


def _mlp(lib: Any, dtype: Any) -> Any:
    return lib.nn.Sequential(
        lib.nn.Linear(3, 4, dtype=dtype), lib.nn.ReLU(), lib.nn.Linear(4, 2, dtype=dtype)
    )


def _two_inputs(lib: Any, dtype: Any) -> Any:
    class TwoInputs(lib.nn.Module):  # type: ignore[misc, name-defined]
        """Two tensor inputs, three outputs: two tensors (the second unused) and a number."""

        def __init__(self) -> None:
            super().__init__()
            self.lin = lib.nn.Linear(3, 3, dtype=dtype)

        def forward(self, a: Any, b: Any) -> Any:
            return (self.lin(a) * b).tanh(), a.sum(), 7

    return TwoInputs()


def _with_scalar(lib: Any, dtype: Any) -> Any:
    class WithScalar(lib.nn.Module):  # type: ignore[misc, name-defined]
        """A tensor, a float and a string argument."""

        def __init__(self) -> None:
            super().__init__()
            self.lin = lib.nn.Linear(3, 2, dtype=dtype)

        def forward(self, x: Any, scale: float, mode: str) -> Any:
            y = self.lin(x) * scale
            return y.relu() if mode == "relu" else y

    return WithScalar()


TORCH_CASES: list[tuple[str, Callable[[Any, Any], Any], list[bool], tuple[Any, ...]]] = [
    # name, model, which tensor inputs require grad, extra positional arguments
    ("linear", _linear, [True], ()),
    ("linear, input without grad", _linear, [False], ()),
    ("sequential", _mlp, [True], ()),
    ("sequential, input without grad", _mlp, [False], ()),
    ("two tensor inputs", _two_inputs, [True, True], ()),
    ("non-tensor arguments", _with_scalar, [True], (2.5, "relu")),
]


@pytest.mark.parametrize(
    ("build", "grads", "extra"), [c[1:] for c in TORCH_CASES], ids=[c[0] for c in TORCH_CASES]
)
def test_backward_hook_calls_match_torch(
    build: Callable[[Any, Any], Any], grads: list[bool], extra: tuple[Any, ...]
) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal((4, 3)) for _ in grads]
    seed = None
    logs = []
    ours = build(tg, f64)
    theirs = build(torch, torch.float64)
    _copy_weights(ours, theirs, torch)
    for lib, model in ((tg, ours), (torch, theirs)):
        log: list[Any] = []
        _hook_everything(model, log)
        xs = [lib.tensor(a, requires_grad=r) for a, r in zip(inputs, grads)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # no input requires grad: both warn
            out = model(*xs, *extra)
            first = out[0] if isinstance(out, tuple) else out
            if seed is None:
                seed = rng.standard_normal(tuple(first.shape))
            first.backward(lib.tensor(seed))
        grads_of_inputs = [None if x.grad is None else x.grad.numpy() for x in xs]
        weight_grads = [p.grad.numpy() for p in model.parameters()]
        logs.append((log, grads_of_inputs, weight_grads))
    (log_a, gx_a, gw_a), (log_b, gx_b, gw_b) = logs
    assert log_a, "no hook ran"
    _assert_same_log(log_a, log_b)
    for a, b in zip([*gx_a, *gw_a], [*gx_b, *gw_b]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("where", ["full", "pre"])
def test_replacing_gradients_matches_torch(where: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x0 = rng.standard_normal((2, 3))
    results = []
    ours, theirs = _mlp(tg, f64), _mlp(torch, torch.float64)
    _copy_weights(ours, theirs, torch)
    for lib, model in ((tg, ours), (torch, theirs)):
        first = model[0]
        if where == "full":  # the ReLU's grad_input, doubled, flows into the first Linear
            model[1].register_full_backward_hook(lambda m, gi, go: (gi[0] * 2,))
        else:  # the last Linear's grad_output, negated
            model[2].register_full_backward_pre_hook(lambda m, go: (-go[0],))
        x = lib.tensor(x0, requires_grad=True)
        (model(x) ** 2).sum().backward()
        results.append([x.grad.numpy(), first.weight.grad.numpy(), model[2].weight.grad.numpy()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_forward_and_backward_hook_arguments_match_torch_for_a_tensor_without_grad() -> None:
    """A tensor argument that does not require grad (when another does) gets zeros of its
    shape and dtype in grad_input, as in torch."""
    torch = pytest.importorskip("torch")
    got = []
    for lib in (tg, torch):
        m = _two_inputs(lib, lib.float64)
        calls: list[Any] = []
        m.register_full_backward_hook(lambda mod, gi, go, calls=calls: calls.append(_arrays(gi)))
        a = lib.ones(4, 3, dtype=lib.float64, requires_grad=True)
        b = lib.ones(4, 3, dtype=lib.float64)
        with lib.no_grad():
            for p in m.parameters():
                p.fill_(0.5)
        m(a, b)[0].sum().backward()
        got.append(calls[0])
    (ga, gb), (ta, tb) = got
    np.testing.assert_allclose(ga, ta, rtol=1e-12)
    np.testing.assert_array_equal(gb, np.zeros((4, 3)))
    np.testing.assert_array_equal(tb, np.zeros((4, 3)))


def _hooked_backward_twice(lib: Any, relu: bool) -> tuple[list[str], Any]:
    """A module with a full backward hook, backward twice without retain_graph: the calls seen
    and x.grad (None if the second pass was refused)."""

    class AddOne(lib.nn.Module):
        def forward(self, x: Any) -> Any:
            return (x + 1).relu() if relu else x + 1

    m, calls = AddOne(), []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("hook"))
    x = lib.tensor([[1.0, 2.0]], dtype=lib.float64, requires_grad=True)
    y = m(x).sum()
    y.backward()
    try:
        y.backward()
    except RuntimeError:
        return calls, None
    return calls, x.grad.detach().numpy()


@pytest.mark.parametrize("relu", [False, True])
def test_second_backward_through_a_hooked_module_as_torch(relu: bool) -> None:
    # The hook's gate saves nothing, so only what the module itself saved decides (relu's out)
    calls, grad = _hooked_backward_twice(tg, relu)
    assert calls == (["hook"] if relu else ["hook", "hook"])
    assert (grad is None) == relu
    if grad is not None:
        np.testing.assert_array_equal(grad, [[2.0, 2.0]])
    torch = pytest.importorskip("torch")
    their_calls, theirs = _hooked_backward_twice(torch, relu)
    assert their_calls == calls and (theirs is None) == relu
