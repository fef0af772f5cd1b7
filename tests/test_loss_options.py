"""torch's loss options: class weights, ignore_index, label smoothing, pos_weight.

Each is checked against its formula written out in numpy, by gradcheck, and (where PyTorch is
installed) against torch itself.
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


def _log_softmax(f: np.ndarray) -> np.ndarray:
    z = f - f.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def _case(seed: int, n: int = 6, c: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, c)), rng.integers(0, c, n), rng.uniform(0.2, 2.0, c)


@given(st.integers(0, 2**16), st.floats(0.0, 1.0), st.booleans(), st.booleans())
def test_cross_entropy_options_match_their_formula(
    seed: int, eps: float, weighted: bool, ignore: bool
) -> None:
    """ℓᵢ = Σⱼ −qᵢⱼ wⱼ log pᵢⱼ with q = (1 − ε) e_y + ε/C; the weighted (by w_y) mean over the
    rows not ignored; ∂ℓᵢ/∂f = p·Σⱼ qⱼwⱼ − q ⊙ w for one row."""
    f, y, w = _case(seed)
    n, c = f.shape
    if not weighted:
        w = np.ones(c)
    kept = np.ones(n, dtype=bool)
    if ignore:
        kept[::3] = False
        y = np.where(kept, y, -1)
    q = (1 - eps) * np.eye(c)[np.where(kept, y, 0)] + eps / c
    logp = _log_softmax(f)
    rows = np.where(kept, -(q * w * logp).sum(1), 0.0)
    mean = rows.sum() / w[y[kept]].sum() if kept.any() else np.nan
    g = np.exp(logp) * (q * w).sum(1, keepdims=True) - q * w
    g = np.where(kept[:, None], g, 0.0) / w[y[kept]].sum()

    x = tg.Tensor(f, requires_grad=True)
    loss = F.cross_entropy(
        x,
        y,
        w if weighted else None,
        ignore_index=-1 if ignore else None,
        label_smoothing=eps,
    )
    np.testing.assert_allclose(loss.item(), mean, rtol=1e-10)
    loss.backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, g, atol=1e-12)
    per_row = F.cross_entropy(
        tg.Tensor(f),
        y,
        w if weighted else None,
        ignore_index=-1 if ignore else None,
        reduction="none",
        label_smoothing=eps,
    )
    np.testing.assert_allclose(per_row.data, rows, rtol=1e-10, atol=1e-300)


def test_no_option_keeps_the_fused_primitive() -> None:
    """The options are composed of ops; without them cross_entropy stays one node whose rule
    is the lecture's p − e_y, and both agree."""
    f, y, _ = _case(0)
    plain = F.cross_entropy(tg.Tensor(f, requires_grad=True), y)
    assert plain.grad_fn is not None and plain.grad_fn.name() == "CrossEntropyBackward"
    composed = F.cross_entropy(tg.Tensor(f, requires_grad=True), y, np.ones(4))
    assert composed.grad_fn is not None and composed.grad_fn.name() != "CrossEntropyBackward"
    np.testing.assert_allclose(plain.item(), composed.item(), rtol=1e-12)
    smoothed = F.cross_entropy(tg.Tensor(f), y, label_smoothing=0.0)
    assert smoothed.item() == plain.item()


def test_ignored_rows_count_for_nothing() -> None:
    f, y, _ = _case(1)
    y[[1, 4]] = -100
    x = tg.Tensor(f, requires_grad=True)
    loss = F.cross_entropy(x, y, ignore_index=-100)
    kept = y != -100
    np.testing.assert_allclose(loss.item(), F.cross_entropy(tg.Tensor(f[kept]), y[kept]).item())
    loss.backward()
    assert x.grad is not None
    assert not x.grad.data[~kept].any()
    z = tg.Tensor(f, requires_grad=True)
    every = F.cross_entropy(z, np.full(6, 7), ignore_index=7, label_smoothing=0.1)
    assert np.isnan(every.item())  # 0/0, as torch, but with torch's zero gradient:
    every.backward()  # a batch of padding must not turn the weights into nan
    assert z.grad is not None and not z.grad.data.any()
    none = F.cross_entropy(tg.Tensor(f), np.full(6, 7), ignore_index=7, reduction="none")
    assert none.tolist() == [0.0] * 6
    # An ignore_index that is a valid class skips that class's rows.
    skip = F.cross_entropy(tg.Tensor(f), y.clip(0), ignore_index=0, reduction="none").data
    assert np.all((skip == 0) == (y.clip(0) == 0))


