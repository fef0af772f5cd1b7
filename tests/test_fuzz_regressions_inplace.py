"""Regressions found by the graph fuzzer's in-place steps (``TG_GRAPH_FOCUS=inplace``), each
against torch: values, the gradient and the grad_fn names."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg


def _program(lib: Any, case: int) -> tuple[float, float, str, str]:
    x = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
    y = x * 1.5  # a 0-d non-leaf: its views show its one element
    if case == 0:
        v = y.reshape(1)
        v.tanh_()
        out = y * 3 + v.sum()
    elif case == 1:
        v = y.unsqueeze(0).unsqueeze(0)
        v.mul_(2.0)
        out = y * y + v.sum()
    elif case == 2:
        v = y.view(())
        v.add_(x)
        out = y.exp()
    else:
        v = y.reshape(1)
        v[0] = x * 4
        out = y + v.sum()
    out.backward()
    names = (type(y.grad_fn).__name__ if lib is not tg else y.grad_fn.name(), str(v.grad_fn))
    return float(out.detach()), float(x.grad), names[0].rstrip("0123456789"), names[1]


@pytest.mark.parametrize("case", range(4))
def test_in_place_through_a_view_of_a_0d_tensor(case: int) -> None:
    """``y.reshape(1).tanh_()`` for a 0-d non-leaf y failed in ``_rebase_view`` (numpy's
    unravel_index refuses a 0-d shape); the view's places index the base with new axes now."""
    torch = pytest.importorskip("torch")
    ours, theirs = _program(tg, case), _program(torch, case)
    assert ours[:2] == pytest.approx(theirs[:2], rel=1e-12)
    assert ours[2] == theirs[2] == "CopySlices"
    assert "AsStridedBackward" in ours[3] and "AsStridedBackward" in theirs[3]


def _shuffled(lib: Any, case: str) -> tuple[Any, Any, Any]:
    F = lib.nn.functional
    x = lib.tensor([[[[0.3]], [[-0.2]], [[0.5]], [[-0.7]]]], dtype=lib.float64, requires_grad=True)
    y = {
        "pixel_shuffle": lambda: F.pixel_shuffle(x, 1),
        "pixel_shuffle one pixel": lambda: F.pixel_shuffle(x, 2),
        "pixel_unshuffle": lambda: F.pixel_unshuffle(x, 1),
        "channel_shuffle": lambda: F.channel_shuffle(x, 1),
    }[case]()
    with lib.no_grad():
        y.add_(1.0)  # (a view would write into x)
    y.relu_()  # (a leaf's view would be refused here)
    (y * y).sum().backward()
    return x.detach().numpy().copy(), y.detach().numpy().copy(), x.grad.numpy().copy()


@pytest.mark.parametrize(
    "case", ["pixel_shuffle", "pixel_shuffle one pixel", "pixel_unshuffle", "channel_shuffle"]
)
def test_shuffles_make_a_new_tensor(case: str) -> None:
    """``pixel_shuffle(x, 1)`` (seed 376), ``pixel_unshuffle(x, 1)``, ``channel_shuffle(x, 1)``
    and a shuffle of one pixel returned a view of x here (their reshapes move no element), so
    an in-place op on the result was refused as a leaf's view, or under no_grad wrote into x;
    torch's ops make a new tensor."""
    torch = pytest.importorskip("torch")
    for a, b in zip(_shuffled(tg, case), _shuffled(torch, case)):
        assert a == pytest.approx(b, rel=1e-12)


def _changed_after(lib: Any, op: str, which: str) -> Any:
    """The gradients of Σ op(x, y) after an in-place change of ``which`` (the output or an
    input), or "refused" where backward refuses a saved value changed since."""
    a = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
    b = lib.tensor([3.0, 0.5], dtype=lib.float64, requires_grad=True)
    x, y = a * 1, b * 1
    z = {"div": lambda: x / y, "rdiv": lambda: 2.0 / y, "reciprocal": lambda: y.reciprocal()}[op]()
    {"out": z, "x": x, "y": y}[which].add_(1.0)
    try:
        z.sum().backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
        return "refused"
    return [None if t.grad is None else t.grad.numpy().tolist() for t in (a, b)]


@pytest.mark.parametrize(
    ("op", "which"),
    [
        ("div", "out"),
        ("div", "x"),
        ("div", "y"),
        ("rdiv", "out"),
        ("reciprocal", "out"),
        ("reciprocal", "y"),
    ],
)
def test_what_division_saves(op: str, which: str) -> None:
    """``z = x / y; z += 1`` then backward was refused here (div's rule read its output) and
    passes in torch, whose rule reads x and y; ``y.reciprocal()`` reads its output only, as
    torch's (fuzzer in-place seed 321: a change of ``2 / y``)."""
    torch = pytest.importorskip("torch")
    assert _changed_after(tg, op, which) == _changed_after(torch, op, which)


