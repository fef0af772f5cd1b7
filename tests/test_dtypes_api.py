"""torch's dtype names and dtype queries: finfo, iinfo, promote_types, result_type, can_cast.

Checked against torch where it is installed (every pair of dtypes numpy and torch share), and
without it against numpy's own limits and the promotion lattice written out.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

# every dtype both libraries have (numpy has no bfloat16, complex32 or float8)
NAMES = [
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]
ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "short": "int16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "bool": "bool",
}


def _tg(name: str) -> Any:
    return getattr(tg, name)


def _same(ours: Any, theirs: Any) -> bool:
    return str(np.dtype(ours)) == str(theirs).removeprefix("torch.")


def _outcome(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except (RuntimeError, TypeError) as e:
        return type(e)


# ----------------------------------------------------------------------------- names


def test_every_name_is_the_numpy_dtype_torch_means() -> None:
    for name in NAMES:
        assert np.dtype(_tg(name)) == np.dtype(name)
    for alias, name in ALIASES.items():
        assert np.dtype(_tg(alias)) == np.dtype(name), alias
    assert {*NAMES, *ALIASES} <= set(tg.__all__)


def test_names_work_as_dtype_arguments_and_compare_with_tensor_dtypes() -> None:
    y = tg.tensor([2, 0, 1], dtype=tg.long)
    assert y.dtype == tg.long == tg.int64
    assert tg.zeros(2, dtype=tg.float).dtype == tg.float32
    assert tg.ones(2, dtype=tg.double).dtype == np.float64
    mask = tg.tensor([1, 0]).to(tg.bool)
    assert mask.dtype == tg.bool and mask.tolist() == [True, False]
    assert tg.randn(3, dtype=tg.half, requires_grad=True).dtype == np.float16
    assert tg.tensor([1.5]).to(tg.int).tolist() == [1]


def test_the_names_match_torchs() -> None:
    torch = pytest.importorskip("torch")
    for name in [*NAMES, *ALIASES]:
        assert _same(_tg(name), getattr(torch, name)), name


# ----------------------------------------------------------------------------- finfo, iinfo


@pytest.mark.parametrize("name", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo_gives_the_limits_of_the_real_type(name: str) -> None:
    info = tg.finfo(_tg(name))
    real = np.finfo(np.dtype(name))
    assert info.dtype == str(real.dtype)
    assert info.bits == real.bits
    one, t = real.dtype.type(1), real.dtype.type
    assert info.eps == float(real.eps) and one + t(info.eps) > 1 and one + t(info.eps / 2) == 1
    assert info.max == float(real.max) == -info.min
    assert info.tiny == info.smallest_normal == float(real.smallest_normal)
    assert info.resolution == 10.0**-real.precision
    assert all(type(v) is float for v in (info.eps, info.max, info.min, info.tiny))


def test_finfo_defaults_to_the_default_dtype() -> None:
    assert tg.finfo().dtype == "float32"
    tg.set_default_dtype(tg.float64)
    try:
        assert tg.finfo() == tg.finfo(tg.float64) != tg.finfo(tg.float32)
    finally:
        tg.set_default_dtype(tg.float32)
    assert tg.finfo(float).dtype == "float64"  # Python's float is float64, as in torch


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64", "uint16", "uint64"])
def test_iinfo_gives_the_range(name: str) -> None:
    info = tg.iinfo(_tg(name))
    assert (info.min, info.max, info.bits, info.dtype) == (
        int(np.iinfo(name).min),
        int(np.iinfo(name).max),
        np.iinfo(name).bits,
        name,
    )
    assert type(info.max) is int
    assert tg.iinfo(int).dtype == "int64"


def test_info_refuses_the_wrong_kind() -> None:
    with pytest.raises(TypeError, match=r"finfo.*floating point input type.*iinfo"):
        tg.finfo(tg.int32)
    with pytest.raises(TypeError, match="finfo"):
        tg.finfo(tg.bool)
    with pytest.raises(TypeError, match=r"iinfo.*integer input type.*finfo"):
        tg.iinfo(tg.float32)
    with pytest.raises(TypeError, match=r"iinfo.*bool is not supported"):
        tg.iinfo(tg.bool)
    with pytest.raises(TypeError, match=r"iinfo.*'type' must be a dtype, not NoneType"):
        tg.iinfo(None)
    with pytest.raises(TypeError, match=r"finfo.*'type' must be a dtype, not Tensor"):
        tg.finfo(tg.zeros(1))


def test_info_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    for name in ["float16", "float32", "float64", "complex64", "complex128"]:
        ours, theirs = tg.finfo(_tg(name)), torch.finfo(getattr(torch, name))
        for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
            assert getattr(ours, attr) == getattr(theirs, attr), (name, attr)
        assert repr(ours) == repr(theirs)
    assert repr(tg.finfo()) == repr(torch.finfo())
    for name in ["uint8", "int8", "int16", "int32", "int64"]:
        ours_i, theirs_i = tg.iinfo(_tg(name)), torch.iinfo(getattr(torch, name))
        assert (ours_i.bits, ours_i.min, ours_i.max, ours_i.dtype) == (
            theirs_i.bits,
            theirs_i.min,
            theirs_i.max,
            theirs_i.dtype,
        )
        assert repr(ours_i) == repr(theirs_i)


# ----------------------------------------------------------------------------- promotion

KIND = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_follows_the_kind_lattice(a: str, b: str) -> None:
    barebones = {"uint16", "uint32", "uint64"}
    da, db = np.dtype(a), np.dtype(b)
    if a != b and (a in barebones or b in barebones) and "f" not in (da.kind, db.kind):
        with pytest.raises(RuntimeError, match="uint16, uint32, uint64"):
            tg.promote_types(_tg(a), _tg(b))
        return
    out = tg.promote_types(_tg(a), _tg(b))
    assert out == tg.promote_types(_tg(b), _tg(a))  # symmetric
    if KIND[da.kind] != KIND[db.kind]:
        high = da if KIND[da.kind] > KIND[db.kind] else db
        low = db if high is da else da
        # the higher kind wins; only a float meeting a complex may widen it
        assert out == (np.promote_types(da, db) if low.kind == "f" else high)
    else:
        assert out == np.promote_types(da, db)


def test_promote_types_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    for a, b in itertools.product(NAMES, NAMES):
        ours = _outcome(tg.promote_types, _tg(a), _tg(b))
        theirs = _outcome(torch.promote_types, getattr(torch, a), getattr(torch, b))
        if isinstance(theirs, type):
            assert ours is theirs, (a, b)
        else:
            assert _same(ours, theirs), (a, b, ours, theirs)
    with pytest.raises(TypeError, match=r"promote_types.*'type2' must be a dtype, not int"):
        tg.promote_types(tg.int8, 3)


def _operands() -> list[tuple[str, Any, Any]]:
    """(label, ours, theirs-maker) for tensors of every dtype, 1-d and 0-d, and Python numbers."""
    out: list[tuple[str, Any, Any]] = []
    for name in NAMES:
        if name.startswith("uint") and name != "uint8":
            continue  # torch's support of them is partial
        out.append((f"{name}[1]", tg.zeros(1, dtype=_tg(name)), (name, 1)))
        out.append((f"{name}[]", tg.zeros((), dtype=_tg(name)), (name, 0)))
    for number in (True, 2, 2.5):
        out.append((repr(number), number, number))
    return out


def test_result_type_matches_torch() -> None:
    torch = pytest.importorskip("torch")

    def theirs_of(spec: Any) -> Any:
        if isinstance(spec, tuple):
            name, ndim = spec
            return torch.zeros((1,) * ndim, dtype=getattr(torch, name))
        return spec

    for (la, a, sa), (lb, b, sb) in itertools.product(_operands(), _operands()):
        ours = _outcome(tg.result_type, a, b)
        theirs = _outcome(torch.result_type, theirs_of(sa), theirs_of(sb))
        if isinstance(theirs, type):
            assert ours is theirs, (la, lb)
        elif theirs == torch.complex32:  # float16 with a 0-d complex: numpy has no complex32
            assert ours in (tg.complex64, tg.complex128), (la, lb)
        else:
            assert _same(ours, theirs), (la, lb, ours, theirs)


def test_result_type_rules_without_torch() -> None:
    i32 = tg.zeros(3, dtype=tg.int32)
    assert tg.result_type(i32, 2) == tg.int32  # a Python int takes the tensor's type
    assert tg.result_type(i32, 2.5) == tg.float32  # a Python float: the default float dtype
    f64_0d = tg.zeros((), dtype=tg.float64)
    assert tg.result_type(tg.zeros(2), f64_0d) == tg.float32  # a 0-d tensor of the same kind
    assert tg.result_type(i32, f64_0d) == tg.float64  # ... decides over a lower kind
    assert tg.result_type(1, 2.5) == tg.float32
    assert tg.result_type(2, True) == tg.int64
    assert tg.result_type(i32, 1j) == tg.complex64
    with pytest.raises(TypeError, match=r"result_type.*'tensor' must be a Tensor or a number"):
        tg.result_type([1], 2)


def test_result_type_is_what_the_ops_give() -> None:
    for (_, a, _), (_, b, _) in itertools.product(_operands(), _operands()):
        if isinstance(a, tg.Tensor) and a.dtype != np.bool_:
            assert (a + b).dtype == tg.result_type(a, b)


def test_can_cast_allows_no_lower_kind() -> None:
    for a, b in itertools.product(NAMES, NAMES):
        expected = KIND[np.dtype(a).kind] <= KIND[np.dtype(b).kind]
        assert tg.can_cast(_tg(a), _tg(b)) is expected, (a, b)


def test_can_cast_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    for a, b in itertools.product(NAMES, NAMES):
        assert tg.can_cast(_tg(a), _tg(b)) == torch.can_cast(getattr(torch, a), getattr(torch, b))
    assert tg.can_cast(from_=float, to=int) is torch.can_cast(float, int) is False


# ----------------------------------------------------------------------------- complex operands


def test_an_integer_tensor_with_a_complex_operand_keeps_the_complex_width() -> None:
    # numpy widens complex64 with int32 or int64 to complex128; torch keeps complex64
    i64 = tg.tensor([1, 2])
    assert (i64 * 1j).dtype == tg.complex64
    assert (i64 * 1j).tolist() == [1j, 2j]
    z = tg.tensor([1 + 1j, 2j])
    out = z * tg.tensor([2, 3], dtype=tg.int32)
    assert out.dtype == tg.complex64
    assert (tg.tensor([2, 3], dtype=tg.int32) + z).dtype == tg.complex64


def test_full_takes_a_complex_fill_value() -> None:
    assert tg.full((2,), 1j).dtype == tg.complex64
    assert tg.full((2,), 1 + 0j, dtype=tg.float32).tolist() == [1.0, 1.0]
    assert tg.full((2,), 1j, dtype=tg.bool).tolist() == [True, True]
    with pytest.raises(RuntimeError, match=r"full\(\): fill_value 1j cannot be converted"):
        tg.full((2,), 1j, dtype=tg.int64)
    with pytest.raises(RuntimeError, match=r"full_like\(\): fill_value 1j cannot be converted"):
        tg.full_like(tg.zeros(2), 1j)


def test_complex_operands_match_torch() -> None:
    torch = pytest.importorskip("torch")
    for name in ("int32", "int64", "uint8", "bool"):
        ours = tg.tensor([1, 0], dtype=_tg(name))
        theirs = torch.tensor([1, 0], dtype=getattr(torch, name))
        assert _same((ours * 1j).dtype, (theirs * 1j).dtype), name
        c = tg.zeros(2, dtype=tg.complex64)
        tc = torch.zeros(2, dtype=torch.complex64)
        assert _same((ours + c).dtype, (theirs + tc).dtype), name
    for value, name in ((1 + 0j, "float32"), (1j, "bool"), (0j, "bool"), (2 + 0j, "int64")):
        ours_f = tg.full((2,), value, dtype=_tg(name))
        theirs_f = torch.full((2,), value, dtype=getattr(torch, name))
        assert ours_f.tolist() == theirs_f.tolist()
    assert _same(tg.full((2,), 1j).dtype, torch.full((2,), 1j).dtype)


def test_a_zero_dim_complex_does_not_widen_a_float_tensor() -> None:
    x = tg.tensor([1.0, 2.0])
    z = tg.tensor(2 + 1j, dtype=tg.complex128)
    assert (x * z).dtype == tg.complex64 and (x * z).tolist() == [2 + 1j, 4 + 2j]
    w = tg.tensor([1 + 1j], dtype=tg.complex64)
    assert (w * tg.tensor(2.0, dtype=tg.float64)).dtype == tg.complex64
    assert (tg.zeros(1, dtype=tg.float64) + tg.zeros(1, dtype=tg.complex64)).dtype == tg.complex128


def test_complex_views_give_numpys_values() -> None:
    z = tg.tensor([1 + 2j, 3 - 1j])
    assert z.real.tolist() == [1.0, 3.0] and z.real.dtype == tg.float32
    assert z.imag.tolist() == [2.0, -1.0]
    assert z.conj().tolist() == [1 - 2j, 3 + 1j] == tg.conj_physical(z).tolist()
    m = tg.tensor([[1 + 2j, 3j]])
    assert m.H.tolist() == [[1 - 2j], [-3j]] == m.mH.tolist() == m.adjoint().tolist()
    assert tg.tensor([1 + 0j, 1j]).isreal().tolist() == [True, False]
    z.real[0] = 5.0  # views: writes go into z, as torch's
    z.imag[1] = 0.0
    assert z.tolist() == [5 + 2j, 3 + 0j]
    # real tensors keep their own (the conjugate and the real part are the tensor)
    x = tg.tensor([1.0, -2.0])
    assert x.conj() is x and x.real.tolist() == [1.0, -2.0]


def test_autograd_of_complex_values_is_refused_not_wrong() -> None:
    # torch's rules conjugate (x * y sends g·conj(y) to x); these do not, so they refuse
    with pytest.raises(NotImplementedError, match=r"tensor\(\): complex tensors cannot require"):
        tg.tensor([1j], requires_grad=True)
    with pytest.raises(NotImplementedError, match=r"requires_grad_\(\).*complex64"):
        tg.zeros(2, dtype=tg.complex64).requires_grad_()
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match=r"mul\(\): a complex result.*\(2,\) float32"):
        x * 1j
    with pytest.raises(NotImplementedError, match=r"cast\(\): a complex result"):
        x.to(tg.complex64)
    w = tg.zeros(2, dtype=tg.complex64)
    with pytest.raises(NotImplementedError, match="autograd of complex values"):
        w.add_(x)
    assert w.tolist() == [0j, 0j]  # refused before writing
    with tg.no_grad():
        assert (x * 1j).tolist() == [1j, 2j]
    assert (x.detach() * 1j).dtype == tg.complex64


def test_view_as_another_dtype_reads_the_same_bytes_as_torch() -> None:
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    for name, shape in (
        ("int32", (3, 4)),
        ("int16", (3, 8)),
        ("float64", (3, 2)),
        ("uint8", (3, 16)),
    ):
        ours, theirs = tg.tensor(a).view(_tg(name)), torch.tensor(a).view(getattr(torch, name))
        assert ours.shape == tuple(theirs.shape) == shape and _same(ours.dtype, theirs.dtype)
        assert np.array_equal(ours.numpy(), theirs.numpy(), equal_nan=True)
    assert tg.tensor(a).view(dtype=tg.int32).tolist() == torch.tensor(a).view(torch.int32).tolist()
    assert tg.tensor([True, False]).view(tg.uint8).tolist() == [1, 0]
    # no history, even from float to float (torch's too)
    x = tg.tensor(a, requires_grad=True)
    y = x.view(tg.float32)
    assert not y.requires_grad and y.grad_fn is None
    assert not torch.tensor(a, requires_grad=True).view(torch.float32).requires_grad
    # the memory is shared: a write through the view shows in the tensor
    z = tg.zeros(2)
    z.view(tg.int32)[0] = 1065353216  # the bits of 1.0
    assert z.tolist() == [1.0, 0.0]


def test_view_as_another_dtype_refuses_what_torch_refuses() -> None:
    with pytest.raises(
        RuntimeError,
        match=r"view\(\): the last dim must be divisible by 2 .*"
        r"float32 as float64.*\(2, 3\)",
    ):
        tg.zeros(2, 3).view(tg.float64)
    with pytest.raises(RuntimeError, match=r"view\(\): a tensor needs a dim .*float32 as int16"):
        tg.tensor(1.0).view(tg.int16)
    assert tg.tensor(1.0).view(tg.int32).item() == 1065353216  # same size: 0-d is fine
    with pytest.raises(TypeError, match=r"view\(\): tensors hold numbers"):
        tg.zeros(2).view(dtype=np.dtype("U1"))


# ----------------------------------------------------------------------------- hash_tensor


def _bits(values: list[float] | list[int], wide: type) -> int:
    """The xor of the values' 64-bit patterns, upcast to ``wide`` (float64 or int64)."""
    acc = 0
    for b in np.array(values, dtype=wide).view(np.uint64).tolist():
        acc ^= b
    return acc


