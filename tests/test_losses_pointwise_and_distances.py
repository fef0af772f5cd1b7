"""torch's other losses and distances: l1, smooth_l1, huber, binary_cross_entropy, kl_div,
multi_margin (the multiclass hinge loss), soft_margin, cosine_similarity, pairwise_distance and
normalize, with their modules.

Each is checked against torch 2.13 (skipped without torch) on grids that hold its kinks, ties,
±∞ and magnitudes of 1e4, and on hypothesis-drawn inputs: values, gradients with respect to every
input torch differentiates, dtypes, every reduction and weight. Then gradcheck and gradgradcheck
in float64, the lecture's multiclass hinge loss written out, torch's errors, and the modules.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck
from tinygrad_ed.tensor import Tensor
from tinygrad_ed.testing import arrays

inf = float("inf")
REDUCTIONS = ["mean", "sum", "none"]
RNG = np.random.default_rng(7)

# ----------------------------------------------------------------------------- inputs


def _regression_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x and t of shape (3, 6) with d = x − t hitting 0, ±0.5 (β), ±1, ±2 (δ), 1e4, ±∞."""
    t = rng.standard_normal((3, 6))
    d = rng.standard_normal((3, 6)) * 3
    d[0] = [0.0, 0.5, -0.5, 1.0, -1.0, 2.0]
    d[1, :3] = [-2.0, 1e4, -1e4]
    x = t + d
    x[0] = t[0] + d[0]  # exact: d[0] is representable, and x − t recovers it below
    t[0] = x[0] - d[0]
    x[2, :2] = [inf, -inf]
    return x, t


def _probabilities(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x ∈ [0, 1] with saturated 0 and 1 and values within 1e-13 of them; t ∈ [0, 1]."""
    x = rng.uniform(0, 1, (3, 5))
    x[0] = [0.0, 1.0, 1e-13, 1 - 1e-13, 0.5]
    t = rng.uniform(0, 1, (3, 5))
    t[0] = [1.0, 0.0, 1.0, 0.0, 0.5]
    t[1, :2] = [0.0, 1.0]
    return x, t


def _distributions(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """log q (rows of a softmax) and p with zeros (0·ln 0 = 0)."""
    logits = rng.standard_normal((4, 5)) * 2
    logq = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    p = rng.dirichlet(np.ones(5), 4)
    p[0, [1, 3]] = 0.0
    return logq, p


def _scores(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scores (5, 4) and labels, with a hinge exactly at its kink (margin − f_y + f_j = 0) and
    rows well beyond the margin, in both signs."""
    f = rng.standard_normal((5, 4)) * 2
    y = np.array([0, 3, 1, 1, 2])
    f[0] = [1.0, 0.0, 0.5, 0.25]  # margin 1: f_y − f_1 = 1 exactly
    f[4] = [1e4, -1e4, 0.0, 3.0]
    return f, y


# ----------------------------------------------------------------------------- cases vs torch

# name → (call(functional, *tensors, reduction), arrays, which arrays are differentiated)
Call = Callable[..., Any]


def _cases() -> dict[str, tuple[Call, list[np.ndarray], tuple[int, ...]]]:
    rng = np.random.default_rng(3)
    x, t = _regression_pair(rng)
    w = rng.uniform(0.2, 2.0, x.shape)
    p, q = _probabilities(rng)
    logq, dist = _distributions(rng)
    f, y = _scores(rng)
    wc = rng.uniform(0.2, 2.0, 4)
    signs = np.where(rng.random((3, 6)) < 0.5, -1.0, 1.0)
    signs[2, :3] = [0.5, -0.25, 0.0]

    return {
        "l1_loss": (lambda F_, a, b, r: F_.l1_loss(a, b, reduction=r), [x, t], (0, 1)),
        "l1_loss weight": (
            lambda F_, a, b, c, r: F_.l1_loss(a, b, reduction=r, weight=c),
            [x[:2], t[:2], w[:2]],  # finite: a weighted mean of ∞ is nan in both
            (0, 1, 2),
        ),
        "smooth_l1_loss": (
            lambda F_, a, b, r: F_.smooth_l1_loss(a, b, reduction=r),
            [x, t],
            (0, 1),
        ),
        "smooth_l1_loss beta": (
            lambda F_, a, b, r: F_.smooth_l1_loss(a, b, reduction=r, beta=0.5),
            [x, t],
            (0, 1),
        ),
        "smooth_l1_loss beta 0": (
            lambda F_, a, b, r: F_.smooth_l1_loss(a, b, reduction=r, beta=0.0),
            [x, t],
            (0, 1),
        ),
        "huber_loss": (lambda F_, a, b, r: F_.huber_loss(a, b, reduction=r), [x, t], (0, 1)),
        "huber_loss delta": (
            lambda F_, a, b, r: F_.huber_loss(a, b, reduction=r, delta=2.0),
            [x, t],
            (0, 1),
        ),
        "huber_loss weight": (
            lambda F_, a, b, c, r: F_.huber_loss(a, b, r, 0.5, c),
            [x[:2], t[:2], w[:2]],
            (0, 1, 2),
        ),
        "binary_cross_entropy": (
            lambda F_, a, b, r: F_.binary_cross_entropy(a, b, reduction=r),
            [p, q],
            (0, 1),
        ),
        "binary_cross_entropy weight": (
            lambda F_, a, b, c, r: F_.binary_cross_entropy(a, b, c, reduction=r),
            [p, q, w[0, :5]],  # broadcast along the rows, not differentiated (torch refuses)
            (0, 1),
        ),
        "kl_div": (
            lambda F_, a, b, r: F_.kl_div(a, b, reduction=r),
            [logq, dist],
            (0,),  # the target's gradient at p = 0 is nan in torch: see the divergence test
        ),
        "kl_div target": (
            lambda F_, a, b, r: F_.kl_div(a, b, reduction=r),
            [logq[1:], dist[1:]],  # p > 0
            (0, 1),
        ),
        "kl_div log_target": (
            lambda F_, a, b, r: F_.kl_div(a, b, reduction=r, log_target=True),
            [logq, np.log(dist + 0.01)],
            (0, 1),
        ),
        "multi_margin_loss": (
            lambda F_, a, b, r: F_.multi_margin_loss(a, b, reduction=r),
            [f, y],
            (0,),
        ),
        "multi_margin_loss p2 margin weight": (
            lambda F_, a, b, c, r: F_.multi_margin_loss(a, b, 2, 0.5, c, reduction=r),
            [f, y, wc],
            (0,),
        ),
        "soft_margin_loss": (
            lambda F_, a, b, r: F_.soft_margin_loss(a, b, reduction=r),
            [x[:2] / 1e3, signs[:2]],  # |x| ≤ 10: torch overflows beyond, see below
            (0,),
        ),
    }


CASES = _cases()


# The cases whose 'mean' is a weighted mean Σ wℓ / Σ w of their elementwise losses, the weight
# third (torch's huber_loss divides Σ wℓ by the number of elements instead).
WEIGHTED_MEANS = ("l1_loss weight",)


def _run(lib_f: Any, call: Call, tensors: list[Any], reduction: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # kl_div's 'mean', in both libraries
        return call(lib_f, *tensors, reduction)


def _compare(
    name: str, arrays_: list[np.ndarray], reduction: str, rtol: float = 1e-12, seed: int = 0
) -> None:
    torch = pytest.importorskip("torch")
    call, _, grads = CASES[name]
    ours = [tg.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays_)]
    theirs = [torch.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays_)]
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        out = _run(F, call, ours, reduction)
        tout = _run(torch.nn.functional, call, theirs, reduction)
        assert str(tout.dtype) == f"torch.{out.dtype}", name
        assert out.shape == tuple(tout.shape)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=rtol, atol=1e-300)
        g = np.random.default_rng(seed).uniform(0.5, 1.5, out.shape)
        out.backward(tg.tensor(g))
    tout.backward(torch.tensor(g))
    atol = dict.fromkeys(grads, 1e-15)
    if reduction == "mean" and name in WEIGHTED_MEANS:
        # L = Σ wℓ / Σ w gives w̄ᵢ = g·(ℓᵢ − L)/Σ w: a difference, exactly 0 where every ℓᵢ is
        # equal, whose rounding noise follows ℓ/Σ w and not the result (torch's order of
        # summation gave 0 where ours gave 2e-15 for 12 equal terms)
        a, b, w = arrays_
        ell = call(F, tg.tensor(a), tg.tensor(b), tg.tensor(np.ones_like(w)), "none").data
        scale = np.abs(g).max() * (np.abs(ell).max() + np.abs(out.data).max()) / w.sum()
        atol[2] = 16 * np.finfo(np.float64).eps * scale
    for i in grads:
        got, want = ours[i].grad, theirs[i].grad
        assert got is not None and want is not None
        np.testing.assert_allclose(got.data, want.numpy(), rtol=rtol, atol=atol[i], err_msg=name)


