"""Spatial sampling and the remaining pools: ``F.affine_grid``, ``F.grid_sample``,
``F.fractional_max_pool2d/3d`` (and ``nn.FractionalMaxPool2d/3d``), ``interpolate(antialias=True)``.

Without torch: loop references (grid_sample per point with torch's coordinate rules, the window
starts of fractional pooling, the antialias filter at scale 2), identities (the identity affine
grid samples the input back), grid_sample's three primitives against their defining sums,
gradcheck and gradgradcheck in float64 away from pixel boundaries, and the errors. With torch
(skipped without it): values and the gradients of input and grid (and θ) against torch over
hypothesis-drawn shapes (empty batch, channels and grids included) and points far outside;
fractional pooling's values, indices and gradients equal to torch's exactly given
``_random_samples``.

Two places where torch's antialias kernel is wrong are left out of the comparison and checked
here against references instead: an output width of 1 (torch repeats the first row's value down
the column), and the gradient of a dim whose size a scale factor leaves unchanged (torch's
forward copies it, its backward interpolates with the scale; its own gradcheck fails there).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck

MODES = ("bilinear", "nearest", "bicubic")
PADDINGS = ("zeros", "border", "reflection")


def _t(a: np.ndarray, grad: bool = True) -> tg.Tensor:
    return tg.tensor(a, requires_grad=grad)


def _normalize(c: np.ndarray, size: int, align_corners: bool) -> np.ndarray:
    """The grid coordinate of pixel coordinate c (the inverse of torch's unnormalize)."""
    if align_corners:
        return np.asarray(c / (size - 1) * 2 - 1) if size > 1 else np.zeros_like(c)
    return np.asarray((2 * c + 1) / size - 1)


def _grid_away(
    rng: np.random.Generator, batch: int, points: tuple[int, ...], sizes: tuple[int, ...], **kw: Any
) -> np.ndarray:
    """A grid whose pixel coordinates have fractional parts in [0.2, 0.4] ∪ [0.6, 0.8]: away from
    the pixel places (bilinear's kinks), the half-way places (nearest's jumps) and the bounds
    (border's and reflection's kinks, at whole or half pixels), inside and out to 2 pixels."""
    coords = []
    for size in reversed(sizes):  # x (the last dim) first
        whole = rng.integers(-2, size + 2, (batch, *points))
        frac = rng.uniform(0.2, 0.4, whole.shape) + 0.4 * rng.integers(0, 2, whole.shape)
        coords.append(_normalize(whole + frac, size, kw.get("align_corners", False)))
    return np.stack(coords, axis=-1)


# ----------------------------------------------------------------------------- loop reference


def _reflect(c: float, size: int, align_corners: bool) -> float:
    lo, hi = (0.0, size - 1.0) if align_corners else (-0.5, size - 0.5)
    span = hi - lo
    if span == 0:
        return 0.0
    c = abs(c - lo)
    flips, extra = divmod(c, span)
    return (extra if flips % 2 == 0 else span - extra) + lo


def _place(c: float, size: int, padding: str, align_corners: bool) -> float:
    if padding == "reflection":
        c = _reflect(c, size, align_corners)
    return min(max(c, 0.0), size - 1.0) if padding != "zeros" else c


def _keys(t: float, a: float = -0.75) -> list[float]:
    """Keys' cubic convolution weights of the places ⌊c⌋ − 1 … ⌊c⌋ + 2, t = c − ⌊c⌋."""
    near = [((a + 2) * s - (a + 3)) * s * s + 1 for s in (t, 1 - t)]
    far = [((a * s - 5 * a) * s + 8 * a) * s - 4 * a for s in (t + 1, 2 - t)]
    return [far[0], near[0], near[1], far[1]]


def _reference(x: np.ndarray, grid: np.ndarray, mode: str, padding: str, align: bool) -> np.ndarray:
    """grid_sample of a 4-D input, one point at a time, from torch's documented rules."""
    n, c, h, w = x.shape
    out = np.zeros((n, c, *grid.shape[1:3]))

    def read(b: int, i: float, j: float) -> np.ndarray:
        if mode == "bicubic":
            i, j = _place(i, h, padding, align), _place(j, w, padding, align)
        if 0 <= i < h and 0 <= j < w:
            return np.asarray(x[b, :, int(i), int(j)])
        return np.zeros(c)

    for b, p, q in np.ndindex(n, *grid.shape[1:3]):
        gx, gy = grid[b, p, q]
        cx = (gx + 1) / 2 * (w - 1) if align else ((gx + 1) * w - 1) / 2
        cy = (gy + 1) / 2 * (h - 1) if align else ((gy + 1) * h - 1) / 2
        if mode != "bicubic":
            cx, cy = _place(cx, w, padding, align), _place(cy, h, padding, align)
        if mode == "nearest":
            out[b, :, p, q] = read(b, float(np.rint(cy)), float(np.rint(cx)))
            continue
        x0, y0 = math.floor(cx), math.floor(cy)
        tx, ty = cx - x0, cy - y0
        if mode == "bilinear":
            wx, wy = [1 - tx, tx], [1 - ty, ty]
        else:
            wx, wy = _keys(tx), _keys(ty)
        first = 0 if mode == "bilinear" else -1
        for di, vy in enumerate(wy):
            for dj, vx in enumerate(wx):
                out[b, :, p, q] += vy * vx * read(b, y0 + first + di, x0 + first + dj)
    return out


@given(
    st.integers(0, 2**16),
    st.sampled_from(MODES),
    st.sampled_from(PADDINGS),
    st.booleans(),
)
def test_grid_sample_matches_its_loops(seed: int, mode: str, padding: str, align: bool) -> None:
    """Points inside, outside and far outside (the reflection folds many times)."""
    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(1, 6, 2))
    x = rng.standard_normal((2, 3, h, w))
    grid = rng.uniform(-4, 4, (2, 3, 4, 2))
    out = F.grid_sample(_t(x, False), _t(grid, False), mode, padding, align).numpy()
    np.testing.assert_allclose(out, _reference(x, grid, mode, padding, align), atol=1e-12)


