"""Layers: Linear, Sequential, Flatten, Dropout, Identity.

PyTorch equivalents: the classes of the same names in ``torch.nn``.
"""

from __future__ import annotations

import math
import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, overload

import numpy as np

from .. import functional as F
from ..random import default_generator
from ..tensor import DTypeLike, Tensor, get_default_dtype
from . import init
from .module import Module, Parameter

__all__ = ["Dropout", "Flatten", "Identity", "Linear", "Sequential"]


def _need_tensor(x: Any, layer: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{layer}.forward(): expected a Tensor input, got {type(x).__name__}")
    return x


def _int(value: Any, layer: str, arg: str) -> int:
    """A Python or numpy int: 2.5 must not become 2 silently, nor True become 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}(): {arg} must be an int, got {type(value).__name__} {value!r}")
    return int(value)


def _size(value: Any, layer: str, arg: str) -> int:
    n = _int(value, layer, arg)
    if n < 0:
        raise ValueError(f"{layer}(): {arg} must be non-negative, got {n}")
    return n


def _float_dtype(dtype: DTypeLike, layer: str) -> np.dtype[Any]:
    """The parameters' dtype: floating, since only those can require gradients."""
    if dtype is None:
        return get_default_dtype()
    try:
        d = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{layer}(): dtype {dtype!r} is not a numpy dtype") from None
    if d.kind != "f":
        raise TypeError(f"{layer}(): dtype must be floating point, got {d}")
    return d


class Linear(Module):
    """An affine map ``y = x Wᵀ + b`` applied to the last dim (``torch.nn.Linear``).

    ``weight`` has shape ``(out_features, in_features)`` and ``bias`` ``(out_features,)``. For
    ``x`` of shape ``(N, in)`` the adjoints are ``x̄ = ȳ W``, ``W̄ = ȳᵀ x``, ``b̄ = Σₙ ȳₙ``.

    Initialization is torch's default: ``kaiming_uniform_(W, a=√5)``, which is
    ``U(−1/√in, 1/√in)``, and the same interval for the bias.
    """

    in_features: int
    out_features: int
    weight: Parameter
    bias: Parameter | None

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, dtype: DTypeLike = None
    ) -> None:
        super().__init__()
        self.in_features = _size(in_features, "Linear", "in_features")
        self.out_features = _size(out_features, "Linear", "out_features")
        d = _float_dtype(dtype, "Linear")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=d))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=d))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights from the global generator, as torch's constructor does."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        x = _need_tensor(x, "Linear")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear(in_features={self.in_features}, out_features={self.out_features}): "
                f"input of shape {x.shape} must have {self.in_features} features in its last dim "
                f"to multiply the weight of shape {self.weight.shape}"
            )
        # One op, x Wᵀ + b, whose rule is x̄ = g W, W̄ = gᵀ x, b̄ = g (see the op table).
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


def _position(idx: Any, n: int, container: str) -> int:
    """A list index into n modules, negative ones from the end, as Python's."""
    try:
        idx = operator.index(idx)
    except TypeError:
        raise TypeError(
            f"{container} indices must be integers or slices, not {type(idx).__name__}"
        ) from None
    if not -n <= idx < n:
        raise IndexError(f"{container}: index {idx} is out of range for {n} modules")
    return int(idx % n)


