"""torch's embedding, ranking, multi-label and likelihood losses, the triplet losses, pdist and
the distance modules: cosine_embedding, margin_ranking, hinge_embedding, multilabel_margin,
multilabel_soft_margin, poisson_nll, gaussian_nll, triplet_margin(_with_distance) and pdist.

Each is checked against torch 2.13 (skipped without torch) on hypothesis-drawn shapes (batched
and unbatched, broadcasting where torch broadcasts), options and reductions: values, dtypes and
the gradient of every input torch differentiates; on grids that hold the kinks, clamped
variances, repeated labels and ties; then gradcheck and gradgradcheck in float64, the
multi-label hinge loss written out in numpy, bad input (torch's exception kind and a message
naming the op and the shapes), the modules, and the divergences from torch kept.
"""

from __future__ import annotations

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
from tinygrad_ed.testing import arrays

inf = float("inf")
REDUCTIONS = ["mean", "sum", "none"]
Call = Callable[..., Any]
# A case: call(functional, *tensors, reduction), its arrays, the indices differentiated.
Case = tuple[Call, list[np.ndarray], tuple[int, ...]]


def _compare(case: Case, reduction: str, seed: int = 0, rtol: float = 1e-10) -> None:
    """Values, dtype, shape and every differentiated input's gradient, against torch."""
    torch = pytest.importorskip("torch")
    call, arrays_, grads = case
    ours = [tg.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays_)]
    theirs = [torch.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays_)]
    out = call(F, *ours, reduction)
    tout = call(torch.nn.functional, *theirs, reduction)
    assert str(tout.dtype) == f"torch.{out.dtype}"
    assert out.shape == tuple(tout.shape)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=rtol, atol=1e-12)
    g = np.random.default_rng(seed).uniform(0.5, 1.5, out.shape)
    out.backward(tg.tensor(g))
    tout.backward(torch.tensor(g))
    for i in grads:
        got, want = ours[i].grad, theirs[i].grad
        assert got is not None and want is not None, i
        # atol scaled by the largest entry: rounding in a gradient of 1e7 leaves 1e-11 at a 0,
        # and terms of 1e5 that cancel (a cosine of a short vector) leave 1e-11 too
        scale = float(np.nanmax(np.abs(want.numpy()), initial=1.0))
        np.testing.assert_allclose(
            got.data, want.numpy(), rtol=rtol, atol=1e-10 + 1e-12 * scale, err_msg=str(i)
        )


# ----------------------------------------------------------------------------- drawn cases


def _labels(data: st.DataObject, shape: tuple[int, ...], others: bool = False) -> np.ndarray:
    """±1 labels; with ``others``, sometimes 0 or 0.5 too (torch's rule for them is kept)."""
    values = [1.0, -1.0, 0.0, 0.5] if others else [1.0, -1.0]
    flat = data.draw(st.lists(st.sampled_from(values), min_size=int(np.prod(shape)), max_size=16))
    return np.array(flat[: int(np.prod(shape))]).reshape(shape)


def _batch(data: st.DataObject) -> tuple[int, ...]:
    """() for an unbatched input, else (N,)."""
    return data.draw(st.sampled_from([(), (1,), (3,)]))


def _draw_cosine_embedding(data: st.DataObject) -> Case:
    batch, d = _batch(data), data.draw(st.integers(1, 4))
    x1 = data.draw(arrays((*batch, d)))
    x2 = data.draw(arrays((1, d) if batch and data.draw(st.booleans()) else (*batch, d)))
    margin = data.draw(st.sampled_from([0.0, -0.3, 0.5]))

    def call(f: Any, a: Any, b: Any, t: Any, r: str) -> Any:
        return f.cosine_embedding_loss(a, b, t, margin, reduction=r)

    return call, [x1, x2, _labels(data, batch, others=True)], (0, 1)


def _draw_margin_ranking(data: st.DataObject) -> Case:
    shape = data.draw(st.sampled_from([(), (4,), (2, 3)]))
    x1, x2 = data.draw(arrays(shape)), data.draw(arrays(shape))
    if shape and data.draw(st.booleans()):
        x2 = x2[:1]  # broadcast along the first dim, as torch
    margin = data.draw(st.sampled_from([0.0, 0.5, -0.2]))

    def call(f: Any, a: Any, b: Any, t: Any, r: str) -> Any:
        return f.margin_ranking_loss(a, b, t, margin, reduction=r)

    return call, [x1, x2, _labels(data, shape)], (0, 1, 2)


def _draw_hinge_embedding(data: st.DataObject) -> Case:
    shape = data.draw(st.sampled_from([(), (4,), (2, 3)]))
    margin = data.draw(st.sampled_from([1.0, 0.5, 2.0]))

    def call(f: Any, a: Any, t: Any, r: str) -> Any:
        return f.hinge_embedding_loss(a, t, margin, reduction=r)

    x = data.draw(arrays(shape, (-3.0, 3.0)))
    return call, [x, _labels(data, shape, others=True)], (0,)


