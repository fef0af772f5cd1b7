"""Datasets and minibatching: the part of ``torch.utils.data`` a course needs, on numpy.

* ``datasets``: :class:`Dataset`, :class:`TensorDataset`, :class:`Subset`,
  :class:`ConcatDataset`, :class:`StackDataset`, :func:`random_split`, the iterable-style
  :class:`IterableDataset` and :class:`ChainDataset`, and :func:`get_worker_info`.
* ``samplers``: :class:`SequentialSampler`, :class:`RandomSampler`,
  :class:`WithReplacementSampler`, :class:`SubsetRandomSampler`,
  :class:`WeightedRandomSampler` and :class:`BatchSampler`.
* ``collation``: :func:`collate` (a batch of examples; also torch's name ``default_collate``) and
  :func:`default_convert` (one example).
* ``loader``: :class:`DataLoader`.
* ``digits``: :func:`load_digits`, the real UCI handwritten digits, shipped with the package.
* ``synthetic``: 2-D playground problems :func:`circles`, :func:`xor`, :func:`gaussians`,
  :func:`spiral`, :func:`moons`.
* ``preprocessing``: :func:`train_test_split`, :class:`Standardizer`, :func:`standardize`.

Randomness everywhere takes ``seed``: an int (reproducible), a tg or numpy Generator (shared
state), or None for the library generator reseeded by ``tinygrad_ed.manual_seed``.

A typical pipeline::

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0, stratify=True)
    X_train, X_test = standardize(X_train, X_test)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True, seed=0)
    for xb, yb in loader:
        ...
"""

from __future__ import annotations

from tinygrad_ed.data._random import SeedLike
from tinygrad_ed.data.collation import collate, default_convert
from tinygrad_ed.data.datasets import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    get_worker_info,
    random_split,
)
from tinygrad_ed.data.digits import load_digits
from tinygrad_ed.data.loader import DataLoader
from tinygrad_ed.data.preprocessing import Standardizer, standardize, train_test_split
from tinygrad_ed.data.samplers import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
    WithReplacementSampler,
)
from tinygrad_ed.data.synthetic import circles, gaussians, moons, spiral, xor

default_collate = collate  # torch's name (its sequences come back as lists, here as tuples)

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SeedLike",
    "SequentialSampler",
    "StackDataset",
    "Standardizer",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WithReplacementSampler",
    "circles",
    "collate",
    "default_collate",
    "default_convert",
    "gaussians",
    "get_worker_info",
    "load_digits",
    "moons",
    "random_split",
    "spiral",
    "standardize",
    "train_test_split",
    "xor",
]
