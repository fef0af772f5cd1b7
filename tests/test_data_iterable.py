"""Iterable-style datasets (``IterableDataset``, ``ChainDataset``), ``StackDataset``,
``default_collate`` and ``get_worker_info``, with the DataLoader over a stream.

A stream is batched as it comes: batch sizes, order, the short last batch and ``drop_last``,
``len`` from the dataset's own length, ``batch_size=None``; the options a stream cannot take
(shuffle, sampler, batch_sampler) are refused with torch's messages. Each story runs on both
libraries where torch is installed, and its expected values are written out for without.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import tinygrad_ed as tg
from tinygrad_ed.utils import data


def _classes(lib: Any, module: Any) -> tuple[type, type]:
    class Stream(module.IterableDataset):  # type: ignore[name-defined,misc]
        def __init__(self, n: int) -> None:
            self.n = n

        def __iter__(self) -> Iterator[Any]:
            return iter([lib.tensor([float(i), -float(i)]) for i in range(self.n)])

    class Sized(Stream):  # type: ignore[valid-type,misc]
        def __len__(self) -> int:
            return self.n

    return Stream, Sized


def _story(lib: Any, module: Any) -> list[Any]:
    stream, sized = _classes(lib, module)
    loader = module.DataLoader
    seen: list[Any] = [
        [b.tolist() for b in loader(stream(5), batch_size=2)],
        [b.tolist() for b in loader(stream(5), batch_size=2, drop_last=True)],
        [b.tolist() for b in loader(stream(3), batch_size=None)],
        [b.tolist() for b in loader(stream(3), batch_size=2, collate_fn=lambda xs: xs[-1])],
        [len(loader(sized(5), batch_size=2)), len(loader(sized(5), batch_size=2, drop_last=True))],
        len(loader(sized(5), batch_size=None)),
        [x.tolist()[0] for x in stream(2) + stream(3)],
        len(module.ChainDataset([sized(2), sized(3)])),
        isinstance(stream(1), module.Dataset),
        module.get_worker_info(),
    ]
    for options in ({"shuffle": True}, {"sampler": [0, 1]}, {"batch_sampler": [[0]]}):
        try:
            loader(stream(3), **options)
            seen.append("made")
        except ValueError as e:
            seen.append(str(e))
    for unsized in (lambda: len(loader(stream(5), batch_size=2)), lambda: stream(2)[0]):
        try:
            unsized()
            seen.append("ran")
        except (TypeError, NotImplementedError):
            seen.append("refused")
    return seen


EXPECTED = [
    [[[0.0, -0.0], [1.0, -1.0]], [[2.0, -2.0], [3.0, -3.0]], [[4.0, -4.0]]],
    [[[0.0, -0.0], [1.0, -1.0]], [[2.0, -2.0], [3.0, -3.0]]],
    [[0.0, -0.0], [1.0, -1.0], [2.0, -2.0]],
    [[1.0, -1.0], [2.0, -2.0]],
    [3, 2],
    5,
    [0.0, 1.0, 0.0, 1.0, 2.0],
    5,
    True,
    None,
    "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True",
    "DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=[0, 1]",
    "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
    "batch_sampler=[[0]]",
    "refused",
    "refused",
]


def test_streams_batch_as_they_come() -> None:
    assert _story(tg, data) == EXPECTED


def test_streams_as_torch() -> None:
    torch = pytest.importorskip("torch")
    import torch.utils.data as torch_data

    assert _story(tg, data) == _story(torch, torch_data)


def test_chain_refuses_a_map_style_dataset() -> None:
    with pytest.raises(TypeError, match="ChainDataset only supports IterableDataset"):
        list(data.ChainDataset([data.TensorDataset(tg.arange(2))]))


def _stack_story(lib: Any, module: Any) -> list[Any]:
    rows = module.TensorDataset(lib.arange(3))
    pair = module.StackDataset(rows, lib.arange(3.0) * 2)
    named = module.StackDataset(a=lib.arange(3), b=lib.arange(3.0) * 2)
    seen: list[Any] = [
        len(pair),
        [[t.tolist() for t in x] if isinstance(x, tuple) else x.tolist() for x in pair[1]],
        {k: v.item() for k, v in named[2].items()},
        [{k: v.item() for k, v in d.items()} for d in named.__getitems__([0, 2])],
    ]
    batch = next(iter(module.DataLoader(named, batch_size=3)))
    seen.append({k: v.tolist() for k, v in batch.items()})
    for bad in (
        lambda: module.StackDataset(lib.arange(3), lib.arange(4)),
        lambda: module.StackDataset(lib.arange(3), b=lib.arange(3)),
        lambda: module.StackDataset(),
    ):
        with pytest.raises(ValueError):
            bad()
    collated = module.default_collate([(1, 2.0), (3, 4.0)])
    seen.append([(t.tolist(), str(t.dtype).removeprefix("torch.")) for t in collated])
    return seen


def test_stack_dataset_and_default_collate() -> None:
    ours = _stack_story(tg, data)
    assert ours == [
        3,
        [[1], 2.0],
        {"a": 2, "b": 4.0},
        [{"a": 0, "b": 0.0}, {"a": 2, "b": 4.0}],
        {"a": [0, 1, 2], "b": [0.0, 2.0, 4.0]},
        [([1, 3], "int64"), ([2.0, 4.0], "float64")],
    ]
    torch = pytest.importorskip("torch")
    import torch.utils.data as torch_data

    assert ours == _stack_story(torch, torch_data)
    assert np.array_equal(data.default_collate([np.ones(2), np.zeros(2)]).numpy(), [[1, 1], [0, 0]])