def test_identity_affine_grid_samples_the_input_back() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 5))
    theta = np.tile(np.eye(2, 3), (2, 1, 1))
    for align in (False, True):
        grid = F.affine_grid(_t(theta, False), list(x.shape), align_corners=align)
        for mode in MODES:
            out = F.grid_sample(_t(x, False), grid, mode=mode, align_corners=align)
            np.testing.assert_allclose(out.numpy(), x, atol=1e-12)
    x3 = rng.standard_normal((1, 2, 3, 4, 5))
    grid3 = F.affine_grid(_t(np.eye(3, 4)[None], False), list(x3.shape), align_corners=False)
    for mode in ("bilinear", "nearest"):
        out3 = F.grid_sample(_t(x3, False), grid3, mode)
        np.testing.assert_allclose(out3.numpy(), x3, atol=1e-12)


def test_affine_grid_is_the_base_grid_times_theta() -> None:
    """Pixel centres −1 … 1 (align_corners) or shrunk by (S − 1)/S; a unit dim is 0."""
    theta = np.array([[[2.0, 0.5, 0.1], [-1.0, 3.0, 0.2]]])
    for align, xs in ((True, [-1.0, 0.0, 1.0]), (False, [-2 / 3, 0.0, 2 / 3])):
        grid = F.affine_grid(_t(theta, False), [1, 1, 2, 3], align_corners=align).numpy()
        ys = [-1.0, 1.0] if align else [-0.5, 0.5]
        for i, j in np.ndindex(2, 3):
            want = theta[0] @ np.array([xs[j], ys[i], 1.0])
            np.testing.assert_allclose(grid[0, i, j], want, atol=1e-15)
    unit = F.affine_grid(_t(np.eye(2, 3)[None], False), [1, 1, 1, 1]).numpy()
    np.testing.assert_array_equal(unit, np.zeros((1, 1, 1, 2)))