@pytest.mark.parametrize("name", WEIGHTED_MEANS)
def test_a_weighted_mean_of_equal_losses_gives_the_weights_a_zero_gradient(name: str) -> None:
    """Every error 3, every weight 0.05: w̄ = g·(ℓ − L)/Σ w is 0 up to rounding, in both."""
    arrays_ = [np.zeros((2, 6)), np.full((2, 6), 3.0), np.full((2, 6), 0.05)]
    _compare(name, arrays_, "mean")
    w = tg.tensor(arrays_[2], requires_grad=True)
    CASES[name][0](F, tg.tensor(arrays_[0]), tg.tensor(arrays_[1]), w, "mean").backward()
    assert w.grad is not None
    np.testing.assert_allclose(w.grad.numpy(), 0.0, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_match_torch_on_edge_grids(name: str, reduction: str) -> None:
    _compare(name, CASES[name][1], reduction)


@pytest.mark.parametrize(
    ("loss", "curvature"),
    [
        (lambda x, t: F.smooth_l1_loss(x, t, reduction="sum", beta=0.5), 2.0),
        (lambda x, t: F.huber_loss(x, t, reduction="sum", delta=0.5), 1.0),
    ],
)
def test_second_derivative_inside_is_the_quadratics_even_at_d_0(
    loss: Callable[[Tensor, Tensor], Tensor], curvature: float
) -> None:
    """½d²/β's second derivative is 1/β at d = 0 too (torch); the square of |d| gave
    sign(0)² = 0 there (found by tests/test_graph_fuzz_torch.py). 0 outside, at d = ±∞ too."""
    x = tg.tensor([0.3, -0.2, np.inf, 2.0], dtype=np.float64, requires_grad=True)
    t = tg.tensor([0.3, 0.1, 0.0, 0.0], dtype=np.float64)
    (g,) = tg.autograd.grad(loss(x, t), [x], create_graph=True)
    (h,) = tg.autograd.grad(g.sum(), [x])
    assert h.tolist() == [curvature, curvature, 0.0, 0.0]


# How each case's arrays are drawn: "any" of either sign and any size (scaled by up to 1e4),
# "unit" in (0, 1] (probabilities, weights), "log" in [−6, 0) (log-probabilities), "small" in
# [−6, 6] (soft_margin's scores, where torch's ln(1 + eᶻ) is finite; its labels too); "grid"
# keeps the grid's array (class labels).
DRAWN: dict[str, tuple[str, ...]] = {
    "l1_loss": ("any", "any"),
    "l1_loss weight": ("any", "any", "unit"),
    "smooth_l1_loss": ("any", "any"),
    "smooth_l1_loss beta": ("any", "any"),
    "smooth_l1_loss beta 0": ("any", "any"),
    "huber_loss": ("any", "any"),
    "huber_loss delta": ("any", "any"),
    "huber_loss weight": ("any", "any", "unit"),
    "binary_cross_entropy": ("unit", "unit"),
    "binary_cross_entropy weight": ("unit", "unit", "unit"),
    "kl_div": ("log", "unit"),
    "kl_div target": ("log", "unit"),
    "kl_div log_target": ("log", "log"),
    "multi_margin_loss": ("any", "grid"),
    "multi_margin_loss p2 margin weight": ("any", "grid", "unit"),
    "soft_margin_loss": ("small", "small"),
}
DOMAINS = {"any": (-2.0, 2.0), "unit": (0.05, 1.0), "log": (-6.0, -0.05), "small": (-6.0, 6.0)}


def test_every_case_says_how_it_is_drawn() -> None:
    assert set(DRAWN) == set(CASES)
    assert all(len(DRAWN[name]) == len(CASES[name][1]) for name in CASES)


@pytest.mark.parametrize("name", CASES)
@settings(max_examples=min(10, settings().max_examples))  # each example calls torch too
@given(data=st.data())
def test_values_and_gradients_match_torch_on_drawn_inputs(name: str, data: st.DataObject) -> None:
    """The grids' shapes and roles, with values drawn: differences of any sign and size (up to
    1e4), probabilities in (0, 1], scores of any spread, every reduction."""
    scale = data.draw(st.sampled_from([1.0, 3.0, 1e4]))
    drawn = []
    for kind, a in zip(DRAWN[name], CASES[name][1]):
        if kind == "grid":
            drawn.append(a)
            continue
        values = data.draw(arrays(a.shape, DOMAINS[kind]))
        drawn.append(values * scale if kind == "any" else values)
    _compare(name, drawn, data.draw(st.sampled_from(REDUCTIONS)), seed=data.draw(st.integers(0, 9)))


@pytest.mark.parametrize("name", CASES)
def test_float32_stays_float32(name: str) -> None:
    torch = pytest.importorskip("torch")
    call, base, grads = CASES[name]
    finite = [
        np.nan_to_num(a, posinf=5.0, neginf=-5.0).astype(np.float32) if a.dtype.kind == "f" else a
        for a in base
    ]
    ours = [tg.tensor(a, requires_grad=i in grads) for i, a in enumerate(finite)]
    theirs = [torch.tensor(a, requires_grad=i in grads) for i, a in enumerate(finite)]
    out = _run(F, call, ours, "sum")
    tout = _run(torch.nn.functional, call, theirs, "sum")
    assert out.dtype == np.float32 and str(tout.dtype) == "torch.float32"
    np.testing.assert_allclose(out.item(), tout.item(), rtol=1e-5)
    out.backward()
    tout.backward()
    for i in grads:
        got, want = ours[i].grad, theirs[i].grad
        assert got is not None and got.dtype == np.float32 and want is not None
        np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("l1_loss", lambda f, a, b: f.l1_loss(a, b)),
        ("smooth_l1_loss", lambda f, a, b: f.smooth_l1_loss(a, b)),
        ("huber_loss", lambda f, a, b: f.huber_loss(a, b)),
        ("kl_div", lambda f, a, b: f.kl_div(a, b, reduction="sum")),
        ("soft_margin_loss", lambda f, a, b: f.soft_margin_loss(a, b)),
    ],
)
@pytest.mark.parametrize(("a", "b"), [("float32", "float64"), ("float64", "float32")])
def test_mixed_dtypes_give_torchs_result_dtype(name: str, call: Call, a: str, b: str) -> None:
    """Promotion for l1, smooth_l1 and kl_div; the input's dtype for huber and soft_margin."""
    torch = pytest.importorskip("torch")
    x, t = np.array([-0.5, -1.5]), np.array([0.25, 1.0])
    ours = call(F, tg.tensor(x.astype(a)), tg.tensor(t.astype(b)))
    theirs = call(torch.nn.functional, torch.tensor(x.astype(a)), torch.tensor(t.astype(b)))
    assert str(theirs.dtype) == f"torch.{ours.dtype}"


