"""Splitting a dataset and standardizing its features.

Both take numpy arrays (a Tensor is accepted too: its ``.data`` is used) and return numpy arrays;
they run once before training, so the Tensors are usually made afterwards.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.data.loader import _to_numpy


def _n_test(n: int, test_size: float | None) -> int:
    """How many of ``n`` examples go to the test set; both sides must be non-empty."""
    if test_size is None:
        test_size = 0.25  # scikit-learn's default when neither test_size nor train_size is given
    if isinstance(test_size, bool) or not isinstance(test_size, Real):
        raise TypeError(
            f"train_test_split: test_size must be a float, an int or None, got {test_size!r}"
        )
    if isinstance(test_size, (int, np.integer)):
        n_test = int(test_size)
    elif 0 < test_size < 1:
        # Rounded up, as in scikit-learn: a fraction never leaves the test set empty.
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(
            f"train_test_split: a fractional test_size must lie in (0, 1), got {test_size}"
        )
    if not 0 < n_test < n:
        raise ValueError(
            f"train_test_split: test_size={test_size} leaves {n_test} test and {n - n_test} "
            f"training examples out of {n}; both must be at least 1"
        )
    return n_test


def _stratified_test_counts(class_sizes: NDArray[np.int64], n_test: int) -> NDArray[np.int64]:
    """Per-class test counts summing to ``n_test``, each within 1 of ``n_test·n_c/n``.

    Largest remainder: every class gets ``⌊n_test·n_c/n⌋``, and the ``L`` examples still missing go
    to the ``L`` classes with the largest fractional parts. Exact integer arithmetic; ties go to
    the earlier class. A class never gets more than it has: a +1 only goes to a class with a
    positive fractional part, whose floor is below ``n_test·n_c/n ≤ n_c``.
    """
    n = int(class_sizes.sum())
    quota, remainder = np.divmod(n_test * class_sizes, n)
    missing = n_test - int(quota.sum())
    winners = np.argsort(-remainder, kind="stable")[:missing]
    quota[winners] += 1
    return quota.astype(np.int64)


def train_test_split(
    X: ArrayLike,
    y: ArrayLike,
    *,
    test_size: float | None = 0.25,
    seed: SeedLike = None,
    stratify: bool | ArrayLike | None = None,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Randomly split ``(X, y)`` into ``(X_train, X_test, y_train, y_test)`` along the first axis.

    ``test_size`` is a fraction in (0, 1) (rounded up), a count, or None for 0.25.
    ``stratify=y`` (or ``True``) keeps every class's share in the test set within one example of
    the overall ``test_size`` (largest-remainder rounding); pass any other label array of length
    ``n`` to stratify by it. Every class needs at least 2 members, as in scikit-learn.
    Both sides are shuffled. scikit-learn: ``train_test_split(X, y, test_size=…,
    random_state=…, stratify=y)``.
    """
    X_, y_ = _to_numpy(X), _to_numpy(y)
    if X_.ndim == 0 or y_.ndim == 0 or X_.shape[0] != y_.shape[0]:
        raise ValueError(
            f"train_test_split: X and y need the same number of rows, got shapes "
            f"{X_.shape} and {y_.shape}"
        )
    n = X_.shape[0]
    n_test = _n_test(n, test_size)
    rng = _rng(seed)
    if stratify is None or stratify is False:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        groups = y_ if stratify is True else _to_numpy(stratify)
        if groups.shape[:1] != (n,):
            raise ValueError(
                f"train_test_split: stratify needs one label per row ({n}), got shape "
                f"{groups.shape}"
            )
        # axis=0 only for rows of labels (one-hot, say): it rejects object arrays of strings.
        axis = 0 if groups.ndim > 1 else None
        classes, group_of, sizes = np.unique(
            groups, return_inverse=True, return_counts=True, axis=axis
        )
        if sizes.min() < 2:
            # A lone member can only go to one side; scikit-learn refuses rather than guess.
            raise ValueError(
                f"train_test_split: the least populated class in "
                f"{'y' if stratify is True else 'stratify'} has only 1 member, which is too few "
                f"to stratify (every class needs at least 2); classes with 1 member: "
                f"{classes[sizes < 2].tolist()}"
            )
        group_of = group_of.reshape(-1)
        counts = _stratified_test_counts(sizes.astype(np.int64), n_test)
        test_parts, train_parts = [], []
        for g, k in enumerate(counts):
            members = rng.permutation(np.flatnonzero(group_of == g))
            test_parts.append(members[:k])
            train_parts.append(members[k:])
        # Shuffle across classes too, so neither side is sorted by label.
        test = rng.permutation(np.concatenate(test_parts))
        train = rng.permutation(np.concatenate(train_parts))
    return X_[train], X_[test], y_[train], y_[test]