@pytest.mark.parametrize("scale", [0.1, 4.0])
def test_matrix_exp_output_changed_in_place(scale: float) -> None:
    """``E = matrix_exp(A); E += 1`` then backward was refused here when no squaring followed
    the Padé solve (solve's rule reads its output); torch's rule reads A only (fuzzer in-place
    seeds 138, 299)."""
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (tg, torch):
        a = lib.tensor([[0.3, -1.0], [0.5, 0.2]], dtype=lib.float64, requires_grad=True)
        e = lib.linalg.matrix_exp(a * scale)
        e.add_(1.0)
        (e * e).sum().backward()
        grads.append(a.grad.numpy())
    assert grads[0] == pytest.approx(grads[1], rel=1e-9)


_MULTI = {
    "unbind": lambda x: x.unbind()[1].add_(1.0),
    "split": lambda x: x.split(1)[2].mul_(2.0),
    "split sizes": lambda x: x.split([1, 2])[0].sub_(1.0),
    "chunk": lambda x: x.chunk(3)[1].relu_(),
    "a slice of unbind's": lambda x: x.unbind()[2][0:1].add_(1.0),
    "a transpose of split's": lambda x: x.split(1)[2].T.add_(1.0),
    "setitem": lambda x: x.unbind()[1].__setitem__(0, 2.0),
    "tensor_split (accepted)": lambda x: x.tensor_split(2)[0].add_(1.0),
    "a copy of unbind's (accepted)": lambda x: x.unbind()[1][[0, 1]][0:1].add_(1.0),
}


def _multi(lib: Any, case: str, leaf: bool) -> Any:
    a = lib.tensor([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]], dtype=lib.float64, requires_grad=True)
    x = a if leaf else a * 1
    try:
        _MULTI[case](x)
    except RuntimeError as e:
        return "refused" if "returns multiple views" in str(e) else str(e)
    if leaf:
        return "accepted"
    (x * x).sum().backward()
    return a.grad.numpy().tolist()


@pytest.mark.parametrize("leaf", [False, True])
@pytest.mark.parametrize("case", list(_MULTI))
def test_outputs_of_multi_output_views_refuse_in_place_ops(case: str, leaf: bool) -> None:
    """torch refuses an in-place op in grad mode on an output of unbind, split or chunk, or on
    a view of one ("Output 0 of Unbind is a view and is being modified inplace ... a function
    that returns multiple views"), before a leaf's refusal; here it was recorded (fuzzer in-place
    seeds 95, 109, 304). tensor_split's outputs and copies are accepted in both."""
    torch = pytest.importorskip("torch")
    ours, theirs = _multi(tg, case, leaf), _multi(torch, case, leaf)
    if isinstance(theirs, str) and theirs not in ("refused", "accepted"):  # a leaf's refusal
        assert isinstance(ours, str) and "leaf Variable" in ours
    else:
        assert ours == theirs


_EMPTY_VIEWS = {
    "getitem": lambda a: a[0],
    "slice": lambda a: a[:, :, 1:],
    "reshape": lambda a: a.reshape(0),
    "unsqueeze": lambda a: a.unsqueeze(0),
    "diagonal": lambda a: a.diagonal(),
    "split": lambda a: a.split(1)[0],
    "integer-array index (a copy)": lambda a: a[[0, 1]],
}


@pytest.mark.parametrize("case", list(_EMPTY_VIEWS))
def test_views_of_an_empty_tensor_are_views(case: str) -> None:
    """numpy finds no shared memory in an empty array, so a view of an empty leaf was taken for
    a new tensor and an in-place op on it recorded, where torch refuses a leaf's view (fuzzer
    in-place seeds 17, 164, 212, 387)."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        a = lib.zeros(2, 0, 3, dtype=lib.float64, requires_grad=True)
        v = _EMPTY_VIEWS[case](a)
        try:
            v.add_(1.0)
            seen.append((v._base is not None, "accepted"))
        except RuntimeError as e:
            words = "leaf Variable" if "leaf Variable" in str(e) else "multiple views"
            seen.append((v._base is not None, words if words in str(e) else str(e)))
    assert seen[0] == seen[1]


_EMPTY_WINDOWS = {
    "split": lambda y: y.unfold(0, 0, 2).split_with_sizes([1, 0], 0)[1],
    "split, first": lambda y: y.unfold(0, 0, 2).split_with_sizes([1, 0], 0)[0],
    "a diagonal of a split": lambda y: y.unfold(0, 0, 2).split_with_sizes([1, 0], 0)[1].diagonal(),
    "unbind": lambda y: y.unfold(0, 0, 2).unbind(0)[0],
    "the windows (no split)": lambda y: y.unfold(0, 0, 2),
    "their diagonal (no split)": lambda y: y.unfold(0, 0, 2).diagonal(),
}


@pytest.mark.parametrize("case", list(_EMPTY_WINDOWS))
def test_empty_windows_of_unfold_split_refuse_in_place_ops(case: str) -> None:
    """``Tensor.unfold`` makes its windows with numpy's ``as_strided``, whose result hangs off
    its array through a wrapper (not an array): an empty split of empty windows was not found to
    share the base's memory, so ``tanh_`` on it was recorded where torch refuses an output of
    split ("a function that returns multiple views"; fuzzer in-place seed 543352). Writes into
    the windows themselves are accepted in both."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        y = lib.ones(1, dtype=lib.float64, requires_grad=True) * 2  # one window of 0 entries
        v = _EMPTY_WINDOWS[case](y)
        try:
            v.tanh_()
            seen.append((tuple(v.shape), "accepted"))
        except RuntimeError as e:
            words = "returns multiple views"
            seen.append((tuple(v.shape), words if words in str(e) else str(e)))
    assert seen[0] == seen[1]


