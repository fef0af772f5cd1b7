"""3-d, adaptive-max, unpooling and LP pools; interpolate and Upsample; the shuffles; LRN.

Checked against numpy formulas without torch (loops over bins and windows, ``np.interp``,
``np.repeat``), by gradcheck and gradgradcheck in float64, and, where PyTorch is installed,
against torch over hypothesis-drawn shapes and options: values, indices, the gradient of every
input (float64 to 1e-12, float32 to float32's precision), tie and nan conventions, reprs and the
kind of every error.

Two places where torch's gradient is not the adjoint of its own forward are left out of the
gradient comparison and checked by finite differences instead: ``interpolate(mode='nearest')``
of 3-D and 5-D input with a scale factor that leaves a dim's size unchanged or doubles it (torch's
backward takes a shortcut its forward does not), and ``mode='bicubic'`` with a scale factor that
leaves both sizes unchanged (torch's backward copies the gradient, its forward interpolates).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn
from tinygrad_ed.numgrad import gradcheck, gradgradcheck


def _t(a: np.ndarray, grad: bool = True) -> tg.Tensor:
    return tg.tensor(a, requires_grad=grad)


def _distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 apart, so a max's choice is stable under finite differences."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 + 0.01 * rng.random(shape)


def _bins(n_in: int, n_out: int) -> list[range]:
    return [range(i * n_in // n_out, -(-(i + 1) * n_in // n_out)) for i in range(n_out)]


# ----------------------------------------------------------------------------- without torch


@given(st.integers(0, 2**16), st.integers(1, 3))
def test_adaptive_max_pool_matches_its_loops(seed: int, n: int) -> None:
    """The first maximum of each bin (row-major) and its flat index into the input plane,
    on a coarse grid so that ties are common; x̄ = ḡ at that index."""
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(1, 6, n))
    outs = tuple(int(v) for v in rng.integers(1, 7, n))
    x = np.round(rng.standard_normal((2, 3, *sizes)))
    mine = _t(x)
    out, idx = getattr(F, f"adaptive_max_pool{n}d")(mine, outs, return_indices=True)
    want = np.zeros((2, 3, *outs))
    want_idx = np.zeros((2, 3, *outs), dtype=np.int64)
    for o in np.ndindex(*outs):
        members = list(np.ndindex(*[len(_bins(s, m)[i]) for s, m, i in zip(sizes, outs, o)]))
        places = [
            tuple(_bins(s, m)[i][j] for s, m, i, j in zip(sizes, outs, o, p)) for p in members
        ]
        flat = [int(np.ravel_multi_index(q, sizes)) for q in places]
        values = x.reshape(2, 3, -1)[:, :, flat]
        best = values.argmax(-1)
        want[(slice(None), slice(None), *o)] = values.max(-1)
        want_idx[(slice(None), slice(None), *o)] = np.array(flat)[best]
    np.testing.assert_array_equal(out.detach().numpy(), want)
    np.testing.assert_array_equal(idx.numpy(), want_idx)
    g = rng.standard_normal(outs and out.shape)
    (out * tg.tensor(g)).sum().backward()
    expected = np.zeros((2, 3, int(np.prod(sizes))))
    for b, c in np.ndindex(2, 3):
        np.add.at(expected[b, c], want_idx[b, c].reshape(-1), g[b, c].reshape(-1))
    np.testing.assert_array_equal(mine.grad.numpy(), expected.reshape(x.shape))  # type: ignore[union-attr]


def test_adaptive_max_pool_nan_and_inf() -> None:
    """A nan in a bin wins (the last one, as torch's kernel); a bin of −∞ returns its first.
    The bins of 7 entries in 3: [0, 3), [2, 5), [4, 7)."""
    x = np.array([[[np.nan, np.nan, 3.0, 1.0, -np.inf, -np.inf, -np.inf]]])
    out, idx = F.adaptive_max_pool1d(_t(x), 3, return_indices=True)
    assert idx.tolist() == [[[1, 2, 4]]]
    assert np.isnan(out.data[0, 0, 0]) and out.data[0, 0, 1:].tolist() == [3.0, -np.inf]


@given(st.integers(0, 2**16), st.integers(1, 3))
def test_max_unpool_inverts_max_pool(seed: int, n: int) -> None:
    """unpool(pool(x)) keeps each window's maximum at its place and zeros the rest; the
    gradient of the input is ḡ read at the indices."""
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(2, 7, n))
    k = int(rng.integers(1, 3))
    x = _distinct(rng, (2, 2, *sizes))
    pooled, idx = getattr(F, f"max_pool{n}d")(_t(x, False), k, return_indices=True)
    y = _t(pooled.numpy())
    up = getattr(F, f"max_unpool{n}d")(y, idx, k, output_size=sizes)
    assert up.shape == x.shape
    want = np.zeros((2, 2, int(np.prod(sizes))))
    np.put_along_axis(want, idx.numpy().reshape(2, 2, -1), pooled.numpy().reshape(2, 2, -1), -1)
    np.testing.assert_array_equal(up.detach().numpy(), want.reshape(x.shape))
    g = rng.standard_normal(x.shape)
    (up * tg.tensor(g)).sum().backward()
    read = np.take_along_axis(g.reshape(2, 2, -1), idx.numpy().reshape(2, 2, -1), -1)
    np.testing.assert_array_equal(y.grad.numpy(), read.reshape(pooled.shape))  # type: ignore[union-attr]


@given(st.integers(0, 2**16), st.integers(1, 3), st.sampled_from([1.0, 2.0, 3.0, 1.5]))
def test_lp_pool_is_the_windows_p_norm(seed: int, n: int, p: float) -> None:
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(3, 7, n))
    kernel = tuple(int(v) for v in rng.integers(1, 4, n))
    x = rng.random((2, 2, *sizes)) + 0.1
    out = getattr(F, f"lp_pool{n}d")(_t(x), p, kernel).detach().numpy()
    outs = [s // k for s, k in zip(sizes, kernel)]
    want = np.zeros((2, 2, *outs))
    for o in np.ndindex(*outs):
        window = tuple(slice(i * k, i * k + k) for i, k in zip(o, kernel))
        want[(slice(None), slice(None), *o)] = (
            (x[(slice(None), slice(None), *window)] ** p).sum(tuple(range(2, 2 + n)))
        ) ** (1 / p)
    np.testing.assert_allclose(out, want, rtol=1e-12)
    inf = getattr(F, f"lp_pool{n}d")(_t(x - 0.6), math.inf, kernel).detach().numpy()
    assert inf.shape == want.shape and (inf >= 0).all()


@pytest.mark.filterwarnings("ignore:divide by zero", "ignore:invalid value")
def test_lp_pool_gradient_is_zero_over_a_zero_window() -> None:
    """torch's guard: no nan (0·∞) where a window's sum of powers is 0."""
    x = _t(np.array([[[0.0, 0.0, 3.0, 4.0]]]))
    F.lp_pool1d(x, 2, 2).sum().backward()
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.numpy(), [[[0.0, 0.0, 0.6, 0.8]]], rtol=1e-15)


def test_3d_pools_match_their_loops() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 5, 4, 6))
    mx = F.max_pool3d(_t(x), 2, 1, 1, ceil_mode=True).detach().numpy()
    av = F.avg_pool3d(_t(x), 3, 2, 1, count_include_pad=False).detach().numpy()
    ad = F.adaptive_avg_pool3d(_t(x), (2, 3, 4)).detach().numpy()
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1), (1, 1)], constant_values=-np.inf)
    inside = np.pad(np.ones(x.shape[2:]), 1)
    zp = np.where(np.isinf(xp), 0, xp)
    for o in np.ndindex(*mx.shape[2:]):
        w = tuple(slice(i, i + 2) for i in o)
        assert np.array_equal(mx[(..., *o)], xp[(..., *w)].max((2, 3, 4)))
    for o in np.ndindex(*av.shape[2:]):
        w = tuple(slice(2 * i, 2 * i + 3) for i in o)
        mean = zp[(..., *w)].sum((2, 3, 4)) / inside[w].sum()
        np.testing.assert_allclose(av[(..., *o)], mean, rtol=1e-12)
    for o in np.ndindex(*ad.shape[2:]):
        w = tuple(slice(b.start, b.stop) for b in (_bins(5, 2)[o[0]], _bins(4, 3)[o[1]]))
        w = (*w, slice(_bins(6, 4)[o[2]].start, _bins(6, 4)[o[2]].stop))
        np.testing.assert_allclose(ad[(..., *o)], x[(..., *w)].mean((2, 3, 4)), rtol=1e-12)


def test_interpolate_against_numpy() -> None:
    """nearest by an integer factor is np.repeat; (bi/tri)linear with align_corners is
    np.interp along each dim; area is the mean over equal blocks; an unchanged size copies."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 4, 5))
    near = F.interpolate(_t(x), scale_factor=(2, 3)).detach().numpy()
    np.testing.assert_array_equal(near, np.repeat(np.repeat(x, 2, 2), 3, 3))
    exact = F.interpolate(_t(x), size=(8, 15), mode="nearest-exact").detach().numpy()
    np.testing.assert_array_equal(exact, np.repeat(np.repeat(x, 2, 2), 3, 3))
    lin = F.interpolate(_t(x), size=(7, 9), mode="bilinear", align_corners=True).detach().numpy()
    h, w = np.linspace(0, 3, 7), np.linspace(0, 4, 9)
    rows = np.apply_along_axis(lambda r: np.interp(h, np.arange(4), r), 2, x)
    want = np.apply_along_axis(lambda r: np.interp(w, np.arange(5), r), 3, rows)
    np.testing.assert_allclose(lin, want, atol=1e-12)
    # align_corners=False: centres s·(j + ½) − ½, clamped at the edges
    x1 = rng.standard_normal((1, 2, 6))
    lin1 = F.interpolate(_t(x1), size=10, mode="linear").detach().numpy()
    c = np.clip((np.arange(10) + 0.5) * 0.6 - 0.5, 0, 5)
    np.testing.assert_allclose(lin1[0], [np.interp(c, np.arange(6), r) for r in x1[0]], atol=1e-12)
    x3 = rng.standard_normal((1, 1, 4, 6, 2))
    tri = F.interpolate(_t(x3), scale_factor=2, mode="trilinear", align_corners=True)
    for d, (size, out) in enumerate([(4, 8), (6, 12), (2, 4)]):
        x3 = np.apply_along_axis(
            lambda r, s=size, o=out: np.interp(np.linspace(0, s - 1, o), np.arange(s), r),
            2 + d,
            x3,
        )
    np.testing.assert_allclose(tri.detach().numpy(), x3, atol=1e-12)
    area = F.interpolate(_t(x), size=(2, 1), mode="area").detach().numpy()
    np.testing.assert_allclose(area, x.reshape(2, 3, 2, 2, 1, 5).mean((3, 5)), atol=1e-12)
    for mode in ("linear", "nearest", "area"):
        same = F.interpolate(_t(x1), size=6, mode=mode)
        np.testing.assert_array_equal(same.detach().numpy(), x1)
    cubic = F.interpolate(_t(x), size=(4, 5), mode="bicubic").detach().numpy()
    np.testing.assert_allclose(cubic, x, atol=1e-12)


def test_bicubic_is_keys_cubic_convolution() -> None:
    """Away from the clamped border each output is Σ_k x[i₀ + k − 1]·W(c − i₀ − k + 1) with
    Keys' kernel W, a = −0.75: W(d) = (a+2)|d|³ − (a+3)|d|² + 1 for |d| ≤ 1 and
    a|d|³ − 5a|d|² + 8a|d| − 4a for 1 < |d| < 2; it reproduces straight lines exactly."""
    a = -0.75

    def kernel(d: np.ndarray) -> np.ndarray:
        d = np.abs(d)
        near = (a + 2) * d**3 - (a + 3) * d**2 + 1
        far = a * d**3 - 5 * a * d**2 + 8 * a * d - 4 * a
        return np.where(d <= 1, near, np.where(d < 2, far, 0.0))

    rng = np.random.default_rng(7)
    row = rng.standard_normal(9)
    x = np.broadcast_to(row, (1, 1, 2, 9)).copy()
    out = F.interpolate(_t(x), size=(2, 20), mode="bicubic").detach().numpy()[0, 0, 0]
    c = (np.arange(20) + 0.5) * 0.45 - 0.5
    for j in np.flatnonzero((c >= 1) & (c < 7)):
        i0 = int(np.floor(c[j]))
        taps = np.arange(i0 - 1, i0 + 3)
        np.testing.assert_allclose(out[j], row[taps] @ kernel(c[j] - taps), atol=1e-12)
    flat = F.interpolate(
        tg.full((1, 1, 3, 4), 0.3, dtype=tg.float64), scale_factor=2.5, mode="bicubic"
    )
    np.testing.assert_allclose(flat.numpy(), 0.3, atol=1e-15)  # the weights sum to 1


def test_shuffles_move_entries_as_their_formulas() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 2 * 2 * 2, 3, 4))  # two leading batch dims
    y = F.pixel_shuffle(_t(x), 2).detach().numpy()
    assert y.shape == (2, 3, 2, 6, 8)
    for c, i, j, h, w in np.ndindex(2, 2, 2, 3, 4):
        assert np.array_equal(y[:, :, c, h * 2 + i, w * 2 + j], x[:, :, c * 4 + i * 2 + j, h, w])
    back = F.pixel_unshuffle(_t(y), 2).detach().numpy()
    np.testing.assert_array_equal(back, x)
    z = rng.standard_normal((2, 6, 3))
    s = F.channel_shuffle(_t(z), 3).detach().numpy()
    for i, j in np.ndindex(2, 3):
        assert np.array_equal(s[:, i * 3 + j], z[:, j * 2 + i])


