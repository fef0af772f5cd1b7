"""Layers and containers: Linear, Bilinear, Sequential, ModuleList, ModuleDict, ParameterList,
ParameterDict, Flatten, Unflatten, Identity and the dropouts (Dropout, Dropout1d/2d/3d,
AlphaDropout, FeatureAlphaDropout).

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
from .._device import _check_device
from .._dropout import noise_dropout
from ..tensor import DTypeLike, Tensor, _check_grad_dtype, get_default_dtype
from . import init
from .module import Module, Parameter

__all__ = [
    "AlphaDropout",
    "Bilinear",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "FeatureAlphaDropout",
    "Flatten",
    "Identity",
    "Linear",
    "ModuleDict",
    "ModuleList",
    "ParameterDict",
    "ParameterList",
    "Sequential",
    "Unflatten",
]


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
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "Linear()")  # torch's order: device before dtype
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

    def forward(self, input: Tensor) -> Tensor:
        input = _need_tensor(input, "Linear")
        if input.ndim == 0 or input.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear(in_features={self.in_features}, out_features={self.out_features}): "
                f"input of shape {input.shape} must have {self.in_features} features in its last "
                f"dim to multiply the weight of shape {self.weight.shape}"
            )
        # One op, x Wᵀ + b, whose rule is x̄ = g W, W̄ = gᵀ x, b̄ = g (see the op table).
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Bilinear(Module):
    """``yₖ = x₁ᵀ Wₖ x₂ + bₖ`` over the last dims of two inputs (``torch.nn.Bilinear``).

    ``weight`` has shape ``(out_features, in1_features, in2_features)`` and ``bias``
    ``(out_features,)``; both start as torch's, ``U(−1/√in1, 1/√in1)``. See
    ``functional.bilinear`` for the adjoints.
    """

    in1_features: int
    in2_features: int
    out_features: int
    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        _check_device(device, "Bilinear()")
        self.in1_features = _size(in1_features, "Bilinear", "in1_features")
        self.in2_features = _size(in2_features, "Bilinear", "in2_features")
        self.out_features = _size(out_features, "Bilinear", "out_features")
        d = _float_dtype(dtype, "Bilinear")
        shape = (self.out_features, self.in1_features, self.in2_features)
        self.weight = Parameter(np.empty(shape, dtype=d))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=d))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights from the global generator, as torch's constructor does."""
        if self.in1_features <= 0:  # the bound 1/√in1 needs it
            raise ValueError(
                f"Bilinear(): in1_features must be > 0, but got (in1_features={self.in1_features})"
            )
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        _need_tensor(input1, "Bilinear")
        _need_tensor(input2, "Bilinear")
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
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

    def forward(self, input: Any) -> Any:
        for module in self._modules.values():
            if module is not None:
                input = module(input)
        return input


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


def _as_parameter(value: Any, op: str) -> Any:
    """A Tensor becomes a Parameter sharing its array, as torch's containers convert it; other
    values (a Parameter, a Module, any object) are stored as they are. ``op`` names the
    container in the refusal of a tensor that cannot require grad."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        _check_grad_dtype(value, op)
        return Parameter(value)
    return value


def _entry_repr(key: Any, value: Any) -> str:
    """One line of a ParameterList/ParameterDict repr, torch's layout with our dtype names."""
    if isinstance(value, Tensor):
        kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
        size = "x".join(str(n) for n in value.shape)
        return f"  ({key}): {kind} containing: [{value.dtype} of size {size}]"
    return f"  ({key}): Object of type: {type(value).__name__}"


