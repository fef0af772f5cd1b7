"""Regression tests for the tinygrad_ed.data audit: collate, samplers, datasets, split, scaling.

torch and scikit-learn serve as second opinions where installed (``pytest.importorskip``).
"""

from __future__ import annotations

import math
import warnings
from collections import namedtuple
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_ed.data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    Standardizer,
    Subset,
    TensorDataset,
    WithReplacementSampler,
    circles,
    collate,
    gaussians,
    moons,
    random_split,
    spiral,
    train_test_split,
    xor,
)
from tinygrad_ed.tensor import Tensor

quick = settings(max_examples=30, deadline=None)


def _plain(batch: Any) -> Any:
    """A batch as nested Python lists/dicts, so ours and torch's compare with ==."""
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, (tuple, list)):
        return [_plain(v) for v in batch]
    if isinstance(batch, Tensor):
        return batch.data.tolist()
    if hasattr(batch, "numpy"):  # a torch tensor
        return batch.numpy().tolist()
    return batch


class _Examples(Dataset):
    """A dataset returning ``make(i)`` for i < n."""

    def __init__(self, n: int, make: Any) -> None:
        self.n, self.make = n, make

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        return self.make(i)


# ----------------------------------------------------------------------------- 1. collate

Point = namedtuple("Point", ["x", "y"])

NESTED_EXAMPLES: list[Any] = [
    lambda i: ((np.full(3, i, float), np.full(2, 10 * i, float)), i),
    lambda i: {"x": np.full(2, float(i)), "y": i},
    lambda i: ({"a": i, "b": (float(i), [i, i + 1])}, np.int64(i)),
    lambda i: (f"name{i}", float(i)),
    lambda i: [np.arange(i, i + 2), [i, 2 * i]],
    lambda i: {"pair": (i, 1.5 * i), "tag": b"t"},
]


@pytest.mark.parametrize("make", NESTED_EXAMPLES)
def test_collate_recurses_like_torch_default_collate(make: Any) -> None:
    torch_data = pytest.importorskip("torch.utils.data")
    examples = [make(i) for i in range(3)]
    assert _plain(collate(examples)) == _plain(torch_data.default_collate(examples))


def test_collate_nested_structure_and_types() -> None:
    examples = [((np.full(3, i, float), np.full(2, 10 * i, float)), i) for i in range(4)]
    (x1, x2), y = collate(examples)
    np.testing.assert_array_equal(x1.data, np.repeat(np.arange(4.0), 3).reshape(4, 3))
    np.testing.assert_array_equal(x2.data[:, 0], 10.0 * np.arange(4))
    assert y.data.dtype == np.int64
    batch = collate([{"x": 1.0, "y": (1, "a")}, {"x": 2.0, "y": (2, "b")}])
    assert isinstance(batch, dict) and batch["x"].data.dtype == np.float64
    assert isinstance(batch["y"], tuple) and batch["y"][1] == ["a", "b"]
    point = collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(point, Point) and point.x.data.tolist() == [1, 3]
    assert collate(["a", "b"]) == ["a", "b"]  # bare strings: their list, as torch
    # The loader's batches have the same structure.
    loader = DataLoader(_Examples(5, NESTED_EXAMPLES[0]), batch_size=2)
    (a, b), c = next(iter(loader))
    assert a.shape == (2, 3) and b.shape == (2, 2) and c.data.tolist() == [0, 1]


def test_collate_errors_name_the_field() -> None:
    with pytest.raises(ValueError, match=r"collate: field 0\[1\] of the examples .*\(2,\).*\(3,\)"):
        collate([((0, np.zeros(2)), 0), ((1, np.zeros(3)), 1)])
    with pytest.raises(ValueError, match="collate: field 0 holds sequences with different"):
        collate([((0, 1), 0), ((1,), 1)])
    with pytest.raises(ValueError, match="dicts with different keys"):
        collate([{"x": 1}, {"y": 1}])
    with pytest.raises(TypeError, match="collate: field 'x' mix strings and other types"):
        collate([{"x": "a"}, {"x": 1}])
    with pytest.raises(TypeError, match="collate: the examples mix sequences and other types"):
        collate([(1, 2), 3])
    with pytest.raises(TypeError, match=r"collate: field 1 holds NoneType values.*collate_fn"):
        collate([(1, None), (2, None)])