def _multilabel_targets(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """Per row: k labels (repeats allowed), then −1 (when k < C), then anything in [−1, C)."""
    rows = []
    for _ in range(n):
        k = int(rng.integers(0, c + 1))
        row = list(rng.integers(0, c, k)) + ([-1] if k < c else [])
        rows.append(row + list(rng.integers(-1, c, c - len(row))))
    return np.array(rows, dtype=np.int64).reshape(n, c)


def _draw_multilabel_margin(data: st.DataObject) -> Case:
    batch, c = _batch(data), data.draw(st.integers(1, 5))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    n = batch[0] if batch else 1
    y = _multilabel_targets(rng, n, c).reshape((*batch, c))

    def call(f: Any, a: Any, t: Any, r: str) -> Any:
        return f.multilabel_margin_loss(a, t, reduction=r)

    return call, [data.draw(arrays((*batch, c))), y], (0,)


def _draw_multilabel_soft_margin(data: st.DataObject) -> Case:
    c = data.draw(st.integers(1, 4))
    shape = data.draw(st.sampled_from([(c,), (3, c), (2, 2, c)]))
    x, y = data.draw(arrays(shape, (-4.0, 4.0))), data.draw(arrays(shape, (0.0, 1.0)))
    if not data.draw(st.booleans()):

        def plain(f: Any, a: Any, t: Any, r: str) -> Any:
            return f.multilabel_soft_margin_loss(a, t, reduction=r)

        return plain, [x, y], (0, 1)

    def weighted(f: Any, a: Any, t: Any, w: Any, r: str) -> Any:
        return f.multilabel_soft_margin_loss(a, t, w, reduction=r)

    return weighted, [x, y, data.draw(arrays((c,), (0.1, 2.0)))], (0, 1, 2)


def _draw_poisson_nll(data: st.DataObject) -> Case:
    shape = data.draw(st.sampled_from([(), (4,), (2, 3)]))
    log_input, full = data.draw(st.booleans()), data.draw(st.booleans())
    eps = data.draw(st.sampled_from([1e-8, 0.1]))
    x = data.draw(arrays(shape, (-2.0, 2.0) if log_input else (0.05, 3.0)))
    # Counts, whole and fractional; none 0 with full (torch's target gradient is nan there).
    t = data.draw(arrays(shape, (0.05 if full else 0.0, 5.0)))
    if data.draw(st.booleans()):
        t = np.where((np.round(t) == 0) & full, 1.0, np.round(t))

    def call(f: Any, a: Any, b: Any, r: str) -> Any:
        return f.poisson_nll_loss(a, b, log_input, full, eps=eps, reduction=r)

    return call, [x, t], (0, 1)


def _draw_gaussian_nll(data: st.DataObject) -> Case:
    shape = data.draw(st.sampled_from([(3,), (2, 3), (2, 3, 2)]))
    kind = data.draw(st.sampled_from(["same", "last dim left out", "one shared dim", "number"]))
    full, eps = data.draw(st.booleans()), data.draw(st.sampled_from([1e-6, 0.05]))
    mu, t = data.draw(arrays(shape)), data.draw(arrays(shape))
    if kind == "number":
        var = data.draw(st.sampled_from([0.5, 2.0, 0.0]))

        def number(f: Any, a: Any, b: Any, r: str) -> Any:
            return f.gaussian_nll_loss(a, b, var, full, eps, r)

        return number, [mu, t], (0, 1)
    if kind == "last dim left out":
        vshape = shape[:-1]
    elif kind == "one shared dim":
        k = data.draw(st.integers(0, len(shape) - 1))
        vshape = tuple(1 if i == k else s for i, s in enumerate(shape))
    else:
        vshape = shape
    var = data.draw(arrays(vshape, (0.01, 2.0)))  # below eps = 0.05 too: clamped

    def call(f: Any, a: Any, b: Any, v: Any, r: str) -> Any:
        return f.gaussian_nll_loss(a, b, v, full, eps, r)

    return call, [mu, t, var], (0, 1, 2)


def _draw_triplet_margin(data: st.DataObject) -> Case:
    batch, d = _batch(data), data.draw(st.integers(1, 4))
    a = data.draw(arrays((*batch, d)))
    pos = data.draw(arrays((1, d) if batch and data.draw(st.booleans()) else (*batch, d)))
    neg = data.draw(arrays((*batch, d)))
    p = data.draw(st.sampled_from([2.0, 1.0, 3.0, 1.5, inf]))
    margin, eps = (
        data.draw(st.sampled_from([1.0, 0.5, 2.0])),
        data.draw(st.sampled_from([1e-6, 0.1])),
    )
    swap = data.draw(st.booleans())

    def call(f: Any, x: Any, y: Any, z: Any, r: str) -> Any:
        return f.triplet_margin_loss(x, y, z, margin, p, eps, swap, reduction=r)

    return call, [a, pos, neg], (0, 1, 2)


def _cosine_distance(f: Any) -> Call:
    return lambda x1, x2: 1.0 - f.cosine_similarity(x1, x2, dim=-1)


def _draw_triplet_with_distance(data: st.DataObject) -> Case:
    batch, d = _batch(data), data.draw(st.integers(1, 4))
    a, pos, neg = (data.draw(arrays((*batch, d))) for _ in range(3))
    kind = data.draw(st.sampled_from(["default", "cosine", "l1"]))
    if kind == "cosine":
        # Not of vectors shorter than 1e-3: below cosine_similarity's eps its slope is 1/eps, and
        # terms of 1e8 that cancel (a positive equal to the negative) leave 1e-9 of rounding.
        for v in (a, pos, neg):
            v[np.linalg.norm(v, axis=-1) < 1e-3] = 1.0
    margin, swap = data.draw(st.sampled_from([1.0, 0.3])), data.draw(st.booleans())

    def call(f: Any, x: Any, y: Any, z: Any, r: str) -> Any:
        distance = {
            "default": None,
            "cosine": _cosine_distance(f),
            "l1": lambda u, v: (u - v).abs().sum(-1),
        }[kind]
        return f.triplet_margin_with_distance_loss(
            x, y, z, distance_function=distance, margin=margin, swap=swap, reduction=r
        )

    return call, [a, pos, neg], (0, 1, 2)


def _draw_pdist(data: st.DataObject) -> Case:
    # N ≥ 1: torch 2.13's pdist backward crashes (segfault) on an empty input
    n, d = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    p = data.draw(st.sampled_from([2.0, 0.0, 1.0, 0.5, 1.5, 3.0, inf]))
    x = data.draw(arrays((n, d)))
    if p == inf:  # no ties of the largest difference: torch's pdist rule differs there
        x = x + np.random.default_rng(n * 7 + d).uniform(0, 0.01, x.shape)
    elif n > 1 and data.draw(st.booleans()):
        x[-1] = x[0]  # a zero distance: gradient 0, as torch's

    def call(f: Any, a: Any, r: str) -> Any:
        return f.pdist(a, p)  # no reduction: r is unused

    return call, [x], (0,)


DRAWERS: dict[str, Callable[[st.DataObject], Case]] = {
    "cosine_embedding_loss": _draw_cosine_embedding,
    "margin_ranking_loss": _draw_margin_ranking,
    "hinge_embedding_loss": _draw_hinge_embedding,
    "multilabel_margin_loss": _draw_multilabel_margin,
    "multilabel_soft_margin_loss": _draw_multilabel_soft_margin,
    "poisson_nll_loss": _draw_poisson_nll,
    "gaussian_nll_loss": _draw_gaussian_nll,
    "triplet_margin_loss": _draw_triplet_margin,
    "triplet_margin_with_distance_loss": _draw_triplet_with_distance,
    "pdist": _draw_pdist,
}


@pytest.mark.parametrize("name", DRAWERS)
@settings(max_examples=min(12, settings().max_examples))  # each example calls torch too
@given(data=st.data())
def test_values_and_gradients_match_torch_on_drawn_inputs(name: str, data: st.DataObject) -> None:
    case = DRAWERS[name](data)
    _compare(case, data.draw(st.sampled_from(REDUCTIONS)), seed=data.draw(st.integers(0, 9)))


# ----------------------------------------------------------------------------- edge grids


def _grid_cases() -> dict[str, Case]:
    rng = np.random.default_rng(5)
    x = np.array([[1.0, 0.5, -1.0, 2.0], [0.0, 1.0, 1e4, -inf]])
    labels = np.array([[1.0, -1.0, -1.0, 0.5], [-1.0, 1.0, 1.0, -1.0]])
    scores = np.array([[1.0, 0.0, 0.5, 2.0], [3.0, 3.0, -1.0, 0.0], [0.2, -0.4, 0.9, 0.1]])
    a = rng.standard_normal((3, 4))
    n = rng.standard_normal((3, 4))
    return {
        # x = margin (1.0), a large x and −∞ with both labels, a label 0.5 (both terms)
        "hinge_embedding_loss": (
            lambda f, u, t, r: f.hinge_embedding_loss(u, t, reduction=r),
            [x, labels],
            (0,),
        ),
        # −y·(x₁ − x₂) + margin = 0 exactly in the first column: the gradient passes
        "margin_ranking_loss": (
            lambda f, u, v, t, r: f.margin_ranking_loss(u, v, t, 0.5, reduction=r),
            [np.array([1.0, 0.0, 2.0]), np.array([0.5, 3.0, 1.0]), np.array([1.0, 1.0, -1.0])],
            (0, 1, 2),
        ),
        # a hinge at its kink (x_j − x_i = 1), a repeated label, labels after −1, all −1
        "multilabel_margin_loss": (
            lambda f, u, t, r: f.multilabel_margin_loss(u, t, reduction=r),
            [scores, np.array([[1, 1, 2, -1], [0, 3, 1, 2], [-1, 2, 0, 1]])],
            (0,),
        ),
        # Stirling's term for t > 1 only (t = 1 and 0.5 left out), large rates
        "poisson_nll_loss full": (
            lambda f, u, t, r: f.poisson_nll_loss(u, t, full=True, reduction=r),
            [np.array([0.3, -1.0, 5.0, 0.0, 2.0]), np.array([0.5, 1.0, 1.5, 2.0, 40.0])],
            (0, 1),
        ),
        "poisson_nll_loss rate": (
            lambda f, u, t, r: f.poisson_nll_loss(u, t, False, True, eps=1e-3, reduction=r),
            [np.array([1e-9, 0.5, 3.0, 1e3]), np.array([0.0, 2.0, 3.0, 900.0])],
            (0,),  # the target's at t = 0: see the divergence below
        ),
        # variances 0 and 1e-9 raised to ε in value, with the gradient as if not clamped
        "gaussian_nll_loss clamped": (
            lambda f, u, t, v, r: f.gaussian_nll_loss(u, t, v, True, 1e-6, r),
            [
                np.array([0.1, 0.2, 0.3, 0.4]),
                np.array([0.0, 0.2, 1.3, 0.4]),
                np.array([0.0, 1e-9, 0.5, 2.0]),
            ],
            (0, 1, 2),
        ),
        # positive = anchor: d(a, n) = d(p, n), a tie of swap's minimum (split, as torch)
        "triplet_margin_loss swap tie": (
            lambda f, u, v, w, r: f.triplet_margin_loss(u, v, w, swap=True, reduction=r),
            [a, a.copy(), n],
            (0, 1, 2),
        ),
        "pdist duplicate rows": (
            lambda f, u, r: f.pdist(u, 0.5),
            [np.array([[0.0, 1.0, 2.0], [0.0, 1.0, 2.0], [0.0, -1.0, 3.0], [1.0, 1.0, 2.0]])],
            (0,),
        ),
        "cosine_embedding_loss zero vector": (
            lambda f, u, v, t, r: f.cosine_embedding_loss(u, v, t, 0.2, reduction=r),
            [
                np.array([[0.0, 0.0], [1.0, 2.0], [1e-7, 0.0]]),
                np.array([[1.0, 1.0], [2.0, 4.0], [1.0, 0.0]]),
                np.array([1, -1, -1]),
            ],
            (0, 1),
        ),
    }


GRIDS = _grid_cases()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", GRIDS)
def test_values_and_gradients_match_torch_on_edge_grids(name: str, reduction: str) -> None:
    with np.errstate(invalid="ignore", over="ignore"):
        _compare(GRIDS[name], reduction)


@pytest.mark.parametrize(
    ("name", "call", "shapes"),
    [
        (
            "cosine_embedding_loss",
            lambda f, a, b: f.cosine_embedding_loss(a, b, b[..., 0].sign()),
            [(3, 4), (3, 4)],
        ),
        (
            "margin_ranking_loss",
            lambda f, a, b: f.margin_ranking_loss(a, b, b.sign()),
            [(5,), (5,)],
        ),
        ("hinge_embedding_loss", lambda f, a, b: f.hinge_embedding_loss(a, b.sign()), [(5,), (5,)]),
        (
            "multilabel_soft_margin_loss",
            lambda f, a, b: f.multilabel_soft_margin_loss(a, b.abs()),
            [(3, 4), (3, 4)],
        ),
        (
            "poisson_nll_loss",
            lambda f, a, b: f.poisson_nll_loss(a, b.abs(), full=True),
            [(5,), (5,)],
        ),
        ("gaussian_nll_loss", lambda f, a, b: f.gaussian_nll_loss(a, b, b.abs()), [(5,), (5,)]),
        ("triplet_margin_loss", lambda f, a, b: f.triplet_margin_loss(a, b, -b), [(3, 4), (3, 4)]),
        ("pdist", lambda f, a, b: f.pdist(a) + f.pdist(b), [(3, 4), (3, 4)]),
    ],
)
@pytest.mark.parametrize(("da", "db"), [("float32", "float32"), ("float32", "float64")])
def test_dtypes_follow_torch(name: str, call: Call, shapes: list[Any], da: str, db: str) -> None:
    """float32 stays float32; mixed with float64 promotes as torch's ops do."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal(shapes[0]).astype(da), rng.standard_normal(shapes[1]).astype(db)
    ours, theirs = (
        call(F, tg.tensor(a), tg.tensor(b)),
        call(torch.nn.functional, torch.tensor(a), torch.tensor(b)),
    )
    assert str(theirs.dtype) == f"torch.{ours.dtype}", name
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- gradcheck

X = np.linspace(-1.9, 2.3, 12).reshape(3, 4) + 0.017
Y = X[::-1, ::-1] * 0.6 + 0.31
POS = np.linspace(0.3, 2.1, 12).reshape(3, 4)
SIGNS = np.array([1.0, -1.0, 1.0])

GRADCHECKS: dict[str, tuple[Call, list[Any]]] = {
    "cosine_embedding_loss": (
        lambda a, b: F.cosine_embedding_loss(a, b, SIGNS, -0.9, reduction="sum"),
        [X, Y],
    ),
    "margin_ranking_loss": (
        lambda a, b, t: F.margin_ranking_loss(a, b, t, 0.3, reduction="none"),
        [X, Y, np.sign(Y) * 1.1],
    ),
    "hinge_embedding_loss": (
        lambda a: F.hinge_embedding_loss(a, np.sign(Y), 1.5),
        [X],
    ),
    "multilabel_margin_loss": (
        lambda a: F.multilabel_margin_loss(a * 0.3, [[0, 2, -1, 1], [3, -1, 0, 0], [1, 1, 0, 2]]),
        [X],
    ),
    "multilabel_soft_margin_loss": (
        lambda a, t, w: F.multilabel_soft_margin_loss(a, t, w, reduction="none"),
        [X, POS / 3, POS[0]],
    ),
    "poisson_nll_loss": (lambda a, t: F.poisson_nll_loss(a, t, full=True), [X, POS * 2]),
    "poisson_nll_loss rate": (
        lambda a, t: F.poisson_nll_loss(a, t, log_input=False, reduction="sum"),
        [POS, Y.__abs__()],
    ),
    "gaussian_nll_loss": (
        lambda a, t, v: F.gaussian_nll_loss(a, t, v, full=True, reduction="sum"),
        [X, Y, POS[:, :1]],
    ),
    "triplet_margin_loss": (
        lambda a, p, n: F.triplet_margin_loss(a, p, n, 2.0, 3.0, swap=True),
        [X, Y, -Y[::-1] + 0.1],
    ),
    "triplet_margin_with_distance_loss": (
        lambda a, p, n: F.triplet_margin_with_distance_loss(
            a, p, n, distance_function=_cosine_distance(F), margin=1.5, reduction="none"
        ),
        [X, Y, -Y[::-1] + 0.1],
    ),
    "pdist": (lambda a: F.pdist(a), [X]),
    "pdist p 1.5": (lambda a: F.pdist(a.T, 1.5), [X]),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck_and_gradgradcheck_float64(name: str) -> None:
    fn, inputs = GRADCHECKS[name]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs, atol=1e-4)


# ----------------------------------------------------------------------------- written out


@given(data=st.data())
def test_multilabel_margin_loss_is_its_formula(data: st.DataObject) -> None:
    """ℓ = (1/C) Σ over listed labels j (repeats counted) Σ_{i∉T} max(0, 1 − x_j + x_i), and
    its gradient, in numpy loops."""
    n, c = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 5))
    x = data.draw(arrays((n, c), (-2.0, 2.0), avoid=(), margin=0.0))
    y = _multilabel_targets(np.random.default_rng(data.draw(st.integers(0, 99))), n, c)
    loss, grad = np.zeros(n), np.zeros((n, c))
    for k in range(n):
        listed = []
        for label in y[k]:
            if label < 0:
                break
            listed.append(int(label))
        for j in listed:
            for i in range(c):
                if i not in listed and 1 - x[k, j] + x[k, i] > 0:
                    loss[k] += (1 - x[k, j] + x[k, i]) / c
                    grad[k, j] -= 1 / c
                    grad[k, i] += 1 / c
    xt = tg.tensor(x, requires_grad=True)
    out = F.multilabel_margin_loss(xt, y, reduction="none")
    np.testing.assert_allclose(out.data, loss, rtol=1e-12, atol=1e-14)
    out.sum().backward()
    assert xt.grad is not None
    np.testing.assert_allclose(xt.grad.data, grad, rtol=1e-12, atol=1e-14)


def test_unbatched_and_empty_shapes() -> None:
    """torch's shapes: one example gives a 0-d 'none' loss; an empty batch is nan for 'mean'
    (0 for multilabel_margin_loss, as torch 2.13), and pdist of fewer than 2 rows is empty."""
    v, w = tg.tensor([0.5, -1.0, 2.0]), tg.tensor([1.0, 0.0, 1.0])
    assert F.cosine_embedding_loss(v, w, tg.tensor(1.0), reduction="none").shape == ()
    assert F.triplet_margin_loss(v, w, -w, reduction="none").shape == ()
    assert F.multilabel_margin_loss(v, [2, -1, 0], reduction="none").shape == ()
    assert F.multilabel_margin_loss(tg.tensor(0.3), 0, reduction="none").item() == 0.0
    assert F.multilabel_soft_margin_loss(v, w, reduction="none").shape == ()
    assert F.pdist(tg.zeros(1, 3)).shape == (0,) and F.pdist(tg.zeros(0, 3)).shape == (0,)
    assert F.pdist(tg.zeros(3, 0)).tolist() == [0.0, 0.0, 0.0]
    empty = tg.zeros(0, 3)
    assert np.isnan(F.cosine_embedding_loss(empty, empty, tg.zeros(0)).item())
    assert np.isnan(F.triplet_margin_loss(empty, empty, empty).item())
    none = np.zeros((0, 3), dtype=np.int64)
    assert F.multilabel_margin_loss(empty, none).item() == 0.0
    assert F.multilabel_margin_loss(empty, none, reduction="none").shape == (0,)


# ----------------------------------------------------------------------------- divergences kept


def test_poisson_full_target_gradient_at_zero() -> None:
    """torch multiplies Stirling's masked-out 0·ln 0 by a zero adjoint and gets t̄ = nan at
    t = 0; ours is the derivative of the loss without the term there, −x."""
    x = tg.tensor(np.array([0.3, -1.0]))
    t = tg.tensor(np.array([0.0, 0.0]), requires_grad=True)
    F.poisson_nll_loss(x, t, full=True, reduction="sum").backward()
    assert t.grad is not None and t.grad.tolist() == [-0.3, 1.0]


def test_pdist_inf_ties_share_the_gradient() -> None:
    """At p = ∞ the tied largest |differences| share the gradient, as torch's norm and
    pairwise_distance do; torch's pdist gives each of them all of it ([−1, 1, 0] here)."""
    x = tg.tensor(np.array([[0.0, 0.0, 0.0], [2.0, -2.0, 1.0]]), requires_grad=True)
    F.pdist(x, inf).sum().backward()
    assert x.grad is not None and x.grad.tolist() == [[-0.5, 0.5, 0.0], [0.5, -0.5, 0.0]]


def test_pdist_has_second_derivatives() -> None:
    """torch's pdist has no double backward (_pdist_backward is not differentiable); ours is
    composed of ops, so the Hessian of Σ d² is 2(N·I − 11ᵀ) ⊗ I for p = 2."""
    x = tg.tensor(np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.5]]), requires_grad=True)
    hess = tg.autograd.functional.hessian(lambda a: (F.pdist(a) ** 2).sum(), x)
    laplacian = 2 * (3 * np.eye(3) - np.ones((3, 3)))
    want = np.einsum("ij,kl->ikjl", laplacian, np.eye(2))  # ∂²/∂x[i, k]∂x[j, l]
    np.testing.assert_allclose(hess.data, want, atol=1e-12)


