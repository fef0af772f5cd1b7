"""conv3d, the transposed convolutions and unfold/fold (im2col, col2im), functional and modules.

Without torch: each against its sum written out as numpy loops over drawn strides, paddings,
dilations, groups and output paddings; the adjoint identities that define them
(⟨conv(y, w), x⟩ = ⟨y, conv_transpose(x, w)⟩, ⟨unfold(a), c⟩ = ⟨a, fold(c)⟩); gradcheck and
gradgradcheck in float64; the modules' shapes, init, reprs, output_size and errors. Where PyTorch
is installed: values and every input's gradient over drawn arguments, the modules with torch's
weights, reprs, and each error's exception kind.
"""

from __future__ import annotations

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


# ----------------------------------------------------------------------------- references


def _conv_ref(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, ...],
    pad: tuple[int, ...],
    dil: tuple[int, ...],
    groups: int,
) -> np.ndarray:
    """out[n, o, i…] = Σ_{c ∈ group(o), p…} w[o, c, p…] · xpad[n, c, i·s + p·d …]."""
    xp = np.pad(x, [(0, 0), (0, 0), *[(p, p) for p in pad]])
    kernel = w.shape[2:]
    outs = [
        (xp.shape[2 + k] - dil[k] * (kernel[k] - 1) - 1) // stride[k] + 1
        for k in range(len(kernel))
    ]
    out = np.zeros((x.shape[0], w.shape[0], *outs))
    cg, og = x.shape[1] // groups, w.shape[0] // groups
    for o in range(w.shape[0]):
        chans = slice((o // og) * cg, (o // og + 1) * cg)
        for i in np.ndindex(*outs):
            for p in np.ndindex(*kernel):
                pos = tuple(i[k] * stride[k] + p[k] * dil[k] for k in range(len(kernel)))
                out[(slice(None), o, *i)] += (
                    xp[(slice(None), chans, *pos)] @ w[(o, slice(None), *p)]
                )
    return out


def _conv_transpose_ref(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    stride: tuple[int, ...],
    pad: tuple[int, ...],
    out_pad: tuple[int, ...],
    dil: tuple[int, ...],
    groups: int,
) -> np.ndarray:
    """Each input place spreads x[n, c, i…]·w[c, o, p…] onto out[n, o, i·s + p·d − pad …]:
    written into the unpadded output, then the padding cut off."""
    kernel, sizes = w.shape[2:], x.shape[2:]
    full = [
        (sizes[k] - 1) * stride[k] + dil[k] * (kernel[k] - 1) + 1 + out_pad[k]
        for k in range(len(kernel))
    ]
    cg, og = x.shape[1] // groups, w.shape[1]
    out = np.zeros((x.shape[0], og * groups, *full))
    for c in range(x.shape[1]):
        outs = slice((c // cg) * og, (c // cg + 1) * og)
        for i in np.ndindex(*sizes):
            for p in np.ndindex(*kernel):
                pos = tuple(i[k] * stride[k] + p[k] * dil[k] for k in range(len(kernel)))
                out[(slice(None), outs, *pos)] += np.outer(
                    x[(slice(None), c, *i)], w[(c, slice(None), *p)]
                )
    out = out[(Ellipsis, *[slice(p, f - p) for p, f in zip(pad, full)])]
    return out if b is None else out + b.reshape(-1, *(1,) * len(kernel))


def _unfold_ref(
    x: np.ndarray,
    kernel: tuple[int, int],
    dil: tuple[int, int],
    pad: tuple[int, int],
    stride: tuple[int, int],
) -> np.ndarray:
    """out[n, (c, p, q), (i, j)] = xpad[n, c, i·s + p·d, j·s + q·d]."""
    xp = np.pad(x, [(0, 0), (0, 0), *[(p, p) for p in pad]])
    blocks = [(xp.shape[2 + k] - dil[k] * (kernel[k] - 1) - 1) // stride[k] + 1 for k in range(2)]
    out = np.zeros((x.shape[0], x.shape[1], *kernel, *blocks))
    for p, q, i, j in np.ndindex(*kernel, *blocks):
        out[:, :, p, q, i, j] = xp[:, :, i * stride[0] + p * dil[0], j * stride[1] + q * dil[1]]
    return out.reshape(x.shape[0], x.shape[1] * math.prod(kernel), math.prod(blocks))


def _fold_ref(
    c: np.ndarray,
    size: tuple[int, int],
    kernel: tuple[int, int],
    dil: tuple[int, int],
    pad: tuple[int, int],
    stride: tuple[int, int],
) -> np.ndarray:
    """Each column entry added at the place unfold reads it from; the padding cut off."""
    blocks = [
        (size[k] + 2 * pad[k] - dil[k] * (kernel[k] - 1) - 1) // stride[k] + 1 for k in range(2)
    ]
    cols = c.reshape(c.shape[0], c.shape[1] // math.prod(kernel), *kernel, *blocks)
    out = np.zeros((c.shape[0], cols.shape[1], size[0] + 2 * pad[0], size[1] + 2 * pad[1]))
    for p, q, i, j in np.ndindex(*kernel, *blocks):
        out[:, :, i * stride[0] + p * dil[0], j * stride[1] + q * dil[1]] += cols[:, :, p, q, i, j]
    return out[:, :, pad[0] : pad[0] + size[0], pad[1] : pad[1] + size[1]]


# ----------------------------------------------------------------------------- drawn arguments


@st.composite
def transposed_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A conv_transpose call with 1 to 3 spatial dims whose output is not empty."""
    n = draw(st.integers(1, 3))
    small = n == 3  # a 3-d loop reference is slow; keep its sizes down
    groups = draw(st.sampled_from([1, 2]))
    per = lambda lo, hi: tuple(draw(st.integers(lo, hi)) for _ in range(n))  # noqa: E731
    stride, dil = per(1, 3), per(1, 2)
    kernel, sizes = per(1, 2 if small else 3), per(1, 2 if small else 4)
    out_pad = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dil))
    full = [
        (i - 1) * s + d * (k - 1) + 1 + e
        for i, s, d, k, e in zip(sizes, stride, dil, kernel, out_pad)
    ]
    pad = tuple(draw(st.integers(0, (f - 1) // 2)) for f in full)
    return {
        "n": n,
        "x": (draw(st.integers(1, 2)), 2 * groups, *sizes),
        "w": (2 * groups, draw(st.integers(1, 2)), *kernel),
        "bias": draw(st.booleans()),
        "kw": {
            "stride": stride,
            "padding": pad,
            "output_padding": out_pad,
            "groups": groups,
            "dilation": dil,
        },
    }


@st.composite
def block_cases(draw: st.DrawFn) -> dict[str, Any]:
    """An unfold/fold call on a (N, C, H, W) image with at least one block."""
    pair = lambda lo, hi: (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))  # noqa: E731
    kernel, dil, stride = pair(1, 3), pair(1, 2), pair(1, 3)
    pad = (draw(st.integers(0, 1)), draw(st.integers(0, 1)))
    size = tuple(
        max(d * (k - 1) + 1 - 2 * p, 1) + draw(st.integers(0, 3))
        for k, d, p in zip(kernel, dil, pad)
    )
    return {
        "shape": (draw(st.integers(0, 2)), draw(st.integers(1, 2)), *size),
        "args": (kernel, dil, pad, stride),
    }


def _draw_arrays(seed: int, case: dict[str, Any]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(case["x"]), rng.standard_normal(case["w"])]
    if case["bias"]:
        arrays.append(rng.standard_normal(case["w"][1] * case["kw"]["groups"]))
    return arrays


# ----------------------------------------------------------------------------- without torch


@given(st.integers(0, 2**16), transposed_cases())
def test_conv_transpose_matches_its_formula(seed: int, case: dict[str, Any]) -> None:
    arrays = _draw_arrays(seed, case)
    fn = getattr(F, f"conv_transpose{case['n']}d")
    out = fn(*[tg.tensor(a) for a in arrays], **case["kw"])
    kw = case["kw"]
    ref = _conv_transpose_ref(
        arrays[0],
        arrays[1],
        arrays[2] if case["bias"] else None,
        kw["stride"],
        kw["padding"],
        kw["output_padding"],
        kw["dilation"],
        kw["groups"],
    )
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-12)


@given(st.integers(0, 2**16), transposed_cases())
def test_conv_transpose_is_the_adjoint_of_conv(seed: int, case: dict[str, Any]) -> None:
    """⟨conv(y, w), x⟩ = ⟨y, conv_transpose(x, w)⟩ for every y of the output's shape: the
    definition, with the same stride, padding, dilation and groups. output_padding picks one of
    the sizes of y that conv maps onto x's; one at least the stride (allowed below the
    dilation) gives conv more outputs, past every place x reaches, which are left out."""
    x, w = _draw_arrays(seed, case)[:2]
    kw = dict(case["kw"])
    out = getattr(F, f"conv_transpose{case['n']}d")(tg.tensor(x), tg.tensor(w), **kw)
    y = np.random.default_rng(seed + 1).standard_normal(out.shape)
    del kw["output_padding"]
    back = getattr(F, f"conv{case['n']}d")(tg.tensor(y), tg.tensor(w), **kw).numpy()
    assert all(
        b == i + e // s
        for b, i, e, s in zip(
            back.shape[2:], x.shape[2:], case["kw"]["output_padding"], kw["stride"]
        )
    )
    back = back[(Ellipsis, *[slice(0, i) for i in x.shape[2:]])]
    np.testing.assert_allclose((back * x).sum(), (y * out.numpy()).sum(), rtol=1e-10, atol=1e-10)


@given(
    st.integers(0, 2**16),
    st.sampled_from([1, 2]),
    st.integers(1, 2),
    st.integers(0, 1),
    st.integers(1, 2),
)
def test_conv3d_matches_its_formula(
    seed: int, groups: int, stride: int, pad: int, dil: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2 * groups, *rng.integers(3, 6, 3)))
    w = rng.standard_normal((2 * groups, 2, *rng.integers(1, 3, 3)))
    b = rng.standard_normal(2 * groups)
    out = F.conv3d(tg.tensor(x), tg.tensor(w), tg.tensor(b), stride, pad, dil, groups)
    ref = _conv_ref(x, w, (stride,) * 3, (pad,) * 3, (dil,) * 3, groups) + b.reshape(-1, 1, 1, 1)
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-12)
    assert tg.conv3d is F.conv3d


@given(st.integers(0, 2**16), block_cases())
def test_unfold_and_fold_match_their_formulas_and_are_adjoint(
    seed: int, case: dict[str, Any]
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case["shape"])
    cols = F.unfold(tg.tensor(x), *case["args"])
    np.testing.assert_array_equal(cols.numpy(), _unfold_ref(x, *case["args"]))
    c = rng.standard_normal(cols.shape)
    image = F.fold(tg.tensor(c), x.shape[2:], *case["args"])
    np.testing.assert_allclose(image.numpy(), _fold_ref(c, x.shape[2:], *case["args"]), atol=1e-12)
    np.testing.assert_allclose((cols.numpy() * c).sum(), (x * image.numpy()).sum(), atol=1e-10)
    if x.shape[0]:  # unbatched: the batched result without its batch dim
        np.testing.assert_array_equal(
            F.unfold(tg.tensor(x[0]), *case["args"]).numpy(), cols.numpy()[0]
        )
        single = F.fold(tg.tensor(c[0]), x.shape[2:], *case["args"])
        np.testing.assert_array_equal(single.numpy(), image.numpy()[0])


def test_fold_of_unfold_counts_each_place_s_blocks() -> None:
    """fold(unfold(x)) = x times the number of blocks covering each place (the usual check)."""
    x = tg.tensor(np.random.default_rng(0).standard_normal((1, 2, 5, 6)))
    args = ((2, 3), 1, 1, (1, 2))
    ones = F.fold(F.unfold(tg.ones(1, 2, 5, 6, dtype=np.float64), *args), (5, 6), *args)
    np.testing.assert_allclose(
        F.fold(F.unfold(x, *args), (5, 6), *args).numpy(), x.numpy() * ones.numpy()
    )
    assert ones.numpy().min() >= 1


def test_gradcheck_and_gradgradcheck() -> None:
    rng = np.random.default_rng(1)
    calls: list[tuple[Callable[..., tg.Tensor], list[np.ndarray]]] = [
        (
            lambda x, w, b: F.conv_transpose1d(
                x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=2
            ),
            [
                rng.standard_normal((1, 4, 3)),
                rng.standard_normal((4, 2, 3)),
                rng.standard_normal(4),
            ],
        ),
        (
            lambda x, w: F.conv_transpose2d(
                x, w, stride=(2, 1), padding=(0, 1), output_padding=(1, 0)
            ),
            [rng.standard_normal((1, 2, 3, 2)), rng.standard_normal((2, 2, 2, 3))],
        ),
        (
            lambda x, w, b: F.conv_transpose3d(x, w, b, stride=2, dilation=(1, 2, 1)),
            [
                rng.standard_normal((2, 2, 2, 1)),
                rng.standard_normal((2, 1, 2, 2, 1)),
                rng.standard_normal(1),
            ],
        ),
        (
            lambda x, w: F.conv3d(x, w, stride=(1, 2, 1), padding=1, groups=2),
            [rng.standard_normal((1, 2, 2, 3, 2)), rng.standard_normal((2, 1, 2, 2, 2))],
        ),
        (
            lambda x: F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=2),
            [rng.standard_normal((1, 2, 3, 4))],
        ),
        (
            lambda c: F.fold(c, (4, 5), 2, padding=(1, 0), stride=(1, 2)),
            [rng.standard_normal((4, 10))],
        ),
    ]
    for fn, arrays in calls:
        inputs = [_t(a) for a in arrays]
        assert gradcheck(fn, inputs)
        assert gradgradcheck(fn, inputs)


def test_modules_shapes_init_and_output_size() -> None:
    tg.manual_seed(0)
    for n in (1, 2, 3):
        m = getattr(nn, f"ConvTranspose{n}d")(4, 6, 3, stride=2, groups=2)
        assert m.weight.shape == (4, 3, *(3,) * n) and m.bias is not None and m.bias.shape == (6,)
        bound = 1 / math.sqrt(3 * 3**n)  # fan_in = out_channels/groups · Π kernel, as torch's
        assert (
            np.abs(m.weight.detach().numpy()).max() <= bound
            and np.abs(m.bias.detach().numpy()).max() <= bound
        )
        assert np.abs(m.weight.detach().numpy()).max() > 0.8 * bound
        x = tg.randn(2, 4, *(3,) * n)
        assert m(x).shape == (2, 6, *(7,) * n)
        assert m(x, output_size=(8,) * n).shape == (2, 6, *(8,) * n)
        assert m(x, [2, 6, *(8,) * n]).shape == (2, 6, *(8,) * n)  # with N and C too
        assert m(x[0], output_size=(8,) * n).shape == (6, *(8,) * n)
        with pytest.raises(ValueError, match=r"valid sizes range from \[7.*\] to \[8"):
            m(x, output_size=(9,) * n)
        with pytest.raises(ValueError, match="output_size must have"):
            m(x, output_size=(8,) * (n + 1))
    conv = nn.Conv3d(2, 4, (1, 2, 3), padding=(0, 1, 1), bias=False)
    assert conv.weight.shape == (4, 2, 1, 2, 3) and conv.bias is None
    assert conv(tg.randn(1, 2, 3, 4, 5)).shape == (1, 4, 3, 5, 5)
    un = nn.Unfold((2, 3), padding=1)
    x = tg.randn(2, 3, 4, 5)
    assert un(x).shape == (2, 18, 5 * 5)
    assert nn.Fold((4, 5), (2, 3), padding=1)(un(x)).shape == (2, 3, 4, 5)
    assert (
        repr(nn.Fold(4, 2)) == "Fold(output_size=4, kernel_size=2, dilation=1, padding=0, stride=1)"
    )


def test_empty_batch_and_top_level_names() -> None:
    w = tg.randn(3, 2, 3, 3, requires_grad=True)
    out = tg.conv_transpose2d(tg.randn(0, 3, 4, 4), w, stride=2)
    assert out.shape == (0, 2, 9, 9)
    out.sum().backward()
    assert w.grad is not None and not w.grad.numpy().any()
    for name in (
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
    ):
        assert getattr(tg, name) is getattr(F, name) and name in tg.__all__ and name in F.__all__
    assert F.unfold(tg.randn(0, 2, 3, 3), 2).shape == (0, 8, 4)
    assert F.fold(tg.randn(0, 8, 4), 3, 2).shape == (0, 2, 3, 3)


# ----------------------------------------------------------------------------- errors

OURS = SimpleNamespace(F=F, nn=nn, randn=tg.randn, float64=tg.float64)
ERRORS: list[tuple[Callable[[Any], Any], type[Exception], str]] = [
    # output_padding must be smaller than the stride or the dilation
    (
        lambda m: m.F.conv_transpose2d(
            m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), stride=2, output_padding=2
        ),
        RuntimeError,
        "smaller than either stride or dilation",
    ),
    (
        lambda m: m.F.conv_transpose1d(m.randn(1, 4, 5), m.randn(4, 2, 3), output_padding=1),
        RuntimeError,
        "smaller than either",
    ),
    (
        lambda m: m.F.conv_transpose1d(
            m.randn(1, 4, 5), m.randn(4, 2, 3), stride=2, output_padding=-1
        ),
        RuntimeError,
        "negative output_padding",
    ),
    # groups must divide the weight's first dim, whose size is the input's channels
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), groups=3),
        RuntimeError,
        "divisible by 3",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(6, 2, 3, 3), groups=3),
        RuntimeError,
        "to have 6 channels, but got 4",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), groups=0),
        RuntimeError,
        "non-positive groups",
    ),
    (
        lambda m: m.F.conv_transpose2d(
            m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), m.randn(2), groups=2
        ),
        RuntimeError,
        "with 4 elements",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3)),
        RuntimeError,
        "weight must be 4-d",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(5, 5), m.randn(4, 2, 3, 3)),
        RuntimeError,
        "3-d (unbatched) or 4-d",
    ),
    (
        lambda m: m.F.conv_transpose3d(m.randn(1, 4, 2, 0, 2), m.randn(4, 2, 1, 1, 1)),
        RuntimeError,
        "only zero batch",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 0, 3, 3)),
        RuntimeError,
        "at least 1 at dimension 1",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), padding=-1),
        RuntimeError,
        "negative padding",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), stride=0),
        RuntimeError,
        "non-positive stride",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), stride=(1, 2, 3)),
        RuntimeError,
        "stride=[1, 2, 3]",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), stride=1.5),
        TypeError,
        "stride",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5), m.randn(4, 2, 3, 3), padding="same"),
        TypeError,
        "padding",
    ),
    (
        lambda m: m.F.conv_transpose1d(m.randn(1, 2, 2), m.randn(2, 1, 1), padding=1),
        RuntimeError,
        "Output size is too small",
    ),
    (
        lambda m: m.F.conv_transpose2d(m.randn(1, 4, 5, 5, dtype=m.float64), m.randn(4, 2, 3, 3)),
        RuntimeError,
        "same dtype",
    ),
    (
        lambda m: m.F.conv3d(m.randn(4, 5, 5), m.randn(2, 4, 3, 3, 3)),
        RuntimeError,
        "4-d (unbatched) or 5-d",
    ),
    (
        lambda m: m.F.conv3d(m.randn(1, 4, 5, 5, 5), m.randn(2, 2, 3, 3, 3), groups=3),
        RuntimeError,
        "divisible by 3",
    ),
    (
        lambda m: m.F.conv3d(m.randn(1, 4, 5, 5, 2), m.randn(2, 4, 3, 3, 3)),
        RuntimeError,
        "Kernel size can't be greater",
    ),
    # modules
    (
        lambda m: m.nn.ConvTranspose2d(3, 4, 3, groups=2),
        ValueError,
        "in_channels must be divisible",
    ),
    (
        lambda m: m.nn.ConvTranspose2d(4, 3, 3, groups=2),
        ValueError,
        "out_channels must be divisible",
    ),
    (
        lambda m: m.nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect"),
        ValueError,
        '"zeros" padding mode',
    ),
    (lambda m: m.nn.Conv3d(4, 4, 3, groups=0), ValueError, "positive integer"),
    # unfold and fold
    (lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 7), RuntimeError, "at least one"),
    (
        lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 0),
        RuntimeError,
        "kernel size should be greater than zero",
    ),
    (
        lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 2, stride=0),
        RuntimeError,
        "stride should be greater than zero",
    ),
    (
        lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 2, dilation=0),
        RuntimeError,
        "dilation should be greater",
    ),
    (
        lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 2, padding=-1),
        RuntimeError,
        "padding should be non-negative",
    ),
    (lambda m: m.F.unfold(m.randn(2, 3, 5, 6), (2, 3, 4)), RuntimeError, "kernel_size"),
    (lambda m: m.F.unfold(m.randn(2, 3, 5, 6), 2.0), TypeError, "kernel_size"),
    (lambda m: m.F.unfold(m.randn(2, 3, 4, 5, 6), 2), RuntimeError, "3-d (unbatched) or 4-d"),
    (lambda m: m.F.unfold(m.randn(2, 0, 5, 6), 2), RuntimeError, "non-zero dims"),
    (lambda m: m.F.fold(m.randn(2, 12, 20), (5, 7), 2), RuntimeError, "sliding blocks 4 * 6 = 24"),
    (
        lambda m: m.F.fold(m.randn(2, 13, 20), (5, 6), 2),
        RuntimeError,
        "divisible by the product of kernel_size",
    ),
    (lambda m: m.F.fold(m.randn(2, 12, 20), (5, 6, 7), 2), RuntimeError, "output_size"),
    (lambda m: m.F.fold(m.randn(2, 3, 12, 20), (5, 6), 2), RuntimeError, "2-d or 3-d"),
    (lambda m: m.F.fold(m.randn(2, 12, 0), (5, 6), 2), RuntimeError, "non-zero dims"),
    (
        lambda m: m.F.fold(m.randn(2, 12, 20), (5, 6), 2, stride=0),
        RuntimeError,
        "stride should be greater",
    ),
]


@pytest.mark.parametrize("call, kind, words", ERRORS)
def test_errors_name_the_op_and_what_is_wrong(
    call: Callable[[Any], Any], kind: type[Exception], words: str
) -> None:
    with pytest.raises(kind) as info:
        call(OURS)
    assert words in str(info.value), str(info.value)
    assert str(info.value).split("(")[0] in {
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
        "unfold",
        "fold",
        "ConvTranspose2d",
        "Conv3d",
    }, str(info.value)


@pytest.mark.parametrize("call, kind, words", ERRORS)
def test_errors_are_torchs_kind(
    call: Callable[[Any], Any], kind: type[Exception], words: str
) -> None:
    """Each bad call fails in torch too, with an exception of the kind we raise."""
    torch = pytest.importorskip("torch")
    theirs = SimpleNamespace(
        F=torch.nn.functional, nn=torch.nn, randn=torch.randn, float64=torch.float64
    )
    with pytest.raises(Exception) as info:
        call(theirs)
    assert isinstance(info.value, kind), info.value


def test_module_forward_errors() -> None:
    m = nn.ConvTranspose2d(2, 2, 3)
    with pytest.raises(RuntimeError, match=r"conv_transpose2d\(\): expected a 3-d"):
        m(tg.randn(2, 2, 3, 3, 3), output_size=(5, 5))
    with pytest.raises(TypeError, match="output_size must be an int"):
        m(tg.randn(2, 2, 3, 3), output_size=(5.0, 5))
    with pytest.raises(TypeError, match=r"padding must be an int"):
        nn.ConvTranspose1d(2, 2, 3, padding="same")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- against torch


def _compare(
    torch: Any, ours: Callable[..., Any], theirs: Callable[..., Any], arrays: list[np.ndarray]
) -> None:
    """Values and every input's gradient of Σ out·G, G random."""
    mine = [tg.tensor(a, requires_grad=True) for a in arrays]
    ref = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ours(*mine), theirs(*ref)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), atol=1e-12)
    g = np.random.default_rng(7).standard_normal(expected.shape)
    (out * tg.tensor(g)).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    for a, b in zip(mine, ref):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)  # type: ignore[union-attr]


@given(st.integers(0, 2**16), transposed_cases())
def test_conv_transpose_matches_torch(seed: int, case: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    name, kw = f"conv_transpose{case['n']}d", case["kw"]
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    _compare(
        torch, lambda *a: ours(*a, **kw), lambda *a: theirs(*a, **kw), _draw_arrays(seed, case)
    )


@given(st.integers(0, 2**16), block_cases())
def test_unfold_and_fold_match_torch(seed: int, case: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(seed).standard_normal(case["shape"])
    args, size = case["args"], case["shape"][2:]
    _compare(
        torch, lambda a: F.unfold(a, *args), lambda a: torch.nn.functional.unfold(a, *args), [x]
    )
    cols = torch.nn.functional.unfold(torch.tensor(x), *args).numpy()
    _compare(
        torch,
        lambda c: F.fold(c, size, *args),
        lambda c: torch.nn.functional.fold(c, size, *args),
        [cols],
    )


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")
@pytest.mark.parametrize(
    "xs, ws, kw",
    [
        (
            (2, 4, 5, 4, 6),
            (6, 2, 2, 3, 2),
            {"stride": (1, 2, 1), "padding": 1, "dilation": (2, 1, 1), "groups": 2},
        ),
        ((3, 4, 5, 3), (2, 3, 3, 1, 2), {"padding": "same"}),  # unbatched
        ((1, 2, 4, 4, 4), (2, 2, 2, 2, 2), {"stride": 2, "padding": "valid"}),
    ],
)
def test_conv3d_matches_torch(xs: tuple[int, ...], ws: tuple[int, ...], kw: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])]
    _compare(
        torch,
        lambda *a: F.conv3d(*a, **kw),
        lambda *a: torch.nn.functional.conv3d(*a, **kw),
        arrays,
    )


@pytest.mark.parametrize("n", [1, 2, 3])
def test_modules_match_torch(n: int) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    kw = {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2, "dilation": 1}
    ours = getattr(nn, f"ConvTranspose{n}d")(4, 6, 3, dtype=np.float64, **kw)
    theirs = getattr(torch.nn, f"ConvTranspose{n}d")(4, 6, 3, dtype=torch.float64, **kw)
    assert repr(ours) == repr(theirs)
    assert ours.weight.shape == tuple(theirs.weight.shape)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.detach().numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.detach().numpy()))  # type: ignore[union-attr]
    x = rng.standard_normal((2, 4, *(3,) * n))
    for size in (None, (6,) * n):
        xt, xo = torch.tensor(x, requires_grad=True), _t(x)
        out_t, out_o = theirs(xt, output_size=size), ours(xo, output_size=size)
        np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), atol=1e-12)
        out_t.pow(2).sum().backward()
        out_o.pow(2).sum().backward()
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), atol=1e-12)  # type: ignore[union-attr]
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)  # type: ignore[union-attr]
    # the init's distribution: the same bound as torch's, from the same fan_in
    bound = float(theirs.weight.detach().abs().max())
    assert abs(float(np.abs(ours.weight.detach().numpy()).max()) - bound) < 0.2 * bound