def test_collate_fn_gets_the_list_of_examples() -> None:
    ds = TensorDataset(np.arange(5), 2 * np.arange(5))
    seen: list[int] = []

    def count(examples: list[Any]) -> int:
        assert isinstance(examples, list) and all(isinstance(e, tuple) for e in examples)
        seen.append(len(examples))
        return len(examples)

    assert list(DataLoader(ds, batch_size=2, collate_fn=count)) == [2, 2, 1] and seen == [2, 2, 1]
    with pytest.raises(TypeError, match="DataLoader: collate_fn must be callable"):
        DataLoader(ds, collate_fn=3)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- 2. indices


@pytest.mark.parametrize(
    ("sampler", "match"),
    [
        ([0.5, 1.7, 3.9], r"indices must be integers, got 0.5 \(float\) at position 0"),
        ([0, 1.0], r"got 1.0 \(float\) at position 1"),
        ([True, False], r"got True \(bool\)"),
        ([[0, 1], [2]], r"one index at a time.*\[0, 1\] \(list\)"),
        (np.array([[0, 1], [2, 3]]), r"1-D .* shape \(2, 2\)"),
        (np.array([0.0, 1.0]), r"integers, got an array of dtype float64"),
        (["0"], r"got '0' \(str\)"),
    ],
)
def test_sampler_indices_must_be_integers(sampler: Any, match: str) -> None:
    loader = DataLoader(TensorDataset(np.arange(5)), batch_size=2, sampler=sampler)
    with pytest.raises(TypeError, match="DataLoader: .*" + match):
        list(loader)


def test_integer_like_indices_are_accepted() -> None:
    sampler = [np.int32(3), np.array(1), Tensor(np.array(4)), 0]
    (xb,) = next(iter(DataLoader(TensorDataset(np.arange(5)), batch_size=4, sampler=sampler)))
    assert xb.data.tolist() == [3, 1, 4, 0]


# ----------------------------------------------------------------------------- 3. Standardizer


def test_inverse_transform_checks_the_width() -> None:
    scaler = Standardizer().fit(np.array([[1.0, 2.0, 5.0], [3.0, 2.0, 7.0], [5.0, 2.0, 9.0]]))
    for shape in [(2, 1), (2, 5), (3,)]:
        with pytest.raises(
            ValueError,
            match=rf"Standardizer.inverse_transform: fitted on rows of shape \(3,\), so X must "
            rf"have shape \(n, 3\), got an array of shape {re_shape(shape)}",
        ):
            scaler.inverse_transform(np.zeros(shape))
    # A single row on its own: the message says what to do instead of contradicting itself.
    with pytest.raises(ValueError, match=r"shape \(n, 3\), got .* \(3,\) \(one row\? .*reshape"):
        scaler.transform(np.zeros(3))
    back = scaler.inverse_transform(scaler.transform(np.ones((2, 3))))
    np.testing.assert_allclose(back, np.ones((2, 3)))


def re_shape(shape: tuple[int, ...]) -> str:
    return str(shape).replace("(", r"\(").replace(")", r"\)")


# The audit's column: the plain variance calls it varying, scikit-learn's corrected one constant.
AUDIT_COLUMN = [
    -999.9999999999983,
    -999.9999999999992,
    -999.9999999999987,
    -999.9999999999998,
    -1000.0000000000015,
]


def test_constant_feature_decision_matches_scikit_learn_on_audit_column() -> None:
    X = np.array(AUDIT_COLUMN)[:, None]
    scaler = Standardizer().fit(X)
    assert scaler.scale is not None and scaler.scale[0] == 1.0  # constant, as StandardScaler
    np.testing.assert_allclose(scaler.transform(X), 0.0, atol=1e-11)


