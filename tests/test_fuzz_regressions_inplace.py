"""Regressions found by the graph fuzzer's in-place steps (``TG_GRAPH_FOCUS=inplace``), each
against torch: values, the gradient and the grad_fn names."""

from __future__ import annotations

from typing import Any

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