# ----------------------------------------------------------------------------- distances


def _distance_cases() -> dict[str, tuple[Call, list[np.ndarray]]]:
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    a[1] = 0.0  # a zero row: the norm is raised to ε, its gradient is the zero norm's
    a[2] *= 1e-10  # a norm below ε
    b[3] = a[3]  # equal rows: pairwise_distance is √d·ε
    return {
        "cosine_similarity": (lambda f, u, v: f.cosine_similarity(u, v), [a, b]),
        "cosine_similarity dim 0": (lambda f, u, v: f.cosine_similarity(u, v, 0), [a, b]),
        "cosine_similarity broadcast": (
            lambda f, u, v: f.cosine_similarity(u, v, dim=-1, eps=1e-3),
            [a[:, None, :], b[:3]],
        ),
        "cosine_similarity 1-d": (lambda f, u, v: f.cosine_similarity(u, v, 0), [a[0], b[0]]),
        "pairwise_distance": (lambda f, u, v: f.pairwise_distance(u, v), [a, b]),
        "pairwise_distance p1 keepdim": (
            lambda f, u, v: f.pairwise_distance(u, v, 1.0, keepdim=True),
            [a, b],
        ),
        "pairwise_distance p3 broadcast": (
            lambda f, u, v: f.pairwise_distance(u, v, p=3.0, eps=1e-3),
            [a, b[:1]],
        ),
        "pairwise_distance p inf": (
            lambda f, u, v: f.pairwise_distance(u, v, p=float("inf")),
            [a, b],
        ),
        "pairwise_distance 1-d": (lambda f, u, v: f.pairwise_distance(u, v), [a[0], b[0]]),
        "normalize": (lambda f, u: f.normalize(u), [a]),
        "normalize p1 dim 0": (lambda f, u: f.normalize(u, p=1.0, dim=0), [a]),
        "normalize tiny eps": (lambda f, u: f.normalize(u, eps=1e-3), [a]),
    }


