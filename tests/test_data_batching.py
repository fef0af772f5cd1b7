"""BatchSampler, the loader's batch_sampler= and batch_size=None, default_convert, and
train_test_split over any number of arrays.

torch and scikit-learn serve as second opinions where installed (``pytest.importorskip``); the
random differential audit against torch is in ``test_data_loader_torch.py``.
"""

from __future__ import annotations

import collections
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_ed.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    collate,
    default_convert,
    train_test_split,
)
from tinygrad_ed.tensor import Tensor

quick = settings(max_examples=30, deadline=None)
Point = collections.namedtuple("Point", ["x", "y"])


def _rows(n: int) -> TensorDataset:
    """Example i is (i, 2i): a batch shows which examples it holds."""
    x = np.arange(n, dtype=np.int64)
    return TensorDataset(x, 2 * x)


def _ids(loader: DataLoader) -> list[list[int]]:
    """The first field of each batch, the pairs checked to stay aligned."""
    out = []
    for xb, yb in loader:
        np.testing.assert_array_equal(yb.data, 2 * xb.data)
        out.append(xb.data.tolist())
    return out


# ----------------------------------------------------------------------------- BatchSampler


def test_batch_sampler_cuts_the_sampler_in_order() -> None:
    assert list(BatchSampler(SequentialSampler(10), 3, False)) == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8], [9],
    ]  # fmt: skip
    assert list(BatchSampler(SequentialSampler(10), 3, drop_last=True)) == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8],
    ]  # fmt: skip
    assert len(BatchSampler(range(10), 3, False)) == 4
    assert len(BatchSampler(range(10), 3, True)) == 3
    # Any iterable of indices; the batches hold Python ints.
    for source in ([4, 1, 3], np.array([4, 1, 3]), (i for i in [4, 1, 3])):
        batches = list(BatchSampler(source, 2, False))
        assert batches == [[4, 1], [3]] and all(type(i) is int for b in batches for i in b)
    # Read lazily, as torch: an endless sampler gives its first batches.
    first = list(itertools.islice(BatchSampler(itertools.count(), 4, True), 2))
    assert first == [[0, 1, 2, 3], [4, 5, 6, 7]]


@quick
@given(m=st.integers(0, 40), b=st.integers(1, 12), drop_last=st.booleans())
def test_batch_sampler_partitions_the_epoch(m: int, b: int, drop_last: bool) -> None:
    order = np.random.default_rng(m).permutation(m).tolist()
    sampler = BatchSampler(order, b, drop_last)
    batches = list(sampler)
    assert len(sampler) == len(batches)
    kept = m - m % b if drop_last else m
    assert [i for batch in batches for i in batch] == order[:kept]
    assert all(len(batch) == b for batch in batches[:-1])
    assert not batches or (0 < len(batches[-1]) <= b and (len(batches[-1]) == b or not drop_last))


