"""torch's window functions (tinygrad_ed/_creation.py): ``bartlett_window``,
``blackman_window``, ``hamming_window``, ``hann_window``, ``kaiser_window``.

Values against their closed forms in float64 (the symmetric window of length N, and the
periodic one as the symmetric one of length N + 1 without its last value), against torch in
float16, float32 and float64 for lengths 0 to 10, and torch's errors for bad arguments.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg

NAMES = ["bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window"]


def _symmetric(name: str, n: int, **kw: float) -> np.ndarray:
    """The closed form of the symmetric window of length n ≥ 2, in float64."""
    i = np.arange(n, dtype=np.float64)
    x = i / (n - 1)
    if name == "bartlett_window":
        return 1 - np.abs(2 * x - 1)
    if name == "blackman_window":
        return 0.42 - 0.5 * np.cos(2 * np.pi * x) + 0.08 * np.cos(4 * np.pi * x)
    if name == "hann_window":
        return np.sin(np.pi * x) ** 2
    if name == "hamming_window":
        return kw.get("alpha", 0.54) - kw.get("beta", 0.46) * np.cos(2 * np.pi * x)
    beta = kw.get("beta", 12.0)
    r = 2 * x - 1
    return np.array([np.i0(beta * math.sqrt(max(1 - v * v, 0))) for v in r]) / np.i0(beta)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [2, 3, 4, 7, 16])
def test_closed_form(name: str, n: int) -> None:
    fn = getattr(tg, name)
    sym = fn(n, periodic=False, dtype=tg.float64)
    np.testing.assert_allclose(sym.numpy(), _symmetric(name, n), rtol=1e-12, atol=1e-15)
    per = fn(n, dtype=tg.float64)  # periodic by default
    np.testing.assert_allclose(per.numpy(), _symmetric(name, n + 1)[:-1], rtol=1e-12, atol=1e-15)
    assert sym.dtype == np.float64 and sym.shape == (n,) and not sym.requires_grad


def test_hamming_and_kaiser_parameters() -> None:
    w = tg.hamming_window(6, False, 0.5, 0.5, dtype=tg.float64)
    np.testing.assert_allclose(w.numpy(), _symmetric("hann_window", 6), atol=1e-15)
    w = tg.hamming_window(6, False, alpha=0.6, beta=0.3, dtype=tg.float64)
    np.testing.assert_allclose(w.numpy(), _symmetric("hamming_window", 6, alpha=0.6, beta=0.3))
    w = tg.kaiser_window(6, False, 2.5, dtype=tg.float64)
    np.testing.assert_allclose(w.numpy(), _symmetric("kaiser_window", 6, beta=2.5), rtol=1e-12)
    np.testing.assert_allclose(tg.kaiser_window(5, beta=0.0).numpy(), np.ones(5))


@pytest.mark.parametrize("name", NAMES)
def test_lengths_zero_and_one_and_defaults(name: str) -> None:
    fn = getattr(tg, name)
    for periodic in (True, False):
        assert fn(0, periodic).shape == (0,)
        assert fn(1, periodic).tolist() == [1.0]
    assert fn(4).dtype == tg.get_default_dtype()
    w = fn(3, dtype=tg.float64, requires_grad=True)
    assert w.requires_grad and w.is_leaf


@pytest.mark.parametrize("name", NAMES)
def test_against_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    dtypes = [(tg.float16, torch.float16), (tg.float32, torch.float32), (tg.float64, torch.float64)]
    for n in range(11):
        for periodic in (True, False):
            for ours_d, theirs_d in dtypes:
                ours = getattr(tg, name)(n, periodic, dtype=ours_d)
                theirs = getattr(torch, name)(n, periodic, dtype=theirs_d)
                assert ours.dtype == np.dtype(ours_d) and ours.shape == tuple(theirs.shape)
                # torch's float kernels may round the last bit otherwise (vectorized cos, i0)
                tol = {tg.float16: 2e-3, tg.float32: 1e-6, tg.float64: 1e-14}[ours_d]
                np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=tol, atol=tol)
    kw: dict[str, Any] = {"hamming_window": {"alpha": 0.6, "beta": 0.3}}.get(name, {})
    if name == "kaiser_window":
        kw = {"beta": 3.5}
    # torch's overloads take alpha, beta only after periodic
    ours, theirs = getattr(tg, name)(9, True, **kw), getattr(torch, name)(9, True, **kw)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def _refusal(call: Callable[[Any], Any], lib: Any) -> type[Exception] | None:
    try:
        call(lib)
    except Exception as e:
        for kind in (TypeError, NotImplementedError, RuntimeError):
            if isinstance(e, kind):
                return kind
        raise
    return None


@pytest.mark.parametrize("name", NAMES)
def test_errors_are_torchs(name: str) -> None:
    calls: list[tuple[Callable[[Any], Any], str]] = [
        (lambda m: getattr(m, name)(-1), "non-negative window_length"),
        (lambda m: getattr(m, name)(3, dtype=m.int64), "floating point dtypes"),
        (lambda m: getattr(m, name)(3, dtype=m.complex64), "not implemented"),
        (lambda m: getattr(m, name)(3.0), "must be int, not float"),
        (lambda m: getattr(m, name)(True), "must be int, not bool"),
        (lambda m: getattr(m, name)(3, 1), "must be bool"),
    ]
    for call, message in calls:
        with pytest.raises(Exception, match=message) as info:
            call(tg)
        assert info.value.args[0].startswith(name), info.value
        assert _refusal(call, tg) is not None
    torch = pytest.importorskip("torch")
    for call, _ in calls:
        assert _refusal(call, tg) is _refusal(call, torch), call
