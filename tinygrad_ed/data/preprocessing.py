"""Splitting a dataset and standardizing its features.

Both take numpy arrays (a Tensor is accepted too: its ``.data`` is used) and return numpy arrays;
they run once before training, so the Tensors are usually made afterwards.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tinygrad_ed.data._random import SeedLike, _rng
from tinygrad_ed.data.datasets import _to_numpy


def _size(name: str, size: float | None) -> float | int | None:
    """Check one of ``test_size``/``train_size``: None, an int count or a float fraction."""
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, Real):
        raise TypeError(f"train_test_split: {name} must be a float, an int or None, got {size!r}")
    if isinstance(size, (int, np.integer)):
        return int(size)
    if not 0 < size < 1:
        raise ValueError(f"train_test_split: a fractional {name} must lie in (0, 1), got {size}")
    return float(size)


def _split_sizes(n: int, test_size: float | None, train_size: float | None) -> tuple[int, int]:
    """``(n_train, n_test)`` from scikit-learn's rules; both must be at least 1.

    A fractional test size is rounded up, a fractional train size down, so a fraction never
    leaves the test set empty; a missing size is the complement of the other, and both missing
    means ``test_size = 0.25``. Given both, they may add up to less than ``n``: the rest of the
    examples are left out, as in scikit-learn.
    """
    test, train = _size("test_size", test_size), _size("train_size", train_size)
    if test is None and train is None:
        test = 0.25  # scikit-learn's default when neither test_size nor train_size is given
    if isinstance(test, float) and isinstance(train, float) and test + train > 1:
        raise ValueError(
            f"train_test_split: test_size + train_size = {test + train} should be at most 1"
        )
    n_test = None if test is None else (math.ceil(test * n) if isinstance(test, float) else test)
    n_train = (
        None if train is None else (math.floor(train * n) if isinstance(train, float) else train)
    )
    if n_train is None:
        n_train = n - (n_test or 0)
    if n_test is None:
        n_test = n - n_train
    if n_test < 1 or n_train < 1 or n_test + n_train > n:
        given = f"test_size={test_size}" + (
            "" if train_size is None else f", train_size={train_size}"
        )
        raise ValueError(
            f"train_test_split: {given} leaves {n_test} test and {n_train} training examples "
            f"out of {n}; both must be at least 1 and together at most {n}"
        )
    return n_train, n_test


def _stratified_counts(class_sizes: NDArray[np.int64], k: int) -> NDArray[np.int64]:
    """Per-class counts summing to ``k``, each within 1 of ``k·n_c/n``.

    Largest remainder: every class gets ``⌊k·n_c/n⌋``, and the ``L`` examples still missing go
    to the ``L`` classes with the largest fractional parts. Exact integer arithmetic; ties go to
    the earlier class. A class never gets more than it has: a +1 only goes to a class with a
    positive fractional part, whose floor is below ``k·n_c/n ≤ n_c``.
    """
    n = int(class_sizes.sum())
    quota, remainder = np.divmod(k * class_sizes, n)
    missing = k - int(quota.sum())
    winners = np.argsort(-remainder, kind="stable")[:missing]
    quota[winners] += 1
    return quota.astype(np.int64)


def train_test_split(
    *arrays: ArrayLike,
    test_size: float | None = None,
    train_size: float | None = None,
    random_state: SeedLike = None,
    shuffle: bool = True,
    stratify: bool | ArrayLike | None = None,
    seed: SeedLike = None,
) -> tuple[NDArray[Any], ...]:
    """Randomly split each array into a training and a test part along the first axis.

    ``X_train, X_test, y_train, y_test = train_test_split(X, y)``: any number of arrays with the
    same number of rows, all split by the same rows, giving ``(a_train, a_test)`` for each array
    in order (a single array gives a pair). numpy arrays, Tensors and lists are accepted;
    the parts are numpy arrays.

    ``test_size`` is a fraction in (0, 1) (rounded up) or a count; ``train_size`` likewise
    (a fraction rounded down). One missing is the complement of the other; both missing mean
    ``test_size=0.25``. ``stratify=y`` (or ``True``: the second array, ``y``) keeps every
    class's share in the test set within one example of the overall ``test_size``
    (largest-remainder rounding); pass any other label array of length ``n`` to stratify by it.
    As in scikit-learn, every class needs at least 2 members, and the test and the training set
    at least one example per class.
    Both sides are shuffled; ``shuffle=False`` instead takes the first ``n_train`` rows for
    training and the next ``n_test`` for testing (it cannot be stratified).
    Randomness: ``random_state`` or its package name ``seed`` (an int, a numpy Generator, or None
    for the library generator set by ``tinygrad_ed.manual_seed``); pass one or the other.

    scikit-learn: ``train_test_split(*arrays, test_size=…, train_size=…, random_state=…,
    shuffle=…, stratify=y)`` (which returns a list, and lists for lists).
    """
    if not arrays:
        raise ValueError("train_test_split: needs at least one array to split")
    data = [_to_numpy(a) for a in arrays]
    for i, a in enumerate(data):
        if a.ndim == 0:
            raise ValueError(
                f"train_test_split: array {i} is 0-d (a single value {a!r}), which has no rows "
                f"to split"
            )
    lengths = [a.shape[0] for a in data]
    if len(set(lengths)) > 1:
        shapes = ", ".join(str(a.shape) for a in data)
        raise ValueError(
            f"train_test_split: all arrays need the same number of rows, got lengths {lengths} "
            f"(shapes {shapes})"
        )
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"train_test_split: shuffle must be a bool, got {shuffle!r}")
    if seed is not None and random_state is not None:
        raise ValueError("train_test_split: pass random_state or seed, not both")
    if stratify is True and len(data) < 2:
        raise ValueError(
            "train_test_split: stratify=True stratifies by y, the second array, but only one "
            "array was given; pass the labels themselves: stratify=labels"
        )
    n = lengths[0]
    n_train, n_test = _split_sizes(n, test_size, train_size)
    stratified = not (stratify is None or stratify is False)
    if not shuffle:
        if stratified:
            raise ValueError(
                "train_test_split: a stratified split needs shuffle=True (as in scikit-learn)"
            )
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        name = "seed" if seed is not None else "random_state"
        rng = _rng(seed if seed is not None else random_state, "train_test_split", name)
        if not stratified:
            order = rng.permutation(n)
            test, train = order[:n_test], order[n_test : n_test + n_train]
        else:
            groups = data[1] if stratify is True else _to_numpy(stratify)
            what = "y" if stratify is True else "stratify"
            train, test = _stratified_split(groups, what, n, n_train, n_test, rng)
    return tuple(part for a in data for part in (a[train], a[test]))


def _stratified_split(
    groups: NDArray[Any], what: str, n: int, n_train: int, n_test: int, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row indices ``(train, test)`` keeping each class's share (see :func:`train_test_split`);
    ``groups`` holds one label per row, ``what`` names it in errors."""
    if groups.shape[:1] != (n,):
        raise ValueError(
            f"train_test_split: stratify needs one label per row ({n}), got shape {groups.shape}"
        )
    # axis=0 only for rows of labels (one-hot, say): it rejects object arrays of strings.
    axis = 0 if groups.ndim > 1 else None
    classes, group_of, sizes = np.unique(groups, return_inverse=True, return_counts=True, axis=axis)
    if sizes.min() < 2:
        # A lone member can only go to one side; scikit-learn refuses rather than guess.
        raise ValueError(
            f"train_test_split: the least populated class in {what} has only 1 member, which is "
            f"too few to stratify (every class needs at least 2); classes with 1 member: "
            f"{classes[sizes < 2].tolist()}"
        )
    # Fewer rows than classes would drop a class from one side; scikit-learn's messages.
    for side, size in (("train_size", n_train), ("test_size", n_test)):
        if size < len(classes):
            raise ValueError(
                f"train_test_split: the {side} = {size} should be greater or equal to the "
                f"number of classes = {len(classes)}"
            )
    group_of = group_of.reshape(-1)
    test_counts = _stratified_counts(sizes.astype(np.int64), n_test)
    # The training share comes from what the test set left; all of it unless train_size asks
    # for fewer.
    train_counts = _stratified_counts(sizes - test_counts, n_train)
    test_parts, train_parts = [], []
    for g, (k, m) in enumerate(zip(test_counts, train_counts)):
        members = rng.permutation(np.flatnonzero(group_of == g))
        test_parts.append(members[:k])
        train_parts.append(members[k : k + m])
    # Shuffle across classes too, so neither side is sorted by label.
    test = rng.permutation(np.concatenate(test_parts))
    train = rng.permutation(np.concatenate(train_parts))
    return train, test


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

    the rounding error of the two-pass variance (Chan, Golub & LeVeque), computed with its
    correction term as scikit-learn does, so the two agree near the threshold. It is scale-free: a
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
        # scikit-learn's corrected two-pass variance (Chan, Golub & LeVeque), NaNs skipped:
        # v = (Σd² - (Σd)²/n)/n with d = x - μ. The correction (Σd)²/n removes most of the
        # rounding error in μ, so the constant test below decides exactly as StandardScaler does.
        # An all-NaN column gets n = 0 and NaN statistics (numpy's "invalid value" warning).
        missing = np.isnan(data)
        # (numpy's nansum copies the array to zero its NaNs: the plain sums when there are none)
        total = np.nansum if missing.any() else np.sum
        n = (len(data) - np.sum(missing, axis=0)).astype(np.float64)
        self.mean = total(data, axis=0) / n
        d = data - self.mean
        var = (total(d * d, axis=0) - total(d, axis=0) ** 2 / n) / n
        # sklearn's _is_constant_feature (class docstring): relative, so no feature is too small.
        eps = np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * self.mean * eps) ** 2
        self.scale = np.where(constant, 1.0, np.sqrt(var))
        return self

    def _check(
        self, fn: str, X: ArrayLike
    ) -> tuple[NDArray[Any], NDArray[np.float64], NDArray[np.float64]]:
        """``X`` as an array whose rows have the fitted shape, with the fitted mean and scale."""
        if self.mean is None or self.scale is None:
            raise RuntimeError(f"Standardizer.{fn}: call fit first")
        X_ = _to_numpy(X)
        if X_.shape[1:] != self.mean.shape:
            rows = "(n" + "".join(f", {s}" for s in self.mean.shape) + ")"
            # A single row passed on its own is the usual cause; say so instead of repeating it.
            hint = " (one row? pass X.reshape(1, -1))" if X_.shape == self.mean.shape else ""
            raise ValueError(
                f"Standardizer.{fn}: fitted on rows of shape {self.mean.shape}, so X must have "
                f"shape {rows}, got an array of shape {X_.shape}{hint}"
            )
        _reject_inf(f"Standardizer.{fn}", X_)
        return X_, self.mean, self.scale

    def transform(self, X: ArrayLike) -> NDArray[np.floating[Any]]:
        X_, mean, scale = self._check("transform", X)
        return ((X_ - mean) / scale).astype(_float_dtype(X_), copy=False)

    def fit_transform(self, X: ArrayLike) -> NDArray[np.floating[Any]]:
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: ArrayLike) -> NDArray[np.floating[Any]]:
        Z_, mean, scale = self._check("inverse_transform", Z)
        return (Z_ * scale + mean).astype(_float_dtype(Z_), copy=False)


def standardize(X_train: ArrayLike, *others: ArrayLike) -> tuple[NDArray[np.floating[Any]], ...]:
    """Standardize ``X_train`` with its own statistics and every other array with the same ones.

    ``X_train, X_test = standardize(X_train, X_test)``. See :class:`Standardizer`.
    """
    scaler = Standardizer().fit(X_train)
    return tuple(scaler.transform(X) for X in (X_train, *others))
