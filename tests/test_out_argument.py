"""torch's ``out=`` keyword (``tinygrad_ed/_out_arg.py``): ``tg.add(a, b, out=c)``.

Every function that takes it has a sample call (``tests/_out_cases.py``): the value written
into out must be the plain call's, out itself returned; where torch is installed, the values
must be torch's with out=, and so must the choices between writing and refusing, for the dtype
of out and for arguments that require grad. Then the details, each beside torch: resizing and
its warning, views of out, non-contiguous outs, several results, wrong outs, signatures, the
list of functions (recomputed from torch's operator schemas), and torch's API-reference
examples of logical_and/or/xor/not.
"""

from __future__ import annotations

import doctest
import functools
import inspect
import types
import warnings
from typing import Any

import numpy as np
import pytest
from _out_cases import CASES, Case, call, function, made

import tinygrad_ed as tg
from tinygrad_ed._out_arg import (
    DTYPE_FROM_OUT,
    EXACT_DTYPE,
    LIST_OUTS,
    OUT_NAMES,
    RECORDED,
    VALUES_ONLY,
    with_out,
)

# torch's (and this library's) deprecation warnings of ger, chain_matmul, qr, ... in the cases
pytestmark = [
    pytest.mark.filterwarnings(r"ignore:torch\.\w+ is deprecated"),
    pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta"),
    pytest.mark.filterwarnings("ignore:at..(frobenius|nuclear)_norm is deprecated"),  # (at::)
]

# The same dtype of another size (or, for bool, int64): a cast torch's rule allows
OTHER = {"float32": "float64", "float64": "float32", "int64": "int32", "int32": "int64"}
OTHER |= {"bool": "int64", "complex64": "complex128", "complex128": "complex64"}
OTHER |= {"uint64": "int64"}  # hash_tensor's
_NO_GRAD_MESSAGE = (
    "(): functions with out=... arguments don't support automatic differentiation, but one "
    "of the arguments requires grad."
)


def _results(r: Any) -> tuple[Any, ...]:
    return tuple(r) if isinstance(r, tuple) else (r,)


def _outs(lib: types.ModuleType, like: Any, dtypes: list[str] | None = None, **kw: Any) -> Any:
    """Outs for the results ``like``: of their shapes (``kw`` shape=(0,) for empty ones) and
    dtypes (or ``dtypes``), zeros."""
    results = _results(like)
    names = dtypes or [_dtype_name(r) for r in results]
    outs = tuple(
        lib.zeros(kw.get("shape", tuple(r.shape)), dtype=getattr(lib, d))
        for r, d in zip(results, names)
    )
    return outs if isinstance(like, tuple) else outs[0]


def _dtype_name(t: Any) -> str:
    return str(t.dtype).removeprefix("torch.")


def _array(t: Any) -> np.ndarray:
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


def _same(ours: Any, theirs: Any, rtol: float = 0.0) -> None:
    a, b = _array(ours), _array(theirs)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, a.dtype, b.shape, b.dtype)
    if rtol:
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)
    else:
        np.testing.assert_array_equal(a, b)


def _tolerance(t: Any) -> float:
    return 1e-9 if _dtype_name(t) in ("float64", "complex128") else 2e-5


def _with_grad(lib: types.ModuleType, value: Any) -> Any:
    """``value``'s tensors for ``lib``, the floating ones requiring grad."""
    if isinstance(value, np.ndarray):
        t = lib.tensor(value)
        return t.requires_grad_() if value.dtype.kind == "f" else t
    if isinstance(value, list):
        return [_with_grad(lib, v) for v in value]
    return made(lib, value)


def _call_requiring_grad(lib: types.ModuleType, case: Case, out: Any) -> Any:
    kwargs = {k: made(lib, v) for k, v in case.kwargs.items()}
    return function(lib, case.name)(*(_with_grad(lib, v) for v in case.args), **kwargs, out=out)


def _outcome(f: Any) -> str:
    """The string "ok", or the kind of error ``f()`` raised (RuntimeErrors with the message)."""
    try:
        f()
    except RuntimeError as e:
        return f"RuntimeError: {e}"
    except Exception as e:
        return type(e).__name__
    return "ok"


# ----------------------------------------------------------------------------- the list


