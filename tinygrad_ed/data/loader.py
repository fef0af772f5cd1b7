"""Minibatching: samplers, the DataLoader and collate (torch.utils.data, minus the workers).

A *sampler* decides which examples make up one epoch and in what order; the *loader* cuts that
index sequence into consecutive batches of ``batch_size`` and stacks the examples of each batch.

* :class:`SequentialSampler` — ``0, 1, …, n-1``: every example once, in order.
* :class:`RandomSampler` — a uniformly random permutation: every example exactly once per epoch
  (``shuffle=True`` in the loader).
* :class:`WithReplacementSampler` — the lecture's SGD step "pick i ∈ [n] uniformly at random",
  repeated ``num_samples`` times independently: an example may appear several times or not at all.

For a :class:`TensorDataset` (or a :class:`Subset` of one) the loader takes each batch with one
fancy-indexing call per tensor (``x[idx]`` for an index array ``idx``) instead of a Python loop
over examples and ``np.stack``. The datasets themselves live in :mod:`tinygrad_ed.data.datasets`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.data.datasets import (
    Batch,
    Dataset,
    Subset,
    TensorDataset,
    _as_indices,
    _to_numpy,
)
from tinygrad_ed.tensor import Tensor

__all__ = [
    "Batch",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "TensorDataset",
    "WithReplacementSampler",
    "collate",
]


def _length(fn: str, data_source: int | Sized) -> int:
    """Accept either a dataset (anything with ``len``) or its length, as an int ≥ 0."""
    if isinstance(data_source, bool):
        raise TypeError(f"{fn}: expected a dataset or a non-negative int, got {data_source!r}")
    n = int(data_source) if isinstance(data_source, (int, np.integer)) else len(data_source)
    if n < 0:
        raise ValueError(f"{fn}: the number of examples must be non-negative, got {n}")
    return n


# ----------------------------------------------------------------------------- samplers


class Sampler:
    """One epoch's sequence of example indices (torch: ``torch.utils.data.Sampler``).

    Subclass it as in torch, defining ``__iter__`` (yielding ints) and ``__len__``; or, as the
    samplers here do, define :meth:`indices`, drawing a fresh epoch as an int64 array each call,
    which ``__iter__`` then yields as Python ints. The loader asks for :meth:`indices`.
    """

    def __init__(self, data_source: Any = None) -> None:
        # torch's Sampler takes (and ignores) a data source; subclasses may pass theirs up.
        pass

    def indices(self) -> NDArray[np.int64]:
        """Draw one epoch's indices (by default: run ``__iter__`` and check they are ints)."""
        if type(self).__iter__ is Sampler.__iter__:
            raise TypeError(f"{type(self).__name__}: a Sampler must define __iter__ or indices()")
        return _as_indices(type(self).__name__, iter(self))

    def __iter__(self) -> Iterator[int]:
        if type(self).indices is Sampler.indices:
            raise TypeError(f"{type(self).__name__}: a Sampler must define __iter__ or indices()")
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        # torch's Sampler has no __len__ either; a loader needs one only for len(loader).
        raise TypeError(f"{type(self).__name__} does not define __len__")


class SequentialSampler(Sampler):
    """``0, 1, …, n-1`` (torch: ``SequentialSampler(data_source)``); ``n`` or a dataset.

    Given a dataset, ``n`` is read as ``len(dataset)`` at every epoch, as in torch, so a dataset
    that grows between epochs is seen whole.
    """

    def __init__(self, data_source: int | Sized) -> None:
        _length("SequentialSampler", data_source)  # a bad argument fails now, not at iteration
        self.data_source = data_source

    @property
    def n(self) -> int:
        return _length("SequentialSampler", self.data_source)

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

    As in torch, ``replacement`` must be a bool and ``num_samples`` a positive int, so an empty
    dataset is an error unless ``num_samples`` is given; given a dataset without ``num_samples``,
    ``n = k = len(dataset)`` is read at every epoch.

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
        n = _length(name, data_source)
        if not isinstance(replacement, (bool, np.bool_)):
            raise TypeError(
                f"{name}: replacement should be a boolean value, got replacement={replacement!r}"
            )
        if num_samples is not None and (
            isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer))
        ):
            raise TypeError(f"{name}: num_samples must be an int, got {num_samples!r}")
        k = n if num_samples is None else int(num_samples)
        if k <= 0:
            empty = " (the dataset is empty)" if num_samples is None else ""
            raise ValueError(
                f"{name}: num_samples should be a positive integer value, got num_samples={k}"
                f"{empty}"
            )
        if n == 0:
            raise ValueError(f"{name}: cannot draw {k} samples from 0 examples")
        if seed is not None and generator is not None:
            raise ValueError(f"{name}: pass seed or generator, not both")
        self.data_source = data_source
        self.replacement = bool(replacement)
        self._num_samples = None if num_samples is None else k
        source = generator if generator is not None else seed
        # An int seed becomes one generator now (not per epoch), so epochs differ from each other.
        self._generator = None if source is None else _rng(source, name)

    @property
    def n(self) -> int:
        return _length(type(self).__name__, self.data_source)

    @property
    def num_samples(self) -> int:
        return self.n if self._num_samples is None else self._num_samples

    def indices(self) -> NDArray[np.int64]:
        rng = self._generator if self._generator is not None else _rng(None)
        n, k = self.n, self.num_samples
        if n == 0 and k > 0:  # the dataset has shrunk since construction
            raise ValueError(f"{type(self).__name__}: cannot draw {k} samples from 0 examples")
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