# ----------------------------------------------------------------------------- errors

A, B = tg.tensor([[0.2, 0.4, 0.6], [0.1, 0.0, 0.3]]), tg.tensor([[0.1, 0.5, 0.9], [1.0, 1.0, 0.0]])
V = tg.tensor([0.5, 1.5])

# (call, our exception, message) — the exception is torch's kind: OpError is both ValueError and
# RuntimeError; torch's RuntimeError for a float target of multilabel_margin_loss is a TypeError
# here, as for the other losses' labels (the repository's convention for a dtype).
ERRORS: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    (
        "cel target 2-d",
        lambda: F.cosine_embedding_loss(A, B, [[1.0, -1.0]]),
        RuntimeError,
        r"cosine_embedding_loss\(\): expected a 0-d or 1-d target .* shape \(1, 2\)",
    ),
    (
        "cel inputs 1-d",
        lambda: F.cosine_embedding_loss(A[0], B[0], [1.0]),
        RuntimeError,
        r"a 1-d target of shape \(1,\) expects 2-d inputs, got input1 of shape \(3,\) and input2",
    ),
    (
        "cel inputs",
        lambda: F.cosine_embedding_loss(A, B[:1, :2], V),
        RuntimeError,
        r"cosine_embedding_loss\(\): input1 of shape \(2, 3\), input2 of shape \(1, 2\) do not ",
    ),
    (
        "cel target length",
        lambda: F.cosine_embedding_loss(A, B, [1.0, 1.0, -1.0]),
        RuntimeError,
        r"cosine_embedding_loss\(\): target of shape \(3,\), pairs of shape \(2,\) do not",
    ),
    (
        "cel reduction",
        lambda: F.cosine_embedding_loss(A, B, V, reduction="avg"),
        ValueError,
        r"cosine_embedding_loss\(\): 'avg' is not a valid value for reduction",
    ),
    (
        "mrl ndim",
        lambda: F.margin_ranking_loss(A, B[0], B),
        RuntimeError,
        r"margin_ranking_loss\(\): input1, input2 and target must have the same number of dims, "
        r"got shapes \(2, 3\), \(3,\) and \(2, 3\)",
    ),
    (
        "mrl shapes",
        lambda: F.margin_ranking_loss(A, B[:, :2], B),
        RuntimeError,
        r"margin_ranking_loss\(\): input1 of shape \(2, 3\), input2 of shape \(2, 2\), target",
    ),
    (
        "hel shapes",
        lambda: F.hinge_embedding_loss(A, V),
        RuntimeError,
        r"hinge_embedding_loss\(\): input of shape \(2, 3\), target of shape \(2,\) do not",
    ),
    (
        "hel int",
        lambda: F.hinge_embedding_loss(tg.tensor([1, 2]), tg.tensor([1, -1])),
        TypeError,
        r"hinge_embedding_loss\(\): argument 'input' must have a floating point",
    ),
    (
        "mlm 3-d",
        lambda: F.multilabel_margin_loss(A[None], [[[0, 1, -1]] * 2]),
        RuntimeError,
        r"multilabel_margin_loss\(\): expected a non-empty vector \(C,\) or matrix \(N, C\) .* "
        r"\(1, 2, 3\)",
    ),
    (
        "mlm C 0",
        lambda: F.multilabel_margin_loss(tg.zeros(2, 0), np.zeros((2, 0), np.int64)),
        RuntimeError,
        r"non-empty .* \(2, 0\)",
    ),
    (
        "mlm target shape",
        lambda: F.multilabel_margin_loss(A, [[0, 1, -1]]),
        RuntimeError,
        r"multilabel_margin_loss\(\): input of shape \(2, 3\) expects a target of shape \(2, 3\), "
        r"got \(1, 3\)",
    ),
    (
        "mlm target 2-d for 1-d",
        lambda: F.multilabel_margin_loss(A[0], [[0, 1, -1]]),
        RuntimeError,
        r"input of shape \(3,\) expects a target of shape \(3,\), got \(1, 3\)",
    ),
    (
        "mlm out of range",
        lambda: F.multilabel_margin_loss(A, [[0, 3, -1], [0, 1, 2]]),
        RuntimeError,
        r"multilabel_margin_loss\(\): target 3 is out of range: labels lie in \[0, 3\)",
    ),
    (
        "mlm -2 after -1",
        lambda: F.multilabel_margin_loss(A, [[0, -1, -2], [0, 1, 2]]),
        RuntimeError,
        r"target -2 is out of range",
    ),
    (
        "mlm float target",
        lambda: F.multilabel_margin_loss(A, [[0.0, 1.0, -1.0]] * 2),
        TypeError,
        r"multilabel_margin_loss\(\): target must hold integer class indices, got dtype float64",
    ),
    (
        "mlsm 0-d",
        lambda: F.multilabel_soft_margin_loss(tg.tensor(0.5), tg.tensor(1.0)),
        IndexError,
        r"multilabel_soft_margin_loss\(\): input must have a class dim",
    ),
    (
        "mlsm shapes",
        lambda: F.multilabel_soft_margin_loss(A, V),
        RuntimeError,
        r"multilabel_soft_margin_loss\(\): input of shape \(2, 3\), target of shape \(2,\) do not",
    ),
    (
        "mlsm weight",
        lambda: F.multilabel_soft_margin_loss(A, B, V),
        RuntimeError,
        r"input of shape \(2, 3\), target of shape \(2, 3\), weight of shape \(2,\) do not",
    ),
    (
        "mlsm reduction",
        lambda: F.multilabel_soft_margin_loss(A, B, reduction="max"),
        ValueError,
        r"'max' is not a valid value for reduction",
    ),
    (
        "pnl shapes",
        lambda: F.poisson_nll_loss(A, V),
        RuntimeError,
        r"poisson_nll_loss\(\): input of shape \(2, 3\), target of shape \(2,\) do not broadcast",
    ),
    (
        "pnl reduction",
        lambda: F.poisson_nll_loss(A, B, reduction="batchmean"),
        ValueError,
        r"poisson_nll_loss\(\): 'batchmean' is not a valid value",
    ),
    (
        "gnl negative var",
        lambda: F.gaussian_nll_loss(A, B, -0.5),
        ValueError,
        r"gaussian_nll_loss\(\): var has a negative value, got -0\.5",
    ),
    (
        "gnl negative entries",
        lambda: F.gaussian_nll_loss(A, B, A - 0.3),
        ValueError,
        r"gaussian_nll_loss\(\): var has negative entries, e\.g\. -0\.1",
    ),
    (
        "gnl var size",
        lambda: F.gaussian_nll_loss(A, B, tg.ones(2, 2)),
        ValueError,
        r"gaussian_nll_loss\(\): var of shape \(2, 2\) is of incorrect size for input of shape "
        r"\(2, 3\)",
    ),
    (
        "gnl var 1, 1",
        lambda: F.gaussian_nll_loss(A, B, tg.ones(1, 1)),
        ValueError,
        r"var of shape \(1, 1\) is of incorrect size",
    ),
    (
        "gnl target",
        lambda: F.gaussian_nll_loss(A, V, tg.ones(2, 3)),
        RuntimeError,
        r"gaussian_nll_loss\(\): input of shape \(2, 3\), target of shape \(2,\), var of shape",
    ),
    (
        "gnl reduction",
        lambda: F.gaussian_nll_loss(A, B, 1.0, reduction="avg"),
        ValueError,
        r"'avg' is not a valid value for reduction",
    ),
    (
        "tml margin",
        lambda: F.triplet_margin_loss(A, B, B, margin=0.0),
        ValueError,
        r"triplet_margin_loss\(\): margin must be greater than 0, got 0\.0",
    ),
    (
        "tml ndim",
        lambda: F.triplet_margin_loss(A, B[0], B),
        RuntimeError,
        r"triplet_margin_loss\(\): anchor, positive and negative must have the same number of "
        r"dims, got shapes \(2, 3\), \(3,\) and \(2, 3\)",
    ),
    (
        "tml shapes",
        lambda: F.triplet_margin_loss(A, B[:, :2], B),
        RuntimeError,
        r"triplet_margin_loss\(\): anchor of shape \(2, 3\), positive of shape \(2, 2\), negative",
    ),
    (
        "tml reduction",
        lambda: F.triplet_margin_loss(A, B, B, reduction="avg"),
        ValueError,
        r"triplet_margin_loss\(\): 'avg' is not a valid",
    ),
    (
        "tmdl margin",
        lambda: F.triplet_margin_with_distance_loss(A, B, B, margin=-1.0),
        ValueError,
        r"triplet_margin_with_distance_loss\(\): margin must be greater than 0",
    ),
    (
        "tmdl ndim",
        lambda: F.triplet_margin_with_distance_loss(A, B, B[0]),
        RuntimeError,
        r"triplet_margin_with_distance_loss\(\): anchor, positive and negative must have",
    ),
    (
        "pdist 1-d",
        lambda: F.pdist(V),
        RuntimeError,
        r"pdist\(\): expected a 2-d input \(N, D\), got shape \(2,\)",
    ),
    ("pdist p", lambda: F.pdist(A, -1.0), RuntimeError, r"pdist\(\): p must be non-negative"),
    (
        "pdist int",
        lambda: F.pdist(tg.tensor([[1, 2]])),
        TypeError,
        r"pdist\(\): argument 'input' must have a floating point dtype",
    ),
]


