"""The lecture's identities for softmax and the multiclass logistic loss; torch's conventions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed.numgrad import gradcheck
from tinygrad_ed.testing import arrays, shapes

logits = shapes(min_dims=2, max_dims=2, max_side=6).flatmap(lambda s: arrays(s, (-5.0, 5.0)))


@given(logits, st.floats(-50, 50))
def test_softmax_is_shift_invariant(f: np.ndarray, c: float) -> None:
    a = tg.Tensor(f).softmax(-1).data
    b = tg.Tensor(f + c).softmax(-1).data
    np.testing.assert_allclose(a, b, atol=1e-12)
    np.testing.assert_allclose(a.sum(-1), 1.0)


@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_of_a_0d_tensor_is_one(dim: int) -> None:
    """One element along the only dim a 0-d tensor has (torch: softmax 1, log_softmax 0)."""
    x = tg.tensor(3.0, dtype=np.float64, requires_grad=True)
    p, logp = x.softmax(dim), F.log_softmax(x, dim)
    assert p.shape == logp.shape == () and p.item() == 1.0 and logp.item() == 0.0
    (p + logp).backward()
    assert x.grad is not None and x.grad.item() == 0.0


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_softmax_of_a_0d_nan_or_infinity_is_nan(value: float) -> None:
    """As of one element along a dim: e^{x−max x} is e^{nan} (torch; found by the graph fuzzer,
    a 0-d softmax gave 1 and log_softmax 0 with a zero gradient)."""
    x = tg.tensor(value, dtype=np.float64, requires_grad=True)
    with np.errstate(invalid="ignore"):
        p, logp = x.softmax(0), x.log_softmax(0)
        (p + logp).backward()
    assert np.isnan(p.item()) and np.isnan(logp.item())
    assert x.grad is not None and np.isnan(x.grad.item())


@given(logits)
def test_logsumexp_is_between_max_and_max_plus_log_c(f: np.ndarray) -> None:
    lse = tg.Tensor(f).logsumexp(-1).data
    m = f.max(-1)
    assert np.all(m <= lse + 1e-12) and np.all(lse <= m + np.log(f.shape[-1]) + 1e-12)


@given(logits, st.data())
def test_cross_entropy_gradient_is_softmax_minus_onehot(f: np.ndarray, data: st.DataObject) -> None:
    n, c = f.shape
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    x = tg.Tensor(f, requires_grad=True)
    F.cross_entropy(x, y, reduction="sum").backward()
    p = np.exp(f - f.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, p - np.eye(c)[y], atol=1e-12)


def test_linear_model_gradient_is_outer_product() -> None:
    """∂ℓ/∂W = (p − e_y) xᵀ for scores f = W x."""
    rng = np.random.default_rng(1)
    W = tg.Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    x, y = rng.standard_normal(4), 2
    F.cross_entropy(W @ x, y).backward()
    p = (W.data @ x - (W.data @ x).max()).__array__()
    p = np.exp(p) / np.exp(p).sum()
    assert W.grad is not None
    np.testing.assert_allclose(W.grad.data, np.outer(p - np.eye(3)[y], x), atol=1e-12)


def test_linear_matches_x_wt_plus_b_for_any_batch_shape_and_mixed_dtypes() -> None:
    rng = np.random.default_rng(2)
    w32, b64 = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(3)
    for batch in ((), (5,), (2, 5)):
        x = rng.standard_normal((*batch, 4)).astype(np.float32)
        out = F.linear(tg.Tensor(x), tg.Tensor(w32), tg.Tensor(b64))
        assert out.dtype == np.float64  # numpy's promotion; the bias is not cast down in place
        np.testing.assert_allclose(out.data, x @ w32.T + b64, rtol=1e-6)


# (weight, bias, input) shapes torch documents: a vector weight (one output), a 0-d bias
LINEAR_FORMS = [
    ((3,), None, (2, 3)),
    ((3,), None, (3,)),
    ((3,), (), (3,)),
    ((4, 3), (), (2, 3)),
    ((4, 3), (1,), (5, 2, 3)),
    ((0,), None, (2, 0)),
]


@pytest.mark.parametrize(("w", "b", "x"), LINEAR_FORMS)
def test_linear_takes_a_vector_weight_and_a_scalar_bias(
    w: tuple, b: tuple | None, x: tuple
) -> None:
    """``F.linear`` with the shapes torch documents besides (out, in) and (out,): a weight of
    shape (in,) is one output, x·w + b of shape x.shape[:-1] (s29 focus seed 68); a bias of
    shape () (or (1,)) is added to every output. Checked against x @ Wᵀ + b, by gradcheck, and
    against torch 2.13."""
    rng = np.random.default_rng(3)
    arrays_ = [rng.standard_normal(x), rng.standard_normal(w)]
    if b is not None:
        arrays_.append(rng.standard_normal(b))
    ours = F.linear(*(tg.tensor(a) for a in arrays_))
    expected = arrays_[0] @ arrays_[1].T + (arrays_[2] if b is not None else 0.0)
    assert ours.shape == np.shape(expected)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-12)
    leaves = [tg.tensor(a, requires_grad=True) for a in arrays_]
    assert gradcheck(lambda *ts: F.linear(*ts), leaves)
    torch = pytest.importorskip("torch")
    theirs = torch.nn.functional.linear(*(torch.tensor(a) for a in arrays_))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_linear_with_a_vector_weight_and_a_bias_on_a_batch() -> None:
    """A vector weight with a bias on a batch of inputs: x·w + b per row, as documented (torch
    2.13 refuses it, "mat2 must be a matrix", a bug not copied); a bias of another shape is
    refused, naming both shapes."""
    x = tg.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
    w = tg.tensor([0.5, -2.0], requires_grad=True)
    b = tg.tensor(0.25, requires_grad=True)
    out = F.linear(x, w, b)
    np.testing.assert_allclose(out.detach().numpy(), [-3.25, 3.75])
    out.sum().backward()
    assert b.grad is not None and float(b.grad.numpy()) == 2.0
    np.testing.assert_allclose(w.grad.numpy(), [4.0, 1.0])
    with pytest.raises(
        ValueError, match=r"linear\(\): bias of shape \(3,\) must have shape \(4,\)"
    ):
        F.linear(tg.ones(2, 3), tg.ones(4, 3), tg.ones(3))
    with pytest.raises(ValueError, match=r"bias of shape \(1,\) must have shape \(\)"):
        F.linear(tg.ones(3), tg.ones(3), tg.ones(1))


@given(arrays((5, 3)), arrays((3,)), st.lists(st.sampled_from([0, 1]), min_size=5, max_size=5))
def test_two_class_softmax_loss_equals_binary_logistic_loss(
    X: np.ndarray, w: np.ndarray, ys: list[int]
) -> None:
    """With W = [w1; w2] and w = w1 − w2: −ln softmax(Wx)_y = ln(1 + e^{−s·wᵀx}), s = ±1."""
    w1, w2 = w, np.zeros(3)
    W = tg.Tensor(np.stack([w1, w2]))
    y = np.array(ys)
    multi = F.cross_entropy(tg.Tensor(X) @ W.T, y, reduction="none").data
    s = np.where(y == 0, 1.0, -1.0)
    binary = np.log1p(np.exp(-s * (X @ (w1 - w2))))
    np.testing.assert_allclose(multi, binary, atol=1e-12)
    bce = F.binary_cross_entropy_with_logits(
        tg.Tensor(X @ (w1 - w2)), (y == 0).astype(np.float64), reduction="none"
    ).data
    np.testing.assert_allclose(bce, binary, atol=1e-12)


def test_large_logits_stay_finite() -> None:
    f = tg.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], requires_grad=True)
    for out in (f.softmax(1), f.log_softmax(1), f.logsumexp(1), F.cross_entropy(f, [1, 2])):
        assert np.all(np.isfinite(out.data))
    F.cross_entropy(f, [1, 2]).backward()
    assert f.grad is not None and np.all(np.isfinite(f.grad.data))
    b = F.binary_cross_entropy_with_logits(tg.tensor([1e4, -1e4]), tg.tensor([0.0, 1.0]))
    assert np.isfinite(b.item())


def test_label_errors() -> None:
    f = tg.zeros(2, 3)
    with pytest.raises(IndexError, match="-1"):
        F.cross_entropy(f, [0, -1])
    with pytest.raises(IndexError, match=r"-100 .*pass ignore_index=-100"):
        F.cross_entropy(f, [0, -100])  # torch's default ignore_index: ignored only when asked
    with pytest.raises(IndexError, match="3"):
        F.cross_entropy(f, [0, 3])
    with pytest.raises(TypeError, match="integer"):
        F.cross_entropy(f, tg.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"\(3,\)"):
        F.cross_entropy(f, [0, 1, 2])
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(f, f, reduction="avg")


def test_loss_reductions_and_gradchecks() -> None:
    rng = np.random.default_rng(0)
    f, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    y = np.array([0, 2, 1, 1])
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda a, r=reduction: F.cross_entropy(a, y, reduction=r), [f])
        assert gradcheck(lambda a, r=reduction: F.mse_loss(a, tg.Tensor(t), reduction=r), [f])
        assert gradcheck(
            lambda a: F.binary_cross_entropy_with_logits(a, tg.Tensor(t > 0).double()), [f]
        )
    np.testing.assert_allclose(F.mse_loss(tg.Tensor(f), t).item(), ((f - t) ** 2).mean())
    assert gradcheck(lambda a: F.l2_penalty([a], 0.1), [f])
    assert F.one_hot([0, 2], 3).tolist() == [[1, 0, 0], [0, 0, 1]]


# ----------------------------------------------------------------------------- torch's conventions


def grad_of(fn: object, *values: object) -> list[np.ndarray]:
    xs = [tg.Tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in values]
    fn(*xs).sum().backward()  # type: ignore[operator]
    return [x.grad.data for x in xs]  # type: ignore[union-attr]


def test_kink_and_tie_conventions() -> None:
    assert grad_of(lambda x: x.relu(), [0.0])[0].tolist() == [0.0]
    assert grad_of(lambda x: x.abs(), [0.0])[0].tolist() == [0.0]
    assert grad_of(lambda x: x.clamp(-1, 1), [-1.0, 1.0, 2.0])[0].tolist() == [1.0, 1.0, 0.0]
    gx, gy = grad_of(lambda x, y: x.maximum(y), [1.0, 2.0], [1.0, 1.0])
    assert gx.tolist() == [0.5, 1.0] and gy.tolist() == [0.5, 0.0]
    gx, gy = grad_of(lambda x, y: x.minimum(y), [1.0], [1.0])
    assert gx.tolist() == [0.5] and gy.tolist() == [0.5]
    assert grad_of(lambda x: x.amax(), [3.0, 1.0, 3.0])[0].tolist() == [0.5, 0.0, 0.5]
    assert grad_of(lambda x: x.max(), [3.0, 3.0, 3.0])[0].tolist() == pytest.approx([1 / 3] * 3)
    assert grad_of(lambda x: x.max(dim=0).values, [3.0, 1.0, 3.0])[0].tolist() == [1.0, 0.0, 0.0]
    assert grad_of(lambda x: x.min(dim=0).values, [1.0, 1.0])[0].tolist() == [1.0, 0.0]


def test_pow_at_a_zero_base_gives_torchs_values_not_nan() -> None:
    """0·∞ = nan in the plain rules; torch's values are the limits from inside the domain."""
    with np.errstate(divide="ignore", invalid="ignore"):
        gx, gy = grad_of(lambda x, y: x**y, [0.0, 0.0, 0.0, 0.0], [0.0, 0.5, 1.0, 2.0])
        assert gx.tolist() == [0.0, np.inf, 1.0, 0.0] and gy.tolist() == [0.0] * 4
        assert grad_of(lambda x: x**0, [0.0, 2.0])[0].tolist() == [0.0, 0.0]
        gx, gy = grad_of(lambda x, y: x**y, [0.0], [-1.0])  # a pole: infinities stay
        assert gx.tolist() == [-np.inf] and gy.tolist() == [-np.inf]
    gx, gy = grad_of(lambda x, y: x**y, [2.0], [0.0])  # away from x = 0 the plain rules hold
    assert gx.tolist() == [0.0] and gy.tolist() == pytest.approx([np.log(2.0)])


