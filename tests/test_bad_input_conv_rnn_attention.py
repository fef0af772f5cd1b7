"""Regression tests for the findings of tests/_audit_conv_rnn_attention.py, the bad-input and
edge-case audit of convolution/fold/unfold, the recurrent layers and attention/transformers against
torch 2.13: each test is one fix (a crash, a numpy error leaking out, a silent wrong answer or an
exception of another kind than torch's). The torch comparisons are skipped without torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck
from tinygrad_ed.tensor import OpError


def _copy_params(ours: Any, theirs: Any) -> None:
    """torch's parameters into ours, by name (the names and order match torch's)."""
    mine = dict(ours.named_parameters())
    for name, p in theirs.named_parameters():
        mine[name].data = p.detach().numpy().copy()


# ----------------------------------------------------------------------------- crashes


def test_linear_backward_with_a_zero_sized_feature_dim() -> None:
    # W̄'s reshape(-1, 0) of the batch positions was ambiguous and raised
    for fin, fout in ((4, 0), (0, 4)):
        with pytest.warns(UserWarning, match="zero-element"):  # as torch's, on the empty weight
            layer = nn.Linear(fin, fout).double()
        x = tg.randn(3, 2, fin, dtype=tg.float64, requires_grad=True)
        layer(x).sum().backward()
        assert x.grad is not None and layer.weight.grad is not None
        assert x.grad.shape == (3, 2, fin) and layer.weight.grad.shape == (fout, fin)
        np.testing.assert_array_equal(x.grad.numpy(), 0.0)
        np.testing.assert_array_equal(layer.weight.grad.numpy(), 0.0)


def test_transformer_layer_with_zero_feedforward_width_backward() -> None:
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="zero-element"):  # torch's, on its empty Linear
        theirs = torch.nn.TransformerEncoderLayer(4, 2, dim_feedforward=0, dropout=0.0).double()
    with pytest.warns(UserWarning, match="zero-element"):  # as torch's
        ours = nn.TransformerEncoderLayer(4, 2, dim_feedforward=0, dropout=0.0).double()
    _copy_params(ours, theirs)
    a = np.random.default_rng(0).standard_normal((3, 2, 4))
    xt = torch.tensor(a, requires_grad=True)
    x = tg.tensor(a, requires_grad=True)
    out_t, out = theirs(xt), ours(x)
    np.testing.assert_allclose(out.detach().numpy(), out_t.detach().numpy(), rtol=1e-10)
    out_t.sum().backward()
    out.sum().backward()
    assert x.grad is not None and xt.grad is not None
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("need_weights", [True, False])
def test_multihead_attention_with_an_empty_query_sequence(need_weights: bool) -> None:
    # reshape(0, N, -1) of the zero-length output was ambiguous and raised
    mha = nn.MultiheadAttention(4, 2).double()
    q = tg.randn(0, 2, 4, dtype=tg.float64, requires_grad=True)
    kv = tg.randn(3, 2, 4, dtype=tg.float64, requires_grad=True)
    out, weights = mha(q, kv, kv, need_weights=need_weights)
    assert out.shape == (0, 2, 4)
    assert weights is None if not need_weights else weights.shape == (2, 0, 3)
    out.sum().backward()
    assert kv.grad is not None
    np.testing.assert_array_equal(kv.grad.numpy(), 0.0)
    enc = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
    assert enc(tg.randn(2, 0, 4)).shape == (2, 0, 4)


def test_multihead_attention_with_empty_query_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    theirs = torch.nn.MultiheadAttention(4, 2, batch_first=True).double()
    ours = nn.MultiheadAttention(4, 2, batch_first=True).double()
    _copy_params(ours, theirs)
    a = np.random.default_rng(1).standard_normal((2, 3, 4))
    for q in (np.zeros((2, 0, 4)), a[:, :1]):
        out_t, w_t = theirs(torch.tensor(q), torch.tensor(a), torch.tensor(a))
        out, w = ours(tg.tensor(q), tg.tensor(a), tg.tensor(a))
        assert w is not None
        np.testing.assert_allclose(out.detach().numpy(), out_t.detach().numpy(), rtol=1e-10)
        np.testing.assert_allclose(w.detach().numpy(), w_t.detach().numpy(), rtol=1e-10)


def test_multihead_attention_key_padding_mask_with_per_head_mask_still_gradchecks() -> None:
    # the (N·h, 1, S) key padding mask reshaped beside a need_weights=False path
    mha = nn.MultiheadAttention(4, 2, batch_first=True).double()
    kpm = tg.tensor([[False, False, True], [True, False, False]])
    q = tg.randn(2, 4, 4, dtype=tg.float64, requires_grad=True)
    kv = tg.randn(2, 3, 4, dtype=tg.float64, requires_grad=True)

    def f(q: tg.Tensor, kv: tg.Tensor) -> tg.Tensor:
        return mha(q, kv, kv, key_padding_mask=kpm, need_weights=False)[0]

    assert gradcheck(f, (q, kv))


# ----------------------------------------------------------------------------- numpy leaks


def test_scaled_dot_product_attention_refuses_a_non_number_scale() -> None:
    q = tg.randn(2, 3, 4)
    with pytest.raises(TypeError, match=r"scaled_dot_product_attention\(\).*scale"):
        F.scaled_dot_product_attention(q, q, q, scale="a")  # type: ignore[arg-type]


@pytest.mark.parametrize("flag", [1, None, "yes"])
def test_scaled_dot_product_attention_is_causal_must_be_bool(flag: Any) -> None:
    q = tg.randn(2, 3, 4)
    with pytest.raises(TypeError, match=r"scaled_dot_product_attention\(\).*is_causal"):
        F.scaled_dot_product_attention(q, q, q, is_causal=flag)


def test_pad_sequence_argument_types() -> None:
    with pytest.raises(RuntimeError, match=r"pad_sequence\(\).*NoneType"):
        nn.utils.rnn.pad_sequence(None)  # type: ignore[arg-type]
    seqs = [tg.randn(3, 2), tg.randn(1, 2)]
    with pytest.raises(TypeError, match=r"pad_sequence\(\).*'batch_first' must be bool, not int"):
        nn.utils.rnn.pad_sequence(seqs, batch_first=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"pad_sequence\(\).*'padding_side' must be str"):
        nn.utils.rnn.pad_sequence(seqs, padding_side=None)  # type: ignore[arg-type]
    # also when every sequence has the full length and nothing is padded
    with pytest.raises(TypeError, match=r"pad_sequence\(\).*'padding_value' must be a number"):
        nn.utils.rnn.pad_sequence(tg.randn(3, 2, 2), padding_value="a")  # type: ignore[arg-type]
    assert nn.utils.rnn.pad_sequence(seqs, padding_value=True).numpy()[1, 1, 0] == 1.0


def test_conv_transpose_padding_string_is_a_type_error() -> None:
    for cls in (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d):
        with pytest.raises(TypeError, match=r"ConvTranspose.d\(\): padding must be an int"):
            cls(2, 2, 3, padding="same")  # type: ignore[arg-type]


def test_unpad_sequence_lengths_checked() -> None:
    padded = tg.randn(3, 2, 4)
    with pytest.raises(TypeError, match=r"unpad_sequence\(\).*lengths.*NoneType"):
        nn.utils.rnn.unpad_sequence(padded, None)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"unpad_sequence\(\).*1-d.*\(1, 2\)"):
        nn.utils.rnn.unpad_sequence(padded, tg.tensor([[3, 1]]))
    with pytest.raises(TypeError, match=r"unpad_sequence\(\).*lengths\[0\].*2\.5"):
        nn.utils.rnn.unpad_sequence(padded, [2.5, 1])  # type: ignore[list-item]
    # a float lengths tensor and numpy ints are lengths too, as torch slices with them
    for lengths in (tg.tensor([3.0, 1.0]), [np.int64(3), 1]):
        out = nn.utils.rnn.unpad_sequence(padded, lengths)  # type: ignore[arg-type]
        assert [s.shape for s in out] == [(3, 4), (1, 4)]


# ------------------------------------------------------------------------- wrong answers, kinds


def test_square_subsequent_mask_refuses_integer_dtypes() -> None:
    # −∞ cast to int64 was the most negative integer, silently
    with pytest.raises(RuntimeError, match=r"generate_square_subsequent_mask\(\).*int64"):
        nn.Transformer.generate_square_subsequent_mask(3, dtype=tg.int64)
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=tg.float32)
    assert mask.dtype == tg.float32 and mask.numpy()[0, 1] == -np.inf


@pytest.mark.parametrize(
    "kwargs", [{"kernel_size": (2,)}, {"stride": (1,)}, {"padding": (1, 1, 1)}, {"dilation": [1]}]
)
def test_unfold_and_fold_want_pairs_not_one_tuples(kwargs: dict[str, Any]) -> None:
    # torch's im2col/col2im take an int or exactly two; conv's 1-tuple broadcast does not apply
    args = {"kernel_size": 2, **kwargs}
    with pytest.raises(OpError, match=r"unfold\(\): expected .* to be an int or 2 ints"):
        F.unfold(tg.randn(1, 2, 4, 4), **args)
    with pytest.raises(OpError, match=r"fold\(\): expected .* to be an int or 2 ints"):
        F.fold(tg.randn(1, 8, 9), (4, 4), **args)
    with pytest.raises(OpError, match=r"fold\(\): expected output_size"):
        F.fold(tg.randn(1, 8, 9), (4,), 2)