HASHES = [
    ("tensor([True, False, True])", {}),
    ("tensor([1, 2, 255], dtype=lib.uint8)", {}),
    ("tensor([-1, 2], dtype=lib.int32)", {}),
    ("tensor([1.5, -2.0], dtype=lib.float16)", {}),
    ("tensor([-0.0, float('nan')])", {}),
    ("tensor(3.0)", {}),
    ("arange(6.0).reshape(2, 3)", {"dim": 1}),
    ("arange(6.0).reshape(2, 3)", {"dim": (0, 1), "keepdim": True}),
    ("arange(6.0).reshape(2, 3)", {"dim": []}),  # every dim, as ()
    ("arange(6.0).reshape(2, 3)", {"dim": -1, "keepdim": True}),
    ("zeros(2, 0)", {"dim": 0}),
    ("zeros(0)", {}),  # RuntimeError: no dim given for an empty tensor
    ("zeros(2, 0)", {"dim": 1}),  # IndexError: a dim of size 0
    ("arange(6.0)", {"mode": 1}),  # RuntimeError: mode 0 only
    ("tensor([1 + 2j])", {}),  # NotImplementedError: no complex kernel
    ("tensor([1, 2], dtype=lib.uint16)", {}),  # NotImplementedError
]


def _hash(lib: Any, make: str, kwargs: dict[str, Any]) -> Any:
    x = eval("lib." + make, {"lib": lib})
    try:
        r = lib.hash_tensor(x, **kwargs)
    except Exception as e:  # the kind of error is what is compared
        return type(e).__name__
    return r.tolist(), str(r.dtype).removeprefix("torch.")


def test_hash_tensor() -> None:
    """torch.hash_tensor: the xor of the 64-bit patterns of the elements upcast to float64 or
    int64, as uint64; equal values in float16 and float64 hash equal; no grad."""
    x = tg.tensor([1.5, -2.0, 0.25], requires_grad=True)
    h = tg.hash_tensor(x)
    assert h.dtype == tg.uint64 and not h.requires_grad
    assert h.item() == _bits([1.5, -2.0, 0.25], np.float64)
    assert x.half().hash_tensor().item() == h.item()
    rows = tg.tensor([[1, 2], [3, 3]]).hash_tensor(1)
    assert rows.tolist() == [_bits([1, 2], np.int64), 0]
    assert _hash(tg, "zeros(0)", {}) == "RuntimeError"
    assert _hash(tg, "zeros(2, 0)", {"dim": 1}) == "IndexError"


@pytest.mark.parametrize(("make", "kwargs"), HASHES)
def test_hash_tensor_as_torch(make: str, kwargs: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    assert _hash(tg, make, kwargs) == _hash(torch, make, kwargs)
