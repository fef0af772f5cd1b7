"""Minibatching: datasets, samplers and the DataLoader (torch.utils.data, minus the workers).

A *sampler* decides which examples make up one epoch and in what order; the *loader* cuts that
index sequence into consecutive batches of ``batch_size`` and stacks the examples of each batch.

* :class:`SequentialSampler` — ``0, 1, …, n-1``: every example once, in order.
* :class:`RandomSampler` — a uniformly random permutation: every example exactly once per epoch
  (``shuffle=True`` in the loader).
* :class:`WithReplacementSampler` — the lecture's SGD step "pick i ∈ [n] uniformly at random",
  repeated ``num_samples`` times independently: an example may appear several times or not at all.

For a :class:`TensorDataset` the loader takes each batch with one fancy-indexing call per tensor
(``x[idx]`` for an index array ``idx``) instead of a Python loop over examples and ``np.stack``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sized
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.tensor import Tensor

Batch: TypeAlias = tuple[Tensor, ...]


def _to_numpy(x: Any) -> NDArray[Any]:
    """The array behind ``x``: a Tensor's ``.data``, an ndarray itself, else ``np.asarray(x)``."""
    if isinstance(x, Tensor):
        return x.data
    return np.asarray(x)


def _length(fn: str, data_source: int | Sized) -> int:
    """Accept either a dataset (anything with ``len``) or its length, as an int ≥ 0."""
    if isinstance(data_source, bool):
        raise TypeError(f"{fn}: expected a dataset or a non-negative int, got {data_source!r}")
    n = int(data_source) if isinstance(data_source, (int, np.integer)) else len(data_source)
    if n < 0:
        raise ValueError(f"{fn}: the number of examples must be non-negative, got {n}")
    return n


# ----------------------------------------------------------------------------- datasets


@runtime_checkable
class Dataset(Protocol):
    """A map-style dataset: ``len(ds)`` examples, ``ds[i]`` the i-th (torch: ``Dataset``).

    An example is usually a tuple ``(x, y)`` of arrays, Tensors or numbers; the loader stacks each
    position of the tuple across the batch. Any class with these two methods qualifies.
    """

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Any: ...


class TensorDataset:
    """Examples are the rows of equally long tensors: ``ds[i] = (t[i] for t in tensors)``.

    torch: ``torch.utils.data.TensorDataset(*tensors)``. numpy arrays are accepted as well and
    wrapped in Tensors (dtype kept). ``arrays`` holds the tensors' numpy data; the loader gathers
    a whole batch from it at once.
    """

    def __init__(self, *tensors: Tensor | NDArray[Any]) -> None:
        if not tensors:
            raise ValueError("TensorDataset: needs at least one tensor")
        # Wrapping copies a numpy array once, so later edits to the caller's array cannot leak in.
        self.tensors: tuple[Tensor, ...] = tuple(
            t if isinstance(t, Tensor) else Tensor(t) for t in tensors
        )
        self.arrays: tuple[NDArray[Any], ...] = tuple(t.data for t in self.tensors)
        shapes = ", ".join(str(a.shape) for a in self.arrays)
        if any(a.ndim == 0 for a in self.arrays):
            raise ValueError(f"TensorDataset: 0-d tensors have no examples to index, got {shapes}")
        if any(a.shape[0] != self.arrays[0].shape[0] for a in self.arrays):
            raise ValueError(
                f"TensorDataset: all tensors must have the same size in the first dimension, "
                f"got shapes {shapes}"
            )

    def __len__(self) -> int:
        return int(self.arrays[0].shape[0])

    def __getitem__(self, index: int) -> Batch:
        # Tensor() copies, so an example never aliases (and cannot mutate) the dataset.
        return tuple(Tensor(a[index]) for a in self.arrays)

    def __repr__(self) -> str:
        shapes = ", ".join(str(a.shape) for a in self.arrays)
        return f"TensorDataset({shapes})"


# ----------------------------------------------------------------------------- samplers


