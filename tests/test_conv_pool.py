"""Convolution and pooling: F.conv1d/2d, max/avg/adaptive-avg pools and their modules.

Checked against the formulas written out as numpy loops (without torch), by gradcheck and
gradgradcheck in float64, and, where PyTorch is installed, against torch itself: values,
gradients of every input, max pooling's tie convention and indices, errors and reprs.
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


def _conv_ref(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    stride: tuple[int, ...],
    pads: list[tuple[int, int]],
    dilation: tuple[int, ...],
    groups: int,
) -> np.ndarray:
    """out[n, o, i…] = b[o] + Σ_{c ∈ group(o), p…} w[o, c, p…] · xpad[n, c, i·s + p·d …]."""
    xp = np.pad(x, [(0, 0), (0, 0), *pads])
    kernel = w.shape[2:]
    outs = [
        (xp.shape[2 + k] - dilation[k] * (kernel[k] - 1) - 1) // stride[k] + 1
        for k in range(len(kernel))
    ]
    out = np.zeros((x.shape[0], w.shape[0], *outs))
    cg, og = x.shape[1] // groups, w.shape[0] // groups
    for o in range(w.shape[0]):
        chans = slice((o // og) * cg, (o // og + 1) * cg)
        for i in np.ndindex(*outs):
            for p in np.ndindex(*kernel):
                pos = tuple(i[k] * stride[k] + p[k] * dilation[k] for k in range(len(kernel)))
                out[(slice(None), o, *i)] += (
                    xp[(slice(None), chans, *pos)] @ w[(o, slice(None), *p)]
                )
        if b is not None:
            out[:, o] += b[o]
    return out


# ----------------------------------------------------------------------------- without torch


@given(
    st.integers(0, 2**16),
    st.integers(1, 2),
    st.sampled_from([1, 2]),
    st.integers(1, 2),
    st.integers(0, 2),
    st.integers(1, 2),
    st.booleans(),
)
def test_conv_matches_its_formula(
    seed: int, n: int, groups: int, stride: int, pad: int, dilation: int, bias: bool
) -> None:
    """conv1d/conv2d against the sum written out, for drawn strides, paddings, dilations, groups."""
    rng = np.random.default_rng(seed)
    spatial = tuple(int(v) for v in rng.integers(5, 8, n))
    kernel = tuple(int(v) for v in rng.integers(1, 4, n))
    x = rng.standard_normal((2, 2 * groups, *spatial))
    w = rng.standard_normal((2 * groups, 2, *kernel))
    b = rng.standard_normal(2 * groups) if bias else None
    conv = F.conv1d if n == 1 else F.conv2d
    out = conv(
        tg.tensor(x),
        tg.tensor(w),
        None if b is None else tg.tensor(b),
        stride,
        pad,
        dilation,
        groups,
    )
    ref = _conv_ref(x, w, b, (stride,) * n, [(pad, pad)] * n, (dilation,) * n, groups)
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-12)


def test_conv_same_valid_and_unbatched() -> None:
    """'same' keeps the size (an odd total padding's extra zero on the right); 'valid' pads
    nothing; an unbatched (C, H, W) input gives the batched result without its batch dim."""
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((1, 2, 5, 6)), rng.standard_normal((3, 2, 2, 3))
    same = F.conv2d(tg.tensor(x), tg.tensor(w), padding="same", dilation=(1, 2))
    ref = _conv_ref(x, w, None, (1, 1), [(0, 1), (2, 2)], (1, 2), 1)
    np.testing.assert_allclose(same.numpy(), ref, atol=1e-12)
    valid = F.conv2d(tg.tensor(x), tg.tensor(w), padding="valid")
    np.testing.assert_allclose(
        valid.numpy(), _conv_ref(x, w, None, (1, 1), [(0, 0)] * 2, (1, 1), 1)
    )
    single = F.conv2d(tg.tensor(x[0]), tg.tensor(w), stride=2, padding=1)
    np.testing.assert_allclose(
        single.numpy(), _conv_ref(x, w, None, (2, 2), [(1, 1)] * 2, (1, 1), 1)[0], atol=1e-12
    )


def test_empty_batch() -> None:
    """A batch of 0 gives 0 outputs, and the weight a zero gradient, as torch."""
    x, w = tg.randn(0, 3, 5, 5), tg.randn(4, 3, 3, 3, requires_grad=True)
    out = F.conv2d(x, w, padding=1)
    assert out.shape == (0, 4, 5, 5)
    out.sum().backward()
    assert w.grad is not None and not w.grad.numpy().any()
    for pooled in (F.max_pool2d(x, 2), F.avg_pool2d(x, 2), F.adaptive_avg_pool2d(x, 2)):
        assert pooled.shape == (0, 3, 2, 2)


def _distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 apart, so a max pool's choice is stable under finite differences."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 + 0.01 * rng.random(shape)


def test_gradcheck_and_gradgradcheck() -> None:
    rng = np.random.default_rng(1)
    x1, w1, b1 = rng.standard_normal((2, 4, 7)), rng.standard_normal((4, 2, 3)), rng.random(4)
    x2, w2 = rng.standard_normal((1, 2, 5, 4)), rng.standard_normal((4, 1, 2, 3))
    conv1 = lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2, groups=2)  # noqa: E731
    conv2 = lambda x, w: F.conv2d(x, w, padding="same", groups=2)  # noqa: E731
    for fn, args in ((conv1, (x1, w1, b1)), (conv2, (x2, w2))):
        inputs = [_t(a) for a in args]
        assert gradcheck(fn, inputs)
        assert gradgradcheck(fn, inputs)
    xm = _distinct(rng, (1, 2, 5, 6))
    pools: list[Callable[[tg.Tensor], tg.Tensor]] = [
        lambda x: F.max_pool2d(x, 3, 2, 1, dilation=(1, 2), ceil_mode=True),
        lambda x: F.max_pool1d(x[0], 2, 1),
        lambda x: F.avg_pool2d(x, (2, 3), 2, 1, ceil_mode=True, count_include_pad=False),
        lambda x: F.avg_pool1d(x[0], 3, 2, 1),
        lambda x: F.adaptive_avg_pool2d(x, (3, 4)),
        lambda x: F.adaptive_avg_pool1d(x[0], 4),
    ]
    for pool in pools:
        assert gradcheck(pool, [_t(xm)])
        assert gradgradcheck(pool, [_t(xm)])


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_modes_read_the_input(mode: str) -> None:
    """Conv2d's padding_mode pads by indexing the input (numpy's np.pad modes 'reflect', 'edge',
    'wrap'), then convolves unpadded; x̄ collects the adjoints of every padded copy."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 2, 4, 5))
    conv = nn.Conv2d(2, 3, 3, padding=(2, 1), padding_mode=mode, dtype=np.float64)
    np_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    xp = np.pad(x, [(0, 0), (0, 0), (2, 2), (1, 1)], mode=np_mode)
    w, b = conv.weight.detach().numpy(), conv.bias.detach().numpy()  # type: ignore[union-attr]
    ref = _conv_ref(xp, w, b, (1, 1), [(0, 0)] * 2, (1, 1), 1)
    np.testing.assert_allclose(conv(tg.tensor(x)).detach().numpy(), ref, atol=1e-12)
    assert gradcheck(lambda t: conv(t), [_t(x[:1, :, :3, :3])])