class ParameterList(Module):
    """A list of parameters registered with the module (``torch.nn.ParameterList``), named
    ``"0"``, ``"1"``, …: they appear in ``parameters()`` and ``state_dict()`` (``"0"``, or
    ``"params.0"`` inside a model), so an optimizer and ``tg.save`` see them.

    As torch: Tensors put in (by the constructor, ``append``, ``extend``, ``+=`` or ``l[i] =``)
    become Parameters sharing their array; a Module becomes a child, any other object a plain
    attribute. Indexing by int (negative from the end) or slice (a new ParameterList of the same
    objects); there is no deletion, as in torch. Calling it is an error.
    """

    _size: int

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _key(self, idx: Any) -> str:
        try:
            i = operator.index(idx)
        except TypeError:
            raise TypeError(
                f"ParameterList indices must be integers or slices, not {type(idx).__name__}"
            ) from None
        if not -len(self) <= i < len(self):
            raise IndexError(f"ParameterList: index {i} is out of range for {len(self)} entries")
        return str(i % len(self))

    @overload
    def __getitem__(self, idx: int) -> Any: ...

    @overload
    def __getitem__(self, idx: slice) -> ParameterList: ...

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return ParameterList(self[i] for i in range(*idx.indices(len(self))))
        return getattr(self, self._key(idx))

    def __setitem__(self, idx: int, value: Any) -> None:
        setattr(self, self._key(idx), _as_parameter(value, "ParameterList"))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value: Any) -> ParameterList:
        setattr(self, str(len(self)), _as_parameter(value, "ParameterList"))
        self._size += 1  # after setattr's checks: a refused value leaves the list as it was
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        # A Tensor is iterable, but is never unpacked into its rows here (torch's rule).
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(
                "ParameterList.extend should be called with an iterable, but got "
                f"{type(values).__name__}"
            )
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_entry_repr(i, value) for i, value in enumerate(self))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called.")


class _MissingKey(KeyError, AttributeError):
    """A key ParameterDict does not hold: a KeyError, as a dict's, and an AttributeError, as
    torch's (whose lookup is an attribute lookup)."""