def test_local_response_norm_formula() -> None:
    rng = np.random.default_rng(3)
    for shape in [(2, 5, 4), (2, 6, 3, 2), (1, 4, 2, 2, 2)]:
        x = rng.standard_normal(shape)
        out = F.local_response_norm(_t(x), 3, alpha=0.5, beta=0.6, k=1.5).detach().numpy()
        sq = np.pad(x**2, [(0, 0), (1, 1)] + [(0, 0)] * (len(shape) - 2))
        energy = (sq[:, :-2] + sq[:, 1:-1] + sq[:, 2:]) / 3
        np.testing.assert_allclose(out, x / (1.5 + 0.5 * energy) ** 0.6, rtol=1e-12)
    x = rng.standard_normal((1, 4, 3))
    even = F.local_response_norm(_t(x), 2).detach().numpy()
    sq = np.pad(x**2, [(0, 0), (1, 0), (0, 0)])
    np.testing.assert_allclose(even, x / (1 + 1e-4 * (sq[:, :-1] + sq[:, 1:]) / 2) ** 0.75)
    empty = tg.zeros(0, 3, 2)
    assert F.local_response_norm(empty, 2) is empty


def test_gradcheck_and_gradgradcheck() -> None:
    rng = np.random.default_rng(4)
    # small inputs: gradgradcheck's cost grows with the square of their size
    x3 = _distinct(rng, (1, 1, 3, 2, 4))
    x2 = _distinct(rng, (1, 2, 4, 5))
    x1 = _distinct(rng, (1, 2, 7))
    # gradgradcheck where the gradient is not linear in x (for the others it is a constant
    # rearrangement of ḡ, whose own rules gradcheck already covers)
    curved: list[tuple[Callable[[tg.Tensor], tg.Tensor], np.ndarray]] = [
        (lambda x: F.lp_pool2d(x, 3.0, 2, 1), x2),
        (lambda x: F.lp_pool1d(x, 1.5, 3, 2, ceil_mode=True), x1 + 0.1),
        (lambda x: F.local_response_norm(x, 3, alpha=0.1, k=2.0), x2),
    ]
    for fn, a in curved:
        assert gradgradcheck(fn, [_t(a)])
    fns: list[tuple[Callable[[tg.Tensor], tg.Tensor], np.ndarray]] = [
        *curved,
        (lambda x: F.max_pool3d(x, 2, 1, 1, dilation=(1, 2, 1), ceil_mode=True), x3),
        (lambda x: F.avg_pool3d(x, (2, 3, 2), 2, 1, ceil_mode=True, count_include_pad=False), x3),
        (lambda x: F.adaptive_avg_pool3d(x, (2, 3, 3)), x3),
        (lambda x: F.adaptive_max_pool3d(x, (2, 3, 3)), x3),
        (lambda x: F.adaptive_max_pool2d(x, (3, 7)), x2),
        (lambda x: F.adaptive_max_pool1d(x, 3), x1),
        (lambda x: F.lp_pool3d(x, math.inf, 2), x3),
        (lambda x: F.interpolate(x, size=(5, 7), mode="bilinear"), x2),
        (lambda x: F.interpolate(x, scale_factor=1.7, mode="bicubic", align_corners=True), x2),
        (lambda x: F.interpolate(x, scale_factor=0.6, mode="bicubic"), x2),
        (lambda x: F.interpolate(x, size=(2, 3, 5), mode="trilinear"), x3),
        (lambda x: F.interpolate(x, size=11, mode="linear", align_corners=True), x1),
        (lambda x: F.interpolate(x, scale_factor=1.5, mode="nearest"), x1),
        (lambda x: F.interpolate(x, size=(3, 7), mode="nearest-exact"), x2),
        (lambda x: F.interpolate(x, size=(2, 1, 3), mode="area"), x3),
        (lambda x: F.pixel_shuffle(x, 2), x2.reshape(1, 8, 1, 5)),
        (lambda x: F.pixel_unshuffle(x, 2), x2.reshape(1, 1, 4, 10)),
        (lambda x: F.channel_shuffle(x, 2), x2),
    ]
    for fn, a in fns:
        assert gradcheck(fn, [_t(a)])
    # the backward graphs of a gather and of weighted index reads are differentiable too
    assert gradgradcheck(lambda x: F.adaptive_max_pool2d(x, (3, 7)), [_t(x2)])
    assert gradgradcheck(lambda x: F.interpolate(x, scale_factor=0.6, mode="bicubic"), [_t(x2)])
    _, idx = F.max_pool2d(_t(x2, False), 2, return_indices=True)
    y = rng.standard_normal((1, 2, 2, 2))
    assert gradcheck(lambda v: F.max_unpool2d(v, idx, 2, output_size=(4, 5)), [_t(y)])
    assert gradgradcheck(lambda v: F.max_unpool2d(v, idx, 2, output_size=(4, 5)), [_t(y)])