def test_max_pool_ties_nan_and_padding() -> None:
    """torch's choice: the first maximum of a window (row-major), the last nan if there is one,
    never a padded place (a window of -inf picks its first real entry); overlapping windows add."""
    x = _t(np.ones((1, 1, 2, 2)))
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[[[1, 0], [0, 0]]]])  # type: ignore[union-attr]
    x = _t(np.array([[np.nan, 1.0, np.nan, 2.0]]))
    out, idx = F.max_pool1d(x, 4, return_indices=True)
    out.sum().backward()
    assert np.isnan(out.item()) and idx.item() == 2
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0, 1, 0]])  # type: ignore[union-attr]
    x = _t(np.full((1, 3, 3), -np.inf))
    out, idx = F.max_pool2d(x, 2, padding=1, return_indices=True)
    out.sum().backward()
    np.testing.assert_array_equal(idx.numpy(), [[[0, 1], [3, 4]]])
    np.testing.assert_array_equal(x.grad.numpy()[0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])  # type: ignore[union-attr]
    x = _t(np.ones((1, 5)))
    F.max_pool1d(x, 3, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 1, 1, 0, 0]])  # type: ignore[union-attr]


def test_avg_pool_divisors() -> None:
    """count_include_pad counts the zero padding but not ceil_mode's overhang; divisor_override
    replaces the count."""
    x = tg.tensor(np.arange(1.0, 6.0)[None])  # 1 2 3 4 5
    incl = F.avg_pool1d(x, 3, 2, 1, ceil_mode=True).numpy()
    np.testing.assert_allclose(incl, [[(0 + 1 + 2) / 3, (2 + 3 + 4) / 3, (4 + 5 + 0) / 3]])
    excl = F.avg_pool1d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False).numpy()
    np.testing.assert_allclose(excl, [[1.5, 3.0, 4.5]])
    over = F.avg_pool2d(tg.ones(1, 4, 4), 2, divisor_override=3).numpy()
    np.testing.assert_allclose(over, np.full((1, 2, 2), 4 / 3))
    x = tg.tensor(np.arange(5.0)[None])
    np.testing.assert_allclose(F.adaptive_avg_pool1d(x, 3).numpy(), [[0.5, 2.0, 3.5]])


