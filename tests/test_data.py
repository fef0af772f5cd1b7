"""Tests for tinygrad_ed.data: loader and samplers, shipped digits, toy 2-D data, preprocessing."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_ed
from tinygrad_ed.data import (
    DataLoader,
    RandomSampler,
    SequentialSampler,
    Standardizer,
    TensorDataset,
    WithReplacementSampler,
    circles,
    collate,
    gaussians,
    load_digits,
    moons,
    spiral,
    standardize,
    train_test_split,
    xor,
)
from tinygrad_ed.tensor import Tensor

# Small, bounded example counts: these run in CI on every commit.
quick = settings(max_examples=30, deadline=None)


def _rows(n: int) -> TensorDataset:
    """A dataset whose example i is (i, 2i), so batches reveal which examples they hold."""
    x = np.arange(n, dtype=np.int64)
    return TensorDataset(x, 2 * x)


def _epoch(loader: DataLoader) -> list[np.ndarray]:
    """One pass over a loader of `_rows`-style data: the x field of each batch, pairs checked."""
    batches = []
    for xb, yb in loader:
        assert isinstance(xb, Tensor) and isinstance(yb, Tensor)
        np.testing.assert_array_equal(yb.data, 2 * xb.data)  # fields stay aligned
        batches.append(xb.data)
    return batches


class _ListDataset:
    """A plain map-style dataset (not a TensorDataset): exercises the per-example path."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> tuple[int, int]:
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i, 2 * i


# ----------------------------------------------------------------------------- epochs


