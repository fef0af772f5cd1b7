"""Samplers: which examples make up one epoch, in what order, and how they are cut into batches.

torch.utils.data's samplers, on numpy:

* :class:`SequentialSampler` — ``0, 1, …, n-1``: every example once, in order.
* :class:`RandomSampler` — a uniformly random permutation: every example exactly once per epoch
  (``shuffle=True`` in the loader).
* :class:`WithReplacementSampler` — the lecture's SGD step "pick i ∈ [n] uniformly at random",
  repeated ``num_samples`` times independently: an example may appear several times or not at all.
* :class:`SubsetRandomSampler` — a random permutation of given indices (a part of a dataset).
* :class:`WeightedRandomSampler` — draws with probabilities proportional to given weights.
* :class:`BatchSampler` — any of these (or any iterable of indices) cut into consecutive lists of
  ``batch_size`` indices: the loader's batches.

A sampler hands over an epoch in one of two ways. A sampler that can draw it whole does so as one
int64 array (:meth:`Sampler.indices`), which is cut into batches by slicing; any other iterable is
read lazily, ``batch_size`` indices at a time, as torch does, so an endless sampler works.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sized
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.data.datasets import _as_indices
from tinygrad_ed.random import GeneratorLike
from tinygrad_ed.tensor import Tensor

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "WithReplacementSampler",
]


def _length(fn: str, data_source: int | Sized) -> int:
    """Accept either a dataset (anything with ``len``) or its length, as an int ≥ 0."""
    if isinstance(data_source, bool):
        raise TypeError(f"{fn}: expected a dataset or a non-negative int, got {data_source!r}")
    if isinstance(data_source, (int, np.integer)):
        n = int(data_source)
    elif hasattr(data_source, "__len__"):
        n = len(data_source)
    else:
        raise TypeError(
            f"{fn}: expected a dataset (with a length) or a non-negative int, got "
            f"{data_source!r} ({type(data_source).__name__})"
        )
    if n < 0:
        raise ValueError(f"{fn}: the number of examples must be non-negative, got {n}")
    return n


# ----------------------------------------------------------------------------- samplers


class Sampler:
    """One epoch's sequence of example indices (torch: ``torch.utils.data.Sampler``).

    Subclass it as in torch, defining ``__iter__`` (yielding ints) and ``__len__``; or, as the
    samplers here do, define :meth:`indices`, drawing a fresh epoch as an int64 array each call,
    which ``__iter__`` then yields as Python ints. The loader asks for :meth:`indices` unless a
    subclass overrides ``__iter__``, whose order then decides, as in torch.
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
        generator: GeneratorLike = None,
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
        generator: GeneratorLike = None,
    ) -> None:
        super().__init__(data_source, True, num_samples, seed=seed, generator=generator)


