"""What the tutorial ports share (tests/test_tutorial_ports*.py): the library under torch's
names, and a program run on tinygrad_ed and on torch, its results compared.

Each port file fixes its own tolerances (float64 programs to 1e-9, float32 ones to 1e-5) with
``functools.partial`` of ``assert_same`` and ``run_beside_torch``.
"""

from __future__ import annotations

import importlib
import types
from typing import Any

import numpy as np


def lib(root: str) -> types.SimpleNamespace:
    """The library under torch's names: ``torch``, ``nn``, ``F``, ``optim`` and ``data``."""
    return types.SimpleNamespace(
        torch=importlib.import_module(root),
        nn=importlib.import_module(f"{root}.nn"),
        F=importlib.import_module(f"{root}.nn.functional"),
        optim=importlib.import_module(f"{root}.optim"),
        data=importlib.import_module(f"{root}.utils.data"),
    )


def numpy_of(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=float)


def assert_same(ours: Any, theirs: Any, where: str = "result", *, rtol: float, atol: float) -> None:
    """Equal structure, strings and flags; numbers and arrays within ``rtol`` and ``atol`` (the
    absolute part for the values that are rounding noise about 0)."""
    if isinstance(ours, dict):
        assert isinstance(theirs, dict) and list(ours) == list(theirs), where
        for key in ours:
            assert_same(ours[key], theirs[key], f"{where}[{key!r}]", rtol=rtol, atol=atol)
    elif isinstance(ours, (list, tuple)):
        assert isinstance(theirs, (list, tuple)) and len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{where}[{i}]", rtol=rtol, atol=atol)
    elif isinstance(ours, (str, bool, type(None))):
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"
    else:
        a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
        assert a.shape == b.shape, f"{where}: shapes {a.shape} != {b.shape}"
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=where)


def run_beside_torch(
    program: Any, *args: Any, rtol: float, atol: float, draws: tuple[str, ...] = ()
) -> Any:
    """The program's result on tinygrad_ed, compared with torch's where torch is installed;
    the results named in ``draws`` are each library's own random numbers: only their shapes
    are compared."""
    ours = program("tinygrad_ed", *args)
    kept = {key: ours[key] for key in draws}
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return ours
    # One thread: torch's small convolutions are several times slower when its threads
    # contend for a busy machine's cores, and the results are the same.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        theirs = program("torch", *args)
    finally:
        torch.set_num_threads(threads)
    for key in draws:
        shapes = [[np.shape(v) for v in result.pop(key)] for result in (ours, theirs)]
        assert shapes[0] == shapes[1], key
    assert_same(ours, theirs, program.__name__, rtol=rtol, atol=atol)
    return {**ours, **kept} if draws else ours
