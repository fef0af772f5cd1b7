"""The DataLoader: a dataset read in batches (torch.utils.data.DataLoader, minus the workers).

A *sampler* decides which examples make up one epoch and in what order (see
:mod:`tinygrad_ed.data.samplers`); a *batch sampler* cuts that sequence into batches of indices;
the loader reads each batch's examples and hands them to ``collate_fn`` (by default
:func:`~tinygrad_ed.data.collation.collate`, which stacks them). With ``batch_size=None`` there
are no batches: each example is read on its own and converted (:func:`default_convert`).

For a :class:`TensorDataset` (or a :class:`Subset` of one) the loader takes each batch with one
fancy-indexing call per tensor (``x[idx]`` for an index array ``idx``) instead of a Python loop
over examples and ``np.stack``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed._warn import warn
from tinygrad_ed.data._random import SeedLike
from tinygrad_ed.data.collation import collate, default_convert
from tinygrad_ed.data.datasets import (
    Batch,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    _as_indices,
)
from tinygrad_ed.data.samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    _check_batching,
    _check_iterable,
    _epoch,
    _sized,
)
from tinygrad_ed.random import GeneratorLike
from tinygrad_ed.tensor import Tensor

__all__ = ["Batch", "DataLoader"]


def _tensor_arrays(
    dataset: Dataset,
) -> tuple[tuple[NDArray[Any], ...], NDArray[np.int64] | None] | None:
    """The arrays of the TensorDataset under ``dataset`` (through Subsets) and the map from
    ``dataset``'s indices to their rows (None: the identity), or None when the examples must be
    read one by one.

    Only classes whose ``__getitem__`` is ours qualify: a subclass may compute its examples.
    """
    rows: NDArray[np.int64] | None = None
    while isinstance(dataset, Subset) and type(dataset).__getitem__ is Subset.__getitem__:
        inner = np.asarray(dataset.indices, dtype=np.int64)
        rows = inner if rows is None else inner[rows]
        dataset = dataset.dataset
    if isinstance(dataset, TensorDataset) and (
        type(dataset).__getitem__ is TensorDataset.__getitem__
    ):
        return dataset.arrays, rows
    return None


def _check_range(fn: str, idx: NDArray[np.int64], n: int) -> None:
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)][0]
        raise IndexError(f"{fn}: sampler produced index {bad} for a dataset of size {n}")


def _check_iterable_modes(shuffle: Any, sampler: Any, batch_sampler: Any) -> None:
    """An iterable-style dataset gives its examples in its own order: no sampler, no shuffle."""
    for name, value, given in (
        ("shuffle", shuffle, shuffle not in (None, False)),
        ("sampler", sampler, sampler is not None),
        ("batch_sampler", batch_sampler, batch_sampler is not None),
    ):
        if given:
            raise ValueError(
                f"DataLoader with IterableDataset: expected unspecified {name} option, but got "
                f"{name}={value!r}"
            )


def _check_modes(
    batch_size: Any, shuffle: Any, sampler: Any, batch_sampler: Any, drop_last: Any
) -> None:
    """torch's rules for the ways of batching (its tests, its order, torch's exceptions but a
    TypeError for a wrong type): which options exclude which, and each option's type."""
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive")
    if batch_sampler is not None:
        clashes = [
            f"{name}={value!r}"
            for name, value, clash in (
                ("batch_size", batch_size, batch_size != 1),  # None too, as in torch
                ("shuffle", shuffle, bool(shuffle)),
                ("sampler", sampler, sampler is not None),
                ("drop_last", drop_last, bool(drop_last)),
            )
            if clash
        ]
        if clashes:
            raise ValueError(
                f"DataLoader: batch_sampler is mutually exclusive with batch_size, shuffle, "
                f"sampler and drop_last (leave them at their defaults), got {', '.join(clashes)}"
            )
        _check_iterable("DataLoader", "batch_sampler", batch_sampler)
    elif batch_size is None:
        if drop_last:
            raise ValueError(
                f"DataLoader: batch_size=None turns automatic batching off, so it is mutually "
                f"exclusive with drop_last (there is no last batch to drop), got "
                f"drop_last={drop_last!r}"
            )
    else:
        _check_batching("DataLoader", batch_size, drop_last)
    if sampler is not None:
        _check_iterable("DataLoader", "sampler", sampler)
        if batch_size is not None and isinstance(sampler, BatchSampler):
            raise TypeError(
                "DataLoader: sampler=BatchSampler(…) yields batches, not indices: pass it as "
                "batch_sampler=, or keep sampler= and set batch_size=None"
            )


