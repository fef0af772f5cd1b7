"""gather, square and the sampling functions the lecture's SGD and randomized prediction use:
randint (one example uniformly at random), randperm (an epoch's order), multinomial (a label
drawn from softmax(f))."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.numgrad import gradcheck


@given(st.integers(0, 2**16), st.integers(1, 3))
def test_gather_picks_one_entry_per_index_position(seed: int, ndim: int) -> None:
    """out[..., j, ...] = x[..., index[..., j, ...], ...] along dim, for an index no larger than
    x apart from dim, with repeats; the gradient counts how often each entry was picked."""
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 4, ndim))
    dim = int(rng.integers(-ndim, ndim))
    ishape = [int(rng.integers(1, s + 1)) for s in shape]
    ishape[dim] = int(rng.integers(1, 6))
    idx = rng.integers(0, shape[dim], ishape)
    f = rng.standard_normal(shape)
    x = tg.Tensor(f, requires_grad=True)
    out = x.gather(dim, idx)
    # torch's definition, element by element: out[p] = f[p with its dim-th entry idx[p]]
    expected = np.empty(idx.shape)
    counts = np.zeros(shape)
    for pos in np.ndindex(*idx.shape):
        src = list(pos)
        src[dim] = idx[pos]
        expected[pos] = f[tuple(src)]
        counts[tuple(src)] += 1
    np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad.data, counts)


def test_gather_is_the_true_class_score_and_gradchecks() -> None:
    rng = np.random.default_rng(0)
    f, y = rng.standard_normal((5, 4)), np.array([0, 3, 3, 1, 0])
    np.testing.assert_array_equal(tg.Tensor(f).gather(1, y[:, None]).data[:, 0], f[range(5), y])
    # ℓ = logsumexp f − f_y, written with gather, is cross_entropy
    x = tg.Tensor(f, requires_grad=True)
    loss = (x.logsumexp(1) - x.gather(1, tg.tensor(y)[:, None])[:, 0]).mean()
    np.testing.assert_allclose(loss.item(), F.cross_entropy(tg.Tensor(f), y).item(), rtol=1e-12)
    assert gradcheck(lambda a: a.gather(1, np.array([[0, 0], [2, 1], [3, 3]])), [f[:3]])
    assert gradcheck(lambda a: tg.gather(a, 0, np.array([[1, 0, 1, 4]])), [f])
    assert gradcheck(lambda a: a.square(), [f])
    np.testing.assert_array_equal(tg.Tensor(f).square().data, f * f)
    assert tg.tensor(2.0).gather(0, np.array(0)).item() == 2.0


def test_gather_errors_name_the_shapes() -> None:
    x = tg.zeros(2, 3)
    with pytest.raises(IndexError, match=r"index 3 is out of bounds for dim 1 with size 3"):
        x.gather(1, np.array([[0, 3]]))
    with pytest.raises(IndexError, match="index -1"):  # torch refuses negatives here too
        x.gather(1, np.array([[-1]]))
    with pytest.raises(ValueError, match=r"\(2,\) must have as many dims as the input of shape"):
        x.gather(1, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"\(3, 1\) is larger than the input of shape \(2, 3\)"):
        x.gather(1, np.zeros((3, 1), dtype=int))
    with pytest.raises(TypeError, match="integers"):
        x.gather(1, np.zeros((2, 1)))
    with pytest.raises(IndexError, match="dim 2 is out of range"):
        x.gather(2, np.zeros((2, 1), dtype=int))


def test_gather_against_torch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    for _ in range(50):
        f = rng.standard_normal((3, 4, 2))
        dim = int(rng.integers(0, 3))
        ishape = [int(rng.integers(1, s + 1)) for s in f.shape]
        ishape[dim] = int(rng.integers(1, 7))
        idx = rng.integers(0, f.shape[dim], ishape)
        g = rng.standard_normal(ishape)
        x, tx = tg.Tensor(f, requires_grad=True), torch.tensor(f, requires_grad=True)
        ours, theirs = x.gather(dim, idx), tx.gather(dim, torch.tensor(idx))
        (ours * g).sum().backward()
        (theirs * torch.tensor(g)).sum().backward()
        assert x.grad is not None
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
        np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-12)


def test_randint_and_randperm() -> None:
    tg.manual_seed(3)
    a = tg.randint(10, (2000,))
    tg.manual_seed(3)
    assert np.array_equal(a.data, tg.randint(0, 10, size=(2000,)).data)
    assert a.dtype == np.int64 and set(np.unique(a.data)) == set(range(10))
    b = tg.randint(-3, 2, (4, 5), dtype=tg.float32, generator=np.random.default_rng(0))
    assert b.shape == (4, 5) and b.dtype == np.float32 and -3 <= b.data.min() <= b.data.max() < 2
    p = tg.randperm(7)
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(7))
    assert tg.randperm(0).shape == (0,)
    with pytest.raises(ValueError, match=r"low must be less than high, got low=5 >= high=5"):
        tg.randint(5, 5, (1,))
    with pytest.raises(TypeError, match=r"\(high, size\) or \(low, high, size\)"):
        tg.randint(5)
    # by name, as torch's CTCLoss example: torch.randint(low=1, high=20, size=(16, 30))
    for kwargs in [dict(low=1, high=20, size=(16, 30)), dict(high=20, size=(16, 30))]:
        tg.manual_seed(4)
        c = tg.randint(**kwargs)  # type: ignore[arg-type]
        tg.manual_seed(4)
        assert np.array_equal(c.data, tg.randint(kwargs.get("low", 0), 20, (16, 30)).data)
        assert c.dtype == np.int64 and kwargs.get("low", 0) <= c.data.min() <= c.data.max() < 20
    tg.manual_seed(4)
    d = tg.randint(1, high=20, size=(3,))
    tg.manual_seed(4)
    assert np.array_equal(d.data, tg.randint(1, 20, (3,)).data)
    with pytest.raises(TypeError, match="ints"):
        tg.randint(0.5, (2,))
    with pytest.raises(ValueError, match="negative dimension"):
        tg.randperm(-1)
    with pytest.raises(RuntimeError, match="int8"):
        tg.randint(0, 300, (1,), dtype=np.int8)


def test_multinomial_frequencies_follow_the_weights() -> None:
    """With replacement, each draw lands on j with probability wⱼ / Σ w: over 40,000 draws the
    frequencies are within 5 standard errors; a zero weight is never drawn."""
    w = np.array([[0.1, 0.0, 0.6, 0.3], [2.0, 2.0, 0.0, 4.0]])
    draws = tg.multinomial(tg.tensor(w), 40_000, replacement=True).data
    assert draws.shape == (2, 40_000) and draws.dtype == np.int64
    for row, d in zip(w, draws):
        p = row / row.sum()
        freq = np.bincount(d, minlength=4) / d.size
        assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / d.size) + 1e-12)
    # without replacement: distinct, never a zero weight; all positive categories when k = C⁺
    once = tg.tensor(w).multinomial(3).data
    for row, d in zip(w, once):
        assert len(set(d.tolist())) == 3 and all(row[d] > 0)
    tg.manual_seed(1)
    a = tg.tensor([0.2, 0.8]).multinomial(5, True)
    tg.manual_seed(1)
    assert a.shape == (5,) and np.array_equal(
        a.data, tg.multinomial(tg.tensor([0.2, 0.8]), 5, True).data
    )


def test_multinomial_samples_a_label_from_softmax() -> None:
    """Randomized prediction: the label drawn from p = softmax(f) has frequency p."""
    f = tg.tensor([[2.0, 0.0, -1.0]])
    p = f.softmax(1).data[0]
    draws = f.softmax(1).multinomial(20_000, True, generator=np.random.default_rng(0)).data[0]
    freq = np.bincount(draws, minlength=3) / draws.size
    assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / draws.size))


def test_multinomial_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="sums to 0"):
        tg.multinomial(tg.zeros(2, 3), 1)
    with pytest.raises(ValueError, match="non-negative"):
        tg.multinomial(tg.tensor([0.5, -0.1]), 1)
    with pytest.raises(ValueError, match="non-negative"):
        tg.multinomial(tg.tensor([0.5, float("nan")]), 1)
    with pytest.raises(ValueError, match=r"cannot draw 2 distinct categories .* 1 positive"):
        tg.multinomial(tg.tensor([0.0, 1.0, 0.0]), 2)
    with pytest.raises(ValueError, match=r"\(C,\) or \(N, C\)"):
        tg.multinomial(tg.ones(2, 2, 2), 1)
    with pytest.raises(TypeError, match="floating"):
        tg.multinomial(tg.tensor([1, 2]), 1)
    with pytest.raises(ValueError, match="positive"):
        tg.multinomial(tg.tensor([1.0]), 0)


# ----------------------------------------------------------------------------- norm and clipping


def _vector_norm(f: np.ndarray, q: float, dim: object, keepdim: bool) -> np.ndarray:
    a = np.abs(f)
    axis = None if dim is None else dim
    if q == np.inf:
        return np.asarray(a.max(axis=axis, keepdims=keepdim))  # type: ignore[call-overload]
    if q == -np.inf:
        return np.asarray(a.min(axis=axis, keepdims=keepdim))  # type: ignore[call-overload]
    return np.asarray((a**q).sum(axis=axis, keepdims=keepdim) ** (1 / q))  # type: ignore[call-overload]


@pytest.mark.parametrize("p", [2, "fro", 1, 3, 0.5, np.inf, -np.inf])
def test_norm_is_the_vector_p_norm_and_gradchecks(p: float | str) -> None:
    f = np.random.default_rng(7).standard_normal((3, 4))
    q = 2.0 if p == "fro" else float(p)
    for dim, keepdim in ((None, False), (1, True), ((0, 1), False)):
        expected = _vector_norm(f, q, dim, keepdim)
        np.testing.assert_allclose(tg.Tensor(f).norm(p, dim, keepdim).data, expected, rtol=1e-12)
        assert gradcheck(lambda a, d=dim, k=keepdim: a.norm(p, d, k), [f])


def test_norm_gradient_is_zero_at_zero_as_torch() -> None:
    """x/‖x‖ is 0/0 at x = 0: torch's gradient there is 0, for the whole vector or one element."""
    for p in (2, 3, 0.5, 1):
        x = tg.Tensor(np.array([[0.0, 0.0], [0.0, 3.0]]), requires_grad=True)
        x.norm(p, dim=1).sum().backward()
        assert x.grad is not None and np.isfinite(x.grad.data).all()
        np.testing.assert_array_equal(x.grad.data[0], 0.0)
        np.testing.assert_allclose(x.grad.data[1], [0.0, 1.0])
    assert tg.tensor([0.0, 2.0, -1.0]).norm(0).item() == 2.0
    assert tg.ones(2, 2).norm("nuc").item() == pytest.approx(2.0)  # σ = (2, 0): matrix_norm
    with pytest.raises(TypeError, match="floating"):
        tg.tensor([1, 2]).norm()


