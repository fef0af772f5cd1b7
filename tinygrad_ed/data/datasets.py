"""Map-style datasets: the base class, tensors as a dataset, and views that subset or concatenate.

* :class:`Dataset` — ``len(ds)`` examples, ``ds[i]`` the i-th; ``ds1 + ds2`` concatenates.
* :class:`TensorDataset` — example ``i`` is row ``i`` of each of several equally long tensors.
* :class:`Subset`, :func:`random_split` — a view of chosen examples; a random partition into views.
* :class:`ConcatDataset` — several datasets one after the other.
* :class:`StackDataset` — several equally long datasets side by side: a tuple or dict per example.
* :class:`IterableDataset`, :class:`ChainDataset` — iterable-style datasets (a stream of
  examples, ``iter(ds)``), and several of them one after the other.

These are ``torch.utils.data``'s classes with torch's semantics; randomness follows the package's
``seed`` convention (see :mod:`tinygrad_ed.data._random`).
"""

from __future__ import annotations

import bisect
import math
import operator
from abc import ABC
from collections.abc import Iterable, Iterator, Sequence
from numbers import Real
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed._warn import warn
from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.random import GeneratorLike
from tinygrad_ed.tensor import Tensor

Batch: TypeAlias = tuple[Tensor, ...]


def _to_numpy(x: Any) -> NDArray[Any]:
    """The array behind ``x``: a Tensor's ``.data``, an ndarray itself, else ``np.asarray(x)``."""
    if isinstance(x, Tensor):
        return x.data
    return np.asarray(x)


def _as_indices(fn: str, source: Iterable[Any], *, start: int = 0) -> NDArray[np.int64]:
    """``source`` as a 1-D int64 array, or a TypeError naming ``fn`` and the first bad index.

    Python ints, numpy integers and 0-d integer arrays or Tensors are indices; a float is not (it
    would be truncated silently), nor is a bool (``True`` would index example 1) or a list (a
    sampler yields one index at a time). ``start`` is the position of ``source``'s first item in
    a longer stream (one batch of an epoch), so the message counts from the epoch's start.
    """
    if isinstance(source, np.ndarray) and source.ndim == 1 and source.dtype.kind in "iu":
        return source.astype(np.int64, copy=False)
    if isinstance(source, np.ndarray) and source.ndim != 1:
        raise TypeError(
            f"{fn}: indices must form a 1-D sequence of integers, got an array of shape "
            f"{source.shape}"
        )
    if isinstance(source, np.ndarray) and source.dtype.kind != "O":
        raise TypeError(f"{fn}: indices must be integers, got an array of dtype {source.dtype}")
    out = []
    for position, i in enumerate(source):
        value = i.data if isinstance(i, Tensor) else i
        try:
            if isinstance(value, (bool, np.bool_)):
                raise TypeError
            out.append(operator.index(value))
        except TypeError:
            hint = " (one index at a time)" if isinstance(value, (Sequence, np.ndarray)) else ""
            raise TypeError(
                f"{fn}: indices must be integers{hint}, got {i!r} ({type(i).__name__}) at "
                f"position {start + position}"
            ) from None
    return np.array(out, dtype=np.int64)


# ----------------------------------------------------------------------------- datasets


class Dataset(ABC):  # noqa: B024 (an ABC only for __subclasshook__; nothing is abstract)
    """A map-style dataset: ``len(ds)`` examples, ``ds[i]`` the i-th (torch: ``Dataset``).

    Subclass it and define ``__getitem__(self, index)`` and ``__len__(self)``; a subclass missing
    either raises a TypeError naming the class and the method when it is used. ``ds1 + ds2`` is
    ``ConcatDataset([ds1, ds2])``, as in torch.

    An example is usually a tuple ``(x, y)`` of arrays, Tensors or numbers; the loader stacks each
    position of the tuple across the batch. Any class with the two methods counts as a Dataset
    (``isinstance`` checks for them, like ``collections.abc.Sized``) and works with the loader.
    """

    def __getitem__(self, index: int) -> Any:
        # torch raises NotImplementedError; the missing method is the caller's TypeError.
        raise TypeError(
            f"{type(self).__name__} subclasses Dataset but does not define __getitem__(self, index)"
        )

    def __len__(self) -> int:
        raise TypeError(
            f"{type(self).__name__} subclasses Dataset but does not define __len__(self)"
        )

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])

    @classmethod
    def __subclasshook__(cls, subclass: type) -> Any:
        # Structural, as the Protocol this class used to be: any class with both methods.
        if cls is Dataset:
            names = ("__len__", "__getitem__")
            found = all(any(name in base.__dict__ for base in subclass.__mro__) for name in names)
            return True if found else NotImplemented
        return NotImplemented


