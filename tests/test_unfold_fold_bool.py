"""F.unfold and F.fold on bool tensors, which torch's im2col/col2im take (integers they refuse):
unfold copies the entries, fold combines the overlapping ones with ``or``.

Checked against the float forms (unfold of the 0/1 floats, fold's sum > 0) and, where PyTorch is
installed, against torch.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F

GRID = [
    {"kernel_size": k, "dilation": d, "padding": p, "stride": s}
    for k, d, p, s in itertools.product([2, (2, 3)], [1, 2], [0, 1], [1, 2])
]


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("args", GRID)
def test_bool_unfold_and_fold_match_their_float_forms_and_torch(
    args: dict[str, Any], batched: bool
) -> None:
    rng = np.random.default_rng(0)
    x = rng.random((2, 3, 5, 6) if batched else (3, 5, 6)) < 0.4
    cols = F.unfold(tg.tensor(x), **args)
    assert cols.dtype == np.bool_
    as_float = F.unfold(tg.tensor(x.astype(np.float64)), **args)
    np.testing.assert_array_equal(cols.data, as_float.data.astype(bool))
    c = rng.random(cols.shape) < 0.4
    image = F.fold(tg.tensor(c), (5, 6), **args)
    assert image.dtype == np.bool_
    summed = F.fold(tg.tensor(c.astype(np.float64)), (5, 6), **args)
    np.testing.assert_array_equal(image.data, summed.data > 0)
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    np.testing.assert_array_equal(cols.data, tf.unfold(torch.tensor(x), **args).numpy())
    np.testing.assert_array_equal(image.data, tf.fold(torch.tensor(c), (5, 6), **args).numpy())


def test_empty_batch_and_tensor_unfold_of_bool() -> None:
    empty = tg.tensor(np.zeros((0, 2, 4, 4), dtype=bool))
    assert F.unfold(empty, 2).shape == (0, 8, 9)
    assert F.fold(F.unfold(empty, 2), (4, 4), 2).shape == (0, 2, 4, 4)
    x = np.arange(8).reshape(2, 4) % 3 == 0
    windows = tg.tensor(x).unfold(1, 2, 1)
    assert windows.dtype == np.bool_
    np.testing.assert_array_equal(windows.data, np.lib.stride_tricks.sliding_window_view(x, 2, 1))


@pytest.mark.parametrize("dtype", [np.int64, np.uint8])
def test_integers_are_refused_like_torch(dtype: Any) -> None:
    x = tg.tensor(np.ones((1, 2, 4, 4), dtype=dtype))
    with pytest.raises(RuntimeError, match=r"unfold\(\): input must be floating point or bool"):
        F.unfold(x, 2)
    with pytest.raises(RuntimeError, match=r"fold\(\): input must be floating point or bool"):
        F.fold(tg.tensor(np.ones((1, 8, 4), dtype=dtype)), (3, 3), 2)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="not implemented"):  # NotImplementedError
        torch.nn.functional.unfold(torch.ones(1, 2, 4, 4, dtype=torch.int64), 2)