@pytest.mark.parametrize(("name", "call", "kind", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_is_refused_naming_the_op(
    name: str, call: Callable[[], Any], kind: type[Exception], message: str
) -> None:
    with pytest.raises(kind, match=message):
        call()


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("cel target 2-d", lambda f, T: f.cosine_embedding_loss(T(2, 3), T(2, 3), T(1, 2))),
        ("cel inputs", lambda f, T: f.cosine_embedding_loss(T(2, 3), T(1, 2), T(2))),
        ("mrl ndim", lambda f, T: f.margin_ranking_loss(T(2, 3), T(3), T(2, 3))),
        ("hel shapes", lambda f, T: f.hinge_embedding_loss(T(2, 3), T(2))),
        ("mlsm shapes", lambda f, T: f.multilabel_soft_margin_loss(T(2, 3), T(2))),
        ("pnl shapes", lambda f, T: f.poisson_nll_loss(T(2, 3), T(2))),
        ("pnl reduction", lambda f, T: f.poisson_nll_loss(T(2, 3), T(2, 3), reduction="x")),
        ("gnl var size", lambda f, T: f.gaussian_nll_loss(T(2, 3), T(2, 3), T(2, 2).abs())),
        ("gnl negative var", lambda f, T: f.gaussian_nll_loss(T(2, 3), T(2, 3), -0.5)),
        ("tml margin", lambda f, T: f.triplet_margin_loss(T(2, 3), T(2, 3), T(2, 3), margin=0.0)),
        ("tml ndim", lambda f, T: f.triplet_margin_loss(T(2, 3), T(3), T(2, 3))),
        ("tml shapes", lambda f, T: f.triplet_margin_loss(T(2, 3), T(2, 2), T(2, 3))),
        ("pdist 1-d", lambda f, T: f.pdist(T(3))),
        ("pdist p", lambda f, T: f.pdist(T(2, 3), -1.0)),
        ("mlm out of range", lambda f, T: f.multilabel_margin_loss(T(2, 3), T([[0, 3, -1]] * 2))),
        ("mlm target shape", lambda f, T: f.multilabel_margin_loss(T(2, 3), T([[0, 1, -1]]))),
        ("mlm 3-d", lambda f, T: f.multilabel_margin_loss(T(1, 2, 3), T([[[0, 1, -1]] * 2]))),
    ],
)
def test_errors_are_torchs_kind(name: str, call: Call) -> None:
    """The same bad call raises an exception that is an instance of torch's."""
    torch = pytest.importorskip("torch")

    def ours(*shape: Any) -> Any:  # ones of a shape, or int64 labels from a list
        return tg.tensor(shape[0]) if isinstance(shape[0], list) else tg.ones(*shape)

    def theirs(*shape: Any) -> Any:
        return torch.tensor(shape[0]) if isinstance(shape[0], list) else torch.ones(*shape)

    with pytest.raises(Exception) as expected:
        call(torch.nn.functional, theirs)
    with pytest.raises(expected.type):
        call(F, ours)


