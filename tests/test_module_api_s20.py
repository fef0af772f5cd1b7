"""nn.Module and loss API gaps closed against torch: ``load_state_dict(assign=True)``, the
``get_extra_state``/``set_extra_state`` protocol, BatchNorm's version-2 state dicts without
``num_batches_tracked``, the losses' legacy ``size_average``/``reduce`` arguments and the
softmax family's implicit ``dim``. Each is checked against torch when it is importable.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import nn

try:
    import torch
except ImportError:
    torch = None


def _warnings(fn: Any) -> tuple[Any, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn()
    return out, list(w)


# ---------------------------------------------------------------- softmax's implicit dim


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 4), (2, 3, 2, 2)])
def test_implicit_softmax_dim_is_torchs(name: str, shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal(shape)
    ours, w = _warnings(lambda: getattr(F, name)(tg.tensor(x)))
    theirs, tw = _warnings(lambda: getattr(torch.nn.functional, name)(torch.tensor(x)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)
    assert [(m.category, str(m.message)) for m in w] == [(m.category, str(m.message)) for m in tw]
    assert w[0].category is UserWarning and w[0].filename == __file__
    # dim=None spelled out is the same call
    again, w2 = _warnings(lambda: getattr(F, name)(tg.tensor(x), dim=None))
    assert np.array_equal(again.numpy(), ours.numpy()) and len(w2) == 1


@pytest.mark.parametrize("cls", ["Softmax", "LogSoftmax", "Softmin"])
def test_softmax_modules_without_dim_warn_as_torch(cls: str) -> None:
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).standard_normal((2, 5))
    m = getattr(nn, cls)()
    ours, w = _warnings(lambda: m(tg.tensor(x)))
    theirs, tw = _warnings(lambda: getattr(torch.nn, cls)(dim=None)(torch.tensor(x)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert [str(m.message) for m in w] == [str(m.message) for m in tw]
    assert w[0].category is UserWarning and w[0].filename == __file__
    assert repr(m) == f"{cls}(dim=None)"
    # an explicit dim does not warn
    _, quiet = _warnings(lambda: getattr(nn, cls)(dim=0)(tg.tensor(x)))
    assert quiet == []


def test_softmax_positional_stacklevel_and_dtype_as_torch() -> None:
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(2, 3)
    ours = F.softmax(tg.tensor(x, dtype=tg.float32), 1, 3, tg.float64)
    theirs = torch.nn.functional.softmax(torch.tensor(x, dtype=torch.float32), 1, 3, torch.float64)
    assert ours.dtype == tg.float64
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_implicit_dim_bad_input() -> None:
    with pytest.raises(TypeError, match="softmax"):
        F.softmax([1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        F.softmax(tg.ones(2, 3), 2)