def test_every_function_with_out_has_a_case() -> None:
    assert sorted({c.name for c in CASES}) == sorted(OUT_NAMES)
    for table in (EXACT_DTYPE, DTYPE_FROM_OUT, RECORDED, VALUES_ONLY):
        assert table <= set(OUT_NAMES)


def _torch_takes_out(torch: Any, fn: Any, aten: str) -> bool:
    """Whether torch's function takes out=: a Python function by its signature, a binding by
    the operator schemas it is made from (an overload with out arguments, not one the code
    generator made up for itself; those of the view_copy ops are bound too)."""
    if not isinstance(fn, types.BuiltinFunctionType):
        branches = [fn]
        if "boolean_dispatch" in fn.__qualname__:  # torch.lu: fn(*args, **kwargs) calls one of two
            branches = [
                c.cell_contents for c in fn.__closure__ if inspect.isfunction(c.cell_contents)
            ]
        try:
            return any("out" in inspect.signature(f).parameters for f in branches)
        except (TypeError, ValueError):
            return False
    packet = getattr(torch.ops.aten, aten, None)
    if packet is None:
        return False
    for overload in packet.overloads():
        op = getattr(packet, overload)
        if any(a.kwarg_only and a.is_out for a in op._schema.arguments) and (
            torch.Tag.generated not in op.tags or torch.Tag.view_copy in op.tags
        ):
            return True
    return False


def test_out_names_are_the_functions_torch_gives_out() -> None:
    """OUT_NAMES computed again from torch: the functions of tg, tg.linalg and tg.special
    whose torch counterpart takes out=; every other function of theirs takes no out."""
    torch = pytest.importorskip("torch")
    expected, lacking = [], []
    for prefix, ours, theirs in (("", tg, torch), ("linalg.", tg.linalg, torch.linalg)):
        expected += _taking_out(torch, prefix, ours, theirs, lacking)
    expected += _taking_out(torch, "special.", tg.special, torch.special, lacking)
    missing = sorted(set(expected) - set(OUT_NAMES))
    extra = sorted(set(OUT_NAMES) - set(expected))
    assert not missing and not extra, f"missing {missing}, not torch's {extra}"
    assert not lacking  # a function out of the list with an out parameter


def _taking_out(
    torch: Any, prefix: str, ours: types.ModuleType, theirs: types.ModuleType, lacking: list[str]
) -> list[str]:
    found = []
    aten = prefix.replace(".", "_")
    for name in ours.__all__:
        fn = getattr(ours, name)
        if not callable(fn) or isinstance(fn, (type, types.ModuleType)):
            continue
        if not hasattr(theirs, name):
            continue
        if _torch_takes_out(torch, getattr(theirs, name), aten + name):
            found.append(prefix + name)
        elif "out" in inspect.signature(fn).parameters:
            lacking.append(prefix + name)
    return found


def test_schema_rule_agrees_with_torchs_stubs() -> None:
    """The schema rule above against torch's generated type stubs of its top-level bindings
    (torch/_C/_VariableFunctions.pyi): the same answer for every public function."""
    torch = pytest.importorskip("torch")
    import ast
    import pathlib

    stubs = pathlib.Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi"
    if not stubs.exists():
        pytest.skip("torch ships no stubs")
    takes: dict[str, bool] = {}
    for node in ast.parse(stubs.read_text()).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            names = [a.arg for a in node.args.args + node.args.kwonlyargs]
            takes[node.name] = takes.get(node.name, False) or "out" in names
    differ = [
        name
        for name, out in takes.items()
        if isinstance(getattr(torch, name, None), types.BuiltinFunctionType)
        and getattr(torch.ops.aten, name, None) is not None
        and _torch_takes_out(torch, getattr(torch, name), name) != out
    ]
    assert not differ


# ----------------------------------------------------------------------------- every function


HERE = [c for c in CASES if not c.refused]