# ----------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("align", [False, True])
def test_grid_sample_gradcheck_4d(mode: str, padding: str, align: bool) -> None:
    rng = np.random.default_rng(len(mode) * 7 + len(padding) + int(align))
    x = rng.standard_normal((1, 2, 3, 4))
    grid = _grid_away(rng, 1, (2, 2), (3, 4), align_corners=align)
    fn = lambda a, g: F.grid_sample(a, g, mode, padding, align)  # noqa: E731
    assert gradcheck(fn, [_t(x), _t(grid)])
    if mode == "nearest":  # a step function of the grid: its gradient is 0, as torch's
        g = _t(grid)
        fn(_t(x), g).sum().backward()
        assert g.grad is not None
        np.testing.assert_array_equal(g.grad.numpy(), np.zeros_like(grid))


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding", PADDINGS)
def test_grid_sample_gradcheck_5d(mode: str, padding: str) -> None:
    rng = np.random.default_rng(len(mode) + len(padding))
    x = rng.standard_normal((1, 2, 2, 3, 3))
    grid = _grid_away(rng, 1, (2, 1, 2), (2, 3, 3))
    assert gradcheck(lambda a, g: F.grid_sample(a, g, mode, padding), [_t(x), _t(grid)])


@given(seed=st.integers(0, 2**32 - 1))
def test_sample_kernels_are_the_partial_derivatives_of_one_form(seed: int) -> None:
    """grid_sample's primitives against their defining sums, with repeated places and place L
    (outside: reads 0, as 0·w = nan for a nan weight there, as torch's 4-D kernel; receives
    nothing, not even that nan), and the form they all derive from:
    T(x, w, y) = ⟨gather(x, w), y⟩ = ⟨x, scatter(y, w)⟩ = ⟨w, dot(y, x)⟩."""
    rng = np.random.default_rng(seed)
    n, c, size, k, p = (int(v) for v in rng.integers(1, 5, 5))
    x, y = rng.standard_normal((n, c, size)), rng.standard_normal((n, c, p))
    w = rng.standard_normal((n, k, p))
    index = rng.integers(0, size + 1, (n, k, p))  # repeats, and L
    kw = {"index": index, "size": size}
    read = np.concatenate([x, np.zeros((n, c, 1))], 2)[
        np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], index[:, None]
    ]  # (N, C, K, P)
    gathered = _t(x)._sample("sample_gather", _t(w), **kw).detach().numpy()
    np.testing.assert_allclose(gathered, np.einsum("nckp,nkp->ncp", read, w), atol=1e-12)
    dot = _t(y)._sample("sample_dot", _t(x), **kw).detach().numpy()
    np.testing.assert_allclose(dot, np.einsum("nckp,ncp->nkp", read, y), atol=1e-12)
    scattered = _t(y)._sample("sample_scatter", _t(w), **kw).detach().numpy()
    expected = np.zeros((n, c, size + 1))
    for i, kk, pp in np.ndindex(n, k, p):
        expected[i, :, index[i, kk, pp]] += w[i, kk, pp] * y[i, :, pp]
    np.testing.assert_allclose(scattered, expected[:, :, :size], atol=1e-12)
    form = np.einsum("nckp,nkp,ncp->", read, w, y)
    for value in (np.sum(gathered * y), np.sum(x * scattered), np.sum(w * dot)):
        assert value == pytest.approx(form, rel=1e-12, abs=1e-12)
    w[index == size] = np.nan  # outside: 0·nan
    gathered = _t(x)._sample("sample_gather", _t(w), **kw).detach().numpy()
    np.testing.assert_array_equal(np.isnan(gathered), (index == size).any(1)[:, None].repeat(c, 1))
    scattered = _t(y)._sample("sample_scatter", _t(w), **kw).detach().numpy()
    assert np.isfinite(scattered).all()


