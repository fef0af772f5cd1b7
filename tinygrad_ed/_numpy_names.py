"""numpy's names for torch's ``dim`` and ``keepdim``: ``x.sum(axis=1, keepdims=True)``.

torch's argument parser takes ``axis`` for ``dim`` and ``keepdims`` for ``keepdim`` in every
native function and method (``torch.sum(x, axis=0)``, ``x.max(axis=1)``, ``torch.cat(ts,
axis=1)``), so numpy habits run there; they run here too. The reductions, scans, sorts and
joins torch takes them for are wrapped once, at import (``NUMPY_NAMED``): a call without
either name passes straight through, one with them is renamed. Signatures and help still
show torch's documented parameters, as torch's do.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# The Tensor methods and torch functions of this library whose torch counterpart takes the
# aliases (checked one by one against torch 2.13; a test keeps the list to functions with a dim).
NUMPY_NAMED = [
    "all",
    "amax",
    "amin",
    "aminmax",
    "any",
    "argmax",
    "argmin",
    "argsort",
    "chunk",
    "count_nonzero",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "diff",
    "gather",
    "index_select",
    "kthvalue",
    "log_softmax",
    "logcumsumexp",
    "logsumexp",
    "max",
    "mean",
    "median",
    "min",
    "mode",
    "nanmean",
    "nanmedian",
    "nansum",
    "narrow",
    "prod",
    "quantile",
    "select",
    "softmax",
    "sort",
    "squeeze",
    "std",
    "sum",
    "topk",
    "unbind",
    "unsqueeze",
    "var",
]
# (``concatenate`` the other way round: torch documents numpy's ``axis``, and takes ``dim``)
NUMPY_NAMED_FUNCTIONS = (
    *NUMPY_NAMED, "cat", "concat", "concatenate", "stack", "std_mean", "var_mean",
)  # fmt: skip


def numpy_names(fn: F) -> F:
    """``fn`` taking ``axis`` for its ``dim`` (and ``keepdims`` for its ``keepdim``)."""
    parameters = inspect.signature(fn).parameters
    if "dim" not in parameters and "axis" in parameters:
        return _torch_name(fn)
    if "dim" not in parameters:
        raise TypeError(f"numpy_names: {fn.__name__} has no dim parameter")
    keepdim = "keepdim" in parameters

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs and ("axis" in kwargs or "keepdims" in kwargs):
            _rename(kwargs, "axis", "dim", fn.__name__)
            if keepdim:
                _rename(kwargs, "keepdims", "keepdim", fn.__name__)
        return fn(*args, **kwargs)

    return call  # type: ignore[return-value]


def _rename(kwargs: dict[str, Any], alias: str, name: str, op: str) -> None:
    if alias in kwargs:
        if name in kwargs:
            raise TypeError(f"{op}() got both {name} and its numpy name {alias}; pass one")
        kwargs[name] = kwargs.pop(alias)


def _torch_name(fn: F) -> F:
    """``fn`` of an ``axis`` parameter taking torch's ``dim`` for it (``torch.concatenate``)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs and "dim" in kwargs:
            if "axis" in kwargs:
                raise TypeError(f"{fn.__name__}() got both axis and its torch name dim; pass one")
            kwargs["axis"] = kwargs.pop("dim")
        return fn(*args, **kwargs)

    return call  # type: ignore[return-value]
