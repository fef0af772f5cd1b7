"""Parametrizations: a parameter computed from other tensors each time it is read.

PyTorch equivalent: ``torch.nn.utils.parametrize``. After
``register_parametrization(layer, "weight", P())``, reading ``layer.weight`` returns
``P()(original)``, where ``original`` is the tensor that was the weight (the same Parameter
object, so an optimizer built before keeps working) and now lives in
``layer.parametrizations.weight.original``. Gradients flow through ``P`` to ``original``: the
optimizer trains ``original`` while the layer always sees a weight of the constrained form
(symmetric, orthogonal, of unit norm …).

As torch does, the layer's class is swapped for a subclass ``Parametrized<Class>`` carrying a
property per parametrized name: the getter evaluates the chain of parametrizations (or returns
the value cached by ``with cached():``), and the setter ``layer.weight = X`` stores
``right_inverse(X)`` in the originals. A ``right_inverse`` may return several tensors; they are
then registered as ``original0``, ``original1``, … and the first parametrization takes them all.
The state dict keys are torch's: ``parametrizations.weight.original`` (and the parametrization
modules' own state under ``parametrizations.weight.0.…``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import numpy as np

from ...autograd import no_grad
from ...tensor import Tensor
from ..layers import ModuleDict, ModuleList
from ..module import Module, Parameter

__all__ = [
    "ParametrizationList",
    "cached",
    "is_parametrized",
    "register_parametrization",
    "remove_parametrizations",
    "transfer_parametrizations_and_params",
    "type_before_parametrizations",
]

# ``with cached():`` depth, and the values computed inside it by (id(module), name).
_cache_enabled = 0
_cache: dict[tuple[int, str], Tensor] = {}


@contextmanager
def cached() -> Iterator[None]:
    """Inside this block each parametrized tensor is computed once, at its first read, and
    reused: a layer that reads its weight several times (an RNN over time steps) pays once.
    The cache is emptied when the outermost block ends."""
    global _cache_enabled
    _cache_enabled += 1
    try:
        yield
    finally:
        _cache_enabled -= 1
        if not _cache_enabled:
            _cache.clear()


def _set(dst: Tensor, src: Tensor) -> None:
    """torch's ``dst.set_(src)``: ``dst`` keeps its identity (the optimizer's key) and takes
    ``src``'s values; a change that graphs recorded earlier must see, like any in-place op."""
    dst.data = np.array(src.data, dtype=dst.dtype)
    dst._mark_changed()


def _register_parameter_or_buffer(module: Module, name: str, value: Tensor) -> None:
    if isinstance(value, Parameter):
        module.register_parameter(name, value)
    else:
        module.register_buffer(name, value)


