"""Where the randomness of ``tinygrad_ed.data`` comes from: one helper, :func:`_rng`.

Every shuffle, sampler and generator in this package takes ``seed``, which may be

* an ``int``: a fresh ``numpy.random.Generator`` seeded with it (reproducible);
* a ``numpy.random.Generator``: used as is, so its state advances (share one to chain draws);
* ``None``: the library-wide generator, reseeded by ``tinygrad_ed.manual_seed`` — the analogue of
  torch's default generator behind ``torch.manual_seed``.
"""

from __future__ import annotations

import importlib
from typing import TypeAlias

import numpy as np

SeedLike: TypeAlias = int | np.random.Generator | None

# Used only until the core exposes `tinygrad_ed.tensor.default_generator`; unseeded, like numpy's.
_FALLBACK = np.random.default_rng()


def default_generator() -> np.random.Generator:
    """The library-wide generator that ``tinygrad_ed.manual_seed`` reseeds.

    Looked up on every call (not cached) so a later ``manual_seed`` — which may replace the
    generator object — is always honoured. torch: ``torch.default_generator``.
    """
    try:
        tensor_module = importlib.import_module("tinygrad_ed.tensor")
    except ImportError:  # the core is not importable: keep data usable on its own
        return _FALLBACK
    getter = getattr(tensor_module, "default_generator", None)
    if getter is None:
        return _FALLBACK
    gen = getter()
    if not isinstance(gen, np.random.Generator):
        raise TypeError(
            f"tinygrad_ed.tensor.default_generator() must return a numpy Generator, got {type(gen)}"
        )
    return gen


def _rng(seed: SeedLike = None) -> np.random.Generator:
    """Turn a :data:`SeedLike` into a numpy ``Generator`` (see the module docstring)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return default_generator()
    # bool is an int subclass; `seed=True` is almost certainly a mistake (e.g. for `shuffle=True`).
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(int(seed))
