"""torch.amp's GradScaler and autocast (and the deprecated torch.cuda.amp spellings).

GradScaler("cpu") is torch's loss scaling: a story of steps with finite and infinite gradients,
growth after ``growth_interval`` good steps, backoff after a bad one, the skipped step's
parameters untouched, ``unscale_`` before clipping, and torch's refusals, compared value by value
with torch 2.13 where it is installed and with the algorithm's own arithmetic without it.
For "cuda" (absent here, as in torch without a GPU) scaler and autocast are disabled with torch's
warnings and pass everything through; ``autocast("cpu")`` enabled is refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg


def _scaler_story(lib: Any) -> list[Any]:
    w = lib.tensor([1.0, -2.0], requires_grad=True)
    opt = lib.optim.SGD([w], lr=0.1)
    scaler = lib.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    seen: list[Any] = [scaler.is_enabled(), scaler.get_scale(), scaler.state_dict()]
    for step in range(6):
        opt.zero_grad()
        loss = (w * w).sum() * (float("inf") if step == 3 else 1.0)
        scaled = scaler.scale(loss)
        seen.append(scaled.item())
        scaled.backward()
        scaler.unscale_(opt)  # the true gradients, e.g. to clip them
        seen.append(w.grad.tolist())
        scaler.step(opt)  # (returns the optimizer's step's value, or None when skipped)
        scaler.update()
        seen += [w.tolist(), scaler.get_scale(), scaler.state_dict()["_growth_tracker"]]
    for misuse in (
        lambda: scaler.unscale_(opt) or scaler.unscale_(opt),
        lambda: scaler.step(opt, closure=lambda: 0),
        lambda: scaler.update(),
    ):
        try:
            misuse()
            seen.append("ran")
        except (RuntimeError, AssertionError) as e:
            seen.append(f"{type(e).__name__}: {e}")
    scaler.update(4.0)
    seen += [scaler.get_scale(), [v.tolist() for v in scaler.scale([lib.ones(1), lib.ones(1)])]]
    fresh = lib.amp.GradScaler("cpu")
    fresh.load_state_dict(scaler.state_dict())
    seen.append(fresh.state_dict())
    return seen


def test_grad_scaler_on_the_cpu() -> None:
    ours = _scaler_story(tg)
    assert ours[:2] == [True, 8.0]
    first = ours[3:8]  # loss 5 scaled by 8; the unscaled gradient 2w; the step taken
    assert first[0] == 40.0 and first[1] == [2.0, -4.0]
    np.testing.assert_allclose(first[2], [0.8, -1.6])
    scales = ours[6::5][:6]
    assert scales == [8.0, 16.0, 16.0, 8.0, 8.0, 16.0]  # grows every 2 good steps, halves on inf
    skipped = ours[3 + 5 * 3 : 3 + 5 * 4]
    assert skipped[2] == ours[3 + 5 * 2 + 2]  # the step with ∞ is skipped: the parameters stay
    torch = pytest.importorskip("torch")
    assert ours == _scaler_story(torch)


def test_disabled_for_an_absent_device_as_torch() -> None:
    for lib in (tg,) + ((__import__("torch"),) if _has_torch() else ()):
        with pytest.warns(UserWarning, match="is not available"):
            scaler = lib.amp.GradScaler()  # "cuda"
        assert not scaler.is_enabled() and scaler.get_scale() == 1.0 and scaler.state_dict() == {}
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.5)
        loss = (w * 3).sum()
        assert scaler.scale(loss) is loss
        loss.backward()
        scaler.step(opt)
        scaler.update()
        assert w.tolist() == [-0.5, -0.5]
        with pytest.warns(UserWarning, match="not available"):
            context = lib.autocast(device_type="cuda")
        with context:
            assert (lib.ones(2, 2) @ lib.ones(2, 2)).dtype == lib.float32
        with lib.autocast("cpu", enabled=False):
            assert (lib.ones(2, 2) @ lib.ones(2, 2)).dtype == lib.float32
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            legacy = lib.cuda.amp.GradScaler(enabled=False)
        assert not legacy.is_enabled()
    with pytest.warns(FutureWarning, match=r"torch.cuda.amp.GradScaler\(args...\)` is deprecated"):
        tg.cuda.amp.GradScaler(enabled=False)
    from tinygrad_ed.cuda.amp import autocast  # torch's import path

    with pytest.warns(FutureWarning, match="deprecated"):
        autocast(enabled=False)


def test_cpu_autocast_is_refused_and_bad_devices_as_torch() -> None:
    with pytest.raises(NotImplementedError, match="enabled=False"):
        tg.autocast("cpu")
    with pytest.raises(RuntimeError, match="expected one of cpu, cuda"):
        tg.autocast("xyz")
    with pytest.raises(AssertionError, match=r"growth factor must be > 1\.0"):
        tg.amp.GradScaler("cpu", growth_factor=1.0)

    @tg.autocast("cuda", enabled=False)
    def f(x: tg.Tensor) -> tg.Tensor:
        return x * 2

    assert f(tg.ones(1)).tolist() == [2.0]


def _has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True