class SubsetRandomSampler(Sampler):
    """The given indices in a fresh random order each epoch (torch: ``SubsetRandomSampler``).

    An epoch is ``indices[π(0)], …, indices[π(m-1)]`` for a uniformly random permutation π of
    ``[m]``, ``m = len(indices)``: a random order over a chosen part of a dataset (say the
    training rows of a split). ``indices`` are integers (checked here; torch yields whatever it
    is given), repeats allowed; the loader checks they fit the dataset. They are kept as the
    int64 array ``subset`` (torch: ``indices``; here ``indices()`` draws an epoch, as for every
    sampler). Randomness as in :class:`RandomSampler` (``seed=`` or torch's ``generator=``, one
    or the other).
    """

    def __init__(
        self,
        indices: Iterable[int],
        *,
        seed: SeedLike = None,
        generator: GeneratorLike = None,
    ) -> None:
        name = type(self).__name__
        _check_iterable(name, "indices", indices)
        if seed is not None and generator is not None:
            raise ValueError(f"{name}: pass seed or generator, not both")
        self.subset: NDArray[np.int64] = _as_indices(name, indices)
        source = generator if generator is not None else seed
        self._generator = None if source is None else _rng(source, name)

    def indices(self) -> NDArray[np.int64]:
        rng = self._generator if self._generator is not None else _rng(None)
        return self.subset[rng.permutation(len(self.subset))]

    def __len__(self) -> int:
        return len(self.subset)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probabilities proportional to ``weights``
    (torch: ``WeightedRandomSampler``).

    With replacement (the default) each index is an independent draw, ``P(i) = wᵢ / Σⱼ wⱼ``:
    oversampling a rare class, say, with ``wᵢ = 1 / (count of i's class)``. Without
    replacement the draws are successive: each picks among the indices not yet drawn, with
    probabilities proportional to their weights, so ``num_samples`` may not exceed the number of
    positive weights (torch then returns zero-weight indices; here it is an error).

    As in torch, ``num_samples`` must be a positive int, ``replacement`` a bool (a ValueError
    for either) and ``weights`` a 1-d sequence; the weights must be finite, non-negative and not
    all 0 (checked here, where torch's ``multinomial`` refuses them only at iteration).
    Randomness as in :class:`RandomSampler` (``seed=`` or torch's ``generator=``).
    """

    def __init__(
        self,
        weights: Any,
        num_samples: int,
        replacement: bool = True,
        *,
        seed: SeedLike = None,
        generator: GeneratorLike = None,
    ) -> None:
        name = type(self).__name__
        if (
            isinstance(num_samples, (bool, np.bool_))
            or not isinstance(num_samples, (int, np.integer))
            or num_samples <= 0
        ):
            raise ValueError(
                f"{name}: num_samples should be a positive integer value, got "
                f"num_samples={num_samples!r}"
            )
        if not isinstance(replacement, (bool, np.bool_)):
            raise ValueError(
                f"{name}: replacement should be a boolean value, got replacement={replacement!r}"
            )
        w = weights.data if isinstance(weights, Tensor) else np.asarray(weights)
        if w.dtype.kind not in "biuf":
            raise TypeError(f"{name}: weights must be numbers, got dtype {w.dtype}")
        w = w.astype(np.float64)
        if w.ndim != 1:
            raise ValueError(
                f"{name}: weights should be a 1d sequence but given weights have shape {w.shape}"
            )
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(f"{name}: weights must be finite and non-negative, got {w.tolist()}")
        positive = int((w > 0).sum())
        if positive == 0:
            raise ValueError(f"{name}: the weights sum to 0 (got {w.tolist()}); nothing to draw")
        if not replacement and num_samples > positive:
            raise ValueError(
                f"{name}: cannot draw {num_samples} samples without replacement from "
                f"{positive} indices of positive weight"
            )
        if seed is not None and generator is not None:
            raise ValueError(f"{name}: pass seed or generator, not both")
        self.weights = w
        self.num_samples = int(num_samples)
        self.replacement = bool(replacement)
        source = generator if generator is not None else seed
        self._generator = None if source is None else _rng(source, name)

    def indices(self) -> NDArray[np.int64]:
        rng = self._generator if self._generator is not None else _rng(None)
        p = self.weights / self.weights.max()  # no overflow in the sum for huge weights
        p /= p.sum()
        draw = rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        return np.asarray(draw, dtype=np.int64)

    def __len__(self) -> int:
        return self.num_samples


# ----------------------------------------------------------------------------- batches


def _check_batching(fn: str, batch_size: Any, drop_last: Any) -> None:
    """torch's checks of a batch size and a drop_last flag; ``fn`` names the caller.

    torch raises ValueError for both; here a wrong type is a TypeError, as everywhere in the
    package, and a non-positive batch size a ValueError.
    """
    if isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(
            f"{fn}: batch_size must be a positive int, got {batch_size!r} "
            f"({type(batch_size).__name__})"
        )
    if batch_size < 1:
        raise ValueError(f"{fn}: batch_size must be at least 1, got {batch_size}")
    if not isinstance(drop_last, (bool, np.bool_)):
        raise TypeError(
            f"{fn}: drop_last must be a bool, got {drop_last!r} ({type(drop_last).__name__})"
        )


def _check_iterable(fn: str, what: str, source: Any) -> None:
    """Refuse early what cannot be iterated (``sampler=10`` for ``range(10)``, say)."""
    if isinstance(source, (str, bytes)) or not (
        hasattr(source, "__iter__") or hasattr(source, "__getitem__")
    ):
        raise TypeError(
            f"{fn}: {what} must be an iterable of indices (a Sampler, a list, a range, …), got "
            f"{source!r} ({type(source).__name__})"
        )


def _sized(fn: str, what: str, source: Any) -> int:
    """``len(source)``, or a TypeError saying who needed it: torch's samplers need not be sized,
    and only ``len(loader)`` asks."""
    try:
        return len(source)
    except TypeError as err:
        raise TypeError(
            f"{fn}: len() needs the length of its {what}, and {type(source).__name__} has none "
            f"({err})"
        ) from None


def _epoch(sampler: Iterable[Any], fn: str) -> NDArray[np.int64] | Iterator[Any]:
    """One epoch of ``sampler``: the whole int64 array when it comes at once (a Sampler that
    iterates by its :meth:`~Sampler.indices`, an integer array), else an iterator over what it
    yields, to be read lazily.

    A sampler's own ``__iter__`` decides the order, as in torch: a subclass overriding it is
    iterated even if its base class could draw the whole array.
    """
    if isinstance(sampler, Sampler) and type(sampler).__iter__ is Sampler.__iter__:
        return _as_indices(type(sampler).__name__, sampler.indices())
    if isinstance(sampler, np.ndarray):
        return _as_indices(fn, sampler)
    return iter(sampler)


def _cut(
    sampler: Iterable[Any], batch_size: int, drop_last: bool, fn: str
) -> Iterator[NDArray[np.int64]]:
    """One epoch of ``sampler`` as consecutive int64 arrays of ``batch_size`` indices (the last
    one shorter, or left out with ``drop_last``). Errors name ``fn``, or the sampler's class."""
    epoch = _epoch(sampler, fn)
    if isinstance(epoch, np.ndarray):
        stop = len(epoch) - (len(epoch) % batch_size if drop_last else 0)
        for start in range(0, stop, batch_size):
            yield epoch[start : start + batch_size]
        return
    name = type(sampler).__name__ if isinstance(sampler, Sampler) else fn
    start = 0
    while chunk := list(itertools.islice(epoch, batch_size)):
        if drop_last and len(chunk) < batch_size:
            return
        yield _as_indices(name, chunk, start=start)
        start += batch_size


class BatchSampler(Sampler):
    """Another sampler's indices in consecutive batches (torch: ``BatchSampler``).

    ``list(BatchSampler(SequentialSampler(10), batch_size=3, drop_last=False))`` is
    ``[[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]``; with ``drop_last=True`` the short last batch is
    left out. ``sampler`` is any iterable of integer indices (a :class:`Sampler`, a list, a
    range, an array), read afresh for every epoch. ``len`` is the number of batches,
    ``⌈m / batch_size⌉``, or ``⌊m / batch_size⌋`` with ``drop_last``, where ``m = len(sampler)``.

    Give it to the loader as ``DataLoader(dataset, batch_sampler=…)``; the loader builds one
    itself from ``batch_size``, ``sampler``/``shuffle`` and ``drop_last`` otherwise.
    As in torch, ``batch_size`` must be a positive int and ``drop_last`` a bool (a wrong type is
    a TypeError here, a ValueError in torch). Unlike torch, which passes on whatever the sampler
    yields, every index is checked to be an integer.
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        _check_batching("BatchSampler", batch_size, drop_last)
        _check_iterable("BatchSampler", "sampler", sampler)
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)

    def _batches(self, fn: str = "BatchSampler") -> Iterator[NDArray[np.int64]]:
        """One epoch's batches as int64 arrays (the loader's path; no lists of Python ints)."""
        return _cut(self.sampler, self.batch_size, self.drop_last, fn)

    def __iter__(self) -> Iterator[list[int]]:  # type: ignore[override]
        return (batch.tolist() for batch in self._batches())

    def indices(self) -> NDArray[np.int64]:
        raise TypeError(
            "BatchSampler yields batches of indices, not single indices: give it to the "
            "DataLoader as batch_sampler=, or as sampler= with batch_size=None"
        )

    def __len__(self) -> int:
        m = _sized("BatchSampler", "sampler", self.sampler)
        return m // self.batch_size if self.drop_last else -(-m // self.batch_size)

    def __repr__(self) -> str:
        return (
            f"BatchSampler({self.sampler!r}, batch_size={self.batch_size}, "
            f"drop_last={self.drop_last})"
        )