_WRITTEN = {
    "einsum": lambda lib, h, w: lib.einsum("abij,j->abi", h, w),
    "tensordot": lambda lib, h, w: lib.tensordot(h, w, dims=0),
    "unfold": lambda lib, h, w: lib.nn.functional.unfold(h, (2, 1)),
    "unfold 1x1": lambda lib, h, w: lib.nn.functional.unfold(h, 1),
}


@pytest.mark.parametrize("case", list(_WRITTEN))
def test_outputs_written_in_place(case: str) -> None:
    """``y = einsum(...)`` or ``tensordot`` then ``y += 1`` and backward was refused here (the
    einsum rule declared no reads, so its output counted as read); ``F.unfold`` gave read-only
    memory, or with a 1×1 kernel a view of its input that the write reached (fuzzer in-place
    seeds 411, 441, 699). torch reads the operands only and makes a new tensor."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        x = lib.tensor([[[[1.0, -2.0], [0.5, 3.0]]]], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        h = x * 1
        y = _WRITTEN[case](lib, h, w)
        y.add_(1.0)
        (y * y).sum().backward()
        wg = None if w.grad is None else w.grad.numpy().tolist()
        seen.append((h.detach().numpy().tolist(), x.grad.numpy().tolist(), wg))
    assert seen[0] == seen[1]


def _new_tensor(lib: Any, case: str) -> tuple[Any, Any, Any]:
    a = lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=lib.float64, requires_grad=True)
    x = a * 1
    y = {
        "matrix_power 1": lambda: lib.linalg.matrix_power(x, 1),
        "diag_embed": lambda: lib.diag_embed(x[0, :1], offset=-1),
    }[case]()
    y.retain_grad()
    d = y.diagonal(-1) if case == "diag_embed" else y[0]
    d.mul_(3.0)  # (through a view: the write must not reach x)
    y.T.fill_(0.5)
    (y * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().add(
        (d * 10).sum()
    ).backward()
    return x.detach().numpy().tolist(), y.grad.numpy().tolist(), a.grad.numpy().tolist()


@pytest.mark.parametrize("case", ["matrix_power 1", "diag_embed"])
def test_results_that_are_new_tensors(case: str) -> None:
    """``linalg.matrix_power(A, 1)`` returned A itself (an in-place op on the result changed
    A), and ``diag_embed`` a view of an internal tensor, so that a later view's adjoint went
    past a retained grad of the result after in-place ops (fuzzer in-place seed 869: a
    retained grad 0.58 off); torch's are new tensors."""
    torch = pytest.importorskip("torch")
    for ours, theirs in zip(_new_tensor(tg, case), _new_tensor(torch, case)):
        assert np.allclose(ours, theirs, rtol=1e-12, atol=0)


@pytest.mark.parametrize("shapes", [((2, 1), (1, 3)), ((3,), (3,)), ((0, 1), (1, 0))])
def test_heaviside_result_is_writable(shapes: tuple[tuple[int, ...], ...]) -> None:
    """``heaviside`` returned numpy's read-only broadcast view, so any in-place op on its result
    was refused (fuzzer in-place seed 1156)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, v = rng.integers(-1, 2, shapes[0]).astype(float), rng.uniform(0, 1, shapes[1])
    ours = tg.heaviside(tg.tensor(x), tg.tensor(v)).add_(1.0)
    theirs = torch.heaviside(torch.tensor(x), torch.tensor(v)).add_(1.0)
    assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("index", [0, [0], [[2, 1]]])
def test_take_makes_a_new_tensor(index: Any) -> None:
    """``x.take(tensor(0))`` (a 0-d index) was a view of x here, numpy reading the 0-d index
    array as an int: an in-place op on the result wrote into x, or was refused as a leaf's
    view (fuzzer in-place seed 1520); torch's take makes a new tensor."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        a = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        y = a.take(lib.tensor(index))
        y.mul_(3.0)  # (recorded: y is no leaf's view)
        y.sum().backward()
        with lib.no_grad():
            a.take(lib.tensor(index)).add_(10.0)
        seen.append((a.detach().numpy().tolist(), a.grad.numpy().tolist()))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("shape", [(0, 3), (2, 3)])
