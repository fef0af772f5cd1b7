"""Three corners of torch's API: ``div(rounding_mode=)`` (with ``//``, ``floor_divide``,
``divide`` and ``div_``), the one-argument ``where(condition)``, and the Python bool that
every reduction's ``keepdim`` must be.

Values are checked against exact references (Python's own ``//`` on floats, integer
arithmetic), dtypes and gradients against torch where it is installed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_ed as tg
from tinygrad_ed.tensor import Tensor

# ----------------------------------------------------------------------------- div rounding

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.1, -0.1, 2.5, -2.5, 3.0, 7.0, 0.3, 1e-30, 1e30]
SPECIAL += [math.inf, -math.inf, math.nan]


def _grid(dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    a = np.array(SPECIAL, dtype=dtype)
    return np.repeat(a, a.size), np.tile(a, a.size)


def _same_floats(ours: np.ndarray, ref: np.ndarray) -> None:
    """Equal, nan where nan, and the same sign of zero."""
    np.testing.assert_array_equal(ours, ref)
    assert (np.signbit(ours) == np.signbit(ref))[~np.isnan(ref)].all()


def _python_floor(a: float, b: float) -> float:
    """Python's float ``//``: the fmod-based floor division that torch's kernel also uses."""
    if b == 0:  # Python raises; IEEE's (and torch's) a / 0
        return float(np.divide(a, b))
    return a // b


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_floor_division_is_pythons_exact_one(dtype: Any) -> None:
    a, b = _grid(dtype)
    with np.errstate(all="ignore"):
        ref = np.array(
            [_python_floor(float(x), float(y)) for x, y in zip(a, b)], dtype=np.float64
        ).astype(dtype)
    out = tg.tensor(a).div(tg.tensor(b), rounding_mode="floor")
    assert out.dtype == dtype
    _same_floats(out.data, ref)
    assert tg.tensor([1.0]).div(0.1, rounding_mode="floor").item() == 9.0  # not floor(1/0.1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_trunc_division_is_trunc_of_the_quotient(dtype: Any) -> None:
    a, b = _grid(dtype)
    with np.errstate(all="ignore"):
        ref = np.trunc(a / b)
    _same_floats(tg.tensor(a).div(tg.tensor(b), rounding_mode="trunc").data, ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_float_rounding_division_matches_torch(dtype: Any, mode: str) -> None:
    torch = pytest.importorskip("torch")
    a, b = _grid(dtype)
    rng = np.random.default_rng(0)
    a = np.concatenate([a, (rng.standard_normal(2000) * 10).astype(dtype)])
    b = np.concatenate([b, rng.standard_normal(2000).astype(dtype)])
    ours = tg.tensor(a).div(tg.tensor(b), rounding_mode=mode).data
    _same_floats(ours, torch.div(torch.tensor(a), torch.tensor(b), rounding_mode=mode).numpy())


def _int_floor(a: int, b: int) -> int:
    return a // b


def _int_trunc(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


@given(
    st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=20),
    st.lists(st.integers(-50, 50).filter(bool), min_size=1, max_size=20),
)
def test_integer_rounding_division_is_exact(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    x, y = tg.tensor(a[:n]), tg.tensor(b[:n])
    for mode, ref in (("floor", _int_floor), ("trunc", _int_trunc)):
        out = x.div(y, rounding_mode=mode)
        assert out.dtype == np.int64
        assert out.tolist() == [ref(p, q) for p, q in zip(a[:n], b[:n])]
    assert (x // y).tolist() == [p // q for p, q in zip(a[:n], b[:n])]


# (operands as (kind, dtype, 0-d?) or a Python number) of torch's promotion cases
DTYPE_CASES: list[tuple[Any, Any]] = [
    (("t", "int64", False), ("t", "int64", False)),
    (("t", "int32", False), 2),
    (("t", "uint8", False), ("t", "int16", True)),
    (("t", "int64", False), 2.5),
    (("t", "float32", False), ("t", "float64", True)),
    (("t", "float32", False), ("t", "float64", False)),
    (("t", "int64", False), ("t", "float64", True)),
    (("t", "int64", False), ("t", "float64", False)),
    (("t", "bool", False), ("t", "int64", False)),
    (("t", "float64", False), 3),
    (5, ("t", "int32", False)),
]


def _operand(spec: Any, lib: Any) -> Any:
    if not isinstance(spec, tuple):
        return spec
    _, dtype, zero_d = spec
    values = np.array([7, 1, 5, 2]) if not zero_d else np.array(2)
    if dtype == "bool":
        values = values > 1
    arr = values.astype(dtype)
    return lib.tensor(arr) if lib is tg else lib.from_numpy(arr)


@pytest.mark.parametrize("case", DTYPE_CASES, ids=str)
@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
def test_rounding_division_dtypes_and_values_match_torch(case: Any, mode: str | None) -> None:
    torch = pytest.importorskip("torch")
    a, b = (_operand(s, tg) for s in case)
    ta, tb = (_operand(s, torch) for s in case)
    ours = tg.div(a, b, rounding_mode=mode)
    theirs = torch.div(ta, tb, rounding_mode=mode)
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    np.testing.assert_array_equal(tg.divide(a, b, rounding_mode=mode).data, theirs.numpy())
    if mode == "floor":
        np.testing.assert_array_equal(tg.floor_divide(a, b).data, theirs.numpy())
        np.testing.assert_array_equal((a // b).data, (ta // tb).numpy())


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_rounding_division_has_torchs_zero_gradient(mode: str) -> None:
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((3, 4)) * 5, rng.standard_normal(4) + 3
    a, b = tg.tensor(x, requires_grad=True), tg.tensor(y, requires_grad=True)
    out = a.div(b, rounding_mode=mode)
    assert out.requires_grad
    ga, gb = tg.autograd.grad(out.sum(), (a, b))
    assert ga.shape == a.shape and gb.shape == b.shape
    assert not ga.data.any() and not gb.data.any()
    # one operand requiring grad, and a number first
    (g,) = tg.autograd.grad(tg.div(2.0, b, rounding_mode=mode).sum(), (b,))
    assert not g.data.any()
    torch = pytest.importorskip("torch")
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    tga, tgb = torch.autograd.grad(torch.div(ta, tb, rounding_mode=mode).sum(), (ta, tb))
    np.testing.assert_array_equal(ga.data, tga.numpy())
    np.testing.assert_array_equal(gb.data, tgb.numpy())


def test_floor_divide_operator_gradient_is_zero() -> None:
    """torch's ``//`` has no derivative (its backward raises); here it is div's zero."""
    x = tg.tensor([2.5, -1.5], requires_grad=True)
    (x // 2).sum().backward()
    assert x.grad is not None and x.grad.tolist() == [0.0, 0.0]


def test_in_place_rounding_division() -> None:
    x = tg.tensor([7, -7, 9])
    assert x.div_(2, rounding_mode="trunc") is x and x.tolist() == [3, -3, 4]
    x //= tg.tensor([2, 2, -3])
    assert x.tolist() == [1, -2, -2] and x.dtype == np.int64
    f = tg.tensor([7.0, -7.0])
    f.div_(tg.tensor(2.0, dtype=np.float64), rounding_mode="floor")
    assert f.tolist() == [3.0, -4.0] and f.dtype == np.float32
    with pytest.raises(RuntimeError, match=r"div_\(\): result type float32 can't be cast"):
        tg.tensor([7, 8]).div_(2.5, rounding_mode="floor")
    with pytest.raises(RuntimeError, match="requires grad"):
        tg.tensor([1.0], requires_grad=True).div_(2, rounding_mode="floor")
    with tg.no_grad():
        w = tg.tensor([5.0], requires_grad=True)
        w.div_(2, rounding_mode="floor")
        assert w.tolist() == [2.0]


def test_modulo_operator_is_remainder() -> None:
    """``%``, its reflected and in-place forms are ``remainder`` (y's sign, Python's %), as
    torch's: ``F.one_hot(torch.arange(0, 5) % 3)`` in torch's docs."""
    a, b = [-5, -3, -1, 0, 2, 7], [3, -3, 2, 5, -4, 7]
    assert (tg.tensor(a) % 3).tolist() == [p % 3 for p in a]
    assert (tg.tensor(a) % tg.tensor(b)).tolist() == [p % q for p, q in zip(a, b)]
    assert (7 % tg.tensor([2, -3, 5])).tolist() == [7 % 2, 7 % -3, 7 % 5]
    f = tg.tensor([5.5, -5.5, 2.0], dtype=np.float64)
    assert (f % 2.5).tolist() == [5.5 % 2.5, -5.5 % 2.5, 2.0 % 2.5]
    assert (2.5 % tg.tensor([2, -2])).dtype == np.float32  # a float by an int: the default float
    x = tg.tensor([7, -7, 9])
    x %= 4
    assert x.tolist() == [3, 1, 1] and x.dtype == np.int64
    # x̄ = g, ȳ = −g·floor(x/y)
    p = tg.tensor([5.5, -5.5], dtype=np.float64, requires_grad=True)
    q = tg.tensor([2.0, 2.0], dtype=np.float64, requires_grad=True)
    (p % q).sum().backward()
    assert p.grad is not None and q.grad is not None
    assert p.grad.tolist() == [1.0, 1.0] and q.grad.tolist() == [-2.0, 3.0]
    with pytest.raises(RuntimeError, match=r"^remainder\(\): ZeroDivisionError"):
        _ = tg.tensor([1]) % 0
    torch = pytest.importorskip("torch")
    for u, v in [(tg.tensor(a), 3), (7, tg.tensor(b)), (2.5, tg.tensor(b)), (f, -1.5)]:
        tu = torch.tensor(u.numpy()) if isinstance(u, Tensor) else u
        tv = torch.tensor(v.numpy()) if isinstance(v, Tensor) else v
        ours, ref = u % v, tu % tv
        assert str(ours.dtype) == str(ref.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(ours.numpy(), ref.numpy())


def test_rounding_division_errors_match_torch() -> None:
    x = tg.tensor([7, 8])
    with pytest.raises(RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor'"):
        x.div(2, rounding_mode="round")
    with pytest.raises(RuntimeError, match=r"^div_\(\): expected rounding_mode"):
        x.div_(2, rounding_mode="Floor")
    with pytest.raises(TypeError, match=r"divide\(\): rounding_mode must be None"):
        tg.divide(x, 2, rounding_mode=1)  # type: ignore[arg-type]
    for mode in ("trunc", "floor"):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            x.div(tg.tensor([1, 0]), rounding_mode=mode)
        with pytest.raises(RuntimeError, match=r"^floor_divide\(\): ZeroDivisionError"):
            _ = 7 // tg.tensor([0])
    with pytest.raises(TypeError, match="not implemented for bool"):
        tg.tensor([True]) // tg.tensor([True])
    # a float divisor of 0 is IEEE's
    assert tg.tensor([1.0]).div(0.0, rounding_mode="floor").item() == math.inf
    torch = pytest.importorskip("torch")
    for mode in ("trunc", "floor"):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            torch.div(torch.tensor([7, 8]), torch.tensor([1, 0]), rounding_mode=mode)
    with pytest.raises(RuntimeError, match="rounding_mode to be one of"):
        torch.div(torch.tensor([7]), 2, rounding_mode="round")


# ----------------------------------------------------------------------------- where


CONDITIONS = [
    np.array([[True, False, True], [False, False, True]]),
    np.array([1, 0, 2, 0]),
    np.array([0.5, 0.0, np.nan]),
    np.array(True),
    np.array(0),
    np.zeros((2, 0), dtype=bool),
]


@pytest.mark.parametrize("c", CONDITIONS, ids=lambda c: f"{c.dtype}{c.shape}")
def test_where_with_the_condition_alone_is_nonzero_as_tuple(c: np.ndarray) -> None:
    out = tg.where(tg.tensor(c))
    assert isinstance(out, tuple) and len(out) == max(c.ndim, 1)
    expected = np.nonzero(c.reshape(-1) if c.ndim == 0 else c)
    for o, e in zip(out, expected):
        assert o.dtype == np.int64 and not o.requires_grad
        np.testing.assert_array_equal(o.data, e)
    torch = pytest.importorskip("torch")
    theirs = torch.where(torch.from_numpy(c))
    assert len(theirs) == len(out)
    for o, t in zip(out, theirs):
        np.testing.assert_array_equal(o.data, t.numpy())


def test_where_refuses_torchs_other_arities() -> None:
    c, x = tg.tensor([True, False]), tg.ones(2)
    with pytest.raises(TypeError, match=r"where\(\): takes \(condition\) or .*input alone"):
        tg.where(c, x)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="other alone"):
        tg.where(c, other=x)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="condition"):
        tg.where()  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"argument 'condition' must be a Tensor"):
        tg.where([True, False])
    assert tg.where(c, 1.0, 2.0).tolist() == [1.0, 2.0]  # the three-argument form is unchanged
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError):
        torch.where(torch.tensor([True]), torch.ones(1))


# ----------------------------------------------------------------------------- keepdim

X = tg.tensor(np.arange(12.0).reshape(3, 4))
REDUCTIONS: dict[str, Callable[[Any, Any], Any]] = {
    "sum": lambda x, k: x.sum(0, keepdim=k),
    "mean": lambda x, k: x.mean(0, keepdim=k),
    "amax": lambda x, k: x.amax(0, keepdim=k),
    "amin": lambda x, k: x.amin(0, keepdim=k),
    "max": lambda x, k: x.max(0, keepdim=k),
    "min": lambda x, k: x.min(0, keepdim=k),
    "argmax": lambda x, k: x.argmax(0, keepdim=k),
    "argmin": lambda x, k: x.argmin(keepdim=k),
    "var": lambda x, k: x.var(0, keepdim=k),
    "std": lambda x, k: x.std(0, keepdim=k),
    "logsumexp": lambda x, k: x.logsumexp(0, keepdim=k),
    "prod": lambda x, k: x.prod(0, keepdim=k),
    "norm": lambda x, k: x.norm(dim=0, keepdim=k),
    "all": lambda x, k: x.all(0, keepdim=k),
    "any": lambda x, k: x.any(0, keepdim=k),
    "median": lambda x, k: x.median(0, keepdim=k),
    "nanmedian": lambda x, k: x.nanmedian(0, keepdim=k),
    "nansum": lambda x, k: x.nansum(0, keepdim=k),
    "nanmean": lambda x, k: x.nanmean(0, keepdim=k),
    "var_mean": lambda x, k: _lib(x).var_mean(x, 0, keepdim=k),
    "std_mean": lambda x, k: _lib(x).std_mean(x, 0, keepdim=k),
    "aminmax": lambda x, k: _lib(x).aminmax(x, dim=0, keepdim=k),
}
NOT_BOOLS = [1, 0, 2, "yes", None, 1.0, np.True_, np.int64(1)]


def _lib(x: Any) -> Any:
    return tg if isinstance(x, Tensor) else __import__("torch")


@pytest.mark.parametrize("op", sorted(REDUCTIONS))
def test_keepdim_must_be_a_python_bool_as_in_torch(op: str) -> None:
    f = REDUCTIONS[op]
    for k in (True, False):
        f(X, k)
    for k in [*NOT_BOOLS, tg.tensor(True)]:
        with pytest.raises(TypeError, match=rf"^{op}\(\): argument 'keepdim' must be bool"):
            f(X, k)
    torch = pytest.importorskip("torch")
    t = torch.arange(12.0).reshape(3, 4)
    for k in [*NOT_BOOLS, torch.tensor(True)]:
        with pytest.raises(TypeError):
            f(t, k)


def test_keepdim_refusal_names_the_function_form_too() -> None:
    with pytest.raises(TypeError, match=r"^sum\(\): argument 'keepdim' must be bool, not int"):
        tg.sum(X, 0, 2)
    with pytest.raises(TypeError, match=r"^amax\(\): .* not NoneType"):
        tg.amax(X, 0, keepdim=None)
