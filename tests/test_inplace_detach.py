"""In-place ops with grad into a ``detach()``, as torch's.

``y = x.detach()`` shows x's memory and shares its version counter, but is a new leaf with no
history: an in-place op on y (or on a view of y) with an operand that requires grad is recorded
on y, which becomes a non-leaf (``y.mul_(w)``: MulBackward; ``y[0].mul_(w)``: CopySlices), and
the views of y follow y's new history, while x and x's other views keep theirs (their values
change: the memory is shared). The shared counter makes backward refuse a node that saved x or
y before such a write. Each test runs the same program on both libraries where torch is
installed, and checks the gradients against closed forms or finite differences too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from _grad_fn_names import grad_fn_name as _name

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

X = np.array([[0.7, -1.3, 0.2], [1.9, -0.4, 0.5]])
W = np.array([[1.5, 0.3, -0.8], [0.6, -1.1, 2.0]])
MODIFIED = "modified by an inplace operation"
# torch's make_dual loads its jvp decompositions through torch.jit, which warns
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


def _libs() -> list[Any]:
    torch = pytest.importorskip("torch")
    return [tg, torch]


def _leaf(lib: Any, a: np.ndarray, grad: bool = True) -> Any:
    return lib.tensor(a.copy(), dtype=lib.float64, requires_grad=grad)


def _array(t: Any) -> np.ndarray | None:
    return None if t is None else np.array(t.detach().numpy(), copy=True)


def _same(ours: list[Any], theirs: list[Any]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            assert a is not None and b is not None, (a, b)
            np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)
        else:
            assert a == b


def _mul_into_detach(lib: Any) -> list[Any]:
    x, w = _leaf(lib, X), _leaf(lib, W)
    h = x * 2
    y = h.detach()
    y.mul_(w)
    y.retain_grad()
    facts = [_name(y.grad_fn), y.requires_grad, y.is_leaf, _name(h.grad_fn), _array(h)]
    (y * y).sum().backward()
    return [*facts, _array(w.grad), _array(y.grad), x.grad is None, x.grad_fn, x.requires_grad]


def test_mul_into_a_detach_records_on_the_detach() -> None:
    """y = (2x).detach(); y.mul_(w): y = 2x·w with y's history only; F = Σy²: w̄ = 2y·2x,
    ȳ = 2y; x gets no gradient, h (= y's memory) keeps its grad_fn and shows y's values."""
    ours = _mul_into_detach(tg)
    y = 2 * X * W
    expected = ["MulBackward", True, False, "MulBackward", y, 2 * y * 2 * X, 2 * y, True]
    _same(ours[:-2], expected)
    assert ours[-2:] == [None, True]
    for lib in _libs()[1:]:
        _same(ours, _mul_into_detach(lib))


def _add_into_detach(lib: Any, x: Any, w: Any) -> Any:
    y = x.detach()
    y.add_(w, alpha=2.0)
    return (y * y.new_tensor(X)).sum()


def test_add_into_a_detach_of_a_leaf() -> None:
    """y = x.detach(); y.add_(w, alpha=2): w̄ = 2·g; x, a leaf that requires grad, stays one
    (no grad_fn, no gradient) and shows the new values; checked by finite differences."""
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        out = _add_into_detach(lib, x, w)
        out.backward()
        found.append([_array(w.grad), x.grad is None, x.grad_fn is None, _array(x)])
    _same(found[0], found[1])
    _same(found[0], [2 * X, True, True, X + 2 * W])
    x = tg.tensor(X.copy(), dtype=tg.float64)
    assert gradcheck(lambda w: _add_into_detach(tg, x.clone(), w), [_leaf(tg, W)])


# (description, the in-place op on a view of y, the detach of h = x·1, with w (3,))
VIEW_WRITES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("y[0].mul_(w)", lambda y, w: y[0].mul_(w)),
    ("y[1].add_(w)", lambda y, w: y[1].add_(w)),
    ("y.T[1:].copy_(...)", lambda y, w: y.T[1:].copy_(w[1:].unsqueeze(1).expand(2, 2))),
    ("y[:, 1] = w[:2]", lambda y, w: y.__setitem__((slice(None), 1), w[:2] * 3)),
    ("y[0].exp_() then y[1].mul_(w)", lambda y, w: (y[0].exp_(), y[1].mul_(w))),
]


def _view_of_detach(lib: Any, x: Any, w: Any, i: int) -> list[Any]:
    h = x * 1
    before = h[1]  # a view of h, made before: follows h, not y
    y = h.detach()
    v = y[1]  # a view of y made before the write: follows y
    VIEW_WRITES[i][1](y, w)
    after = h[0]
    return [h, before, y, v, after, y[0]]


@pytest.mark.parametrize("i", range(len(VIEW_WRITES)), ids=[d for d, _ in VIEW_WRITES])
def test_a_write_into_a_view_of_a_detach(i: int) -> None:
    """Recorded on y as CopySlices; y's views (made before or after) follow y, h's keep h's
    history; the gradients of w (and none for x) match torch and finite differences."""
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W[0])
        h, before, y, v, after, y0 = _view_of_detach(lib, x, w, i)
        names = [_name(t.grad_fn) for t in (h, y, v, after, y0)]
        if lib is tg:
            kept = _name(before.grad_fn)
        ((y * y).sum() + (v * 3).sum() + (y0 * y0).sum() + h.sum() + before.sum()).backward()
        found.append([*names, _array(w.grad), _array(x.grad), _array(h)])
    _same(found[0], found[1])
    names = ["MulBackward", "CopySlices", "AsStridedBackward", "SelectBackward"]
    assert found[0][:5] == [*names, "SelectBackward"]
    # (torch makes the grad_fn of h's view made before again after the write into its memory,
    # AsStridedBackward of h's: the same history, the graph fuzzer's ``_rewritten_view``)
    assert kept == "SelectBackward"
    np.testing.assert_array_equal(found[0][6], np.array([[1.0] * 3, [2.0] * 3]))  # h's sums only

    def program(w: Any) -> Any:
        x = tg.tensor(X.copy(), dtype=tg.float64, requires_grad=True)
        _, _, y, v, _, y0 = _view_of_detach(tg, x, w, i)
        return (y * y).sum() + (v * 3).sum() + (y0 * y0).sum()

    assert gradcheck(program, [_leaf(tg, W[0])])


def test_views_made_after_the_write_follow_the_detach() -> None:
    """After y.mul_(w), y[1] and y[1][1:] are views of y: a write into the second is
    recorded on y, and both show y's new history, as torch's AsStridedBackward."""
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        y.mul_(w)
        v = y[1]
        v2 = v[1:]
        v2.mul_(w[0, 0])
        names = [_name(t.grad_fn) for t in (y, v, v2)]
        (y * y).sum().backward()
        found.append([*names, _array(w.grad), x.grad is None, x.grad_fn is None])
    _same(found[0], found[1])
    assert found[0][:3] == ["CopySlices", "AsStridedBackward", "AsStridedBackward"]


def test_a_write_into_a_view_of_a_detach_that_has_gone() -> None:
    """``x.detach().mul_(w)[0].add_(u)``: the detach is dropped, its view made after its
    write is written: recorded on the detach, as torch's view keeps its base."""
    found = []
    for lib in _libs():
        x, w, u = _leaf(lib, X), _leaf(lib, W), _leaf(lib, W[1])
        v = x.detach().mul_(w)[0]
        v.add_(u)
        base = v._base if lib is not tg else None
        (v * v).sum().backward()
        found.append([_name(v.grad_fn), _array(v), _array(w.grad), _array(u.grad)])
        assert base is None or _name(base.grad_fn) == "CopySlices"
    _same(found[0], found[1])
    v = X[0] * W[0] + W[1]
    _same(found[0][1:], [v, np.stack([2 * v * X[0], np.zeros(3)]), 2 * v])


def test_the_base_and_its_views_keep_their_history() -> None:
    """A write into y changes h's values, not its grad_fn; a later write into h (or a view
    of h) is recorded on h, not on y: each gets its own gradients."""
    found = []
    for lib in _libs():
        x, w, u = _leaf(lib, X), _leaf(lib, W[0]), _leaf(lib, W[1])
        h = x * 1
        a = h[0]
        y = h.detach()
        y[1].mul_(w)
        a.mul_(u)
        names = [_name(t.grad_fn) for t in (h, a, y)]
        (h.sum() + (y * y).sum()).backward()
        found.append([*names, _array(w.grad), _array(u.grad), _array(x.grad), _array(y)])
    _same(found[0], found[1])
    assert found[0][:3] == ["CopySlices", "AsStridedBackward", "CopySlices"]
    # h = [x0·u, x1·w] (h's history: x1's gradient goes through h's first op alone)
    _same(found[0][5:6], [np.stack([W[1], np.ones(3)])])


@pytest.mark.parametrize(
    "case",
    ["x saved, then y written", "y saved, then h written", "y.exp_(), then h written"],
)
def test_saved_values_changed_through_the_shared_memory_refuse_backward(case: str) -> None:
    """The version counter is shared: backward refuses a node that saved x's values (or y's,
    or whose rule reads its output) after a write through the other one."""
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        h = x * 1
        if case == "x saved, then y written":
            out = h * h
            h.detach().mul_(w)
        elif case == "y saved, then h written":
            y = h.detach()
            y.mul_(w)
            out = y * y
            with lib.no_grad():
                h.add_(1.0)
        else:
            y = h.detach()
            y.mul_(w)
            y.exp_()
            out = y
            with lib.no_grad():
                x.sub_(0.1)  # x is h's input, not its memory: no refusal from it alone
                h[0] += 1.0
        with pytest.raises(RuntimeError, match=MODIFIED):
            out.sum().backward()


def test_versions_are_shared() -> None:
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        y.mul_(w)
        v = y[0]
        v.add_(w[1])
        found.append([x._version, y._version, v._version])
    assert found[0] == found[1] == [2, 2, 2]


def test_a_detach_of_a_detach_has_its_own_history() -> None:
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        z = y.detach()
        z.mul_(w)
        names = [_name(t.grad_fn) for t in (y, z)]
        z.sum().backward()
        found.append([*names, y.requires_grad, _array(w.grad), _array(y)])
    _same(found[0], found[1])
    _same(found[0], ["None", "MulBackward", False, X, X * W])


def test_a_detach_of_a_view() -> None:
    """y = h[1].detach(): y's history is its own; h keeps its grad_fn and shows y's write."""
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W[1])
        h = x * 1
        y = h[1].detach()
        y.mul_(w)
        names = [_name(t.grad_fn) for t in (y, h)]
        (h.sum() + (y * y).sum()).backward()
        found.append([*names, _array(h), _array(w.grad), _array(x.grad)])
    _same(found[0], found[1])
    y = X[1] * W[1]
    _same(found[0], ["MulBackward", "MulBackward", np.stack([X[0], y]), 2 * y * X[1], 1 + 0 * X])


