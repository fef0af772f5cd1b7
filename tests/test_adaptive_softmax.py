"""nn.AdaptiveLogSoftmaxWithLoss: the adaptive softmax over a shortlist and clusters.

Checked against its definition (log_prob is a distribution over all classes, forward reads it
at the targets, predict is its argmax), by gradcheck in float64, and, where PyTorch is
installed, against torch with the same state_dict (outputs, loss, gradients, predictions).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck


def _model(cutoffs: list[int], head_bias: bool = False) -> nn.AdaptiveLogSoftmaxWithLoss:
    tg.manual_seed(0)
    with warnings.catch_warnings():  # a third cluster's projection is 6 // 2³ = 0 wide: torch
        warnings.filterwarnings("ignore", "Initializing zero-element tensors")  # warns too
        m = nn.AdaptiveLogSoftmaxWithLoss(6, 9, cutoffs, div_value=2.0, head_bias=head_bias)
    return m.to(tg.float64)


@given(
    st.integers(0, 2**16),
    st.sampled_from([[3], [2, 5], [1, 4, 8]]),
    st.booleans(),
    st.integers(1, 6),
)
def test_log_prob_is_a_distribution_read_by_forward(
    seed: int, cutoffs: list[int], head_bias: bool, n: int
) -> None:
    m = _model(cutoffs, head_bias)
    rng = np.random.default_rng(seed)
    x = tg.tensor(rng.standard_normal((n, 6)))
    y = rng.integers(0, 9, n)
    with tg.no_grad():
        full = m.log_prob(x).numpy()
        output, loss = m(x, tg.tensor(y))
    np.testing.assert_allclose(np.exp(full).sum(1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(output.numpy(), full[np.arange(n), y], rtol=1e-12)
    np.testing.assert_allclose(loss.numpy(), -full[np.arange(n), y].mean(), rtol=1e-12)
    np.testing.assert_array_equal(m.predict(x).numpy(), full.argmax(1))


def test_adaptive_softmax_gradcheck_and_unbatched() -> None:
    m = _model([2, 5], head_bias=True)
    rng = np.random.default_rng(1)
    x = tg.tensor(rng.standard_normal((5, 6)), requires_grad=True)
    y = tg.tensor([0, 3, 8, 6, 2])
    assert gradcheck(lambda x: m(x, y), [x])
    one = m(x[2], y[2])
    assert one.output.shape == () and one.loss.shape == ()
    np.testing.assert_allclose(one.output.detach().numpy(), m(x, y).output.detach().numpy()[2])


def test_adaptive_softmax_bad_input() -> None:
    with pytest.raises(ValueError, match="cutoffs should be a sequence of unique"):
        nn.AdaptiveLogSoftmaxWithLoss(6, 9, [5, 2])
    with pytest.raises(ValueError, match="between 1 and n_classes-1"):
        nn.AdaptiveLogSoftmaxWithLoss(6, 9, [2, 9])
    with pytest.raises(ValueError, match="cutoffs should be"):
        nn.AdaptiveLogSoftmaxWithLoss(6, 9, [0, 2])
    m = _model([2, 5])
    x = tg.randn(3, 6, dtype=tg.float64)
    with pytest.raises(RuntimeError, match=r"Target values should be in \[0, 8\]"):
        m(x, tg.tensor([0, 9, 1]))
    with pytest.raises(RuntimeError, match="same size in the batch dimension"):
        m(x, tg.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        m(x, tg.tensor([[0, 1, 2]]))
    with pytest.raises(RuntimeError, match="0D target tensor expects 1D input"):
        m(x, tg.tensor(1))
    with pytest.raises(RuntimeError, match=r"input must be \(N, 6\)"):
        m.log_prob(tg.randn(3, 5, dtype=tg.float64))


@pytest.mark.parametrize("cutoffs, head_bias", [([3, 6], False), ([1, 2, 5], True)])
def test_adaptive_softmax_matches_torch(cutoffs: list[int], head_bias: bool) -> None:
    torch = pytest.importorskip("torch")
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs, 1.5, head_bias).double()
    mine = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs, 1.5, head_bias).to(tg.float64)
    assert repr(mine) == repr(theirs)
    mine.load_state_dict({k: tg.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((9, 8)), rng.integers(0, 10, 9)
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_a, loss_a = mine(a, tg.tensor(y))
    out_b, loss_b = theirs(b, torch.tensor(y))
    np.testing.assert_allclose(out_a.detach().numpy(), out_b.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(loss_a.detach().numpy(), loss_b.detach().numpy(), rtol=1e-12)
    (0.3 * out_a.sum() + loss_a).backward()
    (0.3 * out_b.sum() + loss_b).backward()
    assert a.grad is not None
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-14)
    for p, q in zip(mine.parameters(), theirs.parameters()):
        assert (p.grad is None) == (q.grad is None)
        if p.grad is not None:
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(
        mine.log_prob(tg.tensor(x)).detach().numpy(),
        theirs.log_prob(torch.tensor(x)).detach().numpy(),
        rtol=1e-12,
    )
    np.testing.assert_array_equal(
        mine.predict(tg.tensor(x)).numpy(), theirs.predict(torch.tensor(x)).numpy()
    )