def test_nll_loss_options_equal_cross_entropy_on_log_softmax() -> None:
    f, y, w = _case(2)
    y[0] = 9
    for reduction in ("mean", "sum", "none"):
        a = F.cross_entropy(tg.Tensor(f), y, w, ignore_index=9, reduction=reduction)
        b = F.nll_loss(tg.Tensor(f).log_softmax(1), y, w, ignore_index=9, reduction=reduction)
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_one_example(reduction: str) -> None:
    """A (C,) input is a batch of one: 'mean' divides the weight out again, 'none' is 0-d."""
    f, _, w = _case(3)
    loss = F.cross_entropy(tg.Tensor(f[0]), np.array(2), w, reduction=reduction)
    plain = -_log_softmax(f[0])[2]
    assert loss.shape == ()
    np.testing.assert_allclose(loss.item(), plain if reduction == "mean" else w[2] * plain)
    ignored = F.cross_entropy(tg.Tensor(f[0]), 5, ignore_index=5, reduction=reduction)
    assert ignored.shape == () and (np.isnan(ignored.item()) == (reduction == "mean"))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_options_gradcheck(reduction: str) -> None:
    f, y, w = _case(4, n=5, c=3)
    y[2] = -3
    kw: dict[str, Any] = {"ignore_index": -3, "reduction": reduction}
    assert gradcheck(lambda a: F.cross_entropy(a, y, w, label_smoothing=0.2, **kw), [f])
    assert gradcheck(lambda a: F.nll_loss(a, y, w, **kw), [_log_softmax(f)])
    z, t = f, np.random.default_rng(5).uniform(0, 1, f.shape)
    assert gradcheck(
        lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, np.linspace(0.5, 1.5, 5)[:, None], reduction=reduction, pos_weight=w
        ),
        [z, t],
    )