def _float_result(case: Case) -> bool:
    """Whether this library's plain call has a float result (whose dtypes are torch's:
    test_values_and_dtypes_as_torch), so an out that can require grad."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the deprecated functions' warnings)
        return any(r.dtype.kind == "f" for r in _results(call(tg, case)))


FLOAT_RESULTS = [c for c in HERE if _float_result(c)]


@pytest.mark.parametrize("case", [c for c in CASES if c.refused], ids=lambda c: c.id)
def test_refused_calls_are_refused_with_out_too(case: Case) -> None:
    with pytest.raises((NotImplementedError, RuntimeError)) as plain:
        call(tg, case)
    with pytest.raises(type(plain.value)) as with_out:
        call(tg, case, out=tg.zeros(0))
    assert str(with_out.value) == str(plain.value)


@pytest.mark.parametrize("case", HERE, ids=lambda c: c.id)
def test_out_takes_the_result_and_is_returned(case: Case) -> None:
    tg.manual_seed(0)
    plain = call(tg, case)
    out = _outs(tg, plain)
    views = [o[...] for o in _results(out)]
    versions = [o._version for o in _results(out)]
    tg.manual_seed(0)
    r = call(tg, case, out=out)
    if case.name in LIST_OUTS:  # torch's out= of a list of results returns None
        assert r is None
    elif isinstance(out, tuple):
        assert type(r) is type(plain) and all(a is b for a, b in zip(r, out))
    else:
        assert r is out
    for o, p, v, version in zip(_results(out), _results(plain), views, versions):
        assert o._version == version + 1
        if case.name != "empty":  # empty's values are whatever memory held
            _same(o, p)
            _same(v, p)  # a view of out sees the write


@pytest.mark.parametrize("case", HERE, ids=lambda c: c.id)
def test_values_are_torchs(case: Case) -> None:
    """Into empty outs (resized without a warning), the values and dtypes of torch's."""
    torch = pytest.importorskip("torch")
    # (torch's normal and its out= lists of results: no resizing)
    shape = {} if case.name == "normal" or case.name in LIST_OUTS else {"shape": (0,)}
    theirs_out = _outs(torch, call(torch, case), **shape)
    ours_out = _outs(tg, call(tg, case), **shape)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "An output")  # no resizing warning for an empty out
        call(torch, case, out=theirs_out)
        call(tg, case, out=ours_out)
    for ours, theirs in zip(_results(ours_out), _results(theirs_out)):
        if case.drawn:
            assert ours.shape == tuple(theirs.shape) and str(ours.dtype) == _dtype_name(theirs)
        else:
            _same(ours, theirs, _tolerance(theirs))


@pytest.mark.parametrize(
    "case", [c for c in HERE if c.name != "normal"], ids=lambda c: c.id
)  # (torch's normal does not resize its out)
def test_dtypes_of_out_as_torch(case: Case) -> None:
    """An out of another dtype: torch's cast where it casts, its refusal where it refuses
    (out of the same kind, and an integer out for a float result)."""
    torch = pytest.importorskip("torch")
    plain = _results(call(torch, case))
    trials = [[OTHER[_dtype_name(r)] for r in plain]]
    if any(r.dtype.is_floating_point for r in plain):
        trials.append(["int64" if r.dtype.is_floating_point else _dtype_name(r) for r in plain])
    for dtypes in trials:
        like = call(torch, case)
        theirs_out = _outs(torch, like, dtypes)
        ours_out = _outs(tg, call(tg, case), dtypes)
        theirs = _outcome(functools.partial(call, torch, case, out=theirs_out))
        ours = _outcome(functools.partial(call, tg, case, out=ours_out))
        if "not implemented for" in theirs or theirs == "NotImplementedError":
            continue  # torch has no kernel for that dtype (nansum into int64): no rule of out=
        assert (ours == "ok") == (theirs == "ok"), (dtypes, ours, theirs)
        if theirs == "ok" and not case.drawn:
            for o, t, r in zip(_results(ours_out), _results(theirs_out), plain):
                _same(o, t, max(_tolerance(t), _tolerance(r)))
        if theirs.startswith("RuntimeError: result type"):  # torch's cast rule, its words
            assert ours.endswith(theirs.removeprefix("RuntimeError: ")), (ours, theirs)