def test_modules_parameters_init_and_repr() -> None:
    tg.manual_seed(0)
    conv = nn.Conv2d(4, 6, (3, 2), groups=2)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    assert conv.weight.shape == (6, 2, 3, 2) and conv.bias is not None and conv.bias.shape == (6,)
    bound = 1 / math.sqrt(2 * 3 * 2)  # kaiming_uniform(a=√5) gives 1/√fan_in, as the bias
    for p in (conv.weight, conv.bias):
        assert np.abs(p.detach().numpy()).max() <= bound
        assert np.abs(p.detach().numpy()).max() > 0.5 * bound
    assert conv(tg.randn(2, 4, 5, 5)).shape == (2, 6, 3, 4)
    assert nn.Conv1d(2, 4, 3, bias=False).bias is None
    reprs = {
        nn.Conv2d(1, 8, 3): "Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1))",
        nn.Conv2d(
            2,
            4,
            (3, 5),
            stride=2,
            padding=1,
            dilation=(2, 1),
            groups=2,
            bias=False,
            padding_mode="reflect",
        ): "Conv2d(2, 4, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 1), "
        "groups=2, bias=False, padding_mode=reflect)",
        nn.Conv1d(2, 4, 3, padding="same"): "Conv1d(2, 4, kernel_size=(3,), stride=(1,), "
        "padding=same)",
        nn.MaxPool2d(2): "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, "
        "ceil_mode=False)",
        nn.MaxPool1d(3, 2, 1, return_indices=True, ceil_mode=True): "MaxPool1d(kernel_size=3, "
        "stride=2, padding=1, dilation=1, ceil_mode=True)",
        nn.AvgPool2d(2): "AvgPool2d(kernel_size=2, stride=2, padding=0)",
        nn.AvgPool1d(3): "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))",
        nn.AdaptiveAvgPool2d((2, None)): "AdaptiveAvgPool2d(output_size=(2, None))",
        nn.AdaptiveAvgPool1d(3): "AdaptiveAvgPool1d(output_size=3)",
    }
    for module, text in reprs.items():
        assert repr(module) == text
    out, idx = nn.MaxPool2d(2, return_indices=True)(tg.randn(1, 2, 4, 4))
    assert out.shape == idx.shape == (1, 2, 2, 2)


OURS = SimpleNamespace(F=F, nn=nn, randn=tg.randn, float64=tg.float64)