def test_tile_of_a_leaf_is_a_new_tensor(shape: tuple[int, ...]) -> None:
    """``x.tile((1, 2))`` of an empty leaf was a view of it here (views of empty tensors are
    views now, and repeat told a view by numpy's may_share_memory, False for them), so an
    in-place op on the result was refused as a leaf's view (fuzzer in-place seed 1957)."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        a = lib.ones(*shape, dtype=lib.float64, requires_grad=True)
        for reps in ((1, 2), (1, 1)):
            y = a.tile(reps)
            y.relu_()
            seen.append((y._base is None, tuple(y.shape)))
    assert seen[:2] == seen[2:]


@pytest.mark.parametrize("case", ["setitem", "setitem through a view", "add_ of a view"])
def test_an_empty_write_still_takes_the_value(case: str) -> None:
    """A write of a value that requires grad into no places (``x[3:] = v`` of 3 entries) left
    v out of the graph here: v.grad None where torch's is 0 (fuzzer in-place seed 1996)."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        w = lib.ones(3, 2, dtype=lib.float64, requires_grad=True)
        v = lib.tensor([2.0, -1.0], dtype=lib.float64, requires_grad=True)
        a = w * 1
        if case == "setitem":
            a[3:] = v
        elif case == "setitem through a view":
            a.mT[:, 3:] = v[:1].reshape(1, 1)
        else:
            a[3:].add_(v)
        (a * a).sum().backward()
        seen.append((w.grad.numpy().tolist(), None if v.grad is None else v.grad.numpy().tolist()))
    assert seen[0] == seen[1]


def test_in_place_through_an_empty_view_of_a_0d_tensor() -> None:
    """An empty view of a 0-d non-leaf (``y.reshape(1, 1).diagonal(1)``) took one element of it
    for its places, and an in-place op on it failed on the shapes (fuzzer in-place seed 1767,
    once views of empty tensors became views)."""
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (tg, torch):
        x = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
        y = x * 3
        v = y.reshape(1, 1).diagonal(1, 1, 0)
        v.clamp_(-0.2, 0.2)
        v.add_(1.0)
        (y * y).backward()
        seen.append((tuple(v.shape), float(y.detach()), float(x.grad)))
    assert seen[0] == seen[1]


EMPTY_VIEWS = {
    "narrow(1, 0, 0)": lambda m: m.narrow(1, 0, 0),
    "narrow(0, 0, 0)": lambda m: m.narrow(0, 0, 0),
    "[:, :0].unsqueeze(0)": lambda m: m[:, :0].unsqueeze(0),
}


@pytest.mark.parametrize("view", list(EMPTY_VIEWS))
def test_in_place_through_an_empty_view_of_a_0d_tensor_keeps_its_shape(view: str) -> None:
    """The places of an empty view of a 0-d tensor put its empty axis first, so an in-place op on
    ``y.reshape(1, 1).narrow(1, 0, 0)``, of shape (1, 0), was refused for a result of shape
    (0, 1) (in-place focus seed 64021). Nothing is written: x̄ is that of y alone."""

    def run(lib: Any) -> tuple[tuple[int, ...], float]:
        x = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
        y = x * 2
        e = EMPTY_VIEWS[view](y.reshape(1, 1))
        e.sigmoid_()
        (y * 3).backward()
        return tuple(e.shape), float(x.grad)

    ours = run(tg)
    assert ours[1] == 6.0
    assert ours == run(pytest.importorskip("torch"))


SINGLE_PLACES = [((), (), (1,)), ((3,), 0, (1,)), ((2, 3), (0, 1), (1, 1)), ((3,), [0, 2], (1, 2))]


@pytest.mark.parametrize(("shape", "index", "value_shape"), SINGLE_PLACES)
def test_setitem_drops_the_value_s_leading_size_1_axes(
    shape: tuple[int, ...], index: Any, value_shape: tuple[int, ...]
) -> None:
    """``x[()] = v`` of a 0-d x and v of shape (1,) was refused here (numpy's "setting an array
    element with a sequence" where the index picks one element); torch drops the value's
    leading size-1 axes first (fuzzer in-place seed 39448). Without grad, and recorded: the
    written places get 3v, x̄ = 2g elsewhere, v̄ = 3g at the places (summed where v broadcasts)."""
    n = int(np.prod(shape))
    g = np.arange(1.0, n + 1).reshape(shape)
    written = np.zeros(shape, dtype=bool)
    written[index] = True
    seen = []
    for lib in [tg, pytest.importorskip("torch")]:
        x = lib.tensor(np.arange(n, dtype=np.float64).reshape(shape), requires_grad=True)
        v = lib.tensor(np.full(value_shape, 7.0), requires_grad=True)
        with lib.no_grad():
            z = x.detach().clone()
            z[index] = v.detach()
        y = x * 2
        y[index] = v * 3
        (y * lib.tensor(g)).sum().backward()
        seen.append([t.detach().numpy().tolist() for t in (z, y, x.grad, v.grad)])
        if lib is tg:
            assert np.array_equal(z.numpy(), np.where(written, 7.0, x.detach().numpy()))
            assert np.array_equal(
                y.detach().numpy(), np.where(written, 21.0, 2 * x.detach().numpy())
            )
            assert np.array_equal(x.grad.numpy(), np.where(written, 0.0, 2 * g))
            gv = 3 * np.asarray(g[index])  # (one value per place, or one for all of them)
            gv = gv.reshape(value_shape) if gv.size == v.numel() else np.full(value_shape, gv.sum())
            assert np.array_equal(v.grad.numpy(), gv)
    assert seen[0] == seen[1]