@quick
@given(
    n=st.integers(0, 60),
    batch_size=st.integers(1, 20),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_example_once_per_epoch(
    n: int, batch_size: int, shuffle: bool, drop_last: bool, seed: int
) -> None:
    if n == 0 and shuffle:  # torch's RandomSampler refuses an empty dataset
        with pytest.raises(ValueError, match="num_samples should be a positive integer"):
            DataLoader(_rows(n), batch_size=batch_size, shuffle=True, seed=seed)
        return
    loader = DataLoader(
        _rows(n), batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, seed=seed
    )
    for _ in range(2):  # a second epoch must again be complete
        batches = _epoch(loader)
        assert len(batches) == len(loader)
        full, rest = divmod(n, batch_size)
        sizes = [len(b) for b in batches]
        assert sizes == [batch_size] * full + ([rest] if rest and not drop_last else [])
        seen = np.concatenate(batches) if batches else np.zeros(0, dtype=np.int64)
        assert len(np.unique(seen)) == len(seen)  # no example twice
        if not drop_last:
            np.testing.assert_array_equal(np.sort(seen), np.arange(n))
        if not shuffle:
            np.testing.assert_array_equal(seen, np.arange(len(seen)))


@pytest.mark.parametrize(("n", "batch_size", "drop_last", "expected"), [
    (10, 3, False, 4), (10, 3, True, 3), (9, 3, False, 3), (9, 3, True, 3),
    (2, 5, False, 1), (2, 5, True, 0), (0, 4, False, 0), (1, 1, True, 1),
])  # fmt: skip
def test_len_counts_batches(n: int, batch_size: int, drop_last: bool, expected: int) -> None:
    loader = DataLoader(_rows(n), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected == len(list(loader))


@quick
@given(n=st.integers(1, 40), batch_size=st.integers(1, 9), seed=st.integers(0, 1000))
def test_generic_dataset_matches_tensor_dataset_fast_path(
    n: int, batch_size: int, seed: int
) -> None:
    fast = _epoch(DataLoader(_rows(n), batch_size=batch_size, shuffle=True, seed=seed))
    slow = _epoch(DataLoader(_ListDataset(n), batch_size=batch_size, shuffle=True, seed=seed))
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype == np.int64


def test_batches_keep_dtypes_and_trailing_shapes() -> None:
    X = np.arange(24, dtype=np.float64).reshape(6, 2, 2)
    y = np.arange(6, dtype=np.int64)
    xb, yb = next(iter(DataLoader(TensorDataset(X, y), batch_size=4)))
    assert xb.shape == (4, 2, 2) and xb.data.dtype == np.float64
    assert yb.shape == (4,) and yb.data.dtype == np.int64
    np.testing.assert_array_equal(xb.data, X[:4])


def test_tensor_dataset_indexing_and_copies() -> None:
    X = np.arange(6, dtype=np.float64).reshape(3, 2)
    ds = TensorDataset(Tensor(X), np.array([0, 1, 2]))
    assert len(ds) == 3 and isinstance(ds[1], tuple)
    x1, y1 = ds[1]
    np.testing.assert_array_equal(x1.data, [2.0, 3.0])
    assert y1.data == 1 and y1.data.dtype == np.int64
    x1.data[0] = 99.0  # an example is a copy: editing it leaves the dataset alone
    assert ds.arrays[0][1, 0] == 2.0


def test_bare_examples_stack_into_one_tensor_as_torch() -> None:
    class Floats:
        def __len__(self) -> int:
            return 3

        def __getitem__(self, i: int) -> float:
            return float(i)

    batches = list(DataLoader(Floats(), batch_size=2))
    assert all(isinstance(b, tinygrad_ed.Tensor) for b in batches)
    np.testing.assert_array_equal(batches[0].data, [0.0, 1.0])
    assert batches[0].data.dtype == np.float64 and batches[1].shape == (1,)
    rows = tinygrad_ed.arange(12.0).reshape(4, 3)  # a tensor as the dataset: its rows
    first = next(iter(DataLoader(rows, batch_size=3)))
    assert isinstance(first, tinygrad_ed.Tensor) and first.tolist() == rows[:3].tolist()


# ----------------------------------------------------------------------------- samplers


def test_sequential_sampler() -> None:
    assert list(SequentialSampler(4)) == [0, 1, 2, 3]
    assert list(SequentialSampler(_rows(3))) == [0, 1, 2] and len(SequentialSampler(0)) == 0


@quick
@given(n=st.integers(1, 30), k=st.integers(1, 100), seed=st.integers(0, 1000))
def test_random_sampler_more_samples_than_examples(n: int, k: int, seed: int) -> None:
    # Without replacement, k > n concatenates permutations: counts differ by at most one.
    idx = RandomSampler(n, num_samples=k, seed=seed).indices()
    assert len(idx) == k
    counts = np.bincount(idx, minlength=n)
    assert counts.max() - counts.min() <= 1 and counts.sum() == k


def test_with_replacement_sampler_is_uniform() -> None:
    # Chi-square goodness of fit of the empirical frequencies to Uniform{0..n-1}. With a fixed
    # seed the test is deterministic; 27.88 is the 0.999 quantile of χ² with 9 degrees of freedom.
    n, k = 10, 50_000
    sampler = WithReplacementSampler(n, num_samples=k, seed=1234)
    idx = sampler.indices()
    assert len(sampler) == len(idx) == k and idx.dtype == np.int64
    assert idx.min() >= 0 and idx.max() < n
    counts = np.bincount(idx, minlength=n)
    chi2 = float(((counts - k / n) ** 2 / (k / n)).sum())
    assert chi2 < 27.88, counts


def test_with_replacement_repeats_and_misses() -> None:
    # n draws from n examples with replacement: expect about n(1 - 1/e) distinct examples.
    n = 1000
    idx = RandomSampler(n, replacement=True, seed=0).indices()
    distinct = len(np.unique(idx))
    assert abs(distinct - n * (1 - math.exp(-1))) < 50


def test_loader_with_sampler_uses_its_length() -> None:
    sampler = WithReplacementSampler(5, num_samples=13, seed=0)
    loader = DataLoader(_rows(5), batch_size=4, sampler=sampler)
    batches = _epoch(loader)
    assert len(loader) == len(batches) == 4 and sum(len(b) for b in batches) == 13
    # Any sized iterable of indices is a sampler.
    assert [b.tolist() for b in _epoch(DataLoader(_rows(5), batch_size=2, sampler=[4, 4, 0]))] == [
        [4, 4],
        [0],
    ]


# ----------------------------------------------------------------------------- reproducibility


def _orders(loader: DataLoader, epochs: int = 3) -> list[list[int]]:
    return [np.concatenate(_epoch(loader)).tolist() for _ in range(epochs)]


def test_seed_reproduces_the_sequence_of_epochs() -> None:
    a = _orders(DataLoader(_rows(50), batch_size=7, shuffle=True, seed=3))
    b = _orders(DataLoader(_rows(50), batch_size=7, shuffle=True, seed=3))
    c = _orders(DataLoader(_rows(50), batch_size=7, shuffle=True, seed=4))
    assert a == b and a != c
    assert a[0] != a[1]  # epochs are reshuffled


def test_generator_argument_shares_state() -> None:
    a = _orders(DataLoader(_rows(30), shuffle=True, generator=np.random.default_rng(5)))
    b = _orders(DataLoader(_rows(30), shuffle=True, seed=np.random.default_rng(5)))
    c = _orders(DataLoader(_rows(30), shuffle=True, seed=5))
    assert a == b == c


def test_manual_seed_drives_unseeded_shuffling() -> None:
    loader = DataLoader(_rows(40), batch_size=8, shuffle=True)
    tinygrad_ed.manual_seed(11)
    a = _orders(loader)
    tinygrad_ed.manual_seed(11)
    b = _orders(loader)
    tinygrad_ed.manual_seed(12)
    c = _orders(loader)
    assert a == b and a != c
    tinygrad_ed.manual_seed(11)
    first = train_test_split(np.arange(20), np.arange(20))
    tinygrad_ed.manual_seed(11)
    second = train_test_split(np.arange(20), np.arange(20))
    for u, v in zip(first, second, strict=True):
        np.testing.assert_array_equal(u, v)


# ----------------------------------------------------------------------------- digits


def test_digits_shapes_values_and_classes() -> None:
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.all(np.round(X) == X)
    np.testing.assert_array_equal(np.unique(y), np.arange(10))
    counts = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    np.testing.assert_array_equal(np.bincount(y), counts)
    # Border pixels that are always 0 are why standardization must not divide by std.
    assert (X.std(axis=0) == 0).sum() >= 1


def test_digits_file_is_small_and_unchanged() -> None:
    ref = resources.files("tinygrad_ed").joinpath("datasets/digits.npz")
    assert len(ref.read_bytes()) < 100_000
    with ref.open("rb") as fh, np.load(fh) as archive:
        images, labels = archive["images"], archive["labels"]
    assert images.dtype == labels.dtype == np.uint8
    digest = hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest()
    assert digest == "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"


def test_digits_variants() -> None:
    X, y = load_digits()
    images, _ = load_digits(images=True)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.reshape(1797, 64), X)
    Xt, yt = load_digits(as_tensor=True)
    assert isinstance(Xt, Tensor) and isinstance(yt, Tensor)
    assert Xt.data.dtype == np.float64 and yt.data.dtype == np.int64
    np.testing.assert_array_equal(yt.data, y)


def test_digits_do_not_need_scikit_learn() -> None:
    # A fresh interpreter where importing sklearn fails: loading must still work.
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from tinygrad_ed.data import load_digits\n"
        "X, y = load_digits(); assert X.shape == (1797, 64)\n"
    )
    # Run from the directory that holds the package, so it imports whether installed or not.
    root = Path(tinygrad_ed.__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_digits_match_scikit_learn() -> None:
    # A second opinion only: the shipped copy equals scikit-learn's, row for row.
    datasets = pytest.importorskip("sklearn.datasets")
    X_ref, y_ref = datasets.load_digits(return_X_y=True)
    X, y = load_digits()
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


# ----------------------------------------------------------------------------- 2-D generators

Generator = Callable[..., tuple[np.ndarray, np.ndarray]]
# (generator, number of classes, extra positional args)
GENERATORS: list[tuple[Generator, int, tuple[Any, ...]]] = [
    (circles, 2, ()),
    (xor, 2, ()),
    (moons, 2, ()),
    (gaussians, 2, ()),
    (gaussians, 4, (4,)),
    (spiral, 2, ()),
    (spiral, 3, (3,)),
]
GEN_IDS = [f"{g.__name__}-{k}" for g, k, _ in GENERATORS]


@pytest.mark.parametrize(("gen", "k", "args"), GENERATORS, ids=GEN_IDS)
@quick
@given(n=st.integers(0, 200), seed=st.integers(0, 2**32 - 1))
def test_generators_shapes_balance_and_seeds(
    gen: Generator, k: int, args: tuple[Any, ...], n: int, seed: int
) -> None:
    X, y = gen(n, *args, seed=seed)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.isfinite(X).all()
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.max() - counts.min() <= 1
    X2, y2 = gen(n, *args, seed=seed)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    if n >= 2:
        X3, _ = gen(n, *args, seed=seed + 1)
        assert not np.array_equal(X, X3)


@pytest.mark.parametrize(("gen", "k", "args"), GENERATORS, ids=GEN_IDS)
def test_generators_shuffle_rows_and_reject_bad_input(
    gen: Generator, k: int, args: tuple[Any, ...]
) -> None:
    _, y = gen(100, *args, seed=0)
    assert not np.all(np.diff(y) >= 0)  # classes are interleaved, not sorted
    name = gen.__name__
    with pytest.raises(ValueError, match=f"{name}: n must be non-negative, got -1"):
        gen(-1, *args)
    with pytest.raises(ValueError, match=f"{name}: noise"):
        gen(10, *args, noise=-0.1)
    with pytest.raises(TypeError, match=name):
        gen(2.5, *args)


@pytest.mark.parametrize(("gen", "k", "args"), GENERATORS, ids=GEN_IDS)
def test_generators_noise_none_means_no_noise(
    gen: Generator, k: int, args: tuple[Any, ...]
) -> None:
    # scikit-learn's make_moons/make_circles take noise=None (their default) for no noise.
    X, y = gen(20, *args, noise=None, seed=0)
    X0, y0 = gen(20, *args, noise=0.0, seed=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    with pytest.raises(TypeError, match=f"{gen.__name__}: noise must be a number"):
        gen(10, *args, noise="0.1")


def test_noise_free_geometry() -> None:
    X, y = circles(200, noise=0.0, factor=0.3, seed=0)
    np.testing.assert_allclose(np.hypot(*X.T), np.where(y == 0, 1.0, 0.3))
    X, y = xor(200, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    X, y = moons(200, noise=0.0, seed=0)
    centre = np.where((y == 0)[:, None], 0.0, np.array([1.0, 0.5]))
    np.testing.assert_allclose(np.hypot(*(X - centre).T), 1.0)
    X, y = spiral(300, 3, noise=0.0, seed=0)
    assert np.hypot(*X.T).max() <= 1.0
    X, y = gaussians(8, 4, noise=0.0, radius=2.0, seed=0)
    np.testing.assert_allclose(np.hypot(*X.T), 2.0)
    assert len({tuple(np.round(row, 9)) for row in X}) == 4  # one point per centre
    with pytest.raises(ValueError, match="n_classes"):
        spiral(10, 0)


# ----------------------------------------------------------------------------- split


@quick
@given(
    n=st.integers(2, 120),
    test_size=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_sizes_partition_and_seed(n: int, test_size: float, seed: int) -> None:
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    n_test = math.ceil(test_size * n)
    if not 0 < n_test < n:
        with pytest.raises(ValueError, match="train_test_split"):
            train_test_split(X, y, test_size=test_size, seed=seed)
        return
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, seed=seed)
    assert len(X_te) == len(y_te) == n_test and len(X_tr) == len(y_tr) == n - n_test
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)  # rows stay paired with labels
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_te])), y)
    again = train_test_split(X, y, test_size=test_size, seed=seed)
    np.testing.assert_array_equal(again[3], y_te)


