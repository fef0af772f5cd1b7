"""Regressions found by the graph fuzzer's forward mode (``TG_GRAPH_FORWARD=1`` of
tests/test_graph_fuzz_torch.py): each a tangent checked against central differences of the
program along the tangent, (f(x + hv) − f(x − hv)) / 2h, and against torch's ``forward_ad``
where torch is installed; and, where the fix changed it, the gradient too.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

H = 1e-6
TOL = 1e-10  # against torch, float64
FD_TOL = 1e-7  # central differences: O(h²) truncation and ~1e-10 rounding

Program = Callable[[Any, Any], Any]

# torch's make_dual loads its jvp decompositions through torch.jit, which warns
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


def _dual(lib: str, program: Program, x: np.ndarray, v: np.ndarray) -> tuple[Any, Any]:
    """program(m, x) in a dual level of ``lib``, x carrying the tangent v: (primal, tangent)."""
    m = importlib.import_module(lib)
    fw = m.autograd.forward_ad
    with fw.dual_level():
        leaf = m.tensor(x, requires_grad=True)
        primal, tangent = fw.unpack_dual(program(m, fw.make_dual(leaf, m.tensor(v))))
        assert tangent is not None
        return primal.detach().numpy().copy(), tangent.detach().numpy().copy()


def _central(program: Program, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    def at(step: float) -> np.ndarray:
        with tg.no_grad():
            return program(tg, tg.tensor(x + step * v)).numpy()

    return (at(H) - at(-H)) / (2 * H)


def _check(program: Program, x: np.ndarray, v: np.ndarray, *, torch_too: bool = True) -> np.ndarray:
    """The tangent here equals the central difference and torch's; returns it."""
    primal, tangent = _dual("tinygrad_ed", program, x, v)
    np.testing.assert_allclose(tangent, _central(program, x, v), rtol=FD_TOL, atol=FD_TOL)
    if not torch_too:
        return tangent
    pytest.importorskip("torch")
    their_primal, their_tangent = _dual("torch", program, x, v)
    np.testing.assert_allclose(primal, their_primal, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(tangent, their_tangent, rtol=TOL, atol=TOL)
    return tangent


@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal_keeps_the_tangent_and_gradient_off_the_diagonal(wrap: bool) -> None:
    """y = 2x, then y.fill_diagonal_(c) of a tall (5, 2) matrix: ẏ = 2ẋ off the (wrapped)
    diagonal, 0 on it, and x̄ = 2ḡ off it. Was zero everywhere, in both modes: the fill was
    computed as a new array without a graph (default seed 158, an in-place fill under no_grad,
    whose tangent torch keeps)."""
    rng = np.random.default_rng(0)
    x, v, w = rng.normal(size=(3, 5, 2))
    diagonal = np.zeros((5, 2), dtype=bool)
    np.fill_diagonal(diagonal, True, wrap=wrap)

    def program(m: Any, t: Any) -> Any:
        y = t * 2
        return y.fill_diagonal_(-1.5, wrap=wrap)

    tangent = _check(program, x, v)
    np.testing.assert_allclose(tangent, np.where(diagonal, 0.0, 2 * v), rtol=1e-15)
    leaf = tg.tensor(x, requires_grad=True)
    (program(tg, leaf) * tg.tensor(w)).sum().backward()
    assert leaf.grad is not None
    np.testing.assert_allclose(leaf.grad.numpy(), np.where(diagonal, 0.0, 2 * w), rtol=1e-15)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(x, requires_grad=True)
    (program(torch, theirs) * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), theirs.grad.numpy(), rtol=1e-15)