def test_a_detach_made_under_no_grad() -> None:
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        with lib.no_grad():
            y = x.detach()
        y.mul_(w)
        y.sum().backward()
        found.append([_name(y.grad_fn), _array(w.grad)])
    _same(found[0], found[1])
    _same(found[0], ["MulBackward", X])


def test_a_view_of_a_detach_made_under_no_grad_cannot_follow() -> None:
    """A view of y made under no_grad (x requires grad) cannot follow y's history: torch
    refuses it when its grad_fn is read after the write, this library at the write while it
    lives (as for the views of any base made under no_grad)."""
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        with lib.no_grad():
            v = y[0]
        with pytest.raises(RuntimeError, match="was created in no_grad mode"):
            y.mul_(w)
            _ = v.grad_fn


def test_detach_in_place_then_a_new_history() -> None:
    """y.detach_() makes the detach a leaf again; a later write gives it a new history."""
    found = []
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        y.mul_(w)
        y.detach_()
        facts = [y.grad_fn is None, y.requires_grad]
        y.add_(w)
        y.sum().backward()
        found.append([*facts, _name(y.grad_fn), _array(w.grad)])
    _same(found[0], found[1])
    _same(found[0], [True, False, "AddBackward", np.ones_like(W)])


def test_a_detach_made_to_require_grad_is_a_leaf() -> None:
    """y.requires_grad_() makes the detach a leaf that requires grad: an in-place op on it or
    on a view of it is refused, as torch's (not recorded on x)."""
    for lib in _libs():
        x = _leaf(lib, X)
        h = x * 2
        y = h.detach().requires_grad_()
        v = y[0]
        with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
            v.mul_(2.0)
        with pytest.raises(RuntimeError, match="a leaf Variable"):
            y.mul_(2.0)
        assert _name(h.grad_fn) == "MulBackward"