@quick
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 40),
    centre=st.sampled_from([1.0, -1000.0, 1e6, 0.1, 3e-5]),
    ulps=st.sampled_from([1.0, 10.0, 1e3]),
)
def test_constant_feature_decision_equals_scikit_learn(
    seed: int, n: int, centre: float, ulps: float
) -> None:
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    rng = np.random.default_rng(seed)
    eps = np.finfo(np.float64).eps
    X = centre * (1 + ulps * eps * rng.integers(-8, 9, size=(n, 3)))
    X[rng.random((n, 3)) < 0.1] = np.nan  # missing values take the nan-aware sums
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
        ours, theirs = Standardizer().fit(X), preprocessing.StandardScaler().fit(X)
    np.testing.assert_array_equal(ours.mean, theirs.mean_)
    np.testing.assert_array_equal(ours.scale, theirs.scale_)


# ----------------------------------------------------------------------------- 4. stratify


def test_stratified_split_needs_a_row_per_class_on_each_side() -> None:
    y5 = np.repeat(np.arange(5), 2)
    with pytest.raises(
        ValueError,
        match="train_test_split: the test_size = 2 should be greater or equal to the number of "
        "classes = 5",
    ):
        train_test_split(np.zeros((10, 1)), y5, test_size=2, stratify=True, seed=0)
    with pytest.raises(ValueError, match="the train_size = 1 should be greater or equal to the"):
        train_test_split(np.zeros((4, 1)), np.array([0, 0, 1, 1]), test_size=3, stratify=True)
    with pytest.raises(ValueError, match="the train_size = 3 should be greater or equal"):
        train_test_split(np.zeros((10, 1)), y5, train_size=3, stratify=True)


@pytest.mark.parametrize(("test_size", "train_size"), [(2, None), (3, None), (None, 4), (0.5, 0.3)])
def test_stratified_split_errors_like_scikit_learn(test_size: Any, train_size: Any) -> None:
    model_selection = pytest.importorskip("sklearn.model_selection")
    X, y = np.zeros((8, 1)), np.repeat(np.arange(4), 2)
    kwargs = {"test_size": test_size, "train_size": train_size}
    try:
        model_selection.train_test_split(X, y, stratify=y, random_state=0, **kwargs)
    except ValueError as err:
        with pytest.raises(ValueError, match=str(err).split(" = ")[0].lower()):
            train_test_split(X, y, stratify=True, seed=0, **kwargs)
    else:
        got = train_test_split(X, y, stratify=True, seed=0, **kwargs)
        assert set(got[2].tolist()) == set(got[3].tolist()) == set(range(4))


# ----------------------------------------------------------------------------- 5. lengths


class _Grow(Dataset):
    def __init__(self, n: int) -> None:
        self.items = list(range(n))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> tuple[int]:
        return (self.items[i],)


@pytest.mark.parametrize("shuffle", [False, True])
def test_loader_reads_the_dataset_length_every_epoch(shuffle: bool) -> None:
    ds = _Grow(3)
    loader = DataLoader(ds, batch_size=2, shuffle=shuffle, seed=0)
    assert len(loader) == 2
    ds.items.append(3)
    assert len(loader) == 2  # ⌈4/2⌉
    seen = sorted(v for (b,) in loader for v in b.data.tolist())
    assert seen == [0, 1, 2, 3]
    ds.items[:] = [7]
    assert [b.data.tolist() for (b,) in loader] == [[7]]
    # An explicit num_samples stays fixed, as in torch.
    assert len(RandomSampler(_Grow(3), num_samples=5)) == 5


# ----------------------------------------------------------------------------- 6. RandomSampler