@pytest.mark.parametrize("m", [0, 1, 5, 9, 10])
@pytest.mark.parametrize("b", [1, 3, 10, 11])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler_equals_torch(m: int, b: int, drop_last: bool) -> None:
    torch_data = pytest.importorskip("torch.utils.data")
    theirs = torch_data.BatchSampler(range(m), b, drop_last)
    ours = BatchSampler(range(m), b, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_batch_sampler_reshuffles_every_epoch() -> None:
    sampler = BatchSampler(RandomSampler(10, seed=0), 4, False)
    first, second = list(sampler), list(sampler)
    assert first != second
    for epoch in (first, second):
        assert [len(b) for b in epoch] == [4, 4, 2]
        assert sorted(i for b in epoch for i in b) == list(range(10))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, "BatchSampler: batch_size must be at least 1, got 0"),
        ({"batch_size": -2}, ValueError, "at least 1, got -2"),
        ({"batch_size": 2.0}, TypeError, r"batch_size must be a positive int, got 2.0 \(float\)"),
        ({"batch_size": "3"}, TypeError, r"got '3' \(str\)"),
        ({"batch_size": True}, TypeError, r"got True \(bool\)"),
        ({"drop_last": "no"}, TypeError, r"BatchSampler: drop_last must be a bool, got 'no'"),
        ({"drop_last": None}, TypeError, r"drop_last must be a bool, got None"),
        ({"drop_last": 1}, TypeError, r"drop_last must be a bool, got 1 \(int\)"),
        ({"sampler": 10}, TypeError, r"BatchSampler: sampler must be an iterable .*got 10 \(int\)"),
    ],
)
def test_batch_sampler_checks_its_arguments(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    args = {"sampler": range(5), "batch_size": 2, "drop_last": False, **kwargs}
    with pytest.raises(error, match=match):
        BatchSampler(**args)
    torch_data = pytest.importorskip("torch.utils.data")
    with pytest.raises((TypeError, ValueError)):  # torch refuses too (a ValueError, or at iter)
        list(torch_data.BatchSampler(**args))


def test_batch_sampler_names_a_bad_index_by_its_place_in_the_epoch() -> None:
    with pytest.raises(TypeError, match=r"BatchSampler: .* got 0.5 \(float\) at position 3"):
        list(BatchSampler([0, 1, 2, 0.5], 2, False))
    with pytest.raises(TypeError, match="BatchSampler yields batches of indices"):
        BatchSampler(range(4), 2, False).indices()


# ----------------------------------------------------------------------------- batch_sampler=


def test_loader_batch_sampler_gives_the_batches() -> None:
    ds = _rows(7)
    loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 3, False))
    assert _ids(loader) == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    assert loader.batch_size is None and loader.drop_last is False  # as torch
    lists = DataLoader(ds, batch_sampler=[[3, 1], [0], np.array([6, 6, 2])])
    assert _ids(lists) == [[3, 1], [0], [6, 6, 2]] and len(lists) == 3
    # The gather through a Subset equals reading the examples one by one.
    sub = Subset(ds, [6, 5, 4, 3])
    fast = _ids(DataLoader(sub, batch_sampler=[[0, 3], [1]]))
    slow = _ids(DataLoader(sub, batch_sampler=[[0, 3], [1]], collate_fn=collate))
    assert fast == slow == [[6, 3], [5]]
    # Same batches as the loader's own batch sampler, for every epoch of a random sampler.
    ours = DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(ds, seed=3), 2, True))
    own = DataLoader(ds, batch_size=2, drop_last=True, sampler=RandomSampler(ds, seed=3))
    assert [_ids(ours) for _ in range(3)] == [_ids(own) for _ in range(3)]


@pytest.mark.parametrize(
    ("kwargs", "got"),
    [
        ({"batch_size": 2}, "batch_size=2"),
        ({"batch_size": None}, "batch_size=None"),
        ({"shuffle": True}, "shuffle=True"),
        ({"sampler": [0, 1]}, r"sampler=\[0, 1\]"),
        ({"drop_last": True}, "drop_last=True"),
    ],
)
def test_loader_batch_sampler_excludes_the_other_options(kwargs: dict[str, Any], got: str) -> None:
    with pytest.raises(
        ValueError, match=f"DataLoader: batch_sampler is mutually exclusive .*{got}"
    ):
        DataLoader(_rows(4), batch_sampler=[[0]], **kwargs)
    torch_data = pytest.importorskip("torch.utils.data")
    with pytest.raises(ValueError, match="mutually exclusive"):
        torch_data.DataLoader(range(4), batch_sampler=[[0]], **kwargs)


def test_loader_batch_sampler_errors() -> None:
    ds = _rows(4)
    with pytest.raises(TypeError, match=r"DataLoader: a batch_sampler yields batches .*got 3"):
        list(DataLoader(ds, batch_sampler=[3, 1]))
    with pytest.raises(ValueError, match="DataLoader: batch 1 from the batch_sampler is empty"):
        list(DataLoader(ds, batch_sampler=[[0], []]))
    with pytest.raises(IndexError, match="index 4 for a dataset of size 4"):
        list(DataLoader(ds, batch_sampler=[[0, 4]]))
    with pytest.raises(TypeError, match=r"indices must be integers, got 1.5"):
        list(DataLoader(ds, batch_sampler=[[0, 1.5]]))
    with pytest.raises(TypeError, match=r"DataLoader: batch_sampler must be an iterable"):
        DataLoader(ds, batch_sampler=4)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"sampler=BatchSampler.* pass it as batch_sampler="):
        DataLoader(ds, batch_size=2, sampler=BatchSampler(range(4), 2, False))