def _float_dtype(X: NDArray[Any]) -> np.dtype[Any]:
    """The dtype of a result computed from ``X``: float inputs keep theirs, others get float64."""
    return X.dtype if np.issubdtype(X.dtype, np.floating) else np.dtype(np.float64)


def _reject_inf(fn: str, X: NDArray[Any]) -> None:
    """Raise a ValueError naming the columns of ``X`` (rows × features) that hold ±inf.

    An infinite value has no mean or standard deviation (scikit-learn raises too). NaN is allowed:
    it marks a missing value.
    """
    inf = np.isinf(np.atleast_1d(X))
    if inf.any():
        columns = np.flatnonzero(inf.reshape(len(inf), -1).any(axis=0)).tolist()
        raise ValueError(
            f"{fn}: column(s) {columns} of X hold inf; standardizing needs finite values "
            f"(NaN, for a missing value, is allowed)"
        )


class Standardizer:
    """Per-feature affine rescaling to zero mean and unit variance, fitted on training data.

    ``fit`` stores ``μ = mean(X, axis=0)`` and ``σ = std(X, axis=0)`` (population std, in
    float64); ``transform`` returns ``(X - μ) / σ``. Statistics come from the training set only,
    so no information leaks from the test set.

    A constant feature gets ``σ = 1`` so it maps to 0 instead of NaN/inf (the border pixels of the
    digits are always 0). "Constant" is scikit-learn's relative test: with ``n`` rows, variance
    ``v``, mean ``μ`` and ``ε`` the float64 machine epsilon, a feature is constant when

        ``v ≤ n·ε·v + (n·μ·ε)²``,

    the rounding error of the two-pass variance (Chan, Golub & LeVeque). It is scale-free: a
    feature varying on the scale of 1e-19 is standardized, a constant column of 1e6 is not.

    NaN marks a missing value, as in scikit-learn: ``fit`` ignores it (``n`` counts the rest of
    the column) and ``transform`` passes it through. ±inf raises a ValueError naming the column.
    ``transform`` and ``inverse_transform`` keep a float input's dtype; integers become float64.
    scikit-learn: ``StandardScaler``; torch has no built-in equivalent.
    """

    def __init__(self) -> None:
        self.mean: NDArray[np.float64] | None = None
        self.scale: NDArray[np.float64] | None = None

    def fit(self, X: ArrayLike) -> Standardizer:
        X_ = _to_numpy(X)
        if X_.ndim == 0 or X_.shape[0] == 0:
            raise ValueError(f"Standardizer.fit: needs at least one row, got shape {X_.shape}")
        data = X_.astype(np.float64)
        _reject_inf("Standardizer.fit", data)
        # nanmean/nanvar skip missing values; an all-NaN column gets NaN statistics (and numpy's
        # "empty slice" warning), as in scikit-learn.
        n = np.sum(~np.isnan(data), axis=0)
        self.mean = np.nanmean(data, axis=0)
        var = np.nanvar(data, axis=0)
        # sklearn's _is_constant_feature (class docstring): relative, so no feature is too small.
        eps = np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * self.mean * eps) ** 2
        self.scale = np.where(constant, 1.0, np.sqrt(var))
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.floating[Any]]:
        if self.mean is None or self.scale is None:
            raise RuntimeError("Standardizer.transform: call fit first")
        X_ = _to_numpy(X)
        if X_.shape[1:] != self.mean.shape:
            raise ValueError(
                f"Standardizer.transform: fitted on rows of shape {self.mean.shape}, "
                f"got an array of shape {X_.shape}"
            )
        _reject_inf("Standardizer.transform", X_)
        return ((X_ - self.mean) / self.scale).astype(_float_dtype(X_), copy=False)

    def fit_transform(self, X: ArrayLike) -> NDArray[np.floating[Any]]:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: ArrayLike) -> NDArray[np.floating[Any]]:
        if self.mean is None or self.scale is None:
            raise RuntimeError("Standardizer.inverse_transform: call fit first")
        Z_ = _to_numpy(Z)
        _reject_inf("Standardizer.inverse_transform", Z_)
        return (Z_ * self.scale + self.mean).astype(_float_dtype(Z_), copy=False)


def standardize(X_train: ArrayLike, *others: ArrayLike) -> tuple[NDArray[np.floating[Any]], ...]:
    """Standardize ``X_train`` with its own statistics and every other array with the same ones.

    ``X_train, X_test = standardize(X_train, X_test)``. See :class:`Standardizer`.
    """
    scaler = Standardizer().fit(X_train)
    return tuple(scaler.transform(X) for X in (X_train, *others))