def test_random_sampler_argument_checks_match_torch() -> None:
    with pytest.raises(TypeError, match="RandomSampler: replacement should be a boolean value"):
        RandomSampler(5, replacement="no")  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"replacement should be a boolean value, got replacement=1"
    ):
        RandomSampler(5, replacement=1)  # type: ignore[arg-type]
    assert RandomSampler(5, replacement=np.bool_(True)).replacement is True
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, got "):
        RandomSampler(5, num_samples=0)
    with pytest.raises(ValueError, match=r"num_samples=0 \(the dataset is empty\)"):
        RandomSampler(TensorDataset(np.zeros(0)))
    with pytest.raises(ValueError, match=r"num_samples=0 \(the dataset is empty\)"):
        DataLoader(TensorDataset(np.zeros(0)), shuffle=True)
    with pytest.raises(ValueError, match="WithReplacementSampler: num_samples should be"):
        WithReplacementSampler(3, num_samples=0)
    assert len(DataLoader(TensorDataset(np.zeros(0)))) == 0  # sequential: empty is fine
    torch_data = pytest.importorskip("torch.utils.data")
    for kwargs in ({"replacement": "no"}, {"num_samples": 0}):
        with pytest.raises((TypeError, ValueError)):
            torch_data.RandomSampler(range(5), **kwargs)
    with pytest.raises(ValueError):
        torch_data.RandomSampler(range(0))


# ----------------------------------------------------------------------------- 7. generators


@pytest.mark.parametrize(
    ("gen", "name"), [(gaussians, "radius"), (spiral, "turns"), (circles, "factor")]
)
@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (float("nan"), ValueError, "must be finite, got nan"),
        (float("inf"), ValueError, "must be finite, got inf"),
        ("a", TypeError, "must be a number, got 'a'"),
        (None, TypeError, "must be a number, got None"),
        (True, TypeError, "must be a number, got True"),
    ],
)
def test_generator_shape_arguments_are_validated(
    gen: Any, name: str, value: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=f"{gen.__name__}: {name} {match}"):
        gen(4, **{name: value}, seed=0)


def test_generator_ranges_and_good_values() -> None:
    with pytest.raises(ValueError, match=r"gaussians: radius must be ≥ 0, got -1\.0"):
        gaussians(4, radius=-1.0)
    with pytest.raises(ValueError, match=r"circles: factor must be in \[0, 1\)"):
        circles(4, factor=1)
    X, _ = spiral(10, turns=np.float32(-1.5), noise=0.0, seed=0)  # clockwise is fine
    assert np.isfinite(X).all()
    X, _ = gaussians(4, radius=3, noise=0.0, seed=0)
    np.testing.assert_allclose(np.hypot(*X.T), 3.0)


@pytest.mark.parametrize("gen", [circles, xor, gaussians, spiral, moons])
def test_negative_seed_names_seed(gen: Any) -> None:
    with pytest.raises(
        ValueError, match=f"{gen.__name__}: seed must be a non-negative int, got -1"
    ):
        gen(4, seed=-1)


def test_negative_seed_elsewhere() -> None:
    with pytest.raises(ValueError, match="train_test_split: seed must be a non-negative int"):
        train_test_split(np.zeros(4), np.zeros(4), seed=-3)
    with pytest.raises(ValueError, match="RandomSampler: seed must be a non-negative int"):
        RandomSampler(4, seed=-3)


# ----------------------------------------------------------------------------- 9. Dataset


def test_dataset_subclass_missing_a_method_names_it() -> None:
    class NoLen(Dataset):
        def __getitem__(self, i: int) -> int:
            return i

    class NoGet(Dataset):
        def __len__(self) -> int:
            return 2

    with pytest.raises(TypeError, match=r"NoLen subclasses Dataset but does not define __len__"):
        DataLoader(NoLen())
    with pytest.raises(TypeError, match=r"NoGet .* does not define __getitem__\(self, index\)"):
        list(DataLoader(NoGet()))


def test_dataset_isinstance_stays_structural() -> None:
    class Plain:
        def __len__(self) -> int:
            return 1

        def __getitem__(self, i: int) -> int:
            return i

    assert isinstance(Plain(), Dataset) and isinstance(TensorDataset(np.zeros(2)), Dataset)
    assert not isinstance(3, Dataset) and not isinstance(iter([]), Dataset)


# ----------------------------------------------------------------------------- 10. new API