def test_setitem_still_refuses_a_value_that_does_not_fit() -> None:
    x = tg.zeros(3, dtype=tg.float64)
    with pytest.raises(RuntimeError, match=r"__setitem__.*shape \(2,\)"):
        x[0] = tg.ones(2, dtype=tg.float64)


MULTI_OUTPUT_WRITES = {
    "a.add_(w)": lambda x, a, w: a.add_(w),
    "a[:1].add_(w)": lambda x, a, w: a[:1].add_(w),
    "a.unsqueeze(0).mul_(w)": lambda x, a, w: a.unsqueeze(0).mul_(w),
    "x.add_(w)": lambda x, a, w: x.add_(w),
}


@pytest.mark.parametrize("split", ["chunk", "split", "unbind"])
@pytest.mark.parametrize("case", list(MULTI_OUTPUT_WRITES))
def test_outputs_of_split_of_a_tensor_that_requires_no_grad_do_not_follow(
    split: str, case: str
) -> None:
    """Views made in grad mode of a tensor that requires no grad follow the history an
    in-place op gives it, but not the outputs of chunk, split and unbind (nor views of them):
    torch treats those as views made under no_grad and refuses such a write, or a later read of
    their grad_fn (focus seeds 6581, 10608, 19666, where a write was recorded here)."""
    torch = pytest.importorskip("torch")
    for lib in (torch, tg):
        x = lib.ones(2, 2)
        w = lib.tensor(2.0, requires_grad=True)
        parts = {"chunk": x.chunk(2), "split": x.split(1), "unbind": x.unbind()}[split]
        parts[1].add_(1.0)  # a write without grad is a plain write, as in torch
        assert float(x.sum()) == 6.0
        with pytest.raises(RuntimeError):
            MULTI_OUTPUT_WRITES[case](x, parts[0], w)
            _ = parts[0].grad_fn  # (torch refuses here, after a write to the base)


@pytest.mark.parametrize("view", [True, False])
def test_second_derivative_through_a_result_written_into_a_base(view: bool) -> None:
    """exp_ on a view of h = b·1 reads its result, which is written into h: a recorded
    backward gives that result h's new history, as torch's saved result is the view, so the
    derivative of ḡ w.r.t. the new h follows both the result and sqrt's input (focus seeds
    20652, 23318, 24186, 29403, 34968 missed the first, giving the opposite sign).

    With v = h_new[2] = e^b₂ and F = √v: ḡ₂ = ½·v^(-1/2)·v = ½·√v as a function of the new
    h, so ∂ḡ₂/∂h_new[2] = ¼·v^(-1/2) = ¼·e^(-b₂/2)."""

    def run(lib: Any) -> tuple[np.ndarray, np.ndarray]:
        b = lib.tensor([0.5, 0.7, 0.3], dtype=lib.float64, requires_grad=True)
        h = b * 1
        if view:
            v = h[2]
            v.exp_()
        else:
            h.exp_()
            v = h[2]
        (g,) = lib.autograd.grad(v.sqrt(), [b], create_graph=True)
        (g2,) = lib.autograd.grad(g.sum(), [h])
        return g.detach().numpy(), g2.detach().numpy()

    g, g2 = run(tg)
    np.testing.assert_allclose(g, [0.0, 0.0, 0.5 * np.exp(0.15)], rtol=1e-13)
    np.testing.assert_allclose(g2, [0.0, 0.0, 0.25 * np.exp(-0.15)], rtol=1e-13)
    torch = pytest.importorskip("torch")
    torch_g, torch_g2 = run(torch)
    np.testing.assert_allclose(g, torch_g, rtol=1e-13)
    np.testing.assert_allclose(g2, torch_g2, rtol=1e-13)


EXPANDED_WRITES = {
    "row exp_": lambda e, v: e[0].exp_(),
    "empty zero_": lambda e, v: e[1:1].zero_(),
    "diagonal exp_": lambda e, v: e.diagonal().exp_(),
    "unsqueezed row mul_": lambda e, v: e.unsqueeze(0)[:, 0].mul_(2.0),
    "row copy_": lambda e, v: e[0].copy_(v * 3),
    "setitem row": lambda e, v: e.__setitem__(0, v * 3),
    "setitem empty": lambda e, v: e.unsqueeze(0).__setitem__((slice(None), slice(2, 1)), 5.0),
}