def test_pos_weight_matches_its_formula_and_stays_finite() -> None:
    """ℓ = −p t ln σ(z) − (1 − t) ln(1 − σ(z)), times weight; finite at |z| = 1e4."""
    rng = np.random.default_rng(6)
    z, t, p, w = rng.standard_normal((4, 3)), rng.uniform(0, 1, (4, 3)), [0.5, 2.0, 3.0], [2.0]
    s = 1 / (1 + np.exp(-z))
    want = w[0] * (-np.asarray(p) * t * np.log(s) - (1 - t) * np.log(1 - s))
    got = F.binary_cross_entropy_with_logits(
        tg.Tensor(z), tg.Tensor(t), w, reduction="none", pos_weight=p
    )
    np.testing.assert_allclose(got.data, want, rtol=1e-12)
    big = tg.tensor([-1e4, 0.0, 1e4], dtype=tg.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(
        big, tg.tensor([1.0, 0.5, 0.0], dtype=tg.float64), pos_weight=[3.0], reduction="none"
    )
    assert loss.tolist() == pytest.approx([3e4, 2 * np.log(2), 1e4])
    loss.sum().backward()
    assert big.grad is not None and big.grad.tolist() == pytest.approx([-3.0, -0.5, 1.0])


def test_mse_weight_scales_each_square() -> None:
    """torch 2.13's mse_loss(weight=): 'mean' is the weighted mean Σ wᵢ dᵢ² / Σ wᵢ."""
    x, t, w = np.array([1.0, 2.0, 3.0]), np.zeros(3), np.array([1.0, 0.0, 2.0])
    for reduction, want in (("mean", 19 / 3), ("sum", 19.0), ("none", [1.0, 0.0, 18.0])):
        got = F.mse_loss(tg.Tensor(x), t, reduction=reduction, weight=w)
        np.testing.assert_allclose(got.data, want)
    assert gradcheck(lambda a: F.mse_loss(a, t, weight=w), [x])
    four = F.mse_loss(tg.tensor([1.0, 2.0, 3.0, 4.0]), np.zeros(4), weight=[1.0, 0.0, 3.0, 1.0])
    assert four.item() == pytest.approx(44 / 5)  # torch 2.13 gives 8.8
    assert np.isnan(F.mse_loss(tg.Tensor(x), t, weight=np.zeros(3)).item())
    with pytest.raises(tg.OpError, match=r"weight shape \(1,\) and input shape \(3,\)"):
        F.mse_loss(tg.Tensor(x), t, weight=[1.0])


def test_bad_options_are_clear_errors() -> None:
    f = tg.zeros(2, 3)
    with pytest.raises(IndexError, match=r"-100 .*pass ignore_index=-100"):
        F.cross_entropy(f, [0, -100])
    with pytest.raises(IndexError, match=r"target 3 is out of range"):
        F.cross_entropy(f, [3, -100], ignore_index=-100)
    with pytest.raises(tg.OpError, match=r"shape \(3,\) .*got shape \(2,\)"):
        F.cross_entropy(f, [0, 1], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"string 'sum'; pass reduction='sum' by keyword"):
        F.nll_loss(f, [0, 1], "sum")
    with pytest.raises(RuntimeError, match="not differentiable with respect to it"):
        F.cross_entropy(f, [0, 1], tg.ones(3, requires_grad=True))
    with pytest.raises(TypeError, match="real numbers"):
        F.cross_entropy(f, [0, 1], [True, False, True])
    with pytest.raises(ValueError, match=r"between 0.0 and 1.0, got 1.5"):
        F.cross_entropy(f, [0, 1], label_smoothing=1.5)
    with pytest.raises(TypeError, match="label_smoothing must be a float"):
        F.cross_entropy(f, [0, 1], label_smoothing=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ignore_index must be an int"):
        F.cross_entropy(f, [0, 1], ignore_index=1.5)  # type: ignore[arg-type]
    with pytest.raises(tg.OpError, match=r"pos_weight of shape \(2,\) does not broadcast"):
        F.binary_cross_entropy_with_logits(f, f, pos_weight=[1.0, 2.0])
    with pytest.raises(tg.OpError, match=r"weight of shape \(2, 2, 3\) does not broadcast"):
        F.binary_cross_entropy_with_logits(f, f, tg.ones(2, 2, 3))
    with pytest.raises(ValueError, match="label_smoothing"):
        nn.CrossEntropyLoss(label_smoothing=-0.1)


def test_a_numpy_string_reduction_is_a_reduction() -> None:
    f, y, _ = _case(9)
    for reduction in (np.str_("sum"), np.str_("none")):
        got = nn.CrossEntropyLoss(reduction=reduction)(tg.Tensor(f), y)
        np.testing.assert_allclose(
            got.data, F.cross_entropy(tg.Tensor(f), y, reduction=str(reduction)).data
        )
        nn.MSELoss(reduction=reduction)(tg.Tensor(f), f)


def test_loss_modules_keep_weights_as_buffers() -> None:
    f, y, w = _case(7)
    module = nn.CrossEntropyLoss(w, ignore_index=1, label_smoothing=0.1)
    assert list(module.state_dict()) == ["weight"]
    want = F.cross_entropy(tg.Tensor(f), y, w, ignore_index=1, label_smoothing=0.1)
    assert module(tg.Tensor(f), y).item() == want.item()
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    nll = nn.NLLLoss(weight=w, reduction="sum")
    lp = tg.Tensor(_log_softmax(f))
    assert nll(lp, y).item() == F.nll_loss(lp, y, w, reduction="sum").item()
    bce = nn.BCEWithLogitsLoss(pos_weight=[2.0, 1.0, 1.0, 0.5])
    assert list(bce.state_dict()) == ["pos_weight"]
    t = (f > 0).astype(np.float64)
    want = F.binary_cross_entropy_with_logits(tg.Tensor(f), t, pos_weight=[2.0, 1.0, 1.0, 0.5])
    assert bce(tg.Tensor(f), t).item() == want.item()


def test_against_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    f, y, w = _case(8, n=7, c=5)
    y[[0, 3]] = -100
    for reduction in ("mean", "sum", "none"):
        for eps in (0.0, 0.3):
            for weight in (None, w):
                x, tx = tg.Tensor(f, requires_grad=True), torch.tensor(f, requires_grad=True)
                ours = F.cross_entropy(
                    x, y, weight, ignore_index=-100, reduction=reduction, label_smoothing=eps
                )
                theirs = tf.cross_entropy(
                    tx,
                    torch.tensor(y),
                    None if weight is None else torch.tensor(weight),
                    reduction=reduction,
                    label_smoothing=eps,
                )
                ours.sum().backward()
                theirs.sum().backward()
                assert x.grad is not None
                np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
                np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-12)
        z, t = tg.Tensor(f, requires_grad=True), (f > 0.3).astype(np.float64)
        tz = torch.tensor(f, requires_grad=True)
        ours = F.binary_cross_entropy_with_logits(z, t, w[:1], reduction=reduction, pos_weight=w)
        theirs = tf.binary_cross_entropy_with_logits(
            tz,
            torch.tensor(t),
            torch.tensor(w[:1]),
            reduction=reduction,
            pos_weight=torch.tensor(w),
        )
        ours.sum().backward()
        theirs.sum().backward()
        assert z.grad is not None
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
        np.testing.assert_allclose(z.grad.data, tz.grad.numpy(), atol=1e-12)


# ----------------------------------------------------------------------------- soft labels, K-dim


@given(st.integers(0, 2**16), st.floats(0.0, 1.0), st.booleans())
def test_probability_targets_match_their_formula(seed: int, eps: float, weighted: bool) -> None:
    """A floating target of the logits' shape holds probabilities t: ℓᵢ = −Σⱼ wⱼ qᵢⱼ log pᵢⱼ
    with q = (1 − ε) t + ε/C, 'mean' over the rows; ∂ℓ/∂f = p·Σⱼ qⱼwⱼ − q ⊙ w per row and
    ∂ℓ/∂t = −(1 − ε) w ⊙ log p, since the target is differentiated too."""
    rng = np.random.default_rng(seed)
    f, t, w = rng.standard_normal((5, 4)), rng.dirichlet(np.ones(4), 5), rng.uniform(0.2, 2, 4)
    if not weighted:
        w = np.ones(4)
    q, logp = (1 - eps) * t + eps / 4, _log_softmax(f)
    x, tt = tg.Tensor(f, requires_grad=True), tg.Tensor(t, requires_grad=True)
    loss = F.cross_entropy(x, tt, w if weighted else None, label_smoothing=eps)
    loss.backward()
    assert x.grad is not None and tt.grad is not None
    np.testing.assert_allclose(loss.item(), -(q * w * logp).sum() / 5, rtol=1e-12)
    g = np.exp(logp) * (q * w).sum(1, keepdims=True) - q * w
    np.testing.assert_allclose(x.grad.data, g / 5, atol=1e-12)
    np.testing.assert_allclose(tt.grad.data, -(1 - eps) * w * logp / 5, atol=1e-12)


def test_one_hot_probabilities_equal_class_indices() -> None:
    f, y, w = _case(3)
    onehot = np.eye(f.shape[1])[y]
    for reduction in ("sum", "none"):  # 'mean' differs with weights: rows, not Σ w_y, as torch
        for weight in (None, w):
            hard = F.cross_entropy(tg.Tensor(f), y, weight, reduction=reduction)
            soft = F.cross_entropy(tg.Tensor(f), onehot, weight, reduction=reduction)
            np.testing.assert_allclose(soft.data, hard.data, rtol=1e-12)
    hard, soft = F.cross_entropy(tg.Tensor(f), y), F.cross_entropy(tg.Tensor(f), onehot)
    np.testing.assert_allclose(soft.item(), hard.item(), rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_probability_targets_gradcheck(reduction: str) -> None:
    rng = np.random.default_rng(1)
    f, t = rng.standard_normal((3, 4)), rng.dirichlet(np.ones(4), 3)
    assert gradcheck(lambda a, b: F.cross_entropy(a, b, reduction=reduction), [f, t])
    assert gradcheck(lambda a: F.cross_entropy(a, t[0], label_smoothing=0.2), [f[0]])


@pytest.mark.parametrize("soft", [False, True])
def test_k_dimensional_input_is_one_row_per_position(soft: bool) -> None:
    """(N, C, d₁, d₂) reads classes on dim 1: the same loss as the (N·d₁·d₂, C) rows."""
    rng = np.random.default_rng(2)
    f = rng.standard_normal((2, 3, 4, 5))
    y = rng.dirichlet(np.ones(3), (2, 4, 5)) if soft else rng.integers(0, 3, (2, 4, 5))
    rows = f.transpose(0, 2, 3, 1).reshape(-1, 3)
    flat = y.reshape(-1, 3) if soft else y.reshape(-1)
    w = rng.uniform(0.5, 2, 3)
    for reduction in ("mean", "sum", "none"):
        for options in ({}, {"weight": w, "label_smoothing": 0.1}):
            x = tg.Tensor(f, requires_grad=True)
            target = np.moveaxis(y, -1, 1) if soft else y
            loss = F.cross_entropy(x, target, reduction=reduction, **options)
            expected = F.cross_entropy(tg.Tensor(rows), flat, reduction=reduction, **options)
            want = expected.data.reshape(2, 4, 5) if reduction == "none" else expected.data
            np.testing.assert_allclose(loss.data, want, rtol=1e-12)
    assert gradcheck(lambda a: F.cross_entropy(a, np.moveaxis(y, -1, 1) if soft else y), [f])
    if not soft:
        logp = tg.Tensor(f).log_softmax(1)
        np.testing.assert_allclose(
            F.nll_loss(logp, y, reduction="none").data,
            F.cross_entropy(tg.Tensor(f), y, reduction="none").data,
            rtol=1e-12,
        )


def test_soft_and_k_dimensional_errors_are_clear() -> None:
    f = tg.zeros(2, 3)
    with pytest.raises(ValueError, match=r"probabilities, of the logits' shape \(2, 3\); got "):
        F.cross_entropy(f, np.full((2, 4), 0.25))
    with pytest.raises(ValueError, match="ignore_index applies to class indices"):
        F.cross_entropy(f, np.full((2, 3), 1 / 3), ignore_index=0)
    with pytest.raises(ValueError, match=r"\(2, 3, 4\) \(classes on dim 1\) expects target of "):
        F.cross_entropy(tg.zeros(2, 3, 4), np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match=r"expects probabilities of shape \(2, 3, 4\)"):
        F.cross_entropy(tg.zeros(2, 3, 4), np.zeros((2, 4, 3)))
    with pytest.raises(IndexError, match="out of range for 3 classes"):
        F.nll_loss(tg.zeros(2, 3, 4), np.full((2, 4), 3))
    with pytest.raises(ValueError, match=r"got \(\)"):
        F.cross_entropy(tg.tensor(1.0), 0)


def test_soft_and_k_dimensional_against_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    rng = np.random.default_rng(4)
    w = rng.uniform(0.5, 2, 3)
    cases = [
        ((4, 3), rng.dirichlet(np.ones(3), 4)),
        ((3,), rng.dirichlet(np.ones(3))),
        ((2, 3, 5), np.moveaxis(rng.dirichlet(np.ones(3), (2, 5)), -1, 1)),
        ((2, 3, 5), rng.integers(0, 3, (2, 5))),
        ((2, 3, 2, 2), rng.integers(0, 3, (2, 2, 2))),
        ((0, 3), np.zeros((0, 3))),
    ]
    for shape, target in cases:
        f = rng.standard_normal(shape)
        for reduction in ("mean", "sum", "none"):
            for weight, eps in ((None, 0.0), (w, 0.25)):
                x, tx = tg.Tensor(f, requires_grad=True), torch.tensor(f, requires_grad=True)
                ours = F.cross_entropy(x, target, weight, reduction=reduction, label_smoothing=eps)
                theirs = tf.cross_entropy(
                    tx,
                    torch.tensor(target),
                    None if weight is None else torch.tensor(weight),
                    reduction=reduction,
                    label_smoothing=eps,
                )
                np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10)
                if f.size:
                    ours.sum().backward()
                    theirs.sum().backward()
                    assert x.grad is not None
                    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), atol=1e-12)
