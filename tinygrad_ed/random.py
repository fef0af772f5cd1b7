"""The global random number generator behind ``randn``, ``rand``, init and shuffling.

PyTorch equivalent: ``torch.manual_seed`` and ``torch.default_generator``.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the global generator so that every random draw after it is reproducible."""
    global _generator
    if type(seed) is bool or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed(): seed must be an int, got {seed!r}")
    if not -(2**63) <= seed < 2**64:  # torch's range: it refuses the rest too
        raise ValueError(f"manual_seed(): seed must be in [-2**63, 2**64), got {seed}")
    _generator = np.random.default_rng(int(seed) % 2**64)  # torch also takes negative seeds
    return _generator


def default_generator() -> np.random.Generator:
    """The global generator (reseeded by ``manual_seed``)."""
    return _generator
