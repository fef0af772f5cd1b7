"""In-place ops on views of tensors autograd follows, and on tensors that have views.

torch records an in-place op on a view on the view's base (the base's ``grad_fn`` becomes
CopySlices) and makes the grad_fn of every view of that base again from the base's new history
(AsStridedBackward). Every test runs the same code on torch and on tinygrad_ed and compares
values, the gradients of the base's input and of the op's other operand, grad_fn names and
errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _grad_fn_names import grad_fn_name as _name

import tinygrad_ed as tg
from tinygrad_ed import Tensor

torch = pytest.importorskip("torch")

X = np.array([[0.7, -1.3, 0.2, 1.1], [1.9, -0.4, -2.2, 0.5], [-0.8, 1.6, 0.3, -1.7]])
MODIFIED = "modified by an inplace operation"


def _pair(a: np.ndarray) -> tuple[Tensor, Any]:
    return tg.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


def _weights(shape: Any) -> np.ndarray:
    n = int(np.prod(shape))
    return np.linspace(-1.0, 2.0, n).reshape(tuple(shape)) if n else np.zeros(tuple(shape))


# (description, the view of h (3, 4), the same code on both libraries)
VIEWS: list[tuple[str, Callable[[Any], Any]]] = [
    ("h[1:]", lambda h: h[1:]),
    ("h.T", lambda h: h.T),
    ("h.view(4, 3)", lambda h: h.view(4, 3)),
    ("h.reshape(12)", lambda h: h.reshape(12)),
    ("h.select(0, 1)", lambda h: h.select(0, 1)),
    ("h.diagonal()", lambda h: h.diagonal()),
    ("h.unsqueeze(0)", lambda h: h.unsqueeze(0)),
    ("h.permute(1, 0)", lambda h: h.permute(1, 0)),
    ("h.narrow(1, 1, 2)", lambda h: h.narrow(1, 1, 2)),
    ("h[::2, 1]", lambda h: h[::2, 1]),
    ("h[1:].T (a view of a view)", lambda h: h[1:].T),
    ("h.T[1:] (a view of a view)", lambda h: h.T[1:]),
    ("h.flatten()", lambda h: h.flatten()),
    ("h[...]", lambda h: h[...]),
    ("h[1, 2] (0-d)", lambda h: h[1, 2]),
]

# (description, the in-place op on the view v with the other operand y of v's shape)
OPS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("mul_(2)", lambda v, y: v.mul_(2.0)),
    ("mul_(y)", lambda v, y: v.mul_(y)),
    ("add_(y, alpha)", lambda v, y: v.add_(y, alpha=0.5)),
    ("exp_()", lambda v, y: v.exp_()),
    ("copy_(y)", lambda v, y: v.copy_(y)),
    ("fill_(1.5)", lambda v, y: v.fill_(1.5)),
    ("zero_()", lambda v, y: v.zero_()),
    ("clamp_(-0.5, 0.5)", lambda v, y: v.clamp_(-0.5, 0.5)),
    ("__setitem__(..., y)", lambda v, y: v.__setitem__(..., y)),
]


def _run(lib: Any, x: Any, y: Any, view: Callable[[Any], Any], op: Callable[..., Any]) -> Any:
    h = x * 2
    v = view(h)
    assert op(v, y) is None or True
    return h, v


@pytest.mark.parametrize("vi", range(len(VIEWS)), ids=[d for d, _ in VIEWS])
@pytest.mark.parametrize("oi", range(len(OPS)), ids=[d for d, _ in OPS])
def test_an_in_place_op_on_a_view_matches_torch(vi: int, oi: int) -> None:
    _, view = VIEWS[vi]
    _, op = OPS[oi]
    x, tx = _pair(X)
    shape = tuple(view(torch.tensor(X)).shape)
    yv = np.linspace(-0.9, 1.3, int(np.prod(shape))).reshape(shape)
    y, ty = _pair(yv)
    h, v = _run(tg, x, y, view, op)
    th, tv = _run(torch, tx, ty, view, op)
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(v.data, tv.detach().numpy(), rtol=1e-13, atol=1e-15)
    assert _name(h.grad_fn) == _name(th.grad_fn) == "CopySlices"
    assert _name(v.grad_fn) == _name(tv.grad_fn) == "AsStridedBackward"
    # both the base and the view afterwards, weighted so that every element counts
    wh, wv = _weights(h.shape), _weights(v.shape)
    ((h * tg.tensor(wh)).sum() + (v * v * tg.tensor(wv)).sum()).backward()
    ((th * torch.tensor(wh)).sum() + (tv * tv * torch.tensor(wv)).sum()).backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    if ty.grad is None:
        assert y.grad is None
    else:
        assert y.grad is not None
        np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("vi", range(len(VIEWS)), ids=[d for d, _ in VIEWS])
def test_an_in_place_op_on_the_base_remakes_its_views_as_torch(vi: int) -> None:
    _, view = VIEWS[vi]

    def run(lib: Any, x: Any) -> tuple[Any, Any, Any]:
        h = x * 2
        v = view(h)
        w = h.T  # a second view
        h.mul_(x)
        return h, v, w

    x, tx = _pair(X)
    h, v, w = run(tg, x)
    th, tv, tw = run(torch, tx)
    assert _name(h.grad_fn) == _name(th.grad_fn) == "MulBackward"
    for a, b in ((v, tv), (w, tw)):
        assert _name(a.grad_fn) == _name(b.grad_fn) == "AsStridedBackward"
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-14)
    wv = _weights(v.shape)
    ((v * v * tg.tensor(wv)).sum() + w.sum()).backward()
    ((tv * tv * torch.tensor(wv)).sum() + tw.sum()).backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_a_chain_of_writes_through_several_views_matches_torch() -> None:
    def run(lib: Any, x: Any, y: Any) -> Any:
        h = x * 1.5 + 0.25  # saves nothing the writes change
        a, b = h[0], h[:, 1:3]
        a.mul_(y[0])
        b.add_(h[2, :2])  # reads the base: recorded before the write
        h.diagonal().sub_(1.0)
        h[2] = a * 3  # __setitem__ with a value read through a view
        return h.exp() + b.sum()

    x, tx = _pair(X)
    y, ty = _pair(X[::-1].copy())
    out, tout = run(tg, x, y), run(torch, tx, ty)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-13)
    wo = _weights(out.shape)
    (out * tg.tensor(wo)).sum().backward()
    (tout * torch.tensor(wo)).sum().backward()
    assert x.grad is not None and y.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_a_plain_tensor_written_through_is_followed_by_its_recorded_views() -> None:
    """A view made after the base took part in autograd follows a later write."""

    def run(lib: Any, x: Any) -> Any:
        h = lib.zeros(3, 4, dtype=lib.float64)
        h += x  # h now requires grad (AddBackward)
        v = h[1]
        v.mul_(x[0])
        return h, v

    x, tx = _pair(X)
    (h, v), (th, tv) = run(tg, x), run(torch, tx)
    assert _name(h.grad_fn) == _name(th.grad_fn) == "CopySlices"
    (h.sum() + v.sum()).backward()
    (th.sum() + tv.sum()).backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13)


def test_version_errors_as_torch() -> None:
    """A node that saved the base (or a view of it) refuses backward after a write through a
    view, as torch; one that saved a copy does not."""

    def saved_base(lib: Any, x: Any) -> Any:
        h = x * 2
        z = h * h
        h[1:].mul_(2)
        return z

    def saved_view(lib: Any, x: Any) -> Any:
        h = x * 2
        v = h[1:]
        z = v * v
        h.T.add_(1)
        return z

    def exp_of_the_base(lib: Any, x: Any) -> Any:
        h = x.exp()  # exp reads its output, which the write through the view changes
        h[0].mul_(2)
        return h.sum() * 1.0

    for make in (saved_base, saved_view, exp_of_the_base):
        for lib in (tg, torch):
            x = lib.tensor(X.copy(), requires_grad=True)
            z = make(lib, x)
            with pytest.raises(RuntimeError, match=MODIFIED):
                z.sum().backward()


def test_refusals_as_torch() -> None:
    for lib in (tg, torch):
        x = lib.tensor(X.copy(), requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
            x[1:].mul_(2)
        h = x * 2
        with lib.no_grad():
            v = h[1:]
        with pytest.raises(RuntimeError, match="created in no_grad mode"):
            v.mul_(2)
        e = (x * 2)[:, :1].expand(3, 4)
        with pytest.raises(RuntimeError, match="more than one element"):
            e.mul_(2)


def test_a_view_made_under_no_grad_refuses_a_write_to_its_base() -> None:
    """torch refuses when the view's grad_fn is next read; here at the write itself."""
    x = tg.tensor(X.copy(), requires_grad=True)
    h = x * 2
    with tg.no_grad():
        v = h[1:]
    with pytest.raises(RuntimeError, match="created in no_grad mode and its base"):
        h.mul_(2)
    del v
    h.mul_(2)  # once the view is gone, nothing is refused
    assert _name(h.grad_fn) == "MulBackward"


