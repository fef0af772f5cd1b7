"""``tinygrad_ed.backends.cudnn``: ``torch.backends.cudnn`` without cuDNN.

The switches hold torch's defaults and may be set, as in torch (``cudnn.benchmark = True``);
they change nothing here, where no cuDNN kernel runs.
"""

from __future__ import annotations

__all__ = ["allow_tf32", "benchmark", "deterministic", "enabled", "is_available", "version"]

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: there is no cuDNN here (``torch.backends.cudnn.is_available``)."""
    return False


def version() -> int | None:
    """None: no cuDNN (``torch.backends.cudnn.version``)."""
    return None
