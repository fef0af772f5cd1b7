"""Saving and loading state dicts in a safe format: a numpy ``.npz`` archive, never a pickle.

``save(obj, path)`` writes every array leaf of ``obj`` as its own ``.npy`` member of the archive
and the shape of the container tree (dicts, lists, tuples, numbers, strings, None) as JSON in one
more member. ``load(path)`` reads it back with ``allow_pickle=False``: loading a file runs no
code, so a checkpoint from an untrusted source cannot do anything but fail to parse.

What round-trips: Tensors (dtype, shape, values and ``requires_grad``; ``Parameter`` stays a
Parameter), numpy arrays and scalars, bool/int/float/str/None, and dicts (keys: str, int, float,
bool, None), lists and tuples of these — so module, optimizer and scheduler state dicts all do.
Anything else, a namedtuple included, is refused when saving. Unlike torch, every array is
stored and loaded as its own copy: two views of one storage, or one tensor saved twice, load as
separate tensors. One file (or stream) holds one object.

PyTorch equivalent: ``torch.save`` / ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import IO, Any, Union

import numpy as np

from ._device import _check_device
from .nn.module import Module, Parameter
from .optim.optimizer import Optimizer
from .tensor import Tensor

__all__ = ["load", "save"]

PathLike = Union[str, "os.PathLike[str]", IO[bytes]]

_FORMAT = "tinygrad_ed.save/1"
# What reading a damaged archive can raise: zipfile takes a flipped flag bit for encryption
# (RuntimeError) or an unknown compression method (NotImplementedError); nesting too deep for
# Python's stack raises RecursionError (a subclass of RuntimeError).
_READ_ERRORS = (
    ValueError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
)
_STRUCTURE = "__structure__"


def _encode(obj: Any, arrays: dict[str, np.ndarray], where: str, active: set[int]) -> Any:
    """A JSON tree for ``obj``; each array leaf goes into ``arrays`` under a fresh name.
    ``active`` holds the containers being encoded, to catch one that contains itself."""
    if isinstance(obj, (Tensor, np.ndarray, np.generic)):
        arr = obj.data if isinstance(obj, Tensor) else np.asarray(obj)
        if arr.dtype.kind not in "biufcUS":  # object arrays would need pickle
            raise TypeError(f"save(): cannot save an array of dtype {arr.dtype} at {where}")
        ref = f"a{len(arrays)}"
        arrays[ref] = arr
        if isinstance(obj, Tensor):
            kind = "parameter" if isinstance(obj, Parameter) else "tensor"
            return {"kind": kind, "ref": ref, "requires_grad": obj.requires_grad}
        return {"kind": "ndarray" if isinstance(obj, np.ndarray) else "npscalar", "ref": ref}
    if obj is None or isinstance(obj, (bool, str)):
        return {"kind": "value", "value": obj}
    if isinstance(obj, int):
        return {"kind": "int", "value": obj}
    if isinstance(obj, float):
        # repr round-trips every float exactly, nan and ±inf included.
        return {"kind": "float", "value": repr(obj)}
    if type(obj) in (list, tuple) or isinstance(obj, dict):
        if id(obj) in active:  # a file holds a tree: a container inside itself cannot be one
            raise ValueError(f"save(): {where} contains itself; only trees can be saved")
        active.add(id(obj))
        try:
            return _encode_container(obj, arrays, where, active)
        finally:
            active.discard(id(obj))
    hint = "; save its state_dict() instead" if isinstance(obj, (Module, Optimizer)) else ""
    raise TypeError(
        f"save(): cannot save an object of type {type(obj).__name__} at {where}; only Tensors, "
        f"arrays, numbers, strings, None and dicts/lists/tuples of them are supported{hint}"
    )


def _encode_container(obj: Any, arrays: dict[str, np.ndarray], where: str, active: set[int]) -> Any:
    if type(obj) in (list, tuple):  # exactly: a namedtuple or subclass would not load back
        items = [_encode(v, arrays, f"{where}[{i}]", active) for i, v in enumerate(obj)]
        return {"kind": type(obj).__name__, "items": items}
    if isinstance(obj, dict):
        pairs = []
        for k, v in obj.items():
            if isinstance(k, np.integer):  # a numpy int key is an int (milestones, indices)
                k = int(k)
            if not (k is None or isinstance(k, (str, int, float, bool))):
                raise TypeError(
                    f"save(): dict keys must be str, int, float, bool or None; got a "
                    f"{type(k).__name__} key at {where}"
                )
            key = _encode(k, arrays, where, active)
            pairs.append([key, _encode(v, arrays, f"{where}[{k!r}]", active)])
        return {"kind": "dict", "items": pairs}
    raise AssertionError(f"not a container: {type(obj).__name__}")


def _check_file(f: Any, fn: str, method: str) -> None:
    """A path, or a file object with the method the call needs (``write`` or ``read``)."""
    if not isinstance(f, (str, os.PathLike)) and not callable(getattr(f, method, None)):
        raise TypeError(
            f"{fn}(): f must be a path or a binary file object with a {method}() method, got "
            f"{type(f).__name__}"
        )


def save(obj: Any, f: PathLike) -> None:
    """Write ``obj`` (typically a ``state_dict()``) to ``f``, a path or a binary file object.

    The file is written at exactly the given path (numpy would otherwise append ``.npz``).
    """
    _check_file(f, "save", "write")
    arrays: dict[str, np.ndarray] = {}
    try:
        tree = _encode(obj, arrays, "obj", set())
        header = json.dumps({"format": _FORMAT, "tree": tree})
    except RecursionError:  # Python's stack, not the file format, sets the limit
        raise ValueError("save(): the object is nested too deeply to be saved") from None
    # Any: keeps mypy from matching member names against savez keyword arguments.
    members: dict[str, Any] = {**arrays, _STRUCTURE: np.array(header)}
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            np.savez(fh, **members)
    else:
        np.savez(f, **members)


class _Decoder:
    def __init__(self, archive: Any, source: str) -> None:
        self.archive = archive
        self.source = source

    def fail(self, why: str) -> ValueError:
        return ValueError(f"load(): {self.source} is corrupted or not a tinygrad_ed file: {why}")

    def array(self, node: dict[str, Any]) -> np.ndarray:
        ref = node.get("ref")
        if ref not in self.archive.files:
            raise self.fail(f"the array member {ref!r} is missing")
        try:
            arr: np.ndarray = self.archive[ref]
        except _READ_ERRORS as e:
            raise self.fail(f"cannot read array member {ref!r}: {e}") from e
        # Some numpy versions hand out read-only views of the file's bytes; parameters and
        # optimizer buffers are updated in place, so they must own writable memory.
        return arr if arr.flags.writeable else arr.copy()

    def decode(self, node: Any) -> Any:
        if not isinstance(node, dict) or "kind" not in node:
            raise self.fail(f"unexpected entry {node!r} in the structure")
        kind = node["kind"]
        if kind in ("tensor", "parameter"):
            arr = self.array(node)
            if kind == "parameter":
                return Parameter(arr, requires_grad=bool(node.get("requires_grad", True)))
            t = Tensor._make(arr)
            return t.requires_grad_(True) if node.get("requires_grad") else t
        if kind == "ndarray":
            return self.array(node)
        if kind == "npscalar":
            return self.array(node)[()]
        if kind == "value":
            return node.get("value")
        if kind == "int":
            return int(node["value"])
        if kind == "float":
            return float(node["value"])
        if kind == "list":
            return [self.decode(v) for v in node["items"]]
        if kind == "tuple":
            return tuple(self.decode(v) for v in node["items"])
        if kind == "dict":
            return {self.decode(k): self.decode(v) for k, v in node["items"]}
        raise self.fail(f"unknown entry kind {kind!r}")


def load(f: PathLike, map_location: Any = None, *, weights_only: bool | None = None) -> Any:
    """Read an object written by ``save`` (arrays come back in their saved dtypes).

    torch's arguments, so that ``torch.load(PATH, weights_only=True)`` and
    ``map_location='cpu'`` (the tutorials' spellings) run unchanged: ``weights_only`` may be
    anything, since a file here can hold nothing but weights and plain values (True is what
    it always does; False would let torch unpickle, which never happens here), and
    ``map_location`` may name the CPU (None, ``'cpu'``, ``tg.device``/``torch.device('cpu')``,
    or a dict whose values do), the only device there is; any other is refused.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` naming the file for one
    that is truncated, corrupted, or was not written by ``save``.
    """
    _check_file(f, "load", "read")
    _check_map_location(map_location)
    source = repr(os.fspath(f)) if isinstance(f, (str, os.PathLike)) else "the file object"
    try:
        archive = np.load(f, allow_pickle=False)
    except FileNotFoundError:
        raise
    except _READ_ERRORS as e:
        # numpy takes any other file for a pickle and suggests allow_pickle: never do that.
        why = "it is not a zip archive" if "pickle" in str(e) else str(e)
        raise ValueError(f"load(): cannot read {source} as a tinygrad_ed file: {why}") from e
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"load(): {source} holds a single .npy array, not an .npz archive")
    with archive:
        dec = _Decoder(archive, source)
        if _STRUCTURE not in archive.files:
            raise dec.fail(f"it has no {_STRUCTURE!r} member (was it written by save()?)")
        try:
            header = json.loads(str(archive[_STRUCTURE][()]))
        except _READ_ERRORS as e:
            raise dec.fail(f"cannot parse the structure: {e}") from e
        fmt = header.get("format") if isinstance(header, dict) else None
        if fmt != _FORMAT:
            raise dec.fail(f"unknown format {fmt!r}, expected {_FORMAT!r}")
        try:
            return dec.decode(header.get("tree"))
        except (KeyError, TypeError, ValueError, RecursionError) as e:  # int("x"), bad pairs
            if str(e).startswith("load():"):
                raise
            raise dec.fail(f"malformed structure ({type(e).__name__}: {e})") from e


def _check_map_location(map_location: Any) -> None:
    """Where torch would move the loaded tensors: only the CPU here (a callable is refused, as
    what it returns cannot be known before it runs on torch's storages)."""
    if isinstance(map_location, dict):
        for target in map_location.values():
            _check_device(target, "load(map_location=...)")
    elif callable(map_location) and not isinstance(map_location, str):
        raise TypeError(
            "load(): map_location as a function is not supported (there are no storages to "
            "map): give 'cpu', a device, or leave it out"
        )
    else:
        _check_device(map_location, "load(map_location=...)")
