"""binary_cross_entropy_with_logits' forward fast path (every logit and target finite) gives the
guarded formula's numbers bit for bit; the guarded path keeps ±∞ logits and targets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_ed as tg
import tinygrad_ed.functional as F
from tinygrad_ed import ops
from tinygrad_ed.ops import _bce_with_logits, _bce_with_logits_guarded

EDGE_Z = [
    0.0,
    -0.0,
    1e-300,
    -1e-300,
    1e-8,
    -1e-8,
    0.5,
    -0.5,
    17.0,
    -17.0,
    36.7,
    -36.7,
    88.7,
    -88.7,
    103.9,
    -103.9,
    709.0,
    -709.0,
    746.0,
    -746.0,
    1e3,
    -1e3,
    1e4,
    -1e4,
]
EDGE_T = [0.0, -0.0, 1.0, 0.5, 0.25, 1e-7, 1 - 1e-7, -0.5, 2.0]


def _cases(dtype: type, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    z_edge, t_edge = np.meshgrid(np.array(EDGE_Z), np.array(EDGE_T))
    out = [(z_edge, t_edge)]
    for scale in (1.0, 10.0, 1e2, 1e4):
        z = rng.standard_normal((37, 11)) * scale
        for t in (
            np.zeros_like(z),
            np.ones_like(z),
            np.full_like(z, 0.5),
            rng.random(z.shape),
            rng.integers(0, 2, z.shape).astype(float),
        ):
            out.append((z, t))
    out.append((rng.standard_normal((5, 1)) * 30, rng.random((1, 4))))  # broadcasting
    out.append((np.array(-3.0), np.array(0.5)))  # 0-d
    out.append((np.array(2.0), rng.random(6)))
    return [(z.astype(dtype), t.astype(dtype)) for z, t in out]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(4))
def test_fast_path_is_the_guarded_formula_bit_for_bit(
    dtype: type, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(z: np.ndarray, t: np.ndarray) -> np.ndarray:
        raise AssertionError(f"guarded path taken for finite {z.dtype} inputs")

    monkeypatch.setattr(ops, "_bce_with_logits_guarded", refuse)  # the reference is imported
    for z, t in _cases(dtype, seed):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the fast path warns no more than the guarded one
            got = _bce_with_logits(z, t)
        want = _bce_with_logits_guarded(z, t)
        assert got.dtype == want.dtype == dtype
        assert got.shape == want.shape
        assert np.array_equal(got, want)
        assert np.array_equal(np.signbit(got), np.signbit(want))  # the zeros' signs too


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_infinite_logits_and_targets_take_the_guarded_path(dtype: type) -> None:
    z = np.array([np.inf, -np.inf, np.inf, -np.inf, np.nan, 0.0, 3.0], dtype)
    t = np.array([1.0, 0.0, 0.5, 0.5, 0.5, np.inf, np.nan], dtype)
    got = _bce_with_logits(z, t)
    want = np.array([0.0, 0.0, np.inf, np.inf, np.nan, np.nan, np.nan], dtype)
    np.testing.assert_array_equal(got, want)  # nan where nan; ∞·0 gives 0, not nan


def test_the_loss_agrees_with_torch_on_both_paths() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    for dtype in (np.float32, np.float64):
        z = (rng.standard_normal((16, 7)) * 20).astype(dtype)
        t = rng.random((16, 7)).astype(dtype)
        for zz in (z, np.where(rng.random(z.shape) < 0.1, np.inf, z).astype(dtype)):
            zt = tg.tensor(zz, requires_grad=True)
            tz = torch.tensor(zz, requires_grad=True)
            ours = F.binary_cross_entropy_with_logits(zt, tg.tensor(t), reduction="none")
            ref = torch.nn.functional.binary_cross_entropy_with_logits(
                tz, torch.tensor(t), reduction="none"
            )
            tol = 1e-5 if dtype == np.float32 else 1e-12
            np.testing.assert_allclose(ours.data, ref.detach().numpy(), rtol=tol, atol=tol)
            ours.sum().backward()
            ref.sum().backward()
            assert zt.grad is not None and tz.grad is not None
            np.testing.assert_allclose(zt.grad.data, tz.grad.numpy(), rtol=tol, atol=tol)
