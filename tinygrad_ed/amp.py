"""``tinygrad_ed.amp``: torch.amp's ``GradScaler`` and ``autocast``, for training scripts that
use mixed precision where a GPU has it.

``GradScaler`` is torch's loss scaling, exactly: the loss is multiplied by the scale before
backward, the gradients divided by it before the step, which is skipped when one of them is
not finite; the scale halves after such a step and doubles after ``growth_interval`` good ones.
On the CPU (``GradScaler("cpu")``) it runs as torch's does there; for ``"cuda"``, the default,
it is disabled with torch's warning, as torch disables it without CUDA, and every method passes
through (``scale(loss)`` is ``loss``, ``step(opt)`` is ``opt.step()``).

``autocast`` for a device that is not here ("cuda", "mps", …) warns and does nothing, as torch
without that device; ``autocast("cpu", enabled=False)`` does nothing. ``autocast("cpu")``
itself would run torch's list of ops in bfloat16 (or float16), which numpy does not have or
this library does not cast to: it is refused, naming the way out (``enabled=False``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import numpy as np

from ._device import _DEVICE_TYPES
from ._warn import warn
from .grad_mode import no_grad
from .tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["GradScaler", "autocast", "is_autocast_available"]

_READY, _UNSCALED, _STEPPED = "ready", "unscaled", "stepped"


def is_autocast_available(device_type: str) -> bool:
    """False: no device here runs autocast (``torch.amp.is_autocast_available``)."""
    return False


class autocast:
    """``torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``, as a
    context manager or decorator: a no-op where torch's is one here (see the module);
    ``autocast("cpu")`` enabled is refused."""

    def __init__(
        self,
        device_type: str,
        dtype: Any = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(
                f"autocast(): expected `device_type` of type `str`, got: `{type(device_type)}`"
            )
        if device_type not in _DEVICE_TYPES:
            raise RuntimeError(
                f"autocast(): expected one of {', '.join(_DEVICE_TYPES)} device, got "
                f"{device_type!r}"
            )
        if enabled and device_type == "cpu":
            raise NotImplementedError(
                "autocast('cpu'): mixed precision is not implemented here (torch would run its "
                "matrix products and convolutions in bfloat16, which numpy does not have); "
                "pass enabled=False, or leave autocast out"
            )
        if enabled:
            warn(f"autocast(): {device_type} is not available here. Disabling autocast.")
        self.device_type, self.fast_dtype = device_type, dtype
        self._enabled = False

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return run  # type: ignore[return-value]


class GradScaler:
    """``torch.amp.GradScaler(device="cuda", init_scale=65536.0, growth_factor=2.0,
    backoff_factor=0.5, growth_interval=2000, enabled=True)``: torch's loss scaling (see the
    module). Per step: ``scaler.scale(loss).backward()``, optionally ``scaler.unscale_(opt)``
    (to clip the true gradients), ``scaler.step(opt)`` (skipped if a gradient is ±∞ or nan,
    returning None), ``scaler.update()``."""

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        self._device = device
        self._enabled = enabled
        if device != "cpu" and enabled:
            warn(f"GradScaler is enabled, but {device} is not available here.  Disabling.")
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
        self._init_scale = init_scale
        self._scale: float | None = None  # made by the first scale(), as torch's
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._growth_tracker = 0
        self._optimizers: dict[int, dict[str, Any]] = {}

    def is_enabled(self) -> bool:
        return self._enabled

    def _state(self, optimizer: Any) -> dict[str, Any]:
        return self._optimizers.setdefault(id(optimizer), {"stage": _READY, "found_inf": 0.0})

    def _started(self, what: str) -> float:
        if self._scale is None:
            raise AssertionError(
                f"Attempted {what} but _scale is None.  This may indicate your script did not "
                "use scaler.scale(loss or outputs) earlier in the iteration."
            )
        return self._scale

    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor, or an iterable of them) times the scale; themselves if
        disabled."""
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = float(self._init_scale)
        factor = Tensor._make(np.asarray(self._scale, dtype=np.float32))

        def apply(value: Any) -> Any:
            if isinstance(value, Tensor):
                return value * factor
            if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
                scaled = [apply(v) for v in value]
                return type(value)(scaled) if isinstance(value, (list, tuple)) else scaled
            raise ValueError("outputs must be a Tensor or an iterable of Tensors")

        return apply(outputs)

    def unscale_(self, optimizer: Any) -> None:
        """Divide the gradients of ``optimizer``'s parameters by the scale, in place, noting
        whether one is not finite (then ``step`` skips)."""
        if not self._enabled:
            return
        scale = self._started("unscale_")
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state["stage"] == _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inverse = np.float32(1.0 / np.float64(scale))  # in float64 first, as torch
        found = 0.0
        with no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    g = p.grad
                    if g is None:
                        continue
                    if g.dtype == np.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    if not np.isfinite(g.data).all():
                        found = 1.0
                    g.mul_(float(inverse))
        state["found_inf"], state["stage"] = found, _UNSCALED

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """``optimizer.step()`` on the unscaled gradients, unless one is not finite (None)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._started("step")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """The next scale: ``new_scale`` if given; else times ``backoff_factor`` after a
        skipped step, times ``growth_factor`` after ``growth_interval`` steps in a row."""
        if not self._enabled:
            return
        scale = self._started("update")
        if new_scale is not None:
            if isinstance(new_scale, Tensor):
                if new_scale.numel() != 1 or new_scale.requires_grad:
                    raise AssertionError(
                        "new_scale should be a float or a 1-element FloatTensor with "
                        "requires_grad=False."
                    )
                new_scale = new_scale.item()
            self._scale = float(np.float32(new_scale))
        else:
            if not self._optimizers:
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(s["found_inf"] for s in self._optimizers.values()):
                self._scale = float(np.float32(scale * self._backoff_factor))
                self._growth_tracker = 0
            elif self._growth_tracker + 1 == self._growth_interval:
                grown = np.float32(scale * self._growth_factor)
                if np.isfinite(grown):
                    self._scale = float(grown)
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
        self._optimizers = {}

    def get_scale(self) -> float:
        """The current scale (``init_scale`` before the first ``scale()``); 1.0 if disabled."""
        if not self._enabled:
            return 1.0
        return float(self._init_scale if self._scale is None else self._scale)

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        self._growth_factor = new_factor

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        self._backoff_factor = new_factor

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        self._growth_interval = new_interval

    def state_dict(self) -> dict[str, Any]:
        """torch's five entries, or {} if disabled."""
        if not self._enabled:
            return {}
        return {
            "scale": self.get_scale(),
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a disabled "
                "instance of GradScaler."
            )
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale = float(np.float32(state_dict["scale"]))
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._growth_tracker = state_dict["_growth_tracker"]
