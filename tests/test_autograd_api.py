"""The autograd API's bookkeeping against torch 2.13's answers (hard-coded here, so the tests
run without torch): hooks seen by grad() and backward(inputs=), .grad never sharing memory a
caller or a hook holds, create_graph's .grad and retained gradients, and torch's signatures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import autograd, nn
from tinygrad_ed.autograd import AccumulateGrad


def _x() -> tg.Tensor:
    return tg.tensor([1.0, 2.0], requires_grad=True)


def _values(t: tg.Tensor | None) -> Any:
    assert t is not None
    return t.tolist()


def test_hooks_run_before_a_gradient_is_captured() -> None:
    x = _x()
    x.register_hook(lambda g: g * 10)
    assert _values(autograd.grad((x * x).sum(), x)[0]) == [20.0, 40.0]
    x = _x()
    y = x * 2
    y.register_hook(lambda g: g * 10)
    assert _values(autograd.grad((y * y).sum(), y)[0]) == [40.0, 80.0]
    y = _x() * 2
    y.register_hook(lambda g: g * 10)
    (y * y).sum().backward(inputs=[y])
    assert _values(y.grad) == [40.0, 80.0]


def test_backward_inputs_counts_each_gradient_once_and_retains_non_leaves() -> None:
    y = _x() * 2
    y.retain_grad()
    (y * y).sum().backward(inputs=[y])
    assert _values(y.grad) == [4.0, 8.0]
    x = _x()
    (x * x).sum().backward(inputs=[x, x])
    assert _values(x.grad) == [2.0, 4.0]
    y = _x() * 2
    (y * y).sum().backward(inputs=[y], retain_graph=True)
    (y * y).sum().backward()
    assert y.retains_grad and _values(y.grad) == [8.0, 16.0]


def test_grad_never_shares_memory_a_caller_or_a_hook_holds() -> None:
    x = _x()
    buf = tg.tensor([10.0, 10.0])
    x.register_hook(lambda g: buf)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert _values(buf) == [10.0, 10.0] and _values(x.grad) == [20.0, 20.0]
    x, kept = _x(), []
    x.register_hook(lambda g: kept.append(g))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert _values(kept[0]) == [3.0, 3.0]
    for create_graph in (False, True):
        x, g = _x(), tg.tensor([1.0, 1.0])
        y = x.clone()
        if create_graph:
            y.backward(g, create_graph=True)
            y.backward(g)
        else:
            y.backward(g, inputs=[x], retain_graph=True)
            y.backward(g, inputs=[x])
        assert _values(g) == [1.0, 1.0] and _values(x.grad) == [2.0, 2.0]


def test_create_graph_grads_are_separate_and_writable() -> None:
    x, w = _x(), _x()
    ((x + w) * 3).sum().backward(create_graph=True)
    assert x.grad is not w.grad
    ((x + w) * 3).sum().backward()
    assert _values(x.grad) == [6.0, 6.0] and _values(w.grad) == [6.0, 6.0]
    x, w = _x(), _x()
    (x + w).sum().backward(create_graph=True)
    with tg.no_grad():
        x.grad.zero_()  # type: ignore[union-attr]
    assert _values(x.grad) == [0.0, 0.0] and _values(w.grad) == [1.0, 1.0]


def test_retained_grad_keeps_its_graph_under_create_graph() -> None:
    x = _x()
    y = x * x
    y.retain_grad()
    (y * y).sum().backward(create_graph=True)  # y.grad = 2y = 2x²
    assert y.grad is not None and y.grad.requires_grad
    x.grad = None
    (y.grad * x).sum().backward()  # d/dx Σ 2x³ = 6x²
    assert _values(x.grad) == [6.0, 24.0]


def test_leaf_that_stopped_requiring_grad_gets_none() -> None:
    x = _x()
    y = (x * x).sum()
    x.requires_grad_(False)
    y.backward()
    assert x.grad is None


def test_the_seed_takes_the_output_dtype() -> None:
    y = _x() * 2
    y.retain_grad()
    seen: list[Any] = []
    y.register_hook(lambda g: seen.append(g.dtype))
    y.backward(tg.tensor([1.0, 1.0], dtype=tg.float64))
    assert seen == [np.float32] and y.grad is not None and y.grad.dtype == np.float32


def test_each_handle_removes_its_own_registration() -> None:
    x, calls = _x(), []

    def h(g: tg.Tensor) -> None:
        calls.append(1)

    first = x.register_hook(h)
    x.register_hook(h)
    first.remove()
    (x * 1).sum().backward()
    assert len(calls) == 1


def test_torch_signatures_and_iterables() -> None:
    x = _x()
    model = nn.Linear(2, 1)
    loss = model(x).sum()
    grads = autograd.grad(loss, model.parameters())  # a generator, as torch code passes
    assert [g.shape for g in grads] == [(1, 2), (1,)]
    x = _x()
    autograd.backward((x * x).sum())
    assert _values(x.grad) == [2.0, 4.0]
    a, b = _x(), _x()
    autograd.backward([(a * a).sum(), (b * 3).sum()], [tg.tensor(2.0), tg.tensor(1.0)])
    assert _values(a.grad) == [4.0, 8.0] and _values(b.grad) == [3.0, 3.0]
    x = _x()
    fn = (x * 2).sum().grad_fn
    assert fn is not None
    (inner, index), *_ = fn.next_functions
    assert index == 0 and inner.name() == "MulBackward"
    assert inner.next_functions[0][0].variable is x  # type: ignore[union-attr]
    assert _values(autograd.grad((x * 3).sum(), x, None, None, False, True)[0]) == [3.0, 3.0]
    with pytest.raises(ValueError, match="allow_unused to be True or not passed"):
        autograd.grad((x * x).sum(), [x], allow_unused=False, materialize_grads=True)
    with pytest.raises(RuntimeError, match="non-empty inputs"):
        autograd.grad((x * 3).sum(), [])
    with pytest.raises(RuntimeError, match="inputs argument must not be empty"):
        tg.ones(2).sum().backward(inputs=[])  # before the loss's own check, as torch
    with pytest.raises(TypeError, match="element 0 of inputs is a ndarray, not a Tensor"):
        autograd.grad((x * 3).sum(), [np.ones(2)])


def test_grad_runs_no_rule_below_its_inputs() -> None:
    """grad(l, y) needs nothing below y: y's own node keeps its saved values, as in torch."""
    x = _x()
    y = x.exp()
    autograd.grad((y * 2).sum(), y)
    y.sum().backward()
    np.testing.assert_allclose(_values(x.grad), np.exp([1.0, 2.0]), rtol=1e-6)


