"""Regression tests for the findings of tests/_audit_grid_sequences_nn_utils.py, the bad-input audit
of grid_sample/affine_grid, the fractional pools, antialiased interpolate, packed sequences,
ctc_loss, embedding_bag, AdaptiveLogSoftmaxWithLoss, the Lazy modules and nn.utils against torch
2.13: each test is one fix (or one kept divergence), checked without torch; torch's values where
given are its outputs, written down."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.nn.utils import parametrize, rnn


def test_packed_sequence_infers_unsorted_indices() -> None:
    # torch's PackedSequence(data, batch_sizes, sorted_indices) sets unsorted_indices to the
    # inverse permutation; it was left None, so pad_packed_sequence returned the sorted order
    data = tg.tensor(np.arange(12.0).reshape(6, 2), requires_grad=True)
    p = rnn.PackedSequence(data, tg.tensor([3, 2, 1]), tg.tensor([2, 0, 1]))
    assert p.unsorted_indices is not None
    assert p.unsorted_indices.tolist() == [1, 2, 0]
    padded, lengths = rnn.pad_packed_sequence(p, batch_first=True)
    assert lengths.tolist() == [2, 1, 3]  # torch's
    assert padded[2, :, 0].tolist() == [0.0, 6.0, 10.0]  # the longest, sorted first
    assert [s.shape[0] for s in rnn.unpack_sequence(p)] == [2, 1, 3]
    # given both, neither is touched; _replace keeps them
    q = rnn.PackedSequence(data, tg.tensor([3, 2, 1]), tg.tensor([2, 0, 1]), tg.tensor([0, 1, 2]))
    assert q.unsorted_indices is not None and q.unsorted_indices.tolist() == [0, 1, 2]
    assert p._replace(data=data * 2).unsorted_indices is p.unsorted_indices


@pytest.mark.parametrize("batch_sizes", [[2, 3, 1], [3, 0, 3], [4, -1, 3]])
def test_packed_sequence_batch_sizes_must_not_grow(batch_sizes: list[int]) -> None:
    # increasing batch sizes failed inside numpy (IndexError: index 2 is out of bounds for axis
    # 1); torch raises a RuntimeError, or crashes its process for a 0 or a negative
    p = rnn.PackedSequence(tg.randn(6, 2), tg.tensor(batch_sizes))
    with pytest.raises(RuntimeError, match=r"batch_sizes .* positive and non-increasing"):
        rnn.pad_packed_sequence(p)
    with pytest.raises(RuntimeError, match=r"batch_sizes .* positive and non-increasing"):
        nn.GRU(2, 3)(p)


def test_packed_sequence_batch_sizes_must_be_a_tensor() -> None:
    p = rnn.PackedSequence(tg.randn(6, 2), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"pad_packed_sequence\(\): .*batch_sizes must be a Tensor"):
        rnn.pad_packed_sequence(p)
    with pytest.raises(TypeError, match=r"LSTM.*batch_sizes must be a Tensor"):
        nn.LSTM(2, 3)(p)


@pytest.mark.parametrize("value", [None, 1, "a"])
def test_parametrize_queries_take_any_object(value: object) -> None:
    # torch answers False / the object's type; ours failed on None.__dict__
    assert parametrize.is_parametrized(value) is False  # type: ignore[arg-type]
    assert parametrize.type_before_parametrizations(value) is type(value)  # type: ignore[arg-type]


def test_clip_grads_with_norm_factor_in_total_norms_precision() -> None:
    # torch computes max_norm / (total_norm + 1e-6) as a tensor of total_norm's dtype
    p = tg.tensor([0.0, 1.0, 2.0], dtype=tg.float64, requires_grad=True)
    (p * p).sum().backward()
    nn.utils.clip_grads_with_norm_([p], 1.0, tg.tensor(np.float32(2.0)))
    assert p.grad is not None
    assert p.grad.tolist() == [0.0, 0.9999995231628418, 1.9999990463256836]  # torch's
    q = tg.tensor([0.0, 1.0, 2.0], dtype=tg.float64, requires_grad=True)
    (q * q).sum().backward()
    nn.utils.clip_grads_with_norm_([q], 1.0, 2.0)
    assert q.grad is not None
    assert q.grad.tolist() == [0.0, 2 * (1.0 / (2.0 + 1e-6)), 4 * (1.0 / (2.0 + 1e-6))]


def test_vector_to_parameters_keeps_the_parameters_dtype() -> None:
    # kept divergence: torch's param.data = vec[...] gives the parameter vec's dtype
    ps = [tg.zeros(2, 3, dtype=tg.float64), tg.zeros(3, dtype=tg.float64)]
    nn.utils.vector_to_parameters(tg.arange(9, dtype=tg.float32), ps)
    assert [p.dtype for p in ps] == [tg.float64, tg.float64]
    assert ps[1].tolist() == [6.0, 7.0, 8.0]


def test_antialias_output_width_one_is_not_torchs_copied_row() -> None:
    # kept divergence: torch's antialiased kernel with an output width of 1 (and height > 1)
    # repeats the first output row in every row; ours resamples each row, and equals torch on
    # the transposed input, where its kernel is right
    x = np.arange(36.0).reshape(1, 1, 9, 4) ** 1.5
    out = F.interpolate(tg.tensor(x), scale_factor=0.3, mode="bilinear", antialias=True)
    assert out.shape == (1, 1, 2, 1)
    t = F.interpolate(
        tg.tensor(x.transpose(0, 1, 3, 2).copy()), scale_factor=0.3, mode="bilinear", antialias=True
    )
    np.testing.assert_allclose(out.numpy(), t.numpy().transpose(0, 1, 3, 2), rtol=1e-12)
    assert out.numpy()[0, 0, 0, 0] != out.numpy()[0, 0, 1, 0]


def test_ctc_loss_gradient_at_minus_infinity_is_the_limit() -> None:
    # kept divergence: torch's gradient is nan for a frame holding a -inf log-probability
    # (through log_softmax); ours is the limit, equal to torch's for -1e30 in its place
    rng = np.random.default_rng(1000)
    a = rng.standard_normal((8, 3, 4))
    targets = tg.tensor(rng.integers(1, 4, (3, 4)))
    grads = []
    for low in (-np.inf, -1e30):
        x = tg.tensor(np.where(a > 1.5, low, a), requires_grad=True)
        F.ctc_loss(x.log_softmax(2), targets, [8, 8, 8], [4, 4, 1], reduction="sum").backward()
        assert x.grad is not None
        grads.append(x.grad.numpy())
    assert np.isfinite(grads[0]).all()
    assert (grads[0][a > 1.5] == 0).all()
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("x", "grid"),
    [
        (np.zeros((1, 1, 2, 2), np.float32), np.zeros((1, 1, 1, 2))),
        (np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 1, 2), np.float32)),
        (np.zeros((1, 1, 2, 2), np.int64), np.zeros((1, 1, 1, 2))),
    ],
)
def test_grid_sample_dtype_mismatch_is_a_runtime_error(x: np.ndarray, grid: np.ndarray) -> None:
    # torch raises RuntimeError ("expected scalar type Float but found Double"); ours was a
    # TypeError
    with pytest.raises(RuntimeError, match=r"grid_sample\(\): expected floating input and grid"):
        F.grid_sample(tg.tensor(x), tg.tensor(grid), align_corners=False)


def test_ctc_loss_gradient_with_blank_in_targets_is_the_derivative() -> None:
    # kept divergence: targets holding the blank (invalid per torch's docs) give torch's loss,
    # but torch's gradient is not its derivative (0.086 off finite differences); ours is
    rng = np.random.default_rng(5)
    targets = tg.tensor([[1, 0, 3], [2, 0, 4]])
    x = tg.tensor(rng.standard_normal((4, 2, 5)), requires_grad=True)
    tg.gradcheck(
        lambda x: F.ctc_loss(x.log_softmax(2), targets, [4, 4], [3, 2]), (x,), eps=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.int16])
def test_pack_padded_sequence_takes_lengths_of_any_integer_dtype(dtype: type) -> None:
    # torch casts lengths with as_tensor(lengths, dtype=int64); ours refused an int32 tensor
    x = tg.randn(5, 3, 2)
    p = rnn.pack_padded_sequence(x, tg.tensor(np.array([5, 3, 2], dtype=dtype)))
    assert p.batch_sizes.tolist() == [3, 3, 2, 1, 1]  # torch's
    with pytest.raises(RuntimeError, match=r"1D integer tensor.*float"):
        rnn.pack_padded_sequence(x, tg.tensor([5.0, 3.0, 2.0]))
