"""Packed sequences (nn.utils.rnn) and the recurrent layers on them; the CTC loss.

Checked against their definitions (a packed batch unpacks to its sequences, a packed RNN gives
each sequence what it gives it alone, the CTC loss is −log of the sum over all alignments
enumerated by brute force), by gradcheck in float64, and, where PyTorch is installed, against
torch's values, final states and gradients.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.nn.utils import rnn as R
from tinygrad_ed.numgrad import gradcheck

# ----------------------------------------------------------------------------- packing


def _batch(seed: int, lengths: list[int], features: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((max(lengths), len(lengths), features))


@given(
    st.integers(0, 2**16),
    st.lists(st.integers(1, 5), min_size=1, max_size=5),
    st.booleans(),
    st.booleans(),
)
def test_pack_then_pad_is_the_padded_batch(
    seed: int, lengths: list[int], batch_first: bool, sort: bool
) -> None:
    """pad(pack(x)) keeps x's steps inside each length and fills the rest; the adjoint of x
    is ȳ at those steps and 0 in the padding (one scatter, each step copied once)."""
    if sort:
        lengths = sorted(lengths, reverse=True)
    x = _batch(seed, lengths)
    given_x = x.transpose(1, 0, 2) if batch_first else x
    a = tg.tensor(given_x, requires_grad=True)
    packed = R.pack_padded_sequence(a, lengths, batch_first=batch_first, enforce_sorted=sort)
    assert packed.data.shape == (sum(lengths), 2)
    assert packed.batch_sizes.dtype == np.int64
    order = np.argsort(-np.asarray(lengths), kind="stable")
    assert packed.batch_sizes.tolist() == [sum(n > t for n in lengths) for t in range(max(lengths))]
    if sort:
        assert packed.sorted_indices is None and packed.unsorted_indices is None
    else:
        assert packed.sorted_indices is not None and packed.unsorted_indices is not None
        assert packed.sorted_indices.tolist() == order.tolist()
        assert packed.unsorted_indices.tolist() == np.argsort(order).tolist()
    padded, got_lengths = R.pad_packed_sequence(
        packed, batch_first=batch_first, padding_value=-7.0, total_length=max(lengths) + 1
    )
    assert got_lengths.tolist() == lengths
    inside = np.arange(max(lengths) + 1)[:, None] < np.asarray(lengths)[None, :]
    want = np.where(inside[..., None], np.concatenate([x, np.zeros_like(x[:1])]), -7.0)
    want = want.transpose(1, 0, 2) if batch_first else want
    np.testing.assert_array_equal(padded.detach().numpy(), want)
    g = np.random.default_rng(seed + 1).standard_normal(want.shape)
    (padded * tg.tensor(g)).sum().backward()
    g = g.transpose(1, 0, 2) if batch_first else g
    want_grad = np.where(inside[: max(lengths), :, None], g[: max(lengths)], 0.0)
    want_grad = want_grad.transpose(1, 0, 2) if batch_first else want_grad
    assert a.grad is not None
    np.testing.assert_array_equal(a.grad.numpy(), want_grad)


def test_pack_sequence_and_unpack_sequence_round_trip() -> None:
    rng = np.random.default_rng(0)
    seqs = [tg.tensor(rng.standard_normal((n, 3)), requires_grad=True) for n in (2, 4, 1)]
    packed = R.pack_sequence(seqs, enforce_sorted=False)
    assert isinstance(packed, R.PackedSequence) and isinstance(packed, tuple)
    _, batch_sizes, _, _ = packed  # a named tuple, as torch's
    assert batch_sizes.tolist() == [3, 2, 1, 1]
    back = R.unpack_sequence(packed)
    for s, b in zip(seqs, back):
        np.testing.assert_array_equal(s.detach().numpy(), b.detach().numpy())
    sum(b.sum() * (i + 1) for i, b in enumerate(back)).backward()
    for i, s in enumerate(seqs):
        assert s.grad is not None
        np.testing.assert_array_equal(s.grad.numpy(), np.full(s.shape, i + 1.0))
    assert packed.to(tg.float32).data.dtype == np.float32
    gradcheck(lambda a: R.pad_packed_sequence(R.pack_sequence([a, a[:1]]))[0], [seqs[0]])


def test_packing_bad_input() -> None:
    x = tg.randn(4, 3, 2)
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        R.pack_padded_sequence(x, [2, 4, 1])
    with pytest.raises(RuntimeError, match="greater than 0"):
        R.pack_padded_sequence(x, [4, 0, 1])
    with pytest.raises(RuntimeError, match=r"exceed the padded length 4"):
        R.pack_padded_sequence(x, [5, 3, 1])
    with pytest.raises(RuntimeError, match="equal to batch_size, but got 2"):
        R.pack_padded_sequence(x, [4, 3])
    with pytest.raises(RuntimeError, match="1D integer tensor"):
        R.pack_padded_sequence(x, tg.tensor([[4, 3, 1]]))
    with pytest.raises(TypeError, match=r"lengths\[1\] must be an int"):
        R.pack_padded_sequence(x, [4, 2.5, 1])
    with pytest.raises(RuntimeError, match="empty list"):
        R.pack_sequence([])
    packed = R.pack_padded_sequence(x, [4, 3, 1])
    with pytest.raises(ValueError, match="total_length=3 and max sequence length being 4"):
        R.pad_packed_sequence(packed, total_length=3)
    with pytest.raises(TypeError, match="expected a PackedSequence"):
        R.pad_packed_sequence(x)  # type: ignore[arg-type]
    broken = packed._replace(batch_sizes=tg.tensor([3, 3]))
    with pytest.raises(RuntimeError, match=r"batch_sizes \[3, 3\] do not add up to the 8 rows"):
        R.pad_packed_sequence(broken)
    with pytest.raises(RuntimeError, match="do not add up"):
        nn.GRU(2, 3)(broken)


def test_packing_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    TR = torch.nn.utils.rnn
    for lengths, sort, batch_first in (
        ([5, 3, 3, 1], True, False),
        ([2, 5, 1, 3], False, False),
        ([2, 2, 5, 2], False, True),
        ([1], True, True),
    ):
        x = _batch(3, lengths, 3)
        x = x.transpose(1, 0, 2) if batch_first else x
        a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        p = R.pack_padded_sequence(a, lengths, batch_first=batch_first, enforce_sorted=sort)
        q = TR.pack_padded_sequence(b, lengths, batch_first=batch_first, enforce_sorted=sort)
        np.testing.assert_array_equal(p.data.detach().numpy(), q.data.detach().numpy())
        assert p.batch_sizes.tolist() == q.batch_sizes.tolist()
        for mine, theirs in ((p.sorted_indices, q.sorted_indices), (p.unsorted_indices, None)):
            if theirs is None and mine is not None:
                theirs = q.unsorted_indices
            assert (mine is None) == (theirs is None)
            if mine is not None:
                assert mine.tolist() == theirs.tolist()
        u, lu = R.pad_packed_sequence(p, batch_first=batch_first, padding_value=2.0)
        v, lv = TR.pad_packed_sequence(q, batch_first=batch_first, padding_value=2.0)
        np.testing.assert_array_equal(u.detach().numpy(), v.detach().numpy())
        assert lu.tolist() == lv.tolist()
        g = np.random.default_rng(4).standard_normal(u.shape)
        (u * tg.tensor(g)).sum().backward()
        (v * torch.tensor(g)).sum().backward()
        assert a.grad is not None
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


CASTS = ["float", "double", "half", "long", "int", "short", "char", "byte", "cpu"]


@pytest.mark.parametrize("method", CASTS)
def test_packed_sequence_casts_as_torch(method: str) -> None:
    """Each cast converts data alone (the indices stay as they were), itself when nothing
    changes, on the graph: data̅ flows back through the cast, as torch's."""
    lengths = [2, 3, 1]
    x = _batch(3, lengths, 2)
    a = tg.tensor(x, requires_grad=True)
    p = R.pack_padded_sequence(a, lengths, enforce_sorted=False)
    q = getattr(p, method)()
    assert isinstance(q, R.PackedSequence)
    assert q.batch_sizes is p.batch_sizes and q.sorted_indices is p.sorted_indices
    assert q.unsorted_indices is p.unsorted_indices
    if method in ("double", "cpu"):  # already float64 (on the CPU)
        assert q is p
    if q.data.dtype.kind == "f":
        assert q.data.requires_grad
    assert not p.is_cuda and not p.is_pinned()
    torch = pytest.importorskip("torch")
    b = torch.tensor(x, requires_grad=True)
    pt = torch.nn.utils.rnn.pack_padded_sequence(b, lengths, enforce_sorted=False)
    qt = getattr(pt, method)()
    assert str(qt.data.dtype) == f"torch.{q.data.dtype}" and (qt is pt) == (q is p)
    assert qt.data.requires_grad == q.data.requires_grad
    np.testing.assert_array_equal(q.data.detach().numpy(), qt.data.detach().numpy())
    assert q.sorted_indices is not None and qt.sorted_indices is not None
    assert q.sorted_indices.tolist() == qt.sorted_indices.tolist()
    assert sorted(n for n in dir(pt) if not n.startswith("_")) == sorted(
        n for n in dir(p) if not n.startswith("_")
    )


