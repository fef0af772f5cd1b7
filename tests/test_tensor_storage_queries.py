"""torch's questions about where and how a tensor is stored, and its element-wise Python maps.

``layout``/``tg.strided``, ``get_device``, the ``is_sparse``-style flags, pinned and shared
memory, ``is_set_to``, ``to_dense``, ``const_data_ptr``, and ``apply_``/``map_``/``map2_``:
each checked by what it must answer for a dense CPU numpy tensor, and beside torch 2.13 where
it is installed (a story run on both libraries, its answers compared).
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

FLAGS = [
    "is_sparse",
    "is_sparse_csr",
    "is_quantized",
    "is_meta",
    "is_nested",
    "is_mkldnn",
    "is_mps",
    "is_xpu",
    "is_ipu",
    "is_vulkan",
    "is_xla",
    "is_maia",
    "is_mtia",
]


def test_layout_device_and_flags() -> None:
    x = tg.arange(6.0).reshape(2, 3)
    assert x.layout is tg.strided and x.layout == tg.strided and x.layout != tg.sparse_coo
    assert repr(tg.strided) == "tinygrad_ed.strided"
    assert pickle.loads(pickle.dumps(tg.sparse_csr)) is tg.sparse_csr
    with pytest.raises(TypeError, match="cannot create"):
        tg.layout()
    assert x.get_device() == -1
    assert all(getattr(x, flag) is False for flag in FLAGS)
    assert x.is_pinned() is False and x.is_distributed() is False
    with pytest.raises(RuntimeError, match="accelerator"):
        x.pin_memory()
    with pytest.raises(RuntimeError, match="sparse coordinate"):
        x.is_coalesced()


def test_shared_memory_and_same_memory() -> None:
    x = tg.arange(6.0).reshape(2, 3)
    assert not x.is_shared()
    assert x.share_memory_() is x and x.is_shared() and x[0].is_shared()
    assert not x.clone().is_shared()
    assert x.is_set_to(x) and x.is_set_to(x[:]) and x.is_set_to(x.detach())
    assert not x.is_set_to(x.view(6))  # other sizes
    assert not x.is_set_to(x.t())  # other strides
    assert not x.is_set_to(x.clone())  # other memory
    assert not x[1:].is_set_to(x[:1])  # other offset
    with pytest.raises(TypeError, match="must be Tensor"):
        x.is_set_to(x.data)  # type: ignore[arg-type]
    assert x.to_dense() is x and x.to_dense(dtype=tg.float64).dtype == np.float64
    assert x.const_data_ptr() == x.data_ptr()


def test_apply_and_maps() -> None:
    ints = tg.arange(4)
    assert ints.apply_(lambda v: v * 1.7).tolist() == [0, 1, 3, 5]  # cast into int64: truncated
    assert tg.tensor([True, False]).apply_(lambda v: not v).tolist() == [False, True]
    seen: list[Any] = []
    tg.tensor([1.5]).apply_(lambda v: seen.append(type(v)) or v)
    tg.tensor([2]).apply_(lambda v: seen.append(type(v)) or v)
    assert seen == [float, int]  # Python numbers of the tensor's kind, as torch's
    m = tg.ones(2, 3)
    assert m.map_(tg.tensor([1.0, 2.0, 3.0]), lambda a, b: a * b).tolist() == [[1.0, 2.0, 3.0]] * 2
    out = m.map2_(tg.ones(2, 3), tg.full((2, 3), 2.0), lambda a, b, c: a + b * c)
    assert out is m and m.tolist() == [[3.0, 4.0, 5.0]] * 2
    assert tg.tensor(3.0).apply_(lambda v: v + 1).item() == 4.0  # a 0-d tensor
    t = tg.tensor([[1.0, 2.0], [3.0, 4.0]]).t()  # a transposed view: written where it shows
    t.apply_(lambda v: 10 * v)
    assert t.tolist() == [[10.0, 30.0], [20.0, 40.0]]


def test_apply_counts_as_an_inplace_write() -> None:
    """Unlike torch's apply_ (whose _version stays), the write is counted: a node that saved
    the tensor refuses backward instead of computing with the new values."""
    x = tg.tensor([1.0, 2.0])
    w = tg.tensor([3.0, 4.0], requires_grad=True)
    y = (w * x).sum()
    version = x._version
    x.apply_(lambda v: -v)
    assert x._version == version + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_apply_and_maps_refusals() -> None:
    with pytest.raises(RuntimeError, match=r"Can't call apply_\(\) on Variable that requires"):
        tg.ones(2, requires_grad=True).apply_(float)
    with pytest.raises(RuntimeError, match=r"Can't call map_\(\)"):
        tg.ones(2).map_(tg.ones(2, requires_grad=True), lambda a, b: a)
    with pytest.raises(TypeError, match="dtype"):
        tg.ones(2).map_(tg.ones(2, dtype=tg.float64), lambda a, b: a)
    with pytest.raises(TypeError, match="must be Tensor"):
        tg.ones(2).map_([1, 2], lambda a, b: a)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not callable"):
        tg.ones(2).apply_(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="real number"):
        tg.ones(2).apply_(lambda v: "a")
    with pytest.raises(tg.OpError, match=r"\(3, 1\)"):
        tg.ones(2, 3).map_(tg.ones(3, 1), lambda a, b: a)


def _story(lib: Any) -> list[Any]:
    x = lib.arange(6.0).reshape(2, 3)
    answers: list[Any] = [x.get_device(), x.layout == lib.strided, x.layout == lib.sparse_coo]
    answers += [getattr(x, flag) for flag in FLAGS if hasattr(x, flag)]
    answers += [x.is_pinned(), x.is_shared(), x.share_memory_() is x, x[1].is_shared()]
    answers += [x.is_set_to(y) for y in (x, x[:], x.view(6), x.t(), x.clone(), x.detach())]
    answers += [x.to_dense() is x, x.const_data_ptr() == x.data_ptr()]
    answers.append(lib.arange(5).apply_(lambda v: v * 2.5 - 1).tolist())
    m = lib.arange(6.0).reshape(2, 3)
    answers.append(m.map_(lib.tensor([1.0, -1.0, 0.5]), lambda a, b: a * b + 1).tolist())
    answers.append(m.map2_(m.clone(), lib.ones(2, 3), lambda a, b, c: a - b + c).tolist())
    return answers


def test_queries_and_maps_match_torch() -> None:
    torch = pytest.importorskip("torch")
    assert _story(tg) == _story(torch)