def test_grid_sample_and_affine_grid_gradgradcheck() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, 1, 3, 3))
    grid = _grid_away(rng, 1, (1, 2), (3, 3))
    for mode in ("bilinear", "bicubic"):
        fn = lambda a, g, m=mode: F.grid_sample(a, g, m, "reflection")  # noqa: E731
        assert gradgradcheck(fn, [_t(x), _t(grid)])
    theta = np.array([[[0.9, 0.1, 0.05], [-0.1, 0.8, 0.02]]])
    chain = lambda a, t: F.grid_sample(a, F.affine_grid(t, [1, 1, 3, 3]))  # noqa: E731
    assert gradcheck(chain, [_t(x), _t(theta)])


# ----------------------------------------------------------------------------- against torch


def _compare(torch: Any, ours: Any, theirs: Any, arrays: list[np.ndarray], tol: float) -> None:
    """Values and the gradient of every input under a random output gradient."""
    mine = [_t(a) for a in arrays]
    them = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, want = ours(*mine), theirs(*them)
    np.testing.assert_allclose(out.detach().numpy(), want.detach().numpy(), rtol=tol, atol=tol)
    g = np.random.default_rng(0).standard_normal(want.shape).astype(arrays[0].dtype)
    out.backward(tg.tensor(g))
    want.backward(torch.tensor(g))
    for m, t in zip(mine, them):
        assert m.grad is not None
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=tol, atol=tol)


@given(
    st.integers(0, 2**16),
    st.sampled_from(MODES),
    st.sampled_from(PADDINGS),
    st.booleans(),
    st.sampled_from([2, 3]),
    st.sampled_from([np.float64, np.float32]),
)
def test_grid_sample_matches_torch(
    seed: int, mode: str, padding: str, align: bool, n: int, dtype: Any
) -> None:
    """Random shapes (empty batch, channels and grids too); grid values that include the
    bounds ±1, whole and half pixels, and points far outside."""
    torch = pytest.importorskip("torch")
    if mode == "bicubic" and n == 3:
        n = 2
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(1, 6, n))
    batch, channels = int(rng.integers(0, 3)), int(rng.integers(0, 3))
    points = tuple(int(v) for v in rng.integers(0, 4, n))
    x = rng.standard_normal((batch, channels, *sizes)).astype(dtype)
    grid = rng.uniform(-1.5, 1.5, (batch, *points, n))
    special = np.array([-1.0, 1.0, 0.0, 0.5, -0.25, 1e4, -3e5, 1e7])
    if dtype == np.float32:  # float32 spacing there is 0.03 and 1: the pixel is rounding noise
        special = special[:-2]  # (seed 3068: bicubic reflection at y = 1e7 differs by 0.06)
    pick = rng.random(grid.shape) < 0.3
    grid = np.where(pick, rng.choice(special, grid.shape), grid).astype(dtype)
    tol = 1e-10 if dtype == np.float64 else 2e-4
    ours = lambda a, g: F.grid_sample(a, g, mode, padding, align)  # noqa: E731
    theirs = lambda a, g: torch.nn.functional.grid_sample(a, g, mode, padding, align)  # noqa: E731
    _compare(torch, ours, theirs, [x, grid], tol)