@quick
@given(
    sizes=st.lists(st.integers(2, 40), min_size=1, max_size=6),
    test_size=st.floats(0.1, 0.9),
    seed=st.integers(0, 1000),
)
def test_split_stratified_keeps_class_shares(sizes: list[int], test_size: float, seed: int) -> None:
    y = np.repeat(np.arange(len(sizes)), sizes)
    n = len(y)
    n_test = math.ceil(test_size * n)
    if not 0 < n_test < n:
        return
    X = np.arange(n)
    if min(n_test, n - n_test) < len(sizes):  # a class would be missing from one side
        with pytest.raises(ValueError, match="should be greater or equal to the number of classes"):
            train_test_split(X, y, test_size=test_size, seed=seed, stratify=y)
        return
    X_tr, X_te, _, y_te = train_test_split(X, y, test_size=test_size, seed=seed, stratify=y)
    assert len(y_te) == n_test
    np.testing.assert_array_equal(y[X_te], y_te)
    np.testing.assert_array_equal(np.sort(np.concatenate([X_tr, X_te])), X)
    got = np.bincount(y_te, minlength=len(sizes))
    exact = n_test * np.array(sizes) / n
    assert np.all(np.abs(got - exact) < 1), (got, exact)


def test_split_stratified_digits() -> None:
    X, y = load_digits()
    *_, y_te = train_test_split(X, y, test_size=0.2, seed=0, stratify=True)
    assert len(y_te) == math.ceil(0.2 * 1797)
    np.testing.assert_array_less(np.abs(np.bincount(y_te) - 0.2 * np.bincount(y)), 1)