def test_second_derivative_of_x_to_the_0_at_0_is_0() -> None:
    """x⁰'s x̄ = 0 at x = 0 chose 0 over y·xʸ⁻¹ by a where, whose unchosen branch still had
    the derivative 0·∞ = nan (torch: 0; found by tests/test_graph_fuzz_torch.py)."""
    x = tg.tensor([0.0, 1.5], dtype=np.float64, requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        (gx,) = tg.autograd.grad((x**0).sum(), [x], create_graph=True)
        (gxx,) = tg.autograd.grad(gx.sum(), [x])
    assert gx.tolist() == [0.0, 0.0] and gxx.tolist() == [0.0, 0.0]


def test_binary_logistic_gradient_at_zero_is_sigmoid_minus_target() -> None:
    """W = 0 puts every logit at z = 0, a point where relu/abs compositions get it wrong."""
    z = tg.Tensor(np.zeros(3), requires_grad=True)
    t = np.array([0.0, 0.5, 1.0])
    F.binary_cross_entropy_with_logits(z, t, reduction="sum").backward()
    assert z.grad is not None
    np.testing.assert_allclose(z.grad.data, 0.5 - t)


@pytest.mark.parametrize("loss", [F.cross_entropy, F.nll_loss])
def test_labels_refilled_after_the_forward_do_not_change_the_gradient(loss: Any) -> None:
    """The node keeps its own copy of the labels: a batch buffer refilled before backward
    (or a label tensor changed in place) must not move the gradient to other classes."""
    f = tg.tensor(np.random.default_rng(0).standard_normal((3, 3)), requires_grad=True)
    y = np.array([0, 1, 2])
    inputs = f.log_softmax(-1) if loss is F.nll_loss else f
    out = loss(inputs, y)
    y[:] = [2, 2, 2]
    out.backward()
    expected = f.detach().softmax(-1).data - np.eye(3)
    np.testing.assert_allclose(f.grad.data, expected / 3, atol=1e-12)  # type: ignore[union-attr]


def test_one_hot_memory_is_n_by_c_and_its_arguments_are_checked() -> None:
    big = F.one_hot(tg.tensor([3, 999_999]), 1_000_000)  # np.eye would need 8 TB
    assert big.shape == (2, 1_000_000) and big.data.sum() == 2 and big.data[1, 999_999] == 1
    with pytest.raises(TypeError, match="num_classes must be an int"):
        F.one_hot(tg.tensor([0]), 3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="num_classes must be an int"):
        F.one_hot(tg.tensor([0]), True)
    with pytest.raises(ValueError, match="-1 or"):
        F.one_hot(tg.tensor([0]), -2)


def test_the_third_positional_argument_is_the_weight_as_in_torch() -> None:
    """torch's third positional argument is the class weight; a reduction there (this
    library's old spelling) is a clear error, not a silent weight."""
    f = tg.zeros(2, 3)
    for loss in (F.cross_entropy, F.nll_loss):
        assert loss(f, [0, 1], np.ones(3)).item() == loss(f, [0, 1]).item()
        with pytest.raises(TypeError, match=r"pass reduction='sum' by keyword"):
            loss(f, [0, 1], "sum")
    # torch's third positional argument of mse_loss is the legacy size_average, whose truth
    # value a 3-element tensor does not have (torch's RuntimeError)
    with pytest.raises(RuntimeError, match=r"ambiguous"):
        F.mse_loss(f, f, tg.ones(3))


def test_logsumexp_beside_plus_inf_matches_torch() -> None:
    """A row holding +inf and a large finite logit: shifting by the finite max keeps e^(x−m)
    finite, so the finite entry's gradient is 0 (torch's) rather than inf/inf = nan."""
    a = tg.tensor([float("inf"), 100.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        out = a.logsumexp(0)
        out.backward()
    assert out.item() == float("inf")
    assert a.grad is not None and np.isnan(a.grad.data[0]) and a.grad.data[1] == 0.0
    b = tg.tensor([float("-inf"), 3.0], requires_grad=True)
    b.logsumexp(0).backward()
    assert b.grad is not None and b.grad.tolist() == [0.0, 1.0]