@pytest.mark.parametrize("n", [2, 3])
def test_grid_sample_of_non_finite_points_matches_torch(n: int) -> None:
    """nan and ±∞ coordinates land where torch's kernels put them (its 4-D and 5-D kernels
    differ: a nan clamps to 0 in one, to S − 1 in the other; zeros padding gives nan or 0)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(n)
    x = rng.standard_normal((1, 2, *range(3, 3 + n))).astype(np.float32)
    bad = [np.nan, np.inf, -np.inf, 1e30, -3e9]
    grid = np.zeros((1, 1, *([1] * (n - 2)), len(bad), n), dtype=np.float32)
    grid[..., 0] = bad
    for mode in MODES[: 3 if n == 2 else 2]:
        for padding in PADDINGS:
            for align in (False, True):
                args = (mode, padding, align)
                out = F.grid_sample(_t(x, False), _t(grid, False), *args).numpy()
                want = torch.nn.functional.grid_sample(torch.tensor(x), torch.tensor(grid), *args)
                np.testing.assert_allclose(out, want.numpy(), rtol=1e-6, err_msg=str(args))


@given(st.integers(0, 2**16), st.sampled_from([2, 3]), st.booleans())
def test_affine_grid_matches_torch(seed: int, n: int, align: bool) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    size = [int(rng.integers(1, 3)), 2, *(int(v) for v in rng.integers(2, 6, n))]
    theta = rng.standard_normal((size[0], n, n + 1))
    ours = lambda t: F.affine_grid(t, size, align_corners=align)  # noqa: E731
    theirs = lambda t: torch.nn.functional.affine_grid(t, size, align_corners=align)  # noqa: E731
    _compare(torch, ours, theirs, [theta], 1e-12)


# ----------------------------------------------------------------------------- fractional pools


def _starts(u: float, size: int, out: int, k: int) -> list[int]:
    """torch's generate_intervals, in float64."""
    if out == 1:
        return [size - k]
    alpha = (size - k) / (out - 1)
    return [int((i + u) * alpha) - int(u * alpha) for i in range(out - 1)] + [size - k]


@given(st.integers(0, 2**16), st.sampled_from([2, 3]))
def test_fractional_max_pool_matches_its_loops(seed: int, n: int) -> None:
    """Each output is the first maximum of its window; x̄ = ḡ at the indices. The draws are
    (W, H) for 2-d pooling and (D, H, W) for 3-d, as torch's."""
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(3, 8, n))
    kernel = tuple(int(rng.integers(1, 3)) for _ in range(n))
    outs = tuple(int(rng.integers(1, s - k + 1)) for s, k in zip(sizes, kernel))
    x = np.round(rng.standard_normal((2, 3, *sizes)) * 2)
    u = rng.random((2, 3, n))
    fn = getattr(F, f"fractional_max_pool{n}d")
    mine = _t(x)
    out, idx = fn(mine, kernel, outs, return_indices=True, _random_samples=_t(u, False))
    order = [1, 0] if n == 2 else [0, 1, 2]
    for b, c in np.ndindex(2, 3):
        starts = [_starts(u[b, c, order[d]], sizes[d], outs[d], kernel[d]) for d in range(n)]
        for o in np.ndindex(*outs):
            window = tuple(slice(s[i], s[i] + k) for s, i, k in zip(starts, o, kernel))
            values = x[(b, c, *window)]
            best = np.unravel_index(values.argmax(), values.shape)
            place = tuple(s[i] + j for s, i, j in zip(starts, o, best))
            assert out.data[(b, c, *o)] == values.max()
            assert idx.data[(b, c, *o)] == np.ravel_multi_index(place, sizes)
    g = rng.standard_normal(out.shape)
    out.backward(tg.tensor(g))
    want = np.zeros((2, 3, int(np.prod(sizes))))
    for b, c in np.ndindex(2, 3):
        np.add.at(want[b, c], idx.data[b, c].ravel(), g[b, c].ravel())
    assert mine.grad is not None
    np.testing.assert_array_equal(mine.grad.numpy(), want.reshape(x.shape))


def test_fractional_max_pool_draws_from_manual_seed_and_gradchecks() -> None:
    x = np.random.default_rng(1).permutation(2 * 9 * 8).reshape(1, 2, 9, 8) * 0.1
    tg.manual_seed(5)
    a = F.fractional_max_pool2d(_t(x), 2, output_ratio=(0.5, 0.7), return_indices=True)
    tg.manual_seed(5)
    b = F.fractional_max_pool2d(_t(x), 2, output_ratio=(0.5, 0.7), return_indices=True)
    assert a[0].shape == (1, 2, 4, 5)
    np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
    u = _t(np.random.default_rng(2).random((1, 2, 2)), False)
    fn = lambda v: F.fractional_max_pool2d(v, 3, 4, _random_samples=u)  # noqa: E731
    assert gradcheck(fn, [_t(x)])
    x3 = _t(x[:, :, :5, :5].reshape(1, 2, 5, 5, 1).repeat(2, -1) + np.array([0.0, 20.0]))
    u3 = _t(np.random.default_rng(3).random((1, 2, 3)), False)
    assert gradcheck(
        lambda v: F.fractional_max_pool3d(v, (2, 2, 1), (3, 3, 1), _random_samples=u3), [x3]
    )