def _check_worker_options(
    num_workers: int,
    pin_memory: Any,
    timeout: Any,
    multiprocessing_context: Any,
    prefetch_factor: Any,
    persistent_workers: Any,
) -> None:
    """torch's checks of the options of worker processes and pinned memory, which have no effect
    here (there are neither): refused where torch refuses them, pin_memory warned about as torch
    warns on a machine without an accelerator."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float, np.integer, np.floating)):
        raise TypeError(f"DataLoader: timeout must be a number, got {timeout!r}")
    if timeout < 0:
        raise ValueError("DataLoader: timeout option should be non-negative")
    if num_workers == 0:
        # torch: the same refusals (its timeout > 0 fails an assert at the first iteration)
        for given, name in (
            (timeout != 0, "timeout"),
            (multiprocessing_context is not None, "multiprocessing_context"),
            (prefetch_factor is not None, "prefetch_factor"),
            (bool(persistent_workers), "persistent_workers"),
        ):
            if given:
                raise ValueError(
                    f"DataLoader: the {name} option applies to worker processes only: it needs "
                    f"num_workers > 0 (got num_workers=0)"
                )
    elif prefetch_factor is not None:
        if isinstance(prefetch_factor, bool) or not isinstance(prefetch_factor, (int, np.integer)):
            raise TypeError(f"DataLoader: prefetch_factor must be an int, got {prefetch_factor!r}")
        if prefetch_factor < 0:
            raise ValueError("DataLoader: prefetch_factor option should be non-negative")
    if pin_memory:
        warn(
            "'pin_memory' argument is set as true but no accelerator is found, then device "
            "pinned memory won't be used."
        )


# Fixed once the loader is made, as in torch: its batch sampler was built from them.
_FROZEN = frozenset({"dataset", "batch_size", "sampler", "batch_sampler", "drop_last"})


class DataLoader:
    """Iterate over a dataset in batches (torch: ``DataLoader``).

    Each batch is ``collate([dataset[i] for i in batch_indices])``: for tuple examples
    ``(x, y)``, the tuple ``(Tensor(stack of xs), Tensor(stack of ys))``; a dataset whose examples
    are single Tensors, arrays or numbers yields one stacked Tensor per batch, as torch's (see
    :func:`collate` for nested and dict examples).
    ``collate_fn=`` replaces :func:`collate` and gets the list of examples, as in torch.

    Where the batch indices come from, as in torch:

    * ``batch_size``, ``shuffle``/``sampler`` and ``drop_last`` (the usual way): the loader's
      :class:`BatchSampler` cuts the sampler's epoch into batches of ``batch_size``, dropping a
      short last one with ``drop_last=True``. ``shuffle=True`` uses a :class:`RandomSampler`
      driven by ``seed``/``generator`` (see there); ``sampler=`` takes any iterable of integer
      indices (a :class:`Sampler`, a list, …) and excludes ``shuffle``.
    * ``batch_sampler=``: any iterable of batches (a :class:`BatchSampler`, a list of lists of
      indices, …) gives the batches itself, so it excludes ``batch_size``, ``shuffle``,
      ``sampler`` and ``drop_last`` (leave them at their defaults). ``loader.batch_size`` is
      then None, as in torch.
    * ``batch_size=None``: automatic batching is off. Each index from the sampler gives one
      example ``dataset[i]``, passed on its own to ``collate_fn`` (default
      :func:`default_convert`: numpy arrays become Tensors, nothing is stacked, a Python number
      stays a number). A sampler may yield a list of indices instead, which goes to the dataset
      whole (``dataset[[i, j, …]]``, torch's way of reading a batch in one call).

    ``len(loader)`` is ``len`` of what gives the indices: the number of batches
    ``⌈m / batch_size⌉`` (or ``⌊m / batch_size⌋`` with ``drop_last=True``) where ``m`` is the
    sampler's length (``len(dataset)`` unless a sampler says otherwise); ``len(batch_sampler)``;
    or, with ``batch_size=None``, ``len(sampler)``. The default samplers read ``len(dataset)`` at
    every epoch. Iterating twice gives two epochs (reshuffled if shuffling). As in torch,
    ``dataset``, ``batch_size``, ``sampler``, ``batch_sampler`` and ``drop_last`` cannot be
    changed afterwards.

    Indices must be integers in ``[0, len(dataset))``: a float, a bool or a negative index is an
    error here (torch hands it to the dataset, which may wrap a negative one).
    ``num_workers`` is accepted for torch compatibility, but loading always runs in this process:
    any ``num_workers ≥ 0`` gives the same batches, in the same order, as torch would. So do the
    options of worker processes and pinned memory (``pin_memory``, ``timeout``,
    ``worker_init_fn``, ``multiprocessing_context``, ``prefetch_factor``,
    ``persistent_workers``, ``pin_memory_device``, ``in_order``): accepted in torch's positions
    and checked as torch checks them (those of workers need ``num_workers > 0``;
    ``pin_memory=True`` warns, as torch does without an accelerator), with no effect;
    ``worker_init_fn`` is never called, as no worker starts.
    """

    _iterable = False  # over an IterableDataset: no sampler, the stream batched as it comes

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool = False,
        sampler: Iterable[Any] | None = None,
        batch_sampler: Iterable[Iterable[int]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: GeneratorLike = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        seed: SeedLike = None,
    ) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)):
            raise TypeError(f"DataLoader: num_workers must be an int, got {num_workers!r}")
        if num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be non-negative, got {num_workers}")
        _check_worker_options(
            num_workers,
            pin_memory,
            timeout,
            multiprocessing_context,
            prefetch_factor,
            persistent_workers,
        )
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be callable or None, got {collate_fn!r}")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            _check_iterable_modes(shuffle, sampler, batch_sampler)
        _check_modes(batch_size, shuffle, sampler, batch_sampler, drop_last)
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: pass seed or generator, not both")
        if iterable:  # the stream gives the order: batches are cut as it comes (_stream)
            self._iterable = True
            sampler = ()  # none reads it (torch's stand-in: an _InfiniteConstantSampler)
        elif sampler is None:
            # The sampler holds the dataset itself, not its length, to see it grow or shrink.
            sampler = (
                RandomSampler(dataset, seed=seed, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self._own_batch_sampler = batch_sampler is None and batch_size is not None
        if batch_sampler is not None:  # it decides the batches; torch's attributes then say so
            batch_size, drop_last = None, False
        elif batch_size is not None and not iterable:
            batch_sampler = BatchSampler(sampler, int(batch_size), bool(drop_last))
        self.dataset = dataset
        self.batch_size: int | None = None if batch_size is None else int(batch_size)
        self.drop_last = bool(drop_last)
        self.sampler: Iterable[Any] = sampler
        self.batch_sampler: Iterable[Iterable[int]] | None = batch_sampler
        self.collate_fn = collate_fn
        self.num_workers = int(num_workers)
        # torch's attributes of the same names, kept as given: nothing here uses them
        self.pin_memory = bool(pin_memory)
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = bool(persistent_workers)
        self.pin_memory_device = pin_memory_device
        self.in_order = bool(in_order)
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FROZEN and getattr(self, "_initialized", False):
            raise ValueError(
                f"DataLoader: {name} cannot be changed once the DataLoader is made (as in torch); "
                f"make a new DataLoader"
            )
        super().__setattr__(name, value)

    def __len__(self) -> int:
        if self._iterable:  # the dataset's own len, if it has one, batched
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is None:
            return _sized("DataLoader", "sampler", self.sampler)
        if isinstance(self.batch_sampler, BatchSampler):
            return len(self.batch_sampler)
        return _sized("DataLoader", "batch_sampler", self.batch_sampler)

    def __iter__(self) -> Iterator[Any]:
        if self._iterable:
            yield from self._stream()
            return
        n = len(self.dataset)
        if self.batch_sampler is None:
            convert = default_convert if self.collate_fn is None else self.collate_fn
            for index in self._single_indices(n):
                yield convert(self.dataset[index])  # type: ignore[index]  # a list: dataset's call
            return
        fast = _tensor_arrays(self.dataset) if self.collate_fn is None else None
        for idx in self._index_batches():
            _check_range("DataLoader", idx, n)
            if fast is not None:
                # One gather per tensor, no Python loop over the examples.
                arrays, rows = fast
                picked = idx if rows is None else rows[idx]
                yield tuple(Tensor(a[picked]) for a in arrays)
                continue
            examples = [self.dataset[i] for i in idx.tolist()]
            yield collate(examples) if self.collate_fn is None else self.collate_fn(examples)

    def _stream(self) -> Iterator[Any]:
        """An iterable-style dataset's examples in its order, in batches of ``batch_size`` (the
        last one short unless ``drop_last``), or one by one with ``batch_size=None``."""
        if self.batch_size is None:
            convert = default_convert if self.collate_fn is None else self.collate_fn
            for example in self.dataset:  # type: ignore[attr-defined]
                yield convert(example)
            return
        gather = collate if self.collate_fn is None else self.collate_fn
        batch: list[Any] = []
        for example in self.dataset:  # type: ignore[attr-defined]
            batch.append(example)
            if len(batch) == self.batch_size:
                yield gather(batch)
                batch = []
        if batch and not self.drop_last:
            yield gather(batch)

    def _index_batches(self) -> Iterator[NDArray[np.int64]]:
        """One epoch's batches of indices, each a non-empty int64 array."""
        source = self.batch_sampler
        if isinstance(source, BatchSampler) and type(source).__iter__ is BatchSampler.__iter__:
            # Our own batch sampler, or a user's plain one: batches come as arrays.
            yield from source._batches("DataLoader" if self._own_batch_sampler else "BatchSampler")
            return
        name = type(source).__name__ if isinstance(source, Sampler) else "DataLoader"
        for k, batch in enumerate(source):  # type: ignore[arg-type]
            if isinstance(batch, (str, bytes)) or not (
                hasattr(batch, "__iter__") or hasattr(batch, "__getitem__")
            ):
                raise TypeError(
                    f"{name}: a batch_sampler yields batches (lists of indices), got {batch!r} "
                    f"({type(batch).__name__}) as batch {k}"
                )
            idx = _as_indices(name, batch)
            if idx.size == 0:
                # torch fails too (default_collate of no examples); a gather would not.
                raise ValueError(f"{name}: batch {k} from the batch_sampler is empty")
            yield idx

    def _single_indices(self, n: int) -> Iterator[int | list[int]]:
        """With batching off: each index from the sampler, or a list of them passed whole."""
        epoch = _epoch(self.sampler, "DataLoader")
        if isinstance(epoch, np.ndarray):
            _check_range("DataLoader", epoch, n)
            yield from epoch.tolist()
            return
        name = type(self.sampler).__name__ if isinstance(self.sampler, Sampler) else "DataLoader"
        for position, item in enumerate(epoch):
            value = item.data if isinstance(item, Tensor) else item
            if np.ndim(value) == 1 and not isinstance(value, (str, bytes)):
                idx = _as_indices(name, value)  # several indices for one dataset[...] call
                _check_range(name, idx, n)
                yield idx.tolist()
            else:
                idx = _as_indices(name, [item], start=position)
                _check_range(name, idx, n)
                yield int(idx[0])

    def __repr__(self) -> str:
        if not self._own_batch_sampler and self.batch_sampler is not None:
            return f"DataLoader({self.dataset!r}, batch_sampler={self.batch_sampler!r})"
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"sampler={self.sampler!r}, drop_last={self.drop_last})"
        )
