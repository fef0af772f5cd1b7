"""``tinygrad_ed.cuda.amp``: torch's deprecated ``torch.cuda.amp.GradScaler`` and ``autocast``,
which older training scripts import. Each gives torch's FutureWarning and is the ``amp`` class
for "cuda": disabled here, with torch's warning (see ``tinygrad_ed.amp``)."""

from __future__ import annotations

from typing import Any

from . import amp
from ._warn import warn

__all__ = ["GradScaler", "autocast"]


class GradScaler(amp.GradScaler):
    """``torch.cuda.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval,
    enabled)``: ``amp.GradScaler("cuda", …)``, with torch's deprecation warning."""

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        warn(
            "`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
            "`torch.amp.GradScaler('cuda', args...)` instead.",
            FutureWarning,
        )
        super().__init__(
            "cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled
        )


class autocast(amp.autocast):
    """``torch.cuda.amp.autocast(enabled=True, dtype=torch.float16, cache_enabled=True)``:
    ``amp.autocast("cuda", …)``, with torch's deprecation warning."""

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True) -> None:
        warn(
            "`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
            "`torch.amp.autocast('cuda', args...)` instead.",
            FutureWarning,
        )
        super().__init__("cuda", dtype, enabled, cache_enabled)