def test_inference_mode_and_detach_() -> None:
    x = _x()
    with tg.inference_mode():
        assert not (x * 2).requires_grad
    with tg.inference_mode(False):
        assert (x * 2).requires_grad

    @tg.inference_mode
    def f(t: tg.Tensor) -> tg.Tensor:
        return t * 2

    @tg.inference_mode()
    def g(t: tg.Tensor) -> tg.Tensor:
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad and tg.is_grad_enabled()
    y = x * 2
    assert y.detach_() is y and y.is_leaf and not y.requires_grad and y.grad_fn is None


VIEWS_AND_NOT = {
    "x.detach()": False,
    "x[0].detach()": False,
    "x * 1": False,
    "x[[0]]": False,  # an integer-array index copies
    "x.t().contiguous()": False,
    "lib.nn.Parameter(x.detach()[0])": False,  # shares memory, but no view (torch's neither)
    "lib.nn.Buffer(x[0])": False,
    "x.T": True,
    "x[0]": True,
    "x.reshape(6)": True,
    "x.view(-1)": True,
    "x.expand(2, 3, 2)": True,
    "x.unbind()[1]": True,
    "x.chunk(2)[0]": True,
    "x.diagonal()": True,
    "x.squeeze()": True,  # nothing to squeeze: still a view
    "x.detach()[0]": True,
    "x.detach().T": True,
    "(x * 1)[0]": True,
    "x.as_strided((2,), (1,))": True,
}


