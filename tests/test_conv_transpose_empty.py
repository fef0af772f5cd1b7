"""conv_transpose1d/2d/3d and nn.ConvTranspose* on an empty batch, with or without an empty
spatial dim: torch's output shape L_out = (L − 1)·s − 2·padding + d·(k − 1) + output_padding + 1
(also for L = 0, and L_out = 0 allowed), zero gradients for the weight and bias, and torch's
refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn

OPTIONS: list[dict[str, Any]] = [
    {},
    {"stride": 2, "dilation": 2},
    {"groups": 2},
    {"stride": 3, "padding": 1, "output_padding": 2},
]


def _out_size(length: int, k: int, options: dict[str, Any]) -> int:
    s, d = options.get("stride", 1), options.get("dilation", 1)
    p, e = options.get("padding", 0), options.get("output_padding", 0)
    return (length - 1) * s - 2 * p + d * (k - 1) + e + 1


def _case(n: int, spatial: tuple[int, ...], options: dict[str, Any]) -> tuple[Any, ...]:
    g = options.get("groups", 1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((0, 4, *spatial))
    w = rng.standard_normal((4, 2, *(3,) * n))
    b = rng.standard_normal(2 * g)
    return x, w, b


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("empty_dim", [False, True])
@pytest.mark.parametrize("options", OPTIONS)
def test_empty_batch_gives_torchs_shape_and_zero_gradients(
    n: int, empty_dim: bool, options: dict[str, Any]
) -> None:
    spatial = (0 if empty_dim else 2, *(2,) * (n - 1))
    x, w, b = _case(n, spatial, options)
    xt, wt, bt = (tg.tensor(a, requires_grad=True) for a in (x, w, b))
    out = getattr(F, f"conv_transpose{n}d")(xt, wt, bt, **options)
    c_out = 2 * options.get("groups", 1)
    assert out.shape == (0, c_out, *(_out_size(size, 3, options) for size in spatial))
    out.sum().backward()
    assert xt.grad is not None and xt.grad.shape == x.shape
    np.testing.assert_array_equal(wt.grad.data, np.zeros_like(w))
    np.testing.assert_array_equal(bt.grad.data, np.zeros_like(b))
    torch = pytest.importorskip("torch")
    xs, ws, bs = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    theirs = getattr(torch.nn.functional, f"conv_transpose{n}d")(xs, ws, bs, **options)
    theirs.sum().backward()
    assert out.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(wt.grad.data, ws.grad.numpy())
    np.testing.assert_array_equal(bt.grad.data, bs.grad.numpy())


@pytest.mark.parametrize("n", [1, 2, 3])
def test_refusals_like_torch(n: int) -> None:
    """An empty spatial dim with a non-empty batch, or an output size below 1, raises."""
    conv = getattr(F, f"conv_transpose{n}d")
    w = tg.zeros(4, 2, *(2,) * n)
    with pytest.raises(RuntimeError, match="only zero batch or zero channel inputs"):
        conv(tg.zeros(2, 4, 0, *(3,) * (n - 1)), w)
    with pytest.raises(RuntimeError, match="only zero batch or zero channel inputs"):
        conv(tg.zeros(4, 0, *(3,) * (n - 1)), w)  # unbatched
    with pytest.raises(RuntimeError, match="Output size is too small"):
        conv(tg.zeros(0, 4, 0, *(3,) * (n - 1)), w, stride=2, padding=1, output_padding=1)
    # L_out = 0: an empty batch gives an empty output, a non-empty one raises (torch's float64)
    empty_out = conv(tg.zeros(0, 4, 1, *(3,) * (n - 1)), w, padding=1)
    assert empty_out.shape == (0, 2, 0, *(2,) * (n - 1))
    w64 = tg.zeros(4, 2, *(2,) * n, dtype=tg.float64)
    with pytest.raises(RuntimeError, match="Output size is too small"):
        conv(tg.zeros(2, 4, 1, *(3,) * (n - 1), dtype=tg.float64), w64, padding=1)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="Output size is too small"):
        x64 = torch.zeros(2, 4, 1, *(3,) * (n - 1), dtype=torch.float64)
        w64t = torch.zeros(4, 2, *(2,) * n, dtype=torch.float64)
        getattr(torch.nn.functional, f"conv_transpose{n}d")(x64, w64t, padding=1)
    tconv = getattr(torch.nn.functional, f"conv_transpose{n}d")
    with pytest.raises(RuntimeError):
        tconv(torch.zeros(2, 4, 0, *(3,) * (n - 1)), torch.zeros(4, 2, *(2,) * n))
    with pytest.raises(RuntimeError):
        empty = torch.zeros(0, 4, 0, *(3,) * (n - 1))
        tconv(empty, torch.zeros(4, 2, *(2,) * n), stride=2, padding=1, output_padding=1)


@pytest.mark.parametrize("output_size", [None, (2, 9), (0, 2, 5, 9)])
def test_module_with_output_size_on_an_empty_batch(output_size: Any) -> None:
    spatial = (2, 4) if output_size == (0, 2, 5, 9) else (0, 4)
    m = nn.ConvTranspose2d(3, 2, 3, stride=2)
    out = m(tg.zeros(0, 3, *spatial), output_size=output_size)
    expected = {None: (0, 2, 1, 9), (2, 9): (0, 2, 2, 9), (0, 2, 5, 9): (0, 2, 5, 9)}
    assert out.shape == expected[output_size]
    out.sum().backward()
    np.testing.assert_array_equal(m.weight.grad.data, np.zeros((3, 2, 3, 3), np.float32))
    torch = pytest.importorskip("torch")
    tm = torch.nn.ConvTranspose2d(3, 2, 3, stride=2)
    assert tuple(tm(torch.zeros(0, 3, *spatial), output_size=output_size).shape) == out.shape