# Each call takes the library (ours, or torch's in test_errors_are_torchs_kind) as m.
CONV_ERRORS: list[tuple[Callable[[Any], Any], type[Exception], str]] = [
    (lambda m: m.F.conv2d(m.randn(2, 3), m.randn(4, 3, 3, 3)), RuntimeError, "3-d (unbatched)"),
    (lambda m: m.F.conv2d(m.randn(2, 2, 5, 5), m.randn(4, 3, 3, 3)), RuntimeError, "3 channels"),
    (lambda m: m.F.conv2d(m.randn(1, 3, 2, 2), m.randn(4, 3, 3, 3)), RuntimeError, "(2 x 2)"),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3)),
        RuntimeError,
        "weight must be 4-d",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), stride=2, padding="same"),
        RuntimeError,
        "strided",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), padding="foo"),
        RuntimeError,
        "invalid padding string",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), stride=0),
        RuntimeError,
        "stride",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), padding=-1),
        RuntimeError,
        "negative padding",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), dilation=0),
        RuntimeError,
        "dilation",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), groups=0),
        RuntimeError,
        "groups",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 4, 5, 5), m.randn(3, 2, 3, 3), groups=2),
        RuntimeError,
        "divisible by 2",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), m.randn(3)),
        RuntimeError,
        "bias",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), stride=(1, 2, 3)),
        RuntimeError,
        "stride=[1, 2, 3]",
    ),
    (
        lambda m: m.F.conv1d(m.randn(1, 3, 5), m.randn(4, 3, 3), padding=(1, 1)),
        RuntimeError,
        "padding=[1, 1]",
    ),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5, dtype=m.float64), m.randn(4, 3, 3, 3)),
        RuntimeError,
        "same dtype",
    ),
    (lambda m: m.F.conv2d(np.zeros((1, 3, 5, 5)), m.randn(4, 3, 3, 3)), TypeError, "Tensor"),
    (
        lambda m: m.F.conv2d(m.randn(1, 3, 5, 5), m.randn(4, 3, 3, 3), stride=1.5),
        TypeError,
        "stride",
    ),
    (
        lambda m: m.nn.Conv2d(4, 4, 3, padding=4, padding_mode="reflect")(m.randn(1, 4, 3, 3)),
        RuntimeError,
        "reflect padding",
    ),
    (
        lambda m: m.nn.Conv2d(4, 4, 3, padding=4, padding_mode="circular")(m.randn(1, 4, 3, 3)),
        RuntimeError,
        "more than once",
    ),
    (lambda m: m.nn.Conv2d(3, 4, 3, groups=2), ValueError, "in_channels must be divisible"),
    (lambda m: m.nn.Conv2d(4, 3, 3, groups=2), ValueError, "out_channels must be divisible"),
    (lambda m: m.nn.Conv2d(4, 4, 3, groups=0), ValueError, "positive integer"),
    (lambda m: m.nn.Conv2d(4, 4, 3, padding_mode="foo"), ValueError, "padding_mode must be one of"),
    (lambda m: m.nn.Conv2d(4, 4, 3, padding="foo"), ValueError, "invalid padding string"),
    (lambda m: m.nn.Conv2d(4, 4, 3, stride=2, padding="same"), ValueError, "strided"),
    (lambda m: m.F.max_pool2d(m.randn(1, 3, 5, 5), 3, padding=2), RuntimeError, "half of kernel"),
    (lambda m: m.F.max_pool2d(m.randn(1, 3, 5, 5), 0), RuntimeError, "kernel_size"),
    (lambda m: m.F.max_pool2d(m.randn(1, 3, 5, 5), 2, stride=0), RuntimeError, "stride"),
    (lambda m: m.F.max_pool2d(m.randn(1, 3, 5, 5), 2, dilation=0), RuntimeError, "dilation"),
    (lambda m: m.F.max_pool2d(m.randn(1, 3, 5, 5), 7), RuntimeError, "too small"),
    (lambda m: m.F.max_pool2d(m.randn(3, 4), 2), RuntimeError, "3-d (unbatched) or 4-d"),
    (lambda m: m.F.max_pool1d(m.randn(2, 3, 5), (2, 2)), RuntimeError, "kernel_size"),
    (lambda m: m.F.avg_pool2d(m.randn(1, 3, 5, 5), 3, padding=2), RuntimeError, "half of kernel"),
    (
        lambda m: m.F.avg_pool2d(m.randn(1, 3, 5, 5), 2, divisor_override=0),
        RuntimeError,
        "non-zero",
    ),
    (lambda m: m.F.adaptive_avg_pool2d(m.randn(3, 4), 2), RuntimeError, "3-d (unbatched)"),
    (lambda m: m.F.adaptive_avg_pool2d(m.randn(1, 3, 4, 4), (2, 3, 4)), RuntimeError, "2 entries"),
    (lambda m: m.F.adaptive_avg_pool2d(m.randn(1, 3, 4, 4), -1), RuntimeError, "non-negative"),
    # an empty spatial dim, even one padding would fill (found by the graph fuzzer)
    (
        lambda m: m.F.conv1d(m.randn(3, 1, 0), m.randn(2, 1, 1), padding=1),
        RuntimeError,
        "only zero batch or zero channel",
    ),
]


@pytest.mark.parametrize("call, kind, words", CONV_ERRORS)
def test_errors_name_the_op_and_shapes(
    call: Callable[[Any], Any], kind: type[Exception], words: str
) -> None:
    with pytest.raises(kind) as info:
        call(OURS)
    assert words in str(info.value), str(info.value)


# ----------------------------------------------------------------------------- against torch