def test_modules_call_their_functions() -> None:
    rng = np.random.default_rng(5)
    x = _t(rng.standard_normal((2, 4, 4, 6, 6)), False)
    pairs: list[tuple[nn.Module, Callable[[tg.Tensor], Any]]] = [
        (nn.MaxPool3d(2, 1, 1), lambda v: F.max_pool3d(v, 2, 1, 1)),
        (nn.AvgPool3d(3, 2, 1, True, False), lambda v: F.avg_pool3d(v, 3, 2, 1, True, False)),
        (nn.AdaptiveAvgPool3d((2, None, 3)), lambda v: F.adaptive_avg_pool3d(v, (2, None, 3))),
        (nn.AdaptiveMaxPool3d(2), lambda v: F.adaptive_max_pool3d(v, 2)),
        (nn.AdaptiveMaxPool2d((3, 2)), lambda v: F.adaptive_max_pool2d(v[0], (3, 2))),
        (nn.LPPool3d(2, 2), lambda v: F.lp_pool3d(v, 2.0, 2)),
        (
            nn.Upsample(scale_factor=2, mode="trilinear"),
            lambda v: F.interpolate(v, None, 2.0, "trilinear"),
        ),
        (nn.ChannelShuffle(2), lambda v: F.channel_shuffle(v, 2)),
        (nn.LocalResponseNorm(3), lambda v: F.local_response_norm(v, 3)),
    ]
    for module, fn in pairs:
        arg = x[0] if isinstance(module, nn.AdaptiveMaxPool2d) else x
        np.testing.assert_array_equal(module(arg).numpy(), fn(x).numpy())
    out, idx = nn.AdaptiveMaxPool1d(3, return_indices=True)(x[0, 0])
    assert out.shape == idx.shape == (4, 6, 3)
    pooled, idx = nn.MaxPool2d(2, return_indices=True)(x[0, 0])
    assert nn.MaxUnpool2d(2)(pooled, idx).shape == (4, 6, 6)
    assert nn.MaxUnpool2d(2)(pooled, idx, output_size=(4, 4, 7, 7)).shape == (4, 7, 7)
    y = x[0, :, 0]
    assert nn.PixelUnshuffle(2)(y).shape == (16, 3, 3)
    assert nn.PixelShuffle(2)(nn.PixelUnshuffle(2)(y)).shape == y.shape
    assert nn.UpsamplingNearest2d(scale_factor=2)(y[None]).shape == (1, 4, 12, 12)
    near = nn.UpsamplingBilinear2d(size=(3, 5))(y[None])
    assert np.array_equal(
        near.numpy(), F.interpolate(y[None], (3, 5), None, "bilinear", True).numpy()
    )
    assert F.max_pool1d_with_indices(x[0, 0], 2)[1].shape == (4, 6, 3)