class Sampler(ABC):
    """One epoch's sequence of example indices (torch: ``torch.utils.data.Sampler``).

    Subclasses implement :meth:`indices`, drawing a fresh epoch as an int64 array each call;
    iterating a sampler yields the same indices as Python ints.
    """

    @abstractmethod
    def indices(self) -> NDArray[np.int64]:
        """Draw one epoch's indices."""

    @abstractmethod
    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())


class SequentialSampler(Sampler):
    """``0, 1, …, n-1`` (torch: ``SequentialSampler(data_source)``); ``n`` or a dataset."""

    def __init__(self, data_source: int | Sized) -> None:
        self.n = _length("SequentialSampler", data_source)

    def indices(self) -> NDArray[np.int64]:
        return np.arange(self.n, dtype=np.int64)

    def __len__(self) -> int:
        return self.n


class RandomSampler(Sampler):
    """Random indices into ``n`` examples (torch: ``RandomSampler``).

    Without replacement an epoch is a uniformly random permutation π of ``[n]``: each example is
    visited exactly once. With ``num_samples = k > n`` the epoch is ``k // n`` independent
    permutations followed by the first ``k mod n`` entries of one more, as in torch.

    With replacement the epoch is ``k`` independent draws ``i ~ Uniform{0, …, n-1}``
    (``P(i) = 1/n``), the index choice of plain stochastic gradient descent.

    Randomness: ``seed=int`` seeds a private generator once, so successive epochs differ but the
    whole sequence of epochs is reproducible; ``seed=Generator`` draws from that generator;
    ``seed=None`` draws each epoch from the library generator set by ``tinygrad_ed.manual_seed``
    (torch draws from its default generator in the same way). ``generator=`` is torch's name for
    the same argument; pass one or the other.
    """

    def __init__(
        self,
        data_source: int | Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        *,
        seed: SeedLike = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        name = type(self).__name__
        self.n = _length(name, data_source)
        if num_samples is None:
            num_samples = self.n
        if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
            raise TypeError(f"{name}: num_samples must be an int, got {num_samples!r}")
        if num_samples < 0:
            raise ValueError(f"{name}: num_samples must be non-negative, got {num_samples}")
        if self.n == 0 and num_samples > 0:
            raise ValueError(f"{name}: cannot draw {num_samples} samples from 0 examples")
        if seed is not None and generator is not None:
            raise ValueError(f"{name}: pass seed or generator, not both")
        self.replacement = bool(replacement)
        self.num_samples = int(num_samples)
        source = generator if generator is not None else seed
        # An int seed becomes one generator now (not per epoch), so epochs differ from each other.
        self._generator: np.random.Generator | None = None if source is None else _rng(source)

    def indices(self) -> NDArray[np.int64]:
        rng = self._generator if self._generator is not None else _rng(None)
        n, k = self.n, self.num_samples
        if self.replacement:
            return rng.integers(0, n, size=k, dtype=np.int64)
        full, rest = divmod(k, n) if n else (0, 0)
        parts = [rng.permutation(n) for _ in range(full)]
        if rest:
            parts.append(rng.permutation(n)[:rest])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(parts).astype(np.int64, copy=False)

    def __len__(self) -> int:
        return self.num_samples

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n={self.n}, replacement={self.replacement}, "
            f"num_samples={self.num_samples})"
        )


