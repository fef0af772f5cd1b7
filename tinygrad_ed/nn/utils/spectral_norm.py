"""Spectral normalization, the hook-based API: ``w = W / σ(W)``.

PyTorch equivalent: ``torch.nn.utils.spectral_norm`` and ``remove_spectral_norm``. σ(W), the
largest singular value of the weight seen as a matrix (``dim`` first, the rest flattened), is
estimated by power iteration: with buffers u, v (unit vectors) each training-mode call does
``n_power_iterations`` rounds of ``v ← normalize(Wᵀu)``, ``u ← normalize(Wv)`` (in place,
without gradient), then ``σ = uᵀ W v`` — differentiable in W, with u and v held constant. In
evaluation mode u and v are used as they are. The weight is kept as ``<name>_orig``; u and v
are the buffers ``<name>_u`` and ``<name>_v`` (the state dict keys are torch's). It keeps the
Lipschitz constant of a layer near 1 (GAN discriminators, Miyato et al., 2018).

As torch, the state dict records the format version in its metadata, and a state dict of the
format before version 1 (``<name>_orig``, ``<name>`` and ``<name>_u``, no ``<name>_v``) is
converted when loaded: v is solved from u = normalize(W v) and rescaled so that uᵀ W v = σ.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from ...autograd import no_grad
from ...functional import normalize
from ...random import _numpy_generator
from ...tensor import Tensor
from ..module import Module, Parameter

__all__ = [
    "SpectralNorm",
    "SpectralNormLoadStateDictPreHook",
    "SpectralNormStateDictHook",
    "remove_spectral_norm",
    "spectral_norm",
]

T_module = TypeVar("T_module", bound=Module)


def _matrix(weight: Tensor, dim: int) -> Tensor:
    """The weight as a matrix with ``dim`` as its rows (torch's ``reshape_weight_to_matrix``)."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.ndim) if d != dim))
    return weight.reshape(weight.shape[0], -1)


def _random_unit(n: int, like: Tensor, eps: float) -> Tensor:
    """A random unit vector of length n drawn from the global generator (torch's ``normal_``)."""
    draw = _numpy_generator().standard_normal(n).astype(like.dtype)
    return normalize(Tensor._make(draw), dim=0, eps=eps)


class SpectralNorm:
    """The forward pre-hook that sets ``module.<name> = W / σ(W)`` before each call."""

    # The state-dict format: version 1 keeps v as a buffer and W out of the state dict.
    _version: int = 1
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

    def _solve_v_and_rescale(
        self, weight_mat: np.ndarray, u: np.ndarray, target_sigma: np.ndarray
    ) -> np.ndarray:
        """A v with u = normalize(W v) and uᵀ W v = σ: v = W⁺ u, rescaled. torch writes
        W⁺ as (WᵀW)⁺ Wᵀ and solves in the weight's dtype; for a wide W (fewer rows than
        columns) WᵀW is singular, and in float32 its pseudo-inverse is rounding noise, so
        this solves W⁺ u in float64 (the v that was saved, where torch's is not)."""
        w64 = weight_mat.astype(np.float64)
        v: np.ndarray = np.linalg.pinv(w64) @ u
        scaled: np.ndarray = v * (target_sigma / (u @ weight_mat @ v))
        return scaled

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
        module._register_state_dict_hook(SpectralNormStateDictHook(fn))
        module._register_load_state_dict_pre_hook(SpectralNormLoadStateDictPreHook(fn))
        return fn


def _array(value: Any) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else np.asarray(value)


class SpectralNormLoadStateDictPreHook:
    """The load-state-dict pre-hook that converts a state dict older than format version 1
    (torch's): with u = normalize(W_orig v) and W = W_orig / σ saved, σ = mean(W_orig / W)
    and v is solved from u (``SpectralNorm._solve_v_and_rescale``)."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(
        self,
        state_dict: dict[str, Any],
        prefix: str,
        local_metadata: dict[str, Any],
        strict: bool,
        missing_keys: list[str],
        unexpected_keys: list[str],
        error_msgs: list[str],
    ) -> None:
        fn = self.fn
        version = local_metadata.get("spectral_norm", {}).get(fn.name + ".version", None)
        if version is not None and version >= 1:
            return
        weight_key = prefix + fn.name
        if (
            version is None
            and all(weight_key + s in state_dict for s in ("_orig", "_u", "_v"))
            and weight_key not in state_dict
        ):
            return  # the current format without metadata (a state dict made by hand, or saved)
        missing = [weight_key + s for s in ("_orig", "", "_u") if weight_key + s not in state_dict]
        if missing:
            if strict:
                missing_keys.extend(missing)
            return
        weight_orig = _array(state_dict[weight_key + "_orig"])
        sigma = (weight_orig / _array(state_dict.pop(weight_key))).mean()
        weight_mat = _array(_matrix(Tensor._make(weight_orig), fn.dim))
        u = _array(state_dict[weight_key + "_u"])
        v = fn._solve_v_and_rescale(weight_mat, u, sigma)
        state_dict[weight_key + "_v"] = Tensor._make(v.astype(u.dtype))


class SpectralNormStateDictHook:
    """The state-dict post-hook that records the format version in the metadata (torch's)."""

    def __init__(self, fn: SpectralNorm) -> None:
        self.fn = fn

    def __call__(
        self, module: Module, state_dict: dict[str, Any], prefix: str, local_metadata: Any
    ) -> None:
        versions = local_metadata.setdefault("spectral_norm", {})
        key = self.fn.name + ".version"
        if key in versions:
            raise RuntimeError(f"Unexpected key in metadata['spectral_norm']: {key}")
        versions[key] = self.fn._version


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
            # Its state-dict hooks go too (torch leaves the load pre-hook, which then asks for
            # the keys that are gone).
            for hooks in (module._state_dict_hooks, module._load_state_dict_pre_hooks):
                for key, other in [*hooks.items()]:
                    if getattr(other, "fn", None) is hook:
                        del hooks[key]
            return module
    raise ValueError(f"spectral_norm of '{name}' not found in {type(module).__name__}")