def _expanded_write(lib: Any, case: str, grad: bool) -> list[Any]:
    b0 = lib.tensor([0.5, -0.3], dtype=lib.float64, requires_grad=grad)
    v = lib.tensor([1.5, 2.5], dtype=lib.float64, requires_grad=grad)
    b = b0 * 1
    e = b.expand(2, 2)  # both rows share b's memory
    EXPANDED_WRITES[case](e, v)
    w = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)
    seen = [b.detach().numpy(), e.detach().numpy()]
    if grad:
        (e * w).sum().backward()
        seen += [b0.grad.numpy(), None if v.grad is None else v.grad.numpy()]
    return seen


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("case", list(EXPANDED_WRITES))
def test_in_place_through_a_view_of_an_expanded_tensor_that_repeats_no_element(
    case: str, grad: bool
) -> None:
    """A row, a diagonal or an empty slice of ``b.expand(2, 2)`` repeats no memory location,
    and torch writes through it into b (so into every row of the expanded tensor); here numpy's
    read-only flag on views of a broadcast array refused it (in-place focus seeds 44606, 54754,
    56748, 63480). Closed form for the row's exp_: e = [eᵇ, eᵇ] after it, so for Σ w·e,
    b̄ = (w₀ + w₁)·eᵇ = [4e^0.5, 6e^−0.3]."""
    torch = pytest.importorskip("torch")
    ours, theirs = _expanded_write(tg, case, grad), _expanded_write(torch, case, grad)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-14)
    if case == "row exp_" and grad:
        np.testing.assert_allclose(ours[2], [4 * np.exp(0.5), 6 * np.exp(-0.3)], rtol=1e-14)


@pytest.mark.parametrize("grad", [False, True])
def test_in_place_into_repeated_memory_is_still_refused(grad: bool) -> None:
    b = tg.tensor([0.5, -0.3], dtype=tg.float64, requires_grad=grad) * 1
    e = b.expand(2, 2)
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        e[:, 0] = 5.0  # a column: both rows' element 0, one location
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        e.unsqueeze(0)[:, :, 1].exp_()
    assert b.tolist() == [0.5, -0.3]


ADVANCED_WRITES = {  # index, number of values written (a row of b, or one element)
    "row [0]": (lambda lib: (lib.tensor([0]),), 2),
    "row [-1]": (lambda lib: (lib.tensor([-1]),), 2),
    "mask": (lambda lib: (lib.tensor([False, True, False]),), 2),
    "pairs": (lambda lib: (lib.tensor([1, 0]), lib.tensor([0, 1])), 2),
    "one element": (lambda lib: (lib.tensor([2]), lib.tensor([1])), 1),
}


@pytest.mark.parametrize("case", list(ADVANCED_WRITES))
def test_advanced_index_write_into_an_expanded_tensor_that_writes_each_place_once(
    case: str,
) -> None:
    """``e[tensor([0])] = v`` of ``e = b.expand(3, 2)``: torch's index_put_ checks no overlap
    and writes b's row through the shared memory (every row of e shows it); refused here for
    any advanced index. Where the index writes no memory location twice the result is well
    defined, and written as torch's, with its deprecation warning: b = [[5, 6]] after
    ``e[[0]] = [5, 6]``."""
    torch = pytest.importorskip("torch")
    index, n = ADVANCED_WRITES[case]
    seen = []
    for lib in (tg, torch):
        b = lib.tensor([[0.5, -0.3]], dtype=lib.float64)
        e = b.expand(3, 2)
        with pytest.warns(UserWarning, match="index_put_ on expanded tensors is deprecated"):
            e[index(lib)] = lib.tensor([5.0, 6.0][:n], dtype=lib.float64)
        seen.append((b.numpy().copy(), e.numpy().copy()))
    for a, t in zip(*seen):
        np.testing.assert_array_equal(a, t)
    if case == "row [0]":
        assert seen[0][0].tolist() == [[5.0, 6.0]]


def test_advanced_index_write_into_repeated_memory_is_still_refused() -> None:
    """Where an advanced index writes one memory location twice (two rows of an expanded
    tensor, or a column of it) torch writes it in an order it does not specify; refused here,
    as in grad mode (where torch refuses it too) and for a value that requires grad."""
    b = tg.tensor([[0.5, -0.3]], dtype=tg.float64)
    e = b.expand(3, 2)
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        e[tg.tensor([0, 1])] = 5.0
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        e[:, tg.tensor([1])] = 5.0
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        e[tg.tensor([0])] = tg.tensor(5.0, dtype=tg.float64, requires_grad=True) * 1
    assert b.tolist() == [[0.5, -0.3]]
    x = tg.tensor([[0.5, -0.3]], dtype=tg.float64, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="refers to a single memory location"):
        x.expand(3, 2)[tg.tensor([0])] = 5.0