DISTANCES = _distance_cases()


@pytest.mark.parametrize("name", DISTANCES)
def test_distances_match_torch(name: str) -> None:
    """Values and gradients, with torch's ε semantics: cosine_similarity's norms are raised to
    ε without being differentiated as a clamp (x̄ ≈ 1e8 for a norm below ε = 1e-8),
    normalize's with a clamp (x̄ = ḡ/ε), pairwise_distance adds ε to the difference."""
    torch = pytest.importorskip("torch")
    call, base = DISTANCES[name]
    ours = [tg.tensor(a, requires_grad=True) for a in base]
    theirs = [torch.tensor(a, requires_grad=True) for a in base]
    out, tout = call(F, *ours), call(torch.nn.functional, *theirs)
    assert out.shape == tuple(tout.shape) and str(tout.dtype) == f"torch.{out.dtype}"
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-15)
    g = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(tg.tensor(g))
    tout.backward(torch.tensor(g))
    for mine, theirs_ in zip(ours, theirs):
        assert mine.grad is not None
        np.testing.assert_allclose(mine.grad.data, theirs_.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_cosine_similarity_eps_semantics_written_out() -> None:
    """A norm below ε counts as ε in value while its rule is the norm's: for x₁ = (1e-10, 0),
    x₂ = (1, 2), x̄₁ = x₂/(ε‖x₂‖) − (x₁·x₂)/(ε²‖x₂‖)·x₁/‖x₁‖."""
    x1 = tg.tensor(np.array([[1e-10, 0.0]]), requires_grad=True)
    x2 = np.array([[1.0, 2.0]])
    cos = F.cosine_similarity(x1, tg.tensor(x2))
    cos.backward()
    eps, n2 = 1e-8, np.sqrt(5.0)
    assert cos.item() == pytest.approx(1e-10 / eps / n2, rel=1e-14)
    expected = x2 / (eps * n2) - (1e-10 / n2) / eps**2 * np.array([[1.0, 0.0]])
    assert x1.grad is not None
    np.testing.assert_allclose(x1.grad.data, expected, rtol=1e-12)
    zero = tg.tensor(np.zeros((1, 2)), requires_grad=True)
    F.cosine_similarity(zero, tg.tensor(x2)).backward()
    assert zero.grad is not None
    np.testing.assert_allclose(zero.grad.data, x2 / (eps * n2), rtol=1e-14)


def test_distances_dtypes_and_errors() -> None:
    ints = tg.tensor([[1, 2]])
    assert F.pairwise_distance(ints, ints).dtype == np.float32  # x − y + ε: the default float
    assert F.cosine_similarity(ints, tg.tensor([[1.0, 0.0]])).dtype == np.float32
    with pytest.raises(TypeError, match=r"cosine_similarity\(\): expected the common dtype"):
        F.cosine_similarity(ints, ints)
    with pytest.raises(RuntimeError, match=r"cosine_similarity\(\): eps must be non-negative"):
        F.cosine_similarity(tg.ones(2, 2), tg.ones(2, 2), eps=-1.0)
    with pytest.raises(ValueError, match=r"cosine_similarity\(\): x1 of shape \(3, 4\) and x2 .*"):
        F.cosine_similarity(tg.ones(3, 4), tg.ones(2, 4))
    with pytest.raises(ValueError, match=r"pairwise_distance\(\): x1 of shape \(3, 2\) and x2"):
        F.pairwise_distance(tg.ones(3, 2), tg.ones(2, 2))
    with pytest.raises(IndexError, match=r"normalize\(\): dim 1 is out of range .* \(2,\)"):
        F.normalize(tg.ones(2))
    with pytest.raises(TypeError, match=r"normalize\(\): argument 'input' .* int64"):
        F.normalize(tg.tensor([3, 4]), dim=0)
    assert F.normalize(tg.tensor([3.0, 4.0]), dim=0).tolist() == pytest.approx([0.6, 0.8])
    assert F.cosine_similarity(tg.tensor(2.0), tg.tensor(3.0), dim=0).item() == 1.0


# ----------------------------------------------------------------------------- gradcheck

SMOOTH_X = np.linspace(-2.9, 3.1, 12).reshape(3, 4) + 0.01
SMOOTH_T = SMOOTH_X[::-1, ::-1] * 0.7 + 0.013  # no d = 0, ±β, ±δ
PROB = np.linspace(0.1, 0.9, 12).reshape(3, 4)
LABELS = np.array([0, 3, 2])

GRADCHECKS: dict[str, tuple[Call, list[Any]]] = {
    "l1_loss": (lambda a, b: F.l1_loss(a, b), [SMOOTH_X, SMOOTH_T]),
    "l1_loss weight": (
        lambda a, b, w: F.l1_loss(a, b, weight=w, reduction="mean"),
        [SMOOTH_X, SMOOTH_T, PROB],
    ),
    "smooth_l1_loss": (lambda a, b: F.smooth_l1_loss(a, b, beta=0.8), [SMOOTH_X, SMOOTH_T]),
    "huber_loss": (lambda a, b, w: F.huber_loss(a, b, "sum", 1.3, w), [SMOOTH_X, SMOOTH_T, PROB]),
    "binary_cross_entropy": (lambda a, b: F.binary_cross_entropy(a, b), [PROB, PROB[::-1]]),
    "binary_cross_entropy weight": (
        lambda a: F.binary_cross_entropy(a, PROB[::-1], np.arange(1.0, 5.0), reduction="none"),
        [PROB],
    ),
    "kl_div": (lambda a, b: F.kl_div(a, b, reduction="batchmean"), [-PROB, PROB[::-1]]),
    "kl_div log_target": (
        lambda a, b: F.kl_div(a, b, reduction="sum", log_target=True),
        [-PROB, -PROB[::-1]],
    ),
    "multi_margin_loss": (lambda a: F.multi_margin_loss(a, LABELS, margin=0.9), [SMOOTH_X]),
    "multi_margin_loss p2 weight": (
        lambda a: F.multi_margin_loss(a, LABELS, 2, 1.5, np.arange(1.0, 5.0), reduction="none"),
        [SMOOTH_X],
    ),
    "soft_margin_loss": (lambda a: F.soft_margin_loss(a, np.sign(SMOOTH_T)), [SMOOTH_X]),
    "cosine_similarity": (lambda a, b: F.cosine_similarity(a, b), [SMOOTH_X, SMOOTH_T]),
    "pairwise_distance": (lambda a, b: F.pairwise_distance(a, b, 3.0), [SMOOTH_X, SMOOTH_T]),
    "normalize": (lambda a: F.normalize(a, dim=0), [SMOOTH_X]),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck_and_gradgradcheck_float64(name: str) -> None:
    fn, inputs = GRADCHECKS[name]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs, atol=1e-4)


def test_binary_cross_entropy_at_saturation_is_torchs() -> None:
    """Each log is floored at −100 and the rule divides by max(x(1 − x), 1e-12) (torch's float
    constant 9.99999996e-13): x = 0 with t = 1 costs 100 and gets x̄ = −1/1e-12, not −∞."""
    x = tg.tensor(np.array([0.0, 1.0, 0.0, 1.0, 1e-50]), requires_grad=True)
    t = tg.tensor(np.array([1.0, 0.0, 0.0, 1.0, 1.0]), requires_grad=True)
    loss = F.binary_cross_entropy(x, t, reduction="none")
    assert loss.tolist() == [100.0, 100.0, 0.0, 0.0, 100.0]
    loss.sum().backward()
    assert x.grad is not None and t.grad is not None
    eps = float(np.float32(1e-12))
    np.testing.assert_allclose(x.grad.data, [-1 / eps, 1 / eps, 0.0, 0.0, -1 / eps], rtol=1e-15)
    assert t.grad.tolist()[:2] == [inf, -inf]  # −logit(x), unclamped as torch's


def test_binary_cross_entropy_second_derivative_is_its_rules() -> None:
    """Inside (0, 1) the second derivative is (x² − 2xt + t)/(x(1 − x))², exactly; torch's own
    double backward uses (x + ε)²(1 − x + ε)² instead (1e-11 apart at x = 0.3)."""
    x = tg.tensor(np.array([0.3, 0.8]), requires_grad=True)
    t = np.array([0.2, 0.9])
    (g,) = tg.autograd.grad(F.binary_cross_entropy(x, t, reduction="sum"), x, create_graph=True)
    g.sum().backward()
    a = x.data
    assert x.grad is not None
    np.testing.assert_allclose(
        x.grad.data, (a * a - 2 * a * t + t) / (a * (1 - a)) ** 2, rtol=1e-14
    )


# ----------------------------------------------------------------------------- the hinge loss


@given(data=st.data())
def test_multi_margin_loss_is_the_multiclass_hinge_loss(data: st.DataObject) -> None:
    """ℓ = (1/C) Σ_{j≠y} w_y max(0, m − f_y + f_j)ᵖ and its gradient, written out in numpy."""
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    f = data.draw(arrays((n, c), (-3.0, 3.0)))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    p, m = data.draw(st.sampled_from([1, 2])), data.draw(st.floats(0.0, 2.0))
    w = data.draw(arrays((c,), (0.1, 2.0)))
    z = m - f[np.arange(n), y][:, None] + f
    z[np.arange(n), y] = 0.0
    h = np.maximum(z, 0.0)
    rows = w[y] * (h**p).sum(1) / c
    dz = w[y][:, None] * (p * h ** (p - 1) if p == 2 else (z > 0)) / c
    dz[np.arange(n), y] = 0.0
    grad = dz.copy()
    grad[np.arange(n), y] = -dz.sum(1)
    x = tg.tensor(f, requires_grad=True)
    loss = F.multi_margin_loss(x, y, p, m, w, reduction="sum")
    np.testing.assert_allclose(loss.item(), rows.sum(), rtol=1e-12, atol=1e-14)
    loss.backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data, grad, rtol=1e-12, atol=1e-14)


