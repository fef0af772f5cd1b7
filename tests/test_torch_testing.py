"""``tinygrad_ed.testing.assert_close`` and ``make_tensor`` (torch.testing's), and the lazy
import of the hypothesis strategies beside them.

assert_close's verdicts and reports are compared with torch's on 43 cases (values, shapes,
dtypes, scalars, nan and infinities, sequences and mappings, integer and bool tensors, custom
tolerances and messages, refusals), with this library's names for shapes and dtypes; a few are
written out so that the reports are checked without torch too. make_tensor's shapes, dtypes,
ranges and refusals are compared likewise (its numbers come from this library's generator).
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg


def _cases(m: Any) -> dict[str, Callable[[Any], Any]]:
    T = m.tensor
    return {
        "vals": lambda ac: ac(T([1.0, 2.0, 3.0]), T([1.0, 2.5, 3.0])),
        "shape": lambda ac: ac(m.ones(2), m.ones(3)),
        "dtype": lambda ac: ac(m.ones(2), m.ones(2, dtype=m.float64)),
        "dtype unchecked": lambda ac: ac(m.ones(2), m.ones(2, dtype=m.float64), check_dtype=False),
        "dtype unchecked diff": lambda ac: ac(
            T([1.0]), T([1.0 + 1e-6], dtype=m.float64), check_dtype=False
        ),
        "scalar": lambda ac: ac(1.0, 1.5),
        "int scalar": lambda ac: ac(1, 2),
        "tensor vs float": lambda ac: ac(T(1.0), 1.0),
        "float vs int": lambda ac: ac(1.0, 1),
        "rtol only": lambda ac: ac(m.ones(2), m.ones(2), rtol=1e-3),
        "atol only": lambda ac: ac(m.ones(2), m.ones(2), atol=1e-3),
        "nan": lambda ac: ac(T([float("nan")]), T([float("nan")])),
        "nan eq": lambda ac: ac(T([float("nan")]), T([float("nan")]), equal_nan=True),
        "inf": lambda ac: ac(T([float("inf")]), T([float("inf")])),
        "inf vs -inf": lambda ac: ac(T([float("inf"), 1.0]), T([-float("inf"), 1.0])),
        "list": lambda ac: ac([m.ones(2), m.zeros(2)], [m.ones(2), m.ones(2)]),
        "dict": lambda ac: ac({"a": m.ones(2)}, {"a": m.zeros(2)}),
        "dict keys": lambda ac: ac({"a": m.ones(2)}, {"b": m.zeros(2)}),
        "nested": lambda ac: ac({"a": [1.0, (m.ones(1), 2)]}, {"a": [1.0, (m.zeros(1), 2)]}),
        "list len": lambda ac: ac([1, 2], [1]),
        "ints": lambda ac: ac(T([1, 2]), T([1, 3])),
        "bools": lambda ac: ac(T([True]), T([False])),
        "msg str": lambda ac: ac(m.ones(1), m.zeros(1), msg="custom"),
        "msg fn": lambda ac: ac(m.ones(1), m.zeros(1), msg=lambda s: "X" + s[:10]),
        "numpy": lambda ac: ac(np.ones(2), np.zeros(2)),
        "tensor vs numpy": lambda ac: ac(m.ones(2), np.ones(2)),
        "2d": lambda ac: ac(T([[1.0, 2.0], [3.0, 4.0]]), T([[1.0, 2.0], [3.0, 5.0]])),
        "close": lambda ac: ac(T([1.0]), T([1.0 + 1e-6])),
        "requires grad": lambda ac: ac(m.ones(2, requires_grad=True), m.ones(2)),
        "str": lambda ac: ac("a", "a"),
        "none": lambda ac: ac(None, None),
        "empty": lambda ac: ac(m.ones(0), m.ones(0)),
        "big": lambda ac: ac(m.arange(10.0), m.arange(10.0) + T([0.0] * 9 + [1.0])),
        "0-d": lambda ac: ac(T(1.0), T(2.0)),
        "0-d int": lambda ac: ac(T(1), T(3)),
        "custom tol": lambda ac: ac(T([1.0, 2.0]), T([1.1, 2.0]), rtol=0.0, atol=0.2),
        "custom tol fail": lambda ac: ac(T([1.0, 2.0]), T([1.5, 2.0]), rtol=0.1, atol=0.2),
        "zero expected": lambda ac: ac(T([0.0, 1.0]), T([1.0, 0.0])),
        "f64 vals": lambda ac: ac(
            T([1.0, 2.0], dtype=m.float64), T([1.0, 2.0000001], dtype=m.float64)
        ),
        "uint8": lambda ac: ac(T([200, 3], dtype=m.uint8), T([100, 3], dtype=m.uint8)),
        "tuple vs list": lambda ac: ac((1, 2), [1, 2]),
        "bool scalar": lambda ac: ac(True, False),
        "complex": lambda ac: ac(1j, 2j),
    }


def _verdicts(lib: Any, assert_close: Any) -> dict[str, str]:
    seen = {}
    for name, case in _cases(lib).items():
        try:
            case(assert_close)
            seen[name] = "passed"
        except (AssertionError, TypeError, ValueError) as e:
            seen[name] = f"{type(e).__name__}: {e}"
    return seen


def _torch_names(text: str) -> str:
    """torch's report in this library's words: shapes as tuples, dtypes without ``torch.``."""
    return (
        text.replace("torch.Size([", "(")
        .replace("])", ",)")
        .replace("torch.Tensor", "tinygrad_ed.tensor.Tensor")
        .replace("torch.", "")
        .replace("No comparison pair", "assert_close(): no comparison pair")
    )


def test_assert_close_reports_without_torch() -> None:
    ours = _verdicts(tg, tg.testing.assert_close)
    passing = {"dtype unchecked", "dtype unchecked diff", "nan eq", "inf", "close", "requires grad"}
    passing |= {"none", "empty", "custom tol", "f64 vals", "tuple vs list"}
    assert {k for k, v in ours.items() if v == "passed"} == passing
    assert ours["vals"] == (
        "AssertionError: Tensor-likes are not close!\n\nMismatched elements: 1 / 3 (33.3%)\n"
        "Greatest absolute difference: 0.5 at index (1,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 0.20000000298023224 at index (1,) (up to 1.3e-06 allowed)"
    )
    assert ours["shape"] == (
        "AssertionError: The values for attribute 'shape' do not match: (2,) != (3,)."
    )
    assert ours["scalar"] == (
        "AssertionError: Scalars are not close!\n\nExpected 1.5 but got 1.0.\n"
        "Absolute difference: 0.5 (up to 1e-07 allowed)\n"
        "Relative difference: 0.3333333333333333 (up to 1e-07 allowed)"
    )
    assert ours["list"].endswith("The failure occurred for item [1]")
    assert ours["nested"].endswith("The failure occurred for item ['a'][1][0]")
    assert ours["rtol only"].startswith("ValueError: Both 'rtol' and 'atol'")
    assert ours["msg str"] == "AssertionError: custom"


def test_assert_close_as_torch() -> None:
    torch = pytest.importorskip("torch")
    theirs = _verdicts(torch, torch.testing.assert_close)
    ours = _verdicts(tg, tg.testing.assert_close)
    assert {k: _torch_names(v) for k, v in theirs.items()} == ours


def _made(lib: Any) -> list[Any]:
    make = lib.testing.make_tensor
    seen: list[Any] = []
    for args, options in [
        ((3,), {"dtype": lib.float32}),
        (((2, 2),), {"dtype": lib.int64}),
        ((5,), {"dtype": lib.uint8}),
        ((4,), {"dtype": lib.bool}),
        ((3, 4), {"dtype": lib.float64, "noncontiguous": True}),
        ((), {"dtype": lib.float32}),
        (([2, 3],), {"dtype": lib.float32}),
        ((6,), {"dtype": lib.float32, "low": 0, "high": 0, "exclude_zero": True}),
        ((6,), {"dtype": lib.int64, "low": 0, "high": 1, "exclude_zero": True}),
        ((2,), {"dtype": lib.float32, "requires_grad": True}),
        ((6,), {"dtype": lib.int64, "low": 1, "high": 2}),
        ((600,), {"dtype": lib.int8, "low": -1000, "high": 1000}),
        ((1000,), {"dtype": lib.int64, "low": -1.5, "high": 2.5}),
        ((4,), {"dtype": lib.float16, "low": -1e10, "high": 1e10}),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # low == high for floats
            x = make(*args, device="cpu", **options)
        values = x.detach().numpy().astype(np.float64)
        seen.append(
            (
                tuple(x.shape),
                str(x.dtype).removeprefix("torch."),
                x.requires_grad,
                x.is_contiguous(),
                (values.min(), values.max()) if values.size >= 600 else None,
                sorted(set(values.ravel().tolist())) if "exclude_zero" in options else None,
            )
        )
    for options in (
        {"low": 2, "high": 1},
        {"low": float("nan")},
        {"requires_grad": True, "dtype": lib.int64},
        {"noncontiguous": True, "memory_format": 1},
        {"low": 200, "high": 300, "dtype": lib.int8},
    ):
        options.setdefault("dtype", lib.float32)
        try:
            make(3, device="cpu", **options)
            seen.append("made")
        except ValueError as e:
            seen.append(str(e).replace("torch.", ""))
    return seen


def test_make_tensor_ranges_and_refusals() -> None:
    tg.manual_seed(0)
    ours = _made(tg)
    assert ours[0][:4] == ((3,), "float32", False, True)
    assert ours[4][:4] == ((3, 4), "float64", False, False)  # a strided view
    assert ours[7][5] == [float(np.finfo(np.float32).tiny)]  # zeros excluded
    assert ours[8][5] == [1.0]
    assert ours[11][4] == (-128.0, 127.0)  # clamped to int8 (600 draws reach both ends)
    assert ours[12][4] == (-1.0, 2.0)  # [ceil(-1.5), ceil(2.5)) for integers
    assert ours[-5] == "`low` must be less than `high`, but got 2 >= 1"
    with pytest.warns(FutureWarning, match="low==high"):
        tg.testing.make_tensor(2, dtype=tg.float32, device="cpu", low=1, high=1)
    with pytest.raises(RuntimeError, match="no device 'cuda'"):
        tg.testing.make_tensor(2, dtype=tg.float32, device="cuda")
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    assert _made(torch) == ours


def test_strategies_import_on_use_only() -> None:
    """``tg.testing.assert_close`` needs no hypothesis; the strategies import it when used."""
    code = (
        "import sys; import tinygrad_ed as tg; tg.testing.assert_close(tg.ones(2), tg.ones(2));"
        "assert 'hypothesis' not in sys.modules; from tinygrad_ed.testing import shapes;"
        "assert 'hypothesis' in sys.modules; print('shapes' in dir(tg.testing))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        tg.testing.nothing  # noqa: B018


def test_the_lazy_names_are_the_strategies_modules() -> None:
    pytest.importorskip("hypothesis")
    from tinygrad_ed.testing import _strategies

    assert set(tg.testing._STRATEGIES) == set(_strategies.__all__)