def test_fill_of_a_view_of_a_detach_with_a_tensor_of_more_dims_is_refused() -> None:
    for lib in _libs():
        x, w = _leaf(lib, X), _leaf(lib, W)
        y = x.detach()
        y.mul_(w)
        with pytest.raises(RuntimeError, match="0-dim"):
            y[0].fill_(w[0])


def test_a_view_of_a_detach_made_outside_a_level_shares_its_tangent() -> None:
    """Forward mode: the tangent of a view of a detach made outside the level is a view of
    the detach's, as torch's (the detach's own, not its base's)."""
    found = []
    for lib in _libs():
        fw = lib.autograd.forward_ad
        x = lib.zeros(4, dtype=lib.float64)
        d = x.detach()
        v = d[1:3]
        with fw.dual_level():
            d.add_(fw.make_dual(lib.ones(4, dtype=lib.float64), lib.arange(4.0, dtype=lib.float64)))
            first = [_array(fw.unpack_dual(t).tangent) for t in (x, d, v)]
            v.mul_(
                fw.make_dual(lib.full((2,), 2.0, dtype=lib.float64), lib.ones(2, dtype=lib.float64))
            )
            found.append([*first, *(_array(fw.unpack_dual(t).tangent) for t in (d, v))])
    assert found[0][0] is None and found[1][0] is None
    _same(found[0][1:], found[1][1:])
    _same(found[0][1:3], [np.arange(4.0), np.arange(1.0, 3.0)])