def test_empty_batches_and_empty_outputs() -> None:
    """Only the batch may be empty (as torch's kernels); adaptive pools may return 0 places."""
    z = tg.zeros(0, 2, 4, 4, requires_grad=True)
    outs = [
        F.adaptive_max_pool2d(z, 2),
        F.max_unpool2d(z, tg.zeros(0, 2, 4, 4, dtype=tg.int64), 2),
        F.interpolate(z, scale_factor=1.5, mode="bicubic"),
        F.lp_pool2d(z, 2, 2),
        F.pixel_shuffle(z, 1),
        F.local_response_norm(z, 2),
    ]
    assert [o.shape for o in outs] == [
        (0, 2, 2, 2),
        (0, 2, 8, 8),
        (0, 2, 6, 6),
        (0, 2, 2, 2),
        (0, 2, 4, 4),
        (0, 2, 4, 4),
    ]
    x = tg.ones(1, 2, 3, 3, requires_grad=True)
    out, idx = F.adaptive_max_pool2d(x, (0, 2), return_indices=True)
    assert out.shape == idx.shape == (1, 2, 0, 2)
    assert F.interpolate(x, size=(0, 2), mode="area").shape == (1, 2, 0, 2)
    out.sum().backward()
    assert x.grad is not None and not x.grad.numpy().any()