@pytest.mark.parametrize("requires_grad", [True, False])
@pytest.mark.parametrize("make", sorted(VIEWS_AND_NOT))
def test_detach_in_place_is_refused_for_views(make: str, requires_grad: bool) -> None:
    """``_is_view()`` as torch's, and ``detach_()`` refused on exactly those (torch's error):
    a view's history is its base's."""
    for lib in [tg, *([torch] if (torch := _torch()) is not None else [])]:
        x = lib.ones(3, 2, requires_grad=requires_grad)
        t = eval(make, {"x": x, "lib": lib})
        assert t._is_view() is VIEWS_AND_NOT[make], lib.__name__
        if VIEWS_AND_NOT[make]:
            with pytest.raises(RuntimeError, match="Can't detach views in-place"):
                t.detach_()
        else:
            assert t.detach_() is t and not t.requires_grad and t.grad_fn is None


@pytest.mark.parametrize("lib_name", ["tinygrad_ed", "torch"])
def test_as_subclass_is_an_alias_in_the_graph(lib_name: str) -> None:
    """x.as_subclass(Sub): an alias view of x of type Sub (AliasBackward), whose gradient
    reaches x and whose values follow x's in-place changes, as torch's."""
    lib = tg if lib_name == "tinygrad_ed" else pytest.importorskip("torch")

    class Sub(lib.Tensor):  # type: ignore[misc,name-defined]
        pass

    a = lib.ones(2, requires_grad=True)
    x = a * 2
    y = x.as_subclass(Sub)
    assert type(y) is Sub and y._is_view() and y.requires_grad and not y.is_leaf
    assert y.grad_fn.name().rstrip("0") == "AliasBackward"
    (y * 3).sum().backward()
    assert a.grad.tolist() == [6.0, 6.0]
    with lib.no_grad():
        x.mul_(2)
    assert y.tolist() == [4.0, 4.0]
    b = lib.ones(3, requires_grad=True) * 1
    v = b.as_subclass(Sub)
    b.mul_(lib.ones(3, requires_grad=True))  # the view follows its base's new history
    assert v.grad_fn.name().rstrip("0") == "AsStridedBackward"
    plain = lib.ones(2).as_subclass(Sub)
    assert plain.grad_fn is None and not plain.requires_grad
    with pytest.raises(TypeError):
        x.as_subclass(int)


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def test_grad_fn_shows_its_saved_values_as_torchs_saved_attributes() -> None:
    """grad_fn._saved_self / _saved_other / _saved_result / _saved_dim (the Autograd mechanics
    note's inspection), with torch 2.13's answers: a saved input is the input itself, the saved
    output equals the output (another object, with its grad_fn), None where no rule that runs
    reads it, torch's errors once freed or changed in place."""
    x = _x()
    c = tg.tensor([3.0, 4.0])
    y = x * c
    assert y.grad_fn is not None
    assert y.grad_fn._saved_other is c and y.grad_fn._saved_self is None  # c needs no gradient
    assert {"_saved_self", "_saved_other"} <= set(dir(y.grad_fn))
    z = x.exp()
    assert z.grad_fn is not None
    saved = z.grad_fn._saved_result
    assert saved is not z and saved.equal(z) and saved.grad_fn is z.grad_fn
    with pytest.raises(AttributeError, match="'ExpBackward' object has no attribute '_saved_self'"):
        z.grad_fn._saved_self  # noqa: B018  (torch's ExpBackward0 keeps its result only)
    s = x.sum(0, keepdim=True)
    assert s.grad_fn is not None
    assert (s.grad_fn._saved_dim, s.grad_fn._saved_keepdim) == ((0,), True)
    assert not [a for a in dir((x + c).grad_fn) if a.startswith("_saved_")]  # reads no value
    assert {a for a in dir(x.relu().grad_fn) if a.startswith("_saved_")} == {"_saved_result"}
    z.sum().backward()
    with pytest.raises(RuntimeError, match="access saved tensors after they have already"):
        z.grad_fn._saved_result  # noqa: B018
    assert s.grad_fn._saved_dim == (0,)  # not a tensor: kept, as torch's
    h = x * 1
    p = h * h
    assert p.grad_fn is not None and p.grad_fn._saved_self is h
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        p.grad_fn._saved_self  # noqa: B018