class TensorDataset(Dataset):
    """Examples are the rows of equally long tensors: ``ds[i] = (t[i] for t in tensors)``.

    torch: ``torch.utils.data.TensorDataset(*tensors)``. numpy arrays are accepted as well and
    wrapped in Tensors (dtype kept). ``arrays`` holds the tensors' numpy data; the loader gathers
    a whole batch from it at once. Examples are data: unlike torch's, they do not carry a
    tensor's ``requires_grad`` or graph.
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
        try:
            return tuple(Tensor(a[index]) for a in self.arrays)
        except IndexError:
            # numpy's message names neither the dataset nor its length (torch: IndexError too).
            raise IndexError(
                f"TensorDataset: index {index!r} ({type(index).__name__}) is not a valid index "
                f"into {len(self)} examples: use an int in [-{len(self)}, {len(self)}), a slice, "
                "a list or an integer array"
            ) from None

    def __repr__(self) -> str:
        shapes = ", ".join(str(a.shape) for a in self.arrays)
        return f"TensorDataset({shapes})"


class Subset(Dataset):
    """The examples of ``dataset`` at ``indices``, in that order: ``sub[i] = dataset[indices[i]]``.

    torch: ``torch.utils.data.Subset(dataset, indices)``. Nothing is copied: ``sub`` reads through
    to ``dataset``. ``indices`` must be ints in ``[-len(dataset), len(dataset))`` (checked here,
    where torch would fail only when the example is read); repeats are allowed.
    """

    def __init__(self, dataset: Dataset, indices: Iterable[int]) -> None:
        n = len(dataset)
        idx = _as_indices("Subset", indices)
        bad = idx[(idx < -n) | (idx >= n)]
        if bad.size:
            raise IndexError(f"Subset: index {bad[0]} is out of range for a dataset of size {n}")
        self.dataset = dataset
        self.indices: list[int] = idx.tolist()

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):  # several examples at once, as torch's Subset allows
            return self.dataset[[self.indices[i] for i in index]]  # type: ignore[index]
        return self.dataset[self.indices[index]]

    def __repr__(self) -> str:
        return f"Subset({self.dataset!r}, {len(self.indices)} indices)"


class ConcatDataset(Dataset):
    """Several datasets one after the other (torch: ``torch.utils.data.ConcatDataset``).

    ``len`` is the sum of the lengths, taken once here as in torch (``cumulative_sizes``);
    ``cat[i]`` reads from the dataset that holds position ``i``. Negative indices count from the
    end. The loader collates the examples, so the datasets' examples should have the same
    structure.
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets: list[Dataset] = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: needs at least one dataset")
        self.cumulative_sizes: list[int] = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        n = len(self)
        value = index.data if isinstance(index, Tensor) else index
        try:
            # A bool would read example 1 (torch indexes its tensors with it instead).
            if isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", None) == np.bool_:
                raise TypeError
            i = operator.index(value)
        except TypeError:
            raise TypeError(
                f"ConcatDataset: index must be an int, got {index!r} ({type(index).__name__})"
            ) from None
        if not -n <= i < n:
            raise IndexError(
                f"ConcatDataset: index {index} is out of range for a dataset of size {n}"
            )
        i %= n
        which = bisect.bisect_right(self.cumulative_sizes, i)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][i - start]

    def __repr__(self) -> str:
        return f"ConcatDataset({self.datasets!r})"


