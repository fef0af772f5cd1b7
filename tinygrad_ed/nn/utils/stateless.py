"""Calling a module with other parameters and buffers, without changing it.

PyTorch equivalent: ``torch.func.functional_call`` and ``torch.nn.utils.stateless.functional_call``.
``functional_call(model, {"weight": w}, (x,))`` runs ``model(x)`` with ``w`` in the place of
``model.weight`` (so gradients flow to ``w``, not to the parameter), then puts the parameter
back. This is how a model becomes a pure function of its weights: for meta-learning,
per-example gradients, or ``autograd.functional.jacobian`` with respect to the weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...tensor import Tensor
from ..module import Module

__all__ = ["functional_call"]

_MISSING = object()


def _merge(dicts: Mapping[str, Tensor] | Sequence[Mapping[str, Tensor]]) -> dict[str, Tensor]:
    if isinstance(dicts, Mapping):
        return dict(dicts)
    if not isinstance(dicts, Sequence) or isinstance(dicts, str):
        raise ValueError(
            "functional_call(): expected parameter_and_buffer_dicts to be a dict, or a list or "
            f"tuple of dicts, but got {type(dicts).__name__}"
        )
    others = [type(d).__name__ for d in dicts if not isinstance(d, Mapping)]
    if others:
        raise ValueError(
            "functional_call(): expected all elements of parameter_and_buffer_dicts to be "
            f"dictionaries, got {', '.join(others)} in a {type(dicts).__name__}"
        )
    merged: dict[str, Tensor] = {}
    for d in dicts:
        repeated = [k for k in d if k in merged]
        if repeated:
            raise ValueError(
                f"{repeated} appeared in multiple dictionaries; behavior of functional call is "
                "ambiguous"
            )
        merged.update(d)
    return merged


def _tie(module: Module, values: dict[str, Tensor]) -> dict[str, Tensor]:
    """Give every name of a tied tensor (one Parameter or buffer reached under several names)
    the value given for one of them, as torch's ``tie_weights=True``."""
    names: dict[int, list[str]] = {}
    for name, t in [
        *module.named_parameters(remove_duplicate=False),
        *module.named_buffers(remove_duplicate=False),
    ]:
        names.setdefault(id(t), []).append(name)
    out = dict(values)
    for group in names.values():
        given = [n for n in group if n in values]
        if len(group) < 2 or not given:
            continue
        if any(values[n] is not values[given[0]] for n in given[1:]):
            raise ValueError(
                f"functional_call got multiple values for keys {given}, which are tied. "
                "Consider using tie_weights=False"
            )
        for n in group:
            out.setdefault(n, values[given[0]])
    return out


def functional_call(
    module: Module,
    parameter_and_buffer_dicts: Mapping[str, Tensor] | Sequence[Mapping[str, Tensor]],
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """``module(*args, **kwargs)`` with the named parameters and buffers replaced by the given
    tensors for the duration of the call (restored afterwards, also when the call raises).

    Keys are dotted names as in ``state_dict``; parameters and buffers not named keep their
    values. ``args`` that is not a tuple is the single positional argument. With
    ``tie_weights`` (the default) a value given for one name of a tied parameter is used for all
    its names; with ``strict`` every parameter and buffer must be given, and nothing else.
    Several dicts (torch.func's form) are merged; a key in two of them raises ValueError.
    """
    if not isinstance(module, Module):
        raise TypeError(f"functional_call(): module must be a Module, got {type(module).__name__}")
    values = _merge(parameter_and_buffer_dicts)
    for key, value in values.items():
        if not isinstance(key, str):
            raise TypeError(f"functional_call(): keys must be strings, got {key!r}")
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(
                f"functional_call(): the value for {key!r} must be a Tensor, got "
                f"{type(value).__name__}"
            )
    if tie_weights:
        values = _tie(module, values)
    if strict:
        own = [
            *dict(module.named_parameters(remove_duplicate=False)),
            *dict(module.named_buffers(remove_duplicate=False)),
        ]
        unexpected = [k for k in values if k not in own]
        missing = [k for k in own if k not in values]
        if unexpected or missing:
            lines = []
            if unexpected:
                lines.append("Unexpected key(s): " + ", ".join(f"'{k}'" for k in unexpected) + ".")
            if missing:
                lines.append("Missing key(s): " + ", ".join(f"'{k}'" for k in missing) + ".")
            raise RuntimeError(
                f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(lines)
            )
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    saved: list[tuple[Module, str, str, Any]] = []
    try:
        for key, value in values.items():
            prefix, _, attr = key.rpartition(".")
            owner = module.get_submodule(prefix)
            if attr in owner._parameters:
                store = "_parameters"
            elif attr in owner._buffers:
                store = "_buffers"
            else:  # torch sets an unknown name as a plain attribute for the call
                saved.append((owner, "", attr, owner.__dict__.get(attr, _MISSING)))
                object.__setattr__(owner, attr, value)
                continue
            # Straight into the store: a plain Tensor may stand in for a Parameter here.
            saved.append((owner, store, attr, getattr(owner, store)[attr]))
            getattr(owner, store)[attr] = value
        return module(*args, **(kwargs or {}))
    finally:
        for owner, store, attr, old in reversed(saved):
            if store:
                getattr(owner, store)[attr] = old
            elif old is _MISSING:
                object.__delattr__(owner, attr)
            else:
                object.__setattr__(owner, attr, old)