@pytest.mark.parametrize("case", HERE, ids=lambda c: c.id)
def test_inputs_requiring_grad_as_torch(case: Case) -> None:
    """In grad mode: refused where torch refuses (its words but for the op's name), written
    where torch writes, recording the graph into out where torch's does."""
    torch = pytest.importorskip("torch")
    theirs_out = _outs(torch, call(torch, case))
    ours_out = _outs(tg, call(tg, case))
    theirs = _outcome(lambda: _call_requiring_grad(torch, case, theirs_out))
    ours = _outcome(lambda: _call_requiring_grad(tg, case, ours_out))
    plain = _outcome(lambda: _call_requiring_grad(tg, case, None))
    assert (ours == "ok") == (theirs == "ok"), (ours, theirs)
    if theirs != "ok":
        assert theirs.endswith(_NO_GRAD_MESSAGE)
        if plain == "ok":
            assert ours == f"RuntimeError: {case.name.replace('.', '_')}{_NO_GRAD_MESSAGE}"
        else:  # refused here without out= too (complex and polar: no complex autograd)
            assert ours == plain
    else:
        plain_results = _results(_call_requiring_grad(tg, case, None))
        for o, t, p in zip(_results(ours_out), _results(theirs_out), plain_results):
            # where torch's out gets a node whose backward raises "not implemented", here it
            # requires grad as the plain call's result does
            unimplemented = type(t.grad_fn).__name__ == "NotImplemented"
            assert o.requires_grad == (p.requires_grad if unimplemented else t.requires_grad)
    with tg.no_grad():  # no refusal without grad mode, and the values of the plain call
        ours_out = _outs(tg, call(tg, case))
        _call_requiring_grad(tg, case, ours_out)
    if not case.drawn:
        for o, p in zip(_results(ours_out), _results(call(tg, case))):
            _same(o, p)
            assert not o.requires_grad


@pytest.mark.parametrize("case", FLOAT_RESULTS, ids=lambda c: c.id)
def test_out_requiring_grad_as_torch(case: Case) -> None:
    """An out that requires grad (a leaf; so a float one): refused in grad mode where torch
    refuses; written under no_grad, still requiring grad."""
    torch = pytest.importorskip("torch")
    plain = call(torch, case)
    assert any(r.dtype.is_floating_point for r in _results(plain))

    def outs(lib: types.ModuleType, like: Any) -> Any:
        o = _outs(lib, like)
        for t in _results(o):
            if t.dtype.is_floating_point if lib is torch else t.dtype.kind == "f":
                t.requires_grad_()
        return o

    theirs = _outcome(lambda: call(torch, case, out=outs(torch, plain)))
    ours = _outcome(lambda: call(tg, case, out=outs(tg, call(tg, case))))
    assert (ours == "ok") == (theirs == "ok"), (ours, theirs)
    with tg.no_grad():
        out = outs(tg, call(tg, case))
        call(tg, case, out=out)
    assert all(o.requires_grad for o in _results(out) if o.dtype.kind == "f")


# ----------------------------------------------------------------------------- the details

A = np.array([1.0, 2.0, 3.0], dtype=np.float32)
B = np.array([4.0, 5.0, 6.0], dtype=np.float32)