class ParametrizationList(ModuleList):
    """The chain of parametrizations of one tensor and its original(s)
    (``torch.nn.utils.parametrize.ParametrizationList``): ``module.parametrizations[name]``.

    Calling it evaluates ``Pₙ(…P₂(P₁(original)))`` (``P₁(original0, original1, …)`` when the
    first ``right_inverse`` returned several tensors). Built by ``register_parametrization``.
    """

    original: Tensor
    unsafe: bool
    is_tensor: bool
    ntensors: int

    def __init__(self, modules: Sequence[Module], original: Tensor, unsafe: bool = False) -> None:
        if len(modules) == 0:
            raise ValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        shape, dtype = original.shape, original.dtype
        with no_grad():
            new: Any = original
            for module in reversed(list(self)):
                if hasattr(module, "right_inverse"):
                    # one that raises NotImplementedError is taken as the identity, as torch
                    with suppress(NotImplementedError):
                        new = module.right_inverse(new)
        if not isinstance(new, (Tensor, Sequence)):
            raise ValueError(
                "'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                f"Got {type(new).__name__}"
            )
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if isinstance(new, Tensor):
            if new.dtype != dtype:
                raise ValueError(
                    "When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                    f"original.dtype: {dtype}\nright_inverse(original).dtype: {new.dtype}"
                )
            if new is not original:
                with no_grad():
                    _set(original, new)
            _register_parameter_or_buffer(self, "original", original)
        else:
            for i, part in enumerate(new):
                if not isinstance(part, Tensor):
                    raise ValueError(
                        "'right_inverse' must return a Tensor or a Sequence of tensors "
                        f"(list, tuple...). Got element {i} of the sequence with type "
                        f"{type(part).__name__}."
                    )
                if isinstance(original, Parameter):
                    part = Parameter(part, original.requires_grad)
                else:
                    part = part.detach().requires_grad_(original.requires_grad)
                _register_parameter_or_buffer(self, f"original{i}", part)
        if not self.unsafe:
            z = self()
            if not isinstance(z, Tensor):
                raise ValueError(f"A parametrization must return a tensor. Got {type(z).__name__}.")
            if z.dtype != dtype:
                raise ValueError(
                    "Registering a parametrization may not change the dtype of the tensor, "
                    f"unless `unsafe` flag is enabled.\nunparametrized dtype: {dtype}\n"
                    f"parametrized dtype: {z.dtype}"
                )
            if z.shape != shape:
                raise ValueError(
                    "Registering a parametrization may not change the shape of the tensor, "
                    f"unless `unsafe` flag is enabled.\nunparametrized shape: {shape}\n"
                    f"parametrized shape: {z.shape}"
                )

    def right_inverse(self, value: Tensor) -> None:
        """Store ``right_inverse`` of ``value`` (through the chain, last first) in the
        originals, in place: what ``module.weight = value`` does."""
        with no_grad():
            for module in reversed(list(self)):
                if not hasattr(module, "right_inverse"):
                    raise RuntimeError(
                        f"parametrization {type(module).__name__} does not implement right_inverse."
                    )
                value = module.right_inverse(value)
            if self.is_tensor:
                if not isinstance(value, Tensor):
                    raise ValueError(
                        f"`right_inverse` should return a tensor. Got {type(value).__name__}"
                    )
                if value.dtype != self.original.dtype:
                    raise ValueError(
                        f"The tensor returned by `right_inverse` has dtype {value.dtype} while "
                        f"`original` has dtype {self.original.dtype}"
                    )
                if value.shape != self.original.shape:  # set_ would change the shape; not here
                    raise ValueError(
                        f"The tensor returned by `right_inverse` has shape {value.shape} while "
                        f"`original` has shape {self.original.shape}"
                    )
                _set(self.original, value)
                return
            if not isinstance(value, Sequence):
                raise ValueError(
                    "'right_inverse' must return a sequence of tensors. "
                    f"Got {type(value).__name__}."
                )
            if len(value) != self.ntensors:
                raise ValueError(
                    "'right_inverse' must return a sequence of tensors of length "
                    f"{self.ntensors}. Got a sequence of length {len(value)}."
                )
            for i, part in enumerate(value):
                original_i = getattr(self, f"original{i}")
                if not isinstance(part, Tensor) or part.dtype != original_i.dtype:
                    raise ValueError(
                        f"Tensor {i} returned by `right_inverse` must be a tensor of dtype "
                        f"{original_i.dtype}, got {getattr(part, 'dtype', type(part).__name__)}"
                    )
                _set(original_i, part)

    def forward(self) -> Tensor:  # type: ignore[override]
        modules = list(self)
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x  # type: ignore[no-any-return]


def _inject_new_class(module: Module) -> None:
    """Swap the class for ``Parametrized<Class>``, a subclass that will carry the properties.
    Pickling it is refused (the class exists only in this process), as torch; deep copies work
    (the copy shares the class, and so the properties, which read ``self.parametrizations``)."""
    cls = type(module)

    def getstate(self: Module) -> Any:
        raise RuntimeError(
            "Serialization of parametrized modules is only supported through state_dict()."
        )

    def deepcopy(self: Module, memo: dict[int, Any]) -> Module:
        replica = memo.get(id(self))
        if replica is None:
            replica = type(self).__new__(type(self))
            memo[id(self)] = replica
            replica.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return replica  # type: ignore[no-any-return]

    namespace: dict[str, Any] = {"__getstate__": getstate}
    if not hasattr(cls, "__deepcopy__"):
        namespace["__deepcopy__"] = deepcopy
    module.__class__ = type(f"Parametrized{cls.__name__}", (cls,), namespace)


def _inject_property(module: Module, tensor_name: str) -> None:
    def get_parametrized(self: Module) -> Tensor:
        parametrization = self.parametrizations[tensor_name]
        if not _cache_enabled:
            return parametrization()  # type: ignore[no-any-return]
        key = (id(self), tensor_name)
        if key not in _cache:
            _cache[key] = parametrization()
        return _cache[key]

    def set_original(self: Module, value: Tensor) -> None:
        self.parametrizations[tensor_name].right_inverse(value)

    setattr(type(module), tensor_name, property(get_parametrized, set_original))


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Whether ``module`` has a parametrization (on ``tensor_name``, if given); False for
    anything that is not a Module, as torch's."""
    modules = getattr(module, "__dict__", {}).get("_modules")
    parametrizations = modules.get("parametrizations") if isinstance(modules, dict) else None
    if parametrizations is None or not isinstance(parametrizations, ModuleDict):
        return False
    if tensor_name is None:
        return len(parametrizations) > 0
    return tensor_name in parametrizations