def test_multi_margin_loss_shapes_and_empty_batch() -> None:
    """torch's shapes: (C,) with a label () or (1,), a 0-d score (C = 1, loss 0); 'none' has the
    label's shape. An empty batch is nan for 'mean' and 0 for 'sum' (torch 2.13 returns an
    uninitialized number there)."""
    scores = tg.tensor([0.1, 0.5, 0.2])
    assert F.multi_margin_loss(scores, 1, reduction="none").shape == ()
    assert F.multi_margin_loss(scores, [1], reduction="none").shape == (1,)
    assert F.multi_margin_loss(scores, 1).item() == pytest.approx((0.6 + 0.7) / 3)
    assert F.multi_margin_loss(tg.tensor(0.3), 0).item() == 0.0
    assert F.multi_margin_loss(tg.zeros(1, 3), 1, reduction="none").shape == ()
    empty = F.multi_margin_loss(tg.zeros(0, 3), np.zeros(0, dtype=np.int64))
    assert np.isnan(empty.item())
    none = np.zeros(0, dtype=np.int64)
    assert F.multi_margin_loss(tg.zeros(0, 3), none, reduction="sum").item() == 0.0
    x = tg.tensor([[inf, 0.0, 0.0]], requires_grad=True)
    loss = F.multi_margin_loss(x, [0])  # the label's own score is left out: no ∞ − ∞
    loss.backward()
    assert loss.item() == 0.0 and x.grad is not None and x.grad.tolist() == [[0.0, 0.0, 0.0]]


