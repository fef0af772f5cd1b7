"""``tinygrad_ed.cuda``: the answers of ``torch.cuda`` on a machine without a GPU.

PyTorch equivalent: ``torch.cuda``'s queries. Tutorials choose their device with
``torch.device("cuda" if torch.cuda.is_available() else "cpu")``; numpy computes on the CPU, so
that code picks the CPU here, as torch does without a GPU. Only the queries are provided, with
what torch answers without CUDA: the seeding functions of reproducibility boilerplate
(``torch.cuda.manual_seed_all(0)``) are silently ignored, as torch documents, and the calls
that need a device raise torch's AssertionError.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "current_device",
    "device_count",
    "empty_cache",
    "get_device_name",
    "initial_seed",
    "is_available",
    "is_bf16_supported",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
    "max_memory_allocated",
    "memory_allocated",
    "seed",
    "seed_all",
    "synchronize",
]


def is_available() -> bool:
    """False: there is no GPU here (``torch.cuda.is_available``)."""
    return False


def device_count() -> int:
    """0 (``torch.cuda.device_count``)."""
    return 0


def is_initialized() -> bool:
    """False: CUDA is never initialised here (``torch.cuda.is_initialized``)."""
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False (``torch.cuda.is_bf16_supported``, which says False without CUDA)."""
    return False


def manual_seed(seed: int) -> None:
    """Ignored, as torch ignores it without CUDA (``torch.cuda.manual_seed``): seed the CPU
    generator with ``tg.manual_seed``."""


def manual_seed_all(seed: int) -> None:
    """Ignored, as torch ignores it without CUDA (``torch.cuda.manual_seed_all``)."""


def seed() -> None:
    """Ignored, as torch ignores it without CUDA (``torch.cuda.seed``)."""


def seed_all() -> None:
    """Ignored, as torch ignores it without CUDA (``torch.cuda.seed_all``)."""


def empty_cache() -> None:
    """Nothing to free (``torch.cuda.empty_cache``, a no-op without CUDA)."""


def memory_allocated(device: Any = None) -> int:
    """0 bytes (``torch.cuda.memory_allocated``, 0 without CUDA)."""
    return 0


def max_memory_allocated(device: Any = None) -> int:
    """0 bytes (``torch.cuda.max_memory_allocated``, 0 without CUDA)."""
    return 0


def _no_cuda(name: str) -> AssertionError:
    # torch's own words and class (its lazy initialisation asserts), so torch code that
    # catches them still does
    return AssertionError(f"cuda.{name}(): Torch not compiled with CUDA enabled (no GPU here)")


def initial_seed() -> int:
    """Refused, as torch without CUDA (``torch.cuda.initial_seed``)."""
    raise _no_cuda("initial_seed")


def current_device() -> int:
    """Refused, as torch without CUDA (``torch.cuda.current_device``)."""
    raise _no_cuda("current_device")


def synchronize(device: Any = None) -> None:
    """Refused, as torch without CUDA (``torch.cuda.synchronize``)."""
    raise _no_cuda("synchronize")


def get_device_name(device: Any = None) -> str:
    """Refused, as torch without CUDA (``torch.cuda.get_device_name``)."""
    raise _no_cuda("get_device_name")
