"""F.embedding_bag and nn.EmbeddingBag: bags of looked-up rows reduced by sum, mean or max.

Checked against the definition written out in numpy (bag by bag), by gradcheck in float64,
and, where PyTorch is installed, against torch's values and gradients.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck


def _reference(
    W: np.ndarray,
    idx: np.ndarray,
    offsets: np.ndarray,
    mode: str,
    psw: np.ndarray | None,
    pad: int | None,
) -> np.ndarray:
    out = np.zeros((offsets.size, W.shape[1]))
    ends = np.append(offsets[1:], idx.size)
    for b, (start, end) in enumerate(zip(offsets, ends)):
        keep = [i for i in range(start, end) if idx[i] != pad]
        if not keep:
            continue
        rows = W[idx[keep]] * (psw[keep, None] if psw is not None else 1.0)
        out[b] = {"sum": rows.sum(0), "mean": rows.mean(0), "max": rows.max(0)}[mode]
    return out


@given(
    st.integers(0, 2**16),
    st.lists(st.integers(0, 4), min_size=1, max_size=5),
    st.sampled_from(["sum", "mean", "max"]),
    st.booleans(),
    st.booleans(),
)
def test_embedding_bag_is_its_definition(
    seed: int, bag_sizes: list[int], mode: str, weighted: bool, padded: bool
) -> None:
    """Each bag (possibly empty) is the sum, mean or max of its rows, padding_idx left out;
    W's adjoint is the scatter of each bag's ḡ to its rows (÷|bag| for the mean, to the
    maximal row for the max)."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((5, 3))
    idx = rng.integers(0, 5, sum(bag_sizes))
    offsets = np.concatenate([[0], np.cumsum(bag_sizes)[:-1]]).astype(np.int64)
    psw = rng.standard_normal(idx.size) if weighted and mode == "sum" else None
    pad = 2 if padded else None
    w = tg.tensor(W, requires_grad=True)
    out = F.embedding_bag(
        tg.tensor(idx),
        w,
        tg.tensor(offsets),
        mode=mode,
        per_sample_weights=None if psw is None else tg.tensor(psw),
        padding_idx=pad,
    )
    np.testing.assert_allclose(out.detach().numpy(), _reference(W, idx, offsets, mode, psw, pad))
    g = rng.standard_normal(out.shape)
    (out * tg.tensor(g)).sum().backward()
    # The adjoint by the definition: the derivative of Σ_b g_b · out_b, one row at a time.
    want = np.zeros_like(W)
    for r in range(5):
        for d in range(3):
            bumped = W.copy()
            bumped[r, d] += 1e-6
            diff = _reference(bumped, idx, offsets, mode, psw, pad) - _reference(
                W, idx, offsets, mode, psw, pad
            )
            want[r, d] = (g * diff).sum() / 1e-6
    assert w.grad is not None
    np.testing.assert_allclose(w.grad.numpy(), want, atol=1e-6)


def test_embedding_bag_gradcheck() -> None:
    rng = np.random.default_rng(0)
    W = tg.tensor(rng.standard_normal((6, 3)), requires_grad=True)
    psw = tg.tensor(rng.standard_normal(7), requires_grad=True)
    idx = tg.tensor([0, 1, 2, 1, 5, 5, 3])
    offsets = tg.tensor([0, 2, 2, 5])
    for mode in ("sum", "mean", "max"):
        assert gradcheck(
            lambda W, mode=mode: F.embedding_bag(idx, W, offsets, mode=mode, padding_idx=1), [W]
        )
    assert gradcheck(
        lambda W, psw: F.embedding_bag(idx, W, offsets, mode="sum", per_sample_weights=psw),
        [W, psw],
    )


def test_embedding_bag_layouts_and_edges() -> None:
    W = tg.tensor(np.arange(18.0).reshape(6, 3))
    idx = tg.tensor([0, 1, 2, 1, 0, 0, 5])
    # include_last_offset: B + 1 offsets; as torch, the last bag runs to the end of input.
    last = F.embedding_bag(idx, W, tg.tensor([0, 2, 2, 4]), mode="sum", include_last_offset=True)
    np.testing.assert_array_equal(last.numpy(), [[3, 5, 7], [0, 0, 0], [24, 29, 34]])
    two_d = F.embedding_bag(tg.tensor([[0, 1], [2, 1]]), W, mode="mean")
    np.testing.assert_array_equal(two_d.numpy(), [[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]])
    no_bags = F.embedding_bag(tg.tensor([0, 1]), W, tg.tensor([0]), include_last_offset=True)
    assert no_bags.shape == (0, 3)
    empty = F.embedding_bag(tg.tensor(np.zeros((2, 0), dtype=np.int64)), W, mode="max")
    np.testing.assert_array_equal(empty.numpy(), np.zeros((2, 3)))