def test_deprecated_upsample_functions_warn() -> None:
    x = tg.ones(1, 1, 2, 2)
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.upsample(x, scale_factor=2).shape == (1, 1, 4, 4)
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.upsample_nearest(x, 3).shape == (1, 1, 3, 3)
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.upsample_bilinear(x, (3, 2)).shape == (1, 1, 3, 2)


def test_gradients_where_torch_is_not_its_own_adjoint() -> None:
    """Our gradient is the adjoint of our (torch's) forward, checked by finite differences."""
    rng = np.random.default_rng(6)
    # nearest on 3-D input with a factor that keeps the size: torch reads ⌊j/1.1⌋ forward
    x = _t(rng.standard_normal((1, 1, 5)))
    y = F.interpolate(x, scale_factor=1.1)
    assert y.detach().numpy()[0, 0].tolist() == x.detach().numpy()[0, 0, [0, 0, 1, 2, 3]].tolist()
    assert gradcheck(lambda v: F.interpolate(v, scale_factor=1.1), [x])
    x2 = _t(x.detach().numpy()[None])
    assert gradcheck(lambda v: F.interpolate(v, scale_factor=1.2, mode="bicubic"), [x2])


OURS = SimpleNamespace(F=F, nn=nn, randn=tg.randn, zeros=tg.zeros, long=tg.int64)

# (call on a namespace of F, nn, randn, zeros, long; exception kind; words in our message)
ERRORS: list[tuple[Callable[[Any], Any], type[Exception], str]] = [
    (lambda m: m.F.max_pool3d(m.randn(2, 3, 4), 2), RuntimeError, "4-d (unbatched) or 5-d"),
    (lambda m: m.F.max_pool3d(m.randn(1, 2, 4, 4, 4), (2, 2)), RuntimeError, "kernel_size"),
    (lambda m: m.F.avg_pool3d(m.randn(1, 2, 4, 4, 4), 2, padding=2), RuntimeError, "half"),
    (lambda m: m.F.adaptive_avg_pool3d(m.randn(1, 2, 4, 4), (2, 2)), RuntimeError, "3 entries"),
    (lambda m: m.F.adaptive_max_pool2d(m.randn(1, 2, 4, 4), (2, 2, 2)), RuntimeError, "2 entries"),
    (lambda m: m.F.adaptive_max_pool2d(m.randn(2, 0, 4, 4), 2), RuntimeError, "non-zero"),
    (lambda m: m.F.adaptive_max_pool3d(m.randn(2, 4, 4), 2), RuntimeError, "4-d (unbatched)"),
    (lambda m: m.F.adaptive_max_pool1d(m.randn(2, 4), (None,)), TypeError, "output_size"),
    (lambda m: m.F.adaptive_max_pool2d(m.randn(1, 2, 4, 4), -1), RuntimeError, "non-negative"),
    (
        lambda m: m.F.max_unpool2d(m.randn(1, 2, 2, 2), m.zeros(1, 2, 2, 2), 2),
        RuntimeError,
        "int64",
    ),
    (
        lambda m: m.F.max_unpool2d(m.randn(1, 2, 2, 2), m.zeros(1, 2, 2, 3, dtype=m.long), 2),
        RuntimeError,
        "same as that of the input",
    ),
    (
        lambda m: m.F.max_unpool2d(m.randn(1, 2, 2, 2), m.zeros(1, 2, 2, 2, dtype=m.long) + 16, 2),
        RuntimeError,
        "invalid max index: 16",
    ),
    (
        lambda m: m.F.max_unpool2d(m.randn(1, 2, 2, 2), m.zeros(1, 2, 2, 2, dtype=m.long) - 1, 2),
        RuntimeError,
        "invalid max index: -1",
    ),
    (
        lambda m: m.F.max_unpool2d(
            m.randn(1, 2, 2, 2), m.zeros(1, 2, 2, 2, dtype=m.long), 2, output_size=(6, 4)
        ),
        ValueError,
        "between 2 and 6",
    ),
    (
        lambda m: m.F.max_unpool1d(
            m.randn(1, 2, 2), m.zeros(1, 2, 2, dtype=m.long), 2, output_size=(4, 4)
        ),
        ValueError,
        "1 or 3 elements",
    ),
    (
        lambda m: m.F.max_unpool2d(m.randn(1, 0, 2, 2), m.zeros(1, 0, 2, 2, dtype=m.long), 2),
        RuntimeError,
        "non-zero size",
    ),
    (lambda m: m.F.lp_pool2d(m.randn(1, 2, 4, 4), 0, 2), ZeroDivisionError, "non-zero"),
    (lambda m: m.F.lp_pool1d(m.randn(1, 2, 4), 2, 5), RuntimeError, "too small"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), size=3, scale_factor=2), ValueError, "only one"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4)), ValueError, "either size or scale_factor"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), size=(2, 2)), ValueError, "spatial dimensions"),
    (
        lambda m: m.F.interpolate(m.randn(1, 2, 4, 4), scale_factor=(2,)),
        ValueError,
        "spatial dimensions",
    ),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), size=2.0), TypeError, "size"),
    (
        lambda m: m.F.interpolate(m.randn(1, 2, 4), size=5, align_corners=True),
        ValueError,
        "align_corners",
    ),
    (
        lambda m: m.F.interpolate(m.randn(1, 2, 4), size=5, recompute_scale_factor=True),
        ValueError,
        "recompute_scale_factor",
    ),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), 5, mode="bilinear"), NotImplementedError, "4-D"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4, 4), 5, mode="linear"), NotImplementedError, "3-D"),
    (lambda m: m.F.interpolate(m.randn(2, 4), 5), NotImplementedError, "got 2-D"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), 5, mode="cubic"), NotImplementedError, "cubic"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), scale_factor=0.2), RuntimeError, "greater than 0"),
    (lambda m: m.F.interpolate(m.randn(1, 0, 4), 3), RuntimeError, "non-empty"),
    (lambda m: m.F.interpolate(m.randn(1, 2, 4), scale_factor=math.nan), RuntimeError, "finite"),
    (
        lambda m: m.F.interpolate(m.randn(1, 2, 4), 3, mode="linear", align_corners=1),
        TypeError,
        "align_corners",
    ),
    (
        lambda m: m.F.interpolate(m.zeros(1, 2, 4, dtype=m.long), 3),
        NotImplementedError,
        "int64",
    ),
    (lambda m: m.F.pixel_shuffle(m.randn(4, 4), 2), RuntimeError, "at least 3 dimensions"),
    (lambda m: m.F.pixel_shuffle(m.randn(1, 4, 2, 2), 0), RuntimeError, "positive"),
    (lambda m: m.F.pixel_shuffle(m.randn(1, 4, 2, 2), 2.0), TypeError, "must be int"),
    (lambda m: m.F.pixel_shuffle(m.randn(1, 6, 2, 2), 2), RuntimeError, "divisible by 4"),
    (lambda m: m.F.pixel_unshuffle(m.randn(1, 1, 3, 4), 2), RuntimeError, "height"),
    (lambda m: m.F.pixel_unshuffle(m.randn(1, 1, 4, 3), 2), RuntimeError, "width"),
    (lambda m: m.F.pixel_unshuffle(m.randn(4, 4), 2), RuntimeError, "at least 3 dimensions"),
    (lambda m: m.F.pixel_unshuffle(m.randn(1, 1, 4, 4), 0), RuntimeError, "positive downscale"),
    (lambda m: m.F.pixel_unshuffle(m.randn(1, 1, 4, 4), 2.0), TypeError, "'downscale_factor'"),
    (lambda m: m.F.channel_shuffle(m.randn(1, 4, 2), 3), RuntimeError, "divisible by groups"),
    (lambda m: m.F.channel_shuffle(m.randn(1, 4, 2), 0), RuntimeError, "positive"),
    (lambda m: m.F.channel_shuffle(m.randn(4, 2), 2), RuntimeError, "> 2 dims"),
    (lambda m: m.F.channel_shuffle(m.randn(1, 4, 2), 2.0), TypeError, "must be int"),
    (lambda m: m.F.local_response_norm(m.randn(4, 2), 2), ValueError, "3-D or higher"),
    (lambda m: m.F.local_response_norm(m.randn(1, 4, 2), 0), RuntimeError, "positive"),
    (lambda m: m.F.local_response_norm(m.randn(1, 4, 2), 2.5), TypeError, "size"),
]