def _resize_warnings(lib: types.ModuleType, out_shape: tuple[int, ...]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = lib.zeros(out_shape)
        r = lib.add(lib.tensor(A), lib.tensor(B), out=out)
    assert r is out and tuple(out.shape) == (3,)
    np.testing.assert_array_equal(_array(out), A + B)
    return [str(w.message).split(" (Triggered internally")[0] for w in caught]


@pytest.mark.parametrize("shape", [(2,), (4,), (3, 1), (1, 3), (0,), (0, 3), ()])
def test_resizing_warns_as_torch(shape: tuple[int, ...]) -> None:
    """Resized to the result's shape, with torch's warning where out had elements (as many
    as the result's in another shape too), silently where it had none."""
    ours = _resize_warnings(tg, shape)
    numel = int(np.prod(shape))
    assert len(ours) == (1 if numel else 0)
    if numel:
        assert ours[0].startswith("An output with one or more elements was resized since it ")
        assert (
            f"had shape {list(shape)}, which does not match the required output shape [3]"
            in (ours[0])
        )
    torch = pytest.importorskip("torch")
    assert ours == _resize_warnings(torch, shape)


def test_resizing_warning_names_the_callers_line() -> None:
    with pytest.warns(UserWarning, match="was resized") as caught:
        tg.exp(tg.tensor(A), out=tg.zeros(2))
    assert caught[0].filename == __file__


def test_out_of_the_right_shape_is_not_resized() -> None:
    out = tg.zeros(3)
    memory = out.data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tg.mul(tg.tensor(A), tg.tensor(B), out=out)
    assert out.data is memory


@pytest.mark.parametrize("lib_name", ["tinygrad_ed", "torch"])
def test_views_of_out(lib_name: str) -> None:
    """Views of out see the write; a larger contiguous out resized smaller keeps its memory,
    so a view of its start still sees it; non-contiguous outs are written in place."""
    lib: Any = tg if lib_name == "tinygrad_ed" else pytest.importorskip("torch")
    a, b = lib.tensor(A), lib.tensor(B)
    out = lib.zeros(3)
    tail = out[1:]
    lib.add(a, b, out=out)
    np.testing.assert_array_equal(_array(tail), (A + B)[1:])

    big = lib.zeros(5)
    head = big[:2]
    with pytest.warns(UserWarning, match="was resized"):
        lib.sub(a, b, out=big)
    assert tuple(big.shape) == (3,)
    np.testing.assert_array_equal(_array(head), (A - B)[:2])

    grid = lib.zeros(3, 2)  # a column of it: a non-contiguous out
    lib.mul(a, b, out=grid[:, 0])
    np.testing.assert_array_equal(_array(grid), np.stack([A * B, np.zeros(3)], 1))

    square = lib.zeros(2, 3)
    lib.add(lib.ones(3, 2), 1, out=square.t())  # a transposed out, written through
    np.testing.assert_array_equal(_array(square), np.full((2, 3), 2.0))
    assert square._version == 1


def test_version_counts_one_write_with_or_without_resizing() -> None:
    for out in (tg.zeros(3), tg.zeros(0), tg.zeros(2)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tg.add(tg.tensor(A), tg.tensor(B), out=out)
        assert out._version == 1


def test_out_may_be_an_input() -> None:
    x = tg.tensor(A)
    assert tg.add(x, x, out=x) is x
    np.testing.assert_array_equal(x.numpy(), 2 * A)
    m = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    tg.mm(m, m, out=m)  # computed before written: the square of the old m
    np.testing.assert_array_equal(m.numpy(), [[7.0, 10.0], [15.0, 22.0]])


def test_casts_and_refusals() -> None:
    """torch's rule: integer and bool results into float outs, float64 into float32; no float
    into an integer out, no complex into a real one, nothing but bool into bool."""
    i = tg.tensor([1, 2, 3])
    out = tg.zeros(3)
    tg.add(i, i, out=out)
    assert out.dtype == np.float32 and out.tolist() == [2.0, 4.0, 6.0]
    flags = tg.zeros(3, dtype=tg.int16)
    tg.eq(i, 2, out=flags)
    assert flags.tolist() == [0, 1, 0]
    with pytest.raises(
        RuntimeError,
        match=r"^add\(\): result type Float can't be cast to the desired output type Long$",
    ):
        tg.add(tg.tensor(A), 1, out=tg.zeros(3, dtype=tg.int64))
    with pytest.raises(
        RuntimeError, match="result type Long can't be cast to the desired output type Bool"
    ):
        tg.add(i, 1, out=tg.zeros(3, dtype=tg.bool))
    z = tg.complex(tg.tensor(A), tg.tensor(B))
    with pytest.raises(
        RuntimeError, match="type ComplexFloat can't be cast to the desired output type Float"
    ):
        tg.add(z, 1, out=tg.zeros(3))
    with pytest.raises(
        RuntimeError,
        match=r"^mm\(\): Expected out tensor to have dtype float, but got double instead$",
    ):
        tg.mm(tg.ones(2, 2), tg.ones(2, 2), out=tg.zeros(2, 2, dtype=tg.float64))
    with pytest.raises(
        RuntimeError, match="Expected out tensor to have dtype long int, but got int instead"
    ):
        tg.argmax(tg.tensor(A), out=tg.zeros((), dtype=tg.int32))


def test_sums_and_creation_functions_compute_in_outs_dtype() -> None:
    """As torch: sum of float32 into float64 adds in float64; into int64 sums the elements
    cast first; zeros(2, out=int64) makes int64 zeros; a dtype given must be out's."""
    x = tg.tensor([[1e8, 1.0, -1e8]])
    wide = tg.zeros(1, dtype=tg.float64)
    tg.sum(x, 1, out=wide)
    assert wide.tolist() == [1.0]  # float32 arithmetic gives 0
    tg.mean(x, 1, out=wide)
    assert wide.tolist() == [1 / 3]
    whole = tg.zeros((), dtype=tg.int64)
    tg.sum(tg.tensor([1.5, 2.5]), 0, out=whole)
    assert whole.item() == 3
    assert tg.cumsum(tg.tensor([1.5, 2.5]), 0, out=tg.zeros(0, dtype=tg.int64)).tolist() == [1, 3]
    with pytest.raises(RuntimeError, match="result type Float can't be cast"):
        tg.mean(tg.tensor([1.5, 2.5]), 0, out=tg.zeros((), dtype=tg.int64))
    assert tg.zeros(2, out=tg.empty(0, dtype=tg.int64)).dtype == np.int64
    assert tg.full((2,), 1.5, out=tg.empty(0, dtype=tg.int64)).tolist() == [1, 1]
    assert tg.arange(3, out=tg.empty(0, dtype=tg.float64)).dtype == np.float64
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype double"):
        tg.sum(x, 1, dtype=tg.float64, out=tg.zeros(1))
    torch = pytest.importorskip("torch")
    theirs = torch.zeros(1, dtype=torch.float64)
    torch.sum(torch.tensor([[1e8, 1.0, -1e8]]), 1, out=theirs)
    assert theirs.tolist() == [1.0]
    assert torch.sum(torch.tensor([1.5, 2.5]), 0, out=torch.zeros((), dtype=torch.int64)) == 3


def test_autograd_refusal_and_its_modes() -> None:
    """Refused in grad mode when an input or out requires grad (torch's message, naming the
    function); written under no_grad and inference_mode; functions without a derivative
    write in any mode; the composed ones record the copy into out."""
    x = tg.tensor(A, requires_grad=True)
    message = "add" + _NO_GRAD_MESSAGE
    with pytest.raises(RuntimeError) as e:
        tg.add(x, 1, out=tg.zeros(3))
    assert str(e.value) == message
    with pytest.raises(RuntimeError, match="functions with out="):
        tg.add(tg.tensor(A), 1, out=tg.zeros(3, requires_grad=True))
    with pytest.raises(RuntimeError, match=r"^zeros\(\): functions with out="):
        tg.zeros(3, requires_grad=True, out=tg.zeros(3))
    with pytest.raises(RuntimeError, match=r"^linalg_inv\(\): functions with out="):
        tg.linalg.inv(tg.eye(2, requires_grad=True), out=tg.zeros(2, 2))
    for mode in (tg.no_grad, tg.inference_mode):
        with mode():
            out = tg.zeros(3, requires_grad=True)
            tg.add(x, 1, out=out)
        assert out.requires_grad and out.is_leaf and out.tolist() == (A + 1).tolist()
    flags = tg.zeros(3, requires_grad=True)  # eq has no derivative: any out, any mode
    tg.eq(x, 2, out=flags)
    assert flags.tolist() == [0.0, 1.0, 0.0] and flags.requires_grad
    j0 = tg.zeros(3)
    tg.special.bessel_j0(x, out=j0)
    assert not j0.requires_grad

    out = tg.zeros(2, 3, dtype=tg.float64)  # softmax: torch's composition copies into out
    w = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    tg.softmax(w, 1, out=out)
    assert out.requires_grad and not out.is_leaf
    (out * tg.tensor([[1.0, 0, 0], [0, 2.0, 0]])).sum().backward()
    expected = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    (tg.softmax(expected, 1) * tg.tensor([[1.0, 0, 0], [0, 2.0, 0]])).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), expected.grad.numpy(), rtol=1e-12)
    with pytest.raises(RuntimeError, match="leaf"):
        tg.softmax(w, 1, out=tg.zeros(2, 3, dtype=tg.float64, requires_grad=True))


