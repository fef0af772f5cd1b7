"""Examples into Tensors: :func:`collate` stacks a batch, :func:`default_convert` one example.

* :func:`collate` (torch: ``default_collate``) — the loader's default with automatic batching:
  a list of examples becomes one batch, each field stacked along a new first dimension.
* :func:`default_convert` (torch: ``default_convert``) — the default with batching off
  (``DataLoader(batch_size=None)``): one example, its numpy arrays made Tensors, nothing stacked.

Both recurse through tuples, lists, dicts and namedtuples in the same way, and both give a tuple
where torch gives a list for a tuple example (``x, y = batch`` reads either).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from tinygrad_ed.data.datasets import _to_numpy
from tinygrad_ed.tensor import Tensor

__all__ = ["collate", "default_convert"]


def _field(path: tuple[Any, ...]) -> str:
    """A position inside an example, as in an error message: ``field 0``, ``field 'x'[1]``."""
    head, *rest = path
    return "field " + repr(head) + "".join(f"[{key!r}]" for key in rest)


def _kinds(items: list[Any]) -> str:
    return ", ".join(sorted({type(e).__name__ for e in items}))


def _collate(items: list[Any], path: tuple[Any, ...]) -> Any:
    """Collate ``items`` (the values at ``path`` in each example), recursing as torch does."""
    first = items[0]
    where = _field(path) if path else "the examples"
    if isinstance(first, Mapping):
        if not all(isinstance(e, Mapping) for e in items):
            raise TypeError(f"collate: {where} mix dicts and other types: {_kinds(items)}")
        keys = list(first)
        if any(set(e) != set(keys) for e in items):
            key_sets = sorted({tuple(sorted(map(repr, e))) for e in items})
            raise ValueError(f"collate: {where} are dicts with different keys: {key_sets}")
        batch = {key: _collate([e[key] for e in items], (*path, key)) for key in keys}
        try:  # an OrderedDict or defaultdict keeps its type, as in torch
            return type(first)(batch) if type(first) is not dict else batch  # type: ignore[call-arg]
        except TypeError:
            return batch
    if _is_sequence(first):
        if not all(_is_sequence(e) for e in items):
            raise TypeError(f"collate: {where} mix sequences and other types: {_kinds(items)}")
        lengths = sorted({len(e) for e in items})
        if len(lengths) > 1:
            what = "examples have" if not path else f"{where} holds sequences with"
            raise ValueError(f"collate: {what} different numbers of fields: {lengths}")
        fields = [_collate([e[j] for e in items], (*path, j)) for j in range(lengths[0])]
        if isinstance(first, tuple) and hasattr(first, "_fields"):
            return type(first)(*fields)  # a namedtuple keeps its type, as in torch
        return tuple(fields)
    if isinstance(first, (str, bytes)):
        if not all(isinstance(e, (str, bytes)) for e in items):
            raise TypeError(f"collate: {where} mix strings and other types: {_kinds(items)}")
        return list(items)  # as torch: strings are not stacked
    arrays = [_to_numpy(e) for e in items]
    if any(type(e) is int and not -(2**63) <= e < 2**63 for e in items):
        raise OverflowError(f"collate: {where} holds a Python int beyond int64 ({_kinds(items)})")
    dtypes = {a.dtype for a in arrays}
    try:
        stacked = np.stack(arrays, dtype=_stack_dtype(dtypes) if len(dtypes) > 1 else None)
    except ValueError as err:
        shapes = sorted({a.shape for a in arrays})
        raise ValueError(f"collate: {where} of the examples has differing shapes {shapes}") from err
    if stacked.dtype.kind not in "biufc":
        raise TypeError(
            f"collate: {where} holds {_kinds(items)} values, which do not stack into a Tensor; "
            f"collate takes Tensors, arrays, numbers and strings, in tuples, lists or dicts "
            f"(pass collate_fn= to the DataLoader for anything else)"
        )
    return Tensor(stacked)


def _is_sequence(value: Any) -> bool:
    """A sequence of fields, as torch's collate reads one (tuple, list, range, deque, …)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _stack_dtype(dtypes: set[np.dtype[Any]]) -> np.dtype[Any] | None:
    """torch's promotion for one field of mixed dtypes: a float beats an integer without
    widening (float32 beside int64 stays float32, where numpy gives float64)."""
    floats = [d for d in dtypes if d.kind == "f"]
    if floats and len(floats) < len(dtypes) and all(d.kind in "biuf" for d in dtypes):
        return max(floats, key=lambda d: d.itemsize)
    return None


def collate(examples: Iterable[Any]) -> Any:
    """Stack a list of examples into a batch (torch: ``default_collate``, returning tuples).

    Recursive, as torch: a tuple/list example ``(x, y, …)`` gives the tuple
    ``(collate(xs), collate(ys), …)`` — so ``((x1, x2), y)`` gives ``((X1, X2), Y)`` — a dict
    gives a dict of batches, a namedtuple keeps its type, strings give a list of strings, and
    Tensors, arrays and numbers are stacked into one Tensor (Python ints become int64, floats
    float64): so examples that are each one Tensor (a dataset of rows, ``DataLoader(X)``) give
    one Tensor batch, as in torch. A list is a sequence of fields, as in torch, not an array:
    make a feature vector an array.
    """
    items = list(examples)
    if not items:
        raise ValueError("collate: cannot make a batch from zero examples")
    return _collate(items, ())


def default_convert(example: Any) -> Any:
    """One example with its numpy arrays and numpy scalars made Tensors, and no batch dimension.

    torch: ``torch.utils.data.default_convert``, what ``DataLoader(batch_size=None)`` applies to
    each example. Recursive, as torch: a dict (of any mapping type, kept), a namedtuple, a list
    or another sequence keeps its type with every value converted; a Tensor, a Python number, a
    string and an array of strings or objects pass through unchanged (an int stays an int).
    One difference: a plain tuple gives a tuple (torch gives a list), as :func:`collate` does.
    """
    if isinstance(example, Tensor):
        return example
    if isinstance(example, np.ndarray):
        return example if example.dtype.kind in "SUO" else _tensor(example)
    if isinstance(example, np.generic):
        return example if isinstance(example, (np.str_, np.bytes_)) else _tensor(example)
    if isinstance(example, Mapping):
        values = {key: default_convert(example[key]) for key in example}
        try:  # as torch: a mutable mapping is copied (keeping its extra state), others rebuilt
            if isinstance(example, MutableMapping):
                clone = copy.copy(example)
                clone.update(values)
                return clone
            return type(example)(values)  # type: ignore[call-arg]
        except TypeError:
            return values
    if isinstance(example, tuple):
        fields = [default_convert(value) for value in example]
        return type(example)(*fields) if hasattr(example, "_fields") else tuple(fields)
    if _is_sequence(example):
        items = [default_convert(value) for value in example]
        try:  # as torch: a mutable sequence is copied and refilled, others rebuilt
            if isinstance(example, MutableSequence):
                refilled = copy.copy(example)
                for i, item in enumerate(items):
                    refilled[i] = item
                return refilled
            return type(example)(items)  # type: ignore[call-arg]
        except TypeError:  # a type that cannot be rebuilt from a list (range, say)
            return items
    return example


def _tensor(value: np.ndarray[Any, Any] | np.generic) -> Tensor:
    """A numpy array or scalar as a Tensor of its dtype, or a TypeError naming default_convert."""
    if value.dtype.kind not in "biufc":
        raise TypeError(
            f"default_convert: cannot make a Tensor from numpy data of dtype {value.dtype}"
        )
    return Tensor(value)