def test_subset() -> None:
    ds = TensorDataset(np.arange(10), 2 * np.arange(10))
    sub = Subset(ds, [7, 2, -1, 2])
    assert len(sub) == 4 and sub.indices == [7, 2, -1, 2]
    assert [int(sub[i][0].data) for i in range(4)] == [7, 2, 9, 2]
    # The loader's gather through the Subset equals reading the examples one by one.
    fast = [b.data.tolist() for b, _ in DataLoader(sub, batch_size=3)]
    slow = [b.data.tolist() for b, _ in DataLoader(sub, batch_size=3, collate_fn=collate)]
    assert fast == slow == [[7, 2, 9], [2]]
    nested = Subset(Subset(ds, [5, 6, 7]), [2, 0])
    assert [b.data.tolist() for b, _ in DataLoader(nested, batch_size=2)] == [[7, 5]]
    with pytest.raises(IndexError, match="Subset: index 10 is out of range for a dataset of size"):
        Subset(ds, [0, 10])
    with pytest.raises(TypeError, match=r"Subset: indices must be integers, got 1\.5"):
        Subset(ds, [1.5])  # type: ignore[list-item]


def test_concat_dataset_and_add() -> None:
    a, b = TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))
    both = a + b
    assert isinstance(both, ConcatDataset) and len(both) == 5 and both.cumulative_sizes == [3, 5]
    assert [int(both[i][0].data) for i in range(5)] == [0, 1, 2, 10, 11]
    assert int(both[-1][0].data) == 11 and int(both[-5][0].data) == 0
    for bad in (5, -6):
        with pytest.raises(IndexError, match=f"ConcatDataset: index {bad} is out of range"):
            both[bad]
    (xb,) = next(iter(DataLoader(both + a, batch_size=8)))
    assert xb.data.tolist() == [0, 1, 2, 10, 11, 0, 1, 2]
    with pytest.raises(ValueError, match="ConcatDataset: needs at least one dataset"):
        ConcatDataset([])


@pytest.mark.parametrize(
    ("n", "fractions"),
    [(10, [0.3, 0.3, 0.4]), (7, [0.5, 0.5]), (11, [0.1] * 10), (5, [1 / 3] * 3), (3, [0.25] * 4)],
)
def test_random_split_fractions_distribute_the_remainder_as_torch(
    n: int, fractions: list[float]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a split of length 0
        parts = random_split(TensorDataset(np.arange(n)), fractions, seed=0)
    sizes = [len(p) for p in parts]
    floors = [math.floor(n * f) for f in fractions]
    expected = [f + (i < n - sum(floors)) for i, f in enumerate(floors)]
    assert sizes == expected
    got = sorted(i for p in parts for i in p.indices)
    assert got == list(range(n))  # a partition
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = torch.utils.data.random_split(range(n), fractions)
    assert sizes == [len(p) for p in theirs]


def test_random_split_lengths_seeds_and_errors() -> None:
    ds = TensorDataset(np.arange(10))
    a = [p.indices for p in random_split(ds, [3, 7], seed=4)]
    b = [p.indices for p in random_split(ds, [3, 7], np.random.default_rng(4))]
    assert a == b and [len(p) for p in a] == [3, 7]
    assert a != [p.indices for p in random_split(ds, [3, 7], seed=5)]
    with pytest.warns(UserWarning, match="length of split at index 1 is 0"):
        random_split(ds, [1.0, 0.0], seed=0)
    with pytest.raises(ValueError, match=r"random_split: the lengths \[3, 6\] sum to 9, but"):
        random_split(ds, [3, 6])
    with pytest.raises(ValueError, match="ints summing to len"):
        random_split(ds, [0.5, 0.6])
    with pytest.raises(ValueError, match="non-negative"):
        random_split(ds, [-1, 11])
    with pytest.raises(TypeError, match=r"lengths\[0\] must be an int or a float"):
        random_split(ds, ["3", 7])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="not both"):
        random_split(ds, [5, 5], np.random.default_rng(0), seed=0)