def test_packed_sequence_refuses_devices() -> None:
    p = R.pack_sequence([tg.ones(2), tg.ones(1)])
    with pytest.raises(RuntimeError, match="cuda"):
        p.cuda()
    with pytest.raises(RuntimeError, match="pin_memory"):
        p.pin_memory()
    assert p.cpu(tg.float32) is p and p.cpu(tg.float64).data.dtype == np.float64


# ----------------------------------------------------------------------------- packed RNNs


def _layer(kind: str, **kw: Any) -> Any:
    tg.manual_seed(0)
    return getattr(nn, kind)(3, 4, **kw).to(tg.float64)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_packed_rnn_gives_each_sequence_its_own_run(kind: str) -> None:
    """On a packed batch, each sequence's output and final state (both directions, two layers)
    are what the layer gives that sequence alone; states come back in the original order."""
    m = _layer(kind, num_layers=2, bidirectional=True)
    lengths = [2, 4, 1]
    x = _batch(5, lengths, 3)
    m.requires_grad_(False)
    out, state = m(R.pack_padded_sequence(tg.tensor(x), lengths, enforce_sorted=False))
    assert isinstance(out, R.PackedSequence)
    padded, _ = R.pad_packed_sequence(out)
    h_n = state[0] if kind == "LSTM" else state
    for i, n in enumerate(lengths):
        alone, alone_state = m(tg.tensor(x[:n, i]))
        alone_h = alone_state[0] if kind == "LSTM" else alone_state
        np.testing.assert_allclose(padded.numpy()[:n, i], alone.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(h_n.numpy()[:, i], alone_h.numpy(), rtol=1e-12, atol=1e-14)
        assert not padded.numpy()[n:, i].any()


def test_packed_lstm_gradcheck() -> None:
    m = _layer("LSTM", proj_size=2)
    x = tg.tensor(_batch(6, [3, 1], 3), requires_grad=True)
    h0 = tg.tensor(np.random.default_rng(7).standard_normal((1, 2, 2)), requires_grad=True)
    c0 = tg.tensor(np.random.default_rng(8).standard_normal((1, 2, 4)), requires_grad=True)

    def run(x: tg.Tensor, h0: tg.Tensor, c0: tg.Tensor) -> tuple[tg.Tensor, ...]:
        out, (h, c) = m(R.pack_padded_sequence(x, [1, 3], enforce_sorted=False), (h0, c0))
        return out.data, h, c

    assert gradcheck(run, [x, h0, c0])


@pytest.mark.parametrize(
    "kind, kw",
    [
        ("RNN", {"nonlinearity": "relu"}),
        ("GRU", {"bidirectional": True}),
        ("LSTM", {"num_layers": 2, "bidirectional": True}),
        ("LSTM", {"proj_size": 2, "batch_first": True}),
    ],
)
def test_packed_rnn_matches_torch(kind: str, kw: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    TR = torch.nn.utils.rnn
    torch.manual_seed(0)
    theirs = getattr(torch.nn, kind)(3, 4, **kw).double()
    mine = getattr(nn, kind)(3, 4, **kw).to(tg.float64)
    mine.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(1)
    lengths = [3, 5, 1, 4, 5]
    x = rng.standard_normal((5, 5, 3))
    if kw.get("batch_first"):
        x = x.transpose(1, 0, 2)
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    h0 = rng.standard_normal((layers, 5, kw.get("proj_size") or 4))
    c0 = rng.standard_normal((layers, 5, 4))
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    h_a, h_b = tg.tensor(h0, requires_grad=True), torch.tensor(h0, requires_grad=True)
    c_a, c_b = tg.tensor(c0, requires_grad=True), torch.tensor(c0, requires_grad=True)
    bf = bool(kw.get("batch_first"))
    p = R.pack_padded_sequence(a, lengths, batch_first=bf, enforce_sorted=False)
    q = TR.pack_padded_sequence(b, lengths, batch_first=bf, enforce_sorted=False)
    out_a, s_a = mine(p, (h_a, c_a) if kind == "LSTM" else h_a)
    out_b, s_b = theirs(q, (h_b, c_b) if kind == "LSTM" else h_b)
    states_a = list(s_a) if kind == "LSTM" else [s_a]
    states_b = list(s_b) if kind == "LSTM" else [s_b]
    np.testing.assert_allclose(out_a.data.detach().numpy(), out_b.data.detach().numpy(), 1e-10)
    assert out_a.batch_sizes.tolist() == out_b.batch_sizes.tolist()
    for sa, sb in zip(states_a, states_b):
        np.testing.assert_allclose(sa.detach().numpy(), sb.detach().numpy(), 1e-10)
    weights = [rng.standard_normal(out_a.data.shape)] + [
        rng.standard_normal(s.shape) for s in states_a
    ]
    loss_a = sum((t * tg.tensor(w)).sum() for t, w in zip([out_a.data, *states_a], weights))
    loss_b = sum((t * torch.tensor(w)).sum() for t, w in zip([out_b.data, *states_b], weights))
    loss_a.backward()
    loss_b.backward()
    pairs = [(a, b), (h_a, h_b)] + ([(c_a, c_b)] if kind == "LSTM" else [])
    pairs += list(zip(mine.parameters(), theirs.parameters()))
    for ta, tb in pairs:
        assert ta.grad is not None
        np.testing.assert_allclose(ta.grad.numpy(), tb.grad.numpy(), rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- CTC


def _ctc_brute_force(lp: np.ndarray, target: list[int], blank: int) -> float:
    """−log Σ over all T-frame paths that collapse to the target of Π_t p_t(π_t)."""
    T, C = lp.shape
    total = 0.0
    for path in itertools.product(range(C), repeat=T):
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in merged if c != blank] == target:
            total += np.exp(sum(lp[t, c] for t, c in enumerate(path)))
    return -np.log(total) if total > 0 else np.inf


@given(
    st.integers(0, 2**16),
    st.integers(1, 5),
    st.lists(st.integers(0, 2), min_size=0, max_size=4),
    st.integers(0, 2),
)
def test_ctc_is_minus_log_of_the_sum_over_alignments(
    seed: int, T: int, target: list[int], blank: int
) -> None:
    C = 3
    target = [c if c != blank else (blank + 1) % C for c in target]
    rng = np.random.default_rng(seed)
    lp = rng.standard_normal((T, C))
    lp = lp - np.log(np.exp(lp).sum(1, keepdims=True))
    targets = tg.tensor(np.array(target, dtype=np.int64).reshape(1, -1))
    got = F.ctc_loss(tg.tensor(lp[:, None]), targets, [T], [len(target)], blank, "none")
    want = _ctc_brute_force(lp, target, blank)
    if np.isinf(want):
        assert got.numpy()[0] == np.inf
    else:
        np.testing.assert_allclose(got.numpy()[0], want, rtol=1e-10)


def test_ctc_gradcheck_both_layouts() -> None:
    rng = np.random.default_rng(2)
    x = tg.tensor(rng.standard_normal((5, 3, 4)), requires_grad=True)
    padded = tg.tensor([[1, 2, 2], [3, 1, 0], [2, 0, 0]])
    concatenated = tg.tensor([1, 2, 2, 3, 1, 2])
    for targets, reduction in ((padded, "mean"), (concatenated, "none")):
        assert gradcheck(
            lambda x, targets=targets, reduction=reduction: F.ctc_loss(
                x.log_softmax(2), targets, [5, 4, 2], [3, 2, 1], reduction=reduction
            ),
            [x],
        )
    # Raw scores: the gradient is the exact one with respect to log_probs (see ctc_loss).
    assert gradcheck(lambda x: F.ctc_loss(x, padded, [5, 5, 5], [3, 2, 0], blank=3), [x])


def test_ctc_infeasible_and_zero_infinity() -> None:
    lp = tg.tensor(np.log(np.full((3, 2, 3), 1 / 3)), requires_grad=True)
    targets = tg.tensor([[1, 1, 2], [1, 2, 0]])
    # [1, 1, 2] needs 4 frames (a blank between the repeated 1s); 3 are given.
    loss = F.ctc_loss(lp, targets, [3, 3], [3, 2], reduction="none")
    assert loss.detach().numpy()[0] == np.inf and np.isfinite(loss.detach().numpy()[1])
    zeroed = F.ctc_loss(lp, targets, [3, 3], [3, 2], reduction="sum", zero_infinity=True)
    zeroed.backward()
    assert lp.grad is not None and not lp.grad.numpy()[:, 0].any()
    assert float(zeroed.detach().numpy()) == loss.detach().numpy()[1]
    # No frames: only the empty target is possible, with probability 1.
    none = F.ctc_loss(lp, targets, [0, 0], [0, 1], reduction="none")
    assert none.detach().numpy().tolist() == [0.0, np.inf]


def test_ctc_unbatched_and_module() -> None:
    rng = np.random.default_rng(3)
    lp = tg.tensor(rng.standard_normal((6, 5))).log_softmax(1)
    target = tg.tensor([1, 4, 4])
    one = F.ctc_loss(lp, target, 6, 3)
    batched = F.ctc_loss(lp.unsqueeze(1), target.unsqueeze(0), [6], [3])
    np.testing.assert_allclose(one.numpy(), batched.numpy())
    module = nn.CTCLoss(blank=0, reduction="sum")
    np.testing.assert_allclose(
        module(lp.unsqueeze(1), target.unsqueeze(0), tg.tensor([6]), tg.tensor([3])).numpy(),
        3 * batched.numpy(),
    )


def test_ctc_bad_input() -> None:
    lp = tg.randn(5, 2, 4).log_softmax(2)
    t = tg.tensor([[1, 2, 3], [1, 1, 0]])
    with pytest.raises(RuntimeError, match=r"input_lengths \[6, 5\] must be at most T = 5"):
        F.ctc_loss(lp, t, [6, 5], [3, 2])
    with pytest.raises(RuntimeError, match=r"target_lengths \[3, 4\] exceed .* padded length 3"):
        F.ctc_loss(lp, t, [5, 5], [3, 4])
    with pytest.raises(IndexError, match=r"label 7 is out of range for 4 classes"):
        F.ctc_loss(lp, tg.tensor([[1, 2, 7], [1, 1, 0]]), [5, 5], [3, 2])
    with pytest.raises(IndexError, match=r"label -1 is out of range"):
        F.ctc_loss(lp, tg.tensor([1, -1, 3]), [5, 5], [2, 1])
    with pytest.raises(RuntimeError, match="blank must be in label range"):
        F.ctc_loss(lp, t, [5, 5], [3, 2], blank=4)
    with pytest.raises(RuntimeError, match="size 5 for target_lengths"):
        F.ctc_loss(lp, tg.tensor([1, 2, 3, 1, 1]), [5, 5], [3, 3])
    with pytest.raises(RuntimeError, match="must be of size batch_size = 2"):
        F.ctc_loss(lp, t, [5, 5, 5], [3, 2])
    with pytest.raises(RuntimeError, match="must be integral"):
        F.ctc_loss(lp, t.float(), [5, 5], [3, 2])
    with pytest.raises(RuntimeError, match="at least 0"):
        F.ctc_loss(lp, t, [5, 5], [-1, 2])
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.ctc_loss(lp, t, [5, 5], [3, 2], reduction="foo")
    with pytest.raises(RuntimeError, match="must not be empty"):
        F.ctc_loss(lp[:, :0], t[:0], [], [])
    with pytest.raises(RuntimeError, match="3-d"):
        F.ctc_loss(lp[0, 0], t, [5, 5], [3, 2])


@pytest.mark.parametrize(
    "concat, reduction, zero_infinity, blank",
    [
        (False, "mean", False, 0),
        (True, "none", False, 0),
        (False, "sum", False, 3),
        (True, "mean", True, 1),
        (False, "none", True, 0),
    ],
)
def test_ctc_matches_torch(concat: bool, reduction: str, zero_infinity: bool, blank: int) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    T, N, C, S = 7, 6, 4, 4
    x = rng.standard_normal((T, N, C))
    target_lengths = np.array([0, 1, 4, 3, 4, 2])
    input_lengths = np.array([7, 1, 7, 3, 5, 6])  # 1 frame for 1 label, 3 for 3
    labels = rng.integers(0, C, (N, S))
    labels[labels == blank] = (blank + 1) % C
    labels[4, :4] = [2, 2, 2, 2] if blank != 2 else [1, 1, 1, 1]  # needs 7 frames, has 5
    if concat:
        targets = np.concatenate([labels[n, : target_lengths[n]] for n in range(N)])
    else:
        targets = labels
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    args = (input_lengths, target_lengths, blank, reduction, zero_infinity)
    mine = F.ctc_loss(
        a.log_softmax(2), tg.tensor(targets), *(tg.tensor(v) for v in args[:2]), *args[2:]
    )
    theirs = torch.nn.functional.ctc_loss(
        b.log_softmax(2), torch.tensor(targets), *(torch.tensor(v) for v in args[:2]), *args[2:]
    )
    np.testing.assert_allclose(mine.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)
    g = rng.standard_normal(mine.shape)
    (mine * tg.tensor(g)).sum().backward()
    (theirs * torch.tensor(g)).sum().backward()
    assert a.grad is not None
    theirs_grad = b.grad.numpy()
    finite = np.isfinite(theirs_grad)  # torch's gradient of an infinite loss is nan (ours 0)
    assert finite.any()
    np.testing.assert_allclose(a.grad.numpy()[finite], theirs_grad[finite], rtol=1e-9, atol=1e-12)


def test_ctc_gradient_is_once_differentiable() -> None:
    """As torch's: the first derivative with create_graph=True is the same gradient, and
    differentiating it again raises instead of missing γ's dependence on log_probs."""
    rng = np.random.default_rng(5)
    x = tg.tensor(rng.standard_normal((6, 2, 4)), requires_grad=True)
    targets = tg.tensor([[1, 2, 2], [3, 1, 0]])

    def loss() -> tg.Tensor:
        return F.ctc_loss(x.log_softmax(2), targets, [6, 5], [3, 2])

    (plain,) = tg.autograd.grad(loss(), [x])
    (graphed,) = tg.autograd.grad(loss(), [x], create_graph=True)
    np.testing.assert_array_equal(graphed.detach().numpy(), plain.numpy())
    with pytest.raises(RuntimeError, match="ctc_loss_backward"):
        (graphed * graphed).sum().backward()


def test_ctc_backward_frees_the_forward_pass_it_kept() -> None:
    """The α pass the forward keeps for the rule goes with the backward that used it, as a
    node's saved tensors do; a retained graph runs it again and gets the same gradient. A
    drawing does not list it among the op's arguments."""
    rng = np.random.default_rng(0)
    x = tg.tensor(rng.standard_normal((12, 2, 4)), requires_grad=True)
    loss = F.ctc_loss(x.log_softmax(2), tg.tensor([[1, 2], [3, 3]]), [12, 9], [2, 2])
    node = loss.grad_fn
    while node.name() != "CtcLossBackward":
        node = node.parents[0]
    assert len(node.kwargs["_saved"]) == 1
    loss.backward(retain_graph=True)
    assert node.kwargs["_saved"] == [] and x.grad is not None
    first = x.grad.data.copy()
    x.grad = None
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, first)
    from tinygrad_ed import viz

    text = viz.draw_forward(loss).source
    assert "ctc_loss" in text and "_saved" not in text and "CtcForward" not in text


def test_ctc_peaked_log_probs_match_torch() -> None:
    """Confident frames (log-probabilities down to −2000): the log-space recursion keeps every
    state exactly, also one e^{−1000} below the frame's best that alone can still finish the
    target (all frames favour the blank, the target needs 4 labels in 8 frames)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    T, N, C = 8, 3, 5
    x = 200 * rng.standard_normal((T, N, C))
    x[:, 0, 0] += 500  # sequence 0: the blank far ahead in every frame
    targets = np.array([[1, 2, 3, 4], [2, 2, 1, 0], [4, 3, 0, 0]])
    lengths = ([8, 7, 5], [4, 3, 2])
    for dtype in (np.float64, np.float32):
        a, b = tg.tensor(x.astype(dtype), requires_grad=True), torch.tensor(x.astype(dtype))
        b.requires_grad_()
        mine = F.ctc_loss(a.log_softmax(2), tg.tensor(targets), *lengths, reduction="sum")
        theirs = torch.nn.functional.ctc_loss(
            b.log_softmax(2), torch.tensor(targets), *map(torch.tensor, lengths), reduction="sum"
        )
        mine.backward()
        theirs.backward()
        assert 1000 < float(mine.detach().numpy()) < np.inf
        # float32: the log-likelihood's ~1000 holds about 1e-4 of absolute rounding
        tol = 1e-12 if dtype == np.float64 else 1e-4
        np.testing.assert_allclose(mine.detach().numpy(), theirs.detach().numpy(), rtol=tol)
        assert a.grad is not None
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=tol, atol=tol)


def test_ctc_float16_is_computed_in_float32() -> None:
    """log 0's stand-in is −∞ in float16: the kernels work in float32 and round the results."""
    rng = np.random.default_rng(9)
    x = rng.standard_normal((5, 2, 4)).astype(np.float32)
    targets, lengths = tg.tensor([[1, 2], [1, 1]]), ([5, 4], [2, 2])
    grads = []
    for dtype in (np.float16, np.float32):
        a = tg.tensor(x.astype(dtype), requires_grad=True)
        loss = F.ctc_loss(a, targets, *lengths, reduction="sum")
        loss.backward()
        assert loss.dtype == dtype and np.isfinite(loss.detach().numpy())
        assert a.grad is not None and a.grad.dtype == dtype
        grads.append(a.grad.numpy().astype(np.float32))
    np.testing.assert_allclose(grads[0], grads[1], atol=2e-3)