def type_before_parametrizations(module: Module) -> type:
    """The class of ``module`` before ``register_parametrization`` swapped it."""
    if is_parametrized(module):
        return type(module).__bases__[0]
    return type(module)


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Make ``module.<tensor_name>`` read as ``parametrization(original)``; a second call on
    the same name chains another parametrization after the first. Returns ``module``.

    ``parametrization`` is a Module whose ``forward`` maps the original(s) to a tensor of the
    same shape and dtype (checked, unless ``unsafe=True``); an optional ``right_inverse(X)``
    gives the original(s) whose image is ``X`` (identity if absent), used at registration (so
    the weight's value is kept when the parametrization allows it) and by assignment.
    """
    if not isinstance(module, Module):
        raise TypeError(
            f"register_parametrization(): module must be a Module, got {type(module).__name__}"
        )
    if not isinstance(parametrization, Module):
        raise TypeError(
            "register_parametrization(): parametrization must be a Module (with forward and "
            f"optionally right_inverse), got {type(parametrization).__name__}"
        )
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        chain = module.parametrizations[tensor_name]
        if not unsafe:
            y = getattr(module, tensor_name)
            x = parametrization(y)
            if not isinstance(x, Tensor):
                raise ValueError(f"A parametrization must return a tensor. Got {type(x).__name__}.")
            if x.dtype != y.dtype or x.shape != y.shape:
                raise ValueError(
                    "Registering a parametrization may not change the dtype or shape of the "
                    "tensor, unless `unsafe` flag is enabled.\n"
                    f"unparametrized: {y.shape} {y.dtype}\nparametrized: {x.shape} {x.dtype}"
                )
            if hasattr(parametrization, "right_inverse"):
                try:
                    z = parametrization.right_inverse(x)
                except NotImplementedError:
                    pass
                else:
                    if not isinstance(z, Tensor) or z.dtype != y.dtype or z.shape != y.shape:
                        raise ValueError(
                            "parametrization.right_inverse must return a tensor of the "
                            f"tensor's shape {y.shape} and dtype {y.dtype}"
                        )
        chain.append(parametrization)
        chain.unsafe |= unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        if original is None:
            raise ValueError(
                f"register_parametrization(): {type(module).__name__}.{tensor_name} is None"
            )
        chain = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            _inject_new_class(module)
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = chain
    else:
        raise ValueError(
            f"Module '{type(module).__name__}' does not have a parameter, a buffer, or a "
            f"parametrized element with name '{tensor_name}'"
        )
    return module


def remove_parametrizations(
    module: Module, tensor_name: str, leave_parametrized: bool = True
) -> Module:
    """Undo ``register_parametrization`` on ``tensor_name``: the name becomes a plain
    parameter (or buffer) again, holding the current parametrized value
    (``leave_parametrized=True``; the original Parameter object, so an optimizer keeps it) or
    the original's value (``False``, only for a single original)."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(
            f"Module {type(module).__name__} does not have a parametrization on {tensor_name}"
        )
    chain = module.parametrizations[tensor_name]
    if chain.is_tensor:
        original = chain.original
        if leave_parametrized:
            with no_grad():
                _set(original, getattr(module, tensor_name))
    elif leave_parametrized:
        t = getattr(module, tensor_name)
        original = Parameter(t.detach()) if t.requires_grad else t.detach()
    else:
        raise ValueError(
            "Cannot leave unparametrized (`leave_parametrized=False`) a tensor "
            "that is parametrized in terms of a sequence of tensors."
        )
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    _register_parameter_or_buffer(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = type(module).__bases__[0]
    return module


def transfer_parametrizations_and_params(
    from_module: Module, to_module: Module, tensor_name: str | None = None
) -> Module:
    """Register on ``to_module`` the parametrizations of ``from_module`` (all of them, or
    those of ``tensor_name``) and make its originals the very same tensors (shared, as torch's),
    creating the parametrized name on ``to_module`` first if it lacks it. Returns
    ``to_module``."""
    if not is_parametrized(from_module):
        return to_module
    names = list(from_module.parametrizations) if tensor_name is None else [tensor_name]
    for name in names:
        if not is_parametrized(from_module, name):
            raise ValueError(
                f"transfer_parametrizations_and_params(): {type(from_module).__name__} has no "
                f"parametrization on {name!r}"
            )
        chain = from_module.parametrizations[name]
        if not hasattr(to_module, name):
            setattr(to_module, name, Parameter(getattr(from_module, name).detach()))
        for parametrization in chain:
            register_parametrization(to_module, name, parametrization)
        target = to_module.parametrizations[name]
        if chain.is_tensor:
            target.original = chain.original
        else:
            for i in range(chain.ntensors):
                setattr(target, f"original{i}", getattr(chain, f"original{i}"))
    return to_module