# Live views made in grad mode of a tensor that took no part in autograd: an in-place op that
# gives the tensor a history gives them one too (AsStridedBackward), as torch does.
LIVE_VIEW_WRITES: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("p.add_(y)", lambda p, v, y: p.add_(y)),
    ("v.add_(y[1:])", lambda p, v, y: v.add_(y[1:])),
    ("p[0] += y[0]", lambda p, v, y: p.__setitem__(0, p[0].__iadd__(y[0]))),
    ("p[1] = 2 * y[0]", lambda p, v, y: p.__setitem__(1, 2 * y[0])),
    ("v.mul_(y[1:]); v.add_(y[:2])", lambda p, v, y: v.mul_(y[1:]).add_(y[:2])),
]


@pytest.mark.parametrize(
    "write", [w for _, w in LIVE_VIEW_WRITES], ids=[n for n, _ in LIVE_VIEW_WRITES]
)
def test_live_views_made_in_grad_mode_follow_as_torch(
    write: Callable[[Any, Any, Any], Any],
) -> None:
    results = []
    for lib in (tg, torch):
        y = lib.tensor(X.copy(), requires_grad=True)
        p = lib.full((3, 4), 0.5, dtype=lib.float64)
        v = p[1:]  # made while p took no part in autograd, alive during the write
        u = v.T
        write(p, v, y)
        ((p * p).sum() + (3 * v).sum() + (u * u).sum()).backward()
        names = (_name(p.grad_fn), _name(v.grad_fn), _name(u.grad_fn))
        results.append((names, p.detach().numpy(), y.grad.numpy()))
    (ours_names, ours, ours_grad), (names, theirs, grad) = results
    assert ours_names == names
    np.testing.assert_allclose(ours, theirs)
    np.testing.assert_allclose(ours_grad, grad)