CONV_CASES: list[tuple[int, tuple[int, ...], tuple[int, ...], dict[str, Any]]] = [
    # (dims, input shape, weight shape, keyword arguments)
    (2, (2, 3, 7, 6), (4, 3, 3, 2), {}),
    (2, (2, 3, 7, 6), (4, 3, 3, 2), {"stride": (2, 1), "padding": (1, 2), "dilation": (2, 1)}),
    (2, (2, 4, 7, 6), (6, 2, 2, 3), {"groups": 2, "padding": "same", "dilation": 2}),
    (2, (1, 4, 6, 6), (4, 1, 3, 3), {"groups": 4, "padding": 1}),  # depthwise
    (2, (3, 5, 5), (2, 3, 3, 3), {"stride": 2, "padding": "valid"}),  # unbatched
    (2, (2, 2, 5, 5), (3, 2, 1, 1), {}),
    (2, (2, 1, 9, 8), (3, 1, 4, 4), {"stride": 3, "padding": 2, "dilation": (1, 2)}),
    (1, (2, 3, 9), (6, 1, 3), {"groups": 3, "stride": 2}),
    (1, (2, 2, 8), (3, 2, 4), {"padding": "same", "dilation": 3}),
    (1, (3, 10), (4, 3, 2), {"padding": 1, "stride": 3}),  # unbatched
]


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("n, xs, ws, kw", CONV_CASES)
def test_conv_matches_torch(
    n: int, xs: tuple[int, ...], ws: tuple[int, ...], kw: dict[str, Any], bias: bool
) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(xs), rng.standard_normal(ws)]
    if bias:
        arrays.append(rng.standard_normal(ws[0]))
    ours = getattr(F, f"conv{n}d")
    theirs = getattr(torch.nn.functional, f"conv{n}d")
    _compare(torch, lambda *a: ours(*a, **kw), lambda *a: theirs(*a, **kw), arrays, rng)


def _compare(
    torch: Any,
    ours: Callable[..., Any],
    theirs: Callable[..., Any],
    arrays: list[np.ndarray],
    rng: np.random.Generator,
) -> None:
    """Values (and indices, for a pair) and every input's gradient of Σ out·G, G random."""
    mine = [tg.tensor(a, requires_grad=True) for a in arrays]
    ref = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, expected = ours(*mine), theirs(*ref)
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(out[1].numpy(), expected[1].numpy())
        out, expected = out[0], expected[0]
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), atol=1e-12)
    g = rng.standard_normal(expected.shape)
    (out * tg.tensor(g)).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    for a, b in zip(mine, ref):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv_modules_match_torch(mode: str) -> None:
    torch = pytest.importorskip("torch")
    for n, shape in ((1, (2, 3, 7)), (2, (2, 3, 6, 5))):
        kw = {"stride": 2, "padding": 2, "dilation": 1, "groups": 1, "padding_mode": mode}
        ours = getattr(nn, f"Conv{n}d")(3, 4, 3, dtype=np.float64, **kw)
        theirs = getattr(torch.nn, f"Conv{n}d")(3, 4, 3, dtype=torch.float64, **kw)
        assert repr(ours) == repr(theirs)
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(ours.weight.detach().numpy()))
            theirs.bias.copy_(torch.tensor(ours.bias.detach().numpy()))  # type: ignore[union-attr]
        x = np.random.default_rng(4).standard_normal(shape)
        xt, xo = torch.tensor(x, requires_grad=True), _t(x)
        theirs(xt).pow(2).sum().backward()
        ours(xo).pow(2).sum().backward()
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), atol=1e-12)  # type: ignore[union-attr]
        np.testing.assert_allclose(
            ours.weight.grad.numpy(),  # type: ignore[union-attr]
            theirs.weight.grad.numpy(),
            atol=1e-12,
        )