def test_split_errors() -> None:
    X, y = np.zeros((10, 3)), np.zeros(10)
    with pytest.raises(
        ValueError, match=r"train_test_split: .*lengths \[10, 9\] \(shapes \(10, 3\), \(9,\)\)"
    ):
        train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="in \\(0, 1\\)"):
        train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="both must be at least 1"):
        train_test_split(X, y, test_size=10)
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(X, y, stratify=np.zeros(4))
    X_tr, X_te, _, _ = train_test_split(X, y, test_size=3, seed=0)
    assert len(X_te) == 3 and len(X_tr) == 7


def test_split_test_size_none_is_a_quarter() -> None:
    # scikit-learn: test_size=None (with no train_size) means 0.25, rounded up.
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    got = train_test_split(X, y, test_size=None, seed=0)
    assert len(got[1]) == 3 and len(got[0]) == 7
    np.testing.assert_array_equal(got[3], train_test_split(X, y, seed=0)[3])
    with pytest.raises(TypeError, match="train_test_split: test_size must be"):
        train_test_split(X, y, test_size="0.3")  # type: ignore[arg-type]


def test_split_stratify_rejects_a_single_member_class() -> None:
    X, y = np.arange(10), np.array([0] * 9 + [7])
    with pytest.raises(ValueError, match=r"least populated class in y has only 1 member.*\[7\]"):
        train_test_split(X, y, test_size=3, seed=0, stratify=True)
    with pytest.raises(ValueError, match="least populated class in stratify"):
        train_test_split(X, np.zeros(10), test_size=3, seed=0, stratify=y)