def test_views_that_cannot_follow_are_refused_naming_the_case() -> None:
    """A view made under no_grad: torch refuses too (its no_grad-view error)."""
    for lib in (tg, torch):
        y = lib.tensor(X.copy(), requires_grad=True)
        p = lib.zeros(3, 4, dtype=lib.float64)
        with lib.no_grad():
            v = p[1:]
        if lib is torch:  # torch refuses when the view's grad_fn is asked for
            p.add_(y)
            with pytest.raises(RuntimeError, match="created in no_grad mode"):
                _ = v.grad_fn
            continue
        with pytest.raises(RuntimeError, match="views made while autograd did not follow it"):
            p.add_(y)
        with pytest.raises(RuntimeError, match="views made while autograd did not follow it"):
            v.add_(y[1:])
        np.testing.assert_array_equal(p.data, 0.0)  # refused before any write


# Dead views of a tensor that took no part in autograd: a read such as p[0].item() or p.T.shape
# makes one, and torch lets a later in-place op give p a history all the same.
DEAD_VIEW_WRITES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("p += y", lambda p, y: p.__iadd__(y)),
    ("p.mul_(y)", lambda p, y: p.mul_(y)),
    ("p.add_(y, alpha=2)", lambda p, y: p.add_(y, alpha=2)),
    ("p.copy_(y)", lambda p, y: p.copy_(y)),
    ("p[1] = y[0]", lambda p, y: p.__setitem__(1, y[0])),
    (
        "p[:, 1:3] = 2 * y[:, :2]",
        lambda p, y: p.__setitem__((slice(None), slice(1, 3)), 2 * y[:, :2]),
    ),
]