def test_num_workers_runs_in_process() -> None:
    ds = TensorDataset(np.arange(7))
    base = [b.data.tolist() for (b,) in DataLoader(ds, batch_size=3, shuffle=True, seed=1)]
    for workers in (0, 2):
        loader = DataLoader(ds, batch_size=3, shuffle=True, seed=1, num_workers=workers)
        assert [b.data.tolist() for (b,) in loader] == base
    with pytest.raises(ValueError, match="DataLoader: num_workers must be non-negative, got -1"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(TypeError, match="num_workers must be an int"):
        DataLoader(ds, num_workers=1.5)  # type: ignore[arg-type]


def test_torch_style_sampler_subclass() -> None:
    class EvensFirst(Sampler):
        def __init__(self, data_source: Any) -> None:
            super().__init__(data_source)
            self.n = len(data_source)

        def __iter__(self) -> Iterator[int]:
            return iter([*range(0, self.n, 2), *range(1, self.n, 2)])

        def __len__(self) -> int:
            return self.n

    ds = TensorDataset(np.arange(5))
    sampler = EvensFirst(ds)
    assert list(sampler) == [0, 2, 4, 1, 3] and sampler.indices().tolist() == [0, 2, 4, 1, 3]
    loader = DataLoader(ds, batch_size=2, sampler=sampler)
    assert len(loader) == 3 and [b.data.tolist() for (b,) in loader] == [[0, 2], [4, 1], [3]]

    class NoLen(Sampler):
        def __iter__(self) -> Iterator[int]:
            return iter([0, 1])

    loader = DataLoader(ds, sampler=NoLen())
    assert [b.data.tolist() for (b,) in loader] == [[0], [1]]  # iterating needs no length
    with pytest.raises(TypeError, match="NoLen does not define __len__"):
        len(loader)

    class Nothing(Sampler):
        pass

    with pytest.raises(TypeError, match="Nothing: a Sampler must define __iter__ or indices"):
        list(Nothing())
    with pytest.raises(TypeError, match="Nothing: a Sampler must define __iter__ or indices"):
        list(DataLoader(ds, sampler=Nothing()))

    class Floats(Sampler):
        def __iter__(self) -> Iterator[Any]:
            return iter([0.5])

        def __len__(self) -> int:
            return 1

    with pytest.raises(TypeError, match=r"Floats: indices must be integers, got 0.5"):
        list(DataLoader(ds, sampler=Floats()))
    assert list(SequentialSampler(3)) == [0, 1, 2]  # the built-ins still iterate


def test_train_test_split_shuffle_false_and_train_size() -> None:
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_tr, _, y_tr, y_te = train_test_split(X, y, shuffle=False, test_size=3)
    assert y_tr.tolist() == list(range(7)) and y_te.tolist() == [7, 8, 9]
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)
    _, _, y_tr, y_te = train_test_split(X, y, shuffle=False, train_size=0.45, test_size=0.2)
    assert y_tr.tolist() == [0, 1, 2, 3] and y_te.tolist() == [4, 5]
    _, _, y_tr, y_te = train_test_split(X, y, train_size=6, seed=0)
    assert len(y_tr) == 6 and len(y_te) == 4 and not set(y_tr) & set(y_te)
    _, _, y_tr, y_te = train_test_split(X, y, train_size=0.5, test_size=2, seed=0)
    assert len(y_tr) == 5 and len(y_te) == 2 and not set(y_tr) & set(y_te)
    labels = np.repeat([0, 1], 5)
    _, _, y_tr, y_te = train_test_split(X, labels, train_size=4, test_size=2, stratify=True)
    assert sorted(y_tr.tolist()) == [0, 0, 1, 1] and sorted(y_te.tolist()) == [0, 1]
    with pytest.raises(ValueError, match="stratified split needs shuffle=True"):
        train_test_split(X, labels, shuffle=False, stratify=True)
    with pytest.raises(ValueError, match=r"test_size \+ train_size = 1\.1 should be at most 1"):
        train_test_split(X, y, test_size=0.5, train_size=0.6)
    with pytest.raises(ValueError, match="together at most 10"):
        train_test_split(X, y, test_size=5, train_size=6)
    with pytest.raises(ValueError, match=r"a fractional train_size must lie in \(0, 1\)"):
        train_test_split(X, y, train_size=1.0)
    with pytest.raises(TypeError, match="train_size must be a float, an int or None"):
        train_test_split(X, y, train_size="0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="shuffle must be a bool"):
        train_test_split(X, y, shuffle="no")  # type: ignore[arg-type]


SIZES = [None, 1, 3, 9, 10, 0.1, 0.25, 0.5, 0.9]


@pytest.mark.parametrize("train_size", SIZES)
@pytest.mark.parametrize("test_size", SIZES)
def test_split_sizes_match_scikit_learn(test_size: Any, train_size: Any) -> None:
    model_selection = pytest.importorskip("sklearn.model_selection")
    X, y = np.arange(10), np.arange(10)
    kwargs = {"test_size": test_size, "train_size": train_size}
    try:
        theirs = model_selection.train_test_split(X, y, shuffle=False, **kwargs)
    except ValueError:
        with pytest.raises(ValueError, match="train_test_split"):
            train_test_split(X, y, shuffle=False, **kwargs)
        return
    ours = train_test_split(X, y, shuffle=False, **kwargs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
    shuffled = train_test_split(X, y, seed=0, **kwargs)
    assert [len(a) for a in shuffled] == [len(a) for a in theirs]


# ----------------------------------------------------------------------------- second audit


def test_a_sampler_subclass_own_iter_decides_the_order() -> None:
    class Reversed(SequentialSampler):
        def __iter__(self) -> Iterator[int]:
            return iter(range(self.n - 1, -1, -1))

    class Evens(RandomSampler):
        def __iter__(self) -> Iterator[int]:
            return iter(i for i in super().indices().tolist() if i % 2 == 0)

    class Stored(Sampler):  # torch's SubsetRandomSampler keeps its list in self.indices
        def __init__(self, indices: list[int]) -> None:
            self.indices = indices  # type: ignore[assignment]

        def __iter__(self) -> Iterator[int]:
            return iter(self.indices)  # type: ignore[call-overload]

    ds = TensorDataset(np.arange(6))
    batches = [b.tolist() for (b,) in DataLoader(ds, batch_size=4, sampler=Reversed(ds))]
    assert batches == [[5, 4, 3, 2], [1, 0]]
    seen = [
        i for (b,) in DataLoader(ds, batch_size=2, sampler=Evens(ds, seed=0)) for i in b.tolist()
    ]
    assert sorted(seen) == [0, 2, 4]
    batches = [b.tolist() for (b,) in DataLoader(ds, batch_size=2, sampler=Stored([4, 1, 3]))]
    assert batches == [[4, 1], [3]]


def test_collate_follows_torch_for_mixed_dtypes_and_containers() -> None:
    import collections

    (x,) = collate([(Tensor(np.array([1.0, 2.0], np.float32)),), (Tensor(np.array([3, 4])),)])
    assert x.dtype == np.float32  # a float beats an int without widening, as torch.stack
    (h,) = collate([(np.float16(1.5),), (np.int64(2),)])
    assert h.dtype == np.float16
    with pytest.raises(OverflowError, match="beyond int64"):
        collate([(2**63 + 1,), (0,)])
    a, b = collate([collections.UserList([0, 0]), collections.UserList([1, 2])])
    assert a.tolist() == [0, 1] and b.tolist() == [0, 2]  # a sequence of fields, not one array
    (r, s) = collate([range(2), range(1, 3)])
    assert r.tolist() == [0, 1] and s.tolist() == [1, 2]
    batch = collate([collections.OrderedDict(a=1, b=2.0), collections.OrderedDict(a=3, b=4.0)])
    assert type(batch) is collections.OrderedDict and batch["a"].tolist() == [1, 3]
    sub = Subset(TensorDataset(np.arange(10) * 10), [7, 9, 0])
    (picked,) = sub[[0, 1]]
    assert picked.tolist() == [70, 90]