POOL_CASES: list[tuple[str, tuple[int, ...], dict[str, Any]]] = [
    ("max_pool2d", (2, 3, 8, 7), {"kernel_size": 2}),
    ("max_pool2d", (2, 3, 8, 7), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    (
        "max_pool2d",
        (2, 3, 8, 7),
        {
            "kernel_size": (2, 3),
            "stride": (1, 2),
            "padding": (1, 0),
            "dilation": (2, 2),
            "return_indices": True,
        },
    ),
    (
        "max_pool2d",
        (3, 9, 9),
        {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True},
    ),
    (
        "max_pool1d",
        (2, 3, 8),
        {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True},
    ),
    ("max_pool1d", (3, 10), {"kernel_size": 2, "stride": 1, "dilation": 3, "return_indices": True}),
    ("avg_pool2d", (2, 3, 8, 7), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    (
        "avg_pool2d",
        (2, 3, 8, 7),
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ("avg_pool2d", (3, 8, 7), {"kernel_size": (2, 3), "padding": (1, 1), "divisor_override": 5}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 4, "stride": 3, "padding": 2, "ceil_mode": True}),
    ("avg_pool1d", (3, 9), {"kernel_size": 2, "count_include_pad": False, "padding": 1}),
    ("adaptive_avg_pool2d", (2, 3, 8, 7), {"output_size": (3, 5)}),
    ("adaptive_avg_pool2d", (3, 8, 6), {"output_size": (4, None)}),
    ("adaptive_avg_pool2d", (2, 3, 5, 5), {"output_size": 7}),
    ("adaptive_avg_pool1d", (2, 3, 10), {"output_size": 4}),
    ("adaptive_avg_pool1d", (3, 6), {"output_size": 3}),
]


@pytest.mark.parametrize("name, shape, kw", POOL_CASES)
def test_pools_match_torch(name: str, shape: tuple[int, ...], kw: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    # values on a coarse grid: max pooling meets ties, and must break them as torch does
    x = np.round(rng.standard_normal(shape) * 2) / 2
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    _compare(torch, lambda a: ours(a, **kw), lambda a: theirs(a, **kw), [x], rng)


def test_max_pool_nan_and_inf_match_torch() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    x = np.round(rng.standard_normal((2, 2, 6, 6)))
    x[0, 0, 1, 1] = x[0, 0, 2, 2] = x[1, 1, 0, 3] = np.nan
    x[1, 0] = -np.inf
    kw = {"kernel_size": 3, "stride": 2, "padding": 1, "return_indices": True}
    mine, ref = _t(x), torch.tensor(x, requires_grad=True)
    out, idx = F.max_pool2d(mine, **kw)
    eout, eidx = torch.nn.functional.max_pool2d(ref, **kw)
    np.testing.assert_array_equal(out.detach().numpy(), eout.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), eidx.numpy())
    out.sum().backward()
    eout.sum().backward()
    np.testing.assert_array_equal(mine.grad.numpy(), ref.grad.numpy())  # type: ignore[union-attr]


def test_module_reprs_match_torch() -> None:
    torch = pytest.importorskip("torch")
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("Conv2d", (1, 8, 3), {}),
        (
            "Conv2d",
            (2, 4, (3, 5)),
            {
                "stride": 2,
                "padding": 1,
                "dilation": (2, 1),
                "groups": 2,
                "bias": False,
                "padding_mode": "circular",
            },
        ),
        ("Conv1d", (2, 4, 3), {"padding": "same"}),
        ("Conv2d", (1, 8, 3), {"padding": "valid"}),
        ("MaxPool2d", (2,), {}),
        ("MaxPool2d", ((2, 3), 1, 1, 2, True, True), {}),
        ("MaxPool1d", (3, 2, 1), {"ceil_mode": True}),
        ("AvgPool2d", (3, 1, 1, True, False, 2), {}),
        ("AvgPool1d", (3,), {}),
        ("AdaptiveAvgPool2d", ((2, None),), {}),
        ("AdaptiveAvgPool1d", (3,), {}),
    ]
    for name, args, kw in calls:
        assert repr(getattr(nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


@pytest.mark.parametrize("call, kind, words", CONV_ERRORS)
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


@pytest.mark.parametrize(
    "pool", [F.max_pool1d, F.avg_pool1d, F.max_pool2d, F.avg_pool2d], ids=lambda f: f.__name__
)
def test_pools_refuse_empty_dims_but_the_batch(pool: Any) -> None:
    """torch's pooling kernels take an empty batch only (found by the graph fuzzer)."""
    n = 2 if pool.__name__.endswith("2d") else 1
    assert pool(tg.zeros(0, 2, *[3] * n), 1).shape == (0, 2, *[3] * n)
    for shape in [(0, *[3] * n), (2, 0, *[3] * n), (2, *[3] * (n - 1), 0)]:
        with pytest.raises(RuntimeError, match="optional 0 dim batch size"):
            pool(tg.zeros(*shape), 1)


def test_max_pool_window_over_padding_alone_is_minus_inf() -> None:
    """With dilation a window can skip every real entry (length 1, kernel 2, dilation 2,
    padding 1, ceil_mode): torch's value is −∞ there, and no input gets its gradient."""
    x = tg.tensor(np.array([[[0.7], [-0.3]]]), requires_grad=True)
    y = F.max_pool1d(x, 2, 1, 1, 2, ceil_mode=True)
    assert y.shape == (1, 2, 1) and np.all(np.isneginf(y.data))
    y.sum().backward()
    assert x.grad is not None and x.grad.tolist() == [[[0.0], [0.0]]]
