"""The Tensor methods take the keyword arguments torch's do, as the function forms already did:
``x.sum(dtype=)``, ``x.mean(dtype=)``, ``x.softmax(dim, dtype)``, ``x.log_softmax(dim, dtype)``,
``x.norm(p, dim, keepdim, dtype)`` (and ``torch.norm(..., dtype=)``), ``x.cumsum_(dim, dtype=)``,
``x.cumprod_(dim, dtype=)``, ``x.copy_(src, non_blocking)`` and ``x.numpy(force=)``.

Each is checked for its own meaning (the dtype of the result and of the arithmetic, a gradient
back in the input's dtype, memory shared) and, where torch is installed, against torch 2.13:
values, dtypes and which calls are refused. A last test walks every public Tensor method that
torch documents and fails if torch documents a parameter the method lacks.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.numgrad import gradcheck

X = np.arange(12.0).reshape(3, 4) - 5.5  # no zero: norms and softmax away from kinks


def _x(lib: Any, dtype: Any = None) -> Any:
    return lib.tensor(X, dtype=lib.float32 if dtype is None else dtype)


def test_sum_and_mean_with_dtype_compute_in_it() -> None:
    big = tg.tensor([2.0**24, 1.0, 1.0])  # float32 loses the ones; float64 keeps them
    assert big.sum().item() == 2.0**24
    out = big.sum(dtype=tg.float64)
    assert out.dtype == tg.float64 and out.item() == 2.0**24 + 2
    assert big.mean(dtype=tg.float64).item() == (2.0**24 + 2) / 3
    ints = tg.arange(12).reshape(3, 4)
    m = ints.mean(1, True, dtype=tg.float32)  # an integer mean needs a float dtype
    assert m.dtype == tg.float32 and m.shape == (3, 1)
    np.testing.assert_array_equal(m.numpy(), [[1.5], [5.5], [9.5]])
    assert (ints > 5).sum(dtype=tg.bool).item() is True  # a bool sum is any()
    wrapped = tg.tensor([200, 100], dtype=tg.uint8).sum(dtype=tg.uint8)
    assert wrapped.dtype == tg.uint8 and wrapped.item() == 44  # 300 mod 256


def test_method_and_function_forms_agree() -> None:
    x = _x(tg)
    for method, function in (
        (lambda: x.sum(0, dtype=tg.float64), lambda: tg.sum(x, 0, dtype=tg.float64)),
        (lambda: x.mean(dtype=tg.float64), lambda: tg.mean(x, dtype=tg.float64)),
        (lambda: x.softmax(1, tg.float64), lambda: tg.softmax(x, 1, tg.float64)),
        (lambda: x.log_softmax(0, tg.float64), lambda: tg.log_softmax(x, 0, tg.float64)),
        (lambda: x.norm(3, 1, True, tg.float64), lambda: tg.norm(x, 3, 1, True, dtype=tg.float64)),
    ):
        a, b = method(), function()
        assert a.dtype == b.dtype == tg.float64
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.sum(1, dtype=tg.float64),
        lambda x: x.mean(0, dtype=tg.float64),
        lambda x: x.softmax(1, tg.float64),
        lambda x: x.log_softmax(0, dtype=tg.float64),
        lambda x: x.norm(3, 1, False, tg.float64),
        lambda x: x.norm(dtype=tg.float64),
    ],
)
def test_gradients_through_the_cast(call: Callable[[tg.Tensor], tg.Tensor]) -> None:
    """x̄ comes back in x's own dtype: the cast's rule casts g back."""
    x = tg.tensor(X, dtype=tg.float32, requires_grad=True)
    call(x).sum().backward()
    assert x.grad is not None and x.grad.dtype == tg.float32
    x64 = tg.tensor(X, requires_grad=True)  # float64: a float64 dtype changes nothing
    assert gradcheck(lambda t: call(t), (x64,))


def test_norm_dtype_refusals_name_the_dtypes() -> None:
    x = _x(tg)
    with pytest.raises(RuntimeError, match=r"norm\(\): dtype should be floating point.*int64"):
        x.norm(dtype=tg.int64)
    with pytest.raises(RuntimeError, match=r"float32\) should be convertible.*float16"):
        x.norm(dtype=tg.float16)
    with pytest.raises(TypeError, match=r"norm\(\): expected a floating point tensor"):
        tg.arange(3).norm(dtype=tg.float64)


def test_in_place_scans_take_only_their_own_dtype() -> None:
    x = _x(tg)
    np.testing.assert_array_equal(x.clone().cumsum_(0, dtype=tg.float32).numpy(), X.cumsum(0))
    np.testing.assert_allclose(x.clone().cumprod_(1, dtype=tg.float32).numpy(), X.cumprod(1))
    for name in ("cumsum_", "cumprod_"):
        with pytest.raises(RuntimeError, match=rf"{name}\(\): bad in-place call.*float32.*float64"):
            getattr(x.clone(), name)(0, dtype=tg.float64)
        with pytest.raises(TypeError):  # dtype is keyword-only, as torch's
            getattr(x.clone(), name)(0, tg.float32)


def test_copy_non_blocking_and_numpy_force() -> None:
    x = _x(tg)
    y = tg.zeros(3, 4)
    assert y.copy_(x, non_blocking=True) is y and np.array_equal(y.numpy(), X)
    assert tg.zeros(3, 4).copy_(x, True).numpy().tolist() == X.tolist()
    w = tg.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        w.numpy()
    a = w.numpy(force=True)  # the memory itself, as torch's on the CPU
    assert np.shares_memory(a, w.data)
    with pytest.raises(TypeError):
        w.numpy(True)  # force is keyword-only, as torch's


def test_narrow_copy_takes_dim_by_keyword() -> None:
    """``x.narrow_copy(dim=, start=, length=)``, the names torch's binding takes (its docstring
    says ``dimension``, which torch refuses by keyword; s29 focus seed 59): x's slice in new
    memory, x̄ = g in the slice and 0 elsewhere."""
    w = tg.tensor(X, requires_grad=True)
    out = w.narrow_copy(dim=1, start=1, length=2)
    np.testing.assert_array_equal(out.detach().numpy(), X[:, 1:3])
    assert not np.shares_memory(out.data, w.data)
    g = np.arange(6.0).reshape(3, 2)
    out.backward(tg.tensor(g))
    expected = np.zeros_like(X)
    expected[:, 1:3] = g
    np.testing.assert_array_equal(w.grad.numpy(), expected)
    assert gradcheck(
        lambda t: t.narrow_copy(dim=0, start=-2, length=2),
        [tg.tensor(X, dtype=tg.float64, requires_grad=True)],
    )


CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "sum dtype": lambda m, x: x.sum(dtype=m.float64),
    "sum dim dtype": lambda m, x: x.sum(0, True, dtype=m.int64),
    "sum bool": lambda m, x: (x > 0).sum(dtype=m.bool),
    "mean dtype": lambda m, x: x.mean(1, dtype=m.float64),
    "mean of ints": lambda m, x: x.long().mean(dtype=m.float32),
    "softmax dtype": lambda m, x: x.softmax(0, m.float64),
    "log_softmax dtype": lambda m, x: x.log_softmax(dim=1, dtype=m.float64),
    "norm dtype": lambda m, x: x.norm(2, 1, False, m.float64),
    "norm inf dtype": lambda m, x: x.norm(float("inf"), dtype=m.float64),
    "function norm dtype": lambda m, x: m.norm(x, 1, dim=0, dtype=m.float64),
    "norm int dtype": lambda m, x: x.norm(dtype=m.int64),
    "norm narrowing": lambda m, x: x.norm(dtype=m.float16),
    "cumsum_ dtype": lambda m, x: x.clone().cumsum_(1, dtype=m.float32),
    "cumsum_ other dtype": lambda m, x: x.clone().cumsum_(1, dtype=m.float64),
    "cumprod_ positional dtype": lambda m, x: x.clone().cumprod_(0, m.float32),
    "copy_ non_blocking": lambda m, x: m.zeros(3, 4).copy_(x, non_blocking=True),
    "numpy force": lambda m, x: x.clone().requires_grad_().numpy(force=True),
    "numpy positional": lambda m, x: x.numpy(True),
    "narrow_copy keywords": lambda m, x: x.narrow_copy(dim=1, start=1, length=2),
    "narrow_copy dimension keyword": lambda m, x: x.narrow_copy(dimension=1, start=1, length=2),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_against_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    results = []
    for lib in (torch, tg):
        try:
            out = CALLS[name](lib, _x(lib))
        except (RuntimeError, TypeError) as e:
            results.append(type(e) if isinstance(e, TypeError) else RuntimeError)
            continue
        results.append(np.asarray(out.detach() if hasattr(out, "detach") else out))
    theirs, ours = results
    if isinstance(theirs, type):
        assert ours is theirs, name  # refused alike (tg's errors are both where torch's is one)
        return
    assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype, name
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def _documented_parameters(torch: Any, name: str) -> set[str] | None:
    """The parameter names of torch.Tensor.``name``: its Python signature, else the signature
    lines of its docstring."""
    fn = getattr(torch.Tensor, name)
    try:
        return set(inspect.signature(fn).parameters) - {"self"}
    except (TypeError, ValueError):
        pass
    lines = re.findall(rf"^\s*{re.escape(name)}\((.*?)\)\s*->", fn.__doc__ or "", flags=re.M)
    if not lines:
        return None
    names = set()
    for line in lines:
        for piece in re.split(r",(?![^(\[]*[)\]])", line):
            p = piece.strip().split("=")[0].strip().lstrip("*")
            if p and p != "/":
                names.add(p)
    return names


# Where torch's docstring names a parameter its binding calls otherwise (the binding's name is
# the one here, and torch accepts it by keyword), or names one that is not there.
DOCSTRING_NAMES = {
    "div": {"value"}, "div_": {"value"}, "divide": {"value"}, "divide_": {"value"},
    "true_divide": {"value"}, "true_divide_": {"value"}, "mul": {"value"}, "mul_": {"value"},
    "multiply": {"value"}, "multiply_": {"value"}, "floor_divide": {"value"},
    "floor_divide_": {"value"}, "fmod": {"divisor"}, "fmod_": {"divisor"},
    "remainder": {"divisor"}, "remainder_": {"divisor"}, "matmul": {"tensor2"},
    "bmm": {"batch2"}, "index_copy": {"tensor2"}, "index_copy_": {"tensor"},
    "masked_scatter": {"tensor"}, "type_as": {"tensor"}, "narrow": {"dimension"},
    "narrow_copy": {"dimension"},
    "take": {"indices"}, "where": {"y"}, "dot": {"other"}, "frexp": {"input"},
    "histogram": {"input"}, "put": {"input"}, "arctanh_": {"other"}, "atanh_": {"other"},
    "broadcast_to": {"shape"}, "random_": {"from"}, "uniform_": {"from"},
    "hsplit": {"split_size_or_sections"}, "vsplit": {"split_size_or_sections"},
    "dsplit": {"split_size_or_sections"}, "repeat": {"repeats"}, "expand": {"size"},
    "view": {"shape"}, "to": {"kwargs"}, "cuda": {"non_blocking"}, "xpu": {"non_blocking"},
    "ipu": {"non_blocking"}, "mtia": {"non_blocking"},
}  # fmt: skip
NOT_HERE = {"out", "memory_format", "layout", "pin_memory", "device"}


def test_every_documented_method_parameter_is_taken() -> None:
    torch = pytest.importorskip("torch")
    missing = {}
    for name in dir(tg.Tensor):
        method = getattr(tg.Tensor, name)
        if name.startswith("_") or not callable(method) or not hasattr(torch.Tensor, name):
            continue
        theirs = _documented_parameters(torch, name)
        if theirs is None:
            continue
        ours = set(inspect.signature(method).parameters)
        lacking = theirs - ours - NOT_HERE - DOCSTRING_NAMES.get(name, set())
        if lacking:
            missing[name] = sorted(lacking)
    assert not missing


# ----------------------------------------------------------------------------- numpy's names

NUMPY_CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "sum axis": lambda m, x: x.sum(axis=1),
    "sum axis keepdims": lambda m, x: m.sum(x, axis=0, keepdims=True),
    "mean keepdims": lambda m, x: x.mean(1, keepdims=True),
    "max axis": lambda m, x: x.max(axis=0)[0],
    "argmax axis keepdims": lambda m, x: x.argmax(axis=1, keepdims=True),
    "std axis": lambda m, x: m.std(x, axis=0),
    "softmax axis": lambda m, x: x.softmax(axis=1),
    "cumsum axis": lambda m, x: m.cumsum(x, axis=1),
    "cat axis": lambda m, x: m.cat([x, x], axis=1),
    "stack axis": lambda m, x: m.stack([x, x], axis=2),
    "sort axis": lambda m, x: x.sort(axis=0)[0],
    "unsqueeze axis": lambda m, x: x.unsqueeze(axis=0),
    "var_mean axis": lambda m, x: m.var_mean(x, axis=1)[0],
}


@pytest.mark.parametrize("name", sorted(NUMPY_CALLS))
def test_numpy_axis_and_keepdims_names(name: str) -> None:
    """torch takes numpy's ``axis``/``keepdims`` for ``dim``/``keepdim``; so does this library,
    with the same results as the torch names."""
    ours = NUMPY_CALLS[name](tg, _x(tg))
    torch = pytest.importorskip("torch")
    theirs = NUMPY_CALLS[name](torch, _x(torch))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_numpy_names_mean_the_torch_names() -> None:
    x = _x(tg)
    assert x.sum(axis=1).tolist() == x.sum(dim=1).tolist()
    assert tg.mean(x, axis=0, keepdims=True).tolist() == x.mean(dim=0, keepdim=True).tolist()
    assert tg.cat([x, x], axis=1).tolist() == tg.cat([x, x], dim=1).tolist()


def test_numpy_names_refuse_both_spellings() -> None:
    x = _x(tg)
    with pytest.raises(TypeError, match=r"sum\(\) got both dim and its numpy name axis"):
        x.sum(dim=0, axis=1)
    with pytest.raises(TypeError, match="got both keepdim and its numpy name keepdims"):
        tg.mean(x, 0, keepdim=True, keepdims=True)
    with pytest.raises(TypeError):
        x.sum(0, axis=1)  # dim given twice, by position and by name


def test_every_numpy_named_function_has_a_dim() -> None:
    from tinygrad_ed._numpy_names import NUMPY_NAMED, NUMPY_NAMED_FUNCTIONS

    for name in NUMPY_NAMED:
        assert "dim" in inspect.signature(getattr(tg.Tensor, name)).parameters, name
    for name in NUMPY_NAMED_FUNCTIONS:  # (concatenate: torch's documented axis, dim taken too)
        assert {"dim", "axis"} & set(inspect.signature(getattr(tg, name)).parameters), name