def test_grad_fn_saved_attributes_agree_with_torch() -> None:
    """The attribute names of common ops and their values beside torch's."""
    torch = pytest.importorskip("torch")
    cases = [
        ("mul", lambda m, a, b: a * b),
        ("div", lambda m, a, b: a / b),
        ("exp", lambda m, a, b: a.exp()),
        ("tanh", lambda m, a, b: a.tanh()),
        ("sigmoid", lambda m, a, b: a.sigmoid()),
        ("relu", lambda m, a, b: a.relu()),
        ("log", lambda m, a, b: a.log()),
        ("sin", lambda m, a, b: a.sin()),
        ("sum", lambda m, a, b: a.sum(1, keepdim=True)),
    ]
    data = np.array([[0.5, 1.5], [2.0, 3.0]])
    for name, f in cases:
        outs = {}
        for m in (tg, torch):
            a = m.tensor(data, requires_grad=True)
            b = m.tensor(data + 1, requires_grad=True)
            fn = f(m, a, b).grad_fn
            attrs = {k for k in dir(fn) if k.startswith("_saved_") and "sym" not in k}
            outs[m.__name__] = {
                k: (np.asarray(v.detach().numpy()) if hasattr(v, "detach") else v)
                for k in attrs
                for v in [getattr(fn, k)]
            }
        ours, theirs = outs["tinygrad_ed"], outs["torch"]
        assert set(ours) == set(theirs), name
        for k, v in ours.items():
            np.testing.assert_allclose(v, theirs[k], err_msg=f"{name} {k}")


def _accumulate_grad_story(lib: Any) -> list[Any]:
    """torch's AccumulateGrad as code meets it: one per leaf while referenced, empty
    next_functions, the leaf as ``variable``, and its pre- and posthooks."""
    w = lib.ones(2, requires_grad=True)
    c = lib.ones(2)
    y = (w * c * w).sum()
    mul = y.grad_fn.next_functions[0][0]
    acc = mul.next_functions[1][0]
    seen: list[Any] = [
        type(acc).__name__,
        acc.name(),
        acc.next_functions,
        acc.variable is w,
        acc.metadata,
        mul.next_functions[1][0] is acc,
        mul.next_functions[0][0].next_functions[0][0] is acc,  # the same leaf, the same node
        mul.next_functions[0][0].next_functions[1],  # c needs no gradient
    ]
    calls: list[Any] = []
    pre = acc.register_prehook(lambda go: calls.append(("pre", [g.tolist() for g in go])))
    acc.register_hook(lambda gi, go: calls.append(("post", gi, [g.tolist() for g in go])))
    y.backward()
    seen += [list(calls), w.grad.tolist()]
    pre.remove()
    acc.register_prehook(lambda go: (go[0] * 10,))  # a replacement reaches .grad
    (w * 3).sum().backward()
    seen += [calls[2:], w.grad.tolist()]
    return seen