class StackDataset(Dataset):
    """Equally long datasets side by side (torch: ``torch.utils.data.StackDataset``):
    ``StackDataset(a, b)[i] = (a[i], b[i])``, ``StackDataset(x=a, y=b)[i] = {"x": a[i], "y":
    b[i]}``; a tensor counts as the dataset of its rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise ValueError(
                "StackDataset: supported either tuple-like (via args) or dict-like (via "
                "kwargs) input/output, but both types are given"
            )
        datasets = list(args) or list(kwargs.values())
        if not datasets:
            raise ValueError("StackDataset: at least one dataset should be passed")
        lengths = [len(d) for d in datasets]
        if any(n != lengths[0] for n in lengths):
            raise ValueError(f"StackDataset: size mismatch between datasets, lengths {lengths}")
        self._length = lengths[0]
        self.datasets: tuple[Any, ...] | dict[str, Any] = tuple(args) if args else dict(kwargs)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> Any:
        if isinstance(self.datasets, dict):
            return {key: d[index] for key, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list[int]) -> list[Any]:
        """Several examples at once (torch's batched read, a list of examples)."""
        return [self[i] for i in indices]


class IterableDataset(Dataset):
    """An iterable-style dataset: a stream of examples, ``iter(ds)`` (torch:
    ``torch.utils.data.IterableDataset``). Subclass it and define ``__iter__``; ``__len__`` is
    optional (``len`` of a loader over it needs it). The loader reads the stream in order and
    batches it as it comes, so it takes no sampler and no shuffle, as torch's. There are no
    worker processes here: ``get_worker_info()`` is None, as in torch's main process.
    ``ds1 + ds2`` chains two of them (``ChainDataset``)."""

    def __iter__(self) -> Iterator[Any]:
        raise TypeError(
            f"{type(self).__name__} subclasses IterableDataset but does not define __iter__(self)"
        )

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """Iterable datasets one after the other (torch: ``torch.utils.data.ChainDataset``): the
    stream of the first, then of the second, …; ``len`` sums theirs, where all have one."""

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(
                    f"ChainDataset only supports IterableDataset, got {type(d).__name__}"
                )
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(
                    f"ChainDataset only supports IterableDataset, got {type(d).__name__}"
                )
            total += len(d)  # type: ignore[arg-type]  # a TypeError where one has no len, as torch
        return total


def get_worker_info() -> None:
    """None: loading runs in this process, as torch's ``get_worker_info()`` answers there (its
    workers' datasets split their streams by it; here one process reads everything)."""
    return None


def random_split(
    dataset: Dataset,
    lengths: Sequence[int | float],
    generator: GeneratorLike = None,
    *,
    seed: SeedLike = None,
) -> list[Subset]:
    """Randomly partition ``dataset`` into non-overlapping :class:`Subset` s of given lengths.

    torch: ``torch.utils.data.random_split(dataset, lengths, generator)``. ``lengths`` are ints
    summing to ``len(dataset)``, or fractions summing to 1: each split then gets
    ``⌊n·fraction⌋`` examples and the remaining ones go round-robin, one each, to the first
    splits (torch's rule; a split of length 0 gets a warning, as in torch).

    Randomness: one permutation of ``range(n)`` cut into consecutive pieces, drawn from
    ``generator`` (a tg.Generator or a numpy one) or ``seed`` (the package convention: an int, a
    Generator, or None for the library generator set by ``tinygrad_ed.manual_seed``); pass one
    or the other.
    """
    if seed is not None and generator is not None:
        raise ValueError("random_split: pass seed or generator, not both")
    n = len(dataset)
    sizes = list(lengths)
    if not sizes:
        raise ValueError("random_split: lengths must not be empty")
    for i, length in enumerate(sizes):
        if isinstance(length, bool) or not isinstance(length, Real):
            raise TypeError(f"random_split: lengths[{i}] must be an int or a float, got {length!r}")
    total = sum(sizes)
    if math.isclose(total, 1) and total <= 1:  # torch's test for fractions
        for i, frac in enumerate(sizes):
            if not 0 <= frac <= 1:
                raise ValueError(f"random_split: fraction lengths[{i}] = {frac} is not in [0, 1]")
        counts = [math.floor(n * frac) for frac in sizes]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warn(
                    f"random_split: length of split at index {i} is 0; this might result in "
                    f"an empty dataset",
                )
    else:
        if not all(isinstance(length, (int, np.integer)) for length in sizes):
            raise ValueError(
                f"random_split: lengths must be ints summing to len(dataset) = {n} or fractions "
                f"summing to 1, got {sizes}"
            )
        counts = [int(length) for length in sizes]
        if min(counts) < 0:
            raise ValueError(f"random_split: lengths must be non-negative, got {counts}")
    if sum(counts) != n:
        raise ValueError(
            f"random_split: the lengths {counts} sum to {sum(counts)}, but the dataset has {n} "
            f"examples"
        )
    order = _rng(generator if generator is not None else seed, "random_split").permutation(n)
    ends = np.cumsum(counts)
    return [Subset(dataset, order[end - count : end]) for end, count in zip(ends, counts)]