def test_norm_against_torch() -> None:
    torch = pytest.importorskip("torch")
    f = np.random.default_rng(8).standard_normal((3, 4))
    f[0, 1] = 0.0
    f[1] = 0.0
    for p in (2, 1, 3, 0.5, 1.5, np.inf, -np.inf):
        for dim in (None, 0, 1, (0, 1)):
            x, tx = tg.Tensor(f, requires_grad=True), torch.tensor(f, requires_grad=True)
            ours, theirs = x.norm(p, dim), tx.norm(p, dim)
            ours.sum().backward()
            theirs.sum().backward()
            assert x.grad is not None
            np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
            np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-12)


def test_clip_grad_norm_caps_the_length_and_keeps_the_direction() -> None:
    from tinygrad_ed.nn.utils import clip_grad_norm_, clip_grad_value_

    a, b = tg.zeros(3, requires_grad=True), tg.zeros(2, 2, requires_grad=True)
    c = tg.zeros(1, requires_grad=True)  # no gradient: left alone
    a.grad, b.grad = tg.tensor([3.0, 0.0, 0.0]), tg.tensor([[0.0, 4.0], [0.0, 0.0]])
    total = clip_grad_norm_([a, b, c], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    assert a.grad is not None and b.grad is not None and c.grad is None
    np.testing.assert_allclose(a.grad.data, [0.6, 0, 0], rtol=1e-5)
    np.testing.assert_allclose(b.grad.data, [[0, 0.8], [0, 0]], rtol=1e-5)
    assert a.grad.dtype == np.float32
    before = b.grad.data.copy()
    assert clip_grad_norm_(b, 10.0).item() == pytest.approx(0.8, rel=1e-5)  # short: unchanged
    np.testing.assert_array_equal(b.grad.data, before)
    assert clip_grad_norm_(a, 0.1, norm_type=np.inf).item() == pytest.approx(0.6, rel=1e-5)
    np.testing.assert_allclose(a.grad.data, [0.1, 0, 0], rtol=1e-4)
    clip_grad_value_([b], 0.5)
    np.testing.assert_allclose(b.grad.data, [[0, 0.5], [0, 0]])
    a.grad = tg.tensor([np.nan, 1.0, 0.0])
    with pytest.raises(RuntimeError, match="nan"):
        clip_grad_norm_(a, 1.0, error_if_nonfinite=True)
    assert clip_grad_norm_([], 1.0).item() == 0.0
    with pytest.raises(TypeError, match=r"parameters\[0\] must be a Tensor"):
        clip_grad_norm_([np.zeros(2)], 1.0)


def test_clip_grad_norm_against_torch() -> None:
    torch = pytest.importorskip("torch")
    from tinygrad_ed.nn.utils import clip_grad_norm_

    rng = np.random.default_rng(9)
    for norm_type in (2.0, 1.0, np.inf, 3.0):
        for max_norm in (0.1, 1.0, 100.0):
            grads = [rng.standard_normal(s) for s in ((3,), (2, 4))]
            ours = [tg.zeros(*g.shape, dtype=np.float64, requires_grad=True) for g in grads]
            theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
            for p, q, g in zip(ours, theirs, grads):
                p.grad, q.grad = tg.tensor(g), torch.tensor(g)
            t1 = clip_grad_norm_(ours, max_norm, norm_type)
            t2 = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
            assert t1.item() == pytest.approx(t2.item(), rel=1e-12)
            for p, q in zip(ours, theirs):
                assert p.grad is not None
                np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-12)