@pytest.mark.parametrize("call, kind, words", ERRORS)
def test_errors_name_the_op_and_values(
    call: Callable[[Any], Any], kind: type[Exception], words: str
) -> None:
    with pytest.raises(kind) as info:
        call(OURS)
    assert words in str(info.value), str(info.value)


# ----------------------------------------------------------------------------- against torch


def _compare(
    torch: Any,
    ours: Callable[..., Any],
    theirs: Callable[..., Any],
    x: np.ndarray,
    rng: np.random.Generator,
    grad: bool = True,
) -> None:
    """Values (and indices, for a pair) and the gradient of Σ out·G, G random; float64 to
    1e-12, float32 to its own precision. Where torch refuses the drawn options, so must we."""
    tol = 1e-12 if x.dtype == np.float64 else 2e-5
    mine, ref = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    try:
        expected = theirs(ref)
    except RuntimeError as e:  # drawn options torch refuses (a window larger than the input)
        with pytest.raises(RuntimeError):
            ours(mine)
        assert not isinstance(e, NotImplementedError)
        return
    out = ours(mine)
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(out[1].numpy(), expected[1].numpy())
        out, expected = out[0], expected[0]
    assert out.shape == tuple(expected.shape) and out.dtype == x.dtype
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=tol, atol=tol)
    if not grad:
        return
    g = rng.standard_normal(expected.shape).astype(x.dtype)
    (out * tg.tensor(g)).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(mine.grad.numpy(), ref.grad.numpy(), rtol=tol, atol=10 * tol)  # type: ignore[union-attr]


def _kernel_args(rng: np.random.Generator, n: int) -> dict[str, Any]:
    kernel = tuple(int(v) for v in rng.integers(1, 4, n))
    return {
        "kernel_size": kernel,
        "stride": tuple(int(v) for v in rng.integers(1, 3, n)),
        "padding": tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel),
        "ceil_mode": bool(rng.integers(2)),
    }