# ----------------------------------------------------------------------------- modules


def test_modules_take_torchs_options_and_call_the_functions() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x1, x2, x3 = (rng.standard_normal((3, 4)) for _ in range(3))
    labels = np.array([1.0, -1.0, 1.0])
    ml = np.array([[0, 2, -1, 1], [3, -1, 0, 0], [1, 1, 0, 2]])
    w = rng.uniform(0.5, 1.5, 4)
    var = rng.uniform(0.5, 1.5, (3, 4))
    modules: list[tuple[str, dict[str, Any], dict[str, Any], list[np.ndarray]]] = [
        ("CosineEmbeddingLoss", {"margin": 0.2}, {}, [x1, x2, labels]),
        ("MarginRankingLoss", {"margin": 0.3, "reduction": "sum"}, {}, [x1, x2, np.sign(x3)]),
        ("HingeEmbeddingLoss", {"margin": 2.0, "reduction": "none"}, {}, [x1, np.sign(x3)]),
        ("MultiLabelMarginLoss", {"reduction": "sum"}, {}, [x1, ml]),
        ("MultiLabelSoftMarginLoss", {"reduction": "none"}, {"weight": w}, [x1, np.abs(x2) / 3]),
        (
            "PoissonNLLLoss",
            {"log_input": False, "full": True, "eps": 1e-3},
            {},
            [np.abs(x1), np.abs(x2) * 3],
        ),
        ("GaussianNLLLoss", {"full": True, "eps": 1e-3, "reduction": "sum"}, {}, [x1, x2, var]),
        (
            "TripletMarginLoss",
            {"margin": 0.5, "p": 1.0, "eps": 1e-3, "swap": True},
            {},
            [x1, x2, x3],
        ),
        (
            "TripletMarginWithDistanceLoss",
            {"margin": 2.0, "swap": True, "reduction": "none"},
            {},
            [x1, x2, x3],
        ),
        ("CosineSimilarity", {"dim": 0, "eps": 1e-3}, {}, [x1, x2]),
        ("PairwiseDistance", {"p": 3.0, "eps": 1e-3, "keepdim": True}, {}, [x1, x2]),
    ]
    for name, options, weight, arrays_ in modules:
        ours = getattr(nn, name)(**options, **{k: tg.tensor(v) for k, v in weight.items()})
        theirs = getattr(torch.nn, name)(
            **options, **{k: torch.tensor(v) for k, v in weight.items()}
        )
        assert repr(ours) == repr(theirs), name
        got = ours(*(tg.tensor(a) for a in arrays_))
        want = theirs(*(torch.tensor(a) for a in arrays_))
        np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-12, err_msg=name)
    assert set(nn.MultiLabelSoftMarginLoss(weight=[1.0, 2.0]).state_dict()) == {"weight"}
    assert nn.PairwiseDistance(p=1.0).norm == 1.0  # torch's attribute name


