"""torch's low-level top-level forms of normalizations and losses (tinygrad_ed/_namespace.py):
``tg.layer_norm``, ``group_norm``, ``batch_norm``, ``instance_norm``, ``ctc_loss``, ``kl_div``,
``binary_cross_entropy_with_logits``, ``poisson_nll_loss``, ``hinge_embedding_loss``,
``margin_ranking_loss``, ``cosine_embedding_loss``, ``triplet_margin_loss``, and
``embedding_bag`` with torch's bookkeeping outputs.

tests/test_namespace.py compares one sample call of each with torch (values and gradients).
Here: torch's positional orders and its int reductions, including what torch 2.13 does when
the reduction is omitted (no reduction), running statistics updated in place as torch's, the
ctc gradient through a log-softmax, gradchecks, and bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

RNG = np.random.default_rng(0)
A, B, C = (RNG.standard_normal((3, 4)) for _ in range(3))
SIGNS = np.array([1.0, -1.0, 1.0])
TARGETS = np.array([[1, 2], [3, 3]])


def _losses(lib: Any) -> dict[str, Callable[..., Any]]:
    """Each loss on fixed data, given the reduction arguments (none: omitted)."""
    t = lib.tensor
    return {
        "kl_div": lambda *r: lib.kl_div(t(A), t(np.abs(B)), *r),
        "binary_cross_entropy_with_logits": lambda *r: lib.binary_cross_entropy_with_logits(
            t(A), t(1 / (1 + np.exp(-B))), None, t(np.abs(C[0])), *r
        ),
        "poisson_nll_loss": lambda *r: lib.poisson_nll_loss(
            t(A), t(np.abs(B)), True, True, 1e-8, *(r or (1,))
        ),
        "hinge_embedding_loss": lambda *r: lib.hinge_embedding_loss(t(A), t(np.sign(B)), 1.0, *r),
        "margin_ranking_loss": lambda *r: lib.margin_ranking_loss(
            t(A[0]), t(B[0]), t(np.sign(C[0])), 0.1, *r
        ),
        "cosine_embedding_loss": lambda *r: lib.cosine_embedding_loss(
            t(A), t(B), t(SIGNS), 0.2, *r
        ),
        "triplet_margin_loss": lambda *r: lib.triplet_margin_loss(
            t(A), t(B), t(C), 1.0, 2.0, 1e-6, False, *r
        ),
        "ctc_loss": lambda *r: lib.ctc_loss(
            t(A[None].repeat(2, 0)[:, :2, :]).log_softmax(-1),
            t(TARGETS[:, :1]),
            [2, 2],
            [1, 1],
            0,
            *r,
        ),
    }


@pytest.mark.parametrize("name", sorted(_losses(tg)))
@pytest.mark.parametrize("reduction", [(), (0,), (1,), (2,)])
def test_int_reductions_as_torch(name: str, reduction: tuple[int, ...]) -> None:
    """0 none, 1 mean, 2 sum; omitted, no reduction, as torch 2.13's binding gives (its stub
    says 1), except poisson_nll_loss, which requires it."""
    ours = _losses(tg)[name](*reduction)
    expected_shape = {(1,): (), (2,): ()}.get(reduction)
    if expected_shape is not None:
        assert ours.shape == expected_shape
    torch = pytest.importorskip("torch")
    theirs = _losses(torch)[name](*reduction)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_bad_reductions_and_flags_are_refused() -> None:
    x = tg.tensor(A)
    for bad in (True, "mean", 1.0, None):
        with pytest.raises(TypeError, match=r"kl_div\(\): argument 'reduction' must be int"):
            tg.kl_div(x, x, bad)
    # torch takes any other int as 0 (no reduction) without a word; refused here
    for bad_int in (-1, 3):
        with pytest.raises(RuntimeError, match=rf"hinge_embedding_loss\(\): .*got {bad_int}"):
            tg.hinge_embedding_loss(x, x.sign(), 1.0, bad_int)
    with pytest.raises(TypeError, match=r"layer_norm\(\): argument 'cudnn_enable' must be bool"):
        tg.layer_norm(x, [4], None, None, 1e-5, "yes")
    with pytest.raises(TypeError, match=r"batch_norm\(\): argument 'cudnn_enabled' must be bool"):
        tg.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, 1)
    with pytest.raises(TypeError, match="missing"):
        tg.batch_norm(x, None, None, None, None)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"triplet_margin_loss\(\): argument 'anchor'"):
        tg.triplet_margin_loss(A, x, x)  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    tx = torch.tensor(A)
    for bad in (True, "mean"):
        with pytest.raises(TypeError):
            torch.kl_div(tx, tx, bad)
    with pytest.raises(TypeError):
        torch.layer_norm(tx, [4], None, None, 1e-5, "yes")
    with pytest.raises(TypeError):
        torch.batch_norm(tx, None, None, None, None)


@pytest.mark.parametrize("training", [True, False])
def test_batch_and_instance_norm_running_statistics_as_torch(training: bool) -> None:
    """torch's order (weight, bias before the running statistics), which are updated in
    place in training (use_input_stats for instance_norm), as torch's."""
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((3, 2, 5))
    w, b = np.array([1.5, -0.5]), np.array([0.1, 0.2])
    mean, var = np.array([0.3, -0.1]), np.array([2.0, 0.5])
    for name in ("batch_norm", "instance_norm"):
        ours = [tg.tensor(v) for v in (x, w, b, mean, var)]
        theirs = [torch.tensor(v) for v in (x, w, b, mean, var)]
        ours[0].requires_grad_(), theirs[0].requires_grad_()
        out = getattr(tg, name)(*ours, training, 0.2, 1e-5, True)
        expected = getattr(torch, name)(*theirs, training, 0.2, 1e-5, True)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
        for mine, their in zip(ours[3:], theirs[3:]):
            np.testing.assert_allclose(mine.data, their.numpy(), rtol=1e-12)
        g = RNG.standard_normal(x.shape)
        (out * tg.tensor(g)).sum().backward()
        (expected * torch.tensor(g)).sum().backward()
        assert ours[0].grad is not None
        np.testing.assert_allclose(ours[0].grad.data, theirs[0].grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("reduction", [0, 1, 2])
def test_ctc_loss_gradient_through_log_softmax_as_torch(reduction: int) -> None:
    torch = pytest.importorskip("torch")
    logits = RNG.standard_normal((6, 2, 4))
    lengths = ([6, 5], [2, 1])
    a, b = tg.tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    loss = tg.ctc_loss(a.log_softmax(-1), tg.tensor(TARGETS), *lengths, 0, reduction)
    expected = torch.ctc_loss(b.log_softmax(-1), torch.tensor(TARGETS), *lengths, 0, reduction)
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-12)
    loss.sum().backward()
    expected.sum().backward()
    assert a.grad is not None
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_low_level_forms_gradcheck() -> None:
    x, w, b = (tg.tensor(RNG.standard_normal(s), requires_grad=True) for s in ((2, 3, 4), 4, 4))
    assert gradcheck(lambda x, w, b: tg.layer_norm(x, [4], w, b, 1e-5, False), (x, w, b))
    w3, b3 = (tg.tensor(RNG.standard_normal(3), requires_grad=True) for _ in range(2))
    assert gradcheck(
        lambda x, w, b: tg.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False), (x, w3, b3)
    )
    y, z, v = (tg.tensor(RNG.standard_normal((3, 4)), requires_grad=True) for _ in range(3))
    triplet = tg.triplet_margin_loss
    assert gradcheck(lambda y, z, v: triplet(y, z, v, 2.0, 2.0, 1e-6, True, 1), (y, z, v))
    assert gradcheck(lambda y: tg.kl_div(y, z.detach().exp(), 2, log_target=False), (y,))