class ParameterDict(Module):
    """Parameters by name, registered with the module (``torch.nn.ParameterDict``): the keys
    are the names in ``parameters()`` and ``state_dict()`` (``"params.key"`` inside a model).

    As torch: an ordered dict whose Tensor values become Parameters sharing their array (other
    values are kept as plain attributes); keys must be strings. ``update`` keeps the order of an
    OrderedDict, a ParameterDict or a sequence of pairs, and sorts the keys of a plain dict, as
    torch does. Calling it is an error.
    """

    _keys: dict[str, None]

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _check_key(key: Any) -> str:
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}')"
            )
        return key

    def __getitem__(self, key: str) -> Any:
        if self._check_key(key) not in self._keys:
            raise _MissingKey(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, self._check_key(key), _as_parameter(value, "ParameterDict"))
        self._keys[key] = None  # after the checks of setattr (a name such as "train" is refused)

    def __delitem__(self, key: str) -> None:
        if self._check_key(key) not in self._keys:
            raise KeyError(key)
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same objects."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        for key in list(self._keys):
            del self[key]

    def pop(self, key: str) -> Any:
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last inserted (key, value) pair."""
        if not self._keys:
            raise KeyError("popitem(): ParameterDict is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default  # noqa: SIM401 (self.get is this)

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        return ParameterDict((k, default) for k in keys)

    def keys(self) -> Iterable[str]:
        return self._keys.keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterable[Any]:
        return (self[k] for k in self._keys)

    def update(self, parameters: Any) -> None:
        if not isinstance(parameters, Iterable):
            raise TypeError(
                "ParameterDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(parameters).__name__}"
            )
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs: Iterable[Any] = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())  # torch's order for an unordered mapping
        else:
            pairs = parameters
        for j, pair in enumerate(pairs):
            if not isinstance(pair, Iterable):
                raise TypeError(
                    f"ParameterDict update sequence element #{j} should be Iterable; is "
                    f"{type(pair).__name__}"
                )
            pair = tuple(pair)
            if len(pair) != 2:
                raise ValueError(
                    f"ParameterDict update sequence element #{j} has length {len(pair)}; "
                    "2 is required"
                )
            self[pair[0]] = pair[1]

    def extra_repr(self) -> str:
        return "\n".join(_entry_repr(k, value) for k, value in self.items())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterDict should not be called.")

    def __or__(self, other: ParameterDict) -> ParameterDict:
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: ParameterDict) -> ParameterDict:
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other: ParameterDict) -> ParameterDict:
        self.update(other)
        return self


class Identity(Module):
    """Returns its input unchanged; any constructor arguments are ignored (``nn.Identity``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        return input


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` into one (``nn.Flatten``; keeps the batch dim by default).

    A reshape: the adjoint is the incoming gradient reshaped back, ``x̄ = reshape(ȳ, x.shape)``.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = _int(start_dim, "Flatten", "start_dim")
        self.end_dim = _int(end_dim, "Flatten", "end_dim")

    def forward(self, input: Tensor) -> Tensor:
        return _need_tensor(input, "Flatten").flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (``nn.Unflatten``), the inverse of Flatten;
    one size may be −1, inferred. A reshape: ``x̄ = reshape(ȳ, x.shape)``."""

    def __init__(self, dim: int, unflattened_size: tuple[int, ...] | list[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                "Unflatten(): unflattened_size must be a tuple of ints, but found type "
                f"{type(unflattened_size).__name__}"
            )
        for i, size in enumerate(unflattened_size):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
                raise TypeError(
                    "Unflatten(): unflattened_size must be tuple of ints, but found element of "
                    f"type {type(size).__name__} at pos {i}"
                )
        self.dim = _int(dim, "Unflatten", "dim")
        self.unflattened_size = unflattened_size  # as given: the repr shows a list as a list

    def forward(self, input: Tensor) -> Tensor:
        input = _need_tensor(input, "Unflatten")
        sizes = [int(s) for s in self.unflattened_size]
        d = input._dim(self.dim, "Unflatten")
        if input.ndim == 0:
            raise IndexError(f"Unflatten(): cannot unflatten dim {self.dim} of a 0-d tensor")
        n = input.shape[d]
        known = math.prod(s for s in sizes if s != -1)
        inferred = sizes.count(-1)
        fits = (
            sizes
            and inferred <= 1
            and all(s >= -1 for s in sizes)
            and (known == n if not inferred else known != 0 and n % known == 0)
        )
        if not fits:
            raise RuntimeError(
                f"Unflatten(): sizes {sizes} don't multiply up to the size of dim {self.dim} "
                f"({n}) of the input, of shape {input.shape}"
                + (" (at most one size can be -1)" if inferred > 1 else "")
            )
        if inferred:
            sizes[sizes.index(-1)] = n // known
        return input.reshape((*input.shape[:d], *sizes, *input.shape[d + 1 :]))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class _DropoutNd(Module):
    """The dropouts' options (torch's ``_DropoutNd``): p, checked here, and ``inplace``: write
    the result into the input and return it (the functional forms' ``inplace``; ignored by the
    alpha dropouts, as torch's). In eval mode every dropout is the identity."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        F._check_dropout_p(p, f"{type(self).__name__}()")
        self.p = p  # as given: the repr shows p=1 for 1, as torch's
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout (``nn.Dropout``): zero each element with probability p while training.

    In training ``y = x ⊙ m / (1 − p)`` with ``mᵢ ~ Bernoulli(1 − p)`` drawn from the global
    generator, so ``E[y] = x`` and evaluation needs no rescaling; ``x̄ = ȳ ⊙ m / (1 − p)``.
    In eval mode (or with p = 0) it is the identity. ``inplace`` writes into the input (see
    ``functional.dropout``).
    """

    def forward(self, input: Tensor) -> Tensor:
        input = _need_tensor(input, "Dropout")
        if not self.training:
            return input
        return noise_dropout(
            input, self.p, "Dropout.forward", feature=False, alpha=False, inplace=self.inplace
        )


class Dropout1d(_DropoutNd):
    """Channel dropout (``nn.Dropout1d``): each channel ``x[n, c]`` of an (N, C, L) or unbatched
    (C, L) input is zeroed whole with probability p while training, the others scaled by
    1/(1 − p). See ``functional.dropout1d``."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "Dropout1d")
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Channel dropout for (N, C, H, W) inputs (``nn.Dropout2d``); a 3-d input is read as
    (N, C, L), as torch's. See ``functional.dropout2d``."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "Dropout2d")
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Channel dropout for (N, C, D, H, W) or unbatched (C, D, H, W) inputs
    (``nn.Dropout3d``). See ``functional.dropout3d``."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "Dropout3d")
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for selu networks (``nn.AlphaDropout``): dropped entries go to selu's negative
    saturation and an affine map keeps zero mean and unit variance. See
    ``functional.alpha_dropout``. As torch's, the module ignores ``inplace`` (its forward does
    not pass it on): the result is a new tensor."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "AlphaDropout")
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels (``nn.FeatureAlphaDropout``). See
    ``functional.feature_alpha_dropout``. Ignores ``inplace``, as torch's (see AlphaDropout)."""

    def forward(self, input: Tensor) -> Tensor:
        _need_tensor(input, "FeatureAlphaDropout")
        return F.feature_alpha_dropout(input, self.p, self.training)