# ----------------------------------------------------------------------------- batch_size=None


def test_batch_size_none_reads_one_example_at_a_time() -> None:
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    loader = DataLoader(TensorDataset(X, np.arange(6)), batch_size=None)
    items = list(loader)
    assert len(loader) == len(items) == 6 and loader.batch_size is None
    for i, (x, y) in enumerate(items):  # no batch dimension
        assert x.shape == (2,) and x.dtype == np.float32 and x.tolist() == X[i].tolist()
        assert y.shape == () and int(y.data) == i
    shuffled = DataLoader(TensorDataset(np.arange(9)), batch_size=None, shuffle=True, seed=0)
    seen = [int(x.data) for (x,) in shuffled]
    assert sorted(seen) == list(range(9)) and seen != list(range(9))
    picked = DataLoader(TensorDataset(np.arange(9)), batch_size=None, sampler=[4, 4, 0])
    assert [int(x.data) for (x,) in picked] == [4, 4, 0] and len(picked) == 3
    with pytest.raises(ValueError, match=r"batch_size=None .* mutually exclusive with drop_last"):
        DataLoader(TensorDataset(X), batch_size=None, drop_last=True)


def test_batch_size_none_converts_as_torch_default_convert() -> None:
    examples: list[Any] = [
        3, 2.5, True, "name", np.float32(1.5), np.arange(3, dtype=np.int16),
        {"x": np.ones(2), "y": 4}, Point(np.zeros(1), 7), [np.ones(1), ("s", np.int8(2))],
    ]  # fmt: skip
    items = list(DataLoader(examples, batch_size=None))
    assert items[:4] == [3, 2.5, True, "name"] and type(items[0]) is int  # unchanged
    assert isinstance(items[4], Tensor) and items[4].shape == () and items[4].dtype == np.float32
    assert items[5].dtype == np.int16 and items[5].tolist() == [0, 1, 2]  # no batch dimension
    assert isinstance(items[6]["x"], Tensor) and items[6]["y"] == 4
    assert isinstance(items[7], Point) and items[7].y == 7 and items[7].x.shape == (1,)
    assert isinstance(items[8], list) and items[8][1][0] == "s" and items[8][1][1].dtype == np.int8
    # collate_fn gets each example on its own, not a list.
    assert list(DataLoader([1, 2], batch_size=None, collate_fn=lambda e: e * 10)) == [10, 20]


def test_batch_size_none_passes_listed_indices_to_the_dataset() -> None:
    # torch's way to read a batch in one call: the sampler yields lists of indices.
    ds = _rows(7)
    sampler = BatchSampler(SequentialSampler(ds), 3, False)
    loader = DataLoader(ds, batch_size=None, sampler=sampler)
    assert _ids(loader) == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    sub = DataLoader(Subset(ds, [6, 5, 4]), batch_size=None, sampler=[[2, 0], [1]])
    assert _ids(sub) == [[4, 6], [5]]
    with pytest.raises(IndexError, match="index 9 for a dataset of size 7"):
        list(DataLoader(ds, batch_size=None, sampler=[[0, 9]]))
    with pytest.raises(TypeError, match=r"DataLoader: indices must be integers, got 0.5"):
        list(DataLoader(ds, batch_size=None, sampler=[1, 0.5]))


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        (1, 1),
        (2.5, 2.5),
        ("a", "a"),
        (np.str_("u"), np.str_("u")),  # unchanged
        (np.array(["a", "b"]), None),  # an array of strings passes through
        ((np.int64(3), "a"), None),
        ({"a": np.float16(1.0)}, None),
        (collections.OrderedDict(a=np.ones(1)), None),
        (collections.deque([np.ones(1), 2]), None),
        (range(3), [0, 1, 2]),
    ],
)
def test_default_convert_cases(example: Any, expected: Any) -> None:
    got = default_convert(example)
    if expected is not None:
        assert got == expected and type(got) is type(expected)
    if isinstance(example, np.ndarray):
        assert got is example
    if isinstance(example, tuple):
        assert type(got) is tuple and isinstance(got[0], Tensor) and got[0].dtype == np.int64
    if isinstance(example, (collections.abc.Mapping, collections.deque)):
        assert type(got) is type(example)
        first = next(iter(got.values())) if isinstance(got, dict) else got[0]
        assert isinstance(first, Tensor)
    torch_data = pytest.importorskip("torch.utils.data")
    theirs = torch_data.default_convert(example)
    assert type(theirs) is (list if type(got) is tuple else type(got))  # tuples: torch's list


