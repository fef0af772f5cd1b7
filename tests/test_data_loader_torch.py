"""Differential test of the DataLoader against torch 2.13 on random configurations.

Each case draws a dataset with 0 to 17 examples (a TensorDataset, a Subset of one, a
ConcatDataset of two Subsets, or a dataset of nested tuples, lists, dicts and namedtuples of
arrays, Tensors, numpy scalars, Python numbers and strings), a way of making batches
(``batch_size``/``drop_last``; ``sampler=`` as a list, an array, an iterator, a SequentialSampler
or a RandomSampler; ``batch_sampler=`` as a BatchSampler or a list of lists; ``batch_size=None``
with single or listed indices; ``shuffle=True``; conflicting or bad arguments) and sometimes a
``collate_fn``. It builds the same loader in both libraries and compares ``len(loader)`` and
every batch's structure, shapes, dtypes and values, or checks that both refuse. Random orders
are compared without a generator: batch sizes, structure and the multiset of example ids.

The divergences this package keeps are normalised away (see :func:`_normal` and :func:`_run`):
a tuple or list comes back as a tuple (torch: a list).
``TG_LOADER_AUDIT_CASES`` sets the number of cases (300 by default).
"""

from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_ed.data as ours
from tinygrad_ed.tensor import Tensor

torch = pytest.importorskip("torch")
td = torch.utils.data

CASES = int(os.environ.get("TG_LOADER_AUDIT_CASES", "300"))
DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
Point = namedtuple("Point", ["x", "y"])


# ----------------------------------------------------------------------------- examples