# ----------------------------------------------------------------------------- standardization


@quick
@given(
    n=st.integers(2, 50),
    d=st.integers(1, 6),
    constant=st.lists(st.booleans(), min_size=6, max_size=6),
    seed=st.integers(0, 1000),
)
def test_standardize_train_statistics(n: int, d: int, constant: list[bool], seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(3.0, 5.0, size=(n, d))
    for j in range(d):
        if constant[j]:
            X[:, j] = rng.uniform(-1e3, 1e3)  # a constant column (digits have all-zero pixels)
    X_test = rng.normal(size=(7, d))
    Z, Z_test = standardize(X, X_test)
    assert np.isfinite(Z).all() and np.isfinite(Z_test).all()
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-9)
    var = Z.var(axis=0)
    for j in range(d):
        if constant[j]:
            np.testing.assert_allclose(Z[:, j], 0.0, atol=1e-9)
        else:
            np.testing.assert_allclose(var[j], 1.0, rtol=1e-9)
    scaler = Standardizer().fit(X)
    np.testing.assert_allclose(scaler.transform(X_test), Z_test)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-9, atol=1e-9)


def test_standardize_digits_no_nan() -> None:
    X, y = load_digits()
    X_tr, X_te, _, _ = train_test_split(X, y, seed=0)
    Z_tr, Z_te = standardize(X_tr, X_te)
    assert not np.isnan(Z_tr).any() and not np.isnan(Z_te).any()
    np.testing.assert_allclose(Z_tr.mean(axis=0), 0.0, atol=1e-12)
    std = Z_tr.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | (std == 0.0))


