"""Tensor methods on strides and storage (tinygrad_ed/_methods_more.py): ``dim_order`` (with
``ambiguity_check``), ``as_strided_`` (in place, and ``tg.as_strided_``),
``as_strided_scatter`` (and ``tg.as_strided_scatter``), ``new_empty_strided``, torch's
deprecated out-of-place ``resize``/``resize_as``, ``unsafe_split_with_sizes`` (and its function).

Values, gradients (finite differences in float64) and errors, each beside torch.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

DATA = np.random.default_rng(31).standard_normal((3, 4))

# dim_order: tensors made alike in both libraries
LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "contiguous": lambda m: m.zeros(2, 3, 5, 7),
    "transposed": lambda m: m.zeros(2, 3, 5, 7).transpose(1, 2),
    "channels last": lambda m: m.zeros(2, 5, 7, 3).permute(0, 3, 1, 2),
    "t": lambda m: m.zeros(3, 4).t(),
    "size 1": lambda m: m.zeros(2, 1, 3),
    "expanded": lambda m: m.zeros(2, 3).expand(4, 2, 3),
    "sliced": lambda m: m.zeros(2, 3, 4)[:, ::2],
    "t sliced": lambda m: m.zeros(4, 3).t()[::2],
    "stride 0": lambda m: m.empty_strided((2, 3), (0, 0)),
    "strided": lambda m: m.empty_strided((2, 3, 4), (1, 8, 2)),
    "0-d": lambda m: m.zeros(()),
    "1-d": lambda m: m.zeros(3),
    "1, 2, 3, 4": lambda m: m.zeros(1, 2, 3, 4),
    "equal strides": lambda m: m.empty_strided((2, 2), (1, 1)),
}


def _dim_order(make: Callable[[Any], Any], lib: Any, check: Any) -> Any:
    try:
        return make(lib).dim_order(ambiguity_check=check)
    except (RuntimeError, TypeError) as e:
        return type(e)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_dim_order_is_torchs(name: str) -> None:
    torch = pytest.importorskip("torch")
    for check in (False, True, []):
        ours = _dim_order(LAYOUTS[name], tg, check)
        assert ours == _dim_order(LAYOUTS[name], torch, check), (name, check)
        assert isinstance(ours, (tuple, type))


def test_dim_order_by_hand() -> None:
    assert tg.zeros(2, 3, 5, 7).transpose(1, 2).dim_order() == (0, 2, 1, 3)
    assert tg.zeros(1, 2, 3, 4).dim_order() == (0, 1, 2, 3)
    with pytest.raises(RuntimeError, match="does not have unique dim order"):
        tg.zeros(1, 2, 3, 4).dim_order(ambiguity_check=True)
    with pytest.raises(TypeError, match="must be a bool or a list of memory formats"):
        tg.zeros(3).dim_order(ambiguity_check="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no memory formats"):
        tg.zeros(3).dim_order(ambiguity_check=["channels_last"])
    with pytest.raises(TypeError):
        tg.zeros(3).dim_order(True)  # type: ignore[misc]  (keyword-only, as torch)


def test_as_strided_in_place() -> None:
    torch = pytest.importorskip("torch")
    results = []
    for m in (tg, torch):
        a = m.tensor(np.arange(6.0), requires_grad=True)
        y = a * 1
        assert y.as_strided_((2, 2), (1, 2)) is y
        assert tuple(y.shape) == (2, 2) and y.stride() == (1, 2)
        (y * m.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=m.float64)).sum().backward()
        z = m.arange(6.0)
        assert m.as_strided_(z, (2,), (2,), 1) is z
        results.append((y.detach().numpy(), a.grad.numpy(), z.numpy()))
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            m.tensor([1.0, 2.0], requires_grad=True).as_strided_((1,), (1,))
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert tg.zeros(6).requires_grad_()._node is None  # (a leaf)
    y = tg.tensor(np.arange(6.0), requires_grad=True) * 1
    assert y.as_strided_((3,), (2,)).grad_fn.name() == "AsStridedBackward"


def test_as_strided_in_place_gradient_by_finite_differences() -> None:
    def f(x: tg.Tensor) -> tg.Tensor:
        y = x * 1
        y.as_strided_((2, 3), (1, 2), 1)
        return y * y

    assert gradcheck(f, (tg.tensor(np.arange(8.0) / 3, requires_grad=True),))


SCATTERS: list[tuple[tuple[int, ...], tuple[int, ...], int | None]] = [
    ((2,), (1,), None),
    ((2,), (1,), 5),
    ((2, 2), (4, 1), 1),
    ((3, 2), (1, 4), None),
    ((0, 2), (1, 1), 3),
]


@pytest.mark.parametrize(("size", "stride", "offset"), SCATTERS)
def test_as_strided_scatter(size: tuple[int, ...], stride: tuple[int, ...], offset: Any) -> None:
    src = np.arange(1.0, 1 + int(np.prod(size))).reshape(size) * -1
    ours = tg.as_strided_scatter(tg.tensor(DATA), tg.tensor(src), size, stride, offset)
    method = tg.tensor(DATA).as_strided_scatter(tg.tensor(src), size, stride, offset)
    np.testing.assert_array_equal(ours.numpy(), method.numpy())
    expected = DATA.copy().ravel()
    view = np.lib.stride_tricks.as_strided(
        expected[offset or 0 :], size, tuple(s * 8 for s in stride)
    )
    view[...] = src
    np.testing.assert_array_equal(ours.numpy(), expected.reshape(DATA.shape))
    x, s = tg.tensor(DATA, requires_grad=True), tg.tensor(src, requires_grad=True)
    assert gradcheck(lambda a, b: tg.as_strided_scatter(a, b, size, stride, offset) ** 2, (x, s))
    torch = pytest.importorskip("torch")
    theirs = torch.as_strided_scatter(torch.tensor(DATA), torch.tensor(src), size, stride, offset)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    # of a view: the view's own elements, from its first
    view_ours = tg.as_strided_scatter(
        tg.tensor(DATA)[1:], tg.tensor([9.0], dtype=tg.float64), (1,), (1,)
    )
    view_theirs = torch.as_strided_scatter(
        torch.tensor(DATA)[1:], torch.tensor([9.0], dtype=torch.float64), (1,), (1,)
    )
    np.testing.assert_array_equal(view_ours.numpy(), view_theirs.numpy())


def test_new_empty_strided() -> None:
    x = tg.tensor(DATA.astype(np.float32))
    y = x.new_empty_strided((2, 3), (1, 2))
    assert y.dtype == np.float32 and y.stride() == (1, 2) and not y.numpy().any()
    z = x.new_empty_strided([2, 3], [4, 1], dtype=tg.float64, requires_grad=True)
    assert z.dtype == np.float64 and z.stride() == (4, 1) and z.requires_grad and z.is_leaf
    torch = pytest.importorskip("torch")
    t = torch.tensor(DATA.astype(np.float32)).new_empty_strided((2, 3), (1, 2))
    assert t.stride() == y.stride() and t.dtype == torch.float32


def test_deprecated_resize_and_resize_as() -> None:
    x = tg.tensor(DATA, requires_grad=True)
    with pytest.warns(UserWarning, match="non-inplace resize is deprecated"):
        r = x.resize(2, 6)
    assert r.shape == (2, 6) and np.array_equal(r.detach().numpy(), DATA.reshape(2, 6))
    with pytest.warns(UserWarning, match="non-inplace resize_as is deprecated"):
        q = x.resize_as(tg.zeros(6, 2))
    assert q.shape == (6, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert gradcheck(lambda a: a.resize(4, 3) * tg.arange(3.0, dtype=tg.float64), (x,))
        assert gradcheck(lambda a: a.t().resize(12) ** 2, (x,))  # a copy of a transposed x
        with pytest.raises(RuntimeError, match="can only change the shape"):
            x.resize(5)
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = torch.tensor(DATA)
        np.testing.assert_array_equal(r.detach().numpy(), t.resize(2, 6).numpy())
        np.testing.assert_array_equal(x.t().resize(12).detach().numpy(), t.t().resize(12).numpy())
        with pytest.raises(RuntimeError, match="can only change the shape"):
            t.resize(5)


def test_unsafe_split_with_sizes() -> None:
    torch = pytest.importorskip("torch")
    grads = []
    for m in (tg, torch):
        x = m.tensor(DATA, requires_grad=True)
        pieces = x.unsafe_split_with_sizes([1, 3], 1)
        assert type(pieces) is tuple and [tuple(p.shape) for p in pieces] == [(3, 1), (3, 3)]
        pieces = m.unsafe_split_with_sizes(x * 1, [2, 1])
        pieces[0].mul_(2)  # unlike split's, the outputs may be written in place
        sum((p**2).sum() for p in pieces).backward()
        grads.append(x.grad.numpy())
        with pytest.raises(RuntimeError):
            x.unsafe_split_with_sizes([1, 1])
    np.testing.assert_allclose(grads[0], grads[1])
    x = tg.tensor(DATA, requires_grad=True)
    assert gradcheck(lambda a: a.unsafe_split_with_sizes([3, 1], 1)[1] * 2, (x,))
    with pytest.raises(TypeError, match="split_sizes"):
        x.unsafe_split_with_sizes(2)  # type: ignore[arg-type]


BAD: dict[str, Callable[[Any, Any], Any]] = {
    "scatter overlap": lambda m, x: m.as_strided_scatter(x, m.zeros(2, 2), (2, 2), (0, 1)),
    "scatter out of bounds": lambda m, x: m.as_strided_scatter(x, m.zeros(2), (2,), (1,), 11),
    "scatter src size": lambda m, x: m.as_strided_scatter(x, m.zeros(3), (2,), (1,)),
    "scatter lengths": lambda m, x: m.as_strided_scatter(x, m.zeros(2), (2,), (1, 1)),
    "scatter src not a tensor": lambda m, x: m.as_strided_scatter(x, 1.0, (2,), (1,)),
    "as_strided_ out of bounds": lambda m, x: (x * 1).as_strided_((4, 4), (4, 1)),
    "as_strided_ lengths": lambda m, x: (x * 1).as_strided_((4,), (4, 1)),
    "new_empty_strided lengths": lambda m, x: x.new_empty_strided((2, 3), (1,)),
}


def _kind(call: Callable[[Any, Any], Any], lib: Any) -> type[Exception]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(lib, lib.tensor(DATA.astype(np.float32)))
    except (IndexError, TypeError, RuntimeError) as e:
        return next(k for k in (IndexError, TypeError, RuntimeError) if isinstance(e, k))
    raise AssertionError("not refused")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_as_torch(name: str) -> None:
    ours = _kind(BAD[name], tg)
    torch = pytest.importorskip("torch")
    assert ours is _kind(BAD[name], torch)
