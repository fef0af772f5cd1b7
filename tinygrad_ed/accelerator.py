"""``tinygrad_ed.accelerator``: the answers of ``torch.accelerator`` without an accelerator.

PyTorch equivalent: ``torch.accelerator``'s queries. Today's tutorials choose their device with
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else
"cpu"``; numpy computes on the CPU, so that code picks the CPU here, as torch does on a machine
without one. Only the queries are provided.
"""

from __future__ import annotations

from ._device import device

__all__ = ["current_accelerator", "device_count", "is_available"]


def is_available() -> bool:
    """False: there is no accelerator here (``torch.accelerator.is_available``)."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """None: no accelerator (``torch.accelerator.current_accelerator``, whose answer is None
    without one whatever ``check_available`` says)."""
    return None


def device_count() -> int:
    """0 (``torch.accelerator.device_count``)."""
    return 0