def test_module_defaults_are_torchs() -> None:
    assert nn.CosineEmbeddingLoss().margin == 0.0 and nn.MarginRankingLoss().margin == 0.0
    assert nn.HingeEmbeddingLoss().margin == 1.0
    pnl = nn.PoissonNLLLoss()
    assert (pnl.log_input, pnl.full, pnl.eps, pnl.reduction) == (True, False, 1e-8, "mean")
    gnl = nn.GaussianNLLLoss()
    assert (gnl.full, gnl.eps) == (False, 1e-6)
    tml = nn.TripletMarginLoss()
    assert (tml.margin, tml.p, tml.eps, tml.swap) == (1.0, 2.0, 1e-6, False)
    tmdl = nn.TripletMarginWithDistanceLoss()
    assert isinstance(tmdl.distance_function, nn.PairwiseDistance)
    assert (tmdl.margin, tmdl.swap, tmdl.distance_function.norm) == (1.0, False, 2.0)
    assert (nn.CosineSimilarity().dim, nn.CosineSimilarity().eps) == (1, 1e-8)
    assert nn.PairwiseDistance().eps == 1e-6 and nn.PairwiseDistance().keepdim is False
    with pytest.raises(ValueError, match="TripletMarginLoss: expected margin to be greater"):
        nn.TripletMarginLoss(margin=0.0)
    with pytest.raises(ValueError, match="TripletMarginWithDistanceLoss: expected margin"):
        nn.TripletMarginWithDistanceLoss(margin=-1.0)
    with pytest.raises(ValueError, match=r"GaussianNLLLoss\(\): reduction must be one of"):
        nn.GaussianNLLLoss(reduction="avg")
    with pytest.raises(TypeError, match="distance_function must be callable"):
        nn.TripletMarginWithDistanceLoss(distance_function=3)(
            tg.ones(2, 2),
            tg.ones(2, 2),  # type: ignore[arg-type]
            tg.ones(2, 2),
        )


def test_integer_inputs_are_refused() -> None:
    """torch computes cosine_embedding_loss, margin_ranking_loss and poisson_nll_loss of
    integer inputs (promoting to float32 on the way); ours refuse them, as the other losses
    here do, rather than guess a dtype (triplet_margin_loss promotes, as pairwise_distance)."""
    ints = tg.tensor([[1, 2], [3, 4]])
    with pytest.raises(TypeError, match=r"cosine_embedding_loss\(\): argument 'input1'"):
        F.cosine_embedding_loss(ints, ints, [1, -1])
    with pytest.raises(TypeError, match=r"margin_ranking_loss\(\): argument 'input1'"):
        F.margin_ranking_loss(ints, ints, ints)
    with pytest.raises(TypeError, match=r"poisson_nll_loss\(\): argument 'input'"):
        F.poisson_nll_loss(ints, ints)
    assert F.triplet_margin_loss(ints, ints, ints + 1).dtype == np.float32
