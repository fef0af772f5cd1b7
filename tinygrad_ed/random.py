"""Random number generators: ``tg.Generator``, the global ``default_generator`` behind ``randn``,
``rand``, init, dropout and shuffling, and torch.random's functions of it.

PyTorch equivalent: ``torch.Generator``, ``torch.default_generator`` and ``torch.random``
(``seed``, ``manual_seed``, ``initial_seed``, ``get_rng_state``, ``set_rng_state``,
``fork_rng``). A Generator draws with a numpy ``Generator`` on a PCG64 bit generator, so its
streams are not torch's; seeding, state and reproducibility behave as torch's. Every
``generator=`` takes a ``tg.Generator`` or a numpy ``Generator``.

A generator keeps one numpy Generator for its whole life and is reseeded in place (its bit
generator's state is replaced): whatever holds it, a sampler say, sees the new seed, as a
torch sampler holding a torch.Generator does.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from . import _device
from ._device import DeviceLike, _check_device

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = [
    "Generator",
    "default_generator",
    "fork_rng",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "seed",
    "set_rng_state",
    "thread_safe_generator",
]

_DEFAULT_SEED = 67280421310721  # a new torch.Generator's seed
_STATE_SIZE = 48  # bytes: the seed (8), PCG64's state and increment (16 each), its buffer (4 + 4)


def _seed_value(seed: Any, op: str, error: type[Exception]) -> int:
    """A seed as torch takes it: an int in [-2**63, 2**64), a negative one read modulo 2**64."""
    if type(seed) is bool or not isinstance(seed, (int, np.integer)):
        raise error(f"{op}: seed must be an int, got {seed!r:.40}")
    if not -(2**63) <= seed < 2**64:  # torch's range: it refuses the rest too
        raise ValueError(f"{op}: seed must be in [-2**63, 2**64), got {seed}")
    return int(seed) % 2**64


class Generator:
    """A seedable stream of random numbers for ``generator=`` (``torch.Generator``).

    ``Generator()`` starts from torch's fixed seed 67280421310721, so two new generators draw
    the same numbers; ``manual_seed(s)`` restarts the stream at seed s (and returns the
    generator), ``seed()`` at a fresh nondeterministic seed. ``get_state()`` is a uint8 Tensor
    of 48 bytes (the seed, then numpy's PCG64 state), which ``set_state`` puts back exactly.
    """

    def __init__(self, device: DeviceLike = "cpu") -> None:
        _check_device(device, "Generator()")
        self._seed = _DEFAULT_SEED
        self._rng = np.random.Generator(np.random.PCG64(_DEFAULT_SEED))

    @property
    def device(self) -> _device.device:
        """``device(type='cpu')``: the device whose random numbers this draws."""
        return _device.CPU

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream at ``seed`` (an int in [-2**63, 2**64)); returns this generator."""
        self._reseed(_seed_value(seed, "manual_seed()", RuntimeError))
        return self

    def seed(self) -> int:
        """Restart the stream at a nondeterministic 64-bit seed, and return that seed."""
        fresh = secrets.randbits(64)
        self._reseed(fresh)
        return fresh

    def initial_seed(self) -> int:
        """The seed the current stream started from (0 ≤ seed < 2**64)."""
        return self._seed

    def get_state(self) -> Tensor:
        """The generator's state, a uint8 Tensor of 48 bytes, for ``set_state``."""
        bits = self._rng.bit_generator.state
        fields = (
            (self._seed, 8),
            (bits["state"]["state"], 16),
            (bits["state"]["inc"], 16),
            (bits["has_uint32"], 4),
            (bits["uinteger"], 4),
        )
        raw = b"".join(int(value).to_bytes(width, "little") for value, width in fields)
        from .tensor import Tensor  # tensor.py builds on this module: imported when called

        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Put back a state from ``get_state`` (of this or any tg.Generator); returns this."""
        from .tensor import Tensor  # tensor.py builds on this module: imported when called

        if not isinstance(new_state, Tensor):
            raise TypeError(
                f"set_state(): expected a uint8 Tensor (a get_state()), but got "
                f"{type(new_state).__name__}"
            )
        if new_state.dtype != np.uint8:
            raise TypeError(
                f"set_state(): RNG state must be a uint8 Tensor, got dtype {new_state.dtype}"
            )
        if new_state.numel() != _STATE_SIZE:
            raise RuntimeError(
                f"set_state(): expected a Generator state of size {_STATE_SIZE} but found the "
                f"input RNG state size to be {new_state.numel()} (shape {new_state.shape})"
            )
        raw = new_state.data.reshape(-1).tobytes()
        seed, state, inc, has_uint32, uinteger = (
            int.from_bytes(raw[start:stop], "little")
            for start, stop in ((0, 8), (8, 24), (24, 40), (40, 44), (44, 48))
        )
        if inc % 2 == 0 or has_uint32 > 1:  # PCG64's increment is odd; the flag is 0 or 1
            raise RuntimeError("set_state(): the tensor is not a state of a tg.Generator")
        self._rng.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": state, "inc": inc},
            "has_uint32": has_uint32,
            "uinteger": uinteger,
        }
        self._seed = seed
        return self

    def clone_state(self) -> Generator:
        """A new Generator in this one's state: both then draw the same numbers."""
        return Generator().set_state(self.get_state())

    def _reseed(self, seed: int) -> None:
        # np.random.default_rng(seed) is Generator(PCG64(seed)): the same stream, in place.
        self._rng.bit_generator.state = np.random.PCG64(seed).state
        self._seed = seed


GeneratorLike = Union[Generator, np.random.Generator, None]  # noqa: UP007 - a runtime alias
"""What ``generator=`` takes: a tg.Generator, a numpy Generator, or None (the global one)."""

default_generator = Generator()
"""The global generator (``torch.default_generator``): the draws of every op not given a
generator. Seeded nondeterministically at import, as torch 2.13's."""
default_generator.seed()


def _numpy_generator(generator: Any = None, op: str = "") -> np.random.Generator:
    """The numpy Generator that draws for ``generator=``: a tg.Generator's, a numpy Generator
    itself, or the global one for None."""
    if generator is None:
        return default_generator._rng
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(
        f"{op}(): generator must be a tg.Generator or a numpy Generator, got "
        f"{type(generator).__name__}"
    )


def manual_seed(seed: int) -> Generator:
    """Reseed the global generator so that every random draw after it is reproducible; returns
    it (``torch.manual_seed``)."""
    default_generator._reseed(_seed_value(seed, "manual_seed()", TypeError))
    return default_generator


def seed() -> int:
    """Reseed the global generator nondeterministically and return the seed (``torch.seed``)."""
    return default_generator.seed()


def initial_seed() -> int:
    """The global generator's seed (``torch.initial_seed``)."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The global generator's state, a uint8 Tensor (``torch.get_rng_state``)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Put back a state of ``get_rng_state`` into the global generator
    (``torch.set_rng_state``)."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(
    devices: Iterable[Any] | None = None,
    enabled: bool = True,
    _caller: str = "fork_rng",
    _devices_kw: str = "devices",
    device_type: str | None = None,
) -> Iterator[None]:
    """A context in which the global generator may be used freely: its state is put back on
    leaving (``torch.random.fork_rng``). The CPU is the only device, so ``devices`` must name
    none (None or empty) and ``device_type`` is not used."""
    listed = [] if devices is None else list(devices)
    if listed:
        raise RuntimeError(
            f"{_caller}(): tinygrad_ed computes with numpy on the CPU; there are no devices "
            f"{listed!r:.60} to fork (give {_devices_kw}=[] or leave it out)"
        )
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator() -> Generator | None:
    """None: batches are loaded in this thread, which draws from the global generator
    (``torch.random.thread_safe_generator`` outside a DataLoader thread worker)."""
    return None