def test_embedding_bag_bad_input() -> None:
    W = tg.randn(4, 2)
    idx = tg.tensor([0, 1, 2, 1])
    with pytest.raises(RuntimeError, match="offsets\\[0\\] has to be 0"):
        F.embedding_bag(idx, W, tg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="can not be greater than input's length 4"):
        F.embedding_bag(idx, W, tg.tensor([0, 5]))
    with pytest.raises(RuntimeError, match="non-decreasing"):
        F.embedding_bag(idx, W, tg.tensor([0, 3, 2]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor"):
        F.embedding_bag(idx, W)
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        F.embedding_bag(idx.reshape(2, 2), W, tg.tensor([0, 1]))
    with pytest.raises(ValueError, match="1D or 2D"):
        F.embedding_bag(idx.reshape(1, 2, 2), W)
    with pytest.raises(RuntimeError, match="index 7 is out of range for a weight of 4 rows"):
        F.embedding_bag(tg.tensor([0, 7]), W, tg.tensor([0]))
    with pytest.raises(TypeError, match="int64 or int32"):
        F.embedding_bag(idx.float(), W, tg.tensor([0]))
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(idx, W, tg.tensor([0]), mode="min")
    with pytest.raises(NotImplementedError, match="only supported for mode='sum'"):
        F.embedding_bag(idx, W, tg.tensor([0]), per_sample_weights=tg.ones(4))
    with pytest.raises(ValueError, match="must have the same shape as the input"):
        F.embedding_bag(idx, W, tg.tensor([0]), mode="sum", per_sample_weights=tg.ones(3))
    with pytest.raises(RuntimeError, match="per_sample_weights has dtype float64"):
        F.embedding_bag(
            idx, W, tg.tensor([0]), mode="sum", per_sample_weights=tg.ones(4, dtype=tg.float64)
        )
    with pytest.raises(ValueError, match="padding_idx must be within num_embeddings"):
        nn.EmbeddingBag(4, 2, padding_idx=4)
    with pytest.raises(ValueError, match="mode has to be one of"):
        nn.EmbeddingBag(4, 2, mode="median")


def test_embedding_bag_module() -> None:
    tg.manual_seed(0)
    bag = nn.EmbeddingBag(5, 3, mode="sum", padding_idx=1)
    assert bag.weight.shape == (5, 3) and not bag.weight.detach().numpy()[1].any()
    assert repr(bag) == "EmbeddingBag(5, 3, mode='sum', padding_idx=1)"
    table = tg.tensor(np.arange(6.0).reshape(3, 2))
    frozen = nn.EmbeddingBag.from_pretrained(table, mode="max")
    assert not frozen.weight.requires_grad
    out = frozen(tg.tensor([[0, 2], [1, 1]]))
    np.testing.assert_array_equal(out.numpy(), [[4, 5], [2, 3]])
    trainable = nn.EmbeddingBag.from_pretrained(table, freeze=False)
    assert trainable.weight.requires_grad
    weighted = bag(tg.tensor([0, 2, 3]), tg.tensor([0, 1]), tg.tensor([2.0, 1.0, -1.0]))
    w = bag.weight.detach().numpy()
    np.testing.assert_allclose(weighted.detach().numpy(), [2 * w[0], w[2] - w[3]], rtol=1e-6)


@pytest.mark.parametrize(
    "kw",
    [
        {"mode": "sum"},
        {"mode": "mean", "padding_idx": 5},
        {"mode": "max", "padding_idx": 0},
        {"mode": "sum", "include_last_offset": True},
        {"mode": "mean", "max_norm": 1.0},
        {"mode": "sum", "per_sample_weights": True},
    ],
)
def test_embedding_bag_matches_torch(kw: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    W = rng.standard_normal((6, 3))
    W[4] = W[2]  # a tie for the max
    idx = np.array([0, 2, 4, 1, 5, 5, 3, 2])
    offsets = np.array([0, 3, 3, 6])
    kw = dict(kw)
    psw = rng.standard_normal(idx.size) if kw.pop("per_sample_weights", False) else None
    a, b = tg.tensor(W, requires_grad=True), torch.tensor(W, requires_grad=True)
    pa = None if psw is None else tg.tensor(psw, requires_grad=True)
    pb = None if psw is None else torch.tensor(psw, requires_grad=True)
    mine = F.embedding_bag(tg.tensor(idx), a, tg.tensor(offsets), per_sample_weights=pa, **kw)
    theirs = torch.nn.functional.embedding_bag(
        torch.tensor(idx), b, torch.tensor(offsets), per_sample_weights=pb, **kw
    )
    np.testing.assert_allclose(mine.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)  # max_norm
    g = rng.standard_normal(mine.shape)
    (mine * tg.tensor(g)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    assert a.grad is not None
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-15)
    if pa is not None:
        assert pa.grad is not None
        np.testing.assert_allclose(pa.grad.numpy(), pb.grad.numpy(), rtol=1e-12)