def test_embedding_padding_row_moves_with_the_weight_though_it_gets_no_gradient() -> None:
    """out = F.embedding(idx, W, padding_idx=1): out[i] = W[idx[i]], so ȯ[i] = Ẇ[idx[i]], the
    padding row's too; W̄'s padding row stays 0 by convention. The tangent was derived from the
    rule, which drops that row: 0 there (default seed 97, through the Embedding module)."""
    rng = np.random.default_rng(1)
    w, v = rng.normal(size=(2, 3, 4))
    idx = np.array([1, 2, 1, 0])

    def program(m: Any, t: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        return F.embedding(m.tensor(idx), t, padding_idx=1)

    tangent = _check(program, w, v)
    np.testing.assert_allclose(tangent, v[idx], rtol=1e-15)
    leaf = tg.tensor(w, requires_grad=True)
    program(tg, leaf).sum().backward()
    assert leaf.grad is not None
    np.testing.assert_array_equal(leaf.grad.numpy(), [[1.0] * 4, [0.0] * 4, [1.0] * 4])


def test_cosine_similarity_norm_clamped_to_eps_has_the_clamps_tangent() -> None:
    """cosine_similarity(x, x[..., [0, 2, 0]], dim=−3, eps=0.1) of a (1, 1, 3) x: each norm
    is |xᵢ|, below ε here, so out = xᵢ·x_π(i)/ε², whose tangent is (ẋᵢ·x_π(i) + xᵢ·ẋ_π(i))/ε².
    Torch clamps the norms under no_grad, which its gradient ignores (as the rule here) and
    its forward AD does not: the tangent derived from the rule was half of that for the
    middle entry, where (i, π(i)) = (1, 2) (default seed 503)."""
    x, v = np.array([[[0.03, -0.05, 0.02]]]), np.array([[[0.5, 0.7, -0.3]]])

    def program(m: Any, t: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        return F.cosine_similarity(t, t[..., [0, 2, 0]], dim=-3, eps=0.1)

    tangent = _check(program, x, v)
    xp, vp = x[..., [0, 2, 0]], v[..., [0, 2, 0]]
    np.testing.assert_allclose(tangent, ((v * xp + x * vp) / 0.01)[0], rtol=1e-12)


def test_gaussian_nll_loss_variance_clamped_to_eps_has_the_clamps_tangent() -> None:
    """gaussian_nll_loss(μ, t, σ², eps=0.5) with σ² = 0.1 + x² (x a (4,) dual): where σ² < ε
    the loss reads ε, constant, so its tangent there is only μ's part (the same clamp in value
    only as cosine_similarity's)."""
    x, v = np.array([0.3, 0.9, -0.2, 1.1]), np.array([0.4, -0.6, 0.8, 0.2])
    mu, target = np.array([0.5, -0.1, 0.2, 0.7]), np.array([0.1, 0.3, -0.4, 0.6])

    def program(m: Any, t: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        return F.gaussian_nll_loss(
            m.tensor(mu) + t, m.tensor(target), 0.1 + t * t, eps=0.5, reduction="none"
        )

    tangent = _check(program, x, v)
    var = np.maximum(0.1 + x * x, 0.5)
    moving = np.where(0.1 + x * x < 0.5, 0.0, 2 * x * v)
    d = mu + x - target
    expected = 0.5 * (moving / var + 2 * d * v / var - d * d * moving / var**2)
    np.testing.assert_allclose(tangent, expected, rtol=1e-12)


def test_scatter_with_repeated_indices_places_the_last_tangent() -> None:
    """x.scatter(0, [1, 1, 3], s): the last of repeated places wins, so ẏ[1] = ṡ[1], not
    ṡ[0] + ṡ[1], which the tangent derived from the rule (ḡ to every repeat, torch's
    ``g.gather``) gave; the same for ``max_unpool1d`` of repeated indices, a scatter (default
    seed 222). The gradient keeps torch's convention."""
    rng = np.random.default_rng(2)
    x, v = rng.normal(size=(2, 7))

    def program(m: Any, t: Any) -> Any:
        return t[3:].scatter(0, m.tensor([1, 1, 3]), t[:3])

    tangent = _check(program, x, v)
    np.testing.assert_allclose(tangent, [v[3], v[1], v[5], v[2]], rtol=1e-15)
    leaf = tg.tensor(x, requires_grad=True)
    program(tg, leaf).sum().backward()
    assert leaf.grad is not None
    np.testing.assert_array_equal(leaf.grad.numpy(), [1, 1, 1, 1, 0, 1, 0])

    def unpool(m: Any, t: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        idx = m.tensor([[[0, 2, 2, 1]]])  # (a max pool's of overlapping windows)
        return F.max_unpool1d(t[:4].reshape(1, 1, 4), idx, kernel_size=2, stride=1, padding=1)

    # (not against torch: which repeat its max_unpool keeps is unspecified, the first here)
    tangent = _check(unpool, x, v, torch_too=False)
    np.testing.assert_allclose(tangent.ravel(), [v[0], v[3], v[2]], rtol=1e-15)


@pytest.mark.parametrize("mode", [None, "floor", "trunc"])
def test_div_in_place_of_a_value_that_requires_grad_writes_its_tangent(mode: str | None) -> None:
    """y = 2·asin(x); y.div_(0.7679, rounding_mode=mode): ẏ ← ẏ/0.7679 for a true division, 0
    for a rounding one (piecewise constant). In grad mode div_ records through its own path,
    which the forward level did not follow: the tangent stayed 2·ẋ/√(1 − x²) (default forward
    seeds 10235 and 10811, through s30's divide_ alias). Central differences skip the floor's
    jumps: no x here is near one."""
    x, v = np.array([0.3, -0.2, 0.5]), np.array([1.0, 2.0, 3.0])

    def program(m: Any, t: Any) -> Any:
        y = t.asin() * 2
        y.div_(0.7679, rounding_mode=mode)
        return y

    tangent = _check(program, x, v)
    expected = 2 * v / np.sqrt(1 - x**2) / 0.7679 if mode is None else np.zeros(3)
    np.testing.assert_allclose(tangent, expected, rtol=1e-12, atol=0)


def test_householder_product_of_no_reflectors_has_a_zero_tangent() -> None:
    """linalg.householder_product(A, τ) with an empty τ is the identity's first n columns,
    whatever A: its tangent is 0 (torch's too). The internal Function that makes it had no
    jvp, so forward mode refused it (s30 focus forward seeds 208, 317, 473: torch.orgqr)."""
    a, v = np.array([[0.5, 0.2], [0.3, -0.4], [0.1, 0.7]]), np.ones((3, 2))

    def program(m: Any, t: Any) -> Any:
        return m.linalg.householder_product(t, m.zeros(0, dtype=m.float64))

    tangent = _check(program, a, v)
    np.testing.assert_array_equal(tangent, np.zeros((3, 2)))


@pytest.mark.parametrize("loss", ["bce", "bce_logits weight", "bce_logits pos_weight"])
def test_a_loss_weights_tangent_is_dropped_as_torch_does(loss: str) -> None:
    """``binary_cross_entropy(x, t, weight=w)`` (and ``_with_logits``' weight and pos_weight)
    with w a dual: torch declares w not differentiable (a w that requires grad is refused, here
    too) and its forward formula reads w's primal only, so a tangent of w alone gives the loss
    none; x's tangent is that of ℓ(x) at the fixed w. The tangent here was w's too (s27 focus
    forward seed 6696: −0.355 against torch's None)."""
    rng = np.random.default_rng(3)
    x, t = rng.uniform(0.1, 0.9, size=(2, 4))
    w, v = rng.uniform(0.5, 2.0, size=(2, 4))

    def program(m: Any, x_: Any, w_: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        if loss == "bce":
            return F.binary_cross_entropy(x_, m.tensor(t), weight=w_, reduction="sum")
        name = loss.split()[1]
        return F.binary_cross_entropy_with_logits(x_, m.tensor(t), reduction="sum", **{name: w_})

    libs = ["tinygrad_ed"] + (["torch"] if importlib.util.find_spec("torch") else [])
    for lib in libs:
        m = importlib.import_module(lib)
        fw = m.autograd.forward_ad
        with fw.dual_level():
            out = program(m, m.tensor(x), fw.make_dual(m.tensor(w), m.tensor(v)))
            assert fw.unpack_dual(out).tangent is None, lib
    # x's tangent: central differences of ℓ at the fixed w, and torch's
    _check(lambda m, x_: program(m, x_, m.tensor(w)), x, v)


def test_soft_target_cross_entropy_differentiates_its_weight() -> None:
    """cross_entropy(f, t, weight=w) with class probabilities t is composed in torch, so w is
    differentiable there: ℓ = −(1/N)·Σᵢ Σⱼ wⱼ tᵢⱼ log pᵢⱼ ('mean' over N rows), w̄ⱼ =
    −(1/N)·Σᵢ tᵢⱼ log pᵢⱼ, and a dual w moves ℓ by that along ẇ. A w that requires grad was
    refused here ("not differentiable with respect to it (as in torch)"), and dropping the
    tangent of the class-index losses' weights (s27 focus forward seed 6696) must leave it."""
    rng = np.random.default_rng(4)
    f, t = rng.normal(size=(3, 4)), rng.dirichlet(np.ones(4), size=3)
    w, v = rng.uniform(0.5, 2.0, size=(2, 4))
    logp = f - np.log(np.exp(f).sum(1, keepdims=True))
    expected = -(t * logp).sum(0) / 3

    def program(m: Any, w_: Any) -> Any:
        F = m.functional if m is tg else m.nn.functional
        return F.cross_entropy(m.tensor(f), m.tensor(t), weight=w_)

    leaf = tg.tensor(w, requires_grad=True)
    program(tg, leaf).backward()
    assert leaf.grad is not None
    np.testing.assert_allclose(leaf.grad.numpy(), expected, rtol=1e-12)
    tangent = _check(program, w, v)
    np.testing.assert_allclose(tangent, expected @ v, rtol=1e-12)
    torch = pytest.importorskip("torch")
    theirs = torch.tensor(w, requires_grad=True)
    program(torch, theirs).backward()
    np.testing.assert_allclose(leaf.grad.numpy(), theirs.grad.numpy(), rtol=1e-12)
