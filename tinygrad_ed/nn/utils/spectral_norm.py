"""Spectral normalization, the hook-based API: ``w = W / σ(W)``.

PyTorch equivalent: ``torch.nn.utils.spectral_norm`` and ``remove_spectral_norm``. σ(W), the
largest singular value of the weight seen as a matrix (``dim`` first, the rest flattened), is
estimated by power iteration: with buffers u, v (unit vectors) each training-mode call does
``n_power_iterations`` rounds of ``v ← normalize(Wᵀu)``, ``u ← normalize(Wv)`` (in place,
without gradient), then ``σ = uᵀ W v`` — differentiable in W, with u and v held constant. In
evaluation mode u and v are used as they are. The weight is kept as ``<name>_orig``; u and v
are the buffers ``<name>_u`` and ``<name>_v`` (the state dict keys are torch's). It keeps the
Lipschitz constant of a layer near 1 (GAN discriminators, Miyato et al., 2018).
"""

from __future__ import annotations

from typing import Any, TypeVar

from ...autograd import no_grad
from ...functional import normalize
from ...random import default_generator
from ...tensor import Tensor
from ..module import Module, Parameter

__all__ = ["SpectralNorm", "remove_spectral_norm", "spectral_norm"]

T_module = TypeVar("T_module", bound=Module)


def _matrix(weight: Tensor, dim: int) -> Tensor:
    """The weight as a matrix with ``dim`` as its rows (torch's ``reshape_weight_to_matrix``)."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.ndim) if d != dim))
    return weight.reshape(weight.shape[0], -1)


def _random_unit(n: int, like: Tensor, eps: float) -> Tensor:
    """A random unit vector of length n drawn from the global generator (torch's ``normal_``)."""
    draw = default_generator().standard_normal(n).astype(like.dtype)
    return normalize(Tensor._make(draw), dim=0, eps=eps)


class SpectralNorm:
    """The forward pre-hook that sets ``module.<name> = W / σ(W)`` before each call."""

    name: str
    dim: int
    n_power_iterations: int
    eps: float

    def __init__(
        self, name: str = "weight", n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12
    ) -> None:
        self.name = name
        self.dim = dim
        if type(n_power_iterations) is bool or not isinstance(n_power_iterations, int):
            raise TypeError(
                f"spectral_norm(): n_power_iterations must be an int, got {n_power_iterations!r}"
            )
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def compute_weight(self, module: Module, do_power_iteration: bool) -> Tensor:
        weight: Tensor = getattr(module, self.name + "_orig")
        u: Tensor = getattr(module, self.name + "_u")
        v: Tensor = getattr(module, self.name + "_v")
        mat = _matrix(weight, self.dim)
        if do_power_iteration:
            with no_grad():
                m = mat.detach()
                for _ in range(self.n_power_iterations):
                    # In place, so that the buffers (and the state dict) keep the estimate.
                    v.copy_(normalize(m.t().mv(u), dim=0, eps=self.eps))
                    u.copy_(normalize(m.mv(v), dim=0, eps=self.eps))
            # Copies: backward through an earlier call must not see the next call's update.
            u, v = u.clone(), v.clone()
        sigma = u.dot(mat.mv(v))
        return weight / sigma

    def remove(self, module: Module) -> None:
        with no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        delattr(module, self.name)
        delattr(module, self.name + "_u")
        delattr(module, self.name + "_v")
        delattr(module, self.name + "_orig")
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))

    @staticmethod
    def apply(
        module: Module, name: str, n_power_iterations: int, dim: int, eps: float
    ) -> SpectralNorm:
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, SpectralNorm) and hook.name == name:
                raise RuntimeError(
                    f"Cannot register two spectral_norm hooks on the same parameter {name}"
                )
        weight = module._parameters.get(name)
        if weight is None:
            raise ValueError(
                f"spectral_norm(): Module '{type(module).__name__}' has no parameter {name!r}"
            )
        if getattr(weight, "_uninitialized", False):
            raise ValueError(
                "The module passed to `SpectralNorm` can't have uninitialized parameters. Make "
                "sure to run the dummy forward before applying spectral normalization"
            )
        if weight.ndim == 0 or not -weight.ndim <= dim < weight.ndim:
            raise IndexError(
                f"spectral_norm(): dim {dim} is out of range for {name} of shape {weight.shape}"
            )
        fn = SpectralNorm(name, n_power_iterations, dim % weight.ndim, eps)
        with no_grad():
            h, w = _matrix(weight, fn.dim).shape
            u = _random_unit(h, weight, fn.eps)
            v = _random_unit(w, weight, fn.eps)
        delattr(module, name)
        module.register_parameter(name + "_orig", weight)
        # A plain attribute until the first call computes the normalized weight (as torch).
        setattr(module, name, weight.detach())
        module.register_buffer(name + "_u", u)
        module.register_buffer(name + "_v", v)
        module.register_forward_pre_hook(fn)
        return fn


def spectral_norm(
    module: T_module,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
) -> T_module:
    """Divide ``module.<name>`` by its spectral norm, estimated by power iteration, before every
    call. ``dim`` is the output dim: 0, or 1 for the transposed convolutions (torch's default).
    Returns ``module``."""
    if dim is None:
        from ..conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d

        transposed = (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
        dim = 1 if isinstance(module, transposed) else 0
    SpectralNorm.apply(module, name, n_power_iterations, dim, eps)
    return module


def remove_spectral_norm(module: T_module, name: str = "weight") -> T_module:
    """Undo ``spectral_norm``: ``<name>`` is a Parameter again, holding ``W / σ`` with the
    current u and v."""
    for k, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, SpectralNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"spectral_norm of '{name}' not found in {type(module).__name__}")