def _tensor_arrays(
    dataset: Dataset, order: NDArray[np.int64]
) -> tuple[tuple[NDArray[Any], ...], NDArray[np.int64]] | None:
    """The arrays of the TensorDataset under ``dataset`` (through Subsets) and ``order`` mapped
    into it, or None when the examples must be read one by one.

    Only classes whose ``__getitem__`` is ours qualify: a subclass may compute its examples.
    """
    while isinstance(dataset, Subset) and type(dataset).__getitem__ is Subset.__getitem__:
        order = np.asarray(dataset.indices, dtype=np.int64)[order]
        dataset = dataset.dataset
    if isinstance(dataset, TensorDataset) and (
        type(dataset).__getitem__ is TensorDataset.__getitem__
    ):
        return dataset.arrays, order
    return None


class DataLoader:
    """Iterate over a dataset in batches (torch: ``DataLoader``).

    Each batch is ``collate([dataset[i] for i in batch_indices])``: for tuple examples
    ``(x, y)``, the tuple ``(Tensor(stack of xs), Tensor(stack of ys))``; a dataset whose examples
    are not tuples yields 1-tuples (see :func:`collate` for nested and dict examples).
    ``collate_fn=`` replaces :func:`collate` and gets the list of examples, as in torch.
    ``len(loader)`` is the number of batches: ``⌈m / batch_size⌉``, or ``⌊m / batch_size⌋`` with
    ``drop_last=True``, where ``m`` is the sampler's length (``len(dataset)`` unless a sampler
    says otherwise). As in torch, the default samplers read ``len(dataset)`` at every epoch.

    ``shuffle=True`` uses a :class:`RandomSampler` driven by ``seed``/``generator`` (see there);
    ``sampler=`` accepts any sized iterable of integer indices (a :class:`Sampler` subclass
    defining ``__iter__`` and ``__len__``, a list, …) and is mutually exclusive with shuffle.
    Iterating twice gives two epochs (reshuffled if shuffling).

    ``num_workers`` is accepted for torch compatibility, but loading always runs in this process:
    any ``num_workers ≥ 0`` gives the same batches, in the same order, as torch would.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        *,
        sampler: Sampler | _SizedIntIterable | None = None,
        drop_last: bool = False,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
        generator: np.random.Generator | None = None,
        seed: SeedLike = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"DataLoader: batch_size must be an int, got {batch_size!r}")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be at least 1, got {batch_size}")
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)):
            raise TypeError(f"DataLoader: num_workers must be an int, got {num_workers!r}")
        if num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be non-negative, got {num_workers}")
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be callable or None, got {collate_fn!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive")
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: pass seed or generator, not both")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn
        self.num_workers = int(num_workers)
        if sampler is None:
            # The sampler holds the dataset itself, not its length, to see it grow or shrink.
            sampler = (
                RandomSampler(dataset, seed=seed, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self.sampler: Sampler | _SizedIntIterable = sampler

    def __len__(self) -> int:
        m, b = len(self.sampler), self.batch_size
        return m // b if self.drop_last else -(-m // b)

    def _epoch_indices(self) -> NDArray[np.int64]:
        # A sampler's own __iter__ decides the order, as in torch; only one that iterates by
        # Sampler's default (over its indices()) is asked for the whole array at once. So a
        # subclass overriding __iter__, or keeping a list in self.indices, is obeyed.
        sampler = self.sampler
        if not isinstance(sampler, Sampler):  # a list or an array of indices
            return _as_indices("DataLoader", sampler)
        if type(sampler).__iter__ is Sampler.__iter__:
            return _as_indices("DataLoader", sampler.indices())
        return _as_indices(type(sampler).__name__, iter(sampler))

    def __iter__(self) -> Iterator[Any]:
        order = self._epoch_indices()
        n = len(self.dataset)
        if order.size and (order.min() < 0 or order.max() >= n):
            bad = order[(order < 0) | (order >= n)][0]
            raise IndexError(f"DataLoader: sampler produced index {bad} for a dataset of size {n}")
        stop = len(order)
        if self.drop_last:
            stop -= stop % self.batch_size
        fast = _tensor_arrays(self.dataset, order) if self.collate_fn is None else None
        for start in range(0, stop, self.batch_size):
            if fast is not None:
                # One gather per tensor, no Python loop over the examples.
                arrays, base = fast
                idx = base[start : start + self.batch_size]
                yield tuple(Tensor(a[idx]) for a in arrays)
                continue
            examples = [self.dataset[int(i)] for i in order[start : start + self.batch_size]]
            yield collate(examples) if self.collate_fn is None else self.collate_fn(examples)

    def __repr__(self) -> str:
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"sampler={self.sampler!r}, drop_last={self.drop_last})"
        )


# ----------------------------------------------------------------------------- collate


def _field(path: tuple[Any, ...]) -> str:
    """A position inside an example, as in an error message: ``field 0``, ``field 'x'[1]``."""
    head, *rest = path
    return "field " + repr(head) + "".join(f"[{key!r}]" for key in rest)


def _kinds(items: list[Any]) -> str:
    return ", ".join(sorted({type(e).__name__ for e in items}))


def _collate(items: list[Any], path: tuple[Any, ...]) -> Any:
    """Collate ``items`` (the values at ``path`` in each example), recursing as torch does."""
    first = items[0]
    where = _field(path) if path else "the examples"
    if isinstance(first, Mapping):
        if not all(isinstance(e, Mapping) for e in items):
            raise TypeError(f"collate: {where} mix dicts and other types: {_kinds(items)}")
        keys = list(first)
        if any(set(e) != set(keys) for e in items):
            key_sets = sorted({tuple(sorted(map(repr, e))) for e in items})
            raise ValueError(f"collate: {where} are dicts with different keys: {key_sets}")
        batch = {key: _collate([e[key] for e in items], (*path, key)) for key in keys}
        try:  # an OrderedDict or defaultdict keeps its type, as in torch
            return type(first)(batch) if type(first) is not dict else batch  # type: ignore[call-arg]
        except TypeError:
            return batch
    if _is_sequence(first):
        if not all(_is_sequence(e) for e in items):
            raise TypeError(f"collate: {where} mix sequences and other types: {_kinds(items)}")
        lengths = sorted({len(e) for e in items})
        if len(lengths) > 1:
            what = "examples have" if not path else f"{where} holds sequences with"
            raise ValueError(f"collate: {what} different numbers of fields: {lengths}")
        fields = [_collate([e[j] for e in items], (*path, j)) for j in range(lengths[0])]
        if isinstance(first, tuple) and hasattr(first, "_fields"):
            return type(first)(*fields)  # a namedtuple keeps its type, as in torch
        return tuple(fields)
    if isinstance(first, (str, bytes)):
        if not all(isinstance(e, (str, bytes)) for e in items):
            raise TypeError(f"collate: {where} mix strings and other types: {_kinds(items)}")
        return list(items)  # as torch: strings are not stacked
    arrays = [_to_numpy(e) for e in items]
    if any(type(e) is int and not -(2**63) <= e < 2**63 for e in items):
        raise OverflowError(f"collate: {where} holds a Python int beyond int64 ({_kinds(items)})")
    dtypes = {a.dtype for a in arrays}
    try:
        stacked = np.stack(arrays, dtype=_stack_dtype(dtypes) if len(dtypes) > 1 else None)
    except ValueError as err:
        shapes = sorted({a.shape for a in arrays})
        raise ValueError(f"collate: {where} of the examples has differing shapes {shapes}") from err
    if stacked.dtype.kind not in "biufc":
        raise TypeError(
            f"collate: {where} holds {_kinds(items)} values, which do not stack into a Tensor; "
            f"collate takes Tensors, arrays, numbers and strings, in tuples, lists or dicts "
            f"(pass collate_fn= to the DataLoader for anything else)"
        )
    return Tensor(stacked)


def _is_sequence(value: Any) -> bool:
    """A sequence of fields, as torch's collate reads one (tuple, list, range, deque, …)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _stack_dtype(dtypes: set[np.dtype[Any]]) -> np.dtype[Any] | None:
    """torch's promotion for one field of mixed dtypes: a float beats an integer without
    widening (float32 beside int64 stays float32, where numpy gives float64)."""
    floats = [d for d in dtypes if d.kind == "f"]
    if floats and len(floats) < len(dtypes) and all(d.kind in "biuf" for d in dtypes):
        return max(floats, key=lambda d: d.itemsize)
    return None


def collate(examples: Iterable[Any]) -> Any:
    """Stack a list of examples into a batch (torch: ``default_collate``, returning tuples).

    Recursive, as torch: a tuple/list example ``(x, y, …)`` gives the tuple
    ``(collate(xs), collate(ys), …)`` — so ``((x1, x2), y)`` gives ``((X1, X2), Y)`` — a dict
    gives a dict of batches, a namedtuple keeps its type, strings give a list of strings, and
    Tensors, arrays and numbers are stacked into one Tensor (Python ints become int64, floats
    float64). A list is a sequence of fields, as in torch, not an array: make a feature vector an
    array. A top-level example that is none of these, ``x``, gives the 1-tuple ``(stack(xs),)``.
    """
    items = list(examples)
    if not items:
        raise ValueError("collate: cannot make a batch from zero examples")
    if _is_sequence(items[0]) or isinstance(items[0], Mapping):
        return _collate(items, ())
    return (_collate(items, (0,)),)
