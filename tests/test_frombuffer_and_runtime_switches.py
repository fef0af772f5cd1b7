"""``tg.frombuffer`` (tinygrad_ed/_creation.py) and torch's runtime switches kept for
compatibility (tinygrad_ed/_namespace_more.py): ``set_flush_denormal``, ``set_warn_always`` /
``is_warn_always_enabled``, ``get_num_interop_threads`` / ``set_num_interop_threads``,
``init_num_threads``. Beside torch where it is installed.
"""

from __future__ import annotations

import array
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

RAW = b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00"


def test_frombuffer_shares_memory() -> None:
    buffer = bytearray(RAW)
    t = tg.frombuffer(buffer, dtype=tg.int32)
    assert t.tolist() == [1, 2, 3] and t.dtype == np.int32 and not t.requires_grad
    buffer[0] = 9
    assert t.tolist() == [9, 2, 3]
    t[1] = 7
    assert buffer[4] == 7
    assert tg.frombuffer(buffer, dtype=tg.int32, count=2, offset=4).tolist() == [7, 3]
    assert tg.frombuffer(buffer, dtype=tg.int8, offset=10).tolist() == [0, 0]
    doubles = array.array("d", [1.5, -2.0])
    f = tg.frombuffer(doubles, dtype=tg.float64, requires_grad=True)
    assert f.requires_grad and f.is_leaf and f.tolist() == [1.5, -2.0]
    (f * f).sum().backward()
    assert f.grad is not None and f.grad.tolist() == [3.0, -4.0]


def test_frombuffer_of_read_only_bytes_warns_as_torch() -> None:
    with pytest.warns(UserWarning, match="buffer is not writable"):
        t = tg.frombuffer(b"abcd", dtype=tg.int32)
    assert t.tolist() == [int.from_bytes(b"abcd", "little")]


CALLS: dict[str, Callable[[Any], Any]] = {
    "all": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32),
    "count offset": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int16, count=3, offset=2),
    "float": lambda m: m.frombuffer(bytearray(RAW), dtype=m.float32),
    "too many": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32, count=4),
    "offset past the end": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32, offset=13),
    "negative offset": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32, offset=-1),
    "not a multiple": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32, offset=2),
    "empty": lambda m: m.frombuffer(bytearray(), dtype=m.int32),
    "count 0": lambda m: m.frombuffer(bytearray(RAW), dtype=m.int32, count=0),
    "no buffer protocol": lambda m: m.frombuffer([1, 2], dtype=m.int32),
    "no dtype": lambda m: m.frombuffer(bytearray(RAW)),
}


def _outcome(call: Callable[[Any], Any], lib: Any) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(call(lib).numpy())
    except (ValueError, TypeError, RuntimeError) as e:
        return next(k for k in (ValueError, TypeError, RuntimeError) if isinstance(e, k))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_frombuffer_against_torch(name: str) -> None:
    ours = _outcome(CALLS[name], tg)
    torch = pytest.importorskip("torch")
    theirs = _outcome(CALLS[name], torch)
    if isinstance(theirs, type):
        assert ours is theirs
    else:
        assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)


def test_flush_denormal_is_unsupported_and_changes_nothing() -> None:
    assert tg.set_flush_denormal(True) is False
    assert (tg.tensor([1e-320], dtype=tg.float64) * 1).item() != 0  # subnormals kept
    assert tg.set_flush_denormal(False) is False
    with pytest.raises(TypeError):
        tg.set_flush_denormal("yes")  # type: ignore[arg-type]


def test_warn_always_switch() -> None:
    assert tg.is_warn_always_enabled() is False
    try:
        tg.set_warn_always(True)
        assert tg.is_warn_always_enabled() is True
    finally:
        tg.set_warn_always(False)
    assert tg.is_warn_always_enabled() is False
    with pytest.raises(RuntimeError, match="expects a bool"):
        tg.set_warn_always(1)  # type: ignore[arg-type]
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expects a bool"):
        torch.set_warn_always(1)


def test_interop_threads() -> None:
    before = tg.get_num_interop_threads()
    assert isinstance(before, int) and before >= 1
    try:
        tg.set_num_interop_threads(3)
        assert tg.get_num_interop_threads() == 3
    finally:
        tg.set_num_interop_threads(before)
    for bad, kind in ((0, "positive integer"), (-2, "positive integer"), (1.5, "an int")):
        with pytest.raises(RuntimeError, match=kind):
            tg.set_num_interop_threads(bad)  # type: ignore[arg-type]
    assert tg.init_num_threads() is None