# ----------------------------------------------------------------------------- divergences kept


def test_soft_margin_loss_is_finite_where_torch_overflows() -> None:
    """torch evaluates ln(1 + e^{−yx}) directly: ∞ with a nan gradient at yx = −1e4."""
    x = tg.tensor(np.array([-1e4, 1e4, 0.0]), requires_grad=True)
    loss = F.soft_margin_loss(x, np.array([1.0, -1.0, 1.0]), reduction="none")
    loss.sum().backward()
    np.testing.assert_allclose(loss.data, [1e4, 1e4, np.log(2.0)])
    assert x.grad is not None and x.grad.tolist() == [-1.0, 1.0, -0.5]


def test_kl_div_target_gradient_at_zero() -> None:
    """torch's xlogy rule gives nan for ∂ℓ/∂p at p = 0 (0/0); ours is −x there, the derivative
    of −p·x, since the 0·ln 0 term is a constant 0 (its own limit −∞ is not taken)."""
    x = tg.tensor(np.array([-1.0, -2.0]))
    p = tg.tensor(np.array([0.0, 0.5]), requires_grad=True)
    F.kl_div(x, p, reduction="sum").backward()
    assert p.grad is not None
    np.testing.assert_allclose(p.grad.data, [1.0, np.log(0.5) + 1 + 2.0])


def test_kl_div_values_at_the_ends_follow_torch() -> None:
    with np.errstate(invalid="ignore"):
        loss = F.kl_div(
            tg.tensor(np.array([-1.0, -1.0, -inf, -1.0])),
            tg.tensor(np.array([0.0, -0.1, 0.0, inf])),
            reduction="none",
        )
    assert loss.data[0] == 0.0 and np.isnan(loss.data[1]) and np.isnan(loss.data[2])
    assert loss.data[3] == inf


def test_kl_div_mean_warns_as_torch_and_batchmean_divides_by_the_batch() -> None:
    x, p = tg.tensor(np.log(np.full((2, 4), 0.25))), tg.tensor(np.full((2, 4), 0.25))
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F.kl_div(x, p)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = F.kl_div(x - 1.0, p, reduction="sum").item()
        assert F.kl_div(x - 1.0, p, reduction="batchmean").item() == pytest.approx(total / 2)
        zero_d = F.kl_div(tg.tensor(-0.5), tg.tensor(0.3), reduction="batchmean")
        assert zero_d.item() == F.kl_div(tg.tensor(-0.5), tg.tensor(0.3), reduction="sum").item()


# ----------------------------------------------------------------------------- errors