class WithReplacementSampler(RandomSampler):
    """``num_samples`` independent uniform draws ``i ~ Uniform{0, …, n-1}`` (default ``n``).

    The sampler of the lecture's SGD: each step picks an example uniformly at random, regardless
    of what was picked before. torch: ``RandomSampler(data, replacement=True, num_samples=k)``.
    """

    def __init__(
        self,
        data_source: int | Sized,
        num_samples: int | None = None,
        *,
        seed: SeedLike = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        super().__init__(data_source, True, num_samples, seed=seed, generator=generator)


# ----------------------------------------------------------------------------- loader


class _SizedIntIterable(Protocol):
    def __iter__(self) -> Iterator[int]: ...

    def __len__(self) -> int: ...


class DataLoader:
    """Iterate over a dataset in batches of tuples of Tensors (torch: ``DataLoader``).

    Each batch is ``tuple(Tensor(stack of field j over the batch) for each field j)``; a dataset
    whose examples are not tuples yields 1-tuples. ``len(loader)`` is the number of batches:
    ``⌈m / batch_size⌉``, or ``⌊m / batch_size⌋`` with ``drop_last=True``, where ``m`` is the
    sampler's length (``len(dataset)`` unless a sampler says otherwise).

    ``shuffle=True`` uses a :class:`RandomSampler` driven by ``seed``/``generator`` (see there);
    ``sampler=`` accepts any sized iterable of indices and is mutually exclusive with shuffle.
    Iterating twice gives two epochs (reshuffled if shuffling).
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        *,
        sampler: Sampler | _SizedIntIterable | None = None,
        drop_last: bool = False,
        generator: np.random.Generator | None = None,
        seed: SeedLike = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"DataLoader: batch_size must be an int, got {batch_size!r}")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be at least 1, got {batch_size}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive")
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: pass seed or generator, not both")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)
        if sampler is None:
            n = len(dataset)
            sampler = (
                RandomSampler(n, seed=seed, generator=generator)
                if shuffle
                else SequentialSampler(n)
            )
        self.sampler: Sampler | _SizedIntIterable = sampler

    def __len__(self) -> int:
        m, b = len(self.sampler), self.batch_size
        return m // b if self.drop_last else -(-m // b)

    def _epoch_indices(self) -> NDArray[np.int64]:
        if isinstance(self.sampler, Sampler):
            return self.sampler.indices()
        return np.fromiter(iter(self.sampler), dtype=np.int64)

    def __iter__(self) -> Iterator[Batch]:
        order = self._epoch_indices()
        n = len(self.dataset)
        if order.size and (order.min() < 0 or order.max() >= n):
            bad = order[(order < 0) | (order >= n)][0]
            raise IndexError(f"DataLoader: sampler produced index {bad} for a dataset of size {n}")
        stop = len(order)
        if self.drop_last:
            stop -= stop % self.batch_size
        for start in range(0, stop, self.batch_size):
            yield self._fetch(order[start : start + self.batch_size])

    def _fetch(self, idx: NDArray[np.int64]) -> Batch:
        if isinstance(self.dataset, TensorDataset):
            # Fast path: one gather per tensor, no Python loop over the examples.
            return tuple(Tensor(a[idx]) for a in self.dataset.arrays)
        return collate([self.dataset[int(i)] for i in idx])

    def __repr__(self) -> str:
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"sampler={self.sampler!r}, drop_last={self.drop_last})"
        )


def collate(examples: Iterable[Any]) -> Batch:
    """Stack a list of examples into a batch (torch: ``default_collate``).

    Examples that are tuples/lists ``(x, y, …)`` give ``(stack(xs), stack(ys), …)``; any other
    example ``x`` gives ``(stack(xs),)``. Python ints become int64, floats float64.
    """
    items = list(examples)
    if not items:
        raise ValueError("collate: cannot make a batch from zero examples")
    if not all(isinstance(e, (tuple, list)) for e in items):
        items = [(e,) for e in items]
    width = len(items[0])
    if any(len(e) != width for e in items):
        lengths = sorted({len(e) for e in items})
        raise ValueError(f"collate: examples have different numbers of fields: {lengths}")
    batch = []
    for j in range(width):
        arrays = [_to_numpy(e[j]) for e in items]
        try:
            stacked = np.stack(arrays)
        except ValueError as err:
            shapes = sorted({a.shape for a in arrays})
            raise ValueError(
                f"collate: field {j} of the examples has differing shapes {shapes}"
            ) from err
        batch.append(Tensor(stacked))
    return tuple(batch)
