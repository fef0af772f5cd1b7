"""cross_entropy's derivative rule is one primitive, ``cross_entropy_backward``: its first and
second derivatives against torch's (torch differentiates nll_loss and log_softmax's backward),
for every reduction, with class indices of every row, and its node under create_graph."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.ops import OPS
from tinygrad_ed.tensor import _apply


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(5, 4), (4,), (1, 3)])
def test_first_and_second_derivatives_are_torchs(reduction: str, shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(shape) + len(reduction))
    x = rng.standard_normal(shape) * 3
    y = rng.integers(0, shape[-1], shape[:-1])
    seed = rng.standard_normal(shape[:-1]) if reduction == "none" else np.array(1.7)
    v = rng.standard_normal(shape)  # the direction of the Hessian-vector product

    a = tg.tensor(x, requires_grad=True)
    (ga,) = tg.autograd.grad(
        F.cross_entropy(a, y, reduction=reduction), a, tg.tensor(seed), create_graph=True
    )
    (ha,) = tg.autograd.grad((ga * tg.tensor(v)).sum(), a)

    b = torch.tensor(x, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(b, torch.tensor(y), reduction=reduction)
    (gb,) = torch.autograd.grad(loss, b, torch.tensor(seed), create_graph=True)
    (hb,) = torch.autograd.grad((gb * torch.tensor(v)).sum(), b)

    np.testing.assert_allclose(ga.detach().numpy(), gb.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ha.numpy(), hb.numpy(), rtol=1e-10, atol=1e-12)
    assert ga.grad_fn is not None and ga.grad_fn.name() == "CrossEntropyBackwardBackward"


def test_the_gradient_with_respect_to_the_seed_is_the_loss_gradient_direction() -> None:
    """ḡ of the rule: d/dg of ⟨g·(softmax − e_y), v⟩ = ⟨softmax − e_y, v⟩ (÷N for the mean)."""
    x = tg.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], dtype=tg.float64)
    y = np.array([2, 0])
    seed = tg.tensor(2.0, dtype=tg.float64, requires_grad=True)
    v = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 1.0]])
    (gx,) = tg.autograd.grad(F.cross_entropy(x.requires_grad_(), y), x, seed, create_graph=True)
    (gs,) = tg.autograd.grad((gx * tg.tensor(v)).sum(), seed)
    p = np.exp(x.data) / np.exp(x.data).sum(-1, keepdims=True)
    p[[0, 1], y] -= 1
    np.testing.assert_allclose(gs.item(), (p * v).sum() / 2, rtol=1e-12)


def test_float32_training_gradient_is_softmax_minus_onehot_over_n() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 10)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    a = tg.tensor(x, requires_grad=True)
    F.cross_entropy(a, y).backward()
    p = np.exp(x - x.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(128), y] -= 1
    assert a.grad is not None and a.grad.dtype == np.float32
    np.testing.assert_allclose(a.grad.numpy(), p / 128, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(6, 5), (5,), (2, 3, 4)])
def test_the_softmax_the_forward_kept_gives_the_recomputed_gradient(
    reduction: str, shape: tuple[int, ...]
) -> None:
    """F.cross_entropy hands its rule the softmax its forward computed; the op applied without
    that memo computes it again. Both give the same bits, and a second backward through a
    retained graph (the memo taken by the first) gives them again."""
    rng = np.random.default_rng(len(shape))
    x = rng.standard_normal(shape).astype(np.float32) * 4
    classes = shape[1] if len(shape) == 3 else shape[-1]
    y = rng.integers(0, classes, (shape[0], *shape[2:]) if len(shape) > 1 else ())
    seed = rng.standard_normal(y.shape).astype(np.float32) if reduction == "none" else None

    a = tg.tensor(x, requires_grad=True)
    loss = F.cross_entropy(a, y, reduction=reduction)
    loss.backward(None if seed is None else tg.tensor(seed), retain_graph=True)
    first = a.grad.numpy().copy()
    a.grad = None
    loss.backward(None if seed is None else tg.tensor(seed))
    np.testing.assert_array_equal(a.grad.numpy(), first)

    rows = x if len(shape) < 3 else np.moveaxis(x, 1, -1).reshape(-1, classes)
    # The primitive itself, without the memo F.cross_entropy passes.
    b = tg.tensor(rows, requires_grad=True)
    if len(shape) == 1:  # one example: F.cross_entropy applies it with reduction 'none'
        plain = _apply(OPS["cross_entropy"], b, target=y, reduction="none")
        g = None if seed is None else tg.tensor(seed)
    else:
        plain = _apply(OPS["cross_entropy"], b, target=y.reshape(-1), reduction=reduction)
        g = None if seed is None else tg.tensor(seed.reshape(-1))
    plain.backward(g)
    expect = b.grad.numpy()
    if len(shape) == 3:
        expect = np.moveaxis(expect.reshape(shape[0], *shape[2:], classes), -1, 1)
    np.testing.assert_array_equal(first, expect)


def test_the_memo_is_released_by_backward_and_not_made_without_a_graph() -> None:
    x = tg.tensor(np.random.default_rng(1).standard_normal((4, 3)), requires_grad=True)
    loss = F.cross_entropy(x, np.array([0, 2, 1, 1]))
    memo = loss.grad_fn.kwargs["_memo"]
    assert memo["softmax"].shape == (4, 3)
    loss.backward()
    assert memo == {}  # the softmax is not held by the graph after backward
    with tg.no_grad():
        assert F.cross_entropy(x, np.array([0, 2, 1, 1])).grad_fn is None
    detached = F.cross_entropy(x.detach(), np.array([0, 2, 1, 1]))
    assert detached.grad_fn is None