def test_reprs_match_torch() -> None:
    torch = pytest.importorskip("torch")
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("Conv3d", (2, 4, 3), {}),
        (
            "Conv3d",
            (2, 4, (1, 2, 3)),
            {"dilation": (1, 2, 1), "padding": "same", "groups": 2, "bias": False},
        ),
        ("ConvTranspose1d", (2, 4, 3), {}),
        (
            "ConvTranspose2d",
            (2, 4, (3, 2)),
            {"stride": 2, "padding": 1, "output_padding": 1, "dilation": 2},
        ),
        ("ConvTranspose3d", (2, 4, 3), {"groups": 2, "bias": False}),
        ("Unfold", ((2, 3),), {"padding": 1}),
        ("Unfold", (2, 2, 0, 3), {}),
        ("Fold", ((4, 5), 2), {"stride": (1, 2)}),
    ]
    for name, args, kw in calls:
        assert repr(getattr(nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv3d_module_matches_torch(mode: str) -> None:
    torch = pytest.importorskip("torch")
    kw = {"stride": (1, 2, 1), "padding": 1, "groups": 2, "padding_mode": mode}
    ours = nn.Conv3d(2, 4, (2, 3, 2), dtype=np.float64, **kw)
    theirs = torch.nn.Conv3d(2, 4, (2, 3, 2), dtype=torch.float64, **kw)
    assert repr(ours) == repr(theirs)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.detach().numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.detach().numpy()))  # type: ignore[union-attr]
    x = np.random.default_rng(5).standard_normal((2, 2, 3, 4, 3))
    xt, xo = torch.tensor(x, requires_grad=True), _t(x)
    out_t, out_o = theirs(xt), ours(xo)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), atol=1e-12)
    out_t.pow(2).sum().backward()
    out_o.pow(2).sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), atol=1e-12)  # type: ignore[union-attr]
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)  # type: ignore[union-attr]