def _bag_case(rng: np.random.Generator) -> dict[str, Any]:
    """A drawn embedding_bag call: ties in the weights sometimes, empty bags, padding."""
    n, D, L = int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(0, 8))
    w = rng.standard_normal((n, D))
    w = np.round(w) if rng.random() < 0.3 else w  # ties for the max
    offsets = np.sort(np.append(0, rng.integers(0, L + 1, int(rng.integers(1, 4)))))
    mode = int(rng.integers(0, 3))
    return {
        "w": w,
        "indices": rng.integers(0, n, L),
        "offsets": offsets,  # ≥ 2 of them: torch crashes on one with include_last_offset
        "mode": mode,
        "last": bool(rng.random() < 0.3),
        "pad": None if rng.random() < 0.5 else int(rng.integers(-n, n)),
        "psw": rng.standard_normal(L) if mode == 0 and rng.random() < 0.3 else None,
    }


def _bag(lib: Any, c: dict[str, Any], w: Any) -> Any:
    t = lib.tensor
    psw = None if c["psw"] is None else t(c["psw"])
    return lib.embedding_bag(
        w, t(c["indices"]), t(c["offsets"]), False, c["mode"], False, psw, c["last"], c["pad"]
    )


def test_embedding_bag_and_its_bookkeeping_as_torch() -> None:
    """Drawn calls: the output, its gradient, and offset2bag, bag_size, max_indices as torch's
    (with gradients: without, torch's sum gives one bag_size per offset, and on float32 an
    empty offset2bag)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    for _ in range(60):
        c = _bag_case(rng)
        ours, theirs = (
            tg.tensor(c["w"], requires_grad=True),
            torch.tensor(c["w"], requires_grad=True),
        )
        got, expected = _bag(tg, c, ours), _bag(torch, c, theirs)
        for a, b in zip(got, expected):
            assert a.shape == tuple(b.shape) and f"torch.{a.dtype}" == str(b.dtype), c
            np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, err_msg=str(c))
        if got[0].numel():
            g = rng.standard_normal(got[0].shape)
            (got[0] * tg.tensor(g)).sum().backward()
            (expected[0] * torch.tensor(g)).sum().backward()
            mine = np.zeros_like(c["w"]) if ours.grad is None else ours.grad.data
            np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-12, err_msg=str(c))
    c = {**_bag_case(rng), "mode": 1, "psw": None, "w": rng.standard_normal((4, 2))}
    c["indices"] = np.array([0, 3, 1, 1, 2])
    assert gradcheck(lambda w: _bag(tg, c, w)[0], (tg.tensor(c["w"], requires_grad=True),))


def test_embedding_bag_bad_input() -> None:
    w, idx, offsets = tg.randn(4, 2), tg.tensor([0, 1, 3]), tg.tensor([0, 2])
    with pytest.raises(RuntimeError, match=r"embedding_bag\(\): `mode` must be sum .* got 3"):
        tg.embedding_bag(w, idx, offsets, False, 3)
    with pytest.raises(TypeError, match=r"embedding_bag\(\): argument 'mode' must be int"):
        tg.embedding_bag(w, idx, offsets, False, "sum")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=r"indices must be 1-d.*\(1, 3\)"):
        tg.embedding_bag(w, idx.unsqueeze(0), offsets)
    with pytest.raises(TypeError, match=r"embedding_bag\(\): argument 'offsets'"):
        tg.embedding_bag(w, idx, [0, 2])  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError, match="per_sample_weights"):
        tg.embedding_bag(w, idx, offsets, False, 1, False, tg.ones(3))
    torch = pytest.importorskip("torch")
    tw, tidx, toff = torch.randn(4, 2), torch.tensor([0, 1, 3]), torch.tensor([0, 2])
    with pytest.raises(RuntimeError):
        torch.embedding_bag(tw, tidx, toff, False, 3)
    with pytest.raises(RuntimeError):
        torch.embedding_bag(tw, tidx[None], toff)
    with pytest.raises(RuntimeError):  # (NotImplementedError here, as F.embedding_bag's)
        torch.embedding_bag(tw, tidx, toff, False, 1, False, torch.ones(3))