class Sequential(Module):
    """Modules applied in order, each to the previous one's output (``torch.nn.Sequential``).

    ``Sequential(a, b, c)`` names its layers ``"0"``, ``"1"``, ``"2"``; ``Sequential(OrderedDict)``
    uses the given names. Indexing by int returns a layer, by slice a new Sequential sharing the
    layers; ``len`` and iteration work as for a list.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                if not isinstance(module, Module):
                    raise TypeError(
                        f"Sequential(): argument {idx} is a {type(module).__name__}, not a Module"
                    )
                self.add_module(str(idx), module)

    def _index(self, idx: int) -> int:
        return _position(idx, len(self._modules), "Sequential")

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self, idx: slice) -> Sequential: ...

    def __getitem__(self, idx: int | slice) -> Module | Sequential:
        items = list(self._modules.items())
        if isinstance(idx, slice):
            return Sequential(OrderedDict(items[idx]))
        return items[self._index(idx)][1]  # type: ignore[return-value]  # None if set so

    def __setitem__(self, idx: int, module: Module) -> None:
        key = list(self._modules)[self._index(idx)]
        setattr(self, key, module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        for key in keys[idx] if isinstance(idx, slice) else [keys[self._index(idx)]]:
            delattr(self, key)
        # Keep the names 0..n-1 contiguous, as torch does.
        kept = list(self._modules.values())
        self._modules.clear()
        for i, m in enumerate(kept):
            self._modules[str(i)] = m

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]  # with any None, as torch

    def append(self, module: Module) -> Sequential:
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            if module is not None:
                x = module(x)
        return x


class ModuleList(Module):
    """A list of modules registered as children (``torch.nn.ModuleList``): their parameters are
    the container's, named ``"0"``, ``"1"``, … It has no ``forward``; the owner decides how the
    modules are used (``for layer in self.layers: x = layer(x)``)."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _index(self, idx: int) -> int:
        return _position(idx, len(self._modules), "ModuleList")

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self, idx: slice) -> ModuleList: ...

    def __getitem__(self, idx: int | slice) -> Module | ModuleList:
        values = list(self._modules.values())
        if isinstance(idx, slice):
            return ModuleList(values[idx])  # type: ignore[arg-type]
        return values[self._index(idx)]  # type: ignore[return-value]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, str(self._index(idx)), module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        for key in keys[idx] if isinstance(idx, slice) else [keys[self._index(idx)]]:
            delattr(self, key)
        self._renumber(list(self._modules.values()))  # type: ignore[arg-type]

    def _renumber(self, modules: list[Module]) -> None:
        """Keep the names 0..n-1 contiguous, as torch does."""
        self._modules.clear()
        for i, m in enumerate(modules):
            self.add_module(str(i), m)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        if isinstance(modules, Module) or not isinstance(modules, Iterable):
            raise TypeError(
                f"ModuleList.extend() should be called with an iterable, but got "
                f"{type(modules).__name__}"
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        modules = list(self)
        modules.insert(operator.index(index), module)
        self._renumber(modules)

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module


class ModuleDict(Module):
    """Modules by name, registered as children (``torch.nn.ModuleDict``), in insertion order."""

    def __init__(
        self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
    ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]  # type: ignore[return-value]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()  # type: ignore[return-value]

    def values(self) -> Iterable[Module]:
        return self._modules.values()  # type: ignore[return-value]

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        self._modules.clear()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self[key] = module


class Identity(Module):
    """Returns its input unchanged; any constructor arguments are ignored (``nn.Identity``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Any) -> Any:
        return x


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` into one (``nn.Flatten``; keeps the batch dim by default).

    A reshape: the adjoint is the incoming gradient reshaped back, ``x̄ = reshape(ȳ, x.shape)``.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = _int(start_dim, "Flatten", "start_dim")
        self.end_dim = _int(end_dim, "Flatten", "end_dim")

    def forward(self, x: Tensor) -> Tensor:
        return _need_tensor(x, "Flatten").flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Inverted dropout (``nn.Dropout``): zero each element with probability p while training.

    In training ``y = x ⊙ m / (1 − p)`` with ``mᵢ ~ Bernoulli(1 − p)`` drawn from the global
    generator, so ``E[y] = x`` and evaluation needs no rescaling; ``x̄ = ȳ ⊙ m / (1 − p)``.
    In eval mode (or with p = 0) it is the identity. ``inplace`` is accepted for compatibility;
    the result is always a new tensor (autograd here refuses in-place ops on the graph).
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
            raise TypeError(f"Dropout(): p must be a float, got {type(p).__name__} {p!r}")
        if not 0.0 <= p <= 1.0:
            raise ValueError(
                f"Dropout(): dropout probability has to be between 0 and 1, but got {p}"
            )
        self.p = p  # as given: the repr shows p=1 for 1, as torch's
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        x = _need_tensor(x, "Dropout")
        if not self.training or self.p == 0.0:
            return x
        if x.dtype.kind not in "fc":
            # Torch refuses too: the rescaling by 1/(1 − p) would be truncated to an integer.
            raise TypeError(
                f"Dropout.forward(): input must have a floating point dtype, got {x.dtype} "
                f"(shape {x.shape}); convert it with .float()"
            )
        if self.p == 1.0:
            return x * 0.0
        keep = default_generator().random(x.shape) >= self.p
        # The mask is a constant (numpy) operand: one mul op, and no gradient flows into it.
        scale = (keep * (1.0 / (1.0 - self.p))).astype(x.dtype)
        return x * Tensor._make(scale)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
