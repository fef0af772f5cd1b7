"""The global random number generator behind ``randn``, ``rand``, init and shuffling.

PyTorch equivalent: ``torch.manual_seed`` and ``torch.default_generator``.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the global generator so that every random draw after it is reproducible."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator() -> np.random.Generator:
    """The global generator (reseeded by ``manual_seed``)."""
    return _generator