X, T = tg.tensor([[0.2, 0.4, 0.6]]), tg.tensor([[0.1, 0.5, 0.9]])

ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (
        lambda: F.l1_loss(X, T.T),
        ValueError,
        r"l1_loss\(\): input shape \(1, 3\) and target shape \(3, 1\)",
    ),
    (lambda: F.smooth_l1_loss(X, [1.0]), ValueError, r"smooth_l1_loss\(\): input shape \(1, 3\)"),
    (
        lambda: F.huber_loss(X, T[0]),
        ValueError,
        r"huber_loss\(\): input shape \(1, 3\) and target shape \(3,\)",
    ),
    (
        lambda: F.binary_cross_entropy(X, T.T),
        ValueError,
        r"binary_cross_entropy\(\): input shape \(1, 3\) and target shape \(3, 1\)",
    ),
    (
        lambda: F.kl_div(X, T[0], reduction="sum"),
        ValueError,
        r"kl_div\(\): input shape \(1, 3\) and target",
    ),
    (lambda: F.soft_margin_loss(X, T.T), ValueError, r"soft_margin_loss\(\): input shape \(1, 3\)"),
    (lambda: F.l1_loss(X, T, reduction="avg"), ValueError, r"l1_loss\(\): 'avg' is not a valid"),
    (
        lambda: F.l1_loss(X, T, reduction="batchmean"),
        ValueError,
        r"l1_loss\(\): 'batchmean' is not",
    ),
    (
        lambda: F.kl_div(X, T, reduction="avg"),
        ValueError,
        r"kl_div\(\): 'avg' is not a valid value for reduction; expected one of "
        r"\('mean', 'batchmean'",
    ),
    (lambda: F.binary_cross_entropy(X, T, reduction=None), TypeError, r"reduction must be one of"),  # type: ignore[arg-type]
    (
        lambda: F.multi_margin_loss(X, [3]),
        IndexError,
        r"multi_margin_loss\(\): target 3 is out of range for 3 classes",
    ),
    (
        lambda: F.multi_margin_loss(X, [-1]),
        IndexError,
        r"multi_margin_loss\(\): target -1 is out of range",
    ),
    (
        lambda: F.multi_margin_loss(X, [0.0]),
        TypeError,
        r"multi_margin_loss\(\): target must hold integer",
    ),
    (
        lambda: F.multi_margin_loss(X, [0, 1]),
        ValueError,
        r"multi_margin_loss\(\): input of shape \(1, 3\) expects a target of 1 label, "
        r"shape \(1,\) or \(\); got \(2,\)",
    ),
    (
        lambda: F.multi_margin_loss(tg.zeros(2, 3), [[0], [1]]),
        ValueError,
        r"expects a target of 2 labels, shape \(2,\); got \(2, 1\)",
    ),
    (
        lambda: F.multi_margin_loss(tg.zeros(2, 3, 2), [0, 1]),
        ValueError,
        r"non-empty vector \(C,\) or matrix \(N, C\).*\(2, 3, 2\)",
    ),
    (lambda: F.multi_margin_loss(tg.zeros(2, 0), [0, 1]), ValueError, r"non-empty .* \(2, 0\)"),
    (lambda: F.multi_margin_loss(X, [0], p=3), ValueError, r"only p == 1 and p == 2 supported"),
    (
        lambda: F.multi_margin_loss(X, [0], margin=True),
        TypeError,
        r"multi_margin_loss\(\): margin must be a float, got True",
    ),
    (
        lambda: F.multi_margin_loss(X, [0], weight=tg.ones(1, 3)),
        ValueError,
        r"weight must be one-dimensional",
    ),
    (
        lambda: F.multi_margin_loss(X, [0], weight=tg.ones(2)),
        ValueError,
        r"one weight per class, shape \(3,\)",
    ),
    (
        lambda: F.multi_margin_loss(X, [0], weight=tg.ones(3, requires_grad=True)),
        RuntimeError,
        r"weight requires grad",
    ),
    (
        lambda: F.multi_margin_loss(tg.tensor([[1, 2]]), [0]),
        TypeError,
        r"multi_margin_loss\(\): argument 'input' .* int64",
    ),
    (
        lambda: F.binary_cross_entropy(tg.tensor([1.5]), tg.tensor([1.0])),
        RuntimeError,
        r"binary_cross_entropy\(\): all elements of input should be between 0 and 1; "
        r"got 1\.5 at index \(0,\)",
    ),
    (
        lambda: F.binary_cross_entropy(tg.tensor([0.5, -0.1]), tg.tensor([1.0, 1.0])),
        RuntimeError,
        r"input should be between 0 and 1; got -0\.1",
    ),
    (
        lambda: F.binary_cross_entropy(tg.tensor([float("nan")]), tg.tensor([1.0])),
        RuntimeError,
        r"input should be between 0 and 1; got nan",
    ),
    (
        lambda: F.binary_cross_entropy(tg.tensor([0.5]), tg.tensor([2.0])),
        RuntimeError,
        r"all elements of target should be between 0 and 1",
    ),
    (
        lambda: F.binary_cross_entropy(X, T.double()),
        RuntimeError,
        r"target must have the input's dtype float32, got float64",
    ),
    (lambda: F.binary_cross_entropy(X, tg.tensor([[1, 0, 1]])), RuntimeError, r"got int64"),
    (
        lambda: F.binary_cross_entropy(X, T, tg.ones(2)),
        ValueError,
        r"weight of shape \(2,\) does not broadcast to the input's shape \(1, 3\)",
    ),
    (
        lambda: F.binary_cross_entropy(X, T, tg.ones(3, requires_grad=True)),
        RuntimeError,
        r"binary_cross_entropy\(\): weight requires grad",
    ),
    (
        lambda: F.kl_div(X, tg.tensor([[1, 0, 1]])),
        TypeError,
        r"kl_div\(\): target must have a floating point dtype, got int64",
    ),
    (lambda: F.kl_div(tg.tensor([[1, 0, 1]]), T), TypeError, r"kl_div\(\): argument 'input'"),
    (
        lambda: F.smooth_l1_loss(X, T, beta=-1.0),
        RuntimeError,
        r"smooth_l1_loss\(\): does not support negative values for beta",
    ),
    (
        lambda: F.huber_loss(X, T, delta=0.0),
        RuntimeError,
        r"huber_loss\(\): does not support non-positive values for delta",
    ),
    (
        lambda: F.l1_loss(X, T, weight=tg.ones(3)),
        ValueError,
        r"l1_loss\(\): weight shape \(3,\) and input shape \(1, 3\) must be equal",
    ),
    (
        lambda: F.huber_loss(X, T, weight="sum"),
        TypeError,
        r"huber_loss\(\): weight must hold real numbers",
    ),
    (
        lambda: F.l1_loss(tg.tensor([1, 2]), tg.tensor([1, 2])),
        TypeError,
        r"l1_loss\(\): argument 'input' .* int64",
    ),
    (
        lambda: F.soft_margin_loss(X, T.detach().requires_grad_()),
        RuntimeError,
        r"soft_margin_loss\(\): the loss is not differentiable with respect to target",
    ),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_name_the_op_and_the_shapes(index: int) -> None:
    call, kind, message = ERRORS[index]
    with pytest.raises(kind, match=message):
        call()


