"""Where the randomness of ``tinygrad_ed.data`` comes from: one helper, :func:`_rng`.

Every shuffle, sampler and generator in this package takes ``seed``, which may be

* an ``int`` ≥ 0: a fresh ``numpy.random.Generator`` seeded with it (reproducible);
* a ``numpy.random.Generator``: used as is, so its state advances (share one to chain draws);
* a ``tinygrad_ed.Generator`` (torch's ``generator=``): its numpy Generator, used as is;
* ``None``: the library-wide generator, reseeded by ``tinygrad_ed.manual_seed`` — the analogue of
  torch's default generator behind ``torch.manual_seed``.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from tinygrad_ed.random import Generator, _numpy_generator

SeedLike: TypeAlias = int | np.random.Generator | Generator | None


def _rng(seed: SeedLike = None, fn: str = "", name: str = "seed") -> np.random.Generator:
    """Turn a :data:`SeedLike` into a numpy ``Generator`` (see the module docstring).

    ``fn`` names the caller in error messages and ``name`` the argument (``random_state``, say).
    """
    where = f"{fn}: " if fn else ""
    if seed is None or isinstance(seed, (np.random.Generator, Generator)):
        return _numpy_generator(seed, fn)  # a tg.Generator's own, reseeded in place
    # bool is an int subclass; `seed=True` is almost certainly a mistake (e.g. for `shuffle=True`).
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{where}{name} must be an int, a Generator or None, got {seed!r}")
    if seed < 0:
        # numpy would say only "expected non-negative integer", without naming the argument.
        raise ValueError(f"{where}{name} must be a non-negative int, got {seed}")
    return np.random.default_rng(int(seed))