def test_copy_refuses_a_value_of_more_dims_without_grad() -> None:
    """``copy_`` of a (1,) value into a 0-d tensor: numpy's copyto drops the leading 1, torch
    refuses ("output with shape [] doesn't match the broadcast shape [1]"), as here in grad mode
    and for add_ (in-place focus seed 58854)."""
    torch = pytest.importorskip("torch")
    for dst, src in [((), (1,)), ((3,), (1, 3))]:
        with pytest.raises(RuntimeError):
            torch.zeros(dst, dtype=torch.float64).copy_(torch.ones(src, dtype=torch.float64))
        with pytest.raises(RuntimeError, match=rf"copy_: .*shape {re.escape(str(src))}"):
            tg.zeros(dst, dtype=tg.float64).copy_(tg.ones(src, dtype=tg.float64))
    x = tg.zeros(2, 3, dtype=tg.float64)
    x.copy_(tg.tensor([1.0, 2.0, 3.0], dtype=tg.float64))  # (broadcasts: accepted, as torch)
    assert x.tolist() == [[1.0, 2.0, 3.0]] * 2


# An in-place op on a view whose rule reads its result (exp_, sigmoid_), then a write into the
# base: the result the rule reads is the view, whose version is the base's, so backward refuses
# as torch does. This library's rule read its own copy of the result, and computed the
# derivative (finite differences agree, for these five patterns and 24 variants), where torch
# refuses. In-place focus seed 82777's reduction.
WRITES_AFTER_A_VIEW_READS_ITS_RESULT = {
    "exp_ twice": lambda b, v: (v.exp_(), v.exp_()),
    "exp_, then a write elsewhere in the base": lambda b, v: (v.exp_(), b[0].add_(1.0)),
    "exp_, then a write into the view": lambda b, v: (v.exp_(), v.add_(1.0)),
    "exp_ through transpose(1, 1), then the base": lambda b, v: (
        b.transpose(1, 1).exp_(),
        b.add_(1.0),
    ),
    "sigmoid_, then another view": lambda b, v: (v.sigmoid_(), b[:1].mul_(3.0)),
}


def _exp_on_view_program(lib: Any, write: Any) -> Any:
    x = lib.tensor([-0.6, -1.0, 0.6], dtype=lib.float64, requires_grad=True)
    b = lib.zeros(3, 2, dtype=lib.float64)
    b.mT.copy_(x)  # b gains x's history
    write(b, b[1:])
    return lib.autograd.grad((b * 2.0).sum(), [x])[0]


@pytest.mark.parametrize("case", list(WRITES_AFTER_A_VIEW_READS_ITS_RESULT))
def test_a_write_after_an_op_on_a_view_that_reads_its_result(case: str) -> None:
    write = WRITES_AFTER_A_VIEW_READS_ITS_RESULT[case]
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*its output"):
        _exp_on_view_program(tg, write)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _exp_on_view_program(torch, write)


def test_an_op_on_a_view_that_reads_its_result_without_a_later_write() -> None:
    # b's rows are x₀, x₁, x₂ twice; e^ on rows 1 and 2: ∂(2·Σ b)/∂x = 4·[1, e^x₁, e^x₂]
    expected = 4 * np.array([1.0, np.exp(-1.0), np.exp(0.6)])
    np.testing.assert_allclose(_exp_on_view_program(tg, lambda b, v: v.exp_()), expected)
    # mul_ by a number reads no result: a later write changes nothing it needs
    doubled = _exp_on_view_program(tg, lambda b, v: (v.mul_(2.0), b.add_(1.0)))
    np.testing.assert_allclose(doubled, [4.0, 8.0, 8.0])
    torch = pytest.importorskip("torch")
    theirs = _exp_on_view_program(torch, lambda b, v: v.exp_())
    np.testing.assert_allclose(theirs.numpy(), expected, rtol=1e-15)


def test_an_empty_view_of_a_0d_tensor_with_two_empty_axes() -> None:
    """y.reshape(1, 1)[:0, :-1] has shape (0, 0): an in-place op on it writes nothing and is
    recorded, as torch's CopySlices; the index of its places in the 0-d base gave (0, 1), and
    the op was refused for the shape (in-place focus seed 195476)."""

    def run(lib: Any) -> tuple[list[float], bool, bool]:
        w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = (w * 1).sum()
        v = y.reshape(1, 1)[:0, :-1]
        u = y.reshape(1, 1, 1)[:0, :0]
        v.fill_(0.5)
        u.add_(w[:1].reshape(1, 1, 1) * 2)
        (y * 3 + v.sum() + u.sum()).backward()
        buf = lib.zeros((), dtype=lib.float64)
        buf.reshape(1, 1)[:0, :0].add_(w[0])  # nothing written, but buf gains the history
        return w.grad.tolist(), buf.requires_grad, buf.is_leaf

    assert run(tg) == ([3.0, 3.0], True, False)  # ∂(3·Σw)/∂w: the writes changed nothing
    torch = pytest.importorskip("torch")
    assert run(torch) == run(tg)