def test_error_types_match_torchs() -> None:
    """The same bad calls raise the same exception class in torch (our shape errors are
    OpError, a ValueError and a RuntimeError, so either of torch's types is matched). One
    exception kept: a label out of range is an IndexError, as cross_entropy's here and torch's,
    where torch's multi_margin_loss raises a RuntimeError."""
    torch = pytest.importorskip("torch")
    tf, tx, tt = (
        torch.nn.functional,
        torch.tensor([[0.2, 0.4, 0.6]]),
        torch.tensor([[0.1, 0.5, 0.9]]),
    )
    pairs: list[tuple[Callable[[], Any], Callable[[], Any]]] = [
        (lambda: F.binary_cross_entropy(X, T.T), lambda: tf.binary_cross_entropy(tx, tt.T)),
        (lambda: F.binary_cross_entropy(X * 3, T), lambda: tf.binary_cross_entropy(tx * 3, tt)),
        (
            lambda: F.binary_cross_entropy(X, T.double()),
            lambda: tf.binary_cross_entropy(tx, tt.double()),
        ),
        (
            lambda: F.multi_margin_loss(X, [0], p=3),
            lambda: tf.multi_margin_loss(tx, torch.tensor([0]), p=3),
        ),
        (
            lambda: F.multi_margin_loss(X, [0], weight=tg.ones(2)),
            lambda: tf.multi_margin_loss(tx, torch.tensor([0]), weight=torch.ones(2)),
        ),
        (lambda: F.smooth_l1_loss(X, T, beta=-1.0), lambda: tf.smooth_l1_loss(tx, tt, beta=-1.0)),
        (lambda: F.huber_loss(X, T, delta=0.0), lambda: tf.huber_loss(tx, tt, delta=0.0)),
        (lambda: F.l1_loss(X, T, reduction="avg"), lambda: tf.l1_loss(tx, tt, reduction="avg")),
        (
            lambda: F.l1_loss(X, T, weight=tg.ones(3)),
            lambda: tf.l1_loss(tx, tt, weight=torch.ones(3)),
        ),
        (
            lambda: F.cosine_similarity(X, T, eps=-1.0),
            lambda: tf.cosine_similarity(tx, tt, eps=-1.0),
        ),
    ]
    for ours, theirs in pairs:
        with pytest.raises(Exception) as mine:
            ours()
        with pytest.raises(Exception) as other:
            theirs()
        assert isinstance(mine.value, type(other.value)), (mine.value, other.value)


# ----------------------------------------------------------------------------- modules

LOSS_MODULES: list[tuple[nn.Module, Callable[[Tensor, Any], Tensor], Any, str]] = [
    (nn.L1Loss(), lambda x, t: F.l1_loss(x, t), T, "L1Loss()"),
    (nn.L1Loss(reduction="sum"), lambda x, t: F.l1_loss(x, t, reduction="sum"), T, "L1Loss()"),
    (nn.SmoothL1Loss(beta=0.5), lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), T, "SmoothL1Loss()"),
    (nn.HuberLoss("none", 0.3), lambda x, t: F.huber_loss(x, t, "none", 0.3), T, "HuberLoss()"),
    (
        nn.BCELoss(tg.tensor([1.0, 2.0, 3.0])),
        lambda x, t: F.binary_cross_entropy(x, t, tg.tensor([1.0, 2.0, 3.0])),
        T,
        "BCELoss()",
    ),
    (
        nn.KLDivLoss(reduction="batchmean", log_target=True),
        lambda x, t: F.kl_div(x, t, reduction="batchmean", log_target=True),
        T,
        "KLDivLoss()",
    ),
    (
        nn.MultiMarginLoss(2, 0.5, [1.0, 2.0, 3.0]),
        lambda x, t: F.multi_margin_loss(x, t, 2, 0.5, [1.0, 2.0, 3.0]),
        [2],
        "MultiMarginLoss()",
    ),
    (
        nn.SoftMarginLoss(reduction="sum"),
        lambda x, t: F.soft_margin_loss(x, t, reduction="sum"),
        T,
        "SoftMarginLoss()",
    ),
]


@pytest.mark.parametrize("index", range(len(LOSS_MODULES)))
def test_loss_modules_call_their_function_with_torchs_repr(index: int) -> None:
    module, fn, target, text = LOSS_MODULES[index]
    np.testing.assert_array_equal(module(X, target).data, fn(X, target).data)
    assert repr(module) == text


def test_loss_module_weights_are_buffers_and_options_are_checked_early() -> None:
    assert list(nn.BCELoss(tg.ones(3)).state_dict()) == ["weight"]
    assert list(nn.MultiMarginLoss(weight=[1.0, 2.0]).state_dict()) == ["weight"]
    assert list(nn.L1Loss().state_dict()) == [] and nn.KLDivLoss().log_target is False
    assert (nn.SmoothL1Loss().beta, nn.HuberLoss().delta) == (1.0, 1.0)
    assert (nn.MultiMarginLoss().p, nn.MultiMarginLoss().margin) == (1, 1.0)
    for build, kind, message in [
        (lambda: nn.L1Loss(reduction="batchmean"), ValueError, r"L1Loss\(\): reduction"),
        (lambda: nn.MultiMarginLoss(p=3), ValueError, r"only p == 1 and p == 2"),
        (lambda: nn.MultiMarginLoss(weight=[[1.0]]), ValueError, r"one-dimensional"),
        (lambda: nn.SmoothL1Loss(beta=-0.5), RuntimeError, r"SmoothL1Loss\(\): does not support"),
        (lambda: nn.HuberLoss(delta=0), RuntimeError, r"HuberLoss\(\): does not support non-pos"),
    ]:
        with pytest.raises(kind, match=message):
            build()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.KLDivLoss(reduction="batchmean")(X.log(), T)  # no warning but for 'mean'
    with pytest.warns(UserWarning, match="batchmean"):
        nn.KLDivLoss()(X.log(), T)


def test_loss_modules_have_torchs_state_dict_keys() -> None:
    torch = pytest.importorskip("torch")
    ours = [nn.BCELoss(tg.ones(3)), nn.MultiMarginLoss(weight=tg.ones(3)), nn.HuberLoss()]
    theirs = [
        torch.nn.BCELoss(torch.ones(3)),
        torch.nn.MultiMarginLoss(weight=torch.ones(3)),
        torch.nn.HuberLoss(),
    ]
    for mine, other in zip(ours, theirs):
        assert list(mine.state_dict()) == list(other.state_dict())
        assert repr(mine) == repr(other)