def test_fractional_max_pool_modules() -> None:
    m = nn.FractionalMaxPool2d(3, output_ratio=0.5, return_indices=True)
    assert (m.kernel_size, m.output_size, m.output_ratio) == ((3, 3), None, (0.5, 0.5))
    out, idx = m(tg.randn(2, 3, 10, 9))
    assert out.shape == idx.shape == (2, 3, 5, 4)
    u = tg.rand(1, 2, 3)
    m3 = nn.FractionalMaxPool3d((2, 2, 2), output_size=2, _random_samples=u)
    assert m3.output_size == (2, 2, 2) and m3._random_samples is u
    x = tg.randn(2, 4, 5, 6)  # unbatched (C, D, H, W)
    np.testing.assert_array_equal(m3(x).numpy(), m3(x).numpy())
    for kw in ({}, {"output_size": 2, "output_ratio": 0.5}, {"output_ratio": 1.0}):
        with pytest.raises(ValueError):
            nn.FractionalMaxPool2d(2, **kw)


@given(st.integers(0, 2**16), st.sampled_from([2, 3]), st.booleans())
def test_fractional_max_pool_matches_torch_exactly(seed: int, n: int, ratio: bool) -> None:
    """Given the draws, torch's values, indices and gradients exactly, in float32 and float64,
    with ties, unbatched input and an empty batch."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    dtype = [np.float32, np.float64][int(rng.integers(2))]
    sizes = tuple(int(v) for v in rng.integers(2, 12, n))
    kernel = tuple(int(rng.integers(1, s)) for s in sizes)
    batch = [(0,), (2,), ()][int(rng.integers(3))]
    x = np.round(rng.standard_normal((*batch, 3, *sizes)) * 2).astype(dtype)
    u = rng.random((max(batch or (1,)), 3, n)).astype(dtype)
    kw: dict[str, Any] = {"return_indices": True}
    if ratio:
        kw["output_ratio"] = tuple(float(v) for v in rng.uniform(0.2, 0.6, n))
        outs = [int(s * r) for s, r in zip(sizes, kw["output_ratio"])]
    else:
        outs = [int(rng.integers(1, s - k + 1)) for s, k in zip(sizes, kernel)]
        kw["output_size"] = tuple(outs)
    if any(o + k - 1 >= s for o, k, s in zip(outs, kernel, sizes)):
        kernel = tuple(1 for _ in sizes)  # torch's 3-d pooling refuses windows that just fit
    name = f"fractional_max_pool{n}d"
    mine = _t(x)
    out, idx = getattr(F, name)(mine, kernel, _random_samples=_t(u, False), **kw)
    them = torch.tensor(x, requires_grad=True)
    want, want_idx = getattr(torch.nn.functional, name)(
        them, kernel, _random_samples=torch.tensor(u), **kw
    )
    np.testing.assert_array_equal(out.detach().numpy(), want.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), want_idx.numpy())
    g = rng.standard_normal(want.shape).astype(dtype)
    out.backward(tg.tensor(g))
    want.backward(torch.tensor(g))
    assert mine.grad is not None
    np.testing.assert_array_equal(mine.grad.numpy(), them.grad.numpy())


# ----------------------------------------------------------------------------- antialias


def test_antialias_bilinear_halving_is_the_triangle_filter() -> None:
    """At scale 2 the bilinear filter spans 4 places, weights 1/8, 3/8, 3/8, 1/8, renormalised
    at the edges; constants stay constant; on upsampling bilinear equals antialias=False."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 1, 1, 8))
    out = F.interpolate(_t(x, False), size=(1, 4), mode="bilinear", antialias=True).numpy()
    row = x[0, 0, 0]
    want = [(3 * row[0] + 3 * row[1] + row[2]) / 7]
    want += [(row[j - 1] + 3 * row[j] + 3 * row[j + 1] + row[j + 2]) / 8 for j in (2, 4)]
    want += [(row[5] + 3 * row[6] + 3 * row[7]) / 7]
    np.testing.assert_allclose(out[0, 0, 0], want, rtol=1e-13)
    ones = F.interpolate(tg.ones(1, 2, 7, 9), size=(3, 2), mode="bicubic", antialias=True)
    np.testing.assert_allclose(ones.numpy(), 1.0, rtol=1e-6)
    up = [
        F.interpolate(_t(x, False), scale_factor=(1.0, 1.7), mode="bilinear", antialias=aa)
        for aa in (True, False)
    ]
    np.testing.assert_allclose(up[0].numpy(), up[1].numpy(), rtol=1e-13)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_antialias_gradcheck(mode: str) -> None:
    x = _t(np.random.default_rng(1).standard_normal((1, 1, 6, 4)))
    for kw in ({"size": (3, 2)}, {"scale_factor": (0.4, 1.3), "align_corners": True}):
        fn = lambda v, kw=kw: F.interpolate(v, mode=mode, antialias=True, **kw)  # noqa: E731
        assert gradcheck(fn, [x])