@pytest.mark.parametrize(
    "write", [w for _, w in DEAD_VIEW_WRITES], ids=[n for n, _ in DEAD_VIEW_WRITES]
)
@pytest.mark.parametrize("read", ["p[0].sum().item()", "p.T.shape", "q = p[1:]; del q"])
def test_an_in_place_op_after_the_views_died_records_as_torch(
    write: Callable[[Any, Any], Any], read: str
) -> None:
    results = []
    for lib in (tg, torch):
        y = lib.tensor(X.copy(), requires_grad=True)
        p = lib.full((3, 4), 0.5, dtype=lib.float64)
        exec(read, {"p": p})  # the views made die with the statement
        write(p, y)
        (p * p).sum().backward()
        results.append((_name(p.grad_fn), p.detach().numpy(), y.grad.numpy()))
    (ours_name, ours, ours_grad), (name, theirs, grad) = results
    assert ours_name == name
    np.testing.assert_allclose(ours, theirs)
    np.testing.assert_allclose(ours_grad, grad)


def test_a_live_view_still_refuses_and_once_dead_the_base_records() -> None:
    y = tg.tensor(X.copy(), requires_grad=True)
    p = tg.zeros(3, 4, dtype=tg.float64)
    with tg.no_grad():
        v = p[1:]  # a view made in grad mode would follow (above)
    with pytest.raises(RuntimeError, match="views made while autograd did not follow it"):
        p.add_(y)
    del v
    p.add_(y)
    assert _name(p.grad_fn) == "AddBackward"
    w = p[1:]  # made now that p requires grad: it follows p's next write, as torch's
    p.mul_(2)
    assert _name(w.grad_fn) == "AsStridedBackward"
    w.sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [[0.0] * 4, [2.0] * 4, [2.0] * 4])


def test_memory_the_tensor_does_not_own_is_still_refused_after_its_views_died() -> None:
    """From numpy, the array may be held elsewhere: whether views of it live is unknown."""
    arr = np.zeros((3, 4))
    p = tg.from_numpy(arr)
    with tg.no_grad():
        q = p[1:]
    del q
    with pytest.raises(RuntimeError, match="views made while autograd did not follow it"):
        p.add_(tg.tensor(X.copy(), requires_grad=True))


def test_a_write_after_the_views_died_still_refuses_a_graph_that_saved_the_old_values() -> None:
    y = tg.tensor(X.copy(), requires_grad=True)
    p = tg.ones(3, 4, dtype=tg.float64)
    z = (p * y).sum()  # saves p for y's gradient
    p[0].sum().item()
    p.add_(y)
    with pytest.raises(RuntimeError, match=MODIFIED):
        z.backward()


def test_untracked_writes_through_views_still_write() -> None:
    """Without grad (an optimizer's step), a write through a view is a plain write."""
    x = tg.tensor(X.copy(), requires_grad=True)
    with tg.no_grad():
        x[0].mul_(2)
        x.T[1:].sub_(1.0)
    expected = X.copy()
    expected[0] *= 2
    expected[:, 1:] -= 1.0
    np.testing.assert_allclose(x.data, expected)
    assert x.is_leaf and x.grad_fn is None