@given(st.integers(0, 2**16), st.sampled_from(["max", "avg"]), st.booleans())
def test_3d_pools_match_torch(seed: int, kind: str, unbatched: bool) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    kw = _kernel_args(rng, 3)
    if kind == "max":
        kw["dilation"] = tuple(int(v) for v in rng.integers(1, 3, 3))
        kw["return_indices"] = bool(rng.integers(2))
    else:
        kw["count_include_pad"] = bool(rng.integers(2))
        kw["divisor_override"] = [None, 3][int(rng.integers(2))]
    sizes = [int(v) for v in rng.integers(3, 6, 3)]
    x = np.round(rng.standard_normal((2, 2, *sizes)[int(unbatched) :]) * 2) / 2
    name = f"{kind}_pool3d"
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    _compare(torch, lambda v: ours(v, **kw), lambda v: theirs(v, **kw), x, rng)
    if kind == "max":
        ours, theirs = F.max_pool3d_with_indices, torch.nn.functional.max_pool3d_with_indices
        kw.pop("return_indices")
        _compare(torch, lambda v: ours(v, **kw), lambda v: theirs(v, **kw), x, rng)


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # Σ out·G of ±∞ outputs
@given(st.integers(0, 2**16), st.integers(1, 3), st.booleans(), st.booleans())
def test_adaptive_pools_match_torch(seed: int, n: int, unbatched: bool, nans: bool) -> None:
    """Coarse values (ties), nans and infs: torch's first maximum or last nan, in every bin."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    sizes = tuple(int(v) for v in rng.integers(1, 7, n))
    outs: list[int | None] = [int(v) for v in rng.integers(1, 8, n)]
    if n > 1 and rng.integers(2):
        outs[int(rng.integers(n))] = None
    x = np.round(rng.standard_normal((2, 3, *sizes)[int(unbatched) :]))
    if nans:
        x[rng.random(x.shape) < 0.15] = np.nan
        x[rng.random(x.shape) < 0.15] = -np.inf
    size = tuple(outs) if n > 1 or rng.integers(2) else outs[0]
    for name in (f"adaptive_max_pool{n}d", f"adaptive_max_pool{n}d_with_indices"):
        mine, ref = getattr(F, name), getattr(torch.nn.functional, name)
        _compare(
            torch,
            lambda v, f=mine: f(v, size, True),
            lambda v, f=ref: f(v, size, True),
            x,
            rng,
        )
    if not nans:
        ours, theirs = (
            getattr(F, f"adaptive_avg_pool{n}d"),
            getattr(torch.nn.functional, f"adaptive_avg_pool{n}d"),
        )
        _compare(torch, lambda v: ours(v, size), lambda v: theirs(v, size), x, rng)


@given(st.integers(0, 2**16), st.integers(1, 3), st.booleans())
def test_max_unpool_matches_torch(seed: int, n: int, given_size: bool) -> None:
    """From torch's own max pool indices, overlapping windows (repeated indices) included."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    kw = _kernel_args(rng, n)
    kw.pop("ceil_mode")
    sizes = tuple(int(v) for v in rng.integers(3, 7, n))
    x = torch.tensor(np.round(rng.standard_normal((2, 2, *sizes)) * 2) / 2)
    pooled, idx = getattr(torch.nn.functional, f"max_pool{n}d")(x, return_indices=True, **kw)
    if given_size:
        kw["output_size"] = sizes
    ours, theirs = getattr(F, f"max_unpool{n}d"), getattr(torch.nn.functional, f"max_unpool{n}d")
    mine_idx = tg.tensor(idx.numpy())
    try:
        theirs(pooled, idx, **kw)
    except RuntimeError as e:  # torch's default size can be too small for its indices
        with pytest.raises(RuntimeError, match="invalid max index"):
            ours(tg.tensor(pooled.numpy()), mine_idx, **kw)
        assert "invalid max index" in str(e)
        return
    _compare(
        torch,
        lambda v: ours(v, mine_idx, **kw),
        lambda v: theirs(v, idx, **kw),
        pooled.numpy(),
        rng,
    )


@given(st.integers(0, 2**16), st.integers(1, 3), st.sampled_from([1, 2, 3.0, 1.5, math.inf]))
def test_lp_pools_match_torch(seed: int, n: int, p: float) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    kw = _kernel_args(rng, n)
    kw.pop("padding")
    if rng.integers(2):
        kw.pop("stride")
    if n == 1:  # torch's lp_pool1d multiplies by kernel_size itself: an int only
        kw = {k: v[0] if isinstance(v, tuple) else v for k, v in kw.items()}
    sizes = tuple(int(v) for v in rng.integers(3, 7, n))
    # positive where an odd or fractional power needs it (else a negative sum's root is nan)
    x = rng.standard_normal((2, 2, *sizes))
    if p in (1.5, 3.0):
        x = np.abs(x) + 0.1
    name = f"lp_pool{n}d"
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    _compare(torch, lambda v: ours(v, p, **kw), lambda v: theirs(v, p, **kw), x, rng)


_INTERP_DIMS = {"linear": [1], "bilinear": [2], "bicubic": [2], "trilinear": [3]}


@given(
    st.integers(0, 2**16),
    st.sampled_from(
        ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"]
    ),
    st.sampled_from([np.float64, np.float32]),
)
def test_interpolate_matches_torch(seed: int, mode: str, dtype: Any) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    n = int(rng.choice(_INTERP_DIMS.get(mode, [1, 2, 3])))
    sizes = tuple(int(v) for v in rng.integers(1, 7, n))
    kw: dict[str, Any] = {"mode": mode}
    if mode in _INTERP_DIMS:
        kw["align_corners"] = bool(rng.integers(2))
    if rng.integers(2):
        size = tuple(int(v) for v in rng.integers(1, 12, n))
        kw["size"] = size if n > 1 or rng.integers(2) else size[0]
    else:
        factors = tuple(float(v) for v in np.round(rng.uniform(0.4, 3.2, n), 2))
        kw["scale_factor"] = factors if n > 1 or rng.integers(2) else factors[0]
        kw["recompute_scale_factor"] = [None, True, False][int(rng.integers(3))]
        fs = factors if len(factors) == n else factors * n
        if any(int(s * f) == 0 for s, f in zip(sizes, fs)):
            kw["scale_factor"] = 3.0
    x = rng.standard_normal((2, 3, *sizes)).astype(dtype)
    out_sizes = F.interpolate(tg.tensor(x), **kw).shape[2:]
    scaled = "scale_factor" in kw and not kw.get("recompute_scale_factor")
    # torch's backward is not its forward's adjoint here (see the module docstring)
    kept_or_doubled = any(o in (s, 2 * s) for o, s in zip(out_sizes, sizes))
    shortcut = mode == "nearest" and n != 2 and kept_or_doubled
    copied = mode == "bicubic" and tuple(out_sizes) == sizes
    grad = not (scaled and (shortcut or copied))
    ours = lambda v: F.interpolate(v, **kw)  # noqa: E731
    theirs = lambda v: torch.nn.functional.interpolate(v, **kw)  # noqa: E731
    _compare(torch, ours, theirs, x, rng, grad=grad)


