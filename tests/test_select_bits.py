"""The bitwise selection of large float32 arrays (``ops._keep_bits``): where(c, x, 0) and the
rules of relu, clamp and where, exact to the bit against numpy's where and torch's backward,
±∞, nan and signed zeros included. The registry's drawn shapes are too small to reach it."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed import ops

SPECIALS = np.array([np.inf, -np.inf, np.nan, -0.0, 0.0, 1e-45, -3e38], dtype=np.float32)


def _values(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    flat = x.reshape(-1)
    spots = rng.choice(flat.size, 4 * SPECIALS.size, replace=False)
    flat[spots] = np.resize(SPECIALS, spots.size)
    return x


@pytest.mark.parametrize("shape", [(128, 256), (8192,), (4, 64, 32)])
def test_where_with_a_zero_keeps_the_bits(shape: tuple[int, ...]) -> None:
    x = _values(shape)
    c = np.random.default_rng(1).random(shape) < 0.5
    zero = np.zeros((), np.float32)
    assert ops._zero_fill(c, x, zero)  # the fast path is the one taken
    got = ops._where(c, x, zero)
    want = np.where(c, x, zero)
    assert got.dtype == np.float32 and got.shape == shape
    np.testing.assert_array_equal(got.view(np.int32), want.view(np.int32))  # nan bits too
    # where numpy's where is asked for anything else, it answers: -0.0, another layout, float64
    assert not ops._zero_fill(c, x, np.array(-0.0, np.float32))
    assert not ops._zero_fill(np.asfortranarray(c), x, zero) or len(shape) == 1
    x64, zero64 = x.astype(np.float64), zero.astype(np.float64)  # numpy's where, same answer
    np.testing.assert_array_equal(ops._where(c, x64, zero64), np.where(c, x64, zero64))


@pytest.mark.parametrize("op", ["relu", "clamp", "hardtanh"])
def test_rules_of_large_float32_selections_are_torchs(op: str) -> None:
    torch = pytest.importorskip("torch")
    x = _values((128, 256))
    x[np.isnan(x)] = 0.5  # a nan input has its own convention (test_silent_poles_and_node_hooks)
    g = _values((128, 256), seed=2)
    a = tg.tensor(x, requires_grad=True)
    b = torch.tensor(x, requires_grad=True)
    fns = {
        "relu": (lambda t: t.relu(), torch.relu),
        "clamp": (lambda t: t.clamp(-0.5, 0.5), lambda t: t.clamp(-0.5, 0.5)),
        "hardtanh": (tg.nn.functional.hardtanh, torch.nn.functional.hardtanh),
    }
    ours, theirs = fns[op]
    ours(a).backward(tg.tensor(g))
    theirs(b).backward(torch.tensor(g))
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_relu_rule_with_infinite_adjoints_gives_zero_where_the_input_was_negative() -> None:
    g = np.full((128, 256), np.inf, np.float32)
    x = np.where(np.arange(128 * 256).reshape(128, 256) % 2 == 0, -1.0, 1.0).astype(np.float32)
    a = tg.tensor(x, requires_grad=True)
    a.relu().backward(tg.tensor(g))
    assert (a.grad.numpy()[x < 0] == 0).all() and np.isposinf(a.grad.numpy()[x > 0]).all()
