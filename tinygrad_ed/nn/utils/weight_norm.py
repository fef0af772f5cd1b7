"""Weight normalization, the hook-based API: ``w = g · v / ‖v‖``.

PyTorch equivalent: ``torch.nn.utils.weight_norm`` and ``remove_weight_norm`` (deprecated in
torch in favour of ``nn.utils.parametrizations.weight_norm``, which warns the same way here).
The weight is replaced by two parameters, ``weight_g`` (the norms, one per slice along ``dim``)
and ``weight_v`` (the direction), and a forward pre-hook recomputes ``module.weight`` from them
before every call. Separating length from direction conditions the gradient descent better
(Salimans & Kingma, 2016).
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..._warn import warn
from ...tensor import Tensor
from ..module import Module, Parameter

__all__ = ["WeightNorm", "norm_except_dim", "remove_weight_norm", "weight_norm"]

T_module = TypeVar("T_module", bound=Module)


def norm_except_dim(v: Tensor, pow: float = 2, dim: int = 0) -> Tensor:
    """‖v‖ over every dim but ``dim``, kept as size-1 dims (so it broadcasts against ``v``);
    ``dim=-1`` is the norm of the whole tensor, a 0-d tensor (torch's ``norm_except_dim``,
    where −1 means "no dim", not the last one)."""
    if dim == -1:
        return v.norm(pow)
    d = dim % v.ndim if v.ndim else 0
    others = [i for i in range(v.ndim) if i != d]
    if not others:  # a vector split along its only dim: each element is its own slice
        return v.abs()
    return v.norm(pow, others, keepdim=True)


def _weight_norm(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """torch's ``_weight_norm``: ``w = v · (g / ‖v‖)``, the norm over all dims but ``dim``.
    Composed of norm, division and product, so w̄ reaches v and g by their own rules:
    ḡ = Σ w̄ ⊙ v / ‖v‖ and v̄ = (g/‖v‖)·(w̄ − v · Σ(w̄ ⊙ v)/‖v‖²) per slice."""
    return v * (g / norm_except_dim(v, 2, dim))


def _check_dim(module: Module, name: str, dim: Any, op: str) -> Tensor:
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"{op}(): Module '{type(module).__name__}' has no parameter {name!r}")
    if type(dim) is bool or not isinstance(dim, int):
        raise TypeError(f"{op}(): dim must be an int or None, got {dim!r}")
    if dim != -1 and not -max(weight.ndim, 1) <= dim < max(weight.ndim, 1):
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of "
            f"[{-max(weight.ndim, 1)}, {max(weight.ndim, 1) - 1}], but got {dim}) for {name} "
            f"of shape {weight.shape}"
        )
    return weight


class WeightNorm:
    """The forward pre-hook that sets ``module.<name> = g · v / ‖v‖`` before each call."""

    name: str
    dim: int

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Tensor:
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return _weight_norm(v, g, self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> WeightNorm:
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(
                    f"Cannot register two weight_norm hooks on the same parameter {name}"
                )
        dim = -1 if dim is None else dim
        if name not in module._parameters or module._parameters[name] is None:
            raise ValueError(
                f"weight_norm(): Module '{type(module).__name__}' has no parameter {name!r}"
            )
        if getattr(module._parameters[name], "_uninitialized", False):
            raise ValueError(
                "The module passed to `WeightNorm` can't have uninitialized parameters. Make "
                "sure to run the dummy forward before applying weight normalization"
            )
        weight = _check_dim(module, name, dim, "weight_norm")
        fn = WeightNorm(name, dim)
        del module._parameters[name]
        module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, dim).detach()))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module).detach()
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: T_module, name: str = "weight", dim: int | None = 0) -> T_module:
    """Reparametrize ``module.<name>`` as ``g · v / ‖v‖`` with parameters ``<name>_g`` (shape
    of the weight with every dim but ``dim`` of size 1; a 0-d norm for ``dim=None``) and
    ``<name>_v`` (the weight), recomputed by a forward pre-hook. Returns ``module``."""
    warn(
        "torch.nn.utils.weight_norm is deprecated in favor of "
        "torch.nn.utils.parametrizations.weight_norm.",
        FutureWarning,
    )
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: T_module, name: str = "weight") -> T_module:
    """Undo ``weight_norm``: ``<name>`` is a Parameter again, holding ``g · v / ‖v‖``."""
    for k, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {type(module).__name__}")