def _second_pass_through_a_write(lib: Any) -> tuple[list[float], float]:
    a = lib.tensor([-0.5, 2.0], dtype=lib.float64, requires_grad=True)
    b = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
    y = a.pow(1 / 3)  # nan at a₀ < 0
    y[0] = 1.5  # CopySlices: ȳ_old = g·[not written]
    (ga,) = lib.autograd.grad((y * b).sum(), [a], create_graph=True)
    (gb,) = lib.autograd.grad(ga.sum(), [b])
    return ga.tolist(), float(gb)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the pow of a₀ < 0
def test_a_second_pass_drops_a_nan_adjoint_at_the_places_a_write_covered() -> None:
    """ā = b·[not written]·⅓a^(−2/3) is nan at the written a₀ (0·nan, in both libraries), but the
    selection [not written] is a where in torch, so the second pass, ∂(Σ ā)/∂b = ⅓·2^(−2/3),
    drops the nan adjoint there. The finite g of the first pass took the product g·mask, whose
    recorded rule multiplied that adjoint by 0: nan (in-place focus seed 197066)."""
    ga, gb = _second_pass_through_a_write(tg)
    assert np.isnan(ga[0]) and ga[1] == pytest.approx(0.7 / 3 * 2 ** (-2 / 3), rel=1e-14)
    assert gb == pytest.approx(2 ** (-2 / 3) / 3, rel=1e-14)
    torch = pytest.importorskip("torch")
    theirs = _second_pass_through_a_write(torch)
    np.testing.assert_allclose(theirs[0], ga, rtol=1e-15)
    assert theirs[1] == pytest.approx(gb, rel=1e-15)


def test_a_second_pass_through_relu_drops_a_nan_direction_where_x_is_negative() -> None:
    """relu's x̄ = g·[x > 0], a selection in torch at every order: the gradient of Σ x̄·v with v
    nan where x < 0 takes only v where x > 0 (b̄ = v₁ for g = b), not 0·nan."""

    def run(lib: Any) -> float:
        x = lib.tensor([-1.0, 2.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor(0.7, dtype=lib.float64, requires_grad=True)
        (gx,) = lib.autograd.grad((x.relu() * b).sum(), [x], create_graph=True)
        v = lib.tensor([float("nan"), 3.0], dtype=lib.float64)
        return float(lib.autograd.grad((gx * v).sum(), [b])[0])

    assert run(tg) == 3.0
    torch = pytest.importorskip("torch")
    assert run(torch) == 3.0


@pytest.mark.parametrize("via_view", [False, True])
def test_an_expand_of_a_0d_tensor_follows_an_in_place_op_on_it(via_view: bool) -> None:
    """e = y.expand(2) of a 0-d y, then y.mul_(3) (or y[()].mul_(3)): e's grad_fn is made again
    from y's new history, and its adjoint, of shape (2,), goes to y's one element, summed; the
    index of e's places in the 0-d y gives shape (1,), which the rule could not add g into
    (in-place focus seed 260391)."""

    def run(lib: Any) -> list[float]:
        a = lib.tensor([0.3, -0.7], dtype=lib.float64, requires_grad=True)
        y = (a * lib.tensor([2.0, 5.0], dtype=lib.float64)).sum()
        e = y.expand(2)
        (y[()] if via_view else y).mul_(3.0)
        (e * lib.tensor([1.0, 3.0], dtype=lib.float64)).sum().backward()
        return a.grad.tolist()

    assert run(tg) == [24.0, 60.0]  # ∂(1·3y + 3·3y)/∂a = 12·[2, 5]
    torch = pytest.importorskip("torch")
    assert run(torch) == run(tg)


@pytest.mark.parametrize("index", [1, [1], [[1, 0]]], ids=["0-d", "1-d", "2-d"])
def test_embedding_of_a_0d_index_is_a_new_tensor_that_takes_in_place_ops(index: Any) -> None:
    """F.embedding(tensor(1), W): out = W[1], a row gathered as for any index, so out is no view
    of W and ``out.clamp_`` is recorded on it (W̄[1] = g·[lo ≤ W[1] ≤ hi]) where a 0-d index read
    as an int had selected a view of the leaf W and refused the write (in-place focus seed
    569838)."""

    def run(lib: Any) -> tuple[bool, list[list[float]]]:
        w = lib.tensor([[0.4, -1.7], [0.8, -0.9]], dtype=lib.float64, requires_grad=True)
        out = lib.nn.functional.embedding(lib.tensor(index), w)
        out.clamp_(-1.1, 0.1)
        (out * 3).sum().backward()
        return out._base is not None, w.grad.tolist()

    expected = [[0.0, 0.0], [0.0, 3.0]]  # only W[1, 1] = −0.9 lies within the bounds
    assert run(tg) == (False, expected)
    torch = pytest.importorskip("torch")
    assert run(torch) == (False, expected)