def test_autograd_refusal_matches_torchs_text() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        torch.add(torch.ones(3, requires_grad=True), 1, out=torch.zeros(3))
    with pytest.raises(RuntimeError) as ours:
        tg.add(tg.ones(3, requires_grad=True), 1, out=tg.zeros(3))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("lib_name", ["tinygrad_ed", "torch"])
def test_several_results(lib_name: str) -> None:
    """out=(values, indices), a tuple or a list; the named tuple of them returned."""
    lib: Any = tg if lib_name == "tinygrad_ed" else pytest.importorskip("torch")
    x = lib.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    values, indices = lib.zeros(0), lib.zeros(0, dtype=lib.int64)
    r = lib.max(x, 1, out=(values, indices))
    assert r.values is values and r.indices is indices and r[0] is values
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    s = lib.sort(x, 1, out=[lib.zeros(0), lib.zeros(0, dtype=lib.int64)])
    assert s.values.tolist() == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]
    f = lib.frexp(lib.tensor([8.0]), out=(lib.zeros(1), lib.zeros(1, dtype=lib.int32)))
    assert f.mantissa.tolist() == [0.5] and f.exponent.tolist() == [4]
    pair = (lib.zeros(0, dtype=lib.float64), lib.zeros(0, dtype=lib.float64))
    e = lib.linalg.eigh(lib.eye(2, dtype=lib.float64), out=pair)
    assert e.eigenvalues.tolist() == [1.0, 1.0] and e.eigenvalues is e[0]
    for wrong in ((values,), (values, 3), values):
        with pytest.raises(TypeError):
            lib.max(x, 1, out=wrong)
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype long int"):
        lib.max(x, 1, out=(lib.zeros(0), lib.zeros(0)))