def test_default_convert_refuses_what_no_tensor_holds() -> None:
    with pytest.raises(TypeError, match=r"default_convert: cannot make a Tensor .*datetime64"):
        default_convert(np.array(["2020-01-01"], dtype="datetime64[D]"))
    t = Tensor(np.ones(2))
    assert default_convert(t) is t  # a Tensor passes through, as in torch


# ----------------------------------------------------------------------------- len and findings


def test_len_in_each_mode() -> None:
    ds = _rows(10)
    assert len(DataLoader(ds, batch_size=3)) == 4
    assert len(DataLoader(ds, batch_size=3, drop_last=True)) == 3
    assert len(DataLoader(ds, batch_sampler=BatchSampler(range(7), 2, True))) == 3
    assert len(DataLoader(ds, batch_sampler=[[0], [1, 2]])) == 2
    assert len(DataLoader(ds, batch_size=None)) == 10
    assert len(DataLoader(ds, batch_size=None, sampler=[1, 2])) == 2
    assert len(DataLoader(_rows(0), batch_size=None)) == 0 == len(list(DataLoader(_rows(0))))
    with pytest.raises(TypeError, match=r"len\(\) needs the length of its sampler, and list_iter"):
        len(DataLoader(ds, batch_size=None, sampler=iter([1])))
    with pytest.raises(
        TypeError, match=r"DataLoader: len\(\) needs the length of its batch_sampler"
    ):
        len(DataLoader(ds, batch_sampler=iter([[1]])))


def test_drop_last_must_be_a_bool() -> None:
    # Regression: drop_last was read as bool(drop_last), so drop_last="no" silently dropped the
    # last batch; torch refuses anything but a bool.
    with pytest.raises(TypeError, match="DataLoader: drop_last must be a bool, got 'no'"):
        DataLoader(_rows(5), batch_size=2, drop_last="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="drop_last must be a bool, got None"):
        DataLoader(_rows(5), batch_size=2, drop_last=None)  # type: ignore[arg-type]
    assert _ids(DataLoader(_rows(5), batch_size=2, drop_last=np.bool_(False))) == [
        [0, 1], [2, 3], [4],
    ]  # fmt: skip


def test_sampler_is_read_batch_by_batch() -> None:
    # Regression: the loader read the sampler's whole epoch before the first batch, so an
    # endless sampler hung, and an index in the short batch that drop_last discards raised;
    # torch reads batch by batch and never reads the discarded index.
    ds = _rows(5)
    endless = DataLoader(ds, batch_size=2, sampler=itertools.cycle(range(5)))
    assert _ids(list(itertools.islice(endless, 3))) == [[0, 1], [2, 3], [4, 0]]  # type: ignore[arg-type]
    dropped = DataLoader(ds, batch_size=2, sampler=[0, 1, 99], drop_last=True)
    assert _ids(dropped) == [[0, 1]]
    with pytest.raises(IndexError, match="index 99"):
        list(DataLoader(ds, batch_size=2, sampler=[0, 1, 99]))


def test_loader_settings_are_fixed_once_made() -> None:
    loader = DataLoader(_rows(5), batch_size=2)
    for name, value in [("batch_size", 4), ("drop_last", True), ("sampler", [0])]:
        with pytest.raises(ValueError, match=f"DataLoader: {name} cannot be changed"):
            setattr(loader, name, value)
    assert _ids(loader) == [[0, 1], [2, 3], [4]]
    loader.collate_fn = collate  # what torch allows stays allowed
    assert _ids(loader) == [[0, 1], [2, 3], [4]]


# ----------------------------------------------------------------------------- train_test_split


def test_split_any_number_of_arrays_by_the_same_rows() -> None:
    n = 20
    X, y, w = np.arange(2 * n).reshape(n, 2), np.arange(n), np.arange(n) * 10.0
    parts = train_test_split(X, y, w, test_size=0.25, seed=0)
    assert len(parts) == 6
    X_tr, _, y_tr, y_te, _, w_te = parts
    assert len(y_te) == 5 and len(y_tr) == 15 and not set(y_tr) & set(y_te)
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)
    np.testing.assert_array_equal(w_te, 10 * y_te)
    # The first two arrays split exactly as on their own (same seed, same rows).
    for a, b in zip(train_test_split(X, y, test_size=0.25, seed=0), parts[:4], strict=True):
        np.testing.assert_array_equal(a, b)
    only = train_test_split(y, test_size=0.25, seed=0)
    assert len(only) == 2
    np.testing.assert_array_equal(only[1], y_te)
    lists = train_test_split(list(range(8)), [str(i) for i in range(8)], shuffle=False)
    assert lists[1].tolist() == [6, 7] and lists[3].tolist() == ["6", "7"]