@pytest.mark.parametrize("grad", [False, True], ids=["x plain", "x requires grad"])
def test_outputs_of_unbind_of_a_detach_cannot_follow(grad: bool) -> None:
    """unbind's outputs of a detach that requires no grad get no history to follow (torch:
    views made in no_grad mode): a write with grad into the detach, or into one of them, is
    refused (torch refuses it when it reads their grad_fn, or at the write into one)."""
    for lib in _libs():
        x, w = _leaf(lib, X, grad), _leaf(lib, W[0])
        y = x.detach()
        a, _ = y.unbind(0)
        with pytest.raises(RuntimeError, match=r"no_grad|did not follow"):
            y.mul_(w)
            _ = a.grad_fn
        with pytest.raises(RuntimeError, match=r"no_grad|did not follow"):
            a.mul_(w)


def test_a_write_into_a_view_of_a_detach_gone_after_backward() -> None:
    """The detach and the values its grad_fn kept are gone (backward released them): a write
    into its view made after its write is still recorded on it, not on its base (whose
    grad_fn stays); ū goes through the detach's new CopySlices."""
    found = []
    for lib in _libs():
        x, w, u = _leaf(lib, X), _leaf(lib, W), _leaf(lib, W[1])
        h = x * 1
        v = h.detach().mul_(w)[0]
        (v * v).sum().backward()
        v.add_(u)
        (g,) = lib.autograd.grad((v * v).sum(), [u])
        found.append([_name(h.grad_fn), _name(v.grad_fn), _array(w.grad), _array(g)])
    _same(found[0], found[1])
    v = X[0] * W[0]
    _same(
        found[0],
        ["MulBackward", "AsStridedBackward", np.stack([2 * v * X[0], 0 * v]), 2 * (v + W[1])],
    )