@pytest.mark.parametrize("wrong", [[tg.zeros(3)], (tg.zeros(3),), np.zeros(3), 3.0])
def test_out_must_be_a_tensor(wrong: Any) -> None:
    with pytest.raises(TypeError, match=r"add\(\): argument 'out' must be Tensor, not "):
        tg.add(tg.tensor(A), 1, out=wrong)


def test_out_none_is_the_plain_call() -> None:
    x = tg.tensor(A)
    for case in HERE:
        if not case.drawn:
            for r, p in zip(_results(call(tg, case, out=None)), _results(call(tg, case))):
                _same(r, p)
    assert tg.exp(x, out=None) is not x


def test_signatures_show_out_and_numpy_names_still_work() -> None:
    for name in OUT_NAMES:
        fn = function(tg, name)
        params = inspect.signature(fn).parameters
        assert list(params)[-1] == "out" and params["out"].kind is inspect.Parameter.KEYWORD_ONLY
        assert params["out"].default is None
        assert (
            fn.__name__ == inspect.unwrap(fn).__name__ and fn.__doc__ == inspect.unwrap(fn).__doc__
        )
    assert str(inspect.signature(tg.add)).startswith("(input: 'Tensor | Scalar', other")
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = tg.zeros(0)
    assert tg.sum(x, axis=1, keepdims=True, out=out) is out and out.tolist() == [[3.0], [7.0]]
    with pytest.raises(TypeError, match="unexpected keyword argument 'outt'"):
        tg.exp(x, outt=x)  # type: ignore[call-arg]


def test_tensor_methods_and_functional_take_no_out() -> None:
    """As torch: methods (x.add(y, out=z)) and torch.nn.functional take no out=."""
    x = tg.tensor(A)
    with pytest.raises(TypeError, match="out"):
        x.add(x, out=tg.zeros(3))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="out"):
        tg.nn.functional.relu(x, out=tg.zeros(3))  # type: ignore[call-arg]
    assert "out" not in inspect.signature(tg.Tensor.sum).parameters


def test_with_out_keeps_every_kind_of_parameter() -> None:
    def f(a: Any, b: Any = 2, *rest: Any, c: Any = 3) -> Any:
        """f's docs"""
        return tg.tensor([a, b, *rest, c], dtype=tg.float64)

    g = with_out(f, "f")
    assert str(inspect.signature(g)) == (
        "(a: 'Any', b: 'Any' = 2, *rest: 'Any', c: 'Any' = 3, out: 'Tensor | None' = None) -> 'Any'"
    )
    assert g(1).tolist() == [1, 2, 3] and g(1, 5, 6, 7, c=8).tolist() == [1, 5, 6, 7, 8]
    out = tg.zeros(0, dtype=tg.float64)
    assert g(1, 5, 6, c=0, out=out) is out and out.tolist() == [1, 5, 6, 0]
    with pytest.raises(TypeError, match="are not supported"):
        with_out(lambda a, /: a, "g")


# ----------------------------------------------------------------------------- torch's examples

