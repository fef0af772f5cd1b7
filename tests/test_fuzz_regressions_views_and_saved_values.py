"""Regressions the differential fuzzers found in views, writes and saved values: writes through
an expand, views of a detach(), ops that must return a new tensor rather than a view of one made
inside (roll, a crop by F.pad, sum_to_size), and rules that save what torch's save (einsum,
ldexp); each compared with torch 2.13 and, for gradients, with finite differences."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

EXPANDS = [((), (1,)), ((), (1, 1)), ((2, 1), (1, 2, 1)), ((1, 0), (2, 1, 0)), ((3,), (1, 3))]


def _expanded_then_written(lib: Any, x: Any, target: tuple[int, ...], op: str) -> Any:
    h = x * 1.5
    v = h.expand(target)
    if op == "mul_":
        v.mul_(3.0)
    elif op == "tanh_":
        v.tanh_()
    else:
        v.add_(x.expand(target) * 2)
    return (h * h).sum() + (v * v.exp()).sum()


@pytest.mark.parametrize("op", ["mul_", "tanh_", "add_"])
@pytest.mark.parametrize(("shape", "target"), EXPANDS)
def test_in_place_through_an_expand_that_repeats_nothing(
    shape: tuple[int, ...], target: tuple[int, ...], op: str
) -> None:
    """An ``expand`` that repeats no element (new dims of size 1, an empty result) may be
    written through in torch, reaching its base; here numpy's broadcast view was read-only,
    so the write was refused (fuzzer in-place seed 2873: a 0-d leaf expanded to (1,), then
    ``clamp_``)."""
    torch = pytest.importorskip("torch")
    a = np.linspace(-0.5, 0.7, int(np.prod(shape))).reshape(shape)
    found = []
    for lib in (tg, torch):
        x = lib.tensor(a, dtype=lib.float64, requires_grad=True)
        out = _expanded_then_written(lib, x, target, op)
        out.backward()
        found.append((float(out.detach()), x.grad.numpy().copy()))
    assert found[0][0] == pytest.approx(found[1][0], rel=1e-12)
    np.testing.assert_allclose(found[0][1], found[1][1], rtol=1e-12, atol=1e-15)
    x = tg.tensor(a, dtype=tg.float64, requires_grad=True)
    assert gradcheck(lambda t: _expanded_then_written(tg, t, target, op), [x])


def test_an_expand_that_repeats_elements_stays_read_only() -> None:
    """Where one memory location holds many elements, both refuse the write."""
    torch = pytest.importorskip("torch")
    for lib in (tg, torch):
        y = lib.zeros(2, 1, dtype=lib.float64).expand(2, 3)
        with pytest.raises(RuntimeError, match="single memory location"):
            y.add_(1.0)


VIEWS_OF_A_DETACH = {
    "getitem": lambda d: d[0],
    "T": lambda d: d.T,
    "reshape then slice": lambda d: d.reshape(3, 2)[1:],
    "select then unsqueeze": lambda d: d[:, 1].unsqueeze(0),
    "of a detach of the detach": lambda d: d.detach()[1],
}


def _written_under_a_detached_view(lib: Any, x: Any, view: str) -> tuple[Any, Any]:
    h = x * 2
    w = VIEWS_OF_A_DETACH[view](h.detach())
    h[1].add_(0.5)
    h.relu_()
    return (h * h.exp()).sum(), w


@pytest.mark.parametrize("view", list(VIEWS_OF_A_DETACH))
def test_in_place_on_a_tensor_with_a_view_of_its_detach(view: str) -> None:
    """A view of ``h.detach()`` marked h as viewed by a tensor autograd does not follow, so an
    in-place op on h in grad mode was refused; torch gives such a view no history (it stays a
    constant that shows h's memory), and neither does this library now (fuzzer in-place seeds
    3020, 3833, 5303, 5767: ``vander`` of a detached input, then an in-place op on it)."""
    torch = pytest.importorskip("torch")
    a = np.array([[0.5, -1.0, 0.3], [0.2, 0.8, -0.4]])
    found = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        out, w = _written_under_a_detached_view(lib, x, view)
        out.backward()
        assert not w.requires_grad and w.grad_fn is None and w.is_leaf
        found.append((float(out.detach()), x.grad.numpy().copy(), w.numpy().copy()))
    assert found[0][0] == pytest.approx(found[1][0], rel=1e-12)
    for ours, theirs in zip(found[0][1:], found[1][1:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    x = tg.tensor(a, requires_grad=True)
    assert gradcheck(lambda t: _written_under_a_detached_view(tg, t, view)[0], [x])


def test_a_write_through_a_view_of_a_detach_is_seen_by_backward() -> None:
    """The view shares the version of h's memory (torch's version counter): backward refuses
    the output of exp that it changed."""
    torch = pytest.importorskip("torch")
    for lib in (tg, torch):
        x = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        h = (x * 2).exp()
        h.detach()[0].add_(1.0)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            h.sum().backward()


def _rolled_then_written(lib: Any, x: Any, shape: tuple[int, ...]) -> tuple[Any, Any]:
    h = x.reshape(shape).roll(1)
    h.reshape(-1)[1:2].mul_(2.0)  # through a view of h: recorded on h (CopySlices)
    h.retain_grad()
    weights = lib.tensor(np.arange(1.0, 1.0 + h.numel()).reshape(shape))
    return (h * weights).sum() + (h.reshape(-1)[1:2] * 10).sum(), h


@pytest.mark.parametrize("shape", [(4,), (4, 1), (2, 2)])
def test_roll_without_dims_makes_a_new_tensor(shape: tuple[int, ...]) -> None:
    """``roll(shifts)`` without dims rolled the flattened tensor and reshaped it back, a view
    of the rolled copy: an in-place op through a view of the result was recorded on that
    hidden copy, and the result's own history (its retained gradient) missed it (fuzzer
    in-place seed 2348); torch's roll is a new tensor."""
    torch = pytest.importorskip("torch")
    a = np.array([-1.08, 0.44, 0.05, -0.57])
    found = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        out, h = _rolled_then_written(lib, x, shape)
        out.backward()
        assert h._base is None
        found.append((float(out.detach()), x.grad.numpy().copy(), h.grad.numpy().copy()))
    assert found[0][0] == pytest.approx(found[1][0], rel=1e-12)
    for ours, theirs in zip(found[0][1:], found[1][1:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    x = tg.tensor(a, requires_grad=True)
    assert gradcheck(lambda t: _rolled_then_written(tg, t, shape)[0], [x])


CONTRACTIONS = {
    "einsum": lambda lib, h, y: lib.einsum("i,ij->j", h, y),
    "tensordot": lambda lib, h, y: lib.tensordot(h, y, dims=([0], [0])),
    "tensordot outer": lambda lib, h, y: lib.tensordot(h, y[:0, 0], dims=([], [])),
}


def _contracted_then_changed(lib: Any, op: str, y_requires_grad: bool) -> Any:
    x = lib.tensor([0.5, -1.0, 0.3], dtype=lib.float64, requires_grad=True)
    y = lib.tensor(
        [[0.2, 0.7], [1.5, -0.4], [0.1, 0.9]], dtype=lib.float64, requires_grad=y_requires_grad
    )
    h = x * 2
    out = CONTRACTIONS[op](lib, h, y)
    h.mul_(3.0)  # h̄'s rule reads y only; ȳ's reads h
    try:
        out.sum().backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
        return "refused"
    return x.grad.numpy().copy()


@pytest.mark.parametrize("op", list(CONTRACTIONS))
def test_einsum_rule_reads_only_the_other_operands(op: str) -> None:
    """einsum's rule for an operand read every operand, so an in-place change of one after the
    contraction made backward refuse even where only its own gradient was wanted (fuzzer
    in-place seed 7306: ``tensordot`` with an empty operand); x̄ᵢ reads the other operands
    only, as torch's, which refuses only where ȳ needs the changed h."""
    torch = pytest.importorskip("torch")
    ours = _contracted_then_changed(tg, op, False)
    theirs = _contracted_then_changed(torch, op, False)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    y = np.array([[0.2, 0.7], [1.5, -0.4], [0.1, 0.9]])
    expected = 2 * y.sum(1) if op != "tensordot outer" else np.zeros(3)  # (closed form)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)
    assert _contracted_then_changed(tg, op, True) == "refused"
    assert _contracted_then_changed(torch, op, True) == "refused"


@pytest.mark.parametrize("pad", [(0, -1), (-1, -1), (-1, 0, 0, -1), (1, -1), (0, 0)])
def test_constant_pad_that_only_crops_makes_a_new_tensor(pad: tuple[int, ...]) -> None:
    """``F.pad`` with negative amounts only (a crop) returned a view of its input, so a write
    into the result reached the input, and an in-place op on a leaf's crop was refused
    (fuzzer in-place seed 13315); torch's pad always makes a new tensor."""
    torch = pytest.importorskip("torch")
    a = np.arange(1.0, 7.0).reshape(1, 2, 3)
    found = []
    for lib in (tg, torch):
        x = lib.tensor(a, requires_grad=True)
        y = lib.nn.functional.pad(x, pad)
        y.mul_(3.0)  # (a leaf's view would be refused)
        (y * y).sum().backward()
        found.append((x.detach().numpy().copy(), y.detach().numpy().copy(), x.grad.numpy().copy()))
    for ours, theirs in zip(*found):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    x = tg.tensor(a, requires_grad=True)
    assert gradcheck(lambda t: (tg.nn.functional.pad(t, pad).mul_(3.0) ** 2).sum(), [x])


def _ldexp_then_changed(lib: Any, which: str) -> Any:
    a = lib.tensor([0.5, -1.5, 0.25], dtype=lib.float64, requires_grad=True)
    e = lib.tensor([1.0, 2.0, -0.5], dtype=lib.float64, requires_grad=True)
    x = a * 1.0
    y = lib.ldexp(x, e)
    with lib.no_grad():
        (x if which == "x" else y).mul_(3.0)
    try:
        (y * y).sum().backward()
    except RuntimeError as err:
        assert "modified by an inplace operation" in str(err)
        return "refused"
    return a.grad.numpy().copy(), e.grad.numpy().copy()


def test_ldexp_saves_the_exponent_and_the_result() -> None:
    """ldexp was composed as x·2^other, whose product saved x: an in-place change of x after
    it made backward refuse (fuzzer in-place seed 29424); torch's LdexpBackward saves the
    exponent and the result, so it refuses a change of the result instead. The gradients are
    torch's and the closed form x̄ = g·2ᵉ, ē = g·out·ln 2 (g = 2·out)."""
    torch = pytest.importorskip("torch")
    ours, theirs = _ldexp_then_changed(tg, "x"), _ldexp_then_changed(torch, "x")
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    x, e = np.array([0.5, -1.5, 0.25]), np.array([1.0, 2.0, -0.5])
    out = x * 2.0**e
    np.testing.assert_allclose(ours[0], 2 * out * 2.0**e, rtol=1e-12)
    np.testing.assert_allclose(ours[1], 2 * out * out * np.log(2.0), rtol=1e-12)
    assert _ldexp_then_changed(tg, "out") == _ldexp_then_changed(torch, "out") == "refused"
    assert tg.ldexp(tg.tensor([1.0]), tg.tensor([1.0])).grad_fn is None
    x_t = tg.tensor(x, requires_grad=True)
    e_t = tg.tensor(e, requires_grad=True)
    assert gradcheck(lambda u, v: tg.ldexp(u, v), [x_t, e_t])


def test_sum_to_size_of_a_0d_tensor_makes_a_new_tensor() -> None:
    """``sum_to_size([])`` of a 0-d tensor returned the tensor itself, so a later in-place
    change of it showed in the result (fuzzer in-place seed 34780); torch sums every element,
    a new tensor (SumBackward), as for any x to size []. To x's own non-empty shape both
    return x itself."""
    torch = pytest.importorskip("torch")
    for lib in (tg, torch):
        a = lib.tensor(1.5, dtype=lib.float64, requires_grad=True)
        x = a * 2
        y = x.sum_to_size([])
        assert y is not x
        with lib.no_grad():
            x.mul_(3.0)
        assert float(y.detach()) == 3.0
        y.backward()
        assert float(a.grad) == 2.0
        z = lib.ones(2, 3, dtype=lib.float64) * 2
        assert z.sum_to_size([2, 3]) is z
        assert float(z.sum_to_size([])) == 12.0


def _index_0d_then_written(lib: Any) -> tuple[Any, ...]:
    base = lib.arange(6.0, dtype=lib.float64).reshape(2, 3)
    row = base[lib.tensor(1)]  # a 0-d integer tensor selects, as the int 1 does
    row.add_(100.0)
    leaf = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
    refused = False
    try:
        leaf[lib.tensor(1)].abs_()
    except RuntimeError:
        refused = True
    x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64, requires_grad=True)
    h = x * 2.0
    h[lib.tensor(-1)].mul_(x[0])  # through the view: h's last row times x's first
    h.sum().backward()
    mixed = x.detach()[lib.tensor(1), [0, 2]]
    mask = base[lib.tensor(True)]  # a 0-d bool tensor stays a mask: a new leading dim
    return base, refused, x.grad, mixed, tuple(mask.shape)


def test_a_0d_integer_tensor_index_is_a_view_as_an_int() -> None:
    """``x[torch.tensor(1)]`` is torch's ``select``, a view, as ``x[1]``: a write through it
    changes x, and one into a leaf that requires grad is refused; here numpy's 0-d index array
    made a copy, which took the write alone (fuzzer s30 focus seeds 120, 146, 209, 271: an
    ``abs_`` of a gathered entry of a leaf, refused by torch only). A 0-d bool tensor is a mask
    in both."""
    base, refused, grad, mixed, mask_shape = _index_0d_then_written(tg)
    np.testing.assert_array_equal(base.numpy(), [[0, 1, 2], [103, 104, 105]])
    assert refused
    # h = 2x with its last row multiplied by x's first: h̄ = 1, so x̄₀ = 2 + 2·x₁, x̄₁ = 2·x₀
    np.testing.assert_allclose(grad.numpy(), [[10.0, 12.0, 14.0], [2.0, 4.0, 6.0]])
    np.testing.assert_array_equal(mixed.numpy(), [4.0, 6.0])
    assert mask_shape == (1, 2, 3)
    torch = pytest.importorskip("torch")
    theirs = _index_0d_then_written(torch)
    np.testing.assert_array_equal(base.numpy(), theirs[0].numpy())
    assert theirs[1]
    np.testing.assert_allclose(grad.numpy(), theirs[2].numpy())
    np.testing.assert_array_equal(mixed.numpy(), theirs[3].numpy())
    assert mask_shape == theirs[4]
