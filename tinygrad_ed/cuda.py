"""``tinygrad_ed.cuda``: the answers of ``torch.cuda`` on a machine without a GPU.

PyTorch equivalent: ``torch.cuda``'s queries. Tutorials choose their device with
``torch.device("cuda" if torch.cuda.is_available() else "cpu")``; numpy computes on the CPU, so
that code picks the CPU here, as torch does without a GPU. Only the queries are provided.
"""

from __future__ import annotations

__all__ = ["device_count", "is_available"]


def is_available() -> bool:
    """False: there is no GPU here (``torch.cuda.is_available``)."""
    return False


def device_count() -> int:
    """0 (``torch.cuda.device_count``)."""
    return 0