# torch 2.13's API-reference examples of torch.logical_and, logical_or, logical_xor and
# logical_not (their docstrings' Example:: sections), each ending with an out= call.
# ruff: noqa: E501 (torch's lines)
LOGICAL_EXAMPLES = {
    "logical_and": """
    >>> torch.logical_and(torch.tensor([True, False, True]), torch.tensor([True, False, False]))
    tensor([ True, False, False])
    >>> a = torch.tensor([0, 1, 10, 0], dtype=torch.int8)
    >>> b = torch.tensor([4, 0, 1, 0], dtype=torch.int8)
    >>> torch.logical_and(a, b)
    tensor([False, False,  True, False])
    >>> torch.logical_and(a.double(), b.double())
    tensor([False, False,  True, False])
    >>> torch.logical_and(a.double(), b)
    tensor([False, False,  True, False])
    >>> torch.logical_and(a, b, out=torch.empty(4, dtype=torch.bool))
    tensor([False, False,  True, False])
""",
    "logical_or": """
    >>> torch.logical_or(torch.tensor([True, False, True]), torch.tensor([True, False, False]))
    tensor([ True, False,  True])
    >>> a = torch.tensor([0, 1, 10, 0], dtype=torch.int8)
    >>> b = torch.tensor([4, 0, 1, 0], dtype=torch.int8)
    >>> torch.logical_or(a, b)
    tensor([ True,  True,  True, False])
    >>> torch.logical_or(a.double(), b.double())
    tensor([ True,  True,  True, False])
    >>> torch.logical_or(a.double(), b)
    tensor([ True,  True,  True, False])
    >>> torch.logical_or(a, b, out=torch.empty(4, dtype=torch.bool))
    tensor([ True,  True,  True, False])
""",
    "logical_xor": """
    >>> torch.logical_xor(torch.tensor([True, False, True]), torch.tensor([True, False, False]))
    tensor([False, False,  True])
    >>> a = torch.tensor([0, 1, 10, 0], dtype=torch.int8)
    >>> b = torch.tensor([4, 0, 1, 0], dtype=torch.int8)
    >>> torch.logical_xor(a, b)
    tensor([ True,  True, False, False])
    >>> torch.logical_xor(a.double(), b.double())
    tensor([ True,  True, False, False])
    >>> torch.logical_xor(a.double(), b)
    tensor([ True,  True, False, False])
    >>> torch.logical_xor(a, b, out=torch.empty(4, dtype=torch.bool))
    tensor([ True,  True, False, False])
""",
    "logical_not": """
    >>> torch.logical_not(torch.tensor([True, False]))
    tensor([False,  True])
    >>> torch.logical_not(torch.tensor([0, 1, -10], dtype=torch.int8))
    tensor([ True, False, False])
    >>> torch.logical_not(torch.tensor([0., 1.5, -10.], dtype=torch.double))
    tensor([ True, False, False])
    >>> torch.logical_not(torch.tensor([0., 1., -10.], dtype=torch.double), out=torch.empty(3, dtype=torch.int16))
    tensor([1, 0, 0], dtype=torch.int16)
""",
}


@pytest.mark.parametrize("name", sorted(LOGICAL_EXAMPLES))
def test_torchs_logical_examples_run_here(name: str) -> None:
    """Each example as doctest runs it, with this library as ``torch``: the printed values
    must be torch's, the out= ones included."""
    text = LOGICAL_EXAMPLES[name]
    test = doctest.DocTestParser().get_doctest(text, {"torch": tg}, name, None, 0)
    runner = doctest.DocTestRunner(_ThisLibrarysDtypes(), optionflags=doctest.NORMALIZE_WHITESPACE)
    results = runner.run(test)
    assert results.failed == 0 and results.attempted == text.count(">>>")


class _ThisLibrarysDtypes(doctest.OutputChecker):
    """torch prints ``dtype=torch.int16``, this library ``dtype=int16``: the same dtype."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want.replace("dtype=torch.", "dtype="), got, optionflags)


@pytest.mark.parametrize("name", sorted(LOGICAL_EXAMPLES))
def test_logical_examples_are_torchs(name: str) -> None:
    torch = pytest.importorskip("torch")
    documented = " ".join(getattr(torch, name).__doc__.split())
    assert " ".join(LOGICAL_EXAMPLES[name].split()) in documented