def test_split_random_state_is_seed() -> None:
    y = np.arange(30)
    a = train_test_split(y, random_state=4)
    b = train_test_split(y, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], train_test_split(y, random_state=5)[1])
    with pytest.raises(ValueError, match="train_test_split: pass random_state or seed, not both"):
        train_test_split(y, random_state=1, seed=1)
    with pytest.raises(ValueError, match="train_test_split: random_state must be a non-negative"):
        train_test_split(y, random_state=-1)
    with pytest.raises(TypeError, match="train_test_split: random_state must be an int"):
        train_test_split(y, random_state="0")  # type: ignore[arg-type]


def test_split_checks_the_arrays() -> None:
    with pytest.raises(ValueError, match="train_test_split: needs at least one array"):
        train_test_split()
    with pytest.raises(
        ValueError, match=r"same number of rows, got lengths \[10, 9, 10\] \(shapes \(10,\), "
    ):
        train_test_split(np.zeros(10), np.zeros(9), np.zeros(10))
    with pytest.raises(ValueError, match="train_test_split: array 1 is 0-d"):
        train_test_split(np.zeros(3), np.float64(1.0))


def test_split_stratify_true_means_the_second_array() -> None:
    X = np.arange(12)
    y = np.repeat([0, 1, 2], 4)
    w = np.arange(12) % 2  # stratifying by w instead would give another split
    *_, y_tr, y_te, _, _ = train_test_split(X, y, w, test_size=3, stratify=True, seed=0)
    assert sorted(y_te.tolist()) == [0, 1, 2] and sorted(y_tr.tolist()) == [
        0,
        0,
        0,
        1,
        1,
        1,
        2,
        2,
        2,
    ]
    with pytest.raises(ValueError, match="stratify=True stratifies by y, the second array, but"):
        train_test_split(X, stratify=True)
    _, X_te = train_test_split(X, test_size=3, stratify=y, seed=0)
    assert sorted(y[X_te].tolist()) == [0, 1, 2]


SIZE = st.one_of(
    st.none(),
    st.integers(-1, 25),
    st.sampled_from([0.0, 0.01, 0.1, 0.15, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.7, 0.9, 0.99, 1.0]),
)


@quick
@given(n=st.integers(0, 25), k=st.integers(1, 3), test_size=SIZE, train_size=SIZE)
def test_split_sizes_and_rows_equal_scikit_learn(
    n: int, k: int, test_size: Any, train_size: Any
) -> None:
    model_selection = pytest.importorskip("sklearn.model_selection")
    arrays = [np.arange(n) + 100 * j for j in range(k)]
    kwargs = {"test_size": test_size, "train_size": train_size}
    try:
        theirs = model_selection.train_test_split(*arrays, shuffle=False, **kwargs)
    except ValueError:
        with pytest.raises(ValueError, match="train_test_split"):
            train_test_split(*arrays, shuffle=False, **kwargs)
        return
    ours = train_test_split(*arrays, shuffle=False, **kwargs)
    assert len(ours) == len(theirs) == 2 * k
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
    shuffled = train_test_split(*arrays, random_state=0, **kwargs)
    assert [len(a) for a in shuffled] == [len(a) for a in theirs]
    np.testing.assert_array_equal(shuffled[-1] - 100 * (k - 1), shuffled[1])  # same rows