@pytest.mark.parametrize(
    ("op", "name"),
    [
        (lambda h, y: h.copy_(y[0]), "CopyBackwards"),
        (lambda h, y: h.fill_(2.0), "FillBackward"),
        (lambda h, y: h.fill_(y[0, 0]), "FillBackward"),
        (lambda h, y: h.zero_(), "ZeroBackward"),
        (lambda h, y: h.__setitem__(1, y[0]), "CopySlices"),
        (lambda h, y: h.__setitem__((slice(None), 1), 3.0), "CopySlices"),
    ],
)
def test_grad_fn_names_of_writes_as_torch(op: Callable[[Any, Any], Any], name: str) -> None:
    x, tx = _pair(X)
    y, ty = _pair(X[::-1].copy())
    h, th = x * 2, tx * 2
    op(h, y)
    op(th, ty)
    assert _name(h.grad_fn) == _name(th.grad_fn) == name
    (h * h).sum().backward()
    (th * th).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13)
    if ty.grad is None:  # the value was a number
        assert y.grad is None
    else:
        assert y.grad is not None
        np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-13)


def test_a_base_in_another_memory_order_matches_torch() -> None:
    """A base whose array is in Fortran order: the view's places are found by address."""

    def run(lib: Any, x: Any) -> Any:
        h = x * 2
        v = h[1:, ::2]
        v.mul_(x[:2, :2])
        return h, v

    xf = tg.tensor(np.asfortranarray(X), requires_grad=True)
    tx = torch.tensor(X.copy(), requires_grad=True)
    (h, v), (th, tv) = run(tg, xf), run(torch, tx)
    assert not h.data.flags.c_contiguous
    np.testing.assert_allclose(h.data, th.detach().numpy(), rtol=1e-14)
    wh = _weights(h.shape)
    ((h * tg.tensor(wh)).sum() + (v * v).sum()).backward()
    ((th * torch.tensor(wh)).sum() + (tv * tv).sum()).backward()
    assert xf.grad is not None
    np.testing.assert_allclose(xf.grad.data, tx.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_a_base_whose_view_follows_keeps_its_old_shape_for_the_rule() -> None:
    """The remade view's node reads the base's shape from a stand-in, not the base itself."""
    x, tx = _pair(X)
    for a in (x, tx):
        h = a * 2
        v = h[1]
        h.mul_(3)
        (v * v).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-13)


def _versions(lib: Any) -> list[Any]:
    """``_version`` along torch code that writes in place: views and detach()es share the
    base's count, every in-place op (in-place view ops too), ``x[i] = v``, optimizer step,
    ``nn.init`` call and ``load_state_dict`` counts one, and a new result starts at 0."""
    x = lib.ones(2, 3)
    seen = [x._version]
    x.t_()
    seen.append(x._version)
    x.unsqueeze_(0)
    x.add_(1)
    seen.append(x._version)
    y = x[0]
    y.mul_(2)
    seen.append((x._version, y._version))
    x.detach().zero_()
    x[0, 0] = 5
    with lib.no_grad():
        x *= 2
    x.copy_(lib.zeros(1, 3, 2))
    x.clamp_(0, 1)
    seen.append(x._version)
    x.requires_grad_()
    seen += [x._version, (x * 2)._version]
    w = lib.ones(3, requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    opt.zero_grad()
    seen.append(w._version)
    lin = lib.nn.Linear(2, 2)
    lib.nn.init.normal_(lin.weight)
    lin.load_state_dict(lin.state_dict())
    seen.append(lin.weight._version)
    q = lib.ones(4)
    q.index_add_(0, lib.tensor([0]), lib.ones(1))
    q.masked_fill_(q > 1, 0)
    q.scatter_(0, lib.tensor([1]), lib.ones(1))
    q.uniform_()
    q.resize_(2, 2)
    seen.append(q._version)
    return seen


def test_version_counter_is_torchs() -> None:
    assert _versions(tg) == _versions(torch)
