"""More of torch's everyday API: the Tensor methods ``type``, ``data_ptr``,
``storage_offset``, ``is_cpu``, ``is_inference``, ``as_strided``, ``unsafe_split`` and
``unsafe_chunk``, and their function forms.

Each property is checked on its own (memory shared or not, closed forms, finite differences),
and against torch 2.13 where it is installed: values, dtypes, strings, errors and gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

# ----------------------------------------------------------------------------- type, is_cpu

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8]
DTYPES += [np.bool_, np.complex64, np.complex128]


def test_type_names_match_torch() -> None:
    torch = pytest.importorskip("torch")
    for d in DTYPES:
        theirs = torch.zeros(1, dtype=getattr(torch, np.dtype(d).name.replace("bool", "bool")))
        assert tg.zeros(1, dtype=d).type() == theirs.type(), d


def test_type_casts_as_to_does() -> None:
    x = tg.tensor([1.5, -2.5])
    assert x.type() == "torch.FloatTensor" and x.type(dtype=None) == "torch.FloatTensor"
    assert x.type(np.float32) is x and x.type("torch.FloatTensor") is x  # no copy, as torch
    assert x.type(np.float64).dtype == np.float64
    y = x.type("torch.LongTensor")
    assert y.dtype == np.int64 and y.tolist() == [1, -2]
    assert x.type("torch.DoubleTensor", non_blocking=True).dtype == np.float64
    assert x.type(np.float64, **{"async": True}).dtype == np.float64
    for bad in ("float64", "torch.float64", "DoubleTensor"):
        with pytest.raises(ValueError, match=f"invalid type: '{bad}'"):
            x.type(bad)
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        x.type(np.float64, foo=1)


def test_type_gradient_is_g_cast_back() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    y = w.type(np.float64)
    assert y.requires_grad and y.dtype == np.float64
    (y * tg.tensor([3.0, 4.0], dtype=np.float64)).sum().backward()
    assert w.grad is not None and w.grad.dtype == np.float32 and w.grad.tolist() == [3.0, 4.0]
    torch = pytest.importorskip("torch")
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    (v.type(torch.float64) * torch.tensor([3.0, 4.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(w.grad.data, v.grad.numpy())


def test_type_errors_match_torch() -> None:
    torch = pytest.importorskip("torch")
    for bad in ("float64", "torch.float64"):
        with pytest.raises(ValueError) as theirs:
            torch.zeros(1).type(bad)
        with pytest.raises(ValueError) as ours:
            tg.zeros(1).type(bad)
        assert str(ours.value) == str(theirs.value)


def test_is_cpu_and_is_inference() -> None:
    x = tg.ones(2)
    assert x.is_cpu is True and x.is_inference() is False and tg.is_inference(x) is False
    with tg.inference_mode():
        y = x * 2
    # inference_mode here is no_grad: it makes ordinary tensors (torch's are inference tensors)
    assert y.is_inference() is False and not y.requires_grad
    torch = pytest.importorskip("torch")
    assert torch.ones(2).is_cpu is True and torch.ones(2).is_inference() is False


# ----------------------------------------------------------------------------- memory

VIEWS: list[tuple[str, Callable[[Any], Any]]] = [
    ("itself", lambda x: x),
    ("view", lambda x: x.view(12)),
    ("reshape", lambda x: x.reshape(4, 3)),
    ("row", lambda x: x[1]),
    ("column", lambda x: x[:, 1]),
    ("slice", lambda x: x[1:, 2:]),
    ("transpose", lambda x: x.t()),
    ("narrow", lambda x: x.narrow(1, 1, 2)),
    ("select", lambda x: x.select(0, 2)),
    ("diagonal", lambda x: x.diagonal()),
    ("expand", lambda x: x[:1].expand(5, 4)),
    ("unsqueeze", lambda x: x[2].unsqueeze(0)),
    ("detach", lambda x: x.detach()),
    ("split", lambda x: x.split(2)[1]),
    ("chunk", lambda x: x.chunk(2, 1)[1]),
    ("view of a view", lambda x: x[1:][1:, 1:]),
]


@pytest.mark.parametrize(("name", "view"), VIEWS, ids=[n for n, _ in VIEWS])
def test_views_share_data_ptr_and_offsets_as_torch(name: str, view: Callable[[Any], Any]) -> None:
    x = tg.arange(12.0).reshape(3, 4)
    v = view(x)
    # torch-free: the first element is the storage's element storage_offset()
    assert v.data_ptr() == x.data_ptr() + v.storage_offset() * 4
    assert x.data.ravel()[v.storage_offset()] == v.data.ravel()[0]
    torch = pytest.importorskip("torch")
    t = torch.arange(12.0).reshape(3, 4)
    u = view(t)
    assert v.storage_offset() == u.storage_offset(), name
    assert v.data_ptr() - x.data_ptr() == u.data_ptr() - t.data_ptr(), name


def test_a_clone_or_a_result_has_its_own_memory() -> None:
    x = tg.arange(6.0)
    for other in (x.clone(), x + 0, x.contiguous().clone(), x[[0, 1]], x.flip(0)):
        assert other.data_ptr() != x.data_ptr()
        assert other.storage_offset() == 0
    assert x.detach().data_ptr() == x.data_ptr() and x.view(2, 3).data_ptr() == x.data_ptr()
    assert x[1:].data_ptr() == x.data_ptr() + 4  # one float32 on
    assert tg.zeros(0).data_ptr() == 0 and x[6:].data_ptr() == 0  # no element, as torch
    assert tg.from_numpy(np.arange(5.0)[1:]).storage_offset() == 0  # its own storage, as torch


# ----------------------------------------------------------------------------- as_strided

STRIDED = [
    ((2, 2), (1, 1), None),
    ((3, 2), (1, 2), 1),
    ((4, 3), (1, 1), 0),  # overlapping windows: their gradients add up
    ((2, 3, 2), (4, 1, 2), 2),
    ((5,), (0,), 3),  # one element five times
    ((), (), 7),
    ((0, 4), (1, 1), 11),
    ((2, 2), (6, 1), 0),
]


@pytest.mark.parametrize(("size", "stride", "offset"), STRIDED, ids=str)
def test_as_strided_values_and_gradients(size: Any, stride: Any, offset: Any) -> None:
    x = tg.tensor(np.arange(12.0).reshape(3, 4) ** 1.5, requires_grad=True)
    out = x.as_strided(size, stride, offset)
    start = 0 if offset is None else offset
    pos = start + sum(np.indices(size)[k] * s for k, s in enumerate(stride)) if size else start
    np.testing.assert_array_equal(out.data, x.data.ravel()[pos])  # the formula itself
    assert out.stride() == tuple(stride)
    if out.numel():  # (an empty one starts where its base does)
        assert out.storage_offset() == start
    assert out.grad_fn is not None and out.grad_fn.name() == "AsStridedBackward"
    assert gradcheck(lambda a: a.as_strided(size, stride, offset), (x.double(),))
    w = np.random.default_rng(1).standard_normal(size)
    (out * tg.tensor(w, dtype=np.float32)).sum().backward()
    expected = np.zeros(12)
    np.add.at(expected, np.ravel(pos), np.ravel(w))  # each element's weights, summed
    assert x.grad is not None
    np.testing.assert_allclose(x.grad.data.ravel(), expected, rtol=1e-6)
    torch = pytest.importorskip("torch")
    t = torch.tensor(x.data, requires_grad=True)
    theirs = t.as_strided(size, stride, offset)
    np.testing.assert_array_equal(out.data, theirs.detach().numpy())
    (theirs * torch.tensor(w, dtype=torch.float32)).sum().backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-6)


def test_as_strided_is_a_view() -> None:
    x = tg.arange(6.0)
    windows = x.as_strided((2,), (2,), 1)
    assert windows._base is x and windows.data_ptr() == x.data_ptr() + 4
    windows.mul_(10)  # writes x's memory, as torch's view does
    assert x.tolist() == [0.0, 10.0, 2.0, 30.0, 4.0, 5.0]
    x[3] = -1.0
    assert windows.tolist() == [10.0, -1.0]
    assert tg.as_strided(x, (3,), (2,)).tolist() == [0.0, 2.0, 4.0]
    assert tg.tensor(5.0).as_strided((2,), (0,)).tolist() == [5.0, 5.0]  # of a 0-d tensor
    assert x.as_strided([2], [1], tg.tensor(4)).tolist() == [4.0, 5.0]  # a 0-d offset, as torch


def test_as_strided_in_place_through_the_view_has_torchs_gradients() -> None:
    def run(m: Any) -> tuple[np.ndarray, np.ndarray]:
        w = m.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
        y = w * 1
        v = y.as_strided((2, 2), (3, 1), 1)
        v.mul_(v.detach() + 1)
        (y * m.arange(6.0)).sum().backward()
        return np.asarray(y.tolist()), np.asarray(w.grad.tolist())

    values, grad = run(tg)
    np.testing.assert_array_equal(values, [1.0, 6.0, 12.0, 4.0, 30.0, 42.0])
    np.testing.assert_array_equal(grad, [0.0, 3.0, 8.0, 3.0, 24.0, 35.0])  # k·(v + 1) at v
    torch = pytest.importorskip("torch")
    theirs = run(torch)
    np.testing.assert_array_equal(values, theirs[0])
    np.testing.assert_array_equal(grad, theirs[1])


AS_STRIDED_ERRORS = [
    (lambda x: x.as_strided((2, 2), (1,)), "mismatch in length of strides and shape"),
    (lambda x: x.as_strided((2, 2), (-1, 1)), "Negative strides are not supported"),
    (lambda x: x.as_strided((2, 2), (1, 1), -1), "invalid storage offset -1"),
    (lambda x: x.as_strided((2, 2), (4, 1), 9), "out of bounds for storage of size 48"),
    (lambda x: x.as_strided((2,), (0,), 100), "requiring a storage size of 404"),
]


@pytest.mark.parametrize(("call", "message"), AS_STRIDED_ERRORS)
def test_as_strided_refusals_are_torchs(call: Callable[[Any], Any], message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        call(tg.arange(12.0).reshape(3, 4))
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=message):
        call(torch.arange(12.0).reshape(3, 4))


def test_as_strided_refusals_of_arguments() -> None:
    x = tg.arange(12.0).reshape(3, 4)
    with pytest.raises(TypeError, match="argument 'size' must be tuple of ints, not int"):
        x.as_strided(2, 1)
    with pytest.raises(TypeError, match="argument 'size' must be tuple of ints"):
        x.as_strided((2.0, 2), (1, 1))
    with pytest.raises(TypeError, match=r"^as_strided\(\): argument 'input'"):
        tg.as_strided([1.0], (1,), (1,))  # type: ignore[arg-type]
    # torch reaches the rest of the base's storage from a view; here that is refused, named
    with pytest.raises(RuntimeError, match=r"outside the tensor of shape \(2, 4\).*its base"):
        x[1:].as_strided((2,), (1,), 0)
    assert x[1:].as_strided((2,), (1,), 5).tolist() == [5.0, 6.0]  # within its own: fine


# ----------------------------------------------------------------------------- unsafe split


def test_unsafe_split_and_chunk_equal_split_and_chunk() -> None:
    x = tg.arange(12.0).reshape(3, 4)
    for ours, plain in [
        (x.unsafe_split(2, 1), x.split(2, 1)),
        (x.unsafe_chunk(2), x.chunk(2)),
        (tg.unsafe_split(x, 1), tg.split(x, 1)),
        (tg.unsafe_chunk(x, 3, 1), tg.chunk(x, 3, 1)),
        (tg.zeros(0, 2).unsafe_chunk(3), tg.zeros(0, 2).chunk(3)),
    ]:
        assert isinstance(ours, tuple) and len(ours) == len(plain)
        for a, b in zip(ours, plain):
            assert a.shape == b.shape and a.data_ptr() == b.data_ptr()
    with pytest.raises(RuntimeError, match=r"^unsafe_chunk\(\): chunks must be greater than 0"):
        x.unsafe_chunk(0)
    with pytest.raises(RuntimeError, match=r"^unsafe_split\(\): split_size -1 cannot split"):
        x.unsafe_split(-1)


def test_unsafe_split_outputs_may_be_written_in_place() -> None:
    def run(m: Any, split: str) -> np.ndarray:
        w = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a, b, c = getattr(w * 1, split)(1)
        a.mul_(3)
        (a * 2 + b + c * 3).sum().backward()
        return np.asarray(w.grad.tolist())

    np.testing.assert_array_equal(run(tg, "unsafe_split"), [6.0, 1.0, 3.0])
    with pytest.raises(RuntimeError, match="Output 0 of Split"):
        run(tg, "split")  # split's outputs may not be, as torch
    with pytest.raises(TypeError, match=r"argument 'split_size' \(position 1\) must be int"):
        tg.ones(3).unsafe_split([1, 2])  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(run(torch, "unsafe_split"), [6.0, 1.0, 3.0])
    with pytest.raises(TypeError, match=r"argument 'split_size' \(position 1\) must be int"):
        torch.ones(3).unsafe_split([1, 2])