def test_antialias_where_torch_is_wrong() -> None:
    """An output width of 1 is the column the wider output would hold; a dim whose size a
    scale factor leaves unchanged is copied, and its gradient is that copy's adjoint."""
    x = np.random.default_rng(2).standard_normal((1, 1, 6, 1))
    one = F.interpolate(_t(x, False), size=(3, 1), mode="bilinear", antialias=True).numpy()
    two = F.interpolate(_t(np.repeat(x, 2, -1), False), (3, 2), mode="bilinear", antialias=True)
    np.testing.assert_allclose(one[..., 0], two.numpy()[..., 0], rtol=1e-13)
    kw: dict[str, Any] = {"scale_factor": (2.3, 1.358), "mode": "bilinear", "antialias": True}
    v = _t(np.random.default_rng(3).standard_normal((1, 1, 5, 2)))
    assert gradcheck(lambda a: F.interpolate(a, **kw), [v])


@given(
    st.integers(0, 2**16),
    st.sampled_from(["bilinear", "bicubic"]),
    st.booleans(),
    st.sampled_from([np.float64, np.float32]),
)
def test_antialias_matches_torch(seed: int, mode: str, align: bool, dtype: Any) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(1, 25, 2))
    x = rng.standard_normal((int(rng.integers(0, 3)), 2, *sizes)).astype(dtype)
    kw: dict[str, Any] = {"mode": mode, "align_corners": align, "antialias": True}
    if rng.integers(2):
        kw["size"] = tuple(int(v) for v in rng.integers(1, 25, 2))
        outs = kw["size"]
    else:
        kw["scale_factor"] = tuple(float(v) for v in rng.uniform(0.1, 2.0, 2))
        kw["recompute_scale_factor"] = True
        outs = tuple(int(s * f) for s, f in zip(sizes, kw["scale_factor"]))
    if min(outs) == 0 or outs[1] == 1:  # refused by both; torch's bug at width 1 (see above)
        return
    tol = 1e-12 if dtype == np.float64 else 1e-4
    ours = lambda a: F.interpolate(a, **kw)  # noqa: E731
    theirs = lambda a: torch.nn.functional.interpolate(a, **kw)  # noqa: E731
    _compare(torch, ours, theirs, [x], tol)


# ----------------------------------------------------------------------------- errors


def _randn(*shape: int) -> tg.Tensor:
    return tg.randn(*shape)


