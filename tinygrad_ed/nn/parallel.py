"""``nn.DataParallel`` (and ``nn.parallel``'s path to it), as torch's on a machine without GPUs.

PyTorch equivalent: ``torch.nn.DataParallel``. Older training scripts wrap their model,
``model = nn.DataParallel(model)``, and save ``model.module.state_dict()``. Without devices to
split the batch over, torch's wrapper calls the module itself; so does this one: the wrapped
model is the submodule ``module`` (its state dict keys start with ``module.``), and the results
and gradients are the module's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._device import _check_device
from .module import Module

__all__ = ["DataParallel"]


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)``: ``module`` itself,
    as torch's without GPUs (see the module). Any device other than the CPU is refused."""

    def __init__(
        self,
        module: Module,
        device_ids: Sequence[Any] | None = None,
        output_device: Any = None,
        dim: int = 0,
    ) -> None:
        super().__init__()
        for device in [*(device_ids or ()), output_device]:
            if device is not None:
                _check_device(device, "DataParallel()")
        self.module = module
        self.device_ids: list[int] = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