def _array(rng: np.random.Generator, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    if dtype == "bool":
        return np.asarray(rng.integers(0, 2, size=shape), dtype=bool)
    if dtype.startswith(("int", "uint")):
        return np.asarray(rng.integers(0, 100, size=shape), dtype=dtype)
    return np.asarray(np.round(rng.normal(size=shape), 3), dtype=dtype)


def _template(rng: np.random.Generator, depth: int = 0) -> Any:
    """The structure of every example of a generic dataset: containers of typed leaves."""
    if depth < 2 and rng.random() < 0.6 - 0.25 * depth:
        kind = ["tuple", "list", "dict", "namedtuple"][rng.integers(4)]
        size = 2 if kind == "namedtuple" else int(rng.integers(1, 4))
        return (kind, [_template(rng, depth + 1) for _ in range(size)])
    leaf = ["array", "tensor", "int", "float", "bool", "npscalar", "str"][rng.integers(7)]
    dtype = DTYPES[rng.integers(len(DTYPES))]
    shape = [(), (2,), (2, 3)][rng.integers(3)]
    return ("leaf", leaf, dtype, shape)


def _build(template: Any, rng: np.random.Generator, lib: str, i: int) -> Any:
    """Example ``i`` from ``template``, with Tensors of ``lib`` (ours or torch)."""
    if template[0] != "leaf":
        kind, children = template
        values = [_build(child, rng, lib, i) for child in children]
        if kind == "dict":
            return {f"k{j}": v for j, v in enumerate(values)}
        if kind == "namedtuple":
            return Point(*values)
        return tuple(values) if kind == "tuple" else values
    _, leaf, dtype, shape = template
    value = _array(rng, dtype, shape)
    if leaf == "array":
        return value
    if leaf == "tensor":
        return Tensor(value) if lib == "ours" else torch.from_numpy(value.copy())
    if leaf == "npscalar":
        return value.reshape(-1)[0] if value.size else np.float32(0)
    if leaf == "str":
        return f"s{i}"
    item = value.reshape(-1)[0].item() if value.size else 0
    return {"int": int, "float": float, "bool": bool}[leaf](item)


class _Generic:
    """A map-style dataset of ``n`` examples built from one template (bounds-checked)."""

    def __init__(self, n: int, template: Any, seed: int, lib: str) -> None:
        self.n, self.template, self.seed, self.lib = n, template, seed, lib

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        if not 0 <= i < self.n:
            raise IndexError(f"index {i} out of range")
        return _build(self.template, np.random.default_rng((self.seed, i)), self.lib, i)


# ----------------------------------------------------------------------------- one case


def _draw(seed: int) -> dict[str, Any]:
    """A random configuration: the dataset, how to batch, what to collate with."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 1, 2, 3, 4, 5, 7, 8, 10, 13, 17]))
    case: dict[str, Any] = {"seed": seed, "n": n}
    case["data"] = ["tensor", "subset", "concat", "generic"][rng.integers(4)]
    if case["data"] != "generic":
        case["arrays"] = [
            _array(
                rng, DTYPES[rng.integers(len(DTYPES))], (n, *[(), (2,), (3, 2)][rng.integers(3)])
            )
            for _ in range(int(rng.integers(1, 4)))
        ]
        case["arrays"][0] = np.arange(n, dtype=np.int64)  # the ids of the random checks
        if case["data"] == "subset":
            base = max(n, 1) + int(rng.integers(0, 3))
            case["arrays"] = [np.resize(a, (base, *a.shape[1:])) for a in case["arrays"]]
            case["arrays"][0] = np.arange(base, dtype=np.int64)
            case["subset"] = rng.integers(-base, base, size=n).tolist()
    else:
        case["template"] = _template(rng)
    case["mode"] = [
        "batch", "sampler", "sequential", "batch_sampler", "batch_lists", "none", "none_lists",
        "shuffle", "none_shuffle", "random", "iterator", "bad_index", "conflict", "bad_args",
    ][rng.integers(14)]  # fmt: skip
    case["batch_size"] = int(rng.choice([1, 2, 3, 4, 5, 8, 20]))
    case["drop_last"] = bool(rng.integers(2))
    case["indices"] = rng.integers(0, max(n, 1), size=int(rng.integers(0, 2 * n + 2))).tolist()
    case["batches"] = [
        rng.integers(0, max(n, 1), size=int(rng.integers(1, 5))).tolist()
        for _ in range(int(rng.integers(0, 5)))
    ]
    case["replacement"] = bool(rng.integers(2))
    case["num_samples"] = None if rng.integers(2) else int(rng.integers(1, 2 * n + 3))
    case["collate"] = ["default", "default", "default", "count", "identity"][rng.integers(5)]
    case["as_array"] = bool(rng.integers(2))  # indices as an int64 array rather than a list
    case["conflict"] = [("batch_size", 2), ("shuffle", True), ("sampler", [0]), ("drop_last", 1)][
        rng.integers(4)
    ]
    case["bad"] = [
        ("batch_size", 0), ("batch_size", -1), ("batch_size", 2.0), ("batch_size", "3"),
        ("batch_size", True), ("drop_last", "yes"), ("drop_last", None), ("drop_last", 0),
    ][rng.integers(8)]  # fmt: skip
    if case["mode"] == "none_lists" and case["data"] in ("generic", "concat"):
        case["mode"] = "none"  # these datasets read one index at a time
    if case["mode"] == "bad_index":
        case["indices"] = [*case["indices"], n + int(rng.integers(0, 3))]
    return case


def _loader(case: dict[str, Any], lib: str) -> Any:
    """The case's loader in ``lib``: ``tinygrad_ed.data`` or ``torch.utils.data``."""
    m = ours if lib == "ours" else td
    n, mode, b, drop = case["n"], case["mode"], case["batch_size"], case["drop_last"]
    if case["data"] == "generic":
        dataset: Any = _Generic(n, case["template"], case["seed"], lib)
    else:
        tensors = case["arrays"] if lib == "ours" else [torch.from_numpy(a) for a in case["arrays"]]
        dataset = m.TensorDataset(*tensors)
        if case["data"] == "subset":
            dataset = m.Subset(dataset, case["subset"])
        if case["data"] == "concat":  # the first k examples, then the rest
            k = case["seed"] % (n + 1)
            head = m.Subset(dataset, list(range(k)))
            dataset = m.ConcatDataset([head, m.Subset(dataset, list(range(k, n)))])
    kwargs: dict[str, Any] = {}
    if case["collate"] == "count":
        kwargs["collate_fn"] = lambda batch: ("count", len(batch) if isinstance(batch, list) else 1)
    if case["collate"] == "identity":
        kwargs["collate_fn"] = lambda batch: batch
    indices: Any = np.array(case["indices"], np.int64) if case["as_array"] else case["indices"]
    if mode == "batch":
        return m.DataLoader(dataset, batch_size=b, drop_last=drop, **kwargs)
    if mode in ("sampler", "bad_index"):
        return m.DataLoader(dataset, b, sampler=indices, drop_last=drop, **kwargs)
    if mode == "sequential":
        sequential = m.SequentialSampler(dataset)
        return m.DataLoader(dataset, b, sampler=sequential, drop_last=drop, **kwargs)
    if mode == "batch_sampler":
        inner = [indices, m.SequentialSampler(dataset), range(n)][case["seed"] % 3]
        return m.DataLoader(dataset, batch_sampler=m.BatchSampler(inner, b, drop), **kwargs)
    if mode == "batch_lists":
        return m.DataLoader(dataset, batch_sampler=case["batches"], **kwargs)
    if mode == "none":  # drop_last=True is refused
        sampler = indices if case["seed"] % 2 else None
        return m.DataLoader(dataset, None, sampler=sampler, drop_last=drop, **kwargs)
    if mode == "none_shuffle":
        return m.DataLoader(dataset, batch_size=None, shuffle=True, **kwargs)
    if mode == "iterator":  # no len(), and read lazily
        return m.DataLoader(dataset, b, sampler=iter(case["indices"]), drop_last=drop, **kwargs)
    if mode == "conflict":
        name, value = case["conflict"]
        return m.DataLoader(dataset, batch_sampler=case["batches"], **{name: value}, **kwargs)
    if mode == "bad_args":
        name, value = case["bad"]
        return m.DataLoader(dataset, **{"batch_size": b, name: value}, **kwargs)
    if mode == "none_lists":
        sampler = m.BatchSampler(m.SequentialSampler(dataset), b, drop)
        return m.DataLoader(dataset, batch_size=None, sampler=sampler, **kwargs)
    if mode == "shuffle":
        return m.DataLoader(dataset, b, shuffle=True, drop_last=drop, **kwargs)
    random = m.RandomSampler(dataset, case["replacement"], case["num_samples"])
    return m.DataLoader(dataset, b, sampler=random, drop_last=drop, **kwargs)


def _normal(x: Any) -> Any:
    """A batch as comparable data: ("T", dtype, shape, values) for a tensor of either library.

    Kept divergences: a tuple and a list both read as a sequence (torch returns lists where
    this package returns tuples); a namedtuple and a dict keep their types in both.
    """
    if isinstance(x, Tensor):
        return ("T", x.data.dtype.name, x.data.shape, x.data.tolist())
    if isinstance(x, torch.Tensor):
        return ("T", str(x.dtype).removeprefix("torch."), tuple(x.shape), x.tolist())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return ("N", type(x).__name__, [_normal(v) for v in x])
    if isinstance(x, (tuple, list)):
        return ("S", [_normal(v) for v in x])
    if isinstance(x, dict):
        return ("D", {k: _normal(v) for k, v in x.items()})
    if isinstance(x, np.ndarray):
        return ("A", x.dtype.name, x.tolist())
    return (type(x).__name__, x)


def _run(case: dict[str, Any], lib: str) -> tuple[Any, ...]:
    """("ok", len or the error of len(), batches) or ("error", the exception's type)."""
    try:
        loader = _loader(case, lib)
    except Exception as err:
        return ("error", "init", type(err).__name__)
    try:
        length: Any = len(loader)
    except TypeError:
        length = "no len"
    try:
        batches = [_normal(batch) for batch in loader]
    except Exception as err:
        return ("error", "iter", type(err).__name__)
    return ("ok", length, batches)


def _ids(batches: list[Any]) -> list[int]:
    """The example ids in batches of a TensorDataset, whose first tensor is the id column."""
    return sorted(i for batch in batches for i in batch[1][0][3])


def _shape_only(x: Any) -> Any:
    """A normalised batch without the values, for orders that are random."""
    if isinstance(x, tuple) and x and x[0] == "T":
        return x[:3]
    if isinstance(x, tuple) and x and x[0] in ("S", "N"):
        return (x[0], [_shape_only(v) for v in x[-1]])
    if isinstance(x, tuple) and x and x[0] == "D":
        return ("D", {k: _shape_only(v) for k, v in x[1].items()})
    if isinstance(x, tuple) and x and x[0] == "A":
        return x[:2]
    return type(x).__name__ if not isinstance(x, tuple) else x[0]


def _compare(case: dict[str, Any], refusals: list[str] | None = None) -> str | None:
    """None if both libraries agree on the case, else what differs. When both refuse, the
    exception types (which may differ) are added to ``refusals``."""
    mine, theirs = _run(case, "ours"), _run(case, "torch")
    if mine[0] == "error" or theirs[0] == "error":
        if mine[0] == theirs[0] == "error":
            if refusals is not None:
                refusals.append(f"{case['mode']}: ours {mine[1:]}, torch {theirs[1:]}")
            return None
        return f"ours {mine} torch {theirs}"
    if mine[1] != theirs[1]:
        return f"len: ours {mine[1]}, torch {theirs[1]}"
    a, b = mine[2], theirs[2]
    if case["mode"] not in ("shuffle", "none_shuffle", "random"):
        return None if a == b else f"batches differ:\nours  {a}\ntorch {b}"
    if [_shape_only(x) for x in a] != [_shape_only(x) for x in b]:
        return f"batch shapes differ:\nours  {a}\ntorch {b}"
    if case["data"] == "generic" or case["collate"] != "default":
        return None
    if case["mode"] == "none_shuffle":  # one example at a time: each id is a 0-d tensor
        ids_a, ids_b = sorted(x[1][0][3] for x in a), sorted(x[1][0][3] for x in b)
        return None if ids_a == ids_b else f"multisets of ids differ: ours {ids_a}, torch {ids_b}"
    ids_a, ids_b = _ids(a), _ids(b)
    n, k = case["n"], case["num_samples"]
    total = n if case["mode"] == "shuffle" else (k or n)
    complete = not case["drop_last"] or sum(len(x[1][0][3]) for x in a) == total
    exact = case["mode"] == "shuffle" or (not case["replacement"] and (k or n) % max(n, 1) == 0)
    if complete and exact and ids_a != ids_b:
        return f"multisets of ids differ: ours {ids_a}, torch {ids_b}"
    return None


# ----------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("chunk", range(4))
def test_loader_agrees_with_torch_on_random_cases(chunk: int) -> None:
    per_chunk = -(-CASES // 4)
    failures = []
    for seed in range(chunk * per_chunk, min((chunk + 1) * per_chunk, CASES)):
        case = _draw(seed)
        problem = _compare(case)
        if problem is not None:
            failures.append(f"seed {seed} {case['mode']} {case['data']} n={case['n']}: {problem}")
    assert not failures, "\n".join(failures[:5]) + f"\n({len(failures)} cases)"


def audit(cases: int, report: Callable[[str], None] = print) -> dict[str, int]:
    """Run ``cases`` random cases and count them by mode and outcome (for a long audit); the
    cases both libraries refuse are counted by their exception types."""
    counts: dict[str, int] = {}
    for seed in range(cases):
        case = _draw(seed)
        refusals: list[str] = []
        problem = _compare(case, refusals)
        for refusal in refusals:
            counts[f"both refuse, {refusal}"] = counts.get(f"both refuse, {refusal}", 0) + 1
        key = f"{case['mode']}:{'ok' if problem is None else 'DIFF'}"
        counts[key] = counts.get(key, 0) + 1
        if problem is not None:
            report(f"seed {seed} {case['mode']} {case['data']} n={case['n']}: {problem[:400]}")
    return counts


# ----------------------------------------------------------------------------- worker options

WORKER_OPTIONS: list[dict[str, Any]] = [
    {"pin_memory": True},
    {"pin_memory_device": "cpu", "in_order": False},
    {"worker_init_fn": lambda i: None},
    {"timeout": -1},
    {"timeout": 5},
    {"timeout": 0.0},
    {"prefetch_factor": 2},
    {"num_workers": 2, "prefetch_factor": 3, "persistent_workers": True, "timeout": 1.5},
    {"num_workers": 2, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"multiprocessing_context": "spawn"},
]


def _torch_loader(kw: dict[str, Any]) -> list[list[float]] | str:
    """torch's batches with options ``kw`` (on no workers: a loader with num_workers > 0 is
    iterated with num_workers 0, the batches being the same), or the refusal's class."""
    import warnings

    ds = td.TensorDataset(torch.arange(6.0))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loader = td.DataLoader(ds, 4, **kw)
            if kw.get("num_workers", 0) > 0:
                loader = td.DataLoader(ds, 4)
            return [b[0].tolist() for b in loader]
    except (ValueError, AssertionError):
        return "refused"


@pytest.mark.parametrize("kw", WORKER_OPTIONS, ids=lambda kw: ",".join(kw))
def test_worker_options_are_checked_as_torch_checks_them(kw: dict[str, Any]) -> None:
    """The options of workers and pinned memory: accepted with no effect on the batches, or
    refused, as torch does (its timeout > 0 on no workers fails at the first batch, here at
    once); pin_memory=True warns as torch's does without an accelerator."""
    import warnings

    expected = _torch_loader(kw)
    ds = ours.TensorDataset(Tensor(np.arange(6.0)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            got: list[list[float]] | str = [b[0].tolist() for b in ours.DataLoader(ds, 4, **kw)]
        except ValueError as e:
            assert "DataLoader" in str(e)
            got = "refused"
    assert got == expected
    assert any("pin_memory" in str(w.message) for w in caught) == bool(kw.get("pin_memory"))


def test_loader_takes_torchs_positional_order() -> None:
    """torch's parameters in torch's order (positional where torch's are), and ours after."""
    import inspect

    theirs = list(inspect.signature(td.DataLoader).parameters.values())
    mine = list(inspect.signature(ours.DataLoader).parameters.values())
    assert [(p.name, p.kind) for p in mine[: len(theirs)]] == [(p.name, p.kind) for p in theirs]
    loader = ours.DataLoader(ours.TensorDataset(Tensor(np.arange(5.0))), 2, False, None, None, 0)
    assert [len(b[0]) for b in loader] == [2, 2, 1]
