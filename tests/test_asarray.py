"""``torch.asarray`` and ``torch.scalar_tensor``.

asarray's promise is about memory: shared unless ``copy=True`` or a cast needs a copy, and
never copied with ``copy=False`` (refused instead). It is checked on its own (``np.shares_memory``,
writes seen through both), for tensors with a history (the graph is kept, cast or cloned in it;
``requires_grad=False`` detaches), and against torch 2.13 where it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck


def test_an_array_is_shared_unless_a_copy_is_asked_or_needed() -> None:
    a = np.arange(6.0).reshape(2, 3)
    t = tg.asarray(a)
    assert t.dtype == tg.float64 and np.shares_memory(t.data, a)
    a[0, 0] = 7.0
    assert t[0, 0].item() == 7.0  # a write to either shows in the other
    assert np.shares_memory(tg.asarray(a, copy=False).data, a)
    assert not np.shares_memory(tg.asarray(a, copy=True).data, a)
    cast = tg.asarray(a, dtype=tg.float32)
    assert cast.dtype == tg.float32 and not np.shares_memory(cast.data, a)
    with pytest.raises(ValueError, match="can't alias an array of dtype float64 into float32"):
        tg.asarray(a, dtype=tg.float32, copy=False)


def test_a_tensor_comes_back_itself_with_its_history() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    assert tg.asarray(y) is y and tg.asarray(w) is w
    z = tg.asarray(y, dtype=tg.float64)  # cast in the graph
    assert z.dtype == tg.float64 and z.grad_fn is not None
    z.sum().backward()
    assert w.grad is not None and w.grad.tolist() == [3.0, 3.0]
    c = tg.asarray(y, copy=True)
    assert c is not y and not np.shares_memory(c.data, y.data) and c.grad_fn is not None
    with pytest.raises(ValueError, match="can't alias a tensor of dtype float32 into float64"):
        tg.asarray(y, dtype=tg.float64, copy=False)
    assert tg.asarray(y, dtype=tg.float32, copy=False) is y  # no cast: no copy needed


def test_requires_grad_false_detaches_and_true_makes_a_leaf() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    d = tg.asarray(w * 2, requires_grad=False)
    assert not d.requires_grad and d.grad_fn is None
    assert tg.asarray(w, requires_grad=False) is w and not w.requires_grad  # as torch: in place
    leaf = tg.asarray([1.0, 2.0], requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad and leaf.dtype == tg.float32
    with pytest.raises(TypeError, match="floating point"):
        tg.asarray([1, 2], requires_grad=True)


def test_gradient_through_asarray_cast() -> None:
    x = tg.tensor(np.linspace(-1, 1, 5), requires_grad=True)
    assert gradcheck(lambda t: tg.asarray(t, dtype=tg.float64, copy=True) ** 3, (x,))


def test_scalar_tensor_is_0d_in_the_default_float_dtype() -> None:
    for s in (3, 2.5, True, np.int8(4), tg.tensor(5)):
        t = tg.scalar_tensor(s)
        assert t.shape == () and t.dtype == tg.get_default_dtype()
        assert t.item() == float(s.item() if isinstance(s, tg.Tensor) else s)
    assert tg.scalar_tensor(3, dtype=tg.int64).dtype == tg.int64
    assert tg.scalar_tensor(1.5, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="must be a number"):
        tg.scalar_tensor("a")
    with pytest.raises(TypeError, match="must be a number"):
        tg.scalar_tensor(tg.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="overflow"):
        tg.scalar_tensor(1e300)  # beyond float32, as torch refuses


CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "float list": lambda m, a: m.asarray([1.5, 2.0]),
    "int list": lambda m, a: m.asarray([1, 2]),
    "bool list": lambda m, a: m.asarray([True, False]),
    "python float": lambda m, a: m.asarray(2.5),
    "numpy float64 scalar": lambda m, a: m.asarray(np.float64(2.5)),
    "numpy float32 scalar": lambda m, a: m.asarray(np.float32(2.5)),
    "int32 array": lambda m, a: m.asarray(a.astype(np.int32)),
    "array": lambda m, a: m.asarray(a),
    "array cast": lambda m, a: m.asarray(a, dtype=m.float32),
    "array cast no copy": lambda m, a: m.asarray(a, dtype=m.float32, copy=False),
    "list no copy": lambda m, a: m.asarray([1.0, 2.0], copy=False),
    "list requires_grad": lambda m, a: m.asarray([1.0, 2.0], requires_grad=True),
    "int list requires_grad": lambda m, a: m.asarray([1, 2], requires_grad=True),
    "scalar_tensor int": lambda m, a: m.scalar_tensor(3),
    "scalar_tensor dtype": lambda m, a: m.scalar_tensor(2.5, dtype=m.int64),
    "scalar_tensor overflow": lambda m, a: m.scalar_tensor(1e300),
    "scalar_tensor str": lambda m, a: m.scalar_tensor("a"),
    "scalar_tensor tensor": lambda m, a: m.scalar_tensor(m.tensor([1, 2])),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_against_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    results = []
    for lib in (torch, tg):
        a = np.arange(6.0).reshape(2, 3)
        try:
            out = CALLS[name](lib, a)
        except (ValueError, TypeError, RuntimeError):
            results.append(("refused",))  # (requires_grad of ints: here TypeError, torch's Runtime)
            continue
        shared = np.shares_memory(np.asarray(out.detach()), a)
        results.append((np.asarray(out.detach()), out.requires_grad, shared))
    theirs, ours = results
    if isinstance(theirs[0], str) or isinstance(ours[0], str):
        assert ours == theirs, name  # refused alike
        return
    assert ours[0].dtype == theirs[0].dtype and ours[0].shape == theirs[0].shape, name
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert ours[1:] == theirs[1:], name  # requires_grad, memory shared