def test_standardizer_dtypes_and_errors() -> None:
    X32 = np.arange(12, dtype=np.float32).reshape(4, 3)
    assert Standardizer().fit_transform(X32).dtype == np.float32
    assert Standardizer().fit_transform(np.arange(6).reshape(3, 2)).dtype == np.float64
    with pytest.raises(RuntimeError, match="fit first"):
        Standardizer().transform(X32)
    with pytest.raises(ValueError, match=r"\(3,\).*\(4, 2\)"):
        Standardizer().fit(X32).transform(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least one row"):
        Standardizer().fit(np.zeros((0, 3)))


@pytest.mark.parametrize("scale", [1e-19, 1e-100, 1.0, 1e100])
def test_standardizer_constant_test_is_relative(scale: float) -> None:
    # A feature on a tiny (or huge) scale still varies: sklearn's relative test standardizes it,
    # e.g. charges [1, 2, 3, 4]·1.6e-19 C -> (k - 2.5)/√1.25. A constant column never divides
    # by its rounding-level spread, even when its mean is not exactly representable (0.1·scale).
    k = np.arange(1.0, 5.0)
    X = np.stack([1.6 * scale * k, np.full(4, 0.1 * scale)], axis=1)
    Z = Standardizer().fit_transform(X)
    np.testing.assert_allclose(Z[:, 0], (k - 2.5) / np.sqrt(1.25), rtol=1e-12)
    np.testing.assert_allclose(Z[:, 1], 0.0, atol=1e-12)


def test_standardizer_rejects_inf_and_ignores_nan() -> None:
    X = np.array([[0.0, 1.0, np.inf], [1.0, -np.inf, 2.0], [3.0, 5.0, 4.0]])
    with pytest.raises(ValueError, match=r"Standardizer.fit: column\(s\) \[1, 2\] .*inf"):
        Standardizer().fit(X)
    scaler = Standardizer().fit(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"Standardizer.transform: column\(s\) \[1, 2\]"):
        scaler.transform(X)
    with pytest.raises(ValueError, match=r"Standardizer.inverse_transform: column\(s\) \[1, 2\]"):
        scaler.inverse_transform(X)
    # NaN is a missing value, as in scikit-learn: skipped by fit, passed through by transform.
    Xn = np.array([[np.nan, 1.0], [1.0, 2.0], [3.0, 5.0]])
    Z = Standardizer().fit_transform(Xn)
    np.testing.assert_array_equal(Z[:, 0], [np.nan, -1.0, 1.0])
    np.testing.assert_allclose(Z[:, 1], (Xn[:, 1] - 8 / 3) / np.std(Xn[:, 1]))


def test_standardizer_inverse_transform_keeps_float_dtype() -> None:
    X32 = np.arange(12, dtype=np.float32).reshape(4, 3)
    scaler = Standardizer().fit(X32)
    back = scaler.inverse_transform(scaler.transform(X32))
    assert back.dtype == np.float32  # as scikit-learn's StandardScaler.inverse_transform
    np.testing.assert_allclose(back, X32, atol=1e-5)
    assert scaler.inverse_transform(np.zeros((2, 3), dtype=np.int64)).dtype == np.float64


# ----------------------------------------------------------------------------- errors


def test_tensor_dataset_errors_name_the_shapes() -> None:
    with pytest.raises(ValueError, match=r"TensorDataset: .*\(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="at least one"):
        TensorDataset()
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(np.float64(1.0))


def test_loader_and_sampler_errors() -> None:
    ds = _rows(5)
    for bad in (0, -3):
        with pytest.raises(
            ValueError, match=f"DataLoader: batch_size must be at least 1, got {bad}"
        ):
            DataLoader(ds, batch_size=bad)
    with pytest.raises(TypeError, match="batch_size"):
        DataLoader(ds, batch_size=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(ds, shuffle=True, sampler=SequentialSampler(5))
    with pytest.raises(ValueError, match="not both"):
        DataLoader(ds, shuffle=True, seed=1, generator=np.random.default_rng())
    with pytest.raises(IndexError, match="index 7 for a dataset of size 5"):
        list(DataLoader(ds, sampler=[0, 7]))
    with pytest.raises(ValueError, match="RandomSampler: the number of examples"):
        RandomSampler(-2)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(3, num_samples=-1)
    with pytest.raises(ValueError, match="WithReplacementSampler: cannot draw 3 samples"):
        WithReplacementSampler(0, num_samples=3)
    with pytest.raises(TypeError, match="seed"):
        RandomSampler(3, seed=True).indices()
    with pytest.raises(ValueError, match="circles: n must be non-negative"):
        circles(-5)


def test_collate_errors() -> None:
    with pytest.raises(ValueError, match=r"collate: field 0 .*\(2,\).*\(3,\)"):
        collate([(np.zeros(2), 0), (np.zeros(3), 1)])
    with pytest.raises(ValueError, match="different numbers of fields"):
        collate([(1, 2), (3,)])
    with pytest.raises(ValueError, match="zero examples"):
        collate([])
