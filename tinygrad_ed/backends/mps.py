"""``tinygrad_ed.backends.mps``: ``torch.backends.mps`` on a machine without Apple's GPU."""

from __future__ import annotations

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """False (``torch.backends.mps.is_available``): device choices fall through to the CPU."""
    return False


def is_built() -> bool:
    """False (``torch.backends.mps.is_built``)."""
    return False