@given(st.integers(0, 2**16), st.integers(1, 3), st.integers(0, 2))
def test_shuffles_and_lrn_match_torch(seed: int, r: int, extra: int) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    batch = tuple(int(v) for v in rng.integers(1, 3, extra))
    x = rng.standard_normal((*batch, 2 * r * r, 2 * r, 3 * r))
    tf = torch.nn.functional
    _compare(torch, lambda v: F.pixel_shuffle(v, r), lambda v: tf.pixel_shuffle(v, r), x, rng)
    _compare(torch, lambda v: F.pixel_unshuffle(v, r), lambda v: tf.pixel_unshuffle(v, r), x, rng)
    y = rng.standard_normal((2, 2 * r, *[3] * extra, 2))
    for groups in {1, 2, r, 2 * r}:
        _compare(
            torch,
            lambda v, g=groups: F.channel_shuffle(v, g),
            lambda v, g=groups: tf.channel_shuffle(v, g),
            y,
            rng,
        )
    size = int(rng.integers(1, 6))
    alpha, beta, k = (float(v) for v in rng.uniform((0.01, 0.2, 0.5), (1, 1, 2)))
    args = (size, alpha, beta, k)
    _compare(
        torch,
        lambda v: F.local_response_norm(v, *args),
        lambda v: tf.local_response_norm(v, *args),
        y,
        rng,
    )


def test_module_reprs_match_torch() -> None:
    torch = pytest.importorskip("torch")
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("MaxPool3d", (2,), {}),
        ("MaxPool3d", ((2, 3, 1), 1, 1, 2, True, True), {}),
        ("AvgPool3d", (3, 1, 1, True, False, 2), {}),
        ("AdaptiveAvgPool3d", ((2, None, 3),), {}),
        ("AdaptiveMaxPool1d", (3,), {}),
        ("AdaptiveMaxPool2d", ((2, None), True), {}),
        ("AdaptiveMaxPool3d", (2,), {}),
        ("MaxUnpool1d", (2,), {}),
        ("MaxUnpool2d", ((2, 3), 1, 1), {}),
        ("MaxUnpool3d", (2,), {"padding": 1}),
        ("LPPool1d", (2, 3), {}),
        ("LPPool2d", (1.5, (2, 3), 1, True), {}),
        ("LPPool3d", (2, 2), {}),
        ("Upsample", (), {"scale_factor": 2}),
        ("Upsample", ((3, 4),), {"mode": "bilinear", "align_corners": True}),
        ("Upsample", (), {"scale_factor": (2, 3), "mode": "bicubic"}),
        ("UpsamplingNearest2d", (5,), {}),
        ("UpsamplingBilinear2d", (), {"scale_factor": (2, 3)}),
        ("PixelShuffle", (2,), {}),
        ("PixelUnshuffle", (3,), {}),
        ("ChannelShuffle", (3,), {}),
        ("LocalResponseNorm", (3,), {}),
        ("LocalResponseNorm", (2, 0.1, 0.5, 2), {}),
    ]
    for name, args, kw in calls:
        assert repr(getattr(nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


def _names(text: str) -> list[str]:
    return text.split()


SIGNED = _names(
    "adaptive_avg_pool3d adaptive_max_pool1d_with_indices adaptive_max_pool2d_with_indices "
    "adaptive_max_pool3d_with_indices interpolate local_response_norm lp_pool1d lp_pool2d "
    "lp_pool3d max_pool1d_with_indices max_pool2d_with_indices max_pool3d_with_indices "
    "max_unpool1d max_unpool2d max_unpool3d upsample upsample_bilinear upsample_nearest"
)
LAYERS = _names(
    "MaxPool3d AvgPool3d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d AdaptiveMaxPool3d "
    "MaxUnpool1d MaxUnpool2d MaxUnpool3d LPPool1d LPPool2d LPPool3d Upsample UpsamplingNearest2d "
    "UpsamplingBilinear2d PixelShuffle PixelUnshuffle ChannelShuffle LocalResponseNorm"
)


def test_signatures_match_torch() -> None:
    """Parameter names and defaults of the functions (where torch's are Python functions; its
    builtins by their documented signature) and of the layers' __init__ and forward."""
    torch = pytest.importorskip("torch")

    def params(f: Any) -> list[tuple[str, Any]]:
        return [(p.name, p.default) for p in inspect.signature(f).parameters.values()]

    for name in SIGNED:
        assert params(getattr(F, name)) == params(getattr(torch.nn.functional, name)), name
    for name in ("avg_pool3d", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle"):
        doc = getattr(torch.nn.functional, name).__doc__.strip().splitlines()[0]
        args = [
            p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default}"
            for p in inspect.signature(getattr(F, name)).parameters.values()
        ]
        assert doc.startswith(f"{name}({', '.join(args)})"), (name, doc)
    for name in LAYERS:
        ours, theirs = getattr(nn, name), getattr(torch.nn, name)
        assert params(ours.__init__) == params(theirs.__init__), name
        assert params(ours.forward) == params(theirs.forward), name


@pytest.mark.parametrize("call, kind, words", ERRORS)
def test_errors_are_torchs_kind(
    call: Callable[[Any], Any], kind: type[Exception], words: str
) -> None:
    """Each bad call fails in torch too, with an exception of the kind we raise."""
    torch = pytest.importorskip("torch")
    theirs = SimpleNamespace(
        F=torch.nn.functional, nn=torch.nn, randn=torch.randn, zeros=torch.zeros, long=torch.long
    )
    with pytest.raises(Exception) as info:
        call(theirs)
    assert isinstance(info.value, kind), info.value