ERRORS: list[tuple[Any, type[Exception], str]] = [
    (lambda: F.grid_sample(_randn(2, 3, 4, 5), _randn(1, 6, 7, 2)), RuntimeError, "batch size"),
    (lambda: F.grid_sample(_randn(2, 3, 4, 5), _randn(2, 6, 7, 3)), RuntimeError, "size 2"),
    (lambda: F.grid_sample(_randn(2, 3, 4, 5), _randn(6, 7, 2)), RuntimeError, "4D or 5D"),
    (lambda: F.grid_sample(_randn(3, 4, 5), _randn(3, 6, 2)), RuntimeError, "4D or 5D"),
    (lambda: F.grid_sample(_randn(2, 3, 0, 5), _randn(2, 6, 7, 2)), RuntimeError, "non-empty"),
    (lambda: F.grid_sample(_randn(1, 1, 2, 2), _randn(1, 1, 1, 2), "area"), ValueError, "mode"),
    (
        lambda: F.grid_sample(_randn(1, 1, 2, 2), _randn(1, 1, 1, 2), padding_mode="wrap"),
        ValueError,
        "padding_mode",
    ),
    (
        lambda: F.grid_sample(_randn(1, 1, 2, 2, 2), _randn(1, 1, 1, 1, 3), "bicubic"),
        RuntimeError,
        "bicubic interpolation only supports 4D",
    ),
    (
        lambda: F.grid_sample(_randn(1, 1, 2, 2), _randn(1, 1, 1, 2).double()),
        RuntimeError,
        "same dtype",
    ),
    (lambda: F.grid_sample(np.zeros((1, 1, 2, 2)), _randn(1, 1, 1, 2)), TypeError, "Tensor"),
    (lambda: F.affine_grid(_randn(2, 3, 3), [2, 3, 4, 5]), ValueError, "Nx2x3"),
    (lambda: F.affine_grid(_randn(2, 2, 3), [2, 3, 4, 5, 6]), ValueError, "Nx3x4"),
    (lambda: F.affine_grid(_randn(2, 2, 3), [2, 3, 4]), NotImplementedError, "4D and 5D"),
    (lambda: F.affine_grid(_randn(2, 2, 3), [2, 3, 0, 5]), ValueError, "positive"),
    (lambda: F.affine_grid(_randn(3, 2, 3), [2, 3, 4, 5]), RuntimeError, "batch of 2"),
    (lambda: F.affine_grid(tg.zeros(2, 2, 3, dtype=tg.int64), [2, 3, 4, 5]), ValueError, "float"),
    (lambda: F.fractional_max_pool2d(_randn(1, 2, 9, 9), 3), ValueError, "output_size or"),
    (
        lambda: F.fractional_max_pool2d(_randn(1, 2, 9, 9), 3, output_size=8),
        RuntimeError,
        "too large",
    ),
    (
        lambda: F.fractional_max_pool3d(_randn(1, 2, 6, 6, 6), 3, output_size=4),
        RuntimeError,
        "pool time 3 too large",
    ),
    (
        lambda: F.fractional_max_pool2d(_randn(2, 3, 9, 9), 3, 4, _random_samples=tg.rand(1, 3, 2)),
        RuntimeError,
        "_random_samples",
    ),
    (
        lambda: F.fractional_max_pool2d(
            _randn(2, 3, 9, 9), 3, 4, _random_samples=tg.rand(2, 3, 2).double()
        ),
        RuntimeError,
        "dtype",
    ),
    (
        lambda: F.fractional_max_pool2d(_randn(2, 0, 9, 9), 3, 4),
        RuntimeError,
        "non-zero size",
    ),
    (
        lambda: F.interpolate(_randn(1, 1, 4, 4), scale_factor=0.5, antialias=True),
        ValueError,
        "bilinear and bicubic",
    ),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors(case: int) -> None:
    call, kind, words = ERRORS[case]
    with pytest.raises(kind, match=words):
        call()