def test_accumulate_grad_as_torchs() -> None:
    ours = _accumulate_grad_story(tg)
    assert ours[:6] == ["AccumulateGrad", "torch::autograd::AccumulateGrad", (), True, {}, True]
    assert ours[6:] == [
        True,
        (None, 0),
        [("pre", [[2.0, 2.0]]), ("post", (), [[2.0, 2.0]])],
        [2.0, 2.0],
        [("post", (), [[30.0, 30.0]])],
        [32.0, 32.0],
    ]
    w = tg.ones(1, requires_grad=True)
    first = AccumulateGrad.of(w)
    assert AccumulateGrad.of(w) is first  # while referenced
    with pytest.raises(RuntimeError, match="hooks on AccumulateGrad should return None"):
        first.register_hook(lambda gi, go: go)
        (w * 1).sum().backward()
    torch = pytest.importorskip("torch")
    assert ours == _accumulate_grad_story(torch)


def test_accumulate_grad_makes_no_reference_cycle() -> None:
    import gc
    import weakref

    gc.disable()
    try:
        w = tg.ones(2, requires_grad=True)
        acc = (w * 2).grad_fn.next_functions[0][0]  # type: ignore[union-attr]
        assert isinstance(acc, AccumulateGrad)
        gone = weakref.ref(acc)
        del acc
        assert gone() is None  # freed by reference counting alone
        leaf = weakref.ref(w)
        AccumulateGrad.of(w)
        del w
        assert leaf() is None
    finally:
        gc.enable()


def test_reflected_add_and_mul_list_the_tensor_first() -> None:
    """torch's ``2 * b`` and ``1 + b`` are ``mul(b, 2)`` and ``add(b, 1)``: the tensor's node
    comes first in ``next_functions`` (and is ``_saved_self``'s place), the scalar second."""
    b = tg.tensor([0.5, 1.5], requires_grad=True).sin()
    for y in (2 * b, 1 + b, np.float64(2.0) * b):
        assert [f.name() if f else None for f, _ in y.grad_fn.next_functions] == [
            "SinBackward",
            None,
        ]
    x = tg.tensor([0.5, 1.5], dtype=tg.float64, requires_grad=True)
    (3 * x * x + 2 + x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * x.detach().numpy() + 1)
    torch = pytest.importorskip("torch")
    t = torch.tensor([0.5, 1.5], requires_grad=True).sin()
    for y in (2 * t, 1 + t):
        assert [f.name() if f else None for f, _ in y.grad_fn.next_functions] == [
            "SinBackward0",
            None,
        ]


def test_next_functions_walk_as_torchs() -> None:
    """torch's graph walk (the introyt autograd tutorial): ``2 * b`` lists b's node first, as
    torch's ``mul(b, 2)``, and the walk ends at an ``AccumulateGrad`` whose ``next_functions``
    is empty and whose ``variable`` is the leaf."""
    a = tg.linspace(0.0, 2.0 * np.pi, steps=25, requires_grad=True)
    b = tg.sin(a)
    d = 2 * b + 1
    add, mul = d.grad_fn, d.grad_fn.next_functions[0][0]
    assert [f.name() if f else None for f, _ in add.next_functions] == ["MulBackward", None]
    assert [f.name() if f else None for f, _ in mul.next_functions] == ["SinBackward", None]
    ((acc, index),) = mul.next_functions[0][0].next_functions
    assert index == 0 and acc.variable is a and acc.next_functions == ()
    assert acc is AccumulateGrad.of(a) and acc.name() == "torch::autograd::AccumulateGrad"
    assert (1 + b).grad_fn.next_functions[0][0] is b.grad_fn
    d.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * np.cos(a.detach().numpy()), atol=1e-6)
    torch = pytest.importorskip("torch")
    t = torch.linspace(0.0, 2.0 * np.pi, steps=25, requires_grad=True)
    u = 2 * torch.sin(t) + 1
    walk = u.grad_fn.next_functions[0][0].next_functions[0][0].next_functions
    assert [f.name() if f else None for f, _ in u.grad_fn.next_functions] == ["MulBackward0", None]
    assert walk[0][0].name() == acc.name() and walk[0][0].next_functions == ()
    assert walk[0][0].variable is t
